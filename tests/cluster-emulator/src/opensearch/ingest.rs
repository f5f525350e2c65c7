//! Ingest on write: which pipelines apply to an index request (`IngestService.resolvePipelines`).

use serde_json::Value;

use super::documents::{write_index, DocRequest, VersionType, MATCH_ANY};
use super::templates::layers_for;
use super::Cluster;
use crate::http::OsError;

pub(crate) enum Ingested {
    /// No pipeline applied.
    Unchanged(DocRequest),
    /// Pipelines ran; the request as they left it.
    Processed(DocRequest),
    /// A `drop` processor dropped the document: the request as it came.
    Dropped(DocRequest),
}

/// An index setting of an existing index (through an alias, its write index), else of the
/// templates a new index of that name would get (IngestService.resolvePipelines reads the
/// matching composable template, else the legacy templates by descending order).
pub(crate) fn index_setting(c: &Cluster, name: &str, key: &str) -> Option<String> {
    if let Ok(Some(concrete)) = write_index(c, name, false) {
        return c.indices[&concrete]
            .settings
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    let mut found = None;
    for layer in layers_for(c, name) {
        if let Some(v) = layer.settings.as_ref().and_then(|s| s.get(key)) {
            found = v.as_str().map(str::to_string);
        }
    }
    found
}

/// The index settings the engine reads, over the emulator's indices and templates.
struct ClusterPipelines<'a>(&'a Cluster);

impl ::ingest::IndexPipelines for ClusterPipelines<'_> {
    fn default_pipeline(&self, index: &str) -> Option<String> {
        index_setting(self.0, index, "index.default_pipeline")
    }
    fn final_pipeline(&self, index: &str) -> Option<String> {
        index_setting(self.0, index, "index.final_pipeline")
    }
}

/// Runs the pipelines of an index request (`IngestService.executeBulkRequest` through the engine):
/// the processed request, a dropped one, or the item's error.
pub(crate) fn run(c: &Cluster, w: DocRequest) -> Result<Ingested, OsError> {
    if !applies(c, &w.index, w.pipeline.as_deref()) {
        return Ok(Ingested::Unchanged(w));
    }
    let request = ::ingest::IndexRequest {
        index: w.index.clone(),
        id: w.id.clone(),
        routing: w.routing.clone(),
        source: w.source.clone(),
        pipeline: w.pipeline.clone(),
        version: (w.version != MATCH_ANY).then_some(w.version),
        version_type: match w.version_type {
            VersionType::Internal => None,
            VersionType::External => Some("external".to_string()),
            VersionType::ExternalGte => Some("external_gte".to_string()),
        },
        if_seq_no: w.if_seq_no,
        if_primary_term: w.if_primary_term,
    };
    match c.engine.run(request, &ClusterPipelines(c)) {
        ::ingest::IngestOutcome::Indexed(r) => Ok(Ingested::Processed(DocRequest {
            index: r.index,
            id: r.id,
            routing: r.routing,
            source: r.source,
            version: r.version.unwrap_or(MATCH_ANY),
            version_type: match r.version_type.as_deref() {
                Some("external") => VersionType::External,
                Some("external_gte") => VersionType::ExternalGte,
                _ => VersionType::Internal,
            },
            if_seq_no: r.if_seq_no,
            if_primary_term: r.if_primary_term,
            ..w
        })),
        ::ingest::IngestOutcome::Dropped => Ok(Ingested::Dropped(w)),
        ::ingest::IngestOutcome::Failed(e) => Err(super::pipelines::ingest_error(&e)),
    }
}

/// The deprecation warning 2.19's update action adds when the index has a default or final
/// pipeline (the 75_update.yml REST test).
pub(crate) fn update_pipeline_warning(c: &Cluster, index: &str) -> Option<String> {
    let concrete = write_index(c, index, false).ok().flatten()?;
    let has = |k: &str| index_setting(c, &concrete, k).is_some_and(|p| p != "_none");
    (has("index.default_pipeline") || has("index.final_pipeline")).then(|| {
        format!("the index [{concrete}] has a default ingest pipeline or a final ingest pipeline, the support of the ingest pipelines for update operation causes unexpected result and will be removed in 3.0.0")
    })
}

/// `GET /_ingest/processor/grok` (GrokProcessorGetAction): the built-in pattern bank, in its
/// LinkedHashMap order, or sorted by name with `?s=true`.
pub(crate) fn grok_patterns(req: &crate::http::Req) -> crate::http::OsResult {
    let sorted = match req.param("s") {
        None | Some("false") => false,
        Some("" | "true") => true,
        Some(v) => {
            return Err(OsError::illegal_argument(format!(
                "Failed to parse value [{v}] as only [true] or [false] are allowed."
            )))
        }
    };
    let mut patterns = serde_json::Map::new();
    if sorted {
        for (k, v) in ingest::grok::pattern_bank() {
            patterns.insert(k.clone(), Value::String(v.clone()));
        }
    } else {
        for (k, v) in ingest::grok::pattern_bank_ordered() {
            patterns.insert(k.clone(), Value::String(v.clone()));
        }
    }
    Ok(crate::http::Resp::ok(
        serde_json::json!({ "patterns": Value::Object(patterns) }),
    ))
}

/// `IngestService.resolvePipelines`: whether any pipeline applies to a request for `index`
/// (its own, else the default; then the final; `_none` is no pipeline).
pub(crate) fn applies(c: &Cluster, index: &str, pipeline: Option<&str>) -> bool {
    let real = |p: Option<String>| p.is_some_and(|p| p != "_none");
    let request_or_default = match pipeline {
        Some(p) => real(Some(p.to_string())),
        None => real(index_setting(c, index, "index.default_pipeline")),
    };
    request_or_default || real(index_setting(c, index, "index.final_pipeline"))
}
