//! Processors and how the core composes them.
//!
//! Sources: `server/src/main/java/org/opensearch/ingest/Processor.java`, `CompoundProcessor.java`
//! (a list of processors with `ignore_failure` and `on_failure`, and the `IngestProcessorException`
//! wrapping with `processor_type`/`processor_tag`/`pipeline_origin` headers),
//! `ConditionalProcessor.java` (the `if` script, run on a read-only view of the document),
//! `ConfigurationUtils.readProcessor` (common options: `tag`, `description`, `ignore_failure`,
//! `if`, `on_failure`) and `TrackingResultProcessor.java` (verbose simulate).
//!
//! A processor module implements [`Processor`] for its leaf processor and exposes
//! `pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError>`
//! (a [`Factory`]). The core reads the common options before the factory runs and wraps the
//! result as upstream does: a [`CompoundProcessor`] when the processor has `on_failure` or
//! `ignore_failure`, then a [`ConditionalProcessor`] when it has `if`.

use std::sync::Arc;

use serde_json::Value as Json;

use crate::config::{config_error_from, new_config_error, Config};
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::pipeline::Pipeline;
use crate::registry::Registry;
use crate::scripting::{ScriptConfig, ScriptContextKind};
use crate::trace::{pointer_token, HandlerLevel, ProcessorInfo, Trace};

/// One processor of a pipeline.
pub trait Processor: Send + Sync {
    /// Runs on the document. `Ok(Outcome::Drop)` drops the document (upstream: the processor
    /// returned `null`).
    fn execute(&self, doc: &mut IngestDocument, run: &mut Run) -> Result<Outcome, IngestError>;
    /// The processor type, e.g. `"lowercase"`.
    fn kind(&self) -> &'static str;
    fn tag(&self) -> Option<&str>;
    fn description(&self) -> Option<&str>;
    /// How the core sees inside its own composite processors (verbose simulate decorates them
    /// as `TrackingResultProcessor.decorate` does). Leaf processors keep the default.
    #[doc(hidden)]
    fn node(&self) -> Node<'_> {
        Node::Leaf
    }
}

/// What a processor did with the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Go on with the next processor.
    Continue,
    /// Drop the document: nothing is indexed, the pipeline stops.
    Drop,
}

