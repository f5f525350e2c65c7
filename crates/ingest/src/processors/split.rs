//! The `split` processor, and the Java regex helpers the text processors share (`String.split`,
//! `Matcher.replaceAll`), run on Oniguruma with its Java syntax.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/SplitProcessor.java`
//! (commit f0fcfb4e8bfef65cb38e0c74bce9fb58a63f93a8).

use painless::value::{Exception, Value};

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

/// Java regexes (`java.util.regex.Pattern`) on Oniguruma's Java syntax.
pub(crate) mod java_regex {
    use std::sync::LazyLock;

    use onig::{
        Regex, RegexOptions, Region, SearchOptions, Syntax, SyntaxBehavior, SyntaxOperator,
    };
    use painless::value::Exception;

    /// Oniguruma's Java syntax plus what `java.util.regex` has had since Java 7 and Oniguruma's
    /// table lacks: named groups `(?<name>...)` and `\k<name>`; every group captures. The regex
    /// keeps a pointer to its syntax, hence a static.
    static JAVA: LazyLock<Syntax> = LazyLock::new(|| {
        let mut syntax = *Syntax::java();
        syntax.enable_operators(
            SyntaxOperator::SYNTAX_OPERATOR_QMARK_LT_NAMED_GROUP
                | SyntaxOperator::SYNTAX_OPERATOR_ESC_K_NAMED_BACKREF,
        );
        syntax.disable_behavior(SyntaxBehavior::SYNTAX_BEHAVIOR_CAPTURE_ONLY_NAMED_GROUP);
        syntax
    });

    /// A compiled pattern with the names of its named groups (Java's `Pattern.namedGroups()`).
    pub(crate) struct JavaPattern {
        regex: Regex,
        source: String,
        names: Vec<(String, usize)>,
    }

