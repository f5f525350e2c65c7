//! The resolved tree the interpreter runs: types checked, casts explicit, methods bound to their
//! native implementations, variables as slots. It holds no `Rc`, so a compiled script is
//! `Send + Sync`.

use super::ast::{BinOp, CmpOp};
use super::library::{Cls, NativeFn};
use super::types::{CastOp, Ty, P};

/// A constant in a form that can cross threads.
#[derive(Clone, Debug)]
pub(crate) enum Konst {
    Null,
    Boolean(bool),
    Byte(i8),
    Short(i16),
    Char(u16),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Str(std::sync::Arc<str>),
}

/// How an operator computes, after promotion.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    Prim(P),
    /// String concatenation.
    Str,
    /// `def`: decided on the run-time values (upstream `DefMath`).
    Def,
    /// Reference equality/equals on objects.
    Obj,
}

#[derive(Debug)]
pub(crate) enum Ex {
    Const(Konst),
    Local(u32),
    Cast(Box<Ex>, CastOp, usize),
    Neg(Kind, Box<Ex>, usize),
    BwNot(Kind, Box<Ex>, usize),
    /// Unary `+` on def: numeric check.
    Plus(Box<Ex>, usize),
    Not(Box<Ex>),
    Bin(BinOp, Kind, Box<Ex>, Box<Ex>, usize),
    /// Shifts: the left kind; the right operand is already int/long (or def).
    Shift(BinOp, Kind, Box<Ex>, Box<Ex>, usize),
    Cmp(CmpOp, Kind, Box<Ex>, Box<Ex>, usize),
    And(Box<Ex>, Box<Ex>),
    Or(Box<Ex>, Box<Ex>),
    Cond(Box<Ex>, Box<Ex>, Box<Ex>),
    Elvis(Box<Ex>, Box<Ex>),
    InstanceOf(Box<Ex>, Ty),
    NewList(Vec<Ex>),
    NewMap(Vec<(Ex, Ex)>),
    /// `new T[a][b]`: element type name of the outermost array and the dimensions.
    NewArray(Ty, Vec<Ex>),
    NewArrayInit(Ty, Vec<Ex>),
    Load(Box<Place>, usize),
    /// `x?.name`: null when the receiver is null.
    LoadNullSafe(Box<Place>, usize),
    Store {
        place: Box<Place>,
        value: Box<Ex>,
        pos: usize,
    },
    /// Compound assignment and ++/--: read the place, cast to `kind`'s type, apply, cast back.
    Compound {
        place: Box<Place>,
        op: BinOp,
        kind: Kind,
        /// Cast of the read value to the operation type (None for def/string).
        read_cast: Option<CastOp>,
        rhs: Box<Ex>,
        /// Cast of the result back to the place's type.
        back_cast: Option<CastOp>,
        /// For `def` places: cast the result back to the run-time type of the value read.
        def_back: bool,
        post: bool,
        pos: usize,
    },
    CallNative {
        f: NativeFn,
        recv: Option<Box<Ex>>,
        args: Vec<Ex>,
        null_safe: bool,
        pos: usize,
    },
    CallDef {
        recv: Box<Ex>,
        name: String,
        args: Vec<Ex>,
        null_safe: bool,
        pos: usize,
    },
    CallLocal {
        func: usize,
        args: Vec<Ex>,
        pos: usize,
    },
    /// A lambda: the synthetic function and the slots it captures.
    Lambda {
        func: usize,
        captures: Vec<u32>,
        arity: usize,
    },
    FuncRef(FuncRef),
    /// A bound method reference `x::m`: the receiver is evaluated now.
    /// (the functional interface it is passed as, when known statically)
    BoundRef(Box<Ex>, String, Option<Cls>),
    /// `new SomeException(message)`.
    NewException(String, Option<Box<Ex>>),
    /// A static field whose value is an object (`ChronoUnit.DAYS`), fetched when used.
    StaticValue(Cls, String),
    /// A regex literal (pattern, flags, number), compiled once per thread.
    Regex(String, String, usize),
}

