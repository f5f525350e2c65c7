//! Maps, iterating as Java's do.
//!
//! A `java.util.HashMap` iterates bucket by bucket: the bucket of a key is
//! `(h ^ (h >>> 16)) & (capacity - 1)` with `h = key.hashCode()`, and within a bucket entries keep
//! the order they were inserted in. The capacity starts at 16 on the first insertion and doubles
//! whenever the size exceeds three quarters of it; it never shrinks. [`JMap`] keeps its entries in
//! insertion order and tracks the capacity the Java map would have, so that iterating a
//! [`MapKind::Hash`] map (and serialising a document) gives the order an OpenSearch node gives.
//! One case is not reproduced: a bucket of 8 or more colliding keys in a table of 64 or more,
//! which Java turns into a tree whose insertion order differs.
//! `LinkedHashMap` iterates in insertion order, `TreeMap` in key order (`compareTo`).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

use indexmap::IndexMap;

use super::{Key, Value};

pub type MapRef = Rc<RefCell<JMap>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapKind {
    Hash,
    Linked,
    Tree,
    /// `Map.of`, `Collections.unmodifiableMap`: refuses changes (iterates as a `HashMap` here).
    Unmodifiable,
}

impl MapKind {
    pub fn class_name(self) -> &'static str {
        match self {
            MapKind::Hash => "java.util.HashMap",
            MapKind::Linked => "java.util.LinkedHashMap",
            MapKind::Tree => "java.util.TreeMap",
            MapKind::Unmodifiable => "java.util.ImmutableCollections$MapN",
        }
    }
}

#[derive(Clone, Debug)]
pub struct JMap {
    kind: MapKind,
    entries: IndexMap<Key, Value, JavaHashing>,
    /// The table length Java's HashMap would have (0 before the first insertion).
    capacity: usize,
    /// Temporarily read-only (an ingest condition's view of the document): every change must
    /// throw `UnsupportedOperationException`, as for [`MapKind::Unmodifiable`].
    pub frozen: bool,
}

impl JMap {
    pub fn new(kind: MapKind) -> JMap {
        JMap {
            kind,
            entries: IndexMap::with_hasher(JavaHashing),
            capacity: 0,
            frozen: false,
        }
    }

    /// `new HashMap<>(initialCapacity)`: Java rounds the capacity up to a power of two.
    pub fn with_capacity(kind: MapKind, initial_capacity: usize) -> JMap {
        JMap {
            kind,
            entries: IndexMap::with_capacity_and_hasher(initial_capacity, JavaHashing),
            capacity: table_size_for(initial_capacity),
            frozen: false,
        }
    }

    /// `new HashMap<>(other)`: sized for the other map's entries, then filled in its order. The
    /// size is `ceil(size / 0.75)` rounded up to a power of two, as `HashMap.putMapEntries` does
    /// since JDK 19 (JDK-8281631; OpenSearch 2.19 runs on JDK 21).
    pub fn copy_of(kind: MapKind, other: &JMap) -> JMap {
        let wanted = ((other.len() as f64) / 0.75).ceil() as usize;
        let mut map = JMap {
            kind,
            entries: IndexMap::with_capacity_and_hasher(other.len(), JavaHashing),
            capacity: 0,
            frozen: false,
        };
        if !other.is_empty() {
            map.capacity = table_size_for(wanted);
        }
        for (k, v) in other.iter() {
            map.insert(k, v);
        }
        map
    }

    /// Whether changes are allowed (not unmodifiable, not frozen).
    pub fn is_mutable(&self) -> bool {
        !self.frozen && self.kind != MapKind::Unmodifiable
    }

    pub fn kind(&self) -> MapKind {
        self.kind
    }

    pub fn set_kind(&mut self, kind: MapKind) {
        self.kind = kind;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &Value) -> Option<&Value> {
        self.entries.get(&KeyRef(key))
    }

    /// `get` of a string key, without allocating one.
    pub fn get_str(&self, key: &str) -> Option<&Value> {
        self.entries.get(&StrKey(key))
    }

    pub fn get_mut(&mut self, key: &Value) -> Option<&mut Value> {
        self.entries.get_mut(&KeyRef(key))
    }

    pub fn contains_key(&self, key: &Value) -> bool {
        self.entries.contains_key(&KeyRef(key))
    }

