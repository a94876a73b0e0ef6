//! Properties every generated module has, checked on the tiny construct spec and on both
//! workspace specs. (What each construct becomes is in the whole-output snapshots,
//! `tests/snapshots.rs`.)

use std::path::Path;

use generator::APIS;

/// The construct spec's module and both workspace modules, each with a name.
fn modules() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join("generator/tests/specs/constructs.yaml");
    let spec = generator::load_spec(&path).unwrap_or_else(|e| panic!("{e}"));
    let constructs = generator::generate(
        Path::new("generator/tests/specs/constructs.yaml"),
        &spec,
        &APIS[0],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut out = vec![("constructs".to_owned(), constructs)];
    for api in APIS {
        let code = generator::generate_api(&root, api).unwrap_or_else(|e| panic!("{e}"));
        out.push((api.name.to_owned(), code));
    }
    out
}

#[test]
fn output_is_deterministic() {
    assert_eq!(modules(), modules());
}

/// The public items of a generated module that have no doc, as `path` strings.
fn undocumented(code: &str) -> Vec<String> {
    fn documented(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| a.path().is_ident("doc"))
    }
    fn public(vis: &syn::Visibility) -> bool {
        matches!(vis, syn::Visibility::Public(_))
    }
    fn walk(items: &[syn::Item], path: &str, out: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Mod(m) if public(&m.vis) => {
                    let inner = format!("{path}{}::", m.ident);
                    if !documented(&m.attrs) {
                        out.push(inner.clone());
                    }
                    if let Some((_, items)) = &m.content {
                        walk(items, &inner, out);
                    }
                }
                syn::Item::Struct(s) if public(&s.vis) => {
                    if !documented(&s.attrs) {
                        out.push(format!("{path}{}", s.ident));
                    }
                    for f in &s.fields {
                        if let Some(field) = &f.ident
                            && public(&f.vis)
                            && !documented(&f.attrs)
                        {
                            out.push(format!("{path}{}.{field}", s.ident));
                        }
                    }
                }
                syn::Item::Enum(e) if public(&e.vis) => {
                    if !documented(&e.attrs) {
                        out.push(format!("{path}{}", e.ident));
                    }
                    for v in &e.variants {
                        if !documented(&v.attrs) {
                            out.push(format!("{path}{}::{}", e.ident, v.ident));
                        }
                    }
                }
                syn::Item::Const(c) if public(&c.vis) && !documented(&c.attrs) => {
                    out.push(format!("{path}{}", c.ident));
                }
                syn::Item::Type(t) if public(&t.vis) && !documented(&t.attrs) => {
                    out.push(format!("{path}{}", t.ident));
                }
                syn::Item::Fn(f) if public(&f.vis) && !documented(&f.attrs) => {
                    out.push(format!("{path}{}", f.sig.ident));
                }
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    let self_ty = quote::ToTokens::to_token_stream(&imp.self_ty).to_string();
                    for member in &imp.items {
                        if let syn::ImplItem::Fn(f) = member
                            && public(&f.vis)
                            && !documented(&f.attrs)
                        {
                            out.push(format!("{path}{self_ty}::{}", f.sig.ident));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let file = syn::parse_file(code).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    walk(&file.items, "", &mut out);
    out
}

#[test]
fn every_public_item_has_a_doc() {
    for (name, code) in modules() {
        assert_eq!(undocumented(&code), Vec::<String>::new(), "{name}");
    }
}

#[test]
fn every_example_calls_call() {
    for (name, code) in modules() {
        let file = syn::parse_file(&code).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut examples = 0;
        for item in &file.items {
            let syn::Item::Impl(imp) = item else { continue };
            for member in &imp.items {
                let syn::ImplItem::Fn(f) = member else {
                    continue;
                };
                let doc: String = f
                    .attrs
                    .iter()
                    .filter_map(|a| match &a.meta {
                        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                            syn::Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(s),
                                ..
                            }) => Some(s.value()),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect();
                if let Some(example) = doc.split("```ignore").nth(1) {
                    examples += 1;
                    assert!(
                        example.contains("    .call()\n    .await?;")
                            && !example.contains(".send()"),
                        "{name}: `{}` shows\n{example}",
                        f.sig.ident
                    );
                }
            }
        }
        let operations = code.matches("pub async fn call(").count();
        assert!(operations > 0, "{name}");
        assert_eq!(examples, operations, "{name}: one example per operation");
    }
}

#[test]
fn no_api_version_header_is_sent() {
    // progenitor adds `api-version: <info.version>` to every request; neither API has it.
    for (name, code) in modules() {
        assert!(!code.contains("\"api-version\""), "{name}");
    }
}
