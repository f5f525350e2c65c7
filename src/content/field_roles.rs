//! Field roles: the ECS field that holds one kind of value in every log type, and the raw field
//! names that signal such a value (`client_ip`, `c-ip`, `srcaddr` → `source.ip`). The table is
//! data, in `field-roles.yaml`.

use std::sync::OnceLock;

use serde::Deserialize;

use super::glob;

const TABLE: &str = include_str!("field-roles.yaml");

/// One role: what the value is, its ECS field, and the names that signal it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Role {
    /// What the value is, for messages ("the client or source address").
    pub(crate) role: String,
    /// The ECS field that holds it in every log type.
    pub(crate) field: String,
    /// Raw names that signal it, as sources spell them.
    pub(crate) names: Vec<String>,
    /// Fields with such a name that hold something else (globs).
    #[serde(default)]
    pub(crate) except: Vec<String>,
    /// How two values are the same.
    #[serde(default)]
    pub(crate) compare: Compare,
}

/// How a role's values are compared with the ECS field's.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Compare {
    /// As the ECS field's type compares them.
    #[default]
    Exact,
    /// DNS names: case-insensitive, without the root's trailing dot (`example.com.` is
    /// `example.com`).
    Domain,
}

impl Compare {
    /// A value in the form this comparison uses.
    pub(crate) fn key(self, value: String) -> String {
        match self {
            Compare::Exact => value,
            Compare::Domain => value.trim_end_matches('.').to_lowercase(),
        }
    }
}

impl Role {
    /// Whether a field (a dotted path) is one of this role's raw names: its last segment
    /// matches, and it is neither the ECS field itself nor an exception.
    pub(crate) fn signalled_by(&self, field: &str) -> bool {
        if field == self.field || self.except.iter().any(|e| glob::matches(e, field)) {
            return false;
        }
        let leaf = normalize(field.rsplit('.').next().unwrap_or(field));
        self.names.iter().any(|n| normalize(n) == leaf)
    }
}

/// The role table, parsed once.
pub(crate) fn roles() -> &'static [Role] {
    static PARSED: OnceLock<Vec<Role>> = OnceLock::new();
    PARSED.get_or_init(|| {
        // The table is compiled in: a malformed one fails its unit test, not a user's run.
        serde_saphyr::from_str(TABLE).unwrap_or_default()
    })
}

/// The role a field's name signals, if any.
pub(crate) fn role_of(field: &str) -> Option<&'static Role> {
    // The first role `signalled_by` the field, with the roles' names normalised once and the
    // field's leaf once per call.
    static NAMES: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        roles()
            .iter()
            .map(|r| r.names.iter().map(|n| normalize(n)).collect())
            .collect()
    });
    let leaf = normalize(field.rsplit('.').next().unwrap_or(field));
    roles()
        .iter()
        .zip(names)
        .find(|(role, names)| {
            // The names first (no allocation); the full check only for a role they match.
            names.contains(&leaf) && role.signalled_by(field)
        })
        .map(|(role, _)| role)
}

/// A name as the table compares it: lowercase, without `_` and `-`.
pub(crate) fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_names_ecs_fields() {
        let table: Vec<Role> = serde_saphyr::from_str(TABLE).expect("field-roles.yaml parses");
        assert!(table.len() >= 8);
        assert_eq!(roles(), table.as_slice());
        for role in &table {
            assert!(!role.names.is_empty(), "{}", role.field);
            assert!(role.field.contains('.'), "{}", role.field);
        }
    }

    #[test]
    fn names_match_whatever_the_spelling() {
        assert_eq!(
            role_of("aws.waf.httpRequest.clientIp").map(|r| r.field.as_str()),
            Some("source.ip")
        );
        assert_eq!(
            role_of("aws.cloudfront.c_ip").map(|r| r.field.as_str()),
            Some("source.ip")
        );
        assert_eq!(
            role_of("aws.cloudtrail.sourceIPAddress").map(|r| r.field.as_str()),
            Some("source.ip")
        );
        assert_eq!(
            role_of("aws.cloudtrail.userIdentity.userName").map(|r| r.field.as_str()),
            Some("user.name")
        );
        assert_eq!(
            role_of("source.ip"),
            None,
            "the ECS field is not its own alias"
        );
        assert_eq!(role_of("aws.vpcflowlogs.pkt_srcaddr"), None);
        assert_eq!(
            role_of("aws.cloudtrail.userIdentity.sessionContext.sessionIssuer.userName"),
            None,
            "an exception"
        );
        assert_eq!(
            Compare::Domain.key("Cdn.Example.NET.".into()),
            Compare::Exact.key("cdn.example.net".into())
        );
    }
}
