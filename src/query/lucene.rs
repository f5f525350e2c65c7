//! Lucene query string syntax, as OpenSearch's `query_string` query parses it:
//! Lucene's classic `QueryParser.jj` (tokens and grammar reproduced below)
//! plus OpenSearch's `QueryStringQueryParser` (`_exists_:field`, and
//! `field:>=10` style one-sided ranges, which are plain terms to the grammar).
//!
//! ```text
//! query  = [+|-|NOT] clause ( [AND|OR] [+|-|NOT] clause )*
//! clause = [ TERM ":" | "*" ":" ] ( term | "(" query ")" ["^" NUMBER] )
//! term   = (TERM | "*" | PREFIXTERM | WILDTERM | REGEXP | BAREOPER) [boost/fuzzy]
//!        | ("[" | "{") bound "TO" bound ("]" | "}") ["^" NUMBER]
//!        | QUOTED [boost/slop]
//! ```
//!
//! Tokens are matched longest first (ties go to the kind declared first, the
//! order of `Kind`), and whitespace separates them. A term starts with any
//! character but whitespace and `+ - ! ( ) : ^ [ ] " { } ~ * ? \ /`, continues
//! with the same plus `-` and `+`, and `\` escapes any character (`\u` takes
//! four hex digits). `AND`/`OR`/`NOT` are upper case; `&&`, `||` and `!` are
//! their synonyms. A `*` in a field name must be escaped: `user.\*:x`.
//!
//! Beyond the grammar, this parser rejects a few things OpenSearch accepts but
//! that are almost certainly mistakes, each with a hint: lower-case
//! `and`/`or`/`not` (plain search words in Lucene), `TO` outside brackets, a
//! regex glued to a term (`/etc/passwd` is the regex `/etc/` then `passwd`),
//! `field:>=` with the value after a space, `_exists_:` with a wildcard term,
//! and a fuzziness that is not a number (`term~abc`, which fails at search
//! time).

use super::{FieldRef, QueryError, Text};

/// Checks a Lucene query and returns the fields it names, in order.
pub(crate) fn parse(query: &str) -> Result<Vec<FieldRef>, QueryError> {
    parse_tree(query).map(|(_, fields)| fields)
}

/// Parses a Lucene query into the clauses `QueryParser.jj` reads (conjunction, modifier and
/// query of each, before `addClause` weighs them), with the fields it names. An all-blank
/// query is `None`.
pub(crate) fn parse_tree(query: &str) -> Result<(Option<Node>, Vec<FieldRef>), QueryError> {
    if query.chars().all(is_space) {
        return Ok((None, Vec::new()));
    }
    let text = Text::new(query);
    let (tokens, lex_error) = Lexer { text: &text }.tokens();
    let mut parser = Parser {
        text: &text,
        tokens,
        lex_error,
        next: 0,
        fields: Vec::new(),
    };
    let node = parser.query(&Scope::Default)?;
    match parser.peek()?.kind {
        Kind::Eof => Ok((Some(node), parser.fields)),
        _ => Err(parser.unexpected(None)),
    }
}

/// A node of a Lucene query as `QueryParser.jj` builds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// `Query()`: clauses with their conjunction and modifier.
    Query(Vec<Clause>),
    /// A term, phrase, wildcard, prefix, regexp or fuzzy term.
    Term {
        field: Field,
        kind: TermKind,
        /// The token as written (escapes kept; a phrase without its quotes).
        image: String,
        /// `discardEscapeChar` of the image (a prefix term without its `*`).
        text: String,
        /// `~N` after it, without the `~`.
        slop: Option<String>,
    },
    /// `[a TO b]`, `{a TO b}`; `*` is an open end.
    Range {
        field: Field,
        low: Option<String>,
        high: Option<String>,
        include_low: bool,
        include_high: bool,
    },
}

/// A clause of `Query()`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Clause {
    pub(crate) conj: Conj,
    pub(crate) modifier: Modifier,
    pub(crate) node: Node,
}

/// `CONJ_NONE`, `CONJ_AND`, `CONJ_OR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conj {
    None,
    And,
    Or,
}

/// `MOD_NONE`, `MOD_REQ` (`+`), `MOD_NOT` (`-`, `!`, `NOT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Modifier {
    None,
    Req,
    Not,
}

/// The field a term is searched in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field {
    /// No `field:`: the query's default fields.
    Default,
    Named(String),
    /// `_exists_:`: the term is a field name.
    Exists,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermKind {
    Term,
    Phrase,
    /// `*` or a term with `*`/`?` (`WILDTERM`, `STAR`).
    Wildcard,
    /// `PREFIXTERM`: `foo*`.
    Prefix,
    Regexp,
    /// A bare term with `~`.
    Fuzzy,
}

