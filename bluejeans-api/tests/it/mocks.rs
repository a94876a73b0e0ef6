//! Every operation on the wire through the typed mocks of `bluejeans-api-mock` (httpmock on
//! 127.0.0.1, one server per test): the `?Client`-style token paths, path parameters,
//! `Secret` fields and query parameters, typed range statuses, the bearer and query token
//! placements, and a 401 answered with a renewed token.

use bluejeans_api::types::{
    Application, ApplicationList, ApplicationListItem, ApplicationSecret, Error as ErrorBody,
    GrantClient, GrantMeeting, GrantPassword, GrantRefresh, GrantRequestClient, GrantRequestCode,
    GrantRequestMeeting, GrantRequestPassword, GrantRequestRefresh, GrantRequestRevoke, TokenInfo,
};
use bluejeans_api::{BlueJeans, Client, ErrorKind, Grant, RetryPolicy, Secret};
use bluejeans_api_mock::MockServerExt as _;
use bluejeans_api_mock::status::{ClientErrorStatus, ServerErrorStatus};
use httpmock::MockServer;

fn client(server: &MockServer, token: Option<&str>) -> Client {
    let mut builder = BlueJeans::builder()
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::none());
    if let Some(token) = token {
        builder = builder.access_token(token);
    }
    builder.build().expect("client builds")
}

fn error_body(message: &str) -> ErrorBody {
    ErrorBody {
        message: Some(message.to_owned()),
    }
}

fn grant_password_body() -> GrantRequestPassword {
    GrantRequestPassword {
        grant_type: Default::default(),
        username: "joe.user".into(),
        password: "my_pwrd".into(),
    }
}

#[tokio::test]
async fn password_grant_matches_its_marker_its_body_and_no_credential() {
    let server = MockServer::start();
    let grant = server.get_token_by_password(|when, then| {
        when.body(&grant_password_body()).no_credentials();
        then.ok(&GrantPassword {
            access_token: Some("tok-1".into()),
            expires_in: Some(3600),
            refresh_token: Some(Secret::from("ref-1")),
            scope: None,
        });
    });
    let got = client(&server, None)
        .get_token_by_password()
        .body(grant_password_body())
        .call()
        .await
        .expect("mocked grant");
    grant.assert();
    assert_eq!(got.access_token.as_ref().map(Secret::expose), Some("tok-1"));
    assert_eq!(
        got.refresh_token.as_ref().map(Secret::expose),
        Some("ref-1")
    );
    assert_eq!(got.expires_in, Some(3600));
}

#[tokio::test]
async fn each_token_marker_matches_only_its_own_operation() {
    let server = MockServer::start();
    let client_grant = server.get_token_by_client(|when, then| {
        when.no_credentials();
        then.ok(&GrantClient {
            access_token: Some("tok-c".into()),
            expires_in: None,
            scope: None,
        });
    });
    // `?Password` is not `?Client`: the client-grant mock must not answer it.
    let err = client(&server, None)
        .get_token_by_password()
        .body(grant_password_body())
        .call()
        .await
        .expect_err("nothing mocks ?Password");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(client_grant.calls(), 0);

    let body = GrantRequestClient {
        grant_type: Default::default(),
        client_id: "app".into(),
        client_secret: "s3cret".into(),
    };
    let got = client(&server, None)
        .get_token_by_client()
        .body(body)
        .call()
        .await
        .expect("mocked client grant");
    assert_eq!(got.access_token.as_ref().map(Secret::expose), Some("tok-c"));
    client_grant.assert_calls(1);
}

