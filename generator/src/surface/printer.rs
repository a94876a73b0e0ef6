//! How the surface report writes a Rust type: compactly (`types::X`, `Option<String>`) and
//! the same way everywhere.

use std::collections::BTreeSet;

use quote::ToTokens as _;
use syn::{GenericArgument, Item, PathArguments, Type};

use crate::ApiConfig;
use crate::syntax::{last_segment, type_args};

/// Writes types compactly and the same way everywhere.
pub(super) struct Printer {
    /// `<module_path>::types::`, written as `types::`.
    types_prefix: String,
    /// The names defined in the `types` module, written as `types::Name` when bare.
    type_names: BTreeSet<String>,
}

impl Printer {
    pub(super) fn new(api: &ApiConfig, file: &syn::File) -> Self {
        let type_names = crate::syntax::module(&file.items, "types")
            .unwrap_or_default()
            .iter()
            .filter_map(|item| match item {
                Item::Struct(s) => Some(s.ident.to_string()),
                Item::Enum(e) => Some(e.ident.to_string()),
                Item::Type(t) => Some(t.ident.to_string()),
                _ => None,
            })
            .collect();
        Printer {
            types_prefix: format!("{}::types::", api.module_path),
            type_names,
        }
    }

    /// A builder field is `Result<T, String>`: the setter takes `T`. The body is kept as the
    /// model's builder; the setter takes the model.
    pub(super) fn builder_field(&self, ty: &Type) -> String {
        let inner = match type_args(ty).as_slice() {
            [t, _] if last_segment(ty).is_some_and(|s| s.ident == "Result") => *t,
            _ => ty,
        };
        let text = self.ty(inner);
        match text
            .strip_prefix("types::builder::")
            .and_then(|builder| builder.strip_suffix("Builder"))
        {
            Some(model) => format!("types::{model}"),
            None => text,
        }
    }

    /// `Result<ResponseValue<T>, Error<E>>` → (`T`, `E`); anything else is shown whole.
    pub(super) fn send_types(&self, ty: &Type) -> (String, String) {
        if last_segment(ty).is_some_and(|s| s.ident == "Result")
            && let [ok, err] = type_args(ty).as_slice()
            && last_segment(ok).is_some_and(|s| s.ident == "ResponseValue")
            && last_segment(err).is_some_and(|s| s.ident == "Error")
            && let ([t], [e]) = (type_args(ok).as_slice(), type_args(err).as_slice())
        {
            return (self.ty(t), self.ty(e));
        }
        (self.ty(ty), "—".to_owned())
    }

    pub(super) fn ty(&self, ty: &Type) -> String {
        match ty {
            Type::Path(p) if p.qself.is_none() => {
                let mut path = String::new();
                if p.path.leading_colon.is_some() {
                    path.push_str("::");
                }
                let mut args = String::new();
                for (i, seg) in p.path.segments.iter().enumerate() {
                    if i > 0 {
                        path.push_str("::");
                    }
                    path.push_str(&seg.ident.to_string());
                    if i + 1 == p.path.segments.len() {
                        args = self.args(&seg.arguments);
                    } else if !matches!(seg.arguments, PathArguments::None) {
                        path.push_str(&self.args(&seg.arguments));
                    }
                }
                format!("{}{args}", self.short_path(&path))
            }
            Type::Reference(r) => {
                let lifetime = r
                    .lifetime
                    .as_ref()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default();
                let mutability = if r.mutability.is_some() { "mut " } else { "" };
                format!("&{lifetime}{mutability}{}", self.ty(&r.elem))
            }
            Type::Tuple(t) => {
                let parts: Vec<String> = t.elems.iter().map(|e| self.ty(e)).collect();
                if parts.len() == 1 {
                    format!("({},)", parts.join(""))
                } else {
                    format!("({})", parts.join(", "))
                }
            }
            Type::Slice(s) => format!("[{}]", self.ty(&s.elem)),
            Type::Array(a) => format!("[{}; {}]", self.ty(&a.elem), a.len.to_token_stream()),
            Type::Paren(p) => self.ty(&p.elem),
            Type::Group(g) => self.ty(&g.elem),
            other => other.to_token_stream().to_string(),
        }
    }

    fn args(&self, args: &PathArguments) -> String {
        match args {
            PathArguments::None => String::new(),
            PathArguments::AngleBracketed(a) => {
                let parts: Vec<String> = a
                    .args
                    .iter()
                    .map(|arg| match arg {
                        GenericArgument::Type(t) => self.ty(t),
                        GenericArgument::Lifetime(l) => l.to_string(),
                        other => other.to_token_stream().to_string(),
                    })
                    .collect();
                format!("<{}>", parts.join(", "))
            }
            PathArguments::Parenthesized(p) => p.to_token_stream().to_string(),
        }
    }

    fn short_path(&self, path: &str) -> String {
        if let Some(rest) = path.strip_prefix(&self.types_prefix) {
            return format!("types::{rest}");
        }
        if let Some(rest) = path.strip_prefix("::std::") {
            let last = rest.rsplit("::").next().unwrap_or(rest);
            if matches!(
                last,
                "String" | "Option" | "Vec" | "Box" | "BTreeMap" | "HashMap"
            ) {
                return last.to_owned();
            }
        }
        if self.type_names.contains(path) {
            return format!("types::{path}");
        }
        path.strip_prefix("::").unwrap_or(path).to_owned()
    }
}
