//! The `dissect` processor: splits a string on the delimiters of a pattern such as
//! `%{a} %{+a} [%{?skip}] %{*k}=%{&k} %{b->}`.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/DissectProcessor.java`
//! (commit f0fcfb4e8bfef65cb38e0c74bce9fb58a63f93a8) on the library
//! `libs/dissect/src/main/java/org/opensearch/dissect/` (`DissectParser.java` at
//! dc98adc7765952245c931e36f6c5c496790c6b04, `DissectKey.java` at
//! 435ea517c9aab3cdab207ac8367c5f137839ea9f, `DissectMatch.java` at
//! b8169f7c40fe4be96f9ee9a57df2ab30d7d71fd9, `DissectException.java` at
//! 9168f1fb43015cf7f33eab30f1300ec85f4d4305). The key and pattern syntax is read with the same
//! regexes upstream uses.

use std::sync::LazyLock;

use painless::value::map::{JMap, MapKind};
use painless::value::{Exception, Value};

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

use super::split::JavaPattern;

static LEADING_DELIMITER: LazyLock<JavaPattern> =
    LazyLock::new(|| JavaPattern::compile("^(.*?)%", false).expect("valid regex"));
static KEY_DELIMITER_FIELD: LazyLock<JavaPattern> =
    LazyLock::new(|| JavaPattern::compile("(?s)%\\{([^}]*?)}([^%]*)", false).expect("valid regex"));
static LEFT_MODIFIER: LazyLock<JavaPattern> =
    LazyLock::new(|| JavaPattern::compile("(?s)([+*&?])(.*?)(->)?$", false).expect("valid regex"));
static RIGHT_PADDING: LazyLock<JavaPattern> =
    LazyLock::new(|| JavaPattern::compile("(?s)^(.*?)(->)?$", false).expect("valid regex"));
static APPEND_WITH_ORDER: LazyLock<JavaPattern> = LazyLock::new(|| {
    JavaPattern::compile("(?s)[+](.*?)(/)([0-9]+)(->)?$", false).expect("valid regex")
});
static MODIFIER: LazyLock<JavaPattern> =
    LazyLock::new(|| JavaPattern::compile("[/+*&?]", false).expect("valid regex"));

/// A `DissectException`: its class (`PatternParse`, `KeyParse`, `FindMatch`) and message.
pub(crate) fn dissect_exception(class: &str, message: String) -> Exception {
    Exception::new(class, message)
}

fn key_parse(key: &str, reason: &str) -> Exception {
    dissect_exception(
        "KeyParse",
        format!("Unable to parse key: {key} Reason: {reason}"),
    )
}

fn pattern_parse(pattern: &str, reason: &str) -> Exception {
    dissect_exception(
        "PatternParse",
        format!("Unable to parse pattern: {pattern} Reason: {reason}"),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Modifier {
    None,
    AppendWithOrder,
    Append,
    FieldName,
    FieldValue,
    NamedSkip,
}

impl Modifier {
    fn from_char(c: &str) -> Modifier {
        match c {
            "/" => Modifier::AppendWithOrder,
            "+" => Modifier::Append,
            "*" => Modifier::FieldName,
            "&" => Modifier::FieldValue,
            _ => Modifier::NamedSkip,
        }
    }

    fn find(key: &str) -> Result<Modifier, Exception> {
        let mut modifier = Modifier::None;
        let mut matches = 0;
        for region in MODIFIER.find_all(key) {
            let (s, e) = region.pos(0).unwrap_or((0, 0));
            let prior = modifier;
            modifier = Modifier::from_char(&key[s..e]);
            matches += 1;
            if matches > 1 && !(prior == Modifier::Append && modifier == Modifier::AppendWithOrder)
            {
                return Err(key_parse(key, "multiple modifiers are not allowed."));
            }
        }
        Ok(modifier)
    }
}

#[derive(Debug, Clone)]
struct DissectKey {
    modifier: Modifier,
    skip: bool,
    skip_right_padding: bool,
    append_position: i32,
    name: String,
}

fn group<'t>(text: &'t str, region: &onig::Region, g: usize) -> Option<&'t str> {
    region.pos(g).map(|(s, e)| &text[s..e])
}

