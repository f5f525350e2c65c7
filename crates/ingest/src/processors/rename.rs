//! The `rename` processor.
