//! The `date` processor.
