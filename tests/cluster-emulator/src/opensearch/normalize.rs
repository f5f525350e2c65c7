//! The normalisation OpenSearch applies to settings, mappings, `_meta` and aliases when it stores them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::http::OsError;

/// Flat settings as `Settings` keeps them: dotted keys in a sorted map, every value a string
/// (arrays become lists of strings).
pub(crate) type FlatSettings = BTreeMap<String, Value>;

/// `Settings.fromXContent` followed by `normalizePrefix("index.")`.
pub(crate) fn settings_from_request(v: &Value) -> Result<FlatSettings, OsError> {
    let mut out = BTreeMap::new();
    match v {
        Value::Object(_) => flatten(v, "", &mut out)?,
        Value::Null => {}
        _ => {
            return Err(OsError::bad_request(
                "settings_exception",
                "Failed to load settings from [".to_string() + &v.to_string() + "]",
            ));
        }
    }
    Ok(out
        .into_iter()
        .map(|(k, v)| (index_prefixed(&k), v))
        .collect())
}

/// Settings of an index creation request, which are also prefixed with `index.`.
pub(crate) fn index_prefixed(key: &str) -> String {
    if key.starts_with("index.") {
        key.to_string()
    } else {
        format!("index.{key}")
    }
}

fn flatten(v: &Value, prefix: &str, out: &mut FlatSettings) -> Result<(), OsError> {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(child, &key, out)?;
            }
        }
        Value::Array(items) => {
            let list: Vec<Value> = items.iter().map(stringify).collect();
            out.insert(prefix.to_string(), Value::Array(list));
        }
        other => {
            out.insert(prefix.to_string(), stringify(other));
        }
    }
    Ok(())
}

fn stringify(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(s.clone()),
        Value::Null => Value::Null,
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        other => Value::String(other.to_string()),
    }
}

/// Settings as `Settings.toXContent` writes them: flat (`flat_settings=true`) or nested by dots.
pub(crate) fn settings_to_value(s: &FlatSettings, flat: bool) -> Value {
    if flat {
        return Value::Object(s.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
    }
    let mut root = Map::new();
    for (k, v) in s {
        let parts: Vec<&str> = k.split('.').collect();
        insert_nested(&mut root, &parts, v.clone());
    }
    java_hash_order(&Value::Object(root))
}

fn insert_nested(map: &mut Map<String, Value>, parts: &[&str], v: Value) {
    if parts.len() == 1 {
        map.insert(parts[0].to_string(), v);
        return;
    }
    let entry = map
        .entry(parts[0].to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        // `a` and `a.b` both set: Settings keeps the leaf under its full remaining key.
        map.insert(parts[1..].join("."), v);
        return;
    }
    if let Value::Object(child) = entry {
        insert_nested(child, &parts[1..], v);
    }
}

/// Reorders every object the way a `java.util.HashMap` built by inserting the keys in their current
/// order iterates them. OpenSearch parses mappings, `_meta` and nested settings into HashMaps, so
/// the order a client sent is lost; reproducing the real order keeps order-sensitive clients honest.
pub(crate) fn java_hash_order(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            let mut out = Map::new();
            for k in hash_map_iteration_order(&keys) {
                out.insert(k.clone(), java_hash_order(&map[k.as_str()]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(java_hash_order).collect()),
        other => other.clone(),
    }
}

fn java_string_hash(s: &str) -> i32 {
    let mut h: i32 = 0;
    for unit in s.encode_utf16() {
        h = h.wrapping_mul(31).wrapping_add(i32::from(unit));
    }
    h
}

pub(crate) fn hash_map_iteration_order<'a>(keys: &[&'a String]) -> Vec<&'a String> {
    // Default capacity 16, load factor 0.75, doubling when size exceeds the threshold.
    let mut capacity: usize = 16;
    while keys.len() > capacity * 3 / 4 {
        capacity *= 2;
    }
    let mut buckets: Vec<Vec<&String>> = vec![Vec::new(); capacity];
    for k in keys {
        let h = java_string_hash(k);
        let spread = h ^ ((h as u32) >> 16) as i32;
        let idx = (spread as u32 as usize) & (capacity - 1);
        buckets[idx].push(k);
    }
    buckets.into_iter().flatten().collect()
}

