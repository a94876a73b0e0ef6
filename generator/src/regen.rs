//! One regeneration function, two modes: write the committed files, or check them.
//!
//! Everything is generated in memory first; nothing is written unless every spec generated.
//! Each write goes to a temporary file beside its target (`.regen-XXXXXX.tmp`) and is renamed
//! over it, so a failure leaves every committed file as it was. A run killed between the two
//! (SIGKILL, power loss) leaves its temporary file behind; the next write run removes such
//! leftovers from the folders it writes to.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::{APIS, ApiConfig, Error, REGEN_COMMAND};

/// What [`regen`] does with the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write every output that differs from what is on disk.
    Write,
    /// Write nothing; report every output that differs.
    Check,
}

/// One file the generator owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the workspace root.
    pub path: PathBuf,
    /// What the file must contain.
    pub contents: String,
}

/// A committed file that differs from what its spec produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// Relative to the workspace root.
    pub path: PathBuf,
    /// A short unified diff, committed → expected (empty when the file is missing).
    pub diff: String,
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "stale: {} differs from what its spec produces; run `{REGEN_COMMAND}`",
            self.path.display()
        )?;
        f.write_str(&self.diff)
    }
}

/// Renders every output of every API under `root`, in memory. Reports every API that
/// failed, not only the first.
pub fn render_outputs(root: &Path) -> Result<Vec<Output>, Vec<Error>> {
    render_outputs_for(root, APIS)
}

