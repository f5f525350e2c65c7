//! The `copy` processor.
