//! Fields: every field a saved search or visualization names is mapped for its index pattern,
//! and a field mapped by several log types has one type in all of them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::content::catalogue::Catalogue;
use crate::content::field_roles;
use crate::content::glob;
use crate::content::kind::Kind;
use crate::content::mapping::{self, Field, Fields, Lookup};
use crate::content::problem::Problem;
use crate::content::resource::{pointer as value_at, Resource};
use crate::content::saved_search::line;
use crate::content::suggest::{field_hint, FieldScope};
use crate::content::Content;
use crate::query::{self, Language, Tree};

use super::values;

/// What one index pattern sees: the index templates its title covers and their fields merged.
struct PatternView<'a> {
    title: String,
    templates: Vec<&'a Resource>,
    fields: Fields,
    /// Every log type's fields, for suggestions across log types.
    catalogue: &'a Catalogue,
}

/// The problems; the warnings of the same run are kept in the content for
/// [`unchecked_values`], so that warnings do not run the checks a second time.
pub(super) fn check(content: &Content) -> Vec<Problem> {
    let (problems, unchecked) = checked(content);
    // Set once: a second check of the same content finds the same warnings.
    let _ = content.unchecked_values.set(unchecked);
    problems
}

/// Warnings: the values compared with date fields whose format siemctl cannot read offline,
/// which were not checked. Those of [`check`]'s run when it ran on this content, otherwise
/// the checks run for them.
pub(super) fn unchecked_values(content: &Content) -> Vec<Problem> {
    match content.unchecked_values.get() {
        Some(unchecked) => unchecked.clone(),
        None => checked(content).1,
    }
}

/// The problems, and the warnings of values not checked.
fn checked(content: &Content) -> (Vec<Problem>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut unchecked = Vec::new();
    // Mappings are only known once every template renders; until then the render problem is
    // reported and field checks would only add noise.
    if content
        .failed
        .iter()
        .any(|(kind, _)| matches!(kind, Kind::IndexTemplate | Kind::ComponentTemplate))
    {
        return (problems, unchecked);
    }
    let catalogue = content.catalogue();
    let composed: Vec<(&Resource, Fields)> = content
        .of_kind(Kind::IndexTemplate)
        .map(|t| (t, mapping::compose(content, t).fields))
        .collect();
    let mut views = BTreeMap::new();
    for pattern in content.of_kind(Kind::IndexPattern) {
        let title = pattern.title().unwrap_or_default().to_string();
        let titles: Vec<&str> = title
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        let covered: Vec<&(&Resource, Fields)> = composed
            .iter()
            .filter(|(t, _)| {
                template_patterns(t)
                    .iter()
                    .any(|tp| titles.iter().any(|ip| glob::overlaps(ip, tp)))
            })
            .collect();
        if covered.is_empty() && !title.is_empty() {
            problems.push(
                Problem::new(&pattern.file, format!("index pattern `{title}` matches no index template in the content"))
                    .at_line(pattern.line_of("/attributes/title"))
                    .with_hint("its indices would get dynamic mappings only; check the title against the templates' index_patterns"),
            );
        }
        check_conflicts(content, &covered, &mut problems);
        let mut fields = Fields::new();
        for (_, f) in &covered {
            for (name, field) in f {
                fields.entry(name.clone()).or_insert_with(|| field.clone());
            }
        }
        let templates = covered.iter().map(|(t, _)| *t).collect();
        views.insert(
            pattern.id.as_str(),
            PatternView {
                title,
                templates,
                fields,
                catalogue,
            },
        );
    }
    for loaded in &content.searches {
        let Some(view) = views
            .get(loaded.index_pattern.as_str())
            .filter(|v| !v.templates.is_empty())
        else {
            continue; // an unresolved reference, or a pattern without templates, is reported already
        };
        let search = &loaded.search;
        let query_line = search.file.query.as_ref().and_then(|q| line(&q.referenced));
        match query::parse_tree(search.language, search.query()) {
            Err(err) => {
                let problem = match search.query_position(err.column) {
                    // The place in the file, as an editor shows it.
                    Some((line, column)) => Problem::new(
                        &loaded.file,
                        format!(
                            "the query is not valid {}: {}",
                            language_name(search.language),
                            err.message
                        ),
                    )
                    .at(Some(line), Some(column))
                    .with_hint_opt(err.hint.clone()),
                    None => query_problem(&loaded.file, query_line, search.language, &err),
                };
                problems.push(problem);
            }
            Ok((tree, refs)) => {
                for bad in values::check_tree(&tree, &view.fields) {
                    // At the field the value is compared with (its first mention).
                    let (line, column) = refs
                        .iter()
                        .find(|f| f.name == bad.field)
                        .and_then(|f| search.query_position(f.column))
                        .map_or((query_line, None), |(l, c)| (Some(l), Some(c)));
                    let problem = Problem::new(&loaded.file, bad.message)
                        .at(line, column)
                        .with_hint(bad.hint);
                    if bad.unchecked {
                        unchecked.push(problem);
                    } else {
                        problems.push(problem);
                    }
                }
                for field in refs {
                    let at = search
                        .query_position(field.column)
                        .map(|(line, _)| line)
                        .or_else(|| query_line.map(|l| l + field.line.saturating_sub(1)));
                    let named = Named {
                        at,
                        name: &field.name,
                        is_pattern: field.is_pattern,
                        whence: "the query",
                        need: Need::Search,
                    };
                    check_field(&loaded.file, &named, view, &mut problems);
                }
            }
        }
        for (name, at, what) in search.named_fields() {
            let whence = format!("the {what}");
            let named = Named {
                at,
                name,
                is_pattern: false,
                whence: &whence,
                need: Need::Search,
            };
            check_field(&loaded.file, &named, view, &mut problems);
        }
        values::route(
            values::check_search_filters(search, &loaded.file, &view.fields),
            &mut problems,
            &mut unchecked,
        );
    }
    for object in content
        .resources
        .iter()
        .filter(|r| matches!(r.kind, Kind::Visualization | Kind::Search | Kind::Dashboard))
    {
        if object
            .file
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml")
        {
            continue; // saved searches from YAML were checked above, with YAML lines
        }
        check_saved_object_fields(content, object, &views, &mut problems, &mut unchecked);
    }
    (problems, unchecked)
}

