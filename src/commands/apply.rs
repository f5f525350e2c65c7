//! `siemctl apply`: make the cluster match the content.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::time::Duration;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use super::block_on;
use super::plan::{make_plan, select};
use crate::apply::executor::{drift_refusal, hold_back_drifted, Outcome, Run};
use crate::apply::incomplete::{Incomplete, Reason};
use crate::apply::live;
use crate::apply::lock::{self, Interrupts, Lock, Stop};
use crate::cli::{ApplyArgs, ApplyCommandArgs, GlobalArgs};
use crate::error_code::{refuse, Code};
use crate::exit::ExitStatus;
use crate::output::plan as show;
use crate::output::printer::Printer;
use crate::plan::plan::{Action, Plan};

/// A lock outlives any sane apply; a crashed run's lock expires after this.
pub(crate) const LOCK_TTL: Duration = Duration::from_secs(15 * 60);

/// What an apply did: the plan it carried out and its outcome.
pub(crate) struct Applied {
    pub(crate) plan: Plan,
    pub(crate) outcome: Outcome,
    /// The cluster already matched the content: nothing was written.
    pub(crate) no_changes: bool,
    /// Live saved objects of another id with a content object's title (warned).
    pub(crate) same_title: Vec<crate::plan::same_title::SameTitle>,
    /// The same-title warnings were printed already, before the question: the report does not
    /// repeat them.
    pub(crate) same_title_warned: bool,
}

impl Applied {
    pub(crate) fn is_complete(&self) -> bool {
        self.outcome.is_whole() && self.outcome.errors.is_empty()
    }

    pub(crate) fn status(&self) -> ExitStatus {
        if self.is_complete() {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        }
    }

    /// The `data` of apply's JSON document: `{plan, result}`.
    pub(crate) fn json(&self) -> serde_json::Value {
        json!({
            "plan": show::json(&self.plan),
            "result": summary(&self.outcome),
            "same_title": super::plan::same_title_json(&self.same_title),
        })
    }

    /// The `error` of apply's JSON document (null when complete).
    pub(crate) fn error(&self) -> serde_json::Value {
        if self.is_complete() {
            serde_json::Value::Null
        } else {
            let incomplete = anyhow::Error::from(
                Incomplete::of(&self.outcome).expect("an incomplete outcome has its reason"),
            );
            crate::output::printer::error_json(
                Code::of(&incomplete),
                incomplete.to_string(),
                self.outcome.errors.clone(),
            )
        }
    }
}

pub(crate) fn run(
    global: &GlobalArgs,
    args: &ApplyCommandArgs,
    printer: Printer,
) -> Result<ExitStatus> {
    if args.plan_file.is_none()
        && crate::settings::Project::selects_several(global, &args.apply.vars)?
    {
        return super::targets::apply(global, &args.apply, printer);
    }
    if let Some(path) = &args.plan_file {
        // A file of several targets' plans, and no --target: each is applied.
        let file = crate::planfile::read(path)?;
        if file.plans.len() > 1 && args.apply.vars.target.is_empty() && !args.apply.vars.all_targets
        {
            return super::targets::apply_file(global, args, &file, printer);
        }
    }
    let applied = match apply_command(global, args, printer)? {
        Ok(applied) => applied,
        Err(status) => return Ok(status),
    };
    report(printer, &applied);
    Ok(applied.status())
}

/// Applies the content as `siemctl apply` does (the plan shown and the question asked in text
/// mode, the lock, the safety checks) and returns what it did without reporting it: the caller
/// reports it ([`report`], or a document of its own). `Err(status)`: the content is invalid, and
/// its problems were reported.
pub(crate) fn apply(
    global: &GlobalArgs,
    args: &ApplyArgs,
    printer: Printer,
) -> Result<Result<Applied, ExitStatus>> {
    let args = ApplyCommandArgs {
        plan_file: None,
        apply: args.clone(),
    };
    apply_command(global, &args, printer)
}

/// [`apply`], of the content or of a plan file (`siemctl apply PLANFILE`, see
/// [`crate::planfile`]): with a plan file, the plan made from the cluster must be the saved
/// one, before the question and again under the lock.
fn apply_command(
    global: &GlobalArgs,
    command: &ApplyCommandArgs,
    printer: Printer,
) -> Result<Result<Applied, ExitStatus>> {
    let args = &command.apply;
    block_on(async {
        let session = match crate::planfile::open(global, command, printer).await? {
            Ok(session) => session,
            Err(status) => return Ok(Err(status)),
        };
        apply_session(&session, args, printer).await.map(Ok)
    })?
}

