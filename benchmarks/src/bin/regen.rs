//! Regeneration in-process: `generator::render_outputs` (both APIs: load the spec,
//! progenitor, open enums, prettyplease, API surface report) repeated `--runs` times
//! after `--warmup` runs; prints the median and the process's peak RSS as `key=value` lines.
//! A per-API breakdown (spec loading, generation) follows.
//!
//! `cargo run --release -p benchmarks --bin regen -- [--runs 30] [--warmup 3]`

use std::hint::black_box;
use std::time::{Duration, Instant};

use benchmarks::{flag, median, ms, peak_rss_kib, rss_kib, workspace_root};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = flag(&args, "--runs", 30).max(1) as usize;
    let warmup = flag(&args, "--warmup", 3) as usize;
    let root = workspace_root();

    let rss_before = rss_kib();
    let mut samples = Vec::with_capacity(runs);
    let mut bytes = 0;
    for i in 0..warmup + runs {
        let started = Instant::now();
        let outputs = match generator::render_outputs(&root) {
            Ok(outputs) => outputs,
            Err(errors) => {
                for e in errors {
                    eprintln!("{e}");
                }
                std::process::exit(1);
            }
        };
        let took = started.elapsed();
        bytes = outputs.iter().map(|o| o.contents.len()).sum::<usize>();
        black_box(outputs);
        if i >= warmup {
            samples.push(took);
        }
    }
    let total: Duration = samples.iter().sum();
    println!("runs={runs}");
    println!("output_bytes={bytes}");
    println!("median_ms={}", ms(median(&samples)));
    println!("min_ms={}", ms(*samples.iter().min().expect("runs >= 1")));
    println!("max_ms={}", ms(*samples.iter().max().expect("runs >= 1")));
    println!("mean_ms={}", ms(total / runs as u32));
    println!("rss_before_kib={rss_before}");
    println!("peak_rss_kib={}", peak_rss_kib());

    // Where the time goes, per API: loading the spec (YAML, checks) and generating from
    // it (progenitor, open enums, prettyplease); the surface report is the rest.
    for api in generator::APIS {
        let spec_path = root.join(api.spec);
        let mut load = Vec::with_capacity(runs);
        let mut generate = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let spec = generator::load_spec(&spec_path).expect("loaded once already");
            load.push(started.elapsed());
            let started = Instant::now();
            let source = generator::generate(std::path::Path::new(api.spec), &spec, api)
                .expect("generated once already");
            generate.push(started.elapsed());
            black_box(source);
        }
        println!("load_{}_median_ms={}", api.name, ms(median(&load)));
        println!("generate_{}_median_ms={}", api.name, ms(median(&generate)));
    }
}
