//! `cargo xtask diff` as a process: usage errors and unknown revisions exit 2, `--help` 0.
//! (The comparison rules are tested in `generator/tests/diff.rs`; the 0/1 exit codes on a
//! temporary git repo in `xtask/src/diff.rs`.)

use std::process::Command;

fn xtask(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run xtask: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn diff_usage_errors_exit_2() {
    let (code, stderr) = xtask(&["diff"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("usage: cargo xtask diff <git-rev> [--allow-breaking]"),
        "{stderr}"
    );

    let (code, stderr) = xtask(&["diff", "refs/heads/no-such-branch-for-xtask-test"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("unknown git revision"), "{stderr}");

    let (code, stderr) = xtask(&["diff", "HEAD", "--no-such-flag"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn diff_help_exits_0() {
    let (code, stderr) = xtask(&["diff", "--help"]);
    assert_eq!(code, 0, "{stderr}");
}
