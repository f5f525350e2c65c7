//! `_import` (multipart ndjson) and `_export` (ndjson with a summary line).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::saved_objects::{is_known_type, NewObject, Store, WriteError};
use super::Dashboards;
use crate::http::{boom, Req, Resp};

pub(crate) struct Upload {
    filename: String,
    bytes: bytes::Bytes,
}

/// Reads the `file` field of a multipart/form-data body.
pub(crate) async fn read_upload(req: &Req) -> Result<Upload, Resp> {
    let ct = req.header("content-type").unwrap_or("");
    let Ok(boundary) = multer::parse_boundary(ct) else {
        return Err(boom(415, "Unsupported Media Type"));
    };
    let body = req.body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = mp.next_field().await {
        if field.name() == Some("file") {
            let filename = field.file_name().unwrap_or("").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| boom(400, format!("Invalid multipart payload: {e}")))?;
            return Ok(Upload { filename, bytes });
        }
    }
    Err(boom(
        400,
        "[request body.file]: expected value of type [Stream] but got [undefined]",
    ))
}

/// `management.icon` of the registered types (types without one get no `icon` key).
fn icon(t: &str) -> Option<&'static str> {
    match t {
        "index-pattern" => Some("indexPatternApp"),
        "visualization" => Some("visualizeApp"),
        "dashboard" => Some("dashboardApp"),
        "search" => Some("discoverApp"),
        "config" => Some("advancedSettingsApp"),
        _ => None,
    }
}

fn meta(o: &Value) -> Value {
    let t = o.get("type").and_then(Value::as_str).unwrap_or("");
    let mut m = Map::new();
    if let Some(title) = o.get("attributes").and_then(|a| a.get("title")) {
        m.insert("title".into(), title.clone());
    }
    if let Some(i) = icon(t).filter(|_| is_known_type(t)) {
        m.insert("icon".into(), json!(i));
    }
    Value::Object(m)
}

