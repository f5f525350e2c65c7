//! "Did you mean" suggestions for misspelt names, and for the field names analysts type.

use super::catalogue::Catalogue;
use super::field_roles;

/// The candidate closest to `name` by edit distance, when it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a, I, S>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(name, c.as_ref()), c.as_ref()))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c.to_string())
}

/// Where a field name that is not mapped is looked for.
pub(crate) struct FieldScope<'a> {
    /// The fields of the index pattern the name is used on.
    pub(crate) fields: Vec<&'a str>,
    /// The log types that index pattern covers.
    pub(crate) log_types: Vec<&'a str>,
    /// Every log type's fields.
    pub(crate) catalogue: &'a Catalogue,
}

/// How many names a hint lists at most.
const MAX_LISTED: usize = 3;

/// What an unmapped field name probably meant, as a hint: the mapped fields it is the end of
/// (`sourceIPAddress` → `aws.cloudtrail.sourceIPAddress`; `useridentity.accesskeyid` →
/// `aws.cloudtrail.userIdentity.accessKeyId`: field names are case-sensitive), the ECS field
/// that holds the same value in every log type (`source.ip`), the log type that has it when the
/// search is on another one, or else the closest name by edit distance.
pub(crate) fn field_hint(name: &str, scope: &FieldScope<'_>) -> Option<String> {
    let mut parts = Vec::new();
    let here = ending_with(name, scope.fields.iter().copied());
    if !here.is_empty() {
        parts.push(format!("did you mean {}?", listed(&here)));
    }
    let role =
        field_roles::role_of(name).or_else(|| here.iter().find_map(|f| field_roles::role_of(f)));
    if let Some(role) = role.filter(|r| scope.fields.contains(&r.field.as_str())) {
        parts.push(format!(
            "`{}` holds {} in every log type.",
            role.field, role.role
        ));
    }
    if here.is_empty() {
        if let Some(elsewhere) = elsewhere(name, scope) {
            parts.push(elsewhere);
        }
    }
    if parts.is_empty() {
        if let Some(close) = closest(name, scope.fields.iter().copied()) {
            parts.push(format!("did you mean `{close}`?"));
        }
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The fields whose last segments are `name`, ignoring case; shortest first.
fn ending_with<'a>(name: &str, fields: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = name.to_lowercase();
    let mut found: Vec<&str> = fields
        .filter(|f| {
            let f = f.to_lowercase();
            f == wanted || f.ends_with(&format!(".{wanted}"))
        })
        .filter(|f| *f != name)
        .collect();
    found.sort_by_key(|f| (f.len(), *f));
    found
}

/// `aws.guardduty.type` used on CloudTrail: which log types have it (or a field it ends).
fn elsewhere(name: &str, scope: &FieldScope<'_>) -> Option<String> {
    let others = scope
        .catalogue
        .log_types
        .iter()
        .map(|l| l.name.as_str())
        .filter(|l| !scope.log_types.contains(l));
    let mut hits: Vec<(String, Vec<&str>)> = Vec::new();
    for log_type in others {
        let fields = scope
            .catalogue
            .of_log_type(log_type)
            .map(|e| e.name.as_str());
        for field in ending_with(name, fields).into_iter().take(1).chain(
            scope
                .catalogue
                .fields
                .get(name)
                .filter(|e| e.log_types.contains(log_type))
                .map(|e| e.name.as_str()),
        ) {
            match hits.iter_mut().find(|(f, _)| f == field) {
                Some((_, log_types)) => {
                    if !log_types.contains(&log_type) {
                        log_types.push(log_type);
                    }
                }
                None => hits.push((field.to_string(), vec![log_type])),
            }
        }
    }
    // The exact name first, then the shortest.
    hits.sort_by_key(|(f, _)| (f != name, f.len()));
    let (field, log_types) = hits.into_iter().next()?;
    let on = if scope.log_types.is_empty() {
        String::new()
    } else {
        format!("; this search is on {}", scope.log_types.join(", "))
    };
    Some(format!(
        "`{field}` is a field of {}{on}.",
        listed_plain(&log_types)
    ))
}

/// The closest field by edit distance, comparing the name with as many trailing segments of
/// each field as it has itself (so a typo in a leaf name finds the namespaced field), ignoring
/// case.
fn closest<'a>(name: &str, fields: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    let segments = wanted.split('.').count();
    let limit = (wanted.chars().count() / 3).max(1);
    fields
        .filter_map(|field| {
            let lower = field.to_lowercase();
            let parts: Vec<&str> = lower.split('.').collect();
            let tail = parts[parts.len().saturating_sub(segments)..].join(".");
            let distance =
                strsim::osa_distance(&wanted, &tail).min(strsim::osa_distance(&wanted, &lower));
            (distance <= limit).then_some((distance, field.len(), field))
        })
        .min()
        .map(|(_, _, field)| field)
}

