//! Operations: matched by route (method and path) first, then by operationId (a moved
//! operation); then their parameters, request bodies and responses, down to the schemas
//! (`super::schema_rules`).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    Content, MediaType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent, ReferenceOr,
    RequestBody, Response, StatusCode,
};

use super::schema_rules::{Place, Side};
use super::schema_view::{SchemaRef, resolve_generic};
use super::{ChangeKind, Differ};

/// One operation with the parameters of its path item.
struct Endpoint<'a> {
    method: &'static str,
    path: &'a str,
    id: String,
    operation: &'a Operation,
    path_parameters: &'a [ReferenceOr<Parameter>],
}

impl Endpoint<'_> {
    fn location(&self) -> String {
        format!("{} ({} {})", self.id, self.method, self.path)
    }
}

fn endpoints(api: &OpenAPI) -> Vec<Endpoint<'_>> {
    crate::operations(api)
        .into_iter()
        .map(|op| Endpoint {
            method: op.method,
            path: op.path,
            id: op
                .operation
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{} {}", op.method, op.path)),
            operation: op.operation,
            path_parameters: op.path_parameters,
        })
        .collect()
}

impl<'a> Differ<'a> {
    pub(super) fn operations(&mut self) {
        let old_ops = endpoints(self.old);
        let new_ops = endpoints(self.new);
        let new_by_route: BTreeMap<(&str, &str), usize> = new_ops
            .iter()
            .enumerate()
            .map(|(i, old_op)| ((old_op.method, old_op.path), i))
            .collect();
        let old_routes: BTreeSet<(&str, &str)> = old_ops
            .iter()
            .map(|old_op| (old_op.method, old_op.path))
            .collect();
        let new_by_id: BTreeMap<&str, usize> = new_ops
            .iter()
            .enumerate()
            .map(|(i, old_op)| (old_op.id.as_str(), i))
            .collect();
        let mut matched = BTreeSet::new();

        for old_op in &old_ops {
            let loc = old_op.location();
            if let Some(&i) = new_by_route.get(&(old_op.method, old_op.path)) {
                let new_op = &new_ops[i];
                matched.insert(i);
                if new_op.id != old_op.id {
                    self.push(
                        ChangeKind::Breaking,
                        &loc,
                        format!(
                            "operation renamed: operationId `{}` is now `{}` (its Rust method is renamed)",
                            old_op.id, new_op.id
                        ),
                    );
                }
                self.operation(&loc, old_op, new_op);
            } else if let Some(&i) = new_by_id
                .get(old_op.id.as_str())
                .filter(|&&i| !old_routes.contains(&(new_ops[i].method, new_ops[i].path)))
            {
                let new_op = &new_ops[i];
                matched.insert(i);
                let what = if new_op.path == old_op.path {
                    format!("method changed from {} to {}", old_op.method, new_op.method)
                } else if new_op.method == old_op.method {
                    format!("path changed from `{}` to `{}`", old_op.path, new_op.path)
                } else {
                    format!(
                        "method and path changed from `{} {}` to `{} {}`",
                        old_op.method, old_op.path, new_op.method, new_op.path
                    )
                };
                self.push(
                    ChangeKind::Breaking,
                    &loc,
                    format!("operation moved: {what}"),
                );
                self.operation(&loc, old_op, new_op);
            } else {
                self.push(ChangeKind::Breaking, &loc, "operation removed");
            }
        }
        for (i, new_op) in new_ops.iter().enumerate() {
            if !matched.contains(&i) {
                self.push(
                    ChangeKind::Compatible,
                    &new_op.location(),
                    "operation added",
                );
            }
        }
    }

    fn operation(&mut self, loc: &str, old_op: &Endpoint<'_>, new_op: &Endpoint<'_>) {
        if old_op.operation.summary != new_op.operation.summary {
            self.push(ChangeKind::Compatible, loc, "summary changed");
        }
        if old_op.operation.description != new_op.operation.description {
            self.push(ChangeKind::Compatible, loc, "description changed");
        }
        if !old_op.operation.deprecated && new_op.operation.deprecated {
            self.push(ChangeKind::Compatible, loc, "operation deprecated");
        }
        // Callers compile and work either way, but a reviewer must see when the client
        // starts or stops sending a POST twice.
        match (
            crate::is_retry_safe(old_op.operation),
            crate::is_retry_safe(new_op.operation),
        ) {
            (false, true) => self.push(
                ChangeKind::Compatible,
                loc,
                "now `x-retry-safe`: sent again after a 502, 503 or 504",
            ),
            (true, false) => self.push(
                ChangeKind::Compatible,
                loc,
                "no longer `x-retry-safe`: not sent again after a 502, 503 or 504",
            ),
            _ => {}
        }
        // Which calls carry the client's credential: a reviewer must see it change.
        let (was, is) = (
            crate::security::describe(self.old, old_op.operation),
            crate::security::describe(self.new, new_op.operation),
        );
        if was != is {
            self.push(
                ChangeKind::Compatible,
                loc,
                format!("security requirement changed from `{was}` to `{is}`"),
            );
        }
        self.parameters(loc, old_op, new_op);
        self.request_body(loc, old_op.operation, new_op.operation);
        self.responses(loc, old_op.operation, new_op.operation);
    }

