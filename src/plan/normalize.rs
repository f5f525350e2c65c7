//! Per-kind normalisation: the content and the cluster's answer are both brought into one
//! canonical form, so that an object right after apply never shows a difference. Equality and
//! digests are decided on these values; the text diff is only for display.
//!
//! What each server does to what it stores, and how it is undone here, is listed per kind (see
//! shared/docs/opensearch-api.md for the sources). The template and pipeline `version`, which
//! siemctl stamps from the content version, is dropped: a version bump alone is not a change.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::content::canonical::to_compact;
use crate::content::kind::Kind;
use crate::content::saved_object::JSON_STRING_ATTRIBUTES;

/// The normalised form of a content object (templates: the body; saved objects:
/// `{attributes, references}` with JSON-string attributes decoded).
pub(crate) fn desired(kind: Kind, body: &Value) -> Value {
    normalize(kind, body, None)
}

/// The normalised form of what the cluster returned for an object:
/// - component template: the `component_template` of GET /_component_template;
/// - index template: the `index_template` of GET /_index_template;
/// - pipeline: the body under its id in GET /_ingest/pipeline;
/// - ISM policy: `{"policy": ...}` from the policies API;
/// - saved objects: the object from `_bulk_get` (attributes still encoded).
///
/// `desired` is the content's body when there is one: for `config`, only the settings the
/// content declares are compared (the server keeps many others there).
pub(crate) fn live(kind: Kind, body: &Value, desired: Option<&Value>) -> Value {
    normalize(kind, body, desired)
}

/// A stable digest of a normalised value: SHA-256 of its canonical JSON.
pub(crate) fn digest(normalized: &Value) -> String {
    hex::encode(Sha256::digest(to_compact(normalized).as_bytes()))
}

fn normalize(kind: Kind, body: &Value, desired: Option<&Value>) -> Value {
    match kind {
        Kind::ComponentTemplate => {
            let mut out = object(body);
            out.remove("version");
            normalize_template_block(&mut out);
            drop_empty(&mut out, "_meta");
            Value::Object(out)
        }
        Kind::IndexTemplate => {
            let mut out = object(body);
            out.remove("version");
            if let Some(Value::String(pattern)) = out.get("index_patterns") {
                let pattern = pattern.clone();
                out.insert("index_patterns".into(), json!([pattern]));
            }
            // GET adds `composed_of: []` whenever a template block exists.
            if out
                .get("composed_of")
                .is_none_or(|c| c.as_array().is_some_and(Vec::is_empty))
            {
                out.remove("composed_of");
            }
            // `data_stream: {}` comes back with its default timestamp field.
            if let Some(Value::Object(ds)) = out.get_mut("data_stream") {
                ds.entry("timestamp_field")
                    .or_insert_with(|| json!({ "name": "@timestamp" }));
            }
            normalize_template_block(&mut out);
            drop_empty(&mut out, "_meta");
            Value::Object(out)
        }
        Kind::IngestPipeline => {
            // Stored byte-exact and returned as sent: only the stamped version goes.
            let mut out = object(body);
            out.remove("version");
            Value::Object(out)
        }
        Kind::IsmPolicy => normalize_ism(body),
        Kind::Config => {
            // Dashboards stores `timeline:*` settings as `timelion:*` and reads them back
            // renamed (ui_settings_client.ts `translateChanges`, `key.replace`: the first
            // occurrence): the object from `_bulk_get` is brought to the settings API's names.
            let attributes: Map<String, Value> = decoded_attributes(body)
                .into_iter()
                .map(|(key, value)| (key.replacen("timelion", "timeline", 1), value))
                .collect();
            let mut attributes = attributes;
            if let Some(declared) = desired
                .and_then(|d| d.get("attributes"))
                .and_then(Value::as_object)
            {
                attributes.retain(|key, _| declared.contains_key(key));
            }
            // A null setting is an unset one.
            attributes.retain(|_, value| !value.is_null());
            json!({ "attributes": attributes })
        }
        _ => {
            let mut attributes = decoded_attributes(body);
            if kind == Kind::IndexPattern {
                // Dashboards rebuilds the field cache on every visit; content never ships it.
                let declared = desired
                    .and_then(|d| d.pointer("/attributes/fields"))
                    .is_some();
                if !declared {
                    attributes.remove("fields");
                }
            }
            // Dashboards places panels by their gridData: its dashboard container holds them as a
            // map keyed by panelIndex (OpenSearch-Dashboards src/plugins/dashboard,
            // DashboardContainerInput.panels), so their order in panelsJSON carries nothing, and
            // pull keeps the file's order: compare them in panelIndex order.
            if let Some(Value::Array(panels)) = attributes.get_mut("panelsJSON") {
                panels.sort_by_key(|p| text(p, "panelIndex"));
            }
            let mut references: Vec<Value> = body
                .get("references")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            references.sort_by_key(|r| (text(r, "name"), text(r, "type"), text(r, "id")));
            json!({ "attributes": attributes, "references": references })
        }
    }
}

