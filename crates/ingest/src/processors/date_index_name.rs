//! The `date_index_name` processor.
