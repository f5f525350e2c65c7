//! YAML as saved-search files write it: scalars quoted only where YAML needs it, lists of
//! scalars as one flow line (`[a, b]`), lists of maps as block lists at two spaces, long prose
//! folded (`>-`) at [`WIDTH`] columns; and the small pieces of YAML syntax the layout and pull's
//! edits read (a flow list's items as written, comments, block-scalar headers).
//!
//! Every writer here is checked by reading its text back with the same YAML parser the content
//! is loaded with (serde-saphyr): a scalar that would read as anything else is quoted.

use serde_json::Value;

/// The width a search file's prose is folded at, in columns (indentation included).
pub(crate) const WIDTH: usize = 100;

/// A value as a search file writes it; maps keep their keys in the order given.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// A string, number, boolean or null, on the key's line.
    Scalar(Value),
    /// Prose (a description, a query): on the key's line when it fits in [`WIDTH`], else folded
    /// over lines (`>-`), or literal (`|-`) when it holds line breaks.
    Text(String),
    /// Scalars: one flow line, `[a, b]`. With a map among them: a block list.
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// The values of a YAML text (`None` when it does not read as YAML).
pub(crate) fn values(text: &str) -> Option<Value> {
    serde_saphyr::from_str::<Value>(text).ok()
}

/// Whether `text` written after `key: ` (or inside `[...]`, with `flow`) reads back as `value`.
fn reads_as(text: &str, value: &Value, flow: bool) -> bool {
    let doc = if flow {
        format!("k: [{text}]\n")
    } else {
        format!("k: {text}\n")
    };
    let wanted = if flow {
        Value::Array(vec![value.clone()])
    } else {
        value.clone()
    };
    values(&doc).and_then(|v| v.get("k").cloned()) == Some(wanted)
}

/// A string YAML can read unquoted: no indicator first, nothing that starts a comment or a
/// mapping, no flow punctuation inside a flow list; confirmed by reading it back.
fn plain(text: &str, flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let ok = !indicator
        && !first.is_whitespace()
        && !text.ends_with(char::is_whitespace)
        && !text.ends_with(':')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.chars().any(|c| c.is_control())
        && !(flow && text.contains([',', '[', ']', '{', '}']));
    ok && reads_as(text, &Value::String(text.to_string()), flow)
}

/// A string as a YAML scalar: plain when YAML reads it as itself; else in double quotes, or in
/// single quotes when it holds `"` or `\` (a query's quotes and escapes stay as typed).
pub(crate) fn string(text: &str, flow: bool) -> String {
    if plain(text, flow) {
        return text.to_string();
    }
    let control = text.chars().any(char::is_control);
    if !control && !text.contains(['"', '\\']) {
        return format!("\"{text}\"");
    }
    if !control {
        return format!("'{}'", text.replace('\'', "''"));
    }
    // JSON's string syntax is a subset of YAML's double-quoted style.
    Value::String(text.to_string()).to_string()
}

