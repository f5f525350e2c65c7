//! Cases from upstream's mapper tests (`server/src/test/java/org/opensearch/index/mapper/`:
//! DocumentParserTests, DynamicMappingTests, KeywordFieldMapperTests, NumberFieldMapperTests,
//! IpFieldMapperTests, DateFieldMapperTests, FlatObjectFieldMapperTests, ObjectMapperTests,
//! GeoPointFieldMapperTests, CopyToMapperTests) and the bundled content's composed mappings.

use serde_json::{json, Value};

use super::*;

fn index(doc: Value, mappings: Value) -> Result<Indexed, MapperError> {
    index_document_with_id("1", &doc, &mappings, &IndexSettings::default())
}

fn index_with(
    doc: Value,
    mappings: Value,
    settings: IndexSettings,
) -> Result<Indexed, MapperError> {
    index_document_with_id("1", &doc, &mappings, &settings)
}

fn err(doc: Value, mappings: Value) -> MapperError {
    index(doc, mappings).expect_err("the node refuses this document")
}

fn ignoring() -> IndexSettings {
    IndexSettings {
        ignore_malformed: true,
        ..IndexSettings::default()
    }
}

// ---- dynamic mapping (DynamicMappingTests) ------------------------------------------------

#[test]
fn dynamic_defaults_per_json_type() {
    let r = index(
        json!({"s": "hello", "l": 1, "f": 1.5, "b": true, "o": {"x": 1}, "n": null}),
        json!({}),
    )
    .unwrap();
    assert_eq!(
        r.mapping_update.unwrap(),
        json!({"properties": {
            "s": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}},
            "l": {"type": "long"},
            "f": {"type": "float"},
            "b": {"type": "boolean"},
            "o": {"properties": {"x": {"type": "long"}}}
        }})
    );
    assert_eq!(r.dynamic_fields, vec!["b", "f", "l", "o", "o.x", "s"]);
    assert_eq!(r.fields["s.keyword"], vec![json!("hello")]);
    assert_eq!(r.fields["l"], vec![json!(1)]);
}

#[test]
fn empty_object_is_mapped_as_object() {
    let r = index(json!({"o": {}}), json!({})).unwrap();
    assert_eq!(
        r.mapping_update.unwrap(),
        json!({"properties": {"o": {"type": "object"}}})
    );
}

#[test]
fn date_detection_with_the_default_dynamic_date_formats() {
    let r = index(
        json!({"d1": "2015-01-01T12:10:30Z", "d2": "2015/09/02", "n": "1234", "s": "2015-01-01x"}),
        json!({}),
    )
    .unwrap();
    let props = &r.mapping_update.unwrap()["properties"];
    assert_eq!(props["d1"], json!({"type": "date"}));
    assert_eq!(
        props["d2"],
        json!({"type": "date", "format": "yyyy/MM/dd HH:mm:ss||yyyy/MM/dd"})
    );
    // numbers in strings are never dates, and numeric detection is off
    assert_eq!(props["n"]["type"], "text");
    assert_eq!(props["s"]["type"], "text");
    assert_eq!(r.fields["d1"], vec![json!(1_420_114_230_000_i64)]);
}

#[test]
fn date_and_numeric_detection_settings() {
    let r = index(
        json!({"d": "2015-01-01", "l": "12", "f": "1.5"}),
        json!({"date_detection": false, "numeric_detection": true}),
    )
    .unwrap();
    let props = &r.mapping_update.unwrap()["properties"];
    assert_eq!(props["d"]["type"], "text");
    assert_eq!(props["l"], json!({"type": "long"}));
    assert_eq!(props["f"], json!({"type": "float"}));
}

#[test]
fn strict_refuses_new_fields() {
    // DocumentParserTests.testDynamicStrictLongArray and friends
    let e = err(json!({"foo": [0, 1]}), json!({"dynamic": "strict"}));
    assert_eq!(e.type_, "strict_dynamic_mapping_exception");
    assert_eq!(
        e.reason,
        "mapping set to strict, dynamic introduction of [foo] within [_doc] is not allowed"
    );
    let e = err(
        json!({"o": {"x": 1}}),
        json!({"properties": {"o": {"dynamic": "strict", "properties": {"y": {"type": "long"}}}}}),
    );
    assert_eq!(
        e.reason,
        "mapping set to strict, dynamic introduction of [x] within [o] is not allowed"
    );
    let e = err(json!({"foo": null}), json!({"dynamic": "strict"}));
    assert_eq!(e.type_, "strict_dynamic_mapping_exception");
    let e = err(json!({"foo": {"bar": 1}}), json!({"dynamic": "strict"}));
    assert_eq!(
        e.reason,
        "mapping set to strict, dynamic introduction of [foo] within [_doc] is not allowed"
    );
    assert_eq!(
        e.to_response_json()["error"]["root_cause"][0]["type"],
        "strict_dynamic_mapping_exception"
    );
    // a mapped field is fine
    assert!(index(
        json!({"a": 1}),
        json!({"dynamic": "strict", "properties": {"a": {"type": "long"}}})
    )
    .unwrap()
    .mapping_update
    .is_none());
}

#[test]
fn strict_inherited_and_overridden() {
    let m = json!({"dynamic": "strict", "properties": {"o": {"dynamic": true, "properties": {}}}});
    let r = index(json!({"o": {"x": {"y": 1}}}), m.clone()).unwrap();
    assert_eq!(r.dynamic_fields, vec!["o.x", "o.x.y"]);
    let e = err(json!({"z": 1}), m);
    assert_eq!(e.type_, "strict_dynamic_mapping_exception");
}

