//! What `siemctl new` prints: the files it wrote (or, with --dry-run, would write, with their
//! text), then what to do next; or one JSON document.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::printer::Printer;
use super::style;
use crate::scaffold::NewFile;

pub(crate) struct Report<'a> {
    pub(crate) files: &'a [NewFile],
    pub(crate) dry_run: bool,
    pub(crate) log_type: &'a str,
    /// `search`, `visualization`, `dashboard` or `log-type`.
    pub(crate) command: &'a str,
}

pub(crate) fn print(printer: Printer, report: &Report) {
    if printer.is_json() {
        printer.json(json(report), Value::Null);
        return;
    }
    printer.data(&text(report));
    for step in next_steps(report) {
        printer.status(&step);
    }
}

fn path(file: &NewFile) -> String {
    file.path.display().to_string().replace('\\', "/")
}

pub(crate) fn json(report: &Report) -> Value {
    let files: Vec<Value> = report
        .files
        .iter()
        .map(|f| json!({ "path": path(f), "text": f.text }))
        .collect();
    json!({ "dry_run": report.dry_run, "written": !report.dry_run, "files": files })
}

pub(crate) fn text(report: &Report) -> String {
    let mut out = String::new();
    let h = style::heading();
    let ok = style::success();
    if report.dry_run {
        for file in report.files {
            let _ = writeln!(out, "{h}--- {} (not written: --dry-run){h:#}", path(file));
            out.push_str(&file.text);
            if !file.text.ends_with('\n') {
                out.push('\n');
            }
        }
        let _ = writeln!(
            out,
            "{} files would be written; nothing was.",
            report.files.len()
        );
    } else {
        for file in report.files {
            let _ = writeln!(out, "{ok}created{ok:#} {}", path(file));
        }
    }
    out
}

/// What to run after the scaffold, on stderr.
fn next_steps(report: &Report) -> Vec<String> {
    if report.dry_run {
        return Vec::new();
    }
    let lt = report.log_type;
    let mut steps = vec!["next: edit the new files, then `siemctl validate`".to_string()];
    match report.command {
        "log-type" => {
            steps.push(format!("      replace the test events in index-templates/{lt}/_test/ with real ones and adapt the pipeline, then `siemctl test --log-type {lt} --generate` and read the golden files"));
            steps.push("      `siemctl test --generate` (without --log-type) adds the new events to the matches of the log-* searches of _common".into());
        }
        _ => steps.push(format!("      `siemctl test --log-type {lt} --generate` records what it finds in saved-searches/{lt}/_test/matches-expected.json: read it, then commit")),
    }
    steps
}
