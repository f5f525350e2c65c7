//! Ingest pipelines: stored byte-for-byte (key order kept) after the validation `Pipeline.create`
//! performs. Processors are validated, never executed.

use serde_json::{json, Map, Value};

use super::Cluster;
use crate::http::{iso_now, parse_json_body, simple_match, OsError, OsResult, Req, Resp};

/// Options every processor accepts.
const COMMON: &[&str] = &["tag", "description", "if", "ignore_failure", "on_failure"];

/// (type, required options in the order the factory reads them, optional options).
const PROCESSORS: &[(&str, &[&str], &[&str])] = &[
    ("append", &["field", "value"], &["allow_duplicates"]),
    ("bytes", &["field"], &["target_field", "ignore_missing"]),
    (
        "community_id",
        &[],
        &[
            "source_ip_field",
            "source_port_field",
            "destination_ip_field",
            "destination_port_field",
            "iana_protocol_number_field",
            "protocol_field",
            "icmp_type_field",
            "icmp_code_field",
            "seed",
            "target_field",
            "ignore_missing",
        ],
    ),
    (
        "convert",
        &["field", "type"],
        &["target_field", "ignore_missing"],
    ),
    (
        "copy",
        &["source_field", "target_field"],
        &["ignore_missing", "override_target", "remove_source"],
    ),
    (
        "csv",
        &["field", "target_fields"],
        &[
            "separator",
            "quote",
            "ignore_missing",
            "trim",
            "empty_value",
        ],
    ),
    (
        "date",
        &["field", "formats"],
        &["target_field", "timezone", "locale", "output_format"],
    ),
    (
        "date_index_name",
        &["field", "date_rounding"],
        &[
            "index_name_prefix",
            "date_formats",
            "timezone",
            "locale",
            "index_name_format",
        ],
    ),
    (
        "dissect",
        &["field", "pattern"],
        &["append_separator", "ignore_missing"],
    ),
    ("dot_expander", &["field"], &["path"]),
    ("drop", &[], &[]),
    ("fail", &["message"], &[]),
    (
        "fingerprint",
        &[],
        &[
            "fields",
            "exclude_fields",
            "hash_method",
            "target_field",
            "ignore_missing",
        ],
    ),
    ("foreach", &["field", "processor"], &["ignore_missing"]),
    (
        "grok",
        &["field", "patterns"],
        &[
            "pattern_definitions",
            "trace_match",
            "ignore_missing",
            "capture_all_matches",
        ],
    ),
    (
        "gsub",
        &["field", "pattern", "replacement"],
        &["target_field", "ignore_missing"],
    ),
    (
        "html_strip",
        &["field"],
        &["target_field", "ignore_missing"],
    ),
    ("join", &["field", "separator"], &["target_field"]),
    ("json", &["field"], &["target_field", "add_to_root"]),
    (
        "kv",
        &["field", "field_split", "value_split"],
        &[
            "target_field",
            "include_keys",
            "exclude_keys",
            "ignore_missing",
            "prefix",
            "trim_key",
            "trim_value",
            "strip_brackets",
        ],
    ),
    ("lowercase", &["field"], &["target_field", "ignore_missing"]),
    ("pipeline", &["name"], &["ignore_missing_pipeline"]),
    ("remove", &[], &["field", "exclude_field", "ignore_missing"]),
    (
        "remove_by_pattern",
        &[],
        &["field_pattern", "exclude_field_pattern"],
    ),
    (
        "rename",
        &["field", "target_field"],
        &["ignore_missing", "override_target"],
    ),
    (
        "script",
        &[],
        &["lang", "id", "source", "params", "options"],
    ),
    (
        "set",
        &["field"],
        &[
            "value",
            "copy_from",
            "override",
            "ignore_empty_value",
            "media_type",
        ],
    ),
    ("sort", &["field"], &["order", "target_field"]),
    (
        "split",
        &["field", "separator"],
        &["target_field", "ignore_missing", "preserve_trailing"],
    ),
    ("trim", &["field"], &["target_field", "ignore_missing"]),
    ("uppercase", &["field"], &["target_field", "ignore_missing"]),
    (
        "uri_parts",
        &["field"],
        &[
            "target_field",
            "keep_original",
            "remove_if_successful",
            "ignore_missing",
        ],
    ),
    ("urldecode", &["field"], &["target_field", "ignore_missing"]),
    (
        "user_agent",
        &["field"],
        &["target_field", "regex_file", "properties", "ignore_missing"],
    ),
    (
        "geoip",
        &["field"],
        &[
            "target_field",
            "database_file",
            "properties",
            "ignore_missing",
            "first_only",
        ],
    ),
];

