//! A saved plan (`siemctl plan --out FILE`): per target, the changes with the desired objects
//! they write, the digest of every live object the plan was made from, the content version,
//! the tool version and a digest of the rendered content. `siemctl apply FILE` makes the plan
//! again from the file's objects and the cluster as it is now, and applies it only if nothing
//! the plan read has changed ([`TargetPlan::check`]). Pure: reading and writing the file is
//! `crate::planfile`'s.
//!
//! The file is a list of per-target plans, so that one file can hold the plans of several
//! targets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use super::plan::{Action, Change, Desired, Drift, Live, Orphan, Plan};
use crate::content::kind::Kind;

/// What the file says it is.
pub(crate) const FORMAT: &str = "siemctl-plan";
/// The version of the file's layout.
pub(crate) const FORMAT_VERSION: u32 = 1;
/// The version of siemctl that writes and applies plans.
pub(crate) const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Why a plan file cannot be applied as it is.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("not a siemctl plan file (its `format` is `{0}`, not `{FORMAT}`)")]
    NotAPlan(String),
    #[error("the plan file has layout version {0}; this siemctl reads version {FORMAT_VERSION}")]
    Layout(u32),
    #[error("the plan was made by siemctl {made_by}, and this is siemctl {TOOL_VERSION}: a plan is applied by the version that made it\nhint: make the plan again with this version (`siemctl plan --out FILE`), review it, and apply that")]
    ToolVersion { made_by: String },
    #[error("the plan file was changed after siemctl wrote it: {0}\nhint: make the plan again (`siemctl plan --out FILE`); a plan file is applied only as written")]
    Tampered(String),
    #[error("the cluster changed since the plan was made: {}\nhint: make a new plan (`siemctl plan --out FILE`), review it, and apply that", .0.join(", "))]
    Stale(Vec<String>),
    #[error("the plan no longer matches the cluster (siemctl's records changed since it was made, e.g. another apply ran): {}\nhint: make a new plan (`siemctl plan --out FILE`), review it, and apply that", .0.join("; "))]
    Records(Vec<String>),
}

/// The file: `{format, format_version, siemctl_version, created_at, plans: [...]}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PlanFile {
    pub(crate) format: String,
    pub(crate) format_version: u32,
    pub(crate) siemctl_version: String,
    /// When the plan was made (RFC 3339, UTC).
    pub(crate) created_at: String,
    pub(crate) plans: Vec<TargetPlan>,
}

/// Where a plan was made: no credential, only where and as whom-kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Endpoints {
    pub(crate) opensearch_url: String,
    pub(crate) dashboards_url: Option<String>,
    pub(crate) tenant: String,
}

/// The servers as detected when the plan was made (for the reader).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Servers {
    pub(crate) opensearch: String,
    pub(crate) dashboards: Option<String>,
}

/// The plan of one target.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TargetPlan {
    /// `[targets.NAME]` of siemctl.toml, when the plan was made with --target.
    pub(crate) target: Option<String>,
    pub(crate) endpoints: Endpoints,
    pub(crate) servers: Servers,
    pub(crate) content_version: String,
    /// SHA-256 over the kind, id and digest of every desired object, sorted.
    pub(crate) content_digest: String,
    pub(crate) git_commit: Option<String>,
    pub(crate) prune: bool,
    pub(crate) summary: Summary,
    /// The changes, in apply order, with both sides as JSON objects (normalised): `before` the
    /// live object (null for a create), `after` the content's (null for a delete).
    pub(crate) changes: Vec<SavedChange>,
    pub(crate) orphans: Vec<ObjectRef>,
    pub(crate) downgrade: Vec<String>,
    /// Managed objects already as wanted whose record apply rewrites.
    pub(crate) refresh: Vec<ObjectRef>,
    /// `kind/id` → the digest of the live object the plan read, null when it did not exist.
    pub(crate) live: BTreeMap<String, Option<String>>,
    /// Every object of the content, as rendered: what apply writes.
    pub(crate) desired: Vec<SavedObject>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Summary {
    pub(crate) create: usize,
    pub(crate) update: usize,
    pub(crate) delete: usize,
    pub(crate) unchanged: usize,
    pub(crate) drifted: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct ObjectRef {
    pub(crate) kind: String,
    pub(crate) id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SavedChange {
    pub(crate) kind: String,
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) action: String,
    pub(crate) drift: Option<String>,
    pub(crate) unmanaged: bool,
    pub(crate) content_changed: bool,
    pub(crate) before: Option<Value>,
    pub(crate) after: Option<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SavedObject {
    pub(crate) kind: String,
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) digest: String,
    pub(crate) body: Value,
}

/// What a saved plan is made from, besides the plan.
pub(crate) struct Made<'a> {
    pub(crate) target: Option<&'a str>,
    pub(crate) endpoints: Endpoints,
    pub(crate) servers: Servers,
    pub(crate) content_version: String,
    pub(crate) git_commit: Option<String>,
    pub(crate) prune: bool,
    pub(crate) desired: &'a [Desired],
    pub(crate) live: &'a BTreeMap<(Kind, String), Live>,
}

