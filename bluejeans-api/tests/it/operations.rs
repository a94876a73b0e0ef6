//! Every one of the 12 operations: method, path with its `?Marker`, query, headers (bearer
//! vs `access_token` query, no `api-version`), JSON body with the wire names, and the
//! decoded response.

use bluejeans_api::{BlueJeans, RetryPolicy, types};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{RawQuery, assert_request, body_json, client, single_request};

async fn mock(
    server: &MockServer,
    verb: &str,
    p: &str,
    query: Option<&'static str>,
    r: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(p))
        .and(RawQuery(query))
        .respond_with(r)
        .expect(1)
        .mount(server)
        .await;
}

/// The decoded value serialized again equals what the server sent: every field decoded,
/// none lost or renamed.
fn round_trips<T: serde::Serialize>(decoded: &T, sent: &Value) {
    assert_eq!(&serde_json::to_value(decoded).expect("serializes"), sent);
}

#[tokio::test]
async fn get_token_by_password() {
    let server = MockServer::start().await;
    let sent = json!({
        "access_token": "f5b4a9c2", "expires_in": 3600, "refresh_token": "9e1c7a42",
        "scope": {"user": 1234567, "partitionName": "z2", "partition": {"id": 1, "name": "z2"}}
    });
    mock(
        &server,
        "POST",
        "/oauth2/token",
        Some("Password"),
        ResponseTemplate::new(200).set_body_json(&sent),
    )
    .await;

    let grant = client(&server, None)
        .grant_password("joe.user", "my_pwrd")
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request(&request, "POST", "/oauth2/token", Some("Password"), None);
    assert_eq!(
        body_json(&request),
        json!({"grant_type": "password", "username": "joe.user", "password": "my_pwrd"})
    );
    assert_eq!(
        grant.access_token.as_ref().map(|t| t.expose()),
        Some("f5b4a9c2")
    );
    assert_eq!(
        grant.refresh_token.as_ref().map(|t| t.expose()),
        Some("9e1c7a42")
    );
    assert_eq!(grant.expires_in, Some(3600));
    let scope = grant.scope.as_ref().unwrap();
    assert_eq!(scope.user, Some(1234567));
    assert_eq!(scope.partition_name.as_deref(), Some("z2"));
    assert_eq!(scope.partition.as_ref().and_then(|p| p.id), Some(1));
    round_trips(&grant, &sent);
}

#[tokio::test]
async fn get_token_by_meeting() {
    let server = MockServer::start().await;
    let sent = json!({
        "access_token": "3c7d2e91", "expires_in": 3600,
        "scope": {
            "meeting": {
                "id": 18273645, "leaderId": 1234567, "meetingNumericId": "4085551212",
                "meetingUri": "/v1/user/1234567/live_meetings/4085551212",
                "isModerator": true, "endpointUriSet": [{"uri": "sip:x"}], "meetingId": "18273645"
            },
            "partitionName": "z2", "partition": {"id": 1, "name": "z2"}
        }
    });
    mock(
        &server,
        "POST",
        "/oauth2/token",
        Some("Meeting"),
        ResponseTemplate::new(200).set_body_json(&sent),
    )
    .await;

    let grant = client(&server, None)
        .grant_meeting("4085551212", "2404")
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request(&request, "POST", "/oauth2/token", Some("Meeting"), None);
    assert_eq!(
        body_json(&request),
        json!({"grant_type": "meeting_passcode", "meetingNumericId": "4085551212", "meetingPasscode": "2404"})
    );
    assert_eq!(
        grant.access_token.as_ref().map(|t| t.expose()),
        Some("3c7d2e91")
    );
    let meeting = grant
        .scope
        .as_ref()
        .and_then(|s| s.meeting.as_ref())
        .unwrap();
    assert_eq!(meeting.is_moderator, Some(true));
    assert_eq!(meeting.leader_id, Some(1234567));
    assert_eq!(meeting.meeting_numeric_id.as_deref(), Some("4085551212"));
    assert_eq!(meeting.endpoint_uri_set.len(), 1);
    round_trips(&grant, &sent);
}

