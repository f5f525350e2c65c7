//! `cargo bench --bench workshop_load`: `siemctl workshop up` loading generated events into the
//! cluster emulator with 20 ms of latency per request (`--latency-ms 20`), as a user runs it.
//! Prints events per second, `_bulk` requests and the most in flight, siemctl's peak memory
//! (RSS) and its CPU time per event, for two sizes: peak memory must not grow with the number
//! of events (the loader streams).
//!
//! This is a measurement, not a test: it asserts nothing about time. Peak memory and CPU come
//! from GNU time (`/usr/bin/time -f`); without it they are reported as unavailable. siemctl's
//! CPU includes its start, the content's no-op apply (the content is applied beforehand) and
//! the generator; the emulator runs in this process, so its CPU is not counted.

use std::path::Path;
use std::process::Command;

use cluster_emulator::{Emulator, Options};

const AT: &str = "2026-11-27T00:00:00Z";

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if [".git", "target", "tests", "benches", "src", "crates"]
            .iter()
            .any(|skip| name == *skip)
            || name.to_string_lossy().starts_with("target-")
        {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn command(dir: &Path, emulator: &Emulator, timed: bool) -> Command {
    let gnu_time = Path::new("/usr/bin/time");
    let mut command = if timed && gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.args(["-f", "TIME %M %U %S"])
            .arg(env!("CARGO_BIN_EXE_siemctl"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_siemctl"))
    };
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env("SIEMCTL_OPENSEARCH_URL", emulator.opensearch_url())
        .env("SIEMCTL_DASHBOARDS_URL", emulator.dashboards_url());
    command
}

fn load(dir: &Path, events: usize) {
    let emulator = Emulator::start(Options {
        latency_ms: 20,
        ..Options::default()
    })
    .expect("emulator");
    let applied = command(dir, &emulator, false)
        .args(["apply", "--yes"])
        .output()
        .expect("run siemctl apply");
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let events_text = events.to_string();
    let output = command(dir, &emulator, true)
        .args([
            "--output",
            "json",
            "workshop",
            "up",
            "--yes",
            "--at",
            AT,
            "--events",
            &events_text,
        ])
        .output()
        .expect("run siemctl workshop up");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "workshop up failed:\n{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let document = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<serde_json::Value>()
        .filter_map(Result::ok)
        .last()
        .expect("the load's JSON document");
    let load = &document["data"]["load"];
    let elapsed_ms = load["elapsed_ms"].as_f64().unwrap_or(0.0).max(1.0);
    let loaded = load["events"].as_f64().unwrap_or(0.0);
    println!(
        "workshop up, {events} events: {:.0} events/s ({:.1} s for the load), {} _bulk requests ({:.1} MiB), up to {} in flight, {} items retried",
        loaded / (elapsed_ms / 1e3),
        elapsed_ms / 1e3,
        load["requests"],
        load["bytes"].as_f64().unwrap_or(0.0) / (1024.0 * 1024.0),
        load["peak_in_flight"],
        load["item_retries"],
    );
    match stderr.lines().rev().find_map(|l| l.strip_prefix("TIME ")) {
        Some(figures) => {
            let parts: Vec<f64> = figures
                .split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect();
            if let [rss_kib, user, system] = parts[..] {
                println!(
                    "workshop up, {events} events: peak memory {:.1} MiB, CPU {:.2} s ({:.2} µs per event)",
                    rss_kib / 1024.0,
                    user + system,
                    (user + system) * 1e6 / loaded.max(1.0)
                );
            }
        }
        None => {
            println!("workshop up, {events} events: peak memory and CPU unavailable (no GNU time)")
        }
    }
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = tempfile::tempdir().unwrap();
    copy_tree(repo, content.path());
    for events in [10_000, 100_000] {
        load(content.path(), events);
    }
}
