//! The `rename` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/RenameProcessor.java`,
//! with `override_target` since 2.14): `field`, `target_field` (templates), `ignore_missing`,
//! `override_target` (both default false).

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::template::Template;

pub struct RenameProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: Template,
    target_field: Template,
    ignore_missing: bool,
    override_target: bool,
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let field = config.compile_template("field", &field)?;
    let target = config.required_string("target_field")?;
    let target_field = config.compile_template("target_field", &target)?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let override_target = config.boolean("override_target", false)?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(RenameProcessor {
        tag,
        description,
        field,
        target_field,
        ignore_missing,
        override_target,
    }))
}

impl Processor for RenameProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let path = doc.render(&self.field)?;
        if path.is_empty() || !doc.has_field_checked(&path, true)? {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            } else if path.is_empty() {
                return Err(IngestError::illegal_argument(
                    "field path cannot be null nor empty",
                ));
            } else {
                return Err(IngestError::illegal_argument(format!(
                    "field [{path}] doesn't exist"
                )));
            }
        }
        // A target out of a list's range fails here, whatever override_target says.
        let target = doc.render(&self.target_field)?;
        if doc.has_field_checked(&target, true)? && !self.override_target {
            return Err(IngestError::illegal_argument(format!(
                "field [{target}] already exists"
            )));
        }
        let value = doc.field(&path)?;
        doc.remove_field(&path)?;
        if let Err(e) = doc.set_field(&target, value.clone()) {
            doc.set_field(&path, value)?;
            return Err(e);
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "rename"
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
    fn renames() {
        let p = build("rename", json!({"field": "a.b", "target_field": "c"}));
        assert_eq!(
            source(&run_ok(&p, json!({"a": {"b": 1}}))),
            json!({"a": {}, "c": 1})
        );
        let p = build("rename", json!({"field": "l.0", "target_field": "l.1"}));
        let e = run_err(&p, json!({"l": ["x"]}));
        assert_eq!(
            e.reason(),
            "[1] is out of bounds for array with length [1] as part of path [l.1]"
        );
    }

    #[test]
    fn missing_empty_and_existing() {
        let p = build("rename", json!({"field": "{{f}}", "target_field": "bar"}));
        assert_eq!(
            run_err(&p, json!({})).reason(),
            "field path cannot be null nor empty"
        );
        let p = build(
            "rename",
            json!({"field": "{{f}}", "target_field": "bar", "ignore_missing": true}),
        );
        assert_eq!(source(&run_ok(&p, json!({"m": 1}))), json!({"m": 1}));
        let p = build("rename", json!({"field": "foo", "target_field": "bar"}));
        assert_eq!(run_err(&p, json!({})).reason(), "field [foo] doesn't exist");
        assert_eq!(
            run_err(&p, json!({"foo": 1, "bar": 2})).reason(),
            "field [bar] already exists"
        );
        let p = build(
            "rename",
            json!({"field": "foo", "target_field": "bar", "override_target": true}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"foo": "foo", "bar": "bar"}))),
            json!({"bar": "foo"})
        );
    }

    #[test]
    fn failed_set_restores_the_field() {
        let p = build("rename", json!({"field": "a", "target_field": "s.x"}));
        let e = run_err(&p, json!({"a": 1, "s": "str"}));
        assert_eq!(
            e.reason(),
            "cannot set [x] with parent object of type [java.lang.String] as part of path [s.x]"
        );
    }
}
