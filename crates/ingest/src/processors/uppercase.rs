//! The `uppercase` processor.