#[derive(Debug, Clone)]
pub(crate) enum FuncRef {
    Local(usize),
    Static(NativeFn),
    /// `Type::method` on an instance method: the receiver is the first argument.
    Unbound(Cls, String),
    Ctor(Cls),
    NewArray(Ty),
}

#[derive(Debug)]
pub(crate) enum Place {
    Local(u32),
    /// `map.key` / `map[key]` on a static Map.
    MapKey(Ex, Ex),
    /// `list[i]` on a static List.
    ListIndex(Ex, Ex),
    ArrayIndex(Ex, Ex),
    ArrayLength(Ex),
    /// `x[i]` on def.
    DefIndex(Ex, Ex),
    /// `x.name` on def.
    DefField(Ex, String),
    /// A getter/setter pair on a static type.
    Accessor {
        recv: Ex,
        getter: Option<NativeFn>,
        setter: Option<NativeFn>,
        name: String,
    },
    /// A static field's value.
    Static(Konst),
}

#[derive(Debug)]
pub(crate) enum St {
    Expr(Ex),
    Decl(u32, Option<Ex>, Option<Konst>),
    If(Ex, Vec<St>, Vec<St>),
    While(Ex, Vec<St>, u32),
    DoWhile(Vec<St>, Ex, u32),
    For {
        init: Vec<St>,
        cond: Option<Ex>,
        after: Option<Ex>,
        body: Vec<St>,
        count: u32,
    },
    /// for-each: the slot, the iterable, the cast of each element, the body.
    Each {
        slot: u32,
        iterable: Ex,
        cast: Option<CastOp>,
        body: Vec<St>,
        count: u32,
        pos: usize,
    },
    Try(Vec<St>, Vec<CatchIr>),
    Return(Option<Ex>),
    Break,
    Continue,
    Throw(Ex, usize),
    Block(Vec<St>),
    /// Marks the position of the statements that follow (for error locations).
    At(usize, Box<St>),
}

#[derive(Debug)]
pub(crate) struct CatchIr {
    /// Simple names of the exception classes this catch takes (the class and its subclasses).
    pub(crate) class: String,
    pub(crate) slot: u32,
    pub(crate) body: Vec<St>,
}

#[derive(Debug)]
pub(crate) struct Function {
    #[allow(dead_code)] // for debugging output
    pub(crate) name: String,
    pub(crate) arity: usize,
    pub(crate) slots: u32,
    pub(crate) body: Vec<St>,
    #[allow(dead_code)] // for debugging output
    pub(crate) ret: Ty,
    /// Casts of incoming arguments (for lambdas called from natives with boxed values).
    pub(crate) param_casts: Vec<Option<CastOp>>,
    /// Whether the body produces a value (a `return` with one, or a final expression): a
    /// lambda that does not cannot implement an interface whose method returns one.
    pub(crate) yields_value: bool,
}

/// Whether statements return a value somewhere.
pub(crate) fn returns_value(body: &[St]) -> bool {
    body.iter().any(|s| match s {
        St::Return(Some(_)) => true,
        St::At(_, inner) => returns_value(std::slice::from_ref(inner)),
        St::If(_, a, b) => returns_value(a) || returns_value(b),
        St::While(_, b, _) | St::DoWhile(b, _, _) | St::Block(b) => returns_value(b),
        St::For { body, .. } | St::Each { body, .. } => returns_value(body),
        St::Try(b, catches) => returns_value(b) || catches.iter().any(|c| returns_value(&c.body)),
        _ => false,
    })
}

#[derive(Debug)]
pub(crate) struct Program {
    pub(crate) functions: Vec<Function>,
    pub(crate) main: Function,
    /// Start offsets of every statement, sorted (for runtime error excerpts).
    pub(crate) statements: Vec<usize>,
}
