//! A live saved object written into the tree of its content file, so that only what changed
//! changes: members keep the file's order (new ones come after, in key order), arrays whose
//! order Dashboards does not use (`references`, the panels of `panelsJSON`) keep the file's
//! order of the items that are still there (new items come after), leaves equal to what the
//! file says keep its text, and a leaf written with template expressions keeps them when the
//! live value is what they render to. Where it is not, the live value is written out and a
//! [`Lost`] says where.

use serde_json::Value;

use super::template::{key_text, Node};

/// A leaf whose expressions could not be kept: the live value differs from what they render to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lost {
    /// The JSON pointer of the leaf in the content form of the object.
    pub(crate) pointer: String,
    /// The leaf as the file wrote it.
    pub(crate) was: String,
}

/// The arrays Dashboards does not read in order, and the member naming an item in each.
fn identity(pointer: &str) -> Option<&'static str> {
    match pointer {
        "/references" => Some("name"),
        "/attributes/panelsJSON" => Some("panelIndex"),
        _ => None,
    }
}

/// `live` (content form) laid over `file` (the file's tree); `rendered` is the file's rendered
/// value, to tell whether an expression still holds.
pub(crate) fn merge(file: &Node, rendered: &Value, live: &Value, lost: &mut Vec<Lost>) -> Node {
    merge_at(file, Some(rendered), live, "", lost)
}

