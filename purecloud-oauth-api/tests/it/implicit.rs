//! The implicit grant's browser login: the authorize URL (`response_type=token`) and the
//! token in the redirect's fragment, with its state checked and nothing of it in errors.

use std::time::{Duration, Instant};

use purecloud_oauth_api::{Implicit, LoginErrorKind, OAuthError, token_from_redirect};

use crate::auth_code::assert_clean;

#[test]
fn authorize_url_asks_for_a_token() {
    let url = Implicit::new(
        "https://login.mypurecloud.com.au/",
        "imp-client",
        "https://app.example.com/",
    )
    .authorize_url("st-1")
    .org_provider("acme", "adfs")
    .build()
    .expect("url");
    assert_eq!(url.host_str(), Some("login.mypurecloud.com.au"));
    assert_eq!(url.path(), "/oauth/authorize");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("client_id", "imp-client"),
            ("response_type", "token"),
            ("redirect_uri", "https://app.example.com/"),
            ("state", "st-1"),
            ("org", "acme"),
            ("provider", "adfs"),
        ]
    );
}

#[test]
fn token_from_the_fragment() {
    let token = token_from_redirect(
        "https://app.example.com/#access_token=imp-tok%2B1&expires_in=86399&token_type=bearer&state=st-1",
        "st-1",
    )
    .expect("token");
    assert_eq!(token.access_token.expose(), "imp-tok+1");
    assert!(token.refresh_token.is_none());
    let left = token
        .expires_at
        .expect("expiry")
        .duration_since(Instant::now());
    assert!(left > Duration::from_secs(86_000), "{left:?}");

    let err = token_from_redirect(
        "https://app.example.com/#access_token=imp-leak&state=forged",
        "st-1",
    )
    .expect_err("state");
    assert_eq!(err.kind(), &LoginErrorKind::StateMismatch);
    assert_clean(&err, &["imp-leak"]);

    let err = token_from_redirect(
        "/#error=unauthorized_client&error_description=not+an+implicit+client&state=st-1",
        "st-1",
    )
    .expect_err("refused");
    assert_eq!(err.oauth_error(), Some(&OAuthError::UnauthorizedClient));
    assert!(err.message().contains("not an implicit client"), "{err}");

    for bad in [
        "/#access_token=imp-leak&token_type=mac&state=st-1",
        "/#access_token=imp-leak&expires_in=soon&state=st-1",
        "/#state=st-1",
        // a code-grant redirect is not an implicit one
        "/?access_token=imp-leak&state=st-1",
    ] {
        let err = token_from_redirect(bad, "st-1").expect_err(bad);
        assert!(
            matches!(
                err.kind(),
                LoginErrorKind::InvalidResponse | LoginErrorKind::StateMismatch
            ),
            "{bad}: {err:?}"
        );
        assert_clean(&err, &["imp-leak"]);
    }
}
