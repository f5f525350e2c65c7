//! Saved objects too large for Dashboards to take: a request body over `server.maxPayloadBytes`
//! (default 1 MiB, 1,048,576 bytes: OpenSearch-Dashboards `src/core/server/http/http_config.ts`,
//! `maxPayload: schema.byteSize({ defaultValue: '1048576b' })`) is answered 413 before any of it
//! is read. siemctl cuts `_bulk_create` into batches of at most 512 KiB (`cluster::dashboards`),
//! an object larger than that going alone, so the one body that can be too large is a single
//! object's: `[{"type", "id", "attributes", "references", "version"}]`.

use crate::content::problem::Problem;
use crate::content::Content;

/// Dashboards' default `server.maxPayloadBytes`.
pub(crate) const MAX_PAYLOAD_BYTES: usize = 1_048_576;
/// The brackets of the batch array and the `"version"` an update carries.
const ENVELOPE_BYTES: usize = 64;

pub(super) fn check(content: &Content) -> Vec<Problem> {
    let mut problems = Vec::new();
    for object in content
        .resources
        .iter()
        .filter(|r| r.kind.is_saved_object())
    {
        // The wire form is at most about twice the rendered text (a JSON-string attribute
        // escapes its quotes once): only objects that could be near the limit are encoded.
        if 2 * object.text.len() + 4096 < MAX_PAYLOAD_BYTES {
            continue;
        }
        let size = serde_json::to_vec(&object.wire()).map_or(0, |b| b.len()) + ENVELOPE_BYTES;
        if size > MAX_PAYLOAD_BYTES {
            problems.push(
                Problem::new(
                    &object.file,
                    format!(
                        "this {} is {size} bytes as Dashboards receives it, over Dashboards' default request limit of 1 MiB (server.maxPayloadBytes, {MAX_PAYLOAD_BYTES} bytes): apply would be refused with 413",
                        object.kind
                    ),
                )
                .at_line(Some(1))
                .with_hint("make it smaller (split a dashboard into several, move long markdown or large lists out), or raise server.maxPayloadBytes in opensearch_dashboards.yml on every Dashboards server"),
            );
        }
    }
    problems
}
