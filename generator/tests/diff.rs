//! The spec diff (`generator::diff`): one case per rule, each a pair of tiny specs under
//! `tests/specs/diff/<case>/{old,new}.yaml`, and the markdown report. (The command around
//! it, with git and exit codes, is tested in `xtask/src/diff.rs`.)

use std::path::{Path, PathBuf};

use generator::diff::{Change, ChangeKind, diff_specs, has_breaking, render_markdown};
use generator::load_spec;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/diff")
}

fn load(path: &Path) -> openapiv3::OpenAPI {
    load_spec(path).unwrap_or_else(|e| panic!("{e}")).openapi
}

fn diff_case(case: &str) -> Vec<Change> {
    let dir = fixtures().join(case);
    diff_specs(&load(&dir.join("old.yaml")), &load(&dir.join("new.yaml")))
}

/// Asserts that `case` reports a change of `kind` whose message contains `message` (and,
/// when given, whose location contains `location`).
fn assert_change(case: &str, kind: ChangeKind, location: &str, message: &str) {
    let changes = diff_case(case);
    assert!(
        changes.iter().any(|c| c.kind == kind
            && c.message.contains(message)
            && c.location.contains(location)),
        "{case}: expected a {kind:?} change at `{location}` saying `{message}`, got:\n{changes:#?}"
    );
}

#[test]
fn unchanged_spec_has_no_changes_even_with_a_self_referencing_schema() {
    let base = fixtures().join("compatible/old.yaml");
    assert_eq!(diff_specs(&load(&base), &load(&base)), Vec::new());
}

#[test]
fn operation_removed_is_breaking() {
    assert_change(
        "operation_removed",
        ChangeKind::Breaking,
        "createThing (POST /things)",
        "operation removed",
    );
}

#[test]
fn operation_renamed_is_breaking() {
    assert_change(
        "operation_renamed",
        ChangeKind::Breaking,
        "getThing",
        "operationId `getThing` is now `fetchThing`",
    );
    // Not also reported as a removal plus an addition.
    let changes = diff_case("operation_renamed");
    assert!(
        !changes
            .iter()
            .any(|c| c.message.contains("operation removed")),
        "{changes:#?}"
    );
    assert!(
        !changes
            .iter()
            .any(|c| c.message.contains("operation added")),
        "{changes:#?}"
    );
}

#[test]
fn path_changed_is_breaking() {
    assert_change(
        "path_changed",
        ChangeKind::Breaking,
        "createThing",
        "path changed from `/things` to `/items`",
    );
}

#[test]
fn method_changed_is_breaking() {
    assert_change(
        "method_changed",
        ChangeKind::Breaking,
        "createThing",
        "method changed from POST to PUT",
    );
}

#[test]
fn required_parameter_added_is_breaking() {
    assert_change(
        "required_param_added",
        ChangeKind::Breaking,
        "getThing",
        "required parameter `verbose` (query) added",
    );
}

#[test]
fn optional_parameter_made_required_is_breaking() {
    assert_change(
        "param_made_required",
        ChangeKind::Breaking,
        "getThing",
        "parameter `q` (query) made required",
    );
}

#[test]
fn required_request_field_added_is_breaking() {
    assert_change(
        "required_field_added",
        ChangeKind::Breaking,
        "schema NewThing",
        "required field `owner` added",
    );
}

#[test]
fn optional_request_field_made_required_is_breaking() {
    assert_change(
        "field_made_required",
        ChangeKind::Breaking,
        "schema NewThing",
        "field `note` made required",
    );
}

#[test]
fn response_field_removed_is_breaking() {
    assert_change(
        "response_field_removed",
        ChangeKind::Breaking,
        "schema Thing",
        "field `count` removed",
    );
}

#[test]
fn type_changed_is_breaking() {
    assert_change(
        "type_changed",
        ChangeKind::Breaking,
        "schema Thing field id",
        "type changed from `string` to `integer`",
    );
}

#[test]
fn format_narrowed_is_breaking() {
    assert_change(
        "format_narrowed",
        ChangeKind::Breaking,
        "schema Thing field count",
        "type narrowed: format changed from `int64` to `int32`",
    );
}

#[test]
fn enum_value_removed_from_a_request_is_breaking() {
    assert_change(
        "request_enum_value_removed",
        ChangeKind::Breaking,
        "schema NewThing field size",
        "enum value `large` removed",
    );
}

