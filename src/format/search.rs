//! The layout of a saved-search YAML file, and the targeted edit `pull` makes to one.
//!
//! The layout (docs/content-format.md, "The layout of a search file"): top-level keys at
//! column 0; a list of scalars (columns, tags, a filter's values) as one flow line,
//! `columns: [a, b]`; a list of maps (sort, filters) as a block list, `  - ` at two spaces with
//! what is under each dash two columns further; no trailing white space, `\n` line ends, one
//! final newline. A new file (`pull --new`, `siemctl new search`) also has its keys in the
//! documented order, scalars quoted only where YAML needs it, and long prose folded (see
//! [`super::yaml`]).
//!
//! A file is the analyst's: `fmt` keeps its comments, its key order, each scalar as written
//! (quotes, folding) and a list with a comment inside as a block list (so that the comment
//! keeps its place); it changes the style of lists and the indentation of list items, and only
//! when the file still reads as the same values after it.
//!
//! `pull` edits a file one top-level key at a time: a key whose value is unchanged keeps its
//! lines byte for byte, comments between keys stay where they are, a changed list is edited
//! item by item (an item that stays keeps its lines and the comments above it, a filter that
//! changed is edited key by key), a changed scalar gets a new line, a key gone is removed, a
//! new key comes after the key before it in the generated order. The result must make the very
//! object wanted, or the generated file is used whole.

use serde_json::Value;

use super::list::{BlockList, Item};
use super::yaml::{self, flow_items, indent_of, opens_block_scalar, values};

/// One top-level entry of a YAML mapping: its key and its lines (the key's line, then the
/// lines indented under it or of a block list at column 0).
#[derive(Debug, Clone)]
struct Block {
    key: String,
    text: String,
}

/// A file as the blocks of its keys and the lines between them (comments, blank lines).
#[derive(Debug, Clone)]
enum Part {
    Block(Block),
    Between(String),
}

fn is_key_line(line: &str) -> bool {
    !line.is_empty()
        && !line.starts_with([' ', '\t', '#', '-'])
        && !line.starts_with("...")
        && line.contains(':')
}

/// A line that continues the block above it: indented, or a dash of a block list at column 0.
fn continues(line: &str) -> bool {
    let blank_or_comment = line.trim().is_empty() || line.trim_start().starts_with('#');
    !blank_or_comment && (line.starts_with([' ', '\t']) || line == "-" || line.starts_with("- "))
}

fn key_of(line: &str) -> String {
    let raw = if let Some(rest) = line.strip_prefix('"') {
        rest.split('"').next().unwrap_or_default()
    } else if let Some(rest) = line.strip_prefix('\'') {
        rest.split('\'').next().unwrap_or_default()
    } else {
        line.split(':').next().unwrap_or_default()
    };
    raw.trim().to_string()
}

/// The blocks of a document. Comment and blank lines belong to a block only between its lines
/// (a comment between two items of a list); above a key or after the last line of a block they
/// are between blocks. Inside a block scalar every line is its text.
fn parts(text: &str) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let mut pending = String::new();
    // The indentation of the line that opened a block scalar, while inside it.
    let mut scalar: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let in_scalar = scalar.is_some_and(|h| bare.trim().is_empty() || indent_of(bare) > h);
        if !in_scalar {
            scalar = None;
        }
        let in_block = matches!(parts.last(), Some(Part::Block(_)));
        if !in_scalar && is_key_line(bare) {
            if !pending.is_empty() {
                parts.push(Part::Between(std::mem::take(&mut pending)));
            }
            parts.push(Part::Block(Block {
                key: key_of(bare),
                text: line.to_string(),
            }));
            scalar = opens_block_scalar(bare).then_some(0);
        } else if in_block && (in_scalar || continues(bare)) {
            if let Some(Part::Block(block)) = parts.last_mut() {
                block.text.push_str(&std::mem::take(&mut pending));
                block.text.push_str(line);
            }
            if !in_scalar && opens_block_scalar(bare) {
                scalar = Some(indent_of(bare));
            }
        } else if in_block {
            pending.push_str(line);
        } else if let Some(Part::Between(between)) = parts.last_mut() {
            between.push_str(line);
        } else {
            parts.push(Part::Between(line.to_string()));
        }
    }
    if !pending.is_empty() {
        parts.push(Part::Between(pending));
    }
    parts
}

