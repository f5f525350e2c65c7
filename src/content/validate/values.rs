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
//!   date in the field's own `format` (`strict_date_optional_time||epoch_millis` by default):
//!   see [`crate::content::date_format`]. A value compared with a date field whose format
//!   siemctl cannot read offline is a warning that it was not checked, not an error.
//! * `BooleanFieldMapper`: `true`, `false` (or the empty string).
//!
//! Keyword and text fields take any value. Wildcards, prefixes, regular expressions and fuzzy
//! terms are not checked: OpenSearch decides those per query type, and a wrong guess would
//! refuse a search that works.
//!
//! Where values are: queries (of YAML searches, of JSON objects' search source, of `filters`
//! aggregations), each parsed once by the caller; filter pills of JSON objects (phrase, phrases,
//! range); the `filters` of YAML searches (a `match_phrase` each, as pills are), at the value's
//! line and column.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::path::Path;

use serde_json::Value;
use serde_saphyr::Location;

use crate::content::date_format::{DateFormat, Reading};
use crate::content::kind::Kind;
use crate::content::mapping::{self, Fields, Lookup};
use crate::content::problem::Problem;
use crate::content::resource::Resource;
use crate::content::saved_search::{line, FilterValue, SavedSearch};
use crate::content::Content;
use crate::query::{dql, lucene, Tree};

/// A value its field's type cannot hold, or one that could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BadValue {
    pub(super) field: String,
    pub(super) message: String,
    pub(super) hint: String,
    /// Not checked (a date format siemctl cannot read offline): a warning, not an error.
    pub(super) unchecked: bool,
}

/// A problem with a value, placed in its file; `unchecked` ones are warnings.
#[derive(Debug)]
pub(super) struct Found {
    pub(super) problem: Problem,
    pub(super) unchecked: bool,
}

impl BadValue {
    /// The problem in `file`, placed by `at`.
    fn found(self, file: &Path, at: impl FnOnce(Problem) -> Problem) -> Found {
        Found {
            problem: at(Problem::new(file, self.message)).with_hint(self.hint),
            unchecked: self.unchecked,
        }
    }
}

/// Puts each found problem with the errors or with the warnings.
pub(super) fn route(
    found: impl IntoIterator<Item = Found>,
    problems: &mut Vec<Problem>,
    unchecked: &mut Vec<Problem>,
) {
    for f in found {
        if f.unchecked {
            unchecked.push(f.problem);
        } else {
            problems.push(f.problem);
        }
    }
}

/// Whether some date field of the content's templates has a format with a part siemctl cannot
/// read offline: only then can values have been left unchecked, and the warnings that say so
/// (kept by the one run of the field checks) are reported.
pub(super) fn any_unreadable_date_format(content: &Content) -> bool {
    fn collect<'a>(properties: Option<&'a Value>, formats: &mut BTreeSet<&'a str>) {
        let Some(properties) = properties.and_then(Value::as_object) else {
            return;
        };
        for definition in properties.values() {
            let ty = definition.get("type").and_then(Value::as_str);
            if matches!(ty, Some("date" | "date_nanos")) {
                formats.extend(definition.get("format").and_then(Value::as_str));
            }
            collect(definition.get("properties"), formats);
            collect(definition.get("fields"), formats);
        }
    }
    let mut formats = BTreeSet::new();
    for mappings in content
        .resources
        .iter()
        .filter(|r| matches!(r.kind, Kind::IndexTemplate | Kind::ComponentTemplate))
        .filter_map(|r| r.body.pointer("/template/mappings"))
    {
        collect(
            mappings.get("_doc").unwrap_or(mappings).get("properties"),
            &mut formats,
        );
    }
    formats
        .into_iter()
        .any(|f| DateFormat::new(f).has_unreadable_part())
}

/// Every value of a parsed query its field cannot hold (or that could not be checked).
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
/// its queries, parsed by the caller (`queries`: the JSON pointer of each query's text and its
/// tree: the query of its search source and those of its `filters` aggregations), and its
/// filter pills (phrase, phrases and range filters that are not disabled), each at the line of
/// the value in the file.
pub(super) fn check_saved_object(
    object: &Resource,
    queries: &[(String, Tree)],
    fields: &Fields,
) -> Vec<Found> {
    const SOURCE: &str = "/attributes/kibanaSavedObjectMeta/searchSourceJSON";
    let mut found: Vec<(String, BadValue)> = Vec::new();
    for (pointer, tree) in queries {
        for bad in check_tree(tree, fields) {
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
                // A range query's `format` replaces the field's for its ends (OpenSearch
                // `index/query/RangeQueryBuilder.java`: a forced date math parser); Dashboards'
                // date histogram filters set `strict_date_optional_time` (OpenSearch-Dashboards
                // `src/plugins/data/common/search/aggs/buckets/create_filter/date_histogram.ts`).
                let format = ends.get("format").or_else(|| {
                    filter
                        .get("range")
                        .and_then(|r| r.get(name))
                        .and_then(|r| r.get("format"))
                });
                for key in ["gte", "gt", "lte", "lt"] {
                    if let Some(value) = ends.get(key) {
                        let format = format.and_then(Value::as_str);
                        check_value_as(name, value, true, format, fields, &example, &mut out);
                    }
                }
            }
            _ => {}
        }
        found.extend(out.into_iter().map(|bad| (pointer.clone(), bad)));
    }
    found
        .into_iter()
        .map(|(pointer, bad)| bad.found(&object.file, |p| p.at_line(object.line_of(&pointer))))
        .collect()
}

