//! plan, apply and validate over several targets (`--target 'prod-*'`, `--all-targets`): the
//! content is loaded, rendered and validated once per distinct set of variables, then the
//! targets run concurrently, at most `--parallel N` at once. One target's failure (unreachable,
//! auth, lock held) never stops the others: each is reported in its own section, then a summary
//! table; the exit code is 1 if any target failed, else 2 with `--detailed-exitcode` if any has
//! changes, else 0.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use serde_json::{json, Value};

use super::apply::{apply_session, confirm, git_commit, report_text, Applied};
use super::plan::make_plan;
use super::{block_on, connect_target_with, report_problems, Session};
use crate::apply::live;
use crate::cli::{ApplyArgs, ColorMode, ConnectArgs, GlobalArgs, OutputFormat, PlanArgs};
use crate::cluster::Connection;
use crate::content::problem::Problem;
use crate::content::validate as checks;
use crate::content::{self, Content};
use crate::error_code::Code;
use crate::exit::ExitStatus;
use crate::output::plan as show;
use crate::output::printer::{error_json, error_of, Printer};
use crate::output::style;
use crate::plan::plan::{desired_taken_from, Action, Desired, Plan};
use crate::plan::same_title::SameTitle;
use crate::settings::{self, Project};

/// The content of one set of variables, shared by the targets that have it.
pub(crate) struct Rendered {
    pub(crate) content: Arc<Content>,
    pub(crate) desired: Arc<Vec<Desired>>,
    /// The targets of this set of variables, by name.
    pub(crate) targets: Vec<String>,
    pub(crate) problems: Vec<Problem>,
}

/// Renders and validates once per distinct set of variables. Returns the projects (in target
/// order) with the index of their rendering.
pub(crate) fn render_once(projects: &[Project]) -> Result<(Vec<Rendered>, Vec<usize>)> {
    let mut by_vars: BTreeMap<String, usize> = BTreeMap::new();
    let mut rendered: Vec<Rendered> = Vec::new();
    let mut index = Vec::with_capacity(projects.len());
    for project in projects {
        let key = serde_json::to_string(&project.vars)?;
        let name = project.target_name.clone().unwrap_or_default();
        if let Some(&i) = by_vars.get(&key) {
            rendered[i].targets.push(name);
            index.push(i);
            continue;
        }
        tracing::debug!(for_target = %name, "rendering the content for a new set of variables");
        let (mut content, mut problems) =
            content::load(&project.root, project.version, project.vars.clone())?;
        problems.extend(checks::validate(&content));
        checks::sort(&mut problems);
        by_vars.insert(key, rendered.len());
        index.push(rendered.len());
        rendered.push(Rendered {
            // Plan, apply and validate read no body of the content after this.
            desired: Arc::new(desired_taken_from(&mut content)),
            content: Arc::new(content),
            targets: vec![name],
            problems,
        });
    }
    Ok((rendered, index))
}

/// A target's name and endpoints, for its section and its JSON result.
#[derive(Debug, Clone)]
struct Header {
    name: String,
    opensearch_url: Option<String>,
    dashboards_url: Option<String>,
}

impl Header {
    fn of(project: &Project, connect: &ConnectArgs) -> Header {
        let resolved = Connection::resolve(&project.target, &settings::overrides(connect)).ok();
        Header {
            name: project.target_name.clone().unwrap_or_default(),
            opensearch_url: resolved.as_ref().map(|c| c.opensearch_url.clone()),
            dashboards_url: resolved.and_then(|c| c.dashboards_url),
        }
    }

    fn text(&self) -> String {
        let h = style::heading();
        let mut endpoints = vec![self
            .opensearch_url
            .clone()
            .unwrap_or_else(|| "no OpenSearch URL".into())];
        if let Some(d) = &self.dashboards_url {
            endpoints.push(format!("Dashboards {d}"));
        }
        format!(
            "{h}== target {} =={h:#} ({})\n",
            self.name,
            endpoints.join(", ")
        )
    }
}

/// What one target did.
enum Done {
    /// A plan, with the same-title warnings of its target, and its saved form with
    /// `plan --out FILE`.
    Planned(
        Plan,
        Vec<SameTitle>,
        Option<Box<crate::plan::saved::TargetPlan>>,
    ),
    Applied(Applied),
}

struct TargetResult {
    header: Header,
    done: Result<Done, anyhow::Error>,
}

impl TargetResult {
    fn failed(&self) -> bool {
        match &self.done {
            Err(_) => true,
            Ok(Done::Planned(..)) => false,
            Ok(Done::Applied(a)) => !a.is_complete(),
        }
    }

