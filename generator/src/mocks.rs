//! Typed mocks: one companion crate per client (`<crate>-mock`) with an httpmock extension
//! generated from the same spec as the client.
//!
//! progenitor 0.15 has an httpmock generator (`Generator::httpmock`), but its output is not
//! exact to the wire for these specs: a path key with a query marker (`/oauth2/token?Client`)
//! becomes a path regex that never matches, a `4XX` response becomes
//! `client_error(status: u16, ..)` with an `assert_eq!` (a panic on a test's input),
//! parameters are rendered with `Display` (a `Secret` would be matched as `[redacted]`),
//! every regex is built with `.unwrap()`, and nothing matches a credential. So the mocks are
//! generated here, from two sources:
//!
//! - the spec: HTTP method, path and query markers, where each parameter goes (path, query,
//!   header) and its wire name, the documented statuses, response headers and security;
//! - the client's generated module: the Rust types of every parameter, the body, the
//!   success and the error response, exactly as the client exposes them (rewritten from
//!   `crate::…` to `::<client_crate>::…`).
//!
//! What the mocks match is what the client sends: path parameters through progenitor's own
//! `encode_path`, query values through serde (as the client's `QueryParam`), headers through
//! `Display` (as the client's header map), bodies as JSON values (`Secret` serializes its
//! raw value, open enums their wire value). Range statuses take a typed status
//! (`status::ClientErrorStatus`, only 400..=499 can be built), so no generated method can
//! panic; a value that cannot be serialized makes the mock match nothing instead.
//!
//! The table [`MOCKS`] says which APIs get mocks and where they go; `regen` renders them
//! beside each client module, and the drift check covers them like every other output.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use heck::{ToSnakeCase as _, ToUpperCamelCase as _};
use openapiv3::{
    APIKeyLocation, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind,
    SecurityScheme, StatusCode, Type as SchemaType,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Fields, GenericArgument, ImplItem, Item, PathArguments, ReturnType, Type};

use crate::regen::Output;
use crate::{ApiConfig, Error, Spec, find_operation_line, load_spec, operations};

/// Where the typed mocks of one API go.
#[derive(Debug, Clone, Copy)]
pub struct MockConfig {
    /// [`ApiConfig::name`] of the API.
    pub api: &'static str,
    /// The generated mock module, relative to the workspace root.
    pub output: &'static str,
    /// The client crate as a Rust path (`-` as `_`): the mock crate names every type
    /// through it.
    pub client_crate: &'static str,
}

/// The APIs that get typed mocks: each in a companion crate beside its client.
pub const MOCKS: &[MockConfig] = &[
    MockConfig {
        api: "bluejeans",
        output: "bluejeans-api-mock/src/generated.rs",
        client_crate: "bluejeans_api",
    },
    MockConfig {
        api: "purecloud-oauth",
        output: "purecloud-oauth-api-mock/src/generated.rs",
        client_crate: "purecloud_oauth_api",
    },
];

/// The mock module of `api` (if [`MOCKS`] lists it), from its spec under `root` and the
/// source of its generated client module.
pub(crate) fn render(
    root: &Path,
    api: &ApiConfig,
    client_source: &str,
) -> Result<Option<Output>, Error> {
    let Some(mock) = MOCKS.iter().find(|m| m.api == api.name) else {
        return Ok(None);
    };
    let spec = load_spec(&root.join(api.spec)).map_err(|mut e| {
        e.file = api.spec.into();
        e
    })?;
    let client = syn::parse_file(client_source).map_err(|e| {
        Error::file(
            Path::new(api.output),
            format!("the generated module does not parse: {e}"),
        )
    })?;
    let contents = generate_mocks(Path::new(api.spec), &spec, &client, mock)?;
    Ok(Some(Output {
        path: mock.output.into(),
        contents,
    }))
}

/// The source of the mock module for `spec` (named `spec_name` in the header and in
/// errors), whose client module is `client`.
pub fn generate_mocks(
    spec_name: &Path,
    spec: &Spec,
    client: &syn::File,
    mock: &MockConfig,
) -> Result<String, Error> {
    let ops = read_operations(spec_name, spec, client, mock)?;
    let tokens = render_tokens(&ops);
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::file(
            spec_name,
            format!("the mock generator produced code that does not parse: {e}"),
        )
    })?;
    Ok(format!(
        "{}{}",
        crate::header(spec_name),
        prettyplease::unparse(&file)
    ))
}

// ---------------------------------------------------------------------------------------
// The model: what one operation's mock needs to know.
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Location {
    Path,
    Query,
    Header,
}

struct Param {
    rust: String,
    wire: String,
    location: Location,
    required: bool,
    /// The value type (without `Option`), as the mock crate names it.
    ty: Type,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Code(u16),
    /// `1XX` … `5XX`: the first digit.
    Range(u16),
    Default,
}

enum Body {
    None,
    Json(Box<Type>),
    Raw(String),
}

