//! The browser URL of the code-grant flow.

use bluejeans_api::{AuthorizeUrl, DEFAULT_AUTHORIZE_URL};

#[test]
fn defaults_to_bluejeans_com_and_response_type_code() {
    let url = AuthorizeUrl::new("0f3e8a1b", "https://acme.example.com/cb?x=1&y=2")
        .build()
        .unwrap();
    assert!(url.as_str().starts_with(DEFAULT_AUTHORIZE_URL));
    assert_eq!(url.host_str(), Some("bluejeans.com"));
    assert_eq!(url.path(), "/oauth2/authorize");
    // The redirect URI's own query is percent-encoded, not merged into ours.
    assert_eq!(
        url.query(),
        Some(
            "clientId=0f3e8a1b&redirectUri=https%3A%2F%2Facme.example.com%2Fcb%3Fx%3D1%26y%3D2&responseType=code"
        )
    );
}

#[test]
fn every_parameter_and_a_custom_base() {
    let url = AuthorizeUrl::new("id", "https://a.example/cb")
        .base_url("http://127.0.0.1:9/oauth2/authorize")
        .state("st 1")
        .scopes(["list_meetings", "user_info"])
        .response_type("token")
        .app_name("Acme CRM")
        .app_logo_url("https://a.example/logo.png")
        .build()
        .unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let expected = [
        ("clientId", "id"),
        ("redirectUri", "https://a.example/cb"),
        ("state", "st 1"),
        ("scope", "list_meetings,user_info"),
        ("responseType", "token"),
        ("appName", "Acme CRM"),
        ("appLogoUrl", "https://a.example/logo.png"),
    ];
    assert_eq!(pairs.len(), expected.len());
    for ((k, v), (ek, ev)) in pairs.iter().zip(expected) {
        assert_eq!((k.as_str(), v.as_str()), (ek, ev));
    }
    assert_eq!(url.host_str(), Some("127.0.0.1"));
}

#[test]
fn invalid_base_is_an_error() {
    assert!(
        AuthorizeUrl::new("id", "cb")
            .base_url("::nope")
            .build()
            .is_err()
    );
}
