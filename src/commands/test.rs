//! `siemctl test`: run the content's test events through its pipelines and mappings offline,
//! compare with the golden files (or write them with --generate).

use std::collections::BTreeMap;
use std::fs;

use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};

use super::report_problems;
use crate::cli::{GlobalArgs, TestArgs};
use crate::content::problem::Problem;
use crate::content::validate as checks;
use crate::content::vars::{self, Origin};
use crate::content::{self, Content};
use crate::exit::ExitStatus;
use crate::output::printer::Printer;
use crate::output::test as out;
use crate::settings::Project;
use crate::testing::case::{self, TestFile};
use crate::testing::check::check;
use crate::testing::coverage;
use crate::testing::expected::Expected;
use crate::testing::queries;
use crate::testing::suite::Suite;
use crate::testing::FileResult;

pub(crate) fn run(global: &GlobalArgs, args: &TestArgs, printer: Printer) -> Result<ExitStatus> {
    let project = Project::resolve(global, &args.vars)?;
    let (files, mut problems) =
        case::discover(&project.root, &args.log_types).with_context(|| {
            format!(
                "cannot read the test folders under `{}`",
                project.root.display()
            )
        })?;
    if !args.log_types.is_empty() {
        for name in &args.log_types {
            if !files.iter().any(|f| &f.log_type == name) {
                bail!(
                    "log type `{name}` has no test events: add them in index-templates/{name}/_test/ (see docs/content-format.md, \"Tests\")"
                );
            }
        }
    }
    // The content, once per distinct set of test variables.
    let mut groups: BTreeMap<String, (Map<String, Value>, Vec<TestFile>)> = BTreeMap::new();
    for file in files {
        let layer: Map<String, Value> = file.config.vars.clone().into_iter().collect();
        let origin = Origin::TestConfig(
            file.config_path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        );
        match vars::overlay(project.vars.clone(), &project.declared_vars, &layer, &origin) {
            Ok(vars) => {
                let key = Value::Object(layer).to_string();
                groups.entry(key).or_insert_with(|| (vars, Vec::new())).1.push(file);
            }
            Err(e) => problems.push(
                Problem::new(file.config_path.clone().unwrap_or(file.path.clone()), e.to_string())
                    .with_hint("a test can only set variables that [vars] of siemctl.toml declares, with the same type"),
            ),
        }
    }
    let mut contents: Vec<(Content, Vec<TestFile>)> = Vec::new();
    for (_, (vars, files)) in groups {
        let (content, mut found) = content::load(&project.root, project.version, vars)?;
        found.extend(checks::validate(&content));
        problems.extend(found);
        contents.push((content, files));
    }
    checks::sort(&mut problems);
    if !problems.is_empty() {
        return Ok(report_problems(printer, "test", &problems));
    }

    let mut suites = Vec::new();
    for (content, _) in &contents {
        match Suite::new(content) {
            Ok(suite) => suites.push(suite),
            Err(found) => return Ok(report_problems(printer, "test", &found)),
        }
    }
    let mut results = Vec::new();
    for (suite, (_, files)) in suites.iter().zip(&contents) {
        for file in files {
            let index = match file
                .config
                .index
                .clone()
                .or_else(|| suite.default_index(&file.log_type))
            {
                Some(index) => index,
                None => {
                    problems.push(
                        Problem::new(&file.path, format!("log type `{}` has no index template, so the test cannot tell where its events go", file.log_type))
                            .with_hint("name the index in `index:` of the test's -config.yaml"),
                    );
                    continue;
                }
            };
            let run = match suite.run(file, &index) {
                Ok(run) => run,
                Err(message) => {
                    problems.push(
                        Problem::new(file.config_path.clone().unwrap_or(file.path.clone()), message)
                            .with_hint("send the events to an index that a content index template creates (`index:` of the test's -config.yaml)"),
                    );
                    continue;
                }
            };
            let expected_path = file.expected_path();
            let expected = match fs::read_to_string(project.root.join(&expected_path)) {
                Ok(text) => match Expected::parse(&text) {
                    Ok(expected) => Some(expected),
                    Err(message) => {
                        problems.push(
                            Problem::new(&expected_path, format!("invalid golden file: {message}"))
                                .with_hint("regenerate it with `siemctl test --generate` (\"fails\": true marks are kept only from a readable file)"),
                        );
                        continue;
                    }
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("cannot read `{}`", expected_path.display()))
                }
            };
            let checked = check(file, &run, expected.as_ref(), args.generate);
            let mut written = None;
            if args.generate {
                let text = checked.golden.to_text();
                let old = expected.as_ref().map(Expected::to_text);
                if old.as_deref() != Some(text.as_str()) {
                    fs::write(project.root.join(&expected_path), &text)
                        .with_context(|| format!("cannot write `{}`", expected_path.display()))?;
                    written = Some((expected_path.clone(), expected.is_none()));
                }
            }
            results.push(FileResult {
                file: file.clone(),
                run,
                checked,
                written,
            });
        }
    }
    if !problems.is_empty() {
        checks::sort(&mut problems);
        return Ok(report_problems(printer, "test", &problems));
    }
    results.sort_by(|a, b| a.file.path.cmp(&b.file.path));
    let traces: Vec<&ingest::Trace> = results.iter().map(|r| &r.run.trace).collect();
    // Query tests, on the content rendered with the project's own variables.
    let (base, _) = content::load(&project.root, project.version, project.vars.clone())?;
    let evaluated = queries::evaluate(&base, &results, &args.log_types);
    let mut existing = BTreeMap::new();
    for log_type in queries::golden_files(&evaluated).keys() {
        let path = queries::golden_path(log_type);
        let text = match fs::read_to_string(project.root.join(&path)) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
        };
        existing.insert(log_type.clone(), text);
    }
    let mut report = queries::judge(evaluated, &existing, args.generate);
    let mut written_goldens = Vec::new();
    if args.generate {
        for (log_type, text) in &report.goldens {
            let old = existing.get(log_type).cloned().flatten();
            if old.as_deref() != Some(text.as_str()) {
                let path = queries::golden_path(log_type);
                let full = project.root.join(&path);
                if let Some(dir) = full.parent() {
                    fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create `{}`", dir.display()))?;
                }
                fs::write(&full, text)
                    .with_context(|| format!("cannot write `{}`", path.display()))?;
                written_goldens.push((path, old.is_none()));
            }
        }
    }
    report.goldens.clear();
    let coverage = match (contents.first(), suites.first()) {
        (Some((content, _)), Some(suite)) => {
            coverage::coverage(content, suite, &traces, &args.log_types)
        }
        _ => Vec::new(),
    };
    Ok(out::print(
        printer,
        &results,
        &coverage,
        &report,
        &written_goldens,
        args.generate,
    ))
}
