//! Issue 11 for the PureCloud client: no panic from a token response or a setter, failed
//! logins shared and bounded, response bodies capped, short-lived tokens kept.

use std::sync::Arc;
use std::time::{Duration, Instant};

use purecloud_oauth_api::{Client, ErrorKind, PureCloud, RetryPolicy};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::login::{CLIENT_ID, CLIENT_SECRET, login_mock};

async fn server_with_login(token: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    login_mock()
        .respond_with(ResponseTemplate::new(200).set_body_json(token))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/oauth/clients"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entities": []})))
        .mount(&server)
        .await;
    server
}

fn cc(uri: &str) -> Client {
    PureCloud::builder()
        .base_urls(uri, uri)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

async fn logins(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .count()
}

#[tokio::test]
async fn the_login_response_that_used_to_panic() {
    let server = server_with_login(
        json!({"access_token": "x-token", "token_type": "bearer", "expires_in": 9223372036854775807i64}),
    )
    .await;
    let c = cc(&server.uri());
    for _ in 0..3 {
        c.get_oauth_clients().call().await.unwrap();
    }
    assert_eq!(logins(&server).await, 1);
}

#[tokio::test]
async fn renew_before_of_any_length_never_panics_and_short_tokens_are_kept() {
    for (expires_in, margin) in [
        (30, Duration::from_secs(60)),
        (30, Duration::MAX),
        (3600, Duration::MAX),
        (3600, Duration::ZERO),
    ] {
        let server = server_with_login(
            json!({"access_token": "t-short", "token_type": "bearer", "expires_in": expires_in}),
        )
        .await;
        let c = PureCloud::builder()
            .base_urls(server.uri(), server.uri())
            .client_credentials(CLIENT_ID, CLIENT_SECRET)
            .renew_before(margin)
            .build()
            .unwrap();
        for _ in 0..4 {
            c.get_oauth_clients().call().await.unwrap();
        }
        assert_eq!(
            logins(&server).await,
            1,
            "{expires_in} s, margin {margin:?}"
        );
    }
}

#[tokio::test]
async fn fifty_callers_share_one_failed_login() {
    let server = MockServer::start().await;
    login_mock()
        .respond_with(
            ResponseTemplate::new(400)
                .set_delay(Duration::from_millis(300))
                .set_body_json(json!({"error": "invalid_client"})),
        )
        .mount(&server)
        .await;
    let c = Arc::new(cc(&server.uri()));
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.get_oauth_clients().call().await.unwrap_err() })
        })
        .collect();
    for call in calls {
        let e = call.await.unwrap();
        assert_eq!(e.kind(), ErrorKind::Auth);
        assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    }
    assert_eq!(logins(&server).await, 1);
}

#[tokio::test]
async fn a_hanging_login_holds_no_caller_past_its_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let c = Arc::new(
        PureCloud::builder()
            .base_urls(&uri, &uri)
            .client_credentials(CLIENT_ID, CLIENT_SECRET)
            .timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap(),
    );
    let started = Instant::now();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move {
                let e = c.get_oauth_clients().call().await.unwrap_err();
                (e.kind(), started.elapsed())
            })
        })
        .collect();
    for call in calls {
        let (kind, waited) = call.await.unwrap();
        assert_eq!(kind, ErrorKind::Auth);
        assert!(waited < Duration::from_secs(2), "waited {waited:?}");
    }
}

#[tokio::test]
async fn an_endless_body_stops_at_the_cap() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                let _ = stream.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut frame = b"10000\r\n".to_vec();
                frame.extend(std::iter::repeat_n(b'[', 0x10000));
                frame.extend_from_slice(b"\r\n");
                while stream.write_all(&frame).await.is_ok() {}
            });
        }
    });
    let c = PureCloud::builder()
        .base_urls(&uri, &uri)
        .access_token("t-1234")
        .retry_policy(RetryPolicy::none())
        .max_response_bytes(256 * 1024)
        .build()
        .unwrap();
    let e = c.get_oauth_clients().call().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BodyTooLarge, "{e}");
    assert!(e.to_string().contains("getOauthClients") && e.to_string().contains("262144"));
}

#[tokio::test]
async fn extreme_timeouts_and_retry_bounds_are_honoured() {
    let server = server_with_login(
        json!({"access_token": "t-x", "token_type": "bearer", "expires_in": 3600}),
    )
    .await;
    let c = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .renew_before(Duration::MAX)
        .max_response_bytes(usize::MAX)
        .retry_policy(RetryPolicy {
            max_retries: u32::MAX,
            max_elapsed: Duration::MAX,
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            default_retry_after: Duration::MAX,
            max_retry_after: Duration::MAX,
        })
        .build()
        .unwrap();
    c.get_oauth_clients().call().await.unwrap();
}

#[tokio::test]
async fn usage_polling_of_any_length_never_overflows() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/oauth/clients/c1/usage/query/results/e1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"queryStatus": "Running"})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/oauth/clients/c1/usage/query/results/e1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"queryStatus": "Complete"})))
        .with_priority(2)
        .mount(&server)
        .await;
    let c = crate::common::client(&server.uri());
    // A zero interval polls at once; Duration::MAX as the limit is no limit.
    for polling in [
        purecloud_oauth_api::UsagePolling::new(Duration::ZERO, Duration::MAX),
        purecloud_oauth_api::UsagePolling::new(Duration::from_millis(1), Duration::MAX),
    ] {
        c.wait_for_usage_result("c1", "e1", polling).await.unwrap();
    }
    // A zero limit gives up after the first poll that is not Complete.
    let server2 = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"queryStatus": "Running"})))
        .mount(&server2)
        .await;
    let e = crate::common::client(&server2.uri())
        .wait_for_usage_result(
            "c1",
            "e1",
            purecloud_oauth_api::UsagePolling::new(Duration::MAX, Duration::ZERO),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, purecloud_oauth_api::UsageError::TimedOut { .. }),
        "{e:?}"
    );
}
