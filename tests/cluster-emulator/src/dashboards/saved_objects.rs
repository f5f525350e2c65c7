//! `/api/saved_objects` and the advanced settings (the `config` object).

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::http::{boom, boom_value, iso_now, Req, Resp};

/// The latest migration version of each type (OSD 1.x-3.x, inherited from Kibana 7.10.2);
/// `None` for registered types without migrations.
pub(crate) const TYPES: &[(&str, Option<&str>)] = &[
    ("config", Some("7.9.0")),
    ("index-pattern", Some("7.6.0")),
    ("visualization", Some("7.10.0")),
    ("dashboard", Some("7.9.3")),
    ("search", Some("7.9.3")),
    ("query", None),
    ("url", None),
    ("augment-vis", None),
    ("visualization-visbuilder", None),
    ("homepage", None),
    ("observability-panel", None),
    ("observability-visualization", None),
    ("observability-savedquery", None),
];

pub(crate) fn is_known_type(t: &str) -> bool {
    TYPES.iter().any(|(n, _)| *n == t)
}

fn latest(t: &str) -> Option<&'static str> {
    TYPES.iter().find(|(n, _)| *n == t).and_then(|(_, v)| *v)
}

#[derive(Debug, Clone)]
pub(crate) struct SavedObject {
    pub(crate) type_: String,
    pub(crate) id: String,
    pub(crate) attributes: Value,
    pub(crate) references: Value,
    pub(crate) migration_version: Option<Value>,
    pub(crate) updated_at: String,
    pub(crate) seq_no: i64,
    pub(crate) origin_id: Option<String>,
    /// Creation order, which is the order an unsorted `_find` returns.
    pub(crate) created: u64,
    /// The `_version` of the document in the tenant index.
    pub(crate) doc_version: i64,
}

/// One tenant's saved objects (one `.kibana` tenant index).
#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) objects: BTreeMap<(String, String), SavedObject>,
    pub(crate) seq_no: i64,
    pub(crate) counter: u64,
}

impl Default for Store {
    fn default() -> Store {
        Store {
            objects: BTreeMap::new(),
            seq_no: -1,
            counter: 0,
        }
    }
}

pub(crate) fn encode_version(seq_no: i64) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("[{seq_no},1]"))
}

fn decode_version(v: &str) -> Option<(i64, i64)> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(v).ok()?;
    let parsed: Vec<i64> = serde_json::from_slice(&bytes).ok()?;
    match parsed.as_slice() {
        [s, t] => Some((*s, *t)),
        _ => None,
    }
}

pub(crate) fn not_found(t: &str, id: &str) -> Value {
    boom_value(404, &format!("Saved object [{t}/{id}] not found"))
}

pub(crate) fn conflict(t: &str, id: &str) -> Value {
    boom_value(409, &format!("Saved object [{t}/{id}] conflict"))
}

pub(crate) fn unsupported(t: &str) -> Value {
    boom_value(
        400,
        &format!("Unsupported saved object type: '{t}': Bad Request"),
    )
}

fn single_namespace(_t: &str) -> Value {
    json!(["default"])
}

