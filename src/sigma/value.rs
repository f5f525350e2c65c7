//! Sigma values and modifiers (specification v2, "Value modifiers"), before any field mapping:
//! a field key `Field|m1|m2` and its values become [`Value`]s, each a set of alternatives.
//!
//! Strings are case-insensitive unless `cased`; `*` and `?` are wildcards, `\*`, `\?` and `\\`
//! their literal characters, and any other backslash is a literal backslash. Transforming
//! modifiers apply in the order written (`wide|base64offset|contains`), as pySigma does
//! (`sigma/modifiers.py`).

use base64::Engine as _;

use super::node::Node;

/// One character position of a string value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Lit(char),
    /// `*`: any run of characters.
    Any,
    /// `?`: exactly one character.
    One,
}

/// A string value with its wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern(pub(crate) Vec<Piece>);

impl Pattern {
    /// A Sigma string: wildcards and escapes as the specification reads them.
    pub(crate) fn sigma(text: &str) -> Pattern {
        let chars: Vec<char> = text.chars().collect();
        let mut pieces = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '\\' if matches!(chars.get(i + 1), Some('*' | '?' | '\\')) => {
                    pieces.push(Piece::Lit(chars[i + 1]));
                    i += 2;
                    continue;
                }
                '*' => pieces.push(Piece::Any),
                '?' => pieces.push(Piece::One),
                c => pieces.push(Piece::Lit(c)),
            }
            i += 1;
        }
        Pattern(pieces)
    }

    /// A string without wildcards (what an encoding produced).
    pub(crate) fn literal(text: &str) -> Pattern {
        Pattern(text.chars().map(Piece::Lit).collect())
    }

    /// Whether case matters for this value: it has letters with two cases.
    pub(crate) fn has_cased_letters(&self) -> bool {
        self.0.iter().any(|p| match p {
            Piece::Lit(c) => c.to_lowercase().ne(c.to_uppercase()),
            _ => false,
        })
    }

    /// The literal text, when there are no wildcards.
    pub(crate) fn as_literal(&self) -> Option<String> {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Lit(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    fn wrap(mut self, before: bool, after: bool) -> Pattern {
        if before && self.0.first() != Some(&Piece::Any) {
            self.0.insert(0, Piece::Any);
        }
        if after && self.0.last() != Some(&Piece::Any) {
            self.0.push(Piece::Any);
        }
        self
    }
}

/// A comparison of `lt`, `lte`, `gt`, `gte`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Cmp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Lte => "<=",
            Cmp::Gt => ">",
            Cmp::Gte => ">=",
        }
    }
}

/// One alternative a field is compared with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A string: equal to the pattern (wildcards), case-insensitive unless `cased`.
    Text {
        pattern: Pattern,
        cased: bool,
    },
    /// A YAML number, compared as a number on numeric fields and as its text elsewhere.
    Number(String),
    Bool(bool),
    /// `null`: the field is absent or empty.
    Null,
    /// `re`: a regular expression (unanchored, as in pySigma), with `i`, `m`, `s` flags.
    Regex {
        source: String,
        insensitive: bool,
        multiline: bool,
        dotall: bool,
    },
    /// `cidr`: an IPv4 or IPv6 network.
    Cidr(String),
    /// `exists`: the field is present (true) or absent (false).
    Exists(bool),
    /// `lt`, `lte`, `gt`, `gte` against a number.
    Compare(Cmp, String),
}

/// A field key's values, after its modifiers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Values {
    /// The Sigma field name (`None` for keywords).
    pub(crate) field: Option<String>,
    /// One entry per value of the rule; each is a set of alternatives (an encoding such as
    /// `base64offset` or `windash` expands one value into several), matched by any of them.
    pub(crate) values: Vec<Vec<Value>>,
    /// `all`: every value must match (default: any of them).
    pub(crate) all: bool,
}

