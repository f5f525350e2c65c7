//! A rough throughput check of the core (not a benchmark: `benches/` has those). Run with
//! `cargo test -p ingest --release --test throughput -- --ignored --nocapture`.

use std::time::Instant;

use ingest::{Engine, IndexRequest, IngestOutcome, NoIndexPipelines};
use serde_json::{json, Value};

fn measure(name: &str, processors: Value) {
    if std::env::var("THROUGHPUT_ONLY").is_ok_and(|only| !name.contains(&only)) {
        return;
    }
    let mut engine = Engine::new();
    engine
        .put_pipeline("p", &json!({ "processors": processors }))
        .unwrap();
    let doc = json!({"id": "abc", "region": "us-east-1", "junk": 1,
        "detail": {"type": "Recon:EC2/PortProbeUnprotectedPort", "severity": 8,
            "service": {"action": {"actionType": "PORT_PROBE", "portProbeAction": {"blocked": false}}}}});
    let n = 20_000;
    let start = Instant::now();
    for _ in 0..n {
        let mut r = IndexRequest::new("i", doc.clone());
        r.pipeline = Some("p".into());
        match engine.run(r, &NoIndexPipelines) {
            IngestOutcome::Indexed(_) => {}
            other => panic!("{other:?}"),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!("{name}: {:.0} documents per second", n as f64 / secs);
}

#[test]
#[ignore]
fn core_processors_and_painless_per_second() {
    measure(
        "empty-ish (one set)",
        json!([{"set": {"field": "k", "value": 1}}]),
    );
    measure(
        "core processors",
        json!([
            {"set": {"field": "event.kind", "value": "event"}},
            {"set": {"field": "event.original_id", "value": "{{id}}-{{detail.type}}"}},
            {"rename": {"field": "detail.severity", "target_field": "event.severity", "ignore_missing": true}},
            {"append": {"field": "tags", "value": ["a", "{{region}}"]}},
            {"remove": {"field": ["junk", "more_junk"], "ignore_missing": true}}
        ]),
    );
    measure(
        "one script",
        json!([{"script": {"source": "if (ctx.detail?.service?.action != null) { ctx.action = ctx.detail.service.action.actionType; }"}}]),
    );
    measure(
        "two conditions",
        json!([
            {"set": {"if": "return ctx.region != null && ctx.region.startsWith('us-');", "field": "geo", "value": "us"}},
            {"set": {"if": "return ctx.detail?.severity != null && ctx.detail.severity > 5;", "field": "high", "value": true}}
        ]),
    );
}
