//! Runs the resolved tree. Operators on `def` follow upstream `DefMath.java`; casts from `def`
//! follow `Def.defTo*Implicit`/`Explicit`; field and index shortcuts on `def` follow
//! `Def.lookupGetter`/`lookupArrayLoad` (maps, lists, arrays, getters).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use super::ast::{BinOp, CmpOp};
use super::ir::*;
use super::library::{Cls, Host, Library, Thrown};
use super::types::{CastOp, Ty, P};
use crate::value::{mutation_error, Exception, JArray, JavaObject, ThrowableValue, Value};

pub(crate) struct Fault {
    pub(crate) thrown: Thrown,
    pub(crate) pos: Option<usize>,
}

pub(crate) type R<T> = Result<T, Box<Fault>>;

fn throw<T>(e: Exception) -> R<T> {
    Err(Box::new(Fault {
        thrown: Thrown::Exception(e),
        pos: None,
    }))
}

fn at<T>(r: Result<T, Exception>, pos: usize) -> R<T> {
    r.map_err(|e| {
        Box::new(Fault {
            thrown: Thrown::Exception(e),
            pos: Some(pos),
        })
    })
}

fn with_pos<T>(r: R<T>, pos: usize) -> R<T> {
    r.map_err(|mut f| {
        if f.pos.is_none() {
            f.pos = Some(pos);
        }
        f
    })
}

/// A native's failure, positioned by the enclosing node.
fn thrown_here<T>(r: Result<T, Thrown>) -> R<T> {
    r.map_err(|t| {
        Box::new(Fault {
            thrown: t,
            pos: None,
        })
    })
}

fn from_thrown<T>(r: Result<T, Thrown>, pos: usize) -> R<T> {
    r.map_err(|t| {
        Box::new(Fault {
            thrown: t,
            pos: Some(pos),
        })
    })
}

