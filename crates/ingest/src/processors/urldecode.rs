//! The `urldecode` processor.
