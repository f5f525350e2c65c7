//! The `condition` of a Sigma detection (specification v2, "Condition"): search identifiers
//! joined with `and`, `or`, `not` and parentheses, and the quantifiers `1 of X`, `any of X`,
//! `all of X` where X is an identifier, a pattern with `*` (`selection*`) or `them`.
//! Precedence, highest first: `x of`, `not`, `and`, `or`. A `|` starts an aggregation
//! (`| count() > 5`) and `near` a temporal proximity, neither of which a saved search can
//! express: both are refused here with the reason.

use std::fmt;

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    Ident(String),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    /// `1 of X` / `any of X`: at least one of the matching identifiers.
    OneOf(Quantified),
    /// `all of X`.
    AllOf(Quantified),
}

/// What a quantifier ranges over.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Quantified {
    /// Every search identifier except those starting with `_`.
    Them,
    /// An identifier or a pattern (`selection*`, `filter_main_*`).
    Pattern(String),
}

impl Quantified {
    /// The identifiers of `names` (in order) this ranges over.
    pub(crate) fn select<'a>(&self, names: &[&'a str]) -> Vec<&'a str> {
        names
            .iter()
            .copied()
            .filter(|n| match self {
                Quantified::Them => !n.starts_with('_'),
                Quantified::Pattern(p) => glob(p, n),
            })
            .collect()
    }
}

impl fmt::Display for Quantified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quantified::Them => f.write_str("them"),
            Quantified::Pattern(p) => f.write_str(p),
        }
    }
}

/// Why a condition cannot be used, with the 1-based column in the condition text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConditionError {
    pub(crate) column: usize,
    pub(crate) message: String,
    pub(crate) hint: String,
}

/// `*` matches any run of characters, `?` one character (identifiers have no escapes).
pub(crate) fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some(('?', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Open,
    Close,
    Pipe,
}

fn tokenize(text: &str) -> Result<Vec<(Tok, usize)>, ConditionError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((Tok::Open, i + 1));
            i += 1;
        } else if c == ')' {
            out.push((Tok::Close, i + 1));
            i += 1;
        } else if c == '|' {
            out.push((Tok::Pipe, i + 1));
            i += 1;
        } else if c.is_alphanumeric() || matches!(c, '_' | '*' | '?' | '-' | '.') {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '*' | '?' | '-' | '.'))
            {
                i += 1;
            }
            out.push((Tok::Word(chars[start..i].iter().collect()), start + 1));
        } else {
            return Err(ConditionError {
                column: i + 1,
                message: format!("unexpected `{c}` in the condition"),
                hint: "a condition joins search identifiers with and, or, not, parentheses and `1 of`/`all of`".into(),
            });
        }
    }
    Ok(out)
}

/// Parses a condition.
pub(crate) fn parse(text: &str) -> Result<Cond, ConditionError> {
    // What follows `|` is an aggregation expression (`count() by x > 5`), not a condition:
    // refused as a whole, at the pipe.
    if let Some(at) = text.chars().position(|c| c == '|') {
        return Err(aggregation(at + 1));
    }
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        len: text.chars().count(),
    };
    let cond = parser.or()?;
    match parser.peek() {
        None => Ok(cond),
        Some((Tok::Word(w), col)) if w.eq_ignore_ascii_case("near") => Err(ConditionError {
            column: col,
            message: "`near` (events close in time) cannot be expressed by a saved search, which matches single events".into(),
            hint: "import each part as its own search, or express the correlation as an alerting monitor".into(),
        }),
        Some((Tok::Pipe, col)) => Err(aggregation(col)),
        Some((tok, col)) => Err(ConditionError {
            column: col,
            message: format!("unexpected {} after a complete condition", describe(&tok)),
            hint: "join the parts with `and` or `or`".into(),
        }),
    }
}

fn aggregation(column: usize) -> ConditionError {
    ConditionError {
        column,
        message: "the condition has an aggregation (`| count()`, `| min()` ...), which a saved search cannot express: it finds events, it does not count them".into(),
        hint: "build the count as a visualization or an alerting monitor over a search of the part before `|` (a copy of the rule without the aggregation imports as that search)".into(),
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Open => "`(`".into(),
        Tok::Close => "`)`".into(),
        Tok::Pipe => "`|`".into(),
    }
}

