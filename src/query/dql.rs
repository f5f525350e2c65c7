//! DQL (Dashboards Query Language), following the upstream PEG grammar
//! `kuery.peg` of OpenSearch Dashboards:
//!
//! ```text
//! query      = space* or? space*
//! or         = and (space+ "or" space+ and)*          -- keywords are case-insensitive
//! and        = not (space+ "and" space+ not)*
//! not        = "not" space+ sub / sub
//! sub        = "(" space* or space* ")" / nested
//! nested     = field space* ":" space* "{" space* or space* "}" / expression
//! expression = field space* ("<=" / ">=" / "<" / ">") space* literal   -- range
//!            / field space* ":" space* values
//!            / value                                   -- free text, no field
//! values     = "(" space* value-or space* ")" / value  -- value-or/and/not mirror or/and/not
//! field      = literal
//! value      = quoted / unquoted
//! ```
//!
//! An unquoted literal runs until one of `\():<>"*{}` (but `*` is a wildcard
//! and belongs to it), or until an ` or ` / ` and ` keyword (with whitespace on
//! both sides) or a `not` followed by whitespace. So it may contain spaces
//! (`message:failed password` is one value), dots, dashes, slashes, `@`, IPs
//! and CIDRs. `\` escapes the special characters and the keywords (`\and`).
//!
//! Beyond the grammar, this parser rejects a few things Dashboards would accept
//! but that are almost certainly mistakes, each with a hint: a leftover
//! `and`/`or`/`not` inside a value (`a and` at the end of the query is the
//! value `a and` upstream), Lucene operators (`&&`, `||`, `-field:`,
//! `_exists_:`, `[a TO b]`), `==`/`!=`/`=>`, and field names with spaces
//! (usually a missing `and`/`or`; a real one can be written in double quotes).

use super::{FieldRef, QueryError, Text};

/// Checks a DQL query and returns the fields it names, in order.
pub(crate) fn parse(query: &str) -> Result<Vec<FieldRef>, QueryError> {
    parse_tree(query).map(|(_, fields)| fields)
}

/// Parses a DQL query into the tree upstream's grammar builds (`kuery.peg`: function nodes
/// `is`, `range`, `nested`, `and`, `or`, `not`), with the fields it names. An empty query is
/// `is(*, *)`, as upstream's `start` rule returns.
pub(crate) fn parse_tree(query: &str) -> Result<(Node, Vec<FieldRef>), QueryError> {
    let mut parser = Parser {
        text: Text::new(query),
        pos: 0,
        fields: Vec::new(),
    };
    let node = parser.query()?;
    Ok((node, parser.fields))
}

/// A node of the DQL tree (`kuery/node_types/function.ts` with the functions of
/// `kuery/functions/`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// `field:value`; free text has no field (upstream: a literal `null` field name).
    Is {
        field: Option<Term>,
        value: Term,
        /// A quoted value (`isPhrase`).
        phrase: bool,
    },
    /// `field < value`, `<=`, `>`, `>=`.
    Range {
        field: Term,
        op: RangeOp,
        value: Term,
    },
    /// `path:{ query }`.
    Nested {
        path: Term,
        query: Box<Node>,
    },
}

/// A range operator, named as the `range` query's parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeOp {
    Lt,
    Lte,
    Gt,
    Gte,
}

impl RangeOp {
    pub(crate) fn name(self) -> &'static str {
        match self {
            RangeOp::Lt => "lt",
            RangeOp::Lte => "lte",
            RangeOp::Gt => "gt",
            RangeOp::Gte => "gte",
        }
    }
}

/// A literal or wildcard node (`node_types/literal.ts`, `node_types/wildcard.ts`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Term {
    /// A quoted string, or an unquoted literal read as `kuery.peg`'s `UnquotedLiteral` reads
    /// it: `null`, `true`, `false`, a number matching its number pattern, else a string.
    Literal(serde_json::Value),
    /// An unquoted literal with an unescaped `*`.
    Wildcard(Vec<Piece>),
}

/// A part of a wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    /// An unescaped `*`.
    Any,
}

impl Term {
    /// The pattern `*`.
    pub(crate) fn any() -> Term {
        Term::Wildcard(vec![Piece::Any])
    }

    /// `ast.toOpenSearchQuery` of the node: the literal's value, or the wildcard with `*`.
    pub(crate) fn to_value(&self) -> serde_json::Value {
        match self {
            Term::Literal(v) => v.clone(),
            Term::Wildcard(pieces) => serde_json::Value::String(
                pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Text(t) => t.as_str(),
                        Piece::Any => "*",
                    })
                    .collect(),
            ),
        }
    }

    /// The value as a field name (`literal.toOpenSearchQuery` then used as a key).
    pub(crate) fn to_name(&self) -> String {
        match self.to_value() {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }
    }
}

/// The node of an unquoted literal: `kuery.peg`'s `UnquotedLiteral` action.
fn unquoted_term(pieces: Vec<Piece>) -> Term {
    if pieces.contains(&Piece::Any) {
        return Term::Wildcard(pieces);
    }
    let sequence: String = pieces
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::Any => String::new(),
        })
        .collect();
    match sequence.as_str() {
        "null" => return Term::Literal(serde_json::Value::Null),
        "true" => return Term::Literal(serde_json::Value::Bool(true)),
        "false" => return Term::Literal(serde_json::Value::Bool(false)),
        _ => {}
    }
    if is_number_pattern(&sequence) {
        if let Ok(n) = sequence.parse::<i64>() {
            return Term::Literal(n.into());
        }
        if let Some(n) = sequence
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            // JavaScript's `Number()` then JSON: an integral double prints without `.0`.
            let n = match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
                    serde_json::Value::from(f as i64)
                }
                _ => serde_json::Value::Number(n),
            };
            return Term::Literal(n);
        }
    }
    Term::Literal(serde_json::Value::String(sequence))
}

/// `/^(-?[1-9]+\d*([.]\d+)?)$|^(-?0[.]\d*[1-9]+)$|^0$|^0.0$|^[.]\d{1,}$/` of `kuery.peg`.
fn is_number_pattern(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    // -?[1-9]+\d*([.]\d+)?
    let first = {
        let (int, frac) = match unsigned.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (unsigned, None),
        };
        int.as_bytes()
            .first()
            .is_some_and(|b| (b'1'..=b'9').contains(b))
            && digits(int)
            && frac.is_none_or(digits)
    };
    // -?0[.]\d*[1-9]+
    let second = unsigned.strip_prefix("0.").is_some_and(|f| {
        !f.is_empty()
            && f.bytes().all(|b| b.is_ascii_digit())
            && f.bytes().last().is_some_and(|b| b != b'0')
    });
    // `^0$|^0.0$` (upstream's unescaped `.` also lets `0x0` through, which `Number()` reads as
    // 0; taken here as the string it is)
    let third = s == "0" || s == "0.0";
    let fourth = s.strip_prefix('.').is_some_and(digits);
    first || second || third || fourth
}

/// Characters that end an unquoted literal (`*` is special but is kept as a
/// wildcard) and that `\` may escape.
const SPECIAL: &[char] = &['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}'];

const HINT_AND_OR: &str = "DQL needs `and` or `or` between two conditions, e.g. \
    `event.action:ConsoleLogin and event.outcome:failure`";
const HINT_QUOTE_WORD: &str = "to search for the word itself, put it in double quotes";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// A quoted or unquoted literal: a field name, a value or free text.
struct Literal {
    /// Index of its first character (the opening quote when quoted).
    start: usize,
    /// Index just past it; an unquoted literal includes trailing whitespace.
    end: usize,
    /// Escapes resolved, surrounding whitespace trimmed.
    value: String,
    quoted: bool,
    /// Contains an unescaped `*`.
    wildcard: bool,
    /// The node upstream builds for it.
    term: Term,
}

