//! Carrying out a plan: ordered writes through bulk APIs where they exist, siemctl's state
//! recorded before (as pending) and after (as done), and every per-object failure reported.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::{Context as _, Result};
use indicatif::ProgressBar;
use serde_json::Value;

use super::live::{Snapshot, StoredState};
use super::lock::{identity, now_ms};
use crate::apply::incomplete::Reason;
use crate::cluster::concurrent::{bounded, IN_FLIGHT};
use crate::cluster::opensearch::{WriteIf, Written};
use crate::cluster::Cluster;
use crate::content::kind::Kind;
use crate::content::version::ContentVersion;
use crate::plan::normalize;
use crate::plan::plan::{Action, Change, Desired, Plan};
use crate::plan::select::references;
use crate::state::{self, Entry, Pending, State, CLUSTER_DOC, STATE_INDEX};

/// What an apply did.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) created: Vec<(Kind, String)>,
    pub(crate) updated: Vec<(Kind, String)>,
    pub(crate) deleted: Vec<(Kind, String)>,
    pub(crate) unchanged: usize,
    /// Writes and deletions tried and refused: kind, id, and the server's (or siemctl's) reason.
    pub(crate) failed: Vec<(Kind, String, String)>,
    /// Writes and deletions never sent: kind, id, and why (an object they depend on failed, a
    /// template still names them, the run was stopped). Not failures of their own.
    pub(crate) not_attempted: Vec<(Kind, String, String)>,
    /// Failures of the run itself (saving siemctl's state), after the objects were written.
    pub(crate) errors: Vec<String>,
    /// The reason of each of `errors`, in the same order ([`Outcome::push_error`]).
    pub(crate) reasons: Vec<Reason>,
    /// Objects edited in the cluster since the last apply, left as they are (not written,
    /// not deleted): see [`hold_back_drifted`].
    pub(crate) skipped_drift: Vec<(Kind, String)>,
}

impl Outcome {
    /// Every change went through: nothing failed, nothing was left unattempted.
    pub(crate) fn is_whole(&self) -> bool {
        self.failed.is_empty() && self.not_attempted.is_empty()
    }

    /// An error of the run itself, with its reason.
    pub(crate) fn push_error(&mut self, reason: Reason, message: String) {
        self.errors.push(message);
        self.reasons.push(reason);
    }

    fn record(&mut self, change: &Change, fate: Fate) {
        let key = (change.kind, change.id.clone());
        match (fate, change.action) {
            (Fate::Done, Action::Create) => self.created.push(key),
            (Fate::Done, Action::Update) => self.updated.push(key),
            (Fate::Done, Action::Delete) => self.deleted.push(key),
            (Fate::Done, Action::NoOp) => {}
            (Fate::Failed(reason), _) => self.failed.push((key.0, key.1, reason)),
            (Fate::NotAttempted(reason), _) => self.not_attempted.push((key.0, key.1, reason)),
        }
    }
}

/// What became of one change.
#[derive(Debug, Clone, PartialEq)]
enum Fate {
    Done,
    /// Sent and refused (or refused by siemctl's last check): the reason.
    Failed(String),
    /// Never sent: why.
    NotAttempted(String),
}

impl From<Result<(), String>> for Fate {
    fn from(result: Result<(), String>) -> Fate {
        match result {
            Ok(()) => Fate::Done,
            Err(reason) => Fate::Failed(reason),
        }
    }
}

const STOPPED: &str = "the run was stopped";

/// Why a change is not written or deleted: an object it names (or that names it) was not.
fn blocked_by(kind: Kind, id: &str, fate: &Fate, verb: &str) -> String {
    match fate {
        Fate::Failed(_) => format!("{kind} `{id}` {verb} failed"),
        _ => format!("{kind} `{id}` {verb} was not attempted either"),
    }
}

