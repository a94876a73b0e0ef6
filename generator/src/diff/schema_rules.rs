//! What a change of a schema means, by the side of the wire it is on.

use openapiv3::Schema;

use super::schema_view::{MAX_DEPTH, SchemaRef, SchemaView, resolve};
use super::{ChangeKind, Differ};

/// Where the walk is: the part of the spec (an operation's parameter, body or response, or
/// `schema X`), the field path inside it (`a.b[]`, empty at the top), the side of the wire
/// and how deep the walk is.
#[derive(Debug, Clone)]
pub(super) struct Place {
    base: String,
    field: String,
    pub(super) side: Side,
    depth: usize,
}

impl Place {
    /// The top of a schema at `base`.
    pub(super) fn top(base: &str, side: Side) -> Self {
        Place {
            base: base.to_owned(),
            field: String::new(),
            side,
            depth: 0,
        }
    }

    /// How a change here is located in the report.
    pub(super) fn location(&self) -> String {
        if self.field.is_empty() {
            self.base.clone()
        } else {
            format!("{} field {}", self.base, self.field)
        }
    }

    /// One step down: a property (`a.b`), the array items (`a[]`) or the map values (`a{}`).
    fn child(&self, name: &str) -> Place {
        let field = if self.field.is_empty() {
            name.to_owned()
        } else if name.starts_with(['[', '{']) {
            format!("{}{name}", self.field)
        } else {
            format!("{}.{name}", self.field)
        };
        Place {
            base: self.base.clone(),
            field,
            side: self.side,
            depth: self.depth + 1,
        }
    }

    /// The top of component schema `name`, reached from here.
    fn at_component(&self, name: &str) -> Place {
        Place {
            base: format!("schema {name}"),
            field: String::new(),
            side: self.side,
            depth: self.depth,
        }
    }
}

/// Which side of the wire a schema is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Side {
    /// The client sends it.
    Request,
    /// The client receives it.
    Response,
    /// Both, or unknown (a component schema no operation uses): the stricter rule.
    Both,
}

impl Side {
    /// The kind of a change that narrows what the schema admits (a new required field, a
    /// tighter limit, a new enum restriction): it breaks what the client sends.
    pub(super) fn narrowing(self) -> ChangeKind {
        match self {
            Side::Request | Side::Both => ChangeKind::Breaking,
            Side::Response => ChangeKind::Compatible,
        }
    }

    /// The kind of a change that widens what the schema admits (a field no longer required,
    /// a looser limit, a wider number): it breaks what the client receives.
    pub(super) fn widening(self) -> ChangeKind {
        match self {
            Side::Response | Side::Both => ChangeKind::Breaking,
            Side::Request => ChangeKind::Compatible,
        }
    }

    /// Said after a message, to name the side.
    pub(super) fn note(self) -> &'static str {
        match self {
            Side::Request => " (sent in requests)",
            Side::Response => " (received in responses)",
            Side::Both => "",
        }
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

impl<'a> Differ<'a> {
    /// Compares two versions of a schema at `place`.
    pub(super) fn schema<'s>(&mut self, place: &Place, old: SchemaRef<'s>, new: SchemaRef<'s>)
    where
        'a: 's,
    {
        if place.depth > MAX_DEPTH {
            return;
        }
        let Some((place, old_schema, new_schema)) = self.resolve_pair(place, old, new) else {
            return;
        };
        let loc = place.location();
        self.metadata(&loc, place.side, old_schema, new_schema);

        let before = SchemaView::of(old_schema);
        let after = SchemaView::of(new_schema);
        if before.ty != after.ty {
            let show = |t: &Option<String>| {
                t.as_deref()
                    .map_or_else(|| "any".to_owned(), |t| format!("`{t}`"))
            };
            self.push(
                ChangeKind::Breaking,
                &loc,
                format!(
                    "type changed from {} to {}",
                    show(&before.ty),
                    show(&after.ty)
                ),
            );
            return;
        }
        let ty = before.ty.as_deref().unwrap_or("");
        let side = place.side;
        self.format(
            &loc,
            ty,
            before.format.as_deref(),
            after.format.as_deref(),
            side,
        );
        self.enumeration(
            &loc,
            before.enumeration.as_deref(),
            after.enumeration.as_deref(),
            side,
        );
        self.limits(&loc, &before.limits, &after.limits, side);
        self.properties(&place, &before, &after);
        self.items_and_values(&place, &before, &after);
        self.members(&place, ty, &before, &after);
    }

    /// Follows both sides' `$ref`s. A component on both sides is compared once per side of
    /// the wire (the recursion guard), at its own place (`schema X`); a different
    /// component is a breaking rename. `None` when there is nothing more to compare.
    fn resolve_pair<'s>(
        &mut self,
        place: &Place,
        old: SchemaRef<'s>,
        new: SchemaRef<'s>,
    ) -> Option<(Place, &'s Schema, &'s Schema)>
    where
        'a: 's,
    {
        // The old spec broken there: nothing to compare against.
        let (old_name, old_schema) = resolve(self.old, old).ok()?;
        let (new_name, new_schema) = match resolve(self.new, new) {
            Ok(resolved) => resolved,
            Err(reference) => {
                self.push(
                    ChangeKind::Breaking,
                    &place.location(),
                    format!("`$ref` `{reference}` does not resolve"),
                );
                return None;
            }
        };
        let place = match (old_name, new_name) {
            (Some(old_name), Some(new_name)) => {
                if !self
                    .seen
                    .insert((old_name.to_owned(), new_name.to_owned(), place.side))
                {
                    return None;
                }
                if old_name == new_name {
                    self.reached.insert(old_name.to_owned());
                    place.at_component(old_name)
                } else {
                    self.push(
                        ChangeKind::Breaking,
                        &place.location(),
                        format!("type changed from schema `{old_name}` to schema `{new_name}` (the Rust type is renamed)"),
                    );
                    place.clone()
                }
            }
            _ => place.clone(),
        };
        Some((place, old_schema, new_schema))
    }

