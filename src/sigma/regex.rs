//! Sigma's regular expressions (the `re` modifier: PCRE-style, matched anywhere in the value,
//! as pySigma's reference matchers use Python's `re.search`) rewritten as Lucene regular
//! expressions (`lucene/core/src/java/org/apache/lucene/util/automaton/RegExp.java`), which
//! match the whole value, have no flags, and give `@ & ~ < > # "` meanings PCRE does not.
//!
//! The rewrite keeps the language exactly or refuses:
//! - unanchored ends get `.*`; a leading `^` / trailing `$` is dropped (Lucene is anchored);
//! - `.` becomes "any character but a newline" unless `s` (Lucene's `.` matches newlines too);
//! - `i` folds every letter into a class of both cases;
//! - lazy quantifiers lose their `?` (same set of matches); `(?:` becomes `(`;
//! - `\d \D \s \S \w \W` are kept (Lucene knows them), an escaped punctuation character stays
//!   escaped, and PCRE literals that are Lucene operators are escaped;
//! - lookaround, backreferences, inline flags other than a leading `(?i)`, possessive
//!   quantifiers, anchors inside the expression, `\b`, `\A`, `\z`, `\x..`, `\n`-style escapes
//!   and POSIX classes are refused with the construct named.

/// Why a regular expression cannot be rewritten.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RegexError(pub(crate) String);

/// Characters that are operators in Lucene's RegExp (with the `ALL` flags OpenSearch uses) but
/// literals in PCRE, and `/`, which ends a regular expression in a query string.
const LUCENE_ONLY: &[char] = &['@', '&', '~', '<', '>', '#', '"', '/'];

/// Rewrites `source` for a Lucene query string (the text between the two `/`).
pub(crate) fn to_lucene(
    source: &str,
    insensitive: bool,
    multiline: bool,
    dotall: bool,
) -> Result<String, RegexError> {
    let mut chars: Vec<char> = source.chars().collect();
    let mut insensitive = insensitive;
    if chars.starts_with(&['(', '?', 'i', ')']) {
        insensitive = true;
        chars.drain(..4);
    }
    let anchored_start = chars.first() == Some(&'^');
    if anchored_start {
        chars.remove(0);
    }
    let anchored_end = chars.last() == Some(&'$') && !escaped_at(&chars, chars.len() - 1);
    if anchored_end {
        chars.pop();
    }
    if multiline && (anchored_start || anchored_end) {
        return Err(RegexError(
            "the `m` flag makes `^` and `$` match at line breaks, which Lucene cannot express"
                .into(),
        ));
    }
    let mut out = String::new();
    if !anchored_start {
        out.push_str(".*");
    }
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err(RegexError("the expression ends with a lone `\\`".into()));
                };
                escape(next, &mut out, false)?;
                i += 2;
                continue;
            }
            '[' => {
                i = class(&chars, i, insensitive, &mut out)?;
                continue;
            }
            '.' => {
                if dotall {
                    out.push('.');
                } else {
                    out.push_str("[^\n]");
                }
            }
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    if chars.get(i + 2) == Some(&':') {
                        out.push('(');
                        i += 3;
                        continue;
                    }
                    let what: String = chars[i..chars.len().min(i + 4)].iter().collect();
                    return Err(RegexError(format!(
                        "`{what}` (lookaround, a named group or an inline flag) has no Lucene equivalent"
                    )));
                }
                out.push('(');
            }
            ')' | '|' => out.push(c),
            '*' | '+' | '?' => {
                out.push(c);
                match chars.get(i + 1) {
                    Some('?') => i += 1,
                    Some('+') => {
                        return Err(RegexError(format!(
                            "the possessive quantifier `{c}+` has no Lucene equivalent"
                        )))
                    }
                    _ => {}
                }
            }
            '{' => {
                let end = quantifier_end(&chars, i);
                match end {
                    Some(end) => {
                        out.extend(&chars[i..=end]);
                        i = end;
                        if chars.get(i + 1) == Some(&'?') {
                            i += 1;
                        }
                    }
                    None => out.push_str("\\{"),
                }
            }
            '}' => out.push_str("\\}"),
            '^' | '$' => {
                return Err(RegexError(format!(
                    "`{c}` inside the expression (an anchor not at its start or end) has no Lucene equivalent"
                )))
            }
            c if LUCENE_ONLY.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => fold(c, insensitive, &mut out),
        }
        i += 1;
    }
    if !anchored_end {
        out.push_str(".*");
    }
    Ok(out)
}

fn escaped_at(chars: &[char], at: usize) -> bool {
    let backslashes = chars[..at].iter().rev().take_while(|c| **c == '\\').count();
    backslashes % 2 == 1
}

/// `{n}`, `{n,}`, `{n,m}` starting at `at`: the index of its `}`.
fn quantifier_end(chars: &[char], at: usize) -> Option<usize> {
    let mut j = at + 1;
    let mut digits = 0;
    while chars.get(j).is_some_and(char::is_ascii_digit) {
        j += 1;
        digits += 1;
    }
    if digits == 0 {
        return None;
    }
    if chars.get(j) == Some(&',') {
        j += 1;
        while chars.get(j).is_some_and(char::is_ascii_digit) {
            j += 1;
        }
    }
    (chars.get(j) == Some(&'}')).then_some(j)
}

