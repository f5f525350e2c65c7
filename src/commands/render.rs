//! `siemctl render`: render every object as it would be sent, optionally to files.

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result};
use serde_json::{json, Value};

use super::{load, report_problems};
use crate::cli::{GlobalArgs, RenderArgs};
use crate::content::canonical::to_pretty;
use crate::content::kind::Kind;
use crate::content::resource::Resource;
use crate::exit::ExitStatus;
use crate::output::printer::Printer;
use crate::output::style;

pub(crate) fn run(global: &GlobalArgs, args: &RenderArgs, printer: Printer) -> Result<ExitStatus> {
    let (content, problems) = load(global, &args.vars)?;
    if !problems.is_empty() {
        return Ok(report_problems(printer, "render", &problems));
    }
    if let Some(out) = &args.out {
        write_all(out, &content.resources)?;
    }
    let counts = count(&content.resources);
    if printer.is_json() {
        let log_types: serde_json::Map<String, Value> = counts
            .iter()
            .map(|(log_type, kinds)| {
                let mut entry: serde_json::Map<String, Value> = kinds
                    .iter()
                    .map(|(k, n)| (k.name().to_string(), json!(n)))
                    .collect();
                entry.insert("total".into(), json!(kinds.values().sum::<usize>()));
                (log_type.to_string(), Value::Object(entry))
            })
            .collect();
        printer.json(
            json!({
                "content_version": content.version.to_string(),
                "out": args.out.as_ref().map(|p| p.display().to_string()),
                "total": content.resources.len(),
                "log_types": log_types,
            }),
            Value::Null,
        );
    } else {
        printer.data(&table(&counts));
        let h = style::success();
        let place = args.out.as_ref().map_or_else(
            || " (not written: pass --out DIR to write them)".to_string(),
            |o| format!(" to `{}`", o.display()),
        );
        printer.data(&format!(
            "{h}Rendered{h:#} {} objects of content {}{place}\n",
            content.resources.len(),
            content.version
        ));
    }
    content.forget(); // siemctl exits next: no freeing object by object
    Ok(ExitStatus::Success)
}

/// Writes DIR/<kind>/<id>.json for every object and removes `.json` files in those kind folders
/// that no object produced, so that DIR mirrors the content. Nothing else in DIR is touched.
fn write_all(out: &Path, resources: &[Resource]) -> Result<()> {
    for kind in Kind::ALL {
        let dir = out.join(kind.name());
        let wanted: Vec<&Resource> = resources.iter().filter(|r| r.kind == kind).collect();
        if dir.is_dir() {
            let ids: HashSet<&OsStr> = wanted.iter().map(|r| OsStr::new(r.id.as_str())).collect();
            for entry in
                fs::read_dir(&dir).with_context(|| format!("cannot read `{}`", dir.display()))?
            {
                let path = entry?.path();
                let stale = path.extension().is_some_and(|e| e == "json")
                    && !path.file_stem().is_some_and(|s| ids.contains(s));
                if stale {
                    fs::remove_file(&path)
                        .with_context(|| format!("cannot remove stale `{}`", path.display()))?;
                }
            }
        }
        if wanted.is_empty() {
            continue;
        }
        fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
        for resource in wanted {
            let path = dir.join(format!("{}.json", resource.id));
            fs::write(&path, to_pretty(&resource.wire()))
                .with_context(|| format!("cannot write `{}`", path.display()))?;
        }
    }
    Ok(())
}

fn count(resources: &[Resource]) -> BTreeMap<&str, BTreeMap<Kind, usize>> {
    let mut counts: BTreeMap<&str, BTreeMap<Kind, usize>> = BTreeMap::new();
    for resource in resources {
        *counts
            .entry(resource.log_type.as_str())
            .or_default()
            .entry(resource.kind)
            .or_default() += 1;
    }
    counts
}

fn table(counts: &BTreeMap<&str, BTreeMap<Kind, usize>>) -> String {
    let width = counts.keys().map(|k| k.len()).max().unwrap_or(8).max(8);
    let mut text = String::new();
    let h = style::heading();
    text.push_str(&format!(
        "{h}{:<width$}  {:>7}  kinds{h:#}\n",
        "log type", "objects"
    ));
    for (log_type, kinds) in counts {
        let total: usize = kinds.values().sum();
        let detail: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        text.push_str(&format!(
            "{log_type:<width$}  {total:>7}  {}\n",
            detail.join(", ")
        ));
    }
    text
}
