//! The `remove_by_pattern` processor: removes the root fields whose names match one of the
//! glob patterns (`field_pattern`), or all but those (`exclude_field_pattern`); metadata fields
//! are never removed.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/RemoveByPatternProcessor.java`
//! (commit 2bd97d7fa1739252bd5cfc7c6906f41eef71f20c), with `Regex.simpleMatch`
//! (`server/src/main/java/org/opensearch/common/regex/Regex.java`) and
//! `Strings.validFileNameExcludingAstrix` / `INVALID_FILENAME_CHARS`.

use painless::value::{Exception, JSet, SetKind, Value};

use crate::config::Config;
use crate::document::{IngestDocument, METADATA_FIELDS};
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

/// `Regex.simpleMatch(pattern, str)`: `*` matches any run of characters.
pub(crate) fn simple_match(pattern: &str, s: &str) -> bool {
    let Some(first) = pattern.find('*') else {
        return pattern == s;
    };
    if first == 0 {
        if pattern.len() == 1 {
            return true;
        }
        let Some(next) = pattern[1..].find('*').map(|i| i + 1) else {
            return s.ends_with(&pattern[1..]);
        };
        if next == 1 {
            // "**": skip the first '*'
            return simple_match(&pattern[1..], s);
        }
        let part = &pattern[1..next];
        let mut from = 0;
        while let Some(i) = s[from..].find(part).map(|i| i + from) {
            if simple_match(&pattern[next..], &s[i + part.len()..]) {
                return true;
            }
            // the next occurrence starts one character further on
            from = i + s[i..].chars().next().map_or(1, char::len_utf8);
            if from > s.len() {
                break;
            }
        }
        return false;
    }
    match s.get(..first) {
        Some(prefix) if prefix == &pattern[..first] => simple_match(&pattern[first..], &s[first..]),
        _ => false,
    }
}

/// `Strings.INVALID_FILENAME_CHARS` (a `HashSet<Character>`, printed in its iteration order).
const INVALID_FILENAME_CHARS: [char; 10] = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ','];

fn invalid_chars_text() -> String {
    let mut set = JSet::new(SetKind::Hash);
    for c in INVALID_FILENAME_CHARS {
        set.insert(Value::Char(c as u16));
    }
    Value::Set(std::rc::Rc::new(std::cell::RefCell::new(set))).java_to_string()
}

/// The validation errors of the patterns (`validateFieldPatterns`), as `ValidationException`'s
/// message, or `None`.
pub(crate) fn validate(patterns: &[String], key: &str) -> Option<String> {
    let mut errors = Vec::new();
    for p in patterns {
        if p.contains('#') {
            errors.push(format!("{key} [{p}] must not contain a '#'"));
        }
        if p.contains(':') {
            errors.push(format!("{key} [{p}] must not contain a ':'"));
        }
        if p.starts_with('_') {
            errors.push(format!("{key} [{p}] must not start with '_'"));
        }
        if p.chars()
            .any(|c| c != '*' && INVALID_FILENAME_CHARS.contains(&c))
        {
            errors.push(format!(
                "{key} [{p}] must not contain the following characters {}",
                invalid_chars_text()
            ));
        }
    }
    if errors.is_empty() {
        return None;
    }
    let mut out = String::from("Validation Failed: ");
    for (i, e) in errors.iter().enumerate() {
        out.push_str(&format!("{}: {e};", i + 1));
    }
    Some(out)
}

pub struct RemoveByPatternProcessor {
    tag: Option<String>,
    description: Option<String>,
    patterns: Vec<String>,
    exclude: bool,
}

fn class_cast(v: &serde_json::Value) -> IngestError {
    let from = crate::config::json_class_name(v);
    crate::processors::lowercase::abstract_string::java_ref(&Exception::class_cast(format!(
        "class {from} cannot be cast to class java.lang.String ({from} and java.lang.String are in module java.base of loader 'bootstrap')"
    )))
}

fn patterns_of(value: serde_json::Value) -> Result<Vec<String>, IngestError> {
    match value {
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Ok(s),
                other => Err(class_cast(&other)),
            })
            .collect(),
        serde_json::Value::String(s) => Ok(vec![s]),
        other => Err(class_cast(&other)),
    }
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field_pattern = config.optional_value("field_pattern");
    let exclude_pattern = config.optional_value("exclude_field_pattern");
    let (value, key, exclude) = match (field_pattern, exclude_pattern) {
        (Some(v), None) => (v, "field_pattern", false),
        (None, Some(v)) => (v, "exclude_field_pattern", true),
        _ => {
            return Err(config.new_config_error(
                "field_pattern",
                "either field_pattern or exclude_field_pattern must be set",
            ))
        }
    };
    let patterns = patterns_of(value)?;
    if let Some(message) = validate(&patterns, key) {
        return Err(config.new_config_error(key, message));
    }
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(RemoveByPatternProcessor {
        tag,
        description,
        patterns,
        exclude,
    }))
}

