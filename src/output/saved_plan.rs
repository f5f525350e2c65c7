//! How a saved plan is shown (`siemctl show FILE`): per target a header (where, what content,
//! when), then the plan as `siemctl plan` prints it; as JSON (the file without the content's
//! bodies); or as Markdown for a CI job summary.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::plan as plan_text;
use crate::plan::diff::unified;
use crate::plan::saved::{Error, PlanFile, TargetPlan};

/// The most diff lines shown per object in Markdown: a job summary holds at most 1 MiB.
const MARKDOWN_DIFF_LINES: usize = 200;

fn header(file: &PlanFile, target: &TargetPlan) -> String {
    let e = &target.endpoints;
    let mut lines = vec![format!(
        "OpenSearch {} {}",
        e.opensearch_url, target.servers.opensearch
    )];
    if let Some(url) = &e.dashboards_url {
        lines.push(format!(
            "Dashboards {url} {}, tenant {}",
            target.servers.dashboards.as_deref().unwrap_or("?"),
            e.tenant
        ));
    }
    lines.push(format!(
        "content {}{}{}, made {} by siemctl {}",
        target.content_version,
        target
            .git_commit
            .as_deref()
            .map(|c| format!(" at commit {c}"))
            .unwrap_or_default(),
        if target.prune { ", with --prune" } else { "" },
        file.created_at,
        file.siemctl_version
    ));
    lines.join("\n")
}

fn title(target: &TargetPlan) -> String {
    match &target.target {
        Some(name) => format!("target {name}"),
        None => "no target".to_string(),
    }
}

/// The text of every plan of the file.
pub(crate) fn text(file: &PlanFile) -> Result<String, Error> {
    let mut out = String::new();
    for target in &file.plans {
        let h = super::style::heading();
        let _ = writeln!(out, "{h}== {} =={h:#}", title(target));
        let _ = writeln!(out, "{}\n", header(file, target));
        out.push_str(&plan_text::text(&target.to_plan()?));
        out.push('\n');
    }
    Ok(out)
}

/// The file as the `data` of a JSON document, without the content's bodies (they are in the
/// file) and with each change's text diff beside its `before` and `after`.
pub(crate) fn json(file: &PlanFile) -> Value {
    let plans: Vec<Value> = file
        .plans
        .iter()
        .map(|p| {
            let changes: Vec<Value> = p
                .changes
                .iter()
                .map(|c| {
                    let mut change = serde_json::to_value(c).unwrap_or(Value::Null);
                    change["diff"] = json!(unified(c.before.as_ref(), c.after.as_ref()));
                    change
                })
                .collect();
            json!({
                "target": p.target,
                "endpoints": p.endpoints,
                "servers": p.servers,
                "content_version": p.content_version,
                "content_digest": p.content_digest,
                "git_commit": p.git_commit,
                "prune": p.prune,
                "summary": p.summary,
                "changes": changes,
                "orphans": p.orphans,
                "downgrade": p.downgrade,
                "refresh": p.refresh,
                "live": p.live,
            })
        })
        .collect();
    json!({
        "siemctl_version": file.siemctl_version,
        "created_at": file.created_at,
        "plans": plans,
    })
}

/// Text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
}

/// A code fence longer than any run of backticks in `text`.
fn fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// Markdown for a job summary: per target a heading, where and what, a summary table, the
/// changes in a table, and each update's and delete's diff folded.
pub(crate) fn markdown(file: &PlanFile) -> Result<String, Error> {
    let mut out = String::new();
    for target in &file.plans {
        let plan = target.to_plan()?;
        let s = &target.summary;
        let _ = writeln!(out, "### siemctl plan: {}\n", cell(&title(target)));
        for line in header(file, target).lines() {
            let _ = writeln!(out, "{}  ", cell(line));
        }
        let _ = writeln!(
            out,
            "\n| create | update | delete | unchanged | drifted |\n|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} |\n",
            s.create, s.update, s.delete, s.unchanged, s.drifted
        );
        if target.changes.is_empty() {
            out.push_str("No changes.\n\n");
        } else {
            out.push_str("| action | kind | id | title | notes |\n|---|---|---|---|---|\n");
            for c in &plan.changes {
                if c.action == crate::plan::plan::Action::NoOp && !c.unmanaged {
                    continue;
                }
                let mut notes = Vec::new();
                if let Some(drift) = c.drift {
                    notes.push(format!(
                        "**drift**: {} in the cluster since the last apply",
                        drift.name()
                    ));
                }
                if c.unmanaged {
                    notes.push("not created by siemctl (apply --adopt)".to_string());
                }
                let _ = writeln!(
                    out,
                    "| {} | {} | `{}` | {} | {} |",
                    c.action.name(),
                    c.kind,
                    cell(&c.id),
                    cell(c.title.as_deref().unwrap_or("")),
                    notes.join("; ")
                );
            }
            out.push('\n');
            for c in plan.changes.iter().filter(|c| {
                matches!(
                    c.action,
                    crate::plan::plan::Action::Update | crate::plan::plan::Action::Delete
                )
            }) {
                let diff = unified(c.before.as_ref(), c.after.as_ref());
                let lines: Vec<&str> = diff.lines().collect();
                let mut body = lines
                    .iter()
                    .take(MARKDOWN_DIFF_LINES)
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n");
                if lines.len() > MARKDOWN_DIFF_LINES {
                    let _ = write!(
                        body,
                        "\n… {} more lines: `siemctl show FILE` prints them all",
                        lines.len() - MARKDOWN_DIFF_LINES
                    );
                }
                let f = fence(&body);
                let _ = writeln!(
                    out,
                    "<details><summary>{} {} <code>{}</code></summary>\n\n{f}diff\n{body}\n{f}\n\n</details>\n",
                    c.action.name(),
                    c.kind,
                    cell(&c.id)
                );
            }
        }
        for o in &target.orphans {
            let _ = writeln!(
                out,
                "- {} `{}` left the content; siemctl created it, and `--prune` would delete it",
                o.kind,
                cell(&o.id)
            );
        }
        for reason in &target.downgrade {
            let _ = writeln!(out, "- **apply would downgrade**: {}", cell(reason));
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_is_longer_than_any_backtick_run_inside() {
        assert_eq!(fence("no ticks"), "```");
        assert_eq!(fence("a ```` b"), "`````");
    }

    #[test]
    fn table_cells_escape_pipes_and_html() {
        assert_eq!(cell("a|b <x>\nc"), "a\\|b &lt;x> c");
    }
}
