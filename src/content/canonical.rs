//! Canonical JSON: object keys sorted at every level, so that output is byte-identical between
//! runs whatever order the keys were read or built in.

use serde_json::{Map, Value};

/// A copy of `value` with the keys of every object in sorted order.
pub(crate) fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), sorted(&map[key]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Pretty, key-sorted JSON text with a final newline.
pub(crate) fn to_pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value)).unwrap_or_default();
    text.push('\n');
    text
}

/// Compact, key-sorted JSON text.
pub(crate) fn to_compact(value: &Value) -> String {
    sorted(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorts_keys_at_every_level() {
        let value = json!({"b": {"z": 1, "a": [{"y": 1, "x": 2}]}, "a": 0});
        assert_eq!(
            to_compact(&value),
            r#"{"a":0,"b":{"a":[{"x":2,"y":1}],"z":1}}"#
        );
        assert!(to_pretty(&value).ends_with("}\n"));
    }
}
