//! The `json` processor: a JSON string parsed into Java values (Jackson's typing: `Integer`,
//! `Long`, `Double`, `String`, `Boolean`, `HashMap`, `ArrayList`), into the target field or merged
//! into the root of the document.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/JsonProcessor.java`
//! (commit ff4355583baa902467a59ac0816044ad94dffad9). OpenSearch 2.19's processor has `field`,
//! `target_field` and `add_to_root` only (no conflict strategy, no duplicate-key option: a
//! repeated key is an error, as Jackson's strict duplicate detection makes it).

use painless::value::{parse_json, Exception, Value};

/// A parse failure: upstream throws `new IllegalArgumentException(jsonParseException)`, whose
/// message is the cause's `toString()`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonFailure {
    /// The cause's message (Jackson's wording where we reproduce it, else serde_json's).
    pub(crate) cause: String,
}

impl JsonFailure {
    pub(crate) fn reason(&self) -> String {
        format!(
            "com.fasterxml.jackson.core.JsonParseException: {}",
            self.cause
        )
    }

    pub(crate) fn to_exception(&self) -> Exception {
        Exception::illegal_argument(self.reason())
    }
}

/// `JsonProcessor.apply(Object)`: the first JSON value of `String.valueOf(value)`; text after it
/// is not read; an empty text is null.
pub(crate) fn apply(field_value: &Value) -> Result<Value, JsonFailure> {
    let text = field_value.java_to_string();
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    // find where the first value ends, then read exactly that with the document typing
    let mut stream =
        serde_json::Deserializer::from_str(trimmed).into_iter::<serde::de::IgnoredAny>();
    match stream.next() {
        Some(Ok(_)) => {}
        Some(Err(e)) => return Err(failure(trimmed, &e)),
        None => return Ok(Value::Null),
    }
    let end = stream.byte_offset();
    parse_json(&trimmed[..end]).map_err(|e| JsonFailure {
        cause: e.to_string(),
    })
}

/// Jackson's message for a bare word, the common failure ("blah blah"); serde_json's otherwise.
fn failure(text: &str, e: &serde_json::Error) -> JsonFailure {
    let first = text.chars().next().unwrap_or(' ');
    if first.is_alphabetic() || first == '_' || first == '$' {
        let token: String = text
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
            .collect();
        if !matches!(token.as_str(), "true" | "false" | "null") {
            return JsonFailure {
                cause: format!(
                    "Unrecognized token '{token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
                ),
            };
        }
    }
    JsonFailure {
        cause: e.to_string(),
    }
}

/// The `add_to_root` error.
pub(crate) fn non_map_root_error() -> Exception {
    Exception::illegal_argument("cannot add non-map fields to root of document")
}

/// The configuration error message for `target_field` with `add_to_root`.
pub(crate) const TARGET_WITH_ADD_TO_ROOT: &str =
    "Cannot set a target field while also setting `add_to_root` to true";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values() {
        // JsonProcessorTests: testBoolean/testInteger/testDouble/testString/testArray/testNull
        assert!(matches!(
            apply(&Value::Boolean(true)).unwrap(),
            Value::Boolean(true)
        ));
        assert!(matches!(apply(&Value::Int(3)).unwrap(), Value::Int(3)));
        assert!(matches!(apply(&Value::Double(3.0)).unwrap(), Value::Double(v) if v == 3.0));
        assert_eq!(
            apply(&"\"hello world\"".into()).unwrap().as_str(),
            Some("hello world")
        );
        let v = apply(&"[true, true, false]".into()).unwrap();
        assert_eq!(v.java_to_string(), "[true, true, false]");
        assert_eq!(v.class_name(), Some("java.util.ArrayList"));
        assert!(apply(&Value::Null).unwrap().is_null());
        assert!(apply(&"".into()).unwrap().is_null());
        let v = apply(&"{\"a\": 1, \"b\": 3000000000, \"c\": 1.5, \"d\": {\"e\": null}}".into())
            .unwrap();
        let Value::Map(m) = &v else { panic!() };
        let m = m.borrow();
        assert!(matches!(m.get_str("a"), Some(Value::Int(1))));
        assert!(matches!(m.get_str("b"), Some(Value::Long(3_000_000_000))));
        assert!(matches!(m.get_str("c"), Some(Value::Double(_))));
        assert_eq!(v.class_name(), Some("java.util.HashMap"));
    }

    #[test]
    fn first_value_only_and_errors() {
        // Jackson reads one token: what follows the first value is ignored
        assert!(matches!(apply(&"123 abc".into()).unwrap(), Value::Int(123)));
        assert_eq!(
            apply(&"{\"a\":1} trailing".into())
                .unwrap()
                .java_to_string(),
            "{a=1}"
        );
        // testInvalidValue
        let e = apply(&"blah blah".into()).unwrap_err();
        assert_eq!(
            e.cause,
            "Unrecognized token 'blah': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        );
        assert!(e.reason().starts_with(
            "com.fasterxml.jackson.core.JsonParseException: Unrecognized token 'blah'"
        ));
        // duplicate keys are an error (strict duplicate detection)
        assert!(apply(&"{\"a\":1,\"a\":2}".into()).is_err());
    }
}
