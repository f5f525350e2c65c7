//! The emulated OpenSearch engine: routing, the cluster state, root and health.

mod documents;
mod indices;
mod ingest;
mod ism;
mod mapping;
mod normalize;
mod pipelines;
mod scripts;
mod search;
mod templates;
mod units;

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::http::{OsError, Req, Resp};
use crate::server::{lock, Shared};
use crate::Options;

pub(crate) const BUILD_HASH: &str = "fd9a9d90df25bea1af2c6a85039692e815b894f5";

/// Everything the emulated cluster stores.
pub(crate) struct Cluster {
    pub(crate) version: String,
    pub(crate) templates: BTreeMap<String, templates::Composable>,
    pub(crate) components: BTreeMap<String, templates::Component>,
    pub(crate) legacy: BTreeMap<String, templates::Legacy>,
    pub(crate) pipelines: BTreeMap<String, Value>,
    pub(crate) policies: BTreeMap<String, ism::StoredPolicy>,
    pub(crate) ism_seq_no: i64,
    pub(crate) indices: BTreeMap<String, indices::Index>,
    /// The ingest engine: the pipelines, built when they are put, and what runs them.
    pub(crate) engine: ::ingest::Engine,
}

impl Cluster {
    pub(crate) fn new(options: &Options) -> Cluster {
        Cluster {
            version: options.version.clone(),
            templates: BTreeMap::new(),
            components: BTreeMap::new(),
            legacy: BTreeMap::new(),
            pipelines: BTreeMap::new(),
            policies: BTreeMap::new(),
            ism_seq_no: -1,
            indices: BTreeMap::new(),
            engine: ::ingest::Engine::new(),
        }
    }

    fn version_parts(&self) -> (u64, u64, u64) {
        let mut it = self
            .version
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap_or(0));
        (
            it.next().unwrap_or(0),
            it.next().unwrap_or(0),
            it.next().unwrap_or(0),
        )
    }

    pub(crate) fn version_at_least(&self, major: u64, minor: u64) -> bool {
        let (a, b, _) = self.version_parts();
        (a, b) >= (major, minor)
    }

    /// `index.version.created`: OpenSearch version ids are ES-style ids XOR-ed with 0x08000000.
    pub(crate) fn version_id(&self) -> String {
        let (a, b, c) = self.version_parts();
        let id = a * 1_000_000 + b * 10_000 + c * 100 + 99;
        (id ^ 0x0800_0000).to_string()
    }

    /// The ISM config index schema version the plugin stamps on policies.
    pub(crate) fn ism_schema_version(&self) -> i64 {
        if self.version_at_least(3, 0) {
            30
        } else if self.version_at_least(2, 17) {
            21
        } else {
            19
        }
    }
}

/// The route template of a request, for the statistics.
pub(crate) fn route(req: &Req) -> String {
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let t: &str = match s.as_slice() {
        [] => "/",
        ["_cluster", "health"] => "/_cluster/health",
        ["_cluster", "health", _] => "/_cluster/health/{index}",
        ["_index_template"] => "/_index_template",
        ["_index_template", "_simulate_index", _] => "/_index_template/_simulate_index/{name}",
        ["_index_template", "_simulate"] => "/_index_template/_simulate",
        ["_index_template", "_simulate", _] => "/_index_template/_simulate/{name}",
        ["_index_template", _] => "/_index_template/{name}",
        ["_component_template"] => "/_component_template",
        ["_component_template", _] => "/_component_template/{name}",
        ["_template"] => "/_template",
        ["_template", _] => "/_template/{name}",
        ["_cat", "templates"] => "/_cat/templates",
        ["_cat", "templates", _] => "/_cat/templates/{name}",
        ["_ingest", "pipeline"] => "/_ingest/pipeline",
        ["_ingest", "pipeline", "_simulate"] => "/_ingest/pipeline/_simulate",
        ["_ingest", "pipeline", _] => "/_ingest/pipeline/{id}",
        ["_ingest", "pipeline", _, "_simulate"] => "/_ingest/pipeline/{id}/_simulate",
        ["_plugins", "_ism", "policies"] => "/_plugins/_ism/policies",
        ["_plugins", "_ism", "policies", _] => "/_plugins/_ism/policies/{policy_id}",
        ["_opendistro", "_ism", "policies"] => "/_opendistro/_ism/policies",
        ["_opendistro", "_ism", "policies", _] => "/_opendistro/_ism/policies/{policy_id}",
        ["_ingest", "processor", "grok"] => "/_ingest/processor/grok",
        ["_scripts", "painless", "_execute"] => "/_scripts/painless/_execute",
        ["_count"] => "/_count",
        [_, "_count"] => "/{index}/_count",
        ["_mget"] => "/_mget",
        [_, "_mget"] => "/{index}/_mget",
        ["_bulk"] => "/_bulk",
        [_, "_bulk"] => "/{index}/_bulk",
        [_, "_doc"] => "/{index}/_doc",
        [_, "_doc", _] => "/{index}/_doc/{id}",
        [_, "_create", _] => "/{index}/_create/{id}",
        [_, "_update", _] => "/{index}/_update/{id}",
        [_, "_source", _] => "/{index}/_source/{id}",
        [_, "_refresh"] => "/{index}/_refresh",
        [_, "_mapping"] => "/{index}/_mapping",
        [_, "_settings"] => "/{index}/_settings",
        ["_refresh"] => "/_refresh",
        [_] => "/{index}",
        _ => "(unknown)",
    };
    t.to_string()
}