pub(crate) fn konst_value(k: &Konst) -> Value {
    match k {
        Konst::Null => Value::Null,
        Konst::Boolean(b) => Value::Boolean(*b),
        Konst::Byte(v) => Value::Byte(*v),
        Konst::Short(v) => Value::Short(*v),
        Konst::Char(v) => Value::Char(*v),
        Konst::Int(v) => Value::Int(*v),
        Konst::Long(v) => Value::Long(*v),
        Konst::Float(v) => Value::Float(*v),
        Konst::Double(v) => Value::Double(*v),
        Konst::Str(s) => Value::String(Rc::from(&**s)),
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

/// A lambda or method reference as a value.
pub(crate) struct FnValue {
    kind: FnKind,
}

enum FnKind {
    Lambda {
        func: usize,
        captures: Vec<(u32, Value)>,
        arity: usize,
    },
    Ref(FuncRef),
    Bound(Value, String),
}

impl JavaObject for FnValue {
    fn class_name(&self) -> &str {
        "org.opensearch.painless.Function"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        "org.opensearch.painless.Function".into()
    }
}

thread_local! {
    /// Compiled regex literals, per script and literal: patterns are Rc-based values, so each
    /// thread compiles a script's literals once and keeps them.
    static REGEXES: RefCell<std::collections::HashMap<(u64, usize), Value>> =
        RefCell::new(std::collections::HashMap::new());
}

pub(crate) struct Interp<'p> {
    pub(crate) lib: &'static Library,
    pub(crate) program: &'p Program,
    script_id: u64,
    regex_limit_factor: u32,
    stack_base: usize,
    budget: i64,
    limited: bool,
    depth: u32,
}

const MAX_DEPTH: u32 = 256;
/// Stack a script's calls may use below `run_main` before they are a `StackOverflowError`
/// (frames are larger in debug builds; the engine runs on threads with 2 MiB stacks).
const STACK_BUDGET: usize = 512 * 1024;

/// An address in the current stack frame.
#[inline(never)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}
const MAX_ARRAY_ELEMENTS: usize = 1 << 22;

impl<'p> Interp<'p> {
    pub(crate) fn new(
        lib: &'static Library,
        program: &'p Program,
        max_loop_counter: u32,
        script_id: u64,
        regex_limit_factor: u32,
    ) -> Self {
        Interp {
            lib,
            program,
            script_id,
            regex_limit_factor,
            stack_base: 0,
            budget: i64::from(max_loop_counter),
            limited: max_loop_counter > 0,
            depth: 0,
        }
    }

    pub(crate) fn run_main(&mut self, args: &[Value]) -> R<Value> {
        self.stack_base = stack_position();
        let f = &self.program.main;
        let mut frame = vec![Value::Null; f.slots as usize];
        for (i, a) in args.iter().enumerate() {
            frame[i] = a.clone();
        }
        match self.block(&f.body, &mut frame)? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::Null),
        }
    }

    fn count(&mut self, n: u32) -> R<()> {
        if self.limited {
            self.budget -= i64::from(n);
            if self.budget <= 0 {
                return throw(Exception::new(
                    "PainlessError",
                    "The maximum number of statements that can be executed in a loop has been reached.",
                ));
            }
        }
        Ok(())
    }

    fn call_function(
        &mut self,
        index: usize,
        args: Vec<Value>,
        captures: &[(u32, Value)],
    ) -> R<Value> {
        let f = &self.program.functions[index];
        if self.depth >= MAX_DEPTH || stack_position().abs_diff(self.stack_base) > STACK_BUDGET {
            return throw(Exception::without_message("StackOverflowError"));
        }
        let mut frame = vec![Value::Null; f.slots as usize];
        for (i, a) in args.into_iter().enumerate() {
            frame[i] = match f.param_casts.get(i).and_then(|c| c.as_ref()) {
                Some(c) => self.cast(&a, c)?,
                None => a,
            };
        }
        for (slot, v) in captures {
            frame[*slot as usize] = v.clone();
        }
        self.depth += 1;
        let r = self.block(&f.body, &mut frame);
        self.depth -= 1;
        match r? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::Null),
        }
    }

    // ---- statements ----

    fn block(&mut self, body: &[St], frame: &mut [Value]) -> R<Flow> {
        for s in body {
            match self.stmt(s, frame)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn stmt(&mut self, s: &St, frame: &mut [Value]) -> R<Flow> {
        match s {
            St::At(pos, inner) => with_pos(self.stmt(inner, frame), *pos),
            St::Expr(e) => {
                self.eval(e, frame)?;
                Ok(Flow::Normal)
            }
            St::Decl(slot, init, zero) => {
                let v = match init {
                    Some(e) => self.eval(e, frame)?,
                    None => zero.as_ref().map(konst_value).unwrap_or(Value::Null),
                };
                frame[*slot as usize] = v;
                Ok(Flow::Normal)
            }
            St::If(c, a, b) => {
                if truthy(&self.eval(c, frame)?) {
                    self.block(a, frame)
                } else {
                    self.block(b, frame)
                }
            }
            St::While(c, body, n) => {
                while truthy(&self.eval(c, frame)?) {
                    self.count(*n)?;
                    match self.block(body, frame)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
                Ok(Flow::Normal)
            }
            St::DoWhile(body, c, n) => {
                loop {
                    self.count(*n)?;
                    match self.block(body, frame)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if !truthy(&self.eval(c, frame)?) {
                        break;
                    }
                }
                Ok(Flow::Normal)
            }
            St::For {
                init,
                cond,
                after,
                body,
                count,
            } => {
                for s in init {
                    self.stmt(s, frame)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !truthy(&self.eval(c, frame)?) {
                            break;
                        }
                    }
                    self.count(*count)?;
                    match self.block(body, frame)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if let Some(a) = after {
                        self.eval(a, frame)?;
                    }
                }
                Ok(Flow::Normal)
            }
            St::Each {
                slot,
                iterable,
                cast,
                body,
                count,
                pos,
            } => {
                let it = self.eval(iterable, frame)?;
                let mut iter = with_pos(self.iterate(&it), *pos)?;
                loop {
                    let next = with_pos(iter.next_value(self), *pos)?;
                    let Some(item) = next else { break };
                    self.count(*count)?;
                    frame[*slot as usize] = match cast {
                        Some(c) => with_pos(self.cast(&item, c), *pos)?,
                        None => item,
                    };
                    match self.block(body, frame)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
                Ok(Flow::Normal)
            }
            St::Try(body, catches) => match self.block(body, frame) {
                Ok(flow) => Ok(flow),
                Err(fault) => {
                    if let Thrown::Exception(e) = &fault.thrown {
                        for c in catches {
                            if self.exception_matches(&e.class, &c.class) {
                                let java_name = self.java_exception_name(&e.class);
                                frame[c.slot as usize] = Value::Object(Rc::new(ThrowableValue {
                                    exception: e.clone(),
                                    java_name,
                                }));
                                return self.block(&c.body, frame);
                            }
                        }
                    }
                    Err(fault)
                }
            },
            St::Return(e) => Ok(Flow::Return(match e {
                Some(e) => self.eval(e, frame)?,
                None => Value::Null,
            })),
            St::Break => Ok(Flow::Break),
            St::Continue => Ok(Flow::Continue),
            St::Throw(e, pos) => {
                let v = self.eval(e, frame)?;
                match &v {
                    Value::Object(o) => {
                        if let Some(t) = o.as_any().downcast_ref::<ThrowableValue>() {
                            return Err(Box::new(Fault {
                                thrown: Thrown::Exception(t.exception.clone()),
                                pos: Some(*pos),
                            }));
                        }
                        at(
                            Err(Exception::class_cast(format!(
                                "Cannot cast [{}] to [java.lang.Throwable]",
                                o.class_name()
                            ))),
                            *pos,
                        )
                    }
                    Value::Null => at(
                        Err(Exception::without_message("NullPointerException")),
                        *pos,
                    ),
                    other => at(
                        Err(Exception::class_cast(format!(
                            "Cannot cast [{}] to [java.lang.Throwable]",
                            other.class_name().unwrap_or("null")
                        ))),
                        *pos,
                    ),
                }
            }
            St::Block(b) => self.block(b, frame),
        }
    }

    fn exception_matches(&self, thrown: &str, catch: &str) -> bool {
        let lib = self.lib;
        let Some(target) = lib.class_by_name(catch) else {
            return false;
        };
        match lib.class_by_name(thrown) {
            Some(c) => lib.is_subclass(c, target),
            // An exception class outside the allowlist: a RuntimeException unless it is an
            // Error (PainlessError, StackOverflowError...), which scripts cannot catch.
            None => {
                !thrown.ends_with("Error") && ["Exception", "RuntimeException"].contains(&catch)
            }
        }
    }

    fn java_exception_name(&self, simple: &str) -> String {
        match self.lib.class_by_name(simple) {
            Some(c) => self.lib.class(c).java_name.clone(),
            None => format!("java.lang.{simple}"),
        }
    }

    fn iterate(&mut self, v: &Value) -> R<Iter> {
        Ok(match v {
            Value::List(l) => Iter::List(l.clone(), 0, l.borrow().items.len()),
            Value::Array(a) => Iter::Vec(a.borrow().items.clone(), 0),
            Value::Set(s) => Iter::Vec(s.borrow().iter().collect(), 0),
            Value::Null => return throw(Exception::without_message("NullPointerException")),
            other => {
                let rc = self.lib.runtime_class(other);
                let m = rc.and_then(|c| self.lib.method_dynamic(c, "iterator", 0));
                match m.and_then(|m| m.native) {
                    Some(f) => {
                        let it = thrown_here(f(Some(other), &[], self))?;
                        Iter::Object(it)
                    }
                    None => {
                        return throw(Exception::illegal_argument(format!(
                            "Cannot iterate over [{}]",
                            other.class_name().unwrap_or("null").replace('$', ".")
                        )))
                    }
                }
            }
        })
    }

    // ---- expressions ----

    pub(crate) fn eval(&mut self, e: &Ex, frame: &mut [Value]) -> R<Value> {
        match e {
            Ex::Const(k) => Ok(konst_value(k)),
            Ex::Local(s) => Ok(frame[*s as usize].clone()),
            Ex::Cast(x, op, pos) => {
                let v = self.eval(x, frame)?;
                with_pos(self.cast(&v, op), *pos)
            }
            Ex::Neg(kind, x, pos) => {
                let v = self.eval(x, frame)?;
                at(neg(*kind, &v), *pos)
            }
            Ex::BwNot(kind, x, pos) => {
                let v = self.eval(x, frame)?;
                at(bwnot(*kind, &v), *pos)
            }
            Ex::Plus(x, pos) => {
                let v = self.eval(x, frame)?;
                at(def_plus(&v), *pos)
            }
            Ex::Not(x) => Ok(Value::Boolean(!truthy(&self.eval(x, frame)?))),
            Ex::Bin(op, kind, l, r, pos) => {
                let a = self.eval(l, frame)?;
                let b = self.eval(r, frame)?;
                at(binary(*op, *kind, &a, &b), *pos)
            }
            Ex::Shift(op, kind, l, r, pos) => {
                let a = self.eval(l, frame)?;
                let b = self.eval(r, frame)?;
                at(shift(*op, *kind, &a, &b), *pos)
            }
            Ex::Cmp(op, kind, l, r, pos) => {
                let a = self.eval(l, frame)?;
                let b = self.eval(r, frame)?;
                at(compare(*op, *kind, &a, &b).map(Value::Boolean), *pos)
            }
            Ex::And(l, r) => Ok(Value::Boolean(
                truthy(&self.eval(l, frame)?) && truthy(&self.eval(r, frame)?),
            )),
            Ex::Or(l, r) => Ok(Value::Boolean(
                truthy(&self.eval(l, frame)?) || truthy(&self.eval(r, frame)?),
            )),
            Ex::Cond(c, a, b) => {
                if truthy(&self.eval(c, frame)?) {
                    self.eval(a, frame)
                } else {
                    self.eval(b, frame)
                }
            }
            Ex::Elvis(l, r) => {
                let v = self.eval(l, frame)?;
                if v.is_null() {
                    self.eval(r, frame)
                } else {
                    Ok(v)
                }
            }
            Ex::InstanceOf(x, ty) => {
                let v = self.eval(x, frame)?;
                Ok(Value::Boolean(self.lib.value_is(&v, ty)))
            }
            Ex::NewList(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i, frame)?);
                }
                Ok(Value::list_from(out))
            }
            Ex::NewMap(entries) => {
                let m = Value::new_map();
                if let Value::Map(mr) = &m {
                    for (k, v) in entries {
                        let k = self.eval(k, frame)?;
                        let v = self.eval(v, frame)?;
                        mr.borrow_mut().insert(k, v);
                    }
                }
                Ok(m)
            }
            Ex::NewArray(elem, dims) => {
                let mut sizes = Vec::new();
                for d in dims {
                    let n = as_int(&self.eval(d, frame)?);
                    if n < 0 {
                        return throw(Exception::new("NegativeArraySizeException", n.to_string()));
                    }
                    sizes.push(n as usize);
                }
                // The JVM's heap bounds an array; this engine stops at 2^22 elements in all.
                let total = sizes
                    .iter()
                    .try_fold(1usize, |acc, n| acc.checked_mul((*n).max(1)));
                if total.is_none_or(|t| t > MAX_ARRAY_ELEMENTS) {
                    return throw(Exception::new("OutOfMemoryError", "Java heap space"));
                }
                Ok(self.new_array(elem, &sizes))
            }
            Ex::NewArrayInit(elem, items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i, frame)?);
                }
                let name = elem.painless_name(self.lib);
                Ok(Value::Array(Rc::new(RefCell::new(JArray::new(
                    Rc::from(name.as_str()),
                    out,
                )))))
            }
            Ex::Load(place, pos) => {
                let rp = with_pos(self.resolve(place, frame), *pos)?;
                with_pos(self.get(&rp, frame), *pos)
            }
            Ex::LoadNullSafe(place, pos) => {
                let rp = with_pos(self.resolve(place, frame), *pos)?;
                let receiver_null = match &rp {
                    RPlace::Index(t, _) | RPlace::Field(t, _) | RPlace::Accessor(t, ..) => {
                        t.is_null()
                    }
                    RPlace::Value(_) | RPlace::Local(_) => false,
                };
                if receiver_null {
                    return Ok(Value::Null);
                }
                with_pos(self.get(&rp, frame), *pos)
            }
            Ex::Store { place, value, pos } => {
                let rp = with_pos(self.resolve(place, frame), *pos)?;
                let v = self.eval(value, frame)?;
                with_pos(self.set(&rp, v.clone(), frame), *pos)?;
                Ok(v)
            }
            Ex::Compound {
                place,
                op,
                kind,
                read_cast,
                rhs,
                back_cast,
                def_back,
                post,
                pos,
            } => {
                let rp = with_pos(self.resolve(place, frame), *pos)?;
                let old = with_pos(self.get(&rp, frame), *pos)?;
                let left = match read_cast {
                    Some(c) => with_pos(self.cast(&old, c), *pos)?,
                    None => old.clone(),
                };
                let right = self.eval(rhs, frame)?;
                let result = if matches!(op, BinOp::Lsh | BinOp::Rsh | BinOp::Ush) {
                    at(shift(*op, *kind, &left, &right), *pos)?
                } else {
                    at(binary(*op, *kind, &left, &right), *pos)?
                };
                let mut result = match back_cast {
                    Some(c) => with_pos(self.cast(&result, c), *pos)?,
                    None => result,
                };
                if *def_back {
                    result = at(cast_back_to_class_of(&old, result), *pos)?;
                }
                with_pos(self.set(&rp, result.clone(), frame), *pos)?;
                Ok(if *post { old } else { result })
            }
            Ex::CallNative {
                f,
                recv,
                args,
                null_safe,
                pos,
            } => {
                let r = match recv {
                    Some(r) => {
                        let v = self.eval(r, frame)?;
                        if v.is_null() {
                            if *null_safe {
                                return Ok(Value::Null);
                            }
                            return at(
                                Err(Exception::without_message("NullPointerException")),
                                *pos,
                            );
                        }
                        Some(v)
                    }
                    None => None,
                };
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.eval(a, frame)?);
                }
                from_thrown(f(r.as_ref(), &vals, self), *pos)
            }
            Ex::CallDef {
                recv,
                name,
                args,
                null_safe,
                pos,
            } => {
                let r = self.eval(recv, frame)?;
                if r.is_null() {
                    if *null_safe {
                        return Ok(Value::Null);
                    }
                    return at(
                        Err(Exception::without_message("NullPointerException")),
                        *pos,
                    );
                }
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.eval(a, frame)?);
                }
                with_pos(self.call_dynamic(&r, name, vals), *pos)
            }
            Ex::CallLocal { func, args, pos } => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.eval(a, frame)?);
                }
                with_pos(self.call_function(*func, vals, &[]), *pos)
            }
            Ex::Lambda {
                func,
                captures,
                arity,
            } => {
                let caps = captures
                    .chunks(2)
                    .map(|pair| (pair[1], frame[pair[0] as usize].clone()))
                    .collect();
                Ok(Value::Object(Rc::new(FnValue {
                    kind: FnKind::Lambda {
                        func: *func,
                        captures: caps,
                        arity: *arity,
                    },
                })))
            }
            Ex::FuncRef(r) => Ok(Value::Object(Rc::new(FnValue {
                kind: FnKind::Ref(r.clone()),
            }))),
            Ex::BoundRef(recv, name, iface) => {
                let v = self.eval(recv, frame)?;
                let fv = FnValue {
                    kind: FnKind::Bound(v, name.clone()),
                };
                if let Some(c) = iface {
                    self.check_function(&fv, *c)?;
                }
                Ok(Value::Object(Rc::new(fv)))
            }
            Ex::NewException(class, message) => {
                let msg = match message {
                    Some(m) => {
                        let v = self.eval(m, frame)?;
                        if v.is_null() {
                            None
                        } else {
                            Some(v.java_to_string())
                        }
                    }
                    None => None,
                };
                let exception = crate::value::Exception {
                    class: Rc::from(class.as_str()),
                    message: msg,
                };
                let java_name = self.java_exception_name(class);
                Ok(Value::Object(Rc::new(ThrowableValue {
                    exception,
                    java_name,
                })))
            }
            Ex::StaticValue(c, name) => Ok(self
                .lib
                .static_field(*c, name)
                .and_then(|(_, v)| v)
                .unwrap_or(Value::Null)),
            Ex::Regex(pattern, flags, index) => {
                let key = (self.script_id, *index);
                if let Some(v) = REGEXES.with(|c| c.borrow().get(&key).cloned()) {
                    return Ok(v);
                }
                let v = match crate::stdlib::regex::compile(pattern, flags) {
                    Ok(v) => v,
                    Err(e) => return throw(e),
                };
                REGEXES.with(|c| c.borrow_mut().insert(key, v.clone()));
                Ok(v)
            }
        }
    }

    fn new_array(&self, elem: &Ty, sizes: &[usize]) -> Value {
        let n = sizes[0];
        let mut inner_ty = elem.clone();
        for _ in 1..sizes.len() {
            inner_ty = Ty::Array(Box::new(inner_ty));
        }
        let items = if sizes.len() > 1 {
            (0..n).map(|_| self.new_array(elem, &sizes[1..])).collect()
        } else {
            let zero = match elem {
                Ty::Prim(p) => prim_zero(*p),
                _ => Value::Null,
            };
            vec![zero; n]
        };
        let name = inner_ty.painless_name(self.lib);
        Value::Array(Rc::new(RefCell::new(JArray::new(
            Rc::from(name.as_str()),
            items,
        ))))
    }

    /// A call on a `def` receiver: the method is looked up on the value's class at run time.
    fn call_dynamic(&mut self, recv: &Value, name: &str, args: Vec<Value>) -> R<Value> {
        if let Value::Object(o) = recv {
            if o.as_any().downcast_ref::<FnValue>().is_some() {
                // A function value called through its interface method.
                return self.call_value(recv, &args);
            }
        }
        let lib = self.lib;
        let m = lib
            .runtime_class(recv)
            .and_then(|c| lib.method_dynamic(c, name, args.len()));
        let Some(m) = m else {
            return throw(Exception::illegal_argument(format!(
                "dynamic method [{}, {name}/{}] not found",
                runtime_type_name(recv),
                args.len()
            )));
        };
        let native = m.native.or_else(|| match recv {
            Value::Object(o) if o.as_any().downcast_ref::<ThrowableValue>().is_some() => {
                throwable_method(name, args.len())
            }
            _ => None,
        });
        let Some(f) = native else {
            return Err(Box::new(Fault {
                thrown: Thrown::Unsupported(format!(
                    "{}.{}/{}",
                    lib.class(m.class).painless_name,
                    m.name,
                    m.params.len()
                )),
                pos: None,
            }));
        };
        let mut converted = args;
        for ((a, p), c) in converted.iter_mut().zip(&m.params).zip(&m.def_casts) {
            if c.is_some() {
                let v = std::mem::take(a);
                *a = self.convert_arg(v, p, c.as_ref())?;
            }
        }
        thrown_here(f(Some(recv), &converted, self)).map_err(|mut f| {
            f.pos = None;
            f
        })
    }

    /// A `def` argument passed to a typed parameter (upstream: the call site's `asType`).
    fn convert_arg(&mut self, a: Value, p: &Ty, cast: Option<&CastOp>) -> R<Value> {
        if let (Value::Object(o), Ty::Class(c)) = (&a, p) {
            if let Some(fv) = o.as_any().downcast_ref::<FnValue>() {
                self.check_function(fv, *c)?;
            }
        }
        match cast {
            Some(op) => {
                let r = self.cast(&a, op);
                // A primitive parameter that the value cannot become: the call site's method
                // handle refuses the conversion.
                if let (Err(_), Ty::Prim(pr)) = (&r, p) {
                    if !a.is_null() && num(&a).is_none() && !matches!(a, Value::Boolean(_)) {
                        return throw(Exception::new(
                            "WrongMethodTypeException",
                            format!("cannot convert {} to {}", runtime_type_name(&a), pr.name()),
                        ));
                    }
                }
                r
            }
            None => Ok(a),
        }
    }

    /// A function value passed as a functional interface through a `def` call: what upstream
    /// checks when it links the call site (`LambdaBootstrap`, `FunctionRef`).
    fn check_function(&self, fv: &FnValue, iface: Cls) -> R<()> {
        let lib = self.lib;
        let Some(fm) = lib.functional_method(iface) else {
            return Ok(());
        };
        let arity = fm.params.len();
        let iface_name = Ty::Class(iface).canonical(lib);
        let needs_value = fm.ret != Ty::Void;
        match &fv.kind {
            FnKind::Lambda { func, arity: n, .. } => {
                if *n != arity {
                    return throw(Exception::illegal_argument(format!(
                        "Incorrect number of parameters for [{}] in [{iface_name}]",
                        fm.name
                    )));
                }
                // (the lambda was compiled without knowing the interface: its return type is def)
                if needs_value && !self.program.functions[*func].yields_value {
                    return throw(Exception::class_cast("Cannot cast from [void] to [def]."));
                }
            }
            FnKind::Ref(FuncRef::Unbound(c, name)) => {
                let found_static = lib.static_method(*c, name, arity).is_some();
                let found_instance = arity > 0 && lib.method(*c, name, arity - 1).is_some();
                if !found_static && !found_instance {
                    return throw(Exception::illegal_argument(format!(
                        "function reference [{}::{name}/{arity}] matching [{iface_name}, {}/{arity}] not found",
                        lib.class(*c).painless_name,
                        fm.name
                    )));
                }
            }
            FnKind::Bound(recv, name) => {
                let m = lib
                    .runtime_class(recv)
                    .and_then(|c| lib.method_dynamic(c, name, arity));
                match m {
                    Some(m) if needs_value && m.ret == Ty::Void => {
                        return throw(Exception::new(
                            "LambdaConversionException",
                            format!(
                                "lambda expects return type [{}], but found return type [void]",
                                fm.ret.canonical(lib)
                            ),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        return throw(Exception::illegal_argument(format!(
                            "function reference [{}::{name}/{arity}] matching [{iface_name}, {}/{arity}] not found",
                            runtime_type_name(recv),
                            fm.name
                        )));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    pub(crate) fn call_value(&mut self, function: &Value, args: &[Value]) -> R<Value> {
        let Value::Object(o) = function else {
            return throw(Exception::illegal_argument(format!(
                "value of type [{}] is not callable",
                runtime_type_name(function)
            )));
        };
        let Some(fv) = o.as_any().downcast_ref::<FnValue>() else {
            return throw(Exception::illegal_argument(format!(
                "value of type [{}] is not callable",
                o.class_name()
            )));
        };
        match &fv.kind {
            FnKind::Lambda {
                func,
                captures,
                arity,
            } => {
                if args.len() != *arity {
                    return throw(Exception::illegal_argument(format!(
                        "Incorrect number of parameters: expected [{arity}] but found [{}]",
                        args.len()
                    )));
                }
                self.call_function(*func, args.to_vec(), captures)
            }
            FnKind::Ref(FuncRef::Local(func)) => {
                let arity = self.program.functions[*func].arity;
                if args.len() != arity {
                    return throw(Exception::illegal_argument(format!(
                        "Incorrect number of parameters: expected [{arity}] but found [{}]",
                        args.len()
                    )));
                }
                self.call_function(*func, args.to_vec(), &[])
            }
            FnKind::Ref(FuncRef::Static(f)) => thrown_here(f(None, args, self)),
            FnKind::Ref(FuncRef::Unbound(c, name)) => {
                let Some((recv, rest)) = args.split_first() else {
                    return throw(Exception::illegal_argument("missing receiver"));
                };
                if recv.is_null() {
                    return throw(Exception::without_message("NullPointerException"));
                }
                let lib = self.lib;
                if let Some(f) = lib
                    .static_method(*c, name, args.len())
                    .and_then(|m| m.native)
                {
                    return thrown_here(f(None, args, self));
                }
                let class = lib.runtime_class(recv).unwrap_or(*c);
                let m = lib
                    .method(class, name, rest.len())
                    .or_else(|| lib.method_dynamic(*c, name, rest.len()));
                match m.and_then(|m| m.native) {
                    Some(f) => thrown_here(f(Some(recv), rest, self)),
                    None => throw(Exception::illegal_argument(format!(
                        "dynamic method [{}, {name}/{}] not found",
                        runtime_type_name(recv),
                        rest.len()
                    ))),
                }
            }
            FnKind::Ref(FuncRef::Ctor(c)) => {
                let m = self.lib.constructor(*c, args.len());
                match m.and_then(|m| m.native) {
                    Some(f) => thrown_here(f(None, args, self)),
                    None => throw(Exception::illegal_argument(format!(
                        "constructor [{}, <init>/{}] not found",
                        self.lib.class(*c).java_name,
                        args.len()
                    ))),
                }
            }
            FnKind::Ref(FuncRef::NewArray(ty)) => {
                let n = args.first().map(as_int).unwrap_or(0);
                if n < 0 {
                    return throw(Exception::new("NegativeArraySizeException", n.to_string()));
                }
                let elem = match ty {
                    Ty::Array(e) => (**e).clone(),
                    other => other.clone(),
                };
                Ok(self.new_array(&elem, &[n as usize]))
            }
            FnKind::Bound(recv, name) => {
                let recv = recv.clone();
                self.call_dynamic(&recv, name, args.to_vec())
            }
        }
    }

    // ---- places ----

    fn resolve<'a>(&mut self, p: &'a Place, frame: &mut [Value]) -> R<RPlace<'a>> {
        Ok(match p {
            Place::Local(s) => RPlace::Local(*s),
            Place::Static(k) => RPlace::Value(konst_value(k)),
            Place::MapKey(m, k) => {
                let m = self.eval(m, frame)?;
                let k = self.eval(k, frame)?;
                RPlace::Index(m, k)
            }
            Place::ListIndex(l, i) | Place::ArrayIndex(l, i) | Place::DefIndex(l, i) => {
                let l = self.eval(l, frame)?;
                let i = self.eval(i, frame)?;
                RPlace::Index(l, i)
            }
            Place::ArrayLength(a) => {
                let a = self.eval(a, frame)?;
                match &a {
                    Value::Array(arr) => RPlace::Value(Value::Int(arr.borrow().items.len() as i32)),
                    _ => return throw(Exception::without_message("NullPointerException")),
                }
            }
            Place::DefField(r, name) => {
                let r = self.eval(r, frame)?;
                RPlace::Field(r, name)
            }
            Place::Accessor {
                recv,
                getter,
                setter,
                name,
            } => {
                let r = self.eval(recv, frame)?;
                RPlace::Accessor(r, *getter, *setter, name)
            }
        })
    }

    fn get(&mut self, p: &RPlace<'_>, frame: &[Value]) -> R<Value> {
        match p {
            RPlace::Local(s) => Ok(frame[*s as usize].clone()),
            RPlace::Value(v) => Ok(v.clone()),
            RPlace::Index(target, index) => self.index_get(target, index),
            RPlace::Field(target, name) => self.field_get(target, name),
            RPlace::Accessor(r, g, _, name) => {
                if r.is_null() {
                    return throw(Exception::without_message("NullPointerException"));
                }
                match g {
                    Some(f) => thrown_here(f(Some(r), &[], self)).map_err(|mut f| {
                        f.pos = None;
                        f
                    }),
                    None => throw(Exception::illegal_argument(format!(
                        "field [{name}] has no getter"
                    ))),
                }
            }
        }
    }

    fn set(&mut self, p: &RPlace<'_>, v: Value, frame: &mut [Value]) -> R<()> {
        match p {
            RPlace::Local(s) => {
                frame[*s as usize] = v;
                Ok(())
            }
            RPlace::Value(_) => throw(Exception::illegal_argument(
                "cannot assign a value to a read-only field",
            )),
            RPlace::Index(target, index) => self.index_set(target, index, v),
            RPlace::Field(target, name) => self.field_set(target, name, v),
            RPlace::Accessor(r, _, s, name) => {
                if r.is_null() {
                    return throw(Exception::without_message("NullPointerException"));
                }
                match s {
                    Some(f) => {
                        thrown_here(f(Some(r), &[v], self)).map_err(|mut f| {
                            f.pos = None;
                            f
                        })?;
                        Ok(())
                    }
                    None => throw(Exception::illegal_argument(format!(
                        "field [{name}] has no setter"
                    ))),
                }
            }
        }
    }

    fn index_get(&mut self, target: &Value, index: &Value) -> R<Value> {
        match target {
            Value::Map(m) => Ok(m.borrow().get(index).cloned().unwrap_or(Value::Null)),
            Value::List(l) => {
                let l = l.borrow();
                let i = list_index(index)?;
                let len = l.items.len() as i64;
                let n = if i < 0 { len + i } else { i };
                if n < 0 || n >= len {
                    return throw(Exception::index_out_of_bounds(format!(
                        "Index {i} out of bounds for length {len}"
                    )));
                }
                Ok(l.items[n as usize].clone())
            }
            Value::Array(a) => {
                let a = a.borrow();
                let i = list_index(index)?;
                let len = a.items.len() as i64;
                let n = if i < 0 { len + i } else { i };
                if n < 0 || n >= len {
                    return throw(Exception::new(
                        "ArrayIndexOutOfBoundsException",
                        format!("Index {i} out of bounds for length {len}"),
                    ));
                }
                Ok(a.items[n as usize].clone())
            }
            Value::Null => throw(Exception::without_message("NullPointerException")),
            other => throw(Exception::illegal_argument(format!(
                "Attempting to address a non-array-like type [{}] as an array.",
                runtime_type_name(other)
            ))),
        }
    }

    fn index_set(&mut self, target: &Value, index: &Value, v: Value) -> R<()> {
        match target {
            Value::Map(m) => {
                let mut m = m.borrow_mut();
                if !m.is_mutable() {
                    return throw(mutation_error(m.frozen));
                }
                m.insert(index.clone(), v);
                Ok(())
            }
            Value::List(l) => {
                let mut l = l.borrow_mut();
                if !l.is_mutable() {
                    return throw(mutation_error(l.frozen));
                }
                let i = list_index(index)?;
                let len = l.items.len() as i64;
                let n = if i < 0 { len + i } else { i };
                if n < 0 || n >= len {
                    return throw(Exception::index_out_of_bounds(format!(
                        "Index {i} out of bounds for length {len}"
                    )));
                }
                l.items[n as usize] = v;
                Ok(())
            }
            Value::Array(a) => {
                let mut a = a.borrow_mut();
                let i = list_index(index)?;
                let len = a.items.len() as i64;
                let n = if i < 0 { len + i } else { i };
                if n < 0 || n >= len {
                    return throw(Exception::new(
                        "ArrayIndexOutOfBoundsException",
                        format!("Index {i} out of bounds for length {len}"),
                    ));
                }
                // A primitive array converts what a def store puts in it (a static store has
                // cast already), as the array setter's method handle does.
                let v = match P::from_name(&a.element_type) {
                    Some(p) => apply_cast_pure(
                        &v,
                        &CastOp::DefToPrim {
                            to: p,
                            explicit: false,
                            boxed: false,
                        },
                    )
                    .map_err(|e| {
                        Box::new(Fault {
                            thrown: Thrown::Exception(e),
                            pos: None,
                        })
                    })?,
                    None => v,
                };
                a.items[n as usize] = v;
                Ok(())
            }
            Value::Null => throw(Exception::without_message("NullPointerException")),
            other => throw(Exception::illegal_argument(format!(
                "Attempting to address a non-array-like type [{}] as an array.",
                runtime_type_name(other)
            ))),
        }
    }

    fn field_get(&mut self, target: &Value, name: &str) -> R<Value> {
        match target {
            Value::Null => throw(Exception::without_message("NullPointerException")),
            Value::Map(m) => Ok(m.borrow().get_str(name).cloned().unwrap_or(Value::Null)),
            Value::List(_) if name.chars().all(|c| c.is_ascii_digit()) && !name.is_empty() => {
                let i: i32 = name.parse().unwrap_or(i32::MAX);
                self.index_get(target, &Value::Int(i))
            }
            Value::Array(a) if name == "length" => Ok(Value::Int(a.borrow().items.len() as i32)),
            other => {
                let cap = capitalize(name);
                let lib = self.lib;
                let rc = lib.runtime_class(other);
                let m = rc.and_then(|c| {
                    lib.method_dynamic(c, &format!("get{cap}"), 0)
                        .or_else(|| lib.method_dynamic(c, &format!("is{cap}"), 0))
                });
                if let Some(m) = m {
                    if m.native.is_none() {
                        return Err(Box::new(Fault {
                            thrown: Thrown::Unsupported(format!(
                                "{}.{}/0",
                                lib.class(m.class).painless_name,
                                m.name
                            )),
                            pos: None,
                        }));
                    }
                }
                match m.and_then(|m| m.native) {
                    Some(f) => thrown_here(f(Some(other), &[], self)).map_err(|mut f| {
                        f.pos = None;
                        f
                    }),
                    None => throw(Exception::illegal_argument(format!(
                        "dynamic getter [{}, {name}] not found",
                        runtime_type_name(other)
                    ))),
                }
            }
        }
    }

    fn field_set(&mut self, target: &Value, name: &str, v: Value) -> R<()> {
        match target {
            Value::Null => throw(Exception::without_message("NullPointerException")),
            Value::Map(m) => {
                let mut m = m.borrow_mut();
                if !m.is_mutable() {
                    return throw(mutation_error(m.frozen));
                }
                m.insert_str(name, v);
                Ok(())
            }
            Value::List(_) if name.chars().all(|c| c.is_ascii_digit()) && !name.is_empty() => {
                let i: i32 = name.parse().unwrap_or(i32::MAX);
                self.index_set(target, &Value::Int(i), v)
            }
            other => {
                let cap = capitalize(name);
                let lib = self.lib;
                let rc = lib.runtime_class(other);
                let m = rc.and_then(|c| lib.method_dynamic(c, &format!("set{cap}"), 1));
                match m.and_then(|m| m.native) {
                    Some(f) => {
                        thrown_here(f(Some(other), &[v], self)).map_err(|mut f| {
                            f.pos = None;
                            f
                        })?;
                        Ok(())
                    }
                    None => throw(Exception::illegal_argument(format!(
                        "dynamic setter [{}, {name}] not found",
                        runtime_type_name(other)
                    ))),
                }
            }
        }
    }

    // ---- casts ----

    pub(crate) fn cast(&self, v: &Value, op: &CastOp) -> R<Value> {
        match op {
            CastOp::Check(ty) => {
                if let (Value::Object(o), Ty::Class(c)) = (v, ty) {
                    if o.as_any().downcast_ref::<FnValue>().is_some()
                        && self.lib.functional_method(*c).is_some()
                    {
                        return Ok(v.clone());
                    }
                }
                if v.is_null() || self.lib.value_is(v, ty) {
                    Ok(v.clone())
                } else {
                    throw(Exception::class_cast(format!(
                        "Cannot cast {} to {}",
                        runtime_type_name(v),
                        ty.canonical(self.lib)
                    )))
                }
            }
            other => apply_cast_pure(v, other).map_err(|e| {
                Box::new(Fault {
                    thrown: Thrown::Exception(e),
                    pos: None,
                })
            }),
        }
    }
}

impl Host for Interp<'_> {
    fn call(&mut self, function: &Value, args: &[Value]) -> Result<Value, Thrown> {
        self.call_value(function, args).map_err(|f| f.thrown)
    }
    fn tick(&mut self) -> Result<(), Thrown> {
        self.count(1).map_err(|f| f.thrown)
    }
    fn regex_limit_factor(&self) -> u32 {
        self.regex_limit_factor
    }
}

enum RPlace<'a> {
    Local(u32),
    Value(Value),
    Index(Value, Value),
    Field(Value, &'a str),
    Accessor(
        Value,
        Option<super::library::NativeFn>,
        Option<super::library::NativeFn>,
        &'a str,
    ),
}

enum Iter {
    List(crate::value::ListRef, usize, usize),
    Vec(Vec<Value>, usize),
    Object(Value),
}

impl Iter {
    fn next_value(&mut self, interp: &mut Interp<'_>) -> R<Option<Value>> {
        match self {
            Iter::List(l, i, len) => {
                let l = l.borrow();
                if l.items.len() != *len {
                    return throw(Exception::without_message(
                        "ConcurrentModificationException",
                    ));
                }
                if *i >= l.items.len() {
                    return Ok(None);
                }
                let v = l.items[*i].clone();
                *i += 1;
                Ok(Some(v))
            }
            Iter::Vec(items, i) => {
                if *i >= items.len() {
                    return Ok(None);
                }
                let v = std::mem::take(&mut items[*i]);
                *i += 1;
                Ok(Some(v))
            }
            Iter::Object(it) => {
                let lib = interp.lib;
                let rc = lib.runtime_class(it);
                let has = rc
                    .and_then(|c| lib.method_dynamic(c, "hasNext", 0))
                    .and_then(|m| m.native);
                let next = rc
                    .and_then(|c| lib.method_dynamic(c, "next", 0))
                    .and_then(|m| m.native);
                let (Some(has), Some(next)) = (has, next) else {
                    return throw(Exception::illegal_argument(format!(
                        "Cannot iterate over [{}]",
                        runtime_type_name(it)
                    )));
                };
                let it = it.clone();
                let more = thrown_here(has(Some(&it), &[], interp))?;
                if !truthy(&more) {
                    return Ok(None);
                }
                Ok(Some(thrown_here(next(Some(&it), &[], interp))?))
            }
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The canonical class name of a value, as upstream error messages print it.
pub(crate) fn runtime_type_name(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Array(a) => {
            let t = a.borrow().element_type.to_string();
            format!("{}[]", canonical_of_painless(&t))
        }
        other => other.class_name().unwrap_or("null").replace('$', "."),
    }
}

fn canonical_of_painless(t: &str) -> String {
    if let Some(inner) = t.strip_suffix("[]") {
        return format!("{}[]", canonical_of_painless(inner));
    }
    match t {
        "boolean" | "byte" | "short" | "char" | "int" | "long" | "float" | "double" | "def" => {
            t.into()
        }
        "String" | "Object" | "Integer" | "Long" | "Double" | "Float" | "Short" | "Byte"
        | "Character" | "Boolean" | "Number" => format!("java.lang.{t}"),
        other => other.into(),
    }
}

fn prim_zero(p: P) -> Value {
    match p {
        P::Boolean => Value::Boolean(false),
        P::Byte => Value::Byte(0),
        P::Short => Value::Short(0),
        P::Char => Value::Char(0),
        P::Int => Value::Int(0),
        P::Long => Value::Long(0),
        P::Float => Value::Float(0.0),
        P::Double => Value::Double(0.0),
    }
}

fn truthy(v: &Value) -> bool {
    matches!(v, Value::Boolean(true))
}

fn as_int(v: &Value) -> i32 {
    match v {
        Value::Int(i) => *i,
        Value::Short(i) => i32::from(*i),
        Value::Byte(i) => i32::from(*i),
        Value::Char(i) => i32::from(*i),
        Value::Long(i) => *i as i32,
        _ => 0,
    }
}

fn list_index(v: &Value) -> R<i64> {
    match v {
        Value::Int(i) => Ok(i64::from(*i)),
        Value::Short(i) => Ok(i64::from(*i)),
        Value::Byte(i) => Ok(i64::from(*i)),
        Value::Char(i) => Ok(i64::from(*i)),
        Value::Null => throw(Exception::without_message("NullPointerException")),
        // The index of a def access converts as a method handle does (asType).
        other => throw(Exception::new(
            "WrongMethodTypeException",
            format!("cannot convert {} to int", runtime_type_name(other)),
        )),
    }
}

// ---- numbers ----

#[derive(Clone, Copy)]
enum N {
    I(i64),
    F(f32),
    D(f64),
}

fn num(v: &Value) -> Option<N> {
    Some(match v {
        Value::Byte(x) => N::I(i64::from(*x)),
        Value::Short(x) => N::I(i64::from(*x)),
        Value::Char(x) => N::I(i64::from(*x)),
        Value::Int(x) => N::I(i64::from(*x)),
        Value::Long(x) => N::I(*x),
        Value::Float(x) => N::F(*x),
        Value::Double(x) => N::D(*x),
        _ => return None,
    })
}

fn to_i32(n: N) -> i32 {
    match n {
        N::I(x) => x as i32,
        N::F(f) => f as i32,
        N::D(d) => d as i32,
    }
}

/// A Java primitive conversion (JLS 5.1.2/5.1.3).
fn convert(n: N, to: P) -> Value {
    match to {
        P::Byte => Value::Byte(to_i32(n) as i8),
        P::Short => Value::Short(to_i32(n) as i16),
        P::Char => Value::Char(to_i32(n) as u16),
        P::Int => Value::Int(to_i32(n)),
        P::Long => Value::Long(match n {
            N::I(x) => x,
            N::F(f) => f as i64,
            N::D(d) => d as i64,
        }),
        P::Float => Value::Float(match n {
            N::I(x) => x as f32,
            N::F(f) => f,
            N::D(d) => d as f32,
        }),
        P::Double => Value::Double(match n {
            N::I(x) => x as f64,
            N::F(f) => f64::from(f),
            N::D(d) => d,
        }),
        P::Boolean => Value::Null,
    }
}

fn npe() -> Exception {
    Exception::without_message("NullPointerException")
}

/// Upstream `Def.castException`: "cannot implicitly cast def [short] to byte".
fn def_cast_error_kind(v: &Value, to: &str, explicit: bool) -> Exception {
    let from = match v {
        Value::Boolean(_) => "boolean".to_owned(),
        Value::Byte(_) => "byte".to_owned(),
        Value::Short(_) => "short".to_owned(),
        Value::Char(_) => "char".to_owned(),
        Value::Int(_) => "int".to_owned(),
        Value::Long(_) => "long".to_owned(),
        Value::Float(_) => "float".to_owned(),
        Value::Double(_) => "double".to_owned(),
        other => runtime_type_name(other),
    };
    Exception::class_cast(format!(
        "cannot {} cast def [{from}] to {to}",
        if explicit { "explicitly" } else { "implicitly" }
    ))
}

fn def_cast_error(v: &Value, to: &str) -> Exception {
    def_cast_error_kind(v, to, false)
}

/// The cast operations that need no class library.
pub(crate) fn apply_cast_pure(v: &Value, op: &CastOp) -> Result<Value, Exception> {
    match op {
        CastOp::Num { to, unbox } => {
            if v.is_null() {
                return if *unbox { Err(npe()) } else { Ok(Value::Null) };
            }
            match num(v) {
                Some(n) => Ok(convert(n, *to)),
                None => Err(def_cast_error(v, to.name())),
            }
        }
        CastOp::UnboxBool => match v {
            Value::Boolean(_) => Ok(v.clone()),
            Value::Null => Err(npe()),
            other => Err(def_cast_error(other, "boolean")),
        },
        CastOp::DefToPrim {
            to,
            explicit,
            boxed,
        } => {
            if v.is_null() {
                return if *boxed { Ok(Value::Null) } else { Err(npe()) };
            }
            let target_name = if *boxed {
                format!("java.lang.{}", to.boxed_name())
            } else {
                to.name().to_owned()
            };
            if *to == P::Boolean {
                return match v {
                    Value::Boolean(_) => Ok(v.clone()),
                    other => Err(def_cast_error_kind(other, &target_name, *explicit)),
                };
            }
            if *explicit {
                if *to == P::Char {
                    if let Value::String(s) = v {
                        return string_to_char(s);
                    }
                }
                return match num(v) {
                    Some(n) => Ok(convert(n, *to)),
                    None => Err(def_cast_error_kind(v, &target_name, true)),
                };
            }
            // Implicit: only widening from the value's own type (Def.defTo*Implicit).
            let from = match v {
                Value::Byte(_) => P::Byte,
                Value::Short(_) => P::Short,
                Value::Char(_) => P::Char,
                Value::Int(_) => P::Int,
                Value::Long(_) => P::Long,
                Value::Float(_) => P::Float,
                Value::Double(_) => P::Double,
                other => return Err(def_cast_error(other, &target_name)),
            };
            if from == *to || super::types::widens(from, *to) {
                Ok(convert(num(v).expect("numeric"), *to))
            } else {
                Err(def_cast_error(v, &target_name))
            }
        }
        CastOp::DefToString { explicit } => match v {
            Value::Null | Value::String(_) => Ok(v.clone()),
            Value::Char(c) if *explicit => Ok(Value::string(String::from_utf16_lossy(&[*c]))),
            other => Err(def_cast_error(other, "java.lang.String")),
        },
        CastOp::StringToChar => match v {
            Value::String(s) => string_to_char(s),
            Value::Null => Err(Exception::class_cast(
                "cannot cast null java.lang.String to char",
            )),
            other => Err(def_cast_error(other, "char")),
        },
        CastOp::CharToString => match v {
            Value::Char(c) => Ok(Value::string(String::from_utf16_lossy(&[*c]))),
            other => Ok(other.clone()),
        },
        CastOp::Check(_) => Err(Exception::illegal_argument(
            "reference cast without a class library",
        )),
    }
}

/// `Utility.StringTochar`.
fn string_to_char(s: &str) -> Result<Value, Exception> {
    let units: Vec<u16> = s.encode_utf16().collect();
    if units.len() != 1 {
        return Err(Exception::class_cast(
            "cannot cast java.lang.String with length not equal to one to char",
        ));
    }
    Ok(Value::Char(units[0]))
}

/// After `x op= y` on a `def` place: the result takes the class the old value had (upstream
/// DefBootstrap's compound-assignment flag casts the result to the left operand's type).
fn cast_back_to_class_of(old: &Value, result: Value) -> Result<Value, Exception> {
    let to = match old {
        Value::Byte(_) => P::Byte,
        Value::Short(_) => P::Short,
        Value::Char(_) => P::Char,
        Value::Int(_) => P::Int,
        Value::Long(_) => P::Long,
        Value::Float(_) => P::Float,
        Value::Double(_) => P::Double,
        _ => return Ok(result),
    };
    match num(&result) {
        Some(n) => Ok(convert(n, to)),
        None => Ok(result),
    }
}

/// `DefMath`'s promotion of two run-time operands: double, float, long, else int.
fn def_promote(a: &Value, b: &Value, decimal: bool) -> Option<P> {
    let rank = |v: &Value| -> Option<u8> {
        Some(match v {
            Value::Byte(_) | Value::Short(_) | Value::Char(_) | Value::Int(_) => 0,
            Value::Long(_) => 1,
            Value::Float(_) if decimal => 2,
            Value::Double(_) if decimal => 3,
            _ => return None,
        })
    };
    let r = rank(a)?.max(rank(b)?);
    Some(match r {
        0 => P::Int,
        1 => P::Long,
        2 => P::Float,
        _ => P::Double,
    })
}

fn op_error(op: &str, a: &Value, b: &Value) -> Exception {
    Exception::class_cast(format!(
        "Cannot apply [{op}] operation to types [{}] and [{}].",
        runtime_type_name(a),
        runtime_type_name(b)
    ))
}

pub(crate) fn binary(op: BinOp, kind: Kind, a: &Value, b: &Value) -> Result<Value, Exception> {
    match kind {
        Kind::Str => {
            let mut s = a.java_to_string();
            s.push_str(&b.java_to_string());
            Ok(Value::string(s))
        }
        Kind::Prim(p) => prim_binary(op, p, a, b),
        Kind::Def => {
            if a.is_null() || b.is_null() {
                if op == BinOp::Add
                    && (matches!(a, Value::String(_)) || matches!(b, Value::String(_)))
                {
                    let mut s = a.java_to_string();
                    s.push_str(&b.java_to_string());
                    return Ok(Value::string(s));
                }
                return Err(npe());
            }
            if op == BinOp::Add && (matches!(a, Value::String(_)) || matches!(b, Value::String(_)))
            {
                let mut s = a.java_to_string();
                s.push_str(&b.java_to_string());
                return Ok(Value::string(s));
            }
            if matches!(op, BinOp::BwAnd | BinOp::Xor | BinOp::BwOr) {
                if let (Value::Boolean(x), Value::Boolean(y)) = (a, b) {
                    return Ok(Value::Boolean(match op {
                        BinOp::BwAnd => *x & *y,
                        BinOp::Xor => *x ^ *y,
                        _ => *x | *y,
                    }));
                }
            }
            let decimal = !matches!(op, BinOp::BwAnd | BinOp::Xor | BinOp::BwOr);
            match def_promote(a, b, decimal) {
                Some(p) => {
                    let a = convert(num(a).expect("numeric"), p);
                    let b = convert(num(b).expect("numeric"), p);
                    prim_binary(op, p, &a, &b)
                }
                None => Err(op_error(op.symbol(), a, b)),
            }
        }
        Kind::Obj => Err(op_error(op.symbol(), a, b)),
    }
}

fn prim_binary(op: BinOp, p: P, a: &Value, b: &Value) -> Result<Value, Exception> {
    let div0 = || Exception::arithmetic("/ by zero");
    Ok(match (p, a, b) {
        (P::Int, Value::Int(x), Value::Int(y)) => Value::Int(match op {
            BinOp::Add => x.wrapping_add(*y),
            BinOp::Sub => x.wrapping_sub(*y),
            BinOp::Mul => x.wrapping_mul(*y),
            BinOp::Div => {
                if *y == 0 {
                    return Err(div0());
                }
                x.wrapping_div(*y)
            }
            BinOp::Rem => {
                if *y == 0 {
                    return Err(div0());
                }
                x.wrapping_rem(*y)
            }
            BinOp::BwAnd => x & y,
            BinOp::Xor => x ^ y,
            BinOp::BwOr => x | y,
            _ => return Err(op_error(op.symbol(), a, b)),
        }),
        (P::Long, Value::Long(x), Value::Long(y)) => Value::Long(match op {
            BinOp::Add => x.wrapping_add(*y),
            BinOp::Sub => x.wrapping_sub(*y),
            BinOp::Mul => x.wrapping_mul(*y),
            BinOp::Div => {
                if *y == 0 {
                    return Err(div0());
                }
                x.wrapping_div(*y)
            }
            BinOp::Rem => {
                if *y == 0 {
                    return Err(div0());
                }
                x.wrapping_rem(*y)
            }
            BinOp::BwAnd => x & y,
            BinOp::Xor => x ^ y,
            BinOp::BwOr => x | y,
            _ => return Err(op_error(op.symbol(), a, b)),
        }),
        (P::Float, Value::Float(x), Value::Float(y)) => Value::Float(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => x / y,
            BinOp::Rem => x % y,
            _ => return Err(op_error(op.symbol(), a, b)),
        }),
        (P::Double, Value::Double(x), Value::Double(y)) => Value::Double(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => x / y,
            BinOp::Rem => x % y,
            _ => return Err(op_error(op.symbol(), a, b)),
        }),
        (P::Boolean, Value::Boolean(x), Value::Boolean(y)) => Value::Boolean(match op {
            BinOp::BwAnd => *x & *y,
            BinOp::Xor => *x ^ *y,
            BinOp::BwOr => *x | *y,
            _ => return Err(op_error(op.symbol(), a, b)),
        }),
        _ => {
            // Operands of another class than the promotion (a def value in a typed slot).
            match (num(a), num(b)) {
                (Some(x), Some(y)) if p != P::Boolean => {
                    return prim_binary(op, p, &convert(x, p), &convert(y, p))
                }
                _ => return Err(op_error(op.symbol(), a, b)),
            }
        }
    })
}

pub(crate) fn shift(op: BinOp, kind: Kind, a: &Value, b: &Value) -> Result<Value, Exception> {
    if a.is_null() || b.is_null() {
        return Err(npe());
    }
    let p = match kind {
        Kind::Prim(p) => p,
        _ => match a {
            Value::Byte(_) | Value::Short(_) | Value::Char(_) | Value::Int(_) => P::Int,
            Value::Long(_) => P::Long,
            _ => return Err(op_error(op.symbol(), a, b)),
        },
    };
    let distance = match b {
        Value::Byte(_) | Value::Short(_) | Value::Char(_) | Value::Int(_) | Value::Long(_) => {
            match num(b) {
                Some(N::I(x)) => x,
                _ => 0,
            }
        }
        _ => return Err(op_error(op.symbol(), a, b)),
    };
    let Some(N::I(x)) = num(a) else {
        return Err(op_error(op.symbol(), a, b));
    };
    Ok(match p {
        P::Long => {
            let d = (distance & 63) as u32;
            Value::Long(match op {
                BinOp::Lsh => x.wrapping_shl(d),
                BinOp::Rsh => x.wrapping_shr(d),
                _ => ((x as u64) >> d) as i64,
            })
        }
        _ => {
            let x = x as i32;
            let d = (distance & 31) as u32;
            Value::Int(match op {
                BinOp::Lsh => x.wrapping_shl(d),
                BinOp::Rsh => x.wrapping_shr(d),
                _ => ((x as u32) >> d) as i32,
            })
        }
    })
}

fn neg(kind: Kind, v: &Value) -> Result<Value, Exception> {
    Ok(match (kind, v) {
        (_, Value::Int(x)) => Value::Int(x.wrapping_neg()),
        (_, Value::Long(x)) => Value::Long(x.wrapping_neg()),
        (_, Value::Float(x)) => Value::Float(-x),
        (_, Value::Double(x)) => Value::Double(-x),
        (Kind::Def, Value::Byte(_) | Value::Short(_) | Value::Char(_)) => {
            Value::Int(as_int(v).wrapping_neg())
        }
        (_, Value::Null) => return Err(npe()),
        (_, other) => {
            return Err(Exception::class_cast(format!(
                "Cannot apply [-] operation to type [{}].",
                runtime_type_name(other)
            )))
        }
    })
}

fn def_plus(v: &Value) -> Result<Value, Exception> {
    Ok(match v {
        Value::Byte(_) | Value::Short(_) | Value::Char(_) => Value::Int(as_int(v)),
        Value::Int(_) | Value::Long(_) | Value::Float(_) | Value::Double(_) => v.clone(),
        Value::Null => return Err(npe()),
        other => {
            return Err(Exception::class_cast(format!(
                "Cannot apply [+] operation to type [{}].",
                runtime_type_name(other)
            )))
        }
    })
}

fn bwnot(_kind: Kind, v: &Value) -> Result<Value, Exception> {
    Ok(match v {
        Value::Int(x) => Value::Int(!x),
        Value::Long(x) => Value::Long(!x),
        Value::Byte(_) | Value::Short(_) | Value::Char(_) => Value::Int(!as_int(v)),
        Value::Null => return Err(npe()),
        other => {
            return Err(Exception::class_cast(format!(
                "Cannot apply [~] operation to type [{}].",
                runtime_type_name(other)
            )))
        }
    })
}

pub(crate) fn compare(op: CmpOp, kind: Kind, a: &Value, b: &Value) -> Result<bool, Exception> {
    // The common case: two ints of a static int comparison.
    if let (Kind::Prim(P::Int), Value::Int(x), Value::Int(y)) = (kind, a, b) {
        return Ok(match op {
            CmpOp::Lt => x < y,
            CmpOp::Lte => x <= y,
            CmpOp::Gt => x > y,
            CmpOp::Gte => x >= y,
            CmpOp::Eq | CmpOp::Eqr => x == y,
            CmpOp::Ne | CmpOp::Ner => x != y,
        });
    }
    match op {
        CmpOp::Eq | CmpOp::Ne => {
            let eq = match kind {
                Kind::Prim(p) => prim_eq(p, a, b),
                Kind::Def => def_eq(a, b),
                _ => a.java_equals(b),
            };
            Ok(if op == CmpOp::Eq { eq } else { !eq })
        }
        CmpOp::Eqr | CmpOp::Ner => {
            let same = match kind {
                Kind::Prim(p) => prim_eq(p, a, b),
                _ => a.identical(b),
            };
            Ok(if op == CmpOp::Eqr { same } else { !same })
        }
        _ => {
            let p = match kind {
                Kind::Prim(p) => p,
                _ => {
                    if a.is_null() || b.is_null() {
                        return Err(npe());
                    }
                    match def_promote(a, b, true) {
                        Some(p) => p,
                        None => return Err(op_error(op.symbol(), a, b)),
                    }
                }
            };
            let (Some(x), Some(y)) = (num(a), num(b)) else {
                return Err(op_error(op.symbol(), a, b));
            };
            let (x, y) = (convert(x, p), convert(y, p));
            let ord = match (&x, &y) {
                (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
                (Value::Long(x), Value::Long(y)) => Some(x.cmp(y)),
                (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
                (Value::Double(x), Value::Double(y)) => x.partial_cmp(y),
                _ => None,
            };
            let Some(ord) = ord else { return Ok(false) };
            use std::cmp::Ordering::*;
            Ok(match op {
                CmpOp::Lt => ord == Less,
                CmpOp::Lte => ord != Greater,
                CmpOp::Gt => ord == Greater,
                _ => ord != Less,
            })
        }
    }
}

fn prim_eq(p: P, a: &Value, b: &Value) -> bool {
    match p {
        P::Boolean => matches!((a, b), (Value::Boolean(x), Value::Boolean(y)) if x == y),
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => match (convert(x, p), convert(y, p)) {
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::Double(x), Value::Double(y)) => x == y,
                (x, y) => x.java_equals(&y),
            },
            _ => false,
        },
    }
}

/// `DefMath.eq`: numbers and chars compare by promoted value, others with `equals`.
fn def_eq(a: &Value, b: &Value) -> bool {
    if a.is_null() || b.is_null() {
        return a.is_null() && b.is_null();
    }
    if let (Some(_), Some(_)) = (num(a), num(b)) {
        if let Some(p) = def_promote(a, b, true) {
            return prim_eq(p, a, b);
        }
    }
    a.java_equals(b)
}

/// `Throwable.getMessage()`/`getLocalizedMessage()`/`toString()` on a caught or created
/// exception (the interpreter's own [`ThrowableValue`]).
pub(crate) fn throwable_method(name: &str, arity: usize) -> Option<super::library::NativeFn> {
    fn message(recv: Option<&Value>, _: &[Value], _: &mut dyn Host) -> Result<Value, Thrown> {
        Ok(throwable(recv)
            .and_then(|t| t.exception.message.clone())
            .map(Value::from)
            .unwrap_or(Value::Null))
    }
    fn to_string(recv: Option<&Value>, _: &[Value], _: &mut dyn Host) -> Result<Value, Thrown> {
        Ok(recv
            .map(|v| Value::from(v.java_to_string()))
            .unwrap_or(Value::Null))
    }
    fn throwable(recv: Option<&Value>) -> Option<&ThrowableValue> {
        match recv {
            Some(Value::Object(o)) => o.as_any().downcast_ref::<ThrowableValue>(),
            _ => None,
        }
    }
    match (name, arity) {
        ("getMessage" | "getLocalizedMessage", 0) => Some(message),
        ("toString", 0) => Some(to_string),
        _ => None,
    }
}
