//! Cases of `server/src/test/java/org/opensearch/ingest/IngestDocumentTests.java`.

use serde_json::json;

use super::*;
use crate::test_support::{doc, fixed_now};

fn sample() -> IngestDocument {
    doc(json!({
        "foo": "bar",
        "int": 123,
        "fizz": {"buzz": "hello world", "foo_null": null, "1": "bar", "list": [{"field": "value"}]},
        "list": [{"field": "value"}, {}],
        "list2": [{"field": "value"}, {"field": "value2"}],
        "empty_list": []
    }))
}

fn json_of(v: &Value) -> serde_json::Value {
    painless::value::to_json(v).unwrap()
}

#[test]
fn simple_and_nested_get() {
    let d = sample();
    assert_eq!(json_of(&d.field("foo").unwrap()), json!("bar"));
    assert_eq!(json_of(&d.field("int").unwrap()), json!(123));
    assert_eq!(
        json_of(&d.field("fizz.buzz").unwrap()),
        json!("hello world")
    );
    assert_eq!(json_of(&d.field("fizz.1").unwrap()), json!("bar"));
    assert_eq!(json_of(&d.field("list.0.field").unwrap()), json!("value"));
    assert_eq!(json_of(&d.field("_source.foo").unwrap()), json!("bar"));
    assert_eq!(json_of(&d.field("_index").unwrap()), json!("_index"));
    assert!(d.field("fizz.foo_null").unwrap().is_null());
    assert!(matches!(
        d.field("_ingest.timestamp").unwrap(),
        Value::Object(_)
    ));
}

#[test]
fn get_errors() {
    let d = sample();
    let reason = |p: &str| d.field(p).unwrap_err().reason().to_string();
    assert_eq!(
        reason("not.here"),
        "field [not] not present as part of path [not.here]"
    );
    assert_eq!(
        reason("fizz.foo_null.x"),
        "cannot resolve [x] from null as part of path [fizz.foo_null.x]"
    );
    assert_eq!(
        reason("foo.bar"),
        "cannot resolve [bar] from object of type [java.lang.String] as part of path [foo.bar]"
    );
    assert_eq!(
        reason("list.10"),
        "[10] is out of bounds for array with length [2] as part of path [list.10]"
    );
    assert_eq!(
        reason("list.x"),
        "[x] is not an integer, cannot be used as an index as part of path [list.x]"
    );
    assert_eq!(reason(""), "path cannot be null nor empty");
    assert_eq!(reason("_ingest."), "path [_ingest.] is not valid");
    assert_eq!(reason("_source."), "path [_source.] is not valid");
    let e = d.field("list.x").unwrap_err();
    assert_eq!(
        e.caused_by.as_ref().unwrap().reason(),
        "For input string: \"x\""
    );
}

#[test]
fn has_field() {
    let d = sample();
    assert!(d.has_field("fizz.buzz"));
    assert!(d.has_field("fizz.foo_null"));
    assert!(d.has_field("list.0.field"));
    assert!(!d.has_field("list.10"));
    assert!(!d.has_field("list.x"));
    assert!(!d.has_field("foo.bar"));
    assert!(!d.has_field("fizz.foo_null.x"));
    assert!(d.has_field("_ingest.timestamp"));
    assert_eq!(
        d.has_field_checked("list.10", true).unwrap_err().reason(),
        "[10] is out of bounds for array with length [2] as part of path [list.10]"
    );
    assert_eq!(
        d.has_field_checked("", false).unwrap_err().reason(),
        "path cannot be null nor empty"
    );
}

#[test]
fn set_creates_maps_and_replaces() {
    let mut d = sample();
    d.set_field("new.nested.field", Value::from("v")).unwrap();
    assert_eq!(
        json_of(&d.field("new").unwrap()),
        json!({"nested": {"field": "v"}})
    );
    d.set_field("list.1", Value::from("x")).unwrap();
    assert_eq!(json_of(&d.field("list.1").unwrap()), json!("x"));
    d.set_field("_ingest.custom", Value::Int(1)).unwrap();
    assert_eq!(json_of(&d.ingest_field("custom")), json!(1));
    let err = |d: &mut IngestDocument, p: &str| {
        d.set_field(p, Value::Null)
            .unwrap_err()
            .reason()
            .to_string()
    };
    assert_eq!(
        err(&mut d, "foo.x"),
        "cannot set [x] with parent object of type [java.lang.String] as part of path [foo.x]"
    );
    assert_eq!(
        err(&mut d, "foo.x.y"),
        "cannot resolve [x] from object of type [java.lang.String] as part of path [foo.x.y]"
    );
    assert_eq!(
        err(&mut d, "fizz.foo_null.x"),
        "cannot set [x] with null parent as part of path [fizz.foo_null.x]"
    );
    assert_eq!(
        err(&mut d, "fizz.foo_null.x.y"),
        "cannot resolve [x] from null as part of path [fizz.foo_null.x.y]"
    );
    assert_eq!(
        err(&mut d, "list.5"),
        "[5] is out of bounds for array with length [2] as part of path [list.5]"
    );
    assert_eq!(
        err(&mut d, "list.a"),
        "[a] is not an integer, cannot be used as an index as part of path [list.a]"
    );
}

