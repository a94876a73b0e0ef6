//! The generated public API documents itself: progenitor and typify leave the model
//! builders, their setters, the operation builders' setters and some fields undocumented,
//! and name a model's builder like the model (`builder() -> GrantRequestPassword`).
//!
//! This pass renames each model builder `<Model>Builder`, gives every public item that has
//! no doc one (from the spec's descriptions where it has them, otherwise a sentence that
//! says what the item is), and makes each operation's example call `call()`, which returns
//! the crate's own error, instead of `send()`.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use super::Context;
use super::model_builder_names::model_builder_name;
use crate::syntax::{
    SerdeAttrs, doc_attr, doc_literal_mut, doc_text, is_default_impl, item_name, module_mut,
    named_type, result_ok_type, returned_builder, self_type_name,
};
use crate::{Error, operations};

/// Runs the whole pass on `file`.
pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    document_models(file).map_err(|m| cx.error(m))?;
    document_operation_builders(file, &cx.spec.openapi, cx)?;
    rewrite_examples(file, cx)?;
    Ok(())
}

// ---- models ----

/// Docs for the `types` module: undocumented fields and variants, `builder()`, the model
/// builders and their setters, the `builder` and `error` modules.
fn document_models(file: &mut syn::File) -> Result<(), String> {
    let types =
        module_mut(&mut file.items, "types").ok_or("progenitor produced no `types` module")?;
    // The models that have a builder.
    let with_builder: BTreeSet<String> = module_mut(types, "builder")
        .map(|builders| {
            builders
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Struct(s) => s
                        .ident
                        .to_string()
                        .strip_suffix("Builder")
                        .map(str::to_owned),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();

    // The types a field may link to.
    let defined: BTreeSet<String> = types.iter().filter_map(item_name).collect();
    // Model → its fields' docs, for the setters of its builder.
    let mut field_docs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();

    for item in types.iter_mut() {
        match item {
            syn::Item::Struct(s) => {
                if let syn::Fields::Named(fields) = &mut s.fields {
                    for field in &mut fields.named {
                        let Some(ident) = &field.ident else { continue };
                        // The spec's description (as typify put it), before any fallback.
                        field_docs
                            .entry(s.ident.to_string())
                            .or_default()
                            .insert(ident.to_string(), doc_text(&field.attrs));
                        if !has_doc(&field.attrs) {
                            let wire = SerdeAttrs::of(&field.attrs)
                                .rename
                                .unwrap_or_else(|| unraw(&ident.to_string()));
                            let doc = match named_type(&field.ty).filter(|t| defined.contains(t)) {
                                Some(ty) => format!(" The JSON field `{wire}` (see [`{ty}`])."),
                                None => format!(" The JSON field `{wire}`."),
                            };
                            field.attrs.insert(0, doc_attr(&doc));
                        }
                    }
                }
            }
            syn::Item::Enum(e) => {
                for variant in &mut e.variants {
                    if !has_doc(&variant.attrs) {
                        let doc = match SerdeAttrs::of(&variant.attrs).rename {
                            Some(wire) => format!(" The value `{wire}`."),
                            None => format!(" The value `{}`.", variant.ident),
                        };
                        variant.attrs.insert(0, doc_attr(&doc));
                    }
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(model) = self_type_name(imp) else {
                    continue;
                };
                for member in &mut imp.items {
                    if let syn::ImplItem::Fn(f) = member
                        && f.sig.ident == "builder"
                        && !has_doc(&f.attrs)
                        && with_builder.contains(&model)
                    {
                        let builder = model_builder_name(&model);
                        f.attrs.insert(
                            0,
                            doc_attr(&format!(
                                " Starts a [`builder::{builder}`] for this model, with no field set; \
                                 `try_into()` turns it into a `{model}`."
                            )),
                        );
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "builder" => {
                set_doc(
                    &mut m.attrs,
                    " Builders of the models: `<Model>Builder` for each struct model, started by `<Model>::builder()`, turned into the model by `try_into()`.",
                );
            }
            syn::Item::Mod(m) if m.ident == "error" => {
                set_doc(
                    &mut m.attrs,
                    " The error of converting a model builder that misses a required field, or a string that is not a value of an enum model.",
                );
            }
            _ => {}
        }
    }

    let Some(builders) = module_mut(types, "builder") else {
        return Ok(());
    };
    for item in builders.iter_mut() {
        match item {
            syn::Item::Struct(s) => {
                let model = s
                    .ident
                    .to_string()
                    .strip_suffix("Builder")
                    .map(str::to_owned)
                    .unwrap_or_default();
                if !has_doc(&s.attrs) {
                    s.attrs.insert(
                        0,
                        doc_attr(&format!(
                            " Builder of the model [`{model}`](super::{model}): start it with \
                             [`{model}::builder()`](super::{model}::builder) (or from a `{model}` \
                             with `From`), set its fields, then turn it into a `{model}` with \
                             `try_into()`, which fails, naming the field, while a required field \
                             is unset. The `body_map` of an operation whose body is this model \
                             changes the body through this builder."
                        )),
                    );
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(builder) = self_type_name(imp) else {
                    continue;
                };
                let model = builder
                    .strip_suffix("Builder")
                    .unwrap_or(&builder)
                    .to_owned();
                let docs = field_docs.get(&model);
                for member in &mut imp.items {
                    let syn::ImplItem::Fn(f) = member else {
                        continue;
                    };
                    // An earlier pass may have added a note below the summary (a blank
                    // line first, as `required_defaults` does): the summary still goes on top.
                    if has_summary(&f.attrs) {
                        continue;
                    }
                    let field = f.sig.ident.to_string();
                    let about = docs
                        .and_then(|d| d.get(&field))
                        .map(|d| first_paragraph(d))
                        .unwrap_or_default();
                    let mut doc = format!(
                        " Sets [`{shown}`](super::{model}::{field})",
                        shown = unraw(&field)
                    );
                    if about.is_empty() {
                        doc.push('.');
                    } else {
                        doc.push_str(": ");
                        doc.push_str(about.trim_start());
                    }
                    f.attrs.insert(0, doc_attr(&doc));
                }
            }
            _ => {}
        }
    }
    // Required fields, from each builder's `Default` (an unset required field is an `Err`).
    let mut required: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in builders.iter() {
        if let syn::Item::Impl(imp) = item
            && is_default_impl(imp)
            && let Some(name) = self_type_name(imp)
        {
            required.insert(name, unset_fields(imp));
        }
    }
    for item in builders.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(name) = self_type_name(imp) else {
            continue;
        };
        let Some(fields) = required.get(&name) else {
            continue;
        };
        for member in &mut imp.items {
            if let syn::ImplItem::Fn(f) = member
                && fields.contains(&f.sig.ident.to_string())
            {
                f.attrs.push(doc_attr(""));
                f.attrs
                    .push(doc_attr(" Required: `try_into()` fails while it is unset."));
            }
        }
    }
    Ok(())
}

/// The fields that a builder's `Default` leaves as `Err(..)`: the required ones.
fn unset_fields(default: &syn::ItemImpl) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for member in &default.items {
        let syn::ImplItem::Fn(f) = member else {
            continue;
        };
        for stmt in &f.block.stmts {
            let syn::Stmt::Expr(syn::Expr::Struct(value), _) = stmt else {
                continue;
            };
            for field in &value.fields {
                if let (syn::Member::Named(name), syn::Expr::Call(call)) =
                    (&field.member, &field.expr)
                    && matches!(call.func.as_ref(), syn::Expr::Path(p) if p.path.is_ident("Err"))
                {
                    out.insert(name.to_string());
                }
            }
        }
    }
    out
}

// ---- operation builders ----

/// One parameter of an operation, as its setter documents it.
struct ParameterDoc {
    location: &'static str,
    name: String,
    description: Option<String>,
    required: bool,
}

/// One operation, as its builder documents it.
#[derive(Default)]
struct OperationDoc {
    /// By setter name (the snake case of the parameter name).
    parameters: BTreeMap<String, ParameterDoc>,
    body: Option<String>,
}

/// Operation builder name (progenitor's UpperCamelCase of the operationId) → its docs.
fn operation_docs(openapi: &OpenAPI) -> BTreeMap<String, OperationDoc> {
    let components = openapi.components.as_ref();
    let mut out = BTreeMap::new();
    for op in operations(openapi) {
        let Some(id) = &op.operation.operation_id else {
            continue;
        };
        let mut doc = OperationDoc::default();
        // Path-level parameters first; the operation's own override them.
        for parameter in op.path_parameters.iter().chain(&op.operation.parameters) {
            let parameter = match parameter {
                ReferenceOr::Item(p) => Some(p),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| components?.parameters.get(name))
                    .and_then(|p| match p {
                        ReferenceOr::Item(p) => Some(p),
                        ReferenceOr::Reference { .. } => None,
                    }),
            };
            let Some(parameter) = parameter else { continue };
            let location = match parameter {
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Path { .. } => "path",
                Parameter::Cookie { .. } => "cookie",
            };
            let data = parameter.parameter_data_ref();
            doc.parameters.insert(
                data.name.to_snake_case(),
                ParameterDoc {
                    location,
                    name: data.name.clone(),
                    description: data.description.clone(),
                    required: data.required,
                },
            );
        }
        doc.body = op
            .operation
            .request_body
            .as_ref()
            .and_then(|body| match body {
                ReferenceOr::Item(b) => b.description.clone(),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|name| components?.request_bodies.get(name))
                    .and_then(|b| match b {
                        ReferenceOr::Item(b) => b.description.clone(),
                        ReferenceOr::Reference { .. } => None,
                    }),
            });
        out.insert(id.to_upper_camel_case(), doc);
    }
    out
}

/// Docs for the operation builders' `new` and setters, and for the `builder` module.
fn document_operation_builders(
    file: &mut syn::File,
    openapi: &OpenAPI,
    cx: &Context<'_>,
) -> Result<(), Error> {
    let docs = operation_docs(openapi);
    for item in &mut file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
        {
            set_doc(
                &mut m.attrs,
                " Builders of the requests, one per operation, each returned by the [`Client`](super::Client) method of the operation: set the parameters and the body, then `call()` it.",
            );
        }
    }
    let builder = module_mut(&mut file.items, "builder")
        .ok_or_else(|| cx.error("progenitor produced no `builder` module"))?;
    // Builder → the model of its body (`types::builder::<Model>Builder` in its `body` field).
    let mut body_models: BTreeMap<String, String> = BTreeMap::new();
    for item in builder.iter() {
        if let syn::Item::Struct(s) = item
            && let syn::Fields::Named(fields) = &s.fields
            && let Some(body) = fields
                .named
                .iter()
                .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))
            && let Some(model) = result_ok_type(&body.ty).and_then(named_type)
            && let Some(model) = model.strip_suffix("Builder")
        {
            body_models.insert(s.ident.to_string(), model.to_owned());
        }
    }
    for item in builder.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(name) = self_type_name(imp) else {
            continue;
        };
        let Some(operation) = docs.get(&name) else {
            continue;
        };
        let model = body_models.get(&name);
        for member in &mut imp.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            if has_doc(&f.attrs) {
                continue;
            }
            let setter = unraw(&f.sig.ident.to_string());
            let doc = match setter.as_str() {
                "new" => " A request with nothing set yet. The [`Client`](super::Client) method that returns this builder is the usual start.".to_owned(),
                "body" => {
                    let mut doc = match operation.body.as_deref().map(first_paragraph) {
                        Some(about) if !about.is_empty() => {
                            format!(" Sets the request body: {}", about.trim_start())
                        }
                        _ => " Sets the request body.".to_owned(),
                    };
                    if let Some(m) = model {
                        doc.push_str(&format!(
                            "\n\n Takes a [`types::{m}`](super::types::{m}), its builder, or anything else that converts into one."
                        ));
                    }
                    doc
                }
                "body_map" => match model {
                    Some(m) => {
                        let b = model_builder_name(m);
                        format!(
                            " Changes the request body through its builder, [`types::builder::{b}`](super::types::builder::{b}), starting from the body set so far (or an empty one)."
                        )
                    }
                    None => " Changes the request body through its builder, starting from the body set so far.".to_owned(),
                },
                _ => match operation.parameters.get(&setter) {
                    Some(p) => {
                        let mut doc = format!(" Sets the {} parameter `{}`", p.location, p.name);
                        match p.description.as_deref().map(first_paragraph) {
                            Some(about) if !about.is_empty() => {
                                doc.push_str(": ");
                                doc.push_str(about.trim_start());
                            }
                            _ => doc.push('.'),
                        }
                        if p.required {
                            doc.push_str("\n\n Required: `call()` and `send()` fail while it is unset.");
                        }
                        doc
                    }
                    None => {
                        return Err(cx.in_builder(
                            &name,
                            format!("setter `{setter}` matches no parameter of the operation"),
                        ));
                    }
                },
            };
            f.attrs.insert(0, doc_attr(&doc));
        }
    }
    Ok(())
}

