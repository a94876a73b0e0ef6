//! Issue 11: bounded under hostile or broken servers: no panic from any value a server
//! sends or a setter takes, failed logins shared, memory capped, short-lived tokens kept.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bluejeans_api::{BlueJeans, Client, ErrorKind, Grant, GrantFetcher, RetryPolicy, TokenSource};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::RawQuery;

/// A login answering `body` (status 200) and a list endpoint answering `[]`.
async fn server_with_login(body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Password")))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/user/1/developer_applications"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    server
}

fn grant_client(server: &MockServer) -> Client {
    BlueJeans::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .grant(Grant::password("joe", "pw-12345"))
        .build()
        .unwrap()
}

async fn logins(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .count()
}

// 11.1 -------------------------------------------------------------------------------

#[tokio::test]
async fn a_huge_expires_in_does_not_panic() {
    for expires_in in [i64::MAX, u32::MAX as i64 * 1000, i64::MIN] {
        let server = server_with_login(
            json!({"access_token": "x-token", "token_type": "bearer", "expires_in": expires_in}),
        )
        .await;
        let client = grant_client(&server);
        for _ in 0..3 {
            client
                .list_client_applications()
                .user_id(1)
                .call()
                .await
                .unwrap();
        }
        assert_eq!(logins(&server).await, 1, "expires_in {expires_in}");
    }
}

// 11.4 -------------------------------------------------------------------------------

#[tokio::test]
async fn a_short_lived_token_serves_most_of_its_life() {
    let server = server_with_login(json!({"access_token": "short", "expires_in": 30})).await;
    let client = grant_client(&server);
    for _ in 0..5 {
        client
            .list_client_applications()
            .user_id(1)
            .call()
            .await
            .unwrap();
    }
    assert_eq!(logins(&server).await, 1);
}

#[tokio::test]
async fn a_two_second_token_is_renewed_before_it_expires() {
    let server = server_with_login(json!({"access_token": "brief", "expires_in": 2})).await;
    let client = grant_client(&server);
    client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap();
    client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap();
    assert_eq!(logins(&server).await, 1);
    // A quarter of its life before expiry (1.5 s in), it is renewed.
    tokio::time::sleep(Duration::from_millis(1700)).await;
    client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap();
    assert_eq!(logins(&server).await, 2);
}

#[tokio::test]
async fn zero_negative_or_missing_expires_in_means_use_until_a_401() {
    for body in [
        json!({"access_token": "t0", "expires_in": 0}),
        json!({"access_token": "t0", "expires_in": -5}),
        json!({"access_token": "t0"}),
    ] {
        let server = server_with_login(body.clone()).await;
        let client = grant_client(&server);
        for _ in 0..3 {
            client
                .list_client_applications()
                .user_id(1)
                .call()
                .await
                .unwrap();
        }
        assert_eq!(logins(&server).await, 1, "{body}");
    }
}

// 11.2 -------------------------------------------------------------------------------

#[tokio::test]
async fn concurrent_callers_share_a_failed_login() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_delay(Duration::from_millis(300))
                .set_body_json(json!({"message": "Invalid grant."})),
        )
        .mount(&server)
        .await;
    let client = Arc::new(grant_client(&server));
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .list_client_applications()
                    .user_id(1)
                    .call()
                    .await
                    .unwrap_err()
            })
        })
        .collect();
    for call in calls {
        let e = call.await.unwrap();
        assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
        assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    }
    assert_eq!(logins(&server).await, 1);
    // The next call (after the failure) tries again.
    let _ = client.list_client_applications().user_id(1).call().await;
    assert_eq!(logins(&server).await, 2);
}

/// A server that accepts connections, reads the request, and never answers.
async fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn no_caller_waits_longer_than_its_timeout_for_a_hanging_login() {
    let base = silent_server().await;
    let client = Arc::new(
        BlueJeans::builder()
            .base_url(&base)
            .timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::none())
            .grant(Grant::password("joe", "pw-12345"))
            .build()
            .unwrap(),
    );
    let started = Instant::now();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let e = client
                    .list_client_applications()
                    .user_id(1)
                    .call()
                    .await
                    .unwrap_err();
                (e.kind(), started.elapsed())
            })
        })
        .collect();
    for call in calls {
        let (kind, waited) = call.await.unwrap();
        assert_eq!(kind, ErrorKind::Auth);
        // Served one after another, the last would wait 20 × 300 ms = 6 s.
        assert!(waited < Duration::from_secs(2), "waited {waited:?}");
    }
}

