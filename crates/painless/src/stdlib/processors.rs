//! ingest-common's `Processors` (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/Processors.java`):
//! static helpers for ingest scripts.

use super::Registry;

pub(crate) fn register(_r: &mut Registry) {}
