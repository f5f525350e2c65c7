//! Query tests: every saved search and saved query, and every visualization's and dashboard's
//! search source (query and filters), evaluated offline over the test documents of the indices
//! its index pattern covers. The matches, by test file and line, are kept in a golden file per
//! log type (`saved-searches/<log-type>/_test/matches-expected.json`), so that a reviewer sees
//! in the pull request which events a changed query finds; a saved search must find at least
//! one test event and miss at least one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::FileResult;
use crate::content::canonical;
use crate::content::glob;
use crate::content::kind::Kind;
use crate::content::load::TEST_FOLDER;
use crate::content::resource::Resource;
use crate::content::Content;
use crate::query::eval::{self, Compiled, EvalOptions, Fields, Hit, NotEvaluated, SearchSource};

/// The golden file of a log type's query matches.
pub(crate) fn golden_path(log_type: &str) -> PathBuf {
    Path::new("saved-searches")
        .join(log_type)
        .join(TEST_FOLDER)
        .join("matches-expected.json")
}

/// What a query found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// The test events it matches (`file:line`), sorted, and how many it was evaluated over.
    Matches { events: Vec<String>, over: usize },
    /// The evaluator cannot tell: never a pass.
    NotEvaluated(String),
}

/// One query object, evaluated.
#[derive(Debug, Clone)]
pub(crate) struct QueryResult {
    pub(crate) kind: Kind,
    pub(crate) id: String,
    pub(crate) log_type: String,
    pub(crate) file: PathBuf,
    /// The index pattern titles it runs on.
    pub(crate) patterns: Vec<String>,
    /// One query inside the object (a `filters` aggregation's input), by its label.
    pub(crate) part: Option<String>,
    pub(crate) outcome: Outcome,
}

impl QueryResult {
    /// `search/<id>`: its key in the golden file.
    pub(crate) fn key(&self) -> String {
        let key = format!(
            "{}/{}",
            self.kind.saved_object_type().unwrap_or("object"),
            self.id
        );
        match &self.part {
            Some(part) => format!("{key}#{part}"),
            None => key,
        }
    }

    /// A saved search or saved query must match some test event and miss some.
    pub(crate) fn coverage_problem(&self) -> Option<String> {
        if !matches!(self.kind, Kind::Search | Kind::Query) || self.part.is_some() {
            return None;
        }
        match &self.outcome {
            Outcome::Matches { events, over } if events.is_empty() => Some(format!(
                "no test event exercises this search: it matches none of the {over} test events of {}",
                self.patterns.join(", ")
            )),
            Outcome::Matches { events, over } if events.len() == *over => Some(format!(
                "this search matches every one of the {over} test events of {}: add an event it must not find",
                self.patterns.join(", ")
            )),
            _ => None,
        }
    }

    fn golden_json(&self) -> Value {
        match &self.outcome {
            Outcome::Matches { events, .. } => json!({ "matches": events }),
            Outcome::NotEvaluated(why) => json!({ "not_evaluated": why }),
        }
    }
}

/// The query parts of one object: the search sources that must all match.
struct Query {
    sources: Vec<SearchSource>,
    patterns: Vec<String>,
}

/// A document of a test run and where it came from.
struct Doc<'r> {
    at: String,
    index: &'r str,
    /// The document's own mapping (its file's index, after the file's dynamic updates).
    fields: (usize, &'r str),
    /// The clock of its test file: `now` of date math.
    now: jiff::Timestamp,
    hit: Hit,
}