fn join(parts: Vec<Part>) -> String {
    parts
        .into_iter()
        .map(|p| match p {
            Part::Block(b) => b.text,
            Part::Between(t) => t,
        })
        .collect()
}

fn block_value(block: &Block) -> Option<Value> {
    values(&block.text)?.get(&block.key).cloned()
}

/// The text after a block's `key:`, from its first character.
fn after_key(block: &Block) -> &str {
    let text = block.text.as_str();
    let key_end = if text.starts_with(['"', '\'']) {
        text[1..].find(&text[..1]).map_or(0, |i| i + 2)
    } else {
        0
    };
    text[key_end..].find(':').map_or("", |i| {
        text[key_end + i + 1..].trim_start_matches([' ', '\t'])
    })
}

/// The key's part of a block's first line, `columns:`.
fn key_part(block: &Block) -> &str {
    let rest = after_key(block).len();
    block.text[..block.text.len() - rest].trim_end()
}

/// A flow list's items as written, and the comment after it, when the block is one.
fn flow_list(block: &Block) -> Option<(Vec<String>, String)> {
    let rest = after_key(block);
    if !rest.starts_with('[') {
        return None;
    }
    let (items, after) = flow_items(rest)?;
    let after = after.trim_end();
    (after.trim().is_empty() || after.trim_start().starts_with('#'))
        .then(|| (items, after.to_string()))
}

/// A line with the comment (and the white space before it) that followed the old one.
fn with_comment(line: String, comment: &str) -> String {
    if comment.trim().is_empty() {
        line
    } else {
        format!("{}{comment}\n", line.trim_end())
    }
}

/// Trailing white space, `\r\n` and blank lines at the end removed, one final newline; the
/// text of block scalars left as it is.
fn tidy(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    let mut scalar: Option<usize> = None;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(header) = scalar {
            if line.trim().is_empty() || indent_of(line) > header {
                lines.push(line);
                continue;
            }
            scalar = None;
        }
        lines.push(line.trim_end());
        if opens_block_scalar(line) {
            scalar = Some(indent_of(line));
        }
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// A block's lines in the layout, or `None` to keep them as they are.
fn lay_out_block(block: &Block) -> Option<String> {
    let value = block_value(block)?;
    let Value::Array(items) = &value else {
        return None;
    };
    if let Some((raw, comment)) = flow_list(block) {
        if raw.len() != items.len() {
            return None;
        }
        if items.iter().all(|v| !v.is_array() && !v.is_object()) {
            let words: Vec<String> = raw
                .iter()
                .zip(items)
                .map(|(raw, v)| {
                    if raw.contains('\n') {
                        yaml::scalar(v, true)
                    } else {
                        raw.clone()
                    }
                })
                .collect();
            let line = format!("{} [{}]\n", key_part(block), words.join(", "));
            return Some(with_comment(line, &comment));
        }
        if !comment.trim().is_empty() || !items.iter().all(Value::is_object) {
            return None;
        }
        // `sort: [{"@timestamp": desc}]`: a block list, each map's keys as written.
        let mut nodes = Vec::new();
        for (raw, item) in raw.iter().zip(items) {
            let map = item.as_object()?;
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| raw.find(k.as_str()).unwrap_or(usize::MAX));
            nodes.push(yaml::Node::Map(
                keys.into_iter()
                    .map(|k| (k.clone(), node_of(&map[k])))
                    .collect(),
            ));
        }
        let doc = yaml::write(&[(block.key.clone(), yaml::Node::List(nodes))]);
        let head = key_part(block);
        return Some(format!("{head}{}", &doc[doc.find(':')? + 1..]));
    }
    let list = BlockList::read(&block.text)?;
    if items.iter().all(|v| !v.is_array() && !v.is_object()) {
        if let Some(line) = list.flow() {
            return Some(line);
        }
    }
    // The maps of a list laid out as documents of their own (a filter's values: a flow line).
    let mut list = list;
    for item in &mut list.items {
        if let Some(lines) = lay_out_item(item, list.indent) {
            item.lines = lines;
        }
    }
    list.write()
}

/// A map item of a list laid out as a document of its own; `None` to keep it as it is.
fn lay_out_item(item: &Item, indent: usize) -> Option<Vec<String>> {
    if !item.value(indent)?.is_object() {
        return None;
    }
    let (doc, _) = item_document(item)?;
    let out = layout_text(&doc)?;
    Some(item_lines(&out, indent))
}