fn key(kind: Kind, id: &str) -> String {
    format!("{}/{id}", kind.name())
}

/// A kind from its name in the file.
pub(crate) fn kind_named(name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.name() == name)
}

fn action_named(name: &str) -> Option<Action> {
    [Action::Create, Action::Update, Action::Delete, Action::NoOp]
        .into_iter()
        .find(|a| a.name() == name)
}

fn drift_named(name: &str) -> Option<Drift> {
    [Drift::Edited, Drift::Deleted]
        .into_iter()
        .find(|d| d.name() == name)
}

/// The digest of a set of desired objects, whatever their order.
pub(crate) fn content_digest<'a>(
    objects: impl Iterator<Item = (Kind, &'a str, &'a str)>,
) -> String {
    let mut lines: Vec<String> = objects
        .map(|(kind, id, digest)| format!("{}\t{id}\t{digest}\n", kind.name()))
        .collect();
    lines.sort();
    let mut hasher = Sha256::new();
    for line in lines {
        hasher.update(line.as_bytes());
    }
    format!("sha256:{}", hex::encode(hasher.finalize()))
}

/// The changes a plan shows (and a saved plan keeps): every change but the unchanged objects
/// siemctl manages.
fn shown(plan: &Plan) -> impl Iterator<Item = &Change> {
    plan.changes
        .iter()
        .filter(|c| c.action != Action::NoOp || c.unmanaged)
}

fn summary(plan: &Plan) -> Summary {
    Summary {
        create: plan.count(Action::Create),
        update: plan.count(Action::Update),
        delete: plan.count(Action::Delete),
        unchanged: plan.count(Action::NoOp),
        drifted: plan.drifted().count(),
    }
}

impl TargetPlan {
    pub(crate) fn new(plan: &Plan, made: Made<'_>) -> TargetPlan {
        let mut live: BTreeMap<String, Option<String>> = made
            .live
            .iter()
            .map(|((kind, id), l)| (key(*kind, id), Some(l.digest.clone())))
            .collect();
        for d in made.desired {
            live.entry(key(d.kind, &d.id)).or_insert(None);
        }
        TargetPlan {
            target: made.target.map(str::to_string),
            endpoints: made.endpoints,
            servers: made.servers,
            content_version: made.content_version,
            content_digest: content_digest(
                made.desired
                    .iter()
                    .map(|d| (d.kind, d.id.as_str(), d.digest.as_str())),
            ),
            git_commit: made.git_commit,
            prune: made.prune,
            summary: summary(plan),
            changes: shown(plan)
                .map(|c| SavedChange {
                    kind: c.kind.name().to_string(),
                    id: c.id.clone(),
                    title: c.title.clone(),
                    action: c.action.name().to_string(),
                    drift: c.drift.map(|d| d.name().to_string()),
                    unmanaged: c.unmanaged,
                    content_changed: c.content_changed,
                    before: c.before.clone(),
                    after: c.after.clone(),
                })
                .collect(),
            orphans: plan
                .orphans
                .iter()
                .map(|o| ObjectRef {
                    kind: o.kind.name().to_string(),
                    id: o.id.clone(),
                })
                .collect(),
            downgrade: plan.downgrade.clone(),
            refresh: refs(&plan.refresh),
            live,
            desired: made
                .desired
                .iter()
                .map(|d| SavedObject {
                    kind: d.kind.name().to_string(),
                    id: d.id.clone(),
                    title: d.title.clone(),
                    digest: d.digest.clone(),
                    body: d.body.clone(),
                })
                .collect(),
        }
    }

    /// "target `prod` (https://…)" or the URL alone.
    pub(crate) fn name(&self) -> String {
        match &self.target {
            Some(target) => format!("target `{target}` ({})", self.endpoints.opensearch_url),
            None => self.endpoints.opensearch_url.clone(),
        }
    }

