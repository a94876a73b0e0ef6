//! The client builder: the setters every client of this workspace shares (from
//! `oauth_client_runtime::client_builder_setters!`), the region or base URLs, and the
//! client-credentials login.

use std::sync::Arc;

use oauth_client_runtime::builder::ClientOptions;
use oauth_client_runtime::{BuildError, Credentials, Operations, Placement, Secret, TokenSource};

use crate::{AuthorizationCode, Client, ClientCredentials, Environment, Pkce, Region, Saml2Bearer};

/// The user agent sent unless [`ClientBuilder::user_agent`] sets another.
pub const DEFAULT_USER_AGENT: &str =
    concat!("purecloud-oauth-api-rust/", env!("CARGO_PKG_VERSION"));

/// Entry point: `PureCloud::builder()` starts a [`ClientBuilder`].
#[derive(Debug, Clone, Copy)]
pub struct PureCloud;

impl PureCloud {
    /// A client builder with the defaults: region `us_east_1`, 30 s request timeout,
    /// 10 s connect timeout, [`RetryPolicy::default`](crate::RetryPolicy::default), no credentials.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

/// Renamed [`ClientBuilder`], as in every client of this workspace.
#[deprecated(since = "0.2.0", note = "renamed `ClientBuilder`")]
pub type ClientConfig = ClientBuilder;

/// Renamed [`BuildError`], as in every client of this workspace.
#[deprecated(since = "0.2.0", note = "renamed `BuildError`")]
pub type ConfigError = BuildError;

/// The operation lists of the generated module, for the runtime.
const OPERATIONS: Operations = Operations {
    retry_safe: crate::generated::RETRY_SAFE_OPERATIONS,
    authenticated: crate::generated::AUTHENTICATED_OPERATIONS,
};

/// How to build a [`Client`]: the setters every client of this workspace shares
/// (`base_url`, `timeout`, `connect_timeout`, `user_agent`, `retry_policy`, `access_token`,
/// `token_source`, `renew_before`, `max_response_bytes`, `danger_allow_insecure_http`) and
/// this API's own (`region`, `environment`, `login_base_url`, `base_urls`,
/// `client_credentials`).
///
/// Its `Debug` output shows the kind of credential, never its value.
///
/// ```
/// use purecloud_oauth_api::{PureCloud, Region, Secret};
///
/// let secret = Secret::from("s3cret");
/// let client = PureCloud::builder()
///     .region(Region::EuWest1)
///     .client_credentials("client-id", &secret)
///     .build()?;
/// # Ok::<(), purecloud_oauth_api::BuildError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    options: ClientOptions,
    environment: Environment,
    login_base_url: Option<String>,
    client_credentials: Option<(String, Secret)>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            options: ClientOptions::new(DEFAULT_USER_AGENT),
            environment: Environment::default(),
            login_base_url: None,
            client_credentials: None,
        }
    }
}

impl ClientBuilder {
    /// Same as [`PureCloud::builder`].
    pub fn new() -> Self {
        Self::default()
    }

    oauth_client_runtime::client_builder_setters!(options);

    /// Use a known region (API `https://api.<domain>`, login `https://login.<domain>`).
    /// Replaces any base URL set before.
    pub fn region(self, region: Region) -> Self {
        self.environment(Environment::region(region))
    }

    /// Use an environment: a region, a custom domain ([`Environment::custom`]) or explicit
    /// base URLs ([`Environment::from_base_urls`]). Replaces any base URL set before.
    pub fn environment(mut self, environment: impl Into<Environment>) -> Self {
        self.environment = environment.into();
        self.options.clear_base_url();
        self.login_base_url = None;
        self
    }

    /// The login base URL (the token endpoint is `<this>/oauth/token`), default the
    /// environment's `https://login.<domain>`. Checked like the API's
    /// [`base_url`](ClientBuilder::base_url).
    pub fn login_base_url(mut self, login_base_url: impl Into<String>) -> Self {
        self.login_base_url = Some(login_base_url.into());
        self
    }

    /// Explicit base URLs for the API and the login (a proxy, a mock server): the same as
    /// [`base_url`](ClientBuilder::base_url) and
    /// [`login_base_url`](ClientBuilder::login_base_url).
    pub fn base_urls(
        self,
        api_base_url: impl Into<String>,
        login_base_url: impl Into<String>,
    ) -> Self {
        self.base_url(api_base_url).login_base_url(login_base_url)
    }

