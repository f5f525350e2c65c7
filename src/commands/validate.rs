//! `siemctl validate`: render everything and check it offline.

use std::collections::BTreeSet;

use anyhow::Result;
use serde_json::json;

use super::{load_checked, report_problems, warn_problems};
use crate::cli::{GlobalArgs, ValidateArgs};
use crate::content::validate as checks;
use crate::exit::ExitStatus;
use crate::output::printer::{problems_json, Printer};
use crate::output::style;

pub(crate) fn run(
    global: &GlobalArgs,
    args: &ValidateArgs,
    printer: Printer,
) -> Result<ExitStatus> {
    // The targets of siemctl.toml: unknown keys, unknown variables, URLs, with their lines.
    let target_problems = crate::settings::Project::target_problems(global)?;
    if !target_problems.is_empty() {
        return Ok(report_problems(printer, "validation", &target_problems));
    }
    if crate::settings::Project::selects_several(global, &args.vars)? {
        return super::targets::validate(global, &args.vars, printer);
    }
    let (_, content, problems) = load_checked(global, &args.vars)?;
    let warnings = checks::warnings(&content);
    warn_problems(printer, &warnings);
    if !problems.is_empty() {
        return Ok(report_problems(printer, "validation", &problems));
    }
    let log_types: BTreeSet<&str> = content
        .resources
        .iter()
        .map(|r| r.log_type.as_str())
        .collect();
    if printer.is_json() {
        printer.json(
            json!({ "content_version": content.version.to_string(), "objects": content.resources.len(), "problems": [], "warnings": problems_json(&warnings) }),
            serde_json::Value::Null,
        );
    } else {
        let s = style::success();
        printer.data(&format!(
            "{s}ok{s:#}: {} objects in {} log types validated, no problems (content {})\n",
            content.resources.len(),
            log_types.len(),
            content.version
        ));
    }
    content.forget(); // siemctl exits next: no freeing object by object
    Ok(ExitStatus::Success)
}
