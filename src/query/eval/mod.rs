//! Offline evaluation of saved searches: which documents a search source (a query in DQL or
//! Lucene, plus filter pills) matches, as OpenSearch answers the query OpenSearch Dashboards
//! sends for it.
//!
//! Two steps, each following upstream:
//!
//! 1. [`compile`] / [`compile_for`] build the query DSL as Dashboards' `buildOpenSearchQuery`
//!    does (`src/plugins/data/common/opensearch_query/opensearch_query/build_opensearch_query.ts`,
//!    `from_kuery.ts`, `from_lucene.ts`, `lucene_string_to_dsl.ts`, `decorate_query.ts`,
//!    `from_filters.ts`): DQL translated as `kuery/functions/*.ts` do ([`dql_to_dsl`]: free
//!    text is a lenient `multi_match`, `field:value` a `match` or `match_phrase`, wildcards a
//!    `query_string` on the field, `field:*` an `exists`, dates a range with the time zone,
//!    wildcard field names expanded over the index's fields), Lucene as a `query_string` with
//!    the `query:queryString:options` advanced setting merged in (empty: `match_all`), filters
//!    into `filter` / `must_not` ([`filters`]). All in `{"bool": {"must": [lucene], "filter":
//!    [dql, filters], "should": [], "must_not": [negated filters]}}`.
//! 2. [`Compiled::matches`] evaluates that DSL over a document `_source` ([`dsl`],
//!    [`query_string`]) with the field types of the index mapping ([`fields`]): keyword exact
//!    and case-sensitive (`ignore_above`), text through the standard analyzer ([`analysis`]),
//!    multi-fields, aliases, `flat_object` leaves, numbers (`float` and `half_float` at their
//!    precision, `scaled_float` scaled), `ip` with CIDR blocks, dates with
//!    their `format`, date math relative to a fixed now and `time_zone` ([`dates`]), booleans,
//!    dotted keys and arrays in `_source`; unmapped fields match nothing. Query kinds:
//!    `bool`, `match`, `match_phrase` (slop), `multi_match` (`best_fields`, `phrase`),
//!    `query_string` (Lucene syntax through [`crate::query::lucene`]'s tree), `term`, `terms`,
//!    `range`, `exists`, `wildcard`, `prefix`, `regexp` ([`regexp`]), `ids`, `match_all`,
//!    `match_none`, `constant_score`, `dis_max`, `nested` (one object at a time; fields under a
//!    `nested` mapping match nothing outside a `nested` query on their path, as their values
//!    are separate hidden documents). DQL's nested groups follow `nested.ts` and
//!    `get_full_field_name_node.ts` (a nested field outside its group is Dashboards' error).
//!
//! Not evaluated (reported as [`NotEvaluated`] with the reason, never as a match or a miss):
//! - queries of other kinds: `script`,
//!   `geo_*`, `fuzzy` and fuzzy Lucene terms (their expansion depends on the index's terms),
//!   `more_like_this`, span queries, ...; parameters the evaluator does not know;
//!   `case_insensitive`; `minimum_should_match` other than an integer or a percentage;
//! - the `&`, `~` and `<...>` operators of regular expressions ([`regexp`]); sloppy phrases
//!   that repeat a term; `multi_match` `cross_fields` with `and`;
//! - fields whose indexed values are not their `_source` values: keyword `normalizer`s,
//!   analyzers other than `standard`, `null_value`, `copy_to` targets, `index: false`,
//!   `constant_keyword`;
//! - an unmapped field that has values while the mapping maps new fields (`dynamic: true`):
//!   the mapping given lacks its dynamic updates;
//! - metadata fields (`_id`, `_index`, `_ignored`, `_routing`) unless the document comes with
//!   them ([`Compiled::matches_hit`]); the other metadata fields always;
//! - a saved query that is a DSL object instead of a query string;
//! - a query OpenSearch would reject (text for a number field without `lenient`, a leading
//!   wildcard when not allowed, a null value), with OpenSearch's reason.
//!
//! Dashboards' `dateFormat:tz` defaults to `Browser`; offline the browser is taken to be in
//! UTC ([`dql_to_dsl::BROWSER_TIME_ZONE`]); [`Compiled::with_time_zone`] sets it (the bundled
//! advanced settings set it from the `time_zone` variable). The index pattern's field list is
//! the mapping's fields (metadata fields such as `_id` are not listed).
//!
//! Known approximations: word breaks come from the `unicode-segmentation` crate's UAX#29
//! words (Lucene also emits emoji as tokens; these are dropped here), lowercasing is Rust's
//! Unicode lowercase (Lucene's per-code-point `Character.toLowerCase` differs for a handful of
//! characters such as `İ`), and the Lucene parser is stricter than OpenSearch's (it refuses
//! lower-case `and`/`or`, `TO` outside a range ...): a `query_string` it refuses is not
//! evaluated.