#[test]
fn strict_allow_templates() {
    let m = json!({"dynamic": "strict_allow_templates",
        "dynamic_templates": [{"strings": {"match": "s_*", "mapping": {"type": "keyword"}}}]});
    let r = index(json!({"s_a": "x"}), m.clone()).unwrap();
    assert_eq!(
        r.mapping_update.unwrap()["properties"]["s_a"],
        json!({"type": "keyword"})
    );
    let e = err(json!({"other": "x"}), m);
    assert_eq!(
        e.reason,
        "mapping set to strict_allow_templates, dynamic introduction of [other] within [_doc] is not allowed"
    );
}

#[test]
fn dynamic_false_skips_without_mapping() {
    let r = index(
        json!({"a": 1, "o": {"b": "x"}, "arr": [1, 2]}),
        json!({"dynamic": false}),
    )
    .unwrap();
    assert!(r.mapping_update.is_none());
    assert!(r.fields.is_empty());
}

#[test]
fn runtime_and_false_allow_templates_are_not_2_19_values() {
    let e = err(json!({"a": 1}), json!({"dynamic": "runtime"}));
    assert_eq!(e.type_, "mapper_parsing_exception");
    assert_eq!(
        e.reason,
        "Failed to parse mapping [_doc]: Could not convert [dynamic.dynamic] to boolean"
    );
    let e = err(json!({"a": 1}), json!({"dynamic": "false_allow_templates"}));
    assert_eq!(e.caused_by.unwrap().type_, "illegal_argument_exception");
}

#[test]
fn dotted_field_names_are_object_paths() {
    // DocumentParserTests.testDynamicDottedFieldNameLong
    let r = index(json!({"foo.bar.baz": 0}), json!({})).unwrap();
    assert_eq!(
        r.mapping_update.unwrap(),
        json!({"properties": {"foo": {"properties": {"bar": {"properties": {"baz": {"type": "long"}}}}}}})
    );
    assert_eq!(r.fields["foo.bar.baz"], vec![json!(0)]);
    // into an existing object
    let r = index(
        json!({"foo.bar": "x"}),
        json!({"properties": {"foo": {"properties": {"baz": {"type": "keyword"}}}}}),
    )
    .unwrap();
    assert_eq!(r.dynamic_fields, vec!["foo.bar"]);
    // mapped leaf through a dotted name
    let r = index(
        json!({"foo.baz": "x"}),
        json!({"properties": {"foo": {"properties": {"baz": {"type": "keyword"}}}}}),
    )
    .unwrap();
    assert!(r.mapping_update.is_none());
    assert_eq!(r.fields["foo.baz"], vec![json!("x")]);
}

#[test]
fn dotted_name_under_a_concrete_field() {
    // DocumentParserTests.testDynamicFieldsStartingAndEndingWithDot / testDottedFieldNameInObjectField
    let e = err(
        json!({"foo.bar": 1}),
        json!({"properties": {"foo": {"type": "keyword"}}}),
    );
    assert_eq!(e.type_, "mapper_parsing_exception");
    assert_eq!(
        e.reason,
        "Could not dynamically add mapping for field [foo.bar]. Existing mapping for [foo] must be of type object but found [keyword]."
    );
}

#[test]
fn bad_field_names() {
    let e = err(json!({"": 1}), json!({}));
    assert_eq!(e.reason, "failed to parse");
    assert_eq!(
        e.caused_by.unwrap().reason,
        "field name cannot be an empty string"
    );
    let e = err(json!({".foo": 1}), json!({}));
    assert_eq!(
        e.caused_by.unwrap().reason,
        "object field starting or ending with a [.] makes object resolution ambiguous: [.foo]"
    );
    let e = err(json!({"foo. .bar": 1}), json!({}));
    assert_eq!(
        e.caused_by.unwrap().reason,
        "object field cannot contain only whitespace: ['foo. .bar']"
    );
    let e = err(json!({".": 1}), json!({}));
    assert_eq!(
        e.caused_by.unwrap().reason,
        "field name cannot contain only the character [.]"
    );
}

#[test]
fn metadata_fields_cannot_be_set() {
    let e = err(json!({"_id": "x"}), json!({}));
    assert_eq!(
        e.reason,
        "Field [_id] is a metadata field and cannot be added inside a document. Use the index API request parameters."
    );
    // not at the top level: an ordinary field
    assert!(index(json!({"o": {"_id": "x"}}), json!({})).is_ok());
}

#[test]
fn mixed_types_in_one_new_array() {
    let e = err(json!({"a": [1, "x"]}), json!({}));
    assert_eq!(e.type_, "illegal_argument_exception");
    assert_eq!(
        e.reason,
        "mapper [a] cannot be changed from type [long] to [text]"
    );
    // the same type twice is one field
    let r = index(json!({"a": [1, 2, 3]}), json!({})).unwrap();
    assert_eq!(r.fields["a"], vec![json!(1), json!(2), json!(3)]);
}

#[test]
fn object_mapping_against_a_concrete_value() {
    let m = json!({"properties": {"o": {"properties": {"x": {"type": "long"}}}}});
    let e = err(json!({"o": "text"}), m.clone());
    assert_eq!(e.type_, "mapper_parsing_exception");
    assert_eq!(
        e.reason,
        "object mapping for [o] tried to parse field [o] as object, but found a concrete value"
    );
    // an array of concrete values: no current field name inside an array
    let e = err(json!({"o": [1, 2, 3]}), m.clone());
    assert_eq!(
        e.reason,
        "object mapping for [o] tried to parse field [null] as object, but found a concrete value"
    );
    assert!(index(json!({"o": []}), m.clone()).is_ok());
    // index-level ignore_malformed does not cover it
    assert!(index_with(json!({"o": "text"}), m.clone(), ignoring()).is_err());
    // null is fine
    assert!(index(json!({"o": null}), m).is_ok());
}

