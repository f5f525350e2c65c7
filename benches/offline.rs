//! `cargo bench --bench offline`: siemctl's offline work (load, render, validate), timed as a
//! user runs it, on the bundled content and on generated content sets of 5,000 and 10,000
//! objects (`benches/support/bigcontent.rs`; `render --out` up to 5,000). For each command: the median and fastest wall time
//! of several runs, the median CPU time, and the peak resident memory of the process.
//!
//! `SIEMCTL_BENCH_BIN=/path/to/siemctl` times another binary (a build of main, to compare before
//! and after on one machine); the default is the binary this bench was built with. This is a
//! measurement, not a test: it asserts nothing about time, only that every run succeeds.

#[path = "support/bigcontent.rs"]
mod bigcontent;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 9;

/// `struct rusage` of Linux (64-bit): two timevals, then 14 longs of which `ru_maxrss` is first.
#[repr(C)]
#[derive(Default)]
struct Rusage {
    utime: [i64; 2],
    stime: [i64; 2],
    maxrss_kib: i64,
    rest: [i64; 13],
}

extern "C" {
    fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
}

/// One run: wall time, CPU time (user + system), peak resident memory in KiB.
struct Run {
    wall: Duration,
    cpu: Duration,
    peak_kib: i64,
}

fn siemctl(bin: &Path, dir: &Path, args: &[&str]) -> Run {
    let stderr_path = dir.join(".bench-stderr");
    let stderr = fs::File::create(&stderr_path).expect("stderr file");
    let started = Instant::now();
    // Reaped by `wait4` below (which also gives its resource usage), not by `Child::wait`.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("run siemctl");
    let mut status = 0;
    let mut usage = Rusage::default();
    // SAFETY: `child` is our own, not yet reaped child; `status` and `usage` are valid for
    // writes of their types (the layout of `struct rusage` on 64-bit Linux).
    let pid = unsafe { wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(pid, child.id() as i32, "wait4 failed");
    let code = if status & 0x7f == 0 {
        (status >> 8) & 0xff
    } else {
        -1
    };
    assert!(
        code == 0,
        "siemctl {args:?} in {} exited {code}:\n{}",
        dir.display(),
        fs::read_to_string(&stderr_path).unwrap_or_default()
    );
    let micros = |tv: [i64; 2]| Duration::from_micros((tv[0] * 1_000_000 + tv[1]) as u64);
    Run {
        wall,
        cpu: micros(usage.utime) + micros(usage.stime),
        peak_kib: usage.maxrss_kib,
    }
}

fn measure(name: &str, mut run: impl FnMut() -> Run) {
    let runs: Vec<Run> = (0..RUNS).map(|_| run()).collect();
    let mut wall: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
    let mut cpu: Vec<Duration> = runs.iter().map(|r| r.cpu).collect();
    wall.sort();
    cpu.sort();
    let peak = runs.iter().map(|r| r.peak_kib).max().unwrap_or(0);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{name:<44} median {:>7.1} ms  fastest {:>7.1} ms  cpu {:>7.1} ms  peak {:>6.1} MiB",
        ms(wall[RUNS / 2]),
        ms(wall[0]),
        ms(cpu[RUNS / 2]),
        peak as f64 / 1024.0
    );
}

fn bench_content(bin: &Path, label: &str, dir: &Path, with_out: bool) {
    measure(&format!("{label}: validate"), || {
        siemctl(bin, dir, &["validate"])
    });
    measure(&format!("{label}: render"), || {
        siemctl(bin, dir, &["render"])
    });
    if !with_out {
        return;
    }
    let out = dir.join("rendered");
    let out_arg = out.to_str().expect("UTF-8 path");
    measure(&format!("{label}: render --out (new folder)"), || {
        let _ = fs::remove_dir_all(&out);
        siemctl(bin, dir, &["render", "--out", out_arg])
    });
    // The folder now holds every object's file: the stale-file check looks at each of them.
    measure(&format!("{label}: render --out (existing folder)"), || {
        siemctl(bin, dir, &["render", "--out", out_arg])
    });
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // `cargo bench --bench offline -- generate DIR N`: only write a content set of N objects
    // into DIR (to profile siemctl on it, or to look at it).
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let [command, dir, size] = &args[..] {
        if command == "generate" {
            let size = size.parse().expect("N is a number of objects");
            let made = bigcontent::write(repo, Path::new(dir), size).expect("generate content");
            println!("{made:?}, {} objects in {dir}", made.total());
            return;
        }
    }
    let bin = std::env::var_os("SIEMCTL_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_siemctl")));
    println!("binary: {}", bin.display());
    for size in [0, 5_000, 10_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        let made = bigcontent::write(repo, dir.path(), size).expect("generate content");
        let label = if size == 0 {
            format!("bundled ({} objects)", made.total())
        } else {
            format!("{} objects", made.total())
        };
        println!(
            "{label}: {} bundled, {} saved searches, {} visualizations, {} dashboards generated",
            made.bundled, made.searches, made.visualizations, made.dashboards
        );
        // 10,000 objects show how the time grows; `--out` is timed up to 5,000.
        bench_content(&bin, &label, dir.path(), size <= 5_000);
    }
}
