//! The document as the node's JSON parser (Jackson, through OpenSearch's `JsonXContentParser`)
//! sees it: a stream of tokens with a current field name and a location.
//!
//! The mapper code walks the document token by token (`DocumentParser`, `FieldMapper.parse`,
//! `JsonToStringXContentParser`), and some of its behaviour only exists at that level (a value
//! preview that consumes an object, a `flat_object` given a string that reads its siblings), so the
//! walk here is over the same tokens rather than over the tree.
//!
//! The text the tokens come from is the document as the node writes it after an ingest pipeline:
//! compact JSON (`XContentBuilder`), keys in the map's iteration order, doubles with Java's
//! `Double.toString`. Locations (`line:column`, as in "Can't get text on a START_OBJECT at 1:7")
//! are byte columns in that text, as Jackson's UTF-8 parser counts them.

use std::borrow::Cow;

use serde_json::Value;

use super::error::JavaError;
use painless::value::java_double_to_string;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    StartObject,
    EndObject,
    StartArray,
    EndArray,
    FieldName,
    String,
    /// An integer token (Jackson `VALUE_NUMBER_INT`).
    Int,
    /// A floating-point token (`VALUE_NUMBER_FLOAT`).
    Float,
    True,
    False,
    Null,
}

impl Kind {
    /// The `XContentParser.Token` name, as OpenSearch prints it.
    pub(crate) fn xcontent_name(self) -> &'static str {
        match self {
            Kind::StartObject => "START_OBJECT",
            Kind::EndObject => "END_OBJECT",
            Kind::StartArray => "START_ARRAY",
            Kind::EndArray => "END_ARRAY",
            Kind::FieldName => "FIELD_NAME",
            Kind::String => "VALUE_STRING",
            Kind::Int | Kind::Float => "VALUE_NUMBER",
            Kind::True | Kind::False => "VALUE_BOOLEAN",
            Kind::Null => "VALUE_NULL",
        }
    }

    /// The Jackson `JsonToken` name (in Jackson's own messages).
    pub(crate) fn jackson_name(self) -> &'static str {
        match self {
            Kind::StartObject => "START_OBJECT",
            Kind::EndObject => "END_OBJECT",
            Kind::StartArray => "START_ARRAY",
            Kind::EndArray => "END_ARRAY",
            Kind::FieldName => "FIELD_NAME",
            Kind::String => "VALUE_STRING",
            Kind::Int => "VALUE_NUMBER_INT",
            Kind::Float => "VALUE_NUMBER_FLOAT",
            Kind::True => "VALUE_TRUE",
            Kind::False => "VALUE_FALSE",
            Kind::Null => "VALUE_NULL",
        }
    }

    /// `XContentParser.Token.isValue()`: strings, numbers, booleans (not null, not structure).
    pub(crate) fn is_value(self) -> bool {
        matches!(
            self,
            Kind::String | Kind::Int | Kind::Float | Kind::True | Kind::False
        )
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Token<'a> {
    pub(crate) kind: Kind,
    /// The text: field name, string value, or the number as written.
    pub(crate) text: Cow<'a, str>,
    /// Jackson's `getCurrentName()` at this token.
    pub(crate) name: Option<&'a str>,
    /// 1-based byte column where the token starts (line is always 1).
    pub(crate) col: usize,
    /// 1-based byte column just after the token (Jackson's current location once it is read).
    pub(crate) end_col: usize,
    /// The value this token starts (values and START_ tokens).
    pub(crate) value: Option<&'a Value>,
}

