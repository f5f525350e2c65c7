//! siemctl's record of what it manages, kept in the cluster: one document for the
//! cluster-wide objects (templates, pipelines, ISM policies) and one per Dashboards tenant
//! (saved objects), in siemctl's own index.
//!
//! Each entry holds the digest of the normalised object siemctl last wrote, so that a later
//! plan tells "changed in the content" (desired ≠ recorded) from "changed in the cluster since
//! the last apply" (live ≠ recorded). Before writing, apply records its intent as `pending`;
//! after, the outcome. A run cut off in between leaves pending entries that the next plan
//! resolves by looking at what the cluster holds.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cluster::dashboards::{canonical_tenant, Tenant};
use crate::content::kind::Kind;

/// The index siemctl keeps its state and lock documents in.
pub(crate) const STATE_INDEX: &str = "siemctl-state";
/// The id of the cluster-wide state document.
pub(crate) const CLUSTER_DOC: &str = "state-cluster";

/// The id of a tenant's state document. Every user has a private tenant of their own, so a
/// private tenant's record is per user where the user is known (basic auth); its prefix differs
/// from the custom tenants' so that no tenant name can collide with it. The names of one
/// tenant (`Global` and `global`, `Private` and `private`) share one record, under the name
/// earlier versions gave it (`state-tenant-global`, `state-private-<user>`), so the records
/// already written keep working.
pub(crate) fn tenant_doc(tenant: &str, user: Option<&str>) -> String {
    match (canonical_tenant(tenant), user) {
        (Tenant::Private, Some(user)) => format!("state-private-{user}"),
        (Tenant::Private, None) => "state-private".to_string(),
        (Tenant::Global, _) => "state-tenant-global".to_string(),
        (Tenant::Custom(tenant), _) => format!("state-tenant-{tenant}"),
    }
}

/// Whether a kind's state lives in the tenant document (saved objects) or the cluster one.
pub(crate) fn is_tenant_scoped(kind: Kind) -> bool {
    kind.is_saved_object()
}

/// One state document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct State {
    /// The version of this document's format.
    #[serde(default = "format_version")]
    pub(crate) format: u32,
    /// The content version last applied.
    #[serde(default)]
    pub(crate) content_version: Option<String>,
    /// The git commit of the content last applied, when known.
    #[serde(default)]
    pub(crate) git_commit: Option<String>,
    #[serde(default)]
    pub(crate) applied_at_ms: Option<u64>,
    #[serde(default)]
    pub(crate) applied_by: Option<String>,
    /// The CI job of the last apply, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) applied_run_url: Option<String>,
    /// `kind/id` → entry.
    #[serde(default)]
    pub(crate) objects: BTreeMap<String, Entry>,
}

fn format_version() -> u32 {
    1
}

/// A new document is of the current format (a derived Default wrote `"format": 0`).
impl Default for State {
    fn default() -> State {
        State {
            format: format_version(),
            content_version: None,
            git_commit: None,
            applied_at_ms: None,
            applied_by: None,
            applied_run_url: None,
            objects: BTreeMap::new(),
        }
    }
}

/// What siemctl knows of one object it manages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// Digest of the normalised object siemctl wrote (or, when pending, is writing).
    pub(crate) digest: String,
    /// The content version it was written from.
    pub(crate) version: String,
    /// Set while a write or delete is in flight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pending: Option<Pending>,
    /// For advanced settings: the settings siemctl set, so that one dropped from the content
    /// is unset rather than left behind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) keys: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub(crate) enum Pending {
    /// Being written; `previous` is the digest recorded before (None for a create).
    Write { previous: Option<String> },
    /// Being deleted.
    Delete,
}

/// The key of an object in [`State::objects`].
pub(crate) fn key(kind: Kind, id: &str) -> String {
    format!("{}/{id}", kind.name())
}

/// Parses a key back into kind and id.
pub(crate) fn parse_key(key: &str) -> Option<(Kind, &str)> {
    let (kind, id) = key.split_once('/')?;
    Kind::ALL
        .into_iter()
        .find(|k| k.name() == kind)
        .map(|k| (k, id))
}

/// The digests an object may legitimately have in the cluster, given its entry: what was
/// written, or for an unfinished write, what was there before.
pub(crate) fn accepted_digests(entry: &Entry) -> Vec<&str> {
    match &entry.pending {
        Some(Pending::Write {
            previous: Some(previous),
        }) => vec![entry.digest.as_str(), previous.as_str()],
        _ => vec![entry.digest.as_str()],
    }
}

/// The settings an advanced-settings object declares (None for other kinds).
pub(crate) fn declared_keys(kind: Kind, normalized: &serde_json::Value) -> Option<Vec<String>> {
    (kind == Kind::Config).then(|| {
        normalized
            .get("attributes")
            .and_then(serde_json::Value::as_object)
            .map(|a| a.keys().cloned().collect())
            .unwrap_or_default()
    })
}

/// Settings siemctl set before that the content no longer declares.
pub(crate) fn dropped_keys(entry: Option<&Entry>, normalized: &serde_json::Value) -> Vec<String> {
    let declared = normalized
        .get("attributes")
        .and_then(serde_json::Value::as_object);
    entry
        .and_then(|e| e.keys.as_ref())
        .map(|keys| {
            keys.iter()
                .filter(|k| !declared.is_some_and(|d| d.contains_key(*k)))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tenant_has_one_record_whatever_its_spelling() {
        // The names earlier versions wrote stay the same.
        assert_eq!(tenant_doc("global", None), "state-tenant-global");
        assert_eq!(tenant_doc("secops", Some("u")), "state-tenant-secops");
        assert_eq!(tenant_doc("private", Some("u")), "state-private-u");
        assert_eq!(tenant_doc("__user__", None), "state-private");
        // The upstream aliases share them.
        assert_eq!(tenant_doc("Global", Some("u")), "state-tenant-global");
        assert_eq!(tenant_doc("", None), "state-tenant-global");
        assert_eq!(tenant_doc("Private", Some("u")), "state-private-u");
        assert_eq!(tenant_doc("GLOBAL", None), "state-tenant-GLOBAL");
    }

    #[test]
    fn keys_round_trip() {
        let k = key(Kind::IndexPattern, "log-all");
        assert_eq!(k, "index_pattern/log-all");
        assert_eq!(parse_key(&k), Some((Kind::IndexPattern, "log-all")));
        assert_eq!(parse_key("nonsense"), None);
    }

    #[test]
    fn serialises_pending_operations_readably() {
        let entry = Entry {
            digest: "d".into(),
            version: "1.0.0".into(),
            pending: Some(Pending::Write {
                previous: Some("p".into()),
            }),
            keys: None,
        };
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"digest": "d", "version": "1.0.0", "pending": {"op": "write", "previous": "p"}})
        );
        assert_eq!(accepted_digests(&entry), ["d", "p"]);
        let state: State = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(state.format, 1);
    }
}
