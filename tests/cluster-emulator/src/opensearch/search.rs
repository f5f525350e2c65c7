//! `_count` and `_refresh`: index expressions resolved as `IndexNameExpressionResolver` does for
//! search-like requests, and a small query evaluator over the stored documents.
//!
//! The evaluator reads stored `_source` the way the mapper would have indexed it (per field type
//! of the index mapping). It supports `match_all`, `match_none`, `term`, `terms`, `exists`, `ids`,
//! `constant_score` and `bool`; any other query OpenSearch knows is answered with a clear 400
//! "not supported by the cluster emulator", and a name OpenSearch does not know is the node's
//! `parsing_exception` "unknown query [x]".

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::{json, Map, Value};

use super::indices::{index_not_found, Index};
use super::Cluster;
use crate::http::{parse_json_body, simple_match, OsError, OsResult, Req, Resp};

/// `IndicesOptions` of a request: `ignore_unavailable`, `allow_no_indices`, `expand_wildcards`.
struct IndicesOptions {
    ignore_unavailable: bool,
    allow_no_indices: bool,
    open: bool,
    hidden: bool,
}

impl IndicesOptions {
    /// `IndicesOptions.fromRequest` over the search default (`strictExpandOpenAndForbidClosed`).
    fn from_req(req: &Req) -> Result<IndicesOptions, OsError> {
        let mut o = IndicesOptions {
            ignore_unavailable: false,
            allow_no_indices: true,
            open: true,
            hidden: false,
        };
        let bool_param = |name: &str| -> Result<Option<bool>, OsError> {
            match req.param(name) {
                None => Ok(None),
                Some("" | "true") => Ok(Some(true)),
                Some("false") => Ok(Some(false)),
                Some(v) => Err(OsError::illegal_argument(format!(
                    "Failed to parse value [{v}] as only [true] or [false] are allowed."
                ))),
            }
        };
        if let Some(v) = bool_param("ignore_unavailable")? {
            o.ignore_unavailable = v;
        }
        if let Some(v) = bool_param("allow_no_indices")? {
            o.allow_no_indices = v;
        }
        if let Some(w) = req.param("expand_wildcards") {
            o.open = false;
            for part in w.split(',') {
                match part.trim() {
                    "open" => o.open = true,
                    // The emulator has no closed indices, so `closed` adds nothing.
                    "closed" => {}
                    "hidden" => o.hidden = true,
                    "all" => {
                        o.open = true;
                        o.hidden = true;
                    }
                    "none" => {}
                    other => {
                        return Err(OsError::illegal_argument(format!(
                            "No enum constant org.opensearch.action.support.IndicesOptions.WildcardStates.{}",
                            other.to_uppercase()
                        )))
                    }
                }
            }
        }
        Ok(o)
    }
}

fn is_hidden(i: &Index) -> bool {
    i.settings.get("index.hidden").and_then(Value::as_str) == Some("true")
}

/// `IndexNameExpressionResolver.concreteIndexNames` for a comma-separated expression: `_all`
/// and `*` select every visible index, wildcards match index and alias names (hidden indices
/// only with `expand_wildcards=hidden`, or when both the pattern and the name start with `.`),
/// `-pattern` after an earlier expression removes matches, aliases stand for their indices, a
/// missing concrete name is `index_not_found_exception` unless `ignore_unavailable`.
fn resolve(c: &Cluster, expr: Option<&str>, o: &IndicesOptions) -> Result<Vec<String>, OsError> {
    let expr = expr.unwrap_or("_all");
    let parts: Vec<&str> = expr.split(',').filter(|p| !p.is_empty()).collect();
    let visible = |name: &str, i: &Index, pattern: &str| {
        o.open && (!is_hidden(i) || o.hidden || (pattern.starts_with('.') && name.starts_with('.')))
    };
    let mut out: Vec<String> = Vec::new();
    let push = |out: &mut Vec<String>, n: &String| {
        if !out.contains(n) {
            out.push(n.clone());
        }
    };
    if parts.is_empty() || parts == ["_all"] || parts == ["*"] {
        for (n, i) in &c.indices {
            if visible(n, i, "*") {
                push(&mut out, n);
            }
        }
        if out.is_empty() && !o.allow_no_indices {
            return Err(index_not_found(expr));
        }
        return Ok(out);
    }
    for (pos, part) in parts.iter().enumerate() {
        if let Some(excluded) = part.strip_prefix('-').filter(|_| pos > 0) {
            out.retain(|n| {
                !(simple_match(excluded, n)
                    || c.indices[n]
                        .aliases
                        .keys()
                        .any(|a| simple_match(excluded, a)))
            });
            continue;
        }
        if part.contains('*') {
            let mut matched = false;
            for (n, i) in &c.indices {
                let by_alias = i.aliases.keys().any(|a| simple_match(part, a));
                if (simple_match(part, n) || by_alias) && visible(n, i, part) {
                    push(&mut out, n);
                    matched = true;
                }
            }
            if !matched && !o.allow_no_indices {
                return Err(index_not_found(part));
            }
            continue;
        }
        if c.indices.contains_key(*part) {
            push(&mut out, &part.to_string());
            continue;
        }
        let holders: Vec<&String> = c
            .indices
            .iter()
            .filter(|(_, i)| i.aliases.contains_key(*part))
            .map(|(n, _)| n)
            .collect();
        if holders.is_empty() {
            if o.ignore_unavailable {
                continue;
            }
            return Err(index_not_found(part));
        }
        for n in holders {
            push(&mut out, n);
        }
    }
    if out.is_empty() && !o.allow_no_indices {
        return Err(index_not_found(expr));
    }
    Ok(out)
}

