//! Semantic analysis: types every expression, inserts the casts and promotions of upstream
//! `AnalyzerCaster`, resolves variables to slots and methods to native implementations
//! (upstream `phase/DefaultSemanticAnalysisPhase.java`), and produces the [`ir`] tree.

use std::collections::HashMap;
use std::sync::Arc;

use super::ast::*;
use super::ir::*;
use super::library::{Cls, Library, MethodInfo};
use super::types::*;
use crate::value::Exception;
use crate::{Context, Options, RegexSetting};

pub(crate) struct CompileError {
    pub(crate) offset: usize,
    pub(crate) exception: Exception,
}

type CResult<T> = Result<T, CompileError>;

fn err<T>(pos: usize, e: Exception) -> CResult<T> {
    Err(CompileError {
        offset: pos,
        exception: e,
    })
}

fn iae<T>(pos: usize, msg: impl Into<String>) -> CResult<T> {
    err(pos, Exception::illegal_argument(msg))
}

/// The engine's refusal of something it does not implement.
pub(crate) fn unsupported<T>(pos: usize, what: impl std::fmt::Display) -> CResult<T> {
    err(
        pos,
        Exception::new(
            "UnsupportedOperationException",
            format!("not supported by siemctl's offline Painless: {what}"),
        ),
    )
}

struct Var {
    name: String,
    ty: Ty,
    slot: u32,
}

struct FnCtx {
    vars: Vec<Var>,
    slots: u32,
    ret: Ty,
    loops: u32,
    /// For lambdas: (outer name, inner slot) captured from the enclosing function.
    captures: Vec<(String, u32)>,
    is_lambda: bool,
}

struct Sig {
    index: usize,
    params: Vec<Ty>,
    ret: Ty,
}

pub(crate) struct Analyzer<'l> {
    lib: &'l Library,
    options: Options,
    fns: Vec<FnCtx>,
    sigs: HashMap<(String, usize), Sig>,
    functions: Vec<Option<Function>>,
    /// (explicit, internal) of the cast the parent applies to the expression being analysed:
    /// conditionals pass them on to their branches (upstream replicates `Explicit`/`Internal`).
    flags: (bool, bool),
    in_main: bool,
    /// Regex literals numbered so far (each execution thread caches their compiled patterns).
    regexes: usize,
    statements: Vec<usize>,
    /// The user function being analysed (name, parameter count).
    cur_fn: Option<(String, usize)>,
}

pub(crate) fn analyze(unit: &SourceUnit, options: &Options) -> CResult<Program> {
    let lib = Library::for_context(options.context);
    let mut a = Analyzer {
        lib,
        options: options.clone(),
        fns: Vec::new(),
        sigs: HashMap::new(),
        functions: Vec::new(),
        flags: (false, false),
        in_main: false,
        regexes: 0,
        statements: Vec::new(),
        cur_fn: None,
    };
    // Signatures first, so functions can call each other.
    for f in &unit.functions {
        let ret = if f.ret.name == "void" && f.ret.dims == 0 {
            Ty::Void
        } else {
            a.resolve_type(&f.ret)?
        };
        let mut params = Vec::new();
        for (t, _) in &f.params {
            params.push(a.resolve_type(t)?);
        }
        let key = (f.name.clone(), f.params.len());
        if a.sigs.contains_key(&key) {
            return iae(
                f.pos,
                format!("found duplicate function [{}/{}]", f.name, f.params.len()),
            );
        }
        let index = a.functions.len();
        a.functions.push(None);
        a.sigs.insert(key, Sig { index, params, ret });
    }
    for f in &unit.functions {
        if f.body.is_empty() {
            return iae(
                f.pos,
                format!(
                    "invalid function definition: found no statements for function [{}] with [{}] parameters",
                    f.name,
                    f.params.len()
                ),
            );
        }
        a.cur_fn = Some((f.name.clone(), f.params.len()));
        let sig = &a.sigs[&(f.name.clone(), f.params.len())];
        let (index, params, ret) = (sig.index, sig.params.clone(), sig.ret.clone());
        a.fns.push(FnCtx {
            vars: Vec::new(),
            slots: 0,
            ret: ret.clone(),
            loops: 0,
            captures: Vec::new(),
            is_lambda: false,
        });
        for ((_, name), ty) in f.params.iter().zip(&params) {
            a.declare(name, ty.clone(), f.pos)?;
        }
        let body = a.block(&f.body, ret != Ty::Void)?;
        if ret != Ty::Void && !always_exits_or_yields(&f.body) {
            return iae(
                f.pos,
                format!(
                    "invalid function definition: not all paths provide a return value for function [{}] with [{}] parameters",
                    f.name,
                    f.params.len()
                ),
            );
        }
        let ctx = a.fns.pop().expect("function context");
        a.functions[index] = Some(Function {
            name: f.name.clone(),
            arity: params.len(),
            slots: ctx.slots,
            body,
            ret,
            // Calls through `this::name` from natives pass values as def.
            yields_value: true,
            param_casts: params
                .iter()
                .map(|p| legal_cast(lib, &Ty::Def, p, false, true).ok().flatten())
                .collect(),
        });
    }
    // The script's own method: `execute(params[, ctx])`.
    a.in_main = true;
    let ret = match options.context {
        Context::Ingest => Ty::Void,
        Context::IngestCondition => Ty::Prim(P::Boolean),
        Context::PainlessTest => Ty::Class(lib.object()),
    };
    a.fns.push(FnCtx {
        vars: Vec::new(),
        slots: 0,
        ret: ret.clone(),
        loops: 0,
        captures: Vec::new(),
        is_lambda: false,
    });
    let map = Ty::Class(lib.class_by_name("Map").expect("Map"));
    a.declare("params", map.clone(), 0)?;
    if options.context != Context::PainlessTest {
        a.declare("ctx", map, 0)?;
    }
    let body = a.block(&unit.statements, ret != Ty::Void)?;
    if ret == Ty::Prim(P::Boolean) && !always_exits_or_yields(&unit.statements) {
        return iae(
            0,
            "not all paths provide a return value for method [execute]".to_string(),
        );
    }
    let ctx = a.fns.pop().expect("main context");
    let mut statements = a.statements;
    statements.sort_unstable();
    statements.dedup();
    let functions = a
        .functions
        .into_iter()
        .map(|f| f.expect("every function analysed"))
        .collect();
    Ok(Program {
        functions,
        main: Function {
            name: "execute".into(),
            arity: 0,
            slots: ctx.slots,
            body,
            ret,
            param_casts: Vec::new(),
            yields_value: true,
        },
        statements,
    })
}

/// Like [`always_exits`], a final expression statement being the implicit return.
fn always_exits_or_yields(stmts: &[Stmt]) -> bool {
    match stmts.last() {
        Some(Stmt {
            kind: StmtKind::Expr(_),
            ..
        }) => true,
        Some(Stmt {
            kind: StmtKind::If(_, a, Some(b)),
            ..
        }) => {
            always_exits_or_yields(std::slice::from_ref(a))
                && always_exits_or_yields(std::slice::from_ref(b))
        }
        Some(Stmt {
            kind: StmtKind::Block(b),
            ..
        }) => always_exits_or_yields(b),
        Some(s) => stmt_exits(s),
        None => false,
    }
}

/// Whether a statement list always ends in `return` or `throw`.
fn always_exits(stmts: &[Stmt]) -> bool {
    stmts.last().is_some_and(stmt_exits)
}

fn stmt_exits(s: &Stmt) -> bool {
    match &s.kind {
        StmtKind::Return(_) | StmtKind::Throw(_) => true,
        StmtKind::Block(b) => always_exits(b),
        StmtKind::If(_, a, Some(b)) => stmt_exits(a) && stmt_exits(b),
        StmtKind::Try(b, catches) => {
            always_exits(b) && catches.iter().all(|c| always_exits(&c.body))
        }
        StmtKind::Expr(_) => false,
        _ => false,
    }
}

/// How upstream's error messages name an expression node.
enum Desc {
    /// A constant or variable: "boolean constant [false]".
    Leaf(String),
    /// An operation: "multiplication operation [*]".
    Op(String),
    Dot,
    Brace,
    Other(String),
}