/// A map item as a document (its first line without the dash, the others moved left to
/// column 0), and the column its content was at.
fn item_document(item: &Item) -> Option<(String, usize)> {
    let first = item.lines.first()?;
    let dash = indent_of(first);
    let rest = &first[dash + 1..];
    let column = dash + 1 + indent_of(rest);
    if rest.trim().is_empty() {
        return None;
    }
    let mut doc = format!("{}\n", rest.trim_start());
    for line in &item.lines[1..] {
        if line.trim().is_empty() {
            doc.push('\n');
        } else {
            doc.push_str(line.get(column..).filter(|_| indent_of(line) >= column)?);
            doc.push('\n');
        }
    }
    Some((doc, column))
}

/// A document's lines as a list item with its dash at `indent` (what was at `column` under
/// the dash, two columns after it).
fn item_lines(doc: &str, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent + 2);
    doc.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("{}- {line}", " ".repeat(indent))
            } else if line.is_empty() {
                String::new()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect()
}

/// A JSON value as a node of the layout.
pub(crate) fn node_of(value: &Value) -> yaml::Node {
    match value {
        Value::Array(items) => yaml::Node::List(items.iter().map(node_of).collect()),
        Value::Object(map) => {
            yaml::Node::Map(map.iter().map(|(k, v)| (k.clone(), node_of(v))).collect())
        }
        other => yaml::Node::Scalar(other.clone()),
    }
}

/// The layout of a document's text, whitespace left for [`tidy`]; `None` when nothing changes.
fn layout_text(text: &str) -> Option<String> {
    let mut changed = false;
    let parts: Vec<Part> = parts(text)
        .into_iter()
        .map(|part| match part {
            Part::Block(block) => match lay_out_block(&block) {
                Some(text) if text != block.text => {
                    changed = true;
                    Part::Block(Block { text, ..block })
                }
                _ => Part::Block(block),
            },
            between => between,
        })
        .collect();
    changed.then(|| join(parts))
}

/// The canonical layout of a saved-search file: `Ok(None)` when the file is already in it or
/// does not read as YAML (validate reports that), `Err` with the reason when laying it out
/// would change what it reads as (it is left as it is).
pub(crate) fn layout(text: &str) -> Result<Option<String>, String> {
    let Some(before) = values(text) else {
        return Ok(None);
    };
    let tidied = tidy(text);
    let out = layout_text(&tidied).map_or_else(|| tidied.clone(), |t| tidy(&t));
    if out == text {
        return Ok(None);
    }
    if values(&out).as_ref() == Some(&before) {
        return Ok(Some(out));
    }
    // Only the white space, as a last resort.
    if tidied != text && values(&tidied).as_ref() == Some(&before) {
        return Ok(Some(tidied));
    }
    Err("laid out, it would read as other values: left as it is (please report it)".into())
}

/// `old` (the file) changed to hold what `generated` (the YAML `pull` would write) holds,
/// keeping the file's lines wherever their value did not change. `holds` tells whether a text
/// makes the very object wanted: a key the file left out that `generated` writes with its
/// default value (`language: dql`) stays out.
pub(crate) fn update(old: &str, generated: &str, holds: &dyn Fn(&str) -> bool) -> String {
    if holds(old) {
        return old.to_string();
    }
    let new_blocks: Vec<Block> = parts(generated)
        .into_iter()
        .filter_map(|p| match p {
            Part::Block(b) => Some(b),
            Part::Between(_) => None,
        })
        .collect();
    let old_keys: Vec<String> = parts(old)
        .into_iter()
        .filter_map(|p| match p {
            Part::Block(b) => Some(b.key),
            Part::Between(_) => None,
        })
        .collect();
    let missing: Vec<String> = old_keys
        .iter()
        .filter(|k| !new_blocks.iter().any(|b| &b.key == *k))
        .cloned()
        .collect();
    for keep_style in [true, false] {
        let mut blocks = new_blocks.clone();
        let mut kept = missing.clone();
        if !holds(&edit(old, &blocks, keep_style, &[])) {
            continue;
        }
        // Keys the file has that the generated file leaves out, kept where the object stays
        // the same; keys the file did not have, left out again where it stays the same.
        for key in &missing {
            if !holds(&edit(old, &blocks, keep_style, &kept)) {
                kept.retain(|k| k != key);
            }
        }
        if !holds(&edit(old, &blocks, keep_style, &kept)) {
            kept.clear();
        }
        for key in new_blocks.iter().map(|b| &b.key) {
            if old_keys.contains(key) {
                continue;
            }
            let without: Vec<Block> = blocks.iter().filter(|b| &b.key != key).cloned().collect();
            if holds(&edit(old, &without, keep_style, &kept)) {
                blocks = without;
            }
        }
        return edit(old, &blocks, keep_style, &kept);
    }
    generated.to_string()
}

