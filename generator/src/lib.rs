//! Turns one OpenAPI 3.0 spec of this workspace into the Rust source of one client crate's
//! generated module, on progenitor.
//!
//! The pipeline: [`load_spec`] (YAML with positions, duplicate keys rejected, the contract
//! checked) → progenitor's `generate_tokens` (its panics caught and turned into errors that
//! name the operation) → open enums added to the `types` module → `prettyplease` → a header.
//! The same spec gives the same bytes on every machine: no rustfmt, no nightly, no
//! hash-map ordering.
//!
//! [`regen`] serves the three callers of one function: `cargo xtask regen` (write),
//! `cargo xtask regen --check`, and the snapshot test (check).

mod calls;
pub mod diff;
mod error;
mod fields;
mod load;
mod open_enums;
mod panics;
mod regen;
mod surface;

use std::path::Path;

use progenitor_impl::{GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use schemars::schema::{InstanceType, SchemaObject};

pub use error::Error;
pub use load::{
    OperationRef, RETRY_SAFE_EXTENSION, Spec, find_key_line, find_operation_line, is_retry_safe,
    load_spec, operations, parse_spec,
};
pub use regen::{
    Mode, Output, Report, Stale, regen, render_outputs, render_outputs_for, stale_outputs,
    write_outputs,
};
pub use surface::surface_markdown;

/// What the generator needs to know about one API: one row per client crate. A third API
/// is one spec file plus one row here.
#[derive(Debug, Clone, Copy)]
pub struct ApiConfig {
    /// Short name, used in messages.
    pub name: &'static str,
    /// The spec, relative to the workspace root.
    pub spec: &'static str,
    /// The generated module, relative to the workspace root.
    pub output: &'static str,
    /// The Rust path of the generated module inside its crate. Open enums are referred to
    /// through it from every generated type that uses them.
    pub module_path: &'static str,
    /// The hand-written type that `Client` carries and hands to its hooks (auth, retries).
    pub inner_type: &'static str,
    /// The hand-written type that credentials (`type: string, format: password`) become;
    /// it must redact itself in `Debug` and `Display`.
    pub secret_type: &'static str,
    /// The crate's error type. Every operation builder gets a `call()` beside progenitor's
    /// `send()` that returns it, built by `<error_type>::capture("<operationId>", send)`.
    pub error_type: &'static str,
    /// The API surface report (markdown), relative to the workspace root; checked and
    /// written with the generated module.
    pub surface: &'static str,
    /// The function that decodes a JSON response in place of progenitor's
    /// `ResponseValue::from_response` (same signature): it moves the response headers into
    /// the `ResponseValue` where progenitor clones them.
    pub decode_fn: &'static str,
}

/// The APIs of this workspace.
pub const APIS: &[ApiConfig] = &[
    ApiConfig {
        name: "bluejeans",
        spec: "spec/bluejeans.yaml",
        output: "bluejeans-api/src/generated.rs",
        surface: "bluejeans-api/API.md",
        module_path: "crate::generated",
        inner_type: "::oauth_client_runtime::Runtime",
        decode_fn: "::oauth_client_runtime::decode_response",
        secret_type: "crate::Secret",
        error_type: "crate::Error",
    },
    ApiConfig {
        name: "purecloud-oauth",
        spec: "spec/purecloud-oauth.yaml",
        output: "purecloud-oauth-api/src/generated.rs",
        surface: "purecloud-oauth-api/API.md",
        module_path: "crate::generated",
        inner_type: "::oauth_client_runtime::Runtime",
        decode_fn: "::oauth_client_runtime::decode_response",
        secret_type: "crate::Secret",
        error_type: "crate::Error",
    },
];

/// The command that regenerates the committed files; named in headers and in every
/// message about stale output.
pub const REGEN_COMMAND: &str = "cargo xtask regen";

/// Loads the spec of `api` (relative to `root`) and returns the source of its generated
/// module.
pub fn generate_api(root: &Path, api: &ApiConfig) -> Result<String, Error> {
    let spec = load_api_spec(root, api)?;
    generate(Path::new(api.spec), &spec, api)
}

fn load_api_spec(root: &Path, api: &ApiConfig) -> Result<Spec, Error> {
    load_spec(&root.join(api.spec)).map_err(|mut e| {
        e.file = api.spec.into();
        e
    })
}

/// The generated module of `api` and its API surface report, from one load of the spec and
/// one syntax tree.
pub(crate) fn generate_api_with_surface(
    root: &Path,
    api: &ApiConfig,
) -> Result<(String, String), Error> {
    let spec = load_api_spec(root, api)?;
    let spec_name = Path::new(api.spec);
    let file = generate_file(spec_name, &spec, api)?;
    let surface = surface::surface_from_file(&spec, &file, api)?;
    Ok((print(spec_name, &file), surface))
}

/// Returns the source of the generated module for an already loaded `spec`. `spec_name` is
/// how the spec is named in the header and in errors.
pub fn generate(spec_name: &Path, spec: &Spec, api: &ApiConfig) -> Result<String, Error> {
    Ok(print(spec_name, &generate_file(spec_name, spec, api)?))
}

fn print(spec_name: &Path, file: &syn::File) -> String {
    format!("{}{}", header(spec_name), prettyplease::unparse(file))
}

fn generate_file(spec_name: &Path, spec: &Spec, api: &ApiConfig) -> Result<syn::File, Error> {
    // Schema-level problems name the schema; point at its line too.
    let in_schema = |(schema, message): (String, String)| {
        Error::file(spec_name, message).at(find_key_line(&spec.text, &schema), None)
    };
    fields::check_field_names(&spec.openapi).map_err(in_schema)?;
    let enums = open_enums::find(&spec.openapi).map_err(in_schema)?;
    let settings = settings(api, &enums)?;

    let tokens = panics::generate_tokens(spec_name, spec, &settings)?;
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::file(
            spec_name,
            format!("progenitor produced code that does not parse: {e}"),
        )
    })?;
    add_to_types_module(&mut file, &enums).map_err(|m| Error::file(spec_name, m))?;
    calls::strip_api_version_header(&mut file).map_err(|m| Error::file(spec_name, m))?;
    calls::drop_empty_header_maps(&mut file).map_err(|m| Error::file(spec_name, m))?;
    calls::use_decode_fn(&mut file, api.decode_fn).map_err(|m| Error::file(spec_name, m))?;
    calls::use_spec_operation_ids(&mut file, &spec.openapi)
        .map_err(|m| Error::file(spec_name, m))?;
    calls::add_retry_safe_operations(&mut file, &spec.openapi)
        .map_err(|m| Error::file(spec_name, m))?;
    calls::add_call_methods(&mut file, &spec.openapi, api.error_type)
        .map_err(|m| Error::file(spec_name, m))?;
    Ok(file)
}

