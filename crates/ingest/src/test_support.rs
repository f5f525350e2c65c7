//! Helpers for the unit tests of the core and its processors.
#![allow(clippy::borrowed_box)]

use serde_json::Value as Json;

use crate::document::{DocumentMetadata, IngestDocument, Timestamp};
use crate::error::IngestError;
use crate::processor::{read_processor, Outcome, Processor, Run, Settings};
use crate::registry::Registry;

/// 2026-12-01T12:00:00Z.
pub(crate) const FIXED_MILLIS: i64 = 1_796_126_400_000;

pub(crate) fn fixed_now() -> Timestamp {
    Timestamp::from_epoch_millis(FIXED_MILLIS)
}

fn settings() -> Settings {
    Settings::default()
}

/// Builds one processor as `readProcessor` does (common options included).
pub(crate) fn build(processor_type: &str, config: Json) -> Box<dyn Processor> {
    read_processor(
        Registry::standard_static(),
        &settings(),
        processor_type,
        config,
    )
    .unwrap_or_else(|e| panic!("building {processor_type}: {e}"))
}

pub(crate) fn build_err(processor_type: &str, config: Json) -> IngestError {
    match read_processor(
        Registry::standard_static(),
        &settings(),
        processor_type,
        config,
    ) {
        Ok(_) => panic!("building {processor_type} should fail"),
        Err(e) => e,
    }
}

/// A document with this source, index `_index`, id `_id`.
pub(crate) fn doc(source: Json) -> IngestDocument {
    IngestDocument::from_json_source(&source, fixed_now())
}

pub(crate) fn doc_with_metadata(
    source: Json,
    version: Option<i64>,
    version_type: Option<&str>,
) -> IngestDocument {
    let metadata = DocumentMetadata {
        index: "_index".into(),
        id: Some("_id".into()),
        version,
        version_type: version_type.map(str::to_string),
        ..DocumentMetadata::default()
    };
    IngestDocument::new(&metadata, &painless::value::from_json(&source), fixed_now())
}

pub(crate) fn run_on(
    p: &Box<dyn Processor>,
    doc: &mut IngestDocument,
) -> Result<Outcome, IngestError> {
    p.execute(doc, &mut Run::detached())
}

pub(crate) fn run_ok(p: &Box<dyn Processor>, source: Json) -> IngestDocument {
    let mut d = doc(source);
    match run_on(p, &mut d) {
        Ok(Outcome::Continue) => d,
        Ok(Outcome::Drop) => panic!("dropped"),
        Err(e) => panic!("failed: {e}"),
    }
}

pub(crate) fn run_err(p: &Box<dyn Processor>, source: Json) -> IngestError {
    let mut d = doc(source);
    match run_on(p, &mut d) {
        Err(e) => e,
        Ok(_) => panic!("should fail"),
    }
}

/// The source without metadata fields, as JSON.
pub(crate) fn source(doc: &IngestDocument) -> Json {
    let json = doc.to_simulate_json().expect("serialisable");
    json["_source"].clone()
}

/// The cause of an error (itself when it has none).
pub(crate) fn cause(e: &IngestError) -> &IngestError {
    e.caused_by.as_ref().unwrap_or(e)
}