#[tokio::test]
async fn get_token_by_client() {
    let server = MockServer::start().await;
    let sent = json!({
        "access_token": "8a2f6d1e", "expires_in": 3600,
        "scope": {"enterprise": 54321, "partitionName": "z2", "partition": {"id": 1, "name": "z2"}}
    });
    mock(
        &server,
        "POST",
        "/oauth2/token",
        Some("Client"),
        ResponseTemplate::new(200).set_body_json(&sent),
    )
    .await;

    let grant = client(&server, None)
        .grant_client("a_client_app", "62a01e3b")
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request(&request, "POST", "/oauth2/token", Some("Client"), None);
    assert_eq!(
        body_json(&request),
        json!({"grant_type": "client_credentials", "client_id": "a_client_app", "client_secret": "62a01e3b"})
    );
    assert_eq!(
        grant.access_token.as_ref().map(|t| t.expose()),
        Some("8a2f6d1e")
    );
    assert_eq!(grant.scope.as_ref().and_then(|s| s.enterprise), Some(54321));
    round_trips(&grant, &sent);
}

#[tokio::test]
async fn get_token_by_code() {
    let server = MockServer::start().await;
    let sent = json!({
        "access_token": "f5b4a9c2", "refresh_token": "c38f040b", "expires_in": 3600,
        "scope": {
            "user": 1234567,
            "appPermissions": [{"method": "GET", "allowedRegex": "^/v1/user/1234567/scheduled_meeting.*"}],
            "partitionName": "z2", "partition": {"id": 1, "name": "z2"},
            "bearerPermissions": "list_meetings,modify_meetings,user_info",
            "clientId": "0f3e8a1b"
        }
    });
    mock(
        &server,
        "POST",
        "/oauth2/token",
        Some("Code"),
        ResponseTemplate::new(200).set_body_json(&sent),
    )
    .await;

    let grant = client(&server, None)
        .grant_code(
            "0f3e8a1b",
            "62a01e3b",
            "https://mywebsite.com/comehere",
            "myCodeString",
        )
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request(&request, "POST", "/oauth2/token", Some("Code"), None);
    assert_eq!(
        body_json(&request),
        json!({
            "grant_type": "authorization_code", "client_id": "0f3e8a1b", "client_secret": "62a01e3b",
            "redirectUri": "https://mywebsite.com/comehere", "code": "myCodeString"
        })
    );
    assert_eq!(
        grant.refresh_token.as_ref().map(|t| t.expose()),
        Some("c38f040b")
    );
    let scope = grant.scope.as_ref().unwrap();
    assert_eq!(scope.client_id.as_deref(), Some("0f3e8a1b"));
    assert_eq!(scope.app_permissions[0].method.as_deref(), Some("GET"));
    round_trips(&grant, &sent);
}

#[tokio::test]
async fn get_token_by_refresh_sends_bearer() {
    let server = MockServer::start().await;
    let sent = json!({
        "access_token": "2d9b7c4e", "refresh_token": "7a1e4c9d", "expires_in": 3600,
        "scope": {"user": 1234567, "appPermissions": [], "partitionName": "z2",
                  "partition": {"id": 1, "name": "z2"}, "bearerPermissions": "user_info"}
    });
    mock(
        &server,
        "POST",
        "/oauth2/token",
        Some("Refresh"),
        ResponseTemplate::new(200).set_body_json(&sent),
    )
    .await;

    let grant = client(&server, Some("current-token"))
        .grant_refresh("0f3e8a1b", "62a01e3b", "c38f040b")
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request(
        &request,
        "POST",
        "/oauth2/token",
        Some("Refresh"),
        Some("current-token"),
    );
    assert_eq!(
        body_json(&request),
        json!({"grant_type": "refresh_token", "client_id": "0f3e8a1b", "client_secret": "62a01e3b", "refresh_token": "c38f040b"})
    );
    assert_eq!(
        grant.access_token.as_ref().map(|t| t.expose()),
        Some("2d9b7c4e")
    );
    assert_eq!(
        grant.refresh_token.as_ref().map(|t| t.expose()),
        Some("7a1e4c9d")
    );
    assert_eq!(
        grant
            .scope
            .as_ref()
            .and_then(|s| s.bearer_permissions.as_deref()),
        Some("user_info")
    );
    // appPermissions [] is skipped on serialization: compare the rest.
    let mut expected = sent.clone();
    expected["scope"]
        .as_object_mut()
        .unwrap()
        .remove("appPermissions");
    round_trips(&grant, &expected);
}