fn listed(names: &[&str]) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(MAX_LISTED)
        .map(|n| format!("`{n}`"))
        .collect();
    let more = names.len().saturating_sub(MAX_LISTED);
    match (shown.len(), more) {
        (1, _) => shown[0].clone(),
        (_, 0) => format!("one of {}", shown.join(", ")),
        _ => format!("one of {} (and {more} more)", shown.join(", ")),
    }
}

fn listed_plain(names: &[&str]) -> String {
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::catalogue::{Entry, LogType};
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn suggests_close_names_only() {
        let names = ["source.ip", "source.port", "destination.ip"];
        assert_eq!(did_you_mean("source.ipp", &names), Some("source.ip".into()));
        assert_eq!(
            did_you_mean("sorce.port", &names),
            Some("source.port".into())
        );
        assert_eq!(did_you_mean("user.name", &names), None);
    }

    fn catalogue(fields: &[(&str, &[&str])]) -> Catalogue {
        let mut log_types = BTreeSet::new();
        let mut out = BTreeMap::new();
        for (name, lts) in fields {
            log_types.extend(lts.iter().map(|l| l.to_string()));
            out.insert(
                name.to_string(),
                Entry {
                    name: name.to_string(),
                    types: BTreeMap::new(),
                    aggregatable: true,
                    searchable: true,
                    log_types: lts.iter().map(|l| l.to_string()).collect(),
                    shared: false,
                    origins: BTreeMap::new(),
                },
            );
        }
        Catalogue {
            log_types: log_types
                .into_iter()
                .map(|name| LogType {
                    name,
                    index_patterns: Vec::new(),
                })
                .collect(),
            fields: out,
        }
    }

    const CT: &[&str] = &["aws-cloudtrail"];
    const GD: &[&str] = &["aws-guardduty"];
    const ALL: &[&str] = &["aws-cloudtrail", "aws-guardduty"];

    fn hint(name: &str) -> Option<String> {
        let cat = catalogue(&[
            ("source.ip", ALL),
            ("source.address", ALL),
            ("event.action", ALL),
            ("user.id", ALL),
            ("aws.cloudtrail.sourceIPAddress", CT),
            ("aws.cloudtrail.eventName", CT),
            ("aws.cloudtrail.userIdentity.accessKeyId", CT),
            ("aws.guardduty.type", GD),
            ("aws.guardduty.resource.accessKeyDetails.accessKeyId", GD),
        ]);
        let scope = FieldScope {
            fields: cat
                .of_log_type("aws-cloudtrail")
                .map(|e| e.name.as_str())
                .collect(),
            log_types: vec!["aws-cloudtrail"],
            catalogue: &cat,
        };
        field_hint(name, &scope)
    }

    #[test]
    fn leaf_names_find_the_namespaced_field_and_the_ecs_one() {
        assert_eq!(
            hint("sourceIPAddress").as_deref(),
            Some("did you mean `aws.cloudtrail.sourceIPAddress`? `source.ip` holds the client or source address in every log type.")
        );
        assert_eq!(
            hint("eventName").as_deref(),
            Some("did you mean `aws.cloudtrail.eventName`? `event.action` holds the API call or operation in every log type.")
        );
        assert_eq!(
            hint("accessKeyId").as_deref(),
            Some("did you mean `aws.cloudtrail.userIdentity.accessKeyId`? `user.id` holds the access key that signed the call in every log type.")
        );
    }

    #[test]
    fn case_does_not_hide_a_field() {
        assert_eq!(
            hint("useridentity.accesskeyid").as_deref(),
            Some("did you mean `aws.cloudtrail.userIdentity.accessKeyId`? `user.id` holds the access key that signed the call in every log type.")
        );
        assert_eq!(
            hint("Source.IP").as_deref(),
            Some("did you mean `source.ip`?")
        );
    }

    #[test]
    fn a_field_of_another_log_type_says_which() {
        assert_eq!(
            hint("aws.guardduty.type").as_deref(),
            Some("`aws.guardduty.type` is a field of aws-guardduty; this search is on aws-cloudtrail.")
        );
    }

    #[test]
    fn typos_in_leaf_names_still_find_the_field() {
        assert_eq!(
            hint("sourceIPAdress").as_deref(),
            Some("did you mean `aws.cloudtrail.sourceIPAddress`?")
        );
        assert_eq!(
            hint("source.ipp").as_deref(),
            Some("did you mean `source.ip`?")
        );
        assert_eq!(hint("completely.different"), None);
    }
}
