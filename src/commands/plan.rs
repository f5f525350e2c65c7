//! `siemctl plan`: how the cluster differs from the content.

use anyhow::Result;

use super::{block_on, open_session};
use crate::apply::live;
use crate::cli::{GlobalArgs, PlanArgs};
use crate::exit::ExitStatus;
use crate::output::plan as show;
use crate::output::printer::Printer;
use crate::plan::plan::{plan, Inputs, Plan};

pub(crate) fn run(global: &GlobalArgs, args: &PlanArgs, printer: Printer) -> Result<ExitStatus> {
    if crate::settings::Project::selects_several(global, &args.vars)? {
        if let Some(out) = &args.out {
            anyhow::bail!(
                "--out `{}` saves the plan of one target, and this plan selects several\nhint: save one plan per target (`--target NAME --out plan-NAME.json`, as the CI examples' matrix does)",
                out.display()
            );
        }
        return super::targets::plan(global, args, printer);
    }
    block_on(async {
        let session = match open_session(global, &args.vars, &args.connect, printer).await? {
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
        if let Some(out) = &args.out {
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
        if printer.is_json() {
            printer.json(show::json(&plan), serde_json::Value::Null);
        } else {
            printer.data(&show::text(&plan));
            for reason in &plan.downgrade {
                printer.warn(&format!("apply would downgrade: {reason}"));
            }
        }
        Ok(if args.detailed_exitcode && plan.has_changes() {
            ExitStatus::ChangesPending
        } else {
            ExitStatus::Success
        })
    })?
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
