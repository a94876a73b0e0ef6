//! Issue 10: credentials go only where the spec asks for them, only to the configured
//! origin, never over plain http to another host, and never into an error.

use std::error::Error as _;
use std::fmt::Debug;

use bluejeans_api::{BlueJeans, Client, ErrorKind, Grant, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::RawQuery;

const MINE: &str = "my-own-token-7f3a";
const OTHER: &str = "someone-elses-token-91c2";

fn bearer(r: &Request) -> Option<String> {
    r.headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn access_tokens(r: &Request) -> Vec<String> {
    r.url
        .query_pairs()
        .filter(|(k, _)| k == "access_token")
        .map(|(_, v)| v.into_owned())
        .collect()
}

async fn catch_all(server: &MockServer, status: u16) {
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({"message": "no"})))
        .mount(server)
        .await;
}

fn token_client(server: &MockServer, in_query: bool) -> Client {
    let mut b = BlueJeans::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .access_token(MINE);
    if in_query {
        b = b.token_in_query();
    }
    b.build().unwrap()
}

/// Every text a user can get out of an error: Display, `{:#}`, Debug, `{:#?}`, and the
/// same for each `source()`.
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

fn debug_clean<T: Debug>(value: &T, secrets: &[&str]) {
    let text = format!("{value:?}{value:#?}");
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked:\n{text}");
    }
}

// 10.1 -------------------------------------------------------------------------------

#[tokio::test]
async fn operations_with_empty_security_never_get_the_clients_token() {
    for in_query in [false, true] {
        let server = MockServer::start().await;
        catch_all(&server, 400).await;
        let client = token_client(&server, in_query);
        let _ = client.token_info(OTHER).await;
        let _ = client.get_authorization_code().client_id("c").send().await;
        let _ = client.grant_password("joe", "pw-12345").await;
        let _ = client.grant_client("cid", "csecret-123").await;
        let _ = client.grant_meeting("123", "pass-1234").await;
        let _ = client
            .grant_code("cid", "csecret-123", "https://a.example/cb", "code-123")
            .await;
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 6);
        for r in &requests {
            assert_eq!(bearer(r), None, "{} {}", r.method, r.url);
            assert!(
                !access_tokens(r).contains(&MINE.to_owned()),
                "{} {}",
                r.method,
                r.url
            );
        }
        // tokenInfo carries exactly the token it was asked about.
        assert_eq!(access_tokens(&requests[0]), [OTHER]);
    }
}

#[tokio::test]
async fn operations_with_security_get_the_token_in_its_placement() {
    for in_query in [false, true] {
        let server = MockServer::start().await;
        catch_all(&server, 400).await;
        let client = token_client(&server, in_query);
        let _ = client.list_client_applications().user_id(1).call().await;
        let _ = client.grant_refresh("cid", "csecret-123", "ref-1234").await;
        let requests = server.received_requests().await.unwrap();
        for r in &requests {
            if in_query {
                assert_eq!(access_tokens(r), [MINE]);
                assert_eq!(bearer(r), None);
            } else {
                assert_eq!(bearer(r), Some(format!("Bearer {MINE}")));
                assert!(access_tokens(r).is_empty());
            }
        }
    }
}

// 10.2 -------------------------------------------------------------------------------

async fn grant_source_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(RawQuery(Some("Password")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": MINE, "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_token_passed_as_an_argument_is_never_replaced_after_a_401() {
    for in_query in [true, false] {
        let server = grant_source_server().await;
        Mock::given(method("DELETE"))
            .and(path("/oauth2/token"))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "bad"})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/oauth2/tokenInfo"))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "bad"})))
            .mount(&server)
            .await;
        let mut builder = BlueJeans::builder()
            .base_url(server.uri())
            .retry_policy(RetryPolicy::none())
            .grant(Grant::password("joe", "pw-12345"));
        if in_query {
            builder = builder.token_in_query();
        }
        let client = builder.build().unwrap();

        let e = client
            .revoke_token("cid", "csecret-123", OTHER)
            .await
            .unwrap_err();
        assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
        let e = client.token_info(OTHER).await.unwrap_err();
        assert_eq!(e.status().map(|s| s.as_u16()), Some(401));

        let requests = server.received_requests().await.unwrap();
        let calls: Vec<&Request> = requests
            .iter()
            .filter(|r| r.method.as_str() != "POST")
            .collect();
        // One request each: the 401 went back to the caller, nothing was sent again.
        assert_eq!(calls.len(), 2, "{requests:?}");
        // The argument is the only access_token on the wire: never the client's own.
        for r in &calls {
            assert_eq!(access_tokens(r), [OTHER], "{}", r.url);
        }
        // tokenInfo takes no credential; revoke gets the client's own token as
        // `Authorization: Bearer` beside the argument, in either placement (in query
        // placement the query slot holds the argument).
        assert_eq!(bearer(calls[1]), None);
        assert_eq!(bearer(calls[0]), Some(format!("Bearer {MINE}")));
        // No login was made again for these 401s.
        assert!(
            requests
                .iter()
                .filter(|r| r.method.as_str() == "POST")
                .count()
                <= 1
        );
    }
}

