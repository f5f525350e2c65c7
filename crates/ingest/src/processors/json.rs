//! The `json` processor: a JSON string parsed into Java values (Jackson's typing: `Integer`,
//! `Long`, `Double`, `String`, `Boolean`, `HashMap`, `ArrayList`), into the target field or merged
//! into the root of the document.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/JsonProcessor.java`
//! (commit ff4355583baa902467a59ac0816044ad94dffad9). OpenSearch 2.19's processor has `field`,
//! `target_field` and `add_to_root` only (no conflict strategy, no duplicate-key option: a
//! repeated key is an error, as Jackson's strict duplicate detection makes it).

use painless::value::{parse_json, Exception, Value};

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

/// A parse failure: upstream throws `new IllegalArgumentException(jsonParseException)`, whose
/// message is the cause's `toString()`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonFailure {
    /// The cause's message (Jackson's wording where we reproduce it, else serde_json's).
    pub(crate) cause: String,
    /// Set when the text is valid but holds what the engine cannot represent.
    pub(crate) unsupported: bool,
}

impl JsonFailure {
    pub(crate) fn reason(&self) -> String {
        format!(
            "com.fasterxml.jackson.core.JsonParseException: {}",
            self.cause
        )
    }
}

/// `JsonProcessor.apply(Object)`: the first JSON value of `String.valueOf(value)`; text after it
/// is not read; an empty text is null.
pub(crate) fn apply(field_value: &Value) -> Result<Value, JsonFailure> {
    let raw = field_value.java_to_string();
    let text = if raw.contains("/*") || raw.contains("//") {
        strip_comments(&raw)?
    } else {
        raw
    };
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if trimmed.is_empty() {
        return Ok(Value::Null);
    }
    if let Some(number) = big_integer(trimmed) {
        return Err(JsonFailure {
            cause: format!("the json processor on the integer {number} (beyond 64 bits, a java.math.BigInteger on the node)"),
            unsupported: true,
        });
    }
    // the common case: the text is exactly one JSON value
    if let Ok(v) = parse_json(trimmed) {
        return Ok(v);
    }
    // otherwise find where the first value ends, then read exactly that with the document
    // typing (Jackson reads one value and leaves the rest)
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
        unsupported: false,
    })
}

/// An integer literal (outside strings) that does not fit a `long`: Jackson reads it as a
/// `BigInteger`, which the engine's value model does not have.
fn big_integer(text: &str) -> Option<String> {
    // only a run of 19 digits or more can overflow
    let mut run = 0;
    if !text.chars().any(|c| {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        run >= 19
    }) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 1;
            } else if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let integral = i < bytes.len() && matches!(bytes[i], b'.' | b'e' | b'E');
            let token = &text[start..i];
            if !integral && token.len() >= 19 && token.parse::<i64>().is_err() && token != "-" {
                return Some(token.to_owned());
            }
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || matches!(bytes[i], b'.' | b'e' | b'E' | b'+' | b'-'))
            {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    None
}

/// OpenSearch's JSON parser allows comments (`JsonXContent`: `ALLOW_COMMENTS`): `/* ... */` and
/// `// ...` outside strings read as whitespace.
fn strip_comments(text: &str) -> Result<String, JsonFailure> {
    if !text.contains('/') {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('*')) => {
                chars.next();
                let mut closed = false;
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        closed = true;
                        break;
                    }
                    prev = n;
                }
                if !closed {
                    return Err(JsonFailure {
                        cause: "Unexpected end-of-input in a comment".into(),
                        unsupported: false,
                    });
                }
                out.push(' ');
            }
            ('/', Some('/')) => {
                for n in chars.by_ref() {
                    if n == '\n' || n == '\r' {
                        break;
                    }
                }
                out.push('\n');
            }
            _ => out.push(c),
        }
    }
    Ok(out)
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
                unsupported: false,
            };
        }
    }
    JsonFailure {
        cause: e.to_string(),
        unsupported: false,
    }
}

/// The `add_to_root` error.
pub(crate) fn non_map_root_error() -> Exception {
    Exception::illegal_argument("cannot add non-map fields to root of document")
}

/// The configuration error message for `target_field` with `add_to_root`.
pub(crate) const TARGET_WITH_ADD_TO_ROOT: &str =
    "Cannot set a target field while also setting `add_to_root` to true";

impl JsonFailure {
    /// The error OpenSearch reports: `illegal_argument_exception` caused by Jackson's
    /// `json_parse_exception`.
    pub(crate) fn to_ingest_error(&self) -> IngestError {
        if self.unsupported {
            return IngestError::unsupported(&self.cause);
        }
        IngestError::illegal_argument(self.reason())
            .with_cause(IngestError::new("json_parse_exception", self.cause.clone()))
    }
}

