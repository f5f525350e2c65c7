//! Values in queries checked against the type of their field, as OpenSearch parses them when it
//! builds the query: a search that compares an `ip` field with a word, or a number field with
//! a word, fails on every shard in Discover instead of finding nothing, so it is an error here.
//!
//! Upstream (OpenSearch `server/src/main/java/org/opensearch/index/mapper/`):
//! * `IpFieldMapper.termQuery`: a value with `/` is a CIDR range (`InetAddresses.parseCidr`),
//!   any other value must be an address (`InetAddresses.forString`); range ends are addresses.
//! * `NumberFieldMapper` (`parse` of each `NumberType`): the value must read as a number (a
//!   decimal on an integer field finds nothing, which is not an error).
//! * `DateFieldMapper.termQuery`/`rangeQuery`: date math (`now-1d/d`, `2024-01-31||+1M`) or a
//!   date in the field's format (`strict_date_optional_time||epoch_millis` by default).
//! * `BooleanFieldMapper`: `true`, `false` (or the empty string).
//!
//! Keyword and text fields take any value. Wildcards, prefixes, regular expressions and fuzzy
//! terms are not checked: OpenSearch decides those per query type, and a wrong guess would
//! refuse a search that works.

use std::net::IpAddr;

use serde_json::Value;

use crate::content::mapping::{self, Fields, Lookup};
use crate::content::problem::Problem;
use crate::content::resource::Resource;
use crate::query::eval::dates;
use crate::query::{self, dql, lucene, Language, Tree};

/// A value its field's type cannot hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BadValue {
    pub(super) field: String,
    pub(super) message: String,
    pub(super) hint: String,
}

/// Every value of `query` its field cannot hold (none when the query does not parse: that is
/// reported already).
// For a query not parsed yet; the field check parses its queries once and calls `check_tree`.
#[allow(dead_code)]
pub(super) fn check(language: Language, query: &str, fields: &Fields) -> Vec<BadValue> {
    match query::parse_tree(language, query) {
        Ok((tree, _)) => check_tree(&tree, fields),
        Err(_) => Vec::new(),
    }
}

/// [`check`] of a query already parsed.
pub(super) fn check_tree(tree: &Tree, fields: &Fields) -> Vec<BadValue> {
    let mut out = Vec::new();
    match tree {
        Tree::Dql(node) => walk_dql(node, "", fields, &mut out),
        Tree::Lucene(Some(node)) => walk_lucene(node, fields, &mut out),
        Tree::Lucene(None) => {}
    }
    out
}

fn walk_dql(node: &dql::Node, prefix: &str, fields: &Fields, out: &mut Vec<BadValue>) {
    match node {
        dql::Node::And(nodes) | dql::Node::Or(nodes) => {
            for n in nodes {
                walk_dql(n, prefix, fields, out);
            }
        }
        dql::Node::Not(n) => walk_dql(n, prefix, fields, out),
        dql::Node::Nested { path, query } => {
            if let dql::Term::Literal(_) = path {
                let prefix = format!("{prefix}{}.", path.to_name());
                walk_dql(query, &prefix, fields, out);
            }
        }
        dql::Node::Is {
            field: Some(field @ dql::Term::Literal(_)),
            value: dql::Term::Literal(value),
            ..
        } => {
            let name = format!("{prefix}{}", field.to_name());
            let example = |v: &str| format!("{name}:{v}");
            check_value(&name, value, false, fields, &example, out);
        }
        dql::Node::Range {
            field: field @ dql::Term::Literal(_),
            op,
            value: dql::Term::Literal(value),
        } => {
            let name = format!("{prefix}{}", field.to_name());
            let sign = match op {
                dql::RangeOp::Lt => "<",
                dql::RangeOp::Lte => "<=",
                dql::RangeOp::Gt => ">",
                dql::RangeOp::Gte => ">=",
            };
            let example = |v: &str| format!("{name} {sign} {v}");
            check_value(&name, value, true, fields, &example, out);
        }
        _ => {}
    }
}

fn walk_lucene(node: &lucene::Node, fields: &Fields, out: &mut Vec<BadValue>) {
    match node {
        lucene::Node::Query(clauses) => {
            for clause in clauses {
                walk_lucene(&clause.node, fields, out);
            }
        }
        lucene::Node::Term {
            field: lucene::Field::Named(name),
            kind: lucene::TermKind::Term | lucene::TermKind::Phrase,
            text,
            ..
        } => {
            let example = |v: &str| format!("{name}:{}", v.replace('/', "\\/"));
            check_value(
                name,
                &Value::String(text.clone()),
                false,
                fields,
                &example,
                out,
            );
        }
        lucene::Node::Range {
            field: lucene::Field::Named(name),
            low,
            high,
            ..
        } => {
            let example = |v: &str| format!("{name}:[{v} TO *]");
            for end in [low, high].into_iter().flatten() {
                if end != "*" {
                    check_value(
                        name,
                        &Value::String(end.clone()),
                        true,
                        fields,
                        &example,
                        out,
                    );
                }
            }
        }
        _ => {}
    }
}