impl Processor for RemoveByPatternProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        if self.patterns.is_empty() {
            return Ok(Outcome::Continue);
        }
        let keys: Vec<String> = match doc.source_and_metadata() {
            Value::Map(m) => m
                .borrow()
                .keys()
                .iter()
                .map(Value::java_to_string)
                .collect(),
            _ => Vec::new(),
        };
        for field in keys {
            if METADATA_FIELDS.contains(&field.as_str()) {
                continue;
            }
            let matched = self.patterns.iter().any(|p| simple_match(p, &field));
            if matched != self.exclude {
                doc.remove_field(&field)?;
            }
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "remove_by_pattern"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processors::lowercase::testing::*;
    use serde_json::json;

    #[test]
    fn globs() {
        assert!(simple_match("foo*", "foobar"));
        assert!(simple_match("*bar", "foobar"));
        assert!(simple_match("*o*a*", "foobar"));
        assert!(simple_match("**", "x"));
        assert!(simple_match("f*o*r", "foobar"));
        assert!(!simple_match("foo", "foobar"));
        assert!(!simple_match("b*", "foobar"));
        // a prefix that ends inside a multi-byte character of the name does not match
        assert!(!simple_match("ab*", "aé"));
        assert!(simple_match("é*", "éa"));
        assert!(simple_match("*é", "aé"));
    }

    #[test]
    fn removes() {
        // 310_remove_by_pattern_processor.yml
        let p = build(
            "remove_by_pattern",
            json!({"field_pattern": ["foo*", "*a*b"]}),
        );
        assert_eq!(
            run_ok(
                &*p,
                json!({"foo1": "bar", "foo2": "bar", "zoo": "bar", "ab": "bar", "aabb": "bar"})
            ),
            json!({"zoo": "bar"})
        );
        let p = build("remove_by_pattern", json!({"field_pattern": "foo*"}));
        assert_eq!(run_ok(&*p, json!({"foo1": 1, "x": 2})), json!({"x": 2}));
        let p = build(
            "remove_by_pattern",
            json!({"exclude_field_pattern": ["foo*", "a*b*"]}),
        );
        assert_eq!(
            run_ok(
                &*p,
                json!({"foo1": "bar", "foo2": "bar", "zoo": "bar", "ab": "bar", "aabb": "bar"})
            ),
            json!({"foo1": "bar", "foo2": "bar", "ab": "bar", "aabb": "bar"})
        );
        // metadata fields stay
        let p = build("remove_by_pattern", json!({"exclude_field_pattern": "x"}));
        let d = run(&*p, json!({"a": 1})).unwrap();
        assert_eq!(d.metadata("_index").as_str(), Some("_index"));
    }

    #[test]
    fn config_errors() {
        let e = build_err("remove_by_pattern", json!({}));
        assert_eq!(
            e.reason(),
            "[field_pattern] either field_pattern or exclude_field_pattern must be set"
        );
        let e = build_err(
            "remove_by_pattern",
            json!({"field_pattern": "a", "exclude_field_pattern": "b"}),
        );
        assert_eq!(
            e.reason(),
            "[field_pattern] either field_pattern or exclude_field_pattern must be set"
        );
        let e = build_err("remove_by_pattern", json!({"field_pattern": ["foo:"]}));
        assert_eq!(
            e.reason(),
            "[field_pattern] Validation Failed: 1: field_pattern [foo:] must not contain a ':';"
        );
        let e = build_err(
            "remove_by_pattern",
            json!({"exclude_field_pattern": ["_foo", "a#"]}),
        );
        assert_eq!(
            e.reason(),
            "[exclude_field_pattern] Validation Failed: 1: exclude_field_pattern [_foo] must not start with '_';2: exclude_field_pattern [a#] must not contain a '#';"
        );
        let e = build_err("remove_by_pattern", json!({"field_pattern": ["a b"]}));
        assert_eq!(
            e.reason(),
            "[field_pattern] Validation Failed: 1: field_pattern [a b] must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?];"
        );
    }
}
