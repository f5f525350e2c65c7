//! Errors as an OpenSearch node reports them.
//!
//! An [`IngestError`] is one Java exception as OpenSearch renders it
//! (`libs/core/src/main/java/org/opensearch/OpenSearchException.java`, `innerToXContent`,
//! `generateThrowableXContent`, `generateFailureXContent`, `guessRootCauses`): a `type` (the
//! snake-cased class name, e.g. `illegal_argument_exception`), a `reason` (the message, possibly
//! null), metadata (`opensearch.`-prefixed keys rendered without the prefix, e.g.
//! `processor_type`, `property_name`, `processor_tag`), headers (rendered under `header`), a
//! cause (`caused_by`), suppressed exceptions, and the HTTP status the REST layer would answer.
//!
//! Wrapper exceptions (`OpenSearchWrapperException`, e.g. `IngestProcessorException`, which
//! `CompoundProcessor` puts around a processor's failure with the `processor_type`,
//! `processor_tag` and `pipeline_origin` headers) are invisible when rendered: OpenSearch unwraps
//! them to their cause (`ExceptionsHelper.unwrapCause`), so [`IngestError::to_json`] does too,
//! while the on_failure machinery still reads their headers.

use std::fmt;

/// One OpenSearch (or plain Java) exception, with what OpenSearch renders of it. A box around
/// [`ErrorData`] (whose fields it dereferences to), so that `Result<_, IngestError>` stays small.
#[derive(Clone, Debug, PartialEq)]
pub struct IngestError(Box<ErrorData>);

impl std::ops::Deref for IngestError {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for IngestError {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

/// The content of an [`IngestError`].
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorData {
    /// `illegal_argument_exception`, `parse_exception`, `script_exception`, ...
    pub type_: String,
    /// The exception's message; `None` for a Java `null` message (rendered `"reason": null`).
    pub reason: Option<String>,
    /// The status the REST layer answers with (`ExceptionsHelper.status`).
    pub status: u16,
    /// Metadata (`addMetadata`), keys without the `opensearch.` prefix, in insertion order.
    pub metadata: Vec<(String, Vec<String>)>,
    /// Headers (`addHeader`), in insertion order.
    pub headers: Vec<(String, Vec<String>)>,
    /// Fields an exception class renders itself (`metadataToXContent`), e.g. a
    /// `script_exception`'s `script_stack`, `script`, `lang`, `position`.
    pub extra: Vec<(String, serde_json::Value)>,
    pub caused_by: Option<IngestError>,
    pub suppressed: Vec<IngestError>,
    /// An `OpenSearchWrapperException` (rendered as its cause).
    pub wrapper: bool,
}

impl IngestError {
    /// An exception of the given type and message, status 500 unless the type says otherwise
    /// (see [`default_status`]).
    pub fn new(type_: &str, reason: impl Into<String>) -> IngestError {
        IngestError(Box::new(ErrorData {
            type_: type_.to_string(),
            reason: Some(reason.into()),
            status: default_status(type_),
            metadata: Vec::new(),
            headers: Vec::new(),
            extra: Vec::new(),
            caused_by: None,
            suppressed: Vec::new(),
            wrapper: false,
        }))
    }

    /// `IllegalArgumentException` (400).
    pub fn illegal_argument(reason: impl Into<String>) -> IngestError {
        IngestError::new("illegal_argument_exception", reason)
    }

    /// `IllegalStateException` (500).
    pub fn illegal_state(reason: impl Into<String>) -> IngestError {
        IngestError::new("illegal_state_exception", reason)
    }

    /// `OpenSearchParseException` (400), what `ConfigurationUtils` throws for bad options.
    pub fn parse(reason: impl Into<String>) -> IngestError {
        IngestError::new("parse_exception", reason)
    }

    /// `ResourceNotFoundException` (404).
    pub fn resource_not_found(reason: impl Into<String>) -> IngestError {
        IngestError::new("resource_not_found_exception", reason)
    }

    /// An exception from a Java class (simple name, e.g. `ClassCastException`), typed as
    /// OpenSearch names it (`class_cast_exception`) with the status `ExceptionsHelper.status`
    /// gives a non-OpenSearch exception.
    pub fn from_java(exception: &painless::Exception) -> IngestError {
        let mut e = IngestError::new(&java_type_name(&exception.class), String::new());
        e.reason = exception.message.clone();
        e
    }

