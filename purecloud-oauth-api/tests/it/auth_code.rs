//! The authorization-code grant: authorize URL, redirect, the exchange and the refresh on the
//! wire, rotated refresh tokens handed to the app, and refusals as typed errors without
//! secrets. Also the shared helpers of the flow tests (`FormIs`, `assert_clean`).

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use purecloud_oauth_api::{
    AuthorizationCode, ErrorKind, LoginError, LoginErrorKind, OAuthError, PureCloud, Secret,
    TokenSource, code_from_redirect, random_state,
};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

use crate::common::{api_with_token, quick_retry};

pub const CLIENT_ID: &str = "3f1c0b9e-code-client";
pub const CLIENT_SECRET: &str = "cs-code-Vq93-secret-value";
pub const REDIRECT_URI: &str = "https://app.example.com/callback?x=1";
const CODE: &str = "code-8Jd2-one-time";

/// Matches a form body with exactly these fields, in this order (values decoded).
pub struct FormIs(pub Vec<(&'static str, String)>);

impl Match for FormIs {
    fn matches(&self, request: &Request) -> bool {
        let Ok(body) = std::str::from_utf8(&request.body) else {
            return false;
        };
        let Ok(url) = reqwest::Url::parse(&format!("http://form.invalid/?{body}")) else {
            return false;
        };
        let got: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        got.len() == self.0.len()
            && got
                .iter()
                .zip(&self.0)
                .all(|((k, v), (ek, ev))| k == ek && v == ev)
    }
}

/// `form(&[("a", "1")])`: a [`FormIs`] from string pairs.
pub fn form(fields: &[(&'static str, &str)]) -> FormIs {
    FormIs(fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
}

/// `Basic base64(id:secret)` as the SDKs build it.
pub fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

/// A POST to the token endpoint, form-encoded, asking for JSON.
pub fn token_post() -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header("accept", "application/json"))
}

/// A token answer.
pub fn token_answer(access: &str, refresh: Option<&str>, expires_in: i64) -> ResponseTemplate {
    let mut body =
        json!({"access_token": access, "token_type": "bearer", "expires_in": expires_in});
    if let Some(refresh) = refresh {
        body["refresh_token"] = json!(refresh);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// An OAuth error answer.
pub fn refusal(status: u16, error: &str, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": error, "description": description, "error_description": description
    }))
}

/// No secret in the error's `Display`, `Debug`, nor anywhere down its `source()` chain.
pub fn assert_clean(err: &(dyn std::error::Error + 'static), secrets: &[&str]) {
    let mut next = Some(err);
    while let Some(e) = next {
        for text in [e.to_string(), format!("{e:?}"), format!("{e:#?}")] {
            for secret in secrets {
                assert!(!text.contains(secret), "`{secret}` in {text}");
            }
        }
        next = e.source();
    }
}

fn flow(uri: &str) -> AuthorizationCode {
    AuthorizationCode::new(
        reqwest::Client::new(),
        uri,
        CLIENT_ID,
        CLIENT_SECRET,
        REDIRECT_URI,
    )
    .with_retry(quick_retry())
}

fn exchange_mock() -> wiremock::MockBuilder {
    token_post()
        .and(header(
            "authorization",
            basic(CLIENT_ID, CLIENT_SECRET).as_str(),
        ))
        .and(form(&[
            ("grant_type", "authorization_code"),
            ("code", CODE),
            ("redirect_uri", REDIRECT_URI),
        ]))
}

fn refresh_mock(refresh_token: &str) -> wiremock::MockBuilder {
    token_post()
        .and(header(
            "authorization",
            basic(CLIENT_ID, CLIENT_SECRET).as_str(),
        ))
        .and(form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ]))
}

#[test]
fn authorize_url_has_the_sdk_parameters() {
    let state = random_state().expect("state");
    assert_eq!(state.len(), 32);
    let url = flow("https://login.mypurecloud.ie/")
        .authorize_url(state.as_str())
        .build()
        .expect("url");
    assert_eq!(url.scheme(), "https");
    assert_eq!(url.host_str(), Some("login.mypurecloud.ie"));
    assert_eq!(url.path(), "/oauth/authorize");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let expected: Vec<(String, String)> = [
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT_URI),
        ("state", state.as_str()),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(pairs, expected);
    assert!(!url.as_str().contains(CLIENT_SECRET));

    let url = flow("https://login.mypurecloud.ie")
        .authorize_url("s1")
        .org_provider("my org", "okta")
        .build()
        .expect("url");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs[4], ("org".to_owned(), "my org".to_owned()));
    assert_eq!(pairs[5], ("provider".to_owned(), "okta".to_owned()));
    assert!(url.as_str().contains("org=my+org"), "{url}");

    let err = flow("https://login.mypurecloud.ie")
        .authorize_url("")
        .build()
        .expect_err("empty state");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidInput);
    assert!(err.message().contains("state"), "{err}");
    let err = AuthorizationCode::new(
        reqwest::Client::new(),
        "https://login.mypurecloud.ie",
        CLIENT_ID,
        CLIENT_SECRET,
        "/callback",
    )
    .authorize_url("s")
    .build()
    .expect_err("relative redirect");
    assert!(err.message().contains("redirect_uri"), "{err}");
    let err = flow("not a url")
        .authorize_url("s")
        .build()
        .expect_err("bad base");
    assert!(err.message().contains("login base URL"), "{err}");
}

