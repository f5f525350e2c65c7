//! `java.util.regex` on Oniguruma (OpenSearch's grok runs on Joni, a port of Oniguruma; Painless
//! itself uses `java.util.regex`, whose syntax Oniguruma's Java syntax follows).
//!
//! Patterns are compiled with Oniguruma's Java syntax plus named groups (`(?<name>...)`,
//! `\k<name>`), capturing plain groups alongside named ones as Java does, and with `\w`, `\d`,
//! `\s` and POSIX classes ASCII-only unless the `U` flag is given (Java's default). Positions are
//! UTF-16 indices, as Java's.
//!
//! Known differences from `java.util.regex`: `.` without `DOTALL` and `$` without `MULTILINE`
//! treat only `\n` as a line terminator (Java also `\r`, `\u0085`, `\u2028`, `\u2029`);
//! `CANON_EQ` (flag `c`) is not supported.
//!
//! **The `limited` regex mode** (`script.painless.regex.limit-factor`): upstream wraps the input
//! in a `LimitedCharSequence` (`modules/lang-painless/src/main/java/org/opensearch/painless/api/
//! LimitedCharSequence.java`) that counts `charAt` calls and throws `CircuitBreakingException`
//! past `limit factor × input length`. Oniguruma cannot count characters read; what it can bound
//! is backtracking: each match attempt here runs with Oniguruma's retry-limit-in-match set to
//! `limit factor × input length`, and exceeding it throws the same `CircuitBreakingException`
//! with upstream's message (the `count` it reports is the limit plus one, since the real count is
//! unknown). This approximates upstream: runaway backtracking is stopped in both, but a script
//! close to the limit can pass here and trip on a node (or the reverse).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;

use onig::{MatchParam, RegexOptions, Region, SearchOptions, Syntax, SyntaxOperator};

use crate::value::{Exception, JArray, JavaObject, Value};

use super::util::*;
use super::{Host, HostExt, Registry, Thrown};

const PATTERN: &str = "java.util.regex.Pattern";
const MATCHER: &str = "java.util.regex.Matcher";

// java.util.regex.Pattern flag values.
const UNIX_LINES: i32 = 0x01;
const CASE_INSENSITIVE: i32 = 0x02;
const COMMENTS: i32 = 0x04;
const MULTILINE: i32 = 0x08;
const LITERAL: i32 = 0x10;
const DOTALL: i32 = 0x20;
const UNICODE_CASE: i32 = 0x40;
const CANON_EQ: i32 = 0x80;
const UNICODE_CHARACTER_CLASS: i32 = 0x100;

/// Oniguruma option bits not named by the `onig` crate (onig_sys `ffi.rs`).
const ONIG_OPTION_IGNORECASE_IS_ASCII: u32 = 32768;
const ONIG_OPTION_WORD_IS_ASCII: u32 = 65536;
const ONIG_OPTION_DIGIT_IS_ASCII: u32 = 131072;
const ONIG_OPTION_SPACE_IS_ASCII: u32 = 262144;
const ONIG_OPTION_POSIX_IS_ASCII: u32 = 524288;
const ONIGERR_RETRY_LIMIT_IN_MATCH_OVER: i32 = -17;
const ONIGERR_RETRY_LIMIT_IN_SEARCH_OVER: i32 = -18;

fn syntax() -> &'static Syntax {
    static SYNTAX: OnceLock<usize> = OnceLock::new();
    let ptr = *SYNTAX.get_or_init(|| {
        let mut s = *Syntax::java();
        s.enable_operators(
            SyntaxOperator::SYNTAX_OPERATOR_QMARK_LT_NAMED_GROUP
                | SyntaxOperator::SYNTAX_OPERATOR_ESC_K_NAMED_BACKREF,
        );
        // Oniguruma keeps a pointer to the syntax in each compiled regex: it must live forever.
        Box::leak(Box::new(s)) as *const Syntax as usize
    });
    // SAFETY: the pointer comes from Box::leak above and is never freed or mutated.
    unsafe { &*(ptr as *const Syntax) }
}

/// A compiled `java.util.regex.Pattern`.
pub struct JavaPattern {
    pub source: String,
    pub flags: i32,
    regex: onig::Regex,
    /// Named groups and their numbers.
    names: Vec<(String, usize)>,
}

impl JavaObject for JavaPattern {
    fn class_name(&self) -> &str {
        PATTERN
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        self.source.clone()
    }
}

