//! [`Runtime`]: what the crates' `ClientHooks` impls delegate to. It attaches the
//! credential, retries within the [`RetryPolicy`], renews the token once on a 401, and
//! records a `tracing` span per operation. (progenitor's `api-version` header is removed by
//! the generator, so it never reaches here.)

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, HeaderValue};
use reqwest::{Request, Response};
use tracing::Instrument;

use crate::retry::{classify_result, is_idempotent};
use crate::{Redactor, RetryPolicy, Secret, TokenSource};

/// Where the access token goes on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// `Authorization: Bearer <token>` (marked sensitive, so it is never logged).
    #[default]
    Bearer,
    /// A query parameter of this name. Tokens in URLs end up in proxy and server logs:
    /// use only where the API requires it.
    Query(&'static str),
}

/// The credential a client sends.
#[derive(Clone, Default)]
pub enum Credentials {
    /// None: for the operations that need no token (logins).
    #[default]
    None,
    /// One fixed access token.
    Token(Secret),
    /// A token source that caches, renews before expiry, and renews once on a 401.
    Source(Arc<TokenSource>),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::None => f.write_str("None"),
            Credentials::Token(t) => f.debug_tuple("Token").field(t).finish(),
            Credentials::Source(s) => f.debug_tuple("Source").field(s).finish(),
        }
    }
}

/// The operation lists of a generated module, from its spec: what the [`Runtime`] needs to
/// know about the operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Operations {
    /// Operations (the spec's operationIds) that may be sent again after a 502/503/504
    /// although their method is not idempotent (a login, a read-only query sent as POST):
    /// the generated `RETRY_SAFE_OPERATIONS`, from `x-retry-safe: true` in the spec.
    pub retry_safe: &'static [&'static str],
    /// Operations (operationIds) that carry the client's credential: the generated
    /// `AUTHENTICATED_OPERATIONS`, from the spec's `security`. Every other operation is
    /// sent without it; an empty list sends it nowhere.
    pub authenticated: &'static [&'static str],
}

/// The origin (scheme, host, port) a [`Runtime`] sends to, kept apart so that the check of
/// each request compares strings without allocating.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: Option<u16>,
}

impl Origin {
    fn of(url: &reqwest::Url) -> Self {
        Origin {
            scheme: url.scheme().to_owned(),
            host: url.host_str().unwrap_or_default().to_owned(),
            port: url.port_or_known_default(),
        }
    }

    fn matches(&self, url: &reqwest::Url) -> bool {
        url.scheme() == self.scheme
            && url.host_str() == Some(self.host.as_str())
            && url.port_or_known_default() == self.port
    }
}

/// The shared state behind a generated `Client` (its progenitor "inner" type).
///
/// Its fields are private: a `Runtime` comes only from
/// [`Connection::runtime`](crate::builder::Connection::runtime), after the base URL passed
/// the checks of [`ClientOptions::connect`](crate::builder::ClientOptions::connect) (https,
/// or http to loopback unless allowed, no query), with the HTTP client built there (its
/// timeouts, user agent and same-origin redirect policy). Every request is sent with that
/// HTTP client, and a request to another origin than the checked one is refused before it
/// is sent, so `Client::new(other_url, runtime)` cannot skip the checks.
#[derive(Debug, Clone)]
pub struct Runtime {
    http: reqwest::Client,
    base_url: String,
    origin: Origin,
    retry: RetryPolicy,
    credentials: Credentials,
    placement: Placement,
    operations: Operations,
    max_response_bytes: usize,
    /// The `Authorization: Bearer` value of the client's token, built once per token (for a
    /// fixed token, at construction) rather than formatted and validated on every request.
    bearer: BearerCache,
}

/// The `Authorization` value of the client's current token, with that token: a token
/// source's new token gets a new value. Shared by the clones of a [`Runtime`] (they share its
/// credential); `Debug` shows nothing of it.
#[derive(Clone, Default)]
struct BearerCache(Arc<std::sync::Mutex<Option<(Secret, HeaderValue)>>>);

impl fmt::Debug for BearerCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerCache")
    }
}

impl BearerCache {
    /// A cache for `credentials`: holding a fixed token's value already.
    fn for_credentials(credentials: &Credentials) -> Self {
        let cache = BearerCache::default();
        if let Credentials::Token(token) = credentials {
            // An invalid token is reported when a request would carry it.
            let _ = cache.value(token);
        }
        cache
    }

