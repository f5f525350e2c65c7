use serde_json::json;

use crate::common::Ctx;

fn policy() -> serde_json::Value {
    json!({"policy": {"description": "d", "default_state": "hot", "states": [
        {"name": "hot", "actions": [{"rollover": {"min_index_age": "1d"}}], "transitions": [{"state_name": "delete", "conditions": {"min_index_age": "30d"}}]},
        {"name": "delete", "actions": [{"delete": {}}]}
    ], "ism_template": {"index_patterns": ["logs-*"], "priority": 1}}})
}

#[test]
fn create_update_and_get_shapes() {
    let c = Ctx::new();
    let r = c.os_json("PUT", "/_plugins/_ism/policies/p1", Some(policy()));
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.headers["location"], "/_plugins/_ism/policies/p1");
    let created = r.json();
    assert_eq!(created["policy"]["policy"]["schema_version"], 1);

    let again = c.os_json("PUT", "/_plugins/_ism/policies/p1", Some(policy()));
    assert_eq!(again.status, 409);
    assert_eq!(
        again.json()["error"]["type"],
        "version_conflict_engine_exception"
    );
    assert_eq!(
        again.json()["error"]["reason"],
        "[p1]: version conflict, document already exists (current version [1])"
    );

    let got = c.os_json("GET", "/_plugins/_ism/policies/p1", None).json();
    let p = &got["policy"];
    assert_eq!(got["_id"], "p1");
    assert_eq!(p["policy_id"], "p1");
    assert!(p["last_updated_time"].is_u64());
    assert_eq!(p["error_notification"], serde_json::Value::Null);
    assert_eq!(
        p["states"][0]["actions"][0],
        json!({"retry": {"count": 3, "backoff": "exponential", "delay": "1m"}, "rollover": {"min_index_age": "1d", "copy_alias": false}})
    );
    assert_eq!(p["states"][1]["transitions"], json!([]));
    assert!(p["ism_template"].is_array());
    assert!(p["ism_template"][0]["last_updated_time"].is_u64());
    let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "policy_id",
            "description",
            "last_updated_time",
            "schema_version",
            "error_notification",
            "default_state",
            "states",
            "ism_template"
        ]
    );

    let (seq, term) = (
        got["_seq_no"].as_i64().unwrap(),
        got["_primary_term"].as_i64().unwrap(),
    );
    let stale = c.os_json(
        "PUT",
        &format!(
            "/_plugins/_ism/policies/p1?if_seq_no={}&if_primary_term={term}",
            seq + 5
        ),
        Some(policy()),
    );
    assert_eq!(stale.status, 409);
    assert!(stale.json()["error"]["reason"]
        .as_str()
        .unwrap()
        .contains("required seqNo"));
    let upd = c.os_json(
        "PUT",
        &format!("/_plugins/_ism/policies/p1?if_seq_no={seq}&if_primary_term={term}"),
        Some(policy()),
    );
    assert_eq!(upd.status, 200, "{}", upd.text);
    assert_eq!(upd.json()["_version"], 2);

    let missing = c.os_json("GET", "/_plugins/_ism/policies/none", None);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"]["type"], "status_exception");
    assert_eq!(missing.json()["error"]["reason"], "Policy not found");
    assert_eq!(
        c.os_json("DELETE", "/_plugins/_ism/policies/p1", None)
            .json()["result"],
        "deleted"
    );
}

#[test]
fn invalid_policies() {
    let c = Ctx::new();
    let r = c.os_json("PUT", "/_plugins/_ism/policies/x", Some(json!({"policy": {"description": "d", "default_state": "a", "states": [{"name": "a"}], "foo": 1}})));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["reason"],
        "Invalid field: [foo] found in Policy."
    );
    let r = c.os_json("PUT", "/_plugins/_ism/policies/x", Some(json!({"policy": {"description": "d", "default_state": "a", "states": [{"name": "a", "actions": [{"explode": {}}]}]}})));
    assert_eq!(
        r.json()["error"]["reason"],
        "Invalid field: [explode] found in Actions."
    );
}

#[test]
fn scripts_get_their_language_and_the_wrapper_name_is_free() {
    let c = Ctx::new();
    let body = json!({"anything": {"description": "d", "default_state": "a", "states": [{"name": "a", "actions": []}],
        "error_notification": {"channel": {"id": "c1"}, "message_template": {"source": "failed"}}}});
    let r = c.os_json("PUT", "/_plugins/_ism/policies/s", Some(body));
    assert_eq!(r.status, 201, "{}", r.text);
    let got = c.os_json("GET", "/_plugins/_ism/policies/s", None).json();
    assert_eq!(
        got["policy"]["error_notification"],
        json!({"channel": {"id": "c1"}, "message_template": {"source": "failed", "lang": "mustache"}})
    );
    assert_eq!(got["policy"]["ism_template"], serde_json::Value::Null);
    let r = c.os_json("PUT", "/_plugins/_ism/policies/s2", Some(json!({})));
    assert_eq!(r.json()["error"]["type"], "parsing_exception");
    let list = c.os_json("GET", "/_plugins/_ism/policies", None).json();
    assert_eq!(list["total_policies"], 1);
    assert_eq!(list["policies"][0]["_id"], "s");
}
