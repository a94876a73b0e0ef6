//! Request overhead of a generated client: sequential `GET /api/v2/oauth/clients` requests
//! to a local HTTP/1.1 server (hyper, on 127.0.0.1, started here, a fixed JSON body)
//! through `purecloud_oauth_api::Client` with the `oauth_client_runtime::Runtime` (token, hooks,
//! retry policy, tracing span) against the same requests sent with bare `reqwest` (same
//! headers on the wire, same deserialization into the same type).
//!
//! The variants take turns in `--rounds` short rounds (200 of 100 requests by default, a few
//! milliseconds each, the order rotating) so that a slow patch of a shared machine hits them
//! alike. Per-request time is the median over the rounds; the overhead of a variant is the
//! median over the rounds of its time divided by bare reqwest's time *in the same round*,
//! which cancels the machine's drift between rounds. A memory run then sends
//! `--memory-requests` requests through the generated client and samples RSS at every
//! quarter.
//!
//! `cargo run --release -p benchmarks --bin requests -- [--requests 20000] [--rounds 200]
//! [--memory-requests 100000] [--only 0|1|2|3]`
//!
//! `--only N` runs one variant (0 bare, 1 generated with a fixed token, 2 generated without
//! auth and retries, 3 generated with a token source) and no memory run: for `perf stat`,
//! `strace -c` or callgrind of one variant.

use std::convert::Infallible;
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::sync::atomic::{AtomicU64, Ordering};

use oauth_client_runtime::builder::ClientOptions;
use std::sync::Arc;

use oauth_client_runtime::{
    Credentials, FetchFuture, Operations, Placement, RetryPolicy, Secret, Token, TokenFetcher,
    TokenSource,
};
use purecloud_oauth_api::spec::{AUTHENTICATED_OPERATIONS, RETRY_SAFE_OPERATIONS};
use purecloud_oauth_api::{Client, types::OAuthClientEntityListing};

use benchmarks::{flag, median, rss_kib};

const TOKEN: &str = "bench-access-token-0123456789abcdef";
const PATH: &str = "/api/v2/oauth/clients";

/// Requests the server saw with `Authorization: Bearer <TOKEN>`: the generated variant must
/// send the token (checked before the measurement), the plain one must not.
static BEARER_SEEN: AtomicU64 = AtomicU64::new(0);

/// The spec's example response for `getOauthClients`, two clients.
const BODY: &str = r#"{"entities":[{"id":"a0c5d3b4-7e2f-4c61-9b7e-2f5d8c1e4a90","name":"Reporting integration","accessTokenValiditySeconds":86400,"description":"Nightly export of queue statistics","registeredRedirectUri":[],"roleIds":["8d2e6f41-0a9b-4c37-b5d8-e1f27a6c9b04"],"dateCreated":"2025-08-14T09:30:00.000Z","dateModified":"2025-08-14T09:30:00.000Z","createdBy":{"id":"3b9f1c2e-5d47-4a8b-b6e1-0f2c9d8a7e53","name":"Jordan Lee","selfUri":"/api/v2/users/3b9f1c2e-5d47-4a8b-b6e1-0f2c9d8a7e53"},"modifiedBy":{"id":"3b9f1c2e-5d47-4a8b-b6e1-0f2c9d8a7e53","name":"Jordan Lee","selfUri":"/api/v2/users/3b9f1c2e-5d47-4a8b-b6e1-0f2c9d8a7e53"},"authorizedGrantType":"CLIENT-CREDENTIALS","scope":[],"roleDivisions":[{"roleId":"8d2e6f41-0a9b-4c37-b5d8-e1f27a6c9b04","divisionId":"b7a4c1d9-62e0-4f85-9c3a-d05e8b1f7a26"}],"state":"active","selfUri":"/api/v2/oauth/clients/a0c5d3b4-7e2f-4c61-9b7e-2f5d8c1e4a90"},{"id":"5f1e9a72-3c84-4d0b-a6e2-7b9c1d3f8e25","name":"Agent desktop web app","accessTokenValiditySeconds":43200,"description":"Code grant used by the internal agent portal","registeredRedirectUri":["https://myapp.example.com/auth/callback"],"roleIds":[],"dateCreated":"2025-06-02T14:05:12.000Z","dateModified":"2025-07-21T08:47:55.000Z","authorizedGrantType":"CODE","scope":[],"roleDivisions":[],"state":"active","selfUri":"/api/v2/oauth/clients/5f1e9a72-3c84-4d0b-a6e2-7b9c1d3f8e25"}],"pageSize":25,"pageNumber":1,"total":2,"pageCount":1}"#;

