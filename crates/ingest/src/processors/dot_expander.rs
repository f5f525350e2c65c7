//! The `dot_expander` processor.