/// A changed list edited in the file's style: a flow list keeps its items as written where
/// their value stays; a block list is edited item by item ([`BlockList::merge`]).
fn edit_list(old: &Block, new: &Block, items: &[Value]) -> Option<String> {
    if let Some((raw, comment)) = flow_list(old) {
        let old_values = match block_value(old)? {
            Value::Array(v) => v,
            _ => return None,
        };
        if items.iter().any(|v| v.is_array() || v.is_object()) {
            return None;
        }
        if raw.len() != old_values.len() {
            return None;
        }
        let mut unused: Vec<(String, Value)> = raw.into_iter().zip(old_values).collect();
        let words: Vec<String> = items
            .iter()
            .map(
                |v| match unused.iter().position(|(r, o)| o == v && !r.contains('\n')) {
                    Some(at) => unused.remove(at).0,
                    None => yaml::scalar(v, true),
                },
            )
            .collect();
        let line = format!("{} [{}]\n", key_part(old), words.join(", "));
        return Some(with_comment(line, &comment));
    }
    let list = BlockList::read(&old.text)?;
    // The lines of each new item, its dash at the list's column.
    let pad = " ".repeat(list.indent);
    let wanted: Vec<(Value, Vec<String>)> = match BlockList::read(&new.text) {
        Some(generated) => {
            let shift = |line: &String| {
                if line.trim().is_empty() {
                    String::new()
                } else {
                    format!("{pad}{}", line.get(generated.indent..).unwrap_or(line))
                }
            };
            items
                .iter()
                .cloned()
                .zip(&generated.items)
                .map(|(v, item)| (v, item.lines.iter().map(&shift).collect()))
                .collect()
        }
        None => items
            .iter()
            .map(|v| {
                let lines = match v {
                    Value::Object(_) | Value::Array(_) => {
                        let doc = yaml::write(&[("k".into(), yaml::Node::List(vec![node_of(v)]))]);
                        let generated = BlockList::read(&doc)?;
                        generated
                            .items
                            .first()?
                            .lines
                            .iter()
                            .map(|l| format!("{pad}{}", &l[generated.indent..]))
                            .collect()
                    }
                    scalar => vec![format!("{pad}- {}", yaml::scalar(scalar, false))],
                };
                Some((v.clone(), lines))
            })
            .collect::<Option<_>>()?,
    };
    if wanted.len() != items.len() {
        return None;
    }
    list.merge(&wanted, &|before, indent, (value, lines)| {
        // A map changed in place (a filter's value): edited key by key.
        if !before.value(indent)?.is_object() || !value.is_object() {
            return None;
        }
        let (doc, _) = item_document(before)?;
        let (generated, _) = item_document(&Item {
            lead: Vec::new(),
            lines: lines.clone(),
        })?;
        let wanted = Some(value.clone());
        let out = update(&doc, &generated, &|text| values(text) == wanted);
        (values(&out) == wanted).then(|| item_lines(&out, indent))
    })
}