    /// The keys in storage order (not Java's iteration order), without copying them.
    pub fn keys_unordered(&self) -> impl Iterator<Item = &Value> + '_ {
        self.entries.keys().map(|k| &k.0)
    }

    /// The values in storage order (not Java's iteration order), without copying them.
    pub fn values_unordered(&self) -> impl Iterator<Item = &Value> + '_ {
        self.entries.values()
    }

    /// `put`: the previous value, if any. An existing key keeps its place.
    pub fn insert(&mut self, key: Value, value: Value) -> Option<Value> {
        let previous = self.entries.insert(Key(key), value);
        if previous.is_none() {
            self.grow();
        }
        previous
    }

    pub fn insert_str(&mut self, key: &str, value: Value) -> Option<Value> {
        self.insert(Value::string(key), value)
    }

    /// `remove`: the removed value, if any. The others keep their order.
    pub fn remove(&mut self, key: &Value) -> Option<Value> {
        self.entries.shift_remove(&Key(key.clone()))
    }

    pub fn remove_str(&mut self, key: &str) -> Option<Value> {
        self.remove(&Value::string(key))
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    fn grow(&mut self) {
        if self.capacity == 0 {
            self.capacity = 16;
        }
        while self.entries.len() > self.capacity * 3 / 4 {
            self.capacity *= 2;
        }
    }

    /// The entries in the order Java iterates them.
    pub fn iter(&self) -> impl Iterator<Item = (Value, Value)> + '_ {
        self.order().into_iter().map(move |i| {
            let (k, v) = self.entries.get_index(i).expect("index in range");
            (k.0.clone(), v.clone())
        })
    }

    /// The keys in the order Java iterates them.
    pub fn keys(&self) -> Vec<Value> {
        self.order()
            .into_iter()
            .map(|i| self.entries.get_index(i).expect("index").0 .0.clone())
            .collect()
    }

    /// The values in the order Java iterates them.
    pub fn values(&self) -> Vec<Value> {
        self.order()
            .into_iter()
            .map(|i| self.entries.get_index(i).expect("index").1.clone())
            .collect()
    }

    /// Positions into `entries` in iteration order.
    fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.entries.len()).collect();
        match self.kind {
            MapKind::Linked => {}
            MapKind::Hash | MapKind::Unmodifiable => {
                let mask = self.capacity.max(1) - 1;
                let buckets: Vec<usize> = self
                    .entries
                    .keys()
                    .map(|k| {
                        let h = k.0.java_hash_code() as u32;
                        ((h ^ (h >> 16)) as usize) & mask
                    })
                    .collect();
                order.sort_by_key(|&i| buckets[i]);
            }
            MapKind::Tree => {
                let keys: Vec<&Value> = self.entries.keys().map(|k| &k.0).collect();
                order.sort_by(|&a, &b| natural_order(keys[a], keys[b]));
            }
        }
        order
    }

    pub fn deep_copy(&self) -> JMap {
        let mut copy = JMap {
            kind: self.kind,
            entries: IndexMap::with_capacity_and_hasher(self.len(), JavaHashing),
            capacity: self.capacity,
            frozen: false,
        };
        for (k, v) in &self.entries {
            copy.entries.insert(k.clone(), v.deep_copy());
        }
        copy
    }

    pub fn java_equals(&self, other: &JMap) -> bool {
        self.len() == other.len()
            && self
                .entries
                .iter()
                .all(|(k, v)| other.entries.get(k).is_some_and(|w| v.java_equals(w)))
    }

    pub fn java_hash_code(&self) -> i32 {
        self.entries.iter().fold(0i32, |h, (k, v)| {
            h.wrapping_add(k.0.java_hash_code() ^ v.java_hash_code())
        })
    }
}

/// Keys hash to their Java `hashCode()` (an `i32`, see [`Key`]): the table only has to spread
/// that, which a multiplication does (SipHash would rehash four bytes at many times the cost).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct JavaHashing;

impl std::hash::BuildHasher for JavaHashing {
    type Hasher = JavaHasher;
    fn build_hasher(&self) -> JavaHasher {
        JavaHasher(0)
    }
}

#[derive(Default)]
pub(crate) struct JavaHasher(u64);