    /// A `ClassCastException` from a Java cast, with Java 17's message ("class X cannot be
    /// cast to class Y (X and Y are in module java.base of loader 'bootstrap')").
    pub fn class_cast(from: &str, to: &str) -> IngestError {
        let module = |c: &str| c.starts_with("java.");
        let detail = if module(from) && module(to) {
            format!(" ({from} and {to} are in module java.base of loader 'bootstrap')")
        } else {
            String::new()
        };
        IngestError::new(
            "class_cast_exception",
            format!("class {from} cannot be cast to class {to}{detail}"),
        )
    }

    /// What a feature outside the engine's scope answers: never a pass, never a silent wrong
    /// answer.
    pub fn unsupported(what: impl fmt::Display) -> IngestError {
        IngestError::illegal_argument(format!("not supported by siemctl's offline engine: {what}"))
    }

    /// The same error with a different status.
    pub fn with_status(mut self, status: u16) -> IngestError {
        self.status = status;
        self
    }

    pub fn with_cause(mut self, cause: IngestError) -> IngestError {
        self.caused_by = Some(cause);
        self
    }

    /// `addMetadata("opensearch." + key, value)`: replaces an earlier value (a `put`).
    pub fn add_metadata(&mut self, key: &str, value: impl Into<String>) {
        put_multi(&mut self.metadata, key, vec![value.into()]);
    }

    /// `addHeader(key, value)`: replaces an earlier value (a `put`).
    pub fn add_header(&mut self, key: &str, value: impl Into<String>) {
        put_multi(&mut self.headers, key, vec![value.into()]);
    }

    /// `addHeader(key, values)`.
    pub fn add_header_values(&mut self, key: &str, values: Vec<String>) {
        put_multi(&mut self.headers, key, values);
    }

    /// A `ScriptException` as OpenSearch reports it: `script_exception` (400) with its reason,
    /// `script_stack`, `script`, `lang`, `position`, and the Java exception as the cause.
    pub fn from_script(e: &painless::ScriptError) -> IngestError {
        let mut out = IngestError::new("script_exception", e.reason.clone());
        out.extra.push((
            "script_stack".into(),
            serde_json::Value::Array(
                e.script_stack
                    .iter()
                    .map(|s| serde_json::Value::String(s.clone()))
                    .collect(),
            ),
        ));
        out.extra.push(("script".into(), e.script.clone().into()));
        out.extra.push(("lang".into(), e.lang.clone().into()));
        if let Some(p) = e.position {
            out.extra.push((
                "position".into(),
                serde_json::json!({"offset": p.offset, "start": p.start, "end": p.end}),
            ));
        }
        out.with_cause(IngestError::from_java(&e.caused_by))
    }

    pub fn metadata(&self, key: &str) -> Option<&str> {
        first(&self.metadata, key)
    }

    pub fn header(&self, key: &str) -> Option<&str> {
        first(&self.headers, key)
    }

