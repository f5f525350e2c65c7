//! The `script` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/ScriptProcessor.java`):
//! the options are a script (`source`, `id`, `lang`, `params`, `options`; a bare string is the
//! source), compiled when the pipeline is created in the `ingest` context, run with `ctx` = the
//! document's source-and-metadata map. Painless only; stored scripts are not supported offline.

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::scripting::{CompiledScript, ScriptConfig, ScriptContextKind};

pub struct ScriptProcessor {
    tag: Option<String>,
    description: Option<String>,
    script: CompiledScript,
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    // Script.parse reads every remaining option: an unknown one is a parse error, not "doesn't
    // support one or more provided configuration parameters".
    let options = std::mem::replace(
        config,
        Config::new("script", common.tag(), Default::default()),
    );
    let script = ScriptConfig::parse(options.into_options())?;
    // A ScriptException gets the processor metadata here and again in readProcessor; other
    // exceptions are wrapped by readProcessor (see `config::config_error_from`).
    let compiled = script.compile(ScriptContextKind::Ingest, common.settings())?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(ScriptProcessor {
        tag,
        description,
        script: compiled,
    }))
}

impl ScriptProcessor {
    pub fn source(&self) -> &str {
        self.script.source()
    }
}

impl Processor for ScriptProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        self.script.execute_ingest(doc)?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "script"
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
    fn options_are_a_script() {
        // Plain Java exceptions from a factory reach the client wrapped by readProcessor
        // (ExceptionsHelper.convertToOpenSearchException): type `exception`, 500.
        let e = build_err("script", json!({"source": "ctx.a = 1", "foo": 1}));
        assert_eq!(e.type_, "exception");
        assert_eq!(e.status(), 500);
        assert_eq!(cause(&e).reason(), "[script] unknown field [foo]");
        assert_eq!(e.metadata("processor_type"), Some("script"));
        let e = build_err("script", json!({"id": "stored"}));
        assert!(
            cause(&e)
                .reason()
                .contains("not supported by siemctl's offline engine"),
            "{e}"
        );
        let e = build_err("script", json!({"source": "x", "lang": "groovy"}));
        assert_eq!(
            e.reason(),
            "java.lang.IllegalArgumentException: script_lang not supported [groovy]"
        );
        let e = build_err("script", json!({}));
        assert_eq!(
            cause(&e).reason(),
            "must specify either [source] for an inline script or [id] for a stored script"
        );
    }
}
