//! The command line, as clap parses it. Raw flags only: [`crate::settings`] resolves them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  success (with `plan --detailed-exitcode`: no changes)
  1  any error: invalid content, a failed request, a usage error
  2  `plan --detailed-exitcode` only: success, changes pending";

/// Keep OpenSearch and OpenSearch Dashboards security content as code.
///
/// siemctl renders the index templates, ingest pipelines, ISM policies, index patterns,
/// visualizations, dashboards and saved searches in this repository, validates them offline,
/// diffs them against a cluster (plan), applies them idempotently (apply), and brings edits
/// made in Dashboards back into the content (pull).
#[derive(Debug, Parser)]
#[command(name = "siemctl", version, after_help = EXIT_CODES, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// The content directory: where siemctl.toml, index-templates/, dashboards/ and
    /// saved-searches/ are.
    #[arg(
        short = 'C',
        long = "content",
        value_name = "DIR",
        default_value = ".",
        global = true
    )]
    pub(crate) content: PathBuf,

    /// The project configuration file [default: siemctl.toml in the content directory].
    #[arg(long, value_name = "FILE", global = true)]
    pub(crate) config: Option<PathBuf>,

    /// Output format: `text` for people, `json` for programs (one document on stdout),
    /// `markdown` for documents (`siemctl fields`).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, global = true)]
    pub(crate) output: OutputFormat,

    /// When to use colors. `auto` colors a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorMode::Auto, global = true)]
    pub(crate) color: ColorMode,

    /// Log more about what siemctl does, to stderr (repeat for more: -vv). SIEMCTL_LOG takes
    /// a tracing filter for finer control.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Text,
    Json,
    /// A Markdown document (`siemctl fields`, for docs/fields.md); other commands print text.
    Markdown,
    /// Text, and GitHub Actions workflow commands on stdout (`::error file=...,line=...::`) for
    /// the problems of `validate`, the failures of `test` and the files of `fmt --check`:
    /// annotations on the lines of a pull request. `file=` is relative to the repository root
    /// (`GITHUB_WORKSPACE`, else the folder with `.git`), also with `-C`.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorMode {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Render every object to JSON, as it would be sent.
    ///
    /// Writes one pretty, key-sorted file per object, DIR/<kind>/<id>.json, and prints how
    /// many objects each log type has. Without --out it renders and reports without writing.
    /// Stale <id>.json files in DIR/<kind>/ folders are removed, so DIR mirrors the content.
    Render(RenderArgs),
    /// Render everything and check it offline, reporting every problem found.
    ///
    /// Checks template and pipeline shapes as OpenSearch would, builds every ingest pipeline with
    /// the offline ingest engine (Painless, grok, dates, templates compiled as on a 2.19 node),
    /// references between saved objects, saved-search queries and the fields they name against
    /// the mappings, field types across log types, and mapping hygiene. Exits 1 if there is any
    /// problem.
    Validate(ValidateArgs),
    /// Run the content's test events through its pipelines and mappings, offline.
    ///
    /// Each file of raw events in index-templates/<log-type>/_test/ goes through the pipelines
    /// its target index would run (default_pipeline, then final_pipeline) with the offline
    /// ingest engine, then through the index's composed mapping, and is compared with the
    /// golden documents beside it (<file>-expected.json). A difference, a pipeline error that
    /// on_failure caught, a document the mapping rejects and a value dropped by
    /// ignore_malformed are failures. Exits 1 if any event fails.
    Test(TestArgs),
    /// Show how the cluster differs from the content, without changing anything.
    ///
    /// Reads the cluster in two round trips, with a number of requests that does not grow with
    /// the content (detection, list endpoints, state, _bulk_get), compares normalised objects,
    /// and prints per object `+ create`, `~ update` or `- delete` with a diff. Objects edited
    /// in the cluster since the last apply are marked as drift.
    Plan(PlanArgs),
    /// Make the cluster match the content: idempotent, ordered, locked, and recorded.
    ///
    /// Refuses to overwrite objects edited in the cluster since the last apply (unless
    /// --overwrite-drift), to take over objects siemctl did not create (unless --adopt), and
    /// to replace newer content with older (unless --allow-downgrade). Deletes only with
    /// --prune, and only objects siemctl created.
    ///
    /// With PLANFILE (written by `siemctl plan --out`), applies exactly the changes of that
    /// reviewed plan and nothing else, and refuses, naming them, if objects changed in the
    /// cluster since the plan was made or if another siemctl version wrote the file.
    Apply(ApplyCommandArgs),
    /// Print a plan saved by `siemctl plan --out FILE`: as text, as JSON (`--output json`), or
    /// as Markdown for a CI job summary (`--format markdown >> $GITHUB_STEP_SUMMARY`).
    Show(ShowArgs),
    /// Bring saved objects edited in Dashboards back into the content files.
    ///
    /// Reads each named object (or, with --drifted, every one edited since the last apply) and
    /// writes it where it lives in the content: JSON saved objects in the authoring form
    /// (JSON-string attributes as JSON), saved searches back to YAML. Review the result with
    /// `git diff`: values that came from template variables are written as they are.
    Pull(PullArgs),
    /// Remove the apply lock left by a killed job, after showing its holder and asking.
    ///
    /// Refuses a lock renewed in the last minute (its run is alive) unless --force; with
    /// --lock-id, removes only the lock of that run (the id a blocked apply names).
    Unlock(UnlockArgs),
    // --- workshop (issue 9): generate/questions here; up/down join this block ---
    /// The workshop: a realistic incident to investigate, its questions, its data.
    ///
    /// `generate` writes the incident's raw events (with background noise) to files, one per
    /// log type; `questions` prints the participants' sheet or the host's answer key. Both are
    /// deterministic for a seed and a time (--at), so the sheet always matches the data.
    Workshop(WorkshopArgs),
    // --- end workshop ---
    /// List the mapped fields of each log type, as Dashboards sees them.
    ///
    /// From the composed mappings (each index template with its component templates): the
    /// field's name, type, whether Dashboards can aggregate and search on it, the log types
    /// that map it, and for the shared ECS fields a one-line meaning from the Elastic Common
    /// Schema. QUERY keeps the fields whose name contains it (case-insensitive) or, with `*` or
    /// `?`, matches it. `--output markdown` writes docs/fields.md:
    /// `siemctl fields --output markdown > docs/fields.md`.
    Fields(FieldsArgs),
    // --- import (issue 12, Sigma rules) ---
    /// Bring detections from other formats into the content: `import sigma FILE...`.
    Import(ImportArgs),
    // --- end import ---
    /// Start new content that validates as written: a saved search, a visualization, a
    /// dashboard, or a whole log type.
    ///
    /// Ids and file names come from the title (lowercase, words joined by `-`); an existing
    /// file or id is never overwritten. Missing values are asked for on a terminal; elsewhere
    /// every value is a flag. --dry-run prints the files instead of writing them.
    New(NewArgs),
    /// Lay out every content file the one way `pull` writes them.
    ///
    /// JSON templates: two spaces, one member a line; strings, numbers and `{{...}}`
    /// expressions kept byte for byte (a template with expressions around members is left as
    /// it is, with the reason). Saved-search YAML: trailing white space and blank lines at the
    /// end removed, comments and key order kept. --check changes nothing, lists the files not
    /// in the layout and exits 1 if there is any.
    Fmt(FmtArgs),
}