impl DissectKey {
    fn new(key: &str) -> Result<DissectKey, Exception> {
        let mut skip = key.is_empty();
        let modifier = Modifier::find(key)?;
        let mut name: Option<String> = None;
        let mut skip_right_padding = false;
        let mut append_position = 0;
        match modifier {
            Modifier::None => {
                for r in RIGHT_PADDING.find_all(key) {
                    name = group(key, &r, 1).map(str::to_owned);
                    skip_right_padding = r.pos(2).is_some();
                }
                skip = name.as_deref().is_none_or(str::is_empty);
            }
            Modifier::NamedSkip | Modifier::Append | Modifier::FieldName | Modifier::FieldValue => {
                for r in LEFT_MODIFIER.find_all(key) {
                    name = group(key, &r, 2).map(str::to_owned);
                    skip_right_padding = r.pos(3).is_some();
                }
                if modifier == Modifier::NamedSkip {
                    skip = true;
                }
            }
            Modifier::AppendWithOrder => {
                for r in APPEND_WITH_ORDER.find_all(key) {
                    name = group(key, &r, 1).map(str::to_owned);
                    let digits = group(key, &r, 3).unwrap_or("");
                    // Short.valueOf
                    append_position = match digits.parse::<i16>() {
                        Ok(v) => i32::from(v),
                        Err(_) => {
                            return Err(Exception::new(
                                "NumberFormatException",
                                format!("Value out of range. Value:\"{digits}\" Radix:10"),
                            ))
                        }
                    };
                    skip_right_padding = r.pos(4).is_some();
                }
            }
        }
        match name {
            Some(name) if !name.is_empty() || skip => Ok(DissectKey {
                modifier,
                skip,
                skip_right_padding,
                append_position,
                name,
            }),
            _ => Err(key_parse(key, "The key name could be determined")),
        }
    }
}

#[derive(Debug, Clone)]
struct DissectPair {
    key: DissectKey,
    delimiter: Vec<u8>,
}

/// A compiled dissect pattern (`DissectParser`).
#[derive(Debug, Clone)]
pub(crate) struct DissectParser {
    pairs: Vec<DissectPair>,
    pattern: String,
    leading_delimiter: String,
    max_matches: usize,
    max_results: usize,
    append_count: usize,
    reference_count: usize,
    append_separator: String,
}

/// Distinct names in first-seen order.
fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

impl DissectParser {
    pub(crate) fn new(pattern: &str, append_separator: &str) -> Result<DissectParser, Exception> {
        let mut leading = String::new();
        for r in LEADING_DELIMITER.find_all(pattern) {
            leading = group(pattern, &r, 1).unwrap_or("").to_owned();
        }
        let rest = &pattern[leading.len()..];
        let mut pairs = Vec::new();
        for r in KEY_DELIMITER_FIELD.find_all(rest) {
            let key = DissectKey::new(group(rest, &r, 1).unwrap_or(""))?;
            let delimiter = group(rest, &r, 2).unwrap_or("").as_bytes().to_vec();
            pairs.push(DissectPair { key, delimiter });
        }
        let max_matches = pairs.len();
        let max_results = distinct(
            pairs
                .iter()
                .filter(|p| !p.key.skip)
                .map(|p| p.key.name.as_str()),
        )
        .len();
        if max_matches == 0 || max_results == 0 {
            return Err(pattern_parse(
                pattern,
                "Unable to find any keys or delimiters.",
            ));
        }
        // keys that take part in an append without a '+' become appends
        let append_names: Vec<String> = distinct(
            pairs
                .iter()
                .filter(|p| matches!(p.key.modifier, Modifier::Append | Modifier::AppendWithOrder))
                .map(|p| p.key.name.as_str()),
        )
        .into_iter()
        .map(str::to_owned)
        .collect();
        for p in &mut pairs {
            if p.key.modifier == Modifier::None && append_names.contains(&p.key.name) {
                p.key.modifier = Modifier::Append;
            }
        }
        // '*' and '&' come in pairs; the groups are visited in HashMap order, as groupingBy does
        let mut groups = JMap::new(MapKind::Hash);
        for p in &pairs {
            if matches!(p.key.modifier, Modifier::FieldName | Modifier::FieldValue) {
                let name = Value::from(p.key.name.as_str());
                let count = match groups.get(&name) {
                    Some(Value::Int(n)) => *n,
                    _ => 0,
                };
                groups.insert(name, Value::Int(count + 1));
            }
        }
        for (name, count) in groups.iter() {
            if let Value::Int(n) = count {
                if n != 2 {
                    let name = name.java_to_string();
                    let names = vec![name.as_str(); n as usize].join(",");
                    return Err(pattern_parse(
                        pattern,
                        &format!(
                            "Found invalid key/reference associations: '{names}' Please ensure each '*<key>' is matched with a matching '&<key>"
                        ),
                    ));
                }
            }
        }
        let reference_count = groups.len() * 2;
        Ok(DissectParser {
            pairs,
            pattern: pattern.to_owned(),
            leading_delimiter: leading,
            max_matches,
            max_results,
            append_count: append_names.len(),
            reference_count,
            append_separator: append_separator.to_owned(),
        })
    }

