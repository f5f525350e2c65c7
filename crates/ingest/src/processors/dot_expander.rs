//! The `dot_expander` processor: a field whose name holds dots (`"a.b": 1`) becomes an object
//! field (`"a": {"b": 1}`), at the root or inside the object at `path`.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/DotExpanderProcessor.java`
//! (commit 5eed62576a5425bfdbba3944aa0c81246b314ee1). OpenSearch 2.19 has `field` and `path`
//! only: `field: "*"` (expand every field) and `override` are another product's options; `*`
//! is rejected here as on the node ("field does not contain a dot"). Upstream's factory passes
//! a null description to the processor, so a `description` is accepted and not kept.

use painless::value::{Exception, Value};

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

/// The factory's checks on `field`, with their messages.
pub(crate) fn check_field(field: &str) -> Result<(), &'static str> {
    if !field.contains('.') {
        return Err("field does not contain a dot");
    }
    if field.starts_with('.') || field.ends_with('.') {
        return Err("Field can't start or end with a dot");
    }
    let mut previous: Option<usize> = None;
    for (i, _) in field.match_indices('.') {
        if previous.is_some_and(|p| i - p == 1) {
            return Err("No space between dots");
        }
        previous = Some(i);
    }
    Ok(())
}

pub struct DotExpanderProcessor {
    tag: Option<String>,
    path: Option<String>,
    field: String,
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    check_field(&field).map_err(|m| config.new_config_error("field", m))?;
    let path = config.optional_string("path")?;
    Ok(Box::new(DotExpanderProcessor {
        tag: common.tag().map(str::to_owned),
        path,
        field,
    }))
}

impl Processor for DotExpanderProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let (path, map) = match &self.path {
            Some(p) => {
                let value = doc.field(p)?;
                match value {
                    Value::Map(m) => (format!("{p}.{}", self.field), m),
                    Value::Null => {
                        return Err(crate::processors::lowercase::abstract_string::java_ref(&Exception::null_pointer(
                            "Cannot invoke \"java.util.Map.containsKey(Object)\" because \"map\" is null",
                        )))
                    }
                    other => return Err(crate::document::cast_error(p, &other, "java.util.Map")),
                }
            }
            None => match doc.source_and_metadata() {
                Value::Map(m) => (self.field.clone(), m.clone()),
                _ => return Err(IngestError::illegal_state("the document is not a map")),
            },
        };
        if !map.borrow().contains_key(&Value::from(self.field.as_str())) {
            return Ok(Outcome::Continue);
        }
        let take = |map: &painless::value::MapRef| -> Result<Value, IngestError> {
            if !map.borrow().is_mutable() {
                return Err(crate::processors::lowercase::abstract_string::java_ref(
                    &Exception::without_message("UnsupportedOperationException"),
                ));
            }
            Ok(map
                .borrow_mut()
                .remove_str(&self.field)
                .unwrap_or(Value::Null))
        };
        if doc.has_field(&path) {
            let value = take(&map)?;
            doc.append_field(&path, value, true)?;
        } else {
            // a part of the path that exists must be an object field
            for (index, _) in path.match_indices('.') {
                let partial = &path[..index];
                if doc.has_field(partial) {
                    let val = doc.field(partial)?;
                    if !matches!(val, Value::Map(_)) {
                        return Err(IngestError::illegal_argument(format!(
                            "cannot expend [{path}], because [{partial}] is not an object field, but a value field"
                        )));
                    }
                } else {
                    break;
                }
            }
            let value = take(&map)?;
            doc.set_field(&path, value)?;
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "dot_expander"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::processors::lowercase::testing::*;
    use serde_json::json;

    #[test]
    fn expands() {
        // DotExpanderProcessorTests.testEscapeFields / testEscapeFields_valueField / testOtherPath
        let p = build("dot_expander", json!({"field": "foo.bar"}));
        assert_eq!(
            run_ok(&*p, json!({"foo.bar": "baz1"})),
            json!({"foo": {"bar": "baz1"}})
        );
        let p = build("dot_expander", json!({"field": "foo.bar.baz"}));
        assert_eq!(
            run_ok(&*p, json!({"foo.bar.baz": "x"})),
            json!({"foo": {"bar": {"baz": "x"}}})
        );
        // the object exists: appended
        let p = build("dot_expander", json!({"field": "foo.bar"}));
        assert_eq!(
            run_ok(&*p, json!({"foo": {"bar": "baz2"}, "foo.bar": "baz1"})),
            json!({"foo": {"bar": ["baz2", "baz1"]}})
        );
        // a path inside
        let p = build("dot_expander", json!({"field": "a.b", "path": "x"}));
        assert_eq!(
            run_ok(&*p, json!({"x": {"a.b": 1}})),
            json!({"x": {"a": {"b": 1}}})
        );
        // nothing to do
        assert_eq!(run_ok(&*p, json!({"x": {}})), json!({"x": {}}));
    }

    #[test]
    fn errors() {
        let p = build("dot_expander", json!({"field": "foo.bar"}));
        assert_eq!(
            run_err(&*p, json!({"foo": "baz2", "foo.bar": "baz1"})).reason(),
            "cannot expend [foo.bar], because [foo] is not an object field, but a value field"
        );
        // DotExpanderProcessorFactoryTests
        for (field, msg) in [
            ("a", "[field] field does not contain a dot"),
            ("*", "[field] field does not contain a dot"),
            (".a", "[field] Field can't start or end with a dot"),
            ("a.", "[field] Field can't start or end with a dot"),
            ("a..b", "[field] No space between dots"),
        ] {
            assert_eq!(
                build_err("dot_expander", json!({"field": field})).reason(),
                msg
            );
        }
        // DotExpanderProcessorTests (commit 215b684e1adcf74c5a05737e9661c06da4c4c961)
        let p = build("dot_expander", json!({"field": "foo.bar.baz"}));
        assert_eq!(
            run_err(&*p, json!({"foo.bar.baz": "baz1", "foo": {"bar": "baz2"}})).reason(),
            "cannot expend [foo.bar.baz], because [foo.bar] is not an object field, but a value field"
        );
        assert_eq!(
            run_ok(&*p, json!({"foo.bar.baz": "baz1", "foo": {"bar": {}}})),
            json!({"foo": {"bar": {"baz": "baz1"}}})
        );
        let p = build("dot_expander", json!({"field": "foo.bar"}));
        assert_eq!(
            run_ok(&*p, json!({"foo.bar": "2", "foo": {"bar": 1}})),
            json!({"foo": {"bar": [1, "2"]}})
        );
        // the literal field is absent: nothing changes, even when the nested form exists
        let p = build("dot_expander", json!({"field": "abc.def"}));
        assert_eq!(
            run_ok(&*p, json!({"foo.bar": "baz1"})),
            json!({"foo.bar": "baz1"})
        );
        let p = build("dot_expander", json!({"field": "a.b", "path": "x"}));
        assert_eq!(
            run_err(&*p, json!({"x": 1})).reason(),
            "field [x] of type [java.lang.Integer] cannot be cast to [java.util.Map]"
        );
    }
}
