//! A top-level key's block list as written (`columns:` then `- ...` lines): its items, each with
//! the comment and blank lines above it, so that a list can be laid out or edited item by item
//! and a comment stays with the item it sits on.

use serde_json::Value;

use super::yaml::{self, find_comment, indent_of, is_comment, opens_block_scalar};

/// A new item: its value and its lines, the dash at the list's column.
pub(crate) type NewItem = (Value, Vec<String>);

/// How an item changed in place is merged: the old item, the list's column, the new item.
pub(crate) type Changed<'a> = &'a dyn Fn(&Item, usize, &NewItem) -> Option<Vec<String>>;

/// One `- ...` of a block list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    /// The comment and blank lines right above the item: they go where it goes.
    pub(crate) lead: Vec<String>,
    /// The item's lines, the first one holding its `-`; comments inside it included.
    pub(crate) lines: Vec<String>,
}

/// A key whose value is a block list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BlockList {
    /// The key's line (`columns:`, perhaps with a comment).
    pub(crate) head: String,
    /// The column of the items' dashes.
    pub(crate) indent: usize,
    pub(crate) items: Vec<Item>,
    /// Comment and blank lines after the last item.
    pub(crate) tail: Vec<String>,
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn is_dash(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    rest == "-" || rest.starts_with("- ")
}

/// The code of a line: without its comment and trailing white space.
fn code(line: &str) -> &str {
    find_comment(line).map_or(line, |at| &line[..at]).trim_end()
}

impl Item {
    /// The item's value, read from its lines alone.
    pub(crate) fn value(&self, indent: usize) -> Option<Value> {
        let text: String = self
            .lines
            .iter()
            .map(|l| format!("{}\n", l.get(indent..).unwrap_or_default()))
            .collect();
        match yaml::values(&text)? {
            Value::Array(mut items) if items.len() == 1 => items.pop(),
            _ => None,
        }
    }

    fn has_comment(&self) -> bool {
        !self.lead.iter().all(|l| is_blank(l))
            || self.lines.iter().any(|l| find_comment(l).is_some())
    }

    /// The column the item's content starts at (after `- `), or of its first line below the dash.
    fn content_column(&self) -> Option<usize> {
        let first = self.lines.first()?;
        let after_dash = indent_of(first) + 1;
        let rest = &first[after_dash..];
        if rest.trim().is_empty() {
            self.lines[1..]
                .iter()
                .find(|l| !is_blank(l))
                .map(|l| indent_of(l))
        } else {
            Some(after_dash + indent_of(rest))
        }
    }
}

impl BlockList {
    /// The block list of a key's lines (the key's line first); `None` when the value is not a
    /// block list, or not one this reads (the caller leaves it as it is).
    pub(crate) fn read(text: &str) -> Option<BlockList> {
        let mut lines = text.lines();
        let head = lines.next()?.to_string();
        if !code(&head).ends_with(':') {
            return None;
        }
        let mut indent = None;
        let mut items: Vec<Item> = Vec::new();
        let mut pending: Vec<String> = Vec::new();
        // Inside a block scalar (`- |`, `key: >-`): the indentation of its header's line.
        let mut scalar: Option<usize> = None;
        for line in lines {
            let here = indent_of(line);
            if let Some(header) = scalar {
                if is_blank(line) || here > header {
                    let item = items.last_mut()?;
                    item.lines.append(&mut pending);
                    item.lines.push(line.to_string());
                    continue;
                }
                scalar = None;
            }
            if is_blank(line) || is_comment(line) {
                pending.push(line.to_string());
                continue;
            }
            let n = *indent.get_or_insert(here);
            if here == n && is_dash(line) {
                items.push(Item {
                    lead: std::mem::take(&mut pending),
                    lines: vec![line.to_string()],
                });
            } else if here > n {
                let item = items.last_mut()?;
                item.lines.append(&mut pending);
                item.lines.push(line.to_string());
            } else {
                return None;
            }
            if opens_block_scalar(line) {
                scalar = Some(here);
            }
        }
        Some(BlockList {
            head,
            indent: indent?,
            items,
            tail: pending,
        })
    }

