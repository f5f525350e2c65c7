//! The `query_string` query: the Lucene syntax parsed by [`crate::query::lucene`], then each
//! clause turned into field queries as OpenSearch's `QueryStringQueryParser` does, and the
//! clauses weighed as Lucene's `QueryParserBase.addClause` does.
//!
//! Upstream: `server/src/main/java/org/opensearch/index/query/QueryStringQueryBuilder.java`
//! (no `fields`/`default_field`: `index.query.default_field`, `*`, and then `lenient` defaults
//! to true), `index/search/QueryStringQueryParser.java` (`getFieldQuery`: `_exists_`, the
//! one-sided `>=x` ranges, a named date field with `time_zone` as `[x TO x]`; `getWildcardQuery`:
//! `*` is `exists` or, on all fields, match all; other patterns go through
//! `normalizedWildcardQuery` (lowercased for text fields) and a leading wildcard needs
//! `allow_leading_wildcard`; `getPrefixQuery`: keyword fields as written, text fields
//! normalized, or analyzed with `analyze_wildcard`; `getRangeQuery`: `*` is open, bounds
//! normalized by the search analyzer; `getBooleanQuery`: `fixNegativeQueryIfNeeded`; an empty
//! query matches nothing), Lucene `queryparser/classic/QueryParserBase.java` (`addClause`, the
//! default operator OR; one clause without a modifier is that clause's query).

use super::analysis;
use super::dsl::{self, Ctx, FieldError, Operator, Pattern, Range};
use super::fields::Kind;
use super::NotEvaluated;
use crate::query::lucene::{self, Clause, Conj, Field, Modifier, Node, TermKind};
use serde_json::Value;

struct Settings {
    fields: Vec<String>,
    all_fields: bool,
    operator: Operator,
    lenient: bool,
    analyze_wildcard: bool,
    allow_leading_wildcard: bool,
    time_zone: Option<String>,
    phrase_slop: u64,
}

fn not_eval(reason: impl Into<String>) -> NotEvaluated {
    NotEvaluated::new(reason)
}

/// Whether the `query_string` body matches `doc`.
pub(crate) fn matches(body: &Value, doc: &Value, ctx: &Ctx<'_>) -> Result<bool, NotEvaluated> {
    let obj = body
        .as_object()
        .ok_or_else(|| not_eval("query_string must be an object"))?;
    const KNOWN: &[&str] = &[
        "query",
        "fields",
        "default_field",
        "default_operator",
        "analyze_wildcard",
        "allow_leading_wildcard",
        "lenient",
        "time_zone",
        "boost",
        "_name",
        "type",
        "tie_breaker",
        "auto_generate_synonyms_phrase_query",
        "escape",
        "rewrite",
        "max_determinized_states",
        "enable_position_increments",
        "fuzziness",
        "fuzzy_prefix_length",
        "fuzzy_max_expansions",
        "fuzzy_transpositions",
        "phrase_slop",
    ];
    if let Some(k) = obj.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(not_eval(format!("the query_string parameter `{k}`")));
    }
    if let Some(t) = obj.get("type").and_then(Value::as_str) {
        if t != "best_fields" && t != "most_fields" {
            return Err(not_eval(format!("query_string of type {t}")));
        }
    }
    let query = obj
        .get("query")
        .and_then(Value::as_str)
        .ok_or_else(|| not_eval("query_string without a string query"))?;
    let explicit: Option<Vec<String>> = match (obj.get("fields"), obj.get("default_field")) {
        (Some(Value::Array(list)), _) if !list.is_empty() => Some(
            list.iter()
                .filter_map(Value::as_str)
                .map(|f| f.split('^').next().unwrap_or(f).to_string())
                .collect(),
        ),
        (_, Some(Value::String(f))) => Some(vec![f.clone()]),
        _ => None,
    };
    let all_fields = explicit.as_ref().is_none_or(|f| f.iter().any(|f| f == "*"));
    let patterns = explicit.unwrap_or_else(|| vec!["*".to_string()]);
    let lenient = obj
        .get("lenient")
        .and_then(Value::as_bool)
        .unwrap_or(all_fields);
    let operator = match obj
        .get("default_operator")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("or") => Operator::Or,
        Some("and") => Operator::And,
        Some(other) => return Err(not_eval(format!("default_operator {other}"))),
    };
    let settings = Settings {
        fields: dsl::expand_fields(&patterns, ctx.fields),
        all_fields,
        operator,
        lenient,
        analyze_wildcard: obj
            .get("analyze_wildcard")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        allow_leading_wildcard: obj
            .get("allow_leading_wildcard")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        time_zone: obj
            .get("time_zone")
            .and_then(Value::as_str)
            .map(str::to_string),
        phrase_slop: obj.get("phrase_slop").and_then(Value::as_u64).unwrap_or(0),
    };
    let (node, _) = lucene::parse_tree(query).map_err(|e| {
        not_eval(format!(
            "the query_string [{query}] is refused by the offline Lucene parser: {e}"
        ))
    })?;
    let Some(node) = node else {
        // "Matching no documents because no terms present"
        return Ok(false);
    };
    Ok(eval(&node, doc, ctx, &settings)?.unwrap_or(false))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Occur {
    Must,
    Should,
    MustNot,
}

