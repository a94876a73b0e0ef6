//! The builder vocabulary shared with every client of this workspace, and the runtime's
//! checked path: a `Runtime` taken from a built client sends nowhere but its own origin.

use std::time::Duration;

use purecloud_oauth_api::progenitor::ClientInfo;
use purecloud_oauth_api::{Client, PureCloud, Region, RetryPolicy, Secret};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LISTING: &str = r#"{"entities":[],"pageSize":0}"#;

#[test]
fn a_region_after_base_urls_replaces_them_and_the_other_way_round() {
    let b = PureCloud::builder()
        .base_urls("http://127.0.0.1:1", "http://127.0.0.1:2")
        .region(Region::EuWest1);
    assert_eq!(
        b.environment_ref().api_base_url(),
        "https://api.mypurecloud.ie"
    );
    let b = b.base_url("http://127.0.0.1:3/");
    assert_eq!(b.environment_ref().api_base_url(), "http://127.0.0.1:3");
    assert_eq!(
        b.environment_ref().login_base_url(),
        "https://login.mypurecloud.ie"
    );
    let b = b.login_base_url("http://localhost:4");
    assert_eq!(b.environment_ref().login_base_url(), "http://localhost:4");
}

#[test]
fn a_base_url_with_a_query_or_plain_http_elsewhere_is_refused_naming_it() {
    let e = PureCloud::builder()
        .base_url("https://api.example.com/?x=1")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("API base URL"), "{e}");
    let e = PureCloud::builder()
        .login_base_url("http://login.example.com")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("login base URL"), "{e}");
    assert!(
        PureCloud::builder()
            .login_base_url("http://login.example.com")
            .danger_allow_insecure_http()
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn the_last_credential_setting_wins() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/oauth/clients"))
        .and(header("authorization", "Bearer fixed"))
        .respond_with(ResponseTemplate::new(200).set_body_string(LISTING))
        .expect(1)
        .mount(&server)
        .await;
    // The client-credentials login is never attempted: the access token came last.
    let secret = Secret::from("s3cret");
    let fixed = Secret::from("fixed");
    let client = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .retry_policy(RetryPolicy::none())
        .client_credentials("id", &secret)
        .access_token(&fixed)
        .build()
        .expect("client");
    client.get_oauth_clients().call().await.expect("call");
    assert_eq!(
        fixed.expose(),
        "fixed",
        "the borrowed secret is still the caller's"
    );
}

#[tokio::test]
async fn a_runtime_moved_to_another_base_url_sends_nothing_there() {
    let ours = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string(LISTING))
        .expect(0)
        .mount(&other)
        .await;
    let client = PureCloud::builder()
        .base_urls(ours.uri(), ours.uri())
        .access_token("tok-must-stay-home")
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    // progenitor's constructors take any URL; the runtime refuses every request there.
    let moved = Client::new(&other.uri(), client.inner().clone());
    let e = moved.get_oauth_clients().call().await.unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("refused") && text.contains("getOauthClients"),
        "{text}"
    );
    assert!(!text.contains("tok-must-stay-home"), "{text}");
    let moved =
        Client::new_with_client(&other.uri(), reqwest::Client::new(), client.inner().clone());
    assert!(moved.get_oauth_clients().call().await.is_err());
    assert!(
        other
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[test]
fn optional_model_fields_take_bare_values_and_options() {
    use purecloud_oauth_api::types::{OAuthClientGrantType, OAuthClientRequest, OAuthClientState};

    let text = String::from("from a String");
    let request: OAuthClientRequest = OAuthClientRequest::builder()
        .name("n")
        .authorized_grant_type(OAuthClientGrantType::ClientCredentials)
        .description("bare text")
        .state(OAuthClientState::Active)
        .role_ids(vec!["r1".to_owned()])
        .access_token_validity_seconds(3600)
        .try_into()
        .expect("complete");
    assert_eq!(request.description.as_deref(), Some("bare text"));
    assert_eq!(request.state, Some(OAuthClientState::Active));
    assert_eq!(request.role_ids, Some(vec!["r1".to_owned()]));
    assert_eq!(request.access_token_validity_seconds, Some(3600));

    let request: OAuthClientRequest = OAuthClientRequest::builder()
        .name("n")
        .authorized_grant_type(OAuthClientGrantType::ClientCredentials)
        .description(&text)
        .description(None)
        .state(Some(OAuthClientState::Inactive))
        .try_into()
        .expect("complete");
    assert_eq!(request.description, None);
    assert_eq!(request.state, Some(OAuthClientState::Inactive));

    // A required field left out: the conversion names it.
    let missing: Result<OAuthClientRequest, _> = OAuthClientRequest::builder()
        .authorized_grant_type(OAuthClientGrantType::ClientCredentials)
        .description("no name")
        .try_into();
    let e = missing.expect_err("name is required");
    assert!(e.to_string().contains("name"), "{e}");
}

#[test]
fn constructors_take_the_required_fields_and_serialize_only_them() {
    use purecloud_oauth_api::types::{
        ApiUsageClientQuery, OAuthClientGrantType, OAuthClientRequest,
    };

    let request = OAuthClientRequest::new("n", OAuthClientGrantType::ClientCredentials);
    assert_eq!(
        serde_json::to_value(&request).expect("json"),
        serde_json::json!({"name": "n", "authorizedGrantType": "CLIENT-CREDENTIALS"})
    );
    let query = ApiUsageClientQuery::new("2025-01-01T00:00:00Z/2025-01-02T00:00:00Z");
    assert_eq!(
        serde_json::to_value(&query).expect("json"),
        serde_json::json!({"interval": "2025-01-01T00:00:00Z/2025-01-02T00:00:00Z"})
    );
}
