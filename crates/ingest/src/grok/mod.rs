//! Grok: OpenSearch's pattern bank on the Oniguruma engine.
//!
//! Emulates `libs/grok/src/main/java/org/opensearch/grok/Grok.java` (with `GrokCaptureConfig`,
//! `GrokCaptureType`, `GrokCaptureExtracter`) of opensearch-project/OpenSearch. OpenSearch runs grok
//! on Joni, Oniguruma ported to Java, with Ruby syntax; here the regex engine is Oniguruma itself
//! (the `onig` crate, the engine the `grok` crate uses). The expansion of `%{NAME:field:type}`
//! into a regex is upstream's own (`Grok.toRegex`), not the `grok` crate's: the crate renames
//! repeated fields (`field[1]`), keeps only the first group of a name where upstream takes the
//! first group that took part in the match, and honours inline `%{NAME=regex}` definitions that
//! upstream ignores. The pattern bank is OpenSearch's (see `data/grok/PROVENANCE.txt`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use indexmap::IndexMap;
use onig::{MatchParam, Regex, RegexOptions, Region, SearchOptions, Syntax};
use painless::value::{JMap, MapKind};
use painless::Value;

/// A grok failure, as the Java exception upstream throws.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GrokError {
    /// `IllegalArgumentException` (unknown pattern, circular reference, bad regex...).
    #[error("{0}")]
    IllegalArgument(String),
    /// `NullPointerException` from upstream's pattern bank validation (a definition referring to
    /// a pattern the bank lacks).
    #[error("{0}")]
    NullPointer(String),
    /// `NumberFormatException` from a `:int`/`:long`/`:float`/`:double` conversion.
    #[error("{0}")]
    NumberFormat(String),
    /// Something this engine does not do.
    #[error("not supported by siemctl's offline engine: {0}")]
    Unsupported(String),
}

impl GrokError {
    /// The Java exception's name as OpenSearch renders it in an error's `type`.
    pub fn java_type(&self) -> &'static str {
        match self {
            GrokError::IllegalArgument(_) => "illegal_argument_exception",
            GrokError::NullPointer(_) => "null_pointer_exception",
            GrokError::NumberFormat(_) => "number_format_exception",
            GrokError::Unsupported(_) => "illegal_argument_exception",
        }
    }
}

/// The files upstream's `Grok.loadBuiltinPatterns` reads, in its order.
const PATTERN_FILES: [(&str, &str); 20] = [
    ("aws", include_str!("../../data/grok/patterns/aws")),
    ("bacula", include_str!("../../data/grok/patterns/bacula")),
    ("bind", include_str!("../../data/grok/patterns/bind")),
    ("bro", include_str!("../../data/grok/patterns/bro")),
    ("exim", include_str!("../../data/grok/patterns/exim")),
    (
        "firewalls",
        include_str!("../../data/grok/patterns/firewalls"),
    ),
    (
        "grok-patterns",
        include_str!("../../data/grok/patterns/grok-patterns"),
    ),
    ("haproxy", include_str!("../../data/grok/patterns/haproxy")),
    ("java", include_str!("../../data/grok/patterns/java")),
    ("junos", include_str!("../../data/grok/patterns/junos")),
    (
        "linux-syslog",
        include_str!("../../data/grok/patterns/linux-syslog"),
    ),
    ("maven", include_str!("../../data/grok/patterns/maven")),
    (
        "mcollective-patterns",
        include_str!("../../data/grok/patterns/mcollective-patterns"),
    ),
    ("mongodb", include_str!("../../data/grok/patterns/mongodb")),
    ("nagios", include_str!("../../data/grok/patterns/nagios")),
    (
        "postgresql",
        include_str!("../../data/grok/patterns/postgresql"),
    ),
    ("rails", include_str!("../../data/grok/patterns/rails")),
    ("redis", include_str!("../../data/grok/patterns/redis")),
    ("ruby", include_str!("../../data/grok/patterns/ruby")),
    ("squid", include_str!("../../data/grok/patterns/squid")),
];

