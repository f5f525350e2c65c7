//! The text diff of a change, for display only: equality is decided on normalised values.

use std::time::Duration;

use serde_json::Value;
use similar::{Algorithm, TextDiff};

use crate::content::canonical::to_pretty;

/// A unified diff (3 lines of context) of the pretty, key-sorted JSON of both sides, with
/// embedded JSON strings already decoded by normalisation. `live` is the old side.
pub(crate) fn unified(live: Option<&Value>, content: Option<&Value>) -> String {
    let before = live.map(to_pretty).unwrap_or_default();
    let after = content.map(to_pretty).unwrap_or_default();
    TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(Duration::from_secs(2))
        .diff_lines(&before, &after)
        .unified_diff()
        .context_radius(3)
        .header("live", "content")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shows_only_what_changed_with_context() {
        let live = json!({"a": 1, "b": {"c": "old"}, "d": [1, 2]});
        let content = json!({"a": 1, "b": {"c": "new"}, "d": [1, 2]});
        let diff = unified(Some(&live), Some(&content));
        assert!(diff.starts_with("--- live\n+++ content\n"), "{diff}");
        assert!(
            diff.contains("-    \"c\": \"old\"\n+    \"c\": \"new\"\n"),
            "{diff}"
        );
        let created = unified(None, Some(&json!({"x": true})));
        assert!(created.contains("+  \"x\": true"), "{created}");
    }
}
