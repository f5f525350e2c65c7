//! The command line itself: help, exit codes, configuration errors.

use crate::common::{run_in, TestContext};

#[test]
fn help_documents_the_exit_codes() {
    let run = run_in(std::env::temp_dir().as_path(), &["--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Exit codes:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("2  `plan --detailed-exitcode` only"),
        "{}",
        run.stdout
    );
}

#[test]
fn usage_errors_exit_1_not_2() {
    let run = run_in(
        std::env::temp_dir().as_path(),
        &["validate", "--no-such-flag"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("--no-such-flag"), "{}", run.stderr);
    let run = run_in(std::env::temp_dir().as_path(), &["frobnicate"]);
    assert_eq!(run.code, 1);
}

#[test]
fn missing_configuration_says_where_to_look() {
    let empty = tempfile::tempdir().unwrap();
    let run = run_in(empty.path(), &["validate"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run
        .snapshot()
        .replace(&empty.path().display().to_string(), "[TEMP_DIR]"));
}

#[test]
fn unknown_target_lists_the_known_ones() {
    let ctx = TestContext::fixture("minimal");
    let run = ctx.siemctl(&["render", "--target", "staging"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn var_flags_are_typed_by_the_declaration() {
    let ctx = TestContext::fixture("minimal");
    let run = ctx.siemctl(&["render", "--var", "shards=two"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.snapshot());
    let run = ctx.siemctl(&["render", "--var", "shard=2"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("did you mean `shards`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_are_json_with_output_json() {
    let ctx = TestContext::fixture("minimal");
    let run = ctx.siemctl(&["validate", "--output", "json", "--target", "nope"]);
    assert_eq!(run.code, 1);
    let doc = run.json();
    assert_eq!(doc["format_version"], 1);
    assert!(doc["data"].is_null());
    assert!(doc["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no target `nope`"));
}

#[test]
fn content_dir_flag_points_at_the_content() {
    let ctx = TestContext::fixture("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    let run = run_in(
        elsewhere.path(),
        &["-C", ctx.path().to_str().unwrap(), "validate"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A relative `ca_cert` in a target is relative to siemctl.toml, as every other path in it, not
/// to the directory siemctl runs in (issue 13, finding 6): `-C` from elsewhere used to fail.
#[test]
fn a_relative_ca_cert_is_read_beside_siemctl_toml() {
    let ctx = TestContext::fixture("minimal");
    let config = ctx.read("siemctl.toml");
    ctx.write(
        "siemctl.toml",
        &format!(
            "{config}\n[targets.tls]\nopensearch_url = \"https://127.0.0.1:9\"\nca_cert = \"certs/ca.pem\"\n"
        ),
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let run = run_in(
        elsewhere.path(),
        &[
            "-C",
            ctx.path().to_str().unwrap(),
            "plan",
            "--target",
            "tls",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = ctx.path().join("certs").join("ca.pem");
    assert!(
        run.stderr
            .contains(&format!("cannot read the CA file `{}`", expected.display())),
        "{}",
        run.stderr
    );
}

/// A `ca_cert` file without a certificate in it is refused before any request, instead of being
/// accepted silently and trusting only the system roots (issue 13, finding 9).
#[test]
fn a_ca_cert_file_without_a_certificate_is_refused() {
    let ctx = TestContext::fixture("minimal");
    let config = ctx.read("siemctl.toml");
    ctx.write(
        "siemctl.toml",
        &format!(
            "{config}\n[targets.tls]\nopensearch_url = \"https://127.0.0.1:9\"\nca_cert = \"ca.pem\"\n"
        ),
    );
    ctx.write("ca.pem", "this file holds no certificate\n");
    let run = ctx.siemctl(&["plan", "--target", "tls"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("holds no PEM certificate"),
        "{}",
        run.stderr
    );
}
