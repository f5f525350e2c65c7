//! `java.util.function` and `java.util.Comparator`: calling a function value, and the function
//! objects that the JDK's default and static methods build (`andThen`, `negate`,
//! `Comparator.comparing`, `reversed`, `thenComparing`, `Function.identity()`...).
//!
//! [`invoke`] is how native methods call a function argument: a function object built here is
//! evaluated here, anything else (a lambda, a method reference) goes to the interpreter through
//! [`Host::call`]. The interpreter can use [`invoke`] too when a script calls the abstract method
//! of a functional interface on such an object (`Function.identity().apply(x)`).

use std::any::Any;
use std::cmp::Ordering;
use std::rc::Rc;

use crate::value::{JavaObject, Value};

use super::lang::compare_to;
use super::objects::{token_tag, MapEntry};
use super::util::*;
use super::{Host, Registry, Thrown};

/// A function object built by a JDK default or static method.
pub(crate) struct Composite {
    class: &'static str,
    op: Op,
}

enum Op {
    Identity,
    AndThen(Value, Value),
    Compose(Value, Value),
    Negate(Value),
    And(Value, Value),
    Or(Value, Value),
    IsEqual(Value),
    /// `Comparator.comparing(key)` / `comparing(key, keyComparator)` / `comparingInt`...
    Comparing(Value, Value),
    Reversed(Value),
    ThenComparing(Value, Value),
    NullsFirst(Value),
    NullsLast(Value),
    ByKey(Value),
    ByValue(Value),
    /// `BinaryOperator.minBy(cmp)` / `maxBy(cmp)`.
    MinBy(Value),
    MaxBy(Value),
    /// `Pattern.asPredicate()`: whether the pattern is found in the argument.
    Find(Value),
}

impl JavaObject for Composite {
    fn class_name(&self) -> &str {
        self.class
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        format!(
            "{}$$Lambda@{:x}",
            self.class,
            self as *const Self as usize & 0xffff_ffff
        )
    }
}

fn composite(class: &'static str, op: Op) -> Value {
    Value::Object(Rc::new(Composite { class, op }))
}

const COMPARATOR: &str = "java.util.Comparator";

/// Calls a function value with arguments.
pub fn invoke(f: &Value, args: &[Value], h: &mut dyn Host) -> Result<Value, Thrown> {
    if let Value::Object(o) = f {
        if let Some(c) = o.as_any().downcast_ref::<Composite>() {
            return eval(c, args, h);
        }
        if let Some(stats) = o.as_any().downcast_ref::<super::stream::SummaryStats>() {
            stats.accept(arg(args, 0))?;
            return Ok(Value::Null);
        }
        if let Some(tag) = token_tag(f, COMPARATOR) {
            let (a, b) = (arg(args, 0), arg(args, 1));
            let r = if tag == "reverse" {
                compare_to(b, a)?
            } else {
                compare_to(a, b)?
            };
            return Ok(Value::Int(r));
        }
    }
    if f.is_null() {
        return Err(npe());
    }
    h.call(f, args)
}

fn int_result(o: Ordering) -> Value {
    Value::Int(match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    })
}

/// A comparator's verdict.
pub(crate) fn compare(
    cmp: &Value,
    a: &Value,
    b: &Value,
    h: &mut dyn Host,
) -> Result<Ordering, Thrown> {
    if cmp.is_null() {
        return Ok(compare_to(a, b)?.cmp(&0));
    }
    let r = invoke(cmp, &[a.clone(), b.clone()], h)?;
    Ok(int_of(&r)?.cmp(&0))
}

