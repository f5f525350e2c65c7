//! The `append` processor.
