//! The `join` processor.