#[tokio::test]
async fn revoking_the_clients_own_token_in_query_placement_sends_it_once() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = token_client(&server, true);
    client
        .revoke_access_token()
        .body(bluejeans_api::types::GrantRequestRevoke {
            client_id: "cid".into(),
            client_secret: "csecret-123".into(),
        })
        .call()
        .await
        .unwrap();
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        r.url.query(),
        Some(format!("Revoke&access_token={MINE}").as_str())
    );
}

// 10.3 -------------------------------------------------------------------------------

#[tokio::test]
async fn no_redirect_to_another_origin_and_no_referer() {
    for status in [301u16, 302, 303, 307, 308] {
        let elsewhere = MockServer::start().await;
        catch_all(&elsewhere, 200).await;
        let server = MockServer::start().await;
        let target = format!("{}/steal?x=1", elsewhere.uri());
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(status).insert_header("Location", target.as_str()))
            .mount(&server)
            .await;

        let client = token_client(&server, true);
        let e = client
            .grant_password("joe", "pw-secret-12345")
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Redirect, "{status}: {e}");
        let text = e.to_string();
        assert!(text.contains(&status.to_string()), "{text}");
        assert!(text.contains("127.0.0.1"), "{text}");
        assert!(!text.contains("steal") && !text.contains("x=1"), "{text}");
        assert_clean(&e, &["pw-secret-12345", MINE]);

        let e = client
            .list_client_applications()
            .user_id(1)
            .send()
            .await
            .unwrap_err();
        assert_clean(&e, &[MINE]);
        assert!(
            elsewhere.received_requests().await.unwrap().is_empty(),
            "{status}: a request reached the other origin"
        );
    }
}

#[tokio::test]
async fn same_origin_redirects_are_followed_without_referer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/user/1/developer_applications"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/moved"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/moved"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = token_client(&server, true);
    client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.headers.get("referer").is_none()));
}

// 10.4 -------------------------------------------------------------------------------

#[test]
fn plain_http_to_another_host_is_refused_unless_asked_for() {
    for url in ["http://api.bluejeans.com", "http://10.0.0.1:8080"] {
        let e = BlueJeans::builder()
            .base_url(url)
            .access_token(MINE)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("plain http"), "{e}");
        assert!(BlueJeans::builder().base_url(url).build().is_err());
        assert!(
            BlueJeans::builder()
                .base_url(url)
                .build_token_source(Grant::password("joe", "pw-12345"))
                .is_err()
        );
        BlueJeans::builder()
            .base_url(url)
            .access_token(MINE)
            .danger_allow_insecure_http()
            .build()
            .unwrap();
    }
    for url in [
        "http://127.0.0.1:9",
        "http://localhost:9",
        "http://[::1]:9",
        "https://api.bluejeans.com",
    ] {
        BlueJeans::builder()
            .base_url(url)
            .access_token(MINE)
            .build()
            .unwrap();
    }
}

// 10.5 -------------------------------------------------------------------------------

#[tokio::test]
async fn send_and_call_errors_hold_no_url_token() {
    // A port nobody listens on: the connection is refused.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = BlueJeans::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(RetryPolicy::none())
        .access_token(MINE)
        .token_in_query()
        .build()
        .unwrap();
    let e = client
        .list_client_applications()
        .user_id(1)
        .send()
        .await
        .unwrap_err();
    assert_clean(&e, &[MINE]);
    let e = client.token_info(OTHER).await.unwrap_err();
    assert_clean(&e, &[OTHER, MINE]);
    // Issue 13.5: the cause is kept (without the URL), so a refused connection shows.
    assert_eq!(e.kind(), ErrorKind::Communication);
    let cause = e.source().expect("the cause is kept");
    assert!(
        all_text(cause).to_lowercase().contains("refused"),
        "{}",
        all_text(cause)
    );
}

