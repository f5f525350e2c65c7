//! DQL to OpenSearch query DSL, as OpenSearch Dashboards translates it
//! (`src/plugins/data/common/opensearch_query/kuery/functions/{is,range,exists,and,or,not,nested}.ts`,
//! `functions/utils/get_fields.ts`, `get_full_field_name_node.ts`, `node_types/wildcard.ts`,
//! `opensearch_query/from_kuery.ts`).
//!
//! The index pattern's fields are the mapped fields of [`Fields`] (multi-fields and aliases
//! included; metadata fields such as `_id` are not listed, as the evaluator does not hold
//! them). Without fields (`indexPattern` undefined upstream) every field name is sent as
//! written.

use super::fields::{Fields, Kind};
use super::NotEvaluated;
use crate::query::dql::{Node, Piece, Term};
use serde_json::{json, Map, Value};

/// `dateFormat:tz` when it is `Browser` (Dashboards' default, `moment.tz.guess()`): offline
/// the browser is taken to run in UTC. The bundled advanced settings set it from the
/// `time_zone` content variable ([`super::Compiled::with_time_zone`]).
pub(crate) const BROWSER_TIME_ZONE: &str = "UTC";

/// `toOpenSearchQuery` of a node (`ast.toOpenSearchQuery`), with `context.nested`.
pub(crate) fn to_dsl(
    node: &Node,
    fields: Option<&Fields>,
    nested: Option<&str>,
    tz: &str,
) -> Result<Value, NotEvaluated> {
    Ok(match node {
        // and.ts
        Node::And(children) => json!({"bool": {"filter": children
            .iter()
            .map(|c| to_dsl(c, fields, nested, tz))
            .collect::<Result<Vec<_>, _>>()?}}),
        // or.ts
        Node::Or(children) => json!({"bool": {"should": children
            .iter()
            .map(|c| to_dsl(c, fields, nested, tz))
            .collect::<Result<Vec<_>, _>>()?, "minimum_should_match": 1}}),
        // not.ts
        Node::Not(child) => json!({"bool": {"must_not": to_dsl(child, fields, nested, tz)?}}),
        Node::Is {
            field,
            value,
            phrase,
        } => is(field.as_ref(), value, *phrase, fields, nested, tz)?,
        Node::Range { field, op, value } => {
            let full = full_name(field, nested);
            check_nested_paths(&full, fields, nested)?;
            let params = json!({ op.name(): value.to_value() });
            let queries: Vec<Value> = matching_fields(&full, fields)
                .into_iter()
                .map(|(name, kind)| {
                    let mut params = params.clone();
                    if matches!(kind, Some(Kind::Date { .. })) {
                        params["time_zone"] = json!(tz);
                    }
                    wrap_nested(
                        json!({"range": { name.as_str(): params }}),
                        &name,
                        &full,
                        fields,
                        nested,
                    )
                })
                .collect();
            json!({"bool": {"should": queries, "minimum_should_match": 1}})
        }
        // nested.ts
        Node::Nested { path, query } => {
            let path = match nested {
                Some(outer) => format!("{outer}.{}", path.to_name()),
                None => path.to_name(),
            };
            json!({"nested": {
                "path": path,
                "query": to_dsl(query, fields, Some(&path), tz)?,
                "score_mode": "none",
            }})
        }
    })
}

/// `getFullFieldNameNode`: the field under the nested path.
fn full_name(field: &Term, nested: Option<&str>) -> Term {
    match nested {
        None => field.clone(),
        Some(path) => match field {
            Term::Literal(v) => {
                let name = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Term::Literal(Value::String(format!("{path}.{name}")))
            }
            Term::Wildcard(pieces) => {
                let mut all = vec![Piece::Text(format!("{path}."))];
                all.extend(pieces.iter().cloned());
                Term::Wildcard(all)
            }
        },
    }
}

