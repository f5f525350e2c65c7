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

/// index-management `RolloverAction.kt`/`RolloverActionParser.kt`, `model/Transition.kt`,
/// `spi/.../model/ActionRetry.kt`, `ActionTimeout.kt`: units parsed as OpenSearch's
/// `ByteSizeValue`/`TimeValue` and written back with `getStringRep`; counts through
/// `longValue()`.
#[test]
fn units_are_stored_normalised() {
    let c = Ctx::new();
    let body = json!({"policy": {"description": "d", "default_state": "hot", "states": [
        {"name": "hot", "actions": [
            {"timeout": "2H", "retry": {"count": "5", "backoff": "Constant", "delay": "10S"},
             "rollover": {"min_size": "50GB", "min_doc_count": "1000", "min_index_age": "1D", "min_primary_shard_size": "10K"}}],
         "transitions": [{"state_name": "warm", "conditions": {"min_index_age": "30D"}}]},
        {"name": "warm", "actions": [], "transitions": [{"state_name": "delete", "conditions": {"min_doc_count": "7"}}]},
        {"name": "delete", "actions": [{"delete": {}}]}
    ]}});
    let put = c.os_json("PUT", "/_plugins/_ism/policies/u", Some(body));
    assert_eq!(put.status, 201, "{}", put.text);
    let echoed = put.json()["policy"]["policy"]["states"][0]["actions"][0].clone();
    let got = c.os_json("GET", "/_plugins/_ism/policies/u", None).json();
    let states = &got["policy"]["states"];
    let action = &states[0]["actions"][0];
    assert_eq!(action, &echoed, "the PUT answer is the parsed policy too");
    assert_eq!(action["timeout"], "2h");
    assert_eq!(
        action["retry"],
        json!({"count": 5, "backoff": "constant", "delay": "10s"})
    );
    assert_eq!(
        action["rollover"],
        json!({"min_size": "50gb", "min_doc_count": 1000, "min_index_age": "1d", "min_primary_shard_size": "10kb", "copy_alias": false})
    );
    assert_eq!(
        states[0]["transitions"][0]["conditions"],
        json!({"min_index_age": "30d"})
    );
    assert_eq!(
        states[1]["transitions"][0]["conditions"],
        json!({"min_doc_count": 7})
    );
}

#[test]
fn bad_units_are_refused_as_upstream_parses_them() {
    let c = Ctx::new();
    let with_action = |action: serde_json::Value| json!({"policy": {"description": "d", "default_state": "a", "states": [{"name": "a", "actions": [action]}]}});
    let cases = [
        (
            json!({"rollover": {"min_size": "50"}}),
            "parse_exception",
            "failed to parse setting [min_size] with value [50] as a size in bytes: unit is missing or unrecognized",
        ),
        (
            json!({"rollover": {"min_size": "1.5gb"}}),
            "parse_exception",
            "Failed to parse bytes value [1.5gb]. Fractional bytes values have been deprecated since Legacy 6.2. Use non-fractional bytes values instead: found for setting [min_size]",
        ),
        // `M` is months to TimeValue: not a unit.
        (
            json!({"rollover": {"min_index_age": "30M"}}),
            "illegal_argument_exception",
            "failed to parse setting [min_index_age] with value [30M] as a time value: unit is missing or unrecognized",
        ),
        (
            json!({"retry": {"count": 1, "backoff": "sometimes"}, "delete": {}}),
            "illegal_argument_exception",
            "No enum constant org.opensearch.indexmanagement.spi.indexstatemanagement.model.ActionRetry.Backoff.SOMETIMES",
        ),
        (
            json!({"rollover": {"min_doc_count": 0}}),
            "illegal_argument_exception",
            "RolloverAction minDocs value must be greater than 0",
        ),
    ];
    for (action, kind, reason) in cases {
        let r = c.os_json(
            "PUT",
            "/_plugins/_ism/policies/bad",
            Some(with_action(action.clone())),
        );
        assert_eq!(r.status, 400, "{action}: {}", r.text);
        assert_eq!(r.json()["error"]["type"], kind, "{action}: {}", r.text);
        assert_eq!(r.json()["error"]["reason"], reason, "{action}");
    }
    let r = c.os_json("GET", "/_plugins/_ism/policies/bad", None);
    assert_eq!(r.status, 404, "nothing refused was stored");
}

/// index-management `TransportDeletePolicyAction.kt`: the policy is read first, and a missing
/// one is `OpenSearchStatusException("Policy <id> is not found", NOT_FOUND)`.
#[test]
fn deleting_a_missing_policy_is_a_status_exception() {
    let c = Ctx::new();
    let r = c.os_json("DELETE", "/_plugins/_ism/policies/none", None);
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json(),
        json!({"error": {"root_cause": [{"type": "status_exception", "reason": "Policy none is not found"}],
            "type": "status_exception", "reason": "Policy none is not found"}, "status": 404})
    );
}
