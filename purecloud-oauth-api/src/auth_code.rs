//! The authorization-code grant of a confidential client ([`AuthorizationCode`]): the
//! authorize URL ([`AuthorizeUrl`]), the redirect ([`code_from_redirect`]), the code exchange,
//! and the refresh grant ([`RefreshTokenGrant`]) that renews a user's token without a new
//! login and hands every rotated refresh token to the app. Also the implicit grant's browser
//! login ([`Implicit`], [`token_from_redirect`]).

use std::fmt;
use std::sync::Arc;

use oauth_client_runtime::{
    AuthError, FetchFuture, RetryPolicy, Secret, Token, TokenFetcher, TokenSource,
};

use crate::login::{AUTHORIZE_PATH, ClientAuth, Field, TokenEndpoint, login_url};
use crate::login_error::{LoginError, LoginErrorKind, OAuthError, scrub};

/// The browser login URL of a code grant, `<login>/oauth/authorize?…`.
///
/// Made by [`AuthorizationCode::authorize_url`], [`Pkce::authorize_url`](crate::Pkce::authorize_url)
/// or [`Implicit::authorize_url`] (`response_type=token`);
/// [`AuthorizeUrl::build`] gives the URL to redirect the user to. The query is form-encoded:
/// `client_id`, `response_type=code`, `redirect_uri`, `state`, with PKCE `code_challenge` and
/// `code_challenge_method=S256`, and optionally `org` and `provider` (the JS SDK's
/// `loginPKCEGrant` / `loginImplicitGrant` options, which log in through an org's identity
/// provider).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeUrl {
    login_base_url: String,
    client_id: String,
    redirect_uri: String,
    response_type: &'static str,
    state: String,
    code_challenge: Option<String>,
    org_provider: Option<(String, String)>,
}

impl AuthorizeUrl {
    pub(crate) fn new(
        login_base_url: &str,
        client_id: &str,
        redirect_uri: &str,
        state: String,
        code_challenge: Option<String>,
    ) -> Self {
        AuthorizeUrl {
            login_base_url: login_base_url.to_owned(),
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            response_type: "code",
            state,
            code_challenge,
            org_provider: None,
        }
    }

    /// `response_type=token`: the implicit grant's browser login.
    pub(crate) fn implicit(mut self) -> Self {
        self.response_type = "token";
        self
    }

    /// Log in through the identity provider `provider` (e.g. `okta`, `adfs`) of organization
    /// `org` (its short name). The SDKs require both or neither, hence one setter.
    pub fn org_provider(mut self, org: impl Into<String>, provider: impl Into<String>) -> Self {
        self.org_provider = Some((org.into(), provider.into()));
        self
    }

    /// The URL. Fails (naming the field) on an empty `state` or `client_id`, a `redirect_uri`
    /// that is not an absolute URL, or a login base URL that is not a URL.
    pub fn build(&self) -> Result<reqwest::Url, LoginError> {
        if self.client_id.is_empty() {
            return Err(LoginError::input("authorize URL: client_id is empty"));
        }
        if self.state.is_empty() {
            // RFC 6749 §10.12: the state ties the redirect to this login (CSRF protection).
            return Err(LoginError::input(
                "authorize URL: state is empty (use random_state(), and compare it with the redirect's)",
            ));
        }
        if let Err(e) = reqwest::Url::parse(&self.redirect_uri) {
            return Err(LoginError::input(format!(
                "authorize URL: redirect_uri `{}` is not an absolute URL: {e}",
                self.redirect_uri
            )));
        }
        let base = login_url(&self.login_base_url, AUTHORIZE_PATH);
        let mut url = reqwest::Url::parse(&base).map_err(|e| {
            LoginError::input(format!(
                "authorize URL: the login base URL `{}` is not a URL: {e}",
                self.login_base_url
            ))
        })?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("client_id", &self.client_id)
                .append_pair("response_type", self.response_type)
                .append_pair("redirect_uri", &self.redirect_uri)
                .append_pair("state", &self.state);
            if let Some(challenge) = &self.code_challenge {
                query
                    .append_pair("code_challenge", challenge)
                    .append_pair("code_challenge_method", "S256");
            }
            if let Some((org, provider)) = &self.org_provider {
                query
                    .append_pair("org", org)
                    .append_pair("provider", provider);
            }
        }
        Ok(url)
    }
}

