//! A JSON template (`.json.hbs`: Handlebars around JSON) read as a tree of JSON values whose
//! leaves keep their text byte for byte, so that it can be laid out again without changing
//! what it renders to: strings, numbers and literals are kept as written (escapes, `{{...}}`
//! expressions and `\{{` escapes included), and a value written as Handlebars expressions
//! (`{{json limit}}`, `{{#if x}}{{json x}}{{else}}0{{/if}}`) is kept whole. Only the
//! whitespace between tokens changes.
//!
//! A template whose expressions are not in the place of a value (an `{{#if}}` around members, a
//! `{{...}}` between them) cannot be laid out that way: reading it is an error with the line.

use std::fmt;

/// A value of a JSON template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// Members in file order: the key as written (with its quotes) and the value.
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    /// A string, number, `true`, `false` or `null`, as written.
    Scalar(String),
    /// A value written as Handlebars expressions, as written.
    Template(String),
}

/// Why a template cannot be read as a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub(crate) struct ReadError {
    pub(crate) line: usize,
    pub(crate) message: String,
}

impl Node {
    /// Whether this leaf holds a Handlebars expression (an unescaped `{{`).
    pub(crate) fn has_expression(&self) -> bool {
        match self {
            Node::Template(_) => true,
            Node::Scalar(text) => has_expression(text),
            _ => false,
        }
    }

    /// The member of an object, by its key's value.
    #[cfg(test)]
    pub(crate) fn member(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(members) => members
                .iter()
                .find(|(k, _)| key_text(k) == key)
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Whether template text holds an expression: a `{{` not escaped as `\{{`.
pub(crate) fn has_expression(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(1))
        .any(|i| bytes[i] == b'{' && bytes[i + 1] == b'{' && (i == 0 || bytes[i - 1] != b'\\'))
}

/// The value of a key as written (`"title"` → `title`); escapes other than `\"` and `\\` are
/// rare in keys and compared as written.
pub(crate) fn key_text(raw: &str) -> String {
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    serde_json::from_str::<String>(&format!("\"{inner}\"")).unwrap_or_else(|_| inner.to_string())
}

/// Reads a template as a tree.
pub(crate) fn read(text: &str) -> Result<Node, ReadError> {
    let mut reader = Reader { text, pos: 0 };
    reader.skip_space();
    let node = reader.value()?;
    reader.skip_space();
    if reader.pos < text.len() {
        return Err(reader.error(
            "text after the end of the JSON value (a `{{...}}` outside any value cannot be laid out)",
        ));
    }
    Ok(node)
}

/// The canonical layout: two spaces of indentation, one member or item a line, `"key": value`,
/// empty containers as `{}` and `[]`, a final newline.
pub(crate) fn write(node: &Node) -> String {
    let mut out = String::new();
    write_node(node, 0, &mut out);
    out.push('\n');
    out
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(write(self).trim_end_matches('\n'))
    }
}

