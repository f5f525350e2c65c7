//! Painless types and the casting rules of upstream
//! `modules/lang-painless/src/main/java/org/opensearch/painless/AnalyzerCaster.java`.

use super::library::{Cls, Library};
use crate::value::Exception;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum P {
    Boolean,
    Byte,
    Short,
    Char,
    Int,
    Long,
    Float,
    Double,
}

impl P {
    pub(crate) fn name(self) -> &'static str {
        match self {
            P::Boolean => "boolean",
            P::Byte => "byte",
            P::Short => "short",
            P::Char => "char",
            P::Int => "int",
            P::Long => "long",
            P::Float => "float",
            P::Double => "double",
        }
    }
    pub(crate) fn from_name(s: &str) -> Option<P> {
        Some(match s {
            "boolean" => P::Boolean,
            "byte" => P::Byte,
            "short" => P::Short,
            "char" => P::Char,
            "int" => P::Int,
            "long" => P::Long,
            "float" => P::Float,
            "double" => P::Double,
            _ => return None,
        })
    }
    /// The boxed class's Painless name.
    pub(crate) fn boxed_name(self) -> &'static str {
        match self {
            P::Boolean => "Boolean",
            P::Byte => "Byte",
            P::Short => "Short",
            P::Char => "Character",
            P::Int => "Integer",
            P::Long => "Long",
            P::Float => "Float",
            P::Double => "Double",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Ty {
    Void,
    Def,
    Prim(P),
    Class(Cls),
    Array(Box<Ty>),
}

impl Ty {
    pub(crate) fn is_prim(&self) -> bool {
        matches!(self, Ty::Prim(_))
    }
    pub(crate) fn prim(&self) -> Option<P> {
        match self {
            Ty::Prim(p) => Some(*p),
            _ => None,
        }
    }
    pub(crate) fn is_def(&self) -> bool {
        matches!(self, Ty::Def)
    }
    /// The type name as upstream `PainlessLookupUtility.typeToCanonicalTypeName` writes it
    /// (Java canonical names: `java.lang.Integer`, `int[]`, `def`).
    pub(crate) fn canonical(&self, lib: &Library) -> String {
        match self {
            Ty::Void => "void".into(),
            Ty::Def => "def".into(),
            Ty::Prim(p) => p.name().into(),
            Ty::Class(c) => lib.class(*c).java_name.replace('$', "."),
            Ty::Array(e) => format!("{}[]", e.canonical(lib)),
        }
    }
    /// The Painless name (`Integer`, `Map.Entry`, `int[]`), as arrays record their element type.
    pub(crate) fn painless_name(&self, lib: &Library) -> String {
        match self {
            Ty::Void => "void".into(),
            Ty::Def => "def".into(),
            Ty::Prim(p) => p.name().into(),
            Ty::Class(c) => lib.class(*c).painless_name.clone(),
            Ty::Array(e) => format!("{}[]", e.painless_name(lib)),
        }
    }
}

/// What a cast does at run time. Boxed and primitive values share one representation
/// ([`crate::Value::Int`] is both `int` and `Integer`), so boxing is free; unboxing checks null.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum CastOp {
    /// A numeric conversion to `to`; `unbox`: the source is a boxed value (null throws
    /// NullPointerException); `boxed_target`: the result is a box (kept for clarity).
    Num {
        to: P,
        unbox: bool,
    },
    /// Unboxing a Boolean (null throws).
    UnboxBool,
    /// `def` to a primitive or a box (`Def.defTo*Implicit`/`Explicit`); `boxed`: null passes.
    DefToPrim {
        to: P,
        explicit: bool,
        boxed: bool,
    },
    DefToString {
        explicit: bool,
    },
    /// A checked reference cast (`checkcast`): null passes, other classes throw
    /// ClassCastException.
    Check(Ty),
    StringToChar,
    CharToString,
}

pub(crate) fn cast_error(lib: &Library, from: &Ty, to: &Ty) -> Exception {
    Exception::class_cast(format!(
        "Cannot cast from [{}] to [{}].",
        from.canonical(lib),
        to.canonical(lib)
    ))
}

