//! `siemctl validate`: each rule has a failing fixture and the message it produces.

use crate::common::{repo_root, run_in, TestContext};

const TEMPLATE: &str = "index-templates/demo/log-demo.index-template.json.hbs";
const COMPONENT: &str = "index-templates/demo/log-demo.component-template.json.hbs";
const PIPELINE: &str = "index-templates/demo/log-demo.pipeline.json.hbs";
const POLICY: &str = "index-templates/_common/retention.ism-policy.json.hbs";
const VISUALIZATION: &str = "dashboards/demo/demo-top-actions.visualization.json.hbs";
const DASHBOARD: &str = "dashboards/demo/demo.dashboard.json.hbs";
const SEARCH: &str = "saved-searches/demo/failures.yaml";

/// Runs validate on the fixture after `change`, expecting failure.
fn failing(change: impl FnOnce(&TestContext)) -> String {
    let ctx = TestContext::fixture("minimal");
    change(&ctx);
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 1, "validate should fail:\n{}", run.snapshot());
    run.snapshot()
}

#[test]
fn the_fixture_is_valid() {
    let ctx = TestContext::fixture("minimal");
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn the_bundled_content_validates_clean() {
    let run = run_in(&repo_root(), &["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.stdout.starts_with("ok: "), "{}", run.stdout);
}

#[test]
fn undefined_variable_names_file_and_line() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(TEMPLATE, "\"{{label}} events\"", "\"{{lable}} events\"");
    }));
}

#[test]
fn invalid_rendered_json_shows_the_line() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(TEMPLATE, "\"priority\": 100,", "\"priority\": {{label}},");
    }));
}

#[test]
fn index_template_shape() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            TEMPLATE,
            "\"index_patterns\": [\"{{index_prefix}}-demo-*\"],",
            "\"index_pattern\": [\"{{index_prefix}}-demo-*\"],",
        );
        c.edit(
            TEMPLATE,
            "[\"base\", \"log-demo\"]",
            "[\"bsae\", \"log-demo\"]",
        );
    }));
}

#[test]
fn doc_wrapper_in_composable_mappings() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            COMPONENT,
            "\"mappings\": {\n      \"properties\"",
            "\"mappings\": { \"_doc\": {\n      \"properties\"",
        );
        c.edit(COMPONENT, "    }\n  }\n}", "    } }\n  }\n}");
    }));
}

#[test]
fn templates_set_a_total_fields_limit() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            "index-templates/_common/base.component-template.json.hbs",
            ",\n        \"mapping\": { \"total_fields\": { \"limit\": 500 } }",
            "",
        );
    }));
}

#[test]
fn free_form_objects_must_be_flat_or_unindexed() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            COMPONENT,
            "\"requestParameters\": { \"type\": \"flat_object\" }",
            "\"requestParameters\": { \"type\": \"object\" }",
        );
    }));
}

#[test]
fn default_pipeline_must_exist() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            TEMPLATE,
            "\"default_pipeline\": \"log-demo\"",
            "\"default_pipeline\": \"log-dmeo\"",
        );
    }));
}

#[test]
fn version_is_set_by_siemctl() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            TEMPLATE,
            "\"priority\": 100,",
            "\"priority\": 100,\n  \"version\": 3,",
        );
    }));
}

#[test]
fn overlapping_templates_at_one_priority() {
    insta::assert_snapshot!(failing(|c| {
        c.write(
            "index-templates/demo/log-demo-copy.index-template.json.hbs",
            "{\n  \"index_patterns\": [\"log-*\"],\n  \"composed_of\": [\"base\"],\n  \"priority\": 100\n}\n",
        );
    }));
}

#[test]
fn pipeline_processors_are_checked_as_opensearch_would() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            PIPELINE,
            "{ \"json\": { \"field\": \"message\", \"target_field\": \"demo\" } }",
            "{ \"jsno\": { \"field\": \"message\" } }",
        );
        c.edit(PIPELINE, "\"formats\": [\"ISO8601\"], ", "");
        c.edit(
            PIPELINE,
            "\"description\": \"{{label}}: raw JSON in message to ECS\",",
            "\"description\": \"x\",\n  \"_meta\": { \"owner\": \"secops\" },",
        );
    }));
}

