//! Every credential-bearing value, formatted with `{:?}` and `{}`, shows no credential.

use std::sync::Arc;

use purecloud_oauth_api::types::{OAuthClient, OAuthClientGrantType};
use purecloud_oauth_api::{
    AuthError, ClientCredentials, Credentials, PureCloud, Secret, Token, TokenSource,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::api_with_token;
use crate::login::{CLIENT_ID, CLIENT_SECRET, login_mock};

const TOKEN: &str = "tok-redaction-91b2c3-access-token";
const CREATED_SECRET: &str = "created-client-secret-5e6f7a8b";

fn assert_clean(what: &str, text: &str) {
    for credential in [CLIENT_SECRET, TOKEN, CREATED_SECRET] {
        assert!(
            !text.contains(credential),
            "{what} shows a credential: {text}"
        );
    }
}

#[tokio::test]
async fn no_credential_in_debug_or_display() {
    let server = MockServer::start().await;
    login_mock()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN, "token_type": "bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/clients/c1", TOKEN)
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": "bad.credentials", "status": 401})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/refused/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_client"})))
        .mount(&server)
        .await;

    // Secret
    let secret = Secret::new(CLIENT_SECRET);
    assert_clean("Secret {:?}", &format!("{secret:?}"));
    assert_clean("Secret {}", &format!("{secret}"));
    assert_eq!(secret.expose(), CLIENT_SECRET);

    // a model holding a secret
    let model = OAuthClient {
        access_token_validity_seconds: None,
        authorized_grant_type: OAuthClientGrantType::ClientCredentials,
        created_by: None,
        date_created: None,
        date_modified: None,
        date_to_delete: None,
        description: None,
        id: Some("c1".into()),
        modified_by: None,
        name: "n".into(),
        registered_redirect_uri: vec![],
        role_divisions: None,
        role_ids: None,
        scope: vec![],
        secret: Some(Secret::new(CREATED_SECRET)),
        self_uri: None,
        state: None,
    };
    assert_clean("OAuthClient {:?}", &format!("{model:?}"));
    assert_clean("OAuthClient {:#?}", &format!("{model:#?}"));
    // ... while the wire form keeps it
    assert!(
        serde_json::to_string(&model)
            .expect("json")
            .contains(CREATED_SECRET)
    );

    // the config / builder, with client credentials and with a token
    let config = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .client_credentials(CLIENT_ID, CLIENT_SECRET);
    assert_clean("ClientConfig {:?}", &format!("{config:?}"));
    let token_config = PureCloud::builder().access_token(TOKEN);
    assert_clean("ClientConfig(token) {:?}", &format!("{token_config:?}"));
    let token_client = token_config.build().expect("client");
    assert_clean("Client(token) {:?}", &format!("{token_client:?}"));

    // the client, its token source (after a login) and the API error of a 401
    let client = config.build().expect("client");
    let err = client
        .get_oauth_client()
        .client_id("c1")
        .call()
        .await
        .expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_clean("Client {:?}", &format!("{client:?}"));
    assert_clean("ApiError {:?}", &format!("{err:?}"));
    assert_clean("ApiError {}", &format!("{err}"));

    // the fetcher, the token, a token source holding it, credentials
    let fetcher = ClientCredentials::new(
        reqwest::Client::new(),
        &server.uri(),
        CLIENT_ID,
        CLIENT_SECRET,
    );
    assert_clean("ClientCredentials {:?}", &format!("{fetcher:?}"));
    let token: Token = fetcher.login().await.expect("login");
    assert_eq!(token.access_token.expose(), TOKEN);
    assert_clean("Token {:?}", &format!("{token:?}"));
    let source = Arc::new(TokenSource::new(fetcher));
    assert_eq!(source.access_token().await.expect("token").expose(), TOKEN);
    assert_clean("TokenSource {:?}", &format!("{source:?}"));
    assert_clean(
        "Credentials {:?}",
        &format!("{:?}", Credentials::Source(source.clone())),
    );
    assert_clean(
        "Credentials {:?}",
        &format!("{:?}", Credentials::Token(Secret::new(TOKEN))),
    );

    // a refused login
    let refused = ClientCredentials::new(
        reqwest::Client::new(),
        &format!("{}/refused", server.uri()),
        CLIENT_ID,
        CLIENT_SECRET,
    );
    let auth: AuthError = refused.login().await.expect_err("refused");
    assert_eq!(auth.status, Some(400));
    assert_clean("AuthError {:?}", &format!("{auth:?}"));
    assert_clean("AuthError {}", &format!("{auth}"));
}
