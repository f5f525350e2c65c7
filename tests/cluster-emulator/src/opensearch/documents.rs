//! Documents: `_doc`, `_create`, `_update`, `_bulk`, `GET _doc`, `_source`, `DELETE _doc`.
//!
//! A write goes the way `TransportBulkAction` sends it (the single-document APIs are one-item
//! bulks there too, `TransportSingleItemBulkWriteAction`): the request's pipeline, or the index's
//! `default_pipeline`, then its `final_pipeline` (`IngestService.resolvePipelines` and
//! `executePipelines`); a dropped document is answered without a write; then the target index is
//! resolved (aliases to their write index, `require_alias`) or auto-created from the templates;
//! then the document is parsed against the mapping; then versions are checked and it is stored.

use std::time::Instant;

use serde_json::{json, Map, Value};

use super::indices::{create_index, index_not_found, Doc, Index};
use super::Cluster;
use crate::http::{parse_json_body, OsError, OsResult, Req, Resp};

pub(crate) const PRIMARY_TERM: i64 = 1;
/// `Versions.MATCH_ANY`: the version of a request that names none (server/.../lucene/uid/Versions.java).
pub(crate) const MATCH_ANY: i64 = -3;
/// `DocumentID` of a dropped or failed item whose id was to be generated
/// (TransportBulkAction.DROPPED_ITEM_WITH_AUTO_GENERATED_ID).
const AUTO_GENERATED: &str = "auto-generated";
/// IndexRequest.MAX_DOCUMENT_ID_LENGTH_IN_BYTES.
const MAX_ID_BYTES: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VersionType {
    Internal,
    External,
    ExternalGte,
}

impl VersionType {
    /// `VersionType.fromString`.
    fn parse(s: &str) -> Result<VersionType, OsError> {
        match s {
            "internal" => Ok(VersionType::Internal),
            "external" => Ok(VersionType::External),
            "external_gte" => Ok(VersionType::ExternalGte),
            other => Err(OsError::illegal_argument(format!(
                "No version type match [{other}]"
            ))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            VersionType::Internal => "INTERNAL",
            VersionType::External => "EXTERNAL",
            VersionType::ExternalGte => "EXTERNAL_GTE",
        }
    }
}

/// An index or create request (IndexRequest), before and after ingest.
#[derive(Debug, Clone)]
pub(crate) struct DocRequest {
    pub(crate) index: String,
    pub(crate) id: Option<String>,
    pub(crate) routing: Option<String>,
    pub(crate) source: Value,
    /// The request's `pipeline` (query parameter or bulk action field).
    pub(crate) pipeline: Option<String>,
    pub(crate) create: bool,
    pub(crate) if_seq_no: Option<i64>,
    pub(crate) if_primary_term: Option<i64>,
    pub(crate) version: i64,
    pub(crate) version_type: VersionType,
    pub(crate) require_alias: bool,
}

impl DocRequest {
    pub(crate) fn new(index: &str, id: Option<&str>, source: Value) -> DocRequest {
        DocRequest {
            index: index.to_string(),
            id: id.map(str::to_string),
            routing: None,
            source,
            pipeline: None,
            create: false,
            if_seq_no: None,
            if_primary_term: None,
            version: MATCH_ANY,
            version_type: VersionType::Internal,
            require_alias: false,
        }
    }

