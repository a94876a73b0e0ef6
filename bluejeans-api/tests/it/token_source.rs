//! The grant-driven token source: login on first use, renewal after a 401, the refresh
//! grant where a refresh token exists.

use std::sync::Arc;

use bluejeans_api::{BlueJeans, ErrorKind, Grant, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{RawQuery, body_json};

fn describe(r: &Request) -> String {
    let auth = r
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    format!(
        "{} {}?{} {auth}",
        r.method,
        r.url.path(),
        r.url.query().unwrap_or("")
    )
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_sends_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Password")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-1", "expires_in": 3600})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Password")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-2", "expires_in": 3600})),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/user/1/developer_applications"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/user/1/developer_applications"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"appName": "A"}])))
        .mount(&server)
        .await;
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .grant(Grant::password("joe.user", "my_pwrd"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let list = client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap();
    assert_eq!(list[0].app_name.as_deref(), Some("A"));

    let requests = server.received_requests().await.unwrap();
    let seen: Vec<String> = requests.iter().map(describe).collect();
    assert_eq!(
        seen,
        [
            "POST /oauth2/token?Password -",
            "GET /v1/user/1/developer_applications? Bearer tok-1",
            "POST /oauth2/token?Password -",
            "GET /v1/user/1/developer_applications? Bearer tok-2",
        ]
    );
    assert_eq!(
        body_json(&requests[0]),
        json!({"grant_type": "password", "username": "joe.user", "password": "my_pwrd"})
    );

    // The renewed token is cached: the next call makes no grant.
    client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[tokio::test]
async fn renewal_uses_the_refresh_grant_with_the_previous_bearer() {
    let server = MockServer::start().await;
    // The first token is invalidated (as after a 401): the next access renews it.
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Code")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "acc-1", "refresh_token": "ref-1", "expires_in": 30}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Refresh")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "acc-2", "expires_in": 3600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let source = BlueJeans::builder()
        .base_url(server.uri())
        .build_token_source(Grant::code(
            "cid",
            "csecret",
            "https://a.example/cb",
            "the-code",
        ))
        .unwrap();

    let first = source.access_token().await.unwrap();
    assert_eq!(first.expose(), "acc-1");
    assert_eq!(source.access_token().await.unwrap().expose(), "acc-1");
    source.invalidate(&first).await;
    let token = source.token().await.unwrap();
    assert_eq!(token.access_token.expose(), "acc-2");
    // The refresh response gave no new refresh token: the old one is kept.
    assert_eq!(
        token.refresh_token.as_ref().map(|t| t.expose()),
        Some("ref-1")
    );

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        body_json(&requests[0]),
        json!({"grant_type": "authorization_code", "client_id": "cid", "client_secret": "csecret",
               "redirectUri": "https://a.example/cb", "code": "the-code"})
    );
    assert_eq!(
        describe(&requests[1]),
        "POST /oauth2/token?Refresh Bearer acc-1"
    );
    assert_eq!(
        body_json(&requests[1]),
        json!({"grant_type": "refresh_token", "client_id": "cid", "client_secret": "csecret",
               "refresh_token": "ref-1"})
    );
}

#[tokio::test]
async fn meeting_and_client_grants_renew_by_running_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Meeting")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "m", "expires_in": 10})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let source = BlueJeans::builder()
        .base_url(server.uri())
        .build_token_source(Grant::meeting("4085551212", "2404"))
        .unwrap();
    let first = source.access_token().await.unwrap();
    source.invalidate(&first).await;
    source.access_token().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("authorization").is_none())
    );
}

#[tokio::test]
async fn a_failed_login_is_an_auth_error_of_the_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Client")))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "Invalid client credentials."})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let source = Arc::new(
        BlueJeans::builder()
            .base_url(server.uri())
            .build_token_source(Grant::client("cid", "csecret"))
            .unwrap(),
    );
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .token_source(source)
        .build()
        .unwrap();

    let err = client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.operation(), "listClientApplications");
    assert!(err.detail().contains("401"), "{}", err.detail());
    assert!(
        err.detail().contains("Invalid client credentials."),
        "{}",
        err.detail()
    );
    // The operation itself was never sent.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_grant_without_access_token_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"expires_in": 3600})))
        .mount(&server)
        .await;
    let source = BlueJeans::builder()
        .base_url(server.uri())
        .build_token_source(Grant::password("u", "p"))
        .unwrap();
    let err = source.access_token().await.unwrap_err();
    assert!(err.message.contains("no access_token"), "{err}");
}

#[tokio::test]
async fn a_401_to_a_request_with_the_callers_token_is_not_renewed_even_with_retries_on() {
    // Revoke carries the caller's token in its query and the client's own in the header.
    // Its 401 may be about the caller's token: it goes back to the caller, and the client's
    // token is neither renewed nor sent again, whatever the retry policy allows.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Password")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-1", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .grant(Grant::password("joe.user", "my_pwrd"))
        .build()
        .unwrap();

    let err = client
        .revoke_token("app-1", "app-secret-1", "theirs-1234")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));

    let seen: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(describe)
        .collect();
    assert_eq!(
        seen,
        [
            "POST /oauth2/token?Password -",
            "DELETE /oauth2/token?Revoke&access_token=theirs-1234 Bearer tok-1",
        ]
    );
}