    /// The desired objects of the file, normalised again and checked against the digests the
    /// file records: a file edited by hand is refused, not applied.
    pub(crate) fn desired(&self) -> Result<Vec<Desired>, Error> {
        let mut desired = Vec::with_capacity(self.desired.len());
        for object in &self.desired {
            let kind = kind_named(&object.kind)
                .ok_or_else(|| Error::Tampered(format!("unknown kind `{}`", object.kind)))?;
            let made = Desired::new(
                kind,
                object.id.clone(),
                object.title.clone(),
                object.body.clone(),
            );
            if made.digest != object.digest {
                return Err(Error::Tampered(format!(
                    "{kind} `{}` is not the object that was planned (its digest differs)",
                    object.id
                )));
            }
            desired.push(made);
        }
        let digest = content_digest(
            desired
                .iter()
                .map(|d| (d.kind, d.id.as_str(), d.digest.as_str())),
        );
        if digest != self.content_digest {
            return Err(Error::Tampered(
                "the content digest does not match its objects".into(),
            ));
        }
        Ok(desired)
    }

    /// Refuses to go on unless the cluster holds what the plan was made from (every live
    /// object with the digest it had, none created since) and the plan made again now is the
    /// saved one (same changes, same drift, same records to refresh).
    pub(crate) fn check(
        &self,
        live: &BTreeMap<(Kind, String), Live>,
        plan: &Plan,
    ) -> Result<(), Error> {
        let now: BTreeMap<String, &str> = live
            .iter()
            .map(|((kind, id), l)| (key(*kind, id), l.digest.as_str()))
            .collect();
        let mut changed = Vec::new();
        for (object, digest) in &self.live {
            let label = label(object);
            match (digest.as_deref(), now.get(object)) {
                (Some(then), Some(now)) if then != *now => {
                    changed.push(format!("{label} (edited)"));
                }
                (Some(_), None) => changed.push(format!("{label} (deleted)")),
                (None, Some(_)) => changed.push(format!("{label} (created)")),
                _ => {}
            }
        }
        for object in now.keys() {
            if !self.live.contains_key(object) {
                changed.push(format!("{} (now managed by siemctl)", label(object)));
            }
        }
        if !changed.is_empty() {
            return Err(Error::Stale(changed));
        }
        let mut differences = Vec::new();
        let then: Vec<(String, String, String, Option<String>, bool)> = self
            .changes
            .iter()
            .map(|c| {
                (
                    c.kind.clone(),
                    c.id.clone(),
                    c.action.clone(),
                    c.drift.clone(),
                    c.unmanaged,
                )
            })
            .collect();
        let now: Vec<(String, String, String, Option<String>, bool)> = shown(plan)
            .map(|c| {
                (
                    c.kind.name().to_string(),
                    c.id.clone(),
                    c.action.name().to_string(),
                    c.drift.map(|d| d.name().to_string()),
                    c.unmanaged,
                )
            })
            .collect();
        for (kind, id, action, drift, unmanaged) in &now {
            let saved = then.iter().find(|t| &t.0 == kind && &t.1 == id);
            let now_says = describe(action, drift.as_deref(), *unmanaged);
            match saved {
                None => differences.push(format!("{kind} `{id}`: now {now_says}, not in the plan")),
                Some(t) if (&t.2, &t.3, t.4) != (action, drift, *unmanaged) => {
                    differences.push(format!(
                        "{kind} `{id}`: planned {}, now {now_says}",
                        describe(&t.2, t.3.as_deref(), t.4)
                    ));
                }
                Some(_) => {}
            }
        }
        for (kind, id, action, drift, unmanaged) in &then {
            if !now.iter().any(|n| &n.0 == kind && &n.1 == id) {
                differences.push(format!(
                    "{kind} `{id}`: planned {}, now nothing to do",
                    describe(action, drift.as_deref(), *unmanaged)
                ));
            }
        }
        let mut refresh_then = self.refresh.clone();
        let mut refresh_now = refs(&plan.refresh);
        refresh_then.sort();
        refresh_now.sort();
        if refresh_then != refresh_now {
            differences.push("the records to rewrite differ".into());
        }
        if self.downgrade != plan.downgrade {
            differences.push("the downgrade check differs".into());
        }
        if differences.is_empty() {
            Ok(())
        } else {
            Err(Error::Records(differences))
        }
    }

