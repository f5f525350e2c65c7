//! Carrying out a plan: ordered writes through bulk APIs where they exist, siemctl's state
//! recorded before (as pending) and after (as done), and every per-object failure reported.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use indicatif::ProgressBar;
use serde_json::Value;

use super::live::{Snapshot, StoredState};
use super::lock::{identity, now_ms};
use super::state::{self, Entry, Pending, State, CLUSTER_DOC, STATE_INDEX};
use crate::cluster::opensearch::{WriteIf, Written};
use crate::cluster::Cluster;
use crate::content::kind::Kind;
use crate::content::version::ContentVersion;
use crate::plan::normalize;
use crate::plan::plan::{Action, Change, Desired, Plan};

/// What an apply did.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) created: Vec<(Kind, String)>,
    pub(crate) updated: Vec<(Kind, String)>,
    pub(crate) deleted: Vec<(Kind, String)>,
    pub(crate) unchanged: usize,
    /// kind, id, and the server's reason.
    pub(crate) failed: Vec<(Kind, String, String)>,
}

/// Groups of kinds written together, in order: each only references earlier groups.
const GROUPS: [&[Kind]; 7] = [
    &[Kind::ComponentTemplate],
    &[Kind::IndexTemplate, Kind::IngestPipeline, Kind::IsmPolicy],
    &[Kind::IndexPattern],
    &[Kind::Search, Kind::Query],
    &[Kind::Visualization],
    &[Kind::Dashboard],
    &[Kind::Config],
];

