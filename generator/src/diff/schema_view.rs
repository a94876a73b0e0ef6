//! One view of a schema, whether openapiv3 parsed it as a typed schema or as its
//! catch-all, and the `$ref`s followed to it.

use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

/// A schema or a reference to one, whatever box it came in.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

pub(super) const SCHEMA_PREFIX: &str = "#/components/schemas/";
/// Longest chain of `$ref` → `$ref` followed, and deepest inline nesting compared.
pub(super) const MAX_DEPTH: usize = 64;

/// Follows `$ref`s to a component schema. Returns the name of the last component reached
/// (if any) and the schema, or the unresolvable reference.
pub(super) fn resolve<'s>(
    api: &'s OpenAPI,
    mut r: SchemaRef<'s>,
) -> Result<(Option<&'s str>, &'s Schema), &'s str> {
    let mut name = None;
    for _ in 0..MAX_DEPTH {
        match r {
            SchemaRef::Item(s) => return Ok((name, s)),
            SchemaRef::Ref(reference) => {
                let n = reference.strip_prefix(SCHEMA_PREFIX).ok_or(reference)?;
                let target = api
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(n))
                    .ok_or(reference)?;
                name = Some(n);
                r = SchemaRef::from(target);
            }
        }
    }
    match r {
        SchemaRef::Item(s) => Ok((name, s)),
        SchemaRef::Ref(reference) => Err(reference),
    }
}

pub(super) fn resolve_generic<'s, T>(
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
pub(super) struct SchemaView<'s> {
    pub(super) ty: Option<String>,
    pub(super) format: Option<String>,
    pub(super) enumeration: Option<Vec<String>>,
    pub(super) properties: Vec<(&'s str, SchemaRef<'s>)>,
    pub(super) required: Vec<&'s str>,
    pub(super) items: Option<SchemaRef<'s>>,
    pub(super) additional: Option<SchemaRef<'s>>,
    pub(super) members: Vec<SchemaRef<'s>>,
    pub(super) limits: Vec<(&'static str, Option<f64>)>,
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

impl SchemaView<'_> {
    /// The view of `schema`.
    pub(super) fn of(schema: &Schema) -> SchemaView<'_> {
        let mut v = SchemaView::default();
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
                    .map(|(k, s)| (k.as_str(), SchemaRef::from(s)))
                    .collect();
                v.required = o.required.iter().map(String::as_str).collect();
                v.additional = additional(o.additional_properties.as_ref());
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.ty = Some("array".into());
                v.items = a.items.as_ref().map(SchemaRef::from);
                v.limits = vec![
                    ("maxItems", as_f64(a.max_items)),
                    ("minItems", as_f64(a.min_items)),
                ];
            }
            SchemaKind::OneOf { one_of } => {
                v.ty = Some("oneOf".into());
                v.members = one_of.iter().map(SchemaRef::from).collect();
            }
            SchemaKind::AllOf { all_of } => {
                v.ty = Some("allOf".into());
                v.members = all_of.iter().map(SchemaRef::from).collect();
            }
            SchemaKind::AnyOf { any_of } => {
                v.ty = Some("anyOf".into());
                v.members = any_of.iter().map(SchemaRef::from).collect();
            }
            SchemaKind::Not { .. } => v.ty = Some("not".into()),
            SchemaKind::Any(a) => {
                v.ty = if !a.one_of.is_empty() {
                    v.members = a.one_of.iter().map(SchemaRef::from).collect();
                    Some("oneOf".into())
                } else if !a.all_of.is_empty() {
                    v.members = a.all_of.iter().map(SchemaRef::from).collect();
                    Some("allOf".into())
                } else if !a.any_of.is_empty() {
                    v.members = a.any_of.iter().map(SchemaRef::from).collect();
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
                    .map(|(k, s)| (k.as_str(), SchemaRef::from(s)))
                    .collect();
                v.required = a.required.iter().map(String::as_str).collect();
                v.items = a.items.as_ref().map(SchemaRef::from);
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
}

fn additional(a: Option<&AdditionalProperties>) -> Option<SchemaRef<'_>> {
    match a {
        Some(AdditionalProperties::Schema(s)) => Some(SchemaRef::from(s.as_ref())),
        _ => None,
    }
}
