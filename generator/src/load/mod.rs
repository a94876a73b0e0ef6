//! Stage 1, loading a spec: YAML with positions (syntax errors and duplicate keys are
//! reported with their line), then the generator's contract ([`contract`]), then the
//! lookups every later stage uses: the operations in document order and the line of a key
//! or an operation.

mod contract;

use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr};

use crate::Error;

/// One spec, loaded and checked.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The YAML text as read.
    pub text: String,
    /// The parsed document.
    pub openapi: OpenAPI,
}

/// One operation of a spec, in document order.
#[derive(Debug, Clone)]
pub struct OperationRef<'a> {
    /// The path key, as written in the spec.
    pub path: &'a str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The operation itself.
    pub operation: &'a openapiv3::Operation,
    /// The parameters declared on its path item (shared by the path's operations).
    pub path_parameters: &'a [ReferenceOr<openapiv3::Parameter>],
}

/// Reads `path` and checks it against the generator's contract.
pub fn load_spec(path: &Path) -> Result<Spec, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::file(path, format!("cannot read the spec: {e}")))?;
    parse_spec(path, &text)
}

/// Parses `text` (the contents of `path`) and checks it against the generator's contract.
pub fn parse_spec(path: &Path, text: &str) -> Result<Spec, Error> {
    // A generic YAML value first: it reports syntax errors and duplicate keys with their
    // position. (Deserializing straight into `OpenAPI` lets a duplicate path key win
    // silently, and a duplicate method key panics inside openapiv3.)
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| yaml_error(path, text, &e))?;
    contract::check_document(path, text, &value)?;

    let openapi: OpenAPI = serde_yaml::from_str(text).map_err(|e| yaml_error(path, text, &e))?;
    contract::check(path, text, &openapi)?;
    Ok(Spec {
        text: text.to_owned(),
        openapi,
    })
}

fn yaml_error(path: &Path, text: &str, e: &serde_yaml::Error) -> Error {
    let (mut line, mut column) = e
        .location()
        .map(|l| (Some(l.line()), Some(l.column())))
        .unwrap_or((None, None));
    let mut message = e.to_string();
    // The position goes in front, as everywhere else; not twice.
    if let Some(i) = message.find(" at line ")
        && !message[i..].contains(", while")
    {
        message.truncate(i);
    }
    // serde_yaml places a duplicate key at its mapping; point at the duplicate itself.
    if let (Some(key), Some(start)) = (duplicate_key(&message), line)
        && let Some(dup) = find_duplicate_line(text, start, &key)
    {
        line = Some(dup);
        column = None;
    }
    Error::file(path, format!("invalid spec: {message}")).at(line, column)
}

fn duplicate_key(message: &str) -> Option<String> {
    let rest = &message[message.find("duplicate entry with key \"")? + 26..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// The second line, from `start` on, that holds mapping key `key` at the indentation of
/// the first one.
fn find_duplicate_line(text: &str, start: usize, key: &str) -> Option<usize> {
    let is_key = |line: &str| {
        let t = line.trim_start();
        [
            format!("{key}:"),
            format!("'{key}':"),
            format!("\"{key}\":"),
        ]
        .iter()
        .any(|k| t.starts_with(k.as_str()))
    };
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut hits = text
        .lines()
        .enumerate()
        .skip(start.saturating_sub(1))
        .filter(|(_, l)| is_key(l));
    let (_, first) = hits.next()?;
    let width = indent(first);
    hits.find(|(_, l)| indent(l) == width).map(|(i, _)| i + 1)
}

/// The operations of `openapi`, in document order. Path items that are `$ref`s are skipped
/// (the contract check rejects them).
pub fn operations(openapi: &OpenAPI) -> Vec<OperationRef<'_>> {
    let mut out = Vec::new();
    for (path, item) in openapi.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            out.push(OperationRef {
                path,
                method: method_name(method),
                operation,
                path_parameters: &item.parameters,
            });
        }
    }
    out
}

fn method_name(m: &str) -> &'static str {
    match m {
        "get" => "GET",
        "put" => "PUT",
        "post" => "POST",
        "delete" => "DELETE",
        "options" => "OPTIONS",
        "head" => "HEAD",
        "patch" => "PATCH",
        _ => "TRACE",
    }
}

/// The extension that marks a POST or PATCH as safe to send again after a 502, 503 or 504
/// (GET, PUT, DELETE, HEAD, OPTIONS and TRACE always are).
pub const RETRY_SAFE_EXTENSION: &str = "x-retry-safe";

/// Whether the client sends a request with this (upper-case) method again after a 502, 503
/// or 504 whatever the spec says: every method but POST and PATCH (the runtime's
/// `oauth_client_runtime::retry::is_idempotent`).
pub fn always_sent_again(method: &str) -> bool {
    !matches!(method, "POST" | "PATCH")
}

/// Whether the operation is marked `x-retry-safe: true`.
pub fn is_retry_safe(operation: &openapiv3::Operation) -> bool {
    operation
        .extensions
        .get(RETRY_SAFE_EXTENSION)
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// The 1-based line of the first mapping key `key` (bare or quoted) in `text`.
pub fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let t = line.trim_start().trim_start_matches("- ");
            [
                format!("{key}:"),
                format!("'{key}':"),
                format!("\"{key}\":"),
            ]
            .iter()
            .any(|k| t.starts_with(k.as_str()))
        })
        .map(|i| i + 1)
}

/// The 1-based line of the `nth` (1-based) `operationId: <id>` in `text`.
pub fn find_operation_line(text: &str, id: &str, nth: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            line.trim_start()
                .strip_prefix("operationId:")
                .is_some_and(|v| v.trim().trim_matches(['\'', '"']) == id)
        })
        .nth(nth.saturating_sub(1))
        .map(|(i, _)| i + 1)
}
