//! `siemctl fields`, docs/fields.md, the suggestions for field names analysts type, and the
//! one-field-for-one-meaning warnings of validate and test.

use std::collections::BTreeSet;
use std::fs;

use serde_json::Value;

use crate::common::{repo_root, run_in, TestContext};

/// The command docs/fields.md comes from (output/fields.rs says the same).
const REGENERATE: &str = "siemctl fields --output markdown > docs/fields.md";

#[test]
fn docs_fields_md_is_generated_from_the_content_in_the_tree() {
    let run = run_in(&repo_root(), &["fields", "--output", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let committed = fs::read_to_string(repo_root().join("docs/fields.md")).unwrap_or_default();
    assert!(
        committed == run.stdout,
        "docs/fields.md is stale: the content's mappings changed. Regenerate it from the repository root with `cargo run -q -- {}` (that is, `{REGENERATE}`) and commit it",
        REGENERATE.trim_start_matches("siemctl ")
    );
}

#[test]
fn every_shared_field_of_the_bundled_content_has_its_meaning_and_every_meaning_a_field() {
    let run = run_in(&repo_root(), &["fields", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let data = &run.json()["data"];
    let fields = data["fields"].as_array().unwrap();
    let shared: Vec<&Value> = fields.iter().filter(|f| f["shared"] == true).collect();
    assert!(shared.len() > 100, "{}", shared.len());
    let missing: Vec<&str> = shared
        .iter()
        .filter(|f| f["meaning"].is_null())
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        missing.is_empty(),
        "shared fields without a meaning: add a line for each to src/content/field-meanings.tsv, from the ECS field reference (github.com/elastic/ecs, schemas/<set>.yml): {missing:?}"
    );
    let names: BTreeSet<&str> = shared.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let table = fs::read_to_string(repo_root().join("src/content/field-meanings.tsv")).unwrap();
    let stale: Vec<&str> = table
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap())
        .filter(|f| !names.contains(f))
        .collect();
    assert!(
        stale.is_empty(),
        "src/content/field-meanings.tsv has meanings for fields the shared mapping no longer has: {stale:?}"
    );
    for line in table
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        assert_eq!(
            line.split('\t').count(),
            3,
            "field, meaning, source: {line}"
        );
    }
    // As Dashboards sees them.
    let field = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name} is listed"))
    };
    let ip = field("source.ip");
    assert_eq!(ip["type"], "ip");
    assert_eq!(ip["aggregatable"], true);
    assert_eq!(ip["meaning"], "IP address of the source.");
    assert_eq!(ip["meaning_source"], "schemas/source.yml");
    assert_eq!(
        ip["log_types"].as_array().unwrap().len(),
        data["log_types"].as_array().unwrap().len()
    );
    let message = field("error.message");
    assert_eq!(
        (&message["type"], &message["aggregatable"]),
        (&Value::from("text"), &Value::from(false))
    );
    let event_name = field("aws.cloudtrail.eventName");
    assert_eq!(
        event_name["log_types"],
        serde_json::json!(["aws-cloudtrail"])
    );
    assert!(
        event_name["meaning"].is_null(),
        "only the shared fields have one"
    );
    assert!(
        fields.iter().all(|f| f["type"] != "object"),
        "Dashboards lists no object fields"
    );
}

