//! The `remove` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/RemoveProcessor.java`,
//! the 2.x version with `exclude_field`): `field` (a template or a list of templates) or
//! `exclude_field` (exactly one of them), `ignore_missing` (default false). `_index`,
//! `_version` and `_version_type` cannot be removed, nor `_id` with an external version.

use std::collections::HashSet;

use serde_json::Value as Json;

use crate::config::Config;
use crate::document::{IngestDocument, METADATA_FIELDS};
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::template::Template;

pub struct RemoveProcessor {
    tag: Option<String>,
    description: Option<String>,
    fields: Option<Vec<Template>>,
    exclude_fields: Option<Vec<Template>>,
    ignore_missing: bool,
}

/// A string or a list of strings, compiled as templates (`(String) field` casts: another type
/// is a `ClassCastException`).
fn templates(config: &Config, property: &str, value: Json) -> Result<Vec<Template>, IngestError> {
    let items = match value {
        Json::Array(items) => items,
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| match item {
            Json::String(s) => config.compile_template(property, &s),
            other => Err(IngestError::class_cast(
                crate::config::json_class_name(&other),
                "java.lang.String",
            )),
        })
        .collect()
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.optional_value("field");
    let exclude_field = config.optional_value("exclude_field");
    if field.is_none() == exclude_field.is_none() {
        return Err(config.new_config_error("field", "either field or exclude_field must be set"));
    }
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let (tag, description) = common.tag_and_description();
    let (fields, exclude_fields) = match (field, exclude_field) {
        (Some(f), _) => (Some(templates(config, "field", f)?), None),
        (None, Some(x)) => (None, Some(templates(config, "exclude_field", x)?)),
        (None, None) => unreachable!("checked above"),
    };
    Ok(Box::new(RemoveProcessor {
        tag,
        description,
        fields,
        exclude_fields,
        ignore_missing,
    }))
}

impl RemoveProcessor {
    fn remove_one(&self, doc: &mut IngestDocument, template: &Template) -> Result<(), IngestError> {
        let path = doc.render(template)?;
        if path.is_empty() || !doc.has_field(&path) {
            if self.ignore_missing {
                return Ok(());
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
        if path == "_index" || path == "_version" || path == "_version_type" {
            return Err(IngestError::illegal_argument(format!(
                "cannot remove metadata field [{path}]"
            )));
        }
        if path == "_id" && doc.has_field("_version_type") {
            let version_type = doc.field_string("_version_type")?;
            if version_type.as_deref() != Some("internal") {
                let version = match doc.field_opt("_version", true)? {
                    None | Some(painless::Value::Null) => "null".to_string(),
                    Some(painless::Value::Long(v)) => v.to_string(),
                    Some(other) => {
                        return Err(crate::document::cast_error(
                            "_version",
                            &other,
                            "java.lang.Long",
                        ))
                    }
                };
                return Err(IngestError::illegal_argument(format!(
                    "cannot remove metadata field [_id] when specifying external version for the document, version: {version}, version_type: {}",
                    version_type.as_deref().unwrap_or("null")
                )));
            }
        }
        doc.remove_field(&path)
    }
}

impl Processor for RemoveProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        if let Some(fields) = &self.fields {
            for field in fields {
                self.remove_one(doc, field)?;
            }
        }
        if let Some(excludes) = &self.exclude_fields {
            let mut keep = HashSet::new();
            for field in excludes {
                let path = doc.render(field)?;
                if !path.is_empty() {
                    keep.insert(path);
                }
            }
            if !keep.is_empty() {
                let existing: Vec<String> = match doc.source_and_metadata() {
                    painless::Value::Map(m) => m
                        .borrow()
                        .keys()
                        .iter()
                        .map(|k| k.java_to_string())
                        .collect(),
                    _ => Vec::new(),
                };
                for field in existing {
                    if !METADATA_FIELDS.contains(&field.as_str()) && !keep.contains(&field) {
                        doc.remove_field(&field)?;
                    }
                }
            }
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "remove"
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
    fn removes_fields_and_lists_of_fields() {
        let p = build("remove", json!({"field": ["a", "b.c"]}));
        assert_eq!(
            source(&run_ok(&p, json!({"a": 1, "b": {"c": 2}, "d": 3}))),
            json!({"b": {}, "d": 3})
        );
        assert_eq!(
            run_err(&p, json!({"b": {"c": 2}})).reason(),
            "field [a] doesn't exist"
        );
        let p = build("remove", json!({"field": "{{x}}"}));
        assert_eq!(
            run_err(&p, json!({})).reason(),
            "field path cannot be null nor empty"
        );
        let p = build(
            "remove",
            json!({"field": ["a", "z"], "ignore_missing": true}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"a": 1, "b": 2}))),
            json!({"b": 2})
        );
    }

    #[test]
    fn exclude_field_keeps_only_those_and_metadata() {
        let p = build("remove", json!({"exclude_field": ["keep", "{{missing}}"]}));
        let doc = run_ok(&p, json!({"keep": 1, "drop": 2, "other": {"x": 1}}));
        assert_eq!(source(&doc), json!({"keep": 1}));
        assert_eq!(doc.metadata("_index").as_str(), Some("_index"));
    }

    #[test]
    fn metadata_guards() {
        for f in ["_index", "_version", "_version_type"] {
            let p = build("remove", json!({"field": f}));
            let mut doc = doc_with_metadata(json!({}), Some(1), Some("external"));
            let e = run_on(&p, &mut doc).unwrap_err();
            assert_eq!(e.reason(), format!("cannot remove metadata field [{f}]"));
        }
        let p = build("remove", json!({"field": "_id"}));
        let mut doc = doc_with_metadata(json!({}), Some(1), Some("external"));
        assert_eq!(
            run_on(&p, &mut doc).unwrap_err().reason(),
            "cannot remove metadata field [_id] when specifying external version for the document, version: 1, version_type: external"
        );
        let mut doc = doc_with_metadata(json!({}), Some(1), Some("internal"));
        run_on(&p, &mut doc).unwrap();
    }

    #[test]
    fn creation_errors() {
        assert_eq!(
            build_err("remove", json!({})).reason(),
            "[field] either field or exclude_field must be set"
        );
        assert_eq!(
            build_err("remove", json!({"field": "a", "exclude_field": "b"})).reason(),
            "[field] either field or exclude_field must be set"
        );
    }
}
