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

/// Upstream `ConditionalProcessor.unmodifiableException()`: what a write to the document throws
/// inside an ingest condition.
pub const FROZEN_MESSAGE: &str = "Mutating ingest documents in conditionals is not supported";

/// The exception a change to a read-only collection throws: a frozen (ingest condition) view
/// gives upstream's message, an unmodifiable collection (`List.of`...) none, as in Java.
pub fn mutation_error(frozen: bool) -> Exception {
    if frozen {
        Exception::unsupported_operation(FROZEN_MESSAGE)
    } else {
        Exception::without_message("UnsupportedOperationException")
    }
}

/// A caught exception as a script sees it (`catch (Exception e)`): an object of the exception's
/// class whose `getMessage()` is the message.
#[derive(Debug)]
pub struct ThrowableValue {
    pub exception: Exception,
    /// The Java class name, e.g. `java.lang.IllegalArgumentException`.
    pub java_name: String,
}

impl crate::value::JavaObject for ThrowableValue {
    fn class_name(&self) -> &str {
        &self.java_name
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn java_to_string(&self) -> String {
        match &self.exception.message {
            Some(m) => format!("{}: {m}", self.java_name),
            None => self.java_name.clone(),
        }
    }
}
