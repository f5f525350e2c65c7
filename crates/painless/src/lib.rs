//! Painless, OpenSearch's scripting language, interpreted offline. See README.md.
//!
//! The public surface is small: [`Script::compile`] once (as a node compiles a script once per
//! pipeline creation), then [`Script::execute`] per document. Values are [`Value`]s, shared with
//! the ingest engine, so `ctx` is the ingest document's own map.

pub mod allowlist;
pub mod calendar;
mod compiler;
mod error;
pub mod stdlib;
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
    program: compiler::ir::Program,
    /// Distinguishes scripts in per-thread caches (compiled regex literals).
    id: u64,
}

impl Script {
    /// Compiles `source` for `options.context`, as `PainlessScriptEngine.compile` does.
    // The error type is the interface every helper codes against (the brief): not boxed.
    #[allow(clippy::result_large_err)]
    pub fn compile(source: &str, options: &Options) -> Result<Script, ScriptError> {
        let tokens = compiler::lexer::lex(source)
            .map_err(|e| ScriptError::compile(source, Some(e.offset), e.exception))?;
        let unit = compiler::parser::parse(&tokens)
            .map_err(|e| ScriptError::compile(source, Some(e.offset), e.exception))?;
        let program = compiler::analyze::analyze(&unit, options)
            .map_err(|e| ScriptError::compile(source, Some(e.offset), e.exception))?;
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(Script {
            source: source.to_owned(),
            options: options.clone(),
            program,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Runs the script. `params`: the script's params map (or Null); `ctx`: the document map for
    /// ingest contexts (None for PainlessTest). Ingest: returns Null. IngestCondition: Boolean.
    /// PainlessTest: the script's result.
    #[allow(clippy::result_large_err)]
    pub fn execute(&self, params: &Value, ctx: Option<&Value>) -> Result<Value, ScriptError> {
        let lib = compiler::library::Library::for_context(self.options.context);
        let params = match params {
            Value::Null => Value::new_map(),
            other => other.clone(),
        };
        // `params` is read-only, as Collections.unmodifiableMap (shallow).
        let restore_kind = match &params {
            Value::Map(m) if m.borrow().kind() == value::MapKind::Hash => {
                m.borrow_mut().set_kind(value::MapKind::Unmodifiable);
                true
            }
            _ => false,
        };
        let mut args = vec![params.clone()];
        if self.options.context != Context::PainlessTest {
            args.push(ctx.cloned().unwrap_or_else(Value::new_map));
        }
        let freeze = self.options.context == Context::IngestCondition;
        if freeze {
            args[1].set_frozen(true);
        }
        let limit_factor = match self.options.regex {
            RegexSetting::Limited { limit_factor } => limit_factor,
            _ => 0,
        };
        let mut interp = compiler::interp::Interp::new(
            lib,
            &self.program,
            self.options.max_loop_counter,
            self.id,
            limit_factor,
        );
        let result = interp.run_main(&args);
        if freeze {
            args[1].set_frozen(false);
        }
        if restore_kind {
            if let Value::Map(m) = &params {
                m.borrow_mut().set_kind(value::MapKind::Hash);
            }
        }
        match result {
            Ok(v) => Ok(match self.options.context {
                Context::Ingest => Value::Null,
                Context::IngestCondition => match v {
                    Value::Boolean(_) => v,
                    _ => Value::Boolean(false),
                },
                Context::PainlessTest => v,
            }),
            Err(fault) => {
                let cause = match fault.thrown {
                    compiler::library::Thrown::Exception(e) => e,
                    compiler::library::Thrown::Unsupported(what) => {
                        Exception::unsupported_operation(format!(
                            "not supported by siemctl's offline Painless: {what}"
                        ))
                    }
                };
                Err(ScriptError::runtime(
                    &self.source,
                    fault.pos,
                    &self.program.statements,
                    cause,
                ))
            }
        }
    }
}
