//! Plan files: `siemctl plan --out FILE` writes one, `siemctl apply FILE` opens one to apply
//! exactly it, `siemctl show FILE` reads one. The layout and the checks are
//! [`crate::plan::saved`]'s; this module reads and writes the file and connects to the target
//! the plan was made for.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};

use crate::apply::live::Snapshot;
use crate::cli::{ApplyCommandArgs, ConnectArgs, GlobalArgs, VarArgs};
use crate::cluster::http::RetryPolicy;
use crate::cluster::{Cluster, Connection};
use crate::commands::{open_plan_session, Session};
use crate::content::kind::Kind;
use crate::error_code::{refuse, Code};
use crate::exit::ExitStatus;
use crate::output::printer::Printer;
use crate::output::redact::redact;
use crate::plan::plan::{Desired, Live, Plan};
use crate::plan::saved::{Endpoints, Made, PlanFile, Servers, TargetPlan};
use crate::settings::{self, Project};

/// Reads a plan file and refuses one that is not a plan or was made by another siemctl.
pub(crate) fn read(path: &Path) -> Result<PlanFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the plan file `{}`", path.display()))?;
    let file: PlanFile = serde_json::from_str(&text).with_context(|| {
        format!(
            "`{}` is not a siemctl plan file (the JSON that `siemctl plan --out FILE` writes)",
            path.display()
        )
    })?;
    file.check_version()
        .with_context(|| format!("cannot use the plan file `{}`", path.display()))?;
    Ok(file)
}

/// Writes a plan file, refusing if anything in it is a secret siemctl knows (a plan file is an
/// artifact others read: a CI job uploads it).
pub(crate) fn write(path: &Path, file: &PlanFile) -> Result<()> {
    let text = serde_json::to_string_pretty(file)? + "\n";
    if matches!(redact(&text), std::borrow::Cow::Owned(_)) {
        bail!(
            "not writing the plan file `{}`: the rendered content holds a secret siemctl knows (the basic-auth password or an AWS secret of the environment)\nhint: secrets do not belong in content; take the value out of the content or the variables",
            path.display()
        );
    }
    std::fs::write(path, text)
        .with_context(|| format!("cannot write the plan file `{}`", path.display()))
}

/// Where a connection points, as a plan file records it.
fn endpoints(connection: &Connection) -> Endpoints {
    Endpoints {
        opensearch_url: connection.opensearch_url.clone(),
        dashboards_url: connection.dashboards_url.clone(),
        tenant: connection.tenant.clone(),
    }
}

/// `plan --out FILE`: the plan of one target, saved.
#[allow(clippy::too_many_arguments)]
pub(crate) fn save(
    path: &Path,
    project: &Project,
    connect: &ConnectArgs,
    desired: &[Desired],
    snapshot: &Snapshot,
    plan: &Plan,
    prune: bool,
) -> Result<()> {
    let target = target_plan(project, connect, desired, snapshot, plan, prune)?;
    save_all(path, vec![target])
}

/// The saved form of one target's plan, for a plan file.
pub(crate) fn target_plan(
    project: &Project,
    connect: &ConnectArgs,
    desired: &[Desired],
    snapshot: &Snapshot,
    plan: &Plan,
    prune: bool,
) -> Result<TargetPlan> {
    let connection = Connection::resolve(&project.target, &settings::overrides(connect))?;
    Ok(TargetPlan::new(
        plan,
        Made {
            target: project.target_name.as_deref(),
            endpoints: endpoints(&connection),
            servers: Servers {
                opensearch: snapshot.server.number.clone(),
                dashboards: snapshot.dashboards_version.clone(),
            },
            content_version: project.version.to_string(),
            git_commit: crate::commands::apply::git_commit(&project.root),
            prune,
            desired,
            live: &snapshot.live,
        },
    ))
}

/// `plan --out FILE`: the plans of one target or several, in one file.
pub(crate) fn save_all(path: &Path, targets: Vec<TargetPlan>) -> Result<()> {
    let now = jiff::Timestamp::now();
    let created_at = jiff::Timestamp::from_second(now.as_second())
        .map(|t| t.to_string())
        .unwrap_or_else(|_| now.to_string());
    write(path, &PlanFile::new(created_at, targets))
}

/// What apply works from: the content (from the content directory, or from a plan file) and a
/// connected cluster; with a plan file, the saved plan the cluster is checked against.
pub(crate) struct Opened {
    pub(crate) project: Project,
    pub(crate) desired: std::sync::Arc<Vec<Desired>>,
    pub(crate) cluster: Cluster,
    pub(crate) saved: Option<TargetPlan>,
    /// The log type of each content object (`--only log-type:NAME`); empty for a plan file,
    /// which takes no selection.
    pub(crate) log_types: crate::commands::plan::LogTypes,
}

impl From<Session> for Opened {
    /// The content of the content directory, with no saved plan.
    fn from(session: Session) -> Opened {
        Opened {
            log_types: crate::commands::plan::log_types(&session.content),
            project: session.project,
            desired: session.desired,
            cluster: session.cluster,
            saved: None,
        }
    }
}

impl Opened {
    /// `--prune` of the apply, or of the saved plan.
    pub(crate) fn prune(&self, flag: bool) -> bool {
        self.saved.as_ref().map_or(flag, |s| s.prune)
    }