fn config_error(
    kind: Option<&str>,
    tag: Option<&str>,
    property: Option<&str>,
    reason: impl Into<String>,
) -> OsError {
    let reason = reason.into();
    let msg = match property {
        Some(p) => format!("[{p}] {reason}"),
        None => reason,
    };
    let mut e = OsError::bad_request("parse_exception", msg);
    if let Some(t) = tag {
        e = e.with("processor_tag", t);
    }
    if let Some(p) = property {
        e = e.with("property_name", p);
    }
    if let Some(k) = kind {
        e = e.with("processor_type", k);
    }
    e
}

fn java_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "java.lang.String",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(n) if n.is_i64() => "java.lang.Integer",
        Value::Number(_) => "java.lang.Double",
        Value::Array(_) => "java.util.ArrayList",
        Value::Object(_) => "java.util.HashMap",
        Value::Null => "null",
    }
}

fn validate_processor_list(list: &Value, property: &str) -> Result<(), OsError> {
    let Value::Array(items) = list else {
        return Err(config_error(
            None,
            None,
            Some(property),
            format!("property isn't a list, but of type [{}]", java_type(list)),
        ));
    };
    for item in items {
        validate_processor(item)?;
    }
    Ok(())
}

/// `ConfigurationUtils.readProcessor`: tag, then the processor's own on_failure, then the
/// factory's required options, then the leftover (unsupported) options.
fn validate_processor(item: &Value) -> Result<(), OsError> {
    let Some(map) = item.as_object() else {
        return Err(OsError::bad_request(
            "parse_exception",
            "processor config must be an object",
        ));
    };
    for (kind, config) in map {
        let tag = config.get("tag").and_then(Value::as_str);
        let Some((_, required, optional)) = PROCESSORS.iter().find(|(k, _, _)| k == kind) else {
            return Err(config_error(
                Some(kind),
                tag,
                None,
                format!("No processor type exists with name [{kind}]"),
            ));
        };
        if kind == "script" && config.is_string() {
            continue;
        }
        let Some(cfg) = config.as_object() else {
            return Err(OsError::bad_request(
                "parse_exception",
                format!(
                    "processor [{kind}] config must be an object, but was [{}]",
                    java_type(config)
                ),
            ));
        };
        if let Some(of) = cfg.get("on_failure") {
            validate_processor_list(of, "on_failure")?;
            if of.as_array().is_some_and(Vec::is_empty) {
                return Err(config_error(
                    Some(kind),
                    tag,
                    Some("on_failure"),
                    "processors list cannot be empty",
                ));
            }
        }
        for r in *required {
            if !cfg.contains_key(*r) {
                return Err(config_error(
                    Some(kind),
                    tag,
                    Some(r),
                    "required property is missing",
                ));
            }
        }
        match kind.as_str() {
            "set" if !cfg.contains_key("value") && !cfg.contains_key("copy_from") => {
                return Err(config_error(
                    Some(kind),
                    tag,
                    Some("value"),
                    "required property is missing",
                ));
            }
            "remove" if !cfg.contains_key("field") && !cfg.contains_key("exclude_field") => {
                return Err(config_error(
                    Some(kind),
                    tag,
                    None,
                    "either field or exclude_field must be set",
                ));
            }
            "remove_by_pattern"
                if !cfg.contains_key("field_pattern")
                    && !cfg.contains_key("exclude_field_pattern") =>
            {
                return Err(config_error(
                    Some(kind),
                    tag,
                    None,
                    "either field_pattern or exclude_field_pattern must be set",
                ));
            }
            "script" if !cfg.contains_key("source") && !cfg.contains_key("id") => {
                return Err(config_error(
                    Some(kind),
                    tag,
                    None,
                    "must specify either [source] for an inline script or [id] for a stored script",
                ));
            }
            _ => {}
        }
        if kind == "foreach" {
            if let Some(p) = cfg.get("processor") {
                validate_processor(p)?;
            }
        }
        let unknown: Vec<&String> = cfg
            .keys()
            .filter(|k| {
                !required.contains(&k.as_str())
                    && !optional.contains(&k.as_str())
                    && !COMMON.contains(&k.as_str())
            })
            .collect();
        if !unknown.is_empty() {
            // The validation parses the request into a HashMap: leftovers come in its order.
            let ordered = super::normalize::hash_map_iteration_order(&unknown);
            let list: Vec<&str> = ordered.iter().map(|s| s.as_str()).collect();
            return Err(config_error(
                Some(kind),
                tag,
                None,
                format!("processor [{kind}] doesn't support one or more provided configuration parameters [{}]", list.join(", ")),
            ));
        }
    }
    Ok(())
}

