//! Indices (creation with template resolution, GET, HEAD, DELETE) and plain documents
//! (`_doc`, `_create`, `_update`, `_bulk`). Documents are stored, never searched.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::normalize::{
    aliases_from_request, java_hash_order, mappings_from_request, settings_to_value, FlatSettings,
};
use super::templates::layers_for;
use super::Cluster;
use crate::http::{now_millis, parse_json_body, simple_match, OsError, OsResult, Req, Resp};

#[derive(Debug, Clone)]
pub(crate) struct Index {
    pub(crate) uuid: String,
    pub(crate) settings: FlatSettings,
    pub(crate) mappings: Map<String, Value>,
    pub(crate) aliases: Map<String, Value>,
    pub(crate) docs: BTreeMap<String, Doc>,
    pub(crate) seq_no: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub(crate) source: Value,
    pub(crate) version: i64,
    pub(crate) seq_no: i64,
    pub(crate) routing: Option<String>,
    /// The fields the mapper ignored (`_ignored`: `ignore_malformed`).
    pub(crate) ignored: Vec<String>,
    /// What each field indexed (by full path, multi-fields included), as the mapper parsed it.
    pub(crate) fields: BTreeMap<String, Vec<Value>>,
}

/// Expands dotted field names (`a.b`) into object fields, as the mapper does.
fn expand_dots(props: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in props {
        let mut v = v.clone();
        if let Some(inner) = v.get("properties").and_then(Value::as_object) {
            let expanded = expand_dots(inner);
            v["properties"] = Value::Object(expanded);
        }
        if let Some((head, rest)) = k.split_once('.') {
            let mut child = Map::new();
            child.insert(rest.to_string(), v);
            let wrapped = json!({"properties": Value::Object(expand_dots(&child))});
            let _ = merge_field(&mut out, head, &wrapped, "");
        } else {
            let _ = merge_field(&mut out, k, &v, "");
        }
    }
    out
}

fn count_fields(props: &Map<String, Value>) -> usize {
    props
        .values()
        .map(|def| {
            1 + def
                .get("properties")
                .and_then(Value::as_object)
                .map_or(0, count_fields)
                + def
                    .get("fields")
                    .and_then(Value::as_object)
                    .map_or(0, Map::len)
        })
        .sum()
}

fn is_object_mapping(def: &Value) -> bool {
    match def.get("type").and_then(Value::as_str) {
        Some(t) => t == "object" || t == "nested",
        None => true,
    }
}

/// Merges one field definition as `ObjectMapper.merge` does with reason INDEX_TEMPLATE: objects
/// (and nested) merge their explicit parameters and their properties recursively; a leaf field
/// replaces the earlier definition entirely; an object meeting a leaf is an error.
fn merge_field(
    props: &mut Map<String, Value>,
    name: &str,
    def: &Value,
    path: &str,
) -> Result<(), String> {
    let full = if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    };
    let Some(existing) = props.get_mut(name) else {
        props.insert(name.to_string(), def.clone());
        return Ok(());
    };
    match (is_object_mapping(existing), is_object_mapping(def)) {
        (true, true) => {
            let old_nested = existing.get("type").and_then(Value::as_str) == Some("nested");
            let new_nested = def.get("type").and_then(Value::as_str) == Some("nested");
            if old_nested != new_nested
                && def.get("type").is_some()
                && existing.get("type").is_some()
            {
                return Err(if old_nested {
                    "cannot change object mapping from nested to non-nested".to_string()
                } else {
                    "cannot change object mapping from non-nested to nested".to_string()
                });
            }
            let (Some(e), Some(d)) = (existing.as_object_mut(), def.as_object()) else {
                return Ok(());
            };
            for (k, v) in d {
                if k == "properties" {
                    let mut merged = e
                        .get("properties")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    if let Some(dp) = v.as_object() {
                        for (fk, fv) in dp {
                            merge_field(&mut merged, fk, fv, &full)?;
                        }
                    }
                    e.insert("properties".into(), Value::Object(merged));
                } else {
                    e.insert(k.clone(), v.clone());
                }
            }
            Ok(())
        }
        (false, false) => {
            *existing = def.clone();
            Ok(())
        }
        (true, false) => Err(format!(
            "can't merge a non object mapping [{full}] with an object mapping [{full}]"
        )),
        (false, true) => Err(format!(
            "can't merge an object mapping [{full}] into a non object mapping [{full}]"
        )),
    }
}

