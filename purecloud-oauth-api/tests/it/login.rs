//! The client-credentials login on the wire, the bearer token it yields, renewal after a 401,
//! and a refused login.

use base64::Engine as _;
use purecloud_oauth_api::{ClientCredentials, ErrorKind, PureCloud, TokenFetcher};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{api_with_token, quick_retry};

pub const CLIENT_ID: &str = "7de3af06-c0b3-4f4b-8e1c-client";
pub const CLIENT_SECRET: &str = "cs-Zq8v1Lr0-very-secret-value";

fn basic() -> String {
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    format!("Basic {encoded}")
}

/// A mock of the token endpoint that checks the whole request: form body, Basic header.
pub fn login_mock() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", basic().as_str()))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header("accept", "application/json"))
        .and(body_string("grant_type=client_credentials"))
}

fn token_response(token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": token,
        "token_type": "bearer",
        "expires_in": 86399
    }))
}

fn cc_client(uri: &str) -> purecloud_oauth_api::Client {
    PureCloud::builder()
        .base_urls(uri, uri)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(quick_retry())
        .build()
        .expect("client")
}

#[tokio::test]
async fn login_then_bearer_on_the_api_call_and_token_cached() {
    let server = MockServer::start().await;
    login_mock()
        .respond_with(token_response("tok-A"))
        .expect(1)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/scopes", "tok-A")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entities": [], "total": 0})))
        .expect(2)
        .mount(&server)
        .await;
    let client = cc_client(&server.uri());
    for _ in 0..2 {
        let scopes = client
            .get_oauth_scopes()
            .call()
            .await
            .expect("getOauthScopes");
        assert_eq!(scopes.total, Some(0));
    }
    // one login for two calls: the token is cached
    server.verify().await;
}

#[tokio::test]
async fn fetcher_returns_token_with_expiry() {
    let server = MockServer::start().await;
    login_mock()
        .respond_with(token_response("tok-A"))
        .expect(1)
        .mount(&server)
        .await;
    let fetcher = ClientCredentials::new(
        reqwest::Client::new(),
        &format!("{}/", server.uri()),
        CLIENT_ID,
        CLIENT_SECRET,
    );
    assert_eq!(fetcher.token_url(), format!("{}/oauth/token", server.uri()));
    let token = fetcher.fetch(None).await.expect("login");
    assert_eq!(token.access_token.expose(), "tok-A");
    let expires_at = token.expires_at.expect("expires_at from expires_in");
    let left = expires_at
        .duration_since(std::time::Instant::now())
        .as_secs();
    assert!((86_000..=86_399).contains(&left), "{left}");
}

#[tokio::test]
async fn unauthorized_renews_once_and_succeeds() {
    let server = MockServer::start().await;
    login_mock()
        .respond_with(token_response("tok-A"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    login_mock()
        .respond_with(token_response("tok-B"))
        .expect(1)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/clients/c1", "tok-A")
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "status": 401, "code": "bad.credentials", "message": "Invalid login credentials."
        })))
        .expect(1)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/clients/c1", "tok-B")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "c1", "name": "n", "authorizedGrantType": "CODE"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let c = cc_client(&server.uri())
        .get_oauth_client()
        .client_id("c1")
        .call()
        .await
        .expect("renewed after 401");
    assert_eq!(c.id.as_deref(), Some("c1"));
    server.verify().await;
}

#[tokio::test]
async fn second_401_is_returned_not_looped() {
    let server = MockServer::start().await;
    login_mock()
        .respond_with(token_response("tok-A"))
        .expect(2)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/clients/c1", "tok-A")
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"status": 401, "code": "bad.credentials"})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let err = cc_client(&server.uri())
        .get_oauth_client()
        .client_id("c1")
        .call()
        .await
        .expect_err("still 401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        err.body().and_then(|b| b.code.as_deref()),
        Some("bad.credentials")
    );
    server.verify().await;
}

#[tokio::test]
async fn refused_login_is_an_auth_error_with_status_and_no_secret() {
    let server = MockServer::start().await;
    let refused = json!({
        "error": "invalid_client",
        "description": "authentication failed",
        "error_description": "authentication failed"
    });
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(refused))
        .expect(2)
        .mount(&server)
        .await;

    // the fetcher itself: AuthError with the status and the OAuth error
    let fetcher = ClientCredentials::new(
        reqwest::Client::new(),
        &server.uri(),
        CLIENT_ID,
        CLIENT_SECRET,
    );
    let err = fetcher.login().await.expect_err("refused");
    assert_eq!(err.status, Some(400));
    assert_eq!(err.message, "invalid_client: authentication failed");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
        assert!(!text.contains(&basic()[6..]), "{text}");
    }

    // through a client: the call fails with ErrorKind::Auth before reaching the API
    let err = cc_client(&server.uri())
        .get_oauth_scopes()
        .call()
        .await
        .expect_err("login refused");
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.operation(), "getOauthScopes");
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(400),
        "the login's status"
    );
    assert!(err.detail().contains("HTTP 400"), "{}", err.detail());
    assert!(err.detail().contains("invalid_client"), "{}", err.detail());
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
    }
    server.verify().await;
}

#[tokio::test]
async fn login_garbage_and_non_bearer_are_errors_without_echo() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"access_token": 42, "x": "leak-me"}"#,
            "application/json",
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "tok-mac", "token_type": "mac"
        })))
        .mount(&server)
        .await;
    let fetcher = ClientCredentials::new(
        reqwest::Client::new(),
        &server.uri(),
        CLIENT_ID,
        CLIENT_SECRET,
    );
    let err = fetcher.login().await.expect_err("garbage");
    assert_eq!(err.status, Some(200));
    assert!(!err.to_string().contains("leak-me"));
    assert!(!err.to_string().contains("42"), "{err}");
    let err = fetcher.login().await.expect_err("not bearer");
    assert!(err.message.contains("token_type"), "{err}");
    assert!(!err.to_string().contains("tok-mac"));
}

#[tokio::test]
async fn login_retries_a_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    login_mock()
        .respond_with(token_response("tok-A"))
        .expect(1)
        .mount(&server)
        .await;
    let fetcher = ClientCredentials::new(
        reqwest::Client::new(),
        &server.uri(),
        CLIENT_ID,
        CLIENT_SECRET,
    )
    .with_retry(quick_retry());
    let token = fetcher.login().await.expect("second attempt");
    assert_eq!(token.access_token.expose(), "tok-A");
    server.verify().await;
}
