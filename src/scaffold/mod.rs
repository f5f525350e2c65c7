//! Scaffolds: new content that validates as written (`siemctl new`).
//!
//! Pure: each function takes what the content already holds (the log type's fields, its index
//! pattern, the objects a dashboard can show) and returns the files to write, as text. Reading
//! the content, refusing existing files, generating golden files with the test engine and
//! writing happen in `commands::new`.

pub(crate) mod dashboard;
pub(crate) mod key_fields;
pub(crate) mod log_type;
pub(crate) mod name;
pub(crate) mod search;
pub(crate) mod visualization;

use std::path::PathBuf;

/// One file a scaffold makes, relative to the content directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewFile {
    pub(crate) path: PathBuf,
    pub(crate) text: String,
}

impl NewFile {
    /// A new file, in the layout `siemctl fmt` gives templates and searches.
    pub(crate) fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let path = path.into();
        let mut text = text.into();
        let name = path.to_string_lossy();
        if name.ends_with(".json.hbs") || name.ends_with(".yaml") {
            if let crate::format::Outcome::Changed(laid_out) = crate::format::layout(&path, &text) {
                text = laid_out;
            }
        }
        NewFile { path, text }
    }
}

/// Why a scaffold cannot be made from these inputs.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum Error {
    #[error("{what} `{value}` is not valid: {rule}")]
    InvalidName {
        what: &'static str,
        value: String,
        rule: String,
    },
    #[error("log type `{log_type}` has no {what} to {purpose}")]
    Missing {
        log_type: String,
        what: &'static str,
        purpose: &'static str,
    },
}

/// A JSON value as the content files are written: two-space indentation, a final newline.
pub(crate) fn json_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
