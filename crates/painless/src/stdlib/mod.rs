//! Native implementations of allowlisted methods: what the JDK (and OpenSearch's
//! `org.opensearch.painless.api.Augmentation`, ingest-common's `Processors`) would do, in Rust.
//!
//! [`resolve`] maps an allowlisted [`Method`] to its implementation by the method's Java class,
//! name and arity; `None` means the method is allowlisted but has no offline implementation (the
//! interpreter reports "not supported by siemctl's offline Painless"). Arguments arrive already
//! converted to the parameter types; results are Java values. Exceptions carry the class and
//! message the JDK would throw.

mod augmentation;
mod bitset;
mod collections;
mod format;
mod functional;
mod lang;
mod objects;
mod processors;
pub mod regex;
mod stream;
pub mod time;
mod util;
mod uuid;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::allowlist::{Field, Method};
use crate::value::{Exception, Value};

pub use functional::invoke;
pub use objects::{
    Iter, MapEntry, MapView, Optional, StringBuilder, StringJoiner, Token, ViewKind,
};

/// A native method: `recv` is the receiver (`None` for static methods and constructors).
pub type NativeFn =
    fn(recv: Option<&Value>, args: &[Value], host: &mut dyn Host) -> Result<Value, Thrown>;

/// How a native method ends abnormally.
#[derive(Debug, Clone)]
pub enum Thrown {
    /// A Java exception the script may catch.
    Exception(Exception),
    /// Something siemctl's offline Painless cannot do (the message says what).
    Unsupported(String),
}

impl From<Exception> for Thrown {
    fn from(e: Exception) -> Self {
        Thrown::Exception(e)
    }
}

/// What native methods need from the interpreter.
pub trait Host {
    /// Calls a function value (a lambda, a method reference, or an object implementing the
    /// functional interface) with the arguments.
    fn call(&mut self, function: &Value, args: &[Value]) -> Result<Value, Thrown>;
    /// Counts one loop iteration towards `max_loop_counter` (collection methods that call user
    /// functions in a loop call this once per element).
    fn tick(&mut self) -> Result<(), Thrown>;
    /// `script.painless.regex.limit-factor` when regexes are `limited`, 0 when they are not
    /// limited (the constant upstream injects into `Pattern.matcher`/`split`, see
    /// `java.util.regex.txt`'s `@inject_constant`).
    fn regex_limit_factor(&self) -> u32 {
        0
    }
}

/// `h.invoke(f, args)`: [`invoke`] as a method of the host.
pub(crate) trait HostExt {
    fn invoke(&mut self, function: &Value, args: &[Value]) -> Result<Value, Thrown>;
}

impl HostExt for dyn Host + '_ {
    fn invoke(&mut self, function: &Value, args: &[Value]) -> Result<Value, Thrown> {
        functional::invoke(function, args, self)
    }
}

/// Key of the native table: Java class of the declaring class, method name (`<init>` for a
/// constructor), arity.
type Key = (&'static str, &'static str, usize);

pub(crate) struct Registry {
    methods: HashMap<Key, NativeFn>,
    fields: HashMap<(&'static str, &'static str), fn() -> Value>,
}

impl Registry {
    pub(crate) fn add(
        &mut self,
        class: &'static str,
        name: &'static str,
        arity: usize,
        f: NativeFn,
    ) {
        self.methods.insert((class, name, arity), f);
    }

    /// The same implementation on several declaring classes (an interface and the classes
    /// whose allowlist entries redeclare the method).
    pub(crate) fn add_on(
        &mut self,
        classes: &[&'static str],
        name: &'static str,
        arity: usize,
        f: NativeFn,
    ) {
        for c in classes {
            self.add(c, name, arity, f);
        }
    }

    pub(crate) fn field(&mut self, class: &'static str, name: &'static str, f: fn() -> Value) {
        self.fields.insert((class, name), f);
    }
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut r = Registry {
            methods: HashMap::new(),
            fields: HashMap::new(),
        };
        lang::register(&mut r);
        bitset::register(&mut r);
        collections::register(&mut r);
        functional::register(&mut r);
        stream::register(&mut r);
        augmentation::register(&mut r);
        regex::register(&mut r);
        time::register(&mut r);
        processors::register(&mut r);
        uuid::register(&mut r);
        uuid::register_date(&mut r);
        r
    })
}

/// The implementation of an allowlisted method, if there is one offline.
pub fn resolve(method: &Method) -> Option<NativeFn> {
    registry()
        .methods
        .get(&(
            method.java_class.as_str(),
            method.name.as_str(),
            method.params.len(),
        ))
        .copied()
}

/// A native by its key (for natives that delegate to another method).
pub(crate) fn resolve_by_key(class: &str, name: &str, arity: usize) -> Option<NativeFn> {
    registry()
        .methods
        .iter()
        .find(|((c, n, a), _)| *c == class && *n == name && *a == arity)
        .map(|(_, f)| *f)
}

/// The value of a static field (`Integer.MAX_VALUE`, `Math.PI`, `ChronoUnit.DAYS`...).
pub fn static_field(field: &Field) -> Option<Value> {
    registry()
        .fields
        .get(&(field.java_class.as_str(), field.name.as_str()))
        .map(|f| f())
}

/// Whether a (class, name, arity) has a native implementation; for coverage reports.
pub fn is_implemented(java_class: &str, name: &str, arity: usize) -> bool {
    registry()
        .methods
        .keys()
        .any(|(c, n, a)| *c == java_class && *n == name && *a == arity)
}

#[cfg(test)]
mod tests;