/// The apply of one connected target (also one of several: `commands::targets`).
pub(crate) async fn apply_session(
    session: &crate::planfile::Opened,
    args: &ApplyArgs,
    printer: Printer,
) -> Result<Applied> {
    {
        let version = session.project.version;
        let prune = session.prune(args.prune);
        // A first read without the lock: an apply with nothing to do writes nothing at all.
        let snapshot = live::read(&session.cluster, &session.desired).await?;
        printer.status(&snapshot.describe(session.cluster.tenant()));
        let plan = make_plan(&session.desired, &snapshot, version, prune);
        let same_title = super::plan::same_title_unsaid(&session.desired, &snapshot, printer);
        session.check(&snapshot.live, &plan)?;
        let mut plan = select(
            &session.desired,
            &session.log_types,
            &args.select,
            plan,
            Some(printer),
        )?;
        let held = held_back(&mut plan, args);
        let adopting = args.adopt && plan.unmanaged().next().is_some();
        if !plan.needs_apply() && !adopting {
            if let Some(refusal) = drift_refusal(held.iter()) {
                return refuse(Code::Drift, refusal);
            }
            let outcome = Outcome {
                unchanged: plan.count(Action::NoOp),
                ..Outcome::default()
            };
            return Ok(Applied {
                plan,
                outcome,
                no_changes: true,
                same_title,
                same_title_warned: false,
            });
        }
        if let Some(access) = snapshot.tenant.as_ref().filter(|a| a.read_only) {
            bail!(
                "tenant `{}` is read-only for this user (authinfo lists it as `false`: the security plugin grants it read-only, and refuses every write there with 403). Nothing was written: grant the tenant read-write (`kibana_all_write`) to one of the user's roles, or apply as a user that has it; `siemctl plan` works as it is",
                access.tenant.display()
            );
        }
        check_safety(&plan, args)?;
        if !printer.is_json() {
            printer.data(&show::text(&plan));
        }
        if !held.is_empty() {
            let names: Vec<String> = held
                .iter()
                .map(|c| format!("{} `{}`", c.kind, c.id))
                .collect();
            printer.warn(&format!("edited in the cluster since the last apply, skipped (the rest is applied; --overwrite-drift discards the edits, --strict-drift refuses the whole apply): {}", names.join(", ")));
        }
        // Before the question, so that "two `log-*` patterns" is read before saying yes.
        let same_title_warned = !confirmed_beforehand(args);
        if same_title_warned {
            for s in &same_title {
                printer.warn(&s.message());
            }
        }
        confirm(args)?;
        // From here on a signal is this run's to handle, never the default death: a lock it
        // holds, or may just have created, is released on every path.
        let mut signals = Interrupts::install();
        let run_id = lock::new_run_id();
        let notify = |text: &str| printer.status(text);
        let lock = tokio::select! {
            lock = Lock::acquire(
                &session.cluster,
                LOCK_TTL,
                Duration::from_secs(args.lock_timeout),
                &run_id,
                &notify,
            ) => lock?,
            () = signals.next() => {
                // The create may have been in flight.
                let left = match lock::abandon(&session.cluster, &run_id).await {
                    Ok(_) => String::new(),
                    Err(err) => format!("; this run's lock may be left (lock id {run_id}), and cannot be checked: {err:#}"),
                };
                bail!("interrupted while waiting for the apply lock: nothing was written{left}");
            }
        };
        let stop = Stop::default();
        let result = async {
            // Under the lock, read again: another apply may have finished in between. A signal
            // here ends the read at once: nothing is written, and the lock is released below.
            let snapshot = tokio::select! {
                snapshot = live::reread(&session.cluster, &session.desired, snapshot, &plan) => snapshot?,
                () = signals.next() => bail!("interrupted before anything was written; the apply lock is released"),
            };
            let plan = make_plan(&session.desired, &snapshot, version, prune);
            session.check(&snapshot.live, &plan)?;
            let mut plan = select(&session.desired, &session.log_types, &args.select, plan, None)?;
            let held = held_back(&mut plan, args);
            check_safety(&plan, args)?;
            if args.adopt {
                // Adopted objects that are already as the content wants them: recorded only.
                let adopted: Vec<_> = plan.unmanaged().filter(|c| c.action == Action::NoOp).map(|c| (c.kind, c.id.clone())).collect();
                plan.refresh.extend(adopted);
            }
            let total = plan.changes.iter().filter(|c| c.action != Action::NoOp).count();
            let run = Run {
                cluster: &session.cluster,
                plan: &plan,
                desired: &session.desired,
                snapshot: &snapshot,
                version,
                git_commit: git_commit(&session.project.root),
                progress: progress_bar(printer, total),
                stop: &stop,
            };
            // The lock is renewed, and a signal asks the run to stop between objects, for as
            // long as the run goes on.
            let interrupt = async {
                signals.next().await;
                stop.request(Reason::Interrupted, "interrupted: stopped between objects; what was written is recorded");
                signals.next().await;
                eprintln!("error: interrupted twice: exiting now; the apply lock expires within 15 minutes, and the next apply settles what was written");
                std::process::exit(1);
            };
            let outcome = tokio::select! {
                outcome = run.execute() => outcome?,
                () = lock.keep_alive(&session.cluster, LOCK_TTL, &stop) => unreachable!("keep_alive never returns"),
                () = interrupt => unreachable!("pending"),
            };
            let mut outcome = outcome;
            outcome.skipped_drift = held.iter().map(|c| (c.kind, c.id.clone())).collect();
            if let Some(refusal) = drift_refusal(held.iter()) {
                outcome.push_error(Reason::DriftHeldBack, refusal);
            }
            Ok::<_, anyhow::Error>((plan, outcome))
        }
        .await;
        let released = lock.release(&session.cluster).await;
        let (plan, mut outcome) = result?;
        if let Some((reason, text)) = stop.reason() {
            outcome.push_error(reason, text);
        }
        if let Err(err) = released {
            outcome.push_error(Reason::Bookkeeping, format!("{err:#}"));
        }
        Ok(Applied {
            plan,
            outcome,
            no_changes: false,
            same_title,
            same_title_warned,
        })
    }
}