    /// `IndexRequest.validate` and `DocWriteRequest.validateSeqNoBasedCASParams`, in their order.
    fn validate(&self) -> Result<(), OsError> {
        let mut errors: Vec<String> = Vec::new();
        if self.create {
            if self.version_type != VersionType::Internal {
                errors.push(
                    "create operations only support internal versioning. use index instead".into(),
                );
                return Err(validation(&errors));
            }
            if self.if_seq_no.is_some() || self.if_primary_term.is_some() {
                errors.push(
                    "create operations do not support compare and set. use index instead".into(),
                );
                return Err(validation(&errors));
            }
        }
        let version = self.version;
        let valid_version = match self.version_type {
            VersionType::Internal => version == MATCH_ANY || version == -4 || version > 0,
            VersionType::External | VersionType::ExternalGte => version >= 0,
        };
        if !valid_version {
            errors.push(format!(
                "illegal version value [{version}] for version type [{}]",
                self.version_type.name()
            ));
        }
        if self.version_type == VersionType::Internal && version != MATCH_ANY && version != -4 {
            errors.push("internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead".into());
        }
        if self.if_seq_no.is_some()
            && (self.version_type != VersionType::Internal || version != MATCH_ANY)
        {
            errors.push("compare and write operations can not use versioning".into());
        }
        if self.if_primary_term.is_none() && self.if_seq_no.is_some() {
            errors.push("ifSeqNo is set, but primary term is [0]".into());
        }
        if let (Some(term), None) = (self.if_primary_term, self.if_seq_no) {
            errors.push(format!("ifSeqNo is unassigned, but primary is [{term}]"));
        }
        if let Some(id) = &self.id {
            if id.len() > MAX_ID_BYTES {
                errors.push(format!(
                    "id [{id}] is too long, must be no longer than {MAX_ID_BYTES} bytes but was: {}",
                    id.len()
                ));
            }
        }
        if self.pipeline.as_deref() == Some("") {
            errors.push("pipeline cannot be an empty string".into());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(validation(&errors))
        }
    }
}

/// `ActionRequestValidationException`: "Validation Failed: 1: a;2: b;".
pub(crate) fn validation(errors: &[String]) -> OsError {
    let mut reason = String::from("Validation Failed: ");
    for (i, e) in errors.iter().enumerate() {
        reason.push_str(&format!("{}: {e};", i + 1));
    }
    OsError::new(400, "action_request_validation_exception", reason)
}

/// `WriteRequest.RefreshPolicy.parse`: `true` (or empty) forces a refresh, which the answer reports.
fn refresh_forced(value: Option<&str>) -> Result<bool, OsError> {
    match value {
        None | Some("false") => Ok(false),
        Some("" | "true") => Ok(true),
        Some("wait_for") => Ok(false),
        Some(other) => Err(OsError::illegal_argument(format!(
            "Unknown value for refresh: [{other}]."
        ))),
    }
}

/// `ReplicationResponse.ShardInfo` of a write on this single node: one copy per replica plus the
/// primary, and only the primary is assigned.
fn shard_info(index: &Index) -> Value {
    let replicas: u64 = index
        .settings
        .get("index.number_of_replicas")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    json!({"total": 1 + replicas, "successful": 1, "failed": 0})
}

/// The `_shards` of a response that wrote nothing (a fresh `ShardInfo`).
fn no_shards() -> Value {
    json!({"total": 0, "successful": 0, "failed": 0})
}

fn conflict(index: &Index, name: &str, id: &str, explanation: String) -> OsError {
    // VersionConflictEngineException: "[id]: version conflict, <explanation>".
    OsError::new(
        409,
        "version_conflict_engine_exception",
        format!("[{id}]: version conflict, {explanation}"),
    )
    .with("index_uuid", index.uuid.clone())
    .with("shard", "0")
    .with("index", name)
}

fn conflict_seq(
    index: &Index,
    name: &str,
    id: &str,
    seq: i64,
    term: i64,
    current: Option<&Doc>,
) -> OsError {
    let explanation = match current {
        Some(d) => format!(
            "required seqNo [{seq}], primary term [{term}]. current document has seqNo [{}] and primary term [{PRIMARY_TERM}]",
            d.seq_no
        ),
        None => format!(
            "required seqNo [{seq}], primary term [{term}]. but no document was found"
        ),
    };
    conflict(index, name, id, explanation)
}

/// The concrete index a write goes to: the index itself, or the write index of an alias
/// (`IndexNameExpressionResolver.concreteWriteIndex`). `None` when the index must be created.
pub(crate) fn write_index(
    c: &Cluster,
    name: &str,
    require_alias: bool,
) -> Result<Option<String>, OsError> {
    let holders: Vec<(&String, &Value)> = c
        .indices
        .iter()
        .filter_map(|(n, i)| i.aliases.get(name).map(|a| (n, a)))
        .collect();
    if holders.is_empty() {
        if require_alias {
            // TransportBulkAction.addFailureIfRequiresAliasAndAliasIsMissing.
            return Err(OsError::new(
                404,
                "index_not_found_exception",
                format!("no such index [{name}] and [require_alias] request flag is [true] and [{name}] is not an alias"),
            )
            .with("resource.type", "index_or_alias")
            .with("resource.id", name)
            .with("index_uuid", "_na_")
            .with("index", name));
        }
        return Ok(c.indices.contains_key(name).then(|| name.to_string()));
    }
    let flagged: Vec<&String> = holders
        .iter()
        .filter(|(_, a)| a.get("is_write_index").and_then(Value::as_bool) == Some(true))
        .map(|(n, _)| *n)
        .collect();
    let single_unflagged = holders.len() == 1
        && holders[0].1.get("is_write_index").and_then(Value::as_bool) != Some(false);
    match (flagged.first(), single_unflagged) {
        (Some(n), _) => Ok(Some((*n).clone())),
        (None, true) => Ok(Some(holders[0].0.clone())),
        _ => Err(OsError::illegal_argument(format!(
            "no write index is defined for alias [{name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index"
        ))),
    }
}

/// What a write answered: the status and the DocWriteResponse body.
pub(crate) struct Written {
    pub(crate) status: u16,
    pub(crate) body: Value,
    /// Whether a pipeline ran (the bulk answer then carries `ingest_took`).
    pub(crate) ingested: bool,
    /// The time the pipelines took.
    pub(crate) ingest_time: std::time::Duration,
}

/// `TransportBulkAction.BulkRequestModifier.markItemAsDropped`: an UpdateResponse with result
/// `noop`, the request's index, id (or "auto-generated") and version, no sequence number and
/// empty shard info; status 200.
fn dropped(w: &DocRequest) -> Value {
    json!({
        "_index": w.index,
        "_id": w.id.clone().unwrap_or_else(|| AUTO_GENERATED.to_string()),
        "_version": w.version,
        "result": "noop",
        "_shards": no_shards(),
    })
}

/// Runs one index/create request the whole way: ingest, index resolution, mapping, versions.
pub(crate) fn write(
    c: &mut Cluster,
    w: DocRequest,
    forced_refresh: bool,
) -> Result<Written, OsError> {
    w.validate()?;
    if !w.source.is_object() {
        return Err(OsError::bad_request(
            "mapper_parsing_exception",
            "failed to parse",
        ));
    }
    let started = Instant::now();
    let outcome = super::ingest::run(c, w);
    let ingest_time = started.elapsed();
    let (w, ingested) = match outcome? {
        super::ingest::Ingested::Unchanged(w) => (w, false),
        super::ingest::Ingested::Processed(w) => (w, true),
        super::ingest::Ingested::Dropped(original) => {
            return Ok(Written {
                status: 200,
                body: dropped(&original),
                ingested: true,
                ingest_time,
            })
        }
    };
    let (status, body) = store(c, w, forced_refresh)?;
    Ok(Written {
        status,
        body,
        ingested,
        ingest_time,
    })
}

/// The shard-level part of a write: resolve or create the index, parse against the mapping,
/// check versions, store.
fn store(c: &mut Cluster, w: DocRequest, forced_refresh: bool) -> Result<(u16, Value), OsError> {
    let name = match write_index(c, &w.index, w.require_alias)? {
        Some(n) => n,
        None => {
            create_index(c, &w.index, None)?;
            w.index.clone()
        }
    };
    let id = w.id.clone().unwrap_or_else(auto_id);
    let parsed = super::mapping::index_document(c, &name, &id, &w.source)?;
    let source = w.source.clone();
    let index = c.indices.get_mut(&name).expect("resolved or created above");
    let current = index.docs.get(&id);
    if w.create {
        if let Some(d) = current {
            return Err(conflict(
                index,
                &name,
                &id,
                format!("document already exists (current version [{}])", d.version),
            ));
        }
    }
    if let (Some(seq), Some(term)) = (w.if_seq_no, w.if_primary_term) {
        let ok = current.is_some_and(|d| d.seq_no == seq && term == PRIMARY_TERM);
        if !ok {
            return Err(conflict_seq(index, &name, &id, seq, term, current));
        }
    }
    // VersionType.isVersionConflictForWrites / explainConflictForWrites.
    let version = match (w.version_type, current) {
        (VersionType::Internal, _) => current.map_or(1, |d| d.version + 1),
        (VersionType::External, Some(d)) if d.version >= w.version => {
            return Err(conflict(
                index,
                &name,
                &id,
                format!(
                    "current version [{}] is higher or equal to the one provided [{}]",
                    d.version, w.version
                ),
            ))
        }
        (VersionType::ExternalGte, Some(d)) if d.version > w.version => {
            return Err(conflict(
                index,
                &name,
                &id,
                format!(
                    "current version [{}] is higher than the one provided [{}]",
                    d.version, w.version
                ),
            ))
        }
        _ => w.version,
    };
    let created = current.is_none();
    index.seq_no += 1;
    let seq_no = index.seq_no;
    index.docs.insert(
        id.clone(),
        Doc {
            source,
            version,
            seq_no,
            routing: w.routing.clone(),
            ignored: parsed.ignored,
            fields: parsed.fields,
        },
    );
    let mut body = Map::new();
    body.insert("_index".into(), json!(name));
    body.insert("_id".into(), json!(id));
    body.insert("_version".into(), json!(version));
    body.insert(
        "result".into(),
        json!(if created { "created" } else { "updated" }),
    );
    if forced_refresh {
        body.insert("forced_refresh".into(), json!(true));
    }
    body.insert("_shards".into(), shard_info(index));
    body.insert("_seq_no".into(), json!(seq_no));
    body.insert("_primary_term".into(), json!(PRIMARY_TERM));
    Ok((if created { 201 } else { 200 }, Value::Object(body)))
}

/// A generated document id: 20 URL-safe base64 characters, the length of the ids
/// `TimeBasedUUIDGenerator` makes (15 bytes). These are random, not time-ordered.
fn auto_id() -> String {
    use base64::Engine as _;
    let bytes = uuid::Uuid::new_v4();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes.as_bytes()[..15])
}

