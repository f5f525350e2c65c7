//! Documents against mappings: would the node index this document, and what would it store.
