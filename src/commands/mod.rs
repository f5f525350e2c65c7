//! One file per verb. Each only wires the modules together: settings → content → output.

pub(crate) mod apply;
pub(crate) mod fields;
pub(crate) mod fmt;
pub(crate) mod import;
pub(crate) mod new;
pub(crate) mod plan;
pub(crate) mod pull;
pub(crate) mod render;
pub(crate) mod show;
pub(crate) mod targets;
pub(crate) mod test;
pub(crate) mod unlock;
pub(crate) mod validate;
pub(crate) mod workshop;

use anyhow::Result;
use serde_json::json;

use std::sync::Arc;
use std::time::Duration;

use crate::cli::{ConnectArgs, GlobalArgs, VarArgs};
use crate::cluster::http::RetryPolicy;
use crate::cluster::{Cluster, Connection};
use crate::content::problem::Problem;
use crate::content::validate as checks;
use crate::content::{self, Content};
use crate::error_code::Code;
use crate::exit::ExitStatus;
use crate::output::printer::{error_json, problem_summary, problems_json, Printer};
use crate::plan::plan::{desired_taken_from, Desired};
use crate::settings::{self, Project};

/// Reads the configuration, renders the content and validates it: every problem, sorted.
pub(crate) fn load_checked(
    global: &GlobalArgs,
    vars: &VarArgs,
) -> Result<(Project, Content, Vec<Problem>)> {
    let project = Project::resolve(global, vars)?;
    let (content, mut problems) =
        content::load(&project.root, project.version, project.vars.clone())?;
    problems.extend(checks::validate(&content));
    checks::sort(&mut problems);
    Ok((project, content, problems))
}

/// Reads the configuration and renders the content.
pub(crate) fn load(global: &GlobalArgs, vars: &VarArgs) -> Result<(Content, Vec<Problem>)> {
    let project = Project::resolve(global, vars)?;
    tracing::debug!(root = %project.root.display(), version = %project.version, "loading content");
    Ok(content::load(&project.root, project.version, project.vars)?)
}

/// Reports problems found in the content and fails, or succeeds when there are none.
pub(crate) fn report_problems(printer: Printer, verb: &str, problems: &[Problem]) -> ExitStatus {
    if problems.is_empty() {
        return ExitStatus::Success;
    }
    let message = format!("{verb} failed: {}", problem_summary(problems));
    if printer.is_json() {
        printer.json(
            json!({ "problems": problems_json(problems) }),
            error_json(Code::Validation, message, Vec::new()),
        );
    } else {
        printer.problems(problems);
        printer.error(&anyhow::anyhow!(message));
    }
    ExitStatus::Failure
}

/// Problems that do not fail the command, as warnings on stderr: location, message, hint.
pub(crate) fn warn_problems(printer: Printer, problems: &[Problem]) {
    for p in problems {
        match &p.hint {
            Some(hint) => printer.warn(&format!("{}: {}\n  hint: {hint}", p.location(), p.message)),
            None => printer.warn(&format!("{}: {}", p.location(), p.message)),
        }
    }
}

/// What plan and apply work from: valid content, and a connected cluster.
pub(crate) struct Session {
    pub(crate) project: Project,
    /// Shared by the targets of one set of variables (`commands::targets`).
    pub(crate) content: Arc<Content>,
    pub(crate) desired: Arc<Vec<Desired>>,
    pub(crate) cluster: Cluster,
}

/// Loads and validates the content (nothing is sent anywhere unless it is all valid), then
/// connects. `Err(status)` when the content had problems, already reported. Plan and apply read
/// of the content only the objects' kinds, ids and log types once it is valid: the bodies move
/// into the desired objects instead of being copied, and the rendered texts are dropped (see
/// [`desired_taken_from`]).
pub(crate) async fn open_plan_session(
    global: &GlobalArgs,
    vars: &VarArgs,
    connect: &ConnectArgs,
    printer: Printer,
) -> Result<Result<Session, ExitStatus>> {
    let (project, mut content, problems) = load_checked(global, vars)?;
    if !problems.is_empty() {
        return Ok(Err(report_problems(printer, "validation", &problems)));
    }
    let cluster = connect_target(&project, connect, printer).await?;
    let desired = desired_taken_from(&mut content);
    Ok(Ok(Session {
        project,
        desired: Arc::new(desired),
        content: Arc::new(content),
        cluster,
    }))
}

/// Connects to a project's target, flags and environment over siemctl.toml.
pub(crate) async fn connect_target(
    project: &Project,
    connect: &ConnectArgs,
    printer: Printer,
) -> Result<Cluster> {
    connect_target_with(
        project,
        connect,
        printer,
        &crate::cluster::Transports::default(),
    )
    .await
}

/// [`connect_target`] over the transports of a run over several targets.
pub(crate) async fn connect_target_with(
    project: &Project,
    connect: &ConnectArgs,
    printer: Printer,
    transports: &crate::cluster::Transports,
) -> Result<Cluster> {
    let connection = Connection::resolve(&project.target, &settings::overrides(connect))?;
    if connection.insecure {
        printer.warn("TLS certificate verification is off (--insecure): anyone on the network path can read and change this traffic, credentials included");
    }
    let retry = RetryPolicy {
        budget: Duration::from_secs(connect.retry_budget),
        ..RetryPolicy::default()
    };
    Ok(Cluster::connect_with(
        &connection,
        Duration::from_secs(connect.timeout),
        retry,
        transports,
    )
    .await?)
}

/// Runs a command's future on a runtime of its own.
pub(crate) fn block_on<T>(future: impl std::future::Future<Output = T>) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    Ok(runtime.block_on(future))
}
