//! Everything siemctl prints: the [`Printer`](printer::Printer) and semantic styles.

pub(crate) mod printer;
pub(crate) mod style;
