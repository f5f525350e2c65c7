//! The `kv` processor: `key=value` pairs of a string into fields.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/KeyValueProcessor.java`
//! (commit cd50504f553fe18c79b8d0843ba85e7645f2d9cb).

use std::collections::HashSet;

use painless::value::{Exception, Value};

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::template::Template;

use super::split::JavaPattern;

/// A regex upstream compiles when a document is processed: a bad one fails each execution
/// (`PatternSyntaxException`), not the creation of the pipeline.
type LazyPattern = Result<JavaPattern, String>;

fn pattern(source: &str) -> LazyPattern {
    JavaPattern::compile(source, false)
}

fn get(p: &LazyPattern) -> Result<&JavaPattern, Exception> {
    p.as_ref()
        .map_err(|e| Exception::new("PatternSyntaxException", e.clone()))
}

/// The splitting, trimming and filtering of one `kv` processor.
pub(crate) struct KvParser {
    field_split: LazyPattern,
    value_split: LazyPattern,
    value_split_source: String,
    trim_key: Option<LazyPattern>,
    trim_value: Option<LazyPattern>,
    strip_brackets: Option<LazyPattern>,
    include_keys: Option<HashSet<String>>,
    exclude_keys: Option<HashSet<String>>,
}

impl KvParser {
    pub(crate) fn new(
        field_split: &str,
        value_split: &str,
        trim_key: Option<&str>,
        trim_value: Option<&str>,
        strip_brackets: bool,
        include_keys: Option<HashSet<String>>,
        exclude_keys: Option<HashSet<String>>,
    ) -> KvParser {
        // buildTrimmer: "(^([" + trim + "]+))|([" + trim + "]+$)"
        let trimmer = |t: &str| pattern(&format!("(^([{t}]+))|([{t}]+$)"));
        KvParser {
            field_split: pattern(field_split),
            value_split: pattern(value_split),
            value_split_source: value_split.to_owned(),
            trim_key: trim_key.map(trimmer),
            trim_value: trim_value.map(trimmer),
            // STRIP_BRACKETS
            strip_brackets: strip_brackets.then(|| pattern("(^[\\(\\[<\"'])|([\\]\\)>\"']$)")),
            include_keys,
            exclude_keys,
        }
    }

    fn keep(&self, key: &str) -> bool {
        self.include_keys.as_ref().is_none_or(|k| k.contains(key))
            && self.exclude_keys.as_ref().is_none_or(|k| !k.contains(key))
    }

    /// The `(key, value)` pairs to append, in order: field split with limit 0, value split with
    /// limit 2 (exactly two parts or an error), key trimmed then filtered, value stripped of
    /// brackets then trimmed.
    pub(crate) fn pairs(
        &self,
        path: &str,
        value: &str,
    ) -> Result<Vec<(String, String)>, Exception> {
        let field_split = get(&self.field_split)?;
        let value_split = get(&self.value_split)?;
        let mut out = Vec::new();
        for part in field_split.split(value, 0) {
            let kv = value_split.split(&part, 2);
            if kv.len() != 2 {
                return Err(Exception::illegal_argument(format!(
                    "field [{path}] does not contain value_split [{}]",
                    self.value_split_source
                )));
            }
            let key = match &self.trim_key {
                Some(p) => get(p)?.replace_all(&kv[0], "")?,
                None => kv[0].clone(),
            };
            if !self.keep(&key) {
                continue;
            }
            let mut v = kv[1].clone();
            if let Some(p) = &self.strip_brackets {
                v = get(p)?.replace_all(&v, "")?;
            }
            if let Some(p) = &self.trim_value {
                v = get(p)?.replace_all(&v, "")?;
            }
            out.push((key, v));
        }
        Ok(out)
    }
}

/// `field [x] doesn't exist` / `field path cannot be null nor empty`.
pub(crate) fn missing_error(path: &str) -> Exception {
    if path.is_empty() {
        Exception::illegal_argument("field path cannot be null nor empty")
    } else {
        Exception::illegal_argument(format!("field [{path}] doesn't exist"))
    }
}

/// `field [x] is null, cannot extract key-value pairs. ` (with upstream's trailing space).
pub(crate) fn null_error(path: &str) -> Exception {
    Exception::illegal_argument(format!(
        "field [{path}] is null, cannot extract key-value pairs. "
    ))
}

/// The full path of a key: `target_field + "." + prefix + key` when the rendered target is not
/// empty, else `prefix + key`.
pub(crate) fn key_path(target: Option<&str>, prefix: Option<&str>, key: &str) -> String {
    let prefix = prefix.unwrap_or("");
    match target {
        Some(t) if !t.is_empty() => format!("{t}.{prefix}{key}"),
        _ => format!("{prefix}{key}"),
    }
}

pub struct KvProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: Template,
    target_field: Option<Template>,
    prefix: Option<String>,
    ignore_missing: bool,
    parser: KvParser,
}

/// The strings of an `include_keys` / `exclude_keys` list (`Sets.newHashSet(list)`; an element
/// of another type can never equal a key, so it is left out).
fn key_set(list: Option<Vec<serde_json::Value>>) -> Option<HashSet<String>> {
    list.map(|items| {
        items
            .into_iter()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s),
                _ => None,
            })
            .collect()
    })
}

