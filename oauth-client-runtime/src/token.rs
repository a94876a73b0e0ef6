//! [`TokenSource`]: an access token cached with its expiry, renewed before it expires, one
//! renewal shared by every concurrent caller.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::Secret;

/// An access token as a grant returned it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The access token.
    pub access_token: Secret,
    /// A refresh token, where the grant gave one.
    pub refresh_token: Option<Secret>,
    /// When the access token stops working, where the grant said (`expires_in`).
    pub expires_at: Option<Instant>,
}

impl Token {
    /// A token that expires `expires_in` seconds from now.
    ///
    /// `None`, `0` or a negative value mean the server gave no usable lifetime: the token
    /// has no known expiry (`expires_at: None`) and is used until the API answers 401,
    /// when a [`TokenSource`] renews it once. (Taking `0` as "expired already" would cost a
    /// login per call.) A lifetime too large for the clock also means no known expiry.
    pub fn new(
        access_token: Secret,
        refresh_token: Option<Secret>,
        expires_in: Option<i64>,
    ) -> Self {
        let expires_at = expires_in
            .and_then(|s| u64::try_from(s).ok())
            .filter(|&s| s > 0)
            .and_then(|s| Instant::now().checked_add(Duration::from_secs(s)));
        Token {
            access_token,
            refresh_token,
            expires_at,
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Why a token could not be had. Its text never holds a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    /// What went wrong, in words.
    pub message: String,
    /// The HTTP status of the token endpoint, where it answered.
    pub status: Option<u16>,
}

impl AuthError {
    /// An error with a message and no status.
    pub fn new(message: impl Into<String>) -> Self {
        AuthError {
            message: message.into(),
            status: None,
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "login failed (HTTP {status}): {}", self.message),
            None => write!(f, "login failed: {}", self.message),
        }
    }
}

impl std::error::Error for AuthError {}

/// The future a [`TokenFetcher`] returns.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, AuthError>> + Send + 'a>>;

/// Obtains a token: a grant of the API. `previous` is the token being replaced, if any, so
/// that a fetcher can use its refresh token.
pub trait TokenFetcher: Send + Sync + 'static {
    /// Runs the grant.
    fn fetch<'a>(&'a self, previous: Option<&'a Token>) -> FetchFuture<'a>;
}

/// Caches a token and renews it before its expiry, or after a 401.
///
/// The renewal margin adapts to the token's lifetime: a token is renewed
/// `min(renew_before, lifetime / 4)` before it expires, so a short-lived token (30 s under
/// the default 60 s margin) still serves three quarters of its life instead of costing a
/// login per call. A token without a known expiry is renewed only after a 401.
///
/// One login at a time: concurrent callers wait for the login in flight and share its
/// outcome, a failure included (a failed login is not repeated by every waiter; the next
/// caller after it tries again).
pub struct TokenSource {
    fetcher: Box<dyn TokenFetcher>,
    renew_before: Duration,
    /// The token in use. Read under a short (non-async) lock by every request; written
    /// only by a login, an invalidation and [`TokenSource::with_token`].
    current: std::sync::Mutex<Option<Cached>>,
    /// Held while a login runs, so that there is one at a time; keeps the outcome of the
    /// last login when it failed.
    login: tokio::sync::Mutex<LoginState>,
    /// How many logins have finished, either way: read before waiting for the lock, it
    /// tells a waiter whether a login finished while it waited.
    logins: AtomicU64,
}

#[derive(Default)]
struct LoginState {
    /// The outcome of the last login, when it failed.
    last_failure: Option<AuthError>,
}

struct Cached {
    token: Token,
    stale: bool,
    /// When to renew: the expiry less the adapted margin.
    renew_at: Option<Instant>,
}

impl Cached {
    fn new(token: Token, renew_before: Duration) -> Self {
        let renew_at = token.expires_at.map(|at| {
            let lifetime = at.saturating_duration_since(Instant::now());
            let margin = renew_before.min(lifetime / 4);
            at.checked_sub(margin).unwrap_or(at)
        });
        Cached {
            token,
            stale: false,
            renew_at,
        }
    }

