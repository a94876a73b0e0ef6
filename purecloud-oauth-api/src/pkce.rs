//! PKCE (RFC 7636) for the authorization-code grant of public clients: the code verifier,
//! its S256 challenge, and the code exchange without a client secret ([`Pkce`]).

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use oauth_client_runtime::{RetryPolicy, Secret, Token, TokenSource};
use rand::SeedableRng as _;
use rand::rngs::{StdRng, SysRng};
use rand::seq::IndexedRandom as _;
use sha2::Digest as _;

use crate::auth_code::{AuthorizeUrl, OwnedClient, RefreshTokenGrant};
use crate::login::{ClientAuth, Field, TokenEndpoint};
use crate::login_error::LoginError;

/// The unreserved characters of RFC 3986 §2.3, the alphabet of a code verifier (RFC 7636
/// §4.1), in the order the JS and Go SDKs list them (`generatePKCECodeVerifier`,
/// `GeneratePKCECodeVerifier`).
const UNRESERVED: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._~";

/// Why a code verifier (or a random state) could not be made or taken.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PkceError {
    /// The verifier length is outside 43..=128 (RFC 7636 §4.1).
    Length(usize),
    /// The verifier has a character outside the unreserved alphabet `[A-Za-z0-9-._~]`, at
    /// this (0-based) character position.
    Character {
        /// Where the first such character is.
        position: usize,
    },
    /// The operating system's random number generator failed.
    Random(String),
}

impl fmt::Display for PkceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PkceError::Length(len) => write!(
                f,
                "a PKCE code_verifier has 43 to 128 characters, not {len}"
            ),
            PkceError::Character { position } => write!(
                f,
                "the PKCE code_verifier has a character outside [A-Za-z0-9-._~] at position {position}"
            ),
            PkceError::Random(why) => {
                write!(f, "the system random number generator failed: {why}")
            }
        }
    }
}

impl std::error::Error for PkceError {}

/// `len` characters drawn uniformly from [`UNRESERVED`] by a CSPRNG: `StdRng` (ChaCha12)
/// seeded directly from the operating system (`SysRng`, i.e. `getrandom`).
fn random_unreserved(len: usize) -> Result<String, PkceError> {
    let mut rng =
        StdRng::try_from_rng(&mut SysRng).map_err(|e| PkceError::Random(e.to_string()))?;
    (0..len)
        .map(|_| {
            UNRESERVED
                .choose(&mut rng)
                .map(|&b| char::from(b))
                .ok_or_else(|| PkceError::Random("empty alphabet".to_owned()))
        })
        .collect()
}

/// A random `state` for an authorize URL: 32 unreserved characters from the same CSPRNG as
/// the code verifier (about 190 bits), to compare with the redirect's `state`
/// ([`code_from_redirect`](crate::code_from_redirect)).
pub fn random_state() -> Result<String, PkceError> {
    random_unreserved(32)
}

/// A PKCE code verifier: 43 to 128 characters of `[A-Za-z0-9-._~]`. It is a credential (it
/// proves the code exchange comes from the app that started the login): `Debug` prints
/// `[redacted]`, and it is sent only to the token endpoint.
#[derive(Clone, PartialEq, Eq)]
pub struct PkceCodeVerifier(Secret);

impl fmt::Debug for PkceCodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PkceCodeVerifier([redacted])")
    }
}

impl PkceCodeVerifier {
    /// The shortest verifier (RFC 7636 §4.1).
    pub const MIN_LEN: usize = 43;
    /// The longest verifier (RFC 7636 §4.1).
    pub const MAX_LEN: usize = 128;

    /// A new random verifier of [`PkceCodeVerifier::MAX_LEN`] characters (the length the JS
    /// SDK's `loginPKCEGrant` uses).
    #[doc(alias = "generate_pkce_code_verifier")]
    pub fn generate() -> Result<Self, PkceError> {
        Self::generate_with_len(Self::MAX_LEN)
    }