/// Evaluates the query objects of `content` (of `log_types`, or all when empty; `_common`
/// objects only then) over the documents of `results`.
pub(crate) fn evaluate(
    content: &Content,
    results: &[FileResult],
    log_types: &[String],
) -> Vec<QueryResult> {
    let (options, time_zone) = options(content);
    let mut docs = Vec::new();
    let mut fields: BTreeMap<(usize, &str), Fields> = BTreeMap::new();
    for (n, result) in results.iter().enumerate() {
        for (index, mapping) in &result.run.mappings {
            fields.insert((n, index.as_str()), Fields::from_mapping(mapping));
        }
        for event in &result.run.events {
            let (Some(source), super::expected::Stored::Document { index, id, .. }) =
                (&event.document, &event.stored)
            else {
                continue;
            };
            let at = format!(
                "{}:{}",
                result.file.path.display().to_string().replace('\\', "/"),
                event.line
            );
            docs.push(Doc {
                index,
                fields: (n, index.as_str()),
                now: result.file.now,
                hit: Hit {
                    index: index.clone(),
                    // A document the pipeline gave no id gets a generated one on a node.
                    id: id.clone().unwrap_or_else(|| at.clone()),
                    routing: None,
                    ignored: event.ignored.clone(),
                    source: source.clone(),
                },
                at,
            });
        }
    }
    let mut out = Vec::new();
    for resource in &content.resources {
        let selected = if log_types.is_empty() {
            true
        } else {
            log_types.contains(&resource.log_type)
        };
        if !selected {
            continue;
        }
        let result = |part: Option<String>, patterns: Vec<String>, outcome| QueryResult {
            kind: resource.kind,
            id: resource.id.clone(),
            log_type: resource.log_type.clone(),
            file: resource.file.clone(),
            patterns,
            part,
            outcome,
        };
        let sources = sources_of(content, resource);
        let patterns = match patterns_of(content, resource) {
            Ok(p) => p,
            Err(why) => {
                if sources.as_ref().is_ok_and(|s| !s.is_empty()) {
                    out.push(result(None, Vec::new(), Outcome::NotEvaluated(why.reason)));
                }
                continue;
            }
        };
        match &sources {
            Ok(sources) if sources.is_empty() => {}
            Ok(sources) => {
                let query = Query {
                    sources: sources.clone(),
                    patterns: patterns.clone(),
                };
                let outcome = run_query(&query, &docs, &fields, &options, &time_zone);
                out.push(result(None, patterns.clone(), outcome));
            }
            Err(why) => out.push(result(
                None,
                patterns.clone(),
                Outcome::NotEvaluated(why.reason.clone()),
            )),
        }
        // The queries inside a visualization: each input of a `filters` aggregation is a query
        // of its own, applied with the visualization's search source.
        for (label, input) in filter_inputs(resource) {
            let mut sources = sources.clone().unwrap_or_default();
            let outcome = match input {
                Ok(input) => {
                    sources.push(input);
                    let query = Query {
                        sources,
                        patterns: patterns.clone(),
                    };
                    run_query(&query, &docs, &fields, &options, &time_zone)
                }
                Err(why) => Outcome::NotEvaluated(why.reason),
            };
            out.push(result(Some(label), patterns.clone(), outcome));
        }
        if let Some(why) = unevaluated_kind(resource) {
            out.push(result(None, patterns, Outcome::NotEvaluated(why)));
        }
    }
    out
}

fn run_query(
    query: &Query,
    docs: &[Doc<'_>],
    fields: &BTreeMap<(usize, &str), Fields>,
    options: &EvalOptions,
    time_zone: &str,
) -> Outcome {
    // What cannot be evaluated whatever the index is said so even with no test document.
    for source in &query.sources {
        if let Err(e) = eval::compile(source, options) {
            return Outcome::NotEvaluated(e.reason);
        }
    }
    let empty = Fields::from_mapping(&json!({}));
    // Compiled once per index mapping and clock: wildcard field names expand over that
    // index's fields, as the query Dashboards builds from the index pattern's field list.
    let mut compiled: BTreeMap<((usize, &str), jiff::Timestamp), Vec<Compiled>> = BTreeMap::new();
    let mut events = Vec::new();
    let mut over = 0;
    for doc in docs {
        if !query.patterns.iter().any(|p| covers(p, doc.index)) {
            continue;
        }
        over += 1;
        let fields = fields.get(&doc.fields).unwrap_or(&empty);
        let key = (doc.fields, doc.now);
        let entry = match compiled.entry(key) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let options = EvalOptions {
                    now: doc.now,
                    ..options.clone()
                };
                let built: Result<Vec<Compiled>, NotEvaluated> = query
                    .sources
                    .iter()
                    .map(|s| eval::compile_for(s, fields, &options)?.with_time_zone(time_zone))
                    .collect();
                match built {
                    Ok(c) => e.insert(c),
                    Err(e) => return Outcome::NotEvaluated(e.reason),
                }
            }
        };
        let mut all = true;
        for c in entry.iter() {
            match c.matches_hit(&doc.hit, fields) {
                Ok(true) => {}
                Ok(false) => {
                    all = false;
                    break;
                }
                Err(e) => return Outcome::NotEvaluated(e.reason),
            }
        }
        if all {
            events.push(doc.at.clone());
        }
    }
    events.sort_by(|a, b| natural(a).cmp(&natural(b)));
    Outcome::Matches { events, over }
}

