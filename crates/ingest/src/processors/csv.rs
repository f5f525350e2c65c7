//! The `csv` processor.