/// The drifted changes taken out of the plan (none with --strict-drift or --overwrite-drift).
fn held_back(plan: &mut Plan, args: &ApplyArgs) -> Vec<crate::plan::plan::Change> {
    if args.strict_drift || args.overwrite_drift {
        Vec::new()
    } else {
        hold_back_drifted(plan)
    }
}

/// Downgrades, drift and unmanaged objects stop the apply unless explicitly allowed.
fn check_safety(plan: &Plan, args: &ApplyArgs) -> Result<()> {
    if !plan.downgrade.is_empty() && !args.allow_downgrade {
        return refuse(Code::Downgrade, format!(
            "refusing to downgrade: {}\nhint: this content is older than what the cluster holds (an old CI job?); pass --allow-downgrade if that is really intended",
            plan.downgrade.join("; ")
        ));
    }
    if let Some(refusal) = drift_refusal(plan.drifted()) {
        if !args.overwrite_drift {
            return refuse(Code::Drift, refusal);
        }
    }
    let unmanaged: Vec<String> = plan
        .unmanaged()
        .map(|c| format!("{} `{}`", c.kind, c.id))
        .collect();
    if !unmanaged.is_empty() && !args.adopt {
        return refuse(Code::Unmanaged, format!(
            "these objects exist in the cluster but siemctl did not create them: {}\nhint: siemctl never takes over objects silently; pass --adopt to manage them from now on (they will be replaced by the content)",
            unmanaged.join(", ")
        ));
    }
    Ok(())
}