/// The authorization code of the redirect back from the login: `redirect_url` is the URL (or
/// its path and query, `/callback?code=…&state=…`) the browser came back with.
///
/// Checks that its `state` is `expected_state` (else [`LoginErrorKind::StateMismatch`]), and
/// turns an error redirect (`?error=access_denied&error_description=…`) into
/// [`LoginErrorKind::Refused`]. The URL is never quoted in errors: it carries the code.
pub fn code_from_redirect(redirect_url: &str, expected_state: &str) -> Result<Secret, LoginError> {
    let url = redirect(redirect_url)?;
    let params = RedirectParams::read(url.query().unwrap_or(""), "code");
    params.check(expected_state)?;
    match params.credential {
        Some(code) if !code.is_empty() => Ok(code),
        _ => Err(LoginError::new(
            LoginErrorKind::InvalidResponse,
            AuthError::new("the redirect has no code"),
        )),
    }
}

/// The access token of an implicit-grant redirect: `redirect_url` is the URL the browser came
/// back with, `…#access_token=…&expires_in=…&token_type=bearer&state=…` (the token is in the
/// fragment, which browsers never send to a server: a native or desktop app with an embedded
/// browser reads it from there). Checks `state` and turns `#error=…` into
/// [`LoginErrorKind::Refused`], as [`code_from_redirect`] does.
pub fn token_from_redirect(redirect_url: &str, expected_state: &str) -> Result<Token, LoginError> {
    let url = redirect(redirect_url)?;
    let params = RedirectParams::read(url.fragment().unwrap_or(""), "access_token");
    params.check(expected_state)?;
    let invalid = |message: &str| {
        LoginError::new(
            LoginErrorKind::InvalidResponse,
            AuthError::new(format!("the redirect {message}")),
        )
    };
    let access_token = match params.credential {
        Some(token) if !token.is_empty() => token,
        _ => return Err(invalid("has no access_token")),
    };
    if let Some(kind) = &params.token_type
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Err(invalid("has a token_type other than bearer"));
    }
    let expires_in = match &params.expires_in {
        None => None,
        Some(text) => Some(
            text.parse::<i64>()
                .map_err(|_| invalid("has an expires_in that is not a number of seconds"))?,
        ),
    };
    Ok(Token::new(access_token, None, expires_in))
}

/// The redirect URL, absolute or a path with query (joined onto a placeholder base). Never
/// quoted in errors: it carries a code or a token.
fn redirect(redirect_url: &str) -> Result<reqwest::Url, LoginError> {
    reqwest::Url::parse("http://localhost/")
        .and_then(|base| base.join(redirect_url))
        .map_err(|_| LoginError::input("the redirect URL is not a URL"))
}

/// The parameters of an authorize redirect (query or fragment).
struct RedirectParams {
    /// The `code` or `access_token`.
    credential: Option<Secret>,
    state: Option<String>,
    error: Option<String>,
    description: Option<String>,
    token_type: Option<String>,
    expires_in: Option<String>,
}

impl RedirectParams {
    fn read(form: &str, credential: &str) -> Self {
        let mut params = RedirectParams {
            credential: None,
            state: None,
            error: None,
            description: None,
            token_type: None,
            expires_in: None,
        };
        // A query with the form in it, to decode it the way URLs do (`+`, `%XX`).
        let Ok(url) = reqwest::Url::parse(&format!("http://localhost/?{form}")) else {
            return params;
        };
        for (key, value) in url.query_pairs() {
            let value = value.into_owned();
            match &*key {
                k if k == credential => params.credential = Some(Secret::new(value)),
                "state" => params.state = Some(value),
                "error" => params.error = Some(value),
                "error_description" => params.description = Some(value),
                "token_type" => params.token_type = Some(value),
                "expires_in" => params.expires_in = Some(value),
                _ => {}
            }
        }
        params
    }

