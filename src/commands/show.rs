//! `siemctl show PLANFILE`: a saved plan, as text, JSON or Markdown.

use anyhow::Result;

use crate::cli::{GlobalArgs, OutputFormat, ShowArgs, ShowFormat};
use crate::exit::ExitStatus;
use crate::output::printer::Printer;
use crate::output::saved_plan;

pub(crate) fn run(global: &GlobalArgs, args: &ShowArgs, printer: Printer) -> Result<ExitStatus> {
    let file = crate::planfile::read(&args.plan_file)?;
    let format = args.format.unwrap_or(match global.output {
        OutputFormat::Text | OutputFormat::Github => ShowFormat::Text,
        OutputFormat::Json => ShowFormat::Json,
        OutputFormat::Markdown => ShowFormat::Markdown,
    });
    match format {
        ShowFormat::Text => printer.data(&saved_plan::text(&file)?),
        ShowFormat::Markdown => printer.data(&saved_plan::markdown(&file)?),
        ShowFormat::Json => printer.json(saved_plan::json(&file), serde_json::Value::Null),
    }
    Ok(ExitStatus::Success)
}
