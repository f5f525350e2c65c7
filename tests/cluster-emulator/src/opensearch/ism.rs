//! Index State Management policies (`/_plugins/_ism/policies`, also `/_opendistro/_ism/policies`).

use serde_json::{json, Map, Value};

use super::units;
use super::Cluster;
use crate::http::{now_millis, parse_json_body, OsError, OsResult, Req, Resp};

const CONFIG_INDEX: &str = ".opendistro-ism-config";

#[derive(Debug, Clone)]
pub(crate) struct StoredPolicy {
    /// The policy object as GET returns it (server fields included).
    pub(crate) policy: Value,
    pub(crate) seq_no: i64,
    pub(crate) version: i64,
}

const ACTIONS: &[&str] = &[
    "rollover",
    "delete",
    "read_only",
    "read_write",
    "replica_count",
    "force_merge",
    "close",
    "open",
    "index_priority",
    "notification",
    "snapshot",
    "allocation",
    "rollup",
    "shrink",
    "transform",
    "alias",
];

fn bad(reason: impl Into<String>) -> OsError {
    OsError::illegal_argument(reason)
}

fn default_retry() -> Value {
    json!({"count": 3, "backoff": "exponential", "delay": "1m"})
}

/// `ActionRetry.parse` (index-management `spi/.../model/ActionRetry.kt`): `count` through
/// `longValue()`, `backoff` through `Backoff.valueOf(text.uppercase())` and stored as its
/// lower-case type, `delay` as a `TimeValue` written back with `stringRep`. Other fields are
/// skipped: the parser has no `else` branch.
fn parse_retry(v: &Value) -> Result<Value, OsError> {
    let Some(m) = v.as_object() else {
        return Err(bad("retry must be an object"));
    };
    let mut count = None;
    let mut backoff = json!("exponential");
    let mut delay = json!("1m");
    for (k, val) in m {
        match k.as_str() {
            "count" => count = Some(units::long_value(val, "count")?),
            "backoff" => {
                let text = scalar_text(val);
                let upper = text.to_uppercase();
                if !["EXPONENTIAL", "CONSTANT", "LINEAR"].contains(&upper.as_str()) {
                    return Err(bad(format!(
                        "No enum constant org.opensearch.indexmanagement.spi.indexstatemanagement.model.ActionRetry.Backoff.{upper}"
                    )));
                }
                backoff = json!(upper.to_lowercase());
            }
            "delay" => delay = json!(units::time_value_rep(&scalar_text(val), "delay")?),
            _ => {}
        }
    }
    let Some(count) = count else {
        return Err(bad("ActionRetry count is null"));
    };
    if count < 0 {
        return Err(bad("Count for ActionRetry must be a non-negative number"));
    }
    Ok(json!({"count": count, "backoff": backoff, "delay": delay}))
}

/// `xcp.text()` of a scalar: the string, or the number or boolean as written.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A `Script` as ISM stores it: `Script.parse` with mustache as the default language, written
/// back by `Script.toXContent` as source, lang, then options and params when not empty.
fn script(v: &Value) -> Result<Value, OsError> {
    let m = match v {
        Value::String(s) => {
            return Ok(json!({"source": s, "lang": "mustache"}));
        }
        Value::Object(m) => m,
        _ => return Err(bad("message_template must be an object")),
    };
    let mut out = Map::new();
    for k in m.keys() {
        if !["source", "id", "lang", "options", "params"].contains(&k.as_str()) {
            return Err(OsError::bad_request(
                "parse_exception",
                format!("[script] unknown field [{k}]"),
            ));
        }
    }
    match (m.get("source"), m.get("id")) {
        (Some(src), _) => {
            out.insert("source".into(), src.clone());
        }
        (None, Some(id)) => {
            out.insert("id".into(), id.clone());
        }
        (None, None) => {
            return Err(bad(
                "must specify either [source] for an inline script or [id] for a stored script",
            ))
        }
    }
    if m.contains_key("source") {
        out.insert(
            "lang".into(),
            m.get("lang").cloned().unwrap_or_else(|| json!("mustache")),
        );
    }
    if let Some(o) = m
        .get("options")
        .filter(|o| o.as_object().is_some_and(|x| !x.is_empty()))
    {
        out.insert("options".into(), o.clone());
    }
    if let Some(p) = m
        .get("params")
        .filter(|p| p.as_object().is_some_and(|x| !x.is_empty()))
    {
        out.insert("params".into(), p.clone());
    }
    Ok(Value::Object(out))
}

