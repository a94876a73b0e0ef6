//! Calls every operation of the OAuth API once and prints `<operationId> <HTTP status>`.
//!
//! ```sh
//! PURECLOUD_BASE_URL=http://127.0.0.1:4010 PURECLOUD_TOKEN=... cargo run -p purecloud-oauth-api --example purecloud_tour
//! ```
//!
//! `RUST_LOG` filters what is logged to stderr (`tracing-subscriber`'s `EnvFilter` syntax):
//! `RUST_LOG=info` prints one `api_call` span per operation as it closes (operation, method,
//! status, time), `RUST_LOG=oauth_client_runtime=debug` adds the retries and token renewals.
//! Unset, only errors are logged. Against a local mock:
//! `cargo run -p purecloud-oauth-api-mock --example purecloud_serve` prints the base URL to use (see the
//! repository README).
//!
//! `PURECLOUD_BASE_URL` defaults to `https://api.mypurecloud.com`; `PURECLOUD_TOKEN` is an access
//! token with the `oauth` scope. Against a real organization this creates an OAuth client, and
//! deletes it again at the end. Exits non-zero if any operation failed.

use std::process::ExitCode;

use purecloud_oauth_api::types::{
    ApiUsageClientQuery, ApiUsageGranularity, ApiUsageGroupBy, ApiUsageMetric,
    OAuthClientGrantType, OAuthClientRequest, OAuthClientState,
};
use purecloud_oauth_api::{Environment, Error, PureCloud, ResponseValue};

/// Prints one line for a call and returns its value, if any.
fn report<T>(
    operation: &str,
    failures: &mut u32,
    result: Result<ResponseValue<T>, Error>,
) -> Option<T> {
    match result {
        Ok(response) => {
            println!("{operation} {}", response.status().as_u16());
            Some(response.into_inner())
        }
        Err(e) => {
            *failures += 1;
            let status = e
                .status()
                .map_or_else(|| "-".to_owned(), |s| s.as_u16().to_string());
            println!("{operation} {status}");
            eprintln!("  {e}");
            None
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(std::io::stderr)
        .init();
    let base_url = std::env::var("PURECLOUD_BASE_URL")
        .unwrap_or_else(|_| "https://api.mypurecloud.com".to_owned());
    let Ok(token) = std::env::var("PURECLOUD_TOKEN") else {
        eprintln!("set PURECLOUD_TOKEN to an access token");
        return ExitCode::from(2);
    };
    // The login base URL is not used: the token is given.
    let login_url = base_url.replacen("//api.", "//login.", 1);
    let client = match PureCloud::builder()
        .environment(Environment::from_base_urls(&base_url, login_url))
        .access_token(token)
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut failures = 0;
    let f = &mut failures;

    let created = report(
        "postOauthClients",
        f,
        client
            .post_oauth_clients()
            .body(
                OAuthClientRequest::builder()
                    .name("purecloud-oauth-api tour")
                    .description(Some(
                        "Created by the purecloud-oauth-api tour example".to_owned(),
                    ))
                    .authorized_grant_type(OAuthClientGrantType::ClientCredentials)
                    .access_token_validity_seconds(Some(86400))
                    .role_ids(Some(vec![]))
                    .state(Some(OAuthClientState::Active)),
            )
            .call()
            .await,
    );
    let client_id = created
        .and_then(|c| c.id)
        .unwrap_or_else(|| "a0c5d3b4-7e2f-4c61-9b7e-2f5d8c1e4a90".to_owned());

    report(
        "getOauthClients",
        f,
        client.get_oauth_clients().call().await,
    );
    report(
        "getOauthClient",
        f,
        client.get_oauth_client().client_id(&client_id).call().await,
    );
    report(
        "putOauthClient",
        f,
        client
            .put_oauth_client()
            .client_id(&client_id)
            .body(
                OAuthClientRequest::builder()
                    .name("purecloud-oauth-api tour (inactive)")
                    .authorized_grant_type(OAuthClientGrantType::ClientCredentials)
                    .role_ids(Some(vec![]))
                    // inactive: an active client cannot be deleted
                    .state(Some(OAuthClientState::Inactive)),
            )
            .call()
            .await,
    );
    report(
        "postOauthClientSecret",
        f,
        client
            .post_oauth_client_secret()
            .client_id(&client_id)
            .call()
            .await,
    );
    let execution = report(
        "postOauthClientUsageQuery",
        f,
        client
            .post_oauth_client_usage_query()
            .client_id(&client_id)
            .body(
                ApiUsageClientQuery::builder()
                    .interval("2025-08-01T00:00:00/2025-08-14T00:00:00")
                    .granularity(Some(ApiUsageGranularity::Day))
                    .metrics(vec![ApiUsageMetric::Requests, ApiUsageMetric::Status200])
                    .group_by(vec![ApiUsageGroupBy::TemplateUri]),
            )
            .call()
            .await,
    );
    let execution_id = execution
        .and_then(|e| e.execution_id)
        .unwrap_or_else(|| "e7c2a9f0-4b1d-4e6a-8c3f-9a2b5d7e1f64".to_owned());
    report(
        "getOauthClientUsageQueryResult",
        f,
        client
            .get_oauth_client_usage_query_result()
            .client_id(&client_id)
            .execution_id(&execution_id)
            .call()
            .await,
    );
    report(
        "getOauthClientUsageSummary",
        f,
        client
            .get_oauth_client_usage_summary()
            .client_id(&client_id)
            .days("7")
            .call()
            .await,
    );
    report(
        "getOauthScopes",
        f,
        client
            .get_oauth_scopes()
            .accept_language("en-us")
            .call()
            .await,
    );
    report(
        "getOauthScope",
        f,
        client
            .get_oauth_scope()
            .scope_id("oauth:readonly")
            .accept_language("en-us")
            .call()
            .await,
    );
    let authorizations = report(
        "getOauthAuthorizations",
        f,
        client
            .get_oauth_authorizations()
            .accept_language("en-us")
            .call()
            .await,
    );
    let authorized_id = authorizations
        .and_then(|l| {
            l.entities
                .into_iter()
                .find_map(|a| a.client.and_then(|c| c.id))
        })
        .unwrap_or_else(|| client_id.clone());
    report(
        "getOauthAuthorization",
        f,
        client
            .get_oauth_authorization()
            .client_id(&authorized_id)
            .accept_language("en-us")
            .call()
            .await,
    );
    report(
        "deleteOauthClient",
        f,
        client
            .delete_oauth_client()
            .client_id(&client_id)
            .call()
            .await,
    );

    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("{failures} operation(s) failed");
        ExitCode::FAILURE
    }
}
