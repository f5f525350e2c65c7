//! `siemctl unlock`: remove the apply lock a killed job left behind.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::time::Duration;

use anyhow::{bail, Result};
use serde_json::json;

use super::apply::LOCK_TTL;
use super::block_on;
use crate::apply::lock::{self, now_ms};
use crate::cli::{GlobalArgs, UnlockArgs};
use crate::cluster::http::RetryPolicy;
use crate::cluster::{Cluster, Connection};
use crate::exit::ExitStatus;
use crate::output::printer::Printer;
use crate::settings::{self, Project};

/// A lock renewed this recently belongs to a live run: removed only with --force.
const ALIVE: Duration = Duration::from_secs(60);

pub(crate) fn run(global: &GlobalArgs, args: &UnlockArgs, printer: Printer) -> Result<ExitStatus> {
    block_on(async {
        let project = Project::resolve(global, &args.vars)?;
        let connection = Connection::resolve(&project.target, &settings::overrides(&args.connect))?;
        let retry = RetryPolicy {
            budget: Duration::from_secs(args.connect.retry_budget),
            ..RetryPolicy::default()
        };
        let cluster = Cluster::connect(
            &connection,
            Duration::from_secs(args.connect.timeout),
            retry,
        )
        .await?;
        let Some(held) = lock::inspect(&cluster).await? else {
            if printer.is_json() {
                printer.json(json!({"removed": null}), serde_json::Value::Null);
            } else {
                printer.data("No apply lock is held on this cluster.\n");
            }
            return Ok(ExitStatus::Success);
        };
        let holder = &held.holder;
        if let Some(id) = &args.lock_id {
            if *id != holder.run_id {
                bail!(
                    "the lock is held by another run than {id}: {}; nothing removed",
                    holder.describe()
                );
            }
        }
        let now = now_ms();
        let alive_ago = Duration::from_millis(now.saturating_sub(held.last_alive_ms(LOCK_TTL)));
        let description = format!(
            "{}, taken {}s ago, last renewed {}s ago, expires in {}s",
            holder.describe(),
            now.saturating_sub(holder.acquired_at_ms) / 1000,
            alive_ago.as_secs(),
            holder.expires_at_ms.saturating_sub(now) / 1000
        );
        if alive_ago < ALIVE && !args.force {
            bail!(
                "the apply lock was renewed {}s ago, so its run is probably alive: {description}\nhint: wait for it; if you are sure that job is gone, pass --force",
                alive_ago.as_secs()
            );
        }
        printer.status(&format!("apply lock: {description}"));
        confirm(args)?;
        if !held.remove(&cluster).await? {
            bail!("the apply lock changed while asking (renewed, or released and taken again): nothing removed; run unlock again to see its holder");
        }
        if printer.is_json() {
            printer.json(
                json!({"removed": {"who": holder.who, "pid": holder.pid, "lock_id": holder.run_id, "run_url": holder.run_url}}),
                serde_json::Value::Null,
            );
        } else {
            printer.data(&format!(
                "Removed the apply lock of {}.\n",
                holder.describe()
            ));
        }
        Ok(ExitStatus::Success)
    })?
}

/// --yes skips the question; without a terminal, it refuses rather than guess.
fn confirm(args: &UnlockArgs) -> Result<()> {
    if args.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        bail!("unlock needs confirmation, and stdin is not a terminal: pass --yes");
    }
    eprint!("Remove this lock? Only `yes` is accepted: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() != "yes" {
        bail!("unlock cancelled");
    }
    Ok(())
}
