//! The `pipeline` processor: runs another pipeline on the document
//! (`server/src/main/java/org/opensearch/ingest/PipelineProcessor.java`; `ignore_missing_pipeline`
//! since 2.13, see `210_pipeline_processor.yml`), and its verbose-simulate tracking
//! (`TrackingResultProcessor.java`).

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::pipeline::{execute_pipeline, execute_pipeline_tracked, PIPELINE_CYCLE_ERROR_MESSAGE};
use crate::processor::{record_result, Common, Node, Outcome, Processor, Run};
use crate::template::Template;

pub struct PipelineProcessor {
    tag: Option<String>,
    description: Option<String>,
    name: Template,
    ignore_missing_pipeline: bool,
}

/// `PipelineProcessor.Factory`: `name` (a template, required), `ignore_missing_pipeline`
/// (default false).
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let name = config.required_template("name")?;
    let ignore_missing_pipeline = config.boolean("ignore_missing_pipeline", false)?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(PipelineProcessor {
        tag,
        description,
        name,
        ignore_missing_pipeline,
    }))
}

impl PipelineProcessor {
    /// `getPipelineToCallName`.
    pub fn pipeline_name(&self, doc: &IngestDocument) -> Result<String, IngestError> {
        doc.render(&self.name)
    }

    pub fn ignore_missing_pipeline(&self) -> bool {
        self.ignore_missing_pipeline
    }
}

fn missing(name: &str) -> String {
    format!("Pipeline processor configured for non-existent pipeline [{name}]")
}

impl Processor for PipelineProcessor {
    fn execute(&self, doc: &mut IngestDocument, run: &mut Run) -> Result<Outcome, IngestError> {
        let name = self.pipeline_name(doc)?;
        match run.pipeline(&name) {
            Some(pipeline) => execute_pipeline(&pipeline, doc, run),
            None if self.ignore_missing_pipeline => Ok(Outcome::Continue),
            None => Err(IngestError::illegal_state(missing(&name))),
        }
    }

    fn kind(&self) -> &'static str {
        "pipeline"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    fn node(&self) -> Node<'_> {
        Node::Pipeline(self)
    }
}

/// `TrackingResultProcessor.execute` for a `pipeline` processor: a missing pipeline fails the
/// whole simulate request (an `IllegalArgumentException` thrown out of the execution), unless
/// `ignore_missing_pipeline`; the target runs first on a copy to find cycles (recorded as this
/// processor's error); otherwise this processor's result is recorded, then the target's
/// processors, decorated, run on the document.
pub(crate) fn execute_tracked(
    processor: &PipelineProcessor,
    actual: &dyn Processor,
    condition: Option<(String, bool)>,
    ignore_failure: bool,
    doc: &mut IngestDocument,
    run: &mut Run,
) -> Result<Outcome, IngestError> {
    // Thrown outside of any handler (a template error escapes the request too).
    let name = match processor.pipeline_name(doc) {
        Ok(n) => n,
        Err(e) => {
            run.set_fatal(e.clone());
            return Err(e);
        }
    };
    let Some(pipeline) = run.pipeline(&name) else {
        if processor.ignore_missing_pipeline {
            record_result(run, actual, None, None, condition);
            return Ok(Outcome::Continue);
        }
        let e = IngestError::illegal_argument(missing(&name));
        run.set_fatal(e.clone());
        return Err(e);
    };
    let mut copy = doc.deep_copy();
    let copy_result = {
        let mut untraced = run.untraced();
        execute_pipeline(&pipeline, &mut copy, &mut untraced)
    };
    if let Err(e) = copy_result {
        let is_cycle = e.type_ == "ingest_processor_exception"
            && e.caused_by.as_ref().is_some_and(|c| {
                c.type_ == "illegal_state_exception"
                    && c.reason().starts_with(PIPELINE_CYCLE_ERROR_MESSAGE)
            });
        if is_cycle {
            let kept = if ignore_failure { Some(&*doc) } else { None };
            record_result(run, actual, kept, Some(e.clone()), condition);
            return Err(e);
        }
    }
    record_result(run, actual, None, None, condition);
    execute_pipeline_tracked(&pipeline, doc, run)
}