/// [`render_outputs`] for a given table of APIs. The APIs are rendered in parallel, one
/// thread each (they share nothing; on 2 cores this about halves the wall time of a
/// dev-profile `cargo xtask regen`); the outputs keep the table's order.
pub fn render_outputs_for(root: &Path, apis: &[ApiConfig]) -> Result<Vec<Output>, Vec<Error>> {
    let rendered: Vec<Result<(String, String), Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = apis
            .iter()
            .map(|api| scope.spawn(move || crate::generate_api_with_surface(root, api)))
            .collect();
        handles
            .into_iter()
            .zip(apis)
            .map(|(handle, api)| {
                // generate_api_with_surface catches progenitor's panics itself; a panic
                // left over is reported as this API's error, not re-raised.
                handle.join().unwrap_or_else(|_| {
                    Err(Error::file(
                        Path::new(api.spec),
                        "the generator panicked while rendering this API",
                    ))
                })
            })
            .collect()
    });
    let mut outputs = Vec::new();
    let mut errors = Vec::new();
    for (api, result) in apis.iter().zip(rendered) {
        match result {
            Ok((module, surface)) => {
                // Typed mocks (issue 16), from the same spec and client module.
                let mock = crate::mocks::render(root, api, &module);
                outputs.push(Output {
                    path: api.output.into(),
                    contents: module,
                });
                outputs.push(Output {
                    path: api.surface.into(),
                    contents: surface,
                });
                // Typed mocks (issue 16): after the module and its surface report.
                match mock {
                    Ok(mock) => outputs.extend(mock),
                    Err(e) => errors.push(e),
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(outputs)
    } else {
        Err(errors)
    }
}

/// Line endings are not content: a checkout with CRLF endings is not stale.
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// The outputs whose file under `root` is missing or differs.
pub fn stale_outputs(root: &Path, outputs: &[Output]) -> Vec<Stale> {
    let mut stale = Vec::new();
    for output in outputs {
        let on_disk = std::fs::read_to_string(root.join(&output.path)).ok();
        let on_disk = on_disk.as_deref().map(normalize);
        if on_disk.as_deref() == Some(output.contents.as_str()) {
            continue;
        }
        let diff = match &on_disk {
            Some(current) => short_diff(&output.path, current, &output.contents),
            None => "  (the file is missing)\n".to_owned(),
        };
        stale.push(Stale {
            path: output.path.clone(),
            diff,
        });
    }
    stale
}

const DIFF_LINES: usize = 40;

fn short_diff(path: &Path, current: &str, expected: &str) -> String {
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(current, expected)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (committed)"),
            &format!("{name} (from the spec)"),
        )
        .to_string();
    let total = diff.lines().count();
    let mut out = String::new();
    for line in diff.lines().take(DIFF_LINES) {
        let _ = writeln!(out, "  {line}");
    }
    if total > DIFF_LINES {
        let _ = writeln!(out, "  … {} more diff lines", total - DIFF_LINES);
    }
    out
}

/// Temporary files of a write are named `{TMP_PREFIX}XXXXXX{TMP_SUFFIX}`.
const TMP_PREFIX: &str = ".regen-";
const TMP_SUFFIX: &str = ".tmp";

/// Removes the temporary files a killed run left in `dir`: those older than `started` (a
/// concurrent run's file, made after this run started, is left alone). Best effort: a file
/// that cannot be removed is left as it is.
fn remove_leftovers(dir: &Path, started: std::time::SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_file() && meta.modified().is_ok_and(|m| m < started) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes every output that differs, each by temporary file and rename, after removing the
/// temporary files a killed run left in the output folders. Returns the paths written.
pub fn write_outputs(root: &Path, outputs: &[Output]) -> Result<Vec<PathBuf>, Error> {
    let started = std::time::SystemTime::now();
    let mut dirs: Vec<PathBuf> = outputs
        .iter()
        .filter_map(|o| root.join(&o.path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        remove_leftovers(dir, started);
    }
    let stale = stale_outputs(root, outputs);
    let mut written = Vec::new();
    for output in outputs
        .iter()
        .filter(|o| stale.iter().any(|s| s.path == o.path))
    {
        let target = root.join(&output.path);
        let fail = |what: &str, e: &dyn std::fmt::Display| {
            Error::file(&output.path, format!("cannot {what}: {e}"))
        };
        let dir = target
            .parent()
            .ok_or_else(|| fail("find the folder", &"no parent"))?;
        std::fs::create_dir_all(dir).map_err(|e| fail("create the folder", &e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(TMP_PREFIX)
            .suffix(TMP_SUFFIX)
            .tempfile_in(dir)
            .map_err(|e| fail("create a temporary file", &e))?;
        tmp.write_all(output.contents.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| fail("write a temporary file", &e))?;
        tmp.persist(&target)
            .map_err(|e| fail("rename the temporary file", &e.error))?;
        written.push(output.path.clone());
    }
    Ok(written)
}

/// The report of one [`regen`] run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// `Mode::Write`: these files were rewritten (none when all were current).
    Written(Vec<PathBuf>),
    /// `Mode::Check`: these files are stale (none when all are current).
    Stale(Vec<Stale>),
}

/// Regenerates (or checks) every API under `root`.
pub fn regen(root: &Path, mode: Mode) -> Result<Report, Vec<Error>> {
    let outputs = render_outputs(root)?;
    match mode {
        Mode::Check => Ok(Report::Stale(stale_outputs(root, &outputs))),
        Mode::Write => write_outputs(root, &outputs)
            .map(Report::Written)
            .map_err(|e| vec![e]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read the folder")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A killed run's temporary file (as `write_outputs` names them) is removed by the next
    /// write, whether or not that write changes a file; other files stay.
    #[test]
    fn a_write_removes_what_a_killed_run_left() {
        let root = tempfile::tempdir().expect("temporary folder");
        let src = root.path().join("client/src");
        std::fs::create_dir_all(&src).expect("create");
        std::fs::write(src.join("generated.rs"), "old\n").expect("write");
        std::fs::write(src.join("lib.rs"), "hand-written\n").expect("write");
        std::fs::write(src.join(".tmp-not-ours"), "someone else's\n").expect("write");
        let leftover = |n: u32| src.join(format!("{TMP_PREFIX}killed{n}{TMP_SUFFIX}"));
        std::fs::write(leftover(1), "half-wri").expect("write");
        // The modification time must be strictly older than the next run's start.
        std::thread::sleep(std::time::Duration::from_millis(20));

        let outputs = [Output {
            path: "client/src/generated.rs".into(),
            contents: "new\n".to_owned(),
        }];
        let written = write_outputs(root.path(), &outputs).expect("write");
        assert_eq!(written, [PathBuf::from("client/src/generated.rs")]);
        assert_eq!(
            std::fs::read_to_string(src.join("generated.rs")).expect("read"),
            "new\n"
        );
        assert_eq!(names(&src), [".tmp-not-ours", "generated.rs", "lib.rs"]);

        // Nothing to write this time: the leftover goes all the same.
        std::fs::write(leftover(2), "half-wri").expect("write");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let written = write_outputs(root.path(), &outputs).expect("write");
        assert!(written.is_empty(), "{written:?}");
        assert_eq!(names(&src), [".tmp-not-ours", "generated.rs", "lib.rs"]);
    }
}