#[test]
fn redirect_gives_the_code_only_with_the_right_state() {
    let code = code_from_redirect(
        "https://app.example.com/callback?x=1&code=abc%2Bdef&state=s-1",
        "s-1",
    )
    .expect("code");
    assert_eq!(code.expose(), "abc+def");
    let code = code_from_redirect("/callback?state=s-1&code=c2", "s-1").expect("relative");
    assert_eq!(code.expose(), "c2");

    let err = code_from_redirect("/callback?code=leaked-code&state=other", "s-1")
        .expect_err("state mismatch");
    assert_eq!(err.kind(), &LoginErrorKind::StateMismatch);
    assert_clean(&err, &["leaked-code"]);
    let err = code_from_redirect("/callback?code=leaked-code", "s-1").expect_err("no state");
    assert_eq!(err.kind(), &LoginErrorKind::StateMismatch);

    let err = code_from_redirect(
        "/callback?error=access_denied&error_description=The+user+said+no&state=s-1",
        "s-1",
    )
    .expect_err("denied");
    assert_eq!(err.oauth_error(), Some(&OAuthError::AccessDenied));
    assert!(err.message().contains("The user said no"), "{err}");
    let err = code_from_redirect("/callback?state=s-1", "s-1").expect_err("no code");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidResponse);
    let err = code_from_redirect("http://[::1", "s-1").expect_err("not a url");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidInput);
}

#[tokio::test]
async fn exchange_on_the_wire_then_401_refreshes_and_hands_over_the_rotated_token() {
    let server = MockServer::start().await;
    exchange_mock()
        .respond_with(token_answer("tok-A", Some("rt-1"), 3600))
        .expect(1)
        .mount(&server)
        .await;
    refresh_mock("rt-1")
        .respond_with(token_answer("tok-B", Some("rt-2"), 3600))
        .expect(1)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/scopes", "tok-A")
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "status": 401, "code": "bad.credentials", "message": "Invalid login credentials."
        })))
        .expect(1)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/scopes", "tok-B")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entities": [], "total": 0})))
        .expect(2)
        .mount(&server)
        .await;

    let flow = flow(&server.uri());
    let token = flow.exchange_code(CODE).await.expect("exchange");
    assert_eq!(token.access_token.expose(), "tok-A");
    assert_eq!(
        token.refresh_token.as_ref().map(Secret::expose),
        Some("rt-1")
    );
    assert!(token.expires_at.is_some());

    let stored = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = stored.clone();
    let source = flow.token_source(token, move |rt| {
        sink.lock().unwrap().push(rt.expose().to_owned())
    });
    let client = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .token_source(source.clone())
        .retry_policy(quick_retry())
        .build()
        .expect("client");
    // 401 with tok-A: one refresh with rt-1, the call is sent again with tok-B.
    client
        .get_oauth_scopes()
        .call()
        .await
        .expect("after refresh");
    client
        .get_oauth_scopes()
        .call()
        .await
        .expect("cached tok-B");
    assert_eq!(*stored.lock().unwrap(), vec!["rt-2".to_owned()]);
    let held = source.token().await.expect("token");
    assert_eq!(
        held.refresh_token.as_ref().map(Secret::expose),
        Some("rt-2")
    );
    server.verify().await;
}

