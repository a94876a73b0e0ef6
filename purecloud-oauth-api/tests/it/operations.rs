//! Every one of the 13 operations on the wire: method, path, query, headers, JSON body with
//! its exact wire names, and the decoded response (unknown enum values and fields included).

use purecloud_oauth_api::types::{
    ApiUsageClientQuery, ApiUsageGranularity, ApiUsageGroupBy, ApiUsageMetric, ApiUsageQueryStatus,
    OAuthAuthorizationState, OAuthClientGrantType, OAuthClientRequest, OAuthClientState,
    RoleDivision,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, query_param};
use wiremock::{MockServer, ResponseTemplate};

use crate::common::{NoHeader, api, client};

const CLIENT_ID: &str = "a0c5d3b4-7e2f-4c61-9b7e-2f5d8c1e4a90";
const EXECUTION_ID: &str = "e7c2a9f0-4b1d-4e6a-8c3f-9a2b5d7e1f64";

fn oauth_client_json(state: &str) -> serde_json::Value {
    json!({
        "id": CLIENT_ID,
        "name": "Reporting integration",
        "accessTokenValiditySeconds": 86400,
        "description": "Nightly export of queue statistics",
        "roleIds": ["8d2e6f41-0a9b-4c37-b5d8-e1f27a6c9b04"],
        "dateCreated": "2025-08-14T09:30:00.000Z",
        "createdBy": {"id": "3b9f1c2e", "name": "Jordan Lee", "selfUri": "/api/v2/users/3b9f1c2e"},
        "authorizedGrantType": "CLIENT-CREDENTIALS",
        "roleDivisions": [{"roleId": "8d2e6f41-0a9b-4c37-b5d8-e1f27a6c9b04", "divisionId": "b7a4c1d9-62e0-4f85-9c3a-d05e8b1f7a26"}],
        "state": state,
        "selfUri": format!("/api/v2/oauth/clients/{CLIENT_ID}"),
        "someFieldAddedLater": {"nested": true}
    })
}

#[tokio::test]
async fn get_oauth_authorizations() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/authorizations")
        .and(header("accept-language", "fr-fr"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 2,
            "entities": [
                {"client": {"id": CLIENT_ID, "name": "Agent desktop", "authorizedGrantType": "CODE", "state": "active"},
                 "scope": ["users:readonly", "conversations"], "pending": false, "state": "Authorized",
                 "resourceOwner": {"id": "3b9f1c2e", "name": "Jordan Lee"}},
                {"client": {"id": "x", "name": "Old", "authorizedGrantType": "TOKEN"}, "state": "Suspended", "newField": 3}
            ],
            "selfUri": "/api/v2/oauth/authorizations"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let listing = client(&server.uri())
        .get_oauth_authorizations()
        .accept_language("fr-fr")
        .call()
        .await
        .expect("getOauthAuthorizations")
        .into_inner();
    assert_eq!(listing.total, Some(2));
    assert_eq!(listing.entities.len(), 2);
    let first = &listing.entities[0];
    assert_eq!(first.state, Some(OAuthAuthorizationState::Authorized));
    assert_eq!(first.scope, vec!["users:readonly", "conversations"]);
    assert_eq!(first.pending, Some(false));
    let owner = first.resource_owner.as_ref().expect("resourceOwner");
    assert_eq!(owner.name.as_deref(), Some("Jordan Lee"));
    let c = first.client.as_ref().expect("client");
    assert_eq!(c.authorized_grant_type, OAuthClientGrantType::Code);
    assert_eq!(c.state, Some(OAuthClientState::Active));
    assert_eq!(
        listing.entities[1].state,
        Some(OAuthAuthorizationState::Unknown("Suspended".into()))
    );
}

#[tokio::test]
async fn get_oauth_authorization() {
    let server = MockServer::start().await;
    api("GET", &format!("/api/v2/oauth/authorizations/{CLIENT_ID}"))
        .and(header("accept-language", "en-us"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "client": oauth_client_json("archived"),
            "scope": ["oauth"],
            "roles": ["admin"],
            "state": "Revoked",
            "dateCreated": "2025-08-14T09:30:00.000Z",
            "selfUri": format!("/api/v2/oauth/authorizations/{CLIENT_ID}")
        })))
        .expect(1)
        .mount(&server)
        .await;
    let auth = client(&server.uri())
        .get_oauth_authorization()
        .client_id(CLIENT_ID)
        .accept_language("en-us")
        .call()
        .await
        .expect("getOauthAuthorization")
        .into_inner();
    assert_eq!(auth.state, Some(OAuthAuthorizationState::Revoked));
    assert_eq!(auth.roles, vec!["admin"]);
    assert_eq!(
        auth.date_created.map(|d| d.to_rfc3339()),
        Some("2025-08-14T09:30:00+00:00".to_owned())
    );
    let c = auth.client.expect("client");
    assert_eq!(c.state, Some(OAuthClientState::Unknown("archived".into())));
    assert_eq!(c.id.as_deref(), Some(CLIENT_ID));
}

