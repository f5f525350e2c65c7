//! The `grok` processor.
