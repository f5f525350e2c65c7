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

/// Asks on a terminal, answers `n`: the same-title warning is on the screen before the
/// question, and nothing is written. `args` follow `apply`.
fn warned_before_the_question(c: &ClusterContext, args: &[&str], warning: &str) {
    // A change to apply, so that apply asks.
    c.content.edit(
        "dashboards/demo/demo.dashboard.json.hbs",
        "\"title\": \"",
        "\"title\": \"Changed ",
    );
    let writes = c.writes();
    let mut command = vec!["apply"];
    command.extend_from_slice(args);
    let mut terminal = c.terminal(&command);
    let question = "Apply these changes? Only `yes` is accepted: ";
    terminal.wait_for(question);
    terminal.answer("n");
    let (code, screen) = terminal.finish();
    assert_eq!(code, 1, "cancelled: {screen}");
    assert!(screen.contains("apply cancelled"), "{screen}");
    let warned = screen
        .find(warning)
        .unwrap_or_else(|| panic!("no `{warning}`:\n{screen}"));
    let asked = screen.find(question).unwrap();
    assert!(
        warned < asked,
        "the warning comes before the question:\n{screen}"
    );
    assert_eq!(
        screen.matches("have the same title").count(),
        1,
        "one warning:\n{screen}"
    );
    assert_eq!(c.writes(), writes, "nothing written:\n{screen}");
}

#[test]
fn apply_warns_about_a_same_title_before_asking() {
    let c = ClusterContext::new("minimal");
    let title = with_a_second_pattern(&c);
    let warning = format!(
        "warning: index_pattern `log-demo` and index_pattern `made-in-the-ui` in the cluster have the same title \"{title}\""
    );
    warned_before_the_question(&c, &[], &warning);
}

#[test]
fn apply_over_several_targets_warns_about_a_same_title_before_asking() {
    let c = ClusterContext::new("minimal");
    let title = with_a_second_pattern(&c);
    // A second target of another tenant on the same emulator: no second pattern there.
    let toml = c.content.read("siemctl.toml");
    c.content.write(
        "siemctl.toml",
        &format!(
            "{toml}\n[targets.a]\nopensearch_url = \"{os}\"\ndashboards_url = \"{osd}\"\ntenant = \"global\"\n\n[targets.b]\nopensearch_url = \"{os}\"\ndashboards_url = \"{osd}\"\ntenant = \"team-a\"\n",
            os = c.emulator.opensearch_url(),
            osd = c.emulator.dashboards_url(),
        ),
    );
    let warning = format!(
        "warning: a: index_pattern `log-demo` and index_pattern `made-in-the-ui` in the cluster have the same title \"{title}\""
    );
    warned_before_the_question(&c, &["--target", "a", "--target", "b"], &warning);
}
