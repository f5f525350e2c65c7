//! `siemctl fmt [--check]`: one layout for every content file.

use crate::common::{tree, TestContext};

const VIS: &str = "dashboards/demo/demo-top-actions.visualization.json.hbs";

#[test]
fn check_lists_the_files_out_of_the_layout_and_fmt_lays_them_out() {
    let ctx = TestContext::fixture("minimal");
    let run = ctx.siemctl(&["fmt", "--check"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(run.stdout.lines().any(|l| l == VIS), "{}", run.stdout);
    assert!(run.stderr.contains("run `siemctl fmt`"), "{}", run.stderr);
    let untouched = tree(ctx.path());
    assert_eq!(untouched, tree(ctx.path()), "--check writes nothing");

    let out_before = tempfile::tempdir().unwrap();
    let render = |dir: &std::path::Path| {
        let run = ctx.siemctl(&["render", "--out", dir.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.snapshot());
        tree(dir)
    };
    let before = render(out_before.path());
    let run = ctx.siemctl(&["fmt"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let text = ctx.read(VIS);
    assert!(
        text.starts_with("{\n  \"attributes\": {\n    \"title\": \"{{label}}: top actions\",\n"),
        "{text}"
    );
    assert!(
        text.contains("\"params\": {\n        \"perPage\": 10\n      },\n"),
        "{text}"
    );
    let out_after = tempfile::tempdir().unwrap();
    assert_eq!(
        render(out_after.path()),
        before,
        "what the content renders to is unchanged"
    );
    assert_eq!(ctx.siemctl(&["fmt", "--check"]).code, 0);
    let laid_out = tree(ctx.path());
    assert_eq!(ctx.siemctl(&["fmt"]).code, 0);
    assert_eq!(tree(ctx.path()), laid_out, "the layout is a fixed point");
    assert_eq!(ctx.siemctl(&["validate"]).code, 0);
}

#[test]
fn expressions_and_escapes_are_kept_byte_for_byte() {
    let ctx = TestContext::fixture("minimal");
    ctx.write(
        "index-templates/demo/log-demo.pipeline.json.hbs",
        "{\"description\": \"x\",\"processors\": [{\"set\": {\"field\": \"a\", \"value\": \"\\{{ctx.b}} {{index_prefix}}\"}},\n {\"set\": {\"field\": \"n\", \"value\": {{#if n}}{{json n}}{{else}}[1, 2.50]{{/if}}}}]}",
    );
    let run = ctx.siemctl(&["fmt"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(
        ctx.read("index-templates/demo/log-demo.pipeline.json.hbs"),
        "{\n  \"description\": \"x\",\n  \"processors\": [\n    {\n      \"set\": {\n        \"field\": \"a\",\n        \"value\": \"\\{{ctx.b}} {{index_prefix}}\"\n      }\n    },\n    {\n      \"set\": {\n        \"field\": \"n\",\n        \"value\": {{#if n}}{{json n}}{{else}}[1, 2.50]{{/if}}\n      }\n    }\n  ]\n}\n"
    );
}

#[test]
fn a_template_with_expressions_around_members_is_left_with_the_reason() {
    let ctx = TestContext::fixture("minimal");
    assert_eq!(ctx.siemctl(&["fmt"]).code, 0);
    let file = "dashboards/demo/odd.visualization.json.hbs";
    let text = "{\"attributes\": {\"title\": \"T\"{{#if label}},\n \"description\": \"{{label}}\"{{/if}}}, \"references\": []}";
    ctx.write(file, text);
    let run = ctx.siemctl(&["fmt", "--check"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains(&format!("`{file}` left as it is: line 1:"))
            && run.stderr.contains("only whole values can be expressions"),
        "{}",
        run.stderr
    );
    assert_eq!(ctx.siemctl(&["fmt"]).code, 0);
    assert_eq!(ctx.read(file), text, "never rewritten");
}

#[test]
fn yaml_searches_keep_comments_and_order() {
    let ctx = TestContext::fixture("minimal");
    assert_eq!(ctx.siemctl(&["fmt"]).code, 0);
    let file = "saved-searches/demo/failures.yaml";
    let text = ctx.read(file);
    let untidy = format!(
        "# Owner: SOC team   \r\n{}\n\n",
        text.replace("[triage]", "[triage]  ")
    );
    ctx.write(file, &untidy);
    let run = ctx.siemctl(&["fmt", "--check", "--output", "json"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert_eq!(run.json()["data"]["changed"], serde_json::json!([file]));
    assert_eq!(ctx.siemctl(&["fmt"]).code, 0);
    assert_eq!(ctx.read(file), format!("# Owner: SOC team\n{text}"));
}

#[test]
fn the_bundled_content_is_in_the_layout() {
    let ctx = TestContext::bundled();
    let run = ctx.siemctl(&["fmt", "--check"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn an_analysts_search_gets_the_list_layout_and_keeps_its_comments_order_and_quotes() {
    let ctx = TestContext::fixture("minimal");
    let file = "saved-searches/demo/failures.yaml";
    // Block lists where the layout has flow lines, a flow sort, odd indentation; comments.
    let text = "# Owner: SOC team\nid: demo-failures\ntitle: 'Demo: failures'\nquery: event.outcome:failure and not user.name:root   # no root\ndescription: Failed actions, newest first.\ncolumns:\n- user.name\n-   \"source.ip\"\n- event.action\nsort: [{\"@timestamp\": desc}]\nfilters:\n    # our region only\n    -   field: demo.region\n        value:\n        - us-east-1\n        - eu-west-1\ntags:\n  - triage\n  # why this tag\n  - failures\n";
    ctx.write(file, text);
    assert_eq!(ctx.siemctl(&["validate"]).code, 0);
    let run = ctx.siemctl(&["fmt", "--check"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(run.stdout.lines().any(|l| l == file), "{}", run.stdout);
    assert_eq!(ctx.read(file), text, "--check writes nothing");
    let run = ctx.siemctl(&["fmt"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(
        ctx.read(file),
        "# Owner: SOC team\nid: demo-failures\ntitle: 'Demo: failures'\nquery: event.outcome:failure and not user.name:root   # no root\ndescription: Failed actions, newest first.\ncolumns: [user.name, \"source.ip\", event.action]\nsort:\n  - \"@timestamp\": desc\nfilters:\n  # our region only\n  - field: demo.region\n    value: [us-east-1, eu-west-1]\ntags:\n  - triage\n  # why this tag\n  - failures\n",
        "key order, comments and quotes kept; a list with a comment stays a block list"
    );
    let run = ctx.siemctl(&["fmt", "--check"]);
    assert!(
        !run.stdout.contains(file),
        "a fixed point: {}",
        run.snapshot()
    );
    assert_eq!(ctx.siemctl(&["validate"]).code, 0);
}

#[test]
fn a_new_search_is_in_the_layout() {
    let ctx = TestContext::bundled();
    let run = ctx.siemctl(&[
        "new",
        "search",
        "--log-type",
        "aws-cloudtrail",
        "--title",
        "CloudTrail: root sign-ins, from anywhere",
    ]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = ctx.siemctl(&["fmt", "--check"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}
