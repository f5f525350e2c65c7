//! Painless, OpenSearch's scripting language, interpreted offline. See README.md.
//!
//! The public surface is small: [`Script::compile`] once (as a node compiles a script once per
//! pipeline creation), then [`Script::execute`] per document. Values are [`Value`]s, shared with
//! the ingest engine, so `ctx` is the ingest document's own map.

pub mod allowlist;
pub mod stdlib;
pub mod value;

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