/// A modifier the rule used that cannot be expressed, or a value it does not accept.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueError {
    pub(crate) message: String,
    pub(crate) hint: String,
}

fn err(message: impl Into<String>, hint: impl Into<String>) -> ValueError {
    ValueError {
        message: message.into(),
        hint: hint.into(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Encoding {
    Le,
    Be,
    /// `utf16`: with a byte order mark (little endian, as pySigma writes it).
    LeWithBom,
}

/// Applies the modifiers of `key` (`Field|contains|all`; `|all` alone for keywords) to the
/// values `nodes`.
pub(crate) fn apply(key: Option<&str>, nodes: &[&Node]) -> Result<Values, ValueError> {
    let (field, modifiers) = match key {
        None => (None, Vec::new()),
        Some(key) => {
            let mut parts = key.split('|');
            let name = parts.next().unwrap_or_default();
            let field = if name.is_empty() {
                None
            } else {
                Some(name.to_string())
            };
            (field, parts.map(str::to_string).collect::<Vec<_>>())
        }
    };
    let mut all = false;
    let mut cased = false;
    let mut encoding = None;
    // The string stages in order: (modifier, index) for contains/startswith/endswith/base64...
    let mut stages: Vec<&str> = Vec::new();
    let mut kind: Option<&str> = None;
    let mut re_flags = (false, false, false);
    for m in &modifiers {
        match m.as_str() {
            "all" => all = true,
            "cased" => cased = true,
            "contains" | "startswith" | "endswith" | "base64" | "base64offset" | "windash" => {
                stages.push(m.as_str())
            }
            "wide" | "utf16le" => encoding = Some(Encoding::Le),
            "utf16be" => encoding = Some(Encoding::Be),
            "utf16" => encoding = Some(Encoding::LeWithBom),
            "re" | "cidr" | "exists" | "lt" | "lte" | "gt" | "gte" => {
                if let Some(previous) = kind {
                    return Err(err(
                        format!("modifiers `{previous}` and `{m}` cannot be combined"),
                        "keep one of them",
                    ));
                }
                kind = Some(m.as_str());
            }
            "i" | "m" | "s" if kind == Some("re") => match m.as_str() {
                "i" => re_flags.0 = true,
                "m" => re_flags.1 = true,
                _ => re_flags.2 = true,
            },
            "fieldref" => {
                return Err(err(
                    "the `fieldref` modifier compares two fields of one event, which DQL and Lucene query strings cannot express",
                    "remove the comparison from a copy of the rule, or check it in an alerting monitor with a script",
                ))
            }
            "expand" => {
                return Err(err(
                    "the `expand` modifier needs placeholder values from a processing pipeline, which this import does not have",
                    "replace the %placeholder% with the values it stands for in a copy of the rule",
                ))
            }
            other => {
                return Err(err(
                    format!("the modifier `{other}` is not supported"),
                    "supported: contains, startswith, endswith, all, cased, re (with i, m, s), cidr, base64, base64offset, wide/utf16le/utf16be/utf16 before base64, windash, exists, lt, lte, gt, gte",
                ))
            }
        }
    }
    if encoding.is_some() && !stages.iter().any(|s| s.starts_with("base64")) {
        return Err(err(
            "a UTF-16 modifier (wide, utf16le, utf16be, utf16) only makes sense before base64 or base64offset: a query string cannot match raw UTF-16 bytes",
            "add `|base64offset` after it, or remove it",
        ));
    }
    if kind.is_some() && !stages.is_empty() {
        return Err(err(
            format!(
                "`{}` cannot be combined with `{}`",
                kind.unwrap_or_default(),
                stages.join("`, `")
            ),
            "a regular expression, CIDR, comparison or exists test takes its value as it is",
        ));
    }
    let mut values = Vec::new();
    for node in nodes {
        values.push(one(node, kind, &stages, encoding, cased, re_flags)?);
    }
    Ok(Values { field, values, all })
}

fn one(
    node: &Node,
    kind: Option<&str>,
    stages: &[&str],
    encoding: Option<Encoding>,
    cased: bool,
    (insensitive, multiline, dotall): (bool, bool, bool),
) -> Result<Vec<Value>, ValueError> {
    let scalar = |node: &Node| -> Result<String, ValueError> {
        match node {
            Node::Str(s) => Ok(s.clone()),
            Node::Int(i) => Ok(i.to_string()),
            Node::Float(f) => Ok(f.to_string()),
            Node::Bool(b) => Ok(b.to_string()),
            other => Err(err(
                format!("expected a value, found {}", other.describe()),
                "values are strings, numbers, booleans or null; a list of them means any of them",
            )),
        }
    };
    match kind {
        Some("re") => {
            return Ok(vec![Value::Regex {
                source: scalar(node)?,
                insensitive,
                multiline,
                dotall,
            }])
        }
        Some("cidr") => return Ok(vec![Value::Cidr(scalar(node)?)]),
        Some("exists") => {
            return match node {
                Node::Bool(b) => Ok(vec![Value::Exists(*b)]),
                Node::Str(s) if s == "true" || s == "false" => Ok(vec![Value::Exists(s == "true")]),
                other => Err(err(
                    format!("`exists` takes true or false, found {}", other.describe()),
                    "write `Field|exists: true` or `Field|exists: false`",
                )),
            }
        }
        Some(op @ ("lt" | "lte" | "gt" | "gte")) => {
            let cmp = match op {
                "lt" => Cmp::Lt,
                "lte" => Cmp::Lte,
                "gt" => Cmp::Gt,
                _ => Cmp::Gte,
            };
            return match node {
                Node::Int(i) => Ok(vec![Value::Compare(cmp, i.to_string())]),
                Node::Float(f) => Ok(vec![Value::Compare(cmp, f.to_string())]),
                other => Err(err(
                    format!("`{op}` compares with a number, found {}", other.describe()),
                    "write the number without quotes",
                )),
            };
        }
        _ => {}
    }
    let text = match node {
        Node::Null if stages.is_empty() => return Ok(vec![Value::Null]),
        Node::Bool(b) if stages.is_empty() => return Ok(vec![Value::Bool(*b)]),
        Node::Int(_) | Node::Float(_) if stages.is_empty() => {
            return Ok(vec![Value::Number(scalar(node)?)])
        }
        Node::Str(s) => s.clone(),
        other => scalar(other)?,
    };
    let mut current = vec![Pattern::sigma(&text)];
    for stage in stages {
        current = match *stage {
            "contains" => current.into_iter().map(|p| p.wrap(true, true)).collect(),
            "startswith" => current.into_iter().map(|p| p.wrap(false, true)).collect(),
            "endswith" => current.into_iter().map(|p| p.wrap(true, false)).collect(),
            "base64" | "base64offset" => {
                let mut out = Vec::new();
                for p in current {
                    let Some(plain) = p.as_literal() else {
                        return Err(err(
                            format!("`{stage}` encodes the value, and wildcards cannot be encoded"),
                            "remove the * or ? from the value, or escape them (\\*) if they are part of it",
                        ));
                    };
                    let bytes = encode(&plain, encoding);
                    if *stage == "base64" {
                        out.push(Pattern::literal(&b64(&bytes)));
                    } else {
                        out.extend(base64_offsets(&bytes).iter().map(|s| Pattern::literal(s)));
                    }
                }
                out
            }
            "windash" => {
                let mut out = Vec::new();
                for p in current {
                    out.extend(windash(&p)?);
                }
                out
            }
            _ => current,
        };
    }
    Ok(current
        .into_iter()
        .map(|pattern| Value::Text {
            // An encoding is case-sensitive by nature: base64 of `A` and of `a` differ.
            cased: cased || stages.iter().any(|s| s.starts_with("base64")),
            pattern,
        })
        .collect())
}

fn encode(text: &str, encoding: Option<Encoding>) -> Vec<u8> {
    match encoding {
        None => text.as_bytes().to_vec(),
        Some(Encoding::Le) => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Some(Encoding::Be) => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        Some(Encoding::LeWithBom) => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The three encodings of `bytes` at offsets 0, 1 and 2 of a base64 stream, trimmed to the
/// characters that do not depend on the neighbouring bytes (pySigma's
/// `SigmaBase64OffsetModifier`: start offsets 0, 2, 3; end trims by (len + i) % 3 of
/// none, 3, 2).
pub(crate) fn base64_offsets(bytes: &[u8]) -> Vec<String> {
    const START: [usize; 3] = [0, 2, 3];
    const END: [usize; 3] = [0, 3, 2];
    (0..3)
        .map(|i| {
            let mut padded = vec![b' '; i];
            padded.extend_from_slice(bytes);
            let encoded = b64(&padded);
            let trim = END[(bytes.len() + i) % 3];
            let end = encoded.len().saturating_sub(trim);
            encoded.get(START[i]..end).unwrap_or_default().to_string()
        })
        .collect()
}

/// The dashes Windows command lines accept for an option (pySigma's `SigmaWindowsDashModifier`):
/// `-`, `/`, en dash, em dash, horizontal bar.
const DASHES: [char; 5] = ['-', '/', '\u{2013}', '\u{2014}', '\u{2015}'];

/// Expands every `-` or `/` that starts a word (at the start, or after a space) into the five
/// dashes: one alternative per combination.
fn windash(p: &Pattern) -> Result<Vec<Pattern>, ValueError> {
    let positions: Vec<usize> =
        p.0.iter()
            .enumerate()
            .filter(|(i, piece)| {
                matches!(piece, Piece::Lit('-' | '/'))
                    && (*i == 0 || matches!(p.0[i - 1], Piece::Lit(' ') | Piece::Any))
            })
            .map(|(i, _)| i)
            .collect();
    if positions.len() > 4 {
        return Err(err(
            format!(
                "`windash` on a value with {} options makes {} alternatives; at most 4 options are expanded",
                positions.len(),
                5usize.pow(positions.len() as u32)
            ),
            "split the value into several values (they are OR'ed, or AND'ed with |all)",
        ));
    }
    let mut out = vec![p.clone()];
    for &at in &positions {
        out = out
            .into_iter()
            .flat_map(|base| {
                DASHES.iter().map(move |d| {
                    let mut v = base.clone();
                    v.0[at] = Piece::Lit(*d);
                    v
                })
            })
            .collect();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Node {
        Node::Str(text.into())
    }

    fn texts(v: &Values) -> Vec<Vec<String>> {
        v.values
            .iter()
            .map(|alts| {
                alts.iter()
                    .map(|a| match a {
                        Value::Text { pattern, .. } => pattern
                            .0
                            .iter()
                            .map(|p| match p {
                                Piece::Lit(c) => c.to_string(),
                                Piece::Any => "<*>".into(),
                                Piece::One => "<?>".into(),
                            })
                            .collect(),
                        other => format!("{other:?}"),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn wildcards_and_escapes_follow_the_specification() {
        assert_eq!(
            Pattern::sigma(r"a*b?c\*d\?e\\f\g").0,
            vec![
                Piece::Lit('a'),
                Piece::Any,
                Piece::Lit('b'),
                Piece::One,
                Piece::Lit('c'),
                Piece::Lit('*'),
                Piece::Lit('d'),
                Piece::Lit('?'),
                Piece::Lit('e'),
                Piece::Lit('\\'),
                Piece::Lit('f'),
                Piece::Lit('\\'),
                Piece::Lit('g'),
            ]
        );
    }

    #[test]
    fn contains_startswith_endswith_add_wildcards_once() {
        let v = apply(Some("f|contains"), &[&s("x"), &s("*y*")]).unwrap();
        assert_eq!(texts(&v), [["<*>x<*>"], ["<*>y<*>"]]);
        let v = apply(Some("f|startswith"), &[&s("x")]).unwrap();
        assert_eq!(texts(&v), [["x<*>"]]);
        let v = apply(Some("f|endswith|all"), &[&s("x"), &s("y")]).unwrap();
        assert!(v.all);
        assert_eq!(texts(&v), [["<*>x"], ["<*>y"]]);
    }

    #[test]
    fn base64offset_matches_pysigma() {
        // pySigma's test vector (`foobar`), and `/bin/bash`.
        assert_eq!(
            base64_offsets(b"/bin/bash"),
            ["L2Jpbi9iYXNo", "9iaW4vYmFza", "vYmluL2Jhc2"]
        );
        let v = apply(Some("f|base64offset|contains"), &[&s("/bin/bash")]).unwrap();
        assert_eq!(
            texts(&v),
            [[
                "<*>L2Jpbi9iYXNo<*>",
                "<*>9iaW4vYmFza<*>",
                "<*>vYmluL2Jhc2<*>"
            ]]
        );
        let v = apply(Some("f|base64"), &[&s("abc")]).unwrap();
        assert_eq!(texts(&v), [["YWJj"]]);
        assert!(matches!(v.values[0][0], Value::Text { cased: true, .. }));
        let v = apply(Some("f|wide|base64"), &[&s("ab")]).unwrap();
        assert_eq!(texts(&v), [["YQBiAA=="]]);
        assert!(apply(Some("f|base64"), &[&s("a*")]).is_err());
        assert!(apply(Some("f|wide"), &[&s("a")]).is_err());
    }

    #[test]
    fn windash_expands_options_at_word_starts() {
        let v = apply(Some("f|windash|contains"), &[&s(" -exec ")]).unwrap();
        assert_eq!(v.values[0].len(), 5);
        assert_eq!(texts(&v)[0][1], "<*> /exec <*>");
        assert_eq!(texts(&v)[0][2], "<*> \u{2013}exec <*>");
        // a dash inside a word is not an option
        let v = apply(Some("f|windash"), &[&s("a-b")]).unwrap();
        assert_eq!(v.values[0].len(), 1);
    }

    #[test]
    fn typed_modifiers_take_their_values_as_they_are() {
        let v = apply(Some("f|re|i"), &[&s("a.+b")]).unwrap();
        assert_eq!(
            v.values[0],
            [Value::Regex {
                source: "a.+b".into(),
                insensitive: true,
                multiline: false,
                dotall: false
            }]
        );
        let v = apply(Some("f|gte"), &[&Node::Int(5)]).unwrap();
        assert_eq!(v.values[0], [Value::Compare(Cmp::Gte, "5".into())]);
        assert!(apply(Some("f|gt"), &[&s("5")]).is_err());
        let v = apply(Some("f|exists"), &[&Node::Bool(false)]).unwrap();
        assert_eq!(v.values[0], [Value::Exists(false)]);
        let v = apply(Some("f|cidr"), &[&s("10.0.0.0/8")]).unwrap();
        assert_eq!(v.values[0], [Value::Cidr("10.0.0.0/8".into())]);
        let v = apply(Some("f"), &[&Node::Null, &Node::Int(3)]).unwrap();
        assert_eq!(
            v.values,
            [vec![Value::Null], vec![Value::Number("3".into())]]
        );
    }

    #[test]
    fn unsupported_modifiers_are_refused_by_name() {
        let e = apply(Some("f|fieldref"), &[&s("g")]).unwrap_err();
        assert!(e.message.contains("fieldref"));
        let e = apply(Some("f|frobnicate"), &[&s("g")]).unwrap_err();
        assert!(e.message.contains("`frobnicate`"));
        assert!(apply(Some("f|re|contains"), &[&s("g")]).is_err());
        assert!(apply(Some("f|re|cidr"), &[&s("g")]).is_err());
    }
}
