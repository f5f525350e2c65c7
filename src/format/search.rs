//! The layout of a saved-search YAML file, and the targeted edit `pull` makes to one.
//!
//! A search file is the analyst's: its key order, comments and quoting are kept. The layout
//! only removes what carries nothing (trailing white space, `\r\n`, blank lines at the end, a
//! missing final newline), and only when the file still reads as the same values after it.
//!
//! `pull` rewrites a file one top-level key at a time: a key whose value is unchanged keeps its
//! lines byte for byte, comments between keys stay where they are, a changed key gets new lines
//! (a list of words written `[a, b]` stays in that style), a key gone is removed, a new key
//! comes after the key before it in the generated order. The result is read back and must hold
//! exactly the generated values, or the generated file is used whole.

use serde_json::Value;

/// The values of a YAML text, to compare two layouts of one file.
fn values(text: &str) -> Option<Value> {
    serde_saphyr::from_str::<Value>(text).ok()
}

/// The canonical layout of a saved-search file; `None` when the file is already in it or
/// does not read as YAML (validate reports that).
pub(crate) fn layout(text: &str) -> Option<String> {
    let mut out: String = text
        .replace("\r\n", "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    out.push('\n');
    if out == text {
        return None;
    }
    let before = values(text)?;
    (values(&out).as_ref() == Some(&before)).then_some(out)
}

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

fn parts(text: &str) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let continues = matches!(parts.last(), Some(Part::Block(_)))
            && (bare.starts_with([' ', '\t', '-']) || bare.is_empty());
        if is_key_line(bare) {
            parts.push(Part::Block(Block {
                key: key_of(bare),
                text: line.to_string(),
            }));
        } else if continues {
            if let Some(Part::Block(block)) = parts.last_mut() {
                block.text.push_str(line);
            }
        } else if let Some(Part::Between(between)) = parts.last_mut() {
            between.push_str(line);
        } else {
            parts.push(Part::Between(line.to_string()));
        }
    }
    // Blank lines closing a block are between blocks.
    let mut out = Vec::new();
    for part in parts {
        match part {
            Part::Block(mut block) => {
                let kept = block.text.trim_end_matches(['\n', '\r', ' ']).len();
                let tail = block.text[kept..].to_string();
                let newline = tail.find('\n').map_or(tail.len(), |i| i + 1);
                block.text.truncate(kept);
                block.text.push_str(&tail[..newline]);
                out.push(Part::Block(block));
                if newline < tail.len() {
                    out.push(Part::Between(tail[newline..].to_string()));
                }
            }
            between => out.push(between),
        }
    }
    out
}

fn block_value(block: &Block) -> Option<Value> {
    values(&block.text)?.get(&block.key).cloned()
}

/// Whether a block writes its value as a one-line flow list (`key: [a, b]`).
fn is_flow_list(block: &Block) -> bool {
    let text = block.text.trim_end();
    !text.contains('\n')
        && text
            .split_once(':')
            .is_some_and(|(_, v)| v.trim().starts_with('['))
}

/// A word that YAML reads as itself, unquoted, inside `[...]`.
fn plain_in_flow(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !matches!(
            word.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

fn flow_list(key: &str, items: &[Value]) -> Option<String> {
    let words: Option<Vec<String>> = items
        .iter()
        .map(|v| {
            v.as_str().map(|s| {
                if plain_in_flow(s) {
                    s.to_string()
                } else {
                    Value::String(s.to_string()).to_string()
                }
            })
        })
        .collect();
    Some(format!("{key}: [{}]\n", words?.join(", ")))
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
                let restyled = match (&value, keep_style && is_flow_list(&block)) {
                    (Some(Value::Array(items)), true) => flow_list(&block.key, items),
                    _ => None,
                };
                out.push(Part::Block(Block {
                    key: block.key.clone(),
                    text: restyled.unwrap_or_else(|| new.text.clone()),
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
        let text = match block_value(new) {
            Some(Value::Array(items))
                if keep_style
                    && items.iter().all(Value::is_string)
                    && !items.is_empty()
                    && new.key != "sort" =>
            {
                flow_list(&new.key, &items).unwrap_or_else(|| new.text.clone())
            }
            _ => new.text.clone(),
        };
        let block = Part::Block(Block {
            key: new.key.clone(),
            text,
        });
        match after {
            Some(at) => out.insert(at + 1, block),
            None => out.insert(0, block),
        }
    }
    let mut text: String = out
        .into_iter()
        .map(|p| match p {
            Part::Block(b) => b.text,
            Part::Between(t) => t,
        })
        .collect();
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
    fn layout_removes_only_what_carries_nothing() {
        assert_eq!(layout(FILE), None);
        let untidy = FILE.replace("language: dql\n", "language: dql   \r\n") + "\n\n";
        assert_eq!(layout(&untidy).as_deref(), Some(FILE));
        // trailing spaces inside a literal block are its text: left alone
        let literal = "id: a\ntitle: T\nquery: |\n  a:b  \n  c\n";
        assert_eq!(layout(literal), None);
    }
}