pub(crate) mod analysis;
pub(crate) mod dates;
pub(crate) mod dql_to_dsl;
pub(crate) mod dsl;
pub(crate) mod fields;
pub(crate) mod filters;
pub(crate) mod query_string;
pub(crate) mod regexp;

pub(crate) use fields::Fields;

use super::{dql, lucene, Language};
use serde_json::{json, Value};

/// Why a query or a document could not be evaluated offline.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not evaluated offline: {reason}")]
pub(crate) struct NotEvaluated {
    pub(crate) reason: String,
}

impl NotEvaluated {
    pub(crate) fn new(reason: impl Into<String>) -> NotEvaluated {
        NotEvaluated {
            reason: reason.into(),
        }
    }
}

/// The query and filters of a saved search, saved query, visualization or dashboard.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SearchSource {
    pub(crate) query: Option<(Language, String)>,
    pub(crate) filters: Vec<Value>,
}

impl SearchSource {
    /// A decoded `kibanaSavedObjectMeta.searchSourceJSON` ({"query":{"query":..,"language":
    /// "kuery"|"lucene"},"filter":[..]}); a JSON string holding it is decoded first.
    pub(crate) fn from_search_source(json: &Value) -> Result<SearchSource, NotEvaluated> {
        if let Value::String(s) = json {
            let decoded: Value = serde_json::from_str(s)
                .map_err(|e| NotEvaluated::new(format!("searchSourceJSON is not JSON: {e}")))?;
            return SearchSource::from_search_source(&decoded);
        }
        let query = match json.get("query") {
            None | Some(Value::Null) => None,
            Some(q) => Some(query_of(q)?),
        };
        let filters = match json.get("filter") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list.clone(),
            Some(other) => {
                return Err(NotEvaluated::new(format!(
                    "searchSourceJSON.filter is not a list: {other}"
                )))
            }
        };
        Ok(SearchSource { query, filters })
    }
}

impl SearchSource {
    /// The `attributes` of a saved query (`query` saved object): `{"query": {"query": ..,
    /// "language": ..}, "filters": [..]}`.
    pub(crate) fn from_saved_query(attributes: &Value) -> Result<SearchSource, NotEvaluated> {
        let query = match attributes.get("query") {
            None | Some(Value::Null) => None,
            Some(q) => Some(query_of(q)?),
        };
        let filters = match attributes.get("filters") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list.clone(),
            Some(other) => {
                return Err(NotEvaluated::new(format!(
                    "the saved query's filters are not a list: {other}"
                )))
            }
        };
        Ok(SearchSource { query, filters })
    }
}

/// `{"query": "...", "language": "kuery"|"lucene"}`.
fn query_of(q: &Value) -> Result<(Language, String), NotEvaluated> {
    let language = match q.get("language").and_then(Value::as_str) {
        Some("kuery") | Some("dql") => Language::Dql,
        Some("lucene") => Language::Lucene,
        other => {
            return Err(NotEvaluated::new(format!(
                "the query language {}",
                other.map_or("(none)".to_string(), |l| format!("[{l}]"))
            )))
        }
    };
    match q.get("query") {
        Some(Value::String(s)) => Ok((language, s.clone())),
        Some(other) => Err(NotEvaluated::new(format!(
            "a query that is a DSL object rather than a query string: {other}"
        ))),
        None => Ok((language, String::new())),
    }
}

/// A stored document with its metadata, for [`Compiled::matches_hit`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    pub(crate) index: String,
    pub(crate) id: String,
    pub(crate) routing: Option<String>,
    /// `_ignored`: the fields whose values `ignore_malformed` dropped.
    pub(crate) ignored: Vec<String>,
    pub(crate) source: Value,
}