    /// The sensitive `Authorization: Bearer` value of `token`, from the cache when `token`
    /// is the one it was built for.
    fn value(&self, token: &Secret) -> Result<HeaderValue, String> {
        let mut slot = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((cached, value)) = slot.as_ref()
            && cached == token
        {
            return Ok(value.clone());
        }
        let value = bearer_value(token)?;
        *slot = Some((token.clone(), value.clone()));
        Ok(value)
    }
}

/// The sensitive `Authorization: Bearer` value of `token`.
fn bearer_value(token: &Secret) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| "the access token is not a valid header value".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}

impl Runtime {
    /// Built by [`crate::builder::Connection::runtime`] only.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        http: reqwest::Client,
        base_url: &reqwest::Url,
        retry: RetryPolicy,
        credentials: Credentials,
        placement: Placement,
        operations: Operations,
        max_response_bytes: usize,
    ) -> Self {
        Runtime {
            http,
            base_url: base_url.as_str().trim_end_matches('/').to_owned(),
            origin: Origin::of(base_url),
            retry,
            bearer: BearerCache::for_credentials(&credentials),
            credentials,
            placement,
            operations,
            max_response_bytes,
        }
    }

    /// The same runtime (HTTP client, origin, retry policy, operations, cap) with another
    /// credential: for a login that must send a different token than the client's (the
    /// BlueJeans refresh grant sends the previous access token).
    pub fn with_credentials(&self, credentials: Credentials, placement: Placement) -> Runtime {
        Runtime {
            bearer: BearerCache::for_credentials(&credentials),
            credentials,
            placement,
            ..self.clone()
        }
    }

    /// The checked base URL (without a trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The HTTP client every request of this runtime is sent with.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The credential the runtime attaches.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Where the token goes.
    pub fn placement(&self) -> Placement {
        self.placement
    }

    /// The operation lists of the generated module.
    pub fn operations(&self) -> Operations {
        self.operations
    }

    /// The cap on a response body, in bytes.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

impl Runtime {
    /// Whether the client's credential goes on this request of `operation`: the spec asks
    /// for one, the client has one, and the caller did not give the request its own (an
    /// explicit `access_token` argument or `Authorization` header), which is never replaced.
    fn attaches(&self, request: &Request, operation: &str) -> bool {
        !self.has_own_credential(request) && self.attaches_to(operation)
    }

    /// Whether the client's credential goes on requests of `operation` that carry no
    /// `Authorization` header of the caller's: the spec asks for one and the client has one.
    fn attaches_to(&self, operation: &str) -> bool {
        !matches!(self.credentials, Credentials::None)
            && self.operations.authenticated.contains(&operation)
    }

    /// The pre-send step (progenitor's `pre` hook): where `operation` will carry the
    /// client's token and it comes from a token source, gets the token (logging in if need
    /// be), so that a failed login is reported as such. The token is attached by
    /// [`Runtime::execute`], which decides once per request.
    ///
    /// A request to another origin than the runtime's checked base URL is refused here,
    /// before anything is sent (the message names its host, never its path or query).
    pub async fn prepare(&self, request: &mut Request, operation: &str) -> Result<(), String> {
        if !self.origin.matches(request.url()) {
            return Err(format!(
                "{operation}: the request goes to host `{}`, not to the client's checked base URL `{}`: refused (build the client with its builder)",
                request.url().host_str().unwrap_or_default(),
                self.base_url
            ));
        }
        let Credentials::Source(source) = &self.credentials else {
            return Ok(());
        };
        if !self.attaches(request, operation) {
            return Ok(());
        }
        source.access_token().await.map(drop).map_err(|e| {
            // The login endpoint's status stays on the ApiError (kind Auth).
            if let Some(status) = e.status.and_then(|s| reqwest::StatusCode::from_u16(s).ok()) {
                crate::error::record(status, &reqwest::header::HeaderMap::new());
            }
            e.to_string()
        })
    }

    /// Whether the caller gave the request an `Authorization` header of its own, which is
    /// never replaced. A token the caller passes as a query argument (revoke's) leaves the
    /// header free: the client's token goes there ([`Runtime::placement_for`]).
    fn has_own_credential(&self, request: &Request) -> bool {
        request.headers().contains_key(AUTHORIZATION)
    }

    /// Where the client's token goes on `request`: the configured placement, except that
    /// in query placement a request whose query already holds that parameter (the token
    /// the caller passes to revoke) gets it as `Authorization: Bearer`. Two values under
    /// one query name would leave the server to pick one of them (it might revoke the
    /// caller's own token); the header keeps both on the wire, each in its own place. The
    /// BlueJeans spec allows `bearer` wherever it allows `access_token`.
    fn placement_for(&self, request: &Request) -> Placement {
        match self.placement {
            Placement::Query(name) if request.url().query_pairs().any(|(k, _)| k == name) => {
                Placement::Bearer
            }
            placement => placement,
        }
    }

