//! The client-credentials grant's refusals as typed errors (`request_token`), without the
//! secret or its Basic encoding, also when the login host echoes them.

use base64::Engine as _;
use purecloud_oauth_api::{ClientCredentials, LoginErrorKind, OAuthError};
use wiremock::MockServer;
use wiremock::matchers::header;

use crate::auth_code::{assert_clean, basic, form, refusal, token_post};
use crate::login::{CLIENT_ID, CLIENT_SECRET};

#[tokio::test]
async fn invalid_and_unauthorized_client_are_typed() {
    let pair =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    for (status, code, expected) in [
        (401, "invalid_client", OAuthError::InvalidClient),
        (400, "unauthorized_client", OAuthError::UnauthorizedClient),
        (400, "invalid_scope", OAuthError::InvalidScope),
    ] {
        let server = MockServer::start().await;
        token_post()
            .and(header(
                "authorization",
                basic(CLIENT_ID, CLIENT_SECRET).as_str(),
            ))
            .and(form(&[("grant_type", "client_credentials")]))
            .respond_with(refusal(
                status,
                code,
                &format!("bad credentials {CLIENT_SECRET} / Basic {pair}"),
            ))
            .expect(1)
            .mount(&server)
            .await;
        let fetcher = ClientCredentials::new(
            reqwest::Client::new(),
            &server.uri(),
            CLIENT_ID,
            CLIENT_SECRET,
        );
        let err = fetcher.request_token().await.expect_err("refused");
        assert_eq!(err.kind(), &LoginErrorKind::Refused(expected));
        assert_eq!(err.status(), Some(status));
        assert_eq!(
            err.message(),
            format!("{code}: bad credentials [redacted] / Basic [redacted]")
        );
        assert_clean(&err, &[CLIENT_SECRET, &pair]);
        server.verify().await;
    }
}
