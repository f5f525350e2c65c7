//! Pipeline semantics through `_simulate`: the cases of `CompoundProcessorTests`,
//! `PipelineProcessorTests`, `TrackingResultProcessorTests`, `SimulatePipelineRequestParsingTests`
//! and `90_simulate.yml` that need no Painless.

use std::sync::Arc;

use serde_json::{json, Value as Json};

use crate::test_support::fixed_now;
use crate::{Engine, FixedClock};

fn engine() -> Engine {
    Engine::new().with_clock(Arc::new(FixedClock(fixed_now())))
}

fn simulate(engine: &Engine, pipeline: Json, docs: Json, verbose: bool) -> Json {
    engine
        .simulate(None, &json!({"pipeline": pipeline, "docs": docs}), verbose)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn one(pipeline: Json, source: Json) -> Json {
    let out = simulate(&engine(), pipeline, json!([{"_source": source}]), false);
    out["docs"][0].clone()
}

#[test]
fn document_result_shape() {
    let r = one(
        json!({"processors": [{"set": {"field": "a", "value": 1}}]}),
        json!({"x": "y"}),
    );
    assert_eq!(
        r,
        json!({"doc": {"_index": "_index", "_id": "_id", "_source": {"x": "y", "a": 1},
                "_ingest": {"timestamp": "2026-12-01T12:00:00.000Z"}}})
    );
}

#[test]
fn failure_is_wrapped_with_processor_type_and_tag_and_rendered_unwrapped() {
    let r = one(
        json!({"processors": [{"rename": {"tag": "t1", "field": "nope", "target_field": "b"}}]}),
        json!({}),
    );
    assert_eq!(
        r["error"]["root_cause"][0]["type"],
        "illegal_argument_exception"
    );
    assert_eq!(r["error"]["type"], "illegal_argument_exception");
    assert_eq!(r["error"]["reason"], "field [nope] doesn't exist");
    assert!(r["error"].get("header").is_none());
}

#[test]
fn on_failure_sees_the_failure_metadata_then_it_is_removed() {
    let pipeline = json!({"processors": [{"rename": {
    "tag": "t1", "field": "nope", "target_field": "b",
    "on_failure": [
        {"set": {"field": "msg", "value": "{{_ingest.on_failure_message}}"}},
        {"set": {"field": "type", "value": "{{_ingest.on_failure_processor_type}}"}},
        {"set": {"field": "tag", "value": "{{_ingest.on_failure_processor_tag}}"}},
        {"set": {"field": "pipeline", "value": "[{{_ingest.on_failure_pipeline}}]"}}
    ]}}]});
    let r = one(pipeline, json!({}));
    assert_eq!(
        r["doc"]["_source"],
        json!({"msg": "field [nope] doesn't exist", "type": "rename", "tag": "t1", "pipeline": "[]"})
    );
    assert_eq!(
        r["doc"]["_ingest"],
        json!({"timestamp": "2026-12-01T12:00:00.000Z"})
    );
}

#[test]
fn ignore_failure_skips_and_pipeline_on_failure_catches() {
    let r = one(
        json!({"processors": [
            {"fail": {"message": "x", "ignore_failure": true}},
            {"set": {"field": "after", "value": true}},
            {"fail": {"message": "boom {{after}}", "tag": "f2"}},
            {"set": {"field": "never", "value": true}}
        ],
        "on_failure": [{"set": {"field": "caught", "value": "{{_ingest.on_failure_message}}/{{_ingest.on_failure_processor_tag}}"}}]}),
        json!({}),
    );
    assert_eq!(
        r["doc"]["_source"],
        json!({"after": true, "caught": "boom true/f2"})
    );
}

#[test]
fn nested_on_failure_reports_the_inner_failure() {
    // CompoundProcessorTests.testSingleProcessorWithNestedFailures
    let r = one(
        json!({"processors": [{"fail": {"message": "first", "tag": "a",
            "on_failure": [{"fail": {"message": "second", "tag": "b",
                "on_failure": [{"set": {"field": "seen", "value": "{{_ingest.on_failure_message}} {{_ingest.on_failure_processor_tag}}"}}]}}]}}]}),
        json!({}),
    );
    assert_eq!(r["doc"]["_source"]["seen"], "second b");
}

#[test]
fn failing_on_failure_fails_the_document() {
    let r = one(
        json!({"processors": [{"fail": {"message": "first", "on_failure": [{"fail": {"message": "second"}}]}}]}),
        json!({}),
    );
    assert_eq!(r["error"]["type"], "fail_processor_exception");
    assert_eq!(r["error"]["reason"], "second");
}

#[test]
fn drop_gives_a_null_document() {
    let r = one(
        json!({"processors": [{"drop": {}}, {"fail": {"message": "not reached"}}]}),
        json!({}),
    );
    assert_eq!(r, Json::Null);
    let r = one(
        json!({"processors": [{"fail": {"message": "x", "on_failure": [{"drop": {}}]}}]}),
        json!({}),
    );
    assert_eq!(r, Json::Null);
}

#[test]
fn pipeline_processor_runs_stored_pipelines_and_finds_cycles() {
    let mut e = engine();
    e.put_pipeline(
        "inner",
        &json!({"processors": [
        {"set": {"field": "inner", "value": "{{_ingest.pipeline}}"}},
        {"fail": {"message": "inner failed", "tag": "f"}}]}),
    )
    .unwrap();
    e.put_pipeline("outer", &json!({"processors": [
        {"set": {"field": "outer", "value": "{{_ingest.pipeline}}"}},
        {"pipeline": {"name": "inner", "on_failure": [{"set": {"field": "origin", "value": "{{_ingest.on_failure_pipeline}} {{_ingest.on_failure_processor_type}}"}}]}}]}))
        .unwrap();
    let r = e
        .simulate(Some("outer"), &json!({"docs": [{"_source": {}}]}), false)
        .unwrap();
    // headers are first in, so the inner failure names the fail processor; pipeline_origin
    // is the stack innermost first, and on_failure_pipeline its first entry
    assert_eq!(
        r["docs"][0]["doc"]["_source"],
        json!({"outer": "outer", "inner": "inner", "origin": "inner fail"})
    );

    e.put_pipeline("a", &json!({"processors": [{"pipeline": {"name": "b"}}]}))
        .unwrap();
    e.put_pipeline("b", &json!({"processors": [{"pipeline": {"name": "a"}}]}))
        .unwrap();
    let r = e
        .simulate(Some("a"), &json!({"docs": [{"_source": {}}]}), false)
        .unwrap();
    assert_eq!(
        r["docs"][0]["error"]["root_cause"][0]["type"],
        "illegal_state_exception"
    );
    assert_eq!(
        r["docs"][0]["error"]["reason"],
        "Cycle detected for pipeline: a"
    );

    let r = one(
        json!({"processors": [{"pipeline": {"name": "missing"}}]}),
        json!({}),
    );
    assert_eq!(
        r["error"]["reason"],
        "Pipeline processor configured for non-existent pipeline [missing]"
    );
    let r = one(
        json!({"processors": [{"pipeline": {"name": "missing", "ignore_missing_pipeline": true}}]}),
        json!({"k": 1}),
    );
    assert_eq!(r["doc"]["_source"], json!({"k": 1}));
}

#[test]
fn verbose_results() {
    let out = simulate(
        &engine(),
        json!({"processors": [
            {"set": {"tag": "s", "description": "first_set", "field": "a", "value": 1}},
            {"fail": {"message": "ignored", "ignore_failure": true}},
            {"rename": {"field": "nope", "target_field": "x", "tag": "r", "on_failure": [{"set": {"field": "handled", "value": true}}]}},
            {"drop": {}}
        ]}),
        json!([{"_source": {}}]),
        true,
    );
    let results = out["docs"][0]["processor_results"].as_array().unwrap();
    let statuses: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["success", "error_ignored", "error", "success", "dropped"]
    );
    assert_eq!(results[0]["description"], "first_set");
    assert_eq!(results[0]["tag"], "s");
    assert_eq!(results[0]["doc"]["_source"], json!({"a": 1}));
    assert_eq!(
        results[0]["doc"]["_ingest"]["pipeline"],
        "_simulate_pipeline"
    );
    assert_eq!(
        results[1]["ignored_error"]["error"]["type"],
        "fail_processor_exception"
    );
    assert_eq!(results[2]["error"]["reason"], "field [nope] doesn't exist");
    assert!(results[2].get("doc").is_none());
    assert_eq!(results[3]["processor_type"], "set");
    assert_eq!(
        results[3]["doc"]["_ingest"]["on_failure_processor_type"],
        "rename"
    );
    assert!(results[4].get("doc").is_none());
}

