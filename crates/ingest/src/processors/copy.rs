//! The `copy` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/CopyProcessor.java`,
//! since 2.12): `source_field`, `target_field` (templates), `ignore_missing`, `remove_source`,
//! `override_target` (all default false). The value is deep-copied.

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::template::Template;

pub struct CopyProcessor {
    tag: Option<String>,
    description: Option<String>,
    source_field: Template,
    target_field: Template,
    ignore_missing: bool,
    remove_source: bool,
    override_target: bool,
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let source = config.required_string("source_field")?;
    let source_field = config.compile_template("source_field", &source)?;
    let target = config.required_string("target_field")?;
    let target_field = config.compile_template("target_field", &target)?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let remove_source = config.boolean("remove_source", false)?;
    let override_target = config.boolean("override_target", false)?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(CopyProcessor {
        tag,
        description,
        source_field,
        target_field,
        ignore_missing,
        remove_source,
        override_target,
    }))
}

impl Processor for CopyProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let source = doc.render(&self.source_field)?;
        if source.is_empty() || !doc.has_field_checked(&source, true)? {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            } else if source.is_empty() {
                return Err(IngestError::illegal_argument(
                    "source field path cannot be null nor empty",
                ));
            } else {
                return Err(IngestError::illegal_argument(format!(
                    "source field [{source}] doesn't exist"
                )));
            }
        }
        let target = doc.render(&self.target_field)?;
        if target.is_empty() {
            return Err(IngestError::illegal_argument(
                "target field path cannot be null nor empty",
            ));
        }
        if source == target {
            return Err(IngestError::illegal_argument(
                "source field path and target field path cannot be same",
            ));
        }
        if self.override_target
            || !doc.has_field_checked(&target, true)?
            || doc.field(&target)?.is_null()
        {
            let value = doc.field(&source)?;
            doc.set_field(&target, value.deep_copy())?;
        } else {
            return Err(IngestError::illegal_argument(format!(
                "target field [{target}] already exists"
            )));
        }
        if self.remove_source {
            doc.remove_field(&source)?;
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "copy"
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
    fn copies_deeply() {
        let p = build("copy", json!({"source_field": "a", "target_field": "b.c"}));
        let doc = run_ok(&p, json!({"a": {"x": [1]}}));
        assert_eq!(
            source(&doc),
            json!({"a": {"x": [1]}, "b": {"c": {"x": [1]}}})
        );
        let a = doc.field("a").unwrap();
        let c = doc.field("b.c").unwrap();
        assert!(!a.identical(&c));
    }

    #[test]
    fn options_and_errors() {
        let p = build("copy", json!({"source_field": "a", "target_field": "b"}));
        assert_eq!(
            run_err(&p, json!({"a": 1, "b": 2})).reason(),
            "target field [b] already exists"
        );
        assert_eq!(
            source(&run_ok(&p, json!({"a": 1, "b": null}))),
            json!({"a": 1, "b": 1})
        );
        assert_eq!(
            run_err(&p, json!({})).reason(),
            "source field [a] doesn't exist"
        );
        let p = build("copy", json!({"source_field": "a", "target_field": "a"}));
        assert_eq!(
            run_err(&p, json!({"a": 1})).reason(),
            "source field path and target field path cannot be same"
        );
        let p = build(
            "copy",
            json!({"source_field": "a", "target_field": "b", "remove_source": true, "override_target": true}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"a": 1, "b": 2}))),
            json!({"b": 1})
        );
        let p = build(
            "copy",
            json!({"source_field": "{{x}}", "target_field": "b"}),
        );
        assert_eq!(
            run_err(&p, json!({})).reason(),
            "source field path cannot be null nor empty"
        );
        let p = build(
            "copy",
            json!({"source_field": "a", "target_field": "{{x}}"}),
        );
        assert_eq!(
            run_err(&p, json!({"a": 1})).reason(),
            "target field path cannot be null nor empty"
        );
        let p = build(
            "copy",
            json!({"source_field": "a", "target_field": "b", "ignore_missing": true}),
        );
        assert_eq!(source(&run_ok(&p, json!({}))), json!({}));
    }
}