fn describe(e: &Expr) -> Desc {
    match &e.kind {
        ExprKind::Numeric(t, NumKind::Decimal) => Desc::Leaf(format!("decimal constant [{t}]")),
        ExprKind::Numeric(t, _) => Desc::Leaf(format!("numeric constant [{t}]")),
        ExprKind::Str(t) => Desc::Leaf(format!("string constant [{t}]")),
        ExprKind::Regex(p, f) => Desc::Leaf(format!("regex constant [{p}] with flags [{f}]")),
        ExprKind::Bool(b) => Desc::Leaf(format!("boolean constant [{b}]")),
        ExprKind::Null => Desc::Leaf("null constant".into()),
        ExprKind::Var(n) => Desc::Leaf(format!("variable [{n}]")),
        ExprKind::Binary(op, ..) => Desc::Op(format!("{} operation [{}]", op.name(), op.symbol())),
        ExprKind::Unary(UnOp::Plus, _) => Desc::Op("addition operation [+]".into()),
        ExprKind::Unary(UnOp::Neg, _) => Desc::Op("subtraction operation [-]".into()),
        ExprKind::Unary(UnOp::Not, _) => Desc::Op("boolean not operation [!]".into()),
        ExprKind::Unary(UnOp::BwNot, _) => Desc::Op("bitwise not operation [~]".into()),
        ExprKind::Bool2(true, ..) => Desc::Op("boolean and operation [&&]".into()),
        ExprKind::Bool2(false, ..) => Desc::Op("boolean or operation [||]".into()),
        ExprKind::Comp(op, ..) => Desc::Op(format!("{} operation [{}]", op.name(), op.symbol())),
        ExprKind::Cond(..) => Desc::Op("conditional operation [?:]".into()),
        ExprKind::Elvis(..) => Desc::Op("elvis operation [?:]".into()),
        ExprKind::Instanceof(_, t) => {
            Desc::Op(format!("instanceof with target type [{}]", type_text(t)))
        }
        ExprKind::Cast(t, _) => {
            Desc::Op(format!("explicit cast with target type [{}]", type_text(t)))
        }
        ExprKind::ListInit(_) => Desc::Op("list initializer".into()),
        ExprKind::MapInit(_) => Desc::Op("map initializer".into()),
        ExprKind::NewArray(..) | ExprKind::NewArrayInit(..) => Desc::Op("new array".into()),
        ExprKind::New(t, args) => Desc::Other(format!(
            "new object with constructor [{}/{}]",
            type_text(t),
            args.len()
        )),
        ExprKind::CallLocal(n, args) => Desc::Op(format!("function call [{n}/{}]", args.len())),
        ExprKind::Call { name, args, .. } => {
            Desc::Op(format!("method call [{name}/{}]", args.len()))
        }
        ExprKind::Field { .. } => Desc::Dot,
        ExprKind::Index(..) => Desc::Brace,
        _ => Desc::Op("expression".into()),
    }
}

fn type_text(t: &TypeName) -> String {
    format!("{}{}", t.name, "[]".repeat(t.dims))
}

fn not_a_statement(e: &Expr) -> String {
    match describe(e) {
        Desc::Leaf(d) => format!("not a statement: {d} not used"),
        Desc::Op(d) | Desc::Other(d) => format!("not a statement: result not used from {d}"),
        Desc::Dot => "not a statement: result of dot operator [.] not used".into(),
        Desc::Brace => "not a statement: result of brace operator not used".into(),
    }
}

fn invalid_assignment(e: &Expr) -> String {
    match describe(e) {
        Desc::Leaf(d) | Desc::Op(d) => format!("invalid assignment: cannot assign a value to {d}"),
        // (upstream's message for a new object has no colon)
        Desc::Other(d) => format!("invalid assignment cannot assign a value to {d}"),
        Desc::Dot | Desc::Brace => "invalid assignment: cannot assign a value".into(),
    }
}

fn is_statement_expr(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Assign { .. }
            | ExprKind::IncDec { .. }
            | ExprKind::Call { .. }
            | ExprKind::CallLocal(..)
            | ExprKind::New(..)
    )
}

impl<'l> Analyzer<'l> {
    fn cur(&mut self) -> &mut FnCtx {
        self.fns.last_mut().expect("a function context")
    }

    fn declare(&mut self, name: &str, ty: Ty, pos: usize) -> CResult<u32> {
        if self.visible(name) {
            return iae(pos, format!("variable [{name}] is already defined"));
        }
        let f = self.cur();
        let slot = f.slots;
        f.slots += 1;
        f.vars.push(Var {
            name: name.to_owned(),
            ty,
            slot,
        });
        Ok(slot)
    }

    /// Whether a name is a variable here, or in the functions a lambda is nested in.
    fn visible(&self, name: &str) -> bool {
        for f in self.fns.iter().rev() {
            if f.vars
                .iter()
                .any(|v| v.name == name && !f.captures.iter().any(|(c, _)| c == name))
            {
                return true;
            }
            if !f.is_lambda {
                break;
            }
        }
        false
    }

    /// Whether a slot of the current function holds a captured variable (read-only in lambdas).
    fn is_capture(&self, slot: u32) -> bool {
        self.fns
            .last()
            .is_some_and(|f| f.captures.iter().any(|(_, s)| *s == slot))
    }

    fn lookup_local(&self, name: &str) -> Option<(u32, Ty)> {
        let f = self.fns.last()?;
        f.vars
            .iter()
            .rev()
            .find(|v| v.name == name)
            .map(|v| (v.slot, v.ty.clone()))
    }

    /// A variable, capturing it from enclosing functions into lambdas.
    fn lookup_var(&mut self, name: &str) -> Option<(u32, Ty)> {
        fn find(fns: &mut [FnCtx], name: &str) -> Option<(u32, Ty)> {
            let (last, outer) = fns.split_last_mut()?;
            if let Some(v) = last.vars.iter().rev().find(|v| v.name == name) {
                return Some((v.slot, v.ty.clone()));
            }
            if !last.is_lambda {
                return None;
            }
            let (_, ty) = find(outer, name)?;
            let slot = last.slots;
            last.slots += 1;
            last.vars.push(Var {
                name: name.to_owned(),
                ty: ty.clone(),
                slot,
            });
            last.captures.push((name.to_owned(), slot));
            Some((slot, ty))
        }
        find(&mut self.fns, name)
    }

    fn resolve_type(&self, t: &TypeName) -> CResult<Ty> {
        let base = if t.name == "def" {
            Ty::Def
        } else if let Some(p) = P::from_name(&t.name) {
            Ty::Prim(p)
        } else if let Some(c) = self.lib.class_by_name(&t.name) {
            Ty::Class(c)
        } else {
            return iae(t.pos, format!("cannot resolve type [{}]", t.name));
        };
        let mut ty = base;
        for _ in 0..t.dims {
            ty = Ty::Array(Box::new(ty));
        }
        Ok(ty)
    }

    fn cast(
        &self,
        ex: Ex,
        from: &Ty,
        to: &Ty,
        explicit: bool,
        internal: bool,
        pos: usize,
    ) -> CResult<Ex> {
        match legal_cast(self.lib, from, to, explicit, internal) {
            Ok(None) => Ok(ex),
            Ok(Some(op)) => Ok(fold_cast(ex, op, pos)),
            Err(e) => err(pos, e),
        }
    }

    // ---- statements ----

    /// A block; `last_returns`: its last expression statement is the script's result.
    fn block(&mut self, stmts: &[Stmt], last_returns: bool) -> CResult<Vec<St>> {
        let mark = self.cur().vars.len();
        let mut out = Vec::with_capacity(stmts.len());
        for (i, s) in stmts.iter().enumerate() {
            let last = last_returns && i + 1 == stmts.len();
            let st = self.statement(s, last)?;
            out.push(St::At(s.pos, Box::new(st)));
        }
        self.cur().vars.truncate(mark);
        Ok(out)
    }

    fn sub_block(&mut self, s: &Stmt, last_returns: bool) -> CResult<Vec<St>> {
        match &s.kind {
            StmtKind::Block(b) => self.block(b, last_returns),
            _ => self.block(std::slice::from_ref(s), last_returns),
        }
    }