fn action_body(kind: &str, cfg: &Value) -> Result<Value, OsError> {
    let m = cfg.as_object().cloned().unwrap_or_default();
    let out = match kind {
        // RolloverActionParser.fromXContent and RolloverAction.populateAction: sizes as
        // ByteSizeValue, the age as TimeValue (both written back with `stringRep`), the doc
        // count through `longValue()`; RolloverAction's init checks.
        "rollover" => {
            for k in m.keys() {
                if ![
                    "min_size",
                    "min_doc_count",
                    "min_index_age",
                    "min_primary_shard_size",
                    "copy_alias",
                ]
                .contains(&k.as_str())
                {
                    return Err(bad(format!(
                        "Invalid field: [{k}] found in RolloverAction."
                    )));
                }
            }
            let mut o = Map::new();
            if let Some(v) = m.get("min_size") {
                let rep = units::byte_size_rep(&scalar_text(v), "min_size")?;
                if !positive_size(&rep) {
                    return Err(bad("RolloverAction minSize value must be greater than 0"));
                }
                o.insert("min_size".into(), json!(rep));
            }
            if let Some(v) = m.get("min_doc_count") {
                let docs = units::long_value(v, "min_doc_count")?;
                if docs <= 0 {
                    return Err(bad("RolloverAction minDocs value must be greater than 0"));
                }
                o.insert("min_doc_count".into(), json!(docs));
            }
            if let Some(v) = m.get("min_index_age") {
                o.insert(
                    "min_index_age".into(),
                    json!(units::time_value_rep(&scalar_text(v), "min_index_age")?),
                );
            }
            if let Some(v) = m.get("min_primary_shard_size") {
                let rep = units::byte_size_rep(&scalar_text(v), "min_primary_shard_size")?;
                if !positive_size(&rep) {
                    return Err(bad(
                        "RolloverAction minPrimaryShardSize value must be greater than 0",
                    ));
                }
                o.insert("min_primary_shard_size".into(), json!(rep));
            }
            o.insert(
                "copy_alias".into(),
                m.get("copy_alias").cloned().unwrap_or(json!(false)),
            );
            Value::Object(o)
        }
        "allocation" => json!({
            "require": m.get("require").cloned().unwrap_or(json!({})),
            "include": m.get("include").cloned().unwrap_or(json!({})),
            "exclude": m.get("exclude").cloned().unwrap_or(json!({})),
            "wait_for": m.get("wait_for").cloned().unwrap_or(json!(false)),
        }),
        "replica_count" => {
            if !m.contains_key("number_of_replicas") {
                return Err(bad("ReplicaCountAction number_of_replicas is null"));
            }
            Value::Object(m)
        }
        "index_priority" => {
            if !m.contains_key("priority") {
                return Err(bad("IndexPriorityAction priority is null"));
            }
            Value::Object(m)
        }
        "force_merge" => {
            if !m.contains_key("max_num_segments") {
                return Err(bad("max_num_segments is null"));
            }
            Value::Object(m)
        }
        "delete" | "read_only" | "read_write" | "close" | "open" => json!({}),
        "notification" => {
            let mut o = Map::new();
            for key in ["destination", "channel"] {
                if let Some(x) = m.get(key) {
                    o.insert(key.into(), x.clone());
                }
            }
            match m.get("message_template") {
                Some(t) => {
                    o.insert("message_template".into(), script(t)?);
                }
                None => return Err(bad("NotificationAction message_template is null")),
            }
            Value::Object(o)
        }
        _ => Value::Object(m),
    };
    Ok(out)
}

