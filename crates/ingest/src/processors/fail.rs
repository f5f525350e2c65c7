//! The `fail` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/FailProcessor.java`):
//! `message` (a template, required); fails with a `FailProcessorException` carrying the
//! rendered message.

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::template::Template;

pub struct FailProcessor {
    tag: Option<String>,
    description: Option<String>,
    message: Template,
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let message = config.required_template("message")?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(FailProcessor {
        tag,
        description,
        message,
    }))
}

impl Processor for FailProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let message = doc.render(&self.message)?;
        // FailProcessorException extends RuntimeException: type fail_processor_exception, 500.
        Err(IngestError::new("fail_processor_exception", message).with_status(500))
    }

    fn kind(&self) -> &'static str {
        "fail"
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
    use crate::test_support::*;
    use serde_json::json;

    #[test]
    fn fails_with_the_rendered_message() {
        let p = build("fail", json!({"message": "error: {{a}}"}));
        let e = run_err(&p, json!({"a": "x"}));
        assert_eq!(e.type_, "fail_processor_exception");
        assert_eq!(e.reason(), "error: x");
        assert_eq!(
            build_err("fail", json!({})).reason(),
            "[message] required property is missing"
        );
    }
}