#[tokio::test]
async fn get_oauth_clients() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/clients")
        .and(NoHeader("accept-language"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "entities": [oauth_client_json("active"), oauth_client_json("disabled")],
            "pageSize": 25, "pageNumber": 1, "total": 2, "pageCount": 1,
            "firstUri": "/api/v2/oauth/clients?pageSize=25&pageNumber=1",
            "selfUri": "/api/v2/oauth/clients?pageSize=25&pageNumber=1"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let listing = client(&server.uri())
        .get_oauth_clients()
        .call()
        .await
        .expect("getOauthClients")
        .into_inner();
    assert_eq!(listing.total, Some(2));
    assert_eq!(listing.page_size, Some(25));
    assert_eq!(listing.page_count, Some(1));
    assert_eq!(listing.entities.len(), 2);
    assert_eq!(listing.entities[1].state, Some(OAuthClientState::Disabled));
    assert_eq!(
        listing.entities[0]
            .role_divisions
            .as_ref()
            .map(|r| r[0].division_id.as_str()),
        Some("b7a4c1d9-62e0-4f85-9c3a-d05e8b1f7a26")
    );
    assert!(listing.entities[0].secret.is_none());
}

#[tokio::test]
async fn post_oauth_clients() {
    let server = MockServer::start().await;
    let mut created = oauth_client_json("active");
    created["secret"] = json!("s3cr3t-returned-on-create");
    api("POST", "/api/v2/oauth/clients")
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "Reporting integration",
            "description": "Nightly export of queue statistics",
            "authorizedGrantType": "CLIENT-CREDENTIALS",
            "accessTokenValiditySeconds": 86400,
            "roleDivisions": [{"roleId": "8d2e6f41-0a9b-4c37-b5d8-e1f27a6c9b04", "divisionId": "b7a4c1d9-62e0-4f85-9c3a-d05e8b1f7a26"}],
            "state": "active"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(created))
        .expect(1)
        .mount(&server)
        .await;
    let body = OAuthClientRequest::builder()
        .name("Reporting integration")
        .description(Some("Nightly export of queue statistics".to_owned()))
        .authorized_grant_type(OAuthClientGrantType::ClientCredentials)
        .access_token_validity_seconds(Some(86400))
        .role_divisions(Some(vec![RoleDivision {
            role_id: "8d2e6f41-0a9b-4c37-b5d8-e1f27a6c9b04".into(),
            division_id: "b7a4c1d9-62e0-4f85-9c3a-d05e8b1f7a26".into(),
        }]))
        .state(Some(OAuthClientState::Active));
    let created = client(&server.uri())
        .post_oauth_clients()
        .body(body)
        .call()
        .await
        .expect("postOauthClients")
        .into_inner();
    assert_eq!(created.id.as_deref(), Some(CLIENT_ID));
    assert_eq!(
        created.authorized_grant_type,
        OAuthClientGrantType::ClientCredentials
    );
    assert_eq!(
        created.secret.as_ref().map(|s| s.expose()),
        Some("s3cr3t-returned-on-create")
    );
    assert_eq!(created.access_token_validity_seconds, Some(86400));
}

