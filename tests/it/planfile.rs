//! Saved plans: `plan --out FILE`, `apply FILE` applies exactly it or refuses a stale one,
//! `show FILE` prints it; over real HTTP against the cluster emulator.

use cluster_emulator::Options;
use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;

const TEMPLATE: &str = "index-templates/demo/log-demo.index-template.json.hbs";
const VISUALIZATION: &str = "dashboards/demo/demo-top-actions.visualization.json.hbs";

fn applied() -> ClusterContext {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c
}

fn plan_out(c: &ClusterContext, extra: &[&str]) -> Value {
    let mut args = vec!["plan", "--out", "plan.json"];
    args.extend_from_slice(extra);
    let run = c.siemctl(&args);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stderr.contains("Saved the plan to `plan.json`"),
        "{}",
        run.snapshot()
    );
    serde_json::from_str(&c.content.read("plan.json")).unwrap()
}

fn template_priority(c: &ClusterContext) -> Value {
    let (_, template) = c.opensearch("GET", "/_index_template/log-demo", None);
    template["index_templates"][0]["index_template"]["priority"].clone()
}

#[test]
fn a_saved_plan_is_applied_exactly_whatever_the_content_directory_holds_now() {
    let c = applied();
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    let file = plan_out(&c, &[]);
    let plan = &file["plans"][0];
    assert_eq!(file["format"], "siemctl-plan");
    assert_eq!(file["siemctl_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(plan["content_version"], "2.3.4");
    assert!(plan["content_digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert_eq!(plan["summary"]["update"], 1);
    let change = &plan["changes"][0];
    assert_eq!(change["action"], "update");
    assert_eq!(change["kind"], "index_template");
    assert_eq!(change["before"]["priority"], 100, "{change}");
    assert_eq!(change["after"]["priority"], 150, "{change}");
    // Every live object read, with its digest.
    let live = plan["live"].as_object().unwrap();
    assert_eq!(live.len(), 10, "{live:?}");
    assert!(live
        .values()
        .all(|d| d.as_str().is_some_and(|d| !d.is_empty())));
    // After the review, the content changes again: the reviewed plan is what is applied.
    c.content
        .edit(TEMPLATE, "\"priority\": 150", "\"priority\": 175");
    let before = c.stats();
    let run = c.siemctl(&["apply", "plan.json", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout
            .ends_with("Apply complete: 0 created, 1 updated, 0 deleted, 9 unchanged.\n"),
        "{}",
        run.snapshot()
    );
    assert_eq!(
        template_priority(&c),
        150,
        "the planned value, not the newer edit"
    );
    let puts = |stats: &Value| {
        stats["by_route"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["method"] == "PUT" && r["route"] != "/{index}/_doc/{id}")
            .map(|r| {
                (
                    r["route"].as_str().unwrap().to_string(),
                    r["count"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let (was, now) = (puts(&before), puts(&c.stats()));
    let grew: Vec<_> = now.iter().filter(|r| !was.contains(r)).collect();
    assert_eq!(
        grew.iter()
            .map(|(route, _)| route.as_str())
            .collect::<Vec<_>>(),
        ["/_index_template/{name}"],
        "one object written: {was:?} -> {now:?}"
    );
    // The newer edit is still to apply, and applying the same plan again is refused as stale.
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 2);
    let run = c.siemctl(&["apply", "plan.json", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains(
            "the cluster changed since the plan was made: index_template `log-demo` (edited)"
        ),
        "{}",
        run.snapshot()
    );
}

#[test]
fn a_plan_is_refused_naming_the_objects_edited_in_the_cluster_since() {
    let c = applied();
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    plan_out(&c, &[]);
    // An analyst edits a saved search the plan does not even change.
    c.dashboards(
        "PUT",
        "/api/saved_objects/search/demo-failures",
        Some(json!({"attributes": {"title": "Demo: failures (mine)"}})),
        "global",
    );
    let writes = c.writes();
    let run = c.siemctl(&["apply", "plan.json", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("refusing to apply the saved plan")
            && run.stderr.contains("search `demo-failures` (edited)")
            && run.stderr.contains("make a new plan"),
        "{}",
        run.snapshot()
    );
    assert!(!run.stderr.contains("log-demo` (edited)"), "{}", run.stderr);
    assert_eq!(c.writes(), writes, "refused before writing anything");
    assert_eq!(template_priority(&c), 100);
}

#[test]
fn a_plan_made_by_another_version_or_edited_by_hand_is_refused() {
    let c = ClusterContext::new("minimal");
    let file = plan_out(&c, &[]);
    let mut other = file.clone();
    other["siemctl_version"] = json!("0.0.1");
    c.content
        .write("other.json", &serde_json::to_string(&other).unwrap());
    let run = c.siemctl(&["apply", "other.json", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains(&format!(
            "the plan was made by siemctl 0.0.1, and this is siemctl {}",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        run.snapshot()
    );
    let mut edited = file.clone();
    let body = edited["plans"][0]["desired"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["kind"] == "index_template")
        .unwrap();
    body["body"]["priority"] = json!(999);
    c.content
        .write("edited.json", &serde_json::to_string(&edited).unwrap());
    let run = c.siemctl(&["apply", "edited.json", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains("index_template `log-demo` is not the object that was planned"),
        "{}",
        run.snapshot()
    );
    c.content.write("junk.json", "{\"hello\": 1}");
    let run = c.siemctl(&["show", "junk.json"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("`junk.json` is not a siemctl plan file"),
        "{}",
        run.stderr
    );
    assert_eq!(c.writes(), Vec::<String>::new(), "nothing was written");
}

#[test]
fn a_plan_is_applied_only_where_it_was_made_and_with_its_own_flags() {
    let c = ClusterContext::new("minimal");
    plan_out(&c, &[]);
    let run = c.siemctl_env(
        &["apply", "plan.json", "--yes"],
        &[("SIEMCTL_OPENSEARCH_URL", "http://127.0.0.1:9")],
    );
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("was made for [OPENSEARCH]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("not for http://127.0.0.1:9"),
        "{}",
        run.stderr
    );
    let run = c.siemctl(&["apply", "plan.json", "--yes", "--var", "shards=2"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("--var cannot be given with a plan file"),
        "{}",
        run.stderr
    );
    let run = c.siemctl(&["apply", "plan.json", "--yes", "--prune"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("was made without --prune"),
        "{}",
        run.stderr
    );
    let run = c.siemctl(&["apply", "plan.json", "--yes", "--target", "prod"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("holds no plan for target `prod`"),
        "{}",
        run.stderr
    );
    // As made: a fresh cluster gets every object.
    let run = c.siemctl(&["apply", "plan.json", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.stdout.contains("10 created"), "{}", run.stdout);
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn a_pruning_plan_deletes_what_it_planned_to() {
    let c = applied();
    c.content.remove("saved-searches/demo/failures.yaml");
    let file = plan_out(&c, &["--prune"]);
    assert_eq!(file["plans"][0]["prune"], true);
    assert_eq!(file["plans"][0]["summary"]["delete"], 1);
    let run = c.siemctl(&["apply", "plan.json", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("- delete search demo-failures"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("1 deleted"), "{}", run.stdout);
}

#[test]
fn show_prints_a_saved_plan_as_text_json_and_markdown() {
    let c = applied();
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    let plan = c.siemctl(&["plan"]);
    let json_plan = c.siemctl(&["--output", "json", "plan"]).json();
    let change = &json_plan["data"]["changes"][0];
    assert_eq!(
        (&change["before"]["priority"], &change["after"]["priority"]),
        (&json!(100), &json!(150)),
        "plan's JSON carries both sides as objects: {change}"
    );
    plan_out(&c, &[]);
    let text = c.siemctl(&["show", "plan.json"]);
    assert_eq!(text.code, 0, "{}", text.snapshot());
    assert!(
        text.stdout
            .starts_with("== no target ==\nOpenSearch [OPENSEARCH] 2.19"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&plan.stdout),
        "show prints the plan as plan did:\n{}\n---\n{}",
        plan.stdout,
        text.stdout
    );
    let md = c.siemctl(&["show", "plan.json", "--format", "markdown"]);
    assert_eq!(md.code, 0, "{}", md.snapshot());
    for part in [
        "### siemctl plan: no target\n",
        "| create | update | delete | unchanged | drifted |",
        "| 0 | 1 | 0 | 9 | 0 |",
        "| update | index_template | `log-demo` |",
        "<details><summary>update index_template <code>log-demo</code></summary>",
        "```diff\n--- live\n+++ content\n",
        "-  \"priority\": 100,\n+  \"priority\": 150,",
    ] {
        assert!(md.stdout.contains(part), "`{part}` missing:\n{}", md.stdout);
    }
    for args in [
        &["--output", "json", "show", "plan.json"][..],
        &["show", "plan.json", "--format", "json"],
    ] {
        let run = c.siemctl(args);
        assert_eq!(run.code, 0, "{}", run.snapshot());
        let doc = run.json();
        let change = &doc["data"]["plans"][0]["changes"][0];
        assert_eq!(change["before"]["priority"], 100);
        assert_eq!(change["after"]["priority"], 150);
        assert!(change["diff"]
            .as_str()
            .unwrap()
            .contains("+  \"priority\": 150"));
        assert!(
            doc["data"]["plans"][0].get("desired").is_none(),
            "bodies stay in the file"
        );
    }
}

const PASSWORD: &str = "hunter2-correct-horse";
const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

#[test]
fn a_plan_file_holds_no_secret() {
    let c = ClusterContext::with_options(
        "minimal",
        Options {
            basic_auth: Some(("siemctl".into(), PASSWORD.into())),
            ..Options::default()
        },
    );
    let env = [
        ("SIEMCTL_USERNAME", "siemctl"),
        ("SIEMCTL_PASSWORD", PASSWORD),
        ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
    ];
    let run = c.siemctl_env(&["plan", "--out", "plan.json"], &env);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let text = c.content.read("plan.json");
    for secret in [PASSWORD, AWS_SECRET, "aHVudGVy", "c2llbWN0bDpodW50ZXIy"] {
        assert!(!text.contains(secret), "a secret is in the plan file");
    }
    let run = c.siemctl_env(&["apply", "plan.json", "--yes"], &env);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // A secret that made its way into the content: the file is not written at all.
    c.content.remove("plan.json");
    c.content.edit(
        VISUALIZATION,
        "\"title\": \"",
        &format!("\"title\": \"{PASSWORD} "),
    );
    let run = c.siemctl_env(&["plan", "--out", "plan.json"], &env);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("not writing the plan file `plan.json`"),
        "{}",
        run.stderr
    );
    assert!(!c.content.path().join("plan.json").exists());
    assert!(!run.stdout.contains(PASSWORD) && !run.stderr.contains(PASSWORD));
}

#[test]
fn a_plan_is_refused_when_only_siemctls_records_changed_since() {
    let c = applied();
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    plan_out(&c, &[]);
    // No object changes in the cluster; siemctl's record of the cluster's objects goes (as if
    // another tool reset the state index): every object read is the same, the plan is not.
    let (status, _) = c.opensearch("DELETE", "/siemctl-state/_doc/state-cluster", None);
    assert_eq!(status, 200);
    let writes = c.writes();
    let run = c.siemctl(&["--output", "json", "apply", "plan.json", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = run.json();
    assert_eq!(doc["error"]["code"], "stale_plan", "{doc}");
    let causes = doc["error"]["causes"].to_string();
    assert!(
        causes.contains("siemctl's records changed since it was made")
            && causes.contains("index_template `log-demo`: planned update"),
        "{doc}"
    );
    assert_eq!(c.writes(), writes, "refused before writing anything");
    assert_eq!(template_priority(&c), 100);
}
