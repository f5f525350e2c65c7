//! The `set` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/SetProcessor.java`):
//! `field` (template), `value` (a [`ValueSource`], required), `override` (default true),
//! `ignore_empty_value` (default false: with it, a templated value that renders empty or null
//! sets nothing). OpenSearch 2.19's set processor has no `copy_from` (that is Elasticsearch's;
//! OpenSearch has the `copy` processor), so `copy_from` is an unsupported parameter, as on the node.

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::template::Template;
use crate::value_source::ValueSource;

pub struct SetProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: Template,
    value: ValueSource,
    override_enabled: bool,
    ignore_empty_value: bool,
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let value = config.required_value("value")?;
    let override_enabled = config.boolean("override", true)?;
    let field = config.compile_template("field", &field)?;
    let ignore_empty_value = config.boolean("ignore_empty_value", false)?;
    let value =
        ValueSource::wrap(&value).map_err(|e| config.config_error_from(Some("value"), e))?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(SetProcessor {
        tag,
        description,
        field,
        value,
        override_enabled,
        ignore_empty_value,
    }))
}

impl Processor for SetProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        if !self.override_enabled {
            let path = doc.render(&self.field)?;
            if doc.has_field(&path) && !doc.field(&path)?.is_null() {
                return Ok(Outcome::Continue);
            }
        }
        // IngestDocument.setFieldValue(fieldTemplate, valueSource, ignoreEmptyValue)
        let value = self.value.copy_and_resolve(&doc.template_model())?;
        if self.ignore_empty_value && self.value.is_templated() {
            match value.as_str() {
                None => return Ok(Outcome::Continue),
                Some("") => return Ok(Outcome::Continue),
                Some(_) => {}
            }
        }
        let path = doc.render(&self.field)?;
        doc.set_field(&path, value)?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "set"
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
    use crate::test_support::*;
    use serde_json::json;

    #[test]
    fn sets_and_overrides() {
        let p = build("set", json!({"field": "a.b", "value": "{{x}}-{{y}}"}));
        let doc = run_ok(&p, json!({"x": "1", "y": 2}));
        assert_eq!(source(&doc)["a"]["b"], "1-2");
        let p = build("set", json!({"field": "x", "value": 5, "override": false}));
        assert_eq!(source(&run_ok(&p, json!({"x": "kept"})))["x"], "kept");
        assert_eq!(source(&run_ok(&p, json!({"x": null})))["x"], 5);
        assert_eq!(source(&run_ok(&p, json!({})))["x"], 5);
    }

    #[test]
    fn ignore_empty_value_only_for_templates() {
        let p = build(
            "set",
            json!({"field": "foo", "value": "{{bar}}", "ignore_empty_value": true}),
        );
        assert_eq!(source(&run_ok(&p, json!({"foo": "hello"})))["foo"], "hello");
        assert_eq!(
            source(&run_ok(&p, json!({"foo": "hello", "bar": ""})))["foo"],
            "hello"
        );
        let p = build(
            "set",
            json!({"field": "foo", "value": "", "ignore_empty_value": true}),
        );
        assert_eq!(source(&run_ok(&p, json!({"foo": "hello"})))["foo"], "");
    }

    #[test]
    fn creation_errors() {
        let e = build_err("set", json!({"value": 1}));
        assert_eq!(e.reason(), "[field] required property is missing");
        assert_eq!(e.metadata("processor_type"), Some("set"));
        assert_eq!(e.metadata("property_name"), Some("field"));
        let e = build_err("set", json!({"field": "a"}));
        assert_eq!(e.reason(), "[value] required property is missing");
        let e = build_err("set", json!({"field": "a", "value": 1, "copy_from": "b"}));
        assert_eq!(
            e.reason(),
            "processor [set] doesn't support one or more provided configuration parameters [copy_from]"
        );
    }

    #[test]
    fn metadata_fields_are_settable() {
        let p = build("set", json!({"field": "_index", "value": "other"}));
        let doc = run_ok(&p, json!({}));
        assert_eq!(doc.metadata("_index").as_str(), Some("other"));
    }

    #[test]
    fn set_metadata_fields() {
        // SetProcessorTests.testSetMetadataExceptVersion / testSetMetadataVersion
        for field in ["_index", "_id", "_routing"] {
            let p = build("set", json!({"field": field, "value": "v"}));
            assert_eq!(run_ok(&p, json!({})).metadata(field).as_str(), Some("v"));
        }
        let p = build("set", json!({"field": "_version", "value": 10}));
        assert!(matches!(
            run_ok(&p, json!({})).metadata("_version"),
            painless::Value::Int(10)
        ));
        // a template that renders a missing field gives an empty string
        let p = build("set", json!({"field": "a", "value": "[{{missing}}]"}));
        assert_eq!(source(&run_ok(&p, json!({})))["a"], "[]");
        // quotes are JSON-escaped by {{ }}, not by {{{ }}}
        let p = build("set", json!({"field": "a", "value": "{{q}}|{{{q}}}"}));
        assert_eq!(
            source(&run_ok(&p, json!({"q": "say \"hi\""})))["a"],
            "say \\\"hi\\\"|say \"hi\""
        );
    }
}
