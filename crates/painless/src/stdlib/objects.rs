//! Objects of allowlisted classes other than boxes, strings and collections: iterators, map
//! entries, `StringBuilder`, `Optional`, `StringJoiner`, `Base64` coders...

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use crate::value::{JavaObject, MapRef, Value};

/// An `Iterator` over a snapshot of a collection (`list.iterator()`, `map.keySet().iterator()`).
/// `remove()` removes the last element returned from the source collection.
pub struct Iter {
    class: &'static str,
    state: RefCell<IterState>,
}

struct IterState {
    items: Vec<Value>,
    next: usize,
    source: Option<Value>,
    /// Items removed through `remove()` (list positions shift by this much).
    removed: usize,
    can_remove: bool,
    /// The source's size when iteration started, less what `remove()` took out: a different
    /// size at `next()` is a `ConcurrentModificationException`, as the JDK's fail-fast iterators.
    expected: Option<usize>,
}

impl Iter {
    pub fn new(class: &'static str, items: Vec<Value>, source: Option<Value>) -> Iter {
        Iter {
            class,
            state: RefCell::new(IterState {
                items,
                next: 0,
                source,
                removed: 0,
                can_remove: false,
                expected: None,
            }),
        }
    }

    /// An iterator that fails fast when its source changes size behind its back.
    pub fn fail_fast(class: &'static str, items: Vec<Value>, source: Value) -> Value {
        let it = Iter::new(class, items, Some(source.clone()));
        it.state.borrow_mut().expected = source_len(&source);
        Value::Object(Rc::new(it))
    }

    /// Whether the source changed size since the iteration started.
    pub fn modified(&self) -> bool {
        let s = self.state.borrow();
        match (&s.source, s.expected) {
            (Some(src), Some(n)) => source_len(src) != Some(n),
            _ => false,
        }
    }

    pub fn value(class: &'static str, items: Vec<Value>, source: Option<Value>) -> Value {
        Value::Object(Rc::new(Iter::new(class, items, source)))
    }

    pub fn has_next(&self) -> bool {
        let s = self.state.borrow();
        s.next < s.items.len()
    }

    pub fn next_item(&self) -> Option<Value> {
        let mut s = self.state.borrow_mut();
        let v = s.items.get(s.next).cloned()?;
        s.next += 1;
        s.can_remove = true;
        Some(v)
    }

    /// The elements not yet returned.
    pub fn remaining(&self) -> Vec<Value> {
        let s = self.state.borrow();
        s.items[s.next..].to_vec()
    }

    /// `Iterator.remove()`: `Err(true)` when there is no element to remove
    /// (IllegalStateException), `Err(false)` when the source is read-only.
    pub(crate) fn remove(&self) -> Result<(), Option<bool>> {
        let mut s = self.state.borrow_mut();
        if !s.can_remove {
            return Err(Some(true));
        }
        let index = s.next - 1 - s.removed;
        let item = s.items[s.next - 1].clone();
        match &s.source {
            Some(Value::List(l)) => {
                let mut l = l.borrow_mut();
                if !l.is_mutable() {
                    return Err(Some(l.frozen));
                }
                if index < l.items.len() {
                    l.items.remove(index);
                }
            }
            Some(Value::Set(set)) => {
                let mut set = set.borrow_mut();
                if !set.is_mutable() {
                    return Err(Some(set.frozen));
                }
                set.remove(&item);
            }
            Some(Value::Object(o)) if o.as_any().is::<MapView>() => {
                let view = o.as_any().downcast_ref::<MapView>().expect("checked");
                let mut m = view.map.borrow_mut();
                if !m.is_mutable() {
                    return Err(Some(m.frozen));
                }
                let key = match view.kind {
                    ViewKind::Keys => Some(item.clone()),
                    ViewKind::Entries => match &item {
                        Value::Object(e) => {
                            e.as_any().downcast_ref::<MapEntry>().map(|e| e.key.clone())
                        }
                        _ => None,
                    },
                    ViewKind::Values => {
                        m.iter().find(|(_, v)| v.java_equals(&item)).map(|(k, _)| k)
                    }
                };
                if let Some(k) = key {
                    m.remove(&k);
                }
            }
            Some(Value::Map(m)) => {
                let mut m = m.borrow_mut();
                if !m.is_mutable() {
                    return Err(Some(m.frozen));
                }
                let key = match &item {
                    Value::Object(o) => match o.as_any().downcast_ref::<MapEntry>() {
                        Some(e) => e.key.clone(),
                        None => item.clone(),
                    },
                    other => other.clone(),
                };
                m.remove(&key);
            }
            _ => return Err(None),
        }
        s.removed += 1;
        s.can_remove = false;
        if let Some(n) = s.expected.as_mut() {
            *n = n.saturating_sub(1);
        }
        Ok(())
    }
}