/// `Grok.loadPatterns`: strip leading blanks, skip `#` comments and empty lines, split at the
/// first run of blanks; a later definition replaces the value in the first one's place
/// (`LinkedHashMap.put`).
fn load_patterns(bank: &mut IndexMap<String, String>, text: &str) {
    // BufferedReader.readLine splits at \n, \r and \r\n.
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim_start_matches(is_java_regex_space);
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let mut split = trimmed.splitn(2, is_java_regex_space);
        let name = split.next().unwrap_or_default();
        if let Some(rest) = split.next() {
            // `split("\\s+", 2)`: the separator is the whole run of blanks.
            let rest = rest.trim_start_matches(is_java_regex_space);
            bank.insert(name.to_string(), rest.to_string());
        }
    }
}

/// `\s` of java.util.regex: `[ \t\n\x0B\f\r]`.
fn is_java_regex_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
}

/// OpenSearch's built-in pattern bank in its own order (`Grok.BUILTIN_PATTERNS`, a
/// `LinkedHashMap`): what `GET /_ingest/processor/grok` lists.
pub fn pattern_bank_ordered() -> &'static IndexMap<String, String> {
    static BANK: OnceLock<IndexMap<String, String>> = OnceLock::new();
    BANK.get_or_init(|| {
        let mut bank = IndexMap::new();
        for (_, text) in PATTERN_FILES {
            load_patterns(&mut bank, text);
        }
        bank
    })
}

/// OpenSearch's built-in pattern bank sorted by name: what `GET /_ingest/processor/grok?s=true`
/// lists (`GrokProcessorGetAction`, a `TreeMap`; the names are ASCII, so byte order is Java's
/// `String.compareTo` order).
pub fn pattern_bank() -> &'static BTreeMap<String, String> {
    static SORTED: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    SORTED.get_or_init(|| {
        pattern_bank_ordered()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    })
}

/// The body of `GET /_ingest/processor/grok` (`GrokProcessorGetAction`): `{"patterns": {...}}`
/// in the bank's own order, or sorted by name with `?s=true`. Written as text so that the order
/// does not depend on serde_json's `preserve_order` feature.
pub fn grok_processor_get_body(sorted: bool) -> String {
    let mut out = String::from("{\"patterns\":{");
    let mut first = true;
    let mut push = |k: &str, v: &str| {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&serde_json::Value::String(k.to_string()).to_string());
        out.push(':');
        out.push_str(&serde_json::Value::String(v.to_string()).to_string());
    };
    if sorted {
        for (k, v) in pattern_bank() {
            push(k, v);
        }
    } else {
        for (k, v) in pattern_bank_ordered() {
            push(k, v);
        }
    }
    out.push_str("}}");
    out
}

/// The value type of a capture (`GrokCaptureType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureType {
    String,
    Integer,
    Long,
    Float,
    Double,
    Boolean,
}

impl CaptureType {
    /// `GrokCaptureType.fromString`: an unknown name is a string.
    fn from_name(name: &str) -> CaptureType {
        match name {
            "int" => CaptureType::Integer,
            "long" => CaptureType::Long,
            "float" => CaptureType::Float,
            "double" => CaptureType::Double,
            "boolean" => CaptureType::Boolean,
            _ => CaptureType::String,
        }
    }
}

/// One value a grok expression can capture (`GrokCaptureConfig`): every regex group of one
/// name (`NAME:field:type` as written), in group order.
#[derive(Debug, Clone)]
pub struct CaptureConfig {
    name: String,
    kind: CaptureType,
    groups: Vec<usize>,
}

impl CaptureConfig {
    /// The field name (the part after the first `:` of the group name, else the group name).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn kind(&self) -> CaptureType {
        self.kind
    }
}

/// `%{name(:subname)?(=definition)?}` (`Grok.GROK_PATTERN`), run with Oniguruma as upstream runs
/// it with Joni.
const GROK_PATTERN: &str = r"%\{(?<name>(?<pattern>[A-z0-9]+)(?::(?<subname>[[:alnum:]@\[\]_:.-]+))?)(?:=(?<definition>(?:[^{}]+|\.+)+))?\}";

fn grok_pattern_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::with_options(
            GROK_PATTERN,
            RegexOptions::REGEX_OPTION_NONE,
            Syntax::ruby(),
        )
        .expect("upstream's grok pattern regex compiles")
    })
}

