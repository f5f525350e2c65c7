//! The plan: what apply would do to make the cluster match the content. Pure: it takes the
//! desired objects, what the cluster holds, and siemctl's state, and returns [`Plan`].

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use crate::content::kind::Kind;
use crate::content::saved_object;
use crate::content::version::ContentVersion;
use crate::state::{self, State};

use super::normalize;

/// One object of the content, ready to compare and send.
#[derive(Debug, Clone)]
pub(crate) struct Desired {
    pub(crate) kind: Kind,
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    /// The digest of the normalised form (see [`normalize::desired`], [`normalize::digest`]).
    pub(crate) digest: String,
    /// The content's body, as rendered; [`Desired::wire`] makes what is sent from it, only for
    /// the objects apply writes.
    pub(crate) body: Value,
}

impl Desired {
    /// The object of `body`, with the digest of its normalised form. The normalised form itself
    /// is not kept: a plan of thousands of objects would hold every object twice. It is made
    /// again by [`Desired::normalized`] where it is needed (an object that differs from the
    /// cluster's, the settings of the advanced settings), and a live object is compared with
    /// the content by digest first.
    pub(crate) fn new(kind: Kind, id: String, title: Option<String>, body: Value) -> Desired {
        let digest = normalize::digest(&normalize::desired(kind, &body));
        Desired {
            kind,
            id,
            title,
            digest,
            body,
        }
    }

    /// The normalised form (see [`normalize::desired`]), made from the body.
    pub(crate) fn normalized(&self) -> Value {
        normalize::desired(self.kind, &self.body)
    }

    /// The body sent to the API: a saved object with its JSON-string attributes encoded; the
    /// advanced settings, templates, pipelines and policies as the content writes them.
    pub(crate) fn wire(&self) -> Cow<'_, Value> {
        if self.kind.is_saved_object() && self.kind != Kind::Config {
            Cow::Owned(saved_object::encode(self.kind, &self.id, &self.body))
        } else {
            Cow::Borrowed(&self.body)
        }
    }
}

/// One object as the cluster holds it.
#[derive(Debug, Clone)]
pub(crate) struct Live {
    /// The normalised form; `null` when [`Live::same_as_content`] (see [`Live::normalized`]).
    normalized: Value,
    /// The normalised form is the content's: it is not kept a second time (a no-op plan of
    /// thousands of objects would hold every object twice).
    pub(crate) same_as_content: bool,
    pub(crate) digest: String,
    pub(crate) title: Option<String>,
    /// The integer `version` of a template or pipeline, for downgrade protection.
    pub(crate) version: Option<i64>,
    /// An ISM policy's seq_no and primary term, for its conditional update.
    pub(crate) seq: Option<(i64, i64)>,
    /// A saved object's `version` (base64 of seq_no and primary term), for its conditional
    /// overwrite.
    pub(crate) saved_version: Option<String>,
}

impl Live {
    /// The normalised form, given the content's object (`None` when the content has none).
    pub(crate) fn normalized<'a>(&'a self, desired: Option<&Desired>) -> Cow<'a, Value> {
        match desired {
            Some(desired) if self.same_as_content => Cow::Owned(desired.normalized()),
            _ => Cow::Borrowed(&self.normalized),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Action {
    Create,
    Update,
    Delete,
    NoOp,
}

impl Action {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::NoOp => "no-op",
        }
    }
}

/// How the cluster differs from what siemctl last applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Drift {
    /// Edited in the cluster (an analyst changed it in the UI) since the last apply.
    Edited,
    /// Deleted in the cluster since the last apply.
    Deleted,
}

impl Drift {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Drift::Edited => "edited",
            Drift::Deleted => "deleted",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub(crate) kind: Kind,
    pub(crate) id: String,
    pub(crate) title: Option<String>,
    pub(crate) action: Action,
    pub(crate) drift: Option<Drift>,
    /// Exists in the cluster with the content's id, but siemctl did not create it.
    pub(crate) unmanaged: bool,
    /// The content changed since the last apply (as opposed to only the cluster).
    pub(crate) content_changed: bool,
    /// The normalised sides, for the diff: the live object (None for a create) and the
    /// content's (None for a delete). Both None for an unchanged object siemctl manages, which
    /// is never shown.
    pub(crate) before: Option<Value>,
    pub(crate) after: Option<Value>,
}

/// Objects siemctl manages that left the content, kept because --prune was not given.
#[derive(Debug, Clone)]
pub(crate) struct Orphan {
    pub(crate) kind: Kind,
    pub(crate) id: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// Every object of the content and every deletion, in apply order (deletions last).
    pub(crate) changes: Vec<Change>,
    pub(crate) orphans: Vec<Orphan>,
    /// Why applying would downgrade newer content, if it would.
    pub(crate) downgrade: Vec<String>,
    /// Managed objects already as the content wants them whose record is out of date (an
    /// edit brought into the content, a write of an earlier run that did go through): apply
    /// rewrites the record only, so that a later change is not mistaken for drift.
    pub(crate) refresh: Vec<(Kind, String)>,
}

