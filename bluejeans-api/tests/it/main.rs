//! Integration tests of the BlueJeans client against wiremock servers on 127.0.0.1.

mod authorize;
mod errors;
mod hostile;
mod mocks;
mod operations;
mod redaction;
mod security;
mod support;
mod token_source;
mod vocabulary;