/// The tokens of a document and a cursor over them (`XContentParser`).
pub(crate) struct Tokens<'a> {
    toks: Vec<Token<'a>>,
    /// Index of the current token; `toks.len()` past the end (EOF).
    pos: usize,
    started: bool,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(doc: &'a Value) -> Tokens<'a> {
        let mut b = Builder {
            toks: Vec::new(),
            offset: 0,
        };
        b.value(doc, None);
        Tokens {
            toks: b.toks,
            pos: 0,
            started: false,
        }
    }

    /// `nextToken()`: advances and returns the new current token (None at the end).
    pub(crate) fn next(&mut self) -> Option<Kind> {
        if !self.started {
            self.started = true;
            self.pos = 0;
        } else if self.pos < self.toks.len() {
            self.pos += 1;
        }
        self.current()
    }

    /// `currentToken()`.
    pub(crate) fn current(&self) -> Option<Kind> {
        if !self.started {
            return None;
        }
        self.toks.get(self.pos).map(|t| t.kind)
    }

    pub(crate) fn token(&self) -> Option<&Token<'a>> {
        if !self.started {
            return None;
        }
        self.toks.get(self.pos)
    }

    /// `currentName()`.
    pub(crate) fn current_name(&self) -> Option<String> {
        self.token().and_then(|t| t.name.map(str::to_string))
    }

    /// `skipChildren()`: on a START_ token, moves to the matching END_ token.
    pub(crate) fn skip_children(&mut self) {
        let Some(kind) = self.current() else { return };
        if kind != Kind::StartObject && kind != Kind::StartArray {
            return;
        }
        let mut depth = 0usize;
        while let Some(k) = self.current() {
            match k {
                Kind::StartObject | Kind::StartArray => depth += 1,
                Kind::EndObject | Kind::EndArray => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
            self.next();
        }
    }

    /// The index of the current token (for [`Tokens::seek_end_of`]).
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Moves to the END_ token matching the START_ token at `start`, unless already past it
    /// (`XContentSubParser.close()`).
    pub(crate) fn seek_end_of(&mut self, start: usize) {
        let mut depth = 0usize;
        let mut i = start;
        while i < self.toks.len() {
            match self.toks[i].kind {
                Kind::StartObject | Kind::StartArray => depth += 1,
                Kind::EndObject | Kind::EndArray => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if self.pos < i {
            self.pos = i;
        }
    }

    /// "line:column" of the current token (`getTokenLocation()`).
    pub(crate) fn location(&self) -> String {
        match self.token() {
            Some(t) => format!("1:{}", t.col),
            None => format!("1:{}", self.toks.last().map(|t| t.end_col).unwrap_or(1)),
        }
    }

    /// Jackson's `JsonLocation.toString()` after the current token, as in its exception messages
    /// (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` is off by default since Jackson 2.16).
    pub(crate) fn jackson_location(&self) -> String {
        let col = self.token().map(|t| t.end_col).unwrap_or(1);
        format!(
            "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: {col}]"
        )
    }

    /// `text()`: the text of a value token, else `IllegalStateException`.
    pub(crate) fn text(&self) -> Result<String, JavaError> {
        match self.token() {
            Some(t) if t.kind.is_value() => Ok(t.text.to_string()),
            Some(t) => Err(JavaError::illegal_state(format!(
                "Can't get text on a {} at {}",
                t.kind.xcontent_name(),
                self.location()
            ))),
            None => Err(JavaError::illegal_state(format!(
                "Can't get text on a null at {}",
                self.location()
            ))),
        }
    }

    /// `textOrNull()`.
    pub(crate) fn text_or_null(&self) -> Result<Option<String>, JavaError> {
        if self.current() == Some(Kind::Null) {
            return Ok(None);
        }
        self.text().map(Some)
    }

    /// The value of the current token and everything under it, as a tree.
    pub(crate) fn current_value(&self) -> Option<&'a Value> {
        self.token().and_then(|t| t.value)
    }

    /// `AbstractXContentParser.readValue(parser, HashMap::new).toString()`: reads the current value
    /// (moving to its end) and prints it as Java would (`{a=1, b=[x]}`, maps in `HashMap` order).
    pub(crate) fn read_value_preview(&mut self) -> Result<String, JavaError> {
        let Some(tok) = self.token() else {
            return Err(JavaError::illegal_state("no current token"));
        };
        match tok.kind {
            Kind::Null => Ok("null".into()),
            Kind::String | Kind::Int | Kind::Float | Kind::True | Kind::False => {
                Ok(java_print(tok.value.unwrap_or(&Value::Null)))
            }
            Kind::StartObject | Kind::StartArray => {
                let v = java_print(tok.value.unwrap_or(&Value::Null));
                self.skip_children();
                Ok(v)
            }
            // readValueUnsafe has no case for these tokens.
            Kind::EndObject | Kind::EndArray | Kind::FieldName => Err(JavaError::illegal_state(
                format!("unexpected token [{}]", tok.kind.xcontent_name()),
            )),
        }
    }
}

/// Java's `toString()` of the value as the XContent map reader builds it (`HashMap`, `ArrayList`,
/// `Integer`/`Long`/`Double`).
pub(crate) fn java_print(v: &Value) -> String {
    painless::value::from_json(v).java_to_string()
}

/// The text of a number as the node's JSON writer prints it.
pub(crate) fn number_text(n: &serde_json::Number) -> (Kind, String) {
    if let Some(i) = n.as_i64() {
        (Kind::Int, i.to_string())
    } else if let Some(u) = n.as_u64() {
        (Kind::Int, u.to_string())
    } else {
        (
            Kind::Float,
            java_double_to_string(n.as_f64().unwrap_or(f64::NAN)),
        )
    }
}

/// Bytes Jackson writes for a JSON string (quotes included): `"` and `\` escaped, control
/// characters as `\n`-style or `\u00XX` escapes, everything else as UTF-8.
fn json_string_len(s: &str) -> usize {
    let mut n = 2;
    for ch in s.chars() {
        n += match ch {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        };
    }
    n
}

struct Builder<'a> {
    toks: Vec<Token<'a>>,
    /// Byte offset in the compact text.
    offset: usize,
}