/// `None` is a null query (everything analyzed away), which `addClause` leaves out.
fn eval(
    node: &Node,
    doc: &Value,
    ctx: &Ctx<'_>,
    s: &Settings,
) -> Result<Option<bool>, NotEvaluated> {
    match node {
        Node::Query(clauses) => query(clauses, doc, ctx, s),
        Node::Term {
            field,
            kind,
            image,
            text,
            slop,
        } => term(field, *kind, image, text, slop.as_deref(), doc, ctx, s),
        Node::Range {
            field,
            low,
            high,
            include_low,
            include_high,
        } => {
            let name = match field {
                Field::Exists => return Err(not_eval("a range in `_exists_:`")),
                Field::Default => None,
                Field::Named(n) => Some(n.as_str()),
            };
            range(
                name,
                low.as_deref(),
                high.as_deref(),
                *include_low,
                *include_high,
                doc,
                ctx,
                s,
            )
        }
    }
}

fn query(
    clauses: &[Clause],
    doc: &Value,
    ctx: &Ctx<'_>,
    s: &Settings,
) -> Result<Option<bool>, NotEvaluated> {
    // `Query()`: a single clause without a modifier is returned as is.
    if let [only] = clauses {
        if only.modifier == Modifier::None {
            return eval(&only.node, doc, ctx, s);
        }
    }
    // `addClause`.
    let mut list: Vec<(Occur, Result<bool, NotEvaluated>)> = Vec::new();
    for c in clauses {
        if let Some(last) = list.last_mut() {
            if c.conj == Conj::And && last.0 != Occur::MustNot {
                last.0 = Occur::Must;
            }
            if s.operator == Operator::And && c.conj == Conj::Or && last.0 != Occur::MustNot {
                last.0 = Occur::Should;
            }
        }
        let q = match eval(&c.node, doc, ctx, s) {
            Ok(None) => continue,
            Ok(Some(b)) => Ok(b),
            Err(e) => Err(e),
        };
        let prohibited = c.modifier == Modifier::Not;
        let required = match s.operator {
            Operator::Or => c.modifier == Modifier::Req || (c.conj == Conj::And && !prohibited),
            Operator::And => !prohibited && c.conj != Conj::Or,
        };
        let occur = match (required, prohibited) {
            (_, true) => Occur::MustNot,
            (true, false) => Occur::Must,
            (false, false) => Occur::Should,
        };
        list.push((occur, q));
    }
    if list.is_empty() {
        return Ok(None);
    }
    // `fixNegativeQueryIfNeeded`: only prohibited clauses get a match-all beside them.
    let pure_negative = list.iter().all(|(o, _)| *o == Occur::MustNot);
    let has_must = list.iter().any(|(o, _)| *o == Occur::Must);
    let mut required = Vec::new();
    let mut optional = Vec::new();
    let mut excluded = Vec::new();
    for (o, r) in list {
        match o {
            Occur::Must => required.push(r),
            Occur::Should => optional.push(r),
            Occur::MustNot => excluded.push(r),
        }
    }
    let req = dsl::all(required.into_iter());
    let not_excluded = dsl::any(excluded.into_iter()).map(|b| !b);
    let opt = if has_must || pure_negative {
        Ok(true)
    } else {
        dsl::any(optional.into_iter())
    };
    dsl::all([req, not_excluded, opt].into_iter()).map(Some)
}

/// The fields of a clause: its `field:` (a pattern expands), or the default fields.
fn clause_fields(field: Option<&str>, ctx: &Ctx<'_>, s: &Settings) -> (Vec<String>, bool) {
    match field {
        None => (s.fields.clone(), s.all_fields),
        Some(name) if name.contains('*') => (
            dsl::expand_fields(&[name.to_string()], ctx.fields),
            name == "*",
        ),
        Some(name) => (vec![name.to_string()], false),
    }
}

