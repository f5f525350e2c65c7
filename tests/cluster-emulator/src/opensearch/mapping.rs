//! Parsing a document against its index's mapping before it is stored, with the engine's mapper
//! (`ingest::mapping`, a port of `DocumentParser` and the shard's mapping preflight): a document
//! the node would refuse is refused with the node's error, dynamic mapping updates are merged
//! into the index (so `GET /{index}/_mapping` shows them), and what each field indexed is kept
//! for `_count`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Cluster;
use crate::http::OsError;

/// What the index keeps of an accepted document besides its `_source`.
pub(crate) struct Parsed {
    /// `_ignored`: the fields whose values the mapper dropped.
    pub(crate) ignored: Vec<String>,
    /// The indexed values per field path (multi-fields included).
    pub(crate) fields: BTreeMap<String, Vec<Value>>,
}

/// The index's flat settings as the mapper reads them (`index.mapping.*`).
fn settings_value(c: &Cluster, index: &str) -> Value {
    let mut m = Map::new();
    if let Some(i) = c.indices.get(index) {
        for (k, v) in &i.settings {
            if k.starts_with("index.mapping.") {
                m.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(m)
}

fn mapper_error(e: &::ingest::mapping::MapperError) -> OsError {
    let body = e.to_response_json();
    OsError::prerendered(e.status, body["error"].clone())
}

/// Parses `source` (document `id`) into `index`, which exists. On success the index's mapping
/// takes the document's dynamic updates.
pub(crate) fn index_document(
    c: &mut Cluster,
    index: &str,
    id: &str,
    source: &Value,
) -> Result<Parsed, OsError> {
    let settings = ::ingest::mapping::IndexSettings::from_settings(&settings_value(c, index))
        .map_err(|e| mapper_error(&e))?;
    let Some(i) = c.indices.get_mut(index) else {
        return Err(super::indices::index_not_found(index));
    };
    let mappings = Value::Object(i.mappings.clone());
    let indexed = ::ingest::mapping::index_document_with_id(id, source, &mappings, &settings)
        .map_err(|e| mapper_error(&e))?;
    if let Some(Value::Object(updated)) = indexed.mapping_update {
        i.mappings = updated;
    }
    Ok(Parsed {
        ignored: indexed.ignored,
        fields: indexed.fields,
    })
}
