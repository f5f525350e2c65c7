//! The Java object model that Painless scripts and ingest documents share.
//!
//! An ingest document on an OpenSearch node is a `java.util.HashMap` of Java objects: `Integer`,
//! `Long`, `Double`, `String`, `Boolean`, `ArrayList`, `HashMap`, and whatever a processor or a
//! script put there (`Float` from `convert`, `ZonedDateTime`, ...). A Painless script sees that very
//! map as `ctx`, so the two must share one representation: [`Value`]. Lists, maps, sets and arrays
//! are shared references (`Rc<RefCell<..>>`) with Java's aliasing: `def m = ctx.a; m.x = 1` changes
//! `ctx.a`.
//!
//! Equality and hashing follow Java's `equals` and `hashCode` (`Integer(1)` is not equal to
//! `Long(1)`; `Double` compares bit patterns, so `NaN` equals `NaN` and `0.0` does not equal
//! `-0.0`), and a `HashMap` iterates in the order Java's `HashMap` would (see [`map`]).

mod exception;
mod json;
mod list;
pub mod map;
mod number;

use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

pub use exception::{mutation_error, Exception, ThrowableValue, FROZEN_MESSAGE};
pub use json::{from_json, parse_json, to_json, write_json, JsonError};
pub use list::{ArrayRef, JArray, JList, JSet, ListKind, ListRef, SetKind, SetRef};
pub use map::{JMap, MapKind, MapRef};
pub use number::{java_double_to_string, java_float_to_string};

/// A Java value: a primitive (boxed when stored in a collection, as in Java), `null`, a `String`,
/// a collection, an array, or another object of the allowlist.
#[derive(Clone, Default)]
pub enum Value {
    #[default]
    Null,
    Boolean(bool),
    Byte(i8),
    Short(i16),
    /// A UTF-16 code unit, as Java's `char`.
    Char(u16),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    /// `java.lang.String`. Immutable, so shared freely.
    String(Rc<str>),
    List(ListRef),
    Map(MapRef),
    Set(SetRef),
    Array(ArrayRef),
    /// Any other object: dates and times, regex patterns and matchers, iterators, functions,
    /// `StringBuilder`, ... Each implements [`JavaObject`].
    Object(Rc<dyn JavaObject>),
}

/// An object of a class other than the boxed primitives, `String`, collections and arrays.
pub trait JavaObject: Any {
    /// The Java class name, e.g. `java.time.ZonedDateTime`.
    fn class_name(&self) -> &str;
    fn as_any(&self) -> &dyn Any;
    /// `toString()`.
    fn java_to_string(&self) -> String;
    /// `equals(other)`; identity by default, as `Object.equals`.
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        std::ptr::addr_eq(
            self as *const Self as *const (),
            other as *const dyn JavaObject as *const (),
        )
    }
    /// `hashCode()`; consistent with [`JavaObject::java_equals`].
    fn java_hash_code(&self) -> i32 {
        0
    }
    /// The value written when the object is serialised into a document (Jackson's view of it),
    /// or `None` when OpenSearch cannot serialise it.
    fn to_document_value(&self) -> Option<Value> {
        None
    }
}

impl Value {
    pub fn string(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }

    /// A new, empty `java.util.HashMap`.
    pub fn new_map() -> Value {
        Value::Map(Rc::new(RefCell::new(JMap::new(MapKind::Hash))))
    }

    /// A new, empty `java.util.ArrayList`.
    pub fn new_list() -> Value {
        Value::List(Rc::new(RefCell::new(JList::new(ListKind::ArrayList))))
    }

