//! Every operation on the wire through the typed mocks of `purecloud-oauth-api-mock` (httpmock
//! on 127.0.0.1, one server per test): the usage query scripted `Running` then `Complete`, a
//! 401 answered with a renewed token, open enums both ways, `Secret` fields, the
//! `Accept-Language` header, a 429 with its `Retry-After`, typed statuses.

use std::time::Duration;

use httpmock::{Method, MockServer};
use purecloud_oauth_api::types::{
    ApiUsageClientQuery, ApiUsageMetric, ApiUsageQueryResult, ApiUsageQueryStatus, ErrorBody,
    OAuthAuthorization, OAuthAuthorizationListing, OAuthAuthorizationState, OAuthClient,
    OAuthClientEntityListing, OAuthClientGrantType, OAuthClientRequest, OAuthClientState,
    OAuthScope, OAuthScopeListing, UsageExecutionResult,
};
use purecloud_oauth_api::{Client, PureCloud, RetryPolicy, Secret, UsagePolling};
use purecloud_oauth_api_mock::MockServerExt as _;
use purecloud_oauth_api_mock::status::SuccessStatus;

use crate::common::quick_retry;

const TOKEN: &str = "tok-mock";

fn client(server: &MockServer) -> Client {
    PureCloud::builder()
        .base_urls(server.base_url(), server.base_url())
        .access_token(TOKEN)
        .retry_policy(quick_retry())
        .build()
        .expect("client")
}

fn oauth_client(
    name: &str,
    grant: OAuthClientGrantType,
    state: OAuthClientState,
    secret: Option<&str>,
) -> OAuthClient {
    OAuthClient::try_from(
        OAuthClient::builder()
            .id(Some("c1".to_owned()))
            .name(name)
            .authorized_grant_type(grant)
            .state(Some(state))
            .secret(secret.map(Secret::from)),
    )
    .expect("a complete OAuthClient")
}

fn error_body(code: &str, status: i32) -> ErrorBody {
    ErrorBody::try_from(
        ErrorBody::builder()
            .code(Some(code.to_owned()))
            .status(Some(status))
            .message(Some(format!("{code} ({status})"))),
    )
    .expect("a complete ErrorBody")
}

fn usage_status(status: ApiUsageQueryStatus) -> ApiUsageQueryResult {
    ApiUsageQueryResult {
        cursors: None,
        query_status: Some(status),
        results: vec![],
    }
}

#[tokio::test]
async fn usage_query_is_scripted_running_then_complete() {
    let server = MockServer::start();
    let query = ApiUsageClientQuery {
        granularity: None,
        group_by: vec![],
        interval: "2025-08-01T00:00:00/2025-08-14T00:00:00".into(),
        metrics: vec![ApiUsageMetric::Requests],
    };
    let submit = server.post_oauth_client_usage_query(|when, then| {
        when.client_id("c1").body(&query).bearer_token(TOKEN);
        then.accepted(&UsageExecutionResult {
            execution_id: Some("exec-1".into()),
            results_uri: None,
        });
    });
    let running = server.get_oauth_client_usage_query_result(|when, then| {
        when.client_id("c1")
            .execution_id("exec-1")
            .bearer_token(TOKEN);
        then.up_to_n_times(std::num::NonZeroUsize::new(2).expect("2 > 0"))
            .ok(&usage_status(ApiUsageQueryStatus::Running));
    });
    let complete = server.get_oauth_client_usage_query_result(|when, then| {
        when.client_id("c1")
            .execution_id("exec-1")
            .bearer_token(TOKEN);
        then.ok(&usage_status(ApiUsageQueryStatus::Complete));
    });

    let result = client(&server)
        .run_usage_query(
            "c1",
            query.clone(),
            UsagePolling::new(Duration::from_millis(5), Duration::from_secs(5)),
        )
        .await
        .expect("complete");
    assert_eq!(result.query_status, Some(ApiUsageQueryStatus::Complete));
    submit.assert_calls(1);
    running.assert_calls(2);
    complete.assert_calls(1);
}