/// Merges one mapping layer into the accumulated root mapping (templates in order, then the request).
pub(crate) fn merge_mappings(root: &mut Map<String, Value>, layer: &Value) -> Result<(), String> {
    let Some(layer) = layer.as_object() else {
        return Err("mapping must be an object".into());
    };
    for (k, v) in layer {
        if k == "properties" {
            let Some(p) = v.as_object() else {
                return Err("[properties] must be an object".into());
            };
            let expanded = expand_dots(p);
            let mut current = root
                .get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for (fk, fv) in &expanded {
                merge_field(&mut current, fk, fv, "")?;
            }
            root.insert("properties".into(), Value::Object(current));
        } else if k == "dynamic_templates" {
            // RootObjectMapper merge with reason INDEX_TEMPLATE: dynamic templates are merged by
            // name, a later one replacing an earlier one in place, new names appended.
            let mut merged: Vec<Value> = root
                .get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let name_of = |t: &Value| t.as_object().and_then(|m| m.keys().next().cloned());
            for t in v.as_array().into_iter().flatten() {
                let name = name_of(t);
                match merged
                    .iter_mut()
                    .find(|e| name.is_some() && name_of(e) == name)
                {
                    Some(slot) => *slot = t.clone(),
                    None => merged.push(t.clone()),
                }
            }
            root.insert(k.clone(), Value::Array(merged));
        } else if k == "_meta" {
            // DocumentMapper merge with reason INDEX_TEMPLATE: `_meta` is deep-merged.
            match root.get_mut(k) {
                Some(existing) => super::documents::deep_merge(existing, v),
                None => {
                    root.insert(k.clone(), v.clone());
                }
            }
        } else {
            // Metadata fields (`_source`, `_routing`, ...) and root parameters (`dynamic`,
            // `date_detection`, ...) are replaced entirely.
            root.insert(k.clone(), v.clone());
        }
    }
    Ok(())
}

pub(crate) fn index_not_found(name: &str) -> OsError {
    OsError::new(
        404,
        "index_not_found_exception",
        format!("no such index [{name}]"),
    )
    .with("resource.type", "index_or_alias")
    .with("resource.id", name)
    .with("index_uuid", "_na_")
    .with("index", name)
}

pub(crate) fn validate_index_name(name: &str) -> Result<(), OsError> {
    let bad = |why: &str| {
        OsError::bad_request(
            "invalid_index_name_exception",
            format!("Invalid index name [{name}], {why}"),
        )
        .with("index_uuid", "_na_")
        .with("index", name)
    };
    if name.to_lowercase() != name {
        return Err(bad("must be lowercase"));
    }
    if name.starts_with('_') || name.starts_with('-') || name.starts_with('+') {
        return Err(bad("must not start with '_', '-', or '+'"));
    }
    if name.chars().any(|c| {
        matches!(
            c,
            '\\' | '/' | '*' | '?' | '"' | '<' | '>' | '|' | ' ' | ',' | '#' | ':'
        )
    }) {
        return Err(bad(
            "must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?]",
        ));
    }
    if name == "." || name == ".." {
        return Err(bad("must not be '.' or '..'"));
    }
    Ok(())
}

pub(crate) fn new_uuid() -> String {
    use base64::Engine as _;
    let id = uuid::Uuid::new_v4();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&id.as_bytes()[..16])[..22].to_string()
}