#[tokio::test]
async fn stored_refresh_token_renews_before_expiry_and_follows_rotation() {
    let server = MockServer::start().await;
    // expires_in 1 s: renewed a quarter of its life (0.25 s) before expiry, so an access
    // 1 s later renews.
    refresh_mock("rt-stored")
        .respond_with(token_answer("tok-1", Some("rt-rotated"), 1))
        .expect(1)
        .mount(&server)
        .await;
    refresh_mock("rt-rotated")
        .respond_with(token_answer("tok-2", None, 1))
        .expect(2)
        .mount(&server)
        .await;

    let stored = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = stored.clone();
    let grant = flow(&server.uri()).refresh_grant("rt-stored", move |rt: &Secret| {
        sink.lock().unwrap().push(rt.expose().to_owned())
    });
    assert!(!format!("{grant:?}").contains("rt-stored"));
    let source = TokenSource::new(grant);
    assert_eq!(source.access_token().await.unwrap().expose(), "tok-1");
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    // the rotated token is used next; an answer without one keeps it
    assert_eq!(source.access_token().await.unwrap().expose(), "tok-2");
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let token = source.token().await.unwrap();
    assert_eq!(token.access_token.expose(), "tok-2");
    assert_eq!(
        token.refresh_token.as_ref().map(Secret::expose),
        Some("rt-rotated")
    );
    assert_eq!(*stored.lock().unwrap(), vec!["rt-rotated".to_owned()]);
    server.verify().await;
}

#[tokio::test]
async fn refusals_are_typed_and_hold_no_secret() {
    let server = MockServer::start().await;
    // The login host echoes what it got: every secret must come out redacted.
    let pair =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    exchange_mock()
        .respond_with(refusal(
            400,
            "invalid_grant",
            &format!(
                "authorization code {CODE} expired (client secret {CLIENT_SECRET}, Basic {pair})"
            ),
        ))
        .mount(&server)
        .await;
    refresh_mock("rt-revoked")
        .respond_with(refusal(
            400,
            "invalid_grant",
            "refresh token rt-revoked was revoked",
        ))
        .mount(&server)
        .await;
    refresh_mock("rt-wrong-client")
        .respond_with(refusal(401, "invalid_client", "authentication failed"))
        .mount(&server)
        .await;
    refresh_mock("rt-not-allowed")
        .respond_with(refusal(
            400,
            "unauthorized_client",
            "client is not authorized for this grant",
        ))
        .mount(&server)
        .await;
    let secrets = [CODE, CLIENT_SECRET, pair.as_str(), "rt-revoked"];
    let flow = flow(&server.uri());

    let err: LoginError = flow.exchange_code(CODE).await.expect_err("invalid_grant");
    assert_eq!(
        err.kind(),
        &LoginErrorKind::Refused(OAuthError::InvalidGrant)
    );
    assert_eq!(err.status(), Some(400));
    assert!(
        err.message()
            .starts_with("invalid_grant: authorization code [redacted] expired"),
        "{err}"
    );
    assert_clean(&err, &secrets);

    let err = flow
        .refresh(&Secret::new("rt-revoked"))
        .await
        .expect_err("revoked");
    assert_eq!(err.oauth_error(), Some(&OAuthError::InvalidGrant));
    assert_eq!(
        err.message(),
        "invalid_grant: refresh token [redacted] was revoked"
    );
    assert_clean(&err, &secrets);

    let err = flow
        .refresh(&Secret::new("rt-wrong-client"))
        .await
        .expect_err("invalid_client");
    assert_eq!(err.oauth_error(), Some(&OAuthError::InvalidClient));
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        err.to_string(),
        "login failed (HTTP 401): invalid_client: authentication failed"
    );
    assert_clean(&err, &["rt-wrong-client", CLIENT_SECRET]);

    let err = flow
        .refresh(&Secret::new("rt-not-allowed"))
        .await
        .expect_err("unauthorized_client");
    assert_eq!(err.oauth_error(), Some(&OAuthError::UnauthorizedClient));
    assert_clean(&err, &["rt-not-allowed", CLIENT_SECRET]);
    // The runtime's error (what a token source reports) is the same text.
    let auth = purecloud_oauth_api::AuthError::from(err.clone());
    assert_eq!(auth.message, err.message());
    assert_clean(&auth, &["rt-not-allowed", CLIENT_SECRET]);

    // Through a client: the call fails as an Auth error, without secrets.
    let client = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .token_source(Arc::new(TokenSource::new(
            flow.refresh_grant("rt-revoked", |_: &Secret| {}),
        )))
        .retry_policy(quick_retry())
        .build()
        .expect("client");
    let err = client.get_oauth_scopes().call().await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.detail().contains("invalid_grant"), "{}", err.detail());
    assert_clean(&err, &secrets);
}

