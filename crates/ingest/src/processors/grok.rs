//! The `grok` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/GrokProcessor.java`,
//! with its `Factory`): `field`, `patterns` (first match wins, combined into one alternation),
//! `pattern_definitions`, `trace_match` (`_ingest._grok_match_index`), `ignore_missing`.
//! OpenSearch 2.19 has no `capture_all_matches` (3.3.0), so that option is the usual
//! "doesn't support one or more provided configuration parameters" error.

use serde_json::Value as Json;

use crate::config::{json_class_name, Config};
use crate::document::{cast_string, IngestDocument};
use crate::error::IngestError;
use crate::grok::{processor_bank, Grok, GrokError};
use crate::processor::{Common, Outcome, Processor, Run};
use crate::Value;

const PATTERN_MATCH_KEY: &str = "_ingest._grok_match_index";

pub struct GrokProcessor {
    tag: Option<String>,
    description: Option<String>,
    match_field: String,
    pattern_count: usize,
    grok: Grok,
    trace_match: bool,
    ignore_missing: bool,
}

/// `GrokProcessor.combinePatterns`.
fn combine_patterns(patterns: &[String], trace_match: bool) -> String {
    if patterns.len() <= 1 {
        return patterns.first().cloned().unwrap_or_default();
    }
    patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if trace_match {
                format!("(?<{PATTERN_MATCH_KEY}.{i}>{p})")
            } else {
                format!("(?:{p})")
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The ClassCastException message of a non-string where a String is read.
fn class_cast(value: &Json) -> String {
    let class = json_class_name(value);
    format!(
        "class {class} cannot be cast to class java.lang.String ({class} and java.lang.String are in module java.base of loader 'bootstrap')"
    )
}

pub(crate) fn grok_error(e: GrokError) -> IngestError {
    match e {
        GrokError::Unsupported(what) => IngestError::unsupported(what),
        other => IngestError::new(other.java_type(), other.to_string()),
    }
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let match_field = config.required_string("field")?;
    let patterns_json = config.required_list("patterns")?;
    let trace_match = config.boolean("trace_match", false)?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    if patterns_json.is_empty() {
        return Err(config.new_config_error("patterns", "List of patterns must not be empty"));
    }
    let custom = config.optional_map("pattern_definitions")?;
    let shown: Vec<String> = patterns_json
        .iter()
        .map(crate::config::json_java_to_string)
        .collect();
    let invalid = |config: &Config, message: String| {
        config.new_config_error(
            "patterns",
            format!(
                "Invalid regex pattern found in: [{}]. {message}",
                shown.join(", ")
            ),
        )
    };
    let mut patterns = Vec::with_capacity(patterns_json.len());
    for p in &patterns_json {
        match p {
            Json::String(s) => patterns.push(s.clone()),
            other => return Err(invalid(config, class_cast(other))),
        }
    }
    let mut definitions = Vec::new();
    for (k, v) in custom.unwrap_or_default() {
        match v {
            Json::String(s) => definitions.push((k, s)),
            other => return Err(invalid(config, class_cast(&other))),
        }
    }
    let combined = combine_patterns(&patterns, trace_match);
    let compiled = if definitions.is_empty() {
        Grok::with_builtin_bank(&combined)
    } else {
        Grok::new(&processor_bank(&definitions), &combined)
    };
    let grok = match compiled {
        Ok(g) => g,
        Err(GrokError::Unsupported(what)) => return Err(IngestError::unsupported(what)),
        Err(e) => return Err(invalid(config, e.to_string())),
    };
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(GrokProcessor {
        tag,
        description,
        match_field,
        pattern_count: patterns.len(),
        grok,
        trace_match,
        ignore_missing,
    }))
}

impl Processor for GrokProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let value = match doc.field_opt(&self.match_field, self.ignore_missing)? {
            None => return Ok(Outcome::Continue),
            Some(v) => cast_string(&self.match_field, &v)?,
        };
        let Some(text) = value else {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            }
            return Err(IngestError::illegal_argument(format!(
                "field [{}] is null, cannot process it.",
                self.match_field
            )));
        };
        let Some(matches) = self.grok.captures_map(&text).map_err(grok_error)? else {
            return Err(IngestError::illegal_argument(format!(
                "Provided Grok expressions do not match field value: [{text}]"
            )));
        };
        // matches.forEach(ingestDocument::setFieldValue), in HashMap order.
        for (k, v) in matches.iter() {
            if let Some(path) = k.as_str() {
                doc.set_field(path, v)?;
            }
        }
        if self.trace_match {
            if self.pattern_count > 1 {
                let map = doc.field(PATTERN_MATCH_KEY)?;
                let first = match &map {
                    Value::Map(m) => m.borrow().keys().into_iter().next(),
                    _ => None,
                };
                if let Some(index) = first {
                    doc.set_field(PATTERN_MATCH_KEY, index)?;
                }
            } else {
                doc.set_field(PATTERN_MATCH_KEY, Value::string("0"))?;
            }
        }
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "grok"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

#[cfg(test)]
mod tests;
