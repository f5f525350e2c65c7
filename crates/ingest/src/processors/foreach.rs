//! The `foreach` processor.
