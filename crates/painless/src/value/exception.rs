//! Java exceptions as values: what a script throws and `catch` sees.

use std::fmt;
use std::rc::Rc;

/// A thrown Java exception: its class (simple name, as Painless and OpenSearch error bodies show
/// it, e.g. `IllegalArgumentException`) and message.
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    pub class: Rc<str>,
    pub message: Option<String>,
}

impl Exception {
    pub fn new(class: &str, message: impl Into<String>) -> Exception {
        Exception {
            class: class.into(),
            message: Some(message.into()),
        }
    }

    pub fn without_message(class: &str) -> Exception {
        Exception {
            class: class.into(),
            message: None,
        }
    }

    pub fn illegal_argument(message: impl Into<String>) -> Exception {
        Exception::new("IllegalArgumentException", message)
    }

    pub fn null_pointer(message: impl Into<String>) -> Exception {
        Exception::new("NullPointerException", message)
    }

    pub fn class_cast(message: impl Into<String>) -> Exception {
        Exception::new("ClassCastException", message)
    }

    pub fn unsupported_operation(message: impl Into<String>) -> Exception {
        Exception::new("UnsupportedOperationException", message)
    }

    pub fn index_out_of_bounds(message: impl Into<String>) -> Exception {
        Exception::new("IndexOutOfBoundsException", message)
    }

    pub fn arithmetic(message: impl Into<String>) -> Exception {
        Exception::new("ArithmeticException", message)
    }
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => write!(f, "{}: {m}", self.class),
            None => write!(f, "{}", self.class),
        }
    }
}

impl std::error::Error for Exception {}
