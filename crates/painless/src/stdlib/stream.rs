//! `java.util.stream`: sequential streams over a collection's elements, evaluated lazily and in
//! order as the JDK does for a sequential pipeline (a short-circuiting terminal stops pulling,
//! `sorted()` is a barrier), with `Collectors`. A stream can be used once
//! (`IllegalStateException: stream has already been operated upon or closed`).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::rc::Rc;

use crate::value::{JArray, JMap, JSet, JavaObject, MapKind, SetKind, Value};

use super::objects::{Iter, Optional};
use super::util::*;
use super::{Host, HostExt, Registry, Thrown};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Elem {
    Obj,
    Int,
    Long,
    Double,
}

impl Elem {
    fn class(self) -> &'static str {
        match self {
            Elem::Obj => "java.util.stream.ReferencePipeline",
            Elem::Int => "java.util.stream.IntPipeline",
            Elem::Long => "java.util.stream.LongPipeline",
            Elem::Double => "java.util.stream.DoublePipeline",
        }
    }
    fn coerce(self, v: Value) -> Result<Value, Thrown> {
        Ok(match self {
            Elem::Obj => v,
            Elem::Int => Value::Int(int_of(&v)?),
            Elem::Long => Value::Long(long_of(&v)?),
            Elem::Double => Value::Double(double_of(&v)?),
        })
    }
    fn optional_class(self) -> &'static str {
        match self {
            Elem::Obj => "java.util.Optional",
            Elem::Int => "java.util.OptionalInt",
            Elem::Long => "java.util.OptionalLong",
            Elem::Double => "java.util.OptionalDouble",
        }
    }
}

#[derive(Clone)]
enum Op {
    Filter(Value),
    Map(Value, Elem),
    Peek(Value),
    Limit(i64),
    Skip(i64),
    Distinct,
    Sorted(Value),
    FlatMap(Value, Elem),
}

/// A stream: its source elements and the operations chained on them.
pub(crate) struct Stream {
    elem: Elem,
    source: Rc<Vec<Value>>,
    ops: Vec<Op>,
    used: Cell<bool>,
}

impl JavaObject for Stream {
    fn class_name(&self) -> &str {
        match self.elem {
            Elem::Obj => "java.util.stream.ReferencePipeline$Head",
            Elem::Int => "java.util.stream.IntPipeline$Head",
            Elem::Long => "java.util.stream.LongPipeline$Head",
            Elem::Double => "java.util.stream.DoublePipeline$Head",
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        format!(
            "{}@{:x}",
            self.elem.class(),
            self as *const Self as usize & 0xffff_ffff
        )
    }
}

impl Stream {
    fn value(elem: Elem, items: Vec<Value>) -> Value {
        Value::Object(Rc::new(Stream {
            elem,
            source: Rc::new(items),
            ops: Vec::new(),
            used: Cell::new(false),
        }))
    }
}

fn stream(t: Option<&Value>) -> Result<&Stream, Thrown> {
    match recv(t)? {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Stream>()
            .ok_or_else(|| cce(recv(t).expect("checked"), "java.util.stream.Stream")),
        other => Err(cce(other, "java.util.stream.Stream")),
    }
}

fn take(s: &Stream) -> Result<(), Thrown> {
    if s.used.replace(true) {
        return Err(exc(
            "IllegalStateException",
            "stream has already been operated upon or closed",
        ));
    }
    Ok(())
}

/// An intermediate operation: a new stream, this one used up.
fn chain(t: Option<&Value>, op: Op, elem: Option<Elem>) -> Result<Value, Thrown> {
    let s = stream(t)?;
    take(s)?;
    let mut ops = s.ops.clone();
    ops.push(op);
    Ok(Value::Object(Rc::new(Stream {
        elem: elem.unwrap_or(s.elem),
        source: s.source.clone(),
        ops,
        used: Cell::new(false),
    })))
}

enum State {
    None,
    Count(i64),
    Seen(JSet),
    Buffer(Vec<Value>),
}

struct Pipeline<'a> {
    ops: &'a [Op],
    state: Vec<State>,
}

type Sink<'s> = dyn FnMut(Value, &mut dyn Host) -> Result<bool, Thrown> + 's;