/// A processor factory: builds one processor type from its options. The common options are
/// already read (see [`Common`]); what the factory leaves unread in `config` is the error
/// "processor [type] doesn't support one or more provided configuration parameters [...]".
pub type Factory =
    fn(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError>;

/// The kinds of core processors, for verbose simulate.
#[doc(hidden)]
pub enum Node<'a> {
    Leaf,
    Compound(&'a CompoundProcessor),
    Conditional(&'a ConditionalProcessor),
    /// The `pipeline` processor: its target pipeline, if it exists (for the tracker).
    Pipeline(&'a crate::processors::pipeline::PipelineProcessor),
    /// The `foreach` processor: its inner processor (for [`Pipeline::processors`]).
    ForEach(&'a crate::processors::foreach::ForEachProcessor),
}

/// Where pipelines are found at execution time (the `pipeline` processor resolves its target
/// when it runs, as `PipelineProcessor` asks `IngestService.getPipeline`).
pub trait PipelineSource {
    fn pipeline(&self, id: &str) -> Option<Arc<Pipeline>>;
}

/// No pipelines at all.
pub struct NoPipelines;

impl PipelineSource for NoPipelines {
    fn pipeline(&self, _id: &str) -> Option<Arc<Pipeline>> {
        None
    }
}

/// The state of one execution: the pipelines the `pipeline` processor can call, and, in a
/// verbose simulate, the processor results being recorded.
pub struct Run<'a> {
    pipelines: &'a dyn PipelineSource,
    trace: Option<&'a mut Vec<ProcessorResult>>,
    /// An exception thrown out of the whole execution (not handled by `on_failure` or
    /// `ignore_failure`): what the verbose tracker throws for a missing pipeline.
    fatal: Option<IngestError>,
    /// What [`crate::Engine::run_traced`] records (which processors ran, handled failures).
    recorder: Option<&'a mut Trace>,
}

impl<'a> Run<'a> {
    pub fn new(pipelines: &'a dyn PipelineSource) -> Run<'a> {
        Run {
            pipelines,
            trace: None,
            fatal: None,
            recorder: None,
        }
    }

    /// A run without pipelines (for unit tests of processors).
    pub fn detached() -> Run<'static> {
        static NONE: NoPipelines = NoPipelines;
        Run {
            pipelines: &NONE,
            trace: None,
            fatal: None,
            recorder: None,
        }
    }

    /// A run recording processor results (verbose simulate).
    pub fn tracing(
        pipelines: &'a dyn PipelineSource,
        trace: &'a mut Vec<ProcessorResult>,
    ) -> Run<'a> {
        Run {
            pipelines,
            trace: Some(trace),
            fatal: None,
            recorder: None,
        }
    }

    /// The same run recording into `trace` what it touches (see [`crate::trace`]).
    pub fn with_recorder(mut self, trace: &'a mut Trace) -> Run<'a> {
        self.recorder = Some(trace);
        self
    }

    /// The recorder of a traced run.
    pub(crate) fn recorder(&mut self) -> Option<&mut Trace> {
        self.recorder.as_deref_mut()
    }

    pub fn pipeline(&self, id: &str) -> Option<Arc<Pipeline>> {
        self.pipelines.pipeline(id)
    }

    pub fn is_tracing(&self) -> bool {
        self.trace.is_some()
    }

    /// The same run without recording simulate results (what a leaf processor's own
    /// sub-processors run in: upstream decorates only the pipeline's processor tree, not e.g.
    /// `foreach`'s inner one). The coverage recorder, if any, goes on recording.
    pub fn untraced(&mut self) -> Run<'_> {
        Run {
            pipelines: self.pipelines,
            trace: None,
            fatal: None,
            recorder: self.recorder.as_deref_mut(),
        }
    }

    pub(crate) fn set_fatal(&mut self, e: IngestError) {
        self.fatal = Some(e);
    }

    /// The exception that ended the execution outside of any failure handling, if any.
    pub fn take_fatal(&mut self) -> Option<IngestError> {
        self.fatal.take()
    }

    pub(crate) fn record(&mut self, result: ProcessorResult) {
        if let Some(trace) = self.trace.as_deref_mut() {
            trace.push(result);
        }
    }
}

/// `SimulateProcessorResult`: one processor's outcome in a verbose simulate.
#[derive(Clone, Debug)]
pub struct ProcessorResult {
    pub processor_type: String,
    pub tag: Option<String>,
    pub description: Option<String>,
    /// The document after the processor (a copy), if any.
    pub doc: Option<serde_json::Value>,
    pub failure: Option<IngestError>,
    /// `(condition source, result)` when the processor has an `if`.
    pub condition: Option<(String, bool)>,
}

impl ProcessorResult {
    /// `getStatus`: `skipped` for a false condition; else `error` (no document),
    /// `error_ignored` (with a document), `dropped` (no document, not a `pipeline` processor),
    /// `success`.
    pub fn status(&self) -> &'static str {
        match &self.condition {
            Some((_, false)) => "skipped",
            _ => {
                if self.failure.is_some() {
                    if self.doc.is_none() {
                        "error"
                    } else {
                        "error_ignored"
                    }
                } else if self.doc.is_none() && self.processor_type != "pipeline" {
                    "dropped"
                } else {
                    "success"
                }
            }
        }
    }

    /// `SimulateProcessorResult.toXContent`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        out.insert("processor_type".into(), self.processor_type.clone().into());
        out.insert("status".into(), self.status().into());
        if let Some(d) = &self.description {
            out.insert("description".into(), d.clone().into());
        }
        if let Some(t) = &self.tag {
            out.insert("tag".into(), t.clone().into());
        }
        if let Some((condition, result)) = &self.condition {
            out.insert(
                "if".into(),
                serde_json::json!({"condition": condition, "result": result}),
            );
        }
        match (&self.failure, &self.doc) {
            (Some(e), Some(_)) => {
                out.insert(
                    "ignored_error".into(),
                    serde_json::json!({ "error": e.to_json() }),
                );
            }
            (Some(e), None) => {
                out.insert("error".into(), e.to_json());
            }
            _ => {}
        }
        if let Some(doc) = &self.doc {
            out.insert("doc".into(), doc.clone());
        }
        serde_json::Value::Object(out)
    }
}

/// Shared settings the factories may need.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `script.painless.regex.enabled` and the limit factor.
    pub painless_regex: painless::RegexSetting,
    /// `script.painless.max_loop_counter`.
    pub painless_max_loop_counter: u32,
}

impl Default for Settings {
    fn default() -> Self {
        let defaults = painless::Options::default();
        Settings {
            painless_regex: defaults.regex,
            painless_max_loop_counter: defaults.max_loop_counter,
        }
    }
}

/// What a factory gets besides its options: the processor's type, tag and description, the
/// settings, and the registry (to build nested processors, as `foreach` does).
pub struct Common<'a> {
    processor_type: &'a str,
    tag: Option<String>,
    description: Option<String>,
    registry: &'a Registry,
    settings: &'a Settings,
    /// The JSON pointer of the processor's options in the pipeline body, when built from one
    /// (for [`crate::trace`]).
    options_pointer: Option<Arc<str>>,
}

