//! Bare values for optional model fields: typify's setter of an optional field `f: Option<X>`
//! takes `T: TryInto<Option<X>>`, so `.description("text")` does not compile (it needs
//! `Some("text".to_owned())`) while `.name("text")` of a required field does. This pass makes
//! those setters take `T: <runtime>::IntoOptional<X>`: a bare `X`, an `Option<X>`, and a
//! `&str` / `&String` for text and secret fields. Setting an optional field cannot fail, so
//! the field is set to `Ok(..)`.

use super::Context;
use crate::Error;
use crate::syntax::{is_option, module_mut, self_type_name, type_args};

pub fn run(file: &mut syn::File, cx: &Context<'_>) -> Result<(), Error> {
    let runtime = cx
        .api
        .inner_type
        .rsplit_once("::")
        .map(|(path, _)| path)
        .ok_or_else(|| cx.error("the API row's inner type has no crate path"))?;
    let runtime: syn::Path = syn::parse_str(runtime)
        .map_err(|e| cx.error(format!("the runtime path `{runtime}`: {e}")))?;
    rewrite(file, &runtime).map_err(|m| cx.error(m))
}

fn rewrite(file: &mut syn::File, runtime: &syn::Path) -> Result<(), String> {
    let types =
        module_mut(&mut file.items, "types").ok_or("progenitor produced no `types` module")?;
    let Some(builders) = module_mut(types, "builder") else {
        return Ok(());
    };
    for item in builders.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let builder = self_type_name(imp).unwrap_or_default();
        for member in imp.items.iter_mut() {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            let Some(inner) = optional_target(f) else {
                continue;
            };
            let field = f.sig.ident.clone();
            let assigns_field = matches!(
                f.block.stmts.first(),
                Some(syn::Stmt::Expr(syn::Expr::Assign(a), _))
                    if matches!(&*a.left, syn::Expr::Field(fe)
                        if matches!(&fe.member, syn::Member::Named(m) if *m == field))
            );
            if !assigns_field || f.block.stmts.len() != 2 {
                return Err(format!(
                    "the setter `{builder}::{field}` no longer has progenitor's shape (`self.{field} = value.try_into()...; self`)"
                ));
            }
            f.sig.generics.where_clause = Some(syn::parse_quote! {
                where T: #runtime::IntoOptional<#inner>
            });
            f.block = syn::parse_quote! {{
                self.#field = ::std::result::Result::Ok(
                    #runtime::IntoOptional::into_optional(value),
                );
                self
            }};
        }
    }
    Ok(())
}

/// `X` where the setter is bounded `T: TryInto<Option<X>>` (an optional field's setter).
fn optional_target(f: &syn::ImplItemFn) -> Option<syn::Type> {
    let predicates = &f.sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|p| {
        let syn::WherePredicate::Type(pt) = p else {
            return None;
        };
        pt.bounds.iter().find_map(|b| {
            let syn::TypeParamBound::Trait(t) = b else {
                return None;
            };
            let last = t.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            let target = args.args.iter().find_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })?;
            if !is_option(target) {
                return None;
            }
            type_args(target).first().map(|t| (*t).clone())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_optional_setter_takes_into_optional_and_a_required_one_is_left_alone() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    pub struct MBuilder {
                        name: ::std::result::Result<::std::string::String, ::std::string::String>,
                        note: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                    }
                    impl MBuilder {
                        pub fn name<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::string::String>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.name = value.try_into().map_err(|e| format!("{e}"));
                            self
                        }
                        pub fn note<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.note = value.try_into().map_err(|e| format!("{e}"));
                            self
                        }
                    }
                }
            }
        };
        let runtime: syn::Path = syn::parse_quote!(::rt);
        rewrite(&mut file, &runtime).expect("rewrite");
        let text = quote::quote!(#file).to_string();
        assert!(
            text.contains("T : :: rt :: IntoOptional < :: std :: string :: String >"),
            "{text}"
        );
        assert!(text.contains("self . note = :: std :: result :: Result :: Ok (:: rt :: IntoOptional :: into_optional (value) ,)"), "{text}");
        assert!(
            text.contains("T : :: std :: convert :: TryInto < :: std :: string :: String >"),
            "{text}"
        );
    }

    #[test]
    fn a_setter_of_another_shape_fails_loudly() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    impl MBuilder {
                        pub fn note<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::option::Option<i64>>,
                        {
                            self
                        }
                    }
                }
            }
        };
        let e = rewrite(&mut file, &syn::parse_quote!(::rt)).unwrap_err();
        assert!(e.contains("MBuilder::note"), "{e}");
    }
}
