//! The order and the wholeness of apply's writes, over real HTTP against the emulator: what
//! depends on an object that was not written is not written, what is still named is not
//! deleted, an object that appeared just before its write is not overwritten, and the summary
//! tells failed from not attempted. Faults come from the emulator's rules (`/_emulator/faults`).

use cluster_emulator::Options;
use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;

const TEMPLATE: &str = "index-templates/demo/log-demo.index-template.json.hbs";
const PIPELINE: &str = "index-templates/demo/log-demo.pipeline.json.hbs";

fn applied(fixture: &str) -> ClusterContext {
    let c = ClusterContext::new(fixture);
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c
}

/// Every fault rule was used: the faults really happened during the run.
fn all_faults_used(c: &ClusterContext) {
    let rules: Value =
        reqwest::blocking::get(format!("{}/_emulator/faults", c.emulator.opensearch_url()))
            .unwrap()
            .json()
            .unwrap();
    let left = rules
        .as_array()
        .or_else(|| rules["rules"].as_array())
        .map_or(0, Vec::len);
    assert_eq!(left, 0, "every fault was hit: {rules}");
}

/// Converged: a clean plan, and another apply writes nothing.
fn converged(c: &ClusterContext) {
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "converged: {}", run.snapshot());
    let before = c.writes();
    assert_eq!(c.siemctl(&["apply", "--yes"]).stdout, "No changes.\n");
    assert_eq!(c.writes(), before, "nothing written by a no-op apply");
}

