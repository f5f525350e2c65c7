//! The `convert` processor.