#[tokio::test]
async fn usage_summary_sends_days_as_a_query_parameter() {
    let server = MockServer::start();
    let summary = server.get_oauth_client_usage_summary(|when, then| {
        when.client_id("c1").days("7");
        then.ok(&UsageExecutionResult {
            execution_id: Some("exec-7".into()),
            results_uri: None,
        });
    });
    let without_days = server.get_oauth_client_usage_summary(|when, then| {
        when.client_id("c1").days_missing();
        then.accepted(&UsageExecutionResult {
            execution_id: Some("exec-all".into()),
            results_uri: None,
        });
    });
    let c = client(&server);
    let seven = c
        .get_oauth_client_usage_summary()
        .client_id("c1")
        .days("7")
        .call()
        .await
        .expect("summary");
    assert_eq!(seven.execution_id.as_deref(), Some("exec-7"));
    let all = c
        .get_oauth_client_usage_summary()
        .client_id("c1")
        .call()
        .await
        .expect("summary");
    assert_eq!(all.status().as_u16(), 202);
    assert_eq!(all.execution_id.as_deref(), Some("exec-all"));
    summary.assert_calls(1);
    without_days.assert_calls(1);
}

#[tokio::test]
async fn a_401_for_the_old_token_then_200_for_the_renewed_one() {
    let server = MockServer::start();
    // The login host's token endpoint is not an operation of the spec: plain httpmock.
    // Each login answers once, in order: the first token, then the renewed one.
    let logins = ["tok-old", "tok-new"].map(|token| {
        server.mock(|when, then| {
            when.method(Method::POST)
                .path(purecloud_oauth_api::TOKEN_PATH)
                .form_urlencoded_tuple("grant_type", "client_credentials");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(serde_json::json!({
                    "access_token": token, "token_type": "bearer", "expires_in": 86400
                }))
                .up_to_n_times(1);
        })
    });
    let rejected = server.get_oauth_client(|when, then| {
        when.client_id("c1").bearer_token("tok-old");
        then.unauthorized(&error_body("bad.credentials", 401));
    });
    let accepted = server.get_oauth_client(|when, then| {
        when.client_id("c1").bearer_token("tok-new");
        then.ok(&oauth_client(
            "Reporting",
            OAuthClientGrantType::ClientCredentials,
            OAuthClientState::Active,
            None,
        ));
    });
    let c = PureCloud::builder()
        .base_urls(server.base_url(), server.base_url())
        .client_credentials("app-id", "app-secret")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");

    let got = c
        .get_oauth_client()
        .client_id("c1")
        .call()
        .await
        .expect("renewed and sent again");
    assert_eq!(got.name, "Reporting");
    for login in &logins {
        login.assert_calls(1);
    }
    rejected.assert_calls(1);
    accepted.assert_calls(1);
}

