//! `siemctl pull --new`, `--with-references` and pull step by step: objects made in
//! Dashboards, brought into the content and managed from the next apply on.

use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;

fn applied() -> ClusterContext {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c
}

/// How many requests the emulator has answered on `route` with `method` so far.
fn requests(c: &ClusterContext, method: &str, route: &str) -> u64 {
    c.stats()["by_route"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == method && r["route"] == route)
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

/// A metric visualization as Dashboards saves it, on index pattern `pattern` (none: `None`).
fn visualization(title: &str, pattern: Option<&str>) -> Value {
    let vis_state = json!({"title": title, "type": "metric", "params": {}, "aggs": [{"id": "1", "type": "count", "schema": "metric", "params": {}}]});
    let mut source = json!({"query": {"query": "", "language": "kuery"}, "filter": []});
    let mut references = Vec::new();
    if let Some(pattern) = pattern {
        source["indexRefName"] = json!("kibanaSavedObjectMeta.searchSourceJSON.index");
        references.push(json!({"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": pattern}));
    }
    json!({"attributes": {"title": title, "visState": vis_state.to_string(), "uiStateJSON": "{}", "description": "", "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": source.to_string()}},
        "references": references})
}

/// A metric visualization made from a saved search.
fn visualization_of_search(title: &str, search: &str) -> Value {
    let vis_state = json!({"title": title, "type": "metric", "params": {}, "aggs": [{"id": "1", "type": "count", "schema": "metric", "params": {}}]});
    json!({"attributes": {"title": title, "visState": vis_state.to_string(), "uiStateJSON": "{}", "description": "", "version": 1,
        "savedSearchRefName": "search_0",
        "kibanaSavedObjectMeta": {"searchSourceJSON": "{\"query\":{\"query\":\"\",\"language\":\"kuery\"},\"filter\":[]}"}},
        "references": [{"name": "search_0", "type": "search", "id": search}]})
}

/// A search as Discover saves it.
fn discover_search(title: &str, query: &str) -> Value {
    let source = json!({"query": {"query": query, "language": "kuery"}, "highlightAll": true, "version": true, "filter": [], "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"});
    json!({"attributes": {"title": title, "description": "", "hits": 0, "columns": ["user.name", "event.action"], "sort": [["@timestamp", "desc"]], "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": source.to_string()}},
        "references": [{"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": "log-demo"}]})
}

/// A dashboard as Dashboards saves it, with one panel per visualization.
fn dashboard(title: &str, visualizations: &[&str]) -> Value {
    let panels: Vec<Value> = visualizations
        .iter()
        .enumerate()
        .map(|(i, _)| json!({"panelIndex": (i + 1).to_string(), "gridData": {"x": 24 * (i % 2), "y": 0, "w": 24, "h": 15, "i": (i + 1).to_string()}, "embeddableConfig": {}, "panelRefName": format!("panel_{i}")}))
        .collect();
    let references: Vec<Value> = visualizations
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"name": format!("panel_{i}"), "type": "visualization", "id": id}))
        .collect();
    json!({"attributes": {"title": title, "description": "", "hits": 0, "timeRestore": false, "version": 1,
        "optionsJSON": "{\"hidePanelTitles\":false,\"useMargins\":true}",
        "panelsJSON": Value::Array(panels).to_string(),
        "kibanaSavedObjectMeta": {"searchSourceJSON": "{\"query\":{\"query\":\"\",\"language\":\"kuery\"},\"filter\":[]}"}},
        "references": references})
}

const VIS_ID: &str = "5f2c8a10-8e1b-11ef-9c1a-0b1e6f7d2a11";
const SEARCH_ID: &str = "7a9d4c20-8e1b-11ef-9c1a-0b1e6f7d2a11";

fn made_in_the_ui(c: &ClusterContext, kind: &str, id: &str, body: Value) {
    c.dashboards(
        "POST",
        &format!("/api/saved_objects/{kind}/{id}"),
        Some(body),
        "global",
    );
}

