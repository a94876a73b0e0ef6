//! [`LoginError`]: why a login flow got no token, typed ([`LoginErrorKind`], [`OAuthError`]),
//! and never holding a credential.

use std::fmt;
use std::ops::Deref;

use oauth_client_runtime::AuthError;

/// An OAuth error code of the login host (RFC 6749 §5.2 for the token endpoint, §4.1.2.1 for
/// the authorize redirect), as in `{"error": "invalid_grant", "error_description": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthError {
    /// `invalid_request`: a parameter is missing, repeated or malformed.
    InvalidRequest,
    /// `invalid_client`: the client id or secret is wrong, or the login went to the wrong
    /// region (Genesys answers a client of another region with this code).
    InvalidClient,
    /// `invalid_grant`: the authorization code, refresh token, PKCE verifier or SAML assertion
    /// is invalid, expired, revoked, already used, or was issued for another `redirect_uri`.
    InvalidGrant,
    /// `unauthorized_client`: this OAuth client may not use this grant type.
    UnauthorizedClient,
    /// `unsupported_grant_type`: the login host does not know the grant type.
    UnsupportedGrantType,
    /// `invalid_scope`: a requested scope is unknown or not allowed.
    InvalidScope,
    /// `access_denied`: the user (or the org's policy) declined the authorization.
    AccessDenied,
    /// Another code, as the login host spelled it.
    Other(String),
}

impl OAuthError {
    /// The code as the login host spells it (`invalid_grant`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            OAuthError::InvalidRequest => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::InvalidGrant => "invalid_grant",
            OAuthError::UnauthorizedClient => "unauthorized_client",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::InvalidScope => "invalid_scope",
            OAuthError::AccessDenied => "access_denied",
            OAuthError::Other(code) => code,
        }
    }

    /// The code for a spelling (exact match, as RFC 6749 defines the codes).
    pub fn from_code(code: &str) -> Self {
        match code {
            "invalid_request" => OAuthError::InvalidRequest,
            "invalid_client" => OAuthError::InvalidClient,
            "invalid_grant" => OAuthError::InvalidGrant,
            "unauthorized_client" => OAuthError::UnauthorizedClient,
            "unsupported_grant_type" => OAuthError::UnsupportedGrantType,
            "invalid_scope" => OAuthError::InvalidScope,
            "access_denied" => OAuthError::AccessDenied,
            other => OAuthError::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of failure a [`LoginError`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginErrorKind {
    /// The login host refused the grant with this OAuth error code (at the token endpoint,
    /// or in the authorize redirect).
    Refused(OAuthError),
    /// The login host answered an error status without an OAuth error body (a proxy's page,
    /// a 404 for a wrong login URL, a 5xx after the retries).
    Status,
    /// The login host answered success, but not with a usable bearer token.
    InvalidResponse,
    /// No answer: the connection failed, timed out, or the body was cut off.
    Communication,
    /// The request could not be built from the input (the message names the field).
    InvalidInput,
    /// There is no refresh token to renew with (the login gave none, or the last one was
    /// refused with `invalid_grant`): the user must log in again.
    NoRefreshToken,
    /// The `state` of an authorize redirect is not the one sent: the redirect does not belong
    /// to this login (possible cross-site request forgery), so its code is not used.
    StateMismatch,
}

/// Why a login flow got no token.
///
/// Typed by [`LoginError::kind`] (for example `Refused(OAuthError::InvalidGrant)` when a
/// refresh token was revoked); it dereferences to the runtime's [`AuthError`] (message and
/// status), which is what a [`TokenSource`](oauth_client_runtime::TokenSource) reports for it.
/// `Display`, `Debug` and the message never hold a credential: secrets the request carried are
/// replaced by `[redacted]` if the login host echoed them, and the response body is never
/// quoted beyond the OAuth `error`/`error_description` fields. [`std::error::Error::source`]
/// is `None`: the HTTP stack's errors are summarised in the message, without their URLs.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginError {
    kind: LoginErrorKind,
    error: AuthError,
}

impl LoginError {
    /// An error of `kind` with the runtime error `error` (message and status).
    pub fn new(kind: LoginErrorKind, error: AuthError) -> Self {
        LoginError { kind, error }
    }

    pub(crate) fn input(message: impl Into<String>) -> Self {
        LoginError::new(LoginErrorKind::InvalidInput, AuthError::new(message))
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> &LoginErrorKind {
        &self.kind
    }

    /// The OAuth error code, when the login host refused the grant.
    pub fn oauth_error(&self) -> Option<&OAuthError> {
        match &self.kind {
            LoginErrorKind::Refused(code) => Some(code),
            _ => None,
        }
    }

    /// The HTTP status of the login host's answer, where it answered.
    pub fn status(&self) -> Option<u16> {
        self.error.status
    }

    /// What went wrong, in words (without the `login failed` prefix of `Display`).
    pub fn message(&self) -> &str {
        &self.error.message
    }

    /// The runtime's error for it (what a `TokenFetcher` returns).
    pub fn auth_error(&self) -> &AuthError {
        &self.error
    }
}

impl Deref for LoginError {
    type Target = AuthError;

    fn deref(&self) -> &AuthError {
        &self.error
    }
}

impl From<LoginError> for AuthError {
    fn from(error: LoginError) -> Self {
        error.error
    }
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl fmt::Debug for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginError")
            .field("kind", &self.kind)
            .field("status", &self.error.status)
            .field("message", &self.error.message)
            .finish()
    }
}

impl std::error::Error for LoginError {}

/// The longest text taken from a login host's answer into an error message.
const MAX_QUOTED_CHARS: usize = 300;

/// Text from the login host made safe for an error message: every secret the request carried
/// replaced by `[redacted]`, control characters (line breaks, terminal escapes) replaced by
/// spaces, and at most [`MAX_QUOTED_CHARS`] characters.
pub(crate) fn scrub(text: &str, sent: &[&str]) -> String {
    // The runtime's redactor: each secret raw, URL-encoded and JSON-escaped, longest first.
    let mut redactor = oauth_client_runtime::Redactor::new();
    for secret in sent {
        redactor.add(&oauth_client_runtime::Secret::from(*secret));
    }
    let text = redactor.redact(text);
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_QUOTED_CHARS)
        .collect();
    if text.chars().count() > MAX_QUOTED_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in [
            "invalid_request",
            "invalid_client",
            "invalid_grant",
            "unauthorized_client",
            "unsupported_grant_type",
            "invalid_scope",
            "access_denied",
            "temporarily_unavailable",
        ] {
            assert_eq!(OAuthError::from_code(code).as_str(), code);
        }
        assert_eq!(
            OAuthError::from_code("invalid_grant"),
            OAuthError::InvalidGrant
        );
    }

    #[test]
    fn scrub_redacts_controls_and_caps() {
        assert_eq!(
            scrub(
                "code abc-secret-abc\nrejected",
                &["abc-secret-abc", "", "secret"]
            ),
            "code [redacted] rejected"
        );
        let long = "x".repeat(1000);
        let out = scrub(&long, &[]);
        assert_eq!(out.chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(out.ends_with('…'));
    }
}