#[tokio::test]
async fn open_enums_and_secrets_travel_both_ways() {
    let server = MockServer::start();
    // Values this crate does not know yet, in a response and in a request body.
    let future = oauth_client(
        "Device app",
        OAuthClientGrantType::Unknown("DEVICE-CODE".into()),
        OAuthClientState::Unknown("archived".into()),
        None,
    );
    let get = server.get_oauth_client(|when, then| {
        when.client_id("c1");
        then.ok(&future);
    });
    let request = OAuthClientRequest::try_from(
        OAuthClientRequest::builder()
            .name("Device app")
            .authorized_grant_type(OAuthClientGrantType::Unknown("DEVICE-CODE".into()))
            .state(Some(OAuthClientState::Inactive)),
    )
    .expect("a complete request");
    let put = server.put_oauth_client(|when, then| {
        when.client_id("c1").body(&request);
        then.ok(&future);
    });
    let create = server.post_oauth_clients(|when, then| {
        when.body(&request);
        then.ok(&oauth_client(
            "Device app",
            OAuthClientGrantType::Code,
            OAuthClientState::Active,
            Some("shown-once"),
        ));
    });
    let regenerate = server.post_oauth_client_secret(|when, then| {
        when.client_id("c1").bearer_token(TOKEN);
        then.ok(&oauth_client(
            "Device app",
            OAuthClientGrantType::Code,
            OAuthClientState::Active,
            Some("regenerated"),
        ));
    });
    let c = client(&server);

    let got = c
        .get_oauth_client()
        .client_id("c1")
        .call()
        .await
        .expect("get");
    assert_eq!(
        got.authorized_grant_type,
        OAuthClientGrantType::Unknown("DEVICE-CODE".into())
    );
    assert_eq!(
        got.state,
        Some(OAuthClientState::Unknown("archived".into()))
    );
    get.assert();

    c.put_oauth_client()
        .client_id("c1")
        .body(request.clone())
        .call()
        .await
        .expect("put");
    put.assert();

    let made = c
        .post_oauth_clients()
        .body(request.clone())
        .call()
        .await
        .expect("create");
    assert_eq!(made.secret.as_ref().map(Secret::expose), Some("shown-once"));
    create.assert();

    let fresh = c
        .post_oauth_client_secret()
        .client_id("c1")
        .call()
        .await
        .expect("regenerate");
    assert_eq!(
        fresh.secret.as_ref().map(Secret::expose),
        Some("regenerated")
    );
    regenerate.assert();
}

#[tokio::test]
async fn listing_delete_and_a_typed_range_status() {
    let server = MockServer::start();
    let list =
        server.get_oauth_clients(|when, then| {
            when.bearer_token(TOKEN);
            then.ok(&OAuthClientEntityListing::try_from(
                OAuthClientEntityListing::builder().entities(vec![oauth_client(
                    "Reporting",
                    OAuthClientGrantType::ClientCredentials,
                    OAuthClientState::Active,
                    None,
                )]),
            )
            .expect("listing"));
        });
    let still_active = server.delete_oauth_client(|when, then| {
        when.client_id("active-1");
        then.bad_request(&error_body("cannot.delete.client", 400));
    });
    let deleted = server.delete_oauth_client(|when, then| {
        when.client_id("c1");
        then.success(SuccessStatus::NO_CONTENT);
    });
    let c = client(&server);

    let clients = c.get_oauth_clients().call().await.expect("list");
    assert_eq!(clients.entities.len(), 1);
    list.assert();

    let err = c
        .delete_oauth_client()
        .client_id("active-1")
        .call()
        .await
        .expect_err("scripted 400");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        err.body().and_then(|b| b.code.as_deref()),
        Some("cannot.delete.client")
    );
    still_active.assert();

    let done = c
        .delete_oauth_client()
        .client_id("c1")
        .call()
        .await
        .expect("deleted");
    assert_eq!(done.status().as_u16(), 204);
    deleted.assert();

    assert_eq!(SuccessStatus::new(404), None);
    assert_eq!(SuccessStatus::try_from(201).map(u16::from), Ok(201));
}

