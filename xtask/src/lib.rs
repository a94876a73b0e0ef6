//! The library half of `cargo xtask`: what its commands and its tests share.

pub mod upstream;