fn eval(c: &Composite, args: &[Value], h: &mut dyn Host) -> Result<Value, Thrown> {
    let a0 = arg(args, 0);
    match &c.op {
        Op::Identity => Ok(a0.clone()),
        Op::AndThen(f, g) => {
            let r = invoke(f, args, h)?;
            if c.class.ends_with("Consumer") {
                invoke(g, args, h)?;
                Ok(Value::Null)
            } else {
                invoke(g, &[r], h)
            }
        }
        Op::Compose(f, g) => {
            let r = invoke(g, args, h)?;
            invoke(f, &[r], h)
        }
        Op::Negate(p) => Ok(Value::Boolean(!truthy(&invoke(p, args, h)?)?)),
        Op::And(p, q) => Ok(Value::Boolean(
            truthy(&invoke(p, args, h)?)? && truthy(&invoke(q, args, h)?)?,
        )),
        Op::Or(p, q) => Ok(Value::Boolean(
            truthy(&invoke(p, args, h)?)? || truthy(&invoke(q, args, h)?)?,
        )),
        Op::IsEqual(v) => Ok(Value::Boolean(v.java_equals(a0))),
        Op::Comparing(key, key_cmp) => {
            let ka = invoke(key, std::slice::from_ref(a0), h)?;
            let kb = invoke(key, std::slice::from_ref(arg(args, 1)), h)?;
            Ok(int_result(compare(key_cmp, &ka, &kb, h)?))
        }
        Op::Reversed(cmp) => Ok(int_result(compare(cmp, arg(args, 1), a0, h)?)),
        Op::ThenComparing(first, second) => {
            let o = compare(first, a0, arg(args, 1), h)?;
            if o != Ordering::Equal {
                return Ok(int_result(o));
            }
            Ok(int_result(compare(second, a0, arg(args, 1), h)?))
        }
        Op::NullsFirst(cmp) | Op::NullsLast(cmp) => {
            let first = matches!(c.op, Op::NullsFirst(_));
            let (a, b) = (a0, arg(args, 1));
            Ok(int_result(match (a.is_null(), b.is_null()) {
                (true, true) => Ordering::Equal,
                (true, false) => {
                    if first {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    }
                }
                (false, true) => {
                    if first {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    }
                }
                _ if cmp.is_null() => Ordering::Equal,
                _ => compare(cmp, a, b, h)?,
            }))
        }
        Op::ByKey(cmp) | Op::ByValue(cmp) => {
            let by_key = matches!(c.op, Op::ByKey(_));
            let part = |v: &Value| -> Result<Value, Thrown> {
                match v {
                    Value::Object(o) => match o.as_any().downcast_ref::<MapEntry>() {
                        Some(e) => Ok(if by_key {
                            e.key.clone()
                        } else {
                            e.value.borrow().clone()
                        }),
                        None => Err(cce(v, "java.util.Map$Entry")),
                    },
                    other => Err(cce(other, "java.util.Map$Entry")),
                }
            };
            Ok(int_result(compare(
                cmp,
                &part(a0)?,
                &part(arg(args, 1))?,
                h,
            )?))
        }
        Op::Find(pattern) => {
            let text = match a0 {
                Value::String(s) => s.to_string(),
                Value::Null => return Err(npe()),
                other => other.java_to_string(),
            };
            let m = super::regex::JavaMatcher::value(pattern, text, h.regex_limit_factor())?;
            let Value::Object(o) = &m else {
                return Ok(Value::Boolean(false));
            };
            let jm = o
                .as_any()
                .downcast_ref::<super::regex::JavaMatcher>()
                .ok_or_else(npe)?;
            Ok(Value::Boolean(jm.find()?))
        }
        Op::MinBy(cmp) => Ok(if compare(cmp, a0, arg(args, 1), h)? != Ordering::Greater {
            a0.clone()
        } else {
            arg(args, 1).clone()
        }),
        Op::MaxBy(cmp) => Ok(if compare(cmp, a0, arg(args, 1), h)? != Ordering::Less {
            a0.clone()
        } else {
            arg(args, 1).clone()
        }),
    }
}

/// The abstract method of every functional interface: call the receiver.
const ABSTRACT: &[(&str, &str, usize)] = &[
    ("java.util.function.BiConsumer", "accept", 2),
    ("java.util.function.BiFunction", "apply", 2),
    ("java.util.function.BiPredicate", "test", 2),
    ("java.util.function.BooleanSupplier", "getAsBoolean", 0),
    ("java.util.function.Consumer", "accept", 1),
    (
        "java.util.function.DoubleBinaryOperator",
        "applyAsDouble",
        2,
    ),
    ("java.util.function.DoubleConsumer", "accept", 1),
    ("java.util.function.DoubleFunction", "apply", 1),
    ("java.util.function.DoublePredicate", "test", 1),
    ("java.util.function.DoubleSupplier", "getAsDouble", 0),
    ("java.util.function.DoubleToIntFunction", "applyAsInt", 1),
    ("java.util.function.DoubleToLongFunction", "applyAsLong", 1),
    ("java.util.function.DoubleUnaryOperator", "applyAsDouble", 1),
    ("java.util.function.Function", "apply", 1),
    ("java.util.function.IntBinaryOperator", "applyAsInt", 2),
    ("java.util.function.IntConsumer", "accept", 1),
    ("java.util.function.IntFunction", "apply", 1),
    ("java.util.function.IntPredicate", "test", 1),
    ("java.util.function.IntSupplier", "getAsInt", 0),
    ("java.util.function.IntToDoubleFunction", "applyAsDouble", 1),
    ("java.util.function.IntToLongFunction", "applyAsLong", 1),
    ("java.util.function.IntUnaryOperator", "applyAsInt", 1),
    ("java.util.function.LongBinaryOperator", "applyAsLong", 2),
    ("java.util.function.LongConsumer", "accept", 1),
    ("java.util.function.LongFunction", "apply", 1),
    ("java.util.function.LongPredicate", "test", 1),
    ("java.util.function.LongSupplier", "getAsLong", 0),
    (
        "java.util.function.LongToDoubleFunction",
        "applyAsDouble",
        1,
    ),
    ("java.util.function.LongToIntFunction", "applyAsInt", 1),
    ("java.util.function.LongUnaryOperator", "applyAsLong", 1),
    ("java.util.function.ObjDoubleConsumer", "accept", 2),
    ("java.util.function.ObjIntConsumer", "accept", 2),
    ("java.util.function.ObjLongConsumer", "accept", 2),
    ("java.util.function.Predicate", "test", 1),
    ("java.util.function.Supplier", "get", 0),
    ("java.util.function.ToDoubleBiFunction", "applyAsDouble", 2),
    ("java.util.function.ToDoubleFunction", "applyAsDouble", 1),
    ("java.util.function.ToIntBiFunction", "applyAsInt", 2),
    ("java.util.function.ToIntFunction", "applyAsInt", 1),
    ("java.util.function.ToLongBiFunction", "applyAsLong", 2),
    ("java.util.function.ToLongFunction", "applyAsLong", 1),
];

