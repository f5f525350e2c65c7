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

fn icon(t: &str) -> &'static str {
    match t {
        "index-pattern" => "indexPatternApp",
        "visualization" => "visualizeApp",
        "dashboard" => "dashboardApp",
        "search" => "discoverApp",
        "config" => "advancedSettingsApp",
        "query" => "discoverApp",
        _ => "",
    }
}

fn meta(o: &Value) -> Value {
    let t = o.get("type").and_then(Value::as_str).unwrap_or("");
    let mut m = Map::new();
    if let Some(title) = o.get("attributes").and_then(|a| a.get("title")) {
        m.insert("title".into(), title.clone());
    }
    m.insert("icon".into(), json!(icon(t)));
    Value::Object(m)
}

pub(crate) fn import(d: &mut Dashboards, req: &Req, tenant: &str, upload: &Upload) -> Resp {
    let overwrite = req.flag("overwrite");
    let copies = req.flag("createNewCopies");
    if overwrite && copies {
        return boom(400, "cannot use [overwrite] with [createNewCopies]");
    }
    let ext = upload.filename.rsplit_once('.').map_or("", |(_, e)| e);
    if ext != "ndjson" {
        return boom(400, format!("Invalid file extension .{ext}"));
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
    let store = d.store(tenant);
    let mut errors: Vec<Value> = Vec::new();
    let mut successes: Vec<Value> = Vec::new();
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
            errors.push(base_err(json!({"type": "unsupported_type"})));
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
                !in_file.contains(&k) && !store.objects.contains_key(&k)
            })
            .map(|r| json!({"type": r["type"], "id": r["id"]}))
            .collect();
        if !missing.is_empty() {
            errors.push(base_err(
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
        match store.write(new, overwrite) {
            Ok(_) => {
                let mut m = Map::new();
                m.insert("type".into(), json!(t));
                m.insert("id".into(), json!(id));
                m.insert("meta".into(), meta(o));
                if overwrite && exists {
                    m.insert("overwrite".into(), json!(true));
                }
                if let Some(n) = dest {
                    m.insert("destinationId".into(), json!(n));
                    m.insert("createNewCopy".into(), json!(true));
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

/// An exported object: keys in alphabetical order, namespaces removed.
fn export_line(store: &Store, t: &str, id: &str) -> Option<Value> {
    let o = store.objects.get(&(t.to_string(), id.to_string()))?;
    let mut m = Map::new();
    m.insert("attributes".into(), o.attributes.clone());
    m.insert("id".into(), json!(o.id));
    if let Some(mv) = &o.migration_version {
        m.insert("migrationVersion".into(), mv.clone());
    }
    if let Some(origin) = &o.origin_id {
        m.insert("originId".into(), json!(origin));
    }
    m.insert("references".into(), o.references.clone());
    m.insert("type".into(), json!(o.type_));
    m.insert("updated_at".into(), json!(o.updated_at));
    m.insert(
        "version".into(),
        json!(super::saved_objects::encode_version(o.seq_no)),
    );
    Some(Value::Object(m))
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
    let objects = body.get("objects").and_then(Value::as_array).cloned();
    if types.is_empty() && objects.is_none() {
        return boom(400, "Either `type` or `objects` are required.");
    }
    if !types.is_empty() && objects.is_some() {
        return boom(
            400,
            "Can't specify both \"types\" and \"objects\" properties when exporting",
        );
    }
    for t in &types {
        if !is_known_type(t) {
            return boom(400, format!("Trying to export non-exportable type(s): {t}"));
        }
    }
    let mut wanted: Vec<(String, String)> = Vec::new();
    if let Some(list) = objects {
        let mut errored = Vec::new();
        for o in list {
            let t = o["type"].as_str().unwrap_or("").to_string();
            let id = o["id"].as_str().unwrap_or("").to_string();
            if store.objects.contains_key(&(t.clone(), id.clone())) {
                wanted.push((t, id));
            } else {
                errored.push(
                    json!({"id": id, "type": t, "error": super::saved_objects::not_found(&t, &id)}),
                );
            }
        }
        if !errored.is_empty() {
            return Resp::json(
                400,
                json!({"statusCode": 400, "error": "Bad Request", "message": "Error fetching objects to export", "attributes": {"objects": errored}}),
            );
        }
    } else {
        let mut all: Vec<_> = store
            .objects
            .values()
            .filter(|o| types.contains(&o.type_))
            .collect();
        all.sort_by_key(|o| o.created);
        wanted = all
            .iter()
            .map(|o| (o.type_.clone(), o.id.clone()))
            .collect();
    }
    let mut seen: BTreeSet<(String, String)> = wanted.iter().cloned().collect();
    let mut missing_refs: Vec<Value> = Vec::new();
    if deep {
        let mut i = 0;
        while i < wanted.len() {
            let (t, id) = wanted[i].clone();
            if let Some(o) = store.objects.get(&(t, id)) {
                for r in o.references.as_array().cloned().unwrap_or_default() {
                    let k = (
                        r["type"].as_str().unwrap_or("").to_string(),
                        r["id"].as_str().unwrap_or("").to_string(),
                    );
                    if seen.contains(&k) {
                        continue;
                    }
                    seen.insert(k.clone());
                    if store.objects.contains_key(&k) {
                        wanted.push(k);
                    } else {
                        missing_refs.push(json!({"type": k.0, "id": k.1}));
                    }
                }
            }
            i += 1;
        }
    }
    let mut text = String::new();
    let mut count = 0;
    for (t, id) in &wanted {
        if let Some(line) = export_line(store, t, id) {
            text.push_str(&line.to_string());
            text.push('\n');
            count += 1;
        }
    }
    if !exclude_details {
        text.push_str(&json!({"exportedCount": count, "missingRefCount": missing_refs.len(), "missingReferences": missing_refs}).to_string());
        text.push('\n');
    }
    Resp::text(200, "application/ndjson", text).with_header(
        "Content-Disposition",
        "attachment; filename=\"export.ndjson\"",
    )
}
