//! A mock of every PureCloud OAuth operation on 127.0.0.1, for running `purecloud_tour` (or
//! your own program) against without Node.js: each operation answers its documented success
//! with the spec's example of it (`ok_example()`, generated from `spec/purecloud-oauth.yaml`),
//! whatever it is sent.
//!
//! ```sh
//! cargo run -p purecloud-oauth-api-mock --example purecloud_serve   # prints PURECLOUD_BASE_URL=http://127.0.0.1:<port>
//! ```
//!
//! It serves until it is stopped (Ctrl-C).

use purecloud_oauth_api_mock::status::SuccessStatus;
use purecloud_oauth_api_mock::{MockServer, MockServerExt as _};

fn main() {
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
    server.delete_oauth_client(|_, then| {
        then.success(SuccessStatus::NO_CONTENT);
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
        then.accepted_example();
    });
    server.get_oauth_scopes(|_, then| {
        then.ok_example();
    });
    server.get_oauth_scope(|_, then| {
        then.ok_example();
    });

    println!("PURECLOUD_BASE_URL={}", server.base_url());
    println!("serving every operation; stop with Ctrl-C");
    loop {
        // The server runs on its own thread; this one only keeps the process alive.
        std::thread::park();
    }
}
