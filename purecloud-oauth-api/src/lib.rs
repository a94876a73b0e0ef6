#![doc = include_str!("../README.md")]

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, missing_docs, rustdoc::all)]
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
pub use config::{ClientConfig, ConfigError, DEFAULT_USER_AGENT, PureCloud};
pub use generated::*;
pub use login::{AUTHORIZE_PATH, ClientCredentials, TOKEN_PATH};
pub use login_error::{LoginError, LoginErrorKind, OAuthError};
pub use oauth_client_runtime::{
    AuthError, Credentials, ErrorKind, RetryPolicy, Runtime as ClientState, Secret, Token,
    TokenFetcher, TokenSource,
};
pub use pkce::{Pkce, PkceCodeVerifier, PkceError, random_state};
pub use region::{Environment, Region, UnknownRegion};
pub use saml2::{SAML2_BEARER_GRANT_TYPE, Saml2Bearer};
pub use usage::{UsageError, UsagePolling};

/// The error of every `call()`: names the operation, status, error body and correlation id.
pub type Error = oauth_client_runtime::ApiError<types::ErrorBody>;

oauth_client_runtime::impl_client_hooks!(Client);

impl oauth_client_runtime::ErrorBody for types::ErrorBody {
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}
