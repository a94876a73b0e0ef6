//! The token endpoint shared by every grant (`POST <login base>/oauth/token`), and the
//! client-credentials grant on it.
//!
//! Every grant of this crate sends its request through [`TokenEndpoint::grant`], every answer
//! is read by [`read_body`], and every error answer becomes an [`AuthError`] (inside a typed
//! [`LoginError`]) in [`refusal`]: one place each to cap, redact or change.
//!
//! What each grant sends, as the official SDKs send it (see
//! `/work/shared/reference/purecloud/README.md` §6 and the SDK sources cited at each grant):
//!
//! | grant | client authentication | form fields |
//! |---|---|---|
//! | client credentials | `Authorization: Basic base64(id:secret)` | `grant_type=client_credentials` |
//! | authorization code | Basic | `grant_type=authorization_code`, `code`, `redirect_uri` |
//! | refresh | Basic | `grant_type=refresh_token`, `refresh_token` |
//! | PKCE code | none (public client) | `grant_type=authorization_code`, `code`, `code_verifier`, `client_id`, `redirect_uri` |
//! | SAML2 bearer | Basic | `grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer`, `orgName`, `assertion` |
//!
//! The body is `application/x-www-form-urlencoded`; we also send `Accept: application/json`.
//!
//! Redirects: the `reqwest::Client` a flow is given should not follow them
//! (`reqwest::redirect::Policy::none()`): on a 307/308 reqwest sends the form again, with its
//! code, verifier, refresh token or assertion, to the redirect's target (it drops only the
//! `Authorization` header across origins). An answer from another origin than the token
//! endpoint's is refused either way.
//! Basic is `base64(client_id ":" client_secret)` over the UTF-8 bytes, unpadded input,
//! standard alphabet, as the JS (`Buffer.from(id + ':' + secret).toString('base64')`) and Go
//! (`base64.StdEncoding.EncodeToString([]byte(id+":"+secret))`) SDKs do; Python encodes ASCII
//! (the same bytes for the ASCII ids and secrets Genesys issues). The SDKs do not form-encode
//! id and secret before Basic (RFC 6749 §2.3.1 would); neither do we, to match them.
//!
//! Why not the `oauth2` crate: oauth2 5.0 (the current version) depends on reqwest 0.12, this
//! workspace is on reqwest 0.13. Using it would mean a second reqwest (and hyper/rustls stack)
//! in every build, or an adapter between its `AsyncHttpClient` trait and our client; both cost
//! more than the form POSTs the grants are. Writing them here also keeps the login on the same
//! `reqwest::Client` (timeouts, user agent, proxy) as the API calls, the Genesys error shape
//! (`{error, description, error_description}`) and the retry policy of the runtime.

use std::fmt;
use std::time::Instant;

use base64::Engine as _;
use oauth_client_runtime::retry::classify_result;
use oauth_client_runtime::{AuthError, FetchFuture, RetryPolicy, Secret, Token, TokenFetcher};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};

use crate::login_error::{LoginError, LoginErrorKind, OAuthError, scrub};

/// The path of the token endpoint below the login base URL.
pub const TOKEN_PATH: &str = "/oauth/token";

/// The path of the authorize endpoint (the browser login) below the login base URL.
pub const AUTHORIZE_PATH: &str = "/oauth/authorize";

/// The largest token-endpoint answer read; a token answer is a few hundred bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// `<login base URL><path>`, without a doubled `/`.
pub(crate) fn login_url(login_base_url: &str, path: &str) -> String {
    format!("{}{path}", login_base_url.trim_end_matches('/'))
}

/// How a grant request authenticates the OAuth client.
#[derive(Clone, Copy)]
pub(crate) enum ClientAuth<'a> {
    /// `Authorization: Basic base64(client_id:client_secret)`.
    Basic {
        client_id: &'a str,
        client_secret: &'a Secret,
    },
    /// No client authentication: a public (PKCE) client names itself in the form.
    Public,
}