/// `AnalyzerCaster.getLegalCast`: `Ok(None)` when no conversion is needed.
pub(crate) fn legal_cast(
    lib: &Library,
    actual: &Ty,
    expected: &Ty,
    explicit: bool,
    internal: bool,
) -> Result<Option<CastOp>, Exception> {
    use P::*;
    if actual == expected {
        return Ok(None);
    }
    let boxed_of = |t: &Ty| -> Option<P> {
        match t {
            Ty::Class(c) => lib.unboxed(*c),
            _ => None,
        }
    };
    let exp_box = boxed_of(expected);
    let act_box = boxed_of(actual);
    let is_obj = |t: &Ty| matches!(t, Ty::Class(c) if *c == lib.object());
    let is_number = |t: &Ty| matches!(t, Ty::Class(c) if *c == lib.number());
    let is_string = |t: &Ty| matches!(t, Ty::Class(c) if *c == lib.string());

    match actual {
        Ty::Def => {
            if let Ty::Prim(p) = expected {
                return Ok(Some(if *p == Boolean {
                    CastOp::DefToPrim {
                        to: Boolean,
                        explicit,
                        boxed: false,
                    }
                } else {
                    CastOp::DefToPrim {
                        to: *p,
                        explicit,
                        boxed: false,
                    }
                }));
            }
            if let Some(p) = exp_box {
                return Ok(Some(CastOp::DefToPrim {
                    to: p,
                    explicit,
                    boxed: true,
                }));
            }
            if is_string(expected) {
                return Ok(Some(CastOp::DefToString { explicit }));
            }
            if *expected == Ty::Void {
                return Err(cast_error(lib, actual, expected));
            }
            if is_obj(expected) {
                return Ok(None);
            }
            return Ok(Some(CastOp::Check(expected.clone())));
        }
        Ty::Prim(a) => {
            let a = *a;
            if *expected == Ty::Def {
                return Ok(None);
            }
            if is_obj(expected) && internal {
                return Ok(None);
            }
            if is_number(expected) && internal && a != Boolean {
                return Ok(None);
            }
            if a == Boolean {
                if exp_box == Some(Boolean) && internal {
                    return Ok(None);
                }
                return Err(cast_error(lib, actual, expected));
            }
            if a == Char && is_string(expected) && explicit {
                return Ok(Some(CastOp::CharToString));
            }
            if let Ty::Prim(e) = expected {
                let e = *e;
                if e == Boolean {
                    return Err(cast_error(lib, actual, expected));
                }
                if widens(a, e) || explicit {
                    return Ok(Some(CastOp::Num {
                        to: e,
                        unbox: false,
                    }));
                }
                return Err(cast_error(lib, actual, expected));
            }
            if let Some(e) = exp_box {
                // boxTargetType: only widening (or the same type), and only internally.
                // boxTargetType: the same type or a widening, and only internally.
                if internal && e != Boolean && (e == a || widens(a, e)) {
                    return Ok(Some(CastOp::Num {
                        to: e,
                        unbox: false,
                    }));
                }
            }
        }
        _ => {}
    }
    if let Some(a) = act_box {
        if let Ty::Prim(e) = expected {
            if internal && (a == *e || (a != Boolean && *e != Boolean && widens(a, *e))) {
                return Ok(Some(if a == Boolean {
                    CastOp::UnboxBool
                } else {
                    CastOp::Num {
                        to: *e,
                        unbox: true,
                    }
                }));
            }
        }
        if let Some(e) = exp_box {
            if internal && a != Boolean && e != Boolean && widens(a, e) {
                return Ok(Some(CastOp::Num { to: e, unbox: true }));
            }
        }
    }
    if is_string(actual) && *expected == Ty::Prim(Char) && explicit {
        return Ok(Some(CastOp::StringToChar));
    }
    // The general rule: def, anything to def, upcasts; downcasts when explicit.
    if *actual != Ty::Void && *expected == Ty::Def {
        return Ok(None);
    }
    if !actual.is_prim() && !expected.is_prim() && *actual != Ty::Void && *expected != Ty::Void {
        if lib.is_assignable(actual, expected) {
            return Ok(None);
        }
        if explicit && lib.is_assignable(expected, actual) {
            return Ok(Some(CastOp::Check(expected.clone())));
        }
    }
    Err(cast_error(lib, actual, expected))
}

/// Java's widening primitive conversions (byte->short->int->long->float->double, char->int).
pub(crate) fn widens(from: P, to: P) -> bool {
    use P::*;
    matches!(
        (from, to),
        (Byte, Short | Int | Long | Float | Double)
            | (Short, Int | Long | Float | Double)
            | (Char, Int | Long | Float | Double)
            | (Int, Long | Float | Double)
            | (Long, Float | Double)
            | (Float, Double)
    )
}

