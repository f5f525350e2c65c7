//! The CI examples (examples/github-actions/siem-content.yml, examples/gitlab/) cannot rot:
//! every `siemctl` command line in their `run:` and `script:` blocks must parse with the
//! current CLI (clap's `try_parse_from`, through `siemctl::check_command_line`), and the flow
//! the README describes must be there.

use serde_json::Value;

use crate::common::repo_root;

/// A run script's siemctl command lines, as argument lists (program name first). GitHub
/// expressions (`${{ matrix.target }}`) and shell variables become a placeholder word; a
/// command ends at `||`, `&&`, `;`, `|` or a redirection.
fn siemctl_commands(script: &str) -> Vec<Vec<String>> {
    let mut text = script.replace("\\\n", " ");
    while let Some(start) = text.find("${{") {
        let end = text[start..]
            .find("}}")
            .map_or(text.len(), |e| start + e + 2);
        text.replace_range(start..end, "EXPR");
    }
    let mut commands = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let mut words: Vec<String> = Vec::new();
        let mut simple: Vec<Vec<String>> = Vec::new();
        let (mut word, mut in_word, mut quote) = (String::new(), false, None::<char>);
        let mut chars = line.chars().peekable();
        let end_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
            if *in_word {
                words.push(std::mem::take(word));
                *in_word = false;
            }
        };
        while let Some(c) = chars.next() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some('"'), '$') | (None, '$') => {
                    // $VAR, ${VAR}, $? : one placeholder word part.
                    if chars.peek() == Some(&'{') {
                        for c in chars.by_ref() {
                            if c == '}' {
                                break;
                            }
                        }
                    } else {
                        while chars
                            .peek()
                            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '?')
                        {
                            chars.next();
                        }
                    }
                    word.push_str("VALUE");
                    in_word = true;
                }
                (Some(_), c) => {
                    word.push(c);
                    in_word = true;
                }
                (None, '"' | '\'') => {
                    quote = Some(c);
                    in_word = true;
                }
                (None, ' ' | '\t') => end_word(&mut word, &mut in_word, &mut words),
                (None, '|' | '&' | ';' | '>' | '<') => {
                    // `2>&1`: the digits before a redirection are its file descriptor.
                    if matches!(c, '>' | '<') && in_word && word.bytes().all(|b| b.is_ascii_digit())
                    {
                        word.clear();
                        in_word = false;
                    }
                    end_word(&mut word, &mut in_word, &mut words);
                    // A redirection's target is not an argument: skip it.
                    if matches!(c, '>' | '<') {
                        while chars.peek().is_some_and(|c| matches!(c, '>' | '&' | ' ')) {
                            chars.next();
                        }
                        let mut skipped = false;
                        while let Some(&n) = chars.peek() {
                            if n == ' ' && skipped {
                                break;
                            }
                            skipped = true;
                            chars.next();
                        }
                        // Keep parsing the same command after the redirection.
                        continue;
                    }
                    simple.push(std::mem::take(&mut words));
                }
                (None, c) => {
                    word.push(c);
                    in_word = true;
                }
            }
        }
        end_word(&mut word, &mut in_word, &mut words);
        simple.push(words);
        for mut command in simple {
            // Leading keywords and variable assignments are not the command.
            while command.first().is_some_and(|w| {
                matches!(
                    w.as_str(),
                    "if" | "then" | "else" | "elif" | "!" | "time" | "do"
                ) || (w.contains('=') && !w.starts_with('-'))
            }) {
                command.remove(0);
            }
            if command
                .first()
                .is_some_and(|w| w == "siemctl" || w.ends_with("/siemctl"))
            {
                commands.push(command);
            }
        }
    }
    commands
}

