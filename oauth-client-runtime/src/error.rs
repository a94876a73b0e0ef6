//! [`ApiError`]: one error type per client crate (each names it `Error` with its API's error
//! body), carrying the operation, the HTTP status, the decoded error body and the
//! correlation id. Its `Debug` and `Display` never hold a credential: no URL (a query token
//! would show), no response bytes (a grant response holds tokens).

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};

use progenitor_client::Error as ProgenitorError;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

/// Response headers that carry a request's correlation id, in order of preference.
pub const CORRELATION_HEADERS: &[&str] =
    &["inin-correlation-id", "x-correlation-id", "x-request-id"];

/// What an API error body can say about itself.
pub trait ErrorBody: fmt::Debug + DeserializeOwned + Send + 'static {
    /// The human-readable message, if the body has one.
    fn message(&self) -> Option<&str>;
    /// The machine-readable code, if the body has one.
    fn code(&self) -> Option<&str> {
        None
    }
}

/// What kind of failure an [`ApiError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered with an error status (documented or not).
    Status,
    /// The API answered with a success status but a body that does not decode.
    InvalidBody,
    /// The request did not get an answer (connection, timeout, TLS).
    Communication,
    /// The request could not be built from the arguments given.
    InvalidRequest,
    /// No credential could be had for the request (login failed).
    Auth,
    /// The response body is larger than the client's cap (`max_response_bytes`); the
    /// [`crate::BodyTooLarge`] in the `source()` chain names the operation and the cap.
    BodyTooLarge,
    /// The server redirected to another origin; the [`crate::CrossOriginRedirect`] in the
    /// `source()` chain names the status and the target host. Not followed.
    Redirect,
}

/// A failed call of operation [`ApiError::operation`].
pub struct ApiError<B> {
    operation: &'static str,
    kind: ErrorKind,
    status: Option<StatusCode>,
    body: Option<B>,
    correlation_id: Option<String>,
    detail: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl<B> ApiError<B> {
    /// The operationId of the call that failed.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The HTTP status, where the API answered; for [`ErrorKind::Auth`], the status of the
    /// login (token endpoint) that failed, where it answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }
    /// The API's error body, where it sent one that decodes.
    pub fn body(&self) -> Option<&B> {
        self.body.as_ref()
    }
    /// The correlation id the API sent (`ININ-Correlation-Id` and the like).
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }
    /// Details beyond the status and body, without credentials.
    pub fn detail(&self) -> &str {
        &self.detail
    }
    /// An error that is not about a response.
    pub fn new(operation: &'static str, kind: ErrorKind, detail: impl Into<String>) -> Self {
        ApiError {
            operation,
            kind,
            status: None,
            body: None,
            correlation_id: None,
            detail: detail.into(),
            source: None,
        }
    }

    /// The same error with `source` as its cause (shown by `source()`). The cause must hold
    /// no credential: strip a `reqwest::Error`'s URL first (`without_url`).
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }
}

/// The status and correlation id of the last response of a call, recorded by the exec hook
/// while [`ApiError::capture`] runs the call (progenitor drops the status when an error body
/// does not decode).
#[derive(Debug, Clone, Default)]
pub(crate) struct Meta {
    pub status: Option<StatusCode>,
    pub correlation_id: Option<String>,
}

tokio::task_local! {
    static META: Arc<Mutex<Meta>>;
}

pub(crate) fn record(status: StatusCode, headers: &HeaderMap) {
    let _ = META.try_with(|meta| {
        if let Ok(mut meta) = meta.lock() {
            meta.status = Some(status);
            meta.correlation_id = correlation_id(headers);
        }
    });
}

/// The correlation id among `headers`, if any.
pub fn correlation_id(headers: &HeaderMap) -> Option<String> {
    CORRELATION_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}

pub(crate) fn describe_json_error(e: &serde_json::Error) -> String {
    // serde_json's own message can quote the offending value (a token, say): keep only
    // the category and the position.
    let category = match e.classify() {
        serde_json::error::Category::Io => "an I/O error",
        serde_json::error::Category::Syntax => "malformed JSON",
        serde_json::error::Category::Data => "JSON of the wrong shape",
        serde_json::error::Category::Eof => "truncated or empty JSON",
    };
    format!(
        "the response body is {category} (line {}, column {})",
        e.line(),
        e.column()
    )
}

/// The error body progenitor decoded for an operation's error answer, as the crate's error
/// body `B`: `B` itself where the operation documents error responses, `()` (no body) where
/// it documents none. [`ApiError::capture`] takes either, so that every generated `call()`
/// returns the crate's one `Error`.
pub trait IntoErrorBody<B> {
    /// The body, where there is one.
    fn into_error_body(self) -> Option<B>;
}

impl<B: ErrorBody> IntoErrorBody<B> for B {
    fn into_error_body(self) -> Option<B> {
        Some(self)
    }
}