#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// Change nothing: list the files not in the layout, exit 1 if there is any.
    #[arg(long)]
    pub(crate) check: bool,
}

#[derive(Debug, Args)]
pub(crate) struct FieldsArgs {
    /// Only the fields of this log type (repeatable): the folder name under index-templates/,
    /// e.g. aws-cloudtrail.
    #[arg(long = "log-type", value_name = "NAME")]
    pub(crate) log_types: Vec<String>,
    /// A part of the field name (`accesskey`), or a glob (`source.*`, `*.ip`).
    #[arg(value_name = "QUERY")]
    pub(crate) query: Option<String>,
    #[command(flatten)]
    pub(crate) vars: VarArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    /// Write the rendered objects under this directory.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) vars: VarArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    #[command(flatten)]
    pub(crate) vars: VarArgs,
}

#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Test only this log type (repeatable): the folder name under index-templates/, e.g.
    /// aws-cloudtrail.
    #[arg(long = "log-type", value_name = "NAME")]
    pub(crate) log_types: Vec<String>,

    /// Write the golden files (<file>-expected.json) from this run, new or changed, and say
    /// which were written. Read each one before committing it: it is what the tests will hold
    /// the pipeline to.
    #[arg(long)]
    pub(crate) generate: bool,

    #[command(flatten)]
    pub(crate) vars: VarArgs,
}

