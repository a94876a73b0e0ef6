#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[rustfmt::skip]
mod generated;

pub use generated::*;
/// The mock server crate, so that a test needs no second dev-dependency.
pub use httpmock;
pub use httpmock::MockServer;