/// RestController's media-type check: a body needs a supported Content-Type (406 otherwise).
fn content_type_error(req: &Req) -> Option<Resp> {
    if req.body.is_empty() {
        return None;
    }
    let Some(ct) = req.header("content-type") else {
        return Some(Resp::json(
            406,
            json!({"error": "Content-Type header is missing", "status": 406}),
        ));
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let supported = [
        "application/json",
        "application/x-ndjson",
        "application/yaml",
        "application/cbor",
        "application/smile",
        "application/vnd.opensearch+json",
        "application/vnd.opensearch+x-ndjson",
    ];
    if supported.contains(&essence.as_str()) {
        return None;
    }
    Some(Resp::json(
        406,
        json!({"error": format!("Content-Type header [{ct}] is not supported"), "status": 406}),
    ))
}

pub(crate) fn handle(shared: &Shared, req: &Req) -> Resp {
    if let Some(r) = content_type_error(req) {
        return r;
    }
    let mut c = lock(&shared.cluster);
    // A panic in the emulator or the engine is answered, not a dropped connection: the test
    // then sees what broke.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(&mut c, req)));
    let outcome = match outcome {
        Ok(r) => r,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".to_string());
            return Resp::json(
                500,
                json!({"error": format!("the cluster emulator panicked (not an OpenSearch answer): {message}"), "status": 500}),
            );
        }
    };
    let mut resp = match outcome {
        Ok(r) => r,
        Err(e) => {
            if req.method == "HEAD" {
                Resp::empty(e.status)
            } else {
                e.into_resp()
            }
        }
    };
    if req.param("master_timeout").is_some() {
        resp.headers.push((
            "Warning".to_string(),
            warning_header(&c, "Deprecated parameter [master_timeout] used. To promote inclusive language, please use [cluster_manager_timeout] instead. It will be unsupported in a future major version."),
        ));
    }
    resp
}

/// A deprecation `Warning` header as HeaderWarning formats it.
pub(crate) fn warning_header(c: &Cluster, text: &str) -> String {
    format!("299 OpenSearch-{}-{BUILD_HASH} \"{text}\"", c.version)
}

fn method_not_allowed(req: &Req, allowed: &[&str]) -> Result<Resp, OsError> {
    let uri = format!("/{}", req.segments.join("/"));
    Ok(Resp::json(
        405,
        json!({"error": format!("Incorrect HTTP method for uri [{uri}] and method [{}], allowed: [{}]", req.method, allowed.join(", ")), "status": 405}),
    ))
}

