//! The one place that writes to stdout and stderr. stdout carries the command's data (text or
//! one JSON document); stderr carries diagnostics, status and logs.

use std::io::Write;

use anstream::ColorChoice;
use serde_json::{json, Value};

use super::redact::redact;
use super::style;
use crate::cli::{ColorMode, OutputFormat};
use crate::content::problem::Problem;
use crate::error_code::Code;

/// The version of siemctl's JSON output documents.
pub(crate) const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Printer {
    format: OutputFormat,
}

impl Printer {
    /// `--color` beats NO_COLOR, which beats CLICOLOR_FORCE, which beats detecting a terminal
    /// (anstream applies the environment rules for `auto`).
    pub(crate) fn new(format: OutputFormat, color: ColorMode) -> Self {
        let choice = match color {
            ColorMode::Auto => ColorChoice::Auto,
            ColorMode::Always => ColorChoice::Always,
            ColorMode::Never => ColorChoice::Never,
        };
        choice.write_global();
        Printer { format }
    }

    pub(crate) fn is_json(self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Text data on stdout.
    pub(crate) fn data(self, text: &str) {
        let text = redact(text);
        let mut out = anstream::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    /// The JSON document of a command on stdout: `{format_version, data, error}`.
    pub(crate) fn json(self, data: Value, error: Value) {
        let document = json!({ "format_version": FORMAT_VERSION, "data": data, "error": error });
        self.data(&(serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"));
    }

    /// A warning on stderr (also in JSON mode: stdout stays one document).
    pub(crate) fn warn(self, text: &str) {
        let w = style::warning();
        let text = redact(text);
        let _ = writeln!(anstream::stderr().lock(), "{w}warning{w:#}: {text}");
    }

    /// A status line on stderr, in text mode.
    pub(crate) fn status(self, text: &str) {
        if !self.is_json() {
            let _ = writeln!(anstream::stderr().lock(), "{}", redact(text));
        }
    }

    /// Whether GitHub Actions annotations go to stdout too (`--output github`).
    pub(crate) fn is_github(self) -> bool {
        self.format == OutputFormat::Github
    }

    /// Problems in text form on stderr, each with its location and hint; with `--output github`
    /// also as annotations on stdout.
    pub(crate) fn problems(self, problems: &[Problem]) {
        if self.is_github() {
            for problem in problems {
                let message = match &problem.hint {
                    Some(hint) => format!("{}\nhint: {hint}", problem.message),
                    None => problem.message.clone(),
                };
                self.data(&super::github::error(
                    super::github::At {
                        file: &problem.file,
                        line: problem.line,
                        column: problem.column,
                    },
                    "siemctl",
                    &message,
                ));
            }
        }
        let mut err = anstream::stderr().lock();
        let (e, l, h) = (style::error(), style::location(), style::hint());
        for problem in problems {
            let _ = writeln!(err, "{e}error{e:#}: {}", redact(&problem.message));
            let _ = writeln!(err, "  {l}-->{l:#} {}", redact(&problem.location()));
            if let Some(hint) = &problem.hint {
                let _ = writeln!(err, "  {h}hint{h:#}: {}", redact(hint));
            }
            let _ = writeln!(err);
        }
    }

    /// A fatal error on stderr: `error: message`, one `Caused by:` line per source.
    pub(crate) fn error(self, error: &anyhow::Error) {
        if self.is_json() {
            self.json(Value::Null, error_of(error));
            return;
        }
        let mut err = anstream::stderr().lock();
        let e = style::error();
        let _ = writeln!(err, "{e}error{e:#}: {}", redact(&error.to_string()));
        for cause in error.chain().skip(1) {
            let _ = writeln!(err, "  Caused by: {}", redact(cause.to_string().trim_end()));
        }
    }
}

/// The `error` of a JSON document: `{code, message, causes}` (see [`Code`]).
pub(crate) fn error_json(code: Code, message: impl Into<String>, causes: Vec<String>) -> Value {
    json!({ "code": code, "message": message.into(), "causes": causes })
}

/// An error as the `error` of a JSON document, its code from its typed errors.
pub(crate) fn error_of(error: &anyhow::Error) -> Value {
    let causes = error.chain().skip(1).map(ToString::to_string).collect();
    error_json(Code::of(error), error.to_string(), causes)
}

/// Problems as JSON: `[{file, line, column, message, hint}]` (`column` only where known).
pub(crate) fn problems_json(problems: &[Problem]) -> Value {
    Value::Array(
        problems
            .iter()
            .map(|p| {
                let mut v = json!({
                    "file": p.file.display().to_string().replace('\\', "/"),
                    "line": p.line,
                    "message": p.message,
                    "hint": p.hint,
                });
                if let Some(column) = p.column {
                    v["column"] = json!(column);
                }
                v
            })
            .collect(),
    )
}

/// "3 problems in 2 files".
pub(crate) fn problem_summary(problems: &[Problem]) -> String {
    let files: std::collections::BTreeSet<_> = problems.iter().map(|p| &p.file).collect();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{} in {}",
        plural(problems.len(), "problem"),
        plural(files.len(), "file")
    )
}
