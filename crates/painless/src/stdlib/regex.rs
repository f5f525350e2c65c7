//! `java.util.regex` on Oniguruma with Java syntax.

use crate::value::{Exception, Value};

use super::Registry;

pub(crate) fn register(_r: &mut Registry) {}

/// Compiles a regex literal `/pattern/flags`.
pub fn compile(_pattern: &str, _flags: &str) -> Result<Value, Exception> {
    Err(Exception::unsupported_operation(
        "regexes are not implemented yet",
    ))
}