impl SavedObject {
    /// The shape of get, _find and _bulk_get items.
    pub(crate) fn to_value(&self, fields: Option<&[String]>) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        m.insert("type".into(), json!(self.type_));
        m.insert("namespaces".into(), single_namespace(&self.type_));
        if let Some(o) = &self.origin_id {
            m.insert("originId".into(), json!(o));
        }
        m.insert("updated_at".into(), json!(self.updated_at));
        m.insert("version".into(), json!(encode_version(self.seq_no)));
        let attributes = match (fields, self.attributes.as_object()) {
            (Some(f), Some(a)) => Value::Object(
                a.iter()
                    .filter(|(k, _)| f.iter().any(|x| x == *k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
            _ => self.attributes.clone(),
        };
        m.insert("attributes".into(), attributes);
        m.insert("references".into(), self.references.clone());
        if let Some(mv) = &self.migration_version {
            m.insert("migrationVersion".into(), mv.clone());
        }
        Value::Object(m)
    }

    /// The shape create and _bulk_create return (rawToSavedObject, namespaces appended).
    pub(crate) fn to_created_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("type".into(), json!(self.type_));
        m.insert("id".into(), json!(self.id));
        if let Some(o) = &self.origin_id {
            m.insert("originId".into(), json!(o));
        }
        m.insert("attributes".into(), self.attributes.clone());
        m.insert("references".into(), self.references.clone());
        if let Some(mv) = &self.migration_version {
            m.insert("migrationVersion".into(), mv.clone());
        }
        m.insert("updated_at".into(), json!(self.updated_at));
        m.insert("version".into(), json!(encode_version(self.seq_no)));
        m.insert("namespaces".into(), single_namespace(&self.type_));
        Value::Object(m)
    }
}

fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parse = |s: &str| -> Vec<u64> { s.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    parse(a).cmp(&parse(b))
}

/// `markAsUpToDate` when no migrationVersion is given; otherwise a 422 for versions newer than
/// the server knows. Migration transforms themselves are not run (see README).
pub(crate) fn migrate(t: &str, id: &str, given: Option<&Value>) -> Result<Option<Value>, Resp> {
    let Some(latest_version) = latest(t) else {
        // Types without migrations: a given migrationVersion newer than nothing is still an error.
        if let Some(Value::Object(m)) = given {
            if let Some((prop, v)) = m.iter().next() {
                return Err(boom(
                    422,
                    format!(
                        "Document \"{id}\" has property \"{prop}\" which belongs to a more recent version of OpenSearch Dashboards [{}]. The last known version is [undefined]",
                        v.as_str().unwrap_or("")
                    ),
                ));
            }
        }
        return Ok(None);
    };
    if let Some(Value::Object(m)) = given {
        for (prop, v) in m {
            let vs = v.as_str().unwrap_or("");
            let known = if prop == t {
                Some(latest_version)
            } else {
                None
            };
            match known {
                Some(k) if compare_versions(vs, k) != std::cmp::Ordering::Greater => {}
                _ => {
                    return Err(boom(
                        422,
                        format!(
                            "Document \"{id}\" has property \"{prop}\" which belongs to a more recent version of OpenSearch Dashboards [{vs}]. The last known version is [{}]",
                            known.unwrap_or("undefined")
                        ),
                    ));
                }
            }
        }
    }
    Ok(Some(json!({ t: latest_version })))
}

/// The route schemas' check of `references`: an array of `{name, type, id}` strings.
fn check_references(v: Option<&Value>, path: &str) -> Result<(), Resp> {
    let Some(v) = v else { return Ok(()) };
    let Some(items) = v.as_array() else {
        return Err(boom(
            400,
            format!(
                "[{path}.references]: expected value of type [array] but got [{}]",
                js_type(v)
            ),
        ));
    };
    for (i, r) in items.iter().enumerate() {
        let Some(m) = r.as_object() else {
            return Err(boom(400, format!("[{path}.references.{i}]: expected a plain object value, but found [{}] instead.", js_type(r))));
        };
        for key in ["name", "type", "id"] {
            match m.get(key) {
                Some(Value::String(_)) => {}
                Some(other) => {
                    return Err(boom(
                        400,
                        format!("[{path}.references.{i}.{key}]: expected value of type [string] but got [{}]", js_type(other)),
                    ));
                }
                None => {
                    return Err(boom(
                        400,
                        format!("[{path}.references.{i}.{key}]: expected value of type [string] but got [undefined]"),
                    ));
                }
            }
        }
        if let Some(extra) = m
            .keys()
            .find(|k| !["name", "type", "id"].contains(&k.as_str()))
        {
            return Err(boom(
                400,
                format!("[{path}.references.{i}.{extra}]: definition for this key is missing"),
            ));
        }
    }
    Ok(())
}

fn js_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

fn parse_body(req: &Req) -> Result<Value, Resp> {
    if req.body.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&req.body).map_err(|_| boom(400, "Invalid request payload JSON format"))
}

fn new_id() -> String {
    uuid::Uuid::now_v1(&[0x0e, 0x4d, 0x75, 0x6c, 0x61, 0x74]).to_string()
}

pub(crate) enum WriteError {
    Conflict,
    Resp(Resp),
}

pub(crate) struct NewObject {
    pub(crate) type_: String,
    pub(crate) id: Option<String>,
    pub(crate) attributes: Value,
    pub(crate) references: Value,
    pub(crate) migration_version: Option<Value>,
    pub(crate) version: Option<String>,
    pub(crate) origin_id: Option<String>,
}

