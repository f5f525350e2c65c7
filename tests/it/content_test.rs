//! `siemctl test`: golden pipeline tests of the content, through the binary, offline.

use crate::common::{repo_root, run_in, TestContext};

const EVENTS: &str = "index-templates/demo/_test/demo.ndjson";
const GOLDEN: &str = "index-templates/demo/_test/demo.ndjson-expected.json";
const CONFIG: &str = "index-templates/demo/_test/demo.ndjson-config.yaml";
const PIPELINE: &str = "index-templates/demo/log-demo.pipeline.json.hbs";
const BASE: &str = "index-templates/_common/base.component-template.json.hbs";

/// The minimal fixture with two test events.
fn with_events() -> TestContext {
    let ctx = TestContext::fixture("minimal");
    ctx.write(
        EVENTS,
        concat!(
            r#"{"action":"login","time":"2026-11-26T09:00:00Z","region":"us-east-1","outcome":"failure"}"#,
            "\n\n",
            r#"{"action":"logout","time":"2026-11-26T09:05:00.123Z"}"#,
            "\n"
        ),
    );
    ctx
}

#[test]
fn generate_writes_the_golden_file_and_the_next_run_passes() {
    let ctx = with_events();
    let run = ctx.siemctl(&["test"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!("no_golden_file", run.snapshot());

    let run = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!("generate", run.snapshot());
    insta::assert_snapshot!("golden_file", ctx.read(GOLDEN));

    let run = ctx.siemctl(&["test"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout
            .ends_with("ok: 2 events in 1 file of 1 log type passed\n"),
        "{}",
        run.stdout
    );
    // Nothing changed: --generate writes nothing and says so by saying nothing.
    let run = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(!run.stdout.contains("wrote"), "{}", run.stdout);
}

#[test]
fn a_changed_pipeline_is_a_diff_at_the_line_of_the_event() {
    let ctx = with_events();
    assert_eq!(ctx.siemctl(&["test", "--generate"]).code, 0);
    ctx.edit(
        PIPELINE,
        r#""target_field": "event.action""#,
        r#""target_field": "event.outcome""#,
    );
    let run = ctx.siemctl(&["test"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn a_document_the_mapping_rejects_fails_with_the_reason() {
    let ctx = with_events();
    // The shipper adds a field that the mapping types as an IP, with a value that is not one.
    ctx.write(CONFIG, "fields:\n  source.ip: not-an-ip\n");
    let run = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout.contains("demo.ndjson:1: the node would not store this event: mapper_parsing_exception: failed to parse field [source.ip] of type [ip]"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_value_dropped_by_ignore_malformed_fails_unless_the_config_expects_it() {
    let ctx = with_events();
    ctx.edit(
        BASE,
        r#""mapping": { "total_fields": { "limit": 500 } }"#,
        r#""mapping": { "total_fields": { "limit": 500 }, "ignore_malformed": true }"#,
    );
    ctx.write(CONFIG, "fields:\n  source.ip: not-an-ip\n");
    let run = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
    ctx.write(
        CONFIG,
        "fields:\n  source.ip: not-an-ip\nignored_fields: [source.ip]\n",
    );
    let run = ctx.siemctl(&["test"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn the_clock_and_the_index_come_from_the_config_and_vars_are_checked() {
    let ctx = with_events();
    ctx.edit(
        PIPELINE,
        r#"{ "json": { "field": "message", "target_field": "demo" } },"#,
        r#"{ "json": { "field": "message", "target_field": "demo" } },
    { "set": { "field": "event.created", "value": "\{{{_ingest.timestamp}}}" } },
    { "set": { "field": "event.dataset", "value": "\{{{_index}}}" } },"#,
    );
    ctx.write(
        CONFIG,
        "index: log-demo-2026-11\nnow: 2026-01-02T03:04:05Z\nvars:\n  label: Other\n",
    );
    let run = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let golden = ctx.read(GOLDEN);
    assert!(
        golden.contains(r#""created": "2026-01-02T03:04:05Z""#),
        "{golden}"
    );
    assert!(
        golden.contains(r#""dataset": "log-demo-2026-11""#),
        "{golden}"
    );
    assert!(
        golden.contains(r#""_index": "log-demo-2026-11""#),
        "{golden}"
    );

    ctx.write(CONFIG, "vars:\n  lable: Other\n");
    let run = ctx.siemctl(&["test"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!("unknown_variable_in_config", run.snapshot());
}

#[test]
fn an_error_caught_by_on_failure_fails_unless_the_event_is_meant_to_fail() {
    let ctx = with_events();
    ctx.write(
        EVENTS,
        concat!(
            r#"{"action":"login","time":"2026-11-26T09:00:00Z","region":"us-east-1","outcome":"failure"}"#,
            "\n",
            r#"{"action":"login","time":"yesterday"}"#,
            "\n",
            r#"{"action":"logout","time":"2026-11-26T09:05:00Z"}"#,
            "\n"
        ),
    );
    let run = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
    // Marked as meant to fail, the same run passes, and the on_failure handler is covered.
    let golden = ctx
        .read(GOLDEN)
        .replace("\"line\": 2", "\"fails\": true,\n      \"line\": 2");
    ctx.write(GOLDEN, &golden);
    let run = ctx.siemctl(&["test"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout
            .contains("coverage: test events reached all 5 processors of 1 pipeline"),
        "{}",
        run.stdout
    );
    // --generate keeps the mark.
    ctx.edit(
        PIPELINE,
        "\"target_field\": \"event.action\"",
        "\"target_field\": \"event.type\"",
    );
    assert_eq!(ctx.siemctl(&["test", "--generate"]).code, 0);
    assert!(ctx.read(GOLDEN).contains("\"fails\": true"));
}

#[test]
fn json_output_lists_failures_per_file() {
    let ctx = with_events();
    assert_eq!(ctx.siemctl(&["test", "--generate"]).code, 0);
    ctx.edit(GOLDEN, "\"logout\"", "\"log-out\"");
    let run = ctx.siemctl(&["--output", "json", "test"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = run.json();
    let file = &doc["data"]["files"][0];
    assert_eq!(file["file"], "index-templates/demo/_test/demo.ndjson");
    assert_eq!(file["failed_events"], 1);
    assert_eq!(file["failures"][0]["line"], 3);
    assert_eq!(file["failures"][0]["code"], "differs");
    assert!(file["failures"][0]["diff"]
        .as_str()
        .unwrap()
        .contains("-      \"action\": \"log-out\""));
    assert_eq!(doc["data"]["summary"]["failed_events"], 1);
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("test failed: 1 of 2 events"));
}

#[test]
fn an_unknown_log_type_and_a_bad_events_file_are_errors() {
    let ctx = with_events();
    let run = ctx.siemctl(&["test", "--log-type", "dmeo"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("log type `dmeo` has no test events"),
        "{}",
        run.stderr
    );
    ctx.write(EVENTS, "{\"action\":\"login\"}\nnot json\n");
    let run = ctx.siemctl(&["test"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!("bad_events_file", run.snapshot());
}

const SEARCH: &str = "saved-searches/demo/failures.yaml";
const MATCHES: &str = "saved-searches/demo/_test/matches-expected.json";

#[test]
fn a_changed_query_shows_which_test_events_it_finds_now() {
    let ctx = with_events();
    ctx.write(
        EVENTS,
        concat!(
            r#"{"action":"login","time":"2026-11-26T09:00:00Z","region":"us-east-1","outcome":"failure"}"#,
            "\n",
            r#"{"action":"logout","time":"2026-11-26T09:05:00Z","region":"us-east-1"}"#,
            "\n"
        ),
    );
    assert_eq!(ctx.siemctl(&["test", "--generate"]).code, 0);
    insta::assert_snapshot!("matches_golden", ctx.read(MATCHES));
    ctx.edit(
        SEARCH,
        "query: event.outcome:failure and not user.name:root",
        "query: event.action:logout",
    );
    let run = ctx.siemctl(&["test"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    insta::assert_snapshot!("changed_query", run.snapshot());
    // A search that finds no test event fails, even with --generate.
    ctx.edit(
        SEARCH,
        "query: event.action:logout",
        "query: event.action:reboot",
    );
    let run = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout.contains("search/demo-failures: no test event exercises this search: it matches none of the 2 test events of log-demo-*"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_bundled_content_passes_its_tests() {
    let run = run_in(&repo_root(), &["test"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}
