//! `call()`: beside each operation builder's `send()`, a method that returns the crate's
//! own error type, which names the operation. Built from progenitor's output (the `send()`
//! signature), so it always matches it.

use quote::quote;

use super::Context;
use crate::Error;
use crate::syntax::{module_mut, result_ok_type, self_type_name};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    let error_type = cx.api.error_type;
    let error_type: syn::Type = syn::parse_str(error_type)
        .map_err(|e| cx.error(format!("error type `{error_type}` is not a Rust type: {e}")))?;
    let mut wanted = cx.builders.clone();
    let builders = module_mut(&mut file.items, "builder")
        .ok_or_else(|| cx.error("progenitor produced no `builder` module"))?;

    let mut added = Vec::new();
    for item in builders.iter() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(name) = self_type_name(imp) else {
            continue;
        };
        let Some(operation_id) = wanted.remove(&name) else {
            continue;
        };
        let Some(success) = imp.items.iter().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => match &f.sig.output {
                syn::ReturnType::Type(_, ty) => result_ok_type(ty).cloned(),
                syn::ReturnType::Default => None,
            },
            _ => None,
        }) else {
            return Err(cx.in_operation(
                &operation_id,
                format!("builder `{name}` has no `send()` of the expected shape"),
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
        added
            .push(syn::parse2::<syn::Item>(tokens).map_err(|e| {
                cx.in_operation(&operation_id, format!("call() for `{name}`: {e}"))
            })?);
    }
    if let Some((name, id)) = wanted.into_iter().next() {
        return Err(cx.in_operation(&id, format!("no builder `{name}` in progenitor's output")));
    }
    builders.extend(added);
    Ok(())
}
