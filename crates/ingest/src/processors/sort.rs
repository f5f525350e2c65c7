//! The `sort` processor.
