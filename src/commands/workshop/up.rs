//! `siemctl workshop up`: apply the content exactly as `siemctl apply` does, then load the
//! generated incident (see [`crate::workshop::loader`]) and say where to start.

use std::io::IsTerminal as _;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::apply::live;
use crate::apply::lock::{identity, now_ms};
use crate::cli::{ConnectArgs, GlobalArgs, VarArgs, WorkshopUpArgs};
use crate::cluster::http::RetryPolicy;
use crate::cluster::opensearch::{WriteIf, Written};
use crate::cluster::{Cluster, Connection};
use crate::commands::apply::{self, Applied};
use crate::commands::block_on;
use crate::exit::ExitStatus;
use crate::output::printer::Printer;
use crate::settings::{self, Project};
use crate::state::STATE_INDEX;
use crate::workshop::loader::{self, LoadOptions, Report};
use crate::workshop::{self as generator, Options};

/// The id of the workshop's record in siemctl's state index.
pub(crate) const RECORD_DOC: &str = "workshop";

/// What `workshop up` loaded, so that `workshop down` deletes exactly the indices siemctl
/// created (never one that existed before).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Record {
    /// Always `workshop` (the state index maps `kind`).
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) seed: u64,
    #[serde(default)]
    pub(crate) events: usize,
    #[serde(default)]
    pub(crate) at: String,
    /// The indices of the last load.
    #[serde(default)]
    pub(crate) indices: Vec<String>,
    /// Every index a `workshop up` created and no `workshop down` deleted yet.
    #[serde(default)]
    pub(crate) created: Vec<String>,
    #[serde(default)]
    pub(crate) loaded_at_ms: u64,
    #[serde(default)]
    pub(crate) loaded_by: String,
}

/// The record as read, with its seq_no and primary term.
pub(crate) async fn read_record(cluster: &Cluster) -> Result<Option<(Record, (i64, i64))>> {
    let Some(doc) = cluster
        .get_doc(STATE_INDEX, RECORD_DOC)
        .await
        .context("cannot read the workshop record in siemctl's state index")?
    else {
        return Ok(None);
    };
    let record: Record = serde_json::from_value(doc.source).with_context(|| {
        format!("siemctl's workshop record `{STATE_INDEX}/{RECORD_DOC}` is not readable")
    })?;
    Ok(Some((record, (doc.seq_no, doc.primary_term))))
}

/// Writes the record, conditional on what was read: a concurrent writer fails the run.
pub(crate) async fn write_record(
    cluster: &Cluster,
    record: &Record,
    seq: Option<(i64, i64)>,
) -> Result<()> {
    cluster
        .ensure_index(STATE_INDEX)
        .await
        .context("cannot create siemctl's state index")?;
    let condition = match seq {
        None => WriteIf::Absent,
        Some((seq_no, primary_term)) => WriteIf::Unchanged {
            seq_no,
            primary_term,
        },
    };
    let source = serde_json::to_value(record)?;
    match cluster
        .put_doc(STATE_INDEX, RECORD_DOC, &source, condition)
        .await
        .context("cannot write the workshop record")?
    {
        Written::Done { .. } => Ok(()),
        // A retried write that went through reads back as ours.
        Written::Conflict => match read_record(cluster).await? {
            Some((current, _)) if &current == record => Ok(()),
            _ => anyhow::bail!("siemctl's workshop record was changed by another run meanwhile; run the command again"),
        },
    }
}

/// Connects to the target without loading the content (the load and `down` need only the
/// connection), and refuses servers siemctl does not support.
pub(crate) async fn connect(
    global: &GlobalArgs,
    vars: &VarArgs,
    connect: &ConnectArgs,
    printer: Printer,
) -> Result<(Project, Cluster)> {
    let project = Project::resolve(global, vars)?;
    let connection = Connection::resolve(&project.target, &settings::overrides(connect))?;
    if connection.insecure {
        printer.warn("TLS certificate verification is off (--insecure): anyone on the network path can read and change this traffic, credentials included");
    }
    let retry = RetryPolicy {
        budget: Duration::from_secs(connect.retry_budget),
        ..RetryPolicy::default()
    };
    let cluster =
        Cluster::connect(&connection, Duration::from_secs(connect.timeout), retry).await?;
    live::detect(&cluster).await?;
    Ok((project, cluster))
}

