//! The usage-query helper: submit, poll until Complete/Failed, bounded wait.

use std::time::{Duration, Instant};

use purecloud_oauth_api::types::{ApiUsageClientQuery, ApiUsageMetric, ApiUsageQueryStatus};
use purecloud_oauth_api::{UsageError, UsagePolling};
use serde_json::json;
use wiremock::matchers::{body_json, query_param};
use wiremock::{MockServer, ResponseTemplate};

use crate::common::{api, client};

const RESULTS: &str = "/api/v2/oauth/clients/c1/usage/query/results/exec-1";

fn fast() -> UsagePolling {
    UsagePolling::new(Duration::from_millis(10), Duration::from_secs(5))
}

fn status(s: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"queryStatus": s}))
}

#[tokio::test]
async fn query_running_running_complete() {
    let server = MockServer::start().await;
    api("POST", "/api/v2/oauth/clients/c1/usage/query")
        .and(body_json(
            json!({"interval": "2025-08-01T00:00:00/2025-08-14T00:00:00", "metrics": ["Requests"]}),
        ))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"executionId": "exec-1"})))
        .expect(1)
        .mount(&server)
        .await;
    api("GET", RESULTS)
        .respond_with(status("Running"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    api("GET", RESULTS)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "queryStatus": "Complete",
            "results": [{"templateUri": "api/v2/users", "requests": 12}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let query = ApiUsageClientQuery::builder()
        .interval("2025-08-01T00:00:00/2025-08-14T00:00:00")
        .metrics(vec![ApiUsageMetric::Requests]);
    let query = ApiUsageClientQuery::try_from(query).expect("query");
    let result = client(&server.uri())
        .run_usage_query("c1", query, fast())
        .await
        .expect("complete");
    assert_eq!(result.query_status, Some(ApiUsageQueryStatus::Complete));
    assert_eq!(result.results[0].requests, Some(12));
    server.verify().await;
}

#[tokio::test]
async fn summary_with_days_then_unknown_status_keeps_polling() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/clients/c1/usage/summary")
        .and(query_param("days", "14"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"executionId": "exec-1"})))
        .expect(1)
        .mount(&server)
        .await;
    api("GET", RESULTS)
        .respond_with(status("Queued"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    api("GET", RESULTS)
        .respond_with(status("Complete"))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server.uri())
        .run_usage_summary("c1", Some("14"), fast())
        .await
        .expect("complete");
    assert_eq!(result.query_status, Some(ApiUsageQueryStatus::Complete));
    server.verify().await;
}

#[tokio::test]
async fn failed_query_is_an_error_with_the_result() {
    let server = MockServer::start().await;
    api("GET", RESULTS)
        .respond_with(status("Failed"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .wait_for_usage_result("c1", "exec-1", fast())
        .await
        .expect_err("failed");
    match &err {
        UsageError::Failed {
            execution_id,
            result,
        } => {
            assert_eq!(execution_id, "exec-1");
            assert_eq!(result.query_status, Some(ApiUsageQueryStatus::Failed));
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert!(err.to_string().contains("exec-1"), "{err}");
}

#[tokio::test]
async fn never_completing_query_times_out_naming_the_execution() {
    let server = MockServer::start().await;
    api("GET", RESULTS)
        .respond_with(status("Running"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server.uri())
        .wait_for_usage_result(
            "c1",
            "exec-1",
            UsagePolling::new(Duration::from_millis(40), Duration::from_millis(300)),
        )
        .await
        .expect_err("timeout");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    match &err {
        UsageError::TimedOut {
            execution_id,
            last_status,
            waited,
        } => {
            assert_eq!(execution_id, "exec-1");
            assert_eq!(last_status, &Some(ApiUsageQueryStatus::Running));
            assert!(*waited >= Duration::from_millis(300));
        }
        other => panic!("expected TimedOut, got {other:?}"),
    }
    assert_eq!(err.execution_id(), Some("exec-1"));
    let text = err.to_string();
    assert!(
        text.contains("exec-1") && text.contains("Running"),
        "{text}"
    );
    let polls = server.received_requests().await.expect("recording").len();
    assert!((3..=12).contains(&polls), "{polls} polls");
}

#[tokio::test]
async fn missing_execution_id_and_api_errors() {
    let server = MockServer::start().await;
    api("GET", "/api/v2/oauth/clients/c1/usage/summary")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    api("GET", "/api/v2/oauth/clients/c2/usage/summary")
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"code": "missing.permissions", "status": 403})),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let err = client
        .run_usage_summary("c1", None, fast())
        .await
        .expect_err("no id");
    assert!(
        matches!(
            err,
            UsageError::MissingExecutionId {
                operation: "getOauthClientUsageSummary"
            }
        ),
        "{err:?}"
    );
    let err = client
        .run_usage_summary("c2", None, fast())
        .await
        .expect_err("403");
    match err {
        UsageError::Api(e) => {
            assert_eq!(e.status().map(|s| s.as_u16()), Some(403));
            assert_eq!(
                e.body().and_then(|b| b.code.as_deref()),
                Some("missing.permissions")
            );
        }
        other => panic!("expected Api, got {other:?}"),
    }
    // no `days` query parameter when none is given
    let requests = server.received_requests().await.expect("recording");
    assert!(requests.iter().all(|r| r.url.query().is_none()));
}