fn setting_u64(i: &Index, key: &str, default: u64) -> u64 {
    i.settings
        .get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// `POST|GET [/{index}]/_refresh` (RestRefreshAction): a BroadcastResponse over every shard copy
/// of the indices; on one node only the primaries succeed.
pub(crate) fn refresh(c: &Cluster, req: &Req, expr: Option<&str>) -> OsResult {
    let o = IndicesOptions::from_req(req)?;
    let names = resolve(c, expr, &o)?;
    let (mut total, mut ok) = (0u64, 0u64);
    for n in &names {
        let i = &c.indices[n];
        let shards = setting_u64(i, "index.number_of_shards", 1);
        let replicas = setting_u64(i, "index.number_of_replicas", 1);
        total += shards * (1 + replicas);
        ok += shards;
    }
    Ok(Resp::ok(
        json!({"_shards": {"total": total, "successful": ok, "failed": 0}}),
    ))
}

/// `GET|POST [/{index}]/_count` (RestCountAction): `{"count", "_shards"}`.
pub(crate) fn count(c: &Cluster, req: &Req, expr: Option<&str>) -> OsResult {
    let o = IndicesOptions::from_req(req)?;
    if req.param("q").is_some() {
        return Err(unsupported("the `q` parameter (query_string query)"));
    }
    let query = if req.body.is_empty() {
        None
    } else {
        let body = parse_json_body(req)?;
        top_level_query(req, &body)?
    };
    let names = resolve(c, expr, &o)?;
    let mut count = 0u64;
    let mut shards = 0u64;
    for n in &names {
        let i = &c.indices[n];
        shards += setting_u64(i, "index.number_of_shards", 1);
        let filters: Option<Vec<Query>> = alias_filters(i, n, expr)
            .map(|fs| fs.iter().map(|f| parse_query(req, f)).collect())
            .transpose()?;
        for (id, d) in &i.docs {
            let doc = DocView {
                index: i,
                index_name: n,
                id,
                fields: &d.fields,
                ignored: &d.ignored,
            };
            let mut hit = match &query {
                None => true,
                Some(q) => matches(q, &doc)?,
            };
            if hit {
                if let Some(fs) = &filters {
                    // The filters of the aliases named combine as a `should`.
                    let mut any = false;
                    for f in fs {
                        if matches(f, &doc)? {
                            any = true;
                            break;
                        }
                    }
                    hit = any;
                }
            }
            if hit {
                count += 1;
            }
        }
    }
    Ok(Resp::ok(json!({
        "count": count,
        "_shards": {"total": shards, "successful": shards, "skipped": 0, "failed": 0}
    })))
}

/// `IndexNameExpressionResolver.filteringAliases`: the filters of the aliases through which the
/// expression reached an index, or `None` when the index was named itself (or by a wildcard),
/// or through an alias without a filter.
fn alias_filters(i: &Index, name: &str, expr: Option<&str>) -> Option<Vec<Value>> {
    let parts: Vec<&str> = expr
        .unwrap_or("_all")
        .split(',')
        .filter(|p| !p.is_empty() && !p.starts_with('-'))
        .collect();
    if parts.is_empty() || parts == ["_all"] {
        return None;
    }
    let mut filters = Vec::new();
    for part in parts {
        if simple_match(part, name) {
            return None;
        }
        for (alias, def) in &i.aliases {
            if simple_match(part, alias) {
                match def.get("filter") {
                    Some(f) => filters.push(f.clone()),
                    None => return None,
                }
            }
        }
    }
    (!filters.is_empty()).then_some(filters)
}

fn unsupported(what: &str) -> OsError {
    OsError::illegal_argument(format!("{what} is not supported by the cluster emulator"))
}

/// `ParsingException` with the position of a key's value in the raw body.
fn parsing(req: &Req, key: &str, reason: String) -> OsError {
    let loc = super::templates::value_location(&req.body, key);
    let (line, col) = loc
        .trim_matches(|ch| ch == '[' || ch == ']')
        .split_once(':')
        .map(|(l, c)| (l.parse::<u64>().unwrap_or(1), c.parse::<u64>().unwrap_or(1)))
        .unwrap_or((1, 1));
    OsError::bad_request("parsing_exception", reason)
        .with("line", line)
        .with("col", col)
}

/// `RestActions.getQueryContent`: the body holds `query` and nothing else.
fn top_level_query(req: &Req, body: &Value) -> Result<Option<Query>, OsError> {
    let Some(map) = body.as_object() else {
        return Err(OsError::bad_request(
            "parsing_exception",
            "request body must be an object",
        ));
    };
    let mut query = None;
    for (k, v) in map {
        if k != "query" {
            return Err(parsing(req, k, format!("request does not support [{k}]")));
        }
        query = Some(parse_query(req, v)?);
    }
    Ok(query)
}

enum Query {
    All,
    None,
    Term {
        field: String,
        value: Value,
        case_insensitive: bool,
    },
    Terms {
        field: String,
        values: Vec<Value>,
    },
    Exists(String),
    Range {
        field: String,
        lower: Option<(Value, bool)>,
        upper: Option<(Value, bool)>,
    },
    Prefix {
        field: String,
        value: String,
        case_insensitive: bool,
    },
    Ids(Vec<String>),
    Bool {
        must: Vec<Query>,
        should: Vec<Query>,
        must_not: Vec<Query>,
        minimum_should_match: Option<usize>,
    },
}

/// Query names OpenSearch 2.19 registers (SearchModule and the bundled modules) that the
/// emulator does not evaluate.
const KNOWN_UNSUPPORTED: &[&str] = &[
    "match",
    "match_phrase",
    "match_phrase_prefix",
    "match_bool_prefix",
    "multi_match",
    "query_string",
    "simple_query_string",
    "wildcard",
    "regexp",
    "fuzzy",
    "nested",
    "has_child",
    "has_parent",
    "parent_id",
    "dis_max",
    "boosting",
    "function_score",
    "script_score",
    "script",
    "more_like_this",
    "geo_shape",
    "geo_bounding_box",
    "geo_distance",
    "geo_polygon",
    "xy_shape",
    "span_term",
    "span_first",
    "span_near",
    "span_or",
    "span_not",
    "span_containing",
    "span_within",
    "span_multi",
    "field_masking_span",
    "intervals",
    "distance_feature",
    "rank_feature",
    "wrapper",
    "terms_set",
    "percolate",
    "template",
    "match_only_text",
];

fn one_field<'a>(
    req: &Req,
    kind: &str,
    body: &'a Value,
) -> Result<(&'a String, &'a Value), OsError> {
    let Some(map) = body.as_object() else {
        return Err(parsing(
            req,
            kind,
            format!("[{kind}] query malformed, no start_object after query name"),
        ));
    };
    let fields: Vec<(&String, &Value)> = map
        .iter()
        .filter(|(k, _)| k.as_str() != "boost" && k.as_str() != "_name")
        .collect();
    match fields.as_slice() {
        [one] => Ok(*one),
        [] => Err(parsing(
            req,
            kind,
            format!("[{kind}] query doesn't support multiple fields, found [] and []"),
        )),
        [a, b, ..] => Err(parsing(
            req,
            kind,
            format!(
                "[{kind}] query doesn't support multiple fields, found [{}] and [{}]",
                a.0, b.0
            ),
        )),
    }
}