#[test]
fn enum_value_removed_from_a_response_is_breaking() {
    assert_change(
        "response_enum_value_removed",
        ChangeKind::Breaking,
        "schema Color",
        "enum value `green` removed",
    );
}

#[test]
fn max_length_tightened_in_a_request_is_breaking() {
    assert_change(
        "max_length_tightened",
        ChangeKind::Breaking,
        "schema NewThing field name",
        "maxLength tightened",
    );
}

#[test]
fn additions_and_doc_changes_are_compatible() {
    let changes = diff_case("compatible");
    assert!(!has_breaking(&changes), "{changes:#?}");
    for (location, message) in [
        ("getHealth (GET /health)", "operation added"),
        ("getThing", "optional parameter `verbose` (query) added"),
        ("schema NewThing", "optional field `tags` added"),
        ("schema Thing", "optional field `createdAt` added"),
        ("schema Color", "enum value `blue` added"),
        ("getThing", "summary changed"),
        ("getThing", "description changed"),
        ("schema NewThing field note", "example changed"),
        (
            "createThing",
            "now `x-retry-safe`: sent again after a 502, 503 or 504",
        ),
    ] {
        assert!(
            changes.iter().any(|c| c.kind == ChangeKind::Compatible
                && c.location.contains(location)
                && c.message.contains(message)),
            "expected a compatible change at `{location}` saying `{message}`, got:\n{changes:#?}"
        );
    }
}

#[test]
fn dropping_x_retry_safe_is_reported() {
    let dir = fixtures().join("compatible");
    let changes = diff_specs(&load(&dir.join("new.yaml")), &load(&dir.join("old.yaml")));
    assert!(
        changes.iter().any(|c| c.location.contains("createThing")
            && c.message == "no longer `x-retry-safe`: not sent again after a 502, 503 or 504"),
        "{changes:#?}"
    );
}

#[test]
fn mutually_recursive_schemas_terminate() {
    let spec = |extra: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      \
             responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              \
             schema: {{$ref: '#/components/schemas/A'}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      \
             properties:\n        b: {{$ref: '#/components/schemas/B'}}\n    B:\n      type: object\n      properties:\n        \
             a: {{$ref: '#/components/schemas/A'}}\n        list: {{type: array, items: {{$ref: '#/components/schemas/B'}}}}\n{extra}"
        )
    };
    let old =
        generator::parse_spec(Path::new("old.yaml"), &spec("")).unwrap_or_else(|e| panic!("{e}"));
    let new = generator::parse_spec(Path::new("new.yaml"), &spec("        x: {type: string}\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    let changes = diff_specs(&old.openapi, &new.openapi);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].kind, ChangeKind::Compatible);
    assert!(
        changes[0].message.contains("optional field `x` added"),
        "{changes:#?}"
    );
}

#[test]
fn spec_absent_before_means_every_operation_added() {
    let new = load(&fixtures().join("compatible/old.yaml"));
    let changes = diff_specs(&openapiv3::OpenAPI::default(), &new);
    assert!(!has_breaking(&changes), "{changes:#?}");
    assert!(
        changes
            .iter()
            .any(|c| c.location.contains("getThing") && c.message == "operation added")
    );
    assert!(
        changes
            .iter()
            .any(|c| c.location.contains("createThing") && c.message == "operation added")
    );
}

#[test]
fn markdown_has_a_heading_and_both_lists() {
    let md = render_markdown("things", &diff_case("response_field_removed"));
    assert!(md.starts_with("## things\n"), "{md}");
    assert!(md.contains("### Breaking\n"), "{md}");
    assert!(
        md.contains("- `schema Thing`: field `count` removed"),
        "{md}"
    );
    assert!(md.contains("### Compatible\n\n- none\n"), "{md}");
    assert!(render_markdown("things", &[]).contains("No changes."));
}

#[test]
fn security_requirement_change_is_reported() {
    assert_change(
        "security_changed",
        ChangeKind::Compatible,
        "getToken",
        "security requirement changed from `bearer` to `none`",
    );
    assert_change(
        "security_changed",
        ChangeKind::Compatible,
        "listThings",
        "security requirement changed from `bearer` to `bearer or key`",
    );
    // An unchanged requirement, inherited or own, is not reported.
    let changes = diff_case("compatible");
    assert!(
        !changes.iter().any(|c| c.message.contains("security")),
        "{changes:#?}"
    );
}
