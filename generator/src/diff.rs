//! Comparing two versions of a spec: which changes break users of the generated client and
//! which do not.
//!
//! The rules read a change from the client's side of the wire. A schema reached from a
//! request is something the client sends: narrowing it (a new required field, a tighter
//! limit, a removed enum value) breaks callers. A schema reached from a response is
//! something the client receives: losing a field or widening a type breaks it. A component
//! schema used on both sides, or on neither, gets the stricter of the two rules.
//!
//! [`diff_specs`] is pure; [`run_cli`] is `cargo xtask diff` (git, exit codes) as a function.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use openapiv3::{
    AdditionalProperties, Content, MediaType, OpenAPI, Operation, Parameter,
    ParameterSchemaOrContent, ReferenceOr, RequestBody, Response, Schema, SchemaKind, StatusCode,
    Type,
};

use crate::{ApiConfig, load_spec, parse_spec};

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

/// Which side of the wire a schema is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Dir {
    /// The client sends it.
    Request,
    /// The client receives it.
    Response,
    /// Both, or unknown (a component schema no operation uses): the stricter rule.
    Both,
}

impl Dir {
    fn kind(self, breaks_request: bool, breaks_response: bool) -> ChangeKind {
        let breaks = match self {
            Dir::Request => breaks_request,
            Dir::Response => breaks_response,
            Dir::Both => breaks_request || breaks_response,
        };
        if breaks {
            ChangeKind::Breaking
        } else {
            ChangeKind::Compatible
        }
    }

    fn note(self) -> &'static str {
        match self {
            Dir::Request => " (sent in requests)",
            Dir::Response => " (received in responses)",
            Dir::Both => "",
        }
    }
}

/// A schema or a reference to one, whatever box it came in.
#[derive(Clone, Copy)]
enum SRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Item(s),
        }
    }
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";
/// Longest chain of `$ref` → `$ref` followed, and deepest inline nesting compared.
const MAX_DEPTH: usize = 64;

/// Follows `$ref`s to a component schema. Returns the name of the last component reached
/// (if any) and the schema, or the unresolvable reference.
fn resolve<'s>(
    api: &'s OpenAPI,
    mut r: SRef<'s>,
) -> Result<(Option<&'s str>, &'s Schema), &'s str> {
    let mut name = None;
    for _ in 0..MAX_DEPTH {
        match r {
            SRef::Item(s) => return Ok((name, s)),
            SRef::Ref(reference) => {
                let n = reference.strip_prefix(SCHEMA_PREFIX).ok_or(reference)?;
                let target = api
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(n))
                    .ok_or(reference)?;
                name = Some(n);
                r = SRef::from(target);
            }
        }
    }
    match r {
        SRef::Item(s) => Ok((name, s)),
        SRef::Ref(reference) => Err(reference),
    }
}

fn resolve_generic<'s, T>(
    r: &'s ReferenceOr<T>,
    prefix: &str,
    lookup: impl Fn(&str) -> Option<&'s ReferenceOr<T>>,
) -> Option<&'s T> {
    let mut r = r;
    for _ in 0..MAX_DEPTH {
        match r {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => {
                r = lookup(reference.strip_prefix(prefix)?)?;
            }
        }
    }
    None
}

/// A uniform view of the parts of a schema the rules look at, whether openapiv3 parsed it as
/// a typed schema or as its catch-all.
#[derive(Default)]
struct View<'s> {
    ty: Option<String>,
    format: Option<String>,
    enumeration: Option<Vec<String>>,
    properties: Vec<(&'s str, SRef<'s>)>,
    required: Vec<&'s str>,
    items: Option<SRef<'s>>,
    additional: Option<SRef<'s>>,
    members: Vec<SRef<'s>>,
    limits: Vec<(&'static str, Option<f64>)>,
}

