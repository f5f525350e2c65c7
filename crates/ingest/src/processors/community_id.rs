//! The `community_id` processor.