fn object(body: &Value) -> Map<String, Value> {
    body.as_object().cloned().unwrap_or_default()
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn drop_empty(map: &mut Map<String, Value>, key: &str) {
    let empty = match map.get(key) {
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Null) => true,
        _ => false,
    };
    if empty {
        map.remove(key);
    }
}

/// `template: {settings, mappings, aliases}` as OpenSearch stores it: settings flattened,
/// `index.`-prefixed and stringified; an empty mapping dropped; alias routing split.
fn normalize_template_block(out: &mut Map<String, Value>) {
    let Some(Value::Object(template)) = out.get_mut("template") else {
        return;
    };
    if let Some(settings) = template.get("settings") {
        let flat = flatten_settings(settings);
        template.insert("settings".into(), Value::Object(flat));
    }
    drop_empty(template, "settings");
    if let Some(Value::Object(mappings)) = template.get("mappings") {
        let inner = mappings
            .get("_doc")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| mappings.clone());
        template.insert("mappings".into(), Value::Object(inner));
    }
    drop_empty(template, "mappings");
    if let Some(Value::Object(aliases)) = template.get_mut("aliases") {
        for alias in aliases.values_mut() {
            if let Value::Object(alias) = alias {
                if let Some(routing) = alias.remove("routing") {
                    alias
                        .entry("index_routing")
                        .or_insert_with(|| routing.clone());
                    alias.entry("search_routing").or_insert(routing);
                }
            }
        }
    }
    drop_empty(template, "aliases");
    if template.is_empty() {
        out.remove("template");
    }
}

/// Settings as OpenSearch returns them with `flat_settings=true`: dotted keys with the
/// `index.` prefix, every value a string (lists: lists of strings).
fn flatten_settings(settings: &Value) -> Map<String, Value> {
    fn stringify(value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(s.clone()),
            Value::Array(items) => Value::Array(items.iter().map(stringify).collect()),
            Value::Null => Value::Null,
            other => Value::String(other.to_string()),
        }
    }
    crate::content::mapping::flatten_settings(settings)
        .into_iter()
        .map(|(key, value)| (key, stringify(&value)))
        .collect()
}