/// Compiles a regex literal `/pattern/flags` (flags as Painless accepts them: `c i l m s U u x`).
/// A bad pattern is a `PatternSyntaxException` (with Oniguruma's description of the error).
pub fn compile(pattern: &str, flags: &str) -> Result<Value, Exception> {
    let mut bits = 0;
    for f in flags.chars() {
        bits |= match f {
            'c' => CANON_EQ,
            'i' => CASE_INSENSITIVE,
            'l' => LITERAL,
            'm' => MULTILINE,
            's' => DOTALL,
            'U' => UNICODE_CHARACTER_CLASS,
            'u' => UNICODE_CASE,
            'x' => COMMENTS,
            other => {
                return Err(Exception::illegal_argument(format!(
                    "invalid regular expression: unknown flag [{other}]"
                )))
            }
        };
    }
    compile_flags(pattern, bits).map(|p| Value::Object(Rc::new(p)))
}

pub fn compile_flags(pattern: &str, flags: i32) -> Result<JavaPattern, Exception> {
    if flags & CANON_EQ != 0 {
        return Err(Exception::unsupported_operation(
            "not supported by siemctl's offline Painless: the regex flag CANON_EQ (c)",
        ));
    }
    let _ = UNIX_LINES;
    // Pattern(String, int): UNICODE_CHARACTER_CLASS implies UNICODE_CASE.
    let flags = if flags & UNICODE_CHARACTER_CLASS != 0 {
        flags | UNICODE_CASE
    } else {
        flags
    };
    let mut opts: u32 = onig::RegexOptions::REGEX_OPTION_CAPTURE_GROUP.bits();
    if flags & UNICODE_CHARACTER_CLASS == 0 {
        opts |= ONIG_OPTION_WORD_IS_ASCII
            | ONIG_OPTION_DIGIT_IS_ASCII
            | ONIG_OPTION_SPACE_IS_ASCII
            | ONIG_OPTION_POSIX_IS_ASCII;
    }
    if flags & CASE_INSENSITIVE != 0 {
        opts |= RegexOptions::REGEX_OPTION_IGNORECASE.bits();
        if flags & (UNICODE_CASE | UNICODE_CHARACTER_CLASS) == 0 {
            opts |= ONIG_OPTION_IGNORECASE_IS_ASCII;
        }
    }
    if flags & MULTILINE != 0 {
        opts |= RegexOptions::REGEX_OPTION_NEGATE_SINGLELINE.bits();
    }
    if flags & DOTALL != 0 {
        opts |= RegexOptions::REGEX_OPTION_MULTILINE.bits();
    }
    if flags & COMMENTS != 0 {
        opts |= RegexOptions::REGEX_OPTION_EXTEND.bits();
    }
    let source = if flags & LITERAL != 0 {
        pattern
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || !c.is_ascii() {
                    c.to_string()
                } else {
                    format!("\\{c}")
                }
            })
            .collect()
    } else {
        pattern.to_owned()
    };
    let regex = onig::Regex::with_options(&source, RegexOptions::from_bits_retain(opts), syntax())
        .map_err(|e| {
            Exception::new(
                "PatternSyntaxException",
                format!("{} near index 0\n{pattern}", e.description()),
            )
        })?;
    let mut names = Vec::new();
    regex.foreach_name(|name, groups| {
        if let Some(g) = groups.first() {
            names.push((name.to_owned(), *g as usize));
        }
        true
    });
    Ok(JavaPattern {
        source: pattern.to_owned(),
        flags,
        regex,
        names,
    })
}

fn pattern_of(v: &Value) -> Result<Rc<dyn JavaObject>, Thrown> {
    match v {
        Value::Object(o) if o.as_any().is::<JavaPattern>() => Ok(o.clone()),
        Value::Null => Err(npe()),
        other => Err(cce(other, PATTERN)),
    }
}

fn as_pattern(o: &Rc<dyn JavaObject>) -> &JavaPattern {
    o.as_any()
        .downcast_ref::<JavaPattern>()
        .expect("checked by pattern_of")
}

/// A `java.util.regex.Matcher` over a string.
pub struct JavaMatcher {
    pattern: Rc<dyn JavaObject>,
    text: String,
    /// UTF-16 index of each byte offset (only for non-ASCII text).
    utf16: Option<Vec<usize>>,
    /// Retry limit per match attempt (0: none) and the limit factor, for the limited mode.
    limit: u32,
    limit_factor: u32,
    state: RefCell<MatchState>,
}

