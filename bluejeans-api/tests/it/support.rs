//! Shared helpers: a matcher for the raw query string, and request inspection.

use bluejeans_api::{BlueJeans, Client, RetryPolicy};
use serde_json::Value;
use wiremock::{Match, MockServer, Request};

/// Matches when the raw query string is exactly this (`None`: no query at all). wiremock's
/// `path` ignores the query, so the `?Password` markers need this.
pub struct RawQuery(pub Option<&'static str>);

impl Match for RawQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query() == self.0
    }
}

/// A client for `server` with no retries and, if given, a fixed bearer token.
pub fn client(server: &MockServer, token: Option<&str>) -> Client {
    let mut builder = BlueJeans::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none());
    if let Some(token) = token {
        builder = builder.access_token(token);
    }
    builder.build().expect("client builds")
}

/// The one request the server received.
pub async fn single_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// Asserts method, path, exact raw query, no `api-version` header, and the `Authorization`
/// header (`Some(token)`: `Bearer token`; `None`: absent).
pub fn assert_request(
    request: &Request,
    method: &str,
    path: &str,
    query: Option<&str>,
    bearer: Option<&str>,
) {
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path);
    assert_eq!(request.url.query(), query);
    assert!(
        request.headers.get("api-version").is_none(),
        "api-version header must be stripped"
    );
    let authorization = request
        .headers
        .get("authorization")
        .map(|v| v.to_str().expect("ascii header").to_owned());
    assert_eq!(authorization, bearer.map(|t| format!("Bearer {t}")));
}

/// The request body as JSON.
pub fn body_json(request: &Request) -> Value {
    assert_eq!(
        request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    serde_json::from_slice(&request.body).expect("JSON request body")
}
