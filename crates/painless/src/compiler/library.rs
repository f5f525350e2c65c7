//! The compiler's view of the allowlist: classes (with their supertypes), methods, fields and
//! constructors, and the native implementations behind them. Everything the compiler and the
//! interpreter ask about the class library goes through [`Library`].

use std::collections::HashMap;
use std::sync::OnceLock;

use super::types::{Ty, P};
use crate::value::{Exception, Value};
use crate::Context;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Cls(pub u32);

#[derive(Debug)]
pub(crate) struct ClassInfo {
    pub painless_name: String,
    pub java_name: String,
    /// Every supertype (not the class itself).
    pub supers: Vec<Cls>,
    pub is_interface: bool,
}

/// What a thrown value is while it propagates: a Java exception, or the engine's refusal.
#[derive(Clone, Debug)]
pub enum Thrown {
    Exception(Exception),
    Unsupported(String),
}

/// What native methods can ask of the interpreter.
pub trait Host {
    /// Runs a lambda or method reference value with these arguments.
    fn call(&mut self, function: &Value, args: &[Value]) -> Result<Value, Thrown>;
    /// Counts one loop iteration against the loop counter.
    fn tick(&mut self) -> Result<(), Thrown>;
}

pub type NativeFn = fn(Option<&Value>, &[Value], &mut dyn Host) -> Result<Value, Thrown>;

#[derive(Clone, Debug)]
pub(crate) struct MethodInfo {
    pub class: Cls,
    pub name: String,
    pub params: Vec<Ty>,
    pub ret: Ty,
    pub is_static: bool,
    pub native: Option<NativeFn>,
}

pub(crate) struct Library {
    classes: Vec<ClassInfo>,
    by_painless: HashMap<String, Cls>,
    by_java: HashMap<String, Cls>,
    object: Cls,
    number: Cls,
    string: Cls,
    boxes: [Cls; 8],
}

/// Classes the language itself needs (boxes, String, Number, collections for shortcuts and
/// initializers, exceptions for catch). Upstream derives supertypes from the JVM classes; these
/// are the JDK's.
const CORE: &[(&str, &str, bool, &[&str])] = &[
    ("Object", "java.lang.Object", false, &[]),
    ("Number", "java.lang.Number", false, &["Object"]),
    ("CharSequence", "java.lang.CharSequence", true, &["Object"]),
    ("Comparable", "java.lang.Comparable", true, &["Object"]),
    ("Iterable", "java.lang.Iterable", true, &["Object"]),
    (
        "String",
        "java.lang.String",
        false,
        &["CharSequence", "Comparable", "Object"],
    ),
    (
        "Boolean",
        "java.lang.Boolean",
        false,
        &["Comparable", "Object"],
    ),
    (
        "Byte",
        "java.lang.Byte",
        false,
        &["Number", "Comparable", "Object"],
    ),
    (
        "Short",
        "java.lang.Short",
        false,
        &["Number", "Comparable", "Object"],
    ),
    (
        "Character",
        "java.lang.Character",
        false,
        &["Comparable", "Object"],
    ),
    (
        "Integer",
        "java.lang.Integer",
        false,
        &["Number", "Comparable", "Object"],
    ),
    (
        "Long",
        "java.lang.Long",
        false,
        &["Number", "Comparable", "Object"],
    ),
    (
        "Float",
        "java.lang.Float",
        false,
        &["Number", "Comparable", "Object"],
    ),
    (
        "Double",
        "java.lang.Double",
        false,
        &["Number", "Comparable", "Object"],
    ),
    (
        "Collection",
        "java.util.Collection",
        true,
        &["Iterable", "Object"],
    ),
    (
        "List",
        "java.util.List",
        true,
        &["Collection", "Iterable", "Object"],
    ),
    (
        "ArrayList",
        "java.util.ArrayList",
        false,
        &["List", "Collection", "Iterable", "Object"],
    ),
    (
        "LinkedList",
        "java.util.LinkedList",
        false,
        &["List", "Collection", "Iterable", "Object"],
    ),
    (
        "Set",
        "java.util.Set",
        true,
        &["Collection", "Iterable", "Object"],
    ),
    (
        "HashSet",
        "java.util.HashSet",
        false,
        &["Set", "Collection", "Iterable", "Object"],
    ),
    (
        "LinkedHashSet",
        "java.util.LinkedHashSet",
        false,
        &["HashSet", "Set", "Collection", "Iterable", "Object"],
    ),
    (
        "TreeSet",
        "java.util.TreeSet",
        false,
        &["Set", "Collection", "Iterable", "Object"],
    ),
    ("Map", "java.util.Map", true, &["Object"]),
    ("HashMap", "java.util.HashMap", false, &["Map", "Object"]),
    (
        "LinkedHashMap",
        "java.util.LinkedHashMap",
        false,
        &["HashMap", "Map", "Object"],
    ),
    ("TreeMap", "java.util.TreeMap", false, &["Map", "Object"]),
    ("Map.Entry", "java.util.Map$Entry", true, &["Object"]),
    ("Exception", "java.lang.Exception", false, &["Object"]),
    (
        "RuntimeException",
        "java.lang.RuntimeException",
        false,
        &["Exception", "Object"],
    ),
    (
        "IllegalArgumentException",
        "java.lang.IllegalArgumentException",
        false,
        &["RuntimeException", "Exception", "Object"],
    ),
    (
        "IllegalStateException",
        "java.lang.IllegalStateException",
        false,
        &["RuntimeException", "Exception", "Object"],
    ),
    (
        "ArithmeticException",
        "java.lang.ArithmeticException",
        false,
        &["RuntimeException", "Exception", "Object"],
    ),
    (
        "NullPointerException",
        "java.lang.NullPointerException",
        false,
        &["RuntimeException", "Exception", "Object"],
    ),
    (
        "ClassCastException",
        "java.lang.ClassCastException",
        false,
        &["RuntimeException", "Exception", "Object"],
    ),
    (
        "UnsupportedOperationException",
        "java.lang.UnsupportedOperationException",
        false,
        &["RuntimeException", "Exception", "Object"],
    ),
    (
        "IndexOutOfBoundsException",
        "java.lang.IndexOutOfBoundsException",
        false,
        &["RuntimeException", "Exception", "Object"],
    ),
    (
        "ArrayIndexOutOfBoundsException",
        "java.lang.ArrayIndexOutOfBoundsException",
        false,
        &[
            "IndexOutOfBoundsException",
            "RuntimeException",
            "Exception",
            "Object",
        ],
    ),
    (
        "StringIndexOutOfBoundsException",
        "java.lang.StringIndexOutOfBoundsException",
        false,
        &[
            "IndexOutOfBoundsException",
            "RuntimeException",
            "Exception",
            "Object",
        ],
    ),
    (
        "NumberFormatException",
        "java.lang.NumberFormatException",
        false,
        &[
            "IllegalArgumentException",
            "RuntimeException",
            "Exception",
            "Object",
        ],
    ),
    (
        "NegativeArraySizeException",
        "java.lang.NegativeArraySizeException",
        false,
        &["RuntimeException", "Exception", "Object"],
    ),
];