// ---- examples ----

/// Makes the example in each operation's doc on `Client` end in `.call().await?` (the
/// crate's error) where progenitor's ends in `.send().await` (progenitor's error).
fn rewrite_examples(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    let error_type = cx.api.error_type;
    let error_name = error_type
        .rsplit("::")
        .next()
        .unwrap_or(error_type)
        .to_owned();
    let mut setters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(builder) = module_mut(&mut file.items, "builder") {
        for item in builder.iter() {
            if let syn::Item::Struct(s) = item
                && let syn::Fields::Named(fields) = &s.fields
            {
                setters.insert(
                    s.ident.to_string(),
                    fields
                        .named
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                        .filter(|f| f != "client")
                        .collect(),
                );
            }
        }
    }
    let mut rewritten = 0;
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || self_type_name(imp).as_deref() != Some("Client") {
            continue;
        }
        for member in &mut imp.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            let Some(builder) = returned_builder(&f.sig.output) else {
                continue;
            };
            let fields = setters
                .get(&builder)
                .ok_or_else(|| {
                    cx.in_builder(
                        &builder,
                        format!(
                            "`Client::{}` returns `builder::{builder}`, which is not in the `builder` module",
                            f.sig.ident
                        ),
                    )
                })?;
            let method = f.sig.ident.to_string();
            let doc = doc_literal_mut(&mut f.attrs)
                .ok_or_else(|| cx.in_builder(&builder, format!("`Client::{method}` has no doc")))?;
            let text = doc.value();
            let start = text.rfind("```ignore").ok_or_else(|| {
                cx.in_builder(
                    &builder,
                    format!("the doc of `Client::{method}` has no example"),
                )
            })?;
            let mut example = format!(
                "\n\n`call()` returns the crate's [`{error_name}`]({error_type}), which names the operation; `send()` returns progenitor's.\n```ignore\nlet response = client.{method}()\n"
            );
            for field in fields {
                example.push_str(&format!("    .{field}({})\n", unraw(field)));
            }
            example.push_str("    .call()\n    .await?;\n```");
            *doc = syn::LitStr::new(
                &format!("{}{example}", text[..start].trim_end()),
                doc.span(),
            );
            rewritten += 1;
        }
    }
    if rewritten != setters.len() {
        return Err(cx.error(format!(
            "rewrote the examples of {rewritten} operations, but the `builder` module has {} builders",
            setters.len()
        )));
    }
    Ok(())
}

// ---- helpers ----

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    !doc_text(attrs).trim().is_empty()
}

/// Whether the first doc line of `attrs` says something (a doc that starts with a blank
/// line is a note waiting for its summary).
fn has_summary(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .find_map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(!s.value().trim().is_empty()),
            _ => None,
        })
        .unwrap_or(false)
}

/// Up to the first blank line, on one line.
fn first_paragraph(doc: &str) -> String {
    doc.trim()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces every doc attribute of `attrs` by one with `text`.
fn set_doc(attrs: &mut Vec<syn::Attribute>, text: &str) {
    attrs.retain(|a| !a.path().is_ident("doc"));
    attrs.insert(0, doc_attr(text));
}

fn unraw(ident: &str) -> String {
    ident.trim_start_matches("r#").to_owned()
}
