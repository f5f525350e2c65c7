//! The content as a node would hold it for the tests: every pipeline built by the offline ingest
//! engine, and the indices its index templates create (mappings and settings composed as
//! `MetadataIndexTemplateService` composes them). Runs the events of a test file through the
//! pipelines their index would use and the mapping it would have.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use ingest::mapping::{merge_template_mappings, CompiledMappings, IndexSettings};
use ingest::{HandlerLevel, IndexPipelines, IndexRequest, IngestOutcome, Timestamp, Trace};
use serde_json::{Map, Value};

use super::case::TestFile;
use super::expected::{mask, Stored};
use super::index_name;
use crate::content::glob;
use crate::content::kind::Kind;
use crate::content::mapping::{self, flatten_settings};
use crate::content::problem::Problem;
use crate::content::resource::Resource;
use crate::content::validate::pipelines::describe;
use crate::content::Content;

/// The clock of the engine, set to each test file's `now` before its events run.
#[derive(Debug)]
struct TestClock(Mutex<Timestamp>);

impl ingest::Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What an index created by a content index template gets.
#[derive(Debug, Clone)]
pub(crate) struct IndexShape {
    /// The index template that creates it.
    pub(crate) template: String,
    /// Its `mappings`, composed.
    pub(crate) mappings: Value,
    /// Its settings, flat with the `index.` prefix.
    pub(crate) settings: BTreeMap<String, Value>,
}

/// What became of one event.
#[derive(Debug, Clone)]
pub(crate) struct EventRun {
    pub(crate) line: usize,
    /// As the golden file holds it (dynamic fields masked).
    pub(crate) stored: Stored,
    /// The document as stored, unmasked (for the query tests).
    pub(crate) document: Option<Value>,
    /// `_ignored`: fields whose malformed values the mapping dropped.
    pub(crate) ignored: Vec<String>,
    /// The error a pipeline's own `on_failure` caught, when one did.
    pub(crate) handled_failure: Option<String>,
    /// Why the document's mapping could not be checked: the index it went to is created by no
    /// index template of the content.
    pub(crate) unchecked_index: Option<String>,
    /// A later event of the file replaces this document (same `_index` and `_id`).
    pub(crate) replaced_by: Option<usize>,
}

/// The events of one file, run.
#[derive(Debug, Clone)]
pub(crate) struct FileRun {
    /// The index the events were sent to.
    pub(crate) index: String,
    pub(crate) events: Vec<EventRun>,
    /// The mappings of each index documents went to, after their dynamic updates.
    pub(crate) mappings: BTreeMap<String, Value>,
    /// Which processors the events reached, summed over the file.
    pub(crate) trace: Trace,
}

/// The content's pipelines and index templates, ready to run events.
pub(crate) struct Suite<'c> {
    content: &'c Content,
    engine: ingest::Engine,
    clock: Arc<TestClock>,
}

