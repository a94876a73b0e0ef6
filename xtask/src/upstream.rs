//! The upstream facts: what the published API definitions say (operation ids, methods, path
//! keys, parameters by name and location, property names reachable from the request body and
//! the responses), kept in the repository (`spec/upstream-facts.txt`) so that the coverage test
//! (`xtask/tests/upstream_coverage.rs`) needs nothing beside the checkout.
//!
//! `cargo xtask upstream-facts [--check] [--reference <dir>]` makes the file from the upstream
//! definitions in the reference folder (`../shared/reference` beside the checkout), recording
//! each definition's origin (repository, path, commit) beside its facts.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

/// The committed facts file, relative to the workspace root.
pub const FACTS_PATH: &str = "spec/upstream-facts.txt";

/// The reference folder, relative to the workspace root (beside the checkout, as in CI).
pub const DEFAULT_REFERENCE: &str = "../shared/reference";

/// One upstream definition the facts are made from.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    /// Relative to the reference folder.
    pub file: &'static str,
    /// Where the file comes from: repository, path and commit (from the reference's SOURCES.md).
    pub origin: &'static str,
    /// Only operations with one of these tags; empty: every operation of the file.
    pub tags: &'static [&'static str],
    /// Our spec that must cover it, relative to the workspace root.
    pub ours: &'static str,
}

/// Every upstream definition our specs are checked against.
pub const SOURCES: &[Source] = &[
    Source {
        file: "bluejeans/upstream/onvideo-1.0.0/swagger.yaml",
        origin: "github.com/bluejeans/api-rest-meetings swagger.yaml @ b0548c6e91a51233b1faef70203b711af031862f (2017-05-15, OnVideo 1.0.0)",
        tags: &["Authentication", "Application"],
        ours: "spec/bluejeans.yaml",
    },
    Source {
        file: "bluejeans/upstream/meetings-1.0.4407232018/swagger.yaml",
        origin: "github.com/bluejeans/api-rest-meetings swagger.yaml @ 4f3cd39a6f78f33a41eb28ba3ffea9b155762af0 (2018-07-27, Meetings 1.0.4407232018)",
        tags: &["Authentication", "Application"],
        ours: "spec/bluejeans.yaml",
    },
    Source {
        file: "bluejeans/upstream/meetings-1.0.4402212019/swagger.yaml",
        origin: "github.com/bluejeans/api-rest-meetings swagger.yaml @ ab3ea7db517f1ecd855777ea38ccd3873237eec0 (2019-02-22, Meetings 1.0.4402212019)",
        tags: &["Authentication", "Application"],
        ours: "spec/bluejeans.yaml",
    },
    Source {
        file: "purecloud/upstream/oauth-api.swagger2.extract.json",
        origin: "extract of the 13 OAuth operations from github.com/api-evangelist/genesys openapi/genesys-oauth-api-openapi.yml @ b692e3547aa91cdd9ab4b9519fb0bed08c09c878 (the public Genesys Cloud swagger, split per tag)",
        tags: &[],
        ours: "spec/purecloud-oauth.yaml",
    },
];

/// The HTTP methods of a path item, in the order they are listed.
pub const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// The facts of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The operationId.
    pub id: String,
    /// Lower-case HTTP method.
    pub method: String,
    /// The path key.
    pub path: String,
    /// `(name, location)` of every non-body parameter.
    pub parameters: BTreeSet<(String, String)>,
    /// Every property name reachable from the request body and the responses.
    pub fields: BTreeSet<String>,
}

/// The facts of one upstream definition, as the facts file holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// Relative to the reference folder.
    pub file: String,
    /// Repository, path and commit it comes from.
    pub origin: String,
    /// Our spec that must cover it.
    pub ours: String,
    /// Its operations, by operationId.
    pub operations: Vec<Operation>,
}

/// Reads and parses a YAML (or JSON) document.
pub fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Resolves a local `$ref` (`#/a/b/c`) against `doc`, following chains (at most 8 deep).
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

/// The facts of one operation object of a Swagger 2.0 or OpenAPI 3.0 document.
fn operation(doc: &Value, path: &str, method: &str, item: &Value, op: &Value) -> Operation {
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
    Operation {
        id: op["operationId"].as_str().unwrap_or_default().to_owned(),
        method: method.to_owned(),
        path: path.to_owned(),
        parameters,
        fields,
    }
}

