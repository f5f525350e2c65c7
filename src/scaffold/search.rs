//! A new saved search: a YAML file with every key of the format, the optional ones commented
//! out, each with what it does (docs/content-format.md, "Saved searches (YAML)").

use std::fmt::Write as _;
use std::path::PathBuf;

use super::NewFile;
use crate::format::yaml::string as yaml_string;

/// What a new saved search is made of.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) log_type: String,
    pub(crate) id: String,
    pub(crate) title: String,
    /// A DQL query; may be empty (every event).
    pub(crate) query: String,
    pub(crate) columns: Vec<String>,
    /// The time field to sort by, newest first, when the log type maps one.
    pub(crate) time_field: Option<String>,
    /// The log type's index pattern (the default of `index_pattern`).
    pub(crate) index_pattern: String,
    /// A field and a value of its type for the commented-out filter example.
    pub(crate) filter_example: Option<(String, String)>,
    /// The description, when there is one to give (else the key is commented out).
    pub(crate) description: Option<String>,
}

/// Where the file of a saved search goes.
pub(crate) fn path(log_type: &str, stem: &str) -> PathBuf {
    PathBuf::from("saved-searches")
        .join(log_type)
        .join(format!("{stem}.yaml"))
}

/// The file, at `saved-searches/<log-type>/<stem>.yaml`.
pub(crate) fn file(spec: &Spec, stem: &str) -> NewFile {
    NewFile::new(path(&spec.log_type, stem), text(spec))
}

/// The YAML text of a new saved search.
pub(crate) fn text(spec: &Spec) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# A saved search of {} (docs/content-format.md, \"Saved searches (YAML)\").",
        spec.log_type
    );
    out.push_str("# Check it with `siemctl validate`; see what it finds in the test events with\n");
    let _ = writeln!(
        out,
        "# `siemctl test --log-type {} --generate` (saved-searches/{}/_test/matches-expected.json).",
        spec.log_type, spec.log_type
    );
    out.push('\n');
    out.push_str(
        "# The search's id in Dashboards: keep it once shared, links and dashboards use it.\n",
    );
    let _ = writeln!(out, "id: {}", yaml_string(&spec.id, false));
    out.push_str("# The name analysts see in Discover's \"Open\" list and on dashboards.\n");
    let _ = writeln!(out, "title: {}", yaml_string(&spec.title, false));
    out.push_str(
        "# What the search finds and what to do with what it finds (shown under the title).\n",
    );
    match &spec.description {
        Some(description) => {
            let _ = writeln!(out, "description: {}", yaml_string(description, false));
        }
        None => out.push_str(
            "# description: What it finds, why that matters, and what to look at next.\n",
        ),
    }
    out.push_str("# The query language: dql (Dashboards Query Language, the default) or lucene.\n");
    out.push_str("language: dql\n");
    if spec.query.is_empty() {
        out.push_str("# The events to find; empty finds every event. E.g. event.outcome:failure and not source.ip:10.0.0.0/8\n");
    } else {
        out.push_str("# The events to find. `field:*` means the event has the field: write the value you look\n");
        out.push_str("# for instead, e.g. event.action:ConsoleLogin (`siemctl validate` checks every field name).\n");
    }
    let _ = writeln!(out, "query: {}", yaml_string(&spec.query, false));
    out.push_str("# The columns of the results table, left to right.\n");
    let columns: Vec<String> = spec.columns.iter().map(|c| yaml_string(c, true)).collect();
    let _ = writeln!(out, "columns: [{}]", columns.join(", "));
    out.push_str(
        "# The order of the results: a field and asc (oldest first) or desc (newest first).\n",
    );
    match &spec.time_field {
        Some(field) => {
            out.push_str("sort:\n");
            let _ = writeln!(out, "  - {}: desc", yaml_string(field, false));
        }
        None => out.push_str("# sort:\n#   - \"@timestamp\": desc\n"),
    }
    out.push_str("# Filter pills under the query bar: the field has the value (a list: any of the values);\n");
    out.push_str("# negate: true keeps the events that do not.\n");
    match &spec.filter_example {
        Some((field, value)) => {
            out.push_str("# filters:\n");
            let _ = writeln!(out, "#   - field: {}", yaml_string(field, false));
            let _ = writeln!(out, "#     value: {}", yaml_string(value, false));
            out.push_str("#     negate: false\n");
        }
        None => out.push_str(
            "# filters:\n#   - field: event.outcome\n#     value: failure\n#     negate: false\n",
        ),
    }
    out.push_str("# Words to find the search by, e.g. the MITRE ATT&CK tactics it helps with.\n");
    out.push_str("# tags: [credential-access, initial-access]\n");
    out.push_str("# search (the default) opens in Discover; query makes a saved query for any app's query bar.\n");
    out.push_str("# kind: search\n");
    out.push_str("# The index pattern to search: by default the one of this folder's log type.\n");
    let _ = writeln!(
        out,
        "# index_pattern: {}",
        yaml_string(&spec.index_pattern, false)
    );
    out
}
