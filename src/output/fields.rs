//! The field catalogue as a table for people, a JSON document, or docs/fields.md.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::content::catalogue::{Catalogue, Entry, Selection};

/// The command that writes docs/fields.md; the staleness test names it too.
pub(crate) const REGENERATE: &str = "siemctl fields --output markdown > docs/fields.md";

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// `all` when every log type of the catalogue has the field, else the names.
fn log_types_label(catalogue: &Catalogue, entry: &Entry) -> String {
    if entry.log_types.len() == catalogue.log_types.len() && catalogue.log_types.len() > 1 {
        "all".to_string()
    } else {
        entry
            .log_types
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One line per field: name, type, aggregatable, searchable, log types, meaning.
pub(crate) fn text(catalogue: &Catalogue, entries: &[&Entry]) -> String {
    let header = ["FIELD", "TYPE", "AGG", "SEARCH", "LOG TYPES", "MEANING"];
    let rows: Vec<[String; 6]> = entries
        .iter()
        .map(|e| {
            [
                e.name.clone(),
                e.type_label(),
                yes_no(e.aggregatable).to_string(),
                yes_no(e.searchable).to_string(),
                log_types_label(catalogue, e),
                e.meaning().map(|m| m.text.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else {
                let _ = write!(l, "{cell:<width$}  ", width = widths[i]);
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&header);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&cells);
    }
    out
}

/// "412 fields of 12 log types", for stderr.
pub(crate) fn summary(catalogue: &Catalogue, entries: &[&Entry]) -> String {
    let log_types: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.log_types.iter().map(String::as_str))
        .collect();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{} of {} (of {} in all; `{REGENERATE}` writes the documentation)",
        plural(entries.len(), "field"),
        plural(log_types.len(), "log type"),
        catalogue.fields.len()
    )
}

/// `{log_types: [{name, index_patterns}], fields: [...]}`.
pub(crate) fn json(catalogue: &Catalogue, entries: &[&Entry]) -> Value {
    let fields: Vec<Value> = entries
        .iter()
        .map(|e| {
            let meaning = e.meaning();
            json!({
                "name": e.name,
                "type": e.type_label(),
                "types": e.types,
                "aggregatable": e.aggregatable,
                "searchable": e.searchable,
                "log_types": e.log_types,
                "shared": e.shared,
                "meaning": meaning.map(|m| m.text),
                "meaning_source": meaning.map(|m| m.source),
            })
        })
        .collect();
    let log_types: Vec<Value> = catalogue
        .log_types
        .iter()
        .map(|l| json!({"name": l.name, "index_patterns": l.index_patterns}))
        .collect();
    json!({ "log_types": log_types, "fields": fields })
}

/// A Markdown table cell: pipes escaped, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// docs/fields.md: the shared fields with their meaning, then each log type's own fields.
pub(crate) fn markdown(catalogue: &Catalogue, selection: &Selection<'_>) -> String {
    let entries = catalogue.select(selection);
    let mut out = String::new();
    out.push_str("# Fields\n\n");
    let _ = writeln!(
        out,
        "Every field the indices of each log type map, as Dashboards lists it in an index pattern \
         (objects left out). Generated from the composed mappings of the content by \
         `{REGENERATE}`: do not edit it by hand; a test fails when it is stale.\n"
    );
    out.push_str(
        "*Aggregatable* and *searchable* are what `_field_caps` reports and Dashboards shows: a \
         field without doc values cannot be aggregated on (text, for one), and a field mapped \
         with `index: false` cannot be searched. The meanings of the shared fields are the \
         Elastic Common Schema's one-line descriptions (github.com/elastic/ecs, Apache-2.0); \
         `src/content/field-meanings.tsv` names the schema file of each.\n\n",
    );
    let lt_names: Vec<&str> = catalogue
        .log_types
        .iter()
        .map(|l| l.name.as_str())
        .filter(|l| selection.log_types.is_empty() || selection.log_types.iter().any(|s| s == l))
        .collect();
    out.push_str("| Log type | Index patterns | Fields of its own |\n|---|---|---|\n");
    for log_type in &catalogue.log_types {
        if !lt_names.contains(&log_type.name.as_str()) {
            continue;
        }
        let own = entries
            .iter()
            .filter(|e| !e.shared && e.log_types.contains(&log_type.name))
            .count();
        let patterns: Vec<String> = log_type
            .index_patterns
            .iter()
            .map(|p| format!("`{p}`"))
            .collect();
        let _ = writeln!(
            out,
            "| [{0}](#{0}) | {1} | {own} |",
            log_type.name,
            patterns.join(", ")
        );
    }
    let shared: Vec<&&Entry> = entries.iter().filter(|e| e.shared).collect();
    let _ = writeln!(
        out,
        "\n## Shared fields\n\nMapped once, in `index-templates/_common/`, and composed into \
         the log types' index templates, so one query on `log-*` finds a value in every log type \
         ({} fields).\n",
        shared.len()
    );
    out.push_str("| Field | Type | Aggregatable | Searchable | Log types | Meaning |\n|---|---|---|---|---|---|\n");
    for e in shared {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            e.name,
            cell(&e.type_label()),
            yes_no(e.aggregatable),
            yes_no(e.searchable),
            cell(&log_types_label(catalogue, e)),
            cell(e.meaning().map(|m| m.text).unwrap_or("")),
        );
    }
    for name in &lt_names {
        let own: Vec<&&Entry> = entries
            .iter()
            .filter(|e| !e.shared && e.log_types.contains(*name))
            .collect();
        let _ = writeln!(out, "\n## {name}\n");
        if own.is_empty() {
            out.push_str("No fields besides the shared ones.\n");
            continue;
        }
        let _ = writeln!(
            out,
            "{} fields besides the shared ones.\n\n| Field | Type | Aggregatable | Searchable | Also in |\n|---|---|---|---|---|",
            own.len()
        );
        for e in own {
            let others: Vec<&str> = e
                .log_types
                .iter()
                .map(String::as_str)
                .filter(|l| l != name)
                .collect();
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                e.name,
                cell(&e.type_label()),
                yes_no(e.aggregatable),
                yes_no(e.searchable),
                cell(&others.join(", ")),
            );
        }
    }
    out
}
