//! What a person opening Dashboards in a browser does to the saved objects, for tests of drift:
//! the first page load creates the `config` object, and opening an index pattern refreshes its
//! `fields` attribute from the indices it matches.

use serde_json::{json, Map, Value};

use super::saved_objects::Store;
use crate::http::iso_now;
use crate::opensearch::{leaf_fields, Cluster};

/// `type`, `searchable`, `aggregatable`, `readFromDocValues` of an OpenSearch field type.
fn describe(es_type: &str) -> (&'static str, bool, bool, bool) {
    match es_type {
        "text" | "match_only_text" => ("string", true, false, false),
        "keyword" | "constant_keyword" | "wildcard" => ("string", true, true, true),
        "date" | "date_nanos" => ("date", true, true, true),
        "long" | "integer" | "short" | "byte" | "double" | "float" | "half_float"
        | "scaled_float" | "unsigned_long" => ("number", true, true, true),
        "boolean" => ("boolean", true, true, true),
        "ip" => ("ip", true, true, true),
        "geo_point" => ("geo_point", true, true, true),
        "geo_shape" => ("geo_shape", true, false, false),
        "object" => ("unknown", false, false, false),
        "nested" => ("nested", false, false, false),
        _ => ("unknown", true, true, true),
    }
}

fn meta_fields() -> Vec<Value> {
    vec![
        json!({"count": 0, "name": "_id", "type": "string", "esTypes": ["_id"], "scripted": false, "searchable": true, "aggregatable": true, "readFromDocValues": false}),
        json!({"count": 0, "name": "_index", "type": "string", "esTypes": ["_index"], "scripted": false, "searchable": true, "aggregatable": true, "readFromDocValues": false}),
        json!({"count": 0, "name": "_score", "type": "number", "scripted": false, "searchable": false, "aggregatable": false, "readFromDocValues": false}),
        json!({"count": 0, "name": "_source", "type": "_source", "esTypes": ["_source"], "scripted": false, "searchable": false, "aggregatable": false, "readFromDocValues": false}),
        json!({"count": 0, "name": "_type", "type": "string", "esTypes": ["_type"], "scripted": false, "searchable": true, "aggregatable": true, "readFromDocValues": false}),
    ]
}

/// The `fields` attribute the index-pattern management page writes, as a JSON string.
pub(crate) fn fields_for(cluster: &Cluster, title: &str) -> String {
    let mut fields: Vec<Value> = meta_fields();
    for f in leaf_fields(cluster, title) {
        let (kind, searchable, aggregatable, doc_values) = describe(&f.es_type);
        let mut m = Map::new();
        m.insert("count".into(), json!(0));
        m.insert("name".into(), json!(f.name));
        m.insert("type".into(), json!(kind));
        m.insert("esTypes".into(), json!([f.es_type]));
        m.insert("scripted".into(), json!(false));
        m.insert("searchable".into(), json!(searchable));
        m.insert("aggregatable".into(), json!(aggregatable));
        m.insert("readFromDocValues".into(), json!(doc_values));
        if let Some(p) = f.parent {
            m.insert("subType".into(), json!({"multi": {"parent": p}}));
        }
        fields.push(Value::Object(m));
    }
    fields.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Value::Array(fields).to_string()
}

/// Simulates a browser visit in one tenant; returns what changed.
pub(crate) fn visit(cluster: &Cluster, store: &mut Store, version: &str) -> Value {
    let mut config_created = false;
    let key = ("config".to_string(), version.to_string());
    if !store.objects.contains_key(&key) {
        // The browser's first settings read creates it (createOrUpgradeSavedConfig).
        config_created = super::ui_settings::ensure_config(store, version).is_ok();
    }
    let patterns: Vec<(String, String)> = store
        .objects
        .iter()
        .filter(|((t, _), _)| t == "index-pattern")
        .map(|((t, id), o)| {
            (
                format!("{t}:{id}"),
                o.attributes
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    let mut refreshed = Vec::new();
    for (raw_id, title) in patterns {
        let id = raw_id.trim_start_matches("index-pattern:").to_string();
        let fields = fields_for(cluster, &title);
        let obj_key = ("index-pattern".to_string(), id.clone());
        let Some(mut obj) = store.objects.get(&obj_key).cloned() else {
            continue;
        };
        if obj.attributes.get("fields").and_then(Value::as_str) == Some(fields.as_str()) {
            continue;
        }
        if let Some(a) = obj.attributes.as_object_mut() {
            a.insert("fields".into(), json!(fields));
        }
        store.seq_no += 1;
        obj.seq_no = store.seq_no;
        obj.doc_version += 1;
        obj.updated_at = iso_now();
        store.objects.insert(obj_key, obj);
        refreshed.push(json!(id));
    }
    json!({"config_created": config_created, "index_patterns_refreshed": refreshed})
}
