//! The `trim` processor: `value.trim()` on a string or each string of a list.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/TrimProcessor.java`
//! (commit 9057871647fa5cab80b3b7c9489eb2a3587dd6fe), on `AbstractStringProcessor`.

use painless::value::Value;

use super::lowercase::abstract_string;
use crate::config::Config;
use crate::error::IngestError;
use crate::processor::{Common, Processor};

/// `String.trim()`: strips the characters up to U+0020 (space and the ASCII controls) from both
/// ends, and nothing else (no Unicode spaces).
pub(crate) fn java_trim(value: &str) -> &str {
    value.trim_matches(|c: char| c <= ' ')
}

pub(crate) fn process(value: &str) -> Result<Value, IngestError> {
    Ok(Value::from(java_trim(value)))
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let options = abstract_string::read_options(config)?;
    Ok(abstract_string::build(
        "trim",
        options,
        common,
        Box::new(process),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_like_java() {
        assert_eq!(java_trim("  foo bar \t\n"), "foo bar");
        assert_eq!(java_trim("\u{0}x\u{1f}"), "x");
        // a no-break space is not trimmed by String.trim()
        assert_eq!(java_trim("\u{a0}x\u{a0}"), "\u{a0}x\u{a0}");
        assert_eq!(process("  ").unwrap().as_str(), Some(""));
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build("trim", json!({"field": "f"}));
        assert_eq!(run_ok(&*p, json!({"f": "  x  "})), json!({"f": "x"}));
        assert_eq!(
            run_ok(&*p, json!({"f": [" a", "b "]})),
            json!({"f": ["a", "b"]})
        );
    }
}