    impl std::fmt::Debug for JavaPattern {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "JavaPattern({:?})", self.source)
        }
    }

    impl JavaPattern {
        /// `Pattern.compile(pattern)`, or `Pattern.compile(pattern, CASE_INSENSITIVE)`.
        /// Numbered groups are kept alongside named ones, as Java does (Oniguruma drops them by
        /// default once a pattern has a named group). The error text is Oniguruma's, not Java's
        /// `PatternSyntaxException` message.
        pub(crate) fn compile(
            pattern: &str,
            case_insensitive: bool,
        ) -> Result<JavaPattern, String> {
            // Java's `\w`, `\d`, `\s`, `\b` (JDK 19 and later), POSIX classes and
            // CASE_INSENSITIVE are ASCII-only by default; Oniguruma's are Unicode unless told
            // (ONIG_OPTION_IGNORECASE_IS_ASCII | WORD_IS_ASCII | DIGIT_IS_ASCII | SPACE_IS_ASCII |
            // POSIX_IS_ASCII, which the onig crate does not name)
            const ASCII_CLASSES: u32 = 0x8000 | 0x1_0000 | 0x2_0000 | 0x4_0000 | 0x8_0000;
            let mut options = RegexOptions::REGEX_OPTION_CAPTURE_GROUP
                | RegexOptions::from_bits_retain(ASCII_CLASSES);
            if case_insensitive {
                options |= RegexOptions::REGEX_OPTION_IGNORECASE;
            }
            let regex = Regex::with_options(pattern, options, &JAVA)
                .map_err(|e| e.description().to_owned())?;
            let mut names = Vec::new();
            regex.foreach_name(|name, groups| {
                if let Some(&last) = groups.last() {
                    names.push((name.to_owned(), last as usize));
                }
                true
            });
            Ok(JavaPattern {
                regex,
                source: pattern.to_owned(),
                names,
            })
        }

        pub(crate) fn group_count(&self) -> usize {
            self.regex.captures_len()
        }

        pub(crate) fn group_named(&self, name: &str) -> Option<usize> {
            self.names.iter().find(|(n, _)| n == name).map(|(_, g)| *g)
        }

        /// Every match as `Matcher.find()` reports them in turn: after an empty match the next
        /// search starts one character further on.
        pub(crate) fn find_all(&self, text: &str) -> Vec<Region> {
            let mut out = Vec::new();
            let mut next = 0usize;
            let mut last: Option<(usize, usize)> = None;
            loop {
                let from = match last {
                    None => next,
                    Some((s, e)) if s == e => {
                        if e >= text.len() {
                            break;
                        }
                        e + text[e..].chars().next().map_or(1, char::len_utf8)
                    }
                    Some((_, e)) => e,
                };
                if from > text.len() {
                    break;
                }
                let mut region = Region::new();
                if self
                    .regex
                    .search_with_options(
                        text,
                        from,
                        text.len(),
                        SearchOptions::SEARCH_OPTION_NONE,
                        Some(&mut region),
                    )
                    .is_none()
                {
                    break;
                }
                let Some(whole) = region.pos(0) else { break };
                last = Some(whole);
                next = whole.1;
                out.push(region);
            }
            out
        }

        /// The first match (`Matcher.find()` once).
        pub(crate) fn find_first(&self, text: &str) -> Option<Region> {
            let mut region = Region::new();
            self.regex
                .search_with_options(
                    text,
                    0,
                    text.len(),
                    SearchOptions::SEARCH_OPTION_NONE,
                    Some(&mut region),
                )
                .map(|_| region)
        }

        /// `Pattern.split(input, limit)` (and so `String.split(regex, limit)`, whose fast path for
        /// one literal character gives the same result).
        pub(crate) fn split(&self, input: &str, limit: i32) -> Vec<String> {
            let match_limited = limit > 0;
            let mut list: Vec<String> = Vec::new();
            let mut index = 0usize;
            for region in self.find_all(input) {
                let (start, end) = region.pos(0).unwrap_or((0, 0));
                if !match_limited || (list.len() as i64) < i64::from(limit) - 1 {
                    if index == 0 && start == 0 && start == end {
                        // no empty leading substring for a zero-width match at the beginning
                        continue;
                    }
                    list.push(input[index..start].to_owned());
                    index = end;
                } else if list.len() as i64 == i64::from(limit) - 1 {
                    list.push(input[index..].to_owned());
                    index = end;
                }
            }
            if index == 0 {
                return vec![input.to_owned()];
            }
            if !match_limited || (list.len() as i64) < i64::from(limit) {
                list.push(input[index..].to_owned());
            }
            if limit == 0 {
                while list.last().is_some_and(String::is_empty) {
                    list.pop();
                }
            }
            list
        }

        /// `Matcher.replaceAll(replacement)`: `$n`, `${name}` and `\x` in the replacement, as
        /// `Matcher.appendExpandedReplacement` reads them (JDK 21). The replacement is only read
        /// when there is a match, so a bad one fails only then, as in Java.
        pub(crate) fn replace_all(
            &self,
            text: &str,
            replacement: &str,
        ) -> Result<String, Exception> {
            let matches = self.find_all(text);
            if matches.is_empty() {
                return Ok(text.to_owned());
            }
            let mut out = String::with_capacity(text.len());
            let mut append_pos = 0usize;
            for region in &matches {
                let (start, end) = region.pos(0).unwrap_or((0, 0));
                out.push_str(&text[append_pos..start]);
                self.append_expanded(&mut out, text, region, replacement)?;
                append_pos = end;
            }
            out.push_str(&text[append_pos..]);
            Ok(out)
        }

        fn append_expanded(
            &self,
            out: &mut String,
            text: &str,
            region: &Region,
            replacement: &str,
        ) -> Result<(), Exception> {
            let chars: Vec<char> = replacement.chars().collect();
            let mut cursor = 0usize;
            while cursor < chars.len() {
                let c = chars[cursor];
                if c == '\\' {
                    cursor += 1;
                    if cursor == chars.len() {
                        return Err(Exception::illegal_argument(
                            "character to be escaped is missing",
                        ));
                    }
                    out.push(chars[cursor]);
                    cursor += 1;
                } else if c == '$' {
                    cursor += 1;
                    if cursor == chars.len() {
                        return Err(Exception::illegal_argument(
                            "Illegal group reference: group index is missing",
                        ));
                    }
                    let next = chars[cursor];
                    let ref_num;
                    if next == '{' {
                        cursor += 1;
                        let mut name = String::new();
                        let mut last = next;
                        while cursor < chars.len() {
                            last = chars[cursor];
                            if last.is_ascii_alphanumeric() {
                                name.push(last);
                                cursor += 1;
                            } else {
                                break;
                            }
                        }
                        if name.is_empty() {
                            return Err(Exception::illegal_argument(
                                "named capturing group has 0 length name",
                            ));
                        }
                        if last != '}' || cursor >= chars.len() {
                            return Err(Exception::illegal_argument(
                                "named capturing group is missing trailing '}'",
                            ));
                        }
                        if name.starts_with(|c: char| c.is_ascii_digit()) {
                            return Err(Exception::illegal_argument(format!(
                                "capturing group name {{{name}}} starts with digit character"
                            )));
                        }
                        ref_num = self.group_named(&name).ok_or_else(|| {
                            Exception::illegal_argument(format!("No group with name {{{name}}}"))
                        })?;
                        cursor += 1;
                    } else {
                        let Some(first) = next.to_digit(10) else {
                            return Err(Exception::illegal_argument("Illegal group reference"));
                        };
                        let mut num = first as usize;
                        cursor += 1;
                        while cursor < chars.len() {
                            let Some(d) = chars[cursor].to_digit(10) else {
                                break;
                            };
                            let candidate = num * 10 + d as usize;
                            if self.group_count() < candidate {
                                break;
                            }
                            num = candidate;
                            cursor += 1;
                        }
                        ref_num = num;
                    }
                    if ref_num > self.group_count() {
                        return Err(Exception::index_out_of_bounds(format!(
                            "No group {ref_num}"
                        )));
                    }
                    if let Some((s, e)) = region.pos(ref_num) {
                        out.push_str(&text[s..e]);
                    }
                } else {
                    out.push(c);
                    cursor += 1;
                }
            }
            Ok(())
        }
    }
}