/// Runs `run` over the fields (a disjunction); lenient failures and unmapped fields count as
/// no match, null queries are left out.
fn over_fields(
    doc: &Value,
    names: &[String],
    all: bool,
    ctx: &Ctx<'_>,
    s: &Settings,
    mut run: impl FnMut(&super::fields::Field) -> Result<Option<bool>, FieldError>,
) -> Result<Option<bool>, NotEvaluated> {
    let mut results = Vec::new();
    let mut any_query = false;
    for name in names {
        super::fields::check_metadata(name, ctx.has_meta)?;
        if !ctx.fields.in_scope(name, ctx.nested) {
            if !all {
                any_query = true;
                results.push(Ok(false));
            }
            continue;
        }
        let Some(f) = ctx.fields.get(name) else {
            any_query = true;
            results.push(ctx.fields.check_unmapped(name, doc).map(|()| false));
            continue;
        };
        if all && !dsl::searchable_by_all(&f) {
            continue;
        }
        if let Err(e) = f.check() {
            results.push(Err(e));
            any_query = true;
            continue;
        }
        match run(&f) {
            Ok(None) => {}
            Ok(Some(b)) => {
                any_query = true;
                results.push(Ok(b));
            }
            Err(e) => {
                any_query = true;
                results.push(dsl::lenient(Err(e), s.lenient));
            }
        }
    }
    if !any_query {
        return Ok(if names.is_empty() { Some(false) } else { None });
    }
    dsl::any(results.into_iter()).map(Some)
}

#[allow(clippy::too_many_arguments)]
fn term(
    field: &Field,
    kind: TermKind,
    image: &str,
    text: &str,
    slop: Option<&str>,
    doc: &Value,
    ctx: &Ctx<'_>,
    s: &Settings,
) -> Result<Option<bool>, NotEvaluated> {
    let name = match field {
        Field::Exists => return dsl::exists(text, doc, ctx).map(Some),
        Field::Default => None,
        Field::Named(n) => Some(n.as_str()),
    };
    match kind {
        TermKind::Term => {
            // One-sided ranges `>=x`, `>x`, `<=x`, `<x` on a named field.
            if let Some(n) = name {
                if text.chars().count() > 1 {
                    if let Some(rest) = text.strip_prefix(">=").filter(|r| !r.is_empty()) {
                        return range(Some(n), Some(rest), None, true, true, doc, ctx, s);
                    }
                    if let Some(rest) = text.strip_prefix('>') {
                        return range(Some(n), Some(rest), None, false, true, doc, ctx, s);
                    }
                    if let Some(rest) = text.strip_prefix("<=").filter(|r| !r.is_empty()) {
                        return range(Some(n), None, Some(rest), true, true, doc, ctx, s);
                    }
                    if let Some(rest) = text.strip_prefix('<') {
                        return range(Some(n), None, Some(rest), true, false, doc, ctx, s);
                    }
                    let is_date = ctx
                        .fields
                        .get(n)
                        .is_some_and(|f| matches!(f.kind, Kind::Date { .. }));
                    if is_date && s.time_zone.is_some() {
                        return range(Some(n), Some(text), Some(text), true, true, doc, ctx, s);
                    }
                }
            }
            let (names, all) = clause_fields(name, ctx, s);
            let value = Value::String(text.to_string());
            over_fields(doc, &names, all, ctx, s, |f| match &f.kind {
                Kind::Text { .. } => {
                    if analysis::standard(text).is_empty() {
                        return Ok(None);
                    }
                    dsl::match_field(f, doc, &value, s.operator).map(Some)
                }
                _ => dsl::term_query(f, doc, &value, ctx, None).map(Some),
            })
        }
        TermKind::Phrase => {
            // `QueryParser.jj`: `~N` (a float, truncated) sets the slop, else `phrase_slop`.
            let slop = slop
                .and_then(|v| v.parse::<f32>().ok())
                .map_or(s.phrase_slop, |n| n.max(0.0) as u64);
            let (names, all) = clause_fields(name, ctx, s);
            let value = Value::String(text.to_string());
            over_fields(doc, &names, all, ctx, s, |f| match &f.kind {
                Kind::Text { .. } => {
                    if analysis::standard(text).is_empty() {
                        return Ok(None);
                    }
                    dsl::phrase_field(f, doc, &value, slop).map(Some)
                }
                _ => dsl::term_query(f, doc, &value, ctx, None).map(Some),
            })
        }
        TermKind::Wildcard => {
            let actual = name.unwrap_or(if s.all_fields { "*" } else { "" });
            if image == "*" {
                if name.is_none() && !s.all_fields {
                    // `*` on explicit default fields: exists on each.
                    return dsl::any(s.fields.iter().map(|f| dsl::exists(f, doc, ctx))).map(Some);
                }
                if actual == "*" {
                    return Ok(Some(true));
                }
                return dsl::exists(actual, doc, ctx).map(Some);
            }
            let (names, all) = clause_fields(name, ctx, s);
            let pattern = Pattern::lucene_wildcard(image);
            over_fields(doc, &names, all, ctx, s, |f| {
                // A `ParseException`: not caught by `lenient`.
                if !s.allow_leading_wildcard && (image.starts_with('*') || image.starts_with('?')) {
                    return Err(not_eval(
                        "OpenSearch rejects this query: '*' or '?' not allowed as first character in WildcardQuery",
                    )
                    .into());
                }
                dsl::pattern_field(f, doc, &pattern, true).map(Some)
            })
        }
        TermKind::Prefix => {
            let (names, all) = clause_fields(name, ctx, s);
            over_fields(doc, &names, all, ctx, s, |f| match &f.kind {
                Kind::Text { .. } if s.analyze_wildcard => {
                    let tokens = analysis::standard(text);
                    match tokens.as_slice() {
                        [] => Ok(None),
                        [one] => dsl::pattern_field(f, doc, &Pattern::prefix(one), false).map(Some),
                        // `getPossiblyAnalyzedPrefixQuery`: the terms before the last as term
                        // queries, the last as a prefix, joined by the default operator.
                        [init @ .., last] => {
                            let mut parts = Vec::new();
                            for t in init {
                                parts.push(dsl::term_field(f, doc, &Value::String(t.clone()))?);
                            }
                            parts.push(dsl::pattern_field(f, doc, &Pattern::prefix(last), false)?);
                            Ok(Some(match s.operator {
                                Operator::Or => parts.iter().any(|b| *b),
                                Operator::And => parts.iter().all(|b| *b),
                            }))
                        }
                    }
                }
                Kind::Text { .. } => {
                    dsl::pattern_field(f, doc, &Pattern::prefix(text), true).map(Some)
                }
                _ => dsl::pattern_field(f, doc, &Pattern::prefix(text), false).map(Some),
            })
        }
        TermKind::Regexp => {
            let (names, all) = clause_fields(name, ctx, s);
            over_fields(doc, &names, all, ctx, s, |f| {
                dsl::regexp_field(f, doc, text, true).map(Some)
            })
        }
        TermKind::Fuzzy => Err(not_eval(format!("the fuzzy term {image}"))),
    }
}

