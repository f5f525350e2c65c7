//! The query DSL evaluated over one document `_source`, with the field types of the mapping.
//!
//! Upstream (OpenSearch `server/src/main/java/org/opensearch/index/query/`):
//! `BoolQueryBuilder` (must/filter all, must_not none, should at least
//! `minimum_should_match`, 1 when there is no must/filter), `MatchQueryBuilder` and
//! `search/MatchQuery.java` (the text analyzed with the field's search analyzer, terms joined
//! with `operator`, `lenient`), `MatchPhraseQueryBuilder`, `MultiMatchQueryBuilder`
//! (`best_fields`, `phrase`; no `fields` is `index.query.default_field` `*`),
//! `TermQueryBuilder`, `TermsQueryBuilder`, `RangeQueryBuilder`, `ExistsQueryBuilder`,
//! `WildcardQueryBuilder`, `PrefixQueryBuilder`, `QueryStringQueryBuilder` (see
//! [`super::query_string`]), `ConstantScoreQueryBuilder`, `DisMaxQueryBuilder`; per type
//! (`index/mapper/`): `KeywordFieldMapper` (exact, case-sensitive, values longer than
//! `ignore_above` not indexed), `TextFieldMapper`, `NumberFieldMapper` (`termQuery` of a value
//! with a decimal part on a whole-number field matches nothing; a value that is not a number
//! fails), `IpFieldMapper` (`a.b.c.d/n` is a CIDR), `DateFieldMapper`, `BooleanFieldMapper`,
//! `FlatObjectFieldMapper`. An unmapped field matches nothing.

use super::analysis;
use super::dates;
use super::fields::{self, Field, Fields, Kind};
use super::query_string;
use super::NotEvaluated;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::Value;
use std::net::IpAddr;

/// What the evaluation of one query needs besides the document.
pub(crate) struct Ctx<'a> {
    pub(crate) fields: &'a Fields,
    pub(crate) now: Timestamp,
    /// The document carries its metadata (`_id`, `_index`, `_ignored`, `_routing`) as
    /// top-level keys ([`super::Compiled::matches_hit`]).
    pub(crate) has_meta: bool,
    /// The path of the enclosing `nested` query, if any.
    pub(crate) nested: Option<&'a str>,
}

/// Why a field-level query could not answer: the query is invalid for the field (OpenSearch
/// fails the search, unless the query is lenient), or it is not evaluated offline.
#[derive(Debug)]
pub(crate) enum FieldError {
    Invalid(String),
    NotEvaluated(NotEvaluated),
}

impl From<NotEvaluated> for FieldError {
    fn from(e: NotEvaluated) -> Self {
        FieldError::NotEvaluated(e)
    }
}

/// A field-level answer; `lenient` turns an invalid query into no match.
pub(crate) fn lenient(r: Result<bool, FieldError>, lenient: bool) -> Result<bool, NotEvaluated> {
    match r {
        Ok(b) => Ok(b),
        Err(FieldError::Invalid(_)) if lenient => Ok(false),
        Err(FieldError::Invalid(why)) => Err(NotEvaluated::new(format!(
            "OpenSearch rejects this query: {why}"
        ))),
        Err(FieldError::NotEvaluated(e)) => Err(e),
    }
}

fn not_eval(reason: impl Into<String>) -> NotEvaluated {
    NotEvaluated::new(reason)
}

/// Whether `query` matches `doc`.
pub(crate) fn matches(query: &Value, doc: &Value, ctx: &Ctx<'_>) -> Result<bool, NotEvaluated> {
    let obj = query.as_object().filter(|o| o.len() == 1).ok_or_else(|| {
        not_eval(format!(
            "a query must be an object with one key, got {query}"
        ))
    })?;
    let (kind, body) = obj.iter().next().expect("one key");
    match kind.as_str() {
        "match_all" => Ok(true),
        "match_none" => Ok(false),
        "bool" => bool_query(body, doc, ctx),
        "constant_score" => matches(
            body.get("filter")
                .ok_or_else(|| not_eval("constant_score without filter"))?,
            doc,
            ctx,
        ),
        "dis_max" => {
            let queries = body
                .get("queries")
                .and_then(Value::as_array)
                .ok_or_else(|| not_eval("dis_max without queries"))?;
            any(queries.iter().map(|q| matches(q, doc, ctx)))
        }
        "match" => field_query(body, "query", |field, params| {
            let op = operator(params.get("operator"))?;
            let lenient_flag = params
                .get("lenient")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            check_params(
                params,
                &[
                    "query",
                    "operator",
                    "lenient",
                    "boost",
                    "_name",
                    "auto_generate_synonyms_phrase_query",
                    "zero_terms_query",
                ],
            )?;
            let zero_terms_all =
                params.get("zero_terms_query").and_then(Value::as_str) == Some("all");
            let value = params.get("query").cloned().unwrap_or(Value::Null);
            // `zero_terms_query: all`: a text query the analyzer empties matches everything.
            if zero_terms_all {
                let empties = ctx.fields.get(field).is_some_and(|f| {
                    matches!(f.kind, Kind::Text { analyzer: None })
                        && analysis::standard(&value_text(&value)).is_empty()
                });
                if empties {
                    return Ok(true);
                }
            }
            each_field(ctx, doc, field, |f| {
                lenient(match_field(f, doc, &value, op), lenient_flag)
            })
        }),
        "match_phrase" => field_query(body, "query", |field, params| {
            check_params(
                params,
                &["query", "slop", "boost", "_name", "zero_terms_query"],
            )?;
            let slop = params.get("slop").and_then(Value::as_u64).unwrap_or(0);
            let value = params.get("query").cloned().unwrap_or(Value::Null);
            each_field(ctx, doc, field, |f| {
                lenient(phrase_field(f, doc, &value, slop), false)
            })
        }),
        "multi_match" => multi_match(body, doc, ctx),
        "term" => field_query(body, "value", |field, params| {
            check_params(params, &["value", "boost", "_name", "case_insensitive"])?;
            if params.get("case_insensitive").and_then(Value::as_bool) == Some(true) {
                return Err(not_eval("term with case_insensitive"));
            }
            let value = params.get("value").cloned().unwrap_or(Value::Null);
            each_field(ctx, doc, field, |f| {
                lenient(term_field(f, doc, &value), false)
            })
        }),
        "terms" => {
            let obj = body
                .as_object()
                .ok_or_else(|| not_eval("terms must be an object"))?;
            let (field, values) = obj
                .iter()
                .find(|(k, _)| k.as_str() != "boost" && k.as_str() != "_name")
                .ok_or_else(|| not_eval("terms without a field"))?;
            let values = values
                .as_array()
                .ok_or_else(|| not_eval("terms lookup (a terms query without a list of values)"))?;
            each_field(ctx, doc, field, |f| {
                any(values.iter().map(|v| lenient(term_field(f, doc, v), false)))
            })
        }
        "range" => field_query(body, "", |field, params| {
            check_params(
                params,
                &[
                    "gt",
                    "gte",
                    "lt",
                    "lte",
                    "from",
                    "to",
                    "include_lower",
                    "include_upper",
                    "format",
                    "time_zone",
                    "boost",
                    "_name",
                    "relation",
                ],
            )?;
            if params
                .get("relation")
                .and_then(Value::as_str)
                .is_some_and(|r| r != "intersects" && r != "INTERSECTS")
            {
                return Err(not_eval("range with a relation other than intersects"));
            }
            let range = Range::from_params(params)?;
            each_field(ctx, doc, field, |f| {
                lenient(range_field(f, doc, &range, ctx), false)
            })
        }),
        "exists" => {
            let field = body
                .get("field")
                .and_then(Value::as_str)
                .ok_or_else(|| not_eval("exists without field"))?;
            exists(field, doc, ctx)
        }
        "wildcard" | "prefix" => field_query(body, "value", |field, params| {
            check_params(
                params,
                &[
                    "value",
                    "wildcard",
                    "boost",
                    "_name",
                    "rewrite",
                    "case_insensitive",
                ],
            )?;
            if params.get("case_insensitive").and_then(Value::as_bool) == Some(true) {
                return Err(not_eval(format!("{kind} with case_insensitive")));
            }
            let value = params
                .get("value")
                .or_else(|| params.get("wildcard"))
                .and_then(Value::as_str)
                .ok_or_else(|| not_eval(format!("{kind} without a string value")))?;
            let pattern = if kind == "prefix" {
                Pattern::prefix(value)
            } else {
                Pattern::lucene_wildcard(value)
            };
            each_field(ctx, doc, field, |f| {
                lenient(pattern_field(f, doc, &pattern, false), false)
            })
        }),
        "regexp" => field_query(body, "value", |field, params| {
            check_params(
                params,
                &[
                    "value",
                    "flags",
                    "boost",
                    "_name",
                    "rewrite",
                    "max_determinized_states",
                    "case_insensitive",
                ],
            )?;
            if params.get("case_insensitive").and_then(Value::as_bool) == Some(true) {
                return Err(not_eval("regexp with case_insensitive"));
            }
            if params
                .get("flags")
                .and_then(Value::as_str)
                .is_some_and(|f| f != "ALL")
            {
                return Err(not_eval("regexp flags other than ALL"));
            }
            let value = params
                .get("value")
                .and_then(Value::as_str)
                .ok_or_else(|| not_eval("regexp without a string value"))?;
            each_field(ctx, doc, field, |f| {
                lenient(regexp_field(f, doc, value, false), false)
            })
        }),
        "query_string" => query_string::matches(body, doc, ctx),
        // `NestedQueryBuilder`: some object at `path` matches the query on its own (each is
        // a hidden document with the fields under `path`).
        "nested" => {
            let obj = body
                .as_object()
                .ok_or_else(|| not_eval("nested must be an object"))?;
            check_params(
                obj,
                &[
                    "path",
                    "query",
                    "score_mode",
                    "ignore_unmapped",
                    "boost",
                    "_name",
                ],
            )?;
            let path = obj
                .get("path")
                .and_then(Value::as_str)
                .ok_or_else(|| not_eval("nested without a path"))?;
            let inner = obj
                .get("query")
                .ok_or_else(|| not_eval("nested without a query"))?;
            if !ctx.fields.is_nested(path) {
                if obj.get("ignore_unmapped").and_then(Value::as_bool) == Some(true) {
                    return Ok(false);
                }
                return Err(not_eval(format!(
                    "OpenSearch rejects this query: [nested] failed to find nested object under path [{path}]"
                )));
            }
            // The parent of `path` must be the enclosing scope.
            let parent = path
                .rfind('.')
                .and_then(|dot| ctx.fields.nested_parent(&path[..dot]));
            if parent != ctx.nested {
                return Ok(false);
            }
            let scope = Ctx {
                fields: ctx.fields,
                now: ctx.now,
                has_meta: false,
                nested: Some(path),
            };
            // The sub-document of an enclosing scope holds its object under the scope's path,
            // so the full path reaches the objects here too.
            any(fields::values(doc, path)
                .into_iter()
                .filter(|o| o.is_object())
                .map(|o| {
                    let mut sub = serde_json::Map::new();
                    sub.insert(path.to_string(), o.clone());
                    matches(inner, &Value::Object(sub), &scope)
                }))
        }
        // `IdsQueryBuilder`.
        "ids" => {
            let values = body
                .get("values")
                .and_then(Value::as_array)
                .ok_or_else(|| not_eval("ids without values"))?;
            each_field(ctx, doc, "_id", |f| {
                any(values.iter().map(|v| lenient(term_field(f, doc, v), false)))
            })
        }
        other => Err(not_eval(format!("the `{other}` query"))),
    }
}