    /// Description, example, nullable.
    fn metadata(&mut self, loc: &str, side: Side, old: &Schema, new: &Schema) {
        if old.schema_data.description != new.schema_data.description {
            self.push(ChangeKind::Compatible, loc, "description changed");
        }
        if old.schema_data.example != new.schema_data.example {
            self.push(ChangeKind::Compatible, loc, "example changed");
        }
        if old.schema_data.nullable && !new.schema_data.nullable {
            self.push(
                side.narrowing(),
                loc,
                format!("no longer nullable{}", side.note()),
            );
        } else if !old.schema_data.nullable && new.schema_data.nullable {
            self.push(side.widening(), loc, format!("now nullable{}", side.note()));
        }
    }

    /// Object properties: added, removed, made required or optional, and each one's schema.
    fn properties(&mut self, place: &Place, before: &SchemaView<'_>, after: &SchemaView<'_>) {
        let loc = place.location();
        let side = place.side;
        for (name, new_property) in &after.properties {
            let required = after.required.contains(name);
            let Some((_, old_property)) = before.properties.iter().find(|(n, _)| n == name) else {
                if required {
                    self.push(
                        side.narrowing(),
                        &loc,
                        format!("required field `{name}` added{}", side.note()),
                    );
                } else {
                    self.push(
                        ChangeKind::Compatible,
                        &loc,
                        format!("optional field `{name}` added{}", side.note()),
                    );
                }
                continue;
            };
            let was_required = before.required.contains(name);
            if !was_required && required {
                self.push(
                    side.narrowing(),
                    &loc,
                    format!("field `{name}` made required{}", side.note()),
                );
            } else if was_required && !required {
                self.push(
                    side.widening(),
                    &loc,
                    format!("field `{name}` no longer required{}", side.note()),
                );
            }
            self.schema(&place.child(name), *old_property, *new_property);
        }
        for (name, _) in &before.properties {
            if !after.properties.iter().any(|(n, _)| n == name) {
                self.push(
                    ChangeKind::Breaking,
                    &loc,
                    format!("field `{name}` removed{}", side.note()),
                );
            }
        }
    }

    /// Array items and map values.
    fn items_and_values(&mut self, place: &Place, before: &SchemaView<'_>, after: &SchemaView<'_>) {
        let side = place.side;
        if let (Some(old_items), Some(new_items)) = (before.items, after.items) {
            self.schema(&place.child("[]"), old_items, new_items);
        }
        match (before.additional, after.additional) {
            (Some(old_values), Some(new_values)) => {
                self.schema(&place.child("{}"), old_values, new_values);
            }
            (None, Some(_)) => self.push(
                side.narrowing(),
                &place.location(),
                format!("map values restricted by a schema{}", side.note()),
            ),
            (Some(_), None) => self.push(
                side.widening(),
                &place.location(),
                format!("map value schema removed{}", side.note()),
            ),
            (None, None) => {}
        }
    }

    /// Compositions (`allOf`, `oneOf`, `anyOf`), member by member.
    fn members(
        &mut self,
        place: &Place,
        ty: &str,
        before: &SchemaView<'_>,
        after: &SchemaView<'_>,
    ) {
        for (i, (old_member, new_member)) in before.members.iter().zip(&after.members).enumerate() {
            self.schema(
                &place.child(&format!("{ty}[{i}]")),
                *old_member,
                *new_member,
            );
        }
        if before.members.len() != after.members.len() {
            let added = after.members.len() > before.members.len();
            // More `allOf` members narrow; more `oneOf`/`anyOf` members widen.
            let narrows = (ty == "allOf") == added;
            let side = place.side;
            let kind = if narrows {
                side.narrowing()
            } else {
                side.widening()
            };
            let what = if added { "added" } else { "removed" };
            self.push(
                kind,
                &place.location(),
                format!("`{ty}` member(s) {what}{}", side.note()),
            );
        }
    }

    fn format(&mut self, loc: &str, ty: &str, a: Option<&str>, b: Option<&str>, side: Side) {
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
                    side.widening(),
                    loc,
                    format!("type widened: {msg}{}", side.note()),
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

    fn enumeration(&mut self, loc: &str, a: Option<&[String]>, b: Option<&[String]>, side: Side) {
        match (a, b) {
            (None, None) => {}
            (None, Some(_)) => {
                self.push(
                    side.narrowing(),
                    loc,
                    format!("values restricted to an enum{}", side.note()),
                );
            }
            (Some(_), None) => {
                self.push(
                    side.widening(),
                    loc,
                    format!("enum restriction removed{}", side.note()),
                );
            }
            (Some(a), Some(b)) => {
                for v in a.iter().filter(|v| !b.contains(v)) {
                    self.push(
                        ChangeKind::Breaking,
                        loc,
                        format!("enum value `{v}` removed{}", side.note()),
                    );
                }
                for v in b.iter().filter(|v| !a.contains(v)) {
                    self.push(
                        ChangeKind::Compatible,
                        loc,
                        format!("enum value `{v}` added{}", side.note()),
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
        side: Side,
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
                    side.narrowing(),
                    loc,
                    format!("{name} tightened: {msg}{}", side.note()),
                );
            } else {
                self.push(
                    side.widening(),
                    loc,
                    format!("{name} loosened: {msg}{}", side.note()),
                );
            }
        }
    }
}