#[test]
fn concrete_field_against_an_object() {
    let m = json!({"properties": {"k": {"type": "keyword"}}});
    let e = err(json!({"k": {"a": "b"}}), m.clone());
    assert_eq!(
        e.reason,
        "failed to parse field [k] of type [keyword] in document with id '1'. Preview of field's value: '{a=b}'"
    );
    let cause = e.caused_by.unwrap();
    assert_eq!(cause.type_, "illegal_state_exception");
    assert_eq!(cause.reason, "Can't get text on a START_OBJECT at 1:6");
    // with index.mapping.ignore_malformed the value is dropped (2.19: no _ignored entry)
    let r = index_with(json!({"k": {"a": "b"}, "z": "after"}), m, ignoring()).unwrap();
    assert!(r.ignored.is_empty());
    assert!(!r.fields.contains_key("k"));
    assert_eq!(r.fields["z"], vec![json!("after")]);
}

#[test]
fn disabled_objects_accept_anything() {
    // ObjectMapperTests.testEnabled / DocumentParserTests.testDotsWithDynamicNestedMapper
    let m = json!({"properties": {"d": {"type": "object", "enabled": false}}});
    for v in [
        json!({"x": {"y": [1, "a", {"z": null}]}}),
        json!("scalar"),
        json!([1, {"a": 1}]),
    ] {
        let r = index(json!({ "d": v }), m.clone()).unwrap();
        assert!(r.mapping_update.is_none());
        assert!(r.fields.is_empty());
    }
    let r = index(json!({"d.x": 1, "e": 1}), m).unwrap();
    assert_eq!(r.dynamic_fields, vec!["e"]);
}

#[test]
fn document_depth_limit() {
    let mut doc = json!(1);
    for i in 0..21 {
        doc = json!({ format!("l{i}"): doc });
    }
    // 21 objects, the root included
    let e = index_with(doc.clone(), json!({}), IndexSettings::default()).unwrap_err();
    assert_eq!(e.reason, "failed to parse");
    let cause = e.caused_by.unwrap();
    assert_eq!(cause.type_, "parse_exception");
    assert_eq!(
        cause.reason,
        "The depth of the field has exceeded the allowed limit of [20]. This limit can be set by changing the [index.mapping.depth.limit] index level setting."
    );
    let ok = IndexSettings {
        depth_limit: 21,
        ..IndexSettings::default()
    };
    assert!(index_with(doc, json!({}), ok).is_ok());
}

// ---- limits (MapperServiceTests) ------------------------------------------------------------

#[test]
fn total_fields_limit_counts_objects_and_multi_fields() {
    let small = IndexSettings {
        total_fields_limit: 3,
        ..IndexSettings::default()
    };
    // o, o.a: 2 fields
    assert!(index_with(json!({"o": {"a": 1}}), json!({}), small.clone()).is_ok());
    // s and s.keyword, t and t.keyword: 4 fields
    let e = index_with(json!({"s": "x", "t": "y"}), json!({}), small.clone()).unwrap_err();
    assert_eq!(e.type_, "illegal_argument_exception");
    assert_eq!(e.reason, "Limit of total fields [3] has been exceeded");
    // without a mapping update the limit is not checked again
    let m = json!({"properties": {"a": {"type": "keyword"}, "b": {"type": "keyword"},
        "c": {"type": "keyword"}, "d": {"type": "keyword"}}});
    assert!(index_with(json!({"a": "x"}), m, small).is_ok());
}

#[test]
fn flat_object_counts_one_field() {
    let small = IndexSettings {
        total_fields_limit: 2,
        ..IndexSettings::default()
    };
    let m = json!({"properties": {"f": {"type": "flat_object"}}});
    assert_eq!(validate_mappings(&m, &small), Ok(()));
    assert!(index_with(json!({"x": 1}), m.clone(), small.clone()).is_ok());
    let e = index_with(json!({"x": 1, "y": 2}), m, small).unwrap_err();
    assert_eq!(e.reason, "Limit of total fields [2] has been exceeded");
}

#[test]
fn mapping_depth_and_nested_limits() {
    let s = IndexSettings {
        depth_limit: 2,
        ..IndexSettings::default()
    };
    // the document's own depth is checked first, while it is parsed
    let e = index_with(json!({"a": {"b": {"c": 1}}}), json!({}), s.clone()).unwrap_err();
    assert_eq!(e.caused_by.unwrap().type_, "parse_exception");
    let e = index_with(json!({"a.b.c": 1}), json!({}), s).unwrap_err();
    assert_eq!(
        e.reason,
        "Limit of mapping depth [2] has been exceeded due to object field [a.b]"
    );
    let s = IndexSettings {
        nested_fields_limit: 1,
        ..IndexSettings::default()
    };
    let m = json!({"dynamic_templates": [{"n": {"match_mapping_type": "object", "mapping": {"type": "nested"}}}]});
    let e = index_with(json!({"a": {"x": 1}, "b": {"y": 1}}), m, s).unwrap_err();
    assert_eq!(e.reason, "Limit of nested fields [1] has been exceeded");
}

#[test]
fn settings_from_index_settings() {
    let s = IndexSettings::from_settings(&json!({"index": {"number_of_shards": 1, "mapping": {
        "total_fields": {"limit": 2000}, "ignore_malformed": true}}}))
    .unwrap();
    assert_eq!(s.total_fields_limit, 2000);
    assert!(s.ignore_malformed);
    let s = IndexSettings::from_settings(
        &json!({"index.mapping.depth.limit": "5", "mapping.coerce": "false"}),
    )
    .unwrap();
    assert_eq!(s.depth_limit, 5);
    assert!(!s.coerce);
}

// ---- keyword (KeywordFieldMapperTests) -------------------------------------------------------

#[test]
fn keyword_ignore_above_and_null_value() {
    let m =
        json!({"properties": {"k": {"type": "keyword", "ignore_above": 5, "null_value": "NULL"}}});
    let r = index(json!({"k": "elk"}), m.clone()).unwrap();
    assert_eq!(r.fields["k"], vec![json!("elk")]);
    let r = index(json!({"k": "opensearch"}), m.clone()).unwrap();
    assert!(!r.fields.contains_key("k"));
    assert!(r.ignored.is_empty());
    let r = index(json!({"k": null}), m.clone()).unwrap();
    assert_eq!(r.fields["k"], vec![json!("NULL")]);
    // numbers and booleans are indexed as their text
    let r = index(json!({"k": [12, true]}), m).unwrap();
    assert_eq!(r.fields["k"], vec![json!("12"), json!("true")]);
}

