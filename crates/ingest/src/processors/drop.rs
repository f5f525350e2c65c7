//! The `drop` processor (`server/src/main/java/org/opensearch/ingest/DropProcessor.java`): drops
//! the document (upstream: returns `null`); no options.

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

pub struct DropProcessor {
    tag: Option<String>,
    description: Option<String>,
}

pub fn factory(_config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(DropProcessor { tag, description }))
}

impl Processor for DropProcessor {
    fn execute(&self, _doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        Ok(Outcome::Drop)
    }

    fn kind(&self) -> &'static str {
        "drop"
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
    use crate::processor::Outcome;
    use crate::test_support::*;
    use serde_json::json;

    #[test]
    fn drops() {
        let p = build("drop", json!({}));
        let mut doc = doc(json!({"a": 1}));
        assert_eq!(run_on(&p, &mut doc).unwrap(), Outcome::Drop);
        assert_eq!(
            build_err("drop", json!({"x": 1})).reason(),
            "processor [drop] doesn't support one or more provided configuration parameters [x]"
        );
    }
}
