//! `cargo xtask diff <git-rev> [--allow-breaking]`: the command-line part of the spec diff
//! (arguments, git, exit codes) around `generator::diff`, which compares two specs.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use generator::diff::{ChangeKind, absent_spec, diff_specs, render_markdown};
use generator::{ApiConfig, load_spec, parse_spec};

/// What `cargo xtask diff` prints, and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The markdown report (empty on a usage error).
    pub stdout: String,
    /// Errors and the summary line.
    pub stderr: String,
    /// 0: nothing breaks (or `--allow-breaking`); 1: something breaks; 2: usage error,
    /// unknown revision, git failure, or a spec that does not parse.
    pub code: u8,
}

/// The usage line of `cargo xtask diff`.
pub const USAGE: &str = "usage: cargo xtask diff <git-rev> [--allow-breaking]";

/// `cargo xtask diff <git-rev> [--allow-breaking]` under `root` (a git work tree): compares
/// each spec of `apis` at `<git-rev>` with the working tree. `args` are the arguments after
/// `diff`.
pub fn run(root: &Path, apis: &[ApiConfig], args: &[&str]) -> Output {
    let usage = |msg: String| Output {
        stdout: String::new(),
        stderr: format!("error: {msg}\n{USAGE}\n"),
        code: 2,
    };
    let mut rev = None;
    let mut allow_breaking = false;
    for &arg in args {
        match arg {
            "--allow-breaking" => allow_breaking = true,
            a if a.starts_with('-') => return usage(format!("unknown option `{a}`")),
            a if rev.is_none() => rev = Some(a),
            a => return usage(format!("unexpected argument `{a}` (one revision only)")),
        }
    }
    let Some(rev) = rev else {
        return usage("missing the git revision to compare with".to_owned());
    };
    if rev.is_empty() || rev.contains(':') {
        return usage(format!("`{rev}` is not a git revision"));
    }
    match git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    ) {
        Ok((true, _)) => {}
        Ok((false, _)) => return usage(format!("unknown git revision `{rev}`")),
        Err(e) => return usage(format!("cannot run git in {}: {e}", root.display())),
    }

    let mut stdout = format!("# API changes since `{rev}`\n\n");
    let mut stderr = String::new();
    let mut breaking = 0usize;
    for api in apis {
        let object = format!("{rev}:./{}", api.spec);
        let old = match git(root, &["cat-file", "-e", &object]) {
            Ok((false, _)) => absent_spec(),
            Ok((true, _)) => match git(root, &["show", &object]) {
                Ok((true, text)) => {
                    match parse_spec(Path::new(&format!("{rev}:{}", api.spec)), &text) {
                        Ok(spec) => spec.openapi,
                        Err(e) => return fail(format!("the spec at `{rev}` does not load: {e}")),
                    }
                }
                Ok((false, _)) => return fail(format!("git cannot show {object}")),
                Err(e) => return fail(format!("cannot run git: {e}")),
            },
            Err(e) => return fail(format!("cannot run git: {e}")),
        };
        let spec_path = root.join(api.spec);
        let new = if spec_path.exists() {
            match load_spec(&spec_path) {
                Ok(spec) => spec.openapi,
                Err(mut e) => {
                    e.file = api.spec.into();
                    return fail(format!("the spec in the working tree does not load: {e}"));
                }
            }
        } else {
            absent_spec()
        };
        let changes = diff_specs(&old, &new);
        breaking += changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Breaking)
            .count();
        stdout.push_str(&render_markdown(
            &format!("{} (`{}`)", api.name, api.spec),
            &changes,
        ));
        stdout.push('\n');
    }
    let code = if breaking == 0 {
        let _ = writeln!(stderr, "no breaking change since `{rev}`");
        0
    } else if allow_breaking {
        let _ = writeln!(
            stderr,
            "{breaking} breaking change(s) since `{rev}`, allowed by --allow-breaking"
        );
        0
    } else {
        let _ = writeln!(
            stderr,
            "{breaking} breaking change(s) since `{rev}`; pass --allow-breaking if they are intended"
        );
        1
    };
    Output {
        stdout,
        stderr,
        code,
    }
}

