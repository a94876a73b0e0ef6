//! Reading and changing progenitor's output as a `syn` tree: the few walks the passes and
//! the surface report share, written once. Nothing here looks at token text.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use openapiv3::OpenAPI;

use crate::operations;

/// The items of the inline module `name` among `items`.
pub fn module<'f>(items: &'f [syn::Item], name: &str) -> Option<&'f [syn::Item]> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => {
            m.content.as_ref().map(|(_, items)| items.as_slice())
        }
        _ => None,
    })
}

/// [`module`], to change it.
pub fn module_mut<'f>(items: &'f mut [syn::Item], name: &str) -> Option<&'f mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The name a struct, enum or type alias defines.
pub fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// The last segment of a path type (`Name` of `a::b::Name<T>`).
pub fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

/// The name of the type an `impl` block is for.
pub fn self_type_name(imp: &syn::ItemImpl) -> Option<String> {
    last_segment(&imp.self_ty).map(|s| s.ident.to_string())
}

/// The type arguments of the last segment of a path type.
pub fn type_args(ty: &syn::Type) -> Vec<&syn::Type> {
    let Some(segment) = last_segment(ty) else {
        return Vec::new();
    };
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// `T` of `Result<T, E>`.
pub fn result_ok_type(ty: &syn::Type) -> Option<&syn::Type> {
    if last_segment(ty)?.ident != "Result" {
        return None;
    }
    type_args(ty).first().copied()
}

/// Whether the type is `Option<..>`.
pub fn is_option(ty: &syn::Type) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == "Option")
}

/// The type a field names once `Option`, `Vec` and `Box` are taken off.
pub fn named_type(ty: &syn::Type) -> Option<String> {
    let last = last_segment(ty)?;
    if matches!(last.ident.to_string().as_str(), "Option" | "Vec" | "Box")
        && let Some(inner) = type_args(ty).first()
    {
        return named_type(inner);
    }
    Some(last.ident.to_string())
}

/// The text of the doc attributes, one line per attribute.
pub fn doc_text(attrs: &[syn::Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && nv.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            lines.push(s.value());
        }
    }
    lines.join("\n")
}

/// The literal of the first doc attribute, to change it.
pub fn doc_literal_mut(attrs: &mut [syn::Attribute]) -> Option<&mut syn::LitStr> {
    attrs.iter_mut().find_map(|attr| match &mut attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &mut nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s),
            _ => None,
        },
        _ => None,
    })
}

/// A `#[doc = ".."]` attribute.
pub fn doc_attr(text: &str) -> syn::Attribute {
    syn::parse_quote!(#[doc = #text])
}

/// Whether `imp` is an `impl Default for ..`.
pub fn is_default_impl(imp: &syn::ItemImpl) -> bool {
    match &imp.trait_ {
        Some((path, _)) => path.segments.last().is_some_and(|s| s.ident == "Default"),
        None => false,
    }
}

/// The serde attributes the passes and the report read.
#[derive(Debug, Default)]
pub struct SerdeAttrs {
    /// `rename = ".."`.
    pub rename: Option<String>,
    /// `default` or `default = ".."`.
    pub default: bool,
    /// `flatten`.
    pub flatten: bool,
    /// `untagged`.
    pub untagged: bool,
    /// `tag = ".."`.
    pub tag: Option<String>,
}

impl SerdeAttrs {
    /// Reads the `#[serde(..)]` attributes of an item, field or variant.
    pub fn of(attrs: &[syn::Attribute]) -> Self {
        let mut out = SerdeAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            // A malformed attribute would not have compiled; ignore what cannot be read.
            let _ = attr.parse_nested_meta(|meta| {
                let key = meta
                    .path
                    .get_ident()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                if meta.input.peek(syn::Token![=]) {
                    let expr: syn::Expr = meta.value()?.parse()?;
                    let text = match expr {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => Some(s.value()),
                        _ => None,
                    };
                    match key.as_str() {
                        "rename" => out.rename = text,
                        "tag" => out.tag = text,
                        "default" => out.default = true,
                        _ => {}
                    }
                } else if meta.input.peek(syn::token::Paren) {
                    meta.parse_nested_meta(|inner| {
                        if inner.input.peek(syn::Token![=]) {
                            let _: syn::Expr = inner.value()?.parse()?;
                        }
                        Ok(())
                    })?;
                } else {
                    match key.as_str() {
                        "default" => out.default = true,
                        "flatten" => out.flatten = true,
                        "untagged" => out.untagged = true,
                        _ => {}
                    }
                }
                Ok(())
            });
        }
        out
    }
}

/// Operation builder name (progenitor's UpperCamelCase of the operationId) → operationId.
pub fn builder_names(openapi: &OpenAPI) -> BTreeMap<String, String> {
    operations(openapi)
        .iter()
        .filter_map(|op| op.operation.operation_id.clone())
        .map(|id| (id.to_upper_camel_case(), id))
        .collect()
}

/// `Name` of a `Client` method's `-> builder::Name<'_>`.
pub fn returned_builder(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(p) = ty.as_ref() else {
        return None;
    };
    let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
    match segments.as_slice() {
        [first, last] if first.ident == "builder" => Some(last.ident.to_string()),
        _ => None,
    }
}

/// The methods of the generated `Client` that start an operation: (method, builder name).
pub fn client_operation_methods(file: &syn::File) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || self_type_name(imp).as_deref() != Some("Client") {
            continue;
        }
        for member in &imp.items {
            if let syn::ImplItem::Fn(f) = member
                && let Some(builder) = returned_builder(&f.sig.output)
            {
                out.push((f.sig.ident.to_string(), builder));
            }
        }
    }
    out
}

/// `expr` is the path `name` (a local variable).
pub fn is_local(expr: &syn::Expr, name: &str) -> bool {
    matches!(expr, syn::Expr::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// The string literal `expr` is, if it is one.
pub fn string_literal(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// Calls `f` with the builder name and the `send()` of every operation builder in the
/// top-level `builder` module, and returns how many there were (`None` when there is no
/// such module). The first error stops the walk.
pub fn for_each_send<E>(
    file: &mut syn::File,
    mut f: impl FnMut(&str, &mut syn::ImplItemFn) -> Result<(), E>,
) -> Result<Option<usize>, E> {
    let Some(builders) = module_mut(&mut file.items, "builder") else {
        return Ok(None);
    };
    let mut sends = 0;
    for item in builders {
        let syn::Item::Impl(imp) = item else { continue };
        let name = self_type_name(imp).unwrap_or_default();
        for member in &mut imp.items {
            if let syn::ImplItem::Fn(send) = member
                && send.sig.ident == "send"
            {
                sends += 1;
                f(&name, send)?;
            }
        }
    }
    Ok(Some(sends))
}
