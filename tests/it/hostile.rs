//! Hostile or broken input that must fail validation with the file, the line and what to do,
//! in plain words (issue 13, findings 5 and 10; issue 12's value checks in JSON objects).

use crate::common::TestContext;

const TEMPLATE: &str = "index-templates/demo/log-demo.index-template.json.hbs";
const PIPELINE: &str = "index-templates/demo/log-demo.pipeline.json.hbs";
const VISUALIZATION: &str = "dashboards/demo/demo-top-actions.visualization.json.hbs";
const SEARCH: &str = "saved-searches/demo/failures.yaml";

/// Runs `args` on the minimal fixture after `change`, expecting exit 1; returns stderr.
fn refused(args: &[&str], change: impl FnOnce(&TestContext)) -> String {
    let ctx = TestContext::fixture("minimal");
    change(&ctx);
    let run = ctx.siemctl(args);
    assert_eq!(run.code, 1, "should fail:\n{}", run.snapshot());
    run.stderr
}

#[test]
fn a_variable_holding_a_newline_is_refused_where_it_lands() {
    let err = refused(&["validate", "--var", "index_prefix=lo\ng"], |_| {});
    insta::assert_snapshot!(err);
    // Every place the prefix lands: the template, the ISM template, the index pattern.
    for at in [
        "index-templates/demo/log-demo.index-template.json.hbs:2",
        "index-templates/_common/retention.ism-policy.json.hbs:",
        "dashboards/demo/log-demo.index-pattern.json.hbs:3",
    ] {
        assert!(err.contains(at), "{at} missing:\n{err}");
    }
}

#[test]
fn characters_opensearch_refuses_in_index_patterns_and_aliases() {
    let err = refused(&["validate", "--var", "index_prefix=log#x"], |_| {});
    assert!(
        err.contains("error: index pattern `log#x-demo-*` holds `#`: OpenSearch refuses it\n  --> index-templates/demo/log-demo.index-template.json.hbs:2"),
        "{err}"
    );
    let err = refused(&["validate", "--var", "index_prefix=Log"], |_| {});
    assert!(
        err.contains("index pattern `Log-demo-*` has upper-case letters: index names are lower case, so it matches no index"),
        "{err}"
    );
    let err = refused(&["validate"], |c| {
        c.edit(
            TEMPLATE,
            "\"template\": {",
            "\"template\": {\n    \"aliases\": { \"+log-demo\": {} },",
        );
    });
    assert!(
        err.contains("error: alias `+log-demo` starts with `+`: OpenSearch refuses it\n  --> index-templates/demo/log-demo.index-template.json.hbs:6"),
        "{err}"
    );
}

