//! `POST _ingest/pipeline[/{id}]/_simulate` (`server/src/main/java/org/opensearch/action/ingest/`:
//! `SimulatePipelineRequest.parse`/`parseDocs`, `SimulateExecutionService.executeDocument`,
//! `SimulateDocumentBaseResult`, `SimulateDocumentVerboseResult`, `SimulateProcessorResult`,
//! `WriteableIngestDocument`).

use serde_json::{json, Value as Json};

use crate::config::Config;
use crate::document::{DocumentMetadata, IngestDocument};
use crate::error::IngestError;
use crate::pipeline::{execute_pipeline, execute_pipeline_tracked, Pipeline};
use crate::processor::{Outcome, Run};
use crate::Engine;

/// `SimulatePipelineRequest.SIMULATED_PIPELINE_ID`.
pub const SIMULATED_PIPELINE_ID: &str = "_simulate_pipeline";

pub(crate) fn simulate(
    engine: &Engine,
    id: Option<&str>,
    request: &Json,
    verbose: bool,
) -> Result<Json, IngestError> {
    let Json::Object(body) = request else {
        return Err(IngestError::parse("request body is required"));
    };
    let mut config = Config::new_anonymous(body.clone());
    let inline;
    let pipeline: &Pipeline = match id {
        Some(id) => {
            let Some(p) = engine.pipeline(id) else {
                return Err(IngestError::illegal_argument(format!(
                    "pipeline [{id}] does not exist"
                )));
            };
            inline = p;
            &inline
        }
        None => {
            let pipeline_config = config.required_map("pipeline")?;
            inline = std::sync::Arc::new(
                engine.build_pipeline(SIMULATED_PIPELINE_ID, &Json::Object(pipeline_config))?,
            );
            &inline
        }
    };
    let docs = parse_docs(engine, &mut config)?;
    let mut results = Vec::with_capacity(docs.len());
    for mut doc in docs {
        results.push(execute_document(engine, pipeline, &mut doc, verbose)?);
    }
    Ok(json!({ "docs": results }))
}

/// `SimulatePipelineRequest.parseDocs`.
fn parse_docs(engine: &Engine, config: &mut Config) -> Result<Vec<IngestDocument>, IngestError> {
    let docs = config.required_list("docs")?;
    let mut out = Vec::with_capacity(docs.len());
    for entry in docs {
        let Json::Object(data) = entry else {
            return Err(IngestError::illegal_argument(
                "malformed [docs] section, should include an inner object",
            ));
        };
        let mut data = Config::new_anonymous(data);
        let source = data.required_map("_source")?;
        let index = data.string_or_int("_index", Some("_index"))?;
        let id = data.string_or_int("_id", Some("_id"))?;
        let routing = data.optional_string_or_int("_routing")?;
        let version = long_param(&mut data, "_version")?;
        let version_type = match data.optional_string("_version_type")? {
            None => None,
            Some(t) => Some(version_type_from_string(&t)?),
        };
        let if_seq_no = long_param(&mut data, "_if_seq_no")?;
        let if_primary_term = long_param(&mut data, "_if_primary_term")?;
        let metadata = DocumentMetadata {
            index,
            id: Some(id),
            routing,
            version,
            version_type,
            if_seq_no: None,
            if_primary_term: None,
        };
        let mut doc = IngestDocument::new(
            &metadata,
            &painless::value::from_json(&Json::Object(source)),
            engine.now(),
        );
        if let Some(s) = if_seq_no {
            doc.set_field("_if_seq_no", painless::Value::Long(s))?;
        }
        if let Some(t) = if_primary_term {
            doc.set_field("_if_primary_term", painless::Value::Long(t))?;
        }
        out.push(doc);
    }
    Ok(out)
}

/// `_version`, `_if_seq_no`, `_if_primary_term`: an int or a long.
fn long_param(data: &mut Config, name: &str) -> Result<Option<i64>, IngestError> {
    match data.optional_value(name) {
        None => Ok(None),
        Some(Json::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64()),
        Some(_) => Err(IngestError::illegal_argument(format!(
            "Failed to parse parameter [{name}], only int or long is accepted"
        ))),
    }
}

/// `VersionType.fromString` then `VersionType.toString`.
pub fn version_type_from_string(s: &str) -> Result<String, IngestError> {
    Ok(match s {
        "internal" => "internal",
        "external" | "external_gt" => "external",
        "external_gte" => "external_gte",
        other => {
            return Err(IngestError::illegal_argument(format!(
                "No version type match [{other}]"
            )))
        }
    }
    .to_string())
}

/// `SimulateExecutionService.executeDocument`.
fn execute_document(
    engine: &Engine,
    pipeline: &Pipeline,
    doc: &mut IngestDocument,
    verbose: bool,
) -> Result<Json, IngestError> {
    if verbose {
        let mut results = Vec::new();
        let fatal = {
            let mut run = Run::tracing(engine, &mut results);
            let _ = execute_pipeline_tracked(pipeline, doc, &mut run);
            run.take_fatal()
        };
        if let Some(e) = fatal {
            return Err(e);
        }
        let results: Vec<Json> = results.iter().map(|r| r.to_json()).collect();
        return Ok(json!({ "processor_results": results }));
    }
    let mut run = Run::new(engine);
    match execute_pipeline(pipeline, doc, &mut run) {
        Ok(Outcome::Continue) => Ok(json!({ "doc": doc.to_simulate_json()? })),
        Ok(Outcome::Drop) => Ok(Json::Null),
        Err(e) => Ok(json!({ "error": e.to_json() })),
    }
}

#[cfg(test)]
mod tests;
