//! `RETRY_SAFE_OPERATIONS`: the operationIds marked `x-retry-safe: true` in the spec, in
//! the spec's order, for the runtime's retry policy.

use quote::quote;

use super::Context;
use crate::{Error, RETRY_SAFE_EXTENSION, is_retry_safe, operations};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    let ids: Vec<String> = operations(&cx.spec.openapi)
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
    .map_err(|e| cx.error(format!("RETRY_SAFE_OPERATIONS does not parse: {e}")))?;
    // After progenitor's `use` lines and re-exports, before the `types` module.
    let position = file
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(_)))
        .unwrap_or(file.items.len());
    file.items.insert(position, item);
    Ok(())
}