fn clauses(req: &Req, v: &Value) -> Result<Vec<Query>, OsError> {
    match v {
        Value::Array(items) => items.iter().map(|q| parse_query(req, q)).collect(),
        other => Ok(vec![parse_query(req, other)?]),
    }
}

/// `AbstractQueryBuilder.parseInnerQueryBuilder` for the supported queries.
fn parse_query(req: &Req, v: &Value) -> Result<Query, OsError> {
    let Some(map) = v.as_object() else {
        return Err(OsError::bad_request(
            "parsing_exception",
            "[_na] query malformed, must start with start_object",
        ));
    };
    let mut it = map.iter();
    let Some((kind, body)) = it.next() else {
        return Ok(Query::All);
    };
    if let Some((next, _)) = it.next() {
        return Err(parsing(
            req,
            next,
            format!("[{kind}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]"),
        ));
    }
    match kind.as_str() {
        "match_all" => Ok(Query::All),
        "match_none" => Ok(Query::None),
        "term" => {
            let (field, spec) = one_field(req, kind, body)?;
            let (value, case_insensitive) = match spec {
                Value::Object(m) => {
                    for k in m.keys() {
                        if !["value", "boost", "_name", "case_insensitive"].contains(&k.as_str()) {
                            return Err(parsing(
                                req,
                                k,
                                format!("[term] query does not support [{k}]"),
                            ));
                        }
                    }
                    (
                        m.get("value").cloned().unwrap_or(Value::Null),
                        m.get("case_insensitive").and_then(Value::as_bool) == Some(true),
                    )
                }
                other => (other.clone(), false),
            };
            if value.is_null() {
                return Err(OsError::illegal_argument("value cannot be null"));
            }
            Ok(Query::Term {
                field: field.clone(),
                value,
                case_insensitive,
            })
        }
        "terms" => {
            let (field, spec) = one_field(req, kind, body)?;
            match spec {
                Value::Array(values) => Ok(Query::Terms {
                    field: field.clone(),
                    values: values.clone(),
                }),
                Value::Object(_) => Err(unsupported("a `terms` lookup")),
                _ => Err(parsing(
                    req,
                    field,
                    format!("[terms] query does not support [{field}]"),
                )),
            }
        }
        "range" => {
            let (field, spec) = one_field(req, kind, body)?;
            let Some(m) = spec.as_object() else {
                return Err(parsing(
                    req,
                    field,
                    "[range] query malformed, no start_object after query name".to_string(),
                ));
            };
            // RangeQueryBuilder.fromXContent: from/to with include_lower/include_upper, or
            // gt/gte/lt/lte.
            let mut lower = None;
            let mut upper = None;
            let mut include_lower = true;
            let mut include_upper = true;
            for (k, v) in m {
                match k.as_str() {
                    "gte" => lower = Some((v.clone(), true)),
                    "gt" => lower = Some((v.clone(), false)),
                    "lte" => upper = Some((v.clone(), true)),
                    "lt" => upper = Some((v.clone(), false)),
                    "from" => lower = Some((v.clone(), true)),
                    "to" => upper = Some((v.clone(), true)),
                    "include_lower" => include_lower = v.as_bool() != Some(false),
                    "include_upper" => include_upper = v.as_bool() != Some(false),
                    "boost" | "_name" => {}
                    "relation" if v == "intersects" => {}
                    "format" | "time_zone" | "relation" => {
                        return Err(unsupported(&format!("a range query with [{k}]")))
                    }
                    other => {
                        return Err(parsing(
                            req,
                            other,
                            format!("[range] query does not support [{other}]"),
                        ))
                    }
                }
            }
            if m.contains_key("from") {
                lower = lower.map(|(v, _)| (v, include_lower));
            }
            if m.contains_key("to") {
                upper = upper.map(|(v, _)| (v, include_upper));
            }
            let lower = lower.filter(|(v, _)| !v.is_null());
            let upper = upper.filter(|(v, _)| !v.is_null());
            Ok(Query::Range {
                field: field.clone(),
                lower,
                upper,
            })
        }
        "prefix" => {
            let (field, spec) = one_field(req, kind, body)?;
            let (value, ci) = match spec {
                Value::Object(m) => (
                    m.get("value").and_then(as_text),
                    m.get("case_insensitive").and_then(Value::as_bool) == Some(true),
                ),
                other => (as_text(other), false),
            };
            let Some(value) = value else {
                return Err(parsing(
                    req,
                    field,
                    "No value specified for prefix query".into(),
                ));
            };
            Ok(Query::Prefix {
                field: field.clone(),
                value,
                case_insensitive: ci,
            })
        }
        "exists" => match body.get("field").and_then(Value::as_str) {
            Some(f) => Ok(Query::Exists(f.to_string())),
            None => Err(parsing(
                req,
                kind,
                "[exists] must be provided with a [field]".into(),
            )),
        },
        "ids" => {
            let values = body
                .get("values")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|v| match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok(Query::Ids(values))
        }
        "constant_score" => match body.get("filter") {
            Some(f) => parse_query(req, f),
            None => Err(parsing(
                req,
                kind,
                "[constant_score] requires a 'filter' element".into(),
            )),
        },
        "bool" => {
            let Some(m) = body.as_object() else {
                return Err(parsing(
                    req,
                    kind,
                    "[bool] query malformed, no start_object after query name".into(),
                ));
            };
            let mut must = Vec::new();
            let mut should = Vec::new();
            let mut must_not = Vec::new();
            let mut msm = None;
            for (k, v) in m {
                match k.as_str() {
                    "must" | "filter" => must.extend(clauses(req, v)?),
                    "should" => should.extend(clauses(req, v)?),
                    "must_not" | "mustNot" => must_not.extend(clauses(req, v)?),
                    "minimum_should_match" => {
                        msm = Some(
                            match v {
                                Value::Number(n) => n.as_u64().map(|n| n as usize),
                                Value::String(s) => s.parse::<usize>().ok(),
                                _ => None,
                            }
                            .ok_or_else(|| {
                                unsupported(&format!("minimum_should_match [{v}] (only a count)"))
                            })?,
                        )
                    }
                    "boost" | "_name" | "adjust_pure_negative" => {}
                    other => {
                        return Err(parsing(
                            req,
                            other,
                            format!("[bool] query does not support [{other}]"),
                        ))
                    }
                }
            }
            Ok(Query::Bool {
                must,
                should,
                must_not,
                minimum_should_match: msm,
            })
        }
        other if KNOWN_UNSUPPORTED.contains(&other) => {
            Err(unsupported(&format!("the [{other}] query")))
        }
        other => Err(parsing(req, other, format!("unknown query [{other}]"))),
    }
}