#[test]
fn immense_keyword_terms() {
    let m = json!({"properties": {"k": {"type": "keyword"}, "a": {"type": "keyword", "ignore_above": 32766}}});
    let big = "a".repeat(40_000);
    let e = err(json!({ "k": big }), m.clone());
    assert_eq!(e.type_, "illegal_argument_exception");
    let prefix = vec!["97"; 30].join(", ");
    assert_eq!(
        e.reason,
        format!("Document contains at least one immense term in field=\"k\" (whose UTF8 encoding is longer than the max length 32766), all of which were skipped.  Please correct the analyzer to not produce such terms.  The prefix of the first immense term is: '[{prefix}]...', original message: bytes can be at most 32766 in length; got 40000")
    );
    let cause = e.caused_by.unwrap();
    assert_eq!(cause.type_, "max_bytes_length_exceeded_exception");
    assert_eq!(
        cause.reason,
        "bytes can be at most 32766 in length; got 40000"
    );
    // ignore_above counts characters, the limit bytes: 20,000 'é' are 40,000 bytes
    let e = err(json!({"a": "é".repeat(20_000)}), m.clone());
    assert!(e.reason.contains("field=\"a\""));
    assert!(e.reason.contains("'[-61, -87, "));
    // the default dynamic keyword subfield has ignore_above 256
    assert!(index(json!({"t": "x".repeat(40_000)}), json!({})).is_ok());
    // text is analysed: no immense term
    assert!(index(
        json!({"t": "x".repeat(40_000)}),
        json!({"properties": {"t": {"type": "text"}}})
    )
    .is_ok());
}

// ---- numbers (NumberFieldMapperTests) --------------------------------------------------------

#[test]
fn numbers_malformed() {
    let m = json!({"properties": {"l": {"type": "long"}, "i": {"type": "integer"}}});
    let e = err(json!({"l": "abc"}), m.clone());
    assert_eq!(
        e.reason,
        "failed to parse field [l] of type [long] in document with id '1'. Preview of field's value: 'abc'"
    );
    let c = e.caused_by.unwrap();
    assert_eq!(c.type_, "illegal_argument_exception");
    assert_eq!(c.reason, "For input string: \"abc\"");
    let e = err(json!({"i": "twenty"}), m.clone());
    let c = e.caused_by.unwrap();
    assert_eq!(c.type_, "number_format_exception");
    assert_eq!(c.reason, "For input string: \"twenty\"");
    // coerced
    let r = index(json!({"l": "12.7", "i": 3.9}), m.clone()).unwrap();
    assert_eq!(r.fields["l"], vec![json!(12)]);
    assert_eq!(r.fields["i"], vec![json!(3)]);
    // "" is null with coerce
    let r = index(json!({"l": ""}), m).unwrap();
    assert!(!r.fields.contains_key("l"));
}

#[test]
fn numbers_ignore_malformed_records_ignored() {
    let m = json!({"properties": {"n": {"type": "integer", "ignore_malformed": true}, "b": {"type": "byte"}}});
    let r = index(json!({"n": "a", "b": 1}), m.clone()).unwrap();
    assert_eq!(r.ignored, vec!["n"]);
    // objects are not malformed values: the error stays
    let e = err(json!({"n": {"x": 1}}), m.clone());
    assert!(e
        .reason
        .starts_with("failed to parse field [n] of type [integer]"));
    let e = err(json!({"b": 128}), m.clone());
    assert_eq!(
        e.caused_by.unwrap().reason,
        "Value [128] is out of range for a byte"
    );
    // index-level default
    let r = index_with(json!({"b": "x"}), m, ignoring()).unwrap();
    assert_eq!(r.ignored, vec!["b"]);
}

#[test]
fn numbers_without_coerce() {
    let m = json!({"properties": {"l": {"type": "long", "coerce": false}, "f": {"type": "float"}}});
    let e = err(json!({"l": "5"}), m.clone());
    assert_eq!(e.caused_by.unwrap().reason, "Long value passed as String");
    let e = err(json!({"l": 5.5}), m.clone());
    assert_eq!(
        e.caused_by.unwrap().reason,
        "5.5 cannot be converted to Long without data loss"
    );
    let e = err(json!({"f": "NaN"}), m);
    assert_eq!(
        e.caused_by.unwrap().reason,
        "[float] supports only finite values, but got [NaN]"
    );
}

// ---- boolean (BooleanFieldMapperTests) -------------------------------------------------------

#[test]
fn booleans() {
    let m = json!({"properties": {"b": {"type": "boolean"}}});
    let r = index(json!({"b": ["true", "false", "", false]}), m.clone()).unwrap();
    assert_eq!(
        r.fields["b"],
        vec![json!(true), json!(false), json!(false), json!(false)]
    );
    let e = err(json!({"b": "yes"}), m.clone());
    assert_eq!(
        e.reason,
        "failed to parse field [b] of type [boolean] in document with id '1'. Preview of field's value: 'yes'"
    );
    assert_eq!(
        e.caused_by.unwrap().reason,
        "Failed to parse value [yes] as only [true] or [false] are allowed."
    );
    // boolean has no ignore_malformed of its own; the index-level one drops it without _ignored
    let r = index_with(json!({"b": "yes"}), m, ignoring()).unwrap();
    assert!(r.ignored.is_empty());
}

// ---- ip (IpFieldMapperTests) ------------------------------------------------------------------

