use serde_json::json;

use crate::common::Ctx;

#[test]
fn documents_with_op_type_and_seq_no() {
    let c = Ctx::new();
    let r = c.os_json(
        "PUT",
        "/state/_doc/lock?op_type=create",
        Some(json!({"owner": "a"})),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["result"], "created");
    let again = c.os_json(
        "PUT",
        "/state/_doc/lock?op_type=create",
        Some(json!({"owner": "b"})),
    );
    assert_eq!(again.status, 409);
    assert_eq!(
        again.json()["error"]["reason"],
        "[lock]: version conflict, document already exists (current version [1])"
    );
    let got = c.os_json("GET", "/state/_doc/lock", None).json();
    assert_eq!(got["_source"], json!({"owner": "a"}));
    let seq = got["_seq_no"].as_i64().unwrap();
    let stale = c.os_json(
        "PUT",
        &format!("/state/_doc/lock?if_seq_no={}&if_primary_term=1", seq + 1),
        Some(json!({"owner": "c"})),
    );
    assert_eq!(stale.status, 409);
    let ok = c.os_json(
        "PUT",
        &format!("/state/_doc/lock?if_seq_no={seq}&if_primary_term=1"),
        Some(json!({"owner": "c"})),
    );
    assert_eq!(
        (ok.status, ok.json()["result"].as_str()),
        (200, Some("updated"))
    );
    assert_eq!(
        c.os_json("DELETE", "/state/_doc/lock", None).json()["result"],
        "deleted"
    );
    let gone = c.os_json("GET", "/state/_doc/lock", None);
    assert_eq!(
        (gone.status, gone.json()),
        (
            404,
            json!({"_index": "state", "_id": "lock", "found": false})
        )
    );
    let no_index = c.os_json("GET", "/nope/_doc/1", None);
    assert_eq!(
        no_index.json()["error"]["type"],
        "index_not_found_exception"
    );
}

#[test]
fn bulk_reports_per_item_results() {
    let c = Ctx::new();
    let body = "{\"index\":{\"_index\":\"s\",\"_id\":\"1\"}}\n{\"a\":1}\n{\"create\":{\"_index\":\"s\",\"_id\":\"1\"}}\n{\"a\":2}\n{\"delete\":{\"_index\":\"s\",\"_id\":\"2\"}}\n";
    let r = c.send(
        c.os("POST", "/_bulk")
            .header("content-type", "application/x-ndjson")
            .body(body),
    );
    let v = r.json();
    assert_eq!(v["errors"], true);
    assert_eq!(v["items"][0]["index"]["status"], 201);
    assert_eq!(v["items"][1]["create"]["status"], 409);
    assert_eq!(
        v["items"][1]["create"]["error"]["type"],
        "version_conflict_engine_exception"
    );
    assert_eq!(v["items"][2]["delete"]["status"], 404);
    assert_eq!(v["items"][2]["delete"]["result"], "not_found");
}

#[test]
fn total_fields_limit_is_enforced_at_index_creation() {
    let c = Ctx::new();
    let props: serde_json::Map<String, serde_json::Value> = (0..4)
        .map(|i| (format!("f{i}"), json!({"type": "keyword"})))
        .collect();
    let body = json!({"settings": {"index.mapping.total_fields.limit": 3}, "mappings": {"properties": props}});
    let r = c.os_json("PUT", "/too-many", Some(body));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["reason"],
        "Limit of total fields [3] in index [too-many] has been exceeded"
    );
}

#[test]
fn mapping_and_settings_of_an_index() {
    let c = Ctx::new();
    c.os_json(
        "PUT",
        "/m",
        Some(json!({"mappings": {"properties": {"a": {"type": "keyword"}}}})),
    );
    let r = c.os_json(
        "PUT",
        "/m/_mapping",
        Some(json!({"properties": {"b": {"type": "long"}}})),
    );
    assert_eq!(r.json(), json!({"acknowledged": true}));
    let m = c.os_json("GET", "/m/_mapping", None).json();
    assert_eq!(
        m["m"]["mappings"]["properties"]["b"],
        json!({"type": "long"})
    );
    let r = c.os_json(
        "PUT",
        "/m/_mapping",
        Some(json!({"properties": {"a": {"type": "long"}}})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "mapper [a] cannot be changed from type [keyword] to [long]"
    );
    let s = c
        .os_json("GET", "/m/_settings?flat_settings=true", None)
        .json();
    assert_eq!(s["m"]["settings"]["index.number_of_shards"], "1");
}
