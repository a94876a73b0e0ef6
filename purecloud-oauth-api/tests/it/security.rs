//! Issue 10 for the PureCloud client: the spec decides which operations carry the token,
//! nothing goes to another origin or over plain http to another host, no error shows a
//! credential, and a POST without a body says `Content-Length: 0`.

use purecloud_oauth_api::{ErrorKind, PureCloud, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::{TOKEN, client};
use crate::login::{CLIENT_ID, CLIENT_SECRET, login_mock};

/// Every text a user can get out of an error and its `source()` chain.
fn all_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{e}\n{e:#}\n{e:?}\n{e:#?}\n");
    let mut next = e.source();
    while let Some(cause) = next {
        text.push_str(&format!("{cause}\n{cause:#}\n{cause:?}\n{cause:#?}\n"));
        next = cause.source();
    }
    text
}

#[track_caller]
fn assert_clean(e: &(dyn std::error::Error + 'static), secrets: &[&str]) {
    let text = all_text(e);
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked:\n{text}");
    }
}

#[test]
fn every_operation_of_the_spec_asks_for_the_token() {
    // Every PureCloud OAuth operation has `security: PureCloudOAuth`.
    assert_eq!(
        purecloud_oauth_api::spec::AUTHENTICATED_OPERATIONS.len(),
        13
    );
    assert!(purecloud_oauth_api::spec::AUTHENTICATED_OPERATIONS.contains(&"postOauthClientSecret"));
}

#[tokio::test]
async fn a_post_without_body_sends_content_length_zero() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/oauth/clients/c1/secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "c1"})))
        .mount(&server)
        .await;
    let _ = client(&server.uri())
        .post_oauth_client_secret()
        .client_id("c1")
        .call()
        .await;
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        r.headers
            .get("content-length")
            .and_then(|v| v.to_str().ok()),
        Some("0")
    );
    assert_eq!(
        r.headers.get("authorization").and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn no_redirect_to_another_origin_for_calls_or_the_login() {
    for status in [302u16, 307, 308] {
        let elsewhere = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200))
            .mount(&elsewhere)
            .await;
        let server = MockServer::start().await;
        let target = format!("{}/collect?k=v", elsewhere.uri());
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).insert_header("Location", target.as_str()))
            .mount(&server)
            .await;

        let e = client(&server.uri())
            .get_oauth_clients()
            .call()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Redirect, "{e}");
        assert!(e.to_string().contains(&status.to_string()), "{e}");
        assert!(!e.to_string().contains("collect"), "{e}");
        assert_clean(&e, &[TOKEN]);

        let cc = PureCloud::builder()
            .base_urls(server.uri(), server.uri())
            .client_credentials(CLIENT_ID, CLIENT_SECRET)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let e = cc.get_oauth_clients().call().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
        assert_clean(&e, &[CLIENT_SECRET]);

        assert!(
            elsewhere.received_requests().await.unwrap().is_empty(),
            "{status}: a request reached the other origin"
        );
        let requests = server.received_requests().await.unwrap();
        assert!(requests.iter().all(|r| r.headers.get("referer").is_none()));
    }
}

#[test]
fn plain_http_to_another_host_is_refused_unless_asked_for() {
    for (api, login) in [
        ("http://api.example.com", "https://login.example.com"),
        ("https://api.example.com", "http://login.example.com"),
    ] {
        let e = PureCloud::builder()
            .base_urls(api, login)
            .client_credentials(CLIENT_ID, CLIENT_SECRET)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("plain http"), "{e}");
        PureCloud::builder()
            .base_urls(api, login)
            .client_credentials(CLIENT_ID, CLIENT_SECRET)
            .danger_allow_insecure_http()
            .build()
            .unwrap();
    }
    PureCloud::builder()
        .base_urls("http://127.0.0.1:9", "http://localhost:9")
        .access_token(TOKEN)
        .build()
        .unwrap();
}

#[tokio::test]
async fn an_echoed_token_is_redacted_on_call_and_send() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|r: &Request| {
            let auth = r
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            ResponseTemplate::new(400).set_body_json(json!({
                "message": format!("bad header {auth}"),
                "code": auth,
                "messageParams": {"token": auth},
            }))
        })
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let e = c.get_oauth_clients().call().await.unwrap_err();
    assert!(e.to_string().contains("[redacted]"), "{e}");
    assert_clean(&e, &[TOKEN]);
    let e = c.get_oauth_clients().send().await.unwrap_err();
    assert_clean(&e, &[TOKEN]);
}

#[tokio::test]
async fn a_refused_connection_keeps_its_cause() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let uri = format!("http://127.0.0.1:{port}");
    let c = PureCloud::builder()
        .base_urls(&uri, &uri)
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let e = c.get_oauth_clients().call().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Communication);
    let cause = std::error::Error::source(&e).expect("a cause");
    assert!(
        all_text(cause).to_lowercase().contains("refused"),
        "{}",
        all_text(cause)
    );
    assert_clean(&e, &[TOKEN]);
    let e = c.get_oauth_clients().send().await.unwrap_err();
    assert_clean(&e, &[TOKEN]);
}

#[tokio::test]
async fn the_login_never_gets_the_bearer_of_an_api_call() {
    let server = MockServer::start().await;
    login_mock()
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "cc-token-1", "token_type": "bearer", "expires_in": 3600}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/oauth/clients"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entities": []})))
        .mount(&server)
        .await;
    let c = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();
    c.get_oauth_clients().call().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let auth = |r: &Request| {
        r.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(auth(&requests[0]).starts_with("Basic "));
    assert_eq!(auth(&requests[1]), "Bearer cc-token-1");
}