/// `Grok.MAX_TO_REGEX_ITERATIONS`.
const MAX_TO_REGEX_ITERATIONS: usize = 100_000;

/// A compiled grok expression (`org.opensearch.grok.Grok`).
pub struct Grok {
    source: String,
    regex: Regex,
    captures: Vec<CaptureConfig>,
}

impl std::fmt::Debug for Grok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grok")
            .field("regex", &self.source)
            .field("captures", &self.captures)
            .finish()
    }
}

/// A pattern bank: name → definition, iterated in the order upstream's map iterates.
pub type Bank = JMap;

/// Builds the bank a grok processor uses: `new HashMap<>(builtinPatterns)` plus
/// `pattern_definitions` put on top (`GrokProcessor.Factory.create`). The map keeps Java
/// `HashMap` iteration order, which decides which circular reference upstream reports first.
pub fn processor_bank(custom: &[(String, String)]) -> Bank {
    static BUILTIN: OnceLock<Vec<(String, String)>> = OnceLock::new();
    let builtin = BUILTIN.get_or_init(|| {
        pattern_bank_ordered()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    });
    let mut linked = JMap::new(MapKind::Linked);
    for (k, v) in builtin {
        linked.insert_str(k, Value::string(v.as_str()));
    }
    let mut bank = JMap::copy_of(MapKind::Hash, &linked);
    for (k, v) in custom {
        bank.insert_str(k, Value::string(v.as_str()));
    }
    bank
}

fn bank_get<'a>(bank: &'a Bank, name: &str) -> Option<&'a str> {
    bank.get_str(name).and_then(Value::as_str)
}

impl Grok {
    /// `new Grok(patternBank, grokPattern, ...)` with named captures.
    pub fn new(bank: &Bank, pattern: &str) -> Result<Grok, GrokError> {
        Grok::build(bank, pattern, true)
    }

    /// [`Grok::new`] with the built-in bank alone (no `pattern_definitions`). Upstream validates
    /// the whole bank for every processor; the built-in bank's result is the same each time, so
    /// it is computed once.
    pub fn with_builtin_bank(pattern: &str) -> Result<Grok, GrokError> {
        static BUILTIN_VALID: OnceLock<Result<(), GrokError>> = OnceLock::new();
        // The bank itself is built once per thread too (its map holds `Rc`s, so it cannot be
        // shared between threads): building it copies every built-in pattern twice.
        thread_local! {
            static BUILTIN_BANK: Bank = processor_bank(&[]);
        }
        BUILTIN_BANK.with(|bank| {
            BUILTIN_VALID
                .get_or_init(|| validate_pattern_bank(bank))
                .clone()?;
            Grok::compile(bank, pattern, true)
        })
    }

    fn build(bank: &Bank, pattern: &str, named_captures: bool) -> Result<Grok, GrokError> {
        validate_pattern_bank(bank)?;
        Grok::compile(bank, pattern, named_captures)
    }

    fn compile(bank: &Bank, pattern: &str, named_captures: bool) -> Result<Grok, GrokError> {
        let expression = to_regex(bank, pattern, named_captures)?;
        // Joni: Option.DEFAULT (none), Ruby syntax, UTF-8.
        let regex =
            Regex::with_options(&expression, RegexOptions::REGEX_OPTION_NONE, Syntax::ruby())
                .map_err(|e| GrokError::IllegalArgument(e.description().to_string()))?;
        let mut named: Vec<(String, Vec<usize>)> = Vec::new();
        regex.foreach_name(|name, groups| {
            named.push((
                name.to_string(),
                groups.iter().map(|g| *g as usize).collect(),
            ));
            true
        });
        // Joni's name table iterates in the order names first appear.
        named.sort_by_key(|(_, groups)| groups.iter().copied().min().unwrap_or(0));
        let captures = named
            .into_iter()
            .map(|(group_name, groups)| {
                let parts = java_split_colon(&group_name);
                let name = if parts.len() >= 2 {
                    parts[1].to_string()
                } else {
                    parts.first().copied().unwrap_or_default().to_string()
                };
                let kind = if parts.len() == 3 {
                    CaptureType::from_name(parts[2])
                } else {
                    CaptureType::String
                };
                CaptureConfig { name, kind, groups }
            })
            .collect();
        Ok(Grok {
            source: expression,
            regex,
            captures,
        })
    }

