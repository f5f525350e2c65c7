//! The `script` processor.
