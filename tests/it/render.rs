//! `siemctl render`: what it writes, and that it writes the same every time.

use std::fs;

use serde_json::Value;

use crate::common::{repo_root, run_in, tree, TestContext};

#[test]
fn writes_one_file_per_object_in_wire_form() {
    let ctx = TestContext::fixture("minimal");
    let run = ctx.siemctl(&["render", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
    let files: Vec<String> = tree(&ctx.path().join("out"))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    insta::assert_snapshot!("rendered_files", files.join("\n"));
    let pipeline: Value =
        serde_json::from_str(&ctx.read("out/ingest_pipeline/log-demo.json")).unwrap();
    assert_eq!(
        pipeline["version"], 2_003_004,
        "content 2.3.4 is stamped as an integer"
    );
    assert_eq!(
        pipeline["on_failure"][0]["set"]["value"],
        "{{ _ingest.on_failure_message }}"
    );
    let vis: Value =
        serde_json::from_str(&ctx.read("out/visualization/demo-top-actions.json")).unwrap();
    assert_eq!(vis["type"], "visualization");
    assert!(
        vis["attributes"]["visState"].is_string(),
        "visState is encoded for the API"
    );
    let search = ctx.read("out/search/demo-failures.json");
    insta::assert_snapshot!("rendered_search", search);
}

#[test]
fn output_is_sorted_and_byte_identical_between_runs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        let run = run_in(
            &repo_root(),
            &["render", "--out", dir.path().to_str().unwrap()],
        );
        assert_eq!(run.code, 0, "{}", run.snapshot());
    }
    let (ta, tb) = (tree(a.path()), tree(b.path()));
    assert!(
        ta.len() > 50,
        "the bundled content renders many objects: {}",
        ta.len()
    );
    assert_eq!(ta, tb);
    let (_, bytes) = &ta[0];
    let text = String::from_utf8(bytes.clone()).unwrap();
    let reparsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        serde_json::to_string_pretty(&reparsed).unwrap() + "\n",
        text,
        "pretty, key-sorted"
    );
}

#[test]
fn stale_files_are_removed_and_others_kept() {
    let ctx = TestContext::fixture("minimal");
    ctx.write("out/search/gone.json", "{}");
    ctx.write("out/notes.txt", "mine");
    let run = ctx.siemctl(&["render", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(!ctx.path().join("out/search/gone.json").exists());
    assert_eq!(ctx.read("out/notes.txt"), "mine");
}

#[test]
fn without_out_nothing_is_written() {
    let ctx = TestContext::fixture("minimal");
    let before = tree(ctx.path());
    let run = ctx.siemctl(&["render", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(tree(ctx.path()), before);
    let doc = run.json();
    assert_eq!(doc["data"]["total"], 10);
    assert_eq!(doc["data"]["log_types"]["demo"]["total"], 7);
    assert_eq!(doc["data"]["content_version"], "2.3.4");
}

#[test]
fn hostile_variable_values_stay_exact_and_valid() {
    let ctx = TestContext::fixture("minimal");
    let hostile = "a \"quoted\" back\\slash\nnew line </script> & <b>";
    let run = ctx.siemctl(&[
        "render",
        "--out",
        "out",
        "--var",
        &format!("label={hostile}"),
    ]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let template: Value =
        serde_json::from_str(&ctx.read("out/index_template/log-demo.json")).unwrap();
    assert_eq!(
        template["_meta"]["description"],
        format!("{hostile} events")
    );
    let vis: Value =
        serde_json::from_str(&ctx.read("out/visualization/demo-top-actions.json")).unwrap();
    assert_eq!(
        vis["attributes"]["title"],
        format!("{hostile}: top actions")
    );
    let vis_state: Value =
        serde_json::from_str(vis["attributes"]["visState"].as_str().unwrap()).unwrap();
    assert_eq!(vis_state["title"], format!("{hostile}: top actions"));
}

#[test]
fn target_and_flag_precedence() {
    let ctx = TestContext::fixture("minimal");
    let shards = |args: &[&str]| {
        let mut all = vec!["render", "--out", "out"];
        all.extend_from_slice(args);
        let run = ctx.siemctl(&all);
        assert_eq!(run.code, 0, "{}", run.snapshot());
        let component: Value =
            serde_json::from_str(&ctx.read("out/component_template/base.json")).unwrap();
        component["template"]["settings"]["index"]["number_of_shards"].clone()
    };
    assert_eq!(shards(&[]), 1);
    assert_eq!(shards(&["--target", "prod"]), 3);
    assert_eq!(shards(&["--target", "prod", "--var", "shards=5"]), 5);
}

#[test]
fn render_reports_problems_and_writes_nothing() {
    let ctx = TestContext::fixture("minimal");
    ctx.edit(
        "index-templates/demo/log-demo.index-template.json.hbs",
        "{{label}}",
        "{{nope}}",
    );
    let run = ctx.siemctl(&["render", "--out", "out"]);
    assert_eq!(run.code, 1);
    assert!(!ctx.path().join("out").exists());
    assert!(fs::read_dir(ctx.path()).unwrap().count() > 0);
    insta::assert_snapshot!(run.snapshot());
}
