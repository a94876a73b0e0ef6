//! Whole-output snapshots of the tiny specs, as progenitor keeps them: for each spec under
//! `tests/specs/` whose output is the point (`constructs.yaml`: every construct the two
//! workspace specs use, in miniature), the generated module and its surface report are
//! committed under `tests/snapshots/` and compared whole.
//!
//! After an intended change of the generator, refresh them with
//! `SNAPSHOTS=overwrite cargo test -p generator --test snapshots`, then read the diff of
//! `tests/snapshots/` and commit it with the change.

use std::path::{Path, PathBuf};

use generator::{APIS, ApiConfig};

/// The variable and value that rewrite the snapshots instead of comparing them.
const OVERWRITE: (&str, &str) = ("SNAPSHOTS", "overwrite");

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator/ has a parent")
        .to_path_buf()
}

fn snapshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name)
}

/// Compares `actual` with the committed snapshot `name`, or writes it when `SNAPSHOTS` is
/// `overwrite`. A mismatch shows a short diff and the command that refreshes the file.
#[track_caller]
fn assert_snapshot(name: &str, actual: &str) {
    let path = snapshot_path(name);
    let (variable, value) = OVERWRITE;
    let refresh = format!("{variable}={value} cargo test -p generator --test snapshots");
    if std::env::var(variable).as_deref() == Ok(value) {
        std::fs::create_dir_all(path.parent().expect("a folder"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with `{refresh}`", path.display()))
        .replace("\r\n", "\n");
    if expected == actual {
        return;
    }
    let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
        .unified_diff()
        .context_radius(2)
        .header("snapshot", "generated")
        .to_string();
    let shown: Vec<&str> = diff.lines().take(80).collect();
    panic!(
        "{} differs from what the generator produces:\n{}\n{}\nIf the change is intended, run `{refresh}` and commit the file.",
        path.display(),
        shown.join("\n"),
        if diff.lines().count() > shown.len() {
            "(diff cut at 80 lines)"
        } else {
            ""
        }
    );
}

/// The generated module and the surface report of a tiny spec, with the settings of the
/// first API (BlueJeans).
fn outputs(spec: &'static str) -> (String, String) {
    let api = ApiConfig {
        name: "constructs",
        spec,
        output: "unused/generated.rs",
        surface: "unused/API.md",
        ..APIS[0]
    };
    let mut outputs = generator::render_outputs_for(&workspace_root(), &[api])
        .unwrap_or_else(|errors| panic!("{errors:?}"))
        .into_iter();
    let (Some(module), Some(surface)) = (outputs.next(), outputs.next()) else {
        panic!("regen renders a module and a report per API")
    };
    (module.contents, surface.contents)
}

#[test]
fn constructs() {
    let (module, surface) = outputs("generator/tests/specs/constructs.yaml");
    assert_snapshot("constructs.rs", &module);
    assert_snapshot("constructs.API.md", &surface);
}
