//! The `join` processor: the list's elements, each `toString()`, joined with the separator.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/JoinProcessor.java`
//! (commit 1865662a39bb7dd27810a5e18bd0c7ea9a00af83).

use painless::value::{Exception, Value};

use super::lowercase::abstract_string::{cast_list, java};
use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

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

pub struct JoinProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    separator: String,
    target_field: String,
}

/// `JoinProcessor.Factory`: `field`, `separator`, `target_field` (default `field`).
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let separator = config.required_string("separator")?;
    let target_field = config.string_or("target_field", &field)?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(JoinProcessor {
        tag,
        description,
        field,
        separator,
        target_field,
    }))
}

impl Processor for JoinProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let value = doc.field(&self.field)?;
        let items = cast_list(&self.field, value).map_err(java)?;
        let Some(items) = items else {
            return Err(java(null_error(&self.field)));
        };
        let joined = join(&items, &self.separator).map_err(java)?;
        doc.set_field(&self.target_field, joined)?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "join"
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

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build("join", json!({"field": "l", "separator": "-"}));
        assert_eq!(
            run_ok(&*p, json!({"l": ["a", 1, 2.5, true]})),
            json!({"l": "a-1-2.5-true"})
        );
        let p = build(
            "join",
            json!({"field": "l", "separator": "-", "target_field": "t"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"l": ["a", "b"]})),
            json!({"l": ["a", "b"], "t": "a-b"})
        );
        assert_eq!(
            run_err(&*p, json!({"l": "a"})).reason(),
            "field [l] of type [java.lang.String] cannot be cast to [java.util.List]"
        );
        assert_eq!(
            build_err("join", json!({"field": "l"})).reason(),
            "[separator] required property is missing"
        );
    }
}
