//! plan and apply over real HTTP against the cluster emulator.

use cluster_emulator::Options;
use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;

const SEARCH: &str = "saved-searches/demo/failures.yaml";
const TEMPLATE: &str = "index-templates/demo/log-demo.index-template.json.hbs";

fn applied(fixture: &str) -> ClusterContext {
    let c = ClusterContext::new(fixture);
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c
}

#[test]
fn fresh_apply_then_no_changes_and_no_writes() {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "changes pending: {}", run.snapshot());
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(
        run.code,
        0,
        "no false diff right after apply: {}",
        run.snapshot()
    );
    assert!(
        run.stdout
            .contains("Plan: 0 to create, 0 to update, 0 to delete, 10 unchanged."),
        "{}",
        run.stdout
    );
    let before = c.writes();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(run.stdout, "No changes.\n");
    assert_eq!(c.writes(), before, "a second apply sends no write request");
}

#[test]
fn a_dashboards_visit_is_not_a_change() {
    let c = applied("minimal");
    c.ui_visit("global"); // rewrites the index pattern's field cache, creates the config object
    c.assert_converged();
}

#[test]
fn a_content_change_updates_exactly_that_object() {
    let c = applied("minimal");
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.snapshot());
    let before = c.stats();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout
            .ends_with("Apply complete: 0 created, 1 updated, 0 deleted, 9 unchanged.\n"),
        "{}",
        run.stdout
    );
    let count = |stats: &serde_json::Value, method: &str, route: &str| {
        stats["by_route"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["method"] == method && r["route"] == route)
            .map(|r| r["count"].as_u64().unwrap())
            .sum::<u64>()
    };
    let after = c.stats();
    assert_eq!(
        count(&after, "PUT", "/_index_template/{name}")
            - count(&before, "PUT", "/_index_template/{name}"),
        1
    );
    for route in [
        "/_component_template/{name}",
        "/_ingest/pipeline/{id}",
        "/_plugins/_ism/policies/{policy_id}",
    ] {
        assert_eq!(
            count(&after, "PUT", route),
            count(&before, "PUT", route),
            "{route} untouched"
        );
    }
    assert_eq!(
        count(&after, "POST", "/api/saved_objects/_bulk_create"),
        count(&before, "POST", "/api/saved_objects/_bulk_create")
    );
    let (_, template) = c.opensearch("GET", "/_index_template/log-demo", None);
    assert_eq!(
        template["index_templates"][0]["index_template"]["priority"],
        150
    );
    c.assert_converged();
}

