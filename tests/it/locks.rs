//! The apply lock on its edges (issue 13, findings 3, 4 and 8): a signal while reading under
//! the lock, a waiting apply that says who it waits for and polls less and less often, a create
//! whose answer was lost, a release that keeps failing. Over real HTTP against the emulator.

use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Another run's lock, held for ten minutes more.
fn hold_lock(c: &ClusterContext) {
    let now = now_ms();
    c.opensearch("PUT", "/siemctl-state", Some(json!({})));
    let (status, _) = c.opensearch(
        "PUT",
        "/siemctl-state/_doc/lock?op_type=create",
        Some(json!({"who": "ci@runner-7", "pid": 4242, "run_id": "other",
                    "acquired_at_ms": now - 90_000, "expires_at_ms": now + 600_000,
                    "renewed_at_ms": now - 1000, "run_url": "https://ci.example/runs/7"})),
    );
    assert_eq!(status, 201);
}

fn lock_document(c: &ClusterContext) -> (u16, Value) {
    c.opensearch("GET", "/siemctl-state/_doc/lock", None)
}

fn count(c: &ClusterContext, method: &str, route: &str) -> u64 {
    c.stats()["by_route"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == method && r["route"] == route)
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

/// SIGTERM while the apply reads again under the lock (before any write) used to kill the
/// process with the lock held: the next apply was blocked for 15 minutes. It failed before the
/// fix (the lock document was still there).
#[cfg(unix)]
#[test]
fn a_signal_while_reading_under_the_lock_releases_it() {
    let c = ClusterContext::new("minimal");
    // The lock's create is slow, so that the read under the lock can be slowed down after it
    // and before it starts.
    c.faults(json!([{"method": "PUT", "path": "/siemctl-state/_doc/lock", "latency_ms": 1500}]));
    let child = c.spawn(&["apply", "--yes"]);
    c.wait_for_request("PUT", "/{index}/_doc/{id}");
    // The state documents are read with one `_mget` (single GETs by older code paths).
    let reads = |c: &ClusterContext| {
        count(c, "GET", "/{index}/_doc/{id}") + count(c, "POST", "/{index}/_mget")
    };
    let reads_before = reads(&c);
    c.faults(json!([
        {"method": "GET", "path": "/siemctl-state/_doc/*", "latency_ms": 20000, "count": 4},
        {"method": "POST", "path": "/siemctl-state/_mget", "latency_ms": 20000, "count": 4}
    ]));
    // Once the read under the lock has reached the server (and hangs there), terminate it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while reads(&c) == reads_before {
        assert!(
            std::time::Instant::now() < deadline,
            "no read under the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("interrupted before anything was written"),
        "{stderr}"
    );
    c.clear_faults();
    assert_eq!(lock_document(&c).0, 404, "the lock was released: {stderr}");
    assert_eq!(
        c.writes().iter().filter(|w| w.contains("template")).count(),
        0
    );
    let run = c.siemctl(&["apply", "--yes", "--lock-timeout", "1"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

/// A waiting apply said nothing at default verbosity (failed before: no `waiting` line), and
/// polled twice a second: 121 creates in 60 s. Now it says who holds the lock and how long it
/// waits, and backs off: over 8 s of waiting, at most 7 creates (the old loop sent ~16), each
/// gap at least as long as the one before it, less the jitter.
#[test]
fn a_waiting_apply_says_who_holds_the_lock_and_backs_off() {
    let c = ClusterContext::new("minimal");
    hold_lock(&c);
    c.emulator.clear_requests();
    let run = c.siemctl(&["apply", "--yes", "--lock-timeout", "8"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let waiting: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("waiting for the apply lock"))
        .collect();
    assert_eq!(waiting.len(), 1, "said once: {}", run.stderr);
    for part in [
        "ci@runner-7 (pid 4242)",
        "run https://ci.example/runs/7",
        "taken at ",
        "s ago)",
        "waiting up to 8s (--lock-timeout)",
    ] {
        assert!(waiting[0].contains(part), "`{part}` in: {}", waiting[0]);
    }
    let creates: Vec<u64> = c
        .emulator
        .requests()
        .into_iter()
        .filter(|r| {
            r.method == "PUT"
                && r.path == "/siemctl-state/_doc/lock"
                && r.query.contains("op_type=create")
        })
        .map(|r| r.start_us)
        .collect();
    assert!(
        (3..=7).contains(&creates.len()),
        "{} creates over 8 s: {creates:?}",
        creates.len()
    );
    let gaps: Vec<u64> = creates.windows(2).map(|w| w[1] - w[0]).collect();
    // The last gap (cut at the deadline aside) is the longest: at least a second.
    assert!(
        gaps.iter().rev().skip(1).any(|g| *g >= 1_000_000),
        "{gaps:?}"
    );
    assert_eq!(lock_document(&c).1["_source"]["run_id"], "other");
}

/// The lock's create applied, its answer lost on every attempt: apply failed with "cannot take
/// the apply lock" and left its own lock behind (failed before the fix). Now it reads the lock
/// back, recognises its run id, applies and releases it.
#[test]
fn a_lock_created_without_an_answer_is_recognised_as_its_own() {
    let c = ClusterContext::new("minimal");
    c.faults(json!([{"method": "PUT", "path": "/siemctl-state/_doc/lock", "drop_after": true, "count": 50}]));
    let run = c.siemctl(&["apply", "--yes", "--retry-budget", "2"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(lock_document(&c).0, 404, "released: {}", run.snapshot());
    c.clear_faults();
    assert_eq!(c.siemctl(&["plan", "--detailed-exitcode"]).code, 0);
}

/// A release that keeps failing said only "cannot release the apply lock" (failed before: no
/// expiry, no way out). Now it says until when the lock stays and how to remove it.
#[test]
fn a_failed_release_says_until_when_the_lock_stays_and_how_to_remove_it() {
    let c = ClusterContext::new("minimal");
    c.faults(json!([{"method": "DELETE", "path": "/siemctl-state/_doc/lock", "status": 502, "count": 50}]));
    let run = c.siemctl(&["apply", "--yes", "--retry-budget", "2"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let (status, lock) = lock_document(&c);
    assert_eq!(status, 200, "{lock}");
    let id = lock["_source"]["run_id"].as_str().unwrap().to_string();
    assert!(
        run.stderr.contains("cannot release the apply lock"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("it stays until it expires at "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("siemctl unlock --lock-id {id} --force")),
        "{}",
        run.stderr
    );
    c.clear_faults();
    let run = c.siemctl(&["unlock", "--lock-id", &id, "--force", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(lock_document(&c).0, 404);
}