impl Scope {
    fn field(&self) -> Field {
        match self {
            Scope::Default => Field::Default,
            Scope::Field(name) => Field::Named(name.clone()),
            Scope::Exists => Field::Exists,
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{3000}')
}

/// Characters that cannot start a term unless escaped.
const NOT_TERM_START: &[char] = &[
    '+', '-', '!', '(', ')', ':', '^', '[', ']', '"', '{', '}', '~', '*', '?', '\\', '/',
];

const HINT_ESCAPE: &str = "Lucene reserves + - = && || > < ! ( ) { } [ ] ^ \" ~ * ? : \\ /; \
    to search for one of them, escape it with `\\` (e.g. `\\:`) or put the value in double quotes";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    And,
    Or,
    Not,
    Plus,
    Minus,
    /// `+`, `-` or `!` followed by whitespace: a term of its own.
    BareOper,
    LParen,
    RParen,
    Colon,
    Star,
    Caret,
    Quoted,
    Term,
    FuzzySlop,
    PrefixTerm,
    WildTerm,
    Regexp,
    RangeInStart,
    RangeExStart,
    /// After `^` only.
    Number,
    /// Inside `[ ]` / `{ }` only.
    RangeTo,
    RangeInEnd,
    RangeExEnd,
    RangeQuoted,
    RangeGoop,
    Eof,
    /// Where the lexer gave up; the parser reports `lex_error` on reaching it.
    Invalid,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Default,
    Boost,
    Range,
}

struct Lexer<'a> {
    text: &'a Text,
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.text.get(i)
    }

    fn starts_with(&self, i: usize, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(k, c)| self.at(i + k) == Some(c))
    }

    /// Length of a term-start character at `i` (2 for an escape).
    fn term_start(&self, i: usize) -> Option<usize> {
        match self.at(i)? {
            '\\' => self.at(i + 1).map(|_| 2),
            c if is_space(c) || NOT_TERM_START.contains(&c) => None,
            _ => Some(1),
        }
    }

    fn term_char(&self, i: usize) -> Option<usize> {
        self.term_start(i)
            .or_else(|| matches!(self.at(i), Some('-' | '+')).then_some(1))
    }

    /// Index after a run of term characters (and `*`/`?` if `wild`).
    fn term_chars(&self, mut i: usize, wild: bool) -> usize {
        loop {
            if let Some(len) = self.term_char(i) {
                i += len;
            } else if wild && matches!(self.at(i), Some('*' | '?')) {
                i += 1;
            } else {
                return i;
            }
        }
    }

    /// `open body* open` where `\open` may occur in the body: the longest
    /// match's end (the body must be non-empty if `non_empty`).
    fn delimited(&self, i: usize, delim: char, non_empty: bool) -> Option<usize> {
        let mut best = None;
        let mut j = i + 1;
        while let Some(c) = self.at(j) {
            if c == delim {
                if !non_empty || j > i + 1 {
                    best = Some(j + 1);
                }
                if !(j > i + 1 && self.at(j - 1) == Some('\\')) {
                    break;
                }
            }
            j += 1;
        }
        best
    }

    /// `"` (non-quote or `\` + any)* `"`.
    fn quoted(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        loop {
            match self.at(j)? {
                '"' => return Some(j + 1),
                '\\' => {
                    self.at(j + 1)?;
                    j += 2;
                }
                _ => j += 1,
            }
        }
    }

    /// The longest token in the default state, as (kind, end).
    fn default_token(&self, i: usize) -> Option<(Kind, usize)> {
        let c = self.at(i)?;
        let mut candidates: Vec<(Kind, Option<usize>)> = vec![
            (
                Kind::And,
                ["AND", "&&"]
                    .iter()
                    .find(|s| self.starts_with(i, s))
                    .map(|s| i + s.len()),
            ),
            (
                Kind::Or,
                ["OR", "||"]
                    .iter()
                    .find(|s| self.starts_with(i, s))
                    .map(|s| i + s.len()),
            ),
            (
                Kind::Not,
                ["NOT", "!"]
                    .iter()
                    .find(|s| self.starts_with(i, s))
                    .map(|s| i + s.len()),
            ),
            (Kind::Plus, (c == '+').then_some(i + 1)),
            (Kind::Minus, (c == '-').then_some(i + 1)),
            (
                Kind::BareOper,
                (matches!(c, '+' | '-' | '!') && self.at(i + 1).is_some_and(is_space))
                    .then_some(i + 2),
            ),
            (Kind::LParen, (c == '(').then_some(i + 1)),
            (Kind::RParen, (c == ')').then_some(i + 1)),
            (Kind::Colon, (c == ':').then_some(i + 1)),
            (Kind::Star, (c == '*').then_some(i + 1)),
            (Kind::Caret, (c == '^').then_some(i + 1)),
            (Kind::Quoted, if c == '"' { self.quoted(i) } else { None }),
            (
                Kind::Term,
                self.term_start(i)
                    .map(|len| self.term_chars(i + len, false)),
            ),
            (
                Kind::FuzzySlop,
                (c == '~').then(|| self.term_chars(i + 1, false)),
            ),
            (Kind::PrefixTerm, self.prefix_term(i)),
            (Kind::WildTerm, self.wild_term(i)),
            (
                Kind::Regexp,
                if c == '/' {
                    self.delimited(i, '/', false)
                } else {
                    None
                },
            ),
            (Kind::RangeInStart, (c == '[').then_some(i + 1)),
            (Kind::RangeExStart, (c == '{').then_some(i + 1)),
        ];
        // Longest match; on a tie the earlier kind wins.
        candidates.retain(|(_, end)| end.is_some());
        let mut best: Option<(Kind, usize)> = None;
        for (kind, end) in candidates {
            let end = end.unwrap_or(i);
            if best.is_none_or(|(_, b)| end > b) {
                best = Some((kind, end));
            }
        }
        best
    }

    fn prefix_term(&self, i: usize) -> Option<usize> {
        if self.at(i) == Some('*') {
            return Some(i + 1);
        }
        let len = self.term_start(i)?;
        let end = self.term_chars(i + len, false);
        (self.at(end) == Some('*')).then_some(end + 1)
    }

    fn wild_term(&self, i: usize) -> Option<usize> {
        let len = match self.at(i)? {
            '*' | '?' => 1,
            _ => self.term_start(i)?,
        };
        Some(self.term_chars(i + len, true))
    }

    fn range_token(&self, i: usize) -> (Kind, usize) {
        let goop = {
            let mut j = i;
            while self.at(j).is_some_and(|c| !matches!(c, ' ' | ']' | '}')) {
                j += 1;
            }
            j
        };
        let candidates = [
            (Kind::RangeTo, self.starts_with(i, "TO").then_some(i + 2)),
            (Kind::RangeInEnd, (self.at(i) == Some(']')).then_some(i + 1)),
            (Kind::RangeExEnd, (self.at(i) == Some('}')).then_some(i + 1)),
            (
                Kind::RangeQuoted,
                if self.at(i) == Some('"') {
                    self.delimited(i, '"', true)
                } else {
                    None
                },
            ),
            (Kind::RangeGoop, (goop > i).then_some(goop)),
        ];
        let mut best = (Kind::RangeGoop, goop);
        let mut best_end = i;
        for (kind, end) in candidates {
            if let Some(end) = end.filter(|&e| e > best_end) {
                best = (kind, end);
                best_end = end;
            }
        }
        best
    }

    /// All tokens up to `Eof`, or up to an `Invalid` one and its error.
    fn tokens(&self) -> (Vec<Token>, Option<QueryError>) {
        let mut tokens = Vec::new();
        let mut state = State::Default;
        let mut i = 0;
        loop {
            if state != State::Boost {
                while self.at(i).is_some_and(is_space) {
                    i += 1;
                }
            }
            if i >= self.text.len() {
                tokens.push(Token {
                    kind: Kind::Eof,
                    start: i,
                    end: i,
                });
                return (tokens, None);
            }
            let next = match state {
                State::Default => self.default_token(i),
                State::Boost => self.number(i).map(|end| (Kind::Number, end)),
                State::Range => Some(self.range_token(i)),
            };
            let Some((kind, end)) = next else {
                let error = self.lexical_error(i, state, &tokens);
                tokens.push(Token {
                    kind: Kind::Invalid,
                    start: i,
                    end: i,
                });
                return (tokens, Some(error));
            };
            state = match kind {
                Kind::Caret => State::Boost,
                Kind::RangeInStart | Kind::RangeExStart => State::Range,
                Kind::Number | Kind::RangeInEnd | Kind::RangeExEnd => State::Default,
                _ => state,
            };
            tokens.push(Token {
                kind,
                start: i,
                end,
            });
            i = end;
        }
    }

    fn number(&self, i: usize) -> Option<usize> {
        let digits = |mut j: usize| {
            while self.at(j).is_some_and(|c| c.is_ascii_digit()) {
                j += 1;
            }
            j
        };
        let end = digits(i);
        if end == i {
            return None;
        }
        if self.at(end) == Some('.') {
            let frac = digits(end + 1);
            if frac > end + 1 {
                return Some(frac);
            }
        }
        Some(end)
    }

    fn lexical_error(&self, i: usize, state: State, tokens: &[Token]) -> QueryError {
        if state == State::Boost {
            let caret = tokens.last().map_or(i, |t| t.start);
            return boost_error(self.text, caret);
        }
        match self.at(i) {
            Some('"') => {
                let escaped = (i + 1..self.text.len())
                    .find(|&j| self.at(j) == Some('\\') && self.at(j + 1) == Some('"'));
                let hint = match escaped {
                    Some(j) => format!(
                        "the `\\\"` at column {} is an escaped quote, not the end of the value; \
                         to end a value with a backslash write `\\\\\"`",
                        j + 1
                    ),
                    None => "add the closing `\"`".to_string(),
                };
                self.text
                    .error(i, "this double quote is never closed", Some(hint))
            }
            Some('/') => self.text.error(
                i,
                "this `/` starts a regular expression that is never closed",
                Some(
                    "in Lucene `/.../` is a regular expression; for a path or a CIDR, put the value \
                     in double quotes (`source.ip:\"10.0.0.0/8\"`) or escape each `/` as `\\/`"
                        .into(),
                ),
            ),
            Some(c @ (']' | '}')) => {
                let open = if c == ']' { '[' } else { '{' };
                self.text.error(
                    i,
                    format!("this `{c}` has no matching `{open}`"),
                    Some(format!(
                        "a range is written `field:[10 TO 20]`; {HINT_ESCAPE}"
                    )),
                )
            }
            Some('\\') => self.text.error(
                i,
                "`\\` at the end of the query escapes nothing",
                Some("write `\\\\` to search for a backslash".into()),
            ),
            Some(c) => self.text.error(
                i,
                format!("unexpected `{c}`"),
                Some(HINT_ESCAPE.into()),
            ),
            None => self.text.error(i, "unexpected end of the query", None),
        }
    }
}