#[tokio::test]
async fn token_responses_that_do_not_decode_show_no_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "tok-in-body-5e1", "refresh_token": 7, "expires_in": "soon"}),
        ))
        .mount(&server)
        .await;
    let client = crate::support::client(&server, None);
    let e = client
        .get_token_by_password()
        .body(bluejeans_api::types::GrantRequestPassword {
            grant_type: Default::default(),
            username: "joe".into(),
            password: "pw-12345".into(),
        })
        .send()
        .await
        .unwrap_err();
    assert_clean(&e, &["tok-in-body-5e1", "pw-12345"]);
    let e = client.grant_password("joe", "pw-12345").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidBody);
    assert_clean(&e, &["tok-in-body-5e1", "pw-12345"]);
    let e = client
        .grant_code("cid", "csecret-123", "https://a.example/cb", "code-123")
        .await
        .unwrap_err();
    assert_clean(&e, &["tok-in-body-5e1", "csecret-123", "code-123"]);
}

#[tokio::test]
async fn secrets_the_server_echoes_are_redacted_on_every_path() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|r: &Request| {
            // Echo the whole request: query, authorization and body.
            let echo = format!(
                "{} {} {}",
                r.url,
                bearer(r).unwrap_or_default(),
                String::from_utf8_lossy(&r.body)
            );
            ResponseTemplate::new(400)
                .insert_header("x-echo", echo.replace(['\n', '\r'], " ").as_str())
                .set_body_json(json!({"message": echo, "code": echo}))
        })
        .mount(&server)
        .await;
    let secrets = [
        "pw-secret-12345",
        "csecret-123",
        "code-123",
        "ref-1234",
        "pass-1234",
        MINE,
        OTHER,
    ];
    for in_query in [false, true] {
        let client = token_client(&server, in_query);
        let errors = vec![
            client
                .grant_password("joe", "pw-secret-12345")
                .await
                .unwrap_err(),
            client.grant_client("cid", "csecret-123").await.unwrap_err(),
            client.grant_meeting("123", "pass-1234").await.unwrap_err(),
            client
                .grant_code("cid", "csecret-123", "https://a.example/cb", "code-123")
                .await
                .unwrap_err(),
            client
                .grant_refresh("cid", "csecret-123", "ref-1234")
                .await
                .unwrap_err(),
            client
                .revoke_token("cid", "csecret-123", OTHER)
                .await
                .unwrap_err(),
            client.token_info(OTHER).await.unwrap_err(),
            client
                .list_client_applications()
                .user_id(1)
                .call()
                .await
                .unwrap_err(),
        ];
        for e in &errors {
            assert!(e.to_string().contains("[redacted]"), "{e}");
            assert_clean(e, &secrets);
            debug_clean(&e.body(), &secrets);
        }
        let e = client
            .get_token_info()
            .access_token(OTHER)
            .send()
            .await
            .unwrap_err();
        assert_clean(&e, &secrets);
        let e = client
            .list_client_applications()
            .user_id(1)
            .send()
            .await
            .unwrap_err();
        assert_clean(&e, &secrets);
    }

    // The token source's login: its error says why, without the password.
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .grant(Grant::password("joe", "pw-secret-12345"))
        .build()
        .unwrap();
    let e = client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_clean(&e, &secrets);
    let e = client
        .list_client_applications()
        .user_id(1)
        .send()
        .await
        .unwrap_err();
    assert_clean(&e, &secrets);
}

// 10.6 -------------------------------------------------------------------------------

#[tokio::test]
async fn a_put_without_body_sends_content_length_zero() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"clientSecret": "s"})))
        .mount(&server)
        .await;
    let client = token_client(&server, false);
    let _ = client
        .regenerate_client_application_secret()
        .user_id(1)
        .client_id("c")
        .call()
        .await;
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        r.headers
            .get("content-length")
            .and_then(|v| v.to_str().ok()),
        Some("0")
    );
}