struct Response {
    status: Status,
    description: String,
    body: Body,
    /// The spec's example of a JSON body (`example`, or the first of `examples`), as compact
    /// JSON text.
    example: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Credential {
    /// `Authorization: Bearer <token>` (http bearer, oauth2, openIdConnect).
    Bearer,
    /// An apiKey in the query string under this name.
    Query(String),
    /// An apiKey in this header.
    Header(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderKind {
    Integer,
    Boolean,
    Text,
}

struct MockOp {
    id: String,
    method: String,
    http_method: &'static str,
    /// The spec's path key as written (with any query marker).
    path_key: String,
    /// The path part: literal text and parameter names.
    segments: Vec<Segment>,
    /// `(name, value)` pairs of the query marker of the path key (`?Client` → `Client`, ``).
    marker: Vec<(String, String)>,
    params: Vec<Param>,
    body: Option<Type>,
    responses: Vec<Response>,
    headers: Vec<(String, HeaderKind)>,
    /// Empty: the operation takes no credential.
    credentials: BTreeSet<Credential>,
    /// apiKey placements of the whole spec, for `no_credentials` on operations without any.
    all_api_keys: BTreeSet<Credential>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

// ---------------------------------------------------------------------------------------
// Reading the spec and the client module.
// ---------------------------------------------------------------------------------------

fn read_operations(
    spec_name: &Path,
    spec: &Spec,
    client: &syn::File,
    mock: &MockConfig,
) -> Result<Vec<MockOp>, Error> {
    let openapi = &spec.openapi;
    let methods = client_methods(client);
    let builders = builders(client);
    let rewrite = Rewrite {
        client_crate: mock.client_crate.to_owned(),
    };
    let all_api_keys = api_key_placements(openapi);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for op in operations(openapi) {
        let id = op.operation.operation_id.clone().unwrap_or_default();
        let nth = seen.entry(id.clone()).or_default();
        *nth += 1;
        let fail = |message: String| {
            Error::file(spec_name, message)
                .at(find_operation_line(&spec.text, &id, *nth - 1), None)
                .in_operation(&id)
        };
        let method = methods
            .get(&(op.method.to_owned(), op.path.to_owned()))
            .ok_or_else(|| {
                fail(format!(
                    "the generated client has no method for {} {}",
                    op.method, op.path
                ))
            })?;
        let builder = builders.get(&method.builder).ok_or_else(|| {
            fail(format!(
                "the generated client has no builder `{}`",
                method.builder
            ))
        })?;
        let (path_part, query_part) = match op.path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (op.path, None),
        };
        let segments = parse_template(path_part).map_err(&fail)?;
        let marker = query_part.map(parse_marker).unwrap_or_default();

        // Parameters: where they go from the spec, their Rust types from the builder.
        let mut params = Vec::new();
        let declared = op
            .path_parameters
            .iter()
            .chain(op.operation.parameters.iter());
        let mut by_name: BTreeMap<(String, String), Parameter> = BTreeMap::new();
        for p in declared {
            let p = resolve_parameter(openapi, p).map_err(&fail)?;
            let (data, location) = match &p {
                Parameter::Path { parameter_data, .. } => (parameter_data, "path"),
                Parameter::Query { parameter_data, .. } => (parameter_data, "query"),
                Parameter::Header { parameter_data, .. } => (parameter_data, "header"),
                Parameter::Cookie { parameter_data, .. } => (parameter_data, "cookie"),
            };
            // An operation's own parameter replaces the path item's one of the same name.
            by_name.insert((location.to_owned(), data.name.clone()), p.clone());
        }
        for ((_, _), p) in by_name {
            let (data, location) = match &p {
                Parameter::Path { parameter_data, .. } => (parameter_data, Location::Path),
                Parameter::Query { parameter_data, .. } => (parameter_data, Location::Query),
                Parameter::Header { parameter_data, .. } => (parameter_data, Location::Header),
                Parameter::Cookie { parameter_data, .. } => {
                    return Err(fail(format!(
                        "cookie parameter `{}`: the mocks (and progenitor) do not take cookie parameters",
                        parameter_data.name
                    )));
                }
            };
            let rust = data.name.to_snake_case();
            let field = builder
                .fields
                .iter()
                .find(|(name, _)| name.trim_start_matches("r#") == rust)
                .ok_or_else(|| {
                    fail(format!(
                        "parameter `{}`: the client's builder `{}` has no field `{rust}`",
                        data.name, method.builder
                    ))
                })?;
            let (required, ty) = builder_value_type(field.1).ok_or_else(|| {
                fail(format!(
                    "parameter `{}`: unexpected builder field type",
                    data.name
                ))
            })?;
            if location == Location::Path && !required {
                return Err(fail(format!(
                    "path parameter `{}` must be required",
                    data.name
                )));
            }
            params.push(Param {
                rust: field.0.clone(),
                wire: data.name.clone(),
                location,
                required,
                ty: rewrite.ty(ty),
            });
        }
        // Path parameters in template order, then the others in the builder's order.
        let field_order = |p: &Param| {
            builder
                .fields
                .iter()
                .position(|(n, _)| *n == p.rust)
                .unwrap_or(usize::MAX)
        };
        params.sort_by_key(|p| (p.location != Location::Path, field_order(p)));
        for s in &segments {
            if let Segment::Param(name) = s
                && !params
                    .iter()
                    .any(|p| p.location == Location::Path && p.wire == *name)
            {
                return Err(fail(format!(
                    "path `{}` has the parameter `{{{name}}}`, which the operation does not declare",
                    op.path
                )));
            }
        }

        // The JSON body.
        let body = match &op.operation.request_body {
            None => None,
            Some(body) => {
                let body = match body {
                    ReferenceOr::Item(b) => b.clone(),
                    ReferenceOr::Reference { reference } => {
                        resolve_ref(openapi, reference, "requestBodies", |c, n| {
                            c.request_bodies.get(n)
                        })
                        .map_err(&fail)?
                    }
                };
                if !body.content.keys().any(|k| is_json(k)) {
                    return Err(fail(format!(
                        "request body media types {:?}: the mocks take application/json bodies only",
                        body.content.keys().collect::<Vec<_>>()
                    )));
                }
                let field = builder
                    .fields
                    .iter()
                    .find(|(name, _)| name == "body")
                    .ok_or_else(|| {
                        fail(format!(
                            "the client's builder `{}` has no `body`",
                            method.builder
                        ))
                    })?;
                let (_, ty) = builder_value_type(field.1)
                    .ok_or_else(|| fail("unexpected builder field type of `body`".to_owned()))?;
                Some(rewrite.ty(ty))
            }
        };

        // Responses: the success type for 2xx, the error type for the rest.
        let (ok_ty, err_ty) = builder.send.and_then(send_types).ok_or_else(|| {
            fail(format!(
                "builder `{}` has no typed `send()`",
                method.builder
            ))
        })?;
        let mut responses = Vec::new();
        let mut headers = BTreeMap::new();
        let has_success = op.operation.responses.responses.keys().any(|s| match s {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        });
        let entries = op
            .operation
            .responses
            .responses
            .iter()
            .map(|(s, r)| {
                (
                    match s {
                        StatusCode::Code(c) => Status::Code(*c),
                        StatusCode::Range(r) => Status::Range(*r),
                    },
                    r,
                )
            })
            .chain(
                op.operation
                    .responses
                    .default
                    .as_ref()
                    .map(|r| (Status::Default, r)),
            );
        for (status, response) in entries {
            let response = match response {
                ReferenceOr::Item(r) => r.clone(),
                ReferenceOr::Reference { reference } => {
                    resolve_ref(openapi, reference, "responses", |c, n| c.responses.get(n))
                        .map_err(&fail)?
                }
            };
            let success = match status {
                Status::Code(c) => (200..300).contains(&c),
                Status::Range(r) => r == 2,
                Status::Default => !has_success,
            };
            let rust_ty = if success { ok_ty } else { err_ty };
            let body = if response.content.is_empty() {
                Body::None
            } else if is_byte_stream(rust_ty) {
                let ct = response.content.keys().next().cloned().unwrap_or_default();
                Body::Raw(ct)
            } else if response.content.keys().any(|k| is_json(k)) && !is_unit(rust_ty) {
                Body::Json(Box::new(rewrite.ty(rust_ty)))
            } else {
                return Err(fail(format!(
                    "response {status:?}: media types {:?} do not match the client's type",
                    response.content.keys().collect::<Vec<_>>()
                )));
            };
            for (name, header) in &response.headers {
                let header = match header {
                    ReferenceOr::Item(h) => h.clone(),
                    ReferenceOr::Reference { reference } => {
                        resolve_ref(openapi, reference, "headers", |c, n| c.headers.get(n))
                            .map_err(&fail)?
                    }
                };
                let kind = match &header.format {
                    ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                        match &s.schema_kind {
                            SchemaKind::Type(SchemaType::Integer(_)) => HeaderKind::Integer,
                            SchemaKind::Type(SchemaType::Boolean(_)) => HeaderKind::Boolean,
                            _ => HeaderKind::Text,
                        }
                    }
                    _ => HeaderKind::Text,
                };
                headers.insert(name.clone(), kind);
            }
            // Success answers only: what a program run against the mock needs; the error
            // bodies are one shape per API, set with the typed methods.
            let example = match &body {
                Body::Json(_) if success => json_example(&response),
                _ => None,
            };
            responses.push(Response {
                status,
                description: response.description.clone(),
                body,
                example,
            });
        }
        responses.sort_by_key(|r| r.status);

        let credentials = credentials_of(openapi, op.operation).map_err(&fail)?;
        let mock_op = MockOp {
            id: id.clone(),
            method: method.name.clone(),
            http_method: op.method,
            path_key: op.path.to_owned(),
            segments,
            marker,
            params,
            body,
            responses,
            headers: headers.into_iter().collect(),
            credentials,
            all_api_keys: all_api_keys.clone(),
        };
        check_names(&mock_op).map_err(&fail)?;
        out.push(mock_op);
    }
    Ok(out)
}

/// The example a response documents for its JSON media type: `example`, else the first
/// inline value of `examples` (by name), as compact JSON text.
fn json_example(response: &openapiv3::Response) -> Option<String> {
    let media = response
        .content
        .iter()
        .find(|(k, _)| is_json(k))
        .map(|(_, m)| m)?;
    let value = media.example.clone().or_else(|| {
        media.examples.values().find_map(|e| match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    })?;
    serde_json::to_string(&value).ok()
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

fn resolve_parameter(openapi: &OpenAPI, p: &ReferenceOr<Parameter>) -> Result<Parameter, String> {
    match p {
        ReferenceOr::Item(p) => Ok(p.clone()),
        ReferenceOr::Reference { reference } => {
            resolve_ref(openapi, reference, "parameters", |c, n| c.parameters.get(n))
        }
    }
}

/// Resolves `#/components/<kind>/<name>` (one level: the specs keep references flat).
fn resolve_ref<T: Clone>(
    openapi: &OpenAPI,
    reference: &str,
    kind: &str,
    section: impl for<'c> Fn(&'c openapiv3::Components, &str) -> Option<&'c ReferenceOr<T>>,
) -> Result<T, String> {
    let prefix = format!("#/components/{kind}/");
    let name = reference
        .strip_prefix(&prefix)
        .ok_or_else(|| format!("reference `{reference}` is not under `{prefix}`"))?;
    let components = openapi
        .components
        .as_ref()
        .ok_or_else(|| format!("reference `{reference}`: the spec has no components"))?;
    match section(components, name) {
        Some(ReferenceOr::Item(item)) => Ok(item.clone()),
        Some(ReferenceOr::Reference { reference: next }) => Err(format!(
            "reference `{reference}` points at another reference `{next}`"
        )),
        None => Err(format!("reference `{reference}` points at nothing")),
    }
}

fn parse_template(path: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Segment::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("path `{path}` has an unclosed `{{`"))?;
        let name = &rest[open + 1..open + close];
        if name.is_empty() {
            return Err(format!("path `{path}` has an empty parameter `{{}}`"));
        }
        out.push(Segment::Param(name.to_owned()));
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path `{path}` has a `}}` without `{{`"));
    }
    if !rest.is_empty() {
        out.push(Segment::Literal(rest.to_owned()));
    }
    Ok(out)
}

/// `Client` → `[("Client", "")]`; `a=1&b` → `[("a", "1"), ("b", "")]`. The client sends the
/// marker as written; the server (and httpmock) reads it as query pairs.
fn parse_marker(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (pair.to_owned(), String::new()),
        })
        .collect()
}

