//! The `fail` processor.
