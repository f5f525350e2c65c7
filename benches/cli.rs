//! `cargo bench --bench cli`: siemctl's network side timed as users run it, against the cluster
//! emulator with 20 ms of latency per request (`--latency-ms 20`), side by side in one run:
//!
//! - a no-op `plan` and a cold `apply` (into an empty cluster), on the bundled content and on a
//!   generated set of 5,000 objects (`support/bigcontent.rs`: the bundled content plus saved
//!   searches, visualizations and dashboards);
//! - the baseline: one `GET` per object of the 5,000, ten in flight at a time, which is how
//!   terraform-provider-opensearch reads its resources (one read per resource, Terraform's
//!   default parallelism of 10).
//!
//! For each: the HTTP requests, the round trips on the critical path (the longest chain of
//! requests that did not overlap, from the emulator's request log: see the emulator's README),
//! the median wall time, the network part of it (first arrival to last answer), and siemctl's
//! peak memory (max RSS from `wait4`, through GNU time's `%M`; reported as unavailable without
//! `/usr/bin/time`). Then the ratios.
//!
//! Then many targets in one run: 50 targets of the bundled content, each its own emulator (20
//! ms), planned (no-op) and applied (cold) with `--target 'bench-*' --parallel 50`, against one of
//! them alone (`--target bench-00`): wall time as a ratio, the requests of all 50, the longest
//! critical path of one target's emulator, siemctl's peak memory.
//! `SIEMCTL_BENCH_ONLY=targets` runs this part alone.
//!
//! `SIEMCTL_BENCH_BIN=/path/to/siemctl` measures another build (an older release, say) in the
//! same way. This is a measurement, not a test: it asserts nothing about time.

#[path = "support/bigcontent.rs"]
mod bigcontent;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cluster_emulator::{critical_path, Emulator, Options};
use serde_json::Value;

const LATENCY_MS: u64 = 20;
const PLAN_RUNS: usize = 7;
const APPLY_RUNS: usize = 5;
const BASELINE_RUNS: usize = 3;
const BASELINE_PARALLELISM: usize = 10;

fn binary() -> PathBuf {
    std::env::var_os("SIEMCTL_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_siemctl")))
}

fn emulator() -> Emulator {
    Emulator::start(Options {
        latency_ms: LATENCY_MS,
        ..Options::default()
    })
    .expect("emulator")
}

/// One run of something: wall time, requests and critical path, siemctl's peak memory.
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    requests: usize,
    critical: usize,
    /// From the first request's arrival to the last answer: the part of the wall time spent
    /// on the network (the rest is siemctl's own work before, between and after).
    network: Duration,
    peak_kib: Option<u64>,
}

fn span(log: &[cluster_emulator::RequestRecord]) -> Duration {
    let start = log.iter().map(|r| r.start_us).min().unwrap_or(0);
    let end = log.iter().map(|r| r.end_us).max().unwrap_or(0);
    Duration::from_micros(end.saturating_sub(start))
}

/// The median run (by wall time) of several.
fn median(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by_key(|s| s.wall);
    let mut mid = samples[samples.len() / 2];
    // Peak memory varies little; report the largest seen.
    mid.peak_kib = samples.iter().filter_map(|s| s.peak_kib).max();
    mid
}

/// Runs siemctl in `dir` against `emulator`, with GNU time around it when there is one.
fn siemctl(dir: &Path, args: &[&str], emulator: &Emulator) -> Sample {
    let gnu_time = Path::new("/usr/bin/time");
    let peak_file = tempfile::NamedTempFile::new().unwrap();
    let mut command = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-o")
            .arg(peak_file.path())
            .args(["-f", "%M"])
            .arg(binary());
        c
    } else {
        Command::new(binary())
    };
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("RUST_LOG")
        .env("SIEMCTL_OPENSEARCH_URL", emulator.opensearch_url())
        .env("SIEMCTL_DASHBOARDS_URL", emulator.dashboards_url());
    emulator.clear_requests();
    let started = Instant::now();
    let output = command.output().expect("run siemctl");
    let wall = started.elapsed();
    assert!(
        output.status.code().is_some_and(|c| c == 0),
        "siemctl {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log = emulator.requests();
    let peak_kib = std::fs::read_to_string(peak_file.path())
        .ok()
        .and_then(|t| t.lines().last()?.trim().parse().ok());
    Sample {
        wall,
        requests: log.len(),
        critical: critical_path(&log),
        network: span(&log),
        peak_kib,
    }
}

