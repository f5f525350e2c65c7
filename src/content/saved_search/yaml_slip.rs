//! A saved-search file that does not read as YAML, or reads into the wrong shape, explained in
//! the words of the person who wrote it: what to change, at the line to change, with the hint
//! that fits the slip (never the YAML parser's vocabulary of "simple keys" and "scalars").
//!
//! The parser's location says where it gave up, which is often a line after the slip (an
//! unquoted `: ` in a title is only noticed at the end of its line, a bad indentation at the
//! key after it). So the text is read again, from the top down to that line, for the slips
//! people make: a tab in the indentation, an unquoted `: ` in a value, a line that lines up
//! with nothing above it, a quote that is not closed.

use std::path::Path;

use serde_saphyr::Error;

use crate::content::problem::Problem;
use crate::content::suggest::did_you_mean;

/// The keys of a saved-search file and of one of its filters, for did-you-mean.
const SEARCH_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "query",
    "language",
    "columns",
    "sort",
    "filters",
    "tags",
    "kind",
    "index_pattern",
];
const FILTER_KEYS: &[&str] = &["field", "value", "negate"];

/// The problem to report for a file `serde_saphyr` refused.
pub(super) fn explain(path: &Path, text: &str, err: &Error) -> Problem {
    let original = unwrap(err);
    let (line, column) = err
        .location()
        .map(|l| (to_usize(l.line()), to_usize(l.column())))
        .unwrap_or((None, None));
    match original {
        Error::SerdeUnknownField {
            field, expected, ..
        } => unknown_key(path, field, expected, line),
        Error::SerdeMissingField { field, .. } => Problem::new(
            path,
            format!("`{field}:` is missing: every saved search has an `id` and a `title`"),
        )
        .with_hint(format!(
            "add a line `{field}: ...` at the top of the file (see docs/content-format.md)"
        )),
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("this key");
            Problem::new(path, format!("`{key}` is written twice"))
                .at_line(line)
                .with_hint(format!(
                    "keep one `{key}:` line (YAML keeps only one of them, silently in other tools)"
                ))
        }
        Error::SerdeInvalidType { .. } | Error::SerdeInvalidValue { .. } => {
            wrong_shape(path, text, line)
        }
        other if is_shape(&other.to_string()) => wrong_shape(path, text, line),
        _ => syntax(path, text, line, column),
    }
}

/// A value read fine but of the wrong kind for its key (serde's words for it).
fn is_shape(message: &str) -> bool {
    [
        "invalid type",
        "expected a sequence",
        "expected a map",
        "expected sequence",
    ]
    .iter()
    .any(|m| message.contains(m))
}

fn unwrap(mut err: &Error) -> &Error {
    while let Error::WithSnippet { error, .. } | Error::AliasError { error, .. } = err {
        err = error;
    }
    err
}

fn to_usize(n: u64) -> Option<usize> {
    usize::try_from(n).ok().filter(|n| *n > 0)
}

