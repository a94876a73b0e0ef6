//! Helpers shared by the bench binaries in `src/bin/`: the repeat-and-median loop's
//! statistics, the process's memory from `/proc/self/status`, and flag parsing.
//!
//! The binaries print `key=value` lines that `scripts/bench.sh` turns into a markdown table.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The workspace root (the parent of `benchmarks/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The median of `samples` (the mean of the two middle ones for an even count).
pub fn median(samples: &[Duration]) -> Duration {
    assert!(!samples.is_empty(), "median of no samples");
    let mut sorted = samples.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2
    }
}

/// A field of `/proc/self/status` in KiB (`VmRSS`, `VmHWM`); `None` where there is no
/// procfs.
pub fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// Current resident set size, KiB.
pub fn rss_kib() -> u64 {
    proc_status_kib("VmRSS").unwrap_or(0)
}

/// Peak resident set size so far, KiB.
pub fn peak_rss_kib() -> u64 {
    proc_status_kib("VmHWM").unwrap_or(0)
}

/// Milliseconds with three decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

/// The value of `--name <value>` in `args` parsed as a number, or `default`.
pub fn flag(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name} wants a number, got {v:?}"))
        })
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_odd_and_even() {
        let d = Duration::from_millis;
        assert_eq!(median(&[d(3), d(1), d(2)]), d(2));
        assert_eq!(
            median(&[d(4), d(1), d(2), d(3)]),
            Duration::from_micros(2500)
        );
    }

    #[test]
    fn flags() {
        let args: Vec<String> = ["--runs", "7"].iter().map(|s| s.to_string()).collect();
        assert_eq!(flag(&args, "--runs", 3), 7);
        assert_eq!(flag(&args, "--other", 3), 3);
    }

    #[test]
    fn reads_own_memory() {
        if Path::new("/proc/self/status").exists() {
            assert!(rss_kib() > 0);
            assert!(peak_rss_kib() >= rss_kib());
        }
    }
}