/// Every object siemctl manages in the emulator, from its state documents: (server URL, path).
fn managed_objects(emulator: &Emulator) -> Vec<(String, String)> {
    let http = reqwest::blocking::Client::new();
    let mut out = Vec::new();
    for doc in ["state-cluster", "state-tenant-global"] {
        let body: Value = http
            .get(format!(
                "{}/siemctl-state/_doc/{doc}",
                emulator.opensearch_url()
            ))
            .send()
            .and_then(|r| r.json())
            .expect("state document");
        let objects = body["_source"]["objects"].as_object().expect("objects");
        for key in objects.keys() {
            let (kind, id) = key.split_once('/').expect("kind/id");
            let (base, path) = match kind {
                "component_template" => (
                    emulator.opensearch_url(),
                    format!("/_component_template/{id}"),
                ),
                "index_template" => (emulator.opensearch_url(), format!("/_index_template/{id}")),
                "ingest_pipeline" => (emulator.opensearch_url(), format!("/_ingest/pipeline/{id}")),
                "ism_policy" => (
                    emulator.opensearch_url(),
                    format!("/_plugins/_ism/policies/{id}"),
                ),
                // The advanced settings live under the Dashboards version.
                "config" => (
                    emulator.dashboards_url(),
                    "/api/saved_objects/config/2.19.0".to_string(),
                ),
                saved => (
                    emulator.dashboards_url(),
                    format!("/api/saved_objects/{}/{id}", saved.replace('_', "-")),
                ),
            };
            out.push((base.to_string(), path));
        }
    }
    out
}

/// The baseline: one GET per object, `BASELINE_PARALLELISM` in flight.
fn single_gets(emulator: &Emulator, objects: &[(String, String)]) -> Sample {
    emulator.clear_requests();
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..BASELINE_PARALLELISM {
            scope.spawn(|| {
                let http = reqwest::blocking::Client::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((base, path)) = objects.get(i) else {
                        break;
                    };
                    let response = http
                        .get(format!("{base}{path}"))
                        .header("securitytenant", "global")
                        .send()
                        .expect("GET");
                    assert!(
                        response.status().is_success(),
                        "GET {path}: {}",
                        response.status()
                    );
                    let _ = response.bytes();
                }
            });
        }
    });
    let wall = started.elapsed();
    let log = emulator.requests();
    Sample {
        wall,
        requests: log.len(),
        critical: critical_path(&log),
        network: span(&log),
        peak_kib: None,
    }
}

fn row(label: &str, s: &Sample) {
    println!(
        "{label:<52} {:>8} {:>10} {:>8.0} ms {:>8.0} ms {:>10}",
        s.requests,
        s.critical,
        s.wall.as_secs_f64() * 1e3,
        s.network.as_secs_f64() * 1e3,
        s.peak_kib.map_or_else(
            || "n/a".to_string(),
            |k| format!("{:.1} MiB", k as f64 / 1024.0)
        )
    );
}