fn fail(msg: String) -> Output {
    Output {
        stdout: String::new(),
        stderr: format!("error: {msg}\n"),
        code: 2,
    }
}

/// Runs git in `root`; returns whether it succeeded and its standard output.
fn git(root: &Path, args: &[&str]) -> std::io::Result<(bool, String)> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

#[cfg(test)]
mod tests {
    //! The command on a temporary git repo: exit codes, usage errors, a spec absent at the
    //! revision. (The comparison rules are tested in `generator/tests/diff.rs`.)

    use std::path::{Path, PathBuf};
    use std::process::Command;

    use generator::{APIS, ApiConfig};

    use super::run;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/specs/diff")
    }

    /// A folder under the system's temporary folder, removed on drop.
    struct TempRepo(PathBuf);

    impl TempRepo {
        fn new(case: &str) -> Self {
            use std::sync::atomic::{AtomicUsize, Ordering};
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "xtask-diff-{}-{}-{case}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
            TempRepo(dir)
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempRepo {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args([
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run git: {e}"));
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    }

    fn test_api() -> ApiConfig {
        ApiConfig {
            name: "things",
            spec: "spec/things.yaml",
            ..APIS[0]
        }
    }

    /// A git repo whose first commit holds the `old.yaml` of `case` as `spec/things.yaml`, with
    /// its `new.yaml` in the working tree.
    fn repo_with(case: &str) -> TempRepo {
        let dir = TempRepo::new(case);
        let root = dir.path();
        let copy = |side: &str| {
            std::fs::create_dir_all(root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
            std::fs::copy(
                fixtures().join(case).join(side),
                root.join("spec/things.yaml"),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        };
        git(root, &["init", "--quiet"]);
        copy("old.yaml");
        git(root, &["add", "."]);
        git(root, &["commit", "--quiet", "-m", "old"]);
        copy("new.yaml");
        dir
    }

    #[test]
    fn cli_exit_codes() {
        let api = [test_api()];

        let repo = repo_with("response_field_removed");
        let out = run(repo.path(), &api, &["HEAD"]);
        assert_eq!(out.code, 1, "{out:#?}");
        assert!(
            out.stdout.contains("## things (`spec/things.yaml`)"),
            "{out:#?}"
        );
        assert!(out.stdout.contains("field `count` removed"), "{out:#?}");
        assert!(out.stderr.contains("--allow-breaking"), "{out:#?}");

        let out = run(repo.path(), &api, &["HEAD", "--allow-breaking"]);
        assert_eq!(out.code, 0, "{out:#?}");
        assert!(out.stdout.contains("field `count` removed"), "{out:#?}");

        let repo = repo_with("compatible");
        let out = run(repo.path(), &api, &["HEAD"]);
        assert_eq!(out.code, 0, "{out:#?}");
        assert!(out.stdout.contains("operation added"), "{out:#?}");

        // Usage errors and unknown revisions.
        assert_eq!(run(repo.path(), &api, &[]).code, 2);
        assert_eq!(run(repo.path(), &api, &["HEAD", "HEAD~1"]).code, 2);
        assert_eq!(run(repo.path(), &api, &["--frobnicate", "HEAD"]).code, 2);
        let out = run(repo.path(), &api, &["no-such-rev"]);
        assert_eq!(out.code, 2, "{out:#?}");
        assert!(
            out.stderr.contains("unknown git revision `no-such-rev`"),
            "{out:#?}"
        );
    }

    #[test]
    fn cli_spec_absent_at_the_revision_means_all_added() {
        let repo = repo_with("compatible");
        let root = repo.path();
        std::fs::write(root.join("README"), "x").unwrap_or_else(|e| panic!("{e}"));
        git(root, &["rm", "--quiet", "--cached", "spec/things.yaml"]);
        git(root, &["add", "README"]);
        git(root, &["commit", "--quiet", "-m", "no spec"]);
        let out = run(root, &[test_api()], &["HEAD"]);
        assert_eq!(out.code, 0, "{out:#?}");
        assert!(
            out.stdout
                .contains("`getThing (GET /things/{id})`: operation added"),
            "{out:#?}"
        );
    }
}