fn api_key_placements(openapi: &OpenAPI) -> BTreeSet<Credential> {
    let mut out = BTreeSet::new();
    if let Some(c) = &openapi.components {
        for scheme in c.security_schemes.values() {
            if let ReferenceOr::Item(SecurityScheme::APIKey { location, name, .. }) = scheme {
                match location {
                    APIKeyLocation::Query => out.insert(Credential::Query(name.clone())),
                    APIKeyLocation::Header => out.insert(Credential::Header(name.clone())),
                    APIKeyLocation::Cookie => false,
                };
            }
        }
    }
    out
}

/// The credential placements an operation accepts (any one of them): its own `security`, or
/// the spec's.
fn credentials_of(
    openapi: &OpenAPI,
    operation: &openapiv3::Operation,
) -> Result<BTreeSet<Credential>, String> {
    let requirements = operation
        .security
        .as_ref()
        .or(openapi.security.as_ref())
        .cloned()
        .unwrap_or_default();
    let mut out = BTreeSet::new();
    for requirement in &requirements {
        for name in requirement.keys() {
            let scheme = openapi
                .components
                .as_ref()
                .and_then(|c| c.security_schemes.get(name))
                .ok_or_else(|| format!("security scheme `{name}` is not declared"))?;
            let ReferenceOr::Item(scheme) = scheme else {
                return Err(format!("security scheme `{name}` is a reference"));
            };
            let credential = match scheme {
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    Credential::Bearer
                }
                SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. } => {
                    Credential::Bearer
                }
                SecurityScheme::APIKey {
                    location: APIKeyLocation::Query,
                    name,
                    ..
                } => Credential::Query(name.clone()),
                SecurityScheme::APIKey {
                    location: APIKeyLocation::Header,
                    name,
                    ..
                } => Credential::Header(name.clone()),
                other => {
                    return Err(format!(
                        "security scheme `{name}` ({other:?}): the mocks match bearer tokens and apiKeys in the query or a header only"
                    ));
                }
            };
            out.insert(credential);
        }
    }
    Ok(out)
}