#[tokio::test]
async fn revoke_access_token() {
    let server = MockServer::start().await;
    mock(
        &server,
        "DELETE",
        "/oauth2/token",
        Some("Revoke&access_token=old-token"),
        ResponseTemplate::new(204),
    )
    .await;

    client(&server, Some("current-token"))
        .revoke_token("0f3e8a1b", "62a01e3b", "old-token")
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request(
        &request,
        "DELETE",
        "/oauth2/token",
        Some("Revoke&access_token=old-token"),
        Some("current-token"),
    );
    assert_eq!(
        body_json(&request),
        json!({"client_id": "0f3e8a1b", "client_secret": "62a01e3b"})
    );
}

#[tokio::test]
async fn get_token_info() {
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        "/oauth2/tokenInfo",
        Some("access_token=tok-to-check"),
        ResponseTemplate::new(200).set_body_json(json!({"user": 1234567})),
    )
    .await;

    let info = client(&server, None)
        .token_info("tok-to-check")
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/oauth2/tokenInfo",
        Some("access_token=tok-to-check"),
        None,
    );
    assert!(request.body.is_empty());
    assert_eq!(info.user, Some(1234567));
}

#[tokio::test]
async fn get_authorization_code() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oauth2/authorize"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>sign in</html>", "text/html"))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server, None)
        .get_authorization_code()
        .client_id("0f3e8a1b")
        .redirect_uri("https://acme.example.com/cb")
        .state("s-42")
        .scope("list_meetings,user_info")
        .response_type("code")
        .app_name("Acme CRM")
        .app_logo_url("https://acme.example.com/logo.png")
        .call()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/oauth2/authorize");
    assert!(request.headers.get("api-version").is_none());
    assert!(request.headers.get("authorization").is_none());
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let expected: Vec<(String, String)> = [
        ("appLogoUrl", "https://acme.example.com/logo.png"),
        ("appName", "Acme CRM"),
        ("clientId", "0f3e8a1b"),
        ("redirectUri", "https://acme.example.com/cb"),
        ("responseType", "code"),
        ("scope", "list_meetings,user_info"),
        ("state", "s-42"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(pairs, expected);
}

fn application_list() -> Value {
    json!([{
        "description": "Schedules BlueJeans meetings from the Acme CRM.",
        "appLogoUrl": "https://acme.example.com/img/logo-84.png",
        "redirectUrls": ["https://acme.example.com/oauth/bluejeans/callback"],
        "clientId": "0f3e8a1b", "appName": "Acme CRM"
    }])
}

#[tokio::test]
async fn list_client_applications_bearer() {
    let server = MockServer::start().await;
    let sent = application_list();
    // 201 on a GET, as upstream documents it.
    mock(
        &server,
        "GET",
        "/v1/user/1234567/developer_applications",
        None,
        ResponseTemplate::new(201).set_body_json(&sent),
    )
    .await;

    let list = client(&server, Some("tok-123"))
        .list_client_applications()
        .user_id(1234567)
        .call()
        .await
        .unwrap()
        .into_inner();

    let request = single_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/v1/user/1234567/developer_applications",
        None,
        Some("tok-123"),
    );
    assert!(request.body.is_empty());
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].app_name.as_deref(), Some("Acme CRM"));
    assert_eq!(
        list[0].redirect_urls,
        ["https://acme.example.com/oauth/bluejeans/callback"]
    );
    round_trips(&list, &sent);
}

