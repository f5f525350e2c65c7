//! The Painless allowlist: which classes, constructors, methods and fields a script may use.
//!
//! The table is read from upstream's allowlist files (`crates/painless/allowlist/*.txt`, copied
//! from `modules/lang-painless/src/main/resources/org/opensearch/painless/spi/` and ingest-common;
//! see `allowlist/PROVENANCE.txt`), parsed once per script context into an [`Allowlist`]. What the
//! files do not say, and upstream's `PainlessLookupBuilder` learns from the JVM by reflection, is
//! kept beside them as data too: the supertypes of each class (`supertypes.txt`), which methods are
//! static (`statics.txt`) and the abstract method of each functional interface (`functional.txt`).
//!
//! Lookup follows upstream `PainlessLookup`: Painless has no overloading by type, so a method is
//! found by name and arity; a class sees the methods of its supertypes unless it declares its own
//! (`PainlessLookupBuilder.copyPainlessClassMembers`), and an interface without superinterfaces
//! sees `Object`'s.

mod parse;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::value::Value;
use crate::Context;

pub use parse::ParseError;

/// A class of the allowlist (or a runtime class seen through its allowlisted supertypes).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct ClassId(pub u32);

/// A method or constructor of the allowlist.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct MethodId(pub u32);

#[derive(Clone, Debug)]
pub struct Class {
    pub id: ClassId,
    /// The name a script uses: the simple name (`String`, `Map.Entry`) unless `@no_import`, in
    /// which case the canonical name (`org.opensearch.script.ScoreScript`).
    pub painless_name: String,
    /// The Java binary name (`java.util.Map$Entry`).
    pub java_name: String,
    /// Direct supertypes: the superclass first (none for interfaces and `Object`), then the
    /// interfaces, as far as they are allowlisted.
    pub supers: Vec<ClassId>,
    pub is_interface: bool,
    /// A runtime class that is not allowlisted (`java.util.HashMap$Node`, ...): values may have
    /// it, scripts cannot name it.
    pub hidden: bool,
}

/// A Painless type, as the allowlist writes it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Type {
    Void,
    Boolean,
    Byte,
    Short,
    Char,
    Int,
    Long,
    Float,
    Double,
    Def,
    Class(ClassId),
    Array(Box<Type>),
}

#[derive(Clone, Debug)]
pub struct Method {
    pub id: MethodId,
    /// The class that declares the method (for an augmentation: the augmented class).
    pub class: ClassId,
    /// That class's Java name (`java.util.Collection`), which [`crate::stdlib::resolve`] keys on.
    pub java_class: String,
    /// The method name; `<init>` for a constructor.
    pub name: String,
    /// The parameters a script passes (injected constants excluded).
    pub params: Vec<Type>,
    pub ret: Type,
    pub is_static: bool,
    /// `Some(class)` for an augmented method implemented by a static method of another class
    /// (`org.opensearch.painless.api.Augmentation`).
    pub augmentation: Option<String>,
    /// `@inject_constant[1="regex_limit_factor"]`: the compiler settings passed before the
    /// script's arguments, by name.
    pub injected_constants: Vec<String>,
    /// `@nondeterministic`.
    pub nondeterministic: bool,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub class: ClassId,
    /// That class's Java name.
    pub java_class: String,
    pub name: String,
    pub ty: Type,
    pub is_static: bool,
}

/// The members a class declares itself.
#[derive(Default, Debug)]
struct Members {
    methods: HashMap<(String, usize), MethodId>,
    statics: HashMap<(String, usize), MethodId>,
    constructors: HashMap<usize, MethodId>,
    fields: HashMap<String, usize>,
}

