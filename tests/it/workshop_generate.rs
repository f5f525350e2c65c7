//! `siemctl workshop generate` and `siemctl workshop questions`, through the binary.

use std::fs;

use crate::common::{repo_root, run_in, TestContext};

const AT: &str = "2026-11-27T00:00:00Z";

fn generate(dir: &std::path::Path, extra: &[&str]) -> crate::common::Run {
    let out = dir.to_str().unwrap();
    let mut args = vec!["workshop", "generate", "--out", out, "--at", AT];
    args.extend_from_slice(extra);
    run_in(&repo_root(), &args)
}

#[test]
fn generate_writes_one_file_per_index_family_deterministically() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let run = generate(
        a.path(),
        &["--events", "3000", "--seed", "7", "--output", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let doc = run.json();
    assert_eq!(doc["data"]["events"], 3000);
    assert_eq!(doc["data"]["field"], "message");
    let indices: Vec<String> = doc["data"]["indices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        indices,
        [
            "log-aws-cloudtrail-2026-11",
            "log-aws-guardduty-2026-11",
            "log-aws-securityhub-2026-11",
            "log-aws-vpcflowlogs-2026-11",
            "log-linux-secure-2026-11",
            "log-web-apache-2026-11",
            "log-web-nginx-2026-11"
        ]
    );
    let run = generate(b.path(), &["--events", "3000", "--seed", "7"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("3000 events in total"),
        "{}",
        run.stdout
    );
    let mut names: Vec<String> = fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "aws-cloudtrail.ndjson",
            "aws-guardduty.ndjson",
            "aws-securityhub.ndjson",
            "aws-vpcflowlogs.log",
            "linux-secure.log",
            "web-apache.log",
            "web-nginx.log"
        ]
    );
    let mut lines = 0;
    for name in &names {
        let x = fs::read(a.path().join(name)).unwrap();
        let y = fs::read(b.path().join(name)).unwrap();
        assert!(
            x == y,
            "{name} differs between two runs with the same seed, count and --at"
        );
        lines += x.iter().filter(|c| **c == b'\n').count();
        if name.ends_with(".ndjson") {
            for line in String::from_utf8(x).unwrap().lines() {
                serde_json::from_str::<serde_json::Value>(line)
                    .unwrap_or_else(|e| panic!("{name}: {e}: {line}"));
            }
        }
    }
    assert_eq!(lines, 3000);
    // another seed: other noise, the same story
    let c = tempfile::tempdir().unwrap();
    assert_eq!(
        generate(c.path(), &["--events", "3000", "--seed", "8"]).code,
        0
    );
    assert_ne!(
        fs::read(a.path().join("aws-vpcflowlogs.log")).unwrap(),
        fs::read(c.path().join("aws-vpcflowlogs.log")).unwrap()
    );
    let ct = fs::read_to_string(c.path().join("aws-cloudtrail.ndjson")).unwrap();
    assert!(ct.contains(r#""eventName":"CreateAccessKey""#) && ct.contains("203.0.113.50"));
}

#[test]
fn a_bad_at_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let run = run_in(
        &repo_root(),
        &["workshop", "generate", "--out", out, "--at", "yesterday"],
    );
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains("--at yesterday: not an RFC 3339 timestamp"),
        "{}",
        run.stderr
    );
}

#[test]
fn questions_print_the_sheet_and_the_answer_key() {
    let sheet = run_in(&repo_root(), &["workshop", "questions", "--at", AT]);
    assert_eq!(sheet.code, 0, "{}", sheet.snapshot());
    assert!(
        sheet.stdout.contains("points)") && sheet.stdout.contains("Hint 1 (costs"),
        "{}",
        sheet.stdout
    );
    assert!(
        sheet
            .stdout
            .contains("from `2026-11-25T06:00:00Z` to `2026-11-27T00:00:00Z`"),
        "{}",
        sheet.stdout
    );
    assert!(!sheet.stdout.contains("**Answer**"), "{}", sheet.stdout);
    let key = run_in(
        &repo_root(),
        &["workshop", "questions", "--answers", "--at", AT],
    );
    assert_eq!(key.code, 0, "{}", key.snapshot());
    assert!(
        key.stdout
            .contains("**Answer**: IAM user deploy-bot, access key AKIAIOSFODNN7EXAMPLE."),
        "{}",
        key.stdout
    );
    let json = run_in(
        &repo_root(),
        &[
            "workshop",
            "questions",
            "--answers",
            "--format",
            "json",
            "--at",
            AT,
        ],
    );
    assert_eq!(json.code, 0, "{}", json.snapshot());
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let questions = doc["questions"].as_array().unwrap();
    assert!(questions.len() >= 10);
    assert!(questions
        .iter()
        .all(|q| q["answer"].is_string() && q["points"].as_u64().unwrap() > 0));
    assert_eq!(doc["at"], AT);
}

#[test]
fn a_broken_questions_file_names_its_line() {
    let ctx = TestContext::bundled();
    ctx.write(
        "workshop/questions.yaml",
        &fs::read_to_string(repo_root().join("workshop/questions.yaml")).unwrap(),
    );
    ctx.edit(
        "workshop/questions.yaml",
        "    points: 100\n",
        "    points: 100\n    score: 3\n",
    );
    let run = ctx.siemctl(&["workshop", "questions"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("workshop/questions.yaml:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("score"), "{}", run.stderr);
    ctx.edit("workshop/questions.yaml", "    score: 3\n", "");
    ctx.edit(
        "workshop/questions.yaml",
        "searches: [aws-cloudtrail-access-key-activity, aws-guardduty-findings-by-remote-ip]",
        "searches: [no-such-search]",
    );
    let run = ctx.siemctl(&["workshop", "questions"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("no saved search `no-such-search`"),
        "{}",
        run.stderr
    );
}
