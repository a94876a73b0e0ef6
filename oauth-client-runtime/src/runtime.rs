//! [`Runtime`]: what the crates' `ClientHooks` impls delegate to. It attaches the
//! credential, retries within the [`RetryPolicy`], renews the token once on a 401, and
//! records a `tracing` span per operation. (progenitor's `api-version` header is removed by
//! the generator, so it never reaches here.)

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Request, Response};
use tracing::Instrument;

use crate::retry::{classify_result, is_idempotent};
use crate::{RetryPolicy, Secret, TokenSource};

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

/// The shared state behind a generated `Client` (its progenitor "inner" type).
#[derive(Debug, Clone, Default)]
pub struct Runtime {
    /// When to send a request again.
    pub retry: RetryPolicy,
    /// What credential to attach.
    pub credentials: Credentials,
    /// Where the token goes.
    pub placement: Placement,
    /// Operations (the spec's operationIds) that may be sent again after a 502/503/504
    /// although their method is not idempotent (a login, a read-only query sent as POST):
    /// the generated `RETRY_SAFE_OPERATIONS`, from `x-retry-safe: true` in the spec.
    pub retry_safe_operations: &'static [&'static str],
}

impl Runtime {
    /// The pre-send step: attaches the credential, unless the request carries its own (an
    /// explicit `access_token` argument or `Authorization` header).
    pub async fn prepare(&self, request: &mut Request) -> Result<(), String> {
        if self.has_own_credential(request) {
            return Ok(());
        }
        let token = match &self.credentials {
            Credentials::None => return Ok(()),
            Credentials::Token(token) => return self.attach(request, token),
            Credentials::Source(source) => {
                source.access_token().await.map_err(|e| {
                    // The login endpoint's status stays on the ApiError (kind Auth).
                    if let Some(status) =
                        e.status.and_then(|s| reqwest::StatusCode::from_u16(s).ok())
                    {
                        crate::error::record(status, &reqwest::header::HeaderMap::new());
                    }
                    e.to_string()
                })?
            }
        };
        self.attach(request, &token)
    }

    fn has_own_credential(&self, request: &Request) -> bool {
        match self.placement {
            Placement::Bearer => request.headers().contains_key(AUTHORIZATION),
            Placement::Query(name) => request.url().query_pairs().any(|(k, _)| k == name),
        }
    }

    fn attach(&self, request: &mut Request, token: &Secret) -> Result<(), String> {
        match self.placement {
            Placement::Bearer => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|_| "the access token is not a valid header value".to_owned())?;
                value.set_sensitive(true);
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

    /// The token this request carries in the runtime's placement, and the request without it.
    fn take_token(&self, request: &mut Request) -> Option<Secret> {
        match self.placement {
            Placement::Bearer => {
                let value = request.headers_mut().remove(AUTHORIZATION)?;
                value
                    .to_str()
                    .ok()?
                    .strip_prefix("Bearer ")
                    .map(Secret::from)
            }
            Placement::Query(name) => {
                // Work on the raw query: rebuilding it from decoded pairs would turn a bare
                // marker (`?Refresh&access_token=…`) into `Refresh=`.
                let query = request.url().query()?.to_owned();
                let mut token = None;
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|segment| {
                        let (key, value) = segment.split_once('=').unwrap_or((segment, ""));
                        if key == name {
                            token = Some(Secret::from(
                                url::form_urlencoded::parse(format!("v={value}").as_bytes())
                                    .next()
                                    .map(|(_, v)| v.into_owned())
                                    .unwrap_or_default(),
                            ));
                            false
                        } else {
                            true
                        }
                    })
                    .collect();
                let kept = kept.join("&");
                request
                    .url_mut()
                    .set_query((!kept.is_empty()).then_some(kept.as_str()));
                token
            }
        }
    }

    /// Sends `request`, repeating it within the retry policy, and renewing the token once
    /// on a 401 when a token source is configured. `operation` names the span.
    pub async fn execute(
        &self,
        client: &reqwest::Client,
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
        self.execute_inner(client, request, operation)
            .instrument(span)
            .await
    }