struct DocView<'a> {
    index: &'a Index,
    index_name: &'a str,
    id: &'a str,
    /// What each field indexed, as the mapper parsed the document.
    fields: &'a BTreeMap<String, Vec<Value>>,
    /// `_ignored`: the fields whose malformed values were dropped.
    ignored: &'a [String],
}

/// The mapping definition of a field path: properties through objects, then a multi-field.
fn field_def<'a>(mappings: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut props = mappings.get("properties")?.as_object()?;
    let segments: Vec<&str> = path.split('.').collect();
    let mut i = 0;
    while i < segments.len() {
        // A property name may itself contain dots: try the longest name first.
        let mut found = None;
        for j in (i + 1..=segments.len()).rev() {
            if let Some(def) = props.get(&segments[i..j].join(".")) {
                found = Some((j, def));
                break;
            }
        }
        let (j, def) = found?;
        i = j;
        // The fields of a `nested` object live in their own hidden documents, which a query
        // outside a `nested` query does not see.
        match def.get("type").and_then(Value::as_str) {
            Some("nested") => return None,
            Some("flat_object") => return Some(def),
            _ => {}
        }
        if i == segments.len() {
            return Some(def);
        }
        if let Some(p) = def.get("properties").and_then(Value::as_object) {
            props = p;
            continue;
        }
        return def.get("fields")?.get(segments[i..].join("."));
    }
    None
}