    pub fn list_from(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(JList::from_vec(
            ListKind::ArrayList,
            items,
        ))))
    }

    pub fn map_from(map: JMap) -> Value {
        Value::Map(Rc::new(RefCell::new(map)))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The Java class of the value (`null` has none: `None`).
    pub fn class_name(&self) -> Option<&str> {
        Some(match self {
            Value::Null => return None,
            Value::Boolean(_) => "java.lang.Boolean",
            Value::Byte(_) => "java.lang.Byte",
            Value::Short(_) => "java.lang.Short",
            Value::Char(_) => "java.lang.Character",
            Value::Int(_) => "java.lang.Integer",
            Value::Long(_) => "java.lang.Long",
            Value::Float(_) => "java.lang.Float",
            Value::Double(_) => "java.lang.Double",
            Value::String(_) => "java.lang.String",
            Value::List(l) => l.borrow().kind.class_name(),
            Value::Map(m) => m.borrow().kind().class_name(),
            Value::Set(s) => s.borrow().kind.class_name(),
            Value::Array(a) => return Some(a.borrow().class_name_static()),
            Value::Object(o) => return Some(leak_class_name(o.class_name())),
        })
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Java's `String.valueOf(Object)`: `toString()`, or `"null"`.
    pub fn java_to_string(&self) -> String {
        let mut out = String::new();
        self.write_java_string(&mut out);
        out
    }

    fn write_java_string(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Value::Null => out.push_str("null"),
            Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Byte(v) => write!(out, "{v}").unwrap(),
            Value::Short(v) => write!(out, "{v}").unwrap(),
            Value::Char(c) => out.push_str(&String::from_utf16_lossy(&[*c])),
            Value::Int(v) => write!(out, "{v}").unwrap(),
            Value::Long(v) => write!(out, "{v}").unwrap(),
            Value::Float(v) => out.push_str(&java_float_to_string(*v)),
            Value::Double(v) => out.push_str(&java_double_to_string(*v)),
            Value::String(s) => out.push_str(s),
            Value::List(l) => {
                let _nesting = Nesting::enter();
                out.push('[');
                for (i, item) in l.borrow().items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    // AbstractCollection.toString: the collection itself prints as a marker.
                    match item {
                        Value::List(inner) if Rc::ptr_eq(inner, l) => {
                            out.push_str("(this Collection)")
                        }
                        _ => item.write_java_string(out),
                    }
                }
                out.push(']');
            }
            Value::Set(s) => {
                let _nesting = Nesting::enter();
                out.push('[');
                for (i, item) in s.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_java_string(out);
                }
                out.push(']');
            }
            Value::Map(m) => {
                let _nesting = Nesting::enter();
                out.push('{');
                for (i, (k, v)) in m.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    // AbstractMap.toString: the map itself prints as a marker.
                    for (j, part) in [k, v].iter().enumerate() {
                        if j == 1 {
                            out.push('=');
                        }
                        match part {
                            Value::Map(inner) if Rc::ptr_eq(inner, m) => out.push_str("(this Map)"),
                            _ => part.write_java_string(out),
                        }
                    }
                }
                out.push('}');
            }
            Value::Array(a) => {
                // Object.toString of an array: type descriptor and identity hash.
                let identity = Rc::as_ptr(a) as usize & 0xffff_ffff;
                write!(out, "[{}@{identity:x}", a.borrow().descriptor()).unwrap();
            }
            Value::Object(o) => out.push_str(&o.java_to_string()),
        }
    }

    /// Java's `equals` (`Objects.equals` for null).
    pub fn java_equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Boolean(a), Value::Boolean(b)) => a == b,
            (Value::Byte(a), Value::Byte(b)) => a == b,
            (Value::Short(a), Value::Short(b)) => a == b,
            (Value::Char(a), Value::Char(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Long(a), Value::Long(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => float_bits(*a) == float_bits(*b),
            (Value::Double(a), Value::Double(b)) => double_bits(*a) == double_bits(*b),
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                Rc::ptr_eq(a, b) || {
                    let _nesting = Nesting::enter();
                    let (a, b) = (a.borrow(), b.borrow());
                    a.items.len() == b.items.len()
                        && a.items.iter().zip(&b.items).all(|(x, y)| x.java_equals(y))
                }
            }
            (Value::Map(a), Value::Map(b)) => {
                Rc::ptr_eq(a, b) || {
                    let _nesting = Nesting::enter();
                    a.borrow().java_equals(&b.borrow())
                }
            }
            (Value::Set(a), Value::Set(b)) => {
                Rc::ptr_eq(a, b) || {
                    let _nesting = Nesting::enter();
                    a.borrow().java_equals(&b.borrow())
                }
            }
            (Value::Array(a), Value::Array(b)) => Rc::ptr_eq(a, b),
            (Value::Object(a), Value::Object(b)) => a.java_equals(b.as_ref()),
            _ => false,
        }
    }

    /// Java's `hashCode()` (0 for null).
    pub fn java_hash_code(&self) -> i32 {
        let _nesting = match self {
            Value::List(_) | Value::Map(_) | Value::Set(_) => Some(Nesting::enter()),
            _ => None,
        };
        match self {
            Value::Null => 0,
            Value::Boolean(b) => {
                if *b {
                    1231
                } else {
                    1237
                }
            }
            Value::Byte(v) => i32::from(*v),
            Value::Short(v) => i32::from(*v),
            Value::Char(v) => i32::from(*v),
            Value::Int(v) => *v,
            Value::Long(v) => (*v ^ ((*v as u64) >> 32) as i64) as i32,
            Value::Float(v) => float_bits(*v) as i32,
            Value::Double(v) => {
                let bits = double_bits(*v);
                (bits ^ (bits >> 32)) as i32
            }
            Value::String(s) => string_hash_code(s),
            Value::List(l) => {
                let mut h: i32 = 1;
                for item in &l.borrow().items {
                    h = h.wrapping_mul(31).wrapping_add(item.java_hash_code());
                }
                h
            }
            Value::Map(m) => m.borrow().java_hash_code(),
            Value::Set(s) => s
                .borrow()
                .iter()
                .fold(0i32, |h, v| h.wrapping_add(v.java_hash_code())),
            Value::Array(a) => Rc::as_ptr(a) as usize as i32,
            Value::Object(o) => o.java_hash_code(),
        }
    }

    /// Identity (`===` in Painless, `==` on references in Java). Boxed values compare by value
    /// and type here: the JVM caches small boxes, and Painless scripts compare them by value.
    pub fn identical(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::List(a), Value::List(b)) => Rc::ptr_eq(a, b),
            (Value::Map(a), Value::Map(b)) => Rc::ptr_eq(a, b),
            (Value::Set(a), Value::Set(b)) => Rc::ptr_eq(a, b),
            (Value::Array(a), Value::Array(b)) => Rc::ptr_eq(a, b),
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
            (Value::String(a), Value::String(b)) => Rc::ptr_eq(a, b) || a == b,
            _ => self.java_equals(other),
        }
    }

    /// Marks every collection reachable from this value read-only (`true`) or writable again
    /// (`false`); an ingest condition runs with its document frozen.
    pub fn set_frozen(&self, frozen: bool) {
        // A collection already in the wanted state is skipped with what it holds (documents are
        // frozen and unfrozen whole), which also ends the walk on a collection that contains
        // itself.
        match self {
            Value::List(l) => {
                let Ok(mut l) = l.try_borrow_mut() else {
                    return;
                };
                if l.frozen == frozen {
                    return;
                }
                l.frozen = frozen;
                l.items.iter().for_each(|v| v.set_frozen(frozen));
            }
            Value::Map(m) => {
                let Ok(mut m) = m.try_borrow_mut() else {
                    return;
                };
                if m.frozen == frozen {
                    return;
                }
                m.frozen = frozen;
                m.values_unordered().for_each(|v| v.set_frozen(frozen));
            }
            Value::Set(s) => {
                let Ok(mut s) = s.try_borrow_mut() else {
                    return;
                };
                if s.frozen == frozen {
                    return;
                }
                s.frozen = frozen;
                s.iter_unordered().for_each(|v| v.set_frozen(frozen));
            }
            _ => {}
        }
    }

    /// A deep copy: new collections all the way down (what `IngestDocument.deepCopy` does).
    pub fn deep_copy(&self) -> Value {
        let _nesting = match self {
            Value::List(_) | Value::Map(_) | Value::Set(_) | Value::Array(_) => {
                Some(Nesting::enter())
            }
            _ => None,
        };
        match self {
            Value::List(l) => {
                let l = l.borrow();
                let items = l.items.iter().map(Value::deep_copy).collect();
                Value::List(Rc::new(RefCell::new(JList::from_vec(l.kind, items))))
            }
            Value::Map(m) => Value::Map(Rc::new(RefCell::new(m.borrow().deep_copy()))),
            Value::Set(s) => {
                let s = s.borrow();
                let mut copy = JSet::new(s.kind);
                for v in s.iter() {
                    copy.insert(v.deep_copy());
                }
                Value::Set(Rc::new(RefCell::new(copy)))
            }
            Value::Array(a) => {
                let a = a.borrow();
                Value::Array(Rc::new(RefCell::new(JArray::new(
                    a.element_type.clone(),
                    a.items.iter().map(Value::deep_copy).collect(),
                ))))
            }
            other => other.clone(),
        }
    }
}