fn boost_error(text: &Text, caret: usize) -> QueryError {
    text.error(
        caret,
        "`^` must be followed by a number (a boost, e.g. `^2`)",
        Some(
            "to search for `^` itself, escape it as `\\^` or put the value in double quotes".into(),
        ),
    )
}

/// The field a term is searched in.
enum Scope {
    /// No `field:` prefix: OpenSearch's default fields.
    Default,
    /// `field:` or `field:( ... )`.
    Field(String),
    /// `_exists_:`: the terms are field names.
    Exists,
}

/// What preceded the clause being parsed, to explain what is missing.
#[derive(Clone, Copy)]
enum Prev {
    Start,
    Op(Token),
    Modifier(Token),
}

struct Parser<'a> {
    text: &'a Text,
    tokens: Vec<Token>,
    lex_error: Option<QueryError>,
    next: usize,
    fields: Vec<FieldRef>,
}

impl Parser<'_> {
    /// The next token; reaching the lexer's stopping point is its error.
    fn peek(&self) -> Result<Token, QueryError> {
        let token = self.token(self.next);
        if token.kind == Kind::Invalid {
            if let Some(e) = &self.lex_error {
                return Err(e.clone());
            }
        }
        Ok(token)
    }

    fn token(&self, index: usize) -> Token {
        self.tokens
            .get(index)
            .or(self.tokens.last())
            .copied()
            .unwrap_or(Token {
                kind: Kind::Eof,
                start: 0,
                end: 0,
            })
    }

    fn bump(&mut self) -> Token {
        let token = self.token(self.next);
        self.next += 1;
        token
    }

    fn image(&self, token: Token) -> String {
        self.text.slice(token.start, token.end)
    }

    // ----- grammar -------------------------------------------------------

    fn query(&mut self, scope: &Scope) -> Result<Node, QueryError> {
        let mut clauses = Vec::new();
        let (modifier, node) = self.modified_clause(scope, Prev::Start)?;
        clauses.push(Clause {
            conj: Conj::None,
            modifier,
            node,
        });
        loop {
            let token = self.peek()?;
            match token.kind {
                Kind::And | Kind::Or => {
                    self.bump();
                    let (modifier, node) = self.modified_clause(scope, Prev::Op(token))?;
                    let conj = if token.kind == Kind::And {
                        Conj::And
                    } else {
                        Conj::Or
                    };
                    clauses.push(Clause {
                        conj,
                        modifier,
                        node,
                    });
                }
                Kind::Plus
                | Kind::Minus
                | Kind::Not
                | Kind::Term
                | Kind::Star
                | Kind::PrefixTerm
                | Kind::WildTerm
                | Kind::Regexp
                | Kind::BareOper
                | Kind::RangeInStart
                | Kind::RangeExStart
                | Kind::Quoted
                | Kind::LParen => {
                    let (modifier, node) = self.modified_clause(scope, Prev::Start)?;
                    clauses.push(Clause {
                        conj: Conj::None,
                        modifier,
                        node,
                    });
                }
                _ => return Ok(Node::Query(clauses)),
            }
        }
    }

    fn modified_clause(
        &mut self,
        scope: &Scope,
        prev: Prev,
    ) -> Result<(Modifier, Node), QueryError> {
        let token = self.peek()?;
        let (prev, modifier) = match token.kind {
            Kind::Plus | Kind::Minus | Kind::Not => {
                self.bump();
                let modifier = if token.kind == Kind::Plus {
                    Modifier::Req
                } else {
                    Modifier::Not
                };
                (Prev::Modifier(token), modifier)
            }
            _ => (prev, Modifier::None),
        };
        Ok((modifier, self.clause(scope, prev)?))
    }

    fn clause(&mut self, scope: &Scope, prev: Prev) -> Result<Node, QueryError> {
        let first = self.peek()?;
        let second = self.token(self.next + 1);
        let mut field = None;
        if second.kind == Kind::Colon {
            match first.kind {
                Kind::Term => {
                    let name = self.unescape(first)?;
                    field = Some((name, second));
                }
                Kind::Star => field = Some(("*".to_string(), second)),
                Kind::PrefixTerm | Kind::WildTerm => {
                    let name = self.image(first);
                    let escaped = name.replace('*', "\\*").replace('?', "\\?");
                    return Err(self.text.error(
                        first.start,
                        format!("a `*` or `?` in the field name `{name}` must be escaped"),
                        Some(format!(
                            "write `{escaped}:` to search all the fields that match the pattern"
                        )),
                    ));
                }
                _ => {}
            }
        }
        let owned;
        let scope = match field {
            Some((name, colon)) => {
                self.next += 2;
                if name == "_exists_" {
                    owned = Scope::Exists;
                } else {
                    let is_pattern = name.contains('*');
                    let field = self.text.field(first.start, name.clone(), is_pattern);
                    self.fields.push(field);
                    owned = Scope::Field(name);
                }
                return self.field_value(&owned, colon);
            }
            None => scope,
        };
        self.value(scope, prev, false)
    }

    /// After `field:`: a group or a term.
    fn field_value(&mut self, scope: &Scope, colon: Token) -> Result<Node, QueryError> {
        let token = self.peek()?;
        if token.kind == Kind::LParen {
            return self.value(scope, Prev::Start, true);
        }
        self.term(scope, Some(colon), Prev::Start)
    }

    /// A group `( query )` or a term; `after_field` if right after `field:`.
    fn value(&mut self, scope: &Scope, prev: Prev, after_field: bool) -> Result<Node, QueryError> {
        let open = self.peek()?;
        if open.kind != Kind::LParen {
            return self.term(scope, None, prev);
        }
        self.bump();
        if self.peek()?.kind == Kind::RParen {
            return Err(self.text.error(
                open.start,
                "empty parentheses `()`",
                Some(if after_field {
                    "put at least one value inside, e.g. `event.action:(CreateUser OR DeleteUser)`"
                        .into()
                } else {
                    "put a search inside the parentheses, or remove them".into()
                }),
            ));
        }
        let node = self.query(scope)?;
        if self.peek()?.kind != Kind::RParen {
            return Err(self.unexpected(Some(open)));
        }
        self.bump();
        self.boost()?;
        Ok(node)
    }

    /// Optional `^NUMBER`.
    fn boost(&mut self) -> Result<(), QueryError> {
        if self.peek()?.kind != Kind::Caret {
            return Ok(());
        }
        let caret = self.bump();
        if self.token(self.next).kind != Kind::Number {
            return Err(boost_error(self.text, caret.start));
        }
        self.bump();
        Ok(())
    }

    /// A term, a phrase or a range; `colon` is set right after `field:`.
    fn term(
        &mut self,
        scope: &Scope,
        colon: Option<Token>,
        prev: Prev,
    ) -> Result<Node, QueryError> {
        let token = self.peek()?;
        match token.kind {
            Kind::Term
            | Kind::Star
            | Kind::PrefixTerm
            | Kind::WildTerm
            | Kind::Regexp
            | Kind::Number
            | Kind::BareOper => {
                self.bump();
                self.check_term(scope, token, colon.is_some())?;
                let slop = self.term_suffix(token)?;
                let image = self.image(token);
                let (kind, text) = match token.kind {
                    Kind::Star | Kind::WildTerm => (TermKind::Wildcard, image.clone()),
                    Kind::PrefixTerm => {
                        let inner = Token {
                            kind: Kind::Term,
                            start: token.start,
                            end: token.end - 1,
                        };
                        (TermKind::Prefix, self.unescape(inner)?)
                    }
                    Kind::Regexp => (
                        TermKind::Regexp,
                        self.text.slice(token.start + 1, token.end - 1),
                    ),
                    _ if slop.is_some() => (TermKind::Fuzzy, self.unescape(token)?),
                    _ => (TermKind::Term, self.unescape(token)?),
                };
                Ok(Node::Term {
                    field: scope.field(),
                    kind,
                    image,
                    text,
                    slop,
                })
            }
            Kind::Quoted => {
                self.bump();
                let inner = Token {
                    kind: Kind::Quoted,
                    start: token.start + 1,
                    end: token.end - 1,
                };
                let value = self.unescape(inner)?;
                if let Scope::Exists = scope {
                    let field = self.text.field(token.start, value.clone(), false);
                    self.fields.push(field);
                }
                let slop = self.term_suffix(token)?;
                Ok(Node::Term {
                    field: scope.field(),
                    kind: TermKind::Phrase,
                    image: self.image(inner),
                    text: value,
                    slop,
                })
            }
            Kind::RangeInStart | Kind::RangeExStart => {
                if let Scope::Exists = scope {
                    return Err(exists_error(self.text, token.start));
                }
                self.range(scope)
            }
            _ => Err(self.missing_term(token, colon, prev)),
        }
    }

    /// `[^N [~slop]]` or `[~slop [^N]]` after a term or phrase.
    /// Returns the slop or fuzziness after `~`, if any.
    fn term_suffix(&mut self, term: Token) -> Result<Option<String>, QueryError> {
        let mut found = None;
        match self.peek()?.kind {
            Kind::Caret => {
                self.boost()?;
                if self.peek()?.kind == Kind::FuzzySlop {
                    let slop = self.bump();
                    self.check_slop(term, slop)?;
                    found = Some(self.text.slice(slop.start + 1, slop.end));
                }
            }
            Kind::FuzzySlop => {
                let slop = self.bump();
                self.check_slop(term, slop)?;
                found = Some(self.text.slice(slop.start + 1, slop.end));
                self.boost()?;
            }
            _ => {}
        }
        Ok(found)
    }

    /// `[a TO b]`, `{a TO b}` or mixed.
    fn range(&mut self, scope: &Scope) -> Result<Node, QueryError> {
        let open = self.bump();
        let bracket = self.image(open);
        let field = match scope {
            Scope::Field(name) => name.as_str(),
            _ => "field",
        };
        let example = format!("`{field}:[10 TO 20]`");
        let unclosed = |p: &Self| {
            p.text.error(
                open.start,
                format!("this `{bracket}` is never closed"),
                Some(format!(
                    "close the range with `]` (bound included) or `}}` (bound excluded), e.g. {example}"
                )),
            )
        };
        let is_bound = |k: Kind| matches!(k, Kind::RangeGoop | Kind::RangeQuoted | Kind::RangeTo);
        let is_end = |k: Kind| matches!(k, Kind::RangeInEnd | Kind::RangeExEnd);

        let low = self.peek()?;
        if low.kind == Kind::Eof {
            return Err(unclosed(self));
        }
        if is_end(low.kind) {
            return Err(self.text.error(
                open.start,
                "empty range",
                Some(format!(
                    "a range needs two bounds, e.g. {example}; use `*` for an open end"
                )),
            ));
        }
        self.bump();
        self.check_bound(low)?;

        let to = self.peek()?;
        match to.kind {
            Kind::RangeTo => {
                self.bump();
            }
            Kind::Eof => return Err(unclosed(self)),
            k if is_end(k) => {
                return Err(self.text.error(
                    to.start,
                    "missing `TO` and the upper bound of the range",
                    Some(format!("write {example}; use `*` for no upper bound")),
                ))
            }
            _ => {
                let word = self.image(to);
                return Err(if word.eq_ignore_ascii_case("to") {
                    self.text.error(
                        to.start,
                        format!("write `TO` in capital letters, not `{word}`"),
                        Some(format!("e.g. {example}")),
                    )
                } else {
                    self.text.error(
                        to.start,
                        format!("missing `TO` before `{word}`"),
                        Some(format!("a range is written {example}")),
                    )
                });
            }
        }

        let high = self.peek()?;
        if high.kind == Kind::Eof {
            return Err(unclosed(self));
        }
        if is_end(high.kind) {
            return Err(self.text.error(
                high.start,
                "missing the upper bound after `TO`",
                Some(format!(
                    "use `*` for no upper bound, e.g. `{field}:[10 TO *]`"
                )),
            ));
        }
        self.bump();
        self.check_bound(high)?;

        let close = self.peek()?;
        match close.kind {
            k if is_end(k) => {
                self.bump();
                self.boost()?;
                let bound = |p: &Self, t: Token| -> Result<Option<String>, QueryError> {
                    if t.kind == Kind::RangeQuoted {
                        let inner = Token {
                            kind: t.kind,
                            start: t.start + 1,
                            end: t.end - 1,
                        };
                        return p.unescape(inner).map(Some);
                    }
                    // `QueryParser.jj`: an unquoted `*` bound is open.
                    if p.image(t) == "*" {
                        return Ok(None);
                    }
                    p.unescape(t).map(Some)
                };
                Ok(Node::Range {
                    field: scope.field(),
                    low: bound(self, low)?,
                    high: bound(self, high)?,
                    include_low: open.kind == Kind::RangeInStart,
                    include_high: close.kind == Kind::RangeInEnd,
                })
            }
            Kind::Eof => Err(unclosed(self)),
            _ if is_bound(close.kind) => Err(self.text.error(
                close.start,
                format!(
                    "expected `]` or `}}` to close the range, found `{}`",
                    self.image(close)
                ),
                Some(format!(
                    "a range has exactly two bounds, e.g. {example}; put a bound that contains spaces in double quotes"
                )),
            )),
            _ => Err(unclosed(self)),
        }
    }

    // ----- checks --------------------------------------------------------

    /// Escapes in a term as Lucene's `discardEscapeChar` resolves them: `\x`
    /// is `x`, and `\u` must be followed by four hex digits.
    fn unescape(&self, token: Token) -> Result<String, QueryError> {
        let mut out = String::new();
        let mut i = token.start;
        while i < token.end {
            let c = self.text.get(i).unwrap_or(' ');
            if c != '\\' {
                out.push(c);
                i += 1;
                continue;
            }
            match self.text.get(i + 1).filter(|_| i + 1 < token.end) {
                None => {
                    return Err(self.text.error(
                        i,
                        "a term cannot end with `\\`",
                        Some("write `\\\\` to search for a backslash".into()),
                    ))
                }
                Some('u') => {
                    let hex: String = (i + 2..i + 6)
                        .filter(|&j| j < token.end)
                        .filter_map(|j| self.text.get(j))
                        .collect();
                    let Some(code) = (hex.chars().count() == 4
                        && hex.chars().all(|h| h.is_ascii_hexdigit()))
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten() else {
                        return Err(self.text.error(
                            i,
                            format!(
                                "`\\u` starts a Unicode escape and must be followed by 4 hex digits, not `{hex}`"
                            ),
                            Some(
                                "write `\\\\` for a backslash, e.g. `C\\:\\\\Users` or `\"C:\\\\Users\"`"
                                    .into(),
                            ),
                        ));
                    };
                    out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    i += 6;
                }
                Some(escaped) => {
                    out.push(escaped);
                    i += 2;
                }
            }
        }
        Ok(out)
    }

    fn check_bound(&self, bound: Token) -> Result<(), QueryError> {
        let inner = if bound.kind == Kind::RangeQuoted {
            Token {
                kind: bound.kind,
                start: bound.start + 1,
                end: bound.end - 1,
            }
        } else {
            bound
        };
        self.unescape(inner).map(|_| ())
    }

    fn check_term(
        &mut self,
        scope: &Scope,
        term: Token,
        after_field: bool,
    ) -> Result<(), QueryError> {
        let image = self.image(term);
        if term.kind != Kind::Star {
            self.unescape(term)?;
        }
        if let Scope::Exists = scope {
            if term.kind != Kind::Term {
                return Err(exists_error(self.text, term.start));
            }
            let name = self.unescape(term)?;
            let is_pattern = name.contains('*');
            let field = self.text.field(term.start, name, is_pattern);
            self.fields.push(field);
        }
        if term.kind == Kind::Term && !after_field {
            if let Some(op) = ["and", "or", "not"]
                .into_iter()
                .find(|op| image.eq_ignore_ascii_case(op))
            {
                let upper = op.to_uppercase();
                return Err(self.text.error(
                    term.start,
                    format!("`{image}` is a search word here: Lucene operators are upper case"),
                    Some(format!(
                        "write `{upper}` (or use DQL, where `{op}` works); to search for the word itself, put it in double quotes"
                    )),
                ));
            }
        }
        if term.kind == Kind::Term && image == "TO" {
            let field = match scope {
                Scope::Field(name) => name.as_str(),
                _ => self.fields.last().map_or("field", |f| f.name.as_str()),
            };
            return Err(self.text.error(
                term.start,
                "`TO` only has a meaning inside a range",
                Some(format!(
                    "put the bounds in brackets: `{field}:[10 TO 20]` (`{{ }}` to exclude a bound); \
                     to search for the word, put it in double quotes"
                )),
            ));
        }
        if term.kind == Kind::Term && matches!(image.as_str(), ">" | ">=" | "<" | "<=") {
            let field = match scope {
                Scope::Field(name) => name.as_str(),
                _ => "field",
            };
            return Err(self.text.error(
                term.start,
                format!("expected a value right after `{image}`"),
                Some(format!(
                    "write the value without a space, e.g. `{field}:{image}500`, or as a range: `{field}:[500 TO *]`"
                )),
            ));
        }
        if term.kind == Kind::Regexp {
            let next = self.token(self.next);
            let glued = next.start == term.end
                && matches!(
                    next.kind,
                    Kind::Term
                        | Kind::PrefixTerm
                        | Kind::WildTerm
                        | Kind::Star
                        | Kind::Regexp
                        | Kind::Invalid
                );
            if glued {
                let field = match scope {
                    Scope::Field(name) => format!("{name}:"),
                    _ => String::new(),
                };
                let end = (term.end..self.text.len())
                    .find(|&i| self.text.get(i).is_some_and(is_space))
                    .unwrap_or(self.text.len());
                let value = self.text.slice(term.start, end);
                return Err(self.text.error(
                    term.start,
                    format!("`{image}` is read as a regular expression, followed by more text"),
                    Some(format!(
                        "a value that starts with `/` is a regular expression in Lucene; \
                         for a path, put it in double quotes: `{field}\"{value}\"`, or escape each `/` as `\\/`"
                    )),
                ));
            }
        }
        Ok(())
    }

    /// The fuzziness after a bare term must be a number (or `AUTO`):
    /// OpenSearch rejects `term~abc` when it runs the query.
    fn check_slop(&self, term: Token, slop: Token) -> Result<(), QueryError> {
        if term.kind == Kind::Quoted {
            return Ok(());
        }
        let value = self.text.slice(slop.start + 1, slop.end);
        if value.is_empty() || value.parse::<f32>().is_ok() || value.eq_ignore_ascii_case("auto") {
            return Ok(());
        }
        Err(self.text.error(
            slop.start,
            format!(
                "`~` must be followed by a number (an edit distance such as `~1`), not `{value}`"
            ),
            Some(format!(
                "to search for `~`, escape it as `\\~`; {HINT_ESCAPE}"
            )),
        ))
    }

    // ----- error messages ---------------------------------------------------

    /// No term where one must start.
    fn missing_term(&self, found: Token, colon: Option<Token>, prev: Prev) -> QueryError {
        let what = match found.kind {
            Kind::Eof => "the query ends".to_string(),
            _ => format!("found `{}`", self.image(found)),
        };
        if let Some(colon) = colon {
            let field = self.text.slice(self.token_before(colon).start, colon.start);
            let (message, hint) = match found.kind {
                Kind::Minus | Kind::Plus | Kind::Not => {
                    let op = self.image(found);
                    (
                        format!("a value cannot start with `{op}`"),
                        format!(
                            "escape it (`{field}:\\{op}1`) or quote the value (`{field}:\"{op}1\"`); \
                             to exclude matches put the operator before the field: `-{field}:value` or `NOT {field}:value`"
                        ),
                    )
                }
                Kind::And | Kind::Or => (
                    format!("expected a value after `{field}:`, {what}"),
                    format!(
                        "to search for the word, put it in double quotes: `{field}:\"{}\"`",
                        self.image(found)
                    ),
                ),
                Kind::Colon | Kind::Caret | Kind::FuzzySlop => (
                    format!("expected a value after `{field}:`, {what}"),
                    HINT_ESCAPE.to_string(),
                ),
                _ => (
                    format!("expected a value after `{field}:`, but {what}"),
                    format!("write `{field}:value`, or `{field}:*` to match any value"),
                ),
            };
            let at = if matches!(found.kind, Kind::Minus | Kind::Plus | Kind::Not) {
                found.start
            } else {
                colon.start
            };
            return self.text.error(at, message, Some(hint));
        }
        match (prev, found.kind) {
            (Prev::Op(op) | Prev::Modifier(op), Kind::Eof) => {
                let op = self.image(op);
                self.text.error(
                    self.token_before(found).start,
                    format!("the query ends with `{op}`"),
                    Some(format!("add the search that should follow `{op}`, or remove it")),
                )
            }
            (Prev::Op(op), Kind::And | Kind::Or) => self.text.error(
                found.start,
                format!(
                    "`{}` directly follows `{}`",
                    self.image(found),
                    self.image(op)
                ),
                Some("remove one of the two operators".into()),
            ),
            (Prev::Modifier(m), _) => self.text.error(
                found.start,
                format!("`{}` cannot be followed by `{}`", self.image(m), self.image(found)),
                Some(
                    "put a single `NOT`, `-` or `+` right before a term, a `field:value` or a group `( )`"
                        .into(),
                ),
            ),
            (Prev::Op(op), _) => self.text.error(
                op.start,
                format!("`{}` is followed by `{}` instead of a search", self.image(op), self.image(found)),
                Some(format!("add the search that should follow `{}`, or remove it", self.image(op))),
            ),
            (Prev::Start, Kind::And | Kind::Or) => self.text.error(
                found.start,
                format!("`{}` has nothing before it", self.image(found)),
                Some("remove it, or add the search that should come before it".into()),
            ),
            (Prev::Start, Kind::Colon) => self.text.error(
                found.start,
                "`:` must follow a field name",
                Some(format!("write `field:value`; {HINT_ESCAPE}")),
            ),
            (Prev::Start, Kind::Caret) => self.text.error(
                found.start,
                "`^` (boost) must follow a search term",
                Some(HINT_ESCAPE.into()),
            ),
            (Prev::Start, Kind::FuzzySlop) => self.text.error(
                found.start,
                "`~` (fuzziness) must follow a search term",
                Some(HINT_ESCAPE.into()),
            ),
            (Prev::Start, _) => self.text.error(
                found.start,
                format!("expected a search term, {what}"),
                Some(HINT_ESCAPE.into()),
            ),
        }
    }

    fn token_before(&self, token: Token) -> Token {
        self.tokens
            .iter()
            .rev()
            .find(|t| t.end <= token.start && t.kind != Kind::Eof)
            .copied()
            .unwrap_or(token)
    }

    /// A token that cannot continue the query; `open` is the unclosed `(`.
    fn unexpected(&self, open: Option<Token>) -> QueryError {
        let token = self.token(self.next);
        let prev = self.token_before(token);
        match (token.kind, open) {
            (Kind::Eof, Some(open)) => self.text.error(
                open.start,
                "this `(` is never closed",
                Some("add the missing `)`".into()),
            ),
            (Kind::RParen, _) => self.text.error(
                token.start,
                "this `)` has no matching `(`",
                Some("remove it, or add the missing `(`".into()),
            ),
            (Kind::Colon, _) if prev.kind == Kind::Quoted => self.text.error(
                prev.start,
                "a field name cannot be in double quotes in Lucene",
                Some("write the field name without quotes, and escape special characters in it with `\\`".into()),
            ),
            (Kind::Colon, _) => self.text.error(
                token.start,
                "unexpected `:` inside a value",
                Some(
                    "escape each colon as `\\:` or put the value in double quotes, \
                     e.g. `source.ip:2001\\:db8\\:\\:1` or `source.ip:\"2001:db8::1\"`"
                        .into(),
                ),
            ),
            (Kind::Caret, _) => self.text.error(
                token.start,
                format!("`^` (boost) cannot follow `{}`", self.image(prev)),
                Some(HINT_ESCAPE.into()),
            ),
            (Kind::FuzzySlop, _) => self.text.error(
                token.start,
                format!("`~` cannot follow `{}`", self.image(prev)),
                Some(format!(
                    "fuzziness (`term~1`) and proximity (`\"two words\"~3`) apply to one term or phrase; {HINT_ESCAPE}"
                )),
            ),
            _ => self.text.error(
                token.start,
                format!("unexpected `{}`", self.image(token)),
                Some(HINT_ESCAPE.into()),
            ),
        }
    }
}

