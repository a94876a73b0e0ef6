//! The generated module of `generator/tests/specs/constructs.yaml` (every construct the two
//! workspace specs use, in miniature), taken from its committed snapshot
//! `generator/tests/snapshots/constructs.rs` and compiled the way `bluejeans-api` and
//! `purecloud-oauth-api` compile theirs: with the workspace lints (`missing_docs` denied),
//! the runtime's hooks and the crate-root items the generated code names (`crate::Error`,
//! `crate::Secret`). `snapshots.rs` in the generator's tests proves that the snapshot is what
//! the generator produces; this crate proves that it builds, and its tests that it sends
//! what the spec says.

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused_imports, dead_code, rustdoc::all)]
#[path = "../../snapshots/constructs.rs"]
mod generated;

pub use generated::{Client, ResponseValue, builder, types};
pub use oauth_client_runtime::Secret;

/// What the generated module knows about the spec's operations (the runtime's input).
pub mod spec {
    pub use crate::generated::{AUTHENTICATED_OPERATIONS, RETRY_SAFE_OPERATIONS};
}

/// The error of every `call()`.
pub type Error = oauth_client_runtime::ApiError<types::Error>;

oauth_client_runtime::impl_client_hooks!(Client);

impl oauth_client_runtime::ErrorBody for types::Error {
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}
