//! The tokens of Painless, as upstream `modules/lang-painless/src/main/antlr/PainlessLexer.g4`
//! defines them, with `EnhancedPainlessLexer.isSlashRegex` deciding whether a `/` starts a regex
//! literal or is a division: after a value (`)`, `]`, a name, a number, a string...) it divides.

use crate::value::Exception;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    LBrack, // {
    RBrack, // }
    LBrace, // [
    RBrace, // ]
    LP,
    RP,
    Dot,
    NsDot,
    Comma,
    Semi,
    Kw(&'static str),
    BoolNot,
    BwNot,
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Lsh,
    Rsh,
    Ush,
    Lt,
    Lte,
    Gt,
    Gte,
    Eq,
    Eqr,
    Ne,
    Ner,
    BwAnd,
    Xor,
    BwOr,
    BoolAnd,
    BoolOr,
    Cond,
    Colon,
    Elvis,
    Ref,
    Arrow,
    Find,
    Match,
    Incr,
    Decr,
    /// `=` and the compound assignments: the operator (`None` for plain `=`).
    Assign(Option<&'static str>),
    /// A numeric literal, as written (sign handled by the parser).
    Octal(String),
    Hex(String),
    Integer(String),
    Decimal(String),
    /// A string literal with its escapes resolved.
    Str(String),
    Regex(String, String),
    True,
    False,
    Null,
    Primitive(&'static str),
    Def,
    Id(String),
    /// A name or integer right after a `.` (lexer mode AFTER_DOT).
    DotId(String),
    DotInteger(String),
    Eof,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    /// Character offset into the source.
    pub(crate) start: usize,
}

#[derive(Debug)]
pub(crate) struct LexError {
    pub(crate) offset: usize,
    pub(crate) exception: Exception,
}

const KEYWORDS: &[&str] = &[
    "if",
    "in",
    "else",
    "while",
    "do",
    "for",
    "continue",
    "break",
    "return",
    "new",
    "try",
    "catch",
    "throw",
    "this",
    "instanceof",
];
const PRIMITIVES: &[&str] = &[
    "boolean", "byte", "short", "char", "int", "long", "float", "double",
];

pub(crate) fn lex(source: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = source.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut after_dot = false;
    let n = chars.len();
    while i < n {
        let c = chars[i];
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            i += 1;
            continue;
        }
        // COMMENT: '//' .*? [\n\r] | '/*' .*? '*/'
        if c == '/' && i + 1 < n && chars[i + 1] == '/' {
            let mut j = i + 2;
            while j < n && chars[j] != '\n' && chars[j] != '\r' {
                j += 1;
            }
            // Upstream accepts a `//` comment that runs to the end of the script
            // (CommentTests: `return 5 // comment no newline or return char`).
            i = j + 1;
            continue;
        }
        if c == '/' && i + 1 < n && chars[i + 1] == '*' {
            let mut j = i + 2;
            while j + 1 < n && !(chars[j] == '*' && chars[j + 1] == '/') {
                j += 1;
            }
            if j + 1 >= n {
                return Err(LexError {
                    offset: i,
                    exception: Exception::illegal_argument("unexpected character [/]."),
                });
            }
            i = j + 2;
            continue;
        }
        let start = i;
        if after_dot {
            after_dot = false;
            if c.is_ascii_digit() {
                let mut j = i + 1;
                if c != '0' {
                    while j < n && chars[j].is_ascii_digit() {
                        j += 1;
                    }
                }
                out.push(Token {
                    tok: Tok::DotInteger(chars[i..j].iter().collect()),
                    start,
                });
                i = j;
                continue;
            }
            if c == '_' || c.is_ascii_alphabetic() {
                let mut j = i + 1;
                while j < n && (chars[j] == '_' || chars[j].is_ascii_alphanumeric()) {
                    j += 1;
                }
                out.push(Token {
                    tok: Tok::DotId(chars[i..j].iter().collect()),
                    start,
                });
                i = j;
                continue;
            }
        }
        // Identifiers, keywords.
        if c == '_' || c.is_ascii_alphabetic() {
            let mut j = i + 1;
            while j < n && (chars[j] == '_' || chars[j].is_ascii_alphanumeric()) {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let tok = if let Some(k) = KEYWORDS.iter().find(|k| **k == word) {
                Tok::Kw(k)
            } else if let Some(p) = PRIMITIVES.iter().find(|k| **k == word) {
                Tok::Primitive(p)
            } else {
                match word.as_str() {
                    "true" => Tok::True,
                    "false" => Tok::False,
                    "null" => Tok::Null,
                    "def" => Tok::Def,
                    _ => Tok::Id(word),
                }
            };
            out.push(Token { tok, start });
            i = j;
            continue;
        }
        if c.is_ascii_digit() {
            let (tok, j) = number(&chars, i);
            out.push(Token { tok, start });
            i = j;
            continue;
        }
        if c == '"' || c == '\'' {
            let mut j = i + 1;
            let mut s = String::new();
            loop {
                if j >= n {
                    return Err(LexError {
                        offset: i,
                        exception: Exception::illegal_argument(format!(
                            "unexpected character [{}].",
                            chars[i..].iter().collect::<String>()
                        )),
                    });
                }
                let d = chars[j];
                if d == '\\' {
                    // Only the quote and the backslash itself can be escaped.
                    if j + 1 < n && (chars[j + 1] == c || chars[j + 1] == '\\') {
                        s.push(chars[j + 1]);
                        j += 2;
                        continue;
                    }
                    return Err(LexError {
                        offset: i,
                        exception: Exception::illegal_argument(format!(
                            "unexpected character [{}]. The only valid escape sequences in strings starting with [{c}] are [\\\\] and [\\{c}].",
                            chars[i..(j + 2).min(n)].iter().collect::<String>()
                        )),
                    });
                }
                if d == c {
                    break;
                }
                s.push(d);
                j += 1;
            }
            out.push(Token {
                tok: Tok::Str(s),
                start,
            });
            i = j + 1;
            continue;
        }
        if c == '/' && slash_is_regex(out.last()) {
            // REGEX: '/' ( '\\' ~'\n' | ~('/' | '\n') )+? '/' [cilmsUux]*
            let mut j = i + 1;
            let mut pattern = String::new();
            let mut ok = false;
            while j < n {
                let d = chars[j];
                if d == '\\' && j + 1 < n && chars[j + 1] != '\n' {
                    pattern.push(d);
                    pattern.push(chars[j + 1]);
                    j += 2;
                    continue;
                }
                if d == '\n' {
                    break;
                }
                if d == '/' {
                    ok = !pattern.is_empty();
                    break;
                }
                pattern.push(d);
                j += 1;
            }
            if ok {
                j += 1;
                let mut flags = String::new();
                while j < n && "cilmsUux".contains(chars[j]) {
                    flags.push(chars[j]);
                    j += 1;
                }
                out.push(Token {
                    tok: Tok::Regex(pattern, flags),
                    start,
                });
                i = j;
                continue;
            }
            return Err(LexError {
                offset: i,
                exception: Exception::illegal_argument("unexpected character [/]."),
            });
        }
        // Operators: longest match.
        const OPS: &[(&str, u8)] = &[
            (">>>=", 0),
            (">>>", 1),
            ("===", 2),
            ("!==", 3),
            ("==~", 4),
            ("<<=", 5),
            (">>=", 6),
            ("<<", 7),
            (">>", 8),
            ("<=", 9),
            (">=", 10),
            ("==", 11),
            ("!=", 12),
            ("&&", 13),
            ("||", 14),
            ("?:", 15),
            ("?.", 16),
            ("::", 17),
            ("->", 18),
            ("=~", 19),
            ("++", 20),
            ("--", 21),
            ("+=", 22),
            ("-=", 23),
            ("*=", 24),
            ("/=", 25),
            ("%=", 26),
            ("&=", 27),
            ("^=", 28),
            ("|=", 29),
        ];
        let rest = &chars[i..];
        let mut matched = None;
        for (op, code) in OPS {
            let len = op.chars().count();
            if rest.len() >= len && rest[..len].iter().copied().eq(op.chars()) {
                matched = Some((*code, len));
                break;
            }
        }
        let (tok, len) = if let Some((code, len)) = matched {
            let tok = match code {
                0 => Tok::Assign(Some(">>>")),
                1 => Tok::Ush,
                2 => Tok::Eqr,
                3 => Tok::Ner,
                4 => Tok::Match,
                5 => Tok::Assign(Some("<<")),
                6 => Tok::Assign(Some(">>")),
                7 => Tok::Lsh,
                8 => Tok::Rsh,
                9 => Tok::Lte,
                10 => Tok::Gte,
                11 => Tok::Eq,
                12 => Tok::Ne,
                13 => Tok::BoolAnd,
                14 => Tok::BoolOr,
                15 => Tok::Elvis,
                16 => Tok::NsDot,
                17 => Tok::Ref,
                18 => Tok::Arrow,
                19 => Tok::Find,
                20 => Tok::Incr,
                21 => Tok::Decr,
                22 => Tok::Assign(Some("+")),
                23 => Tok::Assign(Some("-")),
                24 => Tok::Assign(Some("*")),
                25 => Tok::Assign(Some("/")),
                26 => Tok::Assign(Some("%")),
                27 => Tok::Assign(Some("&")),
                28 => Tok::Assign(Some("^")),
                _ => Tok::Assign(Some("|")),
            };
            (tok, len)
        } else {
            let tok = match c {
                '{' => Tok::LBrack,
                '}' => Tok::RBrack,
                '[' => Tok::LBrace,
                ']' => Tok::RBrace,
                '(' => Tok::LP,
                ')' => Tok::RP,
                '.' => Tok::Dot,
                ',' => Tok::Comma,
                ';' => Tok::Semi,
                '!' => Tok::BoolNot,
                '~' => Tok::BwNot,
                '*' => Tok::Mul,
                '/' => Tok::Div,
                '%' => Tok::Rem,
                '+' => Tok::Add,
                '-' => Tok::Sub,
                '<' => Tok::Lt,
                '>' => Tok::Gt,
                '&' => Tok::BwAnd,
                '^' => Tok::Xor,
                '|' => Tok::BwOr,
                '?' => Tok::Cond,
                ':' => Tok::Colon,
                '=' => Tok::Assign(None),
                other => {
                    return Err(LexError {
                        offset: i,
                        exception: Exception::illegal_argument(format!(
                            "unexpected character [{other}]."
                        )),
                    })
                }
            };
            (tok, 1)
        };
        if matches!(tok, Tok::Dot | Tok::NsDot) {
            after_dot = true;
        }
        out.push(Token { tok, start });
        i += len;
    }
    out.push(Token {
        tok: Tok::Eof,
        start: n,
    });
    Ok(out)
}

/// `EnhancedPainlessLexer.isSlashRegex`: a `/` divides after a token that ends a value.
fn slash_is_regex(previous: Option<&Token>) -> bool {
    match previous {
        None => true,
        Some(t) => !matches!(
            t.tok,
            Tok::RBrace
                | Tok::RP
                | Tok::Octal(_)
                | Tok::Hex(_)
                | Tok::Integer(_)
                | Tok::Decimal(_)
                | Tok::Id(_)
                | Tok::DotInteger(_)
                | Tok::DotId(_)
        ),
    }
}

/// OCTAL, HEX, INTEGER, DECIMAL.
fn number(chars: &[char], i: usize) -> (Tok, usize) {
    let n = chars.len();
    let at = |j: usize| if j < n { chars[j] } else { '\0' };
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    if chars[i] == '0' && (at(i + 1) == 'x' || at(i + 1) == 'X') && at(i + 2).is_ascii_hexdigit() {
        let mut j = i + 2;
        while at(j).is_ascii_hexdigit() {
            j += 1;
        }
        if at(j) == 'l' || at(j) == 'L' {
            j += 1;
        }
        return (Tok::Hex(text(i, j)), j);
    }
    if chars[i] == '0' && ('0'..='7').contains(&at(i + 1)) {
        let mut j = i + 1;
        while ('0'..='7').contains(&at(j)) {
            j += 1;
        }
        // An octal literal only if not followed by more of a decimal (ANTLR longest match).
        if !(at(j).is_ascii_digit() || at(j) == '.' || at(j) == 'e' || at(j) == 'E') {
            if at(j) == 'l' || at(j) == 'L' {
                j += 1;
            }
            return (Tok::Octal(text(i, j)), j);
        }
    }
    // ( '0' | [1-9] [0-9]* )
    let mut j = i + 1;
    if chars[i] != '0' {
        while at(j).is_ascii_digit() {
            j += 1;
        }
    }
    let mut decimal = false;
    if at(j) == '.' && at(j + 1).is_ascii_digit() {
        decimal = true;
        j += 1;
        while at(j).is_ascii_digit() {
            j += 1;
        }
    }
    if (at(j) == 'e' || at(j) == 'E')
        && (at(j + 1).is_ascii_digit()
            || ((at(j + 1) == '+' || at(j + 1) == '-') && at(j + 2).is_ascii_digit()))
    {
        decimal = true;
        j += 2;
        while at(j).is_ascii_digit() {
            j += 1;
        }
    }
    match at(j) {
        'f' | 'F' | 'd' | 'D' => {
            j += 1;
            if decimal {
                (Tok::Decimal(text(i, j)), j)
            } else {
                (Tok::Integer(text(i, j)), j)
            }
        }
        'l' | 'L' if !decimal => {
            j += 1;
            (Tok::Integer(text(i, j)), j)
        }
        _ => {
            if decimal {
                (Tok::Decimal(text(i, j)), j)
            } else {
                (Tok::Integer(text(i, j)), j)
            }
        }
    }
}