    /// An error redirect (with the right state or none) as `Refused`, then the state check.
    fn check(&self, expected_state: &str) -> Result<(), LoginError> {
        let sent: Vec<&str> = self.credential.iter().map(|c| c.expose()).collect();
        let state_matches = self.state.as_deref() == Some(expected_state);
        if let Some(error) = &self.error
            && (self.state.is_none() || state_matches)
        {
            let code = scrub(error, &sent);
            let message = match &self.description {
                Some(text) if !text.is_empty() => format!("{code}: {}", scrub(text, &sent)),
                _ => code.clone(),
            };
            return Err(LoginError::new(
                LoginErrorKind::Refused(OAuthError::from_code(&code)),
                AuthError::new(format!("the login redirect says {message}")),
            ));
        }
        if !state_matches {
            return Err(LoginError::new(
                LoginErrorKind::StateMismatch,
                AuthError::new(if self.state.is_some() {
                    "the redirect's state is not the one this login sent"
                } else {
                    "the redirect has no state"
                }),
            ));
        }
        Ok(())
    }
}

/// The implicit grant's browser login (the JS SDK's `loginImplicitGrant`): the authorize URL
/// with `response_type=token`, whose redirect carries the access token in its fragment
/// ([`token_from_redirect`]). There is no token request and no refresh token: when the token
/// expires, the user logs in again. Prefer [`Pkce`](crate::Pkce) for new apps.
#[derive(Debug, Clone)]
pub struct Implicit {
    login_base_url: String,
    client_id: String,
    redirect_uri: String,
}

impl Implicit {
    /// The implicit grant of OAuth client `client_id` (a "Token Implicit Grant" client) at
    /// `login_base_url`, redirecting to `redirect_uri`.
    pub fn new(
        login_base_url: &str,
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Implicit {
            login_base_url: login_base_url.trim_end_matches('/').to_owned(),
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
        }
    }

    /// The browser login: `<login>/oauth/authorize?client_id=…&response_type=token&
    /// redirect_uri=…&state=…` (the JS SDK's parameters).
    pub fn authorize_url(&self, state: impl Into<String>) -> AuthorizeUrl {
        AuthorizeUrl::new(
            &self.login_base_url,
            &self.client_id,
            &self.redirect_uri,
            state.into(),
            None,
        )
        .implicit()
    }
}

/// The OAuth client a refresh grant authenticates as.
#[derive(Clone)]
pub(crate) enum OwnedClient {
    /// Basic `client_id:client_secret` (a code-grant client).
    Confidential {
        client_id: String,
        client_secret: Secret,
    },
    /// `client_id` in the form, no secret (a PKCE client).
    Public { client_id: String },
}

/// The refresh grant (`grant_type=refresh_token`) as a [`TokenFetcher`]: renews a user's
/// access token without a new login.
///
/// It keeps the current refresh token. When an answer brings a different one (the login host
/// rotates them), that one is kept, used next, and handed to the callback so that the app can
/// store it (the old one may no longer work). When an answer brings none, the current one is
/// kept. Refreshes are one at a time, so two never race with the same rotating token. A
/// refused refresh (`invalid_grant`: revoked, expired or already rotated) means the user
/// must log in again: the refresh token is dropped, and later renewals fail without a
/// request.
///
/// The callback runs inside the renewal, while the token source waits for it: it should store
/// the token and return, without asking the same token source for a token (that would wait
/// for itself).
pub struct RefreshTokenGrant {
    endpoint: TokenEndpoint,
    client: OwnedClient,
    current: tokio::sync::Mutex<Option<Secret>>,
    on_refresh_token: Arc<dyn Fn(&Secret) + Send + Sync>,
}

impl fmt::Debug for RefreshTokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, client_id) = match &self.client {
            OwnedClient::Confidential { client_id, .. } => ("confidential", client_id),
            OwnedClient::Public { client_id } => ("public", client_id),
        };
        f.debug_struct("RefreshTokenGrant")
            .field("token_url", &self.endpoint.token_url())
            .field("client", &kind)
            .field("client_id", client_id)
            .finish_non_exhaustive()
    }
}

impl RefreshTokenGrant {
    pub(crate) fn new(
        endpoint: TokenEndpoint,
        client: OwnedClient,
        refresh_token: Option<Secret>,
        on_refresh_token: Arc<dyn Fn(&Secret) + Send + Sync>,
    ) -> Self {
        RefreshTokenGrant {
            endpoint,
            client,
            current: tokio::sync::Mutex::new(refresh_token.filter(|r| !r.is_empty())),
            on_refresh_token,
        }
    }