/// A `flat_object` field answers queries on its sub-keys through its own hidden fields, which
/// the emulator does not evaluate.
fn refuse_flat_object(def: &Value, field: &str) -> Result<(), OsError> {
    if def.get("type").and_then(Value::as_str) == Some("flat_object") {
        return Err(unsupported(&format!(
            "a query on the flat_object field [{field}]"
        )));
    }
    Ok(())
}

fn field_type(def: &Value) -> &str {
    match def.get("type").and_then(Value::as_str) {
        Some(t) => t,
        None if def.get("properties").is_some() => "object",
        None => "object",
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" || s.is_empty() => Some(false),
        _ => None,
    }
}

/// The text the standard analyzer would produce, for the values where that is certain: ASCII
/// letters, digits, `_` and spaces (UAX#29 splits on the spaces only, then lowercases).
fn standard_tokens(field: &str, s: &str) -> Result<Vec<String>, OsError> {
    if s.chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == ' ')
    {
        Ok(s.split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_ascii_lowercase)
            .collect())
    } else {
        Err(unsupported(&format!(
            "a term query on the text field [{field}] whose value [{s}] needs the standard analyzer"
        )))
    }
}

fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

/// Whether one indexed value of a field equals the term, per the field type's `termQuery`.
fn term_matches(
    field: &str,
    def: &Value,
    stored: &Value,
    term: &Value,
    ci: bool,
) -> Result<bool, OsError> {
    let t = field_type(def);
    Ok(match t {
        "keyword" | "constant_keyword" => {
            if def.get("normalizer").is_some() {
                return Err(unsupported(&format!(
                    "a term query on the keyword field [{field}] with a normalizer"
                )));
            }
            let (Some(s), Some(q)) = (as_text(stored), as_text(term)) else {
                return Ok(false);
            };
            let limit = def
                .get("ignore_above")
                .and_then(Value::as_u64)
                .unwrap_or(u64::MAX);
            if s.chars().count() as u64 > limit {
                return Ok(false);
            }
            if ci {
                s.to_lowercase() == q.to_lowercase()
            } else {
                s == q
            }
        }
        "text" => {
            if ["analyzer", "search_analyzer"]
                .iter()
                .any(|k| def.get(*k).is_some_and(|a| a != "standard"))
            {
                return Err(unsupported(&format!(
                    "a term query on the text field [{field}] with its own analyzer"
                )));
            }
            let (Some(s), Some(q)) = (as_text(stored), as_text(term)) else {
                return Ok(false);
            };
            standard_tokens(field, &s)?.contains(&q)
        }
        "long" | "integer" | "short" | "byte" | "unsigned_long" => {
            let (Some(s), Some(q)) = (as_f64(stored), as_f64(term)) else {
                return Ok(false);
            };
            // NumberFieldMapper: a decimal term matches nothing; a decimal value is truncated
            // when coerced.
            q.fract() == 0.0 && s.trunc() == q
        }
        "double" => match (as_f64(stored), as_f64(term)) {
            (Some(s), Some(q)) => s == q,
            _ => false,
        },
        "float" => match (as_f64(stored), as_f64(term)) {
            (Some(s), Some(q)) => (s as f32) == (q as f32),
            _ => false,
        },
        "boolean" => match (as_bool(stored), as_bool(term)) {
            (Some(s), Some(q)) => s == q,
            _ => false,
        },
        "ip" => {
            let (Some(s), Some(q)) = (as_text(stored), as_text(term)) else {
                return Ok(false);
            };
            let Some(ip) = parse_ip(&s) else {
                return Ok(false);
            };
            match q.split_once('/') {
                None => parse_ip(&q).is_some_and(|q| canonical(q) == canonical(ip)),
                Some((net, bits)) => {
                    let (Some(net), Ok(bits)) = (parse_ip(net), bits.parse::<u32>()) else {
                        return Ok(false);
                    };
                    in_cidr(ip, net, bits)
                }
            }
        }
        "date" => match (stored, term) {
            // Indexed dates are epoch milliseconds; a numeric term is too.
            (Value::Number(s), Value::Number(q)) => s.as_f64() == q.as_f64(),
            _ => {
                return Err(unsupported(&format!(
                    "a term query on the date field [{field}] with a formatted date"
                )))
            }
        },
        "object" | "nested" => false,
        other => {
            return Err(unsupported(&format!(
                "a term query on the [{other}] field [{field}]"
            )))
        }
    })
}