    fn attach(&self, request: &mut Request, token: &Secret) -> Result<(), String> {
        match self.placement_for(request) {
            Placement::Bearer => {
                let value = self.bearer.value(token)?;
                request.headers_mut().insert(AUTHORIZATION, value);
            }
            Placement::Query(name) => {
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(name, token.expose());
            }
        }
        Ok(())
    }

    /// The client's current token: the fixed one, or the token source's (cached, or
    /// renewed where it expired since [`Runtime::prepare`]).
    async fn current_token(&self) -> Option<Cow<'_, Secret>> {
        match &self.credentials {
            Credentials::None => None,
            // Borrowed: a fixed token is not copied per request.
            Credentials::Token(token) => Some(Cow::Borrowed(token)),
            Credentials::Source(source) => match source.access_token().await {
                Ok(token) => Some(Cow::Owned(token)),
                Err(e) => {
                    tracing::warn!(error = %e, "no token: the request goes without one");
                    None
                }
            },
        }
    }

    /// Sends `request` (progenitor's `exec` hook): attaches the client's credential where
    /// the spec asks for one and the caller gave none, repeats the request within the retry
    /// policy, renews the token once on a 401 (only a token it attached itself), caps the
    /// response body, redacts the credentials of the request from an error response, and
    /// strips the URL from a failure (a query token would show in it). `operation` names the
    /// span.
    pub async fn execute(
        &self,
        request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        let span = tracing::info_span!(
            "api_call",
            operation,
            method = %request.method(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        self.execute_inner(request, operation)
            .instrument(span)
            .await
            .map_err(reqwest::Error::without_url)
    }

    async fn execute_inner(
        &self,
        mut request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        let started = Instant::now();
        let safe =
            is_idempotent(request.method()) || self.operations.retry_safe.contains(&operation);
        // What the caller put on the request, looked at once: its own `Authorization`
        // header (never replaced) and credential query parameters (revoke's or tokenInfo's
        // `access_token`).
        let own_header = self.has_own_credential(&request);
        let own_query = has_credential_query(&request);
        let attaches = !own_header && self.attaches_to(operation);
        // A request that carries a credential the caller gave is never sent again with a
        // renewed token: its 401 may be about the caller's credential, and goes back to the
        // caller.
        let renewable = attaches && !own_query;
        // What the APIs' own SDKs send: a POST or PUT without a body says `Content-Length: 0`.
        if request.body().is_none()
            && matches!(
                *request.method(),
                reqwest::Method::POST | reqwest::Method::PUT | reqwest::Method::PATCH
            )
        {
            request
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        // The credentials the caller put on the request (header, query, body fields), for
        // redacting an error answer; the client's own token is added in `finish`, only when
        // one is needed. A request with none of the three has nothing to collect.
        let mut redactor = Redactor::new();
        if own_header || own_query || request.body().is_some() {
            redactor.add_request(&request);
        }
        let mut retries = 0u32;
        let mut renewed = false;
        loop {
            // A copy to send again, only where a retry or a renewal can still happen. The
            // original goes out and the copy is kept: the original's header map has room
            // for the `Authorization` header, a copy's is cut to size.
            let may_repeat = retries < self.retry.max_retries
                || (renewable && !renewed && matches!(self.credentials, Credentials::Source(_)));
            let mut kept = if may_repeat {
                copy_request(&request)
            } else {
                None
            };
            let mut attempt = request;
            let mut token = if attaches {
                self.current_token().await
            } else {
                None
            };
            if let Some(sent) = &token
                && self.attach(&mut attempt, sent).is_err()
            {
                tracing::warn!("the access token is not a valid header value: not sent");
                token = None;
            }
            let result = self.http.execute(attempt).await;

            // Renew once on a 401, and only a token this client attached to a request that
            // carries no credential of the caller's: the caller's credential goes back to
            // the caller with its 401.
            if let (Ok(response), Credentials::Source(source), Some(sent), true, false) = (
                &result,
                &self.credentials,
                token.as_deref(),
                renewable,
                renewed,
            ) && response.status() == reqwest::StatusCode::UNAUTHORIZED
                && let Some(next) = kept.take()
            {
                renewed = true;
                source.invalidate(sent).await;
                tracing::debug!("401: renewing the token, sending again");
                request = next;
                continue;
            }

            let why = classify_result(&result);
            let delay =
                why.and_then(|why| self.retry.next_delay(why, retries, started.elapsed(), safe));
            if let (Some(delay), Some(next)) = (delay, kept) {
                tracing::debug!(?why, delay_ms = delay.as_millis() as u64, "sending again");
                tokio::time::sleep(delay).await;
                retries = retries.saturating_add(1);
                request = next;
                continue;
            }
            let span = tracing::Span::current();
            if !span.is_disabled() {
                span.record("attempts", retries.saturating_add(1));
                span.record("duration_ms", started.elapsed().as_millis() as u64);
            }
            let response = match result {
                Ok(response) => response,
                Err(e) => {
                    tracing::debug!(error = %e.without_url_ref(), "no response");
                    return Err(e);
                }
            };
            if !span.is_disabled() {
                span.record("status", response.status().as_u16());
            }
            crate::error::record(response.status(), response.headers());
            return self
                .finish(response, operation, redactor, token.as_deref())
                .await;
        }
    }

    /// The response as the caller gets it: body capped; an answer that is not a success
    /// read here (capped) with the request's credentials replaced by `[redacted]`, so that
    /// no path (`send()`, `call()`, a login) can show a credential the server echoed.
    async fn finish(
        &self,
        response: Response,
        operation: &'static str,
        mut redactor: Redactor,
        token: Option<&Secret>,
    ) -> reqwest::Result<Response> {
        // A declared length within the cap is enforced by the HTTP stack itself (it reads no
        // byte past it): only a body without one, or over the cap, needs the counting wrapper.
        let response = match response.content_length() {
            Some(length) if length <= self.max_response_bytes as u64 => response,
            _ => crate::http::cap_body(response, self.max_response_bytes, operation),
        };
        if response.status().is_success() {
            return Ok(response);
        }
        if let Some(token) = token {
            redactor.add(token);
        }
        if redactor.is_empty() {
            return Ok(response);
        }
        let status = response.status();
        let version = response.version();
        let mut headers = response.headers().clone();
        let body = redactor.redact_bytes(response.bytes().await?);
        for value in headers.values_mut() {
            if let Ok(text) = value.to_str()
                && redactor.redact(text) != text
                && let Ok(clean) = HeaderValue::from_str(&redactor.redact(text))
            {
                *value = clean;
            }
        }
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
        let mut rebuilt = http::Response::new(reqwest::Body::from(body));
        *rebuilt.status_mut() = status;
        *rebuilt.version_mut() = version;
        *rebuilt.headers_mut() = headers;
        Ok(Response::from(rebuilt))
    }
}

/// Whether the request's query holds a credential parameter of the caller's (revoke's or
/// tokenInfo's `access_token`, say).
fn has_credential_query(request: &Request) -> bool {
    request.url().query().is_some()
        && request
            .url()
            .query_pairs()
            .any(|(k, _)| crate::is_credential_name(&k))
}

/// A copy of `request` to send again. A request without a body (most of them) is copied
/// field by field: method, URL, headers, version and timeout are all that reqwest 0.13's
/// `Request` holds for one (its other extensions are set only by a conversion from
/// `http::Request`, which the generated clients do not use), and `Request::try_clone`
/// would allocate the extension map on every call for the timeout alone. A request with
/// a body goes through `try_clone` (reqwest keeps `Body::try_clone` to itself); `None`
/// for a streamed body, which cannot be sent twice.
fn copy_request(request: &Request) -> Option<Request> {
    if request.body().is_some() {
        return request.try_clone();
    }
    let mut copy = Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    Some(copy)
}

/// `reqwest::Error::without_url` for a borrowed error: its text without the URL (a query
/// token would show there).
trait WithoutUrlRef {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrlRef for reqwest::Error {
    fn without_url_ref(&self) -> String {
        let mut text = self.to_string();
        if let Some(url) = self.url() {
            text = text.replace(url.as_str(), "<url>");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(
        credentials: Credentials,
        placement: Placement,
        authenticated: &'static [&'static str],
    ) -> Runtime {
        Runtime::new(
            reqwest::Client::new(),
            &"http://127.0.0.1".parse().expect("url"),
            RetryPolicy::default(),
            credentials,
            placement,
            Operations {
                retry_safe: &[],
                authenticated,
            },
            crate::DEFAULT_MAX_RESPONSE_BYTES,
        )
    }

    fn request(url: &str) -> Request {
        Request::new(reqwest::Method::POST, url.parse().expect("url"))
    }

    #[test]
    fn attaches_only_to_authenticated_operations_without_their_own_credential() {
        let runtime = make(
            Credentials::Token(Secret::from("mine")),
            Placement::Query("access_token"),
            &["revokeAccessToken"],
        );
        let r = request("http://127.0.0.1/oauth2/token?Revoke");
        assert!(runtime.attaches(&r, "revokeAccessToken"));
        assert!(!runtime.attaches(&r, "getTokenInfo"));
        assert!(!runtime.attaches(&r, "unknownOperation"));
        // The caller's token argument in the query: the client's own goes in the header.
        let mut own = request("http://127.0.0.1/oauth2/token?Revoke&access_token=theirs");
        assert!(runtime.attaches(&own, "revokeAccessToken"));
        runtime
            .attach(&mut own, &Secret::from("mine"))
            .expect("attach");
        assert_eq!(own.url().query(), Some("Revoke&access_token=theirs"));
        assert_eq!(own.headers()[AUTHORIZATION], "Bearer mine");
        // The caller's own `Authorization` header is never replaced.
        own.headers_mut()
            .insert(AUTHORIZATION, HeaderValue::from_static("Bearer theirs"));
        assert!(!runtime.attaches(&own, "revokeAccessToken"));
        let none = runtime.with_credentials(Credentials::None, Placement::Bearer);
        assert!(!none.attaches(&r, "revokeAccessToken"));
    }

    #[test]
    fn a_copy_to_send_again_is_the_request_field_for_field() {
        let mut original = Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/x?a=1".parse().expect("url"),
        );
        original
            .headers_mut()
            .insert("accept", HeaderValue::from_static("application/json"));
        *original.version_mut() = reqwest::Version::HTTP_11;
        for timeout in [None, Some(std::time::Duration::from_secs(7))] {
            *original.timeout_mut() = timeout;
            let copy = copy_request(&original).expect("no body: copied");
            let reference = original.try_clone().expect("no body: cloned");
            assert_eq!(copy.method(), reference.method());
            assert_eq!(copy.url(), reference.url());
            assert_eq!(copy.headers(), reference.headers());
            assert_eq!(copy.version(), reference.version());
            assert_eq!(copy.timeout(), reference.timeout());
            assert!(copy.body().is_none());
        }
        // With a body: reqwest's own clone, body included.
        *original.body_mut() = Some(reqwest::Body::from("{\"a\":1}"));
        let copy = copy_request(&original).expect("bytes body: copied");
        assert_eq!(
            copy.body().and_then(reqwest::Body::as_bytes),
            Some(&b"{\"a\":1}"[..])
        );
    }

    #[test]
    fn bearer_token_is_sensitive_and_query_token_keeps_markers() {
        let runtime = make(Credentials::None, Placement::Bearer, &[]);
        let mut r = request("http://127.0.0.1/x?Password");
        runtime
            .attach(&mut r, &Secret::from("one"))
            .expect("attach");
        assert!(r.headers()[AUTHORIZATION].is_sensitive());
        assert_eq!(r.url().query(), Some("Password"));

        let runtime = make(Credentials::None, Placement::Query("access_token"), &[]);
        let mut r = request("http://127.0.0.1/oauth2/token?Refresh");
        runtime
            .attach(&mut r, &Secret::from("a+b c"))
            .expect("attach");
        assert_eq!(r.url().query(), Some("Refresh&access_token=a%2Bb+c"));
    }
}

#[cfg(test)]
mod origin_tests {
    use super::*;

    #[tokio::test]
    async fn a_request_to_another_origin_is_refused_before_it_is_sent() {
        let runtime = Runtime::new(
            reqwest::Client::new(),
            &"https://api.example.com/v2".parse().expect("url"),
            RetryPolicy::none(),
            Credentials::Token(Secret::from("tok")),
            Placement::Bearer,
            Operations {
                retry_safe: &[],
                authenticated: &["op"],
            },
            crate::DEFAULT_MAX_RESPONSE_BYTES,
        );
        for ok in [
            "https://api.example.com/v2/x",
            "https://api.example.com:443/other",
        ] {
            let mut r = Request::new(reqwest::Method::GET, ok.parse().expect("url"));
            assert!(runtime.prepare(&mut r, "op").await.is_ok(), "{ok}");
        }
        for other in [
            "http://api.example.com/v2/x",
            "https://api.example.com:8443/v2/x",
            "https://evil.example.com/v2/x?access_token=secret",
        ] {
            let mut r = Request::new(reqwest::Method::GET, other.parse().expect("url"));
            let e = runtime.prepare(&mut r, "op").await.unwrap_err();
            assert!(e.contains("refused") && e.contains("op"), "{e}");
            assert!(!e.contains("secret") && !e.contains("/v2/x"), "{e}");
        }
    }
}
