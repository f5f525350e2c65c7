//! Scripts in pipelines: the `script` processor's script and the `if` conditions.
//!
//! Sources: `server/src/main/java/org/opensearch/script/Script.java` (`Script.parse`: `source`,
//! `id`, `lang`, `params`, `options`; `lang` defaults to `painless`), `ScriptService.compile`
//! ("script_lang not supported [x]"), `ConditionalProcessor.java` (conditions compiled at
//! creation in the `processor_conditional` context, run on a read-only view of the document),
//! `modules/ingest-common/.../ScriptProcessor.java` (compiled at creation in the `ingest`
//! context; `ctx` is the document's source-and-metadata map; a self-referencing document after
//! the script is "Iterable object is self-referencing itself (ingest script)").
//!
//! Painless only, through [`painless::Script`]. Stored scripts (`id`) are not supported by the
//! offline engine (there is no cluster state to hold them): a clear creation error.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value as Json};

use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::Settings;

/// The contexts ingest compiles scripts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptContextKind {
    /// `IngestScript` (`ingest`): the script processor.
    Ingest,
    /// `IngestConditionalScript` (`processor_conditional`): a processor's `if`.
    IngestCondition,
}

impl ScriptContextKind {
    fn name(self) -> &'static str {
        match self {
            ScriptContextKind::Ingest => "ingest",
            ScriptContextKind::IngestCondition => "processor_conditional",
        }
    }

    fn painless(self) -> painless::Context {
        match self {
            ScriptContextKind::Ingest => painless::Context::Ingest,
            ScriptContextKind::IngestCondition => painless::Context::IngestCondition,
        }
    }
}

/// A parsed `Script` (before compilation).
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptConfig {
    /// `source` of an inline script.
    pub source: Option<String>,
    /// `id` of a stored script.
    pub id: Option<String>,
    pub lang: String,
    pub params: Map<String, Json>,
    pub options: Map<String, Json>,
}

impl ScriptConfig {
    /// `ConfigurationUtils.extractConditional`/`normalizeScript`: a string is the source, a map
    /// is parsed as a script; anything else is "[script] property isn't a map or string, but of
    /// type [...]" on the `conditional` processor type.
    pub fn parse_condition(value: Json) -> Result<ScriptConfig, IngestError> {
        match value {
            Json::String(source) => Ok(ScriptConfig::inline(source)),
            Json::Object(map) => ScriptConfig::parse(map),
            other => Err(crate::config::new_config_error(
                Some("conditional"),
                None,
                Some("script"),
                format!(
                    "property isn't a map or string, but of type [{}]",
                    crate::config::json_class_name(&other)
                ),
            )),
        }
    }

    pub fn inline(source: String) -> ScriptConfig {
        ScriptConfig {
            source: Some(source),
            id: None,
            lang: "painless".into(),
            params: Map::new(),
            options: Map::new(),
        }
    }

    /// `Script.parse` of a script object: `source` (or the deprecated `inline`), `id`, `lang`,
    /// `params`, `options`; another key is an unknown field of `[script]`.
    pub fn parse(map: Map<String, Json>) -> Result<ScriptConfig, IngestError> {
        let mut source = None;
        let mut id = None;
        let mut lang = None;
        let mut params = Map::new();
        let mut options = Map::new();
        for (key, value) in map {
            match key.as_str() {
                "source" | "inline" => {
                    source = Some(match value {
                        Json::String(s) => s,
                        // Script.parse writes an object source back to JSON (templates).
                        Json::Object(_) => value.to_string(),
                        other => return Err(parse_error(&key, &other)),
                    })
                }
                "id" => match value {
                    Json::String(s) => id = Some(s),
                    other => return Err(parse_error(&key, &other)),
                },
                "lang" => match value {
                    Json::String(s) => lang = Some(s),
                    other => return Err(parse_error(&key, &other)),
                },
                "params" => match value {
                    Json::Object(p) => params = p,
                    Json::Null => {}
                    other => return Err(parse_error(&key, &other)),
                },
                "options" => match value {
                    Json::Object(o) => options = o,
                    Json::Null => {}
                    other => return Err(parse_error(&key, &other)),
                },
                _ => {
                    return Err(IngestError::new(
                        "x_content_parse_exception",
                        format!("[script] unknown field [{key}]"),
                    ))
                }
            }
        }
        match (&source, &id) {
            (None, None) => {
                return Err(IngestError::illegal_argument(
                    "must specify either [source] for an inline script or [id] for a stored script",
                ))
            }
            (Some(_), Some(_)) => {
                return Err(IngestError::illegal_argument(
                    "must specify either [source] for an inline script or [id] for a stored script",
                ))
            }
            (None, Some(_)) if lang.is_some() => {
                return Err(IngestError::illegal_argument(
                    "illegally specified <lang> for a stored script",
                ))
            }
            _ => {}
        }
        Ok(ScriptConfig {
            source,
            id,
            lang: lang.unwrap_or_else(|| "painless".into()),
            params,
            options,
        })
    }

