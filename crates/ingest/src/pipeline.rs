//! A pipeline: an id, a description, a version and a [`CompoundProcessor`]
//! (`server/src/main/java/org/opensearch/ingest/Pipeline.java`, `Pipeline.create`).

use serde_json::Value as Json;

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{
    read_processor_configs_at, CompoundProcessor, Outcome, Processor, Run, Scope, Settings,
};
use crate::registry::Registry;
use crate::trace::ProcessorInfo;

/// A built pipeline.
pub struct Pipeline {
    id: String,
    description: Option<String>,
    version: Option<i32>,
    compound: CompoundProcessor,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("id", &self.id)
            .field("description", &self.description)
            .field("version", &self.version)
            .field("processors", &self.compound.processors().len())
            .finish()
    }
}

impl Pipeline {
    /// `Pipeline.create(id, config, factories, scriptService)`: `description`, `version`,
    /// `processors` (required), `on_failure` (not empty when given); any other key is "pipeline
    /// [id] doesn't support one or more provided configuration parameters [...]".
    pub fn create(
        id: &str,
        config: &Json,
        registry: &Registry,
        settings: &Settings,
    ) -> Result<Pipeline, IngestError> {
        let map = match config {
            Json::Object(map) => map.clone(),
            other => {
                return Err(IngestError::parse(format!(
                    "pipeline [{id}] configuration isn't an object, but of type [{}]",
                    crate::config::json_class_name(other)
                )))
            }
        };
        let mut config = Config::new_anonymous(map);
        let description = config.optional_string("description")?;
        let version = config.int("version", None)?;
        let processor_configs = config.required_list("processors")?;
        let (processors, pointers) =
            read_processor_configs_at(registry, settings, processor_configs, Some("/processors"))?;
        let on_failure_configs = config.optional_list("on_failure")?;
        let had_on_failure = on_failure_configs.is_some();
        let (on_failure, on_failure_pointers) = read_processor_configs_at(
            registry,
            settings,
            on_failure_configs.unwrap_or_default(),
            Some("/on_failure"),
        )?;
        if !config.is_empty() {
            return Err(IngestError::parse(format!(
                "pipeline [{id}] doesn't support one or more provided configuration parameters [{}]",
                config.remaining_keys().join(", ")
            )));
        }
        if had_on_failure && on_failure.is_empty() {
            return Err(IngestError::parse(format!(
                "pipeline [{id}] cannot have an empty on_failure option defined"
            )));
        }
        Ok(Pipeline {
            id: id.to_string(),
            description,
            version,
            compound: CompoundProcessor::new(false, processors, on_failure).with_locations(
                Scope::Pipeline,
                pointers,
                on_failure_pointers,
            ),
        })
    }

    /// A pipeline from already built processors.
    pub fn new(
        id: &str,
        description: Option<String>,
        version: Option<i32>,
        compound: CompoundProcessor,
    ) -> Pipeline {
        Pipeline {
            id: id.to_string(),
            description,
            version,
            compound,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    pub fn version(&self) -> Option<i32> {
        self.version
    }

    pub fn compound(&self) -> &CompoundProcessor {
        &self.compound
    }

    /// Every processor of the pipeline with its JSON pointer in the pipeline body (see
    /// [`crate::trace`]), nested ones included (a processor's on_failure, foreach's
    /// processor), in body order: each processor, then what it holds; the pipeline's
    /// on_failure last. Not the processors of other pipelines a `pipeline` processor calls.
    /// Empty for a pipeline built with [`Pipeline::new`] from a compound without locations.
    pub fn processors(&self) -> Vec<ProcessorInfo> {
        let mut out = Vec::new();
        self.compound.describe(&mut out);
        out
    }

    /// `Pipeline.execute` (the compound processor on the document), without the pipeline
    /// stack bookkeeping; see [`execute_pipeline`].
    pub fn execute(&self, doc: &mut IngestDocument, run: &mut Run) -> Result<Outcome, IngestError> {
        self.compound.execute(doc, run)
    }
}

/// "Cycle detected for pipeline: " (`IngestDocument.PIPELINE_CYCLE_ERROR_MESSAGE`).
pub const PIPELINE_CYCLE_ERROR_MESSAGE: &str = "Cycle detected for pipeline: ";

/// `IngestDocument.executePipeline`: refuses a pipeline already running for this document
/// (`IllegalStateException`, "Cycle detected for pipeline: x"), else records it, sets
/// `_ingest.pipeline` while it runs, and restores both afterwards.
pub fn execute_pipeline(
    pipeline: &Pipeline,
    doc: &mut IngestDocument,
    run: &mut Run,
) -> Result<Outcome, IngestError> {
    let Some(previous) = doc.enter_pipeline(pipeline.id()) else {
        return Err(IngestError::illegal_state(format!(
            "{PIPELINE_CYCLE_ERROR_MESSAGE}{}",
            pipeline.id()
        )));
    };
    if let Some(trace) = run.recorder() {
        trace.enter(pipeline.id());
    }
    let result = pipeline.execute(doc, run);
    if let Some(trace) = run.recorder() {
        trace.leave();
    }
    doc.leave_pipeline(pipeline.id(), previous);
    result
}

/// Same, with the pipeline's processors decorated for a verbose simulate.
pub(crate) fn execute_pipeline_tracked(
    pipeline: &Pipeline,
    doc: &mut IngestDocument,
    run: &mut Run,
) -> Result<Outcome, IngestError> {
    let Some(previous) = doc.enter_pipeline(pipeline.id()) else {
        return Err(IngestError::illegal_state(format!(
            "{PIPELINE_CYCLE_ERROR_MESSAGE}{}",
            pipeline.id()
        )));
    };
    let result = pipeline.compound.execute_tracked(None, doc, run);
    doc.leave_pipeline(pipeline.id(), previous);
    result
}
