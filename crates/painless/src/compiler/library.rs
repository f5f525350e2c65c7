//! The compiler's view of the allowlist (painless-stdlib's [`crate::allowlist`]): classes with
//! their supertypes, methods with their native implementations ([`crate::stdlib::resolve`]),
//! fields and constructors, converted to the compiler's types once per script context.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::types::{Ty, P};
use crate::allowlist::{self, Allowlist, Type};
use crate::value::Value;
use crate::Context;

pub(crate) use crate::stdlib::{Host, NativeFn, Thrown};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Cls(pub u32);

#[derive(Debug)]
pub(crate) struct ClassInfo {
    pub(crate) painless_name: String,
    pub(crate) java_name: String,
}

#[derive(Clone, Debug)]
pub(crate) struct MethodInfo {
    pub(crate) class: Cls,
    pub(crate) name: String,
    pub(crate) params: Vec<Ty>,
    pub(crate) ret: Ty,
    pub(crate) native: Option<NativeFn>,
    /// The casts of `def` arguments to the parameters (a call on a `def` receiver).
    pub(crate) def_casts: Vec<Option<super::types::CastOp>>,
}

/// Class -> method name -> (arity, index into `Library::methods`).
type DynamicCache = HashMap<u32, HashMap<Box<str>, Vec<(usize, Option<usize>)>, Fast>, Fast>;
type Fast = crate::value::map::JavaHashing;

pub(crate) struct Library {
    al: &'static Allowlist,
    classes: Vec<ClassInfo>,
    /// By allowlist MethodId.
    methods: Vec<MethodInfo>,
    object: Cls,
    number: Cls,
    string: Cls,
    boxes: [Cls; 8],
    /// Script-visible names (hidden runtime classes excluded).
    names: HashMap<String, Cls>,
    /// Classes of the collection kinds, for [`Library::runtime_class`] without a name lookup.
    kinds: HashMap<&'static str, Cls>,
    /// Dynamic method lookups already made: class -> name -> (arity, method index).
    dynamic: std::sync::RwLock<DynamicCache>,
}

fn ty_of(t: &Type) -> Ty {
    match t {
        Type::Void => Ty::Void,
        Type::Boolean => Ty::Prim(P::Boolean),
        Type::Byte => Ty::Prim(P::Byte),
        Type::Short => Ty::Prim(P::Short),
        Type::Char => Ty::Prim(P::Char),
        Type::Int => Ty::Prim(P::Int),
        Type::Long => Ty::Prim(P::Long),
        Type::Float => Ty::Prim(P::Float),
        Type::Double => Ty::Prim(P::Double),
        Type::Def => Ty::Def,
        Type::Class(c) => Ty::Class(Cls(c.0)),
        Type::Array(e) => Ty::Array(Box::new(ty_of(e))),
    }
}