#[derive(Default)]
struct MatchState {
    /// Byte ranges of the groups of the last match.
    groups: Option<Vec<Option<(usize, usize)>>>,
    /// Where the next `find()` starts (bytes).
    next: usize,
    /// `appendReplacement` position (bytes).
    append: usize,
}

impl JavaObject for JavaMatcher {
    fn class_name(&self) -> &str {
        MATCHER
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        let p = as_pattern(&self.pattern);
        let state = self.state.borrow();
        let last = match &state.groups {
            Some(g) => match g.first().copied().flatten() {
                Some((_, e)) => self.u16(e).to_string(),
                None => "0".into(),
            },
            None => "0".into(),
        };
        format!(
            "java.util.regex.Matcher[pattern={} region=0,{} lastmatch={}]",
            p.source,
            self.u16(self.text.len()),
            if state.groups.is_some() {
                last
            } else {
                String::new()
            }
        )
    }
}

impl JavaMatcher {
    fn new(pattern: Rc<dyn JavaObject>, text: String, limit_factor: u32) -> JavaMatcher {
        let utf16 = if text.is_ascii() {
            None
        } else {
            let mut map = vec![0; text.len() + 1];
            let mut u = 0;
            for (i, c) in text.char_indices() {
                for (k, slot) in map.iter_mut().enumerate().skip(i).take(c.len_utf8()) {
                    *slot = if k == i { u } else { u + 1 };
                }
                u += c.len_utf16();
            }
            map[text.len()] = u;
            Some(map)
        };
        let len16 = utf16.as_ref().map_or(text.len(), |m| m[text.len()]);
        let limit = if limit_factor == 0 {
            0
        } else {
            (limit_factor as usize)
                .saturating_mul(len16)
                .min(u32::MAX as usize) as u32
        };
        JavaMatcher {
            pattern,
            text,
            utf16,
            limit,
            limit_factor,
            state: RefCell::new(MatchState::default()),
        }
    }

    pub fn value(pattern: &Value, text: String, limit_factor: u32) -> Result<Value, Thrown> {
        Ok(Value::Object(Rc::new(JavaMatcher::new(
            pattern_of(pattern)?,
            text,
            limit_factor,
        ))))
    }

    fn regex(&self) -> &onig::Regex {
        &as_pattern(&self.pattern).regex
    }

    /// UTF-16 index of a byte offset.
    fn u16(&self, byte: usize) -> usize {
        self.utf16.as_ref().map_or(byte, |m| m[byte])
    }

    /// Byte offset of a UTF-16 index (`None` past the end or inside a character).
    fn byte(&self, u: usize) -> Option<usize> {
        match &self.utf16 {
            None => (u <= self.text.len()).then_some(u),
            Some(map) => {
                (0..=self.text.len()).find(|&b| map[b] == u && self.text.is_char_boundary(b))
            }
        }
    }

    fn param(&self) -> MatchParam {
        let mut p = MatchParam::default();
        if self.limit > 0 {
            p.set_retry_limit_in_match(self.limit);
        }
        p
    }

    fn onig_error(&self, e: &onig::Error) -> Thrown {
        if e.code() == ONIGERR_RETRY_LIMIT_IN_MATCH_OVER
            || e.code() == ONIGERR_RETRY_LIMIT_IN_SEARCH_OVER
        {
            if self.limit_factor > 0 {
                let p = as_pattern(&self.pattern);
                let snippet = if self.u16(self.text.len()) <= 64 {
                    self.text.clone()
                } else {
                    let cut = self.byte(61).unwrap_or(61.min(self.text.len()));
                    format!("{}...", &self.text[..cut])
                };
                return exc(
                    "CircuitBreakingException",
                    format!(
                        "[scripting] Regular expression considered too many characters, pattern: [{}], limit factor: [{}], char limit: [{}], count: [{}], wrapped: [{snippet}], this limit can be changed by changed by the [script.painless.regex.limit-factor] setting",
                        p.source,
                        self.limit_factor,
                        self.limit,
                        u64::from(self.limit) + 1
                    ),
                );
            }
            return unsupported(format!(
                "the regex /{}/ backtracks past Oniguruma's retry limit",
                as_pattern(&self.pattern).source
            ));
        }
        unsupported(format!("regex engine error: {}", e.description()))
    }

    fn groups_of(region: &Region, n: usize) -> Vec<Option<(usize, usize)>> {
        (0..n).map(|i| region.pos(i)).collect()
    }

    fn group_count(&self) -> usize {
        self.regex().captures_len()
    }

