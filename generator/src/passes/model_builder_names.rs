//! Model builders named as builders: typify names the builder of model `X` `X` too (in
//! `types::builder`), so the docs read `builder() -> GrantRequestPassword`. This pass
//! renames it `XBuilder`, with every path that names it.

use std::collections::BTreeSet;

use super::Context;
use crate::Error;
use crate::syntax::{item_name, module_mut};

/// What a model builder is called: `<Model>Builder`.
pub fn model_builder_name(model: &str) -> String {
    format!("{model}Builder")
}

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    rename_model_builders(file).map_err(|m| cx.error(m))?;
    Ok(())
}

/// Renames every struct `X` of `types::builder` to `XBuilder`, and every path that names it
/// (`builder::X` in `types`, `X` in `types::builder`, `types::builder::X` in the operation
/// builders). Returns the model names whose builder was renamed.
fn rename_model_builders(file: &mut syn::File) -> Result<BTreeSet<String>, String> {
    let types =
        module_mut(&mut file.items, "types").ok_or("progenitor produced no `types` module")?;
    let defined: BTreeSet<String> = types.iter().filter_map(item_name).collect();
    let Some(builders) = module_mut(types, "builder") else {
        return Ok(BTreeSet::new());
    };
    let names: BTreeSet<String> = builders
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    if let Some(clash) = names
        .iter()
        .find(|n| defined.contains(&model_builder_name(n)))
    {
        return Err(format!(
            "the builder of model `{clash}` would be named `{}`, which is a model too",
            model_builder_name(clash)
        ));
    }
    let mut inside = RenamePaths::new(&[], &names);
    for item in builders.iter_mut() {
        if let syn::Item::Struct(s) = item {
            s.ident = syn::Ident::new(&model_builder_name(&s.ident.to_string()), s.ident.span());
        }
        syn::visit_mut::visit_item_mut(&mut inside, item);
    }
    let mut from_types = RenamePaths::new(&["builder"], &names);
    for item in types.iter_mut() {
        if !matches!(item, syn::Item::Mod(m) if m.ident == "builder") {
            syn::visit_mut::visit_item_mut(&mut from_types, item);
        }
    }
    let mut from_operations = RenamePaths::new(&["types", "builder"], &names);
    if let Some(operation_builders) = module_mut(&mut file.items, "builder") {
        for item in operation_builders.iter_mut() {
            syn::visit_mut::visit_item_mut(&mut from_operations, item);
        }
    }
    Ok(names)
}

/// Renames the last segment of every path `<prefix>::<name>` (exactly) whose name is in
/// `names`.
struct RenamePaths<'a> {
    prefix: &'a [&'a str],
    names: &'a BTreeSet<String>,
}

impl<'a> RenamePaths<'a> {
    fn new(prefix: &'a [&'a str], names: &'a BTreeSet<String>) -> Self {
        RenamePaths { prefix, names }
    }
}

impl syn::visit_mut::VisitMut for RenamePaths<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let n = path.segments.len();
        if path.leading_colon.is_none()
            && n == self.prefix.len() + 1
            && path
                .segments
                .iter()
                .zip(self.prefix)
                .all(|(segment, want)| segment.ident == want)
            && let Some(last) = path.segments.last_mut()
            && self.names.contains(&last.ident.to_string())
        {
            last.ident = syn::Ident::new(
                &model_builder_name(&last.ident.to_string()),
                last.ident.span(),
            );
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}
