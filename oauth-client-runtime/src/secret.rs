//! [`Secret`]: a credential that never shows itself by accident.

use std::fmt;
use std::sync::Arc;

use zeroize::{Zeroize, Zeroizing};

/// A credential: password, meeting passcode, client secret, access or refresh token.
///
/// `Debug` and `Display` print `[redacted]`; the value is reachable only through
/// [`Secret::expose`] and goes over the wire unchanged (it serializes as a plain string).
/// The memory is zeroed when the last clone is dropped: clones share one copy of the value
/// (cloning is a reference count, not an allocation: a token source hands its token to every
/// request), and a `String` it is made from is zeroed once copied.
///
/// The generator maps every spec field or parameter of shape `type: string, format: password`
/// to this type. (The `secrecy` crate was considered; its secret strings deliberately do not
/// implement `Serialize`, `Clone` and `PartialEq`, which the generated models need.)
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<Zeroizing<Box<str>>>);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret::from(value.into())
    }

    /// The credential itself. Call it only where the value goes over the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the credential is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Default for Secret {
    /// The empty credential.
    fn default() -> Self {
        Secret::from("")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    /// Copies the value into the shared buffer and zeroes `value`'s (`into_boxed_str` could
    /// move it to a new buffer and free the old one unzeroed).
    fn from(mut value: String) -> Self {
        let secret = Secret::from(value.as_str());
        value.zeroize();
        secret
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        // The shared value zeroes itself when the last clone drops it (`Zeroizing`'s own
        // `Drop`, which runs once, whichever clone goes last).
        Secret(Arc::new(Zeroizing::new(Box::from(value))))
    }
}

impl From<&String> for Secret {
    fn from(value: &String) -> Self {
        Secret::from(value.as_str())
    }
}

/// A `&Secret` goes where a `Secret` does (`impl Into<Secret>` setters, model fields): the
/// value is cloned.
impl From<&Secret> for Secret {
    fn from(value: &Secret) -> Self {
        value.clone()
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_and_round_trips() {
        let s = Secret::from("hunter2");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(
            format!("{:#?}", Some(&s)),
            "Some(\n    Secret([redacted]),\n)"
        );
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"hunter2\"");
        let back: Secret = serde_json::from_str("\"hunter2\"").unwrap();
        assert_eq!(back.expose(), "hunter2");
        assert_eq!(back, s);
        assert_eq!(Secret::default().expose(), "");
        assert!(Secret::default().is_empty());
    }

    #[test]
    fn clones_share_the_value_and_stay_equal_after_one_is_dropped() {
        let one = Secret::new(String::from("token-0123"));
        let two = one.clone();
        assert!(std::ptr::eq(one.expose(), two.expose()), "a clone shares");
        drop(one);
        // The survivor is not zeroed by the other's drop.
        assert_eq!(two.expose(), "token-0123");
    }
}
