//! The `gsub` processor.