    pub fn header_values(&self, key: &str) -> Option<&[String]> {
        self.headers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    /// The message, or `""` for a null one.
    pub fn reason(&self) -> &str {
        self.reason.as_deref().unwrap_or("")
    }

    /// The HTTP status of the REST answer: a wrapper's is its cause's (`OpenSearchException.status`
    /// of an `OpenSearchWrapperException` unwraps).
    pub fn status(&self) -> u16 {
        self.unwrapped().status
    }

    /// `ExceptionsHelper.unwrapCause`: through wrapper exceptions to the first real one.
    pub fn unwrapped(&self) -> &IngestError {
        let mut e = self;
        for _ in 0..10 {
            match (&e.caused_by, e.wrapper) {
                (Some(cause), true) => e = cause,
                _ => break,
            }
        }
        e
    }

    /// `Throwable.getRootCause` as `OpenSearchException.getRootCause` walks it: the innermost
    /// cause (`CompoundProcessor` puts its message in `_ingest.on_failure_message`).
    pub fn root_cause(&self) -> &IngestError {
        let mut e = self;
        while let Some(cause) = &e.caused_by {
            e = cause;
        }
        e
    }

    /// `OpenSearchException.guessRootCauses`: through wrappers to the first real exception; a
    /// plain Java exception is its own root cause, an OpenSearch exception's is its cause's when
    /// that cause is an OpenSearch exception too, else itself.
    fn guess_root_cause(&self) -> &IngestError {
        let mut e = self.unwrapped();
        while is_opensearch_exception(&e.type_) {
            match &e.caused_by {
                Some(cause) if is_opensearch_exception(&cause.type_) => e = cause,
                _ => break,
            }
        }
        e
    }

    /// `ExceptionsHelper.convertToOpenSearchException`: an OpenSearch exception as it is, any
    /// other wrapped in a generic `OpenSearchException` (type `exception`, message the cause's
    /// `toString()`, e.g. `java.lang.IllegalArgumentException: ...`).
    pub fn into_opensearch_exception(self) -> IngestError {
        if is_opensearch_exception(&self.type_) {
            return self;
        }
        // OpenSearchException.status() of a non-wrapper is 500 whatever its cause.
        let message = self.java_to_string();
        IngestError::new("exception", message)
            .with_cause(self)
            .with_status(500)
    }

    /// `Throwable.toString()` of a plain Java exception: the class name, `: `, the message.
    pub fn java_to_string(&self) -> String {
        let class = java_class_of(&self.type_);
        match &self.reason {
            Some(reason) => format!("{class}: {reason}"),
            None => class,
        }
    }

    /// The `error` object of a REST error answer (`generateFailureXContent`): `root_cause`, then
    /// the exception itself.
    pub fn to_json(&self) -> serde_json::Value {
        let mut root = serde_json::Map::new();
        root.insert(
            "root_cause".to_string(),
            serde_json::Value::Array(vec![self.guess_root_cause().throwable_json(false)]),
        );
        let serde_json::Value::Object(body) = self.to_xcontent() else {
            unreachable!("an object")
        };
        root.extend(body);
        serde_json::Value::Object(root)
    }

    /// The whole body of a REST error answer: `{"error": {...}, "status": ...}`.
    pub fn to_response_json(&self) -> serde_json::Value {
        serde_json::json!({ "error": self.to_json(), "status": self.status() })
    }

    /// The exception alone (`generateThrowableXContent`), as a bulk item's `error` or a
    /// processor result's `error` renders it.
    pub fn to_xcontent(&self) -> serde_json::Value {
        self.throwable_json(true)
    }

    fn throwable_json(&self, with_cause: bool) -> serde_json::Value {
        let e = self.unwrapped();
        let mut out = serde_json::Map::new();
        out.insert("type".into(), e.type_.clone().into());
        out.insert(
            "reason".into(),
            e.reason
                .clone()
                .map_or(serde_json::Value::Null, serde_json::Value::String),
        );
        for (k, v) in &e.metadata {
            out.insert(k.clone(), multi_json(v));
        }
        for (k, v) in &e.extra {
            out.insert(k.clone(), v.clone());
        }
        if with_cause {
            if let Some(cause) = &e.caused_by {
                out.insert("caused_by".into(), cause.throwable_json(true));
            }
        }
        if !e.headers.is_empty() {
            let mut headers = serde_json::Map::new();
            for (k, v) in &e.headers {
                headers.insert(k.clone(), multi_json(v));
            }
            out.insert("header".into(), serde_json::Value::Object(headers));
        }
        if !e.suppressed.is_empty() {
            out.insert(
                "suppressed".into(),
                serde_json::Value::Array(
                    e.suppressed
                        .iter()
                        .map(|s| s.throwable_json(true))
                        .collect(),
                ),
            );
        }
        serde_json::Value::Object(out)
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.unwrapped();
        write!(f, "{}: {}", e.type_, e.reason())?;
        if let Some(cause) = &e.caused_by {
            write!(f, " (caused by {cause})")?;
        }
        Ok(())
    }
}

impl std::error::Error for IngestError {}

impl From<painless::Exception> for IngestError {
    fn from(e: painless::Exception) -> Self {
        IngestError::from_java(&e)
    }
}

/// `OpenSearchException.getExceptionName` of a plain Java exception: the simple class name in
/// snake case (`IllegalArgumentException` -> `illegal_argument_exception`).
pub fn java_type_name(simple_class: &str) -> String {
    let simple = simple_class
        .rsplit(['.', '$'])
        .next()
        .unwrap_or(simple_class);
    let mut out = String::with_capacity(simple.len() + 4);
    for (i, c) in simple.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The status of an exception of this type when nothing else says (`ExceptionsHelper.status`,
/// and each OpenSearch exception's `status()`).
pub fn default_status(type_: &str) -> u16 {
    match type_ {
        "illegal_argument_exception"
        | "parse_exception"
        | "script_exception"
        | "action_request_validation_exception"
        | "x_content_parse_exception"
        | "json_parse_exception"
        | "mapper_parsing_exception" => 400,
        "resource_not_found_exception" | "index_not_found_exception" => 404,
        "version_conflict_engine_exception" => 409,
        _ => 500,
    }
}

/// The fully qualified Java class of an exception type (for `Throwable.toString()`).
pub fn java_class_of(type_: &str) -> String {
    let simple: String = type_
        .split('_')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect();
    let package = match type_ {
        "illegal_argument_exception"
        | "illegal_state_exception"
        | "null_pointer_exception"
        | "class_cast_exception"
        | "unsupported_operation_exception"
        | "number_format_exception"
        | "index_out_of_bounds_exception"
        | "array_index_out_of_bounds_exception"
        | "string_index_out_of_bounds_exception"
        | "arithmetic_exception"
        | "negative_array_size_exception"
        | "stack_overflow_error" => "java.lang",
        "concurrent_modification_exception" | "no_such_element_exception" => "java.util",
        "pattern_syntax_exception" => "java.util.regex",
        "date_time_exception" => "java.time",
        "date_time_parse_exception" => "java.time.format",
        _ => "java.lang",
    };
    format!("{package}.{simple}")
}

/// Whether an exception of this type is an `OpenSearchException` (as opposed to a plain Java
/// exception) for `guessRootCauses`.
fn is_opensearch_exception(type_: &str) -> bool {
    matches!(
        type_,
        "parse_exception"
            | "script_exception"
            | "general_script_exception"
            | "resource_not_found_exception"
            | "ingest_processor_exception"
            | "mapper_parsing_exception"
            | "exception"
    )
}

fn put_multi(list: &mut Vec<(String, Vec<String>)>, key: &str, values: Vec<String>) {
    match list.iter_mut().find(|(k, _)| k == key) {
        Some((_, old)) => *old = values,
        None => list.push((key.to_string(), values)),
    }
}

fn first<'a>(list: &'a [(String, Vec<String>)], key: &str) -> Option<&'a str> {
    list.iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.first())
        .map(String::as_str)
}

/// `headerToXContent`: one value as a string, several as an array.
fn multi_json(values: &[String]) -> serde_json::Value {
    match values {
        [one] => one.clone().into(),
        many => serde_json::Value::Array(many.iter().cloned().map(Into::into).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_names_snake_case() {
        assert_eq!(
            java_type_name("IllegalArgumentException"),
            "illegal_argument_exception"
        );
        assert_eq!(
            java_type_name("java.lang.IllegalStateException"),
            "illegal_state_exception"
        );
    }

    #[test]
    fn wrappers_render_as_their_cause_and_keep_headers_for_on_failure() {
        let cause = IngestError::illegal_argument("field [x] not present as part of path [x]");
        let mut wrapper = IngestError::new("ingest_processor_exception", cause.to_string());
        wrapper.wrapper = true;
        wrapper.caused_by = Some(cause);
        wrapper.add_header("processor_type", "set");
        assert_eq!(wrapper.header("processor_type"), Some("set"));
        assert_eq!(wrapper.status(), 400);
        let json = wrapper.to_json();
        assert_eq!(json["root_cause"][0]["type"], "illegal_argument_exception");
        assert_eq!(json["type"], "illegal_argument_exception");
        assert!(json.get("header").is_none(), "{json}");
    }

    #[test]
    fn metadata_renders_beside_type_and_reason() {
        let mut e = IngestError::parse("[field] required property is missing");
        e.add_metadata("processor_type", "set");
        e.add_metadata("property_name", "field");
        let json = e.to_json();
        assert_eq!(json["root_cause"][0]["processor_type"], "set");
        assert_eq!(json["property_name"], "field");
        assert_eq!(e.status(), 400);
    }
}