/// Mappings as stored: a single `_doc` wrapper is removed (it is added back internally and
/// removed again on output), the rest kept as parsed.
pub(crate) fn mappings_from_request(v: &Value) -> Result<Value, OsError> {
    match v {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::Object(inner)) = map.get("_doc") {
                    return Ok(Value::Object(inner.clone()));
                }
            }
            Ok(v.clone())
        }
        Value::Null => Ok(Value::Object(Map::new())),
        _ => Err(OsError::bad_request(
            "mapper_parsing_exception",
            "Failed to parse mapping: mapping must be an object",
        )),
    }
}

/// An alias definition as `AliasMetadata` writes it back: `routing` split into
/// `index_routing`/`search_routing`, fields in the fixed output order.
pub(crate) fn alias_from_request(name: &str, v: &Value) -> Result<Value, OsError> {
    let Value::Object(map) = v else {
        return Err(OsError::illegal_argument(format!(
            "failed to parse alias [{name}]"
        )));
    };
    let mut filter = None;
    let mut index_routing = None;
    let mut search_routing = None;
    let mut is_write_index = None;
    let mut is_hidden = None;
    for (k, val) in map {
        match k.as_str() {
            "filter" => filter = Some(val.clone()),
            "routing" => {
                index_routing = Some(stringify(val));
                search_routing = Some(stringify(val));
            }
            "index_routing" | "indexRouting" | "index-routing" => {
                index_routing = Some(stringify(val))
            }
            "search_routing" | "searchRouting" | "search-routing" => {
                search_routing = Some(stringify(val))
            }
            "is_write_index" => is_write_index = Some(val.clone()),
            "is_hidden" => is_hidden = Some(val.clone()),
            other => {
                return Err(OsError::illegal_argument(format!(
                    "Unsupported field [{other}]"
                )));
            }
        }
    }
    let mut out = Map::new();
    if let Some(f) = filter {
        out.insert("filter".into(), java_hash_order(&f));
    }
    if let Some(r) = index_routing {
        out.insert("index_routing".into(), r);
    }
    if let Some(r) = search_routing {
        out.insert("search_routing".into(), r);
    }
    if let Some(w) = is_write_index {
        out.insert("is_write_index".into(), w);
    }
    if let Some(h) = is_hidden {
        out.insert("is_hidden".into(), h);
    }
    Ok(Value::Object(out))
}

pub(crate) fn aliases_from_request(v: &Value) -> Result<Map<String, Value>, OsError> {
    let Value::Object(map) = v else {
        return Err(OsError::bad_request(
            "parse_exception",
            "aliases must be an object",
        ));
    };
    let mut out = Map::new();
    for (name, def) in map {
        out.insert(name.clone(), alias_from_request(name, def)?);
    }
    Ok(out)
}

/// The index setting names an OpenSearch 2.19 node on Amazon OpenSearch Service accepts
/// (`IndexScopedSettings.BUILT_IN_INDEX_SETTINGS` and the installed plugins' settings; a name
/// ending in `.` is a group). The list is siemctl's data file, which notes its sources: the
/// emulator refuses what siemctl's `validate` refuses.
const INDEX_SETTINGS: &str =
    include_str!("../../../../src/content/validate/data/index-settings.txt");
/// The field types the node has mappers for (`IndicesModule.getMappers`, the bundled modules
/// and the plugins Amazon OpenSearch Service installs).
const MAPPING_TYPES: &str = include_str!("../../../../src/content/validate/data/mapping-types.txt");

fn entries(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
}

/// Whether the index-scoped settings registry knows a flattened `index.` key: unknown keys are
/// rejected as `AbstractScopedSettings.validate` rejects them.
pub(crate) fn is_known_index_setting(key: &str) -> bool {
    entries(INDEX_SETTINGS).any(|known| {
        if known.ends_with('.') {
            key.starts_with(known)
        } else {
            key == known
        }
    })
}