/// The index-management plugin's additions: policy_id, last_updated_time, schema_version and
/// user; error_notification null; ism_template as an array with its own last_updated_time;
/// default retry on every action and the per-action defaults.
fn normalize_ism(body: &Value) -> Value {
    let mut policy = body
        .get("policy")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for key in ["policy_id", "last_updated_time", "schema_version", "user"] {
        policy.remove(key);
    }
    if policy.get("error_notification").is_some_and(Value::is_null) {
        policy.remove("error_notification");
    }
    match policy.remove("ism_template") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) if items.is_empty() => {}
        Some(template) => {
            let items = match template {
                Value::Array(items) => items,
                one => vec![one],
            };
            let items: Vec<Value> = items
                .into_iter()
                .map(|mut item| {
                    if let Value::Object(map) = &mut item {
                        map.remove("last_updated_time");
                        // ISMTemplate's priority defaults to 0.
                        map.entry("priority").or_insert(json!(0));
                    }
                    item
                })
                .collect();
            policy.insert("ism_template".into(), Value::Array(items));
        }
    }
    if let Some(Value::Array(states)) = policy.get_mut("states") {
        for state in states.iter_mut().filter_map(Value::as_object_mut) {
            state.entry("actions").or_insert_with(|| json!([]));
            state.entry("transitions").or_insert_with(|| json!([]));
            if let Some(Value::Array(actions)) = state.get_mut("actions") {
                for action in actions.iter_mut().filter_map(Value::as_object_mut) {
                    canonical_action_units(action);
                    strip_action_defaults(action);
                }
            }
            if let Some(Value::Array(transitions)) = state.get_mut("transitions") {
                for conditions in transitions
                    .iter_mut()
                    .filter_map(|t| t.get_mut("conditions"))
                    .filter_map(Value::as_object_mut)
                {
                    canonical_units(conditions);
                }
            }
        }
    }
    let mut policy = Value::Object(policy);
    strip_mustache_lang(&mut policy);
    json!({ "policy": policy })
}

/// The plugin parses sizes and ages into OpenSearch's `ByteSizeValue` and `TimeValue` and
/// writes them back with `getStringRep`, and counts through `longValue()` (index-management
/// `RolloverAction.kt`, `Transition.kt`, `ActionRetry.kt`, `ActionTimeout.kt`): `50GB` is
/// stored `50gb`, `30D` `30d`, `"1000"` 1000, backoff `Constant` `constant`. Both sides are
/// brought to that form; a value the server would refuse is left as written.
fn canonical_action_units(action: &mut Map<String, Value>) {
    if let Some(Value::String(timeout)) = action.get("timeout") {
        if let Some(rep) = time_value_rep(timeout) {
            action.insert("timeout".into(), Value::String(rep));
        }
    }
    if let Some(Value::Object(retry)) = action.get_mut("retry") {
        if let Some(count) = retry.get("count").and_then(long_value) {
            retry.insert("count".into(), json!(count));
        }
        if let Some(Value::String(backoff)) = retry.get("backoff") {
            let lower = backoff.to_lowercase();
            retry.insert("backoff".into(), Value::String(lower));
        }
        if let Some(rep) = retry
            .get("delay")
            .and_then(scalar_text)
            .and_then(|d| time_value_rep(&d))
        {
            retry.insert("delay".into(), Value::String(rep));
        }
    }
    if let Some(Value::Object(rollover)) = action.get_mut("rollover") {
        canonical_units(rollover);
    }
}

/// Rollover options and transition conditions: the same keys in both.
fn canonical_units(map: &mut Map<String, Value>) {
    for (key, value) in map.iter_mut() {
        let canonical = match key.as_str() {
            "min_size" | "min_primary_shard_size" => scalar_text(value)
                .and_then(|t| byte_size_rep(&t))
                .map(Value::String),
            "min_index_age" | "min_rollover_age" => scalar_text(value)
                .and_then(|t| time_value_rep(&t))
                .map(Value::String),
            "min_doc_count" => long_value(value).map(|n| json!(n)),
            _ => None,
        };
        if let Some(canonical) = canonical {
            *value = canonical;
        }
    }
}