/// Creates an index from the matching templates plus the request body.
pub(crate) fn create_index(
    c: &mut Cluster,
    name: &str,
    body: Option<&Value>,
) -> Result<(), OsError> {
    validate_index_name(name)?;
    if let Some(existing) = c.indices.get(name) {
        return Err(OsError::bad_request(
            "resource_already_exists_exception",
            format!("index [{name}/{}] already exists", existing.uuid),
        )
        .with("index_uuid", existing.uuid.clone())
        .with("index", name));
    }
    let mut settings = FlatSettings::new();
    let mut mappings = Map::new();
    let mut aliases = Map::new();
    for layer in layers_for(c, name) {
        if let Some(s) = layer.settings {
            settings.extend(s);
        }
        if let Some(m) = layer.mappings {
            merge_mappings(&mut mappings, &m)
                .map_err(|r| OsError::bad_request("mapper_parsing_exception", r))?;
        }
        if let Some(a) = layer.aliases {
            aliases.extend(a);
        }
    }
    if let Some(body) = body {
        let Some(map) = body.as_object() else {
            return Err(OsError::bad_request(
                "parse_exception",
                "request body must be an object",
            ));
        };
        for (k, v) in map {
            match k.as_str() {
                "settings" => {
                    let s = super::normalize::settings_from_request(v)?;
                    for key in s.keys() {
                        if !super::normalize::is_known_index_setting(key) {
                            return Err(OsError::illegal_argument(
                                super::normalize::unknown_setting_message(key),
                            ));
                        }
                    }
                    if let Some(e) = super::normalize::setting_value_errors(&s)
                        .into_iter()
                        .next()
                    {
                        return Err(OsError::illegal_argument(e));
                    }
                    settings.extend(s);
                }
                "mappings" => {
                    // RestCreateIndexAction.prepareMappings.
                    if v.as_object()
                        .is_some_and(|m| m.len() == 1 && m.contains_key("_doc"))
                    {
                        return Err(OsError::illegal_argument(
                            "The mapping definition cannot be nested under a type",
                        ));
                    }
                    let m = mappings_from_request(v)?;
                    merge_mappings(&mut mappings, &m)
                        .map_err(|r| OsError::bad_request("mapper_parsing_exception", r))?;
                }
                "aliases" => aliases.extend(aliases_from_request(v)?),
                other => {
                    return Err(OsError::bad_request(
                        "parse_exception",
                        format!("unknown key [{other}] for create index"),
                    ));
                }
            }
        }
    }
    // MapperService.checkTotalFieldsLimit: objects, leaves and multi-fields count.
    let limit: usize = settings
        .get("index.mapping.total_fields.limit")
        .and_then(Value::as_str)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let total = mappings
        .get("properties")
        .and_then(Value::as_object)
        .map_or(0, count_fields);
    if total > limit {
        return Err(OsError::illegal_argument(format!(
            "Limit of total fields [{limit}] in index [{name}] has been exceeded"
        )));
    }
    let uuid = new_uuid();
    settings
        .entry("index.number_of_shards".into())
        .or_insert_with(|| json!("1"));
    settings
        .entry("index.number_of_replicas".into())
        .or_insert_with(|| json!("1"));
    settings.insert(
        "index.creation_date".into(),
        json!(now_millis().to_string()),
    );
    if c.version_at_least(2, 7) {
        // Segment replication arrived in 2.7; every index reports its replication type since.
        settings
            .entry("index.replication.type".into())
            .or_insert_with(|| json!("DOCUMENT"));
    }
    settings.insert("index.uuid".into(), json!(uuid.clone()));
    settings.insert("index.provided_name".into(), json!(name));
    settings.insert("index.version.created".into(), json!(c.version_id()));
    c.indices.insert(
        name.to_string(),
        Index {
            uuid,
            settings,
            mappings,
            aliases,
            docs: BTreeMap::new(),
            seq_no: -1,
        },
    );
    Ok(())
}

pub(crate) fn put_index(c: &mut Cluster, req: &Req, name: &str) -> OsResult {
    let body = if req.body.is_empty() {
        None
    } else {
        Some(parse_json_body(req)?)
    };
    create_index(c, name, body.as_ref())?;
    Ok(Resp::ok(
        json!({"acknowledged": true, "shards_acknowledged": true, "index": name}),
    ))
}