/// One way of sending the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    /// `reqwest` alone: bearer header, `Accept`, status check, JSON into the same type.
    Bare,
    /// The generated client with the runtime as shipped: token, default retry policy.
    Generated,
    /// The generated client with no credential and retries off (the hooks still run):
    /// splits the overhead between the generated code and the runtime's work.
    GeneratedPlain,
    /// The generated client with a `TokenSource` whose token is cached and fresh (the usual
    /// setup of a service that logs in): default retry policy.
    GeneratedSource,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Bare => "bare_reqwest",
            Variant::Generated => "generated_runtime",
            Variant::GeneratedPlain => "generated_no_auth_no_retry",
            Variant::GeneratedSource => "generated_token_source",
        }
    }
}

struct Clients {
    http: reqwest::Client,
    url: String,
    generated: Client,
    plain: Client,
    source: Client,
}

/// A login that always returns [`TOKEN`], valid for an hour: the token source logs in once
/// (before the measurement) and serves the cached token afterwards.
struct FixedLogin;

impl TokenFetcher for FixedLogin {
    fn fetch<'a>(&'a self, _previous: Option<&'a Token>) -> FetchFuture<'a> {
        Box::pin(async { Ok(Token::new(Secret::new(TOKEN), None, Some(3600))) })
    }
}

impl Clients {
    fn new(addr: SocketAddr) -> Self {
        let base = format!("http://{addr}");
        // The runtime's own checked path, with the generated module's operation lists: the
        // token goes to the operations whose spec asks for it (getOauthClients does).
        let operations = Operations {
            retry_safe: RETRY_SAFE_OPERATIONS,
            authenticated: AUTHENTICATED_OPERATIONS,
        };
        let connection = |retry: RetryPolicy| {
            let mut options = ClientOptions::new("benchmarks");
            options.set_retry_policy(retry);
            options
                .connect("base URL", &base, operations)
                .expect("loopback base URL")
        };
        let generated = connection(RetryPolicy::default());
        let plain = connection(RetryPolicy::none());
        // Bare reqwest sends with the same HTTP client as the generated one (its timeouts,
        // redirect policy and pool settings), so that the overhead is the generated code's
        // and the runtime's alone.
        let http = generated.http().clone();
        Clients {
            url: format!("{base}{PATH}"),
            generated: Client::new_with_client(
                generated.base_url(),
                generated.http().clone(),
                generated.runtime(Credentials::Token(Secret::new(TOKEN)), Placement::Bearer),
            ),
            plain: Client::new_with_client(
                plain.base_url(),
                plain.http().clone(),
                plain.runtime(Credentials::None, Placement::Bearer),
            ),
            source: Client::new_with_client(
                generated.base_url(),
                generated.http().clone(),
                generated.runtime(
                    Credentials::Source(Arc::new(TokenSource::new(FixedLogin))),
                    Placement::Bearer,
                ),
            ),
            http,
        }
    }

    async fn once(&self, variant: Variant) -> OAuthClientEntityListing {
        match variant {
            Variant::Bare => {
                let response = self
                    .http
                    .get(&self.url)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .bearer_auth(TOKEN)
                    .send()
                    .await
                    .expect("bare request");
                assert_eq!(response.status(), reqwest::StatusCode::OK);
                response.json().await.expect("bare body")
            }
            Variant::Generated => self
                .generated
                .get_oauth_clients()
                .send()
                .await
                .expect("generated request")
                .into_inner(),
            Variant::GeneratedPlain => self
                .plain
                .get_oauth_clients()
                .send()
                .await
                .expect("generated request")
                .into_inner(),
            Variant::GeneratedSource => self
                .source
                .get_oauth_clients()
                .send()
                .await
                .expect("generated request")
                .into_inner(),
        }
    }

    async fn many(&self, variant: Variant, n: u64) -> Duration {
        let started = Instant::now();
        for _ in 0..n {
            black_box(self.once(variant).await);
        }
        started.elapsed()
    }
}

