//! The JSON documents of `--output json` validate against their published schemas
//! (docs/schemas/*.schema.json, described in docs/json-output.md), and errors carry a stable
//! `code`: real runs through the binary, over HTTP against the cluster emulator for plan and
//! apply.

use cluster_emulator::{Emulator, Options};
use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;
use crate::common::{repo_root, Run, TestContext};

const TEMPLATE: &str = "index-templates/demo/log-demo.index-template.json.hbs";

fn schema_file(name: &str) -> Value {
    let path = repo_root().join(format!("docs/schemas/{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// The schema errors of `document` against `docs/schemas/NAME.schema.json` (empty: valid).
/// The schemas refer to `common.schema.json` beside them, as a validator reading the files from
/// disk resolves it.
pub(crate) fn schema_errors(name: &str, document: &Value) -> Vec<String> {
    let base = format!("file://{}/docs/schemas/", repo_root().display());
    let registry = jsonschema::Registry::new()
        .add(format!("{base}common.schema.json"), schema_file("common"))
        .expect("common schema")
        .prepare()
        .expect("registry");
    let mut schema = schema_file(name);
    schema["$id"] = json!(format!("{base}{name}.schema.json"));
    let validator = jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name}.schema.json is not a valid schema: {e}"));
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Asserts that a run printed one document valid against `name`'s schema; returns it.
fn valid(name: &str, run: &Run) -> Value {
    let document = run.json();
    let errors = schema_errors(name, &document);
    assert!(
        errors.is_empty(),
        "the `{name}` document does not match docs/schemas/{name}.schema.json:\n{}\n{}",
        errors.join("\n"),
        run.snapshot()
    );
    document
}

#[test]
fn plan_and_apply_documents_match_their_schemas_and_carry_both_sides() {
    let c = ClusterContext::new("minimal");
    let plan = valid("plan", &c.siemctl(&["--output", "json", "plan"]));
    assert_eq!(plan["data"]["summary"]["create"], 10, "{plan}");
    let run = c.siemctl(&["--output", "json", "apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let applied = valid("apply", &run);
    assert_eq!(
        applied["data"]["result"]["created"]
            .as_array()
            .unwrap()
            .len(),
        10
    );

    // An update: before and after as JSON objects, in plan and in the apply's result.
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    let plan = valid("plan", &c.siemctl(&["--output", "json", "plan"]));
    let change = &plan["data"]["changes"][0];
    assert_eq!(change["action"], "update", "{plan}");
    assert_eq!(change["before"]["priority"], 100, "{change}");
    assert_eq!(change["after"]["priority"], 150, "{change}");
    let run = c.siemctl(&["--output", "json", "apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let applied = valid("apply", &run);
    let change = &applied["data"]["plan"]["changes"][0];
    assert_eq!(change["before"]["priority"], 100, "{applied}");
    assert_eq!(change["after"]["priority"], 150, "{applied}");
    assert_eq!(
        applied["data"]["result"]["updated"],
        json!([{"kind": "index_template", "id": "log-demo"}])
    );

    // Nothing to do: still the apply document.
    valid("apply", &c.siemctl(&["--output", "json", "apply", "--yes"]));
    // A saved plan, shown as JSON.
    c.content
        .edit(TEMPLATE, "\"priority\": 150", "\"priority\": 175");
    assert_eq!(c.siemctl(&["plan", "--out", "plan.json"]).code, 0);
    let shown = valid(
        "show",
        &c.siemctl(&["show", "plan.json", "--format", "json"]),
    );
    assert_eq!(
        shown["data"]["plans"][0]["changes"][0]["after"]["priority"],
        175
    );
}

#[test]
fn a_renamed_field_fails_the_schema() {
    let c = ClusterContext::new("minimal");
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    let run = c.siemctl(&["--output", "json", "plan"]);
    let document = valid("plan", &run);
    let renamed = |from: &str, to: &str, at: &str| {
        let mut d = document.clone();
        let object = d.pointer_mut(at).unwrap().as_object_mut().unwrap();
        let value = object.remove(from).unwrap();
        object.insert(to.into(), value);
        d
    };
    for bad in [
        renamed("summary", "totals", "/data"),
        renamed("action", "verb", "/data/changes/0"),
        renamed("create", "created", "/data/summary"),
        renamed("format_version", "version", ""),
    ] {
        assert!(
            !schema_errors("plan", &bad).is_empty(),
            "a renamed field must fail the schema: {bad}"
        );
    }
    let mut unknown_code = c
        .siemctl(&["--output", "json", "plan", "--target", "nope"])
        .json();
    assert!(
        schema_errors("plan", &unknown_code).is_empty(),
        "{unknown_code}"
    );
    unknown_code["error"]["code"] = json!("oops");
    assert!(!schema_errors("plan", &unknown_code).is_empty());
}

#[test]
fn validate_and_test_documents_match_their_schemas() {
    let ctx = TestContext::fixture("minimal");
    let run = ctx.siemctl(&["--output", "json", "validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    valid("validate", &run);

    ctx.write(
        "index-templates/demo/_test/demo.ndjson",
        concat!(
            r#"{"action":"login","time":"2026-11-26T09:00:00Z","region":"us-east-1","outcome":"failure"}"#,
            "\n",
            r#"{"action":"logout","time":"2026-11-26T09:05:00.123Z"}"#,
            "\n"
        ),
    );
    // No golden file yet: the test fails, with its code.
    let run = ctx.siemctl(&["--output", "json", "test"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = valid("test", &run);
    assert_eq!(doc["error"]["code"], "test_failed", "{doc}");
    assert_eq!(ctx.siemctl(&["test", "--generate"]).code, 0);
    let run = ctx.siemctl(&["--output", "json", "test"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    valid("test", &run);

    // Invalid content: the problems, and the code `validation`, for validate and plan alike.
    ctx.edit(TEMPLATE, "\"priority\": 100", "\"priority\": \"high\",,");
    let run = ctx.siemctl(&["--output", "json", "validate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = valid("validate", &run);
    assert_eq!(doc["error"]["code"], "validation", "{doc}");
    assert!(doc["data"]["problems"][0]["line"].is_u64(), "{doc}");
    let run = ctx.siemctl(&["--output", "json", "plan"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = valid("plan", &run);
    assert_eq!(doc["error"]["code"], "validation", "{doc}");
}

#[test]
fn error_codes_tell_lock_held_auth_and_drift_apart() {
    // Lock held.
    let c = ClusterContext::new("minimal");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    c.opensearch("PUT", "/siemctl-state", Some(json!({})));
    c.opensearch(
        "PUT",
        "/siemctl-state/_doc/lock?op_type=create",
        Some(json!({"who": "ci@runner-7", "pid": 1, "run_id": "5eed",
            "acquired_at_ms": now, "renewed_at_ms": now, "expires_at_ms": now + 900_000})),
    );
    let run = c.siemctl(&["--output", "json", "apply", "--yes", "--lock-timeout", "0"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = valid("apply", &run);
    assert_eq!(doc["error"]["code"], "lock_held", "{doc}");
    c.opensearch("DELETE", "/siemctl-state/_doc/lock", None);

    // Drift: an analyst's edit is held back (exit 1), or refuses the whole apply.
    assert_eq!(c.siemctl(&["apply", "--yes"]).code, 0);
    c.dashboards(
        "PUT",
        "/api/saved_objects/search/demo-failures",
        Some(json!({"attributes": {"title": "Demo: failures (mine)"}})),
        "global",
    );
    c.content
        .edit(TEMPLATE, "\"priority\": 100", "\"priority\": 150");
    let run = c.siemctl(&["--output", "json", "apply", "--yes", "--strict-drift"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = valid("apply", &run);
    assert_eq!(doc["error"]["code"], "drift", "{doc}");
    let run = c.siemctl(&["--output", "json", "apply", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = valid("apply", &run);
    assert_eq!(doc["error"]["code"], "drift", "{doc}");
    assert_eq!(
        doc["data"]["result"]["skipped_drift"],
        json!([{"kind": "search", "id": "demo-failures"}])
    );

    // A refused password.
    let guarded = ClusterContext::with_options(
        "minimal",
        Options {
            basic_auth: Some(("admin".into(), "right-one".into())),
            ..Options::default()
        },
    );
    let run = guarded.siemctl_env(
        &["--output", "json", "plan"],
        &[
            ("SIEMCTL_AUTH", "basic"),
            ("SIEMCTL_USERNAME", "admin"),
            ("SIEMCTL_PASSWORD", "wrong-one"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = valid("plan", &run);
    assert_eq!(doc["error"]["code"], "auth", "{doc}");
}

/// Two emulators and an unreachable target, in one siemctl.toml.
fn two_and_gone() -> (TestContext, Vec<Emulator>) {
    let content = TestContext::fixture("minimal");
    let emulators: Vec<Emulator> = (0..2)
        .map(|_| Emulator::start(Options::default()).expect("start the emulator"))
        .collect();
    let mut toml = String::from(
        "[content]\nversion = \"2.3.4\"\n\n[vars]\nindex_prefix = \"log\"\nshards = 1\nlabel = \"Demo\"\nretention_days = 30\n\n[target_defaults]\nauth = \"none\"\ntenant = \"global\"\n\n",
    );
    for (i, e) in emulators.iter().enumerate() {
        toml.push_str(&format!(
            "[targets.good-{i}]\nopensearch_url = \"{}\"\ndashboards_url = \"{}\"\n\n",
            e.opensearch_url(),
            e.dashboards_url()
        ));
    }
    toml.push_str("[targets.gone]\nopensearch_url = \"http://127.0.0.1:9\"\n");
    content.write("siemctl.toml", &toml);
    (content, emulators)
}

#[test]
fn several_targets_match_the_targets_schema_with_a_code_per_target() {
    let (content, _emulators) = two_and_gone();
    for verb in ["plan", "apply"] {
        let mut args = vec![
            "--output",
            "json",
            verb,
            "--all-targets",
            "--retry-budget",
            "1",
        ];
        if verb == "apply" {
            args.push("--yes");
        }
        let run = content.siemctl(&args);
        assert_eq!(run.code, 1, "{}", run.snapshot());
        let doc = valid("targets", &run);
        assert_eq!(doc["error"]["code"], "targets_failed", "{doc}");
        let targets = doc["data"]["targets"].as_array().unwrap();
        let gone = targets.iter().find(|t| t["target"] == "gone").unwrap();
        assert_eq!(gone["error"]["code"], "unreachable", "{doc}");
        let good = targets.iter().find(|t| t["target"] == "good-0").unwrap();
        assert_eq!(good["error"], Value::Null, "{doc}");
    }
}

#[test]
fn the_fields_document_matches_its_schema() {
    let ctx = crate::common::TestContext::fixture("minimal");
    let document = valid("fields", &ctx.siemctl(&["fields", "--output", "json"]));
    let fields = document["data"]["fields"].as_array().unwrap();
    assert!(
        fields.iter().any(|f| f["name"] == "demo.region"),
        "{document}"
    );
    let bundled = crate::common::TestContext::bundled();
    valid("fields", &bundled.siemctl(&["fields", "--output", "json"]));
}