/// Asks on a terminal; --yes or CI=true skip the question. Without a terminal and without
/// either, it refuses rather than guess.
/// The question is not asked: --yes, or CI=true.
pub(crate) fn confirmed_beforehand(args: &ApplyArgs) -> bool {
    args.yes || std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

pub(crate) fn confirm(args: &ApplyArgs) -> Result<()> {
    if confirmed_beforehand(args) {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        bail!("apply needs confirmation, and stdin is not a terminal: pass --yes (CI=true also skips the question)");
    }
    eprint!("Apply these changes? Only `yes` is accepted: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() != "yes" {
        bail!("apply cancelled");
    }
    Ok(())
}

fn progress_bar(printer: Printer, total: usize) -> ProgressBar {
    if printer.is_json() || total < 10 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} applying [{bar:30}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn summary(outcome: &Outcome) -> serde_json::Value {
    let list = |items: &[(crate::content::kind::Kind, String)]| {
        items
            .iter()
            .map(|(k, id)| json!({"kind": k.name(), "id": id}))
            .collect::<Vec<_>>()
    };
    json!({
        "created": list(&outcome.created),
        "updated": list(&outcome.updated),
        "deleted": list(&outcome.deleted),
        "unchanged": outcome.unchanged,
        "skipped_drift": list(&outcome.skipped_drift),
        "failed": outcome.failed.iter().map(|(k, id, reason)| json!({"kind": k.name(), "id": id, "reason": reason})).collect::<Vec<_>>(),
        "not_attempted": outcome.not_attempted.iter().map(|(k, id, reason)| json!({"kind": k.name(), "id": id, "reason": reason})).collect::<Vec<_>>(),
    })
}

/// Reports an apply: its JSON document, or the text summary (failures on stderr).
pub(crate) fn report(printer: Printer, applied: &Applied) {
    if !applied.same_title_warned {
        for s in &applied.same_title {
            printer.warn(&s.message());
        }
    }
    if printer.is_json() {
        printer.json(applied.json(), applied.error());
        return;
    }
    report_text(printer, applied);
}

/// The text summary of an apply.
pub(crate) fn report_text(printer: Printer, applied: &Applied) {
    let (plan, outcome) = (&applied.plan, &applied.outcome);
    if applied.no_changes {
        printer.data("No changes.\n");
        for orphan in &plan.orphans {
            printer.status(&format!(
                "{} `{}` left the content; siemctl created it, and --prune would delete it",
                orphan.kind, orphan.id
            ));
        }
        return;
    }
    let complete = applied.is_complete();
    for (kind, id, reason) in &outcome.failed {
        printer.error(&anyhow::anyhow!("{kind} `{id}` failed: {reason}"));
    }
    for error in &outcome.errors {
        printer.error(&anyhow::anyhow!("{error}"));
    }
    // Never sent, so not failures of their own: one line per reason, naming them.
    let mut by_reason: Vec<(&str, Vec<String>)> = Vec::new();
    for (kind, id, reason) in &outcome.not_attempted {
        let name = format!("{kind} `{id}`");
        match by_reason.iter_mut().find(|(r, _)| r == reason) {
            Some((_, names)) => names.push(name),
            None => by_reason.push((reason, vec![name])),
        }
    }
    for (reason, names) in by_reason {
        printer.warn(&format!("not attempted ({reason}): {}", names.join(", ")));
    }
    let mut failed = if outcome.failed.is_empty() {
        String::new()
    } else {
        format!(", {} failed", outcome.failed.len())
    };
    if !outcome.not_attempted.is_empty() {
        failed.push_str(&format!(", {} not attempted", outcome.not_attempted.len()));
    }
    if !outcome.skipped_drift.is_empty() {
        failed.push_str(&format!(
            ", {} skipped (drift)",
            outcome.skipped_drift.len()
        ));
    }
    printer.data(&format!(
        "Apply {}: {} created, {} updated, {} deleted, {} unchanged{failed}.\n",
        if complete { "complete" } else { "incomplete" },
        outcome.created.len(),
        outcome.updated.len(),
        outcome.deleted.len(),
        outcome.unchanged,
    ));
}

/// The commit of the content, from CI variables or git: looked up once per content folder and
/// process (a run over many targets asks for it once per target).
pub(crate) fn git_commit(root: &std::path::Path) -> Option<String> {
    type Known = std::sync::Mutex<std::collections::BTreeMap<std::path::PathBuf, Option<String>>>;
    static KNOWN: std::sync::OnceLock<Known> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(Known::default);
    let mut known = known
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    known
        .entry(root.to_path_buf())
        .or_insert_with(|| look_up_git_commit(root))
        .clone()
}

fn look_up_git_commit(root: &std::path::Path) -> Option<String> {
    for var in [
        "GITHUB_SHA",
        "CI_COMMIT_SHA",
        "BUILD_SOURCEVERSION",
        "GIT_COMMIT",
    ] {
        if let Ok(sha) = std::env::var(var) {
            if !sha.is_empty() {
                return Some(sha);
            }
        }
    }
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}
