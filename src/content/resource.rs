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
        self.body
            .pointer("/attributes/title")
            .and_then(Value::as_str)
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
