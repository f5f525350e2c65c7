//! Saved searches written by hand as small YAML files, turned into Dashboards `search` (or
//! `query`) saved objects bound to their log type's index pattern.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};
use serde_saphyr::Spanned;

mod yaml_slip;

use super::kind::Kind;
use super::problem::Problem;
use crate::format::search;
use crate::format::yaml::{self, Node};
use crate::query::Language;

/// The YAML file as an analyst writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SavedSearchFile {
    pub(crate) id: Spanned<String>,
    pub(crate) title: Spanned<String>,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) query: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) language: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) columns: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) sort: Vec<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    pub(crate) filters: Vec<Spanned<Filter>>,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    #[serde(default)]
    pub(crate) kind: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) index_pattern: Option<Spanned<String>>,
}

/// A filter pill: `field` is `value` (or one of several values), optionally negated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Filter {
    pub(crate) field: String,
    /// Where the value is (the first of a list), for problems with it.
    pub(crate) value: Spanned<FilterValue>,
    #[serde(default)]
    pub(crate) negate: bool,
}

#[derive(Debug)]
pub(crate) enum FilterValue {
    One(Scalar),
    /// Each value with its place (a list's items keep theirs, which an untagged enum loses).
    AnyOf(Vec<Spanned<Scalar>>),
}