/// Starts the server on its own thread and runtime; returns its address.
fn start_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("local addr");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let body = Bytes::from_static(BODY.as_bytes());
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let body = body.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request: hyper::Request<_>| {
                        let bearer = format!("Bearer {TOKEN}");
                        if request
                            .headers()
                            .get(hyper::header::AUTHORIZATION)
                            .is_some_and(|v| v.as_bytes() == bearer.as_bytes())
                        {
                            BEARER_SEEN.fetch_add(1, Ordering::Relaxed);
                        }
                        let body = body.clone();
                        async move {
                            Ok::<_, Infallible>(
                                hyper::Response::builder()
                                    .header("content-type", "application/json")
                                    .body(Full::new(body))
                                    .expect("response"),
                            )
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    addr
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let requests = flag(&args, "--requests", 20_000).max(1);
    let rounds = flag(&args, "--rounds", 200).clamp(1, requests);
    let memory_requests = flag(&args, "--memory-requests", 100_000);
    let per_round = requests / rounds;

    serde_json::from_str::<OAuthClientEntityListing>(BODY).expect("the body fits the type");
    let addr = start_server();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    rt.block_on(async {
        let clients = Clients::new(addr);
        let all = [
            Variant::Bare,
            Variant::Generated,
            Variant::GeneratedPlain,
            Variant::GeneratedSource,
        ];
        let only = args
            .iter()
            .position(|a| a == "--only")
            .map(|_| flag(&args, "--only", 0) as usize);
        let variants: Vec<Variant> = match only {
            Some(i) => vec![*all.get(i).expect("--only takes 0, 1, 2 or 3")],
            None => all.to_vec(),
        };
        // The generated client sends the token; the plain one sends none.
        let seen = BEARER_SEEN.load(Ordering::Relaxed);
        clients.many(Variant::Generated, 1).await;
        assert_eq!(
            BEARER_SEEN.load(Ordering::Relaxed),
            seen + 1,
            "token not sent"
        );
        clients.many(Variant::GeneratedPlain, 1).await;
        assert_eq!(
            BEARER_SEEN.load(Ordering::Relaxed),
            seen + 1,
            "plain sent a token"
        );
        clients.many(Variant::GeneratedSource, 1).await;
        assert_eq!(
            BEARER_SEEN.load(Ordering::Relaxed),
            seen + 2,
            "the token source's token not sent"
        );
        for &v in &variants {
            clients.many(v, 500).await; // warm-up: connection, allocator, caches
        }

        let mut per_request: Vec<Vec<Duration>> = vec![Vec::new(); variants.len()];
        for round in 0..rounds {
            // Rotate the order each round so no variant always goes first.
            for k in 0..variants.len() {
                let i = (k + round as usize) % variants.len();
                let took = clients.many(variants[i], per_round).await;
                per_request[i].push(took / per_round as u32);
            }
        }
        println!("requests={}", per_round * rounds);
        println!("rounds={rounds}");
        for (v, samples) in variants.iter().zip(&per_request) {
            let m = median(samples);
            println!("{}_us={:.2}", v.name(), m.as_secs_f64() * 1e6);
            // Paired with the first variant's time of the same round.
            let mut ratios: Vec<f64> = samples
                .iter()
                .zip(&per_request[0])
                .map(|(t, base)| t.as_secs_f64() / base.as_secs_f64())
                .collect();
            ratios.sort_by(f64::total_cmp);
            let mid = ratios.len() / 2;
            let ratio = if ratios.len() % 2 == 1 {
                ratios[mid]
            } else {
                (ratios[mid - 1] + ratios[mid]) / 2.0
            };
            println!("{}_overhead_pct={:.2}", v.name(), (ratio - 1.0) * 100.0);
        }

        if memory_requests > 0 && only.is_none() {
            let quarter = (memory_requests / 4).max(1);
            println!("memory_rss_kib_0={}", rss_kib());
            let started = Instant::now();
            for q in 1..=4 {
                clients.many(Variant::Generated, quarter).await;
                println!("memory_rss_kib_{}={}", q * quarter, rss_kib());
            }
            println!(
                "memory_run_us={:.2}",
                started.elapsed().as_secs_f64() * 1e6 / (4 * quarter) as f64
            );
        }
    });
}
