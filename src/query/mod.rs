//! Offline syntax checks for saved-search queries.
//!
//! Two pure parsers, one per query language a saved search can use:
//!
//! * [`dql`]: OpenSearch Dashboards Query Language (DQL, a.k.a. KQL), following
//!   the upstream PEG grammar
//!   (`src/plugins/data/common/opensearch_query/kuery/ast/kuery.peg`).
//! * [`lucene`]: the Lucene query string syntax, as OpenSearch's `query_string`
//!   query accepts it (Lucene's classic `QueryParser.jj` plus OpenSearch's
//!   `QueryStringQueryParser` additions such as `_exists_:` and `field:>=10`).
//!
//! Both check syntax and collect the field names a query mentions, so the
//! caller can check them against the index mapping, and build the query's tree
//! (`parse_tree`), which [`eval`] translates and evaluates over documents. Errors are written for
//! analysts, not for Rust developers: they say what is wrong, where (column),
//! and, when we can tell, what to write instead.

pub(crate) mod dql;
// Until `siemctl test` calls it, only the tests use the evaluator.
pub(crate) mod eval;
pub(crate) mod lucene;

use std::fmt;

/// The query language of a saved search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Dql,
    Lucene,
}

/// A field the query names, e.g. `source.ip` in `source.ip:10.0.0.1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldRef {
    /// The field name with escapes resolved (`user\:name` is `user:name`).
    /// In a DQL nested query `parent:{ child:x }` this is `parent.child`.
    pub(crate) name: String,
    /// 1-based character column of the field name, counted from the start of
    /// the whole query (a multi-line query does not restart at each line).
    pub(crate) column: usize,
    /// 1-based line of the field name.
    pub(crate) line: usize,
    /// The name is a pattern (`user.*`) that may match several fields.
    pub(crate) is_pattern: bool,
}

/// Why a query does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryError {
    /// 1-based character column, counted from the start of the whole query.
    pub(crate) column: usize,
    /// 1-based line.
    pub(crate) line: usize,
    /// What is wrong, in plain words.
    pub(crate) message: String,
    /// What to write instead, when we can tell.
    pub(crate) hint: Option<String>,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}", self.column)?;
        if self.line > 1 {
            write!(f, " (line {})", self.line)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for QueryError {}

/// Checks the syntax of `query` and returns every field it names, in order of
/// appearance. An empty (or all-blank) query matches everything: `Ok(vec![])`.
pub(crate) fn parse(language: Language, query: &str) -> Result<Vec<FieldRef>, QueryError> {
    match language {
        Language::Dql => dql::parse(query),
        Language::Lucene => lucene::parse(query),
    }
}

/// The tree of a parsed query, in its language.
#[derive(Debug)]
pub(crate) enum Tree {
    Dql(dql::Node),
    /// `None` for an all-blank query.
    Lucene(Option<lucene::Node>),
}

/// [`parse`], keeping the query's tree for the checks that walk it (values against their
/// fields' types), so that a query is parsed once.
pub(crate) fn parse_tree(
    language: Language,
    query: &str,
) -> Result<(Tree, Vec<FieldRef>), QueryError> {
    match language {
        Language::Dql => dql::parse_tree(query).map(|(node, fields)| (Tree::Dql(node), fields)),
        Language::Lucene => {
            lucene::parse_tree(query).map(|(node, fields)| (Tree::Lucene(node), fields))
        }
    }
}

/// The query as characters, so positions are character columns; shared by
/// both parsers to build errors and field references.
struct Text {
    chars: Vec<char>,
}

impl Text {
    fn new(query: &str) -> Self {
        Text {
            chars: query.chars().collect(),
        }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    fn get(&self, index: usize) -> Option<char> {
        self.chars.get(index).copied()
    }

    fn slice(&self, start: usize, end: usize) -> String {
        let end = end.min(self.chars.len());
        let start = start.min(end);
        self.chars[start..end].iter().collect()
    }

    /// `(line, column)` of a character index, both 1-based.
    fn location(&self, index: usize) -> (usize, usize) {
        let index = index.min(self.chars.len());
        let line = 1 + self.chars[..index].iter().filter(|&&c| c == '\n').count();
        (line, index + 1)
    }

    fn error(&self, index: usize, message: impl Into<String>, hint: Option<String>) -> QueryError {
        let (line, column) = self.location(index);
        QueryError {
            column,
            line,
            message: message.into(),
            hint,
        }
    }

    fn field(&self, index: usize, name: String, is_pattern: bool) -> FieldRef {
        let (line, column) = self.location(index);
        FieldRef {
            name,
            column,
            line,
            is_pattern,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_the_column_and_the_line_after_the_first() {
        let one = Text::new("a:").error(2, "expected a value after `a:`", None);
        assert_eq!(one.to_string(), "column 3: expected a value after `a:`");
        let two = Text::new("a:b and\nc:").error(10, "expected a value after `c:`", None);
        assert_eq!(
            two.to_string(),
            "column 11 (line 2): expected a value after `c:`"
        );
    }

    #[test]
    fn parse_dispatches_on_the_language() {
        // `&&` is an operator in Lucene and a mistake in DQL.
        assert!(parse(Language::Lucene, "a:1 && b:2").is_ok());
        assert!(parse(Language::Dql, "a:1 && b:2").is_err());
        assert_eq!(parse(Language::Dql, "").unwrap(), vec![]);
        assert_eq!(parse(Language::Lucene, "  ").unwrap(), vec![]);
    }

    #[test]
    fn field_refs_carry_line_and_whole_query_column() {
        let text = Text::new("a:1 and\n  b:2");
        assert_eq!(
            text.field(10, "b".into(), false),
            FieldRef {
                name: "b".into(),
                column: 11,
                line: 2,
                is_pattern: false
            }
        );
        assert_eq!(text.slice(0, 3), "a:1");
        assert_eq!(text.len(), 13);
    }
}

/// Test helpers shared by the parsers' tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{parse, Language, QueryError};

    /// The fields of a query that must parse: (name, column, is_pattern).
    pub(crate) fn fields(language: Language, query: &str) -> Vec<(String, usize, bool)> {
        match parse(language, query) {
            Ok(fields) => fields
                .into_iter()
                .map(|f| (f.name, f.column, f.is_pattern))
                .collect(),
            Err(e) => panic!("{query:?} should parse, got {e} (hint: {:?})", e.hint),
        }
    }

    /// A plain field reference, for comparing with [`fields`].
    pub(crate) fn f(name: &str, column: usize) -> (String, usize, bool) {
        (name.to_string(), column, false)
    }

    /// A pattern field reference, for comparing with [`fields`].
    pub(crate) fn p(name: &str, column: usize) -> (String, usize, bool) {
        (name.to_string(), column, true)
    }

    /// The error of a query that must not parse.
    pub(crate) fn error(language: Language, query: &str) -> QueryError {
        match parse(language, query) {
            Ok(fields) => panic!("{query:?} should fail, parsed as {fields:?}"),
            Err(e) => e,
        }
    }

    /// Asserts the column and message of the error for `query`, and that its hint contains
    /// `hint`.
    pub(crate) fn fails(language: Language, query: &str, column: usize, message: &str, hint: &str) {
        let e = error(language, query);
        assert_eq!(
            (e.column, e.message.as_str()),
            (column, message),
            "for {query:?}"
        );
        let got = e.hint.unwrap_or_default();
        assert!(got.contains(hint), "hint for {query:?} was {got:?}");
    }
}
