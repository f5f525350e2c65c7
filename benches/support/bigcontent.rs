//! A large content set for benchmarks: the bundled content plus generated saved searches (YAML),
//! visualizations and dashboards that use them, written into a directory. Deterministic: the
//! same repository and size give the same files, byte for byte.
//!
//! The generated objects are what an analyst team writes: DQL queries, columns, sort and filters
//! on fields that the log type's index templates map; visualizations with terms, date histogram
//! and filters aggregations, some built on a generated saved search; dashboards with panels of
//! both. The set validates clean (`siemctl validate` exits 0), so that benches time the whole
//! path and not the error path.
//!
//! Use it from a bench or a test as a module:
//!
//! ```ignore
//! #[path = "support/bigcontent.rs"]
//! mod bigcontent;
//! let made = bigcontent::write(Path::new(env!("CARGO_MANIFEST_DIR")), dir.path(), 5_000)?;
//! ```
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use serde_json::{json, Value};

/// What [`write`] produced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Made {
    /// Content files copied from the repository (one object each).
    pub(crate) bundled: usize,
    pub(crate) searches: usize,
    pub(crate) visualizations: usize,
    pub(crate) dashboards: usize,
}

impl Made {
    pub(crate) fn total(&self) -> usize {
        self.bundled + self.searches + self.visualizations + self.dashboards
    }
}

/// The fields of one log type, as its index templates map them.
struct LogType {
    name: String,
    index_pattern: String,
    /// Aggregatable keyword fields, sorted.
    keywords: Vec<String>,
    ips: Vec<String>,
    /// long and integer fields.
    numbers: Vec<String>,
    has_timestamp: bool,
}

/// Copies the content of `repo` (siemctl.toml, index-templates/, dashboards/, saved-searches/,
/// without the `_test/` folders, which validate, render and plan do not read) into `out`, then
/// adds generated objects until the set holds `total` objects (no more than the bundled ones
/// when `total` is smaller).
pub(crate) fn write(repo: &Path, out: &Path, total: usize) -> io::Result<Made> {
    fs::create_dir_all(out)?;
    fs::copy(repo.join("siemctl.toml"), out.join("siemctl.toml"))?;
    let mut made = Made::default();
    for folder in ["index-templates", "dashboards", "saved-searches"] {
        made.bundled += copy_content(&repo.join(folder), &out.join(folder))?;
    }
    let log_types = log_types(out)?;
    if log_types.is_empty() {
        return Err(io::Error::other(
            "no log type with an index pattern and mapped keyword fields in the content",
        ));
    }
    let mut n = 0usize;
    'blocks: loop {
        for lt in &log_types {
            // One block: 5 saved searches, 4 visualizations, 1 dashboard of them.
            let mut searches = Vec::new();
            let mut visualizations = Vec::new();
            for step in 0..10 {
                if made.total() >= total {
                    break 'blocks;
                }
                let i = n;
                n += 1;
                match step {
                    0..=4 => {
                        let id = format!("bench-{}-search-{i}", lt.name);
                        let path = out.join(format!("saved-searches/{}/bench-{i}.yaml", lt.name));
                        fs::write(path, saved_search(lt, &id, i))?;
                        searches.push(id);
                        made.searches += 1;
                    }
                    5..=8 => {
                        let id = format!("bench-{}-vis-{i}", lt.name);
                        let base = searches.get(step - 5).map(String::as_str);
                        let body = visualization(lt, i, step - 5, base);
                        let path = out.join(format!(
                            "dashboards/{}/{id}.visualization.json.hbs",
                            lt.name
                        ));
                        fs::write(path, body)?;
                        visualizations.push(id);
                        made.visualizations += 1;
                    }
                    _ => {
                        let id = format!("bench-{}-dashboard-{i}", lt.name);
                        let path =
                            out.join(format!("dashboards/{}/{id}.dashboard.json.hbs", lt.name));
                        fs::write(path, dashboard(lt, i, &visualizations, &searches))?;
                        made.dashboards += 1;
                    }
                }
            }
        }
    }
    Ok(made)
}

