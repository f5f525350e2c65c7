//! How many requests plan makes, and how many it waits for one after another, read from the
//! emulator's request log. Counts and overlaps, never timings: during the plan every request is
//! held a second by the emulator, so that requests sent together overlap however loaded the
//! machine is (the emulator records a request when it gets to it, which on a busy machine can
//! be a few hundred milliseconds after it was sent).

#[path = "../../benches/support/bigcontent.rs"]
mod bigcontent;

use std::path::Path;

use cluster_emulator::{critical_path, Emulator, Options, RequestRecord};

use crate::common::{repo_root, run_with_env, TestContext};

fn emulator() -> Emulator {
    Emulator::start(Options::default()).expect("start the emulator")
}

/// Holds each of the next requests a second (or clears the rule with `None`).
fn hold_requests(emulator: &Emulator, hold: bool) {
    let url = format!("{}/_emulator/faults", emulator.opensearch_url());
    let http = reqwest::blocking::Client::new();
    let response = if hold {
        http.post(url)
            .json(&serde_json::json!([{"path": "*", "latency_ms": 1000, "count": 1000}]))
            .send()
    } else {
        http.delete(url).send()
    };
    assert!(response.unwrap().status().is_success());
}

fn siemctl(dir: &Path, emulator: &Emulator, args: &[&str]) -> crate::common::Run {
    run_with_env(
        dir,
        args,
        &[
            ("SIEMCTL_OPENSEARCH_URL", emulator.opensearch_url()),
            ("SIEMCTL_DASHBOARDS_URL", emulator.dashboards_url()),
        ],
    )
}

/// Applies the content, then returns the request log of one no-op plan.
fn no_op_plan(dir: &Path, emulator: &Emulator) -> Vec<RequestRecord> {
    let run = siemctl(dir, emulator, &["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    hold_requests(emulator, true);
    emulator.clear_requests();
    let run = siemctl(dir, emulator, &["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "a no-op plan: {}", run.snapshot());
    hold_requests(emulator, false);
    emulator.requests()
}

/// `METHOD route` of each request, sorted.
fn routes(log: &[RequestRecord]) -> Vec<String> {
    let mut routes: Vec<String> = log
        .iter()
        .map(|r| format!("{} {}", r.method, r.route))
        .collect();
    routes.sort();
    routes
}

#[test]
fn a_no_op_plan_makes_the_same_requests_for_5000_objects_as_for_the_bundled_content() {
    let bundled = TestContext::bundled();
    let small_emulator = emulator();
    let small = no_op_plan(bundled.path(), &small_emulator);

    let large = TestContext::bundled();
    let made = bigcontent::write(&repo_root(), large.path(), 5_000).expect("generate");
    assert!(made.total() >= 5_000, "{made:?}");
    let large_emulator = emulator();
    let large = no_op_plan(large.path(), &large_emulator);

    assert_eq!(
        routes(&large),
        routes(&small),
        "the same requests, whatever the size"
    );
    // 10: GET /, /api/status and the tenant check (GET /api/v1/auth/authinfo); the three
    // lists and the ISM policies; both state documents in one `_mget`; the titles (`_find`, for
    // the same-title warning); and one `_bulk_get` for the saved objects with the advanced
    // settings.
    assert!(large.len() <= 10, "{:#?}", routes(&large));
    assert_eq!(critical_path(&large), critical_path(&small));
    assert!(
        critical_path(&large) <= 2,
        "detection and the reads in flight together, then the saved objects: {large:#?}"
    );
}

#[test]
fn the_bulk_get_batches_of_one_plan_overlap() {
    let content = TestContext::fixture("minimal");
    // Ids this long fill a `_bulk_get` body (512 KiB at most) with about 2,000 objects.
    let long = "x".repeat(230);
    for i in 0..2_500 {
        content.write(
            &format!("saved-searches/demo/many-{i}.yaml"),
            &format!("id: many-{i}-{long}\ntitle: Many {i}\nquery: event.action:a{i}\n"),
        );
    }
    let emulator = emulator();
    let log = no_op_plan(content.path(), &emulator);
    let mut batches: Vec<&RequestRecord> = log
        .iter()
        .filter(|r| r.route == "/api/saved_objects/_bulk_get")
        .collect();
    batches.sort_by_key(|r| r.start_us);
    // The content's objects with the advanced settings (whose id, the Dashboards version, is
    // known once detection answered) in two batches or more, all in flight together.
    let first_end = batches.iter().map(|r| r.end_us).min().unwrap_or_default();
    let together = batches.iter().filter(|r| r.start_us < first_end).count();
    assert!(together >= 2, "{batches:#?}");
    assert_eq!(together, batches.len(), "{batches:#?}");
    assert!(critical_path(&log) <= 2, "{log:#?}");
}
