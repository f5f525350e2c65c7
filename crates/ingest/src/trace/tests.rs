//! `Engine::run_traced` and `Pipeline::processors`: the pointers of what a run reached, and
//! the failures the handlers caught.

use std::sync::Arc;

use serde_json::{json, Value as Json};

use crate::test_support::fixed_now;
use crate::{
    Counts, Engine, FixedClock, HandledFailure, HandlerLevel, IndexRequest, IngestOutcome,
    NoIndexPipelines, ProcessorInfo, ProcessorRef, Trace,
};

fn engine(pipelines: &[(&str, Json)]) -> Engine {
    let mut e = Engine::new().with_clock(Arc::new(FixedClock(fixed_now())));
    for (id, body) in pipelines {
        e.put_pipeline(id, body).unwrap();
    }
    e
}

fn run(engine: &Engine, pipeline: &str, source: Json, trace: &mut Trace) -> IngestOutcome {
    let mut request = IndexRequest::new("index", source);
    request.pipeline = Some(pipeline.to_string());
    engine.run_traced(request, &NoIndexPipelines, trace)
}

fn reached(trace: &Trace, pipeline: &str) -> Vec<(String, u64)> {
    trace
        .reached(pipeline)
        .map(|(p, n)| (p.to_string(), n))
        .collect()
}

fn pairs(expected: &[(&str, u64)]) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = expected.iter().map(|(p, n)| (p.to_string(), *n)).collect();
    v.sort();
    v
}

fn source(outcome: IngestOutcome) -> Json {
    match outcome {
        IngestOutcome::Indexed(r) => r.source,
        other => panic!("{other:?}"),
    }
}

fn processor(
    pipeline: &str,
    pointer: &str,
    processor_type: &str,
    tag: Option<&str>,
) -> ProcessorRef {
    ProcessorRef {
        pipeline: pipeline.into(),
        pointer: pointer.into(),
        processor_type: processor_type.into(),
        tag: tag.map(str::to_string),
    }
}

#[test]
fn if_false_is_skipped_and_not_reached() {
    let e = engine(&[(
        "p",
        json!({"processors": [
            {"set": {"field": "a", "value": 1}},
            {"set": {"field": "b", "value": 2, "if": "ctx.x == 'never'"}},
            {"set": {"field": "c", "value": 3, "if": "ctx.a == 1"}}
        ]}),
    )]);
    let mut trace = Trace::new();
    let doc = source(run(&e, "p", json!({}), &mut trace));
    assert_eq!(doc, json!({"a": 1, "c": 3}));
    assert_eq!(
        reached(&trace, "p"),
        pairs(&[("/processors/0", 1), ("/processors/2", 1)])
    );
    assert_eq!(
        trace.get("p", "/processors/1"),
        Counts {
            reached: 0,
            skipped: 1,
            failed: 0
        }
    );
    assert_eq!(trace.runs("p"), 1);
    assert_eq!(trace.pipelines().collect::<Vec<_>>(), ["p"]);
    assert!(trace.handled_failures().is_empty());
    // counts add up over runs
    run(&e, "p", json!({"x": "never"}), &mut trace);
    assert_eq!(
        reached(&trace, "p"),
        pairs(&[
            ("/processors/0", 2),
            ("/processors/1", 1),
            ("/processors/2", 2)
        ])
    );
    assert_eq!(trace.runs("p"), 2);
    trace.clear();
    assert_eq!(trace.pipelines().count(), 0);
}

#[test]
fn pipeline_on_failure_catches_and_later_processors_are_not_reached() {
    let e = engine(&[(
        "p",
        json!({
            "processors": [
                {"set": {"field": "a", "value": 1}},
                {"fail": {"message": "boom {{a}}", "tag": "f"}},
                {"set": {"field": "never", "value": 1}}
            ],
            "on_failure": [
                {"set": {"field": "error.message", "value": "{{_ingest.on_failure_message}}"}},
                {"set": {"field": "skipped", "value": 1, "if": "false"}}
            ]
        }),
    )]);
    let mut trace = Trace::new();
    let doc = source(run(&e, "p", json!({}), &mut trace));
    assert_eq!(doc["error"]["message"], json!("boom 1"));
    assert_eq!(
        reached(&trace, "p"),
        pairs(&[
            ("/processors/0", 1),
            ("/processors/1", 1),
            ("/on_failure/0", 1)
        ])
    );
    assert_eq!(trace.get("p", "/processors/1").failed, 1);
    assert_eq!(trace.get("p", "/on_failure/1").skipped, 1);
    assert_eq!(
        trace.handled_failures(),
        [HandledFailure {
            level: HandlerLevel::Pipeline,
            pipeline: "p".into(),
            handler: None,
            failed: processor("p", "/processors/1", "fail", Some("f")),
            message: Some("boom 1".into()),
        }]
    );
    assert_eq!(trace.unhandled_failure(), None);
}