#[test]
fn ips() {
    let m = json!({"properties": {"ip": {"type": "ip"}, "ipm": {"type": "ip", "ignore_malformed": true}}});
    let r = index(
        json!({"ip": ["::1", "192.168.1.1", "::ffff:10.0.0.1", "2001:0db8:0000::1"]}),
        m.clone(),
    )
    .unwrap();
    assert_eq!(
        r.fields["ip"],
        vec![
            json!("::1"),
            json!("192.168.1.1"),
            json!("10.0.0.1"),
            json!("2001:db8::1")
        ]
    );
    let e = err(json!({"ip": ":1"}), m.clone());
    assert_eq!(
        e.reason,
        "failed to parse field [ip] of type [ip] in document with id '1'. Preview of field's value: ':1'"
    );
    assert_eq!(
        e.caused_by.unwrap().reason,
        "':1' is not an IP string literal."
    );
    let r = index(json!({"ipm": "not-an-ip"}), m.clone()).unwrap();
    assert_eq!(r.ignored, vec!["ipm"]);
    let e = err(json!({"ip": "-"}), m);
    assert_eq!(
        e.caused_by.unwrap().reason,
        "'-' is not an IP string literal."
    );
}

// ---- date (DateFieldMapperTests) ----------------------------------------------------------------

#[test]
fn dates() {
    let m = json!({"properties": {"d": {"type": "date"},
        "e": {"type": "date", "format": "epoch_second||strict_date_optional_time"},
        "im": {"type": "date", "ignore_malformed": true}}});
    let r = index(
        json!({"d": [1457654400000_i64, "2016-03-11"], "e": 1457654400}),
        m.clone(),
    )
    .unwrap();
    assert_eq!(
        r.fields["d"],
        vec![json!(1457654400000_i64), json!(1457654400000_i64)]
    );
    assert_eq!(r.fields["e"], vec![json!(1457654400000_i64)]);
    let e = err(json!({"d": "2016-03-99"}), m.clone());
    assert_eq!(
        e.reason,
        "failed to parse field [d] of type [date] in document with id '1'. Preview of field's value: '2016-03-99'"
    );
    let c = e.caused_by.unwrap();
    assert_eq!(c.type_, "illegal_argument_exception");
    assert_eq!(
        c.reason,
        "failed to parse date field [2016-03-99] with format [strict_date_optional_time||epoch_millis]"
    );
    assert_eq!(c.caused_by.unwrap().type_, "date_time_parse_exception");
    let r = index(json!({"im": "junk"}), m.clone()).unwrap();
    assert_eq!(r.ignored, vec!["im"]);
    let e = err(json!({"d": "2016-03-11T10:00:00 Europe/Paris"}), m.clone());
    assert!(!e.unsupported);
    let e = err(json!({"d": "2016-03-11T10:00:00Europe/Paris"}), m);
    assert!(e.unsupported, "{e:?}");
}

#[test]
fn unsupported_date_formats_are_refused_when_the_mapping_is_read() {
    let e = err(
        json!({}),
        json!({"properties": {"d": {"type": "date", "format": "basic_week_date_time"}}}),
    );
    assert!(e.unsupported);
    assert!(e
        .reason
        .starts_with("not supported by siemctl's offline engine: "));
}

// ---- flat_object (FlatObjectFieldMapperTests) ---------------------------------------------------

#[test]
fn flat_objects() {
    let m = json!({"properties": {"f": {"type": "flat_object"}}});
    let r = index(
        json!({"f": {"a": {"b": "x"}, "c": [1, 2], "d": null}, "z": null}),
        m.clone(),
    )
    .unwrap();
    assert!(r.mapping_update.is_none());
    // null leaves are not indexed (2.19)
    assert_eq!(
        r.fields["f._value"],
        vec![json!("x"), json!("1"), json!("2")]
    );
    assert!(index(json!({"f": null}), m.clone()).is_ok());
    // a concrete value is a parsing_exception
    let e = err(json!({"f": "text"}), m.clone());
    assert_eq!(
        e.reason,
        "failed to parse field [f] of type [flat_object] in document with id '1'. Preview of field's value: 'text'"
    );
    assert_eq!(
        e.to_json()["caused_by"],
        json!({"type": "parsing_exception", "reason": "[f] unexpected token [VALUE_STRING] in flat_object field value", "line": 1, "col": 6})
    );
    // arrays are split into their elements
    let e = err(json!({"f": ["a"]}), m.clone());
    assert!(e
        .reason
        .starts_with("failed to parse field [f] of type [flat_object]"));
    assert!(index(json!({"f": [{"a": 1}, {"b": 2}]}), m.clone()).is_ok());
    // the Lucene term limit applies to values
    let e = err(json!({"f": {"a": "v".repeat(33_000)}}), m);
    assert!(e.reason.contains("field=\"f._value\""), "{}", e.reason);
}

// ---- geo_point (GeoPointFieldMapperTests) -------------------------------------------------------

#[test]
fn geo_points() {
    let m = json!({"properties": {"g": {"type": "geo_point"}, "gi": {"type": "geo_point", "ignore_malformed": true}}});
    let r = index(json!({"g": [[-71.34, 41.12], "41.12,-71.34", {"lat": 41.12, "lon": -71.34}, "POINT (-71.34 41.12)"]}), m.clone()).unwrap();
    assert_eq!(r.fields["g"].len(), 4);
    let r = index(json!({"g": [-71.34, 41.12]}), m.clone()).unwrap();
    assert_eq!(r.fields["g"], vec![json!({"lat": 41.12, "lon": -71.34})]);
    let e = err(json!({"g": {"lat": 91, "lon": 0}}), m.clone());
    assert_eq!(e.reason, "failed to parse field [g] of type [geo_point]");
    assert_eq!(
        e.caused_by.unwrap().reason,
        "illegal latitude value [91.0] for g"
    );
    let e = err(json!({"g": {"lat": 1}}), m.clone());
    assert_eq!(e.caused_by.unwrap().reason, "field [lon] missing");
    // ignore_malformed normalises out-of-range points (GeoUtils.normalizePoint)
    let r = index(json!({"gi": {"lat": 91, "lon": 0}}), m.clone()).unwrap();
    assert_eq!(r.fields["gi"], vec![json!({"lat": 89.0, "lon": 180.0})]);
    let r = index(json!({"gi": {"lat": 10, "lon": 190}}), m.clone()).unwrap();
    assert_eq!(r.fields["gi"], vec![json!({"lat": 10.0, "lon": -170.0})]);
    assert!(r.ignored.is_empty());
    let r = index(json!({"gi": "1,a"}), m).unwrap();
    assert_eq!(r.ignored, vec!["gi"]);
}

