use serde_json::json;

use crate::common::Ctx;

#[test]
fn painless_execute_errors_have_the_script_exception_shape() {
    let c = Ctx::new();
    // A missing closing parenthesis is a compile error on any Painless.
    let r = c.os_json(
        "POST",
        "/_scripts/painless/_execute",
        Some(json!({"script": {"source": "return (1 + ;"}})),
    );
    assert_eq!(r.status, 400, "{}", r.text);
    let v = r.json();
    assert_eq!(v["status"], 400);
    let root = &v["error"]["root_cause"][0];
    assert_eq!(root["type"], "script_exception");
    assert_eq!(root["reason"], "compile error");
    assert_eq!(root["lang"], "painless");
    assert!(root.get("caused_by").is_none(), "{v}");
    assert_eq!(v["error"]["type"], "script_exception");
    assert_eq!(v["error"]["script"], "return (1 + ;");
    assert!(v["error"]["caused_by"]["type"].is_string(), "{v}");
}

#[test]
fn painless_execute_request_validation() {
    let c = Ctx::new();
    let r = c.os_json(
        "POST",
        "/_scripts/painless/_execute",
        Some(json!({"script": {"id": "stored"}})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "Validation Failed: 1: only inline scripts are supported;"
    );
    let r = c.os_json(
        "POST",
        "/_scripts/painless/_execute",
        Some(json!({"script": {"source": "1"}, "context": "filter"})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "Validation Failed: 1: index is a required parameter for current context;2: document is a required parameter for current context;"
    );
    let r = c.os_json(
        "POST",
        "/_scripts/painless/_execute",
        Some(json!({"script": {"source": "1"}, "context": "score",
                    "context_setup": {"index": "i", "document": {}}})),
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["reason"]
        .as_str()
        .unwrap()
        .contains("not supported by the cluster emulator"));
    let r = c.os_json(
        "POST",
        "/_scripts/painless/_execute",
        Some(json!({"script": {"source": "1"}, "context": "nope"})),
    );
    assert_eq!(
        r.json()["error"]["caused_by"]["reason"],
        "unsupported script context name [nope]"
    );
    let r = c.os_json("POST", "/_scripts/painless/_execute", Some(json!({})));
    assert_eq!(r.json()["error"]["reason"], "Required [script]");
}

#[test]
fn painless_execute_renders_the_result_with_to_string() {
    let c = Ctx::new();
    let run = |body: serde_json::Value| {
        let r = c.os_json("POST", "/_scripts/painless/_execute", Some(body));
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    };
    assert_eq!(
        run(json!({"script": {"source": "params.a + params.b", "params": {"a": 1, "b": 2}}})),
        json!({"result": "3"})
    );
    assert_eq!(
        run(json!({"script": {"source": "return null"}})),
        json!({"result": "null"})
    );
    assert_eq!(
        run(json!({"script": {"source": "['a': 1]"}, "context": "painless_test"})),
        json!({"result": "{a=1}"})
    );
}

#[test]
fn update_scripts_change_the_source_or_delete() {
    let c = Ctx::new();
    c.os_json("PUT", "/u/_doc/1", Some(json!({"n": 1})));
    let r = c.os_json(
        "POST",
        "/u/_update/1",
        Some(json!({"script": {"source": "ctx._source.n += params.k", "params": {"k": 5}}})),
    );
    assert_eq!(r.json()["result"], "updated", "{}", r.text);
    assert_eq!(
        c.os_json("GET", "/u/_doc/1", None).json()["_source"],
        json!({"n": 6})
    );
    let r = c.os_json(
        "POST",
        "/u/_update/1",
        Some(json!({"script": "ctx.op = 'none'"})),
    );
    assert_eq!(r.json()["result"], "noop");
    let r = c.os_json(
        "POST",
        "/u/_update/1",
        Some(json!({"script": "ctx.op = 'delete'"})),
    );
    assert_eq!(r.json()["result"], "deleted");
    // A scripted upsert runs the script on the upsert document.
    let r = c.os_json(
        "POST",
        "/u/_update/2",
        Some(json!({"script": "ctx._source.ran = true", "upsert": {"a": 1}, "scripted_upsert": true})),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        c.os_json("GET", "/u/_doc/2", None).json()["_source"],
        json!({"a": 1, "ran": true})
    );
}
