//! Each rejection path of the generator: bad input gives an error that names the file, the
//! line (where there is one) and the operation (where there is one), and never a panic.

use std::path::{Path, PathBuf};

use generator::{APIS, Error};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs/bad")
        .join(name)
}

/// Loads and generates one fixture with the BlueJeans settings; returns the error.
#[track_caller]
fn rejection(name: &str) -> Error {
    let path = fixture(name);
    let result =
        generator::load_spec(&path).and_then(|spec| generator::generate(&path, &spec, &APIS[0]));
    match result {
        Ok(_) => panic!("{name} was accepted"),
        Err(e) => {
            assert_eq!(e.file, path, "the error names the spec file");
            let text = e.to_string();
            assert!(text.starts_with(&path.display().to_string()), "{text}");
            e
        }
    }
}

#[track_caller]
fn assert_rejected(name: &str, line: Option<usize>, operation: Option<&str>, message: &str) {
    let e = rejection(name);
    assert_eq!(e.line, line, "line of: {e}");
    assert_eq!(e.operation.as_deref(), operation, "operation of: {e}");
    assert!(e.message.contains(message), "expected `{message}` in: {e}");
}

#[test]
fn broken_yaml_names_line_and_column() {
    let e = rejection("broken-yaml.yaml");
    assert_eq!((e.line, e.column), (Some(8), Some(1)));
    assert!(
        e.message.contains("did not find expected ',' or ']'"),
        "{e}"
    );
}

#[test]
fn duplicate_key_points_at_the_duplicate() {
    assert_rejected(
        "duplicate-key.yaml",
        Some(12),
        None,
        "paths./x: duplicate entry with key \"get\"",
    );
}

#[test]
fn retry_safe_must_be_a_boolean() {
    assert_rejected(
        "retry-safe-not-boolean.yaml",
        Some(8),
        Some("createThing"),
        "`x-retry-safe` must be `true` or `false`, not `\"yes\"`",
    );
}

#[test]
fn retry_safe_only_where_it_changes_something() {
    assert_rejected(
        "retry-safe-on-get.yaml",
        Some(8),
        Some("listThings"),
        "`x-retry-safe` is only for POST and PATCH; a GET is always sent again",
    );
}

#[test]
fn missing_operation_id() {
    assert_rejected(
        "missing-operation-id.yaml",
        Some(6),
        None,
        "GET /things has no operationId",
    );
}

#[test]
fn duplicate_operation_id_names_the_second() {
    assert_rejected(
        "duplicate-operation-id.yaml",
        Some(14),
        Some("getThing"),
        "duplicate operationId",
    );
}

#[test]
fn openapi_31_is_refused() {
    assert_rejected(
        "openapi-31.yaml",
        Some(1),
        None,
        "unsupported OpenAPI version `3.1.0`: the generator takes 3.0.x only",
    );
}

#[test]
fn swagger_20_is_refused() {
    assert_rejected("swagger-20.yaml", None, None, "not an OpenAPI 3.0 document");
}

#[test]
fn wrong_shape_names_the_position() {
    let e = rejection("wrong-shape.yaml");
    assert!(e.line.is_some());
    assert!(
        e.message
            .contains("invalid type: integer `42`, expected struct Responses"),
        "{e}"
    );
}

#[test]
fn path_without_slash_is_not_dropped_silently() {
    assert_rejected(
        "path-without-slash.yaml",
        Some(6),
        None,
        "path `oauth2/token` must start with `/`",
    );
}

#[test]
fn progenitor_panic_becomes_an_error_naming_the_operation() {
    assert_rejected(
        "progenitor-panic.yaml",
        Some(15),
        Some("getThing"),
        "GET /thing: progenitor panicked on it: not yet implemented: media type encoding, no schema",
    );
    assert_rejected(
        "two-error-types.yaml",
        Some(9),
        Some("getThing"),
        "progenitor panicked on it: assertion failed: response_types.len() <= 1",
    );
}

#[test]
fn progenitor_error_names_the_operation() {
    assert_rejected(
        "progenitor-error.yaml",
        Some(9),
        Some("getThing"),
        "progenitor rejected it: unexpected or unhandled format in the OpenAPI document cookie parameters are not supported",
    );
}

#[test]
fn colliding_field_names_are_refused() {
    assert_rejected(
        "field-collision.yaml",
        Some(8),
        None,
        "properties `client_secret` and `clientSecret` both become Rust field `client_secret`",
    );
}

#[test]
fn colliding_enum_variants_are_refused() {
    assert_rejected(
        "enum-variant-collision.yaml",
        Some(8),
        None,
        "enum values `in-progress` and `in_progress` both become variant `InProgress`",
    );
}

#[test]
fn unreadable_file() {
    let e = generator::load_spec(&fixture("no-such-file.yaml")).unwrap_err();
    assert!(e.message.starts_with("cannot read the spec"), "{e}");
}

#[test]
fn undefined_security_scheme_names_the_operation() {
    assert_rejected(
        "security-undefined-scheme.yaml",
        Some(8),
        Some("listThings"),
        "`security` names the undefined security scheme `oauth`",
    );
}