/// Copies one content folder, skipping `_test/`; returns the number of content files.
fn copy_content(from: &Path, to: &Path) -> io::Result<usize> {
    let mut count = 0;
    if !from.is_dir() {
        return Ok(0);
    }
    fs::create_dir_all(to)?;
    for entry in sorted(from)? {
        let name = entry.file_name().unwrap_or_default().to_string_lossy().to_string();
        if entry.is_dir() {
            if name == "_test" {
                continue;
            }
            count += copy_content(&entry, &to.join(&name))?;
        } else {
            fs::copy(&entry, to.join(&name))?;
            if name.ends_with(".json.hbs") || name.ends_with(".yaml") || name.ends_with(".yml") {
                count += 1;
            }
        }
    }
    Ok(count)
}

fn sorted(dir: &Path) -> io::Result<Vec<std::path::PathBuf>> {
    let mut entries = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<Vec<_>>>()?;
    entries.sort();
    Ok(entries)
}

/// Every log type of the content that has one index pattern in `dashboards/<lt>/` and index
/// templates in `index-templates/<lt>/`, with the fields those templates map (their own mappings
/// and those of the component templates they are composed of).
fn log_types(root: &Path) -> io::Result<Vec<LogType>> {
    let mut components: BTreeMap<String, Value> = BTreeMap::new();
    let mut templates: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for dir in sorted(&root.join("index-templates"))? {
        if !dir.is_dir() {
            continue;
        }
        let lt = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
        for file in sorted(&dir)? {
            let name = file.file_name().unwrap_or_default().to_string_lossy().to_string();
            if let Some(id) = name.strip_suffix(".component-template.json.hbs") {
                components.insert(id.to_string(), parse_template(&file)?);
            } else if name.ends_with(".index-template.json.hbs") {
                templates.entry(lt.clone()).or_default().push(parse_template(&file)?);
            }
        }
    }
    let mut out = Vec::new();
    for dir in sorted(&root.join("dashboards"))? {
        let lt = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
        let patterns: Vec<String> = sorted(&dir)?
            .iter()
            .filter_map(|f| {
                let name = f.file_name()?.to_string_lossy().to_string();
                name.strip_suffix(".index-pattern.json.hbs").map(str::to_string)
            })
            .collect();
        let (Some(index_templates), [index_pattern]) = (templates.get(&lt), &patterns[..]) else {
            continue;
        };
        let mut fields = BTreeMap::new();
        for template in index_templates {
            let composed = template
                .get("composed_of")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            for component in composed.filter_map(|id| components.get(id)) {
                collect_fields(component.pointer("/template/mappings/properties"), "", &mut fields);
            }
            collect_fields(template.pointer("/template/mappings/properties"), "", &mut fields);
        }
        let of = |types: &[&str]| -> Vec<String> {
            fields
                .iter()
                .filter(|(name, ty)| {
                    types.contains(&ty.as_str())
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
                })
                .map(|(name, _)| name.clone())
                .collect()
        };
        let lt = LogType {
            name: lt,
            index_pattern: index_pattern.clone(),
            keywords: of(&["keyword"]),
            ips: of(&["ip"]),
            numbers: of(&["long", "integer"]),
            has_timestamp: fields.get("@timestamp").is_some_and(|t| t == "date"),
        };
        if lt.keywords.len() >= 3 {
            out.push(lt);
        }
    }
    Ok(out)
}