/// Every method name of an operation's `When` and `Then` must be distinct.
fn check_names(op: &MockOp) -> Result<(), String> {
    let mut when = vec!["new".to_owned(), "into_inner".to_owned()];
    for p in &op.params {
        when.push(p.rust.clone());
        if !p.required {
            when.push(format!("{}_missing", p.rust));
        }
    }
    if op.body.is_some() {
        when.push("body".to_owned());
    }
    for c in &op.credentials {
        when.push(credential_method(c));
    }
    if op.credentials.is_empty() {
        when.push("no_credentials".to_owned());
    }
    let mut then = vec![
        "new".to_owned(),
        "into_inner".to_owned(),
        "once".to_owned(),
        "up_to_n_times".to_owned(),
    ];
    for r in &op.responses {
        then.push(status_method(r.status));
        if r.example.is_some() {
            then.push(format!("{}_example", status_method(r.status)));
        }
    }
    for (h, _) in &op.headers {
        then.push(header_method(h));
    }
    for (what, names) in [("When", when), ("Then", then)] {
        let mut seen = BTreeSet::new();
        for n in names {
            if !seen.insert(n.clone()) {
                return Err(format!(
                    "two methods named `{n}` on the mock's `{what}`: rename a parameter or header"
                ));
            }
        }
    }
    Ok(())
}

/// One method of `Client` that starts an operation.
struct ClientMethod {
    name: String,
    builder: String,
}

/// The client's operation methods by (METHOD, path key), from the "Sends a `POST` request
/// to `/path`" line progenitor writes into each method's doc.
fn client_methods(file: &syn::File) -> BTreeMap<(String, String), ClientMethod> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || last_ident(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for item in &imp.items {
            let ImplItem::Fn(f) = item else { continue };
            let ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let Type::Path(p) = ty.as_ref() else { continue };
            let segments: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let [first, builder] = segments.as_slice() else {
                continue;
            };
            if first != "builder" {
                continue;
            }
            let route = f
                .attrs
                .iter()
                .filter_map(doc_line)
                .find_map(|doc| doc.lines().find_map(route_of));
            if let Some(route) = route {
                out.insert(
                    route,
                    ClientMethod {
                        name: f.sig.ident.to_string(),
                        builder: builder.clone(),
                    },
                );
            }
        }
    }
    out
}

fn doc_line(attr: &syn::Attribute) -> Option<String> {
    if let syn::Meta::NameValue(nv) = &attr.meta
        && nv.path.is_ident("doc")
        && let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = &nv.value
    {
        return Some(s.value());
    }
    None
}

fn route_of(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix("Sends a `")?;
    let (method, rest) = rest.split_once('`')?;
    let rest = rest.strip_prefix(" request to `")?;
    let path = rest.strip_suffix('`')?;
    Some((method.to_owned(), path.to_owned()))
}

struct Builder<'f> {
    fields: Vec<(String, &'f Type)>,
    send: Option<&'f Type>,
}

