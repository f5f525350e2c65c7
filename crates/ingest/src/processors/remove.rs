//! The `remove` processor.