/// The checks `Pipeline.create` makes, in its order.
pub(crate) fn validate(id: &str, body: &Value) -> Result<(), OsError> {
    let Some(map) = body.as_object() else {
        return Err(OsError::bad_request(
            "parse_exception",
            "pipeline config must be an object",
        ));
    };
    if let Some(d) = map.get("description") {
        if !d.is_string() && !d.is_null() {
            return Err(config_error(
                None,
                None,
                Some("description"),
                format!("property isn't a string, but of type [{}]", java_type(d)),
            ));
        }
    }
    if let Some(v) = map.get("version") {
        let s = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if !v.is_null() && s.parse::<i32>().is_err() {
            return Err(OsError::bad_request(
                "number_format_exception",
                format!("For input string: \"{s}\""),
            ));
        }
    }
    let Some(processors) = map.get("processors") else {
        return Err(config_error(
            None,
            None,
            Some("processors"),
            "required property is missing",
        ));
    };
    validate_processor_list(processors, "processors")?;
    if let Some(of) = map.get("on_failure") {
        validate_processor_list(of, "on_failure")?;
    }
    let extra: Vec<&String> = map
        .keys()
        .filter(|k| !["description", "version", "processors", "on_failure"].contains(&k.as_str()))
        .collect();
    if !extra.is_empty() {
        let ordered = super::normalize::hash_map_iteration_order(&extra);
        let list: Vec<&str> = ordered.iter().map(|s| s.as_str()).collect();
        return Err(OsError::bad_request(
            "parse_exception",
            format!("pipeline [{id}] doesn't support one or more provided configuration parameters [{}]", list.join(", ")),
        ));
    }
    if map
        .get("on_failure")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        return Err(OsError::bad_request(
            "parse_exception",
            format!("pipeline [{id}] cannot have an empty on_failure option defined"),
        ));
    }
    Ok(())
}

pub(crate) fn put(c: &mut Cluster, req: &Req, id: &str) -> OsResult {
    let body = parse_json_body(req)?;
    validate(id, &body)?;
    c.pipelines.insert(id.to_string(), body);
    Ok(Resp::ack())
}

pub(crate) fn get(c: &Cluster, id: Option<&str>) -> OsResult {
    let mut out = Map::new();
    // IngestMetadata keeps its pipelines in a HashMap: responses come in its iteration order.
    let keys: Vec<&String> = c.pipelines.keys().collect();
    for k in super::normalize::hash_map_iteration_order(&keys) {
        let v = &c.pipelines[k.as_str()];
        let wanted = id.is_none_or(|ids| ids.split(',').any(|p| simple_match(p, k)));
        if wanted {
            out.insert(k.clone(), v.clone());
        }
    }
    if out.is_empty() && id.is_some() {
        return Ok(Resp::json(404, json!({})));
    }
    Ok(Resp::ok(Value::Object(out)))
}

pub(crate) fn delete(c: &mut Cluster, id: &str) -> OsResult {
    let matched: Vec<String> = c
        .pipelines
        .keys()
        .filter(|k| simple_match(id, k))
        .cloned()
        .collect();
    // IngestService.innerDelete: nothing matched is a 404 unless the id is the match-all `*`.
    if matched.is_empty() && id != "*" {
        return Err(OsError::new(
            404,
            "resource_not_found_exception",
            format!("pipeline [{id}] is missing"),
        ));
    }
    for k in matched {
        c.pipelines.remove(&k);
    }
    Ok(Resp::ack())
}

/// Simulation: documents pass through a pipeline without processors; pipelines with processors
/// are reported per document as not executable (the emulator does not run processors).
pub(crate) fn simulate(c: &Cluster, req: &Req, id: Option<&str>) -> OsResult {
    let body = parse_json_body(req)?;
    let pipeline = match id {
        Some(id) => match c.pipelines.get(id) {
            Some(p) => p.clone(),
            None => {
                return Err(OsError::illegal_argument(format!(
                    "pipeline [{id}] does not exist"
                )))
            }
        },
        None => match body.get("pipeline") {
            Some(p) => {
                validate("_simulate_pipeline", p)?;
                p.clone()
            }
            None => {
                return Err(config_error(
                    None,
                    None,
                    Some("pipeline"),
                    "required property is missing",
                ))
            }
        },
    };
    let Some(docs) = body.get("docs").and_then(Value::as_array) else {
        return Err(config_error(
            None,
            None,
            Some("docs"),
            "required property is missing",
        ));
    };
    let verbose = req.flag("verbose");
    let has_processors = pipeline
        .get("processors")
        .and_then(Value::as_array)
        .is_some_and(|p| !p.is_empty());
    let now = iso_now();
    let results: Vec<Value> = docs
        .iter()
        .map(|d| {
            if has_processors {
                let e = OsError::illegal_argument(
                    "the cluster emulator does not execute ingest processors",
                );
                return json!({"error": e.to_value()["error"]});
            }
            let mut doc = Map::new();
            doc.insert(
                "_index".into(),
                d.get("_index").cloned().unwrap_or(json!("_index")),
            );
            doc.insert("_id".into(), d.get("_id").cloned().unwrap_or(json!("_id")));
            doc.insert(
                "_source".into(),
                d.get("_source").cloned().unwrap_or(json!({})),
            );
            doc.insert("_ingest".into(), json!({"timestamp": now}));
            if verbose {
                json!({"processor_results": []})
            } else {
                json!({"doc": doc})
            }
        })
        .collect();
    Ok(Resp::ok(json!({"docs": results})))
}
