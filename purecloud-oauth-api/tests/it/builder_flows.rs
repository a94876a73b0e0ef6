//! The login flows made by the client builder (`authorization_code_flow`, `pkce_flow`,
//! `saml2_bearer_flow`): they log in at the builder's login base URL, with its user agent,
//! under the same URL rules as `build()`, and without a `reqwest::Client` of the caller's.

use purecloud_oauth_api::{BuildError, LoginErrorKind, PkceCodeVerifier, PureCloud, Secret};
use wiremock::matchers::header;
use wiremock::{MockServer, ResponseTemplate};

use crate::auth_code::{basic, form, token_answer, token_post};

const UA: &str = "flow-tests/1.0";

/// A builder whose login base URL is `server` (and whose API base URL is never used).
fn builder(server: &MockServer) -> purecloud_oauth_api::ClientBuilder {
    PureCloud::builder()
        .base_urls("http://127.0.0.1:9", server.uri())
        .user_agent(UA)
}

#[tokio::test]
async fn the_builders_code_flow_exchanges_at_its_login_url_with_its_user_agent() {
    let server = MockServer::start().await;
    token_post()
        .and(header(
            "authorization",
            basic("code-client", "code-secret-1").as_str(),
        ))
        .and(header("user-agent", UA))
        .and(form(&[
            ("grant_type", "authorization_code"),
            ("code", "one-time-code-1"),
            ("redirect_uri", "https://app.example.com/cb"),
        ]))
        .respond_with(token_answer("tok-code", Some("rt-code"), 3600))
        .expect(1)
        .mount(&server)
        .await;
    let flow = builder(&server)
        .authorization_code_flow("code-client", "code-secret-1", "https://app.example.com/cb")
        .expect("loopback login URL");
    assert_eq!(flow.token_url(), format!("{}/oauth/token", server.uri()));
    let token = flow.exchange_code("one-time-code-1").await.expect("token");
    assert_eq!(token.access_token.expose(), "tok-code");
    assert_eq!(
        token.refresh_token.as_ref().map(Secret::expose),
        Some("rt-code")
    );
}

#[tokio::test]
async fn the_builders_pkce_and_saml2_flows_log_in_there_too() {
    let server = MockServer::start().await;
    let verifier = PkceCodeVerifier::generate().expect("verifier");
    token_post()
        .and(header("user-agent", UA))
        .and(form(&[
            ("grant_type", "authorization_code"),
            ("code", "pkce-code-1"),
            ("code_verifier", verifier.secret().expose()),
            ("client_id", "public-client"),
            ("redirect_uri", "https://app.example.com/cb"),
        ]))
        .respond_with(token_answer("tok-pkce", None, 3600))
        .expect(1)
        .mount(&server)
        .await;
    token_post()
        .and(header("user-agent", UA))
        .and(header(
            "authorization",
            basic("saml-client", "saml-secret-1").as_str(),
        ))
        .and(form(&[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:saml2-bearer",
            ),
            ("orgName", "acme"),
            ("assertion", "PHNhbWw-assertion"),
        ]))
        .respond_with(token_answer("tok-saml", None, 3600))
        .expect(1)
        .mount(&server)
        .await;

    let pkce = builder(&server)
        .pkce_flow("public-client", "https://app.example.com/cb")
        .expect("loopback login URL");
    let token = pkce
        .exchange_code("pkce-code-1", &verifier)
        .await
        .expect("pkce token");
    assert_eq!(token.access_token.expose(), "tok-pkce");

    let saml = builder(&server)
        .saml2_bearer_flow("saml-client", "saml-secret-1", "acme", "PHNhbWw-assertion")
        .expect("loopback login URL");
    let token = saml.login().await.expect("saml token");
    assert_eq!(token.access_token.expose(), "tok-saml");
}

#[tokio::test]
async fn the_builders_flows_refuse_what_build_refuses_and_are_retried_by_its_policy() {
    // Plain http to a host that is not loopback: refused before any flow exists, naming
    // the login base URL, as `build()` refuses it.
    let refused: BuildError = PureCloud::builder()
        .login_base_url("http://login.example.com")
        .authorization_code_flow("id", "secret", "https://app.example.com/cb")
        .expect_err("plain http to a remote host");
    assert!(refused.to_string().contains("login base URL"), "{refused}");
    let refused = PureCloud::builder()
        .login_base_url("https://login.example.com?x=1")
        .pkce_flow("id", "https://app.example.com/cb")
        .expect_err("a query");
    assert!(refused.to_string().contains("login base URL"), "{refused}");

    // The builder's retry policy: a 503 is retried, a login may be repeated.
    let server = MockServer::start().await;
    token_post()
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    token_post()
        .respond_with(token_answer("tok-after-503", None, 3600))
        .mount(&server)
        .await;
    let flow = builder(&server)
        .retry_policy(crate::common::quick_retry())
        .authorization_code_flow("id", "secret", "https://app.example.com/cb")
        .expect("flow");
    let token = flow.exchange_code("code-1").await.expect("token");
    assert_eq!(token.access_token.expose(), "tok-after-503");
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        2
    );

    // Without a retry policy it is sent once and the 503 is the answer.
    let server = MockServer::start().await;
    token_post()
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = builder(&server)
        .retry_policy(purecloud_oauth_api::RetryPolicy::none())
        .authorization_code_flow("id", "secret", "https://app.example.com/cb")
        .expect("flow")
        .exchange_code("code-1")
        .await
        .expect_err("503");
    assert_eq!(err.kind(), &LoginErrorKind::Status);
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1
    );
}
