//! A mock of every BlueJeans operation on 127.0.0.1, for running `bluejeans_tour` (or your
//! own program) against: each operation answers its documented success with the values of
//! the spec's examples, whatever it is sent. (Prism, which `scripts/mock.sh` runs, cannot
//! route the six token operations: their path keys carry the grant as a query marker.)
//!
//! ```sh
//! cargo run -p bluejeans-api-mock --example serve      # prints BLUEJEANS_BASE_URL=http://127.0.0.1:<port>
//! ```
//!
//! It serves until it is stopped (Ctrl-C).

use bluejeans_api::types::{
    Application, ApplicationList, ApplicationSecret, GrantClient, GrantCode, GrantMeeting,
    GrantPassword, GrantRefresh, TokenInfo,
};
use bluejeans_api_mock::{MockServer, MockServerExt as _};
use serde_json::json;

fn main() -> Result<(), serde_json::Error> {
    // The values of the spec's examples (spec/bluejeans.yaml).
    let scope =
        json!({"user": 1234567, "partitionName": "z2", "partition": {"id": 1, "name": "z2"}});
    let grant = json!({
        "access_token": "f5b4a9c2e17d4c3b8a6e0d9f2c1b7a45",
        "expires_in": 3600,
        "refresh_token": "c38f040b7e2a4d19a6f5e8c1d0b3acc4",
        "scope": scope,
    });
    let password: GrantPassword = serde_json::from_value(grant.clone())?;
    let meeting: GrantMeeting = serde_json::from_value(json!({
        "access_token": "f5b4a9c2e17d4c3b8a6e0d9f2c1b7a45",
        "expires_in": 3600,
        "scope": {"meeting": {"meetingNumericId": "4085551212"}},
    }))?;
    let client: GrantClient = serde_json::from_value(json!({
        "access_token": "f5b4a9c2e17d4c3b8a6e0d9f2c1b7a45",
        "expires_in": 3600,
        "scope": {"appId": 12, "enterprise": 3411},
    }))?;
    let code: GrantCode = serde_json::from_value(grant.clone())?;
    let refresh: GrantRefresh = serde_json::from_value(grant)?;
    let info: TokenInfo = serde_json::from_value(json!({"scope": scope}))?;
    let application: Application = serde_json::from_value(json!({
        "appName": "Acme CRM",
        "description": "Schedules BlueJeans meetings from the Acme CRM.",
        "appLogoUrl": "https://acme.example.com/img/logo-84.png",
        "redirectUrls": ["https://acme.example.com/oauth/bluejeans/callback"],
        "clientId": "0f3e8a1b2c4d5e6f7a8b9c0d1e2f3a4b",
    }))?;
    let list: ApplicationList = serde_json::from_value(json!([{
        "appName": "Acme CRM",
        "clientId": "0f3e8a1b2c4d5e6f7a8b9c0d1e2f3a4b",
        "redirectUrls": [],
    }]))?;
    let secret: ApplicationSecret = serde_json::from_value(json!({
        "client_secret": "62a01e3b7c5d4e8f9a0b1c2d8ddc38f04008",
    }))?;

    let server = MockServer::start();
    server.get_token_by_password(|_, then| {
        then.ok(&password);
    });
    server.get_token_by_meeting(|_, then| {
        then.ok(&meeting);
    });
    server.get_token_by_client(|_, then| {
        then.ok(&client);
    });
    server.get_token_by_code(|_, then| {
        then.ok(&code);
    });
    server.get_token_by_refresh(|_, then| {
        then.ok(&refresh);
    });
    server.revoke_access_token(|_, then| {
        then.no_content();
    });
    server.get_token_info(|_, then| {
        then.ok(&info);
    });
    server.get_authorization_code(|_, then| {
        then.ok();
    });
    server.list_client_applications(|_, then| {
        then.ok(&list);
    });
    server.create_client_application(|_, then| {
        then.created(&application);
    });
    server.update_client_application(|_, then| {
        then.ok(&application);
    });
    server.regenerate_client_application_secret(|_, then| {
        then.ok(&secret);
    });

    println!("BLUEJEANS_BASE_URL={}", server.base_url());
    println!("serving every operation; stop with Ctrl-C");
    loop {
        // The server runs on its own thread; this one only keeps the process alive.
        std::thread::park();
    }
}