/// A template's JSON with its Handlebars expressions replaced by plain values: the generator
/// only needs the mappings, which hold none.
fn parse_template(file: &Path) -> io::Result<Value> {
    let text = fs::read_to_string(file)?;
    let mut plain = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("{{") {
        let escaped = rest[..start].ends_with('\\');
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let expression = &rest[start..start + len + 2];
        if escaped {
            plain.push_str(&rest[..start - 1]);
            plain.push_str(expression);
        } else {
            plain.push_str(&rest[..start]);
            plain.push_str(if expression.starts_with("{{json ") { "0" } else { "x" });
        }
        rest = &rest[start + len + 2..];
    }
    plain.push_str(rest);
    serde_json::from_str(&plain).map_err(|e| {
        io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", file.display()))
    })
}

/// Dotted field name → type, for every field a search can use: no `flat_object` or disabled
/// object content, no fields mapped without an index or without doc values.
fn collect_fields(properties: Option<&Value>, prefix: &str, out: &mut BTreeMap<String, String>) {
    let Some(properties) = properties.and_then(Value::as_object) else {
        return;
    };
    for (name, mapping) in properties {
        let path = format!("{prefix}{name}");
        if mapping.get("enabled") == Some(&json!(false))
            || mapping.get("index") == Some(&json!(false))
            || mapping.get("doc_values") == Some(&json!(false))
        {
            continue;
        }
        match mapping.get("type").and_then(Value::as_str) {
            Some("object") | None => {
                collect_fields(mapping.get("properties"), &format!("{path}."), out)
            }
            Some(ty) => {
                out.insert(path, ty.to_string());
            }
        }
    }
}

/// The `i`-th field of a list, cycling.
fn pick(fields: &[String], i: usize) -> &str {
    &fields[i % fields.len()]
}

fn saved_search(lt: &LogType, id: &str, i: usize) -> String {
    let k = &lt.keywords;
    let (a, b, c) = (pick(k, i), pick(k, i + 1), pick(k, i + 2));
    let mut query = format!("{a}:\"value-{i}\" and not {b}:\"other-{}\"", i % 7);
    if !lt.ips.is_empty() {
        let ip = pick(&lt.ips, i);
        query.push_str(&format!(" or {ip}:203.0.113.{}", i % 250));
    }
    if !lt.numbers.is_empty() {
        let number = pick(&lt.numbers, i);
        query = format!("({query}) and {number} >= {}", i % 1000);
    }
    let mut yaml = format!(
        "id: {id}\ntitle: \"Bench {lt}: search {i}\"\ndescription: >-\n  Generated for the offline benchmark: events of {lt} where {a} is value-{i}.\nlanguage: dql\nquery: '{query}'\ncolumns: [{a}, {b}, {c}]\n",
        lt = lt.name
    );
    if lt.has_timestamp {
        yaml.push_str("sort:\n  - \"@timestamp\": desc\n");
    }
    yaml.push_str(&format!(
        "filters:\n  - field: {c}\n    value: [v{}, w{}]\n",
        i % 5,
        i % 3
    ));
    if i % 4 == 0 {
        yaml.push_str(&format!(
            "  - field: {b}\n    value: excluded-{i}\n    negate: true\n"
        ));
    }
    yaml.push_str("tags: [bench, discovery]\n");
    yaml
}