fn resolve(c: &Cluster, expr: &str) -> Result<Vec<String>, OsError> {
    let mut out = Vec::new();
    for part in expr.split(',') {
        if part == "_all" || part == "*" {
            out.extend(
                c.indices
                    .keys()
                    .filter(|k| !k.starts_with('.') || part == "_all")
                    .cloned(),
            );
        } else if part.contains('*') {
            out.extend(c.indices.keys().filter(|k| simple_match(part, k)).cloned());
        } else if c.indices.contains_key(part) {
            out.push(part.to_string());
        } else if let Some((n, _)) = c.indices.iter().find(|(_, i)| i.aliases.contains_key(part)) {
            out.push(n.clone());
        } else {
            return Err(index_not_found(part));
        }
    }
    out.dedup();
    Ok(out)
}

pub(crate) fn get_index(c: &Cluster, req: &Req, expr: &str) -> OsResult {
    let names = resolve(c, expr)?;
    let flat = req.flag("flat_settings");
    let mut out = Map::new();
    for n in names {
        let i = &c.indices[&n];
        out.insert(
            n.clone(),
            json!({
                "aliases": i.aliases,
                "mappings": java_hash_order(&Value::Object(i.mappings.clone())),
                "settings": settings_to_value(&i.settings, flat),
            }),
        );
    }
    Ok(Resp::ok(Value::Object(out)))
}

/// GET /{index}/_mapping and /{index}/_settings: one part of GET /{index}.
pub(crate) fn get_part(c: &Cluster, req: &Req, expr: &str, part: &str) -> OsResult {
    let names = resolve(c, expr)?;
    let flat = req.flag("flat_settings");
    let mut out = Map::new();
    for n in names {
        let i = &c.indices[&n];
        let v = if part == "mappings" {
            java_hash_order(&Value::Object(i.mappings.clone()))
        } else {
            settings_to_value(&i.settings, flat)
        };
        out.insert(n.clone(), json!({ part: v }));
    }
    Ok(Resp::ok(Value::Object(out)))
}

/// PUT /{index}/_mapping: a mapping update. New fields are added and objects merged; a leaf
/// whose type changes is refused as MapperService refuses it.
pub(crate) fn put_mapping(c: &mut Cluster, req: &Req, expr: &str) -> OsResult {
    let body = parse_json_body(req)?;
    let names = resolve(c, expr)?;
    for n in &names {
        let index = &c.indices[n];
        if let (Some(old), Some(new)) = (
            index.mappings.get("properties").and_then(Value::as_object),
            body.get("properties").and_then(Value::as_object),
        ) {
            if let Some(e) = type_change(old, new, "") {
                return Err(OsError::illegal_argument(e));
            }
        }
    }
    for n in names {
        let index = c.indices.get_mut(&n).expect("resolved");
        merge_mappings(&mut index.mappings, &body).map_err(OsError::illegal_argument)?;
    }
    Ok(Resp::ack())
}

fn type_change(old: &Map<String, Value>, new: &Map<String, Value>, path: &str) -> Option<String> {
    for (k, nd) in new {
        let full = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        let Some(od) = old.get(k) else { continue };
        if let (Some(op), Some(np)) = (
            od.get("properties").and_then(Value::as_object),
            nd.get("properties").and_then(Value::as_object),
        ) {
            if let Some(e) = type_change(op, np, &full) {
                return Some(e);
            }
            continue;
        }
        let ot = od.get("type").and_then(Value::as_str).unwrap_or("object");
        let nt = nd.get("type").and_then(Value::as_str).unwrap_or("object");
        if ot != nt {
            return Some(format!(
                "mapper [{full}] cannot be changed from type [{ot}] to [{nt}]"
            ));
        }
    }
    None
}

pub(crate) fn head_index(c: &Cluster, expr: &str) -> OsResult {
    match resolve(c, expr) {
        Ok(n) if !n.is_empty() => Ok(Resp::empty(200)),
        _ => Ok(Resp::empty(404)),
    }
}

pub(crate) fn delete_index(c: &mut Cluster, expr: &str) -> OsResult {
    let names = resolve(c, expr)?;
    for n in names {
        c.indices.remove(&n);
    }
    Ok(Resp::ack())
}
