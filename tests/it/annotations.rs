//! `--output github`: GitHub Actions workflow commands, so problems show on the changed lines of
//! a pull request.

use crate::common::{run_in, run_with_env, TestContext};

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
            "::error file={file},line={line},col=12,title=siemctl fmt::not in the layout from this line: run `siemctl fmt`\n"
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

#[test]
fn validate_annotations_carry_the_column() {
    let ctx = TestContext::fixture("minimal");
    let file = "saved-searches/demo/failures.yaml";
    ctx.edit(file, "not user.name:root", "not user.name:root)");
    let run = ctx.siemctl(&["validate", "--output", "github"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout.contains(&format!(
            "::error file={file},line=4,col=52,title=siemctl::the query is not valid DQL"
        )),
        "{}",
        run.stdout
    );
}

/// The content in `content/` of a repository (`.git` at the top): `file=` starts with `content/`.
fn content_below_a_repository() -> TestContext {
    let ctx = TestContext::fixture("minimal");
    let content = ctx.path().join("content");
    std::fs::create_dir(&content).unwrap();
    for entry in std::fs::read_dir(ctx.path()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "content" {
            std::fs::rename(entry.path(), content.join(entry.file_name())).unwrap();
        }
    }
    std::fs::create_dir(ctx.path().join(".git")).unwrap();
    ctx
}

#[test]
fn file_is_relative_to_the_git_root_with_dash_c() {
    let ctx = content_below_a_repository();
    let file = "saved-searches/demo/failures.yaml";
    ctx.edit(
        &format!("content/{file}"),
        "not user.name:root",
        "not user.name:root)",
    );
    let run = ctx.siemctl(&["-C", "content", "validate", "--output", "github"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout
            .contains(&format!("::error file=content/{file},line=4,col=52,")),
        "{}",
        run.stdout
    );
    // From inside the content directory too.
    let run = run_in(
        &ctx.path().join("content"),
        &["validate", "--output", "github"],
    );
    assert!(
        run.stdout
            .contains(&format!("::error file=content/{file},line=4,col=52,")),
        "{}",
        run.stdout
    );
}

#[test]
fn file_is_relative_to_github_workspace_when_set() {
    let ctx = TestContext::fixture("minimal");
    let file = "dashboards/demo/demo.dashboard.json.hbs";
    assert_eq!(ctx.siemctl(&["fmt"]).code, 0);
    ctx.edit(file, "\"hits\": 0,", "\"hits\":0,");
    let parent = ctx.path().parent().unwrap();
    let name = ctx.path().file_name().unwrap().to_str().unwrap();
    let workspace = parent.display().to_string();
    let run = run_with_env(
        parent,
        &["-C", name, "fmt", "--check", "--output", "github"],
        &[("GITHUB_WORKSPACE", &workspace)],
    );
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let line = ctx
        .read(file)
        .lines()
        .position(|l| l.contains("\"hits\":0,"))
        .unwrap()
        + 1;
    let column = ctx
        .read(file)
        .lines()
        .nth(line - 1)
        .unwrap()
        .find(':')
        .unwrap()
        + 2;
    assert!(
        run.stdout.contains(&format!(
            "::error file={name}/{file},line={line},col={column},title=siemctl fmt::"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn a_changed_golden_match_is_annotated_at_its_entry() {
    let ctx = TestContext::fixture("minimal");
    ctx.write(
        "index-templates/demo/_test/demo.ndjson",
        concat!(
            r#"{"action":"login","time":"2026-11-26T09:00:00Z","region":"us-east-1","outcome":"failure","user":"alice"}"#,
            "\n",
            r#"{"action":"logout","time":"2026-11-26T09:05:00Z","outcome":"success","user":"bob"}"#,
            "\n"
        ),
    );
    let generated = ctx.siemctl(&["test", "--generate"]);
    assert_eq!(generated.code, 0, "{}", generated.snapshot());
    let golden = "saved-searches/demo/_test/matches-expected.json";
    let text = ctx.read(golden);
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("\"search/demo-failures\":"))
        .unwrap_or_else(|| panic!("{text}"))
        + 1;
    ctx.write(golden, &text.replace("demo.ndjson:1", "demo.ndjson:2"));
    let run = ctx.siemctl(&["test", "--output", "github"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout.contains(&format!(
            "::error file={golden},line={line},title=siemctl test::search/demo-failures: what it finds differs from the golden file%0A"
        )),
        "{}",
        run.stdout
    );
}
