//! `ValueSource` (`server/src/main/java/org/opensearch/ingest/ValueSource.java`): the `value` of
//! `set` and `append`, copied on every use with the Mustache templates inside it resolved
//! (strings containing `{{`, in lists and maps, map keys included).

use painless::value::{JMap, MapKind};
use painless::Value;
use serde_json::Value as Json;

use crate::error::IngestError;
use crate::template::{Template, TemplateModel};

/// A configured value. `Send + Sync`: templates and JSON scalars only.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueSource {
    /// `MapValue`: keys and values are value sources themselves.
    Map(Vec<(ValueSource, ValueSource)>),
    /// `ListValue`.
    List(Vec<ValueSource>),
    /// `ObjectValue`: null, a number, a boolean, or a string without `{{`.
    Object(Json),
    /// `TemplatedValue`: a string with `{{`.
    Templated(Template),
}

impl ValueSource {
    /// `ValueSource.wrap`. A template that does not compile is the error of the compilation
    /// (wrapped by the caller as a configuration error).
    pub fn wrap(value: &Json) -> Result<ValueSource, IngestError> {
        Ok(match value {
            Json::Object(map) => ValueSource::Map(
                map.iter()
                    .map(|(k, v)| {
                        Ok((
                            ValueSource::wrap(&Json::String(k.clone()))?,
                            ValueSource::wrap(v)?,
                        ))
                    })
                    .collect::<Result<_, IngestError>>()?,
            ),
            Json::Array(items) => ValueSource::List(
                items
                    .iter()
                    .map(ValueSource::wrap)
                    .collect::<Result<_, _>>()?,
            ),
            Json::String(s) if s.contains("{{") => ValueSource::Templated(Template::compile(s)?),
            other => ValueSource::Object(other.clone()),
        })
    }

    /// Whether this is a `TemplatedValue` (what `ignore_empty_value` looks at).
    pub fn is_templated(&self) -> bool {
        matches!(self, ValueSource::Templated(_))
    }

    /// `copyAndResolve(model)`: a fresh value (new `HashMap`s and `ArrayList`s), templates
    /// rendered against the model.
    pub fn copy_and_resolve(&self, model: &dyn TemplateModel) -> Result<Value, IngestError> {
        Ok(match self {
            ValueSource::Map(entries) => {
                let mut map = JMap::new(MapKind::Hash);
                for (k, v) in entries {
                    map.insert(k.copy_and_resolve(model)?, v.copy_and_resolve(model)?);
                }
                Value::map_from(map)
            }
            ValueSource::List(items) => Value::list_from(
                items
                    .iter()
                    .map(|i| i.copy_and_resolve(model))
                    .collect::<Result<_, _>>()?,
            ),
            ValueSource::Object(json) => painless::value::from_json(json),
            ValueSource::Templated(t) => Value::from(t.render(model)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> Value {
        painless::value::from_json(&json!({"a": "x", "n": 2}))
    }

    #[test]
    fn copies_and_resolves_nested_templates() {
        let source =
            ValueSource::wrap(&json!({"k{{a}}": ["{{a}}-{{n}}", 1, true, null], "p": "plain"}))
                .unwrap();
        let v = source.copy_and_resolve(&model()).unwrap();
        assert_eq!(
            painless::value::to_json(&v).unwrap(),
            json!({"kx": ["x-2", 1, true, null], "p": "plain"})
        );
        assert!(!source.is_templated());
        assert!(ValueSource::wrap(&json!("{{a}}")).unwrap().is_templated());
        assert!(!ValueSource::wrap(&json!("a")).unwrap().is_templated());
    }

    #[test]
    fn each_resolution_is_a_new_value() {
        let source = ValueSource::wrap(&json!(["a"])).unwrap();
        let a = source.copy_and_resolve(&model()).unwrap();
        let b = source.copy_and_resolve(&model()).unwrap();
        assert!(!a.identical(&b));
    }
}
