//! `siemctl test` results, as text or JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{json, Value};

use super::printer::Printer;
use super::style;
use crate::exit::ExitStatus;
use crate::testing::coverage::PipelineCoverage;
use crate::testing::queries::{Outcome, QueryReport};
use crate::testing::questions::{QuestionResult, Verdict};
use crate::testing::FileResult;

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn path(p: &std::path::Path) -> String {
    p.display().to_string().replace('\\', "/")
}

/// Everything a run of `siemctl test` found.
pub(crate) struct Report<'a> {
    pub(crate) results: &'a [FileResult],
    pub(crate) coverage: &'a [PipelineCoverage],
    pub(crate) queries: &'a QueryReport,
    pub(crate) written_goldens: &'a [(std::path::PathBuf, bool)],
    /// The `--log-type`s, when some were chosen.
    pub(crate) selected: &'a [String],
    /// The workshop's questions, checked.
    pub(crate) questions: &'a [QuestionResult],
    /// The golden matches files as they were before the run, by log type (None: no file).
    pub(crate) goldens: &'a BTreeMap<String, Option<String>>,
}

/// Prints the results; failure when any event, file or query failed.
pub(crate) fn print(printer: Printer, report: &Report<'_>) -> ExitStatus {
    let Report {
        results,
        coverage,
        queries,
        written_goldens,
        selected,
        questions,
        goldens,
    } = *report;
    let unanswered = questions
        .iter()
        .filter(|q| matches!(q.verdict, Verdict::Missing(_)))
        .count();
    let events: usize = results.iter().map(|r| r.run.events.len()).sum();
    let failed_events: usize = results.iter().map(FileResult::failed_events).sum();
    let failed_files = results.iter().filter(|r| r.failed()).count();
    let log_types: BTreeSet<&str> = results.iter().map(|r| r.file.log_type.as_str()).collect();
    let query_failures = queries.failures.len() + unanswered;
    let failed = failed_files > 0 || query_failures > 0;
    let status = if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    if printer.is_github() {
        printer.data(&annotations(results, queries, goldens));
    }
    if printer.is_json() {
        let files: Vec<Value> = results.iter().map(file_json).collect();
        let summary = json!({
            "log_types": log_types.len(),
            "files": results.len(),
            "events": events,
            "failed_events": failed_events,
            "queries": queries.results.len(),
            "failed_queries": query_failures,
        });
        let error = if failed {
            super::printer::error_json(
                crate::error_code::Code::TestFailed,
                failed_message(failed_events, events, failed_files, query_failures),
                Vec::new(),
            )
        } else {
            Value::Null
        };
        let coverage: Vec<Value> = coverage.iter().map(coverage_json).collect();
        printer.json(
            json!({
                "files": files,
                "coverage": coverage,
                "queries": queries_json(queries, written_goldens),
                "workshop_questions": questions.iter().map(|q| {
                    let (verdict, detail) = match &q.verdict {
                        Verdict::Answered => ("answered", Value::Null),
                        Verdict::Missing(values) => ("not_answered", json!(values)),
                        Verdict::NotEvaluated(why) => ("not_evaluated", json!(why)),
                    };
                    json!({"id": q.id, "searches": q.searches, "found": q.found, "verdict": verdict, "detail": detail})
                }).collect::<Vec<_>>(),
                "summary": summary,
            }),
            error,
        );
        return status;
    }
    let (e, l, h, s) = (
        style::error(),
        style::location(),
        style::hint(),
        style::success(),
    );
    let mut text = String::new();
    for result in results {
        let n = result.run.events.len();
        let failed = result.failed_events();
        let file_failed = result.failed();
        let _ = write!(
            text,
            "{}: {} to {}",
            path(&result.file.path),
            plural(n, "event"),
            result.run.index
        );
        if failed > 0 {
            let _ = writeln!(text, ", {e}{failed} failed{e:#}");
        } else if file_failed {
            let _ = writeln!(text, ", {e}the file fails{e:#}");
        } else {
            let _ = writeln!(text, ", all passed");
        }
        for f in &result.checked.file_failures {
            let _ = writeln!(
                text,
                "  {e}FAIL{e:#} {l}{}{l:#}: {}",
                path(&result.file.path),
                f.message
            );
            let _ = writeln!(text, "    {h}hint{h:#}: {}", f.hint);
        }
        if result.checked.missing_golden {
            let _ = writeln!(
                text,
                "  {e}FAIL{e:#} {l}{}{l:#}: there is no golden file, so no event is checked",
                path(&result.file.path)
            );
            let _ = writeln!(
                text,
                "    {h}hint{h:#}: run `siemctl test --generate`, read {} and commit it",
                path(&result.file.expected_path())
            );
        }
        let mut hinted = BTreeSet::new();
        for failure in &result.checked.failures {
            let _ = writeln!(
                text,
                "  {e}FAIL{e:#} {l}{}:{}{l:#}: {}",
                path(&result.file.path),
                failure.line,
                failure.failure.message()
            );
            if let crate::testing::check::Failure::Differs { diff } = &failure.failure {
                for line in diff.lines() {
                    let _ = writeln!(text, "    {line}");
                }
            }
            // Each hint once per file.
            if let Some(hint) = failure.failure.hint() {
                if hinted.insert(hint) {
                    let _ = writeln!(text, "    {h}hint{h:#}: {hint}");
                }
            }
        }
        if let Some((written, new)) = &result.written {
            let _ = writeln!(
                text,
                "  wrote {} ({})",
                path(written),
                if *new { "new" } else { "changed" }
            );
        }
    }
    coverage_text(&mut text, coverage);
    queries_text(&mut text, queries, written_goldens);
    questions_text(&mut text, questions);
    if !selected.is_empty() {
        let _ = writeln!(
            text,
            "note: with --log-type, the objects on `log-*` (dashboards/_common, saved-searches/_common) are not checked; run `siemctl test` before committing"
        );
    }
    if !failed {
        let _ = writeln!(
            text,
            "{s}ok{s:#}: {} in {} of {} passed",
            plural(events, "event"),
            plural(results.len(), "file"),
            plural(log_types.len(), "log type")
        );
    }
    printer.data(&text);
    if failed {
        printer.error(&anyhow::anyhow!(failed_message(
            failed_events,
            events,
            failed_files,
            query_failures
        )));
    }
    status
}