impl<'a> Common<'a> {
    pub fn new(
        processor_type: &'a str,
        tag: Option<String>,
        description: Option<String>,
        registry: &'a Registry,
        settings: &'a Settings,
    ) -> Common<'a> {
        Common {
            processor_type,
            tag,
            description,
            registry,
            settings,
            options_pointer: None,
        }
    }

    /// A `Common` with the standard registry and default settings (for unit tests).
    pub fn standalone(processor_type: &'static str, tag: Option<&str>) -> Common<'static> {
        Common {
            processor_type,
            tag: tag.map(str::to_string),
            description: None,
            registry: Registry::standard_static(),
            settings: default_settings(),
            options_pointer: None,
        }
    }

    pub fn processor_type(&self) -> &str {
        self.processor_type
    }

    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Owned copies of the tag and description, for the processor to keep.
    pub fn tag_and_description(&self) -> (Option<String>, Option<String>) {
        (self.tag.clone(), self.description.clone())
    }

    pub fn settings(&self) -> &Settings {
        self.settings
    }

    pub fn registry(&self) -> &Registry {
        self.registry
    }

    /// Painless compiler options for a script context under these settings.
    pub fn painless_options(&self, context: painless::Context) -> painless::Options {
        painless::Options {
            context,
            regex: self.settings.painless_regex,
            max_loop_counter: self.settings.painless_max_loop_counter,
        }
    }

    /// `ConfigurationUtils.readProcessor(factories, scriptService, type, config)`: one processor
    /// with its common options (what `foreach` does with its `processor` option).
    pub fn build_processor(
        &self,
        processor_type: &str,
        config: Json,
    ) -> Result<Box<dyn Processor>, IngestError> {
        read_processor(self.registry, self.settings, processor_type, config)
    }

    /// [`Common::build_processor`] for a processor held in one of this processor's options
    /// (`foreach`'s `processor`), with its location for [`crate::trace`]: the pointer it is
    /// recorded under (`<this processor's options>/<option>`), to pass to
    /// [`note_reached`]/[`note_failed`] when running it.
    pub fn build_nested_processor(
        &self,
        option: &str,
        processor_type: &str,
        config: Json,
    ) -> Result<NestedProcessor, IngestError> {
        let unit: Option<Arc<str>> = self
            .options_pointer
            .as_ref()
            .map(|o| Arc::from(format!("{o}/{}", pointer_token(option))));
        let options = unit
            .as_ref()
            .map(|u| format!("{u}/{}", pointer_token(processor_type)));
        let processor = read_processor_at(
            self.registry,
            self.settings,
            processor_type,
            config,
            unit.clone(),
            options,
        )?;
        Ok((processor, unit))
    }

    /// `ConfigurationUtils.readProcessorConfigs`: a list of `{type: options}` objects.
    pub fn build_processors(
        &self,
        configs: Vec<Json>,
    ) -> Result<Vec<Box<dyn Processor>>, IngestError> {
        read_processor_configs(self.registry, self.settings, configs)
    }
}

/// A nested processor and its JSON pointer in the pipeline body, if built from one.
pub type NestedProcessor = (Box<dyn Processor>, Option<Arc<str>>);

/// Processors of a list and their JSON pointers (none when the list's location is unknown).
pub(crate) type LocatedProcessors = (Vec<Box<dyn Processor>>, Vec<Arc<str>>);

fn default_settings() -> &'static Settings {
    static SETTINGS: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
    SETTINGS.get_or_init(Settings::default)
}

/// `ConfigurationUtils.readProcessorConfigs`: every `{type: config}` entry of every object, in
/// order; errors are collected, the first thrown with the others suppressed
/// (`ExceptionsHelper.useOrSuppress`).
pub fn read_processor_configs(
    registry: &Registry,
    settings: &Settings,
    configs: Vec<Json>,
) -> Result<Vec<Box<dyn Processor>>, IngestError> {
    read_processor_configs_at(registry, settings, configs, None).map(|(p, _)| p)
}

