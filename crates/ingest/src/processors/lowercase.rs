//! The `lowercase` processor.
