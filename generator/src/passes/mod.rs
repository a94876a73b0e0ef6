//! The post-processing passes: what the generator changes in progenitor's output, one file
//! per pass, run in the order of [`PASSES`].
//!
//! Each pass takes the parsed module and the [`Context`] (the spec, the API row, which
//! builder belongs to which operation) and either changes the tree or fails with an
//! [`Error`] that names the spec, the operation and its line. Every pass checks that
//! progenitor's output still has the shape it rewrites, so a progenitor upgrade that
//! changes it fails here, loudly, instead of generating something else.

use std::collections::BTreeMap;
use std::path::Path;

use crate::{ApiConfig, Error, Spec, find_operation_line, syntax};

mod api_version_header;
mod call_method;
mod decode_response;
pub(crate) mod docs;
mod model_builder_names;
pub(crate) mod open_enums;
mod operation_ids;
mod optional_setters;
mod required_defaults;
mod retry_safe;

/// What every pass may read.
pub struct Context<'a> {
    /// How the spec is named in errors.
    pub spec_name: &'a Path,
    /// The loaded spec.
    pub spec: &'a Spec,
    /// The API's row of the table.
    pub api: &'a ApiConfig,
    /// Operation builder name (progenitor's UpperCamelCase of the operationId) →
    /// operationId.
    pub builders: BTreeMap<String, String>,
}

impl<'a> Context<'a> {
    /// The context of one generation run.
    pub fn new(spec_name: &'a Path, spec: &'a Spec, api: &'a ApiConfig) -> Self {
        Context {
            spec_name,
            spec,
            api,
            builders: syntax::builder_names(&spec.openapi),
        }
    }

    /// An error about the module as a whole.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::file(self.spec_name, message)
    }

    /// An error about the operation `operation_id`, at its line of the spec.
    pub fn in_operation(&self, operation_id: &str, message: impl Into<String>) -> Error {
        Error::file(self.spec_name, message)
            .in_operation(operation_id)
            .at(find_operation_line(&self.spec.text, operation_id, 1), None)
    }

    /// An error about the operation whose builder is `builder`; about the module when no
    /// operation has that builder.
    pub fn in_builder(&self, builder: &str, message: impl Into<String>) -> Error {
        match self.builders.get(builder) {
            Some(id) => self.in_operation(id, message),
            None => self.error(format!("builder `{builder}`: {}", message.into())),
        }
    }
}

/// One pass.
pub type Pass = fn(&mut syn::File, &Context<'_>) -> Result<(), Error>;

/// Every pass, in the order it runs. The order matters where a pass reads what an earlier
/// one left: `call()` wraps `send()` as the earlier passes left it, and the docs pass
/// documents every item the others added.
pub const PASSES: &[Pass] = &[
    // Open enums: typify's closed enums of the named string enums are replaced (by
    // progenitor's settings); their open versions go into the `types` module.
    open_enums::run,
    // progenitor sends `api-version: <info.version>`; neither API has that header. Removes
    // it and the header map it leaves empty.
    api_version_header::run,
    // Responses are decoded by the runtime's function, which moves the headers.
    decode_response::run,
    // The runtime sees the spec's operationId (`getOauthClient`), not the snake case.
    operation_ids::run,
    // `RETRY_SAFE_OPERATIONS` from `x-retry-safe`.
    retry_safe::run,
    // `AUTHENTICATED_OPERATIONS` from each operation's effective `security`.
    |file, cx| {
        crate::security::add_authenticated_operations(file, &cx.spec.openapi)
            .map_err(|m| cx.error(m))
    },
    // `call()` beside every `send()`: the crate's error, which names the operation.
    call_method::run,
    // Model builders named `<Model>Builder` (typify names them like their model).
    model_builder_names::run,
    // Optional model fields take bare values (`.description("text")`), through the
    // runtime's `IntoOptional`.
    optional_setters::run,
    // Required model fields with a spec `default` start at it in their builder.
    required_defaults::run,
    // Last: a doc on every public item (the items the passes above added included), and
    // examples that use `call()`.
    docs::run,
];

/// Runs [`PASSES`] in order on `file`.
pub fn run_all(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    for pass in PASSES {
        pass(file, cx)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Context, api_version_header};
    use crate::{APIS, find_operation_line, parse_spec};

    const SPEC: &str = include_str!("../../tests/specs/constructs.yaml");

    #[test]
    fn errors_name_the_operation_and_its_spec_line() {
        let name = Path::new("constructs.yaml");
        let spec = parse_spec(name, SPEC).unwrap_or_else(|e| panic!("{e}"));
        let cx = Context::new(name, &spec, &APIS[0]);
        let e = cx.in_builder("GetClient", "something is off");
        assert_eq!(e.operation.as_deref(), Some("getClient"));
        assert_eq!(e.line, find_operation_line(SPEC, "getClient", 1));
        assert!(e.line.is_some());
        assert_eq!(e.file, name);
        // A builder no operation has: the module as a whole, named in the message.
        let e = cx.in_builder("Nothing", "something is off");
        assert_eq!((e.operation, e.line), (None, None));
        assert_eq!(e.message, "builder `Nothing`: something is off");
    }

    #[test]
    fn a_pass_fails_loudly_when_progenitors_output_has_another_shape() {
        let name = Path::new("constructs.yaml");
        let spec = parse_spec(name, SPEC).unwrap_or_else(|e| panic!("{e}"));
        let cx = Context::new(name, &spec, &APIS[0]);
        let mut file =
            crate::progenitor::generate(name, &spec, &APIS[0]).unwrap_or_else(|e| panic!("{e}"));
        api_version_header::run(&mut file, &cx).unwrap_or_else(|e| panic!("{e}"));
        // The statement is gone now: a second run finds none and says which operation.
        let e = api_version_header::run(&mut file, &cx).expect_err("no api-version statement left");
        assert!(e.operation.is_some(), "{e}");
        assert!(e.line.is_some(), "{e}");
        assert!(
            e.message
                .contains("expected one `api-version` header statement in send(), found 0"),
            "{e}"
        );
    }
}