    /// Searches from a byte offset; records the match.
    fn search_from(&self, from: usize) -> Result<bool, Thrown> {
        let mut region = Region::new();
        let res = self
            .regex()
            .search_with_param(
                self.text.as_str(),
                from,
                self.text.len(),
                SearchOptions::SEARCH_OPTION_NONE,
                Some(&mut region),
                self.param(),
            )
            .map_err(|e| self.onig_error(&e))?;
        let mut st = self.state.borrow_mut();
        match res {
            Some(_) => {
                let groups = Self::groups_of(&region, self.group_count() + 1);
                let (s, e) = groups[0].unwrap_or((from, from));
                // Java: after an empty match the next search starts one character later.
                st.next = if e == s {
                    e + self.text[e..].chars().next().map_or(1, char::len_utf8)
                } else {
                    e
                };
                st.groups = Some(groups);
                Ok(true)
            }
            None => {
                st.groups = None;
                st.next = self.text.len() + 1;
                Ok(false)
            }
        }
    }

    pub fn find(&self) -> Result<bool, Thrown> {
        let from = self.state.borrow().next;
        if from > self.text.len() {
            self.state.borrow_mut().groups = None;
            return Ok(false);
        }
        self.search_from(from)
    }

    /// `matches()` (whole input) or `lookingAt()` (a prefix).
    fn match_at_start(&self, whole: bool) -> Result<bool, Thrown> {
        let mut region = Region::new();
        let opts = if whole {
            SearchOptions::SEARCH_OPTION_WHOLE_STRING
        } else {
            SearchOptions::SEARCH_OPTION_NONE
        };
        let res = self
            .regex()
            .match_with_param(self.text.as_str(), 0, opts, Some(&mut region), self.param())
            .map_err(|e| self.onig_error(&e))?;
        let ok = match res {
            Some(len) => !whole || len == self.text.len(),
            None => false,
        };
        let mut st = self.state.borrow_mut();
        if ok {
            let groups = Self::groups_of(&region, self.group_count() + 1);
            st.next = groups[0].map_or(0, |(_, e)| e);
            st.groups = Some(groups);
        } else {
            st.groups = None;
        }
        Ok(ok)
    }

    fn range(&self, group: i32) -> Result<Option<(usize, usize)>, Thrown> {
        let st = self.state.borrow();
        let Some(groups) = &st.groups else {
            return Err(exc("IllegalStateException", "No match found"));
        };
        if group < 0 || group as usize >= groups.len() {
            return Err(exc(
                "IndexOutOfBoundsException",
                format!("No group {group}"),
            ));
        }
        Ok(groups[group as usize])
    }

    pub fn group(&self, group: i32) -> Result<Value, Thrown> {
        Ok(match self.range(group)? {
            Some((s, e)) => Value::from(&self.text[s..e]),
            None => Value::Null,
        })
    }