#[tokio::test]
async fn get_oauth_client() {
    let server = MockServer::start().await;
    api("GET", &format!("/api/v2/oauth/clients/{CLIENT_ID}"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(oauth_client_json("archived"))
                .insert_header("ININ-Correlation-Id", "corr-get-client"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server.uri())
        .get_oauth_client()
        .client_id(CLIENT_ID)
        .call()
        .await
        .expect("getOauthClient");
    // The response headers stay on the value (the generated code moves them there).
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("ININ-Correlation-Id")
            .map(|v| v.to_str().unwrap()),
        Some("corr-get-client")
    );
    let c = response.into_inner();
    assert_eq!(c.name, "Reporting integration");
    assert_eq!(c.state, Some(OAuthClientState::Unknown("archived".into())));
    assert_eq!(
        c.role_ids,
        Some(vec!["8d2e6f41-0a9b-4c37-b5d8-e1f27a6c9b04".to_owned()])
    );
    assert_eq!(
        c.created_by.and_then(|r| r.self_uri).as_deref(),
        Some("/api/v2/users/3b9f1c2e")
    );
}

#[tokio::test]
async fn put_oauth_client() {
    let server = MockServer::start().await;
    let mut updated = oauth_client_json("inactive");
    updated["authorizedGrantType"] = json!("CODE");
    api("PUT", &format!("/api/v2/oauth/clients/{CLIENT_ID}"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "Agent desktop web app",
            "authorizedGrantType": "CODE",
            "registeredRedirectUri": ["https://myapp.example.com/auth/callback"],
            "scope": ["users:readonly", "conversations"],
            "state": "inactive"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(updated))
        .expect(1)
        .mount(&server)
        .await;
    let body = OAuthClientRequest::builder()
        .name("Agent desktop web app")
        .authorized_grant_type(OAuthClientGrantType::Code)
        .registered_redirect_uri(vec!["https://myapp.example.com/auth/callback".to_owned()])
        .scope(vec![
            "users:readonly".to_owned(),
            "conversations".to_owned(),
        ])
        .state(Some(OAuthClientState::Inactive));
    let c = client(&server.uri())
        .put_oauth_client()
        .client_id(CLIENT_ID)
        .body(body)
        .call()
        .await
        .expect("putOauthClient")
        .into_inner();
    assert_eq!(c.state, Some(OAuthClientState::Inactive));
    assert_eq!(c.authorized_grant_type, OAuthClientGrantType::Code);
}

#[tokio::test]
async fn delete_oauth_client() {
    let server = MockServer::start().await;
    api("DELETE", &format!("/api/v2/oauth/clients/{CLIENT_ID}"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server.uri())
        .delete_oauth_client()
        .client_id(CLIENT_ID)
        .call()
        .await
        .expect("deleteOauthClient");
    assert_eq!(response.status().as_u16(), 204);
}

#[tokio::test]
async fn post_oauth_client_secret() {
    let server = MockServer::start().await;
    let mut regenerated = oauth_client_json("active");
    regenerated["secret"] = json!("n3w-s3cr3t-after-regeneration");
    api("POST", &format!("/api/v2/oauth/clients/{CLIENT_ID}/secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(regenerated))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri())
        .post_oauth_client_secret()
        .client_id(CLIENT_ID)
        .call()
        .await
        .expect("postOauthClientSecret")
        .into_inner();
    assert_eq!(
        c.secret.as_ref().map(|s| s.expose()),
        Some("n3w-s3cr3t-after-regeneration")
    );
    let requests = server.received_requests().await.expect("recording");
    assert!(requests[0].body.is_empty(), "regeneration sends no body");
}

#[tokio::test]
async fn post_oauth_client_usage_query() {
    let server = MockServer::start().await;
    api("POST", &format!("/api/v2/oauth/clients/{CLIENT_ID}/usage/query"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "interval": "2025-08-01T00:00:00/2025-08-14T00:00:00",
            "granularity": "Day",
            "metrics": ["Requests", "Status200", "Status429"],
            "groupBy": ["TemplateUri", "HttpMethod"]
        })))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "executionId": EXECUTION_ID,
            "resultsUri": format!("/api/v2/oauth/clients/{CLIENT_ID}/usage/query/results/{EXECUTION_ID}")
        })))
        .expect(1)
        .mount(&server)
        .await;
    let query = ApiUsageClientQuery::builder()
        .interval("2025-08-01T00:00:00/2025-08-14T00:00:00")
        .granularity(Some(ApiUsageGranularity::Day))
        .metrics(vec![
            ApiUsageMetric::Requests,
            ApiUsageMetric::Status200,
            ApiUsageMetric::Status429,
        ])
        .group_by(vec![
            ApiUsageGroupBy::TemplateUri,
            ApiUsageGroupBy::HttpMethod,
        ]);
    let response = client(&server.uri())
        .post_oauth_client_usage_query()
        .client_id(CLIENT_ID)
        .body(query)
        .call()
        .await
        .expect("postOauthClientUsageQuery");
    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(response.execution_id.as_deref(), Some(EXECUTION_ID));
    assert!(
        response
            .results_uri
            .as_deref()
            .is_some_and(|u| u.ends_with(EXECUTION_ID))
    );
}

