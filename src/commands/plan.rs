//! `siemctl plan`: how the cluster differs from the content.

use anyhow::Result;

use super::{block_on, open_plan_session};
use crate::apply::live;
use crate::cli::{GlobalArgs, PlanArgs};
use crate::exit::ExitStatus;
use crate::output::plan as show;
use crate::output::printer::Printer;
use crate::plan::plan::{plan, Inputs, Plan};
use crate::plan::same_title::SameTitle;

pub(crate) fn run(global: &GlobalArgs, args: &PlanArgs, printer: Printer) -> Result<ExitStatus> {
    if crate::settings::Project::selects_several(global, &args.vars)? {
        // With --out, one file holds the plan of every target.
        return super::targets::plan(global, args, printer);
    }
    block_on(async {
        let session = match open_plan_session(global, &args.vars, &args.connect, printer).await? {
            Ok(session) => session,
            Err(status) => return Ok(status),
        };
        let snapshot = live::read(&session.cluster, &session.desired).await?;
        printer.status(&snapshot.describe(session.cluster.tenant()));
        let plan = make_plan(
            &session.desired,
            &snapshot,
            session.project.version,
            args.prune,
        );
        let plan = select(
            &session.desired,
            &log_types(&session.content),
            &args.select,
            plan,
            Some(printer),
        )?;
        if let Some(out) = &args.out {
            if !args.select.only.is_empty() || !args.select.exclude.is_empty() {
                anyhow::bail!(
                    "--out `{}` cannot be given with --only/--exclude: `apply FILE` checks the whole plan made again against the saved one\nhint: save the whole plan, or apply the selection directly (`siemctl apply --only ...`)",
                    out.display()
                );
            }
            let s = &session;
            crate::planfile::save(
                out,
                &s.project,
                &args.connect,
                &s.desired,
                &snapshot,
                &plan,
                args.prune,
            )?;
            printer.status(&format!(
                "Saved the plan to `{}`: `siemctl apply {}` applies exactly it.",
                out.display(),
                out.display()
            ));
        }
        let same = same_title(&session.desired, &snapshot, printer);
        if printer.is_json() {
            let mut data = show::json(&plan);
            data["same_title"] = same_title_json(&same);
            printer.json(data, serde_json::Value::Null);
        } else {
            printer.data(&show::text(&plan));
            for reason in &plan.downgrade {
                printer.warn(&format!("apply would downgrade: {reason}"));
            }
        }
        let status = if args.detailed_exitcode && plan.has_changes() {
            ExitStatus::ChangesPending
        } else {
            ExitStatus::Success
        };
        // The process ends next: the content, the live objects and the plan (tens of
        // thousands of small allocations at a few thousand objects) are left to the exit
        // instead of being freed one by one.
        std::mem::forget(plan);
        std::mem::forget(snapshot);
        std::mem::forget(session.desired);
        std::mem::forget(session.content);
        Ok(status)
    })?
}

/// The live saved objects of another id with a content object's title, each said as a
/// warning (on stderr, in JSON mode too), with one more when the tenant holds more objects than
/// the one `_find` read.
pub(crate) fn same_title(
    desired: &[crate::plan::plan::Desired],
    snapshot: &live::Snapshot,
    printer: Printer,
) -> Vec<SameTitle> {
    let found = same_title_unsaid(desired, snapshot, printer);
    for s in &found {
        printer.warn(&s.message());
    }
    found
}

/// [`same_title`] with only the warning about objects past the one `_find` page said: apply
/// says the rest with its report.
pub(crate) fn same_title_unsaid(
    desired: &[crate::plan::plan::Desired],
    snapshot: &live::Snapshot,
    printer: Printer,
) -> Vec<SameTitle> {
    let found = crate::plan::same_title::find(desired, &snapshot.titles.objects);
    let read = snapshot.titles.objects.len() as u64;
    if snapshot.titles.total > read {
        printer.warn(&format!(
            "the same-title check read the titles of {read} of the tenant's {} saved objects (one `_find` page at most): objects past them were not compared",
            snapshot.titles.total
        ));
    }
    found
}

/// The `same_title` array of plan's and apply's JSON `data`.
pub(crate) fn same_title_json(found: &[SameTitle]) -> serde_json::Value {
    serde_json::Value::Array(found.iter().map(SameTitle::json).collect())
}

/// The plan of a snapshot.
pub(crate) fn make_plan(
    desired: &[crate::plan::plan::Desired],
    snapshot: &live::Snapshot,
    version: crate::content::version::ContentVersion,
    prune: bool,
) -> Plan {
    let recorded = [&snapshot.cluster_state.state, &snapshot.tenant_state.state]
        .iter()
        .filter_map(|s| s.content_version.as_deref()?.parse().ok())
        .collect();
    let state = snapshot.merged_state();
    plan(&Inputs {
        desired,
        live: &snapshot.live,
        state: &state,
        recorded_versions: recorded,
        version,
        prune,
    })
}

/// The plan narrowed to `--only` / `--exclude`, with a warning for each reference left out
/// (said once: None on a second pass).
pub(crate) fn select(
    desired: &[crate::plan::plan::Desired],
    log_types: &LogTypes,
    args: &crate::cli::SelectArgs,
    plan: Plan,
    printer: Option<Printer>,
) -> Result<Plan> {
    let selection = crate::plan::select::Selection::parse(&args.only, &args.exclude)?;
    let narrowed = selection.narrow(plan, desired, log_types)?;
    let Some(printer) = printer else {
        return Ok(narrowed.plan);
    };
    if narrowed.left_out > 0 {
        printer.status(&format!(
            "{} changes not selected (--only/--exclude) are left out",
            narrowed.left_out
        ));
    }
    for note in &narrowed.notes {
        printer.warn(note);
    }
    Ok(narrowed.plan)
}

/// The log type of each content object, by kind and id (`--only log-type:NAME`).
pub(crate) type LogTypes = std::collections::HashMap<(crate::content::kind::Kind, String), String>;

/// The log types of the content's objects.
pub(crate) fn log_types(content: &crate::content::Content) -> LogTypes {
    content
        .resources
        .iter()
        .map(|r| ((r.kind, r.id.clone()), r.log_type.clone()))
        .collect()
}