    /// The values this expression can capture, in upstream's order.
    pub fn capture_config(&self) -> &[CaptureConfig] {
        &self.captures
    }

    /// The Oniguruma regex the grok expression became.
    pub fn regex_source(&self) -> &str {
        &self.source
    }

    fn search(&self, text: &str) -> Result<Option<Region>, GrokError> {
        let mut region = Region::new();
        let found = self
            .regex
            .search_with_param(
                text,
                0,
                text.len(),
                SearchOptions::SEARCH_OPTION_NONE,
                Some(&mut region),
                MatchParam::default(),
            )
            .map_err(|e| {
                GrokError::Unsupported(format!(
                    "the grok match stopped in the regex engine ({}); OpenSearch stops a match \
                     only after ingest.grok.watchdog.max_execution_time (\"grok pattern matching \
                     was interrupted after [1000] ms\")",
                    e.description()
                ))
            })?;
        Ok(found.map(|_| region))
    }

    /// `Grok.match(String)`: whether the expression is found in the text (unanchored search).
    pub fn is_match(&self, text: &str) -> Result<bool, GrokError> {
        Ok(self.search(text)?.is_some())
    }

    /// `Grok.captures`: the named captures with their converted values, or `None` when the
    /// expression does not match. For each capture the first of its groups that took part in
    /// the match gives the value; a later capture of the same field name replaces an earlier
    /// one (`result.put`). The pairs come in capture order; see [`Grok::captures_map`].
    pub fn captures(&self, text: &str) -> Result<Option<Vec<(String, Value)>>, GrokError> {
        let Some(region) = self.search(text)? else {
            return Ok(None);
        };
        let mut out: IndexMap<String, Value> = IndexMap::new();
        for config in &self.captures {
            for &group in &config.groups {
                if let Some((start, end)) = region.pos(group) {
                    let raw = &text[start..end];
                    out.insert(config.name.clone(), convert(config.kind, raw)?);
                    break;
                }
            }
        }
        Ok(Some(out.into_iter().collect()))
    }

    /// [`Grok::captures`] as the `HashMap` upstream returns: iterating it gives the order in
    /// which the grok processor sets the fields.
    pub fn captures_map(&self, text: &str) -> Result<Option<JMap>, GrokError> {
        Ok(self.captures(text)?.map(|pairs| {
            let mut map = JMap::new(MapKind::Hash);
            for (k, v) in pairs {
                map.insert_str(&k, v);
            }
            map
        }))
    }
}

/// `String.split(":")`: trailing empty strings are removed.
fn java_split_colon(s: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = s.split(':').collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// `GrokCaptureType` conversions: `Integer.parseInt`, `Long.parseLong`, `Float.parseFloat`,
/// `Double.parseDouble`, `Boolean.parseBoolean`.
fn convert(kind: CaptureType, raw: &str) -> Result<Value, GrokError> {
    Ok(match kind {
        CaptureType::String => Value::string(raw),
        CaptureType::Integer => Value::Int(java_parse_int(raw)?),
        CaptureType::Long => Value::Long(java_parse_long(raw)?),
        CaptureType::Float => Value::Float(
            java_parse_floating(raw)?
                .parse::<f32>()
                .map_err(|_| number_format(raw))?,
        ),
        CaptureType::Double => Value::Double(
            java_parse_floating(raw)?
                .parse::<f64>()
                .map_err(|_| number_format(raw))?,
        ),
        CaptureType::Boolean => Value::Boolean(raw.eq_ignore_ascii_case("true")),
    })
}

fn number_format(raw: &str) -> GrokError {
    GrokError::NumberFormat(format!("For input string: \"{raw}\""))
}

/// `Long.parseLong(s)` (radix 10).
pub(crate) fn java_parse_long(raw: &str) -> Result<i64, GrokError> {
    let digits = raw.strip_prefix(['+', '-']).unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.chars().any(|c| !c.is_ascii() && c.is_numeric()) {
            return Err(GrokError::Unsupported(format!(
                "parsing the non-ASCII digits of [{raw}] as a number"
            )));
        }
        return Err(number_format(raw));
    }
    // i64's parser takes an optional sign and ASCII digits, and fails on overflow as Java does.
    raw.parse::<i64>().map_err(|_| number_format(raw))
}

