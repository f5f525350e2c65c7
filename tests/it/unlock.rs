//! `siemctl unlock` and the CI run recorded with the lock and the state, over real HTTP
//! against the cluster emulator.

use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A lock as a run of siemctl writes it, renewed `renewed_ago_ms` ago.
fn hold(c: &ClusterContext, renewed_ago_ms: u64) {
    let now = now_ms();
    c.opensearch("PUT", "/siemctl-state", Some(json!({})));
    let (status, _) = c.opensearch(
        "PUT",
        "/siemctl-state/_doc/lock?op_type=create",
        Some(json!({
            "who": "ci@runner-7", "pid": 4242, "run_id": "5eed",
            "acquired_at_ms": now - 600_000, "renewed_at_ms": now - renewed_ago_ms,
            "expires_at_ms": now - renewed_ago_ms + 900_000,
            "run_url": "https://github.com/acme/siem/actions/runs/42"
        })),
    );
    assert_eq!(status, 201);
}

fn locked(c: &ClusterContext) -> bool {
    c.opensearch("GET", "/siemctl-state/_doc/lock", None).0 == 200
}

#[test]
fn a_killed_jobs_lock_is_shown_then_removed_after_confirmation() {
    let c = ClusterContext::new("minimal");
    hold(&c, 300_000);
    // A blocked apply names the holder, the job to open, and unlock.
    let run = c.siemctl(&["apply", "--yes", "--lock-timeout", "1"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("ci@runner-7 (pid 4242), lock id 5eed, run https://github.com/acme/siem/actions/runs/42"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`siemctl unlock` removes its lock"),
        "{}",
        run.stderr
    );
    // No terminal and no --yes: refused, the lock stays.
    let run = c.siemctl(&["unlock"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains("apply lock: ci@runner-7 (pid 4242), lock id 5eed"),
        "{}",
        run.stderr
    );
    // Renewed 300 s before the test began; the runs since take a few seconds, more on a loaded
    // machine (the blocked apply above waits for its lock timeout).
    let ago: u64 = run
        .stderr
        .split("last renewed ")
        .nth(1)
        .and_then(|rest| rest.split("s ago").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!((300..=360).contains(&ago), "{}", run.stderr);
    assert!(run.stderr.contains("pass --yes"), "{}", run.stderr);
    assert!(locked(&c));
    // Another run's id: refused.
    let run = c.siemctl(&["unlock", "--yes", "--lock-id", "beef"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("held by another run than beef"),
        "{}",
        run.stderr
    );
    assert!(locked(&c));
    let run = c.siemctl(&["unlock", "--yes", "--lock-id", "5eed"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("Removed the apply lock of ci@runner-7"),
        "{}",
        run.stdout
    );
    assert!(!locked(&c));
    assert_eq!(c.siemctl(&["apply", "--yes"]).code, 0);
    let run = c.siemctl(&["unlock", "--yes"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "No apply lock is held on this cluster.\n");
}

#[test]
fn a_lock_renewed_in_the_last_minute_needs_force() {
    let c = ClusterContext::new("minimal");
    hold(&c, 5_000);
    let run = c.siemctl(&["unlock", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains("renewed 5s ago, so its run is probably alive"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("pass --force"), "{}", run.stderr);
    assert!(locked(&c));
    let run = c.siemctl(&["unlock", "--yes", "--force"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(!locked(&c));
}

#[test]
fn the_state_records_the_ci_run() {
    let c = ClusterContext::new("minimal");
    let run = c.siemctl_env(
        &["apply", "--yes"],
        &[
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/siem"),
            ("GITHUB_RUN_ID", "42"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let (_, doc) = c.opensearch("GET", "/siemctl-state/_doc/state-cluster", None);
    assert_eq!(
        doc["_source"]["applied_run_url"],
        Value::from("https://github.com/acme/siem/actions/runs/42"),
        "{doc}"
    );
}
