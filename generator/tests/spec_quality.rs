//! What reviewers rely on in every spec/*.yaml: each operation documented, each body with
//! an example, and every credential marked `format: password` (which makes it a `Secret`
//! that never shows in `Debug` or logs).

use std::path::{Path, PathBuf};

use openapiv3::{MediaType, OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind, Type};

/// Property and parameter names that hold a credential in these APIs.
const CREDENTIAL_NAMES: &[&str] = &[
    "password",
    "meetingPasscode",
    "client_secret",
    "clientSecret",
    "secret",
    "access_token",
    "refresh_token",
];

/// Credentials whose name alone is ambiguous (`ErrorBody.code` is an error code).
const CREDENTIAL_FIELDS: &[&str] = &["GrantRequestCode.code"];

fn is_credential(schema: &str, name: &str) -> bool {
    CREDENTIAL_NAMES.contains(&name)
        || CREDENTIAL_FIELDS.contains(&format!("{schema}.{name}").as_str())
}

fn is_password(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s))
        if s.format == openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password))
}

fn specs() -> Vec<(PathBuf, OpenAPI)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root")
        .to_path_buf();
    generator::APIS
        .iter()
        .map(|api| {
            let path = root.join(api.spec);
            let spec = generator::load_spec(&path).unwrap_or_else(|e| panic!("{e}"));
            (path, spec.openapi)
        })
        .collect()
}

fn has_example(media: &MediaType) -> bool {
    media.example.is_some() || !media.examples.is_empty()
}

#[test]
fn every_operation_has_summary_description_and_examples() {
    let mut problems = Vec::new();
    for (path, spec) in specs() {
        for op in generator::operations(&spec) {
            let id = op.operation.operation_id.clone().unwrap_or_default();
            let at = format!("{}: {id}", path.display());
            if op.operation.summary.as_deref().is_none_or(str::is_empty) {
                problems.push(format!("{at}: no summary"));
            }
            if op
                .operation
                .description
                .as_deref()
                .is_none_or(str::is_empty)
            {
                problems.push(format!("{at}: no description"));
            }
            if let Some(body) = &op.operation.request_body {
                let body = match body {
                    ReferenceOr::Item(b) => Some(b),
                    ReferenceOr::Reference { reference } => spec
                        .components
                        .as_ref()
                        .and_then(|c| {
                            c.request_bodies
                                .get(reference.trim_start_matches("#/components/requestBodies/"))
                        })
                        .and_then(|b| b.as_item()),
                };
                for (media_type, media) in body.iter().flat_map(|b| b.content.iter()) {
                    if !has_example(media) {
                        problems.push(format!("{at}: request body {media_type} has no example"));
                    }
                }
            }
            for (status, response) in &op.operation.responses.responses {
                let response = match response {
                    ReferenceOr::Item(r) => Some(r),
                    ReferenceOr::Reference { reference } => spec
                        .components
                        .as_ref()
                        .and_then(|c| {
                            c.responses
                                .get(reference.trim_start_matches("#/components/responses/"))
                        })
                        .and_then(|r| r.as_item()),
                };
                let Some(response) = response else {
                    problems.push(format!("{at}: response {status} does not resolve"));
                    continue;
                };
                for (media_type, media) in &response.content {
                    if !has_example(media) {
                        problems.push(format!(
                            "{at}: response {status} {media_type} has no example"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Checks the properties of `schema` (named `name` in the spec); returns how many
/// credentials it holds.
fn check_schema(at: &str, name: &str, schema: &Schema, problems: &mut Vec<String>) -> usize {
    let mut seen = 0;
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            for (field, property) in &object.properties {
                let ReferenceOr::Item(property) = property else {
                    continue;
                };
                if is_credential(name, field) {
                    seen += 1;
                    if !is_password(property) {
                        problems.push(format!("{at}: {name}.{field}: a credential, but not `type: string, format: password`"));
                    }
                }
                seen += check_schema(at, &format!("{name}.{field}"), property, problems);
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(ReferenceOr::Item(items)) = &array.items {
                seen += check_schema(at, name, items, problems);
            }
        }
        SchemaKind::AllOf { all_of: list }
        | SchemaKind::OneOf { one_of: list }
        | SchemaKind::AnyOf { any_of: list } => {
            for item in list {
                if let ReferenceOr::Item(item) = item {
                    seen += check_schema(at, name, item, problems);
                }
            }
        }
        _ => {}
    }
    seen
}

#[test]
fn every_credential_is_format_password() {
    let mut problems = Vec::new();
    let mut credentials_seen = 0;
    for (path, spec) in specs() {
        let at = path.display().to_string();
        for (name, schema) in spec.components.iter().flat_map(|c| c.schemas.iter()) {
            if let ReferenceOr::Item(schema) = schema {
                credentials_seen += check_schema(&at, name, schema, &mut problems);
            }
        }
        for op in generator::operations(&spec) {
            for parameter in &op.operation.parameters {
                let ReferenceOr::Item(parameter) = parameter else {
                    continue;
                };
                let data = match parameter {
                    Parameter::Query { parameter_data, .. }
                    | Parameter::Header { parameter_data, .. }
                    | Parameter::Path { parameter_data, .. }
                    | Parameter::Cookie { parameter_data, .. } => parameter_data,
                };
                if CREDENTIAL_NAMES.contains(&data.name.as_str()) {
                    credentials_seen += 1;
                    let ok = matches!(&data.format, openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) if is_password(s));
                    if !ok {
                        problems.push(format!(
                            "{at}: parameter `{}`: a credential, but not format password",
                            data.name
                        ));
                    }
                }
            }
        }
    }
    // password, meetingPasscode, code, client_secret ×4 (+1), secret, tokens in five grants…
    assert!(
        credentials_seen >= 20,
        "only {credentials_seen} credentials found"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