fn edit(old: &str, new_blocks: &[Block], keep_style: bool, kept: &[String]) -> String {
    let mut out: Vec<Part> = Vec::new();
    for part in parts(old) {
        match part {
            Part::Block(block) => {
                let Some(new) = new_blocks.iter().find(|b| b.key == block.key) else {
                    // Not in the generated file: kept where the object stays the same (a
                    // default written out by hand), else removed.
                    if kept.contains(&block.key) {
                        out.push(Part::Block(block));
                    }
                    continue;
                };
                let value = block_value(new);
                if value.is_some() && block_value(&block) == value {
                    out.push(Part::Block(block));
                    continue;
                }
                let edited = match &value {
                    Some(Value::Array(items)) if keep_style => edit_list(&block, new, items),
                    _ => None,
                };
                out.push(Part::Block(Block {
                    key: block.key.clone(),
                    text: edited.unwrap_or_else(|| new.text.clone()),
                }));
            }
            between => out.push(between),
        }
    }
    // New keys: after the key that comes before them in the generated file.
    for (i, new) in new_blocks.iter().enumerate() {
        let present = out
            .iter()
            .any(|p| matches!(p, Part::Block(b) if b.key == new.key));
        if present {
            continue;
        }
        let after = new_blocks[..i].iter().rev().find_map(|prev| {
            out.iter()
                .position(|p| matches!(p, Part::Block(b) if b.key == prev.key))
        });
        let block = Part::Block(new.clone());
        match after {
            Some(at) => out.insert(at + 1, block),
            None => out.insert(0, block),
        }
    }
    let mut text = join(out);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(old: &str, generated: &str) -> String {
        let wanted = values(generated);
        super::update(old, generated, &|text| values(text) == wanted)
    }

    fn laid_out(text: &str) -> String {
        layout(text).unwrap().unwrap_or_else(|| text.to_string())
    }

    const FILE: &str = "# Owner: SOC team\nid: s1\ntitle: \"ELB: one client\"\n# what it shows\ndescription: >-\n  Every request\n  of one client.\nlanguage: dql\nquery: source.ip:203.0.113.50\ncolumns: [url.original, \"@timestamp\"]\nsort:\n  - \"@timestamp\": asc\ntags: [correlation]\n";

    #[test]
    fn one_changed_key_changes_one_line() {
        let generated = "id: s1\ntitle: 'ELB: one client'\ndescription: Every request of one client.\nlanguage: dql\nquery: source.ip:203.0.113.50\ncolumns:\n  - url.original\n  - \"@timestamp\"\n  - user_agent.original\nsort:\n  - \"@timestamp\": asc\ntags:\n  - correlation\n";
        let out = update(FILE, generated);
        assert_eq!(
            out,
            FILE.replace(
                "columns: [url.original, \"@timestamp\"]",
                "columns: [url.original, \"@timestamp\", user_agent.original]"
            )
        );
    }

    #[test]
    fn keys_gone_and_new() {
        let generated = "id: s1\ntitle: 'ELB: one client'\ndescription: Every request of one client.\nlanguage: lucene\nquery: 'source.ip:\"203.0.113.50\"'\ncolumns:\n  - url.original\n  - \"@timestamp\"\nsort:\n  - \"@timestamp\": asc\nfilters:\n  - field: a\n    value: b\n";
        let out = update(FILE, generated);
        assert!(out.starts_with("# Owner: SOC team\nid: s1\n"), "{out}");
        assert!(out.contains("# what it shows\ndescription: >-\n"), "{out}");
        assert!(out.contains("language: lucene\nquery: 'source.ip:\"203.0.113.50\"'\n"));
        assert!(
            out.ends_with("sort:\n  - \"@timestamp\": asc\nfilters:\n  - field: a\n    value: b\n"),
            "{out}"
        );
        assert_eq!(values(&out), values(generated));
    }

    #[test]
    fn the_same_values_leave_the_file_as_it_is() {
        let generated = "id: s1\ntitle: 'ELB: one client'\ndescription: Every request of one client.\nlanguage: dql\nquery: source.ip:203.0.113.50\ncolumns: [url.original, \"@timestamp\"]\nsort:\n  - \"@timestamp\": asc\ntags: [correlation]\n";
        assert_eq!(update(FILE, generated), FILE);
    }

    #[test]
    fn defaults_stay_as_the_file_has_them() {
        // the object decides: `language: dql` is the default, written or not
        let holds = |text: &str| {
            let mut v = values(text).unwrap();
            let map = v.as_object_mut().unwrap();
            map.entry("language").or_insert("dql".into());
            v == serde_json::json!({"id": "a", "title": "U", "language": "dql"})
        };
        let written = "id: a\ntitle: T\nlanguage: dql\n";
        assert_eq!(
            super::update(written, "id: a\ntitle: U\n", &holds),
            "id: a\ntitle: U\nlanguage: dql\n"
        );
        let left_out = "# c\nid: a\ntitle: T\n";
        assert_eq!(
            super::update(left_out, "id: a\ntitle: U\nlanguage: dql\n", &holds),
            "# c\nid: a\ntitle: U\n"
        );
    }

    #[test]
    fn comments_inside_a_changed_list_stay_with_their_items() {
        let old = "id: s1\ntitle: T\ncolumns:\n  - user.name\n  # why this column\n  - source.ip  # the caller\n  - event.action\nfilters:\n  # only one region\n  - field: cloud.region\n    value: us-east-1  # ours\n  # not the scanners\n  - field: source.ip\n    value: 198.51.100.7\n    negate: true\n";
        let generated = "id: s1\ntitle: T\ncolumns: [user.name, source.ip, event.action, event.outcome]\nfilters:\n  - field: cloud.region\n    value: us-east-1\n  - field: source.ip\n    value: [198.51.100.7, 198.51.100.8]\n    negate: true\n  - field: event.outcome\n    value: failure\n";
        let out = update(old, generated);
        assert_eq!(
            out,
            "id: s1\ntitle: T\ncolumns:\n  - user.name\n  # why this column\n  - source.ip  # the caller\n  - event.action\n  - event.outcome\nfilters:\n  # only one region\n  - field: cloud.region\n    value: us-east-1  # ours\n  # not the scanners\n  - field: source.ip\n    value: [198.51.100.7, 198.51.100.8]\n    negate: true\n  - field: event.outcome\n    value: failure\n"
        );
        // an item gone goes with the comment above it
        let fewer = "id: s1\ntitle: T\ncolumns: [user.name, event.action]\nfilters:\n  - field: cloud.region\n    value: us-east-1\n  - field: source.ip\n    value: 198.51.100.7\n    negate: true\n";
        let out = update(old, fewer);
        assert!(
            out.contains("columns:\n  - user.name\n  - event.action\nfilters:\n"),
            "{out}"
        );
    }

    #[test]
    fn layout_removes_only_what_carries_nothing() {
        assert_eq!(layout(FILE), Ok(None));
        let untidy = FILE.replace("language: dql\n", "language: dql   \r\n") + "\n\n";
        assert_eq!(layout(&untidy), Ok(Some(FILE.to_string())));
        // trailing spaces inside a literal block are its text: left alone
        let literal = "id: a\ntitle: T\nquery: |\n  a:b  \n  c\n";
        assert_eq!(layout(literal), Ok(None));
    }

    #[test]
    fn layout_sets_the_style_of_lists_and_keeps_comments() {
        let text = "# mine\ntitle: 'T'\ncolumns:\n- user.name\n-   \"@timestamp\"\ntags: [ a,b ,'c d' ]  # why\nsort: [{\"@timestamp\": desc}]\nfilters:\n    # one\n    -   field: x\n        value:\n        - a\n        - 1\n";
        let out = laid_out(text);
        assert_eq!(
            out,
            "# mine\ntitle: 'T'\ncolumns: [user.name, \"@timestamp\"]\ntags: [a, b, 'c d']  # why\nsort:\n  - \"@timestamp\": desc\nfilters:\n  # one\n  - field: x\n    value: [a, 1]\n"
        );
        assert_eq!(values(&out), values(text));
        assert_eq!(layout(&out), Ok(None), "a fixed point");
        // a comment between items keeps the list a block list
        let commented = "columns:\n  - a\n  # why\n  - b\n";
        assert_eq!(layout(commented), Ok(None));
        let commented = "columns:\n- a\n# why\n- b\n";
        assert_eq!(laid_out(commented), "columns:\n  - a\n  # why\n  - b\n");
    }

    #[test]
    fn new_files_are_fixed_points() {
        let doc = yaml::write(&[
            ("id".into(), yaml::Node::Scalar("s".into())),
            (
                "description".into(),
                yaml::Node::Text("word ".repeat(50).trim().into()),
            ),
            ("columns".into(), node_of(&serde_json::json!(["a", "@b"]))),
            (
                "sort".into(),
                node_of(&serde_json::json!([{"@timestamp": "desc"}])),
            ),
            (
                "filters".into(),
                node_of(&serde_json::json!([{"field": "f", "value": ["x", "y"]}])),
            ),
        ]);
        assert_eq!(layout(&doc), Ok(None), "{doc}");
    }
}