#[tokio::test]
async fn list_client_applications_token_in_query() {
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        "/v1/user/1234567/developer_applications",
        Some("access_token=tok-123"),
        ResponseTemplate::new(200).set_body_json(application_list()),
    )
    .await;
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .access_token("tok-123")
        .token_in_query()
        .build()
        .unwrap();

    let list = client
        .list_client_applications()
        .user_id(1234567)
        .call()
        .await
        .unwrap();

    let request = single_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/v1/user/1234567/developer_applications",
        Some("access_token=tok-123"),
        None,
    );
    assert_eq!(list.len(), 1);
}

#[tokio::test]
async fn refresh_with_token_in_query_keeps_marker() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        "/oauth2/token",
        Some("Refresh&access_token=tok-123"),
        ResponseTemplate::new(200).set_body_json(json!({"access_token": "new"})),
    )
    .await;
    let client = BlueJeans::builder()
        .base_url(server.uri())
        .access_token("tok-123")
        .token_in_query()
        .build()
        .unwrap();

    let grant = client.grant_refresh("id", "secret", "rt").await.unwrap();

    let request = single_request(&server).await;
    assert_request(
        &request,
        "POST",
        "/oauth2/token",
        Some("Refresh&access_token=tok-123"),
        None,
    );
    assert_eq!(grant.access_token.as_ref().map(|t| t.expose()), Some("new"));
}

fn application_body() -> Value {
    json!({
        "description": "Schedules BlueJeans meetings from the Acme CRM.",
        "appName": "Acme CRM",
        "appLogoUrl": "https://acme.example.com/img/logo-84.png",
        "redirectUrls": ["https://acme.example.com/oauth/bluejeans/callback"]
    })
}