impl Plan {
    pub(crate) fn count(&self, action: Action) -> usize {
        self.changes.iter().filter(|c| c.action == action).count()
    }

    pub(crate) fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| c.action != Action::NoOp)
    }

    /// Whether apply has anything to write: objects, or records.
    pub(crate) fn needs_apply(&self) -> bool {
        self.has_changes() || !self.refresh.is_empty()
    }

    pub(crate) fn drifted(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.drift == Some(Drift::Edited) && c.action != Action::NoOp)
    }

    pub(crate) fn unmanaged(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.unmanaged)
    }
}

/// Everything the plan compares.
pub(crate) struct Inputs<'a> {
    pub(crate) desired: &'a [Desired],
    pub(crate) live: &'a BTreeMap<(Kind, String), Live>,
    /// The cluster state and the tenant state, merged: `kind/id` → entry.
    pub(crate) state: &'a State,
    /// The content versions recorded by the state documents.
    pub(crate) recorded_versions: Vec<ContentVersion>,
    pub(crate) version: ContentVersion,
    pub(crate) prune: bool,
}

pub(crate) fn plan(inputs: &Inputs<'_>) -> Plan {
    let mut plan = Plan::default();
    for recorded in &inputs.recorded_versions {
        if *recorded > inputs.version {
            plan.downgrade.push(format!(
                "the cluster was last applied from content {recorded}, newer than this content {}",
                inputs.version
            ));
        }
    }
    for desired in inputs.desired {
        let key = state::key(desired.kind, &desired.id);
        let entry = inputs.state.objects.get(&key);
        let live = inputs.live.get(&(desired.kind, desired.id.clone()));
        if let Some(version) = live.and_then(|l| l.version) {
            if version > inputs.version.as_integer() {
                plan.downgrade.push(format!(
                    "{} `{}` has version {version}, newer than this content ({})",
                    desired.kind,
                    desired.id,
                    inputs.version.as_integer()
                ));
            }
        }
        // A pending create that never happened does not make siemctl the owner of an object
        // someone else made under that id since.
        let entry = entry.filter(|e| {
            let never_created =
                matches!(&e.pending, Some(state::Pending::Write { previous: None }));
            !(never_created && live.is_some_and(|l| l.digest != e.digest))
        });
        let content_changed = entry.is_none_or(|e| e.digest != desired.digest);
        let change = match (live, entry) {
            (None, entry) => Change {
                kind: desired.kind,
                id: desired.id.clone(),
                title: desired.title.clone(),
                action: Action::Create,
                drift: entry
                    .filter(|e| e.pending.is_none())
                    .map(|_| Drift::Deleted),
                unmanaged: false,
                content_changed,
                before: None,
                after: Some(desired.normalized()),
            },
            (Some(live), entry) => {
                // Compared by digest first: the content's normalised form is made again only
                // for an object that differs (or that is shown).
                let same = live.same_as_content
                    || live.digest == desired.digest
                    || *live.normalized(Some(desired)) == desired.normalized();
                let drift = entry.and_then(|e| {
                    (!state::accepted_digests(e).contains(&live.digest.as_str()))
                        .then_some(Drift::Edited)
                });
                let stale_record =
                    entry.is_some_and(|e| e.digest != desired.digest || e.pending.is_some());
                // An object siemctl did not create that is already exactly as the content has
                // it (an object pulled from Dashboards, say) is taken over silently: there is
                // nothing to overwrite, so nothing to ask; apply only records it. One that
                // differs is taken over only with --adopt. The advanced-settings object is a
                // per-tenant singleton that Dashboards creates itself; siemctl owns only the
                // settings it declares there, and takes them over silently where they are
                // unset too.
                let unmanaged = entry.is_none()
                    && !same
                    && match desired.kind {
                        Kind::Config => live
                            .normalized(Some(desired))
                            .get("attributes")
                            .and_then(Value::as_object)
                            .is_some_and(|a| !a.is_empty()),
                        _ => true,
                    };
                if same && (stale_record || entry.is_none()) {
                    plan.refresh.push((desired.kind, desired.id.clone()));
                }
                // An unchanged object has no diff to show: its sides are copied only when it
                // is shown (an object siemctl did not create).
                let shown = !same || unmanaged;
                Change {
                    kind: desired.kind,
                    id: desired.id.clone(),
                    title: desired.title.clone().or_else(|| live.title.clone()),
                    action: if same { Action::NoOp } else { Action::Update },
                    drift: if same { None } else { drift },
                    unmanaged,
                    content_changed,
                    before: shown.then(|| live.normalized(Some(desired)).into_owned()),
                    after: shown.then(|| desired.normalized()),
                }
            }
        };
        plan.changes.push(change);
    }
    // Managed objects that left the content: deleted with --prune, listed otherwise.
    let in_content: HashSet<(Kind, &str)> = inputs
        .desired
        .iter()
        .map(|d| (d.kind, d.id.as_str()))
        .collect();
    let mut deletions = Vec::new();
    for (key, entry) in &inputs.state.objects {
        let Some((kind, id)) = state::parse_key(key) else {
            continue;
        };
        if in_content.contains(&(kind, id)) {
            continue;
        }
        // Advanced settings are never deleted: they hold the tenant's other settings too.
        if kind == Kind::Config {
            continue;
        }
        // A create that never happened does not own what someone else made under that id.
        let never_created = matches!(
            &entry.pending,
            Some(state::Pending::Write { previous: None })
        );
        if never_created
            && inputs
                .live
                .get(&(kind, id.to_string()))
                .is_some_and(|l| l.digest != entry.digest)
        {
            continue;
        }
        let Some(live) = inputs.live.get(&(kind, id.to_string())) else {
            continue;
        };
        if !inputs.prune {
            plan.orphans.push(Orphan {
                kind,
                id: id.to_string(),
            });
            continue;
        }
        let drift = (!state::accepted_digests(entry).contains(&live.digest.as_str()))
            .then_some(Drift::Edited);
        deletions.push(Change {
            kind,
            id: id.to_string(),
            title: live.title.clone(),
            action: Action::Delete,
            drift,
            unmanaged: false,
            content_changed: true,
            before: Some(live.normalized(None).into_owned()),
            after: None,
        });
    }
    plan.changes
        .sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    deletions.sort_by(|a, b| (b.kind, &a.id).cmp(&(a.kind, &b.id)));
    plan.changes.extend(deletions);
    plan
}

