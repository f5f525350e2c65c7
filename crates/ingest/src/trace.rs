//! What a traced run touched ([`crate::Engine::run_traced`]): per pipeline, which processors
//! the documents reached, which were skipped by their `if`, which threw; and every failure an
//! `on_failure` or `ignore_failure` handled. For `siemctl test`'s coverage report. This is the
//! engine's own bookkeeping, not an OpenSearch API (the nearest upstream notion is verbose
//! simulate's `TrackingResultProcessor`, which records results, not locations).
//!
//! Processors are addressed by a JSON pointer into the pipeline's body (RFC 6901, so
//! `body.pointer(p)` finds the processor's object): `/processors/3` (the `{"set": {...}}`
//! object), `/processors/3/set/on_failure/0` (a processor's own on_failure),
//! `/on_failure/1` (the pipeline's on_failure), `/processors/5/foreach/processor` (foreach's
//! inner processor). An object of a processor list with several keys (`{"set": {..},
//! "append": {..}}`, which `readProcessorConfigs` reads as several processors) gives each its
//! options' pointer, `/processors/0/set`. A nested pipeline's processors are recorded under
//! that pipeline's id. [`crate::Pipeline::processors`] lists every processor with the same
//! pointers, so the processors no document reached are the listed ones absent here.
//!
//! When not tracing, the engine runs with no recorder: one `Option` test per processor, no
//! allocation.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::processor::Processor;

/// How often documents got to one processor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// The processor ran (its `if`, if any, was true), whatever it did then.
    pub reached: u64,
    /// Its `if` was false.
    pub skipped: u64,
    /// It threw (itself or its `if`: the innermost processor of a failure only, not the
    /// `pipeline` processor a nested failure passes through).
    pub failed: u64,
}

/// Which handler caught a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HandlerLevel {
    /// The pipeline's `on_failure`: the document "failed" in `siemctl test`'s sense.
    Pipeline,
    /// A processor's own `on_failure`.
    Processor,
    /// A processor's `ignore_failure`.
    IgnoreFailure,
}

/// A processor of a pipeline, by location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessorRef {
    pub pipeline: String,
    /// JSON pointer into the pipeline body (see the module documentation).
    pub pointer: String,
    /// The processor type (`set`, `script`, ...), as [`crate::Pipeline::processors`] lists it:
    /// for a processor whose `if` threw, its own type (where `_ingest.on_failure_processor_type`
    /// says `conditional`, the wrapper upstream names).
    pub processor_type: String,
    pub tag: Option<String>,
}

/// A failure an `on_failure` or `ignore_failure` caught.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandledFailure {
    pub level: HandlerLevel,
    /// The pipeline whose handler caught it.
    pub pipeline: String,
    /// The pointer of the processor whose `on_failure`/`ignore_failure` caught it (`None` for
    /// [`HandlerLevel::Pipeline`]).
    pub handler: Option<String>,
    /// The processor that threw (in a nested pipeline when the failure came through a
    /// `pipeline` processor; the processor with the `if` when the condition threw).
    pub failed: ProcessorRef,
    /// The root cause's message: what the handler sees as `_ingest.on_failure_message`.
    pub message: Option<String>,
}

/// What a pipeline listing says about one processor ([`crate::Pipeline::processors`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessorInfo {
    /// JSON pointer into the pipeline body (see the module documentation).
    pub pointer: String,
    pub processor_type: String,
    pub tag: Option<String>,
    pub description: Option<String>,
    /// The `if` condition's source, if it has one.
    pub condition: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct PipelineTrace {
    runs: u64,
    processors: BTreeMap<Arc<str>, Counts>,
}

/// The record of one or more traced runs (it accumulates until [`Trace::clear`]).
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pipelines: BTreeMap<String, PipelineTrace>,
    handled: Vec<HandledFailure>,
    /// The running pipelines, innermost last.
    stack: Vec<String>,
    /// The innermost failure not handled yet.
    pending: Option<ProcessorRef>,
    /// The innermost failing processor of the last run that failed.
    unhandled: Option<ProcessorRef>,
}

impl Trace {
    pub fn new() -> Trace {
        Trace::default()
    }

    /// The pipelines that ran (entered by a document), sorted by id.
    pub fn pipelines(&self) -> impl Iterator<Item = &str> {
        self.pipelines.keys().map(String::as_str)
    }

    /// How many times documents entered this pipeline (a `pipeline` processor's call counts).
    pub fn runs(&self, pipeline: &str) -> u64 {
        self.pipelines.get(pipeline).map_or(0, |p| p.runs)
    }