#[tokio::test]
async fn accept_language_is_a_typed_header_matcher() {
    let server = MockServer::start();
    let german = server.get_oauth_scopes(|when, then| {
        when.accept_language("de-de");
        then.ok(
            &OAuthScopeListing::try_from(OAuthScopeListing::builder().entities(vec![OAuthScope {
                id: Some("users:readonly".into()),
                description: Some("Benutzer lesen".into()),
                self_uri: None,
            }]))
            .expect("listing"),
        );
    });
    let default = server.get_oauth_scope(|when, then| {
        when.scope_id("users:readonly").accept_language_missing();
        then.ok(&OAuthScope {
            id: Some("users:readonly".into()),
            description: Some("Read users".into()),
            self_uri: None,
        });
    });
    let c = client(&server);
    let scopes = c
        .get_oauth_scopes()
        .accept_language("de-de")
        .call()
        .await
        .expect("scopes");
    assert_eq!(
        scopes.entities[0].description.as_deref(),
        Some("Benutzer lesen")
    );
    german.assert();
    let scope = c
        .get_oauth_scope()
        .scope_id("users:readonly")
        .call()
        .await
        .expect("scope");
    assert_eq!(scope.description.as_deref(), Some("Read users"));
    default.assert();
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried() {
    let server = MockServer::start();
    let throttled = server.get_oauth_authorizations(|when, then| {
        when.accept_language("en-us");
        then.once()
            .too_many_requests(&error_body("too.many.requests", 429))
            .retry_after_header(0)
            .inin_correlation_id_header("corr-429");
    });
    let answered = server.get_oauth_authorizations(|when, then| {
        when.accept_language("en-us");
        then.ok(&OAuthAuthorizationListing::try_from(
            OAuthAuthorizationListing::builder().entities(vec![
                OAuthAuthorization::try_from(
                    OAuthAuthorization::builder().state(Some(OAuthAuthorizationState::Authorized)),
                )
                .expect("authorization"),
            ]),
        )
        .expect("listing"));
    });
    let one = server.get_oauth_authorization(|when, then| {
        when.client_id("c1");
        then.not_found(&error_body("not.found", 404))
            .inin_correlation_id_header("corr-404");
    });
    let c = client(&server);

    let listing = c
        .get_oauth_authorizations()
        .accept_language("en-us")
        .call()
        .await
        .expect("retried after the 429");
    assert_eq!(
        listing.entities[0].state,
        Some(OAuthAuthorizationState::Authorized)
    );
    throttled.assert_calls(1);
    answered.assert_calls(1);

    let err = c
        .get_oauth_authorization()
        .client_id("c1")
        .call()
        .await
        .expect_err("scripted 404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.correlation_id(), Some("corr-404"));
    one.assert();
}

/// The JSON the mock serves at `path_and_query` for `method`, fetched raw.
async fn served(
    server: &MockServer,
    method: reqwest::Method,
    path_and_query: &str,
) -> serde_json::Value {
    reqwest::Client::new()
        .request(method, server.url(path_and_query))
        .bearer_auth(TOKEN)
        // The mocks of operations with a JSON body match its content type.
        .header("content-type", "application/json")
        .send()
        .await
        .expect("the mock answers")
        .json()
        .await
        .expect("the example is JSON")
}

/// `value` in a canonical form: without the object members that hold an empty array (an
/// optional list field is not serialized when empty; `[]` and absent mean the same on this
/// API), and with every RFC 3339 date-time written one way (`…:00.000Z` and `…:00Z` are one
/// instant).
fn canonical(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .filter(|(_, v)| !v.as_array().is_some_and(Vec::is_empty))
                .map(|(k, v)| (k.clone(), canonical(v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(canonical).collect())
        }
        serde_json::Value::String(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(at) => serde_json::Value::String(at.with_timezone(&chrono::Utc).to_rfc3339()),
            Err(_) => value.clone(),
        },
        other => other.clone(),
    }
}

#[tokio::test]
async fn the_specs_success_examples_decode_whole_into_the_clients_types() {
    let server = MockServer::start();
    server.get_oauth_authorizations(|_, then| {
        then.ok_example();
    });
    server.get_oauth_authorization(|_, then| {
        then.ok_example();
    });
    server.get_oauth_clients(|_, then| {
        then.ok_example();
    });
    server.post_oauth_clients(|_, then| {
        then.ok_example();
    });
    server.get_oauth_client(|_, then| {
        then.ok_example();
    });
    server.put_oauth_client(|_, then| {
        then.ok_example();
    });
    server.post_oauth_client_secret(|_, then| {
        then.ok_example();
    });
    server.post_oauth_client_usage_query(|_, then| {
        then.accepted_example();
    });
    server.get_oauth_client_usage_query_result(|_, then| {
        then.ok_example();
    });
    server.get_oauth_client_usage_summary(|_, then| {
        then.ok_example();
    });
    server.get_oauth_scopes(|_, then| {
        then.ok_example();
    });
    server.get_oauth_scope(|_, then| {
        then.ok_example();
    });
    let c = client(&server);
    let request = || OAuthClientRequest::new("n", OAuthClientGrantType::ClientCredentials);
    let (get, post, put) = (
        reqwest::Method::GET,
        reqwest::Method::POST,
        reqwest::Method::PUT,
    );
    // (operation, decoded and serialized again, method, path)
    let checks: Vec<(&str, serde_json::Value, reqwest::Method, &str)> = vec![
        (
            "getOauthAuthorizations",
            json(c.get_oauth_authorizations().call().await),
            get.clone(),
            "/api/v2/oauth/authorizations",
        ),
        (
            "getOauthAuthorization",
            json(c.get_oauth_authorization().client_id("c").call().await),
            get.clone(),
            "/api/v2/oauth/authorizations/c",
        ),
        (
            "getOauthClients",
            json(c.get_oauth_clients().call().await),
            get.clone(),
            "/api/v2/oauth/clients",
        ),
        (
            "postOauthClients",
            json(c.post_oauth_clients().body(request()).call().await),
            post.clone(),
            "/api/v2/oauth/clients",
        ),
        (
            "getOauthClient",
            json(c.get_oauth_client().client_id("c").call().await),
            get.clone(),
            "/api/v2/oauth/clients/c",
        ),
        (
            "putOauthClient",
            json(
                c.put_oauth_client()
                    .client_id("c")
                    .body(request())
                    .call()
                    .await,
            ),
            put,
            "/api/v2/oauth/clients/c",
        ),
        (
            "postOauthClientSecret",
            json(c.post_oauth_client_secret().client_id("c").call().await),
            post.clone(),
            "/api/v2/oauth/clients/c/secret",
        ),
        (
            "postOauthClientUsageQuery",
            json(
                c.post_oauth_client_usage_query()
                    .client_id("c")
                    .body(ApiUsageClientQuery::new(
                        "2025-08-01T00:00:00/2025-08-14T00:00:00",
                    ))
                    .call()
                    .await,
            ),
            post,
            "/api/v2/oauth/clients/c/usage/query",
        ),
        (
            "getOauthClientUsageQueryResult",
            json(
                c.get_oauth_client_usage_query_result()
                    .client_id("c")
                    .execution_id("e")
                    .call()
                    .await,
            ),
            get.clone(),
            "/api/v2/oauth/clients/c/usage/query/results/e",
        ),
        (
            "getOauthClientUsageSummary",
            json(
                c.get_oauth_client_usage_summary()
                    .client_id("c")
                    .call()
                    .await,
            ),
            get.clone(),
            "/api/v2/oauth/clients/c/usage/summary",
        ),
        (
            "getOauthScopes",
            json(c.get_oauth_scopes().call().await),
            get.clone(),
            "/api/v2/oauth/scopes",
        ),
        (
            "getOauthScope",
            json(c.get_oauth_scope().scope_id("s").call().await),
            get,
            "/api/v2/oauth/scopes/s",
        ),
    ];
    for (operation, decoded, method, path) in checks {
        assert_eq!(
            canonical(&decoded),
            canonical(&served(&server, method, path).await),
            "{operation}: the spec's example does not round-trip through the client's type"
        );
    }
}

/// A call's decoded value, serialized again.
fn json<T: serde::Serialize>(
    result: Result<purecloud_oauth_api::ResponseValue<T>, purecloud_oauth_api::Error>,
) -> serde_json::Value {
    let value = result.expect("the example decodes").into_inner();
    serde_json::to_value(value).expect("serializes")
}