    fn fresh(&self) -> bool {
        !self.stale && self.renew_at.is_none_or(|at| Instant::now() < at)
    }
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("renew_before", &self.renew_before)
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    /// A source that renews 60 seconds before expiry (less for a token that lives less
    /// than four minutes: a quarter of its lifetime).
    pub fn new(fetcher: impl TokenFetcher) -> Self {
        Self::with_margin(fetcher, Duration::from_secs(60))
    }

    /// A source that renews `renew_before` expiry, at most a quarter of the token's
    /// lifetime. Any duration is honoured (`Duration::ZERO`: at expiry; `Duration::MAX`:
    /// a quarter of the lifetime); nothing overflows.
    pub fn with_margin(fetcher: impl TokenFetcher, renew_before: Duration) -> Self {
        TokenSource {
            fetcher: Box::new(fetcher),
            renew_before,
            current: std::sync::Mutex::new(None),
            login: tokio::sync::Mutex::new(LoginState::default()),
            logins: AtomicU64::new(0),
        }
    }

    /// A source that starts with `token` (for example from a grant made elsewhere).
    pub fn with_token(fetcher: impl TokenFetcher, token: Token) -> Self {
        let source = Self::new(fetcher);
        *source.current_mut() = Some(Cached::new(token, source.renew_before));
        source
    }

    /// A valid access token: the cached one while it is fresh, otherwise a renewed one.
    /// Concurrent callers wait for one renewal and share its result.
    pub async fn access_token(&self) -> Result<Secret, AuthError> {
        self.fresh(|token| token.access_token.clone()).await
    }

    /// The whole cached token, renewed as [`TokenSource::access_token`] would.
    pub async fn token(&self) -> Result<Token, AuthError> {
        self.fresh(Token::clone).await
    }

    /// The part `pick` takes of a fresh token: the cached one (no waiting while one is
    /// cached and fresh), or the one a login returns.
    async fn fresh<R>(&self, pick: impl Fn(&Token) -> R) -> Result<R, AuthError> {
        // Logins finished before this caller started waiting; one finished while it waited
        // is the login it waited for.
        let seen = self.logins.load(Ordering::Acquire);
        if let Some(value) = self.cached(&pick) {
            return Ok(value);
        }
        let mut login = self.login.lock().await;
        // Renewed by the login this caller waited for.
        if let Some(value) = self.cached(&pick) {
            return Ok(value);
        }
        if self.logins.load(Ordering::Acquire) != seen
            && let Some(failure) = &login.last_failure
        {
            return Err(failure.clone());
        }
        let previous = self.current_mut().as_ref().map(|c| c.token.clone());
        let outcome = match self.fetcher.fetch(previous.as_ref()).await {
            Ok(token) => {
                let value = pick(&token);
                login.last_failure = None;
                *self.current_mut() = Some(Cached::new(token, self.renew_before));
                Ok(value)
            }
            Err(e) => {
                login.last_failure = Some(e.clone());
                Err(e)
            }
        };
        // Counted once the outcome is in place, still under the login lock.
        self.logins.fetch_add(1, Ordering::AcqRel);
        outcome
    }

    /// `pick` of the cached token, while it is fresh.
    fn cached<R>(&self, pick: impl Fn(&Token) -> R) -> Option<R> {
        self.current_mut()
            .as_ref()
            .filter(|cached| cached.fresh())
            .map(|cached| pick(&cached.token))
    }