struct Parser {
    tokens: Vec<(Tok, usize)>,
    pos: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<(Tok, usize)> {
        self.tokens.get(self.pos).cloned()
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some((Tok::Word(w), _)) if w.eq_ignore_ascii_case(word))
    }

    fn end_column(&self) -> usize {
        self.len + 1
    }

    fn or(&mut self) -> Result<Cond, ConditionError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Cond::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Cond, ConditionError> {
        let mut left = self.not()?;
        while self.is_word("and") {
            self.pos += 1;
            let right = self.not()?;
            left = Cond::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Cond, ConditionError> {
        if self.is_word("not") {
            self.pos += 1;
            return Ok(Cond::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Cond, ConditionError> {
        let Some((tok, col)) = self.peek() else {
            return Err(ConditionError {
                column: self.end_column(),
                message: "the condition ends where a search identifier was expected".into(),
                hint: "name a search identifier of the detection after `and`, `or`, `not` or `(`"
                    .into(),
            });
        };
        match tok {
            Tok::Open => {
                self.pos += 1;
                let inner = self.or()?;
                match self.peek() {
                    Some((Tok::Close, _)) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err(ConditionError {
                        column: col,
                        message: "this `(` is never closed".into(),
                        hint: "add the missing `)`".into(),
                    }),
                }
            }
            Tok::Word(w) => {
                let lower = w.to_ascii_lowercase();
                if matches!(lower.as_str(), "and" | "or") {
                    return Err(ConditionError {
                        column: col,
                        message: format!("`{w}` where a search identifier was expected"),
                        hint: "put a search identifier on both sides of `and` and `or`".into(),
                    });
                }
                if lower == "near" {
                    return Err(ConditionError {
                        column: col,
                        message: "`near` (events close in time) cannot be expressed by a saved search, which matches single events".into(),
                        hint: "import each part as its own search, or express the correlation as an alerting monitor".into(),
                    });
                }
                self.pos += 1;
                if self.is_word("of") {
                    self.pos += 1;
                    let all = match lower.as_str() {
                        "1" | "any" => false,
                        "all" => true,
                        _ => {
                            return Err(ConditionError {
                                column: col,
                                message: format!("`{w} of` is not a Sigma quantifier"),
                                hint: "write `1 of` or `all of`".into(),
                            })
                        }
                    };
                    let Some((Tok::Word(target), _)) = self.peek() else {
                        return Err(ConditionError {
                            column: col,
                            message: format!("`{w} of` must be followed by `them` or a search identifier pattern"),
                            hint: "e.g. `1 of selection_*` or `all of them`".into(),
                        });
                    };
                    self.pos += 1;
                    let q = if target.eq_ignore_ascii_case("them") {
                        Quantified::Them
                    } else {
                        Quantified::Pattern(target)
                    };
                    return Ok(if all { Cond::AllOf(q) } else { Cond::OneOf(q) });
                }
                Ok(Cond::Ident(w))
            }
            other => Err(ConditionError {
                column: col,
                message: format!(
                    "unexpected {} where a search identifier was expected",
                    describe(&other)
                ),
                hint: "name a search identifier of the detection".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Box<Cond> {
        Box::new(Cond::Ident(s.into()))
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        assert_eq!(
            parse("a or b and not c").unwrap(),
            Cond::Or(
                id("a"),
                Box::new(Cond::And(id("b"), Box::new(Cond::Not(id("c")))))
            )
        );
        assert_eq!(
            parse("(a or b) and c").unwrap(),
            Cond::And(Box::new(Cond::Or(id("a"), id("b"))), id("c"))
        );
    }

    #[test]
    fn quantifiers_take_patterns_and_them() {
        assert_eq!(
            parse("selection and not 1 of filter_main_*").unwrap(),
            Cond::And(
                id("selection"),
                Box::new(Cond::Not(Box::new(Cond::OneOf(Quantified::Pattern(
                    "filter_main_*".into()
                )))))
            )
        );
        assert_eq!(parse("all of them").unwrap(), Cond::AllOf(Quantified::Them));
        assert_eq!(
            parse("any of sel*").unwrap(),
            Cond::OneOf(Quantified::Pattern("sel*".into()))
        );
        assert_eq!(
            parse("NOT a AND b").unwrap(),
            Cond::And(Box::new(Cond::Not(id("a"))), id("b"))
        );
    }

    #[test]
    fn them_excludes_underscore_identifiers_and_patterns_glob() {
        let names = ["selection_a", "selection_b", "_private", "filter"];
        assert_eq!(
            Quantified::Them.select(&names),
            ["selection_a", "selection_b", "filter"]
        );
        assert_eq!(
            Quantified::Pattern("selection_*".into()).select(&names),
            ["selection_a", "selection_b"]
        );
        assert!(glob("a?c", "abc") && !glob("a?c", "ac"));
    }

    #[test]
    fn aggregations_and_near_are_refused_with_the_column() {
        let e = parse("selection | count() by userIdentity.arn > 20").unwrap_err();
        assert_eq!(e.column, 11);
        assert!(e.message.contains("aggregation"), "{}", e.message);
        let e = parse("a near b").unwrap_err();
        assert_eq!(e.column, 3);
        assert!(e.message.contains("near"));
    }

    #[test]
    fn malformed_conditions_say_where() {
        assert_eq!(parse("(a or b").unwrap_err().column, 1);
        assert_eq!(parse("a and").unwrap_err().column, 6);
        assert_eq!(parse("a b").unwrap_err().column, 3);
        assert_eq!(parse("2 of x").unwrap_err().column, 1);
        assert_eq!(parse("a = b").unwrap_err().column, 3);
    }
}
