//! The HTTP side every client of this workspace shares: response bodies read chunk by chunk
//! up to a cap ([`cap_body`], [`read_body`]), redirects followed within the origin only
//! ([`redirect_policy`]), and the base-URL rule (no plain http except to loopback,
//! [`check_base_url`]).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// The default cap on a response body: 16 MiB, far above anything these APIs return
/// (their largest answers, client lists and usage reports, are tens of kilobytes).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// At most this many redirects (within the origin) are followed.
pub const MAX_REDIRECTS: usize = 10;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A response body that is larger than the cap: reading stopped at the cap (or before the
/// first byte, when `Content-Length` said so), nothing more was held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyTooLarge {
    /// The operation (operationId, or the login's name) whose response it was.
    pub operation: &'static str,
    /// The cap, in bytes.
    pub limit: usize,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body of {} is larger than the cap of {} bytes (see `max_response_bytes`)",
            self.operation, self.limit
        )
    }
}

impl std::error::Error for BodyTooLarge {}

/// A redirect that was not followed because it leads to another origin (scheme, host or
/// port): the request's credential and body must not go there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossOriginRedirect {
    /// The redirect's status (301, 302, 303, 307, 308).
    pub status: u16,
    /// The host the redirect pointed at (never its path or query).
    pub host: String,
}

impl fmt::Display for CrossOriginRedirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} redirect to another origin (host `{}`) not followed: the request's credentials stay with the configured origin",
            self.status, self.host
        )
    }
}

impl std::error::Error for CrossOriginRedirect {}

/// More than [`MAX_REDIRECTS`] redirects within the origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooManyRedirects;

impl fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "more than {MAX_REDIRECTS} redirects")
    }
}

impl std::error::Error for TooManyRedirects {}

/// The redirect policy of every client: a redirect within the origin of the first request
/// is followed (at most [`MAX_REDIRECTS`]); one to another origin stops with a
/// [`CrossOriginRedirect`] in the error's `source()` chain. Use it with
/// `reqwest::ClientBuilder::referer(false)`, as the builders do.
pub fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(reqwest::Url::origin);
        if first.as_ref() != Some(&attempt.url().origin()) {
            let error = CrossOriginRedirect {
                status: attempt.status().as_u16(),
                host: attempt.url().host_str().unwrap_or_default().to_owned(),
            };
            attempt.error(error)
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(TooManyRedirects)
        } else {
            attempt.follow()
        }
    })
}

/// A `reqwest::ClientBuilder` with what every client of this workspace needs: the
/// same-origin [`redirect_policy`] and no `Referer` header.
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(redirect_policy())
        .referer(false)
}

/// Whether `url`'s host is a loopback address (`localhost`, 127.0.0.0/8, `::1`).
pub fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The base-URL rule: `https`, or `http` to a loopback host (mock servers, tests), or
/// `http` anywhere when the caller opted in with `allow_insecure_http` (credentials then
/// travel in clear text). `what` names the URL in the message.
pub fn check_base_url(
    what: &str,
    url: &str,
    allow_insecure_http: bool,
) -> Result<reqwest::Url, String> {
    let parsed =
        reqwest::Url::parse(url).map_err(|e| format!("the {what} `{url}` is not a URL: {e}"))?;
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if allow_insecure_http || is_loopback(&parsed) => Ok(parsed),
        "http" => Err(format!(
            "the {what} `{url}` is plain http to a host that is not loopback: credentials would travel in clear text; use https (or `danger_allow_insecure_http()` if you really mean it)"
        )),
        other => Err(format!(
            "the {what} `{url}` has scheme `{other}`, not http or https"
        )),
    }
}

/// A body that fails with [`BodyTooLarge`] once more than `limit` bytes went through it.
struct Capped<B> {
    inner: B,
    seen: usize,
    limit: usize,
    operation: &'static str,
}

impl<B> Body for Capped<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let too_large = BodyTooLarge {
            operation: self.operation,
            limit: self.limit,
        };
        // Content-Length says so already: fail before reading a byte.
        if self.seen == 0 && self.inner.size_hint().lower() > self.limit as u64 {
            return Poll::Ready(Some(Err(Box::new(too_large))));
        }
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.seen = self.seen.saturating_add(data.len());
                    if self.seen > self.limit {
                        return Poll::Ready(Some(Err(Box::new(too_large))));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// `response` with a body that stops with [`BodyTooLarge`] past `limit` bytes, whoever
/// reads it (`bytes()`, `text()`, `json()`, a stream). The response's URL is not kept
/// (it may hold a query token).
pub fn cap_body(
    response: reqwest::Response,
    limit: usize,
    operation: &'static str,
) -> reqwest::Response {
    let (parts, body) = http::Response::from(response).into_parts();
    let body = reqwest::Body::wrap(Capped {
        inner: body,
        seen: 0,
        limit,
        operation,
    });
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// Reads a whole response body, at most `limit` bytes: for code that reads a response
/// without the generated client (a login). Fails with a `reqwest::Error` whose `source()`
/// chain holds a [`BodyTooLarge`] ([`find_cause`] finds it) and whose URL is removed.
pub async fn read_body(
    response: reqwest::Response,
    limit: usize,
    operation: &'static str,
) -> reqwest::Result<Bytes> {
    cap_body(response, limit, operation)
        .bytes()
        .await
        .map_err(reqwest::Error::without_url)
}

/// A request body that reqwest cannot copy, for a request that carries credentials in its
/// body (a login form): whatever redirect policy the `reqwest::Client` sending it has, a
/// 307/308 is then not followed (reqwest follows those only with a body it can send again;
/// it returns the redirect itself), and a 301/302/303 is followed as a `GET` without the
/// body. So the credentials go to the URL the request names and nowhere else. The caller
/// sets `Content-Length` (the body reports its exact size too).
pub fn unrepeatable_body(bytes: impl Into<Bytes>) -> reqwest::Body {
    reqwest::Body::wrap(Once(Some(bytes.into())))
}

/// One frame, then the end: the body of [`unrepeatable_body`].
struct Once(Option<Bytes>);

impl Body for Once {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.0.take().map(|bytes| Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.as_ref().map_or(0, |b| b.len() as u64))
    }
}

/// The first error of type `T` in `error`'s `source()` chain (itself included).
pub fn find_cause<'a, T: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        next = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rule() {
        assert!(check_base_url("API base URL", "https://api.example.com", false).is_ok());
        for loopback in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:1",
            "http://localhost:3000",
        ] {
            assert!(check_base_url("x", loopback, false).is_ok(), "{loopback}");
        }
        let e = check_base_url("API base URL", "http://api.example.com", false).unwrap_err();
        assert!(
            e.contains("plain http") && e.contains("danger_allow_insecure_http"),
            "{e}"
        );
        assert!(check_base_url("x", "http://api.example.com", true).is_ok());
        assert!(check_base_url("x", "ftp://example.com", true).is_err());
    }
}