impl Pipeline<'_> {
    /// Pushes one element into operation `i`; `false` stops the source.
    fn push(
        &mut self,
        i: usize,
        v: Value,
        h: &mut dyn Host,
        sink: &mut Sink<'_>,
    ) -> Result<bool, Thrown> {
        if i == self.ops.len() {
            return sink(v, h);
        }
        h.tick()?;
        match &self.ops[i] {
            Op::Filter(f) => {
                if truthy(&h.invoke(f, std::slice::from_ref(&v))?)? {
                    self.push(i + 1, v, h, sink)
                } else {
                    Ok(true)
                }
            }
            Op::Map(f, elem) => {
                let nv = if f.is_null() {
                    elem.coerce(v)?
                } else {
                    elem.coerce(h.invoke(f, &[v])?)?
                };
                self.push(i + 1, nv, h, sink)
            }
            Op::Peek(f) => {
                h.invoke(f, std::slice::from_ref(&v))?;
                self.push(i + 1, v, h, sink)
            }
            Op::Limit(n) => {
                let n = *n;
                let State::Count(c) = &mut self.state[i] else {
                    unreachable!("limit state")
                };
                if *c >= n {
                    return Ok(false);
                }
                *c += 1;
                let done = *c >= n;
                let more = self.push(i + 1, v, h, sink)?;
                Ok(more && !done)
            }
            Op::Skip(n) => {
                let n = *n;
                let State::Count(c) = &mut self.state[i] else {
                    unreachable!("skip state")
                };
                if *c < n {
                    *c += 1;
                    return Ok(true);
                }
                self.push(i + 1, v, h, sink)
            }
            Op::Distinct => {
                let State::Seen(seen) = &mut self.state[i] else {
                    unreachable!("distinct state")
                };
                if seen.insert(v.clone()) {
                    self.push(i + 1, v, h, sink)
                } else {
                    Ok(true)
                }
            }
            Op::Sorted(_) => {
                let State::Buffer(b) = &mut self.state[i] else {
                    unreachable!("sorted state")
                };
                b.push(v);
                Ok(true)
            }
            Op::FlatMap(f, elem) => {
                let inner = h.invoke(f, &[v])?;
                if inner.is_null() {
                    return Ok(true);
                }
                let items = drain(&inner, h)?;
                for item in items {
                    if !self.push(i + 1, elem.coerce(item)?, h, sink)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
        }
    }
}

/// Runs a stream into a sink, in order, stopping when the sink says so.
fn run(s: &Stream, h: &mut dyn Host, sink: &mut Sink<'_>) -> Result<(), Thrown> {
    take(s)?;
    let state = s
        .ops
        .iter()
        .map(|op| match op {
            Op::Limit(_) | Op::Skip(_) => State::Count(0),
            Op::Distinct => State::Seen(JSet::new(SetKind::Linked)),
            Op::Sorted(_) => State::Buffer(Vec::new()),
            _ => State::None,
        })
        .collect();
    let mut p = Pipeline { ops: &s.ops, state };
    let mut stopped = false;
    for v in s.source.iter() {
        if !p.push(0, v.clone(), h, sink)? {
            stopped = true;
            break;
        }
    }
    // Flush the sorted barriers in order.
    for i in 0..s.ops.len() {
        if let Op::Sorted(cmp) = &s.ops[i] {
            let State::Buffer(b) = std::mem::replace(&mut p.state[i], State::Buffer(Vec::new()))
            else {
                continue;
            };
            if stopped && b.is_empty() {
                continue;
            }
            let sorted = super::collections::sort_values(b, cmp, h)?;
            for v in sorted {
                if !p.push(i + 1, v, h, sink)? {
                    stopped = true;
                    break;
                }
            }
        }
    }
    Ok(())
}

/// All elements of a stream value (used by flatMap and concat).
fn drain(v: &Value, h: &mut dyn Host) -> Result<Vec<Value>, Thrown> {
    let s = match v {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Stream>()
            .ok_or_else(|| cce(v, "java.util.stream.Stream"))?,
        other => return Err(cce(other, "java.util.stream.Stream")),
    };
    let mut out = Vec::new();
    run(s, h, &mut |x, _| {
        out.push(x);
        Ok(true)
    })?;
    Ok(out)
}

fn collect_all(t: Option<&Value>, h: &mut dyn Host) -> Result<(Elem, Vec<Value>), Thrown> {
    let s = stream(t)?;
    let mut out = Vec::new();
    run(s, h, &mut |x, _| {
        out.push(x);
        Ok(true)
    })?;
    Ok((s.elem, out))
}

const STREAMS: [&str; 5] = [
    "java.util.stream.Stream",
    "java.util.stream.IntStream",
    "java.util.stream.LongStream",
    "java.util.stream.DoubleStream",
    "java.util.stream.BaseStream",
];

fn on_all(r: &mut Registry, name: &'static str, arity: usize, f: super::NativeFn) {
    r.add_on(&STREAMS, name, arity, f);
}

fn sum(elem: Elem, items: &[Value]) -> Result<Value, Thrown> {
    Ok(match elem {
        Elem::Int => Value::Int(
            items
                .iter()
                .try_fold(0i32, |a, v| Ok::<i32, Thrown>(a.wrapping_add(int_of(v)?)))?,
        ),
        Elem::Long => Value::Long(
            items
                .iter()
                .try_fold(0i64, |a, v| Ok::<i64, Thrown>(a.wrapping_add(long_of(v)?)))?,
        ),
        _ => Value::Double(
            items
                .iter()
                .try_fold(0f64, |a, v| Ok::<f64, Thrown>(a + double_of(v)?))?,
        ),
    })
}

fn extreme(
    t: Option<&Value>,
    cmp: &Value,
    h: &mut dyn Host,
    want: Ordering,
) -> Result<Value, Thrown> {
    let (elem, items) = collect_all(t, h)?;
    let mut best: Option<Value> = None;
    for v in items {
        best = Some(match best {
            None => v,
            Some(b) => {
                let o = match elem {
                    Elem::Obj => super::functional::compare(cmp, &v, &b, h)?,
                    Elem::Double => {
                        crate::value::map::java_double_compare(double_of(&v)?, double_of(&b)?)
                    }
                    _ => long_of(&v)?.cmp(&long_of(&b)?),
                };
                if o == want {
                    v
                } else {
                    b
                }
            }
        });
    }
    if elem == Elem::Obj && best.as_ref().is_some_and(Value::is_null) {
        return Err(npe());
    }
    Ok(Optional::value_of(elem.optional_class(), best))
}

fn first(t: Option<&Value>, h: &mut dyn Host) -> Result<Value, Thrown> {
    let s = stream(t)?;
    let mut found = None;
    run(s, h, &mut |x, _| {
        found = Some(x);
        Ok(false)
    })?;
    if s.elem == Elem::Obj && found.as_ref().is_some_and(Value::is_null) {
        return Err(npe());
    }
    Ok(Optional::value_of(s.elem.optional_class(), found))
}

fn matching(t: Option<&Value>, a: &[Value], h: &mut dyn Host, kind: u8) -> Result<Value, Thrown> {
    // kind: 0 any, 1 all, 2 none
    let s = stream(t)?;
    let pred = arg(a, 0).clone();
    let mut result = kind != 0;
    run(s, h, &mut |x, h| {
        let hit = truthy(&h.invoke(&pred, &[x])?)?;
        match kind {
            0 if hit => {
                result = true;
                Ok(false)
            }
            1 if !hit => {
                result = false;
                Ok(false)
            }
            2 if hit => {
                result = false;
                Ok(false)
            }
            _ => Ok(true),
        }
    })?;
    Ok(Value::Boolean(result))
}

fn array_of(elem: Elem, items: Vec<Value>) -> Value {
    let ty = match elem {
        Elem::Obj => "def",
        Elem::Int => "int",
        Elem::Long => "long",
        Elem::Double => "double",
    };
    Value::Array(Rc::new(RefCell::new(JArray::new(ty.into(), items))))
}

fn source_items(v: &Value) -> Result<Vec<Value>, Thrown> {
    match v {
        Value::Array(a) => Ok(a.borrow().items.clone()),
        Value::Null => Err(npe()),
        other => Ok(vec![other.clone()]),
    }
}

pub(crate) fn register(r: &mut Registry) {
    r.add("java.util.Collection", "stream", 0, |t, _, _| {
        Ok(Stream::value(Elem::Obj, iter_items(recv(t)?)?))
    });

    // Sources
    r.add("java.util.stream.Stream", "of", 1, |_, a, _| {
        Ok(Stream::value(Elem::Obj, source_items(arg(a, 0))?))
    });
    r.add("java.util.stream.Stream", "empty", 0, |_, _, _| {
        Ok(Stream::value(Elem::Obj, Vec::new()))
    });
    r.add("java.util.stream.IntStream", "of", 1, |_, a, _| {
        Ok(Stream::value(Elem::Int, source_items(arg(a, 0))?))
    });
    r.add("java.util.stream.LongStream", "of", 1, |_, a, _| {
        Ok(Stream::value(Elem::Long, source_items(arg(a, 0))?))
    });
    r.add("java.util.stream.DoubleStream", "of", 1, |_, a, _| {
        Ok(Stream::value(Elem::Double, source_items(arg(a, 0))?))
    });
    r.add("java.util.stream.IntStream", "empty", 0, |_, _, _| {
        Ok(Stream::value(Elem::Int, Vec::new()))
    });
    r.add("java.util.stream.LongStream", "empty", 0, |_, _, _| {
        Ok(Stream::value(Elem::Long, Vec::new()))
    });
    r.add("java.util.stream.DoubleStream", "empty", 0, |_, _, _| {
        Ok(Stream::value(Elem::Double, Vec::new()))
    });
    r.add("java.util.stream.IntStream", "range", 2, |_, a, h| {
        let (x, y) = (int_arg(a, 0)?, int_arg(a, 1)?);
        range(i64::from(x), i64::from(y), Elem::Int, h)
    });
    r.add("java.util.stream.IntStream", "rangeClosed", 2, |_, a, h| {
        let (x, y) = (int_arg(a, 0)?, int_arg(a, 1)?);
        range(i64::from(x), i64::from(y) + 1, Elem::Int, h)
    });
    r.add("java.util.stream.LongStream", "range", 2, |_, a, h| {
        range(long_arg(a, 0)?, long_arg(a, 1)?, Elem::Long, h)
    });
    r.add(
        "java.util.stream.LongStream",
        "rangeClosed",
        2,
        |_, a, h| {
            range(
                long_arg(a, 0)?,
                long_arg(a, 1)?.saturating_add(1),
                Elem::Long,
                h,
            )
        },
    );
    for class in [
        "java.util.stream.Stream",
        "java.util.stream.IntStream",
        "java.util.stream.LongStream",
        "java.util.stream.DoubleStream",
    ] {
        r.add(class, "concat", 2, |_, a, h| {
            let elem = match arg(a, 0) {
                Value::Object(o) => o
                    .as_any()
                    .downcast_ref::<Stream>()
                    .map_or(Elem::Obj, |s| s.elem),
                _ => Elem::Obj,
            };
            let mut items = drain(arg(a, 0), h)?;
            items.extend(drain(arg(a, 1), h)?);
            Ok(Stream::value(elem, items))
        });
    }

    // Intermediate operations
    on_all(r, "filter", 1, |t, a, _| {
        chain(t, Op::Filter(arg(a, 0).clone()), None)
    });
    on_all(r, "map", 1, |t, a, _| {
        let elem = stream(t)?.elem;
        chain(t, Op::Map(arg(a, 0).clone(), elem), None)
    });
    on_all(r, "mapToInt", 1, |t, a, _| {
        chain(t, Op::Map(arg(a, 0).clone(), Elem::Int), Some(Elem::Int))
    });
    on_all(r, "mapToLong", 1, |t, a, _| {
        chain(t, Op::Map(arg(a, 0).clone(), Elem::Long), Some(Elem::Long))
    });
    on_all(r, "mapToDouble", 1, |t, a, _| {
        chain(
            t,
            Op::Map(arg(a, 0).clone(), Elem::Double),
            Some(Elem::Double),
        )
    });
    on_all(r, "mapToObj", 1, |t, a, _| {
        chain(t, Op::Map(arg(a, 0).clone(), Elem::Obj), Some(Elem::Obj))
    });
    on_all(r, "boxed", 0, |t, _, _| {
        chain(t, Op::Skip(0), Some(Elem::Obj))
    });
    on_all(r, "asLongStream", 0, |t, _, _| {
        chain(t, Op::Map(identity(), Elem::Long), Some(Elem::Long))
    });
    on_all(r, "asDoubleStream", 0, |t, _, _| {
        chain(t, Op::Map(identity(), Elem::Double), Some(Elem::Double))
    });
    on_all(r, "flatMap", 1, |t, a, _| {
        let elem = stream(t)?.elem;
        chain(t, Op::FlatMap(arg(a, 0).clone(), elem), None)
    });
    on_all(r, "peek", 1, |t, a, _| {
        chain(t, Op::Peek(arg(a, 0).clone()), None)
    });
    on_all(r, "limit", 1, |t, a, _| {
        let n = long_arg(a, 0)?;
        if n < 0 {
            return Err(exc("IllegalArgumentException", n.to_string()));
        }
        chain(t, Op::Limit(n), None)
    });
    on_all(r, "skip", 1, |t, a, _| {
        let n = long_arg(a, 0)?;
        if n < 0 {
            return Err(exc("IllegalArgumentException", n.to_string()));
        }
        chain(t, Op::Skip(n), None)
    });
    on_all(r, "distinct", 0, |t, _, _| chain(t, Op::Distinct, None));
    on_all(r, "sorted", 0, |t, _, _| {
        chain(t, Op::Sorted(Value::Null), None)
    });
    on_all(r, "sorted", 1, |t, a, _| {
        chain(t, Op::Sorted(arg(a, 0).clone()), None)
    });
    on_all(r, "sequential", 0, |t, _, _| Ok(recv(t)?.clone()));
    on_all(r, "unordered", 0, |t, _, _| Ok(recv(t)?.clone()));
    on_all(r, "isParallel", 0, |_, _, _| Ok(Value::Boolean(false)));
    on_all(r, "close", 0, |_, _, _| Ok(Value::Null));

    // Terminal operations
    on_all(r, "forEach", 1, |t, a, h| {
        let f = arg(a, 0).clone();
        run(stream(t)?, h, &mut |x, h| {
            h.invoke(&f, &[x])?;
            Ok(true)
        })?;
        Ok(Value::Null)
    });
    on_all(r, "forEachOrdered", 1, |t, a, h| {
        let f = arg(a, 0).clone();
        run(stream(t)?, h, &mut |x, h| {
            h.invoke(&f, &[x])?;
            Ok(true)
        })?;
        Ok(Value::Null)
    });
    on_all(r, "count", 0, |t, _, h| {
        Ok(Value::Long(collect_all(t, h)?.1.len() as i64))
    });
    on_all(r, "sum", 0, |t, _, h| {
        let (elem, items) = collect_all(t, h)?;
        sum(elem, &items)
    });
    on_all(r, "average", 0, |t, _, h| {
        let (_, items) = collect_all(t, h)?;
        if items.is_empty() {
            return Ok(Optional::value_of("java.util.OptionalDouble", None));
        }
        let mut total = 0.0;
        for v in &items {
            total += double_of(v)?;
        }
        Ok(Optional::value_of(
            "java.util.OptionalDouble",
            Some(Value::Double(total / items.len() as f64)),
        ))
    });
    on_all(r, "max", 0, |t, _, h| {
        extreme(t, &Value::Null, h, Ordering::Greater)
    });
    on_all(r, "min", 0, |t, _, h| {
        extreme(t, &Value::Null, h, Ordering::Less)
    });
    on_all(r, "max", 1, |t, a, h| {
        extreme(t, &arg(a, 0).clone(), h, Ordering::Greater)
    });
    on_all(r, "min", 1, |t, a, h| {
        extreme(t, &arg(a, 0).clone(), h, Ordering::Less)
    });
    on_all(r, "findFirst", 0, |t, _, h| first(t, h));
    on_all(r, "findAny", 0, |t, _, h| first(t, h));
    on_all(r, "anyMatch", 1, |t, a, h| matching(t, a, h, 0));
    on_all(r, "allMatch", 1, |t, a, h| matching(t, a, h, 1));
    on_all(r, "noneMatch", 1, |t, a, h| matching(t, a, h, 2));
    on_all(r, "toArray", 0, |t, _, h| {
        let (elem, items) = collect_all(t, h)?;
        Ok(array_of(elem, items))
    });
    on_all(r, "toArray", 1, |t, _, h| {
        let (elem, items) = collect_all(t, h)?;
        Ok(array_of(elem, items))
    });
    on_all(r, "iterator", 0, |t, _, h| {
        let (_, items) = collect_all(t, h)?;
        Ok(Iter::value("java.util.Spliterators$1Adapter", items, None))
    });
    on_all(r, "reduce", 2, |t, a, h| {
        let (elem, items) = collect_all(t, h)?;
        let mut acc = arg(a, 0).clone();
        for v in items {
            acc = elem.coerce(h.invoke(arg(a, 1), &[acc, v])?)?;
        }
        Ok(acc)
    });
    on_all(r, "reduce", 1, |t, a, h| {
        let (elem, items) = collect_all(t, h)?;
        let mut acc: Option<Value> = None;
        for v in items {
            acc = Some(match acc {
                None => v,
                Some(x) => elem.coerce(h.invoke(arg(a, 0), &[x, v])?)?,
            });
        }
        if elem == Elem::Obj && acc.as_ref().is_some_and(Value::is_null) {
            return Err(npe());
        }
        Ok(Optional::value_of(elem.optional_class(), acc))
    });
    on_all(r, "reduce", 3, |t, a, h| {
        let (_, items) = collect_all(t, h)?;
        let mut acc = arg(a, 0).clone();
        for v in items {
            acc = h.invoke(arg(a, 1), &[acc, v])?;
        }
        Ok(acc)
    });
    on_all(r, "collect", 1, |t, a, h| {
        let (_, items) = collect_all(t, h)?;
        apply_collector(arg(a, 0), items, h)
    });
    on_all(r, "collect", 3, |t, a, h| {
        let (_, items) = collect_all(t, h)?;
        let container = h.invoke(arg(a, 0), &[])?;
        for v in items {
            h.invoke(arg(a, 1), &[container.clone(), v])?;
        }
        Ok(container)
    });

    // Optional{Int,Long,Double} (java.util.Optional is in collections)
    for class in [
        "java.util.OptionalInt",
        "java.util.OptionalLong",
        "java.util.OptionalDouble",
    ] {
        for name in ["getAsInt", "getAsLong", "getAsDouble"] {
            r.add(class, name, 0, |t, _, _| {
                opt(t)?
                    .value
                    .clone()
                    .ok_or_else(|| exc("NoSuchElementException", "No value present"))
            });
        }
        r.add(class, "isPresent", 0, |t, _, _| {
            Ok(Value::Boolean(opt(t)?.value.is_some()))
        });
        r.add(class, "orElse", 1, |t, a, _| {
            Ok(opt(t)?.value.clone().unwrap_or_else(|| arg(a, 0).clone()))
        });
        r.add(class, "orElseGet", 1, |t, a, h| match &opt(t)?.value {
            Some(v) => Ok(v.clone()),
            None => h.invoke(arg(a, 0), &[]),
        });
        r.add(class, "ifPresent", 1, |t, a, h| {
            if let Some(v) = &opt(t)?.value {
                h.invoke(arg(a, 0), std::slice::from_ref(v))?;
            }
            Ok(Value::Null)
        });
        r.add(class, "orElseThrow", 1, |t, a, h| match &opt(t)?.value {
            Some(v) => Ok(v.clone()),
            None => {
                let e = h.invoke(arg(a, 0), &[])?;
                Err(unsupported(format!(
                    "throwing the exception object {} from orElseThrow",
                    e.java_to_string()
                )))
            }
        });
    }
    r.add("java.util.OptionalInt", "empty", 0, |_, _, _| {
        Ok(Optional::value_of("java.util.OptionalInt", None))
    });
    r.add("java.util.OptionalLong", "empty", 0, |_, _, _| {
        Ok(Optional::value_of("java.util.OptionalLong", None))
    });
    r.add("java.util.OptionalDouble", "empty", 0, |_, _, _| {
        Ok(Optional::value_of("java.util.OptionalDouble", None))
    });
    r.add("java.util.OptionalInt", "of", 1, |_, a, _| {
        Ok(Optional::value_of(
            "java.util.OptionalInt",
            Some(Value::Int(int_arg(a, 0)?)),
        ))
    });
    r.add("java.util.OptionalLong", "of", 1, |_, a, _| {
        Ok(Optional::value_of(
            "java.util.OptionalLong",
            Some(Value::Long(long_arg(a, 0)?)),
        ))
    });
    r.add("java.util.OptionalDouble", "of", 1, |_, a, _| {
        Ok(Optional::value_of(
            "java.util.OptionalDouble",
            Some(Value::Double(double_arg(a, 0)?)),
        ))
    });
    r.add(
        "java.util.Optional",
        "orElseThrow",
        1,
        |t, a, h| match &opt(t)?.value {
            Some(v) => Ok(v.clone()),
            None => {
                let e = h.invoke(arg(a, 0), &[])?;
                Err(unsupported(format!(
                    "throwing the exception object {} from orElseThrow",
                    e.java_to_string()
                )))
            }
        },
    );
    r.add("java.util.Optional", "flatMap", 1, |t, a, h| {
        match &opt(t)?.value {
            Some(v) => {
                let r = h.invoke(arg(a, 0), std::slice::from_ref(v))?;
                if r.is_null() {
                    return Err(npe());
                }
                Ok(r)
            }
            None => Ok(Optional::value_of("java.util.Optional", None)),
        }
    });

    register_collectors(r);
    register_stats(r);
}

fn identity() -> Value {
    Value::Null
}

fn range(from: i64, to: i64, elem: Elem, h: &mut dyn Host) -> Result<Value, Thrown> {
    let mut items = Vec::new();
    let mut i = from;
    while i < to {
        h.tick()?;
        items.push(match elem {
            Elem::Int => Value::Int(i as i32),
            _ => Value::Long(i),
        });
        i += 1;
    }
    Ok(Stream::value(elem, items))
}

fn opt(t: Option<&Value>) -> Result<&Optional, Thrown> {
    match recv(t)? {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Optional>()
            .ok_or_else(|| exc("ClassCastException", o.class_name().to_owned())),
        other => Err(cce(other, "java.util.Optional")),
    }
}

// ---------------------------------------------------------------------------------------------
// Collectors

/// A `Collector` built by `Collectors`.
pub(crate) struct Collector {
    kind: CKind,
}

enum CKind {
    ToList,
    ToSet,
    Joining(String, String, String),
    Counting,
    GroupingBy(Value, Option<Rc<Collector>>),
    PartitioningBy(Value, Option<Rc<Collector>>),
    ToMap(Value, Value, Value),
    Summing(Elem, Value),
    Averaging(Elem, Value),
    Mapping(Value, Rc<Collector>),
    MinBy(Value),
    MaxBy(Value),
    Reducing(Option<Value>, Value),
    CollectingAndThen(Rc<Collector>, Value),
    ToCollection(Value),
}

impl JavaObject for Collector {
    fn class_name(&self) -> &str {
        "java.util.stream.Collectors$CollectorImpl"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        format!(
            "java.util.stream.Collectors$CollectorImpl@{:x}",
            self as *const Self as usize & 0xffff_ffff
        )
    }
}

fn collector(kind: CKind) -> Result<Value, Thrown> {
    Ok(Value::Object(Rc::new(Collector { kind })))
}

fn collector_arg(v: &Value) -> Result<Rc<Collector>, Thrown> {
    match v {
        Value::Object(o) if o.as_any().is::<Collector>() => {
            // Rebuild an Rc<Collector> sharing nothing but the kind's values: collectors are
            // immutable, so a structural copy is equivalent.
            let c = o.as_any().downcast_ref::<Collector>().expect("checked");
            Ok(Rc::new(Collector {
                kind: clone_kind(&c.kind),
            }))
        }
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.util.stream.Collector")),
    }
}

fn clone_kind(k: &CKind) -> CKind {
    match k {
        CKind::ToList => CKind::ToList,
        CKind::ToSet => CKind::ToSet,
        CKind::Joining(a, b, c) => CKind::Joining(a.clone(), b.clone(), c.clone()),
        CKind::Counting => CKind::Counting,
        CKind::GroupingBy(f, d) => CKind::GroupingBy(f.clone(), d.clone()),
        CKind::PartitioningBy(f, d) => CKind::PartitioningBy(f.clone(), d.clone()),
        CKind::ToMap(a, b, c) => CKind::ToMap(a.clone(), b.clone(), c.clone()),
        CKind::Summing(e, f) => CKind::Summing(*e, f.clone()),
        CKind::Averaging(e, f) => CKind::Averaging(*e, f.clone()),
        CKind::Mapping(f, d) => CKind::Mapping(f.clone(), d.clone()),
        CKind::MinBy(c) => CKind::MinBy(c.clone()),
        CKind::MaxBy(c) => CKind::MaxBy(c.clone()),
        CKind::Reducing(i, f) => CKind::Reducing(i.clone(), f.clone()),
        CKind::CollectingAndThen(d, f) => CKind::CollectingAndThen(d.clone(), f.clone()),
        CKind::ToCollection(s) => CKind::ToCollection(s.clone()),
    }
}

fn apply_collector(c: &Value, items: Vec<Value>, h: &mut dyn Host) -> Result<Value, Thrown> {
    let c = collector_arg(c)?;
    run_collector(&c, items, h)
}

fn run_collector(c: &Collector, items: Vec<Value>, h: &mut dyn Host) -> Result<Value, Thrown> {
    Ok(match &c.kind {
        CKind::ToList => new_list(items),
        CKind::ToSet => new_set(SetKind::Hash, items),
        CKind::Joining(sep, prefix, suffix) => {
            let parts: Vec<String> = items.iter().map(Value::java_to_string).collect();
            Value::from(format!("{prefix}{}{suffix}", parts.join(sep)))
        }
        CKind::Counting => Value::Long(items.len() as i64),
        CKind::GroupingBy(f, down) => {
            let mut groups: Vec<(Value, Vec<Value>)> = Vec::new();
            let mut index = JMap::new(MapKind::Linked);
            for v in items {
                h.tick()?;
                let key = h.invoke(f, std::slice::from_ref(&v))?;
                if key.is_null() {
                    return Err(exc(
                        "NullPointerException",
                        "element cannot be mapped to a null key",
                    ));
                }
                match index.get(&key) {
                    Some(Value::Int(i)) => groups[*i as usize].1.push(v),
                    _ => {
                        index.insert(key.clone(), Value::Int(groups.len() as i32));
                        groups.push((key, vec![v]));
                    }
                }
            }
            let mut out = JMap::new(MapKind::Hash);
            for (k, vs) in groups {
                let v = match down {
                    Some(d) => run_collector(d, vs, h)?,
                    None => new_list(vs),
                };
                out.insert(k, v);
            }
            Value::map_from(out)
        }
        CKind::PartitioningBy(p, down) => {
            let (mut yes, mut no) = (Vec::new(), Vec::new());
            for v in items {
                h.tick()?;
                if truthy(&h.invoke(p, std::slice::from_ref(&v))?)? {
                    yes.push(v);
                } else {
                    no.push(v);
                }
            }
            let finish = |vs: Vec<Value>, h: &mut dyn Host| -> Result<Value, Thrown> {
                match down {
                    Some(d) => run_collector(d, vs, h),
                    None => Ok(new_list(vs)),
                }
            };
            // Collectors.Partition iterates false, then true.
            let mut out = JMap::new(MapKind::Linked);
            out.insert(Value::Boolean(false), finish(no, h)?);
            out.insert(Value::Boolean(true), finish(yes, h)?);
            Value::map_from(out)
        }
        CKind::ToMap(kf, vf, merge) => {
            let mut out = JMap::new(MapKind::Hash);
            for v in items {
                h.tick()?;
                let k = h.invoke(kf, std::slice::from_ref(&v))?;
                let val = h.invoke(vf, &[v])?;
                if val.is_null() {
                    return Err(npe());
                }
                match out.get(&k).cloned() {
                    Some(old) => {
                        if merge.is_null() {
                            return Err(exc(
                                "IllegalStateException",
                                format!(
                                    "Duplicate key {} (attempted merging values {} and {})",
                                    k.java_to_string(),
                                    old.java_to_string(),
                                    val.java_to_string()
                                ),
                            ));
                        }
                        let nv = h.invoke(merge, &[old, val])?;
                        if nv.is_null() {
                            out.remove(&k);
                        } else {
                            out.insert(k, nv);
                        }
                    }
                    None => {
                        out.insert(k, val);
                    }
                }
            }
            Value::map_from(out)
        }
        CKind::Summing(elem, f) => {
            let mut mapped = Vec::with_capacity(items.len());
            for v in items {
                mapped.push(elem.coerce(h.invoke(f, &[v])?)?);
            }
            sum(*elem, &mapped)?
        }
        CKind::Averaging(elem, f) => {
            let mut total = 0.0;
            let n = items.len();
            for v in items {
                total += double_of(&elem.coerce(h.invoke(f, &[v])?)?)?;
            }
            Value::Double(if n == 0 { 0.0 } else { total / n as f64 })
        }
        CKind::Mapping(f, down) => {
            let mut mapped = Vec::with_capacity(items.len());
            for v in items {
                mapped.push(h.invoke(f, &[v])?);
            }
            run_collector(down, mapped, h)?
        }
        CKind::MinBy(cmp) | CKind::MaxBy(cmp) => {
            let want = if matches!(c.kind, CKind::MaxBy(_)) {
                Ordering::Greater
            } else {
                Ordering::Less
            };
            let mut best: Option<Value> = None;
            for v in items {
                best = Some(match best {
                    None => v,
                    Some(b) => {
                        if super::functional::compare(cmp, &v, &b, h)? == want {
                            v
                        } else {
                            b
                        }
                    }
                });
            }
            Optional::value_of("java.util.Optional", best)
        }
        CKind::Reducing(identity, op) => {
            let mut acc = identity.clone();
            for v in items {
                acc = Some(match acc {
                    None => v,
                    Some(a) => h.invoke(op, &[a, v])?,
                });
            }
            match identity {
                Some(_) => acc.unwrap_or(Value::Null),
                None => Optional::value_of("java.util.Optional", acc),
            }
        }
        CKind::CollectingAndThen(down, f) => {
            let r = run_collector(down, items, h)?;
            h.invoke(f, &[r])?
        }
        CKind::ToCollection(supplier) => {
            let target = h.invoke(supplier, &[])?;
            for v in items {
                match &target {
                    Value::List(l) => l.borrow_mut().items.push(v),
                    Value::Set(s) => {
                        s.borrow_mut().insert(v);
                    }
                    other => return Err(cce(other, "java.util.Collection")),
                }
            }
            target
        }
    })
}

fn register_collectors(r: &mut Registry) {
    const C: &str = "java.util.stream.Collectors";
    r.add(C, "toList", 0, |_, _, _| collector(CKind::ToList));
    r.add(C, "toSet", 0, |_, _, _| collector(CKind::ToSet));
    r.add(C, "joining", 0, |_, _, _| {
        collector(CKind::Joining(String::new(), String::new(), String::new()))
    });
    r.add(C, "joining", 1, |_, a, _| {
        collector(CKind::Joining(
            chars_arg(a, 0)?,
            String::new(),
            String::new(),
        ))
    });
    r.add(C, "joining", 3, |_, a, _| {
        collector(CKind::Joining(
            chars_arg(a, 0)?,
            chars_arg(a, 1)?,
            chars_arg(a, 2)?,
        ))
    });
    r.add(C, "counting", 0, |_, _, _| collector(CKind::Counting));
    r.add(C, "groupingBy", 1, |_, a, _| {
        collector(CKind::GroupingBy(arg(a, 0).clone(), None))
    });
    r.add(C, "groupingBy", 2, |_, a, _| {
        collector(CKind::GroupingBy(
            arg(a, 0).clone(),
            Some(collector_arg(arg(a, 1))?),
        ))
    });
    r.add(C, "partitioningBy", 1, |_, a, _| {
        collector(CKind::PartitioningBy(arg(a, 0).clone(), None))
    });
    r.add(C, "partitioningBy", 2, |_, a, _| {
        collector(CKind::PartitioningBy(
            arg(a, 0).clone(),
            Some(collector_arg(arg(a, 1))?),
        ))
    });
    r.add(C, "toMap", 2, |_, a, _| {
        collector(CKind::ToMap(
            arg(a, 0).clone(),
            arg(a, 1).clone(),
            Value::Null,
        ))
    });
    r.add(C, "toMap", 3, |_, a, _| {
        collector(CKind::ToMap(
            arg(a, 0).clone(),
            arg(a, 1).clone(),
            arg(a, 2).clone(),
        ))
    });
    r.add(C, "summingInt", 1, |_, a, _| {
        collector(CKind::Summing(Elem::Int, arg(a, 0).clone()))
    });
    r.add(C, "summingLong", 1, |_, a, _| {
        collector(CKind::Summing(Elem::Long, arg(a, 0).clone()))
    });
    r.add(C, "summingDouble", 1, |_, a, _| {
        collector(CKind::Summing(Elem::Double, arg(a, 0).clone()))
    });
    r.add(C, "averagingInt", 1, |_, a, _| {
        collector(CKind::Averaging(Elem::Int, arg(a, 0).clone()))
    });
    r.add(C, "averagingLong", 1, |_, a, _| {
        collector(CKind::Averaging(Elem::Long, arg(a, 0).clone()))
    });
    r.add(C, "averagingDouble", 1, |_, a, _| {
        collector(CKind::Averaging(Elem::Double, arg(a, 0).clone()))
    });
    r.add(C, "mapping", 2, |_, a, _| {
        collector(CKind::Mapping(arg(a, 0).clone(), collector_arg(arg(a, 1))?))
    });
    r.add(C, "minBy", 1, |_, a, _| {
        collector(CKind::MinBy(arg(a, 0).clone()))
    });
    r.add(C, "maxBy", 1, |_, a, _| {
        collector(CKind::MaxBy(arg(a, 0).clone()))
    });
    r.add(C, "reducing", 1, |_, a, _| {
        collector(CKind::Reducing(None, arg(a, 0).clone()))
    });
    r.add(C, "reducing", 2, |_, a, _| {
        collector(CKind::Reducing(Some(arg(a, 0).clone()), arg(a, 1).clone()))
    });
    r.add(C, "collectingAndThen", 2, |_, a, _| {
        collector(CKind::CollectingAndThen(
            collector_arg(arg(a, 0))?,
            arg(a, 1).clone(),
        ))
    });
    r.add(C, "toCollection", 1, |_, a, _| {
        collector(CKind::ToCollection(arg(a, 0).clone()))
    });
}

// ---------------------------------------------------------------------------------------------
// {Int,Long,Double}SummaryStatistics

/// `IntSummaryStatistics`, `LongSummaryStatistics`, `DoubleSummaryStatistics` (the double sum
/// with the JDK's Kahan compensation).
pub(crate) struct SummaryStats {
    elem: Elem,
    state: RefCell<StatsState>,
}

#[derive(Clone, Copy)]
struct StatsState {
    count: i64,
    isum: i64,
    dsum: f64,
    comp: f64,
    simple: f64,
    imin: i64,
    imax: i64,
    dmin: f64,
    dmax: f64,
}

impl SummaryStats {
    fn new(elem: Elem) -> SummaryStats {
        let (imin, imax) = match elem {
            Elem::Int => (i64::from(i32::MAX), i64::from(i32::MIN)),
            _ => (i64::MAX, i64::MIN),
        };
        SummaryStats {
            elem,
            state: RefCell::new(StatsState {
                count: 0,
                isum: 0,
                dsum: 0.0,
                comp: 0.0,
                simple: 0.0,
                imin,
                imax,
                dmin: f64::INFINITY,
                dmax: f64::NEG_INFINITY,
            }),
        }
    }

    fn class(&self) -> &'static str {
        match self.elem {
            Elem::Int => "java.util.IntSummaryStatistics",
            Elem::Long => "java.util.LongSummaryStatistics",
            _ => "java.util.DoubleSummaryStatistics",
        }
    }

    pub(crate) fn accept(&self, v: &Value) -> Result<(), Thrown> {
        let mut s = self.state.borrow_mut();
        s.count += 1;
        match self.elem {
            Elem::Int | Elem::Long => {
                let x = long_of(v)?;
                s.isum = s.isum.wrapping_add(x);
                s.imin = s.imin.min(x);
                s.imax = s.imax.max(x);
            }
            _ => {
                let x = double_of(v)?;
                s.simple += x;
                let tmp = x - s.comp;
                let velvel = s.dsum + tmp;
                s.comp = (velvel - s.dsum) - tmp;
                s.dsum = velvel;
                s.dmin = java_min(s.dmin, x);
                s.dmax = java_max(s.dmax, x);
            }
        }
        Ok(())
    }

    fn combine(&self, other: &SummaryStats) {
        let o = *other.state.borrow();
        let mut s = self.state.borrow_mut();
        s.count += o.count;
        s.isum = s.isum.wrapping_add(o.isum);
        s.imin = s.imin.min(o.imin);
        s.imax = s.imax.max(o.imax);
        s.simple += o.simple;
        // sumWithCompensation(other.sum); sumWithCompensation(-other.sumCompensation)
        for x in [o.dsum, -o.comp] {
            let tmp = x - s.comp;
            let velvel = s.dsum + tmp;
            s.comp = (velvel - s.dsum) - tmp;
            s.dsum = velvel;
        }
        s.dmin = java_min(s.dmin, o.dmin);
        s.dmax = java_max(s.dmax, o.dmax);
    }

    fn double_sum(&self) -> f64 {
        let s = self.state.borrow();
        let tmp = s.dsum - s.comp;
        if tmp.is_nan() && s.simple.is_infinite() {
            s.simple
        } else {
            tmp
        }
    }

    fn average(&self) -> f64 {
        let count = self.state.borrow().count;
        if count == 0 {
            return 0.0;
        }
        match self.elem {
            Elem::Int | Elem::Long => self.state.borrow().isum as f64 / count as f64,
            _ => self.double_sum() / count as f64,
        }
    }
}