fn format_of<T: std::fmt::Debug>(
    f: &openapiv3::VariantOrUnknownOrEmpty<T>,
    names: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(t) => Some(names(t).to_owned()),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn enum_values<T>(values: &[Option<T>], show: impl Fn(&T) -> String) -> Option<Vec<String>> {
    if values.is_empty() {
        return None;
    }
    Some(
        values
            .iter()
            .map(|v| v.as_ref().map_or_else(|| "null".to_owned(), &show))
            .collect(),
    )
}

fn as_f64(n: Option<usize>) -> Option<f64> {
    n.map(|n| n as f64)
}

fn int_f64(n: Option<i64>) -> Option<f64> {
    n.map(|n| n as f64)
}

fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.ty = Some("string".into());
            v.format = format_of(&s.format, |f| match f {
                openapiv3::StringFormat::Date => "date",
                openapiv3::StringFormat::DateTime => "date-time",
                openapiv3::StringFormat::Password => "password",
                openapiv3::StringFormat::Byte => "byte",
                openapiv3::StringFormat::Binary => "binary",
            });
            v.enumeration = enum_values(&s.enumeration, Clone::clone);
            v.limits = vec![
                ("maxLength", as_f64(s.max_length)),
                ("minLength", as_f64(s.min_length)),
            ];
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.ty = Some("integer".into());
            v.format = format_of(&i.format, |f| match f {
                openapiv3::IntegerFormat::Int32 => "int32",
                openapiv3::IntegerFormat::Int64 => "int64",
            });
            v.enumeration = enum_values(&i.enumeration, ToString::to_string);
            v.limits = vec![
                ("maximum", int_f64(i.maximum)),
                ("minimum", int_f64(i.minimum)),
            ];
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.ty = Some("number".into());
            v.format = format_of(&n.format, |f| match f {
                openapiv3::NumberFormat::Float => "float",
                openapiv3::NumberFormat::Double => "double",
            });
            v.enumeration = enum_values(&n.enumeration, ToString::to_string);
            v.limits = vec![("maximum", n.maximum), ("minimum", n.minimum)];
        }
        SchemaKind::Type(Type::Boolean(b)) => {
            v.ty = Some("boolean".into());
            v.enumeration = enum_values(&b.enumeration, ToString::to_string);
        }
        SchemaKind::Type(Type::Object(o)) => {
            v.ty = Some("object".into());
            v.properties = o
                .properties
                .iter()
                .map(|(k, s)| (k.as_str(), SRef::from(s)))
                .collect();
            v.required = o.required.iter().map(String::as_str).collect();
            v.additional = additional(o.additional_properties.as_ref());
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.ty = Some("array".into());
            v.items = a.items.as_ref().map(SRef::from);
            v.limits = vec![
                ("maxItems", as_f64(a.max_items)),
                ("minItems", as_f64(a.min_items)),
            ];
        }
        SchemaKind::OneOf { one_of } => {
            v.ty = Some("oneOf".into());
            v.members = one_of.iter().map(SRef::from).collect();
        }
        SchemaKind::AllOf { all_of } => {
            v.ty = Some("allOf".into());
            v.members = all_of.iter().map(SRef::from).collect();
        }
        SchemaKind::AnyOf { any_of } => {
            v.ty = Some("anyOf".into());
            v.members = any_of.iter().map(SRef::from).collect();
        }
        SchemaKind::Not { .. } => v.ty = Some("not".into()),
        SchemaKind::Any(a) => {
            v.ty = if !a.one_of.is_empty() {
                v.members = a.one_of.iter().map(SRef::from).collect();
                Some("oneOf".into())
            } else if !a.all_of.is_empty() {
                v.members = a.all_of.iter().map(SRef::from).collect();
                Some("allOf".into())
            } else if !a.any_of.is_empty() {
                v.members = a.any_of.iter().map(SRef::from).collect();
                Some("anyOf".into())
            } else if a.typ.is_none()
                && (!a.properties.is_empty() || a.additional_properties.is_some())
            {
                Some("object".into())
            } else if a.typ.is_none() && a.items.is_some() {
                Some("array".into())
            } else {
                a.typ.clone()
            };
            v.format = a.format.clone();
            if !a.enumeration.is_empty() {
                v.enumeration = Some(
                    a.enumeration
                        .iter()
                        .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_owned))
                        .collect(),
                );
            }
            v.properties = a
                .properties
                .iter()
                .map(|(k, s)| (k.as_str(), SRef::from(s)))
                .collect();
            v.required = a.required.iter().map(String::as_str).collect();
            v.items = a.items.as_ref().map(SRef::from);
            v.additional = additional(a.additional_properties.as_ref());
            v.limits = vec![
                ("maxLength", as_f64(a.max_length)),
                ("minLength", as_f64(a.min_length)),
                ("maximum", a.maximum),
                ("minimum", a.minimum),
                ("maxItems", as_f64(a.max_items)),
                ("minItems", as_f64(a.min_items)),
            ];
        }
    }
    v
}

fn additional(a: Option<&AdditionalProperties>) -> Option<SRef<'_>> {
    match a {
        Some(AdditionalProperties::Schema(s)) => Some(SRef::from(s.as_ref())),
        _ => None,
    }
}