/// An operation that documents no error response: progenitor's error has no body type.
impl<B: ErrorBody> IntoErrorBody<B> for () {
    fn into_error_body(self) -> Option<B> {
        None
    }
}

impl<B: ErrorBody> ApiError<B> {
    /// Runs one generated call and turns its error into an `ApiError` that names
    /// `operation`. The generated `call()` methods use this.
    pub async fn capture<T, E, F>(operation: &'static str, call: F) -> Result<T, Self>
    where
        E: IntoErrorBody<B>,
        F: Future<Output = Result<T, ProgenitorError<E>>>,
    {
        let meta = Arc::new(Mutex::new(Meta::default()));
        let result = META.scope(meta.clone(), call).await;
        match result {
            Ok(value) => Ok(value),
            Err(e) => {
                let meta = meta.lock().map(|m| m.clone()).unwrap_or_default();
                Err(Self::from_progenitor(operation, e, meta).await)
            }
        }
    }

    async fn from_progenitor<E: IntoErrorBody<B>>(
        operation: &'static str,
        e: ProgenitorError<E>,
        meta: Meta,
    ) -> Self {
        let mut error = ApiError {
            operation,
            kind: ErrorKind::Status,
            status: meta.status,
            body: None,
            correlation_id: meta.correlation_id,
            detail: String::new(),
            source: None,
        };
        match e {
            ProgenitorError::ErrorResponse(response) => {
                error.status = Some(response.status());
                error.correlation_id = correlation_id(response.headers()).or(error.correlation_id);
                error.body = response.into_inner().into_error_body();
            }
            ProgenitorError::UnexpectedResponse(response) => {
                error.status = Some(response.status());
                error.correlation_id = correlation_id(response.headers()).or(error.correlation_id);
                error.detail = "status not documented for this operation".to_owned();
                if let Ok(bytes) = response.bytes().await {
                    error.body = serde_json::from_slice(&bytes).ok();
                }
            }
            ProgenitorError::InvalidResponsePayload(_bytes, json) => {
                // `decode_response` already replaced serde_json's message (which can quote
                // a value) with a description of what and where.
                // An error status whose body does not decode (an empty 401, say) is still
                // about the status; a success status with such a body is a broken answer.
                if !error
                    .status
                    .is_some_and(|s| s.is_client_error() || s.is_server_error())
                {
                    error.kind = ErrorKind::InvalidBody;
                }
                error.detail = json.to_string();
            }
            ProgenitorError::ResponseBodyError(e) => {
                let e = e.without_url();
                error.kind = ErrorKind::Communication;
                error.detail = format!("reading the response body failed: {e}");
                error.classify_cause(&e);
                error.source = Some(Box::new(e));
            }
            ProgenitorError::CommunicationError(e) | ProgenitorError::InvalidUpgrade(e) => {
                let e = e.without_url();
                error.kind = ErrorKind::Communication;
                error.status = e.status().or(error.status);
                error.detail = e.to_string();
                error.classify_cause(&e);
                error.source = Some(Box::new(e));
            }
            ProgenitorError::InvalidRequest(message) => {
                error.kind = ErrorKind::InvalidRequest;
                error.detail = message;
            }
            ProgenitorError::Custom(message) => {
                error.kind = ErrorKind::Auth;
                error.detail = message;
            }
        }
        error
    }
}

impl<B> ApiError<B> {
    /// A body over the cap and a cross-origin redirect are their own kinds, whatever
    /// layer reported them.
    fn classify_cause(&mut self, e: &reqwest::Error) {
        if let Some(cap) = crate::http::find_cause::<crate::BodyTooLarge>(e) {
            self.kind = ErrorKind::BodyTooLarge;
            self.detail = cap.to_string();
        } else if let Some(redirect) = crate::http::find_cause::<crate::CrossOriginRedirect>(e) {
            self.kind = ErrorKind::Redirect;
            self.status = reqwest::StatusCode::from_u16(redirect.status).ok();
            self.detail = redirect.to_string();
        }
    }
}

impl<B: ErrorBody> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.operation)?;
        if let Some(status) = self.status {
            write!(f, ": HTTP {status}")?;
        }
        if let Some(body) = &self.body {
            if let Some(message) = body.message() {
                write!(f, ": {message}")?;
            }
            if let Some(code) = body.code() {
                write!(f, " ({code})")?;
            }
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        if let Some(id) = &self.correlation_id {
            write!(f, " [correlation id {id}]")?;
        }
        Ok(())
    }
}

impl<B: fmt::Debug> fmt::Debug for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("kind", &self.kind)
            .field("status", &self.status)
            .field("body", &self.body)
            .field("correlation_id", &self.correlation_id)
            .field("detail", &self.detail)
            .field("source", &self.source)
            .finish()
    }
}

impl<B: ErrorBody> std::error::Error for ApiError<B> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