#[test]
fn pipeline_scripts_and_patterns_are_compiled_as_opensearch_would() {
    // The option rules cannot see inside a script or a grok pattern: the ingest engine builds the
    // pipeline as a node would and reports its refusal at the processor that causes it.
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            PIPELINE,
            "{ \"rename\":",
            "{ \"script\": { \"source\": \"ctx.event = [:]; ctx.event.kind = \\\"alert\\\"; ctx.x = ;\" } },\n    { \"rename\":",
        );
    }));
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            PIPELINE,
            "{ \"rename\":",
            "{ \"grok\": { \"field\": \"message\", \"patterns\": [\"%{IPP:source.ip}\"] } },\n    { \"rename\":",
        );
    }));
}

#[test]
fn pipeline_empty_on_failure() {
    insta::assert_snapshot!(failing(|c| {
        let text = c.read(PIPELINE);
        let start = text.find("\"on_failure\": [").unwrap();
        let end = text[start..].find(']').unwrap() + start + 1;
        c.write(
            PIPELINE,
            &format!("{}\"on_failure\": []{}", &text[..start], &text[end..]),
        );
    }));
}

#[test]
fn ism_states_must_exist() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            POLICY,
            "\"default_state\": \"hot\"",
            "\"default_state\": \"warm\"",
        );
        c.edit(
            POLICY,
            "\"state_name\": \"delete\"",
            "\"state_name\": \"deleted\"",
        );
    }));
}

#[test]
fn references_must_resolve() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            VISUALIZATION,
            "\"id\": \"log-demo\"",
            "\"id\": \"log-dmeo\"",
        );
        c.edit(DASHBOARD, "\"name\": \"panel_0\"", "\"name\": \"panel_1\"");
    }));
}

#[test]
fn ids_and_titles_are_unique_per_kind() {
    // Each repeat is reported at the file the analyst just added, naming the one there before
    // (by modification time: the fixture's own file is made an hour old).
    insta::assert_snapshot!(failing(|c| {
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(c.path().join(SEARCH))
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        let yaml = c
            .read(SEARCH)
            .replace("id: demo-failures", "id: demo-failures-2");
        c.write("saved-searches/demo/failures-copy.yaml", &yaml);
        c.write(
            "saved-searches/demo/again.yaml",
            "id: demo-failures\ntitle: Another\nquery: event.action:x\n",
        );
    }));
}

#[test]
fn json_string_attributes_are_written_as_json() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            VISUALIZATION,
            "\"uiStateJSON\": {},",
            "\"uiStateJSON\": \"{}\",",
        );
    }));
}

#[test]
fn index_patterns_do_not_ship_fields() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            "dashboards/demo/log-demo.index-pattern.json.hbs",
            "\"timeFieldName\": \"@timestamp\"",
            "\"timeFieldName\": \"@timestamp\",\n    \"fields\": []",
        );
    }));
}

#[test]
fn saved_search_query_must_parse() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            SEARCH,
            "query: event.outcome:failure and not user.name:root",
            "query: event.outcome:failure and (user.name:root",
        );
    }));
}

#[test]
fn lucene_saved_search_query_must_parse() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            SEARCH,
            "query: event.outcome:failure and not user.name:root",
            "language: lucene\nquery: 'event.outcome:failure AND user.name:\"root'",
        );
    }));
}

#[test]
fn saved_search_fields_must_be_mapped() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(SEARCH, "not user.name:root", "not user.nmae:root");
        c.edit(
            SEARCH,
            "columns: [user.name, source.ip, event.action]",
            "columns: [user.name, source.address, event.action]",
        );
        c.edit(SEARCH, "- field: demo.region", "- field: demo.regoin");
    }));
}

#[test]
fn visualization_fields_must_be_mapped_and_aggregatable() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            VISUALIZATION,
            "\"field\": \"event.action\"",
            "\"field\": \"message\"",
        );
    }));
}