/// The allowlist of one script context.
#[derive(Debug)]
pub struct Allowlist {
    classes: Vec<Class>,
    /// Script names (painless name, and the canonical name with dots) and Java names.
    by_name: HashMap<String, ClassId>,
    methods: Vec<Method>,
    fields: Vec<Field>,
    members: Vec<Members>,
    /// Every supertype of each class, nearest first (the class itself excluded).
    ancestors: Vec<Vec<ClassId>>,
    /// Instance methods visible on each class, own and inherited.
    visible_methods: Vec<HashMap<(String, usize), MethodId>>,
    functional: HashMap<ClassId, MethodId>,
    imported: HashMap<(String, usize), MethodId>,
    object: ClassId,
    /// Members left out because a type they name is not allowlisted (upstream would refuse to
    /// load such a file; here the files are a copy, so this lists what a gap costs).
    skipped: Vec<String>,
}

/// The allowlist files in load order, as `(file name, text)`.
type Files = &'static [(&'static str, &'static str)];

/// Upstream `Allowlist.BASE_ALLOWLIST_FILES` (spi `Allowlist.java`/`Whitelist.java`), in order.
/// `java.text.txt` is not available offline (see PROVENANCE.txt) and `java.time.chrono.txt` is
/// replaced by `siemctl.java.time.chrono.txt`.
const BASE: Files = &[
    (
        "org.opensearch.txt",
        include_str!("../../allowlist/org.opensearch.txt"),
    ),
    (
        "java.lang.txt",
        include_str!("../../allowlist/java.lang.txt"),
    ),
    (
        "java.math.txt",
        include_str!("../../allowlist/java.math.txt"),
    ),
    (
        "java.time.txt",
        include_str!("../../allowlist/java.time.txt"),
    ),
    (
        "siemctl.java.time.chrono.txt",
        include_str!("../../allowlist/siemctl.java.time.chrono.txt"),
    ),
    (
        "java.time.format.txt",
        include_str!("../../allowlist/java.time.format.txt"),
    ),
    (
        "java.time.temporal.txt",
        include_str!("../../allowlist/java.time.temporal.txt"),
    ),
    (
        "java.time.zone.txt",
        include_str!("../../allowlist/java.time.zone.txt"),
    ),
    (
        "java.util.txt",
        include_str!("../../allowlist/java.util.txt"),
    ),
    (
        "java.util.function.txt",
        include_str!("../../allowlist/java.util.function.txt"),
    ),
    (
        "java.util.regex.txt",
        include_str!("../../allowlist/java.util.regex.txt"),
    ),
    (
        "java.util.stream.txt",
        include_str!("../../allowlist/java.util.stream.txt"),
    ),
];

/// `PainlessPlugin`: the ingest context adds `org.opensearch.ingest.txt`; ingest-common's
/// `ProcessorsAllowlistExtension` adds `processors_whitelist.txt` to `IngestScript.CONTEXT` only.
const INGEST: Files = &[
    (
        "org.opensearch.ingest.txt",
        include_str!("../../allowlist/org.opensearch.ingest.txt"),
    ),
    (
        "processors_whitelist.txt",
        include_str!("../../allowlist/processors_whitelist.txt"),
    ),
];

const SUPERTYPES: &str = include_str!("../../allowlist/supertypes.txt");
const STATICS: &str = include_str!("../../allowlist/statics.txt");
const FUNCTIONAL: &str = include_str!("../../allowlist/functional.txt");

/// The allowlist of a script context. `IngestCondition` and `PainlessTest` scripts get the base
/// allowlist only (upstream registers extra files for `IngestScript.CONTEXT` alone).
pub fn for_context(context: Context) -> &'static Allowlist {
    static BASE_ONLY: OnceLock<Allowlist> = OnceLock::new();
    static INGEST_SCRIPT: OnceLock<Allowlist> = OnceLock::new();
    match context {
        Context::Ingest => INGEST_SCRIPT.get_or_init(|| build(&[BASE, INGEST])),
        Context::IngestCondition | Context::PainlessTest => {
            BASE_ONLY.get_or_init(|| build(&[BASE]))
        }
    }
}