#[test]
fn an_object_over_the_dashboards_request_limit_is_an_error_with_its_size() {
    let err = refused(&["validate"], |c| {
        let big = "x".repeat(1_100_000);
        c.edit(
            VISUALIZATION,
            "\"description\": \"\",",
            &format!("\"description\": \"{big}\","),
        );
    });
    assert!(
        err.contains("error: this visualization is 1100"),
        "no size:\n{}",
        &err[..err.len().min(2000)]
    );
    assert!(
        err.contains("bytes as Dashboards receives it, over Dashboards' default request limit of 1 MiB (server.maxPayloadBytes, 1048576 bytes)"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(err.contains(&format!("  --> {VISUALIZATION}:1\n")));
}

#[test]
fn configuration_errors_carry_file_and_line() {
    let config = |c: &TestContext, extra: &str| {
        let text = c.read("siemctl.toml");
        c.write("siemctl.toml", &format!("{text}{extra}"));
    };
    let err = refused(&["validate"], |c| {
        config(c, "\n[targets.stage.vars]\nretention_days = \"thirty\"\n");
    });
    assert!(
        err.contains("error: variable `retention_days` is an integer in [vars], but [targets.stage].vars gives a string\n  --> ./siemctl.toml:14\n  hint: give it an integer value, as [vars] declares it (e.g. 30)"),
        "{err}"
    );
    let err = refused(&["validate"], |c| {
        config(c, "\n[targets.qa]\nopensearch_url = 9200\n");
    });
    assert!(
        err.contains("error: `opensearch_url` in [targets.qa] is an integer: it must be a string\n  --> ./siemctl.toml:14"),
        "{err}"
    );
    let err = refused(&["validate"], |c| {
        c.edit("siemctl.toml", "version = \"2.3.4\"", "version = \"2.3\"");
    });
    assert!(
        err.starts_with(
            "error: ./siemctl.toml:2: invalid [content].version: `2.3` is not a content version"
        ),
        "{err}"
    );
    let err = refused(&["validate"], |c| {
        c.edit("siemctl.toml", "[vars]", "[vars");
    });
    assert_eq!(
        err,
        "error: ./siemctl.toml:4:6: invalid configuration: unclosed table, expected `]`\nhint: siemctl.toml is TOML ([content] version, [vars], [target_defaults], [targets.NAME]): fix it at that place\n"
    );
    let err = refused(&["render", "--target", "prdo"], |_| {});
    assert_eq!(
        err,
        "error: no target `prdo` in `./siemctl.toml:10` (known targets: `prod`)\nhint: name one of them with --target, or add [targets.prdo] to siemctl.toml\n"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_named_and_never_echoed() {
    let secret = "hunter2-not-for-logs";
    let err = refused(&["validate"], |c| {
        let mut bytes = format!("{{\"password\": \"{secret}\" ").into_bytes();
        bytes.extend([0xff, 0xfe, b'}']);
        std::fs::write(c.path().join(VISUALIZATION), &bytes).unwrap();
    });
    assert!(
        err.contains(&format!(
            "error: this file is not UTF-8 text\n  --> {VISUALIZATION}\n  hint: save it as UTF-8"
        )),
        "{err}"
    );
    assert!(!err.contains(secret), "{err}");
    let err = refused(&["validate"], |c| {
        let mut bytes = format!("# {secret}\n").into_bytes();
        bytes.extend([0xff, b'\n']);
        std::fs::write(c.path().join("siemctl.toml"), &bytes).unwrap();
    });
    assert_eq!(
        err,
        "error: `./siemctl.toml` is not UTF-8 text: save it as UTF-8 (siemctl.toml is TOML, which is UTF-8)\n"
    );
}

#[test]
fn a_search_that_failed_to_load_is_not_reported_again_as_missing() {
    let err = refused(&["validate"], |c| {
        c.edit(SEARCH, "columns: [", "columns: [[");
        c.write(
            "dashboards/demo/failures.dashboard.json.hbs",
            r#"{
  "attributes": {
    "title": "Failures",
    "panelsJSON": [
      { "panelIndex": "1", "gridData": { "x": 0, "y": 0, "w": 24, "h": 15, "i": "1" }, "embeddableConfig": {}, "panelRefName": "panel_0" }
    ],
    "kibanaSavedObjectMeta": { "searchSourceJSON": { "query": { "query": "", "language": "kuery" }, "filter": [] } }
  },
  "references": [
    { "name": "panel_0", "type": "search", "id": "demo-failures" }
  ]
}
"#,
        );
    });
    assert!(!err.contains("not in the content"), "{err}");
    assert!(err.contains(&format!("  --> {SEARCH}:6:5")), "{err}");
    assert!(
        err.ends_with("error: validation failed: 1 problem in 1 file\n"),
        "{err}"
    );
}

#[test]
fn a_duplicate_title_in_json_is_reported_at_the_title() {
    let err = refused(&["validate"], |c| {
        let copy = c.read(VISUALIZATION);
        c.write("dashboards/demo/copy.visualization.json.hbs", &copy);
    });
    assert!(
        err.contains("error: visualization title `Demo: top actions` is already used: first defined in `dashboards/demo/copy.visualization.json.hbs`\n  --> dashboards/demo/demo-top-actions.visualization.json.hbs:3")
            || err.contains("error: visualization title `Demo: top actions` is already used: first defined in `dashboards/demo/demo-top-actions.visualization.json.hbs`\n  --> dashboards/demo/copy.visualization.json.hbs:3"),
        "{err}"
    );
}

#[test]
fn handlebars_syntax_errors_are_said_at_their_place() {
    let err = refused(&["validate"], |c| {
        c.edit(
            TEMPLATE,
            "\"{{label}} events\"",
            "\"{{#if label}}{{label}} events\"",
        );
    });
    insta::assert_snapshot!(err);
    assert!(!err.contains("expected"), "{err}");
    let err = refused(&["validate"], |c| {
        c.edit(TEMPLATE, "\"{{label}} events\"", "\"{{label} events\"");
    });
    assert!(
        err.starts_with(&format!("error: template syntax error: this `{{{{` is not closed with `}}}}` on its line\n  --> {TEMPLATE}:6:")),
        "{err}"
    );
}

#[test]
fn a_file_in_the_wrong_folder_is_told_where_it_goes() {
    let err = refused(&["validate"], |c| {
        let pipeline = c.read(PIPELINE);
        c.remove(PIPELINE);
        c.write("dashboards/demo/log-demo.pipeline.json.hbs", &pipeline);
    });
    assert!(
        err.contains("error: an ingest pipeline does not belong in this folder: it goes in index-templates/, in the folder of its log type\n  --> dashboards/demo/log-demo.pipeline.json.hbs\n  hint: move it to index-templates/demo/log-demo.pipeline.json.hbs"),
        "{err}"
    );
}

#[test]
fn a_missing_processor_option_says_which_and_gives_an_example() {
    let err = refused(&["validate"], |c| {
        c.edit(
            PIPELINE,
            "\"target_field\": \"@timestamp\"",
            "\"target\": \"@timestamp\"",
        );
        c.edit(
            PIPELINE,
            "{ \"json\": { \"field\": \"message\", ",
            "{ \"json\": { ",
        );
    });
    assert!(
        err.contains("error: [field] required property is missing\n  --> index-templates/demo/log-demo.pipeline.json.hbs:4\n  hint: the `json` processor needs `field`: add it inside \"json\": { ... }, e.g. \"field\": \"message\""),
        "{err}"
    );
}

#[test]
fn values_in_json_visualizations_are_checked_against_the_field_type() {
    let err = refused(&["validate"], |c| {
        c.edit(
            VISUALIZATION,
            "\"query\": \"event.outcome:failure\"",
            "\"query\": \"event.outcome:failure and source.ip:corp-network\"",
        );
        c.edit(
            VISUALIZATION,
            "\"filter\": [],",
            "\"filter\": [\n          { \"meta\": { \"key\": \"source.ip\", \"type\": \"phrase\", \"params\": { \"query\": \"office\" } }, \"query\": { \"match_phrase\": { \"source.ip\": \"office\" } } },\n          { \"meta\": { \"key\": \"@timestamp\", \"type\": \"range\", \"params\": { \"gte\": \"last tuesday\" } }, \"range\": { \"@timestamp\": { \"gte\": \"last tuesday\" } } },\n          { \"meta\": { \"key\": \"source.ip\", \"type\": \"phrase\", \"disabled\": true, \"params\": { \"query\": \"off\" } }, \"query\": { \"match_phrase\": { \"source.ip\": \"off\" } } }\n        ],",
        );
    });
    insta::assert_snapshot!(err);
    assert!(
        !err.contains("`off`"),
        "a disabled filter is not applied:\n{err}"
    );
}
