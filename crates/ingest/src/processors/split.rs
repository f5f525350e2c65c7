//! The `split` processor.