/// Takes the changes of drifted objects out of the plan, so that apply writes every safe
/// change and only these are refused; returns them. An object that depends on a held-back
/// one still goes: the held-back object exists, as the analyst left it.
pub(crate) fn hold_back_drifted(plan: &mut Plan) -> Vec<Change> {
    let (held, kept): (Vec<Change>, Vec<Change>) = std::mem::take(&mut plan.changes)
        .into_iter()
        .partition(|c| {
            c.drift == Some(crate::plan::plan::Drift::Edited) && c.action != Action::NoOp
        });
    plan.changes = kept;
    plan.refresh
        .retain(|(k, id)| !held.iter().any(|c| c.kind == *k && &c.id == id));
    held
}

/// Why drifted objects are not written, and what to do: the objects named, with their titles.
pub(crate) fn drift_refusal<'c>(drifted: impl IntoIterator<Item = &'c Change>) -> Option<String> {
    let drifted: Vec<&Change> = drifted.into_iter().collect();
    let names: Vec<String> = drifted
        .iter()
        .map(|c| {
            format!(
                "{} `{}`{}",
                c.kind,
                c.id,
                c.title
                    .as_deref()
                    .map(|t| format!(" (\"{t}\")"))
                    .unwrap_or_default()
            )
        })
        .collect();
    if names.is_empty() {
        return None;
    }
    let saved_objects = drifted.iter().any(|c| c.kind.is_saved_object());
    let cluster_objects = drifted.iter().any(|c| !c.kind.is_saved_object());
    let mut ways = vec!["`siemctl plan` shows each difference".to_string()];
    if saved_objects {
        ways.push(
            "`siemctl pull --drifted` writes the edited saved objects into their content files"
                .into(),
        );
    }
    if cluster_objects {
        ways.push("GET _index_template/<id>, _component_template/<id>, _ingest/pipeline/<id> or _plugins/_ism/policies/<id> shows a template, pipeline or policy as the cluster holds it".into());
    }
    Some(format!(
        "refusing to overwrite objects edited in the cluster since the last apply: {}\nhint: bring the edits into the content first ({}), then apply; or pass --overwrite-drift to discard them",
        names.join(", "),
        ways.join("; ")
    ))
}

/// Groups of kinds written together, in order: each only references earlier groups (index
/// templates name pipelines and component templates; searches, visualizations and dashboards
/// reference index patterns, searches and visualizations). After a failure, later groups are
/// not attempted. A group is written in stages, in turn: pipelines and ISM policies (which
/// depend on nothing), then the component templates, then the index templates. Within a group,
/// an object that names one not written (a template whose pipeline was refused) is not
/// written either. The writes of one stage do not depend on each other and go concurrently.
const GROUPS: [&[&[Kind]]; 6] = [
    &[
        &[Kind::IngestPipeline, Kind::IsmPolicy],
        &[Kind::ComponentTemplate],
        &[Kind::IndexTemplate],
    ],
    &[&[Kind::IndexPattern]],
    &[&[Kind::Search, Kind::Query]],
    &[&[Kind::Visualization]],
    &[&[Kind::Dashboard]],
    &[&[Kind::Config]],
];

/// The result of each change, in the order of `order` (results of changes not in it dropped).
fn in_order<'c>(
    order: &[&'c Change],
    mut results: Vec<(&'c Change, Fate)>,
) -> Vec<(&'c Change, Fate)> {
    let position: HashMap<*const Change, usize> = order
        .iter()
        .enumerate()
        .map(|(i, c)| (std::ptr::from_ref::<Change>(c), i))
        .collect();
    results.retain(|(c, _)| position.contains_key(&std::ptr::from_ref::<Change>(c)));
    results.sort_by_key(|(c, _)| position[&std::ptr::from_ref::<Change>(c)]);
    results
}

pub(crate) struct Run<'a> {
    pub(crate) cluster: &'a Cluster,
    pub(crate) plan: &'a Plan,
    pub(crate) desired: &'a [Desired],
    pub(crate) snapshot: &'a Snapshot,
    pub(crate) version: ContentVersion,
    pub(crate) git_commit: Option<String>,
    pub(crate) progress: ProgressBar,
    /// Set when the run must stop early (a signal, or the lock was lost).
    pub(crate) stop: &'a crate::apply::lock::Stop,
}