    fn statement(&mut self, s: &Stmt, last: bool) -> CResult<St> {
        let pos = s.pos;
        self.statements.push(pos);
        Ok(match &s.kind {
            StmtKind::Expr(e) => {
                if last {
                    let ret = self.cur().ret.clone();
                    if ret != Ty::Void {
                        self.flags = (false, true);
                        let (ex, ty) = self.expr(e, Some(&ret))?;
                        if ty == Ty::Void {
                            if !self.in_main && !self.cur().is_lambda {
                                let (name, arity) = self.cur_fn.clone().unwrap_or_default();
                                return iae(
                                    e.pos,
                                    format!(
                                        "invalid function definition: not all paths provide a return value for function [{name}] with [{arity}] parameters"
                                    ),
                                );
                            }
                            return Ok(St::Expr(ex));
                        }
                        let ex = self.cast(ex, &ty, &ret, false, true, e.pos)?;
                        return Ok(St::Return(Some(ex)));
                    }
                }
                if !is_statement_expr(e) {
                    return iae(e.pos, not_a_statement(e));
                }
                let (ex, _) = self.expr(e, None)?;
                St::Expr(ex)
            }
            StmtKind::Decl(t, vars) => {
                let ty = self.resolve_type(t)?;
                let mut out = Vec::new();
                for (name, init, vpos) in vars {
                    let value = match init {
                        Some(e) => {
                            let (ex, ety) = self.expr(e, Some(&ty))?;
                            Some(self.cast(ex, &ety, &ty, false, false, e.pos)?)
                        }
                        None => None,
                    };
                    let slot = self.declare(name, ty.clone(), *vpos)?;
                    let zero = match &ty {
                        Ty::Prim(p) => Some(zero_of(*p)),
                        _ => Some(Konst::Null),
                    };
                    out.push(St::Decl(slot, value, zero));
                }
                if out.len() == 1 {
                    out.pop().expect("one")
                } else {
                    St::Block(out)
                }
            }
            StmtKind::If(c, a, b) => {
                let cond = self.condition(c)?;
                let then = self.sub_block(a, last)?;
                let otherwise = match b {
                    Some(b) => self.sub_block(b, last)?,
                    None => Vec::new(),
                };
                St::If(cond, then, otherwise)
            }
            StmtKind::While(c, body) => {
                let cond = self.condition(c)?;
                self.cur().loops += 1;
                let body = match body {
                    Some(b) => self.sub_block(b, false)?,
                    None => Vec::new(),
                };
                self.cur().loops -= 1;
                let count = body.len().max(1) as u32;
                St::While(cond, body, count)
            }
            StmtKind::DoWhile(body, c) => {
                self.cur().loops += 1;
                let body = self.block(body, false)?;
                self.cur().loops -= 1;
                let cond = self.condition(c)?;
                let count = body.len().max(1) as u32;
                St::DoWhile(body, cond, count)
            }
            StmtKind::For {
                init,
                cond,
                after,
                body,
            } => {
                let mark = self.cur().vars.len();
                let init = match init {
                    None => Vec::new(),
                    Some(ForInit::Decl(d)) => vec![self.statement(d, false)?],
                    Some(ForInit::Expr(e)) => {
                        let (ex, _) = self.expr(e, None)?;
                        vec![St::Expr(ex)]
                    }
                };
                let cond = match cond {
                    Some(c) => Some(self.condition(c)?),
                    None => None,
                };
                let after = match after {
                    Some(e) => Some(self.expr(e, None)?.0),
                    None => None,
                };
                self.cur().loops += 1;
                let body = match body {
                    Some(b) => self.sub_block(b, false)?,
                    None => Vec::new(),
                };
                self.cur().loops -= 1;
                self.cur().vars.truncate(mark);
                let count = body.len().max(1) as u32;
                St::For {
                    init,
                    cond,
                    after,
                    body,
                    count,
                }
            }
            StmtKind::Each {
                ty,
                name,
                iterable,
                body,
            } => {
                let (it, it_ty) = self.expr(iterable, None)?;
                let elem_ty = match ty {
                    Some(t) => self.resolve_type(t)?,
                    None => Ty::Def,
                };
                // Arrays iterate their element type; Iterables and def give def.
                let source_elem = match &it_ty {
                    Ty::Array(e) => (**e).clone(),
                    Ty::Def => Ty::Def,
                    Ty::Class(c) if self.lib.is_subclass(*c, self.iterable()) => Ty::Def,
                    other => {
                        return iae(
                            iterable.pos,
                            format!("Cannot iterate over [{}].", other.canonical(self.lib)),
                        )
                    }
                };
                let cast = match legal_cast(self.lib, &source_elem, &elem_ty, true, false) {
                    Ok(c) => c,
                    Err(e) => return err(pos, e),
                };
                let mark = self.cur().vars.len();
                let slot = self.declare(name, elem_ty, pos)?;
                self.cur().loops += 1;
                let body = self.sub_block(body, false)?;
                self.cur().loops -= 1;
                self.cur().vars.truncate(mark);
                let count = body.len().max(1) as u32;
                St::Each {
                    slot,
                    iterable: it,
                    cast,
                    body,
                    count,
                    pos,
                }
            }
            StmtKind::Try(body, catches) => {
                let body = self.block(body, last)?;
                let mut out = Vec::new();
                for c in catches {
                    let ty = self.resolve_type(&c.ty)?;
                    let class = match &ty {
                        Ty::Class(cls) if self.is_exception_class(*cls) => {
                            self.lib.class(*cls).painless_name.clone()
                        }
                        _ => {
                            return err(
                                c.ty.pos,
                                Exception::class_cast(format!(
                                    "Not an exception type [{}].",
                                    ty.canonical(self.lib)
                                )),
                            )
                        }
                    };
                    let mark = self.cur().vars.len();
                    let slot = self.declare(&c.name, ty, c.pos)?;
                    let cbody = self.block(&c.body, last)?;
                    self.cur().vars.truncate(mark);
                    out.push(CatchIr {
                        class,
                        slot,
                        body: cbody,
                    });
                }
                St::Try(body, out)
            }
            StmtKind::Continue => {
                if self.cur().loops == 0 {
                    return iae(pos, "invalid continue statement");
                }
                St::Continue
            }
            StmtKind::Break => {
                if self.cur().loops == 0 {
                    return iae(pos, "invalid break statement");
                }
                St::Break
            }
            StmtKind::Return(e) => {
                let ret = self.cur().ret.clone();
                match e {
                    None => {
                        if ret != Ty::Void && !self.cur().is_lambda {
                            return err(
                                pos,
                                Exception::class_cast(format!(
                                    "Cannot cast from [void] to [{}].",
                                    ret.canonical(self.lib)
                                )),
                            );
                        }
                        St::Return(None)
                    }
                    Some(e) => {
                        if ret == Ty::Void {
                            let (_, ty) = self.expr(e, None)?;
                            return err(
                                e.pos,
                                Exception::class_cast(format!(
                                    "Cannot cast from [{}] to [void].",
                                    ty.canonical(self.lib)
                                )),
                            );
                        }
                        self.flags = (false, true);
                        let (ex, ty) = self.expr(e, Some(&ret))?;
                        St::Return(Some(self.cast(ex, &ty, &ret, false, true, e.pos)?))
                    }
                }
            }
            StmtKind::Throw(e) => {
                let (ex, _) = self.expr(e, None)?;
                St::Throw(ex, pos)
            }
            StmtKind::Block(b) => St::Block(self.block(b, last)?),
        })
    }

    fn iterable(&self) -> Cls {
        self.lib.class_by_name("Iterable").expect("Iterable")
    }

    fn is_exception_class(&self, c: Cls) -> bool {
        self.lib
            .class_by_name("Exception")
            .is_some_and(|e| self.lib.is_subclass(c, e))
    }

    fn condition(&mut self, e: &Expr) -> CResult<Ex> {
        let b = Ty::Prim(P::Boolean);
        let (ex, ty) = self.expr(e, Some(&b))?;
        self.cast(ex, &ty, &b, false, false, e.pos)
    }

    // ---- expressions ----

    fn string_ty(&self) -> Ty {
        Ty::Class(self.lib.string())
    }