/// A form field of a grant request.
#[derive(Clone, Copy)]
pub(crate) enum Field<'a> {
    /// Sent as is; may appear in errors.
    Plain(&'a str),
    /// A credential (code, verifier, refresh token, assertion): sent, and redacted from any
    /// error text should the login host echo it.
    Secret(&'a Secret),
}

/// The token endpoint of one login host, with the HTTP client and retry policy to reach it.
#[derive(Clone)]
pub(crate) struct TokenEndpoint {
    http: reqwest::Client,
    token_url: String,
    retry: RetryPolicy,
    /// The client builder already applied the base-URL rule to this login URL (with its
    /// `danger_allow_insecure_http`); otherwise [`TokenEndpoint::grant`] applies it.
    checked: bool,
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("token_url", &self.token_url)
            .field("retry", &self.retry)
            .finish()
    }
}

impl TokenEndpoint {
    pub(crate) fn new(http: reqwest::Client, login_base_url: &str) -> Self {
        TokenEndpoint {
            http,
            token_url: login_url(login_base_url, TOKEN_PATH),
            retry: RetryPolicy::default(),
            checked: false,
        }
    }

    /// Marks the login URL as checked by the client builder.
    pub(crate) fn set_checked(&mut self) {
        self.checked = true;
    }

    pub(crate) fn set_retry(&mut self, retry: RetryPolicy) {
        self.retry = retry;
    }

    pub(crate) fn token_url(&self) -> &str {
        &self.token_url
    }