/// `workshop up` shares apply's flags, but a workshop is the whole content: the flags that apply
/// part of it (or skip drifted objects differently) are refused, not ignored.
fn refuse_partial_apply(apply: &crate::cli::ApplyArgs) -> Result<()> {
    let given: Vec<&str> = [
        ("--only", !apply.select.only.is_empty()),
        ("--exclude", !apply.select.exclude.is_empty()),
        ("--strict-drift", apply.strict_drift),
    ]
    .into_iter()
    .filter_map(|(flag, set)| set.then_some(flag))
    .collect();
    if given.is_empty() {
        return Ok(());
    }
    crate::error_code::refuse(
        crate::error_code::Code::Config,
        format!(
            "`workshop up` does not take {}: it sets up the whole workshop (all the content, then its events)\nhint: apply a selection with `siemctl apply --only ...` (or --exclude, --strict-drift), then `siemctl workshop up`",
            given.join(", ")
        ),
    )
}

pub(crate) fn run(
    global: &GlobalArgs,
    args: &WorkshopUpArgs,
    printer: Printer,
) -> Result<ExitStatus> {
    // Checked before anything is applied.
    refuse_partial_apply(&args.apply)?;
    let options = super::generate::options(&args.generator)?;
    // 1. The content, exactly as `siemctl apply` (the question, --yes, CI=true, the lock); in
    // JSON mode its result goes into the workshop's one document.
    let applied = match apply::apply(global, &args.apply, printer)? {
        Ok(applied) => applied,
        Err(status) => return Ok(status),
    };
    if !printer.is_json() {
        apply::report_text(printer, &applied);
    }
    if !applied.is_complete() {
        if printer.is_json() {
            printer.json(
                json!({ "apply": applied.json(), "load": null }),
                applied.error(),
            );
        }
        return Ok(applied.status());
    }
    // 2. The incident.
    block_on(async {
        let (_, cluster) = connect(global, &args.apply.vars, &args.apply.connect, printer).await?;
        let indices = generator::indices(&options);
        let created = loader::create_indices(&cluster, &indices).await?;
        // Recorded before the load: `down` deletes what was created even if the load stops.
        let (mut record, seq) = match read_record(&cluster).await? {
            Some((record, seq)) => (record, Some(seq)),
            None => (Record::default(), None),
        };
        record.kind = "workshop".into();
        record.seed = options.seed;
        record.events = options.events;
        record.at = options.at.to_string();
        record.indices.clone_from(&indices);
        for index in &created {
            if !record.created.contains(index) {
                record.created.push(index.clone());
            }
        }
        record.loaded_at_ms = now_ms();
        record.loaded_by = identity();
        write_record(&cluster, &record, seq).await?;
        printer.status(&format!(
            "Loading {} events (seed {}, at {}) into {} indices ({} created)...",
            options.events,
            options.seed,
            options.at,
            indices.len(),
            created.len()
        ));
        let progress = progress_bar(printer, options.events as u64);
        let load_options = LoadOptions {
            batch_bytes: args.batch_size,
            batch_events: usize::try_from(args.batch_events).unwrap_or(usize::MAX),
            concurrency: usize::from(args.concurrency),
            retry: RetryPolicy {
                budget: Duration::from_secs(args.apply.connect.retry_budget),
                ..RetryPolicy::default()
            },
        };
        let cluster = Arc::new(cluster);
        let report = loader::load(
            Arc::clone(&cluster),
            &indices,
            generator::generate(&options),
            load_options,
            &progress,
        )
        .await?;
        show(
            printer,
            &applied,
            &report,
            &created,
            &record,
            cluster.dashboards_url(),
            &options,
        );
        Ok(if report.is_complete() {
            ExitStatus::Success
        } else {
            ExitStatus::Failure
        })
    })?
}

fn progress_bar(printer: Printer, total: u64) -> ProgressBar {
    if printer.is_json() || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} loading [{bar:30}] {pos}/{len} events ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Where participants start: Discover on `log-*` over the generated days (the noise's span,
/// which holds the incident's).
fn start(dashboards: Option<&str>, options: &Options) -> Value {
    let to = options.at;
    let from = to
        .checked_sub(jiff::SignedDuration::from_millis(
            generator::NOISE_BEFORE_AT_MS,
        ))
        .unwrap_or(to);
    let (incident_from, incident_to) = generator::incident_range(options.at);
    let ms = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| t.to_string())
    };
    json!({
        "dashboards": dashboards.map(|d| format!("{d}/app/discover")),
        "index_pattern": "log-*",
        "from": from.to_string(),
        "to": to.to_string(),
        "incident_from": ms(incident_from),
        "incident_to": ms(incident_to),
    })
}