    /// Renews now: a new access token from the current refresh token (rotating it as
    /// described above).
    #[doc(alias = "refresh_code_authorization_token")]
    pub async fn refresh(&self) -> Result<Token, LoginError> {
        let mut current = self.current.lock().await;
        let Some(refresh_token) = current.clone() else {
            return Err(LoginError::new(
                LoginErrorKind::NoRefreshToken,
                AuthError::new(
                    "there is no refresh token to renew the access token with: the user must log in again",
                ),
            ));
        };
        // Python `refresh_code_authorization_token`, JS `refreshCodeAuthorizationGrant`, Go
        // `RefreshAuthorizationCodeGrant`: Basic id:secret, `grant_type=refresh_token`,
        // `refresh_token`. A public client names itself with `client_id` instead.
        let grant_type = ("grant_type", Field::Plain("refresh_token"));
        let token_field = ("refresh_token", Field::Secret(&refresh_token));
        let result = match &self.client {
            OwnedClient::Confidential {
                client_id,
                client_secret,
            } => {
                self.endpoint
                    .grant(
                        ClientAuth::Basic {
                            client_id,
                            client_secret,
                        },
                        &[grant_type, token_field],
                    )
                    .await
            }
            OwnedClient::Public { client_id } => {
                self.endpoint
                    .grant(
                        ClientAuth::Public,
                        &[
                            grant_type,
                            token_field,
                            ("client_id", Field::Plain(client_id)),
                        ],
                    )
                    .await
            }
        };
        let mut token = match result {
            Ok(token) => token,
            Err(e) => {
                if e.oauth_error() == Some(&OAuthError::InvalidGrant) {
                    // Revoked, expired or rotated away: it will never work again, so it is
                    // not sent again (every later renewal says the user must log in).
                    *current = None;
                }
                return Err(e);
            }
        };
        match &token.refresh_token {
            Some(new) if *new != refresh_token => {
                *current = Some(new.clone());
                (self.on_refresh_token)(new);
            }
            Some(_) => {}
            None => token.refresh_token = Some(refresh_token),
        }
        Ok(token)
    }
}

impl TokenFetcher for RefreshTokenGrant {
    fn fetch<'a>(&'a self, _previous: Option<&'a Token>) -> FetchFuture<'a> {
        // The grant's own refresh token is the current one (a `previous` token may carry an
        // older, rotated-away one).
        Box::pin(async move { self.refresh().await.map_err(AuthError::from) })
    }
}

/// The authorization-code grant of a confidential client (a "Code Authorization" OAuth client
/// with a secret, for a server-side app acting for a user).
///
/// 1. [`AuthorizationCode::authorize_url`]: send the user's browser there.
/// 2. [`code_from_redirect`]: take the code from the redirect back (checking `state`).
/// 3. [`AuthorizationCode::exchange_code`]: `POST <login>/oauth/token` with HTTP Basic
///    `client_id:client_secret` and `grant_type=authorization_code&code=…&redirect_uri=…`, as
///    the Python (`get_code_authorization_token`), JS (`loginCodeAuthorizationGrant`) and Go
///    (`AuthorizeCodeGrant`) SDKs send it.
/// 4. [`AuthorizationCode::token_source`]: a [`TokenSource`] for
///    [`ClientBuilder::token_source`](crate::ClientBuilder::token_source) that renews by refresh
///    token ([`RefreshTokenGrant`]) and hands every new refresh token to the app.
#[derive(Clone)]
pub struct AuthorizationCode {
    endpoint: TokenEndpoint,
    login_base_url: String,
    client_id: String,
    client_secret: Secret,
    redirect_uri: String,
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCode")
            .field("token_url", &self.endpoint.token_url())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

impl AuthorizationCode {
    /// The code grant of OAuth client `client_id` / `client_secret` at `login_base_url`
    /// (e.g. [`Region::login_base_url`](crate::Region::login_base_url)), sent with `http`;
    /// `redirect_uri` is one of the client's registered redirect URIs.
    /// The form goes in a body `http` cannot copy: whatever its redirect policy, a 307/308 is
    /// not followed with it. [`ClientBuilder::authorization_code_flow`](crate::ClientBuilder::authorization_code_flow) makes
    /// one with the client builder's login URL, timeouts, user agent and retry policy.
    pub fn new(
        http: reqwest::Client,
        login_base_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        AuthorizationCode {
            endpoint: TokenEndpoint::new(http, login_base_url),
            login_base_url: login_base_url.trim_end_matches('/').to_owned(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
        }
    }

    /// Sets the retry policy of the token requests (429, 502/503/504, connection failures).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.endpoint.set_retry(retry);
        self
    }