fn parse_action(v: &Value) -> Result<Value, OsError> {
    let Some(m) = v.as_object() else {
        return Err(bad("action must be an object"));
    };
    let mut timeout = None;
    let mut retry = None;
    let mut action: Option<(String, Value)> = None;
    for (k, val) in m {
        match k.as_str() {
            // ActionTimeout.parse: a string only, a TimeValue written back with `stringRep`.
            "timeout" => {
                let Value::String(text) = val else {
                    return Err(bad(format!(
                        "Invalid token: [{}] for ActionTimeout",
                        token_name(val)
                    )));
                };
                timeout = Some(json!(units::time_value_rep(text, "timeout")?));
            }
            "retry" => retry = Some(parse_retry(val)?),
            kind if ACTIONS.contains(&kind) => {
                action = Some((kind.to_string(), action_body(kind, val)?))
            }
            other => return Err(bad(format!("Invalid field: [{other}] found in Actions."))),
        }
    }
    let Some((kind, body)) = action else {
        return Err(bad("Invalid action: no action type given"));
    };
    let mut out = Map::new();
    if let Some(t) = timeout {
        out.insert("timeout".into(), t);
    }
    out.insert("retry".into(), retry.unwrap_or_else(default_retry));
    out.insert(kind, body);
    Ok(Value::Object(out))
}

fn parse_transition(v: &Value) -> Result<Value, OsError> {
    let Some(m) = v.as_object() else {
        return Err(bad("transition must be an object"));
    };
    let mut out = Map::new();
    let Some(name) = m.get("state_name") else {
        return Err(bad("Transition state_name is null"));
    };
    out.insert("state_name".into(), name.clone());
    for (k, val) in m {
        match k.as_str() {
            "state_name" => {}
            "conditions" => {
                let Some(c) = val.as_object() else {
                    return Err(bad("conditions must be an object"));
                };
                for ck in c.keys() {
                    if ![
                        "min_index_age",
                        "min_doc_count",
                        "min_size",
                        "cron",
                        "min_rollover_age",
                        "min_primary_shard_size",
                    ]
                    .contains(&ck.as_str())
                    {
                        return Err(bad(format!("Invalid field: [{ck}] found in Conditions.")));
                    }
                }
                if c.len() != 1 {
                    return Err(bad("Cannot provide more than one Transition condition"));
                }
                out.insert("conditions".into(), conditions(c)?);
            }
            other => {
                return Err(bad(format!(
                    "Invalid field: [{other}] found in Transition."
                )))
            }
        }
    }
    Ok(Value::Object(out))
}

/// `Conditions.parse` and `toXContent` (index-management `model/Transition.kt`): ages as
/// TimeValue and sizes as ByteSizeValue written back with `stringRep`, the doc count through
/// `longValue()`, in the order toXContent writes them; the init checks.
fn conditions(c: &Map<String, Value>) -> Result<Value, OsError> {
    let mut out = Map::new();
    for key in [
        "min_index_age",
        "min_doc_count",
        "min_size",
        "min_primary_shard_size",
        "cron",
        "min_rollover_age",
    ] {
        let Some(v) = c.get(key) else { continue };
        let stored = match key {
            "min_index_age" | "min_rollover_age" => {
                json!(units::time_value_rep(&scalar_text(v), key)?)
            }
            "min_doc_count" => {
                let docs = units::long_value(v, key)?;
                if docs <= 0 {
                    return Err(bad("Transition doc count condition must be greater than 0"));
                }
                json!(docs)
            }
            "min_size" | "min_primary_shard_size" => {
                let rep = units::byte_size_rep(&scalar_text(v), key)?;
                if !positive_size(&rep) {
                    return Err(bad("Transition size condition must be greater than 0"));
                }
                json!(rep)
            }
            _ => v.clone(),
        };
        out.insert(key.into(), stored);
    }
    Ok(Value::Object(out))
}

/// A `stringRep` of a byte size above 0 (the non-positive ones are printed bare).
fn positive_size(rep: &str) -> bool {
    rep.ends_with('b')
}

/// The Jackson token name of a value, for parser messages.
fn token_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "VALUE_NULL",
        Value::Bool(true) => "VALUE_TRUE",
        Value::Bool(false) => "VALUE_FALSE",
        Value::Number(_) => "VALUE_NUMBER",
        Value::String(_) => "VALUE_STRING",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

