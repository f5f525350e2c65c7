//! `cargo bench --bench workshop`: `siemctl workshop generate` of 1,000,000 events (and of
//! 100,000, to show that peak memory does not grow with N). Prints events per second and the
//! process's peak resident memory (VmHWM, polled from /proc while it runs; Linux only).
//!
//! This is a measurement, not a test: it asserts nothing about time. It does assert that every
//! event was written, so that a generator failing fast is not mistaken for speed.

use std::process::Command;
use std::time::{Duration, Instant};

fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn run(events: usize) {
    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_siemctl"))
        .args([
            "workshop",
            "generate",
            "--seed",
            "1",
            "--at",
            "2026-11-27T00:00:00Z",
            "--events",
        ])
        .arg(events.to_string())
        .arg("--out")
        .arg(out.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run siemctl workshop generate");
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_kib(child.id()) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    assert!(status.success(), "siemctl workshop generate failed");
    let mut lines = 0usize;
    let mut bytes = 0u64;
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        bytes += data.len() as u64;
        lines += data.iter().filter(|b| **b == b'\n').count();
    }
    assert_eq!(lines, events, "every event is written");
    println!(
        "workshop generate {events:>9} events: {:>7.2} s, {:>9.0} events/s, {:>6.1} MB written, peak RSS {:.1} MiB (process start and file writing included)",
        elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64(),
        bytes as f64 / 1e6,
        peak as f64 / 1024.0
    );
}

fn main() {
    run(100_000);
    run(1_000_000);
}
