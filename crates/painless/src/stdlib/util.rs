//! Helpers shared by the native methods: argument access with Java's exceptions, UTF-16 string
//! indexing (Java strings index UTF-16 code units), new collections.

use std::cell::RefCell;
use std::rc::Rc;

use crate::value::{
    Exception, JList, JMap, JSet, ListKind, ListRef, MapKind, MapRef, SetKind, SetRef, Value,
};

use super::Thrown;

pub(crate) type R = Result<Value, Thrown>;

pub(crate) fn exc(class: &str, message: impl Into<String>) -> Thrown {
    Thrown::Exception(Exception::new(class, message))
}

pub(crate) fn exc_bare(class: &str) -> Thrown {
    Thrown::Exception(Exception::without_message(class))
}

/// A `NullPointerException` as the JDK's helpful messages word it when a method is called on
/// `null` or with a `null` argument it dereferences.
pub(crate) fn npe() -> Thrown {
    exc_bare("NullPointerException")
}

pub(crate) fn unsupported(what: impl Into<String>) -> Thrown {
    Thrown::Unsupported(what.into())
}

/// `ClassCastException` for a value that is not of the expected class.
pub(crate) fn cce(value: &Value, expected: &str) -> Thrown {
    let from = value.class_name().unwrap_or("null");
    exc(
        "ClassCastException",
        format!("Cannot cast {from} to {expected}"),
    )
}

/// The painless-facing Java name of a value's class, for messages.
pub(crate) fn class_of(value: &Value) -> &str {
    value.class_name().unwrap_or("null")
}

pub(crate) fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Null)
}

pub(crate) fn recv(recv: Option<&Value>) -> Result<&Value, Thrown> {
    match recv {
        Some(Value::Null) | None => Err(npe()),
        Some(v) => Ok(v),
    }
}

pub(crate) fn this_str(r: Option<&Value>) -> Result<&str, Thrown> {
    match recv(r)? {
        Value::String(s) => Ok(s),
        other => Err(cce(other, "java.lang.String")),
    }
}

pub(crate) fn str_arg(args: &[Value], i: usize) -> Result<&str, Thrown> {
    match arg(args, i) {
        Value::String(s) => Ok(s),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.lang.String")),
    }
}

/// A `CharSequence` argument: strings, and objects whose `toString` is their characters
/// (`StringBuilder`).
pub(crate) fn chars_arg(args: &[Value], i: usize) -> Result<String, Thrown> {
    match arg(args, i) {
        Value::String(s) => Ok(s.to_string()),
        Value::Null => Err(npe()),
        Value::Object(o) if o.as_any().is::<super::objects::StringBuilder>() => {
            Ok(o.java_to_string())
        }
        other => Err(cce(other, "java.lang.CharSequence")),
    }
}

pub(crate) fn int_of(v: &Value) -> Result<i32, Thrown> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Short(i) => Ok(i32::from(*i)),
        Value::Byte(i) => Ok(i32::from(*i)),
        Value::Char(c) => Ok(i32::from(*c)),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.lang.Integer")),
    }
}

pub(crate) fn int_arg(args: &[Value], i: usize) -> Result<i32, Thrown> {
    int_of(arg(args, i))
}

pub(crate) fn long_of(v: &Value) -> Result<i64, Thrown> {
    match v {
        Value::Long(l) => Ok(*l),
        Value::Int(i) => Ok(i64::from(*i)),
        Value::Short(i) => Ok(i64::from(*i)),
        Value::Byte(i) => Ok(i64::from(*i)),
        Value::Char(c) => Ok(i64::from(*c)),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.lang.Long")),
    }
}

pub(crate) fn long_arg(args: &[Value], i: usize) -> Result<i64, Thrown> {
    long_of(arg(args, i))
}

pub(crate) fn double_of(v: &Value) -> Result<f64, Thrown> {
    match v {
        Value::Double(d) => Ok(*d),
        Value::Float(f) => Ok(f64::from(*f)),
        Value::Long(l) => Ok(*l as f64),
        Value::Int(i) => Ok(f64::from(*i)),
        Value::Short(i) => Ok(f64::from(*i)),
        Value::Byte(i) => Ok(f64::from(*i)),
        Value::Char(c) => Ok(f64::from(*c)),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.lang.Double")),
    }
}

pub(crate) fn double_arg(args: &[Value], i: usize) -> Result<f64, Thrown> {
    double_of(arg(args, i))
}

pub(crate) fn float_arg(args: &[Value], i: usize) -> Result<f32, Thrown> {
    match arg(args, i) {
        Value::Float(f) => Ok(*f),
        other => Ok(double_of(other)? as f32),
    }
}

pub(crate) fn bool_arg(args: &[Value], i: usize) -> Result<bool, Thrown> {
    match arg(args, i) {
        Value::Boolean(b) => Ok(*b),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.lang.Boolean")),
    }
}

pub(crate) fn char_arg(args: &[Value], i: usize) -> Result<u16, Thrown> {
    match arg(args, i) {
        Value::Char(c) => Ok(*c),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.lang.Character")),
    }
}

pub(crate) fn list_of(v: &Value) -> Result<&ListRef, Thrown> {
    match v {
        Value::List(l) => Ok(l),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.util.List")),
    }
}

pub(crate) fn map_of(v: &Value) -> Result<&MapRef, Thrown> {
    match v {
        Value::Map(m) => Ok(m),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.util.Map")),
    }
}

