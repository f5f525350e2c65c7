//! `siemctl workshop questions [--answers] [--format markdown|json]`.

use anyhow::{anyhow, Result};

use crate::cli::{GlobalArgs, SheetFormat, WorkshopQuestionsArgs};
use crate::exit::ExitStatus;
use crate::output::printer::Printer;
use crate::workshop::questions;

pub(crate) fn run(
    global: &GlobalArgs,
    args: &WorkshopQuestionsArgs,
    printer: Printer,
) -> Result<ExitStatus> {
    let at = super::generate::parse_at(args.at.as_deref())?;
    let root = &global.content;
    let file = questions::load(root)?;
    let missing = questions::missing_references(root, &file);
    if !missing.is_empty() {
        return Err(anyhow!(
            "{}: {}",
            questions::QUESTIONS_FILE,
            missing.join("; ")
        ));
    }
    // the seed draws only noise and ids: the answers do not depend on it, but the sheet says
    // which data it is for
    let sheet = questions::sheet(&file, at, args.answers)
        .map_err(|e| anyhow!("{}: {e}", questions::QUESTIONS_FILE))?;
    match args.format {
        SheetFormat::Json => {
            let mut value = serde_json::to_value(&sheet)?;
            value["seed"] = args.seed.into();
            value["at"] = at.to_string().into();
            printer.data(&(serde_json::to_string_pretty(&value)? + "\n"));
        }
        SheetFormat::Markdown => {
            let mut text = questions::markdown(&sheet, args.answers);
            text.push_str(&format!("_Generated for seed {} at {at}._\n", args.seed));
            printer.data(&text);
        }
    }
    Ok(ExitStatus::Success)
}