#[test]
fn ui_edits_are_drift_refused_then_overwritten_on_request() {
    let c = applied("minimal");
    // An analyst edits the saved search in Dashboards (a partial update, as the UI's API does).
    let edit = json!({"attributes": {"title": "Demo: failures (mine)"}});
    c.dashboards(
        "PUT",
        "/api/saved_objects/search/demo-failures",
        Some(edit),
        "global",
    );
    let run = c.siemctl(&["plan"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!("drift_plan", run.snapshot());
    // apply would discard the edit: it refuses, naming the object and what to do, and writes nothing.
    let before = c.writes();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("drift_refused", run.snapshot());
    assert_eq!(c.writes(), before, "refused before writing anything");
    let run = c.siemctl(&["apply", "--yes", "--overwrite-drift"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let title = &c.saved_object("search", "demo-failures", "global")["attributes"]["title"];
    assert_eq!(title, "Demo: failures", "the content's version is back");
    c.assert_converged();
}

#[test]
fn prune_deletes_only_managed_objects() {
    let c = applied("minimal");
    // Objects siemctl does not manage.
    c.dashboards(
        "POST",
        "/api/saved_objects/search/analyst-own",
        Some(json!({"attributes": {"title": "Mine", "columns": [], "sort": []}})),
        "global",
    );
    let (status, _) = c.opensearch(
        "PUT",
        "/_component_template/someone-elses",
        Some(json!({"template": {"settings": {"number_of_shards": 1}}})),
    );
    assert_eq!(status, 200);
    c.content.remove(SEARCH);
    let run = c.siemctl(&["plan"]);
    assert!(
        run.stdout.contains("search demo-failures left the content"),
        "{}",
        run.stdout
    );
    let run = c.siemctl(&["apply", "--yes", "--prune"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("- delete search demo-failures"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("0 created, 0 updated, 1 deleted, 9 unchanged.\n"),
        "{}",
        run.stdout
    );
    c.saved_object("search", "analyst-own", "global");
    let (status, _) = c.opensearch("GET", "/_component_template/someone-elses", None);
    assert_eq!(status, 200, "unmanaged objects are untouched");
    assert_eq!(
        c.siemctl(&["plan", "--prune", "--detailed-exitcode"]).code,
        0
    );
}

#[test]
fn objects_siemctl_did_not_create_are_reported_not_taken_over() {
    let c = ClusterContext::new("minimal");
    c.dashboards(
        "POST",
        "/api/saved_objects/index-pattern/log-demo",
        Some(json!({"attributes": {"title": "somebody-*"}})),
        "global",
    );
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("index_pattern `log-demo`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--adopt"), "{}", run.stderr);
    assert_eq!(
        c.saved_object("index-pattern", "log-demo", "global")["attributes"]["title"],
        "somebody-*"
    );
    let run = c.siemctl(&["apply", "--yes", "--adopt"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(
        c.saved_object("index-pattern", "log-demo", "global")["attributes"]["title"],
        "log-demo-*"
    );
}

#[test]
fn older_content_does_not_replace_newer() {
    let c = applied("minimal");
    c.content
        .edit("siemctl.toml", "version = \"2.3.4\"", "version = \"2.3.3\"");
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 90");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("refusing to downgrade"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2.3.4"), "{}", run.stderr);
    let run = c.siemctl(&["apply", "--yes", "--allow-downgrade"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn faults_mid_apply_are_retried_and_the_next_apply_is_a_no_op() {
    let c = ClusterContext::new("minimal");
    c.faults(json!([
        {"method": "PUT", "path": "/_index_template/*", "status": 429, "retry_after": 1},
        {"method": "PUT", "path": "/_ingest/pipeline/*", "status": 503, "count": 2},
        {"method": "POST", "path": "/api/saved_objects/_bulk_create", "drop_after": true},
        {"method": "PUT", "path": "/_plugins/_ism/policies/*", "drop_after": true},
        {"method": "PUT", "path": "/siemctl-state/_doc/*", "drop_after": true}
    ]));
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let rules: serde_json::Value =
        reqwest::blocking::get(format!("{}/_emulator/faults", c.emulator.opensearch_url()))
            .unwrap()
            .json()
            .unwrap();
    assert_eq!(
        rules
            .as_array()
            .map(Vec::len)
            .or_else(|| rules["rules"].as_array().map(Vec::len)),
        Some(0),
        "every fault was hit: {rules}"
    );
    c.assert_converged();
    let before = c.writes();
    assert_eq!(c.siemctl(&["apply", "--yes"]).stdout, "No changes.\n");
    assert_eq!(c.writes(), before);
}

#[test]
fn a_failed_object_fails_the_run_and_the_next_apply_converges() {
    let c = ClusterContext::new("minimal");
    // The server keeps failing one write beyond the retry budget of this run.
    c.faults(json!([{"method": "PUT", "path": "/_ingest/pipeline/*", "status": 502, "count": 50}]));
    let run = c.siemctl(&["apply", "--yes", "--retry-budget", "2"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("ingest_pipeline `log-demo` failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("not attempted (an object it may depend on failed"),
        "later groups wait: {}",
        run.stderr
    );
    c.clear_faults();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("+ create ingest_pipeline log-demo"),
        "{}",
        run.stdout
    );
    c.assert_converged();
}

#[test]
fn concurrent_applies_do_not_interleave() {
    let c = ClusterContext::with_options(
        "minimal",
        Options {
            latency_ms: 20,
            ..Options::default()
        },
    );
    let first = c.spawn(&["apply", "--yes"]);
    let second = c.spawn(&["apply", "--yes"]);
    let (a, b) = (
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    );
    let texts = [
        String::from_utf8_lossy(&a.stdout).to_string(),
        String::from_utf8_lossy(&b.stdout).to_string(),
    ];
    assert!(
        a.status.success() && b.status.success(),
        "{texts:?}\n{}\n{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    // One created everything; the other, after waiting for the lock, found nothing to do.
    let created: Vec<bool> = texts.iter().map(|t| t.contains("10 created")).collect();
    assert_eq!(created.iter().filter(|c| **c).count(), 1, "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.contains("No changes.") || t.contains("0 created, 0 updated")),
        "{texts:?}"
    );
    c.assert_converged();
}

#[test]
fn a_held_lock_names_its_holder_and_an_expired_one_is_taken_over() {
    let c = ClusterContext::new("minimal");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let lock = |expires: u64| json!({"who": "ci@runner-7", "pid": 4242, "run_id": "other", "acquired_at_ms": now - 1000, "expires_at_ms": expires});
    c.opensearch("PUT", "/siemctl-state", Some(json!({})));
    let (status, _) = c.opensearch(
        "PUT",
        "/siemctl-state/_doc/lock?op_type=create",
        Some(lock(now + 600_000)),
    );
    assert_eq!(status, 201);
    let run = c.siemctl(&["apply", "--yes", "--lock-timeout", "1"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("ci@runner-7 (pid 4242)"),
        "{}",
        run.stderr
    );
    c.opensearch("DELETE", "/siemctl-state/_doc/lock", None);
    c.opensearch(
        "PUT",
        "/siemctl-state/_doc/lock?op_type=create",
        Some(lock(now - 1)),
    );
    let run = c.siemctl(&["apply", "--yes", "--lock-timeout", "1"]);
    assert_eq!(
        run.code,
        0,
        "a crashed run's lock expires: {}",
        run.snapshot()
    );
}

#[test]
fn the_password_never_appears_in_output_or_logs() {
    let secret = "s3cr3t-P@ss";
    let c = ClusterContext::with_options(
        "minimal",
        Options {
            basic_auth: Some(("admin".into(), secret.into())),
            ..Options::default()
        },
    );
    let env = [
        ("SIEMCTL_USERNAME", "admin"),
        ("SIEMCTL_PASSWORD", secret),
        ("SIEMCTL_AUTH", "basic"),
    ];
    for args in [
        &["apply", "--yes", "-vv"][..],
        &["plan", "-vv", "--output", "json"][..],
    ] {
        let run = c.siemctl_env(args, &env);
        assert_eq!(run.code, 0, "{}", run.snapshot());
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{}",
            run.snapshot()
        );
    }
    // Wrong password: the error says 401, without the password either.
    let run = c.siemctl_env(
        &["plan", "-vv"],
        &[
            ("SIEMCTL_USERNAME", "admin"),
            ("SIEMCTL_PASSWORD", "wrong-Secret-9"),
            ("SIEMCTL_AUTH", "basic"),
        ],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("401"), "{}", run.stderr);
    assert!(!run.stderr.contains("wrong-Secret-9") && !run.stdout.contains("wrong-Secret-9"));
    // A password in a URL is refused without being echoed.
    let url = c
        .emulator
        .opensearch_url()
        .replace("http://", &format!("http://admin:{secret}@"));
    let run = c.siemctl_env(&["plan"], &[("SIEMCTL_OPENSEARCH_URL", url.as_str())]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains(secret), "{}", run.stderr);
}

#[test]
fn tenants_are_isolated() {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["apply", "--yes", "--tenant", "secops"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c.saved_object("search", "demo-failures", "secops");
    // The global tenant has none of the saved objects; the cluster-wide objects are shared.
    let run = c.siemctl(&["plan", "--tenant", "global", "--output", "json"]);
    let summary = &run.json()["data"]["summary"];
    assert_eq!(summary["create"], 5, "{summary}");
    assert_eq!(summary["unchanged"], 5, "{summary}");
    assert_eq!(
        c.siemctl(&["plan", "--tenant", "secops", "--detailed-exitcode"])
            .code,
        0
    );
}

#[test]
fn dashboards_under_a_base_path() {
    let c = ClusterContext::with_options(
        "minimal",
        Options {
            dashboards_base_path: Some("/_dashboards".into()),
            ..Options::default()
        },
    );
    assert!(c.emulator.dashboards_url().ends_with("/_dashboards"));
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c.assert_converged();
}

#[test]
fn plan_json_document() {
    let c = applied("minimal");
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    let run = c.siemctl(&["plan", "--output", "json"]);
    assert_eq!(run.code, 0);
    let doc = run.json();
    assert_eq!(doc["format_version"], 1);
    assert_eq!(
        doc["data"]["summary"],
        json!({"create": 0, "update": 1, "delete": 0, "unchanged": 9})
    );
    let change = &doc["data"]["changes"][0];
    assert_eq!(
        (
            change["kind"].as_str(),
            change["id"].as_str(),
            change["action"].as_str()
        ),
        (Some("index_template"), Some("log-demo"), Some("update"))
    );
    assert_eq!(change["drift"], serde_json::Value::Null);
    assert!(
        change["diff"]
            .as_str()
            .unwrap()
            .contains("-  \"priority\": 100,\n+  \"priority\": 150,"),
        "{}",
        change["diff"]
    );
}

#[test]
fn unsupported_servers_are_refused() {
    let c = ClusterContext::with_options(
        "minimal",
        Options {
            version: "1.2.4".into(),
            ..Options::default()
        },
    );
    let run = c.siemctl(&["plan"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("OpenSearch 1.2.4 is too old"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_op_plan_requests_do_not_grow_with_the_content() {
    let small = applied("minimal");
    let before = small.total_requests();
    assert_eq!(small.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
    let small_count = small.total_requests() - before;

    let large = ClusterContext::new("minimal");
    for i in 0..100 {
        large.content.write(
            &format!("saved-searches/demo/extra-{i}.yaml"),
            &format!("id: extra-{i}\ntitle: Extra {i}\nquery: event.action:a{i}\n"),
        );
    }
    let run = large.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let before = large.total_requests();
    assert_eq!(large.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
    assert_eq!(
        large.total_requests() - before,
        small_count,
        "content 10 times larger, same number of requests"
    );
}

#[test]
fn content_needing_a_newer_server_is_refused_before_writing() {
    let c = ClusterContext::with_options(
        "minimal",
        Options {
            version: "2.5.0".into(),
            ..Options::default()
        },
    );
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("component_template `log-demo` maps `flat_object` fields, which need OpenSearch 2.7 or later; this cluster runs 2.5.0"), "{}", run.stderr);
    assert!(c.writes().is_empty(), "{:?}", c.writes());
}

#[test]
fn insecure_warns_on_every_run() {
    let c = applied("minimal");
    let run = c.siemctl(&["plan", "--insecure", "--output", "json"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr
            .contains("warning: TLS certificate verification is off"),
        "{}",
        run.stderr
    );
    run.json();
}

#[test]
fn a_fresh_domain_someone_already_opened_applies_cleanly() {
    // Opening Dashboards creates the tenant's config object before siemctl ever ran.
    let c = ClusterContext::new("minimal");
    c.ui_visit("global");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let config = c.saved_object("config", "2.19.0", "global");
    assert_eq!(config["attributes"]["defaultIndex"], "log-demo");
    assert_eq!(
        config["attributes"]["buildNum"], 8467,
        "settings siemctl does not declare are left alone"
    );
    c.assert_converged();
}

#[test]
fn prune_never_deletes_the_advanced_settings() {
    let c = applied("minimal");
    c.content
        .remove("dashboards/_common/advanced-settings.config.json.hbs");
    let run = c.siemctl(&["apply", "--yes", "--prune"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(run.stdout, "No changes.\n");
    assert_eq!(
        c.saved_object("config", "2.19.0", "global")["attributes"]["defaultIndex"],
        "log-demo"
    );
}

#[test]
fn apply_without_a_terminal_needs_yes_or_ci() {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl(&["apply"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("pass --yes"), "{}", run.stderr);
    assert!(c.writes().is_empty(), "nothing written: {:?}", c.writes());
    let run = c.siemctl_env(&["apply"], &[("CI", "true")]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

const POLICY: &str = "index-templates/_common/retention.ism-policy.json.hbs";

#[test]
fn an_edit_brought_into_the_content_is_not_drift_later() {
    let c = applied("minimal");
    let edit = json!({"attributes": {"title": "Demo: failures (mine)"}});
    c.dashboards(
        "PUT",
        "/api/saved_objects/search/demo-failures",
        Some(edit),
        "global",
    );
    // The analyst's edit is brought into the content: nothing to write but siemctl's record.
    c.content.edit(
        SEARCH,
        "title: \"Demo: failures\"",
        "title: \"Demo: failures (mine)\"",
    );
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // A later change of the same object is a content change, not drift.
    c.content.edit(
        SEARCH,
        "title: \"Demo: failures (mine)\"",
        "title: \"Demo: failures (v2)\"",
    );
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(c.siemctl(&["apply", "--yes"]).stdout, "No changes.\n");
}

#[test]
fn ism_notification_policies_converge() {
    let c = ClusterContext::new("minimal");
    c.content.edit(
        POLICY,
        "\"default_state\": \"hot\",",
        "\"default_state\": \"hot\",\n    \"error_notification\": { \"destination\": { \"slack\": { \"url\": \"https://hooks.example.com/x\" } }, \"message_template\": { \"source\": \"\\{{ctx.index}} failed\" } },",
    );
    c.content.edit(
        POLICY,
        "\"actions\": [ { \"delete\": {} } ]",
        "\"actions\": [ { \"retry\": { \"count\": 5 }, \"delete\": {} } ]",
    );
    c.content
        .edit(POLICY, "\"priority\": 100 }", "\"priority\": 0 }");
    assert_eq!(c.siemctl(&["validate"]).code, 0);
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "no false diff: {}", run.snapshot());
}

#[test]
fn repeated_failures_of_one_update_are_not_drift() {
    let c = applied("minimal");
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    c.faults(
        json!([{"method": "PUT", "path": "/_index_template/*", "status": 502, "count": 1000}]),
    );
    for _ in 0..2 {
        let run = c.siemctl(&["apply", "--yes", "--retry-budget", "1"]);
        assert_eq!(run.code, 1, "{}", run.snapshot());
    }
    c.clear_faults();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c.assert_converged();
}

#[test]
fn a_failed_delete_is_remembered_by_later_runs() {
    let c = applied("minimal");
    c.content.remove(SEARCH);
    c.faults(json!([{"method": "DELETE", "path": "/api/saved_objects/search/*", "status": 503, "count": 1000}]));
    let run = c.siemctl(&["apply", "--yes", "--prune", "--retry-budget", "1"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    c.clear_faults();
    // A later run without --prune, changing something else.
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = c.siemctl(&["plan", "--prune"]);
    assert!(
        run.stdout.contains("- delete search demo-failures"),
        "siemctl still knows it created it: {}",
        run.stdout
    );
}

#[test]
fn deletions_wait_when_a_write_failed() {
    let c = applied("minimal");
    // Renaming a template: the new one overlaps the old one at the same priority, so
    // OpenSearch refuses it while the old one exists. The old one must not be deleted anyway.
    let text = c.content.read(TEMPLATE);
    c.content.remove(TEMPLATE);
    c.content.write(
        "index-templates/demo/log-demo-v2.index-template.json.hbs",
        &text,
    );
    let run = c.siemctl(&["apply", "--yes", "--prune"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("index_template `log-demo-v2` failed"),
        "{}",
        run.stderr
    );
    let (status, _) = c.opensearch("GET", "/_index_template/log-demo", None);
    assert_eq!(status, 200, "the old template is still there");
}

#[test]
fn the_retry_budget_governs_not_an_attempt_count() {
    let c = ClusterContext::new("minimal");
    c.faults(json!([{"method": "PUT", "path": "/_ingest/pipeline/*", "status": 429, "retry_after": 1, "count": 9}]));
    let run = c.siemctl(&["apply", "--yes", "--retry-budget", "30"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn a_failed_run_does_not_record_its_version() {
    let c = applied("minimal");
    c.content
        .edit("siemctl.toml", "version = \"2.3.4\"", "version = \"2.4.0\"");
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    c.faults(
        json!([{"method": "PUT", "path": "/_index_template/*", "status": 502, "count": 1000}]),
    );
    assert_eq!(
        c.siemctl(&["apply", "--yes", "--retry-budget", "1"]).code,
        1
    );
    c.clear_faults();
    // Going back to the release the cluster really holds is not a downgrade.
    c.content
        .edit("siemctl.toml", "version = \"2.4.0\"", "version = \"2.3.4\"");
    c.content
        .edit(TEMPLATE, "\"priority\": 150", "\"priority\": 100");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[cfg(unix)]
#[test]
fn a_cancelled_apply_releases_its_lock_and_the_next_converges() {
    let c = ClusterContext::with_options(
        "minimal",
        Options {
            latency_ms: 150,
            ..Options::default()
        },
    );
    let child = c.spawn(&["apply", "--yes"]);
    // Once the apply is writing (its state recorded as pending), cancel it.
    c.wait_for_request("PUT", "/_component_template/{name}");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let run = c.siemctl(&["apply", "--yes", "--lock-timeout", "1"]);
    assert_eq!(run.code, 0, "the lock was released: {}", run.snapshot());
    c.assert_converged();
}

#[test]
fn a_setting_dropped_from_the_content_is_unset() {
    let c = ClusterContext::new("minimal");
    let settings = "dashboards/_common/advanced-settings.config.json.hbs";
    c.content.edit(
        settings,
        "\"defaultIndex\": \"log-demo\"",
        "\"defaultIndex\": \"log-demo\", \"dateFormat:dow\": \"Monday\"",
    );
    assert_eq!(c.siemctl(&["apply", "--yes"]).code, 0);
    assert_eq!(
        c.saved_object("config", "2.19.0", "global")["attributes"]["dateFormat:dow"],
        "Monday"
    );
    c.content
        .edit(settings, ", \"dateFormat:dow\": \"Monday\"", "");
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let config = c.saved_object("config", "2.19.0", "global");
    assert!(
        config["attributes"]
            .get("dateFormat:dow")
            .is_none_or(serde_json::Value::is_null),
        "{config}"
    );
    assert_eq!(config["attributes"]["defaultIndex"], "log-demo");
    c.assert_converged();
}

#[test]
fn the_private_tenant_is_recorded_per_user() {
    let c = ClusterContext::with_options(
        "minimal",
        Options {
            basic_auth: Some(("analyst1".into(), "pw-1".into())),
            ..Options::default()
        },
    );
    let env = [
        ("SIEMCTL_USERNAME", "analyst1"),
        ("SIEMCTL_PASSWORD", "pw-1"),
    ];
    let run = c.siemctl_env(&["apply", "--yes", "--tenant", "private"], &env);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let found = reqwest::blocking::Client::new()
        .get(format!(
            "{}/siemctl-state/_doc/state-private-analyst1",
            c.emulator.opensearch_url()
        ))
        .basic_auth("analyst1", Some("pw-1"))
        .send()
        .unwrap();
    assert_eq!(
        found.status().as_u16(),
        200,
        "each user's private tenant has its own record"
    );
    assert_eq!(
        c.siemctl_env(
            &["plan", "--tenant", "private", "--detailed-exitcode"],
            &env
        )
        .code,
        0
    );
}

#[test]
fn an_object_made_by_someone_else_during_the_apply_is_not_overwritten_nor_built_on() {
    let c = ClusterContext::new("minimal");
    // The first bulk create (the index patterns) is held back; meanwhile someone creates the
    // index pattern siemctl is about to create. siemctl must not overwrite it, nor write the
    // searches, visualizations and dashboards that would be bound to it.
    c.faults(
        json!([{"method": "POST", "path": "/api/saved_objects/_bulk_create", "latency_ms": 2000}]),
    );
    let child = c.spawn(&["apply", "--yes"]);
    // The first bulk create (the index patterns) has arrived and is held back.
    c.wait_for_request("POST", "/api/saved_objects/_bulk_create");
    c.dashboards(
        "POST",
        "/api/saved_objects/index-pattern/log-demo",
        Some(json!({"attributes": {"title": "someone-*"}})),
        "global",
    );
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("index_pattern `log-demo` failed: made or changed by someone else"),
        "{stderr}"
    );
    assert_eq!(
        c.saved_object("index-pattern", "log-demo", "global")["attributes"]["title"],
        "someone-*"
    );
    // Nothing of the later groups (bound to that index pattern) was written.
    let dashboards_written = c.stats()["by_route"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["route"] == "/api/saved_objects/_bulk_create")
        .map(|r| r["count"].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(
        dashboards_written, 1,
        "only the index patterns were attempted"
    );
    let (status, _) = c.opensearch("GET", "/_index_template/log-demo", None);
    assert_eq!(status, 200, "earlier groups were written");
}

#[test]
fn a_create_that_failed_does_not_own_what_someone_else_made() {
    let c = applied("minimal");
    c.content.write(
        "saved-searches/demo/x.yaml",
        "id: demo-x\ntitle: Demo X\nquery: event.action:x\n",
    );
    c.faults(json!([{"method": "POST", "path": "/api/saved_objects/_bulk_create", "status": 502, "count": 1000}]));
    assert_eq!(
        c.siemctl(&["apply", "--yes", "--retry-budget", "1"]).code,
        1
    );
    c.clear_faults();
    c.dashboards(
        "POST",
        "/api/saved_objects/search/demo-x",
        Some(json!({"attributes": {"title": "Theirs", "columns": [], "sort": []}})),
        "global",
    );
    c.content.remove("saved-searches/demo/x.yaml");
    let run = c.siemctl(&["apply", "--yes", "--prune", "--overwrite-drift"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(
        c.saved_object("search", "demo-x", "global")["attributes"]["title"],
        "Theirs",
        "not deleted"
    );
}

#[test]
fn a_dropped_setting_whose_unset_failed_is_unset_later() {
    let c = ClusterContext::new("minimal");
    let settings = "dashboards/_common/advanced-settings.config.json.hbs";
    c.content.edit(
        settings,
        "\"defaultIndex\": \"log-demo\"",
        "\"defaultIndex\": \"log-demo\", \"theme:darkMode\": true",
    );
    assert_eq!(c.siemctl(&["apply", "--yes"]).code, 0);
    c.content.edit(settings, ", \"theme:darkMode\": true", "");
    c.faults(json!([{"method": "POST", "path": "/api/opensearch-dashboards/settings", "status": 502, "count": 1000}]));
    assert_eq!(
        c.siemctl(&["apply", "--yes", "--retry-budget", "1"]).code,
        1
    );
    c.clear_faults();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let config = c.saved_object("config", "2.19.0", "global");
    assert!(
        config["attributes"]
            .get("theme:darkMode")
            .is_none_or(Value::is_null),
        "{config}"
    );
}
