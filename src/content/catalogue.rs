//! The field catalogue: every field the indices of each log type map, as Dashboards lists it in
//! an index pattern, with the log types that have it and, for the shared fields, what they mean.
//!
//! Built from the composed mappings (each index template with its component templates, in
//! order, as [`mapping::compose`] does). Dashboards reads fields from `_field_caps` and drops
//! `object` and `nested` entries (OpenSearch-Dashboards
//! `src/plugins/data/server/index_patterns/fetcher/lib/field_capabilities/field_caps_response.ts`),
//! so the catalogue lists leaf fields and multi-fields only. `aggregatable` is whether the field
//! has doc values (or fielddata) as `_field_caps` reports it: `MappedFieldType.isAggregatable()`
//! asks for a fielddata builder (`server/src/main/java/org/opensearch/index/mapper/MappedFieldType.java`),
//! which text refuses unless `fielddata: true`, and the doc-values types refuse when
//! `doc_values: false`; `flat_object` has doc values
//! (`server/src/main/java/org/opensearch/index/mapper/FlatObjectFieldMapper.java`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use super::glob;
use super::kind::Kind;
use super::mapping::{self, Fields};
use super::resource::Resource;
use super::Content;

/// The folder of the fields every log type shares.
pub(crate) const COMMON: &str = "_common";

/// The one-line meanings of the shared fields: field, meaning, source (see the file's header).
const MEANINGS: &str = include_str!("field-meanings.tsv");

/// A field's meaning and where it was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Meaning {
    pub(crate) text: &'static str,
    /// `schemas/<set>.yml` of the Elastic Common Schema, or this project's document.
    pub(crate) source: &'static str,
}

/// Field name → meaning, parsed once from the data file.
pub(crate) fn meanings() -> &'static BTreeMap<&'static str, Meaning> {
    static PARSED: OnceLock<BTreeMap<&'static str, Meaning>> = OnceLock::new();
    PARSED.get_or_init(|| {
        MEANINGS
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|line| {
                let mut columns = line.split('\t');
                let (field, text, source) = (columns.next()?, columns.next()?, columns.next()?);
                Some((field, Meaning { text, source }))
            })
            .collect()
    })
}

/// One log type: the folder under `index-templates/` and what its index templates cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogType {
    pub(crate) name: String,
    /// The `index_patterns` of its index templates.
    pub(crate) index_patterns: Vec<String>,
}

/// One field as the catalogue lists it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) name: String,
    /// Mapping type → the log types that map the field with it (two or more: a conflict).
    pub(crate) types: BTreeMap<String, BTreeSet<String>>,
    /// As Dashboards shows it: true when any log type's mapping makes it so.
    pub(crate) aggregatable: bool,
    pub(crate) searchable: bool,
    /// The log types whose indices have it.
    pub(crate) log_types: BTreeSet<String>,
    /// Mapped in `_common` (the shared ECS fields), so every log type composing it has it.
    pub(crate) shared: bool,
    /// The file that maps it, per log type (the last one of the composition).
    pub(crate) origins: BTreeMap<String, PathBuf>,
}

impl Entry {
    /// The mapping type, or the types joined with ` | ` when log types disagree.
    pub(crate) fn type_label(&self) -> String {
        self.types.keys().cloned().collect::<Vec<_>>().join(" | ")
    }

    /// The one-line meaning of a shared field.
    pub(crate) fn meaning(&self) -> Option<Meaning> {
        if self.shared {
            meanings().get(self.name.as_str()).copied()
        } else {
            None
        }
    }
}

/// Every field of every log type.
#[derive(Debug, Clone, Default)]
pub(crate) struct Catalogue {
    pub(crate) log_types: Vec<LogType>,
    pub(crate) fields: BTreeMap<String, Entry>,
}

/// Which fields to list.
#[derive(Debug, Default)]
pub(crate) struct Selection<'a> {
    /// Only fields of these log types (any of them); all when empty.
    pub(crate) log_types: &'a [String],
    /// A substring of the name, or a glob with `*` / `?`; case-insensitive.
    pub(crate) query: Option<&'a str>,
}

impl Catalogue {
    /// The catalogue of a rendered content set.
    pub(crate) fn of(content: &Content) -> Catalogue {
        let shared = shared_fields(content);
        let mut log_types: BTreeMap<String, LogType> = BTreeMap::new();
        let mut fields: BTreeMap<String, Entry> = BTreeMap::new();
        for template in content.of_kind(Kind::IndexTemplate) {
            let log_type = template.log_type.clone();
            let entry = log_types
                .entry(log_type.clone())
                .or_insert_with(|| LogType {
                    name: log_type.clone(),
                    index_patterns: Vec::new(),
                });
            for pattern in index_patterns(template) {
                if !entry.index_patterns.contains(&pattern) {
                    entry.index_patterns.push(pattern);
                }
            }
            let composed = mapping::compose(content, template).fields;
            let definitions = definitions(content, template);
            for (name, field) in &composed {
                if matches!(field.ty.as_str(), "object" | "nested") {
                    continue;
                }
                let definition = definitions.get(name.as_str()).copied();
                let entry = fields.entry(name.clone()).or_insert_with(|| Entry {
                    name: name.clone(),
                    types: BTreeMap::new(),
                    aggregatable: false,
                    searchable: false,
                    log_types: BTreeSet::new(),
                    shared: shared.contains(name.as_str()),
                    origins: BTreeMap::new(),
                });
                entry
                    .types
                    .entry(field.ty.clone())
                    .or_default()
                    .insert(log_type.clone());
                entry.aggregatable |= aggregatable(&field.ty, definition);
                entry.searchable |= field.searchable;
                entry.log_types.insert(log_type.clone());
                entry
                    .origins
                    .entry(log_type.clone())
                    .or_insert_with(|| field.origin.clone());
            }
        }
        Catalogue {
            log_types: log_types.into_values().collect(),
            fields,
        }
    }