fn names(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}/{}",
                i["kind"].as_str().unwrap(),
                i["id"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn a_refused_pipeline_leaves_no_template_naming_it_and_the_summary_tells_failed_from_not_attempted()
{
    let c = ClusterContext::new("minimal");
    // The pipeline's PUT is refused beyond this run's retry budget.
    c.faults(
        json!([{"method": "PUT", "path": "/_ingest/pipeline/*", "status": 502, "count": 1000}]),
    );
    let run = c.siemctl(&["apply", "--yes", "--retry-budget", "1", "--output", "json"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let result = &doc["data"]["result"];
    assert_eq!(
        names(&result["failed"]),
        ["ingest_pipeline/log-demo"],
        "{result}"
    );
    let not_attempted = names(&result["not_attempted"]);
    assert!(
        not_attempted.contains(&"index_template/log-demo".to_string()),
        "{result}"
    );
    assert_eq!(not_attempted.len(), 6, "{result}");
    let template = result["not_attempted"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "index_template")
        .unwrap();
    assert_eq!(
        template["reason"],
        "it names ingest_pipeline `log-demo` whose write failed"
    );
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1 objects failed, 6 not attempted"),
        "{doc}"
    );
    // The template that would send every new index's documents to a missing pipeline is not
    // there; the component templates, which name no pipeline, are.
    let (status, body) = c.opensearch("GET", "/_index_template/log-demo", None);
    assert_eq!(status, 404, "{body}");
    let (status, _) = c.opensearch("GET", "/_component_template/log-demo", None);
    assert_eq!(status, 200);

    // The text summary counts the same way, and names why each was not attempted.
    let run = c.siemctl(&["apply", "--yes", "--retry-budget", "1"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout.contains("Apply incomplete: 0 created, 0 updated, 0 deleted, 3 unchanged, 1 failed, 6 not attempted."),
        "{}",
        run.snapshot()
    );
    assert!(
        run.stderr.contains("not attempted (it names ingest_pipeline `log-demo` whose write failed): index_template `log-demo`"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("index_template `log-demo` failed"),
        "{}",
        run.stderr
    );
    let (status, _) = c.opensearch("GET", "/_index_template/log-demo", None);
    assert_eq!(status, 404);

    c.clear_faults();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    converged(&c);
}

#[test]
fn prune_keeps_a_pipeline_while_a_template_naming_it_could_not_be_deleted() {
    let c = applied("minimal");
    // The log type's template is replaced by one that names no pipeline, and the pipeline
    // leaves the content.
    let text = c.content.read(TEMPLATE);
    let replacement = text
        .replace("\"priority\": 100", "\"priority\": 200")
        .replace(
        "\"template\": { \"settings\": { \"index\": { \"default_pipeline\": \"log-demo\" } } },",
        "",
    );
    assert_ne!(replacement, text);
    c.content.remove(TEMPLATE);
    c.content.remove(PIPELINE);
    c.content.write(
        "index-templates/demo/log-demo-raw.index-template.json.hbs",
        &replacement,
    );
    c.faults(
        json!([{"method": "DELETE", "path": "/_index_template/*", "status": 502, "count": 1000}]),
    );
    let run = c.siemctl(&["apply", "--yes", "--prune", "--retry-budget", "1"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("index_template `log-demo` failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("not attempted (kept while a template or object names it: index_template `log-demo` whose deletion failed): ingest_pipeline `log-demo`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("1 created, 0 updated, 0 deleted, 8 unchanged, 1 failed, 1 not attempted."),
        "{}",
        run.stdout
    );
    let (status, _) = c.opensearch("GET", "/_index_template/log-demo", None);
    assert_eq!(status, 200);
    let (status, _) = c.opensearch("GET", "/_ingest/pipeline/log-demo", None);
    assert_eq!(status, 200, "the pipeline the template names is kept");

    c.clear_faults();
    let run = c.siemctl(&["apply", "--yes", "--prune"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    for path in ["/_index_template/log-demo", "/_ingest/pipeline/log-demo"] {
        let (status, _) = c.opensearch("GET", path, None);
        assert_eq!(status, 404, "{path} pruned");
    }
}

#[test]
fn a_pipeline_made_by_someone_else_just_before_its_write_is_not_overwritten() {
    let c = ClusterContext::new("minimal");
    // The plan's reads (the first and the one under the lock) find no pipeline. The write of
    // siemctl's intent, the last request before the pipelines are written, is held back;
    // meanwhile someone creates the pipeline siemctl is about to create.
    c.faults(
        json!([{"method": "PUT", "path": "/siemctl-state/_doc/state-cluster", "latency_ms": 1500}]),
    );
    let child = c.spawn(&["apply", "--yes"]);
    c.wait_for_faults_used();
    let theirs = json!({"description": "theirs", "processors": [{"set": {"field": "owner", "value": "them"}}]});
    let (status, body) = c.opensearch("PUT", "/_ingest/pipeline/log-demo", Some(theirs));
    assert_eq!(status, 200, "{body}");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("ingest_pipeline `log-demo` failed: created by someone else since siemctl read the cluster: not overwritten"),
        "{stderr}"
    );
    assert!(stderr.contains("--adopt"), "{stderr}");
    let (_, body) = c.opensearch("GET", "/_ingest/pipeline/log-demo", None);
    assert_eq!(body["log-demo"]["description"], "theirs", "{body}");
    // Nor is the template that would send documents through their pipeline written.
    let (status, _) = c.opensearch("GET", "/_index_template/log-demo", None);
    assert_eq!(status, 404);

    // Their pipeline is unmanaged now: refused, named, until --adopt.
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("ingest_pipeline `log-demo`") && run.stderr.contains("--adopt"),
        "{}",
        run.stderr
    );
    let run = c.siemctl(&["apply", "--yes", "--adopt"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let (_, body) = c.opensearch("GET", "/_ingest/pipeline/log-demo", None);
    assert_ne!(body["log-demo"]["description"], "theirs", "{body}");
    converged(&c);
}

#[cfg(unix)]
#[test]
fn a_stopped_apply_reports_what_it_did_not_attempt_apart_from_failures() {
    let c = ClusterContext::with_options(
        "minimal",
        Options {
            latency_ms: 150,
            ..Options::default()
        },
    );
    let child = c.spawn(&["apply", "--yes", "--output", "json"]);
    // Once the apply is writing the component templates (pipelines and policies done), stop it.
    c.wait_for_request("PUT", "/_component_template/{name}");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let result = &doc["data"]["result"];
    assert_eq!(result["failed"], json!([]), "nothing failed: {result}");
    let not_attempted = result["not_attempted"].as_array().unwrap();
    assert!(!not_attempted.is_empty(), "{result}");
    assert!(
        not_attempted
            .iter()
            .all(|i| i["reason"] == "the run was stopped"),
        "{result}"
    );
    // Every change is accounted for: written or not attempted.
    let written = ["created", "updated"]
        .iter()
        .map(|k| result[k].as_array().unwrap().len())
        .sum::<usize>();
    assert_eq!(written + not_attempted.len(), 10, "{result}");
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("0 objects failed"),
        "{doc}"
    );
    let run = c.siemctl(&["apply", "--yes", "--lock-timeout", "1"]);
    assert_eq!(run.code, 0, "the lock was released: {}", run.snapshot());
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn state_documents_are_written_in_the_current_format() {
    let c = applied("minimal");
    for doc in ["state-cluster", "state-tenant-global"] {
        let (status, body) = c.opensearch("GET", &format!("/siemctl-state/_doc/{doc}"), None);
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["_source"]["format"], 1, "{doc}: {body}");
    }
}

#[test]
fn writes_dropped_before_or_after_on_every_write_route_converge() {
    let c = ClusterContext::new("minimal");
    let both = |method: &str, path: &str| {
        [
            json!({"method": method, "path": path, "drop_before": true}),
            json!({"method": method, "path": path, "drop_after": true}),
        ]
    };
    let mut rules: Vec<Value> = Vec::new();
    for (method, path) in [
        ("PUT", "/_ingest/pipeline/*"),
        ("PUT", "/_plugins/_ism/policies/*"),
        ("PUT", "/_component_template/*"),
        ("PUT", "/_index_template/*"),
        ("POST", "/api/opensearch-dashboards/settings"),
    ] {
        rules.extend(both(method, path));
    }
    // Mid-run on the saved objects: the first `_bulk_create` (the index patterns) goes
    // through, the second (the searches) is dropped before, the third after it is written.
    rules.push(
        json!({"method": "POST", "path": "/api/saved_objects/_bulk_create", "latency_ms": 1}),
    );
    rules.extend(both("POST", "/api/saved_objects/_bulk_create"));
    // siemctl's intent, then its outcome.
    rules.push(
        json!({"method": "PUT", "path": "/siemctl-state/_doc/state-cluster", "drop_before": true}),
    );
    rules.push(json!({"method": "PUT", "path": "/siemctl-state/_doc/state-tenant-global", "latency_ms": 1}));
    rules.push(json!({"method": "PUT", "path": "/siemctl-state/_doc/state-tenant-global", "drop_after": true}));
    c.faults(Value::Array(rules));
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout
            .contains("Apply complete: 10 created, 0 updated, 0 deleted, 0 unchanged."),
        "{}",
        run.stdout
    );
    all_faults_used(&c);
    converged(&c);
}

#[test]
fn transient_502s_mid_run_and_on_deletions_converge() {
    let c = applied("minimal");
    // A content change on every kind's route, plus a pruned search.
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    c.content
        .edit(PIPELINE, "raw JSON in message", "raw JSON message");
    c.content.write(
        "saved-searches/demo/x.yaml",
        "id: demo-x\ntitle: Demo X\nquery: event.action:x\n",
    );
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c.content
        .edit(TEMPLATE, "\"priority\": 150", "\"priority\": 120");
    c.content.edit(PIPELINE, "raw JSON message", "JSON message");
    c.content.remove("saved-searches/demo/x.yaml");
    c.faults(json!([
        {"method": "PUT", "path": "/_ingest/pipeline/*", "status": 502},
        {"method": "PUT", "path": "/_index_template/*", "status": 503, "retry_after": 1},
        {"method": "DELETE", "path": "/api/saved_objects/search/*", "status": 502},
        {"method": "DELETE", "path": "/api/saved_objects/search/*", "drop_after": true}
    ]));
    let run = c.siemctl(&["apply", "--yes", "--prune"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("2 updated, 1 deleted"),
        "{}",
        run.stdout
    );
    all_faults_used(&c);
    let (status, _) = c.opensearch("GET", "/_index_template/log-demo", None);
    assert_eq!(status, 200);
    converged(&c);
}
