//! The `append` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/AppendProcessor.java`):
//! `field` (template), `value` (a [`ValueSource`]), `allow_duplicates` (default true); appends
//! through `IngestDocument.appendFieldValue` (a missing field becomes a list, a scalar becomes
//! a list holding it, a list value appends its items).

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::template::Template;
use crate::value_source::ValueSource;

pub struct AppendProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: Template,
    value: ValueSource,
    allow_duplicates: bool,
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let value = config.required_value("value")?;
    let allow_duplicates = config.boolean("allow_duplicates", true)?;
    let field = config.compile_template("field", &field)?;
    let value =
        ValueSource::wrap(&value).map_err(|e| config.config_error_from(Some("value"), e))?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(AppendProcessor {
        tag,
        description,
        field,
        value,
        allow_duplicates,
    }))
}

impl Processor for AppendProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        // appendFieldValue(fieldTemplate, valueSource, allowDuplicates): one model for both.
        let path = doc.render(&self.field)?;
        let value = self.value.copy_and_resolve(&doc.template_model())?;
        doc.append_field(&path, value, self.allow_duplicates)?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "append"
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
    fn appends_to_lists_scalars_and_missing_fields() {
        let p = build("append", json!({"field": "l", "value": ["b", "{{x}}"]}));
        assert_eq!(
            source(&run_ok(&p, json!({"l": ["a"], "x": "c"})))["l"],
            json!(["a", "b", "c"])
        );
        assert_eq!(
            source(&run_ok(&p, json!({"l": "a", "x": "c"})))["l"],
            json!(["a", "b", "c"])
        );
        assert_eq!(
            source(&run_ok(&p, json!({"x": "c"})))["l"],
            json!(["b", "c"])
        );
    }

    #[test]
    fn without_duplicates() {
        let p = build(
            "append",
            json!({"field": "l", "value": ["a", "b"], "allow_duplicates": false}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"l": ["a"]})))["l"],
            json!(["a", "b"])
        );
        // nothing added: a scalar stays a scalar
        let p = build(
            "append",
            json!({"field": "l", "value": "a", "allow_duplicates": false}),
        );
        assert_eq!(source(&run_ok(&p, json!({"l": "a"})))["l"], json!("a"));
        // Integer 1 and Long 1 differ, as in Java
        let p = build(
            "append",
            json!({"field": "l", "value": 1, "allow_duplicates": false}),
        );
        assert_eq!(source(&run_ok(&p, json!({"l": [1]})))["l"], json!([1]));
    }
}