#[test]
fn the_list_is_filtered_by_log_type_and_query() {
    let ctx = TestContext::fixture("minimal");
    let run = ctx.siemctl(&["fields"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!("all_fields", run.snapshot());
    let run = ctx.siemctl(&["fields", "--log-type", "demo", "SOURCE"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!("query", run.snapshot());
    let run = ctx.siemctl(&["fields", "*.a?tion"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.stdout.contains("event.action"), "{}", run.stdout);
    assert!(!run.stdout.contains("user.name"), "{}", run.stdout);
    let run = ctx.siemctl(&["fields", "--log-type", "dmeo"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!("unknown_log_type", run.snapshot());
}

#[test]
fn the_markdown_document_lists_each_log_type() {
    let ctx = TestContext::fixture("minimal");
    let run = ctx.siemctl(&["fields", "--output", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!("markdown", run.stdout);
}

/// A CloudTrail search with the names analysts type (issue 12).
const ANALYST_SEARCH: &str = "\
id: cloudtrail-analyst
title: \"CloudTrail: what an analyst typed\"
query: >-
  sourceIPAddress: 203.0.113.7
  and eventName: ConsoleLogin
  and accessKeyId: AKIAIOSFODNN7EXAMPLE
  and useridentity.accesskeyid: AKIAIOSFODNN7EXAMPLE
  and aws.guardduty.type: Recon*
";

#[test]
fn unmapped_names_get_the_field_the_analyst_meant() {
    let ctx = TestContext::bundled();
    ctx.write("saved-searches/aws-cloudtrail/analyst.yaml", ANALYST_SEARCH);
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
}

/// A second log type in the minimal fixture whose own fields name a client address.
fn with_other_log_type(ctx: &TestContext, composed_of: &str) {
    ctx.write(
        "index-templates/other/log-other.component-template.json.hbs",
        r#"{
  "template": {
    "mappings": {
      "properties": {
        "other": {
          "properties": {
            "clientIp": { "type": "ip" }
          }
        }
      }
    }
  }
}
"#,
    );
    ctx.write(
        "index-templates/other/log-other.index-template.json.hbs",
        &format!(
            r#"{{
  "index_patterns": ["{{{{index_prefix}}}}-other-*"],
  "composed_of": [{composed_of}],
  "priority": 100,
  "template": {{ "settings": {{ "index": {{ "mapping": {{ "total_fields": {{ "limit": 100 }} }} }} }} }}
}}
"#
        ),
    );
}

#[test]
fn validate_warns_when_a_log_type_maps_a_raw_name_but_not_its_ecs_field() {
    let ctx = TestContext::fixture("minimal");
    with_other_log_type(&ctx, r#""log-other""#);
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "a warning does not fail: {}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
    let run = ctx.siemctl(&["validate", "--output", "json"]);
    let warnings = &run.json()["data"]["warnings"];
    assert_eq!(warnings.as_array().map(Vec::len), Some(1), "{warnings}");
    assert_eq!(
        warnings[0]["file"],
        "index-templates/other/log-other.component-template.json.hbs"
    );
    assert_eq!(warnings[0]["line"], 7);
    // Composing the shared mapping (which has source.ip) settles it.
    with_other_log_type(&ctx, r#""base", "log-other""#);
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

const EVENTS: &str = "index-templates/demo/_test/demo.ndjson";
const PIPELINE: &str = "index-templates/demo/log-demo.pipeline.json.hbs";

/// The demo log type with a client address in its own namespace and `related.ip` mapped.
fn with_client_ip() -> TestContext {
    let ctx = TestContext::fixture("minimal");
    ctx.edit(
        "index-templates/_common/base.component-template.json.hbs",
        r#""source": { "properties": { "ip": { "type": "ip" } } },"#,
        r#""source": { "properties": { "ip": { "type": "ip" } } },
        "related": { "properties": { "ip": { "type": "ip" } } },"#,
    );
    ctx.edit(
        "index-templates/demo/log-demo.component-template.json.hbs",
        r#""region": { "type": "keyword" }"#,
        r#""region": { "type": "keyword" }, "client_ip": { "type": "ip" }"#,
    );
    ctx.write(
        EVENTS,
        concat!(
            r#"{"action":"login","time":"2026-11-26T09:00:00Z","region":"us-east-1","outcome":"failure","client_ip":"198.51.100.7"}"#,
            "\n",
            r#"{"action":"logout","time":"2026-11-26T09:05:00Z","client_ip":"2001:db8::7"}"#,
            "\n",
            r#"{"action":"logout","time":"2026-11-26T09:06:00Z"}"#,
            "\n"
        ),
    );
    ctx
}

#[test]
fn test_warns_when_documents_keep_a_value_out_of_its_ecs_field_and_related_ip() {
    let ctx = with_client_ip();
    let run = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = ctx.siemctl(&["test"]);
    assert_eq!(
        run.code,
        0,
        "warnings do not fail a test: {}",
        run.snapshot()
    );
    insta::assert_snapshot!(run.stderr);
    // The pipeline copies the address where every log type has it: no more warnings.
    ctx.edit(
        PIPELINE,
        r#"{ "rename": { "field": "demo.action""#,
        r#"{ "set": { "if": "ctx.demo.client_ip != null", "field": "source.ip", "value": "\{{demo.client_ip}}" } },
    { "append": { "if": "ctx.demo.client_ip != null", "field": "related.ip", "value": ["\{{demo.client_ip}}"] } },
    { "rename": { "field": "demo.action""#,
    );
    let run = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = ctx.siemctl(&["test"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}