#[test]
fn append() {
    let mut d = sample();
    d.append_field("foo", Value::from("x"), true).unwrap();
    assert_eq!(json_of(&d.field("foo").unwrap()), json!(["bar", "x"]));
    d.append_field(
        "new_list",
        Value::list_from(vec![Value::Int(1), Value::Int(2)]),
        true,
    )
    .unwrap();
    assert_eq!(json_of(&d.field("new_list").unwrap()), json!([1, 2]));
    d.append_field(
        "new_list",
        Value::list_from(vec![Value::Int(2), Value::Int(3)]),
        false,
    )
    .unwrap();
    assert_eq!(json_of(&d.field("new_list").unwrap()), json!([1, 2, 3]));
    d.append_field("list.0", Value::from("z"), true).unwrap();
    assert_eq!(
        json_of(&d.field("list.0").unwrap()),
        json!([{"field": "value"}, "z"])
    );
    d.append_field("empty_list", Value::Null, true).unwrap();
    assert_eq!(json_of(&d.field("empty_list").unwrap()), json!([null]));
}

#[test]
fn remove() {
    let mut d = sample();
    d.remove_field("fizz.buzz").unwrap();
    assert!(!d.has_field("fizz.buzz"));
    d.remove_field("list.0").unwrap();
    assert_eq!(json_of(&d.field("list").unwrap()), json!([{}]));
    let err = |d: &mut IngestDocument, p: &str| d.remove_field(p).unwrap_err().reason().to_string();
    assert_eq!(
        err(&mut d, "nope"),
        "field [nope] not present as part of path [nope]"
    );
    assert_eq!(
        err(&mut d, "foo.bar"),
        "cannot remove [bar] from object of type [java.lang.String] as part of path [foo.bar]"
    );
    assert_eq!(
        err(&mut d, "fizz.foo_null.x"),
        "cannot remove [x] from null as part of path [fizz.foo_null.x]"
    );
    assert_eq!(
        err(&mut d, "list.4"),
        "[4] is out of bounds for array with length [1] as part of path [list.4]"
    );
    d.remove_field("_ingest.timestamp").unwrap();
    assert!(!d.has_field("_ingest.timestamp"));
}

#[test]
fn java_split_keeps_leading_and_drops_trailing_empties() {
    assert_eq!(java_split_dots("a.b"), ["a", "b"]);
    assert_eq!(java_split_dots("a."), ["a"]);
    assert_eq!(java_split_dots(".a"), ["", "a"]);
    assert_eq!(java_split_dots("a..b"), ["a", "", "b"]);
    assert!(java_split_dots("..").is_empty());
}

#[test]
fn templates_see_source_metadata_and_ingest() {
    let d = sample();
    let t = Template::compile("{{foo}} {{_source.int}} {{_index}} {{_ingest.timestamp}}").unwrap();
    assert_eq!(d.render(&t).unwrap(), "bar 123 _index 2026-12-01T12:00Z");
}

#[test]
fn timestamps_print_as_java_does() {
    let t = Timestamp {
        epoch_nanos: 1_796_126_400_123_456_000,
    };
    assert_eq!(t.java_to_string(), "2026-12-01T12:00:00.123456Z");
    assert_eq!(t.xcontent_string(), "2026-12-01T12:00:00.123456Z");
    let t = fixed_now();
    assert_eq!(t.java_to_string(), "2026-12-01T12:00Z");
    assert_eq!(t.xcontent_string(), "2026-12-01T12:00:00.000Z");
    let t = Timestamp {
        epoch_nanos: 1_796_126_401_500_000_000,
    };
    assert_eq!(t.java_to_string(), "2026-12-01T12:00:01.500Z");
    assert_eq!(
        t.xcontent_string(),
        "2026-12-01T12:00:01.5Z".replace(".5Z", ".500Z")
    );
}

#[test]
fn simulate_json_puts_metadata_beside_source() {
    let mut d = sample();
    d.set_field("_routing", Value::from("r")).unwrap();
    let j = d.to_simulate_json().unwrap();
    assert_eq!(j["_index"], "_index");
    assert_eq!(j["_id"], "_id");
    assert_eq!(j["_routing"], "r");
    assert!(j["_source"].get("_index").is_none());
    assert_eq!(j["_ingest"]["timestamp"], "2026-12-01T12:00:00.000Z");
    // the document itself keeps its metadata
    assert!(d.has_field("_index"));
}

#[test]
fn deep_copy_is_independent() {
    let d = sample();
    let mut c = d.deep_copy();
    c.set_field("fizz.buzz", Value::from("changed")).unwrap();
    assert_eq!(
        json_of(&d.field("fizz.buzz").unwrap()),
        json!("hello world")
    );
}

#[test]
fn pipeline_stack() {
    let mut d = sample();
    let prev = d.enter_pipeline("a").unwrap();
    assert!(prev.is_none());
    let prev_b = d.enter_pipeline("b").unwrap();
    assert!(d.enter_pipeline("a").is_none());
    assert_eq!(d.pipeline_stack(), ["b", "a"]);
    assert_eq!(d.ingest_field("pipeline").as_str(), Some("b"));
    d.leave_pipeline("b", prev_b);
    assert_eq!(d.ingest_field("pipeline").as_str(), Some("a"));
    d.leave_pipeline("a", prev);
    assert!(d.ingest_field_opt("pipeline").is_none());
}