/// Same, for the list at the JSON pointer `base` of a pipeline body: also the pointer of
/// each processor (see [`crate::trace`]), when `base` is given.
pub(crate) fn read_processor_configs_at(
    registry: &Registry,
    settings: &Settings,
    configs: Vec<Json>,
    base: Option<&str>,
) -> Result<LocatedProcessors, IngestError> {
    let mut processors = Vec::new();
    let mut pointers = Vec::new();
    let mut error: Option<IngestError> = None;
    for (index, entry) in configs.into_iter().enumerate() {
        let Json::Object(map) = entry else {
            // Java: a ClassCastException casting the list item to a Map.
            let e =
                IngestError::class_cast(crate::config::json_class_name(&entry), "java.util.Map");
            use_or_suppress(&mut error, e);
            continue;
        };
        // The object's entries as Java's HashMap iterates them.
        let keys = crate::config::java_key_order(map.keys());
        let single = keys.len() == 1;
        let mut map = map;
        for key in keys {
            let value = map.remove(&key).unwrap_or(Json::Null);
            // The object `{type: options}` is the processor; in an object with several
            // processors, each is its options.
            let options = base.map(|b| format!("{b}/{index}/{}", pointer_token(&key)));
            let unit: Option<Arc<str>> = match (&options, single) {
                (Some(_), true) => base.map(|b| Arc::from(format!("{b}/{index}"))),
                (Some(o), false) => Some(Arc::from(o.as_str())),
                (None, _) => None,
            };
            match read_processor_at(registry, settings, &key, value, unit.clone(), options) {
                Ok(p) => {
                    processors.push(p);
                    if let Some(u) = unit {
                        pointers.push(u);
                    }
                }
                Err(e) => use_or_suppress(&mut error, e),
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok((processors, pointers)),
    }
}

fn use_or_suppress(first: &mut Option<IngestError>, e: IngestError) {
    match first {
        None => *first = Some(e),
        Some(f) => f.suppressed.push(e),
    }
}

/// `ConfigurationUtils.readProcessor`.
pub fn read_processor(
    registry: &Registry,
    settings: &Settings,
    processor_type: &str,
    config: Json,
) -> Result<Box<dyn Processor>, IngestError> {
    read_processor_at(registry, settings, processor_type, config, None, None)
}

/// Same, for a processor at the JSON pointer `unit` of a pipeline body, its options at
/// `options` (see [`crate::trace`]).
fn read_processor_at(
    registry: &Registry,
    settings: &Settings,
    processor_type: &str,
    config: Json,
    unit: Option<Arc<str>>,
    options: Option<String>,
) -> Result<Box<dyn Processor>, IngestError> {
    let mut map = match config {
        Json::Null => {
            return Err(new_config_error(
                Some(processor_type),
                None,
                None,
                format!("the config of processor [{processor_type}] cannot be null"),
            ))
        }
        Json::Object(map) => map,
        Json::String(source) if processor_type == "script" => {
            let mut map = serde_json::Map::new();
            map.insert("source".into(), Json::String(source));
            map
        }
        other => {
            return Err(new_config_error(
                Some(processor_type),
                None,
                None,
                format!(
                    "property isn't a map, but of type [{}]",
                    crate::config::json_class_name(&other)
                ),
            ))
        }
    };
    // tag, description, ignore_failure are read without a processor type in their errors.
    let mut anonymous = Config::new_anonymous(std::mem::take(&mut map));
    let tag = anonymous.optional_string("tag")?;
    anonymous.set_tag(tag.as_deref());
    let description = anonymous.optional_string("description")?;
    anonymous.set_tag(None);
    let ignore_failure = anonymous.boolean("ignore_failure", false)?;
    let condition = match anonymous.optional_value("if") {
        None => None,
        Some(source) => Some(ScriptConfig::parse_condition(source)?),
    };
    let Some(factory) = registry.get(processor_type) else {
        return Err(new_config_error(
            Some(processor_type),
            tag.as_deref(),
            None,
            format!("No processor type exists with name [{processor_type}]"),
        ));
    };
    let on_failure_configs = anonymous.optional_list("on_failure")?;
    let had_on_failure = on_failure_configs.is_some();
    let on_failure_base = options.as_ref().map(|o| format!("{o}/on_failure"));
    let (on_failure, on_failure_pointers) = read_processor_configs_at(
        registry,
        settings,
        on_failure_configs.unwrap_or_default(),
        on_failure_base.as_deref(),
    )?;
    if had_on_failure && on_failure.is_empty() {
        return Err(new_config_error(
            Some(processor_type),
            tag.as_deref(),
            Some("on_failure"),
            "processors list cannot be empty",
        ));
    }
    let mut config = Config::new(processor_type, tag.as_deref(), anonymous.into_options());
    let build = || -> Result<Box<dyn Processor>, IngestError> {
        let mut common = Common::new(
            processor_type,
            tag.clone(),
            description.clone(),
            registry,
            settings,
        );
        common.options_pointer = options.as_deref().map(Arc::from);
        let processor = factory(&mut config, &common)?;
        if !config.is_empty() {
            return Err(IngestError::parse(format!(
                "processor [{processor_type}] doesn't support one or more provided configuration parameters [{}]",
                config.remaining_keys().join(", ")
            )));
        }
        let mut processor = processor;
        if !on_failure.is_empty() || ignore_failure {
            let mut compound = CompoundProcessor::new(ignore_failure, vec![processor], on_failure);
            if let Some(unit) = &unit {
                compound = compound.with_locations(
                    Scope::Processor,
                    vec![unit.clone()],
                    on_failure_pointers,
                );
            }
            processor = Box::new(compound);
        }
        if let Some(condition) = condition {
            let mut conditional = ConditionalProcessor::new(
                tag.clone(),
                description.clone(),
                condition,
                settings,
                processor,
            )?;
            conditional.pointer = unit.clone();
            processor = Box::new(conditional);
        }
        Ok(processor)
    };
    build().map_err(|e| config_error_from(Some(processor_type), tag.as_deref(), None, e))
}

/// How a compound runs one of its processors (plainly, or tracked in a verbose simulate).
type Step<'a> =
    dyn Fn(&dyn Processor, &mut IngestDocument, &mut Run) -> Result<Outcome, IngestError> + 'a;

/// `CompoundProcessor`: processors run in order; a failure is skipped with `ignore_failure`,
/// else handled by the `on_failure` processors (with the `_ingest.on_failure_*` fields set
/// while they run), else returned wrapped with the failing processor's type and tag.
pub struct CompoundProcessor {
    ignore_failure: bool,
    processors: Vec<Box<dyn Processor>>,
    on_failure: Vec<Box<dyn Processor>>,
    /// Where its processors are in the pipeline body (for [`crate::trace`]); `None` when built
    /// otherwise, and then nothing is recorded for it.
    locations: Option<Box<Locations>>,
}

/// Which compound: a pipeline's, or the wrapper of one processor with `on_failure` or
/// `ignore_failure`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Pipeline,
    Processor,
}

struct Locations {
    scope: Scope,
    processors: Vec<Arc<str>>,
    on_failure: Vec<Arc<str>>,
}

impl CompoundProcessor {
    pub fn new(
        ignore_failure: bool,
        processors: Vec<Box<dyn Processor>>,
        on_failure: Vec<Box<dyn Processor>>,
    ) -> CompoundProcessor {
        CompoundProcessor {
            ignore_failure,
            processors,
            on_failure,
            locations: None,
        }
    }

    /// The same compound with the JSON pointers of its processors and on_failure processors
    /// (one each, in order), for [`crate::trace`]. Ignored unless the counts match.
    pub fn with_locations(
        mut self,
        scope: Scope,
        processors: Vec<Arc<str>>,
        on_failure: Vec<Arc<str>>,
    ) -> CompoundProcessor {
        if processors.len() == self.processors.len() && on_failure.len() == self.on_failure.len() {
            self.locations = Some(Box::new(Locations {
                scope,
                processors,
                on_failure,
            }));
        }
        self
    }

    /// Every processor under this compound with its pointer, nested ones included
    /// ([`Pipeline::processors`]).
    pub(crate) fn describe(&self, out: &mut Vec<ProcessorInfo>) {
        let Some(locations) = &self.locations else {
            return;
        };
        for (p, pointer) in self
            .processors
            .iter()
            .zip(&locations.processors)
            .chain(self.on_failure.iter().zip(&locations.on_failure))
        {
            describe_unit(p.as_ref(), pointer, out);
        }
    }

    /// The pointer of its processor `index` (of the on_failure list when `on_failure`).
    fn pointer(&self, on_failure: bool, index: usize) -> Option<&Arc<str>> {
        let l = self.locations.as_deref()?;
        if on_failure {
            l.on_failure.get(index)
        } else {
            l.processors.get(index)
        }
    }

    fn note_handled(&self, run: &mut Run, error: &IngestError) {
        let Some(l) = self.locations.as_deref() else {
            return;
        };
        let Some(trace) = run.recorder() else {
            return;
        };
        let (level, handler) = match l.scope {
            Scope::Pipeline => (HandlerLevel::Pipeline, None),
            Scope::Processor if self.ignore_failure => {
                (HandlerLevel::IgnoreFailure, l.processors.first())
            }
            Scope::Processor => (HandlerLevel::Processor, l.processors.first()),
        };
        trace.record_handled(level, handler, error.root_cause().reason.as_deref());
    }

    pub fn ignore_failure(&self) -> bool {
        self.ignore_failure
    }

    pub fn processors(&self) -> &[Box<dyn Processor>] {
        &self.processors
    }

    pub fn on_failure_processors(&self) -> &[Box<dyn Processor>] {
        &self.on_failure
    }

    /// `flattenProcessors`: the leaves of the processors, then of the on_failure processors.
    fn flat_tags(&self, out: &mut Vec<String>) {
        for p in self.processors.iter().chain(&self.on_failure) {
            match p.node() {
                Node::Compound(c) => c.flat_tags(out),
                _ => out.push(p.tag().unwrap_or("null").to_string()),
            }
        }
    }

    /// The steps of `innerExecute` and `executeOnFailureAsync` over a list of processor
    /// steps; `step` runs one processor (plainly, or tracked in a verbose simulate).
    fn run_steps(
        &self,
        doc: &mut IngestDocument,
        run: &mut Run,
        step: &Step<'_>,
        on_failure_step: &Step<'_>,
    ) -> Result<Outcome, IngestError> {
        for (index, processor) in self.processors.iter().enumerate() {
            if run.recorder.is_some() {
                note_reached(run, processor.as_ref(), self.pointer(false, index));
            }
            match step(processor.as_ref(), doc, run) {
                Ok(Outcome::Continue) => {}
                Ok(Outcome::Drop) => return Ok(Outcome::Drop),
                Err(e) => {
                    if run.fatal.is_some() {
                        return Err(e);
                    }
                    if run.recorder.is_some() {
                        note_failed(run, processor.as_ref(), self.pointer(false, index));
                    }
                    if self.ignore_failure {
                        if run.recorder.is_some() {
                            self.note_handled(run, &e);
                        }
                        continue;
                    }
                    let wrapped = new_compound_processor_exception(e, processor.as_ref(), doc);
                    if self.on_failure.is_empty() {
                        return Err(wrapped);
                    }
                    if run.recorder.is_some() {
                        self.note_handled(run, &wrapped);
                    }
                    return self.execute_on_failure(doc, run, wrapped, on_failure_step);
                }
            }
        }
        Ok(Outcome::Continue)
    }

    fn execute_on_failure(
        &self,
        doc: &mut IngestDocument,
        run: &mut Run,
        cause: IngestError,
        step: &Step<'_>,
    ) -> Result<Outcome, IngestError> {
        put_failure_metadata(doc, &cause);
        for (index, processor) in self.on_failure.iter().enumerate() {
            if run.recorder.is_some() {
                note_reached(run, processor.as_ref(), self.pointer(true, index));
            }
            match step(processor.as_ref(), doc, run) {
                Ok(Outcome::Continue) => {}
                Ok(Outcome::Drop) => {
                    remove_failure_metadata(doc);
                    return Ok(Outcome::Drop);
                }
                Err(e) => {
                    remove_failure_metadata(doc);
                    if run.fatal.is_some() {
                        return Err(e);
                    }
                    if run.recorder.is_some() {
                        note_failed(run, processor.as_ref(), self.pointer(true, index));
                    }
                    return Err(new_compound_processor_exception(e, processor.as_ref(), doc));
                }
            }
        }
        remove_failure_metadata(doc);
        Ok(Outcome::Continue)
    }

    /// `TrackingResultProcessor.decorate(this, parentCondition, results)` then execute.
    pub(crate) fn execute_tracked(
        &self,
        parent_condition: Option<&ConditionalProcessor>,
        doc: &mut IngestDocument,
        run: &mut Run,
    ) -> Result<Outcome, IngestError> {
        let ignore = self.ignore_failure;
        let step = move |p: &dyn Processor, doc: &mut IngestDocument, run: &mut Run| {
            track_step(p, parent_condition, ignore, doc, run)
        };
        let on_failure_step = move |p: &dyn Processor, doc: &mut IngestDocument, run: &mut Run| {
            track_step(p, None, ignore, doc, run)
        };
        self.run_steps(doc, run, &step, &on_failure_step)
    }
}

impl Processor for CompoundProcessor {
    fn execute(&self, doc: &mut IngestDocument, run: &mut Run) -> Result<Outcome, IngestError> {
        if run.is_tracing() {
            return self.execute_tracked(None, doc, run);
        }
        let step = |p: &dyn Processor, doc: &mut IngestDocument, run: &mut Run| p.execute(doc, run);
        self.run_steps(doc, run, &step, &step)
    }

    fn kind(&self) -> &'static str {
        "compound"
    }

    fn tag(&self) -> Option<&str> {
        // "CompoundProcessor-" + the flattened processors' tags joined by "-": computed on
        // demand would need an owned string; exposed through `compound_tag`.
        None
    }

    fn description(&self) -> Option<&str> {
        None
    }

    fn node(&self) -> Node<'_> {
        Node::Compound(self)
    }
}

