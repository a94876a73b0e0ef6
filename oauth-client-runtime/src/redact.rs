//! [`Redactor`]: replaces the credentials a client knows with `[redacted]` in any text it
//! keeps (an error body the server echoed a password into, say).

use std::fmt;

use reqwest::Request;
use reqwest::header::AUTHORIZATION;

use crate::Secret;

/// The text that takes a credential's place.
pub const REDACTED: &str = "[redacted]";

/// Names of query parameters, JSON fields and form fields that hold credentials in the
/// requests of these APIs (and of OAuth 2 in general): their values are collected by
/// [`Redactor::add_request`]. Compared without case, `_` and `-` ([`is_credential_name`]),
/// so `meetingPasscode`, `client_secret` and `clientSecret` all match.
pub const CREDENTIAL_NAMES: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "password",
    "client_secret",
    "secret",
    "meeting_passcode",
    "passcode",
    "code",
    "code_verifier",
    "assertion",
    "saml_response",
];

/// Whether a parameter or field of this name holds a credential (see [`CREDENTIAL_NAMES`]).
pub fn is_credential_name(name: &str) -> bool {
    // Called for every query parameter of every request: compares without allocating.
    fn normal(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes()
            .filter(|b| !matches!(b, b'_' | b'-'))
            .map(|b| b.to_ascii_lowercase())
    }
    CREDENTIAL_NAMES.iter().any(|n| normal(n).eq(normal(name)))
}

/// The credentials a client knows (its client secret, a password, the tokens it sent), and
/// the one operation that matters: [`Redactor::redact`], which replaces each of them (raw,
/// URL-encoded and JSON-escaped) with `[redacted]`. `Debug` shows only how many it holds.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Vec<Secret>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

impl Redactor {
    /// A redactor that knows no credential yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers `secret`. Values shorter than 4 characters are ignored: replacing them
    /// would shred ordinary text and they protect nothing.
    pub fn add(&mut self, secret: &Secret) {
        let value = secret.expose();
        if value.chars().count() < 4 || self.secrets.iter().any(|s| s.expose() == value) {
            return;
        }
        self.secrets.push(secret.clone());
        // The forms the value takes in a URL and inside a JSON string.
        let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let escaped = serde_json::to_string(value).unwrap_or_default();
        let escaped = escaped
            .strip_prefix('"')
            .and_then(|e| e.strip_suffix('"'))
            .unwrap_or(value);
        for other in [encoded.as_str(), escaped] {
            if other != value && !self.secrets.iter().any(|s| s.expose() == other) {
                self.secrets.push(Secret::new(other));
            }
        }
        // Longest first, so that a secret containing another is replaced whole.
        self.secrets
            .sort_by_key(|s| std::cmp::Reverse(s.expose().len()));
    }

    /// Remembers the credentials `request` carries: the `Authorization` value, the query
    /// parameters named in [`CREDENTIAL_NAMES`], and the values of such fields in a JSON or
    /// form body.
    pub fn add_request(&mut self, request: &Request) {
        if let Some(value) = request
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            let token = value
                .split_once(' ')
                .map_or(value, |(_, token)| token.trim());
            self.add(&Secret::from(token));
        }
        let query: Vec<Secret> = request
            .url()
            .query_pairs()
            .filter(|(k, _)| is_credential_name(k))
            .map(|(_, v)| Secret::from(v.into_owned()))
            .collect();
        for secret in &query {
            self.add(secret);
        }
        if let Some(body) = request.body().and_then(reqwest::Body::as_bytes) {
            self.add_body(body);
        }
    }

    /// Remembers the credentials in a request body: the values of the fields named in
    /// [`CREDENTIAL_NAMES`], at any depth of a JSON document, or of a form body.
    pub fn add_body(&mut self, body: &[u8]) {
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
            self.add_json(&json);
        } else {
            let found: Vec<Secret> = url::form_urlencoded::parse(body)
                .filter(|(k, _)| is_credential_name(k))
                .map(|(_, v)| Secret::from(v.into_owned()))
                .collect();
            for secret in &found {
                self.add(secret);
            }
        }
    }

    fn add_json(&mut self, value: &serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match value {
                        serde_json::Value::String(s) if is_credential_name(key) => {
                            self.add(&Secret::from(s.as_str()));
                        }
                        other => self.add_json(other),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| self.add_json(v)),
            _ => {}
        }
    }

    /// Whether it knows no credential.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every known credential replaced by `[redacted]`.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            if text.contains(secret.expose()) {
                text = text.replace(secret.expose(), REDACTED);
            }
        }
        text
    }

    /// [`Redactor::redact`] for a body: the same bytes when it holds no known credential
    /// (or is not UTF-8 text, where a credential cannot be told apart).
    pub fn redact_bytes(&self, body: bytes::Bytes) -> bytes::Bytes {
        match std::str::from_utf8(&body) {
            Ok(text) if self.secrets.iter().any(|s| text.contains(s.expose())) => {
                bytes::Bytes::from(self.redact(text))
            }
            _ => body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_raw_encoded_and_escaped_forms() {
        let mut r = Redactor::new();
        r.add(&Secret::from("p@ss \"word\""));
        r.add(&Secret::from("abc"));
        assert_eq!(r.redact("bad p@ss \"word\" abc"), "bad [redacted] abc");
        assert_eq!(r.redact("q=p%40ss+%22word%22"), "q=[redacted]");
        assert_eq!(
            r.redact(r#"{"m":"p@ss \"word\""}"#),
            r#"{"m":"[redacted]"}"#
        );
        assert!(!format!("{r:?}").contains("word"));
    }

    #[test]
    fn collects_from_a_request() {
        let mut request = Request::new(
            reqwest::Method::POST,
            "http://127.0.0.1/t?access_token=qtoken1&x=1"
                .parse()
                .unwrap(),
        );
        request.headers_mut().insert(
            AUTHORIZATION,
            reqwest::header::HeaderValue::from_static("Bearer htoken1"),
        );
        *request.body_mut() = Some(reqwest::Body::from(
            r#"{"grant":{"password":"hunter22","meetingPasscode":"pass1"},"username":"bob1"}"#,
        ));
        let mut r = Redactor::new();
        r.add_request(&request);
        assert_eq!(
            r.redact("qtoken1 htoken1 hunter22 pass1 bob1"),
            "[redacted] [redacted] [redacted] [redacted] bob1"
        );
        let mut r = Redactor::new();
        r.add_body(b"grant_type=client_credentials&client_secret=s3cr3t");
        assert_eq!(r.redact("s3cr3t"), "[redacted]");
    }
}