impl JavaObject for Iter {
    fn class_name(&self) -> &str {
        self.class
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        format!(
            "{}@{:x}",
            self.class,
            self as *const Self as usize & 0xffff_ffff
        )
    }
}

/// What a [`MapView`] shows of its map.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ViewKind {
    Keys,
    Values,
    Entries,
}

/// A live view of a map: `keySet()`, `values()`, `entrySet()`. Reads see the map as it is now;
/// removals through the view (`remove`, `removeIf`, `retainAll`, `clear`, the iterator's
/// `remove`) change the map; additions throw `UnsupportedOperationException`, as the JDK's.
pub struct MapView {
    pub map: MapRef,
    pub kind: ViewKind,
}

impl MapView {
    pub fn value_of(map: MapRef, kind: ViewKind) -> Value {
        Value::Object(Rc::new(MapView { map, kind }))
    }

    /// The elements as the view shows them now, in the map's iteration order.
    pub fn items(&self) -> Vec<Value> {
        match self.kind {
            ViewKind::Keys => self.map.borrow().keys(),
            ViewKind::Values => self.map.borrow().values(),
            ViewKind::Entries => {
                let pairs: Vec<(Value, Value)> = self.map.borrow().iter().collect();
                pairs
                    .into_iter()
                    .map(|(k, v)| MapEntry::value_of(k, v, Some(self.map.clone())))
                    .collect()
            }
        }
    }

    /// The map key an element of the view stands for.
    pub fn key_of(&self, element: &Value) -> Option<Value> {
        match self.kind {
            ViewKind::Keys => Some(element.clone()),
            ViewKind::Entries => match element {
                Value::Object(o) => o.as_any().downcast_ref::<MapEntry>().map(|e| e.key.clone()),
                _ => None,
            },
            ViewKind::Values => {
                let m = self.map.borrow();
                let found = m
                    .iter()
                    .find(|(_, v)| v.java_equals(element))
                    .map(|(k, _)| k);
                found
            }
        }
    }

    pub fn contains(&self, element: &Value) -> bool {
        let m = self.map.borrow();
        match self.kind {
            ViewKind::Keys => m.contains_key(element),
            ViewKind::Values => m.values().iter().any(|v| v.java_equals(element)),
            ViewKind::Entries => match element {
                Value::Object(o) => o.as_any().downcast_ref::<MapEntry>().is_some_and(|e| {
                    m.get(&e.key)
                        .is_some_and(|v| v.java_equals(&e.value.borrow()))
                }),
                _ => false,
            },
        }
    }
}

impl JavaObject for MapView {
    fn class_name(&self) -> &str {
        match self.kind {
            ViewKind::Keys => "java.util.HashMap$KeySet",
            ViewKind::Values => "java.util.HashMap$Values",
            ViewKind::Entries => "java.util.HashMap$EntrySet",
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        let parts: Vec<String> = self.items().iter().map(Value::java_to_string).collect();
        format!("[{}]", parts.join(", "))
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        match other.as_any().downcast_ref::<MapView>() {
            Some(o) => {
                let (a, b) = (self.items(), o.items());
                a.len() == b.len()
                    && a.iter().all(|x| o.contains(x))
                    && b.iter().all(|x| self.contains(x))
            }
            None => false,
        }
    }
    fn java_hash_code(&self) -> i32 {
        self.items()
            .iter()
            .fold(0i32, |h, v| h.wrapping_add(v.java_hash_code()))
    }
    /// XContentBuilder writes a key set or values collection as an array (an entry set has no
    /// JSON form).
    fn to_document_value(&self) -> Option<Value> {
        match self.kind {
            ViewKind::Entries => None,
            _ => Some(Value::list_from(self.items())),
        }
    }
}

fn source_len(v: &Value) -> Option<usize> {
    match v {
        Value::List(l) => Some(l.borrow().items.len()),
        Value::Set(s) => Some(s.borrow().len()),
        Value::Map(m) => Some(m.borrow().len()),
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<MapView>()
            .map(|v| v.map.borrow().len()),
        _ => None,
    }
}

/// A `Map.Entry` of a map's `entrySet()`: `setValue` writes through to the map.
pub struct MapEntry {
    pub key: Value,
    pub value: RefCell<Value>,
    pub map: Option<MapRef>,
    /// A snapshot entry (`TreeMap.firstEntry()`...): `setValue` throws.
    pub snapshot: bool,
}

impl MapEntry {
    pub fn value_of(key: Value, value: Value, map: Option<MapRef>) -> Value {
        Value::Object(Rc::new(MapEntry {
            key,
            value: RefCell::new(value),
            map,
            snapshot: false,
        }))
    }