/// A scalar value as YAML.
pub(crate) fn scalar(value: &Value, flow: bool) -> String {
    match value {
        Value::String(s) => string(s, flow),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

fn is_scalar(node: &Node) -> bool {
    matches!(node, Node::Scalar(_) | Node::Text(_))
}

fn scalar_of(node: &Node, flow: bool) -> String {
    match node {
        Node::Scalar(v) => scalar(v, flow),
        Node::Text(t) => string(t, flow),
        _ => String::new(),
    }
}

/// Prose folded into lines of at most `width` columns after `indent`: `None` when folding
/// would not read back as the same text (line breaks, runs of spaces, tabs, control
/// characters, space at either end).
fn folded(text: &str, indent: usize, width: usize) -> Option<String> {
    let foldable = !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(char::is_control);
    if !foldable {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = String::from(">-\n");
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && indent + line.len() + 1 + word.len() > width {
            out.push_str(&pad);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&pad);
    out.push_str(&line);
    Some(out)
}

/// Text with line breaks as a literal block (`|-`): `None` when a line would not read back
/// (trailing spaces, tabs, control characters, a leading space or break, a final break).
fn literal(text: &str, indent: usize) -> Option<String> {
    let ok = !text.starts_with([' ', '\n'])
        && !text.ends_with('\n')
        && text
            .split('\n')
            .all(|l| !l.ends_with(' ') && !l.chars().any(char::is_control));
    if !ok {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = String::from("|-");
    for line in text.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

/// One `key: value` entry at `indent`, with its lines below it; ends with a line break.
fn entry(out: &mut String, key: &str, node: &Node, indent: usize) {
    let pad = " ".repeat(indent);
    let key = string(key, false);
    match node {
        Node::Scalar(v) => out.push_str(&format!("{pad}{key}: {}\n", scalar(v, false))),
        Node::Text(t) => {
            let one_line = string(t, false);
            let fits = indent + key.len() + 2 + one_line.len() <= WIDTH;
            let block = if t.contains('\n') {
                literal(t, indent + 2)
            } else if fits {
                None
            } else {
                folded(t, indent + 2, WIDTH)
            };
            let value = block
                .filter(|b| reads_as(b, &Value::String(t.clone()), false))
                .unwrap_or(one_line);
            out.push_str(&format!("{pad}{key}: {value}\n"));
        }
        Node::List(items) if items.iter().all(is_scalar) => {
            let words: Vec<String> = items.iter().map(|i| scalar_of(i, true)).collect();
            out.push_str(&format!("{pad}{key}: [{}]\n", words.join(", ")));
        }
        Node::List(items) => {
            out.push_str(&format!("{pad}{key}:\n"));
            for item in items {
                list_item(out, item, indent + 2);
            }
        }
        Node::Map(entries) if entries.is_empty() => out.push_str(&format!("{pad}{key}: {{}}\n")),
        Node::Map(entries) => {
            out.push_str(&format!("{pad}{key}:\n"));
            for (k, v) in entries {
                entry(out, k, v, indent + 2);
            }
        }
    }
}

/// One `- item` of a block list at `indent`; a map's first entry on the dash's line.
fn list_item(out: &mut String, item: &Node, indent: usize) {
    let pad = " ".repeat(indent);
    match item {
        Node::Map(entries) if !entries.is_empty() => {
            let mut inner = String::new();
            for (k, v) in entries {
                entry(&mut inner, k, v, indent + 2);
            }
            // The first entry moves onto the dash's line.
            out.push_str(&pad);
            out.push_str("- ");
            out.push_str(&inner[indent + 2..]);
        }
        Node::List(items) if items.iter().all(is_scalar) => {
            let words: Vec<String> = items.iter().map(|i| scalar_of(i, true)).collect();
            out.push_str(&format!("{pad}- [{}]\n", words.join(", ")));
        }
        Node::List(items) => {
            out.push_str(&format!("{pad}-\n"));
            for i in items {
                list_item(out, i, indent + 2);
            }
        }
        Node::Map(_) => out.push_str(&format!("{pad}- {{}}\n")),
        scalar => out.push_str(&format!("{pad}- {}\n", scalar_of(scalar, false))),
    }
}

/// A document of top-level entries, in the order given.
pub(crate) fn write(entries: &[(String, Node)]) -> String {
    let mut out = String::new();
    for (key, node) in entries {
        entry(&mut out, key, node, 0);
    }
    out
}

/// The number of spaces a line starts with.
pub(crate) fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// A line holding only a comment.
pub(crate) fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Whether a line ends in a block scalar's header (`key: |`, `- >-`, `key: |2 # why`): the
/// lines indented below it are the scalar's text, trailing spaces and `#` included.
pub(crate) fn opens_block_scalar(line: &str) -> bool {
    let code = match find_comment(line) {
        Some(at) => &line[..at],
        None => line,
    };
    let code = code.trim_end();
    let at = code.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let token = &code[at..];
    let before = code[..at].trim_end();
    let mut chars = token.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+' | '1'..='9'))
        && (before.ends_with(':') || before.ends_with('-') || before.is_empty())
}

/// Where a comment starts on a line (a `#` at the start or after white space, outside quotes).
pub(crate) fn find_comment(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
                previous = 'x';
                continue;
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && previous.is_whitespace() => return Some(i),
            None if (c == '"' || c == '\'')
                && (previous.is_whitespace() || "[{,:".contains(previous)) =>
            {
                quote = Some(c);
            }
            None => {}
        }
        previous = c;
    }
    None
}

/// The items of a flow collection as written, `text` starting at its `[` (or `{`): each item's
/// text trimmed, and what follows the closing bracket. `None` when it does not close, or holds
/// a comment (the caller leaves such a list as it is).
pub(crate) fn flow_items(text: &str) -> Option<(Vec<String>, &str)> {
    let open = text.chars().next()?;
    let close = match open {
        '[' => ']',
        '{' => '}',
        _ => return None,
    };
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 1;
    let mut previous = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(q) = quote {
            if q == '"' && c == '\\' {
                chars.next();
            } else if c == q {
                if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            previous = c;
            continue;
        }
        match c {
            '"' | '\'' if previous.is_whitespace() || "[{,:".contains(previous) => quote = Some(c),
            '#' if previous.is_whitespace() => return None,
            '[' | '{' => {
                depth += 1;
            }
            ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    if c != close {
                        return None;
                    }
                    let last = text[start..i].trim();
                    if !last.is_empty() {
                        items.push(last.to_string());
                    }
                    return Some((items, &text[i + 1..]));
                }
            }
            ',' if depth == 1 => {
                items.push(text[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
        previous = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_quoted_only_where_yaml_needs_it() {
        assert_eq!(
            string("event.action:ConsoleLogin and event.outcome:failure", false),
            "event.action:ConsoleLogin and event.outcome:failure"
        );
        assert_eq!(
            string("CloudTrail: failed logins", false),
            "\"CloudTrail: failed logins\""
        );
        assert_eq!(string("@timestamp", true), "\"@timestamp\"");
        assert_eq!(string("user.name", true), "user.name");
        assert_eq!(string("a,b", true), "\"a,b\"");
        assert_eq!(string("a,b", false), "a,b");
        for word in [
            "no", "true", "null", "~", "1.5", "12", "", " a", "a ", "- a", "*x", "a #b",
        ] {
            let out = string(word, false);
            assert_ne!(out, word, "{word:?} needs quotes");
            assert!(reads_as(&out, &json!(word), false), "{out}");
        }
        assert_eq!(
            string(r#"source.ip:"10.0.0.0/8" and not x"#, false),
            r#"source.ip:"10.0.0.0/8" and not x"#
        );
        assert_eq!(string(r#""quoted" first"#, false), r#"'"quoted" first'"#);
        assert_eq!(string(r"*..\/* it's", false), r"'*..\/* it''s'");
        assert_eq!(string("a\tb", false), "\"a\\tb\"");
    }

    #[test]
    fn a_document_in_the_layout() {
        let long = "word ".repeat(40).trim_end().to_string();
        let doc = write(&[
            ("id".into(), Node::Scalar(json!("s1"))),
            ("title".into(), Node::Scalar(json!("ELB: one client"))),
            ("description".into(), Node::Text(long.clone())),
            ("query".into(), Node::Text("a:b".into())),
            (
                "columns".into(),
                Node::List(vec![
                    Node::Scalar(json!("@timestamp")),
                    Node::Scalar(json!("url.original")),
                ]),
            ),
            (
                "sort".into(),
                Node::List(vec![Node::Map(vec![(
                    "@timestamp".into(),
                    Node::Scalar(json!("desc")),
                )])]),
            ),
            (
                "filters".into(),
                Node::List(vec![Node::Map(vec![
                    ("field".into(), Node::Scalar(json!("event.outcome"))),
                    (
                        "value".into(),
                        Node::List(vec![Node::Scalar(json!("failure")), Node::Scalar(json!(1))]),
                    ),
                    ("negate".into(), Node::Scalar(json!(true))),
                ])]),
            ),
            ("tags".into(), Node::List(vec![])),
        ]);
        let folded_lines = "  word word word word word word word word word word word word word word word word word word word\n";
        assert_eq!(
            doc,
            format!(
                "id: s1\ntitle: \"ELB: one client\"\ndescription: >-\n{folded_lines}{folded_lines}  word word\nquery: a:b\ncolumns: [\"@timestamp\", url.original]\nsort:\n  - \"@timestamp\": desc\nfilters:\n  - field: event.outcome\n    value: [failure, 1]\n    negate: true\ntags: []\n"
            )
        );
        assert_eq!(values(&doc).unwrap()["description"], json!(long));
        let lines = write(&[("d".into(), Node::Text("one\n\ntwo".into()))]);
        assert_eq!(lines, "d: |-\n  one\n\n  two\n");
        assert_eq!(values(&lines).unwrap()["d"], json!("one\n\ntwo"));
    }

    #[test]
    fn flow_items_as_written() {
        assert_eq!(flow_items("[a, b] # why").unwrap().1, " # why");
        assert_eq!(flow_items("[a, # why\n b]"), None);
        let (items, rest) = flow_items("[a, \"b, c\" , 'd''e', {x: [1]}]  ").unwrap();
        assert_eq!(items, ["a", "\"b, c\"", "'d''e'", "{x: [1]}"]);
        assert_eq!(rest, "  ");
        assert_eq!(flow_items("[]").unwrap().0, Vec::<String>::new());
        assert_eq!(flow_items("[a, b,]").unwrap().0, ["a", "b"]);
        assert_eq!(flow_items("[a, b"), None);
    }

    #[test]
    fn block_scalar_headers_and_comments() {
        assert!(opens_block_scalar("description: >-"));
        assert!(opens_block_scalar("query: |2  # why"));
        assert!(opens_block_scalar("  - |"));
        assert!(!opens_block_scalar("query: a|b"));
        assert!(!opens_block_scalar("query: \"a >\""));
        assert_eq!(find_comment("a: \"x # y\" # z"), Some(11));
        assert_eq!(find_comment("a: b#c"), None);
    }
}