#[test]
fn processor_on_failure_and_ignore_failure_are_information() {
    let e = engine(&[(
        "p",
        json!({
            "processors": [
                {"rename": {"field": "missing", "target_field": "y", "tag": "r", "on_failure": [
                    {"set": {"field": "caught", "value": "{{_ingest.on_failure_message}}"}},
                    {"set": {"field": "also", "value": 1}}
                ]}},
                {"convert": {"field": "n", "type": "integer", "ignore_failure": true}},
                {"set": {"field": "end", "value": 1}}
            ],
            "on_failure": [{"set": {"field": "pipeline_failed", "value": true}}]
        }),
    )]);
    let mut trace = Trace::new();
    let doc = source(run(&e, "p", json!({"n": "x"}), &mut trace));
    assert_eq!(doc["end"], json!(1));
    assert!(doc.get("pipeline_failed").is_none());
    assert_eq!(
        reached(&trace, "p"),
        pairs(&[
            ("/processors/0", 1),
            ("/processors/0/rename/on_failure/0", 1),
            ("/processors/0/rename/on_failure/1", 1),
            ("/processors/1", 1),
            ("/processors/2", 1)
        ])
    );
    let handled = trace.handled_failures();
    assert_eq!(handled.len(), 2, "{handled:?}");
    assert_eq!(handled[0].level, HandlerLevel::Processor);
    assert_eq!(handled[0].handler.as_deref(), Some("/processors/0"));
    assert_eq!(
        handled[0].failed,
        processor("p", "/processors/0", "rename", Some("r"))
    );
    assert_eq!(
        handled[0].message.as_deref(),
        Some("field [missing] doesn't exist")
    );
    assert_eq!(doc["caught"], json!("field [missing] doesn't exist"));
    assert_eq!(handled[1].level, HandlerLevel::IgnoreFailure);
    assert_eq!(handled[1].handler.as_deref(), Some("/processors/1"));
    assert_eq!(
        handled[1].failed,
        processor("p", "/processors/1", "convert", None)
    );
    assert_eq!(
        handled[1].message.as_deref(),
        Some("unable to convert [x] to integer")
    );
    assert!(!handled.iter().any(|h| h.level == HandlerLevel::Pipeline));
}

#[test]
fn a_failing_processor_on_failure_reaches_the_pipeline_handler() {
    let e = engine(&[(
        "p",
        json!({
            "processors": [
                {"fail": {"message": "first", "if": "true", "on_failure": [
                    {"fail": {"message": "second", "tag": "inner"}},
                    {"set": {"field": "never", "value": 1}}
                ]}}
            ],
            "on_failure": [{"set": {"field": "m", "value": "{{_ingest.on_failure_message}}"}}]
        }),
    )]);
    let mut trace = Trace::new();
    let doc = source(run(&e, "p", json!({}), &mut trace));
    assert_eq!(doc["m"], json!("second"));
    assert_eq!(
        reached(&trace, "p"),
        pairs(&[
            ("/processors/0", 1),
            ("/processors/0/fail/on_failure/0", 1),
            ("/on_failure/0", 1)
        ])
    );
    let handled = trace.handled_failures();
    assert_eq!(handled.len(), 2, "{handled:?}");
    assert_eq!(handled[0].level, HandlerLevel::Processor);
    assert_eq!(handled[0].failed.pointer, "/processors/0");
    assert_eq!(handled[0].message.as_deref(), Some("first"));
    assert_eq!(handled[1].level, HandlerLevel::Pipeline);
    assert_eq!(
        handled[1].failed,
        processor(
            "p",
            "/processors/0/fail/on_failure/0",
            "fail",
            Some("inner")
        )
    );
    assert_eq!(handled[1].message.as_deref(), Some("second"));
}