fn unknown_key(path: &Path, field: &str, expected: &[&str], line: Option<usize>) -> Problem {
    let in_filter = expected.contains(&"negate");
    let (what, keys) = if in_filter {
        ("a filter", FILTER_KEYS)
    } else {
        ("a saved search", SEARCH_KEYS)
    };
    let problem = Problem::new(path, format!("`{field}` is not a key of {what}")).at_line(line);
    match did_you_mean(field, keys.iter().copied()) {
        Some(name) => problem.with_hint(format!("did you mean `{name}`?")),
        None => problem.with_hint(format!(
            "the keys of {what} are {}",
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A value of the wrong kind: a word where a list goes, a list where one word goes.
fn wrong_shape(path: &Path, text: &str, line: Option<usize>) -> Problem {
    let key = line
        .and_then(|l| key_at_or_above(text, l))
        .unwrap_or_default();
    let (message, hint) = match key.as_str() {
        "columns" | "tags" => (
            format!("`{key}` is a list"),
            format!("write it in brackets, `{key}: [a, b]`, or one `- a` line per item under `{key}:`"),
        ),
        "sort" | "filters" => (
            format!("`{key}` is a list"),
            format!("write one `- ...` line per item under `{key}:`, indented by two spaces (see docs/content-format.md)"),
        ),
        "negate" => (
            "`negate` is `true` or `false`".to_string(),
            "write `negate: true` to exclude the value, or leave the line out".to_string(),
        ),
        "" => (
            "this value has the wrong form for its place".to_string(),
            "compare with docs/content-format.md: `columns`, `tags`, `sort` and `filters` are lists, the other keys one value".to_string(),
        ),
        key => (
            format!("`{key}` is one value, not a list or a block of keys"),
            format!("write it on the line of the key, `{key}: ...`, in quotes if it contains `: ` or starts with `[`, `{{` or `-`"),
        ),
    };
    Problem::new(path, message).at_line(line).with_hint(hint)
}

/// The top-level or filter key of line `line` (1-based), or of the nearest key line above it.
fn key_at_or_above(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let end = line.min(lines.len());
    lines[..end].iter().rev().find_map(|l| {
        let body = l.trim_start().trim_start_matches("- ");
        let (key, _) = body.split_once(':')?;
        let key = key.trim();
        (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then(|| key.to_string())
    })
}

/// A file that is not YAML: find the slip at or above the line the parser stopped at.
fn syntax(path: &Path, text: &str, line: Option<usize>, column: Option<usize>) -> Problem {
    let lines: Vec<&str> = text.lines().collect();
    let stop = line.unwrap_or(lines.len()).clamp(1, lines.len().max(1));
    // A tab in the indentation, anywhere up to the stop (YAML forbids it outright).
    for (i, l) in lines.iter().enumerate().take(stop) {
        let indent: String = l.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        if indent.contains('\t') {
            let column = indent.find('\t').map(|c| c + 1);
            return Problem::new(
                path,
                "this line is indented with a tab: YAML indents with spaces only",
            )
            .at(Some(i + 1), column)
            .with_hint(
                "replace the tab with spaces (two per level, as the other lines are indented)",
            );
        }
    }
    // A value that starts with a character YAML reserves (`@`, a backtick) or reads as an alias
    // (`*`), nearest the stop first.
    for i in (0..stop).rev() {
        if let Some(problem) = reserved_start(path, lines[i], i + 1) {
            return problem;
        }
    }
    // An unquoted value containing `: `, nearest the stop first.
    for i in (0..stop).rev() {
        if let Some(problem) = unquoted_colon(path, lines[i], i + 1) {
            return problem;
        }
    }
    if let Some(problem) = unclosed_quote(path, &lines, stop) {
        return problem;
    }
    if let Some(problem) = misaligned(path, &lines, stop) {
        return problem;
    }
    Problem::new(path, "this line is not valid YAML")
        .at(line, column)
        .with_hint("look at this line and the one above: a key needs `:` and a space after it, a quote must be closed on the value's last line, and the keys of one level start in the same column")
}

/// `columns: [@timestamp]`, `query: *admin*`: a plain value cannot start with `@` or a backtick
/// (reserved indicators), and one starting with `*` is an alias of an anchor.
fn reserved_start(path: &Path, line: &str, number: usize) -> Option<Problem> {
    let chars: Vec<char> = line.chars().collect();
    let mut quote = None;
    // Whether a value may start at the next non-space character.
    let mut can_start = true;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '#') if i == 0 || chars[i - 1] == ' ' => return None,
            (None, ' ') => {}
            (None, '@' | '`' | '*') if can_start => {
                let end = chars[i..]
                    .iter()
                    .position(|c| matches!(c, ',' | ']' | '}'))
                    .map_or(chars.len(), |e| i + e);
                let end = if chars[i..].iter().take(end - i).any(|c| *c == '#') {
                    i + chars[i..end]
                        .windows(2)
                        .position(|w| w == [' ', '#'])
                        .unwrap_or(end - i)
                } else {
                    end
                };
                let value: String = chars[i..end]
                    .iter()
                    .collect::<String>()
                    .trim_end()
                    .to_string();
                let quoted = if value.contains('"') {
                    format!("'{}'", value.replace('\'', "''"))
                } else {
                    format!("\"{value}\"")
                };
                let why = match c {
                    '*' => "YAML reads a value that starts with `*` as a reference to an anchor (an alias), not as text",
                    '@' => "YAML reserves `@` at the start of a value",
                    _ => "YAML reserves a backtick at the start of a value",
                };
                return Some(
                    Problem::new(
                        path,
                        if value.contains('`') {
                            format!("this value needs quotes: {why}")
                        } else {
                            format!("`{value}` needs quotes: {why}")
                        },
                    )
                    .at(Some(number), Some(i + 1))
                    .with_hint(format!("write it in quotes: {quoted}")),
                );
            }
            (None, '"' | '\'') if can_start => {
                quote = Some(c);
                can_start = false;
            }
            (None, '[' | '{' | ',') => can_start = true,
            (None, '-') if can_start && chars.get(i + 1).is_none_or(|n| *n == ' ') => {}
            (None, ':') if chars.get(i + 1).is_none_or(|n| *n == ' ') => can_start = true,
            (None, _) => can_start = false,
        }
        i += 1;
    }
    None
}

/// `title: CloudTrail: failed logins`: YAML reads a second key inside the value.
fn unquoted_colon(path: &Path, line: &str, number: usize) -> Option<Problem> {
    let trimmed = line.trim_start();
    let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    if item.starts_with('#') {
        return None;
    }
    let (key, value) = item.split_once(": ")?;
    let key = key.trim();
    if key.is_empty() || key.contains(' ') && !(key.starts_with('"') || key.starts_with('\'')) {
        return None;
    }
    let value = strip_comment(value).trim();
    let quoted_or_structured = value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']);
    let colon = value
        .find(": ")
        .or_else(|| value.ends_with(':').then(|| value.len() - 1));
    let at = colon.filter(|_| !quoted_or_structured)?;
    let column = line.len() - item.len() + key.len() + 2 + at + 1;
    let what = match key {
        "title" => "the title",
        "description" => "the description",
        "query" => "the query",
        _ => "this value",
    };
    let fixed = quote(value);
    let hint = if key == "query" {
        format!("put the query in quotes, `query: {fixed}`, or write `query: |` and the query on the next lines, indented by two spaces")
    } else {
        format!(
            "quote {what}: `{}{key}: {fixed}`",
            if trimmed.starts_with("- ") { "- " } else { "" }
        )
    };
    Some(
        Problem::new(
            path,
            format!("{what} contains `: ` without quotes, so YAML reads a second key inside it"),
        )
        .at(Some(number), Some(column))
        .with_hint(hint),
    )
}

/// A value in quotes YAML reads back as `value`: double quotes unless it has some (or a
/// backslash, which double quotes treat as an escape), then single quotes.
fn quote(value: &str) -> String {
    if !value.contains('"') && !value.contains('\\') {
        format!("\"{value}\"")
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

/// The value before a ` #` comment.
fn strip_comment(value: &str) -> &str {
    value.find(" #").map_or(value, |at| &value[..at])
}

/// A value whose opening quote is never closed: the parser runs to the end of the file.
fn unclosed_quote(path: &Path, lines: &[&str], stop: usize) -> Option<Problem> {
    for (i, line) in lines.iter().enumerate().take(stop).rev() {
        let trimmed = line.trim_start();
        let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let Some((key, value)) = item.split_once(':') else {
            continue;
        };
        let value = value.trim();
        let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if closes(&value[1..], q) {
            continue;
        }
        // A quoted value may go on over several lines: closed on a later line, it is fine.
        let closed_later = lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with(' ') || l.trim().is_empty())
            .any(|l| closes(l, q));
        if closed_later {
            continue;
        }
        let column = line.find(value).map(|c| c + 1);
        return Some(
            Problem::new(
                path,
                format!("the {q} quote that opens `{}` is never closed", key.trim()),
            )
            .at(Some(i + 1), column)
            .with_hint(format!("end the value with {q} on this line")),
        );
    }
    None
}

/// Whether `rest` (after an opening quote) has the closing quote: `\"` does not close a
/// double-quoted value, `''` does not close a single-quoted one.
fn closes(rest: &str, q: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if q == '"' => {
                chars.next();
            }
            c if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// A line indented so that it lines up with no line above it, or further than a line that
/// already has its value.
fn misaligned(path: &Path, lines: &[&str], stop: usize) -> Option<Problem> {
    let content = |l: &str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    // Lines of a block scalar (`query: |`) are free-form: skip them.
    let mut block: Option<usize> = None;
    let mut above: Vec<(usize, usize)> = Vec::new(); // (line index, indent) of key lines
    for (i, line) in lines.iter().enumerate().take(stop.min(lines.len())) {
        if !content(line) {
            continue;
        }
        let n = indent(line);
        if let Some(parent) = block {
            if n > parent {
                continue;
            }
            block = None;
        }
        if let Some(&(prev, prev_indent)) = above.last() {
            let prev_line = lines[prev].trim_end();
            let opens = prev_line.ends_with(':');
            // `- field: x` is followed by the item's other keys two columns in, after `- `.
            let item = prev_line.trim_start().starts_with("- ") && !opens;
            let lines_up = above.iter().any(|(_, m)| *m == n)
                || (opens && n > prev_indent)
                || (item && n == prev_indent + 2);
            if !lines_up {
                let expected = above
                    .iter()
                    .rev()
                    .map(|(_, m)| *m)
                    .find(|m| *m < n)
                    .unwrap_or(0);
                let word = if n > prev_indent && !opens && !item {
                    format!(
                        "is indented further than line {}, which already has its value",
                        prev + 1
                    )
                } else {
                    "lines up with no line above it".to_string()
                };
                return Some(
                    Problem::new(path, format!("this line {word}: in YAML the indentation says what belongs to what"))
                        .at(Some(i + 1), Some(n + 1))
                        .with_hint(format!("start it in column {} like the other keys of its level ({} spaces), or, if it continues the value above, put that value in quotes or under `|`", expected + 1, expected)),
                );
            }
        }
        let body = line.trim_end();
        if body.ends_with('|')
            || body.ends_with('>')
            || body.ends_with("|-")
            || body.ends_with(">-")
        {
            block = Some(n);
        }
        above.push((i, n));
    }
    None
}