fn check_params(
    params: &serde_json::Map<String, Value>,
    known: &[&str],
) -> Result<(), NotEvaluated> {
    match params.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(not_eval(format!("the query parameter `{k}`"))),
        None => Ok(()),
    }
}

/// `{"field": value}` or `{"field": {params}}`; `short` names the parameter of the short form
/// (empty: only the long form).
fn field_query(
    body: &Value,
    short: &str,
    run: impl FnOnce(&str, &serde_json::Map<String, Value>) -> Result<bool, NotEvaluated>,
) -> Result<bool, NotEvaluated> {
    let obj = body
        .as_object()
        .ok_or_else(|| not_eval("the query body must be an object"))?;
    let mut entries = obj
        .iter()
        .filter(|(k, _)| k.as_str() != "boost" && k.as_str() != "_name");
    let (field, value) = entries
        .next()
        .ok_or_else(|| not_eval("a query without a field"))?;
    if entries.next().is_some() {
        return Err(not_eval("a field query with more than one field"));
    }
    let params = match value {
        Value::Object(p) => p.clone(),
        other if !short.is_empty() => {
            let mut p = serde_json::Map::new();
            p.insert(short.to_string(), other.clone());
            p
        }
        _ => return Err(not_eval("the short form of this query")),
    };
    run(field, &params)
}

/// Runs `run` on the field of `name` (an unmapped field matches nothing; a name with `*`
/// is a pattern in these queries only for `multi_match`/`query_string`).
fn each_field(
    ctx: &Ctx<'_>,
    doc: &Value,
    name: &str,
    run: impl FnOnce(&Field) -> Result<bool, NotEvaluated>,
) -> Result<bool, NotEvaluated> {
    fields::check_metadata(name, ctx.has_meta)?;
    if !ctx.fields.in_scope(name, ctx.nested) {
        return Ok(false);
    }
    match ctx.fields.get(name) {
        Some(f) => {
            f.check()?;
            run(&f)
        }
        None => {
            ctx.fields.check_unmapped(name, doc)?;
            Ok(false)
        }
    }
}