#[test]
fn an_unhandled_failure_names_its_processor() {
    let e = engine(&[(
        "p",
        json!({"processors": [
            {"set": {"field": "a", "value": 1}},
            {"set": {"field": "b", "value": 1, "if": "ctx.missing.x == 1", "tag": "cond"}},
            {"set": {"field": "never", "value": 1}}
        ]}),
    )]);
    let mut trace = Trace::new();
    let outcome = run(&e, "p", json!({}), &mut trace);
    assert!(matches!(outcome, IngestOutcome::Failed(_)), "{outcome:?}");
    // the condition threw: the processor with the `if` is the failure's origin, not reached
    assert_eq!(reached(&trace, "p"), pairs(&[("/processors/0", 1)]));
    assert_eq!(
        trace.get("p", "/processors/1"),
        Counts {
            reached: 0,
            skipped: 0,
            failed: 1
        }
    );
    assert_eq!(
        trace.unhandled_failure(),
        Some(&processor("p", "/processors/1", "set", Some("cond")))
    );
    assert!(trace.handled_failures().is_empty());
}

#[test]
fn foreach_inner_processor_counts_per_element() {
    let e = engine(&[(
        "p",
        json!({"processors": [
            {"foreach": {"field": "list", "processor": {"append": {"field": "seen", "value": "{{_ingest._value}}"}}}},
            {"foreach": {"field": "list", "ignore_missing": true, "processor": {"set": {"field": "_ingest._value", "value": "z", "if": "ctx.never == true"}}}},
            {"foreach": {"field": "list", "processor": {"fail": {"message": "at {{_ingest._value}}", "on_failure": [{"append": {"field": "failed", "value": "{{_ingest._value}}"}}]}}}},
            {"foreach": {"field": "list", "processor": {"fail": {"message": "bad {{_ingest._value}}", "tag": "ff"}}}}
        ],
        "on_failure": [{"set": {"field": "caught", "value": "{{_ingest.on_failure_message}}"}}]}),
    )]);
    let mut trace = Trace::new();
    let doc = source(run(&e, "p", json!({"list": ["a", "b"]}), &mut trace));
    assert_eq!(doc["seen"], json!(["a", "b"]));
    assert_eq!(doc["failed"], json!(["a", "b"]));
    assert_eq!(doc["caught"], json!("bad a"));
    assert_eq!(
        reached(&trace, "p"),
        pairs(&[
            ("/processors/0", 1),
            ("/processors/0/foreach/processor", 2),
            ("/processors/1", 1),
            ("/processors/2", 1),
            ("/processors/2/foreach/processor", 2),
            ("/processors/2/foreach/processor/fail/on_failure/0", 2),
            ("/processors/3", 1),
            ("/processors/3/foreach/processor", 1),
            ("/on_failure/0", 1)
        ])
    );
    assert_eq!(trace.get("p", "/processors/1/foreach/processor").skipped, 2);
    let handled = trace.handled_failures();
    assert_eq!(handled.len(), 3, "{handled:?}");
    assert!(handled[..2]
        .iter()
        .all(|h| h.level == HandlerLevel::Processor
            && h.handler.as_deref() == Some("/processors/2/foreach/processor")));
    assert_eq!(handled[2].level, HandlerLevel::Pipeline);
    assert_eq!(
        handled[2].failed,
        processor("p", "/processors/3/foreach/processor", "fail", Some("ff"))
    );
}

#[test]
fn pipeline_processor_records_the_nested_pipeline_under_its_id() {
    let e = engine(&[
        (
            "outer",
            json!({
                "processors": [
                    {"pipeline": {"name": "inner"}},
                    {"pipeline": {"name": "failing"}},
                    {"set": {"field": "never", "value": 1}}
                ],
                "on_failure": [{"set": {"field": "caught", "value": "{{_ingest.on_failure_message}}"}}]
            }),
        ),
        (
            "inner",
            json!({"processors": [
                {"set": {"field": "inner", "value": 1}},
                {"set": {"field": "x", "value": 1, "if": "false"}}
            ]}),
        ),
        (
            "failing",
            json!({"processors": [
                {"set": {"field": "before", "value": 1}},
                {"fail": {"message": "nested", "tag": "nf"}},
                {"set": {"field": "after", "value": 1}}
            ]}),
        ),
    ]);
    let mut trace = Trace::new();
    let doc = source(run(&e, "outer", json!({}), &mut trace));
    assert_eq!(doc["caught"], json!("nested"));
    assert_eq!(
        trace.pipelines().collect::<Vec<_>>(),
        ["failing", "inner", "outer"]
    );
    assert_eq!(
        reached(&trace, "outer"),
        pairs(&[
            ("/processors/0", 1),
            ("/processors/1", 1),
            ("/on_failure/0", 1)
        ])
    );
    assert_eq!(reached(&trace, "inner"), pairs(&[("/processors/0", 1)]));
    assert_eq!(
        reached(&trace, "failing"),
        pairs(&[("/processors/0", 1), ("/processors/1", 1)])
    );
    // the failure is counted where it was thrown, not on the `pipeline` processor
    assert_eq!(trace.get("outer", "/processors/1").failed, 0);
    assert_eq!(
        trace.handled_failures(),
        [HandledFailure {
            level: HandlerLevel::Pipeline,
            pipeline: "outer".into(),
            handler: None,
            failed: processor("failing", "/processors/1", "fail", Some("nf")),
            message: Some("nested".into()),
        }]
    );
}