/// `file:line` ordered by file, then line as a number.
fn natural(at: &str) -> (&str, usize) {
    match at.rsplit_once(':') {
        Some((file, line)) => (file, line.parse().unwrap_or(0)),
        None => (at, 0),
    }
}

/// Whether an index pattern title (comma-separated patterns, `-` exclusions) covers an index.
fn covers(title: &str, index: &str) -> bool {
    let mut included = false;
    for part in title.split(',').map(str::trim) {
        if let Some(excluded) = part.strip_prefix('-') {
            if glob::matches(excluded, index) {
                return false;
            }
        } else if glob::matches(part, index) {
            included = true;
        }
    }
    included
}

/// The advanced settings that change how Dashboards builds queries, and `dateFormat:tz`.
fn options(content: &Content) -> (EvalOptions, String) {
    let mut options = EvalOptions::default();
    let mut time_zone = "Browser".to_string();
    for config in content.of_kind(Kind::Config) {
        let attrs = &config.body["attributes"];
        if let Some(v) = attrs.get("query:queryString:options") {
            let parsed = match v {
                Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
                other => other.clone(),
            };
            if parsed.is_object() {
                options.query_string_options = parsed;
            }
        }
        if let Some(v) = attrs
            .get("query:allowLeadingWildcards")
            .and_then(Value::as_bool)
        {
            options.allow_leading_wildcards = v;
        }
        if let Some(tz) = attrs.get("dateFormat:tz").and_then(Value::as_str) {
            time_zone = tz.to_string();
        }
    }
    (options, time_zone)
}

/// The saved search a visualization is built on (`savedSearchRefName`).
fn parent_search<'c>(content: &'c Content, resource: &Resource) -> Option<&'c Resource> {
    let name = resource.body["attributes"]
        .get("savedSearchRefName")
        .and_then(Value::as_str)?;
    let (_, _, id) = resource
        .references()
        .into_iter()
        .find(|(n, _, _)| *n == name)?;
    content.get(Kind::Search, id)
}

/// The search sources of an object that must all match (its own, and the saved search it is
/// built on); empty for objects with no query or filter (nothing to test).
fn sources_of(content: &Content, resource: &Resource) -> Result<Vec<SearchSource>, NotEvaluated> {
    let attrs = &resource.body["attributes"];
    let mut sources = Vec::new();
    match resource.kind {
        Kind::Search | Kind::Visualization | Kind::Dashboard => {
            let source = &attrs["kibanaSavedObjectMeta"]["searchSourceJSON"];
            if source.is_object() || source.is_string() {
                let s = SearchSource::from_search_source(source)?;
                if has_query(&s) {
                    sources.push(s);
                }
            }
            if let Some(parent) = parent_search(content, resource) {
                sources.extend(sources_of(content, parent)?);
            }
        }
        Kind::Query => {
            let s = SearchSource::from_saved_query(attrs)?;
            if has_query(&s) {
                sources.push(s);
            }
        }
        _ => {}
    }
    Ok(sources)
}

/// The index pattern titles an object's queries run on: its own index pattern, the one of the
/// saved search it is built on, for a saved query the one of its YAML file's log type, for a
/// dashboard those of its panels.
fn patterns_of(content: &Content, resource: &Resource) -> Result<Vec<String>, NotEvaluated> {
    let mut ids: Vec<String> = Vec::new();
    let own = |r: &Resource| -> Vec<String> {
        r.references()
            .into_iter()
            .filter(|(name, ty, _)| {
                *ty == "index-pattern" && name.starts_with("kibanaSavedObjectMeta.searchSourceJSON")
            })
            .map(|(_, _, id)| id.to_string())
            .collect()
    };
    match resource.kind {
        Kind::Search | Kind::Visualization => {
            ids.extend(own(resource));
            if let Some(parent) = parent_search(content, resource) {
                ids.extend(own(parent));
            }
        }
        Kind::Dashboard => {
            for (_, ty, id) in resource.references() {
                let panel = match ty {
                    "visualization" => content.get(Kind::Visualization, id),
                    "search" => content.get(Kind::Search, id),
                    _ => None,
                };
                if let Some(panel) = panel {
                    ids.extend(own(panel));
                    if let Some(parent) = parent_search(content, panel) {
                        ids.extend(own(parent));
                    }
                }
            }
        }
        Kind::Query => {
            if let Some(loaded) = content
                .searches
                .iter()
                .find(|l| l.search.kind == Kind::Query && l.search.id() == resource.id)
            {
                ids.push(loaded.index_pattern.clone());
            }
        }
        _ => return Ok(Vec::new()),
    }
    let patterns: Vec<String> = ids
        .iter()
        .filter_map(|id| content.get(Kind::IndexPattern, id))
        .filter_map(|p| p.body["attributes"]["title"].as_str().map(str::to_string))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if patterns.is_empty() {
        return Err(NotEvaluated {
            reason:
                "it names no index pattern of the content, so no test documents are in its scope"
                    .into(),
        });
    }
    Ok(patterns)
}

