//! Calls every operation of the BlueJeans API once and prints `<operationId> <HTTP status>`.
//!
//! ```text
//! BLUEJEANS_BASE_URL=http://127.0.0.1:4010 BLUEJEANS_TOKEN=... cargo run -p bluejeans-api --example bluejeans_tour
//! ```
//!
//! `RUST_LOG` filters what is logged to stderr (`tracing-subscriber`'s `EnvFilter` syntax):
//! `RUST_LOG=info` prints one `api_call` span per operation as it closes (operation, method,
//! status, time), `RUST_LOG=oauth_client_runtime=debug` adds the retries and token renewals.
//! Unset, only errors are logged. Against a local mock:
//! `cargo run -p bluejeans-api-mock --example bluejeans_serve` prints the base URL to use (see the
//! repository README).
//!
//! `BLUEJEANS_BASE_URL` defaults to the real API; `BLUEJEANS_TOKEN` is the access token for
//! the operations that need one. Exits non-zero if any call failed.

use std::process::ExitCode;

use bluejeans_api::{BlueJeans, DEFAULT_BASE_URL, Error, ResponseValue, types};

/// Prints one line for the call and says whether it succeeded.
fn report<T>(operation: &str, result: Result<ResponseValue<T>, Error>) -> bool {
    match result {
        Ok(response) => {
            println!("{operation} {}", response.status().as_u16());
            true
        }
        Err(err) => {
            match err.status() {
                Some(status) => println!("{operation} {}", status.as_u16()),
                None => println!("{operation} error"),
            }
            eprintln!("  {err}");
            false
        }
    }
}

fn application() -> types::Application {
    types::Application {
        description: Some("Schedules BlueJeans meetings from the Acme CRM.".into()),
        app_name: Some("Acme CRM".into()),
        app_logo_url: Some("https://acme.example.com/img/logo-84.png".into()),
        redirect_urls: vec!["https://acme.example.com/oauth/bluejeans/callback".into()],
        ..Default::default()
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(std::io::stderr)
        .init();
    let base_url =
        std::env::var("BLUEJEANS_BASE_URL").unwrap_or_else(|_| DEFAULT_BASE_URL.to_owned());
    let mut builder = BlueJeans::builder().base_url(base_url);
    if let Ok(token) = std::env::var("BLUEJEANS_TOKEN")
        && !token.is_empty()
    {
        builder = builder.access_token(token);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("cannot build the client: {e}");
            return ExitCode::FAILURE;
        }
    };

    let client_id = "0f3e8a1b2c4d5e6f7a8b9c0d1e2f3a4b";
    let client_secret = "62a01e3b7c5d4e8f9a0b1c2d8ddc38f04008";
    let user_id = 1234567;
    let mut ok = true;

    ok &= report(
        "getTokenByPassword",
        client
            .get_token_by_password()
            .body(types::GrantRequestPassword {
                grant_type: Default::default(),
                username: "joe.user".into(),
                password: "my_pwrd".into(),
            })
            .call()
            .await,
    );
    ok &= report(
        "getTokenByMeeting",
        client
            .get_token_by_meeting()
            .body(types::GrantRequestMeeting {
                grant_type: Default::default(),
                meeting_numeric_id: "4085551212".into(),
                meeting_passcode: "2404".into(),
            })
            .call()
            .await,
    );
    ok &= report(
        "getTokenByClient",
        client
            .get_token_by_client()
            .body(types::GrantRequestClient {
                grant_type: Default::default(),
                client_id: "a_client_app".into(),
                client_secret: client_secret.into(),
            })
            .call()
            .await,
    );
    ok &= report(
        "getTokenByCode",
        client
            .get_token_by_code()
            .body(types::GrantRequestCode {
                grant_type: Default::default(),
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                redirect_uri: "https://mywebsite.com/comehere".into(),
                code: "myCodeString".into(),
            })
            .call()
            .await,
    );
    ok &= report(
        "getTokenByRefresh",
        client
            .get_token_by_refresh()
            .body(types::GrantRequestRefresh {
                grant_type: Default::default(),
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                refresh_token: "c38f040b7e2a4d19a6f5e8c1d0b3acc4".into(),
            })
            .call()
            .await,
    );
    ok &= report(
        "revokeAccessToken",
        client
            .revoke_access_token()
            .access_token("f5b4a9c2e0d84f6f9d2a7c31b8e04d57")
            .body(types::GrantRequestRevoke {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
            })
            .call()
            .await,
    );
    ok &= report(
        "getTokenInfo",
        client
            .get_token_info()
            .access_token("f5b4a9c2e0d84f6f9d2a7c31b8e04d57")
            .call()
            .await,
    );
    ok &= report(
        "getAuthorizationCode",
        client
            .get_authorization_code()
            .client_id(client_id)
            .redirect_uri("https://mywebsite.com/comehere")
            .state("tour-state")
            .scope("list_meetings,user_info")
            .response_type("code")
            .app_name("Acme CRM")
            .app_logo_url("https://acme.example.com/img/logo-84.png")
            .call()
            .await,
    );
    ok &= report(
        "listClientApplications",
        client
            .list_client_applications()
            .user_id(user_id)
            .call()
            .await,
    );
    ok &= report(
        "createClientApplication",
        client
            .create_client_application()
            .user_id(user_id)
            .body(application())
            .call()
            .await,
    );
    ok &= report(
        "updateClientApplication",
        client
            .update_client_application()
            .user_id(user_id)
            .client_id(client_id)
            .body(application())
            .call()
            .await,
    );
    ok &= report(
        "regenerateClientApplicationSecret",
        client
            .regenerate_client_application_secret()
            .user_id(user_id)
            .client_id(client_id)
            .call()
            .await,
    );

    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
