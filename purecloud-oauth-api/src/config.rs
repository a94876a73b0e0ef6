//! The client builder: region or base URLs, timeouts, user agent, retry policy, credentials.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use oauth_client_runtime::{
    Credentials, DEFAULT_MAX_RESPONSE_BYTES, Placement, RetryPolicy, Runtime, Secret, TokenSource,
};

use crate::{Client, ClientCredentials, Environment, Region};

/// The user agent sent unless [`ClientConfig::user_agent`] sets another.
pub const DEFAULT_USER_AGENT: &str =
    concat!("purecloud-oauth-api-rust/", env!("CARGO_PKG_VERSION"));

/// Entry point: `PureCloud::builder()` starts a [`ClientConfig`].
#[derive(Debug, Clone, Copy)]
pub struct PureCloud;

impl PureCloud {
    /// A client configuration with the defaults: region `us_east_1`, 30 s request timeout,
    /// 10 s connect timeout, [`RetryPolicy::default`], no credentials.
    pub fn builder() -> ClientConfig {
        ClientConfig::default()
    }
}

#[derive(Clone, Debug, Default)]
enum CredentialConfig {
    #[default]
    None,
    Token(Secret),
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    Source(Arc<TokenSource>),
}

/// How to build a [`Client`]: where, how long to wait, how often to retry, which credential.
///
/// Its `Debug` output shows the kind of credential, never its value.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    environment: Environment,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    credentials: CredentialConfig,
    renew_before: Duration,
    max_response_bytes: usize,
    allow_insecure_http: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            environment: Environment::default(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            retry: RetryPolicy::default(),
            credentials: CredentialConfig::None,
            renew_before: Duration::from_secs(60),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
        }
    }
}

impl ClientConfig {
    /// Same as [`PureCloud::builder`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Use a known region (API `https://api.<domain>`, login `https://login.<domain>`).
    pub fn region(mut self, region: Region) -> Self {
        self.environment = Environment::region(region);
        self
    }

    /// Use an environment: a region, a custom domain ([`Environment::custom`]) or explicit
    /// base URLs ([`Environment::from_base_urls`]).
    pub fn environment(mut self, environment: impl Into<Environment>) -> Self {
        self.environment = environment.into();
        self
    }

    /// Explicit base URLs for the API and the login (a proxy, a mock server).
    pub fn base_urls(
        self,
        api_base_url: impl Into<String>,
        login_base_url: impl Into<String>,
    ) -> Self {
        self.environment(Environment::from_base_urls(api_base_url, login_base_url))
    }

    /// The time limit of one HTTP request (each attempt, each login), default 30 s. Any
    /// duration is honoured (`Duration::MAX`: no timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time limit of establishing a connection, default 10 s. Any duration is honoured.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header, default [`DEFAULT_USER_AGENT`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// When to send a request again (429, 502/503/504); default [`RetryPolicy::default`],
    /// [`RetryPolicy::none`] turns retries off. Also applies to the login. Every bound is
    /// honoured as given (the arithmetic saturates).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Send this fixed access token (obtained elsewhere). It is not renewed.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = CredentialConfig::Token(token.into());
        self
    }

    /// Log in with the client-credentials grant of this OAuth client at the environment's
    /// login URL. The token is fetched at the first call, cached, renewed before it expires
    /// (see [`ClientConfig::renew_before`]) and once after a 401.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        self.credentials = CredentialConfig::ClientCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        };
        self
    }

    /// Use a token source built elsewhere (another grant, or one shared between clients).
    pub fn token_source(mut self, source: Arc<TokenSource>) -> Self {
        self.credentials = CredentialConfig::Source(source);
        self
    }

    /// How long before its expiry a client-credentials token is renewed, default 60 s, at
    /// most a quarter of the token's lifetime (a 30 s token is renewed 7.5 s before it
    /// expires, not at every call). Any duration is honoured, `Duration::MAX` included.
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
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

    /// Allows plain-`http` base URLs (API or login) to a host that is not loopback.
    /// Insecure: the client secret and the tokens travel in clear text. Without it,
    /// [`ClientConfig::build`] refuses such a URL (loopback `http` is always allowed, for
    /// mock servers).
    pub fn danger_allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// The environment the client will talk to.
    pub fn environment_ref(&self) -> &Environment {
        &self.environment
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        for (what, url) in [
            ("API", self.environment.api_base_url()),
            ("login", self.environment.login_base_url()),
        ] {
            oauth_client_runtime::check_base_url(
                &format!("{what} base URL"),
                url,
                self.allow_insecure_http,
            )
            .map_err(ConfigError)?;
        }
        // Same-origin redirects only, no `Referer` (the login uses this client too).
        let http = oauth_client_runtime::client_builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.as_str())
            .build()
            .map_err(|e| ConfigError(format!("the HTTP client could not be built: {e}")))?;
        let credentials = match self.credentials {
            CredentialConfig::None => Credentials::None,
            CredentialConfig::Token(token) => Credentials::Token(token),
            CredentialConfig::ClientCredentials {
                client_id,
                client_secret,
            } => {
                let fetcher = ClientCredentials::new(
                    http.clone(),
                    self.environment.login_base_url(),
                    client_id,
                    client_secret,
                )
                .with_retry(self.retry.clone());
                Credentials::Source(Arc::new(TokenSource::with_margin(
                    fetcher,
                    self.renew_before,
                )))
            }
            CredentialConfig::Source(source) => Credentials::Source(source),
        };
        let runtime = Runtime {
            retry: self.retry,
            credentials,
            placement: Placement::Bearer,
            retry_safe_operations: crate::RETRY_SAFE_OPERATIONS,
            authenticated_operations: crate::AUTHENTICATED_OPERATIONS,
            max_response_bytes: self.max_response_bytes,
        };
        Ok(Client::new_with_client(
            self.environment.api_base_url(),
            http,
            runtime,
        ))
    }
}

/// A configuration that cannot make a client (a base URL that is not a URL, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}
