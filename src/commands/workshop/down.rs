//! `siemctl workshop down`: delete the indices `workshop up` created (as its record in
//! siemctl's state index lists them: never an index siemctl did not create), and with
//! `--with-content` everything siemctl manages on the target, as `apply --prune` of an empty
//! content would, plus the advanced settings it set and, once empty, its state index.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use indicatif::ProgressBar;
use serde_json::{json, Value};

use super::up::{connect, read_record, write_record, RECORD_DOC};
use crate::apply::executor::{Outcome, Run};
use crate::apply::live::{self, Snapshot};
use crate::apply::lock::{Lock, Stop};
use crate::cli::{GlobalArgs, WorkshopDownArgs};
use crate::cluster::opensearch::{WriteIf, Written};
use crate::cluster::Cluster;
use crate::commands::block_on;
use crate::commands::plan::make_plan;
use crate::content::kind::Kind;
use crate::content::version::ContentVersion;
use crate::exit::ExitStatus;
use crate::output::plan as show;
use crate::output::printer::Printer;
use crate::plan::plan::{Action, Plan};
use crate::state::{self, STATE_INDEX};

const LOCK_TTL: Duration = Duration::from_secs(15 * 60);

/// The plan of removing every managed object: the prune of an empty content.
fn removal_plan(snapshot: &Snapshot, version: ContentVersion) -> Plan {
    make_plan(&[], snapshot, version, true)
}

/// The advanced settings siemctl set in the tenant (from its record).
fn managed_settings(snapshot: &Snapshot) -> Vec<String> {
    snapshot
        .tenant_state
        .state
        .objects
        .iter()
        .filter(|(key, _)| state::parse_key(key).is_some_and(|(k, _)| k == Kind::Config))
        .flat_map(|(_, entry)| entry.keys.clone().unwrap_or_default())
        .collect()
}

pub(crate) fn run(
    global: &GlobalArgs,
    args: &WorkshopDownArgs,
    printer: Printer,
) -> Result<ExitStatus> {
    block_on(async {
        let (project, cluster) = connect(global, &args.vars, &args.connect, printer).await?;
        let record = read_record(&cluster).await?;
        let mut indices: Vec<(String, u64)> = Vec::new();
        if let Some((record, _)) = &record {
            for index in &record.created {
                if let Some(count) = cluster.count(index, None).await? {
                    indices.push((index.clone(), count));
                }
            }
        }
        let content = if args.with_content {
            let snapshot = live::read(&cluster, &[]).await?;
            let plan = removal_plan(&snapshot, project.version);
            Some((plan, managed_settings(&snapshot)))
        } else {
            None
        };
        let deletions = content
            .as_ref()
            .map_or(0, |(plan, _)| plan.count(Action::Delete));
        let settings = content.as_ref().map_or(0, |(_, keys)| keys.len());
        if indices.is_empty() && deletions == 0 && settings == 0 && record.is_none() {
            let text = if args.with_content {
                "Nothing to delete: no workshop was loaded here, and siemctl manages nothing on this target.\n"
            } else {
                "Nothing to delete: no workshop was loaded on this target (no record in siemctl-state).\n"
            };
            if printer.is_json() {
                printer.json(json!({"deleted_indices": [], "content": null}), Value::Null);
            } else {
                printer.data(text);
            }
            return Ok(ExitStatus::Success);
        }
        if !printer.is_json() {
            let mut text = String::new();
            for (index, count) in &indices {
                text.push_str(&format!("- delete index {index} ({count} documents)\n"));
            }
            if let Some((plan, keys)) = &content {
                if plan.has_changes() {
                    text.push_str(&show::text(plan));
                }
                if !keys.is_empty() {
                    text.push_str(&format!(
                        "- unset the advanced settings siemctl set: {}\n",
                        keys.join(", ")
                    ));
                }
            }
            printer.data(&text);
        }
        confirm(args.yes)?;
        let lock =
            Lock::acquire(&cluster, LOCK_TTL, Duration::from_secs(args.lock_timeout)).await?;
        let result = remove(&cluster, args, project.version).await;
        let released = lock.release(&cluster).await;
        let (deleted, outcome, mut errors) = result?;
        if let Err(err) = released {
            errors.push(format!("{err:#}"));
        }
        // Once nothing is managed any more, siemctl's own index goes too: the target is left
        // as it was before siemctl.
        let mut state_deleted = false;
        if args.with_content && errors.is_empty() && outcome.as_ref().is_some_and(Outcome::is_whole)
        {
            match state_is_empty(&cluster).await {
                Ok(true) => match cluster.delete_index(STATE_INDEX).await {
                    Ok(_) => state_deleted = true,
                    Err(err) => errors.push(format!("cannot delete {STATE_INDEX}: {err:#}")),
                },
                Ok(false) => {}
                Err(err) => errors.push(format!("{err:#}")),
            }
        }
        let failed = outcome.as_ref().map_or(0, |o| o.failed.len());
        if printer.is_json() {
            let error = if errors.is_empty() && failed == 0 {
                Value::Null
            } else {
                json!({"message": "workshop down is incomplete", "causes": errors})
            };
            printer.json(
                json!({
                    "deleted_indices": deleted,
                    "content": outcome.as_ref().map(|o| json!({
                        "deleted": o.deleted.iter().map(|(k, id)| json!({"kind": k.name(), "id": id})).collect::<Vec<_>>(),
                        "failed": o.failed.iter().map(|(k, id, reason)| json!({"kind": k.name(), "id": id, "reason": reason})).collect::<Vec<_>>(),
                    })),
                    "state_index_deleted": state_deleted,
                }),
                error,
            );
        } else {
            if let Some(outcome) = &outcome {
                for (kind, id, reason) in &outcome.failed {
                    printer.error(&anyhow::anyhow!("{kind} `{id}` failed: {reason}"));
                }
            }
            for error in &errors {
                printer.error(&anyhow::anyhow!("{error}"));
            }
            let mut text = format!("Deleted {} workshop indices", deleted.len());
            if let Some(outcome) = &outcome {
                text.push_str(&format!(
                    " and {} objects siemctl managed{}",
                    outcome.deleted.len(),
                    if state_deleted {
                        format!(", then siemctl's state index {STATE_INDEX}")
                    } else {
                        String::new()
                    }
                ));
            }
            text.push_str(".\n");
            printer.data(&text);
        }
        Ok(if errors.is_empty() && failed == 0 {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        })
    })?
}