fn exists_error(text: &Text, at: usize) -> QueryError {
    text.error(
        at,
        "`_exists_:` must be followed by a field name",
        Some(
            "e.g. `_exists_:user.name`; for several fields escape the `*`: `_exists_:user.\\*`"
                .into(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::query::testing::{f, p};
    use crate::query::Language;

    fn fields(query: &str) -> Vec<(String, usize, bool)> {
        crate::query::testing::fields(Language::Lucene, query)
    }

    fn error(query: &str) -> QueryError {
        crate::query::testing::error(Language::Lucene, query)
    }

    fn fails(query: &str, column: usize, message: &str, hint: &str) {
        crate::query::testing::fails(Language::Lucene, query, column, message, hint);
    }

    fn kinds(query: &str) -> Vec<Kind> {
        let text = Text::new(query);
        let (tokens, _) = Lexer { text: &text }.tokens();
        tokens.into_iter().map(|t| t.kind).collect()
    }

    // ----- tokens --------------------------------------------------------

    #[test]
    fn tokens_take_the_longest_match() {
        use Kind::*;
        assert_eq!(kinds("AND ANDROID && &&x"), vec![And, Term, And, Term, Eof]);
        assert_eq!(
            kinds("foo foo* *foo f?o *"),
            vec![Term, PrefixTerm, WildTerm, WildTerm, Star, Eof]
        );
        assert_eq!(
            kinds("a-b -a - !a ! +a"),
            vec![Term, Minus, Term, BareOper, Not, Term, BareOper, Plus, Term, Eof]
        );
        assert_eq!(
            kinds("a~2 \"a b\"~3 a^2.5"),
            vec![Term, FuzzySlop, Quoted, FuzzySlop, Term, Caret, Number, Eof]
        );
        assert_eq!(
            kinds("/a\\/b/ [1 TO *}"),
            vec![
                Regexp,
                RangeInStart,
                RangeGoop,
                RangeTo,
                RangeGoop,
                RangeExEnd,
                Eof
            ]
        );
        assert_eq!(
            kinds("[\"a b\" TO TOP]"),
            vec![
                RangeInStart,
                RangeQuoted,
                RangeTo,
                RangeGoop,
                RangeInEnd,
                Eof
            ]
        );
        assert_eq!(kinds("a\\ b\\:c"), vec![Term, Eof]);
        assert_eq!(kinds("a ]"), vec![Term, Invalid]);
    }

    // ----- valid queries -------------------------------------------------

    #[test]
    fn empty_queries_match_everything() {
        assert_eq!(fields(""), vec![]);
        assert_eq!(fields(" \n\u{3000}"), vec![]);
    }

    #[test]
    fn boolean_operators() {
        assert_eq!(
            fields("event.outcome:failure AND source.ip:[10.0.0.0 TO 10.255.255.255]"),
            vec![f("event.outcome", 1), f("source.ip", 27)]
        );
        assert_eq!(
            fields("event.action:ConsoleLogin && event.outcome:failure || user.name:root"),
            vec![
                f("event.action", 1),
                f("event.outcome", 30),
                f("user.name", 55)
            ]
        );
        assert_eq!(
            fields("NOT user.name:root AND !process.name:sshd"),
            vec![f("user.name", 5), f("process.name", 25)]
        );
        assert_eq!(
            fields("+event.category:authentication -event.outcome:success"),
            vec![f("event.category", 2), f("event.outcome", 33)]
        );
        assert_eq!(fields("sqlmap nikto"), vec![]);
        assert_eq!(fields("a OR NOT b"), vec![]);
    }

    #[test]
    fn bundled_style_searches() {
        assert_eq!(
            fields(
                "destination.port:(22 OR 3389) AND NOT source.ip:(\"10.0.0.0/8\" OR \"172.16.0.0/12\" OR \"192.168.0.0/16\")"
            ),
            vec![f("destination.port", 1), f("source.ip", 39)]
        );
        assert_eq!(
            fields("process.name:sshd AND user.name:root AND event.action:(\"accepted-password\"\nOR \"failed-password\")"),
            vec![f("process.name", 1), f("user.name", 23), f("event.action", 42)]
        );
        assert_eq!(
            fields("_exists_:aws.guardduty.service.action AND event.severity:>=7 AND NOT aws.guardduty.service.archived:true"),
            vec![
                f("aws.guardduty.service.action", 10),
                f("event.severity", 43),
                f("aws.guardduty.service.archived", 70)
            ]
        );
    }

    #[test]
    fn groups_and_field_groups() {
        assert_eq!(
            fields("event.action:(CreateUser OR CreateAccessKey OR AttachUserPolicy) AND NOT user.name:terraform"),
            vec![f("event.action", 1), f("user.name", 74)]
        );
        assert_eq!(
            fields("(event.dataset:aws.vpcflow AND destination.port:(22 OR 3389))^2"),
            vec![f("event.dataset", 2), f("destination.port", 32)]
        );
        assert_eq!(fields("a:(b:c)"), vec![f("a", 1), f("b", 4)]);
    }

    #[test]
    fn phrases_and_proximity() {
        assert_eq!(
            fields("message:\"Failed password for invalid user\" AND process.name:sshd"),
            vec![f("message", 1), f("process.name", 48)]
        );
        assert_eq!(
            fields("message:\"session opened\"~3"),
            vec![f("message", 1)]
        );
        assert_eq!(
            fields("message:\"a \\\"quoted\\\" word\"^2~1"),
            vec![f("message", 1)]
        );
        assert_eq!(fields("\"C:\\\\Windows\\\\System32\""), vec![]);
    }

    #[test]
    fn ranges() {
        assert_eq!(
            fields("http.response.status_code:[500 TO 599]"),
            vec![f("http.response.status_code", 1)]
        );
        assert_eq!(fields("bytes:{1000 TO *]"), vec![f("bytes", 1)]);
        assert_eq!(
            fields("@timestamp:[\"2024-01-01T00:00:00Z\" TO now-1d/d}"),
            vec![f("@timestamp", 1)]
        );
        assert_eq!(
            fields("http.response.status_code:>=500"),
            vec![f("http.response.status_code", 1)]
        );
        assert_eq!(
            fields("destination.port:<1024 AND bytes:>1e6"),
            vec![f("destination.port", 1), f("bytes", 28)]
        );
        assert_eq!(fields("x:[a TO b]^3"), vec![f("x", 1)]);
    }

    #[test]
    fn wildcards_regex_fuzzy_boost() {
        assert_eq!(
            fields("user_agent.original:*sqlmap*"),
            vec![f("user_agent.original", 1)]
        );
        assert_eq!(
            fields("host.name:web-0? OR host.name:db*"),
            vec![f("host.name", 1), f("host.name", 21)]
        );
        assert_eq!(
            fields("dns.question.name:/.*\\.(onion|bit)/"),
            vec![f("dns.question.name", 1)]
        );
        assert_eq!(fields("url.path:/\\/admin\\/.*/"), vec![f("url.path", 1)]);
        assert_eq!(
            fields("user.name:admnistrator~ OR user.name:root~1"),
            vec![f("user.name", 1), f("user.name", 28)]
        );
        assert_eq!(
            fields("process.name:powershell^2 cmd.exe^0.5"),
            vec![f("process.name", 1)]
        );
        assert_eq!(
            fields("user.name:admin~1^2 AND user.name:x^2~AUTO"),
            vec![f("user.name", 1), f("user.name", 25)]
        );
    }

    #[test]
    fn exists_and_field_patterns() {
        assert_eq!(fields("_exists_:user.name"), vec![f("user.name", 10)]);
        assert_eq!(
            fields("NOT _exists_:\"source.ip\""),
            vec![f("source.ip", 14)]
        );
        assert_eq!(
            fields("_exists_:(user.name OR user.id)"),
            vec![f("user.name", 11), f("user.id", 24)]
        );
        assert_eq!(
            fields("_exists_:aws.cloudtrail.\\*"),
            vec![p("aws.cloudtrail.*", 10)]
        );
        assert_eq!(fields("user.\\*:admin"), vec![p("user.*", 1)]);
        assert_eq!(fields("*:admin"), vec![p("*", 1)]);
        assert_eq!(fields("user.name:*"), vec![f("user.name", 1)]);
        assert_eq!(
            fields("@timestamp:[now-15m TO now]"),
            vec![f("@timestamp", 1)]
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(
            fields("source.ip:2001\\:db8\\:\\:1"),
            vec![f("source.ip", 1)]
        );
        assert_eq!(fields("source.ip:\"2001:db8::1\""), vec![f("source.ip", 1)]);
        assert_eq!(fields("source.ip:10.0.0.0\\/8"), vec![f("source.ip", 1)]);
        assert_eq!(
            fields("process.executable:C\\:\\\\Windows\\\\System32\\\\cmd.exe"),
            vec![f("process.executable", 1)]
        );
        assert_eq!(
            fields("event.code:\\-1 OR message:caf\\u00e9"),
            vec![f("event.code", 1), f("message", 19)]
        );
        assert_eq!(fields("odd\\ field\\:name:x"), vec![f("odd field:name", 1)]);
        assert_eq!(fields("url.query:id=1&x=|y"), vec![f("url.query", 1)]);
        assert_eq!(fields("a - b"), vec![]);
    }

    #[test]
    fn multi_line_queries() {
        let fields =
            parse("event.dataset:aws.cloudtrail\n  AND event.action:(DeleteTrail OR StopLogging)")
                .unwrap();
        assert_eq!(
            fields
                .iter()
                .map(|f| (f.name.as_str(), f.line, f.column))
                .collect::<Vec<_>>(),
            vec![("event.dataset", 1, 1), ("event.action", 2, 36)]
        );
    }

    // ----- errors --------------------------------------------------------

    #[test]
    fn missing_value() {
        fails(
            "event.action:",
            13,
            "expected a value after `event.action:`, but the query ends",
            "`event.action:*`",
        );
        fails(
            "event.action: AND x",
            13,
            "expected a value after `event.action:`, found `AND`",
            "`event.action:\"AND\"`",
        );
        fails(
            "a:)",
            2,
            "expected a value after `a:`, but found `)`",
            "`a:value`",
        );
        fails(
            "a::b",
            2,
            "expected a value after `a:`, found `:`",
            "escape it",
        );
        fails(
            "event.code:-1",
            12,
            "a value cannot start with `-`",
            "`event.code:\\-1`",
        );
        let e = error("event.action:");
        assert_eq!(
            e.to_string(),
            "column 13: expected a value after `event.action:`, but the query ends"
        );
    }

    #[test]
    fn unbalanced_groups_and_quotes() {
        fails("(a OR b", 1, "this `(` is never closed", "`)`");
        fails("a:(b OR c", 3, "this `(` is never closed", "`)`");
        fails("a OR b)", 7, "this `)` has no matching `(`", "remove it");
        fails("()", 1, "empty parentheses `()`", "remove them");
        fails(
            "a:()",
            3,
            "empty parentheses `()`",
            "event.action:(CreateUser OR DeleteUser)",
        );
        fails(
            "message:\"failed password",
            9,
            "this double quote is never closed",
            "closing `\"`",
        );
        fails(
            "path:\"C:\\temp\\\" AND x",
            6,
            "this double quote is never closed",
            "`\\\"` at column 14",
        );
    }

    #[test]
    fn ranges_errors() {
        fails(
            "bytes:[1 TO 5",
            7,
            "this `[` is never closed",
            "`bytes:[10 TO 20]`",
        );
        fails("bytes:{1 TO 5)", 7, "this `{` is never closed", "`}`");
        fails(
            "bytes:[1 5]",
            10,
            "missing `TO` before `5`",
            "`bytes:[10 TO 20]`",
        );
        fails(
            "bytes:[1 to 5]",
            10,
            "write `TO` in capital letters, not `to`",
            "`bytes:[10 TO 20]`",
        );
        fails(
            "bytes:[1]",
            9,
            "missing `TO` and the upper bound of the range",
            "`*`",
        );
        fails(
            "bytes:[1 TO]",
            12,
            "missing the upper bound after `TO`",
            "`bytes:[10 TO *]`",
        );
        fails("bytes:[]", 7, "empty range", "`*`");
        fails(
            "bytes:[1 TO 5 10]",
            15,
            "expected `]` or `}` to close the range, found `10`",
            "exactly two bounds",
        );
        fails(
            "bytes:5]",
            8,
            "this `]` has no matching `[`",
            "`field:[10 TO 20]`",
        );
        fails("x }", 3, "this `}` has no matching `{`", "escape it");
    }

    #[test]
    fn dangling_operators() {
        fails("a AND", 3, "the query ends with `AND`", "add the search");
        fails("a OR\n", 3, "the query ends with `OR`", "or remove it");
        fails(
            "a AND NOT",
            7,
            "the query ends with `NOT`",
            "add the search",
        );
        fails("a -", 3, "the query ends with `-`", "add the search");
        fails("AND a", 1, "`AND` has nothing before it", "remove it");
        fails("a AND OR b", 7, "`OR` directly follows `AND`", "remove one");
        fails(
            "NOT NOT a",
            5,
            "`NOT` cannot be followed by `NOT`",
            "a single `NOT`",
        );
        fails(
            "a AND )",
            3,
            "`AND` is followed by `)` instead of a search",
            "remove it",
        );
        fails(
            "(a OR)",
            4,
            "`OR` is followed by `)` instead of a search",
            "remove it",
        );
    }

    #[test]
    fn lone_reserved_characters() {
        fails("a:b : c", 5, "unexpected `:` inside a value", "`\\:`");
        // Whitespace around `:` does not matter.
        assert_eq!(fields("a : b"), vec![f("a", 1)]);
        fails(
            ":a",
            1,
            "`:` must follow a field name",
            "escape it with `\\`",
        );
        fails(
            "a ^ 2",
            3,
            "`^` must be followed by a number (a boost, e.g. `^2`)",
            "`\\^`",
        );
        fails(
            "a^x",
            2,
            "`^` must be followed by a number (a boost, e.g. `^2`)",
            "`\\^`",
        );
        fails(
            "~a",
            1,
            "`~` (fuzziness) must follow a search term",
            "escape it",
        );
        fails(
            "file.path:~/.ssh/id_rsa",
            10,
            "expected a value after `file.path:`, found `~`",
            "escape it with `\\`",
        );
        fails("(a)~2", 4, "`~` cannot follow `)`", "one term or phrase");
        fails("a^2^3", 4, "`^` (boost) cannot follow `2`", "escape it");
        fails(
            "a\\",
            2,
            "`\\` at the end of the query escapes nothing",
            "`\\\\`",
        );
        fails(
            "user.name:admin~abc",
            16,
            "`~` must be followed by a number (an edit distance such as `~1`), not `abc`",
            "`\\~`",
        );
    }

    #[test]
    fn colons_in_values() {
        fails(
            "source.ip:2001:db8::1",
            15,
            "unexpected `:` inside a value",
            "source.ip:2001\\:db8\\:\\:1",
        );
        fails(
            "url.full:https://example.com/",
            15,
            "unexpected `:` inside a value",
            "double quotes",
        );
        fails(
            "\"user.name\":root",
            1,
            "a field name cannot be in double quotes in Lucene",
            "without quotes",
        );
    }

    #[test]
    fn regular_expressions() {
        fails(
            "source.ip:10.0.0.0/8",
            19,
            "this `/` starts a regular expression that is never closed",
            "`source.ip:\"10.0.0.0/8\"`",
        );
        fails(
            "file.path:/etc/passwd",
            11,
            "`/etc/` is read as a regular expression, followed by more text",
            "`file.path:\"/etc/passwd\"`",
        );
        fails(
            "file.path:/var/log/auth.log",
            11,
            "`/var/` is read as a regular expression, followed by more text",
            "`file.path:\"/var/log/auth.log\"`",
        );
    }

    #[test]
    fn lower_case_operators() {
        fails(
            "event.outcome:failure and source.ip:10.0.0.1",
            23,
            "`and` is a search word here: Lucene operators are upper case",
            "write `AND`",
        );
        fails(
            "event.action:(CreateUser or DeleteUser)",
            26,
            "`or` is a search word here: Lucene operators are upper case",
            "write `OR`",
        );
        fails(
            "not user.name:root",
            1,
            "`not` is a search word here: Lucene operators are upper case",
            "write `NOT`",
        );
        // As a field's own value it is just a word.
        assert_eq!(
            fields("tags:and OR tags:\"or\""),
            vec![f("tags", 1), f("tags", 13)]
        );
    }

    #[test]
    fn to_outside_brackets() {
        fails(
            "bytes:1 TO 5",
            9,
            "`TO` only has a meaning inside a range",
            "`bytes:[10 TO 20]`",
        );
        assert_eq!(fields("bytes:[1 TO 5] OR \"TO\""), vec![f("bytes", 1)]);
    }

    #[test]
    fn one_sided_ranges_need_the_value_attached() {
        fails(
            "bytes:>= 1000",
            7,
            "expected a value right after `>=`",
            "`bytes:>=500`",
        );
        fails(
            "bytes:>",
            7,
            "expected a value right after `>`",
            "`bytes:[500 TO *]`",
        );
    }

    #[test]
    fn field_names() {
        fails(
            "user.*:admin",
            1,
            "a `*` or `?` in the field name `user.*` must be escaped",
            "`user.\\*:`",
        );
        fails(
            "_exists_:user.*",
            10,
            "`_exists_:` must be followed by a field name",
            "`_exists_:user.\\*`",
        );
        fails(
            "_exists_:[a TO b]",
            10,
            "`_exists_:` must be followed by a field name",
            "_exists_:user.name",
        );
    }

    #[test]
    fn unicode_escapes_must_be_complete() {
        fails(
            "process.executable:C\\:\\users\\bob",
            23,
            "`\\u` starts a Unicode escape and must be followed by 4 hex digits, not `sers`",
            "write `\\\\` for a backslash",
        );
        fails(
            "file.path:\"C:\\users\"",
            14,
            "`\\u` starts a Unicode escape and must be followed by 4 hex digits, not `sers`",
            "`\"C:\\\\Users\"`",
        );
        fails(
            "x:[\\u12 TO b]",
            4,
            "`\\u` starts a Unicode escape and must be followed by 4 hex digits, not `12`",
            "backslash",
        );
    }

    #[test]
    fn errors_on_later_lines_report_the_line() {
        let e = error("event.dataset:aws.cloudtrail AND\n  event.action:(a OR");
        assert_eq!((e.line, e.column), (2, 52));
        assert_eq!(
            e.to_string(),
            "column 52 (line 2): the query ends with `OR`"
        );
    }

    // ----- trees ------------------------------------------------------------------------

    fn tree(query: &str) -> Node {
        parse_tree(query).unwrap().0.unwrap()
    }

    fn named(field: &str, kind: TermKind, image: &str, text: &str) -> Node {
        Node::Term {
            field: Field::Named(field.into()),
            kind,
            image: image.into(),
            text: text.into(),
            slop: None,
        }
    }

    fn clause(conj: Conj, modifier: Modifier, node: Node) -> Clause {
        Clause {
            conj,
            modifier,
            node,
        }
    }

    #[test]
    fn trees_keep_conjunctions_modifiers_and_term_kinds() {
        assert_eq!(parse_tree("  ").unwrap().0, None);
        assert_eq!(
            tree("a:b"),
            Node::Query(vec![clause(
                Conj::None,
                Modifier::None,
                named("a", TermKind::Term, "b", "b")
            )])
        );
        assert_eq!(
            tree("a:b AND -c:\"d e\" OR +f:g*"),
            Node::Query(vec![
                clause(
                    Conj::None,
                    Modifier::None,
                    named("a", TermKind::Term, "b", "b")
                ),
                clause(
                    Conj::And,
                    Modifier::Not,
                    named("c", TermKind::Phrase, "d e", "d e")
                ),
                clause(
                    Conj::Or,
                    Modifier::Req,
                    named("f", TermKind::Prefix, "g*", "g")
                ),
            ])
        );
        assert_eq!(
            tree("a:b\\-c*d"),
            Node::Query(vec![clause(
                Conj::None,
                Modifier::None,
                named("a", TermKind::Wildcard, "b\\-c*d", "b\\-c*d")
            )])
        );
        assert_eq!(
            tree("n:[1 TO *}"),
            Node::Query(vec![clause(
                Conj::None,
                Modifier::None,
                Node::Range {
                    field: Field::Named("n".into()),
                    low: Some("1".into()),
                    high: None,
                    include_low: true,
                    include_high: false
                }
            )])
        );
        let Node::Query(c) = tree("a:(x OR y)^2 _exists_:b z~2") else {
            panic!()
        };
        assert!(matches!(&c[0].node, Node::Query(inner) if inner.len() == 2));
        assert_eq!(
            c[1].node,
            Node::Term {
                field: Field::Exists,
                kind: TermKind::Term,
                image: "b".into(),
                text: "b".into(),
                slop: None
            }
        );
        assert!(
            matches!(&c[2].node, Node::Term { kind: TermKind::Fuzzy, slop: Some(s), field: Field::Default, .. } if s == "2")
        );
    }
}