    fn has_changes(&self) -> bool {
        match &self.done {
            Ok(Done::Planned(plan, ..)) => plan.has_changes(),
            Ok(Done::Applied(a)) => !a.no_changes,
            Err(_) => false,
        }
    }

    /// created, updated, deleted, drifted, failed (objects; `None` when the target failed as a
    /// whole).
    fn counts(&self) -> Option<[usize; 5]> {
        match &self.done {
            Ok(Done::Planned(p, ..)) => Some([
                p.count(Action::Create),
                p.count(Action::Update),
                p.count(Action::Delete),
                p.drifted().count(),
                0,
            ]),
            Ok(Done::Applied(a)) => Some([
                a.outcome.created.len(),
                a.outcome.updated.len(),
                a.outcome.deleted.len(),
                a.plan.drifted().count(),
                a.outcome.failed.len(),
            ]),
            Err(_) => None,
        }
    }
}

/// The printer the concurrent targets use: nothing on stdout or in status lines (each target
/// is reported in its section once done). Warnings still go to stderr.
fn quiet_printer() -> Printer {
    let choice = anstream::ColorChoice::global();
    let quiet = Printer::new(OutputFormat::Json, ColorMode::Never);
    choice.write_global();
    quiet
}

/// The selected targets, their renderings, and each target's rendering.
type Prepared = (Vec<Project>, Vec<Rendered>, Vec<usize>);

/// Resolves the selected targets and renders their content, reporting problems once.
/// `Err(status)`: content problems, already reported.
fn prepare(
    global: &GlobalArgs,
    vars: &crate::cli::VarArgs,
    printer: Printer,
) -> Result<Result<Prepared, ExitStatus>> {
    let projects = Project::resolve_all(global, vars)?;
    let (rendered, index) = render_once(&projects)?;
    let problems: Vec<Problem> = rendered
        .iter()
        .flat_map(|r| r.problems.iter().cloned())
        .collect();
    if !problems.is_empty() {
        // Nothing is sent anywhere unless the content is valid for every target.
        return Ok(Err(report_problems(printer, "validation", &problems)));
    }
    Ok(Ok((projects, rendered, index)))
}

/// Runs `work` for each target, at most `parallel` at once, and returns the results in target
/// order.
async fn run_all(
    projects: Vec<Project>,
    rendered: &[Rendered],
    index: &[usize],
    connect: &ConnectArgs,
    printer: Printer,
    work: Work,
) -> Vec<TargetResult> {
    // Each target is a task of the runtime's threads: the HTTP of one target and the CPU work
    // of another (parsing its answers, planning) go on together. The targets share the HTTP
    // transports (TLS set up once); each target's client adds its own credentials.
    let transports = Arc::new(crate::cluster::Transports::default());
    let (headers, done) = async move {
        let limit = Arc::new(tokio::sync::Semaphore::new(usize::from(connect.parallel)));
        let mut tasks = tokio::task::JoinSet::new();
        let mut headers = Vec::new();
        for (position, (project, &i)) in projects.into_iter().zip(index).enumerate() {
            let header = Header::of(&project, connect);
            headers.push(header.clone());
            let (content, desired) = (rendered[i].content.clone(), rendered[i].desired.clone());
            let (limit, connect, work) = (limit.clone(), connect.clone(), work.clone());
            let transports = transports.clone();
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await;
                let done = async {
                    let cluster =
                        connect_target_with(&project, &connect, printer, &transports).await?;
                    let session = Session {
                        project,
                        content,
                        desired,
                        cluster,
                    };
                    work.run(session, printer).await
                }
                .await;
                (position, done)
            });
        }
        let mut done: Vec<Option<Result<Done>>> = (0..headers.len()).map(|_| None).collect();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok((position, result)) => done[position] = Some(result),
                Err(err) => tracing::error!("a target's task failed: {err}"),
            }
        }
        (headers, done)
    }
    .await;
    headers
        .into_iter()
        .zip(done)
        .map(|(header, done)| TargetResult {
            header,
            done: done.unwrap_or_else(|| Err(anyhow::anyhow!("the target's task did not finish"))),
        })
        .collect()
}

/// What each target does.
#[derive(Clone)]
enum Work {
    Plan {
        prune: bool,
        select: Arc<crate::cli::SelectArgs>,
        /// `plan --out FILE`: keep each target's plan in its saved form.
        save: Option<Arc<ConnectArgs>>,
    },
    Apply(Arc<ApplyArgs>),
}

impl Work {
    fn plan(prune: bool, select: &crate::cli::SelectArgs) -> Work {
        Work::Plan {
            prune,
            select: Arc::new(select.clone()),
            save: None,
        }
    }

