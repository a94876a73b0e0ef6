#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, missing_docs, rustdoc::all)]
mod generated;

mod config;
mod login;
mod region;
mod usage;

pub use client_support::{
    AuthError, Credentials, ErrorKind, RetryPolicy, Runtime as ClientState, Secret, Token,
    TokenFetcher, TokenSource,
};
pub use config::{ClientConfig, ConfigError, DEFAULT_USER_AGENT, PureCloud};
pub use generated::*;
pub use login::{ClientCredentials, TOKEN_PATH};
pub use region::{Environment, Region, UnknownRegion};
pub use usage::{UsageError, UsagePolling};

/// The error of every `call()`: names the operation, status, error body and correlation id.
pub type Error = client_support::ApiError<types::ErrorBody>;

client_support::impl_client_hooks!(Client);

impl client_support::ErrorBody for types::ErrorBody {
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}