    /// A new random verifier of `len` characters (43..=128), each drawn uniformly from the
    /// unreserved alphabet by a CSPRNG seeded from the operating system.
    pub fn generate_with_len(len: usize) -> Result<Self, PkceError> {
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&len) {
            return Err(PkceError::Length(len));
        }
        Ok(PkceCodeVerifier(Secret::new(random_unreserved(len)?)))
    }

    /// A verifier made earlier (kept in the session between the authorize redirect and the
    /// code exchange), checked for length and alphabet.
    pub fn from_secret(verifier: impl Into<Secret>) -> Result<Self, PkceError> {
        let verifier = verifier.into();
        let value = verifier.expose();
        if let Some(position) = value
            .chars()
            .position(|c| !c.is_ascii() || !UNRESERVED.contains(&(c as u8)))
        {
            return Err(PkceError::Character { position });
        }
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&value.len()) {
            return Err(PkceError::Length(value.len()));
        }
        Ok(PkceCodeVerifier(verifier))
    }

    /// The verifier itself, to keep it in the session until the code exchange.
    pub fn secret(&self) -> &Secret {
        &self.0
    }

    /// The S256 code challenge: `BASE64URL(SHA256(ASCII(verifier)))` without padding
    /// (RFC 7636 §4.2), what the SDKs' `computePKCECodeChallenge` computes.
    #[doc(alias = "compute_pkce_code_challenge")]
    pub fn code_challenge(&self) -> String {
        let digest = sha2::Sha256::digest(self.0.expose().as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    }
}

/// The authorization-code grant with PKCE for a public client (no client secret): the
/// authorize URL with an S256 challenge, and the code exchange with the verifier.
///
/// ```text
/// POST <login>/oauth/token
/// Content-Type: application/x-www-form-urlencoded
///
/// grant_type=authorization_code&code=…&code_verifier=…&client_id=…&redirect_uri=…
/// ```
///
/// as the JS (`authorizePKCEGrant`) and Go (`AuthorizePKCEGrant`) SDKs send it: no
/// `Authorization` header. Renewal by refresh token (where the login host gave one) sends
/// `grant_type=refresh_token&refresh_token=…&client_id=…`, the public-client form of RFC 6749
/// §6 with §2.3 / §3.2.1 (the SDKs do not renew PKCE tokens).
#[derive(Clone)]
pub struct Pkce {
    endpoint: TokenEndpoint,
    login_base_url: String,
    client_id: String,
    redirect_uri: String,
}

impl fmt::Debug for Pkce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkce")
            .field("token_url", &self.endpoint.token_url())
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

