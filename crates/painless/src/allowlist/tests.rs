use super::*;

#[test]
fn classes_resolve_by_simple_canonical_and_java_name() {
    let al = for_context(Context::Ingest);
    let entry = al.class_by_name("Map.Entry").expect("Map.Entry");
    assert_eq!(entry.java_name, "java.util.Map$Entry");
    assert!(entry.is_interface);
    assert_eq!(
        al.class_by_name("java.util.Map.Entry").map(|c| c.id),
        Some(entry.id)
    );
    assert_eq!(
        al.class_by_name("java.util.Map$Entry").map(|c| c.id),
        Some(entry.id)
    );
    assert!(
        al.class_by_name("ScoreScript").is_none(),
        "@no_import and not in the ingest context"
    );
    assert!(al.class_by_name("Processors").is_some());
    assert!(for_context(Context::IngestCondition)
        .class_by_name("Processors")
        .is_none());
}

#[test]
fn methods_are_found_through_supertypes() {
    let al = for_context(Context::Ingest);
    let array_list = al.class_by_name("ArrayList").unwrap().id;
    let size = al
        .method(array_list, "size", 0)
        .expect("size through Collection");
    assert_eq!(size.java_class, "java.util.Collection");
    let each = al
        .method(array_list, "each", 1)
        .expect("each augmentation through Iterable");
    assert_eq!(
        each.augmentation.as_deref(),
        Some("org.opensearch.painless.api.Augmentation")
    );
    assert!(
        al.method(array_list, "toString", 0).is_some(),
        "Object methods"
    );
    let string = al.class_by_name("String").unwrap().id;
    assert!(
        al.method(string, "sha256", 0).is_some(),
        "org.opensearch.ingest.txt"
    );
    assert!(for_context(Context::PainlessTest)
        .method(string, "sha256", 0)
        .is_none());
    assert!(al.method(string, "valueOf", 1).is_none(), "static");
    assert!(al.static_method(string, "valueOf", 1).is_some());
    let integer = al.class_by_name("Integer").unwrap().id;
    assert!(al.static_method(integer, "parseInt", 1).is_some());
    assert!(al.static_method(integer, "toString", 1).is_some());
    assert!(al.method(integer, "toString", 0).is_some());
    assert!(al.field(integer, "MAX_VALUE").is_some());
    let pattern = al.class_by_name("Pattern").unwrap().id;
    let matcher = al
        .method(pattern, "matcher", 1)
        .expect("matcher with the injected limit factor");
    assert_eq!(matcher.injected_constants, ["regex_limit_factor"]);
}

#[test]
fn assignability_and_runtime_classes() {
    let al = for_context(Context::Ingest);
    let id = |n: &str| al.class_by_name(n).unwrap().id;
    assert!(al.is_assignable(id("NumberFormatException"), id("IllegalArgumentException")));
    assert!(al.is_assignable(id("NumberFormatException"), id("RuntimeException")));
    assert!(al.is_assignable(id("NumberFormatException"), id("Exception")));
    assert!(!al.is_assignable(id("IllegalArgumentException"), id("NumberFormatException")));
    assert!(al.is_assignable(id("ArrayList"), id("List")));
    assert!(al.is_assignable(id("HashMap"), id("Map")));
    assert!(al.is_assignable(id("Integer"), id("Number")));
    assert!(al.is_assignable(id("ZonedDateTime"), id("ChronoZonedDateTime")));
    assert_eq!(al.class_of(&Value::Int(1)), id("Integer"));
    assert_eq!(al.class_of(&Value::new_map()), id("HashMap"));
    assert_eq!(al.class_of(&Value::from("x")), id("String"));
    let zdt = id("ZonedDateTime");
    assert!(
        al.method(zdt, "toInstant", 0).is_some(),
        "from ChronoZonedDateTime"
    );
    assert!(al.method(zdt, "getYear", 0).is_some());
    let function = id("Function");
    assert_eq!(
        al.functional_method(function).map(|m| m.name.as_str()),
        Some("apply")
    );
    assert_eq!(
        al.functional_method(id("Comparator"))
            .map(|m| m.name.as_str()),
        Some("compare")
    );
}

#[test]
fn only_java_text_types_are_missing() {
    let al = for_context(Context::Ingest);
    for s in al.skipped() {
        let missing = s
            .rsplit_once('[')
            .map(|(_, m)| m.trim_end_matches(']'))
            .unwrap_or("");
        assert!(
            [
                "Format",
                "ParsePosition",
                "Collator",
                "CharacterIterator",
                "BreakIterator",
                "AttributedCharacterIterator",
                "Normalizer.Form",
                "NumberFormat",
                "DecimalFormat",
                "MessageFormat",
                "DateFormat",
                "SimpleDateFormat",
                "ChoiceFormat",
                "Bidi",
                "RuleBasedCollator",
                "FieldPosition",
                "CollationKey",
                "DecimalFormatSymbols",
                "DateFormatSymbols",
                "Era",
                "HijrahDate",
                "Appendable"
            ]
            .contains(&missing)
                || missing.starts_with("java.text")
                || missing.contains("Chronology")
                || missing.contains("Era"),
            "unexpected skipped member {s}"
        );
    }
}
