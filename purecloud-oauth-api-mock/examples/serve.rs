//! A mock of every PureCloud OAuth operation on 127.0.0.1, for running `purecloud_tour` (or
//! your own program) against without Node.js: each operation answers its documented success
//! with the values of the spec's examples, whatever it is sent.
//!
//! ```sh
//! cargo run -p purecloud-oauth-api-mock --example serve   # prints PURECLOUD_BASE_URL=http://127.0.0.1:<port>
//! ```
//!
//! It serves until it is stopped (Ctrl-C).

use purecloud_oauth_api::types::{
    ApiUsageQueryResult, OAuthAuthorization, OAuthAuthorizationListing, OAuthClient,
    OAuthClientEntityListing, OAuthScope, OAuthScopeListing, UsageExecutionResult,
};
use purecloud_oauth_api_mock::status::SuccessStatus;
use purecloud_oauth_api_mock::{MockServer, MockServerExt as _};
use serde_json::json;

fn main() -> Result<(), serde_json::Error> {
    // The values of the spec's examples (spec/purecloud-oauth.yaml).
    let user = json!({
        "id": "3b9f1c2e-5d47-4a8b-b6e1-0f2c9d8a7e53",
        "name": "Jordan Lee",
        "selfUri": "/api/v2/users/3b9f1c2e-5d47-4a8b-b6e1-0f2c9d8a7e53"
    });
    let oauth_client = json!({
        "id": "a0c5d3b4-7e2f-4c61-9b7e-2f5d8c1e4a90",
        "name": "Reporting integration",
        "accessTokenValiditySeconds": 86400,
        "description": "Nightly export of queue statistics",
        "registeredRedirectUri": [],
        "roleIds": ["8d2e6f41-0a9b-4c37-b5d8-e1f27a6c9b04"],
        "dateCreated": "2025-08-14T09:30:00.000Z",
        "dateModified": "2025-08-14T09:30:00.000Z",
        "createdBy": user,
        "modifiedBy": user,
        "authorizedGrantType": "CLIENT-CREDENTIALS",
        "scope": [],
        "roleDivisions": [{
            "roleId": "8d2e6f41-0a9b-4c37-b5d8-e1f27a6c9b04",
            "divisionId": "b7a4c1d9-62e0-4f85-9c3a-d05e8b1f7a26"
        }],
        "state": "active",
        "selfUri": "/api/v2/oauth/clients/a0c5d3b4-7e2f-4c61-9b7e-2f5d8c1e4a90"
    });
    let authorization = json!({
        "client": oauth_client,
        "scope": ["users:readonly", "conversations"],
        "roles": [],
        "resourceOwner": user,
        "dateCreated": "2025-08-14T09:30:00.000Z",
        "dateModified": "2025-08-14T09:30:00.000Z",
        "createdBy": user,
        "modifiedBy": user,
        "pending": false,
        "state": "Authorized",
        "selfUri": "/api/v2/oauth/authorizations/a0c5d3b4-7e2f-4c61-9b7e-2f5d8c1e4a90"
    });
    let execution = json!({
        "executionId": "e7c2a9f0-4b1d-4e6a-8c3f-9a2b5d7e1f64",
        "resultsUri": "/api/v2/oauth/clients/a0c5d3b4-7e2f-4c61-9b7e-2f5d8c1e4a90/usage/query/results/e7c2a9f0-4b1d-4e6a-8c3f-9a2b5d7e1f64"
    });
    let scope = json!({
        "id": "oauth:readonly",
        "description": "View OAuth clients and authorizations.",
        "selfUri": "/api/v2/oauth/scopes/oauth:readonly"
    });

    let client: OAuthClient = serde_json::from_value(oauth_client.clone())?;
    let clients: OAuthClientEntityListing = serde_json::from_value(json!({
        "entities": [oauth_client],
        "pageSize": 25, "pageNumber": 1, "total": 1, "pageCount": 1
    }))?;
    let authorization_one: OAuthAuthorization = serde_json::from_value(authorization.clone())?;
    let authorizations: OAuthAuthorizationListing =
        serde_json::from_value(json!({"total": 1, "entities": [authorization]}))?;
    let execution: UsageExecutionResult = serde_json::from_value(execution)?;
    let usage: ApiUsageQueryResult = serde_json::from_value(json!({
        "results": [{
            "clientId": "a0c5d3b4-7e2f-4c61-9b7e-2f5d8c1e4a90",
            "clientName": "Reporting integration",
            "organizationId": "9c4e7b21-d83a-4f60-b2e5-17a6c0f9d348",
            "templateUri": "api/v2/analytics/conversations/details/query",
            "httpMethod": "POST",
            "status200": 1520, "status300": 0, "status400": 14, "status500": 1,
            "status429": 9, "requests": 1535,
            "date": "2025-08-13T00:00:00.000Z"
        }],
        "queryStatus": "Complete"
    }))?;
    let scope_one: OAuthScope = serde_json::from_value(scope.clone())?;
    let scopes: OAuthScopeListing =
        serde_json::from_value(json!({"total": 1, "entities": [scope]}))?;

    let server = MockServer::start();
    server.get_oauth_authorizations(|_, then| {
        then.ok(&authorizations);
    });
    server.get_oauth_authorization(|_, then| {
        then.ok(&authorization_one);
    });
    server.get_oauth_clients(|_, then| {
        then.ok(&clients);
    });
    server.post_oauth_clients(|_, then| {
        then.ok(&client);
    });
    server.get_oauth_client(|_, then| {
        then.ok(&client);
    });
    server.put_oauth_client(|_, then| {
        then.ok(&client);
    });
    server.delete_oauth_client(|_, then| {
        then.success(SuccessStatus::NO_CONTENT);
    });
    server.post_oauth_client_secret(|_, then| {
        then.ok(&client);
    });
    server.post_oauth_client_usage_query(|_, then| {
        then.accepted(&execution);
    });
    server.get_oauth_client_usage_query_result(|_, then| {
        then.ok(&usage);
    });
    server.get_oauth_client_usage_summary(|_, then| {
        then.accepted(&execution);
    });
    server.get_oauth_scopes(|_, then| {
        then.ok(&scopes);
    });
    server.get_oauth_scope(|_, then| {
        then.ok(&scope_one);
    });

    println!("PURECLOUD_BASE_URL={}", server.base_url());
    println!("serving every operation; stop with Ctrl-C");
    loop {
        // The server runs on its own thread; this one only keeps the process alive.
        std::thread::park();
    }
}
