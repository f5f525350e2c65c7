//! Many targets in one run (issue 10): plan, apply and validate over several targets of
//! siemctl.toml, against several emulators over real HTTP.

use cluster_emulator::{Emulator, Options};
use serde_json::Value;

use crate::common::{run_with_env, Run, TestContext};

/// Six domains: 3 accounts × 2 regions.
const SIX: [&str; 6] = [
    "prod-a-eu",
    "prod-a-us",
    "prod-b-eu",
    "prod-b-us",
    "staging-eu",
    "staging-us",
];

struct Fleet {
    content: TestContext,
    emulators: Vec<Emulator>,
}

impl Fleet {
    /// The minimal fixture with one target per name, each on its own emulator, sharing their
    /// settings through `[target_defaults]`. `extra` is appended to siemctl.toml.
    fn new(names: &[&str], extra: &str) -> Fleet {
        let content = TestContext::fixture("minimal");
        let emulators: Vec<Emulator> = names
            .iter()
            .map(|_| Emulator::start(Options::default()).expect("start the emulator"))
            .collect();
        let mut toml = String::from(
            "[content]\nversion = \"2.3.4\"\n\n[vars]\nindex_prefix = \"log\"\nshards = 1\nlabel = \"Demo\"\nretention_days = 30\n\n[target_defaults]\nauth = \"none\"\ntenant = \"global\"\n\n[target_defaults.vars]\nshards = 2\n\n",
        );
        for (name, emulator) in names.iter().zip(&emulators) {
            toml.push_str(&format!(
                "[targets.{name}]\nopensearch_url = \"{}\"\ndashboards_url = \"{}\"\n\n",
                emulator.opensearch_url(),
                emulator.dashboards_url()
            ));
        }
        toml.push_str(extra);
        content.write("siemctl.toml", &toml);
        Fleet { content, emulators }
    }

    fn siemctl(&self, args: &[&str]) -> Run {
        let run = run_with_env(self.content.path(), args, &[]);
        let scrub = |text: &str| {
            let mut text = text.to_string();
            for (i, e) in self.emulators.iter().enumerate() {
                text = text
                    .replace(e.dashboards_url(), &format!("[DASHBOARDS{i}]"))
                    .replace(e.opensearch_url(), &format!("[OPENSEARCH{i}]"));
            }
            text
        };
        Run {
            stdout: scrub(&run.stdout),
            stderr: scrub(&run.stderr),
            code: run.code,
        }
    }
}