#[tokio::test]
async fn odd_answers_are_errors_that_quote_nothing() {
    let server = MockServer::start().await;
    refresh_mock("rt-html")
        .respond_with(
            ResponseTemplate::new(404).set_body_raw("<html>rt-html not found</html>", "text/html"),
        )
        .mount(&server)
        .await;
    refresh_mock("rt-garbage")
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"access_token": ["tok-leak"], "refresh_token": "rt-leak"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    refresh_mock("rt-big")
        .respond_with(ResponseTemplate::new(200).set_body_raw("x".repeat(200_000), "text/plain"))
        .mount(&server)
        .await;
    let flow = flow(&server.uri());

    let err = flow
        .refresh(&Secret::new("rt-html"))
        .await
        .expect_err("404");
    assert_eq!(err.kind(), &LoginErrorKind::Status);
    assert_eq!(err.status(), Some(404));
    assert_clean(&err, &["rt-html", "<html>"]);

    let err = flow
        .refresh(&Secret::new("rt-garbage"))
        .await
        .expect_err("garbage");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidResponse);
    assert_clean(&err, &["rt-garbage", "tok-leak", "rt-leak"]);

    let err = flow.refresh(&Secret::new("rt-big")).await.expect_err("big");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidResponse);
    assert!(err.message().contains("bytes"), "{err}");

    let err = flow.exchange_code("").await.expect_err("empty code");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidInput);

    // Nobody listening: a communication error, without the URL's secrets (there are none
    // in the URL; the form is never quoted).
    let closed = AuthorizationCode::new(
        reqwest::Client::new(),
        "http://127.0.0.1:9",
        CLIENT_ID,
        CLIENT_SECRET,
        REDIRECT_URI,
    )
    .with_retry(purecloud_oauth_api::RetryPolicy::none());
    let err = closed.exchange_code(CODE).await.expect_err("no server");
    assert_eq!(err.kind(), &LoginErrorKind::Communication);
    assert_clean(&err, &[CODE, CLIENT_SECRET]);

    // A client id that Basic cannot carry is refused before anything is sent.
    let err = AuthorizationCode::new(
        reqwest::Client::new(),
        &server.uri(),
        "bad:id",
        CLIENT_SECRET,
        REDIRECT_URI,
    )
    .exchange_code(CODE)
    .await
    .expect_err("colon");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidInput);
    assert!(err.message().contains("client_id"), "{err}");
}