    /// The plan as [`crate::output::plan`] shows it. Unknown names (a file edited by hand) are
    /// refused.
    pub(crate) fn to_plan(&self) -> Result<Plan, Error> {
        let bad = |what: &str, name: &str| Error::Tampered(format!("unknown {what} `{name}`"));
        let kind = |name: &str| kind_named(name).ok_or_else(|| bad("kind", name));
        let mut changes = Vec::with_capacity(self.changes.len());
        for c in &self.changes {
            changes.push(Change {
                kind: kind(&c.kind)?,
                id: c.id.clone(),
                title: c.title.clone(),
                action: action_named(&c.action).ok_or_else(|| bad("action", &c.action))?,
                drift: match &c.drift {
                    None => None,
                    Some(d) => Some(drift_named(d).ok_or_else(|| bad("drift", d))?),
                },
                unmanaged: c.unmanaged,
                content_changed: c.content_changed,
                before: c.before.clone(),
                after: c.after.clone(),
            });
        }
        // The unchanged objects are counted, not listed: they come back as no-ops without
        // sides, which is how the plan holds them.
        for _ in 0..self
            .summary
            .unchanged
            .saturating_sub(changes.iter().filter(|c| c.action == Action::NoOp).count())
        {
            changes.push(Change {
                kind: Kind::Config,
                id: String::new(),
                title: None,
                action: Action::NoOp,
                drift: None,
                unmanaged: false,
                content_changed: false,
                before: None,
                after: None,
            });
        }
        let mut orphans = Vec::new();
        for o in &self.orphans {
            orphans.push(Orphan {
                kind: kind(&o.kind)?,
                id: o.id.clone(),
            });
        }
        let mut refresh = Vec::new();
        for r in &self.refresh {
            refresh.push((kind(&r.kind)?, r.id.clone()));
        }
        Ok(Plan {
            changes,
            orphans,
            downgrade: self.downgrade.clone(),
            refresh,
        })
    }
}

fn refs(objects: &[(Kind, String)]) -> Vec<ObjectRef> {
    objects
        .iter()
        .map(|(kind, id)| ObjectRef {
            kind: kind.name().to_string(),
            id: id.clone(),
        })
        .collect()
}

/// `kind/id` as `kind `id``.
fn label(key: &str) -> String {
    match key.split_once('/') {
        Some((kind, id)) => format!("{kind} `{id}`"),
        None => format!("`{key}`"),
    }
}

fn describe(action: &str, drift: Option<&str>, unmanaged: bool) -> String {
    let mut text = action.to_string();
    if let Some(drift) = drift {
        text.push_str(&format!(" (drift: {drift})"));
    }
    if unmanaged {
        text.push_str(" (not created by siemctl)");
    }
    text
}

impl PlanFile {
    pub(crate) fn new(created_at: String, plans: Vec<TargetPlan>) -> PlanFile {
        PlanFile {
            format: FORMAT.to_string(),
            format_version: FORMAT_VERSION,
            siemctl_version: TOOL_VERSION.to_string(),
            created_at,
            plans,
        }
    }

    /// Refuses a file that is not a plan, of another layout, or made by another siemctl.
    pub(crate) fn check_version(&self) -> Result<(), Error> {
        if self.format != FORMAT {
            return Err(Error::NotAPlan(self.format.clone()));
        }
        if self.format_version != FORMAT_VERSION {
            return Err(Error::Layout(self.format_version));
        }
        if self.siemctl_version != TOOL_VERSION {
            return Err(Error::ToolVersion {
                made_by: self.siemctl_version.clone(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_digest_ignores_order_and_sees_every_object() {
        let a =
            content_digest([(Kind::Search, "a", "d1"), (Kind::Dashboard, "b", "d2")].into_iter());
        let b =
            content_digest([(Kind::Dashboard, "b", "d2"), (Kind::Search, "a", "d1")].into_iter());
        assert_eq!(a, b);
        let c = content_digest([(Kind::Dashboard, "b", "d2")].into_iter());
        assert_ne!(a, c);
    }

    #[test]
    fn every_kind_action_and_drift_reads_back_by_name() {
        for kind in Kind::ALL {
            assert_eq!(kind_named(kind.name()), Some(kind));
        }
        for action in [Action::Create, Action::Update, Action::Delete, Action::NoOp] {
            assert_eq!(action_named(action.name()), Some(action));
        }
        for drift in [Drift::Edited, Drift::Deleted] {
            assert_eq!(drift_named(drift.name()), Some(drift));
        }
    }
}