    /// `DissectParser.parse`: the key/value results in the iteration order of upstream's result
    /// `HashMap` (the order the processor sets the fields in), or `FindMatch`.
    pub(crate) fn parse(&self, input: &str) -> Result<Vec<(String, String)>, Exception> {
        let mut m = Match::new(self);
        let leading = &self.leading_delimiter;
        if input.encode_utf16().count() > leading.encode_utf16().count()
            && input.starts_with(leading.as_str())
        {
            let bytes = input.as_bytes();
            let mut it = self.pairs.iter();
            let mut pair = it.next().expect("at least one key");
            let mut key = &pair.key;
            let mut delimiter: &[u8] = &pair.delimiter;
            let mut i = leading.len();
            let mut value_start = i;
            let matches_at = |i: usize, d: &[u8]| -> usize {
                (0..d.len())
                    .filter(|&j| i + j < bytes.len() && bytes[i + j] == d[j])
                    .count()
            };
            'outer: while i < bytes.len() {
                if !delimiter.is_empty() && bytes[i] == delimiter[0] {
                    let look = matches_at(i, delimiter);
                    if look == delimiter.len() {
                        m.add(
                            key,
                            String::from_utf8_lossy(&bytes[value_start..i]).into_owned(),
                        );
                        i += look;
                        // consecutive delimiters
                        while i < bytes.len() {
                            let look = matches_at(i, delimiter);
                            if look == delimiter.len() {
                                i += look;
                                if !key.skip_right_padding {
                                    match it.next() {
                                        None => break,
                                        Some(p) => {
                                            pair = p;
                                            key = &pair.key;
                                            m.add(key, String::new());
                                        }
                                    }
                                }
                            } else {
                                break;
                            }
                        }
                        match it.next() {
                            None => break 'outer,
                            Some(p) => {
                                pair = p;
                                key = &pair.key;
                                delimiter = &pair.delimiter;
                            }
                        }
                        // i is one byte past the delimiter, the start of the next value, and is
                        // examined next: the next value may be empty ("[%{a}][%{b}]" on
                        // "[x][]", 200_dissect_processor.yml "can match empty brackets")
                        value_start = i;
                        continue 'outer;
                    }
                }
                i += 1;
            }
            if !m.fully_matched() && delimiter.is_empty() {
                m.add(
                    key,
                    String::from_utf8_lossy(&bytes[value_start.min(bytes.len())..]).into_owned(),
                );
            }
        }
        let results = m.results();
        if !(m.fully_matched() && results.len() == self.max_results) {
            return Err(dissect_exception(
                "FindMatch",
                format!(
                    "Unable to find match for dissect pattern: {} against source: {input}",
                    self.pattern
                ),
            ));
        }
        Ok(results)
    }
}

/// `DissectMatch`.
struct Match<'p> {
    parser: &'p DissectParser,
    simple: JMap,
    references: JMap,
    /// name -> values with their order, in first-added order; emitted in HashMap order
    appends: Vec<(String, Vec<(String, i32)>)>,
    implicit_order: i32,
    matches: usize,
}