impl Store {
    /// Writes one object as the repository does: `create` (409 when it exists) without
    /// overwrite, an index conditional on `version` with it.
    pub(crate) fn write(
        &mut self,
        o: NewObject,
        overwrite: bool,
    ) -> Result<SavedObject, WriteError> {
        let id = o.id.clone().unwrap_or_else(new_id);
        let key = (o.type_.clone(), id.clone());
        let existing = self.objects.get(&key);
        if !overwrite && existing.is_some() {
            return Err(WriteError::Conflict);
        }
        if let (true, Some(v)) = (overwrite, o.version.as_deref()) {
            let ok = existing.is_some_and(|e| decode_version(v) == Some((e.seq_no, 1)));
            if !ok {
                return Err(WriteError::Conflict);
            }
        }
        let migration_version =
            migrate(&o.type_, &id, o.migration_version.as_ref()).map_err(WriteError::Resp)?;
        self.seq_no += 1;
        self.counter += 1;
        let created = existing.map_or(self.counter, |e| e.created);
        let doc_version = existing.map_or(1, |e| e.doc_version + 1);
        let obj = SavedObject {
            type_: o.type_,
            id,
            attributes: o.attributes,
            references: o.references,
            migration_version,
            updated_at: iso_now(),
            seq_no: self.seq_no,
            origin_id: o.origin_id,
            created,
            doc_version,
        };
        self.objects.insert(key, obj.clone());
        Ok(obj)
    }
}

fn new_object(t: &str, id: Option<String>, body: &Value) -> NewObject {
    NewObject {
        type_: t.to_string(),
        id,
        attributes: body.get("attributes").cloned().unwrap_or(json!({})),
        references: body.get("references").cloned().unwrap_or(json!([])),
        migration_version: body.get("migrationVersion").cloned(),
        version: body
            .get("version")
            .and_then(Value::as_str)
            .map(str::to_string),
        origin_id: body
            .get("originId")
            .and_then(Value::as_str)
            .map(str::to_string),
    }
}

pub(crate) fn create(store: &mut Store, req: &Req, t: &str, id: Option<&str>) -> Resp {
    let body = match parse_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if !body.get("attributes").is_some_and(Value::is_object) {
        return boom(
            400,
            "[request body.attributes]: expected value of type [object] but got [undefined]",
        );
    }
    if let Some(keys) = body.as_object() {
        for k in keys.keys() {
            if ![
                "attributes",
                "migrationVersion",
                "references",
                "initialNamespaces",
                "workspaces",
                "permissions",
            ]
            .contains(&k.as_str())
            {
                return boom(
                    400,
                    format!("[request body.{k}]: definition for this key is missing"),
                );
            }
        }
    }
    if let Err(r) = check_references(body.get("references"), "request body") {
        return r;
    }
    if !is_known_type(t) {
        return Resp::json(400, unsupported(t));
    }
    let overwrite = req.flag("overwrite");
    // A single create without an id gets a uuid v4 (serializer.generateRawId); _bulk_create uses v1.
    let mut o = new_object(
        t,
        Some(id.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string)),
        &body,
    );
    o.version = None;
    let existing_version = id
        .and_then(|i| store.objects.get(&(t.to_string(), i.to_string())))
        .map(|e| e.doc_version);
    match store.write(o, overwrite) {
        Ok(obj) => Resp::ok(obj.to_created_value()),
        Err(WriteError::Conflict) => boom(
            409,
            format!(
                "[{t}:{}]: version conflict, document already exists (current version [{}]): version_conflict_engine_exception",
                id.unwrap_or(""),
                existing_version.unwrap_or(1)
            ),
        ),
        Err(WriteError::Resp(r)) => r,
    }
}

pub(crate) fn get(store: &Store, t: &str, id: &str) -> Resp {
    match store.objects.get(&(t.to_string(), id.to_string())) {
        Some(o) if is_known_type(t) => Resp::ok(o.to_value(None)),
        _ => Resp::json(404, not_found(t, id)),
    }
}

