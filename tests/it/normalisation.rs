//! What the servers normalise when they store an object must not show as a change: plan and
//! apply over real HTTP against the emulator, which stores as the real servers do.

use crate::common::cluster::ClusterContext;

const POLICY: &str = "index-templates/_common/retention.ism-policy.json.hbs";

/// index-management stores sizes and ages as `ByteSizeValue`/`TimeValue` print them (`50GB` is
/// `50gb`, `30D` is `30d`), backoffs lower-cased and counts as numbers. Content written in
/// other spellings converges: no update after apply, and no drift on the plan after.
#[test]
fn ism_units_in_any_spelling_converge() {
    let c = ClusterContext::new("minimal");
    c.content.edit(
        POLICY,
        "\"min_index_age\": \"{{retention_days}}d\"",
        "\"min_index_age\": \"{{retention_days}}D\"",
    );
    c.content.edit(
        POLICY,
        "{ \"name\": \"hot\", \"actions\": [],",
        "{ \"name\": \"hot\", \"actions\": [ { \"timeout\": \"2H\", \"retry\": { \"count\": \"5\", \"backoff\": \"Constant\", \"delay\": \"10S\" }, \"rollover\": { \"min_size\": \"50GB\", \"min_doc_count\": \"1000\", \"min_index_age\": \"1D\" } } ],",
    );
    let run = c.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // The emulator stored the plugin's spelling, as a real cluster does.
    let (_, stored) = c.opensearch("GET", "/_plugins/_ism/policies/retention", None);
    let action = &stored["policy"]["states"][0]["actions"][0];
    assert_eq!(action["rollover"]["min_size"], "50gb", "{stored}");
    assert_eq!(action["retry"]["backoff"], "constant", "{stored}");
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "no update, no drift: {}", run.snapshot());
    let before = c.writes();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.stdout, "No changes.\n", "{}", run.snapshot());
    assert_eq!(c.writes(), before);
    // A real change of a value is still one.
    c.content.edit(POLICY, "\"50GB\"", "\"60GB\"");
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
}

const COMPONENT: &str = "index-templates/demo/log-demo.component-template.json.hbs";

/// A mapping type without a mapper and an unknown index setting are refused by the node at
/// PUT (the emulator answers 400 as it does): `validate` reports both before anything is sent,
/// with file and line, and apply sends no request for content that does not validate.
#[test]
fn unknown_field_types_and_settings_are_caught_offline() {
    let c = ClusterContext::new("minimal");
    c.content.edit(
        COMPONENT,
        "\"region\": { \"type\": \"keyword\" }",
        "\"region\": { \"type\": \"keywrd\" }",
    );
    c.content.edit(
        COMPONENT,
        "  \"template\": {\n",
        "  \"template\": {\n    \"settings\": { \"index\": { \"lifecycle\": { \"name\": \"retention\" } } },\n",
    );
    let run = c.siemctl(&["validate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains(&format!("{COMPONENT}:9"))
            && run.stderr.contains("field `demo.region` has type `keywrd`")
            && run.stderr.contains("did you mean `keyword`?"),
        "{}",
        run.snapshot()
    );
    assert!(
        run.stderr.contains(&format!("{COMPONENT}:3"))
            && run
                .stderr
                .contains("unknown index setting `index.lifecycle.name`")
            && run.stderr.contains("Elasticsearch's ILM"),
        "{}",
        run.snapshot()
    );
    let before = c.total_requests();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert_eq!(c.total_requests(), before, "nothing was sent");
    // The server refuses the same content, as a real node does.
    let (status, body) = c.opensearch(
        "PUT",
        "/_component_template/x",
        Some(serde_json::json!({"template": {"settings": {"index.lifecycle.name": "p"}}})),
    );
    assert_eq!(status, 400, "{body}");
}

/// A fresh cluster answers `GET /_ingest/pipeline` with 404 `{}` (no pipeline yet): siemctl
/// reads that as "no pipelines" and creates them.
#[test]
fn a_cluster_without_pipelines_answers_404_and_apply_creates_them() {
    let c = ClusterContext::new("minimal");
    let (status, body) = c.opensearch("GET", "/_ingest/pipeline", None);
    assert_eq!((status, body), (404, serde_json::json!({})));
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let (status, _) = c.opensearch("GET", "/_ingest/pipeline", None);
    assert_eq!(status, 200);
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

const SETTINGS: &str = "dashboards/_common/advanced-settings.config.json.hbs";

/// Dashboards writes `timeline:*` settings into the config object as `timelion:*`
/// (`ui_settings_client.ts` `translateChanges`); content that declares them converges.
#[test]
fn timeline_settings_converge() {
    let c = ClusterContext::new("minimal");
    c.content.edit(
        SETTINGS,
        "\"defaultIndex\": \"log-demo\"",
        "\"defaultIndex\": \"log-demo\", \"timeline:es.default_index\": \"log-demo-*\", \"timeline:max_buckets\": 500",
    );
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let config = c.saved_object("config", "2.19.0", "global");
    assert_eq!(
        config["attributes"]["timelion:es.default_index"], "log-demo-*",
        "{config}"
    );
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "no update, no drift: {}", run.snapshot());
    assert_eq!(c.siemctl(&["apply", "--yes"]).stdout, "No changes.\n");
    // Dropping one unsets it (siemctl sends null under the setting's own name).
    c.content
        .edit(SETTINGS, ", \"timeline:max_buckets\": 500", "");
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let config = c.saved_object("config", "2.19.0", "global");
    assert!(
        config["attributes"]
            .get("timelion:max_buckets")
            .is_none_or(serde_json::Value::is_null),
        "{config}"
    );
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}