pub(crate) fn set_of(v: &Value) -> Result<&SetRef, Thrown> {
    match v {
        Value::Set(s) => Ok(s),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.util.Set")),
    }
}

pub(crate) fn new_list(items: Vec<Value>) -> Value {
    Value::List(Rc::new(RefCell::new(JList::from_vec(
        ListKind::ArrayList,
        items,
    ))))
}

pub(crate) fn new_list_kind(kind: ListKind, items: Vec<Value>) -> Value {
    Value::List(Rc::new(RefCell::new(JList::from_vec(kind, items))))
}

pub(crate) fn new_map(kind: MapKind) -> Value {
    Value::Map(Rc::new(RefCell::new(JMap::new(kind))))
}

pub(crate) fn new_set(kind: SetKind, items: impl IntoIterator<Item = Value>) -> Value {
    let mut s = JSet::new(kind);
    for v in items {
        s.insert(v);
    }
    Value::Set(Rc::new(RefCell::new(s)))
}

/// The `UnsupportedOperationException` a change to an unmodifiable or read-only collection
/// throws. Upstream: JDK immutable collections throw it without a message; ingest conditions see
/// the document through `UnmodifiableIngestData` wrappers
/// (`server/src/main/java/org/opensearch/ingest/ConditionalProcessor.java`), whose methods throw
/// `UnsupportedOperationException("Mutating ingest documents in conditionals is not supported")`.
pub(crate) fn immutable(frozen: bool) -> Thrown {
    if frozen {
        exc(
            "UnsupportedOperationException",
            "Mutating ingest documents in conditionals is not supported",
        )
    } else {
        exc_bare("UnsupportedOperationException")
    }
}

// ---------------------------------------------------------------------------------------------
// UTF-16 strings

/// Java's `String.length()`.
pub(crate) fn len16(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

pub(crate) fn to16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

pub(crate) fn from16(units: &[u16]) -> String {
    String::from_utf16_lossy(units)
}

/// `substring(begin, end)` with Java's bounds check and message.
pub(crate) fn substring16(s: &str, begin: i32, end: i32) -> Result<String, Thrown> {
    let len = len16(s) as i32;
    if begin < 0 || begin > end || end > len {
        return Err(exc(
            "StringIndexOutOfBoundsException",
            format!("begin {begin}, end {end}, length {len}"),
        ));
    }
    if s.is_ascii() {
        return Ok(s[begin as usize..end as usize].to_owned());
    }
    Ok(from16(&to16(s)[begin as usize..end as usize]))
}

/// `indexOf(str, from)` in UTF-16 units.
pub(crate) fn index_of16(s: &str, needle: &str, from: i32) -> i32 {
    let h = to16(s);
    let n = to16(needle);
    let from = from.max(0) as usize;
    if n.is_empty() {
        return from.min(h.len()) as i32;
    }
    if from >= h.len() || n.len() > h.len() {
        return -1;
    }
    (from..=h.len() - n.len())
        .find(|&i| h[i..i + n.len()] == n[..])
        .map_or(-1, |i| i as i32)
}

/// `lastIndexOf(str, from)` in UTF-16 units.
pub(crate) fn last_index_of16(s: &str, needle: &str, from: i32) -> i32 {
    let h = to16(s);
    let n = to16(needle);
    if from < 0 || n.len() > h.len() {
        return -1;
    }
    let start = (from as usize).min(h.len() - n.len());
    (0..=start)
        .rev()
        .find(|&i| h[i..i + n.len()] == n[..])
        .map_or(-1, |i| i as i32)
}

/// `Character.isWhitespace`-free `String.trim()`: removes code units <= U+0020 at both ends.
pub(crate) fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= '\u{20}')
}

/// The items of an `Iterable`/`Collection` value, in Java's iteration order.
pub(crate) fn iter_items(v: &Value) -> Result<Vec<Value>, Thrown> {
    match v {
        Value::List(l) => Ok(l.borrow().items.clone()),
        Value::Set(s) => Ok(s.borrow().iter().collect()),
        Value::Array(a) => Ok(a.borrow().items.clone()),
        Value::Null => Err(npe()),
        Value::Object(o) => {
            if let Some(view) = o.as_any().downcast_ref::<super::objects::MapView>() {
                return Ok(view.items());
            }
            match o.as_any().downcast_ref::<super::objects::Iter>() {
                Some(it) => Ok(it.remaining()),
                None => Err(cce(v, "java.lang.Iterable")),
            }
        }
        other => Err(cce(other, "java.lang.Iterable")),
    }
}

/// Java truthiness of a predicate's result: a `boolean`, anything else is a cast error.
pub(crate) fn truthy(v: &Value) -> Result<bool, Thrown> {
    match v {
        Value::Boolean(b) => Ok(*b),
        other => Err(cce(other, "java.lang.Boolean")),
    }
}

/// The map view behind a value, if it is one.
pub(crate) fn view_of(v: &Value) -> Option<&super::objects::MapView> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<super::objects::MapView>(),
        _ => None,
    }
}

/// A view refuses additions (`AbstractCollection.add`); a read-only map's view (the
/// ingest-condition wrappers return `Collections.unmodifiable*` views) refuses every change.
pub(crate) fn check_view_mutable(view: &super::objects::MapView) -> Result<(), Thrown> {
    let m = view.map.borrow();
    if !m.is_mutable() {
        return Err(exc_bare("UnsupportedOperationException"));
    }
    Ok(())
}
