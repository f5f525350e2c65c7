//! Saved objects in the cluster with a content object's title under another id (two `log-*`
//! index patterns in Dashboards' list; issue 12's real-world check): plan and apply warn,
//! naming both ids, in text and in JSON, and change nothing.

use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;

/// Applies the minimal content, then makes an index pattern of another id with the content's
/// index-pattern title, as a person in Dashboards would; returns the title.
fn with_a_second_pattern(c: &ClusterContext) -> String {
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let ours = c.saved_object("index-pattern", "log-demo", "global");
    let title = ours["attributes"]["title"].as_str().unwrap().to_string();
    c.dashboards(
        "POST",
        "/api/saved_objects/index-pattern/made-in-the-ui",
        Some(json!({"attributes": {"title": title, "timeFieldName": "@timestamp"}})),
        "global",
    );
    title
}

#[test]
fn plan_and_apply_warn_about_another_object_with_a_content_title() {
    let c = ClusterContext::new("minimal");
    let title = with_a_second_pattern(&c);
    let expected = format!(
        "index_pattern `log-demo` and index_pattern `made-in-the-ui` in the cluster have the same title \"{title}\""
    );

    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "nothing to change: {}", run.snapshot());
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("have the same title").count(),
        1,
        "one warning: {}",
        run.stderr
    );

    let run = c.siemctl(&["plan", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        doc["data"]["same_title"],
        json!([{"kind": "index_pattern", "title": title, "id": "log-demo", "other_id": "made-in-the-ui"}]),
        "{}",
        run.stdout
    );

    let writes = c.writes().len();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    let run = c.siemctl(&["apply", "--yes", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["data"]["same_title"][0]["other_id"], "made-in-the-ui");
    assert_eq!(c.writes().len(), writes, "the other object is left alone");
    c.saved_object("index-pattern", "made-in-the-ui", "global");
}

#[test]
fn no_warning_without_a_second_object_and_none_for_other_tenants() {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let title = c.saved_object("index-pattern", "log-demo", "global")["attributes"]["title"]
        .as_str()
        .unwrap()
        .to_string();
    // The same title in another tenant is not in the list Dashboards shows for this one.
    c.dashboards(
        "POST",
        "/api/saved_objects/index-pattern/elsewhere",
        Some(json!({"attributes": {"title": title}})),
        "team-a",
    );
    // Another type with the same title is another list.
    c.dashboards(
        "POST",
        "/api/saved_objects/search/same-name",
        Some(json!({"attributes": {"title": title}})),
        "global",
    );
    let run = c.siemctl(&["plan", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(!run.stderr.contains("same title"), "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["data"]["same_title"], json!([]));
}
