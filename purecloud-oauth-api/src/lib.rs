#![doc = include_str!("../README.md")]

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, rustdoc::all)]
mod generated;

mod auth_code;
mod config;
mod login;
mod login_error;
mod pkce;
mod region;
mod saml2;
mod usage;

pub use auth_code::{
    AuthorizationCode, AuthorizeUrl, Implicit, RefreshTokenGrant, code_from_redirect,
    token_from_redirect,
};
#[allow(deprecated)]
pub use config::{ClientBuilder, ClientConfig, ConfigError, DEFAULT_USER_AGENT, PureCloud};
pub use generated::{Client, ResponseValue, builder, types};
pub use login::{AUTHORIZE_PATH, ClientCredentials, TOKEN_PATH};
pub use login_error::{LoginError, LoginErrorKind, OAuthError};
// The same set of runtime types in every client crate of this workspace.
pub use oauth_client_runtime::{
    AuthError, BuildError, Credentials, ErrorKind, Placement, RetryPolicy, Runtime, Secret, Token,
    TokenFetcher, TokenSource, Url,
};
pub use pkce::{Pkce, PkceCodeVerifier, PkceError, random_state};
pub use region::{Environment, Region, UnknownRegion};
pub use saml2::{SAML2_BEARER_GRANT_TYPE, Saml2Bearer};
pub use usage::{UsageError, UsagePolling};

/// What the generated module knows about the spec's operations (the runtime's input).
pub mod spec {
    pub use crate::generated::{AUTHENTICATED_OPERATIONS, RETRY_SAFE_OPERATIONS};
}

/// progenitor's own items, for code that uses `send()` rather than `call()`: its
/// `Error`, `ByteStream`, and `ClientInfo` (the trait behind `client.baseurl()`).
pub mod progenitor {
    pub use crate::generated::{ByteStream, ClientInfo, Error};
}

/// The error of every `call()`: names the operation, status, error body and correlation id.
pub type Error = oauth_client_runtime::ApiError<types::ErrorBody>;

oauth_client_runtime::impl_client_hooks!(Client);

impl types::OAuthClientRequest {
    /// A request with the two required fields, every other field unset: the compiler checks
    /// the required fields, where the builder checks them when the request is sent. Set
    /// the others on the value (`request.description = Some(..)`).
    ///
    /// ```
    /// use purecloud_oauth_api::types::{OAuthClientGrantType, OAuthClientRequest, OAuthClientState};
    ///
    /// let mut request = OAuthClientRequest::new("Reporting", OAuthClientGrantType::ClientCredentials);
    /// request.state = Some(OAuthClientState::Active);
    /// ```
    pub fn new(
        name: impl Into<String>,
        authorized_grant_type: types::OAuthClientGrantType,
    ) -> Self {
        types::OAuthClientRequest {
            access_token_validity_seconds: None,
            authorized_grant_type,
            date_to_delete: None,
            description: None,
            name: name.into(),
            registered_redirect_uri: Vec::new(),
            role_divisions: None,
            role_ids: None,
            scope: Vec::new(),
            state: None,
        }
    }
}

impl oauth_client_runtime::ErrorBody for types::ErrorBody {
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}
