//! A rendered object of the content, ready to validate, write out or send.

use std::path::PathBuf;

use serde_json::Value;

use super::kind::Kind;

/// One object of the content, rendered.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    pub(crate) kind: Kind,
    pub(crate) id: String,
    /// The log type folder it came from (`aws-cloudtrail`), or `_common`.
    pub(crate) log_type: String,
    /// The file it came from, relative to the content directory.
    pub(crate) file: PathBuf,
    /// The rendered text of that file (JSON, or the YAML of a saved search), to find lines in.
    pub(crate) text: String,
    /// The body. For templates, pipelines and ISM policies, what the OpenSearch API receives;
    /// for saved objects, `{"attributes": ..., "references": [...]}` with the JSON-string
    /// attributes decoded (see [`super::saved_object`]).
    pub(crate) body: Value,
}

impl Resource {
    /// The title of a saved object, where it has one.
    pub(crate) fn title(&self) -> Option<&str> {
        pointer(&self.body, "/attributes/title").and_then(Value::as_str)
    }

    /// The references of a saved object: `(name, type, id)`.
    pub(crate) fn references(&self) -> Vec<(&str, &str, &str)> {
        self.body
            .get("references")
            .and_then(Value::as_array)
            .map(|refs| {
                refs.iter()
                    .map(|r| {
                        let field = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
                        (field("name"), field("type"), field("id"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The object as its API receives it: the body for templates, pipelines and policies; for
    /// saved objects `{type, id, attributes, references}` with JSON-string attributes encoded.
    pub(crate) fn wire(&self) -> Value {
        if self.kind.is_saved_object() {
            super::saved_object::encode(self.kind, &self.id, &self.body)
        } else {
            self.body.clone()
        }
    }

    /// The line of the value at a JSON pointer in [`Resource::text`], when the text is JSON.
    pub(crate) fn line_of(&self, pointer: &str) -> Option<usize> {
        super::locate::line_of_pointer(&self.text, pointer)
    }
}

/// `Value::pointer` (RFC 6901), without a new string per token: the checks look up tens of
/// thousands of pointers in a large content set, and serde_json unescapes each token into a
/// string of its own.
pub(crate) fn pointer<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(value, |target, token| {
        let token: std::borrow::Cow<'_, str> = if token.contains('~') {
            token.replace("~1", "/").replace("~0", "~").into()
        } else {
            token.into()
        };
        match target {
            Value::Object(map) => map.get(token.as_ref()),
            Value::Array(list) => {
                // As serde_json reads an index: no sign, no leading zero.
                if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
                    return None;
                }
                token.parse::<usize>().ok().and_then(|i| list.get(i))
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn pointer_finds_what_serde_json_finds() {
        let value = json!({"a": {"b/c": [1, {"d~e": 2}], "": 3}, "0": [4], "x": "s"});
        for p in [
            "",
            "/",
            "/a",
            "/a/b~1c",
            "/a/b~1c/0",
            "/a/b~1c/1/d~0e",
            "/a/",
            "/0/0",
            "/0/00",
            "/0/+0",
            "/0/1",
            "/a/b~1c/01",
            "/x/y",
            "a",
            "/missing",
            "/a/b~1c/-1",
        ] {
            assert_eq!(super::pointer(&value, p), value.pointer(p), "{p:?}");
        }
    }
}
