//! The key fields of a log type: the shared ECS fields analysts search and count by first,
//! those of them the log type's composed mapping has.
//!
//! One order for every log type (never a list per log type): what happened, from where, by
//! whom, with what result, then where to and what else.

use crate::content::mapping::Fields;

/// The fields a scaffold's query, columns and charts start from, most telling first.
pub(crate) const PREFERRED: [&str; 12] = [
    "event.action",
    "source.ip",
    "user.name",
    "event.outcome",
    "destination.ip",
    "rule.name",
    "url.original",
    "host.name",
    "cloud.account.id",
    "cloud.region",
    "user.id",
    "destination.port",
];

/// The preferred fields the log type maps and can search.
pub(crate) fn searchable<'a>(fields: &Fields) -> Vec<&'a str> {
    PREFERRED
        .iter()
        .copied()
        .filter(|name| fields.get(*name).is_some_and(|f| f.searchable))
        .collect()
}

/// The mapped fields the log type fills: those of `filled` (the fields of its test documents),
/// or every mapped field when it has no test documents yet. Every log type composes the shared
/// ECS fields; only the filled ones are worth a query or a column.
pub(crate) fn filled(fields: &Fields, filled: &std::collections::BTreeSet<String>) -> Fields {
    if filled.is_empty() {
        return fields.clone();
    }
    fields
        .iter()
        .filter(|(name, _)| filled.contains(*name) || name.starts_with('@'))
        .map(|(name, field)| (name.clone(), field.clone()))
        .collect()
}

/// The field a chart counts by: the first preferred field that can be aggregated, else the
/// first aggregatable keyword field of the mapping (the log type's own).
pub(crate) fn aggregatable(fields: &Fields) -> Option<String> {
    searchable(fields)
        .into_iter()
        .find(|name| fields[*name].aggregatable() && fields[*name].ty == "keyword")
        .map(str::to_string)
        .or_else(|| {
            fields
                .iter()
                .find(|(name, f)| f.searchable && f.ty == "keyword" && !name.starts_with('@'))
                .map(|(name, _)| name.clone())
        })
}

/// A query that finds the events that have the key fields: `event.action:* and source.ip:*`
/// (the first two mapped), for the analyst to narrow down to values.
pub(crate) fn query(fields: &Fields) -> String {
    let keys = searchable(fields);
    let parts: Vec<String> = keys.iter().take(2).map(|f| format!("{f}:*")).collect();
    parts.join(" and ")
}

/// The columns of a new search: up to five key fields.
pub(crate) fn columns(fields: &Fields) -> Vec<String> {
    let mut keys = searchable(fields);
    // A search lists the event's outcome right after its action.
    if let Some(at) = keys.iter().position(|f| *f == "event.outcome") {
        let outcome = keys.remove(at);
        let after = keys
            .iter()
            .position(|f| *f == "event.action")
            .map_or(0, |p| p + 1);
        keys.insert(after, outcome);
    }
    keys.into_iter().take(5).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::mapping::add_fields;
    use serde_json::json;
    use std::path::Path;

    fn fields(properties: serde_json::Value) -> Fields {
        let mut fields = Fields::new();
        add_fields(
            &mut fields,
            &json!({ "properties": properties }),
            Path::new("t"),
        );
        fields
    }

    #[test]
    fn key_fields_come_from_the_mapping() {
        let f = fields(json!({
            "event": {"properties": {"action": {"type": "keyword"}, "outcome": {"type": "keyword"}}},
            "source": {"properties": {"ip": {"type": "ip"}}},
            "acme": {"properties": {"kind": {"type": "keyword"}}}
        }));
        assert_eq!(query(&f), "event.action:* and source.ip:*");
        assert_eq!(columns(&f), ["event.action", "event.outcome", "source.ip"]);
        assert_eq!(aggregatable(&f).as_deref(), Some("event.action"));
        let own = fields(
            json!({"acme": {"properties": {"kind": {"type": "keyword"}, "note": {"type": "text"}}}}),
        );
        assert_eq!(query(&own), "");
        assert_eq!(aggregatable(&own).as_deref(), Some("acme.kind"));
    }
}
