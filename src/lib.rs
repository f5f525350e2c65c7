//! siemctl: OpenSearch and OpenSearch Dashboards security content as code.
//!
//! Data flow: [`settings`] resolves flags and siemctl.toml → [`content`] renders the files into
//! resources and validates them (pure: no network) → [`commands`] wire verbs to modules →
//! [`output`] prints. See ARCHITECTURE.md for the module map.

mod apply;
mod cli;
mod cluster;
mod commands;
mod content;
mod error_code;
mod exit;
mod format;
mod logging;
mod output;
mod plan;
mod planfile;
mod query;
mod scaffold;
mod settings;
mod sigma;
mod state;
mod testing;
mod workshop;

use std::process::ExitCode;

use clap::Parser as _;

use crate::cli::{Cli, Command};
use crate::exit::ExitStatus;
use crate::output::printer::Printer;

/// Runs siemctl with the process's arguments and returns its exit code.
pub fn run() -> ExitCode {
    output::redact::init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap exits 2 on usage errors; 2 is reserved for "changes pending", so usage
            // errors exit 1 like every other error. --help and --version still exit 0.
            let _ = err.print();
            return if err.use_stderr() {
                ExitStatus::Failure.into()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    logging::init(cli.global.verbose);
    let printer = Printer::new(cli.global.output, cli.global.color);
    if cli.global.output == cli::OutputFormat::Github {
        output::github::set_content_root(&cli.global.content);
    }
    let result = match &cli.command {
        Command::Render(args) => commands::render::run(&cli.global, args, printer),
        Command::Validate(args) => commands::validate::run(&cli.global, args, printer),
        Command::Test(args) => commands::test::run(&cli.global, args, printer),
        Command::Plan(args) => commands::plan::run(&cli.global, args, printer),
        Command::Apply(args) => commands::apply::run(&cli.global, args, printer),
        Command::Show(args) => commands::show::run(&cli.global, args, printer),
        Command::Unlock(args) => commands::unlock::run(&cli.global, args, printer),
        Command::Pull(args) => commands::pull::run(&cli.global, args, printer),
        Command::Workshop(args) => commands::workshop::run(&cli.global, args, printer),
        Command::Fields(args) => commands::fields::run(&cli.global, args, printer),
        Command::Import(args) => commands::import::run(&cli.global, args, printer),
        Command::New(args) => commands::new::run(&cli.global, args, printer),
        Command::Fmt(args) => commands::fmt::run(&cli.global, args, printer),
    };
    match result {
        Ok(status) => status.into(),
        Err(err) => {
            printer.error(&err);
            ExitStatus::Failure.into()
        }
    }
}

/// Whether `args` (the program name first) parse as a siemctl command line: `Err` with clap's
/// message when they do not. `--help` and `--version` parse. For tests of the documents that
/// show siemctl commands (the CI examples), so that they cannot fall behind the CLI.
#[doc(hidden)]
pub fn check_command_line<I, T>(args: I) -> Result<(), String>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(_) => Ok(()),
        Err(err) if !err.use_stderr() => Ok(()),
        Err(err) => Err(err.render().to_string()),
    }
}