#[tokio::test]
async fn secrets_in_request_bodies_are_matched_by_their_raw_value() {
    let server = MockServer::start();
    let meeting = server.get_token_by_meeting(|when, then| {
        when.body(&GrantRequestMeeting {
            grant_type: Default::default(),
            meeting_numeric_id: "4085551212".into(),
            meeting_passcode: "2404".into(),
        });
        then.ok(&GrantMeeting {
            access_token: Some("tok-m".into()),
            expires_in: Some(60),
            scope: None,
        });
    });
    let code = server.get_token_by_code(|when, then| {
        when.body(&GrantRequestCode {
            grant_type: Default::default(),
            client_id: "app".into(),
            client_secret: "app-secret".into(),
            redirect_uri: "https://example.com/cb".into(),
            code: "the-code".into(),
        });
        then.client_error(
            ClientErrorStatus::UNAUTHORIZED,
            &error_body("The code is only good for 30 seconds"),
        );
    });
    let c = client(&server, None);

    // A wrong passcode is another body: no match.
    let wrong = c
        .get_token_by_meeting()
        .body(GrantRequestMeeting {
            grant_type: Default::default(),
            meeting_numeric_id: "4085551212".into(),
            meeting_passcode: "0000".into(),
        })
        .call()
        .await;
    assert!(wrong.is_err());
    assert_eq!(meeting.calls(), 0);
    let right = c
        .get_token_by_meeting()
        .body(GrantRequestMeeting {
            grant_type: Default::default(),
            meeting_numeric_id: "4085551212".into(),
            meeting_passcode: "2404".into(),
        })
        .call()
        .await
        .expect("passcode matches");
    assert_eq!(
        right.access_token.as_ref().map(Secret::expose),
        Some("tok-m")
    );

    let err = c
        .get_token_by_code()
        .body(GrantRequestCode {
            grant_type: Default::default(),
            client_id: "app".into(),
            client_secret: "app-secret".into(),
            redirect_uri: "https://example.com/cb".into(),
            code: "the-code".into(),
        })
        .call()
        .await
        .expect_err("scripted 401");
    code.assert();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        err.body().and_then(|b| b.message.as_deref()),
        Some("The code is only good for 30 seconds")
    );
}

#[tokio::test]
async fn refresh_and_revoke_take_the_token_as_bearer_or_in_the_query() {
    let server = MockServer::start();
    let refresh = server.get_token_by_refresh(|when, then| {
        when.bearer_token("tok-old").body(&GrantRequestRefresh {
            grant_type: Default::default(),
            client_id: "app".into(),
            client_secret: "app-secret".into(),
            refresh_token: "ref-1".into(),
        });
        then.ok(&GrantRefresh {
            access_token: Some("tok-new".into()),
            refresh_token: Some("ref-2".into()),
            expires_in: Some(3600),
            scope: None,
        });
    });
    let got = client(&server, Some("tok-old"))
        .get_token_by_refresh()
        .body(GrantRequestRefresh {
            grant_type: Default::default(),
            client_id: "app".into(),
            client_secret: "app-secret".into(),
            refresh_token: "ref-1".into(),
        })
        .call()
        .await
        .expect("refresh");
    refresh.assert();
    assert_eq!(
        got.access_token.as_ref().map(Secret::expose),
        Some("tok-new")
    );

    // The token to revoke is a `Secret` query parameter. With `token_in_query()` that
    // query slot is taken, so the client's own token goes as `Authorization: Bearer`
    // (spec/bluejeans.yaml, revokeAccessToken): both on the wire, one value each.
    let revoke = server.revoke_access_token(|when, then| {
        when.access_token("tok-to-revoke")
            .bearer_token("tok-new")
            .body(&GrantRequestRevoke {
                client_id: "app".into(),
                client_secret: "app-secret".into(),
            });
        then.no_content();
    });
    let in_query = BlueJeans::builder()
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::none())
        .access_token("tok-new")
        .token_in_query()
        .build()
        .expect("client");
    in_query
        .revoke_access_token()
        .access_token(Secret::from("tok-to-revoke"))
        .body(GrantRequestRevoke {
            client_id: "app".into(),
            client_secret: "app-secret".into(),
        })
        .call()
        .await
        .expect("revoked");
    revoke.assert();
}

#[tokio::test]
async fn token_info_sends_the_token_to_check_and_no_credential() {
    let server = MockServer::start();
    let info = server.get_token_info(|when, then| {
        when.access_token("tok-to-check").no_credentials();
        then.ok(&TokenInfo {
            user: Some(1234567),
        });
    });
    let got = client(&server, None)
        .get_token_info()
        .access_token(Secret::from("tok-to-check"))
        .call()
        .await
        .expect("token info");
    info.assert();
    assert_eq!(got.user, Some(1234567));
}

