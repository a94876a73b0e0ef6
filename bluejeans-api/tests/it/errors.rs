//! Error paths: retries (429, 503), bounded give-up, broken and empty bodies.

use std::time::{Duration, Instant};

use bluejeans_api::{BlueJeans, ErrorKind, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{RawQuery, client};

fn quick_policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        max_elapsed: Duration::from_secs(5),
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

#[tokio::test]
async fn rate_limited_then_success_waits_for_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/user/1/developer_applications"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/user/1/developer_applications"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"appName": "A"}])))
        .with_priority(2)
        .expect(1)
        .mount(&server)
        .await;
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .access_token("tok")
        .build() // default retry policy: on
        .unwrap();

    let started = Instant::now();
    let list = client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap();

    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 was honoured"
    );
    assert_eq!(list[0].app_name.as_deref(), Some("A"));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn repeated_503_gives_up_within_the_policy() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/user/1/developer_applications"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"message": "down"})))
        .expect(3)
        .mount(&server)
        .await;
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .access_token("tok")
        .retry_policy(quick_policy())
        .build()
        .unwrap();

    let err = client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Status);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.operation(), "listClientApplications");
    assert_eq!(err.body().and_then(|b| b.message.as_deref()), Some("down"));
    assert!(err.to_string().contains("listClientApplications"));
    // one attempt plus max_retries
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn grant_posts_are_repeated_after_503_but_create_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Client")))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/user/1/developer_applications"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .access_token("tok")
        .retry_policy(quick_policy())
        .build()
        .unwrap();

    let err = client.grant_client("id", "secret").await.unwrap_err();
    assert_eq!(err.operation(), "getTokenByClient");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));

    let err = client
        .create_client_application()
        .user_id(1)
        .body(bluejeans_api::types::Application::default())
        .call()
        .await
        .unwrap_err();
    assert_eq!(err.operation(), "createClientApplication");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    // The expectations (3 grant attempts, 1 create attempt) are verified on drop.
}

#[tokio::test]
async fn garbage_body_on_200_is_invalid_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oauth2/tokenInfo"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("not json", "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, None).token_info("t").await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::InvalidBody);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.operation(), "getTokenInfo");
    assert!(err.body().is_none());
}

#[tokio::test]
async fn empty_401_is_a_status_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/user/1/developer_applications"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, Some("tok"))
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Status);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(err.body().is_none());
    assert_eq!(err.operation(), "listClientApplications");
}

#[tokio::test]
async fn error_body_message_is_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Password")))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "Invalid username or password."}))
                .insert_header("x-request-id", "req-7"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server, None)
        .grant_password("joe", "pw")
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        err.body().and_then(|b| b.message.as_deref()),
        Some("Invalid username or password.")
    );
    assert_eq!(err.correlation_id(), Some("req-7"));
}
