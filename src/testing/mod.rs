//! `siemctl test`: the content's own tests, run offline.
//!
//! ```text
//! index-templates/<log-type>/_test/*.log|*.ndjson ──case::discover──▶ [TestFile] (events, config)
//! TestFile + Content (rendered with the file's vars) ──suite::Suite::run──▶ FileRun
//!         (each event through the pipelines of its index, then the index's mapping)
//! FileRun + <file>-expected.json ──check::check──▶ failures + the golden file this run makes
//! ```
//!
//! Nothing here prints; reading the test files happens in `case`, writing golden files in the
//! command.

pub(crate) mod case;
pub(crate) mod check;
pub(crate) mod coverage;
pub(crate) mod expected;
pub(crate) mod index_name;
pub(crate) mod queries;
pub(crate) mod questions;
pub(crate) mod same_meaning;
pub(crate) mod suite;

use std::path::PathBuf;

use self::case::TestFile;
use self::check::Checked;
use self::suite::FileRun;

/// One test file, run and judged.
#[derive(Debug)]
pub(crate) struct FileResult {
    pub(crate) file: TestFile,
    pub(crate) run: FileRun,
    pub(crate) checked: Checked,
    /// The golden file written by `--generate`, and whether it is new.
    pub(crate) written: Option<(PathBuf, bool)>,
}

impl FileResult {
    /// Whether the file fails: an event, or the file as a whole.
    pub(crate) fn failed(&self) -> bool {
        self.failed_events() > 0 || !self.checked.file_failures.is_empty()
    }

    /// Events that failed (all of them when the golden file is missing).
    pub(crate) fn failed_events(&self) -> usize {
        if self.checked.missing_golden {
            return self.run.events.len();
        }
        let lines: std::collections::BTreeSet<usize> =
            self.checked.failures.iter().map(|f| f.line).collect();
        lines.len()
    }
}
