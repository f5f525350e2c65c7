//! Errors as an OpenSearch 2.19 node renders them.
//!
//! A node answers a refused document with the exception chain of what it threw:
//! `{"type": "mapper_parsing_exception", "reason": "...", "caused_by": {...}}` inside the item of a
//! `_bulk` response, or inside `{"error": {"root_cause": [...], ...}, "status": 400}` for a single
//! index request. The `type` is the Java exception class in snake case, with OpenSearch's own
//! `OpenSearch` prefix dropped (`OpenSearchParseException` is `parse_exception`):
//! `server/src/main/java/org/opensearch/OpenSearchException.java` (`getExceptionName`).

use serde_json::{json, Map, Value};

/// A Java exception as the mapper code throws it: the class, the message and the cause.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct JavaError {
    pub(crate) class: &'static str,
    pub(crate) message: String,
    pub(crate) cause: Option<Box<JavaError>>,
    /// Not a Java exception: something this engine does not emulate.
    pub(crate) unsupported: bool,
    /// Fields the exception adds to its rendering (`ParsingException`: `line`, `col`).
    pub(crate) extra: Vec<(String, Value)>,
}

impl JavaError {
    pub(crate) fn new(class: &'static str, message: impl Into<String>) -> JavaError {
        JavaError {
            class,
            message: message.into(),
            cause: None,
            unsupported: false,
            extra: Vec::new(),
        }
    }

    /// A `ParsingException`'s position, rendered as `line` and `col`.
    pub(crate) fn with_position(mut self, line: u64, col: u64) -> JavaError {
        self.extra.push(("line".into(), Value::from(line)));
        self.extra.push(("col".into(), Value::from(col)));
        self
    }

    pub(crate) fn with_cause(mut self, cause: JavaError) -> JavaError {
        self.cause = Some(Box::new(cause));
        self
    }

    pub(crate) fn illegal_argument(message: impl Into<String>) -> JavaError {
        JavaError::new("IllegalArgumentException", message)
    }

    pub(crate) fn illegal_state(message: impl Into<String>) -> JavaError {
        JavaError::new("IllegalStateException", message)
    }

    pub(crate) fn number_format(message: impl Into<String>) -> JavaError {
        JavaError::new("NumberFormatException", message)
    }

    pub(crate) fn mapper_parsing(message: impl Into<String>) -> JavaError {
        JavaError::new("MapperParsingException", message)
    }

    pub(crate) fn parse(message: impl Into<String>) -> JavaError {
        JavaError::new("OpenSearchParseException", message)
    }

    pub(crate) fn unsupported(what: impl Into<String>) -> JavaError {
        JavaError {
            class: "SiemctlUnsupported",
            message: format!("not supported by siemctl's offline engine: {}", what.into()),
            cause: None,
            unsupported: true,
            extra: Vec::new(),
        }
    }

    /// Whether the exception is an instance of `class` or of one of its subclasses, for the
    /// `catch` clauses the mappers use.
    pub(crate) fn is_a(&self, class: &str) -> bool {
        if self.unsupported {
            return false;
        }
        let mut c = self.class;
        loop {
            if c == class {
                return true;
            }
            match superclass(c) {
                Some(s) => c = s,
                None => return false,
            }
        }
    }

    /// Whether this exception, or any cause, marks an unsupported construct.
    pub(crate) fn any_unsupported(&self) -> bool {
        self.unsupported || self.cause.as_ref().is_some_and(|c| c.any_unsupported())
    }

    pub(crate) fn into_public(self) -> MapperError {
        let unsupported = self.any_unsupported();
        let mut e = self.render();
        e.unsupported = unsupported;
        e
    }

    fn render(self) -> MapperError {
        MapperError {
            type_: if self.unsupported {
                "siemctl_unsupported".to_string()
            } else {
                exception_name(self.class)
            },
            reason: self.message,
            caused_by: self.cause.map(|c| Box::new(c.render())),
            status: 400,
            unsupported: false,
            extra: self.extra.into_iter().collect(),
        }
    }
}

