//! The `kv` processor.
