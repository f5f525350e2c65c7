//! `siemctl import sigma` results: each converted rule (file written, language, query), then
//! each refused rule with its reason, as text or JSON.

use std::path::PathBuf;

use serde_json::json;

use super::printer::{problem_summary, problems_json, Printer};
use super::style;
use crate::content::problem::Problem;
use crate::query::Language;
use crate::sigma::Converted;

/// What happened to the search file of a converted rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Created,
    Updated,
    Unchanged,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::Unchanged => "unchanged",
        }
    }
}

/// One converted rule.
#[derive(Debug)]
pub(crate) struct Imported {
    pub(crate) rule: PathBuf,
    /// The search file, relative to the content directory when inside it.
    pub(crate) file: PathBuf,
    pub(crate) action: Action,
    pub(crate) converted: Converted,
}

fn language(l: Language) -> &'static str {
    match l {
        Language::Dql => "dql",
        Language::Lucene => "lucene",
    }
}

/// The query on one line: one with a control character (a newline inside a regular
/// expression class) is shown quoted, with its escapes, as the YAML file holds it.
fn shown_query(query: &str) -> String {
    if query.chars().any(char::is_control) {
        serde_json::to_string(query).unwrap_or_default()
    } else {
        query.to_string()
    }
}

pub(crate) fn print(printer: Printer, imported: &[Imported], failed: &[Problem], dry_run: bool) {
    let summary = format!(
        "{} of {} rules converted{}",
        imported.len(),
        imported.len() + failed.len(),
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    if printer.is_json() {
        let items: Vec<_> = imported
            .iter()
            .map(|i| {
                json!({
                    "rule": i.rule.display().to_string().replace('\\', "/"),
                    "id": i.converted.id,
                    "title": i.converted.title,
                    "log_type": i.converted.log_type,
                    "language": language(i.converted.language),
                    "query": i.converted.query,
                    "file": i.file.display().to_string().replace('\\', "/"),
                    "action": if dry_run && i.action != Action::Unchanged { format!("would be {}", i.action.name()) } else { i.action.name().to_string() },
                    "notes": i.converted.notes,
                })
            })
            .collect();
        let error = if failed.is_empty() {
            serde_json::Value::Null
        } else {
            super::printer::error_json(
                crate::error_code::Code::Validation,
                format!("{summary}: {}", problem_summary(failed)),
                Vec::new(),
            )
        };
        printer.json(
            json!({ "dry_run": dry_run, "imported": items, "failed": problems_json(failed) }),
            error,
        );
        return;
    }
    let (ok, loc) = (style::success(), style::location());
    let mut text = String::new();
    for i in imported {
        let verb = match (dry_run, i.action) {
            (_, Action::Unchanged) => "unchanged",
            (true, Action::Created) => "would create",
            (true, Action::Updated) => "would update",
            (false, a) => a.name(),
        };
        text.push_str(&format!(
            "{ok}{verb}{ok:#} {loc}{}{loc:#} ({}, {}) from {}\n  {}\n",
            i.file.display(),
            i.converted.log_type,
            language(i.converted.language),
            i.rule.display(),
            shown_query(&i.converted.query),
        ));
        for note in &i.converted.notes {
            text.push_str(&format!("  note: {note}\n"));
        }
    }
    text.push_str(&summary);
    text.push('\n');
    printer.data(&text);
    if !failed.is_empty() {
        printer.problems(failed);
        printer.error(&anyhow::anyhow!(
            "{} not converted: {}",
            if failed.len() == 1 {
                "1 rule was"
            } else {
                "some rules were"
            },
            problem_summary(failed)
        ));
    }
}
