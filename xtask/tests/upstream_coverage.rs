//! Every operation, parameter and model field of the upstream definitions is in our specs
//! with its wire name: same operationId, method and path key; every parameter by name and
//! location; every property name reachable from the request body and the responses.
//!
//! The upstream side comes from the committed `spec/upstream-facts.txt` (made by
//! `cargo xtask upstream-facts`), so this runs in a bare clone. When the reference folder is
//! beside the checkout (`../shared/reference`, as in CI), the committed facts are also
//! compared with what the reference gives. Deliberate departures are listed here, each with
//! its reason.

use std::path::{Path, PathBuf};

use xtask::upstream::{self, Definition, Operation, Source};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the workspace root")
        .to_path_buf()
}

fn committed() -> Vec<Definition> {
    let path = root().join(upstream::FACTS_PATH);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask upstream-facts`)", path.display()));
    upstream::parse(&text).unwrap_or_else(|e| panic!("{e}"))
}

/// OnVideo's ApplicationSecret named the secret `clientSecret`; Meetings (later, and its
/// SDK) says `client_secret`. Both would be one Rust field, so the spec keeps the later name.
const EXCEPTIONS: &[(&str, &str)] = &[("regenerateClientApplicationSecret", "clientSecret")];

/// What is missing from or different in `ours` for `def`'s operations.
fn problems(def: &Definition, ours: &serde_yaml::Value) -> Vec<String> {
    let mut problems = Vec::new();
    for theirs in &def.operations {
        let at = format!("{} vs {}: {}", def.ours, def.file, theirs.id);
        let Some(mine) = upstream::find_operation(ours, &theirs.id) else {
            problems.push(format!("{at}: operation missing"));
            continue;
        };
        if (mine.path.as_str(), mine.method.as_str())
            != (theirs.path.as_str(), theirs.method.as_str())
        {
            problems.push(format!(
                "{at}: {} {} upstream, {} {} here",
                theirs.method, theirs.path, mine.method, mine.path
            ));
        }
        for (name, location) in theirs.parameters.difference(&mine.parameters) {
            problems.push(format!("{at}: parameter `{name}` in {location} missing"));
        }
        for field in theirs.fields.difference(&mine.fields) {
            if !EXCEPTIONS.contains(&(theirs.id.as_str(), field.as_str())) {
                problems.push(format!("{at}: field `{field}` missing"));
            }
        }
    }
    problems
}

#[test]
fn our_specs_cover_every_upstream_operation() {
    let defs = committed();
    let counts: Vec<(&str, usize)> = defs
        .iter()
        .map(|d| (d.file.as_str(), d.operations.len()))
        .collect();
    // The OnVideo variant has 11 authentication operations, each Meetings variant 12
    // (8 Authentication + 4 Application), the PureCloud extract 13.
    assert_eq!(
        counts,
        [
            ("bluejeans/upstream/onvideo-1.0.0/swagger.yaml", 11),
            (
                "bluejeans/upstream/meetings-1.0.4407232018/swagger.yaml",
                12
            ),
            (
                "bluejeans/upstream/meetings-1.0.4402212019/swagger.yaml",
                12
            ),
            ("purecloud/upstream/oauth-api.swagger2.extract.json", 13),
        ]
    );
    let mut all = Vec::new();
    for def in &defs {
        assert!(
            def.origin.contains(" @ "),
            "{}: origin without a commit",
            def.file
        );
        let ours = upstream::load(&root().join(&def.ours)).unwrap_or_else(|e| panic!("{e}"));
        all.extend(problems(def, &ours));
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

/// The check itself finds a missing operation, a moved path, a missing parameter and a
/// missing field (it would pass vacuously otherwise).
#[test]
fn the_check_reports_each_kind_of_gap() {
    let ours: serde_yaml::Value = serde_yaml::from_str(
        r"
openapi: 3.0.3
paths:
  /a/{id}:
    get:
      operationId: getA
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {kept: {type: string}}}
",
    )
    .expect("test spec");
    let op = |id: &str, path: &str, params: &[(&str, &str)], fields: &[&str]| Operation {
        id: id.to_owned(),
        method: "get".to_owned(),
        path: path.to_owned(),
        parameters: params
            .iter()
            .map(|(n, l)| ((*n).to_owned(), (*l).to_owned()))
            .collect(),
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
    };
    let def = Definition {
        file: "upstream.yaml".to_owned(),
        origin: "somewhere @ 0".to_owned(),
        ours: "ours.yaml".to_owned(),
        operations: vec![
            op("getA", "/a/{id}", &[("id", "path")], &["kept"]),
            op("getB", "/b", &[], &[]),
            op(
                "getA",
                "/a/{other}",
                &[("id", "path"), ("limit", "query")],
                &["kept", "lost"],
            ),
        ],
    };
    let found = problems(&def, &ours);
    assert_eq!(
        found,
        [
            "ours.yaml vs upstream.yaml: getB: operation missing",
            "ours.yaml vs upstream.yaml: getA: get /a/{other} upstream, get /a/{id} here",
            "ours.yaml vs upstream.yaml: getA: parameter `limit` in query missing",
            "ours.yaml vs upstream.yaml: getA: field `lost` missing",
        ]
    );
}

/// The facts file reads back what `render` wrote, and a malformed line is named.
#[test]
fn facts_round_trip_and_errors_name_the_line() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        dir.path().join("up.yaml"),
        r"
swagger: '2.0'
paths:
  /users/{user_id}/apps:
    parameters:
      - {name: user_id, in: path, required: true, type: string}
    post:
      operationId: createApp
      tags: [Application]
      parameters:
        - {name: body, in: body, schema: {$ref: '#/definitions/App'}}
        - {name: verbose, in: query, type: boolean}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/App'}}
  /other:
    get:
      operationId: untagged
      tags: [Meeting]
      responses: {'200': {description: ok}}
definitions:
  App:
    properties:
      name: {type: string}
      owner: {$ref: '#/definitions/Owner'}
  Owner:
    properties:
      email: {type: string}
      apps: {type: array, items: {$ref: '#/definitions/App'}}
",
    )
    .expect("write");
    let source = Source {
        file: "up.yaml",
        origin: "example/repo up.yaml @ 1234",
        tags: &["Application"],
        ours: "spec/ours.yaml",
    };
    let text = upstream::render(dir.path(), &[source]).expect("render");
    let defs = upstream::parse(&text).expect("parse");
    assert_eq!(defs.len(), 1);
    let def = &defs[0];
    assert_eq!(
        (def.file.as_str(), def.origin.as_str(), def.ours.as_str()),
        ("up.yaml", "example/repo up.yaml @ 1234", "spec/ours.yaml")
    );
    assert_eq!(def.operations.len(), 1, "only the tagged operation: {text}");
    let op = &def.operations[0];
    assert_eq!(
        (op.id.as_str(), op.method.as_str(), op.path.as_str()),
        ("createApp", "post", "/users/{user_id}/apps")
    );
    let params: Vec<(&str, &str)> = op
        .parameters
        .iter()
        .map(|(n, l)| (n.as_str(), l.as_str()))
        .collect();
    assert_eq!(params, [("user_id", "path"), ("verbose", "query")]);
    let fields: Vec<&str> = op.fields.iter().map(String::as_str).collect();
    assert_eq!(fields, ["apps", "email", "name", "owner"]);

    let broken = text.replacen("  operation createApp post", "  operation createApp", 1);
    let err = upstream::parse(&broken).expect_err("a short operation line");
    assert!(
        err.starts_with("spec/upstream-facts.txt:") && err.contains("operation createApp"),
        "{err}"
    );
}

/// With the reference folder beside the checkout (CI), the committed facts are exactly what
/// `cargo xtask upstream-facts` makes from it. Without it (a bare clone) there is nothing to
/// compare against; the tests above still check the specs against the committed facts.
#[test]
fn committed_facts_are_what_the_reference_gives() {
    let reference = upstream::reference_dir(&root(), None);
    if !reference.is_dir() {
        eprintln!(
            "skipped: no reference folder at {} (a bare clone)",
            reference.display()
        );
        return;
    }
    let made = upstream::render(&reference, upstream::SOURCES).unwrap_or_else(|e| panic!("{e}"));
    let path = root().join(upstream::FACTS_PATH);
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace("\r\n", "\n");
    assert!(
        committed == made,
        "{} differs from what {} gives: run `cargo xtask upstream-facts` and commit the result",
        upstream::FACTS_PATH,
        reference.display()
    );
}