fn dispatch(c: &mut Cluster, req: &Req) -> Result<Resp, OsError> {
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let m = req.method.as_str();
    match (s.as_slice(), m) {
        ([], "GET" | "HEAD") => Ok(Resp::ok(info(c))),
        (["_cluster", "health"] | ["_cluster", "health", _], "GET") => Ok(health(c)),
        (["_index_template"], "GET") => templates::get_composable(c, req, None),
        (["_index_template", "_simulate_index", name], "POST") => {
            templates::simulate_index(c, name)
        }
        (["_index_template", "_simulate"], "POST") => templates::simulate_template(c, req, None),
        (["_index_template", "_simulate", name], "POST") => {
            templates::simulate_template(c, req, Some(name))
        }
        (["_index_template", name], "PUT" | "POST") => templates::put_composable(c, req, name),
        (["_index_template", name], "GET" | "HEAD") => {
            templates::get_composable(c, req, Some(name))
        }
        (["_index_template", name], "DELETE") => templates::delete_composable(c, name),
        (["_index_template", ..], _) => {
            method_not_allowed(req, &["GET", "HEAD", "PUT", "POST", "DELETE"])
        }
        (["_component_template"], "GET") => templates::get_component(c, req, None),
        (["_component_template", name], "PUT" | "POST") => templates::put_component(c, req, name),
        (["_component_template", name], "GET" | "HEAD") => {
            templates::get_component(c, req, Some(name))
        }
        (["_component_template", name], "DELETE") => templates::delete_component(c, name),
        (["_template"], "GET") => templates::get_legacy(c, req, None),
        (["_template", name], "PUT" | "POST") => templates::put_legacy(c, req, name),
        (["_template", name], "GET" | "HEAD") => templates::get_legacy(c, req, Some(name)),
        (["_template", name], "DELETE") => templates::delete_legacy(c, name),
        (["_cat", "templates"], "GET") => templates::cat_templates(c, req, None),
        (["_cat", "templates", name], "GET") => templates::cat_templates(c, req, Some(name)),
        (["_ingest", "pipeline"], "GET") => pipelines::get(c, None),
        (["_ingest", "pipeline", "_simulate"], "GET" | "POST") => pipelines::simulate(c, req, None),
        (["_ingest", "pipeline", id, "_simulate"], "GET" | "POST") => {
            pipelines::simulate(c, req, Some(id))
        }
        (["_ingest", "pipeline", id], "PUT") => pipelines::put(c, req, id),
        (["_ingest", "pipeline", id], "GET") => pipelines::get(c, Some(id)),
        (["_ingest", "pipeline", id], "DELETE") => pipelines::delete(c, id),
        (["_plugins" | "_opendistro", "_ism", "policies"], "GET") => ism::list(c, req),
        (["_plugins" | "_opendistro", "_ism", "policies"], "PUT") => {
            let id = req.param("policyID").map(str::to_string);
            ism::put(c, req, id.as_deref())
        }
        (["_plugins" | "_opendistro", "_ism", "policies", id], "PUT") => ism::put(c, req, Some(id)),
        (["_plugins" | "_opendistro", "_ism", "policies", id], "GET" | "HEAD") => {
            ism::get(c, req, id)
        }
        (["_plugins" | "_opendistro", "_ism", "policies", id], "DELETE") => ism::delete(c, id),
        (["_scripts", "painless", "_execute"], "GET" | "POST") => scripts::execute(c, req),
        (["_ingest", "processor", "grok"], "GET") => ingest::grok_patterns(req),
        (["_mget"], "GET" | "POST") => documents::mget(c, req, None),
        ([index, "_mget"], "GET" | "POST") => documents::mget(c, req, Some(index)),
        (["_bulk"], "POST" | "PUT") => documents::bulk(c, req, None),
        ([index, "_bulk"], "POST" | "PUT") => documents::bulk(c, req, Some(index)),
        (["_refresh"], "POST" | "GET") => search::refresh(c, req, None),
        ([index, "_refresh"], "POST" | "GET") => search::refresh(c, req, Some(index)),
        (["_count"], "POST" | "GET") => search::count(c, req, None),
        ([index, "_count"], "POST" | "GET") => search::count(c, req, Some(index)),
        ([_, "_doc"], "PUT") => method_not_allowed(req, &["POST"]),
        ([index, "_doc"], "POST") => documents::put_doc(c, req, index, None, false),
        ([index, "_doc", id], "PUT" | "POST") => documents::put_doc(c, req, index, Some(id), false),
        ([index, "_create", id], "PUT" | "POST") => {
            documents::put_doc(c, req, index, Some(id), true)
        }
        ([index, "_doc", id], "GET" | "HEAD") => documents::get_doc(c, req, index, id),
        ([index, "_source", id], "GET") => documents::get_source(c, index, id),
        ([index, "_doc", id], "DELETE") => documents::delete_doc(c, req, index, id),
        ([index, "_update", id], "POST") => documents::update_doc(c, req, index, id),
        (["_all"], "GET") => indices::get_index(c, req, "_all"),
        ([index, "_mapping"], "GET") => indices::get_part(c, req, index, "mappings"),
        ([index, "_settings"], "GET") => indices::get_part(c, req, index, "settings"),
        ([index, "_mapping"], "PUT" | "POST") => indices::put_mapping(c, req, index),
        ([index, "_settings"], "PUT") => indices::put_settings(c, req, index),
        ([index], "PUT") if !index.starts_with('_') => indices::put_index(c, req, index),
        ([index], "GET") if !index.starts_with('_') => indices::get_index(c, req, index),
        ([index], "HEAD") => indices::head_index(c, index),
        ([index], "DELETE") if !index.starts_with('_') => indices::delete_index(c, index),
        ([index], "PUT") => {
            indices::validate_index_name(index)?;
            Ok(Resp::ack())
        }
        _ => {
            let uri = format!("/{}", req.segments.join("/"));
            Ok(Resp::json(
                400,
                json!({"error": format!("no handler found for uri [{uri}] and method [{m}]")}),
            ))
        }
    }
}

