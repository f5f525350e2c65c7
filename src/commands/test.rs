//! `siemctl test`: run the content's test events through its pipelines and mappings offline,
//! then its queries over the documents; compare with the golden files (or write them with
//! --generate).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};

use super::{report_problems, warn_problems};
use crate::cli::{GlobalArgs, TestArgs};
use crate::content::problem::Problem;
use crate::content::suggest::did_you_mean;
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
use crate::testing::questions;
use crate::testing::same_meaning;
use crate::testing::suite::Suite;
use crate::testing::FileResult;
use crate::workshop::questions as workshop_questions;

pub(crate) fn run(global: &GlobalArgs, args: &TestArgs, printer: Printer) -> Result<ExitStatus> {
    let project = Project::resolve(global, &args.vars)?;
    check_log_types(&project.root, &args.log_types)?;
    // The content as the project's variables render it: it must be valid before anything runs.
    let (base, mut problems) = content::load(&project.root, project.version, project.vars.clone())?;
    problems.extend(checks::validate(&base));
    let (files, found) = case::discover(&project.root, &args.log_types).with_context(|| {
        format!(
            "cannot read the test folders under `{}`",
            project.root.display()
        )
    })?;
    problems.extend(found);
    // The content once per distinct set of test variables (the base one for files with none).
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
                groups
                    .entry(key)
                    .or_insert_with(|| (vars, Vec::new()))
                    .1
                    .push(file);
            }
            Err(e) => problems.push(
                Problem::new(file.config_path.clone().unwrap_or(file.path.clone()), e.to_string())
                    .with_hint("a test can only set variables that [vars] of siemctl.toml declares, with the same type"),
            ),
        }
    }
    let mut others: Vec<(Content, Vec<TestFile>)> = Vec::new();
    let mut base_files = Vec::new();
    for (key, (vars, files)) in groups {
        if key == "{}" {
            base_files = files;
            continue;
        }
        let (content, mut found) = content::load(&project.root, project.version, vars)?;
        found.extend(checks::validate(&content));
        problems.extend(found);
        others.push((content, files));
    }
    checks::sort(&mut problems);
    if !problems.is_empty() {
        return Ok(report_problems(printer, "test", &problems));
    }

    let mut groups: Vec<(&Content, Vec<TestFile>)> = vec![(&base, base_files)];
    groups.extend(others.iter().map(|(c, f)| (c, f.clone())));
    let mut suites = Vec::new();
    for (content, _) in &groups {
        match Suite::new(content) {
            Ok(suite) => suites.push(suite),
            Err(found) => return Ok(report_problems(printer, "test", &found)),
        }
    }
    let mut results = Vec::new();
    let mut warnings = Vec::new();
    for (g, (_, files)) in groups.iter().enumerate() {
        let suite = &suites[g];
        for file in files {
            let Some(index) = file
                .config
                .index
                .clone()
                .or_else(|| suite.default_index(&file.log_type))
            else {
                problems.push(
                    Problem::new(&file.path, format!("log type `{}` has no index template, so the test cannot tell where its events go", file.log_type))
                        .with_hint("name the index in `index:` of the test's -config.yaml"),
                );
                continue;
            };
            let run = suite.run(file, &index);
            let expected_path = file.expected_path();
            let expected = match read_golden(&project.root, &expected_path)? {
                Golden::Missing => None,
                Golden::Read(expected) => Some(expected),
                Golden::Invalid(message) if args.generate => {
                    warnings.push(format!(
                        "`{}` is not a valid golden file ({message}): it is written anew, without the \"fails\" marks it may have had",
                        expected_path.display()
                    ));
                    None
                }
                Golden::Invalid(message) => {
                    problems.push(
                        Problem::new(&expected_path, format!("invalid golden file: {message}"))
                            .with_hint("fix it by hand (a merge conflict?), or delete it and run `siemctl test --generate` (the \"fails\": true marks are then to be added again)"),
                    );
                    continue;
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
    results.sort_by(|a, b| a.file.path.cmp(&b.file.path));
    let traces: Vec<&ingest::Trace> = results.iter().map(|r| &r.run.trace).collect();
    // Coverage on the base content's pipelines: a processor is reached when an event of any
    // rendering reached the processor at that place.
    let coverage = coverage::coverage(&base, &suites[0], &traces, &args.log_types);
    // Query tests, on the content rendered with the project's own variables.
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
    // The workshop's questions, answered by their saved searches over the workshop sample.
    let questions_path = project.root.join(workshop_questions::QUESTIONS_FILE);
    let answers = if args.log_types.is_empty() && questions_path.is_file() {
        match workshop_questions::load(&project.root) {
            Ok(file) => {
                // The sample's `now` is the `--at` it was generated with.
                let at = results
                    .iter()
                    .find(|r| questions::is_sample(&r.file.path))
                    .map(|r| r.file.now);
                match at {
                    Some(at) => {
                        let vars = workshop_questions::variables(at);
                        questions::check(&file, &vars, &results, &report.results)
                    }
                    None => Vec::new(),
                }
            }
            Err(e) => {
                problems.push(
                    Problem::new(workshop_questions::QUESTIONS_FILE, e.to_string())
                        .with_hint("see workshop/README.md for the format of the questions"),
                );
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    for warning in &warnings {
        printer.warn(warning);
    }
    // One field for one meaning (warnings: the golden files decide what passes).
    warn_problems(printer, &same_meaning::check(&results));
    let status = out::print(
        printer,
        &out::Report {
            results: &results,
            coverage: &coverage,
            queries: &report,
            written_goldens: &written_goldens,
            selected: &args.log_types,
            questions: &answers,
            goldens: &existing,
        },
    );
    // Problems found on the way (a file whose events have nowhere to go, a broken golden file)
    // come after the results, which stay visible.
    if !problems.is_empty() {
        checks::sort(&mut problems);
        return Ok(report_problems(printer, "test", &problems));
    }
    Ok(status)
}

enum Golden {
    Missing,
    Read(Expected),
    Invalid(String),
}

fn read_golden(root: &Path, path: &PathBuf) -> Result<Golden> {
    match fs::read_to_string(root.join(path)) {
        Ok(text) => Ok(match Expected::parse(&text) {
            Ok(expected) => Golden::Read(expected),
            Err(message) => Golden::Invalid(message),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Golden::Missing),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            Ok(Golden::Invalid("not UTF-8 text".into()))
        }
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    }
}

/// Every `--log-type` names a log type with a test folder.
fn check_log_types(root: &Path, names: &[String]) -> Result<()> {
    let base = root.join("index-templates");
    let known: Vec<String> = fs::read_dir(&base)
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|name| !name.starts_with('_'))
                .collect()
        })
        .unwrap_or_default();
    for name in names {
        if !known.contains(name) {
            let suggestion = did_you_mean(name, known.iter())
                .map(|s| format!(": did you mean `{s}`?"))
                .unwrap_or_default();
            bail!("there is no log type `{name}` in index-templates/{suggestion}");
        }
        if !base
            .join(name)
            .join(crate::content::load::TEST_FOLDER)
            .is_dir()
        {
            bail!(
                "log type `{name}` has no test events: add them in index-templates/{name}/_test/ (see docs/content-format.md, \"Tests\")"
            );
        }
    }
    Ok(())
}