// ---- nested, alias, copy_to ------------------------------------------------------------------

#[test]
fn nested_objects() {
    let m =
        json!({"properties": {"n": {"type": "nested", "properties": {"a": {"type": "keyword"}}}}});
    let r = index(json!({"n": [{"a": "x"}, {"a": "y"}]}), m.clone()).unwrap();
    assert_eq!(r.fields["n.a"], vec![json!("x"), json!("y")]);
    let e = err(json!({"n.a": "x"}), m.clone());
    assert_eq!(
        e.reason,
        "Cannot add a value for field [n.a] since one of the intermediate objects is mapped as a nested object: [n]"
    );
    let s = IndexSettings {
        nested_objects_limit: 1,
        ..IndexSettings::default()
    };
    let e = index_with(json!({"n": [{"a": "x"}, {"a": "y"}]}), m, s).unwrap_err();
    assert_eq!(
        e.reason,
        "The number of nested documents has exceeded the allowed limit of [1]. This limit can be set by changing the [index.mapping.nested_objects.limit] index level setting."
    );
}

#[test]
fn aliases_cannot_be_written() {
    let m = json!({"properties": {"a": {"type": "keyword"}, "al": {"type": "alias", "path": "a"}}});
    let e = err(json!({"al": "x"}), m);
    assert_eq!(e.reason, "failed to parse");
    assert_eq!(
        e.caused_by.unwrap().reason,
        "Cannot write to a field alias [al]."
    );
}

#[test]
fn copy_to_existing_and_dynamic() {
    let m = json!({"properties": {"a": {"type": "keyword", "copy_to": ["all", "new_one"]}, "all": {"type": "text"}}});
    let r = index(json!({"a": "x"}), m).unwrap();
    assert_eq!(r.fields["all"], vec![json!("x")]);
    assert_eq!(r.dynamic_fields, vec!["new_one"]);
}

// ---- dynamic templates (DynamicTemplatesTests, RootObjectMapperTests) ------------------------

#[test]
fn dynamic_templates_in_order() {
    let m = json!({"dynamic_templates": [
        {"ips": {"match": "*_ip", "mapping": {"type": "ip"}}},
        {"longs_as_strings": {"match_mapping_type": "string", "match": "long_*", "unmatch": "*_text", "mapping": {"type": "long"}}},
        {"in_obj": {"path_match": "o.*", "mapping": {"type": "keyword", "doc_values": false}}},
        {"named": {"match": "n_*", "mapping": {"type": "{dynamic_type}", "fields": {"{name}_kw": {"type": "keyword"}}}}}
    ]});
    let r = index(
        json!({"src_ip": "10.0.0.1", "long_num": "5", "long_text": "foo", "o": {"x": "y"}, "n_a": 5}),
        m,
    )
    .unwrap();
    let p = &r.mapping_update.unwrap()["properties"];
    assert_eq!(p["src_ip"], json!({"type": "ip"}));
    assert_eq!(p["long_num"], json!({"type": "long"}));
    assert_eq!(p["long_text"]["type"], "text");
    assert_eq!(
        p["o"]["properties"]["x"],
        json!({"type": "keyword", "doc_values": false})
    );
    assert_eq!(
        p["n_a"],
        json!({"type": "long", "fields": {"n_a_kw": {"type": "keyword"}}})
    );
}

#[test]
fn string_template_does_not_catch_detected_dates() {
    // the bundled content's strings_as_keyword template: a date-like string is a date
    let m = json!({"dynamic_templates": [{"strings_as_keyword": {"match_mapping_type": "string",
        "mapping": {"type": "keyword", "ignore_above": 1024}}}]});
    let r = index(json!({"when": "2024-05-01T10:00:00Z", "what": "login"}), m).unwrap();
    let p = &r.mapping_update.unwrap()["properties"];
    assert_eq!(p["when"], json!({"type": "date"}));
    assert_eq!(p["what"], json!({"type": "keyword", "ignore_above": 1024}));
}

#[test]
fn later_documents_see_the_update() {
    let r = index(json!({"a": 5}), json!({})).unwrap();
    let m = r.mapping_update.unwrap();
    let e = err(json!({"a": "x"}), m.clone());
    assert_eq!(
        e.reason,
        "failed to parse field [a] of type [long] in document with id '1'. Preview of field's value: 'x'"
    );
    assert!(index(json!({"a": "7"}), m)
        .unwrap()
        .mapping_update
        .is_none());
}

#[test]
fn unknown_and_unsupported_types() {
    let e = err(json!({}), json!({"properties": {"x": {"type": "foo"}}}));
    assert_eq!(
        e.reason,
        "Failed to parse mapping [_doc]: No handler for type [foo] declared on field [x]"
    );
    let e = err(
        json!({}),
        json!({"properties": {"x": {"type": "geo_shape"}}}),
    );
    assert!(e.unsupported);
    assert_eq!(
        e.reason,
        "not supported by siemctl's offline engine: field type [geo_shape] (field [x])"
    );
    let e = err(
        json!({}),
        json!({"properties": {"x": {"type": "keyword", "foo": 1}}}),
    );
    assert_eq!(
        e.reason,
        "Failed to parse mapping [_doc]: unknown parameter [foo] on mapper [x] of type [keyword]"
    );
}

// ---- the bundled content's composed mappings --------------------------------------------------

