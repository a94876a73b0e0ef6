//! `call()`: beside each operation builder's `send()`, a method that returns the crate's own
//! error type, which names the operation. Built from progenitor's output (the `send()`
//! signature), so it always matches it.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use openapiv3::OpenAPI;
use quote::quote;

use crate::operations;

/// Adds `call()` to every builder in the `builder` module of `file`. Fails when an
/// operation of `openapi` has no builder with a `send()`.
pub fn add_call_methods(
    file: &mut syn::File,
    openapi: &OpenAPI,
    error_type: &str,
) -> Result<(), String> {
    let error_type: syn::Type = syn::parse_str(error_type)
        .map_err(|e| format!("error type `{error_type}` is not a Rust type: {e}"))?;
    // Builder struct name → operationId.
    let mut wanted: BTreeMap<String, String> = operations(openapi)
        .iter()
        .filter_map(|op| op.operation.operation_id.clone())
        .map(|id| (id.to_upper_camel_case(), id))
        .collect();

    let builder = builder_module(file)?;

    let mut added = Vec::new();
    for item in &builder.1 {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(self_ty) = imp.self_ty.as_ref() else {
            continue;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let Some(operation_id) = wanted.remove(&name) else {
            continue;
        };
        let Some(success) = imp.items.iter().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => success_type(&f.sig.output),
            _ => None,
        }) else {
            return Err(format!(
                "builder `{name}` has no `send()` of the expected shape"
            ));
        };
        let generics = &imp.generics;
        let self_ty = &imp.self_ty;
        let doc = format!(
            " Sends the request like [`Self::send`]; a failure becomes the crate's error type, which names operation `{operation_id}`."
        );
        let tokens = quote! {
            impl #generics #self_ty {
                #[doc = #doc]
                pub async fn call(self) -> ::std::result::Result<#success, #error_type> {
                    <#error_type>::capture(#operation_id, self.send()).await
                }
            }
        };
        added.push(
            syn::parse2::<syn::Item>(tokens).map_err(|e| format!("call() for `{name}`: {e}"))?,
        );
    }
    if let Some((name, id)) = wanted.into_iter().next() {
        return Err(format!(
            "operation `{id}` has no builder `{name}` in progenitor's output"
        ));
    }
    builder.1.extend(added);
    Ok(())
}

/// Removes progenitor's `api-version` request header (it sends `info.version` with every
/// request; neither API has such a header) from every builder's `send()`. Fails when no
/// such statement is found, so a progenitor that emits it differently is noticed here.
pub fn strip_api_version_header(file: &mut syn::File) -> Result<(), String> {
    let builder = builder_module(file)?;
    let mut sends = 0;
    let mut removed = 0;
    for item in &mut builder.1 {
        let syn::Item::Impl(imp) = item else { continue };
        for member in &mut imp.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            if f.sig.ident != "send" {
                continue;
            }
            sends += 1;
            let before = f.block.stmts.len();
            f.block
                .stmts
                .retain(|stmt| !quote!(#stmt).to_string().contains("\"api-version\""));
            removed += before - f.block.stmts.len();
        }
    }
    if removed != sends {
        return Err(format!(
            "expected one `api-version` header statement in each of {sends} send() bodies, found {removed}"
        ));
    }
    Ok(())
}

/// The items of progenitor's `builder` module.
fn builder_module(
    file: &mut syn::File,
) -> Result<&mut (syn::token::Brace, Vec<syn::Item>), String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut(),
            _ => None,
        })
        .ok_or_else(|| "progenitor produced no `builder` module".to_owned())
}

/// `A` of `-> Result<A, E>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(path) = ty.as_ref() else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}