#[tokio::test]
async fn authorize_matches_set_and_absent_query_parameters() {
    let server = MockServer::start();
    let authorize = server.get_authorization_code(|when, then| {
        when.client_id("app")
            .redirect_uri("https://example.com/cb?x=1&y=2")
            .state("s 1")
            .scope_missing()
            .app_name_missing()
            .no_credentials();
        then.ok();
    });
    let c = client(&server, None);
    c.get_authorization_code()
        .client_id("app")
        .redirect_uri("https://example.com/cb?x=1&y=2")
        .state("s 1")
        .call()
        .await
        .expect("authorize");
    // With a scope the mock does not match.
    let with_scope = c
        .get_authorization_code()
        .client_id("app")
        .redirect_uri("https://example.com/cb?x=1&y=2")
        .state("s 1")
        .scope("user_info")
        .call()
        .await;
    assert!(with_scope.is_err());
    authorize.assert_calls(1);
}

#[tokio::test]
async fn applications_match_path_parameters_exactly() {
    let server = MockServer::start();
    let list = server.list_client_applications(|when, then| {
        when.user_id(1234567).bearer_token("tok");
        then.created(&ApplicationList(vec![ApplicationListItem {
            app_name: Some("Acme CRM".into()),
            client_id: Some("0f3e".into()),
            app_logo_url: None,
            description: None,
            redirect_urls: vec![],
        }]));
    });
    let app = Application {
        app_name: Some("Acme CRM".into()),
        app_logo_url: None,
        client_id: None,
        client_secret: None,
        description: Some("CRM sync".into()),
        redirect_urls: vec!["https://acme.example.com/cb".into()],
        user_id: None,
    };
    let created = server.create_client_application(|when, then| {
        when.user_id(1234567).body(&app).bearer_token("tok");
        then.created(&Application {
            client_id: Some("0f3e".into()),
            client_secret: Some("shown-once".into()),
            ..app.clone()
        });
    });
    // A client id with a space and a slash: matched as the client encodes it.
    let updated = server.update_client_application(|when, then| {
        when.user_id(1234567).client_id("a b/c").bearer_token("tok");
        then.ok(&app);
    });
    let secret = server.regenerate_client_application_secret(|when, then| {
        when.user_id(1234567).client_id("0f3e").bearer_token("tok");
        then.ok(&ApplicationSecret {
            client_id: Some("0f3e".into()),
            client_secret: Some("new-secret".into()),
        });
    });
    let c = client(&server, Some("tok"));

    let apps = c
        .list_client_applications()
        .user_id(1234567)
        .call()
        .await
        .expect("list (201)");
    assert_eq!(apps[0].app_name.as_deref(), Some("Acme CRM"));
    // Another user id is another path.
    assert!(
        c.list_client_applications()
            .user_id(7654321)
            .call()
            .await
            .is_err()
    );
    list.assert_calls(1);

    let made = c
        .create_client_application()
        .user_id(1234567)
        .body(app.clone())
        .call()
        .await
        .expect("create");
    created.assert();
    assert_eq!(
        made.client_secret.as_ref().map(Secret::expose),
        Some("shown-once")
    );

    c.update_client_application()
        .user_id(1234567)
        .client_id("a b/c")
        .body(app.clone())
        .call()
        .await
        .expect("update");
    updated.assert();

    let regenerated = c
        .regenerate_client_application_secret()
        .user_id(1234567)
        .client_id("0f3e")
        .call()
        .await
        .expect("regenerate");
    secret.assert();
    assert_eq!(
        regenerated.client_secret.as_ref().map(Secret::expose),
        Some("new-secret")
    );
}

