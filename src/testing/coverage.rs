//! Coverage of the pipelines by the test events: the processors no event reached (never ran:
//! their `if` was always false, or an earlier processor always failed or dropped). Reported,
//! not a failure: a processor for a rare format is worth an event, and the report says which.

use std::collections::BTreeSet;
use std::path::PathBuf;

use ingest::Trace;

use super::suite::Suite;
use crate::content::kind::Kind;
use crate::content::Content;

/// A processor that no test event reached.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unreached {
    pub(crate) pipeline: String,
    pub(crate) file: PathBuf,
    pub(crate) line: Option<usize>,
    /// The JSON pointer of the processor in the pipeline body.
    pub(crate) pointer: String,
    pub(crate) processor_type: String,
    /// Its description, else its tag.
    pub(crate) label: Option<String>,
}

/// A pipeline's coverage.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PipelineCoverage {
    pub(crate) pipeline: String,
    pub(crate) file: PathBuf,
    pub(crate) processors: usize,
    pub(crate) unreached: Vec<Unreached>,
}

/// The coverage of the pipelines of `log_types` (all when empty) by the runs' traces.
pub(crate) fn coverage(
    content: &Content,
    suite: &Suite<'_>,
    traces: &[&Trace],
    log_types: &[String],
) -> Vec<PipelineCoverage> {
    let mut out = Vec::new();
    for resource in content.of_kind(Kind::IngestPipeline) {
        if !log_types.is_empty() && !log_types.contains(&resource.log_type) {
            continue;
        }
        let Some(pipeline) = suite.engine().pipeline(&resource.id) else {
            continue;
        };
        let reached: BTreeSet<&str> = traces
            .iter()
            .flat_map(|t| t.reached(&resource.id))
            .filter(|(_, n)| *n > 0)
            .map(|(p, _)| p)
            .collect();
        let processors = pipeline.processors();
        let unreached = processors
            .iter()
            .filter(|p| !reached.contains(p.pointer.as_str()))
            .map(|p| Unreached {
                pipeline: resource.id.clone(),
                file: resource.file.clone(),
                line: resource.line_of(&p.pointer),
                pointer: p.pointer.clone(),
                processor_type: p.processor_type.clone(),
                label: p.description.clone().or_else(|| p.tag.clone()),
            })
            .collect();
        out.push(PipelineCoverage {
            pipeline: resource.id.clone(),
            file: resource.file.clone(),
            processors: processors.len(),
            unreached,
        });
    }
    out
}
