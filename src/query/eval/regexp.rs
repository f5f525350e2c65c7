//! Lucene regular expressions, as `RegexpQuery` matches them against whole terms.
//!
//! Upstream: `lucene/core/src/java/org/apache/lucene/util/automaton/RegExp.java` (syntax with
//! the flags OpenSearch uses by default, `ALL`):
//!
//! ```text
//! union   = inter ( "|" inter )*
//! inter   = concat ( "&" concat )*          -- intersection: not evaluated offline
//! concat  = repeat+
//! repeat  = compl ( "?" | "*" | "+" | "{n}" | "{n,}" | "{n,m}" )*
//! compl   = "~" compl | class               -- complement: not evaluated offline
//! class   = "[" "^"? ( char ( "-" char )? )+ "]" | simple
//! simple  = char | "." | "#" | "@" | "\"" text "\"" | "(" union? ")" | "<" name ">" | "<n-m>"
//! char    = any character | "\" character | "\d" "\D" "\s" "\S" "\w" "\W"
//! ```
//!
//! A match is of the whole term (anchored at both ends). `#` is the empty language, `@` any
//! string; named automata (`<name>`), numeric intervals (`<1-10>`), `~` and `&` are refused.

use super::NotEvaluated;

#[derive(Debug, Clone, PartialEq)]
enum Re {
    /// The empty string (`()`).
    Epsilon,
    /// No string (`#`).
    Nothing,
    /// Any character (`.`).
    AnyChar,
    /// Any string (`@`).
    AnyString,
    Char(char),
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Concat(Vec<Re>),
    Union(Vec<Re>),
    Repeat {
        re: Box<Re>,
        min: usize,
        max: Option<usize>,
    },
}

/// A compiled Lucene regular expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Regexp(Re);

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    source: &'a str,
}

fn unsupported(what: &str, source: &str) -> NotEvaluated {
    NotEvaluated::new(format!("{what} in the regular expression /{source}/"))
}

impl Regexp {
    /// Parses `source`; a syntax error is OpenSearch's (`IllegalArgumentException`), returned
    /// as `Err(Ok(message))`; what is not evaluated offline is `Err(Err(..))`.
    pub(crate) fn parse(source: &str) -> Result<Regexp, Result<String, NotEvaluated>> {
        let mut p = Parser {
            chars: source.chars().collect(),
            pos: 0,
            source,
        };
        let re = p.union()?;
        if p.pos < p.chars.len() {
            return Err(Ok(format!("end-of-string expected at position {}", p.pos)));
        }
        Ok(Regexp(re))
    }

