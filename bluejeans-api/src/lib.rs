#![doc = include_str!("../README.md")]

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, rustdoc::all)]
mod generated;

mod auth;
mod authorize;
mod config;

pub use auth::{Grant, GrantFetcher};
pub use authorize::{AuthorizeUrl, DEFAULT_AUTHORIZE_URL};
pub use config::{
    BlueJeans, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
};
pub use generated::{Client, ResponseValue, builder, types};
// The same set of runtime types in every client crate of this workspace.
pub use oauth_client_runtime::{
    AuthError, BuildError, Credentials, ErrorKind, Placement, RetryPolicy, Runtime, Secret, Token,
    TokenFetcher, TokenSource, Url,
};

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
pub type Error = oauth_client_runtime::ApiError<types::Error>;

oauth_client_runtime::impl_client_hooks!(Client);

impl oauth_client_runtime::ErrorBody for types::Error {
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}
