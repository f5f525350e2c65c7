//! Planning: the content and the cluster brought to one normalised form and compared.
//! Pure: no I/O here; `commands/plan.rs` reads the cluster and calls [`plan::plan`].

pub(crate) mod compat;
pub(crate) mod diff;
pub(crate) mod normalize;
#[allow(clippy::module_inception)]
pub(crate) mod plan;
pub(crate) mod same_title;
pub(crate) mod saved;
pub(crate) mod select;