pub(crate) use java_regex::JavaPattern;

/// What the processor does to the field's value: `oldVal.split(separator, preserveTrailing ? -1 : 0)`
/// into a new `ArrayList`.
pub(crate) fn split_value(pattern: &JavaPattern, value: &str, preserve_trailing: bool) -> Value {
    let parts = pattern.split(value, if preserve_trailing { -1 } else { 0 });
    Value::list_from(parts.into_iter().map(Value::from).collect())
}

/// The error for a null value (`field [x] is null, cannot split.`).
pub(crate) fn null_error(field: &str) -> Exception {
    Exception::illegal_argument(format!("field [{field}] is null, cannot split."))
}

pub struct SplitProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    separator: Result<JavaPattern, String>,
    ignore_missing: bool,
    preserve_trailing: bool,
    target_field: String,
}

/// `SplitProcessor.Factory`: `field`, `ignore_missing`, `preserve_trailing`, `target_field`
/// (default `field`), `separator` (a regex; Java compiles it when a document is split, so a bad
/// one fails each document, not the pipeline).
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let preserve_trailing = config.boolean("preserve_trailing", false)?;
    let target_field = config.string_or("target_field", &field)?;
    let separator = config.required_string("separator")?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(SplitProcessor {
        tag,
        description,
        field,
        separator: JavaPattern::compile(&separator, false),
        ignore_missing,
        preserve_trailing,
        target_field,
    }))
}