/// Every script of a workflow: GitHub's `jobs.*.steps[].run`, GitLab's `script` and
/// `before_script` of every job.
fn scripts(document: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(top) = document.as_object() else {
        return out;
    };
    let jobs = top.get("jobs").and_then(Value::as_object).unwrap_or(top);
    for job in jobs.values() {
        for step in job["steps"].as_array().into_iter().flatten() {
            if let Some(run) = step["run"].as_str() {
                out.push(run.to_string());
            }
        }
        for key in ["before_script", "script", "after_script"] {
            match &job[key] {
                Value::String(s) => out.push(s.clone()),
                Value::Array(lines) => {
                    out.extend(lines.iter().filter_map(Value::as_str).map(str::to_string));
                }
                _ => {}
            }
        }
    }
    out
}

fn load(rel: &str) -> Value {
    let path = repo_root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not YAML: {e}"))
}

/// The command lines of a file, each checked against the CLI; the failures, all of them.
fn check(rel: &str) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    let mut failures = Vec::new();
    for script in scripts(&load(rel)) {
        for command in siemctl_commands(&script) {
            let line = command.join(" ");
            if let Err(message) = siemctl::check_command_line(&command) {
                failures.push(format!("{rel}: `{line}`:\n{message}"));
            }
            lines.push(line);
        }
    }
    (lines, failures)
}

#[test]
fn every_siemctl_command_of_the_github_actions_example_parses() {
    let (lines, failures) = check("examples/github-actions/siem-content.yml");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for expected in [
        "siemctl fmt --check --output github",
        "siemctl validate --output github",
        "siemctl test --output github",
        "siemctl plan --target EXPR --prune --detailed-exitcode --out plan-EXPR.json",
        "siemctl show plan-EXPR.json --format markdown",
        "siemctl apply plan-EXPR.json --target EXPR --yes",
        "siemctl --version",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "`{expected}` not in {lines:#?}"
        );
    }
    let workflow = load("examples/github-actions/siem-content.yml");
    for job in ["plan", "apply"] {
        let job = &workflow["jobs"][job];
        assert!(
            job["concurrency"]["group"]
                .as_str()
                .is_some_and(|g| g.contains("${{ matrix.target }}")),
            "a concurrency group per target: {job}"
        );
        assert_eq!(job["permissions"]["id-token"], "write", "OIDC: {job}");
        assert!(
            job["steps"].as_array().unwrap().iter().any(|s| s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("aws-actions/configure-aws-credentials@"))
                && s["with"]["role-to-assume"] == "${{ matrix.role }}"),
            "one role per account through OIDC: {job}"
        );
        let roles: Vec<&str> = job["strategy"]["matrix"]["include"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["role"].as_str().unwrap())
            .collect();
        assert!(roles.len() >= 2, "{roles:?}");
    }
    assert!(
        workflow["jobs"]["plan"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))),
        "the plan is uploaded"
    );
    let text =
        std::fs::read_to_string(repo_root().join("examples/github-actions/siem-content.yml"))
            .unwrap();
    assert!(text.contains(">> \"$GITHUB_STEP_SUMMARY\""));
    assert!(text.contains("cargo install --locked --git"));
    assert!(text.contains("forks get no OIDC token"));
}

#[test]
fn every_siemctl_command_of_the_gitlab_example_parses() {
    let (lines, failures) = check("examples/gitlab/siem-content.gitlab-ci.yml");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for expected in [
        "siemctl plan --target VALUE --prune --detailed-exitcode --out plan-VALUE.json",
        "siemctl show plan-VALUE.json --format markdown",
        "siemctl apply plan-VALUE.json --target VALUE --yes",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "`{expected}` not in {lines:#?}"
        );
    }
}