fn java_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_negative() || b.is_sign_negative() {
            -0.0
        } else {
            0.0
        }
    } else {
        a.min(b)
    }
}

fn java_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_negative() && b.is_sign_negative() {
            -0.0
        } else {
            0.0
        }
    } else {
        a.max(b)
    }
}

/// `String.format("%f", v)`: six decimals, half-up.
fn six(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    format!("{v:.6}")
}

impl JavaObject for SummaryStats {
    fn class_name(&self) -> &str {
        self.class()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        let s = *self.state.borrow();
        let simple = self.class().rsplit('.').next().unwrap_or("");
        match self.elem {
            Elem::Int | Elem::Long => format!(
                "{simple}{{count={}, sum={}, min={}, average={}, max={}}}",
                s.count,
                s.isum,
                s.imin,
                six(self.average()),
                s.imax
            ),
            _ => format!(
                "{simple}{{count={}, sum={}, min={}, average={}, max={}}}",
                s.count,
                six(self.double_sum()),
                six(s.dmin),
                six(self.average()),
                six(s.dmax)
            ),
        }
    }
}

fn stats(t: Option<&Value>) -> Result<&SummaryStats, Thrown> {
    match recv(t)? {
        Value::Object(o) => o.as_any().downcast_ref::<SummaryStats>().ok_or_else(|| {
            cce(
                recv(t).expect("checked"),
                "java.util.DoubleSummaryStatistics",
            )
        }),
        other => Err(cce(other, "java.util.DoubleSummaryStatistics")),
    }
}

