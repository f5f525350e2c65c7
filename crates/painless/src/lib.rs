//! Painless, OpenSearch's scripting language, interpreted offline. See README.md.
//!
//! The public surface is small: [`Script::compile`] once (as a node compiles a script once per
//! pipeline creation), then [`Script::execute`] per document. Values are [`Value`]s, shared with
//! the ingest engine, so `ctx` is the ingest document's own map.

mod error;
pub mod value;

pub use error::{Position, ScriptError};
pub use value::{Exception, Value};

/// Where a script runs: decides its parameters and return type, as Painless script contexts do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// `IngestScript`: `void execute(Map params, Map ctx)`; `ctx` is the document, writable.
    Ingest,
    /// `IngestConditionalScript` (a processor's `if`): `boolean execute(Map params, Map ctx)`;
    /// `ctx` is read-only (writes throw `UnsupportedOperationException`).
    IngestCondition,
    /// `PainlessTestScript` (`POST /_scripts/painless/_execute`): `Object execute(Map params)`.
    PainlessTest,
}

/// `script.painless.regex.enabled`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RegexSetting {
    /// `limited` (the default): regexes allowed, with a bound on the work per match of
    /// `script.painless.regex.limit-factor` (default 6) times the input length.
    Limited { limit_factor: u32 },
    /// `true`.
    Enabled,
    /// `false`: a regex literal is a compile error.
    Disabled,
}

/// Settings a script is compiled under.
#[derive(Clone, Debug)]
pub struct Options {
    pub context: Context,
    pub regex: RegexSetting,
    /// `script.painless.max_loop_counter` (default 1,000,000).
    pub max_loop_counter: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            context: Context::Ingest,
            regex: RegexSetting::Limited { limit_factor: 6 },
            max_loop_counter: 1_000_000,
        }
    }
}

/// A compiled script: compiled once, executed many times (from any thread: the compiled form
/// holds no `Rc`).
#[derive(Debug)]
pub struct Script {
    source: String,
    options: Options,
}

impl Script {
    /// Compiles `source` for `options.context`, as `PainlessScriptEngine.compile` does.
    pub fn compile(source: &str, options: &Options) -> Result<Script, ScriptError> {
        let _ = Script {
            source: source.to_owned(),
            options: options.clone(),
        };
        Err(ScriptError::compile(
            source,
            None,
            Exception::illegal_argument(
                "not supported by siemctl's offline Painless: compiler not written yet",
            ),
        ))
    }

    /// Runs the script. `params`: the script's params map (or Null); `ctx`: the document map for
    /// ingest contexts (None for PainlessTest). Ingest: returns Null. IngestCondition: Boolean.
    /// PainlessTest: the script's result.
    pub fn execute(&self, params: &Value, ctx: Option<&Value>) -> Result<Value, ScriptError> {
        let _ = (params, ctx, &self.options);
        Err(ScriptError::runtime(
            &self.source,
            None,
            Exception::illegal_argument(
                "not supported by siemctl's offline Painless: interpreter not written yet",
            ),
        ))
    }
}
