//! A problem found in the content: what is wrong, where, and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one content file. Validation collects every problem rather than stopping at
/// the first, so that an author fixes them all in one round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The file, relative to the content directory.
    pub(crate) file: PathBuf,
    /// The 1-based line in that file, where one is known.
    pub(crate) line: Option<usize>,
    /// The 1-based column (in characters) on that line, where one is known.
    pub(crate) column: Option<usize>,
    pub(crate) message: String,
    /// What to do about it, when that is not obvious from the message.
    pub(crate) hint: Option<String>,
}

impl Problem {
    pub(crate) fn new(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Problem {
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    #[must_use]
    pub(crate) fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    /// The line and column, for problems that point at one place on a line.
    #[must_use]
    pub(crate) fn at(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.line = line;
        self.column = column.filter(|_| line.is_some());
        self
    }

    #[must_use]
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The hint, when there is one.
    #[must_use]
    pub(crate) fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// `path/to/file:12:5`, `path/to/file:12`, or the path alone when the line is not known.
    pub(crate) fn location(&self) -> String {
        let file = self.file.display().to_string().replace('\\', "/");
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            (Some(line), None) => format!("{file}:{line}"),
            _ => file,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}