pub(crate) fn import(d: &mut Dashboards, req: &Req, tenant: &str, upload: &Upload) -> Resp {
    let overwrite = req.flag("overwrite");
    let copies = req.flag("createNewCopies");
    if overwrite && copies {
        return boom(
            400,
            "[request query]: cannot use [overwrite] with [createNewCopies]",
        );
    }
    // path.extname, lower-cased.
    let base = upload.filename.rsplit('/').next().unwrap_or("");
    let ext = match base.rfind('.') {
        Some(i) if i > 0 => base[i..].to_lowercase(),
        _ => String::new(),
    };
    if ext != ".ndjson" {
        return boom(400, format!("Invalid file extension {ext}"));
    }
    let text = String::from_utf8_lossy(&upload.bytes).into_owned();
    let mut objects = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            return boom(
                400,
                format!(
                    "Unexpected token in JSON: {}",
                    line.chars().take(40).collect::<String>()
                ),
            );
        };
        if v.get("exportedCount").is_some() {
            continue;
        }
        objects.push(v);
    }
    if objects.len() > 10_000 {
        return boom(400, "Can't import more than 10000 objects");
    }
    // collect_saved_objects.ts: the same type:id twice in one file fails the whole import
    // (getNonUniqueEntries, in order of first appearance, then createBadRequestError).
    let mut counts: Vec<(String, usize)> = Vec::new();
    for o in &objects {
        let key = format!(
            "{}:{}",
            o["type"].as_str().unwrap_or(""),
            o["id"].as_str().unwrap_or("")
        );
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }
    let repeated: Vec<&str> = counts
        .iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(k, _)| k.as_str())
        .collect();
    if !repeated.is_empty() {
        return boom(
            400,
            format!(
                "Non-unique import objects detected: [{}]: Bad Request",
                repeated.join(",")
            ),
        );
    }
    // bulkCreate migrates every document before writing any: a migrationVersion newer than the
    // server's fails the whole import (422), with nothing written.
    for o in &objects {
        let t = o["type"].as_str().unwrap_or("");
        if is_known_type(t) {
            if let Err(r) = super::saved_objects::migrate(
                t,
                o["id"].as_str().unwrap_or(""),
                o.get("migrationVersion"),
            ) {
                return r;
            }
        }
    }
    let store = d.store(tenant);
    // Errors come out grouped as importSavedObjectsFromStream accumulates them: unsupported
    // types (collect), missing references (validate), conflicts (check), then write failures.
    let mut unsupported_errors: Vec<Value> = Vec::new();
    let mut reference_errors: Vec<Value> = Vec::new();
    let mut errors: Vec<Value> = Vec::new();
    let mut successes: Vec<Value> = Vec::new();
    let mut pending = Vec::new();
    let in_file: BTreeSet<(String, String)> = objects
        .iter()
        .map(|o| {
            (
                o["type"].as_str().unwrap_or("").to_string(),
                o["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    // New ids for createNewCopies, so that references between imported objects follow them.
    let mut new_ids: BTreeMap<(String, String), String> = BTreeMap::new();
    if copies {
        for k in &in_file {
            new_ids.insert(k.clone(), uuid::Uuid::new_v4().to_string());
        }
    }
    for o in &objects {
        let t = o["type"].as_str().unwrap_or("").to_string();
        let id = o["id"].as_str().unwrap_or("").to_string();
        let title = o.get("attributes").and_then(|a| a.get("title")).cloned();
        let base_err = |error: Value| {
            let mut m = Map::new();
            m.insert("id".into(), json!(id));
            m.insert("type".into(), json!(t));
            if let Some(ti) = &title {
                m.insert("title".into(), ti.clone());
            }
            m.insert("meta".into(), meta(o));
            m.insert("error".into(), error);
            Value::Object(m)
        };
        if !is_known_type(&t) {
            unsupported_errors.push(base_err(json!({"type": "unsupported_type"})));
            continue;
        }
        let refs = o.get("references").cloned().unwrap_or(json!([]));
        let missing: Vec<Value> = refs
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| {
                let k = (
                    r["type"].as_str().unwrap_or("").to_string(),
                    r["id"].as_str().unwrap_or("").to_string(),
                );
                // validate_references.ts: REF_TYPES_TO_VALIDATE is index-pattern and search.
                matches!(k.0.as_str(), "index-pattern" | "search")
                    && !in_file.contains(&k)
                    && !store.objects.contains_key(&k)
            })
            .map(|r| json!({"type": r["type"], "id": r["id"]}))
            .collect();
        if !missing.is_empty() {
            reference_errors.push(base_err(
                json!({"type": "missing_references", "references": missing}),
            ));
            continue;
        }
        let dest = if copies {
            new_ids.get(&(t.clone(), id.clone())).cloned()
        } else {
            None
        };
        let refs = if copies {
            Value::Array(
                refs.as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| {
                        let k = (
                            r["type"].as_str().unwrap_or("").to_string(),
                            r["id"].as_str().unwrap_or("").to_string(),
                        );
                        let mut r = r.clone();
                        if let Some(n) = new_ids.get(&k) {
                            r["id"] = json!(n);
                        }
                        r
                    })
                    .collect(),
            )
        } else {
            refs
        };
        let exists = store.objects.contains_key(&(t.clone(), id.clone()));
        // check_conflicts.ts: without overwrite (and without createNewCopies) an existing
        // object is a conflict; with overwrite it is a pending overwrite.
        if exists && !overwrite && !copies {
            errors.push(base_err(json!({"type": "conflict"})));
            continue;
        }
        let new = NewObject {
            type_: t.clone(),
            id: Some(dest.clone().unwrap_or_else(|| id.clone())),
            attributes: o.get("attributes").cloned().unwrap_or(json!({})),
            references: refs,
            migration_version: o.get("migrationVersion").cloned(),
            version: None,
            origin_id: if copies {
                Some(id.clone())
            } else {
                o.get("originId")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            },
        };
        pending.push((new, exists, dest, o, t.clone(), id.clone()));
    }
    // create_saved_objects.ts: with any conflict or missing-references error collected,
    // bulkCreate is not called at all; the objects without errors are still reported as the
    // created objects (successResults and successCount), though nothing was written.
    let resolvable = !reference_errors.is_empty() || !errors.is_empty();
    for (new, exists, dest, o, t, id) in pending {
        let title = o.get("attributes").and_then(|a| a.get("title")).cloned();
        let base_err = |error: Value| {
            let mut m = Map::new();
            m.insert("id".into(), json!(id));
            m.insert("type".into(), json!(t));
            if let Some(ti) = &title {
                m.insert("title".into(), ti.clone());
            }
            m.insert("meta".into(), meta(o));
            m.insert("error".into(), error);
            Value::Object(m)
        };
        let written = if resolvable {
            Ok(())
        } else {
            store.write(new, overwrite).map(drop)
        };
        match written {
            Ok(()) => {
                let mut m = Map::new();
                m.insert("type".into(), json!(t));
                m.insert("id".into(), json!(id));
                m.insert("meta".into(), meta(o));
                if overwrite && exists {
                    m.insert("overwrite".into(), json!(true));
                }
                // createNewCopy is only set for copies made to resolve a conflict, not with
                // ?createNewCopies (import_saved_objects.ts).
                if let Some(n) = dest {
                    m.insert("destinationId".into(), json!(n));
                }
                successes.push(Value::Object(m));
            }
            Err(WriteError::Conflict) => errors.push(base_err(json!({"type": "conflict"}))),
            Err(WriteError::Resp(r)) => {
                let (code, message) = match &r.body {
                    crate::http::Body::Json(v) => (r.status, v["message"].clone()),
                    _ => (r.status, json!("")),
                };
                errors.push(base_err(
                    json!({"type": "unknown", "message": message, "statusCode": code}),
                ));
            }
        }
    }
    let errors: Vec<Value> = unsupported_errors
        .into_iter()
        .chain(reference_errors)
        .chain(errors)
        .collect();
    let mut out = Map::new();
    out.insert("successCount".into(), json!(successes.len()));
    out.insert("success".into(), json!(errors.is_empty()));
    if !successes.is_empty() {
        out.insert("successResults".into(), Value::Array(successes));
    }
    if !errors.is_empty() {
        out.insert("errors".into(), Value::Array(errors));
    }
    Resp::ok(Value::Object(out))
}

/// `json-stable-stringify`: object keys sorted at every level.
fn stable(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), stable(&m[k.as_str()])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(stable).collect()),
        other => other.clone(),
    }
}