    fn named(&self, name: &str) -> Result<i32, Thrown> {
        as_pattern(&self.pattern)
            .names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, g)| *g as i32)
            .ok_or_else(|| {
                exc(
                    "IllegalArgumentException",
                    format!("No group with name <{name}>"),
                )
            })
    }

    fn start(&self, group: i32) -> Result<i32, Thrown> {
        if self.state.borrow().groups.is_none() {
            return Err(exc("IllegalStateException", "No match available"));
        }
        Ok(self.range(group)?.map_or(-1, |(s, _)| self.u16(s) as i32))
    }

    fn end(&self, group: i32) -> Result<i32, Thrown> {
        if self.state.borrow().groups.is_none() {
            return Err(exc("IllegalStateException", "No match available"));
        }
        Ok(self.range(group)?.map_or(-1, |(_, e)| self.u16(e) as i32))
    }

    fn reset(&self) {
        *self.state.borrow_mut() = MatchState::default();
    }

    /// `appendReplacement` then, at the end, `appendTail`: the text since the last append up to
    /// the match, then the expanded replacement.
    fn append_replacement(&self, out: &mut String, replacement: &str) -> Result<(), Thrown> {
        let (s, e) = self
            .range(0)?
            .ok_or_else(|| exc("IllegalStateException", "No match available"))?;
        let expanded = self.expand(replacement)?;
        let mut st = self.state.borrow_mut();
        out.push_str(&self.text[st.append..s]);
        out.push_str(&expanded);
        st.append = e;
        Ok(())
    }

    fn append_tail(&self, out: &mut String) {
        let st = self.state.borrow();
        out.push_str(&self.text[st.append.min(self.text.len())..]);
    }

    /// Java's replacement syntax: `$n`, `${name}`, `\x` for a literal `x`.
    fn expand(&self, replacement: &str) -> Result<String, Thrown> {
        let chars: Vec<char> = replacement.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        let group_count = self.group_count() as i32;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' {
                i += 1;
                if i >= chars.len() {
                    return Err(exc(
                        "IllegalArgumentException",
                        "character to be escaped is missing",
                    ));
                }
                out.push(chars[i]);
                i += 1;
            } else if c == '$' {
                i += 1;
                if i >= chars.len() {
                    return Err(exc(
                        "IllegalArgumentException",
                        "Illegal group reference: group index is missing",
                    ));
                }
                let group = if chars[i] == '{' {
                    i += 1;
                    let start = i;
                    while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                        i += 1;
                    }
                    if start == i {
                        return Err(exc(
                            "IllegalArgumentException",
                            "named capturing group has 0 length name",
                        ));
                    }
                    if i >= chars.len() || chars[i] != '}' {
                        return Err(exc(
                            "IllegalArgumentException",
                            "named capturing group is missing trailing '}'",
                        ));
                    }
                    let name: String = chars[start..i].iter().collect();
                    i += 1;
                    match as_pattern(&self.pattern)
                        .names
                        .iter()
                        .find(|(n, _)| *n == name)
                    {
                        Some((_, g)) => *g as i32,
                        None => {
                            return Err(exc(
                                "IllegalArgumentException",
                                format!("No group with name {{{name}}}"),
                            ))
                        }
                    }
                } else {
                    let Some(d) = chars[i].to_digit(10) else {
                        return Err(exc("IllegalArgumentException", "Illegal group reference"));
                    };
                    let mut group = d as i32;
                    i += 1;
                    while i < chars.len() {
                        let Some(d) = chars[i].to_digit(10) else {
                            break;
                        };
                        let next = group * 10 + d as i32;
                        if group_count < next {
                            break;
                        }
                        group = next;
                        i += 1;
                    }
                    group
                };
                if let Some((s, e)) = self.range(group)? {
                    out.push_str(&self.text[s..e]);
                }
            } else {
                out.push(c);
                i += 1;
            }
        }
        Ok(out)
    }

    /// `replaceAll(replacement)` / `replaceFirst(replacement)` with a replacement string or, for
    /// the Painless augmentation, a function of the matcher.
    fn replace(
        &self,
        this: &Value,
        all: bool,
        with: Replacement<'_>,
        h: &mut dyn Host,
    ) -> Result<String, Thrown> {
        self.reset();
        if !self.find()? {
            return Ok(self.text.clone());
        }
        let mut out = String::with_capacity(self.text.len() + 16);
        loop {
            h.tick()?;
            match &with {
                Replacement::Text(r) => self.append_replacement(&mut out, r)?,
                Replacement::Function(f) => {
                    let r = h.invoke(f, std::slice::from_ref(this))?;
                    let r = match r {
                        Value::String(s) => s.to_string(),
                        Value::Null => return Err(npe()),
                        other => other.java_to_string(),
                    };
                    self.append_replacement(&mut out, &quote_replacement(&r))?;
                }
            }
            if !all || !self.find()? {
                break;
            }
        }
        self.append_tail(&mut out);
        Ok(out)
    }
}