    /// The values of the items.
    pub(crate) fn values(&self) -> Option<Vec<Value>> {
        self.items.iter().map(|i| i.value(self.indent)).collect()
    }

    /// Whether a comment sits anywhere in the list (then it stays a block list).
    pub(crate) fn has_comment(&self) -> bool {
        find_comment(&self.head).is_some()
            || self.items.iter().any(Item::has_comment)
            || !self.tail.iter().all(|l| is_blank(l))
    }

    /// The list as one flow line, `key: [a, b]`, when every item is a scalar on one line and no
    /// comment would be lost; quoted items keep their quotes.
    pub(crate) fn flow(&self) -> Option<String> {
        if self.has_comment() {
            return None;
        }
        let mut words = Vec::new();
        for item in &self.items {
            let [line] = item.lines.as_slice() else {
                return None;
            };
            let value = item.value(self.indent)?;
            if value.is_array() || value.is_object() {
                return None;
            }
            let raw = line[indent_of(line) + 1..].trim();
            let quoted = (raw.starts_with('"') && raw.ends_with('"'))
                || (raw.starts_with('\'') && raw.ends_with('\''));
            words.push(if quoted && raw.len() > 1 {
                raw.to_string()
            } else {
                yaml::scalar(&value, true)
            });
        }
        Some(format!("{} [{}]\n", code(&self.head), words.join(", ")))
    }

    /// The list with its items at two spaces (`  - `) and what is under each dash moved along;
    /// comments stay on their items. `None` when a line would end up left of its item.
    pub(crate) fn write(&self) -> Option<String> {
        let mut out = String::new();
        out.push_str(self.head.trim_end());
        out.push('\n');
        let comment = |out: &mut String, line: &str| {
            if !is_blank(line) {
                out.push_str("  ");
                out.push_str(line.trim());
            }
            out.push('\n');
        };
        for item in &self.items {
            for line in &item.lead {
                comment(&mut out, line);
            }
            out.push_str(&Self::item_at(item, 2)?);
        }
        for line in &self.tail {
            comment(&mut out, line);
        }
        Some(out)
    }

    /// An item's lines with its dash at `column`.
    fn item_at(item: &Item, column: usize) -> Option<String> {
        let mut out = String::new();
        let first = item.lines.first()?;
        let rest = first[indent_of(first) + 1..].trim();
        out.push_str(&" ".repeat(column));
        out.push('-');
        if !rest.is_empty() {
            out.push(' ');
            out.push_str(rest);
        }
        out.push('\n');
        let from = item.content_column()?;
        for line in &item.lines[1..] {
            if is_blank(line) {
                out.push('\n');
                continue;
            }
            let at = (indent_of(line) + column + 2).checked_sub(from)?;
            if at <= column {
                return None;
            }
            out.push_str(&" ".repeat(at));
            out.push_str(line.trim_start_matches(' '));
            out.push('\n');
        }
        Some(out)
    }

    /// The list holding `wanted` (each value with the lines a new item is written with, its
    /// dash at this list's column): items whose value stays keep their lines and the comments
    /// above them; an item whose value changed in place keeps the comments above it, and is
    /// merged by `changed` (old item's value and lines, new value) when that gives lines;
    /// an item gone goes with its comments; new items come where the new list has them.
    pub(crate) fn merge(&self, wanted: &[NewItem], changed: Changed<'_>) -> Option<String> {
        let old = self.values()?;
        let new: Vec<&Value> = wanted.iter().map(|(v, _)| v).collect();
        let pairs = common(&old, &new);
        let mut items: Vec<Item> = Vec::new();
        let (mut i, mut j) = (0, 0);
        for (pi, pj) in pairs.into_iter().chain([(old.len(), new.len())]) {
            // Between two kept items: the old ones gone, the new ones come; paired in order,
            // the first ones are the same items changed.
            let gone = &self.items[i..pi];
            let come = &wanted[j..pj];
            for (k, new) in come.iter().enumerate() {
                match gone.get(k) {
                    Some(before) => items.push(Item {
                        lead: before.lead.clone(),
                        lines: changed(before, self.indent, new).unwrap_or_else(|| new.1.clone()),
                    }),
                    None => items.push(Item {
                        lead: Vec::new(),
                        lines: new.1.clone(),
                    }),
                }
            }
            if pi < old.len() {
                items.push(self.items[pi].clone());
            }
            (i, j) = (pi + 1, pj + 1);
        }
        let mut out = String::new();
        out.push_str(&self.head);
        out.push('\n');
        for item in &items {
            for line in item.lead.iter().chain(&item.lines) {
                out.push_str(line);
                out.push('\n');
            }
        }
        for line in &self.tail {
            out.push_str(line);
            out.push('\n');
        }
        Some(out)
    }
}