impl CompoundProcessor {
    /// `CompoundProcessor.getTag()`.
    pub fn compound_tag(&self) -> String {
        let mut tags = Vec::new();
        self.flat_tags(&mut tags);
        format!("CompoundProcessor-{}", tags.join("-"))
    }
}

/// The processor a unit of a processor list wraps (a [`ConditionalProcessor`] for `if`, a
/// [`CompoundProcessor`] for `on_failure`/`ignore_failure`, as `readProcessor` builds them).
pub(crate) fn unit_leaf(processor: &dyn Processor) -> &dyn Processor {
    let mut p = processor;
    if let Node::Conditional(c) = p.node() {
        p = c.inner();
    }
    if let Node::Compound(c) = p.node() {
        if let [only] = c.processors() {
            p = only.as_ref();
        }
    }
    p
}

/// The processor (a unit of a processor list, at `pointer`) is about to run: a traced run
/// records it as reached, unless a wrapper of it records that itself (the `if` has to be true
/// first; a compound records its own processors). For processors that run nested ones
/// (`foreach`); no-op when not traced.
#[inline]
pub fn note_reached(run: &mut Run, processor: &dyn Processor, pointer: Option<&Arc<str>>) {
    let (Some(pointer), Some(trace)) = (pointer, run.recorder()) else {
        return;
    };
    if !matches!(processor.node(), Node::Conditional(_) | Node::Compound(_)) {
        trace.record_reached(pointer);
    }
}