#[allow(clippy::too_many_arguments)]
fn range(
    field: Option<&str>,
    low: Option<&str>,
    high: Option<&str>,
    include_low: bool,
    include_high: bool,
    doc: &Value,
    ctx: &Ctx<'_>,
    s: &Settings,
) -> Result<Option<bool>, NotEvaluated> {
    let low = low.filter(|l| *l != "*");
    let high = high.filter(|h| *h != "*");
    let (names, all) = clause_fields(field, ctx, s);
    over_fields(doc, &names, all, ctx, s, |f| {
        // Bounds are normalized by the field's search analyzer (lowercased for text).
        let norm = |b: &str| -> Value {
            match f.kind {
                Kind::Text { .. } => Value::String(b.to_lowercase()),
                _ => Value::String(b.to_string()),
            }
        };
        let r = Range {
            low: low.map(|b| (norm(b), include_low)),
            high: high.map(|b| (norm(b), include_high)),
            format: None,
            time_zone: s.time_zone.clone(),
        };
        dsl::range_field(f, doc, &r, ctx).map(Some)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::eval::fields::Fields;
    use serde_json::json;

    fn fields() -> Fields {
        Fields::from_mapping(&json!({"properties": {
            "message": {"type": "text"},
            "process": {"properties": {"name": {"type": "keyword"}}},
            "user": {"properties": {"name": {"type": "keyword"}}},
            "event": {"properties": {"action": {"type": "keyword"}, "severity": {"type": "long"}}},
            "source": {"properties": {"ip": {"type": "ip"}}},
            "destination": {"properties": {"port": {"type": "long"}}},
            "@timestamp": {"type": "date"},
            "types": {"type": "keyword"}
        }}))
    }

    fn doc() -> Value {
        json!({
            "@timestamp": "2026-11-26T12:00:00Z",
            "message": "Accepted publickey for root from 10.1.2.3 port 22",
            "process": {"name": "sshd-session"},
            "user": {"name": "root"},
            "event": {"action": "accepted-publickey", "severity": 3},
            "source": {"ip": "10.1.2.3"},
            "destination": {"port": 22},
            "types": ["TTPs/Initial Access", "Effects/Data Exposure"]
        })
    }

    fn qs(body: Value) -> Result<bool, NotEvaluated> {
        let f = fields();
        let ctx = Ctx {
            fields: &f,
            now: "2026-11-27T00:00:00Z".parse().unwrap(),
            has_meta: false,
            nested: None,
        };
        matches(&body, &doc(), &ctx)
    }

    fn q(query: &str) -> Result<bool, NotEvaluated> {
        qs(json!({"query": query, "analyze_wildcard": true}))
    }

    fn yes(query: &str) {
        assert_eq!(q(query), Ok(true), "{query}");
    }

    fn no(query: &str) {
        assert_eq!(q(query), Ok(false), "{query}");
    }

    #[test]
    fn bundled_style_lucene_searches() {
        yes(
            r#"process.name:(sshd OR "sshd-session") AND user.name:root AND event.action:("accepted-password" OR "accepted-publickey")"#,
        );
        no(r#"process.name:(sshd OR "sshd-session") AND user.name:admin"#);
        yes(
            r#"destination.port:(22 OR 3389) AND NOT source.ip:("192.168.0.0/16" OR "172.16.0.0/12")"#,
        );
        no(r#"destination.port:(22 OR 3389) AND NOT source.ip:("10.0.0.0/8" OR "172.16.0.0/12")"#);
        yes("types:(TTPs* OR Unusual*)");
        no("types:(Unusual* OR Software*)");
        yes("event.action:accepted-*");
        no("event.action:Accepted-*");
    }

    // Semantics of Lucene's classic parser (TestQueryParser) and QueryStringQueryParserTests.
    #[test]
    fn boolean_operators_weigh_clauses_as_add_clause() {
        yes("user.name:root user.name:nobody");
        no("+user.name:root +user.name:nobody");
        yes("user.name:root OR user.name:nobody");
        no("user.name:root AND user.name:nobody");
        yes("-user.name:nobody");
        no("-user.name:root");
        no("NOT user.name:root");
        yes("user.name:root -user.name:nobody");
        // `a AND b OR c`: a and b required, c optional.
        no("user.name:root AND user.name:nobody OR user.name:root");
        assert_eq!(
            qs(json!({"query": "user.name:root user.name:nobody", "default_operator": "AND"})),
            Ok(false)
        );
    }

    #[test]
    fn default_fields_text_analysis_ranges_and_exists() {
        yes("publickey");
        yes("PUBLICKEY");
        no("password");
        yes("\"publickey for root\"");
        no("\"root for publickey\"");
        yes("message:accept*");
        // Analyzed into `public` and prefix `roo`: either is enough with OR.
        yes("message:public-roo*");
        assert_eq!(
            qs(
                json!({"query": "message:nothing-roo*", "analyze_wildcard": true, "default_operator": "AND"})
            ),
            Ok(false)
        );
        yes("message:nothing-roo*");
        yes("event.severity:>=3");
        no("event.severity:>3");
        yes("event.severity:[1 TO 3]");
        no("event.severity:{1 TO 3}");
        yes("event.severity:[3 TO *]");
        yes("@timestamp:[now-2d TO now]");
        no("@timestamp:[now-1h TO now]");
        yes("_exists_:user.name");
        no("_exists_:user.id");
        yes("user.name:*");
        no("user.id:*");
        yes("*:*");
        yes("source.ip:\"10.0.0.0/8\"");
        // Text on a numeric field: an error, unless lenient (the default without fields).
        assert_eq!(q("event.severity:high"), Ok(false));
        let strict = json!({"query": "event.severity:high", "default_field": "message"});
        assert!(qs(strict)
            .unwrap_err()
            .reason
            .starts_with("OpenSearch rejects this query"));
        assert_eq!(
            qs(json!({"query": "event.severity:high", "lenient": false, "fields": ["*"]}))
                .map_err(|_| ()),
            Err(())
        );
        assert_eq!(
            qs(json!({"query": "", "analyze_wildcard": true})),
            Ok(false)
        );
    }

    #[test]
    fn leading_wildcards_and_unsupported_syntax() {
        yes("types:*Exposure");
        assert!(qs(json!({"query": "types:*Exposure", "allow_leading_wildcard": false})).is_err());
        yes("user.name:/ro+t/");
        no("user.name:/Ro+t/");
        yes("message:/PUBLIC.*/");
        assert!(q("user.name:/a&b/").is_err());
        assert!(q("user.name:rot~1").is_err());
        no("\"publickey root\"");
        yes("\"publickey root\"~1");
        no("\"root publickey\"~2");
        yes("\"root publickey\"~3");
    }
}
