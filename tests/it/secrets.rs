//! Secrets never appear in siemctl's output, whatever the content holds: a content file or
//! siemctl.toml that is a link to a file outside the content directory (such as
//! /proc/self/environ, which holds the environment's passwords) is refused without a word of
//! what it points at, and every secret siemctl knows is masked in all output.

use std::os::unix::fs::symlink;

use crate::common::{run_with_env, Run, TestContext};

const PASSWORD: &str = "hunter2-correct-horse";
const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN: &str = "FwoGZXIvYXdzEXAMPLEtokenEXAMPLEtoken";
const VISUALIZATION: &str = "dashboards/demo/demo-top-actions.visualization.json.hbs";

fn env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("SIEMCTL_USERNAME", "siemctl"),
        ("SIEMCTL_PASSWORD", PASSWORD),
        ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
        ("AWS_SESSION_TOKEN", SESSION_TOKEN),
    ]
}

fn assert_no_secret(run: &Run) {
    for secret in [PASSWORD, AWS_SECRET, SESSION_TOKEN] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a secret is in the output:\n{}",
            run.snapshot()
        );
    }
}

#[test]
fn a_content_file_linked_outside_the_content_directory_is_refused_and_nothing_leaks() {
    let ctx = TestContext::fixture("minimal");
    ctx.remove(VISUALIZATION);
    symlink("/proc/self/environ", ctx.path().join(VISUALIZATION)).unwrap();
    for args in [
        &["validate"][..],
        &["--output", "json", "validate"],
        &["render"],
        &["test"],
    ] {
        let run = run_with_env(ctx.path(), args, &env());
        assert_eq!(run.code, 1, "{args:?}: {}", run.snapshot());
        assert_no_secret(&run);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(
            all.contains("is a link to a file outside the content directory"),
            "{args:?}: {}",
            run.snapshot()
        );
    }
    let run = run_with_env(ctx.path(), &["validate"], &env());
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn a_link_inside_the_content_directory_is_followed() {
    let ctx = TestContext::fixture("minimal");
    // A dotfile is not content; the link to it is the visualization.
    let shared = ctx.path().join("dashboards/.shared.json");
    std::fs::rename(ctx.path().join(VISUALIZATION), &shared).unwrap();
    symlink(&shared, ctx.path().join(VISUALIZATION)).unwrap();
    let run = run_with_env(ctx.path(), &["validate"], &env());
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn a_configuration_linked_outside_the_content_directory_is_refused_and_nothing_leaks() {
    let ctx = TestContext::fixture("minimal");
    ctx.remove("siemctl.toml");
    symlink("/proc/self/environ", ctx.path().join("siemctl.toml")).unwrap();
    let run = run_with_env(ctx.path(), &["validate"], &env());
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert_no_secret(&run);
    assert!(
        run.stderr
            .contains("is a link to a file outside the content directory"),
        "{}",
        run.snapshot()
    );
}

#[test]
fn a_special_file_is_refused_without_reading_it() {
    let ctx = TestContext::fixture("minimal");
    ctx.remove(VISUALIZATION);
    let status = std::process::Command::new("mkfifo")
        .arg(ctx.path().join(VISUALIZATION))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    // A FIFO would block a reader forever: the refusal must come without opening it.
    let run = run_with_env(ctx.path(), &["validate"], &env());
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("is not a regular file"),
        "{}",
        run.snapshot()
    );
}

#[test]
fn a_secret_in_the_content_is_masked_in_every_message() {
    let ctx = TestContext::fixture("minimal");
    // A broken line that holds the password: validate shows the rendered line it fails on.
    ctx.edit(
        VISUALIZATION,
        "\"title\": \"",
        &format!("\"title\": {PASSWORD} \""),
    );
    let run = run_with_env(ctx.path(), &["validate"], &env());
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert_no_secret(&run);
    assert!(run.stderr.contains("***"), "{}", run.snapshot());
    let run = run_with_env(ctx.path(), &["--output", "json", "validate"], &env());
    assert_no_secret(&run);
}