#[test]
fn verbose_pipeline_processor_results() {
    let mut e = engine();
    e.put_pipeline(
        "inner",
        &json!({"processors": [{"set": {"field": "inner", "value": true}}]}),
    )
    .unwrap();
    let out = simulate(
        &e,
        json!({"processors": [{"pipeline": {"name": "inner"}}, {"set": {"field": "after", "value": true}}]}),
        json!([{"_source": {}}]),
        true,
    );
    let results = out["docs"][0]["processor_results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["processor_type"], "pipeline");
    assert_eq!(results[0]["status"], "success");
    assert!(results[0].get("doc").is_none());
    assert_eq!(results[1]["doc"]["_ingest"]["pipeline"], "inner");
    assert_eq!(
        results[2]["doc"]["_ingest"]["pipeline"],
        "_simulate_pipeline"
    );

    // a missing pipeline fails the whole verbose request
    let err = e
        .simulate(None, &json!({"pipeline": {"processors": [{"pipeline": {"name": "nope"}}]}, "docs": [{"_source": {}}]}), true)
        .unwrap_err();
    assert_eq!(
        err.reason(),
        "Pipeline processor configured for non-existent pipeline [nope]"
    );
    assert_eq!(err.status(), 400);

    // a cycle is the pipeline processor's own error
    e.put_pipeline(
        "self",
        &json!({"processors": [{"pipeline": {"name": "self"}}]}),
    )
    .unwrap();
    let out = e
        .simulate(Some("self"), &json!({"docs": [{"_source": {}}]}), true)
        .unwrap();
    let results = out["docs"][0]["processor_results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["status"], "error");
    assert_eq!(
        results[0]["error"]["reason"],
        "Cycle detected for pipeline: self"
    );
}

#[test]
fn request_parsing() {
    let e = engine();
    let err = e.simulate(None, &json!({"docs": []}), false).unwrap_err();
    assert_eq!(err.reason(), "[pipeline] required property is missing");
    assert_eq!(err.metadata("property_name"), Some("pipeline"));
    assert_eq!(err.metadata("processor_type"), None);
    let err = e
        .simulate(Some("x"), &json!({"docs": []}), false)
        .unwrap_err();
    assert_eq!(err.reason(), "pipeline [x] does not exist");
    let p = json!({"processors": []});
    let err = e
        .simulate(None, &json!({"pipeline": p}), false)
        .unwrap_err();
    assert_eq!(err.reason(), "[docs] required property is missing");
    let err = e
        .simulate(None, &json!({"pipeline": p, "docs": ["x"]}), false)
        .unwrap_err();
    assert_eq!(
        err.reason(),
        "malformed [docs] section, should include an inner object"
    );
    let err = e
        .simulate(None, &json!({"pipeline": p, "docs": [{"_id": 1}]}), false)
        .unwrap_err();
    assert_eq!(err.reason(), "[_source] required property is missing");
    let err = e
        .simulate(
            None,
            &json!({"pipeline": p, "docs": [{"_source": {}, "_if_seq_no": "x"}]}),
            false,
        )
        .unwrap_err();
    assert_eq!(
        err.reason(),
        "Failed to parse parameter [_if_seq_no], only int or long is accepted"
    );
    let out = e
        .simulate(None, &json!({"pipeline": p, "docs": [{"_source": {}, "_index": 5, "_id": 7, "_version": 3, "_version_type": "external_gt"}]}), false)
        .unwrap();
    assert_eq!(out["docs"][0]["doc"]["_index"], "5");
    assert_eq!(out["docs"][0]["doc"]["_version"], "3");
    assert_eq!(out["docs"][0]["doc"]["_version_type"], "external");
}

#[test]
fn pipeline_creation_errors() {
    let e = engine();
    let create = |body: Json| e.build_pipeline("p", &body).unwrap_err();
    assert_eq!(
        create(json!({})).reason(),
        "[processors] required property is missing"
    );
    assert_eq!(
        create(json!({"processors": [], "_meta": {}})).reason(),
        "pipeline [p] doesn't support one or more provided configuration parameters [_meta]"
    );
    assert_eq!(
        create(json!({"processors": [], "on_failure": []})).reason(),
        "pipeline [p] cannot have an empty on_failure option defined"
    );
    assert_eq!(
        create(json!({"processors": [], "version": "x"})).reason(),
        "[version] property cannot be converted to an int [x]"
    );
    let err = create(json!({"processors": [{"uri_parts": {"field": "u"}}]}));
    assert_eq!(
        err.reason(),
        "No processor type exists with name [uri_parts]"
    );
    assert_eq!(err.metadata("processor_type"), Some("uri_parts"));
    assert_eq!(err.status(), 400);
    let err = create(
        json!({"processors": [{"set": {"tag": "t", "field": "a", "value": 1, "on_failure": []}}]}),
    );
    assert_eq!(err.reason(), "[on_failure] processors list cannot be empty");
    assert_eq!(err.metadata("processor_tag"), Some("t"));
    let err = create(json!({"processors": [{"set": null}]}));
    assert_eq!(err.reason(), "the config of processor [set] cannot be null");
    let err = create(json!({"processors": [{"set": {"field": "a"}}, {"set": {"value": 1}}]}));
    assert_eq!(err.reason(), "[value] required property is missing");
    assert_eq!(err.suppressed.len(), 1);
    assert_eq!(
        err.suppressed[0].reason(),
        "[field] required property is missing"
    );
    let err = create(json!({"processors": [{"set": {"field": "a", "value": "{{#x}}"}}]}));
    assert_eq!(err.type_, "script_exception");
    assert_eq!(err.metadata("property_name"), Some("value"));
    assert_eq!(err.status(), 400);
    let json = err.to_json();
    assert_eq!(json["root_cause"][0]["type"], "script_exception");
    assert_eq!(json["root_cause"][0]["lang"], "mustache");
}

#[test]
fn conditions_skip_run_and_record_in_verbose() {
    // ConditionalProcessorTests / TrackingResultProcessorTests, with explicit returns.
    let pipeline = json!({"processors": [
        {"set": {"if": "return ctx.a == 1;", "tag": "yes", "field": "ran", "value": true}},
        {"set": {"if": "return ctx.a == 2;", "tag": "no", "field": "skipped", "value": true}},
        {"set": {"if": "return ctx.missing != null;", "field": "x", "value": 1,
            "on_failure": [{"set": {"field": "y", "value": 1}}]}}
    ]});
    let r = one(pipeline.clone(), json!({"a": 1}));
    assert_eq!(r["doc"]["_source"], json!({"a": 1, "ran": true}));
    let out = simulate(&engine(), pipeline, json!([{"_source": {"a": 1}}]), true);
    let results = out["docs"][0]["processor_results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["status"], "success");
    assert_eq!(
        results[0]["if"],
        json!({"condition": "return ctx.a == 1;", "result": true})
    );
    assert_eq!(results[1]["status"], "skipped");
    assert_eq!(results[1]["tag"], "no");
    assert!(results[1].get("doc").is_none());
    assert_eq!(results[2]["status"], "skipped");
}

#[test]
fn condition_errors() {
    // a condition cannot change the document
    let r = one(
        json!({"processors": [{"set": {"if": "ctx.a = 2; return true;", "field": "x", "value": 1}}]}),
        json!({"a": 1}),
    );
    assert_eq!(r["error"]["type"], "script_exception");
    assert_eq!(
        r["error"]["caused_by"]["type"],
        "unsupported_operation_exception"
    );
    // a compile error is the creation error of the processor, with its type
    let err = engine()
        .build_pipeline(
            "p",
            &json!({"processors": [{"set": {"if": "return ctx.a ==;", "field": "x", "value": 1}}]}),
        )
        .unwrap_err();
    assert_eq!(err.type_, "script_exception");
    assert_eq!(err.reason(), "compile error");
    assert_eq!(err.metadata("processor_type"), Some("set"));
    assert_eq!(err.status(), 400);
}

#[test]
fn script_processor_writes_ctx() {
    let r = one(
        json!({"processors": [{"script": {"source": "ctx.b = ctx.a + params.n; ctx._index = 'moved'", "params": {"n": 2}}}]}),
        json!({"a": 1}),
    );
    assert_eq!(r["doc"]["_source"], json!({"a": 1, "b": 3}));
    assert_eq!(r["doc"]["_index"], "moved");
    let r = one(
        json!({"processors": [{"script": "ctx.c = 'short form'"}]}),
        json!({}),
    );
    assert_eq!(r["doc"]["_source"], json!({"c": "short form"}));
    let r = one(
        json!({"processors": [{"script": {"source": "ctx.x = ctx.missing.length()"}}]}),
        json!({}),
    );
    assert_eq!(r["error"]["type"], "script_exception");
    assert_eq!(r["error"]["reason"], "runtime error");
    assert_eq!(r["error"]["caused_by"]["type"], "null_pointer_exception");
    let r = one(
        json!({"processors": [{"script": {"source": "ctx.foo['foo'] = ctx.foo"}}]}),
        json!({"foo": {}}),
    );
    assert_eq!(
        r["error"]["reason"],
        "Iterable object is self-referencing itself (ingest script)"
    );
    // a Character cannot be written: rendering the simulate response fails the request
    let err = engine()
        .simulate(None, &json!({"pipeline": {"processors": [{"script": {"source": "ctx.c = (char)'a'"}}]}, "docs": [{"_source": {}}]}), false)
        .unwrap_err();
    assert_eq!(
        err.reason(),
        "cannot write xcontent for unknown value of type class java.lang.Character"
    );
    assert_eq!(err.status(), 400);
}

#[test]
fn verbose_conditional_with_nested_on_failure() {
    // 90_simulate.yml "Test verbose simulate with true conditional and on failure" (with
    // `return true;` for `true`).
    let pipeline = json!({"processors": [{"rename": {
    "tag": "gunna_fail", "if": "return true;", "field": "foo1", "target_field": "fieldA",
    "on_failure": [
        {"set": {"field": "failed1", "value": "failed1", "tag": "failed1"}},
        {"rename": {"tag": "gunna_fail_again", "if": "return true;", "field": "foo2", "target_field": "fieldA",
            "on_failure": [{"set": {"field": "failed2", "value": "failed2", "tag": "failed2"}}]}}
    ]}}]});
    let out = simulate(
        &engine(),
        pipeline,
        json!([{"_index": "index", "_id": "id", "_source": {"foo": "bar"}}]),
        true,
    );
    let r = out["docs"][0]["processor_results"].as_array().unwrap();
    assert_eq!(r.len(), 4);
    assert_eq!(
        (r[0]["tag"].as_str(), r[0]["status"].as_str()),
        (Some("gunna_fail"), Some("error"))
    );
    assert_eq!(r[0]["error"]["reason"], "field [foo1] doesn't exist");
    assert_eq!(
        r[1]["doc"]["_ingest"]["on_failure_processor_tag"],
        "gunna_fail"
    );
    assert_eq!(
        r[1]["doc"]["_ingest"]["on_failure_processor_type"],
        "rename"
    );
    assert_eq!(r[2]["error"]["reason"], "field [foo2] doesn't exist");
    assert_eq!(r[2]["processor_type"], "rename");
    assert_eq!(r[3]["doc"]["_source"]["failed2"], "failed2");
    assert_eq!(
        r[3]["doc"]["_ingest"]["on_failure_processor_tag"],
        "gunna_fail_again"
    );

    // Not verbose, the conditional wraps the compound, so on_failure sees the rename's tag
    // (the inner compound wrapped the failure first).
    let p2 = json!({"processors": [{"rename": {"tag": "t", "if": "return true;", "field": "nope", "target_field": "x",
        "on_failure": [{"set": {"field": "seen", "value": "{{_ingest.on_failure_processor_type}}/{{_ingest.on_failure_processor_tag}}"}}]}}]});
    assert_eq!(one(p2, json!({}))["doc"]["_source"]["seen"], "rename/t");
    // A conditional leaf failing under the pipeline's on_failure is reported as `conditional`
    // (ConditionalProcessor.getType), with the processor's tag.
    let p3 = json!({"processors": [{"rename": {"tag": "t", "if": "return true;", "field": "nope", "target_field": "x"}}],
        "on_failure": [{"set": {"field": "seen", "value": "{{_ingest.on_failure_processor_type}}/{{_ingest.on_failure_processor_tag}}"}}]});
    assert_eq!(
        one(p3, json!({}))["doc"]["_source"]["seen"],
        "conditional/t"
    );
}

#[test]
fn a_failing_condition_fails_a_verbose_simulate_but_not_a_plain_one() {
    let pipeline = json!({"processors": [{"set": {"if": "return ctx.a.b == 1;", "field": "x", "value": 1}}],
        "on_failure": [{"set": {"field": "handled", "value": true}}]});
    let r = one(pipeline.clone(), json!({}));
    assert_eq!(r["doc"]["_source"], json!({"handled": true}));
    let err = engine()
        .simulate(
            None,
            &json!({"pipeline": pipeline, "docs": [{"_source": {}}]}),
            true,
        )
        .unwrap_err();
    assert_eq!(err.type_, "script_exception");
    assert_eq!(err.status(), 400);
}
