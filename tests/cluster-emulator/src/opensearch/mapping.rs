//! Parsing a document against its index's mapping before it is stored.

use serde_json::Value;

use super::Cluster;
use crate::http::OsError;

/// The document as the index stores it, and the fields the mapper ignored.
pub(crate) fn index_document(
    _c: &mut Cluster,
    _index: &str,
    source: &Value,
) -> Result<(Value, Vec<String>), OsError> {
    Ok((source.clone(), Vec::new()))
}