#[test]
fn field_types_agree_across_log_types() {
    insta::assert_snapshot!(failing(|c| {
        c.write(
            "index-templates/other/log-other.component-template.json.hbs",
            "{\n  \"template\": {\n    \"mappings\": {\n      \"properties\": {\n        \"source\": { \"properties\": { \"ip\": { \"type\": \"keyword\" } } }\n      }\n    }\n  }\n}\n",
        );
        c.write(
            "index-templates/other/log-other.index-template.json.hbs",
            "{\n  \"index_patterns\": [\"log-other-*\"],\n  \"composed_of\": [\"base\", \"log-other\"],\n  \"priority\": 100\n}\n",
        );
        c.write(
            "dashboards/_common/log-all.index-pattern.json.hbs",
            "{ \"attributes\": { \"title\": \"log-*\", \"timeFieldName\": \"@timestamp\" } }\n",
        );
    }));
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let ctx = TestContext::fixture("minimal");
    ctx.edit(TEMPLATE, "\"{{label}} events\"", "\"{{lable}} events\"");
    ctx.edit(
        POLICY,
        "\"default_state\": \"hot\"",
        "\"default_state\": \"warm\"",
    );
    ctx.edit(PIPELINE, "\"json\": {", "\"jsno\": {");
    let run = ctx.siemctl(&["validate", "--output", "json"]);
    assert_eq!(run.code, 1);
    let doc = run.json();
    let problems = doc["data"]["problems"].as_array().unwrap();
    let files: Vec<&str> = problems
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, [POLICY, TEMPLATE, PIPELINE], "{doc:#}");
    assert_eq!(problems[1]["line"], 6);
    assert!(problems[1]["message"].as_str().unwrap().contains("lable"));
    assert!(problems[2]["message"].as_str().unwrap().contains("jsno"));
    assert_eq!(
        doc["error"]["message"],
        "validation failed: 3 problems in 3 files"
    );
}

#[test]
fn unknown_files_are_reported() {
    insta::assert_snapshot!(failing(|c| {
        c.write("dashboards/demo/notes.json", "{}");
        c.write("index-templates/demo/log-demo.visualization.json.hbs", "{}");
    }));
}

#[test]
fn the_ignored_metadata_field_is_searchable_but_not_aggregatable() {
    let ctx = TestContext::fixture("minimal");
    ctx.edit(
        SEARCH,
        "query: event.outcome:failure and not user.name:root",
        "query: event.outcome:failure and _ignored:*",
    );
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            VISUALIZATION,
            r#""params": { "field": "event.action""#,
            r#""params": { "field": "_ignored""#,
        );
    }));
}

#[test]
fn the_triple_stash_is_refused_because_it_skips_json_escaping() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(TEMPLATE, "\"{{label}} events\"", "\"{{{label}}} events\"");
    }));
    // The same value through `{{label}}` stays inside its string: no attribute is injected.
    let ctx = TestContext::fixture("minimal");
    let out = tempfile::tempdir().unwrap();
    let run = ctx.siemctl(&[
        "render",
        "--var",
        "label=x\", \"injected\": \"yes",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let rendered =
        std::fs::read_to_string(out.path().join("index_template/log-demo.json")).unwrap();
    let template: serde_json::Value = serde_json::from_str(&rendered).unwrap();
    assert_eq!(
        template["_meta"]["description"],
        "x\", \"injected\": \"yes events"
    );
    assert!(template.get("injected").is_none() && template["_meta"].get("injected").is_none());
}

#[test]
fn the_queries_of_a_filters_aggregation_are_checked() {
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            VISUALIZATION,
            r#"{ "id": "2", "enabled": true, "type": "terms", "schema": "bucket", "params": { "field": "event.action", "size": 10, "order": "desc", "orderBy": "1" } }"#,
            r#"{ "id": "2", "enabled": true, "type": "filters", "schema": "bucket", "params": { "filters": [ { "input": { "query": "event.action:(", "language": "kuery" }, "label": "" }, { "input": { "query": "event.acton:login", "language": "kuery" }, "label": "" } ] } }"#,
        );
    }));
}

