//! `java.time` on jiff.

use std::cmp::Ordering;

use crate::value::Value;

use super::Registry;

pub(crate) fn register(_r: &mut Registry) {}

/// `compareTo` between two java.time values of the same class.
pub(crate) fn compare(_a: &Value, _b: &Value) -> Option<Ordering> {
    None
}
