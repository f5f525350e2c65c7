//! The `csv` processor: one CSV line into the `target_fields`, RFC 4180 with whitespace allowed
//! around quoted fields.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/CsvProcessor.java`
//! (commit 67f365a19a8e87161ab917066d85a027360888ba) and `CsvParser.java`
//! (commit 910532dd3a81e5f92614ec81e2e1b0450aea3ed8). The parser walks UTF-16 code units, as
//! Java's `String.charAt` does, so the positions in its messages are Java's.

use painless::value::{Exception, Value};

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Unquoted,
    Quoted,
    QuotedEnd,
}

const LF: u16 = b'\n' as u16;
const CR: u16 = b'\r' as u16;
const SPACE: u16 = b' ' as u16;
const TAB: u16 = b'\t' as u16;

/// What one line does to the document: the fields set, in order, and the error that stopped the
/// parse, if any (fields set before it stay set, as upstream sets them as it goes).
pub(crate) struct CsvOutcome {
    pub(crate) sets: Vec<(String, Value)>,
    pub(crate) error: Option<Exception>,
}

pub(crate) struct CsvParser<'a> {
    quote: u16,
    separator: u16,
    trim: bool,
    headers: &'a [String],
    empty_value: Option<&'a Value>,
    builder: Vec<u16>,
    state: State,
    line: Vec<u16>,
    current_header: usize,
    start_index: usize,
    current_index: usize,
    sets: Vec<(String, Value)>,
}

impl<'a> CsvParser<'a> {
    pub(crate) fn new(
        quote: u16,
        separator: u16,
        trim: bool,
        headers: &'a [String],
        empty_value: Option<&'a Value>,
    ) -> CsvParser<'a> {
        CsvParser {
            quote,
            separator,
            trim,
            headers,
            empty_value,
            builder: Vec::new(),
            state: State::Start,
            line: Vec::new(),
            current_header: 0,
            start_index: 0,
            current_index: 0,
            sets: Vec::new(),
        }
    }

    pub(crate) fn process(mut self, line: &str) -> CsvOutcome {
        let error = self.run(line).err();
        CsvOutcome {
            sets: self.sets,
            error,
        }
    }

    fn run(&mut self, line: &str) -> Result<(), Exception> {
        self.line = line.encode_utf16().collect();
        let length = self.line.len();
        self.current_index = 0;
        while self.current_index < length {
            match self.state {
                State::Start => {
                    if self.process_start() {
                        return Ok(());
                    }
                }
                State::Unquoted => {
                    if self.process_unquoted()? {
                        return Ok(());
                    }
                }
                State::Quoted => self.process_quoted(),
                State::QuotedEnd => {
                    if self.process_quoted_end()? {
                        return Ok(());
                    }
                }
            }
            self.current_index += 1;
        }
        match self.state {
            State::Unquoted => {
                self.set_field(length);
            }
            State::QuotedEnd => {
                self.set_field(length - 1);
            }
            State::Quoted => return Err(Exception::illegal_argument("Unmatched quote")),
            State::Start => {}
        }
        Ok(())
    }

    fn is_whitespace(c: u16) -> bool {
        c == SPACE || c == TAB
    }

    fn process_start(&mut self) -> bool {
        while self.current_index < self.line.len() {
            let c = self.line[self.current_index];
            if c == self.quote {
                self.state = State::Quoted;
                self.builder.clear();
                self.start_index = self.current_index + 1;
                return false;
            } else if c == self.separator {
                self.start_index += 1;
                self.builder.clear();
                if self.set_field(self.start_index) {
                    return true;
                }
            } else if Self::is_whitespace(c) {
                if self.trim {
                    self.start_index += 1;
                }
            } else {
                self.state = State::Unquoted;
                self.builder.clear();
                return false;
            }
            self.current_index += 1;
        }
        true
    }

    fn process_unquoted(&mut self) -> Result<bool, Exception> {
        let mut space_count = 0;
        while self.current_index < self.line.len() {
            let c = self.line[self.current_index];
            if c == LF || c == CR || c == self.quote {
                return Err(Exception::illegal_argument(format!(
                    "Illegal character inside unquoted field at {}",
                    self.current_index
                )));
            } else if c == self.separator {
                self.state = State::Start;
                if self.set_field(self.current_index - space_count) {
                    return Ok(true);
                }
                self.start_index = self.current_index + 1;
                return Ok(false);
            } else if self.trim && Self::is_whitespace(c) {
                space_count += 1;
            } else {
                space_count = 0;
            }
            self.current_index += 1;
        }
        Ok(false)
    }

    fn process_quoted(&mut self) {
        while self.current_index < self.line.len() {
            if self.line[self.current_index] == self.quote {
                self.state = State::QuotedEnd;
                break;
            }
            self.current_index += 1;
        }
    }

    fn process_quoted_end(&mut self) -> Result<bool, Exception> {
        let c = self.line[self.current_index];
        if c == self.quote {
            let (s, e) = (self.start_index, self.current_index - 1);
            self.builder.extend_from_slice(&self.line[s..e]);
            self.builder.push(self.quote);
            self.start_index = self.current_index + 1;
            self.state = State::Quoted;
            return Ok(false);
        }
        let mut should_set = true;
        while self.current_index < self.line.len() {
            let c = self.line[self.current_index];
            if c == self.separator {
                if should_set && self.set_field(self.current_index - 1) {
                    return Ok(true);
                }
                self.start_index = self.current_index + 1;
                self.state = State::Start;
                return Ok(false);
            } else if Self::is_whitespace(c) {
                if should_set {
                    if self.set_field(self.current_index - 1) {
                        return Ok(true);
                    }
                    should_set = false;
                }
            } else {
                return Err(Exception::illegal_argument(format!(
                    "character '{}' after quoted field at {}",
                    String::from_utf16_lossy(&[c]),
                    self.current_index
                )));
            }
            self.current_index += 1;
        }
        Ok(true)
    }

    fn set_field(&mut self, end_index: usize) -> bool {
        let value: Vec<u16> = if self.builder.is_empty() {
            self.line[self.start_index..end_index].to_vec()
        } else {
            let s = self.start_index;
            self.builder.extend_from_slice(&self.line[s..end_index]);
            self.builder.clone()
        };
        let header = &self.headers[self.current_header];
        if !value.is_empty() {
            self.sets.push((
                header.clone(),
                Value::from(String::from_utf16_lossy(&value)),
            ));
        } else if let Some(empty) = self.empty_value {
            self.sets.push((header.clone(), empty.clone()));
        }
        self.current_header += 1;
        self.current_header == self.headers.len()
    }
}