/// Each YAML slip an analyst makes in a saved search, with the problem validate reports.
fn yaml_slip(name: &str, yaml: &str) -> String {
    let out = failing(|c| {
        c.write(SEARCH, yaml);
    });
    format!("--- {name}\n{yaml}\n{out}")
}

#[test]
fn yaml_slips_in_saved_searches_are_explained_in_plain_words() {
    let slips = [
        (
            "unquoted colon in the title",
            "id: demo-failures\ntitle: Demo: failures\nquery: event.outcome:failure\n",
        ),
        (
            "unquoted colon and space in the query",
            "id: demo-failures\ntitle: \"Demo: failures\"\nquery: event.outcome: failure\ncolumns: [user.name]\n",
        ),
        (
            "a tab in the indentation",
            "id: demo-failures\ntitle: \"Demo: failures\"\nquery: event.outcome:failure\nfilters:\n\t- field: demo.region\n\t  value: us-east-1\n",
        ),
        (
            "a key indented by one space",
            "id: demo-failures\n title: \"Demo: failures\"\nquery: event.outcome:failure\n",
        ),
        (
            "a filter key out of line",
            "id: demo-failures\ntitle: \"Demo: failures\"\nquery: event.outcome:failure\nfilters:\n  - field: demo.region\n     value: us-east-1\n",
        ),
        (
            "a quote never closed",
            "id: demo-failures\ntitle: \"Demo: failures\nquery: event.outcome:failure\n",
        ),
        (
            "a misspelt key",
            "id: demo-failures\ntitle: \"Demo: failures\"\nquery: event.outcome:failure\ncolums: [user.name]\n",
        ),
        (
            "a misspelt filter key",
            "id: demo-failures\ntitle: \"Demo: failures\"\nfilters:\n  - field: demo.region\n    vaule: us-east-1\n",
        ),
        (
            "columns as one word",
            "id: demo-failures\ntitle: \"Demo: failures\"\ncolumns: user.name\n",
        ),
        ("no title", "id: demo-failures\nquery: event.outcome:failure\n"),
    ];
    let all: Vec<String> = slips.iter().map(|(n, y)| yaml_slip(n, y)).collect();
    let text = all.join("\n");
    for jargon in [
        "simple key",
        "expected key",
        "scalar",
        "mapping",
        "sequence",
        "invalid type",
    ] {
        assert!(
            !text.contains(jargon),
            "parser jargon `{jargon}` in:\n{text}"
        );
    }
    insta::assert_snapshot!(text);
}

/// An error inside a query written over several lines is reported at its line and column in
/// the file, for each way YAML writes a multi-line value.
#[test]
fn errors_in_multi_line_queries_point_at_the_file_line_and_column() {
    let query_lines = "event.outcome:failure\n  and user.name:root\n  and (event.action:login";
    let styles = [
        ("literal block", format!("query: |\n  {query_lines}\n")),
        ("folded block", format!("query: >\n  {query_lines}\n")),
        (
            "double-quoted over lines",
            format!("query: \"{query_lines}\"\n"),
        ),
    ];
    let mut all = Vec::new();
    for (name, query) in styles {
        let yaml =
            format!("id: demo-failures\ntitle: \"Demo: failures\"\ncolumns: [user.name]\n{query}");
        all.push(yaml_slip(name, &yaml));
        // The `(` opened on the query's third line: line 6 (or 5, quoted) of the file.
    }
    // An unmapped field on a later line of a folded query is reported on its own line.
    let yaml = "id: demo-failures\ntitle: \"Demo: failures\"\nquery: >\n  event.outcome:failure\n  and user.nmae:root\n";
    all.push(yaml_slip("unmapped field in a folded block", yaml));
    insta::assert_snapshot!(all.join("\n"));
}

