//! The `remove_by_pattern` processor.