fn builders(file: &syn::File) -> BTreeMap<String, Builder<'_>> {
    let mut out: BTreeMap<String, Builder<'_>> = BTreeMap::new();
    let Some(items) = file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, i)| i.as_slice()),
        _ => None,
    }) else {
        return out;
    };
    let empty = || Builder {
        fields: Vec::new(),
        send: None,
    };
    for item in items {
        match item {
            Item::Struct(s) => {
                if let Fields::Named(n) = &s.fields {
                    out.entry(s.ident.to_string()).or_insert_with(empty).fields = n
                        .named
                        .iter()
                        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), &f.ty)))
                        .filter(|(name, _)| name != "client")
                        .collect();
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(name) = last_ident(&imp.self_ty) else {
                    continue;
                };
                for i in &imp.items {
                    if let ImplItem::Fn(f) = i
                        && f.sig.ident == "send"
                        && let ReturnType::Type(_, ty) = &f.sig.output
                    {
                        out.entry(name.clone()).or_insert_with(empty).send = Some(ty.as_ref());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn type_args(ty: &Type) -> Vec<&Type> {
    let Type::Path(p) = ty else {
        return Vec::new();
    };
    let Some(seg) = p.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &seg.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// A builder field `Result<T, String>` → (required, `T`); `Result<Option<T>, String>` →
/// (optional, `T`).
fn builder_value_type(ty: &Type) -> Option<(bool, &Type)> {
    if last_ident(ty).as_deref() != Some("Result") {
        return None;
    }
    let args = type_args(ty);
    let [value, _] = args.as_slice() else {
        return None;
    };
    let inner = type_args(value);
    if last_ident(value).as_deref() == Some("Option")
        && let [inner] = inner.as_slice()
    {
        return Some((false, inner));
    }
    Some((true, value))
}

/// `Result<ResponseValue<T>, Error<E>>` → (`T`, `E`).
fn send_types(ty: &Type) -> Option<(&Type, &Type)> {
    if last_ident(ty).as_deref() != Some("Result") {
        return None;
    }
    let args = type_args(ty);
    let [ok, err] = args.as_slice() else {
        return None;
    };
    let (oks, errs) = (type_args(ok), type_args(err));
    let ([t], [e]) = (oks.as_slice(), errs.as_slice()) else {
        return None;
    };
    Some((t, e))
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

fn is_byte_stream(ty: &Type) -> bool {
    last_ident(ty).as_deref() == Some("ByteStream")
}

/// Rewrites the client module's relative type paths into paths the mock crate can name:
/// `types::X` and `types::builder::X` → `::<client>::types::X`, `crate::X` → `::<client>::X`.
struct Rewrite {
    client_crate: String,
}

impl Rewrite {
    fn ty(&self, ty: &Type) -> Type {
        let mut ty = ty.clone();
        Rewrite {
            client_crate: self.client_crate.clone(),
        }
        .visit_type_mut(&mut ty);
        ty
    }
}

impl VisitMut for Rewrite {
    fn visit_type_path_mut(&mut self, tp: &mut syn::TypePath) {
        syn::visit_mut::visit_type_path_mut(self, tp);
        if tp.qself.is_some() || tp.path.leading_colon.is_some() {
            return;
        }
        let names: Vec<String> = tp
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let client = format_ident!("{}", self.client_crate);
        let last = tp.path.segments.last().cloned();
        let in_types = names.iter().any(|n| n == "types");
        let new: Option<syn::Path> = match names.first().map(String::as_str) {
            // `types::X`, `types::builder::X` (the model's builder: the mocks take the
            // model) and `crate::<module>::types::X` are all the client's `types::X`.
            Some("types" | "crate" | "super") if in_types => {
                // The model builders are named `<Model>Builder` (the builder-naming pass).
                let last = last.map(|l| {
                    let name = l.ident.to_string();
                    match name.strip_suffix("Builder") {
                        Some(model) if names.iter().any(|n| n == "builder") => {
                            let model = format_ident!("{model}");
                            quote!(#model)
                        }
                        _ => quote!(#l),
                    }
                });
                Some(syn::parse_quote!(::#client::types::#last))
            }
            Some("crate") => {
                let rest: Vec<_> = tp.path.segments.iter().skip(1).collect();
                Some(syn::parse_quote!(::#client::#(#rest)::*))
            }
            Some("super") => {
                let rest: Vec<_> = tp.path.segments.iter().skip(1).collect();
                Some(syn::parse_quote!(::#client::#(#rest)::*))
            }
            _ => None,
        };
        if let Some(path) = new {
            tp.path = path;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Rendering.
// ---------------------------------------------------------------------------------------

fn status_method(status: Status) -> String {
    match status {
        Status::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(|r| r.to_snake_case())
            .unwrap_or_else(|| format!("status_{code}")),
        Status::Range(class) => range_class(class).0.to_owned(),
        Status::Default => "default_response".to_owned(),
    }
}

/// (method name, status type, lowest, highest) of a range class.
fn range_class(class: u16) -> (&'static str, &'static str, u16, u16) {
    match class {
        1 => ("informational", "InformationalStatus", 100, 199),
        2 => ("success", "SuccessStatus", 200, 299),
        3 => ("redirect", "RedirectStatus", 300, 399),
        4 => ("client_error", "ClientErrorStatus", 400, 499),
        _ => ("server_error", "ServerErrorStatus", 500, 599),
    }
}

fn credential_method(c: &Credential) -> String {
    match c {
        Credential::Bearer => "bearer_token".to_owned(),
        Credential::Query(name) => format!("{}_in_query", name.to_snake_case()),
        Credential::Header(name) => format!("{}_in_header", name.to_snake_case()),
    }
}

fn header_method(name: &str) -> String {
    format!("{}_header", name.to_snake_case())
}

fn ident(name: &str) -> syn::Ident {
    let name = name.trim_start_matches("r#");
    syn::parse_str::<syn::Ident>(name).unwrap_or_else(|_| format_ident!("r#{}", name))
}

fn render_tokens(ops: &[MockOp]) -> TokenStream {
    let mut when_then = Vec::new();
    let mut trait_methods = Vec::new();
    let mut impl_methods = Vec::new();
    let mut classes = BTreeSet::new();
    let mut any_default = false;
    for op in ops {
        for r in &op.responses {
            match r.status {
                Status::Range(c) => {
                    classes.insert(c);
                }
                Status::Default => any_default = true,
                Status::Code(_) => {}
            }
        }
        let (ww, tm, im) = render_op(op);
        when_then.push(ww);
        trait_methods.push(tm);
        impl_methods.push(im);
    }
    let status_types = render_status_types(&classes, any_default);
    quote! {
        pub mod operations {
            //! The `When` (request matchers) and `Then` (responses) of each operation.
            //! `into_inner()` gives httpmock's own type, to match or answer beyond the spec.
            #(#when_then)*
        }

        /// One method per operation on [`MockServer`](::httpmock::MockServer): a typed
        /// [`mock()`](::httpmock::MockServer::mock) that already matches the operation's
        /// method, path and query marker.
        pub trait MockServerExt {
            #(#trait_methods)*
        }

        impl MockServerExt for ::httpmock::MockServer {
            #(#impl_methods)*
        }

        #status_types

        /// What the client puts on the wire, computed the way the client does.
        mod wire {
            /// The query values of `value` as the client's serde-based query encoding writes
            /// them (`None`: not a query value).
            pub(super) fn query_values<T: ::serde::Serialize + ?Sized>(value: &T) -> Option<Vec<String>> {
                fn scalar(value: ::serde_json::Value) -> Option<String> {
                    match value {
                        ::serde_json::Value::String(s) => Some(s),
                        ::serde_json::Value::Number(n) => Some(n.to_string()),
                        ::serde_json::Value::Bool(b) => Some(b.to_string()),
                        _ => None,
                    }
                }
                match ::serde_json::to_value(value).ok()? {
                    ::serde_json::Value::Array(items) => items.into_iter().map(scalar).collect(),
                    other => scalar(other).map(|s| vec![s]),
                }
            }

            /// `value` as JSON (`None`: it does not serialize).
            pub(super) fn json<T: ::serde::Serialize + ?Sized>(value: &T) -> Option<::serde_json::Value> {
                ::serde_json::to_value(value).ok()
            }

            /// A matcher no request meets: for a value the client could not have sent.
            pub(super) fn never(when: ::httpmock::When) -> ::httpmock::When {
                when.is_true(|_| false)
            }

            /// The path must match `pattern` (built from escaped parts only).
            pub(super) fn path_matches(when: ::httpmock::When, pattern: &str) -> ::httpmock::When {
                match ::regex::Regex::new(pattern) {
                    Ok(re) => when.path_matches(re),
                    Err(_) => never(when),
                }
            }

            /// A path parameter as the client encodes it, escaped for a regex.
            pub(super) fn path_value<T: ::std::fmt::Display + ?Sized>(value: &T) -> String {
                ::regex::escape(&::progenitor_client::encode_path(&value.to_string()))
            }
        }
    }
}

fn render_status_types(classes: &BTreeSet<u16>, any_default: bool) -> TokenStream {
    if classes.is_empty() && !any_default {
        return TokenStream::new();
    }
    let mut types = Vec::new();
    let mut all: Vec<(&str, &str, u16, u16)> = classes.iter().map(|c| range_class(*c)).collect();
    if any_default {
        all.push(("default_response", "AnyStatus", 100, 599));
    }
    for (_, name, low, high) in all {
        let name = format_ident!("{}", name);
        let consts: Vec<(&str, u16)> = [
            ("CONTINUE", 100),
            ("OK", 200),
            ("CREATED", 201),
            ("ACCEPTED", 202),
            ("NO_CONTENT", 204),
            ("MOVED_PERMANENTLY", 301),
            ("FOUND", 302),
            ("SEE_OTHER", 303),
            ("NOT_MODIFIED", 304),
            ("TEMPORARY_REDIRECT", 307),
            ("BAD_REQUEST", 400),
            ("UNAUTHORIZED", 401),
            ("FORBIDDEN", 403),
            ("NOT_FOUND", 404),
            ("CONFLICT", 409),
            ("UNPROCESSABLE_ENTITY", 422),
            ("TOO_MANY_REQUESTS", 429),
            ("INTERNAL_SERVER_ERROR", 500),
            ("BAD_GATEWAY", 502),
            ("SERVICE_UNAVAILABLE", 503),
            ("GATEWAY_TIMEOUT", 504),
        ]
        .into_iter()
        .filter(|(_, c)| (low..=high).contains(c))
        .collect();
        let const_items = consts.iter().map(|(n, c)| {
            let n = format_ident!("{}", n);
            let doc = format!(" `{c}`.");
            quote! {
                #[doc = #doc]
                pub const #n: Self = Self(#c);
            }
        });
        let doc = format!(
            " A status code in {low}..={high}: the only kind the mocks' range responses take, so \
             no status outside the documented range can be scripted. Build it with a constant, \
             [`new`](Self::new) or `TryFrom<u16>`."
        );
        let range_text = format!("{low}..={high}");
        types.push(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct #name(u16);

            impl #name {
                #(#const_items)*

                /// The status `code`, or `None` when it is outside the range.
                pub const fn new(code: u16) -> Option<Self> {
                    if code >= #low && code <= #high { Some(Self(code)) } else { None }
                }

                /// The numeric status code.
                pub const fn as_u16(self) -> u16 {
                    self.0
                }
            }

            impl TryFrom<u16> for #name {
                type Error = StatusOutOfRange;
                fn try_from(code: u16) -> Result<Self, StatusOutOfRange> {
                    Self::new(code).ok_or(StatusOutOfRange { code, range: #range_text })
                }
            }

            impl From<#name> for u16 {
                fn from(status: #name) -> u16 {
                    status.0
                }
            }
        });
    }
    quote! {
        pub mod status {
            //! Typed status codes for the responses the spec documents as a range (`4XX`).

            #(#types)*

            /// A status code outside the range a response type takes.
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub struct StatusOutOfRange {
                /// The code that was given.
                pub code: u16,
                /// The range it had to be in.
                pub range: &'static str,
            }

            impl ::std::fmt::Display for StatusOutOfRange {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    write!(f, "status {} is outside {}", self.code, self.range)
                }
            }

            impl ::std::error::Error for StatusOutOfRange {}
        }
    }
}

fn render_op(op: &MockOp) -> (TokenStream, TokenStream, TokenStream) {
    let base = op.id.to_upper_camel_case();
    let when = format_ident!("{}When", base);
    let then = format_ident!("{}Then", base);
    let method = ident(&op.method);
    let http_method = format_ident!("{}", op.http_method);
    let route = format!("`{} {}`", op.http_method, op.path_key);

    // The base matcher: method, path (exact, or a pattern with a wildcard per parameter),
    // query marker, JSON content type.
    let has_params = op.segments.iter().any(|s| matches!(s, Segment::Param(_)));
    let path_matcher = if has_params {
        let pattern = path_pattern(&op.segments, None);
        quote! { let inner = super::wire::path_matches(inner, #pattern); }
    } else {
        let path: String = op
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => l.as_str(),
                Segment::Param(_) => "",
            })
            .collect();
        quote! { let inner = inner.path(#path); }
    };
    let marker = op.marker.iter().map(|(k, v)| {
        quote! { let inner = inner.query_param(#k, #v); }
    });
    let content_type = op.body.as_ref().map(|_| {
        quote! { let inner = inner.header("content-type", "application/json"); }
    });
    let mut new_doc = format!(
        " Wraps `inner` and makes it match {route}: the method, the path{}",
        if has_params {
            " (any value of each path parameter until it is set)"
        } else {
            ""
        }
    );
    if !op.marker.is_empty() {
        new_doc.push_str(", the query marker");
    }
    if op.body.is_some() {
        new_doc.push_str(" and `content-type: application/json`");
    }
    new_doc.push('.');

    let mut when_methods = Vec::new();
    for p in &op.params {
        let name = ident(&p.rust);
        let wire = &p.wire;
        let ty = &p.ty;
        let (doc, apply) = match p.location {
            Location::Path => {
                let pattern_parts = path_pattern_parts(&op.segments, &p.wire);
                let pieces = pattern_parts.iter().map(|part| match part {
                    PatternPart::Fixed(s) => quote! { #s },
                    PatternPart::Value => quote! { &value },
                });
                (
                    format!(
                        " The path parameter `{wire}` is `value` (encoded as the client encodes it)."
                    ),
                    quote! {
                        let value = super::wire::path_value(&value);
                        let pattern = [#(#pieces),*].concat();
                        Self(super::wire::path_matches(self.0, &pattern))
                    },
                )
            }
            Location::Query => (
                format!(" The query parameter `{wire}` is `value` (as the client serializes it)."),
                quote! {
                    match super::wire::query_values(&value) {
                        Some(values) => Self(values.into_iter().fold(self.0, |w, v| w.query_param(#wire, v))),
                        None => Self(super::wire::never(self.0)),
                    }
                },
            ),
            Location::Header => (
                format!(" The header `{wire}` is `value`."),
                quote! { Self(self.0.header(#wire, value.to_string())) },
            ),
        };
        when_methods.push(quote! {
            #[doc = #doc]
            pub fn #name(self, value: impl Into<#ty>) -> Self {
                let value: #ty = value.into();
                #apply
            }
        });
        if !p.required {
            let missing = format_ident!("{}_missing", p.rust.trim_start_matches("r#"));
            let (doc, apply) = match p.location {
                Location::Query => (
                    format!(" The request has no query parameter `{wire}`."),
                    quote! { Self(self.0.query_param_missing(#wire)) },
                ),
                _ => (
                    format!(" The request has no header `{wire}`."),
                    quote! { Self(self.0.header_missing(#wire)) },
                ),
            };
            when_methods.push(quote! {
                #[doc = #doc]
                pub fn #missing(self) -> Self {
                    #apply
                }
            });
        }
    }
    if let Some(body) = &op.body {
        when_methods.push(quote! {
            /// The JSON body equals `value` (credentials compared by their raw value).
            pub fn body(self, value: &#body) -> Self {
                match super::wire::json(value) {
                    Some(json) => Self(self.0.json_body(json)),
                    None => Self(super::wire::never(self.0)),
                }
            }
        });
    }
    for c in &op.credentials {
        let name = format_ident!("{}", credential_method(c));
        let m = match c {
            Credential::Bearer => quote! {
                /// The request carries `Authorization: Bearer <token>`.
                pub fn #name(self, token: &str) -> Self {
                    Self(self.0.header("authorization", format!("Bearer {token}")))
                }
            },
            Credential::Query(q) => {
                let doc = format!(" The request carries the token as the `{q}` query parameter.");
                quote! {
                    #[doc = #doc]
                    pub fn #name(self, token: &str) -> Self {
                        Self(self.0.query_param(#q, token))
                    }
                }
            }
            Credential::Header(h) => {
                let doc = format!(" The request carries the token in the `{h}` header.");
                quote! {
                    #[doc = #doc]
                    pub fn #name(self, token: &str) -> Self {
                        Self(self.0.header(#h, token))
                    }
                }
            }
        };
        when_methods.push(m);
    }
    if op.credentials.is_empty() {
        let declared: BTreeSet<(Location, String)> = op
            .params
            .iter()
            .map(|p| (p.location, p.wire.to_ascii_lowercase()))
            .collect();
        let mut checks = vec![quote! { let inner = self.0.header_missing("authorization"); }];
        for c in &op.all_api_keys {
            match c {
                Credential::Query(q)
                    if !declared.contains(&(Location::Query, q.to_ascii_lowercase())) =>
                {
                    checks.push(quote! { let inner = inner.query_param_missing(#q); });
                }
                Credential::Header(h)
                    if !declared.contains(&(Location::Header, h.to_ascii_lowercase())) =>
                {
                    checks.push(quote! { let inner = inner.header_missing(#h); });
                }
                _ => {}
            }
        }
        when_methods.push(quote! {
            /// The request carries no credential: the spec asks for none here (no
            /// `Authorization` header, no apiKey the operation does not declare itself).
            pub fn no_credentials(self) -> Self {
                #(#checks)*
                Self(inner)
            }
        });
    }

    let mut then_methods = Vec::new();
    for r in &op.responses {
        let name = format_ident!("{}", status_method(r.status));
        let desc = r.description.lines().next().unwrap_or_default().trim();
        let (status_param, status_value, status_text) = match r.status {
            Status::Code(c) => (quote! {}, quote! { #c }, c.to_string()),
            Status::Range(class) => {
                let ty = format_ident!("{}", range_class(class).1);
                (
                    quote! { status: super::status::#ty, },
                    quote! { status.as_u16() },
                    format!("{class}XX"),
                )
            }
            Status::Default => (
                quote! { status: super::status::AnyStatus, },
                quote! { status.as_u16() },
                "default".to_owned(),
            ),
        };
        let m = match &r.body {
            Body::None => {
                let doc = format!(" Responds {status_text} without a body: {desc}");
                quote! {
                    #[doc = #doc]
                    pub fn #name(self, #status_param) -> Self {
                        Self(self.0.status(#status_value))
                    }
                }
            }
            Body::Json(ty) => {
                let doc = format!(" Responds {status_text} with `value` as JSON: {desc}");
                quote! {
                    #[doc = #doc]
                    pub fn #name(self, #status_param value: &#ty) -> Self {
                        let inner = self.0.status(#status_value);
                        match super::wire::json(value) {
                            Some(json) => Self(inner.header("content-type", "application/json").json_body(json)),
                            None => Self(inner),
                        }
                    }
                }
            }
            Body::Raw(content_type) => {
                let doc =
                    format!(" Responds {status_text} with `body` as `{content_type}`: {desc}");
                quote! {
                    #[doc = #doc]
                    pub fn #name(self, #status_param body: &[u8]) -> Self {
                        Self(self.0.status(#status_value).header("content-type", #content_type).body(body))
                    }
                }
            }
        };
        then_methods.push(m);
        if let Some(example) = &r.example {
            let example_name = format_ident!("{}_example", status_method(r.status));
            let doc = format!(
                " Responds {status_text} with the spec's example of this response as JSON (what a mock made from the spec, such as Prism, would send): {desc}"
            );
            then_methods.push(quote! {
                #[doc = #doc]
                pub fn #example_name(self, #status_param) -> Self {
                    Self(self.0.status(#status_value).header("content-type", "application/json").body(#example))
                }
            });
        }
    }
    for (header, kind) in &op.headers {
        let name = format_ident!("{}", header_method(header));
        let ty = match kind {
            HeaderKind::Integer => quote! { i64 },
            HeaderKind::Boolean => quote! { bool },
            HeaderKind::Text => quote! { &str },
        };
        let doc = format!(" Adds the response header `{header}` (documented by the spec).");
        then_methods.push(quote! {
            #[doc = #doc]
            pub fn #name(self, value: #ty) -> Self {
                Self(self.0.header(#header, value.to_string()))
            }
        });
    }

    let when_doc = format!(" Request matchers of `{}` ({route}).", op.id);
    let then_doc = format!(
        " Responses of `{}` ({route}): one method per documented status.",
        op.id
    );
    let types = quote! {
        #[doc = #when_doc]
        pub struct #when(::httpmock::When);

        impl #when {
            #[doc = #new_doc]
            pub fn new(inner: ::httpmock::When) -> Self {
                let inner = inner.method(::httpmock::Method::#http_method);
                #path_matcher
                #(#marker)*
                #content_type
                Self(inner)
            }

            /// httpmock's `When`, to match beyond what the spec describes.
            pub fn into_inner(self) -> ::httpmock::When {
                self.0
            }

            #(#when_methods)*
        }

        #[doc = #then_doc]
        pub struct #then(::httpmock::Then);

        impl #then {
            /// Wraps httpmock's `Then`.
            pub fn new(inner: ::httpmock::Then) -> Self {
                Self(inner)
            }

            /// httpmock's `Then`, to answer beyond what the spec describes.
            pub fn into_inner(self) -> ::httpmock::Then {
                self.0
            }

            /// The mock answers one request only; later requests fall through to the mocks
            /// defined after it (script a sequence: `Running`, then `Complete`).
            pub fn once(self) -> Self {
                Self(self.0.up_to_n_times(1))
            }

            /// The mock answers at most `n` requests.
            pub fn up_to_n_times(self, n: ::std::num::NonZeroUsize) -> Self {
                Self(self.0.up_to_n_times(n.get()))
            }

            #(#then_methods)*
        }
    };
    let trait_doc = format!(
        " Mocks `{}` ({route}): `config` gets its typed request matchers and responses.",
        op.id
    );
    let trait_method = quote! {
        #[doc = #trait_doc]
        fn #method<F>(&self, config: F) -> ::httpmock::Mock<'_>
        where
            F: FnOnce(operations::#when, operations::#then);
    };
    let impl_method = quote! {
        fn #method<F>(&self, config: F) -> ::httpmock::Mock<'_>
        where
            F: FnOnce(operations::#when, operations::#then),
        {
            self.mock(|when, then| {
                config(operations::#when::new(when), operations::#then::new(then))
            })
        }
    };
    (types, trait_method, impl_method)
}

enum PatternPart {
    Fixed(String),
    Value,
}

/// The anchored path regex: literals escaped, every parameter `[^/]+` except `fixed`, whose
/// place is left to the caller's escaped value.
fn path_pattern_parts(segments: &[Segment], fixed: &str) -> Vec<PatternPart> {
    let mut parts = Vec::new();
    let mut text = String::from("^");
    for s in segments {
        match s {
            Segment::Literal(l) => text.push_str(&regex::escape(l)),
            Segment::Param(p) if p == fixed => {
                parts.push(PatternPart::Fixed(std::mem::take(&mut text)));
                parts.push(PatternPart::Value);
            }
            Segment::Param(_) => text.push_str("[^/]+"),
        }
    }
    text.push('$');
    parts.push(PatternPart::Fixed(text));
    parts
}

fn path_pattern(segments: &[Segment], fixed: Option<&str>) -> String {
    path_pattern_parts(segments, fixed.unwrap_or("\0"))
        .into_iter()
        .map(|p| match p {
            PatternPart::Fixed(s) => s,
            PatternPart::Value => String::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_markers() {
        assert_eq!(
            parse_template("/v1/user/{user_id}/apps").unwrap(),
            vec![
                Segment::Literal("/v1/user/".into()),
                Segment::Param("user_id".into()),
                Segment::Literal("/apps".into()),
            ]
        );
        assert!(parse_template("/a/{b").is_err());
        assert!(parse_template("/a/{}").is_err());
        assert!(parse_template("/a/b}").is_err());
        assert_eq!(
            parse_marker("Client"),
            vec![("Client".into(), String::new())]
        );
        assert_eq!(
            parse_marker("a=1&b"),
            vec![("a".into(), "1".into()), ("b".into(), String::new())]
        );
    }

    #[test]
    fn path_patterns_are_anchored_and_escaped() {
        let segments = parse_template("/v1.0/user/{user_id}/apps/{client_id}").unwrap();
        let any = path_pattern(&segments, None);
        assert_eq!(any, r"^/v1\.0/user/[^/]+/apps/[^/]+$");
        let re = regex::Regex::new(&any).unwrap();
        assert!(re.is_match("/v1.0/user/1/apps/x"));
        assert!(!re.is_match("/v1x0/user/1/apps/x"));
        assert!(!re.is_match("/v1.0/user/1/apps/x/secret"));
        assert!(!re.is_match("/v1.0/user//apps/x"));
        let parts = path_pattern_parts(&segments, "client_id");
        assert!(matches!(
            parts.as_slice(),
            [PatternPart::Fixed(a), PatternPart::Value, PatternPart::Fixed(b)]
                if a == r"^/v1\.0/user/[^/]+/apps/" && b == "$"
        ));
    }

    #[test]
    fn status_method_names() {
        assert_eq!(status_method(Status::Code(200)), "ok");
        assert_eq!(status_method(Status::Code(429)), "too_many_requests");
        assert_eq!(status_method(Status::Code(299)), "status_299");
        assert_eq!(status_method(Status::Range(4)), "client_error");
        assert_eq!(status_method(Status::Default), "default_response");
    }
}