/// What came just before the thing being parsed, to explain what is missing.
#[derive(Clone, Copy)]
enum Ctx<'a> {
    /// Start of the query or of a group.
    Start,
    /// Right after `field:`, with the index of the colon.
    AfterColon(&'a str, usize),
    /// Right after `and`/`or` at this index.
    AfterOp(usize, &'static str),
    /// Right after `not` at this index.
    AfterNot(usize),
}

/// What the `or`/`and`/`not` chain combines: conditions, or the values of a
/// `field:(a or b)` list.
#[derive(Clone, Copy)]
enum Operand<'a> {
    Condition(Option<&'a Nest>),
    Value(&'a str, &'a Term),
}

/// The enclosing nested-query path, `parent` in `parent:{ child:x }`.
struct Nest {
    path: String,
    is_pattern: bool,
}

/// What must come after a query or a group.
#[derive(Clone, Copy)]
enum Closer {
    End,
    Paren(usize),
    ValueParen(usize),
    Brace(usize),
}

struct Parser {
    text: Text,
    pos: usize,
    fields: Vec<FieldRef>,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.text.get(self.pos)
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// Case-insensitive ASCII `word` at `index`.
    fn word_at(&self, index: usize, word: &str) -> bool {
        word.chars().enumerate().all(|(k, w)| {
            self.text
                .get(index + k)
                .is_some_and(|c| c.eq_ignore_ascii_case(&w))
        })
    }

    fn spaces_from(&self, mut index: usize) -> usize {
        while self.text.get(index).is_some_and(is_space) {
            index += 1;
        }
        index
    }

    /// `space+ word space+` at `index` (the `or` / `and` keywords): returns
    /// the index of the word and the index after the trailing whitespace.
    fn binary_keyword(&self, index: usize, word: &str) -> Option<(usize, usize)> {
        let at = self.spaces_from(index);
        if at == index || !self.word_at(at, word) {
            return None;
        }
        let after = at + word.len();
        let end = self.spaces_from(after);
        (end > after).then_some((at, end))
    }

    /// `not space+` at `index`: returns the index after the whitespace.
    fn not_keyword(&self, index: usize) -> Option<usize> {
        if !self.word_at(index, "not") {
            return None;
        }
        let end = self.spaces_from(index + 3);
        (end > index + 3).then_some(end)
    }

    fn is_keyword(&self, index: usize) -> bool {
        self.binary_keyword(index, "or").is_some()
            || self.binary_keyword(index, "and").is_some()
            || self.not_keyword(index).is_some()
    }

    /// Whitespace-separated words of `start..end`, with their start index.
    fn words(&self, start: usize, end: usize) -> Vec<(usize, String)> {
        let mut words = Vec::new();
        let mut i = start;
        while i < end {
            if self.text.get(i).is_some_and(is_space) {
                i += 1;
                continue;
            }
            let from = i;
            while i < end && !self.text.get(i).is_some_and(is_space) {
                i += 1;
            }
            words.push((from, self.text.slice(from, i)));
        }
        words
    }

    // ----- grammar -------------------------------------------------------

    fn query(&mut self) -> Result<Node, QueryError> {
        self.skip_spaces();
        if self.peek().is_none() {
            return Ok(Node::Is {
                field: Some(Term::any()),
                value: Term::any(),
                phrase: false,
            });
        }
        let node = self.or_chain(Operand::Condition(None), Ctx::Start)?;
        self.skip_spaces();
        match self.peek() {
            None => Ok(node),
            Some(_) => Err(self.unexpected(Closer::End)),
        }
    }

    fn or_chain(&mut self, operand: Operand<'_>, ctx: Ctx<'_>) -> Result<Node, QueryError> {
        let mut nodes = vec![self.and_chain(operand, ctx)?];
        while let Some((at, end)) = self.binary_keyword(self.pos, "or") {
            self.pos = end;
            nodes.push(self.and_chain(operand, Ctx::AfterOp(at, "or"))?);
        }
        Ok(match nodes.len() {
            1 => nodes.remove(0),
            _ => Node::Or(nodes),
        })
    }

    fn and_chain(&mut self, operand: Operand<'_>, ctx: Ctx<'_>) -> Result<Node, QueryError> {
        let mut nodes = vec![self.negation(operand, ctx)?];
        while let Some((at, end)) = self.binary_keyword(self.pos, "and") {
            self.pos = end;
            nodes.push(self.negation(operand, Ctx::AfterOp(at, "and"))?);
        }
        Ok(match nodes.len() {
            1 => nodes.remove(0),
            _ => Node::And(nodes),
        })
    }

    fn negation(&mut self, operand: Operand<'_>, ctx: Ctx<'_>) -> Result<Node, QueryError> {
        let (ctx, end, negated) = match self.not_keyword(self.pos) {
            Some(end) => (Ctx::AfterNot(self.pos), end, true),
            None => (ctx, self.pos, false),
        };
        self.pos = end;
        let node = match operand {
            Operand::Condition(nest) => self.group(nest, ctx)?,
            Operand::Value(field, term) => self.values(field, term, ctx)?,
        };
        Ok(if negated {
            Node::Not(Box::new(node))
        } else {
            node
        })
    }

    /// `( condition )` or a single condition.
    fn group(&mut self, nest: Option<&Nest>, ctx: Ctx<'_>) -> Result<Node, QueryError> {
        if self.peek() != Some('(') {
            return self.condition(nest, ctx);
        }
        let open = self.pos;
        self.pos += 1;
        self.skip_spaces();
        if self.peek() == Some(')') {
            return Err(self.text.error(
                open,
                "empty parentheses `()`",
                Some("put a condition inside the parentheses, or remove them".into()),
            ));
        }
        let node = self.or_chain(Operand::Condition(nest), Ctx::Start)?;
        self.close(')', Closer::Paren(open))?;
        Ok(node)
    }

    /// Skips whitespace and consumes `closer`, or explains what is there.
    fn close(&mut self, closer: char, kind: Closer) -> Result<(), QueryError> {
        self.skip_spaces();
        if self.peek() == Some(closer) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(kind))
        }
    }

    /// `field:values`, `field >= value`, `field:{ nested }` or free text.
    fn condition(&mut self, nest: Option<&Nest>, ctx: Ctx<'_>) -> Result<Node, QueryError> {
        let Some(literal) = self.literal()? else {
            return Err(self.nothing_here(ctx));
        };
        let after = self.spaces_from(literal.end);
        match self.text.get(after) {
            Some(':') => {
                self.check_field_name(&literal)?;
                self.pos = after + 1;
                self.skip_spaces();
                if self.peek() == Some('{') {
                    self.nested(&literal, nest)
                } else {
                    self.push_field(&literal, nest);
                    let field = literal.value.clone();
                    self.values(&field, &literal.term, Ctx::AfterColon(&field, after))
                }
            }
            Some('<' | '>') => self.range(&literal, after, nest),
            _ => {
                self.check_free_text(&literal)?;
                self.pos = literal.end;
                Ok(Node::Is {
                    field: None,
                    phrase: literal.quoted,
                    value: literal.term,
                })
            }
        }
    }

    fn push_field(&mut self, literal: &Literal, nest: Option<&Nest>) {
        let is_pattern = literal.wildcard || nest.is_some_and(|n| n.is_pattern);
        let name = match nest {
            Some(n) => format!("{}.{}", n.path, literal.value),
            None => literal.value.clone(),
        };
        let field = self.text.field(literal.start, name, is_pattern);
        self.fields.push(field);
    }

    /// `parent:{ child:value }`; `self.pos` is at the `{`.
    fn nested(&mut self, field: &Literal, outer: Option<&Nest>) -> Result<Node, QueryError> {
        let open = self.pos;
        self.pos += 1;
        self.skip_spaces();
        let content: Vec<(usize, String)> = {
            let close = (self.pos..self.text.len())
                .find(|&i| self.text.get(i) == Some('}'))
                .unwrap_or(self.text.len());
            self.words(self.pos, close)
        };
        if content.len() == 3 && content[1].1 == "TO" {
            return Err(self.lucene_range(open, &field.value));
        }
        if self.peek() == Some('}') {
            return Err(self.text.error(
                open,
                format!("empty nested query `{}:{{}}`", field.value),
                Some("write the conditions on the nested fields inside the braces, e.g. `parent:{ child:value }`".into()),
            ));
        }
        let nest = Nest {
            path: match outer {
                Some(o) => format!("{}.{}", o.path, field.value),
                None => field.value.clone(),
            },
            is_pattern: field.wildcard || outer.is_some_and(|o| o.is_pattern),
        };
        let query = self.or_chain(Operand::Condition(Some(&nest)), Ctx::Start)?;
        self.close('}', Closer::Brace(open))?;
        Ok(Node::Nested {
            path: field.term.clone(),
            query: Box::new(query),
        })
    }

    /// `field op value`; `op_at` is the index of `<` or `>`.
    fn range(
        &mut self,
        field: &Literal,
        op_at: usize,
        nest: Option<&Nest>,
    ) -> Result<Node, QueryError> {
        let first = self.text.get(op_at).unwrap_or('>');
        let op_len = if self.text.get(op_at + 1) == Some('=') {
            2
        } else {
            1
        };
        let op = self.text.slice(op_at, op_at + op_len);
        // `field => 5`: upstream reads a field named `field =`.
        if !field.quoted {
            let raw = self.text.slice(field.start, op_at);
            let trimmed = raw.trim_end();
            if let Some(last) = trimmed.chars().last().filter(|c| matches!(c, '=' | '!')) {
                let at = field.start + trimmed.chars().count() - 1;
                let op = format!("{last}{first}");
                return Err(self.unknown_operator(at, &op, &op));
            }
        }
        let value_at = self.spaces_from(op_at + op_len);
        if let Some(c @ ('<' | '>' | '=')) = self.text.get(value_at) {
            // `> =` with a space, or `>>`, `<>`, `>==`.
            let written = self.text.slice(op_at, value_at + 1);
            return Err(self.unknown_operator(op_at, &written, &format!("{op}{c}")));
        }
        self.check_field_name(field)?;
        self.push_field(field, nest);
        self.pos = value_at;
        match self.literal()? {
            Some(value) => {
                self.check_value(&value)?;
                let op = match op.as_str() {
                    "<" => RangeOp::Lt,
                    "<=" => RangeOp::Lte,
                    ">" => RangeOp::Gt,
                    _ => RangeOp::Gte,
                };
                Ok(Node::Range {
                    field: field.term.clone(),
                    op,
                    value: value.term,
                })
            }
            None => {
                let found = match self.peek() {
                    None => "the query ends".to_string(),
                    Some(c) => format!("found `{c}`"),
                };
                Err(self.text.error(
                    op_at,
                    format!(
                        "expected a value after `{} {op}`, but {found}",
                        field.value
                    ),
                    Some(format!(
                        "a range compares the field with one number, date or word, e.g. `{} {op} 500`",
                        field.value
                    )),
                ))
            }
        }
    }

    /// `(a or b)` or a single value after `field:`.
    fn values(&mut self, field: &str, term: &Term, ctx: Ctx<'_>) -> Result<Node, QueryError> {
        if self.peek() == Some('(') {
            let open = self.pos;
            self.pos += 1;
            self.skip_spaces();
            if self.peek() == Some(')') {
                return Err(self.text.error(
                    open,
                    format!("empty list of values `{field}:()`"),
                    Some(format!("put at least one value inside, e.g. `{field}:(a or b)`, or `{field}:*` to match any value")),
                ));
            }
            let node = self.or_chain(Operand::Value(field, term), Ctx::Start)?;
            self.close(')', Closer::ValueParen(open))?;
            return Ok(node);
        }
        match self.literal()? {
            Some(value) => {
                self.check_value(&value)?;
                Ok(Node::Is {
                    field: Some(term.clone()),
                    phrase: value.quoted,
                    value: value.term,
                })
            }
            None => Err(self.nothing_here(ctx)),
        }
    }

    // ----- literals ------------------------------------------------------

    fn literal(&mut self) -> Result<Option<Literal>, QueryError> {
        if self.peek() == Some('"') {
            self.quoted().map(Some)
        } else {
            self.unquoted()
        }
    }

    fn quoted(&mut self) -> Result<Literal, QueryError> {
        let start = self.pos;
        let mut i = start + 1;
        let mut value = String::new();
        let mut escaped_quote = None;
        loop {
            match self.text.get(i) {
                None => {
                    let hint = match escaped_quote {
                        Some(at) => format!(
                            "the `\\\"` at column {} is an escaped quote, not the end of the value; \
                             to end a value with a backslash write `\\\\\"`",
                            at + 1
                        ),
                        None => "add the closing `\"`".to_string(),
                    };
                    return Err(self.text.error(
                        start,
                        "this double quote is never closed",
                        Some(hint),
                    ));
                }
                Some('"') => break,
                Some('\\') => {
                    let decoded = match self.text.get(i + 1) {
                        Some('t') => Some('\t'),
                        Some('r') => Some('\r'),
                        Some('n') => Some('\n'),
                        Some(c @ ('\\' | '"')) => Some(c),
                        _ => None,
                    };
                    match decoded {
                        Some(c) => {
                            if c == '"' {
                                escaped_quote = Some(i);
                            }
                            value.push(c);
                            i += 2;
                        }
                        None => {
                            value.push('\\');
                            i += 1;
                        }
                    }
                }
                Some(c) => {
                    value.push(c);
                    i += 1;
                }
            }
        }
        self.pos = i + 1;
        Ok(Literal {
            start,
            end: i + 1,
            term: Term::Literal(serde_json::Value::String(value.clone())),
            value,
            quoted: true,
            wildcard: false,
        })
    }

    /// An unquoted literal, or `None` if there is none at `self.pos` (a
    /// special character, or a `not` keyword).
    fn unquoted(&mut self) -> Result<Option<Literal>, QueryError> {
        let start = self.pos;
        let mut i = start;
        let mut value = String::new();
        let mut wildcard = false;
        let mut pieces: Vec<Piece> = Vec::new();
        let push_text = |pieces: &mut Vec<Piece>, t: &str| match pieces.last_mut() {
            Some(Piece::Text(last)) => last.push_str(t),
            _ => pieces.push(Piece::Text(t.to_string())),
        };
        while let Some(c) = self.text.get(i) {
            if c == '\\' {
                let (decoded, len) = self.escape(i)?;
                value.push_str(&decoded);
                push_text(&mut pieces, &decoded);
                i += len;
                continue;
            }
            if c == '*' {
                wildcard = true;
                value.push(c);
                pieces.push(Piece::Any);
                i += 1;
                continue;
            }
            if SPECIAL.contains(&c) || self.is_keyword(i) {
                break;
            }
            // `&&` and `||`, compared in place (no string per character).
            if let Some(op) = ["&&", "||"].into_iter().find(|op| {
                let mut want = op.chars();
                want.next() == Some(c) && want.next() == self.text.get(i + 1)
            }) {
                return Err(self.lucene_operator(i, op));
            }
            value.push(c);
            push_text(&mut pieces, c.encode_utf8(&mut [0; 4]));
            i += 1;
        }
        if i == start {
            return Ok(None);
        }
        if self.not_keyword(i).is_some() {
            return Err(self.not_inside_value(start, i));
        }
        self.check_stray_keywords(start, i)?;
        self.pos = i;
        // `chars.join('').trim()`: the whitespace at both ends of the whole literal.
        if let Some(Piece::Text(first)) = pieces.first_mut() {
            *first = first.trim_start().to_string();
        }
        if let Some(Piece::Text(last)) = pieces.last_mut() {
            *last = last.trim_end().to_string();
        }
        pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
        Ok(Some(Literal {
            start,
            end: i,
            value: value.trim().to_string(),
            quoted: false,
            wildcard,
            term: unquoted_term(pieces),
        }))
    }

    /// The escape sequence at `at` (a backslash): decoded text and length.
    fn escape(&self, at: usize) -> Result<(String, usize), QueryError> {
        match self.text.get(at + 1) {
            Some('t') => return Ok(("\t".into(), 2)),
            Some('r') => return Ok(("\r".into(), 2)),
            Some('n') => return Ok(("\n".into(), 2)),
            Some(c) if SPECIAL.contains(&c) => return Ok((c.to_string(), 2)),
            _ => {}
        }
        for word in ["or", "and", "not"] {
            if self.word_at(at + 1, word) {
                let len = word.len();
                return Ok((self.text.slice(at + 1, at + 1 + len), len + 1));
            }
        }
        let what = match self.text.get(at + 1) {
            None => "`\\` at the end of the query escapes nothing".to_string(),
            Some(c) => format!("`\\{c}` is not a valid escape"),
        };
        Err(self.text.error(
            at,
            what,
            Some(
                "outside double quotes, `\\` only escapes one of \\ ( ) : < > \" * { } or a keyword \
                 (`\\and`); write `\\\\` for a backslash, or put the value in double quotes"
                    .into(),
            ),
        ))
    }

    // ----- checks beyond the grammar --------------------------------------

    /// A leftover `and`/`or`/`not` word at either end of an unquoted literal:
    /// `a and` at the end of the query, `(a or)`, `not(b)`, `x:and`.
    fn check_stray_keywords(&self, start: usize, end: usize) -> Result<(), QueryError> {
        let words = self.words(start, end);
        let is_op = |w: &str| {
            ["and", "or", "not"]
                .iter()
                .any(|k| w.eq_ignore_ascii_case(k))
        };
        if let Some((at, word)) = words.last().filter(|(_, w)| is_op(w)) {
            let after = at + word.chars().count();
            if self.text.get(after) == Some('(') {
                return Err(self.text.error(
                    *at,
                    format!("put a space between `{word}` and `(`"),
                    Some(format!(
                        "DQL only reads `{word}` as an operator when it is surrounded by spaces"
                    )),
                ));
            }
            let message = if word.eq_ignore_ascii_case("not") {
                "`not` has no condition after it to negate".to_string()
            } else {
                format!("`{word}` has no condition after it")
            };
            return Err(self.text.error(
                *at,
                message,
                Some(format!(
                    "add the missing condition after `{word}` or remove it; {HINT_QUOTE_WORD}"
                )),
            ));
        }
        if let Some((at, word)) = words.first().filter(|(_, w)| is_op(w)) {
            return Err(self.text.error(
                *at,
                format!("`{word}` has no condition before it"),
                Some(format!(
                    "add the missing condition before `{word}` or remove it; {HINT_QUOTE_WORD}"
                )),
            ));
        }
        Ok(())
    }

    /// Field names: `ConsoleLogin event.outcome:x` (missing `and`),
    /// `-user.name:root` and `_exists_:user.name` (Lucene).
    fn check_field_name(&self, field: &Literal) -> Result<(), QueryError> {
        if field.quoted {
            return Ok(());
        }
        let words = self.words(field.start, field.end);
        if let [.., (at, last)] = words.as_slice() {
            if words.len() > 1 {
                return Err(self.text.error(
                    *at,
                    format!("missing `and` or `or` before `{last}`"),
                    Some(format!(
                        "{HINT_AND_OR}; a field name cannot contain spaces \
                         (if yours really does, put it in double quotes)"
                    )),
                ));
            }
        }
        let name = &field.value;
        if let Some(prefix) = ['-', '!', '+'].into_iter().find(|&p| name.starts_with(p)) {
            let rest = &name[1..];
            let hint = if prefix == '+' {
                format!("DQL has no `+`: conditions joined with `and` are all required; write `{rest}:...`")
            } else {
                format!("to exclude matches write `not {rest}:...`")
            };
            return Err(self.text.error(
                field.start,
                format!("DQL does not understand `{prefix}` before a field name"),
                Some(hint),
            ));
        }
        if name == "_exists_" {
            return Err(self.text.error(
                field.start,
                "DQL has no `_exists_:` (that is Lucene syntax)",
                Some(
                    "to match documents that have a field, write `field:*`, e.g. `user.name:*`"
                        .into(),
                ),
            ));
        }
        Ok(())
    }

    /// Free text (a value without a field): `status == 500`, `a = b`.
    fn check_free_text(&self, text: &Literal) -> Result<(), QueryError> {
        if text.quoted {
            return Ok(());
        }
        let words = self.words(text.start, text.end);
        let equality = words
            .iter()
            .find(|(_, w)| w.chars().all(|c| matches!(c, '=' | '!')));
        if let Some((at, op)) = equality {
            let field = words.first().map_or("field", |(_, w)| w.as_str());
            return Err(self.text.error(
                *at,
                format!("DQL has no `{op}` operator"),
                Some(format!(
                    "to match a value write `{field}:value`; for \"not equal\" write `not {field}:value`; \
                     for numbers and dates use `<`, `<=`, `>`, `>=`"
                )),
            ));
        }
        Ok(())
    }

    /// Values: Lucene ranges `[1 TO 5]`.
    fn check_value(&self, value: &Literal) -> Result<(), QueryError> {
        if value.quoted {
            return Ok(());
        }
        let words = self.words(value.start, value.end);
        if value.value.starts_with('[') && words.iter().any(|(_, w)| w == "TO") {
            let field = self.fields.last().map_or("field", |f| f.name.as_str());
            return Err(self.lucene_range(value.start, field));
        }
        Ok(())
    }

    // ----- error messages ---------------------------------------------------

    fn lucene_range(&self, at: usize, field: &str) -> QueryError {
        self.text.error(
            at,
            "DQL has no `[a TO b]` ranges (that is Lucene syntax)",
            Some(format!(
                "write the bounds as two conditions, e.g. `{field} >= 10 and {field} <= 20`"
            )),
        )
    }

    fn lucene_operator(&self, at: usize, op: &str) -> QueryError {
        let word = if op == "&&" { "and" } else { "or" };
        self.text.error(
            at,
            format!("DQL does not understand `{op}`"),
            Some(format!(
                "DQL uses `and`/`or`/`not`; `{}` works too but `{op}` does not: write `{word}`; \
                 to search for `{op}` itself, put the value in double quotes",
                word.to_uppercase()
            )),
        )
    }

    /// `written` is the operator as written, `op` without whitespace.
    fn unknown_operator(&self, at: usize, written: &str, op: &str) -> QueryError {
        let hint = match op {
            ">=" | "<=" => format!("write `{op}` without a space"),
            "=>" => "write `>=`".to_string(),
            "=<" => "write `<=`".to_string(),
            "<>" | "!>" | "!<" => "for \"not equal\" write `not field:value`".to_string(),
            _ => "DQL ranges use `<`, `<=`, `>` or `>=`, e.g. `bytes >= 1000`".to_string(),
        };
        self.text.error(
            at,
            format!("`{written}` is not a DQL range operator"),
            Some(hint),
        )
    }

    /// An unquoted literal stopped at `not ` inside it: `message:cannot
    /// login` (`not` ends a word) or `a:b not c:d`.
    fn not_inside_value(&self, start: usize, at: usize) -> QueryError {
        let mid_word = at > start && !self.text.get(at - 1).is_some_and(is_space);
        if !mid_word {
            return self.text.error(
                at,
                "`not` cannot follow a value directly",
                Some(format!(
                    "join the conditions with `and` or `or`, e.g. `... and not user.name:root`; {HINT_QUOTE_WORD}"
                )),
            );
        }
        // What the analyst probably meant as the value: up to the next
        // special character or keyword.
        let mut end = at + 3;
        while let Some(c) = self.text.get(end) {
            if SPECIAL.contains(&c)
                || self.binary_keyword(end, "or").is_some()
                || self.binary_keyword(end, "and").is_some()
            {
                break;
            }
            end += 1;
        }
        let word_start = (start..at)
            .rev()
            .find(|&i| self.text.get(i).is_some_and(is_space))
            .map_or(start, |i| i + 1);
        let word = self.text.slice(word_start, at + 3);
        let value = self.text.slice(start, end);
        self.text.error(
            at,
            format!("DQL reads the `not` at the end of `{word}` as the `not` operator"),
            Some(format!(
                "put the value in double quotes: `\"{}\"`",
                value.trim()
            )),
        )
    }

    /// Nothing usable at `self.pos` where a condition or value must start.
    fn nothing_here(&self, ctx: Ctx<'_>) -> QueryError {
        let at = self.pos;
        let c = self.peek();
        match (ctx, c) {
            (Ctx::AfterNot(not_at), _) if self.not_keyword(at).is_some() => self.text.error(
                at,
                "`not` cannot directly follow another `not`",
                Some(format!(
                    "remove both, or use parentheses: `not (not ...)` (the first `not` is at column {})",
                    not_at + 1
                )),
            ),
            (Ctx::AfterColon(field, _), _) if self.not_keyword(at).is_some() => self.text.error(
                at,
                format!("`not` cannot come right after `{field}:`"),
                Some(format!(
                    "write `not {field}:value`, or `{field}:(not value)`; {HINT_QUOTE_WORD}"
                )),
            ),
            (Ctx::AfterColon(field, _), Some(c @ ('<' | '>'))) => {
                let op = if self.text.get(at + 1) == Some('=') {
                    format!("{c}=")
                } else {
                    c.to_string()
                };
                let from = self.spaces_from(at + op.len());
                let to = (from..=self.text.len())
                    .find(|&i| {
                        self.text
                            .get(i)
                            .is_none_or(|c| is_space(c) || SPECIAL.contains(&c))
                    })
                    .unwrap_or(from);
                let value = match self.text.slice(from, to) {
                    v if v.is_empty() => "500".to_string(),
                    v => v,
                };
                self.text.error(
                    at,
                    format!("unexpected `{op}` after `{field}:`"),
                    Some(format!(
                        "DQL ranges have no colon: write `{field} {op} {value}`"
                    )),
                )
            }
            (Ctx::AfterColon(field, colon), found) => {
                let found = match found {
                    None => "the query ends".to_string(),
                    Some(c) => format!("found `{c}`"),
                };
                self.text.error(
                    colon,
                    format!("expected a value after `{field}:`, but {found}"),
                    Some(format!(
                        "write `{field}:value`, or `{field}:*` to match any value; \
                         put values that contain spaces or any of \\ ( ) : < > \" {{ }} in double quotes"
                    )),
                )
            }
            (Ctx::AfterOp(op_at, op), None) => self.text.error(
                op_at,
                format!("the query ends with `{op}`"),
                Some(format!("add the condition that should follow `{op}`, or remove it")),
            ),
            (Ctx::AfterOp(op_at, op), Some(c)) => self.text.error(
                op_at,
                format!("`{op}` is followed by `{c}` instead of a condition"),
                Some(format!("add the condition that should follow `{op}`, or remove it")),
            ),
            (Ctx::AfterNot(not_at), None) => self.text.error(
                not_at,
                "the query ends with `not`",
                Some("add the condition to exclude after `not`, e.g. `not user.name:root`".into()),
            ),
            (Ctx::AfterNot(not_at), Some(c)) => self.text.error(
                not_at,
                format!("`not` is followed by `{c}` instead of a condition"),
                Some("add the condition to exclude after `not`, e.g. `not user.name:root`".into()),
            ),
            (Ctx::Start, Some(':')) => self.text.error(
                at,
                "`:` must follow a field name",
                Some("write `field:value`; to search for a colon, put the value in double quotes".into()),
            ),
            (Ctx::Start, Some(c @ ('<' | '>'))) => self.text.error(
                at,
                format!("`{c}` must follow a field name"),
                Some("write a range as `field >= value`, e.g. `http.response.status_code >= 500`".into()),
            ),
            (Ctx::Start, Some('{')) => self.text.error(
                at,
                "`{` must follow a field name",
                Some("a nested query is written `parent:{ child:value }`".into()),
            ),
            (Ctx::Start, c) => self.text.error(
                at,
                match c {
                    Some(c) => format!("expected a condition, found `{c}`"),
                    None => "expected a condition".to_string(),
                },
                Some("write a condition such as `field:value`, or a word to search for".into()),
            ),
        }
    }

    /// Something other than `closer` after a complete query or group.
    fn unexpected(&self, closer: Closer) -> QueryError {
        let at = self.pos;
        let Some(c) = self.peek() else {
            let (open, what, close) = match closer {
                Closer::Paren(open) | Closer::ValueParen(open) => (open, "(", ")"),
                Closer::Brace(open) => (open, "{", "}"),
                Closer::End => return self.text.error(at, "unexpected end of the query", None),
            };
            return self.text.error(
                open,
                format!("this `{what}` is never closed"),
                Some(format!("add the missing `{close}`")),
            );
        };
        match c {
            ')' | '}' => {
                let open = match closer {
                    Closer::Paren(open) | Closer::ValueParen(open) => Some(('(', ')', open)),
                    Closer::Brace(open) => Some(('{', '}', open)),
                    Closer::End => None,
                };
                match open {
                    Some((o, want, open)) => self.text.error(
                        at,
                        format!(
                            "expected `{want}` to close the `{o}` at column {}, found `{c}`",
                            open + 1
                        ),
                        Some("check that every `(` has its `)` and every `{` its `}`".into()),
                    ),
                    None => {
                        let o = if c == ')' { '(' } else { '{' };
                        self.text.error(
                            at,
                            format!("this `{c}` has no matching `{o}`"),
                            Some(format!("remove it, or add the missing `{o}`")),
                        )
                    }
                }
            }
            ':' => self.unexpected_colon(closer),
            '(' => self.text.error(
                at,
                "missing `and` or `or` before `(`",
                Some(HINT_AND_OR.into()),
            ),
            '"' => self.text.error(
                at,
                "missing `and` or `or` before this quoted value",
                Some(format!(
                    "{HINT_AND_OR}; a value is one quoted string, e.g. `message:\"failed password\"`"
                )),
            ),
            '<' | '>' => self.text.error(
                at,
                format!("unexpected `{c}`"),
                Some(format!(
                    "a range is written `field {c}= value` with the field name right before `{c}`; \
                     to search for `{c}`, put the value in double quotes"
                )),
            ),
            '{' => self.text.error(
                at,
                "unexpected `{`",
                Some("a nested query is written `parent:{ child:value }`".into()),
            ),
            _ => {
                if let Some(op) = ["&&", "||"]
                    .into_iter()
                    .find(|op| self.text.slice(at, at + 2) == *op)
                {
                    return self.lucene_operator(at, op);
                }
                let end = (at..=self.text.len())
                    .find(|&i| {
                        self.text
                            .get(i)
                            .is_none_or(|c| is_space(c) || SPECIAL.contains(&c))
                    })
                    .unwrap_or(at);
                let word = self.text.slice(at, end);
                if ["and", "or"].iter().any(|k| word.eq_ignore_ascii_case(k)) {
                    self.text.error(
                        at,
                        format!("put a space before and after `{word}`"),
                        Some(format!(
                            "DQL only reads `{word}` as an operator when it is surrounded by spaces"
                        )),
                    )
                } else if self.not_keyword(at).is_some() {
                    self.text.error(
                        at,
                        "missing `and` or `or` before `not`",
                        Some("join the conditions, e.g. `event.outcome:failure and not user.name:root`".into()),
                    )
                } else {
                    self.text.error(
                        at,
                        format!("missing `and` or `or` before `{word}`"),
                        Some(format!(
                            "{HINT_AND_OR}; put values that contain spaces in double quotes"
                        )),
                    )
                }
            }
        }
    }

    /// A `:` where no field can start: `a:b c:d` (missing `and`), or a value
    /// with a colon (`url.full:http://x`, IPv6, `C:\`).
    fn unexpected_colon(&self, closer: Closer) -> QueryError {
        let at = self.pos;
        let word_start = (0..at)
            .rev()
            .find(|&i| {
                self.text
                    .get(i)
                    .is_some_and(|c| is_space(c) || SPECIAL.contains(&c))
            })
            .map_or(0, |i| i + 1);
        let separated = word_start > 0
            && word_start < at
            && self.text.get(word_start - 1).is_some_and(is_space);
        if separated {
            let word = self.text.slice(word_start, at);
            if let Closer::ValueParen(open) = closer {
                return self.text.error(
                    word_start,
                    format!("a list of values cannot contain the condition `{word}:...`"),
                    Some(format!(
                        "close the list (opened at column {}) before `{word}`, and join the conditions with `and` or `or`",
                        open + 1
                    )),
                );
            }
            return self.text.error(
                word_start,
                format!("missing `and` or `or` before `{word}`"),
                Some(format!(
                    "{HINT_AND_OR}; put values that contain spaces in double quotes"
                )),
            );
        }
        self.text.error(
            at,
            "unexpected `:` inside a value",
            Some(
                "put values that contain `:` in double quotes (`source.ip:\"2001:db8::1\"`, \
                 `url.full:\"https://example.com/\"`), or escape each colon as `\\:`"
                    .into(),
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::query::testing::{f, p};
    use crate::query::Language;

    fn fields(query: &str) -> Vec<(String, usize, bool)> {
        crate::query::testing::fields(Language::Dql, query)
    }

    fn error(query: &str) -> QueryError {
        crate::query::testing::error(Language::Dql, query)
    }

    fn fails(query: &str, column: usize, message: &str, hint: &str) {
        crate::query::testing::fails(Language::Dql, query, column, message, hint);
    }

    // ----- valid queries -------------------------------------------------

    #[test]
    fn empty_queries_match_everything() {
        assert_eq!(fields(""), vec![]);
        assert_eq!(fields("   \n\t"), vec![]);
    }

    #[test]
    fn cloudtrail_console_logins() {
        assert_eq!(
            fields("event.action:ConsoleLogin and event.outcome:failure"),
            vec![f("event.action", 1), f("event.outcome", 31)]
        );
        assert_eq!(
            fields("event.action:ConsoleLogin AND event.outcome:failure"),
            vec![f("event.action", 1), f("event.outcome", 31)]
        );
    }

    #[test]
    fn ip_addresses_and_cidrs() {
        assert_eq!(fields("source.ip:203.0.113.5"), vec![f("source.ip", 1)]);
        assert_eq!(fields("source.ip: \"10.0.0.0/8\""), vec![f("source.ip", 1)]);
        assert_eq!(fields("source.ip:10.0.0.0/8"), vec![f("source.ip", 1)]);
        assert_eq!(
            fields("source.ip:\"2001:db8::1\" or destination.ip:2001\\:db8\\:\\:1"),
            vec![f("source.ip", 1), f("destination.ip", 28)]
        );
    }

    #[test]
    fn not_and_value_lists() {
        assert_eq!(
            fields("not user.name:root and event.action:(CreateUser or CreateAccessKey or AttachUserPolicy)"),
            vec![f("user.name", 5), f("event.action", 24)]
        );
        assert_eq!(
            fields("event.action:(CreateUser or (CreateAccessKey and not AttachUserPolicy))"),
            vec![f("event.action", 1)]
        );
        assert_eq!(
            fields("NOT (user.name:root OR user.name:admin)"),
            vec![f("user.name", 6), f("user.name", 24)]
        );
        assert_eq!(fields("user.name:(not root)"), vec![f("user.name", 1)]);
    }

    #[test]
    fn ranges() {
        assert_eq!(
            fields("http.response.status_code >= 500"),
            vec![f("http.response.status_code", 1)]
        );
        assert_eq!(
            fields("destination.port<1024 and network.bytes>1000000"),
            vec![f("destination.port", 1), f("network.bytes", 27)]
        );
        assert_eq!(
            fields("@timestamp <= \"2024-01-31T23:59:59Z\" and @timestamp > now-1d"),
            vec![f("@timestamp", 1), f("@timestamp", 42)]
        );
        assert_eq!(
            fields("aws.cloudtrail.error_code:* and event.duration < 5"),
            vec![f("aws.cloudtrail.error_code", 1), f("event.duration", 33)]
        );
    }

    #[test]
    fn wildcards_and_exists() {
        assert_eq!(
            fields("user_agent.original:*sqlmap*"),
            vec![f("user_agent.original", 1)]
        );
        assert_eq!(fields("user.name:*"), vec![f("user.name", 1)]);
        assert_eq!(
            fields("user.*:admin and *:x"),
            vec![p("user.*", 1), p("*", 18)]
        );
        assert_eq!(
            fields("dns.question.name:*.onion"),
            vec![f("dns.question.name", 1)]
        );
    }

    #[test]
    fn quoted_phrases_and_escapes() {
        assert_eq!(
            fields(r#"message:"Failed password for invalid user" and process.name:sshd"#),
            vec![f("message", 1), f("process.name", 48)]
        );
        assert_eq!(
            fields(r#"process.command_line:"powershell -enc \"abc\"""#),
            vec![f("process.command_line", 1)]
        );
        // A lone backslash is fine inside quotes.
        assert_eq!(
            fields(r#"file.path:"C:\Windows\System32\cmd.exe""#),
            vec![f("file.path", 1)]
        );
        assert_eq!(
            fields(r"file.path:C\:\\Windows\\Temp\\\*.exe"),
            vec![f("file.path", 1)]
        );
        assert_eq!(
            fields(r"message:\(sshd\) and tags:\and"),
            vec![f("message", 1), f("tags", 22)]
        );
        // An escaped `*` in a field name is a literal star, not a pattern.
        assert_eq!(fields(r"odd\*name:x"), vec![f("odd*name", 1)]);
        assert_eq!(fields(r"a\:b:x"), vec![f("a:b", 1)]);
    }

    #[test]
    fn unquoted_values_may_contain_spaces_and_punctuation() {
        assert_eq!(fields("message:failed password"), vec![f("message", 1)]);
        assert_eq!(
            fields("url.original:/wp-admin/admin-ajax.php?action=revslider"),
            vec![f("url.original", 1)]
        );
        assert_eq!(
            fields("user.email:alice@example.com or related.hosts:web-01.prod"),
            vec![f("user.email", 1), f("related.hosts", 33)]
        );
        assert_eq!(fields("event.code:-1"), vec![f("event.code", 1)]);
        // Words that merely contain a keyword are plain words.
        assert_eq!(
            fields("host.name:orion and tags:android or x:notepad"),
            vec![f("host.name", 1), f("tags", 21), f("x", 37)]
        );
    }

    #[test]
    fn keywords_are_case_insensitive() {
        assert_eq!(
            fields("Not a:1 aNd b:2 Or c:3"),
            vec![f("a", 5), f("b", 13), f("c", 20)]
        );
        assert_eq!(fields("x:(a OR b AND NOT c)"), vec![f("x", 1)]);
    }

    #[test]
    fn bundled_style_searches() {
        assert_eq!(
            fields(
                "event.action:ACCEPT\nand source.ip:(\"10.0.0.0/8\" or \"172.16.0.0/12\")\nand not destination.ip:(\"10.0.0.0/8\")"
            ),
            vec![f("event.action", 1), f("source.ip", 25), f("destination.ip", 77)]
        );
        assert_eq!(
            fields("event.severity >= 7 and not aws.guardduty.service.archived:true"),
            vec![
                f("event.severity", 1),
                f("aws.guardduty.service.archived", 29)
            ]
        );
        assert_eq!(
            fields("event.action:accepted-*"),
            vec![f("event.action", 1)]
        );
    }

    #[test]
    fn free_text_names_no_field() {
        assert_eq!(fields("sqlmap"), vec![]);
        assert_eq!(fields("\"Accepted publickey\" or mimikatz"), vec![]);
        assert_eq!(
            fields("error and source.ip:10.1.2.3"),
            vec![f("source.ip", 11)]
        );
    }

    #[test]
    fn nested_queries_report_parent_dot_child() {
        assert_eq!(
            fields("aws.guardduty:{ service.action.action_type:PORT_PROBE and severity >= 7 }"),
            vec![
                f("aws.guardduty.service.action.action_type", 17),
                f("aws.guardduty.severity", 59)
            ]
        );
        assert_eq!(fields("a:{ b:{ c:x } }"), vec![f("a.b.c", 9)]);
        assert_eq!(
            fields("findings:{ resource.*:x }"),
            vec![p("findings.resource.*", 12)]
        );
    }

    #[test]
    fn quoted_field_names() {
        assert_eq!(fields("\"user.name\":root"), vec![f("user.name", 1)]);
        assert_eq!(fields("\"odd field\" >= 3"), vec![f("odd field", 1)]);
    }

    #[test]
    fn multi_line_queries_from_yaml_block_scalars() {
        let query =
            "event.dataset:aws.cloudtrail\n  and event.action:(DeleteTrail or StopLogging)\n";
        let fields = parse(query).unwrap();
        assert_eq!(fields.len(), 2);
        assert_eq!(
            (fields[1].name.as_str(), fields[1].line, fields[1].column),
            ("event.action", 2, 36)
        );
    }

    #[test]
    fn whitespace_around_operators_and_colons() {
        assert_eq!(
            fields("  ( event.action : ConsoleLogin )\tand\n\tevent.outcome :failure  "),
            vec![f("event.action", 5), f("event.outcome", 40)]
        );
        assert_eq!(
            fields("process.name:(cmd.exe or powershell.exe)"),
            vec![f("process.name", 1)]
        );
    }

    // ----- errors --------------------------------------------------------

    #[test]
    fn missing_value() {
        fails(
            "event.action:",
            13,
            "expected a value after `event.action:`, but the query ends",
            "`event.action:*` to match any value",
        );
        fails(
            "user.name:root and event.action: ",
            32,
            "expected a value after `event.action:`, but the query ends",
            "event.action:value",
        );
        fails(
            "event.action:)",
            13,
            "expected a value after `event.action:`, but found `)`",
            "double quotes",
        );
        let e = error("event.action:");
        assert_eq!(
            e.to_string(),
            "column 13: expected a value after `event.action:`, but the query ends"
        );
    }

    #[test]
    fn unbalanced_parentheses() {
        fails("(a:1 or b:2", 1, "this `(` is never closed", "`)`");
        fails(
            "a:1 or b:2)",
            11,
            "this `)` has no matching `(`",
            "remove it",
        );
        fails("x:(a or b", 3, "this `(` is never closed", "`)`");
        fails("p:{ c:1 ", 3, "this `{` is never closed", "`}`");
        fails(
            "p:{ c:1 )",
            9,
            "expected `}` to close the `{` at column 3, found `)`",
            "every `(`",
        );
        fails(
            "(a:1 }",
            6,
            "expected `)` to close the `(` at column 1, found `}`",
            "every `(`",
        );
        fails("a }", 3, "this `}` has no matching `{`", "remove it");
        fails("()", 1, "empty parentheses `()`", "put a condition");
        fails("x:( )", 3, "empty list of values `x:()`", "x:(a or b)");
        fails(
            "p:{}",
            3,
            "empty nested query `p:{}`",
            "parent:{ child:value }",
        );
    }

    #[test]
    fn unbalanced_quotes() {
        fails(
            "message:\"failed password",
            9,
            "this double quote is never closed",
            "add the closing `\"`",
        );
        fails(
            r#"file.path:"C:\temp\" and x:1"#,
            11,
            "this double quote is never closed",
            "`\\\"` at column 19 is an escaped quote",
        );
    }

    #[test]
    fn dangling_operators() {
        fails(
            "event.action:x and",
            16,
            "`and` has no condition after it",
            "add the missing condition",
        );
        fails(
            "event.action:x and\n",
            16,
            "the query ends with `and`",
            "add the condition",
        );
        fails("a:1 or ", 5, "the query ends with `or`", "or remove it");
        fails(
            "a:1 or )",
            5,
            "`or` is followed by `)` instead of a condition",
            "remove it",
        );
        fails(
            "and a:1",
            1,
            "`and` has no condition before it",
            "double quotes",
        );
        fails(
            "a:1 or or b:2",
            8,
            "`or` has no condition before it",
            "remove it",
        );
        fails("x:(a or)", 6, "`or` has no condition after it", "remove it");
        fails(
            "x:and",
            3,
            "`and` has no condition after it",
            "double quotes",
        );
    }

    #[test]
    fn not_at_the_end_or_misplaced() {
        fails(
            "a:1 and not",
            9,
            "`not` has no condition after it to negate",
            "remove it",
        );
        fails(
            "a:1 and not ",
            9,
            "the query ends with `not`",
            "not user.name:root",
        );
        fails(
            "not not a:1",
            5,
            "`not` cannot directly follow another `not`",
            "not (not ...)",
        );
        fails(
            "user.name:not root",
            11,
            "`not` cannot come right after `user.name:`",
            "`not user.name:value`",
        );
        fails(
            "a:b not c:d",
            5,
            "`not` cannot follow a value directly",
            "and not",
        );
        fails(
            "(a:b) not c:d",
            7,
            "missing `and` or `or` before `not`",
            "and not",
        );
        fails(
            "not(a:1)",
            1,
            "put a space between `not` and `(`",
            "surrounded by spaces",
        );
    }

    #[test]
    fn not_at_the_end_of_a_word_is_the_operator() {
        fails(
            "message:cannot login",
            12,
            "DQL reads the `not` at the end of `cannot` as the `not` operator",
            "`\"cannot login\"`",
        );
        // So is a trailing `not` before a YAML block scalar's final newline.
        fails(
            "message:cannot\n",
            12,
            "DQL reads the `not` at the end of `cannot` as the `not` operator",
            "`\"cannot\"`",
        );
        // At the very end it is just a word.
        assert_eq!(fields("message:cannot"), vec![f("message", 1)]);
    }

    #[test]
    fn operators_need_surrounding_spaces() {
        fails(
            "a:1 or(b:2)",
            5,
            "put a space between `or` and `(`",
            "surrounded by spaces",
        );
        fails(
            "(a:1)and b:2",
            6,
            "put a space before and after `and`",
            "surrounded by spaces",
        );
        fails(
            "(a:1) (b:2)",
            7,
            "missing `and` or `or` before `(`",
            "`and` or `or`",
        );
    }

    #[test]
    fn missing_and_or_between_conditions() {
        fails(
            "event.action:ConsoleLogin event.outcome:failure",
            27,
            "missing `and` or `or` before `event.outcome`",
            "event.action:ConsoleLogin and event.outcome:failure",
        );
        fails(
            "ConsoleLogin event.outcome:failure",
            14,
            "missing `and` or `or` before `event.outcome`",
            "put it in double quotes",
        );
        fails(
            "message:\"failed password\" user.name:root",
            27,
            "missing `and` or `or` before `user.name`",
            "`and` or `or`",
        );
        fails(
            "a:1 \"quoted\"",
            5,
            "missing `and` or `or` before this quoted value",
            "message:\"failed password\"",
        );
        fails(
            "x:(a b:c)",
            6,
            "a list of values cannot contain the condition `b:...`",
            "column 3",
        );
    }

    #[test]
    fn colons_inside_values() {
        fails(
            "source.ip:2001:db8::1",
            15,
            "unexpected `:` inside a value",
            "source.ip:\"2001:db8::1\"",
        );
        fails(
            "url.full:https://example.com",
            15,
            "unexpected `:` inside a value",
            "`\\:`",
        );
        fails(":foo", 1, "`:` must follow a field name", "field:value");
    }

    #[test]
    fn lucene_syntax_is_explained() {
        fails(
            "a:1 && b:2",
            5,
            "DQL does not understand `&&`",
            "DQL uses `and`/`or`/`not`; `AND` works too but `&&` does not",
        );
        fails(
            "(a:1) || (b:2)",
            7,
            "DQL does not understand `||`",
            "write `or`",
        );
        fails(
            "-user.name:root",
            1,
            "DQL does not understand `-` before a field name",
            "not user.name:...",
        );
        fails(
            "!user.name:root",
            1,
            "DQL does not understand `!` before a field name",
            "not user.name",
        );
        fails(
            "+event.outcome:failure",
            1,
            "DQL does not understand `+` before a field name",
            "all required",
        );
        fails(
            "_exists_:user.name",
            1,
            "DQL has no `_exists_:` (that is Lucene syntax)",
            "user.name:*",
        );
        fails(
            "destination.port:[1 TO 1024]",
            18,
            "DQL has no `[a TO b]` ranges (that is Lucene syntax)",
            "destination.port >= 10 and destination.port <= 20",
        );
        fails(
            "bytes:{1 TO 5}",
            7,
            "DQL has no `[a TO b]` ranges (that is Lucene syntax)",
            "bytes >= 10",
        );
        fails(
            "http.response.status_code:>=500",
            27,
            "unexpected `>=` after `http.response.status_code:`",
            "write `http.response.status_code >= 500`",
        );
    }

    #[test]
    fn unknown_range_operators() {
        fails(
            "bytes => 100",
            7,
            "`=>` is not a DQL range operator",
            "write `>=`",
        );
        fails(
            "bytes =< 100",
            7,
            "`=<` is not a DQL range operator",
            "write `<=`",
        );
        fails(
            "bytes <> 100",
            7,
            "`<>` is not a DQL range operator",
            "not field:value",
        );
        fails(
            "bytes > = 100",
            7,
            "`> =` is not a DQL range operator",
            "write `>=` without a space",
        );
        fails(
            "bytes >> 100",
            7,
            "`>>` is not a DQL range operator",
            "`<`, `<=`, `>` or `>=`",
        );
        fails(
            "status == 500",
            8,
            "DQL has no `==` operator",
            "`status:value`",
        );
        fails(
            "user.name != root",
            11,
            "DQL has no `!=` operator",
            "not user.name:value",
        );
        fails(
            "bytes >= ",
            7,
            "expected a value after `bytes >=`, but the query ends",
            "bytes >= 500",
        );
        fails(
            "bytes > (1)",
            7,
            "expected a value after `bytes >`, but found `(`",
            "bytes > 500",
        );
        fails("> 5", 1, "`>` must follow a field name", "field >= value");
        fails("(a:1) > 5", 7, "unexpected `>`", "field name right before");
    }

    #[test]
    fn invalid_escapes() {
        fails(
            r"path:C:\Users",
            7,
            "unexpected `:` inside a value",
            "double quotes",
        );
        fails(
            r"path:C\:\Users",
            9,
            r"`\U` is not a valid escape",
            r"write `\\` for a backslash",
        );
        fails(
            r"a:b\",
            4,
            r"`\` at the end of the query escapes nothing",
            "double quotes",
        );
    }

    #[test]
    fn misplaced_braces() {
        fails("a {", 3, "unexpected `{`", "parent:{ child:value }");
        fails(
            "{ a:1 }",
            1,
            "`{` must follow a field name",
            "parent:{ child:value }",
        );
    }

    #[test]
    fn errors_on_later_lines_report_the_line() {
        let e = error("event.dataset:aws.cloudtrail and\n  event.action:");
        assert_eq!((e.line, e.column), (2, 48));
        assert_eq!(
            e.to_string(),
            "column 48 (line 2): expected a value after `event.action:`, but the query ends"
        );
    }

    // ----- trees (cases from upstream's kuery/ast/ast.test.ts) ----------------------------

    fn tree(query: &str) -> Node {
        parse_tree(query).unwrap().0
    }

    fn lit(v: serde_json::Value) -> Term {
        Term::Literal(v)
    }

    fn is(field: &str, value: serde_json::Value, phrase: bool) -> Node {
        Node::Is {
            field: Some(lit(value_of(field))),
            value: lit(value),
            phrase,
        }
    }

    fn value_of(s: &str) -> serde_json::Value {
        serde_json::Value::String(s.to_string())
    }

    #[test]
    fn trees_follow_the_grammar() {
        use serde_json::json;
        assert_eq!(
            tree(""),
            Node::Is {
                field: Some(Term::any()),
                value: Term::any(),
                phrase: false
            }
        );
        assert_eq!(
            tree("foo"),
            Node::Is {
                field: None,
                value: lit(json!("foo")),
                phrase: false
            }
        );
        assert_eq!(tree("foo:bar"), is("foo", json!("bar"), false));
        assert_eq!(tree("foo:\"bar baz\""), is("foo", json!("bar baz"), true));
        assert_eq!(tree("foo:200"), is("foo", json!(200), false));
        assert_eq!(tree("foo:-1.5"), is("foo", json!(-1.5), false));
        assert_eq!(tree("foo:0100"), is("foo", json!("0100"), false));
        assert_eq!(tree("foo:true"), is("foo", json!(true), false));
        assert_eq!(tree("foo:\"true\""), is("foo", json!("true"), true));
        assert_eq!(
            tree("foo:bar or baz:qux and not a:b"),
            Node::Or(vec![
                is("foo", json!("bar"), false),
                Node::And(vec![
                    is("baz", json!("qux"), false),
                    Node::Not(Box::new(is("a", json!("b"), false)))
                ])
            ])
        );
        assert_eq!(
            tree("foo:(bar or baz)"),
            Node::Or(vec![
                is("foo", json!("bar"), false),
                is("foo", json!("baz"), false)
            ])
        );
        assert_eq!(
            tree("bytes >= 1000"),
            Node::Range {
                field: lit(json!("bytes")),
                op: RangeOp::Gte,
                value: lit(json!(1000))
            }
        );
        assert_eq!(
            tree("ma*ne:wi\\*n*"),
            Node::Is {
                field: Some(Term::Wildcard(vec![
                    Piece::Text("ma".into()),
                    Piece::Any,
                    Piece::Text("ne".into())
                ])),
                value: Term::Wildcard(vec![Piece::Text("wi*n".into()), Piece::Any]),
                phrase: false
            }
        );
        assert_eq!(
            tree("n:{ a:b }"),
            Node::Nested {
                path: lit(json!("n")),
                query: Box::new(is("a", json!("b"), false))
            }
        );
        // An unquoted literal is trimmed as a whole, inner spaces kept.
        assert_eq!(
            tree("message:failed  password "),
            is("message", json!("failed  password"), false)
        );
    }
}
