//! Security requirements: which operations carry the client's credential.
//!
//! An operation's effective requirement is its own `security` list, or the document's
//! root `security` where it has none. It is *authenticated* when that list holds at least
//! one non-empty requirement (`security: []`, or only `{}`, means the operation takes no
//! credential: logins, token introspection, browser pages). The generated
//! `AUTHENTICATED_OPERATIONS` lists the authenticated operationIds; the runtime attaches the
//! client's token to those and to nothing else (an operation it does not know gets none).

use std::path::Path;

use openapiv3::{OpenAPI, SecurityRequirement};
use quote::quote;

use crate::Error;
use crate::load::{OperationRef, find_key_line, find_operation_line, operations};

/// The requirement that applies to `op`: its own, else the document's, else none.
pub fn effective_security<'a>(
    openapi: &'a OpenAPI,
    op: &'a openapiv3::Operation,
) -> &'a [SecurityRequirement] {
    op.security
        .as_deref()
        .or(openapi.security.as_deref())
        .unwrap_or(&[])
}

/// Whether `op` carries a credential: its effective requirement names a scheme.
pub fn is_authenticated(openapi: &OpenAPI, op: &openapiv3::Operation) -> bool {
    effective_security(openapi, op)
        .iter()
        .any(|requirement| !requirement.is_empty())
}

/// The effective requirement of `op` in words, for the spec diff: `none`, or the
/// alternatives (`bearer or access_token`, `PureCloudOAuth (oauth, oauth:readonly)`).
pub fn describe(openapi: &OpenAPI, op: &openapiv3::Operation) -> String {
    let alternatives: Vec<String> = effective_security(openapi, op)
        .iter()
        .map(|requirement| {
            if requirement.is_empty() {
                return "anonymous".to_owned();
            }
            requirement
                .iter()
                .map(|(scheme, scopes)| {
                    if scopes.is_empty() {
                        scheme.clone()
                    } else {
                        format!("{scheme} ({})", scopes.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    if alternatives.is_empty() {
        "none".to_owned()
    } else {
        alternatives.join(" or ")
    }
}

/// Every scheme a requirement names (the root's or an operation's) must be defined in
/// `components.securitySchemes`; otherwise the generator cannot say what the operation
/// needs. The error names the file, the line and the operation.
pub(crate) fn check_schemes(path: &Path, text: &str, openapi: &OpenAPI) -> Result<(), Error> {
    let defined = |name: &str| {
        openapi
            .components
            .as_ref()
            .is_some_and(|c| c.security_schemes.contains_key(name))
    };
    let undefined = |requirements: &[SecurityRequirement]| {
        requirements
            .iter()
            .flat_map(|r| r.keys())
            .find(|name| !defined(name))
            .cloned()
    };
    if let Some(name) = openapi.security.as_deref().and_then(undefined) {
        return Err(Error::file(
            path,
            format!("the root `security` names the undefined security scheme `{name}` (not in components.securitySchemes)"),
        )
        .at(find_key_line(text, "security"), None));
    }
    for OperationRef { operation, .. } in operations(openapi) {
        if let Some(name) = operation.security.as_deref().and_then(undefined) {
            let id = operation.operation_id.clone().unwrap_or_default();
            return Err(Error::file(
                path,
                format!("`security` names the undefined security scheme `{name}` (not in components.securitySchemes)"),
            )
            .at(find_operation_line(text, &id, 1), None)
            .in_operation(id));
        }
    }
    Ok(())
}

/// Adds `pub const AUTHENTICATED_OPERATIONS: &[&str]` to the module, after
/// `RETRY_SAFE_OPERATIONS` (or before the first module).
pub(crate) fn add_authenticated_operations(
    file: &mut syn::File,
    openapi: &OpenAPI,
) -> Result<(), String> {
    let ids: Vec<String> = operations(openapi)
        .iter()
        .filter(|op| is_authenticated(openapi, op.operation))
        .filter_map(|op| op.operation.operation_id.clone())
        .collect();
    let doc = " The operations whose spec `security` requirement (their own, or the root's) names a scheme: the runtime attaches the client's credential to these and to no other operation.";
    let item: syn::Item = syn::parse2(quote! {
        #[doc = #doc]
        pub const AUTHENTICATED_OPERATIONS: &[&str] = &[#(#ids),*];
    })
    .map_err(|e| format!("AUTHENTICATED_OPERATIONS does not parse: {e}"))?;
    let position = file
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(_)))
        .unwrap_or(file.items.len());
    file.items.insert(position, item);
    Ok(())
}