fn application() -> types::Application {
    types::Application::builder()
        .description(Some(
            "Schedules BlueJeans meetings from the Acme CRM.".to_string(),
        ))
        .app_name(Some("Acme CRM".to_string()))
        .app_logo_url(Some("https://acme.example.com/img/logo-84.png".to_string()))
        .redirect_urls(vec![
            "https://acme.example.com/oauth/bluejeans/callback".to_string(),
        ])
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn create_client_application() {
    let server = MockServer::start().await;
    let mut sent = application_body();
    sent["userId"] = json!("1234567");
    sent["clientId"] = json!("0f3e8a1b");
    sent["clientSecret"] = json!("b7e2d4f6");
    mock(
        &server,
        "POST",
        "/v1/user/1234567/developer_applications",
        None,
        ResponseTemplate::new(201).set_body_json(&sent),
    )
    .await;

    let app = client(&server, Some("tok-123"))
        .create_client_application()
        .user_id(1234567)
        .body(application())
        .call()
        .await
        .unwrap()
        .into_inner();

    let request = single_request(&server).await;
    assert_request(
        &request,
        "POST",
        "/v1/user/1234567/developer_applications",
        None,
        Some("tok-123"),
    );
    assert_eq!(body_json(&request), application_body());
    assert_eq!(app.client_id.as_deref(), Some("0f3e8a1b"));
    assert_eq!(
        app.client_secret.as_ref().map(|s| s.expose()),
        Some("b7e2d4f6")
    );
    assert_eq!(app.user_id.as_deref(), Some("1234567"));
    round_trips(&app, &sent);
}

#[tokio::test]
async fn update_client_application() {
    let server = MockServer::start().await;
    let mut sent = application_body();
    sent["clientId"] = json!("0f3e8a1b");
    mock(
        &server,
        "PUT",
        "/v1/user/1234567/developer_applications/0f3e8a1b",
        None,
        ResponseTemplate::new(200).set_body_json(&sent),
    )
    .await;

    let app = client(&server, Some("tok-123"))
        .update_client_application()
        .user_id(1234567)
        .client_id("0f3e8a1b")
        .body(application())
        .call()
        .await
        .unwrap()
        .into_inner();

    let request = single_request(&server).await;
    assert_request(
        &request,
        "PUT",
        "/v1/user/1234567/developer_applications/0f3e8a1b",
        None,
        Some("tok-123"),
    );
    assert_eq!(body_json(&request), application_body());
    assert_eq!(app.client_id.as_deref(), Some("0f3e8a1b"));
    round_trips(&app, &sent);
}

#[tokio::test]
async fn regenerate_client_application_secret() {
    let server = MockServer::start().await;
    let sent = json!({"clientId": "0f3e8a1b", "client_secret": "4c6e8a0b"});
    mock(
        &server,
        "PUT",
        "/v1/user/1234567/developer_applications/0f3e8a1b/secret",
        None,
        ResponseTemplate::new(200).set_body_json(&sent),
    )
    .await;

    let secret = client(&server, Some("tok-123"))
        .regenerate_client_application_secret()
        .user_id(1234567)
        .client_id("0f3e8a1b")
        .call()
        .await
        .unwrap()
        .into_inner();

    let request = single_request(&server).await;
    assert_request(
        &request,
        "PUT",
        "/v1/user/1234567/developer_applications/0f3e8a1b/secret",
        None,
        Some("tok-123"),
    );
    assert!(request.body.is_empty());
    assert_eq!(secret.client_id.as_deref(), Some("0f3e8a1b"));
    assert_eq!(
        secret.client_secret.as_ref().map(|s| s.expose()),
        Some("4c6e8a0b")
    );
    round_trips(&secret, &sent);
}

#[tokio::test]
async fn builder_settings_reach_the_wire() {
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        "/oauth2/tokenInfo",
        Some("access_token=t"),
        ResponseTemplate::new(200).set_body_json(json!({"user": 1})),
    )
    .await;
    // A trailing slash on the base URL does not double the path separator.
    let client = BlueJeans::builder()
        .base_url(format!("{}/", server.uri()))
        .user_agent("tour/1.0")
        .build()
        .unwrap();

    client.token_info("t").await.unwrap();

    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/oauth2/tokenInfo");
    assert_eq!(request.headers.get("user-agent").unwrap(), "tour/1.0");
    assert!(BlueJeans::builder().base_url("not a url").build().is_err());
    assert!(BlueJeans::builder().base_url("ftp://x").build().is_err());
}

#[tokio::test]
async fn a_grant_body_built_without_its_single_valued_grant_type_sends_the_spec_default() {
    // `grant_type` is required on the wire, has one value and a spec `default`: the model
    // builder starts at it, so the natural call (user name and password only) works.
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        "/oauth2/token",
        Some("Password"),
        ResponseTemplate::new(200).set_body_json(json!({"access_token": "f5b4a9c2"})),
    )
    .await;
    let body = types::GrantRequestPassword::builder()
        .username("joe.user")
        .password("my_pwrd");
    let grant = client(&server, None)
        .get_token_by_password()
        .body(body)
        .call()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        grant.access_token.as_ref().map(|t| t.expose()),
        Some("f5b4a9c2")
    );
    let request = single_request(&server).await;
    assert_eq!(
        body_json(&request),
        json!({"grant_type": "password", "username": "joe.user", "password": "my_pwrd"})
    );

    // A field without a default still fails, naming it, before anything is sent.
    let missing: Result<types::GrantRequestPassword, _> = types::GrantRequestPassword::builder()
        .username("joe.user")
        .try_into();
    let message = missing.expect_err("no password").to_string();
    assert!(message.contains("password"), "{message}");
}
