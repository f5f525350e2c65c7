//! The `dissect` processor.