/// Values compared with an `ip`, number or date field are checked as OpenSearch parses them:
/// the search would fail on every shard. Addresses, CIDR ranges, numbers, dates and date math
/// pass; keyword fields take anything.
#[test]
fn query_values_are_checked_against_the_field_type() {
    const BASE: &str = "index-templates/_common/base.component-template.json.hbs";
    let severity = |c: &TestContext| {
        c.edit(
            BASE,
            "\"outcome\": { \"type\": \"keyword\" }",
            "\"outcome\": { \"type\": \"keyword\" }, \"severity\": { \"type\": \"long\" }",
        );
    };
    let ctx = TestContext::fixture("minimal");
    severity(&ctx);
    ctx.edit(
        SEARCH,
        "query: event.outcome:failure and not user.name:root",
        "query: event.severity >= 70 and source.ip:10.0.0.0/8 and not source.ip:\"2001:db8::1\" and @timestamp >= now-1d and @timestamp < \"2024-01-31\" and user.name:corp-network",
    );
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let dql = failing(|c| {
        severity(c);
        c.edit(
            SEARCH,
            "query: event.outcome:failure and not user.name:root",
            "query: >\n  event.outcome:failure\n  and source.ip:corp-network\n  and @timestamp >= yesterday\n  and event.severity >= high",
        );
    });
    let lucene = failing(|c| {
        c.edit(
            SEARCH,
            "query: event.outcome:failure and not user.name:root",
            "language: lucene\nquery: 'source.ip:[10.0.0.1 TO gateway] AND @timestamp:[last-week TO now]'",
        );
    });
    insta::assert_snapshot!(format!("{dql}\n{lucene}"));
}

/// The `filters` of a YAML search are `match_phrase` pills on their field: a value the field's
/// type cannot hold fails every shard, as in a query. Each is reported at the value's line and
/// column, a list's items each at their own.
#[test]
fn yaml_search_filter_values_are_checked_against_the_field_type() {
    const FILTERS: &str = "filters:\n  - field: demo.region\n    value: us-east-1\n";
    let ctx = TestContext::fixture("minimal");
    ctx.edit(
        SEARCH,
        FILTERS,
        "filters:\n  - field: demo.region\n    value: corp-network\n  - field: source.ip\n    value: [10.0.0.1, 10.0.0.0/8]\n    negate: true\n  - field: \"@timestamp\"\n    value: 2024-01-31\n",
    );
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(failing(|c| {
        c.edit(
            SEARCH,
            FILTERS,
            "filters:\n  - field: source.ip\n    value: corp-network\n  - field: source.ip\n    value: [10.0.0.1, office, \"gateway\"]\n    negate: true\n  - field: \"@timestamp\"\n    value: last tuesday\n",
        );
    }));
}

/// A date field's own `format` decides which dates a query may compare it with: a custom
/// pattern reads its own layout and not ISO dates, `epoch_second` reads seconds; date math is
/// read whatever the format. Errors name the format and show a date written in it.
#[test]
fn date_values_are_read_with_the_fields_format() {
    const BASE: &str = "index-templates/_common/base.component-template.json.hbs";
    let formats = |c: &TestContext| {
        c.edit(
            BASE,
            "\"outcome\": { \"type\": \"keyword\" }",
            "\"outcome\": { \"type\": \"keyword\" }, \"created\": { \"type\": \"date\", \"format\": \"yyyy-MM-dd HH:mm:ss\" }, \"ingested\": { \"type\": \"date\", \"format\": \"epoch_second\" }",
        );
    };
    let ctx = TestContext::fixture("minimal");
    formats(&ctx);
    ctx.edit(
        SEARCH,
        "query: event.outcome:failure and not user.name:root",
        "query: 'event.created >= \"2024-01-31 10:00:00\" and event.created < now-1d/d and event.ingested > 1706659200 and @timestamp <= \"2024-01-31||+1M\"'",
    );
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(failing(|c| {
        formats(c);
        c.edit(
            SEARCH,
            "query: event.outcome:failure and not user.name:root",
            "query: >\n  event.created >= \"2024-01-31T10:00:00Z\"\n  and event.ingested > \"2024-01-31\"\n  and @timestamp > now-1x",
        );
        c.edit(
            SEARCH,
            "  - field: demo.region\n    value: us-east-1\n",
            "  - field: event.created\n    value: 31/01/2024\n",
        );
    }));
}