impl<'a> Builder<'a> {
    fn push(
        &mut self,
        kind: Kind,
        text: Cow<'a, str>,
        name: Option<&'a str>,
        len: usize,
        value: Option<&'a Value>,
    ) {
        self.toks.push(Token {
            kind,
            text,
            name,
            col: self.offset + 1,
            end_col: self.offset + len + 1,
            value,
        });
        self.offset += len;
    }

    /// `name`: the field this value belongs to (None in arrays and at the root).
    fn value(&mut self, v: &'a Value, name: Option<&'a str>) {
        match v {
            Value::Null => self.push(Kind::Null, Cow::Borrowed("null"), name, 4, Some(v)),
            Value::Bool(true) => self.push(Kind::True, Cow::Borrowed("true"), name, 4, Some(v)),
            Value::Bool(false) => self.push(Kind::False, Cow::Borrowed("false"), name, 5, Some(v)),
            Value::Number(n) => {
                let (kind, text) = number_text(n);
                let len = text.len();
                self.push(kind, Cow::Owned(text), name, len, Some(v));
            }
            Value::String(s) => {
                let len = json_string_len(s);
                self.push(Kind::String, Cow::Borrowed(s), name, len, Some(v));
            }
            Value::Array(items) => {
                self.push(Kind::StartArray, Cow::Borrowed("["), name, 1, Some(v));
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.offset += 1;
                    }
                    self.value(item, None);
                }
                self.push(Kind::EndArray, Cow::Borrowed("]"), name, 1, None);
            }
            Value::Object(fields) => {
                self.push(Kind::StartObject, Cow::Borrowed("{"), name, 1, Some(v));
                for (i, (k, item)) in fields.iter().enumerate() {
                    if i > 0 {
                        self.offset += 1;
                    }
                    let len = json_string_len(k);
                    self.push(Kind::FieldName, Cow::Borrowed(k), Some(k), len, None);
                    self.offset += 1; // ':'
                    self.value(item, Some(k));
                }
                self.push(Kind::EndObject, Cow::Borrowed("}"), name, 1, None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn locations_are_byte_columns_of_the_compact_text() {
        let doc = json!({"a": {"b": 1}});
        let mut t = Tokens::new(&doc);
        assert_eq!(t.next(), Some(Kind::StartObject));
        assert_eq!(t.next(), Some(Kind::FieldName));
        assert_eq!(t.current_name().as_deref(), Some("a"));
        assert_eq!(t.next(), Some(Kind::StartObject));
        // {"a":{  -> the inner '{' is the 6th byte
        assert_eq!(t.location(), "1:6");
        assert_eq!(
            t.text().unwrap_err().message,
            "Can't get text on a START_OBJECT at 1:6"
        );
        assert_eq!(t.current_name().as_deref(), Some("a"));
        assert_eq!(t.read_value_preview().unwrap(), "{b=1}");
        assert_eq!(t.current(), Some(Kind::EndObject));
        assert_eq!(t.current_name().as_deref(), Some("a"));
        assert_eq!(t.next(), Some(Kind::EndObject));
        assert_eq!(t.next(), None);
    }

    #[test]
    fn names_inside_arrays_are_null() {
        let doc = json!({"a": [1, "x"]});
        let mut t = Tokens::new(&doc);
        t.next();
        t.next();
        assert_eq!(t.next(), Some(Kind::StartArray));
        assert_eq!(t.current_name().as_deref(), Some("a"));
        assert_eq!(t.next(), Some(Kind::Int));
        assert_eq!(t.current_name(), None);
        assert_eq!(t.next(), Some(Kind::String));
        assert_eq!(t.text().unwrap(), "x");
        assert_eq!(t.next(), Some(Kind::EndArray));
        assert_eq!(t.current_name().as_deref(), Some("a"));
    }

    #[test]
    fn doubles_print_as_java() {
        let doc = json!({"a": 1.0e20, "b": 1.5});
        let mut t = Tokens::new(&doc);
        t.next();
        t.next();
        t.next();
        assert_eq!(t.text().unwrap(), "1.0E20");
        t.next();
        t.next();
        assert_eq!(t.text().unwrap(), "1.5");
    }
}