#[tokio::test]
async fn a_401_for_the_old_token_then_200_for_the_renewed_one() {
    let server = MockServer::start();
    let first_grant = server.get_token_by_password(|when, then| {
        when.body(&grant_password_body());
        then.once().ok(&GrantPassword {
            access_token: Some("tok-1".into()),
            expires_in: Some(3600),
            refresh_token: None,
            scope: None,
        });
    });
    let second_grant = server.get_token_by_password(|when, then| {
        when.body(&grant_password_body());
        then.ok(&GrantPassword {
            access_token: Some("tok-2".into()),
            expires_in: Some(3600),
            refresh_token: None,
            scope: None,
        });
    });
    let rejected = server.list_client_applications(|when, then| {
        when.user_id(1).bearer_token("tok-1");
        then.client_error(
            ClientErrorStatus::UNAUTHORIZED,
            &error_body("token expired"),
        );
    });
    let accepted = server.list_client_applications(|when, then| {
        when.user_id(1).bearer_token("tok-2");
        then.ok(&ApplicationList(vec![]));
    });
    let c = BlueJeans::builder()
        .base_url(server.base_url())
        .grant(Grant::password("joe.user", "my_pwrd"))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");

    let apps = c
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .expect("renewed and sent again");
    assert!(apps.is_empty());
    first_grant.assert_calls(1);
    second_grant.assert_calls(1);
    rejected.assert_calls(1);
    accepted.assert_calls(1);
}

#[tokio::test]
async fn server_errors_take_a_typed_status() {
    let server = MockServer::start();
    let failing = server.get_token_info(|when, then| {
        when.access_token_missing();
        then.server_error(
            ServerErrorStatus::SERVICE_UNAVAILABLE,
            &error_body("maintenance"),
        );
    });
    let err = client(&server, None)
        .get_token_info()
        .call()
        .await
        .expect_err("scripted 503");
    failing.assert();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.kind(), ErrorKind::Status);

    // A status outside the documented range cannot be built, so no mock can panic on it.
    assert_eq!(ClientErrorStatus::new(503), None);
    assert_eq!(ServerErrorStatus::new(404), None);
    let out_of_range = ClientErrorStatus::try_from(200).expect_err("not a 4xx");
    assert_eq!(out_of_range.to_string(), "status 200 is outside 400..=499");
    assert_eq!(ClientErrorStatus::try_from(418).map(u16::from), Ok(418));
}

#[tokio::test]
async fn each_test_has_its_own_server_on_loopback() {
    // Two servers at once (as two parallel tests would have): same operation, own answers.
    let (a, b) = (MockServer::start(), MockServer::start());
    assert_ne!(a.port(), b.port());
    for server in [&a, &b] {
        assert_eq!(server.host(), "127.0.0.1");
        let user = i64::from(server.port());
        server.get_token_info(|when, then| {
            when.no_credentials();
            then.ok(&TokenInfo { user: Some(user) });
        });
    }
    let (info_a, info_b) = tokio::join!(
        async { client(&a, None).get_token_info().call().await },
        async { client(&b, None).get_token_info().call().await },
    );
    assert_eq!(info_a.expect("a").user, Some(i64::from(a.port())));
    assert_eq!(info_b.expect("b").user, Some(i64::from(b.port())));
}

/// The JSON the mock serves at `path_and_query` for `method`, fetched raw.
async fn served(
    server: &MockServer,
    method: reqwest::Method,
    path_and_query: &str,
) -> serde_json::Value {
    let response = reqwest::Client::new()
        .request(method, server.url(path_and_query))
        // The mocks of operations with a JSON body match its content type.
        .header("content-type", "application/json")
        .send()
        .await
        .expect("the mock answers");
    response.json().await.expect("the example is JSON")
}

/// `value` without the object members that hold an empty array: an optional list field is
/// not serialized when empty (`[]` and absent mean the same on these APIs).
fn without_empty_lists(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .filter(|(_, v)| !v.as_array().is_some_and(Vec::is_empty))
                .map(|(k, v)| (k.clone(), without_empty_lists(v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(without_empty_lists).collect())
        }
        other => other.clone(),
    }
}

