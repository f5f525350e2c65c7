//! A test file's run judged: against its golden file, its mapping and its pipelines' error
//! handling. Pure: a [`FileRun`] and an [`Expected`] in, failures and the new golden file out.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::case::TestFile;
use super::expected::{Entry, Expected, Stored};
use super::suite::FileRun;

/// Why an event fails its test.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Failure {
    /// The stored document is not the golden one: a unified diff.
    Differs { diff: String },
    /// No golden entry for this event (run with --generate).
    NotInGolden,
    /// A pipeline's `on_failure` caught an error.
    PipelineError { message: String },
    /// The pipeline failed and nothing handled it: the node answers an error for the event.
    PipelineFailed { reason: String },
    /// The node would not store the document (mapping, index name): the event is lost, so a
    /// `fails` mark does not excuse it.
    Rejected { reason: String },
    /// The event went to an index that no index template of the content creates.
    UnmappedIndex { reason: String },
    /// The mapping dropped malformed values.
    Ignored { fields: Vec<String> },
    /// Marked `fails` in the golden file, but it did not fail.
    DidNotFail,
}

impl Failure {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Failure::Differs { .. } => "differs",
            Failure::NotInGolden => "not_in_golden",
            Failure::PipelineError { .. } => "pipeline_error",
            Failure::PipelineFailed { .. } => "pipeline_failed",
            Failure::Rejected { .. } => "rejected",
            Failure::UnmappedIndex { .. } => "unmapped_index",
            Failure::Ignored { .. } => "ignored_fields",
            Failure::DidNotFail => "did_not_fail",
        }
    }

    pub(crate) fn message(&self) -> String {
        match self {
            Failure::Differs { .. } => "the document differs from the golden file".into(),
            Failure::NotInGolden => "the golden file has no document for this event".into(),
            Failure::PipelineError { message } => {
                format!("the pipeline failed and its on_failure handled it: {message}")
            }
            Failure::PipelineFailed { reason } => format!(
                "the pipeline failed and no on_failure handled it, so the node answers an error for this event: {reason}"
            ),
            Failure::Rejected { reason } => {
                format!("the node would not store this event: {reason}")
            }
            Failure::UnmappedIndex { reason } => reason.clone(),
            Failure::Ignored { fields } => format!(
                "the mapping dropped the malformed value of {} (ignore_malformed)",
                fields
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Failure::DidNotFail => {
                "the golden file says this event fails its pipeline, but it did not".into()
            }
        }
    }

    pub(crate) fn hint(&self) -> Option<&'static str> {
        match self {
            Failure::Differs { .. } => Some("if the new document is right, run `siemctl test --generate` and commit the golden file"),
            Failure::NotInGolden => Some("run `siemctl test --generate`, read the document it writes, and commit it"),
            Failure::PipelineError { .. } | Failure::PipelineFailed { .. } => Some("fix the pipeline, or, if the event is meant to fail, add \"fails\": true to its entry in the golden file"),
            Failure::Rejected { .. } => Some("the node loses this event whatever the golden file says: fix the pipeline so that what it makes (its on_failure document too) fits the mapping"),
            Failure::UnmappedIndex { .. } => Some("send the events to an index of the content (`index:` of the test's -config.yaml), or fix the pipeline that sets `_index`"),
            Failure::Ignored { .. } => Some("the value was parsed into the wrong shape; fix the pipeline, or list the field in `ignored_fields` of the test's -config.yaml if dropping it is intended"),
            Failure::DidNotFail => Some("remove \"fails\": true from its entry, or restore the failure"),
        }
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut value = json!({ "code": self.code(), "message": self.message() });
        if let Failure::Differs { diff } = self {
            value["diff"] = json!(diff);
        }
        if let Some(hint) = self.hint() {
            value["hint"] = json!(hint);
        }
        value
    }
}

/// One event's failure, at its line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EventFailure {
    pub(crate) line: usize,
    pub(crate) failure: Failure,
}

/// A failure of the file as a whole.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FileFailure {
    pub(crate) message: String,
    pub(crate) hint: &'static str,
}

/// What a test file's run came to.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub(crate) failures: Vec<EventFailure>,
    pub(crate) file_failures: Vec<FileFailure>,
    /// The golden file as this run makes it (`fails` marks kept from the old one).
    pub(crate) golden: Expected,
    /// There is no golden file (and this run does not write one): every event is unchecked.
    pub(crate) missing_golden: bool,
}