impl Processor for SplitProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let value = doc
            .field_opt(&self.field, self.ignore_missing)?
            .unwrap_or(Value::Null);
        let value = crate::document::cast_string(&self.field, &value)?;
        let Some(value) = value else {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            }
            return Err(crate::processors::lowercase::abstract_string::java_ref(
                &null_error(&self.field),
            ));
        };
        let separator = self.separator.as_ref().map_err(|e| {
            crate::processors::lowercase::abstract_string::java_ref(&Exception::new(
                "PatternSyntaxException",
                e.clone(),
            ))
        })?;
        doc.set_field(
            &self.target_field,
            split_value(separator, &value, self.preserve_trailing),
        )?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "split"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(re: &str, s: &str, limit: i32) -> Vec<String> {
        JavaPattern::compile(re, false).unwrap().split(s, limit)
    }

    #[test]
    fn java_split_semantics() {
        assert_eq!(
            split(",", "127.0.0.1,127.0.0.2,127.0.0.3", 0),
            ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
        );
        // trailing empty strings are removed with limit 0, kept with -1 (preserve_trailing)
        assert_eq!(split(",", "foo,bar,,", 0), ["foo", "bar"]);
        assert_eq!(split(",", "foo,bar,,", -1), ["foo", "bar", "", ""]);
        // a leading empty string stays for a non-empty match
        assert_eq!(split(",", ",a", 0), ["", "a"]);
        // no leading empty string for a zero-width match at the start
        assert_eq!(split("", "abc", 0), ["a", "b", "c"]);
        // no match: the input itself
        assert_eq!(split(",", "abc", 0), ["abc"]);
        assert_eq!(split(",", "", 0), [""]);
        // a regex separator
        assert_eq!(split("\\s+", "a  b\tc", 0), ["a", "b", "c"]);
        // limit 2, as kv's value split
        assert_eq!(split("=", "a=b=c", 2), ["a", "b=c"]);
        assert_eq!(split("=", "abc", 2), ["abc"]);
        // only separators
        assert_eq!(split(",", ",,,", 0), Vec::<String>::new());
        // \s and \d are ASCII-only, as in Java
        assert_eq!(split("\\s", "a\u{a0}b c", 0), ["a\u{a0}b", "c"]);
        assert_eq!(split("\\d", "1\u{0661}2", 0), ["", "\u{0661}"]);
    }

    #[test]
    fn split_processor_cases() {
        // SplitProcessorTests: testSplit, testSplitWithPreserveTrailing...
        let p = JavaPattern::compile("\\.", false).unwrap();
        let v = split_value(&p, "127.0.0.1", false);
        assert_eq!(v.java_to_string(), "[127, 0, 0, 1]");
        let p = JavaPattern::compile(",", false).unwrap();
        assert_eq!(
            split_value(&p, "foo,bar,baz,,", true).java_to_string(),
            "[foo, bar, baz, , ]"
        );
        assert_eq!(
            split_value(&p, "foo,bar,baz,,", false).java_to_string(),
            "[foo, bar, baz]"
        );
        assert_eq!(
            null_error("f").message.as_deref(),
            Some("field [f] is null, cannot split.")
        );
    }

    #[test]
    fn java_replace_all() {
        let p = JavaPattern::compile("\\.", false).unwrap();
        assert_eq!(p.replace_all("127.0.0.1", "-").unwrap(), "127-0-0-1");
        let p = JavaPattern::compile("(\\d+)-(\\d+)", false).unwrap();
        assert_eq!(
            p.replace_all("10-20 x 3-4", "$2:$1").unwrap(),
            "20:10 x 4:3"
        );
        // $12 with one... two groups reads $1 then '2'
        assert_eq!(p.replace_all("10-20", "$12").unwrap(), "102");
        let p = JavaPattern::compile("(?<first>a)(b)", false).unwrap();
        assert_eq!(p.replace_all("abab", "${first}$2!").unwrap(), "ab!ab!");
        assert_eq!(p.replace_all("ab", "\\$1").unwrap(), "$1");
        let err = p.replace_all("ab", "$3").unwrap_err();
        assert_eq!(
            (&*err.class, err.message.as_deref()),
            ("IndexOutOfBoundsException", Some("No group 3"))
        );
        let err = p.replace_all("ab", "$x").unwrap_err();
        assert_eq!(err.message.as_deref(), Some("Illegal group reference"));
        let err = p.replace_all("ab", "x\\").unwrap_err();
        assert_eq!(
            err.message.as_deref(),
            Some("character to be escaped is missing")
        );
        let err = p.replace_all("ab", "${nope}").unwrap_err();
        assert_eq!(err.message.as_deref(), Some("No group with name {nope}"));
        let err = p.replace_all("ab", "${first").unwrap_err();
        assert_eq!(
            err.message.as_deref(),
            Some("named capturing group is missing trailing '}'")
        );
        // no match: the replacement is never read
        assert_eq!(p.replace_all("zz", "$9").unwrap(), "zz");
        // empty matches advance one character
        let p = JavaPattern::compile("x*", false).unwrap();
        assert_eq!(p.replace_all("abc", "-").unwrap(), "-a-b-c-");
        assert_eq!(p.replace_all("axxb", "-").unwrap(), "-a--b-");
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build("split", json!({"field": "f", "separator": "\\."}));
        assert_eq!(
            run_ok(&*p, json!({"f": "127.0.0.1"})),
            json!({"f": ["127", "0", "0", "1"]})
        );
        let p = build(
            "split",
            json!({"field": "f", "separator": ",", "preserve_trailing": true, "target_field": "t"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"f": "a,b,,"})),
            json!({"f": "a,b,,", "t": ["a", "b", "", ""]})
        );
        let p = build("split", json!({"field": "f", "separator": ","}));
        assert_eq!(
            run_err(&*p, json!({"f": ["a,b"]})).reason(),
            "field [f] of type [java.util.ArrayList] cannot be cast to [java.lang.String]"
        );
        assert_eq!(
            run_err(&*p, json!({"f": null})).reason(),
            "field [f] is null, cannot split."
        );
        let p = build(
            "split",
            json!({"field": "f", "separator": ",", "ignore_missing": true}),
        );
        assert_eq!(run_ok(&*p, json!({})), json!({}));
        // a separator Java cannot compile fails the document, not the pipeline
        let p = build("split", json!({"field": "f", "separator": "("}));
        assert_eq!(
            run_err(&*p, json!({"f": "x"})).type_,
            "pattern_syntax_exception"
        );
    }

    /// Strings built from the characters the parsers treat specially, with multi-byte ones
    /// among them: no text processor may panic on any of them.
    #[test]
    fn no_panics_on_odd_input() {
        use crate::processors::*;
        let alphabet: Vec<char> = "ab <>/!-?&#;x=\"',.%+{}*()[]\\:\n\té€😀\u{a0}0123456789ABCDEF"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let kv = kv::KvParser::new(" ", "=", Some("<>"), Some("\""), true, None, None);
        let headers: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
        let dissect = dissect::DissectParser::new("%{a} %{+a} <%{?b}>%{*c}=%{&c}", "").unwrap();
        let ws = JavaPattern::compile("\\s*", false).unwrap();
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| alphabet[(next() as usize) % alphabet.len()])
                .collect();
            let _ = html_strip::strip(&s);
            let _ = urldecode::url_decode(&s);
            let _ = bytes::parse_bytes(&s);
            let _ = json::apply(&Value::from(s.as_str()));
            let _ = kv.pairs("f", &s);
            let _ = dissect.parse(&s);
            let _ = csv::CsvParser::new(b'"' as u16, b',' as u16, true, &headers, None).process(&s);
            let _ = ws.split(&s, 0);
            let _ = ws.replace_all(&s, "$0-");
            let _ = convert::Type::Auto.convert(&Value::from(s.as_str()));
            let _ = convert::inet::ip_string_to_bytes(&s);
            let _ = remove_by_pattern::simple_match(&s, "aé*b");
            let _ = dissect::DissectParser::new(&s, "");
        }
    }
}