/// The processor at `pointer` threw: a traced run keeps it as the failure's origin unless one
/// nested deeper already is. No-op when not traced.
#[inline]
pub fn note_failed(run: &mut Run, processor: &dyn Processor, pointer: Option<&Arc<str>>) {
    let (Some(pointer), Some(trace)) = (pointer, run.recorder()) else {
        return;
    };
    trace.record_failed(pointer, processor);
}

/// [`ProcessorInfo`] of a unit and of the processors nested in it (foreach's, on_failure).
fn describe_unit(processor: &dyn Processor, pointer: &Arc<str>, out: &mut Vec<ProcessorInfo>) {
    let condition = match processor.node() {
        Node::Conditional(c) => Some(c.condition_source().to_string()),
        _ => None,
    };
    let leaf = unit_leaf(processor);
    out.push(ProcessorInfo {
        pointer: pointer.to_string(),
        processor_type: leaf.kind().to_string(),
        tag: leaf.tag().map(str::to_string),
        description: leaf.description().map(str::to_string),
        condition,
    });
    if let Node::ForEach(f) = leaf.node() {
        if let Some(inner) = f.inner_pointer() {
            describe_unit(f.inner(), inner, out);
        }
    }
    let mut wrapper = processor;
    if let Node::Conditional(c) = wrapper.node() {
        wrapper = c.inner();
    }
    if let Node::Compound(c) = wrapper.node() {
        if let Some(l) = c.locations.as_deref() {
            for (p, pointer) in c.on_failure.iter().zip(&l.on_failure) {
                describe_unit(p.as_ref(), pointer, out);
            }
        }
    }
}

