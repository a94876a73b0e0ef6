//! [`AuthorizeUrl`]: the browser URL that starts the 3-legged (code grant) flow.

use reqwest::Url;

use crate::BuildError;

/// Where the authorization page is served (not on `api.bluejeans.com`).
pub const DEFAULT_AUTHORIZE_URL: &str = "https://bluejeans.com/oauth2/authorize";

/// Builds the `/oauth2/authorize` URL for the user's browser (the spec's
/// `getAuthorizationCode`, which is not a REST call: it shows a sign-in and consent page and
/// redirects back to `redirect_uri` with `code` and `state`). Exchange the code within 30
/// seconds with [`crate::Client::grant_code`].
///
/// ```
/// let url = bluejeans_api::AuthorizeUrl::new("0f3e8a1b", "https://example.com/callback")
///     .state("xyz")
///     .scope("list_meetings,user_info")
///     .build()
///     .expect("valid URL");
/// assert_eq!(
///     url.as_str(),
///     "https://bluejeans.com/oauth2/authorize?clientId=0f3e8a1b&\
///      redirectUri=https%3A%2F%2Fexample.com%2Fcallback&state=xyz&\
///      scope=list_meetings%2Cuser_info&responseType=code"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeUrl {
    base: String,
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    scope: Option<String>,
    response_type: String,
    app_name: Option<String>,
    app_logo_url: Option<String>,
}

impl AuthorizeUrl {
    /// The URL for the client application `client_id`, redirecting to `redirect_uri` (one
    /// of the application's registered URLs). `responseType` is `code`.
    pub fn new(client_id: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        AuthorizeUrl {
            base: DEFAULT_AUTHORIZE_URL.to_owned(),
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            state: None,
            scope: None,
            response_type: "code".to_owned(),
            app_name: None,
            app_logo_url: None,
        }
    }

    /// The authorization page, default [`DEFAULT_AUTHORIZE_URL`].
    pub fn base_url(mut self, base: impl Into<String>) -> Self {
        self.base = base.into();
        self
    }

    /// Opaque state returned unchanged in the redirect (use it against CSRF).
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }

    /// The comma-delimited scopes (`list_meetings`, `modify_meetings`, `user_info`).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The scopes, joined with commas.
    pub fn scopes<I, S>(self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined = scopes
            .into_iter()
            .map(|s| s.as_ref().to_owned())
            .collect::<Vec<_>>()
            .join(",");
        self.scope(joined)
    }

    /// The `responseType`, default `code`.
    pub fn response_type(mut self, response_type: impl Into<String>) -> Self {
        self.response_type = response_type.into();
        self
    }

    /// The application name shown during authorization.
    pub fn app_name(mut self, app_name: impl Into<String>) -> Self {
        self.app_name = Some(app_name.into());
        self
    }

    /// The URL of an 84x84 logo shown during authorization.
    pub fn app_logo_url(mut self, app_logo_url: impl Into<String>) -> Self {
        self.app_logo_url = Some(app_logo_url.into());
        self
    }

    /// The URL, query parameters percent-encoded in the order clientId, redirectUri, state,
    /// scope, responseType, appName, appLogoUrl.
    pub fn build(&self) -> Result<Url, BuildError> {
        let mut url = Url::parse(&self.base).map_err(|e| {
            BuildError::new(format!("the authorize URL {:?} is invalid: {e}", self.base))
        })?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("clientId", &self.client_id);
            query.append_pair("redirectUri", &self.redirect_uri);
            for (name, value) in [("state", &self.state), ("scope", &self.scope)] {
                if let Some(value) = value {
                    query.append_pair(name, value);
                }
            }
            query.append_pair("responseType", &self.response_type);
            for (name, value) in [
                ("appName", &self.app_name),
                ("appLogoUrl", &self.app_logo_url),
            ] {
                if let Some(value) = value {
                    query.append_pair(name, value);
                }
            }
        }
        Ok(url)
    }
}