    /// `ScriptService.compile(script, context)`.
    pub fn compile(
        &self,
        context: ScriptContextKind,
        settings: &Settings,
    ) -> Result<CompiledScript, IngestError> {
        if let Some(id) = &self.id {
            return Err(IngestError::unsupported(format!(
                "stored scripts (script id [{id}]): only inline scripts can be run offline"
            )));
        }
        let source = self.source.clone().unwrap_or_default();
        match self.lang.as_str() {
            "painless" => {}
            "mustache" => {
                return Err(IngestError::illegal_argument(format!(
                    "mustache engine does not know how to handle context [{}]",
                    context.name()
                )))
            }
            "expression" => {
                return Err(IngestError::illegal_argument(format!(
                    "Expressions engine does not know how to handle script context [{}]",
                    context.name()
                )))
            }
            other => {
                return Err(IngestError::illegal_argument(format!(
                    "script_lang not supported [{other}]"
                )))
            }
        }
        // ScriptService.compile: script.max_size_in_bytes (default 65535).
        if source.len() > 65_535 {
            return Err(IngestError::illegal_argument(format!(
                "exceeded max allowed inline script size in bytes [65535] with size [{}] for script [{source}]",
                source.len()
            )));
        }
        let options = painless::Options {
            context: context.painless(),
            regex: settings.painless_regex,
            max_loop_counter: settings.painless_max_loop_counter,
        };
        let script = compile_cached(&source, &options)?;
        Ok(CompiledScript {
            source,
            params: Json::Object(self.params.clone()),
            script,
            context,
        })
    }
}

/// How many compiled scripts [`compile_cached`] keeps before it starts over.
const SCRIPT_CACHE_SIZE: usize = 1024;

/// The compiled scripts (and compile errors) by source and options, shared by every engine of
/// the process: a node's `ScriptService` also compiles a script once and serves it from its
/// cache to every pipeline that uses it (`server/src/main/java/org/opensearch/script/
/// ScriptCache.java`, keyed by lang, source, context and options; the ingest contexts have no
/// compilation rate limit). A compiled [`painless::Script`] is immutable and holds no `Rc`, so
/// one is run by every processor (and thread) with the same source. The guard scripts of the
/// bundled pipelines repeat in every log type, so `siemctl validate` compiles each once.
fn compile_cached(
    source: &str,
    options: &painless::Options,
) -> Result<Arc<painless::Script>, IngestError> {
    type Cache = HashMap<(String, String), Result<Arc<painless::Script>, IngestError>>;
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let key = (source.to_owned(), format!("{options:?}"));
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return found.clone();
    }
    // Compiled outside the lock: two threads may compile the same source at once; both answers
    // are the same.
    let compiled = painless::Script::compile(source, options)
        .map(Arc::new)
        .map_err(|e| IngestError::from_script(&e));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= SCRIPT_CACHE_SIZE {
        cache.clear();
    }
    cache.insert(key, compiled.clone());
    compiled
}

fn parse_error(key: &str, value: &Json) -> IngestError {
    IngestError::new(
        "x_content_parse_exception",
        format!(
            "[script] {key} doesn't support values of type: {}",
            match value {
                Json::Array(_) => "START_ARRAY",
                Json::Object(_) => "START_OBJECT",
                Json::Number(_) => "VALUE_NUMBER",
                Json::Bool(_) => "VALUE_BOOLEAN",
                Json::Null => "VALUE_NULL",
                Json::String(_) => "VALUE_STRING",
            }
        ),
    )
}

/// A compiled Painless script with its params (compiled once per pipeline creation).
#[derive(Clone, Debug)]
pub struct CompiledScript {
    source: String,
    params: Json,
    script: Arc<painless::Script>,
    context: ScriptContextKind,
}