/// How wide a numeric format is; a missing format is as wide as the generator makes it
/// (`i64`, `f64`).
fn numeric_rank(ty: &str, format: Option<&str>) -> Option<u8> {
    match (ty, format) {
        ("integer", Some("int8" | "uint8")) => Some(1),
        ("integer", Some("int16" | "uint16")) => Some(2),
        ("integer", Some("int32" | "uint32")) => Some(3),
        ("integer", Some("int64" | "uint64") | None) => Some(4),
        ("number", Some("float")) => Some(1),
        ("number", Some("double") | None) => Some(2),
        _ => None,
    }
}

fn show_format(f: Option<&str>) -> String {
    f.map_or_else(|| "none".to_owned(), |f| format!("`{f}`"))
}

fn show_limit(n: f64) -> String {
    format!("{n}")
}

struct Differ<'a> {
    old: &'a OpenAPI,
    new: &'a OpenAPI,
    changes: Vec<Change>,
    /// Pairs of component schemas already compared in a direction (recursion guard).
    seen: BTreeSet<(String, String, Dir)>,
    /// Component schemas compared by name at least once.
    reached: BTreeSet<String>,
}

/// One operation with the parameters of its path item.
struct Op<'a> {
    method: &'static str,
    path: &'a str,
    id: String,
    operation: &'a Operation,
    path_parameters: &'a [ReferenceOr<Parameter>],
}

impl Op<'_> {
    fn location(&self) -> String {
        format!("{} ({} {})", self.id, self.method, self.path)
    }
}

fn ops(api: &OpenAPI) -> Vec<Op<'_>> {
    crate::operations(api)
        .into_iter()
        .map(|op| Op {
            method: op.method,
            path: op.path,
            id: op
                .operation
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{} {}", op.method, op.path)),
            operation: op.operation,
            path_parameters: op.path_parameters,
        })
        .collect()
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