impl std::hash::Hasher for JavaHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_i32(&mut self, i: i32) {
        // Fibonacci hashing of the Java hash code, folded so that the low bits (the bucket) as
        // well as the high bits (hashbrown's tag) depend on every bit of it.
        let x = (self.0 ^ u64::from(i as u32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = x ^ (x >> 29);
    }
}

/// A borrowed key, hashed and compared as [`Key`] (lookups without cloning the key).
struct KeyRef<'a>(&'a Value);

impl std::hash::Hash for KeyRef<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_i32(self.0.java_hash_code());
    }
}

impl indexmap::Equivalent<Key> for KeyRef<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        self.0.java_equals(&key.0)
    }
}

/// A borrowed string key, hashed as a `java.lang.String` key.
struct StrKey<'a>(&'a str);

impl std::hash::Hash for StrKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_i32(super::string_hash_code(self.0));
    }
}

impl indexmap::Equivalent<Key> for StrKey<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        matches!(&key.0, Value::String(s) if &**s == self.0)
    }
}

/// `HashMap.tableSizeFor`: the next power of two, at least 1.
fn table_size_for(n: usize) -> usize {
    n.max(1).next_power_of_two()
}

/// `Comparable.compareTo` between two keys of a `TreeMap` (strings by UTF-16 code units,
/// numbers of the same class by value). Keys of different classes throw in Java; here they
/// order by class name so that iteration stays total.
pub fn natural_order(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.encode_utf16().cmp(y.encode_utf16()),
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Long(x), Value::Long(y)) => x.cmp(y),
        (Value::Short(x), Value::Short(y)) => x.cmp(y),
        (Value::Byte(x), Value::Byte(y)) => x.cmp(y),
        (Value::Char(x), Value::Char(y)) => x.cmp(y),
        (Value::Boolean(x), Value::Boolean(y)) => x.cmp(y),
        (Value::Double(x), Value::Double(y)) => java_double_compare(*x, *y),
        (Value::Float(x), Value::Float(y)) => java_double_compare(f64::from(*x), f64::from(*y)),
        _ => a
            .class_name()
            .unwrap_or("")
            .cmp(b.class_name().unwrap_or("")),
    }
}

/// `Double.compare`: -0.0 before 0.0, NaN after everything, NaN equal to NaN.
pub fn java_double_compare(x: f64, y: f64) -> Ordering {
    if x < y {
        Ordering::Less
    } else if x > y {
        Ordering::Greater
    } else {
        super::double_bits(x).cmp(&super::double_bits(y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(m: &JMap) -> Vec<String> {
        m.keys().iter().map(Value::java_to_string).collect()
    }

    #[test]
    fn hash_map_iterates_by_bucket_as_java_does() {
        // In Java: new HashMap<>() with these puts iterates {a, b, c, aa, bb}
        // ("a"=97 -> bucket 1, "b" -> 2, "c" -> 3, "aa"=3104 -> 0, "bb"=3136 -> 0).
        let mut m = JMap::new(MapKind::Hash);
        for k in ["a", "b", "c", "aa", "bb"] {
            m.insert_str(k, Value::Int(1));
        }
        assert_eq!(keys(&m), ["aa", "bb", "a", "b", "c"]);
    }

    #[test]
    fn hash_map_resizes_at_three_quarters() {
        let mut m = JMap::new(MapKind::Hash);
        for i in 0..13 {
            m.insert(Value::Int(i * 16), Value::Null);
        }
        // 13 > 12: the table doubled to 32, so 16 moved to bucket 16 and iterates after 0, 32, ...
        let order: Vec<String> = keys(&m);
        assert_eq!(order[0], "0");
        assert_eq!(m.capacity, 32);
    }

    #[test]
    fn linked_and_tree_orders() {
        let mut linked = JMap::new(MapKind::Linked);
        let mut tree = JMap::new(MapKind::Tree);
        for k in ["b", "a", "c"] {
            linked.insert_str(k, Value::Null);
            tree.insert_str(k, Value::Null);
        }
        assert_eq!(keys(&linked), ["b", "a", "c"]);
        assert_eq!(keys(&tree), ["a", "b", "c"]);
    }

    #[test]
    fn double_compare_matches_java() {
        assert_eq!(java_double_compare(-0.0, 0.0), Ordering::Less);
        assert_eq!(java_double_compare(f64::NAN, 1.0), Ordering::Greater);
        assert_eq!(java_double_compare(1.0, 2.0), Ordering::Less);
        assert_eq!(java_double_compare(2.0, 2.0), Ordering::Equal);
    }
}
