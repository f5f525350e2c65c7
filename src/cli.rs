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
/// and (in later commands) diffs and applies them to a cluster.
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

    /// Output format: `text` for people, `json` for programs (one document on stdout).
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
    /// Checks template and pipeline shapes as OpenSearch would, references between saved
    /// objects, saved-search queries and the fields they name against the mappings, field types
    /// across log types, and mapping hygiene. Exits 1 if there is any problem.
    Validate(ValidateArgs),
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

/// Where template variables come from besides `[vars]` of siemctl.toml.
#[derive(Debug, Args)]
pub(crate) struct VarArgs {
    /// Use the variables of this target, `[targets.NAME.vars]` in siemctl.toml.
    #[arg(long, value_name = "NAME", env = "SIEMCTL_TARGET")]
    pub(crate) target: Option<String>,

    /// Set a template variable, over the target's and the file's (repeatable). The value takes
    /// the type the variable has in siemctl.toml.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub(crate) vars: Vec<String>,
}