/// `xcp.text()` of a scalar.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `longValue()` with coercion: an integer, or a string holding one.
fn long_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `ByteSizeValue.parseBytesSizeValue(..).getStringRep()` (OpenSearch
/// `libs/core/.../common/unit/ByteSizeValue.java`): `k`/`kb`... `p`/`pb` and `b`, any case;
/// printed with the long suffix, or bare when not positive.
fn byte_size_rep(text: &str) -> Option<String> {
    let lower = text.trim().to_lowercase();
    const UNITS: &[(&str, &str)] = &[
        ("kb", "kb"),
        ("k", "kb"),
        ("mb", "mb"),
        ("m", "mb"),
        ("gb", "gb"),
        ("g", "gb"),
        ("tb", "tb"),
        ("t", "tb"),
        ("pb", "pb"),
        ("p", "pb"),
        ("b", "b"),
    ];
    let (size, suffix) = UNITS.iter().find_map(|(suffix, rep)| {
        let number = lower.strip_suffix(suffix)?.trim();
        Some((number.parse::<i64>().ok()?, *rep))
    })?;
    Some(if size <= 0 {
        size.to_string()
    } else {
        format!("{size}{suffix}")
    })
}

/// `TimeValue.parseTimeValue(..).getStringRep()` (OpenSearch
/// `libs/common/.../common/unit/TimeValue.java`): `nanos`, `micros`, `ms`, `s`, `m` (lower
/// case only: `M` is months), `h`, `d`; a negative value prints bare, a unit-less zero is 0 ms.
fn time_value_rep(text: &str) -> Option<String> {
    let lower = text.trim().to_lowercase();
    let suffix = ["nanos", "micros", "ms", "s"]
        .into_iter()
        .find(|s| lower.ends_with(s))
        .or_else(|| text.trim_end().ends_with('m').then_some("m"))
        .or_else(|| ["h", "d"].into_iter().find(|s| lower.ends_with(s)));
    let Some(suffix) = suffix else {
        return match lower.parse::<i64>() {
            Ok(0) if !lower.starts_with('-') => Some("0ms".into()),
            Ok(-1) => Some("-1".into()),
            _ => None,
        };
    };
    let value: i64 = lower[..lower.len() - suffix.len()].trim().parse().ok()?;
    match value {
        -1 => Some("-1".into()),
        v if v < -1 => None,
        v => Some(format!("{v}{suffix}")),
    }
}

/// Message templates come back with `"lang": "mustache"`, their only language.
fn strip_mustache_lang(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(template)) = map.get_mut("message_template") {
                if template.get("lang").and_then(Value::as_str) == Some("mustache") {
                    template.remove("lang");
                }
            }
            map.values_mut().for_each(strip_mustache_lang);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_mustache_lang),
        _ => {}
    }
}

/// Removes what equals the plugin's defaults, so that the content may leave them out.
fn strip_action_defaults(action: &mut Map<String, Value>) {
    // A partial retry gets the missing parts filled in by the plugin.
    if let Some(Value::Object(retry)) = action.get_mut("retry") {
        retry.entry("backoff").or_insert(json!("exponential"));
        retry.entry("delay").or_insert(json!("1m"));
    }
    if action.get("retry") == Some(&json!({ "count": 3, "backoff": "exponential", "delay": "1m" }))
    {
        action.remove("retry");
    }
    if let Some(Value::Object(rollover)) = action.get_mut("rollover") {
        if rollover.get("copy_alias") == Some(&Value::Bool(false)) {
            rollover.remove("copy_alias");
        }
    }
    if let Some(Value::Object(allocation)) = action.get_mut("allocation") {
        for key in ["require", "include", "exclude"] {
            if allocation
                .get(key)
                .is_some_and(|v| v.as_object().is_some_and(Map::is_empty))
            {
                allocation.remove(key);
            }
        }
        if allocation.get("wait_for") == Some(&Value::Bool(false)) {
            allocation.remove("wait_for");
        }
    }
}