/// One Java `char` of a `quote` or `separator` option, or `None` when it is not exactly one.
pub(crate) fn single_char(s: &str) -> Option<u16> {
    let units: Vec<u16> = s.encode_utf16().collect();
    (units.len() == 1).then(|| units[0])
}

pub struct CsvProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    headers: Vec<String>,
    trim: bool,
    quote: u16,
    separator: u16,
    ignore_missing: bool,
    empty_value: Option<serde_json::Value>,
}

/// `CsvProcessor.Factory`, in its order: `field`, `quote` (default `"`, one character),
/// `separator` (default `,`, one character), `trim`, `empty_value` (any value; present but null
/// is "required property is missing", as `readObject` has it), `ignore_missing`,
/// `target_fields` (required, not empty).
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let quote = config.string_or("quote", "\"")?;
    let quote = single_char(&quote).ok_or_else(|| {
        config.new_config_error("quote", "quote has to be single character like \" or '")
    })?;
    let separator = config.string_or("separator", ",")?;
    let separator = single_char(&separator).ok_or_else(|| {
        config.new_config_error(
            "separator",
            "separator has to be single character like , or ;",
        )
    })?;
    let trim = config.boolean("trim", false)?;
    // `config.containsKey("empty_value")`: present even when null (then `readObject` fails)
    let empty_value = if config.remaining_keys().iter().any(|k| k == "empty_value") {
        Some(config.required_value("empty_value")?)
    } else {
        None
    };
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let target_fields = config.required_list("target_fields")?;
    if target_fields.is_empty() {
        return Err(config.new_config_error("target_fields", "target fields list can't be empty"));
    }
    // `targetFields.toArray(new String[0])`
    let headers = target_fields
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            _ => Err(crate::processors::lowercase::abstract_string::java_ref(&Exception::new(
                "ArrayStoreException",
                "arraycopy: element type mismatch: can not cast one of the elements of java.lang.Object[] to the type of the destination array, java.lang.String",
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(CsvProcessor {
        tag,
        description,
        field,
        headers,
        trim,
        quote,
        separator,
        ignore_missing,
        empty_value,
    }))
}

impl Processor for CsvProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let value = doc
            .field_opt(&self.field, self.ignore_missing)?
            .unwrap_or(Value::Null);
        let Some(line) = crate::document::cast_string(&self.field, &value)? else {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            }
            return Err(IngestError::illegal_argument(format!(
                "field [{}] is null, cannot process it.",
                self.field
            )));
        };
        let empty = self.empty_value.as_ref().map(painless::value::from_json);
        let outcome = CsvParser::new(
            self.quote,
            self.separator,
            self.trim,
            &self.headers,
            empty.as_ref(),
        )
        .process(&line);
        for (k, v) in outcome.sets {
            doc.set_field(&k, v)?;
        }
        match outcome.error {
            Some(e) => Err(crate::processors::lowercase::abstract_string::java_ref(&e)),
            None => Ok(Outcome::Continue),
        }
    }

    fn kind(&self) -> &'static str {
        "csv"
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

    fn parse(
        line: &str,
        headers: &[&str],
        quote: char,
        sep: char,
        trim: bool,
        empty: Option<&Value>,
    ) -> (Vec<(String, String)>, Option<String>) {
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        let out = CsvParser::new(quote as u16, sep as u16, trim, &headers, empty).process(line);
        (
            out.sets
                .into_iter()
                .map(|(k, v)| (k, v.java_to_string()))
                .collect(),
            out.error.and_then(|e| e.message),
        )
    }

    fn kv(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn csv_processor_cases() {
        // CsvProcessorTests.testExactNumberOfFields / testLessFieldsThanHeaders / testLessHeadersThanFields
        let (sets, err) = parse("a,b,c", &["x", "y", "z"], '"', ',', false, None);
        assert_eq!(sets, kv(&[("x", "a"), ("y", "b"), ("z", "c")]));
        assert!(err.is_none());
        let (sets, _) = parse("a,b", &["x", "y", "z"], '"', ',', false, None);
        assert_eq!(sets, kv(&[("x", "a"), ("y", "b")]));
        let (sets, _) = parse("a,b,c,d", &["x", "y"], '"', ',', false, None);
        assert_eq!(sets, kv(&[("x", "a"), ("y", "b")]));
        // testSingleField / testEscapedQuote / testQuotedStrings / testEmptyFields
        let (sets, _) = parse("\"a\"\"b\",\"c,d\"", &["x", "y"], '"', ',', false, None);
        assert_eq!(sets, kv(&[("x", "a\"b"), ("y", "c,d")]));
        let (sets, _) = parse("a,,c", &["x", "y", "z"], '"', ',', false, None);
        assert_eq!(sets, kv(&[("x", "a"), ("z", "c")]));
        let empty = Value::from("");
        let (sets, _) = parse("a,,c", &["x", "y", "z"], '"', ',', false, Some(&empty));
        assert_eq!(sets, kv(&[("x", "a"), ("y", ""), ("z", "c")]));
        // two separators end the line in the start state: the third header is never reached
        let (sets, _) = parse(
            ",,",
            &["x", "y", "z"],
            '"',
            ',',
            false,
            Some(&Value::from("E")),
        );
        assert_eq!(sets, kv(&[("x", "E"), ("y", "E")]));
        // custom quote and separator
        let (sets, _) = parse("'a;b';c", &["x", "y"], '\'', ';', false, None);
        assert_eq!(sets, kv(&[("x", "a;b"), ("y", "c")]));
        // whitespace around quoted fields is allowed; trim for unquoted ones
        // (trailing spaces of the last unquoted field stay: upstream counts them only when a
        // separator follows)
        let (sets, _) = parse("  \"a\"  , b ", &["x", "y"], '"', ',', true, None);
        assert_eq!(sets, kv(&[("x", "a"), ("y", "b ")]));
        let (sets, _) = parse(" a , b ", &["x", "y"], '"', ',', true, None);
        assert_eq!(sets, kv(&[("x", "a"), ("y", "b ")]));
        let (sets, _) = parse(" a , b ", &["x", "y"], '"', ',', false, None);
        assert_eq!(sets, kv(&[("x", " a "), ("y", " b ")]));
    }

    #[test]
    fn csv_errors() {
        // CsvProcessorTests.testQuoteInUnquotedField... / testUnmatchedQuote / testCharAfterQuote
        let (_, err) = parse("a\"b,c", &["x", "y"], '"', ',', false, None);
        assert_eq!(
            err.as_deref(),
            Some("Illegal character inside unquoted field at 1")
        );
        let (sets, err) = parse("a,\"bc", &["x", "y"], '"', ',', false, None);
        assert_eq!(err.as_deref(), Some("Unmatched quote"));
        assert_eq!(sets, kv(&[("x", "a")]));
        let (_, err) = parse("\"a\"b,c", &["x", "y"], '"', ',', false, None);
        assert_eq!(
            err.as_deref(),
            Some("character 'b' after quoted field at 3")
        );
        assert_eq!(single_char("ab"), None);
        assert_eq!(single_char("'"), Some(b'\'' as u16));
    }

    #[test]
    fn upstream_whitespace_cases() {
        // CsvProcessorTests.testQuotedWhitespaces / testUntrimmed (quote ", separator ,)
        let (sets, _) = parse(
            "  abc   , def,ghi  , \"  ooo  \"",
            &["a", "b", "c", "d"],
            '"',
            ',',
            true,
            None,
        );
        assert_eq!(
            sets,
            kv(&[("a", "abc"), ("b", "def"), ("c", "ghi"), ("d", "  ooo  ")])
        );
        let (sets, _) = parse(
            "  abc   , def,ghi  ,   \"ooo\"    ,  \"jjj\"   ",
            &["a", "b", "c", "d", "e", "f"],
            '"',
            ',',
            false,
            None,
        );
        assert_eq!(
            sets,
            kv(&[
                ("a", "  abc   "),
                ("b", " def"),
                ("c", "ghi  "),
                ("d", "ooo"),
                ("e", "jjj")
            ])
        );
        // testWrongStrings
        for line in ["abc\"abc", "\"abc\"asd", "\"abcasd", "abc\nabc", "abc\rabc"] {
            assert!(
                parse(line, &["a"], '"', ',', true, None).1.is_some(),
                "{line:?}"
            );
        }
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build("csv", json!({"field": "m", "target_fields": ["a", "b.c"]}));
        assert_eq!(
            run_ok(&*p, json!({"m": "x,y"})),
            json!({"m": "x,y", "a": "x", "b": {"c": "y"}})
        );
        let p = build(
            "csv",
            json!({"field": "m", "target_fields": ["a", "b"], "empty_value": 0}),
        );
        assert_eq!(
            run_ok(&*p, json!({"m": ",y"})),
            json!({"m": ",y", "a": 0, "b": "y"})
        );
        // fields set before the error stay set (seen with ignore_failure)
        let p = build(
            "csv",
            json!({"field": "m", "target_fields": ["a", "b"], "ignore_failure": true}),
        );
        assert_eq!(
            run_ok(&*p, json!({"m": "x,\"y"})),
            json!({"m": "x,\"y", "a": "x"})
        );
        let p = build("csv", json!({"field": "m", "target_fields": ["a", "b"]}));
        assert_eq!(
            run_err(&*p, json!({"m": "x,\"y"})).reason(),
            "Unmatched quote"
        );
        // once every header has a value the rest of the line is not read
        let p = build("csv", json!({"field": "m", "target_fields": ["a"]}));
        assert_eq!(
            run_ok(&*p, json!({"m": "x,\"y"})),
            json!({"m": "x,\"y", "a": "x"})
        );
        assert_eq!(
            run_err(&*p, json!({"m": null})).reason(),
            "field [m] is null, cannot process it."
        );
        // CsvProcessorFactoryTests
        assert_eq!(
            build_err("csv", json!({"field": "m", "target_fields": []})).reason(),
            "[target_fields] target fields list can't be empty"
        );
        assert_eq!(
            build_err(
                "csv",
                json!({"field": "m", "target_fields": ["a"], "quote": "''"})
            )
            .reason(),
            "[quote] quote has to be single character like \" or '"
        );
        assert_eq!(
            build_err(
                "csv",
                json!({"field": "m", "target_fields": ["a"], "separator": ";;"})
            )
            .reason(),
            "[separator] separator has to be single character like , or ;"
        );
        assert_eq!(
            build_err(
                "csv",
                json!({"field": "m", "target_fields": ["a"], "empty_value": null})
            )
            .reason(),
            "[empty_value] required property is missing"
        );
    }
}