    /// An immutable snapshot of a mapping (`AbstractMap.SimpleImmutableEntry`).
    pub fn snapshot(key: Value, value: Value) -> Value {
        Value::Object(Rc::new(MapEntry {
            key,
            value: RefCell::new(value),
            map: None,
            snapshot: true,
        }))
    }
}

impl JavaObject for MapEntry {
    fn class_name(&self) -> &str {
        "java.util.HashMap$Node"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        format!(
            "{}={}",
            self.key.java_to_string(),
            self.value.borrow().java_to_string()
        )
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        match other.as_any().downcast_ref::<MapEntry>() {
            Some(o) => {
                self.key.java_equals(&o.key) && self.value.borrow().java_equals(&o.value.borrow())
            }
            None => false,
        }
    }
    fn java_hash_code(&self) -> i32 {
        self.key.java_hash_code() ^ self.value.borrow().java_hash_code()
    }
}

/// `java.lang.StringBuilder` (UTF-16 code units, as Java's).
pub struct StringBuilder {
    pub units: RefCell<Vec<u16>>,
    /// A `java.lang.StringBuffer` (same methods, synchronized in Java).
    pub buffer: bool,
}

impl StringBuilder {
    pub fn value_of(s: &str) -> Value {
        Value::Object(Rc::new(StringBuilder {
            units: RefCell::new(s.encode_utf16().collect()),
            buffer: false,
        }))
    }

    pub fn buffer_of(s: &str) -> Value {
        Value::Object(Rc::new(StringBuilder {
            units: RefCell::new(s.encode_utf16().collect()),
            buffer: true,
        }))
    }
}

impl JavaObject for StringBuilder {
    fn class_name(&self) -> &str {
        if self.buffer {
            "java.lang.StringBuffer"
        } else {
            "java.lang.StringBuilder"
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        String::from_utf16_lossy(&self.units.borrow())
    }
}

/// `java.util.Optional` (and `OptionalInt`/`Long`/`Double`, by class name).
pub struct Optional {
    pub class: &'static str,
    pub value: Option<Value>,
}

impl Optional {
    pub fn value_of(class: &'static str, value: Option<Value>) -> Value {
        Value::Object(Rc::new(Optional { class, value }))
    }
}

impl JavaObject for Optional {
    fn class_name(&self) -> &str {
        self.class
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        let simple = self.class.rsplit('.').next().unwrap_or(self.class);
        match &self.value {
            Some(v) => format!("{simple}[{}]", v.java_to_string()),
            None => format!("{simple}.empty"),
        }
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        match other.as_any().downcast_ref::<Optional>() {
            Some(o) => {
                self.class == o.class
                    && match (&self.value, &o.value) {
                        (Some(a), Some(b)) => a.java_equals(b),
                        (None, None) => true,
                        _ => false,
                    }
            }
            None => false,
        }
    }
    fn java_hash_code(&self) -> i32 {
        self.value.as_ref().map_or(0, Value::java_hash_code)
    }
}

/// `java.util.StringJoiner`.
pub struct StringJoiner {
    pub delimiter: String,
    pub prefix: String,
    pub suffix: String,
    pub parts: RefCell<Option<String>>,
    pub empty_value: RefCell<Option<String>>,
}

impl StringJoiner {
    pub fn render(&self) -> String {
        match &*self.parts.borrow() {
            Some(p) => format!("{}{p}{}", self.prefix, self.suffix),
            None => match &*self.empty_value.borrow() {
                Some(e) => e.clone(),
                None => format!("{}{}", self.prefix, self.suffix),
            },
        }
    }
}

impl JavaObject for StringJoiner {
    fn class_name(&self) -> &str {
        "java.util.StringJoiner"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        self.render()
    }
}

/// A stateless object identified by its class alone (`Base64.getEncoder()`, comparators such
/// as `Comparator.naturalOrder()`...), with a variant tag.
pub struct Token {
    pub class: &'static str,
    pub tag: &'static str,
}

impl Token {
    pub fn value_of(class: &'static str, tag: &'static str) -> Value {
        Value::Object(Rc::new(Token { class, tag }))
    }
}

impl JavaObject for Token {
    fn class_name(&self) -> &str {
        self.class
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        format!(
            "{}@{:x}",
            self.class,
            self as *const Self as usize & 0xffff_ffff
        )
    }
}

/// The tag of a [`Token`] value of the given class.
pub(crate) fn token_tag<'a>(v: &'a Value, class: &str) -> Option<&'a str> {
    match v {
        Value::Object(o) if o.class_name() == class => {
            o.as_any().downcast_ref::<Token>().map(|t| t.tag)
        }
        _ => None,
    }
}