/// Attributes with the JSON-string ones decoded (a string that is not JSON stays a string).
fn decoded_attributes(body: &Value) -> Map<String, Value> {
    let mut attributes = body
        .get("attributes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let decode = |value: &mut Value| {
        if let Value::String(s) = value {
            if let Ok(parsed) = serde_json::from_str::<Value>(s) {
                *value = parsed;
            }
        }
    };
    for name in JSON_STRING_ATTRIBUTES {
        if let Some(value) = attributes.get_mut(name) {
            decode(value);
        }
    }
    if let Some(value) = attributes
        .get_mut("kibanaSavedObjectMeta")
        .and_then(|m| m.get_mut("searchSourceJSON"))
    {
        decode(value);
    }
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_template_settings_as_the_server_returns_them() {
        let sent = json!({
            "template": {
                "settings": {"number_of_shards": 1, "index": {"mapping": {"total_fields": {"limit": 2000}, "ignore_malformed": true}}, "refresh_interval": "5s"},
                "mappings": {"properties": {"a": {"type": "keyword"}}}
            },
            "version": 1000000,
            "_meta": {"description": "x"}
        });
        let returned = json!({
            "template": {
                "settings": {"index": {"number_of_shards": "1", "refresh_interval": "5s", "mapping": {"total_fields": {"limit": "2000"}, "ignore_malformed": "true"}}},
                "mappings": {"properties": {"a": {"type": "keyword"}}}
            },
            "version": 1000000,
            "_meta": {"description": "x"}
        });
        assert_eq!(
            desired(Kind::ComponentTemplate, &sent),
            live(Kind::ComponentTemplate, &returned, None)
        );
    }

    #[test]
    fn index_template_server_additions() {
        let sent = json!({"index_patterns": "log-*", "template": {"mappings": {}, "aliases": {"a": {"routing": "r"}}}, "data_stream": {}, "version": 1});
        let returned = json!({
            "index_patterns": ["log-*"],
            "template": {"aliases": {"a": {"index_routing": "r", "search_routing": "r"}}},
            "composed_of": [],
            "data_stream": {"timestamp_field": {"name": "@timestamp"}},
            "version": 2
        });
        assert_eq!(
            desired(Kind::IndexTemplate, &sent),
            live(Kind::IndexTemplate, &returned, None)
        );
        let changed = json!({"index_patterns": ["log-*"], "priority": 5});
        assert_ne!(
            desired(Kind::IndexTemplate, &sent),
            live(Kind::IndexTemplate, &changed, None)
        );
    }

    #[test]
    fn ism_server_additions() {
        let sent = json!({"policy": {
            "description": "d", "default_state": "hot",
            "states": [{"name": "hot", "actions": [{"rollover": {"min_size": "50gb"}}], "transitions": [{"state_name": "delete", "conditions": {"min_index_age": "30d"}}]},
                       {"name": "delete", "actions": [{"delete": {}}]}],
            "ism_template": {"index_patterns": ["log-*"], "priority": 100}
        }});
        let returned = json!({"policy": {
            "policy_id": "p", "description": "d", "last_updated_time": 1700000000000u64, "schema_version": 21, "error_notification": null,
            "default_state": "hot",
            "states": [{"name": "hot", "actions": [{"retry": {"count": 3, "backoff": "exponential", "delay": "1m"}, "rollover": {"min_size": "50gb", "copy_alias": false}}], "transitions": [{"state_name": "delete", "conditions": {"min_index_age": "30d"}}]},
                       {"name": "delete", "actions": [{"retry": {"count": 3, "backoff": "exponential", "delay": "1m"}, "delete": {}}], "transitions": []}],
            "ism_template": [{"index_patterns": ["log-*"], "priority": 100, "last_updated_time": 1700000000000u64}]
        }});
        assert_eq!(
            desired(Kind::IsmPolicy, &sent),
            live(Kind::IsmPolicy, &returned, None)
        );
        let custom_retry = json!({"policy": {"description": "d", "default_state": "hot", "states": [{"name": "hot", "actions": [{"retry": {"count": 5, "backoff": "constant", "delay": "1m"}, "delete": {}}], "transitions": []}]}});
        assert_ne!(
            desired(Kind::IsmPolicy, &custom_retry),
            live(Kind::IsmPolicy, &returned, None)
        );
    }

    #[test]
    fn ism_units_compare_as_the_plugin_stores_them() {
        let sent = json!({"policy": {
            "description": "d", "default_state": "hot",
            "states": [{"name": "hot", "actions": [{"timeout": "2H", "retry": {"count": "3", "backoff": "Exponential", "delay": "60S"},
                "rollover": {"min_size": "50GB", "min_doc_count": "1000", "min_index_age": "1D"}}],
                "transitions": [{"state_name": "delete", "conditions": {"min_index_age": "30D"}}]},
                       {"name": "delete", "actions": [{"delete": {}}], "transitions": [{"state_name": "hot", "conditions": {"min_size": "10K"}}]}]
        }});
        let returned = json!({"policy": {
            "description": "d", "default_state": "hot",
            "states": [{"name": "hot", "actions": [{"timeout": "2h", "retry": {"count": 3, "backoff": "exponential", "delay": "60s"},
                "rollover": {"min_size": "50gb", "min_doc_count": 1000, "min_index_age": "1d", "copy_alias": false}}],
                "transitions": [{"state_name": "delete", "conditions": {"min_index_age": "30d"}}]},
                       {"name": "delete", "actions": [{"retry": {"count": 3, "backoff": "exponential", "delay": "1m"}, "delete": {}}], "transitions": [{"state_name": "hot", "conditions": {"min_size": "10kb"}}]}]
        }});
        assert_eq!(
            desired(Kind::IsmPolicy, &sent),
            live(Kind::IsmPolicy, &returned, None)
        );
        // Different values stay different: 30 days is not 30 hours, nor 30M (months, refused).
        for other in ["30h", "30M"] {
            let changed = serde_json::to_string(&sent).unwrap().replace("30D", other);
            let changed: Value = serde_json::from_str(&changed).unwrap();
            assert_ne!(
                desired(Kind::IsmPolicy, &changed),
                live(Kind::IsmPolicy, &returned, None),
                "{other}"
            );
        }
        for (text, rep) in [
            ("0", Some("0ms")),
            ("-1", Some("-1")),
            ("5MS", Some("5ms")),
            ("30", None),
            ("1.5d", None),
        ] {
            assert_eq!(time_value_rep(text).as_deref(), rep, "{text}");
        }
        for (text, rep) in [
            ("1024B", Some("1024b")),
            ("0", None),
            ("0gb", Some("0")),
            ("2.5gb", None),
        ] {
            assert_eq!(byte_size_rep(text).as_deref(), rep, "{text}");
        }
    }

    #[test]
    fn ism_notification_and_partial_defaults() {
        let sent = json!({"policy": {
            "description": "d", "default_state": "hot",
            "error_notification": {"destination": {"slack": {"url": "https://hooks.example/x"}}, "message_template": {"source": "{{ctx.index}} failed"}},
            "states": [{"name": "hot", "actions": [{"retry": {"count": 5}, "notification": {"destination": {"slack": {"url": "https://hooks.example/x"}}, "message_template": {"source": "m"}}}]}],
            "ism_template": {"index_patterns": ["log-*"]}
        }});
        let returned = json!({"policy": {
            "description": "d", "default_state": "hot",
            "error_notification": {"destination": {"slack": {"url": "https://hooks.example/x"}}, "message_template": {"source": "{{ctx.index}} failed", "lang": "mustache"}},
            "states": [{"name": "hot", "actions": [{"retry": {"count": 5, "backoff": "exponential", "delay": "1m"}, "notification": {"destination": {"slack": {"url": "https://hooks.example/x"}}, "message_template": {"source": "m", "lang": "mustache"}}}], "transitions": []}],
            "ism_template": [{"index_patterns": ["log-*"], "priority": 0, "last_updated_time": 1}]
        }});
        assert_eq!(
            desired(Kind::IsmPolicy, &sent),
            live(Kind::IsmPolicy, &returned, None)
        );
    }

    #[test]
    fn saved_objects_decode_strings_and_drop_server_fields() {
        let content = json!({
            "attributes": {"title": "v", "visState": {"type": "table", "aggs": []}, "kibanaSavedObjectMeta": {"searchSourceJSON": {"query": {"query": "", "language": "kuery"}}}},
            "references": [{"name": "b", "type": "index-pattern", "id": "p"}, {"name": "a", "type": "search", "id": "s"}]
        });
        let returned = json!({
            "id": "v1", "type": "visualization", "updated_at": "2026-11-26T10:00:00.000Z", "version": "WzEsMV0=", "namespaces": ["default"],
            "migrationVersion": {"visualization": "7.10.0"},
            "attributes": {"title": "v", "visState": "{\"aggs\":[],\"type\":\"table\"}", "kibanaSavedObjectMeta": {"searchSourceJSON": "{\"query\":{\"language\":\"kuery\",\"query\":\"\"}}"}},
            "references": [{"name": "a", "type": "search", "id": "s"}, {"name": "b", "type": "index-pattern", "id": "p"}]
        });
        assert_eq!(
            desired(Kind::Visualization, &content),
            live(Kind::Visualization, &returned, Some(&content))
        );
        assert_eq!(
            digest(&desired(Kind::Visualization, &content)),
            digest(&live(Kind::Visualization, &returned, Some(&content)))
        );
    }

    #[test]
    fn dashboard_panels_compare_in_panel_index_order() {
        let file = json!({"attributes": {"title": "d", "panelsJSON": "[{\"panelIndex\":\"1\",\"gridData\":{\"x\":0}},{\"panelIndex\":\"2\",\"gridData\":{\"x\":24}}]"}, "references": []});
        let server = json!({"attributes": {"title": "d", "panelsJSON": "[{\"panelIndex\":\"2\",\"gridData\":{\"x\":24}},{\"panelIndex\":\"1\",\"gridData\":{\"x\":0}}]"}, "references": []});
        let desired = desired(Kind::Dashboard, &file);
        assert_eq!(desired, live(Kind::Dashboard, &server, Some(&desired)));
        let moved = json!({"attributes": {"title": "d", "panelsJSON": "[{\"panelIndex\":\"2\",\"gridData\":{\"x\":0}},{\"panelIndex\":\"1\",\"gridData\":{\"x\":24}}]"}, "references": []});
        assert_ne!(desired, live(Kind::Dashboard, &moved, Some(&desired)));
    }

    #[test]
    fn index_pattern_field_cache_and_config_extras_are_ignored() {
        let content = json!({"attributes": {"title": "log-*", "timeFieldName": "@timestamp"}, "references": []});
        let returned = json!({"attributes": {"title": "log-*", "timeFieldName": "@timestamp", "fields": "[{\"name\":\"a\"}]"}, "references": []});
        assert_eq!(
            desired(Kind::IndexPattern, &content),
            live(Kind::IndexPattern, &returned, Some(&content))
        );
        let timeline = json!({"attributes": {"timeline:es.default_index": "log-*"}});
        let stored = json!({"attributes": {"timelion:es.default_index": "log-*", "buildNum": 1}});
        assert_eq!(
            desired(Kind::Config, &timeline),
            live(Kind::Config, &stored, Some(&timeline))
        );
        let config = json!({"attributes": {"defaultIndex": "log-all"}});
        let live_config =
            json!({"id": "2.19.0", "attributes": {"defaultIndex": "log-all", "buildNum": 8000}});
        assert_eq!(
            desired(Kind::Config, &config),
            live(Kind::Config, &live_config, Some(&config))
        );
    }

    #[test]
    fn a_version_bump_alone_is_not_a_change() {
        let a = json!({"processors": [{"set": {"field": "a", "value": 1}}], "version": 1000000});
        let b = json!({"processors": [{"set": {"field": "a", "value": 1}}], "version": 1001000});
        assert_eq!(
            desired(Kind::IngestPipeline, &a),
            live(Kind::IngestPipeline, &b, None)
        );
    }
}
