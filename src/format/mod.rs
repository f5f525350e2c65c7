//! One layout for every content file: `siemctl fmt` applies it, `pull` writes it.
//!
//! - `template.rs`: a JSON template as a tree whose leaves keep their text, and its layout;
//! - `merge.rs`: a live object laid over its file's tree, changing only what changed;
//! - `search.rs`: the layout of a saved-search YAML file, and pull's targeted edit of one;
//! - `list.rs`: a search file's block list, item by item with the comments above each;
//! - `yaml.rs`: YAML scalars and collections as search files write them, and a new file.

pub(crate) mod list;
pub(crate) mod merge;
pub(crate) mod search;
pub(crate) mod template;
pub(crate) mod yaml;

use std::path::Path;

/// What the layout does to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Already in the layout.
    Unchanged,
    /// The file in the layout.
    Changed(String),
    /// Left as it is, with the reason (and its line).
    Skipped(String),
}

/// The layout of one content file, by its name: `*.json.hbs` or a saved-search `*.yaml`.
pub(crate) fn layout(path: &Path, text: &str) -> Outcome {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        return match search::layout(text) {
            Ok(Some(out)) => Outcome::Changed(out),
            Ok(None) => Outcome::Unchanged,
            Err(why) => Outcome::Skipped(why),
        };
    }
    match template::read(text) {
        Ok(node) => {
            let out = template::write(&node);
            if out == text {
                Outcome::Unchanged
            } else {
                Outcome::Changed(out)
            }
        }
        Err(err) => Outcome::Skipped(err.to_string()),
    }
}
