//! Memory of a client reading an endless response body: a server on 127.0.0.1 answers every
//! request with `200`, `Transfer-Encoding: chunked` and 64 KiB chunks that never end. The
//! PureCloud client (plain http to loopback, no token, no retries) calls `getOauthClients`
//! `--calls` times with `max_response_bytes` set to `--cap-kib`; each call must fail at the
//! cap. Prints the peak resident set size (VmHWM) before the first call and after 1, 10 and
//! `--calls` calls, and the time per call.
//!
//! `cargo run --release -p benchmarks --bin endless -- [--cap-kib 16384] [--calls 30]`

use std::time::Instant;

use benchmarks::{flag, peak_rss_kib};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One connection: reads the request head, then writes chunks until the client hangs up.
async fn endless(mut stream: TcpStream) {
    let mut head = [0u8; 4096];
    if stream.read(&mut head).await.is_err() {
        return;
    }
    let chunk = vec![b'x'; 64 * 1024];
    let frame = [
        format!("{:x}\r\n", chunk.len()).into_bytes(),
        chunk,
        b"\r\n".to_vec(),
    ]
    .concat();
    let start =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    if stream.write_all(start).await.is_err() {
        return;
    }
    while stream.write_all(&frame).await.is_ok() {}
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cap_kib = flag(&args, "--cap-kib", 16 * 1024);
    let calls = flag(&args, "--calls", 30).max(1);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(endless(stream));
            }
        });
        let base = format!("http://{addr}");
        let client = purecloud_oauth_api::PureCloud::builder()
            .base_urls(base.as_str(), base.as_str())
            .retry_policy(purecloud_oauth_api::RetryPolicy::none())
            .max_response_bytes(usize::try_from(cap_kib.saturating_mul(1024)).unwrap_or(usize::MAX))
            .build()
            .expect("client");
        println!("endless_cap_kib={cap_kib}");
        println!("endless_peak_kib_0={}", peak_rss_kib());
        let started = Instant::now();
        for call in 1..=calls {
            let result = client.get_oauth_clients().call().await;
            match result {
                Ok(_) => panic!("an endless body decoded: the cap did not hold"),
                Err(e) => {
                    if call == 1 {
                        println!("endless_error={e}");
                    }
                }
            }
            if call == 1 || call == 10 || call == calls {
                println!("endless_peak_kib_{call}={}", peak_rss_kib());
            }
        }
        println!(
            "endless_ms_per_call={:.1}",
            started.elapsed().as_secs_f64() * 1e3 / calls as f64
        );
    });
}
