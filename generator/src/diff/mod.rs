//! Comparing two versions of a spec: which changes break users of the generated client and
//! which do not.
//!
//! The rules read a change from the client's side of the wire. A schema reached from a
//! request is something the client sends: narrowing it (a new required field, a tighter
//! limit, a removed enum value) breaks callers. A schema reached from a response is
//! something the client receives: losing a field or widening a type breaks it. A component
//! schema used on both sides, or on neither, gets the stricter of the two rules.
//!
//! - `operations`: operations matched by route or operationId, their parameters, bodies
//!   and responses;
//! - `schema_view`: one view of a schema whatever way openapiv3 parsed it, and `$ref`s
//!   followed;
//! - `schema_rules`: what a change of a schema means, by side of the wire;
//! - `markdown`: the report for a pull request.
//!
//! [`diff_specs`] is pure; `cargo xtask diff` adds git and exit codes.

mod markdown;
mod operations;
mod schema_rules;
mod schema_view;

use std::collections::BTreeSet;

use openapiv3::OpenAPI;

pub use markdown::render_markdown;
use schema_rules::Side;

/// Whether a change breaks existing users of the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Existing callers may stop compiling or working.
    Breaking,
    /// Existing callers keep working.
    Compatible,
}

/// One difference between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    /// Breaking or compatible.
    pub kind: ChangeKind,
    /// Where: an operation (`getClient (GET /clients/{id})`, with `parameter`, `request body`
    /// or `response 200`), or a component schema (`schema Client`), then ` field a.b[]` for
    /// a nested schema.
    pub location: String,
    /// What changed, in words.
    pub message: String,
}

/// The walk over two versions of a spec, and the changes found so far.
struct Differ<'a> {
    old: &'a OpenAPI,
    new: &'a OpenAPI,
    changes: Vec<Change>,
    /// Pairs of component schemas already compared on a side (recursion guard).
    seen: BTreeSet<(String, String, Side)>,
    /// Component schemas compared by name at least once.
    reached: BTreeSet<String>,
}

/// Compares two versions of a spec. The changes come in document order, operations first,
/// then component schemas; each change is reported once.
pub fn diff_specs(old: &OpenAPI, new: &OpenAPI) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        changes: Vec::new(),
        seen: BTreeSet::new(),
        reached: BTreeSet::new(),
    };
    d.operations();
    d.components();
    let mut unique = BTreeSet::new();
    d.changes.retain(|c| unique.insert(c.clone()));
    d.changes
}

/// The spec that is not there (absent at a git revision, or deleted): comparing with it
/// reports every operation and schema of the other side as added or removed.
pub fn absent_spec() -> OpenAPI {
    OpenAPI::default()
}

impl Differ<'_> {
    fn push(&mut self, kind: ChangeKind, location: &str, message: impl Into<String>) {
        self.changes.push(Change {
            kind,
            location: location.to_owned(),
            message: message.into(),
        });
    }
}

/// True when any change breaks.
pub fn has_breaking(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.kind == ChangeKind::Breaking)
}
