//! When and how long to wait before sending a request again.

use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};

/// Retry bounds. On by default: 429 honouring `Retry-After`, and 502/503/504 with
/// exponential backoff and full jitter where repeating the request is safe. Never on other
/// 4xx.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 turns retries off). Any value is honoured.
    pub max_retries: u32,
    /// No retry starts once this much time has passed since the first attempt, and no
    /// wait runs past it. Any value is honoured (`Duration::MAX`: no time bound).
    pub max_elapsed: Duration,
    /// The backoff before the first retry of a 5xx; it doubles with each retry.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts.
    pub max_backoff: Duration,
    /// The wait used for a 429 without a usable `Retry-After`.
    pub default_retry_after: Duration,
    /// A 429 whose `Retry-After` asks for longer than this is returned, not waited for
    /// (daily quotas can ask for hours). Every duration here is honoured as given, up to
    /// `Duration::MAX`: the arithmetic saturates, nothing overflows.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_elapsed: Duration::from_secs(30),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            default_retry_after: Duration::from_secs(3),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The backoff before retry number `retry` (0-based) of a 5xx: full jitter over an
    /// exponentially growing window.
    pub fn backoff(&self, retry: u32) -> Duration {
        let window = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(20)))
            .min(self.max_backoff);
        // Saturating: `mul_f64` would panic on a product past `Duration::MAX`.
        Duration::try_from_secs_f64(window.as_secs_f64() * unit_random()).unwrap_or(window)
    }
}

/// A uniformly distributed number in `[0, 1)` for the jitter, from the standard library:
/// every `RandomState` holds fresh SipHash keys (random per thread, then incremented), so
/// the hash of nothing under them is a new pseudo-random 64-bit value. Jitter only spreads
/// retries out; it needs no cryptographic quality (hyper and tokio seed theirs the same way).
fn unit_random() -> f64 {
    use std::hash::{BuildHasher, Hasher, RandomState};
    let bits = RandomState::new().build_hasher().finish();
    // The top 53 bits fill an f64 mantissa exactly.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether a request with this method can be sent twice with the same effect.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// Parses `Retry-After`: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Why a response or failure may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retryable {
    /// 429: the server did not process the request; any method may be repeated.
    RateLimited(Option<Duration>),
    /// 502, 503, 504: repeated only where that is safe.
    Unavailable,
    /// The connection could not be made: the request never reached the server.
    Connect,
}

/// Classifies a status.
pub fn classify_status(status: StatusCode, retry_after: Option<Duration>) -> Option<Retryable> {
    match status.as_u16() {
        429 => Some(Retryable::RateLimited(retry_after)),
        502..=504 => Some(Retryable::Unavailable),
        _ => None,
    }
}

/// Classifies the outcome of one send: a retryable status (with its `Retry-After`), a
/// connection that could not be made, or nothing to retry.
pub fn classify_result(result: &reqwest::Result<reqwest::Response>) -> Option<Retryable> {
    match result {
        // `Retry-After` is looked up only on the statuses that use it, not on every response.
        Ok(response) => match classify_status(response.status(), None)? {
            Retryable::RateLimited(_) => Some(Retryable::RateLimited(
                response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now())),
            )),
            other => Some(other),
        },
        Err(e) if e.is_connect() => Some(Retryable::Connect),
        Err(_) => None,
    }
}

impl RetryPolicy {
    /// The wait before the next attempt, or `None` to give up. `retries` is how many
    /// retries were made already, `elapsed` the time since the first attempt, `safe`
    /// whether the request may be repeated after a 5xx.
    pub fn next_delay(
        &self,
        why: Retryable,
        retries: u32,
        elapsed: Duration,
        safe: bool,
    ) -> Option<Duration> {
        if retries >= self.max_retries || elapsed >= self.max_elapsed {
            return None;
        }
        let delay = match why {
            Retryable::RateLimited(Some(after)) if after > self.max_retry_after => return None,
            Retryable::RateLimited(after) => after.unwrap_or(self.default_retry_after),
            Retryable::Unavailable if !safe => return None,
            Retryable::Unavailable | Retryable::Connect => self.backoff(retries),
        };
        (elapsed.saturating_add(delay) <= self.max_elapsed).then_some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        // 1_000_000_030 seconds after the epoch.
        let later = "Sun, 09 Sep 2001 01:47:10 GMT";
        assert_eq!(parse_retry_after(later, now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn extremes_saturate() {
        let p = RetryPolicy {
            max_retries: u32::MAX,
            max_elapsed: Duration::MAX,
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            default_retry_after: Duration::MAX,
            max_retry_after: Duration::MAX,
        };
        for retry in [0, 1, 63, 64, u32::MAX] {
            assert!(p.backoff(retry) <= Duration::MAX);
            let _ = p.next_delay(Retryable::Unavailable, retry, Duration::MAX, true);
        }
        let huge = parse_retry_after(&u64::MAX.to_string(), SystemTime::now());
        let _ = p.next_delay(
            Retryable::RateLimited(huge),
            0,
            Duration::from_secs(5),
            true,
        );
        let _ = p.next_delay(
            Retryable::RateLimited(None),
            0,
            Duration::from_secs(5),
            true,
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:37 1994", SystemTime::now()),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", SystemTime::UNIX_EPOCH),
            Some(Duration::from_secs(784111777))
        );
    }

    #[test]
    fn bounds() {
        let p = RetryPolicy::default();
        let s = Duration::from_secs(1);
        assert_eq!(
            p.next_delay(Retryable::RateLimited(Some(s)), 0, Duration::ZERO, false),
            Some(s)
        );
        assert_eq!(
            p.next_delay(
                Retryable::RateLimited(Some(s * 3600)),
                0,
                Duration::ZERO,
                true
            ),
            None
        );
        assert_eq!(
            p.next_delay(Retryable::Unavailable, 0, Duration::ZERO, false),
            None
        );
        assert!(
            p.next_delay(Retryable::Unavailable, 0, Duration::ZERO, true)
                .is_some()
        );
        assert_eq!(
            p.next_delay(Retryable::Unavailable, 3, Duration::ZERO, true),
            None
        );
        assert_eq!(
            p.next_delay(
                Retryable::RateLimited(None),
                0,
                Duration::from_secs(29),
                true
            ),
            None
        );
        for retry in 0..10 {
            assert!(p.backoff(retry) <= p.max_backoff);
        }
        // Full jitter: draws spread over the whole window (the chance that 1,000 uniform
        // draws miss a quarter of it is 0.75^1000).
        let window = p.initial_backoff * 4;
        let draws: Vec<Duration> = (0..1000).map(|_| p.backoff(2)).collect();
        assert!(draws.iter().all(|d| *d < window));
        assert!(draws.iter().any(|d| *d < window / 4));
        assert!(draws.iter().any(|d| *d > window * 3 / 4));
        assert_eq!(
            RetryPolicy::none().next_delay(Retryable::Connect, 0, Duration::ZERO, true),
            None
        );
    }
}