pub(crate) fn register_stats(r: &mut Registry) {
    const INT: &str = "java.util.IntSummaryStatistics";
    const LONG: &str = "java.util.LongSummaryStatistics";
    const DOUBLE: &str = "java.util.DoubleSummaryStatistics";
    r.add(INT, "<init>", 0, |_, _, _| {
        Ok(Value::Object(Rc::new(SummaryStats::new(Elem::Int))))
    });
    r.add(LONG, "<init>", 0, |_, _, _| {
        Ok(Value::Object(Rc::new(SummaryStats::new(Elem::Long))))
    });
    r.add(DOUBLE, "<init>", 0, |_, _, _| {
        Ok(Value::Object(Rc::new(SummaryStats::new(Elem::Double))))
    });
    for class in [INT, LONG, DOUBLE] {
        r.add(class, "accept", 1, |t, a, _| {
            stats(t)?.accept(arg(a, 0))?;
            Ok(Value::Null)
        });
        r.add(class, "combine", 1, |t, a, _| {
            let other = stats(Some(arg(a, 0)))?;
            stats(t)?.combine(other);
            Ok(Value::Null)
        });
        r.add(class, "getCount", 0, |t, _, _| {
            Ok(Value::Long(stats(t)?.state.borrow().count))
        });
        r.add(class, "getAverage", 0, |t, _, _| {
            Ok(Value::Double(stats(t)?.average()))
        });
        r.add(class, "getSum", 0, |t, _, _| {
            let s = stats(t)?;
            Ok(match s.elem {
                Elem::Int | Elem::Long => Value::Long(s.state.borrow().isum),
                _ => Value::Double(s.double_sum()),
            })
        });
        r.add(class, "getMin", 0, |t, _, _| {
            let s = stats(t)?;
            let st = *s.state.borrow();
            Ok(match s.elem {
                Elem::Int => Value::Int(st.imin as i32),
                Elem::Long => Value::Long(st.imin),
                _ => Value::Double(st.dmin),
            })
        });
        r.add(class, "getMax", 0, |t, _, _| {
            let s = stats(t)?;
            let st = *s.state.borrow();
            Ok(match s.elem {
                Elem::Int => Value::Int(st.imax as i32),
                Elem::Long => Value::Long(st.imax),
                _ => Value::Double(st.dmax),
            })
        });
    }
    on_all(r, "summaryStatistics", 0, |t, _, h| {
        let (elem, items) = collect_all(t, h)?;
        let s = SummaryStats::new(if elem == Elem::Obj {
            Elem::Double
        } else {
            elem
        });
        for v in &items {
            s.accept(v)?;
        }
        Ok(Value::Object(Rc::new(s)))
    });
}