/// Renders a siemctl template: `{{json name}}` as a raw JSON value, `{{name}}` as text.
fn render(text: &str, vars: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{{json {k}}}}}"), v);
        out = out.replace(&format!("{{{{{k}}}}}"), v.trim_matches('"'));
    }
    out
}

fn content_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index-templates")
}

const VARS: &[(&str, &str)] = &[
    ("shards", "1"),
    ("replicas", "1"),
    ("refresh_interval", "\"5s\""),
    ("total_fields_limit", "2000"),
    ("index_prefix", "\"log\""),
];

fn load(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&render(&text, VARS)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The composed mappings and settings of a bundled index template: its component templates in
/// order, then its own template.
fn composed(log_type: &str) -> (Value, IndexSettings) {
    let dir = content_dir();
    let file = std::fs::read_dir(dir.join(log_type))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".index-template.json.hbs"))
        .unwrap();
    let it = load(&file);
    let mut mappings = json!({});
    let mut settings = json!({});
    for name in it["composed_of"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        let path = std::fs::read_dir(&dir)
            .unwrap()
            .flat_map(|d| std::fs::read_dir(d.unwrap().path()).into_iter().flatten())
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name().unwrap().to_string_lossy()
                    == format!("{name}.component-template.json.hbs")
            })
            .unwrap();
        let ct = load(&path);
        mappings = merge_template_mappings(&mappings, &ct["template"]["mappings"]);
        settings = merge_settings(&settings, &ct["template"]["settings"]);
    }
    mappings = merge_template_mappings(&mappings, &it["template"]["mappings"]);
    let s = IndexSettings::from_settings(&settings).unwrap();
    (mappings, s)
}

