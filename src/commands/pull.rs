//! `siemctl pull`: saved objects edited in Dashboards, back into the content files.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde_json::json;

use super::{block_on, load_checked, open_session, report_problems};
use crate::apply::live;
use crate::cli::{GlobalArgs, PullArgs};
use crate::content::canonical;
use crate::content::kind::Kind;
use crate::content::resource::Resource;
use crate::content::saved_search;
use crate::content::Content;
use crate::exit::ExitStatus;
use crate::format::{merge, search, template};
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
            let drifted: Vec<_> = plan
                .changes
                .iter()
                .filter(|c| c.drift == Some(Drift::Edited) && c.kind.is_saved_object())
                .collect();
            if let Some(config) = drifted.iter().find(|c| c.kind == Kind::Config) {
                let file = session
                    .content
                    .get(Kind::Config, &config.id)
                    .map(|r| r.file.display().to_string())
                    .unwrap_or_default();
                printer.warn(&format!("the advanced settings were changed in Dashboards; pull does not bring settings back: edit `{file}` by hand (`siemctl plan` shows the difference)"));
            }
            drifted
                .iter()
                .filter(|c| c.kind != Kind::Config)
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
        let mut unchanged = Vec::new();
        for ((kind, id), object) in wanted.iter().zip(found) {
            let Some(object) = object else {
                bail!(
                    "{kind} `{id}` does not exist in the cluster (tenant {})",
                    session.cluster.tenant()
                );
            };
            let body = normalize::live(*kind, &object, None);
            let existing = session.content.get(*kind, id);
            let log_type = existing
                .map(|r| r.log_type.clone())
                .or_else(|| args.log_type.clone());
            let Some(log_type) = log_type else {
                bail!("{kind} `{id}` is not in the content yet: pass --log-type NAME to put it in dashboards/NAME/");
            };
            let json_path = PathBuf::from("dashboards")
                .join(&log_type)
                .join(format!("{id}{}", kind.file_suffix()));
            let path = match existing {
                Some(resource) if !(args.as_json && is_yaml(&resource.file)) => {
                    resource.file.clone()
                }
                _ => json_path,
            };
            let full = session.project.root.join(&path);
            let same_file = existing.is_some_and(|r| r.file == path);
            // An object that did not change leaves its file as it is.
            if let Some(resource) = existing.filter(|_| same_file) {
                if normalize::desired(*kind, &resource.body) == body {
                    printer.status(&format!(
                        "{kind} `{id}` is as `{}` has it: not written",
                        path.display()
                    ));
                    unchanged.push(
                        json!({"kind": kind.name(), "id": id, "file": path.display().to_string()}),
                    );
                    continue;
                }
            }
            let old_text = if same_file {
                fs::read_to_string(&full).ok()
            } else {
                None
            };
            let text = if is_yaml(&path) {
                let generated = yaml_of(
                    &session.content,
                    *kind,
                    id,
                    &log_type,
                    &body,
                    &object,
                    &path,
                )?;
                match &old_text {
                    Some(old) => search::update(old, &generated, &|text| {
                        yaml_holds(&session.content, *kind, &log_type, &object, &path, text).is_ok()
                    }),
                    None => generated,
                }
            } else {
                json_text(old_text.as_deref(), existing, &body, &path, printer)
            };
            if let Some(parent) = full.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create `{}`", parent.display()))?;
            }
            fs::write(&full, text).with_context(|| format!("cannot write `{}`", full.display()))?;
            if let Some(old) = existing.map(|r| &r.file).filter(|old| **old != path) {
                fs::remove_file(session.project.root.join(old))
                    .with_context(|| format!("cannot remove `{}`", old.display()))?;
                printer.status(&format!(
                    "Removed `{}`, replaced by `{}`",
                    old.display(),
                    path.display()
                ));
            }
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
            printer.json(
                json!({ "pulled": written, "unchanged": unchanged }),
                serde_json::Value::Null,
            );
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
    // The id becomes a file name: nothing that could leave the content folder.
    if id.starts_with('.')
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        bail!("`{id}` cannot be a content file name: pull takes ids of letters, digits, `-`, `_` and `.`");
    }
    Ok((kind, id.to_string()))
}