#[test]
fn the_check_finds_commands_and_refuses_what_the_cli_does_not_take() {
    let commands = siemctl_commands(
        "set -e\nif siemctl plan --target \"${{ matrix.target }}\" \\\n  --out p.json 2>&1 | tee log; then\n  X=1 siemctl show p.json --format markdown >> \"$GITHUB_STEP_SUMMARY\"\nfi\ncargo install siemctl",
    );
    assert_eq!(
        commands,
        vec![
            vec!["siemctl", "plan", "--target", "EXPR", "--out", "p.json"],
            vec!["siemctl", "show", "p.json", "--format", "markdown"],
        ]
    );
    for bad in [
        &["siemctl", "plan", "--outt", "x"][..],
        &["siemctl", "show"],
        &["siemctl", "show", "p.json", "--format", "html"],
        &["siemctl", "apply", "a.json", "b.json"],
    ] {
        assert!(siemctl::check_command_line(bad).is_err(), "{bad:?} parsed");
    }
    assert!(siemctl::check_command_line(["siemctl", "apply", "p.json", "--yes"]).is_ok());
}

/// The archive names a release has, from dist-workspace.toml as cargo-dist names them:
/// `siemctl-TARGET` plus `unix-archive`, each with `.sha256` beside it (`checksum = "sha256"`).
fn released_archives() -> Vec<String> {
    let path = repo_root().join("dist-workspace.toml");
    let text = std::fs::read_to_string(&path).expect("dist-workspace.toml");
    let config: toml::Value = toml::from_str(&text).expect("dist-workspace.toml is TOML");
    let dist = &config["dist"];
    assert_eq!(dist["checksum"].as_str(), Some("sha256"), "{text}");
    assert_eq!(dist["ci"].as_str(), Some("github"), "{text}");
    let archive = dist["unix-archive"].as_str().unwrap_or(".tar.xz");
    dist["targets"]
        .as_array()
        .expect("dist targets")
        .iter()
        .filter_map(toml::Value::as_str)
        .map(|target| format!("siemctl-{target}{archive}"))
        .collect()
}

#[test]
fn the_ci_examples_download_an_archive_the_release_makes_and_check_its_checksum() {
    let archives = released_archives();
    assert!(
        archives.contains(&"siemctl-x86_64-unknown-linux-musl.tar.xz".to_string())
            && archives.iter().any(|a| a.contains("apple-darwin")),
        "{archives:?}"
    );
    for rel in [
        "examples/github-actions/siem-content.yml",
        "examples/gitlab/siem-content.gitlab-ci.yml",
    ] {
        let scripts = scripts(&load(rel));
        let installs: Vec<&String> = scripts.iter().filter(|s| s.contains("asset=")).collect();
        assert!(!installs.is_empty(), "{rel}: no install step with asset=");
        for script in installs {
            let asset = script
                .lines()
                .find_map(|l| l.trim().strip_prefix("asset="))
                .map(|a| a.trim_matches('"'))
                .unwrap();
            assert!(
                archives.iter().any(|a| a == asset),
                "{rel}: downloads `{asset}`, which a release does not have ({archives:?})"
            );
            assert!(
                script.contains("$asset.sha256") && script.contains("sha256sum -c"),
                "{rel}: the checksum is not checked:\n{script}"
            );
            assert!(
                script.contains("cargo install --locked"),
                "{rel}: no fallback:\n{script}"
            );
        }
    }
}

#[test]
fn the_release_workflow_runs_dist_on_a_version_tag_with_the_configured_version() {
    let workflow = load(".github/workflows/release.yml");
    let text = std::fs::read_to_string(repo_root().join("dist-workspace.toml")).unwrap();
    let config: toml::Value = toml::from_str(&text).unwrap();
    let version = config["dist"]["cargo-dist-version"].as_str().unwrap();
    assert_eq!(workflow["env"]["DIST_VERSION"].as_str(), Some(version));
    let tags = &workflow["on"]["push"]["tags"];
    assert!(
        tags.as_array().is_some_and(|t| t
            .iter()
            .any(|t| t.as_str().is_some_and(|t| t.starts_with('v')))),
        "{tags:?}"
    );
    let runs = scripts(&workflow).join("\n");
    for step in [
        "host --steps=create",
        "dist build",
        "--artifacts=global",
        "--steps=upload --steps=release",
    ] {
        assert!(runs.contains(step), "release.yml does not run `{step}`");
    }
}