impl Pkce {
    /// The PKCE flow of OAuth client `client_id` (a "Code Authorization" client with PKCE) at
    /// `login_base_url` (e.g. [`Region::login_base_url`](crate::Region::login_base_url)),
    /// sent with `http`; `redirect_uri` is one of the client's registered redirect URIs.
    /// The form goes in a body `http` cannot copy: whatever its redirect policy, a 307/308 is
    /// not followed with it. [`ClientBuilder::pkce_flow`](crate::ClientBuilder::pkce_flow) makes
    /// one with the client builder's login URL, timeouts, user agent and retry policy.
    pub fn new(
        http: reqwest::Client,
        login_base_url: &str,
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Pkce {
            endpoint: TokenEndpoint::new(http, login_base_url),
            login_base_url: login_base_url.trim_end_matches('/').to_owned(),
            client_id: client_id.into(),
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
    /// response_type=code&redirect_uri=…&state=…&code_challenge=…&code_challenge_method=S256`
    /// (the parameters of the JS SDK's `loginPKCEGrant`). Keep `verifier` and `state` in the
    /// session for [`Pkce::exchange_code`] and [`code_from_redirect`](crate::code_from_redirect).
    pub fn authorize_url(
        &self,
        state: impl Into<String>,
        verifier: &PkceCodeVerifier,
    ) -> AuthorizeUrl {
        AuthorizeUrl::new(
            &self.login_base_url,
            &self.client_id,
            &self.redirect_uri,
            state.into(),
            Some(verifier.code_challenge()),
        )
    }

    /// Exchanges the authorization code of the redirect, proving the login with `verifier`.
    #[doc(alias = "get_pkce_token")]
    pub async fn exchange_code(
        &self,
        code: impl Into<Secret>,
        verifier: &PkceCodeVerifier,
    ) -> Result<Token, LoginError> {
        let code = code.into();
        if code.is_empty() {
            return Err(LoginError::input("the authorization code is empty"));
        }
        // JS `authorizePKCEGrant`, Go `AuthorizePKCEGrant`: these five fields in this order,
        // no Authorization header.
        self.endpoint
            .grant(
                ClientAuth::Public,
                &[
                    ("grant_type", Field::Plain("authorization_code")),
                    ("code", Field::Secret(&code)),
                    ("code_verifier", Field::Secret(verifier.secret())),
                    ("client_id", Field::Plain(&self.client_id)),
                    ("redirect_uri", Field::Plain(&self.redirect_uri)),
                ],
            )
            .await
    }

    /// A refresh grant for this public client, starting from `refresh_token`, that hands
    /// every new (rotated) refresh token to `on_refresh_token`.
    pub fn refresh_grant(
        &self,
        refresh_token: impl Into<Secret>,
        on_refresh_token: impl Fn(&Secret) + Send + Sync + 'static,
    ) -> RefreshTokenGrant {
        self.refresh_grant_from(Some(refresh_token.into()), Arc::new(on_refresh_token))
    }

    /// A token source that starts with `token` (from [`Pkce::exchange_code`]) and renews it
    /// with its refresh token, handing every new refresh token to `on_refresh_token`. Without
    /// a refresh token, renewal fails and the user must log in again.
    pub fn token_source(
        &self,
        token: Token,
        on_refresh_token: impl Fn(&Secret) + Send + Sync + 'static,
    ) -> Arc<TokenSource> {
        let grant =
            self.refresh_grant_from(token.refresh_token.clone(), Arc::new(on_refresh_token));
        Arc::new(TokenSource::with_token(grant, token))
    }

    /// The refresh grant of this public client, from `refresh_token` (none: renewal fails
    /// until the user logs in again), handing new refresh tokens to `on_refresh_token`.
    fn refresh_grant_from(
        &self,
        refresh_token: Option<Secret>,
        on_refresh_token: Arc<dyn Fn(&Secret) + Send + Sync>,
    ) -> RefreshTokenGrant {
        RefreshTokenGrant::new(
            self.endpoint.clone(),
            OwnedClient::Public {
                client_id: self.client_id.clone(),
            },
            refresh_token,
            on_refresh_token,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        let verifier =
            PkceCodeVerifier::from_secret("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(
            verifier.code_challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_verifiers() {
        for len in [43, 64, 128] {
            let v = PkceCodeVerifier::generate_with_len(len).unwrap();
            assert_eq!(v.secret().expose().len(), len);
            assert!(v.secret().expose().bytes().all(|b| UNRESERVED.contains(&b)));
        }
        assert_eq!(
            PkceCodeVerifier::generate_with_len(42),
            Err(PkceError::Length(42))
        );
        assert_eq!(
            PkceCodeVerifier::generate_with_len(129),
            Err(PkceError::Length(129))
        );
        assert_ne!(
            PkceCodeVerifier::generate().unwrap(),
            PkceCodeVerifier::generate().unwrap()
        );
        assert_eq!(
            PkceCodeVerifier::from_secret(format!("{}é", "a".repeat(50))),
            Err(PkceError::Character { position: 50 })
        );
        assert_eq!(
            format!("{:?}", PkceCodeVerifier::generate().unwrap()),
            "PkceCodeVerifier([redacted])"
        );
    }
}
