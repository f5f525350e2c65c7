//! The README's analyst workflows work as written: each `sh` block marked
//! `<!-- tested: tests/it/readme.rs ... -->` is read from README.md and run line by line with
//! `sh`, siemctl (this build) on PATH, in a git repository holding a copy of the bundled content
//! with a bare repository as `origin`. The only thing the test supplies is the cluster: the
//! `prod` target the README names is added to siemctl.toml, pointed at the emulator.

use std::path::Path;
use std::process::Command;

use serde_json::json;

use crate::common::cluster::ClusterContext;
use crate::common::{repo_root, TestContext};

const MARKER: &str = "<!-- tested: tests/it/readme.rs";

/// The README's tested `sh` blocks, in order: the lines of each (comments kept: `sh` reads
/// them as comments).
fn tested_blocks() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let mut blocks = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with(MARKER) {
            continue;
        }
        assert_eq!(
            lines.next(),
            Some("```sh"),
            "README.md: a `{MARKER}` line must be followed by a ```sh block"
        );
        let block: Vec<String> = lines
            .by_ref()
            .take_while(|l| *l != "```")
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        blocks.push(block);
    }
    blocks
}

/// Runs `line` with `sh -c` in `dir`, with this build's siemctl first on PATH, without the
/// SIEMCTL_*, AWS_* and CI variables of the test run, git's identity set and no user or system
/// git config. Panics with the output unless it exits 0.
fn sh(dir: &Path, line: &str) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_siemctl")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Analyst")
        .env("GIT_AUTHOR_EMAIL", "analyst@example.com")
        .env("GIT_COMMITTER_NAME", "Analyst")
        .env("GIT_COMMITTER_EMAIL", "analyst@example.com")
        .env("GIT_PAGER", "cat")
        .env_remove("CI")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR");
    for (key, _) in std::env::vars() {
        if key.starts_with("SIEMCTL_") || key.starts_with("AWS_") || key == "RUST_LOG" {
            command.env_remove(key);
        }
    }
    let output = command.output().expect("run sh");
    let text = format!(
        "--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "README.md's `{line}` exited {:?}:\n{text}",
        output.status.code()
    );
    text
}

/// The content directory made a git repository on `main` with everything committed, and a
/// bare repository beside it as `origin`; the path of the bare repository.
fn git_repository(content: &TestContext, remote: &tempfile::TempDir) -> std::path::PathBuf {
    let bare = remote.path().join("content.git");
    sh(
        remote.path(),
        &format!("git init -q --bare -b main {}", bare.display()),
    );
    sh(
        content.path(),
        "git init -q -b main && git add -A && git commit -q -m content",
    );
    sh(
        content.path(),
        &format!(
            "git remote add origin {} && git push -q origin main",
            bare.display()
        ),
    );
    bare
}

/// The files the branch `branch` of the bare repository `bare` changes against `main`.
fn pushed_files(bare: &Path, branch: &str) -> String {
    sh(bare, &format!("git diff --name-only main {branch}"))
}

#[test]
fn the_readme_has_the_two_analyst_workflows_marked_as_tested() {
    let blocks = tested_blocks();
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    let git_first = blocks[0].join("\n");
    for step in [
        "siemctl new search",
        "siemctl validate",
        "siemctl test",
        "git push",
    ] {
        assert!(git_first.contains(step), "{step}: {git_first}");
    }
    let ui_first = blocks[1].join("\n");
    for step in [
        "siemctl pull --new",
        "siemctl validate",
        "siemctl test",
        "git push",
    ] {
        assert!(ui_first.contains(step), "{step}: {ui_first}");
    }
    // The pointer to pull-request annotations is true: the example runs what the README shows.
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let example =
        std::fs::read_to_string(repo_root().join("examples/github-actions/siem-content.yml"))
            .unwrap();
    for step in [
        "siemctl fmt --check --output github",
        "siemctl validate --output github",
        "siemctl test --output github",
    ] {
        assert!(readme.contains(&format!("- run: {step}")), "README: {step}");
        assert!(
            example.contains(&format!("- run: {step}")),
            "example: {step}"
        );
    }
}

#[test]
fn the_git_first_workflow_runs_as_written_and_pushes_the_new_search() {
    let block = &tested_blocks()[0];
    let content = TestContext::bundled();
    let remote = tempfile::tempdir().unwrap();
    let bare = git_repository(&content, &remote);
    for line in block {
        sh(content.path(), line);
    }
    let files = pushed_files(&bare, "cloudtrail-root-sign-ins");
    assert!(
        files.contains("saved-searches/aws-cloudtrail/root-sign-ins.yaml")
            && files.contains("saved-searches/aws-cloudtrail/_test/matches-expected.json"),
        "{files}"
    );
}

#[test]
fn the_ui_first_workflow_runs_as_written_and_pushes_what_was_made_in_dashboards() {
    let block = &tested_blocks()[1];
    let c = ClusterContext::bundled();
    c.content.write(
        "siemctl.toml",
        &format!(
            "{}\n[targets.prod]\nopensearch_url = \"{}\"\ndashboards_url = \"{}\"\nauth = \"none\"\n",
            c.content.read("siemctl.toml"),
            c.emulator.opensearch_url(),
            c.emulator.dashboards_url()
        ),
    );
    let run = c.siemctl(&["apply", "--target", "prod", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // What the analyst made in Dashboards: a search saved from Discover, a chart of it, and
    // something else that `--title '*root*'` leaves out.
    let source = json!({"query": {"query": "user.name:root", "language": "kuery"}, "highlightAll": true, "version": true, "filter": [],
        "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"});
    c.dashboards(
        "POST",
        "/api/saved_objects/search/ui-root-activity",
        Some(json!({"attributes": {"title": "Root activity", "description": "", "hits": 0,
            "columns": ["event.action", "source.ip"], "sort": [["@timestamp", "desc"]], "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": source.to_string()}},
            "references": [{"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": "log-aws-cloudtrail"}]})),
        "global",
    );
    let metric = |title: &str| {
        json!({"title": title, "type": "metric", "params": {},
            "aggs": [{"id": "1", "type": "count", "schema": "metric", "params": {}}]})
        .to_string()
    };
    c.dashboards(
        "POST",
        "/api/saved_objects/visualization/ui-root-count",
        Some(json!({"attributes": {"title": "Root actions", "visState": metric("Root actions"),
            "uiStateJSON": "{}", "description": "", "version": 1, "savedSearchRefName": "search_0",
            "kibanaSavedObjectMeta": {"searchSourceJSON": "{\"query\":{\"query\":\"\",\"language\":\"kuery\"},\"filter\":[]}"}},
            "references": [{"name": "search_0", "type": "search", "id": "ui-root-activity"}]})),
        "global",
    );
    let remote = tempfile::tempdir().unwrap();
    let bare = git_repository(&c.content, &remote);
    let mut listed = String::new();
    for line in block {
        let out = sh(c.content.path(), line);
        if line.contains("--list") {
            listed = out;
        }
    }
    assert!(
        listed.contains("ui-root-activity") && listed.contains("ui-root-count"),
        "{listed}"
    );
    let files = pushed_files(&bare, "root-activity");
    assert!(
        files.contains("saved-searches/aws-cloudtrail/root-activity.yaml"),
        "{files}"
    );
}