/// Visualization `variant` of a block: 0 a terms bar chart, 1 a date histogram split by a terms
/// aggregation, 2 a pie of filters aggregations, 3 a data table on a saved search (`base`).
fn visualization(lt: &LogType, i: usize, variant: usize, base: Option<&str>) -> String {
    let k = &lt.keywords;
    let title = format!("Bench {}: visualization {i}", lt.name);
    let count = json!({ "id": "1", "enabled": true, "type": "count", "schema": "metric", "params": {} });
    let terms = |id: &str, schema: &str, field: &str| {
        json!({
            "id": id, "enabled": true, "type": "terms", "schema": schema,
            "params": {
                "field": field, "orderBy": "1", "order": "desc", "size": 10,
                "otherBucket": false, "otherBucketLabel": "Other",
                "missingBucket": false, "missingBucketLabel": "Missing"
            }
        })
    };
    let (ty, aggs) = match variant {
        0 => ("horizontal_bar", vec![count, terms("2", "segment", pick(k, i))]),
        1 if lt.has_timestamp => (
            "line",
            vec![
                count,
                json!({
                    "id": "2", "enabled": true, "type": "date_histogram", "schema": "segment",
                    "params": { "field": "@timestamp", "useNormalizedOpenSearchInterval": true, "interval": "auto", "drop_partials": false, "min_doc_count": 1, "extended_bounds": {} }
                }),
                terms("3", "group", pick(k, i + 1)),
            ],
        ),
        2 => {
            let (a, b) = (pick(k, i), pick(k, i + 3));
            (
                "pie",
                vec![
                    count,
                    json!({
                        "id": "2", "enabled": true, "type": "filters", "schema": "segment",
                        "params": { "filters": [
                            { "input": { "query": format!("{a}:\"value-{i}\""), "language": "kuery" }, "label": "value" },
                            { "input": { "query": format!("{b}:* and not {a}:\"value-{i}\""), "language": "kuery" }, "label": "other" }
                        ] }
                    }),
                ],
            )
        }
        _ => ("table", vec![count, terms("2", "bucket", pick(k, i + 2))]),
    };
    let on_search = variant == 3 && base.is_some();
    let mut search_source = json!({
        "query": { "query": if on_search { String::new() } else { format!("{}:*", pick(k, i + 4)) }, "language": "kuery" },
        "filter": []
    });
    let reference = if let (true, Some(search)) = (on_search, base) {
        json!({ "name": "search_0", "type": "search", "id": search })
    } else {
        search_source["indexRefName"] = json!("kibanaSavedObjectMeta.searchSourceJSON.index");
        json!({ "name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": lt.index_pattern })
    };
    // One visualization in 50 names the index prefix, as content that links to Discover does:
    // those few files go through Handlebars, the rest are plain JSON.
    let description = if i % 50 == 0 {
        format!("Generated for the offline benchmark, on {{{{index_prefix}}}}-{}-*.", lt.name)
    } else {
        format!("Generated for the offline benchmark, on {}.", lt.index_pattern)
    };
    let mut attributes = json!({
        "title": title,
        "description": description,
        "visState": {
            "title": title,
            "type": ty,
            "params": { "type": ty, "addTooltip": true, "addLegend": true, "legendPosition": "right" },
            "aggs": aggs
        },
        "uiStateJSON": {},
        "kibanaSavedObjectMeta": { "searchSourceJSON": search_source }
    });
    if on_search {
        attributes["savedSearchRefName"] = json!("search_0");
    }
    pretty(&json!({ "attributes": attributes, "references": [reference] }))
}

fn dashboard(lt: &LogType, i: usize, visualizations: &[String], searches: &[String]) -> String {
    let mut panels = Vec::new();
    let mut references = Vec::new();
    let objects = visualizations
        .iter()
        .map(|v| ("visualization", v))
        .chain(searches.first().map(|s| ("search", s)));
    for (n, (ty, id)) in objects.enumerate() {
        let name = format!("panel_{n}");
        panels.push(json!({
            "version": "7.10.0",
            "gridData": { "x": (n % 2) * 24, "y": (n / 2) * 15, "w": 24, "h": 15, "i": (n + 1).to_string() },
            "panelIndex": (n + 1).to_string(),
            "embeddableConfig": {},
            "panelRefName": name
        }));
        references.push(json!({ "name": name, "type": ty, "id": id }));
    }
    pretty(&json!({
        "attributes": {
            "title": format!("Bench {}: dashboard {i}", lt.name),
            "description": "Generated for the offline benchmark.",
            "panelsJSON": panels,
            "optionsJSON": { "hidePanelTitles": false, "useMargins": true },
            "timeRestore": false,
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": { "query": { "query": "", "language": "kuery" }, "filter": [] }
            }
        },
        "references": references
    }))
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON");
    text.push('\n');
    text
}