impl<'de> Deserialize<'de> for FilterValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = FilterValue;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a value or a list of values")
            }

            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<FilterValue, E> {
                Ok(FilterValue::One(Scalar::Bool(v)))
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<FilterValue, E> {
                Ok(FilterValue::One(Scalar::Integer(v)))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<FilterValue, E> {
                Ok(FilterValue::One(
                    i64::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Integer),
                ))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<FilterValue, E> {
                Ok(FilterValue::One(Scalar::Float(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FilterValue, E> {
                Ok(FilterValue::One(Scalar::Text(v.to_string())))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FilterValue, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element()? {
                    values.push(value);
                }
                Ok(FilterValue::AnyOf(values))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

#[derive(Debug)]
pub(crate) enum Scalar {
    Bool(bool),
    Integer(i64),
    Float(f64),
    Text(String),
}

/// What an untagged enum of `Scalar` said of a value that is none of them (a null, a list or
/// a block of keys in a list of values): kept word for word, so the problem reported stays
/// the one it was.
const NOT_A_SCALAR: &str = "data did not match any variant of untagged enum Scalar";

/// The type is decided once from the scalar the parser read (an untagged enum would buffer
/// each value and try bool, integer, float and text in turn, building an error for each
/// failed try); the outcome of each is that of `#[serde(untagged)]` over these variants.
impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Scalar;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a value")
            }

            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Integer(v))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(i64::try_from(v).map_or(Scalar::Float(v as f64), Scalar::Integer))
            }

            fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<Scalar, E> {
                Err(E::custom(NOT_A_SCALAR))
            }

            fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<Scalar, E> {
                Err(E::custom(NOT_A_SCALAR))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Text(v))
            }

            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Scalar, E> {
                match std::str::from_utf8(v) {
                    Ok(text) => Ok(Scalar::Text(text.to_string())),
                    Err(_) => Err(E::custom(NOT_A_SCALAR)),
                }
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Scalar, E> {
                Err(E::custom(NOT_A_SCALAR))
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Scalar, E> {
                Err(E::custom(NOT_A_SCALAR))
            }

            fn visit_some<D: serde::Deserializer<'de>>(self, inner: D) -> Result<Scalar, D::Error> {
                serde::de::IgnoredAny::deserialize(inner)?;
                Err(serde::de::Error::custom(NOT_A_SCALAR))
            }

            fn visit_newtype_struct<D: serde::Deserializer<'de>>(
                self,
                inner: D,
            ) -> Result<Scalar, D::Error> {
                serde::de::IgnoredAny::deserialize(inner)?;
                Err(serde::de::Error::custom(NOT_A_SCALAR))
            }

            // A list or a block of keys is read to its end first, as the untagged enum did.
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Scalar, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Err(serde::de::Error::custom(NOT_A_SCALAR))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Scalar, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Err(serde::de::Error::custom(NOT_A_SCALAR))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

impl Scalar {
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Scalar::Bool(b) => json!(b),
            Scalar::Integer(i) => json!(i),
            Scalar::Float(f) => json!(f),
            Scalar::Text(s) => json!(s),
        }
    }
}

/// A saved search read and checked for shape, with the line of each part for later checks.
#[derive(Debug)]
pub(crate) struct SavedSearch {
    pub(crate) file: SavedSearchFile,
    pub(crate) language: Language,
    pub(crate) kind: Kind,
    /// Where each character of the query is in the file, (line, column) both 1-based: a query
    /// written over several lines (`query: |`, `query: >`, quoted over lines) is one string
    /// whose positions are not the file's.
    query_positions: Vec<(usize, usize)>,
}

pub(crate) fn line(location: &serde_saphyr::Location) -> Option<usize> {
    usize::try_from(location.line()).ok().filter(|l| *l > 0)
}

/// The kind and id a saved-search file declares, read line by line from a file that did not
/// parse (`id:` and `kind:` at the start of a line): the object exists, though it failed to
/// load.
pub(crate) fn declared_id(text: &str) -> Option<(Kind, String)> {
    let top_level = |key: &str| {
        text.lines().find_map(|line| {
            let value = line.strip_prefix(key)?.strip_prefix(':')?;
            let value = value.split(" #").next().unwrap_or_default().trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            (!value.is_empty()).then(|| value.to_string())
        })
    };
    let kind = match top_level("kind").as_deref() {
        Some("query") => Kind::Query,
        _ => Kind::Search,
    };
    Some((kind, top_level("id")?))
}

/// Reads a saved-search file; every problem of shape is reported.
pub(crate) fn parse(path: &Path, text: &str) -> Result<SavedSearch, Vec<Problem>> {
    let file: SavedSearchFile =
        serde_saphyr::from_str(text).map_err(|err| vec![yaml_slip::explain(path, text, &err)])?;
    let mut problems = Vec::new();
    let id = &file.id.value;
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        problems.push(
            Problem::new(
                path,
                format!("id `{id}` may only contain letters, digits, `-` and `_`"),
            )
            .at_line(line(&file.id.referenced)),
        );
    }
    if file.title.value.trim().is_empty() {
        problems.push(Problem::new(path, "title is empty").at_line(line(&file.title.referenced)));
    }
    let language = match file.language.as_ref().map(|l| l.value.to_ascii_lowercase()) {
        None => Language::Dql,
        Some(l) if l == "dql" || l == "kuery" || l == "kql" => Language::Dql,
        Some(l) if l == "lucene" => Language::Lucene,
        Some(other) => {
            problems.push(
                Problem::new(
                    path,
                    format!("language `{other}` is not known: write `dql` or `lucene`"),
                )
                .at_line(file.language.as_ref().and_then(|l| line(&l.referenced))),
            );
            Language::Dql
        }
    };
    let kind = match file.kind.as_ref().map(|k| k.value.as_str()) {
        None | Some("search") => Kind::Search,
        Some("query") => Kind::Query,
        Some(other) => {
            problems.push(
                Problem::new(path, format!("kind `{other}` is not known: write `search` (a saved search for Discover) or `query` (a saved query)"))
                    .at_line(file.kind.as_ref().and_then(|k| line(&k.referenced))),
            );
            Kind::Search
        }
    };
    for item in &file.sort {
        let ok = item.value.len() == 1 && item.value.values().all(|o| o == "asc" || o == "desc");
        if !ok {
            problems.push(
                Problem::new(
                    path,
                    "each sort entry is one field and its order, e.g. `- \"@timestamp\": desc`",
                )
                .at_line(line(&item.referenced)),
            );
        }
    }
    if problems.is_empty() {
        let query_positions = file
            .query
            .as_ref()
            .map(|q| positions_in_file(text, &q.referenced, &q.value))
            .unwrap_or_default();
        Ok(SavedSearch {
            file,
            language,
            kind,
            query_positions,
        })
    } else {
        Err(problems)
    }
}