/// Cold applies (each into a fresh emulator), then no-op plans against the last one.
fn plan_and_apply(label: &str, dir: &Path) -> (Sample, Sample, Emulator) {
    let mut applies = Vec::new();
    let mut last = None;
    for _ in 0..APPLY_RUNS {
        let emulator = emulator();
        applies.push(siemctl(dir, &["apply", "--yes"], &emulator));
        last = Some(emulator);
    }
    let emulator = last.expect("one apply");
    let plans: Vec<Sample> = (0..PLAN_RUNS)
        .map(|_| siemctl(dir, &["plan", "--detailed-exitcode"], &emulator))
        .collect();
    let (apply, plan) = (median(applies), median(plans));
    row(&format!("{label}: no-op plan"), &plan);
    row(&format!("{label}: cold apply"), &apply);
    (plan, apply, emulator)
}

const TARGETS: usize = 50;
const TARGET_RUNS: usize = 3;

/// Runs siemctl in `dir` over the targets of its siemctl.toml (no URL from the environment),
/// with GNU time around it when there is one. Requests are summed over the emulators, the
/// critical path is the longest of one emulator's.
fn siemctl_targets(dir: &Path, args: &[&str], emulators: &[Emulator]) -> Sample {
    let gnu_time = Path::new("/usr/bin/time");
    let peak_file = tempfile::NamedTempFile::new().unwrap();
    let mut command = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-o")
            .arg(peak_file.path())
            .args(["-f", "%M"])
            .arg(binary());
        c
    } else {
        Command::new(binary())
    };
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("RUST_LOG")
        .env_remove("SIEMCTL_OPENSEARCH_URL")
        .env_remove("SIEMCTL_DASHBOARDS_URL");
    for e in emulators {
        e.clear_requests();
    }
    let started = Instant::now();
    let output = command.output().expect("run siemctl");
    let wall = started.elapsed();
    assert!(
        output.status.code().is_some_and(|c| c == 0),
        "siemctl {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let logs: Vec<_> = emulators.iter().map(Emulator::requests).collect();
    let peak_kib = std::fs::read_to_string(peak_file.path())
        .ok()
        .and_then(|t| t.lines().last()?.trim().parse().ok());
    Sample {
        wall,
        requests: logs.iter().map(Vec::len).sum(),
        critical: logs.iter().map(|l| critical_path(l)).max().unwrap_or(0),
        network: logs.iter().map(|l| span(l)).max().unwrap_or_default(),
        peak_kib,
    }
}

/// Empties an emulator (`POST /_emulator/reset`), for the next cold apply.
fn reset(emulator: &Emulator) {
    let status = reqwest::blocking::Client::new()
        .post(format!("{}/_emulator/reset", emulator.opensearch_url()))
        .send()
        .expect("reset")
        .status();
    assert!(status.is_success(), "reset: {status}");
}

