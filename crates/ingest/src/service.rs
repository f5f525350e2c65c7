//! What an OpenSearch node's `IngestService` does for an index request
//! (`server/src/main/java/org/opensearch/ingest/IngestService.java`: `resolvePipelines`,
//! `executeBulkRequest`, `executePipelines`, `innerExecute`).
//!
//! The request's `pipeline` (else the index's `index.default_pipeline`) runs, then the index's
//! `index.final_pipeline`; `_none` is no pipeline. A pipeline that changes `_index` stops the
//! remaining pipelines, and only the final pipeline of the new index runs next; a final
//! pipeline that changes `_index` is the error "final pipeline [x] can't change the target
//! index". A pipeline with no processors leaves the request as it is. A dropped document is not
//! indexed.

use serde_json::Value as Json;

use crate::document::{DocumentMetadata, IngestDocument};
use crate::error::IngestError;
use crate::pipeline::execute_pipeline;
use crate::processor::{Outcome, Run};
use crate::trace::Trace;
use crate::Engine;

/// `IngestService.NOOP_PIPELINE_NAME`.
pub const NOOP_PIPELINE_NAME: &str = "_none";

/// `Versions.MATCH_ANY`: the version of a request that names none.
pub const MATCH_ANY: i64 = -3;

/// An index request as ingest sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexRequest {
    pub index: String,
    pub id: Option<String>,
    pub routing: Option<String>,
    /// The document (a JSON object).
    pub source: Json,
    /// The `pipeline` parameter of the request.
    pub pipeline: Option<String>,
    /// `version` (None: `MATCH_ANY`).
    pub version: Option<i64>,
    /// `version_type` (None: `internal`).
    pub version_type: Option<String>,
    pub if_seq_no: Option<i64>,
    pub if_primary_term: Option<i64>,
}

impl IndexRequest {
    /// A request for `index` with this source and nothing else.
    pub fn new(index: &str, source: Json) -> IndexRequest {
        IndexRequest {
            index: index.to_string(),
            id: None,
            routing: None,
            source,
            pipeline: None,
            version: None,
            version_type: None,
            if_seq_no: None,
            if_primary_term: None,
        }
    }
}

/// The index settings ingest reads: those of the existing index, else of the template that
/// would create it.
pub trait IndexPipelines {
    fn default_pipeline(&self, index: &str) -> Option<String>;
    fn final_pipeline(&self, index: &str) -> Option<String>;
}

/// No index has pipelines.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoIndexPipelines;

impl IndexPipelines for NoIndexPipelines {
    fn default_pipeline(&self, _index: &str) -> Option<String> {
        None
    }
    fn final_pipeline(&self, _index: &str) -> Option<String> {
        None
    }
}

/// What ingest made of an index request.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)] // one per request, moved once: boxing would only add an allocation
pub enum IngestOutcome {
    /// Index this request (processed source and metadata).
    Indexed(IndexRequest),
    /// A `drop` processor dropped it: nothing is written.
    Dropped,
    /// The item fails with this error.
    Failed(IngestError),
}

fn non_noop(p: Option<String>) -> Option<String> {
    p.filter(|p| p != NOOP_PIPELINE_NAME)
}

/// `resolvePipelines`: (pipeline, final pipeline), `None` for `_none`.
pub fn resolve_pipelines(
    request_pipeline: Option<&str>,
    index: &str,
    settings: &dyn IndexPipelines,
) -> (Option<String>, Option<String>) {
    let pipeline = match request_pipeline {
        Some(p) => Some(p.to_string()),
        None => settings.default_pipeline(index),
    };
    (non_noop(pipeline), non_noop(settings.final_pipeline(index)))
}

pub(crate) fn run(
    engine: &Engine,
    request: IndexRequest,
    settings: &dyn IndexPipelines,
    trace: Option<&mut Trace>,
) -> IngestOutcome {
    match trace {
        None => run_pipelines(engine, request, settings, None),
        Some(trace) => {
            trace.start_run();
            let outcome = run_pipelines(engine, request, settings, Some(&mut *trace));
            trace.end_run(matches!(outcome, IngestOutcome::Failed(_)));
            outcome
        }
    }
}

