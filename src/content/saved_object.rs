//! The attributes Dashboards stores as JSON strings. Content writes them as real JSON so that a
//! pull-request diff is readable; siemctl encodes them when sending and decodes them on reading.

use serde_json::{Map, Value};

use super::kind::Kind;

/// Attributes (top level of `attributes`) that Dashboards stores as JSON strings.
pub(crate) const JSON_STRING_ATTRIBUTES: [&str; 8] = [
    "visState",
    "uiStateJSON",
    "panelsJSON",
    "optionsJSON",
    "fieldFormatMap",
    "fields",
    "sourceFilters",
    "typeMeta",
];

/// `kibanaSavedObjectMeta.searchSourceJSON`, the one nested JSON-string attribute.
const META: &str = "kibanaSavedObjectMeta";
const SEARCH_SOURCE: &str = "searchSourceJSON";

/// The attribute paths (dotted) of `attributes` that hold JSON strings on the wire and are
/// present in this object.
pub(crate) fn json_string_paths(attributes: &Map<String, Value>) -> Vec<String> {
    let mut paths: Vec<String> = JSON_STRING_ATTRIBUTES
        .iter()
        .filter(|name| attributes.contains_key(**name))
        .map(|name| (*name).to_string())
        .collect();
    if attributes
        .get(META)
        .and_then(|m| m.get(SEARCH_SOURCE))
        .is_some()
    {
        paths.push(format!("{META}.{SEARCH_SOURCE}"));
    }
    paths
}

/// The object as the Dashboards API receives it: `{type, id, attributes, references}` with the
/// JSON-string attributes encoded.
pub(crate) fn encode(kind: Kind, id: &str, body: &Value) -> Value {
    let mut attributes = body
        .get("attributes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    map_json_strings(&mut attributes, |value| match value {
        Value::String(_) => value.clone(),
        other => Value::String(super::canonical::to_compact(other)),
    });
    let mut object = Map::new();
    object.insert(
        "type".into(),
        Value::String(kind.saved_object_type().unwrap_or_default().into()),
    );
    object.insert("id".into(), Value::String(id.into()));
    object.insert("attributes".into(), Value::Object(attributes));
    object.insert(
        "references".into(),
        body.get("references")
            .cloned()
            .unwrap_or(Value::Array(Vec::new())),
    );
    Value::Object(object)
}

fn map_json_strings(attributes: &mut Map<String, Value>, f: impl Fn(&Value) -> Value) {
    for name in JSON_STRING_ATTRIBUTES {
        if let Some(value) = attributes.get_mut(name) {
            *value = f(value);
        }
    }
    if let Some(value) = attributes
        .get_mut(META)
        .and_then(|m| m.get_mut(SEARCH_SOURCE))
    {
        *value = f(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_json_attributes() {
        let body = json!({
            "attributes": {
                "title": "t",
                "visState": {"type": "table", "aggs": []},
                "uiStateJSON": {},
                "kibanaSavedObjectMeta": {"searchSourceJSON": {"query": {"query": "a:b", "language": "kuery"}}}
            },
            "references": [{"name": "r", "type": "index-pattern", "id": "p"}]
        });
        let wire = encode(Kind::Visualization, "v1", &body);
        assert_eq!(wire["type"], "visualization");
        assert_eq!(wire["id"], "v1");
        assert_eq!(
            wire["attributes"]["visState"],
            r#"{"aggs":[],"type":"table"}"#
        );
        assert_eq!(wire["attributes"]["uiStateJSON"], "{}");
        assert_eq!(
            wire["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"],
            r#"{"query":{"language":"kuery","query":"a:b"}}"#
        );
        assert_eq!(wire["attributes"]["title"], "t");
    }

    #[test]
    fn lists_the_json_string_paths_present() {
        let attrs = json!({"title": "x", "panelsJSON": [], "kibanaSavedObjectMeta": {"searchSourceJSON": {}}});
        assert_eq!(
            json_string_paths(attrs.as_object().unwrap()),
            vec!["panelsJSON", "kibanaSavedObjectMeta.searchSourceJSON"]
        );
    }
}