/// `getFullFieldNameNode`: the checks of a field against the nested group it is written in
/// (skipped for wildcard names outside a nested group).
fn check_nested_paths(
    full: &Term,
    fields: Option<&Fields>,
    nested: Option<&str>,
) -> Result<(), NotEvaluated> {
    let Some(f) = fields else {
        return Ok(());
    };
    if matches!(full, Term::Wildcard(_)) && nested.is_none() {
        return Ok(());
    }
    let mut errors = Vec::new();
    for (name, kind) in matching_fields(full, fields) {
        if kind.is_none() {
            continue;
        }
        let from_field = f.nested_parent(&name);
        match (nested, from_field) {
            (Some(path), None) => errors.push(format!(
                "{name} is not a nested field but is in nested group \"{path}\" in the DQL expression."
            )),
            (None, Some(_)) => errors.push(format!(
                "{name} is a nested field, but is not in a nested group in the DQL expression."
            )),
            (Some(path), Some(actual)) if path != actual => errors.push(format!(
                "Nested field {name} is being queried with the incorrect nested path. The correct \
                 path is {actual}."
            )),
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(NotEvaluated::new(format!(
            "Dashboards refuses the query: {}",
            errors.join("\n")
        )))
    }
}

/// `wrapWithNestedQuery`: a wildcard field name outside a nested group that reaches a nested
/// field gets a `nested` query around it.
fn wrap_nested(
    query: Value,
    name: &str,
    full: &Term,
    fields: Option<&Fields>,
    nested: Option<&str>,
) -> Value {
    let path = fields.and_then(|f| f.nested_parent(name));
    match path {
        Some(path) if matches!(full, Term::Wildcard(_)) && nested.is_none() => {
            json!({"nested": {"path": path, "query": query, "score_mode": "none"}})
        }
        _ => query,
    }
}

/// `getFields`, then "if no fields are found ... send through the given field name as-is".
fn matching_fields(field: &Term, fields: Option<&Fields>) -> Vec<(String, Option<Kind>)> {
    let found: Vec<(String, Option<Kind>)> = match fields {
        None => Vec::new(),
        Some(fields) => match field {
            Term::Literal(_) => {
                let name = field.to_name();
                fields
                    .names()
                    .find(|n| *n == name)
                    .map(|n| (n.to_string(), fields.get(n).map(|f| f.kind)))
                    .into_iter()
                    .collect()
            }
            Term::Wildcard(pieces) => fields
                .names()
                .filter(|n| wildcard_test(pieces, n))
                .map(|n| (n.to_string(), fields.get(n).map(|f| f.kind)))
                .collect(),
        },
    };
    if found.is_empty() {
        vec![(field.to_name(), None)]
    } else {
        found
    }
}

/// `wildcard.test`: `*` matches any run of characters, the rest literally, whole string.
pub(crate) fn wildcard_test(pieces: &[Piece], s: &str) -> bool {
    fn go(pieces: &[Piece], s: &str) -> bool {
        match pieces.split_first() {
            None => s.is_empty(),
            Some((Piece::Text(t), rest)) => s.strip_prefix(t.as_str()).is_some_and(|r| go(rest, r)),
            Some((Piece::Any, rest)) => {
                let mut i = 0;
                loop {
                    if go(rest, &s[i..]) {
                        return true;
                    }
                    match s[i..].chars().next() {
                        Some(c) => i += c.len_utf8(),
                        None => return false,
                    }
                }
            }
        }
    }
    go(pieces, s)
}

/// `wildcard.toQueryStringQuery`: the literal parts escaped with upstream's character class
/// `[+-=&|><!(){}[\]^"~*?:\\/]` (where `+-=` is the range `+` to `=`, so `, - . /`, the digits,
/// `:`, `;`, `<`, `=` are escaped too), `*` kept.
pub(crate) fn to_query_string_query(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Any => out.push('*'),
            Piece::Text(t) => {
                for c in t.chars() {
                    let special = ('+'..='=').contains(&c)
                        || matches!(
                            c,
                            '&' | '|'
                                | '>'
                                | '<'
                                | '!'
                                | '('
                                | ')'
                                | '{'
                                | '}'
                                | '['
                                | ']'
                                | '^'
                                | '"'
                                | '~'
                                | '*'
                                | '?'
                                | ':'
                                | '\\'
                                | '/'
                        );
                    if special {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
        }
    }
    out
}

/// `is.ts`.
fn is(
    field: Option<&Term>,
    value: &Term,
    phrase: bool,
    fields: Option<&Fields>,
    nested: Option<&str>,
    tz: &str,
) -> Result<Value, NotEvaluated> {
    let kind = if phrase { "phrase" } else { "best_fields" };
    // A literal `null` field name is free text too (`ValueExpression`).
    let field = field.filter(|f| !matches!(f, Term::Literal(Value::Null)));
    let Some(field) = field else {
        if let Term::Wildcard(pieces) = value {
            return Ok(json!({"query_string": {"query": to_query_string_query(pieces)}}));
        }
        return Ok(
            json!({"multi_match": {"type": kind, "query": value.to_value(), "lenient": true}}),
        );
    };
    let full = full_name(field, nested);
    check_nested_paths(&full, fields, nested)?;
    let field_name = full.to_name();
    let found = matching_fields(&full, fields);
    let is_exists = matches!(value, Term::Wildcard(p) if p == &[Piece::Any]);
    let all_fields = (matches!(full, Term::Wildcard(_)) && field_name == "*")
        || fields.is_some_and(|f| found.len() == f.names().count() && found[0].1.is_some());
    if is_exists && all_fields {
        return Ok(json!({"match_all": {}}));
    }
    let queries: Vec<Value> = found
        .into_iter()
        .map(|(name, kind_of)| {
            let query = if is_exists {
                json!({"exists": {"field": name}})
            } else if let Term::Wildcard(pieces) = value {
                json!({"query_string": {"fields": [name], "query": to_query_string_query(pieces)}})
            } else if matches!(kind_of, Some(Kind::Date { .. })) {
                // "match and match_phrase queries do not accept a timezone parameter"
                let v = value.to_value();
                json!({"range": { name.as_str(): {"gte": v, "lte": v, "time_zone": tz}}})
            } else {
                let query = if phrase { "match_phrase" } else { "match" };
                let mut inner = Map::new();
                inner.insert(name.clone(), value.to_value());
                json!({ query: inner })
            };
            wrap_nested(query, &name, &full, fields, nested)
        })
        .collect();
    Ok(json!({"bool": {"should": queries, "minimum_should_match": 1}}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::dql::parse_tree;

    fn dsl(query: &str, fields: Option<&Fields>) -> Value {
        let (node, _) = parse_tree(query).unwrap();
        to_dsl(&node, fields, None, "UTC").unwrap()
    }

    fn mapping() -> Fields {
        Fields::from_mapping(&json!({"properties": {
            "extension": {"type": "keyword"},
            "machine": {"properties": {"os": {"type": "text", "fields": {"raw": {"type": "keyword"}}}}},
            "bytes": {"type": "long"},
            "@timestamp": {"type": "date"},
            "nestedField": {"type": "nested", "properties": {"child": {"type": "keyword"}}}
        }}))
    }

    // Cases from upstream's is.test.ts, range.test.ts, and.test.ts, or.test.ts, not.test.ts,
    // nested.test.ts.
    #[test]
    fn is_builds_match_match_phrase_multi_match_and_exists() {
        let f = mapping();
        assert_eq!(
            dsl("extension:jpg", Some(&f)),
            json!({"bool": {"should": [{"match": {"extension": "jpg"}}], "minimum_should_match": 1}})
        );
        assert_eq!(
            dsl("extension:\"jpg\"", Some(&f)),
            json!({"bool": {"should": [{"match_phrase": {"extension": "jpg"}}], "minimum_should_match": 1}})
        );
        assert_eq!(
            dsl("jpg", Some(&f)),
            json!({"multi_match": {"type": "best_fields", "query": "jpg", "lenient": true}})
        );
        assert_eq!(
            dsl("\"a b\"", Some(&f)),
            json!({"multi_match": {"type": "phrase", "query": "a b", "lenient": true}})
        );
        assert_eq!(
            dsl("extension:*", Some(&f)),
            json!({"bool": {"should": [{"exists": {"field": "extension"}}], "minimum_should_match": 1}})
        );
        assert_eq!(dsl("*:*", Some(&f)), json!({"match_all": {}}));
        assert_eq!(dsl("", Some(&f)), json!({"match_all": {}}));
        assert_eq!(
            dsl("machine.os:win*", Some(&f)),
            json!({"bool": {"should": [{"query_string": {"fields": ["machine.os"], "query": "win*"}}], "minimum_should_match": 1}})
        );
        assert_eq!(
            dsl("jpg*", Some(&f)),
            json!({"query_string": {"query": "jpg*"}})
        );
        assert_eq!(
            dsl("bytes:200", Some(&f))["bool"]["should"][0],
            json!({"match": {"bytes": 200}})
        );
    }

    #[test]
    fn wildcard_field_names_expand_against_the_fields() {
        let f = mapping();
        assert_eq!(
            dsl("machine*:foo", Some(&f))["bool"]["should"],
            json!([{"match": {"machine.os": "foo"}}, {"match": {"machine.os.raw": "foo"}}])
        );
        // Unknown fields go through as written.
        assert_eq!(
            dsl("nope:foo", Some(&f))["bool"]["should"],
            json!([{"match": {"nope": "foo"}}])
        );
        assert_eq!(
            dsl("nope:foo", None)["bool"]["should"],
            json!([{"match": {"nope": "foo"}}])
        );
    }

    #[test]
    fn dates_become_ranges_with_the_time_zone() {
        let f = mapping();
        assert_eq!(
            dsl("@timestamp:2018-04-03", Some(&f))["bool"]["should"][0],
            json!({"range": {"@timestamp": {"gte": "2018-04-03", "lte": "2018-04-03", "time_zone": "UTC"}}})
        );
        assert_eq!(
            dsl("@timestamp < now-1d", Some(&f))["bool"]["should"][0],
            json!({"range": {"@timestamp": {"lt": "now-1d", "time_zone": "UTC"}}})
        );
        assert_eq!(
            dsl("bytes >= 1000", Some(&f))["bool"]["should"][0],
            json!({"range": {"bytes": {"gte": 1000}}})
        );
    }

    #[test]
    fn and_or_not_and_value_lists() {
        let f = mapping();
        let m = |v: &str| json!({"bool": {"should": [{"match": {"extension": v}}], "minimum_should_match": 1}});
        assert_eq!(
            dsl("extension:jpg and extension:png", Some(&f)),
            json!({"bool": {"filter": [m("jpg"), m("png")]}})
        );
        assert_eq!(
            dsl("extension:(jpg or png)", Some(&f)),
            json!({"bool": {"should": [m("jpg"), m("png")], "minimum_should_match": 1}})
        );
        assert_eq!(
            dsl("not extension:jpg", Some(&f)),
            json!({"bool": {"must_not": m("jpg")}})
        );
        assert_eq!(
            dsl("extension:(jpg and not png)", Some(&f)),
            json!({"bool": {"filter": [m("jpg"), {"bool": {"must_not": m("png")}}]}})
        );
    }

    #[test]
    fn nested_queries_prefix_the_path() {
        let f = mapping();
        assert_eq!(
            dsl("nestedField:{ child:foo }", Some(&f)),
            json!({"nested": {"path": "nestedField", "score_mode": "none", "query":
                {"bool": {"should": [{"match": {"nestedField.child": "foo"}}], "minimum_should_match": 1}}}})
        );
    }

    #[test]
    fn nested_fields_must_be_queried_in_their_nested_group() {
        let f = mapping();
        let err = |q: &str| {
            let (node, _) = parse_tree(q).unwrap();
            to_dsl(&node, Some(&f), None, "UTC").unwrap_err().reason
        };
        assert!(err("nestedField.child:foo")
            .contains("is a nested field, but is not in a nested group"));
        assert!(err("machine:{ os:foo }")
            .contains("machine.os is not a nested field but is in nested group \"machine\""));
        // A name the index pattern does not list is not checked (upstream's `getFields` finds
        // nothing).
        assert!(dsl("nestedField:{ extension:foo }", Some(&f))["nested"].is_object());
        // A wildcard name gets the nested query around the nested fields it reaches.
        assert_eq!(
            dsl("nested*:foo", Some(&f))["bool"]["should"],
            json!([{"nested": {"path": "nestedField", "score_mode": "none",
                               "query": {"match": {"nestedField.child": "foo"}}}}])
        );
    }

    #[test]
    fn query_string_escaping_follows_upstream_character_class() {
        let (node, _) = parse_tree("url.path:*../etc*").unwrap();
        let v = to_dsl(&node, None, None, "UTC").unwrap();
        assert_eq!(
            v["bool"]["should"][0]["query_string"]["query"],
            json!("*\\.\\.\\/etc*")
        );
        let (node, _) = parse_tree("a:accepted-*").unwrap();
        let v = to_dsl(&node, None, None, "UTC").unwrap();
        assert_eq!(
            v["bool"]["should"][0]["query_string"]["query"],
            json!("accepted\\-*")
        );
    }
}
