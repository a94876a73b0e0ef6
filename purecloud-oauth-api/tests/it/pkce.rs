//! PKCE: verifiers from a CSPRNG over the whole unreserved alphabet, the S256 challenge in the
//! authorize URL, the exchange without a client secret, the public refresh with rotation,
//! and refusals without the verifier or code.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use purecloud_oauth_api::{
    LoginErrorKind, OAuthError, Pkce, PkceCodeVerifier, PkceError, PureCloud, Secret,
};
use wiremock::MockServer;

use crate::auth_code::{assert_clean, form, refusal, token_answer, token_post};
use crate::common::{NoHeader, api_with_token, quick_retry};
use wiremock::ResponseTemplate;

const CLIENT_ID: &str = "9b2e-pkce-public-client";
const REDIRECT_URI: &str = "http://127.0.0.1:8400/callback";
const CODE: &str = "pkce-code-77Qz";

fn pkce(uri: &str) -> Pkce {
    Pkce::new(reqwest::Client::new(), uri, CLIENT_ID, REDIRECT_URI).with_retry(quick_retry())
}

#[test]
fn verifiers_cover_the_unreserved_alphabet() {
    let unreserved: HashSet<char> =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
            .chars()
            .collect();
    let mut seen = HashSet::new();
    let mut all = HashSet::new();
    for _ in 0..60 {
        let v = PkceCodeVerifier::generate().expect("verifier");
        let text = v.secret().expose();
        assert_eq!(text.len(), 128);
        assert!(text.chars().all(|c| unreserved.contains(&c)), "{text}");
        seen.extend(text.chars());
        assert!(all.insert(text.to_owned()), "a verifier repeated");
    }
    // 7680 uniform draws from 66 characters: every one appears (a miss has odds ~1e-50).
    assert_eq!(seen, unreserved);
    for len in [43, 100, 128] {
        assert_eq!(
            PkceCodeVerifier::generate_with_len(len)
                .unwrap()
                .secret()
                .expose()
                .len(),
            len
        );
    }
    assert_eq!(
        PkceCodeVerifier::generate_with_len(0).unwrap_err(),
        PkceError::Length(0)
    );
    let err = PkceCodeVerifier::from_secret("short").unwrap_err();
    assert_eq!(err, PkceError::Length(5));
    assert!(err.to_string().contains("43 to 128"), "{err}");
    assert_eq!(
        PkceCodeVerifier::from_secret(format!("{} ", "a".repeat(60))).unwrap_err(),
        PkceError::Character { position: 60 }
    );
}

#[test]
fn s256_challenge_and_authorize_url() {
    // RFC 7636 appendix B.
    let v = PkceCodeVerifier::from_secret("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
    assert_eq!(
        v.code_challenge(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    assert_eq!(format!("{v:?}"), "PkceCodeVerifier([redacted])");

    let v = PkceCodeVerifier::generate().unwrap();
    let url = pkce("https://login.usw2.pure.cloud")
        .authorize_url("st-9", &v)
        .build()
        .expect("url");
    assert_eq!(url.path(), "/oauth/authorize");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("client_id", CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT_URI),
            ("state", "st-9"),
            ("code_challenge", v.code_challenge().as_str()),
            ("code_challenge_method", "S256"),
        ]
    );
    assert!(!url.as_str().contains(v.secret().expose()));
}

#[tokio::test]
async fn exchange_without_secret_then_public_refresh_with_rotation() {
    let server = MockServer::start().await;
    let verifier = PkceCodeVerifier::generate_with_len(64).unwrap();
    token_post()
        .and(NoHeader("authorization"))
        .and(form(&[
            ("grant_type", "authorization_code"),
            ("code", CODE),
            ("code_verifier", verifier.secret().expose()),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
        ]))
        .respond_with(token_answer("tok-P1", Some("prt-1"), 30))
        .expect(1)
        .mount(&server)
        .await;
    token_post()
        .and(NoHeader("authorization"))
        .and(form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "prt-1"),
            ("client_id", CLIENT_ID),
        ]))
        .respond_with(token_answer("tok-P2", Some("prt-2"), 3600))
        .expect(1)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/scopes", "tok-P2")
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"total": 0})))
        .expect(1)
        .mount(&server)
        .await;

    let flow = pkce(&server.uri());
    let mut token = flow.exchange_code(CODE, &verifier).await.expect("exchange");
    assert_eq!(token.access_token.expose(), "tok-P1");
    // As if its 30 s had passed: the token is at its expiry.
    token.expires_at = Some(std::time::Instant::now());
    let stored = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = stored.clone();
    // tok-P1 has expired: the first call renews it by refresh token.
    let source = flow.token_source(token, move |rt: &Secret| {
        sink.lock().unwrap().push(rt.expose().to_owned())
    });
    let client = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .token_source(source)
        .build()
        .expect("client");
    client.get_oauth_scopes().call().await.expect("scopes");
    assert_eq!(*stored.lock().unwrap(), vec!["prt-2".to_owned()]);
    server.verify().await;
}

#[tokio::test]
async fn wrong_verifier_is_invalid_grant_without_the_verifier() {
    let server = MockServer::start().await;
    let verifier = PkceCodeVerifier::generate().unwrap();
    token_post()
        .respond_with(refusal(
            400,
            "invalid_grant",
            &format!(
                "code_verifier {} does not match the challenge for code {CODE}",
                verifier.secret().expose()
            ),
        ))
        .mount(&server)
        .await;
    let err = pkce(&server.uri())
        .exchange_code(CODE, &verifier)
        .await
        .expect_err("refused");
    assert_eq!(
        err.kind(),
        &LoginErrorKind::Refused(OAuthError::InvalidGrant)
    );
    assert_eq!(
        err.message(),
        "invalid_grant: code_verifier [redacted] does not match the challenge for code [redacted]"
    );
    assert_clean(&err, &[verifier.secret().expose(), CODE]);

    // A PKCE token without a refresh token cannot be renewed: a clear error, no request.
    let source = pkce(&server.uri()).token_source(
        purecloud_oauth_api::Token {
            access_token: Secret::new("tok-x"),
            refresh_token: None,
            expires_at: Some(std::time::Instant::now()),
        },
        |_: &Secret| {},
    );
    let err = source.access_token().await.expect_err("no refresh token");
    assert!(err.message.contains("log in again"), "{err}");
}