    async fn run(&self, session: Session, printer: Printer) -> Result<Done> {
        match self {
            Work::Plan {
                prune,
                select,
                save,
            } => {
                let snapshot = live::read(&session.cluster, &session.desired).await?;
                let plan = make_plan(&session.desired, &snapshot, session.project.version, *prune);
                let log_types = super::plan::log_types(&session.content);
                let plan = super::plan::select(&session.desired, &log_types, select, plan, None)?;
                let saved = match save {
                    Some(connect) => Some(Box::new(crate::planfile::target_plan(
                        &session.project,
                        connect,
                        &session.desired,
                        &snapshot,
                        &plan,
                        *prune,
                    )?)),
                    None => None,
                };
                let same =
                    crate::plan::same_title::find(&session.desired, &snapshot.titles.objects);
                Ok(Done::Planned(plan, same, saved))
            }
            Work::Apply(args) => {
                let opened = crate::planfile::Opened::from(session);
                Ok(Done::Applied(apply_session(&opened, args, printer).await?))
            }
        }
    }
}

/// `siemctl plan` over several targets.
pub(crate) fn plan(global: &GlobalArgs, args: &PlanArgs, printer: Printer) -> Result<ExitStatus> {
    let (projects, rendered, index) = match prepare(global, &args.vars, printer)? {
        Ok(prepared) => prepared,
        Err(status) => return Ok(status),
    };
    if let Some(out) = &args.out {
        if !args.select.only.is_empty() || !args.select.exclude.is_empty() {
            return crate::error_code::refuse(Code::Config, format!(
                "--out `{}` cannot be given with --only/--exclude: `apply FILE` checks the whole plan made again against the saved one\nhint: save the whole plan, or apply the selection directly (`siemctl apply --only ...`)",
                out.display()
            ));
        }
    }
    let quiet = quiet_printer();
    let mut work = Work::plan(args.prune, &args.select);
    if let (Some(_), Work::Plan { save, .. }) = (&args.out, &mut work) {
        *save = Some(Arc::new(args.connect.clone()));
    }
    let results = block_on(run_all(
        projects,
        &rendered,
        &index,
        &args.connect,
        quiet,
        work,
    ))?;
    report(global, printer, &results, version_of(&rendered));
    if let Some(out) = &args.out {
        let failed: Vec<&str> = results
            .iter()
            .filter(|r| r.failed())
            .map(|r| r.header.name.as_str())
            .collect();
        if !failed.is_empty() {
            printer.warn(&format!(
                "the plan file `{}` was not written: no plan for {}",
                out.display(),
                failed.join(", ")
            ));
            return Ok(ExitStatus::Failure);
        }
        let (status, count) = (exit_status(&results, args.detailed_exitcode), results.len());
        let saved = results
            .into_iter()
            .filter_map(|r| match r.done {
                Ok(Done::Planned(_, _, Some(saved))) => Some(*saved),
                _ => None,
            })
            .collect();
        crate::planfile::save_all(out, saved)?;
        printer.status(&format!(
            "Saved the plans of {} targets to `{}`: `siemctl apply {} --target NAME` applies exactly one of them.",
            count,
            out.display(),
            out.display()
        ));
        return Ok(status);
    }
    Ok(exit_status(&results, args.detailed_exitcode))
}

/// `siemctl apply` over several targets. Without --yes (or CI=true) every target is planned
/// first, the plans shown, and the question asked once.
pub(crate) fn apply(global: &GlobalArgs, args: &ApplyArgs, printer: Printer) -> Result<ExitStatus> {
    let quiet = quiet_printer();
    let (projects, rendered, index) = match prepare(global, &args.vars, printer)? {
        Ok(prepared) => prepared,
        Err(status) => return Ok(status),
    };
    let mut asked = false;
    let projects = if !super::apply::confirmed_beforehand(args) {
        let planned = block_on(run_all(
            projects,
            &rendered,
            &index,
            &args.connect,
            quiet,
            Work::plan(args.prune, &args.select),
        ))?;
        if !printer.is_json() {
            for result in &planned {
                printer.data(&result.header.text());
                match &result.done {
                    Ok(Done::Planned(plan, ..)) => printer.data(&show::text(plan)),
                    Ok(Done::Applied(_)) => {}
                    Err(err) => printer.data(&format!("failed: {err:#}\n")),
                }
                printer.data("\n");
            }
        }
        if !planned.iter().any(TargetResult::has_changes) {
            report(global, printer, &planned, version_of(&rendered));
            return Ok(exit_status(&planned, false));
        }
        // Before the question, so that "two `log-*` patterns" is read before saying yes; the
        // report after the apply does not repeat them.
        for result in &planned {
            if let Ok(Done::Planned(_, same, _)) = &result.done {
                for s in same {
                    printer.warn(&format!("{}: {}", result.header.name, s.message()));
                }
            }
        }
        asked = true;
        confirm(args)?;
        // The same targets again (the plans moved them), with the content already rendered.
        Project::resolve_all(global, &args.vars)?
    } else {
        projects
    };
    let mut confirmed = args.clone();
    confirmed.yes = true;

    let mut results = block_on(run_all(
        projects,
        &rendered,
        &index,
        &args.connect,
        quiet,
        Work::Apply(Arc::new(confirmed)),
    ))?;
    for result in &mut results {
        if let Ok(Done::Applied(applied)) = &mut result.done {
            applied.same_title_warned = asked;
        }
    }
    report(global, printer, &results, version_of(&rendered));
    Ok(exit_status(&results, false))
}

