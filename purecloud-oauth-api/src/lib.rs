//! PureCloud OAuth API client (placeholder root; the hand-written layer follows).

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, missing_docs)]
mod generated;

pub use client_support::{Runtime as ClientState, Secret};
pub use generated::*;

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
