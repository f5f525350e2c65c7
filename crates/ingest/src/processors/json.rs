//! The `json` processor.
