//! `siemctl pull`: edits made in Dashboards, back into the content.

use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;

/// The lines a file lost and gained, as `-line` and `+line`.
fn changed_lines(before: &str, after: &str) -> Vec<String> {
    similar::TextDiff::from_lines(before, after)
        .iter_all_changes()
        .filter_map(|c| match c.tag() {
            similar::ChangeTag::Equal => None,
            similar::ChangeTag::Delete => Some(format!("-{}", c.value().trim_end())),
            similar::ChangeTag::Insert => Some(format!("+{}", c.value().trim_end())),
        })
        .collect()
}

/// The minimal content in the fmt layout, applied.
fn laid_out_and_applied() -> ClusterContext {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["fmt"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c
}

#[test]
fn a_panel_added_in_dashboards_changes_only_its_own_lines() {
    let c = laid_out_and_applied();
    let file = "dashboards/demo/demo.dashboard.json.hbs";
    let before = c.content.read(file);
    let live = c.saved_object("dashboard", "demo", "global");
    let mut panels: Vec<Value> =
        serde_json::from_str(live["attributes"]["panelsJSON"].as_str().unwrap()).unwrap();
    panels.push(json!({"panelIndex": "2", "gridData": {"x": 24, "y": 0, "w": 24, "h": 15, "i": "2"}, "embeddableConfig": {}, "panelRefName": "panel_1"}));
    let mut references = live["references"].as_array().unwrap().clone();
    references.push(json!({"name": "panel_1", "type": "visualization", "id": "demo-top-actions"}));
    // Dashboards' own order of references (the new one first): the file's order is kept.
    references.reverse();
    let edit = json!({"attributes": {"panelsJSON": Value::Array(panels).to_string()}, "references": references});
    c.dashboards(
        "PUT",
        "/api/saved_objects/dashboard/demo",
        Some(edit),
        "global",
    );
    let run = c.siemctl(&["pull", "dashboard/demo"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        !run.stderr.contains("warning"),
        "`{{label}}` kept: {}",
        run.stderr
    );
    let after = c.content.read(file);
    // Only lines added: the new panel after the file's one, the new reference after the file's.
    let expected = [
        "+      },",
        "+      {",
        "+        \"panelIndex\": \"2\",",
        "+        \"gridData\": {",
        "+          \"x\": 24,",
        "+          \"y\": 0,",
        "+          \"w\": 24,",
        "+          \"h\": 15,",
        "+          \"i\": \"2\"",
        "+        },",
        "+        \"embeddableConfig\": {},",
        "+        \"panelRefName\": \"panel_1\"",
        "+    },",
        "+    {",
        "+      \"name\": \"panel_1\",",
        "+      \"type\": \"visualization\",",
        "+      \"id\": \"demo-top-actions\"",
    ];
    assert_eq!(changed_lines(&before, &after), expected, "{after}");
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn an_object_that_did_not_change_leaves_its_file_as_it_is() {
    // The fixture is not in the layout: a rewrite would show.
    let c = applied();
    let file = "dashboards/demo/demo-top-actions.visualization.json.hbs";
    let before = c.content.read(file);
    let run = c.siemctl(&[
        "pull",
        "visualization/demo-top-actions",
        "search/demo-failures",
    ]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stderr.contains(
            "is as `dashboards/demo/demo-top-actions.visualization.json.hbs` has it: not written"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(c.content.read(file), before);
}

#[test]
fn an_expression_that_no_longer_holds_is_named() {
    let c = laid_out_and_applied();
    c.edit_in_dashboards(
        "visualization",
        "demo-top-actions",
        json!({"title": "Top actions"}),
    );
    let run = c.siemctl(&["pull", "visualization/demo-top-actions"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stderr.contains("`/attributes/title` was \"{{label}}: top actions\" in the file, and Dashboards now holds another value"),
        "{}",
        run.stderr
    );
    let text = c
        .content
        .read("dashboards/demo/demo-top-actions.visualization.json.hbs");
    assert!(text.contains("    \"title\": \"Top actions\",\n"), "{text}");
    assert!(
        text.contains("      \"title\": \"{{label}}: top actions\",\n"),
        "the visState title still holds: {text}"
    );
}

#[test]
fn a_yaml_search_keeps_its_comments_and_only_the_changed_key_changes() {
    let c = ClusterContext::new("minimal");
    let file = "saved-searches/demo/failures.yaml";
    let before = format!(
        "# Owner: SOC team\n{}",
        c.content
            .read(file)
            .replace("sort:", "# newest first\nsort:")
    );
    c.content.write(file, &before);
    assert_eq!(c.siemctl(&["apply", "--yes"]).code, 0);
    let attributes =
        json!({"columns": ["user.name", "source.ip", "event.action", "event.outcome"]});
    c.edit_in_dashboards("search", "demo-failures", attributes);
    let run = c.siemctl(&["pull", "--drifted"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let after = c.content.read(file);
    assert_eq!(
        changed_lines(&before, &after),
        [
            "-columns: [user.name, source.ip, event.action]",
            "+columns: [user.name, source.ip, event.action, event.outcome]"
        ],
        "{after}"
    );
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn comments_inside_a_changed_list_stay_with_their_items() {
    let c = ClusterContext::new("minimal");
    let file = "saved-searches/demo/failures.yaml";
    let before = "id: demo-failures\ntitle: \"Demo: failures\"\ndescription: Failed actions, newest first.\nquery: event.outcome:failure and not user.name:root\ncolumns:\n  - user.name\n  # who called\n  - source.ip  # the caller's address\n  - event.action\nsort:\n  - \"@timestamp\": desc\nfilters:\n  # the region we run in\n  - field: demo.region\n    value: us-east-1\ntags: [triage]\n";
    c.content.write(file, before);
    assert_eq!(c.siemctl(&["apply", "--yes"]).code, 0);
    // In Dashboards: one column more, and the filter on another region.
    let live = c.saved_object("search", "demo-failures", "global");
    let meta = &live["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"];
    let mut source: Value = serde_json::from_str(meta.as_str().unwrap()).unwrap();
    source["filter"][0]["meta"]["params"]["query"] = json!("eu-west-1");
    source["filter"][0]["query"]["match_phrase"]["demo.region"] = json!("eu-west-1");
    let attributes = json!({
        "columns": ["user.name", "source.ip", "event.action", "event.outcome"],
        "kibanaSavedObjectMeta": {"searchSourceJSON": source.to_string()}});
    c.edit_in_dashboards("search", "demo-failures", attributes);
    let run = c.siemctl(&["pull", "--drifted"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let after = c.content.read(file);
    assert_eq!(
        changed_lines(before, &after),
        [
            "+  - event.outcome",
            "-    value: us-east-1",
            "+    value: eu-west-1"
        ],
        "{after}"
    );
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
    assert!(!c.siemctl(&["fmt", "--check"]).stdout.contains(file));

    // A column removed goes with the comment above it; the others keep theirs.
    let attributes = json!({"columns": ["user.name", "event.action", "event.outcome"]});
    c.edit_in_dashboards("search", "demo-failures", attributes);
    let run = c.siemctl(&["pull", "search/demo-failures"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let again = c.content.read(file);
    assert_eq!(
        changed_lines(&after, &again),
        ["-  # who called", "-  - source.ip  # the caller's address"],
        "{again}"
    );
    assert!(
        again.contains("  # the region we run in\n  - field: demo.region\n"),
        "{again}"
    );
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

fn applied() -> ClusterContext {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c
}

#[test]
fn a_drifted_saved_search_comes_back_as_yaml() {
    let c = applied();
    let attributes =
        json!({"title": "Demo: failures by user", "columns": ["user.name", "event.action"]});
    c.edit_in_dashboards("search", "demo-failures", attributes);
    let run = c.siemctl(&["pull", "--drifted"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(c.content.read("saved-searches/demo/failures.yaml"));
    // The content now says what the cluster holds: nothing to change, no drift later.
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(c.siemctl(&["apply", "--yes"]).code, 0);
    c.content.edit(
        "saved-searches/demo/failures.yaml",
        "Demo: failures by user",
        "Demo: failures per user",
    );
    assert_eq!(
        c.siemctl(&["apply", "--yes"]).code,
        0,
        "a later change is not drift"
    );
}

#[test]
fn a_visualization_comes_back_readable_with_its_variables() {
    let c = applied();
    let vis = c.saved_object("visualization", "demo-top-actions", "global");
    let mut state: Value =
        serde_json::from_str(vis["attributes"]["visState"].as_str().unwrap()).unwrap();
    state["params"]["perPage"] = json!(25);
    let attributes = json!({"visState": state.to_string()});
    c.edit_in_dashboards("visualization", "demo-top-actions", attributes);
    let run = c.siemctl(&["pull", "visualization/demo-top-actions"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // The titles are still what `{{label}}` renders to: the expression stays, with no warning.
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let text = c
        .content
        .read("dashboards/demo/demo-top-actions.visualization.json.hbs");
    assert_eq!(
        text.matches("\"{{label}}: top actions\"").count(),
        2,
        "{text}"
    );
    let pulled: Value = serde_json::from_str(&text.replace("{{label}}", "Demo")).unwrap();
    assert_eq!(
        pulled["attributes"]["visState"]["params"]["perPage"], 25,
        "visState is JSON, not a string"
    );
    assert!(pulled.get("id").is_none() && pulled["attributes"].get("version").is_some());
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn an_object_made_in_dashboards_joins_the_content() {
    let c = applied();
    let vis_state = json!({"title": "Made in the UI", "type": "metric", "params": {}, "aggs": [{"id": "1", "type": "count", "schema": "metric", "params": {}}]});
    let body = json!({"attributes": {"title": "Made in the UI", "visState": vis_state.to_string(), "uiStateJSON": "{}", "description": "", "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": "{\"query\":{\"query\":\"\",\"language\":\"kuery\"},\"filter\":[],\"indexRefName\":\"kibanaSavedObjectMeta.searchSourceJSON.index\"}"}},
        "references": [{"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": "log-demo"}]});
    c.dashboards(
        "POST",
        "/api/saved_objects/visualization/ui-made",
        Some(body),
        "global",
    );
    // Its log type is the one of the index pattern it uses; its file is named after its title.
    let run = c.siemctl(&["pull", "visualization/ui-made"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let text = c
        .content
        .read("dashboards/demo/made-in-the-ui.visualization.json.hbs");
    assert!(text.contains("\"id\": \"ui-made\""), "{text}");
    // It exists already as the content has it: apply takes it over without --adopt.
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn a_saved_query_comes_back_as_a_saved_query() {
    let c = ClusterContext::new("minimal");
    c.content.write("saved-searches/demo/q.yaml", "id: demo-q\ntitle: \"Demo: a query\"\nkind: query\nlanguage: lucene\nquery: 'event.action:x*'\n");
    assert_eq!(c.siemctl(&["apply", "--yes"]).code, 0);
    c.edit_in_dashboards("query", "demo-q", json!({"title": "Demo: a better query"}));
    let run = c.siemctl(&["pull", "query/demo-q"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let yaml = c.content.read("saved-searches/demo/q.yaml");
    assert!(
        yaml.contains("kind: query")
            && yaml.contains("event.action:x*")
            && yaml.contains("a better query"),
        "{yaml}"
    );
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn what_yaml_cannot_express_is_refused_or_kept_as_json() {
    let c = applied();
    let search = c.saved_object("search", "demo-failures", "global");
    let mut source: Value = serde_json::from_str(
        search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    source["filter"][0]["meta"]["alias"] = json!("only us-east-1");
    let attributes = json!({"kibanaSavedObjectMeta": {"searchSourceJSON": source.to_string()}});
    c.edit_in_dashboards("search", "demo-failures", attributes);
    let before = c.content.read("saved-searches/demo/failures.yaml");
    let run = c.siemctl(&["pull", "--drifted"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(run.stderr.contains("--as-json"), "{}", run.stderr);
    assert_eq!(
        c.content.read("saved-searches/demo/failures.yaml"),
        before,
        "nothing written"
    );
    let run = c.siemctl(&["pull", "--drifted", "--as-json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(!c
        .content
        .path()
        .join("saved-searches/demo/failures.yaml")
        .exists());
    let pulled: Value = serde_json::from_str(
        &c.content
            .read("dashboards/demo/demo-failures.search.json.hbs"),
    )
    .unwrap();
    assert_eq!(
        pulled["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"]["filter"][0]["meta"]
            ["alias"],
        "only us-east-1"
    );
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn text_with_braces_from_dashboards_stays_text() {
    let c = applied();
    let formats = json!({"source.ip": {"id": "url", "params": {"urlTemplate": "https://intel.example/ip/{{value}}"}}}).to_string();
    c.edit_in_dashboards(
        "index-pattern",
        "log-demo",
        json!({"fieldFormatMap": formats}),
    );
    let run = c.siemctl(&["pull", "index-pattern/log-demo"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let pulled = c
        .content
        .read("dashboards/demo/log-demo.index-pattern.json.hbs");
    assert!(
        pulled.contains(r"https://intel.example/ip/\{{value}}"),
        "escaped for Handlebars: {pulled}"
    );
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn drifted_settings_are_named_not_pulled() {
    let c = applied();
    c.dashboards(
        "POST",
        "/api/opensearch-dashboards/settings",
        Some(json!({"changes": {"defaultIndex": "other"}})),
        "global",
    );
    let run = c.siemctl(&["pull", "--drifted"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains("edit `dashboards/_common/advanced-settings.config.json.hbs` by hand"),
        "{}",
        run.stderr
    );
}

#[test]
fn ids_that_would_leave_the_content_folder_are_refused() {
    let c = applied();
    let run = c.siemctl(&["pull", "visualization/../../etc", "--log-type", "demo"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("cannot be a content file name"),
        "{}",
        run.stderr
    );
}