/// How to reach the cluster: flags and environment over `[targets.<name>]` of siemctl.toml.
/// Credentials come only from the environment: SIEMCTL_USERNAME with SIEMCTL_PASSWORD or
/// SIEMCTL_PASSWORD_FILE (basic auth), or the standard AWS chain (aws-sigv4).
#[derive(Debug, Clone, Args)]
pub(crate) struct ConnectArgs {
    /// The OpenSearch URL, e.g. https://search-mydomain-abc.eu-west-1.es.amazonaws.com.
    #[arg(long, value_name = "URL", env = "SIEMCTL_OPENSEARCH_URL")]
    pub(crate) opensearch_url: Option<String>,
    /// The OpenSearch Dashboards URL (on Amazon OpenSearch Service: the domain URL + /_dashboards).
    #[arg(long, value_name = "URL", env = "SIEMCTL_DASHBOARDS_URL")]
    pub(crate) dashboards_url: Option<String>,
    /// Authentication: none, basic or aws-sigv4.
    #[arg(long, value_name = "KIND", env = "SIEMCTL_AUTH")]
    pub(crate) auth: Option<String>,
    /// The Dashboards tenant: global (default), private, or a custom tenant name.
    #[arg(long, value_name = "NAME", env = "SIEMCTL_TENANT")]
    pub(crate) tenant: Option<String>,
    /// A PEM file of CA certificates to trust besides the system's.
    #[arg(long, value_name = "FILE", env = "SIEMCTL_CA_CERT")]
    pub(crate) ca_cert: Option<PathBuf>,
    /// Do not verify TLS certificates (prints a warning on every run).
    #[arg(long)]
    pub(crate) insecure: bool,
    /// Seconds before one HTTP request times out (retries have their own budget).
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) timeout: u64,
    /// The most seconds one request may take with its retries (on 429, 502, 503, 504 and
    /// connection errors, with exponential backoff, honouring Retry-After).
    #[arg(
        long,
        value_name = "SECONDS",
        env = "SIEMCTL_RETRY_BUDGET",
        default_value_t = 90
    )]
    pub(crate) retry_budget: u64,
    /// How many targets plan and apply work on at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) parallel: u16,
}

#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    #[command(flatten)]
    pub(crate) vars: VarArgs,
    #[command(flatten)]
    pub(crate) connect: ConnectArgs,
    /// Exit 2 when there are changes, 0 when there are none, 1 on error.
    #[arg(long)]
    pub(crate) detailed_exitcode: bool,
    /// Also plan the deletion of objects siemctl created that have left the content.
    #[arg(long)]
    pub(crate) prune: bool,
    /// Save the plan to FILE (JSON, no secrets): `siemctl apply FILE` applies exactly it.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) select: SelectArgs,
}

/// Which objects plan and apply act on (issue 10), like terraform's -target.
#[derive(Debug, Clone, Args, Default)]
pub(crate) struct SelectArgs {
    /// Act on these objects only (repeatable): KIND/ID with `*` globs (`dashboard/aws-waf-*`,
    /// `visualization/*`) or `log-type:NAME`. References are not followed: a selected object
    /// naming another that also changes is reported.
    #[arg(long, value_name = "KIND/ID")]
    pub(crate) only: Vec<String>,
    /// Leave these objects out (repeatable), in the same forms as --only.
    #[arg(long, value_name = "KIND/ID")]
    pub(crate) exclude: Vec<String>,
}