enum Replacement<'a> {
    Text(&'a str),
    Function(&'a Value),
}

fn matcher(t: Option<&Value>) -> Result<&JavaMatcher, Thrown> {
    match recv(t)? {
        Value::Object(o) => o.as_any().downcast_ref::<JavaMatcher>().ok_or_else(|| {
            exc(
                "ClassCastException",
                format!("Cannot cast {} to {MATCHER}", o.class_name()),
            )
        }),
        other => Err(cce(other, MATCHER)),
    }
}

/// `Pattern.quote`.
pub fn quote(s: &str) -> String {
    if !s.contains("\\E") {
        return format!("\\Q{s}\\E");
    }
    let mut out = String::from("\\Q");
    let mut rest = s;
    while let Some(i) = rest.find("\\E") {
        out.push_str(&rest[..i]);
        out.push_str("\\E\\\\E\\Q");
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out.push_str("\\E");
    out
}

/// `Matcher.quoteReplacement`.
pub fn quote_replacement(s: &str) -> String {
    if !s.contains(['\\', '$']) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c == '\\' || c == '$' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `Pattern.split(input, limit)`, with the JDK's rules (no leading empty string for a zero-width
/// match at the start; trailing empty strings removed when the limit is 0).
fn split(pattern: &Value, input: String, limit: i32, limit_factor: u32) -> Result<Value, Thrown> {
    let m = JavaMatcher::new(pattern_of(pattern)?, input, limit_factor);
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    let limited = limit > 0;
    let mut matched_any = false;
    while m.find()? {
        let (s, e) = m.range(0)?.unwrap_or((0, 0));
        if !limited || (parts.len() as i64) < i64::from(limit) - 1 {
            if index == 0 && s == 0 && s == e {
                continue;
            }
            parts.push(m.text[index..s].to_owned());
            index = e;
            matched_any = true;
        } else if parts.len() as i64 == i64::from(limit) - 1 {
            parts.push(m.text[index..].to_owned());
            index = e;
            matched_any = true;
        }
    }
    if index == 0 && !matched_any {
        return Ok(string_array(vec![m.text.clone()]));
    }
    if !limited || (parts.len() as i64) < i64::from(limit) {
        parts.push(m.text[index.min(m.text.len())..].to_owned());
    }
    if limit == 0 {
        while parts.last().is_some_and(String::is_empty) {
            parts.pop();
        }
    }
    Ok(string_array(parts))
}

fn string_array(items: Vec<String>) -> Value {
    Value::Array(Rc::new(RefCell::new(JArray::new(
        "String".into(),
        items.into_iter().map(Value::from).collect(),
    ))))
}

pub(crate) fn register(r: &mut Registry) {
    // Pattern (the injected limit factor comes from the host)
    r.add(PATTERN, "matcher", 1, |t, a, h| {
        JavaMatcher::value(recv(t)?, chars_arg(a, 0)?, h.regex_limit_factor())
    });
    r.add(PATTERN, "split", 1, |t, a, h| {
        split(recv(t)?, chars_arg(a, 0)?, 0, h.regex_limit_factor())
    });
    r.add(PATTERN, "split", 2, |t, a, h| {
        split(
            recv(t)?,
            chars_arg(a, 0)?,
            int_arg(a, 1)?,
            h.regex_limit_factor(),
        )
    });
    r.add(PATTERN, "splitAsStream", 1, |t, a, h| {
        // Pattern.splitAsStream: the split with trailing empty strings discarded.
        let parts = split(recv(t)?, chars_arg(a, 0)?, 0, h.regex_limit_factor())?;
        let items = match &parts {
            Value::Array(arr) => arr.borrow().items.clone(),
            _ => Vec::new(),
        };
        let list = Value::list_from(items);
        let Some(stream) = super::resolve_by_key("java.util.Collection", "stream", 0) else {
            return Err(unsupported("Pattern.splitAsStream"));
        };
        stream(Some(&list), &[], h)
    });
    r.add(PATTERN, "pattern", 0, |t, _, _| {
        Ok(Value::from(
            as_pattern(&pattern_of(recv(t)?)?).source.clone(),
        ))
    });
    r.add(PATTERN, "flags", 0, |t, _, _| {
        Ok(Value::Int(as_pattern(&pattern_of(recv(t)?)?).flags))
    });
    r.add(PATTERN, "quote", 1, |_, a, _| {
        Ok(Value::from(quote(str_arg(a, 0)?)))
    });

    // Matcher
    r.add(MATCHER, "find", 0, |t, _, _| {
        Ok(Value::Boolean(matcher(t)?.find()?))
    });
    r.add(MATCHER, "find", 1, |t, a, _| {
        let m = matcher(t)?;
        let start = int_arg(a, 0)?;
        let len16 = m.u16(m.text.len());
        if start < 0 || start as usize > len16 {
            return Err(exc("IndexOutOfBoundsException", "Illegal start index"));
        }
        m.reset();
        let from = m.byte(start as usize).unwrap_or(m.text.len());
        Ok(Value::Boolean(m.search_from(from)?))
    });
    r.add(MATCHER, "matches", 0, |t, _, _| {
        Ok(Value::Boolean(matcher(t)?.match_at_start(true)?))
    });
    r.add(MATCHER, "lookingAt", 0, |t, _, _| {
        Ok(Value::Boolean(matcher(t)?.match_at_start(false)?))
    });
    r.add(MATCHER, "group", 0, |t, _, _| matcher(t)?.group(0));
    r.add(MATCHER, "group", 1, |t, a, _| {
        matcher(t)?.group(int_arg(a, 0)?)
    });
    r.add(MATCHER, "namedGroup", 1, |t, a, _| {
        let m = matcher(t)?;
        if m.state.borrow().groups.is_none() {
            return Err(exc("IllegalStateException", "No match found"));
        }
        let g = m.named(str_arg(a, 0)?)?;
        m.group(g)
    });
    r.add(MATCHER, "groupCount", 0, |t, _, _| {
        Ok(Value::Int(matcher(t)?.group_count() as i32))
    });
    r.add(MATCHER, "start", 0, |t, _, _| {
        Ok(Value::Int(matcher(t)?.start(0)?))
    });
    r.add(MATCHER, "start", 1, |t, a, _| {
        Ok(Value::Int(matcher(t)?.start(int_arg(a, 0)?)?))
    });
    r.add(MATCHER, "end", 0, |t, _, _| {
        Ok(Value::Int(matcher(t)?.end(0)?))
    });
    r.add(MATCHER, "end", 1, |t, a, _| {
        Ok(Value::Int(matcher(t)?.end(int_arg(a, 0)?)?))
    });
    r.add(MATCHER, "reset", 0, |t, _, _| {
        matcher(t)?.reset();
        Ok(recv(t)?.clone())
    });
    r.add(MATCHER, "pattern", 0, |t, _, _| {
        Ok(Value::Object(matcher(t)?.pattern.clone()))
    });
    r.add(MATCHER, "hasAnchoringBounds", 0, |_, _, _| {
        Ok(Value::Boolean(true))
    });
    r.add(MATCHER, "hasTransparentBounds", 0, |_, _, _| {
        Ok(Value::Boolean(false))
    });
    r.add(MATCHER, "regionStart", 0, |_, _, _| Ok(Value::Int(0)));
    r.add(MATCHER, "regionEnd", 0, |t, _, _| {
        let m = matcher(t)?;
        Ok(Value::Int(m.u16(m.text.len()) as i32))
    });
    r.add(MATCHER, "quoteReplacement", 1, |_, a, _| {
        Ok(Value::from(quote_replacement(str_arg(a, 0)?)))
    });
    r.add(MATCHER, "replaceAll", 1, |t, a, h| {
        let m = matcher(t)?;
        Ok(Value::from(m.replace(
            recv(t)?,
            true,
            Replacement::Text(str_arg(a, 0)?),
            h,
        )?))
    });
    r.add(MATCHER, "replaceFirst", 1, |t, a, h| {
        let m = matcher(t)?;
        Ok(Value::from(m.replace(
            recv(t)?,
            false,
            Replacement::Text(str_arg(a, 0)?),
            h,
        )?))
    });

    // CharSequence.replaceAll / replaceFirst (Pattern, Function<Matcher, String>)
    r.add("java.lang.CharSequence", "replaceAll", 2, |t, a, h| {
        replace_with(t, a, h, true)
    });
    r.add("java.lang.CharSequence", "replaceFirst", 2, |t, a, h| {
        replace_with(t, a, h, false)
    });
}

fn replace_with(
    t: Option<&Value>,
    a: &[Value],
    h: &mut dyn Host,
    all: bool,
) -> Result<Value, Thrown> {
    let text = match recv(t)? {
        Value::String(s) => s.to_string(),
        other => other.java_to_string(),
    };
    let m = JavaMatcher::value(arg(a, 0), text, h.regex_limit_factor())?;
    let Value::Object(o) = &m else {
        unreachable!("JavaMatcher::value returns an object")
    };
    let jm = o.as_any().downcast_ref::<JavaMatcher>().expect("a matcher");
    Ok(Value::from(jm.replace(
        &m,
        all,
        Replacement::Function(arg(a, 1)),
        h,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stdlib::tests::{ok, s, thrown};

    fn p(src: &str, flags: &str) -> Value {
        compile(src, flags).expect("compiles")
    }

    #[test]
    fn find_group_start_end_in_utf16() {
        let m = ok("Pattern", "matcher", Some(p("(?<w>b+)", "")), &[s("éabbc")]);
        assert_eq!(
            ok("Matcher", "find", Some(m.clone()), &[]).java_to_string(),
            "true"
        );
        assert_eq!(
            ok("Matcher", "group", Some(m.clone()), &[]).java_to_string(),
            "bb"
        );
        assert_eq!(
            ok("Matcher", "start", Some(m.clone()), &[]).java_to_string(),
            "2"
        );
        assert_eq!(
            ok("Matcher", "end", Some(m.clone()), &[]).java_to_string(),
            "4"
        );
        assert_eq!(
            ok("Matcher", "namedGroup", Some(m.clone()), &[s("w")]).java_to_string(),
            "bb"
        );
        assert_eq!(
            ok("Matcher", "find", Some(m.clone()), &[]).java_to_string(),
            "false"
        );
        assert_eq!(
            thrown("Matcher", "group", Some(m), &[]),
            "IllegalStateException: No match found"
        );
    }

    #[test]
    fn matches_is_whole_input_with_backtracking() {
        let m = ok("Pattern", "matcher", Some(p("a|ab", "")), &[s("ab")]);
        assert_eq!(
            ok("Matcher", "matches", Some(m), &[]).java_to_string(),
            "true"
        );
        let m = ok("Pattern", "matcher", Some(p("\\w+", "")), &[s("héllo")]);
        assert_eq!(
            ok("Matcher", "matches", Some(m), &[]).java_to_string(),
            "false",
            "\\w is ASCII in Java"
        );
        let m = ok("Pattern", "matcher", Some(p("ABC", "i")), &[s("abc")]);
        assert_eq!(
            ok("Matcher", "matches", Some(m), &[]).java_to_string(),
            "true"
        );
    }

    #[test]
    fn replace_with_java_replacement_syntax() {
        let m = ok(
            "Pattern",
            "matcher",
            Some(p("(\\w)(\\d)", "")),
            &[s("a1 b2 c")],
        );
        assert_eq!(
            ok("Matcher", "replaceAll", Some(m.clone()), &[s("$2$1\\$")]).java_to_string(),
            "1a$ 2b$ c"
        );
        assert_eq!(
            ok("Matcher", "replaceFirst", Some(m.clone()), &[s("<$0>")]).java_to_string(),
            "<a1> b2 c"
        );
        assert_eq!(
            thrown("Matcher", "replaceAll", Some(m.clone()), &[s("$3")]),
            "IndexOutOfBoundsException: No group 3"
        );
        assert_eq!(
            thrown("Matcher", "replaceAll", Some(m), &[s("$x")]),
            "IllegalArgumentException: Illegal group reference"
        );
    }

    #[test]
    fn split_as_the_jdk() {
        let parts = ok("Pattern", "split", Some(p(",", "")), &[s("a,b,,c,,")]);
        let Value::Array(a) = parts else { panic!() };
        let got: Vec<String> = a.borrow().items.iter().map(Value::java_to_string).collect();
        assert_eq!(got, ["a", "b", "", "c"]);
        let parts = ok("Pattern", "split", Some(p("", "")), &[s("abc")]);
        let Value::Array(a) = parts else { panic!() };
        assert_eq!(a.borrow().items.len(), 3);
        let parts = ok(
            "Pattern",
            "split",
            Some(p(",", "")),
            &[s("a,b,c"), Value::Int(2)],
        );
        let Value::Array(a) = parts else { panic!() };
        let got: Vec<String> = a.borrow().items.iter().map(Value::java_to_string).collect();
        assert_eq!(got, ["a", "b,c"]);
    }

    #[test]
    fn as_predicate_finds() {
        let pred = ok("Pattern", "asPredicate", Some(p("b+", "")), &[]);
        let l = Value::list_from(vec![s("abc"), s("xyz")]);
        ok("ArrayList", "removeIf", Some(l.clone()), &[pred]);
        assert_eq!(l.java_to_string(), "[xyz]");
    }

    #[test]
    fn limited_regex_stops_runaway_backtracking() {
        let m = JavaMatcher::value(&p("(a+)+b", ""), "a".repeat(40), 6).unwrap();
        let Value::Object(o) = &m else { panic!() };
        let jm = o.as_any().downcast_ref::<JavaMatcher>().unwrap();
        let Err(Thrown::Exception(e)) = jm.find() else {
            panic!("expected the circuit breaker")
        };
        assert_eq!(e.class.as_ref(), "CircuitBreakingException");
        assert!(e.message.unwrap().starts_with("[scripting] Regular expression considered too many characters, pattern: [(a+)+b], limit factor: [6], char limit: [240]"));
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a.b"), "\\Qa.b\\E");
        assert_eq!(quote_replacement("$1\\"), "\\$1\\\\");
        let m = ok("Pattern", "matcher", Some(p("a.b", "l")), &[s("a.b")]);
        assert_eq!(
            ok("Matcher", "matches", Some(m), &[]).java_to_string(),
            "true"
        );
    }
}