fn is_yaml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// The JSON file of a pulled object: laid over the file it replaces, so that only what changed
/// changes and template expressions stay where they still hold (see [`merge`]); a new file in
/// the layout, keys sorted.
fn json_text(
    old: Option<&str>,
    existing: Option<&Resource>,
    body: &serde_json::Value,
    path: &Path,
    printer: Printer,
) -> String {
    let (Some(old), Some(resource)) = (old, existing) else {
        return template::write(&merge::node_of(&canonical::sorted(body)));
    };
    match template::read(old) {
        Ok(tree) => {
            let mut lost = Vec::new();
            let merged = merge::merge(&tree, &resource.body, body, &mut lost);
            for leaf in lost {
                printer.warn(&format!(
                    "`{}`: `{}` was {} in the file, and Dashboards now holds another value: written out as it is (put the expression back if it should stay)",
                    path.display(),
                    leaf.pointer,
                    leaf.was
                ));
            }
            template::write(&merged)
        }
        Err(err) => {
            if template::has_expression(old) {
                printer.warn(&format!("`{}` could not be merged ({err}): written whole, with the values of its template expressions written out: put the {{{{...}}}} back where they belong (see `git diff`)", path.display()));
            }
            template::write(&merge::node_of(&canonical::sorted(body)))
        }
    }
}

/// The YAML of a saved search or query, checked by reading it back: it must turn into the very
/// object the cluster holds, or the YAML format cannot express it and nothing is written.
fn yaml_of(
    content: &Content,
    kind: Kind,
    id: &str,
    log_type: &str,
    body: &serde_json::Value,
    live: &serde_json::Value,
    path: &Path,
) -> Result<String> {
    let patterns: Vec<&str> = content
        .of_kind(Kind::IndexPattern)
        .filter(|p| p.log_type == log_type)
        .map(|p| p.id.as_str())
        .collect();
    let default_pattern = patterns.first().copied().filter(|_| patterns.len() == 1);
    let refuse = |why: String| {
        anyhow::anyhow!("cannot pull {kind} `{id}` into `{}`: {why}\nhint: pass --as-json to keep it as a JSON saved object in dashboards/{log_type}/ instead", path.display())
    };
    let yaml = saved_search::to_yaml(id, body, default_pattern).map_err(refuse)?;
    yaml_holds(content, kind, log_type, live, path, &yaml).map_err(refuse)?;
    Ok(yaml)
}

/// Whether a saved-search YAML text makes the very object the cluster holds; if not, why.
fn yaml_holds(
    content: &Content,
    kind: Kind,
    log_type: &str,
    live: &serde_json::Value,
    path: &Path,
    yaml: &str,
) -> std::result::Result<(), String> {
    let patterns: Vec<&str> = content
        .of_kind(Kind::IndexPattern)
        .filter(|p| p.log_type == log_type)
        .map(|p| p.id.as_str())
        .collect();
    let default_pattern = patterns.first().copied().filter(|_| patterns.len() == 1);
    let reparsed = saved_search::parse(path, yaml).map_err(|p| {
        p.iter()
            .map(|p| p.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    let binding = reparsed
        .file
        .index_pattern
        .as_ref()
        .map(|p| p.value.clone())
        .or(default_pattern.map(str::to_string))
        .unwrap_or_default();
    let same = reparsed.kind == kind
        && normalize::desired(kind, &reparsed.to_body(&binding))
            == normalize::live(kind, live, None);
    if same {
        Ok(())
    } else {
        Err("the YAML format cannot express all of it (e.g. a filter label, a filter on another index pattern, or attributes set in Dashboards that a YAML search does not have)".into())
    }
}
