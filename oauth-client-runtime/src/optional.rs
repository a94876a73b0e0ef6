//! [`IntoOptional`]: what the setters of an optional model field take, so that the natural
//! call compiles: `.description("text")`, `.state(State::Active)`, `.role_ids(vec![..])`
//! as well as `.description(Some(..))` and `.description(None)`.

use crate::Secret;

/// A value for an optional field of type `T`: a bare `T` (set), an `Option<T>` (set or
/// cleared), and for text fields a `&str` or `&String` (set). The generator makes the
/// setters of the optional fields of the models take it.
pub trait IntoOptional<T> {
    /// The field's new value.
    fn into_optional(self) -> Option<T>;
}

impl<T> IntoOptional<T> for T {
    fn into_optional(self) -> Option<T> {
        Some(self)
    }
}

impl<T> IntoOptional<T> for Option<T> {
    fn into_optional(self) -> Option<T> {
        self
    }
}

impl IntoOptional<String> for &str {
    fn into_optional(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl IntoOptional<String> for &String {
    fn into_optional(self) -> Option<String> {
        Some(self.clone())
    }
}

impl IntoOptional<Secret> for &str {
    fn into_optional(self) -> Option<Secret> {
        Some(Secret::from(self))
    }
}

impl IntoOptional<Secret> for &Secret {
    fn into_optional(self) -> Option<Secret> {
        Some(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set<V: IntoOptional<T>, T>(value: V) -> Option<T> {
        value.into_optional()
    }

    #[test]
    fn bare_values_options_and_borrowed_text() {
        assert_eq!(set::<_, String>("a"), Some("a".to_owned()));
        assert_eq!(set::<_, String>(&"b".to_owned()), Some("b".to_owned()));
        assert_eq!(set::<_, String>(None), None);
        assert_eq!(set::<_, String>(Some("c".to_owned())), Some("c".to_owned()));
        assert_eq!(set::<_, i64>(5), Some(5));
        assert_eq!(set::<_, Vec<u8>>(vec![1]), Some(vec![1]));
        let s = Secret::from("x");
        assert_eq!(
            set::<_, Secret>(&s).map(|s| s.expose().to_owned()),
            Some("x".into())
        );
    }
}