/// The pairs (i, j) of a longest common subsequence of `a` and `b`, in order.
fn common(a: &[Value], b: &[&Value]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    let mut table = vec![vec![0usize; m + 1]; n + 1];
    for x in (0..n).rev() {
        for y in (0..m).rev() {
            table[x][y] = if a[x] == *b[y] {
                table[x + 1][y + 1] + 1
            } else {
                table[x + 1][y].max(table[x][y + 1])
            };
        }
    }
    let (mut x, mut y) = (0, 0);
    let mut out = Vec::new();
    while x < n && y < m {
        if a[x] == *b[y] {
            out.push((x, y));
            x += 1;
            y += 1;
        } else if table[x + 1][y] >= table[x][y + 1] {
            x += 1;
        } else {
            y += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const COLUMNS: &str = "columns:   # the table\n  - user.name\n  # why this column\n  - source.ip  # the caller\n\n  - \"@timestamp\"\n";

    #[test]
    fn items_keep_the_comments_above_them() {
        let list = BlockList::read(COLUMNS).unwrap();
        assert_eq!(list.indent, 2);
        assert_eq!(list.items.len(), 3);
        assert_eq!(list.items[1].lead, ["  # why this column"]);
        assert_eq!(list.items[2].lead, [""]);
        assert_eq!(
            list.values().unwrap(),
            [json!("user.name"), json!("source.ip"), json!("@timestamp")]
        );
        assert!(list.has_comment());
        assert_eq!(list.flow(), None);
        assert_eq!(BlockList::read("columns: [a]\n"), None);
        assert_eq!(BlockList::read("columns:\n  - a\n not\n"), None);
    }

    #[test]
    fn a_list_without_comments_becomes_a_flow_line() {
        let list =
            BlockList::read("columns:\n- user.name\n-   '@timestamp'\n- \"a, b\"\n- 12\n").unwrap();
        assert_eq!(
            list.flow().unwrap(),
            "columns: [user.name, '@timestamp', \"a, b\", 12]\n"
        );
    }

    #[test]
    fn maps_are_moved_to_two_spaces_with_what_is_under_them() {
        let text =
            "filters:\n# one\n-   field: a\n    # inside\n    value: |\n      x  \n      y\n";
        let list = BlockList::read(text).unwrap();
        assert_eq!(list.items[0].lines.len(), 5);
        let out = list.write().unwrap();
        assert_eq!(
            out,
            "filters:\n  # one\n  - field: a\n    # inside\n    value: |\n      x  \n      y\n"
        );
        assert_eq!(yaml::values(&out), yaml::values(text));
    }

    #[test]
    fn a_merge_keeps_the_items_that_stay_and_their_comments() {
        let list = BlockList::read(COLUMNS).unwrap();
        let line = |v: &str| (json!(v), vec![format!("  - {v}")]);
        let wanted = [
            line("source.ip"),
            line("event.action"),
            line("\"@timestamp\""),
        ];
        let wanted = [
            wanted[0].clone(),
            wanted[1].clone(),
            (json!("@timestamp"), wanted[2].1.clone()),
        ];
        let out = list.merge(&wanted, &|_, _, _| None).unwrap();
        assert_eq!(
            out,
            "columns:   # the table\n  # why this column\n  - source.ip  # the caller\n  - event.action\n\n  - \"@timestamp\"\n"
        );
        // a changed item keeps the comment above it
        let wanted = [
            line("user.name"),
            line("source.address"),
            (json!("@timestamp"), vec![]),
        ];
        let out = list.merge(&wanted, &|_, _, _| None).unwrap();
        assert!(
            out.contains("  # why this column\n  - source.address\n"),
            "{out}"
        );
    }
}
