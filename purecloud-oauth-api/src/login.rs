//! The client-credentials login: `POST <login base>/oauth/token` with HTTP Basic
//! `client_id:client_secret`, as a [`TokenFetcher`] for a [`TokenSource`](oauth_client_runtime::TokenSource).
//!
//! Why not the `oauth2` crate: oauth2 5.0 integrates with reqwest 0.12, this workspace is on
//! reqwest 0.13. Using it would mean a second reqwest (and hyper/rustls stack) in every build, or
//! an adapter between its `AsyncHttpClient` trait and our client; both cost more than the one
//! form POST the grant is. Writing it here also keeps the login on the same `reqwest::Client`
//! (timeouts, user agent, proxy) as the API calls, the Genesys error shape
//! (`{error, description, error_description}`) and the retry policy of the runtime.

use std::fmt;
use std::time::Instant;

use base64::Engine as _;
use oauth_client_runtime::retry::classify_result;
use oauth_client_runtime::{AuthError, FetchFuture, RetryPolicy, Secret, Token, TokenFetcher};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};

/// The path of the token endpoint below the login base URL.
pub const TOKEN_PATH: &str = "/oauth/token";

/// The client-credentials grant of Genesys Cloud: exchanges an OAuth client's id and secret
/// for an access token.
///
/// Use it through a [`TokenSource`](oauth_client_runtime::TokenSource) (the client builder does, see
/// [`ClientConfig::client_credentials`](crate::ClientConfig::client_credentials)), which caches
/// the token, renews it 60 s before it expires and once after a 401. The secret never appears
/// in `Debug` output or errors.
#[derive(Clone)]
pub struct ClientCredentials {
    http: reqwest::Client,
    token_url: String,
    client_id: String,
    client_secret: Secret,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("retry", &self.retry)
            .finish()
    }
}

/// A successful token response.
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

/// The token endpoint's error body.
#[derive(serde::Deserialize)]
struct LoginErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
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
            http,
            token_url: format!("{}{TOKEN_PATH}", login_base_url.trim_end_matches('/')),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            retry: RetryPolicy::default(),
        }
    }

    /// Sets the retry policy of the login (429 and 502/503/504; a login may be repeated).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The OAuth client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The token endpoint URL.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }

    /// Runs the grant once (with retries on 429 and 5xx): a new token, or why there is none.
    pub async fn login(&self) -> Result<Token, AuthError> {
        let started = Instant::now();
        let mut retries = 0u32;
        loop {
            let result = self.send_once().await?;
            let why = classify_result(&result);
            // A login changes nothing on the server but the set of issued tokens: repeating it
            // after a 5xx is safe.
            if let Some(delay) =
                why.and_then(|why| self.retry.next_delay(why, retries, started.elapsed(), true))
            {
                tokio::time::sleep(delay).await;
                retries += 1;
                continue;
            }
            return match result {
                Ok(response) => read_response(response).await,
                Err(e) => Err(AuthError::new(format!(
                    "the token endpoint did not answer: {}",
                    e.without_url()
                ))),
            };
        }
    }

    /// One POST. The outer error is a request that could not be built, the inner one a
    /// request without an answer.
    async fn send_once(&self) -> Result<reqwest::Result<reqwest::Response>, AuthError> {
        let pair = Secret::new(format!(
            "{}:{}",
            self.client_id,
            self.client_secret.expose()
        ));
        let basic = Secret::new(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair.expose())
        ));
        let mut authorization = HeaderValue::from_str(basic.expose())
            .map_err(|_| AuthError::new("the client id or secret cannot go into an HTTP header"))?;
        // Sensitive: never logged by the HTTP stack, never printed by its Debug.
        authorization.set_sensitive(true);
        let request = self
            .http
            .post(&self.token_url)
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, "application/json")
            // `form` sets `Content-Type: application/x-www-form-urlencoded`.
            .form(&[("grant_type", "client_credentials")]);
        Ok(request.send().await)
    }
}

async fn read_response(response: reqwest::Response) -> Result<Token, AuthError> {
    let status = response.status();
    let with_status = |message: String| AuthError {
        message,
        status: Some(status.as_u16()),
    };
    let bytes = response.bytes().await.map_err(|e| {
        with_status(format!(
            "reading the token response failed: {}",
            e.without_url()
        ))
    })?;
    if !status.is_success() {
        let message = match serde_json::from_slice::<LoginErrorBody>(&bytes) {
            Ok(body) => {
                let error = body.error.unwrap_or_else(|| "error".to_owned());
                match body.error_description.or(body.description) {
                    Some(description) => format!("{error}: {description}"),
                    None => error,
                }
            }
            // The body is not echoed: it is not the documented shape and may hold anything.
            Err(_) => "the token endpoint refused the login".to_owned(),
        };
        return Err(with_status(message));
    }
    // serde_json's messages can quote the offending value (a token): report only the category.
    let body: TokenResponse = serde_json::from_slice(&bytes).map_err(|e| {
        with_status(format!(
            "the token response is not the expected JSON ({:?} error at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    if body.access_token.is_empty() {
        return Err(with_status(
            "the token response has an empty access_token".to_owned(),
        ));
    }
    if let Some(kind) = &body.token_type
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Err(with_status(format!(
            "the token response has token_type `{kind}`, not `bearer`"
        )));
    }
    Ok(Token::new(
        body.access_token,
        body.refresh_token,
        body.expires_in,
    ))
}

impl TokenFetcher for ClientCredentials {
    fn fetch<'a>(&'a self, _previous: Option<&'a Token>) -> FetchFuture<'a> {
        // Client credentials have no refresh token: every renewal is a new login.
        Box::pin(self.login())
    }
}