/// The values in a JSON saved object (a visualization, a dashboard, a search written as JSON):
/// the query of its search source, its filter pills (phrase, phrases and range filters that are
/// not disabled), and the queries of its `filters` aggregations (`filter_queries`: pointer,
/// language, text), each at the line of the value in the file.
pub(super) fn check_saved_object(
    object: &Resource,
    filter_queries: &[(String, Language, String)],
    fields: &Fields,
) -> Vec<Problem> {
    const SOURCE: &str = "/attributes/kibanaSavedObjectMeta/searchSourceJSON";
    let mut found: Vec<(String, BadValue)> = Vec::new();
    let mut queries = Vec::new();
    if let Some(query) = object.body.pointer(&format!("{SOURCE}/query")) {
        let language = match query.get("language").and_then(Value::as_str) {
            Some("lucene") => Language::Lucene,
            _ => Language::Dql,
        };
        let text = query
            .get("query")
            .and_then(Value::as_str)
            .unwrap_or_default();
        queries.push((format!("{SOURCE}/query/query"), language, text.to_string()));
    }
    for (pointer, language, text) in queries.iter().chain(filter_queries) {
        if text.trim().is_empty() {
            continue;
        }
        for bad in check(*language, text, fields) {
            found.push((pointer.clone(), bad));
        }
    }
    let filters = object
        .body
        .pointer(&format!("{SOURCE}/filter"))
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (i, filter) in filters.iter().enumerate() {
        let meta = |key: &str| filter.pointer(&format!("/meta/{key}"));
        if meta("disabled").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let Some(name) = meta("key").and_then(Value::as_str) else {
            continue;
        };
        let pointer = format!("{SOURCE}/filter/{i}/meta/params");
        let example = |v: &str| v.to_string();
        let mut out = Vec::new();
        match (meta("type").and_then(Value::as_str), meta("params")) {
            (Some("phrase"), Some(params)) => {
                let value = params.get("query").unwrap_or(params);
                check_value(name, value, false, fields, &example, &mut out);
            }
            (Some("phrases"), Some(Value::Array(values))) => {
                for value in values {
                    check_value(name, value, false, fields, &example, &mut out);
                }
            }
            (Some("range"), Some(Value::Object(ends))) => {
                for key in ["gte", "gt", "lte", "lt"] {
                    if let Some(value) = ends.get(key) {
                        check_value(name, value, true, fields, &example, &mut out);
                    }
                }
            }
            _ => {}
        }
        found.extend(out.into_iter().map(|bad| (pointer.clone(), bad)));
    }
    found
        .into_iter()
        .map(|(pointer, bad)| {
            Problem::new(&object.file, bad.message)
                .at_line(object.line_of(&pointer))
                .with_hint(bad.hint)
        })
        .collect()
}

/// Checks one value against its field's type; `example` writes the comparison with a valid one.
fn check_value(
    name: &str,
    value: &Value,
    range: bool,
    fields: &Fields,
    example: &dyn Fn(&str) -> String,
    out: &mut Vec<BadValue>,
) {
    let Lookup::Found(field) = mapping::lookup(fields, name) else {
        return; // unmapped or unsearchable fields are reported by the field checks
    };
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => return,
        other => other.to_string(),
    };
    let ty = field.ty.as_str();
    let problem = match ty {
        "ip" => check_ip(&text, range).err().map(|what| {
            let hint = if range {
                format!("compare with an address, e.g. `{}`", example("10.0.0.1"))
            } else {
                format!(
                    "write an address or a CIDR range, e.g. `{}` or `{}`",
                    example("10.0.0.1"),
                    example("10.0.0.0/8")
                )
            };
            (what, hint)
        }),
        "long" | "integer" | "short" | "byte" | "double" | "float" | "half_float"
        | "scaled_float" | "unsigned_long" => {
            let number = matches!(value, Value::Number(_)) || text.trim().parse::<f64>().is_ok();
            (!number).then(|| {
                (
                    format!("`{text}` is not a number"),
                    format!("compare with a number, e.g. `{}`", example("70")),
                )
            })
        }
        "date" | "date_nanos" => {
            let format = "strict_date_optional_time||epoch_millis";
            let parsed = dates::query_millis(
                &text,
                format,
                &jiff::tz::TimeZone::UTC,
                jiff::Timestamp::now(),
                false,
            );
            parsed.is_err().then(|| {
                (
                    format!("`{text}` is neither a date nor date math"),
                    format!(
                        "write a date such as `{}` or date math such as `{}`",
                        example("\"2024-01-31T00:00:00Z\""),
                        example("now-1d")
                    ),
                )
            })
        }
        "boolean" => (!matches!(text.as_str(), "true" | "false" | "")).then(|| {
            (
                format!("`{text}` is not `true` or `false`"),
                format!("e.g. `{}`", example("true")),
            )
        }),
        _ => None,
    };
    if let Some((what, hint)) = problem {
        out.push(BadValue {
            field: name.to_string(),
            message: format!("`{name}` is a field of type `{ty}`, and {what}: OpenSearch refuses the whole search"),
            hint,
        });
    }
}

/// An address, or (outside ranges) a CIDR range: why not, in words.
fn check_ip(text: &str, range: bool) -> Result<(), String> {
    if let Some((address, bits)) = text.split_once('/').filter(|_| !range) {
        let address: IpAddr = address.parse().map_err(|_| {
            format!("`{text}` is not a CIDR range (`{address}` is not an IP address)")
        })?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        return match bits.parse::<u8>() {
            Ok(n) if n <= max => Ok(()),
            _ => Err(format!(
                "`{text}` is not a CIDR range (the prefix length is 0 to {max})"
            )),
        };
    }
    text.parse::<IpAddr>().map(|_| ()).map_err(|_| {
        if range {
            format!("`{text}` is not an IP address")
        } else {
            format!("`{text}` is neither an IP address nor a CIDR range")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_values_are_addresses_or_cidr_ranges() {
        assert!(check_ip("10.0.0.1", false).is_ok());
        assert!(check_ip("2001:db8::1", false).is_ok());
        assert!(check_ip("10.0.0.0/8", false).is_ok());
        assert!(check_ip("10.0.0.0/33", false).is_err());
        assert!(check_ip("corp-network", false).is_err());
        assert!(check_ip("10.0.0.0/8", true).is_err());
    }
}