fn build(sets: &[Files]) -> Allowlist {
    let files: Vec<(&str, &str)> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    parse::build(&files, SUPERTYPES, STATICS, FUNCTIONAL)
        .unwrap_or_else(|e| panic!("the bundled allowlist files do not parse: {e}"))
}

impl Allowlist {
    /// A class by the name a script writes (`String`, `Map.Entry`, `java.util.Map.Entry`) or by
    /// its Java name (`java.util.Map$Entry`). Hidden runtime classes are found by Java name only.
    pub fn class_by_name(&self, name: &str) -> Option<&Class> {
        self.by_name
            .get(name)
            .map(|id| &self.classes[id.0 as usize])
    }

    pub fn class(&self, id: ClassId) -> &Class {
        &self.classes[id.0 as usize]
    }

    pub fn classes(&self) -> &[Class] {
        &self.classes
    }

    /// Every field of the allowlist.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    pub fn method_by_id(&self, id: MethodId) -> &Method {
        &self.methods[id.0 as usize]
    }

    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    /// `java.lang.Object`.
    pub fn object(&self) -> ClassId {
        self.object
    }

    /// An instance method (augmentations included) by name and arity, on the class or a
    /// supertype.
    pub fn method(&self, class: ClassId, name: &str, arity: usize) -> Option<&Method> {
        self.visible_methods[class.0 as usize]
            .get(&(name.to_owned(), arity))
            .map(|id| self.method_by_id(*id))
    }

    /// A static method declared by the class (static methods are not inherited in Painless).
    pub fn static_method(&self, class: ClassId, name: &str, arity: usize) -> Option<&Method> {
        self.members[class.0 as usize]
            .statics
            .get(&(name.to_owned(), arity))
            .map(|id| self.method_by_id(*id))
    }

    pub fn constructor(&self, class: ClassId, arity: usize) -> Option<&Method> {
        self.members[class.0 as usize]
            .constructors
            .get(&arity)
            .map(|id| self.method_by_id(*id))
    }

    /// A field of the class (static constants such as `Integer.MAX_VALUE`).
    pub fn field(&self, class: ClassId, name: &str) -> Option<&Field> {
        if let Some(i) = self.members[class.0 as usize].fields.get(name) {
            return Some(&self.fields[*i]);
        }
        None
    }

    /// A statically imported method (`static_import { }` of the context's files), by name and
    /// arity. The ingest context has none.
    pub fn imported_method(&self, name: &str, arity: usize) -> Option<&Method> {
        self.imported
            .get(&(name.to_owned(), arity))
            .map(|id| self.method_by_id(*id))
    }

    /// Every supertype of the class, nearest first.
    pub fn ancestors(&self, class: ClassId) -> &[ClassId] {
        &self.ancestors[class.0 as usize]
    }

    /// Whether a value of class `from` may be used where `to` is expected (same class, a
    /// supertype, or `Object`).
    pub fn is_assignable(&self, from: ClassId, to: ClassId) -> bool {
        from == to || to == self.object || self.ancestors(from).contains(&to)
    }

    /// The abstract method a lambda implements when passed as this interface.
    pub fn functional_method(&self, class: ClassId) -> Option<&Method> {
        self.functional.get(&class).map(|id| self.method_by_id(*id))
    }

    /// The runtime class of a value: boxes for primitives (`Value::Int` is `Integer`), the
    /// collection's implementation class, a [`crate::value::JavaObject`]'s `class_name`. `null`
    /// and arrays have no allowlisted class: they give `Object` (the interpreter handles them
    /// before asking).
    pub fn class_of(&self, value: &Value) -> ClassId {
        match value {
            Value::Null | Value::Array(_) => self.object,
            other => other
                .class_name()
                .and_then(|n| self.by_name.get(n).copied())
                .unwrap_or(self.object),
        }
    }

    /// The members that the loader left out because a type they mention is not in the offline
    /// allowlist (`java.text`), as `Class.member` strings.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }
}

#[cfg(test)]
mod tests;