    fn parameters(&mut self, loc: &str, old_op: &Endpoint<'_>, new_op: &Endpoint<'_>) {
        let old = effective_parameters(self.old, old_op);
        let new = effective_parameters(self.new, new_op);
        for (key, new_param) in &new {
            let (place, name) = key;
            let Some(old_param) = old.get(key) else {
                if new_param.required {
                    self.push(
                        ChangeKind::Breaking,
                        loc,
                        format!("required parameter `{name}` ({place}) added"),
                    );
                } else {
                    self.push(
                        ChangeKind::Compatible,
                        loc,
                        format!("optional parameter `{name}` ({place}) added"),
                    );
                }
                continue;
            };
            let param_loc = format!("{loc} parameter {name}");
            if !old_param.required && new_param.required {
                self.push(
                    ChangeKind::Breaking,
                    &param_loc,
                    format!("parameter `{name}` ({place}) made required"),
                );
            } else if old_param.required && !new_param.required {
                self.push(
                    ChangeKind::Compatible,
                    &param_loc,
                    format!("parameter `{name}` ({place}) no longer required"),
                );
            }
            if old_param.description != new_param.description {
                self.push(ChangeKind::Compatible, &param_loc, "description changed");
            }
            if old_param.example != new_param.example {
                self.push(ChangeKind::Compatible, &param_loc, "example changed");
            }
            match (
                parameter_schema(&old_param.format),
                parameter_schema(&new_param.format),
            ) {
                (Some(a), Some(b)) => self.schema(&Place::top(&param_loc, Side::Request), a, b),
                (None, None) => {}
                _ => self.push(
                    ChangeKind::Breaking,
                    &param_loc,
                    "parameter schema changed between `schema` and `content`",
                ),
            }
        }
        for (place, name) in old.keys() {
            if !new.contains_key(&(*place, name.clone())) {
                self.push(
                    ChangeKind::Breaking,
                    loc,
                    format!("parameter `{name}` ({place}) removed"),
                );
            }
        }
    }

    fn request_body(&mut self, loc: &str, old_op: &Operation, new_op: &Operation) {
        let old = old_op
            .request_body
            .as_ref()
            .and_then(|b| request_body(self.old, b));
        let new = new_op
            .request_body
            .as_ref()
            .and_then(|b| request_body(self.new, b));
        let body_loc = format!("{loc} request body");
        match (old, new) {
            (None, None) => {}
            (None, Some(b)) => {
                if b.required {
                    self.push(ChangeKind::Breaking, loc, "required request body added");
                } else {
                    self.push(ChangeKind::Compatible, loc, "optional request body added");
                }
            }
            (Some(_), None) => self.push(ChangeKind::Breaking, loc, "request body removed"),
            (Some(a), Some(b)) => {
                if !a.required && b.required {
                    self.push(
                        ChangeKind::Breaking,
                        &body_loc,
                        "request body made required",
                    );
                } else if a.required && !b.required {
                    self.push(
                        ChangeKind::Compatible,
                        &body_loc,
                        "request body no longer required",
                    );
                }
                if a.description != b.description {
                    self.push(ChangeKind::Compatible, &body_loc, "description changed");
                }
                self.media(&body_loc, &a.content, &b.content, Side::Request);
            }
        }
    }

    fn responses(&mut self, loc: &str, old_op: &Operation, new_op: &Operation) {
        let old = responses(self.old, old_op);
        let new = responses(self.new, new_op);
        for (code, a) in &old {
            let response_loc = format!("{loc} response {code}");
            let Some(b) = new.get(code) else {
                self.push(
                    ChangeKind::Breaking,
                    loc,
                    format!("response `{code}` removed"),
                );
                continue;
            };
            if a.description != b.description {
                self.push(ChangeKind::Compatible, &response_loc, "description changed");
            }
            self.media(&response_loc, &a.content, &b.content, Side::Response);
        }
        for code in new.keys() {
            if !old.contains_key(code) {
                self.push(
                    ChangeKind::Compatible,
                    loc,
                    format!("response `{code}` added"),
                );
            }
        }
    }

