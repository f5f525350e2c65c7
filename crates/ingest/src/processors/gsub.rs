//! The `gsub` processor: `pattern.matcher(value).replaceAll(replacement)` on a string or each
//! string of a list, with Java regex and replacement syntax (`$1`, `${name}`, `\$`).
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/GsubProcessor.java`
//! (commit 435ea517c9aab3cdab207ac8367c5f137839ea9f), on `AbstractStringProcessor`.

use painless::value::Value;

use super::lowercase::abstract_string;
use super::split::JavaPattern;
use crate::config::Config;
use crate::error::IngestError;
use crate::processor::{Common, Processor};

/// `Pattern.compile(pattern)`, or the configuration error message upstream gives
/// (`Invalid regex pattern. ` and the compiler's message; ours is Oniguruma's wording, not
/// `PatternSyntaxException`'s).
pub(crate) fn compile(pattern: &str) -> Result<JavaPattern, String> {
    JavaPattern::compile(pattern, false).map_err(|e| format!("Invalid regex pattern. {e}"))
}

pub(crate) fn process(
    pattern: &JavaPattern,
    replacement: &str,
    value: &str,
) -> Result<Value, IngestError> {
    pattern
        .replace_all(value, replacement)
        .map(Value::from)
        .map_err(abstract_string::java)
}

/// `GsubProcessor.Factory`: the string options, then `pattern` and `replacement` (both
/// required).
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let options = abstract_string::read_options(config)?;
    let pattern = config.required_string("pattern")?;
    let replacement = config.required_string("replacement")?;
    let pattern = compile(&pattern).map_err(|m| config.new_config_error("pattern", m))?;
    Ok(abstract_string::build(
        "gsub",
        options,
        common,
        Box::new(move |s| process(&pattern, &replacement, s)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processors::lowercase::abstract_string::apply;

    #[test]
    fn gsub_cases() {
        // GsubProcessorTests: "127.0.0.1" with "\\." -> "-"
        let p = compile("\\.").unwrap();
        assert_eq!(
            process(&p, "-", "127.0.0.1").unwrap().as_str(),
            Some("127-0-0-1")
        );
        let list = Value::list_from(vec!["a.b".into(), "c.d".into()]);
        let v = apply(&list, "f", &|s| process(&p, "-", s)).unwrap();
        assert_eq!(v.java_to_string(), "[a-b, c-d]");
        // Java group references
        let p = compile("(\\w+)@(\\w+)").unwrap();
        assert_eq!(
            process(&p, "$2 at $1", "me@host").unwrap().as_str(),
            Some("host at me")
        );
        // GsubProcessorFactoryTests.testInvalidPattern
        assert!(compile("[")
            .unwrap_err()
            .starts_with("Invalid regex pattern. "));
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build(
            "gsub",
            json!({"field": "f", "pattern": "\\.", "replacement": "-"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"f": "127.0.0.1"})),
            json!({"f": "127-0-0-1"})
        );
        let p = build(
            "gsub",
            json!({"field": "f", "pattern": "(\\d+)", "replacement": "<$1>", "target_field": "t"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"f": ["a1", "b22"]})),
            json!({"f": ["a1", "b22"], "t": ["a<1>", "b<22>"]})
        );
        let e = build_err(
            "gsub",
            json!({"field": "f", "pattern": "[", "replacement": "-"}),
        );
        assert!(
            e.reason().starts_with("[pattern] Invalid regex pattern. "),
            "{}",
            e.reason()
        );
        assert_eq!(
            build_err("gsub", json!({"field": "f", "pattern": "x"})).reason(),
            "[replacement] required property is missing"
        );
    }
}