    fn expr(&mut self, e: &Expr, target: Option<&Ty>) -> CResult<(Ex, Ty)> {
        let pos = e.pos;
        if matches!(e.kind, ExprKind::Var(_) | ExprKind::Field { .. }) {
            if let Some(c) = self.static_type_of(e) {
                return iae(
                    pos,
                    format!(
                        "value required: instead found unexpected type [{}]",
                        Ty::Class(c).canonical(self.lib)
                    ),
                );
            }
        }
        let (explicit, internal) = self.flags;
        self.flags = (false, false);
        match &e.kind {
            ExprKind::Numeric(text, kind) => {
                let (k, ty) = numeric(text, *kind, pos)?;
                // An int literal takes a byte, short or char target type (upstream
                // `visitNumeric` parses it as that type), so `byte b = 1` compiles.
                if let (Konst::Int(v), Some(Ty::Prim(p))) = (&k, target) {
                    let fits = match p {
                        P::Byte => i8::try_from(*v).is_ok(),
                        P::Short => i16::try_from(*v).is_ok(),
                        P::Char => u16::try_from(*v).is_ok(),
                        _ => false,
                    };
                    if fits {
                        let k = match p {
                            P::Byte => Konst::Byte(*v as i8),
                            P::Short => Konst::Short(*v as i16),
                            _ => Konst::Char(*v as u16),
                        };
                        return Ok((Ex::Const(k), Ty::Prim(*p)));
                    }
                }
                Ok((Ex::Const(k), ty))
            }
            ExprKind::Str(s) => Ok((
                Ex::Const(Konst::Str(Arc::from(s.as_str()))),
                self.string_ty(),
            )),
            ExprKind::Bool(b) => Ok((Ex::Const(Konst::Boolean(*b)), Ty::Prim(P::Boolean))),
            ExprKind::Null => {
                let ty = match target {
                    Some(Ty::Prim(p)) => {
                        return iae(
                            pos,
                            format!("Cannot cast null to a primitive type [{}].", p.name()),
                        )
                    }
                    Some(t) if *t != Ty::Void => t.clone(),
                    _ => Ty::Class(self.lib.object()),
                };
                Ok((Ex::Const(Konst::Null), ty))
            }
            ExprKind::Regex(p, f) => {
                if self.options.regex == RegexSetting::Disabled {
                    return err(
                        pos,
                        Exception::new(
                            "IllegalStateException",
                            "Regexes are disabled. Set [script.painless.regex.enabled] to [true] in opensearch.yaml to allow them. Be careful though, regexes break out of Painless's protection against deep recursion and long loops.",
                        ),
                    );
                }
                let pattern = self
                    .lib
                    .class_by_name("Pattern")
                    .map(Ty::Class)
                    .unwrap_or(Ty::Def);
                if pattern == Ty::Def {
                    return unsupported(pos, "regex literals (java.util.regex.Pattern)");
                }
                // A bad pattern is a compile error, as upstream compiles the literal with the
                // script.
                if let Err(e) = crate::stdlib::regex::compile(p, f) {
                    return err(pos, e);
                }
                let index = self.regexes;
                self.regexes += 1;
                Ok((Ex::Regex(p.clone(), f.clone(), index), pattern))
            }
            ExprKind::Var(name) => {
                if let Some((slot, ty)) = self.lookup_var(name) {
                    return Ok((Ex::Local(slot), ty));
                }
                iae(pos, format!("cannot resolve symbol [{name}]"))
            }
            ExprKind::CallLocal(name, args) => {
                if !self.sigs.contains_key(&(name.clone(), args.len())) {
                    if let Some(m) = self.lib.imported_method(name, args.len()) {
                        let f = self.native_of(m, pos)?;
                        let mut out = Vec::new();
                        for (a, p) in args.iter().zip(&m.params) {
                            out.push(self.arg(a, p)?);
                        }
                        return Ok((
                            Ex::CallNative {
                                f,
                                recv: None,
                                args: out,
                                null_safe: false,
                                pos,
                            },
                            m.ret.clone(),
                        ));
                    }
                }
                let Some(sig) = self.sigs.get(&(name.clone(), args.len())) else {
                    return iae(
                        pos,
                        format!("Unknown call [{name}] with [{}] arguments.", args.len()),
                    );
                };
                let (index, params, ret) = (sig.index, sig.params.clone(), sig.ret.clone());
                let mut out = Vec::new();
                for (a, p) in args.iter().zip(&params) {
                    out.push(self.arg(a, p)?);
                }
                Ok((
                    Ex::CallLocal {
                        func: index,
                        args: out,
                        pos,
                    },
                    ret,
                ))
            }
            ExprKind::New(t, args) => self.new_object(t, args, pos),
            ExprKind::NewArray(t, sizes) => {
                let elem = self.resolve_type(&TypeName {
                    name: t.name.clone(),
                    dims: 0,
                    pos: t.pos,
                })?;
                let mut dims = Vec::new();
                for s in sizes {
                    let (ex, ty) = self.expr(s, Some(&Ty::Prim(P::Int)))?;
                    dims.push(self.cast(ex, &ty, &Ty::Prim(P::Int), false, false, s.pos)?);
                }
                let mut ty = elem.clone();
                for _ in 0..sizes.len() {
                    ty = Ty::Array(Box::new(ty));
                }
                Ok((Ex::NewArray(elem, dims), ty))
            }
            ExprKind::NewArrayInit(t, items) => {
                let ty = self.resolve_type(t)?;
                let Ty::Array(elem) = &ty else {
                    return iae(pos, "invalid array initializer");
                };
                let elem = (**elem).clone();
                let mut out = Vec::new();
                for i in items {
                    let (ex, ity) = self.expr(i, Some(&elem))?;
                    out.push(self.cast(ex, &ity, &elem, false, false, i.pos)?);
                }
                Ok((Ex::NewArrayInit(elem, out), ty))
            }
            ExprKind::ListInit(items) => {
                let mut out = Vec::new();
                for i in items {
                    let (ex, ity) = self.expr(i, Some(&Ty::Def))?;
                    out.push(self.cast(ex, &ity, &Ty::Def, false, true, i.pos)?);
                }
                let ty = Ty::Class(self.lib.class_by_name("ArrayList").expect("ArrayList"));
                Ok((Ex::NewList(out), ty))
            }
            ExprKind::MapInit(entries) => {
                let mut out = Vec::new();
                for (k, v) in entries {
                    let (kx, kt) = self.expr(k, Some(&Ty::Def))?;
                    let (vx, vt) = self.expr(v, Some(&Ty::Def))?;
                    out.push((
                        self.cast(kx, &kt, &Ty::Def, false, true, k.pos)?,
                        self.cast(vx, &vt, &Ty::Def, false, true, v.pos)?,
                    ));
                }
                let ty = Ty::Class(self.lib.class_by_name("HashMap").expect("HashMap"));
                Ok((Ex::NewMap(out), ty))
            }
            ExprKind::Field { .. } | ExprKind::Index(..) => {
                if let Some(r) = self.static_field(e)? {
                    return Ok(r);
                }
                let (place, ty, null_safe) = self.place(e)?;
                if null_safe && ty.is_prim() {
                    return iae(pos, "Result of null safe operator must be nullable");
                }
                if null_safe {
                    return Ok((Ex::LoadNullSafe(Box::new(place), pos), ty));
                }
                Ok((Ex::Load(Box::new(place), pos), ty))
            }
            ExprKind::Call {
                target,
                name,
                args,
                null_safe,
            } => self.call(target, name, args, *null_safe, pos),
            ExprKind::Unary(op, x) => self.unary(*op, x, pos),
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, pos),
            ExprKind::Bool2(and, l, r) => {
                let l = self.condition(l)?;
                let r = self.condition(r)?;
                let (l, r) = (Box::new(l), Box::new(r));
                Ok((
                    if *and { Ex::And(l, r) } else { Ex::Or(l, r) },
                    Ty::Prim(P::Boolean),
                ))
            }
            ExprKind::Comp(op, l, r) => self.compare(*op, l, r, pos),
            ExprKind::Instanceof(x, t) => {
                let (ex, _) = self.expr(x, None)?;
                let ty = self.resolve_type(t)?;
                Ok((Ex::InstanceOf(Box::new(ex), ty), Ty::Prim(P::Boolean)))
            }
            ExprKind::Elvis(l, r) => {
                self.flags = (explicit, internal);
                let (lx, lt) = self.expr(l, target)?;
                self.flags = (explicit, internal);
                let (rx, rt) = self.expr(r, target)?;
                if matches!(l.kind, ExprKind::Null) {
                    return iae(pos, "Extraneous elvis operator. LHS is null.".to_string());
                }
                if matches!(
                    l.kind,
                    ExprKind::Bool(_) | ExprKind::Numeric(..) | ExprKind::Str(_)
                ) {
                    return iae(
                        pos,
                        "Extraneous elvis operator. LHS is a constant.".to_string(),
                    );
                }
                if lt.is_prim() {
                    return iae(
                        pos,
                        "Extraneous elvis operator. LHS is a primitive.".to_string(),
                    );
                }

                if matches!(r.kind, ExprKind::Null) {
                    return iae(pos, "Extraneous elvis operator. RHS is null.".to_string());
                }
                let ty = match target {
                    Some(t) if *t != Ty::Void => t.clone(),
                    _ => promote_conditional(self.lib, &lt, &rt).ok_or_else(|| CompileError {
                        offset: pos,
                        exception: Exception::class_cast(format!(
                            "cannot apply the elvis operator [?:] to the types [{}] and [{}]",
                            lt.canonical(self.lib),
                            rt.canonical(self.lib)
                        )),
                    })?,
                };
                if ty.is_prim() {
                    return iae(pos, "Elvis operator cannot return primitives".to_string());
                }
                let lx = self.cast(lx, &lt, &ty, explicit, internal, l.pos)?;
                let rx = self.cast(rx, &rt, &ty, explicit, internal, r.pos)?;
                Ok((Ex::Elvis(Box::new(lx), Box::new(rx)), ty))
            }
            ExprKind::Cond(c, a, b) => {
                let cond = self.condition(c)?;
                self.flags = (explicit, internal);
                let (ax, at) = self.expr(a, target)?;
                self.flags = (explicit, internal);
                let (bx, bt) = self.expr(b, target)?;
                let ty = match target {
                    Some(t) if *t != Ty::Void => t.clone(),
                    _ => promote_conditional(self.lib, &at, &bt).ok_or_else(|| CompileError {
                        offset: pos,
                        exception: Exception::class_cast(format!(
                            "cannot apply the conditional operator [?:] to the types [{}] and [{}]",
                            at.canonical(self.lib),
                            bt.canonical(self.lib)
                        )),
                    })?,
                };
                let ax = self.cast(ax, &at, &ty, explicit, internal, a.pos)?;
                let bx = self.cast(bx, &bt, &ty, explicit, internal, b.pos)?;
                Ok((Ex::Cond(Box::new(cond), Box::new(ax), Box::new(bx)), ty))
            }
            ExprKind::Assign {
                target: t,
                op,
                value,
            } => self.assign(t, *op, value, pos),
            ExprKind::IncDec {
                target: t,
                inc,
                post,
            } => {
                let (place, pty, _) = self.place(t)?;
                let one = Expr {
                    kind: ExprKind::Numeric("1".into(), NumKind::Integer),
                    pos,
                };
                let op = if *inc { BinOp::Add } else { BinOp::Sub };
                self.compound(place, pty, op, &one, *post, pos)
            }
            ExprKind::Cast(t, x) => {
                let ty = self.resolve_type(t)?;
                self.flags = (true, internal);
                let (ex, xt) = self.expr(x, Some(&ty))?;
                let ex = self.cast(ex, &xt, &ty, true, internal, pos)?;
                Ok((ex, ty))
            }
            ExprKind::Lambda { .. } | ExprKind::FuncRef { .. } => {
                let (ex, ty) = self.function_value(e, None)?;
                Ok((ex, ty))
            }
        }
    }

    /// `Integer.MAX_VALUE` and other static fields.
    fn static_field(&mut self, e: &Expr) -> CResult<Option<(Ex, Ty)>> {
        if let ExprKind::Field { target, name, .. } = &e.kind {
            if let Some(c) = self.static_type_of(target) {
                if let Some((ty, v)) = self.lib.static_field(c, name) {
                    let Some(v) = v else {
                        return unsupported(
                            e.pos,
                            format!("{}.{name}", self.lib.class(c).painless_name),
                        );
                    };
                    return Ok(Some(match konst_of(&v) {
                        Some(k) => (Ex::Const(k), ty),
                        None => (Ex::StaticValue(c, name.clone()), ty),
                    }));
                }
                return iae(
                    e.pos,
                    format!(
                        "field [{}, {name}] not found",
                        Ty::Class(c).canonical(self.lib)
                    ),
                );
            }
        }
        Ok(None)
    }

    /// When `e` names a class (`Math`, `Map.Entry`) rather than a value.
    fn static_type_of(&mut self, e: &Expr) -> Option<Cls> {
        match &e.kind {
            ExprKind::Var(name) => {
                if self.lookup_var(name).is_some() {
                    return None;
                }
                self.lib.class_by_name(name)
            }
            ExprKind::Field {
                target,
                name,
                null_safe: false,
            } => {
                let mut path = String::new();
                if dotted(target, &mut path) {
                    let first = path.split('.').next().unwrap_or("");
                    if self.lookup_local(first).is_some() {
                        return None;
                    }
                    path.push('.');
                    path.push_str(name);
                    return self.lib.class_by_name(&path);
                }
                None
            }
            _ => None,
        }
    }

    fn arg(&mut self, a: &Expr, param: &Ty) -> CResult<Ex> {
        if matches!(a.kind, ExprKind::Lambda { .. } | ExprKind::FuncRef { .. }) {
            return Ok(self.function_value(a, Some(param))?.0);
        }
        self.flags = (false, true);
        let (ex, ty) = self.expr(a, Some(param))?;
        self.cast(ex, &ty, param, false, true, a.pos)
    }

    fn new_object(&mut self, t: &TypeName, args: &[Expr], pos: usize) -> CResult<(Ex, Ty)> {
        let ty = self.resolve_type(t)?;
        let Ty::Class(c) = ty else {
            return iae(pos, format!("cannot resolve type [{}]", t.name));
        };
        if self.is_exception_class(c) {
            let message = match args {
                [] => None,
                [m] => {
                    let s = self.string_ty();
                    let (ex, mt) = self.expr(m, Some(&s))?;
                    Some(Box::new(self.cast(ex, &mt, &s, false, true, m.pos)?))
                }
                _ => return unsupported(pos, format!("{}/{} constructor", t.name, args.len())),
            };
            return Ok((
                Ex::NewException(self.lib.class(c).painless_name.clone(), message),
                Ty::Class(c),
            ));
        }
        let Some(m) = self.lib.constructor(c, args.len()) else {
            return iae(
                pos,
                format!(
                    "constructor [{}, <init>/{}] not found",
                    Ty::Class(c).canonical(self.lib),
                    args.len()
                ),
            );
        };
        let f = self.native_of(m, pos)?;
        let mut out = Vec::new();
        for (a, p) in args.iter().zip(&m.params) {
            out.push(self.arg(a, p)?);
        }
        Ok((
            Ex::CallNative {
                f,
                recv: None,
                args: out,
                null_safe: false,
                pos,
            },
            Ty::Class(c),
        ))
    }

    fn native_of(&self, m: &MethodInfo, pos: usize) -> CResult<super::library::NativeFn> {
        if m.native.is_none() && self.is_exception_class(m.class) {
            // Exceptions are the language's own values (`ThrowableValue`).
            if let Some(f) = super::interp::throwable_method(&m.name, m.params.len()) {
                return Ok(f);
            }
        }
        match m.native {
            Some(f) => Ok(f),
            None => unsupported(
                pos,
                format!(
                    "{}.{}/{}",
                    self.lib.class(m.class).painless_name,
                    m.name,
                    m.params.len()
                ),
            ),
        }
    }

    fn call(
        &mut self,
        target: &Expr,
        name: &str,
        args: &[Expr],
        null_safe: bool,
        pos: usize,
    ) -> CResult<(Ex, Ty)> {
        if let Some(c) = self.static_type_of(target) {
            let Some(m) = self.lib.static_method(c, name, args.len()) else {
                return iae(
                    pos,
                    format!(
                        "static method [{}, {name}/{}] not found",
                        Ty::Class(c).canonical(self.lib),
                        args.len()
                    ),
                );
            };
            let f = self.native_of(m, pos)?;
            let mut out = Vec::new();
            for (a, p) in args.iter().zip(&m.params) {
                out.push(self.arg(a, p)?);
            }
            return Ok((
                Ex::CallNative {
                    f,
                    recv: None,
                    args: out,
                    null_safe: false,
                    pos,
                },
                m.ret.clone(),
            ));
        }
        let (recv, rty) = self.expr(target, None)?;
        let class = match &rty {
            Ty::Def => {
                let mut out = Vec::new();
                for a in args {
                    if matches!(a.kind, ExprKind::Lambda { .. } | ExprKind::FuncRef { .. }) {
                        out.push(self.function_value(a, None)?.0);
                    } else {
                        let (ex, ty) = self.expr(a, None)?;
                        out.push(self.cast(ex, &ty, &Ty::Def, false, true, a.pos)?);
                    }
                }
                return Ok((
                    Ex::CallDef {
                        recv: Box::new(recv),
                        name: name.to_owned(),
                        args: out,
                        null_safe,
                        pos,
                    },
                    Ty::Def,
                ));
            }
            Ty::Prim(p) => self.lib.boxed(*p),
            Ty::Class(c) => *c,
            Ty::Array(_) | Ty::Void => {
                return iae(
                    pos,
                    format!(
                        "method [{}, {name}/{}] not found",
                        rty.canonical(self.lib),
                        args.len()
                    ),
                )
            }
        };
        let Some(m) = self.lib.method(class, name, args.len()) else {
            return iae(
                pos,
                format!(
                    "method [{}, {name}/{}] not found",
                    Ty::Class(class).canonical(self.lib),
                    args.len()
                ),
            );
        };
        // The abstract method of a functional interface on a lambda or method reference value:
        // the interpreter calls the function.
        if m.native.is_none() {
            let functional = self
                .lib
                .functional_method(class)
                .is_some_and(|f| f.name == m.name && f.params.len() == m.params.len());
            if functional {
                let (params, ret) = (m.params.clone(), m.ret.clone());
                let mut out = Vec::new();
                for (a, p) in args.iter().zip(&params) {
                    let ex = self.arg(a, p)?;
                    out.push(ex);
                }
                let call = Ex::CallDef {
                    recv: Box::new(recv),
                    name: name.to_owned(),
                    args: out,
                    null_safe,
                    pos,
                };
                if ret == Ty::Void {
                    return Ok((call, Ty::Void));
                }
                let call = self.cast(call, &Ty::Def, &ret, false, true, pos)?;
                return Ok((call, ret));
            }
        }
        let f = self.native_of(m, pos)?;
        let mut out = Vec::new();
        for (a, p) in args.iter().zip(&m.params) {
            out.push(self.arg(a, p)?);
        }
        if null_safe && m.ret.is_prim() {
            return iae(pos, "Result of null safe operator must be nullable");
        }
        Ok((
            Ex::CallNative {
                f,
                recv: Some(Box::new(recv)),
                args: out,
                null_safe,
                pos,
            },
            m.ret.clone(),
        ))
    }

    /// A lambda or method reference, typed against `target` (a functional interface) when
    /// known; otherwise def, to be adapted where it is used.
    fn function_value(&mut self, e: &Expr, target: Option<&Ty>) -> CResult<(Ex, Ty)> {
        let fm = match target {
            Some(Ty::Class(c)) => self.lib.functional_method(*c),
            _ => None,
        };
        match &e.kind {
            ExprKind::Lambda { params, body } => {
                if let Some(m) = &fm {
                    if m.params.len() != params.len() {
                        return iae(
                            e.pos,
                            format!(
                                "Incorrect number of parameters for [{}] in [{}]",
                                m.name,
                                target.map(|t| t.canonical(self.lib)).unwrap_or_default()
                            ),
                        );
                    }
                }
                let ret = fm.as_ref().map(|m| m.ret.clone()).unwrap_or(Ty::Def);
                self.fns.push(FnCtx {
                    vars: Vec::new(),
                    slots: 0,
                    ret: ret.clone(),
                    loops: 0,
                    captures: Vec::new(),
                    is_lambda: true,
                });
                let mut param_casts = Vec::new();
                for (i, (t, name)) in params.iter().enumerate() {
                    let ty = match t {
                        Some(t) => self.resolve_type(t)?,
                        None => fm
                            .as_ref()
                            .and_then(|m| m.params.get(i).cloned())
                            .unwrap_or(Ty::Def),
                    };
                    // Arguments arrive as values from natives: cast them from def.
                    let cast = legal_cast(self.lib, &Ty::Def, &ty, false, true)
                        .ok()
                        .flatten();
                    param_casts.push(cast);
                    self.declare(name, ty, e.pos)?;
                }
                let body = match body {
                    LambdaBody::Block(b) => self.block(b, ret != Ty::Void)?,
                    LambdaBody::Expr(x) => {
                        let (ex, ty) = self.expr(x, Some(&ret))?;
                        if ty == Ty::Void && ret != Ty::Void && ret != Ty::Def {
                            return err(
                                x.pos,
                                Exception::class_cast(format!(
                                    "Cannot cast from [void] to [{}].",
                                    ret.canonical(self.lib)
                                )),
                            );
                        }
                        if ret == Ty::Void || ty == Ty::Void {
                            vec![St::Expr(ex)]
                        } else {
                            let ex = self.cast(ex, &ty, &ret, false, true, x.pos)?;
                            vec![St::Return(Some(ex))]
                        }
                    }
                };
                let ctx = self.fns.pop().expect("lambda context");
                // Captures become the first parameters: reorder slots so captures come first.
                let captures: Vec<(String, u32)> = ctx.captures.clone();
                let mut outer_slots = Vec::new();
                for (name, _) in &captures {
                    let (slot, _) = self.lookup_var(name).expect("captured variable exists");
                    outer_slots.push(slot);
                }
                let index = self.functions.len();
                let yields_value = super::ir::returns_value(&body);
                self.functions.push(Some(Function {
                    name: format!("lambda${index}"),
                    arity: params.len(),
                    slots: ctx.slots,
                    body,
                    ret,
                    yields_value,
                    param_casts,
                }));
                // The interpreter puts captured values into their slots: record them.
                let capture_slots: Vec<u32> = captures.iter().map(|(_, s)| *s).collect();
                let arity = params.len();
                let mut all = Vec::new();
                for (outer, inner) in outer_slots.iter().zip(&capture_slots) {
                    all.push(*outer);
                    all.push(*inner);
                }
                Ok((
                    Ex::Lambda {
                        func: index,
                        captures: all,
                        arity,
                    },
                    target.cloned().unwrap_or(Ty::Def),
                ))
            }
            ExprKind::FuncRef { target: t, method } => {
                let ty = target.cloned().unwrap_or(Ty::Def);
                if let (Some(tt), None) = (target, &fm) {
                    let written = match t {
                        FuncRefTarget::This => "this".to_owned(),
                        FuncRefTarget::Type(tn) => type_text(tn),
                    };
                    return iae(
                        e.pos,
                        format!(
                            "cannot convert function reference [{written}::{method}] to a non-functional interface [{}]",
                            tt.canonical(self.lib)
                        ),
                    );
                }
                match t {
                    FuncRefTarget::This => {
                        let arity = fm.as_ref().map(|m| m.params.len());
                        let found = self
                            .sigs
                            .iter()
                            .find(|((n, a), _)| n == method && arity.is_none_or(|ar| ar == *a))
                            .map(|(_, s)| s.index);
                        match found {
                            Some(i) => Ok((Ex::FuncRef(FuncRef::Local(i)), ty)),
                            None => iae(
                                e.pos,
                                format!("function reference [this::{method}] not found"),
                            ),
                        }
                    }
                    FuncRefTarget::Type(tn) => {
                        if tn.dims == 0 && self.lookup_var(&tn.name).is_some() {
                            let v = Expr {
                                kind: ExprKind::Var(tn.name.clone()),
                                pos: e.pos,
                            };
                            let (recv, rty) = self.expr(&v, None)?;
                            if let (Some(f), Ty::Class(c)) = (&fm, &rty) {
                                if let Some(m) = self.lib.method(*c, method, f.params.len()) {
                                    if m.ret == Ty::Void && f.ret != Ty::Void {
                                        return err(
                                            e.pos,
                                            Exception::class_cast(format!(
                                                "Cannot cast from [void] to [{}].",
                                                f.ret.canonical(self.lib)
                                            )),
                                        );
                                    }
                                }
                            }
                            let iface = match (&fm, target) {
                                (Some(_), Some(Ty::Class(c))) => Some(*c),
                                _ => None,
                            };
                            return Ok((Ex::BoundRef(Box::new(recv), method.clone(), iface), ty));
                        }
                        let Ok(rt) = self.resolve_type(tn) else {
                            return iae(e.pos, format!("variable [{}] is not defined", tn.name));
                        };
                        if method == "new" {
                            return match rt {
                                Ty::Array(_) => Ok((Ex::FuncRef(FuncRef::NewArray(rt)), ty)),
                                Ty::Class(c) => Ok((Ex::FuncRef(FuncRef::Ctor(c)), ty)),
                                _ => iae(e.pos, "invalid constructor reference"),
                            };
                        }
                        let c = match rt {
                            Ty::Class(c) => c,
                            Ty::Prim(p) => self.lib.boxed(p),
                            _ => return iae(e.pos, "invalid function reference"),
                        };
                        // A static method if the functional arity matches one, else an
                        // instance method taking the receiver first.
                        if let Some(arity) = fm.as_ref().map(|m| m.params.len()) {
                            if let Some(m) = self.lib.static_method(c, method, arity) {
                                let f = self.native_of(m, e.pos)?;
                                return Ok((Ex::FuncRef(FuncRef::Static(f)), ty));
                            }
                            if arity == 0 || self.lib.method(c, method, arity - 1).is_none() {
                                return iae(
                                    e.pos,
                                    format!(
                                        "function reference [{}::{method}/{arity}] matching [{}, {}/{arity}] not found",
                                        tn.name,
                                        target.map(|t| t.canonical(self.lib)).unwrap_or_default(),
                                        fm.as_ref().map(|m| m.name.clone()).unwrap_or_default()
                                    ),
                                );
                            }
                        }
                        let exists = (0..=8).any(|n| {
                            self.lib.method(c, method, n).is_some()
                                || self.lib.static_method(c, method, n).is_some()
                        });
                        if !exists {
                            return iae(
                                e.pos,
                                format!("function reference [{}::{method}] not found", tn.name),
                            );
                        }
                        Ok((Ex::FuncRef(FuncRef::Unbound(c, method.clone())), ty))
                    }
                }
            }
            _ => unreachable!("function_value on a non-function"),
        }
    }

    /// An assignable (or readable) location: local, map key, list index, array element,
    /// def field, getter/setter.
    fn place(&mut self, e: &Expr) -> CResult<(Place, Ty, bool)> {
        let pos = e.pos;
        if matches!(e.kind, ExprKind::Var(_) | ExprKind::Field { .. }) {
            if let Some(c) = self.static_type_of(e) {
                return iae(
                    pos,
                    format!(
                        "invalid assignment: cannot write a value to a static type [{}]",
                        Ty::Class(c).canonical(self.lib)
                    ),
                );
            }
        }
        match &e.kind {
            ExprKind::Var(name) => match self.lookup_var(name) {
                Some((slot, ty)) => Ok((Place::Local(slot), ty, false)),
                None => iae(pos, format!("cannot resolve symbol [{name}]")),
            },
            ExprKind::Field {
                target,
                name,
                null_safe,
            } => {
                if let Some(c) = self.static_type_of(target) {
                    if let Some((ty, Some(v))) = self.lib.static_field(c, name) {
                        if let Some(k) = konst_of(&v) {
                            return Ok((Place::Static(k), ty, false));
                        }
                    }
                    return iae(
                        pos,
                        format!(
                            "field [{}, {name}] not found",
                            Ty::Class(c).canonical(self.lib)
                        ),
                    );
                }
                let (recv, rty) = self.expr(target, None)?;
                let ns = *null_safe;
                match &rty {
                    Ty::Def => Ok((Place::DefField(recv, name.clone()), Ty::Def, ns)),
                    Ty::Array(_) => {
                        if name == "length" {
                            Ok((Place::ArrayLength(recv), Ty::Prim(P::Int), ns))
                        } else {
                            iae(
                                pos,
                                format!(
                                    "Field [{name}] does not exist for type [{}].",
                                    rty.canonical(self.lib)
                                ),
                            )
                        }
                    }
                    // `map.key` is `map.get('key')`/`put`: the def field path does the same
                    // on a map, without building the key string per access.
                    Ty::Class(c) if self.is_map(*c) => {
                        Ok((Place::DefField(recv, name.clone()), Ty::Def, ns))
                    }
                    Ty::Class(c)
                        if self.is_list(*c) && name.chars().all(|ch| ch.is_ascii_digit()) =>
                    {
                        let i: i32 = name.parse().map_err(|_| CompileError {
                            offset: pos,
                            exception: Exception::illegal_argument(format!(
                                "Invalid int constant [{name}]."
                            )),
                        })?;
                        Ok((
                            Place::ListIndex(recv, Ex::Const(Konst::Int(i))),
                            Ty::Def,
                            ns,
                        ))
                    }
                    Ty::Class(c) => {
                        let c = *c;
                        self.accessor(recv, c, name, pos, ns)
                    }
                    Ty::Prim(p) => {
                        let c = self.lib.boxed(*p);
                        self.accessor(recv, c, name, pos, ns)
                    }
                    Ty::Void => iae(pos, "invalid field access"),
                }
            }
            ExprKind::Index(target, index) => {
                let (recv, rty) = self.expr(target, None)?;
                match &rty {
                    Ty::Def => {
                        let (ix, it) = self.expr(index, None)?;
                        let ix = self.cast(ix, &it, &Ty::Def, false, true, index.pos)?;
                        Ok((Place::DefIndex(recv, ix), Ty::Def, false))
                    }
                    Ty::Array(elem) => {
                        let int = Ty::Prim(P::Int);
                        let (ix, it) = self.expr(index, Some(&int))?;
                        let ix = self.cast(ix, &it, &int, false, false, index.pos)?;
                        Ok((Place::ArrayIndex(recv, ix), (**elem).clone(), false))
                    }
                    Ty::Class(c) if self.is_map(*c) => {
                        let (ix, it) = self.expr(index, None)?;
                        let ix = self.cast(ix, &it, &Ty::Def, false, true, index.pos)?;
                        Ok((Place::MapKey(recv, ix), Ty::Def, false))
                    }
                    Ty::Class(c) if self.is_list(*c) => {
                        let int = Ty::Prim(P::Int);
                        let (ix, it) = self.expr(index, Some(&int))?;
                        let ix = self.cast(ix, &it, &int, false, true, index.pos)?;
                        Ok((Place::ListIndex(recv, ix), Ty::Def, false))
                    }
                    other => iae(
                        pos,
                        format!(
                            "Illegal array access on type [{}].",
                            other.canonical(self.lib)
                        ),
                    ),
                }
            }
            _ => iae(pos, invalid_assignment(e)),
        }
    }

    fn accessor(
        &mut self,
        recv: Ex,
        c: Cls,
        name: &str,
        pos: usize,
        null_safe: bool,
    ) -> CResult<(Place, Ty, bool)> {
        let cap = capitalize(name);
        let getter = self
            .lib
            .method(c, &format!("get{cap}"), 0)
            .or_else(|| self.lib.method(c, &format!("is{cap}"), 0));
        let setter = self.lib.method(c, &format!("set{cap}"), 1);
        if getter.is_none() && setter.is_none() {
            return iae(
                pos,
                format!(
                    "field [{}, {name}] not found",
                    Ty::Class(c).canonical(self.lib)
                ),
            );
        }
        let ty = getter
            .as_ref()
            .map(|g| g.ret.clone())
            .or_else(|| setter.as_ref().map(|s| s.params[0].clone()))
            .unwrap_or(Ty::Def);
        let g = match &getter {
            Some(m) => Some(self.native_of(m, pos)?),
            None => None,
        };
        let s = match &setter {
            Some(m) => Some(self.native_of(m, pos)?),
            None => None,
        };
        Ok((
            Place::Accessor {
                recv,
                getter: g,
                setter: s,
                name: name.to_owned(),
            },
            ty,
            null_safe,
        ))
    }

    fn is_map(&self, c: Cls) -> bool {
        self.lib
            .class_by_name("Map")
            .is_some_and(|m| self.lib.is_subclass(c, m))
    }
    fn is_list(&self, c: Cls) -> bool {
        self.lib
            .class_by_name("List")
            .is_some_and(|m| self.lib.is_subclass(c, m))
    }

    fn assign(
        &mut self,
        target: &Expr,
        op: Option<BinOp>,
        value: &Expr,
        pos: usize,
    ) -> CResult<(Ex, Ty)> {
        let (place, pty, _) = self.place(target)?;
        if matches!(place, Place::ArrayLength(_) | Place::Static(_)) {
            return iae(
                pos,
                "invalid assignment: cannot assign a value to a read-only field",
            );
        }
        if let (Place::Local(slot), ExprKind::Var(name)) = (&place, &target.kind) {
            if self.is_capture(*slot) {
                return iae(pos, format!("variable [{name}] is read-only"));
            }
        }
        match op {
            None => {
                let (vx, vt) = self.expr(value, Some(&pty))?;
                let vx = self.cast(vx, &vt, &pty, false, false, value.pos)?;
                Ok((
                    Ex::Store {
                        place: Box::new(place),
                        value: Box::new(vx),
                        pos,
                    },
                    pty,
                ))
            }
            Some(op) => self.compound(place, pty, op, value, false, pos),
        }
    }

    fn compound(
        &mut self,
        place: Place,
        pty: Ty,
        op: BinOp,
        value: &Expr,
        post: bool,
        pos: usize,
    ) -> CResult<(Ex, Ty)> {
        if matches!(place, Place::ArrayLength(_) | Place::Static(_)) {
            return iae(
                pos,
                "invalid assignment: cannot assign a value to a read-only field",
            );
        }
        let (rx, rt) = self.expr(value, None)?;
        let promote = match op {
            BinOp::Add => promote_add(self.lib, &pty, &rt),
            BinOp::Mul | BinOp::Div | BinOp::Rem | BinOp::Sub => promote_numeric2(&pty, &rt, true),
            BinOp::Lsh | BinOp::Rsh | BinOp::Ush => promote_numeric1(&pty, false),
            BinOp::BwAnd | BinOp::Xor | BinOp::BwOr => promote_xor(&pty, &rt),
            BinOp::Find | BinOp::Match => None,
        };
        let Some(promote) = promote else {
            return err(
                pos,
                Exception::class_cast(format!(
                    "Cannot apply compound assignment [{}=] to types [{}] and [{}].",
                    op.symbol(),
                    pty.canonical(self.lib),
                    rt.canonical(self.lib)
                )),
            );
        };
        let kind = self.kind_of(&promote);
        let is_shift = matches!(op, BinOp::Lsh | BinOp::Rsh | BinOp::Ush);
        let (read_cast, rx) = if kind == Kind::Str {
            (None, rx)
        } else if promote == Ty::Def {
            (None, self.cast(rx, &rt, &Ty::Def, false, true, value.pos)?)
        } else {
            let read =
                legal_cast(self.lib, &pty, &promote, false, true).map_err(|e| CompileError {
                    offset: pos,
                    exception: e,
                })?;
            let rhs_ty = if is_shift {
                let r = promote_numeric1(&rt, false).ok_or_else(|| CompileError {
                    offset: pos,
                    exception: Exception::class_cast(format!(
                        "Cannot apply compound assignment [{}=] to types [{}] and [{}].",
                        op.symbol(),
                        pty.canonical(self.lib),
                        rt.canonical(self.lib)
                    )),
                })?;
                if r == Ty::Prim(P::Long) {
                    Ty::Prim(P::Int)
                } else {
                    r
                }
            } else {
                promote.clone()
            };
            let rx = if is_shift && rt == Ty::Prim(P::Long) {
                self.cast(rx, &rt, &Ty::Prim(P::Int), true, true, value.pos)?
            } else {
                self.cast(rx, &rt, &rhs_ty, false, true, value.pos)?
            };
            (read, rx)
        };
        let back_cast = if kind == Kind::Str {
            legal_cast(self.lib, &self.string_ty(), &pty, true, false).map_err(|e| {
                CompileError {
                    offset: pos,
                    exception: e,
                }
            })?
        } else {
            legal_cast(self.lib, &promote, &pty, true, false).map_err(|e| CompileError {
                offset: pos,
                exception: e,
            })?
        };
        let def_back = pty == Ty::Def;
        Ok((
            Ex::Compound {
                place: Box::new(place),
                op,
                kind,
                read_cast,
                rhs: Box::new(rx),
                back_cast,
                def_back,
                post,
                pos,
            },
            pty,
        ))
    }

    fn kind_of(&self, t: &Ty) -> Kind {
        match t {
            Ty::Def => Kind::Def,
            Ty::Prim(p) => Kind::Prim(*p),
            Ty::Class(c) if *c == self.lib.string() => Kind::Str,
            _ => Kind::Obj,
        }
    }

    fn unary(&mut self, op: UnOp, x: &Expr, pos: usize) -> CResult<(Ex, Ty)> {
        if op == UnOp::Not {
            let ex = self.condition(x)?;
            return Ok((Ex::Not(Box::new(ex)), Ty::Prim(P::Boolean)));
        }
        let (ex, ty) = self.expr(x, None)?;
        let promote = match op {
            UnOp::BwNot => promote_numeric1(&ty, false),
            _ => promote_numeric1(&ty, true),
        };
        let Some(promote) = promote else {
            let sym = match op {
                UnOp::BwNot => "~",
                UnOp::Neg => "-",
                _ => "+",
            };
            return err(
                pos,
                Exception::class_cast(format!(
                    "cannot apply the {} operator [{sym}] to the type [{}]",
                    match op {
                        UnOp::BwNot => "bitwise not",
                        UnOp::Neg => "subtraction",
                        _ => "addition",
                    },
                    ty.canonical(self.lib)
                )),
            );
        };
        let ex = self.cast(ex, &ty, &promote, false, true, pos)?;
        let kind = self.kind_of(&promote);
        let out = match op {
            UnOp::BwNot => Ex::BwNot(kind, Box::new(ex), pos),
            UnOp::Neg => Ex::Neg(kind, Box::new(ex), pos),
            _ => {
                if kind == Kind::Def {
                    Ex::Plus(Box::new(ex), pos)
                } else {
                    ex
                }
            }
        };
        Ok((out, promote))
    }

    fn binary(&mut self, op: BinOp, l: &Expr, r: &Expr, pos: usize) -> CResult<(Ex, Ty)> {
        let (lx, lt) = self.expr(l, None)?;
        let (rx, rt) = self.expr(r, None)?;
        if matches!(op, BinOp::Find | BinOp::Match) {
            return self.regex_op(op, lx, lt, rx, rt, pos);
        }
        let is_shift = matches!(op, BinOp::Lsh | BinOp::Rsh | BinOp::Ush);
        let promote = match op {
            BinOp::Add => promote_add(self.lib, &lt, &rt),
            BinOp::Mul | BinOp::Div | BinOp::Rem | BinOp::Sub => promote_numeric2(&lt, &rt, true),
            BinOp::Lsh | BinOp::Rsh | BinOp::Ush => {
                match (promote_numeric1(&lt, false), promote_numeric1(&rt, false)) {
                    (Some(a), Some(b)) => {
                        if a == Ty::Def || b == Ty::Def {
                            Some(Ty::Def)
                        } else {
                            Some(a)
                        }
                    }
                    _ => None,
                }
            }
            BinOp::BwAnd | BinOp::Xor | BinOp::BwOr => promote_xor(&lt, &rt),
            BinOp::Find | BinOp::Match => None,
        };
        let Some(promote) = promote else {
            return err(
                pos,
                Exception::class_cast(format!(
                    "cannot apply the {} operator [{}] to the types [{}] and [{}]",
                    op.name(),
                    op.symbol(),
                    lt.canonical(self.lib),
                    rt.canonical(self.lib)
                )),
            );
        };
        let kind = self.kind_of(&promote);
        if kind == Kind::Str {
            return Ok((
                Ex::Bin(op, Kind::Str, Box::new(lx), Box::new(rx), pos),
                promote,
            ));
        }
        if is_shift && kind != Kind::Def {
            let lx = self.cast(lx, &lt, &promote, false, true, l.pos)?;
            let rp = promote_numeric1(&rt, false).expect("checked above");
            let rx = if rp == Ty::Prim(P::Long) {
                self.cast(rx, &rt, &Ty::Prim(P::Long), false, true, r.pos)?
            } else {
                self.cast(rx, &rt, &Ty::Prim(P::Int), false, true, r.pos)?
            };
            return Ok((
                Ex::Shift(op, kind, Box::new(lx), Box::new(rx), pos),
                promote,
            ));
        }
        if kind == Kind::Def {
            let lx = self.cast(lx, &lt, &Ty::Def, false, true, l.pos)?;
            let rx = self.cast(rx, &rt, &Ty::Def, false, true, r.pos)?;
            let node = if is_shift {
                Ex::Shift(op, kind, Box::new(lx), Box::new(rx), pos)
            } else {
                Ex::Bin(op, kind, Box::new(lx), Box::new(rx), pos)
            };
            return Ok((node, Ty::Def));
        }
        let lx = self.cast(lx, &lt, &promote, false, true, l.pos)?;
        let rx = self.cast(rx, &rt, &promote, false, true, r.pos)?;
        Ok((Ex::Bin(op, kind, Box::new(lx), Box::new(rx), pos), promote))
    }

    fn regex_op(
        &mut self,
        op: BinOp,
        lx: Ex,
        lt: Ty,
        rx: Ex,
        rt: Ty,
        pos: usize,
    ) -> CResult<(Ex, Ty)> {
        // `text =~ pattern`: pattern.matcher(text).find(); `==~`: matches().
        let Some(pattern) = self.lib.class_by_name("Pattern") else {
            return unsupported(pos, "regex operators (java.util.regex.Pattern)");
        };
        let rx = self.cast(rx, &rt, &Ty::Class(pattern), false, false, pos)?;
        // upstream casts the text to String (`EBinary` for FIND/MATCH)
        let lx = self.cast(lx, &lt, &self.string_ty(), false, false, pos)?;
        let Some(matcher) = self.lib.method(pattern, "matcher", 1) else {
            return unsupported(pos, "Pattern.matcher/1");
        };
        let Some(mcls) = self.lib.class_by_name("Matcher") else {
            return unsupported(pos, "java.util.regex.Matcher");
        };
        let name = if op == BinOp::Find { "find" } else { "matches" };
        let Some(test) = self.lib.method(mcls, name, 0) else {
            return unsupported(pos, format!("Matcher.{name}/0"));
        };
        let mf = self.native_of(matcher, pos)?;
        let tf = self.native_of(test, pos)?;
        let m = Ex::CallNative {
            f: mf,
            recv: Some(Box::new(rx)),
            args: vec![lx],
            null_safe: false,
            pos,
        };
        Ok((
            Ex::CallNative {
                f: tf,
                recv: Some(Box::new(m)),
                args: Vec::new(),
                null_safe: false,
                pos,
            },
            Ty::Prim(P::Boolean),
        ))
    }

    fn compare(&mut self, op: CmpOp, l: &Expr, r: &Expr, pos: usize) -> CResult<(Ex, Ty)> {
        let (lx, lt) = self.expr(l, None)?;
        let (rx, rt) = self.expr(r, None)?;
        let equality = matches!(op, CmpOp::Eq | CmpOp::Ne | CmpOp::Eqr | CmpOp::Ner);
        let promote = if equality {
            promote_equality(self.lib, &lt, &rt)
        } else {
            promote_numeric2(&lt, &rt, true)
        };
        let Some(promote) = promote else {
            return err(
                pos,
                Exception::class_cast(format!(
                    "cannot apply the {} operator [{}] to the types [{}] and [{}]",
                    op.name(),
                    op.symbol(),
                    lt.canonical(self.lib),
                    rt.canonical(self.lib)
                )),
            );
        };
        let kind = self.kind_of(&promote);
        let kind = if equality && matches!(kind, Kind::Str) {
            Kind::Obj
        } else {
            kind
        };
        let lx = self.cast(lx, &lt, &promote, false, true, l.pos)?;
        let rx = self.cast(rx, &rt, &promote, false, true, r.pos)?;
        Ok((
            Ex::Cmp(op, kind, Box::new(lx), Box::new(rx), pos),
            Ty::Prim(P::Boolean),
        ))
    }
}

