//! [`BlueJeans::builder`]: a configured [`Client`], with the setters every client of this
//! workspace shares (from `oauth_client_runtime::client_builder_setters!`) and the grants.

use std::sync::Arc;
use std::time::Duration;

use oauth_client_runtime::builder::{ClientOptions, Connection};
use oauth_client_runtime::{
    BuildError, Credentials, Operations, Placement, RetryPolicy, Secret, TokenSource,
};

use crate::Client;
use crate::auth::{Grant, GrantFetcher};

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://api.bluejeans.com";

/// The default `User-Agent` header.
pub const DEFAULT_USER_AGENT: &str = concat!("bluejeans-api-rust/", env!("CARGO_PKG_VERSION"));

/// The default timeout for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration =
    oauth_client_runtime::builder::DEFAULT_CONNECT_TIMEOUT;

/// The default timeout for one attempt of a request, response body included.
pub const DEFAULT_TIMEOUT: Duration = oauth_client_runtime::builder::DEFAULT_TIMEOUT;

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

/// The operation lists of the generated module, for the runtime.
const OPERATIONS: Operations = Operations {
    retry_safe: crate::generated::RETRY_SAFE_OPERATIONS,
    authenticated: crate::generated::AUTHENTICATED_OPERATIONS,
};

/// Configures a [`Client`]: the setters every client of this workspace shares
/// (`base_url`, `timeout`, `connect_timeout`, `user_agent`, `retry_policy`, `access_token`,
/// `token_source`, `renew_before`, `max_response_bytes`, `danger_allow_insecure_http`) and
/// this API's own (`grant`, `token_in_query`, `placement`). `Debug` shows no credential.
///
/// ```
/// use std::time::Duration;
/// use bluejeans_api::{BlueJeans, Grant, RetryPolicy, Secret};
///
/// let password = Secret::from("hunter2");
/// let client = BlueJeans::builder()
///     .base_url("https://api.bluejeans.com")
///     .timeout(Duration::from_secs(10))
///     .retry_policy(RetryPolicy::none())
///     .grant(Grant::password("alice", &password))
///     .build()?;
/// # Ok::<(), bluejeans_api::BuildError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    options: ClientOptions,
    grant: Option<Grant>,
    placement: Placement,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            options: ClientOptions::new(DEFAULT_USER_AGENT),
            grant: None,
            placement: Placement::Bearer,
        }
    }
}

impl ClientBuilder {
    oauth_client_runtime::client_builder_setters!(options);

    /// Renamed [`ClientBuilder::retry_policy`].
    #[deprecated(
        since = "0.2.0",
        note = "renamed `retry_policy`, as in every client of this workspace"
    )]
    pub fn retry(self, policy: RetryPolicy) -> Self {
        self.retry_policy(policy)
    }

    /// Renamed [`ClientBuilder::access_token`].
    #[deprecated(
        since = "0.2.0",
        note = "renamed `access_token`, as in every client of this workspace"
    )]
    pub fn token(self, token: impl Into<Secret>) -> Self {
        self.access_token(token)
    }

    /// Logs in with `grant` on first use and renews through it: a token source over a
    /// [`GrantFetcher`] whose login client shares this builder's base URL, timeouts, user
    /// agent and retry policy (see [`ClientBuilder::build_token_source`]), renewed
    /// [`renew_before`](ClientBuilder::renew_before) its expiry. Replaces any other
    /// credential setting.
    pub fn grant(mut self, grant: Grant) -> Self {
        self.options.set_crate_credential();
        self.grant = Some(grant);
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

    fn connect(&self) -> Result<Connection, BuildError> {
        let base_url = self.options.base_url().unwrap_or(DEFAULT_BASE_URL);
        self.options.connect("base URL", base_url, OPERATIONS)
    }

    /// A client with no credential for the token endpoints (the grants need none), sharing
    /// the connection's HTTP client.
    fn login_client(connection: &Connection) -> Client {
        Client::new_with_client(
            connection.base_url(),
            connection.http().clone(),
            connection.runtime(Credentials::None, Placement::Bearer),
        )
    }

    fn grant_source(&self, grant: Grant, connection: &Connection) -> TokenSource {
        TokenSource::with_margin(
            GrantFetcher::new(grant, Self::login_client(connection)),
            self.options.renew_before(),
        )
    }

    /// A token source that runs `grant` against this builder's base URL (for sharing one
    /// source among several clients, or for reading the cached [`oauth_client_runtime::Token`]).
    pub fn build_token_source(&self, grant: Grant) -> Result<TokenSource, BuildError> {
        let connection = self.connect()?;
        Ok(self.grant_source(grant, &connection))
    }

    /// Builds the client: checks the base URL (https, or http to loopback unless
    /// [`danger_allow_insecure_http`](ClientBuilder::danger_allow_insecure_http); no
    /// query) and builds its HTTP client.
    pub fn build(self) -> Result<Client, BuildError> {
        let connection = self.connect()?;
        let credentials = match (self.options.credentials(), &self.grant) {
            (Some(credentials), _) => credentials.clone(),
            (None, Some(grant)) => {
                Credentials::Source(Arc::new(self.grant_source(grant.clone(), &connection)))
            }
            (None, None) => Credentials::None,
        };
        Ok(Client::new_with_client(
            connection.base_url(),
            connection.http().clone(),
            connection.runtime(credentials, self.placement),
        ))
    }
}