#[tokio::test]
async fn a_redirected_token_answer_is_not_taken() {
    let login = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    token_post()
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            format!("{}/oauth/token", elsewhere.uri()).as_str(),
        ))
        .mount(&login)
        .await;
    token_post()
        .respond_with(token_answer("tok-foreign", Some("rt-foreign"), 3600))
        .mount(&elsewhere)
        .await;

    // A client that follows redirects (reqwest's default policy): the form with the code
    // and the secret is a body reqwest cannot copy, so the 307 is not followed, nothing
    // reaches the other origin, and the 307 comes back as the answer.
    let err = flow(&login.uri())
        .exchange_code(CODE)
        .await
        .expect_err("redirected");
    assert_eq!(err.kind(), &LoginErrorKind::Status);
    assert_eq!(err.status(), Some(307));
    assert_clean(&err, &["tok-foreign", "rt-foreign", CODE]);
    assert_eq!(
        elsewhere
            .received_requests()
            .await
            .unwrap_or_default()
            .len(),
        0
    );

    // A client that follows none: the same.
    let before = 0;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http");
    let err = AuthorizationCode::new(http, &login.uri(), CLIENT_ID, CLIENT_SECRET, REDIRECT_URI)
        .exchange_code(CODE)
        .await
        .expect_err("307");
    assert_eq!(err.kind(), &LoginErrorKind::Status);
    assert_eq!(err.status(), Some(307));
    let after = elsewhere
        .received_requests()
        .await
        .unwrap_or_default()
        .len();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_revoked_refresh_token_is_not_sent_again() {
    let server = MockServer::start().await;
    refresh_mock("rt-dead")
        .respond_with(refusal(400, "invalid_grant", "refresh token revoked"))
        .expect(1)
        .mount(&server)
        .await;
    let grant = flow(&server.uri()).refresh_grant("rt-dead", |_: &Secret| {});
    let err = grant.refresh().await.expect_err("revoked");
    assert_eq!(err.oauth_error(), Some(&OAuthError::InvalidGrant));
    let err = grant.refresh().await.expect_err("dropped");
    assert_eq!(err.kind(), &LoginErrorKind::NoRefreshToken);
    assert!(err.message().contains("log in again"), "{err}");
    server.verify().await;
}

#[tokio::test]
async fn a_302_to_another_origin_carries_no_credential_and_its_answer_is_refused() {
    let login = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    token_post()
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/oauth/token", elsewhere.uri()).as_str(),
        ))
        .mount(&login)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(token_answer("tok-foreign", Some("rt-foreign"), 3600))
        .mount(&elsewhere)
        .await;

    // reqwest's default policy follows a 302 as a GET: without the form, without the Basic
    // header (another host); the answer from there is not taken as a token.
    let err = flow(&login.uri())
        .exchange_code(CODE)
        .await
        .expect_err("redirected");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidResponse);
    assert_clean(&err, &["tok-foreign", "rt-foreign", CODE]);
    let seen = elsewhere.received_requests().await.unwrap_or_default();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method.as_str(), "GET");
    assert!(seen[0].body.is_empty());
    assert!(!seen[0].headers.contains_key("authorization"));
    let text = format!(
        "{:?} {}",
        seen[0].url,
        String::from_utf8_lossy(&seen[0].body)
    );
    assert!(
        !text.contains(CODE) && !text.contains(CLIENT_SECRET),
        "{text}"
    );
}

#[tokio::test]
async fn a_flow_sends_no_credential_over_plain_http_to_another_host() {
    // Refused before any connection: `example.invalid` is never resolved or dialled.
    let err = AuthorizationCode::new(
        reqwest::Client::new(),
        "http://login.example.invalid",
        CLIENT_ID,
        CLIENT_SECRET,
        REDIRECT_URI,
    )
    .exchange_code(CODE)
    .await
    .expect_err("plain http");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidInput);
    assert!(err.message().contains("plain http"), "{err}");
    assert_clean(&err, &[CODE, CLIENT_SECRET]);
}