/// The content's objects in the form the plan compares and apply sends.
pub(crate) fn desired_from(content: &crate::content::Content) -> Vec<Desired> {
    content
        .resources
        .iter()
        .map(|resource| {
            Desired::new(
                resource.kind,
                resource.id.clone(),
                resource.title().map(str::to_string),
                resource.body.clone(),
            )
        })
        .collect()
}

/// [`desired_from`] for plan and apply, which need of the content, once it is validated,
/// only each object's kind, id, file and log type: each body is moved out of the content (left
/// `null`) instead of copied, and what only the checks read (the rendered texts, the saved
/// searches' files) is dropped. The content then holds a fraction of what it did.
pub(crate) fn desired_taken_from(content: &mut crate::content::Content) -> Vec<Desired> {
    content.searches = Vec::new();
    content
        .resources
        .iter_mut()
        .map(|resource| {
            resource.text = String::new();
            Desired::new(
                resource.kind,
                resource.id.clone(),
                resource.title().map(str::to_string),
                std::mem::take(&mut resource.body),
            )
        })
        .collect()
}

/// The normalised, digested form of a live object.
pub(crate) fn live_object(
    kind: Kind,
    raw: &Value,
    desired: Option<&Desired>,
    seq: Option<(i64, i64)>,
) -> Live {
    // Only the advanced settings and index patterns are normalised against the content's
    // form (their declared settings, their declared field cache).
    let normalize_with = desired
        .filter(|d| matches!(d.kind, Kind::Config | Kind::IndexPattern))
        .map(Desired::normalized);
    live_object_against(kind, raw, normalize_with.as_ref(), desired, seq)
}

/// [`live_object`], normalised against `normalize_with` (the content's normalised form; the
/// advanced settings are, against their settings declared now and before) and checked for
/// being the same as `content`.
pub(crate) fn live_object_against(
    kind: Kind,
    raw: &Value,
    normalize_with: Option<&Value>,
    content: Option<&Desired>,
    seq: Option<(i64, i64)>,
) -> Live {
    let mut normalized = normalize::live(kind, raw, normalize_with);
    let digest = normalize::digest(&normalized);
    // By digest first (the canonical JSON of equal forms is the same): the content's
    // normalised form is made again only for an object that differs.
    let same_as_content =
        content.is_some_and(|d| d.digest == digest || d.normalized() == normalized);
    if same_as_content {
        normalized = Value::Null;
    }
    Live {
        same_as_content,
        digest,
        title: raw
            .pointer("/attributes/title")
            .and_then(Value::as_str)
            .map(str::to_string),
        version: raw.get("version").and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        }),
        seq,
        saved_version: kind
            .is_saved_object()
            .then(|| {
                raw.get("version")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .flatten(),
        normalized,
    }
}
