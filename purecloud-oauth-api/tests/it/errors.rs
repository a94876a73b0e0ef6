//! Retries (429, 503), non-repeatable POSTs, error bodies with correlation ids, broken bodies.

use std::time::{Duration, Instant};

use purecloud_oauth_api::types::{ApiUsageClientQuery, OAuthClientGrantType, OAuthClientRequest};
use purecloud_oauth_api::{ErrorKind, PureCloud, RetryPolicy};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use crate::common::{TOKEN, api, client};

#[tokio::test]
async fn rate_limited_then_success_waits_retry_after() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/scopes")
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"status": 429, "code": "too.many.requests"})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    api("GET", "/api/v2/oauth/scopes")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 5})))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let scopes = client(&server.uri())
        .get_oauth_scopes()
        .call()
        .await
        .expect("retried after 429");
    assert_eq!(scopes.total, Some(5));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    server.verify().await;
}

#[tokio::test]
async fn repeated_503_gives_up_within_the_policy() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/clients/c1")
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({
            "status": 503, "code": "service.unavailable", "message": "The service is currently unavailable"
        })))
        // quick_retry(): 1 attempt + 2 retries
        .expect(3)
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server.uri())
        .get_oauth_client()
        .client_id("c1")
        .call()
        .await
        .expect_err("gives up");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(err.kind(), ErrorKind::Status);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.operation(), "getOauthClient");
    assert_eq!(
        err.body().and_then(|b| b.code.as_deref()),
        Some("service.unavailable")
    );
    assert!(err.to_string().contains("getOauthClient"), "{err}");
    server.verify().await;
}

#[tokio::test]
async fn create_is_not_repeated_after_503_but_usage_query_is() {
    let server = MockServer::start().await;
    api("POST", "/api/v2/oauth/clients")
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    api("POST", "/api/v2/oauth/clients/c1/secret")
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    api("POST", "/api/v2/oauth/clients/c1/usage/query")
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let err = client
        .post_oauth_clients()
        .body(
            OAuthClientRequest::builder()
                .name("n")
                .authorized_grant_type(OAuthClientGrantType::ClientCredentials),
        )
        .call()
        .await
        .expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let err = client
        .post_oauth_client_secret()
        .client_id("c1")
        .call()
        .await
        .expect_err("503");
    assert_eq!(err.operation(), "postOauthClientSecret");
    let err = client
        .post_oauth_client_usage_query()
        .client_id("c1")
        .body(ApiUsageClientQuery::builder().interval("2025-08-01T00:00:00/2025-08-02T00:00:00"))
        .call()
        .await
        .expect_err("503");
    assert_eq!(err.operation(), "postOauthClientUsageQuery");
    server.verify().await;
}

#[tokio::test]
async fn retries_off_sends_once() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/clients")
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let err = client.get_oauth_clients().call().await.expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    server.verify().await;
}

#[tokio::test]
async fn not_found_error_body_and_correlation_id() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/clients/missing")
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header(
                    "ININ-Correlation-Id",
                    "c4f1b8e2-9a37-4d06-8e5b-2d7f0a3c6b91",
                )
                .set_body_json(json!({
                    "message": "The requested resource was not found.",
                    "code": "not.found",
                    "status": 404,
                    "contextId": "c4f1b8e2-9a37-4d06-8e5b-2d7f0a3c6b91",
                    "details": [{"errorCode": "client.missing", "entityId": "missing"}],
                    "errors": []
                })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .get_oauth_client()
        .client_id("missing")
        .call()
        .await
        .expect_err("404");
    assert_eq!(err.kind(), ErrorKind::Status);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let body = err.body().expect("ErrorBody");
    assert_eq!(body.code.as_deref(), Some("not.found"));
    assert_eq!(body.status, Some(404));
    assert_eq!(
        body.details[0].error_code.as_deref(),
        Some("client.missing")
    );
    assert_eq!(
        err.correlation_id(),
        Some("c4f1b8e2-9a37-4d06-8e5b-2d7f0a3c6b91")
    );
    assert_eq!(err.operation(), "getOauthClient");
    let text = err.to_string();
    assert!(text.contains("404") && text.contains("not.found"), "{text}");
}

#[tokio::test]
async fn garbage_body_on_200_is_invalid_body() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/clients/c1")
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ININ-Correlation-Id", "corr-1")
                .set_body_raw("<html>gateway says hi</html>", "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    api("GET", "/api/v2/oauth/scopes")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entities": "not-a-list"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let err = client
        .get_oauth_client()
        .client_id("c1")
        .call()
        .await
        .expect_err("garbage");
    assert_eq!(err.kind(), ErrorKind::InvalidBody);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.correlation_id(), Some("corr-1"));
    assert!(!err.to_string().contains("gateway says hi"));
    let err = client
        .get_oauth_scopes()
        .call()
        .await
        .expect_err("wrong shape");
    assert_eq!(err.kind(), ErrorKind::InvalidBody);
    assert!(!err.to_string().contains("not-a-list"), "{err}");
}

#[tokio::test]
async fn undocumented_status_is_a_status_error() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/scopes")
        .respond_with(
            ResponseTemplate::new(418).set_body_json(json!({"code": "teapot", "status": 418})),
        )
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .get_oauth_scopes()
        .call()
        .await
        .expect_err("418");
    assert_eq!(err.kind(), ErrorKind::Status);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(err.body().and_then(|b| b.code.as_deref()), Some("teapot"));
}

#[tokio::test]
async fn unreachable_server_is_a_communication_error() {
    // a port that was just free: nothing listens there
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let uri = format!("http://127.0.0.1:{port}");
    let err = client(&uri)
        .get_oauth_scopes()
        .call()
        .await
        .expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Communication);
    assert_eq!(err.status(), None);
}