fn exit_status(results: &[TargetResult], detailed: bool) -> ExitStatus {
    if results.iter().any(TargetResult::failed) {
        ExitStatus::Failure
    } else if detailed && results.iter().any(TargetResult::has_changes) {
        ExitStatus::ChangesPending
    } else {
        ExitStatus::Success
    }
}

/// One section per target, then the summary table; or one JSON document.
fn version_of(rendered: &[Rendered]) -> Option<String> {
    rendered.first().map(|r| r.content.version.to_string())
}

/// `siemctl apply FILE` of a plan file holding several targets' plans: each applied exactly as
/// `apply FILE --target NAME` does (refused alone when stale, naming its target and objects),
/// then reported as a run over several targets. Asked once, after the plans are shown.
pub(crate) fn apply_file(
    global: &GlobalArgs,
    command: &crate::cli::ApplyCommandArgs,
    file: &crate::plan::saved::PlanFile,
    printer: Printer,
) -> Result<ExitStatus> {
    let names: Vec<String> = file.plans.iter().filter_map(|p| p.target.clone()).collect();
    if names.len() != file.plans.len() {
        anyhow::bail!("a plan file of several plans names each plan's target; this one does not");
    }
    if !super::apply::confirmed_beforehand(&command.apply) {
        if !printer.is_json() {
            printer.data(&crate::output::saved_plan::text(file)?);
        }
        confirm(&command.apply)?;
    }
    let quiet = quiet_printer();
    let results = block_on(async {
        let mut results = Vec::new();
        for name in names {
            let mut apply = command.apply.clone();
            apply.yes = true;
            apply.vars.target = vec![name.clone()];
            let one = crate::cli::ApplyCommandArgs {
                plan_file: command.plan_file.clone(),
                apply,
            };
            let header = match Project::resolve(global, &one.apply.vars) {
                Ok(project) => Header::of(&project, &one.apply.connect),
                Err(_) => Header {
                    name: name.clone(),
                    opensearch_url: None,
                    dashboards_url: None,
                },
            };
            let done = async {
                match crate::planfile::open(global, &one, quiet).await? {
                    Ok(opened) => apply_session(&opened, &one.apply, quiet).await,
                    Err(_) => anyhow::bail!("the plan file cannot be opened for `{name}`"),
                }
            }
            .await
            .map(Done::Applied);
            results.push(TargetResult { header, done });
        }
        results
    })?;
    let version = file.plans.first().map(|p| p.content_version.clone());
    report(global, printer, &results, version);
    Ok(exit_status(&results, false))
}

