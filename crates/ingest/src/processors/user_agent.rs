//! The `user_agent` processor.
