//! No `api-version` header: progenitor sends `api-version: <info.version>` with every
//! request, and neither API has such a header. This pass removes that statement from every
//! builder's `send()`, shrinks the `header_map` it was sized for by one, and where nothing
//! else goes into the map removes the map and its `.headers(header_map)` call, so that a
//! request without header parameters allocates no header map of its own.
//!
//! One pass, because the capacity it shrinks counts the header it removes.

use syn::visit_mut::VisitMut;

use super::Context;
use crate::Error;
use crate::syntax::{for_each_send, is_local, string_literal};

/// The header progenitor adds.
const HEADER: &str = "api-version";

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    let sends = for_each_send(file, |name, send| strip(name, send, cx))?
        .ok_or_else(|| cx.error("progenitor produced no `builder` module"))?;
    if sends == 0 {
        return Err(cx.error("progenitor produced no operation builder with a `send()`"));
    }
    Ok(())
}

fn strip(name: &str, send: &mut syn::ImplItemFn, cx: &Context<'_>) -> Result<(), Error> {
    let stmts = &mut send.block.stmts;
    let before = stmts.len();
    stmts.retain(|stmt| !is_api_version_append(stmt));
    if before - stmts.len() != 1 {
        return Err(cx.in_builder(
            name,
            format!(
                "expected one `{HEADER}` header statement in send(), found {}",
                before - stmts.len()
            ),
        ));
    }

    let Some(index) = stmts.iter().position(is_header_map_let) else {
        return Err(cx.in_builder(name, "send() has no `let mut header_map`"));
    };
    let syn::Stmt::Local(local) = &mut stmts[index] else {
        unreachable!("is_header_map_let matched a `let`")
    };
    let capacity = local
        .init
        .as_mut()
        .and_then(|init| match init.expr.as_mut() {
            syn::Expr::Call(call) => call.args.first_mut(),
            _ => None,
        })
        .ok_or_else(|| cx.in_builder(name, "header_map is not made by with_capacity(n)"))?;
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Int(n),
        ..
    }) = capacity
    else {
        return Err(cx.in_builder(name, "header_map capacity is not a literal"));
    };
    let n: usize = n
        .base10_parse()
        .map_err(|e| cx.in_builder(name, format!("header_map capacity: {e}")))?;
    let remaining = n.checked_sub(1).ok_or_else(|| {
        cx.in_builder(
            name,
            format!("header_map has capacity 0 but held `{HEADER}`"),
        )
    })?;
    if remaining > 0 {
        *capacity = syn::parse_quote!(#remaining);
        return Ok(());
    }
    stmts.remove(index);
    let mut drop_call = DropHeadersCall::default();
    for stmt in stmts.iter_mut() {
        drop_call.visit_stmt_mut(stmt);
    }
    let mut uses = UsesOf {
        name: "header_map",
        found: false,
    };
    for stmt in stmts.iter_mut() {
        uses.visit_stmt_mut(stmt);
    }
    if drop_call.removed != 1 || uses.found {
        return Err(cx.in_builder(
            name,
            "an empty header_map is still used after removing `.headers(header_map)`",
        ));
    }
    Ok(())
}

/// `header_map.append(HeaderName::from_static("api-version"), ..);`
fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    if call.method != "append" || !is_local(&call.receiver, "header_map") {
        return false;
    }
    let Some(syn::Expr::Call(name)) = call.args.first() else {
        return false;
    };
    let from_static = matches!(name.func.as_ref(), syn::Expr::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "from_static"));
    from_static && name.args.first().and_then(string_literal).as_deref() == Some(HEADER)
}

fn is_header_map_let(stmt: &syn::Stmt) -> bool {
    matches!(stmt, syn::Stmt::Local(syn::Local { pat: syn::Pat::Ident(p), .. }) if p.ident == "header_map")
}

/// Replaces `<receiver>.headers(header_map)` by `<receiver>`.
#[derive(Default)]
struct DropHeadersCall {
    removed: usize,
}

impl VisitMut for DropHeadersCall {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && is_local(&call.args[0], "header_map")
        {
            *expr = (*call.receiver).clone();
            self.removed += 1;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// Whether the statements name the local `name` (a `VisitMut` only because syn's `visit`
/// feature is not enabled; it changes nothing).
struct UsesOf {
    name: &'static str,
    found: bool,
}

impl VisitMut for UsesOf {
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        if path.qself.is_none() && path.path.is_ident(self.name) {
            self.found = true;
        }
        syn::visit_mut::visit_expr_path_mut(self, path);
    }
}