/// Under the lock: the indices, then (with --with-content) the managed objects and settings.
async fn remove(
    cluster: &Cluster,
    args: &WorkshopDownArgs,
    version: ContentVersion,
) -> Result<(Vec<String>, Option<Outcome>, Vec<String>)> {
    let mut errors = Vec::new();
    let mut deleted = Vec::new();
    // Read again under the lock: a concurrent `up` may have added indices.
    if let Some((mut record, seq)) = read_record(cluster).await? {
        let mut kept = Vec::new();
        for index in std::mem::take(&mut record.created) {
            match cluster.delete_index(&index).await {
                Ok(true) => deleted.push(index),
                Ok(false) => {}
                Err(err) => {
                    errors.push(format!("cannot delete the index `{index}`: {err:#}"));
                    kept.push(index);
                }
            }
        }
        if kept.is_empty() {
            let gone = cluster
                .delete_doc(STATE_INDEX, RECORD_DOC, seq.0, seq.1)
                .await
                .context("cannot delete the workshop record")?;
            if !gone {
                errors.push("the workshop record changed during this run; run it again".into());
            }
        } else {
            record.created = kept;
            write_record(cluster, &record, Some(seq)).await?;
        }
    }
    if !args.with_content {
        return Ok((deleted, None, errors));
    }
    let snapshot = live::read(cluster, &[]).await?;
    let plan = removal_plan(&snapshot, version);
    let stop = Stop::default();
    let run = Run {
        cluster,
        plan: &plan,
        desired: &[],
        snapshot: &snapshot,
        version,
        git_commit: None,
        progress: ProgressBar::hidden(),
        stop: &stop,
    };
    let outcome = run.execute().await?;
    errors.extend(outcome.errors.iter().cloned());
    let keys = managed_settings(&snapshot);
    if !keys.is_empty() && outcome.is_whole() {
        if let Err(err) = unset_settings(cluster, &keys).await {
            errors.push(format!("{err:#}"));
        }
    }
    Ok((deleted, Some(outcome), errors))
}

/// Unsets the advanced settings siemctl set, then forgets the config object's record.
async fn unset_settings(cluster: &Cluster, keys: &[String]) -> Result<()> {
    let changes: serde_json::Map<String, Value> =
        keys.iter().map(|k| (k.clone(), Value::Null)).collect();
    cluster
        .update_settings(&Value::Object(changes))
        .await
        .context("cannot unset the advanced settings siemctl set")?;
    let id = state::tenant_doc(cluster.tenant(), cluster.username());
    let Some(doc) = cluster.get_doc(STATE_INDEX, &id).await? else {
        return Ok(());
    };
    let mut stored: state::State = serde_json::from_value(doc.source)
        .with_context(|| format!("siemctl's state document `{id}` is not readable"))?;
    stored
        .objects
        .retain(|key, _| state::parse_key(key).is_none_or(|(k, _)| k != Kind::Config));
    let written = cluster
        .put_doc(
            STATE_INDEX,
            &id,
            &serde_json::to_value(&stored)?,
            WriteIf::Unchanged {
                seq_no: doc.seq_no,
                primary_term: doc.primary_term,
            },
        )
        .await?;
    if matches!(written, Written::Conflict) {
        bail!("siemctl's state document `{id}` changed during this run; run it again");
    }
    Ok(())
}

/// Whether siemctl's state index records nothing any more (no managed object, no workshop).
async fn state_is_empty(cluster: &Cluster) -> Result<bool> {
    if read_record(cluster).await?.is_some() {
        return Ok(false);
    }
    let tenant = state::tenant_doc(cluster.tenant(), cluster.username());
    for id in [state::CLUSTER_DOC, tenant.as_str()] {
        if let Some(doc) = cluster.get_doc(STATE_INDEX, id).await? {
            let stored: state::State = serde_json::from_value(doc.source)
                .with_context(|| format!("siemctl's state document `{id}` is not readable"))?;
            if !stored.objects.is_empty() {
                return Ok(false);
            }
        }
    }
    // Other tenants' records, the lock of another run: anything else keeps the index.
    let total = cluster.count(STATE_INDEX, None).await?.unwrap_or(0);
    let ours = [state::CLUSTER_DOC.to_string(), tenant];
    let mut present = 0;
    for id in &ours {
        if cluster.get_doc(STATE_INDEX, id).await?.is_some() {
            present += 1;
        }
    }
    Ok(total == present)
}

/// Asks on a terminal; only --yes skips the question (CI=true does not: this deletes data).
fn confirm(yes: bool) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        bail!("workshop down deletes data and needs confirmation, and stdin is not a terminal: pass --yes (CI=true does not skip this question)");
    }
    eprint!("Delete these? Only `yes` is accepted: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() != "yes" {
        bail!("workshop down cancelled");
    }
    Ok(())
}
