//! Documents are parsed against their index's mapping, as the node's mapper does.

use serde_json::json;

use crate::common::Ctx;

#[test]
fn refused_documents_get_the_mapper_error() {
    let c = Ctx::new();
    c.os_json(
        "PUT",
        "/m",
        Some(json!({"mappings": {"properties": {"n": {"type": "long"}}}})),
    );
    let r = c.os_json("PUT", "/m/_doc/1", Some(json!({"n": "abc"})));
    assert_eq!(r.status, 400, "{}", r.text);
    let v = r.json();
    assert_eq!(v["error"]["type"], "mapper_parsing_exception");
    assert_eq!(
        v["error"]["root_cause"][0]["type"],
        "mapper_parsing_exception"
    );
    assert!(
        v["error"]["reason"].as_str().unwrap().contains("[n]"),
        "{v}"
    );
    assert_eq!(c.os_json("GET", "/m/_doc/1", None).status, 404);
    let r = c.send(
        c.os("POST", "/_bulk")
            .header("content-type", "application/x-ndjson")
            .body("{\"index\":{\"_index\":\"m\",\"_id\":\"2\"}}\n{\"n\":\"x\"}\n{\"index\":{\"_index\":\"m\",\"_id\":\"3\"}}\n{\"n\":\"7\"}\n"),
    );
    let v = r.json();
    assert_eq!(v["errors"], true);
    assert_eq!(v["items"][0]["index"]["status"], 400);
    assert_eq!(
        v["items"][0]["index"]["error"]["type"],
        "mapper_parsing_exception"
    );
    assert!(v["items"][0]["index"]["error"].get("root_cause").is_none());
    assert_eq!(v["items"][1]["index"]["status"], 201);
}

#[test]
fn dynamic_updates_are_recorded_and_strict_refuses() {
    let c = Ctx::new();
    let r = c.os_json(
        "PUT",
        "/dyn/_doc/1",
        Some(json!({"word": "hello", "n": 3, "o": {"b": true}})),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let m = c.os_json("GET", "/dyn/_mapping", None).json();
    let props = &m["dyn"]["mappings"]["properties"];
    assert_eq!(props["word"]["type"], "text", "{m}");
    assert_eq!(props["word"]["fields"]["keyword"]["type"], "keyword");
    assert_eq!(props["n"]["type"], "long");
    assert_eq!(props["o"]["properties"]["b"]["type"], "boolean");
    // The dynamic mapping is what later queries and documents see.
    let q = c.os_json(
        "POST",
        "/dyn/_count",
        Some(json!({"query": {"term": {"word.keyword": "hello"}}})),
    );
    assert_eq!(q.json()["count"], 1, "{}", q.text);
    let bad = c.os_json("PUT", "/dyn/_doc/2", Some(json!({"n": "not a number"})));
    assert_eq!(bad.status, 400);
    c.os_json(
        "PUT",
        "/strict",
        Some(json!({"mappings": {"dynamic": "strict", "properties": {"a": {"type": "keyword"}}}})),
    );
    let r = c.os_json("PUT", "/strict/_doc/1", Some(json!({"a": "x", "b": 1})));
    assert_eq!(
        (r.status, r.json()["error"]["type"].as_str()),
        (400, Some("strict_dynamic_mapping_exception"))
    );
}

#[test]
fn ignored_malformed_values_are_not_indexed() {
    let c = Ctx::new();
    c.os_json(
        "PUT",
        "/im",
        Some(json!({"mappings": {"properties": {"n": {"type": "integer", "ignore_malformed": true}}}})),
    );
    let r = c.os_json("PUT", "/im/_doc/1", Some(json!({"n": "x"})));
    assert_eq!(r.status, 201, "{}", r.text);
    c.os_json("PUT", "/im/_doc/2", Some(json!({"n": 5})));
    let count = |q: serde_json::Value| {
        c.os_json("POST", "/im/_count", Some(json!({ "query": q })))
            .json()["count"]
            .clone()
    };
    assert_eq!(count(json!({"exists": {"field": "n"}})), 1);
    assert_eq!(count(json!({"term": {"_ignored": "n"}})), 1);
    // The stored source is the document as sent.
    assert_eq!(
        c.os_json("GET", "/im/_doc/1", None).json()["_source"],
        json!({"n": "x"})
    );
}