fn info(c: &Cluster) -> Value {
    json!({
        "name": "emulator-node-1",
        "cluster_name": "opensearch-emulator",
        "cluster_uuid": "c1u5t3r-3mu1at0r-uu1d-0000000000",
        "version": {
            "distribution": "opensearch",
            "number": c.version,
            "build_type": "tar",
            "build_hash": BUILD_HASH,
            "build_date": "2025-02-08T00:00:00.000000000Z",
            "build_snapshot": false,
            "lucene_version": "9.12.1",
            "minimum_wire_compatibility_version": "7.10.0",
            "minimum_index_compatibility_version": "7.0.0"
        },
        "tagline": "The OpenSearch Project: https://opensearch.org/"
    })
}

fn health(c: &Cluster) -> Resp {
    let mut primaries = 0u64;
    let mut unassigned = 0u64;
    for i in c.indices.values() {
        let shards: u64 = i
            .settings
            .get("index.number_of_shards")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        let replicas: u64 = i
            .settings
            .get("index.number_of_replicas")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        primaries += shards;
        unassigned += shards * replicas;
    }
    let total = primaries + unassigned;
    let percent = if total == 0 {
        100.0
    } else {
        (primaries as f64) * 100.0 / (total as f64)
    };
    Resp::ok(json!({
        "cluster_name": "opensearch-emulator",
        "status": if unassigned > 0 { "yellow" } else { "green" },
        "timed_out": false,
        "number_of_nodes": 1,
        "number_of_data_nodes": 1,
        "discovered_master": true,
        "discovered_cluster_manager": true,
        "active_primary_shards": primaries,
        "active_shards": primaries,
        "relocating_shards": 0,
        "initializing_shards": 0,
        "unassigned_shards": unassigned,
        "delayed_unassigned_shards": 0,
        "number_of_pending_tasks": 0,
        "number_of_in_flight_fetch": 0,
        "task_max_waiting_in_queue_millis": 0,
        "active_shards_percent_as_number": percent
    }))
}

/// One leaf field of the indices that match an index pattern, as `_fields_for_wildcard` sees it.
pub(crate) struct LeafField {
    pub(crate) name: String,
    pub(crate) es_type: String,
    /// The parent field of a multi-field (`message.keyword` has parent `message`).
    pub(crate) parent: Option<String>,
}

/// The leaf fields of every index matching the comma-separated `pattern`, sorted by name.
pub(crate) fn leaf_fields(c: &Cluster, pattern: &str) -> Vec<LeafField> {
    fn walk(
        props: &serde_json::Map<String, Value>,
        prefix: &str,
        out: &mut BTreeMap<String, LeafField>,
    ) {
        for (k, def) in props {
            let name = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if let Some(inner) = def.get("properties").and_then(Value::as_object) {
                walk(inner, &name, out);
                continue;
            }
            let es_type = def
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("object")
                .to_string();
            if let Some(multi) = def.get("fields").and_then(Value::as_object) {
                for (sub, sub_def) in multi {
                    let sub_type = sub_def
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("keyword")
                        .to_string();
                    out.insert(
                        format!("{name}.{sub}"),
                        LeafField {
                            name: format!("{name}.{sub}"),
                            es_type: sub_type,
                            parent: Some(name.clone()),
                        },
                    );
                }
            }
            out.insert(
                name.clone(),
                LeafField {
                    name,
                    es_type,
                    parent: None,
                },
            );
        }
    }
    let mut out = BTreeMap::new();
    for (index, i) in &c.indices {
        if pattern
            .split(',')
            .any(|p| crate::http::simple_match(p.trim(), index))
        {
            if let Some(props) = i.mappings.get("properties").and_then(Value::as_object) {
                walk(props, "", &mut out);
            }
        }
    }
    out.into_values().collect()
}
