//! The drift check: the committed generated files are exactly what the specs produce.
//! Plain `cargo test` fails on drift and names the file and the command that fixes it.

use std::path::{Path, PathBuf};

use generator::{APIS, Mode, REGEN_COMMAND, Report};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator/ has a parent")
        .to_path_buf()
}

#[test]
fn committed_generated_files_match_their_specs() {
    let root = workspace_root();
    let outputs = generator::render_outputs(&root).unwrap_or_else(|errors| {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("a spec does not generate:\n{}", text.join("\n"))
    });
    let stale = generator::stale_outputs(&root, &outputs);
    assert!(
        stale.is_empty(),
        "{}\n{} generated file(s) are stale: run `{REGEN_COMMAND}` and commit the result",
        stale.iter().map(ToString::to_string).collect::<String>(),
        stale.len()
    );
}

/// Every spec under spec/ loads under the generator's contract (3.0.x, unique operationIds,
/// no duplicate keys) and belongs to a row of the API table, so none is silently left out.
#[test]
fn every_spec_meets_the_contract_and_is_generated() {
    let root = workspace_root();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("spec"))
        .expect("spec/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no spec/*.yaml");
    for path in &specs {
        let spec = generator::load_spec(path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            spec.openapi.openapi.starts_with("3.0."),
            "{}",
            path.display()
        );
        let relative = path.strip_prefix(&root).expect("under the root");
        assert!(
            APIS.iter().any(|api| Path::new(api.spec) == relative),
            "{} has no row in generator::APIS",
            relative.display()
        );
    }
}

/// A temporary workspace with both specs copied in.
fn scratch_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = workspace_root();
    for api in APIS {
        let target = dir.path().join(api.spec);
        std::fs::create_dir_all(target.parent().expect("spec/")).expect("mkdir");
        std::fs::copy(root.join(api.spec), target).expect("copy spec");
    }
    dir
}

#[test]
fn regen_writes_then_checks_clean_then_catches_a_spec_change() {
    let dir = scratch_workspace();
    let root = dir.path();

    let Ok(Report::Stale(stale)) = generator::regen(root, Mode::Check) else {
        panic!("check failed")
    };
    assert_eq!(
        stale.len(),
        generator::render_outputs(root).expect("renders").len(),
        "all missing at first"
    );

    let Ok(Report::Written(written)) = generator::regen(root, Mode::Write) else {
        panic!("write failed")
    };
    assert!(written.iter().any(|p| p == Path::new(APIS[0].output)));
    let Ok(Report::Stale(stale)) = generator::regen(root, Mode::Check) else {
        panic!("check failed")
    };
    assert!(stale.is_empty(), "{stale:?}");
    let Ok(Report::Written(again)) = generator::regen(root, Mode::Write) else {
        panic!("write failed")
    };
    assert!(again.is_empty(), "a second regen changes nothing");

    // A spec change: a new summary on one operation.
    let spec = root.join(APIS[1].spec);
    let text = std::fs::read_to_string(&spec).expect("read");
    let changed = text.replacen("summary: ", "summary: Changed. ", 1);
    assert_ne!(text, changed);
    std::fs::write(&spec, changed).expect("write");
    let Ok(Report::Stale(stale)) = generator::regen(root, Mode::Check) else {
        panic!("check failed")
    };
    assert!(
        stale.iter().any(|s| s.path == Path::new(APIS[1].output)),
        "{stale:?}"
    );
    let message = stale[0].to_string();
    assert!(
        message.contains(REGEN_COMMAND) && message.contains("Changed."),
        "{message}"
    );
    assert!(
        !stale.iter().any(|s| s.path == Path::new(APIS[0].output)),
        "the other crate is current"
    );

    let Ok(Report::Written(_)) = generator::regen(root, Mode::Write) else {
        panic!("write failed")
    };
    let generated = std::fs::read_to_string(root.join(APIS[1].output)).expect("read");
    assert!(generated.contains("Changed."));
}

#[test]
fn a_broken_spec_changes_no_file() {
    let dir = scratch_workspace();
    let root = dir.path();
    let Ok(Report::Written(_)) = generator::regen(root, Mode::Write) else {
        panic!("write failed")
    };
    let before: Vec<(PathBuf, String)> =
        std::fs::read_dir(root.join(Path::new(APIS[0].output).parent().unwrap()))
            .into_iter()
            .chain(std::fs::read_dir(
                root.join(Path::new(APIS[1].output).parent().unwrap()),
            ))
            .flatten()
            .flatten()
            .map(|e| {
                (
                    e.path(),
                    std::fs::read_to_string(e.path()).unwrap_or_default(),
                )
            })
            .collect();

    // The first spec changes (so it would be rewritten), the second breaks.
    let first = root.join(APIS[0].spec);
    let text = std::fs::read_to_string(&first).expect("read");
    std::fs::write(&first, text.replacen("summary: ", "summary: Changed. ", 1)).expect("write");
    let second = root.join(APIS[1].spec);
    let text = std::fs::read_to_string(&second).expect("read");
    std::fs::write(&second, text.replacen("paths:", "paths: [", 1)).expect("write");

    let errors = generator::regen(root, Mode::Write).expect_err("a broken spec fails");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, Path::new(APIS[1].spec));
    assert!(errors[0].line.is_some(), "{}", errors[0]);
    for (path, contents) in before {
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            contents,
            "{} changed",
            path.display()
        );
    }
    // No temporary file is left behind either.
    for api in APIS {
        let dir = root.join(Path::new(api.output).parent().unwrap());
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                name.ends_with(".rs") || name.ends_with(".md"),
                "left behind: {name}"
            );
        }
    }
}
