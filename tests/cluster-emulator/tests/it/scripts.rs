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
