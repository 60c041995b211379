//! Strict JSON: how the sidecar reads every request body and every token segment.
//!
//! Plain JSON parsers keep one of two repeated keys (serde_json's `Map` the last, derived
//! structs refuse them, Jackson the last, some proxies the first). In an authentication
//! service that difference is an attack surface: `{"loginId": "a", "loginId": "b"}` can
//! mean one user to a filter in front and another to us. Here a repeated key is an error,
//! wherever it appears.
//!
//! U+0000 is refused as well: PostgreSQL cannot store it in text, so on one backend it
//! would be a server error and on the other a stored value that the first cannot hold.
//! Refusing it at the edge keeps both backends alike and the answer a 400.
//!
//! Nesting is bounded by serde_json's recursion limit (128); numbers out of `f64` range
//! are syntax errors.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why a document was refused. `path` is in serde_path_to_error's notation
/// (`user.email`, `users[0].password`, `.` for the document itself).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StrictJsonError {
    #[error("{0}")]
    Syntax(String),
    #[error("the key [{key}] appears more than once in [{path}]")]
    DuplicateKey { path: String, key: String },
    #[error("[{path}] contains the NUL character")]
    NulCharacter { path: String },
}

impl StrictJsonError {
    /// The field a request error should name: the repeated key's or the string's path;
    /// `None` for syntax errors, which concern the whole document.
    pub fn field(&self) -> Option<String> {
        match self {
            Self::Syntax(_) => None,
            Self::DuplicateKey { path, key } => Some(child(path, key)),
            Self::NulCharacter { path } => Some(path.clone()),
        }
    }
}

/// Parses one JSON document, refusing repeated keys, NUL characters and trailing data.
pub fn parse(bytes: &[u8]) -> Result<Value, StrictJsonError> {
    let failure = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = StrictSeed {
        path: ".".to_owned(),
        failure: &failure,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    match (parsed, failure.into_inner()) {
        (_, Some(refused)) => Err(refused),
        (Ok(value), None) => Ok(value),
        (Err(error), None) => Err(StrictJsonError::Syntax(error.to_string())),
    }
}

fn child(path: &str, key: &str) -> String {
    if path == "." {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Builds a `Value` while checking it. The first refusal is recorded in `failure` (a
/// serde error carries no structured cause) and parsing stops.
struct StrictSeed<'a> {
    path: String,
    failure: &'a RefCell<Option<StrictJsonError>>,
}

impl StrictSeed<'_> {
    fn refuse<E: de::Error>(&self, error: StrictJsonError) -> E {
        let message = error.to_string();
        self.failure.borrow_mut().get_or_insert(error);
        E::custom(message)
    }

    fn text<E: de::Error>(&self, text: &str) -> Result<(), E> {
        if text.contains('\0') {
            Err(self.refuse(StrictJsonError::NulCharacter {
                path: self.path.clone(),
            }))
        } else {
            Ok(())
        }
    }
}

impl<'de> DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        self.text(value)?;
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        self.text(&value)?;
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let seed = StrictSeed {
                path: format!(
                    "{}[{}]",
                    if self.path == "." {
                        ""
                    } else {
                        self.path.as_str()
                    },
                    items.len()
                ),
                failure: self.failure,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let path = child(&self.path, &key);
            if key.contains('\0') {
                return Err(self.refuse(StrictJsonError::NulCharacter { path }));
            }
            if map.contains_key(&key) {
                return Err(self.refuse(StrictJsonError::DuplicateKey {
                    path: self.path.clone(),
                    key,
                }));
            }
            let value = access.next_value_seed(StrictSeed {
                path,
                failure: self.failure,
            })?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_what_plain_json_accepts() {
        let text =
            r#"{"a": [1, -2, 3.5, true, null, "x"], "b": {"c": {}}, "d": 18446744073709551615}"#;
        assert_eq!(
            parse(text.as_bytes()).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
        assert_eq!(parse(b" \"\\u00e9\" ").unwrap(), json!("é"));
    }

    #[test]
    fn repeated_keys_are_refused_at_any_depth_with_their_path() {
        for (text, field) in [
            (r#"{"loginId": "a", "loginId": "b"}"#, "loginId"),
            (r#"{"user": {"email": "a", "email": "b"}}"#, "user.email"),
            (
                r#"{"users": [{}, {"password": 1, "password": 2}]}"#,
                "users[1].password",
            ),
            (r#"[{"a": 1, "a": 1}]"#, "[0].a"),
        ] {
            let error = parse(text.as_bytes()).unwrap_err();
            assert!(
                matches!(error, StrictJsonError::DuplicateKey { .. }),
                "{text}: {error:?}"
            );
            assert_eq!(error.field().as_deref(), Some(field), "{text}");
        }
    }

    #[test]
    fn nul_characters_are_refused_in_values_and_keys() {
        let error = parse(br#"{"user": {"email": "a\u0000b"}}"#).unwrap_err();
        assert_eq!(
            error,
            StrictJsonError::NulCharacter {
                path: "user.email".into()
            }
        );
        let error = parse(br#"{"a\u0000": 1}"#).unwrap_err();
        assert_eq!(error.field().as_deref(), Some("a\u{0}"));
        // An escaped backslash followed by "u0000" is six ordinary characters.
        assert_eq!(parse(br#""\\u0000""#).unwrap(), json!("\\u0000"));
    }

    #[test]
    fn syntax_errors_depth_and_range_are_reported_as_syntax() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        for text in [
            "{",
            "{}x",
            "{}{}",
            "1e999",
            deep.as_str(),
            "\"\\ud800\"",
            "",
        ] {
            assert!(
                matches!(parse(text.as_bytes()), Err(StrictJsonError::Syntax(_))),
                "{text:.20}"
            );
        }
        assert!(matches!(
            parse(b"{\"a\": \"\xff\"}"),
            Err(StrictJsonError::Syntax(_))
        ));
    }
}
