//! How a plan is shown: a header per changed object, a coloured unified diff, a summary line;
//! or one JSON document.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::style;
use crate::plan::diff::unified;
use crate::plan::plan::{Action, Change, Plan};

/// The text of a plan. Creates show no body (it is in the content); updates and deletes show
/// the diff of the normalised objects.
pub(crate) fn text(plan: &Plan) -> String {
    let mut out = String::new();
    for change in plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp || c.unmanaged)
    {
        let (sign, style) = match change.action {
            Action::Create => ('+', style::diff_added()),
            Action::Update => ('~', style::diff_changed()),
            Action::Delete => ('-', style::diff_removed()),
            Action::NoOp => ('=', style::heading()),
        };
        let title = change
            .title
            .as_deref()
            .map(|t| format!(" \"{t}\""))
            .unwrap_or_default();
        let _ = write!(
            out,
            "{style}{sign} {} {} {}{title}{style:#}",
            change.action.name(),
            change.kind,
            change.id
        );
        let mut notes = Vec::new();
        if let Some(drift) = change.drift {
            notes.push(match drift {
                crate::plan::plan::Drift::Edited => {
                    "drift: edited in the cluster since the last apply"
                }
                crate::plan::plan::Drift::Deleted => {
                    "drift: deleted in the cluster since the last apply"
                }
            });
        }
        if change.unmanaged {
            notes.push(
                "exists in the cluster but siemctl did not create it (apply --adopt takes it over)",
            );
        }
        if !notes.is_empty() {
            let w = style::warning();
            let _ = write!(out, "  {w}({}){w:#}", notes.join("; "));
        }
        out.push('\n');
        if matches!(change.action, Action::Update | Action::Delete) {
            for line in diff_lines(change) {
                let line_style = match line.chars().next() {
                    Some('+') if !line.starts_with("+++") => style::diff_added(),
                    Some('-') if !line.starts_with("---") => style::diff_removed(),
                    Some('@') => style::location(),
                    _ => anstyle::Style::new(),
                };
                let _ = writeln!(out, "    {line_style}{line}{line_style:#}");
            }
        }
    }
    for orphan in &plan.orphans {
        let _ = writeln!(
            out,
            "  {} {} left the content; siemctl created it, and `--prune` would delete it",
            orphan.kind, orphan.id
        );
    }
    if !plan.refresh.is_empty() {
        let _ = writeln!(
            out,
            "  siemctl's record of {} unchanged objects is out of date or missing (an edit brought into the content, an object made outside siemctl that is already as the content has it, or an earlier interrupted run); apply updates the record only",
            plan.refresh.len()
        );
    }
    let h = style::heading();
    let _ = writeln!(
        out,
        "{h}Plan:{h:#} {} to create, {} to update, {} to delete, {} unchanged.",
        plan.count(Action::Create),
        plan.count(Action::Update),
        plan.count(Action::Delete),
        plan.count(Action::NoOp)
    );
    out
}

fn diff_lines(change: &Change) -> Vec<String> {
    unified(change.before.as_ref(), change.after.as_ref())
        .lines()
        .map(str::to_string)
        .collect()
}

/// The plan as the `data` of a JSON document.
pub(crate) fn json(plan: &Plan) -> Value {
    let changes: Vec<Value> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp || c.unmanaged)
        .map(|c| {
            json!({
                "kind": c.kind.name(),
                "id": c.id,
                "title": c.title,
                "action": c.action.name(),
                "drift": c.drift.map(|d| d.name()),
                "unmanaged": c.unmanaged,
                "content_changed": c.content_changed,
                "diff": unified(c.before.as_ref(), c.after.as_ref()),
                // Both sides as JSON (normalised): null for a create's before, a delete's after.
                "before": c.before,
                "after": c.after,
            })
        })
        .collect();
    json!({
        "changes": changes,
        "orphans": plan.orphans.iter().map(|o| json!({"kind": o.kind.name(), "id": o.id})).collect::<Vec<_>>(),
        "downgrade": plan.downgrade,
        "summary": {
            "create": plan.count(Action::Create),
            "update": plan.count(Action::Update),
            "delete": plan.count(Action::Delete),
            "unchanged": plan.count(Action::NoOp),
        }
    })
}
