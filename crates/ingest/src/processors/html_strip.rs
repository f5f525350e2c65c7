//! The `html_strip` processor.