/// The first lines of every generated file.
pub fn header(spec_name: &Path) -> String {
    format!(
        "// @generated by `{REGEN_COMMAND}` from {spec}. DO NOT EDIT.\n\
         // To change this file, change {spec} (or generator/) and run `{REGEN_COMMAND}`.\n\n",
        spec = spec_name.display().to_string().replace('\\', "/"),
    )
}

fn settings(api: &ApiConfig, enums: &[open_enums::OpenEnum]) -> Result<GenerationSettings, Error> {
    let inner: proc_macro2::TokenStream = api.inner_type.parse().map_err(|e| {
        Error::file(
            Path::new(api.spec),
            format!("inner type `{}` is not a Rust path: {e}", api.inner_type),
        )
    })?;
    let mut settings = GenerationSettings::default();
    settings
        // Builder style: the authorize URL has seven optional query parameters and most
        // models are all-optional; named setters read better than rows of `None`.
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The crate must implement `ClientHooks` (it strips progenitor's `api-version`
        // header and adds auth, retries and tracing); a missing impl fails to compile.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(inner)
        .with_derive("PartialEq")
        // Deterministic order when a map is serialized.
        .with_map_type("::std::collections::BTreeMap")
        // Every credential (`type: string, format: password`, whatever its description)
        // becomes the crate's redacting secret type.
        .with_conversion(
            SchemaObject {
                instance_type: Some(InstanceType::String.into()),
                format: Some("password".to_owned()),
                ..Default::default()
            },
            api.secret_type,
            std::iter::empty(),
        );
    for e in enums {
        settings.with_replacement(
            &e.name,
            format!("{}::types::{}", api.module_path, e.name),
            [TypeImpl::FromStr, TypeImpl::Display].into_iter(),
        );
    }
    Ok(settings)
}

fn add_to_types_module(file: &mut syn::File, enums: &[open_enums::OpenEnum]) -> Result<(), String> {
    if enums.is_empty() {
        return Ok(());
    }
    let types = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut(),
            _ => None,
        })
        .ok_or("progenitor produced no `types` module")?;
    for e in enums {
        let items: syn::File = syn::parse2(open_enums::tokens(e))
            .map_err(|err| format!("open enum `{}` does not parse: {err}", e.name))?;
        // Put each enum where typify would have put it: sorted among the other types.
        let position = types
            .1
            .iter()
            .position(|item| item_name(item).is_some_and(|n| n.as_str() > e.name.as_str()))
            .unwrap_or(types.1.len());
        types.1.splice(position..position, items.items);
    }
    Ok(())
}

fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        _ => None,
    }
}