// 11.3 -------------------------------------------------------------------------------

/// A server that answers every request with `head` and then an endless chunked body.
async fn endless_server(status: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(endless(stream, status));
        }
    });
    format!("http://{addr}")
}

async fn endless(mut stream: TcpStream, status: &'static str) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let start = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    if stream.write_all(start.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b' '; 64 * 1024];
    let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
    frame.extend_from_slice(&chunk);
    frame.extend_from_slice(b"\r\n");
    while stream.write_all(&frame).await.is_ok() {}
}

#[tokio::test]
async fn an_endless_body_fails_at_the_cap_naming_operation_and_cap() {
    for status in ["200 OK", "500 Internal Server Error", "418 I'm a teapot"] {
        let base = endless_server(status).await;
        let client = BlueJeans::builder()
            .base_url(&base)
            .retry_policy(RetryPolicy::none())
            .access_token("tok-1234")
            .max_response_bytes(1024 * 1024)
            .build()
            .unwrap();
        let started = Instant::now();
        let e = client
            .list_client_applications()
            .user_id(1)
            .call()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BodyTooLarge, "{status}: {e}");
        let text = e.to_string();
        assert!(text.contains("listClientApplications"), "{text}");
        assert!(text.contains("1048576"), "{text}");
        assert!(started.elapsed() < Duration::from_secs(10));
        // send() stops at the cap too; the BodyTooLarge is in its source() chain.
        let e = client
            .list_client_applications()
            .user_id(1)
            .send()
            .await
            .unwrap_err();
        let cap = oauth_client_runtime::http::find_cause::<oauth_client_runtime::BodyTooLarge>(&e)
            .unwrap_or_else(|| panic!("{e:?}"));
        assert_eq!(
            (cap.operation, cap.limit),
            ("listClientApplications", 1024 * 1024)
        );
    }
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "x".repeat(4096)})),
        )
        .mount(&server)
        .await;
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .max_response_bytes(1000)
        .build()
        .unwrap();
    let e = client.grant_password("joe", "pw-12345").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BodyTooLarge);
    assert!(e.to_string().contains("getTokenByPassword") && e.to_string().contains("1000"));
    // The default cap takes it.
    let client = crate::support::client(&server, None);
    client.grant_password("joe", "pw-12345").await.unwrap();
}

// 11.6 -------------------------------------------------------------------------------

#[tokio::test]
async fn extreme_settings_are_honoured_without_overflow() {
    let server = server_with_login(json!({"access_token": "t-extreme", "expires_in": 3600})).await;
    let extreme = RetryPolicy {
        max_retries: u32::MAX,
        max_elapsed: Duration::MAX,
        initial_backoff: Duration::MAX,
        max_backoff: Duration::MAX,
        default_retry_after: Duration::MAX,
        max_retry_after: Duration::MAX,
    };
    for (timeout, retry) in [
        (Duration::MAX, extreme.clone()),
        (Duration::from_secs(u64::MAX / 2), RetryPolicy::none()),
        (Duration::from_nanos(u64::MAX), extreme),
    ] {
        let client = BlueJeans::builder()
            .base_url(server.uri())
            .timeout(timeout)
            .connect_timeout(timeout)
            .retry_policy(retry)
            .max_response_bytes(usize::MAX)
            .grant(Grant::password("joe", "pw-12345"))
            .build()
            .unwrap();
        client
            .list_client_applications()
            .user_id(1)
            .call()
            .await
            .unwrap();
    }
    // A renewal margin of any length, Duration::MAX included.
    for margin in [Duration::ZERO, Duration::MAX] {
        let login = BlueJeans::builder().base_url(server.uri()).build().unwrap();
        let source = TokenSource::with_margin(
            GrantFetcher::new(Grant::password("joe", "pw-12345"), login),
            margin,
        );
        for _ in 0..3 {
            assert_eq!(source.access_token().await.unwrap().expose(), "t-extreme");
        }
    }
}
