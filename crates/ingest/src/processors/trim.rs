//! The `trim` processor.
