//! The builder vocabulary every client of this workspace shares.
//!
//! Each client crate has its own `ClientBuilder` (its entry point and its own credential
//! setters: the BlueJeans grants, the Genesys Cloud regions and client credentials) that
//! holds a [`ClientOptions`] and gets the common setters from [`client_builder_setters!`]:
//! the same names, types, defaults and docs in both crates (`base_url`, `timeout`,
//! `connect_timeout`, `user_agent`, `retry_policy`, `access_token`, `token_source`,
//! `renew_before`, `max_response_bytes`, `danger_allow_insecure_http`). Its `build` goes
//! through [`ClientOptions::connect`] (the base-URL checks and the HTTP client) and
//! [`Connection::runtime`], the only way to get a [`Runtime`].
//!
//! [`client_builder_setters!`]: crate::client_builder_setters

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::runtime::Operations;
use crate::{Credentials, Placement, RetryPolicy, Runtime, Secret, TokenSource};

/// The default timeout of one request attempt (each login included), response body read.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default timeout of establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default margin before expiry at which a token from a login is renewed (at most a
/// quarter of the token's lifetime).
pub const DEFAULT_RENEW_BEFORE: Duration = Duration::from_secs(60);

/// Why a client (or a token source, an authorize URL) could not be built: the message names
/// the setting and the value at fault (never a credential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    /// An error with this message (for the client crates' own checks).
    pub fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

/// The settings every client builder has. A crate's `ClientBuilder` holds one and exposes
/// its setters through [`client_builder_setters!`](crate::client_builder_setters).
///
/// `Debug` shows the kind of credential, never its value.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    base_url: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry_policy: RetryPolicy,
    credentials: Credentials,
    crate_credential: bool,
    renew_before: Duration,
    max_response_bytes: usize,
    allow_insecure_http: bool,
}

impl ClientOptions {
    /// The defaults: no base URL set (the crate's default applies), [`DEFAULT_TIMEOUT`],
    /// [`DEFAULT_CONNECT_TIMEOUT`], `user_agent`, [`RetryPolicy::default`], no credential,
    /// [`DEFAULT_RENEW_BEFORE`], [`crate::DEFAULT_MAX_RESPONSE_BYTES`], plain http only to
    /// loopback.
    pub fn new(user_agent: impl Into<String>) -> Self {
        ClientOptions {
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: user_agent.into(),
            retry_policy: RetryPolicy::default(),
            credentials: Credentials::None,
            crate_credential: false,
            renew_before: DEFAULT_RENEW_BEFORE,
            max_response_bytes: crate::DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
        }
    }

    /// Sets the base URL (see the `base_url` setter).
    pub fn set_base_url(&mut self, base_url: impl Into<String>) {
        self.base_url = Some(base_url.into());
    }

    /// Forgets the base URL set, so that the crate's default applies again (a new region).
    pub fn clear_base_url(&mut self) {
        self.base_url = None;
    }

    /// The base URL set, if any.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// Sets the timeout of one request attempt.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Sets the timeout of establishing a connection.
    pub fn set_connect_timeout(&mut self, timeout: Duration) {
        self.connect_timeout = timeout;
    }

    /// Sets the `User-Agent` header.
    pub fn set_user_agent(&mut self, user_agent: impl Into<String>) {
        self.user_agent = user_agent.into();
    }

    /// Sets the retry policy.
    pub fn set_retry_policy(&mut self, policy: RetryPolicy) {
        self.retry_policy = policy;
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry_policy
    }

    /// Sets a credential the runtime knows (a fixed token, a token source), replacing any
    /// other, the crate's own included.
    pub fn set_credentials(&mut self, credentials: Credentials) {
        self.credentials = credentials;
        self.crate_credential = false;
    }

    /// Records that the crate's own credential setter (a grant, client credentials) was
    /// the last one called: [`ClientOptions::credentials`] is then `None` and the crate
    /// builds its token source.
    pub fn set_crate_credential(&mut self) {
        self.credentials = Credentials::None;
        self.crate_credential = true;
    }

    /// The credential set by `access_token` or `token_source` (or [`Credentials::None`]),
    /// or `None` when the crate's own credential setter came last.
    pub fn credentials(&self) -> Option<&Credentials> {
        (!self.crate_credential).then_some(&self.credentials)
    }

    /// Sets the renewal margin of tokens from a login.
    pub fn set_renew_before(&mut self, margin: Duration) {
        self.renew_before = margin;
    }

    /// The renewal margin of tokens from a login.
    pub fn renew_before(&self) -> Duration {
        self.renew_before
    }

    /// Sets the cap on a response body.
    pub fn set_max_response_bytes(&mut self, limit: usize) {
        self.max_response_bytes = limit;
    }

