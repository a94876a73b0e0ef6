//! Turns one OpenAPI 3.0 spec of this workspace into the Rust source of one client crate's
//! generated module, on progenitor, and into the crate's API surface report.
//!
//! The pipeline, one module per stage:
//!
//! 1. `load`: the YAML with positions (duplicate keys rejected), then the generator's
//!    contract (`load::contract`): OpenAPI 3.0.x, path keys that start with `/`, a unique
//!    operationId on every operation, `x-retry-safe` where it means something, defined
//!    security schemes, properties and enum values that become distinct Rust names.
//! 2. `progenitor`: progenitor's `generate_tokens` with this workspace's settings
//!    (builder style, hooks required, credentials as the crate's secret type, open enums
//!    in place of typify's), its panics and errors turned into errors that name the
//!    operation and its line.
//! 3. `passes`: the post-processing passes, one file each, run in the order of
//!    `passes::PASSES`: open enums, no `api-version` header, the runtime's response
//!    decoder, operationIds at run time, `RETRY_SAFE_OPERATIONS`,
//!    `AUTHENTICATED_OPERATIONS`, `call()`, model builders named `<Model>Builder`, docs.
//! 4. `prettyplease` and a `@generated` header; the surface report (`API.md`) from the
//!    same syntax tree.
//!
//! The same spec gives the same bytes on every machine: no rustfmt, no nightly, no
//! hash-map ordering. [`regen`] serves the three callers of one function:
//! `cargo xtask regen` (write), `cargo xtask regen --check`, and the drift test (check).
//! [`diff`] compares two versions of a spec for `cargo xtask diff`.

pub mod diff;
mod error;
mod load;
mod passes;
mod progenitor;
// Typed mocks (issue 16): the `<crate>-mock` companion crates.
pub mod mocks;
mod regen;
pub mod security;
mod surface;
mod syntax;

use std::path::Path;

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
    let mut file = progenitor::generate(spec_name, spec, api)?;
    passes::run_all(&mut file, &passes::Context::new(spec_name, spec, api))?;
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
