//! One file per verb. Each only wires the modules together: settings → content → output.

pub(crate) mod render;
pub(crate) mod validate;

use anyhow::Result;
use serde_json::json;

use crate::cli::{GlobalArgs, VarArgs};
use crate::content::problem::Problem;
use crate::content::{self, Content};
use crate::exit::ExitStatus;
use crate::output::printer::{problem_summary, problems_json, Printer};
use crate::settings::Project;

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
            json!({ "message": message, "causes": [] }),
        );
    } else {
        printer.problems(problems);
        printer.error(&anyhow::anyhow!(message));
    }
    ExitStatus::Failure
}
