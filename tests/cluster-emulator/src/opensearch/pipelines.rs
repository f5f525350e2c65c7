//! Ingest pipelines: built by the ingest engine when they are put (`IngestService.putPipeline`
//! validates by building: every creation error is the node's), stored as sent (key order kept)
//! for GET, and run by `_simulate` and on indexing.

use serde_json::{json, Map, Value};

use super::Cluster;
use crate::http::{parse_json_body, simple_match, OsError, OsResult, Req, Resp};

/// An engine error as the REST layer answers it.
pub(crate) fn ingest_error(e: &::ingest::IngestError) -> OsError {
    OsError::prerendered(e.status(), e.to_json())
}

pub(crate) fn put(c: &mut Cluster, req: &Req, id: &str) -> OsResult {
    let body = parse_json_body(req)?;
    c.engine
        .put_pipeline(id, &body)
        .map_err(|e| ingest_error(&e))?;
    c.pipelines.insert(id.to_string(), body);
    Ok(Resp::ack())
}

pub(crate) fn get(c: &Cluster, id: Option<&str>) -> OsResult {
    let mut out = Map::new();
    // IngestMetadata keeps its pipelines in a HashMap: responses come in its iteration order.
    let keys: Vec<&String> = c.pipelines.keys().collect();
    for k in super::normalize::hash_map_iteration_order(&keys) {
        let v = &c.pipelines[k.as_str()];
        let wanted = id.is_none_or(|ids| ids.split(',').any(|p| simple_match(p, k)));
        if wanted {
            out.insert(k.clone(), v.clone());
        }
    }
    // GetPipelineResponse.status(): NOT_FOUND whenever no pipeline is in the answer, a
    // plain `GET /_ingest/pipeline` on a cluster without pipelines included.
    if out.is_empty() {
        return Ok(Resp::json(404, json!({})));
    }
    Ok(Resp::ok(Value::Object(out)))
}

pub(crate) fn delete(c: &mut Cluster, id: &str) -> OsResult {
    let matched: Vec<String> = c
        .pipelines
        .keys()
        .filter(|k| simple_match(id, k))
        .cloned()
        .collect();
    // IngestService.innerDelete: nothing matched is a 404 unless the id is the match-all `*`.
    if matched.is_empty() && id != "*" {
        return Err(OsError::new(
            404,
            "resource_not_found_exception",
            format!("pipeline [{id}] is missing"),
        ));
    }
    for k in matched {
        c.pipelines.remove(&k);
        c.engine.delete_pipeline(&k);
    }
    Ok(Resp::ack())
}

/// `POST|GET /_ingest/pipeline[/{id}]/_simulate[?verbose]`: run by the engine.
pub(crate) fn simulate(c: &Cluster, req: &Req, id: Option<&str>) -> OsResult {
    let body = parse_json_body(req)?;
    let verbose = req.flag("verbose");
    let out = c
        .engine
        .simulate(id, &body, verbose)
        .map_err(|e| ingest_error(&e))?;
    Ok(Resp::ok(out))
}
