//! Open enums: every named string-enum component schema becomes a Rust enum with one variant
//! per documented value plus `Unknown(String)`, so a value the API adds later decodes instead
//! of failing the whole call (typify's own enums reject unknown values).

use heck::ToUpperCamelCase;
use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Context;
use crate::Error;
use crate::syntax::{item_name, module_mut};

/// Puts the open enums of the spec into the `types` module, each where typify would have
/// put it: sorted among the other types. (progenitor's settings replace typify's own enums
/// of these schemas by paths to these; see `crate::progenitor`.)
pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    let enums = find(&cx.spec.openapi).map_err(|(_, message)| cx.error(message))?;
    if enums.is_empty() {
        return Ok(());
    }
    let types = module_mut(&mut file.items, "types")
        .ok_or_else(|| cx.error("progenitor produced no `types` module"))?;
    for e in &enums {
        let items: syn::File = syn::parse2(tokens(e))
            .map_err(|err| cx.error(format!("open enum `{}` does not parse: {err}", e.name)))?;
        let position = types
            .iter()
            .position(|item| {
                matches!(item, syn::Item::Struct(_) | syn::Item::Enum(_))
                    && item_name(item).is_some_and(|n| n.as_str() > e.name.as_str())
            })
            .unwrap_or(types.len());
        types.splice(position..position, items.items);
    }
    Ok(())
}

/// One named string enum of a spec.
#[derive(Debug, Clone)]
pub struct OpenEnum {
    /// The component schema name (also the Rust type name).
    pub name: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// `(wire value, Rust variant)` in spec order.
    pub variants: Vec<(String, String)>,
}

/// Finds the named string enums of `openapi`. Fails with `(schema name, message)` when a
/// value cannot become a distinct Rust variant (the contract checks that first).
pub fn find(openapi: &OpenAPI) -> Result<Vec<OpenEnum>, (String, String)> {
    let Some(components) = &openapi.components else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
            continue;
        };
        if string.enumeration.is_empty() {
            continue;
        }
        let mut variants: Vec<(String, String)> = Vec::new();
        for value in &string.enumeration {
            let Some(value) = value else {
                return Err((
                    name.clone(),
                    format!("schema `{name}`: a `null` enum value cannot be an open-enum variant"),
                ));
            };
            let variant = variant_name(value);
            if syn::parse_str::<syn::Ident>(&variant).is_err() || variant == "Unknown" {
                return Err((
                    name.clone(),
                    format!(
                        "schema `{name}`: enum value `{value}` gives no usable Rust variant name (`{variant}`)"
                    ),
                ));
            }
            if let Some((other, _)) = variants.iter().find(|(_, v)| *v == variant) {
                return Err((
                    name.clone(),
                    format!(
                        "schema `{name}`: enum values `{other}` and `{value}` both become variant `{variant}`"
                    ),
                ));
            }
            variants.push((value.clone(), variant));
        }
        out.push(OpenEnum {
            name: name.clone(),
            description: schema.schema_data.description.clone(),
            variants,
        });
    }
    Ok(out)
}

fn variant_name(value: &str) -> String {
    let camel = value.to_upper_camel_case();
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else {
        camel
    }
}

/// The Rust items of one open enum, to be placed in the generated `types` module.
fn tokens(e: &OpenEnum) -> TokenStream {
    let ident = format_ident!("{}", e.name);
    let doc = e
        .description
        .as_deref()
        .map(|d| d.trim().to_owned())
        .unwrap_or_else(|| format!("`{}`", e.name));
    let open_doc = format!(
        "Open enum (schema `{}`): a value this crate does not know yet decodes as `Unknown` and is sent back unchanged.",
        e.name
    );
    let variants: Vec<_> = e
        .variants
        .iter()
        .map(|(_, v)| format_ident!("{v}"))
        .collect();
    let values: Vec<_> = e.variants.iter().map(|(w, _)| w.as_str()).collect();
    let variant_docs: Vec<_> = values.iter().map(|w| format!("`{w}`")).collect();
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = #open_doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #ident {
            #( #[doc = #variant_docs] #variants, )*
            /// A value that is not in the spec.
            Unknown(::std::string::String),
        }

        impl #ident {
            /// Every documented value, in spec order.
            pub const KNOWN: &'static [Self] = &[ #( Self::#variants ),* ];

            /// The value as it goes over the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #ident {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::convert::From<&::std::string::String> for #ident {
            fn from(value: &::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #ident {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::std::string::String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
