//! The boolean structure of a converted rule, and its text in DQL or Lucene.
//!
//! Language, per rule: DQL when every comparison is a plain term, number, boolean, presence,
//! range or CIDR (DQL is what analysts here read and write); Lucene (`query_string`) as soon as
//! one comparison needs a wildcard (Lucene has `?` and escaped spaces, DQL has neither) or a
//! regular expression (DQL has none: `re`, and case-insensitive comparisons on keyword fields,
//! which are case-sensitive in OpenSearch and so are written as a regular expression with both
//! cases of each letter).

use super::value::{Cmp, Pattern, Piece};
use crate::query::Language;

/// A comparison of one field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    /// The whole value, case as written.
    Term(String),
    /// Wildcards, case as written.
    Wildcard(Pattern),
    /// A Lucene regular expression (the text between the slashes).
    Regex(String),
    Number(String),
    Bool(bool),
    /// The field has a value.
    Exists,
    Range(Cmp, String),
    Cidr(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Q {
    And(Vec<Q>),
    Or(Vec<Q>),
    Not(Box<Q>),
    Leaf { field: String, test: Test },
}

impl Q {
    /// Flattens nested and/or of the same kind and single-element groups.
    pub(crate) fn simplify(self) -> Q {
        match self {
            Q::And(items) => group(items, true),
            Q::Or(items) => group(items, false),
            Q::Not(inner) => match inner.simplify() {
                Q::Not(x) => *x,
                other => Q::Not(Box::new(other)),
            },
            leaf => leaf,
        }
    }

    pub(crate) fn language(&self) -> Language {
        if self.needs_lucene() {
            Language::Lucene
        } else {
            Language::Dql
        }
    }

    fn needs_lucene(&self) -> bool {
        match self {
            Q::And(items) | Q::Or(items) => items.iter().any(Q::needs_lucene),
            Q::Not(inner) => inner.needs_lucene(),
            Q::Leaf { test, .. } => matches!(test, Test::Wildcard(_) | Test::Regex(_)),
        }
    }

    /// The query text in `language`.
    pub(crate) fn render(&self, language: Language) -> String {
        self.render_in(language, false)
    }

    fn render_in(&self, language: Language, nested: bool) -> String {
        let (and, or, not) = match language {
            Language::Dql => (" and ", " or ", "not "),
            Language::Lucene => (" AND ", " OR ", "NOT "),
        };
        match self {
            Q::And(items) | Q::Or(items) => {
                let joiner = if matches!(self, Q::And(_)) { and } else { or };
                let text = items
                    .iter()
                    .map(|i| i.render_in(language, true))
                    .collect::<Vec<_>>()
                    .join(joiner);
                if nested {
                    format!("({text})")
                } else {
                    text
                }
            }
            Q::Not(inner) => format!("{not}{}", inner.render_in(language, true)),
            Q::Leaf { field, test } => leaf(language, field, test),
        }
    }
}

fn group(items: Vec<Q>, is_and: bool) -> Q {
    let mut out = Vec::new();
    for item in items.into_iter().map(Q::simplify) {
        match item {
            Q::And(inner) if is_and => out.extend(inner),
            Q::Or(inner) if !is_and => out.extend(inner),
            other => out.push(other),
        }
    }
    if out.len() == 1 {
        return out.pop().unwrap_or(Q::And(Vec::new()));
    }
    if is_and {
        Q::And(out)
    } else {
        Q::Or(out)
    }
}

fn leaf(language: Language, field: &str, test: &Test) -> String {
    match (language, test) {
        (_, Test::Term(value)) | (_, Test::Cidr(value)) => format!("{field}:{}", quoted(value)),
        (_, Test::Number(n)) => format!("{field}:{n}"),
        (_, Test::Bool(b)) => format!("{field}:{b}"),
        (Language::Dql, Test::Exists) => format!("{field}:*"),
        (Language::Lucene, Test::Exists) => format!("_exists_:{field}"),
        (Language::Dql, Test::Range(cmp, n)) => format!("{field} {} {n}", cmp.symbol()),
        (Language::Lucene, Test::Range(cmp, n)) => format!("{field}:{}{n}", cmp.symbol()),
        (_, Test::Wildcard(pattern)) => format!("{field}:{}", lucene_wildcard(pattern)),
        (_, Test::Regex(re)) => format!("{field}:/{re}/"),
    }
}

/// A quoted value: DQL and Lucene both read `\"` and `\\` inside quotes, and nothing else is
/// special there (Lucene's `*` and `?` are literal in a phrase).
fn quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Characters Lucene's query parser reads as syntax in a term (`QueryParserBase.escape`), and
/// whitespace, which would end the term.
const LUCENE_SPECIAL: &[char] = &[
    '\\', '+', '-', '!', '(', ')', ':', '^', '[', ']', '"', '{', '}', '~', '*', '?', '|', '&', '/',
    '=', '<', '>',
];

/// A wildcard term: literals escaped, `*` and `?` left as wildcards.
fn lucene_wildcard(pattern: &Pattern) -> String {
    let mut out = String::new();
    for piece in &pattern.0 {
        match piece {
            Piece::Any => out.push('*'),
            Piece::One => out.push('?'),
            Piece::Lit(c) => {
                if LUCENE_SPECIAL.contains(c) || c.is_whitespace() {
                    out.push('\\');
                }
                out.push(*c);
            }
        }
    }
    out
}

/// Characters that are operators in a Lucene regular expression (`RegExp.java`, `ALL` flags),
/// and `/`, which ends it in a query string.
const REGEX_SPECIAL: &[char] = &[
    '.', '?', '+', '*', '|', '{', '}', '[', ']', '(', ')', '"', '\\', '#', '@', '&', '<', '>', '~',
    '/', '^', '$',
];

/// A Sigma pattern as a case-insensitive Lucene regular expression: each letter as a class of
/// its two cases, `*` as `.*`, `?` as `.`.
pub(crate) fn insensitive_regex(pattern: &Pattern) -> String {
    let mut out = String::new();
    for piece in &pattern.0 {
        match piece {
            Piece::Any => out.push_str(".*"),
            Piece::One => out.push('.'),
            Piece::Lit(c) => {
                let lower: Vec<char> = c.to_lowercase().collect();
                let upper: Vec<char> = c.to_uppercase().collect();
                if lower != upper && lower.len() == 1 && upper.len() == 1 {
                    out.push('[');
                    out.push(lower[0]);
                    out.push(upper[0]);
                    out.push(']');
                } else {
                    if REGEX_SPECIAL.contains(c) {
                        out.push('\\');
                    }
                    out.push(*c);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(field: &str, test: Test) -> Q {
        Q::Leaf {
            field: field.into(),
            test,
        }
    }

    #[test]
    fn dql_for_plain_terms_with_nested_groups_in_parentheses() {
        let q = Q::And(vec![
            l("a", Test::Term("x y".into())),
            Q::Or(vec![
                l("b", Test::Number("1".into())),
                l("b", Test::Number("2".into())),
            ]),
            Q::Not(Box::new(l("c", Test::Exists))),
            l("d", Test::Range(Cmp::Gte, "5".into())),
        ])
        .simplify();
        assert_eq!(q.language(), Language::Dql);
        assert_eq!(
            q.render(Language::Dql),
            r#"a:"x y" and (b:1 or b:2) and not c:* and d >= 5"#
        );
        assert_eq!(
            q.render(Language::Lucene),
            r#"a:"x y" AND (b:1 OR b:2) AND NOT _exists_:c AND d:>=5"#
        );
    }

    #[test]
    fn wildcards_and_regexes_need_lucene_and_are_escaped() {
        let q = l("f", Test::Wildcard(Pattern::sigma("*a b:c/(d)?*")));
        assert_eq!(q.language(), Language::Lucene);
        assert_eq!(q.render(Language::Lucene), r"f:*a\ b\:c\/\(d\)?*");
        assert_eq!(
            insensitive_regex(&Pattern::sigma("*.Git/?")),
            r".*\.[gG][iI][tT]\/."
        );
        assert_eq!(quoted(r#"a"b\c*"#), r#""a\"b\\c*""#);
    }

    #[test]
    fn simplify_flattens_groups() {
        let q = Q::Or(vec![
            Q::Or(vec![l("a", Test::Exists)]),
            Q::Not(Box::new(Q::Not(Box::new(l("b", Test::Exists))))),
        ])
        .simplify();
        assert_eq!(q.render(Language::Dql), "a:* or b:*");
    }
}