fn parse_state(v: &Value) -> Result<Value, OsError> {
    let Some(m) = v.as_object() else {
        return Err(bad("state must be an object"));
    };
    let mut name = None;
    let mut actions = Vec::new();
    let mut transitions = Vec::new();
    for (k, val) in m {
        match k.as_str() {
            "name" => name = val.as_str().map(str::to_string),
            "actions" => {
                for a in val.as_array().cloned().unwrap_or_default() {
                    actions.push(parse_action(&a)?);
                }
            }
            "transitions" => {
                for t in val.as_array().cloned().unwrap_or_default() {
                    transitions.push(parse_transition(&t)?);
                }
            }
            other => return Err(bad(format!("Invalid field: [{other}] found in State."))),
        }
    }
    let Some(name) = name else {
        return Err(bad("State name is null"));
    };
    Ok(json!({"name": name, "actions": actions, "transitions": transitions}))
}

fn parse_ism_template(v: &Value, now: u64) -> Result<Value, OsError> {
    let Some(m) = v.as_object() else {
        return Err(bad("ism_template must be an object"));
    };
    let mut patterns = None;
    let mut priority = 0;
    let mut given_time: Option<u64> = None;
    for (k, val) in m {
        match k.as_str() {
            "index_patterns" => {
                let Some(list) = val.as_array() else {
                    return Err(bad("index_patterns must be an array"));
                };
                patterns = Some(list.clone());
            }
            "priority" => priority = val.as_i64().unwrap_or(0),
            // ISMTemplate.parse keeps a given time (epoch millis); only a missing one is "now".
            "last_updated_time" => given_time = val.as_u64(),
            other => {
                return Err(bad(format!(
                    "Invalid field: [{other}] found in ISMTemplate."
                )))
            }
        }
    }
    let patterns = patterns.unwrap_or_default();
    if patterns.is_empty() {
        return Err(bad("at least give one index pattern"));
    }
    if priority < 0 {
        return Err(bad("Requires priority to be >= 0"));
    }
    Ok(
        json!({"index_patterns": patterns, "priority": priority, "last_updated_time": given_time.unwrap_or(now)}),
    )
}

/// Parses a request policy into the server's shape (with `schema_version` as given, default 1).
fn parse_policy(id: &str, v: &Value, now: u64) -> Result<Map<String, Value>, OsError> {
    let Some(m) = v.as_object() else {
        return Err(bad("policy must be an object"));
    };
    let mut description = None;
    let mut schema_version = json!(1);
    let mut error_notification = Value::Null;
    let mut default_state = None;
    let mut states = Vec::new();
    let mut ism_template = Value::Null;
    for (k, val) in m {
        match k.as_str() {
            "policy_id" | "last_updated_time" | "user" => {}
            "description" => description = val.as_str().map(str::to_string),
            "schema_version" => schema_version = val.clone(),
            "error_notification" => {
                if !val.is_null() {
                    let Some(en) = val.as_object() else {
                        return Err(bad("error_notification must be an object"));
                    };
                    let mut out = Map::new();
                    for key in ["destination", "channel", "message_template"] {
                        if let Some(x) = en.get(key) {
                            let v = if key == "message_template" {
                                script(x)?
                            } else {
                                x.clone()
                            };
                            out.insert(key.into(), v);
                        }
                    }
                    if usize::from(en.contains_key("destination"))
                        + usize::from(en.contains_key("channel"))
                        != 1
                    {
                        return Err(bad(
                            "ErrorNotification must contain a single destination or channel",
                        ));
                    }
                    for key in en.keys() {
                        if !["destination", "channel", "message_template"].contains(&key.as_str()) {
                            return Err(bad(format!(
                                "Invalid field: [{key}] found in ErrorNotification."
                            )));
                        }
                    }
                    if !out.contains_key("message_template") {
                        return Err(bad("ErrorNotification message template is null"));
                    }
                    error_notification = Value::Object(out);
                }
            }
            "default_state" => default_state = val.as_str().map(str::to_string),
            "states" => {
                for s in val.as_array().cloned().unwrap_or_default() {
                    states.push(parse_state(&s)?);
                }
            }
            "ism_template" => {
                ism_template = match val {
                    Value::Null => Value::Null,
                    Value::Array(items) => Value::Array(
                        items
                            .iter()
                            .map(|i| parse_ism_template(i, now))
                            .collect::<Result<_, _>>()?,
                    ),
                    other => Value::Array(vec![parse_ism_template(other, now)?]),
                };
            }
            other => return Err(bad(format!("Invalid field: [{other}] found in Policy."))),
        }
    }
    let Some(description) = description else {
        return Err(bad("description is null"));
    };
    let Some(default_state) = default_state else {
        return Err(bad("default_state is null"));
    };
    // The checks of Policy's init block, in their order.
    let names: Vec<&str> = states.iter().filter_map(|s| s["name"].as_str()).collect();
    let mut uniq = names.clone();
    uniq.sort_unstable();
    uniq.dedup();
    for s in &states {
        for t in s["transitions"].as_array().into_iter().flatten() {
            let target = t["state_name"].as_str().unwrap_or("");
            if !names.contains(&target) {
                return Err(bad(format!(
                    "Policy contains a transition in state={} pointing to a nonexistent state={target}",
                    s["name"].as_str().unwrap_or("")
                )));
            }
        }
    }
    if uniq.len() != names.len() {
        return Err(bad("Policy cannot have duplicate state names"));
    }
    if states.is_empty() {
        return Err(bad("Policy must contain at least one State"));
    }
    if !names.contains(&default_state.as_str()) {
        return Err(bad("Policy must have a valid default state"));
    }
    let mut out = Map::new();
    out.insert("policy_id".into(), json!(id));
    out.insert("description".into(), json!(description));
    out.insert("last_updated_time".into(), json!(now));
    out.insert("schema_version".into(), schema_version);
    out.insert("error_notification".into(), error_notification);
    out.insert("default_state".into(), json!(default_state));
    out.insert("states".into(), Value::Array(states));
    out.insert("ism_template".into(), ism_template);
    Ok(out)
}