fn failed_message(failed: usize, events: usize, files: usize, queries: usize) -> String {
    let mut parts = Vec::new();
    if failed > 0 {
        parts.push(format!(
            "{failed} of {} in {}",
            plural(events, "event"),
            plural(files, "file")
        ));
    } else if files > 0 {
        parts.push(plural(files, "file"));
    }
    if queries > 0 {
        parts.push(plural(queries, "query test"));
    }
    format!("test failed: {}", parts.join(", "))
}

fn queries_text(text: &mut String, report: &QueryReport, written: &[(std::path::PathBuf, bool)]) {
    if report.results.is_empty() {
        return;
    }
    let (e, l, h, w) = (
        style::error(),
        style::location(),
        style::hint(),
        style::warning(),
    );
    let not_evaluated: Vec<_> = report
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::NotEvaluated(_)))
        .collect();
    let _ = writeln!(
        text,
        "queries: {} evaluated over the test documents{}",
        plural(report.results.len() - not_evaluated.len(), "object"),
        if not_evaluated.is_empty() {
            String::new()
        } else {
            format!(", {} not evaluated offline", not_evaluated.len())
        }
    );
    for f in &report.failures {
        let what = if f.key.is_empty() {
            String::new()
        } else {
            format!("{}: ", f.key)
        };
        let _ = writeln!(
            text,
            "  {e}FAIL{e:#} {l}{}{l:#}: {what}{}",
            path(&f.file),
            f.message
        );
        for line in &f.lines {
            let _ = writeln!(text, "    {line}");
        }
    }
    if report
        .failures
        .iter()
        .any(|f| !f.lines.is_empty() || f.key.is_empty())
    {
        let _ = writeln!(
            text,
            "    {h}hint{h:#}: if the new matches are right, run `siemctl test --generate` and commit the golden file"
        );
    }
    if report.failures.iter().any(|f| {
        f.message.starts_with("no test event") || f.message.starts_with("this search matches every")
    }) {
        let _ = writeln!(
            text,
            "    {h}hint{h:#}: every saved search must find at least one test event and miss at least one: add events to the log type's _test/ folder"
        );
    }
    for r in &not_evaluated {
        if let Outcome::NotEvaluated(why) = &r.outcome {
            let _ = writeln!(
                text,
                "  {w}not evaluated offline{w:#}: {} ({}): {why}",
                r.key(),
                path(&r.file)
            );
        }
    }
    for (file, new) in written {
        let _ = writeln!(
            text,
            "  wrote {} ({})",
            path(file),
            if *new { "new" } else { "changed" }
        );
    }
}

/// `--output github`: each failed event at its line of the events file, each changed entry of a
/// golden matches file at its line there (a search new to the file, or a search that finds nothing,
/// at its file: no line).
fn annotations(
    results: &[FileResult],
    queries: &QueryReport,
    goldens: &BTreeMap<String, Option<String>>,
) -> String {
    use super::github::{error, At};
    let mut out = String::new();
    for result in results {
        if result.checked.missing_golden {
            out.push_str(&error(
                At::file(&result.file.path),
                "siemctl test",
                "there is no golden file, so no event is checked: run `siemctl test --generate`, read it and commit it",
            ));
        }
        for failure in &result.checked.failures {
            out.push_str(&error(
                At::line(&result.file.path, Some(failure.line)),
                "siemctl test",
                &failure.failure.message(),
            ));
        }
    }
    for failure in &queries.failures {
        let line = golden_line(goldens, &failure.file, &failure.key);
        let mut message = failure.message.clone();
        if !failure.key.is_empty() {
            message = format!("{}: {message}", failure.key);
        }
        for l in &failure.lines {
            message.push('\n');
            message.push_str(l);
        }
        out.push_str(&error(
            At::line(&failure.file, line),
            "siemctl test",
            &message,
        ));
    }
    out
}