impl Differ<'_> {
    fn push(&mut self, kind: ChangeKind, location: &str, message: impl Into<String>) {
        self.changes.push(Change {
            kind,
            location: location.to_owned(),
            message: message.into(),
        });
    }

    fn operations(&mut self) {
        let old_ops = ops(self.old);
        let new_ops = ops(self.new);
        let new_by_route: BTreeMap<(&str, &str), usize> = new_ops
            .iter()
            .enumerate()
            .map(|(i, o)| ((o.method, o.path), i))
            .collect();
        let old_routes: BTreeSet<(&str, &str)> =
            old_ops.iter().map(|o| (o.method, o.path)).collect();
        let new_by_id: BTreeMap<&str, usize> = new_ops
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.as_str(), i))
            .collect();
        let mut matched = BTreeSet::new();

        for o in &old_ops {
            let loc = o.location();
            if let Some(&i) = new_by_route.get(&(o.method, o.path)) {
                let n = &new_ops[i];
                matched.insert(i);
                if n.id != o.id {
                    self.push(
                        ChangeKind::Breaking,
                        &loc,
                        format!(
                            "operation renamed: operationId `{}` is now `{}` (its Rust method is renamed)",
                            o.id, n.id
                        ),
                    );
                }
                self.operation(&loc, o, n);
            } else if let Some(&i) = new_by_id
                .get(o.id.as_str())
                .filter(|&&i| !old_routes.contains(&(new_ops[i].method, new_ops[i].path)))
            {
                let n = &new_ops[i];
                matched.insert(i);
                let what = if n.path == o.path {
                    format!("method changed from {} to {}", o.method, n.method)
                } else if n.method == o.method {
                    format!("path changed from `{}` to `{}`", o.path, n.path)
                } else {
                    format!(
                        "method and path changed from `{} {}` to `{} {}`",
                        o.method, o.path, n.method, n.path
                    )
                };
                self.push(
                    ChangeKind::Breaking,
                    &loc,
                    format!("operation moved: {what}"),
                );
                self.operation(&loc, o, n);
            } else {
                self.push(ChangeKind::Breaking, &loc, "operation removed");
            }
        }
        for (i, n) in new_ops.iter().enumerate() {
            if !matched.contains(&i) {
                self.push(ChangeKind::Compatible, &n.location(), "operation added");
            }
        }
    }

    fn operation(&mut self, loc: &str, o: &Op<'_>, n: &Op<'_>) {
        if o.operation.summary != n.operation.summary {
            self.push(ChangeKind::Compatible, loc, "summary changed");
        }
        if o.operation.description != n.operation.description {
            self.push(ChangeKind::Compatible, loc, "description changed");
        }
        if !o.operation.deprecated && n.operation.deprecated {
            self.push(ChangeKind::Compatible, loc, "operation deprecated");
        }
        // Callers compile and work either way, but a reviewer must see when the client
        // starts or stops sending a POST twice.
        match (
            crate::is_retry_safe(o.operation),
            crate::is_retry_safe(n.operation),
        ) {
            (false, true) => self.push(
                ChangeKind::Compatible,
                loc,
                "now `x-retry-safe`: sent again after a 502, 503 or 504",
            ),
            (true, false) => self.push(
                ChangeKind::Compatible,
                loc,
                "no longer `x-retry-safe`: not sent again after a 502, 503 or 504",
            ),
            _ => {}
        }
        // Which calls carry the client's credential: a reviewer must see it change.
        let (was, is) = (
            crate::security::describe(self.old, o.operation),
            crate::security::describe(self.new, n.operation),
        );
        if was != is {
            self.push(
                ChangeKind::Compatible,
                loc,
                format!("security requirement changed from `{was}` to `{is}`"),
            );
        }
        self.parameters(loc, o, n);
        self.request_body(loc, o.operation, n.operation);
        self.responses(loc, o.operation, n.operation);
    }

    fn parameters(&mut self, loc: &str, o: &Op<'_>, n: &Op<'_>) {
        let old = effective_parameters(self.old, o);
        let new = effective_parameters(self.new, n);
        for (key, np) in &new {
            let (place, name) = key;
            let Some(op) = old.get(key) else {
                if np.required {
                    self.push(
                        ChangeKind::Breaking,
                        loc,
                        format!("required parameter `{name}` ({place}) added"),
                    );
                } else {
                    self.push(
                        ChangeKind::Compatible,
                        loc,
                        format!("optional parameter `{name}` ({place}) added"),
                    );
                }
                continue;
            };
            let ploc = format!("{loc} parameter {name}");
            if !op.required && np.required {
                self.push(
                    ChangeKind::Breaking,
                    &ploc,
                    format!("parameter `{name}` ({place}) made required"),
                );
            } else if op.required && !np.required {
                self.push(
                    ChangeKind::Compatible,
                    &ploc,
                    format!("parameter `{name}` ({place}) no longer required"),
                );
            }
            if op.description != np.description {
                self.push(ChangeKind::Compatible, &ploc, "description changed");
            }
            if op.example != np.example {
                self.push(ChangeKind::Compatible, &ploc, "example changed");
            }
            match (parameter_schema(&op.format), parameter_schema(&np.format)) {
                (Some(a), Some(b)) => self.schema(&ploc, "", a, b, Dir::Request, 0),
                (None, None) => {}
                _ => self.push(
                    ChangeKind::Breaking,
                    &ploc,
                    "parameter schema changed between `schema` and `content`",
                ),
            }
        }
        for (place, name) in old.keys() {
            if !new.contains_key(&(*place, name.clone())) {
                self.push(
                    ChangeKind::Breaking,
                    loc,
                    format!("parameter `{name}` ({place}) removed"),
                );
            }
        }
    }

    fn request_body(&mut self, loc: &str, o: &Operation, n: &Operation) {
        let old = o
            .request_body
            .as_ref()
            .and_then(|b| request_body(self.old, b));
        let new = n
            .request_body
            .as_ref()
            .and_then(|b| request_body(self.new, b));
        let bloc = format!("{loc} request body");
        match (old, new) {
            (None, None) => {}
            (None, Some(b)) => {
                if b.required {
                    self.push(ChangeKind::Breaking, loc, "required request body added");
                } else {
                    self.push(ChangeKind::Compatible, loc, "optional request body added");
                }
            }
            (Some(_), None) => self.push(ChangeKind::Breaking, loc, "request body removed"),
            (Some(a), Some(b)) => {
                if !a.required && b.required {
                    self.push(ChangeKind::Breaking, &bloc, "request body made required");
                } else if a.required && !b.required {
                    self.push(
                        ChangeKind::Compatible,
                        &bloc,
                        "request body no longer required",
                    );
                }
                if a.description != b.description {
                    self.push(ChangeKind::Compatible, &bloc, "description changed");
                }
                self.media(&bloc, &a.content, &b.content, Dir::Request);
            }
        }
    }

    fn responses(&mut self, loc: &str, o: &Operation, n: &Operation) {
        let old = responses(self.old, o);
        let new = responses(self.new, n);
        for (code, a) in &old {
            let rloc = format!("{loc} response {code}");
            let Some(b) = new.get(code) else {
                self.push(
                    ChangeKind::Breaking,
                    loc,
                    format!("response `{code}` removed"),
                );
                continue;
            };
            if a.description != b.description {
                self.push(ChangeKind::Compatible, &rloc, "description changed");
            }
            self.media(&rloc, &a.content, &b.content, Dir::Response);
        }
        for code in new.keys() {
            if !old.contains_key(code) {
                self.push(
                    ChangeKind::Compatible,
                    loc,
                    format!("response `{code}` added"),
                );
            }
        }
    }

    fn media(&mut self, loc: &str, old: &Content, new: &Content, dir: Dir) {
        let a = pick_media(old);
        let b = pick_media(new);
        match (a, b) {
            (None, None) => {}
            (None, Some(_)) => {
                let kind = dir.kind(true, false);
                self.push(kind, loc, format!("body added{}", dir.note()));
            }
            (Some(_), None) => self.push(
                ChangeKind::Breaking,
                loc,
                format!("body removed{}", dir.note()),
            ),
            (Some((at, a)), Some((bt, b))) => {
                if at != bt {
                    self.push(
                        ChangeKind::Breaking,
                        loc,
                        format!("content type changed from `{at}` to `{bt}`"),
                    );
                }
                if a.example != b.example {
                    self.push(ChangeKind::Compatible, loc, "example changed");
                }
                match (&a.schema, &b.schema) {
                    (Some(x), Some(y)) => {
                        self.schema(loc, "", SRef::from(x), SRef::from(y), dir, 0)
                    }
                    (None, None) => {}
                    (None, Some(_)) => self.push(
                        dir.kind(true, false),
                        loc,
                        format!("schema added{}", dir.note()),
                    ),
                    (Some(_), None) => self.push(
                        dir.kind(false, true),
                        loc,
                        format!("schema removed{}", dir.note()),
                    ),
                }
            }
        }
    }

    fn components(&mut self) {
        let old = self.old.components.as_ref().map(|c| &c.schemas);
        let new = self.new.components.as_ref().map(|c| &c.schemas);
        let empty = Default::default();
        let old = old.unwrap_or(&empty);
        let new = new.unwrap_or(&empty);
        for (name, a) in old {
            let loc = format!("schema {name}");
            let Some(b) = new.get(name) else {
                self.push(
                    ChangeKind::Breaking,
                    &loc,
                    format!("schema `{name}` removed (its Rust type `types::{name}` goes with it)"),
                );
                continue;
            };
            if !self.reached.contains(name) {
                self.schema(&loc, "", SRef::from(a), SRef::from(b), Dir::Both, 0);
            }
        }
        for name in new.keys() {
            if !old.contains_key(name) {
                self.push(
                    ChangeKind::Compatible,
                    &format!("schema {name}"),
                    format!("schema `{name}` added"),
                );
            }
        }
    }

    /// Compares two schemas at `base` (an operation part or a component) and `field` (a
    /// path inside it, empty at the top).
    fn schema(
        &mut self,
        base: &str,
        field: &str,
        old: SRef<'_>,
        new: SRef<'_>,
        dir: Dir,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let loc = if field.is_empty() {
            base.to_owned()
        } else {
            format!("{base} field {field}")
        };
        let (on, os) = match resolve(self.old, old) {
            Ok(x) => x,
            Err(_) => return, // the old spec was broken there: nothing to compare against
        };
        let (nn, ns) = match resolve(self.new, new) {
            Ok(x) => x,
            Err(reference) => {
                self.push(
                    ChangeKind::Breaking,
                    &loc,
                    format!("`$ref` `{reference}` does not resolve"),
                );
                return;
            }
        };
        let (base, field) = match (on, nn) {
            (Some(a), Some(b)) => {
                if !self.seen.insert((a.to_owned(), b.to_owned(), dir)) {
                    return;
                }
                if a == b {
                    self.reached.insert(a.to_owned());
                    (format!("schema {a}"), String::new())
                } else {
                    self.push(
                        ChangeKind::Breaking,
                        &loc,
                        format!("type changed from schema `{a}` to schema `{b}` (the Rust type is renamed)"),
                    );
                    (base.to_owned(), field.to_owned())
                }
            }
            _ => (base.to_owned(), field.to_owned()),
        };
        let loc = if field.is_empty() {
            base.clone()
        } else {
            format!("{base} field {field}")
        };
        let child = |name: &str| {
            if field.is_empty() {
                name.to_owned()
            } else {
                format!("{field}.{name}")
            }
        };

        if os.schema_data.description != ns.schema_data.description {
            self.push(ChangeKind::Compatible, &loc, "description changed");
        }
        if os.schema_data.example != ns.schema_data.example {
            self.push(ChangeKind::Compatible, &loc, "example changed");
        }
        if os.schema_data.nullable && !ns.schema_data.nullable {
            self.push(
                dir.kind(true, false),
                &loc,
                format!("no longer nullable{}", dir.note()),
            );
        } else if !os.schema_data.nullable && ns.schema_data.nullable {
            self.push(
                dir.kind(false, true),
                &loc,
                format!("now nullable{}", dir.note()),
            );
        }

        let a = view(os);
        let b = view(ns);
        if a.ty != b.ty {
            let show = |t: &Option<String>| {
                t.as_deref()
                    .map_or_else(|| "any".to_owned(), |t| format!("`{t}`"))
            };
            self.push(
                ChangeKind::Breaking,
                &loc,
                format!("type changed from {} to {}", show(&a.ty), show(&b.ty)),
            );
            return;
        }
        let ty = a.ty.as_deref().unwrap_or("");
        self.format(&loc, ty, a.format.as_deref(), b.format.as_deref(), dir);
        self.enumeration(
            &loc,
            a.enumeration.as_deref(),
            b.enumeration.as_deref(),
            dir,
        );
        self.limits(&loc, &a.limits, &b.limits, dir);

        // Object properties.
        for (name, np) in &b.properties {
            let required = b.required.contains(name);
            let Some((_, op)) = a.properties.iter().find(|(n, _)| n == name) else {
                if required {
                    self.push(
                        dir.kind(true, false),
                        &loc,
                        format!("required field `{name}` added{}", dir.note()),
                    );
                } else {
                    self.push(
                        ChangeKind::Compatible,
                        &loc,
                        format!("optional field `{name}` added{}", dir.note()),
                    );
                }
                continue;
            };
            let was_required = a.required.contains(name);
            if !was_required && required {
                self.push(
                    dir.kind(true, false),
                    &loc,
                    format!("field `{name}` made required{}", dir.note()),
                );
            } else if was_required && !required {
                self.push(
                    dir.kind(false, true),
                    &loc,
                    format!("field `{name}` no longer required{}", dir.note()),
                );
            }
            self.schema(&base, &child(name), *op, *np, dir, depth + 1);
        }
        for (name, _) in &a.properties {
            if !b.properties.iter().any(|(n, _)| n == name) {
                self.push(
                    ChangeKind::Breaking,
                    &loc,
                    format!("field `{name}` removed{}", dir.note()),
                );
            }
        }

        if let (Some(x), Some(y)) = (a.items, b.items) {
            self.schema(
                &base,
                &child("[]").replace(".[]", "[]"),
                x,
                y,
                dir,
                depth + 1,
            );
        }
        match (a.additional, b.additional) {
            (Some(x), Some(y)) => self.schema(
                &base,
                &child("{}").replace(".{}", "{}"),
                x,
                y,
                dir,
                depth + 1,
            ),
            (None, Some(_)) => self.push(
                dir.kind(true, false),
                &loc,
                format!("map values restricted by a schema{}", dir.note()),
            ),
            (Some(_), None) => self.push(
                dir.kind(false, true),
                &loc,
                format!("map value schema removed{}", dir.note()),
            ),
            (None, None) => {}
        }

        // Compositions, member by member.
        for (i, (x, y)) in a.members.iter().zip(&b.members).enumerate() {
            self.schema(&base, &child(&format!("{ty}[{i}]")), *x, *y, dir, depth + 1);
        }
        if a.members.len() != b.members.len() {
            let added = b.members.len() > a.members.len();
            // More `allOf` members narrow; more `oneOf`/`anyOf` members widen.
            let narrows = (ty == "allOf") == added;
            let kind = if narrows {
                dir.kind(true, false)
            } else {
                dir.kind(false, true)
            };
            let what = if added { "added" } else { "removed" };
            self.push(kind, &loc, format!("`{ty}` member(s) {what}{}", dir.note()));
        }
    }

    fn format(&mut self, loc: &str, ty: &str, a: Option<&str>, b: Option<&str>, dir: Dir) {
        if a == b {
            return;
        }
        let msg = format!(
            "format changed from {} to {}",
            show_format(a),
            show_format(b)
        );
        match (numeric_rank(ty, a), numeric_rank(ty, b)) {
            (Some(x), Some(y)) if y < x => {
                self.push(ChangeKind::Breaking, loc, format!("type narrowed: {msg}"));
            }
            (Some(_), Some(_)) => {
                self.push(
                    dir.kind(false, true),
                    loc,
                    format!("type widened: {msg}{}", dir.note()),
                );
            }
            // A string format decides the Rust type (`crate::Secret`, `DateTime`, ...).
            _ => self.push(
                ChangeKind::Breaking,
                loc,
                format!("{msg} (the Rust type changes)"),
            ),
        }
    }

    fn enumeration(&mut self, loc: &str, a: Option<&[String]>, b: Option<&[String]>, dir: Dir) {
        match (a, b) {
            (None, None) => {}
            (None, Some(_)) => {
                self.push(
                    dir.kind(true, false),
                    loc,
                    format!("values restricted to an enum{}", dir.note()),
                );
            }
            (Some(_), None) => {
                self.push(
                    dir.kind(false, true),
                    loc,
                    format!("enum restriction removed{}", dir.note()),
                );
            }
            (Some(a), Some(b)) => {
                for v in a.iter().filter(|v| !b.contains(v)) {
                    self.push(
                        ChangeKind::Breaking,
                        loc,
                        format!("enum value `{v}` removed{}", dir.note()),
                    );
                }
                for v in b.iter().filter(|v| !a.contains(v)) {
                    self.push(
                        ChangeKind::Compatible,
                        loc,
                        format!("enum value `{v}` added{}", dir.note()),
                    );
                }
            }
        }
    }

    fn limits(
        &mut self,
        loc: &str,
        a: &[(&'static str, Option<f64>)],
        b: &[(&'static str, Option<f64>)],
        dir: Dir,
    ) {
        for (name, x) in a {
            let Some((_, y)) = b.iter().find(|(n, _)| n == name) else {
                continue;
            };
            let is_max = name.starts_with("max");
            let tightened = match (x, y) {
                (None, None) => continue,
                (Some(x), Some(y)) if x == y => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => (y < x) == is_max,
            };
            let show = |v: &Option<f64>| v.map_or_else(|| "none".to_owned(), show_limit);
            let msg = format!("{name} changed from {} to {}", show(x), show(y));
            if tightened {
                self.push(
                    dir.kind(true, false),
                    loc,
                    format!("{name} tightened: {msg}{}", dir.note()),
                );
            } else {
                self.push(
                    dir.kind(false, true),
                    loc,
                    format!("{name} loosened: {msg}{}", dir.note()),
                );
            }
        }
    }
}

fn pick_media(content: &Content) -> Option<(&str, &MediaType)> {
    content
        .get_key_value("application/json")
        .or_else(|| content.iter().next())
        .map(|(k, v)| (k.as_str(), v))
}

fn effective_parameters<'a>(
    api: &'a OpenAPI,
    op: &Op<'a>,
) -> BTreeMap<(&'static str, String), &'a openapiv3::ParameterData> {
    let mut out = BTreeMap::new();
    for p in op.path_parameters.iter().chain(&op.operation.parameters) {
        let Some(p) = resolve_generic(p, "#/components/parameters/", |n| {
            api.components.as_ref().and_then(|c| c.parameters.get(n))
        }) else {
            continue;
        };
        let place = match p {
            Parameter::Query { .. } => "query",
            Parameter::Header { .. } => "header",
            Parameter::Path { .. } => "path",
            Parameter::Cookie { .. } => "cookie",
        };
        let data = p.parameter_data_ref();
        out.insert((place, data.name.clone()), data);
    }
    out
}

fn parameter_schema(p: &ParameterSchemaOrContent) -> Option<SRef<'_>> {
    match p {
        ParameterSchemaOrContent::Schema(s) => Some(SRef::from(s)),
        ParameterSchemaOrContent::Content(c) => pick_media(c)
            .and_then(|(_, m)| m.schema.as_ref())
            .map(SRef::from),
    }
}

fn request_body<'a>(api: &'a OpenAPI, b: &'a ReferenceOr<RequestBody>) -> Option<&'a RequestBody> {
    resolve_generic(b, "#/components/requestBodies/", |n| {
        api.components
            .as_ref()
            .and_then(|c| c.request_bodies.get(n))
    })
}

fn responses<'a>(api: &'a OpenAPI, op: &'a Operation) -> BTreeMap<String, &'a Response> {
    let lookup = |r: &'a ReferenceOr<Response>| {
        resolve_generic(r, "#/components/responses/", |n| {
            api.components.as_ref().and_then(|c| c.responses.get(n))
        })
    };
    let mut out = BTreeMap::new();
    for (code, r) in &op.responses.responses {
        let key = match code {
            StatusCode::Code(n) => n.to_string(),
            StatusCode::Range(n) => format!("{n}XX"),
        };
        if let Some(r) = lookup(r) {
            out.insert(key, r);
        }
    }
    if let Some(r) = op.responses.default.as_ref().and_then(lookup) {
        out.insert("default".to_owned(), r);
    }
    out
}

/// Renders the changes of one API as markdown for a pull request: a heading, then a
/// "Breaking" and a "Compatible" list (or "No changes.").
pub fn render_markdown(name: &str, changes: &[Change]) -> String {
    let mut out = format!("## {name}\n\n");
    if changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    for (kind, title) in [
        (ChangeKind::Breaking, "Breaking"),
        (ChangeKind::Compatible, "Compatible"),
    ] {
        let _ = writeln!(out, "### {title}\n");
        let mut any = false;
        for c in changes.iter().filter(|c| c.kind == kind) {
            any = true;
            let _ = writeln!(out, "- `{}`: {}", c.location.replace('`', "'"), c.message);
        }
        if !any {
            out.push_str("- none\n");
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// True when any change breaks.
pub fn has_breaking(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.kind == ChangeKind::Breaking)
}

/// What `cargo xtask diff` prints, and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliOutput {
    /// The markdown report (empty on a usage error).
    pub stdout: String,
    /// Errors and the summary line.
    pub stderr: String,
    /// 0: nothing breaks (or `--allow-breaking`); 1: something breaks; 2: usage error,
    /// unknown revision, git failure, or a spec that does not parse.
    pub code: u8,
}

/// The usage line of `cargo xtask diff`.
pub const DIFF_USAGE: &str = "usage: cargo xtask diff <git-rev> [--allow-breaking]";

/// `cargo xtask diff <git-rev> [--allow-breaking]` under `root` (a git work tree): compares
/// each spec of `apis` at `<git-rev>` with the working tree. `args` are the arguments after
/// `diff`.
pub fn run_cli(root: &Path, apis: &[ApiConfig], args: &[&str]) -> CliOutput {
    let usage = |msg: String| CliOutput {
        stdout: String::new(),
        stderr: format!("error: {msg}\n{DIFF_USAGE}\n"),
        code: 2,
    };
    let mut rev = None;
    let mut allow_breaking = false;
    for &arg in args {
        match arg {
            "--allow-breaking" => allow_breaking = true,
            a if a.starts_with('-') => return usage(format!("unknown option `{a}`")),
            a if rev.is_none() => rev = Some(a),
            a => return usage(format!("unexpected argument `{a}` (one revision only)")),
        }
    }
    let Some(rev) = rev else {
        return usage("missing the git revision to compare with".to_owned());
    };
    if rev.is_empty() || rev.contains(':') {
        return usage(format!("`{rev}` is not a git revision"));
    }
    match git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    ) {
        Ok((true, _)) => {}
        Ok((false, _)) => return usage(format!("unknown git revision `{rev}`")),
        Err(e) => return usage(format!("cannot run git in {}: {e}", root.display())),
    }

    let mut stdout = format!("# API changes since `{rev}`\n\n");
    let mut stderr = String::new();
    let mut breaking = 0usize;
    for api in apis {
        let object = format!("{rev}:./{}", api.spec);
        let old = match git(root, &["cat-file", "-e", &object]) {
            Ok((false, _)) => OpenAPI::default(),
            Ok((true, _)) => match git(root, &["show", &object]) {
                Ok((true, text)) => {
                    match parse_spec(Path::new(&format!("{rev}:{}", api.spec)), &text) {
                        Ok(spec) => spec.openapi,
                        Err(e) => return fail(format!("the spec at `{rev}` does not load: {e}")),
                    }
                }
                Ok((false, _)) => return fail(format!("git cannot show {object}")),
                Err(e) => return fail(format!("cannot run git: {e}")),
            },
            Err(e) => return fail(format!("cannot run git: {e}")),
        };
        let spec_path = root.join(api.spec);
        let new = if spec_path.exists() {
            match load_spec(&spec_path) {
                Ok(spec) => spec.openapi,
                Err(mut e) => {
                    e.file = api.spec.into();
                    return fail(format!("the spec in the working tree does not load: {e}"));
                }
            }
        } else {
            OpenAPI::default()
        };
        let changes = diff_specs(&old, &new);
        breaking += changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Breaking)
            .count();
        stdout.push_str(&render_markdown(
            &format!("{} (`{}`)", api.name, api.spec),
            &changes,
        ));
        stdout.push('\n');
    }
    let code = if breaking == 0 {
        let _ = writeln!(stderr, "no breaking change since `{rev}`");
        0
    } else if allow_breaking {
        let _ = writeln!(
            stderr,
            "{breaking} breaking change(s) since `{rev}`, allowed by --allow-breaking"
        );
        0
    } else {
        let _ = writeln!(
            stderr,
            "{breaking} breaking change(s) since `{rev}`; pass --allow-breaking if they are intended"
        );
        1
    };
    CliOutput {
        stdout,
        stderr,
        code,
    }
}

fn fail(msg: String) -> CliOutput {
    CliOutput {
        stdout: String::new(),
        stderr: format!("error: {msg}\n"),
        code: 2,
    }
}

/// Runs git in `root`; returns whether it succeeded and its standard output.
fn git(root: &Path, args: &[&str]) -> std::io::Result<(bool, String)> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}
