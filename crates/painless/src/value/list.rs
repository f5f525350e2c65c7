//! Lists, sets and arrays.

use std::cell::RefCell;
use std::rc::Rc;

use super::map::{JMap, MapKind};
use super::Value;

pub type ListRef = Rc<RefCell<JList>>;
pub type SetRef = Rc<RefCell<JSet>>;
pub type ArrayRef = Rc<RefCell<JArray>>;

/// Which `java.util.List` implementation a list is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    ArrayList,
    LinkedList,
    /// `List.of`, `Collections.unmodifiableList`, `Arrays.asList`-like views that refuse changes.
    Unmodifiable,
}

impl ListKind {
    pub fn class_name(self) -> &'static str {
        match self {
            ListKind::ArrayList => "java.util.ArrayList",
            ListKind::LinkedList => "java.util.LinkedList",
            ListKind::Unmodifiable => "java.util.ImmutableCollections$ListN",
        }
    }
}

#[derive(Clone, Debug)]
pub struct JList {
    pub kind: ListKind,
    pub items: Vec<Value>,
    /// Temporarily read-only (an ingest condition's view of the document): every change must
    /// throw `UnsupportedOperationException`, as for [`ListKind::Unmodifiable`].
    pub frozen: bool,
}

impl JList {
    pub fn new(kind: ListKind) -> JList {
        JList {
            kind,
            items: Vec::new(),
            frozen: false,
        }
    }

    pub fn from_vec(kind: ListKind, items: Vec<Value>) -> JList {
        JList {
            kind,
            items,
            frozen: false,
        }
    }

    /// Whether changes are allowed (not unmodifiable, not frozen).
    pub fn is_mutable(&self) -> bool {
        !self.frozen && self.kind != ListKind::Unmodifiable
    }
}

/// Which `java.util.Set` implementation a set is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetKind {
    Hash,
    Linked,
    Tree,
    Unmodifiable,
}

impl SetKind {
    pub fn class_name(self) -> &'static str {
        match self {
            SetKind::Hash => "java.util.HashSet",
            SetKind::Linked => "java.util.LinkedHashSet",
            SetKind::Tree => "java.util.TreeSet",
            SetKind::Unmodifiable => "java.util.ImmutableCollections$SetN",
        }
    }

    fn map_kind(self) -> MapKind {
        match self {
            SetKind::Hash | SetKind::Unmodifiable => MapKind::Hash,
            SetKind::Linked => MapKind::Linked,
            SetKind::Tree => MapKind::Tree,
        }
    }
}

/// A set, backed by a map as Java's `HashSet` is by a `HashMap` (so it iterates in the same order).
#[derive(Clone, Debug)]
pub struct JSet {
    pub kind: SetKind,
    map: JMap,
    /// Temporarily read-only, as [`JList::frozen`].
    pub frozen: bool,
}

impl JSet {
    pub fn new(kind: SetKind) -> JSet {
        JSet {
            kind,
            map: JMap::new(kind.map_kind()),
            frozen: false,
        }
    }

    /// Whether changes are allowed (not unmodifiable, not frozen).
    pub fn is_mutable(&self) -> bool {
        !self.frozen && self.kind != SetKind::Unmodifiable
    }

    /// Adds a value; `true` when it was not there (`Set.add`).
    pub fn insert(&mut self, v: Value) -> bool {
        if self.map.contains_key(&v) {
            return false;
        }
        self.map.insert(v, Value::Boolean(true));
        true
    }

    pub fn remove(&mut self, v: &Value) -> bool {
        self.map.remove(v).is_some()
    }

    pub fn contains(&self, v: &Value) -> bool {
        self.map.contains_key(v)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// The elements in storage order, without copying them.
    pub fn iter_unordered(&self) -> impl Iterator<Item = &Value> + '_ {
        self.map.keys_unordered()
    }

    /// The elements in Java's iteration order.
    pub fn iter(&self) -> impl Iterator<Item = Value> + '_ {
        self.map.iter().map(|(k, _)| k)
    }

    pub fn java_equals(&self, other: &JSet) -> bool {
        self.len() == other.len() && self.iter().all(|v| other.contains(&v))
    }
}

/// A Java array: fixed length, with an element type (`int`, `java.lang.String`, `def`, ...).
#[derive(Clone, Debug)]
pub struct JArray {
    /// The element type as Painless names it: `int`, `long`, `String`, `def`, `int[]` ...
    pub element_type: Rc<str>,
    pub items: Vec<Value>,
}

impl JArray {
    pub fn new(element_type: Rc<str>, items: Vec<Value>) -> JArray {
        JArray {
            element_type,
            items,
        }
    }

    /// The JVM descriptor of the array's class (`I`, `Ljava.lang.String;`, ...), for `toString`.
    pub fn descriptor(&self) -> String {
        fn code(t: &str) -> String {
            if let Some(inner) = t.strip_suffix("[]") {
                return format!("[{}", code(inner));
            }
            match t {
                "int" => "I".into(),
                "long" => "J".into(),
                "short" => "S".into(),
                "byte" => "B".into(),
                "char" => "C".into(),
                "float" => "F".into(),
                "double" => "D".into(),
                "boolean" => "Z".into(),
                "def" | "Object" => "Ljava.lang.Object;".into(),
                "String" => "Ljava.lang.String;".into(),
                other => format!("L{other};"),
            }
        }
        code(&self.element_type)
    }

    /// The class name Painless reports for the array (`int[]`, `String[]`, `def[]`...).
    pub fn class_name_static(&self) -> &'static str {
        super::leak_class_name(&format!("{}[]", self.element_type))
    }
}
