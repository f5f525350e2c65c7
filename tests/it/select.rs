//! `--only` / `--exclude` on plan and apply, and drift that blocks only the drifted object,
//! over real HTTP against the cluster emulator.

use serde_json::json;

use crate::common::cluster::ClusterContext;

const TEMPLATE: &str = "index-templates/demo/log-demo.index-template.json.hbs";
const VISUALIZATION: &str = "dashboards/demo/demo-top-actions.visualization.json.hbs";
const DASHBOARD: &str = "dashboards/demo/demo.dashboard.json.hbs";

fn applied() -> ClusterContext {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c
}

fn title(c: &ClusterContext, saved_object_type: &str, id: &str) -> String {
    c.saved_object(saved_object_type, id, "global")["attributes"]["title"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn only_writes_the_selected_object_and_names_the_reference_it_did_not_follow() {
    let c = applied();
    c.content.edit(
        DASHBOARD,
        "\"title\": \"{{label}} overview\"",
        "\"title\": \"{{label}} overview v2\"",
    );
    c.content.edit(
        VISUALIZATION,
        "\"title\": \"{{label}}: top actions\",\n",
        "\"title\": \"{{label}}: top actions v2\",\n",
    );
    let run = c.siemctl(&["plan", "--only", "dashboard/demo", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    assert!(run.stdout.contains("dashboard"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("demo-top-actions"),
        "the visualization is not in the plan: {}",
        run.stdout
    );
    assert!(
        run.stderr.contains("warning: dashboard `demo` references visualization `demo-top-actions`, which also changes and is not selected: it is left as the cluster holds it (add --only visualization/demo-top-actions to include it)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("1 changes not selected (--only/--exclude) are left out"),
        "{}",
        run.stderr
    );

    let run = c.siemctl(&["apply", "--yes", "--only", "dashboard/demo"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("Apply complete: 0 created, 1 updated"),
        "{}",
        run.stdout
    );
    assert_eq!(title(&c, "dashboard", "demo"), "Demo overview v2");
    assert_eq!(
        title(&c, "visualization", "demo-top-actions"),
        "Demo: top actions",
        "not selected, not written"
    );

    // What was left out is still pending, and is not mistaken for drift.
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    assert!(!run.stdout.contains("drift"), "{}", run.stdout);
    let run = c.siemctl(&["apply", "--yes", "--exclude", "dashboard/*"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(
        title(&c, "visualization", "demo-top-actions"),
        "Demo: top actions v2"
    );
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn log_types_kinds_and_globs_select() {
    let c = ClusterContext::new("minimal");
    // Everything of kind index_pattern (either spelling) and nothing else.
    let run = c.siemctl(&["apply", "--yes", "--only", "index-pattern/*"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout
            .contains("Apply complete: 1 created, 0 updated, 0 deleted"),
        "{}",
        run.stdout
    );
    // The _common folder is a log type of its own: excluding it leaves the demo objects, and
    // the demo index template names a component template of _common not yet created.
    let run = c.siemctl(&[
        "plan",
        "--only",
        "log-type:demo",
        "--exclude",
        "index_pattern/*",
    ]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.stderr.contains("index_template `log-demo` references component_template `base`, which does not exist in the cluster yet (to create) and is not selected"), "{}", run.stderr);
    assert!(!run.stdout.contains("retention"), "{}", run.stdout);
}

#[test]
fn a_selector_that_selects_nothing_or_does_not_parse_is_refused() {
    let c = ClusterContext::new("minimal");
    let before = c.writes();
    let run = c.siemctl(&["apply", "--yes", "--only", "dashboard/demo-typo"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("--only dashboard/demo-typo selects nothing"),
        "{}",
        run.stderr
    );
    let run = c.siemctl(&["plan", "--only", "dashbord/demo"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("unknown kind `dashbord` in `dashbord/demo`"),
        "{}",
        run.stderr
    );
    let run = c.siemctl(&["plan", "--exclude", "demo"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("`demo` is not KIND/ID or log-type:NAME"),
        "{}",
        run.stderr
    );
    assert_eq!(c.writes(), before);
}

#[test]
fn a_drifted_object_blocks_only_itself() {
    let c = applied();
    c.dashboards(
        "PUT",
        "/api/saved_objects/search/demo-failures",
        Some(json!({"attributes": {"title": "Demo: failures (mine)"}})),
        "global",
    );
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    c.content.edit(
        DASHBOARD,
        "\"title\": \"{{label}} overview\"",
        "\"title\": \"{{label}} overview v2\"",
    );

    // --strict-drift: today's all-or-nothing, nothing written.
    let before = c.writes();
    let run = c.siemctl(&["apply", "--yes", "--strict-drift"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(run.stderr.contains("refusing to overwrite objects edited in the cluster since the last apply: search `demo-failures`"), "{}", run.stderr);
    assert_eq!(c.writes(), before, "refused before writing anything");

    // By default: every safe change written, the drifted search skipped, exit 1.
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("error: refusing to overwrite objects edited in the cluster since the last apply: search `demo-failures` (\"Demo: failures\")\nhint: bring the edits into the content first (`siemctl plan` shows each difference; `siemctl pull --drifted` writes the edited saved objects into their content files), then apply; or pass --overwrite-drift to discard them"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("skipped (the rest is applied"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains(
            "Apply incomplete: 0 created, 2 updated, 0 deleted, 7 unchanged, 1 skipped (drift)."
        ),
        "{}",
        run.stdout
    );
    let (_, template) = c.opensearch("GET", "/_index_template/log-demo", None);
    assert_eq!(
        template["index_templates"][0]["index_template"]["priority"],
        150
    );
    assert_eq!(title(&c, "dashboard", "demo"), "Demo overview v2");
    assert_eq!(
        title(&c, "search", "demo-failures"),
        "Demo: failures (mine)",
        "the analyst's edit is kept"
    );

    // The JSON document lists the skipped object; the next apply has only it left.
    let run = c.siemctl(&["apply", "--yes", "--output", "json"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("refusing to overwrite"),
        "{}",
        run.snapshot()
    );
    let run = c.siemctl(&["apply", "--yes", "--overwrite-drift"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(title(&c, "search", "demo-failures"), "Demo: failures");
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn apply_json_lists_the_skipped_drifted_objects() {
    let c = applied();
    c.dashboards(
        "PUT",
        "/api/saved_objects/search/demo-failures",
        Some(json!({"attributes": {"title": "Demo: failures (mine)"}})),
        "global",
    );
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    let run = c.siemctl(&["apply", "--yes", "--output", "json"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = run.json();
    let result = &doc["data"]["result"];
    assert_eq!(
        result["skipped_drift"],
        json!([{"kind": "search", "id": "demo-failures"}]),
        "{doc}"
    );
    assert_eq!(
        result["updated"],
        json!([{"kind": "index_template", "id": "log-demo"}]),
        "{doc}"
    );
    assert!(
        doc["error"]["causes"][0]
            .as_str()
            .unwrap()
            .starts_with("refusing to overwrite"),
        "{doc}"
    );
}