/// One step of a decorated compound: `decorate`'s choice of wrapper for a processor, then
/// `TrackingResultProcessor.execute`.
fn track_step(
    processor: &dyn Processor,
    parent_condition: Option<&ConditionalProcessor>,
    ignore_failure: bool,
    doc: &mut IngestDocument,
    run: &mut Run,
) -> Result<Outcome, IngestError> {
    let mut condition = parent_condition;
    let mut actual = processor;
    if let Node::Conditional(c) = processor.node() {
        condition = Some(c);
        actual = c.inner();
    }
    if let Node::Compound(compound) = actual.node() {
        return compound.execute_tracked(condition, doc, run);
    }
    track_leaf(actual, condition, ignore_failure, doc, run)
}

fn result(
    p: &dyn Processor,
    doc: Option<&IngestDocument>,
    failure: Option<IngestError>,
    condition: Option<(String, bool)>,
) -> ProcessorResult {
    ProcessorResult {
        processor_type: p.kind().to_string(),
        tag: p.tag().map(str::to_string),
        description: p.description().map(str::to_string),
        doc: doc.map(|d| {
            d.to_simulate_json()
                .unwrap_or_else(|e| serde_json::json!({ "error": e.to_json() }))
        }),
        failure,
        condition,
    }
}

/// `TrackingResultProcessor.execute`.
fn track_leaf(
    actual: &dyn Processor,
    condition: Option<&ConditionalProcessor>,
    ignore_failure: bool,
    doc: &mut IngestDocument,
    run: &mut Run,
) -> Result<Outcome, IngestError> {
    let condition_result = match condition {
        Some(c) => {
            // TrackingResultProcessor evaluates the condition outside of any handler: an
            // exception there escapes the whole simulate request.
            let matched = match c.evaluate(doc) {
                Ok(m) => m,
                Err(e) => {
                    run.set_fatal(e.clone());
                    return Err(e);
                }
            };
            if !matched {
                run.record(result(
                    actual,
                    None,
                    None,
                    Some((c.condition_source().to_string(), false)),
                ));
                return Ok(Outcome::Continue);
            }
            Some((c.condition_source().to_string(), true))
        }
        None => None,
    };
    if let Node::Pipeline(pipeline_processor) = actual.node() {
        return crate::processors::pipeline::execute_tracked(
            pipeline_processor,
            actual,
            condition_result,
            ignore_failure,
            doc,
            run,
        );
    }
    let outcome = {
        let mut inner = run.untraced();
        actual.execute(doc, &mut inner)
    };
    match outcome {
        Err(e) => {
            let r = if ignore_failure {
                result(actual, Some(doc), Some(e.clone()), condition_result)
            } else {
                result(actual, None, Some(e.clone()), condition_result)
            };
            run.record(r);
            Err(e)
        }
        Ok(Outcome::Continue) => {
            run.record(result(actual, Some(doc), None, condition_result));
            Ok(Outcome::Continue)
        }
        Ok(Outcome::Drop) => {
            run.record(result(actual, None, None, condition_result));
            Ok(Outcome::Drop)
        }
    }
}

/// Records a processor result from outside this module (the `pipeline` processor's tracker).
pub(crate) fn record_result(
    run: &mut Run,
    p: &dyn Processor,
    doc: Option<&IngestDocument>,
    failure: Option<IngestError>,
    condition: Option<(String, bool)>,
) {
    run.record(result(p, doc, failure, condition));
}

