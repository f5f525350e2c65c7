//! `siemctl import sigma FILE...`: Sigma rules into saved searches of the matching log type.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::cli::{GlobalArgs, ImportArgs, ImportCommand, ImportSigmaArgs};
use crate::content::kind::Kind;
use crate::content::mapping::{self, Fields};
use crate::content::problem::Problem;
use crate::content::{self, Content};
use crate::exit::ExitStatus;
use crate::output::import::{self as report, Action, Imported};
use crate::output::printer::Printer;
use crate::settings::Project;
use crate::sigma::{self, search, FieldsOf};

pub(crate) fn run(global: &GlobalArgs, args: &ImportArgs, printer: Printer) -> Result<ExitStatus> {
    match &args.command {
        ImportCommand::Sigma(a) => run_sigma(global, a, printer),
    }
}

/// Each log type's fields, from its composed index templates.
struct LogTypeFields(BTreeMap<String, Fields>);

impl LogTypeFields {
    fn of(content: &Content) -> Self {
        let mut by_type: BTreeMap<String, Fields> = BTreeMap::new();
        for template in content.of_kind(Kind::IndexTemplate) {
            let fields = mapping::compose(content, template).fields;
            let entry = by_type.entry(template.log_type.clone()).or_default();
            for (name, field) in fields {
                entry.entry(name).or_insert(field);
            }
        }
        LogTypeFields(by_type)
    }
}

impl FieldsOf for LogTypeFields {
    fn fields_of(&self, log_type: &str) -> Option<&Fields> {
        self.0.get(log_type)
    }
}

fn run_sigma(global: &GlobalArgs, args: &ImportSigmaArgs, printer: Printer) -> Result<ExitStatus> {
    let project = Project::resolve(global, &args.vars)?;
    let mappings = match sigma::mapping::load(&project.root) {
        Ok(m) => m,
        Err(problem) => {
            report::print(printer, &[], &[problem], args.dry_run);
            return Ok(ExitStatus::Failure);
        }
    };
    let (content, _) = content::load(&project.root, project.version, project.vars.clone())
        .context("loading the content for its mappings")?;
    let fields = LogTypeFields::of(&content);
    if let Some(lt) = &args.log_type {
        if fields.fields_of(lt).is_none() {
            anyhow::bail!(
                "--log-type {lt}: the content has no index template for this log type (known: {})",
                fields.0.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        }
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| project.root.join("saved-searches"));
    let mut imported = Vec::new();
    let mut problems = Vec::new();
    let mut ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in &args.files {
        let text = match fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                problems.push(
                    Problem::new(file, format!("cannot read the rule: {e}"))
                        .with_hint("give the path of a Sigma rule file (.yml)"),
                );
                continue;
            }
        };
        let converted =
            match sigma::convert(file, &text, &mappings, &fields, args.log_type.as_deref()) {
                Ok(c) => c,
                Err(p) => {
                    problems.push(p);
                    continue;
                }
            };
        if let Some(first) = ids.get(&converted.id) {
            problems.push(
                Problem::new(
                    file,
                    format!(
                        "rule id `{}` was already imported in this run",
                        converted.id
                    ),
                )
                .with_hint(format!(
                    "first from {}; give each rule its own id",
                    first.display()
                )),
            );
            continue;
        }
        ids.insert(converted.id.clone(), file.clone());
        let target = out.join(&converted.log_type).join(&converted.file_name);
        match write(
            &target,
            &shown(&target, &project.root),
            &search::to_yaml(&converted),
            args.dry_run,
        ) {
            Ok(action) => imported.push(Imported {
                rule: file.clone(),
                file: shown(&target, &project.root),
                action,
                converted,
            }),
            Err(p) => problems.push(p.clone_with_file(file)),
        }
    }
    report::print(printer, &imported, &problems, args.dry_run);
    Ok(if problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// The path relative to the content directory when it is inside it.
fn shown(path: &Path, root: &Path) -> PathBuf {
    let path = path.strip_prefix(root).unwrap_or(path);
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}

struct WriteProblem(String, String);

impl WriteProblem {
    fn clone_with_file(&self, file: &Path) -> Problem {
        Problem::new(file, self.0.clone()).with_hint(self.1.clone())
    }
}

/// Writes the search unless it is already so; refuses to replace a file not made by the import.
fn write(target: &Path, shown: &Path, yaml: &str, dry_run: bool) -> Result<Action, WriteProblem> {
    let action = match fs::read_to_string(target) {
        Ok(existing) if existing == yaml => return Ok(Action::Unchanged),
        Ok(existing) => {
            if !existing.starts_with(search::HEADER) {
                return Err(WriteProblem(
                    format!("{} exists and was not written by the import (its first line is not the import's comment)", shown.display()),
                    "it holds edits made by hand: move it away, or pass --out DIR to write elsewhere".into(),
                ));
            }
            Action::Updated
        }
        Err(_) => Action::Created,
    };
    if !dry_run {
        let written = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(target, yaml));
        if let Err(e) = written {
            return Err(WriteProblem(
                format!("cannot write {}: {e}", shown.display()),
                "check that the output directory is writable".into(),
            ));
        }
    }
    Ok(action)
}
