//! Stage 2, progenitor: the settings this workspace generates with, and a run that no spec
//! can panic: progenitor's panics (asserts, `todo!`, `unreachable!` on constructs it does
//! not take) and its errors become [`Error`]s that name the operation at fault and its line.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use openapiv3::{OpenAPI, Paths, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor_impl::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use schemars::schema::{InstanceType, SchemaObject};

use crate::passes::open_enums;
use crate::{ApiConfig, Error, Spec, find_operation_line, operations};

/// Runs progenitor on `spec` with the settings of `api` and parses its output.
pub fn generate(spec_name: &Path, spec: &Spec, api: &ApiConfig) -> Result<syn::File, Error> {
    let settings = settings(spec_name, spec, api)?;
    let tokens = generate_tokens(spec_name, spec, &settings)?;
    syn::parse2(tokens).map_err(|e| {
        Error::file(
            spec_name,
            format!("progenitor produced code that does not parse: {e}"),
        )
    })
}

fn settings(spec_name: &Path, spec: &Spec, api: &ApiConfig) -> Result<GenerationSettings, Error> {
    let inner: TokenStream = api.inner_type.parse().map_err(|e| {
        Error::file(
            spec_name,
            format!("inner type `{}` is not a Rust path: {e}", api.inner_type),
        )
    })?;
    // The contract has checked the enums already.
    let enums = open_enums::find(&spec.openapi).map_err(|(_, m)| Error::file(spec_name, m))?;
    let mut settings = GenerationSettings::default();
    settings
        // Builder style: the authorize URL has seven optional query parameters and most
        // models are all-optional; named setters read better than rows of `None`.
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The crate must implement `ClientHooks` (its runtime attaches the token, retries,
        // renews on a 401 and records a span); a missing impl fails to compile.
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
    // typify's closed enums of the named string enums give way to the open ones that the
    // open-enums pass adds.
    for e in &enums {
        settings.with_replacement(
            &e.name,
            format!("{}::types::{}", api.module_path, e.name),
            [TypeImpl::FromStr, TypeImpl::Display].into_iter(),
        );
    }
    Ok(settings)
}

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs, once per process, a panic hook that records panics raised while this thread
/// runs progenitor (instead of printing them) and passes every other panic to the hook
/// that was there before.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let message = if let Some(s) = info.payload().downcast_ref::<&str>() {
                    (*s).to_owned()
                } else if let Some(s) = info.payload().downcast_ref::<String>() {
                    s.clone()
                } else {
                    "panic with a non-string payload".to_owned()
                };
                // Name the source file from its crate folder on: the registry path
                // differs between machines.
                let location = info
                    .location()
                    .map(|l| {
                        let file = l.file().replace('\\', "/");
                        let short = file
                            .find("progenitor")
                            .map_or(file.as_str(), |i| &file[i..]);
                        format!(" (at {short}:{})", l.line())
                    })
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{location}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// What one progenitor run gave: code, an error, or a panic (as text).
enum Outcome {
    Tokens(TokenStream),
    Failed(String),
}

fn run(openapi: &OpenAPI, settings: &GenerationSettings) -> Outcome {
    install_hook();
    GUARDED.with(|g| g.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        Generator::new(settings).generate_tokens(openapi)
    }));
    GUARDED.with(|g| g.set(false));
    match result {
        Ok(Ok(tokens)) => Outcome::Tokens(tokens),
        Ok(Err(e)) => Outcome::Failed(format!(
            "progenitor rejected it: {}",
            first_line(&e.to_string())
        )),
        Err(_) => {
            let message = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Outcome::Failed(format!(
                "progenitor panicked on it: {}",
                first_line(&message)
            ))
        }
    }
}

/// progenitor's messages can end in a multi-line `Debug` dump of the construct; the first
/// line says what is wrong (and the operation and line are named beside it).
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default().trim_end();
    let line = line.strip_suffix('{').map_or(line, str::trim_end);
    let location = message
        .rfind(" (at progenitor")
        .map(|i| &message[i..])
        .filter(|_| message.lines().count() > 1);
    format!("{line}{}", location.unwrap_or_default())
}

/// Runs progenitor on `spec`. On failure, finds the first operation that fails on its own
/// and names it with its line.
fn generate_tokens(
    spec_name: &Path,
    spec: &Spec,
    settings: &GenerationSettings,
) -> Result<TokenStream, Error> {
    let message = match run(&spec.openapi, settings) {
        Outcome::Tokens(tokens) => return Ok(tokens),
        Outcome::Failed(message) => message,
    };
    for op in operations(&spec.openapi) {
        let id = op.operation.operation_id.as_deref().unwrap_or_default();
        if let Outcome::Failed(own) =
            run(&only_operation(&spec.openapi, op.path, op.method), settings)
        {
            return Err(
                Error::file(spec_name, format!("{} {}: {own}", op.method, op.path))
                    .in_operation(id)
                    .at(find_operation_line(&spec.text, id, 1), None),
            );
        }
    }
    Err(Error::file(spec_name, message))
}

/// A copy of `openapi` with one operation left (its path item keeps its parameters).
fn only_operation(openapi: &OpenAPI, path: &str, method: &str) -> OpenAPI {
    let mut single = openapi.clone();
    let mut paths = Paths::default();
    if let Some(ReferenceOr::Item(item)) = openapi.paths.paths.get(path) {
        let mut item = item.clone();
        let keep = method.to_ascii_lowercase();
        for (name, slot) in [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("options", &mut item.options),
            ("head", &mut item.head),
            ("patch", &mut item.patch),
            ("trace", &mut item.trace),
        ] {
            if name != keep {
                *slot = None;
            }
        }
        paths.paths.insert(path.to_owned(), ReferenceOr::Item(item));
    }
    single.paths = paths;
    single
}
