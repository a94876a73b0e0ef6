//! Responses are decoded by the API's `decode_fn` (`oauth_client_runtime::decode_response`)
//! instead of progenitor's `ResponseValue::from_response`: same signature and results, but
//! the response headers are moved into the `ResponseValue` rather than cloned.

use syn::visit_mut::VisitMut;

use super::Context;
use crate::Error;
use crate::syntax::module_mut;

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    let decode_fn = cx.api.decode_fn;
    let path: syn::ExprPath = syn::parse_str(decode_fn).map_err(|e| {
        cx.error(format!(
            "decode function `{decode_fn}` is not a Rust path: {e}"
        ))
    })?;
    let mut pass = ReplaceFromResponse { path, replaced: 0 };
    let builders = module_mut(&mut file.items, "builder")
        .ok_or_else(|| cx.error("progenitor produced no `builder` module"))?;
    for item in builders {
        pass.visit_item_mut(item);
    }
    if pass.replaced == 0 {
        return Err(cx.error("progenitor's output has no `ResponseValue::from_response` call"));
    }
    Ok(())
}

struct ReplaceFromResponse {
    path: syn::ExprPath,
    replaced: usize,
}

impl VisitMut for ReplaceFromResponse {
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