#[test]
fn six_targets_plan_and_apply_in_one_command() {
    let fleet = Fleet::new(&SIX, "");
    let run = fleet.siemctl(&["plan", "--all-targets", "--detailed-exitcode", "-v"]);
    assert_eq!(
        run.code,
        2,
        "changes pending everywhere: {}",
        run.snapshot()
    );
    for (i, name) in SIX.iter().enumerate() {
        let header = format!("== target {name} == ([OPENSEARCH{i}], Dashboards [DASHBOARDS{i}])");
        assert!(run.stdout.contains(&header), "{header}: {}", run.stdout);
    }
    assert_eq!(
        run.stdout
            .matches("Plan: 10 to create, 0 to update, 0 to delete, 0 unchanged.")
            .count(),
        6,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("target      created  updated  deleted  drifted  failed\nprod-a-eu        10        0        0        0       0\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("6 targets, 0 failed."),
        "{}",
        run.stdout
    );
    // Six targets with the same variables: the content is rendered once.
    assert_eq!(
        run.stderr
            .matches("rendering the content for a new set of variables")
            .count(),
        1,
        "{}",
        run.stderr
    );

    let run = fleet.siemctl(&["apply", "--all-targets", "--yes", "--parallel", "3"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_eq!(
        run.stdout
            .matches("Apply complete: 10 created, 0 updated, 0 deleted, 0 unchanged.")
            .count(),
        6,
        "{}",
        run.stdout
    );
    for emulator in &fleet.emulators {
        let template: Value = reqwest::blocking::get(format!(
            "{}/_component_template/base",
            emulator.opensearch_url()
        ))
        .unwrap()
        .json()
        .unwrap();
        let shards = &template["component_templates"][0]["component_template"]["template"]
            ["settings"]["index"]["number_of_shards"];
        assert!(
            shards == "2" || shards == 2,
            "[target_defaults.vars] reached every target: {template}"
        );
    }

    let run = fleet.siemctl(&[
        "plan",
        "--all-targets",
        "--detailed-exitcode",
        "--output",
        "json",
    ]);
    assert_eq!(
        run.code,
        0,
        "no changes after the apply: {}",
        run.snapshot()
    );
    let doc = run.json();
    assert_eq!(doc["error"], Value::Null);
    let targets = doc["data"]["targets"].as_array().unwrap();
    let names: Vec<&str> = targets
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert_eq!(names, SIX);
    for (i, t) in targets.iter().enumerate() {
        assert_eq!(t["opensearch_url"], format!("[OPENSEARCH{i}]"));
        assert_eq!(t["content_version"], "2.3.4");
        assert!(
            t.get("git_commit").is_some() && t.get("working_tree_clean").is_some(),
            "{t}"
        );
        assert_eq!(t["failed"], false);
        assert_eq!(t["data"]["summary"]["unchanged"], 10, "{t}");
    }
}

#[test]
fn an_unreachable_target_fails_alone() {
    let fleet = Fleet::new(
        &["good-1", "good-2"],
        "[targets.gone]\nopensearch_url = \"http://127.0.0.1:9\"\n",
    );
    let run = fleet.siemctl(&["apply", "--all-targets", "--yes", "--retry-budget", "1"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert_eq!(
        run.stdout.matches("Apply complete: 10 created").count(),
        2,
        "the reachable targets were applied: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("== target gone == (http://127.0.0.1:9)\nfailed: "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("gone          -        -        -        -  target\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("3 targets, 1 failed."),
        "{}",
        run.stdout
    );

    let run = fleet.siemctl(&[
        "plan",
        "--target",
        "good-*",
        "--target",
        "gone",
        "--detailed-exitcode",
        "--output",
        "json",
        "--retry-budget",
        "1",
    ]);
    assert_eq!(
        run.code,
        1,
        "a failed target wins over changes: {}",
        run.snapshot()
    );
    let doc = run.json();
    assert_eq!(
        doc["error"]["message"], "1 of 3 targets failed: gone",
        "{doc}"
    );
    let targets = doc["data"]["targets"].as_array().unwrap();
    assert_eq!(targets[2]["target"], "good-2");
    assert_eq!(targets[2]["data"]["summary"]["unchanged"], 10);
    assert_eq!(targets[0]["target"], "gone");
    assert_eq!(targets[0]["failed"], true);
    assert!(targets[0]["error"]["message"].is_string(), "{doc}");
}

#[test]
fn globs_select_targets_and_single_target_commands_refuse_several() {
    let fleet = Fleet::new(&["prod-1", "prod-2", "staging-1"], "");
    let run = fleet.siemctl(&["plan", "--target", "prod-*", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    assert!(run.stdout.contains("== target prod-1 =="), "{}", run.stdout);
    assert!(run.stdout.contains("== target prod-2 =="), "{}", run.stdout);
    assert!(!run.stdout.contains("staging-1"), "{}", run.stdout);

    // One target named: the single-target output, unchanged.
    let run = fleet.siemctl(&["plan", "--target", "staging-1", "--output", "json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.json()["data"]["summary"].is_object(), "{}", run.stdout);

    let run = fleet.siemctl(&["pull", "--target", "prod-*", "--drifted"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains(
            "this command takes one target, and --target `prod-*` select 2: prod-1, prod-2"
        ),
        "{}",
        run.stderr
    );

    let run = fleet.siemctl(&["plan", "--target", "dev-*"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("no target matches `dev-*`") && run.stderr.contains("`prod-1`"),
        "{}",
        run.stderr
    );
}

#[test]
fn validate_renders_once_per_set_of_variables() {
    let fleet = Fleet::new(
        &["a", "b"],
        "[targets.c]\nopensearch_url = \"http://127.0.0.1:9\"\n[targets.c.vars]\nshards = 3\n",
    );
    let run = fleet.siemctl(&["validate", "--all-targets", "-v"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("validated for a, b (content 2.3.4)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("validated for c (content 2.3.4)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr
            .matches("rendering the content for a new set of variables")
            .count(),
        2,
        "{}",
        run.stderr
    );
}

#[test]
fn validate_reports_target_errors_with_their_line() {
    let fleet = Fleet::new(
        &["a"],
        "[targets.broken]\nopensearch_url = \"not a url\"\nprofil = \"prod\"\npassword = \"hunter2\"\n\n[targets.broken.vars]\nshardz = 2\n",
    );
    let run = fleet.siemctl(&["validate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let e = &run.stderr;
    // Lines: siemctl.toml as written by Fleet::new, `extra` from line 21.
    assert!(e.contains("`opensearch_url` is not a URL (relative URL without a base) in [targets.broken]\n  --> ./siemctl.toml:22"), "{e}");
    assert!(
        e.contains("unknown key `profil` in [targets.broken]\n  --> ./siemctl.toml:23"),
        "{e}"
    );
    assert!(e.contains("did you mean `profile`?"), "{e}");
    assert!(
        e.contains("`password` in [targets.broken]: secrets are never read from siemctl.toml"),
        "{e}"
    );
    assert!(!e.contains("hunter2"), "{e}");
    assert!(
        e.contains("unknown variable `shardz` in [targets.broken].vars")
            && e.contains("siemctl.toml:27"),
        "{e}"
    );

    // plan of that target refuses it with the same lines; another target is unaffected.
    let run = fleet.siemctl(&["plan", "--target", "broken"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stderr.contains("siemctl.toml:23: unknown key `profil`"),
        "{}",
        run.stderr
    );
    let run = fleet.siemctl(&["plan", "--target", "a"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

/// A stand-in for the STS endpoint (`AWS_ENDPOINT_URL_STS`): answers every request with an
/// AssumeRole response (the shape of the STS API reference's example) and keeps the bodies.
fn fake_sts() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    crate::common::sts::serve(
        "200 OK",
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials><AccessKeyId>ASIAASSUMEDROLE</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey><SessionToken>assumed-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:ci</AssumedRoleId><Arn>arn:aws:sts::111111111111:assumed-role/siemctl/ci</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata></AssumeRoleResponse>",
    )
}

#[test]
fn a_target_assumes_its_role_with_external_id_and_session_name() {
    let fleet = Fleet::new(&["aws"], "");
    fleet.content.edit(
        "siemctl.toml",
        "[targets.aws]\n",
        "[targets.aws]\nauth = \"aws-sigv4\"\nregion = \"eu-west-1\"\nrole_arn = \"arn:aws:iam::111111111111:role/siemctl\"\nexternal_id = \"siem-content\"\nsession_name = \"ci-run-42\"\n",
    );
    let (sts, bodies) = fake_sts();
    let run = run_with_env(
        fleet.content.path(),
        &["plan", "--target", "aws", "--detailed-exitcode"],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDSOURCE"),
            ("AWS_SECRET_ACCESS_KEY", "source-secret"),
            ("AWS_ENDPOINT_URL_STS", &sts),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.snapshot());
    let bodies = bodies.lock().unwrap();
    let body = bodies.first().expect("siemctl called STS");
    assert!(body.contains("Action=AssumeRole"), "{body}");
    assert!(
        body.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fsiemctl"),
        "{body}"
    );
    assert!(body.contains("ExternalId=siem-content"), "{body}");
    assert!(body.contains("RoleSessionName=ci-run-42"), "{body}");
    assert!(!run.stderr.contains("assumed-secret") && !run.stdout.contains("assumed-secret"));
}

#[test]
fn apply_over_targets_asks_once_and_writes_nothing_unconfirmed() {
    let fleet = Fleet::new(&["one", "two"], "");
    let run = fleet.siemctl(&["apply", "--all-targets"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert_eq!(
        run.stdout.matches("Plan: 10 to create").count(),
        2,
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("apply needs confirmation"),
        "{}",
        run.stderr
    );
    let run = fleet.siemctl(&["plan", "--all-targets", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "nothing was written: {}", run.snapshot());
    assert_eq!(
        run.stdout.matches("Plan: 10 to create").count(),
        2,
        "{}",
        run.stdout
    );
}

#[test]
fn a_held_lock_fails_its_target_alone() {
    let fleet = Fleet::new(&["free", "held"], "");
    // Another apply holds the lock of `held` (renewed just now, so it does not expire).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let http = reqwest::blocking::Client::new();
    let os = fleet.emulators[1].opensearch_url();
    http.put(format!("{os}/siemctl-state"))
        .json(&serde_json::json!({}))
        .send()
        .unwrap();
    let status = http
        .put(format!("{os}/siemctl-state/_doc/lock?op_type=create"))
        .json(
            &serde_json::json!({"who": "ci@runner-7", "pid": 1, "run_id": "5eed",
            "acquired_at_ms": now, "renewed_at_ms": now, "expires_at_ms": now + 900_000}),
        )
        .send()
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 201);

    let run = fleet.siemctl(&["apply", "--all-targets", "--yes", "--lock-timeout", "0"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout.contains("== target held == ")
            && run
                .stdout
                .contains("another apply holds the lock on this cluster: ci@runner-7"),
        "the held target says why: {}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("Apply complete: 10 created").count(),
        1,
        "the free target was applied: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("2 targets, 1 failed."),
        "{}",
        run.stdout
    );

    let run = fleet.siemctl(&[
        "apply",
        "--all-targets",
        "--yes",
        "--lock-timeout",
        "0",
        "--output",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let doc = run.json();
    let targets = doc["data"]["targets"].as_array().unwrap();
    assert_eq!(targets[0]["target"], "free");
    assert_eq!(targets[0]["failed"], false, "{doc}");
    assert_eq!(targets[1]["failed"], true, "{doc}");
    assert_eq!(targets[1]["error"]["code"], "lock_held", "{doc}");
    assert_eq!(doc["error"]["code"], "targets_failed", "{doc}");
}

#[test]
fn one_plan_file_holds_several_targets_and_applies_each() {
    let fleet = Fleet::new(&["east", "west"], "");
    let run = fleet.siemctl(&[
        "plan",
        "--target",
        "east",
        "--target",
        "west",
        "--out",
        "plan.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stderr
            .contains("Saved the plans of 2 targets to `plan.json`"),
        "{}",
        run.snapshot()
    );
    let file: Value = serde_json::from_str(&fleet.content.read("plan.json")).unwrap();
    let plans = file["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 2, "one plan per target");
    assert_eq!(plans[0]["target"], "east");
    assert_eq!(plans[1]["target"], "west");

    // show prints each.
    let run = fleet.siemctl(&["show", "plan.json"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout.contains("== target east ==") && run.stdout.contains("== target west =="),
        "{}",
        run.stdout
    );

    // Someone edits west's saved search after the plan: west is refused, naming its target and
    // the object; east is applied; exit 1.
    let http = reqwest::blocking::Client::new();
    let dashboards = fleet.emulators[1].dashboards_url();
    let status = http
        .post(format!(
            "{dashboards}/api/saved_objects/search/demo-failures"
        ))
        .header("osd-xsrf", "true")
        .json(&serde_json::json!({"attributes": {"title": "someone else's"}}))
        .send()
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 200);
    let run = fleet.siemctl(&["apply", "plan.json", "--yes"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout.contains("== target west == ")
            && run
                .stdout
                .contains("refusing to apply the saved plan for target `west`")
            && run.stdout.contains("search `demo-failures` (created)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("Apply complete: 10 created").count(),
        1,
        "east was applied: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("2 targets, 1 failed."),
        "{}",
        run.stdout
    );
}

/// The targets of one run share their HTTP transports, never their credentials: each emulator
/// requires its own user, every request it saw carried that user's password (none answered
/// 401), and the target without auth, whose emulator also requires a user, is refused alone
/// (no other target's credentials reached it).
#[test]
fn each_targets_requests_carry_its_own_credentials() {
    let content = TestContext::fixture("minimal");
    let names = ["one", "two", "three", "bare"];
    let emulators: Vec<Emulator> = names
        .iter()
        .map(|name| {
            Emulator::start(Options {
                basic_auth: Some((format!("user-{name}"), format!("pw-{name}"))),
                ..Options::default()
            })
            .expect("start the emulator")
        })
        .collect();
    let mut toml = String::from(
        "[content]\nversion = \"2.3.4\"\n\n[vars]\nindex_prefix = \"log\"\nshards = 1\nlabel = \"Demo\"\nretention_days = 30\n\n",
    );
    for (name, emulator) in names.iter().zip(&emulators) {
        let auth = if *name == "bare" {
            "auth = \"none\"\n".to_string()
        } else {
            let file = content.path().join(format!("{name}.password"));
            std::fs::write(&file, format!("pw-{name}\n")).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
            }
            format!(
                "auth = \"basic\"\nusername = \"user-{name}\"\npassword_file = \"{}\"\n",
                file.display()
            )
        };
        toml.push_str(&format!(
            "[targets.{name}]\nopensearch_url = \"{}\"\ndashboards_url = \"{}\"\ntenant = \"global\"\n{auth}\n",
            emulator.opensearch_url(),
            emulator.dashboards_url()
        ));
    }
    content.write("siemctl.toml", &toml);
    let run = run_with_env(
        content.path(),
        &["apply", "--all-targets", "--yes", "--parallel", "4"],
        &[],
    );
    assert_eq!(run.code, 1, "the bare target fails: {}", run.snapshot());
    assert!(
        run.stdout.contains("4 targets, 1 failed."),
        "{}",
        run.stdout
    );
    for (name, emulator) in names.iter().zip(&emulators) {
        let requests = emulator.requests();
        let refused = requests.iter().filter(|r| r.status == Some(401)).count();
        if *name == "bare" {
            assert!(
                refused > 0 && refused == requests.len(),
                "{name}: {requests:?}"
            );
        } else {
            assert!(!requests.is_empty(), "{name} saw no request");
            assert_eq!(refused, 0, "{name}: {requests:?}");
        }
    }
    for pw in ["pw-one", "pw-two", "pw-three"] {
        assert!(
            !run.stdout.contains(pw) && !run.stderr.contains(pw),
            "{}",
            run.snapshot()
        );
    }
}