/// Settings of templates merge key by key (`Settings.Builder.put`).
fn merge_settings(base: &Value, overlay: &Value) -> Value {
    match (base, overlay) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = a.clone();
            for (k, v) in b {
                let merged = match out.get(k) {
                    Some(existing) => merge_settings(existing, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (_, o) => o.clone(),
    }
}

const LOG_TYPES: &[&str] = &[
    "aws-cloudtrail",
    "aws-guardduty",
    "aws-securityhub",
    "aws-vpcflowlogs",
    "linux-secure",
    "web",
];

#[test]
fn bundled_mappings_are_all_handled() {
    for lt in LOG_TYPES {
        let (m, s) = composed(lt);
        assert_eq!(s.total_fields_limit, 2000);
        assert!(s.ignore_malformed, "{lt}");
        if let Err(e) = validate_mappings(&m, &s) {
            panic!("{lt}: {e:?}");
        }
        // the empty document is accepted with no update
        let r = index_with(json!({}), m, s).unwrap();
        assert!(r.mapping_update.is_none());
    }
}

#[test]
fn bundled_mapping_accepts_and_drops_as_the_node_would() {
    let (m, s) = composed("aws-vpcflowlogs");
    let r = index_document_with_id(
        "abc",
        &json!({
            "@timestamp": "2024-05-01T10:00:00Z",
            "source": {"ip": "10.0.0.1", "port": "443", "bytes": 1200},
            "destination": {"ip": "not-an-ip", "port": 80},
            "aws": {"vpcflowlogs": {"start": 1714557600, "end": "2024-05-01T10:01:00Z", "tcp_flags": "x", "version": "2"}},
            "network": {"transport": "tcp"},
            "event": {"action": "ACCEPT", "duration": 60},
            "extra": {"note": "free text", "when": "2024-05-01"}
        }),
        &m,
        &s,
    )
    .unwrap();
    let mut ignored = r.ignored.clone();
    ignored.sort();
    assert_eq!(ignored, vec!["aws.vpcflowlogs.tcp_flags", "destination.ip"]);
    assert_eq!(r.fields["source.port"], vec![json!(443)]);
    assert_eq!(
        r.fields["aws.vpcflowlogs.start"],
        vec![json!(1_714_557_600_000_i64)]
    );
    let p = &r.mapping_update.unwrap()["properties"]["extra"]["properties"];
    assert_eq!(p["note"], json!({"type": "keyword", "ignore_above": 1024}));
    assert_eq!(p["when"], json!({"type": "date"}));
}

#[test]
fn bundled_cloudtrail_flat_objects_and_disabled_objects() {
    let (m, s) = composed("aws-cloudtrail");
    let doc = json!({
        "@timestamp": "2024-05-01T10:00:00Z",
        "aws": {"cloudtrail": {
            "additionalEventData": {"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com", "n": 1},
            "insightDetails": {"anything": [1, {"deep": true}]}
        }},
        "source": {"ip": "198.51.100.7"},
        "user": {"name": "alice"}
    });
    let r = index_with(doc, m.clone(), s.clone()).unwrap();
    assert!(r.mapping_update.is_none(), "{:?}", r.mapping_update);
    assert!(r.ignored.is_empty());
    // a flat_object given a string: dropped under the index's ignore_malformed, without _ignored
    let r = index_with(
        json!({"aws": {"cloudtrail": {"additionalEventData": "text", "eventName": "x"}}}),
        m.clone(),
        s.clone(),
    )
    .unwrap();
    assert!(r.ignored.is_empty());
    assert!(!r
        .fields
        .contains_key("aws.cloudtrail.additionalEventData._value"));
    // an object given a concrete value is refused even so
    let e = index_with(json!({"aws": {"cloudtrail": "text"}}), m, s).unwrap_err();
    assert_eq!(
        e.reason,
        "object mapping for [aws.cloudtrail] tried to parse field [cloudtrail] as object, but found a concrete value"
    );
}

#[test]
fn raw_cloudtrail_sample_under_the_bundled_mapping() {
    // the shared reference data sits beside the repository (`../shared`)
    let found = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("shared/reference/raw-logs/aws_cloudtrail.json"))
        .find(|p| p.exists());
    let Some(path) = found else {
        eprintln!("shared/reference/raw-logs not found beside the repository: sample not run");
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let record: Value = serde_json::from_str(&text).unwrap();
    let (m, s) = composed("aws-cloudtrail");
    let doc = json!({"@timestamp": record["eventTime"], "aws": {"cloudtrail": record}});
    let r = index_document_with_id("x", &doc, &m, &s).unwrap_or_else(|e| panic!("{e:?}"));
    // whatever the bundled mapping does not map is mapped dynamically, never refused
    assert!(r.ignored.is_empty(), "{:?}", r.ignored);
    let again =
        index_document_with_id("y", &doc, r.mapping_update.as_ref().unwrap_or(&m), &s).unwrap();
    assert!(again.mapping_update.is_none());
}

#[test]
fn copy_to_validation() {
    let e = err(
        json!({}),
        json!({"properties": {"a": {"type": "keyword", "copy_to": "o"}, "o": {"properties": {"x": {"type": "keyword"}}}}}),
    );
    assert_eq!(
        e.reason,
        "Failed to parse mapping [_doc]: Cannot copy to field [o] since it is mapped as an object"
    );
    let e = err(
        json!({}),
        json!({"properties": {"a": {"type": "keyword", "copy_to": "t.raw"}, "t": {"type": "text", "fields": {"raw": {"type": "keyword"}}}}}),
    );
    assert_eq!(
        e.reason,
        "Failed to parse mapping [_doc]: [copy_to] may not be used to copy to a multi-field: [t.raw]"
    );
}

#[test]
fn alias_validation() {
    let e = err(
        json!({}),
        json!({"properties": {"al": {"type": "alias", "path": "nope"}}}),
    );
    assert_eq!(
        e.reason,
        "Failed to parse mapping [_doc]: Invalid [path] value [nope] for field alias [al]: an alias must refer to an existing field in the mappings."
    );
}

#[test]
fn compiled_mappings_are_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<CompiledMappings>();
    let (m, s) = composed("aws-guardduty");
    let compiled = CompiledMappings::new(&m, &s).unwrap();
    let doc = json!({"@timestamp": "2024-05-01T10:00:00Z", "source": {"ip": "10.0.0.1", "port": 22},
        "event": {"action": "x", "severity": 5}, "user": {"name": "u"}, "tags": ["a", "b"]});
    let r = std::thread::scope(|s| {
        s.spawn(|| compiled.index_document("1", &doc))
            .join()
            .unwrap()
    })
    .unwrap();
    assert!(r.mapping_update.is_none());
    assert_eq!(r.fields["tags"], vec![json!("a"), json!("b")]);
}

#[test]
fn field_name_length_limit() {
    let s = IndexSettings {
        field_name_length_limit: 3,
        ..IndexSettings::default()
    };
    assert!(index_with(json!({"abc": 1}), json!({}), s.clone()).is_ok());
    let e = index_with(json!({"abcd": 1}), json!({}), s).unwrap_err();
    assert_eq!(e.type_, "illegal_argument_exception");
    assert_eq!(
        e.reason,
        "Field name [abcd] is longer than the limit of [3] characters"
    );
}

#[test]
fn constant_keywords() {
    let m = json!({"properties": {"c": {"type": "constant_keyword", "value": "prod"}}});
    assert!(index(json!({"c": "prod"}), m.clone()).is_ok());
    assert!(index(json!({}), m.clone()).is_ok());
    let e = err(json!({"c": "dev"}), m.clone());
    assert_eq!(
        e.caused_by.unwrap().reason,
        "constant keyword field [c] must have a value of [prod]"
    );
    let e = err(json!({"c": null}), m);
    assert_eq!(
        e.caused_by.unwrap().reason,
        "constant keyword field [c] must have a value"
    );
}

#[test]
fn date_templates_inherit_the_detected_format() {
    // DynamicMappingTests.testDateDetectionInheritsFormat
    let m = json!({"dynamic_date_formats": ["yyyy-MM-dd"],
    "dynamic_templates": [
        {"dates": {"match_mapping_type": "date", "match": "*2", "mapping": {"type": "date"}}},
        {"dates_fmt": {"match_mapping_type": "date", "match": "*3", "mapping": {"format": "yyyy-MM-dd||epoch_millis"}}}
    ]});
    let r = index(
        json!({"date1": "2016-11-20", "date2": "2016-11-20", "date3": "2016-11-20"}),
        m,
    )
    .unwrap();
    let p = &r.mapping_update.unwrap()["properties"];
    assert_eq!(p["date1"], json!({"type": "date", "format": "yyyy-MM-dd"}));
    assert_eq!(p["date2"], json!({"type": "date", "format": "yyyy-MM-dd"}));
    assert_eq!(
        p["date3"],
        json!({"type": "date", "format": "yyyy-MM-dd||epoch_millis"})
    );
}

#[test]
fn empty_strings_are_text() {
    let r = index(json!({"e": ""}), json!({})).unwrap();
    assert_eq!(r.mapping_update.unwrap()["properties"]["e"]["type"], "text");
    assert_eq!(r.fields["e"], vec![json!("")]);
}

#[test]
fn date_nanos_fields() {
    let m = json!({"properties": {"n": {"type": "date_nanos"}}});
    let r = index(json!({"n": "2016-03-11T12:00:00.123456789Z"}), m.clone()).unwrap();
    assert_eq!(r.fields["n"], vec![json!(1_457_697_600_123_i64)]);
    let e = err(json!({"n": "1960-01-01T00:00:00Z"}), m.clone());
    assert_eq!(
        e.caused_by.unwrap().reason,
        "date[1960-01-01T00:00:00Z] is before the epoch in 1970 and cannot be stored in nanosecond resolution"
    );
    assert_eq!(
        validate_mappings(
            &json!({"properties": {"n": {"type": "date_nanos", "format": "strict_date_optional_time_nanos||epoch_millis"}}}),
            &IndexSettings::default()
        ),
        Ok(())
    );
}
