//! `siemctl workshop up` and `workshop down` over HTTP against the cluster emulator, which runs
//! the bundled pipelines on every event.

use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;
use crate::common::Run;

const AT: &str = "2026-11-27T00:00:00Z";
/// More than the incident alone (a few hundred events), so that noise fills the rest.
const EVENTS: &str = "600";
/// The month every event of `AT` falls in (the noise spans the 72 hours before it).
const WEB_APACHE: &str = "log-web-apache-2026-11";

/// `workshop up --output json`; its one document's data, with the document's error beside it.
fn up(c: &ClusterContext, extra: &[&str]) -> (Run, Value) {
    let mut args = vec![
        "--output",
        "json",
        "workshop",
        "up",
        "--yes",
        "--events",
        EVENTS,
        "--at",
        AT,
        "--batch-size",
        "64KiB",
    ];
    args.extend_from_slice(extra);
    let run = c.siemctl(&args);
    // ONE document on stdout: the apply's result and the load's together.
    let document: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", run.snapshot()));
    assert_eq!(document["format_version"], 1, "{document}");
    let mut data = document["data"].clone();
    assert!(
        data["apply"]["plan"]["summary"].is_object() && data["apply"]["result"].is_object(),
        "the apply's plan and result are in the document: {document}"
    );
    data["error"] = document["error"].clone();
    (run, data)
}

fn count(c: &ClusterContext, index: &str, query: Option<Value>) -> u64 {
    let (status, body) = c.opensearch(
        "POST",
        &format!("/{index}/_count"),
        query.map(|q| json!({ "query": q })),
    );
    assert_eq!(status, 200, "{body}");
    body["count"].as_u64().unwrap()
}