/// `KeyValueProcessor.Factory`, in its order: `field` (template), `target_field` (template when
/// not empty), `field_split`, `value_split`, `trim_key`, `trim_value`, `prefix`,
/// `strip_brackets`, `include_keys`, `exclude_keys`, `ignore_missing`.
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let field = config.compile_template("field", &field)?;
    let target_field = match config.optional_string("target_field")? {
        Some(t) if !t.is_empty() => Some(config.compile_template("target_field", &t)?),
        _ => None,
    };
    let field_split = config.required_string("field_split")?;
    let value_split = config.required_string("value_split")?;
    let trim_key = config.optional_string("trim_key")?;
    let trim_value = config.optional_string("trim_value")?;
    let prefix = config.optional_string("prefix")?;
    let strip_brackets = config.boolean("strip_brackets", false)?;
    let include_keys = key_set(config.optional_list("include_keys")?);
    let exclude_keys = key_set(config.optional_list("exclude_keys")?);
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let parser = KvParser::new(
        &field_split,
        &value_split,
        trim_key.as_deref(),
        trim_value.as_deref(),
        strip_brackets,
        include_keys,
        exclude_keys,
    );
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(KvProcessor {
        tag,
        description,
        field,
        target_field,
        prefix,
        ignore_missing,
        parser,
    }))
}