fn deep_merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                match t.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => {
                        deep_merge(existing, v)
                    }
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// A partial update: attributes deep-merged (arrays replaced), nothing removed.
pub(crate) fn update(store: &mut Store, req: &Req, t: &str, id: &str) -> Resp {
    let body = match parse_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(attrs) = body.get("attributes").filter(|a| a.is_object()) else {
        return boom(
            400,
            "[request body.attributes]: expected value of type [object] but got [undefined]",
        );
    };
    if !is_known_type(t) {
        return Resp::json(404, not_found(t, id));
    }
    let key = (t.to_string(), id.to_string());
    let Some(existing) = store.objects.get(&key).cloned() else {
        return Resp::json(404, not_found(t, id));
    };
    if let Some(v) = body.get("version").and_then(Value::as_str) {
        match decode_version(v) {
            Some((s, p)) if s == existing.seq_no && p == 1 => {}
            Some((s, p)) => {
                return boom(
                    409,
                    format!(
                        "[{t}:{id}]: version conflict, required seqNo [{s}], primary term [{p}]. current document has seqNo [{}] and primary term [1]: version_conflict_engine_exception",
                        existing.seq_no
                    ),
                );
            }
            None => return boom(400, format!("Invalid version [{v}]")),
        }
    }
    let mut merged = existing.attributes.clone();
    deep_merge(&mut merged, attrs);
    store.seq_no += 1;
    let mut obj = existing;
    obj.attributes = merged;
    if let Some(r) = body.get("references") {
        obj.references = r.clone();
    }
    obj.updated_at = iso_now();
    obj.seq_no = store.seq_no;
    obj.doc_version += 1;
    store.objects.insert(key, obj.clone());
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("type".into(), json!(t));
    m.insert("updated_at".into(), json!(obj.updated_at));
    m.insert("version".into(), json!(encode_version(obj.seq_no)));
    m.insert("namespaces".into(), single_namespace(t));
    if let Some(r) = body.get("references") {
        m.insert("references".into(), r.clone());
    }
    m.insert("attributes".into(), attrs.clone());
    Resp::ok(Value::Object(m))
}

pub(crate) fn delete(store: &mut Store, t: &str, id: &str) -> Resp {
    if store
        .objects
        .remove(&(t.to_string(), id.to_string()))
        .is_some()
    {
        store.seq_no += 1;
        Resp::ok(json!({}))
    } else {
        Resp::json(404, not_found(t, id))
    }
}

pub(crate) fn bulk_get(store: &Store, req: &Req) -> Resp {
    let body = match parse_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(items) = body.as_array() else {
        return boom(
            400,
            "[request body]: expected value of type [array] but got [Object]",
        );
    };
    // Each found object is written straight from the store (`ItemView`), not copied into a
    // `Value` first: a plan of thousands of objects reads them all in a few batches.
    let out: Vec<BulkGetItem<'_>> = items
        .iter()
        .map(|i| {
            let t = i.get("type").and_then(Value::as_str).unwrap_or("");
            let id = i.get("id").and_then(Value::as_str).unwrap_or("");
            let fields: Option<Vec<String>> = i.get("fields").and_then(Value::as_array).map(|f| {
                f.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            });
            if !is_known_type(t) {
                return BulkGetItem::Error(json!({"id": id, "type": t, "error": unsupported(t)}));
            }
            match store.objects.get(&(t.to_string(), id.to_string())) {
                Some(o) => BulkGetItem::Found(ItemView { object: o, fields }),
                None => BulkGetItem::Error(json!({"id": id, "type": t, "error": not_found(t, id)})),
            }
        })
        .collect();
    let mut bytes = Vec::new();
    let answer = BulkGetAnswer { saved_objects: out };
    if let Err(e) = serde_json::to_writer(&mut bytes, &answer) {
        return boom(500, format!("cannot write the answer: {e}"));
    }
    Resp {
        status: 200,
        headers: Vec::new(),
        body: crate::http::Body::Raw {
            content_type: "application/json; charset=UTF-8".to_string(),
            bytes: bytes.into(),
        },
    }
}

/// The `_bulk_get` answer, written from borrowed items.
#[derive(serde::Serialize)]
struct BulkGetAnswer<'a> {
    saved_objects: Vec<BulkGetItem<'a>>,
}

#[derive(serde::Serialize)]
#[serde(untagged)]
enum BulkGetItem<'a> {
    Found(ItemView<'a>),
    Error(Value),
}