/// Runtime classes of values that are no allowlisted class themselves, mapped to the allowlisted
/// class whose methods they expose.
const ALIASES: &[(&str, &str)] = &[
    ("java.util.ImmutableCollections$ListN", "List"),
    ("java.util.ImmutableCollections$SetN", "Set"),
    ("java.util.ImmutableCollections$MapN", "Map"),
];

impl Library {
    pub fn for_context(context: Context) -> &'static Library {
        static INGEST: OnceLock<Library> = OnceLock::new();
        static OTHER: OnceLock<Library> = OnceLock::new();
        match context {
            Context::Ingest | Context::IngestCondition => INGEST.get_or_init(Library::build),
            Context::PainlessTest => OTHER.get_or_init(Library::build),
        }
    }

    fn build() -> Library {
        let mut lib = Library {
            classes: Vec::new(),
            by_painless: HashMap::new(),
            by_java: HashMap::new(),
            object: Cls(0),
            number: Cls(0),
            string: Cls(0),
            boxes: [Cls(0); 8],
        };
        for (name, java, iface, _) in CORE {
            let id = Cls(lib.classes.len() as u32);
            lib.classes.push(ClassInfo {
                painless_name: (*name).to_owned(),
                java_name: (*java).to_owned(),
                supers: Vec::new(),
                is_interface: *iface,
            });
            lib.by_painless.insert((*name).to_owned(), id);
            lib.by_java.insert((*java).to_owned(), id);
        }
        for (i, (_, _, _, supers)) in CORE.iter().enumerate() {
            let s = supers.iter().map(|n| lib.by_painless[*n]).collect();
            lib.classes[i].supers = s;
        }
        for (java, target) in ALIASES {
            let id = lib.by_painless[*target];
            lib.by_java.insert((*java).to_owned(), id);
        }
        let c = |n: &str| lib.by_painless[n];
        lib.object = c("Object");
        lib.number = c("Number");
        lib.string = c("String");
        lib.boxes = [
            c("Boolean"),
            c("Byte"),
            c("Short"),
            c("Character"),
            c("Integer"),
            c("Long"),
            c("Float"),
            c("Double"),
        ];
        lib
    }

    pub fn class(&self, c: Cls) -> &ClassInfo {
        &self.classes[c.0 as usize]
    }
    pub fn class_by_name(&self, name: &str) -> Option<Cls> {
        self.by_painless.get(name).copied()
    }
    pub fn object(&self) -> Cls {
        self.object
    }
    pub fn number(&self) -> Cls {
        self.number
    }
    pub fn string(&self) -> Cls {
        self.string
    }
    pub fn boxed(&self, p: P) -> Cls {
        self.boxes[p_index(p)]
    }
    pub fn unboxed(&self, c: Cls) -> Option<P> {
        self.boxes.iter().position(|b| *b == c).map(|i| {
            [
                P::Boolean,
                P::Byte,
                P::Short,
                P::Char,
                P::Int,
                P::Long,
                P::Float,
                P::Double,
            ][i]
        })
    }

    pub fn is_subclass(&self, c: Cls, of: Cls) -> bool {
        c == of || self.class(c).supers.contains(&of)
    }

    /// `expected.isAssignableFrom(actual)` for reference types (arrays included).
    pub fn is_assignable(&self, actual: &Ty, expected: &Ty) -> bool {
        match (actual, expected) {
            (_, Ty::Def) => true,
            (Ty::Def, _) => false,
            (Ty::Class(a), Ty::Class(e)) => self.is_subclass(*a, *e),
            (Ty::Array(_), Ty::Class(e)) => *e == self.object,
            (Ty::Array(a), Ty::Array(e)) => {
                let norm = |t: &Ty| match t {
                    Ty::Def => Ty::Class(self.object),
                    other => other.clone(),
                };
                let (a, e) = (norm(a), norm(e));
                if a.is_prim() || e.is_prim() {
                    a == e
                } else {
                    self.is_assignable(&a, &e)
                }
            }
            _ => false,
        }
    }

    /// The class of a runtime value (for `def` dispatch and instance checks); `None` for null
    /// and for arrays (see [`Library::value_is`]).
    pub fn runtime_class(&self, v: &Value) -> Option<Cls> {
        let name = match v {
            Value::Null | Value::Array(_) => return None,
            other => other.class_name()?,
        };
        self.by_java.get(name).copied()
    }

    /// `value instanceof ty`.
    pub fn value_is(&self, v: &Value, ty: &Ty) -> bool {
        match ty {
            Ty::Void => false,
            Ty::Def => !v.is_null(),
            Ty::Prim(p) => self.value_is(v, &Ty::Class(self.boxed(*p))),
            Ty::Class(c) => {
                if let Value::Array(_) = v {
                    return *c == self.object;
                }
                match self.runtime_class(v) {
                    Some(rc) => self.is_subclass(rc, *c),
                    None => !v.is_null() && *c == self.object,
                }
            }
            Ty::Array(_) => match v {
                Value::Array(a) => {
                    let name = a.borrow().element_type.clone();
                    match self.type_by_name(&name) {
                        Some(t) => self.is_assignable(&Ty::Array(Box::new(t)), ty),
                        None => false,
                    }
                }
                _ => false,
            },
        }
    }

    /// A type by its Painless name, with `[]` suffixes for arrays.
    pub fn type_by_name(&self, name: &str) -> Option<Ty> {
        if let Some(inner) = name.strip_suffix("[]") {
            return self.type_by_name(inner).map(|t| Ty::Array(Box::new(t)));
        }
        if name == "def" {
            return Some(Ty::Def);
        }
        if let Some(p) = P::from_name(name) {
            return Some(Ty::Prim(p));
        }
        self.class_by_name(name).map(Ty::Class)
    }

    /// An instance method (augmentations included, supertypes searched).
    pub fn method(&self, _c: Cls, _name: &str, _arity: usize) -> Option<MethodInfo> {
        None
    }
    pub fn static_method(&self, _c: Cls, _name: &str, _arity: usize) -> Option<MethodInfo> {
        None
    }
    pub fn constructor(&self, _c: Cls, _arity: usize) -> Option<MethodInfo> {
        None
    }
    /// A public field: (type, static getter for static fields).
    pub fn static_field(&self, _c: Cls, _name: &str) -> Option<(Ty, Value)> {
        None
    }
    /// The abstract method of a functional interface.
    pub fn functional_method(&self, _c: Cls) -> Option<MethodInfo> {
        None
    }
}

fn p_index(p: P) -> usize {
    match p {
        P::Boolean => 0,
        P::Byte => 1,
        P::Short => 2,
        P::Char => 3,
        P::Int => 4,
        P::Long => 5,
        P::Float => 6,
        P::Double => 7,
    }
}