/// How deep the recursive walks of nested collections (`equals`, `hashCode`, `toString`, deep
/// copies, JSON) may go. Java overflows its stack on a collection that contains itself (except
/// for the `(this Collection)` case of `toString`); so does Rust, but a Rust stack overflow aborts
/// the process (the emulator would die with it). Past this depth the walk panics instead, with
/// a message, which the emulator turns into a 500 answer and tests into a failure. Documents are
/// far shallower: OpenSearch refuses objects nested deeper than `index.mapping.depth.limit` (20).
/// A script that builds a deeper (acyclic) structure works on a node and is reported here as not
/// supported.
pub const MAX_NESTING: u32 = 200;

thread_local! {
    static NESTING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// One level of a recursive walk; see [`MAX_NESTING`].
pub struct Nesting(());

impl Nesting {
    pub fn enter() -> Nesting {
        let depth = NESTING.with(|d| {
            let depth = d.get() + 1;
            d.set(depth);
            depth
        });
        let guard = Nesting(());
        if depth > MAX_NESTING {
            panic!(
                "not supported by siemctl's offline engine: collections nested deeper than \
                 {MAX_NESTING} levels (a collection that contains itself overflows Java's stack: \
                 java.lang.StackOverflowError)"
            );
        }
        guard
    }

    /// The current depth of nested walks (0 outside any).
    pub fn depth() -> u32 {
        NESTING.with(std::cell::Cell::get)
    }
}

impl Drop for Nesting {
    fn drop(&mut self) {
        NESTING.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Class names of [`JavaObject`]s are few and static in practice; this keeps `class_name`
/// returning a borrowed `&str` without tying it to the `Rc`'s lifetime.
fn leak_class_name(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let names = names.get_or_insert_with(HashSet::new);
    if let Some(found) = names.get(name) {
        return found;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// `Float.floatToIntBits`: the canonical NaN.
pub fn float_bits(v: f32) -> u32 {
    if v.is_nan() {
        0x7fc0_0000
    } else {
        v.to_bits()
    }
}

/// `Double.doubleToLongBits`: the canonical NaN.
pub fn double_bits(v: f64) -> i64 {
    if v.is_nan() {
        0x7ff8_0000_0000_0000
    } else {
        v.to_bits() as i64
    }
}

/// `String.hashCode()` over UTF-16 code units.
pub fn string_hash_code(s: &str) -> i32 {
    let mut h: i32 = 0;
    for unit in s.encode_utf16() {
        h = h.wrapping_mul(31).wrapping_add(i32::from(unit));
    }
    h
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => write!(f, "null"),
            Value::Boolean(v) => write!(f, "{v}"),
            Value::Byte(v) => write!(f, "(byte){v}"),
            Value::Short(v) => write!(f, "(short){v}"),
            Value::Char(v) => write!(f, "'{}'", String::from_utf16_lossy(&[*v])),
            Value::Int(v) => write!(f, "{v}"),
            Value::Long(v) => write!(f, "{v}L"),
            Value::Float(v) => write!(f, "{}f", java_float_to_string(*v)),
            Value::Double(v) => write!(f, "{}d", java_double_to_string(*v)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Object(o) => write!(f, "<{}: {}>", o.class_name(), o.java_to_string()),
            other => write!(f, "{}", other.java_to_string()),
        }
    }
}

/// A map key: a [`Value`] hashed and compared as Java's `HashMap` does (`hashCode`/`equals`).
/// Its `hashCode` is computed once, when the key is stored (a string's is O(length)).
#[derive(Clone, Debug)]
pub struct Key(pub Value, i32);

impl Key {
    pub fn new(value: Value) -> Key {
        let hash = value.java_hash_code();
        Key(value, hash)
    }

    /// The key's Java `hashCode()`.
    pub fn java_hash_code(&self) -> i32 {
        self.1
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.0.java_equals(&other.0)
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_i32(self.1);
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s.into())
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Long(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Double(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Boolean(v)
    }
}
