//! `--output github`: GitHub Actions workflow commands, so problems show on the changed lines of
//! a pull request.

use crate::common::TestContext;

#[test]
fn validate_problems_are_annotations_at_their_file_and_line() {
    let ctx = TestContext::fixture("minimal");
    let file = "saved-searches/demo/failures.yaml";
    ctx.edit(file, "columns: [user.name,", "columns: [user.nmae,");
    let run = ctx.siemctl(&["validate", "--output", "github"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with(&format!("::error file={file},line=")))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        line.contains(",title=siemctl::") && line.contains("user.nmae"),
        "{line}"
    );
    assert!(!line.contains('\n'));
    assert!(
        run.stderr.contains("error"),
        "the text is still there: {}",
        run.stderr
    );
}

#[test]
fn fmt_check_annotates_the_first_line_out_of_the_layout() {
    let ctx = TestContext::fixture("minimal");
    assert_eq!(ctx.siemctl(&["fmt"]).code, 0);
    let file = "dashboards/demo/demo.dashboard.json.hbs";
    ctx.edit(file, "\"hits\": 0,", "\"hits\":0,");
    let line = ctx
        .read(file)
        .lines()
        .position(|l| l.contains("\"hits\":0,"))
        .unwrap()
        + 1;
    let run = ctx.siemctl(&["fmt", "--check", "--output", "github"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout.contains(&format!(
            "::error file={file},line={line},title=siemctl fmt::not in the layout from this line: run `siemctl fmt`\n"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn test_failures_are_annotations_at_the_line_of_their_event() {
    let ctx = TestContext::fixture("minimal");
    let events = "index-templates/demo/_test/demo.ndjson";
    ctx.write(
        events,
        concat!(
            r#"{"action":"login","time":"2026-11-26T09:00:00Z","region":"us-east-1","outcome":"failure"}"#,
            "\n\n",
            r#"{"action":"logout","time":"2026-11-26T09:05:00.123Z"}"#,
            "\n"
        ),
    );
    assert_eq!(ctx.siemctl(&["test", "--generate"]).code, 0);
    ctx.edit(
        "index-templates/demo/_test/demo.ndjson-expected.json",
        "\"logout\"",
        "\"log-out\"",
    );
    let run = ctx.siemctl(&["test", "--output", "github"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let annotations: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 1, "{}", run.stdout);
    assert!(
        annotations[0].starts_with(&format!(
            "::error file={events},line=3,title=siemctl test::"
        )),
        "{}",
        annotations[0]
    );
}
