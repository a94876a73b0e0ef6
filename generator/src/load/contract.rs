//! The generator's contract: what a spec must be for the generator to take it. Every check
//! fails with an [`Error`] that names the file, the line and, where there is one, the
//! operation.
//!
//! Before the document is parsed (on the YAML value): an `openapi: 3.0.x` key, and path
//! keys that start with `/` (openapiv3 would drop any other, and its operations with it,
//! without a word). After: see [`check`].

use std::collections::BTreeMap;
use std::path::Path;

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

use super::{
    OperationRef, RETRY_SAFE_EXTENSION, always_sent_again, find_key_line, find_operation_line,
    operations,
};
use crate::Error;
use crate::passes::open_enums;

/// The checks on the YAML value, before openapiv3 reads it.
pub(crate) fn check_document(
    path: &Path,
    text: &str,
    value: &serde_yaml::Value,
) -> Result<(), Error> {
    // openapiv3 drops a path key that does not start with `/`, and its operations with it,
    // without a word: look at the keys before it does.
    if let Some(paths) = value.get("paths").and_then(|p| p.as_mapping()) {
        for key in paths.keys() {
            let key = key.as_str().unwrap_or_default();
            if !key.starts_with('/') {
                return Err(
                    Error::file(path, format!("path `{key}` must start with `/`"))
                        .at(find_key_line(text, key), None),
                );
            }
        }
    }

    let version = value
        .get("openapi")
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            Error::file(
                path,
                "not an OpenAPI 3.0 document: no `openapi: 3.0.x` version key (Swagger 2.0 is not supported)",
            )
        })?;
    if !is_openapi_30(version) {
        return Err(Error::file(
            path,
            format!("unsupported OpenAPI version `{version}`: the generator takes 3.0.x only"),
        )
        .at(find_key_line(text, "openapi"), None));
    }

    Ok(())
}

fn is_openapi_30(version: &str) -> bool {
    version
        .strip_prefix("3.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.chars().all(|c| c.is_ascii_digit()))
}

/// The checks on the parsed document: path items inline, a unique operationId on every
/// operation, `x-retry-safe` where it means something, defined security schemes, and
/// schemas that become compiling Rust (distinct field and variant names).
pub(crate) fn check(path: &Path, text: &str, openapi: &OpenAPI) -> Result<(), Error> {
    for (key, item) in openapi.paths.paths.iter() {
        if let ReferenceOr::Reference { reference } = item {
            return Err(Error::file(
                path,
                format!("path `{key}` is a `$ref` ({reference}); the generator needs the path item inline"),
            )
            .at(find_key_line(text, key), None));
        }
    }

    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for op in operations(openapi) {
        let Some(id) = op.operation.operation_id.as_deref() else {
            return Err(Error::file(
                path,
                format!("{} {} has no operationId (every operation needs one: it names the Rust method)", op.method, op.path),
            )
            .at(find_key_line(text, op.path), None));
        };
        check_retry_safe(path, text, &op, id)?;
        let count = seen.entry(id).or_insert(0);
        *count += 1;
        if *count > 1 {
            return Err(Error::file(
                path,
                format!(
                    "duplicate operationId (also on an earlier operation); {} {} needs its own",
                    op.method, op.path
                ),
            )
            .in_operation(id)
            .at(find_operation_line(text, id, *count), None));
        }
    }
    crate::security::check_schemes(path, text, openapi)?;
    // Schema-level problems name the schema; point at its line too.
    let in_schema = |(schema, message): (String, String)| {
        Error::file(path, message).at(find_key_line(text, &schema), None)
    };
    check_field_names(openapi).map_err(in_schema)?;
    open_enums::find(openapi).map_err(in_schema)?;
    Ok(())
}

/// `x-retry-safe` must be a boolean, and only where the method is not repeated anyway: on a
/// GET it would do nothing, and `false` there would read as if it stopped the retries.
fn check_retry_safe(path: &Path, text: &str, op: &OperationRef<'_>, id: &str) -> Result<(), Error> {
    let Some(value) = op.operation.extensions.get(RETRY_SAFE_EXTENSION) else {
        return Ok(());
    };
    let problem = if !value.is_boolean() {
        format!("`{RETRY_SAFE_EXTENSION}` must be `true` or `false`, not `{value}`")
    } else if always_sent_again(op.method) {
        format!(
            "`{RETRY_SAFE_EXTENSION}` is only for POST and PATCH; a {} is always sent again after a 502, 503 or 504",
            op.method
        )
    } else {
        return Ok(());
    };
    Err(Error::file(path, problem)
        .in_operation(id)
        .at(find_operation_line(text, id, 1), None))
}

// ---- field names ----
//
// typify names a field by the snake case of its property, and two properties of one name
// (OnVideo's `clientSecret` beside Meetings' `client_secret`, say) would give code that
// does not compile.

/// Fails with the schema and both property names on the first collision; the error is
/// `(component schema name, message)`.
fn check_field_names(openapi: &OpenAPI) -> Result<(), (String, String)> {
    let Some(components) = &openapi.components else {
        return Ok(());
    };
    for (name, schema) in &components.schemas {
        if let ReferenceOr::Item(schema) = schema {
            check_schema(name, schema).map_err(|m| (name.clone(), m))?;
        }
    }
    Ok(())
}

fn check_schema(context: &str, schema: &Schema) -> Result<(), String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for (property, value) in &object.properties {
                let field = property.to_snake_case();
                if let Some(other) = seen.insert(field.clone(), property) {
                    return Err(format!(
                        "schema `{context}`: properties `{other}` and `{property}` both become Rust field `{field}`; declare one of them"
                    ));
                }
                if let ReferenceOr::Item(inner) = value {
                    check_schema(&format!("{context}.{property}"), inner)?;
                }
            }
            Ok(())
        }
        SchemaKind::Type(Type::Array(array)) => match &array.items {
            Some(ReferenceOr::Item(items)) => check_schema(&format!("{context}[]"), items),
            _ => Ok(()),
        },
        SchemaKind::AllOf { all_of: list }
        | SchemaKind::OneOf { one_of: list }
        | SchemaKind::AnyOf { any_of: list } => {
            for item in list {
                if let ReferenceOr::Item(inner) = item {
                    check_schema(context, inner)?;
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