    /// The processors of this pipeline that documents reached, with how many times, sorted by
    /// pointer (as strings).
    pub fn reached<'a>(&'a self, pipeline: &str) -> impl Iterator<Item = (&'a str, u64)> + 'a {
        self.counts(pipeline)
            .filter(|(_, c)| c.reached > 0)
            .map(|(p, c)| (p, c.reached))
    }

    /// Every processor of this pipeline something happened to (reached, skipped or failed).
    pub fn counts<'a>(&'a self, pipeline: &str) -> impl Iterator<Item = (&'a str, Counts)> + 'a {
        self.pipelines
            .get(pipeline)
            .into_iter()
            .flat_map(|p| p.processors.iter().map(|(k, c)| (&**k, *c)))
    }

    /// The counts of one processor (zero when nothing reached it).
    pub fn get(&self, pipeline: &str, pointer: &str) -> Counts {
        self.pipelines
            .get(pipeline)
            .and_then(|p| p.processors.get(pointer))
            .copied()
            .unwrap_or_default()
    }

    /// Every failure a handler caught, in order.
    pub fn handled_failures(&self) -> &[HandledFailure] {
        &self.handled
    }

    /// The processor that threw in the last traced run whose document failed (the failure no
    /// handler caught), if it was a processor (not e.g. a missing pipeline).
    pub fn unhandled_failure(&self) -> Option<&ProcessorRef> {
        self.unhandled.as_ref()
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        *self = Trace::default();
    }

    /// Adds another trace's counts and failures to this one (e.g. one trace per event, and
    /// their sum per file).
    pub fn merge(&mut self, other: &Trace) {
        for (id, theirs) in &other.pipelines {
            let ours = self.pipelines.entry(id.clone()).or_default();
            ours.runs += theirs.runs;
            for (pointer, c) in &theirs.processors {
                let e = ours.processors.entry(pointer.clone()).or_default();
                e.reached += c.reached;
                e.skipped += c.skipped;
                e.failed += c.failed;
            }
        }
        self.handled.extend(other.handled.iter().cloned());
        if other.unhandled.is_some() {
            self.unhandled.clone_from(&other.unhandled);
        }
    }

    // -- recording (the engine's side)

    pub(crate) fn start_run(&mut self) {
        self.stack.clear();
        self.pending = None;
    }

    pub(crate) fn end_run(&mut self, failed: bool) {
        self.stack.clear();
        let pending = self.pending.take();
        if failed {
            self.unhandled = pending;
        }
    }

    pub(crate) fn enter(&mut self, pipeline: &str) {
        match self.pipelines.get_mut(pipeline) {
            Some(p) => p.runs += 1,
            None => {
                self.pipelines.insert(
                    pipeline.to_string(),
                    PipelineTrace {
                        runs: 1,
                        processors: BTreeMap::new(),
                    },
                );
            }
        }
        self.stack.push(pipeline.to_string());
    }

    pub(crate) fn leave(&mut self) {
        self.stack.pop();
    }

    fn counts_mut(&mut self, pointer: &Arc<str>) -> Option<&mut Counts> {
        let pipeline = self.stack.last()?;
        let p = self.pipelines.get_mut(pipeline.as_str())?;
        if !p.processors.contains_key(&**pointer) {
            p.processors.insert(pointer.clone(), Counts::default());
        }
        p.processors.get_mut(&**pointer)
    }

    pub(crate) fn record_reached(&mut self, pointer: &Arc<str>) {
        if let Some(c) = self.counts_mut(pointer) {
            c.reached += 1;
        }
    }

    pub(crate) fn record_skipped(&mut self, pointer: &Arc<str>) {
        if let Some(c) = self.counts_mut(pointer) {
            c.skipped += 1;
        }
    }

    /// `processor` (at `pointer`) threw: the innermost failure is kept until a handler takes
    /// it (an outer processor the error passes through does not replace it).
    pub(crate) fn record_failed(&mut self, pointer: &Arc<str>, processor: &dyn Processor) {
        if self.pending.is_some() {
            return;
        }
        let Some(pipeline) = self.stack.last().cloned() else {
            return;
        };
        if let Some(c) = self.counts_mut(pointer) {
            c.failed += 1;
        }
        let leaf = crate::processor::unit_leaf(processor);
        self.pending = Some(ProcessorRef {
            pipeline,
            pointer: pointer.to_string(),
            processor_type: leaf.kind().to_string(),
            tag: leaf.tag().map(str::to_string),
        });
    }

    /// A handler takes the pending failure.
    pub(crate) fn record_handled(
        &mut self,
        level: HandlerLevel,
        handler: Option<&Arc<str>>,
        message: Option<&str>,
    ) {
        let Some(failed) = self.pending.take() else {
            return;
        };
        let Some(pipeline) = self.stack.last().cloned() else {
            return;
        };
        self.handled.push(HandledFailure {
            level,
            pipeline,
            handler: handler.map(|h| h.to_string()),
            failed,
            message: message.map(str::to_string),
        });
    }
}

/// One reference token of a JSON pointer (RFC 6901: `~` is `~0`, `/` is `~1`).
pub(crate) fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests;
