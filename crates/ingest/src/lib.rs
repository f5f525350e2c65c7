//! Runs OpenSearch 2.x ingest pipelines offline, as an OpenSearch 2.19 node does. See README.md.
//!
//! [`Engine`] is what siemctl and the cluster emulator use: [`Engine::put_pipeline`] builds a
//! pipeline (every creation error is the 400 a node answers), [`Engine::simulate`] answers
//! `_ingest/pipeline/_simulate`, [`Engine::run`] runs the pipelines of an index request
//! (request pipeline or `index.default_pipeline`, then `index.final_pipeline`).
//!
//! Processor authors: implement [`processor::Processor`] and expose a [`processor::Factory`]
//! (`pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError>`),
//! reading options with [`config::Config`], templates with [`template::Template`], the document
//! with [`document::IngestDocument`]; register it in [`registry::STANDARD`].

pub use painless::value::{self, Value};

pub mod config;
pub mod date;
pub mod document;
pub mod error;
pub mod grok;
pub mod mapping;
pub mod pipeline;
pub mod processor;
pub mod processors;
pub mod registry;
pub mod scripting;
pub mod service;
pub mod simulate;
pub mod template;
pub mod trace;
pub mod value_source;

#[cfg(test)]
pub(crate) mod test_support;

use std::collections::HashMap;
use std::sync::Arc;

pub use config::Config;
pub use document::{IngestDocument, Timestamp};
pub use error::IngestError;
pub use pipeline::Pipeline;
pub use processor::{Common, Factory, Outcome, Processor, Run};
pub use registry::Registry;
pub use service::{IndexPipelines, IndexRequest, IngestOutcome, NoIndexPipelines};
pub use template::Template;
pub use trace::{Counts, HandledFailure, HandlerLevel, ProcessorInfo, ProcessorRef, Trace};

/// Where "now" comes from (`_ingest.timestamp`); injectable so that tests fix it.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The system clock (microsecond precision, as Java's on Linux).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that always answers the same instant.
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

/// The ingest engine: the stored pipelines, built when put, and what runs them. `Send + Sync`.
pub struct Engine {
    pipelines: HashMap<String, Arc<Pipeline>>,
    configs: HashMap<String, serde_json::Value>,
    registry: Registry,
    settings: processor::Settings,
    clock: Arc<dyn Clock>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut ids: Vec<&String> = self.pipelines.keys().collect();
        ids.sort();
        f.debug_struct("Engine").field("pipelines", &ids).finish()
    }
}

impl processor::PipelineSource for Engine {
    fn pipeline(&self, id: &str) -> Option<Arc<Pipeline>> {
        self.pipelines.get(id).cloned()
    }
}

impl Engine {
    /// An engine with the standard processors, default settings and the system clock.
    pub fn new() -> Engine {
        Engine {
            pipelines: HashMap::new(),
            configs: HashMap::new(),
            registry: Registry::standard(),
            settings: processor::Settings::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// The same engine with another clock for `_ingest.timestamp`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Engine {
        self.clock = clock;
        self
    }

    /// The same engine with other settings (Painless regex and loop limits).
    pub fn with_settings(mut self, settings: processor::Settings) -> Engine {
        self.settings = settings;
        self
    }

    /// The processor registry (to add processor types).
    pub fn registry_mut(&mut self) -> &mut Registry {
        &mut self.registry
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn settings(&self) -> &processor::Settings {
        &self.settings
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// `PUT _ingest/pipeline/{id}`: builds the pipeline (`IngestService.validatePipeline` then
    /// `Pipeline.create`) and stores it, replacing one of the same id. The error is the one the
    /// node answers (its [`IngestError::status`] and [`IngestError::to_json`]).
    pub fn put_pipeline(&mut self, id: &str, body: &serde_json::Value) -> Result<(), IngestError> {
        let pipeline = Pipeline::create(id, body, &self.registry, &self.settings)?;
        self.pipelines.insert(id.to_string(), Arc::new(pipeline));
        self.configs.insert(id.to_string(), body.clone());
        Ok(())
    }

    /// Builds a pipeline without storing it.
    pub fn build_pipeline(
        &self,
        id: &str,
        body: &serde_json::Value,
    ) -> Result<Pipeline, IngestError> {
        Pipeline::create(id, body, &self.registry, &self.settings)
    }

    /// `DELETE _ingest/pipeline/{id}`: whether it existed.
    pub fn delete_pipeline(&mut self, id: &str) -> bool {
        self.configs.remove(id);
        self.pipelines.remove(id).is_some()
    }

    /// A stored pipeline.
    pub fn pipeline(&self, id: &str) -> Option<Arc<Pipeline>> {
        self.pipelines.get(id).cloned()
    }

    /// The body a stored pipeline was put with.
    pub fn pipeline_config(&self, id: &str) -> Option<&serde_json::Value> {
        self.configs.get(id)
    }

    /// The ids of the stored pipelines, sorted.
    pub fn pipeline_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.pipelines.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// `POST _ingest/pipeline[/{id}]/_simulate[?verbose]`: the response body, or the request's
    /// error.
    pub fn simulate(
        &self,
        id: Option<&str>,
        request: &serde_json::Value,
        verbose: bool,
    ) -> Result<serde_json::Value, IngestError> {
        simulate::simulate(self, id, request, verbose)
    }

    /// Runs the pipelines of an index request as `IngestService.executeBulkRequest` does.
    pub fn run(&self, request: IndexRequest, pipelines: &dyn IndexPipelines) -> IngestOutcome {
        service::run(self, request, pipelines, None)
    }

    /// [`Engine::run`], recording in `trace` what the run touched: per pipeline, the
    /// processors reached (by JSON pointer into the pipeline body), skipped by their `if`, or
    /// that threw, and the failures an `on_failure` or `ignore_failure` handled (see
    /// [`trace`]). The outcome is exactly `run`'s. `trace` accumulates over runs.
    pub fn run_traced(
        &self,
        request: IndexRequest,
        pipelines: &dyn IndexPipelines,
        trace: &mut Trace,
    ) -> IngestOutcome {
        service::run(self, request, pipelines, Some(trace))
    }
}

/// The engine is shared between threads by the emulator.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
    assert_send_sync::<Pipeline>();
};