/// The values of a YAML search's `filters` (each one a `match_phrase` on its field, as a
/// Dashboards filter pill is), at the value's line and column in `file`.
pub(super) fn check_search_filters(
    search: &SavedSearch,
    file: &Path,
    fields: &Fields,
) -> Vec<Found> {
    let mut found = Vec::new();
    for filter in &search.file.filters {
        let filter = &filter.value;
        let whole = &filter.value.referenced;
        let values: Vec<(Value, &Location)> = match &filter.value.value {
            FilterValue::One(value) => vec![(value.to_json(), whole)],
            FilterValue::AnyOf(values) => values
                .iter()
                .map(|v| {
                    let at = Some(&v.referenced).filter(|l| line(l).is_some());
                    (v.value.to_json(), at.unwrap_or(whole))
                })
                .collect(),
        };
        for (value, at) in values {
            let mut bad = Vec::new();
            let example = |v: &str| format!("value: {v}");
            check_value(&filter.field, &value, false, fields, &example, &mut bad);
            let column = usize::try_from(at.column()).ok().filter(|c| *c > 0);
            found.extend(
                bad.into_iter()
                    .map(|b| b.found(file, |p| p.at(line(at), column))),
            );
        }
    }
    found
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
    check_value_as(name, value, range, None, fields, example, out);
}

/// [`check_value`], dates read with `forced_format` when the comparison names one (a range
/// filter's `format`, which OpenSearch's `range` query uses instead of the field's).
fn check_value_as(
    name: &str,
    value: &Value,
    range: bool,
    forced_format: Option<&str>,
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
            let format = match forced_format {
                Some(format) => DateFormat::new(format),
                None => DateFormat::of_field(ty, field.format.as_deref()),
            };
            return check_date(name, &text, ty, &format, example, out);
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
            unchecked: false,
        });
    }
}

/// A value compared with a `date` or `date_nanos` field, read with `format`.
fn check_date(
    name: &str,
    text: &str,
    ty: &str,
    format: &DateFormat,
    example: &dyn Fn(&str) -> String,
    out: &mut Vec<BadValue>,
) {
    // The format is named unless it is the default, which goes without saying.
    let (in_format, a_date) = if format.is_default() {
        (String::new(), Some("\"2024-01-31T00:00:00Z\"".to_string()))
    } else {
        let a_date = format.example().map(|d| {
            if d.bytes().all(|b| b.is_ascii_digit()) {
                d
            } else {
                format!("\"{d}\"")
            }
        });
        (format!(" in the format `{}`", format.text()), a_date)
    };
    let such_as = a_date.map_or(String::new(), |d| format!(" such as `{}`", example(&d)));
    let (message, hint, unchecked) = match format.read(text) {
        Reading::Valid => return,
        Reading::NotADate => (
            format!("`{name}` is a field of type `{ty}`, and `{text}` is neither a date{in_format} nor date math: OpenSearch refuses the whole search"),
            format!(
                "write a date{in_format}{such_as} or date math such as `{}`",
                example("now-1d")
            ),
            false,
        ),
        Reading::BadMath(why) => (
            format!("`{name}` is a field of type `{ty}`, and `{text}` is not valid date math ({why}): OpenSearch refuses the whole search"),
            format!(
                "date math is `now` (or a date and `||`) followed by `+` or `-`, a number and a unit (y, M, w, d, h, m, s), or `/` and a unit to round down, e.g. `{}`",
                example("now-1d/d")
            ),
            false,
        ),
        Reading::Unchecked(why) => (
            format!("`{name}` is a field of type `{ty}` read with the format `{}`: {why}, so the value `{text}` was not checked", format.text()),
            format!(
                "OpenSearch refuses the whole search if the format does not read `{text}`: check it in Discover, or compare with date math such as `{}`, which every format takes",
                example("now-1d")
            ),
            true,
        ),
    };
    out.push(BadValue {
        field: name.to_string(),
        message,
        hint,
        unchecked,
    });
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