#[test]
fn drop_stops_the_run() {
    let e = engine(&[
        (
            "outer",
            json!({"processors": [
                {"pipeline": {"name": "inner"}},
                {"set": {"field": "never", "value": 1}}
            ]}),
        ),
        (
            "inner",
            json!({"processors": [
                {"drop": {"if": "ctx.dropme == true"}},
                {"set": {"field": "kept", "value": 1}}
            ]}),
        ),
    ]);
    let mut trace = Trace::new();
    assert!(matches!(
        run(&e, "outer", json!({"dropme": true}), &mut trace),
        IngestOutcome::Dropped
    ));
    assert_eq!(reached(&trace, "outer"), pairs(&[("/processors/0", 1)]));
    assert_eq!(reached(&trace, "inner"), pairs(&[("/processors/0", 1)]));
    // a second event that is not dropped
    let mut second = Trace::new();
    source(run(&e, "outer", json!({}), &mut second));
    assert_eq!(
        reached(&second, "outer"),
        pairs(&[("/processors/0", 1), ("/processors/1", 1)])
    );
    assert_eq!(reached(&second, "inner"), pairs(&[("/processors/1", 1)]));
    trace.merge(&second);
    assert_eq!(
        reached(&trace, "inner"),
        pairs(&[("/processors/0", 1), ("/processors/1", 1)])
    );
    assert_eq!(trace.get("inner", "/processors/0").skipped, 1);
    assert_eq!(trace.runs("inner"), 2);
}

#[test]
fn default_and_final_pipelines_are_traced_too() {
    struct Final;
    impl crate::IndexPipelines for Final {
        fn default_pipeline(&self, _index: &str) -> Option<String> {
            Some("d".into())
        }
        fn final_pipeline(&self, _index: &str) -> Option<String> {
            Some("f".into())
        }
    }
    let e = engine(&[
        (
            "d",
            json!({"processors": [{"set": {"field": "d", "value": 1}}]}),
        ),
        ("f", json!({"processors": []})),
    ]);
    let mut trace = Trace::new();
    let outcome = e.run_traced(IndexRequest::new("i", json!({})), &Final, &mut trace);
    assert_eq!(source(outcome), json!({"d": 1}));
    assert_eq!(trace.pipelines().collect::<Vec<_>>(), ["d", "f"]);
    assert_eq!(trace.runs("f"), 1);
    assert_eq!(reached(&trace, "d"), pairs(&[("/processors/0", 1)]));
}