pub(crate) struct Run<'a> {
    pub(crate) cluster: &'a Cluster,
    pub(crate) plan: &'a Plan,
    pub(crate) desired: &'a [Desired],
    pub(crate) snapshot: &'a Snapshot,
    pub(crate) version: ContentVersion,
    pub(crate) git_commit: Option<String>,
    pub(crate) progress: ProgressBar,
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
        self.stage(&mut cluster_state.state, &mut tenant_state.state, false);
        self.save(&mut cluster_state, &mut tenant_state).await?;
        // 2. Write, group by group, then delete in reverse order.
        let by_id: BTreeMap<(Kind, &str), &Desired> = self
            .desired
            .iter()
            .map(|d| ((d.kind, d.id.as_str()), d))
            .collect();
        for group in GROUPS {
            let changes: Vec<&Change> = self
                .plan
                .changes
                .iter()
                .filter(|c| {
                    group.contains(&c.kind) && matches!(c.action, Action::Create | Action::Update)
                })
                .collect();
            if changes.is_empty() {
                continue;
            }
            for (change, result) in self.write_group(&changes, &by_id).await {
                self.progress.inc(1);
                match result {
                    Ok(()) => match change.action {
                        Action::Create => outcome.created.push((change.kind, change.id.clone())),
                        Action::Update => outcome.updated.push((change.kind, change.id.clone())),
                        _ => {}
                    },
                    Err(reason) => outcome
                        .failed
                        .push((change.kind, change.id.clone(), reason)),
                }
            }
        }
        for change in self
            .plan
            .changes
            .iter()
            .filter(|c| c.action == Action::Delete)
        {
            self.progress.inc(1);
            let result = match change.kind.saved_object_type() {
                Some(saved_object_type) => {
                    self.cluster
                        .delete_saved_object(saved_object_type, &change.id)
                        .await
                }
                None => self.cluster.delete(change.kind, &change.id).await,
            };
            match result {
                Ok(()) => outcome.deleted.push((change.kind, change.id.clone())),
                Err(err) => {
                    outcome
                        .failed
                        .push((change.kind, change.id.clone(), format!("{err:#}")))
                }
            }
        }
        self.progress.finish_and_clear();
        // 3. Record the outcome: done entries lose `pending`; failed ones keep it, which the
        // next plan resolves against what the cluster holds.
        let failed: Vec<(Kind, &str)> = outcome
            .failed
            .iter()
            .map(|(k, id, _)| (*k, id.as_str()))
            .collect();
        for stored in [&mut cluster_state.state, &mut tenant_state.state] {
            stored.objects.retain(|key, entry| {
                let Some((kind, id)) = state::parse_key(key) else {
                    return true;
                };
                let is_failed = failed.contains(&(kind, id));
                match &entry.pending {
                    Some(Pending::Delete) => is_failed,
                    _ => true,
                }
            });
            for (key, entry) in &mut stored.objects {
                let Some((kind, id)) = state::parse_key(key) else {
                    continue;
                };
                if !failed.contains(&(kind, id)) {
                    entry.pending = None;
                }
            }
        }
        self.stage(&mut cluster_state.state, &mut tenant_state.state, true);
        self.save(&mut cluster_state, &mut tenant_state).await?;
        Ok(outcome)
    }

    /// Adds the plan's entries to the states (as pending unless `done`), and the run's record.
    fn stage(&self, cluster_state: &mut State, tenant_state: &mut State, done: bool) {
        let version = self.version.to_string();
        for change in &self.plan.changes {
            let target = if state::is_tenant_scoped(change.kind) {
                &mut *tenant_state
            } else {
                &mut *cluster_state
            };
            let key = state::key(change.kind, &change.id);
            match change.action {
                Action::Delete if !done => {
                    if let Some(entry) = target.objects.get_mut(&key) {
                        entry.pending = Some(Pending::Delete);
                    }
                }
                Action::Create | Action::Update if !done => {
                    let Some(desired) = self
                        .desired
                        .iter()
                        .find(|d| d.kind == change.kind && d.id == change.id)
                    else {
                        continue;
                    };
                    let previous = target.objects.get(&key).map(|e| e.digest.clone());
                    target.objects.insert(
                        key,
                        Entry {
                            digest: desired.digest.clone(),
                            version: version.clone(),
                            pending: Some(Pending::Write { previous }),
                        },
                    );
                }
                Action::NoOp if change.unmanaged && !done => {
                    // Adopted: identical already, recorded as managed from now on.
                    let Some(desired) = self
                        .desired
                        .iter()
                        .find(|d| d.kind == change.kind && d.id == change.id)
                    else {
                        continue;
                    };
                    target.objects.insert(
                        key,
                        Entry {
                            digest: desired.digest.clone(),
                            version: version.clone(),
                            pending: None,
                        },
                    );
                }
                _ => {}
            }
        }
        for stored in [cluster_state, tenant_state] {
            stored.content_version = Some(version.clone());
            stored.git_commit.clone_from(&self.git_commit);
            stored.applied_at_ms = Some(now_ms());
            stored.applied_by = Some(identity());
        }
    }

    /// Writes both state documents, each conditional on what was read.
    async fn save(
        &self,
        cluster_state: &mut StoredState,
        tenant_state: &mut StoredState,
    ) -> Result<()> {
        self.cluster
            .ensure_index(STATE_INDEX)
            .await
            .context("cannot create siemctl's state index")?;
        let tenant_doc = state::tenant_doc(self.cluster.tenant());
        for (id, stored) in [
            (CLUSTER_DOC, cluster_state),
            (tenant_doc.as_str(), tenant_state),
        ] {
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
        }
        Ok(())
    }

    /// Writes one group; returns each change with its result.
    async fn write_group<'c>(
        &self,
        changes: &[&'c Change],
        by_id: &BTreeMap<(Kind, &str), &Desired>,
    ) -> Vec<(&'c Change, Result<(), String>)> {
        let mut results = Vec::with_capacity(changes.len());
        let saved: Vec<&Change> = changes
            .iter()
            .copied()
            .filter(|c| c.kind.is_saved_object() && c.kind != Kind::Config)
            .collect();
        if !saved.is_empty() {
            let bodies: Vec<Value> = saved
                .iter()
                .filter_map(|c| by_id.get(&(c.kind, c.id.as_str())).map(|d| d.wire.clone()))
                .collect();
            match self.cluster.bulk_create(&bodies).await {
                Ok(items) => {
                    for (change, item) in saved.iter().zip(items) {
                        results.push((*change, item.error.map_or(Ok(()), Err)));
                    }
                }
                Err(err) => {
                    let reason = format!("{err:#}");
                    results.extend(saved.iter().map(|c| (*c, Err(reason.clone()))));
                }
            }
        }
        for change in changes
            .iter()
            .copied()
            .filter(|c| !c.kind.is_saved_object() || c.kind == Kind::Config)
        {
            let Some(desired) = by_id.get(&(change.kind, change.id.as_str())) else {
                continue;
            };
            let result = match change.kind {
                Kind::Config => self
                    .cluster
                    .update_settings(desired.wire.get("attributes").unwrap_or(&Value::Null))
                    .await
                    .map_err(|e| format!("{e:#}")),
                Kind::IsmPolicy => self.write_policy(change, desired).await,
                kind => self
                    .cluster
                    .put(kind, &change.id, &desired.wire)
                    .await
                    .map_err(|e| format!("{e:#}")),
            };
            results.push((change, result));
        }
        results
    }

    /// ISM writes are create-or-conditional-update. A 409 after a retried write is resolved by
    /// reading the policy back: if it is what we sent, the write went through.
    async fn write_policy(&self, change: &Change, desired: &Desired) -> Result<(), String> {
        let current = self
            .snapshot
            .live
            .get(&(Kind::IsmPolicy, change.id.clone()))
            .and_then(|l| l.seq);
        match self.cluster.put_ism_policy(&change.id, &desired.wire, current).await {
            Ok(Written::Done { .. }) => Ok(()),
            Ok(Written::Conflict) => match self.cluster.ism_policy(&change.id).await {
                Ok(Some(policy)) if normalize::live(Kind::IsmPolicy, &policy.body, Some(&desired.normalized)) == desired.normalized => Ok(()),
                Ok(_) => Err("the policy was changed by someone else during this apply (version conflict); run apply again".into()),
                Err(err) => Err(format!("{err:#}")),
            },
            Err(err) => Err(format!("{err:#}")),
        }
    }
}