/// The inputs of a visualization's `filters` aggregations, by label (or position).
fn filter_inputs(resource: &Resource) -> Vec<(String, Result<SearchSource, NotEvaluated>)> {
    if resource.kind != Kind::Visualization {
        return Vec::new();
    }
    let aggs = resource.body["attributes"]["visState"]["aggs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for agg in aggs.iter().filter(|a| a["type"] == "filters") {
        let filters = agg["params"]["filters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (i, f) in filters.iter().enumerate() {
            let input = &f["input"];
            let label = f["label"]
                .as_str()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| {
                    input["query"]
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("filter {}", i + 1))
                });
            let source = SearchSource::from_search_source(&json!({ "query": input, "filter": [] }));
            out.push((label, source));
        }
    }
    out
}

/// Visualizations whose queries live outside the search source, which siemctl does not read.
fn unevaluated_kind(resource: &Resource) -> Option<String> {
    if resource.kind != Kind::Visualization {
        return None;
    }
    match resource.body["attributes"]["visState"]["type"].as_str() {
        Some(t @ ("metrics" | "timelion" | "vega")) => Some(format!(
            "a `{t}` visualization holds its queries in its own parameters, which siemctl does not evaluate"
        )),
        _ => None,
    }
}

fn has_query(source: &SearchSource) -> bool {
    let query = source
        .query
        .as_ref()
        .is_some_and(|(_, text)| !text.trim().is_empty());
    let filters = source
        .filters
        .iter()
        .any(|f| f["meta"]["disabled"].as_bool() != Some(true));
    query || filters
}

/// The golden files these results make: log type → file text.
pub(crate) fn golden_files(results: &[QueryResult]) -> BTreeMap<String, String> {
    let mut by_type: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for r in results {
        by_type
            .entry(r.log_type.clone())
            .or_default()
            .insert(r.key(), r.golden_json());
    }
    by_type
        .into_iter()
        .map(|(t, m)| (t, canonical::to_pretty(&Value::Object(m))))
        .collect()
}