impl<'p> Match<'p> {
    fn new(parser: &'p DissectParser) -> Match<'p> {
        let simple_count =
            parser.max_matches as i64 - parser.reference_count as i64 - parser.append_count as i64;
        Match {
            parser,
            simple: JMap::with_capacity(MapKind::Hash, simple_count.max(0) as usize),
            references: JMap::with_capacity(MapKind::Hash, parser.reference_count),
            appends: Vec::new(),
            implicit_order: -1000,
            matches: 0,
        }
    }

    fn add(&mut self, key: &DissectKey, value: String) {
        self.matches += 1;
        if key.skip {
            return;
        }
        match key.modifier {
            Modifier::None => {
                self.simple.insert_str(&key.name, Value::from(value));
            }
            Modifier::Append | Modifier::AppendWithOrder => {
                let order = if key.modifier == Modifier::Append {
                    let o = self.implicit_order;
                    self.implicit_order += 1;
                    o
                } else {
                    key.append_position
                };
                match self.appends.iter_mut().find(|(n, _)| *n == key.name) {
                    Some((_, values)) => values.push((value, order)),
                    None => self.appends.push((key.name.clone(), vec![(value, order)])),
                }
            }
            Modifier::FieldName | Modifier::FieldValue => {
                let slot = Value::from(key.name.as_str());
                let mut pair = match self.references.get(&slot) {
                    Some(Value::List(l)) => l.borrow().items.clone(),
                    _ => vec![Value::Null, Value::Null],
                };
                let index = usize::from(key.modifier == Modifier::FieldValue);
                pair[index] = Value::from(value);
                self.references.insert(slot, Value::list_from(pair));
            }
            Modifier::NamedSkip => {}
        }
    }

    fn fully_matched(&self) -> bool {
        self.matches == self.parser.max_matches
    }

    fn results(&self) -> Vec<(String, String)> {
        let mut results = JMap::with_capacity(MapKind::Hash, self.parser.max_results);
        for (k, v) in self.simple.iter() {
            results.insert(k, v);
        }
        for (_, pair) in self.references.iter() {
            if let Value::List(l) = pair {
                let items = l.borrow().items.clone();
                results.insert(items[0].clone(), items[1].clone());
            }
        }
        let mut appends = JMap::with_capacity(MapKind::Hash, self.parser.append_count);
        for (name, values) in &self.appends {
            let mut values = values.clone();
            values.sort_by_key(|(_, o)| *o); // stable, as Collections.sort
            let joined = values
                .iter()
                .map(|(v, _)| v.as_str())
                .collect::<Vec<_>>()
                .join(&self.parser.append_separator);
            appends.insert_str(name, Value::from(joined));
        }
        for (k, v) in appends.iter() {
            results.insert(k, v);
        }
        results
            .iter()
            .map(|(k, v)| (k.java_to_string(), v.java_to_string()))
            .collect()
    }
}

/// `field [x] is null, cannot process it.`
pub(crate) fn null_error(field: &str) -> Exception {
    Exception::illegal_argument(format!("field [{field}] is null, cannot process it."))
}

pub struct DissectProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    ignore_missing: bool,
    parser: DissectParser,
}

/// `DissectProcessor.Factory`: `field`, `pattern`, `append_separator` (default ""),
/// `ignore_missing`; the pattern is parsed when the processor is created.
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let pattern = config.required_string("pattern")?;
    let append_separator = config.string_or("append_separator", "")?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let parser = DissectParser::new(&pattern, &append_separator)
        .map_err(|e| crate::processors::lowercase::abstract_string::java_ref(&e))?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(DissectProcessor {
        tag,
        description,
        field,
        ignore_missing,
        parser,
    }))
}

