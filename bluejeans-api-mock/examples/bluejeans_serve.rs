//! A mock of every BlueJeans operation on 127.0.0.1, for running `bluejeans_tour` (or your
//! own program) against: each operation answers its documented success with the spec's
//! example of it (`ok_example()`, generated from `spec/bluejeans.yaml`), whatever it is
//! sent. (Prism, which `scripts/mock.sh` runs, cannot route the six token operations: their
//! path keys carry the grant as a query marker.)
//!
//! ```sh
//! cargo run -p bluejeans-api-mock --example bluejeans_serve      # prints BLUEJEANS_BASE_URL=http://127.0.0.1:<port>
//! ```
//!
//! It serves until it is stopped (Ctrl-C).

use bluejeans_api_mock::{MockServer, MockServerExt as _};

fn main() {
    let server = MockServer::start();
    server.get_token_by_password(|_, then| {
        then.ok_example();
    });
    server.get_token_by_meeting(|_, then| {
        then.ok_example();
    });
    server.get_token_by_client(|_, then| {
        then.ok_example();
    });
    server.get_token_by_code(|_, then| {
        then.ok_example();
    });
    server.get_token_by_refresh(|_, then| {
        then.ok_example();
    });
    server.revoke_access_token(|_, then| {
        then.no_content();
    });
    server.get_token_info(|_, then| {
        then.ok_example();
    });
    server.get_authorization_code(|_, then| {
        then.ok();
    });
    server.list_client_applications(|_, then| {
        then.ok_example();
    });
    server.create_client_application(|_, then| {
        then.created_example();
    });
    server.update_client_application(|_, then| {
        then.ok_example();
    });
    server.regenerate_client_application_secret(|_, then| {
        then.ok_example();
    });

    println!("BLUEJEANS_BASE_URL={}", server.base_url());
    println!("serving every operation; stop with Ctrl-C");
    loop {
        // The server runs on its own thread; this one only keeps the process alive.
        std::thread::park();
    }
}
