//! The `foreach` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/ForEachProcessor.java`):
//! `field` (a list field, not a template), `processor` (exactly one processor, with its own
//! common options), `ignore_missing` (default false). Each element is put in `_ingest._value`
//! for the inner processor, and the field is replaced by the list of the elements as the inner
//! processor left them. After each element `_ingest._value` gets its previous value back (null
//! when there was none, so the key stays, as in Java).

use painless::Value;

use crate::config::Config;
use crate::document::{cast_error, IngestDocument};
use crate::error::IngestError;
use std::sync::Arc;

use crate::processor::{note_failed, note_reached, Common, Node, Outcome, Processor, Run};

pub struct ForEachProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    processor: Box<dyn Processor>,
    /// The inner processor's JSON pointer (`<options>/processor`, for [`crate::trace`]).
    inner_pointer: Option<Arc<str>>,
    ignore_missing: bool,
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let processor_config = config.required_map("processor")?;
    if processor_config.len() != 1 {
        return Err(config.new_config_error("processor", "Must specify exactly one processor type"));
    }
    let (processor_type, inner) = processor_config.into_iter().next().expect("one entry");
    let (processor, inner_pointer) =
        common.build_nested_processor("processor", &processor_type, inner)?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(ForEachProcessor {
        tag,
        description,
        field,
        processor,
        inner_pointer,
        ignore_missing,
    }))
}

impl ForEachProcessor {
    pub fn inner(&self) -> &dyn Processor {
        self.processor.as_ref()
    }

    /// The inner processor's JSON pointer in the pipeline body, if built from one.
    pub fn inner_pointer(&self) -> Option<&Arc<str>> {
        self.inner_pointer.as_ref()
    }
}

impl Processor for ForEachProcessor {
    fn execute(&self, doc: &mut IngestDocument, run: &mut Run) -> Result<Outcome, IngestError> {
        let values = match doc.field_opt(&self.field, self.ignore_missing)? {
            None | Some(Value::Null) => {
                if self.ignore_missing {
                    return Ok(Outcome::Continue);
                }
                return Err(IngestError::illegal_argument(format!(
                    "field [{}] is null, cannot loop over its elements.",
                    self.field
                )));
            }
            Some(Value::List(l)) => l.borrow().items.clone(),
            Some(other) => return Err(cast_error(&self.field, &other, "java.util.List")),
        };
        let mut new_values = Vec::with_capacity(values.len());
        let mut inner_run = run.untraced();
        for value in values {
            let previous = doc.ingest_field_opt("_value");
            doc.set_ingest_field("_value", value);
            note_reached(&mut inner_run, self.inner(), self.inner_pointer.as_ref());
            let result = self.processor.execute(doc, &mut inner_run);
            if result.is_err() {
                note_failed(&mut inner_run, self.inner(), self.inner_pointer.as_ref());
            }
            let current = doc.ingest_field("_value");
            doc.set_ingest_field("_value", previous.unwrap_or(Value::Null));
            new_values.push(current);
            match result {
                Ok(Outcome::Continue) => {}
                other => return other,
            }
        }
        doc.set_field(&self.field, Value::list_from(new_values))?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "foreach"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    fn node(&self) -> Node<'_> {
        Node::ForEach(self)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;

    #[test]
    fn runs_the_processor_on_each_element() {
        let p = build(
            "foreach",
            json!({"field": "l", "processor": {"set": {"field": "_ingest._value.x", "value": "{{_ingest._value.y}}!"}}}),
        );
        let doc = run_ok(&p, json!({"l": [{"y": "a"}, {"y": "b"}]}));
        assert_eq!(
            source(&doc)["l"],
            json!([{"y": "a", "x": "a!"}, {"y": "b", "x": "b!"}])
        );
        // _ingest._value is back to null afterwards, the key kept
        assert!(doc.ingest_field_opt("_value").is_some_and(|v| v.is_null()));
    }

    #[test]
    fn replaces_scalars_and_nests() {
        let p = build(
            "foreach",
            json!({"field": "l", "processor": {"append": {"field": "out", "value": "{{_ingest._value}}"}}}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"l": ["a", "b"]})))["out"],
            json!(["a", "b"])
        );
        let nested = build(
            "foreach",
            json!({"field": "l", "processor": {"foreach": {"field": "_ingest._value.m", "processor": {"set": {"field": "_ingest._value", "value": "z"}}}}}),
        );
        assert_eq!(
            source(&run_ok(&nested, json!({"l": [{"m": [1, 2]}]})))["l"],
            json!([{"m": ["z", "z"]}])
        );
    }

    #[test]
    fn missing_and_wrong_types() {
        let p = build("foreach", json!({"field": "l", "processor": {"drop": {}}}));
        assert_eq!(
            run_err(&p, json!({})).reason(),
            "field [l] not present as part of path [l]"
        );
        assert_eq!(
            run_err(&p, json!({"l": null})).reason(),
            "field [l] is null, cannot loop over its elements."
        );
        assert_eq!(
            run_err(&p, json!({"l": "s"})).reason(),
            "field [l] of type [java.lang.String] cannot be cast to [java.util.List]"
        );
        let p = build(
            "foreach",
            json!({"field": "l", "ignore_missing": true, "processor": {"drop": {}}}),
        );
        assert_eq!(source(&run_ok(&p, json!({}))), json!({}));
    }

    #[test]
    fn creation_errors() {
        assert_eq!(
            build_err(
                "foreach",
                json!({"field": "l", "processor": {"set": {}, "drop": {}}})
            )
            .reason(),
            "[processor] Must specify exactly one processor type"
        );
        let e = build_err(
            "foreach",
            json!({"field": "l", "processor": {"set": {"field": "x"}}}),
        );
        assert_eq!(e.reason(), "[value] required property is missing");
        // readProcessor of the foreach puts its own type over the inner one (a map `put`).
        assert_eq!(e.metadata("processor_type"), Some("foreach"));
        assert_eq!(e.metadata("property_name"), Some("value"));
        assert_eq!(
            build_err("foreach", json!({"field": "l", "processor": {"nope": {}}})).reason(),
            "No processor type exists with name [nope]"
        );
    }

    #[test]
    fn failure_stops_and_keeps_the_field() {
        // ForEachProcessorTests.testExecuteWithFailure
        let p = build(
            "foreach",
            json!({"field": "l", "processor": {"fail": {"message": "at {{_ingest._value}}"}}}),
        );
        let e = run_err(&p, json!({"l": ["a", "b"]}));
        assert_eq!(e.reason(), "at a");
        // with ignore_failure on the inner processor every element is visited
        let p = build(
            "foreach",
            json!({"field": "l", "processor": {"set": {"field": "_ingest._value.x", "value": 1, "ignore_failure": true}}}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"l": ["s", {}]})))["l"],
            json!(["s", {"x": 1}])
        );
    }

    #[test]
    fn rest_of_the_document_is_available() {
        // ForEachProcessorTests.testRestOfTheDocumentIsAvailable
        let p = build(
            "foreach",
            json!({"field": "values", "processor": {"set": {"field": "_ingest._value.new_field", "value": "{{other}}"}}}),
        );
        let doc = run_ok(&p, json!({"values": [{}, {}], "other": "value"}));
        assert_eq!(
            source(&doc)["values"],
            json!([{"new_field": "value"}, {"new_field": "value"}])
        );
    }
}