    /// With a saved plan, refuses unless the cluster and the plan made again are as saved.
    pub(crate) fn check(&self, live: &BTreeMap<(Kind, String), Live>, plan: &Plan) -> Result<()> {
        if let Some(saved) = &self.saved {
            saved.check(live, plan).with_context(|| {
                format!("refusing to apply the saved plan for {}", saved.name())
            })?;
        }
        Ok(())
    }
}

/// Opens what `siemctl apply [PLANFILE]` works from. `Err(status)`: the content had problems,
/// already reported.
pub(crate) async fn open(
    global: &GlobalArgs,
    args: &ApplyCommandArgs,
    printer: Printer,
) -> Result<Result<Opened, ExitStatus>> {
    let apply = &args.apply;
    let Some(path) = &args.plan_file else {
        return Ok(
            match open_plan_session(global, &apply.vars, &apply.connect, printer).await? {
                Ok(session) => Ok(Opened::from(session)),
                Err(status) => Err(status),
            },
        );
    };
    let file = read(path)?;
    if !apply.select.only.is_empty() || !apply.select.exclude.is_empty() {
        refuse(Code::Config, "--only/--exclude cannot be given with a plan file: it applies exactly the plan it holds\nhint: apply the selection from the content (`siemctl apply --only ...`)")?;
    }
    if apply.vars.all_targets || apply.vars.target.len() > 1 {
        bail!("a plan file is applied to one target at a time: give --target NAME once (the file `{}` names its targets)", path.display());
    }
    let saved = pick(&file, apply.vars.target.first().map(String::as_str), path)?;
    if !apply.vars.vars.is_empty() {
        refuse(Code::Config, "--var cannot be given with a plan file: the variables were set when the plan was made\nhint: make a new plan with them (`siemctl plan --var ... --out FILE`)")?;
    }
    if apply.prune && !saved.prune {
        refuse(Code::PlanMismatch, format!("the plan `{}` was made without --prune: it deletes nothing, and apply FILE applies only what was planned\nhint: make the plan with `siemctl plan --prune --out FILE`", path.display()))?;
    }
    let vars = VarArgs {
        target: saved.target.clone().into_iter().collect(),
        all_targets: false,
        vars: Vec::new(),
    };
    let mut project = Project::resolve(global, &vars)?;
    project.version = saved.content_version.parse().map_err(|e| {
        anyhow::anyhow!(
            "the plan file `{}` has an invalid content version: {e}",
            path.display()
        )
    })?;
    let desired = saved
        .desired()
        .with_context(|| format!("cannot use the plan file `{}`", path.display()))?;
    let connection = Connection::resolve(&project.target, &settings::overrides(&apply.connect))?;
    if endpoints(&connection) != saved.endpoints {
        let e = &saved.endpoints;
        refuse(Code::PlanMismatch, format!(
            "the plan `{}` was made for {} (Dashboards {}, tenant {}), not for {} (Dashboards {}, tenant {})\nhint: apply a plan where it was made; check --target and SIEMCTL_OPENSEARCH_URL / SIEMCTL_DASHBOARDS_URL / SIEMCTL_TENANT",
            path.display(),
            e.opensearch_url,
            e.dashboards_url.as_deref().unwrap_or("none"),
            e.tenant,
            connection.opensearch_url,
            connection.dashboards_url.as_deref().unwrap_or("none"),
            connection.tenant,
        ))?;
    }
    if connection.insecure {
        printer.warn("TLS certificate verification is off (--insecure): anyone on the network path can read and change this traffic, credentials included");
    }
    let retry = RetryPolicy {
        budget: Duration::from_secs(apply.connect.retry_budget),
        ..RetryPolicy::default()
    };
    let cluster = Cluster::connect(
        &connection,
        Duration::from_secs(apply.connect.timeout),
        retry,
    )
    .await?;
    printer.status(&format!(
        "Applying the plan `{}` made {} for {} from content {}",
        path.display(),
        file.created_at,
        saved.name(),
        saved.content_version
    ));
    Ok(Ok(Opened {
        project,
        desired: std::sync::Arc::new(desired),
        cluster,
        saved: Some(saved),
        log_types: Default::default(),
    }))
}

/// The plan of the target asked for, or the file's only plan.
fn pick(file: &PlanFile, target: Option<&str>, path: &Path) -> Result<TargetPlan> {
    let names = || {
        file.plans
            .iter()
            .map(|p| match &p.target {
                Some(t) => format!("`{t}`"),
                None => format!("`{}` (no target)", p.endpoints.opensearch_url),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let found: Vec<&TargetPlan> = match target {
        Some(target) => file
            .plans
            .iter()
            .filter(|p| p.target.as_deref() == Some(target))
            .collect(),
        None => file.plans.iter().collect(),
    };
    match (found.as_slice(), target) {
        ([one], _) => Ok((*one).clone()),
        ([], Some(target)) => bail!(
            "the plan file `{}` holds no plan for target `{target}` (it holds: {})",
            path.display(),
            names()
        ),
        ([], None) => bail!("the plan file `{}` holds no plan", path.display()),
        (_, _) => bail!(
            "the plan file `{}` holds the plans of several targets ({}): choose one with --target NAME",
            path.display(),
            names()
        ),
    }
}