/// IPv4-mapped IPv6 addresses are the IPv4 address (InetAddresses as the ip field indexes them).
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn in_cidr(ip: IpAddr, net: IpAddr, bits: u32) -> bool {
    match (canonical(ip), canonical(net)) {
        (IpAddr::V4(a), IpAddr::V4(n)) if bits <= 32 => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if bits <= 128 => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

fn term_query(doc: &DocView<'_>, field: &str, term: &Value, ci: bool) -> Result<bool, OsError> {
    if field == "_id" {
        return Ok(as_text(term).as_deref() == Some(doc.id));
    }
    if field == "_ignored" {
        return Ok(as_text(term).is_some_and(|t| doc.ignored.contains(&t)));
    }
    if field == "_index" {
        // IndexFieldMapper: the concrete index name (its alias names do not match).
        return Ok(as_text(term).is_some_and(|t| {
            if ci {
                t.to_lowercase() == doc.index_name.to_lowercase()
            } else {
                t == doc.index_name
            }
        }));
    }
    // An unmapped field was never indexed: the query matches nothing.
    let Some(def) = field_def(&doc.index.mappings, field) else {
        return Ok(false);
    };
    refuse_flat_object(def, field)?;
    if def.get("index").and_then(Value::as_bool) == Some(false) {
        return Err(unsupported(&format!(
            "a term query on the field [{field}] that is not indexed"
        )));
    }
    if field_type(def) == "constant_keyword" {
        let value = def.get("value").cloned().unwrap_or(Value::Null);
        return term_matches(field, def, &value, term, ci);
    }
    if field_type(def) == "text"
        && doc
            .index
            .settings
            .keys()
            .any(|k| k.starts_with("index.analysis.analyzer.default"))
    {
        return Err(unsupported(&format!(
            "a term query on the text field [{field}] of an index with a default analyzer"
        )));
    }
    for v in doc.fields.get(field).into_iter().flatten() {
        if term_matches(field, def, v, term, ci)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A value of a range: how the field type orders it.
#[derive(PartialEq, PartialOrd)]
enum Ordered {
    Number(f64),
    Text(String),
    Ip(u128),
}

fn ordered(field: &str, def: &Value, v: &Value, bound: bool) -> Result<Option<Ordered>, OsError> {
    let t = field_type(def);
    Ok(match t {
        "long" | "integer" | "short" | "byte" | "unsigned_long" | "double" => {
            as_f64(v).map(Ordered::Number)
        }
        "float" => as_f64(v).map(|x| Ordered::Number(f64::from(x as f32))),
        "date" => match v {
            // Indexed dates are epoch milliseconds; a numeric bound is epoch milliseconds when
            // the format accepts them (the default `strict_date_optional_time||epoch_millis`).
            Value::Number(n)
                if def
                    .get("format")
                    .and_then(Value::as_str)
                    .is_none_or(|f| f.split("||").any(|p| p == "epoch_millis")) =>
            {
                n.as_f64().map(Ordered::Number)
            }
            Value::Number(n) if !bound => n.as_f64().map(Ordered::Number),
            _ => {
                return Err(unsupported(&format!(
                    "a range query on the date field [{field}] with a formatted date or date math"
                )))
            }
        },
        "keyword" => as_text(v).map(Ordered::Text),
        "ip" => as_text(v)
            .and_then(|s| parse_ip(&s))
            .map(|ip| match canonical(ip) {
                IpAddr::V4(a) => Ordered::Ip(u128::from(a.to_ipv6_mapped())),
                IpAddr::V6(a) => Ordered::Ip(u128::from(a)),
            }),
        other => {
            return Err(unsupported(&format!(
                "a range query on the [{other}] field [{field}]"
            )))
        }
    })
}

/// `range` over what the field indexed, in the field type's order.
fn range_query(
    doc: &DocView<'_>,
    field: &str,
    lower: Option<&(Value, bool)>,
    upper: Option<&(Value, bool)>,
) -> Result<bool, OsError> {
    let Some(def) = field_def(&doc.index.mappings, field) else {
        return Ok(false);
    };
    refuse_flat_object(def, field)?;
    let lo = match lower {
        Some((v, inc)) => match ordered(field, def, v, true)? {
            Some(o) => Some((o, *inc)),
            None => {
                return Err(OsError::illegal_argument(format!(
                    "For input string: \"{}\"",
                    as_text(v).unwrap_or_default()
                )))
            }
        },
        None => None,
    };
    let hi = match upper {
        Some((v, inc)) => match ordered(field, def, v, true)? {
            Some(o) => Some((o, *inc)),
            None => {
                return Err(OsError::illegal_argument(format!(
                    "For input string: \"{}\"",
                    as_text(v).unwrap_or_default()
                )))
            }
        },
        None => None,
    };
    for v in doc.fields.get(field).into_iter().flatten() {
        let Some(x) = ordered(field, def, v, false)? else {
            continue;
        };
        let above = lo
            .as_ref()
            .is_none_or(|(b, inc)| if *inc { x >= *b } else { x > *b });
        let below = hi
            .as_ref()
            .is_none_or(|(b, inc)| if *inc { x <= *b } else { x < *b });
        if above && below {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `prefix` on a keyword field.
fn prefix_query(doc: &DocView<'_>, field: &str, prefix: &str, ci: bool) -> Result<bool, OsError> {
    let Some(def) = field_def(&doc.index.mappings, field) else {
        return Ok(false);
    };
    refuse_flat_object(def, field)?;
    if field_type(def) != "keyword" || def.get("normalizer").is_some() {
        return Err(unsupported(&format!(
            "a prefix query on the [{}] field [{field}] (keyword fields only)",
            field_type(def)
        )));
    }
    Ok(doc.fields.get(field).into_iter().flatten().any(|v| {
        as_text(v).is_some_and(|s| {
            if ci {
                s.to_lowercase().starts_with(&prefix.to_lowercase())
            } else {
                s.starts_with(prefix)
            }
        })
    }))
}

/// `exists`: the field (or, for an object, a field under it) indexed a value.
fn exists_query(doc: &DocView<'_>, field: &str) -> Result<bool, OsError> {
    if field == "_id" || field == "_index" {
        return Ok(true);
    }
    if field == "_ignored" {
        return Ok(!doc.ignored.is_empty());
    }
    let Some(def) = field_def(&doc.index.mappings, field) else {
        return Ok(false);
    };
    refuse_flat_object(def, field)?;
    if field_type(def) == "constant_keyword" {
        return Ok(def.get("value").is_some());
    }
    let prefix = format!("{field}.");
    Ok(doc
        .fields
        .iter()
        .any(|(k, v)| (k == field || k.starts_with(&prefix)) && !v.is_empty()))
}

fn matches(q: &Query, doc: &DocView<'_>) -> Result<bool, OsError> {
    Ok(match q {
        Query::All => true,
        Query::None => false,
        Query::Term {
            field,
            value,
            case_insensitive,
        } => term_query(doc, field, value, *case_insensitive)?,
        Query::Terms { field, values } => {
            let mut any = false;
            for v in values {
                if term_query(doc, field, v, false)? {
                    any = true;
                    break;
                }
            }
            any
        }
        Query::Exists(f) => exists_query(doc, f)?,
        Query::Range {
            field,
            lower,
            upper,
        } => range_query(doc, field, lower.as_ref(), upper.as_ref())?,
        Query::Prefix {
            field,
            value,
            case_insensitive,
        } => prefix_query(doc, field, value, *case_insensitive)?,
        Query::Ids(ids) => ids.iter().any(|i| i == doc.id),
        Query::Bool {
            must,
            should,
            must_not,
            minimum_should_match,
        } => {
            for m in must {
                if !matches(m, doc)? {
                    return Ok(false);
                }
            }
            for m in must_not {
                if matches(m, doc)? {
                    return Ok(false);
                }
            }
            // BoolQueryBuilder: with no must/filter clause, one should clause must match.
            let needed = minimum_should_match.unwrap_or(if must.is_empty() && !should.is_empty() {
                1
            } else {
                0
            });
            let mut hits = 0;
            for s in should {
                if matches(s, doc)? {
                    hits += 1;
                }
            }
            hits >= needed
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_and_mapped_addresses() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(in_cidr(ip("10.1.2.3"), ip("10.0.0.0"), 8));
        assert!(!in_cidr(ip("11.1.2.3"), ip("10.0.0.0"), 8));
        assert!(in_cidr(ip("::ffff:10.1.2.3"), ip("10.0.0.0"), 8));
        assert!(in_cidr(ip("2001:db8::1"), ip("2001:db8::"), 32));
        assert!(in_cidr(ip("1.2.3.4"), ip("0.0.0.0"), 0));
        assert_eq!(canonical(ip("::ffff:1.2.3.4")), ip("1.2.3.4"));
    }

    #[test]
    fn standard_tokens_only_where_certain() {
        assert_eq!(
            standard_tokens("f", "Hello  World_1").unwrap(),
            vec!["hello", "world_1"]
        );
        assert!(standard_tokens("f", "a-b").is_err());
        assert!(standard_tokens("f", "é").is_err());
    }

    #[test]
    fn field_definitions_through_objects_and_multi_fields() {
        let m = json!({"properties": {
            "a": {"properties": {"b": {"type": "keyword"}}},
            "t": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
            "n": {"type": "nested", "properties": {"x": {"type": "long"}}},
            "dotted.name": {"type": "long"}
        }});
        let m = m.as_object().unwrap();
        assert_eq!(field_def(m, "a.b").unwrap()["type"], "keyword");
        assert_eq!(field_def(m, "t.raw").unwrap()["type"], "keyword");
        assert_eq!(field_def(m, "dotted.name").unwrap()["type"], "long");
        assert!(field_def(m, "n.x").is_none());
        assert!(field_def(m, "missing").is_none());
    }
}
