//! Dashboards tenants: siemctl works in the tenant the target names or not at all. A tenant the
//! user does not have falls back on the server (the preferred tenants, then global:
//! security-dashboards-plugin `server/multitenancy/tenant_resolver.ts`), so siemctl checks what
//! the server resolved before it reads or writes anything.

use cluster_emulator::Options;
use serde_json::json;

use crate::common::cluster::ClusterContext;

fn declared(tenants: &[&str]) -> Options {
    Options {
        tenants: Some(tenants.iter().map(|t| t.to_string()).collect()),
        ..Options::default()
    }
}

fn no_security() -> Options {
    Options {
        security: false,
        ..Options::default()
    }
}

#[test]
fn a_tenant_the_user_does_not_have_is_refused_before_anything_is_written() {
    let c = ClusterContext::with_options("minimal", declared(&["team-a"]));
    let run = c.siemctl(&["apply", "--yes", "--tenant", "team-b"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains(
            "tenant `team-b` is not available to this user; Dashboards would use `global`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("team-a"),
        "the user's tenants are listed: {}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("Dashboards version"),
        "the refusal is not presented as a failure to read the version: {}",
        run.stderr
    );
    assert!(c.writes().is_empty(), "nothing written: {:?}", c.writes());
    // A plan is refused the same way: it would compare the content with the global tenant.
    let run = c.siemctl(&["plan", "--tenant", "team-b"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("Dashboards would use `global`"),
        "{}",
        run.stderr
    );
    // The declared tenant works, and its objects are in its own index on the OpenSearch side.
    let run = c.siemctl(&["apply", "--yes", "--tenant", "team-a"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c.saved_object("search", "demo-failures", "team-a");
    let (status, _) = c.opensearch("HEAD", "/.kibana_-877714191_teama", None);
    assert_eq!(
        status, 200,
        "the tenant index `.kibana_<String.hashCode>_teama`"
    );
    assert_eq!(
        c.siemctl(&["plan", "--tenant", "team-a", "--detailed-exitcode"])
            .code,
        0
    );
}

#[test]
fn the_fallback_names_the_tenant_dashboards_would_use() {
    let c = ClusterContext::with_options("minimal", declared(&["team-a"]));
    let (status, body) = c.opensearch(
        "POST",
        "/_emulator/tenancy",
        Some(json!({"preferred": ["Private", "Global"]})),
    );
    assert_eq!(status, 200, "{body}");
    let run = c.siemctl(&["apply", "--yes", "--tenant", "tema-a"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains(
            "tenant `tema-a` is not available to this user; Dashboards would use `private`"
        ),
        "{}",
        run.stderr
    );
    assert!(c.writes().is_empty(), "{:?}", c.writes());
}

#[test]
fn global_and_private_are_their_canonical_tenants_and_share_their_records() {
    let c = ClusterContext::with_options("minimal", declared(&[]));
    let run = c.siemctl(&["apply", "--yes", "--tenant", "global"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // `Global` is the global tenant (2.7+), with the same state record: nothing to do.
    let run = c.siemctl(&["plan", "--tenant", "Global", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let (status, _) = c.opensearch("GET", "/siemctl-state/_doc/state-tenant-Global", None);
    assert_eq!(status, 404, "no second record for the same tenant");
    // `Private` (2.19+) is the private tenant, recorded as `private` is.
    let run = c.siemctl(&["apply", "--yes", "--tenant", "Private"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = c.siemctl(&["plan", "--tenant", "private", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let (status, _) = c.opensearch("GET", "/siemctl-state/_doc/state-private", None);
    assert_eq!(status, 200);
}

#[test]
fn without_the_security_plugin_only_the_global_tenant_can_be_named() {
    let c = ClusterContext::with_options("minimal", no_security());
    let run = c.siemctl(&["apply", "--yes", "--tenant", "secops"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains("tenant `secops` is named, but this Dashboards has no tenants"),
        "{}",
        run.stderr
    );
    assert!(c.writes().is_empty(), "{:?}", c.writes());
    // The default (global) works, in the one `.kibana` index.
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let (status, _) = c.opensearch("HEAD", "/.kibana", None);
    assert_eq!(status, 200);
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn with_multitenancy_off_in_dashboards_a_named_tenant_is_refused() {
    // The security plugin is there, its multitenancy off (`opensearch_security.multitenancy.
    // enabled: false`): authinfo still answers, and echoes the tenant header siemctl sends, so
    // authinfo alone would say `team-a` while every object goes to the global tenant.
    let c = ClusterContext::with_options("minimal", declared(&["team-a"]));
    let (status, body) = c.opensearch(
        "POST",
        "/_emulator/tenancy",
        Some(json!({"multitenancy": false})),
    );
    assert_eq!(status, 200, "{body}");
    let run = c.siemctl(&["apply", "--yes", "--tenant", "team-a"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains("tenant `team-a` is named, but multitenancy is disabled in this Dashboards"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("tenant = \"global\""), "{}", run.stderr);
    assert!(c.writes().is_empty(), "nothing written: {:?}", c.writes());
    let run = c.siemctl(&["plan", "--tenant", "team-a"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    // A target naming no tenant, or global, works: the one global tenant.
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    c.saved_object("search", "demo-failures", "global");
    let run = c.siemctl(&["plan", "--tenant", "global", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn a_read_only_tenant_can_be_planned_but_not_applied() {
    let c = ClusterContext::with_options("minimal", declared(&["team-a"]));
    let (status, body) = c.opensearch(
        "POST",
        "/_emulator/tenancy",
        Some(json!({"read_only": ["team-r"]})),
    );
    assert_eq!(status, 200, "{body}");
    // The emulator refuses writes there as the security plugin does.
    let response = reqwest::blocking::Client::new()
        .post(format!(
            "{}/api/saved_objects/index-pattern/x",
            c.emulator.dashboards_url()
        ))
        .header("osd-xsrf", "true")
        .header("securitytenant", "team-r")
        .json(&json!({"attributes": {"title": "x"}}))
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let probe = c.writes();

    let run = c.siemctl(&["plan", "--tenant", "team-r", "--detailed-exitcode"]);
    assert_eq!(
        run.code,
        2,
        "the plan works, with changes: {}",
        run.snapshot()
    );
    let run = c.siemctl(&["apply", "--yes", "--tenant", "team-r"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains("tenant `team-r` is read-only for this user"),
        "{}",
        run.stderr
    );
    assert_eq!(
        c.writes(),
        probe,
        "refused before the lock and every write (only the probe above was sent)"
    );
    // A read-write tenant of the same user still applies.
    let run = c.siemctl(&["apply", "--yes", "--tenant", "team-a"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn the_tenant_indices_are_searchable_on_the_opensearch_side() {
    let c = ClusterContext::with_options("minimal", declared(&["team-a"]));
    let run = c.siemctl(&["apply", "--yes", "--tenant", "team-a"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let (status, body) = c.opensearch(
        "POST",
        "/.kibana_-877714191_teama/_search",
        Some(json!({"query": {"term": {"type": "search"}}, "size": 100})),
    );
    assert_eq!(status, 200, "{body}");
    let hit = body["hits"]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["_id"] == "search:demo-failures")
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(hit["_index"], ".kibana_-877714191_teama_1");
    assert_eq!(hit["_source"]["type"], "search");
    assert!(hit["_source"]["search"]["title"].is_string(), "{hit}");
    // A pattern over the tenant indices; the global tenant has nothing yet.
    let (status, body) = c.opensearch("GET", "/.kibana_*/_search?size=1000", None);
    assert_eq!(status, 200, "{body}");
    assert!(
        body["hits"]["total"]["value"].as_u64().unwrap() >= 4,
        "{body}"
    );
    let (status, _) = c.opensearch("GET", "/.kibana/_search", None);
    assert_eq!(
        status, 404,
        "no global index before anything is written there"
    );
}