/// At least one true; an error only matters when nothing is true.
pub(crate) fn any(
    results: impl Iterator<Item = Result<bool, NotEvaluated>>,
) -> Result<bool, NotEvaluated> {
    let mut error = None;
    for r in results {
        match r {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(e) => {
                error.get_or_insert(e);
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(false),
    }
}

/// All true; an error only matters when nothing is false.
pub(crate) fn all(
    results: impl Iterator<Item = Result<bool, NotEvaluated>>,
) -> Result<bool, NotEvaluated> {
    let mut error = None;
    for r in results {
        match r {
            Ok(false) => return Ok(false),
            Ok(true) => {}
            Err(e) => {
                error.get_or_insert(e);
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(true),
    }
}

fn clauses(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    }
}

fn bool_query(body: &Value, doc: &Value, ctx: &Ctx<'_>) -> Result<bool, NotEvaluated> {
    let obj = body
        .as_object()
        .ok_or_else(|| not_eval("bool must be an object"))?;
    check_params(
        obj,
        &[
            "must",
            "filter",
            "should",
            "must_not",
            "minimum_should_match",
            "boost",
            "_name",
            "adjust_pure_negative",
        ],
    )?;
    let must: Vec<&Value> = clauses(obj.get("must"))
        .into_iter()
        .chain(clauses(obj.get("filter")))
        .collect();
    let should = clauses(obj.get("should"));
    let must_not = clauses(obj.get("must_not"));
    let msm = match obj.get("minimum_should_match") {
        None | Some(Value::Null) => {
            if must.is_empty() && !should.is_empty() {
                1
            } else {
                0
            }
        }
        Some(v) => minimum_should_match(v, should.len())?,
    };
    let required = all(must.iter().map(|q| matches(q, doc, ctx)));
    let excluded = any(must_not.iter().map(|q| matches(q, doc, ctx)));
    let optional = if msm == 0 {
        Ok(true)
    } else {
        let mut count = 0;
        let mut error = None;
        for q in &should {
            match matches(q, doc, ctx) {
                Ok(true) => count += 1,
                Ok(false) => {}
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        match error {
            _ if count >= msm => Ok(true),
            Some(e) => Err(e),
            None => Ok(false),
        }
    };
    let not_excluded = excluded.map(|b| !b);
    all([required, not_excluded, optional].into_iter())
}

/// `Queries.calculateMinShouldMatch` for the integer forms (`2`, `"2"`, `"-1"`) and
/// percentages.
fn minimum_should_match(v: &Value, clauses: usize) -> Result<usize, NotEvaluated> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        other => return Err(not_eval(format!("minimum_should_match {other}"))),
    };
    let n = clauses as i64;
    let result = if let Some(p) = text.strip_suffix('%') {
        let p: i64 = p
            .parse()
            .map_err(|_| not_eval(format!("minimum_should_match {text}")))?;
        let calc = n * p / 100;
        if p < 0 {
            n + calc
        } else {
            calc
        }
    } else {
        let k: i64 = text
            .parse()
            .map_err(|_| not_eval(format!("minimum_should_match {text}")))?;
        if k < 0 {
            n + k
        } else {
            k
        }
    };
    Ok(result.clamp(0, n.max(0)) as usize)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operator {
    Or,
    And,
}

fn operator(v: Option<&Value>) -> Result<Operator, NotEvaluated> {
    match v
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("or") => Ok(Operator::Or),
        Some("and") => Ok(Operator::And),
        Some(other) => Err(not_eval(format!("operator {other}"))),
    }
}

// ----- values of a field ------------------------------------------------------------------

/// The stored values of a field that are indexed as strings (keyword): a keyword value longer
/// than `ignore_above` is not indexed.
fn keyword_values(field: &Field, doc: &Value) -> Result<Vec<String>, FieldError> {
    let Kind::Keyword {
        ignore_above,
        normalizer,
    } = &field.kind
    else {
        unreachable!("keyword_values on a keyword field")
    };
    if let Some(n) = normalizer {
        return Err(not_eval(format!("field [{}] has the normalizer [{n}]", field.name)).into());
    }
    let mut out = Vec::new();
    for v in fields::values(doc, &field.source_path) {
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Number(_) | Value::Bool(_) => v.to_string(),
            _ => continue,
        };
        if ignore_above.is_some_and(|max| s.chars().count() > max) {
            continue;
        }
        out.push(s);
    }
    Ok(out)
}

/// The tokens of each value of a text field.
fn text_values(field: &Field, doc: &Value) -> Result<Vec<Vec<String>>, FieldError> {
    if let Kind::Text { analyzer: Some(a) } = &field.kind {
        return Err(not_eval(format!("field [{}] has the analyzer [{a}]", field.name)).into());
    }
    Ok(fields::values(doc, &field.source_path)
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(analysis::standard(s)),
            Value::Number(_) | Value::Bool(_) => Some(analysis::standard(&v.to_string())),
            _ => None,
        })
        .collect())
}

fn flat_values(field: &Field, doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for v in fields::values(doc, &field.source_path) {
        fields::flat_leaves(v, &mut out);
    }
    out
}

/// A numeric value: whole numbers exactly, the others as f64.
#[derive(Clone, Copy, PartialEq, PartialOrd, Debug)]
enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

fn cmp_num(a: Num, b: Num) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
        _ => a.as_f64().partial_cmp(&b.as_f64()),
    }
}

/// A value parsed for a numeric field (`NumberFieldMapper.NumberType.parse`, coercing
/// strings); whole-number types truncate a decimal part when indexing.
fn parse_num(kind: &Kind, v: &Value) -> Result<Num, String> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        other => return Err(format!("[{other}] is not a number")),
    };
    let f: f64 = text
        .parse()
        .map_err(|_| format!("For input string: \"{text}\""))?;
    match kind {
        Kind::Integer(_) => match text.parse::<i128>() {
            Ok(i) => Ok(Num::Int(i)),
            Err(_) => Ok(Num::Int(f.trunc() as i128)).and_then(|n| {
                if f.is_finite() {
                    Ok(n)
                } else {
                    Err(format!("[{text}] is not a whole number"))
                }
            }),
        },
        Kind::Float(_) => Ok(Num::Float(round_float(kind, f))),
        // `ScaledFloatFieldMapper`: `Math.round(value * scalingFactor)`.
        Kind::Scaled(factor) => Ok(Num::Int(java_round(f * factor) as i128)),
        _ => Err("not a number field".into()),
    }
}

fn num_values(field: &Field, doc: &Value) -> Result<Vec<Num>, FieldError> {
    Ok(fields::values(doc, &field.source_path)
        .into_iter()
        .filter_map(|v| parse_num(&field.kind, v).ok())
        .collect())
}

/// Java's `Math.round(double)`: `floor(x + 0.5)`.
fn java_round(x: f64) -> i64 {
    (x + 0.5).floor() as i64
}

/// A value as the field stores it: `float` in single precision, `half_float` in half
/// precision (IEEE 754 binary16, round to nearest even), `double` as is.
fn round_float(kind: &Kind, f: f64) -> f64 {
    match kind {
        Kind::Float("float") => f as f32 as f64,
        Kind::Float("half_float") => to_half(f as f32),
        _ => f,
    }
}

/// `f` rounded to the nearest IEEE 754 half-precision value (ties to even).
fn to_half(f: f32) -> f64 {
    let x = f as f64;
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let a = x.abs();
    // Largest half 65504; from 65520 on, the value rounds to infinity.
    if a >= 65520.0 {
        return f64::INFINITY.copysign(x);
    }
    let exp = a.log2().floor() as i32;
    // Subnormals have the fixed quantum 2^-24.
    let quantum = 2f64.powi(exp.max(-14) - 10);
    let q = a / quantum;
    let mut r = q.round();
    if (q - q.floor() - 0.5).abs() < f64::EPSILON && r % 2.0 != 0.0 {
        r -= 1.0;
    }
    (r * quantum).copysign(x)
}

/// An IP, or a CIDR block.
#[derive(Clone, Copy, Debug)]
enum IpQuery {
    One(IpAddr),
    Cidr(IpAddr, u8),
}

fn ip_bits(ip: IpAddr) -> u128 {
    match ip {
        // IPv4 is indexed as its IPv4-mapped IPv6 address (`InetAddressPoint`).
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

fn parse_ip_query(text: &str) -> Result<IpQuery, String> {
    if let Some((addr, prefix)) = text.split_once('/') {
        let ip: IpAddr = addr
            .parse()
            .map_err(|_| format!("'{text}' is not an IP string literal."))?;
        let prefix: u8 = prefix
            .parse()
            .map_err(|_| format!("'{text}' is not a CIDR"))?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        if prefix > max {
            return Err(format!("Illegal prefix length {prefix} for {text}"));
        }
        let prefix = if ip.is_ipv4() { prefix + 96 } else { prefix };
        return Ok(IpQuery::Cidr(ip, prefix));
    }
    text.parse::<IpAddr>()
        .map(IpQuery::One)
        .map_err(|_| format!("'{text}' is not an IP string literal."))
}

fn ip_values(field: &Field, doc: &Value) -> Vec<u128> {
    fields::values(doc, &field.source_path)
        .into_iter()
        .filter_map(|v| v.as_str()?.parse::<IpAddr>().ok().map(ip_bits))
        .collect()
}

fn ip_matches(q: IpQuery, v: u128) -> bool {
    match q {
        IpQuery::One(ip) => ip_bits(ip) == v,
        IpQuery::Cidr(ip, prefix) => {
            let mask = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix))
            };
            ip_bits(ip) & mask == v & mask
        }
    }
}