    /// Log in with the client-credentials grant of this OAuth client at the environment's
    /// login URL. The token is fetched at the first call, cached, renewed before it expires
    /// (see [`ClientBuilder::renew_before`]) and once after a 401. Replaces any other
    /// credential setting.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        self.options.set_crate_credential();
        self.client_credentials = Some((client_id.into(), client_secret.into()));
        self
    }

    /// The authorization-code login ([`AuthorizationCode`]) of this builder's environment:
    /// its login base URL (checked like [`build`](ClientBuilder::build) checks it), an HTTP
    /// client with this builder's timeouts, user agent and same-origin redirects, and its
    /// retry policy. No `reqwest` of your own is needed.
    ///
    /// ```
    /// use purecloud_oauth_api::{PureCloud, Region};
    ///
    /// let flow = PureCloud::builder()
    ///     .region(Region::EuWest1)
    ///     .authorization_code_flow("client-id", "client-secret", "https://app.example.com/cb")?;
    /// assert_eq!(flow.token_url(), "https://login.mypurecloud.ie/oauth/token");
    /// # Ok::<(), purecloud_oauth_api::BuildError>(())
    /// ```
    pub fn authorization_code_flow(
        &self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        redirect_uri: impl Into<String>,
    ) -> Result<AuthorizationCode, BuildError> {
        let (http, login) = self.login_parts()?;
        Ok(
            AuthorizationCode::new(http, &login, client_id, client_secret, redirect_uri)
                .with_retry(self.options.retry_policy().clone())
                .checked(),
        )
    }

    /// The PKCE login ([`Pkce`], a public client: no secret) of this builder's environment,
    /// set up like [`authorization_code_flow`](ClientBuilder::authorization_code_flow).
    pub fn pkce_flow(
        &self,
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Result<Pkce, BuildError> {
        let (http, login) = self.login_parts()?;
        Ok(Pkce::new(http, &login, client_id, redirect_uri)
            .with_retry(self.options.retry_policy().clone())
            .checked())
    }

    /// The SAML2 bearer login ([`Saml2Bearer`]) of this builder's environment, set up like
    /// [`authorization_code_flow`](ClientBuilder::authorization_code_flow).
    pub fn saml2_bearer_flow(
        &self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        org_name: impl Into<String>,
        assertion: impl Into<Secret>,
    ) -> Result<Saml2Bearer, BuildError> {
        let (http, login) = self.login_parts()?;
        Ok(
            Saml2Bearer::new(http, &login, client_id, client_secret, org_name, assertion)
                .with_retry(self.options.retry_policy().clone())
                .checked(),
        )
    }

    /// The HTTP client and the checked login base URL (without a trailing `/`) of a login
    /// flow made by this builder.
    fn login_parts(&self) -> Result<(reqwest::Client, String), BuildError> {
        let url = self.checked_login_base_url()?;
        Ok((self.options.http_client()?, url))
    }

    /// The login base URL, checked like the API's (without a trailing `/`).
    fn checked_login_base_url(&self) -> Result<String, BuildError> {
        let url = self
            .options
            .check_url("login base URL", self.login_base_url_ref())?;
        Ok(url.as_str().trim_end_matches('/').to_owned())
    }

    /// The environment the client will talk to (with the base URLs set on this builder).
    pub fn environment_ref(&self) -> Environment {
        Environment::from_base_urls(self.api_base_url(), self.login_base_url_ref())
    }

    fn api_base_url(&self) -> &str {
        self.options
            .base_url()
            .unwrap_or(self.environment.api_base_url())
    }

    fn login_base_url_ref(&self) -> &str {
        self.login_base_url
            .as_deref()
            .unwrap_or(self.environment.login_base_url())
    }

    /// Builds the client: checks both base URLs (https, or http to loopback unless
    /// [`danger_allow_insecure_http`](ClientBuilder::danger_allow_insecure_http); no
    /// query) and builds the HTTP client the calls and the login share.
    pub fn build(self) -> Result<Client, BuildError> {
        let login_url = self.checked_login_base_url()?;
        let connection = self
            .options
            .connect("API base URL", self.api_base_url(), OPERATIONS)?;
        let credentials = match (self.options.credentials(), &self.client_credentials) {
            (Some(credentials), _) => credentials.clone(),
            (None, Some((client_id, client_secret))) => {
                let fetcher = ClientCredentials::new(
                    connection.http().clone(),
                    &login_url,
                    client_id.clone(),
                    client_secret.clone(),
                )
                .with_retry(self.options.retry_policy().clone())
                .checked();
                Credentials::Source(Arc::new(TokenSource::with_margin(
                    fetcher,
                    self.options.renew_before(),
                )))
            }
            (None, None) => Credentials::None,
        };
        Ok(Client::new_with_client(
            connection.base_url(),
            connection.http().clone(),
            connection.runtime(credentials, Placement::Bearer),
        ))
    }
}
