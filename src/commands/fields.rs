//! `siemctl fields`: the field catalogue of the content, as a table, JSON or Markdown.

use anyhow::{bail, Result};

use super::{load, report_problems};
use crate::cli::{FieldsArgs, GlobalArgs, OutputFormat};
use crate::content::catalogue::{Catalogue, Selection};
use crate::content::kind::Kind;
use crate::content::suggest::did_you_mean;
use crate::exit::ExitStatus;
use crate::output::fields as out;
use crate::output::printer::Printer;

pub(crate) fn run(global: &GlobalArgs, args: &FieldsArgs, printer: Printer) -> Result<ExitStatus> {
    let (content, problems) = load(global, &args.vars)?;
    // A template that does not render leaves its fields out: the list would be wrong.
    let mappings_failed = content
        .failed
        .iter()
        .any(|(kind, _)| matches!(kind, Kind::IndexTemplate | Kind::ComponentTemplate));
    if mappings_failed {
        return Ok(report_problems(printer, "fields", &problems));
    }
    let catalogue = Catalogue::of(&content);
    let known = catalogue.log_type_names();
    for name in &args.log_types {
        if !known.contains(&name.as_str()) {
            let suggestion = did_you_mean(name, known.iter().copied())
                .map(|s| format!(": did you mean `{s}`?"))
                .unwrap_or_default();
            bail!(
                "there is no log type `{name}` with an index template{suggestion} (log types: {})",
                known.join(", ")
            );
        }
    }
    let selection = Selection {
        log_types: &args.log_types,
        query: args.query.as_deref(),
    };
    let entries = catalogue.select(&selection);
    match global.output {
        OutputFormat::Json => {
            printer.json(out::json(&catalogue, &entries), serde_json::Value::Null)
        }
        OutputFormat::Markdown => printer.data(&out::markdown(&catalogue, &selection)),
        OutputFormat::Text | OutputFormat::Github => {
            printer.data(&out::text(&catalogue, &entries));
            printer.status(&out::summary(&catalogue, &entries));
        }
    }
    Ok(ExitStatus::Success)
}
