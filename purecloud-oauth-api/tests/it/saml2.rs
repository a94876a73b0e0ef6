//! The SAML2 bearer grant on the wire (Basic, `orgName`, `assertion`), as a client's token
//! source, and its refusals without the assertion or the secret.

use std::sync::Arc;

use purecloud_oauth_api::{
    ErrorKind, LoginErrorKind, OAuthError, PureCloud, SAML2_BEARER_GRANT_TYPE, Saml2Bearer,
    TokenSource,
};
use wiremock::matchers::header;
use wiremock::{MockServer, ResponseTemplate};

use crate::auth_code::{assert_clean, basic, form, refusal, token_answer, token_post};
use crate::common::{api_with_token, quick_retry};

const CLIENT_ID: &str = "565c3091-saml-client";
const CLIENT_SECRET: &str = "cs-saml-9pal483e-secret";
const ORG: &str = "acme corp";
// base64 with `+`, `/` and `=`: all three must survive form encoding.
const ASSERTION: &str = "PHNhbWxwOlJlc3BvbnNl+Zm9v/YmFy==";

fn saml(uri: &str) -> Saml2Bearer {
    Saml2Bearer::new(
        reqwest::Client::new(),
        uri,
        CLIENT_ID,
        CLIENT_SECRET,
        ORG,
        ASSERTION,
    )
    .with_retry(quick_retry())
}

fn saml_mock() -> wiremock::MockBuilder {
    token_post()
        .and(header(
            "authorization",
            basic(CLIENT_ID, CLIENT_SECRET).as_str(),
        ))
        .and(form(&[
            ("grant_type", SAML2_BEARER_GRANT_TYPE),
            ("orgName", ORG),
            ("assertion", ASSERTION),
        ]))
}

#[tokio::test]
async fn assertion_on_the_wire_and_as_a_token_source() {
    assert_eq!(
        SAML2_BEARER_GRANT_TYPE,
        "urn:ietf:params:oauth:grant-type:saml2-bearer"
    );
    let server = MockServer::start().await;
    saml_mock()
        .respond_with(token_answer("tok-S", None, 86399))
        .expect(2)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/scopes", "tok-S")
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"total": 0})))
        .expect(2)
        .mount(&server)
        .await;

    let flow = saml(&server.uri());
    let debug = format!("{flow:?}");
    assert!(
        !debug.contains(ASSERTION) && !debug.contains(CLIENT_SECRET),
        "{debug}"
    );
    let token = flow.login().await.expect("login");
    assert_eq!(token.access_token.expose(), "tok-S");
    assert!(token.refresh_token.is_none());

    let client = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .token_source(Arc::new(TokenSource::new(flow)))
        .build()
        .expect("client");
    // one login for two calls: the token is cached
    client.get_oauth_scopes().call().await.expect("first");
    client.get_oauth_scopes().call().await.expect("second");
    server.verify().await;
}

#[tokio::test]
async fn refusals_are_typed_and_hold_no_assertion() {
    let server = MockServer::start().await;
    saml_mock()
        .respond_with(refusal(
            400,
            "unauthorized_client",
            &format!("client {CLIENT_ID} may not use assertion {ASSERTION}"),
        ))
        .mount(&server)
        .await;
    let err = saml(&server.uri()).login().await.expect_err("refused");
    assert_eq!(
        err.kind(),
        &LoginErrorKind::Refused(OAuthError::UnauthorizedClient)
    );
    assert_eq!(
        err.message(),
        format!("unauthorized_client: client {CLIENT_ID} may not use assertion [redacted]")
    );
    assert_clean(&err, &[ASSERTION, CLIENT_SECRET]);

    let client = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .token_source(Arc::new(TokenSource::new(saml(&server.uri()))))
        .build()
        .expect("client");
    let err = client.get_oauth_scopes().call().await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(
        err.detail().contains("unauthorized_client"),
        "{}",
        err.detail()
    );
    assert_clean(&err, &[ASSERTION, CLIENT_SECRET]);

    let err = Saml2Bearer::new(
        reqwest::Client::new(),
        &server.uri(),
        CLIENT_ID,
        CLIENT_SECRET,
        ORG,
        "",
    )
    .login()
    .await
    .expect_err("empty assertion");
    assert_eq!(err.kind(), &LoginErrorKind::InvalidInput);
    assert!(err.message().contains("assertion"), "{err}");
}