    /// The login URL passed the client builder's base-URL rule already.
    pub(crate) fn checked(mut self) -> Self {
        self.endpoint.set_checked();
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

    /// The browser login to send the user to: `<login>/oauth/authorize?client_id=…&
    /// response_type=code&redirect_uri=…&state=…`. Keep `state` (e.g. from
    /// [`random_state`](crate::random_state)) to check the redirect with
    /// [`code_from_redirect`].
    pub fn authorize_url(&self, state: impl Into<String>) -> AuthorizeUrl {
        AuthorizeUrl::new(
            &self.login_base_url,
            &self.client_id,
            &self.redirect_uri,
            state.into(),
            None,
        )
    }

    /// Exchanges the authorization code of the redirect for a token (with a refresh token).
    #[doc(alias = "get_code_authorization_token")]
    pub async fn exchange_code(&self, code: impl Into<Secret>) -> Result<Token, LoginError> {
        let code = code.into();
        if code.is_empty() {
            return Err(LoginError::input("the authorization code is empty"));
        }
        self.endpoint
            .grant(
                ClientAuth::Basic {
                    client_id: &self.client_id,
                    client_secret: &self.client_secret,
                },
                &[
                    ("grant_type", Field::Plain("authorization_code")),
                    ("code", Field::Secret(&code)),
                    ("redirect_uri", Field::Plain(&self.redirect_uri)),
                ],
            )
            .await
    }

    /// One refresh grant with `refresh_token`: the new token carries the new refresh token
    /// (or `refresh_token` again when the login host did not rotate it). Prefer
    /// [`AuthorizationCode::token_source`], which keeps track of rotation.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<Token, LoginError> {
        self.refresh_grant(refresh_token.clone(), |_| {})
            .refresh()
            .await
    }

    /// A refresh grant starting from `refresh_token` (one the app stored, after a restart),
    /// handing every new refresh token to `on_refresh_token`. Wrap it in
    /// [`TokenSource::new`] for a client.
    pub fn refresh_grant(
        &self,
        refresh_token: impl Into<Secret>,
        on_refresh_token: impl Fn(&Secret) + Send + Sync + 'static,
    ) -> RefreshTokenGrant {
        self.refresh_grant_from(Some(refresh_token.into()), Arc::new(on_refresh_token))
    }

    /// A token source that starts with `token` (from [`AuthorizationCode::exchange_code`]),
    /// renews it by refresh token shortly before it expires and after a 401, and hands every
    /// new refresh token to `on_refresh_token` (not `token`'s own: the app has that one).
    pub fn token_source(
        &self,
        token: Token,
        on_refresh_token: impl Fn(&Secret) + Send + Sync + 'static,
    ) -> Arc<TokenSource> {
        let grant =
            self.refresh_grant_from(token.refresh_token.clone(), Arc::new(on_refresh_token));
        Arc::new(TokenSource::with_token(grant, token))
    }

    /// The refresh grant of this confidential client, from `refresh_token` (none: renewal fails
    /// until the user logs in again), handing new refresh tokens to `on_refresh_token`.
    fn refresh_grant_from(
        &self,
        refresh_token: Option<Secret>,
        on_refresh_token: Arc<dyn Fn(&Secret) + Send + Sync>,
    ) -> RefreshTokenGrant {
        RefreshTokenGrant::new(
            self.endpoint.clone(),
            OwnedClient::Confidential {
                client_id: self.client_id.clone(),
                client_secret: self.client_secret.clone(),
            },
            refresh_token,
            on_refresh_token,
        )
    }
}