impl Library {
    pub(crate) fn for_context(context: Context) -> &'static Library {
        static INGEST: OnceLock<Library> = OnceLock::new();
        static OTHER: OnceLock<Library> = OnceLock::new();
        match context {
            Context::Ingest => INGEST.get_or_init(|| Library::build(context)),
            Context::IngestCondition | Context::PainlessTest => {
                OTHER.get_or_init(|| Library::build(context))
            }
        }
    }

    fn build(context: Context) -> Library {
        let al = allowlist::for_context(context);
        let classes: Vec<ClassInfo> = al
            .classes()
            .iter()
            .map(|c| ClassInfo {
                painless_name: c.painless_name.clone(),
                java_name: c.java_name.clone(),
            })
            .collect();
        let mut names = HashMap::new();
        for c in al.classes() {
            if !c.hidden {
                names.insert(c.painless_name.clone(), Cls(c.id.0));
            }
        }
        let methods = al
            .methods()
            .iter()
            .map(|m| MethodInfo {
                class: Cls(m.class.0),
                name: m.name.clone(),
                params: m.params.iter().map(ty_of).collect(),
                ret: ty_of(&m.ret),
                native: crate::stdlib::resolve(m),
                def_casts: Vec::new(),
            })
            .collect();
        let c = |n: &str| -> Cls {
            Cls(al
                .class_by_name(n)
                .unwrap_or_else(|| panic!("the allowlist has no {n}"))
                .id
                .0)
        };
        let mut kinds = HashMap::new();
        for name in [
            "java.util.ArrayList",
            "java.util.LinkedList",
            "java.util.ImmutableCollections$ListN",
            "java.util.HashMap",
            "java.util.LinkedHashMap",
            "java.util.TreeMap",
            "java.util.ImmutableCollections$MapN",
            "java.util.HashSet",
            "java.util.LinkedHashSet",
            "java.util.TreeSet",
            "java.util.ImmutableCollections$SetN",
        ] {
            if let Some(c) = al.class_by_name(name) {
                kinds.insert(name, Cls(c.id.0));
            }
        }
        let mut lib = Library {
            al,
            classes,
            methods,
            object: c("Object"),
            number: c("Number"),
            string: c("String"),
            boxes: [
                c("Boolean"),
                c("Byte"),
                c("Short"),
                c("Character"),
                c("Integer"),
                c("Long"),
                c("Float"),
                c("Double"),
            ],
            names,
            kinds,
            dynamic: std::sync::RwLock::new(HashMap::with_hasher(Fast::default())),
        };
        let casts: Vec<Vec<Option<super::types::CastOp>>> = lib
            .methods
            .iter()
            .map(|m| {
                m.params
                    .iter()
                    .map(|p| {
                        super::types::legal_cast(&lib, &Ty::Def, p, false, true)
                            .ok()
                            .flatten()
                    })
                    .collect()
            })
            .collect();
        for (m, c) in lib.methods.iter_mut().zip(casts) {
            m.def_casts = c;
        }
        lib
    }

    pub(crate) fn class(&self, c: Cls) -> &ClassInfo {
        &self.classes[c.0 as usize]
    }
    pub(crate) fn class_by_name(&self, name: &str) -> Option<Cls> {
        if let Some(c) = self.names.get(name) {
            return Some(*c);
        }
        // Canonical names (`java.util.Map.Entry`) as upstream also accepts them.
        match self.al.class_by_name(name) {
            Some(c) if !c.hidden && name.contains('.') && !name.contains('$') => Some(Cls(c.id.0)),
            _ => None,
        }
    }
    pub(crate) fn object(&self) -> Cls {
        self.object
    }
    pub(crate) fn number(&self) -> Cls {
        self.number
    }
    pub(crate) fn string(&self) -> Cls {
        self.string
    }
    pub(crate) fn boxed(&self, p: P) -> Cls {
        self.boxes[p_index(p)]
    }
    pub(crate) fn unboxed(&self, c: Cls) -> Option<P> {
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

    pub(crate) fn is_subclass(&self, c: Cls, of: Cls) -> bool {
        self.al
            .is_assignable(allowlist::ClassId(c.0), allowlist::ClassId(of.0))
    }

    /// `expected.isAssignableFrom(actual)` for reference types (arrays included).
    pub(crate) fn is_assignable(&self, actual: &Ty, expected: &Ty) -> bool {
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
    pub(crate) fn runtime_class(&self, v: &Value) -> Option<Cls> {
        let known = match v {
            Value::Null | Value::Array(_) => return None,
            Value::String(_) => Some(self.string),
            Value::Boolean(_) => Some(self.boxes[0]),
            Value::Byte(_) => Some(self.boxes[1]),
            Value::Short(_) => Some(self.boxes[2]),
            Value::Char(_) => Some(self.boxes[3]),
            Value::Int(_) => Some(self.boxes[4]),
            Value::Long(_) => Some(self.boxes[5]),
            Value::Float(_) => Some(self.boxes[6]),
            Value::Double(_) => Some(self.boxes[7]),
            Value::List(l) => self.kinds.get(l.borrow().kind.class_name()).copied(),
            Value::Map(m) => self.kinds.get(m.borrow().kind().class_name()).copied(),
            Value::Set(s) => self.kinds.get(s.borrow().kind.class_name()).copied(),
            Value::Object(_) => None,
        };
        Some(known.unwrap_or_else(|| Cls(self.al.class_of(v).0)))
    }

    /// [`Library::method`] for calls on `def` receivers, remembered per class and name.
    pub(crate) fn method_dynamic(&self, c: Cls, name: &str, arity: usize) -> Option<&MethodInfo> {
        if let Ok(cache) = self.dynamic.read() {
            if let Some(found) = cache
                .get(&c.0)
                .and_then(|by_name| by_name.get(name))
                .and_then(|arities| arities.iter().find(|(a, _)| *a == arity))
            {
                return found.1.map(|i| &self.methods[i]);
            }
        }
        let index = self
            .al
            .method(allowlist::ClassId(c.0), name, arity)
            .map(|m| m.id.0 as usize);
        if let Ok(mut cache) = self.dynamic.write() {
            cache
                .entry(c.0)
                .or_insert_with(|| HashMap::with_hasher(Fast::default()))
                .entry(name.into())
                .or_default()
                .push((arity, index));
        }
        index.map(|i| &self.methods[i])
    }

    /// `value instanceof ty`.
    pub(crate) fn value_is(&self, v: &Value, ty: &Ty) -> bool {
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
                    None => false,
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
    pub(crate) fn type_by_name(&self, name: &str) -> Option<Ty> {
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

    fn info(&self, m: Option<&allowlist::Method>) -> Option<&MethodInfo> {
        m.map(|m| &self.methods[m.id.0 as usize])
    }

    /// An instance method (augmentations included, supertypes searched).
    pub(crate) fn method(&self, c: Cls, name: &str, arity: usize) -> Option<&MethodInfo> {
        self.info(self.al.method(allowlist::ClassId(c.0), name, arity))
    }
    pub(crate) fn static_method(&self, c: Cls, name: &str, arity: usize) -> Option<&MethodInfo> {
        self.info(self.al.static_method(allowlist::ClassId(c.0), name, arity))
    }
    pub(crate) fn constructor(&self, c: Cls, arity: usize) -> Option<&MethodInfo> {
        self.info(self.al.constructor(allowlist::ClassId(c.0), arity))
    }
    /// A static field: its type and value (`None` when it has no offline value).
    pub(crate) fn static_field(&self, c: Cls, name: &str) -> Option<(Ty, Option<Value>)> {
        let f = self.al.field(allowlist::ClassId(c.0), name)?;
        Some((ty_of(&f.ty), crate::stdlib::static_field(f)))
    }
    /// A statically imported method of the context (`static_import` in its allowlist files).
    pub(crate) fn imported_method(&self, name: &str, arity: usize) -> Option<&MethodInfo> {
        self.info(self.al.imported_method(name, arity))
    }

    /// The abstract method of a functional interface.
    pub(crate) fn functional_method(&self, c: Cls) -> Option<&MethodInfo> {
        self.info(self.al.functional_method(allowlist::ClassId(c.0)))
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
