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

fn ndjson(c: &Ctx, path: &str, body: &str) -> crate::common::Reply {
    c.send(
        c.os("POST", path)
            .header("content-type", "application/x-ndjson")
            .body(body.to_string()),
    )
}

#[test]
fn count_resolves_indices_and_evaluates_queries() {
    let c = Ctx::new();
    c.os_json(
        "PUT",
        "/logs-a",
        Some(json!({"mappings": {"properties": {
            "user": {"type": "keyword"}, "n": {"type": "long"}, "ip": {"type": "ip"},
            "msg": {"type": "text"}, "ok": {"type": "boolean"}}},
            "aliases": {"logs": {}}})),
    );
    c.os_json(
        "PUT",
        "/logs-b",
        Some(json!({"mappings": {"properties": {"user": {"type": "keyword"}}}})),
    );
    let body = concat!(
        "{\"index\":{\"_index\":\"logs-a\",\"_id\":\"1\"}}\n",
        "{\"user\":\"alice\",\"n\":3,\"ip\":\"10.1.2.3\",\"msg\":\"Hello World\",\"ok\":true}\n",
        "{\"index\":{\"_index\":\"logs-a\",\"_id\":\"2\"}}\n",
        "{\"user\":[\"bob\",\"carol\"],\"n\":\"4\",\"ok\":false}\n",
        "{\"index\":{\"_index\":\"logs-b\",\"_id\":\"3\"}}\n",
        "{\"user\":\"alice\"}\n"
    );
    let r = ndjson(&c, "/_bulk?refresh=true", body);
    let v = r.json();
    assert_eq!(v["errors"], false, "{}", r.text);
    assert_eq!(v["items"][0]["index"]["forced_refresh"], true);
    assert!(v.get("ingest_took").is_none());
    let count = |path: &str, q: Option<serde_json::Value>| {
        let r = c.os_json("POST", path, q.map(|q| json!({ "query": q })));
        (r.status, r.json())
    };
    assert_eq!(count("/_count", None).1["count"], 3);
    assert_eq!(
        count("/_count", None).1["_shards"],
        json!({"total": 2, "successful": 2, "skipped": 0, "failed": 0})
    );
    assert_eq!(count("/logs-*/_count", None).1["count"], 3);
    assert_eq!(count("/logs/_count", None).1["count"], 2);
    assert_eq!(count("/logs-a,logs-b/_count", None).1["count"], 3);
    assert_eq!(count("/logs-*,-logs-b/_count", None).1["count"], 2);
    assert_eq!(count("/nomatch-*/_count", None).1["count"], 0);
    let (s, e) = count("/missing/_count", None);
    assert_eq!(
        (s, e["error"]["type"].as_str()),
        (404, Some("index_not_found_exception"))
    );
    let q = |q: serde_json::Value| count("/_count", Some(q)).1["count"].clone();
    assert_eq!(q(json!({"term": {"user": "alice"}})), 2);
    assert_eq!(q(json!({"term": {"user": {"value": "carol"}}})), 1);
    assert_eq!(q(json!({"terms": {"user": ["bob", "zed"]}})), 1);
    assert_eq!(q(json!({"term": {"n": 4}})), 1);
    assert_eq!(q(json!({"term": {"n": 3.5}})), 0);
    assert_eq!(q(json!({"term": {"ip": "10.0.0.0/8"}})), 1);
    assert_eq!(q(json!({"term": {"msg": "hello"}})), 1);
    assert_eq!(q(json!({"term": {"msg": "Hello"}})), 0);
    assert_eq!(q(json!({"term": {"ok": "false"}})), 1);
    assert_eq!(q(json!({"exists": {"field": "n"}})), 2);
    assert_eq!(q(json!({"term": {"unmapped": "x"}})), 0);
    assert_eq!(q(json!({"term": {"_index": "logs-b"}})), 1);
    assert_eq!(q(json!({"terms": {"_id": ["1", "3"]}})), 2);
    assert_eq!(
        q(
            json!({"bool": {"filter": [{"term": {"user": "alice"}}], "must_not": {"exists": {"field": "n"}}}})
        ),
        1
    );
    assert_eq!(
        q(json!({"bool": {"should": [{"term": {"user": "bob"}}, {"term": {"user": "alice"}}]}})),
        3
    );
    assert_eq!(q(json!({"match_all": {}})), 3);
    assert_eq!(q(json!({"range": {"n": {"gte": 3, "lt": 4}}})), 1);
    assert_eq!(q(json!({"range": {"n": {"gt": 3.5}}})), 1);
    assert_eq!(
        q(json!({"range": {"ip": {"gte": "10.0.0.0", "lte": "10.255.255.255"}}})),
        1
    );
    assert_eq!(q(json!({"range": {"user": {"gte": "b", "lt": "c"}}})), 1);
    assert_eq!(q(json!({"prefix": {"user": "ca"}})), 1);
    let (s, e) = count("/_count", Some(json!({"match": {"n": 1}})));
    assert_eq!(s, 400);
    assert!(
        e["error"]["reason"]
            .as_str()
            .unwrap()
            .contains("not supported by the cluster emulator"),
        "{e}"
    );
    let (s, e) = count("/_count", Some(json!({"nope": {}})));
    assert_eq!(
        (
            s,
            e["error"]["type"].as_str(),
            e["error"]["reason"].as_str()
        ),
        (400, Some("parsing_exception"), Some("unknown query [nope]"))
    );
    let r = c.os_json("POST", "/_count", Some(json!({"size": 1})));
    assert_eq!(
        r.json()["error"]["reason"],
        "request does not support [size]"
    );
}