fn version_conflict(_id: &str, reason: String) -> OsError {
    OsError::new(409, "version_conflict_engine_exception", reason)
        .with("index_uuid", "emulatorIsmConfigIdx0")
        .with("shard", "0")
        .with("index", CONFIG_INDEX)
}

pub(crate) fn put(c: &mut Cluster, req: &Req, id: Option<&str>) -> OsResult {
    let Some(id) = id.filter(|i| !i.is_empty()) else {
        return Err(bad("Missing policy ID"));
    };
    let body = parse_json_body(req)?;
    // parseWithType: exactly one wrapping field, whatever its name.
    let expect = |want: &str, found: &str| {
        OsError::bad_request(
            "parsing_exception",
            format!("Failed to parse object: expecting token of type [{want}] but found [{found}]"),
        )
    };
    let Some(wrapper) = body.as_object() else {
        return Err(expect("START_OBJECT", "VALUE_STRING"));
    };
    let mut fields = wrapper.values();
    let Some(policy_value) = fields.next() else {
        return Err(expect("FIELD_NAME", "END_OBJECT"));
    };
    if !policy_value.is_object() {
        return Err(expect("START_OBJECT", "VALUE_STRING"));
    }
    if fields.next().is_some() {
        return Err(expect("END_OBJECT", "FIELD_NAME"));
    }
    let now = now_millis();
    let parsed = parse_policy(id, policy_value, now)?;
    // ism_template overlap with other policies at the same priority.
    if let Some(templates) = parsed.get("ism_template").and_then(Value::as_array) {
        for t in templates {
            let prio = t["priority"].as_i64().unwrap_or(0);
            let pats: Vec<&str> = t["index_patterns"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (other_id, other) in &c.policies {
                if other_id == id {
                    continue;
                }
                for ot in other.policy["ism_template"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    if ot["priority"].as_i64().unwrap_or(0) != prio {
                        continue;
                    }
                    let opats: Vec<&str> = ot["index_patterns"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    if pats.iter().any(|p| {
                        opats
                            .iter()
                            .any(|q| super::templates::patterns_overlap(p, q, false))
                    }) {
                        return Err(bad(format!(
                            "New policy {id} has an ISM template with index pattern [{}] matching existing policy templates, please use a different priority than {prio}",
                            pats.join(", ")
                        )));
                    }
                }
            }
        }
    }
    let seq = req
        .param("if_seq_no")
        .map(|s| s.parse::<i64>().unwrap_or(-2));
    let term = req
        .param("if_primary_term")
        .map(|s| s.parse::<i64>().unwrap_or(-2));
    let existing = c.policies.get(id).cloned();
    let creating = seq.is_none() || term.is_none();
    if creating {
        if let Some(e) = &existing {
            return Err(version_conflict(
                id,
                format!(
                    "[{id}]: version conflict, document already exists (current version [{}])",
                    e.version
                ),
            ));
        }
    } else {
        let (s, t) = (seq.unwrap_or(-2), term.unwrap_or(-2));
        match &existing {
            Some(e) if e.seq_no == s && t == 1 => {}
            Some(e) => {
                return Err(version_conflict(
                    id,
                    format!(
                        "[{id}]: version conflict, required seqNo [{s}], primary term [{t}]. current document has seqNo [{}] and primary term [1]",
                        e.seq_no
                    ),
                ));
            }
            None => {
                return Err(version_conflict(
                    id,
                    format!("[{id}]: version conflict, required seqNo [{s}], primary term [{t}]. but no document was found"),
                ));
            }
        }
    }
    c.ism_seq_no += 1;
    let seq_no = c.ism_seq_no;
    let version = existing.as_ref().map_or(1, |e| e.version + 1);
    let mut stored = parsed.clone();
    stored.insert("schema_version".into(), json!(c.ism_schema_version()));
    c.policies.insert(
        id.to_string(),
        StoredPolicy {
            policy: Value::Object(stored),
            seq_no,
            version,
        },
    );
    let body = json!({
        "_id": id, "_version": version, "_primary_term": 1, "_seq_no": seq_no,
        "policy": {"policy": Value::Object(parsed)},
    });
    if existing.is_none() {
        Ok(Resp::json(201, body).with_header("Location", format!("/_plugins/_ism/policies/{id}")))
    } else {
        Ok(Resp::ok(body))
    }
}

fn not_found() -> OsError {
    OsError::new(404, "status_exception", "Policy not found")
}

pub(crate) fn get(c: &Cluster, req: &Req, id: &str) -> OsResult {
    let Some(p) = c.policies.get(id) else {
        if req.method == "HEAD" {
            return Ok(Resp::empty(404));
        }
        return Err(not_found());
    };
    if req.method == "HEAD" {
        return Ok(Resp::empty(200));
    }
    Ok(Resp::ok(
        json!({"_id": id, "_version": p.version, "_seq_no": p.seq_no, "_primary_term": 1, "policy": p.policy}),
    ))
}

pub(crate) fn list(c: &Cluster, req: &Req) -> OsResult {
    let query = req
        .param("queryString")
        .filter(|q| !q.is_empty() && *q != "*");
    let mut items: Vec<Value> = c
        .policies
        .iter()
        .filter(|(id, _)| query.is_none_or(|q| crate::http::simple_match(q, id) || id.contains(q.trim_matches('*'))))
        .map(|(id, p)| json!({"_id": id, "_seq_no": p.seq_no, "_primary_term": 1, "policy": p.policy}))
        .collect();
    let total = items.len();
    let from = req
        .param("from")
        .and_then(|f| f.parse::<usize>().ok())
        .unwrap_or(0);
    let size = req
        .param("size")
        .and_then(|f| f.parse::<usize>().ok())
        .unwrap_or(20);
    if req.param("sortOrder") == Some("desc") {
        items.reverse();
    }
    let page: Vec<Value> = items.into_iter().skip(from).take(size).collect();
    Ok(Resp::ok(json!({"policies": page, "total_policies": total})))
}

pub(crate) fn delete(c: &mut Cluster, id: &str) -> OsResult {
    match c.policies.remove(id) {
        Some(p) => {
            c.ism_seq_no += 1;
            let seq_no = c.ism_seq_no;
            Ok(Resp::ok(json!({
            "_index": CONFIG_INDEX, "_id": id, "_version": p.version + 1, "result": "deleted", "forced_refresh": true,
            "_shards": {"total": 2, "successful": 1, "failed": 0}, "_seq_no": seq_no, "_primary_term": 1,
            })))
        }
        // TransportDeletePolicyAction: a missing policy fails before any delete.
        None => Err(OsError::new(
            404,
            "status_exception",
            format!("Policy {id} is not found"),
        )),
    }
}