    /// The token in use. The lock is never held across an `await` or a call out; a panic
    /// under it (there is no code that could panic there) would not lose the token.
    fn current_mut(&self) -> std::sync::MutexGuard<'_, Option<Cached>> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Marks `rejected` (a token the server answered 401 to) as stale, so that the next
    /// call renews it. A token that was already replaced is left alone.
    pub async fn invalidate(&self, rejected: &Secret) {
        if let Some(cached) = self.current_mut().as_mut()
            && &cached.token.access_token == rejected
        {
            cached.stale = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Counting(Arc<AtomicUsize>, Option<i64>);

    impl TokenFetcher for Counting {
        fn fetch<'a>(&'a self, previous: Option<&'a Token>) -> FetchFuture<'a> {
            Box::pin(async move {
                let n = self.0.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                let refresh = previous.and_then(|p| p.refresh_token.clone());
                Ok(Token::new(
                    Secret::new(format!("token-{n}")),
                    refresh.or_else(|| Some(Secret::new("refresh"))),
                    self.1,
                ))
            })
        }
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_fetch() {
        let count = Arc::new(AtomicUsize::new(0));
        let source = Arc::new(TokenSource::new(Counting(count.clone(), Some(3600))));
        let calls = (0..8).map(|_| {
            let s = source.clone();
            tokio::spawn(async move { s.access_token().await })
        });
        for c in calls {
            assert_eq!(c.await.unwrap().unwrap().expose(), "token-0");
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn renews_before_expiry_and_after_invalidate() {
        let count = Arc::new(AtomicUsize::new(0));
        // expires in 30 s, margin 60 s: the margin adapts (7.5 s), the token is kept
        let source = TokenSource::new(Counting(count.clone(), Some(30)));
        assert_eq!(source.access_token().await.unwrap().expose(), "token-0");
        assert_eq!(source.access_token().await.unwrap().expose(), "token-0");

        let count = Arc::new(AtomicUsize::new(0));
        let source = TokenSource::new(Counting(count.clone(), None));
        let first = source.access_token().await.unwrap();
        assert_eq!(source.access_token().await.unwrap(), first);
        source.invalidate(&Secret::new("not-the-cached-one")).await;
        assert_eq!(source.access_token().await.unwrap(), first);
        source.invalidate(&first).await;
        assert_eq!(source.access_token().await.unwrap().expose(), "token-1");
        assert!(!format!("{:?}", source.token().await.unwrap()).contains("token-1"));
    }

    /// Fails its first `fail` logins (slowly), then succeeds.
    struct FailingFirst(Arc<AtomicUsize>, usize);

    impl TokenFetcher for FailingFirst {
        fn fetch<'a>(&'a self, _previous: Option<&'a Token>) -> FetchFuture<'a> {
            Box::pin(async move {
                let n = self.0.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                if n < self.1 {
                    Err(AuthError::new(format!("login {n} refused")))
                } else {
                    Ok(Token::new(
                        Secret::new(format!("token-{n}")),
                        None,
                        Some(3600),
                    ))
                }
            })
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiters_share_a_failed_login_and_the_next_caller_tries_again() {
        let count = Arc::new(AtomicUsize::new(0));
        let source = Arc::new(TokenSource::new(FailingFirst(count.clone(), 1)));
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let s = source.clone();
                tokio::spawn(async move { s.access_token().await })
            })
            .collect();
        for c in calls {
            let e = c.await.unwrap().unwrap_err();
            assert_eq!(e.message, "login 0 refused");
        }
        assert_eq!(count.load(Ordering::SeqCst), 1, "one login for all waiters");
        // A caller that starts after the failure logs in again.
        assert_eq!(source.access_token().await.unwrap().expose(), "token-1");
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_after_an_invalidation_share_one_renewal() {
        let count = Arc::new(AtomicUsize::new(0));
        let source = Arc::new(TokenSource::new(Counting(count.clone(), Some(3600))));
        let first = source.access_token().await.unwrap();
        source.invalidate(&first).await;
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let s = source.clone();
                tokio::spawn(async move { s.access_token().await })
            })
            .collect();
        for c in calls {
            assert_eq!(c.await.unwrap().unwrap().expose(), "token-1");
        }
        assert_eq!(count.load(Ordering::SeqCst), 2);
        // The renewal's refresh token came from the token it replaced.
        assert_eq!(
            source.token().await.unwrap().refresh_token,
            Some(Secret::new("refresh"))
        );
    }
}
