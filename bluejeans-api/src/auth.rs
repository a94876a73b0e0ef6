//! The grants of the BlueJeans API as plain methods on [`Client`], and [`GrantFetcher`], which
//! runs a [`Grant`] for a [`oauth_client_runtime::TokenSource`].

use oauth_client_runtime::{AuthError, Credentials, FetchFuture, Placement, Secret, Token};
use progenitor_client::ClientInfo;

use crate::{Client, Error, types};

/// Shortcuts for the grants, the revocation and the token check. Each sends one request
/// through the generated builder and returns the decoded body.
impl Client {
    /// Password grant (`POST /oauth2/token?Password`, `grant_type: password`): a BlueJeans
    /// username and password. Not usable with single-sign-on accounts.
    pub async fn grant_password(
        &self,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Result<types::GrantPassword, Error> {
        let body = types::GrantRequestPassword {
            grant_type: Default::default(),
            username: username.into(),
            password: password.into(),
        };
        Ok(self
            .get_token_by_password()
            .body(body)
            .call()
            .await?
            .into_inner())
    }

    /// Meeting grant (`POST /oauth2/token?Meeting`, `grant_type: meeting_passcode`): a
    /// token limited to one meeting; a moderator passcode gives moderator rights.
    pub async fn grant_meeting(
        &self,
        meeting_numeric_id: impl Into<String>,
        passcode: impl Into<Secret>,
    ) -> Result<types::GrantMeeting, Error> {
        let body = types::GrantRequestMeeting {
            grant_type: Default::default(),
            meeting_numeric_id: meeting_numeric_id.into(),
            meeting_passcode: passcode.into(),
        };
        Ok(self
            .get_token_by_meeting()
            .body(body)
            .call()
            .await?
            .into_inner())
    }

    /// Client grant (`POST /oauth2/token?Client`, `grant_type: client_credentials`): the
    /// app key (client id) and app secret from the enterprise admin console; an
    /// enterprise-level token.
    pub async fn grant_client(
        &self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Result<types::GrantClient, Error> {
        let body = types::GrantRequestClient {
            grant_type: Default::default(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        };
        Ok(self
            .get_token_by_client()
            .body(body)
            .call()
            .await?
            .into_inner())
    }

    /// Code grant (`POST /oauth2/token?Code`, `grant_type: authorization_code`): exchanges
    /// the code the browser brought back from [`crate::AuthorizeUrl`] (valid 30 seconds)
    /// for an access and a refresh token.
    pub async fn grant_code(
        &self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        redirect_uri: impl Into<String>,
        code: impl Into<Secret>,
    ) -> Result<types::GrantCode, Error> {
        let body = types::GrantRequestCode {
            grant_type: Default::default(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
            code: code.into(),
        };
        Ok(self
            .get_token_by_code()
            .body(body)
            .call()
            .await?
            .into_inner())
    }

    /// Refresh grant (`POST /oauth2/token?Refresh`, `grant_type: refresh_token`): a new
    /// token pair for a code-grant token. The API wants the current access token too: use a
    /// client configured with it.
    pub async fn grant_refresh(
        &self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> Result<types::GrantRefresh, Error> {
        let body = types::GrantRequestRefresh {
            grant_type: Default::default(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            refresh_token: refresh_token.into(),
        };
        Ok(self
            .get_token_by_refresh()
            .body(body)
            .call()
            .await?
            .into_inner())
    }

    /// Revokes `access_token` (`DELETE /oauth2/token?Revoke&access_token=…` with the
    /// client id and secret in the JSON body). The client's own token goes beside it as
    /// `Authorization: Bearer`, in either placement: with query placement the argument is
    /// the only `access_token` in the query (the two share the name, see the spec). A 401
    /// comes back as an error: the argument is never replaced by the client's token.
    pub async fn revoke_token(
        &self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        access_token: impl Into<Secret>,
    ) -> Result<(), Error> {
        let body = types::GrantRequestRevoke {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        };
        self.revoke_access_token()
            .access_token(access_token.into())
            .body(body)
            .call()
            .await?;
        Ok(())
    }

    /// Checks `access_token` (`GET /oauth2/tokenInfo?access_token=…`): the user it belongs
    /// to, or an error status when it is invalid, expired or revoked. The client's own
    /// token is never sent (the operation takes none) and a 401 is never "renewed".
    pub async fn token_info(
        &self,
        access_token: impl Into<Secret>,
    ) -> Result<types::TokenInfo, Error> {
        Ok(self
            .get_token_info()
            .access_token(access_token.into())
            .call()
            .await?
            .into_inner())
    }
}

/// The credentials of one of the grants of the API, for a [`GrantFetcher`]. `Debug` shows no
/// credential.
#[derive(Debug, Clone)]
pub enum Grant {
    /// Password grant: a BlueJeans username and password.
    Password {
        /// The BlueJeans username.
        username: String,
        /// The password.
        password: Secret,
    },
    /// Meeting grant: a numeric meeting id and its passcode.
    Meeting {
        /// The numeric meeting id participants dial or enter.
        meeting_numeric_id: String,
        /// The moderator or attendee passcode.
        passcode: Secret,
    },
    /// Client grant: the app key and app secret.
    Client {
        /// The app key (client id).
        client_id: String,
        /// The app secret.
        client_secret: Secret,
    },
    /// Code grant: the authorization code from the browser flow, exchanged once.
    Code {
        /// The client application's id.
        client_id: String,
        /// The client application's secret.
        client_secret: Secret,
        /// The redirect URI the code was sent to.
        redirect_uri: String,
        /// The authorization code (single-use, valid 30 seconds).
        code: Secret,
    },
    /// Refresh grant: a refresh token kept from an earlier code grant.
    Refresh {
        /// The client application's id.
        client_id: String,
        /// The client application's secret.
        client_secret: Secret,
        /// The refresh token.
        refresh_token: Secret,
    },
}

impl Grant {
    /// A password grant.
    pub fn password(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Grant::Password {
            username: username.into(),
            password: password.into(),
        }
    }

    /// A meeting grant.
    pub fn meeting(meeting_numeric_id: impl Into<String>, passcode: impl Into<Secret>) -> Self {
        Grant::Meeting {
            meeting_numeric_id: meeting_numeric_id.into(),
            passcode: passcode.into(),
        }
    }

    /// A client-credentials grant.
    pub fn client(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Grant::Client {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// An authorization-code grant.
    pub fn code(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        redirect_uri: impl Into<String>,
        code: impl Into<Secret>,
    ) -> Self {
        Grant::Code {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
            code: code.into(),
        }
    }

    /// A refresh grant.
    pub fn refresh(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        Grant::Refresh {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            refresh_token: refresh_token.into(),
        }
    }

    /// The client id and secret a refresh grant needs, where this grant has them.
    fn client_credentials(&self) -> Option<(&str, &Secret)> {
        match self {
            Grant::Code {
                client_id,
                client_secret,
                ..
            }
            | Grant::Refresh {
                client_id,
                client_secret,
                ..
            } => Some((client_id, client_secret)),
            _ => None,
        }
    }
}

/// Runs a [`Grant`] for a [`oauth_client_runtime::TokenSource`].
///
/// Renewal uses the refresh grant where the previous token has a refresh token and the
/// grant has the client id and secret it needs (code and refresh grants); otherwise it runs
/// the original grant again. The refresh grant carries the previous access token as
/// `Authorization: Bearer`, as the API asks; to send one on the very first refresh, start
/// the source with [`oauth_client_runtime::TokenSource::with_token`].
#[derive(Debug)]
pub struct GrantFetcher {
    grant: Grant,
    client: Client,
}

impl GrantFetcher {
    /// A fetcher that sends `grant` through `client`. The client should carry no
    /// credential ([`Credentials::None`]): the grants need none
    /// ([`crate::ClientBuilder::build_token_source`] builds such a client).
    pub fn new(grant: Grant, client: Client) -> Self {
        GrantFetcher { grant, client }
    }

    /// The grant this fetcher runs.
    pub fn grant(&self) -> &Grant {
        &self.grant
    }

    async fn run(&self, previous: Option<&Token>) -> Result<Token, AuthError> {
        let previous_refresh = previous.and_then(|p| p.refresh_token.as_ref());
        if let (Some((client_id, client_secret)), Some(refresh_token)) =
            (self.grant.client_credentials(), previous_refresh)
        {
            return self
                .refresh(client_id, client_secret, refresh_token, previous)
                .await;
        }
        match &self.grant {
            Grant::Password { username, password } => {
                let g = self
                    .client
                    .grant_password(username.as_str(), password.clone())
                    .await
                    .map_err(auth_error)?;
                token(g.access_token, g.refresh_token, g.expires_in, previous)
            }
            Grant::Meeting {
                meeting_numeric_id,
                passcode,
            } => {
                let g = self
                    .client
                    .grant_meeting(meeting_numeric_id.as_str(), passcode.clone())
                    .await
                    .map_err(auth_error)?;
                token(g.access_token, None, g.expires_in, previous)
            }
            Grant::Client {
                client_id,
                client_secret,
            } => {
                let g = self
                    .client
                    .grant_client(client_id.as_str(), client_secret.clone())
                    .await
                    .map_err(auth_error)?;
                token(g.access_token, None, g.expires_in, previous)
            }
            Grant::Code {
                client_id,
                client_secret,
                redirect_uri,
                code,
            } => {
                let g = self
                    .client
                    .grant_code(
                        client_id.as_str(),
                        client_secret.clone(),
                        redirect_uri.as_str(),
                        code.clone(),
                    )
                    .await
                    .map_err(auth_error)?;
                token(g.access_token, g.refresh_token, g.expires_in, previous)
            }
            Grant::Refresh {
                client_id,
                client_secret,
                refresh_token,
            } => {
                self.refresh(client_id, client_secret, refresh_token, previous)
                    .await
            }
        }
    }

    async fn refresh(
        &self,
        client_id: &str,
        client_secret: &Secret,
        refresh_token: &Secret,
        previous: Option<&Token>,
    ) -> Result<Token, AuthError> {
        let with_bearer;
        let client = match previous {
            Some(p) if !p.access_token.is_empty() => {
                // progenitor's seams only: the base URL, the HTTP client and the inner type.
                with_bearer = Client::new_with_client(
                    self.client.baseurl(),
                    self.client.client().clone(),
                    self.client.inner().with_credentials(
                        Credentials::Token(p.access_token.clone()),
                        Placement::Bearer,
                    ),
                );
                &with_bearer
            }
            _ => &self.client,
        };
        let g = client
            .grant_refresh(client_id, client_secret.clone(), refresh_token.clone())
            .await
            .map_err(auth_error)?;
        // A server that does not rotate the refresh token leaves the old one valid.
        let refresh = g.refresh_token.or_else(|| Some(refresh_token.clone()));
        token(g.access_token, refresh, g.expires_in, previous)
    }
}

impl oauth_client_runtime::TokenFetcher for GrantFetcher {
    fn fetch<'a>(&'a self, previous: Option<&'a Token>) -> FetchFuture<'a> {
        Box::pin(self.run(previous))
    }
}

fn auth_error(e: Error) -> AuthError {
    // ApiError's Display holds the operation, status and error message, never a credential.
    AuthError {
        message: e.to_string(),
        status: e.status().map(|s| s.as_u16()),
    }
}

fn token(
    access_token: Option<Secret>,
    refresh_token: Option<Secret>,
    expires_in: Option<i64>,
    previous: Option<&Token>,
) -> Result<Token, AuthError> {
    let access_token = access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AuthError::new("the grant response has no access_token"))?;
    // Keep a refresh token the previous grant gave when this one gives none.
    let refresh_token = refresh_token.or_else(|| previous.and_then(|p| p.refresh_token.clone()));
    Ok(Token::new(access_token, refresh_token, expires_in))
}
