//! The `bytes` processor.
