//! The `pipeline` processor.
