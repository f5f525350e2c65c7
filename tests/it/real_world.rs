//! Fixes from a check on real saved objects: exact numbers, and aggregations that take any field.

use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;
use crate::common::TestContext;

/// A map centre as Dashboards writes it: the shortest text of the double, 17 significant digits.
/// A parser that is off by one ulp turns it into 25.77763387839265.
const PRECISE: &str = "25.777633878392646";

fn with_precise_number(text: &str) -> String {
    text.replace(
        "\"params\": { \"perPage\": 10 }",
        &format!("\"params\": {{ \"perPage\": 10, \"mapCenter\": [{PRECISE}, 139.1] }}"),
    )
}

#[test]
fn a_number_goes_through_render_exactly() {
    let ctx = TestContext::fixture("minimal");
    let file = "dashboards/demo/demo-top-actions.visualization.json.hbs";
    let text = with_precise_number(&ctx.read(file));
    assert!(text.contains(PRECISE));
    ctx.write(file, &text);
    let run = ctx.siemctl(&["render", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let vis: Value =
        serde_json::from_str(&ctx.read("out/visualization/demo-top-actions.json")).unwrap();
    let state = vis["attributes"]["visState"].as_str().unwrap();
    assert!(
        state.contains(&format!("[{PRECISE},139.1]")),
        "the rendered visState changed the number: {state}"
    );
}

#[test]
fn a_number_edited_in_dashboards_comes_back_exactly_through_pull() {
    let c = ClusterContext::new("minimal");
    assert_eq!(c.siemctl(&["apply", "--yes"]).code, 0);
    let vis = c.saved_object("visualization", "demo-top-actions", "global");
    // Dashboards stores visState as a string: the number travels as its text, as the browser
    // wrote it.
    let state = vis["attributes"]["visState"].as_str().unwrap().replace(
        "\"perPage\":10",
        &format!("\"perPage\":10,\"mapCenter\":[{PRECISE},139.1]"),
    );
    assert!(state.contains(PRECISE), "{state}");
    c.dashboards(
        "PUT",
        "/api/saved_objects/visualization/demo-top-actions",
        Some(json!({"attributes": {"visState": state}})),
        "global",
    );
    let run = c.siemctl(&["pull", "visualization/demo-top-actions"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let pulled = c
        .content
        .read("dashboards/demo/demo-top-actions.visualization.json.hbs");
    assert!(
        pulled.contains(PRECISE),
        "pull changed the number:\n{pulled}"
    );
    // And the content now holds what the cluster holds.
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

/// A table with a `top_hits` metric on a text field, as Dashboards lets one build it: the
/// field's `onlyAggregatable: false` (OpenSearch-Dashboards
/// `src/plugins/data/common/search/aggs/metrics/top_hit.ts`).
fn top_hits_table(field: &str, sort_field: &str) -> String {
    let object = json!({
        "attributes": {
            "title": "Demo: last message",
            "description": "",
            "uiStateJSON": {},
            "version": 1,
            "visState": {
                "title": "Demo: last message",
                "type": "table",
                "params": {"perPage": 10},
                "aggs": [
                    {"id": "1", "enabled": true, "type": "top_hits", "schema": "metric",
                     "params": {"field": field, "aggregate": "concat", "size": 1, "sortField": sort_field, "sortOrder": "desc"}},
                    {"id": "2", "enabled": true, "type": "terms", "schema": "bucket",
                     "params": {"field": "event.action", "size": 10, "order": "desc", "orderBy": "1"}}
                ]
            },
            "kibanaSavedObjectMeta": {"searchSourceJSON": {
                "query": {"query": "", "language": "kuery"}, "filter": [],
                "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"
            }}
        },
        "references": [{"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": "log-demo"}]
    });
    serde_json::to_string_pretty(&object).unwrap()
}

#[test]
fn a_top_hits_metric_takes_a_text_field() {
    let ctx = TestContext::fixture("minimal");
    let base = ctx.read("index-templates/_common/base.component-template.json.hbs");
    assert!(
        base.contains("\"message\": { \"type\": \"text\" }"),
        "{base}"
    );
    ctx.write(
        "dashboards/demo/demo-last-message.visualization.json.hbs",
        &top_hits_table("message", "@timestamp"),
    );
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn a_top_hits_metric_still_sorts_on_an_aggregatable_field_only() {
    let ctx = TestContext::fixture("minimal");
    ctx.write(
        "dashboards/demo/demo-last-message.visualization.json.hbs",
        &top_hits_table("message", "message"),
    );
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
}