/// The decoded value, serialized again, is the example the mock served: every field of the
/// spec's example is a field of the client's type, under its wire name, and none is lost.
fn same<T: serde::Serialize>(what: &str, decoded: &T, served: &serde_json::Value) {
    assert_eq!(
        without_empty_lists(&serde_json::to_value(decoded).expect("serializes")),
        without_empty_lists(served),
        "{what}: the spec's example does not round-trip through the client's type"
    );
}

#[tokio::test]
async fn the_specs_success_examples_decode_whole_into_the_clients_types() {
    let server = MockServer::start();
    server.get_token_by_password(|_, then| {
        then.ok_example();
    });
    server.get_token_by_meeting(|_, then| {
        then.ok_example();
    });
    server.get_token_by_client(|_, then| {
        then.ok_example();
    });
    server.get_token_by_code(|_, then| {
        then.ok_example();
    });
    server.get_token_by_refresh(|_, then| {
        then.ok_example();
    });
    server.get_token_info(|_, then| {
        then.ok_example();
    });
    server.list_client_applications(|_, then| {
        then.ok_example();
    });
    server.create_client_application(|_, then| {
        then.created_example();
    });
    server.update_client_application(|_, then| {
        then.ok_example();
    });
    server.regenerate_client_application_secret(|_, then| {
        then.ok_example();
    });
    let c = client(&server, Some("tok"));
    let post = reqwest::Method::POST;

    let got = c
        .grant_password("joe.user", "my_pwrd")
        .await
        .expect("password");
    same(
        "getTokenByPassword",
        &got,
        &served(&server, post.clone(), "/oauth2/token?Password").await,
    );
    let got = c
        .grant_meeting("4085551212", "2404")
        .await
        .expect("meeting");
    same(
        "getTokenByMeeting",
        &got,
        &served(&server, post.clone(), "/oauth2/token?Meeting").await,
    );
    let got = c.grant_client("app", "app-secret").await.expect("client");
    same(
        "getTokenByClient",
        &got,
        &served(&server, post.clone(), "/oauth2/token?Client").await,
    );
    let got = c
        .grant_code("id", "app-secret", "https://x.example.com/cb", "code-1")
        .await
        .expect("code");
    same(
        "getTokenByCode",
        &got,
        &served(&server, post.clone(), "/oauth2/token?Code").await,
    );
    let got = c
        .grant_refresh("id", "app-secret", "rt")
        .await
        .expect("refresh");
    same(
        "getTokenByRefresh",
        &got,
        &served(&server, post.clone(), "/oauth2/token?Refresh").await,
    );
    let got = c.token_info("tok").await.expect("token info");
    same(
        "getTokenInfo",
        &got,
        &served(
            &server,
            reqwest::Method::GET,
            "/oauth2/tokenInfo?access_token=tok",
        )
        .await,
    );
    let got = c
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .expect("list")
        .into_inner();
    same(
        "listClientApplications",
        &got,
        &served(
            &server,
            reqwest::Method::GET,
            "/v1/user/1/developer_applications",
        )
        .await,
    );
    let got = c
        .create_client_application()
        .user_id(1)
        .body(Application::builder().app_name("A"))
        .call()
        .await
        .expect("create")
        .into_inner();
    same(
        "createClientApplication",
        &got,
        &served(&server, post.clone(), "/v1/user/1/developer_applications").await,
    );
    let got = c
        .update_client_application()
        .user_id(1)
        .client_id("c")
        .body(Application::builder().app_name("A"))
        .call()
        .await
        .expect("update")
        .into_inner();
    same(
        "updateClientApplication",
        &got,
        &served(
            &server,
            reqwest::Method::PUT,
            "/v1/user/1/developer_applications/c",
        )
        .await,
    );
    let got = c
        .regenerate_client_application_secret()
        .user_id(1)
        .client_id("c")
        .call()
        .await
        .expect("regenerate")
        .into_inner();
    same(
        "regenerateClientApplicationSecret",
        &got,
        &served(
            &server,
            reqwest::Method::PUT,
            "/v1/user/1/developer_applications/c/secret",
        )
        .await,
    );
}
