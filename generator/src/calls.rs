//! `call()`: beside each operation builder's `send()`, a method that returns the crate's own
//! error type, which names the operation. Built from progenitor's output (the `send()`
//! signature), so it always matches it.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use openapiv3::OpenAPI;
use quote::quote;

use crate::load::{RETRY_SAFE_EXTENSION, is_retry_safe};
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
    let mut wanted = builder_names(openapi);

    let builder = builder_module(file)?;

    let mut added = Vec::new();
    for item in &builder.1 {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(name) = self_type_name(imp) else {
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
    let mut removed = 0;
    let sends = for_each_send(file, |_, f| {
        let before = f.block.stmts.len();
        f.block
            .stmts
            .retain(|stmt| !quote!(#stmt).to_string().contains("\"api-version\""));
        removed += before - f.block.stmts.len();
        Ok(())
    })?;
    if removed != sends {
        return Err(format!(
            "expected one `api-version` header statement in each of {sends} send() bodies, found {removed}"
        ));
    }
    Ok(())
}

/// After [`strip_api_version_header`]: each `send()` sized its `header_map` for the
/// `api-version` header too. Shrinks that capacity by one and, where nothing else goes into
/// the map, removes the map and its `.headers(header_map)` call, so that a request without
/// header parameters allocates no header map of its own.
pub fn drop_empty_header_maps(file: &mut syn::File) -> Result<(), String> {
    for_each_send(file, |name, f| {
        let Some(index) = f.block.stmts.iter().position(is_header_map_let) else {
            return Err(format!(
                "builder `{name}`: send() has no `let mut header_map`"
            ));
        };
        let syn::Stmt::Local(local) = &mut f.block.stmts[index] else {
            unreachable!("is_header_map_let matched a `let`")
        };
        let capacity = local
            .init
            .as_mut()
            .and_then(|init| match init.expr.as_mut() {
                syn::Expr::Call(call) => call.args.first_mut(),
                _ => None,
            })
            .ok_or_else(|| {
                format!("builder `{name}`: header_map is not made by with_capacity(n)")
            })?;
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        }) = capacity
        else {
            return Err(format!(
                "builder `{name}`: header_map capacity is not a literal"
            ));
        };
        let n: usize = n
            .base10_parse()
            .map_err(|e| format!("builder `{name}`: header_map capacity: {e}"))?;
        let remaining = n.checked_sub(1).ok_or_else(|| {
            format!("builder `{name}`: header_map has capacity 0 but held `api-version`")
        })?;
        if remaining > 0 {
            *capacity = syn::parse_quote!(#remaining);
            return Ok(());
        }
        f.block.stmts.remove(index);
        let mut pass = DropHeadersCall::default();
        for stmt in &mut f.block.stmts {
            syn::visit_mut::visit_stmt_mut(&mut pass, stmt);
        }
        let left = f
            .block
            .stmts
            .iter()
            .any(|stmt| quote!(#stmt).to_string().contains("header_map"));
        if pass.removed != 1 || left {
            return Err(format!(
                "builder `{name}`: an empty header_map is still used after removing `.headers(header_map)`"
            ));
        }
        Ok(())
    })?;
    Ok(())
}

fn is_header_map_let(stmt: &syn::Stmt) -> bool {
    matches!(stmt, syn::Stmt::Local(syn::Local { pat: syn::Pat::Ident(p), .. }) if p.ident == "header_map")
}

/// Replaces `<receiver>.headers(header_map)` by `<receiver>`.
#[derive(Default)]
struct DropHeadersCall {
    removed: usize,
}

impl syn::visit_mut::VisitMut for DropHeadersCall {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("header_map"))
        {
            *expr = (*call.receiver).clone();
            self.removed += 1;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// Replaces progenitor's `ResponseValue::from_response(..)` by `decode_fn(..)` in every
/// builder. Fails when there is none (progenitor changed how it decodes).
pub fn use_decode_fn(file: &mut syn::File, decode_fn: &str) -> Result<(), String> {
    let path: syn::ExprPath = syn::parse_str(decode_fn)
        .map_err(|e| format!("decode function `{decode_fn}` is not a Rust path: {e}"))?;
    let mut pass = ReplaceFromResponse { path, replaced: 0 };
    let builder = builder_module(file)?;
    for item in &mut builder.1 {
        syn::visit_mut::visit_item_mut(&mut pass, item);
    }
    if pass.replaced == 0 {
        return Err("progenitor's output has no `ResponseValue::from_response` call".to_owned());
    }
    Ok(())
}

struct ReplaceFromResponse {
    path: syn::ExprPath,
    replaced: usize,
}

impl syn::visit_mut::VisitMut for ReplaceFromResponse {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let syn::Expr::Path(func) = call.func.as_ref() {
            let segments: Vec<String> = func
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if segments == ["ResponseValue", "from_response"] {
                *call.func = syn::Expr::Path(self.path.clone());
                self.replaced += 1;
            }
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}

/// Replaces progenitor's snake-case operation name in each `send()`'s
/// `OperationInfo { operation_id }` with the spec's operationId, so that the runtime's span,
/// its list of retry-safe operations and the crate's errors all use the name the spec and
/// the API documentation use (`getOauthClient`, not `get_oauth_client`). Fails unless every
/// operation's builder has exactly one such literal.
pub fn use_spec_operation_ids(file: &mut syn::File, openapi: &OpenAPI) -> Result<(), String> {
    let mut wanted = builder_names(openapi);
    for_each_send(file, |name, f| {
        let Some(operation_id) = wanted.remove(name) else {
            return Ok(());
        };
        let mut replaced = 0;
        for stmt in &mut f.block.stmts {
            let syn::Stmt::Local(local) = stmt else {
                continue;
            };
            let Some(init) = &mut local.init else {
                continue;
            };
            let syn::Expr::Struct(info) = init.expr.as_mut() else {
                continue;
            };
            if !info.path.is_ident("OperationInfo") {
                continue;
            }
            for field in &mut info.fields {
                if matches!(&field.member, syn::Member::Named(m) if m == "operation_id") {
                    field.expr = syn::parse_quote!(#operation_id);
                    replaced += 1;
                }
            }
        }
        if replaced != 1 {
            return Err(format!(
                "builder `{name}`: expected one `OperationInfo {{ operation_id }}` in send(), found {replaced}"
            ));
        }
        Ok(())
    })?;
    if let Some((name, id)) = wanted.into_iter().next() {
        return Err(format!(
            "operation `{id}` has no builder `{name}` in progenitor's output"
        ));
    }
    Ok(())
}

/// Adds `pub const RETRY_SAFE_OPERATIONS: &[&str]` to the module: the operationIds marked
/// `x-retry-safe: true` in the spec, in the spec's order, for the runtime's retry policy.
pub fn add_retry_safe_operations(file: &mut syn::File, openapi: &OpenAPI) -> Result<(), String> {
    let ids: Vec<String> = operations(openapi)
        .iter()
        .filter(|op| is_retry_safe(op.operation))
        .filter_map(|op| op.operation.operation_id.clone())
        .collect();
    let doc = format!(
        " The operations marked `{RETRY_SAFE_EXTENSION}: true` in the spec: POSTs (or PATCHes) that may be sent again after a 502, 503 or 504. Methods other than POST and PATCH are sent again anyway."
    );
    let item: syn::Item = syn::parse2(quote! {
        #[doc = #doc]
        pub const RETRY_SAFE_OPERATIONS: &[&str] = &[#(#ids),*];
    })
    .map_err(|e| format!("RETRY_SAFE_OPERATIONS does not parse: {e}"))?;
    // After progenitor's `use` lines and re-exports, before the `types` module.
    let position = file
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(_)))
        .unwrap_or(file.items.len());
    file.items.insert(position, item);
    Ok(())
}

/// Calls `f` with the name and the `send()` of every builder in the `builder` module, and
/// returns how many there were. The first error stops the walk.
fn for_each_send(
    file: &mut syn::File,
    mut f: impl FnMut(&str, &mut syn::ImplItemFn) -> Result<(), String>,
) -> Result<usize, String> {
    let mut sends = 0;
    for item in &mut builder_module(file)?.1 {
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
    Ok(sends)
}

/// Builder struct name (progenitor's UpperCamelCase of the operationId) → operationId.
fn builder_names(openapi: &OpenAPI) -> BTreeMap<String, String> {
    operations(openapi)
        .iter()
        .filter_map(|op| op.operation.operation_id.clone())
        .map(|id| (id.to_upper_camel_case(), id))
        .collect()
}

fn self_type_name(imp: &syn::ItemImpl) -> Option<String> {
    let syn::Type::Path(self_ty) = imp.self_ty.as_ref() else {
        return None;
    };
    self_ty.path.segments.last().map(|s| s.ident.to_string())
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