impl PatternView<'_> {
    /// The log types of the index templates the pattern covers.
    fn log_types(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.templates.iter().map(|t| t.log_type.as_str()).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn template_patterns(template: &Resource) -> Vec<&str> {
    match template.body.get("index_patterns") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A field mapped with different types by index templates under one index pattern shows as a
/// conflict in Dashboards, and a filter on it breaks across log types.
fn check_conflicts(
    content: &Content,
    covered: &[&(&Resource, Fields)],
    problems: &mut Vec<Problem>,
) {
    // field → type → the templates (and their field) that map it so
    type Users<'a> = Vec<(&'a Resource, &'a Field)>;
    let mut by_field: BTreeMap<&str, BTreeMap<&str, Users<'_>>> = BTreeMap::new();
    for (template, fields) in covered {
        for (name, field) in fields {
            by_field
                .entry(name)
                .or_default()
                .entry(field.ty.as_str())
                .or_default()
                .push((template, field));
        }
    }
    for (name, types) in by_field.into_iter().filter(|(_, types)| types.len() > 1) {
        let summary: Vec<String> = types
            .iter()
            .map(|(ty, users)| {
                format!(
                    "`{ty}` in {}",
                    users
                        .iter()
                        .map(|(t, _)| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        // Report at the mappings that disagree with the shared one (from _common), or else with
        // the most common type.
        let shared = types
            .iter()
            .find(|(_, users)| {
                users
                    .iter()
                    .any(|(_, f)| f.origin.starts_with("index-templates/_common"))
            })
            .map(|(ty, _)| *ty);
        let reference = shared
            .or_else(|| {
                types
                    .iter()
                    .max_by_key(|(_, users)| users.len())
                    .map(|(ty, _)| *ty)
            })
            .unwrap_or_default();
        let origins: BTreeSet<_> = types
            .iter()
            .filter(|(ty, _)| **ty != reference)
            .flat_map(|(_, users)| users.iter().map(|(_, f)| f.origin.clone()))
            .collect();
        for origin in origins {
            let pointer = format!(
                "/template/mappings/properties/{}",
                name.replace('.', "/properties/")
            );
            let line = content
                .resources
                .iter()
                .find(|r| r.file == origin)
                .and_then(|r| r.line_of(&pointer));
            problems.push(
                Problem::new(origin, format!("field `{name}` has different types across log types: {}", summary.join("; ")))
                    .at_line(line)
                    .with_hint("map a shared field once, in _common/log-ecs-base, or give the type-specific one its own namespace; otherwise Dashboards shows a field conflict on log-* and cross-log-type filters break"),
            );
        }
    }
}

fn query_problem(
    file: &std::path::Path,
    query_line: Option<usize>,
    language: Language,
    err: &query::QueryError,
) -> Problem {
    let name = language_name(language);
    let mut problem = Problem::new(file, format!("the query is not valid {name}: {err}"))
        .at_line(query_line.map(|l| l + err.line.saturating_sub(1)));
    problem.hint = err.hint.clone();
    problem
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Dql => "DQL",
        Language::Lucene => "Lucene",
    }
}

/// A field named by a query, a column, a sort, a filter or an aggregation.
struct Named<'a> {
    at: Option<usize>,
    name: &'a str,
    /// A name with wildcards, as the query parser decided.
    is_pattern: bool,
    /// "the query", "the column", ...: how messages refer to the place.
    whence: &'a str,
    /// What the place does with the field.
    need: Need,
}

/// What a place needs of the field it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// A query, a filter, a column: a searchable field.
    Search,
    /// An aggregation: a field with doc values.
    Aggregate,
    /// A sort inside an aggregation: doc values too.
    Sort,
    /// An aggregation parameter that reads any mapped field from the documents, as
    /// Dashboards' `onlyAggregatable: false` fields do (the `top_hits` metric's field).
    Mapped,
}

fn check_field(
    file: &std::path::Path,
    named: &Named<'_>,
    view: &PatternView<'_>,
    problems: &mut Vec<Problem>,
) {
    let Named {
        at,
        name,
        is_pattern,
        whence,
        need,
    } = *named;
    let aggregate = matches!(need, Need::Aggregate | Need::Sort);
    if mapping::is_meta_field(name) || (name == "_source" && !aggregate) {
        return;
    }
    // `_ignored` names the fields whose malformed values the mapping dropped: indexed, so
    // term and exists queries find it, but without doc values, so no aggregation
    // (`server/src/main/java/org/opensearch/index/mapper/IgnoredFieldMapper.java`).
    if name == mapping::IGNORED_FIELD {
        if aggregate {
            problems.push(
                Problem::new(
                    file,
                    format!("{whence} names `_ignored`, a metadata field OpenSearch cannot aggregate on (it has no doc values)"),
                )
                .at_line(at)
                .with_hint("count documents with malformed values with a filters aggregation on the query `_ignored:*` instead"),
            );
        }
        return;
    }
    let templates = || {
        view.templates
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if is_pattern {
        if !view.fields.keys().any(|f| glob::matches(name, f)) {
            problems.push(
                Problem::new(
                    file,
                    format!(
                        "{whence} names fields `{name}`, but no mapped field of `{}` matches it",
                        view.title
                    ),
                )
                .at_line(at),
            );
        }
        return;
    }
    match mapping::lookup(&view.fields, name) {
        Lookup::Found(field) if need == Need::Sort && !field.aggregatable() => problems.push(
            Problem::new(file, format!("{whence} is `{name}`, which is mapped as `{}`: sorting needs doc values, which it has not", field.ty))
                .at_line(at)
                .with_hint("sort on a keyword, ip, number or date field (`@timestamp` for the latest)"),
        ),
        Lookup::Found(field) if aggregate && !field.aggregatable() => problems.push(
            Problem::new(file, format!("{whence} aggregates on `{name}`, which is mapped as `{}` and cannot be aggregated", field.ty))
                .at_line(at)
                .with_hint("aggregate on a keyword, ip, number or date field"),
        ),
        Lookup::Found(_) | Lookup::InFlatObject(_) => {}
        // Mapped with `index: false`: no search, but the value is in the documents (and in
        // doc values), which is all a `top_hits` field reads.
        Lookup::NotSearchable(parent) if need == Need::Mapped && parent == name => {}
        Lookup::NotSearchable(parent) => problems.push(
            Problem::new(file, format!("{whence} names `{name}`, which is not searchable: `{parent}` is mapped without an index"))
                .at_line(at)
                .with_hint("search another field, or index it in the log type's component template"),
        ),
        Lookup::Missing => {
            let mut problem = Problem::new(file, format!("{whence} names field `{name}`, which is not mapped for `{}` (index templates: {})", view.title, templates())).at_line(at);
            let scope = FieldScope {
                fields: view.fields.keys().map(String::as_str).collect(),
                log_types: view.log_types(),
                catalogue: view.catalogue,
            };
            problem = match field_hint(name, &scope) {
                Some(hint) => problem.with_hint(hint),
                None => problem.with_hint("check the spelling against the log type's component template (`siemctl fields` lists every field), or map the field there first"),
            };
            problems.push(problem);
        }
    }
}

/// Visualizations, dashboards and JSON searches: the query of their search source parses, and
/// the fields their aggregations use are mapped and aggregatable; the values of their queries
/// and filters suit their fields (`unchecked`: the values that could not be checked).
fn check_saved_object_fields(
    content: &Content,
    object: &Resource,
    views: &BTreeMap<&str, PatternView<'_>>,
    problems: &mut Vec<Problem>,
    unchecked: &mut Vec<Problem>,
) {
    let source = "/attributes/kibanaSavedObjectMeta/searchSourceJSON";
    // Each query parsed once, its tree kept for the value checks: (pointer, tree).
    let mut trees: Vec<(String, Tree)> = Vec::new();
    if let Some(query) = value_at(&object.body, &format!("{source}/query")) {
        let text = query
            .get("query")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let language = match query.get("language").and_then(Value::as_str) {
            Some("lucene") => Language::Lucene,
            _ => Language::Dql,
        };
        let pointer = format!("{source}/query/query");
        match query::parse_tree(language, text) {
            Ok((tree, _)) => trees.push((pointer, tree)),
            Err(err) => problems.push(query_problem(
                &object.file,
                object.line_of(&pointer),
                language,
                &err,
            )),
        }
    }
    // The queries of `filters` aggregations (one bucket per query) parse like any other.
    let mut filter_fields = Vec::new();
    for (pointer, language, text) in filters_agg_inputs(object) {
        match query::parse_tree(language, &text) {
            Ok((tree, fields)) => {
                filter_fields.push((pointer.clone(), fields));
                trees.push((pointer, tree));
            }
            Err(err) => problems.push(query_problem(
                &object.file,
                object.line_of(&pointer),
                language,
                &err,
            )),
        }
    }
    let index_pattern = object
        .references()
        .into_iter()
        .find(|(name, ty, _)| *ty == "index-pattern" && name.ends_with("searchSourceJSON.index"))
        .map(|(_, _, id)| id.to_string())
        .or_else(|| {
            // A visualization built on a saved search uses that search's index pattern.
            let (_, _, search_id) = object
                .references()
                .into_iter()
                .find(|(_, ty, _)| *ty == "search")?;
            let search = content.get(Kind::Search, search_id)?;
            search
                .references()
                .into_iter()
                .find(|(_, ty, _)| *ty == "index-pattern")
                .map(|(_, _, id)| id.to_string())
        });
    let Some(view) = index_pattern
        .as_deref()
        .and_then(|id| views.get(id))
        .filter(|v| !v.templates.is_empty())
    else {
        return;
    };
    values::route(
        values::check_saved_object(object, &trees, &view.fields),
        problems,
        unchecked,
    );
    if let Some(aggs) =
        value_at(&object.body, "/attributes/visState/aggs").and_then(Value::as_array)
    {
        for (i, agg) in aggs.iter().enumerate() {
            let top_hits = agg.get("type").and_then(Value::as_str) == Some("top_hits");
            // `top_hits` shows a field's values from the documents: its `field` parameter is
            // declared `onlyAggregatable: false`, unlike every other aggregation's (the
            // `field` parameter type defaults to aggregatable fields only), while its
            // `sortField` sorts, which needs doc values (OpenSearch-Dashboards
            // `src/plugins/data/common/search/aggs/metrics/top_hit.ts`,
            // `src/plugins/data/common/search/aggs/param_types/field.ts`).
            let params: &[(&str, Need, &str)] = if top_hits {
                &[
                    ("field", Need::Mapped, "a top_hits aggregation"),
                    (
                        "sortField",
                        Need::Sort,
                        "the sort field of a top_hits aggregation",
                    ),
                ]
            } else {
                &[("field", Need::Aggregate, "an aggregation")]
            };
            for (param, need, whence) in params {
                let Some(field) =
                    value_at(agg, &format!("/params/{param}")).and_then(Value::as_str)
                else {
                    continue;
                };
                let named = Named {
                    at: None,
                    name: field,
                    is_pattern: false,
                    whence,
                    need: *need,
                };
                let found = problems.len();
                check_field(&object.file, &named, view, problems);
                // Lines are looked up only for problems (each lookup rescans the file).
                locate_new(&mut problems[found..], || {
                    object.line_of(&format!("/attributes/visState/aggs/{i}/params/{param}"))
                });
            }
        }
    }
    for (pointer, fields) in &filter_fields {
        for field in fields {
            let named = Named {
                at: None,
                name: &field.name,
                is_pattern: field.is_pattern,
                whence: "the query of a filters aggregation",
                need: Need::Search,
            };
            let found = problems.len();
            check_field(&object.file, &named, view, problems);
            locate_new(&mut problems[found..], || object.line_of(pointer));
        }
    }
}

/// Sets the line of problems found without one, computing it once and only if there are any.
fn locate_new(found: &mut [Problem], line: impl FnOnce() -> Option<usize>) {
    if !found.is_empty() {
        let line = line();
        for problem in found {
            problem.line = line;
        }
    }
}

/// The queries of a visualization's `filters` aggregations: JSON pointer, language, text.
fn filters_agg_inputs(object: &Resource) -> Vec<(String, Language, String)> {
    let Some(aggs) = value_at(&object.body, "/attributes/visState/aggs").and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, agg) in aggs.iter().enumerate() {
        if agg.get("type").and_then(Value::as_str) != Some("filters") {
            continue;
        }
        let filters = value_at(agg, "/params/filters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (j, f) in filters.iter().enumerate() {
            let text = value_at(f, "/input/query")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let language = match value_at(f, "/input/language").and_then(Value::as_str) {
                Some("lucene") => Language::Lucene,
                _ => Language::Dql,
            };
            out.push((
                format!("/attributes/visState/aggs/{i}/params/filters/{j}/input/query"),
                language,
                text.to_string(),
            ));
        }
    }
    out
}

/// Warnings, not errors: a log type maps a field whose name signals a value with an ECS home
/// (`content/field-roles.yaml`: `client_ip` → `source.ip`) while its indices do not map that
/// ECS field at all, so the value can only be found under the log type's own name. Whether the
/// pipeline copies the value where the ECS field is mapped is for `siemctl test` to tell, on
/// the documents.
pub(super) fn warnings(content: &Content) -> Vec<Problem> {
    let catalogue = content.catalogue();
    let mut problems = Vec::new();
    for entry in catalogue.fields.values() {
        let Some(role) = field_roles::role_of(&entry.name) else {
            continue;
        };
        let ecs = catalogue.fields.get(&role.field);
        for log_type in &entry.log_types {
            if ecs.is_some_and(|e| e.log_types.contains(log_type)) {
                continue;
            }
            let Some(origin) = entry.origins.get(log_type) else {
                continue;
            };
            let pointer = format!(
                "/template/mappings/properties/{}",
                entry.name.replace('.', "/properties/")
            );
            let line = content
                .resources
                .iter()
                .find(|r| &r.file == origin)
                .and_then(|r| r.line_of(&pointer));
            problems.push(
                Problem::new(origin, format!(
                    "log type {log_type} maps `{}`, {} by its name, but its indices do not map `{}`, where every log type puts that value",
                    entry.name, role.role, role.field
                ))
                .at_line(line)
                .with_hint(format!(
                    "compose index-templates/_common/log-ecs-base into the log type's index template (`composed_of`) and copy the value to `{}` in its pipeline; if the field holds something else, list it under `except` of that role in src/content/field-roles.yaml",
                    role.field
                )),
            );
        }
    }
    problems
}