/// The Java class hierarchy of the exceptions the mappers throw (for `catch`).
fn superclass(class: &str) -> Option<&'static str> {
    Some(match class {
        "NumberFormatException" => "IllegalArgumentException",
        "IllegalArgumentException" | "IllegalStateException" | "ArithmeticException" => {
            "RuntimeException"
        }
        "DateTimeParseException" => "DateTimeException",
        "DateTimeException" => "RuntimeException",
        "StrictDynamicMappingException" => "MapperParsingException",
        "MapperParsingException" => "MapperException",
        "MapperException" => "OpenSearchException",
        "OpenSearchParseException" => "OpenSearchException",
        "ParsingException" => "OpenSearchException",
        "OpenSearchException" => "RuntimeException",
        "JsonParseException" => "StreamReadException",
        "InputCoercionException" => "StreamReadException",
        "StreamReadException" => "IOException",
        "IOException" => "Exception",
        "MaxBytesLengthExceededException" => "RuntimeException",
        "RuntimeException" => "Exception",
        _ => return None,
    })
}

/// `OpenSearchException.getExceptionName`: the simple class name in snake case, without the
/// `OpenSearch` prefix.
pub(crate) fn exception_name(class: &str) -> String {
    let simple = class.strip_prefix("OpenSearch").unwrap_or(class);
    let mut out = String::new();
    for (i, ch) in simple.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// Why the node would refuse the document (or, with `unsupported`, why this engine cannot say).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{type_}: {reason}")]
pub struct MapperError {
    /// `mapper_parsing_exception`, `strict_dynamic_mapping_exception`,
    /// `illegal_argument_exception`, ... or `siemctl_unsupported`.
    pub type_: String,
    pub reason: String,
    pub caused_by: Option<Box<MapperError>>,
    /// The HTTP status of the item (always 400 for what the mapper refuses).
    pub status: u16,
    /// True when the engine does not emulate what the document or mapping needs: the reason then
    /// starts with "not supported by siemctl's offline engine: ". Never a node's answer.
    pub unsupported: bool,
    /// Further fields of the rendered exception (a `parsing_exception`'s `line` and `col`).
    pub extra: Map<String, Value>,
}

impl MapperError {
    /// The `error` object of a `_bulk` item: `{"type", "reason", "caused_by"}`.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("type".into(), Value::String(self.type_.clone()));
        m.insert("reason".into(), Value::String(self.reason.clone()));
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        if let Some(c) = &self.caused_by {
            m.insert("caused_by".into(), c.to_json());
        }
        Value::Object(m)
    }

    /// The body of a refused single-document request: `{"error": {"root_cause": [...], ...},
    /// "status": 400}`. The root cause of a mapper exception is the exception itself
    /// (`OpenSearchException.guessRootCauses`: it is not a wrapper exception).
    pub fn to_response_json(&self) -> Value {
        let mut error = self.to_json();
        let root = json!({"type": self.type_, "reason": self.reason});
        if let Value::Object(m) = &mut error {
            let mut with_root = Map::new();
            with_root.insert("root_cause".into(), Value::Array(vec![root]));
            for (k, v) in std::mem::take(m) {
                with_root.insert(k, v);
            }
            *m = with_root;
        }
        json!({"error": error, "status": self.status})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exception_names() {
        assert_eq!(
            exception_name("MapperParsingException"),
            "mapper_parsing_exception"
        );
        assert_eq!(
            exception_name("OpenSearchParseException"),
            "parse_exception"
        );
        assert_eq!(
            exception_name("StrictDynamicMappingException"),
            "strict_dynamic_mapping_exception"
        );
        assert_eq!(
            exception_name("MaxBytesLengthExceededException"),
            "max_bytes_length_exceeded_exception"
        );
    }

    #[test]
    fn catch_by_superclass() {
        let e = JavaError::number_format("For input string: \"x\"");
        assert!(e.is_a("IllegalArgumentException"));
        assert!(!e.is_a("IllegalStateException"));
        let s = JavaError::new("StrictDynamicMappingException", "x");
        assert!(s.is_a("MapperParsingException"));
    }

    #[test]
    fn response_shape() {
        let e = JavaError::mapper_parsing("failed to parse")
            .with_cause(JavaError::illegal_argument("bad"))
            .into_public();
        assert_eq!(
            e.to_response_json(),
            json!({"error": {"root_cause": [{"type": "mapper_parsing_exception", "reason": "failed to parse"}],
                "type": "mapper_parsing_exception", "reason": "failed to parse",
                "caused_by": {"type": "illegal_argument_exception", "reason": "bad"}}, "status": 400})
        );
    }
}