#[test]
fn refresh_reports_shards_and_writes_follow_aliases() {
    let c = Ctx::new();
    c.os_json(
        "PUT",
        "/r",
        Some(json!({"settings": {"number_of_replicas": 0}, "aliases": {"w": {}}})),
    );
    let r = c.os_json("POST", "/r/_refresh", None);
    assert_eq!(
        r.json(),
        json!({"_shards": {"total": 1, "successful": 1, "failed": 0}})
    );
    assert_eq!(c.os_json("POST", "/nope/_refresh", None).status, 404);
    let w = c.os_json("PUT", "/w/_doc/1", Some(json!({"a": 1})));
    assert_eq!(w.status, 201, "{}", w.text);
    let v = w.json();
    assert_eq!(v["_index"], "r");
    assert_eq!(
        v["_shards"],
        json!({"total": 1, "successful": 1, "failed": 0})
    );
    assert_eq!(w.headers["location"], "/r/_doc/1");
    assert_eq!(
        c.os_json("GET", "/w/_doc/1", None).json()["_source"],
        json!({"a": 1})
    );
    let put = c.os_json("PUT", "/r/_doc", Some(json!({"a": 1})));
    assert_eq!(put.status, 405);
    let auto = c.os_json("POST", "/r/_doc?routing=x", Some(json!({"a": 2})));
    assert_eq!(auto.status, 201);
    let id = auto.json()["_id"].as_str().unwrap().to_string();
    let got = c.os_json("GET", &format!("/r/_doc/{id}"), None).json();
    assert_eq!(got["_routing"], "x");
    let bad = c.os_json("PUT", "/r/_doc/1?version=3", Some(json!({"a": 1})));
    assert_eq!(
        bad.json()["error"]["reason"],
        "Validation Failed: 1: internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead;"
    );
    let ext = c.os_json(
        "PUT",
        "/r/_doc/e?version=5&version_type=external",
        Some(json!({})),
    );
    assert_eq!(ext.json()["_version"], 5);
    let stale = c.os_json(
        "PUT",
        "/r/_doc/e?version=5&version_type=external",
        Some(json!({})),
    );
    assert_eq!(
        stale.json()["error"]["reason"],
        "[e]: version conflict, current version [5] is higher or equal to the one provided [5]"
    );
    let req_alias = c.os_json("PUT", "/r/_doc/2?require_alias=true", Some(json!({})));
    assert_eq!(req_alias.status, 404);
}

#[test]
fn mget_returns_documents_and_per_doc_failures() {
    let c = Ctx::new();
    c.os_json("PUT", "/g/_doc/1", Some(json!({"a": 1})));
    let r = c.os_json(
        "POST",
        "/_mget",
        Some(json!({"docs": [{"_index": "g", "_id": "1"}, {"_index": "g", "_id": "2"},
                              {"_index": "nope", "_id": "1"}, {"_index": "g", "_id": "1", "_source": false}]})),
    );
    let v = r.json();
    assert_eq!(v["docs"][0]["_source"], json!({"a": 1}), "{v}");
    assert_eq!(
        v["docs"][1],
        json!({"_index": "g", "_id": "2", "found": false})
    );
    assert_eq!(v["docs"][2]["error"]["type"], "index_not_found_exception");
    assert!(v["docs"][3].get("_source").is_none());
    let r = c.os_json("POST", "/g/_mget", Some(json!({"ids": ["1"]})));
    assert_eq!(r.json()["docs"][0]["found"], true);
    let r = c.os_json("POST", "/_mget", Some(json!({"docs": [{"_id": "1"}]})));
    assert_eq!(
        r.json()["error"]["reason"],
        "Validation Failed: 1: index is missing for doc 0;"
    );
}

#[test]
fn count_through_a_filtered_alias_applies_its_filter() {
    let c = Ctx::new();
    c.os_json(
        "PUT",
        "/f",
        Some(
            json!({"mappings": {"properties": {"user": {"type": "keyword"}}},
                    "aliases": {"alice": {"filter": {"term": {"user": "alice"}}}, "all": {}}}),
        ),
    );
    c.os_json("PUT", "/f/_doc/1", Some(json!({"user": "alice"})));
    c.os_json("PUT", "/f/_doc/2", Some(json!({"user": "bob"})));
    let n = |path: &str| c.os_json("GET", path, None).json()["count"].clone();
    assert_eq!(n("/alice/_count"), 1);
    assert_eq!(n("/all/_count"), 2);
    assert_eq!(n("/f/_count"), 2);
    assert_eq!(n("/alice,f/_count"), 2);
}