fn write_node(node: &Node, indent: usize, out: &mut String) {
    let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
    match node {
        Node::Object(members) if members.is_empty() => out.push_str("{}"),
        Node::Array(items) if items.is_empty() => out.push_str("[]"),
        Node::Object(members) => {
            out.push_str("{\n");
            for (i, (key, value)) in members.iter().enumerate() {
                pad(out, indent + 2);
                out.push_str(key);
                out.push_str(": ");
                write_node(value, indent + 2, out);
                if i + 1 < members.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, indent);
            out.push('}');
        }
        Node::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, indent + 2);
                write_node(item, indent + 2, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            pad(out, indent);
            out.push(']');
        }
        Node::Scalar(text) | Node::Template(text) => out.push_str(text),
    }
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn error(&self, message: &str) -> ReadError {
        ReadError {
            line: self.text[..self.pos].matches('\n').count() + 1,
            message: message.to_string(),
        }
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), ReadError> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else if self.rest().starts_with("{{") {
            Err(self.error(&format!("a `{{{{...}}}}` expression where {what} was expected: only whole values can be expressions for the layout to be kept (the file is left as it is)")))
        } else {
            Err(self.error(&format!("{what} expected")))
        }
    }

    fn value(&mut self) -> Result<Node, ReadError> {
        self.skip_space();
        match self.peek() {
            Some(b'{') if self.rest().starts_with("{{") => self.template(),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => Ok(Node::Scalar(self.string()?.to_string())),
            Some(_) => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
                {
                    self.pos += 1;
                }
                if start == self.pos {
                    return Err(self.error("a JSON value expected"));
                }
                let token = &self.text[start..self.pos];
                if serde_json::from_str::<serde_json::Value>(token).is_err() {
                    self.pos = start;
                    return Err(self.error(&format!("`{token}` is not a JSON value")));
                }
                Ok(Node::Scalar(token.to_string()))
            }
            None => Err(self.error("the file ends where a value was expected")),
        }
    }

    /// A string token as written; escapes are skipped, not decoded (`\{{` is Handlebars').
    fn string(&mut self) -> Result<&str, ReadError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                Some(b'\\') => self.pos += 2,
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(&self.text[start..self.pos]);
                }
                Some(b'\n') | None => {
                    self.pos = start;
                    return Err(self.error("a string that does not end on its line"));
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn object(&mut self) -> Result<Node, ReadError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node::Object(members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(if self.rest().starts_with("{{") {
                    self.error("a `{{...}}` expression around or between members: only whole values can be expressions for the layout to be kept (the file is left as it is)")
                } else {
                    self.error("a quoted key expected")
                });
            }
            let key = self.string()?.to_string();
            self.expect(b':', "`:`")?;
            let value = self.value()?;
            members.push((key, value));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::Object(members));
                }
                _ => {
                    return self
                        .expect(b'}', "`,` or `}`")
                        .map(|_| Node::Object(vec![]))
                }
            }
        }
    }

    fn array(&mut self) -> Result<Node, ReadError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::Array(items));
                }
                _ => return self.expect(b']', "`,` or `]`").map(|_| Node::Array(vec![])),
            }
        }
    }

    /// A value made of expressions, and of the JSON inside its blocks: up to the end of the
    /// value (a `,`, `}` or `]` outside any block and bracket, or white space after a tag).
    fn template(&mut self) -> Result<Node, ReadError> {
        let start = self.pos;
        let mut blocks = 0usize;
        let mut brackets = 0usize;
        loop {
            if self.rest().starts_with("{{") {
                let triple = self.rest().starts_with("{{{");
                let close = if triple { "}}}" } else { "}}" };
                let Some(end) = self.rest().find(close) else {
                    return Err(self.error("a `{{` without its `}}`"));
                };
                let tag = &self.rest()[..end];
                let tag = tag.trim_start_matches('{').trim_start_matches('~');
                if tag.starts_with('#') {
                    blocks += 1;
                } else if tag.starts_with('/') {
                    blocks = blocks.saturating_sub(1);
                }
                self.pos += end + close.len();
                continue;
            }
            if blocks == 0 && brackets == 0 {
                break;
            }
            match self.peek() {
                None => return Err(self.error("the file ends inside a `{{#...}}` block")),
                Some(b'"') => {
                    self.string()?;
                }
                Some(b'{' | b'[') => {
                    brackets += 1;
                    self.pos += 1;
                }
                Some(b'}' | b']') => {
                    brackets = brackets.saturating_sub(1);
                    self.pos += 1;
                }
                Some(b',') if brackets == 0 => {
                    return Err(self.error("a `{{#...}}` block holding more than one value or member: only whole values can be expressions for the layout to be kept (the file is left as it is)"));
                }
                Some(_) => self.pos += self.rest().chars().next().map_or(1, char::len_utf8),
            }
        }
        Ok(Node::Template(self.text[start..self.pos].to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_changes_only_white_space() {
        let text = "{\"a\":  {\"b\" : [1,2.50, \"x\\u00e9 \\{{y}}\"], \"c\":{}},\n\"d\": [ ],\"e\":\"{{index_prefix}}-*\"}";
        let node = read(text).unwrap();
        assert_eq!(
            write(&node),
            "{\n  \"a\": {\n    \"b\": [\n      1,\n      2.50,\n      \"x\\u00e9 \\{{y}}\"\n    ],\n    \"c\": {}\n  },\n  \"d\": [],\n  \"e\": \"{{index_prefix}}-*\"\n}\n"
        );
        assert_eq!(read(&write(&node)).unwrap(), node);
    }

    #[test]
    fn expressions_as_values_are_kept_whole() {
        let text = "{\"limit\": {{json total_fields_limit}}, \"formats\": {{#if f}}{{json f}}{{else}}[\"a b\", \"c\"]{{/if}}\n}";
        let node = read(text).unwrap();
        assert_eq!(
            node.member("limit"),
            Some(&Node::Template("{{json total_fields_limit}}".into()))
        );
        assert_eq!(
            node.member("formats"),
            Some(&Node::Template(
                "{{#if f}}{{json f}}{{else}}[\"a b\", \"c\"]{{/if}}".into()
            ))
        );
        assert!(write(&node)
            .contains("\"formats\": {{#if f}}{{json f}}{{else}}[\"a b\", \"c\"]{{/if}}\n"));
    }

    #[test]
    fn expressions_around_members_are_refused_with_the_line() {
        let members = "{\n  \"a\": \"{{tz}}\"{{#if x}},\n  \"b\": 1{{/if}}\n}";
        let err = read(members).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("only whole values"), "{err}");
        let block = "{\n  \"a\": {{#if x}}true,\n  \"b\": 2{{else}}false{{/if}}\n}";
        assert_eq!(read(block).unwrap_err().line, 2);
    }

    #[test]
    fn escapes_are_not_expressions() {
        assert!(!has_expression("\\{{ctx.a}}"));
        assert!(has_expression("{{a}}-\\{{b}}"));
        assert!(has_expression("\"{{index_prefix}}\""));
    }

    #[test]
    fn bad_json_is_an_error() {
        assert!(read("{\"a\": tru}").is_err());
        assert!(read("{\"a\": 1} x").is_err());
        assert!(read("{\"a\" 1}").is_err());
    }
}