impl Processor for DissectProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let value = doc
            .field_opt(&self.field, self.ignore_missing)?
            .unwrap_or(Value::Null);
        let Some(input) = crate::document::cast_string(&self.field, &value)? else {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            }
            return Err(crate::processors::lowercase::abstract_string::java_ref(
                &null_error(&self.field),
            ));
        };
        let results = self
            .parser
            .parse(&input)
            .map_err(|e| crate::processors::lowercase::abstract_string::java_ref(&e))?;
        for (k, v) in results {
            doc.set_field(&k, Value::from(v))?;
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "dissect"
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

    fn run(pattern: &str, input: &str, sep: &str) -> Result<Vec<(String, String)>, Exception> {
        let mut r = DissectParser::new(pattern, sep)?.parse(input)?;
        r.sort();
        Ok(r)
    }

    fn ok(pattern: &str, input: &str, sep: &str, expected: &[(&str, &str)]) {
        let mut want: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        want.sort();
        match run(pattern, input, sep) {
            Ok(got) => assert_eq!(got, want, "pattern {pattern:?} on {input:?}"),
            Err(e) => panic!("pattern {pattern:?} on {input:?}: {e}"),
        }
    }

    fn fails(pattern: &str, input: &str) {
        assert!(
            run(pattern, input, "").is_err(),
            "pattern {pattern:?} on {input:?} should fail"
        );
    }

    /// The cases of `libs/dissect/src/test/resources/specification/tests.json`
    /// (commit 3002c202498ed8f3e7ab0584907c24ee20a1c094).
    #[test]
    fn specification() {
        ok(
            "level=%{level} ts=%{timestamp} caller=%{caller} msg=\"%{message}\"",
            "level=info ts=2018-06-27T17:19:13.036579993Z caller=main.go:222 msg=\"Starting OK\" version=\"(version=2.3.1, branch=HEAD, revision=188ca45bd85ce843071e768d855722a9d9dabe03)\"}",
            "",
            &[("caller", "main.go:222"), ("level", "info"), ("message", "Starting OK"), ("timestamp", "2018-06-27T17:19:13.036579993Z")],
        );
        ok(
            "%{day}-%{month}-%{year} %{hour} %{severity} [%{thread_id}] %{origin} %{message}",
            "18-Apr-2018 06:53:20.411 INFO [http-nio-8080-exec-1] org.apache.coyote.http11.Http11Processor.service Error parsing HTTP request header\n Note: further occurrences",
            "",
            &[
                ("day", "18"),
                ("hour", "06:53:20.411"),
                ("message", "Error parsing HTTP request header\n Note: further occurrences"),
                ("month", "Apr"),
                ("origin", "org.apache.coyote.http11.Http11Processor.service"),
                ("severity", "INFO"),
                ("thread_id", "http-nio-8080-exec-1"),
                ("year", "2018"),
            ],
        );
        ok(
            "/var/log/%{key}.log",
            "/var/log/foobar.log",
            "",
            &[("key", "foobar")],
        );
        fails("/var/log/%{key}.log", "foobar");
        fails("/var/log/%{key}.log", "/var/log/foobar");
        ok("%{key}", "foobar", "", &[("key", "foobar")]);
        ok(
            "%{key1} %{key2}",
            "foo bar",
            "",
            &[("key1", "foo"), ("key2", "bar")],
        );
        fails("%{key1} %{key2} %{key3}", "foo bar");
        ok(
            "/var/%{key}/log",
            "/var/foobar/log",
            "",
            &[("key", "foobar")],
        );
        ok(
            "/var/%{key}",
            "/var/foobar/log",
            "",
            &[("key", "foobar/log")],
        );
        ok(
            "/var/%{key}/log/%{key1}",
            "/var/foobar/log/apache",
            "",
            &[("key", "foobar"), ("key1", "apache")],
        );
        ok(
            "/var/%{key}/log/%{key1}.log",
            "/var/foobar/log/apache.log",
            "",
            &[("key", "foobar"), ("key1", "apache")],
        );
        ok(
            "%{+key/3} %{+key/1} %{+key/2}",
            "1 2 3",
            "",
            &[("key", "231")],
        );
        ok(
            "%{+key/3} %{+key/1} %{+key/2}",
            "1 2 3",
            "::",
            &[("key", "2::3::1")],
        );
        ok(
            "%{+key/3} %{+key/1->} %{+key/2}",
            "1 2              3",
            "",
            &[("key", "231")],
        );
        ok("%{key}-%{+key}-%{+key}", "1-2-3", "", &[("key", "123")]);
        ok("%{key}-%{+key}-%{+key}", "1-2-3", ",", &[("key", "1,2,3")]);
        ok("%{*key} %{&key}", "hello world", "", &[("hello", "world")]);
        ok("%{&key} %{*key}", "hello world", "", &[("world", "hello")]);
        ok("%{} %{key}", "hello world", "", &[("key", "world")]);
        ok("%{?skipme} %{key}", "hello world", "", &[("key", "world")]);
        fails("%{key} %{&key}", "hello world");
        ok(
            "%{name},%{addr1},%{addr2},%{addr3},%{city},%{zip}",
            "Jane Doe,4321 Fifth Avenue,,,New York,87432",
            "",
            &[
                ("addr1", "4321 Fifth Avenue"),
                ("addr2", ""),
                ("addr3", ""),
                ("city", "New York"),
                ("name", "Jane Doe"),
                ("zip", "87432"),
            ],
        );
        ok(
            "%{name},%{addr1->},%{city},%{zip}",
            "Jane Doe,4321 Fifth Avenue,,,New York,87432",
            "",
            &[
                ("addr1", "4321 Fifth Avenue"),
                ("city", "New York"),
                ("name", "Jane Doe"),
                ("zip", "87432"),
            ],
        );
        ok(
            "%{id} %{function->} %{server}",
            "00000043 ViewReceive     machine-321",
            "",
            &[
                ("function", "ViewReceive"),
                ("id", "00000043"),
                ("server", "machine-321"),
            ],
        );
        ok(
            "%{id} %{function} %{server->} ",
            "00000043 ViewReceive machine-321    ",
            "",
            &[
                ("function", "ViewReceive"),
                ("id", "00000043"),
                ("server", "machine-321"),
            ],
        );
        ok(
            "%{id->} %{function} %{server}",
            "00000043    ViewReceive machine-321",
            "",
            &[
                ("function", "ViewReceive"),
                ("id", "00000043"),
                ("server", "machine-321"),
            ],
        );
        ok(
            "{%{a}}{%{b}} %{rest}",
            "{c}{d} anything",
            "",
            &[("a", "c"), ("b", "d"), ("rest", "anything")],
        );
        assert!(DissectParser::new("anything", "").is_err());
        assert!(DissectParser::new("%{some?thing}", "").is_err());
        ok(
            "%{a}࿏%{b} %{c}",
            "⟳༒࿏༒⟲ 子",
            "",
            &[("a", "⟳༒"), ("b", "༒⟲"), ("c", "子")],
        );
    }

    #[test]
    fn messages_and_yaml_cases() {
        // 200_dissect_processor.yml
        ok(
            "%{a} %{b} %{c}",
            "foo bar baz",
            "",
            &[("a", "foo"), ("b", "bar"), ("c", "baz")],
        );
        let err = run("%{a},%{b},%{c}", "foo bar baz", "").unwrap_err();
        assert_eq!(&*err.class, "FindMatch");
        assert_eq!(
            err.message.as_deref(),
            Some("Unable to find match for dissect pattern: %{a},%{b},%{c} against source: foo bar baz")
        );
        let err = DissectParser::new("bad pattern", "").unwrap_err();
        assert_eq!(
            err.message.as_deref(),
            Some("Unable to parse pattern: bad pattern Reason: Unable to find any keys or delimiters.")
        );
        ok(
            "[%{a}][%{b}][%{c}]",
            "[foo][bar][]",
            "",
            &[("a", "foo"), ("b", "bar"), ("c", "")],
        );
        // DissectKey errors
        let err = DissectParser::new("%{*a/1}", "").unwrap_err();
        assert_eq!(
            err.message.as_deref(),
            Some("Unable to parse key: *a/1 Reason: multiple modifiers are not allowed.")
        );
        let err = DissectParser::new("%{a/1}", "").unwrap_err();
        assert_eq!(
            err.message.as_deref(),
            Some("Unable to parse key: a/1 Reason: The key name could be determined")
        );
        let err = DissectParser::new("%{*a} %{b}", "").unwrap_err();
        assert_eq!(
            err.message.as_deref(),
            Some("Unable to parse pattern: %{*a} %{b} Reason: Found invalid key/reference associations: 'a' Please ensure each '*<key>' is matched with a matching '&<key>")
        );
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build(
            "dissect",
            json!({"field": "message", "pattern": "%{a} %{b} %{c}"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"message": "foo bar baz"})),
            json!({"message": "foo bar baz", "a": "foo", "b": "bar", "c": "baz"})
        );
        let p = build(
            "dissect",
            json!({"field": "message", "pattern": "%{a},%{b},%{c}"}),
        );
        let e = run_err(&*p, json!({"message": "foo bar baz"}));
        assert_eq!(e.type_, "find_match");
        assert_eq!(
            e.reason(),
            "Unable to find match for dissect pattern: %{a},%{b},%{c} against source: foo bar baz"
        );
        let e = build_err(
            "dissect",
            json!({"field": "message", "pattern": "bad pattern"}),
        );
        assert!(
            e.reason().contains("Unable to parse pattern"),
            "{}",
            e.reason()
        );
        // nested keys, append separator
        let p = build(
            "dissect",
            json!({"field": "m", "pattern": "%{a.b} %{+a.b}", "append_separator": "-"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"m": "x y"})),
            json!({"m": "x y", "a": {"b": "x-y"}})
        );
        let p = build(
            "dissect",
            json!({"field": "m", "pattern": "%{a}", "ignore_missing": true}),
        );
        assert_eq!(run_ok(&*p, json!({})), json!({}));
        let p = build("dissect", json!({"field": "m", "pattern": "%{a}"}));
        assert_eq!(
            run_err(&*p, json!({"m": null})).reason(),
            "field [m] is null, cannot process it."
        );
    }
}
