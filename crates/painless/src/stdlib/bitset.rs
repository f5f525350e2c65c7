//! `java.util.BitSet`: words of 64 bits, with the JDK's sizes (`size()` is the capacity in bits:
//! 64 for `new BitSet()`, the requested size rounded up to a word otherwise) and messages.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use crate::value::{JArray, JavaObject, Value};

use super::util::*;
use super::{Registry, Thrown};

const BITSET: &str = "java.util.BitSet";

pub(crate) struct BitSet {
    words: RefCell<Vec<u64>>,
}

impl BitSet {
    fn value(words: Vec<u64>) -> Value {
        Value::Object(Rc::new(BitSet {
            words: RefCell::new(words),
        }))
    }

    fn get(&self, i: usize) -> bool {
        self.words
            .borrow()
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    fn put(&self, i: usize, on: bool) {
        let mut w = self.words.borrow_mut();
        if w.len() <= i / 64 {
            if !on {
                return;
            }
            // The JDK grows to max(2 × words, required).
            let need = i / 64 + 1;
            let grow = (2 * w.len()).max(need);
            w.resize(grow, 0);
        }
        if on {
            w[i / 64] |= 1 << (i % 64);
        } else {
            w[i / 64] &= !(1 << (i % 64));
        }
    }

    /// `length()`: the highest set bit plus one.
    fn length(&self) -> usize {
        let w = self.words.borrow();
        for (i, word) in w.iter().enumerate().rev() {
            if *word != 0 {
                return i * 64 + 64 - word.leading_zeros() as usize;
            }
        }
        0
    }
}

impl JavaObject for BitSet {
    fn class_name(&self) -> &str {
        BITSET
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        let set: Vec<String> = (0..self.length())
            .filter(|i| self.get(*i))
            .map(|i| i.to_string())
            .collect();
        format!("{{{}}}", set.join(", "))
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        match other.as_any().downcast_ref::<BitSet>() {
            Some(o) => {
                let n = self.length().max(o.length());
                (0..n).all(|i| self.get(i) == o.get(i))
            }
            None => false,
        }
    }
    fn java_hash_code(&self) -> i32 {
        // BitSet.hashCode: h = 1234 ^ sum(words[i] * (i + 1)), folded.
        let w = self.words.borrow();
        let used = self.length().div_ceil(64);
        let mut h: i64 = 1234;
        for i in (0..used).rev() {
            h ^= (w[i] as i64).wrapping_mul(i as i64 + 1);
        }
        ((h >> 32) ^ h) as i32
    }
}

fn this(t: Option<&Value>) -> Result<&BitSet, Thrown> {
    match recv(t)? {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<BitSet>()
            .ok_or_else(|| cce(recv(t).expect("checked"), BITSET)),
        other => Err(cce(other, BITSET)),
    }
}

fn other(a: &[Value]) -> Result<Vec<u64>, Thrown> {
    match arg(a, 0) {
        Value::Object(o) => match o.as_any().downcast_ref::<BitSet>() {
            Some(b) => Ok(b.words.borrow().clone()),
            None => Err(cce(arg(a, 0), BITSET)),
        },
        Value::Null => Err(npe()),
        v => Err(cce(v, BITSET)),
    }
}

fn index(a: &[Value], i: usize, what: &str) -> Result<usize, Thrown> {
    let v = int_arg(a, i)?;
    if v < 0 {
        return Err(exc("IndexOutOfBoundsException", format!("{what} < 0: {v}")));
    }
    Ok(v as usize)
}

fn range(a: &[Value]) -> Result<(usize, usize), Thrown> {
    let (from, to) = (int_arg(a, 0)?, int_arg(a, 1)?);
    if from < 0 {
        return Err(exc(
            "IndexOutOfBoundsException",
            format!("fromIndex < 0: {from}"),
        ));
    }
    if to < 0 {
        return Err(exc(
            "IndexOutOfBoundsException",
            format!("toIndex < 0: {to}"),
        ));
    }
    if from > to {
        return Err(exc(
            "IndexOutOfBoundsException",
            format!("fromIndex: {from} > toIndex: {to}"),
        ));
    }
    Ok((from as usize, to as usize))
}

pub(crate) fn register(r: &mut Registry) {
    r.add(BITSET, "<init>", 0, |_, _, _| Ok(BitSet::value(vec![0])));
    r.add(BITSET, "<init>", 1, |_, a, _| {
        let n = int_arg(a, 0)?;
        if n < 0 {
            return Err(exc("NegativeArraySizeException", format!("nbits < 0: {n}")));
        }
        Ok(BitSet::value(vec![0; (n as usize).div_ceil(64)]))
    });
    r.add(BITSET, "valueOf", 1, |_, a, _| {
        let words: Vec<u64> = match arg(a, 0) {
            Value::Array(arr) => arr
                .borrow()
                .items
                .iter()
                .map(|v| long_of(v).map(|l| l as u64))
                .collect::<Result<_, _>>()?,
            Value::Null => return Err(npe()),
            v => return Err(cce(v, "long[]")),
        };
        let mut words = words;
        while words.last() == Some(&0) {
            words.pop();
        }
        Ok(BitSet::value(words))
    });
    r.add(BITSET, "set", 1, |t, a, _| {
        this(t)?.put(index(a, 0, "bitIndex")?, true);
        Ok(Value::Null)
    });
    r.add(BITSET, "set", 2, |t, a, _| {
        let (f, to) = range(a)?;
        let b = this(t)?;
        for i in f..to {
            b.put(i, true);
        }
        Ok(Value::Null)
    });
    r.add(BITSET, "set", 3, |t, a, _| {
        let (f, to) = range(a)?;
        let on = bool_arg(a, 2)?;
        let b = this(t)?;
        for i in f..to {
            b.put(i, on);
        }
        Ok(Value::Null)
    });
    r.add(BITSET, "clear", 0, |t, _, _| {
        this(t)?.words.borrow_mut().iter_mut().for_each(|w| *w = 0);
        Ok(Value::Null)
    });
    r.add(BITSET, "clear", 1, |t, a, _| {
        this(t)?.put(index(a, 0, "bitIndex")?, false);
        Ok(Value::Null)
    });
    r.add(BITSET, "clear", 2, |t, a, _| {
        let (f, to) = range(a)?;
        let b = this(t)?;
        for i in f..to {
            b.put(i, false);
        }
        Ok(Value::Null)
    });
    r.add(BITSET, "flip", 1, |t, a, _| {
        let i = index(a, 0, "bitIndex")?;
        let b = this(t)?;
        let cur = b.get(i);
        b.put(i, !cur);
        Ok(Value::Null)
    });
    r.add(BITSET, "flip", 2, |t, a, _| {
        let (f, to) = range(a)?;
        let b = this(t)?;
        for i in f..to {
            let cur = b.get(i);
            b.put(i, !cur);
        }
        Ok(Value::Null)
    });
    for name in ["and", "andNot", "or", "xor"] {
        let f: super::NativeFn = match name {
            "and" => |t, a, _| combine(t, a, |x, y| x & y),
            "andNot" => |t, a, _| combine(t, a, |x, y| x & !y),
            "or" => |t, a, _| combine(t, a, |x, y| x | y),
            _ => |t, a, _| combine(t, a, |x, y| x ^ y),
        };
        r.add(BITSET, name, 1, f);
    }
    r.add(BITSET, "intersects", 1, |t, a, _| {
        let o = other(a)?;
        let w = this(t)?.words.borrow();
        Ok(Value::Boolean(w.iter().zip(&o).any(|(x, y)| x & y != 0)))
    });
    r.add(BITSET, "cardinality", 0, |t, _, _| {
        Ok(Value::Int(
            this(t)?
                .words
                .borrow()
                .iter()
                .map(|w| w.count_ones() as i32)
                .sum(),
        ))
    });
    r.add(BITSET, "isEmpty", 0, |t, _, _| {
        Ok(Value::Boolean(this(t)?.length() == 0))
    });
    r.add(BITSET, "length", 0, |t, _, _| {
        Ok(Value::Int(this(t)?.length() as i32))
    });
    r.add(BITSET, "size", 0, |t, _, _| {
        Ok(Value::Int((this(t)?.words.borrow().len() * 64) as i32))
    });
    r.add(BITSET, "nextSetBit", 1, |t, a, _| {
        let from = index(a, 0, "fromIndex")?;
        let b = this(t)?;
        Ok(Value::Int(
            (from..b.length())
                .find(|i| b.get(*i))
                .map_or(-1, |i| i as i32),
        ))
    });
    r.add(BITSET, "nextClearBit", 1, |t, a, _| {
        let from = index(a, 0, "fromIndex")?;
        let b = this(t)?;
        Ok(Value::Int(
            (from..).find(|i| !b.get(*i)).map_or(-1, |i| i as i32),
        ))
    });
    r.add(BITSET, "previousSetBit", 1, |t, a, _| {
        let from = int_arg(a, 0)?;
        if from < -1 {
            return Err(exc(
                "IndexOutOfBoundsException",
                format!("fromIndex < -1: {from}"),
            ));
        }
        let b = this(t)?;
        Ok(Value::Int(
            (0..=from.max(-1))
                .rev()
                .find(|i| *i >= 0 && b.get(*i as usize))
                .unwrap_or(-1),
        ))
    });
    r.add(BITSET, "previousClearBit", 1, |t, a, _| {
        let from = int_arg(a, 0)?;
        if from < -1 {
            return Err(exc(
                "IndexOutOfBoundsException",
                format!("fromIndex < -1: {from}"),
            ));
        }
        let b = this(t)?;
        Ok(Value::Int(
            (0..=from.max(-1))
                .rev()
                .find(|i| *i >= 0 && !b.get(*i as usize))
                .unwrap_or(-1),
        ))
    });
    r.add(BITSET, "clone", 0, |t, _, _| {
        Ok(BitSet::value(this(t)?.words.borrow().clone()))
    });
    r.add(BITSET, "toLongArray", 0, |t, _, _| {
        let b = this(t)?;
        let used = b.length().div_ceil(64);
        let items = b.words.borrow()[..used]
            .iter()
            .map(|w| Value::Long(*w as i64))
            .collect();
        Ok(Value::Array(Rc::new(RefCell::new(JArray::new(
            "long".into(),
            items,
        )))))
    });
    r.add(BITSET, "toByteArray", 0, |t, _, _| {
        let b = this(t)?;
        let n = b.length().div_ceil(8);
        let w = b.words.borrow();
        let items = (0..n)
            .map(|i| Value::Byte((w[i / 8] >> ((i % 8) * 8)) as u8 as i8))
            .collect();
        Ok(Value::Array(Rc::new(RefCell::new(JArray::new(
            "byte".into(),
            items,
        )))))
    });
}

fn combine(t: Option<&Value>, a: &[Value], f: fn(u64, u64) -> u64) -> Result<Value, Thrown> {
    let o = other(a)?;
    let b = this(t)?;
    let mut w = b.words.borrow_mut();
    if w.len() < o.len() {
        w.resize(o.len(), 0);
    }
    for i in 0..w.len() {
        w[i] = f(w[i], o.get(i).copied().unwrap_or(0));
    }
    Ok(Value::Null)
}