fn escape(next: char, out: &mut String, in_class: bool) -> Result<(), RegexError> {
    match next {
        'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
            if in_class && next.is_ascii_uppercase() {
                return Err(RegexError(format!(
                    "`\\{next}` inside a character class has no Lucene equivalent"
                )));
            }
            out.push('\\');
            out.push(next);
        }
        c if c.is_ascii_alphanumeric() => {
            return Err(RegexError(format!(
                "the escape `\\{c}` has no Lucene equivalent (Lucene reads it as the letter `{c}`)"
            )))
        }
        c => {
            out.push('\\');
            out.push(c);
        }
    }
    Ok(())
}

/// A letter, in both cases when `insensitive`; any other character escaped when Lucene
/// would read it as an operator.
fn fold(c: char, insensitive: bool, out: &mut String) {
    let lower: String = c.to_lowercase().collect();
    let upper: String = c.to_uppercase().collect();
    if insensitive && lower != upper && lower.chars().count() == 1 && upper.chars().count() == 1 {
        out.push('[');
        out.push_str(&lower);
        out.push_str(&upper);
        out.push(']');
    } else {
        out.push(c);
    }
}

/// Copies a character class starting at `at` (`[`), returns the index after its `]`.
fn class(
    chars: &[char],
    at: usize,
    insensitive: bool,
    out: &mut String,
) -> Result<usize, RegexError> {
    let mut i = at + 1;
    let mut body = String::new();
    if chars.get(i) == Some(&'^') {
        body.push('^');
        i += 1;
    }
    if chars.get(i) == Some(&':') {
        return Err(RegexError(
            "POSIX classes (`[:alpha:]`) have no Lucene equivalent".into(),
        ));
    }
    let mut first = true;
    let mut extra = String::new();
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(RegexError("a character class `[` is never closed".into()));
        };
        if c == ']' && !first {
            break;
        }
        first = false;
        if c == '\\' {
            let Some(&next) = chars.get(i + 1) else {
                return Err(RegexError("the expression ends with a lone `\\`".into()));
            };
            escape(next, &mut body, true)?;
            i += 2;
            continue;
        }
        if c == '[' && chars.get(i + 1) == Some(&':') {
            return Err(RegexError(
                "POSIX classes (`[:alpha:]`) have no Lucene equivalent".into(),
            ));
        }
        // A range `a-z`: with `i`, its other case too.
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|e| *e != ']') {
            let end = chars[i + 2];
            body.push(c);
            body.push('-');
            body.push(end);
            if insensitive {
                if c.is_ascii_lowercase() && end.is_ascii_lowercase() {
                    extra.push_str(&format!(
                        "{}-{}",
                        c.to_ascii_uppercase(),
                        end.to_ascii_uppercase()
                    ));
                } else if c.is_ascii_uppercase() && end.is_ascii_uppercase() {
                    extra.push_str(&format!(
                        "{}-{}",
                        c.to_ascii_lowercase(),
                        end.to_ascii_lowercase()
                    ));
                }
            }
            i += 3;
            continue;
        }
        if LUCENE_ONLY.contains(&c) || c == '[' {
            body.push('\\');
        }
        body.push(c);
        if insensitive {
            for other in c.to_lowercase().chain(c.to_uppercase()) {
                if other != c {
                    extra.push(other);
                }
            }
        }
        i += 1;
    }
    out.push('[');
    out.push_str(&body);
    out.push_str(&extra);
    out.push(']');
    Ok(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lucene(re: &str) -> String {
        to_lucene(re, false, false, false).unwrap()
    }

    #[test]
    fn unanchored_ends_get_any_string_and_anchors_are_dropped() {
        assert_eq!(lucene("abc"), ".*abc.*");
        assert_eq!(lucene("^abc$"), "abc");
        assert_eq!(lucene(r"abc\$"), r".*abc\$.*");
    }

    #[test]
    fn dot_excludes_newlines_unless_dotall() {
        assert_eq!(
            lucene(".+:assumed-role/aws:.+"),
            ".*[^\n]+:assumed-role\\/aws:[^\n]+.*"
        );
        assert_eq!(to_lucene("a.b", false, false, true).unwrap(), ".*a.b.*");
    }

    #[test]
    fn lucene_operators_are_escaped_and_quantifiers_kept() {
        assert_eq!(lucene("a@b&c~d<e>f#g\"h"), r#".*a\@b\&c\~d\<e\>f\#g\"h.*"#);
        assert_eq!(lucene(r"\d{2,4}x{3}y*?(?:z|w)"), r".*\d{2,4}x{3}y*(z|w).*");
        assert_eq!(lucene("a{b}"), r".*a\{b\}.*");
        assert_eq!(lucene(r"[a-c\]@]"), r".*[a-c\]\@].*");
    }

    #[test]
    fn insensitive_folds_letters_and_ranges() {
        assert_eq!(
            to_lucene("Ab1", true, false, false).unwrap(),
            ".*[aA][bB]1.*"
        );
        assert_eq!(
            to_lucene("(?i)x[a-c]", false, false, false).unwrap(),
            ".*[xX][a-cA-C].*"
        );
        assert_eq!(to_lucene("[^q]", true, false, false).unwrap(), ".*[^qQ].*");
    }

    #[test]
    fn constructs_without_an_equivalent_are_refused() {
        for re in [
            r"a(?=b)",
            r"(a)\1",
            r"a\bb",
            r"a$b",
            "a*+",
            "[[:alpha:]]",
            r"\x41",
            r"\n",
        ] {
            assert!(to_lucene(re, false, false, false).is_err(), "{re}");
        }
        assert!(to_lucene("^a", false, true, false).is_err());
        assert_eq!(to_lucene("a", false, true, false).unwrap(), ".*a.*");
    }
}