/// `Integer.parseInt(s)` (radix 10).
pub(crate) fn java_parse_int(raw: &str) -> Result<i32, GrokError> {
    let v = java_parse_long(raw);
    match v {
        Ok(v) => i32::try_from(v).map_err(|_| number_format(raw)),
        Err(GrokError::NumberFormat(_)) => Err(number_format(raw)),
        Err(e) => Err(e),
    }
}

/// Checks `s` against `FloatingDecimal.readJavaFormatString` (the grammar of
/// `Double.parseDouble`/`Float.parseFloat`) and returns a string Rust's parser reads to the same
/// correctly rounded value.
pub(crate) fn java_parse_floating(raw: &str) -> Result<String, GrokError> {
    // String.trim(): characters <= ' '.
    let s = raw.trim_matches(|c: char| c <= ' ');
    if s.is_empty() {
        return Err(GrokError::NumberFormat("empty String".to_string()));
    }
    let (sign, body) = match s.as_bytes()[0] {
        b'+' => ("", &s[1..]),
        b'-' => ("-", &s[1..]),
        _ => ("", s),
    };
    if body == "NaN" {
        return Ok("NaN".to_string());
    }
    if body == "Infinity" {
        return Ok(format!("{sign}inf"));
    }
    if body.starts_with("0x") || body.starts_with("0X") {
        return Err(GrokError::Unsupported(format!(
            "hexadecimal floating-point number [{raw}]"
        )));
    }
    // digits [. digits] [e|E [+-] digits] [f|F|d|D]
    let b = body.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
    }
    if int_digits + frac_digits == 0 {
        return Err(number_format(raw));
    }
    let mantissa_end = i;
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return Err(number_format(raw));
        }
    }
    let number_end = i;
    if i < b.len() && matches!(b[i], b'f' | b'F' | b'd' | b'D') {
        i += 1;
    }
    if i != b.len() {
        return Err(number_format(raw));
    }
    let _ = mantissa_end;
    let mut out = String::with_capacity(number_end + 1);
    out.push_str(sign);
    let number = &body[..number_end];
    // Rust does not read "5." or ".5e3"? It reads both; a bare "." was excluded above.
    out.push_str(number);
    Ok(out)
}

/// `Grok.validatePatternBank`: every pattern of the bank, depth first, for circular references
/// and malformed references.
fn validate_pattern_bank(bank: &Bank) -> Result<(), GrokError> {
    for key in bank.keys() {
        if let Some(name) = key.as_str() {
            let mut path = Vec::new();
            validate_pattern(bank, name, &mut path)?;
        }
    }
    Ok(())
}

fn validate_pattern(bank: &Bank, name: &str, path: &mut Vec<String>) -> Result<(), GrokError> {
    let Some(pattern) = bank_get(bank, name) else {
        // `pattern.contains(...)` on the null a missing name gives: JDK 21's helpful
        // NullPointerException message.
        return Err(GrokError::NullPointer(
            "Cannot invoke \"String.contains(java.lang.CharSequence)\" because \"pattern\" is null"
                .to_string(),
        ));
    };
    let self_reference =
        pattern.contains(&format!("%{{{name}}}")) || pattern.contains(&format!("%{{{name}:"));
    if self_reference {
        return Err(circular(name, pattern, None, &[]));
    } else if path.iter().any(|p| p == name) {
        let prev = path.pop().unwrap_or_default();
        let prev_pattern = bank_get(bank, &prev).unwrap_or_default();
        return Err(circular(&prev, prev_pattern, Some(name), path));
    }
    path.push(name.to_string());
    let mut from = 0;
    while let Some(found) = pattern[from..].find("%{") {
        let i = from + found;
        let begin = i + 2;
        let Some(close) = pattern[begin..].find('}') else {
            return Err(GrokError::IllegalArgument(format!(
                "Malformed pattern [{name}][{pattern}]"
            )));
        };
        let syntax_end = begin + close;
        let end = match pattern[begin..].find(':') {
            Some(colon) => syntax_end.min(begin + colon),
            None => syntax_end,
        };
        let depends_on = &pattern[begin..end];
        validate_pattern(bank, depends_on, path)?;
        // `indexOf("%{", i + 1)`: the next reference may start inside this one.
        from = i + 1;
    }
    path.pop();
    Ok(())
}