pub struct JsonProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    target_field: String,
    add_to_root: bool,
}

/// `JsonProcessor.Factory`: `field`, `target_field` (default `field`), `add_to_root` (default
/// false, and not together with `target_field`).
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let target_field = config.optional_string("target_field")?;
    let add_to_root = config.boolean("add_to_root", false)?;
    if add_to_root && target_field.is_some() {
        return Err(config.new_config_error("target_field", TARGET_WITH_ADD_TO_ROOT));
    }
    let target_field = target_field.unwrap_or_else(|| field.clone());
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(JsonProcessor {
        tag,
        description,
        field,
        target_field,
        add_to_root,
    }))
}

impl Processor for JsonProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        if self.add_to_root {
            // `apply(ctx, field)`: the field is a key of the root map, not a path
            let Value::Map(ctx) = doc.source_and_metadata().clone() else {
                return Err(IngestError::illegal_state("the document is not a map"));
            };
            let raw = ctx
                .borrow()
                .get_str(&self.field)
                .cloned()
                .unwrap_or(Value::Null);
            let parsed = apply(&raw).map_err(|f| f.to_ingest_error())?;
            let Value::Map(parsed) = parsed else {
                return Err(crate::processors::lowercase::abstract_string::java_ref(
                    &non_map_root_error(),
                ));
            };
            let entries: Vec<(Value, Value)> = parsed.borrow().iter().collect();
            let mut ctx = ctx.borrow_mut();
            for (k, v) in entries {
                ctx.insert(k, v);
            }
        } else {
            let raw = doc.field(&self.field)?;
            let parsed = apply(&raw).map_err(|f| f.to_ingest_error())?;
            doc.set_field(&self.target_field, parsed)?;
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "json"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

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
        // beyond a long: a BigInteger in Java, unsupported here (never a rounded double)
        let e = apply(&"{\"n\": 123456789012345678901}".into()).unwrap_err();
        assert!(e.unsupported);
        assert!(e.to_ingest_error().reason().starts_with("not supported by siemctl's offline engine: the json processor on the integer 123456789012345678901"));
        assert!(matches!(
            apply(&"9223372036854775807".into()).unwrap(),
            Value::Long(i64::MAX)
        ));
        assert!(apply(
            &"{\"s\": \"123456789012345678901\", \"d\": 1.23456789012345678901e5}".into()
        )
        .is_ok());
        // comments are allowed, as OpenSearch's parser allows them
        assert_eq!(
            apply(&"/* c */ {\"a\": \"x//y\"} // end".into())
                .unwrap()
                .java_to_string(),
            "{a=x//y}"
        );
        assert!(apply(&"/* open".into()).is_err());
        // duplicate keys are an error (strict duplicate detection)
        assert!(apply(&"{\"a\":1,\"a\":2}".into()).is_err());
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build("json", json!({"field": "f", "target_field": "t"}));
        assert_eq!(
            run_ok(&*p, json!({"f": "{\"a\": [1, 2.5, \"x\"]}"})),
            json!({"f": "{\"a\": [1, 2.5, \"x\"]}", "t": {"a": [1, 2.5, "x"]}})
        );
        assert_eq!(
            run_err(&*p, json!({})).reason(),
            "field [f] not present as part of path [f]"
        );
        let e = run_err(&*p, json!({"f": "blah blah"}));
        assert_eq!(e.type_, "illegal_argument_exception");
        assert_eq!(
            e.caused_by.as_ref().map(|c| c.type_.as_str()),
            Some("json_parse_exception")
        );
        // JsonProcessorTests.testAddToRoot / testAddBoolToRoot
        let p = build("json", json!({"field": "a", "add_to_root": true}));
        assert_eq!(
            run_ok(&*p, json!({"a": "{\"a\": 1, \"b\": 2}", "c": "see"})),
            json!({"a": 1, "b": 2, "c": "see"})
        );
        assert_eq!(
            run_err(&*p, json!({"a": true})).reason(),
            "cannot add non-map fields to root of document"
        );
        // JsonProcessorFactoryTests
        let e = build_err(
            "json",
            json!({"field": "a", "target_field": "b", "add_to_root": true}),
        );
        assert_eq!(
            e.reason(),
            "[target_field] Cannot set a target field while also setting `add_to_root` to true"
        );
        let p = build("json", json!({"field": "a"}));
        assert_eq!(run_ok(&*p, json!({"a": "[1]"})), json!({"a": [1]}));
    }
}