/// 50 targets in one run against one of them alone: cold applies, then no-op plans.
fn many_targets(repo: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let made = bigcontent::write(repo, dir.path(), 0).expect("bundled content");
    let emulators: Vec<Emulator> = (0..TARGETS).map(|_| emulator()).collect();
    let mut toml = std::fs::read_to_string(dir.path().join("siemctl.toml")).unwrap();
    for (i, e) in emulators.iter().enumerate() {
        toml.push_str(&format!(
            "\n[targets.bench-{i:02}]\nopensearch_url = \"{}\"\ndashboards_url = \"{}\"\nauth = \"none\"\ntenant = \"global\"\n",
            e.opensearch_url(),
            e.dashboards_url()
        ));
    }
    std::fs::write(dir.path().join("siemctl.toml"), toml).unwrap();
    let parallel = TARGETS.to_string();
    let all = ["--target", "bench-*", "--parallel", parallel.as_str()];
    let one = ["--target", "bench-00"];
    let cold = |targets: &[&str]| {
        let samples = (0..TARGET_RUNS)
            .map(|_| {
                emulators.iter().for_each(reset);
                let mut args = vec!["apply", "--yes"];
                args.extend_from_slice(targets);
                siemctl_targets(dir.path(), &args, &emulators)
            })
            .collect();
        median(samples)
    };
    let noop = |targets: &[&str]| {
        let samples = (0..TARGET_RUNS)
            .map(|_| {
                let mut args = vec!["plan"];
                args.extend_from_slice(targets);
                siemctl_targets(dir.path(), &args, &emulators)
            })
            .collect();
        median(samples)
    };
    let (apply_one, apply_all) = (cold(&one), cold(&all));
    // Every emulator holds the content now: the plans are no-ops.
    let (plan_one, plan_all) = (noop(&one), noop(&all));
    let label = format!("bundled content ({} objects)", made.total());
    row(&format!("{label}: no-op plan, 1 target"), &plan_one);
    row(
        &format!("{label}: no-op plan, {TARGETS} targets"),
        &plan_all,
    );
    row(&format!("{label}: cold apply, 1 target"), &apply_one);
    row(
        &format!("{label}: cold apply, {TARGETS} targets"),
        &apply_all,
    );
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE);
    println!();
    println!(
        "{TARGETS} targets vs 1 (--parallel {TARGETS}): no-op plan {:.2}x the wall time, cold apply {:.2}x",
        ratio(plan_all.wall, plan_one.wall),
        ratio(apply_all.wall, apply_one.wall),
    );
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    if std::env::var("SIEMCTL_BENCH_ONLY").as_deref() == Ok("targets") {
        println!(
            "siemctl {} against {TARGETS} emulators, {LATENCY_MS} ms per request; medians of {TARGET_RUNS} runs",
            binary().display()
        );
        println!(
            "{:<52} {:>8} {:>10} {:>11} {:>11} {:>10}",
            "", "requests", "crit. path", "wall", "network", "peak RSS"
        );
        many_targets(repo);
        return;
    }
    println!(
        "siemctl {} against the emulator, {LATENCY_MS} ms per request; medians of {PLAN_RUNS} plans, {APPLY_RUNS} applies, {BASELINE_RUNS} baselines",
        binary().display()
    );
    println!(
        "{:<52} {:>8} {:>10} {:>11} {:>11} {:>10}",
        "", "requests", "crit. path", "wall", "network", "peak RSS"
    );
    let bundled = tempfile::tempdir().unwrap();
    let small = bigcontent::write(repo, bundled.path(), 0).expect("bundled content");
    let (small_plan, _, _) = plan_and_apply(
        &format!("bundled content ({} objects)", small.total()),
        bundled.path(),
    );

    let large = tempfile::tempdir().unwrap();
    let made = bigcontent::write(repo, large.path(), 5_000).expect("5,000 objects");
    let label = format!("{} objects", made.total());
    let (plan, apply, emulator) = plan_and_apply(&label, large.path());
    let objects = managed_objects(&emulator);
    let baseline = median(
        (0..BASELINE_RUNS)
            .map(|_| single_gets(&emulator, &objects))
            .collect(),
    );
    row(
        &format!(
            "{label}: {} single GETs, {BASELINE_PARALLELISM} in flight",
            objects.len()
        ),
        &baseline,
    );
    let ratio = |a: f64, b: f64| a / b.max(f64::MIN_POSITIVE);
    println!();
    println!(
        "no-op plan vs the baseline: {:.1}x faster, {:.0}x fewer requests, {:.0}x fewer round trips on the critical path",
        ratio(baseline.wall.as_secs_f64(), plan.wall.as_secs_f64()),
        ratio(baseline.requests as f64, plan.requests as f64),
        ratio(baseline.critical as f64, plan.critical as f64),
    );
    println!(
        "cold apply vs the baseline's reads alone: {:.1}x faster",
        ratio(baseline.wall.as_secs_f64(), apply.wall.as_secs_f64()),
    );
    println!(
        "growth: {} objects vs {}: no-op plan requests {} vs {}, critical path {} vs {}, wall {:.2}x",
        made.total(),
        small.total(),
        plan.requests,
        small_plan.requests,
        plan.critical,
        small_plan.critical,
        ratio(plan.wall.as_secs_f64(), small_plan.wall.as_secs_f64()),
    );
    println!();
    many_targets(repo);
}
