//! Runs OpenSearch 2.x ingest pipelines offline. See README.md.

pub use painless::value::{self, Value};

pub mod date;
pub mod grok;
pub mod mapping;
pub mod processors;