#[test]
fn pull_new_by_title_names_the_file_after_it_and_the_next_apply_manages_it_without_adopt() {
    let c = applied();
    made_in_the_ui(
        &c,
        "visualization",
        VIS_ID,
        visualization("Failed logins by user", Some("log-demo")),
    );
    made_in_the_ui(
        &c,
        "search",
        SEARCH_ID,
        discover_search("Root activity", "user.name:root"),
    );
    let finds = requests(&c, "GET", "/api/saved_objects/_find");
    let run = c.siemctl(&["pull", "--new", "--title", "*LOGINS by*"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(
        requests(&c, "GET", "/api/saved_objects/_find"),
        finds + 2,
        "one _find for one page, and the titles `_find` of the read of the cluster"
    );
    // The listing: only what the title matches, with its id and type.
    assert!(
        run.stdout.contains("1 saved object with a title matching `*LOGINS by*` in tenant global that siemctl does not manage"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(VIS_ID) && !run.stdout.contains(SEARCH_ID),
        "{}",
        run.stdout
    );
    let file = "dashboards/demo/failed-logins-by-user.visualization.json.hbs";
    let text = c.content.read(file);
    assert!(
        text.starts_with(&format!(
            "{{\n  \"id\": \"{VIS_ID}\",\n  \"attributes\": {{"
        )),
        "the id stays the cluster's: {text}"
    );
    assert!(
        run.stderr.contains(&format!(
            "visualization `{VIS_ID}` is managed at the next apply"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("the content validates"),
        "{}",
        run.stdout
    );
    // No --adopt: the cluster holds exactly the content, so apply only records it.
    let writes_before = c.writes();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let written: Vec<String> = c
        .writes()
        .into_iter()
        .filter(|w| !writes_before.contains(w))
        .collect();
    assert!(
        written.iter().all(|w| !w.contains("saved_objects")),
        "the visualization is not written: {written:?}"
    );
    let (status, state) = c.opensearch("GET", "/siemctl-state/_doc/state-tenant-global", None);
    assert_eq!(status, 200, "{state}");
    assert!(
        state["_source"]["objects"]
            .get(format!("visualization/{VIS_ID}"))
            .is_some(),
        "recorded as managed: {state}"
    );
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
    // Recorded: not new any more, and a change to it in Dashboards is drift.
    let run = c.siemctl(&["pull", "--new", "--type", "visualization"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.stdout.contains("Nothing new"), "{}", run.stdout);
    c.dashboards(
        "PUT",
        &format!("/api/saved_objects/visualization/{VIS_ID}"),
        Some(json!({"attributes": {"description": "edited"}})),
        "global",
    );
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    assert!(run.stdout.contains("drift"), "{}", run.stdout);
}

#[test]
fn a_discover_search_comes_back_as_yaml_and_what_yaml_cannot_hold_is_named() {
    let c = applied();
    made_in_the_ui(
        &c,
        "search",
        SEARCH_ID,
        discover_search("Root activity", "user.name:root"),
    );
    let mut labelled = discover_search("Labelled filter", "");
    let source = json!({"query": {"query": "", "language": "kuery"}, "highlightAll": true, "version": true,
        "filter": [{"meta": {"alias": "only us-east-1", "negate": false, "disabled": false, "type": "phrase", "key": "demo.region", "params": {"query": "us-east-1"}, "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.filter[0].meta.index"}, "query": {"match_phrase": {"demo.region": "us-east-1"}}, "$state": {"store": "appState"}}],
        "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"});
    labelled["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"] = json!(source.to_string());
    labelled["references"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "kibanaSavedObjectMeta.searchSourceJSON.filter[0].meta.index", "type": "index-pattern", "id": "log-demo"}));
    made_in_the_ui(&c, "search", "labelled", labelled);
    let run = c.siemctl(&["pull", "--new", "--type", "search", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(
        "discover_search_as_yaml",
        c.content.read("saved-searches/demo/root-activity.yaml")
    );
    let warning = run
        .stderr
        .lines()
        .find(|l| l.contains("`labelled`"))
        .unwrap_or_default();
    insta::assert_snapshot!("yaml_cannot_hold", warning);
    assert!(c
        .content
        .path()
        .join("dashboards/demo/labelled-filter.search.json.hbs")
        .exists());
    // Written in the layout fmt keeps.
    let run = c.siemctl(&["fmt", "--check"]);
    assert!(
        !run.stdout.contains("root-activity")
            && !run.stdout.contains("labelled-filter")
            && !run.stderr.contains("root-activity")
            && !run.stderr.contains("labelled-filter"),
        "{}",
        run.snapshot()
    );
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn a_log_type_that_cannot_be_told_is_an_error_naming_the_candidates() {
    let c = ClusterContext::new("minimal");
    c.content.write(
        "dashboards/demo/shared-a.index-pattern.json.hbs",
        "{\"attributes\": {\"title\": \"shared-*\", \"timeFieldName\": \"@timestamp\"}}\n",
    );
    c.content.write(
        "dashboards/other/shared-b.index-pattern.json.hbs",
        "{\"attributes\": {\"title\": \"shared-*\", \"timeFieldName\": \"@timestamp\"}}\n",
    );
    made_in_the_ui(
        &c,
        "index-pattern",
        "ui-shared",
        json!({"attributes": {"title": "shared-*", "timeFieldName": "@timestamp"}}),
    );
    made_in_the_ui(
        &c,
        "index-pattern",
        "ui-nothing",
        json!({"attributes": {"title": "nothing-*", "timeFieldName": "@timestamp"}}),
    );
    made_in_the_ui(
        &c,
        "visualization",
        "ui-markdown",
        visualization("Notes", None),
    );
    let before = crate::common::tree(c.content.path());
    let run = c.siemctl(&["pull", "--new", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!("log_type_undecided", run.stderr);
    assert_eq!(
        crate::common::tree(c.content.path()),
        before,
        "nothing written"
    );
    // --log-type settles it.
    let run = c.siemctl(&["pull", "--new", "--yes", "--log-type", "demo"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(c
        .content
        .path()
        .join("dashboards/demo/notes.visualization.json.hbs")
        .exists());
}

#[test]
fn a_dashboard_pulls_step_by_step_while_its_visualizations_are_missing() {
    let c = applied();
    made_in_the_ui(
        &c,
        "visualization",
        "ui-vis-a",
        visualization("Logins", Some("log-demo")),
    );
    made_in_the_ui(
        &c,
        "visualization",
        "ui-vis-b",
        visualization("Logins!", Some("log-demo")),
    );
    made_in_the_ui(
        &c,
        "dashboard",
        "ui-dash",
        dashboard("SOC overview", &["ui-vis-a", "ui-vis-b"]),
    );
    let run = c.siemctl(&["pull", "dashboard/ui-dash", "--log-type", "demo"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stderr.contains("dashboard `ui-dash` references what the content lacks: visualization/ui-vis-a, visualization/ui-vis-b"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("The content has"),
        "problems reported after: {}",
        run.stdout
    );
    // The content has problems now: pull still runs, and mends them.
    assert_eq!(c.siemctl(&["validate"]).code, 1);
    let run = c.siemctl(&["pull", "visualization/ui-vis-a", "visualization/ui-vis-b"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // Titles of the same name: the second file gets a number.
    for file in [
        "dashboards/demo/soc-overview.dashboard.json.hbs",
        "dashboards/demo/logins.visualization.json.hbs",
        "dashboards/demo/logins-2.visualization.json.hbs",
    ] {
        assert!(c.content.path().join(file).exists(), "{file}");
    }
    assert!(
        run.stdout.contains("the content validates"),
        "{}",
        run.snapshot()
    );
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn with_references_pulls_what_a_dashboard_needs_in_one_bulk_get_per_level() {
    let c = applied();
    made_in_the_ui(
        &c,
        "search",
        "ui-search",
        discover_search("Root activity", "user.name:root"),
    );
    made_in_the_ui(
        &c,
        "visualization",
        "ui-vis-a",
        visualization_of_search("Root actions", "ui-search"),
    );
    made_in_the_ui(
        &c,
        "visualization",
        "ui-vis-b",
        visualization("Actions", Some("log-demo")),
    );
    made_in_the_ui(
        &c,
        "dashboard",
        "ui-dash",
        dashboard("SOC overview", &["ui-vis-a", "ui-vis-b"]),
    );
    let gets = requests(&c, "POST", "/api/saved_objects/_bulk_get");
    let run = c.siemctl(&["pull", "dashboard/ui-dash", "--with-references"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // The dashboard; its two visualizations; the search one of them is made from.
    assert_eq!(
        requests(&c, "POST", "/api/saved_objects/_bulk_get"),
        gets + 3
    );
    for file in [
        "dashboards/demo/soc-overview.dashboard.json.hbs",
        "dashboards/demo/root-actions.visualization.json.hbs",
        "dashboards/demo/actions.visualization.json.hbs",
        "saved-searches/demo/root-activity.yaml",
    ] {
        assert!(
            c.content.path().join(file).exists(),
            "{file}: {}",
            run.stderr
        );
    }
    assert!(
        run.stdout.contains("the content validates"),
        "{}",
        run.snapshot()
    );
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn pull_refuses_unclear_flags() {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["pull", "--new", "--drifted"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("pull_modes", run.stderr);
    let run = c.siemctl(&["pull", "--new", "--type", "widget"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("`widget` is not a kind pull brings back"),
        "{}",
        run.stderr
    );
}

/// Dashboards' `updated_at` times (`2024-01-02T03:04:05.678Z`) as `[UPDATED]`, for snapshots.
fn scrub_times(text: &str) -> String {
    const SHAPE: &str = "dddd-dd-ddTdd:dd:dd.dddZ";
    let chars: Vec<char> = text.chars().collect();
    let fits = |at: usize| {
        chars.len() >= at + SHAPE.len()
            && SHAPE.chars().zip(&chars[at..]).all(|(s, c)| match s {
                'd' => c.is_ascii_digit(),
                s => s == *c,
            })
    };
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if fits(i) {
            out.push_str("[UPDATED]");
            i += SHAPE.len();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The `Pulled ... into ...` lines of a run's stderr.
fn pulled_lines(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| l.starts_with("Pulled "))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn new_files_are_named_from_any_title_and_collisions_get_a_number() {
    let c = applied();
    // A file the content already has under the name the first title gives.
    c.content.write(
        "dashboards/demo/failed-logins.visualization.json.hbs",
        &c.content
            .read("dashboards/demo/demo-top-actions.visualization.json.hbs")
            .replace("\"demo-top-actions\"", "\"hand-made\""),
    );
    let titles = [
        ("ui-accents", "Échecs d'authentification à Zürich"),
        ("ui-cyrillic", "Вход в систему"),
        ("ui-japanese", "ログイン失敗"),
        ("ui-emoji", "🔥🚨 ✅"),
        ("ui-collide-a", "Failed logins"),
        ("ui-collide-b", "failed LOGINS!"),
    ];
    for (id, title) in titles {
        made_in_the_ui(
            &c,
            "visualization",
            id,
            visualization(title, Some("log-demo")),
        );
    }
    let run = c.siemctl(&["pull", "--new", "--type", "visualization", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!("readable_file_names", pulled_lines(&run.stderr));
    // The ids stay the cluster's, whatever the file is called.
    for (id, _) in titles {
        let file = run
            .stderr
            .lines()
            .find(|l| l.starts_with(&format!("Pulled visualization `{id}` into `")))
            .and_then(|l| l.split('`').nth(3))
            .unwrap_or_else(|| panic!("{id} not pulled: {}", run.stderr));
        let text = c.content.read(file);
        let named_by_id = file.ends_with(&format!("/{id}.visualization.json.hbs"));
        assert!(
            named_by_id || text.contains(&format!("\"id\": \"{id}\"")),
            "{file}: {text}"
        );
    }
    // The same objects into fresh content give the same names: the numbering is deterministic.
    let again = applied();
    again.content.write(
        "dashboards/demo/failed-logins.visualization.json.hbs",
        &c.content
            .read("dashboards/demo/failed-logins.visualization.json.hbs"),
    );
    for (id, title) in titles.iter().rev() {
        made_in_the_ui(
            &again,
            "visualization",
            id,
            visualization(title, Some("log-demo")),
        );
    }
    let run2 = again.siemctl(&["pull", "--new", "--type", "visualization", "--yes"]);
    assert_eq!(run2.code, 0, "{}", run2.snapshot());
    assert_eq!(pulled_lines(&run2.stderr), pulled_lines(&run.stderr));
}

#[test]
fn pull_new_list_shows_what_is_new_and_writes_nothing() {
    let c = applied();
    made_in_the_ui(
        &c,
        "visualization",
        VIS_ID,
        visualization("Failed logins by user", Some("log-demo")),
    );
    made_in_the_ui(
        &c,
        "search",
        SEARCH_ID,
        discover_search("Root activity", "user.name:root"),
    );
    let before = crate::common::tree(c.content.path());
    let run = c.siemctl(&["pull", "--new", "--list"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!("list", scrub_times(&run.snapshot()));
    let run = c.siemctl(&["pull", "--new", "--list", "--type", "search"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains(SEARCH_ID) && !run.stdout.contains(VIS_ID),
        "{}",
        run.stdout
    );
    let run = c.siemctl(&["pull", "--new", "--list", "--title", "failed*"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains(VIS_ID) && !run.stdout.contains(SEARCH_ID),
        "{}",
        run.stdout
    );
    let run = c.siemctl(&["pull", "--new", "--list", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let document = run.json();
    let errors = crate::json_output::schema_errors("pull", &document);
    assert!(errors.is_empty(), "{errors:?}\n{document}");
    assert_eq!(document["data"]["tenant"], "global");
    let objects = document["data"]["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 2, "{document}");
    assert_eq!(objects[0]["type"], "search");
    assert_eq!(objects[0]["id"], SEARCH_ID);
    assert_eq!(objects[0]["title"], "Root activity");
    assert!(objects[1]["updated"].is_string(), "{document}");
    assert_eq!(
        crate::common::tree(c.content.path()),
        before,
        "--list writes nothing"
    );
    let run = c.siemctl(&["pull", "--new", "--list", "--yes"]);
    assert_eq!(run.code, 1, "--list and --yes: {}", run.snapshot());
}

#[test]
fn without_a_terminal_pull_new_of_several_objects_needs_yes() {
    let c = applied();
    made_in_the_ui(
        &c,
        "visualization",
        VIS_ID,
        visualization("Failed logins by user", Some("log-demo")),
    );
    made_in_the_ui(
        &c,
        "search",
        SEARCH_ID,
        discover_search("Root activity", "user.name:root"),
    );
    let before = crate::common::tree(c.content.path());
    // The tests' stdin is not a terminal, as in CI.
    let run = c.siemctl(&["pull", "--new"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!("no_terminal", scrub_times(&run.snapshot()));
    let run = c.siemctl(&["pull", "--new", "--output", "json"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!("no_terminal_json", scrub_times(&run.snapshot()));
    // A selection that leaves several is not enough either.
    let run = c.siemctl(&[
        "pull",
        "--new",
        "--type",
        "search",
        "--type",
        "visualization",
    ]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert_eq!(crate::common::tree(c.content.path()), before);
    // A selection that leaves exactly one pulls it; --yes pulls all.
    let run = c.siemctl(&["pull", "--new", "--type", "search"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stderr.contains(&format!("Pulled search `{SEARCH_ID}`")),
        "{}",
        run.stderr
    );
    let run = c.siemctl(&["pull", "--new", "--yes", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let document = run.json();
    let errors = crate::json_output::schema_errors("pull", &document);
    assert!(errors.is_empty(), "{errors:?}\n{document}");
    assert_eq!(document["data"]["pulled"][0]["id"], VIS_ID, "{document}");
    // Nothing new: still one JSON document (nothing pulled), and an empty list.
    let run = c.siemctl(&["pull", "--new", "--yes", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(
        run.json()["data"]["pulled"],
        json!([]),
        "{}",
        run.snapshot()
    );
    let run = c.siemctl(&["pull", "--new", "--list", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(
        run.json()["data"]["objects"],
        json!([]),
        "{}",
        run.snapshot()
    );
    assert!(crate::json_output::schema_errors("pull", &run.json()).is_empty());
}