/// Every operation of `doc` (with one of `tags`, unless `tags` is empty), sorted by operationId.
pub fn operations(doc: &Value, tags: &[&str]) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_mapping().into_iter().flatten() {
        for method in METHODS {
            let op = &item[*method];
            if op["operationId"].as_str().is_none() {
                continue;
            }
            let tagged = op["tags"]
                .as_sequence()
                .into_iter()
                .flatten()
                .any(|t| t.as_str().is_some_and(|t| tags.contains(&t)));
            if !tags.is_empty() && !tagged {
                continue;
            }
            out.push(operation(
                doc,
                path.as_str().unwrap_or_default(),
                method,
                item,
                op,
            ));
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The operation `id` of `doc`.
pub fn find_operation(doc: &Value, id: &str) -> Option<Operation> {
    operations(doc, &[]).into_iter().find(|op| op.id == id)
}

const HEADER: &str = "\
# Facts of the upstream API definitions that our specs must cover (checked by
# xtask/tests/upstream_coverage.rs): per definition, its origin, our spec that covers it, and
# per operation its method, path key, parameters (location, name) and the property names
# reachable from its request body and responses.
# Made by `cargo xtask upstream-facts` from the reference folder (../shared/reference beside
# the checkout); never edited by hand. `cargo xtask upstream-facts --check` compares.
";

/// Renders the facts file from the definitions under `reference`.
pub fn render(reference: &Path, sources: &[Source]) -> Result<String, String> {
    let mut out = String::from(HEADER);
    for source in sources {
        let doc = load(&reference.join(source.file))?;
        let ops = operations(&doc, source.tags);
        if ops.is_empty() {
            return Err(format!(
                "{}: no operation tagged {:?}",
                reference.join(source.file).display(),
                source.tags
            ));
        }
        let _ = writeln!(out, "\ndefinition {}", source.file);
        let _ = writeln!(out, "  origin {}", source.origin);
        let _ = writeln!(out, "  ours {}", source.ours);
        for op in ops {
            let _ = writeln!(out, "  operation {} {} {}", op.id, op.method, op.path);
            for (name, location) in &op.parameters {
                let _ = writeln!(out, "    parameter {location} {name}");
            }
            for field in &op.fields {
                let _ = writeln!(out, "    field {field}");
            }
        }
    }
    Ok(out)
}

/// Parses a facts file; errors name the line.
pub fn parse(text: &str) -> Result<Vec<Definition>, String> {
    let mut defs: Vec<Definition> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let at = |what: &str| format!("{FACTS_PATH}:{}: {what}: `{line}`", index + 1);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (keyword, rest) = trimmed.split_once(' ').unwrap_or((trimmed, ""));
        let rest = rest.trim();
        if keyword == "definition" {
            defs.push(Definition {
                file: rest.to_owned(),
                origin: String::new(),
                ours: String::new(),
                operations: Vec::new(),
            });
            continue;
        }
        let def = defs
            .last_mut()
            .ok_or_else(|| at("a fact before the first `definition`"))?;
        match keyword {
            "origin" => def.origin = rest.to_owned(),
            "ours" => def.ours = rest.to_owned(),
            "operation" => {
                let parts: Vec<&str> = rest.split(' ').collect();
                let [id, method, path] = parts.as_slice() else {
                    return Err(at("expected `operation <id> <method> <path>`"));
                };
                def.operations.push(Operation {
                    id: (*id).to_owned(),
                    method: (*method).to_owned(),
                    path: (*path).to_owned(),
                    parameters: BTreeSet::new(),
                    fields: BTreeSet::new(),
                });
            }
            "parameter" | "field" => {
                let op = def
                    .operations
                    .last_mut()
                    .ok_or_else(|| at("a parameter or field before the first `operation`"))?;
                if keyword == "field" {
                    op.fields.insert(rest.to_owned());
                } else {
                    let (location, name) = rest
                        .split_once(' ')
                        .ok_or_else(|| at("expected `parameter <location> <name>`"))?;
                    op.parameters.insert((name.to_owned(), location.to_owned()));
                }
            }
            _ => return Err(at("unknown keyword")),
        }
    }
    for def in &defs {
        if def.origin.is_empty() || def.ours.is_empty() {
            return Err(format!(
                "{FACTS_PATH}: definition {} lacks its `origin` or `ours` line",
                def.file
            ));
        }
    }
    Ok(defs)
}

/// The reference folder: `--reference <dir>` or `../shared/reference` beside `root`.
pub fn reference_dir(root: &Path, given: Option<&str>) -> PathBuf {
    given.map_or_else(|| root.join(DEFAULT_REFERENCE), PathBuf::from)
}