fn dotted(e: &Expr, out: &mut String) -> bool {
    match &e.kind {
        ExprKind::Var(n) => {
            out.push_str(n);
            true
        }
        ExprKind::Field {
            target,
            name,
            null_safe: false,
        } if dotted(target, out) => {
            out.push('.');
            out.push_str(name);
            true
        }
        _ => false,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn zero_of(p: P) -> Konst {
    match p {
        P::Boolean => Konst::Boolean(false),
        P::Byte => Konst::Byte(0),
        P::Short => Konst::Short(0),
        P::Char => Konst::Char(0),
        P::Int => Konst::Int(0),
        P::Long => Konst::Long(0),
        P::Float => Konst::Float(0.0),
        P::Double => Konst::Double(0.0),
    }
}

pub(crate) fn konst_of(v: &crate::Value) -> Option<Konst> {
    use crate::Value;
    Some(match v {
        Value::Null => Konst::Null,
        Value::Boolean(b) => Konst::Boolean(*b),
        Value::Byte(b) => Konst::Byte(*b),
        Value::Short(b) => Konst::Short(*b),
        Value::Char(b) => Konst::Char(*b),
        Value::Int(b) => Konst::Int(*b),
        Value::Long(b) => Konst::Long(*b),
        Value::Float(b) => Konst::Float(*b),
        Value::Double(b) => Konst::Double(*b),
        Value::String(s) => Konst::Str(Arc::from(&**s)),
        _ => return None,
    })
}

/// A cast of a constant is done now (upstream `AnalyzerCaster.constCast`).
fn fold_cast(ex: Ex, op: CastOp, pos: usize) -> Ex {
    if let Ex::Const(k) = &ex {
        let v = super::interp::konst_value(k);
        if let Ok(out) = super::interp::apply_cast_pure(&v, &op) {
            if let Some(k) = konst_of(&out) {
                return Ex::Const(k);
            }
        }
    }
    Ex::Cast(Box::new(ex), op, pos)
}

/// `ENumeric`: a literal's type from its suffix, its value parsed as Java does.
fn numeric(text: &str, kind: NumKind, pos: usize) -> CResult<(Konst, Ty)> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let last = body.chars().last().unwrap_or('0');
    let invalid = |what: &str| -> CResult<(Konst, Ty)> {
        iae(pos, format!("Invalid {what} constant [{text}]."))
    };
    match kind {
        NumKind::Decimal | NumKind::Integer if matches!(last, 'f' | 'F' | 'd' | 'D') => {
            let digits = &body[..body.len() - 1];
            let s = if neg {
                format!("-{digits}")
            } else {
                digits.to_owned()
            };
            if matches!(last, 'f' | 'F') {
                match s.parse::<f32>() {
                    Ok(v) if v.is_finite() => Ok((Konst::Float(v), Ty::Prim(P::Float))),
                    _ => invalid("float"),
                }
            } else {
                match s.parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok((Konst::Double(v), Ty::Prim(P::Double))),
                    _ => invalid("double"),
                }
            }
        }
        NumKind::Decimal => match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok((Konst::Double(v), Ty::Prim(P::Double))),
            _ => invalid("double"),
        },
        NumKind::Integer | NumKind::Octal | NumKind::Hex => {
            let (digits, radix) = match kind {
                NumKind::Hex => (&body[2..], 16),
                NumKind::Octal => (&body[1..], 8),
                _ => (body, 10),
            };
            let (digits, long) = match digits.strip_suffix(['l', 'L']) {
                Some(d) => (d, true),
                None => (digits, false),
            };
            let s = if neg {
                format!("-{digits}")
            } else {
                digits.to_owned()
            };
            if long {
                match i64::from_str_radix(&s, radix) {
                    Ok(v) => Ok((Konst::Long(v), Ty::Prim(P::Long))),
                    Err(_) => invalid("long"),
                }
            } else {
                match i32::from_str_radix(&s, radix) {
                    Ok(v) => Ok((Konst::Int(v), Ty::Prim(P::Int))),
                    Err(_) if i64::from_str_radix(&s, radix).is_ok() => iae(
                        pos,
                        format!(
                            "Invalid int constant [{text}]. If you want a long constant then change it to [{text}L]."
                        ),
                    ),
                    Err(_) => invalid("int"),
                }
            }
        }
    }
}