fn int_param(req: &Req, name: &str) -> Result<Option<i64>, OsError> {
    req.param(name)
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                OsError::illegal_argument(format!(
                    "Failed to parse int parameter [{name}] with value [{v}]"
                ))
            })
        })
        .transpose()
}

/// `RestIndexAction` (and its CreateHandler and AutoIdHandler): the request's parameters.
pub(crate) fn put_doc(
    c: &mut Cluster,
    req: &Req,
    name: &str,
    id: Option<&str>,
    create_endpoint: bool,
) -> OsResult {
    let source = parse_json_body(req)?;
    let mut w = DocRequest::new(name, id, source);
    w.routing = req.param("routing").map(str::to_string);
    w.pipeline = req.param("pipeline").map(str::to_string);
    w.if_seq_no = int_param(req, "if_seq_no")?;
    w.if_primary_term = int_param(req, "if_primary_term")?;
    if let Some(v) = int_param(req, "version")? {
        w.version = v;
    }
    if let Some(t) = req.param("version_type") {
        w.version_type = VersionType::parse(t)?;
    }
    w.require_alias = req.flag("require_alias");
    // IndexRequest.opType(String) and CreateHandler.validateOpType compare case-insensitively.
    let op_type = req.param("op_type").map(str::to_lowercase);
    w.create = match (create_endpoint, op_type.as_deref()) {
        // CreateHandler.validateOpType.
        (true, Some(t)) if t != "create" => {
            return Err(OsError::illegal_argument(format!(
                "opType must be 'create', found: [{}]",
                req.param("op_type").unwrap_or(t)
            )))
        }
        (true, _) => true,
        (false, None) => id.is_none(),
        (false, Some("create")) => true,
        (false, Some("index")) => false,
        (false, Some(t)) => {
            return Err(OsError::illegal_argument(format!(
                "opType must be 'create' or 'index', found: [{}]",
                req.param("op_type").unwrap_or(t)
            )))
        }
    };
    let forced = refresh_forced(req.param("refresh"))?;
    let written = write(c, w, forced)?;
    let mut resp = Resp::json(written.status, written.body);
    if written.status == 201 {
        // RestStatusToXContentListener with DocWriteResponse.getLocation.
        let (index, id) = match &resp.body {
            crate::http::Body::Json(v) => (
                v["_index"].as_str().unwrap_or("").to_string(),
                v["_id"].as_str().unwrap_or("").to_string(),
            ),
            _ => (String::new(), String::new()),
        };
        let mut location = format!("/{}/_doc/{}", url_encode(&index), url_encode(&id));
        if let Some(r) = req.param("routing") {
            location.push_str(&format!("?routing={}", url_encode(r)));
        }
        resp = resp.with_header("Location", location);
    }
    Ok(resp)
}

