//! Operations are named by their operationId at run time: progenitor's `OperationInfo` in
//! each `send()` carries the snake case (`get_oauth_client`); this pass puts the spec's
//! operationId (`getOauthClient`) there, so that the runtime's span, its lists of
//! retry-safe and authenticated operations and the crate's errors all use the name of the
//! spec and API.md.

use super::Context;
use crate::Error;
use crate::syntax::for_each_send;

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    let mut wanted = cx.builders.clone();
    for_each_send(file, |name, send| {
        let Some(operation_id) = wanted.remove(name) else {
            return Ok(());
        };
        let mut replaced = 0;
        for stmt in &mut send.block.stmts {
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
            return Err(cx.in_operation(
                &operation_id,
                format!(
                    "builder `{name}`: expected one `OperationInfo {{ operation_id }}` in send(), found {replaced}"
                ),
            ));
        }
        Ok(())
    })?
    .ok_or_else(|| cx.error("progenitor produced no `builder` module"))?;
    if let Some((name, id)) = wanted.into_iter().next() {
        return Err(cx.in_operation(&id, format!("no builder `{name}` in progenitor's output")));
    }
    Ok(())
}