/// A saved object in the shape of [`SavedObject::to_value`] (the same keys in the same order),
/// written without building that value.
struct ItemView<'a> {
    object: &'a SavedObject,
    fields: Option<Vec<String>>,
}

/// The attributes, only the `fields` asked for when there are some.
struct FieldsView<'a> {
    attributes: &'a Map<String, Value>,
    fields: &'a [String],
}

impl serde::Serialize for FieldsView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in self.attributes {
            if self.fields.iter().any(|x| x == k) {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

impl serde::Serialize for ItemView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let o = self.object;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &o.id)?;
        map.serialize_entry("type", &o.type_)?;
        map.serialize_entry("namespaces", &single_namespace(&o.type_))?;
        if let Some(origin) = &o.origin_id {
            map.serialize_entry("originId", origin)?;
        }
        map.serialize_entry("updated_at", &o.updated_at)?;
        map.serialize_entry("version", &encode_version(o.seq_no))?;
        match (&self.fields, o.attributes.as_object()) {
            (Some(fields), Some(attributes)) => {
                map.serialize_entry("attributes", &FieldsView { attributes, fields })?
            }
            _ => map.serialize_entry("attributes", &o.attributes)?,
        }
        map.serialize_entry("references", &o.references)?;
        if let Some(mv) = &o.migration_version {
            map.serialize_entry("migrationVersion", mv)?;
        }
        map.end()
    }
}

pub(crate) fn bulk_create(store: &mut Store, req: &Req) -> Resp {
    let body = match parse_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(items) = body.as_array() else {
        return boom(
            400,
            "[request body]: expected value of type [array] but got [Object]",
        );
    };
    for (n, i) in items.iter().enumerate() {
        if let Err(r) = check_references(i.get("references"), &format!("request body.{n}")) {
            return r;
        }
        if !i.get("type").is_some_and(Value::is_string) {
            return boom(
                400,
                format!(
                    "[request body.{n}.type]: expected value of type [string] but got [undefined]"
                ),
            );
        }
        if !i.get("attributes").is_some_and(Value::is_object) {
            return boom(400, format!("[request body.{n}.attributes]: expected value of type [object] but got [undefined]"));
        }
        // routes/bulk_create.ts: each item is a config-schema object, which refuses a key it
        // does not declare, failing the whole request.
        if let Some(extra) = i.as_object().and_then(|m| {
            m.keys().find(|k| {
                ![
                    "type",
                    "id",
                    "attributes",
                    "version",
                    "migrationVersion",
                    "references",
                    "initialNamespaces",
                ]
                .contains(&k.as_str())
            })
        }) {
            return boom(
                400,
                format!("[request body.{n}.{extra}]: definition for this key is missing"),
            );
        }
    }
    let overwrite = req.flag("overwrite");
    // repository.ts bulkCreate decodes each `version` (with overwrite) while building the one
    // bulk request: a malformed one fails the request (createInvalidVersionError), not an item.
    if overwrite {
        for i in items {
            if let Some(v) = i.get("version").and_then(Value::as_str) {
                if decode_version(v).is_none() {
                    return boom(400, format!("Invalid version [{v}]"));
                }
            }
        }
    }
    // A migrationVersion newer than the server's fails the whole request.
    for i in items {
        let t = i.get("type").and_then(Value::as_str).unwrap_or("");
        let id = i.get("id").and_then(Value::as_str).unwrap_or("");
        if is_known_type(t) {
            if let Err(r) = migrate(t, id, i.get("migrationVersion")) {
                return r;
            }
        }
    }
    let out: Vec<Value> = items
        .iter()
        .map(|i| {
            let t = i
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let id = i.get("id").and_then(Value::as_str).map(str::to_string);
            if !is_known_type(&t) {
                return json!({"id": id, "type": t, "error": unsupported(&t)});
            }
            match store.write(new_object(&t, id.clone(), i), overwrite) {
                Ok(obj) => obj.to_created_value(),
                Err(WriteError::Conflict) => {
                    json!({"id": id, "type": t, "error": conflict(&t, id.as_deref().unwrap_or(""))})
                }
                Err(WriteError::Resp(_)) => {
                    json!({"id": id, "type": t, "error": boom_value(422, "Unprocessable Entity")})
                }
            }
        })
        .collect();
    Resp::ok(json!({"saved_objects": out}))
}