/// An exported object: the saved object without `namespaces`.
fn export_object(store: &Store, t: &str, id: &str) -> Option<Value> {
    let o = store.objects.get(&(t.to_string(), id.to_string()))?;
    let mut v = o.to_value(None);
    if let Some(m) = v.as_object_mut() {
        m.remove("namespaces");
    }
    Some(v)
}

fn key_of(v: &Value) -> (String, String) {
    (
        v["type"].as_str().unwrap_or("").to_string(),
        v["id"].as_str().unwrap_or("").to_string(),
    )
}

/// `sortObjects`: every object after the objects it references.
fn sort_objects(objects: Vec<Value>) -> Result<Vec<Value>, Resp> {
    let by_key: BTreeMap<(String, String), Value> =
        objects.iter().map(|o| (key_of(o), o.clone())).collect();
    let mut sorted: Vec<(String, String)> = Vec::new();
    let mut path: Vec<(String, String)> = Vec::new();
    fn include(
        list: &[(String, String)],
        by_key: &BTreeMap<(String, String), Value>,
        path: &mut Vec<(String, String)>,
        sorted: &mut Vec<(String, String)>,
    ) -> Result<(), Resp> {
        for k in list {
            if path.contains(k) {
                let chain: Vec<String> = path
                    .iter()
                    .chain(std::iter::once(k))
                    .map(|(t, i)| format!("{t}:{i}"))
                    .collect();
                return Err(boom(
                    400,
                    format!("circular reference: [{}]", chain.join("->")),
                ));
            }
            let refs: Vec<(String, String)> = by_key[k]["references"]
                .as_array()
                .into_iter()
                .flatten()
                .map(key_of)
                .filter(|r| by_key.contains_key(r))
                .collect();
            if !refs.is_empty() {
                path.push(k.clone());
                include(&refs, by_key, path, sorted)?;
                path.pop();
            }
            if !sorted.contains(k) {
                sorted.push(k.clone());
            }
        }
        Ok(())
    }
    let keys: Vec<(String, String)> = objects.iter().map(key_of).collect();
    include(&keys, &by_key, &mut path, &mut sorted)?;
    Ok(sorted.into_iter().map(|k| by_key[&k].clone()).collect())
}

