//! `cargo bench --bench cli`: siemctl timed as users run it, on the bundled content and on
//! content with many more saved searches, with plan against the cluster emulator. Prints the
//! median and fastest of several runs, and the HTTP requests a no-op plan makes.
//!
//! This is a measurement, not a test: it asserts nothing about time.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use cluster_emulator::{Emulator, Options};

const RUNS: usize = 7;

fn siemctl(dir: &Path, args: &[&str], emulator: Option<&Emulator>) -> Duration {
    let mut command = Command::new(env!("CARGO_BIN_EXE_siemctl"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI");
    if let Some(emulator) = emulator {
        command
            .env("SIEMCTL_OPENSEARCH_URL", emulator.opensearch_url())
            .env("SIEMCTL_DASHBOARDS_URL", emulator.dashboards_url());
    }
    let started = Instant::now();
    let output = command.output().expect("run siemctl");
    let elapsed = started.elapsed();
    assert!(
        output.status.code().is_some_and(|c| c == 0 || c == 2),
        "siemctl {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn measure(name: &str, mut run: impl FnMut() -> Duration) {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    times.sort();
    println!(
        "{name:<48} median {:>8.1} ms   fastest {:>8.1} ms",
        times[RUNS / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
}

fn requests(emulator: &Emulator) -> u64 {
    let stats: serde_json::Value =
        reqwest::blocking::get(format!("{}/_emulator/stats", emulator.opensearch_url()))
            .and_then(|r| r.json())
            .expect("emulator stats");
    stats["total"].as_u64().unwrap_or(0)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if [".git", "target", "tests", "benches", "src"]
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

fn bench_content(label: &str, dir: &Path) {
    measure(&format!("{label}: validate"), || {
        siemctl(dir, &["validate"], None)
    });
    let out = dir.join("rendered");
    measure(&format!("{label}: render --out"), || {
        siemctl(dir, &["render", "--out", out.to_str().unwrap()], None)
    });
    let emulator = Emulator::start(Options::default()).expect("emulator");
    siemctl(dir, &["apply", "--yes"], Some(&emulator));
    let before = requests(&emulator);
    measure(&format!("{label}: plan, no changes"), || {
        siemctl(dir, &["plan"], Some(&emulator))
    });
    println!(
        "{label:<48} {} HTTP requests per no-op plan",
        (requests(&emulator) - before) / RUNS as u64
    );
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bundled = tempfile::tempdir().unwrap();
    copy_tree(repo, bundled.path());
    bench_content("bundled content", bundled.path());

    let large = tempfile::tempdir().unwrap();
    copy_tree(repo, large.path());
    for i in 0..1000 {
        let yaml = format!("id: bench-{i}\ntitle: Bench {i}\nquery: event.action:Call{i} and source.ip:203.0.113.{}\ncolumns: [user.name, source.ip]\n", i % 250);
        std::fs::write(
            large
                .path()
                .join(format!("saved-searches/aws-cloudtrail/bench-{i}.yaml")),
            yaml,
        )
        .unwrap();
    }
    bench_content("bundled + 1000 saved searches", large.path());
}