    fn media(&mut self, loc: &str, old: &Content, new: &Content, side: Side) {
        let a = pick_media(old);
        let b = pick_media(new);
        match (a, b) {
            (None, None) => {}
            (None, Some(_)) => {
                let kind = side.narrowing();
                self.push(kind, loc, format!("body added{}", side.note()));
            }
            (Some(_), None) => self.push(
                ChangeKind::Breaking,
                loc,
                format!("body removed{}", side.note()),
            ),
            (Some((at, a)), Some((bt, b))) => {
                if at != bt {
                    self.push(
                        ChangeKind::Breaking,
                        loc,
                        format!("content type changed from `{at}` to `{bt}`"),
                    );
                }
                if a.example != b.example {
                    self.push(ChangeKind::Compatible, loc, "example changed");
                }
                match (&a.schema, &b.schema) {
                    (Some(x), Some(y)) => self.schema(
                        &Place::top(loc, side),
                        SchemaRef::from(x),
                        SchemaRef::from(y),
                    ),
                    (None, None) => {}
                    (None, Some(_)) => self.push(
                        side.narrowing(),
                        loc,
                        format!("schema added{}", side.note()),
                    ),
                    (Some(_), None) => self.push(
                        side.widening(),
                        loc,
                        format!("schema removed{}", side.note()),
                    ),
                }
            }
        }
    }

    pub(super) fn components(&mut self) {
        let old = self.old.components.as_ref().map(|c| &c.schemas);
        let new = self.new.components.as_ref().map(|c| &c.schemas);
        let empty = Default::default();
        let old = old.unwrap_or(&empty);
        let new = new.unwrap_or(&empty);
        for (name, a) in old {
            let loc = format!("schema {name}");
            let Some(b) = new.get(name) else {
                self.push(
                    ChangeKind::Breaking,
                    &loc,
                    format!("schema `{name}` removed (its Rust type `types::{name}` goes with it)"),
                );
                continue;
            };
            if !self.reached.contains(name) {
                self.schema(
                    &Place::top(&loc, Side::Both),
                    SchemaRef::from(a),
                    SchemaRef::from(b),
                );
            }
        }
        for name in new.keys() {
            if !old.contains_key(name) {
                self.push(
                    ChangeKind::Compatible,
                    &format!("schema {name}"),
                    format!("schema `{name}` added"),
                );
            }
        }
    }
}

fn pick_media(content: &Content) -> Option<(&str, &MediaType)> {
    content
        .get_key_value("application/json")
        .or_else(|| content.iter().next())
        .map(|(k, v)| (k.as_str(), v))
}

fn effective_parameters<'a>(
    api: &'a OpenAPI,
    op: &Endpoint<'a>,
) -> BTreeMap<(&'static str, String), &'a openapiv3::ParameterData> {
    let mut out = BTreeMap::new();
    for p in op.path_parameters.iter().chain(&op.operation.parameters) {
        let Some(p) = resolve_generic(p, "#/components/parameters/", |n| {
            api.components.as_ref().and_then(|c| c.parameters.get(n))
        }) else {
            continue;
        };
        let place = match p {
            Parameter::Query { .. } => "query",
            Parameter::Header { .. } => "header",
            Parameter::Path { .. } => "path",
            Parameter::Cookie { .. } => "cookie",
        };
        let data = p.parameter_data_ref();
        out.insert((place, data.name.clone()), data);
    }
    out
}

fn parameter_schema(p: &ParameterSchemaOrContent) -> Option<SchemaRef<'_>> {
    match p {
        ParameterSchemaOrContent::Schema(s) => Some(SchemaRef::from(s)),
        ParameterSchemaOrContent::Content(c) => pick_media(c)
            .and_then(|(_, m)| m.schema.as_ref())
            .map(SchemaRef::from),
    }
}

fn request_body<'a>(api: &'a OpenAPI, b: &'a ReferenceOr<RequestBody>) -> Option<&'a RequestBody> {
    resolve_generic(b, "#/components/requestBodies/", |n| {
        api.components
            .as_ref()
            .and_then(|c| c.request_bodies.get(n))
    })
}

fn responses<'a>(api: &'a OpenAPI, op: &'a Operation) -> BTreeMap<String, &'a Response> {
    let lookup = |r: &'a ReferenceOr<Response>| {
        resolve_generic(r, "#/components/responses/", |n| {
            api.components.as_ref().and_then(|c| c.responses.get(n))
        })
    };
    let mut out = BTreeMap::new();
    for (code, r) in &op.responses.responses {
        let key = match code {
            StatusCode::Code(n) => n.to_string(),
            StatusCode::Range(n) => format!("{n}XX"),
        };
        if let Some(r) = lookup(r) {
            out.insert(key, r);
        }
    }
    if let Some(r) = op.responses.default.as_ref().and_then(lookup) {
        out.insert("default".to_owned(), r);
    }
    out
}
