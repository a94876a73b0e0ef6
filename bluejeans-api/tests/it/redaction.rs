//! No credential shows in `Debug` or `Display` of anything that holds one.

use std::fmt::{Debug, Display};
use std::sync::Arc;

use bluejeans_api::{BlueJeans, Grant, GrantFetcher, Secret, types};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "pw-hunter2";
const PASSCODE: &str = "passcode-2404";
const CLIENT_SECRET: &str = "csecret-62a01e";
const CODE: &str = "code-myCodeString";
const REFRESH: &str = "refresh-c38f04";
const ACCESS: &str = "access-f5b4a9";
const SECRETS: &[&str] = &[PASSWORD, PASSCODE, CLIENT_SECRET, CODE, REFRESH, ACCESS];

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
}

fn debug(what: &str, value: &impl Debug) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

fn both(what: &str, value: &(impl Debug + Display)) {
    debug(what, value);
    assert_clean(what, &format!("{value}"));
}

#[tokio::test]
async fn no_secret_in_debug_or_display() {
    // Secret itself.
    for s in SECRETS {
        both("Secret", &Secret::new(*s));
    }

    // Request models.
    debug(
        "GrantRequestPassword",
        &types::GrantRequestPassword {
            grant_type: Default::default(),
            username: "joe".into(),
            password: PASSWORD.into(),
        },
    );
    debug(
        "GrantRequestMeeting",
        &types::GrantRequestMeeting {
            grant_type: Default::default(),
            meeting_numeric_id: "4085551212".into(),
            meeting_passcode: PASSCODE.into(),
        },
    );
    debug(
        "GrantRequestClient",
        &types::GrantRequestClient {
            grant_type: Default::default(),
            client_id: "cid".into(),
            client_secret: CLIENT_SECRET.into(),
        },
    );
    debug(
        "GrantRequestCode",
        &types::GrantRequestCode {
            grant_type: Default::default(),
            client_id: "cid".into(),
            client_secret: CLIENT_SECRET.into(),
            redirect_uri: "https://a.example/cb".into(),
            code: CODE.into(),
        },
    );
    debug(
        "GrantRequestRefresh",
        &types::GrantRequestRefresh {
            grant_type: Default::default(),
            client_id: "cid".into(),
            client_secret: CLIENT_SECRET.into(),
            refresh_token: REFRESH.into(),
        },
    );
    debug(
        "GrantRequestRevoke",
        &types::GrantRequestRevoke {
            client_id: "cid".into(),
            client_secret: CLIENT_SECRET.into(),
        },
    );
    debug(
        "GrantRequestPassword builder",
        &types::GrantRequestPassword::builder()
            .username("joe")
            .password(PASSWORD),
    );

    // Responses with tokens and secrets.
    let tokens = json!({"access_token": ACCESS, "refresh_token": REFRESH, "expires_in": 1});
    debug(
        "GrantPassword",
        &serde_json::from_value::<types::GrantPassword>(tokens.clone()).unwrap(),
    );
    debug(
        "GrantCode",
        &serde_json::from_value::<types::GrantCode>(tokens.clone()).unwrap(),
    );
    debug(
        "GrantRefresh",
        &serde_json::from_value::<types::GrantRefresh>(tokens.clone()).unwrap(),
    );
    debug(
        "GrantMeeting",
        &serde_json::from_value::<types::GrantMeeting>(tokens.clone()).unwrap(),
    );
    debug(
        "GrantClient",
        &serde_json::from_value::<types::GrantClient>(tokens).unwrap(),
    );
    debug(
        "Application",
        &serde_json::from_value::<types::Application>(json!({"clientSecret": CLIENT_SECRET}))
            .unwrap(),
    );
    debug(
        "ApplicationSecret",
        &serde_json::from_value::<types::ApplicationSecret>(
            json!({"client_secret": CLIENT_SECRET}),
        )
        .unwrap(),
    );

    // The Grant enum, every variant.
    let grants = [
        Grant::password("joe", PASSWORD),
        Grant::meeting("4085551212", PASSCODE),
        Grant::client("cid", CLIENT_SECRET),
        Grant::code("cid", CLIENT_SECRET, "https://a.example/cb", CODE),
        Grant::refresh("cid", CLIENT_SECRET, REFRESH),
    ];
    for grant in &grants {
        debug("Grant", grant);
    }

    // Builders, clients, the token source (before and after it holds a token).
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": ACCESS, "refresh_token": REFRESH, "expires_in": 3600}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/user/1/developer_applications"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "bad token"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/oauth2/tokenInfo"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("not json", "application/json"))
        .mount(&server)
        .await;

    let with_token = BlueJeans::builder()
        .base_url(server.uri())
        .access_token(ACCESS);
    debug("ClientBuilder with token", &with_token);
    debug("Client with token", &with_token.clone().build().unwrap());
    let with_grant = BlueJeans::builder()
        .base_url(server.uri())
        .grant(Grant::code(
            "cid",
            CLIENT_SECRET,
            "https://a.example/cb",
            CODE,
        ));
    debug("ClientBuilder with grant", &with_grant);
    debug("Client with grant", &with_grant.clone().build().unwrap());
    let fetcher_client = BlueJeans::builder().base_url(server.uri()).build().unwrap();
    debug(
        "GrantFetcher",
        &GrantFetcher::new(Grant::password("joe", PASSWORD), fetcher_client),
    );

    let source = Arc::new(
        with_grant
            .build_token_source(Grant::password("joe", PASSWORD))
            .unwrap(),
    );
    debug("TokenSource (empty)", &source);
    let token = source.token().await.unwrap();
    assert_eq!(
        token.access_token.expose(),
        ACCESS,
        "the token was really fetched"
    );
    debug("Token", &token);
    debug("TokenSource (filled)", &source);
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .token_source(source.clone())
        .token_in_query()
        .build()
        .unwrap();
    debug("Client with token source", &client);

    // ApiErrors from failing calls with the token in the query string.
    let err = client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    both("ApiError (401, token in query)", &err);
    let err = client.token_info(ACCESS).await.unwrap_err();
    assert_eq!(err.kind(), bluejeans_api::ErrorKind::InvalidBody);
    both("ApiError (invalid body, token in query)", &err);

    // The generated error of send(), too.
    let err = client
        .get_token_info()
        .access_token(ACCESS)
        .send()
        .await
        .unwrap_err();
    both("progenitor error", &err);
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .any(|r| r.url.query().is_some_and(|q| q.contains(ACCESS))),
        "the token did go over the wire in the query"
    );

    // A failed login.
    let failing = BlueJeans::builder()
        .base_url("http://127.0.0.1:9")
        .build_token_source(Grant::client("cid", CLIENT_SECRET))
        .unwrap();
    both("AuthError", &failing.access_token().await.unwrap_err());
}