#[test]
fn processors_lists_every_pointer_that_a_trace_can_name() {
    let body = json!({
        "processors": [
            {"set": {"field": "a", "value": "A", "tag": "t0", "description": "first"}},
            {"rename": {"field": "a", "target_field": "b", "if": "ctx.a != null", "on_failure": [
                {"set": {"field": "x", "value": 1}}
            ]}},
            {"foreach": {"field": "l", "processor": {"set": {"field": "_ingest._value", "value": 1, "on_failure": [
                {"drop": {}}
            ]}}}},
            {"lowercase": {"field": "b"}, "uppercase": {"field": "b"}}
        ],
        "on_failure": [{"set": {"field": "e", "value": 1}}]
    });
    let e = engine(&[("p", body.clone())]);
    let listed = e.pipeline("p").unwrap().processors();
    let info = |pointer: &str, t: &str, tag: Option<&str>, condition: Option<&str>| ProcessorInfo {
        pointer: pointer.into(),
        processor_type: t.into(),
        tag: tag.map(str::to_string),
        description: None,
        condition: condition.map(str::to_string),
    };
    let mut first = info("/processors/0", "set", Some("t0"), None);
    first.description = Some("first".into());
    // the two processors of one object come in Java's HashMap order of their keys
    let mut two = vec![
        info("/processors/3/lowercase", "lowercase", None, None),
        info("/processors/3/uppercase", "uppercase", None, None),
    ];
    let keys = ["lowercase".to_string(), "uppercase".to_string()];
    if crate::config::java_key_order(keys.iter())[0] == "uppercase" {
        two.reverse();
    }
    let mut expected = vec![
        first,
        info("/processors/1", "rename", None, Some("ctx.a != null")),
        info("/processors/1/rename/on_failure/0", "set", None, None),
        info("/processors/2", "foreach", None, None),
        info("/processors/2/foreach/processor", "set", None, None),
        info(
            "/processors/2/foreach/processor/set/on_failure/0",
            "drop",
            None,
            None,
        ),
    ];
    expected.extend(two);
    expected.push(info("/on_failure/0", "set", None, None));
    assert_eq!(listed, expected);
    // every pointer finds its processor in the body
    for p in &listed {
        let found = body
            .pointer(&p.pointer)
            .unwrap_or_else(|| panic!("{}", p.pointer));
        let is_object_of_type = found.get(&p.processor_type).is_some();
        let is_options = p.pointer.ends_with(&format!("/{}", p.processor_type));
        assert!(is_object_of_type || is_options, "{} {found}", p.pointer);
    }
    // the multi-processor object's processors are traced under those pointers
    let mut trace = Trace::new();
    source(run(&e, "p", json!({"l": [1]}), &mut trace));
    let names: Vec<String> = trace.reached("p").map(|(p, _)| p.to_string()).collect();
    assert!(
        names.contains(&"/processors/3/lowercase".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"/processors/3/uppercase".to_string()),
        "{names:?}"
    );
    assert!(names.iter().all(|n| listed.iter().any(|i| &i.pointer == n)));
    assert!(trace.handled_failures().is_empty());
}

#[test]
fn untraced_run_is_the_same_outcome() {
    let body = json!({
        "processors": [
            {"set": {"field": "a", "value": 1}},
            {"fail": {"message": "x", "if": "ctx.f == true"}}
        ],
        "on_failure": [{"set": {"field": "e", "value": "{{_ingest.on_failure_message}}"}}]
    });
    let e = engine(&[("p", body)]);
    for src in [json!({}), json!({"f": true})] {
        let mut request = IndexRequest::new("index", src);
        request.pipeline = Some("p".into());
        let plain = e.run(request.clone(), &NoIndexPipelines);
        let traced = e.run_traced(request, &NoIndexPipelines, &mut Trace::new());
        assert_eq!(format!("{plain:?}"), format!("{traced:?}"));
    }
}

#[test]
fn a_nested_pipeline_own_on_failure_is_its_handler() {
    let e = engine(&[
        (
            "outer",
            json!({
                "processors": [
                    {"pipeline": {"name": "inner", "ignore_failure": true}},
                    {"set": {"field": "after", "value": 1}}
                ],
                "on_failure": [{"set": {"field": "outer_caught", "value": true}}]
            }),
        ),
        (
            "inner",
            json!({
                "processors": [{"fail": {"message": "x"}}],
                "on_failure": [{"fail": {"message": "handler failed", "tag": "h"}}]
            }),
        ),
    ]);
    let mut trace = Trace::new();
    let doc = source(run(&e, "outer", json!({}), &mut trace));
    assert_eq!(doc, json!({"after": 1}));
    assert_eq!(
        reached(&trace, "inner"),
        pairs(&[("/processors/0", 1), ("/on_failure/0", 1)])
    );
    assert_eq!(
        reached(&trace, "outer"),
        pairs(&[("/processors/0", 1), ("/processors/1", 1)])
    );
    assert_eq!(
        trace.handled_failures(),
        [
            HandledFailure {
                level: HandlerLevel::Pipeline,
                pipeline: "inner".into(),
                handler: None,
                failed: processor("inner", "/processors/0", "fail", None),
                message: Some("x".into()),
            },
            HandledFailure {
                level: HandlerLevel::IgnoreFailure,
                pipeline: "outer".into(),
                handler: Some("/processors/0".into()),
                failed: processor("inner", "/on_failure/0", "fail", Some("h")),
                message: Some("handler failed".into()),
            }
        ]
    );
}