fn run_pipelines(
    engine: &Engine,
    mut request: IndexRequest,
    settings: &dyn IndexPipelines,
    mut trace: Option<&mut Trace>,
) -> IngestOutcome {
    let (pipeline, final_pipeline) =
        resolve_pipelines(request.pipeline.as_deref(), &request.index, settings);
    let has_final_pipeline = final_pipeline.is_some() || pipeline.is_none();
    let mut queue: Vec<String> = pipeline.into_iter().chain(final_pipeline).collect();
    if queue.is_empty() {
        return IngestOutcome::Indexed(request);
    }
    let mut has_final = has_final_pipeline;
    let mut i = 0;
    while i < queue.len() {
        let id = queue[i].clone();
        let is_last = i + 1 == queue.len();
        let Some(pipeline) = engine.pipeline(&id) else {
            return IngestOutcome::Failed(IngestError::illegal_argument(format!(
                "pipeline with id [{id}] does not exist"
            )));
        };
        let original_index = request.index.clone();
        match inner_execute(engine, &mut request, &pipeline, trace.as_deref_mut()) {
            Err(e) => return IngestOutcome::Failed(e),
            Ok(Outcome::Drop) => return IngestOutcome::Dropped,
            Ok(Outcome::Continue) => {}
        }
        if request.index != original_index {
            if has_final && is_last {
                return IngestOutcome::Failed(IngestError::illegal_state(format!(
                    "final pipeline [{id}] can't change the target index"
                )));
            }
            // Re-resolve for the new index; only its final pipeline runs.
            let (_, new_final) = resolve_pipelines(None, &request.index, settings);
            queue.truncate(i + 1);
            match new_final {
                Some(f) => {
                    queue.push(f);
                    has_final = true;
                }
                None => break,
            }
        }
        i += 1;
    }
    IngestOutcome::Indexed(request)
}

/// `innerExecute`: one pipeline on the request, writing the metadata and source back.
fn inner_execute(
    engine: &Engine,
    request: &mut IndexRequest,
    pipeline: &crate::pipeline::Pipeline,
    trace: Option<&mut Trace>,
) -> Result<Outcome, IngestError> {
    if pipeline.compound().processors().is_empty() {
        if let Some(trace) = trace {
            // It ran, with nothing to reach.
            trace.enter(pipeline.id());
            trace.leave();
        }
        return Ok(Outcome::Continue);
    }
    let metadata = DocumentMetadata {
        index: request.index.clone(),
        id: request.id.clone(),
        routing: request.routing.clone(),
        version: Some(request.version.unwrap_or(MATCH_ANY)),
        version_type: Some(
            request
                .version_type
                .clone()
                .unwrap_or_else(|| "internal".to_string()),
        ),
        if_seq_no: request.if_seq_no,
        if_primary_term: request.if_primary_term,
    };
    let source = painless::value::from_json(&request.source);
    let mut doc = IngestDocument::new(&metadata, &source, engine.now());
    let mut run = match trace {
        None => Run::new(engine),
        Some(trace) => Run::new(engine).with_recorder(trace),
    };
    match execute_pipeline(pipeline, &mut doc, &mut run)? {
        Outcome::Drop => return Ok(Outcome::Drop),
        Outcome::Continue => {}
    }
    let extracted = doc.extract_metadata();
    let get = |name: &str| {
        extracted
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or(painless::Value::Null)
    };
    request.index = string_metadata(&get("_index"))?.unwrap_or_default();
    request.id = string_metadata(&get("_id"))?;
    request.routing = string_metadata(&get("_routing"))?;
    let version =
        number_metadata(&get("_version"))?.ok_or_else(IngestError::null_pointer_version)?;
    request.version = (version != MATCH_ANY).then_some(version);
    if let Some(t) = string_metadata(&get("_version_type"))? {
        let t = crate::simulate::version_type_from_string(&t)?;
        request.version_type = (t != "internal" || request.version_type.is_some()).then_some(t);
    }
    if let Some(s) = number_metadata(&get("_if_seq_no"))? {
        request.if_seq_no = Some(s);
    }
    if let Some(t) = number_metadata(&get("_if_primary_term"))? {
        request.if_primary_term = Some(t);
    }
    request.source = crate::document::to_json(doc.source_and_metadata())?;
    Ok(Outcome::Continue)
}

/// `(String) metadataMap.get(...)`.
fn string_metadata(v: &painless::Value) -> Result<Option<String>, IngestError> {
    match v {
        painless::Value::Null => Ok(None),
        painless::Value::String(s) => Ok(Some(s.to_string())),
        other => Err(IngestError::class_cast(
            other.class_name().unwrap_or("null"),
            "java.lang.String",
        )),
    }
}

/// `((Number) metadataMap.get(...)).longValue()`.
fn number_metadata(v: &painless::Value) -> Result<Option<i64>, IngestError> {
    use painless::Value as V;
    Ok(match v {
        V::Null => None,
        V::Byte(x) => Some(i64::from(*x)),
        V::Short(x) => Some(i64::from(*x)),
        V::Int(x) => Some(i64::from(*x)),
        V::Long(x) => Some(*x),
        V::Float(x) => Some(*x as i64),
        V::Double(x) => Some(*x as i64),
        other => {
            return Err(IngestError::class_cast(
                other.class_name().unwrap_or("null"),
                "java.lang.Number",
            ))
        }
    })
}

impl IngestError {
    fn null_pointer_version() -> IngestError {
        IngestError::new(
            "null_pointer_exception",
            "Cannot invoke \"java.lang.Number.longValue()\" because the return value of \"java.util.Map.get(Object)\" is null",
        )
    }
}

#[cfg(test)]
mod tests;