    /// Runs one grant: POSTs `fields` (in this order) with `auth`, repeating the request on
    /// 429, on 502/503/504 and when no connection could be made (within the retry policy),
    /// and reads the answer into a [`Token`].
    ///
    /// A grant request changes nothing on the server but the set of issued tokens, so it is
    /// repeated after a 5xx: an authorization code the server did consume is then refused
    /// with `invalid_grant`, which is the outcome without the retry as well.
    pub(crate) async fn grant(
        &self,
        auth: ClientAuth<'_>,
        fields: &[(&str, Field<'_>)],
    ) -> Result<Token, LoginError> {
        // No credential over plain http to a host that is not loopback: the rule the client
        // builders apply to their base URLs (`oauth_client_runtime::check_base_url`).
        if !self.checked {
            oauth_client_runtime::check_base_url("login base URL", &self.token_url, false)
                .map_err(LoginError::input)?;
        }
        // Every secret this request carries, for redaction from error texts.
        let mut sent: Vec<&str> = fields
            .iter()
            .filter_map(|(_, value)| match value {
                Field::Secret(secret) => Some(secret.expose()),
                Field::Plain(_) => None,
            })
            .collect();
        let basic = match auth {
            ClientAuth::Basic {
                client_id,
                client_secret,
            } => {
                if client_id.contains(':') {
                    // RFC 7617 §2: the user-id of Basic cannot contain a colon.
                    return Err(LoginError::input(
                        "the client_id contains `:`, which HTTP Basic authentication cannot carry",
                    ));
                }
                sent.push(client_secret.expose());
                Some(basic_header(client_id, client_secret)?)
            }
            ClientAuth::Public => None,
        };
        if let Some((_, pair)) = &basic {
            sent.push(pair.expose());
        }
        let form: Vec<(&str, &str)> = fields
            .iter()
            .map(|(name, value)| {
                (
                    *name,
                    match value {
                        Field::Plain(v) => *v,
                        Field::Secret(s) => s.expose(),
                    },
                )
            })
            .collect();

        let started = Instant::now();
        let mut retries = 0u32;
        loop {
            let mut request = self
                .http
                .post(&self.token_url)
                .header(ACCEPT, "application/json")
                // `form` sets `Content-Type: application/x-www-form-urlencoded`.
                .form(&form);
            if let Some((header, _)) = &basic {
                request = request.header(AUTHORIZATION, header.clone());
            }
            let result = match request.build() {
                Ok(request) => self.http.execute(unrepeatable(request)).await,
                Err(e) => Err(e),
            };
            let why = classify_result(&result);
            if let Some(delay) =
                why.and_then(|why| self.retry.next_delay(why, retries, started.elapsed(), true))
            {
                tokio::time::sleep(delay).await;
                retries += 1;
                continue;
            }
            let response = result.map_err(|e| {
                LoginError::new(
                    LoginErrorKind::Communication,
                    AuthError::new(format!(
                        "the token endpoint did not answer: {}",
                        e.without_url()
                    )),
                )
            })?;
            // A redirect the HTTP client followed: the answer comes from elsewhere, and is not
            // taken as a token (a client built with `redirect::Policy::none()` never follows).
            if reqwest::Url::parse(&self.token_url)
                .map(|asked| asked.origin() != response.url().origin())
                .unwrap_or(true)
            {
                return Err(LoginError::new(
                    LoginErrorKind::InvalidResponse,
                    AuthError {
                        message: "the token endpoint redirected to another origin; its answer is not used"
                            .to_owned(),
                        status: Some(response.status().as_u16()),
                    },
                ));
            }
            let (status, body) = read_body(response).await?;
            if !status.is_success() {
                return Err(refusal(status, &body, &sent));
            }
            return parse_token(status, &body);
        }
    }
}

/// `request` with its form body made one that reqwest cannot copy
/// ([`oauth_client_runtime::http::unrepeatable_body`]): whatever the redirect policy of the
/// `reqwest::Client` a flow was given, a 307/308 does not carry the form (code, refresh
/// token, verifier, assertion, secret) to another URL, and reqwest drops `Authorization` on
/// a redirect to another host.
fn unrepeatable(mut request: reqwest::Request) -> reqwest::Request {
    if let Some(bytes) = request.body().and_then(reqwest::Body::as_bytes) {
        let bytes = bytes.to_vec();
        request.headers_mut().insert(
            reqwest::header::CONTENT_LENGTH,
            HeaderValue::from(bytes.len()),
        );
        *request.body_mut() = Some(oauth_client_runtime::http::unrepeatable_body(bytes));
    }
    request
}

/// The `Authorization: Basic …` header (marked sensitive: never logged by the HTTP stack,
/// never printed by its `Debug`), and the base64 pair it carries (to redact it if echoed).
fn basic_header(
    client_id: &str,
    client_secret: &Secret,
) -> Result<(HeaderValue, Secret), LoginError> {
    let pair = Secret::new(format!("{client_id}:{}", client_secret.expose()));
    let encoded = Secret::new(base64::engine::general_purpose::STANDARD.encode(pair.expose()));
    let mut value = HeaderValue::from_str(&format!("Basic {}", encoded.expose()))
        .map_err(|_| LoginError::input("the client_id cannot go into an HTTP header"))?;
    value.set_sensitive(true);
    Ok((value, encoded))
}

/// Reads a token-endpoint answer: its status and body, at most [`MAX_BODY_BYTES`] (through
/// the runtime's capped read, [`oauth_client_runtime::http::read_body`]). Every answer of
/// every grant is read here.
pub(crate) async fn read_body(
    response: reqwest::Response,
) -> Result<(StatusCode, bytes::Bytes), LoginError> {
    let status = response.status();
    let body = oauth_client_runtime::http::read_body(response, MAX_BODY_BYTES, "login")
        .await
        .map_err(|e| {
            let (kind, message) = if oauth_client_runtime::http::find_cause::<
                oauth_client_runtime::http::BodyTooLarge,
            >(&e)
            .is_some()
            {
                (
                    LoginErrorKind::InvalidResponse,
                    format!(
                        "the token endpoint's answer is over {MAX_BODY_BYTES} bytes; it was not read"
                    ),
                )
            } else {
                (
                    LoginErrorKind::Communication,
                    format!("reading the token endpoint's answer failed: {e}"),
                )
            };
            LoginError::new(
                kind,
                AuthError {
                    message,
                    status: Some(status.as_u16()),
                },
            )
        })?;
    Ok((status, body))
}

/// The token endpoint's error body (Go SDK `AuthErrorResponse`: `error`, `description`,
/// `error_description`).
#[derive(serde::Deserialize)]
struct OAuthErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// Turns an error answer of the token endpoint into an [`AuthError`], typed by its OAuth
/// `error` code: the message is `<error>: <error_description>` (or `description`), never the
/// raw body, with every secret in `sent` (what the request carried) replaced by `[redacted]`.
/// Every error answer of every grant goes through here.
pub(crate) fn refusal(status: StatusCode, body: &[u8], sent: &[&str]) -> LoginError {
    let error = |message: String| AuthError {
        message,
        status: Some(status.as_u16()),
    };
    match serde_json::from_slice::<OAuthErrorBody>(body) {
        Ok(OAuthErrorBody {
            error: Some(code),
            description,
            error_description,
        }) if !code.is_empty() => {
            let code = scrub(&code, sent);
            let message = match error_description.or(description) {
                Some(text) if !text.is_empty() => format!("{code}: {}", scrub(&text, sent)),
                _ => code.clone(),
            };
            LoginError::new(
                LoginErrorKind::Refused(OAuthError::from_code(&code)),
                error(message),
            )
        }
        // Not the documented shape: the body may hold anything, so it is not quoted.
        _ => LoginError::new(
            LoginErrorKind::Status,
            error(format!(
                "the token endpoint answered HTTP {} without an OAuth error",
                status.as_u16()
            )),
        ),
    }
}

/// A successful token answer.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: Secret,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<i64>,
    #[serde(default)]
    refresh_token: Option<Secret>,
}

/// A success answer as a [`Token`]: a non-empty bearer access token, its expiry, and the
/// refresh token where the grant gave one.
fn parse_token(status: StatusCode, body: &[u8]) -> Result<Token, LoginError> {
    let invalid = |message: String| {
        LoginError::new(
            LoginErrorKind::InvalidResponse,
            AuthError {
                message,
                status: Some(status.as_u16()),
            },
        )
    };
    // serde_json's messages can quote the offending value (a token): report only the category.
    let body: TokenResponse = serde_json::from_slice(body).map_err(|e| {
        invalid(format!(
            "the token response is not the expected JSON ({:?} error at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    if body.access_token.is_empty() {
        return Err(invalid(
            "the token response has an empty access_token".to_owned(),
        ));
    }
    if let Some(kind) = &body.token_type
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Err(invalid(format!(
            "the token response has token_type `{}`, not `bearer`",
            scrub(kind, &[body.access_token.expose()])
        )));
    }
    let refresh_token = body.refresh_token.filter(|r| !r.is_empty());
    Ok(Token::new(
        body.access_token,
        refresh_token,
        body.expires_in,
    ))
}

/// The client-credentials grant of Genesys Cloud: exchanges an OAuth client's id and secret
/// for an access token.
///
/// Use it through a [`TokenSource`](oauth_client_runtime::TokenSource) (the client builder does, see
/// [`ClientBuilder::client_credentials`](crate::ClientBuilder::client_credentials)), which caches
/// the token, renews it 60 s before it expires and once after a 401. The secret never appears
/// in `Debug` output or errors.
#[derive(Clone)]
pub struct ClientCredentials {
    endpoint: TokenEndpoint,
    client_id: String,
    client_secret: Secret,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.endpoint.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("retry", &self.endpoint.retry)
            .finish()
    }
}

impl ClientCredentials {
    /// A login against `login_base_url` (e.g. [`Region::login_base_url`](crate::Region::login_base_url)
    /// or `http://127.0.0.1:port` in tests), sent with `http`.
    pub fn new(
        http: reqwest::Client,
        login_base_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        ClientCredentials {
            endpoint: TokenEndpoint::new(http, login_base_url),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// Sets the retry policy of the login (429 and 502/503/504; a login may be repeated).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.endpoint.set_retry(retry);
        self
    }

    /// The OAuth client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The token endpoint URL.
    pub fn token_url(&self) -> &str {
        self.endpoint.token_url()
    }

    /// The login URL passed the client builder's base-URL rule already.
    pub(crate) fn checked(mut self) -> Self {
        self.endpoint.set_checked();
        self
    }

    /// Runs the grant once (with retries on 429 and 5xx): a new token, or why there is none.
    pub async fn login(&self) -> Result<Token, AuthError> {
        self.request_token().await.map_err(AuthError::from)
    }

    /// [`ClientCredentials::login`] with a typed error (`invalid_client`,
    /// `unauthorized_client`, ...).
    pub async fn request_token(&self) -> Result<Token, LoginError> {
        // All SDKs: `POST https://login.<env>/oauth/token`, Basic id:secret,
        // `grant_type=client_credentials` (Python `get_client_credentials_token`, JS
        // `loginClientCredentialsGrant`, Go `AuthorizeClientCredentials`).
        self.endpoint
            .grant(
                ClientAuth::Basic {
                    client_id: &self.client_id,
                    client_secret: &self.client_secret,
                },
                &[("grant_type", Field::Plain("client_credentials"))],
            )
            .await
    }
}

impl TokenFetcher for ClientCredentials {
    fn fetch<'a>(&'a self, _previous: Option<&'a Token>) -> FetchFuture<'a> {
        // Client credentials have no refresh token: every renewal is a new login.
        Box::pin(self.login())
    }
}