/// `siemctl apply [PLANFILE]`: the flags of an apply, and the saved plan to apply.
#[derive(Debug, Clone, Args)]
pub(crate) struct ApplyCommandArgs {
    /// A plan saved by `siemctl plan --out FILE`: apply exactly its changes (the content is
    /// taken from the file, not from the content directory; --var cannot be given with it).
    #[arg(value_name = "PLANFILE")]
    pub(crate) plan_file: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) apply: ApplyArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ShowFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The plan file written by `siemctl plan --out FILE`.
    #[arg(value_name = "PLANFILE")]
    pub(crate) plan_file: PathBuf,
    /// text, markdown (a GitHub job summary) or json [default: the --output format].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<ShowFormat>,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ApplyArgs {
    #[command(flatten)]
    pub(crate) vars: VarArgs,
    #[command(flatten)]
    pub(crate) connect: ConnectArgs,
    /// Delete objects siemctl created that have left the content.
    #[arg(long)]
    pub(crate) prune: bool,
    /// Do not ask for confirmation (also when CI=true).
    #[arg(short, long)]
    pub(crate) yes: bool,
    /// Overwrite (or delete) objects that were edited in the cluster since the last apply.
    #[arg(long)]
    pub(crate) overwrite_drift: bool,
    /// Apply even if the cluster holds content of a newer version.
    #[arg(long)]
    pub(crate) allow_downgrade: bool,
    /// Take over objects that exist with the content's ids but that siemctl did not create.
    #[arg(long)]
    pub(crate) adopt: bool,
    /// Seconds to wait for another apply's lock before giving up.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub(crate) lock_timeout: u64,
    #[command(flatten)]
    pub(crate) select: SelectArgs,
    /// Refuse the whole apply when any object drifted (by default the drifted objects are
    /// skipped, every other change is written, and apply exits 1).
    #[arg(long)]
    pub(crate) strict_drift: bool,
}

#[derive(Debug, Args)]
pub(crate) struct UnlockArgs {
    #[command(flatten)]
    pub(crate) vars: VarArgs,
    #[command(flatten)]
    pub(crate) connect: ConnectArgs,
    /// Remove the lock only if it is this run's (the `lock id` an apply blocked by it names).
    #[arg(long, value_name = "ID")]
    pub(crate) lock_id: Option<String>,
    /// Remove a lock even if it was renewed in the last minute (its run may still be alive).
    #[arg(long)]
    pub(crate) force: bool,
    /// Do not ask for confirmation.
    #[arg(short, long)]
    pub(crate) yes: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PullArgs {
    #[command(flatten)]
    pub(crate) vars: VarArgs,
    #[command(flatten)]
    pub(crate) connect: ConnectArgs,
    /// Objects to pull, as KIND/ID: `visualization/aws-cloudtrail-top-api-calls`,
    /// `search/my-search`, `dashboard/...`, `index-pattern/...`, `query/...`.
    #[arg(value_name = "KIND/ID")]
    pub(crate) objects: Vec<String>,
    /// Pull every saved object edited in Dashboards since the last apply.
    #[arg(long)]
    pub(crate) drifted: bool,
    /// List the tenant's saved objects that siemctl does not manage (made in Dashboards) and
    /// pull the chosen ones: on a terminal it asks which; with --yes, all of those listed.
    /// Without a terminal it pulls only with --yes, or when --type/--title leave exactly one.
    /// Files are named after the titles (transliterated to ASCII); the ids stay the cluster's.
    #[arg(long)]
    pub(crate) new: bool,
    /// With --new: only objects of this kind (index-pattern, search, query, visualization,
    /// dashboard). Repeatable.
    #[arg(long = "type", value_name = "KIND", requires = "new")]
    pub(crate) types: Vec<String>,
    /// With --new: only objects whose title matches, case-insensitive, `*` for any text
    /// (`--title '*failed logins*'`).
    #[arg(long, value_name = "GLOB", requires = "new")]
    pub(crate) title: Option<String>,
    /// With --new: pull every object listed, without asking. Without a terminal (CI) or with
    /// --output json, --new pulls several objects only with --yes.
    #[arg(long, short = 'y', requires = "new")]
    pub(crate) yes: bool,
    /// With --new: only list the objects (title, type, id, last update), write nothing.
    #[arg(long, requires = "new", conflicts_with_all = ["yes", "with_references", "log_type", "as_json"])]
    pub(crate) list: bool,
    /// Also pull what the pulled objects reference that the content lacks (a dashboard's
    /// visualizations and searches, their index patterns), so that the content validates.
    #[arg(long)]
    pub(crate) with_references: bool,
    /// The log type folder for objects not yet in the content (dashboards/<NAME>/,
    /// saved-searches/<NAME>/). Without it, the log type is told from the index pattern
    /// the object uses, when that is one log type's.
    #[arg(long, value_name = "NAME")]
    pub(crate) log_type: Option<String>,
    /// Write saved searches as JSON saved objects (dashboards/<log-type>/<id>.search.json.hbs),
    /// replacing their YAML file: for searches using what the YAML format cannot express.
    #[arg(long)]
    pub(crate) as_json: bool,
}

/// Where template variables come from besides `[vars]` of siemctl.toml.
#[derive(Debug, Clone, Args)]
pub(crate) struct VarArgs {
    /// The target of siemctl.toml to use, `[targets.NAME]`: its connection settings and its
    /// variables (`[targets.NAME.vars]`). Repeatable, with globs (`--target 'prod-*'`) on plan,
    /// apply and validate; the other commands take exactly one target.
    #[arg(long, value_name = "NAME", env = "SIEMCTL_TARGET")]
    pub(crate) target: Vec<String>,