#[tokio::test]
async fn get_oauth_client_usage_query_result() {
    let server = MockServer::start().await;
    api(
        "GET",
        &format!("/api/v2/oauth/clients/{CLIENT_ID}/usage/query/results/{EXECUTION_ID}"),
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "queryStatus": "Complete",
        "results": [{
            "clientId": CLIENT_ID, "clientName": "Reporting integration",
            "templateUri": "api/v2/analytics/conversations/details/query", "httpMethod": "POST",
            "date": "2025-08-01T00:00:00.000Z", "requests": 1530, "status200": 1520, "status429": 10,
            "notYetKnown": "ignored"
        }],
        "cursors": {"after": "cursor-2"}
    })))
    .expect(1)
    .mount(&server)
    .await;
    let result = client(&server.uri())
        .get_oauth_client_usage_query_result()
        .client_id(CLIENT_ID)
        .execution_id(EXECUTION_ID)
        .call()
        .await
        .expect("getOauthClientUsageQueryResult")
        .into_inner();
    assert_eq!(result.query_status, Some(ApiUsageQueryStatus::Complete));
    assert_eq!(
        result.cursors.and_then(|c| c.after).as_deref(),
        Some("cursor-2")
    );
    let row = &result.results[0];
    assert_eq!(row.requests, Some(1530));
    assert_eq!(row.status200, Some(1520));
    assert_eq!(row.status429, Some(10));
    assert_eq!(row.http_method.as_deref(), Some("POST"));
    assert_eq!(
        row.date.map(|d| d.timestamp()),
        Some(1_754_006_400) // 2025-08-01T00:00:00Z
    );
}

#[tokio::test]
async fn get_oauth_client_usage_summary() {
    let server = MockServer::start().await;
    api(
        "GET",
        &format!("/api/v2/oauth/clients/{CLIENT_ID}/usage/summary"),
    )
    .and(query_param("days", "30"))
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "executionId": EXECUTION_ID,
        "resultsUri": "/r"
    })))
    .expect(1)
    .mount(&server)
    .await;
    let summary = client(&server.uri())
        .get_oauth_client_usage_summary()
        .client_id(CLIENT_ID)
        .days("30")
        .call()
        .await
        .expect("getOauthClientUsageSummary")
        .into_inner();
    assert_eq!(summary.execution_id.as_deref(), Some(EXECUTION_ID));
    assert_eq!(summary.results_uri.as_deref(), Some("/r"));
}

#[tokio::test]
async fn get_oauth_scopes() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/scopes")
        .and(header("accept-language", "de-de"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "entities": [
                {"id": "analytics", "description": "Analytik", "selfUri": "/api/v2/oauth/scopes/analytics"},
                {"id": "analytics:readonly", "description": "Analytik (lesen)"}
            ],
            "total": 2,
            "selfUri": "/api/v2/oauth/scopes"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let scopes = client(&server.uri())
        .get_oauth_scopes()
        .accept_language("de-de")
        .call()
        .await
        .expect("getOauthScopes")
        .into_inner();
    assert_eq!(scopes.total, Some(2));
    let ids: Vec<_> = scopes
        .entities
        .iter()
        .filter_map(|s| s.id.as_deref())
        .collect();
    assert_eq!(ids, ["analytics", "analytics:readonly"]);
    assert_eq!(scopes.entities[0].description.as_deref(), Some("Analytik"));
}

#[tokio::test]
async fn get_oauth_scope() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/scopes/analytics:readonly")
        .and(header("accept-language", "en-us"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "analytics:readonly",
            "description": "View analytics data",
            "selfUri": "/api/v2/oauth/scopes/analytics:readonly"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let scope = client(&server.uri())
        .get_oauth_scope()
        .scope_id("analytics:readonly")
        .accept_language("en-us")
        .call()
        .await
        .expect("getOauthScope")
        .into_inner();
    assert_eq!(scope.id.as_deref(), Some("analytics:readonly"));
    assert_eq!(scope.description.as_deref(), Some("View analytics data"));
}
