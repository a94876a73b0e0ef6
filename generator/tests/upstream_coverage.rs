//! Every operation, parameter and model field of the upstream definitions (in
//! `../shared/reference/*/upstream/`, beside the checkout as in CI) is in our specs with its
//! wire name: same operationId, method and path key; every parameter by name and location;
//! every property name reachable from the request body and the responses. Deliberate
//! departures are listed here, each with its reason.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root")
        .to_path_buf()
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the reference material sits beside the checkout, as in CI)",
            path.display()
        )
    });
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn reference(relative: &str) -> Value {
    load(&root().join("../shared/reference").join(relative))
}

/// Resolves a local `$ref` (`#/a/b/c`) against `doc`.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..8 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let mut target = doc;
        for part in reference.trim_start_matches("#/").split('/') {
            target = &target[part];
        }
        current = target;
    }
    current
}

/// Every property name reachable from `schema`.
fn properties(
    doc: &Value,
    schema: &Value,
    out: &mut BTreeSet<String>,
    seen: &mut BTreeSet<String>,
) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str)
        && !seen.insert(reference.to_owned())
    {
        return;
    }
    let schema = resolve(doc, schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_mapping) {
        for (name, value) in props {
            if let Some(name) = name.as_str() {
                out.insert(name.to_owned());
            }
            properties(doc, value, out, seen);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = schema.get(key).filter(|v| v.is_mapping()) {
            properties(doc, inner, out, seen);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for inner in schema
            .get(key)
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            properties(doc, inner, out, seen);
        }
    }
}

#[derive(Debug)]
struct Op {
    path: String,
    method: String,
    parameters: BTreeSet<(String, String)>,
    fields: BTreeSet<String>,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// The operation `id` of a Swagger 2.0 or OpenAPI 3.0 document.
fn find_op(doc: &Value, id: &str) -> Option<Op> {
    for (path, item) in doc["paths"].as_mapping()? {
        for method in METHODS {
            let op = &item[*method];
            if op["operationId"].as_str() != Some(id) {
                continue;
            }
            let mut parameters = BTreeSet::new();
            let mut fields = BTreeSet::new();
            let mut seen = BTreeSet::new();
            let listed = item["parameters"].as_sequence().into_iter().flatten();
            for p in listed.chain(op["parameters"].as_sequence().into_iter().flatten()) {
                let p = resolve(doc, p);
                let (name, location) = (
                    p["name"].as_str().unwrap_or_default(),
                    p["in"].as_str().unwrap_or_default(),
                );
                if location == "body" {
                    properties(doc, &p["schema"], &mut fields, &mut seen);
                } else {
                    parameters.insert((name.to_owned(), location.to_owned()));
                }
            }
            let body = resolve(doc, &op["requestBody"]);
            for media in body["content"]
                .as_mapping()
                .into_iter()
                .flat_map(|m| m.values())
            {
                properties(doc, &media["schema"], &mut fields, &mut seen);
            }
            for response in op["responses"]
                .as_mapping()
                .into_iter()
                .flat_map(|m| m.values())
            {
                let response = resolve(doc, response);
                properties(doc, &response["schema"], &mut fields, &mut seen);
                for media in response["content"]
                    .as_mapping()
                    .into_iter()
                    .flat_map(|m| m.values())
                {
                    properties(doc, &media["schema"], &mut fields, &mut seen);
                }
            }
            return Some(Op {
                path: path.as_str().unwrap_or_default().to_owned(),
                method: (*method).to_owned(),
                parameters,
                fields,
            });
        }
    }
    None
}

/// Checks every operation of `ours` that `upstream` also has; returns how many matched.
fn check(
    ours_file: &str,
    upstream_file: &str,
    upstream: &Value,
    exceptions: &[(&str, &str)],
) -> usize {
    let ours = load(&root().join(ours_file));
    let mut problems = Vec::new();
    let mut matched = 0;
    let ids: Vec<String> = ours["paths"]
        .as_mapping()
        .into_iter()
        .flat_map(|m| m.values())
        .flat_map(|item| {
            METHODS
                .iter()
                .filter_map(move |m| item[*m]["operationId"].as_str().map(str::to_owned))
        })
        .collect();
    for id in &ids {
        let Some(theirs) = find_op(upstream, id) else {
            continue;
        };
        matched += 1;
        let mine = find_op(&ours, id).expect("our own operation");
        let at = format!("{ours_file} vs {upstream_file}: {id}");
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
            if !exceptions.contains(&(id.as_str(), field.as_str())) {
                problems.push(format!("{at}: field `{field}` missing"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    matched
}

/// OnVideo's ApplicationSecret named the secret `clientSecret`; Meetings (later, and its
/// SDK) says `client_secret`. Both would be one Rust field, so the spec keeps the later name.
const BLUEJEANS_EXCEPTIONS: &[(&str, &str)] =
    &[("regenerateClientApplicationSecret", "clientSecret")];

#[test]
fn bluejeans_covers_onvideo() {
    let upstream = reference("bluejeans/upstream/onvideo-1.0.0/swagger.yaml");
    let n = check(
        "spec/bluejeans.yaml",
        "onvideo-1.0.0",
        &upstream,
        BLUEJEANS_EXCEPTIONS,
    );
    assert_eq!(n, 11, "all 11 OnVideo operations");
}

#[test]
fn bluejeans_covers_meetings() {
    for version in ["meetings-1.0.4402212019", "meetings-1.0.4407232018"] {
        let upstream = reference(&format!("bluejeans/upstream/{version}/swagger.yaml"));
        let n = check(
            "spec/bluejeans.yaml",
            version,
            &upstream,
            BLUEJEANS_EXCEPTIONS,
        );
        assert_eq!(n, 12, "all 12 Meetings operations of {version}");
    }
}

#[test]
fn purecloud_covers_the_upstream_extract() {
    let upstream = reference("purecloud/upstream/oauth-api.swagger2.extract.json");
    let n = check(
        "spec/purecloud-oauth.yaml",
        "oauth-api.swagger2.extract.json",
        &upstream,
        &[],
    );
    assert_eq!(n, 13, "all 13 operations");
}
