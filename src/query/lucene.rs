use super::{FieldRef, QueryError};
pub(crate) fn parse(_q: &str) -> Result<Vec<FieldRef>, QueryError> {
    Ok(vec![])
}
