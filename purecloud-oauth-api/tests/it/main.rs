//! Integration tests against wiremock servers on 127.0.0.1: every operation on the wire, the
//! client-credentials login, retries and error paths, usage polling, tracing, redaction.

mod common;
mod errors;
mod login;
mod mocks;
mod operations;
mod redaction;
mod region;
mod tracing_spans;
mod usage;
