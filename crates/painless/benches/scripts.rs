//! Time per execution of typical ingest scripts (compiled once). `cargo bench -p painless`.
//! Not a timed test: it prints figures for the README.

use std::time::Instant;

use painless::{Context, Options, Script, Value};

fn bench(name: &str, source: &str, context: Context, doc: &serde_json::Value) {
    // `cargo bench -p painless -- <filter>` runs the benchmarks whose name contains the filter.
    if let Some(filter) = std::env::args().skip(1).find(|a| !a.starts_with('-')) {
        if !name.contains(&filter) {
            return;
        }
    }
    let options = Options {
        context,
        ..Options::default()
    };
    let script = Script::compile(source, &options).expect("compiles");
    let params = Value::Null;
    // Each run gets a fresh copy of the document, as each ingested event is new.
    let template = painless::value::from_json(doc);
    let n = 100_000;
    // PAINLESS_BENCH_SAME_DOC=1: one document for every run (for profiling the interpreter
    // without the copies' memory traffic).
    let same = std::env::var_os("PAINLESS_BENCH_SAME_DOC").is_some();
    let docs: Vec<Value> = if same {
        vec![template.clone(); n]
    } else {
        (0..n).map(|_| template.deep_copy()).collect()
    };
    let start = Instant::now();
    for d in &docs {
        script.execute(&params, Some(d)).expect("runs");
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    println!("{name:<48} {:>8.2} µs per execution", per * 1e6);
}

fn main() {
    let gd = serde_json::json!({"aws": {"guardduty": {
        "id": "abc", "type": "UnauthorizedAccess:EC2/SSHBruteForce", "title": "t", "description": "d",
        "severity": 8.0, "accountId": "123456789012", "region": "eu-west-1"}},
        "event": {}, "cloud": {}});
    bench(
        "condition: ctx.aws.guardduty.createdAt != null",
        "ctx.aws.guardduty.createdAt != null",
        Context::IngestCondition,
        &gd,
    );
    bench(
        "condition: ctx['@message'] == null",
        "ctx['@message'] == null",
        Context::IngestCondition,
        &gd,
    );
    bench(
        "script: GuardDuty rule and severity (12 statements)",
        "def g = ctx.aws.guardduty; if (g.id != null) { ctx.event.id = g.id; } Map rule = new HashMap(); \
         if (g.type instanceof String) { rule.id = g.type; int c = g.type.indexOf(':'); if (c > 0) { rule.category = g.type.substring(0, c); } } \
         if (g.title != null) { rule.name = g.title; } if (g.description != null) { rule.description = g.description; } \
         if (!rule.isEmpty()) { ctx.rule = rule; } if (g.severity instanceof Number) { ctx.event.severity = (long) Math.floor(g.severity.doubleValue()); } \
         if (g.accountId != null) { ctx.cloud.account = ['id': g.accountId]; } if (g.region != null) { ctx.cloud.region = g.region; }",
        Context::Ingest,
        &gd,
    );
    bench(
        "script: loop of 100 integer additions",
        "int s = 0; for (int i = 0; i < 100; i++) { s += i; } ctx.sum = s;",
        Context::Ingest,
        &gd,
    );
}
