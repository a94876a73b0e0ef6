#![doc = include_str!("../README.md")]

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, missing_docs, rustdoc::all)]
mod generated;

mod auth;
mod authorize;
mod config;

pub use auth::{Grant, GrantFetcher};
pub use authorize::{AuthorizeUrl, DEFAULT_AUTHORIZE_URL};
pub use config::{
    BlueJeans, BuildError, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use generated::*;
pub use oauth_client_runtime::{
    Credentials, ErrorKind, Placement, RetryPolicy, Runtime as ClientState, Secret, Token,
    TokenSource,
};

/// The error of every `call()`: names the operation, status, error body and correlation id.
pub type Error = oauth_client_runtime::ApiError<types::Error>;

oauth_client_runtime::impl_client_hooks!(Client);

impl oauth_client_runtime::ErrorBody for types::Error {
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}