/// For each character of a scalar `value`, its (line, column) in `text`, walking the source
/// from the scalar's location: each character of the value is the next equal one in the source,
/// a space or line break of the value (from folding) stands for any whitespace there, and what
/// YAML adds around and inside the value (quotes, `|`, indentation, escapes' backslashes) is
/// skipped. Stops (returning the positions found so far) where the source no longer matches.
fn positions_in_file(text: &str, at: &serde_saphyr::Location, value: &str) -> Vec<(usize, usize)> {
    let Ok(offset) = usize::try_from(at.span().offset()) else {
        return Vec::new();
    };
    let (mut line, mut column) = (1, 1);
    let mut source = text.chars().peekable();
    for _ in 0..offset {
        match source.next() {
            Some('\n') => (line, column) = (line + 1, 1),
            Some(_) => column += 1,
            None => return Vec::new(),
        }
    }
    let mut out = Vec::with_capacity(value.len());
    for wanted in value.chars() {
        let mut skipped = 0;
        loop {
            let Some(c) = source.next() else {
                return out;
            };
            let here = (line, column);
            if c == '\n' {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
            if c == wanted || (wanted.is_whitespace() && c.is_whitespace()) {
                out.push(here);
                break;
            }
            skipped += 1;
            // Indentation and a line's quoting are short; anything longer is not this value.
            if skipped > 200 {
                return out;
            }
        }
    }
    out
}

impl SavedSearch {
    /// The (line, column) in the file of the query's character at `column`, 1-based and
    /// counted from the start of the whole query as the query parsers count.
    pub(crate) fn query_position(&self, column: usize) -> Option<(usize, usize)> {
        let index = column.checked_sub(1)?;
        self.query_positions
            .get(index)
            .or_else(|| {
                // Just past the end (a query cut short): after its last character.
                (index == self.query_positions.len() && index == self.query().chars().count())
                    .then(|| self.query_positions.last())
                    .flatten()
            })
            .map(|&(line, col)| {
                if index == self.query_positions.len() {
                    (line, col + 1)
                } else {
                    (line, col)
                }
            })
    }

    pub(crate) fn id(&self) -> &str {
        &self.file.id.value
    }

    pub(crate) fn query(&self) -> &str {
        self.file.query.as_ref().map_or("", |q| q.value.as_str())
    }

    /// Every field the search names outside its query: columns, sort and filters, with lines.
    pub(crate) fn named_fields(&self) -> Vec<(&str, Option<usize>, &'static str)> {
        let mut fields = Vec::new();
        for column in &self.file.columns {
            fields.push((column.value.as_str(), line(&column.referenced), "column"));
        }
        for item in &self.file.sort {
            for field in item.value.keys() {
                fields.push((field.as_str(), line(&item.referenced), "sort"));
            }
        }
        for filter in &self.file.filters {
            fields.push((
                filter.value.field.as_str(),
                line(&filter.referenced),
                "filter",
            ));
        }
        fields
    }

    /// The saved object, in content form (JSON-string attributes decoded).
    pub(crate) fn to_body(&self, index_pattern: &str) -> Value {
        let f = &self.file;
        let language = match self.language {
            Language::Dql => "kuery",
            Language::Lucene => "lucene",
        };
        let mut description = f.description.clone().unwrap_or_default().trim().to_string();
        if !f.tags.is_empty() {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(&format!("Tags: {}", f.tags.join(", ")));
        }
        let query = json!({ "query": self.query(), "language": language });
        match self.kind {
            Kind::Query => json!({
                "attributes": {
                    "title": f.title.value,
                    "description": description,
                    "query": query,
                    "filters": self.filters(|_| json!({ "index": index_pattern })),
                },
                "references": [],
            }),
            _ => {
                let index_ref = "kibanaSavedObjectMeta.searchSourceJSON.index";
                let mut references = vec![
                    json!({ "name": index_ref, "type": "index-pattern", "id": index_pattern }),
                ];
                let filters = self.filters(|i| {
                    let name =
                        format!("kibanaSavedObjectMeta.searchSourceJSON.filter[{i}].meta.index");
                    references.push(
                        json!({ "name": name, "type": "index-pattern", "id": index_pattern }),
                    );
                    json!({ "indexRefName": name })
                });
                let sort: Vec<Value> = f
                    .sort
                    .iter()
                    .flat_map(|s| s.value.iter().map(|(field, order)| json!([field, order])))
                    .collect();
                json!({
                    "attributes": {
                        "title": f.title.value,
                        "description": description,
                        "hits": 0,
                        "columns": if f.columns.is_empty() { json!(["_source"]) } else { json!(f.columns.iter().map(|c| &c.value).collect::<Vec<_>>()) },
                        "sort": sort,
                        "version": 1,
                        "kibanaSavedObjectMeta": {
                            "searchSourceJSON": {
                                "query": query,
                                "filter": filters,
                                "indexRefName": index_ref,
                                "highlightAll": true,
                                "version": true,
                            }
                        }
                    },
                    "references": references,
                })
            }
        }
    }

    /// The filter pills in the form Dashboards stores; `index_of` gives each filter's index
    /// binding (a reference name for searches, the id itself for saved queries).
    fn filters(&self, mut index_of: impl FnMut(usize) -> Value) -> Vec<Value> {
        self.file
            .filters
            .iter()
            .enumerate()
            .map(|(i, filter)| {
                let filter = &filter.value;
                let mut meta = json!({
                    "alias": null,
                    "negate": filter.negate,
                    "disabled": false,
                    "key": filter.field,
                });
                let query = match &filter.value.value {
                    FilterValue::One(value) => {
                        meta["type"] = json!("phrase");
                        meta["params"] = json!({ "query": value.to_json() });
                        json!({ "match_phrase": { filter.field.as_str(): value.to_json() } })
                    }
                    FilterValue::AnyOf(values) => {
                        let values: Vec<Value> = values.iter().map(|v| v.value.to_json()).collect();
                        meta["type"] = json!("phrases");
                        meta["params"] = json!(values);
                        meta["value"] = json!(values
                            .iter()
                            .map(|v| match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(", "));
                        let should: Vec<Value> = values
                            .iter()
                            .map(|v| json!({ "match_phrase": { filter.field.as_str(): v } }))
                            .collect();
                        json!({ "bool": { "should": should, "minimum_should_match": 1 } })
                    }
                };
                if let (Some(meta), Value::Object(binding)) = (meta.as_object_mut(), index_of(i)) {
                    meta.extend(binding);
                }
                json!({ "meta": meta, "query": query, "$state": { "store": "appState" } })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = r#"id: ct-console-login-failures
title: "CloudTrail: failed console logins"
description: Failed sign-ins.
query: event.action:ConsoleLogin and event.outcome:failure
columns: [user.name, source.ip]
sort:
  - "@timestamp": desc
filters:
  - field: cloud.region
    value: us-east-1
  - field: event.outcome
    value: [failure, unknown]
    negate: true
tags: [initial-access]
"#;

    #[test]
    fn becomes_a_search_bound_to_the_index_pattern() {
        let search = parse(Path::new("s.yaml"), YAML).unwrap();
        assert_eq!(search.kind, Kind::Search);
        let body = search.to_body("log-aws-cloudtrail");
        let attributes = &body["attributes"];
        assert_eq!(attributes["title"], "CloudTrail: failed console logins");
        assert_eq!(
            attributes["description"],
            "Failed sign-ins.\n\nTags: initial-access"
        );
        assert_eq!(attributes["sort"], json!([["@timestamp", "desc"]]));
        let source = &attributes["kibanaSavedObjectMeta"]["searchSourceJSON"];
        assert_eq!(
            source["query"],
            json!({"query": "event.action:ConsoleLogin and event.outcome:failure", "language": "kuery"})
        );
        assert_eq!(
            source["filter"][0]["meta"]["params"],
            json!({"query": "us-east-1"})
        );
        assert_eq!(source["filter"][1]["meta"]["negate"], true);
        assert_eq!(
            source["filter"][1]["query"]["bool"]["should"][1],
            json!({"match_phrase": {"event.outcome": "unknown"}})
        );
        assert_eq!(body["references"].as_array().unwrap().len(), 3);
        assert_eq!(
            body["references"][2]["name"],
            "kibanaSavedObjectMeta.searchSourceJSON.filter[1].meta.index"
        );
        let fields: Vec<_> = search
            .named_fields()
            .into_iter()
            .map(|(f, l, _)| (f, l))
            .collect();
        assert_eq!(fields[0], ("user.name", Some(5)));
        assert_eq!(fields[2], ("@timestamp", Some(7)));
        assert_eq!(fields[3].0, "cloud.region");
    }

    #[test]
    fn filter_values_keep_their_place_in_the_file() {
        let yaml = "id: s\ntitle: T\nfilters:\n  - field: a\n    value: x\n  - field: b\n    value: [1, two]\n";
        let search = parse(Path::new("s.yaml"), yaml).unwrap();
        let filters = &search.file.filters;
        let at = |l: &serde_saphyr::Location| (l.line(), l.column());
        assert_eq!(at(&filters[0].value.value.referenced), (5, 12));
        let FilterValue::AnyOf(values) = &filters[1].value.value.value else {
            panic!("a list: {:?}", filters[1].value.value);
        };
        assert!(matches!(values[0].value, Scalar::Integer(1)));
        assert_eq!(at(&values[0].referenced), (7, 13));
        assert!(matches!(&values[1].value, Scalar::Text(t) if t == "two"));
        assert_eq!(at(&values[1].referenced), (7, 16));
    }

    #[test]
    fn kind_query_becomes_a_saved_query() {
        let yaml = "id: q1\ntitle: Q\nquery: 'a:b'\nlanguage: lucene\nkind: query\n";
        let search = parse(Path::new("q.yaml"), yaml).unwrap();
        let body = search.to_body("p");
        assert_eq!(search.kind, Kind::Query);
        assert_eq!(
            body["attributes"]["query"],
            json!({"query": "a:b", "language": "lucene"})
        );
        assert_eq!(body["references"], json!([]));
    }

    #[test]
    fn shape_problems_name_the_line() {
        let problems =
            parse(Path::new("s.yaml"), "id: a b\ntitle: T\nlanguage: sql\n").unwrap_err();
        let lines: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            lines[0],
            (
                Some(1),
                "id `a b` may only contain letters, digits, `-` and `_`"
            )
        );
        assert_eq!(
            lines[1],
            (
                Some(3),
                "language `sql` is not known: write `dql` or `lucene`"
            )
        );
        let problems = parse(Path::new("s.yaml"), "id: a\ntitle: T\nqeury: x\n").unwrap_err();
        assert_eq!(problems[0].line, Some(3), "{:?}", problems[0]);
        assert!(
            problems[0].message.contains("qeury"),
            "{}",
            problems[0].message
        );
    }
}

/// The YAML of a `search` saved object (content form, JSON-string attributes decoded), for
/// `pull`. `default_index_pattern` is the log type's own, left implicit. A search using what
/// the YAML format cannot say (filters other than "is" / "is one of", disabled filters) is an
/// error naming it, so that nothing is silently lost.
pub(crate) fn to_yaml(
    id: &str,
    body: &Value,
    default_index_pattern: Option<&str>,
) -> Result<String, String> {
    let attributes = body.get("attributes").cloned().unwrap_or(Value::Null);
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    // A saved query keeps its query and filters at the top of its attributes; a search keeps them
    // in its search source.
    let is_query = attributes.get("query").is_some_and(Value::is_object);
    let source = if is_query {
        json!({ "query": attributes.get("query"), "filter": attributes.get("filters").cloned().unwrap_or(json!([])) })
    } else {
        attributes
            .pointer("/kibanaSavedObjectMeta/searchSourceJSON")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let language = match source.pointer("/query/language").and_then(Value::as_str) {
        Some("lucene") => "lucene",
        _ => "dql",
    };
    let query = source
        .pointer("/query/query")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut description = text(&attributes, "description");
    let mut tags = Vec::new();
    if let Some((before, list)) = description.rsplit_once("Tags: ") {
        if before.is_empty() || before.ends_with("\n\n") {
            tags = list.split(", ").map(str::to_string).collect();
            description = before.trim_end().to_string();
        }
    }
    let columns: Vec<String> = attributes
        .get("columns")
        .and_then(Value::as_array)
        .map(|c| {
            c.iter()
                .filter_map(Value::as_str)
                .filter(|c| *c != "_source")
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let sort: Vec<(String, String)> = attributes
        .get("sort")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    let pair = item.as_array()?;
                    Some((
                        pair.first()?.as_str()?.to_string(),
                        pair.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut filters = Vec::new();
    for filter in source
        .get("filter")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let meta = filter.get("meta").cloned().unwrap_or(Value::Null);
        let field = text(&meta, "key");
        if meta.get("disabled").and_then(Value::as_bool) == Some(true) {
            return Err(format!("the filter on `{field}` is disabled, which the YAML format cannot say: remove it in Dashboards, or keep this search as JSON"));
        }
        let value = match meta.get("type").and_then(Value::as_str) {
            Some("phrase") => meta.pointer("/params/query").cloned().unwrap_or(Value::Null),
            Some("phrases") => meta.get("params").cloned().unwrap_or(Value::Null),
            other => {
                return Err(format!(
                    "the filter on `{field}` is of type `{}`, which the YAML format cannot say (only \"is\" and \"is one of\"): keep this search as JSON",
                    other.unwrap_or("custom")
                ))
            }
        };
        let mut filter = vec![
            ("field".to_string(), Node::Scalar(json!(field))),
            ("value".to_string(), search::node_of(&value)),
        ];
        if meta.get("negate").and_then(Value::as_bool) == Some(true) {
            filter.push(("negate".to_string(), Node::Scalar(json!(true))));
        }
        filters.push(Node::Map(filter));
    }
    let index_pattern = if is_query {
        // A saved query binds each filter to its index pattern directly.
        source
            .pointer("/filter/0/meta/index")
            .and_then(Value::as_str)
    } else {
        body.get("references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|r| {
                r.get("name").and_then(Value::as_str)
                    == Some("kibanaSavedObjectMeta.searchSourceJSON.index")
            })
            .and_then(|r| r.get("id").and_then(Value::as_str))
    }
    .filter(|id| Some(*id) != default_index_pattern)
    .map(str::to_string);
    // The documented order of the keys (docs/content-format.md), in the layout of `fmt`.
    let mut doc = vec![
        ("id".to_string(), Node::Scalar(json!(id))),
        (
            "title".to_string(),
            Node::Scalar(json!(text(&attributes, "title"))),
        ),
    ];
    if !description.is_empty() {
        doc.push(("description".to_string(), Node::Text(description)));
    }
    doc.push(("language".to_string(), Node::Scalar(json!(language))));
    doc.push(("query".to_string(), Node::Text(query)));
    let words = |items: Vec<String>| {
        Node::List(items.into_iter().map(|i| Node::Scalar(json!(i))).collect())
    };
    if !columns.is_empty() {
        doc.push(("columns".to_string(), words(columns)));
    }
    if !sort.is_empty() {
        let sort = sort
            .into_iter()
            .map(|(field, order)| Node::Map(vec![(field, Node::Scalar(json!(order)))]))
            .collect();
        doc.push(("sort".to_string(), Node::List(sort)));
    }
    if !filters.is_empty() {
        doc.push(("filters".to_string(), Node::List(filters)));
    }
    if !tags.is_empty() {
        doc.push(("tags".to_string(), words(tags)));
    }
    if is_query {
        doc.push(("kind".to_string(), Node::Scalar(json!("query"))));
    }
    if let Some(pattern) = index_pattern {
        doc.push(("index_pattern".to_string(), Node::Scalar(json!(pattern))));
    }
    Ok(yaml::write(&doc))
}

#[cfg(test)]
mod pull_tests {
    use super::*;

    #[test]
    fn a_search_round_trips_through_yaml() {
        let yaml = "id: s1\ntitle: \"CloudTrail: failed console logins\"\ndescription: Failed sign-ins.\nlanguage: dql\nquery: event.action:ConsoleLogin and event.outcome:failure\ncolumns: [user.name, source.ip]\nsort:\n  - \"@timestamp\": desc\nfilters:\n  - field: cloud.region\n    value: us-east-1\n  - field: event.outcome\n    value: [failure, unknown]\n    negate: true\ntags: [initial-access]\n";
        let search = parse(Path::new("s.yaml"), yaml).unwrap();
        let body = search.to_body("ct");
        let written = to_yaml("s1", &body, Some("ct")).unwrap();
        let again = parse(Path::new("s.yaml"), &written).unwrap();
        assert_eq!(again.to_body("ct"), body, "{written}");
        assert!(!written.contains("index_pattern"), "{written}");
        let other = to_yaml("s1", &body, Some("log-all")).unwrap();
        assert!(other.contains("index_pattern: ct"), "{other}");
    }

    #[test]
    fn a_written_search_is_in_the_layout_fmt_keeps() {
        let long = "Console sign-ins that AWS rejected: many from one IP within minutes suggest password spraying, one user from many IPs a leaked password.";
        let yaml = format!("id: s1\ntitle: \"CloudTrail: failed console logins\"\ndescription: \"{long}\"\nquery: 'event.action:ConsoleLogin and source.ip:\"203.0.113.0/24\"'\ncolumns: [user.name, \"@timestamp\"]\nsort:\n  - \"@timestamp\": desc\nfilters:\n  - field: event.outcome\n    value: [failure, unknown]\n    negate: true\ntags: [initial-access]\nkind: search\n");
        let search = parse(Path::new("s.yaml"), &yaml).unwrap();
        let written = to_yaml("s1", &search.to_body("ct"), Some("ct")).unwrap();
        assert_eq!(
            written,
            "id: s1\ntitle: \"CloudTrail: failed console logins\"\ndescription: >-\n  Console sign-ins that AWS rejected: many from one IP within minutes suggest password spraying, one\n  user from many IPs a leaked password.\nlanguage: dql\nquery: event.action:ConsoleLogin and source.ip:\"203.0.113.0/24\"\ncolumns: [user.name, \"@timestamp\"]\nsort:\n  - \"@timestamp\": desc\nfilters:\n  - field: event.outcome\n    value: [failure, unknown]\n    negate: true\ntags: [initial-access]\n"
        );
        assert_eq!(crate::format::search::layout(&written), Ok(None));
    }

    #[test]
    fn what_yaml_cannot_say_is_refused() {
        let body = json!({"attributes": {"title": "t", "kibanaSavedObjectMeta": {"searchSourceJSON": {"query": {"query": "", "language": "kuery"}, "filter": [{"meta": {"key": "bytes", "type": "range", "params": {"gte": 1}}}]}}}});
        let err = to_yaml("s", &body, None).unwrap_err();
        assert!(err.contains("of type `range`"), "{err}");
    }
}
