//! Checks that every object schema's properties become distinct Rust fields: typify names
//! a field by the snake case of its property, and two properties of one name (OnVideo's
//! `clientSecret` beside Meetings' `client_secret`, say) would give code that does not
//! compile.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

/// Fails with the schema and both property names on the first collision; the error is
/// `(component schema name, message)`.
pub fn check_field_names(openapi: &OpenAPI) -> Result<(), (String, String)> {
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
