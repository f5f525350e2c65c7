//! One field for one meaning, checked on the documents `siemctl test` makes: every value of an
//! `ip` field is also in `related.ip`, and a field whose name signals a role
//! (`content/field-roles.yaml`: `client_ip`, `c-ip`, `srcaddr`...) has its value in the role's
//! ECS field as well (docs/content-format.md, "Fields every log type fills the same way").
//! Findings are warnings: the golden files still decide whether a test passes.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::expected::Stored;
use super::FileResult;
use crate::content::field_roles::{self, Role};
use crate::content::mapping::{self, Fields};
use crate::content::problem::Problem;

const RELATED_IP: &str = "related.ip";

/// What one check found for one field of one log type.
#[derive(Default)]
struct Tally {
    /// Documents where the field had a value the check could compare.
    considered: usize,
    /// Of those, documents where the value was missing from the ECS field.
    missing: usize,
    /// The first such document: test file and line.
    first: Option<(PathBuf, usize)>,
    /// A value that was missing, for the message.
    example: Option<String>,
}

/// The warnings for the documents of `results`.
pub(crate) fn check(results: &[FileResult]) -> Vec<Problem> {
    // (log type, field, ECS field) → tally
    let mut tallies: BTreeMap<(String, String, String), Tally> = BTreeMap::new();
    for result in results {
        let types: BTreeMap<&str, Fields> = result
            .run
            .mappings
            .iter()
            .map(|(index, mapping)| {
                let mut fields = Fields::new();
                mapping::add_fields(&mut fields, mapping, Path::new(""));
                (index.as_str(), fields)
            })
            .collect();
        for event in &result.run.events {
            let (Some(document), Stored::Document { index, .. }) = (&event.document, &event.stored)
            else {
                continue;
            };
            if event.handled_failure.is_some() {
                continue; // a failed event keeps its raw form only
            }
            let Some(fields) = types.get(index.as_str()) else {
                continue;
            };
            let values = leaf_values(document, fields);
            let mut judge = |field: &str, target: &str, missing: Option<String>| {
                let tally = tallies
                    .entry((
                        result.file.log_type.clone(),
                        field.to_string(),
                        target.to_string(),
                    ))
                    .or_default();
                tally.considered += 1;
                if let Some(value) = missing {
                    tally.missing += 1;
                    if tally.first.is_none() {
                        tally.first = Some((result.file.path.clone(), event.line));
                        tally.example = Some(value);
                    }
                }
            };
            if fields.contains_key(RELATED_IP) {
                let related = ips(values.get(RELATED_IP));
                for (field, vals) in &values {
                    if field == RELATED_IP || fields.get(field).map(|f| f.ty.as_str()) != Some("ip")
                    {
                        continue;
                    }
                    let own = ips(Some(vals));
                    if own.is_empty() {
                        continue;
                    }
                    let missing = own.iter().find(|ip| !related.contains(ip));
                    judge(field, RELATED_IP, missing.map(ToString::to_string));
                }
            }
            for (field, vals) in &values {
                let Some(role) = field_roles::role_of(field) else {
                    continue;
                };
                let Some(target_type) = fields.get(&role.field).map(|f| f.ty.as_str()) else {
                    continue; // validate warns about a role whose ECS field is not mapped
                };
                let keys = |vals: &[&Value]| -> Vec<String> {
                    comparable(vals, target_type)
                        .into_iter()
                        .map(|v| role.compare.key(v))
                        .collect()
                };
                let own = keys(vals);
                if own.is_empty() {
                    continue; // not that kind of value (a service name where an IP goes)
                }
                let theirs = keys(values.get(&role.field).map_or(&[][..], Vec::as_slice));
                let missing = own.iter().find(|v| !theirs.contains(v));
                judge(field, &role.field, missing.cloned());
            }
        }
    }
    let mut problems = Vec::new();
    for ((log_type, field, target), tally) in tallies {
        let (Some((file, line)), Some(example)) = (tally.first, tally.example) else {
            continue;
        };
        let counts = format!(
            "in {} of {} documents of {log_type}",
            tally.missing, tally.considered
        );
        let problem = if target == RELATED_IP {
            Problem::new(
                file,
                format!("`{field}` has an IP that `related.ip` lacks ({example}) {counts}"),
            )
            .with_hint("add every IP the event names to `related.ip` in the pipeline, whatever its role, so that one query on log-* finds it (docs/content-format.md, \"Fields every log type fills the same way\")")
        } else {
            let role = field_roles::roles()
                .iter()
                .find(|r| r.field == target)
                .map_or("its value", |r: &Role| r.role.as_str());
            Problem::new(
                file,
                format!("`{field}` holds {role} by its name, but `{target}` lacks its value ({example}) {counts}"),
            )
            .with_hint(format!("copy the value to `{target}` in the pipeline, where every log type puts it (`siemctl fields {target}`); if this field holds something else, list it under `except` of that role in src/content/field-roles.yaml"))
        };
        problems.push(problem.at_line(Some(line)));
    }
    problems
}

