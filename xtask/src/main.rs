//! `cargo xtask`: the workspace's own commands. See `cargo xtask --help`.

mod diff;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::{Mode, REGEN_COMMAND, Report};

const HELP: &str = "\
cargo xtask: workspace automation

USAGE:
    cargo xtask regen [--check]
    cargo xtask surface
    cargo xtask diff <git-rev> [--allow-breaking]
    cargo xtask upstream-facts [--check] [--reference <dir>]

COMMANDS:
    regen            Regenerate every client crate's generated module from spec/*.yaml.
                     Every spec is generated in memory first; files are written (by temporary
                     file and rename) only when all succeeded, so a broken spec changes nothing.
                     Exits non-zero and names the file, line and operation on a bad spec.
    regen --check    Write nothing. Exit non-zero if a committed generated file differs from
                     what its spec produces, naming each stale file with a short diff and the
                     command that fixes it (`cargo xtask regen`).
                     The check covers the API surface reports (<crate>/API.md) too.
    surface          Write only the API surface reports (bluejeans-api/API.md,
                     purecloud-oauth-api/API.md): every operation (HTTP method, path,
                     operationId, Rust method, request, response and error types) and every
                     model (wire name, Rust field, Rust type, required), read from the
                     generated Rust source. `regen` writes them too, with the modules.
    diff <git-rev> [--allow-breaking]
                     Compare each spec at <git-rev> (`git show <git-rev>:spec/<file>`; a spec
                     absent there counts as empty) with the working tree and print markdown
                     for a pull request: per API, the breaking and the compatible changes.
                     Exit codes: 0 nothing breaks (or --allow-breaking), 1 something breaks,
                     2 usage error, unknown revision, or a spec that does not load.
    upstream-facts [--check] [--reference <dir>]
                     Write spec/upstream-facts.txt from the upstream API definitions in the
                     reference folder (default: ../shared/reference beside the checkout): the
                     operations, parameters and field names our specs must cover, with the
                     origin (repository, path, commit) of each definition. The coverage test
                     reads only the committed file. --check writes nothing and exits 1 when
                     the committed file differs from what the reference gives.

OPTIONS:
    -h, --help       Print this help.
";

/// The workspace root: `cargo run` (and so `cargo xtask`) sets `CARGO_MANIFEST_DIR` to
/// xtask/ at run time; a binary started by hand looks upward from the current folder for
/// the folder with `spec/` and a `Cargo.toml`. (The compile-time path would go stale when
/// one target folder serves two checkouts.)
fn workspace_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR")
        && let Some(root) = Path::new(&dir).parent()
        && root.join("spec").is_dir()
    {
        return root.to_path_buf();
    }
    if let Ok(cwd) = std::env::current_dir()
        && let Some(root) = cwd
            .ancestors()
            .find(|d| d.join("spec").is_dir() && d.join("Cargo.toml").is_file())
    {
        return root.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["-h" | "--help" | "help"] => {
            print!("{HELP}");
            if args.is_empty() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        ["regen"] => regen(Mode::Write),
        ["regen", "--check"] => regen(Mode::Check),
        ["surface"] => surface(),
        ["diff" | "surface" | "upstream-facts", "-h" | "--help", ..] => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        ["diff", rest @ ..] => {
            let out = diff::run(&workspace_root(), generator::APIS, rest);
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            ExitCode::from(out.code)
        }
        ["upstream-facts", rest @ ..] => upstream_facts(rest),
        ["regen", "-h" | "--help"] => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("error: unknown arguments {args:?}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}

fn regen(mode: Mode) -> ExitCode {
    let root = workspace_root();
    let started = std::time::Instant::now();
    let specs: Vec<&str> = generator::APIS.iter().map(|api| api.spec).collect();
    eprintln!(
        "{} {} (in parallel)",
        match mode {
            Mode::Write => "regenerating from",
            Mode::Check => "checking the generated files of",
        },
        specs.join(" and ")
    );
    match generator::regen(&root, mode) {
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!("no file was changed");
            ExitCode::FAILURE
        }
        Ok(Report::Written(paths)) => {
            for p in &paths {
                println!("wrote {}", p.display());
            }
            if paths.is_empty() {
                println!("all generated files are current");
            }
            eprintln!("regen took {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
            ExitCode::SUCCESS
        }
        Ok(Report::Stale(stale)) => {
            if stale.is_empty() {
                println!("all generated files are current");
                return ExitCode::SUCCESS;
            }
            for s in &stale {
                eprint!("{s}");
            }
            eprintln!(
                "{} stale file(s); run `{REGEN_COMMAND}` and commit the result",
                stale.len()
            );
            ExitCode::FAILURE
        }
    }
}

/// Writes only the surface reports: renders every output like `regen` and keeps the
/// `API.md` files.
fn surface() -> ExitCode {
    let root = workspace_root();
    let outputs = match generator::render_outputs(&root) {
        Ok(outputs) => outputs,
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!("no file was changed");
            return ExitCode::FAILURE;
        }
    };
    let surfaces: Vec<generator::Output> = outputs
        .into_iter()
        .filter(|o| {
            generator::APIS
                .iter()
                .any(|api| o.path == Path::new(api.surface))
        })
        .collect();
    match generator::write_outputs(&root, &surfaces) {
        Ok(paths) => {
            for p in &paths {
                println!("wrote {}", p.display());
            }
            if paths.is_empty() {
                println!("all surface reports are current");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask upstream-facts [--check] [--reference <dir>]`.
fn upstream_facts(args: &[&str]) -> ExitCode {
    use xtask::upstream;
    let (mut check, mut reference) = (false, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--check" => check = true,
            "--reference" => match rest.next() {
                Some(dir) => reference = Some(*dir),
                None => {
                    eprintln!("error: --reference needs a folder\n\n{HELP}");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("error: unknown argument `{other}`\n\n{HELP}");
                return ExitCode::from(2);
            }
        }
    }
    let root = workspace_root();
    let reference = upstream::reference_dir(&root, reference);
    eprintln!(
        "reading the upstream definitions under {}",
        reference.display()
    );
    let facts = match upstream::render(&reference, upstream::SOURCES) {
        Ok(facts) => facts,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let target = root.join(upstream::FACTS_PATH);
    let committed = std::fs::read_to_string(&target)
        .ok()
        .map(|t| t.replace("\r\n", "\n"));
    if committed.as_deref() == Some(facts.as_str()) {
        println!("{} is current", upstream::FACTS_PATH);
        return ExitCode::SUCCESS;
    }
    if check {
        eprintln!(
            "stale: {} differs from what {} gives; run `cargo xtask upstream-facts` and commit the result",
            upstream::FACTS_PATH,
            reference.display()
        );
        return ExitCode::FAILURE;
    }
    match std::fs::write(&target, facts) {
        Ok(()) => {
            println!("wrote {}", upstream::FACTS_PATH);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", target.display());
            ExitCode::FAILURE
        }
    }
}
