//! The SAML2 bearer grant ([`Saml2Bearer`]): a SAML assertion from the org's identity
//! provider exchanged for a token of that user.

use std::fmt;

use oauth_client_runtime::{AuthError, FetchFuture, RetryPolicy, Secret, Token, TokenFetcher};

use crate::login::{ClientAuth, Field, TokenEndpoint};
use crate::login_error::LoginError;

/// The grant type of RFC 7522 (SAML 2.0 bearer assertion grant).
pub const SAML2_BEARER_GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:saml2-bearer";

/// The SAML2 bearer grant of Genesys Cloud:
///
/// ```text
/// POST <login>/oauth/token
/// Authorization: Basic base64(client_id:client_secret)
/// Content-Type: application/x-www-form-urlencoded
///
/// grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer&orgName=…&assertion=…
/// ```
///
/// as the Python (`get_saml2bearer_token`) and JS (`loginSaml2BearerGrant`) SDKs send it.
/// `assertion` is the base64-encoded SAML assertion, sent as given; it is a [`Secret`].
///
/// As a [`TokenFetcher`] every renewal posts the assertion again, as the SDKs do (they have
/// no refresh for this grant). Assertions are valid for minutes: once it has expired, renewal
/// fails with `invalid_grant` and a new `Saml2Bearer` with a fresh assertion is needed.
#[derive(Clone)]
pub struct Saml2Bearer {
    endpoint: TokenEndpoint,
    client_id: String,
    client_secret: Secret,
    org_name: String,
    assertion: Secret,
}

impl fmt::Debug for Saml2Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Saml2Bearer")
            .field("token_url", &self.endpoint.token_url())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("org_name", &self.org_name)
            .field("assertion", &self.assertion)
            .finish()
    }
}

impl Saml2Bearer {
    /// The grant of OAuth client `client_id` / `client_secret` (a "SAML2 Bearer" client) at
    /// `login_base_url`, sent with `http`, for `assertion` issued to a user of the org named
    /// `org_name`.
    /// The form goes in a body `http` cannot copy: whatever its redirect policy, a 307/308 is
    /// not followed with it. [`ClientBuilder::saml2_bearer_flow`](crate::ClientBuilder::saml2_bearer_flow) makes
    /// one with the client builder's login URL, timeouts, user agent and retry policy.
    pub fn new(
        http: reqwest::Client,
        login_base_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        org_name: impl Into<String>,
        assertion: impl Into<Secret>,
    ) -> Self {
        Saml2Bearer {
            endpoint: TokenEndpoint::new(http, login_base_url),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            org_name: org_name.into(),
            assertion: assertion.into(),
        }
    }

    /// Sets the retry policy of the token requests (429, 502/503/504, connection failures).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.endpoint.set_retry(retry);
        self
    }

    /// The login URL passed the client builder's base-URL rule already.
    pub(crate) fn checked(mut self) -> Self {
        self.endpoint.set_checked();
        self
    }

    /// The OAuth client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The token endpoint URL.
    pub fn token_url(&self) -> &str {
        self.endpoint.token_url()
    }

    /// Exchanges the assertion for a token.
    #[doc(alias = "get_saml2bearer_token")]
    pub async fn login(&self) -> Result<Token, LoginError> {
        if self.org_name.is_empty() {
            return Err(LoginError::input("SAML2 bearer: orgName is empty"));
        }
        if self.assertion.is_empty() {
            return Err(LoginError::input("SAML2 bearer: the assertion is empty"));
        }
        self.endpoint
            .grant(
                ClientAuth::Basic {
                    client_id: &self.client_id,
                    client_secret: &self.client_secret,
                },
                &[
                    ("grant_type", Field::Plain(SAML2_BEARER_GRANT_TYPE)),
                    ("orgName", Field::Plain(&self.org_name)),
                    ("assertion", Field::Secret(&self.assertion)),
                ],
            )
            .await
    }
}

impl TokenFetcher for Saml2Bearer {
    fn fetch<'a>(&'a self, _previous: Option<&'a Token>) -> FetchFuture<'a> {
        Box::pin(async move { self.login().await.map_err(AuthError::from) })
    }
}
