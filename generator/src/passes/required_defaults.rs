//! Required fields with a spec `default` start at that default in their model's builder.
//!
//! typify leaves every required field of a builder unset (`Err("no value supplied for ..")`),
//! defaults or not. So `GrantRequestPassword::builder().username(..).password(..)` failed at
//! run time for want of `grant_type`, whose only value is `password` and which the spec
//! gives as the default. This pass starts such a field at its default, converted the way its
//! setter converts a value; the setter still replaces it. Defaults that are not a string,
//! number or boolean (none in our specs) are left to the caller.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::Context;
use crate::Error;
use crate::syntax::{
    SerdeAttrs, doc_attr, is_default_impl, module_mut, result_ok_type, self_type_name,
};

/// One required property with a default: model, wire name, default.
struct Defaulted {
    model: String,
    wire: String,
    default: serde_json::Value,
}

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    let defaulted = find(cx);
    if defaulted.is_empty() {
        return Ok(());
    }
    rewrite(file, &defaulted).map_err(|m| cx.error(m))
}

/// The required properties with a `default` (inline, or on the component a `$ref` names) of
/// the spec's object components.
fn find(cx: &Context<'_>) -> Vec<Defaulted> {
    let Some(components) = &cx.spec.openapi.components else {
        return Vec::new();
    };
    let resolve = |schema: &ReferenceOr<Box<Schema>>| -> Option<serde_json::Value> {
        match schema {
            ReferenceOr::Item(schema) => schema.schema_data.default.clone(),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/schemas/")?;
                match components.schemas.get(name)? {
                    ReferenceOr::Item(schema) => schema.schema_data.default.clone(),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    };
    let mut out = Vec::new();
    for (model, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            continue;
        };
        for wire in &object.required {
            if let Some(default) = object.properties.get(wire).and_then(resolve) {
                out.push(Defaulted {
                    model: model.clone(),
                    wire: wire.clone(),
                    default,
                });
            }
        }
    }
    out
}

/// The literal of a default, where it is one Rust can write.
fn literal(value: &serde_json::Value) -> Option<TokenStream> {
    match value {
        serde_json::Value::String(s) => Some(quote!(#s)),
        serde_json::Value::Bool(b) => Some(quote!(#b)),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let lit = syn::LitInt::new(&format!("{i}i64"), Span::call_site());
                Some(quote!(#lit))
            } else if let Some(u) = n.as_u64() {
                let lit = syn::LitInt::new(&format!("{u}u64"), Span::call_site());
                Some(quote!(#lit))
            } else {
                let f = n.as_f64().filter(|f| f.is_finite())?;
                let lit = syn::LitFloat::new(&format!("{f:?}f64"), Span::call_site());
                Some(quote!(#lit))
            }
        }
        _ => None,
    }
}

fn rewrite(file: &mut syn::File, defaulted: &[Defaulted]) -> Result<(), String> {
    let types =
        module_mut(&mut file.items, "types").ok_or("progenitor produced no `types` module")?;
    // Wire name → Rust field, per model struct.
    let mut targets: Vec<(String, String, &serde_json::Value)> = Vec::new();
    for d in defaulted {
        let Some(fields) = types.iter().find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == d.model => Some(&s.fields),
            _ => None,
        }) else {
            return Err(format!(
                "schema `{}` has no struct in the generated `types` module",
                d.model
            ));
        };
        let field = fields.iter().find_map(|f| {
            let rust = f.ident.as_ref()?.to_string();
            let wire = SerdeAttrs::of(&f.attrs)
                .rename
                .unwrap_or_else(|| rust.trim_start_matches("r#").to_owned());
            (wire == d.wire).then_some(rust)
        });
        let Some(field) = field else {
            return Err(format!(
                "schema `{}`: property `{}` has no field in its struct",
                d.model, d.wire
            ));
        };
        targets.push((format!("{}Builder", d.model), field, &d.default));
    }
    let builders = module_mut(types, "builder").ok_or("the models have no `builder` module")?;
    // The type each builder field holds (`Result<T, String>` → `T`).
    let field_types: Vec<Option<syn::Type>> = targets
        .iter()
        .map(|(builder, field, _)| field_type(builders, builder, field))
        .collect();
    for ((builder, field, default), ty) in targets.iter().zip(field_types) {
        let Some(value) = literal(default) else {
            continue;
        };
        let ty = ty.ok_or_else(|| format!("builder `{builder}` has no field `{field}`"))?;
        let ident = syn::Ident::new(field, Span::call_site());
        let message = format!("error converting the default of {field}: {{e}}");
        let start: syn::Expr = syn::parse2(quote! {
            ::std::convert::TryInto::<#ty>::try_into(#value)
                .map_err(|e| ::std::format!(#message))
        })
        .map_err(|e| format!("the default of `{builder}::{field}`: {e}"))?;
        let mut replaced = false;
        for item in builders.iter_mut() {
            let syn::Item::Impl(imp) = item else { continue };
            if self_type_name(imp).as_deref() != Some(builder.as_str()) {
                continue;
            }
            if is_default_impl(imp) {
                replaced |= set_initializer(imp, &ident, &start);
            } else if imp.trait_.is_none() {
                document_setter(imp, &ident, default);
            }
        }
        if !replaced {
            return Err(format!(
                "the `Default` of `{builder}` no longer has progenitor's shape (`Self {{ {field}: Err(..), .. }}`)"
            ));
        }
    }
    Ok(())
}

/// The `T` of `builder`'s field `field: Result<T, String>`.
fn field_type(items: &[syn::Item], builder: &str, field: &str) -> Option<syn::Type> {
    items.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == builder => s.fields.iter().find_map(|f| {
            (f.ident.as_ref()? == field)
                .then(|| result_ok_type(&f.ty).cloned())
                .flatten()
        }),
        _ => None,
    })
}

/// In `Self { .., field: Err(..), .. }` of a `Default` impl, starts `field` at `start`.
fn set_initializer(imp: &mut syn::ItemImpl, field: &syn::Ident, start: &syn::Expr) -> bool {
    let mut replaced = false;
    for member in &mut imp.items {
        let syn::ImplItem::Fn(f) = member else {
            continue;
        };
        for stmt in &mut f.block.stmts {
            let syn::Stmt::Expr(syn::Expr::Struct(value), _) = stmt else {
                continue;
            };
            for init in value.fields.iter_mut() {
                if matches!(&init.member, syn::Member::Named(m) if m == field) {
                    init.expr = start.clone();
                    replaced = true;
                }
            }
        }
    }
    replaced
}

/// Says on the setter that the field starts at the spec's default.
fn document_setter(imp: &mut syn::ItemImpl, field: &syn::Ident, default: &serde_json::Value) {
    for member in &mut imp.items {
        if let syn::ImplItem::Fn(f) = member
            && f.sig.ident == *field
        {
            f.attrs.push(doc_attr(""));
            f.attrs.push(doc_attr(&format!(
                " Starts at `{default}`, the spec's `default`: set it only for another value."
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::literal;

    #[test]
    fn literals_of_defaults() {
        let text = |v: serde_json::Value| literal(&v).map(|t| t.to_string());
        assert_eq!(
            text(serde_json::json!("password")).as_deref(),
            Some("\"password\"")
        );
        assert_eq!(text(serde_json::json!(7)).as_deref(), Some("7i64"));
        assert_eq!(
            text(serde_json::json!(u64::MAX)).as_deref(),
            Some("18446744073709551615u64")
        );
        assert_eq!(text(serde_json::json!(1.5)).as_deref(), Some("1.5f64"));
        assert_eq!(text(serde_json::json!(true)).as_deref(), Some("true"));
        assert_eq!(text(serde_json::json!(["a"])), None);
        assert_eq!(text(serde_json::json!({"a": 1})), None);
    }
}
