//! The golden file of a test file (`<file>-expected.json`): per event, in order, what the node
//! would store (`_index`, `_id` when the pipeline set one, `_source` key-sorted with the dynamic
//! fields replaced by a placeholder), or that the event is dropped or rejected; `"fails": true`
//! marks an event meant to fail its pipeline (written by hand, kept by `--generate`).

use serde_json::{json, Map, Value};

use crate::content::canonical;

/// What replaces the value of a dynamic field (one that depends on the clock of the run).
pub(crate) const PLACEHOLDER: &str = "(dynamic)";

/// What became of one event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Stored {
    /// Indexed: the index, the `_id` the pipeline set, the source.
    Document {
        index: String,
        id: Option<String>,
        source: Value,
    },
    /// A `drop` processor dropped it.
    Dropped,
    /// The pipeline failed and no `on_failure` handled it: the node answers the error.
    Failed { reason: String },
    /// The mapping (or the index name) refuses the document: the node loses the event.
    Rejected { reason: String },
}

/// One entry of a golden file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) line: usize,
    pub(crate) stored: Stored,
    /// The event is meant to fail its pipeline.
    pub(crate) fails: bool,
    /// A later event of the file has the same `_index` and `_id`, and replaces this one.
    pub(crate) replaced_by: Option<usize>,
}

impl Entry {
    pub(crate) fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("line".into(), json!(self.line));
        if self.fails {
            m.insert("fails".into(), json!(true));
        }
        if let Some(line) = self.replaced_by {
            m.insert("replaced_by".into(), json!(line));
        }
        match &self.stored {
            Stored::Document { index, id, source } => {
                m.insert("_index".into(), json!(index));
                if let Some(id) = id {
                    m.insert("_id".into(), json!(id));
                }
                m.insert("_source".into(), source.clone());
            }
            Stored::Dropped => {
                m.insert("dropped".into(), json!(true));
            }
            Stored::Failed { reason } => {
                m.insert("failed".into(), json!(reason));
            }
            Stored::Rejected { reason } => {
                m.insert("rejected".into(), json!(reason));
            }
        }
        Value::Object(m)
    }

    /// The text an event's entry is compared and diffed by.
    pub(crate) fn text(&self) -> String {
        canonical::to_pretty(&self.to_json())
    }

    fn from_json(value: &Value) -> Result<Entry, String> {
        let obj = value
            .as_object()
            .ok_or("each entry of `events` is an object")?;
        let line = obj
            .get("line")
            .and_then(Value::as_u64)
            .ok_or("an entry has no `line`")? as usize;
        let fails = obj.get("fails").and_then(Value::as_bool).unwrap_or(false);
        for key in obj.keys() {
            if ![
                "line",
                "fails",
                "replaced_by",
                "_index",
                "_id",
                "_source",
                "dropped",
                "failed",
                "rejected",
            ]
            .contains(&key.as_str())
            {
                return Err(format!(
                    "the entry of line {line} has an unknown key `{key}`"
                ));
            }
        }
        let replaced_by = obj
            .get("replaced_by")
            .and_then(Value::as_u64)
            .map(|l| l as usize);
        let stored = if obj.get("dropped").and_then(Value::as_bool) == Some(true) {
            Stored::Dropped
        } else if let Some(reason) = obj.get("failed").and_then(Value::as_str) {
            Stored::Failed {
                reason: reason.to_string(),
            }
        } else if let Some(reason) = obj.get("rejected").and_then(Value::as_str) {
            Stored::Rejected {
                reason: reason.to_string(),
            }
        } else {
            Stored::Document {
                index: obj
                    .get("_index")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("the entry of line {line} has no `_index`"))?
                    .to_string(),
                id: obj.get("_id").and_then(Value::as_str).map(str::to_string),
                source: obj
                    .get("_source")
                    .cloned()
                    .ok_or_else(|| format!("the entry of line {line} has no `_source`"))?,
            }
        };
        Ok(Entry {
            line,
            stored,
            fails,
            replaced_by,
        })
    }
}

/// A golden file, read.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Expected {
    pub(crate) entries: Vec<Entry>,
}