pub(crate) fn bulk_update(store: &mut Store, req: &Req) -> Resp {
    let body = match parse_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(items) = body.as_array() else {
        return boom(
            400,
            "[request body]: expected value of type [array] but got [Object]",
        );
    };
    let mut out = Vec::new();
    for i in items {
        let t = i
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let id = i
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let sub = Req {
            body: bytes::Bytes::from(i.to_string()),
            ..req.clone()
        };
        let r = update(store, &sub, &t, &id);
        match r.body {
            crate::http::Body::Json(v) if r.status == 200 => out.push(v),
            crate::http::Body::Json(v) => out.push(json!({"id": id, "type": t, "error": v})),
            _ => {}
        }
    }
    Resp::ok(json!({"saved_objects": out}))
}

/// Whether an object matches a `simple_query_string` search (terms OR-ed unless
/// `default_search_operator=AND`, a trailing `*` for prefixes) on the given fields.
fn matches_search(o: &SavedObject, search: &str, fields: &[String], and: bool) -> bool {
    let terms: Vec<String> = search
        .split_whitespace()
        .map(|t| t.trim_matches('"').to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    if terms.is_empty() {
        return true;
    }
    let mut words: Vec<String> = Vec::new();
    if let Some(a) = o.attributes.as_object() {
        for (k, v) in a {
            let wanted = fields.is_empty()
                || fields
                    .iter()
                    .any(|f| f.split('^').next() == Some(k.as_str()));
            if let (true, Some(s)) = (wanted, v.as_str()) {
                words.extend(
                    s.split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(str::to_lowercase),
                );
            }
        }
    }
    let hit = |t: &String| {
        if let Some(prefix) = t.strip_suffix('*') {
            words.iter().any(|w| w.starts_with(prefix))
        } else {
            words.iter().any(|w| w == t)
        }
    };
    if and {
        terms.iter().all(hit)
    } else {
        terms.iter().any(hit)
    }
}

pub(crate) fn find(store: &Store, req: &Req) -> Resp {
    // The route's query schema (routes/find.ts): unknown keys are refused, repeated keys make
    // arrays, commas are not separators.
    const KEYS: &[&str] = &[
        "per_page",
        "page",
        "type",
        "search",
        "default_search_operator",
        "search_fields",
        "sort_field",
        "has_reference",
        "fields",
        "filter",
        "namespaces",
        "workspaces",
    ];
    for (k, _) in &req.query {
        if !KEYS.contains(&k.as_str())
            && !["securitytenant", "securityTenant_", "security_tenant"].contains(&k.as_str())
        {
            return boom(
                400,
                format!("[request query.{k}]: definition for this key is missing"),
            );
        }
    }
    let types: Vec<String> = req.params("type").iter().map(|t| t.to_string()).collect();
    if types.is_empty() {
        return boom(
            400,
            "[request query.type]: expected at least one defined value but got [undefined]",
        );
    }
    let number = |name: &str, default: i64| -> Result<i64, Resp> {
        match req.param(name) {
            None => Ok(default),
            Some(v) => match v.parse::<f64>() {
                Ok(n) if n >= 0.0 && n.fract() == 0.0 => Ok(n as i64),
                Ok(n) if n < 0.0 => Err(boom(
                    400,
                    format!("[request query.{name}]: Value must be equal to or greater than [0]."),
                )),
                _ => Err(boom(
                    400,
                    format!(
                        "[request query.{name}]: expected value of type [number] but got [string]"
                    ),
                )),
            },
        }
    };
    let per_page = match number("per_page", 20) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let page = match number("page", 1) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let from = per_page * (page - 1);
    if from < 0 {
        return boom(
            400,
            format!(
                "[from] parameter cannot be negative, found [{from}]: illegal_argument_exception"
            ),
        );
    }
    // size/from go to the index as they are: past index.max_result_window the search fails.
    if from + per_page > 10_000 {
        return boom(400, "all shards failed: search_phase_execution_exception");
    }
    let (per_page, page) = (
        usize::try_from(per_page).unwrap_or(0),
        usize::try_from(page).unwrap_or(1),
    );
    let fields: Option<Vec<String>> = {
        let f: Vec<String> = req.params("fields").iter().map(|t| t.to_string()).collect();
        if f.is_empty() {
            None
        } else {
            Some(f)
        }
    };
    let search_fields: Vec<String> = req
        .params("search_fields")
        .iter()
        .map(|t| t.to_string())
        .collect();
    let and = req.param("default_search_operator") == Some("AND");
    let has_ref: Option<Value> = req
        .param("has_reference")
        .and_then(|s| serde_json::from_str(s).ok());
    let mut hits: Vec<&SavedObject> = store
        .objects
        .values()
        .filter(|o| types.contains(&o.type_) && is_known_type(&o.type_))
        .filter(|o| {
            req.param("search")
                .is_none_or(|s| matches_search(o, s, &search_fields, and))
        })
        .filter(|o| {
            has_ref.as_ref().is_none_or(|r| {
                o.references.as_array().is_some_and(|refs| {
                    refs.iter()
                        .any(|x| x.get("type") == r.get("type") && x.get("id") == r.get("id"))
                })
            })
        })
        .collect();
    hits.sort_by_key(|o| o.created);
    if let Some(sf) = req.param("sort_field") {
        let key = |o: &SavedObject| -> String {
            match sf {
                "type" => o.type_.clone(),
                "updated_at" => o.updated_at.clone(),
                other => o
                    .attributes
                    .get(other)
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .unwrap_or_default(),
            }
        };
        hits.sort_by_key(|o| key(o));
    }
    let total = hits.len();
    let page_items: Vec<Value> = hits
        .into_iter()
        .skip(per_page * page.saturating_sub(1))
        .take(per_page)
        .map(|o| {
            // find hits go through rawToSavedObject: the create/bulk_create key order.
            let mut v = o.to_created_value();
            if let (Some(f), Some(a)) = (fields.as_deref(), o.attributes.as_object()) {
                v["attributes"] = Value::Object(
                    a.iter()
                        .filter(|(k, _)| f.iter().any(|x| x == *k))
                        .map(|(k, x)| (k.clone(), x.clone()))
                        .collect(),
                );
            }
            if let Some(m) = v.as_object_mut() {
                m.insert(
                    "score".into(),
                    json!(if req.param("search").is_some() {
                        1.0
                    } else {
                        0.0
                    }),
                );
            }
            v
        })
        .collect();
    Resp::ok(
        json!({"page": page, "per_page": per_page, "total": total, "saved_objects": page_items}),
    )
}

/// GET /api/opensearch-dashboards/settings: see `ui_settings`.
pub(crate) fn get_settings(store: &mut Store, version: &str) -> Resp {
    super::ui_settings::get(store, version)
}

/// POST /api/opensearch-dashboards/settings `{"changes":{..}}`: the body as `routes/set_many.ts`
/// validates it, then `ui_settings::set`.
pub(crate) fn set_settings(store: &mut Store, req: &Req, version: &str) -> Resp {
    let body = match parse_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(changes) = body.get("changes").and_then(Value::as_object) else {
        return boom(
            400,
            "[request body.changes]: expected value of type [object] but got [undefined]",
        );
    };
    super::ui_settings::set(store, changes, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(origin: Option<&str>, migration: Option<Value>) -> SavedObject {
        SavedObject {
            type_: "visualization".into(),
            id: "v1".into(),
            attributes: json!({"title": "T", "visState": "{}", "description": ""}),
            references: json!([{"type": "index-pattern", "id": "p", "name": "r"}]),
            migration_version: migration,
            updated_at: "2026-12-02T00:00:00.000Z".into(),
            seq_no: 7,
            origin_id: origin.map(str::to_string),
            created: 1,
            doc_version: 1,
        }
    }

    #[test]
    fn bulk_get_items_are_written_as_to_value_builds_them() {
        let cases = [
            object(None, None),
            object(Some("o"), Some(json!({"visualization": "7.10.0"}))),
        ];
        for o in &cases {
            for fields in [None, Some(vec!["title".to_string(), "nope".to_string()])] {
                let view = ItemView {
                    object: o,
                    fields: fields.clone(),
                };
                let written = serde_json::to_string(&view).unwrap();
                let built = serde_json::to_string(&o.to_value(fields.as_deref())).unwrap();
                assert_eq!(written, built);
            }
        }
    }
}
