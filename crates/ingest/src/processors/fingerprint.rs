//! The `fingerprint` processor.