/// `CompoundProcessor.newCompoundProcessorException`: an `IngestProcessorException` that
/// already names its processor is passed on; anything else is wrapped with the processor's
/// type and tag, and the pipeline stack when more than one pipeline runs.
pub fn new_compound_processor_exception(
    e: IngestError,
    processor: &dyn Processor,
    doc: &IngestDocument,
) -> IngestError {
    if e.type_ == "ingest_processor_exception" && e.header("processor_type").is_some() {
        return e;
    }
    let mut wrapper = IngestError::new("ingest_processor_exception", e.java_to_string_any());
    wrapper.wrapper = true;
    let type_ = processor.kind();
    wrapper.add_header("processor_type", type_);
    let tag = match processor.node() {
        Node::Compound(c) => Some(c.compound_tag()),
        _ => processor.tag().map(str::to_string),
    };
    if let Some(tag) = tag {
        wrapper.add_header("processor_tag", tag);
    }
    let stack = doc.pipeline_stack();
    if stack.len() > 1 {
        wrapper.add_header_values("pipeline_origin", stack);
    }
    wrapper.caused_by = Some(e);
    wrapper
}

/// `putFailureMetadata`.
fn put_failure_metadata(doc: &mut IngestDocument, cause: &IngestError) {
    use painless::Value;
    let opt = |s: Option<&str>| s.map_or(Value::Null, Value::string);
    let message = cause.root_cause().reason.clone();
    doc.set_ingest_field(
        "on_failure_message",
        message.map_or(Value::Null, Value::from),
    );
    doc.set_ingest_field(
        "on_failure_processor_type",
        opt(cause.header("processor_type")),
    );
    doc.set_ingest_field(
        "on_failure_processor_tag",
        opt(cause.header("processor_tag")),
    );
    if let Some(p) = cause.header("pipeline_origin") {
        doc.set_ingest_field("on_failure_pipeline", Value::string(p));
    }
}

/// `removeFailureMetadata`.
fn remove_failure_metadata(doc: &mut IngestDocument) {
    for f in [
        "on_failure_message",
        "on_failure_processor_type",
        "on_failure_processor_tag",
        "on_failure_pipeline",
    ] {
        doc.remove_ingest_field(f);
    }
}

/// `ConditionalProcessor`: runs its processor only when the `if` script returns true. The
/// script sees the document read-only (`UnmodifiableIngestData`: writes throw
/// `UnsupportedOperationException`, "Mutating ingest documents in conditionals is not
/// supported").
pub struct ConditionalProcessor {
    tag: Option<String>,
    description: Option<String>,
    condition: crate::scripting::CompiledScript,
    processor: Box<dyn Processor>,
    /// Its JSON pointer in the pipeline body (for [`crate::trace`]).
    pub(crate) pointer: Option<Arc<str>>,
}

impl ConditionalProcessor {
    pub fn new(
        tag: Option<String>,
        description: Option<String>,
        condition: ScriptConfig,
        settings: &Settings,
        processor: Box<dyn Processor>,
    ) -> Result<ConditionalProcessor, IngestError> {
        let compiled = condition
            .compile(ScriptContextKind::IngestCondition, settings)
            .map_err(|e| config_error_from(Some("conditional"), tag.as_deref(), None, e))?;
        Ok(ConditionalProcessor {
            tag,
            description,
            condition: compiled,
            processor,
            pointer: None,
        })
    }

    pub fn inner(&self) -> &dyn Processor {
        self.processor.as_ref()
    }

    /// `getCondition()`: the script's source (or id).
    pub fn condition_source(&self) -> &str {
        self.condition.source()
    }

    /// `evaluate`: the script's boolean on a read-only view of the document.
    pub fn evaluate(&self, doc: &IngestDocument) -> Result<bool, IngestError> {
        self.condition.evaluate_condition(doc)
    }
}

impl Processor for ConditionalProcessor {
    fn execute(&self, doc: &mut IngestDocument, run: &mut Run) -> Result<Outcome, IngestError> {
        if self.evaluate(doc)? {
            if run.recorder.is_some() {
                note_reached(run, self.processor.as_ref(), self.pointer.as_ref());
            }
            self.processor.execute(doc, run)
        } else {
            if let (Some(pointer), Some(trace)) = (&self.pointer, run.recorder()) {
                trace.record_skipped(pointer);
            }
            Ok(Outcome::Continue)
        }
    }

    fn kind(&self) -> &'static str {
        "conditional"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    fn node(&self) -> Node<'_> {
        Node::Conditional(self)
    }
}

impl IngestError {
    /// `Throwable.toString()` of this error: an OpenSearch exception's own (`OpenSearchException
    /// .toString` is the class name and message), a Java one's.
    pub fn java_to_string_any(&self) -> String {
        let e = self.unwrapped();
        e.java_to_string()
    }
}
