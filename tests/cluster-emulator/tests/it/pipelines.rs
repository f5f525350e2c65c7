use serde_json::json;

use crate::common::Ctx;

#[test]
fn pipelines_round_trip_with_key_order() {
    let c = Ctx::new();
    let body =
        r#"{"processors":[{"set":{"value":"x","field":"a"}}],"version":"3","description":"d"}"#;
    let r = c.send(
        c.os("PUT", "/_ingest/pipeline/p")
            .header("content-type", "application/json")
            .body(body),
    );
    assert_eq!((r.status, r.json()), (200, json!({"acknowledged": true})));
    let got = c.send(c.os("GET", "/_ingest/pipeline/p"));
    assert_eq!(got.text, format!("{{\"p\":{body}}}"));
    let missing = c.os_json("GET", "/_ingest/pipeline/none", None);
    assert_eq!((missing.status, missing.text.as_str()), (404, "{}"));
    let del = c.os_json("DELETE", "/_ingest/pipeline/none", None);
    assert_eq!(del.status, 404);
    assert_eq!(del.json()["error"]["reason"], "pipeline [none] is missing");
}

#[test]
fn pipeline_validation_errors() {
    let c = Ctx::new();
    let r = c.os_json(
        "PUT",
        "/_ingest/pipeline/p",
        Some(json!({"processors": [{"nope": {}}]})),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["root_cause"][0]["type"],
        "parse_exception"
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "No processor type exists with name [nope]"
    );
    assert_eq!(r.json()["error"]["processor_type"], "nope");

    let r = c.os_json(
        "PUT",
        "/_ingest/pipeline/p",
        Some(json!({"processors": [{"set": {"field": "a", "value": 1, "foo": 2}}]})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "processor [set] doesn't support one or more provided configuration parameters [foo]"
    );

    let r = c.os_json(
        "PUT",
        "/_ingest/pipeline/p",
        Some(json!({"processors": [{"rename": {"field": "a", "tag": "t"}}]})),
    );
    let e = &r.json()["error"];
    assert_eq!(e["reason"], "[target_field] required property is missing");
    assert_eq!(
        (
            e["property_name"].as_str(),
            e["processor_type"].as_str(),
            e["processor_tag"].as_str()
        ),
        (Some("target_field"), Some("rename"), Some("t"))
    );

    let r = c.os_json(
        "PUT",
        "/_ingest/pipeline/p",
        Some(json!({"processors": [], "on_failure": []})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "pipeline [p] cannot have an empty on_failure option defined"
    );

    let r = c.os_json(
        "PUT",
        "/_ingest/pipeline/p",
        Some(json!({"processors": [], "_meta": {}})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "pipeline [p] doesn't support one or more provided configuration parameters [_meta]"
    );

    let r = c.os_json(
        "PUT",
        "/_ingest/pipeline/p",
        Some(json!({"description": "x"})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "[processors] required property is missing"
    );

    // A processor OpenSearch 2.19 does not ship is a creation error, as on the node.
    let r = c.os_json(
        "PUT",
        "/_ingest/pipeline/u",
        Some(json!({"processors": [{"uri_parts": {"field": "u"}}]})),
    );
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        r.json()["error"]["reason"],
        "No processor type exists with name [uri_parts]"
    );
    assert_eq!(
        c.os_json("GET", "/_ingest/pipeline/u", None).status,
        404,
        "a refused pipeline is not stored"
    );
}

#[test]
fn processor_errors_follow_the_real_check_order() {
    let c = Ctx::new();
    // on_failure of a processor is checked before its required options.
    let r = c.os_json(
        "PUT",
        "/_ingest/pipeline/p",
        Some(json!({"processors": [{"rename": {"on_failure": []}}]})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "[on_failure] processors list cannot be empty"
    );
    // Unknown top-level keys are reported before an empty pipeline on_failure.
    let r = c.os_json(
        "PUT",
        "/_ingest/pipeline/p",
        Some(json!({"processors": [], "on_failure": [], "x": 1})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "pipeline [p] doesn't support one or more provided configuration parameters [x]"
    );
    // GetPipelineResponse.status(): no pipeline in the answer is NOT_FOUND, also for the list
    // of a cluster that has none (RestGetPipelineAction's RestStatusToXContentListener).
    let all = c.os_json("GET", "/_ingest/pipeline", None);
    assert_eq!((all.status, all.json()), (404, json!({})));
}

#[test]
fn grok_pattern_bank() {
    let c = Ctx::new();
    let v = c.os_json("GET", "/_ingest/processor/grok", None).json();
    let p = v["patterns"].as_object().unwrap();
    assert_eq!(p["USERNAME"], "[a-zA-Z0-9._-]+");
    // LinkedHashMap order: the aws file is loaded first.
    assert_eq!(p.keys().next().map(String::as_str), Some("S3_REQUEST_LINE"));
    let sorted = c
        .os_json("GET", "/_ingest/processor/grok?s=true", None)
        .json();
    let keys: Vec<&String> = sorted["patterns"].as_object().unwrap().keys().collect();
    let mut expected = keys.clone();
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(keys.len(), p.len());
}
