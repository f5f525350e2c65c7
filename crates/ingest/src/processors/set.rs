//! The `set` processor.