    /// Every target of siemctl.toml (plan, apply, validate).
    #[arg(long, conflicts_with = "target")]
    pub(crate) all_targets: bool,

    /// Set a template variable, over the target's and the file's (repeatable). The value takes
    /// the type the variable has in siemctl.toml.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub(crate) vars: Vec<String>,
}

// --- import (issue 12, Sigma rules) ---
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    #[command(subcommand)]
    pub(crate) command: ImportCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ImportCommand {
    /// Turn Sigma detection rules into saved searches of the matching log type.
    ///
    /// The rule's logsource picks the log type and its field names map to the content's
    /// fields through sigma/field-mappings.yaml (in the content directory). Each rule becomes
    /// saved-searches/<log-type>/sigma-<rule file>.yaml, in DQL or, when a wildcard or regular
    /// expression is needed, Lucene. A rule that cannot be expressed as a search (an
    /// aggregation, near, timeframe, an unmapped field, an unsupported modifier, a logsource
    /// without a log type) is reported with the reason, and the others are still converted.
    /// Exits 1 if any rule was not converted.
    Sigma(ImportSigmaArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ImportSigmaArgs {
    /// The Sigma rule files (.yml), one rule per file.
    #[arg(value_name = "FILE", required = true)]
    pub(crate) files: Vec<PathBuf>,

    /// Write the searches under DIR/<log-type>/ [default: saved-searches/ of the content].
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,

    /// Use this log type instead of the one the rule's logsource maps to.
    #[arg(long = "log-type", value_name = "NAME")]
    pub(crate) log_type: Option<String>,

    /// Convert and report, without writing anything.
    #[arg(long)]
    pub(crate) dry_run: bool,

    #[command(flatten)]
    pub(crate) vars: VarArgs,
}
// --- end import ---
#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    #[command(subcommand)]
    pub(crate) command: NewCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum NewCommand {
    /// A saved search (saved-searches/<log-type>/<name>.yaml) with every key of the format,
    /// the optional ones commented out, and a query on the log type's key fields.
    Search(NewSearchArgs),
    /// A visualization (dashboards/<log-type>/<id>.visualization.json.hbs): the most frequent
    /// values of one field of the log type.
    Visualization(NewVisualizationArgs),
    /// A dashboard (dashboards/<log-type>/<id>.dashboard.json.hbs) with a panel for each
    /// visualization of the log type (up to six) and its first saved search.
    Dashboard(NewDashboardArgs),
    /// A whole log type: component template, index template, pipeline with on_failure, test
    /// events with their golden files, index pattern, a visualization, a dashboard and a
    /// saved search.
    LogType(NewLogTypeArgs),
}

/// What every `siemctl new` takes.
#[derive(Debug, Args)]
pub(crate) struct NewCommon {
    /// Print the files instead of writing them.
    #[arg(long)]
    pub(crate) dry_run: bool,
    #[command(flatten)]
    pub(crate) vars: VarArgs,
}

#[derive(Debug, Args)]
pub(crate) struct NewSearchArgs {
    /// The log type (its folder name, e.g. aws-cloudtrail).
    #[arg(long, value_name = "NAME")]
    pub(crate) log_type: Option<String>,
    /// The title analysts see in Discover, e.g. "CloudTrail: root sign-ins".
    #[arg(long, value_name = "TEXT")]
    pub(crate) title: Option<String>,
    /// The saved search's id [default: <log-type>-<title in lowercase, words joined by ->].
    #[arg(long, value_name = "ID")]
    pub(crate) id: Option<String>,
    /// The DQL query [default: the log type's key fields, e.g. `event.action:* and source.ip:*`].
    #[arg(long, value_name = "DQL")]
    pub(crate) query: Option<String>,
    #[command(flatten)]
    pub(crate) common: NewCommon,
}

#[derive(Debug, Args)]
pub(crate) struct NewVisualizationArgs {
    /// The log type (its folder name, e.g. aws-cloudtrail).
    #[arg(long, value_name = "NAME")]
    pub(crate) log_type: Option<String>,
    /// The title [default: "<log-type>: top <field>"].
    #[arg(long, value_name = "TEXT")]
    pub(crate) title: Option<String>,
    /// The field to count by: mapped and aggregatable for the log type [default: its first key
    /// field, e.g. event.action].
    #[arg(long, value_name = "FIELD")]
    pub(crate) field: Option<String>,
    #[command(flatten)]
    pub(crate) common: NewCommon,
}

#[derive(Debug, Args)]
pub(crate) struct NewDashboardArgs {
    /// The log type (its folder name, e.g. aws-cloudtrail).
    #[arg(long, value_name = "NAME")]
    pub(crate) log_type: Option<String>,
    /// The dashboard's title, e.g. "CloudTrail: IAM changes".
    #[arg(long, value_name = "TEXT")]
    pub(crate) title: Option<String>,
    #[command(flatten)]
    pub(crate) common: NewCommon,
}

#[derive(Debug, Args)]
pub(crate) struct NewLogTypeArgs {
    /// The log type's name: lowercase words joined by `-`, e.g. acme-vpn (the folders, the
    /// index names log-acme-vpn-* and the field namespace acme.vpn are made from it).
    #[arg(value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// The indices' pattern [default: {{index_prefix}}-<name>-*].
    #[arg(long, value_name = "PATTERN")]
    pub(crate) index_pattern: Option<String>,
    #[command(flatten)]
    pub(crate) common: NewCommon,
}

// --- workshop (issue 9) ---
#[derive(Debug, Args)]
pub(crate) struct WorkshopArgs {
    #[command(subcommand)]
    pub(crate) command: WorkshopCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum WorkshopCommand {
    /// Write the incident's raw events to files, one per log type, for hosts who ship them
    /// through their own pipeline.
    ///
    /// Writes DIR/<index-family>.ndjson (CloudTrail, GuardDuty, Security Hub: one JSON record
    /// per line) or .log (VPC Flow Logs, Linux secure, web-apache, web-nginx: one raw line per
    /// line). Each line is one document's `message`, sent to index
    /// log-<family>-<yyyy>-<mm> of the event's time.
    Generate(WorkshopGenerateArgs),
    /// Print the workshop's questions: the participants' sheet, or with --answers the host's
    /// answer key.
    ///
    /// Reads workshop/questions.yaml of the content; answers are filled in from the scenario
    /// for the same seed and --at as the loaded data.
    Questions(WorkshopQuestionsArgs),
    /// Apply the content (as `siemctl apply`), then load the generated incident into the
    /// cluster and verify it.
    ///
    /// Creates each index by name (the templates apply), sends the raw events with `_bulk`
    /// as `{"message": raw}` (the cluster's pipelines parse them; deterministic ids make a
    /// re-run overwrite instead of duplicate), in batches under --batch-size with
    /// --concurrency requests in flight, retrying 429s; then refreshes and checks with
    /// `_count` that every event is there and none carries a pipeline error. Exits 1 if not.
    Up(WorkshopUpArgs),
    /// Delete the indices `workshop up` created (never one it did not create); with
    /// --with-content also everything siemctl manages on the target.
    ///
    /// Asks for confirmation on a terminal; --yes skips it, CI=true does not.
    Down(WorkshopDownArgs),
}

/// What the generator makes: the same seed, count and time give the same events.
#[derive(Debug, Args)]
pub(crate) struct GeneratorArgs {
    /// The total number of events (the incident plus background noise).
    #[arg(long, value_name = "N", default_value_t = crate::workshop::DEFAULT_EVENTS)]
    pub(crate) events: usize,
    /// The seed of the noise and of the generated ids.
    #[arg(long, value_name = "S", default_value_t = crate::workshop::DEFAULT_SEED)]
    pub(crate) seed: u64,
    /// The run's clock (RFC 3339): the incident ends an hour before it [default: now, rounded
    /// down to the hour].
    #[arg(long, value_name = "TIMESTAMP")]
    pub(crate) at: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct WorkshopGenerateArgs {
    /// The directory to write the files to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    #[command(flatten)]
    pub(crate) generator: GeneratorArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SheetFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct WorkshopQuestionsArgs {
    /// Include the answers (the host's key).
    #[arg(long)]
    pub(crate) answers: bool,
    /// markdown (to print or share) or json.
    #[arg(long, value_enum, default_value_t = SheetFormat::Markdown)]
    pub(crate) format: SheetFormat,
    /// The seed of the loaded data.
    #[arg(long, value_name = "S", default_value_t = crate::workshop::DEFAULT_SEED)]
    pub(crate) seed: u64,
    /// The --at of the loaded data (RFC 3339) [default: now, rounded down to the hour].
    #[arg(long, value_name = "TIMESTAMP")]
    pub(crate) at: Option<String>,
}
// --- end workshop ---

// `siemctl workshop up` and `siemctl workshop down` (the loader's arguments).

#[derive(Debug, Args)]
pub(crate) struct WorkshopUpArgs {
    /// How the content is applied first: every flag of `siemctl apply` (--target, --yes, ...).
    #[command(flatten)]
    pub(crate) apply: ApplyArgs,
    /// The events: the same --events, --seed and --at load the same documents (a re-run
    /// within the hour of the default --at indexes nothing twice).
    #[command(flatten)]
    pub(crate) generator: GeneratorArgs,
    /// The largest `_bulk` request body, in bytes (suffixes KiB and MiB accepted). Keep it
    /// under the cluster's http.max_content_length (10 MiB on small Amazon OpenSearch Service
    /// instances).
    #[arg(long, value_name = "SIZE", default_value = "5MiB", value_parser = parse_size)]
    pub(crate) batch_size: usize,
    /// The most events in one `_bulk` request (pipelines make a request's time grow with its
    /// events; keep it well under --timeout).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) batch_events: u32,
    /// How many `_bulk` requests are in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) concurrency: u16,
}

#[derive(Debug, Args)]
pub(crate) struct WorkshopDownArgs {
    #[command(flatten)]
    pub(crate) vars: VarArgs,
    #[command(flatten)]
    pub(crate) connect: ConnectArgs,
    /// Also delete everything siemctl manages on the target (templates, pipelines, ISM
    /// policies, saved objects, the settings it set), as `apply --prune` of an empty content
    /// would, and siemctl's state index once nothing is left in it.
    #[arg(long)]
    pub(crate) with_content: bool,
    /// Do not ask for confirmation. CI=true alone does not skip it: this deletes data.
    #[arg(short, long)]
    pub(crate) yes: bool,
    /// Seconds to wait for another apply's lock before giving up.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub(crate) lock_timeout: u64,
}

/// `5MiB`, `512KiB`, `1000000`.
fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let number: usize = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write bytes, or a number with KiB or MiB"))?;
    let factor = match unit.trim() {
        "" | "B" => 1,
        "KiB" | "K" | "k" | "KB" | "kB" => 1024,
        "MiB" | "M" | "MB" => 1024 * 1024,
        other => return Err(format!("unknown size unit `{other}`: use KiB or MiB")),
    };
    let size = number.saturating_mul(factor);
    if size < 1024 {
        return Err("the batch size must be at least 1 KiB".into());
    }
    Ok(size)
}