fn merge_at(
    file: &Node,
    rendered: Option<&Value>,
    live: &Value,
    pointer: &str,
    lost: &mut Vec<Lost>,
) -> Node {
    if file.has_expression() {
        if rendered == Some(live) {
            return file.clone();
        }
        lost.push(Lost {
            pointer: pointer.to_string(),
            was: file.to_string(),
        });
        return node_of(live);
    }
    match (file, live) {
        (Node::Scalar(text), _) => {
            if scalar_value(text).as_ref() == Some(live) {
                file.clone()
            } else {
                node_of(live)
            }
        }
        (Node::Object(members), Value::Object(map)) => {
            let mut out = Vec::new();
            for (key, child) in members {
                let name = key_text(key);
                if let Some(value) = map.get(&name) {
                    let at = format!("{pointer}/{}", escape(&name));
                    out.push((
                        key.clone(),
                        merge_at(child, rendered.and_then(|r| r.get(&name)), value, &at, lost),
                    ));
                }
            }
            for (name, value) in map {
                if !members.iter().any(|(k, _)| key_text(k) == *name) {
                    out.push((string_token(name), node_of(value)));
                }
            }
            Node::Object(out)
        }
        (Node::Array(items), Value::Array(values)) => {
            let rendered_items = rendered.and_then(Value::as_array);
            if let Some(id) = identity(pointer) {
                let id_of = |v: &Value| v.get(id).cloned();
                let mut out = Vec::new();
                let mut used = vec![false; values.len()];
                for (i, item) in items.iter().enumerate() {
                    let Some(before) = rendered_items.and_then(|r| r.get(i)) else {
                        continue;
                    };
                    let Some(key) = id_of(before) else { continue };
                    if let Some(j) = (0..values.len())
                        .find(|&j| !used[j] && id_of(&values[j]).as_ref() == Some(&key))
                    {
                        used[j] = true;
                        let at = format!("{pointer}/{j}");
                        out.push(merge_at(item, Some(before), &values[j], &at, lost));
                    }
                }
                out.extend(
                    values
                        .iter()
                        .zip(used)
                        .filter(|(_, used)| !used)
                        .map(|(v, _)| node_of(v)),
                );
                Node::Array(out)
            } else {
                let mut out = Vec::new();
                for (j, value) in values.iter().enumerate() {
                    out.push(match items.get(j) {
                        Some(item) => merge_at(
                            item,
                            rendered_items.and_then(|r| r.get(j)),
                            value,
                            &format!("{pointer}/{j}"),
                            lost,
                        ),
                        None => node_of(value),
                    });
                }
                Node::Array(out)
            }
        }
        _ => node_of(live),
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The value of a scalar as written (a `\{{` escape renders as `{{`).
fn scalar_value(text: &str) -> Option<Value> {
    serde_json::from_str(&text.replace("\\{{", "{{")).ok()
}

/// A JSON string token for a template: a `{{` from Dashboards (a URL template of a field
/// format, say) is text, not a variable: escaped, it renders back as it is.
fn string_token(text: &str) -> String {
    Value::String(text.to_string())
        .to_string()
        .replace("{{", "\\{{")
}

/// The tree of a JSON value (keys in the order the value holds them).
pub(crate) fn node_of(value: &Value) -> Node {
    match value {
        Value::Object(map) => Node::Object(
            map.iter()
                .map(|(k, v)| (string_token(k), node_of(v)))
                .collect(),
        ),
        Value::Array(items) => Node::Array(items.iter().map(node_of).collect()),
        Value::String(s) => Node::Scalar(string_token(s)),
        other => Node::Scalar(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::template::{read, write};
    use serde_json::json;

    #[test]
    fn only_what_changed_changes() {
        let text = "{\"attributes\": {\"title\": \"T\", \"n\": 2.50, \"panelsJSON\": [{\"panelIndex\": \"2\", \"w\": 1}, {\"panelIndex\": \"1\", \"w\": 1}]},\n \"references\": [{\"name\": \"panel_1\", \"id\": \"b\"}, {\"name\": \"panel_0\", \"id\": \"a\"}]}";
        let file = read(text).unwrap();
        let rendered: Value = serde_json::from_str(&text.replace("\\{{", "{{")).unwrap();
        let live = json!({"attributes": {"title": "T", "n": 2.5, "added": true, "panelsJSON": [
            {"panelIndex": "1", "w": 1}, {"panelIndex": "2", "w": 3}, {"panelIndex": "3", "w": 1}]},
            "references": [{"name": "panel_0", "id": "a"}, {"name": "panel_1", "id": "b"}, {"name": "panel_2", "id": "c"}]});
        let mut lost = Vec::new();
        let merged = merge(&file, &rendered, &live, &mut lost);
        assert!(lost.is_empty());
        let out = write(&merged);
        // the file's order of panels and references, the new ones after, `2.50` kept as written
        let expected = write(&read("{\"attributes\": {\"title\": \"T\", \"n\": 2.50, \"panelsJSON\": [{\"panelIndex\": \"2\", \"w\": 3}, {\"panelIndex\": \"1\", \"w\": 1}, {\"panelIndex\": \"3\", \"w\": 1}], \"added\": true},\n \"references\": [{\"name\": \"panel_1\", \"id\": \"b\"}, {\"name\": \"panel_0\", \"id\": \"a\"}, {\"name\": \"panel_2\", \"id\": \"c\"}]}").unwrap());
        assert_eq!(out, expected);
    }

    #[test]
    fn expressions_are_kept_where_they_still_hold() {
        let file =
            read("{\"a\": \"{{prefix}}-*\", \"b\": \"{{prefix}}-x\", \"c\": {{json n}}}").unwrap();
        let rendered = json!({"a": "log-*", "b": "log-x", "c": 5});
        let live = json!({"a": "log-*", "b": "other", "c": 5});
        let mut lost = Vec::new();
        let merged = merge(&file, &rendered, &live, &mut lost);
        assert_eq!(
            write(&merged),
            "{\n  \"a\": \"{{prefix}}-*\",\n  \"b\": \"other\",\n  \"c\": {{json n}}\n}\n"
        );
        assert_eq!(
            lost,
            vec![Lost {
                pointer: "/b".into(),
                was: "\"{{prefix}}-x\"".into()
            }]
        );
    }

    #[test]
    fn braces_from_dashboards_are_escaped() {
        let node = node_of(&json!({"url": "https://x/{{value}}"}));
        assert_eq!(write(&node), "{\n  \"url\": \"https://x/\\{{value}}\"\n}\n");
    }
}
