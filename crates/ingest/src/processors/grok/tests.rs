//! The cases of upstream's `GrokProcessorTests.java` and `GrokProcessorFactoryTests.java`.

use serde_json::json;

use crate::grok::testing::{build, build_err};
use crate::test_support::{run_err, run_ok, source};

fn grok(config: serde_json::Value) -> Box<dyn crate::processor::Processor> {
    build("grok", config)
}

#[test]
fn factory_errors() {
    let e = build_err("grok", json!({"patterns": ["(?<foo>\\w+)"]}));
    assert_eq!(e.reason(), "[field] required property is missing");
    let e = build_err("grok", json!({"field": "foo"}));
    assert_eq!(e.reason(), "[patterns] required property is missing");
    let e = build_err("grok", json!({"field": "foo", "patterns": []}));
    assert_eq!(e.reason(), "[patterns] List of patterns must not be empty");
    let e = build_err("grok", json!({"field": "_field", "patterns": ["["]}));
    assert_eq!(
        e.reason(),
        "[patterns] Invalid regex pattern found in: [[]. premature end of char-class"
    );
    assert_eq!(e.type_, "parse_exception");
    let e = build_err(
        "grok",
        json!({"field": "_field", "patterns": ["%{MY_PATTERN:name}!"], "pattern_definitions": {"MY_PATTERN": "["}}),
    );
    assert_eq!(
        e.reason(),
        "[patterns] Invalid regex pattern found in: [%{MY_PATTERN:name}!]. premature end of char-class"
    );
    let e = build_err(
        "grok",
        json!({"field": "f", "patterns": ["%{NOTONE:not_one}"]}),
    );
    assert_eq!(
        e.reason(),
        "[patterns] Invalid regex pattern found in: [%{NOTONE:not_one}]. Unable to find pattern [NOTONE] in Grok's pattern dictionary"
    );
    // OpenSearch 2.19 has no capture_all_matches (added in 3.3.0).
    let e = build_err(
        "grok",
        json!({"field": "f", "patterns": ["%{IP:ip}"], "capture_all_matches": true}),
    );
    assert_eq!(
        e.reason(),
        "processor [grok] doesn't support one or more provided configuration parameters [capture_all_matches]"
    );
}

#[test]
fn custom_patterns() {
    let p = grok(
        json!({"field": "_field", "patterns": ["%{MY_PATTERN:name}!"], "pattern_definitions": {"MY_PATTERN": "foo"}}),
    );
    let d = run_ok(&p, json!({"_field": "foo!"}));
    assert_eq!(source(&d)["name"], "foo");
}

#[test]
fn match_and_no_match() {
    let p = grok(
        json!({"field": "f", "patterns": ["%{ONE:one}"], "pattern_definitions": {"ONE": "1"}}),
    );
    assert_eq!(source(&run_ok(&p, json!({"f": "1"})))["one"], "1");
    let e = run_err(&p, json!({"f": "23"}));
    assert_eq!(
        e.reason(),
        "Provided Grok expressions do not match field value: [23]"
    );
    assert_eq!(e.type_, "illegal_argument_exception");
}

#[test]
fn ignore_case_inline_option() {
    let p = grok(json!({"field": "f", "patterns": ["(?<a>(?i)A)"]}));
    assert_eq!(source(&run_ok(&p, json!({"f": "A"})))["a"], "A");
}

#[test]
fn match_without_captures_leaves_the_document() {
    let p = grok(json!({"field": "value", "patterns": ["value"]}));
    assert_eq!(
        source(&run_ok(&p, json!({"value": "value"}))),
        json!({"value": "value"})
    );
}

#[test]
fn null_missing_and_non_string_fields() {
    let p = grok(
        json!({"field": "f", "patterns": ["%{ONE:one}"], "pattern_definitions": {"ONE": "1"}}),
    );
    assert_eq!(
        run_err(&p, json!({"f": null})).reason(),
        "field [f] is null, cannot process it."
    );
    assert_eq!(
        run_err(&p, json!({"f": 1})).reason(),
        "field [f] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
    );
    let p2 = grok(
        json!({"field": "foo.bar", "patterns": ["%{ONE:one}"], "pattern_definitions": {"ONE": "1"}}),
    );
    assert_eq!(
        run_err(&p2, json!({})).reason(),
        "field [foo] not present as part of path [foo.bar]"
    );
    let pi = grok(
        json!({"field": "f", "patterns": ["%{ONE:one}"], "pattern_definitions": {"ONE": "1"}, "ignore_missing": true}),
    );
    assert_eq!(source(&run_ok(&pi, json!({"f": null}))), json!({"f": null}));
    assert_eq!(source(&run_ok(&pi, json!({}))), json!({}));
    assert_eq!(
        run_err(&pi, json!({"f": 1})).reason(),
        "field [f] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
    );
}

