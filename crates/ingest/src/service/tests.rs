//! Index requests through `IngestService` semantics (`IngestServiceTests`, `200_default_pipeline.yml`,
//! `240_required_pipeline.yml`).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value as Json};

use super::*;
use crate::test_support::fixed_now;
use crate::FixedClock;

#[derive(Default)]
struct Settings(HashMap<&'static str, (Option<&'static str>, Option<&'static str>)>);

impl IndexPipelines for Settings {
    fn default_pipeline(&self, index: &str) -> Option<String> {
        self.0.get(index).and_then(|s| s.0).map(str::to_string)
    }
    fn final_pipeline(&self, index: &str) -> Option<String> {
        self.0.get(index).and_then(|s| s.1).map(str::to_string)
    }
}

fn engine() -> Engine {
    let mut e = Engine::new().with_clock(Arc::new(FixedClock(fixed_now())));
    for name in ["a", "b", "c"] {
        e.put_pipeline(
            name,
            &json!({"processors": [{"append": {"field": "ran", "value": name}}]}),
        )
        .unwrap();
    }
    e.put_pipeline(
        "to_other",
        &json!({"processors": [{"set": {"field": "_index", "value": "other"}}]}),
    )
    .unwrap();
    e.put_pipeline("drop", &json!({"processors": [{"drop": {}}]}))
        .unwrap();
    e.put_pipeline("empty", &json!({"processors": []})).unwrap();
    e.put_pipeline(
        "fail",
        &json!({"processors": [{"fail": {"message": "no"}}]}),
    )
    .unwrap();
    e
}

fn indexed(outcome: IngestOutcome) -> IndexRequest {
    match outcome {
        IngestOutcome::Indexed(r) => r,
        other => panic!("{other:?}"),
    }
}

fn ran(r: &IndexRequest) -> Json {
    r.source.get("ran").cloned().unwrap_or(Json::Null)
}

#[test]
fn request_pipeline_else_default_then_final() {
    let e = engine();
    let mut s = Settings::default();
    s.0.insert("idx", (Some("a"), Some("c")));
    let r = indexed(e.run(IndexRequest::new("idx", json!({})), &s));
    assert_eq!(ran(&r), json!(["a", "c"]));
    let mut req = IndexRequest::new("idx", json!({}));
    req.pipeline = Some("b".into());
    assert_eq!(ran(&indexed(e.run(req, &s))), json!(["b", "c"]));
    let mut req = IndexRequest::new("idx", json!({}));
    req.pipeline = Some("_none".into());
    assert_eq!(ran(&indexed(e.run(req, &s))), json!(["c"]));
    let r = indexed(e.run(IndexRequest::new("plain", json!({"k": 1})), &s));
    assert_eq!(r.source, json!({"k": 1}));
}

#[test]
fn metadata_is_not_in_the_stored_source() {
    let e = engine();
    let mut req = IndexRequest::new("idx", json!({"k": 1}));
    req.pipeline = Some("a".into());
    req.id = Some("1".into());
    let r = indexed(e.run(req, &NoIndexPipelines));
    assert_eq!(r.source, json!({"k": 1, "ran": ["a"]}));
    assert_eq!(r.id.as_deref(), Some("1"));
    assert_eq!(r.version, None);
    assert_eq!(r.version_type, None);
}

#[test]
fn index_change_runs_only_the_new_index_final_pipeline() {
    let e = engine();
    let mut s = Settings::default();
    s.0.insert("idx", (Some("to_other"), Some("a")));
    s.0.insert("other", (Some("b"), Some("c")));
    let r = indexed(e.run(IndexRequest::new("idx", json!({})), &s));
    assert_eq!(r.index, "other");
    assert_eq!(ran(&r), json!(["c"]));
    // a final pipeline cannot change the index
    let mut s = Settings::default();
    s.0.insert("idx", (None, Some("to_other")));
    match e.run(IndexRequest::new("idx", json!({})), &s) {
        IngestOutcome::Failed(err) => {
            assert_eq!(
                err.reason(),
                "final pipeline [to_other] can't change the target index"
            );
            assert_eq!(err.type_, "illegal_state_exception");
        }
        other => panic!("{other:?}"),
    }
    // ... but a request pipeline without a final pipeline can
    let mut req = IndexRequest::new("idx2", json!({}));
    req.pipeline = Some("to_other".into());
    let mut s = Settings::default();
    s.0.insert("other", (None, Some("c")));
    let r = indexed(e.run(req, &s));
    assert_eq!((r.index.as_str(), ran(&r)), ("other", json!(["c"])));
}

#[test]
fn drop_failure_missing_and_empty() {
    let e = engine();
    let with = |p: &str| {
        let mut req = IndexRequest::new("idx", json!({"k": 1}));
        req.pipeline = Some(p.to_string());
        e.run(req, &NoIndexPipelines)
    };
    assert!(matches!(with("drop"), IngestOutcome::Dropped));
    assert_eq!(indexed(with("empty")).source, json!({"k": 1}));
    match with("nope") {
        IngestOutcome::Failed(err) => {
            assert_eq!(err.reason(), "pipeline with id [nope] does not exist");
            assert_eq!(err.status(), 400);
        }
        other => panic!("{other:?}"),
    }
    match with("fail") {
        IngestOutcome::Failed(err) => {
            assert_eq!(err.to_json()["type"], "fail_processor_exception");
            assert_eq!(err.status(), 500);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn scripts_see_version_metadata_of_the_request() {
    let mut e = engine();
    e.put_pipeline(
        "meta",
        &json!({"processors": [
        {"set": {"field": "v", "value": "{{_version}} {{_version_type}} {{_id}}"}}]}),
    )
    .unwrap();
    let mut req = IndexRequest::new("idx", json!({}));
    req.pipeline = Some("meta".into());
    assert_eq!(
        indexed(e.run(req, &NoIndexPipelines)).source["v"],
        "-3 internal "
    );
}