/// The 1-based line of `key`'s entry in the golden matches file `file`, when that file holds it.
fn golden_line(
    goldens: &BTreeMap<String, Option<String>>,
    file: &std::path::Path,
    key: &str,
) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    let text = goldens
        .iter()
        .find(|(log_type, _)| crate::testing::queries::golden_path(log_type) == file)?
        .1
        .as_deref()?;
    let quoted = serde_json::to_string(key).ok()? + ":";
    text.lines()
        .position(|l| l.trim_start().starts_with(&quoted))
        .map(|i| i + 1)
}

fn queries_json(report: &QueryReport, written: &[(std::path::PathBuf, bool)]) -> Value {
    json!({
        "results": report.results.iter().map(|r| {
            let mut v = json!({
                "object": r.key(),
                "file": path(&r.file),
                "index_patterns": r.patterns,
            });
            match &r.outcome {
                Outcome::Matches { events, over } => {
                    v["matches"] = json!(events);
                    v["evaluated_over"] = json!(over);
                }
                Outcome::NotEvaluated(why) => v["not_evaluated"] = json!(why),
            }
            v
        }).collect::<Vec<_>>(),
        "failures": report.failures.iter().map(|f| json!({
            "file": path(&f.file),
            "object": if f.key.is_empty() { Value::Null } else { json!(f.key) },
            "message": f.message,
            "changes": f.lines,
        })).collect::<Vec<_>>(),
        "written": written.iter().map(|(p, new)| json!({"file": path(p), "new": new})).collect::<Vec<_>>(),
    })
}

fn file_json(result: &FileResult) -> Value {
    let failures: Vec<Value> = result
        .checked
        .failures
        .iter()
        .map(|f| {
            let mut v = f.failure.to_json();
            v["line"] = json!(f.line);
            v
        })
        .collect();
    json!({
        "file": path(&result.file.path),
        "log_type": result.file.log_type,
        "index": result.run.index,
        "events": result.run.events.len(),
        "failed_events": result.failed_events(),
        "failures": failures,
        "missing_golden": result.checked.missing_golden,
        "file_failures": result.checked.file_failures.iter().map(|f| json!({"message": f.message, "hint": f.hint})).collect::<Vec<_>>(),
        "written": result.written.as_ref().map(|(p, new)| json!({"file": path(p), "new": new})),
    })
}

fn coverage_text(text: &mut String, coverage: &[PipelineCoverage]) {
    let total: usize = coverage.iter().map(|c| c.processors).sum();
    let unreached: usize = coverage.iter().map(|c| c.unreached.len()).sum();
    if unreached == 0 {
        if total > 0 {
            let _ = writeln!(
                text,
                "coverage: test events reached all {} of {}",
                plural(total, "processor"),
                plural(coverage.len(), "pipeline")
            );
        }
        return;
    }
    let w = style::warning();
    let _ = writeln!(
        text,
        "{w}coverage{w:#}: no test event reached {unreached} of the {total} processors (add events that take these paths):"
    );
    for c in coverage.iter().filter(|c| !c.unreached.is_empty()) {
        let _ = writeln!(
            text,
            "  {} ({}), {} of {}:",
            c.pipeline,
            path(&c.file),
            c.unreached.len(),
            c.processors
        );
        for u in &c.unreached {
            let at = u
                .line
                .map(|l| format!("line {l}"))
                .unwrap_or_else(|| u.pointer.clone());
            let label = u
                .label
                .as_deref()
                .map(|l| format!(": {l}"))
                .unwrap_or_default();
            let _ = writeln!(text, "    {at}: {}{label}", u.processor_type);
        }
    }
}

fn coverage_json(c: &PipelineCoverage) -> Value {
    json!({
        "pipeline": c.pipeline,
        "file": path(&c.file),
        "processors": c.processors,
        "unreached": c.unreached.iter().map(|u| json!({
            "line": u.line,
            "pointer": u.pointer,
            "type": u.processor_type,
            "label": u.label,
        })).collect::<Vec<_>>(),
    })
}

fn questions_text(text: &mut String, questions: &[QuestionResult]) {
    if questions.is_empty() {
        return;
    }
    let (e, h, w) = (style::error(), style::hint(), style::warning());
    let answered = questions
        .iter()
        .filter(|q| q.verdict == Verdict::Answered)
        .count();
    let _ = writeln!(
        text,
        "workshop questions: {answered} of {} answered by their saved searches over the workshop sample",
        questions.len()
    );
    for q in questions {
        match &q.verdict {
            Verdict::Answered => {}
            Verdict::Missing(values) => {
                let _ = writeln!(
                    text,
                    "  {e}FAIL{e:#} workshop/questions.yaml: `{}`: its searches ({}) find {} sample events, none with {}",
                    q.id,
                    q.searches.join(", "),
                    q.found,
                    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
                );
                let _ = writeln!(
                    text,
                    "    {h}hint{h:#}: name a saved search that finds the answer, or fix the search (the sample is index-templates/*/_test/workshop*)"
                );
            }
            Verdict::NotEvaluated(why) => {
                let _ = writeln!(text, "  {w}not evaluated offline{w:#}: `{}`: {why}", q.id);
            }
        }
    }
}
