//! `siemctl fmt [--check]`: every content file in the one layout that `pull` also writes.

use std::fs;

use anyhow::{Context as _, Result};
use serde_json::json;

use crate::cli::{FmtArgs, GlobalArgs};
use crate::content::load::{discover, FileKind};
use crate::exit::ExitStatus;
use crate::format::{layout, Outcome};
use crate::output::github;
use crate::output::printer::Printer;

pub(crate) fn run(global: &GlobalArgs, args: &FmtArgs, printer: Printer) -> Result<ExitStatus> {
    let root = &global.content;
    let (files, _) = discover(root)
        .with_context(|| format!("cannot read the content in `{}`", root.display()))?;
    let mut changed = Vec::new();
    let mut skipped = Vec::new();
    for file in files {
        if matches!(file.what, FileKind::Refused { .. }) {
            continue;
        }
        let full = root.join(&file.path);
        let text = fs::read_to_string(&full)
            .with_context(|| format!("cannot read `{}`", file.path.display()))?;
        match layout(&file.path, &text) {
            Outcome::Unchanged => {}
            Outcome::Changed(out) => {
                if args.check && printer.is_github() {
                    let (line, column) = first_difference(&text, &out);
                    printer.data(&github::error(
                        github::At {
                            file: &file.path,
                            line: Some(line),
                            column: Some(column),
                        },
                        "siemctl fmt",
                        "not in the layout from this line: run `siemctl fmt`",
                    ));
                }
                if !args.check {
                    fs::write(&full, out)
                        .with_context(|| format!("cannot write `{}`", file.path.display()))?;
                }
                changed.push(file.path.display().to_string());
            }
            Outcome::Skipped(reason) => {
                skipped.push((file.path.display().to_string(), reason));
            }
        }
    }
    let failed = args.check && !changed.is_empty();
    if printer.is_json() {
        printer.json(
            json!({
                "check": args.check,
                "changed": changed,
                "skipped": skipped.iter().map(|(f, r)| json!({"file": f, "reason": r})).collect::<Vec<_>>(),
            }),
            if failed {
                crate::output::printer::error_json(
                    crate::error_code::Code::Validation,
                    format!("{} out of the layout: run `siemctl fmt`", count_files(changed.len())),
                    Vec::new(),
                )
            } else {
                serde_json::Value::Null
            },
        );
    } else {
        for (file, reason) in &skipped {
            printer.warn(&format!("`{file}` left as it is: {reason}"));
        }
        for file in &changed {
            printer.data(&format!("{file}\n"));
        }
        if failed {
            printer.status(&format!(
                "{} out of the layout: run `siemctl fmt` (then review with `git diff`)",
                count_files(changed.len())
            ));
        } else if args.check {
            printer.status("Every content file is in the layout.");
        } else {
            printer.status(&format!("Formatted {}.", count_files(changed.len())));
        }
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn count_files(n: usize) -> String {
    if n == 1 {
        "1 file".to_string()
    } else {
        format!("{n} files")
    }
}

/// The 1-based line and column (in characters) of the first difference between a file and its
/// layout.
fn first_difference(text: &str, out: &str) -> (usize, usize) {
    let (mut a, mut b) = (text.lines(), out.lines());
    let mut line = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => line += 1,
            (Some(x), Some(y)) => {
                let column = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
                return (line, column + 1);
            }
            _ => return (line, 1),
        }
    }
}