    /// Allows plain http to hosts that are not loopback.
    pub fn allow_insecure_http(&mut self) {
        self.allow_insecure_http = true;
    }

    /// Checks a base URL (`what` names it in the message): `https`, or `http` to a loopback
    /// host or anywhere after `danger_allow_insecure_http`; no query. A trailing `/` is
    /// dropped.
    pub fn check_url(&self, what: &str, url: &str) -> Result<reqwest::Url, BuildError> {
        let trimmed = url.trim_end_matches('/');
        let parsed = crate::check_base_url(what, trimmed, self.allow_insecure_http)
            .map_err(BuildError::new)?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(BuildError::new(format!(
                "the {what} `{trimmed}` must be http(s) without a query or fragment"
            )));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(BuildError::new(format!(
                "the {what} `{trimmed}` has no host"
            )));
        }
        Ok(parsed)
    }

    /// The HTTP client these options describe: the timeouts, the user agent, same-origin
    /// redirects only, no `Referer` ([`crate::client_builder`]).
    pub fn http_client(&self) -> Result<reqwest::Client, BuildError> {
        crate::client_builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.as_str())
            .build()
            .map_err(|e| BuildError::new(format!("the HTTP client could not be built: {e}")))
    }

    /// Checks `base_url` ([`ClientOptions::check_url`], `what` names it) and builds the
    /// HTTP client: the validated path to a [`Runtime`] ([`Connection::runtime`]).
    /// `operations` are the generated module's lists (`RETRY_SAFE_OPERATIONS`,
    /// `AUTHENTICATED_OPERATIONS`): the credential goes only to the authenticated ones.
    pub fn connect(
        &self,
        what: &str,
        base_url: &str,
        operations: Operations,
    ) -> Result<Connection, BuildError> {
        let url = self.check_url(what, base_url)?;
        Ok(Connection {
            base_url: url.as_str().trim_end_matches('/').to_owned(),
            url,
            http: self.http_client()?,
            retry: self.retry_policy.clone(),
            operations,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

/// A checked base URL with its HTTP client and settings: makes the [`Runtime`]s of the
/// clients that share them (a client and its login client).
#[derive(Debug, Clone)]
pub struct Connection {
    base_url: String,
    url: reqwest::Url,
    http: reqwest::Client,
    retry: RetryPolicy,
    operations: Operations,
    max_response_bytes: usize,
}

impl Connection {
    /// The checked base URL, without a trailing `/`: what the generated `Client` is built
    /// with.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The HTTP client (a cheap handle: clones share the connection pool).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// A runtime that sends `credentials` at `placement` to the operations that ask for
    /// them, through this connection's HTTP client, to its base URL's origin only.
    pub fn runtime(&self, credentials: Credentials, placement: Placement) -> Runtime {
        Runtime::new(
            self.http.clone(),
            &self.url,
            self.retry.clone(),
            credentials,
            placement,
            self.operations,
            self.max_response_bytes,
        )
    }
}

/// Credentials for the common setters: a fixed token.
#[doc(hidden)]
pub fn token_credentials(token: impl Into<Secret>) -> Credentials {
    Credentials::Token(token.into())
}

/// Credentials for the common setters: a shared token source.
#[doc(hidden)]
pub fn source_credentials(source: Arc<TokenSource>) -> Credentials {
    Credentials::Source(source)
}

/// The common setters of a client crate's `ClientBuilder`, whose field `$options` is a
/// [`ClientOptions`]: invoke it inside `impl ClientBuilder { .. }`. The builder must have a
/// `build` method (the docs link to it).
#[macro_export]
macro_rules! client_builder_setters {
    ($options:ident) => {
        /// The API base URL (scheme, host, optional port and path stem); a trailing `/` is
        /// dropped. It must be `https`, or `http` to a loopback host (a mock server on
        /// 127.0.0.1); [`build`](Self::build) refuses plain `http` elsewhere unless
        /// [`danger_allow_insecure_http`](Self::danger_allow_insecure_http) was called,
        /// and any URL with a query.
        pub fn base_url(
            mut self,
            base_url: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.$options.set_base_url(base_url);
            self
        }

        /// The time limit of one attempt of a request (each login included), default
        /// 30 s. Any duration is honoured (`Duration::MAX`: no timeout).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$options.set_timeout(timeout);
            self
        }

        /// The time limit of establishing a connection, default 10 s. Any duration is
        /// honoured.
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$options.set_connect_timeout(timeout);
            self
        }

        /// The `User-Agent` header, default this crate's `DEFAULT_USER_AGENT`.
        pub fn user_agent(
            mut self,
            user_agent: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.$options.set_user_agent(user_agent);
            self
        }

        /// When to send a request again (429, and 502/503/504 where safe); also applies
        /// to the logins. On by default with `RetryPolicy::default()`;
        /// `RetryPolicy::none()` turns it off. Every bound is honoured as given.
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.$options.set_retry_policy(policy);
            self
        }

        /// Send this fixed access token (obtained elsewhere) to the operations whose spec
        /// asks for one. It is not renewed. Replaces any other credential setting.
        pub fn access_token(mut self, token: impl ::std::convert::Into<$crate::Secret>) -> Self {
            self.$options
                .set_credentials($crate::builder::token_credentials(token));
            self
        }

        /// Use a token source built elsewhere (another grant, or one shared between
        /// clients): its token is cached, renewed before it expires and once after a 401.
        /// Replaces any other credential setting.
        pub fn token_source(mut self, source: ::std::sync::Arc<$crate::TokenSource>) -> Self {
            self.$options
                .set_credentials($crate::builder::source_credentials(source));
            self
        }

        /// How long before its expiry a token from a login this builder sets up is
        /// renewed, default 60 s, at most a quarter of the token's lifetime (a 30 s token
        /// is renewed 7.5 s before it expires, not at every call). Any duration is
        /// honoured, `Duration::MAX` included.
        pub fn renew_before(mut self, margin: ::std::time::Duration) -> Self {
            self.$options.set_renew_before(margin);
            self
        }

        /// The cap on a response body in bytes, default 16 MiB
        /// (`oauth_client_runtime::DEFAULT_MAX_RESPONSE_BYTES`, far above what the API
        /// returns). A larger body is read no further and the call fails with
        /// `ErrorKind::BodyTooLarge`, naming the operation and the cap. Any value is
        /// honoured (`0` refuses every non-empty body).
        pub fn max_response_bytes(mut self, limit: usize) -> Self {
            self.$options.set_max_response_bytes(limit);
            self
        }

        /// Allows plain-`http` base URLs to hosts that are not loopback. Insecure: the
        /// passwords, client secrets and tokens of the calls travel in clear text. Without
        /// it, [`build`](Self::build) refuses such a URL (loopback `http` is always
        /// allowed, for mock servers).
        pub fn danger_allow_insecure_http(mut self) -> Self {
            self.$options.allow_insecure_http();
            self
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPS: Operations = Operations {
        retry_safe: &[],
        authenticated: &["op"],
    };

    #[test]
    fn connect_checks_the_base_url() {
        let options = ClientOptions::new("ua");
        let c = options
            .connect("base URL", "http://127.0.0.1:8080/", OPS)
            .expect("loopback");
        assert_eq!(c.base_url(), "http://127.0.0.1:8080");
        for (bad, says) in [
            ("http://api.example.com", "plain http"),
            ("https://api.example.com/?x=1", "without a query"),
            ("ftp://127.0.0.1", "scheme `ftp`"),
            ("not a url", "not a URL"),
        ] {
            let e = options.connect("base URL", bad, OPS).unwrap_err();
            assert!(e.to_string().contains(says), "{bad}: {e}");
            assert!(e.to_string().contains("base URL"), "{bad}: {e}");
        }
        let mut insecure = options.clone();
        insecure.allow_insecure_http();
        assert!(
            insecure
                .connect("base URL", "http://api.example.com", OPS)
                .is_ok()
        );
    }

    #[test]
    fn the_last_credential_setting_wins() {
        let mut options = ClientOptions::new("ua");
        assert!(matches!(options.credentials(), Some(Credentials::None)));
        options.set_credentials(token_credentials("t"));
        assert!(matches!(options.credentials(), Some(Credentials::Token(_))));
        options.set_crate_credential();
        assert!(options.credentials().is_none());
        let held = Secret::from("u");
        options.set_credentials(token_credentials(&held));
        assert!(matches!(options.credentials(), Some(Credentials::Token(t)) if t.expose() == "u"));
        assert!(!format!("{options:?}").contains("\"u\""));
    }

    #[test]
    fn the_runtime_keeps_the_connection_settings() {
        let mut options = ClientOptions::new("ua");
        options.set_max_response_bytes(7);
        options.set_retry_policy(RetryPolicy::none());
        let c = options
            .connect("base URL", "http://localhost:1/stem", OPS)
            .expect("ok");
        let r = c.runtime(Credentials::None, Placement::Query("access_token"));
        assert_eq!(r.base_url(), "http://localhost:1/stem");
        assert_eq!(r.max_response_bytes(), 7);
        assert_eq!(r.operations(), OPS);
        assert_eq!(r.placement(), Placement::Query("access_token"));
        assert_eq!(r.retry_policy().max_retries, 0);
    }
}
