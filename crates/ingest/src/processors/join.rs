//! The `join` processor: the list's elements, each `toString()`, joined with the separator.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/JoinProcessor.java`
//! (commit 1865662a39bb7dd27810a5e18bd0c7ea9a00af83).

use painless::value::{Exception, Value};

/// `list.stream().map(Object::toString).collect(Collectors.joining(separator))`; a null element
/// is a `NullPointerException` there.
pub(crate) fn join(items: &[Value], separator: &str) -> Result<Value, Exception> {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if item.is_null() {
            return Err(Exception::null_pointer(""));
        }
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(&item.java_to_string());
    }
    Ok(Value::from(out))
}

/// `field [x] is null, cannot join.`
pub(crate) fn null_error(field: &str) -> Exception {
    Exception::illegal_argument(format!("field [{field}] is null, cannot join."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_with_java_strings() {
        // JoinProcessorTests.testJoinStrings / testJoinIntegers / testJoinNonListField
        let items = vec![Value::from("a"), Value::from("b"), Value::from("c")];
        assert_eq!(join(&items, "-").unwrap().as_str(), Some("a-b-c"));
        let items = vec![
            Value::Int(1),
            Value::Double(2.0),
            Value::Boolean(true),
            Value::Float(1.5),
        ];
        assert_eq!(join(&items, ",").unwrap().as_str(), Some("1,2.0,true,1.5"));
        assert_eq!(join(&[], ",").unwrap().as_str(), Some(""));
        assert_eq!(
            null_error("f").message.as_deref(),
            Some("field [f] is null, cannot join.")
        );
    }
}