    /// The names of the log types, sorted.
    pub(crate) fn log_type_names(&self) -> Vec<&str> {
        self.log_types.iter().map(|l| l.name.as_str()).collect()
    }

    /// The fields a selection picks, sorted by name.
    pub(crate) fn select(&self, selection: &Selection<'_>) -> Vec<&Entry> {
        let query = selection.query.map(str::to_lowercase);
        self.fields
            .values()
            .filter(|e| {
                selection.log_types.is_empty()
                    || selection.log_types.iter().any(|l| e.log_types.contains(l))
            })
            .filter(|e| match &query {
                None => true,
                Some(q) => name_matches(q, &e.name.to_lowercase()),
            })
            .collect()
    }

    /// The fields of one log type.
    pub(crate) fn of_log_type<'a>(&'a self, log_type: &'a str) -> impl Iterator<Item = &'a Entry> {
        self.fields
            .values()
            .filter(move |e| e.log_types.contains(log_type))
    }
}

/// `query` (lowercase) against `name` (lowercase): a glob when it has `*` or `?`, else a
/// substring.
fn name_matches(query: &str, name: &str) -> bool {
    if query.contains('?') {
        return glob_with_any_char(query.as_bytes(), name.as_bytes());
    }
    if query.contains('*') {
        return glob::matches(query, name);
    }
    name.contains(query)
}

/// A glob where `*` is any run of characters and `?` any one byte.
fn glob_with_any_char(pattern: &[u8], name: &[u8]) -> bool {
    match (pattern.first(), name.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob_with_any_char(&pattern[1..], name)
                || (!name.is_empty() && glob_with_any_char(pattern, &name[1..]))
        }
        (Some(b'?'), Some(_)) => glob_with_any_char(&pattern[1..], &name[1..]),
        (Some(p), Some(n)) if p == n => glob_with_any_char(&pattern[1..], &name[1..]),
        _ => false,
    }
}

/// Whether `_field_caps` reports the field aggregatable, from its mapping definition.
fn aggregatable(ty: &str, definition: Option<&Value>) -> bool {
    let flag = |key: &str| definition.and_then(|d| d.get(key)).and_then(Value::as_bool);
    match ty {
        "text" => flag("fielddata") == Some(true),
        "match_only_text" | "object" | "nested" => false,
        // binary has no doc values unless asked for (BinaryFieldMapper).
        "binary" => flag("doc_values") == Some(true),
        _ => flag("doc_values") != Some(false),
    }
}

fn index_patterns(template: &Resource) -> Vec<String> {
    match template.body.get("index_patterns") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The fields the `_common` component templates map.
fn shared_fields(content: &Content) -> BTreeSet<String> {
    let mut fields = Fields::new();
    for component in content
        .of_kind(Kind::ComponentTemplate)
        .filter(|c| c.log_type == COMMON)
    {
        if let Some(mappings) = component.body.pointer("/template/mappings") {
            mapping::add_fields(&mut fields, mappings, &component.file);
        }
    }
    fields.into_keys().collect()
}

/// Field path → its mapping definition, over an index template's composition (the last source
/// that maps a path wins, as in [`mapping::compose`]).
fn definitions<'c>(content: &'c Content, template: &'c Resource) -> BTreeMap<String, &'c Value> {
    let mut out = BTreeMap::new();
    for source in mapping::sources(content, template) {
        if let Some(mappings) = source.body.pointer("/template/mappings") {
            let mappings = mappings.get("_doc").unwrap_or(mappings);
            if let Some(properties) = mappings.get("properties").and_then(Value::as_object) {
                for (name, definition) in properties {
                    walk(name, definition, &mut out);
                }
            }
        }
    }
    out
}

fn walk<'c>(path: &str, definition: &'c Value, out: &mut BTreeMap<String, &'c Value>) {
    out.insert(path.to_string(), definition);
    if definition.get("enabled").and_then(Value::as_bool) == Some(false) {
        return;
    }
    for key in ["properties", "fields"] {
        if let Some(children) = definition.get(key).and_then(Value::as_object) {
            for (name, child) in children {
                walk(&format!("{path}.{name}"), child, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meanings_parse_with_their_source() {
        let m = meanings();
        let ip = m["source.ip"];
        assert_eq!(ip.text, "IP address of the source.");
        assert_eq!(ip.source, "schemas/source.yml");
        assert!(m
            .values()
            .all(|m| !m.text.is_empty() && !m.source.is_empty()));
    }

    #[test]
    fn aggregatable_as_field_caps_reports_it() {
        let def = |v: Value| v;
        assert!(aggregatable("keyword", None));
        assert!(!aggregatable(
            "keyword",
            Some(&def(serde_json::json!({"doc_values": false})))
        ));
        assert!(!aggregatable("text", None));
        assert!(aggregatable(
            "text",
            Some(&def(serde_json::json!({"fielddata": true})))
        ));
        assert!(aggregatable("flat_object", None));
        assert!(!aggregatable("match_only_text", None));
        assert!(!aggregatable("binary", None));
    }

    #[test]
    fn queries_are_substrings_or_globs() {
        assert!(name_matches("ip", "source.ip"));
        assert!(name_matches("source.*", "source.ip"));
        assert!(!name_matches("source.*", "destination.ip"));
        assert!(name_matches("*.ip", "source.ip"));
        assert!(name_matches("source.?p", "source.ip"));
        assert!(!name_matches("source.?", "source.ip"));
    }
}
