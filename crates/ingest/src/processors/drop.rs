//! The `drop` processor.
