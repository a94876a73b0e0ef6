//! The constructs client over the wire, against a wiremock server on 127.0.0.1: each
//! construct of `generator/tests/specs/constructs.yaml` sends what the spec says and decodes
//! what comes back.

use constructs_api::spec::{AUTHENTICATED_OPERATIONS, RETRY_SAFE_OPERATIONS};
use constructs_api::types::{GrantRequestPassword, GrantType, RevokeAccessTokenBody};
use constructs_api::{Client, Secret};
use oauth_client_runtime::builder::ClientOptions;
use oauth_client_runtime::{Credentials, ErrorKind, Operations, Placement, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "client-token-0123";

/// A client of `server` with a fixed token, built by the runtime's checked path.
fn client(server: &MockServer, retry: RetryPolicy) -> Client {
    let mut options = ClientOptions::new("constructs-api-tests");
    options.set_retry_policy(retry);
    let connection = options
        .connect(
            "base URL",
            &server.uri(),
            Operations {
                retry_safe: RETRY_SAFE_OPERATIONS,
                authenticated: AUTHENTICATED_OPERATIONS,
            },
        )
        .expect("loopback base URL");
    Client::new_with_client(
        connection.base_url(),
        connection.http().clone(),
        connection.runtime(Credentials::Token(Secret::new(TOKEN)), Placement::Bearer),
    )
}

fn authorization(request: &Request) -> Option<String> {
    request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn a_query_marker_login_sends_its_body_and_no_credential_and_is_retried_after_a_503() {
    let server = MockServer::start().await;
    // `lifetime` and `remember` are not set: the builder starts them at the spec's defaults.
    let sent = json!({
        "grant_type": "password", "username": "joe", "password": "pw-secret-1",
        "lifetime": 3600, "remember": false
    });
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(body_json(&sent))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "issued-1", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    let body = GrantRequestPassword::builder()
        .username("joe")
        .password("pw-secret-1");
    let grant = client(&server, RetryPolicy::default())
        .get_token_by_password()
        .body(body)
        .call()
        .await
        .expect("granted after one retry")
        .into_inner();
    assert_eq!(
        grant.access_token.as_ref().map(Secret::expose),
        Some("issued-1")
    );
    assert_eq!(grant.expires_in, Some(3600));

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2, "x-retry-safe: sent again after the 503");
    for request in &requests {
        // The marker stays a bare query key; `security: []`: the client's token is not sent.
        assert_eq!(request.url.query(), Some("Password"));
        assert_eq!(authorization(request), None);
    }
}

#[tokio::test]
async fn a_path_parameter_is_encoded_the_header_and_query_go_out_and_202_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/clients/a%2Fb%20c"))
        .and(query_param("days", "30"))
        .and(header("accept-language", "de-de"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "name": "n",
            "authorizedGrantType": "SAML2-BEARER",
            "dateCreated": "2025-08-14T09:30:00.000Z",
            "messageParams": {"a": "b"}
        })))
        .mount(&server)
        .await;
    let response = client(&server, RetryPolicy::none())
        .get_client()
        .client_id("a/b c")
        .days("30")
        .accept_language("de-de")
        .call()
        .await
        .expect("202 is documented");
    assert_eq!(response.status().as_u16(), 202);
    let found = response.into_inner();
    assert_eq!(found.authorized_grant_type, GrantType::Saml2Bearer);
    assert_eq!(found.message_params.get("a").map(String::as_str), Some("b"));
    assert_eq!(
        found.date_created.map(|d| d.timestamp()),
        Some(1_755_163_800)
    );
}

#[tokio::test]
async fn an_operation_without_error_responses_still_fails_with_the_crates_error() {
    // getClient documents no error response (progenitor's error type has no body there):
    // its `call()` returns the crate's `Error` all the same, with the status and the body
    // decoded where it is the error shape.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/clients/x"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no such"})))
        .mount(&server)
        .await;
    let err = client(&server, RetryPolicy::none())
        .get_client()
        .client_id("x")
        .call()
        .await
        .expect_err("404 is not documented");
    assert_eq!(err.operation(), "getClient");
    assert_eq!(err.kind(), ErrorKind::Status);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        err.body().and_then(|b| b.message.as_deref()),
        Some("no such")
    );
}

#[tokio::test]
async fn a_2xx_range_without_a_body_and_an_inline_body_model() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/clients/c-1"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/oauth2/token"))
        .and(query_param("access_token", "theirs-0123"))
        .and(body_json(json!({"client_id": "app-1"})))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::none());
    let deleted = client
        .delete_client()
        .client_id("c-1")
        .call()
        .await
        .expect("2XX");
    assert_eq!(deleted.status().as_u16(), 204);
    client
        .revoke_access_token()
        .access_token(Secret::new("theirs-0123"))
        .body(RevokeAccessTokenBody::builder().client_id("app-1"))
        .call()
        .await
        .expect("204");

    let requests = server.received_requests().await.expect("recorded");
    let revoke = requests
        .iter()
        .find(|r| r.url.path() == "/oauth2/token")
        .expect("revoke sent");
    // The caller's token stays in the query, alone; the client's goes in the header.
    assert_eq!(revoke.url.query(), Some("Revoke&access_token=theirs-0123"));
    assert_eq!(authorization(revoke), Some(format!("Bearer {TOKEN}")));
}
