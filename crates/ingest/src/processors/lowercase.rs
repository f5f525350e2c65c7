//! The `lowercase` processor, and the shared behaviour of the string processors (upstream's
//! `AbstractStringProcessor`: lowercase, uppercase, trim, urldecode, html_strip, bytes, gsub).
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/LowercaseProcessor.java`
//! (`value.toLowerCase(Locale.ROOT)`) and `AbstractStringProcessor.java`
//! (commit 1865662a39bb7dd27810a5e18bd0c7ea9a00af83).

use painless::value::Value;

use crate::config::Config;
use crate::error::IngestError;
use crate::processor::{Common, Processor};

/// `AbstractStringProcessor` and `IngestDocument`'s typed reads.
pub(crate) mod abstract_string {
    use painless::value::{Exception, Value};

    use crate::config::Config;
    use crate::document::IngestDocument;
    use crate::error::IngestError;
    use crate::processor::{Common, Outcome, Processor, Run};

    /// A Java exception as OpenSearch reports it, with the status `ExceptionsHelper.status`
    /// gives it: 400 for an `IllegalArgumentException` and its subclasses
    /// (`NumberFormatException`, `PatternSyntaxException`), 500 for the others.
    pub(crate) fn java(e: Exception) -> IngestError {
        let err = IngestError::from_java(&e);
        match &*e.class {
            "IllegalArgumentException" | "NumberFormatException" | "PatternSyntaxException" => {
                err.with_status(400)
            }
            _ => err,
        }
    }

    /// [`java`] of a borrowed exception.
    pub(crate) fn java_ref(e: &Exception) -> IngestError {
        java(e.clone())
    }

    /// What a string processor does to one string.
    pub(crate) type StringOp = Box<dyn Fn(&str) -> Result<Value, IngestError> + Send + Sync>;

    /// `AbstractStringProcessor.Factory.create`'s common options, read in its order: `field`,
    /// `ignore_missing` (default false), `target_field` (default `field`).
    pub(crate) struct StringOptions {
        pub(crate) field: String,
        pub(crate) ignore_missing: bool,
        pub(crate) target_field: String,
    }

    pub(crate) fn read_options(config: &mut Config) -> Result<StringOptions, IngestError> {
        let field = config.required_string("field")?;
        let ignore_missing = config.boolean("ignore_missing", false)?;
        let target_field = config.string_or("target_field", &field)?;
        Ok(StringOptions {
            field,
            ignore_missing,
            target_field,
        })
    }

    /// One of the `AbstractStringProcessor` processors.
    pub(crate) struct StringProcessor {
        kind: &'static str,
        tag: Option<String>,
        description: Option<String>,
        options: StringOptions,
        op: StringOp,
    }

    pub(crate) fn build(
        kind: &'static str,
        options: StringOptions,
        common: &Common,
        op: StringOp,
    ) -> Box<dyn Processor> {
        let (tag, description) = common.tag_and_description();
        Box::new(StringProcessor {
            kind,
            tag,
            description,
            options,
            op,
        })
    }

    impl Processor for StringProcessor {
        fn execute(
            &self,
            doc: &mut IngestDocument,
            _run: &mut Run,
        ) -> Result<Outcome, IngestError> {
            let o = &self.options;
            let val = doc
                .field_opt(&o.field, o.ignore_missing)?
                .unwrap_or(Value::Null);
            if val.is_null() {
                if o.ignore_missing {
                    return Ok(Outcome::Continue);
                }
                return Err(java(null_error(&o.field)));
            }
            let new_value = apply(&val, &o.field, &*self.op)?;
            doc.set_field(&o.target_field, new_value)?;
            Ok(Outcome::Continue)
        }

        fn kind(&self) -> &'static str {
            self.kind
        }

        fn tag(&self) -> Option<&str> {
            self.tag.as_deref()
        }

        fn description(&self) -> Option<&str> {
            self.description.as_deref()
        }
    }

    /// The value a string processor stores: `process` applied to the string, or to each element
    /// of a list (a new `ArrayList`); any other type is an error naming its Java class.
    /// `val` is the non-null field value.
    pub(crate) fn apply(
        val: &Value,
        field: &str,
        process: &dyn Fn(&str) -> Result<Value, IngestError>,
    ) -> Result<Value, IngestError> {
        match val {
            Value::String(s) => process(s),
            Value::List(list) => {
                let items = list.borrow().items.clone();
                let mut out = Vec::with_capacity(items.len());
                for item in &items {
                    match item {
                        Value::String(s) => out.push(process(s)?),
                        Value::Null => {
                            // `value.getClass()` on a null element
                            return Err(java(Exception::null_pointer(
                                "Cannot invoke \"Object.getClass()\" because \"value\" is null",
                            )));
                        }
                        other => {
                            return Err(IngestError::illegal_argument(format!(
                                "value [{}] of type [{}] in list field [{field}] cannot be cast to [java.lang.String]",
                                other.java_to_string(),
                                other.class_name().unwrap_or("null"),
                            )))
                        }
                    }
                }
                Ok(Value::list_from(out))
            }
            other => Err(java(cast_error(field, other, "java.lang.String"))),
        }
    }

    /// `field [x] is null, cannot process it.`
    pub(crate) fn null_error(field: &str) -> Exception {
        Exception::illegal_argument(format!("field [{field}] is null, cannot process it."))
    }

    /// `IngestDocument.cast`'s error.
    pub(crate) fn cast_error(path: &str, value: &Value, class: &str) -> Exception {
        Exception::illegal_argument(format!(
            "field [{path}] of type [{}] cannot be cast to [{class}]",
            value.class_name().unwrap_or("null")
        ))
    }

    /// `getFieldValue(path, String.class)` once the value is read: null stays null.
    pub(crate) fn cast_string(
        path: &str,
        value: Value,
    ) -> Result<Option<std::rc::Rc<str>>, Exception> {
        match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            other => Err(cast_error(path, &other, "java.lang.String")),
        }
    }

    /// `getFieldValue(path, List.class)`.
    pub(crate) fn cast_list(path: &str, value: Value) -> Result<Option<Vec<Value>>, Exception> {
        match value {
            Value::Null => Ok(None),
            Value::List(l) => Ok(Some(l.borrow().items.clone())),
            other => Err(cast_error(path, &other, "java.util.List")),
        }
    }

    /// `getFieldValue(path, Integer.class)`.
    pub(crate) fn cast_integer(path: &str, value: Value) -> Result<Option<i32>, Exception> {
        match value {
            Value::Null => Ok(None),
            Value::Int(i) => Ok(Some(i)),
            other => Err(cast_error(path, &other, "java.lang.Integer")),
        }
    }
}

/// `String.toLowerCase(Locale.ROOT)`.
pub(crate) fn process(value: &str) -> Result<Value, IngestError> {
    Ok(Value::from(value.to_lowercase()))
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let options = abstract_string::read_options(config)?;
    Ok(abstract_string::build(
        "lowercase",
        options,
        common,
        Box::new(process),
    ))
}

/// A registry with the standard processors and the text processors, for the unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use serde_json::Value as Json;

    use crate::document::IngestDocument;
    use crate::error::IngestError;
    use crate::processor::{read_processor, Outcome, Processor, Run, Settings};
    use crate::registry::Registry;
    use crate::Timestamp;

    pub(crate) fn registry() -> Registry {
        use crate::processors::*;
        let mut r = Registry::standard();
        let mine: &[(&'static str, crate::processor::Factory)] = &[
            ("bytes", bytes::factory),
            ("community_id", community_id::factory),
            ("convert", convert::factory),
            ("csv", csv::factory),
            ("dissect", dissect::factory),
            ("dot_expander", dot_expander::factory),
            ("fingerprint", fingerprint::factory),
            ("gsub", gsub::factory),
            ("html_strip", html_strip::factory),
            ("join", join::factory),
            ("json", json::factory),
            ("kv", kv::factory),
            ("lowercase", super::factory),
            ("remove_by_pattern", remove_by_pattern::factory),
            ("sort", sort::factory),
            ("split", split::factory),
            ("trim", trim::factory),
            ("uppercase", uppercase::factory),
            ("urldecode", urldecode::factory),
            ("user_agent", user_agent::factory),
        ];
        for (name, f) in mine {
            r.register(name, *f);
        }
        r
    }

    pub(crate) fn try_build(kind: &str, config: Json) -> Result<Box<dyn Processor>, IngestError> {
        read_processor(&registry(), &Settings::default(), kind, config)
    }

    pub(crate) fn build(kind: &str, config: Json) -> Box<dyn Processor> {
        try_build(kind, config).unwrap_or_else(|e| panic!("building {kind}: {e}"))
    }

    pub(crate) fn build_err(kind: &str, config: Json) -> IngestError {
        match try_build(kind, config) {
            Ok(_) => panic!("building {kind} should fail"),
            Err(e) => e,
        }
    }

    pub(crate) fn doc(source: Json) -> IngestDocument {
        IngestDocument::from_json_source(&source, Timestamp::from_epoch_millis(1_796_126_400_000))
    }

    pub(crate) fn run(p: &dyn Processor, source: Json) -> Result<IngestDocument, IngestError> {
        let mut d = doc(source);
        match p.execute(&mut d, &mut Run::detached())? {
            Outcome::Continue => Ok(d),
            Outcome::Drop => panic!("dropped"),
        }
    }

    /// The source after the processor ran (metadata fields left out).
    pub(crate) fn run_ok(p: &dyn Processor, source: Json) -> Json {
        let d = run(p, source).unwrap_or_else(|e| panic!("failed: {e}"));
        d.to_simulate_json().expect("serialisable")["_source"].clone()
    }

    pub(crate) fn run_err(p: &dyn Processor, source: Json) -> IngestError {
        match run(p, source) {
            Err(e) => e,
            Ok(_) => panic!("should fail"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::abstract_string::{apply, null_error};
    use super::testing::*;
    use super::*;
    use serde_json::json;

    #[test]
    fn lowercases_strings_and_lists() {
        // LowercaseProcessorTests / AbstractStringProcessorTestCase
        let v = apply(&Value::from("FooBAR"), "f", &process).unwrap();
        assert_eq!(v.as_str(), Some("foobar"));
        let list = Value::list_from(vec![Value::from("A"), Value::from("bC")]);
        let v = apply(&list, "f", &process).unwrap();
        assert_eq!(v.java_to_string(), "[a, bc]");
        assert_eq!(v.class_name(), Some("java.util.ArrayList"));
    }

    #[test]
    fn type_errors() {
        let err = apply(&Value::Int(1), "field", &process).unwrap_err();
        assert_eq!(
            err.reason(),
            "field [field] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
        let list = Value::list_from(vec![Value::from("a"), Value::Int(2)]);
        let err = apply(&list, "field", &process).unwrap_err();
        assert_eq!(
            err.reason(),
            "value [2] of type [java.lang.Integer] in list field [field] cannot be cast to [java.lang.String]"
        );
        assert_eq!(
            null_error("field").message.as_deref(),
            Some("field [field] is null, cannot process it.")
        );
    }

    #[test]
    fn processor_options_and_execution() {
        let p = build("lowercase", json!({"field": "a"}));
        assert_eq!(run_ok(&*p, json!({"a": "HeLLo"})), json!({"a": "hello"}));
        let p = build("lowercase", json!({"field": "a", "target_field": "b.c"}));
        assert_eq!(
            run_ok(&*p, json!({"a": ["X", "Y"]})),
            json!({"a": ["X", "Y"], "b": {"c": ["x", "y"]}})
        );
        // missing: error, or nothing with ignore_missing (also for a null value)
        let p = build("lowercase", json!({"field": "a"}));
        assert_eq!(
            run_err(&*p, json!({})).reason(),
            "field [a] not present as part of path [a]"
        );
        assert_eq!(
            run_err(&*p, json!({"a": null})).reason(),
            "field [a] is null, cannot process it."
        );
        let p = build("lowercase", json!({"field": "a", "ignore_missing": true}));
        assert_eq!(run_ok(&*p, json!({"b": 1})), json!({"b": 1}));
        assert_eq!(run_ok(&*p, json!({"a": null})), json!({"a": null}));
        // AbstractStringProcessorFactoryTestCase: field is required
        let e = build_err("lowercase", json!({}));
        assert_eq!(e.reason(), "[field] required property is missing");
        assert_eq!(e.metadata("processor_type"), Some("lowercase"));
    }
}