/// The advanced settings and the clock the evaluation uses.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EvalOptions {
    /// `now` of date math.
    pub(crate) now: jiff::Timestamp,
    /// `query:queryString:options`, merged into Lucene queries.
    pub(crate) query_string_options: Value,
    /// `query:allowLeadingWildcards`: DQL refuses `*x` values when false.
    pub(crate) allow_leading_wildcards: bool,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            now: "2026-11-27T00:00:00Z".parse().expect("a valid timestamp"),
            query_string_options: json!({"analyze_wildcard": true}),
            allow_leading_wildcards: true,
        }
    }
}

/// A search source ready to be matched against documents.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    dql: Option<dql::Node>,
    lucene: Option<Value>,
    filter: Vec<Value>,
    must_not: Vec<Value>,
    now: jiff::Timestamp,
    /// `dateFormat:tz`, as `getTimeZoneFromSettings` resolves it.
    time_zone: String,
    /// The DSL built for `fields` (or without fields).
    dsl: Value,
    /// The fields of [`compile_for`].
    fields: Option<Fields>,
}

/// Compiles without the index's fields: field names are sent as written (as Dashboards does
/// without an index pattern). [`Compiled::matches`] translates DQL again with the fields it
/// is given.
pub(crate) fn compile(
    source: &SearchSource,
    options: &EvalOptions,
) -> Result<Compiled, NotEvaluated> {
    build(source, None, options)
}

/// Compiles with the index pattern's fields (wildcard field names expanded, dates as ranges
/// with the time zone).
pub(crate) fn compile_for(
    source: &SearchSource,
    fields: &Fields,
    options: &EvalOptions,
) -> Result<Compiled, NotEvaluated> {
    build(source, Some(fields), options)
}

fn build(
    source: &SearchSource,
    fields: Option<&Fields>,
    options: &EvalOptions,
) -> Result<Compiled, NotEvaluated> {
    let mut dql_node = None;
    let mut lucene_query = None;
    match &source.query {
        None => {}
        Some((Language::Dql, text)) => {
            let (node, _) = dql::parse_tree(text).map_err(|e| {
                NotEvaluated::new(format!("the DQL query [{text}] does not parse: {e}"))
            })?;
            if !options.allow_leading_wildcards && has_leading_wildcard(&node) {
                return Err(NotEvaluated::new(
                    "Dashboards refuses the query: Leading wildcards are disabled. See \
                     query:allowLeadingWildcards in Advanced Settings.",
                ));
            }
            dql_node = Some(node);
        }
        Some((Language::Lucene, text)) => {
            lucene::parse_tree(text).map_err(|e| {
                NotEvaluated::new(format!("the Lucene query [{text}] does not parse: {e}"))
            })?;
            lucene_query = Some(lucene_dsl(text, &options.query_string_options)?);
        }
    }
    let (filter, must_not) = filters::to_dsl(&source.filters)?;
    let fields = fields.cloned();
    let mut compiled = Compiled {
        dql: dql_node,
        lucene: lucene_query,
        filter,
        must_not,
        now: options.now,
        time_zone: dql_to_dsl::BROWSER_TIME_ZONE.to_string(),
        dsl: Value::Null,
        fields,
    };
    compiled.dsl = compiled.dsl_with(compiled.fields.as_ref())?;
    Ok(compiled)
}

/// `luceneStringToDsl` then `decorateQuery` (options merged; `time_zone` defaulted when the
/// DSL is built).
fn lucene_dsl(text: &str, options: &Value) -> Result<Value, NotEvaluated> {
    if text.trim().is_empty() {
        return Ok(json!({"match_all": {}}));
    }
    let mut qs = serde_json::Map::new();
    qs.insert("query".into(), Value::String(text.to_string()));
    // The advanced setting is stored as JSON text (`"{ \"analyze_wildcard\": true }"`).
    let parsed;
    let options = match options {
        Value::String(text) => {
            parsed = serde_json::from_str::<Value>(text).map_err(|e| {
                NotEvaluated::new(format!("query:queryString:options is not JSON: {e}"))
            })?;
            &parsed
        }
        other => other,
    };
    match options {
        Value::Object(o) => {
            for (k, v) in o {
                qs.insert(k.clone(), v.clone());
            }
        }
        Value::Null => {}
        other => {
            return Err(NotEvaluated::new(format!(
                "query:queryString:options is not an object: {other}"
            )))
        }
    }
    Ok(json!({ "query_string": qs }))
}