/// `URLEncoder.encode(s, "UTF-8")`: letters, digits and `.-*_` stay, space is `+`.
fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `GET /{index}/_doc/{id}`: GetResult.toXContent.
pub(crate) fn get_doc(c: &Cluster, req: &Req, name: &str, id: &str) -> OsResult {
    let (found, body) = get_result(c, name, id, req.param("_source") != Some("false"))?;
    if req.method == "HEAD" {
        return Ok(Resp::empty(if found { 200 } else { 404 }));
    }
    Ok(Resp::json(if found { 200 } else { 404 }, body))
}

/// The index a single-document read goes to (`IndexNameExpressionResolver.concreteSingleIndex`).
fn single_index(c: &Cluster, name: &str) -> Result<String, OsError> {
    if c.indices.contains_key(name) {
        return Ok(name.to_string());
    }
    let holders: Vec<&String> = c
        .indices
        .iter()
        .filter(|(_, i)| i.aliases.contains_key(name))
        .map(|(n, _)| n)
        .collect();
    match holders.as_slice() {
        [] => Err(index_not_found(name)),
        [one] => Ok((*one).clone()),
        many => Err(OsError::illegal_argument(format!(
            "alias [{name}] has more than one index associated with it [{}], can't execute a single index op",
            many.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// One document as GetResult renders it: (found, body).
fn get_result(
    c: &Cluster,
    name: &str,
    id: &str,
    with_source: bool,
) -> Result<(bool, Value), OsError> {
    let concrete = single_index(c, name)?;
    let index = &c.indices[&concrete];
    match index.docs.get(id) {
        Some(d) => {
            let mut m = Map::new();
            m.insert("_index".into(), json!(concrete));
            m.insert("_id".into(), json!(id));
            m.insert("_version".into(), json!(d.version));
            m.insert("_seq_no".into(), json!(d.seq_no));
            m.insert("_primary_term".into(), json!(PRIMARY_TERM));
            if let Some(r) = &d.routing {
                m.insert("_routing".into(), json!(r));
            }
            m.insert("found".into(), json!(true));
            if with_source {
                m.insert("_source".into(), d.source.clone());
            }
            Ok((true, Value::Object(m)))
        }
        None => Ok((
            false,
            json!({"_index": concrete, "_id": id, "found": false}),
        )),
    }
}

/// `GET|POST [/{index}]/_mget` (RestMultiGetAction, MultiGetResponse): `docs` (each with
/// `_index`, `_id`, `_source`) or `ids` against the path's index; a per-document failure is
/// `{"_index", "_id", "error"}`.
pub(crate) fn mget(c: &Cluster, req: &Req, default_index: Option<&str>) -> OsResult {
    let body = parse_json_body(req)?;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut wanted: Vec<(Option<String>, Option<String>, bool)> = Vec::new();
    let source_default = req.param("_source") != Some("false");
    if let Some(docs) = body.get("docs").and_then(Value::as_array) {
        for d in docs {
            let index = d
                .get("_index")
                .map(text)
                .or_else(|| default_index.map(str::to_string));
            let id = d.get("_id").map(text);
            let src = d
                .get("_source")
                .map_or(source_default, |v| v.as_bool() != Some(false));
            wanted.push((index, id, src));
        }
    } else if let Some(ids) = body.get("ids").and_then(Value::as_array) {
        for id in ids {
            wanted.push((
                default_index.map(str::to_string),
                Some(text(id)),
                source_default,
            ));
        }
    } else {
        return Err(OsError::bad_request(
            "parse_exception",
            "unknown key [_] for a START_OBJECT, expected [docs] or [ids]",
        ));
    }
    // MultiGetRequest.validate.
    let mut errors = Vec::new();
    for (i, (index, id, _)) in wanted.iter().enumerate() {
        if index.is_none() {
            errors.push(format!("index is missing for doc {i}"));
        }
        if id.is_none() {
            errors.push(format!("id is missing for doc {i}"));
        }
    }
    if wanted.is_empty() {
        errors.push("no documents to get".to_string());
    }
    if !errors.is_empty() {
        return Err(validation(&errors));
    }
    let mut docs = Vec::new();
    for (index, id, src) in wanted {
        let (index, id) = (index.expect("validated"), id.expect("validated"));
        match get_result(c, &index, &id, src) {
            Ok((_, v)) => docs.push(v),
            Err(e) => {
                docs.push(json!({"_index": index, "_id": id, "error": e.to_value()["error"]}))
            }
        }
    }
    Ok(Resp::ok(json!({ "docs": docs })))
}

pub(crate) fn get_source(c: &Cluster, name: &str, id: &str) -> OsResult {
    let concrete = single_index(c, name)?;
    match c.indices[&concrete].docs.get(id) {
        Some(d) => Ok(Resp::ok(d.source.clone())),
        None => Err(OsError::new(
            404,
            "resource_not_found_exception",
            format!("Document not found [{name}]/[{id}]"),
        )),
    }
}

pub(crate) struct DeleteRequest {
    pub(crate) if_seq_no: Option<i64>,
    pub(crate) if_primary_term: Option<i64>,
}

pub(crate) fn delete_doc_inner(
    c: &mut Cluster,
    name: &str,
    id: &str,
    opts: &DeleteRequest,
    forced_refresh: bool,
) -> Result<(u16, Value), OsError> {
    let concrete = match write_index(c, name, false)? {
        Some(n) => n,
        None => return Err(index_not_found(name)),
    };
    let index = c.indices.get_mut(&concrete).expect("resolved");
    let current = index.docs.get(id);
    if let (Some(seq), Some(term)) = (opts.if_seq_no, opts.if_primary_term) {
        if !current.is_some_and(|d| d.seq_no == seq && term == PRIMARY_TERM) {
            return Err(conflict_seq(index, &concrete, id, seq, term, current));
        }
    }
    index.seq_no += 1;
    let seq_no = index.seq_no;
    let shards = shard_info(index);
    let (status, version, result) = match index.docs.remove(id) {
        Some(d) => (200, d.version + 1, "deleted"),
        None => (404, 1, "not_found"),
    };
    let mut m = Map::new();
    m.insert("_index".into(), json!(concrete));
    m.insert("_id".into(), json!(id));
    m.insert("_version".into(), json!(version));
    m.insert("result".into(), json!(result));
    if forced_refresh {
        m.insert("forced_refresh".into(), json!(true));
    }
    m.insert("_shards".into(), shards);
    m.insert("_seq_no".into(), json!(seq_no));
    m.insert("_primary_term".into(), json!(PRIMARY_TERM));
    Ok((status, Value::Object(m)))
}

pub(crate) fn delete_doc(c: &mut Cluster, req: &Req, name: &str, id: &str) -> OsResult {
    let opts = DeleteRequest {
        if_seq_no: int_param(req, "if_seq_no")?,
        if_primary_term: int_param(req, "if_primary_term")?,
    };
    let forced = refresh_forced(req.param("refresh"))?;
    let (status, body) = delete_doc_inner(c, name, id, &opts, forced)?;
    Ok(Resp::json(status, body))
}

/// `XContentHelper.update`: a partial document merged into the source, objects recursively.
pub(crate) fn deep_merge(target: &mut Value, patch: &Value) {
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

/// Where an update comes from: the `_update` API goes back through the bulk action with the
/// whole updated document (so the index's pipelines run on it: TransportUpdateAction), a bulk
/// update item is applied at the shard (pipelines ran only on its upsert document).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum UpdateVia {
    UpdateApi,
    Bulk,
}

pub(crate) struct UpdateRequest<'a> {
    pub(crate) index: &'a str,
    pub(crate) id: &'a str,
    pub(crate) body: &'a Value,
    pub(crate) pipeline: Option<String>,
    pub(crate) routing: Option<String>,
    pub(crate) if_seq_no: Option<i64>,
    pub(crate) if_primary_term: Option<i64>,
    pub(crate) fetch_source: bool,
    pub(crate) via: UpdateVia,
}

/// An update (`UpdateHelper.prepare`): a partial `doc` (with noop detection), `doc_as_upsert`,
/// `upsert` and scripts (`script`, `scripted_upsert`).
pub(crate) fn update_inner(
    c: &mut Cluster,
    u: &UpdateRequest<'_>,
    forced_refresh: bool,
) -> Result<Written, OsError> {
    let Some(body) = u.body.as_object() else {
        return Err(OsError::bad_request(
            "parse_exception",
            "request body must be an object",
        ));
    };
    for k in body.keys() {
        if ![
            "doc",
            "upsert",
            "doc_as_upsert",
            "script",
            "scripted_upsert",
            "detect_noop",
            "_source",
        ]
        .contains(&k.as_str())
        {
            return Err(OsError::bad_request(
                "x_content_parse_exception",
                format!("[update] unknown field [{k}]"),
            ));
        }
    }
    let doc = body.get("doc");
    let script = body.get("script");
    if doc.is_some() && script.is_some() {
        return Err(validation(&["can't provide both script and doc".into()]));
    }
    if doc.is_none() && script.is_none() {
        return Err(validation(&["script or doc is missing".into()]));
    }
    let doc_as_upsert = body.get("doc_as_upsert").and_then(Value::as_bool) == Some(true);
    let scripted_upsert = body.get("scripted_upsert").and_then(Value::as_bool) == Some(true);
    let fetch = u.fetch_source
        || body
            .get("_source")
            .is_some_and(|v| v.as_bool() == Some(true) || v.is_object() || v.is_array());
    let concrete = write_index(c, u.index, false)?;
    let current = concrete
        .as_ref()
        .and_then(|n| c.indices.get(n))
        .and_then(|i| i.docs.get(u.id))
        .cloned();
    let mut w = DocRequest::new(u.index, Some(u.id), Value::Null);
    w.routing = u.routing.clone();
    let mut doc = doc.cloned();
    let mut upsert = body.get("upsert").cloned();
    let mut upsert_time = std::time::Duration::ZERO;
    let mut ingested = false;
    if u.via == UpdateVia::Bulk {
        // TransportBulkAction runs the pipelines of an update's index request (the `doc` with
        // `doc_as_upsert`, else the `upsert`) before the shard applies the update, whether the
        // document exists or not: a scripted upsert sees the processed document, a drop drops
        // the item, and a failure fails it.
        let target = if doc_as_upsert { &mut doc } else { &mut upsert };
        if let Some(src) = target.take() {
            let mut up = DocRequest::new(u.index, Some(u.id), src);
            up.routing = u.routing.clone();
            up.pipeline = u.pipeline.clone();
            up.create = true;
            let started = Instant::now();
            let outcome = super::ingest::run(c, up);
            upsert_time = started.elapsed();
            *target = Some(match outcome? {
                super::ingest::Ingested::Unchanged(r) => r.source,
                super::ingest::Ingested::Processed(r) => {
                    ingested = true;
                    r.source
                }
                super::ingest::Ingested::Dropped(original) => {
                    return Ok(Written {
                        status: 200,
                        body: dropped(&original),
                        ingested: true,
                        ingest_time: upsert_time,
                    })
                }
            });
        }
    }
    let doc = doc.as_ref();
    let (source, upsert_ingested) = match &current {
        None => {
            let upsert = if doc_as_upsert { doc.cloned() } else { upsert };
            let Some(mut src) = upsert else {
                let uuid = concrete
                    .as_ref()
                    .and_then(|n| c.indices.get(n))
                    .map_or_else(|| "_na_".to_string(), |i| i.uuid.clone());
                return Err(OsError::new(
                    404,
                    "document_missing_exception",
                    format!("[{}]: document missing", u.id),
                )
                .with("index_uuid", uuid)
                .with("shard", "0")
                .with("index", concrete.as_deref().unwrap_or(u.index)));
            };
            if scripted_upsert {
                if let Some(s) = script {
                    match super::scripts::run_update_script(s, &src, None, u.index, u.id)? {
                        UpdateOp::Index(v) => src = v,
                        UpdateOp::Noop | UpdateOp::Delete => {
                            return Ok(Written {
                                status: 200,
                                body: noop_body(u.index, u.id, None),
                                ingested,
                                ingest_time: upsert_time,
                            })
                        }
                    }
                }
            }
            w.create = true;
            (src, ingested)
        }
        Some(d) => {
            let mut src = d.source.clone();
            if let Some(p) = doc {
                deep_merge(&mut src, p);
                if src == d.source
                    && body.get("detect_noop").and_then(Value::as_bool) != Some(false)
                {
                    return Ok(Written {
                        status: 200,
                        body: noop_body(concrete.as_deref().unwrap_or(u.index), u.id, Some(d)),
                        ingested: false,
                        ingest_time: std::time::Duration::ZERO,
                    });
                }
            } else if let Some(s) = script {
                match super::scripts::run_update_script(
                    s,
                    &d.source,
                    Some(d),
                    concrete.as_deref().unwrap_or(u.index),
                    u.id,
                )? {
                    UpdateOp::Index(v) => src = v,
                    UpdateOp::Noop => {
                        return Ok(Written {
                            status: 200,
                            body: noop_body(concrete.as_deref().unwrap_or(u.index), u.id, Some(d)),
                            ingested: false,
                            ingest_time: std::time::Duration::ZERO,
                        })
                    }
                    UpdateOp::Delete => {
                        let (status, body) = delete_doc_inner(
                            c,
                            u.index,
                            u.id,
                            &DeleteRequest {
                                if_seq_no: u.if_seq_no,
                                if_primary_term: u.if_primary_term,
                            },
                            forced_refresh,
                        )?;
                        return Ok(Written {
                            status,
                            body,
                            ingested: false,
                            ingest_time: std::time::Duration::ZERO,
                        });
                    }
                }
            }
            w.if_seq_no = u.if_seq_no;
            w.if_primary_term = u.if_primary_term;
            (src, ingested)
        }
    };
    w.source = source;
    let written = if u.via == UpdateVia::UpdateApi {
        w.pipeline = u.pipeline.clone();
        write(c, w, forced_refresh)?
    } else {
        let (status, body) = store(c, w, forced_refresh)?;
        Written {
            status,
            body,
            ingested: upsert_ingested,
            ingest_time: upsert_time,
        }
    };
    let mut body = written.body;
    // A dropped update keeps the noop answer; a written one may carry the updated source.
    if fetch && body["result"] != "noop" {
        let index = body["_index"].as_str().unwrap_or("").to_string();
        if let Some(d) = c.indices.get(&index).and_then(|i| i.docs.get(u.id)) {
            let get = json!({"_seq_no": d.seq_no, "_primary_term": PRIMARY_TERM, "found": true, "_source": d.source});
            body["get"] = get;
        }
    }
    Ok(Written {
        status: written.status,
        body,
        ingested: written.ingested,
        ingest_time: written.ingest_time,
    })
}

/// What an update script asked for (`ctx.op`).
pub(crate) enum UpdateOp {
    Index(Value),
    Noop,
    Delete,
}

fn noop_body(index: &str, id: &str, d: Option<&Doc>) -> Value {
    let mut m = Map::new();
    m.insert("_index".into(), json!(index));
    m.insert("_id".into(), json!(id));
    m.insert("_version".into(), json!(d.map_or(MATCH_ANY, |d| d.version)));
    m.insert("result".into(), json!("noop"));
    m.insert("_shards".into(), no_shards());
    if let Some(d) = d {
        m.insert("_seq_no".into(), json!(d.seq_no));
        m.insert("_primary_term".into(), json!(PRIMARY_TERM));
    }
    Value::Object(m)
}

pub(crate) fn update_doc(c: &mut Cluster, req: &Req, name: &str, id: &str) -> OsResult {
    let body = parse_json_body(req)?;
    let forced = refresh_forced(req.param("refresh"))?;
    let u = UpdateRequest {
        index: name,
        id,
        body: &body,
        pipeline: None,
        routing: req.param("routing").map(str::to_string),
        if_seq_no: int_param(req, "if_seq_no")?,
        if_primary_term: int_param(req, "if_primary_term")?,
        fetch_source: matches!(req.param("_source"), Some("true" | "")),
        via: UpdateVia::UpdateApi,
    };
    let warning = super::ingest::update_pipeline_warning(c, name);
    let written = update_inner(c, &u, forced)?;
    let mut resp = Resp::json(written.status, written.body);
    if let Some(w) = warning {
        resp = resp.with_header("Warning", super::warning_header(c, &w));
    }
    Ok(resp)
}

/// One action of a bulk body (`BulkRequestParser`).
struct BulkAction {
    op: String,
    index: Option<String>,
    id: Option<String>,
    routing: Option<String>,
    pipeline: Option<String>,
    op_type: Option<String>,
    version: Option<i64>,
    version_type: Option<String>,
    if_seq_no: Option<i64>,
    if_primary_term: Option<i64>,
    require_alias: Option<bool>,
    fetch_source: bool,
}

fn parse_action(line: &str, n: usize) -> Result<BulkAction, OsError> {
    let action: Value = serde_json::from_str(line).map_err(|e| {
        OsError::illegal_argument(format!("Malformed action/metadata line [{n}], {e}"))
    })?;
    let Some(map) = action.as_object() else {
        return Err(OsError::illegal_argument(format!(
            "Malformed action/metadata line [{n}], expected START_OBJECT or END_OBJECT but found [{}]",
            token_name(&action)
        )));
    };
    let Some((op, meta)) = map.iter().next() else {
        return Err(OsError::illegal_argument(format!(
            "Malformed action/metadata line [{n}], expected FIELD_NAME but found [END_OBJECT]"
        )));
    };
    if !["index", "create", "update", "delete"].contains(&op.as_str()) {
        return Err(OsError::illegal_argument(format!(
            "Malformed action/metadata line [{n}], expected one of [create, delete, index, update] but found [{op}]"
        )));
    }
    let Some(meta) = meta.as_object() else {
        return Err(OsError::illegal_argument(format!(
            "Malformed action/metadata line [{n}], expected START_OBJECT but found [{}]",
            token_name(meta)
        )));
    };
    let mut a = BulkAction {
        op: op.clone(),
        index: None,
        id: None,
        routing: None,
        pipeline: None,
        op_type: None,
        version: None,
        version_type: None,
        if_seq_no: None,
        if_primary_term: None,
        require_alias: None,
        fetch_source: false,
    };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    let int = |k: &str, v: &Value| -> Result<Option<i64>, OsError> {
        match v {
            Value::Number(x) => Ok(x.as_i64()),
            Value::String(s) => s
                .parse()
                .map(Some)
                .map_err(|_| OsError::illegal_argument(format!("For input string: \"{s}\" ({k})"))),
            _ => Ok(None),
        }
    };
    for (k, v) in meta {
        match k.as_str() {
            "_index" => a.index = text(v),
            "_id" => a.id = text(v),
            "routing" => a.routing = text(v),
            "pipeline" => a.pipeline = text(v),
            "op_type" => {
                // IndexRequest.opType(String), while the request is parsed.
                let t = text(v).unwrap_or_default();
                match t.to_lowercase().as_str() {
                    "create" | "index" => a.op_type = Some(t.to_lowercase()),
                    _ => {
                        return Err(OsError::illegal_argument(format!(
                            "opType must be 'create' or 'index', found: [{t}]"
                        )))
                    }
                }
            }
            "version" => a.version = int(k, v)?,
            "version_type" => a.version_type = text(v),
            "if_seq_no" => a.if_seq_no = int(k, v)?,
            "if_primary_term" => a.if_primary_term = int(k, v)?,
            "retry_on_conflict" => {}
            "require_alias" => a.require_alias = v.as_bool(),
            "_source" => a.fetch_source = v.as_bool() == Some(true) || v.is_object(),
            other => {
                return Err(OsError::illegal_argument(format!(
                    "Action/metadata line [{n}] contains an unknown parameter [{other}]"
                )))
            }
        }
    }
    Ok(a)
}

fn token_name(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "START_OBJECT",
        Value::Array(_) => "START_ARRAY",
        Value::String(_) => "VALUE_STRING",
        Value::Number(_) => "VALUE_NUMBER",
        Value::Bool(_) => "VALUE_BOOLEAN",
        Value::Null => "VALUE_NULL",
    }
}

/// POST /_bulk and /{index}/_bulk (RestBulkAction, BulkRequestParser, BulkResponse): per-item
/// results in request order, `errors` when any item failed, `ingest_took` when a pipeline ran.
pub(crate) fn bulk(c: &mut Cluster, req: &Req, default_index: Option<&str>) -> OsResult {
    let started = Instant::now();
    if let Some(b) = req.param("batch_size") {
        // RestBulkAction (2.14+): the batch size must be positive.
        let n: i64 = b.parse().map_err(|_| {
            OsError::illegal_argument(format!(
                "Failed to parse int parameter [batch_size] with value [{b}]"
            ))
        })?;
        if n < 1 {
            return Err(validation(&["batch size must be greater than 0".into()]));
        }
    }
    let forced = refresh_forced(req.param("refresh"))?;
    let default_pipeline = req.param("pipeline").map(str::to_string);
    let default_routing = req.param("routing").map(str::to_string);
    let default_require_alias = req.flag("require_alias");
    let default_fetch = matches!(req.param("_source"), Some("true" | ""));
    let text = String::from_utf8_lossy(&req.body).into_owned();
    if text.trim().is_empty() {
        return Err(validation(&["no requests added".into()]));
    }
    if !text.ends_with('\n') {
        return Err(OsError::illegal_argument(
            "The bulk request must be terminated by a newline [\\n]",
        ));
    }
    // Parse everything first: a malformed line fails the whole request, as BulkRequestParser does.
    let lines: Vec<&str> = text.split('\n').collect();
    let mut parsed: Vec<(BulkAction, Option<Value>)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.trim().is_empty() {
            continue;
        }
        let action = parse_action(line, i)?;
        let source = if action.op == "delete" {
            None
        } else {
            let Some(src) = lines.get(i).filter(|_| i < lines.len() - 1) else {
                return Err(OsError::illegal_argument(
                    "The bulk request must be terminated by a newline [\\n]",
                ));
            };
            i += 1;
            let v: Value = serde_json::from_str(src).map_err(|e| {
                OsError::bad_request("mapper_parsing_exception", format!("failed to parse: {e}"))
            })?;
            Some(v)
        };
        parsed.push((action, source));
    }
    let mut missing = Vec::new();
    for (a, _) in &parsed {
        if a.index.is_none() && default_index.is_none() {
            missing.push("index is missing".to_string());
        }
        if a.id.is_none() && (a.op == "update" || a.op == "delete") {
            missing.push("id is missing".to_string());
        }
    }
    if !missing.is_empty() {
        return Err(validation(&missing));
    }
    let mut items = Vec::new();
    let mut errors = false;
    let mut ingested = false;
    let mut ingest_time = std::time::Duration::ZERO;
    for (a, source) in parsed {
        let index = a
            .index
            .clone()
            .or_else(|| default_index.map(str::to_string))
            .expect("checked above");
        let routing = a.routing.clone().or_else(|| default_routing.clone());
        let pipeline = a.pipeline.clone().or_else(|| default_pipeline.clone());
        if a.op != "delete" {
            // BulkResponse carries `ingest_took` when any request had a pipeline to run.
            ingested |= super::ingest::applies(c, &index, pipeline.as_deref());
        }
        let result: Result<Written, OsError> = match a.op.as_str() {
            "index" | "create" => (|| {
                let mut w = DocRequest::new(&index, a.id.as_deref(), source.unwrap_or(Value::Null));
                w.routing = routing.clone();
                w.pipeline = pipeline.clone();
                // An `index` action without an id stays an INDEX operation: the id is generated
                // only when the pipeline set none (`IndexRequest.process`), so a pipeline that
                // sets `_id` overwrites (server/.../action/index/IndexRequest.java).
                w.create = a.op == "create" || a.op_type.as_deref() == Some("create");
                w.if_seq_no = a.if_seq_no;
                w.if_primary_term = a.if_primary_term;
                if let Some(v) = a.version {
                    w.version = v;
                }
                if let Some(t) = &a.version_type {
                    w.version_type = VersionType::parse(t)?;
                }
                w.require_alias = a.require_alias.unwrap_or(default_require_alias);
                write(c, w, forced)
            })(),
            "update" => {
                let body = source.unwrap_or(Value::Null);
                let u = UpdateRequest {
                    index: &index,
                    id: a.id.as_deref().expect("checked above"),
                    body: &body,
                    pipeline: pipeline.clone(),
                    routing: routing.clone(),
                    if_seq_no: a.if_seq_no,
                    if_primary_term: a.if_primary_term,
                    fetch_source: a.fetch_source || default_fetch,
                    via: UpdateVia::Bulk,
                };
                update_inner(c, &u, forced)
            }
            _ => {
                let opts = DeleteRequest {
                    if_seq_no: a.if_seq_no,
                    if_primary_term: a.if_primary_term,
                };
                delete_doc_inner(c, &index, a.id.as_deref().expect("checked"), &opts, forced).map(
                    |(status, body)| Written {
                        status,
                        body,
                        ingested: false,
                        ingest_time: std::time::Duration::ZERO,
                    },
                )
            }
        };
        let item = match result {
            Ok(w) => {
                ingested |= w.ingested;
                ingest_time += w.ingest_time;
                let mut v = w.body;
                if let Some(m) = v.as_object_mut() {
                    m.insert("status".into(), json!(w.status));
                }
                v
            }
            Err(e) => {
                errors = true;
                // BulkItemResponse.toXContent of a Failure: _index, _id, status, error (the
                // exception without root_cause). The id of a request still without one is null.
                let mut err = e.to_value()["error"].clone();
                if let Some(m) = err.as_object_mut() {
                    m.shift_remove("root_cause");
                }
                json!({"_index": index, "_id": a.id, "status": e.status, "error": err})
            }
        };
        items.push(json!({ a.op.clone(): item }));
    }
    let mut out = Map::new();
    out.insert("took".into(), json!(started.elapsed().as_millis() as u64));
    if ingested {
        out.insert("ingest_took".into(), json!(ingest_time.as_millis() as u64));
    }
    out.insert("errors".into(), json!(errors));
    out.insert("items".into(), Value::Array(items));
    Ok(Resp::ok(Value::Object(out)))
}
