//! [`BlueJeans::builder`]: a configured [`Client`] (base URL, timeouts, user agent, retry
//! policy, and the access token with where it goes).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use oauth_client_runtime::{
    Credentials, DEFAULT_MAX_RESPONSE_BYTES, Placement, RetryPolicy, Runtime, Secret, TokenSource,
};

use crate::Client;
use crate::auth::{Grant, GrantFetcher};

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.bluejeans.com";

/// The default `User-Agent` header.
pub const DEFAULT_USER_AGENT: &str = concat!("bluejeans-api-rust/", env!("CARGO_PKG_VERSION"));

/// The default timeout for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default timeout for a whole request, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The entry point of the hand-written layer: `BlueJeans::builder()` configures a [`Client`]
/// (the generated client type, whose name the generator owns).
#[derive(Debug, Clone, Copy)]
pub struct BlueJeans;

impl BlueJeans {
    /// A builder with the defaults: [`DEFAULT_BASE_URL`], retries on
    /// ([`RetryPolicy::default`]), no token, `Authorization: Bearer` placement.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

/// Why a client (or an authorize URL) could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
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

/// The credential the builder was given.
#[derive(Debug, Clone, Default)]
enum Auth {
    #[default]
    None,
    Token(Secret),
    Source(Arc<TokenSource>),
    Grant(Grant),
}

/// Configures a [`Client`]. `Debug` shows no credential.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    auth: Auth,
    placement: Placement,
    max_response_bytes: usize,
    allow_insecure_http: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            retry: RetryPolicy::default(),
            auth: Auth::None,
            placement: Placement::Bearer,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
        }
    }
}

impl ClientBuilder {
    /// The API base URL (scheme, host, optional port and path stem), default
    /// [`DEFAULT_BASE_URL`]. A trailing `/` is dropped. It must be `https`, or `http` to a
    /// loopback host (a mock server); [`ClientBuilder::build`] refuses plain `http`
    /// elsewhere unless [`ClientBuilder::danger_allow_insecure_http`] was called.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The timeout for establishing a connection, default [`DEFAULT_CONNECT_TIMEOUT`].
    /// Any duration is honoured (`Duration::MAX` waits as long as the OS lets it).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The timeout for one attempt of a request, default [`DEFAULT_TIMEOUT`]. Any duration
    /// is honoured (`Duration::MAX`: no timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header, default [`DEFAULT_USER_AGENT`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// When to send a request again (429, and 502/503/504 where safe). On by default with
    /// [`RetryPolicy::default`]; [`RetryPolicy::none`] turns it off. Every bound is
    /// honoured as given (the arithmetic saturates).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// One fixed access token (from a grant made elsewhere). It is not renewed.
    pub fn token(mut self, token: impl Into<Secret>) -> Self {
        self.auth = Auth::Token(token.into());
        self
    }

    /// A token source: cached token, renewed before expiry and once after a 401.
    pub fn token_source(mut self, source: Arc<TokenSource>) -> Self {
        self.auth = Auth::Source(source);
        self
    }

    /// Logs in with `grant` on first use and renews through it: a token source over a
    /// [`GrantFetcher`] whose login client shares this builder's base URL, timeouts, user
    /// agent and retry policy (see [`ClientBuilder::build_token_source`]).
    pub fn grant(mut self, grant: Grant) -> Self {
        self.auth = Auth::Grant(grant);
        self
    }

    /// Sends the token as the `access_token` query parameter instead of
    /// `Authorization: Bearer` (the default). Both upstream specs document the query form,
    /// but a token in a URL ends up in proxy and server access logs and in browser
    /// history: use it only for a server that does not accept the header.
    pub fn token_in_query(mut self) -> Self {
        self.placement = Placement::Query("access_token");
        self
    }

    /// Where the token goes ([`Placement::Bearer`] by default).
    pub fn placement(mut self, placement: Placement) -> Self {
        self.placement = placement;
        self
    }

    /// The cap on a response body in bytes, default
    /// [`oauth_client_runtime::DEFAULT_MAX_RESPONSE_BYTES`] (16 MiB, far above what the
    /// API returns). A larger body is read no further and the call fails with
    /// [`crate::ErrorKind::BodyTooLarge`], naming the operation and the cap. Any value is
    /// honoured (`0` refuses every non-empty body).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Allows a plain-`http` base URL to a host that is not loopback. Insecure: the
    /// passwords, client secrets and tokens of the calls travel in clear text. Without it,
    /// [`ClientBuilder::build`] refuses such a URL (loopback `http` is always allowed).
    pub fn danger_allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    fn http_client(&self) -> Result<reqwest::Client, BuildError> {
        // Same-origin redirects only, no `Referer`.
        oauth_client_runtime::client_builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .user_agent(self.user_agent.as_str())
            .build()
            .map_err(|e| BuildError::new(format!("cannot build the HTTP client: {e}")))
    }

    fn checked_base_url(&self) -> Result<String, BuildError> {
        let base = self.base_url.trim_end_matches('/');
        let url = oauth_client_runtime::check_base_url("base URL", base, self.allow_insecure_http)
            .map_err(BuildError::new)?;
        if url.query().is_some() {
            return Err(BuildError::new(format!(
                "the base URL {base:?} must be http(s) without a query"
            )));
        }
        Ok(base.to_owned())
    }

    fn runtime(&self, credentials: Credentials, placement: Placement) -> Runtime {
        Runtime {
            retry: self.retry.clone(),
            credentials,
            placement,
            retry_safe_operations: crate::RETRY_SAFE_OPERATIONS,
            authenticated_operations: crate::AUTHENTICATED_OPERATIONS,
            max_response_bytes: self.max_response_bytes,
        }
    }

    /// A client with no credential for the token endpoints (the grants need none), sharing
    /// `http`.
    fn login_client(&self, base_url: &str, http: reqwest::Client) -> Client {
        Client::new_with_client(
            base_url,
            http,
            self.runtime(Credentials::None, Placement::Bearer),
        )
    }

    /// A token source that runs `grant` against this builder's base URL (for sharing one
    /// source among several clients, or for reading the cached [`oauth_client_runtime::Token`]).
    pub fn build_token_source(&self, grant: Grant) -> Result<TokenSource, BuildError> {
        let base_url = self.checked_base_url()?;
        let http = self.http_client()?;
        Ok(TokenSource::new(GrantFetcher::new(
            grant,
            self.login_client(&base_url, http),
        )))
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.checked_base_url()?;
        let http = self.http_client()?;
        let credentials = match &self.auth {
            Auth::None => Credentials::None,
            Auth::Token(token) => Credentials::Token(token.clone()),
            Auth::Source(source) => Credentials::Source(source.clone()),
            Auth::Grant(grant) => {
                let login = self.login_client(&base_url, http.clone());
                Credentials::Source(Arc::new(TokenSource::new(GrantFetcher::new(
                    grant.clone(),
                    login,
                ))))
            }
        };
        Ok(Client::new_with_client(
            &base_url,
            http,
            self.runtime(credentials, self.placement),
        ))
    }
}
