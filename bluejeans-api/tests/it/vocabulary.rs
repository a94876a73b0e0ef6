//! The builder vocabulary shared with every client of this workspace: the last credential
//! setting wins, `renew_before` reaches the grant's token source, a runtime taken from a
//! built client sends nowhere but its own origin.

use bluejeans_api::progenitor::ClientInfo;
use bluejeans_api::{BlueJeans, Client, Grant, RetryPolicy, Secret};
use wiremock::matchers::{any, body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_grant_after_an_access_token_replaces_it_and_back() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(body_partial_json(
            serde_json::json!({"grant_type": "password"}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"access_token": "from-grant", "expires_in": 3600}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    for token in ["from-grant", "fixed-again"] {
        Mock::given(method("GET"))
            .and(path("/v1/user/1/developer_applications"))
            .and(header("authorization", format!("Bearer {token}").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
            .expect(1)
            .mount(&server)
            .await;
    }
    let password = Secret::from("pw");
    let builder = BlueJeans::builder()
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .access_token("fixed")
        .grant(Grant::password("alice", &password));
    let client = builder.clone().build().expect("client");
    client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .expect("grant's token");
    let client = builder.access_token("fixed-again").build().expect("client");
    client
        .list_client_applications()
        .user_id(1)
        .call()
        .await
        .expect("fixed token");
}

#[tokio::test]
async fn a_runtime_moved_to_another_base_url_sends_nothing_there() {
    let ours = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(0)
        .mount(&other)
        .await;
    let client = BlueJeans::builder()
        .base_url(ours.uri())
        .access_token("tok-must-stay-home")
        .token_in_query()
        .build()
        .expect("client");
    let moved = Client::new(&other.uri(), client.inner().clone());
    let e = moved
        .token_info("someone-elses")
        .await
        .expect_err("refused");
    let text = e.to_string();
    assert!(text.contains("refused"), "{text}");
    assert!(!text.contains("tok-must-stay-home") && !text.contains("someone-elses"));
    assert!(
        other
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}