impl Run<'_> {
    pub(crate) async fn execute(&self) -> Result<Outcome> {
        let mut outcome = Outcome {
            unchanged: self.plan.count(Action::NoOp),
            ..Outcome::default()
        };
        let mut cluster_state = self.snapshot.cluster_state.clone();
        let mut tenant_state = self.snapshot.tenant_state.clone();
        // 1. Record the intent, so that a run cut off halfway leaves a true record.
        self.intend(&mut cluster_state.state, &mut tenant_state.state);
        self.save(&mut cluster_state, &mut tenant_state).await?;
        // 2. Write, group by group, then delete in reverse order.
        let by_id: BTreeMap<(Kind, &str), &Desired> = self
            .desired
            .iter()
            .map(|d| ((d.kind, d.id.as_str()), d))
            .collect();
        // What was not written (failed or not attempted), for the objects that name it.
        let mut unwritten: HashMap<(Kind, String), Fate> = HashMap::new();
        for group in GROUPS {
            let changes: Vec<&Change> = self
                .plan
                .changes
                .iter()
                .filter(|c| {
                    group.iter().any(|stage| stage.contains(&c.kind))
                        && matches!(c.action, Action::Create | Action::Update)
                })
                .collect();
            if changes.is_empty() {
                continue;
            }
            // Later groups reference earlier ones: after a failure, write none of them (a
            // dashboard bound to an index pattern that was refused would be bound to someone
            // else's).
            let blocked = if self.stop.stopped() {
                Some(STOPPED)
            } else if !outcome.failed.is_empty() {
                Some("an object it may depend on failed earlier in this run")
            } else {
                None
            };
            if let Some(reason) = blocked {
                for change in changes {
                    outcome.record(change, Fate::NotAttempted(reason.to_string()));
                }
                continue;
            }
            for (change, fate) in self
                .write_group(group, &changes, &by_id, &mut unwritten)
                .await
            {
                self.progress.inc(1);
                outcome.record(change, fate);
            }
        }
        // A failed write may be what a deletion relied on (a renamed template whose new
        // version was refused): delete nothing then, and say so.
        let deletions: Vec<&Change> = self
            .plan
            .changes
            .iter()
            .filter(|c| c.action == Action::Delete)
            .collect();
        let blocked = if self.stop.stopped() {
            Some(STOPPED)
        } else if !outcome.is_whole() {
            Some("a write of this run did not go through, and a deletion may rely on it")
        } else {
            None
        };
        if let Some(reason) = blocked {
            for change in deletions {
                outcome.record(change, Fate::NotAttempted(reason.to_string()));
            }
        } else {
            for (change, fate) in self.delete_all(&deletions).await {
                outcome.record(change, fate);
            }
        }
        self.progress.finish_and_clear();
        // 3. Record the outcome.
        self.settle(&mut cluster_state.state, &mut tenant_state.state, &outcome);
        if let Err(err) = self.save(&mut cluster_state, &mut tenant_state).await {
            outcome.push_error(Reason::Bookkeeping, format!("{err:#}"));
        }
        Ok(outcome)
    }

    /// Deletes stage by stage in reverse (dashboards before the visualizations they show, index
    /// templates before the component templates and pipelines they name), each stage's
    /// deletions concurrently; reported in the plan's order. An object still named by one whose
    /// deletion failed (a pipeline its template still names) is kept.
    async fn delete_all<'c>(&self, deletions: &[&'c Change]) -> Vec<(&'c Change, Fate)> {
        let mut results: Vec<(&'c Change, Fate)> = Vec::with_capacity(deletions.len());
        for stage in GROUPS.iter().rev().flat_map(|group| group.iter().rev()) {
            let mut to_delete = Vec::new();
            for change in deletions
                .iter()
                .copied()
                .filter(|c| stage.contains(&c.kind))
            {
                let named_by = results.iter().find(|(kept, fate)| {
                    *fate != Fate::Done
                        && kept.before.as_ref().is_some_and(|body| {
                            references(kept.kind, body)
                                .iter()
                                .any(|(k, id)| *k == change.kind && *id == change.id)
                        })
                });
                if self.stop.stopped() {
                    results.push((change, Fate::NotAttempted(STOPPED.into())));
                } else if let Some((kept, fate)) = named_by {
                    let reason = format!(
                        "kept while a template or object names it: {}",
                        blocked_by(kept.kind, &kept.id, fate, "whose deletion")
                    );
                    results.push((change, Fate::NotAttempted(reason)));
                } else {
                    to_delete.push(change);
                }
            }
            results.extend(bounded(IN_FLIGHT, to_delete.into_iter().map(|c| self.delete(c))).await);
        }
        in_order(deletions, results)
    }

    async fn delete<'c>(&self, change: &'c Change) -> (&'c Change, Fate) {
        if self.stop.stopped() {
            return (change, Fate::NotAttempted(STOPPED.into()));
        }
        self.progress.inc(1);
        let result = match change.kind.saved_object_type() {
            Some(saved_object_type) => {
                self.cluster
                    .delete_saved_object(saved_object_type, &change.id)
                    .await
            }
            None => self.cluster.delete(change.kind, &change.id).await,
        };
        (change, result.map_err(|err| format!("{err:#}")).into())
    }

    fn desired_by_id(&self) -> HashMap<(Kind, &str), &Desired> {
        self.desired
            .iter()
            .map(|d| ((d.kind, d.id.as_str()), d))
            .collect()
    }

    fn entry_for<'s>(
        cluster_state: &'s mut State,
        tenant_state: &'s mut State,
        kind: Kind,
    ) -> &'s mut State {
        if state::is_tenant_scoped(kind) {
            tenant_state
        } else {
            cluster_state
        }
    }

    /// Before writing: each write recorded as pending, with the digest the cluster holds now
    /// (so an unfinished write is recognised either way); each deletion marked; adopted and
    /// refreshed records written as they are.
    fn intend(&self, cluster_state: &mut State, tenant_state: &mut State) {
        let version = self.version.to_string();
        let by_id = self.desired_by_id();
        for change in &self.plan.changes {
            let target = Self::entry_for(cluster_state, tenant_state, change.kind);
            let key = state::key(change.kind, &change.id);
            match change.action {
                Action::Delete => {
                    if let Some(entry) = target.objects.get_mut(&key) {
                        entry.pending = Some(Pending::Delete);
                    }
                }
                Action::Create | Action::Update => {
                    let Some(desired) = by_id.get(&(change.kind, change.id.as_str())) else {
                        continue;
                    };
                    let previous = self
                        .snapshot
                        .live
                        .get(&(change.kind, change.id.clone()))
                        .map(|l| l.digest.clone());
                    let entry = Entry {
                        digest: desired.digest.clone(),
                        version: version.clone(),
                        pending: Some(Pending::Write { previous }),
                        // Until the write is done, also the settings still to unset.
                        keys: state::declared_keys(desired.kind, &desired.normalized()).map(
                            |mut keys| {
                                let old = target
                                    .objects
                                    .get(&key)
                                    .and_then(|e| e.keys.clone())
                                    .unwrap_or_default();
                                for key in old {
                                    if !keys.contains(&key) {
                                        keys.push(key);
                                    }
                                }
                                keys
                            },
                        ),
                    };
                    target.objects.insert(key, entry);
                }
                Action::NoOp => {}
            }
        }
        for (kind, id) in &self.plan.refresh {
            let Some(desired) = by_id.get(&(*kind, id.as_str())) else {
                continue;
            };
            let target = Self::entry_for(cluster_state, tenant_state, *kind);
            target.objects.insert(
                state::key(*kind, id),
                Entry {
                    digest: desired.digest.clone(),
                    version: version.clone(),
                    pending: None,
                    keys: state::declared_keys(desired.kind, &desired.normalized()),
                },
            );
        }
    }

    /// After writing: what was written or deleted is recorded as done; what failed stays
    /// pending. Pending entries of earlier runs are settled against what this run read.
    /// The run's record (content version, commit) is updated only if something was written.
    fn settle(&self, cluster_state: &mut State, tenant_state: &mut State, outcome: &Outcome) {
        let by_id = self.desired_by_id();
        let done: HashSet<(Kind, &str)> = outcome
            .created
            .iter()
            .chain(&outcome.updated)
            .map(|(k, id)| (*k, id.as_str()))
            .collect();
        let deleted: HashSet<(Kind, &str)> = outcome
            .deleted
            .iter()
            .map(|(k, id)| (*k, id.as_str()))
            .collect();
        let in_plan: HashSet<(Kind, &str)> = self
            .plan
            .changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| (c.kind, c.id.as_str()))
            .collect();
        for stored in [&mut *cluster_state, &mut *tenant_state] {
            stored.objects.retain(|key, entry| {
                let Some((kind, id)) = state::parse_key(key) else {
                    return true;
                };
                if deleted.contains(&(kind, id)) {
                    return false;
                }
                if done.contains(&(kind, id)) {
                    entry.pending = None;
                    // Settings dropped from the content are unset now: forget them.
                    if let Some(desired) = by_id.get(&(kind, id)) {
                        entry.keys = state::declared_keys(kind, &desired.normalized());
                    }
                    return true;
                }
                if in_plan.contains(&(kind, id)) {
                    return true; // failed or not reached: stays pending
                }
                // Left over from an earlier run: settle it against what the cluster holds.
                let live = self
                    .snapshot
                    .live
                    .get(&(kind, id.to_string()))
                    .map(|l| l.digest.as_str());
                match (&entry.pending, live) {
                    (None, _) => true,
                    (Some(Pending::Delete), None) => false,
                    (Some(Pending::Delete), Some(_)) => true,
                    (Some(Pending::Write { previous: None }), None) => false,
                    (Some(Pending::Write { previous }), Some(live)) => {
                        if live == entry.digest {
                            entry.pending = None;
                        } else if previous.as_deref() == Some(live) {
                            entry.digest = live.to_string();
                            entry.pending = None;
                        } else if previous.is_none() {
                            // Never created by siemctl; someone else's object is there now.
                            return false;
                        }
                        true
                    }
                    (Some(Pending::Write { .. }), None) => true,
                }
            });
        }
        let wrote = !done.is_empty() || !deleted.is_empty() || !self.plan.refresh.is_empty();
        if wrote {
            for stored in [cluster_state, tenant_state] {
                stored.content_version = Some(self.version.to_string());
                stored.git_commit.clone_from(&self.git_commit);
                stored.applied_at_ms = Some(now_ms());
                stored.applied_by = Some(identity());
                stored.applied_run_url = super::lock::run_url();
            }
        }
    }

    /// Writes both state documents together, each conditional on what was read. The index
    /// exists: a run executes under the apply lock, whose [`Lock::acquire`] created it.
    ///
    /// [`Lock::acquire`]: super::lock::Lock::acquire
    async fn save(
        &self,
        cluster_state: &mut StoredState,
        tenant_state: &mut StoredState,
    ) -> Result<()> {
        let tenant_doc = state::tenant_doc(self.cluster.tenant(), self.cluster.username());
        let (cluster, tenant) = tokio::join!(
            self.save_one(CLUSTER_DOC, cluster_state),
            self.save_one(&tenant_doc, tenant_state),
        );
        cluster.and(tenant)
    }

    async fn save_one(&self, id: &str, stored: &mut StoredState) -> Result<()> {
        let source = serde_json::to_value(&stored.state)?;
        let condition = match stored.seq {
            None => WriteIf::Absent,
            Some((seq_no, primary_term)) => WriteIf::Unchanged {
                seq_no,
                primary_term,
            },
        };
        match self
            .cluster
            .put_doc(STATE_INDEX, id, &source, condition)
            .await
            .with_context(|| format!("cannot write siemctl's state document `{id}`"))?
        {
            Written::Done {
                seq_no,
                primary_term,
            } => stored.seq = Some((seq_no, primary_term)),
            Written::Conflict => {
                // A retried write that had been applied before the connection dropped
                // reads back as ours; anything else is another writer.
                let current = self.cluster.get_doc(STATE_INDEX, id).await?;
                match current {
                    Some(doc) if doc.source == source => stored.seq = Some((doc.seq_no, doc.primary_term)),
                    _ => anyhow::bail!("siemctl's state document `{id}` was changed by someone else during this apply; run apply again"),
                }
            }
        }
        Ok(())
    }

    /// Writes one group, stage by stage; returns each change with its fate, in the order of
    /// the plan: the saved objects created, those updated, then the other objects. A change
    /// naming an object of `unwritten` is not attempted; what this group does not write is
    /// added to it.
    async fn write_group<'c>(
        &self,
        group: &[&[Kind]],
        changes: &[&'c Change],
        by_id: &BTreeMap<(Kind, &str), &Desired>,
        unwritten: &mut HashMap<(Kind, String), Fate>,
    ) -> Vec<(&'c Change, Fate)> {
        let mut results = Vec::with_capacity(changes.len());
        for stage in group {
            let mut stage_changes: Vec<&Change> = Vec::new();
            for change in changes.iter().copied().filter(|c| stage.contains(&c.kind)) {
                let names_unwritten = by_id
                    .get(&(change.kind, change.id.as_str()))
                    .map(|d| references(d.kind, &d.body))
                    .unwrap_or_default()
                    .into_iter()
                    .find_map(|key| unwritten.get(&key).map(|fate| (key, fate)));
                let fate = if self.stop.stopped() {
                    Some(Fate::NotAttempted(STOPPED.into()))
                } else if let Some(((kind, id), fate)) = names_unwritten {
                    Some(Fate::NotAttempted(format!(
                        "it names {}",
                        blocked_by(kind, &id, fate, "whose write")
                    )))
                } else {
                    None
                };
                match fate {
                    Some(fate) => results.push((change, fate)),
                    None => stage_changes.push(change),
                }
            }
            let refused = self.recheck_absent(&stage_changes).await;
            stage_changes.retain(|c| !refused.iter().any(|(r, _)| std::ptr::eq(*r, *c)));
            results.extend(refused);
            if !stage_changes.is_empty() {
                results.extend(self.write_stage(&stage_changes, by_id).await);
            }
            for (change, fate) in &results {
                if *fate != Fate::Done {
                    unwritten
                        .entry((change.kind, change.id.clone()))
                        .or_insert_with(|| fate.clone());
                }
            }
        }
        let is_bulk = |c: &&Change| c.kind.is_saved_object() && c.kind != Kind::Config;
        let order: Vec<&Change> = changes
            .iter()
            .copied()
            .filter(|c| is_bulk(c) && c.action == Action::Create)
            .chain(
                changes
                    .iter()
                    .copied()
                    .filter(|c| is_bulk(c) && c.action != Action::Create),
            )
            .chain(changes.iter().copied().filter(|c| !is_bulk(c)))
            .collect();
        in_order(&order, results)
    }

    /// Pipelines are written with a plain PUT (OpenSearch has no conditional create for them),
    /// so just before a stage creates some, their names are read again (one request): one that
    /// appeared since siemctl read the cluster is someone else's, and is refused as an
    /// unmanaged object would be. Returns the refused creates; the other kinds' creates are
    /// conditional (`create=true`, ISM's create, `overwrite=false`) and need no read.
    async fn recheck_absent<'c>(&self, changes: &[&'c Change]) -> Vec<(&'c Change, Fate)> {
        let creates: Vec<&Change> = changes
            .iter()
            .copied()
            .filter(|c| c.kind == Kind::IngestPipeline && c.action == Action::Create)
            .collect();
        if creates.is_empty() {
            return Vec::new();
        }
        match self.cluster.list(Kind::IngestPipeline).await {
            Ok(live) => creates
                .into_iter()
                .filter(|c| live.contains_key(&c.id))
                .map(|c| (c, Fate::Failed(format!("created by someone else since siemctl read the cluster: not overwritten; siemctl did not create it, so run apply again with --adopt to take it over (the content replaces it), or rename the {} in the content", c.kind))))
                .collect(),
            Err(err) => creates
                .into_iter()
                .map(|c| (c, Fate::Failed(format!("cannot check that it is still absent before creating it: {err:#}"))))
                .collect(),
        }
    }

    /// Writes changes that do not depend on each other, all concurrently: saved objects with
    /// `_bulk_create` (the creates and the updates together), the others one request each.
    async fn write_stage<'c>(
        &self,
        changes: &[&'c Change],
        by_id: &BTreeMap<(Kind, &str), &Desired>,
    ) -> Vec<(&'c Change, Fate)> {
        let saved: Vec<&Change> = changes
            .iter()
            .copied()
            .filter(|c| c.kind.is_saved_object() && c.kind != Kind::Config)
            .collect();
        let others = changes
            .iter()
            .copied()
            .filter(|c| !c.kind.is_saved_object() || c.kind == Kind::Config)
            .filter_map(|c| Some((c, *by_id.get(&(c.kind, c.id.as_str()))?)));
        let (created, updated, written) = tokio::join!(
            self.write_saved(&saved, true, by_id),
            self.write_saved(&saved, false, by_id),
            bounded(
                IN_FLIGHT,
                others.map(|(change, desired)| async move {
                    if self.stop.stopped() {
                        return (change, Fate::NotAttempted(STOPPED.into()));
                    }
                    (change, self.write_one(change, desired).await.into())
                })
            ),
        );
        created
            .into_iter()
            .chain(updated)
            .map(|(c, r)| (c, Fate::from(r)))
            .chain(written)
            .collect()
    }

    /// The saved objects of `changes` to create (or to update), in `_bulk_create` batches:
    /// creates may not replace an object made meanwhile; updates carry the version read.
    async fn write_saved<'c>(
        &self,
        changes: &[&'c Change],
        creating: bool,
        by_id: &BTreeMap<(Kind, &str), &Desired>,
    ) -> Vec<(&'c Change, Result<(), String>)> {
        let batch: Vec<&Change> = changes
            .iter()
            .copied()
            .filter(|c| (c.action == Action::Create) == creating)
            .filter(|c| by_id.contains_key(&(c.kind, c.id.as_str())))
            .collect();
        if batch.is_empty() {
            return Vec::new();
        }
        let bodies: Vec<Value> = batch
            .iter()
            .filter_map(|c| by_id.get(&(c.kind, c.id.as_str())))
            .map(|d| {
                let mut body = d.wire().into_owned();
                let version = self
                    .snapshot
                    .live
                    .get(&(d.kind, d.id.clone()))
                    .and_then(|l| l.saved_version.clone());
                if let (Some(version), Value::Object(map)) = (version, &mut body) {
                    map.insert("version".into(), Value::String(version));
                }
                body
            })
            .collect();
        let items = self.cluster.bulk_create(bodies, !creating).await;
        let conflicts: Vec<&Change> = batch
            .iter()
            .zip(&items)
            .filter(|(_, item)| item.conflict)
            .map(|(c, _)| *c)
            .collect();
        let resolved = self.resolve_conflicts(&conflicts, by_id).await;
        batch
            .iter()
            .zip(items)
            .map(|(change, item)| {
                let result = match (item.error, item.conflict) {
                    (None, _) => Ok(()),
                    (Some(_), true) => resolved
                        .iter()
                        .find(|(c, _)| std::ptr::eq(*c, *change))
                        .map_or_else(|| Err("conflict".to_string()), |(_, r)| r.clone()),
                    (Some(error), false) => Err(error),
                };
                (*change, result)
            })
            .collect()
    }

    /// Writes one template, pipeline, policy or the advanced settings.
    async fn write_one(&self, change: &Change, desired: &Desired) -> Result<(), String> {
        match change.kind {
            Kind::Config => {
                // Settings siemctl set before and the content dropped are unset (null).
                let mut changes = desired
                    .body
                    .get("attributes")
                    .cloned()
                    .unwrap_or_else(|| Value::Object(serde_json::Map::new()));
                let entry = self
                    .snapshot
                    .tenant_state
                    .state
                    .objects
                    .get(&state::key(change.kind, &change.id));
                if let Value::Object(map) = &mut changes {
                    for key in state::dropped_keys(entry, &desired.normalized()) {
                        map.insert(key, Value::Null);
                    }
                }
                self.cluster
                    .update_settings(&changes)
                    .await
                    .map_err(|e| format!("{e:#}"))
            }
            Kind::IsmPolicy => self.write_policy(change, desired).await,
            Kind::ComponentTemplate | Kind::IndexTemplate if change.action == Action::Create => {
                self.create_template(change, desired).await
            }
            kind => self
                .cluster
                .put(kind, &change.id, &desired.wire())
                .await
                .map_err(|e| format!("{e:#}")),
        }
    }

    /// A 409 on a saved object: our own write, applied before a dropped connection made the
    /// client retry it, reads back as what we sent; anything else was made or changed by
    /// someone else since the plan read it, and is not overwritten.
    async fn resolve_conflicts<'c>(
        &self,
        conflicts: &[&'c Change],
        by_id: &BTreeMap<(Kind, &str), &Desired>,
    ) -> Vec<(&'c Change, Result<(), String>)> {
        if conflicts.is_empty() {
            return Vec::new();
        }
        let request: Vec<(String, String)> = conflicts
            .iter()
            .map(|c| {
                (
                    c.kind.saved_object_type().unwrap_or_default().to_string(),
                    c.id.clone(),
                )
            })
            .collect();
        let found = match self.cluster.bulk_get(&request).await {
            Ok(found) => found,
            Err(err) => {
                return conflicts
                    .iter()
                    .map(|c| {
                        (
                            *c,
                            Err(format!("conflict, and reading it back failed: {err:#}")),
                        )
                    })
                    .collect()
            }
        };
        conflicts
            .iter()
            .zip(found)
            .map(|(change, live)| {
                let ours = match (live, by_id.get(&(change.kind, change.id.as_str()))) {
                    (Some(live), Some(desired)) => normalize::live(change.kind, &live, Some(&desired.normalized())) == desired.normalized(),
                    _ => false,
                };
                let result = if ours {
                    Ok(())
                } else {
                    Err("made or changed by someone else since siemctl read it (conflict): not overwritten; run plan again".to_string())
                };
                (*change, result)
            })
            .collect()
    }

    /// A template the plan saw missing is created only if it is still missing; if it exists
    /// now, it is ours only when it is what we sent (a retried create).
    async fn create_template(&self, change: &Change, desired: &Desired) -> Result<(), String> {
        match self.cluster.create_template(change.kind, &change.id, &desired.wire()).await {
            Ok(Written::Done { .. }) => Ok(()),
            Ok(Written::Conflict) => match self.cluster.get_template(change.kind, &change.id).await {
                Ok(Some(live)) if normalize::live(change.kind, &live, Some(&desired.normalized())) == desired.normalized() => Ok(()),
                Ok(_) => Err("created by someone else since siemctl read the cluster: not overwritten; run plan again".into()),
                Err(err) => Err(format!("{err:#}")),
            },
            Err(err) => Err(format!("{err:#}")),
        }
    }

    /// ISM writes are create-or-conditional-update. A 409 after a retried write is resolved by
    /// reading the policy back: if it is what we sent, the write went through.
    async fn write_policy(&self, change: &Change, desired: &Desired) -> Result<(), String> {
        let current = self
            .snapshot
            .live
            .get(&(Kind::IsmPolicy, change.id.clone()))
            .and_then(|l| l.seq);
        match self.cluster.put_ism_policy(&change.id, &desired.wire(), current).await {
            Ok(Written::Done { .. }) => Ok(()),
            Ok(Written::Conflict) => match self.cluster.ism_policy(&change.id).await {
                Ok(Some(policy)) if normalize::live(Kind::IsmPolicy, &policy.body, Some(&desired.normalized())) == desired.normalized() => Ok(()),
                Ok(_) => Err("the policy was changed by someone else during this apply (version conflict); run apply again".into()),
                Err(err) => Err(format!("{err:#}")),
            },
            Err(err) => Err(format!("{err:#}")),
        }
    }
}