/// An entry of a matches file with its list as a set.
fn as_set(v: &Value) -> (BTreeSet<String>, Option<String>) {
    let list = v["matches"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    (list, v["not_evaluated"].as_str().map(str::to_string))
}

/// What differs between a golden matches file and this run, per object key: lines like
/// `+ file:line` (now matched) and `- file:line` (no longer matched).
pub(crate) fn differences(
    golden: &str,
    now: &str,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let parse = |text: &str| -> Result<Map<String, Value>, String> {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err("the golden file is one JSON object: object key → matches".into()),
            Err(e) => Err(format!("not JSON: {e}")),
        }
    };
    let (old, new) = (parse(golden)?, parse(now)?);
    let mut out = BTreeMap::new();
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let (a, b) = (old.get(key), new.get(key));
        // Compared as sets: an order changed by hand (a merge) is no difference.
        if a.map(as_set) == b.map(as_set) {
            continue;
        }
        let list = |v: Option<&Value>| -> BTreeSet<String> {
            v.and_then(|v| v["matches"].as_array())
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let (la, lb) = (list(a), list(b));
        let mut lines = Vec::new();
        match (a, b) {
            (None, Some(_)) => lines.push("new in the content (not in the golden file)".into()),
            (Some(_), None) => {
                lines.push("in the golden file, but no longer in the content".into())
            }
            _ => {}
        }
        for x in lb.difference(&la) {
            lines.push(format!("now finds {x}"));
        }
        for x in la.difference(&lb) {
            lines.push(format!("no longer finds {x}"));
        }
        for (v, sign) in [(a, "-"), (b, "+")] {
            if let Some(why) = v.and_then(|v| v["not_evaluated"].as_str()) {
                lines.push(format!("{sign} not evaluated offline: {why}"));
            }
        }
        out.insert(key.clone(), lines);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_pattern_titles_cover_indices() {
        assert!(covers("log-*", "log-web-apache-2026-11"));
        assert!(covers("log-aws-*,log-web-*", "log-web-x"));
        assert!(!covers("log-*,-log-web-*", "log-web-x"));
        assert!(!covers("log-aws-cloudtrail-*", "log-aws-guardduty-x"));
    }

    #[test]
    fn differences_name_the_events_gained_and_lost() {
        let old = r#"{"search/a": {"matches": ["f:1", "f:2"]}, "search/b": {"matches": []}, "search/gone": {"matches": []}}"#;
        let new = r#"{"search/a": {"matches": ["f:2", "f:3"]}, "search/b": {"matches": []}, "search/c": {"not_evaluated": "geo"}}"#;
        let d = differences(old, new).unwrap();
        assert_eq!(d["search/a"], vec!["now finds f:3", "no longer finds f:1"]);
        let reordered = r#"{"search/a": {"matches": ["f:2", "f:1"]}}"#;
        assert!(
            differences(r#"{"search/a": {"matches": ["f:1", "f:2"]}}"#, reordered)
                .unwrap()
                .is_empty()
        );
        assert!(!d.contains_key("search/b"));
        assert_eq!(
            d["search/gone"],
            vec!["in the golden file, but no longer in the content"]
        );
        assert_eq!(
            d["search/c"],
            vec![
                "new in the content (not in the golden file)",
                "+ not evaluated offline: geo"
            ]
        );
    }

    #[test]
    fn file_lines_sort_by_number() {
        let mut v = vec!["a:10", "a:9", "b:1"];
        v.sort_by(|a, b| natural(a).cmp(&natural(b)));
        assert_eq!(v, ["a:9", "a:10", "b:1"]);
    }
}

/// Why the query tests fail.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryFailure {
    /// The content file of the object, or the golden file.
    pub(crate) file: PathBuf,
    /// `search/<id>`, or empty for a whole golden file.
    pub(crate) key: String,
    pub(crate) message: String,
    /// `+ file:line` / `- file:line` lines of a changed match list.
    pub(crate) lines: Vec<String>,
}

/// The query tests of one run, judged.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryReport {
    pub(crate) results: Vec<QueryResult>,
    pub(crate) failures: Vec<QueryFailure>,
    /// Golden files this run makes, by log type (written with --generate when changed).
    pub(crate) goldens: BTreeMap<String, String>,
}

/// Judges `results` against the golden matches files (`existing`: log type → the file's text,
/// None when it does not exist). With `generating`, a changed file is no failure.
pub(crate) fn judge(
    results: Vec<QueryResult>,
    existing: &BTreeMap<String, Option<String>>,
    generating: bool,
) -> QueryReport {
    let mut failures = Vec::new();
    for r in &results {
        if let Some(message) = r.coverage_problem() {
            failures.push(QueryFailure {
                file: r.file.clone(),
                key: r.key(),
                message,
                lines: Vec::new(),
            });
        }
    }
    let goldens = golden_files(&results);
    if !generating {
        for (log_type, text) in &goldens {
            let path = golden_path(log_type);
            match existing.get(log_type).and_then(Option::as_deref) {
                None => failures.push(QueryFailure {
                    file: path,
                    key: String::new(),
                    message: "there is no golden file of query matches, so no match is checked"
                        .into(),
                    lines: Vec::new(),
                }),
                Some(old) => match differences(old, text) {
                    Err(why) => failures.push(QueryFailure {
                        file: path,
                        key: String::new(),
                        message: format!("invalid golden file: {why}"),
                        lines: Vec::new(),
                    }),
                    Ok(diffs) => {
                        for (key, lines) in diffs {
                            failures.push(QueryFailure {
                                file: path.clone(),
                                key,
                                message: "what it finds differs from the golden file".into(),
                                lines,
                            });
                        }
                    }
                },
            }
        }
    }
    QueryReport {
        results,
        failures,
        goldens,
    }
}