/// Judges `run` against `expected` (None: there is no golden file yet). With `generating`,
/// differences from the golden file are not failures (the new file replaces it); everything
/// else still is.
pub(crate) fn check(
    file: &TestFile,
    run: &FileRun,
    expected: Option<&Expected>,
    generating: bool,
) -> Checked {
    let allowed: BTreeSet<&str> = file
        .config
        .ignored_fields
        .iter()
        .map(String::as_str)
        .collect();
    let mut dropped_fields: BTreeSet<&str> = BTreeSet::new();
    let mut failures = Vec::new();
    let mut golden = Expected::default();
    for event in &run.events {
        let old = expected.and_then(|e| e.entry(event.line));
        let fails = old.is_some_and(|e| e.fails);
        let entry = Entry {
            line: event.line,
            stored: event.stored.clone(),
            fails,
            replaced_by: event.replaced_by,
        };
        let mut found = Vec::new();
        // What a `fails` mark stands for: the pipeline failed, handled or not.
        let pipeline_failed =
            event.handled_failure.is_some() || matches!(event.stored, Stored::Failed { .. });
        if !fails {
            if let Some(message) = &event.handled_failure {
                found.push(Failure::PipelineError {
                    message: message.clone(),
                });
            }
            if let Stored::Failed { reason } = &event.stored {
                found.push(Failure::PipelineFailed {
                    reason: reason.clone(),
                });
            }
        } else if !pipeline_failed {
            found.push(Failure::DidNotFail);
        }
        if let Stored::Rejected { reason } = &event.stored {
            found.push(Failure::Rejected {
                reason: reason.clone(),
            });
        }
        if let Some(reason) = &event.unchecked_index {
            found.push(Failure::UnmappedIndex {
                reason: reason.clone(),
            });
        }
        dropped_fields.extend(event.ignored.iter().map(String::as_str));
        let unexpected: Vec<String> = event
            .ignored
            .iter()
            .filter(|f| !allowed.contains(f.as_str()))
            .cloned()
            .collect();
        if !unexpected.is_empty() {
            found.push(Failure::Ignored { fields: unexpected });
        }
        if !generating && expected.is_some() {
            match old {
                None => found.push(Failure::NotInGolden),
                Some(old) => {
                    let (want, got) = (old.text(), entry.text());
                    if want != got {
                        found.push(Failure::Differs {
                            diff: unified_diff(&want, &got),
                        });
                    }
                }
            }
        }
        failures.extend(found.into_iter().map(|failure| EventFailure {
            line: event.line,
            failure,
        }));
        golden.entries.push(entry);
    }
    let mut file_failures = Vec::new();
    let lines: BTreeSet<usize> = run.events.iter().map(|e| e.line).collect();
    let stale: Vec<String> = expected
        .map(|e| {
            e.entries
                .iter()
                .map(|x| x.line)
                .filter(|l| !lines.contains(l))
                .map(|l| l.to_string())
                .collect()
        })
        .unwrap_or_default();
    if !stale.is_empty() && !generating {
        file_failures.push(FileFailure {
            message: format!(
                "the golden file has entries for lines that are not events: {}",
                stale.join(", ")
            ),
            hint: "an event was removed or moved: run `siemctl test --generate` and check the diff",
        });
    }
    let unused: Vec<&str> = allowed
        .iter()
        .copied()
        .filter(|f| !dropped_fields.contains(f))
        .collect();
    if !unused.is_empty() {
        file_failures.push(FileFailure {
            message: format!(
                "`ignored_fields` lists {}, but no event of this file had that value dropped",
                unused
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            hint: "remove it from `ignored_fields` of the test's -config.yaml, or restore the event that tests it",
        });
    }
    Checked {
        failures,
        file_failures,
        golden,
        missing_golden: expected.is_none() && !generating,
    }
}

/// `--- golden` / `+++ this run`, three lines of context.
pub(crate) fn unified_diff(want: &str, got: &str) -> String {
    similar::TextDiff::from_lines(want, got)
        .unified_diff()
        .context_radius(3)
        .header("golden", "this run")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::case::{Config, Event};
    use crate::testing::suite::EventRun;
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    fn file(ignored: &[&str]) -> TestFile {
        TestFile {
            path: PathBuf::from("index-templates/web/_test/a.log"),
            log_type: "web".into(),
            events: vec![Event {
                line: 1,
                raw: "x".into(),
            }],
            config: Config {
                ignored_fields: ignored.iter().map(|s| s.to_string()).collect(),
                ..Config::default()
            },
            config_path: None,
            now: "2026-11-27T00:00:00Z".parse().unwrap(),
        }
    }

    fn doc(source: Value) -> Stored {
        Stored::Document {
            index: "log-web-test".into(),
            id: None,
            source,
        }
    }

    fn run(events: Vec<EventRun>) -> FileRun {
        FileRun {
            index: "log-web-test".into(),
            events,
            mappings: BTreeMap::new(),
            trace: ingest::Trace::new(),
        }
    }

    fn event(line: usize, stored: Stored) -> EventRun {
        EventRun {
            line,
            stored,
            document: None,
            ignored: vec![],
            handled_failure: None,
            unchecked_index: None,
            replaced_by: None,
        }
    }

    #[test]
    fn a_changed_value_is_a_diff_of_that_event() {
        let golden = Expected {
            entries: vec![Entry {
                line: 1,
                stored: doc(json!({"a": 1, "b": "x"})),
                fails: false,
                replaced_by: None,
            }],
        };
        let r = run(vec![event(1, doc(json!({"a": 2, "b": "x"})))]);
        let checked = check(&file(&[]), &r, Some(&golden), false);
        assert_eq!(checked.failures.len(), 1);
        let Failure::Differs { diff } = &checked.failures[0].failure else {
            panic!("{:?}", checked.failures)
        };
        assert!(
            diff.contains("-    \"a\": 1,") && diff.contains("+    \"a\": 2,"),
            "{diff}"
        );
        // The same run with --generate: no failure, the new document is the golden one.
        let checked = check(&file(&[]), &r, Some(&golden), true);
        assert!(checked.failures.is_empty());
        assert_eq!(
            checked.golden.entries[0].stored,
            doc(json!({"a": 2, "b": "x"}))
        );
    }

    #[test]
    fn pipeline_errors_rejections_and_ignored_fields_fail_unless_expected() {
        let mut e = event(1, doc(json!({})));
        e.handled_failure = Some("grok: no match".into());
        e.ignored = vec!["source.ip".into(), "event.start".into()];
        let r = run(vec![e]);
        let checked = check(&file(&["event.start"]), &r, None, true);
        let codes: Vec<&str> = checked.failures.iter().map(|f| f.failure.code()).collect();
        assert_eq!(codes, ["pipeline_error", "ignored_fields"]);
        assert_eq!(
            checked.failures[1].failure,
            Failure::Ignored {
                fields: vec!["source.ip".into()]
            }
        );
        // Marked as meant to fail: only the ignored field remains, and the mark is kept.
        let golden = Expected {
            entries: vec![Entry {
                line: 1,
                stored: doc(json!({})),
                fails: true,
                replaced_by: None,
            }],
        };
        let checked = check(
            &file(&["source.ip", "event.start"]),
            &r,
            Some(&golden),
            false,
        );
        assert!(checked.failures.is_empty(), "{:?}", checked.failures);
        assert!(checked.golden.entries[0].fails);
        // Marked, but it no longer fails.
        let r = run(vec![event(1, doc(json!({})))]);
        let checked = check(&file(&[]), &r, Some(&golden), false);
        assert_eq!(checked.failures[0].failure, Failure::DidNotFail);
    }

    #[test]
    fn missing_golden_entries_and_stale_ones() {
        let golden = Expected {
            entries: vec![Entry {
                line: 7,
                stored: Stored::Dropped,
                fails: false,
                replaced_by: None,
            }],
        };
        let r = run(vec![event(1, Stored::Dropped)]);
        let checked = check(&file(&[]), &r, Some(&golden), false);
        assert_eq!(checked.failures[0].failure, Failure::NotInGolden);
        assert_eq!(checked.file_failures.len(), 1);
        assert!(checked.file_failures[0].message.ends_with("not events: 7"));
        assert!(!checked.missing_golden);
        // No golden file at all: one file-level failure, not one per event.
        let checked = check(&file(&[]), &r, None, false);
        assert!(checked.failures.is_empty());
        assert!(checked.missing_golden);
    }
}