/// `wildcard.hasLeadingWildcard` on any value of the tree.
fn has_leading_wildcard(node: &dql::Node) -> bool {
    use dql::{Node, Piece, Term};
    match node {
        Node::And(c) | Node::Or(c) => c.iter().any(has_leading_wildcard),
        Node::Not(c) => has_leading_wildcard(c),
        Node::Nested { query, .. } => has_leading_wildcard(query),
        Node::Is { value, .. } => {
            matches!(value, Term::Wildcard(p) if p.first() == Some(&Piece::Any) && p.len() > 1)
        }
        Node::Range { .. } => false,
    }
}

impl Compiled {
    /// The query DSL that was built (with the fields of [`compile_for`], or without fields).
    #[cfg(test)]
    pub(crate) fn dsl(&self) -> &Value {
        &self.dsl
    }

    /// The same search with Dashboards' `dateFormat:tz` set to `tz` (`Browser` is UTC here):
    /// DQL date ranges and Lucene queries carry it as `time_zone`.
    pub(crate) fn with_time_zone(mut self, tz: &str) -> Result<Compiled, NotEvaluated> {
        let tz = if tz == "Browser" {
            dql_to_dsl::BROWSER_TIME_ZONE
        } else {
            tz
        };
        dates::time_zone(tz).map_err(NotEvaluated::new)?;
        self.time_zone = tz.to_string();
        self.dsl = self.dsl_with(self.fields.as_ref())?;
        Ok(self)
    }

    fn dsl_with(&self, fields: Option<&Fields>) -> Result<Value, NotEvaluated> {
        // `buildQueryFromKuery`: the `and` of the queries, its `bool` merged.
        let mut filter = Vec::new();
        if let Some(node) = &self.dql {
            filter.push(dql_to_dsl::to_dsl(node, fields, None, &self.time_zone)?);
        }
        filter.extend(self.filter.iter().cloned());
        // `decorateQuery`: `defaults(query_string, {time_zone})`.
        let must: Vec<Value> = self
            .lucene
            .iter()
            .cloned()
            .map(|mut q| {
                if let Some(qs) = q.get_mut("query_string").and_then(Value::as_object_mut) {
                    qs.entry("time_zone")
                        .or_insert_with(|| Value::String(self.time_zone.clone()));
                }
                q
            })
            .collect();
        Ok(json!({"bool": {
            "must": must,
            "filter": filter,
            "should": [],
            "must_not": self.must_not,
        }}))
    }

    /// Whether the document `_source` matches, with the field types of its index. A query on
    /// `_id`, `_index`, `_ignored` or `_routing` is not evaluated here: use [`Self::matches_hit`].
    #[cfg(test)]
    pub(crate) fn matches(&self, source: &Value, fields: &Fields) -> Result<bool, NotEvaluated> {
        self.run(source, fields, false)
    }

    /// Whether the document matches, its metadata fields included (`_ignored`: the fields whose
    /// malformed values the mapping dropped).
    pub(crate) fn matches_hit(&self, hit: &Hit, fields: &Fields) -> Result<bool, NotEvaluated> {
        let mut doc = match &hit.source {
            Value::Object(map) => map.clone(),
            other => {
                return Err(NotEvaluated::new(format!(
                    "a _source that is not an object: {other}"
                )))
            }
        };
        doc.insert("_index".into(), Value::String(hit.index.clone()));
        doc.insert("_id".into(), Value::String(hit.id.clone()));
        doc.insert("_ignored".into(), json!(hit.ignored));
        if let Some(r) = &hit.routing {
            doc.insert("_routing".into(), Value::String(r.clone()));
        }
        self.run(&Value::Object(doc), fields, true)
    }

    fn run(&self, source: &Value, fields: &Fields, has_meta: bool) -> Result<bool, NotEvaluated> {
        let ctx = dsl::Ctx {
            fields,
            now: self.now,
            has_meta,
            nested: None,
        };
        if self.fields.is_some() || self.dql.is_none() {
            return dsl::matches(&self.dsl, source, &ctx);
        }
        let dsl = self.dsl_with(Some(fields))?;
        dsl::matches(&dsl, source, &ctx)
    }
}

#[cfg(test)]
mod tests;