impl CompiledScript {
    pub fn source(&self) -> &str {
        &self.source
    }

    fn params_value(&self) -> painless::Value {
        painless::value::from_json(&self.params)
    }

    /// The `script` processor: runs with `ctx` = the document's source-and-metadata map. A
    /// script that fails (a script error, or a document left self-referencing: "Iterable object
    /// is self-referencing itself (ingest script)") leaves the document as it was before it:
    /// upstream's `190_script_processor.yml` ("Test self referencing source with ignore
    /// failure") and `90_simulate.yml` ("... ignore failure and cyclic field assignments in
    /// script") expect the script's other changes gone after an ignored failure.
    pub fn execute_ingest(&self, doc: &mut IngestDocument) -> Result<(), IngestError> {
        debug_assert_eq!(self.context, ScriptContextKind::Ingest);
        let ctx = doc.source_and_metadata().clone();
        let before = ctx.deep_copy();
        let result = match self.script.execute(&self.params_value(), Some(&ctx)) {
            Err(e) => Err(IngestError::from_script(&e)),
            Ok(_) if crate::template::self_referencing(&ctx, &mut Vec::new()) => {
                Err(IngestError::illegal_argument(
                    "Iterable object is self-referencing itself (ingest script)",
                ))
            }
            Ok(_) => Ok(()),
        };
        if result.is_err() {
            if let (painless::Value::Map(live), painless::Value::Map(saved)) = (&ctx, &before) {
                let saved = saved.borrow().clone();
                *live.borrow_mut() = saved;
            }
        }
        result
    }

    /// A processor's `if`: the script's boolean, the document read-only while it runs
    /// (`UnmodifiableIngestData`).
    pub fn evaluate_condition(&self, doc: &IngestDocument) -> Result<bool, IngestError> {
        // painless::Script::execute freezes ctx for the IngestCondition context.
        let ctx = doc.source_and_metadata();
        let result = self.script.execute(&self.params_value(), Some(ctx));
        match result.map_err(|e| IngestError::from_script(&e))? {
            painless::Value::Boolean(b) => Ok(b),
            other => Err(IngestError::class_cast(
                other.class_name().unwrap_or("null"),
                "java.lang.Boolean",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(source: &str) -> ScriptConfig {
        let Json::Object(map) = json!({ "source": source }) else {
            unreachable!()
        };
        ScriptConfig::parse(map).expect("an inline script")
    }

    fn settings(regex: painless::RegexSetting) -> Settings {
        Settings {
            painless_regex: regex,
            ..Settings::default()
        }
    }

    #[test]
    fn one_source_is_compiled_once_and_shared() {
        let source = "ctx.shared_by_two_processors = params.size()";
        let compile = || {
            config(source)
                .compile(ScriptContextKind::Ingest, &Settings::default())
                .expect("compiles")
        };
        let (a, b) = (compile(), compile());
        assert!(Arc::ptr_eq(&a.script, &b.script));
    }

    #[test]
    fn the_cache_tells_compile_options_apart() {
        // A regex literal: a compile error when regexes are disabled, a script when enabled.
        let source = "ctx.cache_options_test = /a+b/.matcher('aab').matches()";
        let disabled = config(source).compile(
            ScriptContextKind::Ingest,
            &settings(painless::RegexSetting::Disabled),
        );
        let enabled = config(source).compile(
            ScriptContextKind::Ingest,
            &settings(painless::RegexSetting::Enabled),
        );
        assert!(disabled.is_err());
        assert!(enabled.is_ok());
        // and the contexts apart: the same source as a condition is another compile
        let condition = config("ctx.containsKey('cache_context_test')");
        let as_script = condition.compile(ScriptContextKind::Ingest, &Settings::default());
        let as_condition =
            condition.compile(ScriptContextKind::IngestCondition, &Settings::default());
        assert!(!Arc::ptr_eq(
            &as_script.expect("a script").script,
            &as_condition.expect("a condition").script
        ));
    }

    #[test]
    fn a_compile_error_is_the_same_from_the_cache() {
        let source = "ctx.cached_error = ;";
        let first = config(source).compile(ScriptContextKind::Ingest, &Settings::default());
        let second = config(source).compile(ScriptContextKind::Ingest, &Settings::default());
        assert_eq!(first.unwrap_err(), second.unwrap_err());
    }
}
