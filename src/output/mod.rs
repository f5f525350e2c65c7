//! Everything siemctl prints: the [`Printer`](printer::Printer), plans, and semantic styles.

pub(crate) mod fields;
pub(crate) mod github;
pub(crate) mod import;
pub(crate) mod new;
pub(crate) mod plan;
pub(crate) mod printer;
pub(crate) mod redact;
pub(crate) mod saved_plan;
pub(crate) mod style;
pub(crate) mod test;
