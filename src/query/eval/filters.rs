//! Dashboards filter pills to query DSL, as `buildQueryFromFilters` does
//! (`src/plugins/data/common/opensearch_query/opensearch_query/from_filters.ts`,
//! `migrate_filter.ts`, `filters/*_filter.ts`): disabled filters are skipped, negated ones go
//! to `must_not`, the others to `filter`; a filter's DSL is its `query`, or, for the legacy
//! forms (`range`, `exists`, `script`, `match_all`, `geo_*` at the top level), the filter
//! itself without `meta` and `$state` (`cleanFilter`); the deprecated
//! `{"match": {"f": {"query": x, "type": "phrase"}}}` becomes `match_phrase`
//! (`migrateFilter`).

use super::NotEvaluated;
use serde_json::{json, Map, Value};

/// The `filter` and `must_not` clauses of a list of filters.
pub(crate) fn to_dsl(filters: &[Value]) -> Result<(Vec<Value>, Vec<Value>), NotEvaluated> {
    let mut filter = Vec::new();
    let mut must_not = Vec::new();
    for f in filters {
        let Some(obj) = f.as_object() else {
            if f.is_null() {
                continue;
            }
            return Err(NotEvaluated::new(format!(
                "a filter that is not an object: {f}"
            )));
        };
        let meta = obj.get("meta");
        // `isFilterDisabled`: `meta.disabled === true`.
        if meta
            .and_then(|m| m.get("disabled"))
            .and_then(Value::as_bool)
            == Some(true)
        {
            continue;
        }
        let negate = meta.and_then(|m| m.get("negate")).and_then(Value::as_bool) == Some(true);
        let dsl = translate(obj)?;
        if negate {
            must_not.push(dsl);
        } else {
            filter.push(dsl);
        }
    }
    Ok((filter, must_not))
}

fn translate(filter: &Map<String, Value>) -> Result<Value, NotEvaluated> {
    let migrated = migrate(filter);
    if let Some(q) = migrated.get("query") {
        return Ok(q.clone());
    }
    let clean: Map<String, Value> = migrated
        .into_iter()
        .filter(|(k, _)| k != "meta" && k != "$state")
        .collect();
    if clean.is_empty() {
        return Err(NotEvaluated::new("a filter without a query"));
    }
    Ok(Value::Object(clean))
}

/// `migrateFilter`: the deprecated match-phrase form.
fn migrate(filter: &Map<String, Value>) -> Map<String, Value> {
    let mut out = filter.clone();
    let Some(Value::Object(m)) = filter.get("query").and_then(|q| q.get("match")) else {
        return out;
    };
    let Some((field, params)) = m.iter().next() else {
        return out;
    };
    if params.get("type").and_then(Value::as_str) != Some("phrase") {
        return out;
    }
    let mut params = params.as_object().cloned().unwrap_or_default();
    params.remove("type");
    out.insert(
        "query".into(),
        json!({"match_phrase": { field.as_str(): params }}),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cases from from_filters.test.ts and migrate_filter.test.ts.
    #[test]
    fn filters_become_filter_and_must_not_clauses() {
        let filters = vec![
            json!({"meta": {"negate": false, "disabled": false}, "query": {"match_phrase": {"a": "x"}}}),
            json!({"meta": {"negate": true}, "query": {"match_phrase": {"b": "y"}}}),
            json!({"meta": {"disabled": true}, "query": {"match_phrase": {"c": "z"}}}),
            json!({"meta": {}, "exists": {"field": "d"}, "$state": {"store": "appState"}}),
            json!({"range": {"bytes": {"gte": 1}}}),
        ];
        let (filter, must_not) = to_dsl(&filters).unwrap();
        assert_eq!(
            filter,
            vec![
                json!({"match_phrase": {"a": "x"}}),
                json!({"exists": {"field": "d"}}),
                json!({"range": {"bytes": {"gte": 1}}}),
            ]
        );
        assert_eq!(must_not, vec![json!({"match_phrase": {"b": "y"}})]);
    }

    #[test]
    fn deprecated_match_phrase_is_migrated() {
        let f = json!({"meta": {}, "query": {"match": {"extension": {"query": "foo", "type": "phrase"}}}});
        let (filter, _) = to_dsl(&[f]).unwrap();
        assert_eq!(
            filter,
            vec![json!({"match_phrase": {"extension": {"query": "foo"}}})]
        );
    }
}
