//! Asynchronous usage queries: submit (`postOauthClientUsageQuery` or
//! `getOauthClientUsageSummary`), then poll `getOauthClientUsageQueryResult` until the query
//! is `Complete` or `Failed`, within a bounded total wait.

use std::fmt;
use std::time::Duration;

use tokio::time::Instant;

use crate::types::{ApiUsageClientQuery, ApiUsageQueryResult, ApiUsageQueryStatus};
use crate::{Client, Error};

impl ApiUsageClientQuery {
    /// A query over `interval` (ISO-8601 `start/end`, the one required field), every other
    /// field unset: the compiler checks the required field, where the builder checks it
    /// when the request is sent. Set the others on the value (`query.granularity = ..`).
    pub fn new(interval: impl Into<String>) -> Self {
        ApiUsageClientQuery {
            granularity: None,
            group_by: Vec::new(),
            interval: interval.into(),
            metrics: Vec::new(),
        }
    }
}

/// How a usage query is waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsagePolling {
    /// The pause between two polls of the result (default 2 s). Any duration is honoured
    /// (`Duration::ZERO` polls again at once; no pause runs past `max_wait`).
    pub poll_interval: Duration,
    /// The longest total wait for the result, counted from the first poll (default 5 min).
    /// The last poll happens at this limit at the latest. Any duration is honoured
    /// (`Duration::MAX`: no limit; `Duration::ZERO`: one poll).
    pub max_wait: Duration,
}

impl Default for UsagePolling {
    fn default() -> Self {
        UsagePolling {
            poll_interval: Duration::from_secs(2),
            max_wait: Duration::from_secs(300),
        }
    }
}

impl UsagePolling {
    /// Polls every `poll_interval` for at most `max_wait`.
    pub fn new(poll_interval: Duration, max_wait: Duration) -> Self {
        UsagePolling {
            poll_interval,
            max_wait,
        }
    }
}

/// Why a usage query gave no result.
#[derive(Debug)]
#[non_exhaustive]
pub enum UsageError {
    /// A call failed (submitting the query or polling its result).
    Api(Box<Error>),
    /// The submission answered without an `executionId`.
    MissingExecutionId {
        /// The operation that answered.
        operation: &'static str,
    },
    /// The query ran and ended with `queryStatus: Failed`.
    Failed {
        /// The execution id of the query.
        execution_id: String,
        /// The last result, as the API sent it.
        result: Box<ApiUsageQueryResult>,
    },
    /// The query was not `Complete` or `Failed` within [`UsagePolling::max_wait`].
    TimedOut {
        /// The execution id of the query (it may still complete: poll it later with
        /// [`Client::wait_for_usage_result`]).
        execution_id: String,
        /// How long it was waited for.
        waited: Duration,
        /// The last `queryStatus` seen.
        last_status: Option<ApiUsageQueryStatus>,
    },
}

impl UsageError {
    /// The execution id, where the query was submitted.
    pub fn execution_id(&self) -> Option<&str> {
        match self {
            UsageError::Failed { execution_id, .. } | UsageError::TimedOut { execution_id, .. } => {
                Some(execution_id)
            }
            _ => None,
        }
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::Api(e) => write!(f, "usage query: {e}"),
            UsageError::MissingExecutionId { operation } => {
                write!(
                    f,
                    "usage query: {operation} answered without an executionId"
                )
            }
            UsageError::Failed { execution_id, .. } => {
                write!(f, "usage query {execution_id} failed (queryStatus Failed)")
            }
            UsageError::TimedOut {
                execution_id,
                waited,
                last_status,
            } => {
                write!(
                    f,
                    "usage query {execution_id} did not complete within {:.1} s",
                    waited.as_secs_f64()
                )?;
                match last_status {
                    Some(status) => write!(f, " (last queryStatus {status})"),
                    None => write!(f, " (no queryStatus yet)"),
                }
            }
        }
    }
}

impl std::error::Error for UsageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UsageError::Api(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl From<Error> for UsageError {
    fn from(e: Error) -> Self {
        UsageError::Api(Box::new(e))
    }
}

impl Client {
    /// Submits `query` for OAuth client `client_id` (`postOauthClientUsageQuery`) and waits
    /// for its result as [`Client::wait_for_usage_result`] does.
    pub async fn run_usage_query(
        &self,
        client_id: &str,
        query: ApiUsageClientQuery,
        polling: UsagePolling,
    ) -> Result<ApiUsageQueryResult, UsageError> {
        let submitted = self
            .post_oauth_client_usage_query()
            .client_id(client_id)
            .body(query)
            .call()
            .await?
            .into_inner();
        let execution_id = submitted
            .execution_id
            .ok_or(UsageError::MissingExecutionId {
                operation: "postOauthClientUsageQuery",
            })?;
        self.wait_for_usage_result(client_id, &execution_id, polling)
            .await
    }

    /// Requests the usage summary of the last `days` days (`getOauthClientUsageSummary`; the
    /// API's default is 7) and waits for its result as [`Client::wait_for_usage_result`] does.
    /// `days` has the type of the operation's query parameter (a string in the spec, as
    /// upstream), so `Some("30")` here and `.days("30")` on the operation builder.
    pub async fn run_usage_summary(
        &self,
        client_id: &str,
        days: Option<&str>,
        polling: UsagePolling,
    ) -> Result<ApiUsageQueryResult, UsageError> {
        let mut request = self.get_oauth_client_usage_summary().client_id(client_id);
        if let Some(days) = days {
            request = request.days(days);
        }
        let submitted = request.call().await?.into_inner();
        let execution_id = submitted
            .execution_id
            .ok_or(UsageError::MissingExecutionId {
                operation: "getOauthClientUsageSummary",
            })?;
        self.wait_for_usage_result(client_id, &execution_id, polling)
            .await
    }

    /// Polls `getOauthClientUsageQueryResult` every [`UsagePolling::poll_interval`] until
    /// `queryStatus` is `Complete` (the result) or `Failed` ([`UsageError::Failed`]); a
    /// `Running`, missing or unknown status is polled again, until
    /// [`UsagePolling::max_wait`] has passed ([`UsageError::TimedOut`]).
    pub async fn wait_for_usage_result(
        &self,
        client_id: &str,
        execution_id: &str,
        polling: UsagePolling,
    ) -> Result<ApiUsageQueryResult, UsageError> {
        let started = Instant::now();
        loop {
            let result = self
                .get_oauth_client_usage_query_result()
                .client_id(client_id)
                .execution_id(execution_id)
                .call()
                .await?
                .into_inner();
            let last_status = match &result.query_status {
                Some(ApiUsageQueryStatus::Complete) => return Ok(result),
                Some(ApiUsageQueryStatus::Failed) => {
                    return Err(UsageError::Failed {
                        execution_id: execution_id.to_owned(),
                        result: Box::new(result),
                    });
                }
                other => other.clone(),
            };
            let waited = started.elapsed();
            if waited >= polling.max_wait {
                return Err(UsageError::TimedOut {
                    execution_id: execution_id.to_owned(),
                    waited,
                    last_status,
                });
            }
            tokio::time::sleep(polling.poll_interval.min(polling.max_wait - waited)).await;
        }
    }
}