fn report(
    global: &GlobalArgs,
    printer: Printer,
    results: &[TargetResult],
    version: Option<String>,
) {
    let root = &global.content;
    if printer.is_json() {
        let commit = git_commit(root);
        let clean = working_tree_clean(root);
        let targets: Vec<Value> = results
            .iter()
            .map(|r| {
                let (data, error) = match &r.done {
                    Ok(Done::Planned(plan, same, _)) => {
                        let mut data = show::json(plan);
                        data["same_title"] = super::plan::same_title_json(same);
                        (data, Value::Null)
                    }
                    Ok(Done::Applied(applied)) => (applied.json(), applied.error()),
                    Err(err) => (Value::Null, error_of(err)),
                };
                json!({
                    "target": r.header.name,
                    "opensearch_url": r.header.opensearch_url,
                    "dashboards_url": r.header.dashboards_url,
                    "content_version": version,
                    "git_commit": commit,
                    "working_tree_clean": clean,
                    "failed": r.failed(),
                    "data": data,
                    "error": error,
                })
            })
            .collect();
        let failed: Vec<&str> = results
            .iter()
            .filter(|r| r.failed())
            .map(|r| r.header.name.as_str())
            .collect();
        let error = if failed.is_empty() {
            Value::Null
        } else {
            error_json(
                Code::TargetsFailed,
                format!(
                    "{} of {} targets failed: {}",
                    failed.len(),
                    results.len(),
                    failed.join(", ")
                ),
                Vec::new(),
            )
        };
        printer.json(json!({ "targets": targets }), error);
        return;
    }
    for result in results {
        printer.data(&result.header.text());
        match &result.done {
            Ok(Done::Planned(plan, same, _)) => {
                printer.data(&show::text(plan));
                for reason in &plan.downgrade {
                    printer.warn(&format!(
                        "{}: apply would downgrade: {reason}",
                        result.header.name
                    ));
                }
                for s in same {
                    printer.warn(&format!("{}: {}", result.header.name, s.message()));
                }
            }
            Ok(Done::Applied(applied)) => {
                if !applied.no_changes {
                    printer.data(&show::text(&applied.plan));
                }
                if !applied.same_title_warned {
                    for s in &applied.same_title {
                        printer.warn(&format!("{}: {}", result.header.name, s.message()));
                    }
                }
                report_text(printer, applied);
            }
            Err(err) => {
                printer.data(&format!("failed: {err:#}\n"));
            }
        }
        printer.data("\n");
    }
    printer.data(&summary_table(results));
}

/// target, created, updated, deleted, drifted, failed: one row per target.
fn summary_table(results: &[TargetResult]) -> String {
    let width = results
        .iter()
        .map(|r| r.header.name.len())
        .max()
        .unwrap_or(0)
        .max("target".len());
    let h = style::heading();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{h}{:<width$}  {:>7}  {:>7}  {:>7}  {:>7}  {:>6}{h:#}",
        "target", "created", "updated", "deleted", "drifted", "failed"
    );
    for r in results {
        match r.counts() {
            Some([c, u, d, dr, f]) => {
                let failed = if r.failed() && f == 0 {
                    "yes".to_string()
                } else {
                    f.to_string()
                };
                let _ = writeln!(
                    out,
                    "{:<width$}  {c:>7}  {u:>7}  {d:>7}  {dr:>7}  {failed:>6}",
                    r.header.name
                );
            }
            None => {
                let e = style::error();
                let _ = writeln!(
                    out,
                    "{:<width$}  {:>7}  {:>7}  {:>7}  {:>7}  {e}{:>6}{e:#}",
                    r.header.name, "-", "-", "-", "-", "target"
                );
            }
        }
    }
    let failed = results.iter().filter(|r| r.failed()).count();
    let _ = writeln!(out, "{} targets, {} failed.", results.len(), failed);
    out
}

/// Whether the content's git working tree has no uncommitted change (`None` outside git).
fn working_tree_clean(root: &std::path::Path) -> Option<bool> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "status",
            "--porcelain",
            "--untracked-files=normal",
            "--",
            ".",
        ])
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout.is_empty())
}

/// `siemctl validate` over several targets: once per distinct set of variables.
pub(crate) fn validate(
    global: &GlobalArgs,
    vars: &crate::cli::VarArgs,
    printer: Printer,
) -> Result<ExitStatus> {
    let projects = Project::resolve_all(global, vars)?;
    let (rendered, _) = render_once(&projects).context("rendering the content per target")?;
    let mut problems = Vec::new();
    for r in &rendered {
        for p in &r.problems {
            let mut p = p.clone();
            p.message = format!("{} (targets: {})", p.message, r.targets.join(", "));
            problems.push(p);
        }
    }
    if !problems.is_empty() {
        return Ok(report_problems(printer, "validation", &problems));
    }
    if printer.is_json() {
        let sets: Vec<Value> = rendered
            .iter()
            .map(|r| json!({"targets": r.targets, "objects": r.content.resources.len()}))
            .collect();
        printer.json(
            json!({"content_version": rendered.first().map(|r| r.content.version.to_string()), "targets": projects.iter().filter_map(|p| p.target_name.clone()).collect::<Vec<_>>(), "variable_sets": sets, "problems": []}),
            Value::Null,
        );
    } else {
        let s = style::success();
        let mut out = String::new();
        for r in &rendered {
            let _ = writeln!(
                out,
                "{s}ok{s:#}: {} objects validated for {} (content {})",
                r.content.resources.len(),
                r.targets.join(", "),
                r.content.version
            );
        }
        printer.data(&out);
    }
    Ok(ExitStatus::Success)
}
