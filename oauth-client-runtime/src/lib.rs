//! The hand-written runtime shared by this workspace's generated API clients
//! (`bluejeans-api`, `purecloud-oauth-api`): [`Secret`] for credentials, [`TokenSource`]
//! for cached and renewed access tokens, [`RetryPolicy`] for 429 and 5xx, [`ApiError`] for
//! errors that name the operation, status, error body and correlation id, [`Runtime`],
//! which the clients' `ClientHooks` impls delegate to, and [`builder`], the builder
//! vocabulary both clients share ([`builder::ClientOptions`], [`client_builder_setters!`],
//! [`BuildError`]).

pub mod builder;
mod error;
pub mod http;
mod optional;
mod redact;
pub mod retry;
mod runtime;
mod secret;
mod token;

pub use builder::BuildError;
pub use error::{
    ApiError, CORRELATION_HEADERS, ErrorBody, ErrorKind, IntoErrorBody, correlation_id,
};
pub use http::{
    BodyTooLarge, CrossOriginRedirect, DEFAULT_MAX_RESPONSE_BYTES, check_base_url, client_builder,
};
pub use optional::IntoOptional;
pub use redact::{CREDENTIAL_NAMES, REDACTED, Redactor, is_credential_name};
/// The URL type the builders and the login flows take and return (`reqwest`'s, from the
/// `url` crate), re-exported so that callers need no dependency of their own.
pub use reqwest::Url;
pub use retry::RetryPolicy;
pub use runtime::{Credentials, Operations, Placement, Runtime};
pub use secret::Secret;
pub use token::{AuthError, FetchFuture, Token, TokenFetcher, TokenSource};

/// Implements progenitor's `ClientHooks` for a generated `Client` whose inner type is
/// [`Runtime`]: every request goes through [`Runtime::prepare`] and [`Runtime::execute`]
/// (sent with the runtime's own HTTP client, to its checked origin only).
/// The crate using it needs `progenitor-client` and `reqwest` as dependencies.
#[macro_export]
macro_rules! impl_client_hooks {
    ($client:ty) => {
        impl ::progenitor_client::ClientHooks<$crate::Runtime> for $client {
            async fn pre<E>(
                &self,
                request: &mut ::reqwest::Request,
                info: &::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), ::progenitor_client::Error<E>> {
                ::progenitor_client::ClientInfo::inner(self)
                    .prepare(request, info.operation_id)
                    .await
                    .map_err(::progenitor_client::Error::Custom)
            }

            // The runtime's future itself (no `async` wrapper around it).
            fn exec(
                &self,
                request: ::reqwest::Request,
                info: &::progenitor_client::OperationInfo,
            ) -> impl ::std::future::Future<Output = ::reqwest::Result<::reqwest::Response>> + Send
            {
                ::progenitor_client::ClientInfo::inner(self).execute(request, info.operation_id)
            }
        }
    };
}

/// Decodes a JSON response into a `ResponseValue`: what the generated code calls where
/// progenitor calls `ResponseValue::from_response`, with the same results and errors, but
/// the response headers are moved into the value instead of cloned (one header map fewer
/// to allocate, copy and drop per response).
pub async fn decode_response<T, E>(
    mut response: reqwest::Response,
) -> Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>
where
    T: serde::de::DeserializeOwned,
{
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response
        .bytes()
        .await
        .map_err(|e| progenitor_client::Error::ResponseBodyError(e.without_url()))?;
    // Neither the bytes (a token response holds tokens) nor serde_json's message (it can
    // quote a value) are kept: the error says what is wrong and where.
    let inner = serde_json::from_slice(&body).map_err(|e| {
        progenitor_client::Error::InvalidResponsePayload(
            bytes::Bytes::new(),
            <serde_json::Error as serde::de::Error>::custom(error::describe_json_error(&e)),
        )
    })?;
    Ok(progenitor_client::ResponseValue::new(
        inner, status, headers,
    ))
}
