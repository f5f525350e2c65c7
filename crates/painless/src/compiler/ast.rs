//! The syntax tree the parser builds (upstream `PainlessParser.g4`'s rules, as `ANode`s).

/// A type as written: `int`, `def`, `String`, `Map.Entry`, `int[][]`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TypeName {
    pub(crate) name: String,
    pub(crate) dims: usize,
    pub(crate) pos: usize,
}

#[derive(Debug)]
pub(crate) struct SourceUnit {
    pub(crate) functions: Vec<FunctionDecl>,
    pub(crate) statements: Vec<Stmt>,
}

#[derive(Debug)]
pub(crate) struct FunctionDecl {
    pub(crate) ret: TypeName,
    pub(crate) name: String,
    pub(crate) params: Vec<(TypeName, String)>,
    pub(crate) body: Vec<Stmt>,
    pub(crate) pos: usize,
}

#[derive(Debug)]
pub(crate) struct Stmt {
    pub(crate) kind: StmtKind,
    pub(crate) pos: usize,
}

#[derive(Debug)]
pub(crate) enum StmtKind {
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Option<Box<Stmt>>),
    DoWhile(Vec<Stmt>, Expr),
    For {
        init: Option<ForInit>,
        cond: Option<Expr>,
        after: Option<Expr>,
        body: Option<Box<Stmt>>,
    },
    Each {
        ty: Option<TypeName>,
        name: String,
        iterable: Expr,
        body: Box<Stmt>,
    },
    Try(Vec<Stmt>, Vec<Catch>),
    Decl(TypeName, Vec<(String, Option<Expr>, usize)>),
    Continue,
    Break,
    Return(Option<Expr>),
    Throw(Expr),
    Expr(Expr),
    Block(Vec<Stmt>),
}

#[derive(Debug)]
pub(crate) enum ForInit {
    Decl(Box<Stmt>),
    Expr(Expr),
}

#[derive(Debug)]
pub(crate) struct Catch {
    pub(crate) ty: TypeName,
    pub(crate) name: String,
    pub(crate) body: Vec<Stmt>,
    pub(crate) pos: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Find,
    Match,
    Lsh,
    Rsh,
    Ush,
    BwAnd,
    Xor,
    BwOr,
}

impl BinOp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Find => "=~",
            BinOp::Match => "==~",
            BinOp::Lsh => "<<",
            BinOp::Rsh => ">>",
            BinOp::Ush => ">>>",
            BinOp::BwAnd => "&",
            BinOp::Xor => "^",
            BinOp::BwOr => "|",
        }
    }
    /// Upstream `Operation.name`, used in error messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            BinOp::Mul => "multiplication",
            BinOp::Div => "division",
            BinOp::Rem => "remainder",
            BinOp::Add => "addition",
            BinOp::Sub => "subtraction",
            BinOp::Find => "find",
            BinOp::Match => "match",
            BinOp::Lsh => "left shift",
            BinOp::Rsh => "right shift",
            BinOp::Ush => "unsigned shift",
            BinOp::BwAnd => "bitwise and",
            BinOp::Xor => "bitwise xor",
            BinOp::BwOr => "bitwise or",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Lt,
    Lte,
    Gt,
    Gte,
    Eq,
    Eqr,
    Ne,
    Ner,
}

impl CmpOp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Lte => "<=",
            CmpOp::Gt => ">",
            CmpOp::Gte => ">=",
            CmpOp::Eq => "==",
            CmpOp::Eqr => "===",
            CmpOp::Ne => "!=",
            CmpOp::Ner => "!==",
        }
    }
    pub(crate) fn name(self) -> &'static str {
        match self {
            CmpOp::Lt => "less than",
            CmpOp::Lte => "less than or equals",
            CmpOp::Gt => "greater than",
            CmpOp::Gte => "greater than or equals",
            CmpOp::Eq => "equals",
            CmpOp::Eqr => "reference equals",
            CmpOp::Ne => "not equals",
            CmpOp::Ner => "reference not equals",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnOp {
    Not,
    BwNot,
    Neg,
    Plus,
}

#[derive(Debug)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) pos: usize,
}

#[derive(Debug)]
pub(crate) enum LambdaBody {
    Block(Vec<Stmt>),
    Expr(Box<Expr>),
}

#[derive(Debug)]
pub(crate) enum ExprKind {
    /// A numeric literal: its text (with a leading `-` when negated) and token kind.
    Numeric(String, NumKind),
    Str(String),
    Regex(String, String),
    Bool(bool),
    Null,
    Var(String),
    CallLocal(String, Vec<Expr>),
    New(TypeName, Vec<Expr>),
    NewArray(TypeName, Vec<Expr>),
    NewArrayInit(TypeName, Vec<Expr>),
    ListInit(Vec<Expr>),
    MapInit(Vec<(Expr, Expr)>),
    Field {
        target: Box<Expr>,
        name: String,
        null_safe: bool,
    },
    Call {
        target: Box<Expr>,
        name: String,
        args: Vec<Expr>,
        null_safe: bool,
    },
    Index(Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `&&` (true) or `||` (false).
    Bool2(bool, Box<Expr>, Box<Expr>),
    Comp(CmpOp, Box<Expr>, Box<Expr>),
    Instanceof(Box<Expr>, TypeName),
    Elvis(Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Assign {
        target: Box<Expr>,
        op: Option<BinOp>,
        value: Box<Expr>,
    },
    /// `++x`/`--x` (post false) or `x++`/`x--` (post true); `inc` is +1 or -1.
    IncDec {
        target: Box<Expr>,
        inc: bool,
        post: bool,
    },
    Cast(TypeName, Box<Expr>),
    Lambda {
        params: Vec<(Option<TypeName>, String)>,
        body: LambdaBody,
    },
    /// `Type::method`, `Type::new`, `this::function`, `variable::method`.
    FuncRef {
        target: FuncRefTarget,
        method: String,
    },
}

#[derive(Debug, Clone)]
pub(crate) enum FuncRefTarget {
    Type(TypeName),
    This,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumKind {
    Octal,
    Hex,
    Integer,
    Decimal,
}