    async fn execute_inner(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        let started = Instant::now();
        let safe =
            is_idempotent(request.method()) || self.retry_safe_operations.contains(&operation);
        let mut retries = 0u32;
        let mut renewed = false;
        loop {
            // A copy to send again, only where a retry or a renewal can still happen.
            let may_repeat = retries < self.retry.max_retries
                || (!renewed && matches!(self.credentials, Credentials::Source(_)));
            let again = if may_repeat {
                request.try_clone()
            } else {
                None
            };
            let result = client.execute(request).await;

            if let (Ok(response), Credentials::Source(source), false) =
                (&result, &self.credentials, renewed)
                && response.status() == reqwest::StatusCode::UNAUTHORIZED
                && let Some(mut next) = again.as_ref().and_then(Request::try_clone)
            {
                renewed = true;
                if let Some(rejected) = self.take_token(&mut next) {
                    source.invalidate(&rejected).await;
                    match source.access_token().await {
                        Ok(token) if self.attach(&mut next, &token).is_ok() => {
                            tracing::debug!("401: token renewed, sending again");
                            request = next;
                            continue;
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "401: token renewal failed"),
                    }
                }
            }

            let why = classify_result(&result);
            let delay =
                why.and_then(|why| self.retry.next_delay(why, retries, started.elapsed(), safe));
            match (delay, again) {
                (Some(delay), Some(next)) => {
                    tracing::debug!(?why, delay_ms = delay.as_millis() as u64, "sending again");
                    tokio::time::sleep(delay).await;
                    retries += 1;
                    request = next;
                }
                _ => {
                    let span = tracing::Span::current();
                    span.record("attempts", retries + 1);
                    span.record("duration_ms", started.elapsed().as_millis() as u64);
                    match &result {
                        Ok(response) => {
                            span.record("status", response.status().as_u16());
                            crate::error::record(response.status(), response.headers());
                        }
                        Err(e) => tracing::debug!(error = %e.without_url_ref(), "no response"),
                    }
                    return result;
                }
            }
        }
    }
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

    fn request(url: &str) -> Request {
        Request::new(reqwest::Method::POST, url.parse().expect("url"))
    }

    #[test]
    fn taking_a_query_token_keeps_bare_markers() {
        let runtime = Runtime {
            placement: Placement::Query("access_token"),
            ..Runtime::default()
        };
        let mut r = request("http://127.0.0.1/oauth2/token?Refresh&access_token=a%2Bb%20c");
        assert_eq!(
            runtime
                .take_token(&mut r)
                .map(|t| t.expose().to_owned())
                .as_deref(),
            Some("a+b c")
        );
        assert_eq!(r.url().as_str(), "http://127.0.0.1/oauth2/token?Refresh");

        let mut r = request("http://127.0.0.1/oauth2/token?Revoke&access_token=t&x=1");
        assert!(runtime.take_token(&mut r).is_some());
        assert_eq!(r.url().query(), Some("Revoke&x=1"));
        runtime
            .attach(&mut r, &Secret::from("new"))
            .expect("attach");
        assert_eq!(r.url().query(), Some("Revoke&x=1&access_token=new"));

        let mut r = request("http://127.0.0.1/x?access_token=t");
        assert!(runtime.take_token(&mut r).is_some());
        assert_eq!(r.url().query(), None);
    }

    #[test]
    fn bearer_token_is_sensitive_and_replaced() {
        let runtime = Runtime::default();
        let mut r = request("http://127.0.0.1/x?Password");
        runtime
            .attach(&mut r, &Secret::from("one"))
            .expect("attach");
        assert!(r.headers()[AUTHORIZATION].is_sensitive());
        assert_eq!(
            runtime
                .take_token(&mut r)
                .map(|t| t.expose().to_owned())
                .as_deref(),
            Some("one")
        );
        assert!(!r.headers().contains_key(AUTHORIZATION));
        assert_eq!(r.url().query(), Some("Password"));
    }
}