/// Every leaf of a document with its values, by dotted path. Values inside `flat_object`
/// fields are left out: their keys are the source's own (a `userName` among a call's request
/// parameters is not the actor), and so are paths the mapping does not know.
fn leaf_values<'d>(document: &'d Value, fields: &Fields) -> BTreeMap<String, Vec<&'d Value>> {
    fn walk<'d>(
        path: &str,
        value: &'d Value,
        fields: &Fields,
        out: &mut BTreeMap<String, Vec<&'d Value>>,
    ) {
        match value {
            Value::Array(items) => {
                for item in items {
                    walk(path, item, fields, out);
                }
            }
            Value::Object(map) => {
                if fields.get(path).is_some_and(|f| f.ty == "flat_object") {
                    return;
                }
                for (key, child) in map {
                    let child_path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(&child_path, child, fields, out);
                }
            }
            Value::Null => {}
            leaf => {
                if fields.get(path).is_some_and(|f| f.ty != "flat_object") {
                    out.entry(path.to_string()).or_default().push(leaf);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", document, fields, &mut out);
    out
}

/// The values that are IP addresses, parsed (so `::1` and `0:0::1` are one).
fn ips(values: Option<&Vec<&Value>>) -> BTreeSet<IpAddr> {
    values
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// The values as the ECS field's type compares them: IPs parsed, numbers as integers, strings
/// as they are. A value that does not fit the type is not that kind of value and is left out.
fn comparable(values: &[&Value], ty: &str) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| match ty {
            "ip" => v
                .as_str()
                .and_then(|s| s.parse::<IpAddr>().ok())
                .map(|ip| ip.to_string()),
            "long" | "integer" | "short" | "byte" => match v {
                Value::Number(n) => n.as_i64().map(|n| n.to_string()),
                Value::String(s) => s.trim().parse::<i64>().ok().map(|n| n.to_string()),
                _ => None,
            },
            _ => match v {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields() -> Fields {
        let mut f = Fields::new();
        mapping::add_fields(
            &mut f,
            &json!({"properties": {
                "source": {"properties": {"ip": {"type": "ip"}, "port": {"type": "long"}}},
                "related": {"properties": {"ip": {"type": "ip"}}},
                "x": {"properties": {"client_ip": {"type": "ip"}, "client_port": {"type": "keyword"}, "params": {"type": "flat_object"}}}
            }}),
            Path::new(""),
        );
        f
    }

    #[test]
    fn leaves_skip_flat_objects_and_keep_arrays() {
        let doc = json!({"x": {"client_ip": ["10.0.0.1", "10.0.0.2"], "params": {"client_ip": "1.1.1.1"}}, "unmapped": 1});
        let f = fields();
        let leaves = leaf_values(&doc, &f);
        assert_eq!(leaves.keys().collect::<Vec<_>>(), ["x.client_ip"]);
        assert_eq!(leaves["x.client_ip"].len(), 2);
    }

    #[test]
    fn values_compare_as_the_ecs_type_does() {
        assert_eq!(comparable(&[&json!("0:0::1")], "ip"), ["::1"]);
        assert!(comparable(&[&json!("ec2.amazonaws.com")], "ip").is_empty());
        assert_eq!(
            comparable(&[&json!("443"), &json!(443)], "long"),
            ["443", "443"]
        );
    }
}