impl Expected {
    pub(crate) fn parse(text: &str) -> Result<Expected, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let events = value
            .get("events")
            .and_then(Value::as_array)
            .ok_or("the golden file is {\"events\": [...]}")?;
        let entries = events
            .iter()
            .map(Entry::from_json)
            .collect::<Result<Vec<_>, _>>()?;
        let mut seen = std::collections::BTreeSet::new();
        for e in &entries {
            if !seen.insert(e.line) {
                return Err(format!(
                    "two entries for line {} (a merge may have kept both sides)",
                    e.line
                ));
            }
        }
        Ok(Expected { entries })
    }

    pub(crate) fn entry(&self, line: usize) -> Option<&Entry> {
        self.entries.iter().find(|e| e.line == line)
    }

    /// The file's text: pretty, key-sorted, one trailing newline.
    pub(crate) fn to_text(&self) -> String {
        let events: Vec<Value> = self.entries.iter().map(Entry::to_json).collect();
        canonical::to_pretty(&json!({ "events": events }))
    }
}

/// Replaces the value of each dynamic field present in `source` (by dotted path, through
/// objects and dotted keys) with [`PLACEHOLDER`].
pub(crate) fn mask(source: &mut Value, fields: &[String]) {
    for field in fields {
        mask_path(source, field);
    }
}

fn mask_path(value: &mut Value, path: &str) {
    let Value::Object(map) = value else {
        return;
    };
    if let Some(v) = map.get_mut(path) {
        *v = Value::String(PLACEHOLDER.into());
        return;
    }
    let mut split = path.match_indices('.').map(|(i, _)| i).collect::<Vec<_>>();
    split.reverse();
    for i in split {
        let (head, rest) = (&path[..i], &path[i + 1..]);
        if let Some(inner) = map.get_mut(head) {
            mask_path(inner, rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_sorted_text() {
        let expected = Expected {
            entries: vec![
                Entry {
                    line: 1,
                    stored: Stored::Document {
                        index: "log-web-x".into(),
                        id: Some("abc".into()),
                        source: json!({"z": 1, "a": {"y": 2, "b": 3}}),
                    },
                    fails: false,
                    replaced_by: Some(5),
                },
                Entry {
                    line: 2,
                    stored: Stored::Dropped,
                    fails: false,
                    replaced_by: None,
                },
                Entry {
                    line: 4,
                    stored: Stored::Failed { reason: "x".into() },
                    fails: true,
                    replaced_by: None,
                },
                Entry {
                    line: 5,
                    stored: Stored::Rejected { reason: "y".into() },
                    fails: false,
                    replaced_by: None,
                },
            ],
        };
        let text = expected.to_text();
        assert!(text.find("\"a\"").unwrap() < text.find("\"z\"").unwrap());
        assert_eq!(Expected::parse(&text).unwrap(), expected);
    }

    #[test]
    fn unknown_keys_and_missing_parts_are_errors() {
        assert!(
            Expected::parse(r#"{"events":[{"line":1,"_index":"x","_source":{},"extra":1}]}"#)
                .unwrap_err()
                .contains("unknown key `extra`")
        );
        assert!(Expected::parse(r#"{"events":[{"line":1,"_source":{}}]}"#)
            .unwrap_err()
            .contains("no `_index`"));
        assert!(Expected::parse("[]").is_err());
        assert!(Expected::parse(
            r#"{"events":[{"line":1,"dropped":true},{"line":1,"dropped":true}]}"#
        )
        .unwrap_err()
        .contains("two entries for line 1"));
    }

    #[test]
    fn dynamic_fields_are_masked_through_objects_and_dotted_keys() {
        let mut source =
            json!({"event": {"ingested": "2026", "kind": "event"}, "a.b": 1, "c": {"d.e": 2}});
        mask(
            &mut source,
            &[
                "event.ingested".into(),
                "a.b".into(),
                "c.d.e".into(),
                "nope".into(),
            ],
        );
        assert_eq!(
            source,
            json!({"event": {"ingested": PLACEHOLDER, "kind": "event"}, "a.b": PLACEHOLDER, "c": {"d.e": PLACEHOLDER}})
        );
    }
}