/// `AnalyzerCaster.promoteNumeric(from, decimal)`.
pub(crate) fn promote_numeric1(from: &Ty, decimal: bool) -> Option<Ty> {
    match from {
        Ty::Def => Some(Ty::Def),
        Ty::Prim(P::Double | P::Float) if decimal => Some(from.clone()),
        Ty::Prim(P::Long) => Some(from.clone()),
        Ty::Prim(P::Int | P::Char | P::Short | P::Byte) => Some(Ty::Prim(P::Int)),
        _ => None,
    }
}

/// `AnalyzerCaster.promoteNumeric(from0, from1, decimal)`.
pub(crate) fn promote_numeric2(a: &Ty, b: &Ty, decimal: bool) -> Option<Ty> {
    if a.is_def() || b.is_def() {
        return Some(Ty::Def);
    }
    let (Some(x), Some(y)) = (a.prim(), b.prim()) else {
        return None;
    };
    if x == P::Boolean || y == P::Boolean {
        return None;
    }
    if decimal {
        if x == P::Double || y == P::Double {
            return Some(Ty::Prim(P::Double));
        }
        if x == P::Float || y == P::Float {
            return Some(Ty::Prim(P::Float));
        }
    }
    if x == P::Long || y == P::Long {
        return Some(Ty::Prim(P::Long));
    }
    if matches!(x, P::Int | P::Char | P::Short | P::Byte)
        || matches!(y, P::Int | P::Char | P::Short | P::Byte)
    {
        // With decimal=false a float/double operand gives null upstream.
        if !decimal && (matches!(x, P::Float | P::Double) || matches!(y, P::Float | P::Double)) {
            return None;
        }
        return Some(Ty::Prim(P::Int));
    }
    None
}

/// `AnalyzerCaster.promoteAdd`.
pub(crate) fn promote_add(lib: &Library, a: &Ty, b: &Ty) -> Option<Ty> {
    let s = Ty::Class(lib.string());
    if *a == s || *b == s {
        return Some(s);
    }
    promote_numeric2(a, b, true)
}

/// `AnalyzerCaster.promoteXor` (also `&`, `|`).
pub(crate) fn promote_xor(a: &Ty, b: &Ty) -> Option<Ty> {
    if a.is_def() || b.is_def() {
        return Some(Ty::Def);
    }
    if *a == Ty::Prim(P::Boolean) || *b == Ty::Prim(P::Boolean) {
        // upstream returns boolean when either is boolean; the operand casts then fail for a
        // non-boolean side.
        return Some(Ty::Prim(P::Boolean));
    }
    promote_numeric2(a, b, false)
}

/// `AnalyzerCaster.promoteEquality`.
pub(crate) fn promote_equality(lib: &Library, a: &Ty, b: &Ty) -> Option<Ty> {
    let s = Ty::Class(lib.string());
    if *a == s && *b == s {
        return Some(s);
    }
    if a.is_def() || b.is_def() {
        return Some(Ty::Def);
    }
    if a.is_prim() && b.is_prim() {
        if *a == Ty::Prim(P::Boolean) && *b == Ty::Prim(P::Boolean) {
            return Some(Ty::Prim(P::Boolean));
        }
        return promote_numeric2(a, b, true);
    }
    Some(Ty::Class(lib.object()))
}

/// `AnalyzerCaster.promoteConditional`.
pub(crate) fn promote_conditional(lib: &Library, a: &Ty, b: &Ty) -> Option<Ty> {
    use P::*;
    if a == b {
        return Some(a.clone());
    }
    if a.is_def() || b.is_def() {
        return Some(Ty::Def);
    }
    if let (Some(x), Some(y)) = (a.prim(), b.prim()) {
        if x != Boolean && y != Boolean {
            if x == Double || y == Double {
                return Some(Ty::Prim(Double));
            } else if x == Float || y == Float {
                return Some(Ty::Prim(Float));
            } else if x == Long || y == Long {
                return Some(Ty::Prim(Long));
            } else if x == Int || y == Int {
                return Some(Ty::Prim(Int));
            } else if x == Char {
                return if y == Short || y == Byte {
                    Some(Ty::Prim(Int))
                } else {
                    None
                };
            } else if y == Char {
                return if x == Short || x == Byte {
                    Some(Ty::Prim(Int))
                } else {
                    None
                };
            } else {
                return None;
            }
        }
    }
    Some(Ty::Class(lib.object()))
}
