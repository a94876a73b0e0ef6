//! The `api_call` span carries the operation and the status; no token or secret reaches the log.

use std::io;
use std::sync::{Arc, Mutex};

use purecloud_oauth_api::PureCloud;
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::util::SubscriberInitExt as _;
use wiremock::{MockServer, ResponseTemplate};

use crate::common::{api_with_token, quick_retry};
use crate::login::{CLIENT_ID, CLIENT_SECRET, login_mock};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn span_has_operation_and_status_and_no_credentials() {
    const TOKEN: &str = "tok-tracing-7c1d5e-should-not-be-logged";
    let server = MockServer::start().await;
    login_mock()
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN, "token_type": "bearer", "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/clients/c1", TOKEN)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "c1", "name": "n", "authorizedGrantType": "CODE"
        })))
        .expect(1)
        .mount(&server)
        .await;
    api_with_token("GET", "/api/v2/oauth/clients/gone", TOKEN)
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("ININ-Correlation-Id", "corr-404")
                .set_body_json(json!({"code": "not.found", "status": 404})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let buffer = Buffer::default();
    // Other tests of this binary run at the same time on threads without a subscriber. With
    // this test's the only dispatcher registered, tracing-core computes a callsite's interest
    // from the registering thread's default alone, so a span first reached by another test
    // is cached as "never" and this test would see no `api_call` span. A second registered
    // dispatcher makes every registration consult all of them.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let writer = buffer.clone();
    let _guard = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .set_default();

    let client = PureCloud::builder()
        .base_urls(server.uri(), server.uri())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(quick_retry())
        .build()
        .expect("client");
    client
        .get_oauth_client()
        .client_id("c1")
        .call()
        .await
        .expect("getOauthClient");
    let err = client
        .get_oauth_client()
        .client_id("gone")
        .call()
        .await
        .expect_err("404");
    tracing::info!(error = %err, debug = ?err, "logged by the application");

    let log = String::from_utf8(buffer.0.lock().expect("buffer").clone()).expect("utf-8");
    // the close event of each span, with every field recorded
    let spans: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("api_call{") && l.contains(" close "))
        .collect();
    assert_eq!(spans.len(), 2, "{log}");
    assert!(spans[0].contains("operation=\"getOauthClient\""), "{log}");
    assert!(spans[0].contains("method=GET"), "{log}");
    assert!(spans[0].contains("status=200"), "{log}");
    assert!(spans[0].contains("attempts=1"), "{log}");
    assert!(spans[1].contains("operation=\"getOauthClient\""), "{log}");
    assert!(spans[1].contains("status=404"), "{log}");
    assert!(log.contains("corr-404"), "{log}");
    for credential in [TOKEN, CLIENT_SECRET] {
        assert!(!log.contains(credential), "{credential} in log:\n{log}");
    }
}
