//! The `uppercase` processor: `value.toUpperCase(Locale.ROOT)` on a string or each string of a
//! list.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/UppercaseProcessor.java`
//! (commit 910532dd3a81e5f92614ec81e2e1b0450aea3ed8), on `AbstractStringProcessor`.

use painless::value::Value;

use super::lowercase::abstract_string;
use crate::config::Config;
use crate::error::IngestError;
use crate::processor::{Common, Processor};

/// `String.toUpperCase(Locale.ROOT)` (`ß` becomes `SS`, as in Java).
pub(crate) fn process(value: &str) -> Result<Value, IngestError> {
    Ok(Value::from(value.to_uppercase()))
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let options = abstract_string::read_options(config)?;
    Ok(abstract_string::build(
        "uppercase",
        options,
        common,
        Box::new(process),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processors::lowercase::abstract_string::apply;

    #[test]
    fn uppercases() {
        assert_eq!(process("fooBar").unwrap().as_str(), Some("FOOBAR"));
        assert_eq!(process("straße").unwrap().as_str(), Some("STRASSE"));
        let list = Value::list_from(vec![Value::from("a"), Value::from("b")]);
        assert_eq!(
            apply(&list, "f", &process).unwrap().java_to_string(),
            "[A, B]"
        );
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        let p = build("uppercase", json!({"field": "foo"}));
        assert_eq!(run_ok(&*p, json!({"foo": "bar"})), json!({"foo": "BAR"}));
        assert_eq!(
            run_err(&*p, json!({"not_foo": "bar"})).reason(),
            "field [foo] not present as part of path [foo]"
        );
    }
}