impl Processor for KvProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let target = match &self.target_field {
            Some(t) => Some(doc.render(t)?),
            None => None,
        };
        let path = doc.render(&self.field)?;
        if path.is_empty() || !doc.has_field_checked(&path, true)? {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            }
            return Err(crate::processors::lowercase::abstract_string::java_ref(
                &missing_error(&path),
            ));
        }
        let value = doc
            .field_opt(&path, self.ignore_missing)?
            .unwrap_or(Value::Null);
        let Some(value) = crate::document::cast_string(&path, &value)? else {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            }
            return Err(crate::processors::lowercase::abstract_string::java_ref(
                &null_error(&path),
            ));
        };
        let pairs = self
            .parser
            .pairs(&path, &value)
            .map_err(|e| crate::processors::lowercase::abstract_string::java_ref(&e))?;
        for (key, v) in pairs {
            let key = key_path(target.as_deref(), self.prefix.as_deref(), &key);
            if doc.has_field(&key) {
                doc.append_field(&key, Value::from(v), true)?;
            } else {
                doc.set_field(&key, Value::from(v))?;
            }
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "kv"
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

    fn simple(fs: &str, vs: &str) -> KvParser {
        KvParser::new(fs, vs, None, None, false, None, None)
    }

    fn pairs(p: &KvParser, s: &str) -> Vec<(String, String)> {
        p.pairs("f", s).unwrap()
    }

    fn kv(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn splits_pairs() {
        // KeyValueProcessorTests.test
        let p = simple("&", "=");
        assert_eq!(
            pairs(&p, "first=hello&second=world&second=universe"),
            kv(&[
                ("first", "hello"),
                ("second", "world"),
                ("second", "universe")
            ])
        );
        // testFailFieldSplitMatch: one pair whose value holds the rest
        assert_eq!(
            pairs(&p, "first=hello|second=world|second=universe"),
            kv(&[("first", "hello|second=world|second=universe")])
        );
        // testFailValueSplitMatch
        assert_eq!(
            p.pairs("foo", "bar").unwrap_err().message.as_deref(),
            Some("field [foo] does not contain value_split [=]")
        );
        // regex splits (150_kv.yml uses " " and "=")
        let p = simple("\\s+", ":");
        assert_eq!(pairs(&p, "a:1  b:2"), kv(&[("a", "1"), ("b", "2")]));
        // a value split with limit 2 keeps later separators in the value
        let p = simple(" ", "=");
        assert_eq!(pairs(&p, "a=b=c"), kv(&[("a", "b=c")]));
    }

    #[test]
    fn include_exclude() {
        let set = |k: &[&str]| Some(k.iter().map(|s| s.to_string()).collect::<HashSet<_>>());
        let p = KvParser::new("&", "=", None, None, false, set(&["first"]), None);
        assert_eq!(
            pairs(&p, "first=hello&second=world"),
            kv(&[("first", "hello")])
        );
        let p = KvParser::new("&", "=", None, None, false, None, set(&["second"]));
        assert_eq!(
            pairs(&p, "first=hello&second=world"),
            kv(&[("first", "hello")])
        );
        let p = KvParser::new(
            "&",
            "=",
            None,
            None,
            false,
            set(&["first", "second"]),
            set(&["first", "second"]),
        );
        assert!(pairs(&p, "first=hello&second=world&third=bar").is_empty());
    }

    #[test]
    fn trim_and_strip() {
        // testTrimKeyAndValue
        let p = KvParser::new("&", "=", Some(" "), Some(" "), false, None, None);
        assert_eq!(
            pairs(&p, "first= hello &second=world& second =universe"),
            kv(&[
                ("first", "hello"),
                ("second", "world"),
                ("second", "universe")
            ])
        );
        // testTrimMultiCharSequence
        let p = KvParser::new(" ", "=", Some("%+"), Some("<>,"), false, None, None);
        let got = pairs(
            &p,
            "to=<foo@example.com>, orig_to=<bar@example.com>, %+relay=mail.example.com[private/dovecot-lmtp], delay=2.2, delays=1.9/0.01/0.01/0.21, dsn=2.0.0, status=sent ",
        );
        assert_eq!(
            got,
            kv(&[
                ("to", "foo@example.com"),
                ("orig_to", "bar@example.com"),
                ("relay", "mail.example.com[private/dovecot-lmtp]"),
                ("delay", "2.2"),
                ("delays", "1.9/0.01/0.01/0.21"),
                ("dsn", "2.0.0"),
                ("status", "sent"),
            ])
        );
        // testStripBrackets
        let p = KvParser::new("&", "=", None, None, true, None, None);
        assert_eq!(
            pairs(&p, "first=<hello>&second=\"world\"&second=(universe)&third=<foo>&fourth=[bar]&fifth='last'"),
            kv(&[
                ("first", "hello"),
                ("second", "world"),
                ("second", "universe"),
                ("third", "foo"),
                ("fourth", "bar"),
                ("fifth", "last"),
            ])
        );
    }

    #[test]
    fn paths_and_errors() {
        assert_eq!(
            key_path(Some("target"), Some("arg_"), "first"),
            "target.arg_first"
        );
        assert_eq!(key_path(Some(""), None, "first"), "first");
        assert_eq!(key_path(None, Some("p_"), "k"), "p_k");
        assert_eq!(
            missing_error("unknown").message.as_deref(),
            Some("field [unknown] doesn't exist")
        );
        assert_eq!(
            missing_error("").message.as_deref(),
            Some("field path cannot be null nor empty")
        );
        let bad = simple("(", "=");
        assert_eq!(
            &*bad.pairs("f", "a=b").unwrap_err().class,
            "PatternSyntaxException"
        );
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        // 150_kv.yml
        let p = build(
            "kv",
            json!({"field": "foo", "field_split": " ", "value_split": "="}),
        );
        assert_eq!(
            run_ok(&*p, json!({"foo": "goodbye=everybody hello=world"})),
            json!({"foo": "goodbye=everybody hello=world", "goodbye": "everybody", "hello": "world"})
        );
        let p = build(
            "kv",
            json!({"field": "{{source}}", "target_field": "{{target}}", "field_split": " ", "value_split": "="}),
        );
        let out = run_ok(
            &*p,
            json!({"source": "foo", "target": "zoo", "foo": "goodbye=everybody hello=world"}),
        );
        assert_eq!(
            out["zoo"],
            json!({"goodbye": "everybody", "hello": "world"})
        );
        assert_eq!(
            run_err(&*p, json!({"target": "zoo", "foo": "x=y"})).reason(),
            "field path cannot be null nor empty"
        );
        assert_eq!(
            run_err(&*p, json!({"source": "unknown", "target": "zoo"})).reason(),
            "field [unknown] doesn't exist"
        );
        let p = build(
            "kv",
            json!({"field": "{{source}}", "target_field": "{{target}}", "field_split": " ", "value_split": "=", "ignore_missing": true}),
        );
        assert_eq!(
            run_ok(&*p, json!({"target": "zoo", "foo": "a=b"})),
            json!({"target": "zoo", "foo": "a=b"})
        );
        // KeyValueProcessorTests.testKeySameAsSourceField: the source becomes a list
        let p = build(
            "kv",
            json!({"field": "first", "field_split": "&", "value_split": "="}),
        );
        assert_eq!(
            run_ok(&*p, json!({"first": "first=hello"})),
            json!({"first": ["first=hello", "hello"]})
        );
        // repeated keys append; prefix
        let p = build(
            "kv",
            json!({"field": "m", "field_split": "&", "value_split": "=", "target_field": "t", "prefix": "arg_"}),
        );
        assert_eq!(
            run_ok(
                &*p,
                json!({"m": "first=hello&second=world&second=universe"})
            )["t"],
            json!({"arg_first": "hello", "arg_second": ["world", "universe"]})
        );
        // include_keys / exclude_keys
        let p = build(
            "kv",
            json!({"field": "m", "field_split": "&", "value_split": "=", "include_keys": ["first"]}),
        );
        assert_eq!(
            run_ok(&*p, json!({"m": "first=1&second=2"})),
            json!({"m": "first=1&second=2", "first": "1"})
        );
        let p = build(
            "kv",
            json!({"field": "m", "field_split": "&", "value_split": "="}),
        );
        assert_eq!(
            run_err(&*p, json!({"m": 5})).reason(),
            "field [m] of type [java.lang.Integer] cannot be cast to [java.lang.String]"
        );
        assert_eq!(
            run_err(&*p, json!({"m": null})).reason(),
            "field [m] is null, cannot extract key-value pairs. "
        );
        assert_eq!(
            build_err("kv", json!({"field": "m", "value_split": "="})).reason(),
            "[field_split] required property is missing"
        );
    }
}
