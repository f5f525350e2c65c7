//! The `lowercase` processor, and the shared behaviour of the string processors (upstream's
//! `AbstractStringProcessor`: lowercase, uppercase, trim, urldecode, html_strip, bytes, gsub).
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/LowercaseProcessor.java`
//! (`value.toLowerCase(Locale.ROOT)`) and `AbstractStringProcessor.java`
//! (commit 1865662a39bb7dd27810a5e18bd0c7ea9a00af83).

use painless::value::{Exception, Value};

/// `AbstractStringProcessor` and `IngestDocument`'s typed reads.
pub(crate) mod abstract_string {
    use painless::value::{Exception, Value};

    /// The value a string processor stores: `process` applied to the string, or to each element
    /// of a list (a new `ArrayList`); any other type is an error naming its Java class.
    /// `val` is the non-null field value.
    pub(crate) fn apply(
        val: &Value,
        field: &str,
        process: &dyn Fn(&str) -> Result<Value, Exception>,
    ) -> Result<Value, Exception> {
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
                            return Err(Exception::null_pointer(
                                "Cannot invoke \"Object.getClass()\" because \"value\" is null",
                            ));
                        }
                        other => {
                            return Err(Exception::illegal_argument(format!(
                                "value [{}] of type [{}] in list field [{field}] cannot be cast to [java.lang.String]",
                                other.java_to_string(),
                                other.class_name().unwrap_or("null"),
                            )))
                        }
                    }
                }
                Ok(Value::list_from(out))
            }
            other => Err(cast_error(field, other, "java.lang.String")),
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
pub(crate) fn process(value: &str) -> Result<Value, Exception> {
    Ok(Value::from(value.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::abstract_string::*;
    use super::*;

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
            err.message.as_deref(),
            Some("field [field] of type [java.lang.Integer] cannot be cast to [java.lang.String]")
        );
        let list = Value::list_from(vec![Value::from("a"), Value::Int(2)]);
        let err = apply(&list, "field", &process).unwrap_err();
        assert_eq!(
            err.message.as_deref(),
            Some("value [2] of type [java.lang.Integer] in list field [field] cannot be cast to [java.lang.String]")
        );
        assert_eq!(
            null_error("field").message.as_deref(),
            Some("field [field] is null, cannot process it.")
        );
    }
}