fn circular(name: &str, pattern: &str, origin: Option<&str>, path: &[String]) -> GrokError {
    let mut message = format!("circular reference in pattern [{name}][{pattern}]");
    if let Some(origin) = origin {
        message.push_str(&format!(" back to pattern [{origin}]"));
    }
    if path.len() > 1 {
        message.push_str(&format!(" via patterns [{}]", path[1..].join("=>")));
    }
    GrokError::IllegalArgument(message)
}

/// `Grok.toRegex`: replaces each `%{NAME}` by `(?:definition)` and each `%{NAME:sub}` by
/// `(?<NAME:sub>definition)`, rescanning the replacement, until none is left.
fn to_regex(bank: &Bank, grok_pattern: &str, named_captures: bool) -> Result<String, GrokError> {
    let re = grok_pattern_regex();
    let mut res = String::new();
    let mut current = grok_pattern.to_string();
    for _ in 0..MAX_TO_REGEX_ITERATIONS {
        let mut region = Region::new();
        let found = re
            .search_with_param(
                &current,
                0,
                current.len(),
                SearchOptions::SEARCH_OPTION_NONE,
                Some(&mut region),
                MatchParam::default(),
            )
            .map_err(|e| GrokError::Unsupported(e.description().to_string()))?;
        let Some(start) = found else {
            res.push_str(&current);
            return Ok(res);
        };
        let group = |name: &str| -> Option<String> {
            let mut out = None;
            re.foreach_name(|n, idx| {
                if n == name {
                    out = idx
                        .iter()
                        .find_map(|i| region.pos(*i as usize))
                        .map(|(s, e)| current[s..e].to_string());
                    false
                } else {
                    true
                }
            });
            out
        };
        let named_ref = group("name").unwrap_or_default();
        let sub_name = group("subname");
        let pattern_name = group("pattern").unwrap_or_default();
        let Some(definition) = bank_get(bank, &pattern_name) else {
            return Err(GrokError::IllegalArgument(format!(
                "Unable to find pattern [{pattern_name}] in Grok's pattern dictionary"
            )));
        };
        if definition.contains(&format!("%{{{pattern_name}}}"))
            || definition.contains(&format!("%{{{pattern_name}:"))
        {
            return Err(GrokError::IllegalArgument(format!(
                "circular reference in pattern back [{pattern_name}]"
            )));
        }
        let part = if named_captures && sub_name.is_some() {
            format!("(?<{named_ref}>{definition})")
        } else if named_captures {
            format!("(?:{definition})")
        } else {
            format!("(?<{pattern_name}_{start}>{definition})")
        };
        let end = region.pos(0).map(|(_, e)| e).unwrap_or(current.len());
        res.push_str(&current[..start]);
        current = format!("{part}{}", &current[end..]);
    }
    Err(GrokError::IllegalArgument(
        "Can not convert grok patterns to regular expression".to_string(),
    ))
}

#[cfg(test)]
mod tests;

/// Test helpers for the grok, date and date_index_name processors: the standard registry plus
/// these three (the lead registers them in `registry.rs`).
#[cfg(test)]
pub(crate) mod testing {
    use serde_json::Value as Json;

    use crate::error::IngestError;
    use crate::processor::{read_processor, Processor, Settings};
    use crate::registry::Registry;

    fn registry() -> Registry {
        let mut r = Registry::standard();
        r.register("grok", crate::processors::grok::factory);
        r.register("date", crate::processors::date::factory);
        r.register(
            "date_index_name",
            crate::processors::date_index_name::factory,
        );
        r
    }

    pub(crate) fn build(processor_type: &str, config: Json) -> Box<dyn Processor> {
        read_processor(&registry(), &Settings::default(), processor_type, config)
            .unwrap_or_else(|e| panic!("building {processor_type}: {e}"))
    }

    pub(crate) fn build_err(processor_type: &str, config: Json) -> IngestError {
        match read_processor(&registry(), &Settings::default(), processor_type, config) {
            Ok(_) => panic!("building {processor_type} should fail"),
            Err(e) => e,
        }
    }
}