/// The stored dates; a value the format does not parse was dropped by `ignore_malformed`
/// (else the document would not have been indexed), one whose format is not implemented
/// offline is not evaluated.
fn date_values(field: &Field, doc: &Value) -> Result<Vec<i64>, FieldError> {
    let Kind::Date { format } = &field.kind else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for v in fields::values(doc, &field.source_path) {
        match dates::stored_millis(format, v) {
            Ok(ms) => out.push(ms),
            Err(e) if e.contains("not implemented offline") => {
                return Err(
                    not_eval(format!("the date [{v}] of field [{}]: {e}", field.name)).into(),
                )
            }
            Err(_) => {}
        }
    }
    Ok(out)
}

fn bool_values(field: &Field, doc: &Value) -> Vec<bool> {
    fields::values(doc, &field.source_path)
        .into_iter()
        .filter_map(|v| match v {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" || s.is_empty() => Some(false),
            _ => None,
        })
        .collect()
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

// ----- field-level queries ---------------------------------------------------------------

/// `MappedFieldType.termQuery`.
pub(crate) fn term_field(field: &Field, doc: &Value, value: &Value) -> Result<bool, FieldError> {
    if value.is_null() {
        return Err(not_eval("OpenSearch rejects this query: a null query value").into());
    }
    match &field.kind {
        Kind::Keyword { .. } => {
            let q = value_text(value);
            Ok(keyword_values(field, doc)?.contains(&q))
        }
        Kind::Text { .. } => {
            let q = value_text(value);
            Ok(text_values(field, doc)?.iter().flatten().any(|t| *t == q))
        }
        Kind::FlatObject => {
            let q = value_text(value);
            Ok(flat_values(field, doc).contains(&q))
        }
        Kind::Integer(_) | Kind::Float(_) | Kind::Scaled(_) => {
            let values = num_values(field, doc)?;
            // `NumberFieldMapper`: a whole-number field and a value with a decimal part
            // match nothing.
            let f = match value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            if matches!(field.kind, Kind::Integer(_)) && f.is_some_and(|f| f.fract() != 0.0) {
                return Ok(false);
            }
            let q = parse_num(&field.kind, value).map_err(FieldError::Invalid)?;
            Ok(values
                .iter()
                .any(|v| cmp_num(*v, q) == Some(std::cmp::Ordering::Equal)))
        }
        Kind::Ip => {
            let q = parse_ip_query(&value_text(value)).map_err(FieldError::Invalid)?;
            Ok(ip_values(field, doc).into_iter().any(|v| ip_matches(q, v)))
        }
        Kind::Boolean => {
            let q = match value {
                Value::Bool(b) => *b,
                Value::String(s) if s == "true" => true,
                Value::String(s) if s == "false" => false,
                other => {
                    return Err(FieldError::Invalid(format!(
                        "Failed to parse value [{}] as only [true] or [false] are allowed.",
                        value_text(other)
                    )))
                }
            };
            Ok(bool_values(field, doc).contains(&q))
        }
        Kind::Date { .. } => Err(not_eval("a term on a date field needs the range path").into()),
        Kind::Other(t) => {
            Err(not_eval(format!("queries on the `{t}` field [{}]", field.name)).into())
        }
    }
}

/// A term query, with dates as the range `[v, v]` (`DateFieldType.termQuery`).
pub(crate) fn term_or_date(
    field: &Field,
    doc: &Value,
    value: &Value,
    ctx: &Ctx<'_>,
    tz: Option<&str>,
) -> Result<bool, FieldError> {
    if matches!(field.kind, Kind::Date { .. }) {
        let range = Range {
            low: Some((value.clone(), true)),
            high: Some((value.clone(), true)),
            format: None,
            time_zone: tz.map(str::to_string),
        };
        return range_field(field, doc, &range, ctx);
    }
    term_field(field, doc, value)
}

/// `MatchQuery` of type boolean.
pub(crate) fn match_field(
    field: &Field,
    doc: &Value,
    value: &Value,
    op: Operator,
) -> Result<bool, FieldError> {
    if value.is_null() {
        return Err(not_eval("OpenSearch rejects this query: a null query value").into());
    }
    match &field.kind {
        Kind::Text { .. } => {
            let terms = analysis::standard(&value_text(value));
            if terms.is_empty() {
                return Ok(false);
            }
            let tokens: Vec<String> = text_values(field, doc)?.into_iter().flatten().collect();
            let has = |t: &String| tokens.contains(t);
            Ok(match op {
                Operator::Or => terms.iter().any(has),
                Operator::And => terms.iter().all(has),
            })
        }
        Kind::Date { .. } => Err(not_eval("match on a date field").into()),
        _ => term_field(field, doc, value),
    }
}

/// `MatchQuery` of type phrase.
pub(crate) fn phrase_field(
    field: &Field,
    doc: &Value,
    value: &Value,
    slop: u64,
) -> Result<bool, FieldError> {
    if value.is_null() {
        return Err(not_eval("OpenSearch rejects this query: a null query value").into());
    }
    match &field.kind {
        Kind::Text { .. } => {
            let terms = analysis::standard(&value_text(value));
            if terms.is_empty() {
                return Ok(false);
            }
            let values = text_values(field, doc)?;
            if slop == 0 {
                // Each array element is its own run of positions (`position_increment_gap`
                // 100 keeps an exact phrase from crossing elements).
                return Ok(values
                    .iter()
                    .any(|tokens| tokens.windows(terms.len()).any(|w| w == terms.as_slice())));
            }
            sloppy_phrase(&values, &terms, slop)
        }
        Kind::Date { .. } => Err(not_eval("match_phrase on a date field").into()),
        _ => term_field(field, doc, value),
    }
}

/// `SloppyPhraseMatcher` for terms that do not repeat: the phrase matches when each term `i`
/// has a position `p_i` such that the spread of `p_i - i` is at most `slop` (a transposition
/// costs 2). Array elements are `position_increment_gap` (100) positions apart.
fn sloppy_phrase(values: &[Vec<String>], terms: &[String], slop: u64) -> Result<bool, FieldError> {
    for (i, t) in terms.iter().enumerate() {
        if terms[..i].contains(t) {
            return Err(not_eval("a sloppy phrase with a repeated term").into());
        }
    }
    // (phrase position, term index)
    let mut events: Vec<(i64, usize)> = Vec::new();
    let mut offset: i64 = 0;
    for tokens in values {
        for (j, tok) in tokens.iter().enumerate() {
            for (i, t) in terms.iter().enumerate() {
                if t == tok {
                    events.push((offset + j as i64 - i as i64, i));
                }
            }
        }
        offset += tokens.len() as i64 + 100;
    }
    events.sort_unstable();
    // The narrowest window of phrase positions holding every term.
    let mut counts = vec![0usize; terms.len()];
    let mut covered = 0;
    let mut lo = 0;
    for hi in 0..events.len() {
        let (_, t) = events[hi];
        if counts[t] == 0 {
            covered += 1;
        }
        counts[t] += 1;
        while covered == terms.len() {
            if (events[hi].0 - events[lo].0) as u64 <= slop {
                return Ok(true);
            }
            let (_, tl) = events[lo];
            counts[tl] -= 1;
            if counts[tl] == 0 {
                covered -= 1;
            }
            lo += 1;
        }
    }
    Ok(false)
}

/// A range's bounds (`from`/`to` with `include_*`, or `gt`/`gte`/`lt`/`lte`).
#[derive(Clone, Debug)]
pub(crate) struct Range {
    /// (value, inclusive)
    pub(crate) low: Option<(Value, bool)>,
    pub(crate) high: Option<(Value, bool)>,
    pub(crate) format: Option<String>,
    pub(crate) time_zone: Option<String>,
}

impl Range {
    fn from_params(p: &serde_json::Map<String, Value>) -> Result<Range, NotEvaluated> {
        let some = |k: &str| p.get(k).filter(|v| !v.is_null()).cloned();
        let include_lower = p
            .get("include_lower")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let include_upper = p
            .get("include_upper")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut low = some("from").map(|v| (v, include_lower));
        let mut high = some("to").map(|v| (v, include_upper));
        if let Some(v) = some("gt") {
            low = Some((v, false));
        }
        if let Some(v) = some("gte") {
            low = Some((v, true));
        }
        if let Some(v) = some("lt") {
            high = Some((v, false));
        }
        if let Some(v) = some("lte") {
            high = Some((v, true));
        }
        Ok(Range {
            low,
            high,
            format: p.get("format").and_then(Value::as_str).map(str::to_string),
            time_zone: p
                .get("time_zone")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }
}

fn next_up(d: f64) -> f64 {
    if d.is_nan() || d == f64::INFINITY {
        return d;
    }
    if d == 0.0 {
        return f64::from_bits(1);
    }
    let bits = d.to_bits();
    f64::from_bits(if d > 0.0 { bits + 1 } else { bits - 1 })
}

fn next_down(d: f64) -> f64 {
    -next_up(-d)
}

fn in_range<T: PartialOrd>(v: &T, low: Option<(&T, bool)>, high: Option<(&T, bool)>) -> bool {
    let lo = match low {
        None => true,
        Some((l, true)) => v >= l,
        Some((l, false)) => v > l,
    };
    let hi = match high {
        None => true,
        Some((h, true)) => v <= h,
        Some((h, false)) => v < h,
    };
    lo && hi
}

/// `MappedFieldType.rangeQuery`.
pub(crate) fn range_field(
    field: &Field,
    doc: &Value,
    r: &Range,
    ctx: &Ctx<'_>,
) -> Result<bool, FieldError> {
    match &field.kind {
        Kind::Date { format } => {
            let tz = match &r.time_zone {
                Some(name) => dates::time_zone(name).map_err(FieldError::Invalid)?,
                None => TimeZone::UTC,
            };
            let format = r.format.as_deref().unwrap_or(format);
            // `DateFieldType.parseToLong`: `gt` and `lte` round up.
            let bound = |b: &Option<(Value, bool)>,
                         upper: bool|
             -> Result<Option<(i64, bool)>, FieldError> {
                match b {
                    None => Ok(None),
                    Some((v, inclusive)) => {
                        let round_up = if upper { *inclusive } else { !*inclusive };
                        let ms = match v {
                            Value::Number(n) if format.split("||").any(|p| p == "epoch_millis") => {
                                n.as_i64()
                                    .ok_or_else(|| FieldError::Invalid(format!("[{n}]")))?
                            }
                            other => dates::query_millis(
                                &value_text(other),
                                format,
                                &tz,
                                ctx.now,
                                round_up,
                            )
                            .map_err(|e| {
                                if e.contains("not implemented offline") {
                                    FieldError::NotEvaluated(not_eval(e))
                                } else {
                                    FieldError::Invalid(e)
                                }
                            })?,
                        };
                        Ok(Some((ms, *inclusive)))
                    }
                }
            };
            let low = bound(&r.low, false)?;
            let high = bound(&r.high, true)?;
            Ok(date_values(field, doc)?.iter().any(|v| {
                in_range(
                    v,
                    low.as_ref().map(|(x, i)| (x, *i)),
                    high.as_ref().map(|(x, i)| (x, *i)),
                )
            }))
        }
        Kind::Scaled(factor) => {
            // `ScaledFloatFieldType.rangeQuery`: the bounds scaled, `nextUp`/`nextDown` when
            // exclusive, then `ceil`/`floor`, inclusive.
            let values = num_values(field, doc)?;
            let scaled =
                |b: &Option<(Value, bool)>, upper: bool| -> Result<Option<i64>, FieldError> {
                    let Some((v, inc)) = b else { return Ok(None) };
                    let f = match v {
                        Value::Number(n) => n.as_f64(),
                        Value::String(s) => s.trim().parse::<f64>().ok(),
                        _ => None,
                    }
                    .ok_or_else(|| {
                        FieldError::Invalid(format!("For input string: \"{}\"", value_text(v)))
                    })?;
                    let mut d = f * factor;
                    if !inc {
                        d = if upper { next_down(d) } else { next_up(d) };
                    }
                    Ok(Some(java_round(if upper { d.floor() } else { d.ceil() })))
                };
            let lo = scaled(&r.low, false)?;
            let hi = scaled(&r.high, true)?;
            Ok(values.iter().any(|v| {
                let Num::Int(v) = *v else { return false };
                lo.is_none_or(|l| v >= i128::from(l)) && hi.is_none_or(|h| v <= i128::from(h))
            }))
        }
        Kind::Integer(_) | Kind::Float(_) => {
            let values = num_values(field, doc)?;
            let kind = field.kind.clone();
            let bound = |b: &Option<(Value, bool)>| -> Result<Option<(f64, bool)>, FieldError> {
                match b {
                    None => Ok(None),
                    Some((v, inc)) => {
                        let f = match v {
                            Value::Number(n) => n.as_f64(),
                            Value::String(s) => s.trim().parse::<f64>().ok(),
                            _ => None,
                        }
                        .ok_or_else(|| {
                            FieldError::Invalid(format!("For input string: \"{}\"", value_text(v)))
                        })?;
                        // The bound is converted to the field's precision too.
                        Ok(Some((round_float(&kind, f), *inc)))
                    }
                }
            };
            let low = bound(&r.low)?;
            let high = bound(&r.high)?;
            Ok(values.iter().any(|v| {
                let v = v.as_f64();
                in_range(
                    &v,
                    low.as_ref().map(|(x, i)| (x, *i)),
                    high.as_ref().map(|(x, i)| (x, *i)),
                )
            }))
        }
        Kind::Ip => {
            let bound = |b: &Option<(Value, bool)>| -> Result<Option<(u128, bool)>, FieldError> {
                match b {
                    None => Ok(None),
                    Some((v, inc)) => {
                        match parse_ip_query(&value_text(v)).map_err(FieldError::Invalid)? {
                            IpQuery::One(ip) => Ok(Some((ip_bits(ip), *inc))),
                            IpQuery::Cidr(..) => {
                                Err(FieldError::Invalid("a CIDR as a range bound".into()))
                            }
                        }
                    }
                }
            };
            let low = bound(&r.low)?;
            let high = bound(&r.high)?;
            Ok(ip_values(field, doc).iter().any(|v| {
                in_range(
                    v,
                    low.as_ref().map(|(x, i)| (x, *i)),
                    high.as_ref().map(|(x, i)| (x, *i)),
                )
            }))
        }
        Kind::Keyword { .. } | Kind::Text { .. } | Kind::FlatObject => {
            let low = r.low.as_ref().map(|(v, i)| (value_text(v), *i));
            let high = r.high.as_ref().map(|(v, i)| (value_text(v), *i));
            let values: Vec<String> = match &field.kind {
                Kind::Keyword { .. } => keyword_values(field, doc)?,
                Kind::Text { .. } => text_values(field, doc)?.into_iter().flatten().collect(),
                _ => flat_values(field, doc),
            };
            // Terms compare as UTF-8 bytes (`BytesRef`), as `str` ordering does.
            Ok(values.iter().any(|v| {
                in_range(
                    v,
                    low.as_ref().map(|(x, i)| (x, *i)),
                    high.as_ref().map(|(x, i)| (x, *i)),
                )
            }))
        }
        Kind::Boolean => Err(not_eval("a range on a boolean field").into()),
        Kind::Other(t) => {
            Err(not_eval(format!("queries on the `{t}` field [{}]", field.name)).into())
        }
    }
}

/// `ExistsQueryBuilder`: a mapped field with an indexed value, or an object with such a
/// field under it; a pattern expands.
pub(crate) fn exists(name: &str, doc: &Value, ctx: &Ctx<'_>) -> Result<bool, NotEvaluated> {
    let fields = ctx.fields;
    fields::check_metadata(name, ctx.has_meta)?;
    let names: Vec<String> = if name.contains('*') {
        fields
            .names()
            .filter(|n| simple_match(name, n))
            .map(str::to_string)
            .collect()
    } else if fields.get(name).is_some() {
        vec![name.to_string()]
    } else if fields.is_object(name) {
        let prefix = format!("{name}.");
        fields
            .names()
            .filter(|n| n.starts_with(&prefix))
            .map(str::to_string)
            .collect()
    } else {
        fields.check_unmapped(name, doc)?;
        Vec::new()
    };
    any(names.iter().map(|n| {
        if !fields.in_scope(n, ctx.nested) {
            return Ok(false);
        }
        let Some(f) = fields.get(n) else {
            return Ok(false);
        };
        f.check()?;
        Ok(match &f.kind {
            Kind::Keyword { .. } => lenient(keyword_values(&f, doc).map(|v| !v.is_empty()), false)?,
            Kind::Text { .. } => !fields::values(doc, &f.source_path).is_empty(),
            Kind::FlatObject => !flat_values(&f, doc).is_empty(),
            Kind::Integer(_) | Kind::Float(_) | Kind::Scaled(_) => {
                lenient(num_values(&f, doc).map(|v| !v.is_empty()), false)?
            }
            Kind::Ip => !ip_values(&f, doc).is_empty(),
            Kind::Date { .. } => lenient(date_values(&f, doc).map(|v| !v.is_empty()), false)?,
            Kind::Boolean => !bool_values(&f, doc).is_empty(),
            Kind::Other(_) => !fields::values(doc, &f.source_path).is_empty(),
        })
    }))
}

/// `Regex.simpleMatch`: `*` matches any run of characters.
pub(crate) fn simple_match(pattern: &str, s: &str) -> bool {
    Pattern::simple(pattern).is_match(s)
}

/// A wildcard pattern (`*` any run, `?` one character).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Pattern(pub(crate) Vec<Pat>);

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pat {
    Char(char),
    One,
    Any,
}

impl Pattern {
    fn simple(p: &str) -> Pattern {
        Pattern(
            p.chars()
                .map(|c| if c == '*' { Pat::Any } else { Pat::Char(c) })
                .collect(),
        )
    }

    /// `WildcardQuery.toAutomaton`: `*`, `?`, and `\` escaping the next character.
    pub(crate) fn lucene_wildcard(p: &str) -> Pattern {
        let mut out = Vec::new();
        let mut chars = p.chars();
        while let Some(c) = chars.next() {
            match c {
                '*' => out.push(Pat::Any),
                '?' => out.push(Pat::One),
                '\\' => match chars.next() {
                    Some(n) => out.push(Pat::Char(n)),
                    None => out.push(Pat::Char('\\')),
                },
                c => out.push(Pat::Char(c)),
            }
        }
        Pattern(out)
    }

    pub(crate) fn prefix(p: &str) -> Pattern {
        let mut out: Vec<Pat> = p.chars().map(Pat::Char).collect();
        out.push(Pat::Any);
        Pattern(out)
    }

    pub(crate) fn lowercase(&self) -> Pattern {
        Pattern(
            self.0
                .iter()
                .flat_map(|p| match p {
                    Pat::Char(c) => c.to_lowercase().map(Pat::Char).collect::<Vec<_>>(),
                    other => vec![other.clone()],
                })
                .collect(),
        )
    }

    pub(crate) fn is_match(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        // Classic two-pointer glob matching with backtracking on the last `*`.
        let p = &self.0;
        let (mut i, mut j) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while i < chars.len() {
            if j < p.len() && (matches!(p[j], Pat::One) || p[j] == Pat::Char(chars[i])) {
                i += 1;
                j += 1;
            } else if j < p.len() && p[j] == Pat::Any {
                star = Some((j, i));
                j += 1;
            } else if let Some((sj, si)) = star {
                j = sj + 1;
                i = si + 1;
                star = Some((sj, si + 1));
            } else {
                return false;
            }
        }
        while j < p.len() && p[j] == Pat::Any {
            j += 1;
        }
        j == p.len()
    }
}

/// A wildcard or prefix query on a field: a keyword's whole value, a text field's tokens
/// (the pattern normalized by the search analyzer, which lowercases, when `normalize`).
pub(crate) fn pattern_field(
    field: &Field,
    doc: &Value,
    pattern: &Pattern,
    normalize: bool,
) -> Result<bool, FieldError> {
    match &field.kind {
        Kind::Keyword { .. } => Ok(keyword_values(field, doc)?
            .iter()
            .any(|v| pattern.is_match(v))),
        Kind::FlatObject => Ok(flat_values(field, doc).iter().any(|v| pattern.is_match(v))),
        Kind::Text { .. } => {
            let pattern = if normalize {
                pattern.lowercase()
            } else {
                pattern.clone()
            };
            Ok(text_values(field, doc)?
                .iter()
                .flatten()
                .any(|t| pattern.is_match(t)))
        }
        Kind::Other(t) => {
            Err(not_eval(format!("queries on the `{t}` field [{}]", field.name)).into())
        }
        _ => Err(FieldError::Invalid(format!(
            "Can only use wildcard queries on keyword and text fields - not on [{}]",
            field.name
        ))),
    }
}

/// A regular expression over a field's terms: a keyword's whole value, a text field's tokens
/// (the expression lowercased first when `normalize`, as `QueryParserBase.getRegexpQuery`
/// normalizes it with the search analyzer); fields without terms (numbers, ips, dates: points)
/// match nothing.
pub(crate) fn regexp_field(
    field: &Field,
    doc: &Value,
    source: &str,
    normalize: bool,
) -> Result<bool, FieldError> {
    let compile = |text: &str| match super::regexp::Regexp::parse(text) {
        Ok(re) => Ok(re),
        Err(Ok(syntax)) => Err(FieldError::Invalid(format!(
            "invalid regular expression /{text}/: {syntax}"
        ))),
        Err(Err(not)) => Err(FieldError::NotEvaluated(not)),
    };
    match &field.kind {
        Kind::Keyword { .. } => {
            let re = compile(source)?;
            Ok(keyword_values(field, doc)?.iter().any(|v| re.is_match(v)))
        }
        Kind::FlatObject => {
            let re = compile(source)?;
            Ok(flat_values(field, doc).iter().any(|v| re.is_match(v)))
        }
        Kind::Text { .. } => {
            let re = if normalize {
                compile(&source.to_lowercase())?
            } else {
                compile(source)?
            };
            Ok(text_values(field, doc)?
                .iter()
                .flatten()
                .any(|t| re.is_match(t)))
        }
        Kind::Integer(_) | Kind::Float(_) | Kind::Scaled(_) | Kind::Ip | Kind::Date { .. } => {
            compile(source)?;
            Ok(false)
        }
        Kind::Boolean => Err(not_eval("a regular expression on a boolean field").into()),
        Kind::Other(t) => {
            Err(not_eval(format!("queries on the `{t}` field [{}]", field.name)).into())
        }
    }
}

/// `multi_match` (`best_fields`, `phrase`; `most_fields` and `cross_fields` match the same
/// documents as `best_fields` for one analyzer and are evaluated so too).
fn multi_match(body: &Value, doc: &Value, ctx: &Ctx<'_>) -> Result<bool, NotEvaluated> {
    let obj = body
        .as_object()
        .ok_or_else(|| not_eval("multi_match must be an object"))?;
    check_params(
        obj,
        &[
            "query",
            "fields",
            "type",
            "lenient",
            "operator",
            "boost",
            "_name",
            "zero_terms_query",
            "tie_breaker",
        ],
    )?;
    let value = obj.get("query").cloned().unwrap_or(Value::Null);
    let kind = obj
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("best_fields");
    let lenient_flag = obj.get("lenient").and_then(Value::as_bool).unwrap_or(false);
    let op = operator(obj.get("operator"))?;
    // `cross_fields` with `and` looks for each term in any field: other documents than
    // per-field `and`.
    if op == Operator::And && kind == "cross_fields" {
        return Err(not_eval(
            "multi_match of type cross_fields with operator and",
        ));
    }
    if obj.get("zero_terms_query").and_then(Value::as_str) == Some("all") {
        return Err(not_eval("multi_match with zero_terms_query: all"));
    }
    let patterns: Vec<String> = match obj.get("fields").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => list
            .iter()
            .filter_map(Value::as_str)
            .map(|f| f.split('^').next().unwrap_or(f).to_string())
            .collect(),
        _ => vec!["*".to_string()],
    };
    let names = expand_fields(&patterns, ctx.fields);
    let all_fields = patterns.iter().any(|p| p == "*");
    any(names.iter().map(|name| {
        let Some(f) = ctx.fields.get(name) else {
            return Ok(false);
        };
        if !ctx.fields.in_scope(name, ctx.nested) {
            return Ok(false);
        }
        if all_fields && !searchable_by_all(&f) {
            return Ok(false);
        }
        f.check()?;
        let r = match kind {
            "best_fields" | "most_fields" | "cross_fields" => {
                match_field_or_date(&f, doc, &value, op, ctx)
            }
            "phrase" => {
                if matches!(f.kind, Kind::Date { .. }) {
                    term_or_date(&f, doc, &value, ctx, None)
                } else {
                    phrase_field(&f, doc, &value, 0)
                }
            }
            other => return Err(not_eval(format!("multi_match of type {other}"))),
        };
        lenient(r, lenient_flag)
    }))
}

fn match_field_or_date(
    f: &Field,
    doc: &Value,
    value: &Value,
    op: Operator,
    ctx: &Ctx<'_>,
) -> Result<bool, FieldError> {
    if matches!(f.kind, Kind::Date { .. }) {
        return term_or_date(f, doc, value, ctx, None);
    }
    match_field(f, doc, value, op)
}

/// `QueryParserHelper.resolveMappingFields` with `*`: fields whose type cannot be searched
/// with a term (geo_point, ...) are skipped.
pub(crate) fn searchable_by_all(f: &Field) -> bool {
    !matches!(f.kind, Kind::Other(_))
}

/// Field patterns (`*`, `user.*`) expanded over the mapped fields; a concrete name stays
/// (mapped or not).
pub(crate) fn expand_fields(patterns: &[String], fields: &Fields) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in patterns {
        if p.contains('*') {
            for n in fields.names().filter(|n| simple_match(p, n)) {
                if !out.iter().any(|o| o == n) {
                    out.push(n.to_string());
                }
            }
        } else if !out.contains(p) {
            out.push(p.clone());
        }
    }
    out
}

pub(crate) use term_or_date as term_query;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields() -> Fields {
        Fields::from_mapping(&json!({"properties": {
            "message": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 20}}},
            "event": {"properties": {"action": {"type": "keyword"}, "severity": {"type": "long"}}},
            "source": {"properties": {"ip": {"type": "ip"}, "port": {"type": "long"}}},
            "score": {"type": "float"},
            "@timestamp": {"type": "date"},
            "archived": {"type": "boolean"},
            "req": {"type": "flat_object"},
            "loc": {"type": "geo_point"}
        }}))
    }

    fn doc() -> Value {
        json!({
            "@timestamp": "2026-11-26T12:00:00Z",
            "message": "Failed password for invalid user admin from 203.0.113.10",
            "event": {"action": "failed-password", "severity": 7},
            "source.ip": "203.0.113.10",
            "source": {"port": "2222"},
            "score": 0.1,
            "archived": false,
            "req": {"a": {"b": "x"}, "n": 5},
        })
    }

    fn m(q: Value) -> Result<bool, NotEvaluated> {
        let f = fields();
        let ctx = Ctx {
            fields: &f,
            now: "2026-11-27T00:00:00Z".parse().unwrap(),
            has_meta: false,
            nested: None,
        };
        matches(&q, &doc(), &ctx)
    }

    fn yes(q: Value) {
        assert_eq!(m(q.clone()), Ok(true), "{q}");
    }

    fn no(q: Value) {
        assert_eq!(m(q.clone()), Ok(false), "{q}");
    }

    #[test]
    fn keyword_is_exact_and_case_sensitive() {
        yes(json!({"match": {"event.action": "failed-password"}}));
        no(json!({"match": {"event.action": "Failed-password"}}));
        no(json!({"match": {"event.action": "failed"}}));
        yes(json!({"term": {"event.action": {"value": "failed-password"}}}));
        // Over ignore_above: not indexed.
        no(
            json!({"term": {"message.keyword": "Failed password for invalid user admin from 203.0.113.10"}}),
        );
        no(json!({"exists": {"field": "message.keyword"}}));
        yes(json!({"exists": {"field": "message"}}));
    }

    #[test]
    fn text_is_analyzed() {
        yes(json!({"match": {"message": "PASSWORD nothing"}}));
        no(json!({"match": {"message": {"query": "password nothing", "operator": "and"}}}));
        yes(json!({"match_phrase": {"message": "invalid user"}}));
        no(json!({"match_phrase": {"message": "user invalid"}}));
        yes(json!({"term": {"message": "failed"}}));
        no(json!({"term": {"message": "Failed"}}));
    }

    #[test]
    fn numbers_ips_dates_booleans() {
        yes(json!({"match": {"event.severity": 7}}));
        yes(json!({"match": {"event.severity": "7"}}));
        no(json!({"term": {"event.severity": 7.5}}));
        yes(json!({"range": {"event.severity": {"gte": 7}}}));
        no(json!({"range": {"event.severity": {"gt": 7}}}));
        yes(json!({"match": {"source.port": 2222}}));
        yes(json!({"term": {"score": 0.1}}));
        assert!(m(json!({"match": {"event.severity": "high"}})).is_err());
        no(json!({"match": {"event.severity": {"query": "high", "lenient": true}}}));
        yes(json!({"term": {"source.ip": "203.0.113.0/24"}}));
        no(json!({"term": {"source.ip": "10.0.0.0/8"}}));
        yes(json!({"range": {"source.ip": {"gte": "203.0.113.0", "lte": "203.0.113.255"}}}));
        yes(json!({"range": {"@timestamp": {"gte": "now-1d/d"}}}));
        no(json!({"range": {"@timestamp": {"gte": "now/d"}}}));
        yes(json!({"range": {"@timestamp": {"gte": "2026-11-26", "lte": "2026-11-26"}}}));
        no(
            json!({"range": {"@timestamp": {"gte": "2026-11-26", "lte": "2026-11-26", "time_zone": "+13:00"}}}),
        );
        yes(json!({"match": {"archived": false}}));
        yes(json!({"match": {"archived": "false"}}));
        no(json!({"match": {"archived": true}}));
    }

    #[test]
    fn flat_object_leaves_and_unmapped_fields() {
        yes(json!({"match": {"req": "x"}}));
        yes(json!({"match": {"req.a.b": "x"}}));
        yes(json!({"match": {"req": "5"}}));
        no(json!({"match": {"req.a.b": "y"}}));
        no(json!({"match": {"nope": "x"}}));
        no(json!({"exists": {"field": "nope"}}));
        yes(json!({"exists": {"field": "source"}}));
    }

    #[test]
    fn bool_semantics() {
        let t = json!({"match": {"event.action": "failed-password"}});
        let f = json!({"match": {"event.action": "x"}});
        yes(json!({"bool": {"should": [f, t], "minimum_should_match": 1}}));
        no(json!({"bool": {"should": [f, t], "minimum_should_match": 2}}));
        no(json!({"bool": {"must": t, "must_not": [t]}}));
        yes(json!({"bool": {"must_not": f}}));
        yes(json!({"bool": {"filter": [t], "should": [f]}}));
        no(json!({"bool": {"should": [f]}}));
        yes(json!({"bool": {}}));
        // A known answer wins over an error elsewhere.
        no(json!({"bool": {"filter": [f, {"geo_distance": {}}]}}));
        assert!(m(json!({"bool": {"filter": [t, {"geo_distance": {}}]}})).is_err());
    }

    #[test]
    fn multi_match_over_all_fields_is_lenient() {
        yes(json!({"multi_match": {"type": "best_fields", "query": "admin", "lenient": true}}));
        yes(
            json!({"multi_match": {"type": "best_fields", "query": "203.0.113.10", "lenient": true}}),
        );
        yes(json!({"multi_match": {"type": "phrase", "query": "invalid user", "lenient": true}}));
        no(json!({"multi_match": {"type": "phrase", "query": "user invalid", "lenient": true}}));
        yes(json!({"multi_match": {"type": "best_fields", "query": 7, "lenient": true}}));
        no(json!({"multi_match": {"type": "best_fields", "query": "nothing", "lenient": true}}));
    }

    #[test]
    fn wildcards_and_prefixes() {
        yes(json!({"wildcard": {"event.action": "failed-*"}}));
        yes(json!({"wildcard": {"event.action": "f?iled-*"}}));
        no(json!({"wildcard": {"event.action": "Failed-*"}}));
        yes(json!({"prefix": {"event.action": "fail"}}));
        yes(json!({"wildcard": {"message": "pass*"}}));
        assert!(Pattern::lucene_wildcard("a\\*b").is_match("a*b"));
        assert!(!Pattern::lucene_wildcard("a\\*b").is_match("axb"));
        assert!(Pattern::lucene_wildcard("*login*").is_match("/wp-login.php"));
    }

    #[test]
    fn regexp_queries() {
        yes(json!({"regexp": {"event.action": "fail.*-pass[a-z]+"}}));
        no(json!({"regexp": {"event.action": "fail"}}));
        yes(json!({"regexp": {"message": {"value": "pass.ord"}}}));
        no(json!({"regexp": {"message": {"value": "Pass.ord"}}}));
        assert!(m(json!({"regexp": {"event.action": "a&b"}})).is_err());
        assert!(m(json!({"regexp": {"event.action": "a("}})).is_err());
    }

    #[test]
    fn multi_match_with_and_and_zero_terms() {
        yes(
            json!({"multi_match": {"query": "invalid admin", "operator": "and", "fields": ["message"]}}),
        );
        no(
            json!({"multi_match": {"query": "invalid nothing", "operator": "and", "fields": ["message"]}}),
        );
        yes(json!({"multi_match": {"query": "invalid nothing", "fields": ["message", "event.*"]}}));
        yes(json!({"match": {"message": {"query": "...", "zero_terms_query": "all"}}}));
        no(json!({"match": {"message": {"query": "..."}}}));
        assert!(m(json!({"ids": {"values": ["a"]}})).is_err());
    }

    #[test]
    fn sloppy_phrases() {
        // "Failed password for invalid user admin from 203.0.113.10"
        no(json!({"match_phrase": {"message": {"query": "failed for", "slop": 0}}}));
        yes(json!({"match_phrase": {"message": {"query": "failed for", "slop": 1}}}));
        no(json!({"match_phrase": {"message": {"query": "password failed", "slop": 1}}}));
        yes(json!({"match_phrase": {"message": {"query": "password failed", "slop": 2}}}));
        yes(json!({"match_phrase": {"message": {"query": "failed user admin", "slop": 3}}}));
        no(json!({"match_phrase": {"message": {"query": "failed user admin", "slop": 2}}}));
        assert!(
            m(json!({"match_phrase": {"message": {"query": "user user", "slop": 2}}})).is_err()
        );
    }

    #[test]
    fn half_and_scaled_floats_compare_at_their_precision() {
        let f = Fields::from_mapping(&json!({"properties": {
            "h": {"type": "half_float"},
            "s": {"type": "scaled_float", "scaling_factor": 100}
        }}));
        let ctx = Ctx {
            fields: &f,
            now: "2026-11-27T00:00:00Z".parse().unwrap(),
            has_meta: false,
            nested: None,
        };
        let doc = json!({"h": 0.1, "s": 1.234});
        let t = |q: Value| matches(&q, &doc, &ctx).unwrap();
        // 0.1 and 0.09998 are the same half (0.0999755859375).
        assert!(t(json!({"term": {"h": 0.09998}})));
        assert!(!t(json!({"term": {"h": 0.1001}})));
        assert!(t(json!({"range": {"h": {"lte": 0.1}}})));
        // 1.234 is stored as 123: 1.23 matches, 1.234 too (both scale to 123).
        assert!(t(json!({"term": {"s": 1.23}})));
        assert!(t(json!({"term": {"s": 1.234}})));
        assert!(!t(json!({"term": {"s": 1.24}})));
        assert!(t(json!({"range": {"s": {"gte": 1.23, "lt": 1.24}}})));
        assert!(!t(json!({"range": {"s": {"gt": 1.23}}})));
        assert_eq!(to_half(65504.0), 65504.0);
        assert!(to_half(70000.0).is_infinite());
        assert_eq!(to_half(1.0), 1.0);
        assert_eq!(to_half(5.960_464_5e-8), 5.960_464_477_539_063e-8);
    }

    #[test]
    fn nested_queries_match_one_object_at_a_time() {
        let f = Fields::from_mapping(&json!({"properties": {
            "top": {"type": "keyword"},
            "n": {"type": "nested", "properties": {
                "a": {"type": "keyword"}, "b": {"type": "long"},
                "m": {"type": "nested", "properties": {"c": {"type": "keyword"}}}
            }}
        }}));
        let ctx = Ctx {
            fields: &f,
            now: "2026-11-27T00:00:00Z".parse().unwrap(),
            has_meta: false,
            nested: None,
        };
        let doc = json!({"top": "t", "n": [{"a": "x", "b": 1, "m": [{"c": "deep"}]}, {"a": "y", "b": 2}]});
        let t = |q: Value| matches(&q, &doc, &ctx);
        let both = |a: &str, b: i64| {
            json!({"nested": {"path": "n", "query": {"bool": {"filter": [
                {"term": {"n.a": a}}, {"term": {"n.b": b}}]}}}})
        };
        assert_eq!(t(both("x", 1)), Ok(true));
        // x and 2 are in different objects.
        assert_eq!(t(both("x", 2)), Ok(false));
        // Outside a nested query, nested fields match nothing; inside, parent fields neither.
        assert_eq!(t(json!({"term": {"n.a": "x"}})), Ok(false));
        assert_eq!(
            t(json!({"nested": {"path": "n", "query": {"term": {"top": "t"}}}})),
            Ok(false)
        );
        assert_eq!(
            t(
                json!({"nested": {"path": "n", "query": {"nested": {"path": "n.m", "query": {"term": {"n.m.c": "deep"}}}}}})
            ),
            Ok(true)
        );
        assert!(t(json!({"nested": {"path": "top", "query": {"match_all": {}}}})).is_err());
        assert_eq!(
            t(
                json!({"nested": {"path": "nope", "ignore_unmapped": true, "query": {"match_all": {}}}})
            ),
            Ok(false)
        );
    }

    #[test]
    fn null_query_values_are_refused() {
        assert!(m(json!({"match": {"event.action": null}})).is_err());
        assert!(m(json!({"term": {"event.action": null}})).is_err());
    }

    #[test]
    fn unsupported_queries_are_not_evaluated() {
        let e = m(json!({"geo_distance": {"distance": "1km", "loc": [0, 0]}})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "not evaluated offline: the `geo_distance` query"
        );
        assert!(m(json!({"match": {"loc": "x"}})).is_err());
        assert!(m(json!({"script": {"script": "true"}})).is_err());
    }
}