/// A built-in date format siemctl does not implement (`basic_date_time`) cannot say whether a
/// value is a date in it: validate passes and warns that the value was not checked, rather
/// than passing it silently or failing it. Date math needs no format, and a value another part
/// of the format reads is checked.
#[test]
fn values_of_a_date_format_siemctl_cannot_read_are_warned_as_not_checked() {
    const BASE: &str = "index-templates/_common/base.component-template.json.hbs";
    let ctx = TestContext::fixture("minimal");
    ctx.edit(
        BASE,
        "\"outcome\": { \"type\": \"keyword\" }",
        "\"outcome\": { \"type\": \"keyword\" }, \"created\": { \"type\": \"date\", \"format\": \"basic_date_time||epoch_second\" }",
    );
    ctx.edit(
        SEARCH,
        "query: event.outcome:failure and not user.name:root",
        "query: 'event.created:\"20240131T101112.000Z\" and event.created > now-7d and event.created < 1706659200'",
    );
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
}

/// In a JSON visualization the field's format applies too: a range pill's ends are read with
/// the pill's own `format` when it has one (Dashboards' date histogram filters carry
/// `strict_date_optional_time`), else with the field's; a `filters` aggregation's query and a
/// phrase pill with the field's. A warning for a value siemctl cannot check names the line.
#[test]
fn json_visualization_dates_are_read_with_the_fields_or_the_filters_format() {
    const BASE: &str = "index-templates/_common/base.component-template.json.hbs";
    let pill = |params: &str| {
        format!("{{ \"meta\": {{ \"key\": \"event.ingested\", \"type\": \"range\", \"params\": {params} }}, \"range\": {{ \"event.ingested\": {params} }} }}")
    };
    let formats = |c: &TestContext| {
        c.edit(
            BASE,
            "\"outcome\": { \"type\": \"keyword\" }",
            "\"outcome\": { \"type\": \"keyword\" }, \"ingested\": { \"type\": \"date\", \"format\": \"epoch_second\" }, \"created\": { \"type\": \"date\", \"format\": \"basic_date\" }",
        );
    };
    let ctx = TestContext::fixture("minimal");
    formats(&ctx);
    let iso = pill("{ \"gte\": \"2024-01-31T00:00:00.000Z\", \"lt\": \"2024-02-01T00:00:00.000Z\", \"format\": \"strict_date_optional_time\" }");
    let seconds = pill("{ \"gte\": 1706659200 }");
    ctx.edit(
        VISUALIZATION,
        "\"filter\": [],",
        &format!("\"filter\": [\n          {iso},\n          {seconds}\n        ],"),
    );
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(failing(|c| {
        formats(c);
        let iso = pill("{ \"gte\": \"2024-01-31T00:00:00.000Z\" }");
        let created = "{ \"meta\": { \"key\": \"event.created\", \"type\": \"phrase\", \"params\": { \"query\": \"20240131\" } }, \"query\": { \"match_phrase\": { \"event.created\": \"20240131\" } } }";
        c.edit(
            VISUALIZATION,
            "\"filter\": [],",
            &format!("\"filter\": [\n          {iso},\n          {created}\n        ],"),
        );
        c.edit(
            VISUALIZATION,
            "\"params\": { \"field\": \"event.action\", \"size\": 10, \"order\": \"desc\", \"orderBy\": \"1\" } }",
            "\"params\": { \"field\": \"event.action\", \"size\": 10, \"order\": \"desc\", \"orderBy\": \"1\" } },\n        { \"id\": \"3\", \"enabled\": true, \"type\": \"filters\", \"schema\": \"bucket\", \"params\": { \"filters\": [{ \"input\": { \"query\": \"event.ingested >= yesterday\", \"language\": \"kuery\" }, \"label\": \"\" }] } }",
        );
    }));
}