impl<'c> Suite<'c> {
    /// Builds every pipeline; a pipeline the engine refuses is a problem (validate reports the
    /// same one at its processor).
    pub(crate) fn new(content: &'c Content) -> Result<Suite<'c>, Vec<Problem>> {
        let clock = Arc::new(TestClock(Mutex::new(Timestamp::from_epoch_millis(0))));
        let mut engine = ingest::Engine::new().with_clock(clock.clone());
        let mut problems = Vec::new();
        for pipeline in content.of_kind(Kind::IngestPipeline) {
            if let Err(e) = engine.put_pipeline(&pipeline.id, &pipeline.body) {
                problems.push(
                    Problem::new(
                        &pipeline.file,
                        format!(
                            "OpenSearch would refuse this pipeline: {}",
                            describe(&e.to_json())
                        ),
                    )
                    .with_hint("run `siemctl validate` for the processor at fault"),
                );
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Suite {
            content,
            engine,
            clock,
        })
    }

    /// The index template that creates `index`: the matching one of highest priority, as
    /// `MetadataIndexTemplateService.findV2Template` picks it.
    pub(crate) fn template_for(&self, index: &str) -> Option<&'c Resource> {
        self.content
            .of_kind(Kind::IndexTemplate)
            .filter(|t| {
                t.body
                    .get("index_patterns")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .any(|p| glob::matches(p, index))
            })
            .max_by_key(|t| t.body.get("priority").and_then(Value::as_i64).unwrap_or(0))
    }

    /// The index a log type's events go to when the test names none: its index template's first
    /// pattern with `*` as `test`.
    pub(crate) fn default_index(&self, log_type: &str) -> Option<String> {
        self.content
            .of_kind(Kind::IndexTemplate)
            .filter(|t| t.log_type == log_type)
            .filter_map(|t| {
                t.body
                    .get("index_patterns")?
                    .as_array()?
                    .first()?
                    .as_str()
                    .map(|p| p.replace('*', "test"))
            })
            .next()
    }

    /// Mappings and settings of a new index named `index`, or None when no template matches.
    pub(crate) fn shape(&self, index: &str) -> Option<IndexShape> {
        let template = self.template_for(index)?;
        let mut mappings = Value::Object(Map::new());
        let mut settings = BTreeMap::new();
        for source in mapping::sources(self.content, template) {
            if let Some(t) = source.body.get("template") {
                if let Some(m) = t.get("mappings") {
                    mappings = merge_template_mappings(&mappings, m);
                }
                if let Some(s) = t.get("settings") {
                    settings.extend(flatten_settings(s));
                }
            }
        }
        Some(IndexShape {
            template: template.id.clone(),
            mappings,
            settings,
        })
    }

    /// Runs every event of `file` into `index`, in order, as one fresh index would take them
    /// (the mapping's dynamic updates carry from one event to the next; a document with the
    /// `_index` and `_id` of an earlier one replaces it, as an `index` action does).
    pub(crate) fn run(&self, file: &TestFile, index: &str) -> FileRun {
        *self.clock.0.lock().unwrap_or_else(|e| e.into_inner()) =
            Timestamp::from_epoch_millis(file.now.as_millisecond());
        let pipelines = Pipelines(self);
        let dynamic = file.dynamic_fields();
        let mut indices: BTreeMap<String, Result<Index, String>> = BTreeMap::new();
        let mut events: Vec<EventRun> = Vec::new();
        let mut by_id: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut total = Trace::new();
        let mut trace = Trace::new();
        for event in &file.events {
            let request = IndexRequest::new(index, file.source(event));
            trace.clear();
            let outcome = self.engine.run_traced(request, &pipelines, &mut trace);
            total.merge(&trace);
            let mut run = EventRun {
                line: event.line,
                stored: Stored::Dropped,
                document: None,
                ignored: Vec::new(),
                handled_failure: self.handled_failure(&trace),
                unchecked_index: None,
                replaced_by: None,
            };
            match outcome {
                IngestOutcome::Dropped => {}
                IngestOutcome::Failed(error) => {
                    run.stored = Stored::Failed {
                        reason: describe(&error.to_json()),
                    };
                }
                IngestOutcome::Indexed(request) => {
                    let target = request.index.clone();
                    let id = request.id.clone();
                    if let Err(reason) = index_name::check(&target) {
                        run.stored = Stored::Rejected { reason };
                        events.push(run);
                        continue;
                    }
                    let idx = indices
                        .entry(target.clone())
                        .or_insert_with(|| Index::create(self, &target));
                    let ignored = match idx {
                        // The node parses with the id it generated; the name stands for it.
                        Ok(idx) => match idx
                            .index(id.as_deref().unwrap_or("(generated)"), &request.source)
                        {
                            Ok(ignored) => Some(ignored),
                            Err(reason) => {
                                run.stored = Stored::Rejected { reason };
                                None
                            }
                        },
                        Err(why) => {
                            run.unchecked_index = Some(why.clone());
                            Some(Vec::new())
                        }
                    };
                    if let Some(ignored) = ignored {
                        if let Some(id) = &id {
                            if let Some(earlier) =
                                by_id.insert((target.clone(), id.clone()), events.len())
                            {
                                events[earlier].replaced_by = Some(event.line);
                                events[earlier].document = None;
                            }
                        }
                        let mut source = request.source.clone();
                        mask(&mut source, &dynamic);
                        run.stored = Stored::Document {
                            index: target,
                            id,
                            source,
                        };
                        run.document = Some(request.source);
                        run.ignored = ignored;
                    }
                }
            }
            events.push(run);
        }
        FileRun {
            index: index.to_string(),
            events,
            mappings: indices
                .into_iter()
                .filter_map(|(name, i)| i.ok().map(|i| (name, i.compiled.mappings().clone())))
                .collect(),
            trace: total,
        }
    }

    /// The engine, with every pipeline of the content.
    pub(crate) fn engine(&self) -> &ingest::Engine {
        &self.engine
    }

    /// The failure a pipeline's own `on_failure` caught (the first, when several were), with
    /// the file and line of the processor that failed. Failures that a processor's
    /// `on_failure` or `ignore_failure` swallowed are the pipeline's design, not test failures.
    fn handled_failure(&self, trace: &Trace) -> Option<String> {
        let caught = trace
            .handled_failures()
            .iter()
            .find(|h| h.level == HandlerLevel::Pipeline)?;
        let f = &caught.failed;
        let at = match self.content.get(Kind::IngestPipeline, &f.pipeline) {
            Some(resource) => match resource.line_of(&f.pointer) {
                Some(line) => format!("{}:{line}", resource.file.display()),
                None => format!("{} ({})", resource.file.display(), f.pointer),
            },
            None => format!("pipeline `{}` ({})", f.pipeline, f.pointer),
        };
        let tag = f
            .tag
            .as_deref()
            .map(|t| format!(" (tag {t})"))
            .unwrap_or_default();
        Some(format!(
            "the {} processor{tag} at {at}: {}",
            f.processor_type,
            caught.message.as_deref().unwrap_or("(no message)")
        ))
    }
}

/// `index.default_pipeline` and `index.final_pipeline` of the template that creates an index.
struct Pipelines<'a, 'c>(&'a Suite<'c>);

impl Pipelines<'_, '_> {
    fn setting(&self, index: &str, key: &str) -> Option<String> {
        let shape = self.0.shape(index)?;
        shape
            .settings
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    }
}

impl IndexPipelines for Pipelines<'_, '_> {
    fn default_pipeline(&self, index: &str) -> Option<String> {
        self.setting(index, "index.default_pipeline")
    }
    fn final_pipeline(&self, index: &str) -> Option<String> {
        self.setting(index, "index.final_pipeline")
    }
}

/// One index of a run: its mapping, as documents update it.
struct Index {
    compiled: CompiledMappings,
}

impl Index {
    fn create(suite: &Suite<'_>, name: &str) -> Result<Index, String> {
        let shape = suite.shape(name).ok_or_else(|| {
            format!("the event went to index `{name}`, which no index template of the content creates: the node would create it with dynamic mappings, no pipeline settings and no retention")
        })?;
        let settings = IndexSettings::from_settings(&Value::Object(
            shape.settings.clone().into_iter().collect(),
        ))
        .map_err(|e| {
            format!(
                "the settings of index template `{}`: {}",
                shape.template,
                describe(&e.to_json())
            )
        })?;
        let compiled = CompiledMappings::new(&shape.mappings, &settings).map_err(|e| {
            format!(
                "the mappings of index template `{}`: {}",
                shape.template,
                describe(&e.to_json())
            )
        })?;
        Ok(Index { compiled })
    }

    /// Indexes a document: its `_ignored` fields, or why the node rejects it.
    fn index(&mut self, id: &str, source: &Value) -> Result<Vec<String>, String> {
        let indexed = self
            .compiled
            .index_document(id, source)
            .map_err(|e| describe(&e.to_json()))?;
        if let Some(update) = &indexed.mapping_update {
            self.compiled = CompiledMappings::new(update, self.compiled.settings())
                .map_err(|e| describe(&e.to_json()))?;
        }
        Ok(indexed.ignored)
    }
}