fn bank123() -> serde_json::Value {
    json!({"ONE": "1", "TWO": "2", "THREE": "3"})
}

#[test]
fn multiple_patterns_first_match_and_trace() {
    let p = grok(
        json!({"field": "f", "patterns": ["%{ONE:one}", "%{TWO:two}", "%{THREE:three}"], "pattern_definitions": bank123()}),
    );
    let d = run_ok(&p, json!({"f": "2"}));
    assert_eq!(source(&d), json!({"f": "2", "two": "2"}));
    let p = grok(
        json!({"field": "f", "patterns": ["%{ONE:one}", "%{TWO:two}", "%{THREE:three}"], "pattern_definitions": bank123(), "trace_match": true}),
    );
    let d = run_ok(&p, json!({"f": "abc23"}));
    assert_eq!(source(&d), json!({"f": "abc23", "two": "2"}));
    assert_eq!(d.ingest_field("_grok_match_index").as_str(), Some("1"));
    let p = grok(
        json!({"field": "f", "patterns": ["%{ONE:one}"], "pattern_definitions": bank123(), "trace_match": true}),
    );
    let d = run_ok(&p, json!({"f": "first1"}));
    assert_eq!(source(&d)["one"], "1");
    assert_eq!(d.ingest_field("_grok_match_index").as_str(), Some("0"));
}

#[test]
fn combined_patterns() {
    use super::combine_patterns;
    let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(combine_patterns(&v(&[""]), false), "");
    assert_eq!(combine_patterns(&v(&[""]), true), "");
    assert_eq!(combine_patterns(&v(&["foo"]), true), "foo");
    assert_eq!(
        combine_patterns(&v(&["foo", "bar"]), false),
        "(?:foo)|(?:bar)"
    );
    assert_eq!(
        combine_patterns(&v(&["foo", "bar"]), true),
        "(?<_ingest._grok_match_index.0>foo)|(?<_ingest._grok_match_index.1>bar)"
    );
}

#[test]
fn same_pattern_name_across_patterns_and_first_win() {
    let p = grok(
        json!({"field": "f", "patterns": ["%{ONE:first}-%{TWO:second}", "%{ONE:first}-%{THREE:second}"], "pattern_definitions": bank123()}),
    );
    let d = run_ok(&p, json!({"f": "1-3"}));
    assert_eq!(source(&d)["first"], "1");
    assert_eq!(source(&d)["second"], "3");
    let p = grok(
        json!({"field": "f", "patterns": ["%{ONETWO:first}%{ONETWO:first}"], "pattern_definitions": {"ONETWO": "1|2"}}),
    );
    assert_eq!(source(&run_ok(&p, json!({"f": "12"})))["first"], "1");
    let p = grok(
        json!({"field": "f", "patterns": ["%{ONETWO:first}|%{THREE:second}"], "pattern_definitions": {"ONETWO": "1|2", "THREE": "3"}}),
    );
    let d = run_ok(&p, json!({"f": "3"}));
    assert_eq!(source(&d), json!({"f": "3", "second": "3"}));
}

#[test]
fn capture_all_matches_default_keeps_the_first_value() {
    // 121_grok_capture_all_matches.yml, the case that applies to 2.19.
    let p = grok(
        json!({"field": "field1", "patterns": ["%{IP:ipAddress} %{IP:ipAddress} %{IP:ipAddress}"]}),
    );
    let d = run_ok(&p, json!({"field1": "192.168.1.1 10.0.0.1 172.16.0.1"}));
    assert_eq!(source(&d)["ipAddress"], "192.168.1.1");
}

#[test]
fn dotted_names_are_nested_fields_and_types_convert() {
    let p = grok(
        json!({"field": "message", "patterns": ["%{IP:source.ip} %{NUMBER:http.response.status_code:int} %{NUMBER:bytes:long} %{NUMBER:took:float} %{NUMBER:ratio:double} %{WORD:ok:boolean}"]}),
    );
    let d = run_ok(&p, json!({"message": "10.0.0.1 200 123 1.5 2.25 TRUE"}));
    let s = source(&d);
    assert_eq!(s["source"]["ip"], "10.0.0.1");
    assert_eq!(s["http"]["response"]["status_code"], 200);
    assert_eq!(s["bytes"], 123);
    assert_eq!(s["took"], 1.5);
    assert_eq!(s["ratio"], 2.25);
    assert_eq!(s["ok"], true);
}

#[test]
fn conversion_failure_is_a_number_format_exception() {
    let p = grok(json!({"field": "f", "patterns": ["%{WORD:n:int}"]}));
    let e = run_err(&p, json!({"f": "abc"}));
    assert_eq!(e.type_, "number_format_exception");
    assert_eq!(e.reason(), "For input string: \"abc\"");
}