pub(crate) fn export(store: &mut Store, req: &Req) -> Resp {
    let body: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(_) => return boom(400, "Invalid request payload JSON format"),
    };
    let deep = body
        .get("includeReferencesDeep")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let exclude_details = body
        .get("excludeExportDetails")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let types: Vec<String> = match body.get("type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let objects = body
        .get("objects")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let bad_types: Vec<&String> = types.iter().filter(|t| !is_known_type(t)).collect();
    if !bad_types.is_empty() {
        let list: Vec<&str> = bad_types.iter().map(|s| s.as_str()).collect();
        return boom(
            400,
            format!(
                "Trying to export non-exportable type(s): {}",
                list.join(", ")
            ),
        );
    }
    let bad_objects: Vec<String> = objects
        .iter()
        .map(key_of)
        .filter(|(t, _)| !is_known_type(t))
        .map(|(t, i)| format!("{t}:{i}"))
        .collect();
    if !bad_objects.is_empty() {
        return boom(
            400,
            format!(
                "Trying to export object(s) with non-exportable types: {}",
                bad_objects.join(", ")
            ),
        );
    }
    if !types.is_empty() && !objects.is_empty() {
        return boom(
            400,
            "Can't specify both \"types\" and \"objects\" properties when exporting",
        );
    }
    let mut roots: Vec<Value> = Vec::new();
    if !objects.is_empty() {
        let mut errored = Vec::new();
        for o in &objects {
            let (t, id) = key_of(o);
            match export_object(store, &t, &id) {
                Some(v) => roots.push(v),
                None => errored.push(
                    json!({"id": id, "type": t, "error": super::saved_objects::not_found(&t, &id)}),
                ),
            }
        }
        if !errored.is_empty() {
            return Resp::json(
                400,
                json!({"statusCode": 400, "error": "Bad Request", "message": "Bad Request", "attributes": {"objects": errored}}),
            );
        }
    } else if !types.is_empty() {
        let mut keys: Vec<(String, String)> = store
            .objects
            .keys()
            .filter(|(t, _)| types.contains(t))
            .cloned()
            .collect();
        keys.sort_by(|a, b| a.1.cmp(&b.1));
        roots = keys
            .iter()
            .filter_map(|(t, i)| export_object(store, t, i))
            .collect();
    } else {
        return boom(400, "Either `type` or `objects` are required.");
    }
    let mut all = roots;
    let mut missing_refs: Vec<Value> = Vec::new();
    if deep {
        let mut seen: BTreeSet<(String, String)> = all.iter().map(key_of).collect();
        let mut i = 0;
        while i < all.len() {
            let refs: Vec<(String, String)> = all[i]["references"]
                .as_array()
                .into_iter()
                .flatten()
                .map(key_of)
                .collect();
            for k in refs {
                if seen.insert(k.clone()) {
                    match export_object(store, &k.0, &k.1) {
                        Some(v) => all.push(v),
                        None => missing_refs.push(json!({"id": k.1, "type": k.0})),
                    }
                }
            }
            i += 1;
        }
    }
    let sorted = match sort_objects(all) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut lines: Vec<String> = sorted.iter().map(|o| stable(o).to_string()).collect();
    if !exclude_details {
        let details = json!({"exportedCount": sorted.len(), "missingRefCount": missing_refs.len(), "missingReferences": missing_refs});
        lines.push(stable(&details).to_string());
    }
    Resp::text(200, "application/ndjson", lines.join("\n")).with_header(
        "Content-Disposition",
        "attachment; filename=\"export.ndjson\"",
    )
}
