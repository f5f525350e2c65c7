//! Applying: reading the live side, siemctl's state and lock in the cluster, and executing a
//! plan. The I/O goes through [`crate::cluster`].

pub(crate) mod executor;
pub(crate) mod incomplete;
pub(crate) mod live;
pub(crate) mod lock;
