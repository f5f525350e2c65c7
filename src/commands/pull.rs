//! `siemctl pull`: saved objects edited in Dashboards, back into the content files.

use std::fs;
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use serde_json::json;

use super::{block_on, load_checked, open_session, report_problems};
use crate::apply::live;
use crate::cli::{GlobalArgs, PullArgs};
use crate::content::canonical::to_pretty;
use crate::content::kind::Kind;
use crate::content::saved_search;
use crate::exit::ExitStatus;
use crate::output::printer::Printer;
use crate::plan::normalize;
use crate::plan::plan::Drift;

use super::plan::make_plan;

pub(crate) fn run(global: &GlobalArgs, args: &PullArgs, printer: Printer) -> Result<ExitStatus> {
    block_on(async {
        let session = match open_session(global, &args.vars, &args.connect, printer).await? {
            Ok(session) => session,
            Err(status) => return Ok(status),
        };
        let wanted = if args.drifted {
            if !args.objects.is_empty() {
                bail!("name objects or pass --drifted, not both");
            }
            let snapshot = live::read(&session.cluster, &session.desired).await?;
            let plan = make_plan(&session.desired, &snapshot, session.project.version, false);
            plan.changes
                .iter()
                .filter(|c| c.drift == Some(Drift::Edited) && c.kind.is_saved_object())
                .map(|c| (c.kind, c.id.clone()))
                .collect()
        } else {
            if args.objects.is_empty() {
                bail!("name the objects to pull as KIND/ID (e.g. visualization/aws-cloudtrail-top-api-calls), or pass --drifted");
            }
            args.objects
                .iter()
                .map(|o| parse_object(o))
                .collect::<Result<Vec<_>>>()?
        };
        if wanted.is_empty() {
            printer.data(
                "Nothing to pull: no saved object was edited in Dashboards since the last apply.\n",
            );
            return Ok(ExitStatus::Success);
        }
        let request: Vec<(String, String)> = wanted
            .iter()
            .map(|(k, id)| {
                (
                    k.saved_object_type().unwrap_or_default().to_string(),
                    id.clone(),
                )
            })
            .collect();
        let found = session
            .cluster
            .bulk_get(&request)
            .await
            .context("cannot read the saved objects")?;
        let mut written = Vec::new();
        for ((kind, id), object) in wanted.iter().zip(found) {
            let Some(object) = object else {
                bail!(
                    "{kind} `{id}` does not exist in the cluster (tenant {})",
                    session.cluster.tenant()
                );
            };
            let body = normalize::live(*kind, &object, None);
            let existing = session.content.get(*kind, id);
            let path: PathBuf = match (existing, &args.log_type) {
                (Some(resource), _) => resource.file.clone(),
                (None, Some(log_type)) => PathBuf::from("dashboards").join(log_type).join(format!("{id}{}", kind.file_suffix())),
                (None, None) => bail!("{kind} `{id}` is not in the content yet: pass --log-type NAME to put it in dashboards/NAME/"),
            };
            let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            let text = if is_yaml {
                let log_type = existing.map(|r| r.log_type.as_str()).unwrap_or_default();
                let default_pattern = session
                    .content
                    .of_kind(Kind::IndexPattern)
                    .filter(|p| p.log_type == log_type)
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>();
                saved_search::to_yaml(
                    id,
                    &body,
                    default_pattern
                        .first()
                        .copied()
                        .filter(|_| default_pattern.len() == 1),
                )
                .map_err(|e| {
                    anyhow::anyhow!("cannot pull {kind} `{id}` into `{}`: {e}", path.display())
                })?
            } else {
                to_pretty(&body)
            };
            let full = session.project.root.join(&path);
            if existing.is_some() && fs::read_to_string(&full).is_ok_and(|old| old.contains("{{")) {
                printer.warn(&format!("`{}` used template variables; the pulled file has their values written out: put the {{{{...}}}} back where they belong (see `git diff`)", path.display()));
            }
            if let Some(parent) = full.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create `{}`", parent.display()))?;
            }
            fs::write(&full, text).with_context(|| format!("cannot write `{}`", full.display()))?;
            written
                .push(json!({"kind": kind.name(), "id": id, "file": path.display().to_string()}));
            printer.status(&format!("Pulled {kind} `{id}` into `{}`", path.display()));
        }
        // The content must still be valid: a pulled object may reference one that is not in it.
        let (_, _, problems) = load_checked(global, &args.vars)?;
        if !problems.is_empty() {
            return Ok(report_problems(printer, "validation after pull", &problems));
        }
        if printer.is_json() {
            printer.json(json!({ "pulled": written }), serde_json::Value::Null);
        } else {
            printer.data(&format!("Pulled {} objects; the content validates. Review with `git diff`, then `siemctl plan`.\n", written.len()));
        }
        Ok(ExitStatus::Success)
    })?
}

/// `visualization/id` or `index-pattern/id`.
fn parse_object(text: &str) -> Result<(Kind, String)> {
    let (kind, id) = text
        .split_once('/')
        .filter(|(k, id)| !k.is_empty() && !id.is_empty())
        .with_context(|| {
            format!("`{text}` is not KIND/ID, e.g. visualization/aws-cloudtrail-top-api-calls")
        })?;
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.name() == kind || k.saved_object_type() == Some(kind))
        .with_context(|| format!("unknown kind `{kind}` in `{text}`"))?;
    if !kind.is_saved_object() || kind == Kind::Config {
        bail!("`{text}`: pull brings back saved objects (index-pattern, search, query, visualization, dashboard)");
    }
    Ok((kind, id.to_string()))
}
