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