fn bulk_requests(c: &ClusterContext) -> u64 {
    c.stats()["by_route"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == "POST" && r["route"] == "/_bulk")
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

/// Checks every index of a load: `_count` as the answers say, no pipeline error, no failure.
fn assert_complete(c: &ClusterContext, load: &Value) {
    let indices = load["load"]["indices"].as_object().unwrap();
    assert!(
        indices.len() >= 6,
        "one index per log type at least: {indices:?}"
    );
    let mut sent = 0;
    for (index, tally) in indices {
        assert_eq!(tally["ok"], true, "{index}: {tally}");
        assert_eq!(tally["failed"], 0, "{index}: {tally}");
        // _count = before + created; a request the client had to send again after its
        // connection dropped may have been applied already: its `updated` items are uncertain.
        let (stored, expected) = (
            tally["count"].as_u64().unwrap(),
            tally["expected"].as_u64().unwrap(),
        );
        let uncertain = tally["uncertain"].as_u64().unwrap();
        assert!(
            stored >= expected && stored <= expected + uncertain,
            "{index}: _count = before + created: {tally}"
        );
        assert_eq!(
            count(c, index, None),
            tally["count"].as_u64().unwrap(),
            "{index}"
        );
        assert_eq!(
            count(c, index, Some(json!({"term": {"tags": "pipeline_error"}}))),
            0,
            "{index}: no pipeline error"
        );
        sent += tally["sent"].as_u64().unwrap();
    }
    assert_eq!(
        sent,
        EVENTS.parse::<u64>().unwrap(),
        "every generated event was sent"
    );
    assert_eq!(load["load"]["events"], sent);
}

#[test]
fn up_loads_every_event_and_a_re_run_indexes_nothing_twice() {
    let c = ClusterContext::bundled();
    let (run, load) = up(&c, &[]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_complete(&c, &load);
    let created_objects = load["apply"]["result"]["created"].as_array().unwrap();
    assert!(
        created_objects
            .iter()
            .any(|o| o["kind"] == "ingest_pipeline")
            && created_objects.iter().any(|o| o["kind"] == "dashboard"),
        "the first run applies the content: {}",
        load["apply"]
    );
    let requests = load["load"]["requests"].as_u64().unwrap();
    assert!(
        requests >= 4,
        "64 KiB batches: several requests ({requests})"
    );
    assert_eq!(bulk_requests(&c), requests, "no retry without faults");
    assert_eq!(load["load"]["peak_in_flight"], 4, "four requests in flight");
    let created = load["created_indices"].as_array().unwrap().clone();
    assert_eq!(
        created.len(),
        load["load"]["indices"].as_object().unwrap().len()
    );
    let counts: Vec<(String, u64)> = load["load"]["indices"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(i, t)| (i.clone(), t["count"].as_u64().unwrap()))
        .collect();
    for (index, tally) in load["load"]["indices"].as_object().unwrap() {
        assert_eq!(tally["before"], 0, "{index}");
        assert_eq!(
            tally["created"].as_u64().unwrap()
                + tally["updated"].as_u64().unwrap()
                + tally["dropped"].as_u64().unwrap(),
            tally["sent"].as_u64().unwrap(),
            "{index}: {tally}"
        );
    }

    // The same options again: the content is unchanged, every event overwrites its document.
    let (again, load) = up(&c, &[]);
    assert_eq!(again.code, 0, "{}", again.snapshot());
    assert_complete(&c, &load);
    assert_eq!(
        load["apply"]["result"]["created"],
        json!([]),
        "{}",
        load["apply"]
    );
    assert_eq!(
        load["apply"]["result"]["updated"],
        json!([]),
        "{}",
        load["apply"]
    );
    assert!(load["apply"]["result"]["unchanged"].as_u64().unwrap() > 100);
    assert_eq!(load["created_indices"], json!([]), "the indices exist");
    for (index, before) in &counts {
        let tally = &load["load"]["indices"][index];
        assert_eq!(tally["before"], *before, "{index}");
        assert_eq!(tally["created"], 0, "{index}: nothing new: {tally}");
        assert_eq!(tally["count"], *before, "{index}: counts unchanged");
    }
    // The record keeps the indices the first run created.
    let (_, record) = c.opensearch("GET", "/siemctl-state/_doc/workshop", None);
    assert_eq!(record["_source"]["created"], json!(created));
}

#[test]
fn the_text_report_says_where_to_start() {
    let c = ClusterContext::bundled();
    let run = c.siemctl(&["workshop", "up", "--yes", "--events", EVENTS, "--at", AT]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.stdout.contains("Apply complete"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("Loaded {EVENTS} events into")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Dashboards:     [DASHBOARDS]/app/discover"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Index pattern:  log-*"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Time range:     2026-11-24T00:00:00Z to 2026-11-27T00:00:00Z"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("MISMATCH"), "{}", run.stdout);
}

#[test]
fn a_429_storm_during_the_load_converges() {
    let c = ClusterContext::bundled();
    // The content first, so that the storm hits the load only.
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c.faults(json!({"server": "opensearch", "method": "POST", "path": "/_bulk", "count": 12, "status": 429, "retry_after": 0}));
    let (run, load) = up(&c, &[]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_complete(&c, &load);
    let requests = load["load"]["requests"].as_u64().unwrap();
    assert_eq!(
        bulk_requests(&c),
        requests + 12,
        "each rejected request was sent again"
    );
    let (_, rules) = c.opensearch("GET", "/_emulator/faults", None);
    assert_eq!(rules, json!({"rules": []}), "the storm was used up");
}

#[test]
fn a_per_item_mapping_error_is_counted_and_shown() {
    let c = ClusterContext::bundled();
    // Someone created the web index before the content, with the web pipeline but a mapping
    // the web events do not fit (`url` a keyword, where the pipeline makes an object; not a
    // malformed value that `index.mapping.ignore_malformed` would drop): up loads into it (an
    // existing index is fine) and every web-apache event is refused by the mapping.
    let (status, body) = c.opensearch(
        "PUT",
        &format!("/{WEB_APACHE}"),
        Some(json!({
            "settings": {"index.default_pipeline": "log-web"},
            "mappings": {"properties": {"url": {"type": "keyword"}}}
        })),
    );
    assert_eq!(status, 200, "{body}");
    let (run, load) = up(&c, &[]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let tally = &load["load"]["indices"][WEB_APACHE];
    let failed = tally["failed"].as_u64().unwrap();
    assert!(failed > 0, "{tally}");
    assert_eq!(load["load"]["failed_by_log_type"]["web"], failed, "{load}");
    let failures = load["load"]["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 3, "the first three in full: {failures:?}");
    for f in failures {
        assert_eq!(f["log_type"], "web");
        assert_eq!(f["status"], 400);
        let error = f["error"].as_str().unwrap();
        assert!(error.starts_with("mapper_parsing_exception"), "{error}");
        assert!(
            error.contains("failed to parse field [url] of type [keyword]"),
            "{error}"
        );
        assert!(
            !f["raw"].as_str().unwrap().is_empty(),
            "the raw event is shown"
        );
    }
    let message = load["error"]["message"].as_str().unwrap_or_default();
    assert_eq!(
        message,
        format!("the load is incomplete: {failed} events were refused ({failed} web)"),
        "{load}"
    );
    // Every other index is complete.
    for (index, t) in load["load"]["indices"].as_object().unwrap() {
        if index != WEB_APACHE && !index.starts_with("log-web-") {
            assert_eq!(t["ok"], true, "{index}: {t}");
        }
    }
    // Not created by siemctl, so not recorded for `down`.
    assert!(
        !load["workshop_indices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == WEB_APACHE),
        "{load}"
    );
    // In text, the failures are on stderr, by log type, the first few in full.
    let run = c.siemctl(&["workshop", "up", "--yes", "--events", EVENTS, "--at", AT]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert_eq!(
        run.stderr.matches("error: web event refused by `log-web-apache-2026-11` (HTTP 400): mapper_parsing_exception").count(),
        3,
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("  raw event: "), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: the load is incomplete: {failed} events were refused ({failed} web)"
        )),
        "{}",
        run.stderr
    );
}

/// What the OpenSearch and Dashboards sides hold that siemctl could have touched.
fn inventory(c: &ClusterContext) -> Value {
    let get = |path: &str| c.opensearch("GET", path, None).1;
    let saved = c.dashboards(
        "GET",
        "/api/saved_objects/_find?type=index-pattern&type=visualization&type=dashboard&type=search&type=query&per_page=1000",
        None,
        "global",
    );
    json!({
        "index_templates": get("/_index_template"),
        "component_templates": get("/_component_template"),
        "pipelines": get("/_ingest/pipeline"),
        "policies": get("/_plugins/_ism/policies")["policies"],
        "saved_objects": saved["saved_objects"],
        "state_index": c.opensearch("HEAD", "/siemctl-state", None).0,
        "notes": get("/notes/_doc/1")["_source"],
    })
}

#[test]
fn down_deletes_what_up_created_and_with_content_everything_siemctl_manages() {
    let c = ClusterContext::bundled();
    // An index siemctl did not create, which must survive everything.
    let (status, body) = c.opensearch(
        "PUT",
        "/notes/_doc/1?refresh=true",
        Some(json!({"text": "mine"})),
    );
    assert!(status == 201, "{body}");
    let before = inventory(&c);
    let (run, load) = up(&c, &[]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let created: Vec<String> = load["created_indices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap().to_string())
        .collect();
    assert!(!created.is_empty());

    // Deleting data needs --yes: no terminal refuses, and CI=true does not skip the question.
    let refused = c.siemctl_env(&["workshop", "down"], &[("CI", "true")]);
    assert_eq!(refused.code, 1, "{}", refused.snapshot());
    assert!(refused.stderr.contains("pass --yes"), "{}", refused.stderr);
    assert!(
        refused
            .stdout
            .contains(&format!("- delete index {}", created[0])),
        "{}",
        refused.stdout
    );
    for index in &created {
        assert_eq!(
            c.opensearch("HEAD", &format!("/{index}"), None).0,
            200,
            "{index} kept"
        );
    }

    let run = c.siemctl(&["workshop", "down", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout
            .ends_with(&format!("Deleted {} workshop indices.\n", created.len())),
        "{}",
        run.stdout
    );
    for index in &created {
        assert_eq!(
            c.opensearch("HEAD", &format!("/{index}"), None).0,
            404,
            "{index} deleted"
        );
    }
    assert_eq!(
        c.opensearch("GET", "/siemctl-state/_doc/workshop", None).0,
        404,
        "record gone"
    );
    // The content stays without --with-content.
    let (_, templates) = c.opensearch("GET", "/_index_template", None);
    assert!(!templates["index_templates"].as_array().unwrap().is_empty());
    let run = c.siemctl(&["workshop", "down", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.starts_with("Nothing to delete"),
        "{}",
        run.stdout
    );

    // Up again, then down with the content: as before the first up.
    let (run, _) = up(&c, &[]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = c.siemctl(&["workshop", "down", "--with-content", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.stdout.contains("- delete"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("then siemctl's state index siemctl-state"),
        "{}",
        run.stdout
    );
    for index in &created {
        assert_eq!(
            c.opensearch("HEAD", &format!("/{index}"), None).0,
            404,
            "{index} deleted"
        );
    }
    assert_eq!(inventory(&c), before, "nothing siemctl-managed remains");
    // The advanced settings siemctl set are unset.
    let settings = c.dashboards("GET", "/api/opensearch-dashboards/settings", None, "global");
    assert!(
        settings["settings"]
            .get("defaultIndex")
            .is_none_or(|s| s["userValue"].is_null()),
        "{settings}"
    );
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(
        run.code,
        2,
        "everything is to create again: {}",
        run.snapshot()
    );
}

#[test]
fn a_bulk_applied_but_unanswered_is_sent_again_without_duplicates() {
    let c = ClusterContext::bundled();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // The cluster indexes the second request's events, then the connection drops: the client
    // sends it again, and the events overwrite their own documents (deterministic ids).
    c.faults(json!([
        {"server": "opensearch", "method": "POST", "path": "/_bulk", "count": 1, "latency_ms": 1},
        {"server": "opensearch", "method": "POST", "path": "/_bulk", "count": 1, "drop_after": true}
    ]));
    let (run, load) = up(&c, &[]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_complete(&c, &load);
    let requests = load["load"]["requests"].as_u64().unwrap();
    assert_eq!(bulk_requests(&c), requests + 1, "one request sent twice");
    let overwritten: u64 = load["load"]["indices"]
        .as_object()
        .unwrap()
        .values()
        .map(|t| t["updated"].as_u64().unwrap())
        .sum();
    assert!(
        overwritten > 0,
        "the resent request's items overwrote: {load}"
    );
}

/// The workshop target's Dashboards defaults, as rendered (`siemctl render --target NAME`).
fn rendered(c: &ClusterContext, target: Option<&str>, rel: &str) -> Value {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["render", "--out", out.path().to_str().unwrap()];
    if let Some(target) = target {
        args.extend(["--target", target]);
    }
    let run = c.siemctl(&args);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    serde_json::from_str(&std::fs::read_to_string(out.path().join(rel)).unwrap()).unwrap()
}

#[test]
fn the_workshop_target_opens_dashboards_on_the_incident_window_in_the_global_tenant() {
    let c = ClusterContext::bundled();
    // Without a target (and for any target that does not set the variables): today's settings,
    // the time picker and the threat-hunting dashboard as Dashboards has them.
    let config = rendered(&c, None, "config/advanced-settings.json");
    assert_eq!(
        config["attributes"],
        json!({"defaultIndex": "log-all", "dateFormat:tz": "UTC"})
    );
    let dashboard = rendered(&c, None, "dashboard/threat-hunting.json");
    assert_eq!(dashboard["attributes"]["timeRestore"], false);
    assert!(dashboard["attributes"].get("timeFrom").is_none());
    // The workshop and local targets: Last 7 days (the incident spans the 24 to 48 hours before
    // the load), stored by the dashboard too.
    for target in ["workshop", "local"] {
        let config = rendered(&c, Some(target), "config/advanced-settings.json");
        let defaults: Value = serde_json::from_str(
            config["attributes"]["timepicker:timeDefaults"]
                .as_str()
                .expect("a json-type setting is stored as a string of JSON"),
        )
        .unwrap();
        assert_eq!(defaults, json!({"from": "now-7d", "to": "now"}), "{target}");
        assert!(config["attributes"].get("theme:darkMode").is_none());
        let dashboard = rendered(&c, Some(target), "dashboard/threat-hunting.json");
        let a = &dashboard["attributes"];
        assert_eq!(
            (&a["timeRestore"], &a["timeFrom"], &a["timeTo"]),
            (&json!(true), &json!("now-7d"), &json!("now")),
            "{target}"
        );
    }
    // `defaultIndex` is the id of the `log-*` index pattern.
    let pattern = rendered(&c, Some("workshop"), "index_pattern/log-all.json");
    assert_eq!(pattern["attributes"]["title"], "log-*");

    // The workshop target names the global tenant itself.
    let toml: toml::Table = c.content.read("siemctl.toml").parse().unwrap();
    assert_eq!(
        toml["targets"]["workshop"]["tenant"].as_str(),
        Some("global")
    );

    // Participants' Dashboards lands in the private tenant (the demo configuration's
    // `multitenancy.tenants.preferred`): the workshop's objects are in Global all the same.
    let (status, body) = c.opensearch(
        "POST",
        "/_emulator/tenancy",
        Some(json!({"preferred": ["Private", "Global"]})),
    );
    assert_eq!(status, 200, "{body}");
    let (run, load) = up(&c, &["--target", "workshop", "--auth", "none"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_complete(&c, &load);
    let settings = c.dashboards("GET", "/api/opensearch-dashboards/settings", None, "global");
    let defaults: Value = serde_json::from_str(
        settings["settings"]["timepicker:timeDefaults"]["userValue"]
            .as_str()
            .unwrap_or_else(|| panic!("{settings}")),
    )
    .unwrap();
    assert_eq!(defaults, json!({"from": "now-7d", "to": "now"}));
    assert_eq!(settings["settings"]["defaultIndex"]["userValue"], "log-all");
    assert!(settings["settings"].get("theme:darkMode").is_none());
    let find = "/api/saved_objects/_find?type=dashboard&per_page=100";
    let global = c.dashboards("GET", find, None, "global");
    let threat = global["saved_objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "threat-hunting")
        .unwrap_or_else(|| panic!("{global}"));
    assert_eq!(threat["attributes"]["timeRestore"], true);
    assert_eq!(threat["attributes"]["timeFrom"], "now-7d");
    let private = c.dashboards("GET", find, None, "private");
    assert_eq!(
        private["total"], 0,
        "nothing in the private tenant: {private}"
    );
    // As Dashboards stores them, the settings and the dashboard are what the content says.
    let run = c.siemctl(&[
        "--output", "json", "plan", "--target", "workshop", "--auth", "none",
    ]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let plan = run.json();
    assert_eq!(plan["data"]["changes"], json!([]), "{plan}");
}

/// `workshop up` shares apply's flags, but sets up the whole workshop: the flags that apply a
/// part (or refuse drift differently) are refused before anything is sent, not ignored. Failed
/// before: `--only` applied one object and loaded the events.
#[test]
fn up_refuses_the_flags_that_apply_part_of_the_content() {
    let c = ClusterContext::new("minimal");
    for flags in [
        &["--only", "dashboard/demo"][..],
        &["--exclude", "search/*"][..],
        &["--strict-drift"][..],
    ] {
        let mut args = vec!["workshop", "up", "--yes", "--events", "10", "--at", AT];
        args.extend_from_slice(flags);
        let run = c.siemctl(&args);
        assert_eq!(run.code, 1, "{}", run.snapshot());
        assert!(
            run.stderr
                .contains(&format!("`workshop up` does not take {}", flags[0])),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("siemctl apply --only"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(c.total_requests(), 0, "nothing was sent");
}
