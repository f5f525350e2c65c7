//! `siemctl new`: every scaffold validates as written, a new log type passes its tests, nothing
//! is overwritten, bad names are refused with what to do, --dry-run writes nothing.

use crate::common::{tree, TestContext};

fn ok(run: &crate::common::Run) {
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn a_new_log_type_validates_and_passes_its_tests_and_takes_each_scaffold() {
    let ctx = TestContext::bundled();
    let run = ctx.siemctl(&["new", "log-type", "acme-vpn"]);
    ok(&run);
    for file in [
        "index-templates/acme-vpn/log-acme-vpn.component-template.json.hbs",
        "index-templates/acme-vpn/log-acme-vpn.index-template.json.hbs",
        "index-templates/acme-vpn/log-acme-vpn.pipeline.json.hbs",
        "index-templates/acme-vpn/_test/README.md",
        "index-templates/acme-vpn/_test/sample.ndjson",
        "index-templates/acme-vpn/_test/sample.ndjson-config.yaml",
        "index-templates/acme-vpn/_test/sample.ndjson-expected.json",
        "dashboards/acme-vpn/log-acme-vpn.index-pattern.json.hbs",
        "dashboards/acme-vpn/acme-vpn-top-actions.visualization.json.hbs",
        "dashboards/acme-vpn/acme-vpn.dashboard.json.hbs",
        "saved-searches/acme-vpn/failures.yaml",
        "saved-searches/acme-vpn/_test/matches-expected.json",
    ] {
        assert!(
            run.stdout.contains(&format!("created {file}")),
            "{file} not reported:\n{}",
            run.stdout
        );
        assert!(ctx.path().join(file).is_file(), "{file} not written");
    }
    // The pipeline's on_failure keeps what docs/content-format.md requires.
    let pipeline = ctx.read("index-templates/acme-vpn/log-acme-vpn.pipeline.json.hbs");
    for needle in [
        "pipeline_error",
        "error.message",
        "\"@message\"",
        "@log_type",
        "event.kind",
        "\"_id\"",
        "SHA-256",
    ] {
        assert!(pipeline.contains(needle), "pipeline lacks {needle}");
    }
    // The golden file is the test engine's: the parsed fields and the fingerprint id.
    let golden: serde_json::Value = serde_json::from_str(
        &ctx.read("index-templates/acme-vpn/_test/sample.ndjson-expected.json"),
    )
    .unwrap();
    let first = &golden["events"][0];
    assert!(
        first["_id"]
            .as_str()
            .unwrap()
            .starts_with("SHA-256@2.16.0:"),
        "{first}"
    );
    assert_eq!(first["_source"]["source"]["ip"], "203.0.113.50");
    assert_eq!(first["_source"]["event"]["outcome"], "failure");
    assert_eq!(first["_source"]["@log_type"], "acme-vpn");
    assert_eq!(first["_source"]["acme"]["vpn"]["user"], "alice");
    assert_eq!(first["_source"]["@timestamp"], "2026-11-26T09:15:02.000Z");
    let matches = ctx.read("saved-searches/acme-vpn/_test/matches-expected.json");
    assert!(
        matches.contains("sample.ndjson:1") && !matches.contains("sample.ndjson:2"),
        "{matches}"
    );

    ok(&ctx.siemctl(&["validate"]));
    ok(&ctx.siemctl(&["test", "--log-type", "acme-vpn"]));

    // Each scaffold on the new log type, then the whole content still validates.
    ok(&ctx.siemctl(&[
        "new",
        "search",
        "--log-type",
        "acme-vpn",
        "--title",
        "Acme VPN: one client IP",
    ]));
    ok(&ctx.siemctl(&[
        "new",
        "visualization",
        "--log-type",
        "acme-vpn",
        "--field",
        "user.name",
    ]));
    ok(&ctx.siemctl(&[
        "new",
        "dashboard",
        "--log-type",
        "acme-vpn",
        "--title",
        "Acme VPN: overview",
    ]));
    let dashboard = ctx.read("dashboards/acme-vpn/acme-vpn-overview.dashboard.json.hbs");
    assert!(
        dashboard.contains("acme-vpn-top-user-name") && dashboard.contains("acme-vpn-failures"),
        "{dashboard}"
    );
    ok(&ctx.siemctl(&["validate"]));
    // What the scaffolds write is already in the layout `siemctl fmt` gives (CI checks it).
    let check = ctx.siemctl(&["fmt", "--check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn a_new_search_has_every_key_and_validates_and_dry_run_writes_nothing() {
    let ctx = TestContext::bundled();
    let before = tree(ctx.path());
    let args = [
        "new",
        "search",
        "--log-type",
        "aws-waf",
        "--title",
        "WAF: blocked from one country",
    ];
    let dry = ctx.siemctl(&[&args[..], &["--dry-run"]].concat());
    ok(&dry);
    assert!(
        dry.stdout.contains(
            "--- saved-searches/aws-waf/blocked-from-one-country.yaml (not written: --dry-run)"
        ),
        "{}",
        dry.stdout
    );
    assert!(tree(ctx.path()) == before, "--dry-run wrote files");

    let run = ctx.siemctl(&[&args[..], &["--output", "json"]].concat());
    ok(&run);
    let doc = run.json();
    assert_eq!(
        doc["data"]["files"][0]["path"],
        "saved-searches/aws-waf/blocked-from-one-country.yaml"
    );
    assert_eq!(doc["data"]["written"], true);
    let text = ctx.read("saved-searches/aws-waf/blocked-from-one-country.yaml");
    insta::assert_snapshot!("new_search_aws_waf", text);
    for key in [
        "id:",
        "title:",
        "# description:",
        "language:",
        "query:",
        "columns:",
        "sort:",
        "# filters:",
        "# tags:",
        "# kind:",
        "# index_pattern:",
    ] {
        assert!(text.contains(key), "{key} missing");
    }
    ok(&ctx.siemctl(&["validate"]));

    // A visualization and a dashboard of an existing log type validate too.
    ok(&ctx.siemctl(&[
        "new",
        "visualization",
        "--log-type",
        "aws-waf",
        "--title",
        "WAF: top actions",
    ]));
    ok(&ctx.siemctl(&[
        "new",
        "dashboard",
        "--log-type",
        "aws-waf",
        "--title",
        "WAF: triage",
    ]));
    ok(&ctx.siemctl(&["validate"]));
}

#[test]
fn nothing_is_overwritten_and_bad_names_say_what_to_do() {
    let ctx = TestContext::bundled();
    // An existing saved search's id (saved-searches/aws-waf/client-ip.yaml).
    let taken = ctx.siemctl(&[
        "new",
        "search",
        "--log-type",
        "aws-waf",
        "--title",
        "Client IP",
    ]);
    assert_eq!(taken.code, 1, "{}", taken.snapshot());
    assert!(
        taken.stderr.contains("`aws-waf-client-ip` is taken")
            && taken
                .stderr
                .contains("saved-searches/aws-waf/client-ip.yaml"),
        "{}",
        taken.stderr
    );
    // An existing file whose id is another: the file is not touched.
    let mine = "id: aws-waf-my-own\ntitle: \"WAF: mine\"\nquery: \"\"\n";
    ctx.write("saved-searches/aws-waf/from-one-host.yaml", mine);
    let file = ctx.siemctl(&[
        "new",
        "search",
        "--log-type",
        "aws-waf",
        "--title",
        "WAF: from one host",
    ]);
    assert_eq!(file.code, 1, "{}", file.snapshot());
    assert!(
        file.stderr
            .contains("`saved-searches/aws-waf/from-one-host.yaml` already exists"),
        "{}",
        file.stderr
    );
    assert_eq!(ctx.read("saved-searches/aws-waf/from-one-host.yaml"), mine);
    let existing = ctx.siemctl(&["new", "log-type", "aws-waf"]);
    assert_eq!(existing.code, 1);
    assert!(
        existing
            .stderr
            .contains("`index-templates/aws-waf` already exists"),
        "{}",
        existing.stderr
    );
    assert_eq!(
        ctx.read("saved-searches/aws-waf/client-ip.yaml"),
        TestContext::bundled().read("saved-searches/aws-waf/client-ip.yaml")
    );

    let bad = ctx.siemctl(&["new", "log-type", "Acme VPN"]);
    assert_eq!(bad.code, 1);
    insta::assert_snapshot!("new_invalid_log_type_name", bad.stderr);
    let inside_ecs = ctx.siemctl(&["new", "log-type", "source-audit"]);
    assert_eq!(inside_ecs.code, 1);
    assert!(
        inside_ecs
            .stderr
            .contains("inside the shared ECS field `source`"),
        "{}",
        inside_ecs.stderr
    );
    let no_words = ctx.siemctl(&["new", "dashboard", "--log-type", "aws-waf", "--title", "::"]);
    assert_eq!(no_words.code, 1);
    assert!(
        no_words.stderr.contains("title `::` is not valid"),
        "{}",
        no_words.stderr
    );
    let unknown = ctx.siemctl(&["new", "search", "--log-type", "aws-wa", "--title", "x"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("did you mean `aws-waf`?"),
        "{}",
        unknown.stderr
    );
    let bad_field = ctx.siemctl(&[
        "new",
        "visualization",
        "--log-type",
        "aws-waf",
        "--field",
        "source.ipp",
    ]);
    assert_eq!(bad_field.code, 1);
    assert!(
        bad_field.stderr.contains("did you mean `source.ip`?"),
        "{}",
        bad_field.stderr
    );
    // Not a terminal: a missing value is an error naming its flag.
    let missing = ctx.siemctl(&["new", "search", "--title", "x"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("missing --log-type"),
        "{}",
        missing.stderr
    );
    let missing_title = ctx.siemctl(&["new", "search", "--log-type", "aws-waf"]);
    assert!(
        missing_title.stderr.contains("missing --title"),
        "{}",
        missing_title.stderr
    );
    // A query that does not validate is refused before anything is written.
    let before = tree(ctx.path());
    let wrong = ctx.siemctl(&[
        "new",
        "search",
        "--log-type",
        "aws-waf",
        "--title",
        "typo",
        "--query",
        "sourceip:1.2.3.4",
    ]);
    assert_eq!(wrong.code, 1, "{}", wrong.snapshot());
    assert!(
        wrong.stderr.contains("nothing was written"),
        "{}",
        wrong.stderr
    );
    assert!(tree(ctx.path()) == before);
}
