#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[rustfmt::skip]
mod generated;

pub use generated::*;