fn show(
    printer: Printer,
    applied: &Applied,
    report: &Report,
    created: &[String],
    record: &Record,
    dashboards: Option<&str>,
    options: &Options,
) {
    let start = start(dashboards, options);
    let complete = report.is_complete();
    if printer.is_json() {
        let error = if complete {
            Value::Null
        } else {
            crate::output::printer::error_json(
                crate::error_code::Code::PartialFailure,
                failure_summary(report),
                Vec::new(),
            )
        };
        printer.json(
            json!({
                "apply": applied.json(),
                "load": report.json(),
                "created_indices": created,
                "workshop_indices": record.created,
                "start": start,
            }),
            error,
        );
        return;
    }
    let mut text = format!(
        "Loaded {} events into {} indices in {:.1} s: {} `_bulk` requests ({} MiB), up to {} in flight{}.\n",
        report.events,
        report.indices.len(),
        report.elapsed.as_secs_f64(),
        report.requests,
        report.bytes / (1024 * 1024),
        report.peak_in_flight,
        if report.item_retries > 0 {
            format!(", {} items sent again after a 429", report.item_retries)
        } else {
            String::new()
        }
    );
    let width = report.indices.keys().map(String::len).max().unwrap_or(0);
    for (index, t) in &report.indices {
        let verdict = match (t.count_matches(), t.pipeline_errors) {
            (true, Some(0)) => "ok".to_string(),
            (false, _) => format!(
                "MISMATCH: {} expected ({} before + {} new)",
                t.expected(),
                t.before,
                t.created
            ),
            (true, errors) => format!("{} documents with a pipeline error", errors.unwrap_or(0)),
        };
        text.push_str(&format!(
            "  {index:<width$}  {} sent: {} new, {} already there, {} dropped, {} failed; {} documents, {verdict}\n",
            t.sent,
            t.created,
            t.updated,
            t.dropped,
            t.failed,
            t.count.map_or_else(|| "no index:".to_string(), |c| c.to_string()),
        ));
    }
    if !created.is_empty() {
        text.push_str(&format!(
            "Created {}: `siemctl workshop down` deletes them.\n",
            created.join(", ")
        ));
    }
    text.push_str("\nWhere to start:\n");
    if let Some(url) = start["dashboards"].as_str() {
        text.push_str(&format!("  Dashboards:     {url}\n"));
    }
    text.push_str(&format!(
        "  Index pattern:  log-* (every log type; switch log types with a filter on @log_type)\n  Time range:     {} to {} (the incident: {} to {}); in Dashboards, \"Last 7 days\" shows it all\n",
        start["from"].as_str().unwrap_or_default(),
        start["to"].as_str().unwrap_or_default(),
        start["incident_from"].as_str().unwrap_or_default(),
        start["incident_to"].as_str().unwrap_or_default(),
    ));
    printer.data(&text);
    if !report.samples.is_empty() {
        for failure in &report.samples {
            printer.error(&anyhow::anyhow!(
                "{} event refused by `{}` (HTTP {}): {}\n  raw event: {}",
                failure.log_type,
                failure.index,
                failure.status,
                failure.error,
                failure.raw
            ));
        }
    }
    if !complete {
        printer.error(&anyhow::anyhow!(failure_summary(report)));
    }
}

fn failure_summary(report: &Report) -> String {
    let mut parts = Vec::new();
    if report.failed() > 0 {
        let by_type: Vec<String> = report
            .failed_by_log_type
            .iter()
            .map(|(t, n)| format!("{n} {t}"))
            .collect();
        parts.push(format!(
            "{} events were refused ({})",
            report.failed(),
            by_type.join(", ")
        ));
    }
    let mismatched: Vec<&str> = report
        .indices
        .iter()
        .filter(|(_, t)| !t.count_matches())
        .map(|(i, _)| i.as_str())
        .collect();
    if !mismatched.is_empty() {
        parts.push(format!(
            "the document count does not match in {}",
            mismatched.join(", ")
        ));
    }
    let errors: Vec<String> = report
        .indices
        .iter()
        .filter(|(_, t)| t.pipeline_errors.unwrap_or(0) > 0)
        .map(|(i, t)| format!("{} in {i}", t.pipeline_errors.unwrap_or(0)))
        .collect();
    if !errors.is_empty() {
        parts.push(format!(
            "documents tagged pipeline_error: {}",
            errors.join(", ")
        ));
    }
    format!("the load is incomplete: {}", parts.join("; "))
}