/// The first field whose `type` has no mapper, as `ObjectMapper.TypeParser.parseProperties`
/// finds it (properties in order, depth first, multi-fields included): the
/// `No handler for type [t] declared on field [f]` message.
pub(crate) fn unknown_mapping_type(mappings: &Value) -> Option<String> {
    fn walk(properties: &Value) -> Option<String> {
        for (name, field) in properties.as_object()? {
            if let Some(ty) = field.get("type").and_then(Value::as_str) {
                if !entries(MAPPING_TYPES).any(|known| known == ty) {
                    return Some(format!(
                        "No handler for type [{ty}] declared on field [{name}]"
                    ));
                }
            }
            for nested in ["properties", "fields"] {
                if let Some(found) = field.get(nested).and_then(walk) {
                    return Some(found);
                }
            }
        }
        None
    }
    walk(mappings.get("properties")?)
}

/// `MapperService`'s wrapper around a mapping that does not parse.
pub(crate) fn mapping_parse_error(reason: String) -> OsError {
    OsError::bad_request(
        "mapper_parsing_exception",
        format!("Failed to parse mapping [_doc]: {reason}"),
    )
    .caused_by(OsError::bad_request("mapper_parsing_exception", reason))
}

/// The value checks of the most used index settings (`Setting.parseInt`, `Booleans.parseBoolean`,
/// `TimeValue.parseTimeValue`): one message per bad value, in key order.
pub(crate) fn setting_value_errors(settings: &FlatSettings) -> Vec<String> {
    let mut errors = Vec::new();
    for (key, value) in settings {
        let Some(text) = value.as_str() else { continue };
        let int_min = match key.as_str() {
            "index.number_of_shards"
            | "index.max_result_window"
            | "index.number_of_routing_shards" => Some(1),
            "index.number_of_replicas" | "index.priority" | "index.routing_partition_size" => {
                Some(0)
            }
            _ => None,
        };
        if let Some(min) = int_min {
            match text.parse::<i64>() {
                Ok(v) if v < min => {
                    errors.push(format!(
                        "Failed to parse value [{text}] for setting [{key}] must be >= {min}"
                    ));
                }
                Ok(v) if key == "index.number_of_shards" && v > 1024 => {
                    errors.push(format!(
                        "Failed to parse value [{text}] for setting [{key}] must be <= 1024"
                    ));
                }
                Ok(_) => {}
                Err(_) => errors.push(format!(
                    "Failed to parse value [{text}] for setting [{key}]"
                )),
            }
            continue;
        }
        if matches!(
            key.as_str(),
            "index.hidden"
                | "index.blocks.read_only"
                | "index.blocks.write"
                | "index.blocks.read"
                | "index.blocks.metadata"
                | "index.knn"
        ) && text != "true"
            && text != "false"
        {
            errors.push(format!(
                "Failed to parse value [{text}] as only [true] or [false] are allowed."
            ));
            continue;
        }
        if key == "index.refresh_interval" && !is_time_value(text) {
            errors.push(format!(
                "failed to parse setting [{key}] with value [{text}] as a time value: unit is missing or unrecognized"
            ));
        }
    }
    errors
}

fn is_time_value(text: &str) -> bool {
    if text == "-1" || text == "0" {
        return true;
    }
    let units = ["nanos", "micros", "ms", "s", "m", "h", "d"];
    units.iter().any(|u| {
        text.strip_suffix(u)
            .is_some_and(|n| !n.is_empty() && n.trim().parse::<f64>().is_ok())
    })
}

pub(crate) fn unknown_setting_message(key: &str) -> String {
    format!(
        "unknown setting [{key}] please check that any required plugins are installed, or check the breaking changes documentation for removed settings"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_are_flattened_prefixed_and_stringified() {
        let s = settings_from_request(
            &json!({"number_of_shards": 1, "index": {"hidden": true}, "analysis": {"x": [1, "a"]}}),
        )
        .unwrap();
        assert_eq!(s["index.number_of_shards"], json!("1"));
        assert_eq!(s["index.hidden"], json!("true"));
        assert_eq!(s["index.analysis.x"], json!(["1", "a"]));
        let nested = settings_to_value(&s, false);
        assert_eq!(nested["index"]["number_of_shards"], json!("1"));
    }

    #[test]
    fn java_hash_of_strings() {
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
    }
}
