//! Integration tests against wiremock servers on 127.0.0.1: every operation on the wire, the
//! client-credentials, authorization-code, PKCE, SAML2 bearer and implicit logins, retries
//! and error paths, usage polling, tracing, redaction.

mod auth_code;
mod builder_flows;
mod client_credentials;
mod common;
mod errors;
mod hostile;
mod implicit;
mod login;
mod mocks;
mod operations;
mod pkce;
mod redaction;
mod region;
mod saml2;
mod security;
mod tracing_spans;
mod usage;
mod vocabulary;
