use std::time::Duration;

use purecloud_oauth_api::{Client, PureCloud, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Match, MockBuilder, Request};

/// The fixed access token of `client()`.
pub const TOKEN: &str = "tok-4f1c9a7e-fixed-access-token";

/// A retry policy that keeps the tests fast: 2 retries, millisecond backoffs.
pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        max_elapsed: Duration::from_secs(10),
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        default_retry_after: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
    }
}

/// A client for `uri` (API and login) with the fixed token `TOKEN`.
pub fn client(uri: &str) -> Client {
    PureCloud::builder()
        .base_urls(uri, uri)
        .access_token(TOKEN)
        .retry_policy(quick_retry())
        .build()
        .expect("client")
}

/// Matches requests without header `0`.
pub struct NoHeader(pub &'static str);

impl Match for NoHeader {
    fn matches(&self, request: &Request) -> bool {
        !request.headers.contains_key(self.0)
    }
}

/// A mock for an API call: method, path, the bearer token, `Accept: application/json`, and no
/// progenitor `api-version` header.
pub fn api(verb: &str, p: &str) -> MockBuilder {
    api_with_token(verb, p, TOKEN)
}

/// [`api`] with another expected token.
pub fn api_with_token(verb: &str, p: &str, token: &str) -> MockBuilder {
    wiremock::Mock::given(method(verb))
        .and(path(p))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .and(header("accept", "application/json"))
        .and(NoHeader("api-version"))
}