pub(crate) fn register(r: &mut Registry) {
    for (class, name, arity) in ABSTRACT {
        r.add(class, name, *arity, |t, a, h| invoke(recv(t)?, a, h));
    }
    r.add(COMPARATOR, "compare", 2, |t, a, h| {
        Ok(int_result(compare(recv(t)?, arg(a, 0), arg(a, 1), h)?))
    });

    // Default methods
    for class in [
        "java.util.function.Function",
        "java.util.function.BiFunction",
    ] {
        r.add(class, "andThen", 1, |t, a, _| {
            Ok(composite(
                class_name(t),
                Op::AndThen(recv(t)?.clone(), arg(a, 0).clone()),
            ))
        });
    }
    for class in [
        "java.util.function.Consumer",
        "java.util.function.BiConsumer",
        "java.util.function.IntConsumer",
        "java.util.function.LongConsumer",
        "java.util.function.DoubleConsumer",
    ] {
        r.add(class, "andThen", 1, |t, a, _| {
            Ok(composite(
                "java.util.function.Consumer",
                Op::AndThen(recv(t)?.clone(), arg(a, 0).clone()),
            ))
        });
    }
    for class in [
        "java.util.function.DoubleUnaryOperator",
        "java.util.function.IntUnaryOperator",
        "java.util.function.LongUnaryOperator",
    ] {
        r.add(class, "andThen", 1, |t, a, _| {
            Ok(composite(
                "java.util.function.Function",
                Op::AndThen(recv(t)?.clone(), arg(a, 0).clone()),
            ))
        });
    }
    for class in [
        "java.util.function.Function",
        "java.util.function.DoubleUnaryOperator",
        "java.util.function.IntUnaryOperator",
        "java.util.function.LongUnaryOperator",
    ] {
        r.add(class, "compose", 1, |t, a, _| {
            Ok(composite(
                "java.util.function.Function",
                Op::Compose(recv(t)?.clone(), arg(a, 0).clone()),
            ))
        });
        r.add(class, "identity", 0, |_, _, _| {
            Ok(composite("java.util.function.Function", Op::Identity))
        });
    }
    r.add(
        "java.util.function.UnaryOperator",
        "identity",
        0,
        |_, _, _| Ok(composite("java.util.function.UnaryOperator", Op::Identity)),
    );
    for class in [
        "java.util.function.Predicate",
        "java.util.function.BiPredicate",
        "java.util.function.IntPredicate",
        "java.util.function.LongPredicate",
        "java.util.function.DoublePredicate",
    ] {
        r.add(class, "negate", 0, |t, _, _| {
            Ok(composite(
                "java.util.function.Predicate",
                Op::Negate(recv(t)?.clone()),
            ))
        });
        r.add(class, "and", 1, |t, a, _| {
            Ok(composite(
                "java.util.function.Predicate",
                Op::And(recv(t)?.clone(), arg(a, 0).clone()),
            ))
        });
        r.add(class, "or", 1, |t, a, _| {
            Ok(composite(
                "java.util.function.Predicate",
                Op::Or(recv(t)?.clone(), arg(a, 0).clone()),
            ))
        });
    }
    r.add("java.util.regex.Pattern", "asPredicate", 0, |t, _, _| {
        Ok(composite(
            "java.util.function.Predicate",
            Op::Find(recv(t)?.clone()),
        ))
    });
    r.add("java.util.function.Predicate", "isEqual", 1, |_, a, _| {
        Ok(composite(
            "java.util.function.Predicate",
            Op::IsEqual(arg(a, 0).clone()),
        ))
    });
    r.add(
        "java.util.function.BinaryOperator",
        "minBy",
        1,
        |_, a, _| {
            Ok(composite(
                "java.util.function.BinaryOperator",
                Op::MinBy(arg(a, 0).clone()),
            ))
        },
    );
    r.add(
        "java.util.function.BinaryOperator",
        "maxBy",
        1,
        |_, a, _| {
            Ok(composite(
                "java.util.function.BinaryOperator",
                Op::MaxBy(arg(a, 0).clone()),
            ))
        },
    );

    // Comparator
    r.add(COMPARATOR, "comparing", 1, |_, a, _| {
        Ok(composite(
            COMPARATOR,
            Op::Comparing(arg(a, 0).clone(), Value::Null),
        ))
    });
    r.add(COMPARATOR, "comparing", 2, |_, a, _| {
        Ok(composite(
            COMPARATOR,
            Op::Comparing(arg(a, 0).clone(), arg(a, 1).clone()),
        ))
    });
    for name in ["comparingInt", "comparingLong", "comparingDouble"] {
        r.add(COMPARATOR, name, 1, |_, a, _| {
            Ok(composite(
                COMPARATOR,
                Op::Comparing(arg(a, 0).clone(), Value::Null),
            ))
        });
    }
    r.add(COMPARATOR, "reversed", 0, |t, _, _| {
        Ok(composite(COMPARATOR, Op::Reversed(recv(t)?.clone())))
    });
    r.add(COMPARATOR, "thenComparing", 1, |t, a, h| {
        // thenComparing(Comparator) or thenComparing(Function keyExtractor): a comparator takes
        // two arguments. Painless passes lambdas as the interface of the parameter
        // (Comparator here); a key extractor is recognised by being a composite Function.
        let _ = h;
        Ok(composite(
            COMPARATOR,
            Op::ThenComparing(recv(t)?.clone(), arg(a, 0).clone()),
        ))
    });
    r.add(COMPARATOR, "thenComparing", 2, |t, a, _| {
        let second = composite(
            COMPARATOR,
            Op::Comparing(arg(a, 0).clone(), arg(a, 1).clone()),
        );
        Ok(composite(
            COMPARATOR,
            Op::ThenComparing(recv(t)?.clone(), second),
        ))
    });
    for name in [
        "thenComparingInt",
        "thenComparingLong",
        "thenComparingDouble",
    ] {
        r.add(COMPARATOR, name, 1, |t, a, _| {
            let second = composite(COMPARATOR, Op::Comparing(arg(a, 0).clone(), Value::Null));
            Ok(composite(
                COMPARATOR,
                Op::ThenComparing(recv(t)?.clone(), second),
            ))
        });
    }
    r.add(COMPARATOR, "nullsFirst", 1, |_, a, _| {
        Ok(composite(COMPARATOR, Op::NullsFirst(arg(a, 0).clone())))
    });
    r.add(COMPARATOR, "nullsLast", 1, |_, a, _| {
        Ok(composite(COMPARATOR, Op::NullsLast(arg(a, 0).clone())))
    });
    r.add(COMPARATOR, "equals", 1, |t, a, _| {
        Ok(Value::Boolean(recv(t)?.identical(arg(a, 0))))
    });
    r.add("java.util.Map$Entry", "comparingByKey", 0, |_, _, _| {
        Ok(composite(COMPARATOR, Op::ByKey(Value::Null)))
    });
    r.add("java.util.Map$Entry", "comparingByKey", 1, |_, a, _| {
        Ok(composite(COMPARATOR, Op::ByKey(arg(a, 0).clone())))
    });
    r.add("java.util.Map$Entry", "comparingByValue", 0, |_, _, _| {
        Ok(composite(COMPARATOR, Op::ByValue(Value::Null)))
    });
    r.add("java.util.Map$Entry", "comparingByValue", 1, |_, a, _| {
        Ok(composite(COMPARATOR, Op::ByValue(arg(a, 0).clone())))
    });
}

fn class_name(t: Option<&Value>) -> &'static str {
    match t.and_then(Value::class_name) {
        Some(c) if c.contains("BiFunction") => "java.util.function.BiFunction",
        _ => "java.util.function.Function",
    }
}