    /// Whether the whole of `s` matches.
    pub(crate) fn is_match(&self, s: &str) -> bool {
        let chars: Vec<char> = s.chars().collect();
        let mut start = vec![false; chars.len() + 1];
        start[0] = true;
        step(&self.0, &chars, &start)[chars.len()]
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn union(&mut self) -> Result<Re, Result<String, NotEvaluated>> {
        let mut parts = vec![self.inter()?];
        while self.eat('|') {
            parts.push(self.inter()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Re::Union(parts)
        })
    }

    fn inter(&mut self) -> Result<Re, Result<String, NotEvaluated>> {
        let first = self.concat()?;
        if self.peek() == Some('&') {
            return Err(Err(unsupported("an intersection `&`", self.source)));
        }
        Ok(first)
    }

    fn concat(&mut self) -> Result<Re, Result<String, NotEvaluated>> {
        let mut parts = Vec::new();
        while let Some(c) = self.peek() {
            if matches!(c, '|' | '&' | ')') {
                break;
            }
            parts.push(self.repeat()?);
        }
        Ok(match parts.len() {
            0 => Re::Epsilon,
            1 => parts.remove(0),
            _ => Re::Concat(parts),
        })
    }

    fn number(&mut self) -> Option<usize> {
        let from = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.chars[from..self.pos]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }

    fn repeat(&mut self) -> Result<Re, Result<String, NotEvaluated>> {
        let mut re = self.compl()?;
        loop {
            let (min, max) = match self.peek() {
                Some('?') => (0, Some(1)),
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('{') => {
                    let at = self.pos;
                    self.pos += 1;
                    let Some(min) = self.number() else {
                        return Err(Ok(format!("integer expected at position {}", self.pos)));
                    };
                    let max = if self.eat(',') {
                        if self.peek() == Some('}') {
                            None
                        } else {
                            Some(self.number().ok_or_else(|| {
                                Ok(format!("integer expected at position {}", self.pos))
                            })?)
                        }
                    } else {
                        Some(min)
                    };
                    if self.peek() != Some('}') {
                        return Err(Ok(format!("expected '}}' at position {}", self.pos)));
                    }
                    let _ = at;
                    (min, max)
                }
                _ => return Ok(re),
            };
            self.pos += 1;
            re = Re::Repeat {
                re: Box::new(re),
                min,
                max,
            };
        }
    }

    fn compl(&mut self) -> Result<Re, Result<String, NotEvaluated>> {
        if self.peek() == Some('~') {
            return Err(Err(unsupported("a complement `~`", self.source)));
        }
        self.class()
    }

    fn class(&mut self) -> Result<Re, Result<String, NotEvaluated>> {
        if !self.eat('[') {
            return self.simple();
        }
        let negated = self.eat('^');
        let mut ranges = Vec::new();
        loop {
            match self.peek() {
                None => return Err(Ok(format!("expected ']' at position {}", self.pos))),
                Some(']') if !ranges.is_empty() => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let lo = self.char_exp(&mut ranges)?;
            let Some(lo) = lo else { continue };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1) != Some(&']') {
                self.pos += 1;
                let hi = self
                    .char_exp(&mut ranges)?
                    .ok_or_else(|| Ok(format!("invalid range at position {}", self.pos)))?;
                if hi < lo {
                    return Err(Ok(format!(
                        "invalid range: from ({lo}) cannot be > to ({hi})"
                    )));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Re::Class { negated, ranges })
    }

    /// A character, or a shorthand class (`\d`...) added to `ranges` (then `None`).
    fn char_exp(
        &mut self,
        ranges: &mut Vec<(char, char)>,
    ) -> Result<Option<char>, Result<String, NotEvaluated>> {
        let Some(c) = self.peek() else {
            return Err(Ok(format!(
                "unexpected end-of-string at position {}",
                self.pos
            )));
        };
        self.pos += 1;
        if c != '\\' {
            return Ok(Some(c));
        }
        let Some(e) = self.peek() else {
            return Err(Ok(format!(
                "unexpected end-of-string at position {}",
                self.pos
            )));
        };
        self.pos += 1;
        match e {
            'd' => ranges.push(('0', '9')),
            'w' => ranges.extend([('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')]),
            's' => ranges.extend([
                ('\t', '\n'),
                ('\u{b}', '\u{b}'),
                ('\u{c}', '\r'),
                (' ', ' '),
            ]),
            'D' | 'W' | 'S' => {
                return Err(Err(unsupported(
                    &format!("the negated class `\\{e}` inside brackets"),
                    self.source,
                )))
            }
            other => return Ok(Some(other)),
        }
        Ok(None)
    }

    fn simple(&mut self) -> Result<Re, Result<String, NotEvaluated>> {
        let Some(c) = self.peek() else {
            return Err(Ok(format!(
                "unexpected end-of-string at position {}",
                self.pos
            )));
        };
        self.pos += 1;
        Ok(match c {
            '.' => Re::AnyChar,
            '#' => Re::Nothing,
            '@' => Re::AnyString,
            '"' => {
                let mut parts = Vec::new();
                loop {
                    match self.peek() {
                        None => return Err(Ok(format!("expected '\"' at position {}", self.pos))),
                        Some('"') => {
                            self.pos += 1;
                            break;
                        }
                        Some(ch) => {
                            parts.push(Re::Char(ch));
                            self.pos += 1;
                        }
                    }
                }
                Re::Concat(parts)
            }
            '(' => {
                if self.eat(')') {
                    return Ok(Re::Epsilon);
                }
                let inner = self.union()?;
                if !self.eat(')') {
                    return Err(Ok(format!("expected ')' at position {}", self.pos)));
                }
                inner
            }
            '<' => {
                return Err(Err(unsupported(
                    "a named automaton or numeric interval `<...>`",
                    self.source,
                )))
            }
            '\\' => {
                let Some(e) = self.peek() else {
                    return Err(Ok(format!(
                        "unexpected end-of-string at position {}",
                        self.pos
                    )));
                };
                self.pos += 1;
                let class = |negated, ranges: &[(char, char)]| Re::Class {
                    negated,
                    ranges: ranges.to_vec(),
                };
                let digit = [('0', '9')];
                let word = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
                let space = [
                    ('\t', '\n'),
                    ('\u{b}', '\u{b}'),
                    ('\u{c}', '\r'),
                    (' ', ' '),
                ];
                match e {
                    'd' => class(false, &digit),
                    'D' => class(true, &digit),
                    'w' => class(false, &word),
                    'W' => class(true, &word),
                    's' => class(false, &space),
                    'S' => class(true, &space),
                    other => Re::Char(other),
                }
            }
            other => Re::Char(other),
        })
    }
}

/// The positions reachable after matching `re` from any position marked in `from`.
fn step(re: &Re, s: &[char], from: &[bool]) -> Vec<bool> {
    let n = s.len();
    let mut out = vec![false; n + 1];
    match re {
        Re::Epsilon => out.copy_from_slice(from),
        Re::Nothing => {}
        Re::AnyString => {
            if let Some(first) = from.iter().position(|&b| b) {
                out[first..].iter_mut().for_each(|b| *b = true);
            }
        }
        Re::AnyChar | Re::Char(_) | Re::Class { .. } => {
            for i in 0..n {
                if from[i] && char_matches(re, s[i]) {
                    out[i + 1] = true;
                }
            }
        }
        Re::Concat(parts) => {
            let mut cur = from.to_vec();
            for p in parts {
                cur = step(p, s, &cur);
            }
            out = cur;
        }
        Re::Union(parts) => {
            for p in parts {
                for (o, r) in out.iter_mut().zip(step(p, s, from)) {
                    *o |= r;
                }
            }
        }
        Re::Repeat { re, min, max } => {
            let mut cur = from.to_vec();
            for _ in 0..*min {
                cur = step(re, s, &cur);
            }
            out.clone_from(&cur);
            let mut count = *min;
            loop {
                if max.is_some_and(|m| count >= m) {
                    break;
                }
                let next = step(re, s, &cur);
                let mut changed = false;
                for (o, r) in out.iter_mut().zip(&next) {
                    if *r && !*o {
                        *o = true;
                        changed = true;
                    }
                }
                count += 1;
                if !changed && max.is_none() {
                    break;
                }
                if next.iter().all(|b| !b) {
                    break;
                }
                cur = next;
            }
        }
    }
    out
}

fn char_matches(re: &Re, c: char) -> bool {
    match re {
        Re::AnyChar => true,
        Re::Char(x) => *x == c,
        Re::Class { negated, ranges } => {
            ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(re: &str, s: &str) -> bool {
        Regexp::parse(re).unwrap().is_match(s)
    }

    // Cases after Lucene's TestRegExp and the query DSL's regexp documentation.
    #[test]
    fn whole_term_matches() {
        assert!(m("ab.*", "abcd"));
        assert!(!m("ab", "abcd"));
        assert!(m("a(b|c)d", "acd"));
        assert!(!m("a(b|c)d", "aed"));
        assert!(m("[a-c]+", "abcabc"));
        assert!(!m("[^a-c]+", "abd"));
        assert!(m("a{2,3}", "aaa"));
        assert!(!m("a{2,3}", "aaaa"));
        assert!(m("a{2,}", "aaaa"));
        assert!(m("colou?r", "color"));
        assert!(m("\\d+\\.\\d+", "10.5"));
        assert!(m("\\w+@\\w+", "root@host"));
        assert!(m("\"a.b\"", "a.b"));
        assert!(!m("\"a.b\"", "axb"));
        assert!(m("@", "anything"));
        assert!(!m("#", ""));
        assert!(m("()", ""));
        assert!(m("/etc/.*", "/etc/passwd"));
        assert!(m("(ab)*", ""));
        assert!(m("(a|ab)(c|bcd)(d*)", "abcd"));
    }

    #[test]
    fn errors_and_unsupported_operators() {
        assert!(matches!(Regexp::parse("a("), Err(Ok(_))));
        assert!(matches!(Regexp::parse("[b-a]"), Err(Ok(_))));
        assert!(matches!(Regexp::parse("a&b"), Err(Err(_))));
        assert!(matches!(Regexp::parse("~a"), Err(Err(_))));
        assert!(matches!(Regexp::parse("<1-10>"), Err(Err(_))));
    }
}
