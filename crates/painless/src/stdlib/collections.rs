//! `java.util` collections: `Iterable`, `Collection`, `List`, `Set`, `Map`, `Map.Entry`,
//! `Iterator`, the implementation classes' constructors, `Collections`, `Arrays`, `Objects`,
//! `Optional`, `StringJoiner`, `Base64`. Messages as the JDK 21 implementations throw them
//! (`ArrayList`: `Objects.checkIndex`, `Index 5 out of bounds for length 2`).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

use base64::Engine;

use crate::value::{JList, JMap, JSet, ListKind, MapKind, SetKind, Value};

use super::objects::{token_tag, Iter, MapEntry, MapView, Optional, StringJoiner, Token, ViewKind};
use super::util::*;
use super::{Host, HostExt, Registry, Thrown};

const ITERABLE: &str = "java.lang.Iterable";
const COLLECTION: &str = "java.util.Collection";
const LIST: &str = "java.util.List";
const SET: &str = "java.util.Set";
const MAP: &str = "java.util.Map";
const ENTRY: &str = "java.util.Map$Entry";
const ITERATOR: &str = "java.util.Iterator";
const COMPARATOR: &str = "java.util.Comparator";

pub(crate) fn register(r: &mut Registry) {
    register_iterable(r);
    register_collection(r);
    register_list(r);
    register_set(r);
    register_map(r);
    register_constructors(r);
    register_utilities(r);
    register_navigable(r);
    register_deque(r);
    register_more_utilities(r);
}

// ---------------------------------------------------------------------------------------------
// Checks

fn check_list_mutable(l: &JList) -> Result<(), Thrown> {
    if l.is_mutable() {
        Ok(())
    } else {
        Err(immutable(l.frozen))
    }
}

fn check_map_mutable(m: &JMap) -> Result<(), Thrown> {
    if m.is_mutable() {
        Ok(())
    } else {
        Err(immutable(m.frozen))
    }
}

/// For the `Map` default methods: an unmodifiable JDK map refuses the call, a read-only
/// ingest-condition view only an actual change (`writes`).
fn check_map_default(m: &JMap, writes: bool) -> Result<(), Thrown> {
    if m.kind() == MapKind::Unmodifiable || (writes && m.frozen) {
        return Err(immutable(m.frozen));
    }
    Ok(())
}

fn check_set_mutable(s: &JSet) -> Result<(), Thrown> {
    if s.is_mutable() {
        Ok(())
    } else {
        Err(immutable(s.frozen))
    }
}

/// `Objects.checkIndex`: `Index 5 out of bounds for length 2`.
fn check_index(i: i32, len: usize, kind: ListKind) -> Result<usize, Thrown> {
    if i < 0 || i as usize >= len {
        let msg = if kind == ListKind::LinkedList {
            format!("Index: {i}, Size: {len}")
        } else {
            format!("Index {i} out of bounds for length {len}")
        };
        return Err(exc("IndexOutOfBoundsException", msg));
    }
    Ok(i as usize)
}

/// `ArrayList.rangeCheckForAdd`: `Index: 5, Size: 2`.
fn check_position(i: i32, len: usize) -> Result<usize, Thrown> {
    if i < 0 || i as usize > len {
        return Err(exc(
            "IndexOutOfBoundsException",
            format!("Index: {i}, Size: {len}"),
        ));
    }
    Ok(i as usize)
}

// ---------------------------------------------------------------------------------------------
// Iterable

fn register_iterable(r: &mut Registry) {
    r.add(ITERABLE, "forEach", 1, |t, a, h| {
        for item in iter_items(recv(t)?)? {
            h.tick()?;
            h.invoke(arg(a, 0), &[item])?;
        }
        Ok(Value::Null)
    });
    r.add(ITERABLE, "iterator", 0, |t, _, _| {
        let v = recv(t)?;
        Ok(Iter::fail_fast(
            "java.util.ArrayList$Itr",
            iter_items(v)?,
            v.clone(),
        ))
    });
    r.add(ITERATOR, "hasNext", 0, |t, _, _| {
        Ok(Value::Boolean(iter(t)?.has_next()))
    });
    r.add(ITERATOR, "next", 0, |t, _, _| {
        let it = iter(t)?;
        if it.modified() {
            return Err(exc_bare("ConcurrentModificationException"));
        }
        it.next_item()
            .ok_or_else(|| exc_bare("NoSuchElementException"))
    });
    r.add(ITERATOR, "remove", 0, |t, _, _| match iter(t)?.remove() {
        Ok(()) => Ok(Value::Null),
        Err(Some(true)) => Err(exc_bare("IllegalStateException")),
        Err(Some(false)) => Err(immutable(false)),
        Err(None) => Err(exc("UnsupportedOperationException", "remove")),
    });
    r.add(ITERATOR, "forEachRemaining", 1, |t, a, h| {
        let it = iter(t)?;
        while let Some(v) = it.next_item() {
            h.tick()?;
            h.invoke(arg(a, 0), &[v])?;
        }
        Ok(Value::Null)
    });
}

fn iter(t: Option<&Value>) -> Result<&Iter, Thrown> {
    match recv(t)? {
        Value::Object(o) => o.as_any().downcast_ref::<Iter>().ok_or_else(|| {
            exc(
                "ClassCastException",
                format!("Cannot cast {} to java.util.Iterator", o.class_name()),
            )
        }),
        other => Err(cce(other, ITERATOR)),
    }
}

// ---------------------------------------------------------------------------------------------
// Collection

fn register_collection(r: &mut Registry) {
    r.add(COLLECTION, "size", 0, |t, _, _| {
        Ok(Value::Int(coll_len(recv(t)?)? as i32))
    });
    r.add(COLLECTION, "isEmpty", 0, |t, _, _| {
        Ok(Value::Boolean(coll_len(recv(t)?)? == 0))
    });
    r.add(COLLECTION, "contains", 1, |t, a, _| {
        let x = arg(a, 0);
        Ok(Value::Boolean(match recv(t)? {
            Value::Set(s) => s.borrow().contains(x),
            other => match view_of(other) {
                Some(view) => view.contains(x),
                None => iter_items(other)?.iter().any(|v| v.java_equals(x)),
            },
        }))
    });
    r.add(COLLECTION, "containsAll", 1, |t, a, _| {
        let this = recv(t)?;
        let items = iter_items(this)?;
        let all = iter_items(arg(a, 0))?.iter().all(|x| match this {
            Value::Set(s) => s.borrow().contains(x),
            _ => items.iter().any(|v| v.java_equals(x)),
        });
        Ok(Value::Boolean(all))
    });
    r.add(COLLECTION, "add", 1, |t, a, _| {
        coll_add(recv(t)?, arg(a, 0).clone())
    });
    r.add(COLLECTION, "addAll", 1, |t, a, _| {
        let this = recv(t)?;
        if view_of(this).is_some() {
            return Err(exc_bare("UnsupportedOperationException"));
        }
        let items = iter_items(arg(a, 0))?;
        let mut changed = false;
        match this {
            Value::List(l) => {
                let mut l = l.borrow_mut();
                check_list_mutable(&l)?;
                changed = !items.is_empty();
                l.items.extend(items);
            }
            Value::Set(s) => {
                let mut s = s.borrow_mut();
                check_set_mutable(&s)?;
                for v in items {
                    changed |= s.insert(v);
                }
            }
            other => return Err(cce(other, COLLECTION)),
        }
        Ok(Value::Boolean(changed))
    });
    r.add(COLLECTION, "clear", 0, |t, _, _| {
        if let Some(view) = view_of(recv(t)?) {
            check_view_mutable(view)?;
            view.map.borrow_mut().clear();
            return Ok(Value::Null);
        }
        match recv(t)? {
            Value::List(l) => {
                let mut l = l.borrow_mut();
                check_list_mutable(&l)?;
                l.items.clear();
            }
            Value::Set(s) => {
                let mut s = s.borrow_mut();
                check_set_mutable(&s)?;
                s.clear();
            }
            other => return Err(cce(other, COLLECTION)),
        }
        Ok(Value::Null)
    });
    r.add(COLLECTION, "removeIf", 1, |t, a, h| {
        let this = recv(t)?;
        if let Some(view) = view_of(this) {
            check_view_mutable(view)?;
            let mut keys = Vec::new();
            for v in view.items() {
                h.tick()?;
                if truthy(&h.invoke(arg(a, 0), std::slice::from_ref(&v))?)? {
                    keys.extend(view.key_of(&v));
                }
            }
            return Ok(Value::Boolean(remove_keys(view, &keys)));
        }
        check_coll_mutable(this)?;
        let items = iter_items(this)?;
        let mut remove = Vec::with_capacity(items.len());
        for v in &items {
            h.tick()?;
            remove.push(truthy(&h.invoke(arg(a, 0), std::slice::from_ref(v))?)?);
        }
        let any = remove.iter().any(|b| *b);
        if !any {
            return Ok(Value::Boolean(false));
        }
        match this {
            Value::List(l) => {
                let mut l = l.borrow_mut();
                check_list_mutable(&l)?;
                let mut i = 0;
                l.items.retain(|_| {
                    let keep = !remove.get(i).copied().unwrap_or(false);
                    i += 1;
                    keep
                });
            }
            Value::Set(s) => {
                let mut s = s.borrow_mut();
                check_set_mutable(&s)?;
                for (v, r) in items.iter().zip(&remove) {
                    if *r {
                        s.remove(v);
                    }
                }
            }
            other => return Err(cce(other, COLLECTION)),
        }
        Ok(Value::Boolean(true))
    });
    r.add(COLLECTION, "removeAll", 1, |t, a, _| {
        retain(recv(t)?, &iter_items(arg(a, 0))?, false)
    });
    r.add(COLLECTION, "retainAll", 1, |t, a, _| {
        retain(recv(t)?, &iter_items(arg(a, 0))?, true)
    });
    r.add(COLLECTION, "toArray", 0, |t, _, _| {
        let items = iter_items(recv(t)?)?;
        Ok(Value::Array(Rc::new(RefCell::new(
            crate::value::JArray::new("def".into(), items),
        ))))
    });
    r.add(COLLECTION, "stream", 0, |_, _, _| {
        Err(unsupported("java.util.stream (Collection.stream())"))
    });
}

fn coll_len(v: &Value) -> Result<usize, Thrown> {
    if let Some(view) = view_of(v) {
        return Ok(view.map.borrow().len());
    }
    Ok(match v {
        Value::List(l) => l.borrow().items.len(),
        Value::Set(s) => s.borrow().len(),
        Value::Map(m) => m.borrow().len(),
        other => iter_items(other)?.len(),
    })
}

fn coll_add(this: &Value, v: Value) -> Result<Value, Thrown> {
    if view_of(this).is_some() {
        return Err(exc_bare("UnsupportedOperationException"));
    }
    match this {
        Value::List(l) => {
            let mut l = l.borrow_mut();
            check_list_mutable(&l)?;
            l.items.push(v);
            Ok(Value::Boolean(true))
        }
        Value::Set(s) => {
            let mut s = s.borrow_mut();
            check_set_mutable(&s)?;
            Ok(Value::Boolean(s.insert(v)))
        }
        other => Err(cce(other, COLLECTION)),
    }
}

/// Removes map keys through a view; whether anything was removed.
fn remove_keys(view: &MapView, keys: &[Value]) -> bool {
    let mut m = view.map.borrow_mut();
    let mut any = false;
    for k in keys {
        any |= m.remove(k).is_some();
    }
    any
}

/// Unmodifiable and read-only collections refuse every change, even one that would change
/// nothing (`Collections.unmodifiableCollection`, `ImmutableCollections`, the ingest-condition
/// wrappers).
fn check_coll_mutable(this: &Value) -> Result<(), Thrown> {
    match this {
        Value::List(l) => check_list_mutable(&l.borrow()),
        Value::Set(s) => check_set_mutable(&s.borrow()),
        Value::Map(m) => check_map_mutable(&m.borrow()),
        _ => Ok(()),
    }
}

fn retain(this: &Value, other: &[Value], keep_if_present: bool) -> Result<Value, Thrown> {
    if let Some(view) = view_of(this) {
        check_view_mutable(view)?;
        let keys: Vec<Value> = view
            .items()
            .iter()
            .filter(|v| other.iter().any(|o| o.java_equals(v)) != keep_if_present)
            .filter_map(|v| view.key_of(v))
            .collect();
        return Ok(Value::Boolean(remove_keys(view, &keys)));
    }
    check_coll_mutable(this)?;
    let contains = |v: &Value| other.iter().any(|o| o.java_equals(v));
    match this {
        Value::List(l) => {
            let mut l = l.borrow_mut();
            let before = l.items.len();
            let changed = l.items.iter().any(|v| contains(v) != keep_if_present);
            if changed {
                check_list_mutable(&l)?;
            }
            l.items.retain(|v| contains(v) == keep_if_present);
            Ok(Value::Boolean(l.items.len() != before))
        }
        Value::Set(s) => {
            let items: Vec<Value> = s.borrow().iter().collect();
            let drop: Vec<Value> = items
                .into_iter()
                .filter(|v| contains(v) != keep_if_present)
                .collect();
            if drop.is_empty() {
                return Ok(Value::Boolean(false));
            }
            let mut s = s.borrow_mut();
            check_set_mutable(&s)?;
            for v in &drop {
                s.remove(v);
            }
            Ok(Value::Boolean(true))
        }
        other => Err(cce(other, COLLECTION)),
    }
}

// ---------------------------------------------------------------------------------------------
// List

fn this_list(t: Option<&Value>) -> Result<&crate::value::ListRef, Thrown> {
    list_of(recv(t)?)
}

fn register_list(r: &mut Registry) {
    r.add(LIST, "get", 1, |t, a, _| {
        let l = this_list(t)?.borrow();
        let i = check_index(int_arg(a, 0)?, l.items.len(), l.kind)?;
        Ok(l.items[i].clone())
    });
    r.add(LIST, "set", 2, |t, a, _| {
        let mut l = this_list(t)?.borrow_mut();
        check_list_mutable(&l)?;
        let i = check_index(int_arg(a, 0)?, l.items.len(), l.kind)?;
        Ok(std::mem::replace(&mut l.items[i], arg(a, 1).clone()))
    });
    r.add(LIST, "add", 2, |t, a, _| {
        let mut l = this_list(t)?.borrow_mut();
        check_list_mutable(&l)?;
        let i = check_position(int_arg(a, 0)?, l.items.len())?;
        l.items.insert(i, arg(a, 1).clone());
        Ok(Value::Null)
    });
    r.add(LIST, "addAll", 2, |t, a, _| {
        let items = iter_items(arg(a, 1))?;
        let mut l = this_list(t)?.borrow_mut();
        check_list_mutable(&l)?;
        let i = check_position(int_arg(a, 0)?, l.items.len())?;
        let changed = !items.is_empty();
        let tail = l.items.split_off(i);
        l.items.extend(items);
        l.items.extend(tail);
        Ok(Value::Boolean(changed))
    });
    r.add(LIST, "remove", 1, |t, a, _| {
        let mut l = this_list(t)?.borrow_mut();
        check_list_mutable(&l)?;
        let i = check_index(int_arg(a, 0)?, l.items.len(), l.kind)?;
        Ok(l.items.remove(i))
    });
    r.add(LIST, "indexOf", 1, |t, a, _| {
        let l = this_list(t)?.borrow();
        Ok(Value::Int(
            l.items
                .iter()
                .position(|v| v.java_equals(arg(a, 0)))
                .map_or(-1, |i| i as i32),
        ))
    });
    r.add(LIST, "lastIndexOf", 1, |t, a, _| {
        let l = this_list(t)?.borrow();
        Ok(Value::Int(
            l.items
                .iter()
                .rposition(|v| v.java_equals(arg(a, 0)))
                .map_or(-1, |i| i as i32),
        ))
    });
    r.add(LIST, "equals", 1, |t, a, _| {
        Ok(Value::Boolean(recv(t)?.java_equals(arg(a, 0))))
    });
    r.add(LIST, "hashCode", 0, |t, _, _| {
        Ok(Value::Int(recv(t)?.java_hash_code()))
    });
    r.add(LIST, "subList", 2, |t, a, _| {
        let l = this_list(t)?.borrow();
        let (from, to) = (int_arg(a, 0)?, int_arg(a, 1)?);
        if from < 0 {
            return Err(exc(
                "IndexOutOfBoundsException",
                format!("fromIndex = {from}"),
            ));
        }
        if to as i64 > l.items.len() as i64 {
            return Err(exc("IndexOutOfBoundsException", format!("toIndex = {to}")));
        }
        if from > to {
            return Err(exc(
                "IllegalArgumentException",
                format!("fromIndex({from}) > toIndex({to})"),
            ));
        }
        // A copy, not a view: changes to it do not reach the list (documented limitation).
        Ok(new_list(l.items[from as usize..to as usize].to_vec()))
    });
    r.add(LIST, "replaceAll", 1, |t, a, h| {
        let items = this_list(t)?.borrow().items.clone();
        let mut out = Vec::with_capacity(items.len());
        for v in items {
            h.tick()?;
            out.push(h.invoke(arg(a, 0), &[v])?);
        }
        let mut l = this_list(t)?.borrow_mut();
        check_list_mutable(&l)?;
        l.items = out;
        Ok(Value::Null)
    });
    r.add(LIST, "sort", 1, |t, a, h| {
        let items = this_list(t)?.borrow().items.clone();
        let sorted = sort_values(items, arg(a, 0), h)?;
        let mut l = this_list(t)?.borrow_mut();
        check_list_mutable(&l)?;
        l.items = sorted;
        Ok(Value::Null)
    });
    r.add(LIST, "listIterator", 0, |t, _, _| {
        let v = recv(t)?;
        Ok(Iter::value(
            "java.util.ArrayList$Itr",
            iter_items(v)?,
            Some(v.clone()),
        ))
    });
    // ArrayList.trimToSize / clone
    r.add("java.util.ArrayList", "trimToSize", 0, |_, _, _| {
        Ok(Value::Null)
    });
    for c in [
        "java.util.ArrayList",
        "java.util.LinkedList",
        "java.util.HashMap",
        "java.util.TreeMap",
        "java.util.HashSet",
        "java.util.TreeSet",
    ] {
        r.add(c, "clone", 0, |t, _, _| Ok(shallow_copy(recv(t)?)));
    }
}

fn shallow_copy(v: &Value) -> Value {
    match v {
        Value::List(l) => {
            let l = l.borrow();
            new_list_kind(l.kind, l.items.clone())
        }
        Value::Map(m) => {
            let m = m.borrow();
            Value::map_from(JMap::copy_of(m.kind(), &m))
        }
        Value::Set(s) => {
            let s = s.borrow();
            new_set(s.kind, s.iter())
        }
        other => other.clone(),
    }
}

/// A comparison by a `Comparator` value: `null` is natural order, `Comparator.naturalOrder()`
/// and `reverseOrder()` are tokens, anything else a function the interpreter calls.
pub(crate) fn compare_with(
    cmp: &Value,
    a: &Value,
    b: &Value,
    h: &mut dyn Host,
) -> Result<Ordering, Thrown> {
    super::functional::compare(cmp, a, b, h)
}

/// A stable merge sort with a fallible comparator (Java's `List.sort` is a stable TimSort:
/// same result for a consistent comparator).
pub(crate) fn sort_values(
    items: Vec<Value>,
    cmp: &Value,
    h: &mut dyn Host,
) -> Result<Vec<Value>, Thrown> {
    if items.len() < 2 {
        return Ok(items);
    }
    let mid = items.len() / 2;
    let mut left = items;
    let right = left.split_off(mid);
    let left = sort_values(left, cmp, h)?;
    let right = sort_values(right, cmp, h)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        h.tick()?;
        if compare_with(cmp, &right[j], &left[i], h)? == Ordering::Less {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Set

fn register_set(r: &mut Registry) {
    r.add(SET, "remove", 1, |t, a, _| {
        if let Some(view) = view_of(recv(t)?) {
            check_view_mutable(view)?;
            if !view.contains(arg(a, 0)) {
                return Ok(Value::Boolean(false));
            }
            let keys: Vec<Value> = view.key_of(arg(a, 0)).into_iter().collect();
            return Ok(Value::Boolean(remove_keys(view, &keys)));
        }
        let mut s = set_of(recv(t)?)?.borrow_mut();
        check_set_mutable(&s)?;
        Ok(Value::Boolean(s.remove(arg(a, 0))))
    });
    r.add(SET, "equals", 1, |t, a, _| {
        let (x, y) = (recv(t)?, arg(a, 0));
        if view_of(x).is_some() || view_of(y).is_some() {
            // A view equals any set with the same elements.
            let is_set = |v: &Value| {
                matches!(v, Value::Set(_)) || view_of(v).is_some_and(|w| w.kind != ViewKind::Values)
            };
            if !is_set(x) || !is_set(y) {
                return Ok(Value::Boolean(false));
            }
            let (a, b) = (iter_items(x)?, iter_items(y)?);
            return Ok(Value::Boolean(
                a.len() == b.len() && a.iter().all(|v| b.iter().any(|w| w.java_equals(v))),
            ));
        }
        Ok(Value::Boolean(x.java_equals(y)))
    });
    r.add(SET, "hashCode", 0, |t, _, _| {
        Ok(Value::Int(recv(t)?.java_hash_code()))
    });
}

// ---------------------------------------------------------------------------------------------
// Map

fn this_map(t: Option<&Value>) -> Result<&crate::value::MapRef, Thrown> {
    map_of(recv(t)?)
}

fn register_map(r: &mut Registry) {
    r.add(MAP, "get", 1, |t, a, _| {
        Ok(this_map(t)?
            .borrow()
            .get(arg(a, 0))
            .cloned()
            .unwrap_or(Value::Null))
    });
    r.add(MAP, "getOrDefault", 2, |t, a, _| {
        Ok(this_map(t)?
            .borrow()
            .get(arg(a, 0))
            .cloned()
            .unwrap_or_else(|| arg(a, 1).clone()))
    });
    r.add(MAP, "containsKey", 1, |t, a, _| {
        Ok(Value::Boolean(
            this_map(t)?.borrow().contains_key(arg(a, 0)),
        ))
    });
    r.add(MAP, "containsValue", 1, |t, a, _| {
        Ok(Value::Boolean(
            this_map(t)?
                .borrow()
                .values()
                .iter()
                .any(|v| v.java_equals(arg(a, 0))),
        ))
    });
    r.add(MAP, "size", 0, |t, _, _| {
        Ok(Value::Int(this_map(t)?.borrow().len() as i32))
    });
    r.add(MAP, "isEmpty", 0, |t, _, _| {
        Ok(Value::Boolean(this_map(t)?.borrow().is_empty()))
    });
    r.add(MAP, "put", 2, |t, a, _| {
        let mut m = this_map(t)?.borrow_mut();
        check_map_mutable(&m)?;
        check_tree_key(&m, arg(a, 0))?;
        Ok(m.insert(arg(a, 0).clone(), arg(a, 1).clone())
            .unwrap_or(Value::Null))
    });
    r.add(MAP, "putAll", 1, |t, a, _| {
        let other: Vec<(Value, Value)> = map_of(arg(a, 0))?.borrow().iter().collect();
        let mut m = this_map(t)?.borrow_mut();
        check_map_mutable(&m)?;
        for (k, v) in other {
            m.insert(k, v);
        }
        Ok(Value::Null)
    });
    // The Map default methods (putIfAbsent, remove(k, v), replace...) write only when they
    // change something: the ingest-condition wrappers (`UnmodifiableIngestData`, which implements
    // Map directly) throw only then, JDK unmodifiable maps always.
    r.add(MAP, "putIfAbsent", 2, |t, a, _| {
        let mut m = this_map(t)?.borrow_mut();
        check_map_default(&m, false)?;
        match m.get(arg(a, 0)) {
            Some(v) if !v.is_null() => Ok(v.clone()),
            _ => {
                check_map_default(&m, true)?;
                m.insert(arg(a, 0).clone(), arg(a, 1).clone());
                Ok(Value::Null)
            }
        }
    });
    r.add(MAP, "remove", 1, |t, a, _| {
        let mut m = this_map(t)?.borrow_mut();
        check_map_mutable(&m)?;
        Ok(m.remove(arg(a, 0)).unwrap_or(Value::Null))
    });
    r.add(MAP, "remove", 2, |t, a, _| {
        let mut m = this_map(t)?.borrow_mut();
        check_map_default(&m, false)?;
        if m.get(arg(a, 0)).is_some_and(|v| v.java_equals(arg(a, 1))) {
            check_map_default(&m, true)?;
            m.remove(arg(a, 0));
            return Ok(Value::Boolean(true));
        }
        Ok(Value::Boolean(false))
    });
    r.add(MAP, "replace", 2, |t, a, _| {
        let mut m = this_map(t)?.borrow_mut();
        check_map_default(&m, false)?;
        if m.contains_key(arg(a, 0)) {
            check_map_default(&m, true)?;
            return Ok(m
                .insert(arg(a, 0).clone(), arg(a, 1).clone())
                .unwrap_or(Value::Null));
        }
        Ok(Value::Null)
    });
    r.add(MAP, "replace", 3, |t, a, _| {
        let mut m = this_map(t)?.borrow_mut();
        check_map_default(&m, false)?;
        if m.get(arg(a, 0)).is_some_and(|v| v.java_equals(arg(a, 1))) {
            check_map_default(&m, true)?;
            m.insert(arg(a, 0).clone(), arg(a, 2).clone());
            return Ok(Value::Boolean(true));
        }
        Ok(Value::Boolean(false))
    });
    r.add(MAP, "clear", 0, |t, _, _| {
        let mut m = this_map(t)?.borrow_mut();
        check_map_mutable(&m)?;
        m.clear();
        Ok(Value::Null)
    });
    // Live views, as the JDK's (`HashMap.KeySet`, `Values`, `EntrySet`).
    r.add(MAP, "keySet", 0, |t, _, _| {
        Ok(MapView::value_of(this_map(t)?.clone(), ViewKind::Keys))
    });
    r.add(MAP, "values", 0, |t, _, _| {
        Ok(MapView::value_of(this_map(t)?.clone(), ViewKind::Values))
    });
    r.add(MAP, "entrySet", 0, |t, _, _| {
        Ok(MapView::value_of(this_map(t)?.clone(), ViewKind::Entries))
    });
    r.add(MAP, "equals", 1, |t, a, _| {
        Ok(Value::Boolean(recv(t)?.java_equals(arg(a, 0))))
    });
    r.add(MAP, "forEach", 1, |t, a, h| {
        let pairs: Vec<(Value, Value)> = this_map(t)?.borrow().iter().collect();
        for (k, v) in pairs {
            h.tick()?;
            h.invoke(arg(a, 0), &[k, v])?;
        }
        Ok(Value::Null)
    });
    r.add(MAP, "replaceAll", 1, |t, a, h| {
        let m = this_map(t)?;
        check_map_mutable(&m.borrow())?;
        let pairs: Vec<(Value, Value)> = m.borrow().iter().collect();
        for (k, v) in pairs {
            h.tick()?;
            let nv = h.invoke(arg(a, 0), &[k.clone(), v])?;
            m.borrow_mut().insert(k, nv);
        }
        Ok(Value::Null)
    });
    r.add(MAP, "computeIfAbsent", 2, |t, a, h| {
        let m = this_map(t)?;
        let key = arg(a, 0);
        if let Some(v) = m.borrow().get(key) {
            if !v.is_null() {
                return Ok(v.clone());
            }
        }
        let nv = h.invoke(arg(a, 1), std::slice::from_ref(key))?;
        if !nv.is_null() {
            let mut mm = m.borrow_mut();
            check_map_mutable(&mm)?;
            mm.insert(key.clone(), nv.clone());
        }
        Ok(nv)
    });
    r.add(MAP, "computeIfPresent", 2, |t, a, h| {
        let m = this_map(t)?;
        let key = arg(a, 0);
        let old = m.borrow().get(key).cloned();
        match old {
            Some(v) if !v.is_null() => {
                let nv = h.invoke(arg(a, 1), &[key.clone(), v])?;
                let mut mm = m.borrow_mut();
                check_map_mutable(&mm)?;
                if nv.is_null() {
                    mm.remove(key);
                } else {
                    mm.insert(key.clone(), nv.clone());
                }
                Ok(nv)
            }
            _ => Ok(Value::Null),
        }
    });
    r.add(MAP, "compute", 2, |t, a, h| {
        let m = this_map(t)?;
        let key = arg(a, 0);
        let old = m.borrow().get(key).cloned().unwrap_or(Value::Null);
        let nv = h.invoke(arg(a, 1), &[key.clone(), old])?;
        let mut mm = m.borrow_mut();
        check_map_mutable(&mm)?;
        if nv.is_null() {
            mm.remove(key);
        } else {
            mm.insert(key.clone(), nv.clone());
        }
        Ok(nv)
    });
    r.add(MAP, "merge", 3, |t, a, h| {
        let m = this_map(t)?;
        let (key, value) = (arg(a, 0), arg(a, 1));
        if value.is_null() {
            return Err(npe());
        }
        let old = m.borrow().get(key).cloned().unwrap_or(Value::Null);
        let nv = if old.is_null() {
            value.clone()
        } else {
            h.invoke(arg(a, 2), &[old, value.clone()])?
        };
        let mut mm = m.borrow_mut();
        check_map_mutable(&mm)?;
        if nv.is_null() {
            mm.remove(key);
        } else {
            mm.insert(key.clone(), nv.clone());
        }
        Ok(nv)
    });

    // Map.Entry
    r.add(ENTRY, "getKey", 0, |t, _, _| Ok(entry(t)?.key.clone()));
    r.add(ENTRY, "getValue", 0, |t, _, _| {
        Ok(entry(t)?.value.borrow().clone())
    });
    r.add(ENTRY, "setValue", 1, |t, a, _| {
        let e = entry(t)?;
        if e.snapshot {
            return Err(exc_bare("UnsupportedOperationException"));
        }
        if let Some(m) = &e.map {
            let mut m = m.borrow_mut();
            check_map_mutable(&m)?;
            m.insert(e.key.clone(), arg(a, 0).clone());
        }
        Ok(e.value.replace(arg(a, 0).clone()))
    });
    r.add(ENTRY, "equals", 1, |t, a, _| {
        Ok(Value::Boolean(recv(t)?.java_equals(arg(a, 0))))
    });
    r.add(ENTRY, "hashCode", 0, |t, _, _| {
        Ok(Value::Int(recv(t)?.java_hash_code()))
    });
}

/// A `TreeMap` refuses a `null` key (`NullPointerException`).
fn check_tree_key(m: &JMap, key: &Value) -> Result<(), Thrown> {
    if m.kind() == MapKind::Tree && key.is_null() {
        return Err(npe());
    }
    Ok(())
}

fn entry(t: Option<&Value>) -> Result<&MapEntry, Thrown> {
    match recv(t)? {
        Value::Object(o) => o.as_any().downcast_ref::<MapEntry>().ok_or_else(|| {
            exc(
                "ClassCastException",
                format!("Cannot cast {} to java.util.Map$Entry", o.class_name()),
            )
        }),
        other => Err(cce(other, ENTRY)),
    }
}

// ---------------------------------------------------------------------------------------------
// Constructors

fn register_constructors(r: &mut Registry) {
    r.add("java.util.ArrayList", "<init>", 0, |_, _, _| {
        Ok(new_list(Vec::new()))
    });
    r.add("java.util.ArrayList", "<init>", 1, |_, a, _| {
        match arg(a, 0) {
            Value::Int(n) if *n < 0 => Err(exc(
                "IllegalArgumentException",
                format!("Illegal Capacity: {n}"),
            )),
            Value::Int(_) => Ok(new_list(Vec::new())),
            other => Ok(new_list(iter_items(other)?)),
        }
    });
    r.add("java.util.LinkedList", "<init>", 0, |_, _, _| {
        Ok(new_list_kind(ListKind::LinkedList, Vec::new()))
    });
    r.add("java.util.LinkedList", "<init>", 1, |_, a, _| {
        Ok(new_list_kind(ListKind::LinkedList, iter_items(arg(a, 0))?))
    });
    for (class, kind) in [
        ("java.util.HashMap", MapKind::Hash),
        ("java.util.LinkedHashMap", MapKind::Linked),
        ("java.util.TreeMap", MapKind::Tree),
    ] {
        let _ = kind;
        match class {
            "java.util.HashMap" => {
                r.add(class, "<init>", 0, |_, _, _| Ok(new_map(MapKind::Hash)));
                r.add(class, "<init>", 1, |_, a, _| {
                    map_ctor(MapKind::Hash, arg(a, 0))
                });
            }
            "java.util.LinkedHashMap" => {
                r.add(class, "<init>", 0, |_, _, _| Ok(new_map(MapKind::Linked)));
                r.add(class, "<init>", 1, |_, a, _| {
                    map_ctor(MapKind::Linked, arg(a, 0))
                });
            }
            _ => {
                r.add(class, "<init>", 0, |_, _, _| Ok(new_map(MapKind::Tree)));
                r.add(class, "<init>", 1, |_, a, _| match arg(a, 0) {
                    Value::Map(_) => map_ctor(MapKind::Tree, arg(a, 0)),
                    Value::Null => Ok(new_map(MapKind::Tree)),
                    _ => Err(unsupported("new TreeMap(Comparator)")),
                });
            }
        }
    }
    r.add("java.util.HashSet", "<init>", 0, |_, _, _| {
        Ok(new_set(SetKind::Hash, []))
    });
    r.add("java.util.HashSet", "<init>", 1, |_, a, _| {
        match arg(a, 0) {
            Value::Int(_) => Ok(new_set(SetKind::Hash, [])),
            other => Ok(new_set(SetKind::Hash, iter_items(other)?)),
        }
    });
    r.add("java.util.LinkedHashSet", "<init>", 0, |_, _, _| {
        Ok(new_set(SetKind::Linked, []))
    });
    r.add(
        "java.util.LinkedHashSet",
        "<init>",
        1,
        |_, a, _| match arg(a, 0) {
            Value::Int(_) => Ok(new_set(SetKind::Linked, [])),
            other => Ok(new_set(SetKind::Linked, iter_items(other)?)),
        },
    );
    r.add("java.util.TreeSet", "<init>", 0, |_, _, _| {
        Ok(new_set(SetKind::Tree, []))
    });
    r.add("java.util.TreeSet", "<init>", 1, |_, a, _| {
        match arg(a, 0) {
            Value::List(_) | Value::Set(_) => Ok(new_set(SetKind::Tree, iter_items(arg(a, 0))?)),
            _ => Err(unsupported("new TreeSet(Comparator)")),
        }
    });
}

fn map_ctor(kind: MapKind, a: &Value) -> Result<Value, Thrown> {
    match a {
        Value::Int(n) if *n < 0 => Err(exc(
            "IllegalArgumentException",
            format!("Illegal initial capacity: {n}"),
        )),
        Value::Int(n) => Ok(Value::map_from(JMap::with_capacity(kind, *n as usize))),
        Value::Map(m) => Ok(Value::map_from(JMap::copy_of(kind, &m.borrow()))),
        Value::Null => Err(npe()),
        other => Err(cce(other, MAP)),
    }
}

// ---------------------------------------------------------------------------------------------
// Collections, Arrays, Objects, Optional, StringJoiner, Base64, Comparator

fn unmodifiable_list(items: Vec<Value>) -> Value {
    new_list_kind(ListKind::Unmodifiable, items)
}

fn register_utilities(r: &mut Registry) {
    const COLLECTIONS: &str = "java.util.Collections";
    r.add(COLLECTIONS, "emptyList", 0, |_, _, _| {
        Ok(unmodifiable_list(Vec::new()))
    });
    r.add(COLLECTIONS, "emptyMap", 0, |_, _, _| {
        Ok(new_map(MapKind::Unmodifiable))
    });
    r.add(COLLECTIONS, "emptySet", 0, |_, _, _| {
        Ok(new_set(SetKind::Unmodifiable, []))
    });
    r.add(COLLECTIONS, "singletonList", 1, |_, a, _| {
        Ok(unmodifiable_list(vec![arg(a, 0).clone()]))
    });
    r.add(COLLECTIONS, "singleton", 1, |_, a, _| {
        Ok(new_set(SetKind::Unmodifiable, [arg(a, 0).clone()]))
    });
    r.add(COLLECTIONS, "singletonMap", 2, |_, a, _| {
        let mut m = JMap::new(MapKind::Unmodifiable);
        m.insert(arg(a, 0).clone(), arg(a, 1).clone());
        Ok(Value::map_from(m))
    });
    r.add(COLLECTIONS, "unmodifiableList", 1, |_, a, _| {
        Ok(unmodifiable_list(
            list_of(arg(a, 0))?.borrow().items.clone(),
        ))
    });
    r.add(COLLECTIONS, "unmodifiableMap", 1, |_, a, _| {
        let m = map_of(arg(a, 0))?.borrow();
        let mut copy = JMap::copy_of(m.kind(), &m);
        copy.set_kind(MapKind::Unmodifiable);
        Ok(Value::map_from(copy))
    });
    r.add(COLLECTIONS, "unmodifiableSet", 1, |_, a, _| {
        Ok(new_set(SetKind::Unmodifiable, iter_items(arg(a, 0))?))
    });
    r.add(COLLECTIONS, "sort", 1, |_, a, h| {
        sort_in_place(arg(a, 0), &Value::Null, h)
    });
    r.add(COLLECTIONS, "sort", 2, |_, a, h| {
        sort_in_place(arg(a, 0), arg(a, 1), h)
    });
    r.add(COLLECTIONS, "reverse", 1, |_, a, _| {
        let mut l = list_of(arg(a, 0))?.borrow_mut();
        check_list_mutable(&l)?;
        l.items.reverse();
        Ok(Value::Null)
    });
    r.add(COLLECTIONS, "max", 1, |_, a, h| {
        extreme(arg(a, 0), &Value::Null, h, Ordering::Greater)
    });
    r.add(COLLECTIONS, "max", 2, |_, a, h| {
        extreme(arg(a, 0), arg(a, 1), h, Ordering::Greater)
    });
    r.add(COLLECTIONS, "min", 1, |_, a, h| {
        extreme(arg(a, 0), &Value::Null, h, Ordering::Less)
    });
    r.add(COLLECTIONS, "min", 2, |_, a, h| {
        extreme(arg(a, 0), arg(a, 1), h, Ordering::Less)
    });
    r.add(COLLECTIONS, "frequency", 2, |_, a, _| {
        Ok(Value::Int(
            iter_items(arg(a, 0))?
                .iter()
                .filter(|v| v.java_equals(arg(a, 1)))
                .count() as i32,
        ))
    });
    r.add(COLLECTIONS, "nCopies", 2, |_, a, _| {
        let n = int_arg(a, 0)?;
        if n < 0 {
            return Err(exc(
                "IllegalArgumentException",
                format!("List length = {n}"),
            ));
        }
        Ok(unmodifiable_list(vec![arg(a, 1).clone(); n as usize]))
    });
    r.add(COLLECTIONS, "addAll", 2, |_, a, _| {
        let this = arg(a, 0);
        let mut changed = false;
        let items = match arg(a, 1) {
            Value::Array(arr) => arr.borrow().items.clone(),
            other => iter_items(other)?,
        };
        for v in items {
            changed |= matches!(coll_add(this, v)?, Value::Boolean(true));
        }
        Ok(Value::Boolean(changed))
    });
    r.add(COLLECTIONS, "swap", 3, |_, a, _| {
        let mut l = list_of(arg(a, 0))?.borrow_mut();
        let (i, j) = (int_arg(a, 1)?, int_arg(a, 2)?);
        let len = l.items.len();
        let i = check_index(i, len, l.kind)?;
        let j = check_index(j, len, l.kind)?;
        check_list_mutable(&l)?;
        l.items.swap(i, j);
        Ok(Value::Null)
    });
    r.add(COLLECTIONS, "reverseOrder", 0, |_, _, _| {
        Ok(Token::value_of(COMPARATOR, "reverse"))
    });
    r.add(COMPARATOR, "naturalOrder", 0, |_, _, _| {
        Ok(Token::value_of(COMPARATOR, "natural"))
    });
    r.add(COMPARATOR, "reverseOrder", 0, |_, _, _| {
        Ok(Token::value_of(COMPARATOR, "reverse"))
    });
    r.add(COMPARATOR, "compare", 2, |t, a, h| {
        let o = compare_with(recv(t)?, arg(a, 0), arg(a, 1), h)?;
        Ok(Value::Int(match o {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }))
    });

    const ARRAYS: &str = "java.util.Arrays";
    r.add(ARRAYS, "asList", 1, |_, a, _| match arg(a, 0) {
        Value::Array(arr) => Ok(new_list(arr.borrow().items.clone())),
        Value::Null => Err(npe()),
        other => Ok(new_list(vec![other.clone()])),
    });

    const OBJECTS: &str = "java.util.Objects";
    r.add(OBJECTS, "equals", 2, |_, a, _| {
        Ok(Value::Boolean(arg(a, 0).java_equals(arg(a, 1))))
    });
    r.add(OBJECTS, "isNull", 1, |_, a, _| {
        Ok(Value::Boolean(arg(a, 0).is_null()))
    });
    r.add(OBJECTS, "nonNull", 1, |_, a, _| {
        Ok(Value::Boolean(!arg(a, 0).is_null()))
    });
    r.add(OBJECTS, "hashCode", 1, |_, a, _| {
        Ok(Value::Int(arg(a, 0).java_hash_code()))
    });
    r.add(OBJECTS, "toString", 1, |_, a, _| {
        Ok(Value::from(arg(a, 0).java_to_string()))
    });
    r.add(OBJECTS, "toString", 2, |_, a, _| {
        Ok(if arg(a, 0).is_null() {
            arg(a, 1).clone()
        } else {
            Value::from(arg(a, 0).java_to_string())
        })
    });
    r.add(OBJECTS, "requireNonNull", 1, |_, a, _| {
        if arg(a, 0).is_null() {
            return Err(npe());
        }
        Ok(arg(a, 0).clone())
    });
    r.add(OBJECTS, "requireNonNull", 2, |_, a, _| {
        if arg(a, 0).is_null() {
            return Err(exc("NullPointerException", arg(a, 1).java_to_string()));
        }
        Ok(arg(a, 0).clone())
    });
    r.add(OBJECTS, "hash", 1, |_, a, _| {
        let items = match arg(a, 0) {
            Value::Array(arr) => arr.borrow().items.clone(),
            Value::Null => return Ok(Value::Int(0)),
            other => vec![other.clone()],
        };
        Ok(Value::Int(items.iter().fold(1i32, |h, v| {
            h.wrapping_mul(31).wrapping_add(v.java_hash_code())
        })))
    });
    r.add(OBJECTS, "compare", 3, |_, a, h| {
        if arg(a, 0).identical(arg(a, 1)) {
            return Ok(Value::Int(0));
        }
        let o = compare_with(arg(a, 2), arg(a, 0), arg(a, 1), h)?;
        Ok(Value::Int(o as i32))
    });

    const OPTIONAL: &str = "java.util.Optional";
    r.add(OPTIONAL, "empty", 0, |_, _, _| {
        Ok(Optional::value_of(OPTIONAL, None))
    });
    r.add(OPTIONAL, "of", 1, |_, a, _| {
        if arg(a, 0).is_null() {
            return Err(npe());
        }
        Ok(Optional::value_of(OPTIONAL, Some(arg(a, 0).clone())))
    });
    r.add(OPTIONAL, "ofNullable", 1, |_, a, _| {
        Ok(Optional::value_of(
            OPTIONAL,
            (!arg(a, 0).is_null()).then(|| arg(a, 0).clone()),
        ))
    });
    r.add(OPTIONAL, "isPresent", 0, |t, _, _| {
        Ok(Value::Boolean(optional(t)?.value.is_some()))
    });
    r.add(OPTIONAL, "get", 0, |t, _, _| {
        optional(t)?
            .value
            .clone()
            .ok_or_else(|| exc("NoSuchElementException", "No value present"))
    });
    r.add(OPTIONAL, "orElse", 1, |t, a, _| {
        Ok(optional(t)?
            .value
            .clone()
            .unwrap_or_else(|| arg(a, 0).clone()))
    });
    r.add(OPTIONAL, "orElseGet", 1, |t, a, h| {
        match &optional(t)?.value {
            Some(v) => Ok(v.clone()),
            None => h.invoke(arg(a, 0), &[]),
        }
    });
    r.add(OPTIONAL, "ifPresent", 1, |t, a, h| {
        if let Some(v) = &optional(t)?.value {
            h.invoke(arg(a, 0), std::slice::from_ref(v))?;
        }
        Ok(Value::Null)
    });
    r.add(OPTIONAL, "map", 1, |t, a, h| match &optional(t)?.value {
        Some(v) => {
            let nv = h.invoke(arg(a, 0), std::slice::from_ref(v))?;
            Ok(Optional::value_of(OPTIONAL, (!nv.is_null()).then_some(nv)))
        }
        None => Ok(Optional::value_of(OPTIONAL, None)),
    });
    r.add(OPTIONAL, "filter", 1, |t, a, h| match &optional(t)?.value {
        Some(v) if truthy(&h.invoke(arg(a, 0), std::slice::from_ref(v))?)? => Ok(recv(t)?.clone()),
        _ => Ok(Optional::value_of(OPTIONAL, None)),
    });

    const JOINER: &str = "java.util.StringJoiner";
    r.add(JOINER, "<init>", 1, |_, a, _| {
        joiner(chars_arg(a, 0)?, String::new(), String::new())
    });
    r.add(JOINER, "<init>", 3, |_, a, _| {
        joiner(chars_arg(a, 0)?, chars_arg(a, 1)?, chars_arg(a, 2)?)
    });
    r.add(JOINER, "add", 1, |t, a, _| {
        let j = joiner_of(t)?;
        let text = match arg(a, 0) {
            Value::Null => "null".to_owned(),
            other => other.java_to_string(),
        };
        let mut parts = j.parts.borrow_mut();
        match parts.as_mut() {
            Some(p) => {
                p.push_str(&j.delimiter);
                p.push_str(&text);
            }
            None => *parts = Some(text),
        }
        drop(parts);
        Ok(recv(t)?.clone())
    });
    r.add(JOINER, "setEmptyValue", 1, |t, a, _| {
        *joiner_of(t)?.empty_value.borrow_mut() = Some(chars_arg(a, 0)?);
        Ok(recv(t)?.clone())
    });
    r.add(JOINER, "length", 0, |t, _, _| {
        Ok(Value::Int(len16(&joiner_of(t)?.render()) as i32))
    });
    r.add(JOINER, "toString", 0, |t, _, _| {
        Ok(Value::from(joiner_of(t)?.render()))
    });

    const BASE64: &str = "java.util.Base64";
    r.add(BASE64, "getEncoder", 0, |_, _, _| {
        Ok(Token::value_of("java.util.Base64$Encoder", "standard"))
    });
    r.add(BASE64, "getDecoder", 0, |_, _, _| {
        Ok(Token::value_of("java.util.Base64$Decoder", "standard"))
    });
    r.add(BASE64, "getUrlEncoder", 0, |_, _, _| {
        Ok(Token::value_of("java.util.Base64$Encoder", "url"))
    });
    r.add(BASE64, "getUrlDecoder", 0, |_, _, _| {
        Ok(Token::value_of("java.util.Base64$Decoder", "url"))
    });
    r.add(
        "java.util.Base64$Encoder",
        "encodeToString",
        1,
        |t, a, _| {
            let tag = token_tag(recv(t)?, "java.util.Base64$Encoder").unwrap_or("standard");
            let bytes = byte_array(arg(a, 0))?;
            Ok(Value::from(match tag {
                "url" => base64::engine::general_purpose::URL_SAFE.encode(bytes),
                "url-nopad" => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
                "nopad" => base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes),
                _ => base64::engine::general_purpose::STANDARD.encode(bytes),
            }))
        },
    );
    r.add(
        "java.util.Base64$Encoder",
        "withoutPadding",
        0,
        |t, _, _| {
            let tag = token_tag(recv(t)?, "java.util.Base64$Encoder").unwrap_or("standard");
            Ok(Token::value_of(
                "java.util.Base64$Encoder",
                if tag.starts_with("url") {
                    "url-nopad"
                } else {
                    "nopad"
                },
            ))
        },
    );
    r.add("java.util.Base64$Decoder", "decode", 1, |t, a, _| {
        let tag = token_tag(recv(t)?, "java.util.Base64$Decoder").unwrap_or("standard");
        let input: Vec<u8> = match arg(a, 0) {
            Value::String(s) => s.as_bytes().to_vec(),
            other => byte_array(other)?,
        };
        let engine = if tag == "url" {
            &base64::engine::general_purpose::URL_SAFE
        } else {
            &base64::engine::general_purpose::STANDARD
        };
        let decoded = engine
            .decode(&input)
            .or_else(|_| {
                let cfg = base64::engine::GeneralPurposeConfig::new()
                    .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent);
                let alphabet = if tag == "url" {
                    &base64::alphabet::URL_SAFE
                } else {
                    &base64::alphabet::STANDARD
                };
                base64::engine::GeneralPurpose::new(alphabet, cfg).decode(&input)
            })
            .map_err(|e| exc("IllegalArgumentException", java_base64_error(&e)))?;
        let items = decoded.into_iter().map(|b| Value::Byte(b as i8)).collect();
        Ok(Value::Array(Rc::new(RefCell::new(
            crate::value::JArray::new("byte".into(), items),
        ))))
    });
}

/// The JDK `Base64.Decoder` messages for the common failures.
pub(crate) fn java_base64_error(e: &base64::DecodeError) -> String {
    match e {
        base64::DecodeError::InvalidByte(_, b) => format!("Illegal base64 character {:x}", b),
        base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidLastSymbol(_, _) => {
            "Last unit does not have enough valid bits".into()
        }
        base64::DecodeError::InvalidPadding => "Input byte array has incorrect ending byte".into(),
    }
}

pub(crate) fn byte_array(v: &Value) -> Result<Vec<u8>, Thrown> {
    match v {
        Value::Array(a) => a
            .borrow()
            .items
            .iter()
            .map(|b| match b {
                Value::Byte(b) => Ok(*b as u8),
                other => Err(cce(other, "byte")),
            })
            .collect(),
        Value::Null => Err(npe()),
        other => Err(cce(other, "byte[]")),
    }
}

fn optional(t: Option<&Value>) -> Result<&Optional, Thrown> {
    match recv(t)? {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Optional>()
            .ok_or_else(|| exc("ClassCastException", o.class_name().to_owned())),
        other => Err(cce(other, "java.util.Optional")),
    }
}

fn joiner(delimiter: String, prefix: String, suffix: String) -> Result<Value, Thrown> {
    Ok(Value::Object(Rc::new(StringJoiner {
        delimiter,
        prefix,
        suffix,
        parts: RefCell::new(None),
        empty_value: RefCell::new(None),
    })))
}

fn joiner_of(t: Option<&Value>) -> Result<&StringJoiner, Thrown> {
    match recv(t)? {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<StringJoiner>()
            .ok_or_else(|| exc("ClassCastException", o.class_name().to_owned())),
        other => Err(cce(other, "java.util.StringJoiner")),
    }
}

fn sort_in_place(list: &Value, cmp: &Value, h: &mut dyn Host) -> Result<Value, Thrown> {
    let l = list_of(list)?;
    let items = l.borrow().items.clone();
    let sorted = sort_values(items, cmp, h)?;
    let mut l = l.borrow_mut();
    check_list_mutable(&l)?;
    l.items = sorted;
    Ok(Value::Null)
}

fn extreme(coll: &Value, cmp: &Value, h: &mut dyn Host, want: Ordering) -> Result<Value, Thrown> {
    let items = iter_items(coll)?;
    let mut best = items
        .first()
        .cloned()
        .ok_or_else(|| exc_bare("NoSuchElementException"))?;
    for v in items.into_iter().skip(1) {
        h.tick()?;
        if compare_with(cmp, &v, &best, h)? == want {
            best = v;
        }
    }
    Ok(best)
}

// ---------------------------------------------------------------------------------------------
// SortedMap / NavigableMap / SortedSet / NavigableSet (TreeMap, TreeSet) and Deque / Queue
// (LinkedList). Sub-maps and sub-sets are copies here, not views of the original.

fn sorted_keys(v: &Value) -> Result<Vec<Value>, Thrown> {
    Ok(match v {
        Value::Map(m) => m.borrow().keys(),
        Value::Set(s) => s.borrow().iter().collect(),
        Value::Null => return Err(npe()),
        other => return Err(cce(other, "java.util.SortedMap")),
    })
}

/// Index of the key satisfying a bound: `cmp(key, bound)` against each key in order.
fn find_key(
    keys: &[Value],
    bound: &Value,
    want: fn(Ordering) -> bool,
    last: bool,
) -> Result<Option<usize>, Thrown> {
    let mut found = None;
    for (i, k) in keys.iter().enumerate() {
        if want(compare_to(k, bound)?.cmp(&0)) {
            found = Some(i);
            if !last {
                break;
            }
        }
    }
    Ok(found)
}

fn entry_at(m: &Value, keys: &[Value], i: Option<usize>) -> Result<Value, Thrown> {
    let Some(i) = i else { return Ok(Value::Null) };
    let k = keys[i].clone();
    let v = map_of(m)?.borrow().get(&k).cloned().unwrap_or(Value::Null);
    Ok(MapEntry::snapshot(k, v))
}

fn compare_to(a: &Value, b: &Value) -> Result<i32, Thrown> {
    super::lang::compare_to(a, b)
}

fn ge(o: Ordering) -> bool {
    o != Ordering::Less
}
fn le(o: Ordering) -> bool {
    o != Ordering::Greater
}
fn gt(o: Ordering) -> bool {
    o == Ordering::Greater
}
fn lt(o: Ordering) -> bool {
    o == Ordering::Less
}

/// A copy of the entries (or elements) whose keys lie in a range.
fn range_copy(
    v: &Value,
    from: Option<(&Value, bool)>,
    to: Option<(&Value, bool)>,
) -> Result<Value, Thrown> {
    let in_range = |k: &Value| -> Result<bool, Thrown> {
        if let Some((f, incl)) = from {
            let c = compare_to(k, f)?;
            if c < 0 || (c == 0 && !incl) {
                return Ok(false);
            }
        }
        if let Some((t, incl)) = to {
            let c = compare_to(k, t)?;
            if c > 0 || (c == 0 && !incl) {
                return Ok(false);
            }
        }
        Ok(true)
    };
    if let (Some((f, _)), Some((t, _))) = (from, to) {
        if compare_to(f, t)? > 0 {
            return Err(exc("IllegalArgumentException", "fromKey > toKey"));
        }
    }
    match v {
        Value::Map(m) => {
            let mut out = JMap::new(MapKind::Tree);
            for (k, val) in m.borrow().iter() {
                if in_range(&k)? {
                    out.insert(k, val);
                }
            }
            Ok(Value::map_from(out))
        }
        Value::Set(s) => {
            let mut out = JSet::new(SetKind::Tree);
            for k in s.borrow().iter() {
                if in_range(&k)? {
                    out.insert(k);
                }
            }
            Ok(Value::Set(Rc::new(RefCell::new(out))))
        }
        other => Err(cce(other, "java.util.SortedMap")),
    }
}

fn register_navigable(r: &mut Registry) {
    const SM: &str = "java.util.SortedMap";
    const NM: &str = "java.util.NavigableMap";
    const SS: &str = "java.util.SortedSet";
    const NS: &str = "java.util.NavigableSet";
    r.add_on(&[SM, SS], "comparator", 0, |_, _, _| Ok(Value::Null));
    r.add(SM, "firstKey", 0, |t, _, _| {
        sorted_keys(recv(t)?)?
            .first()
            .cloned()
            .ok_or_else(|| exc_bare("NoSuchElementException"))
    });
    r.add(SM, "lastKey", 0, |t, _, _| {
        sorted_keys(recv(t)?)?
            .last()
            .cloned()
            .ok_or_else(|| exc_bare("NoSuchElementException"))
    });
    r.add(SS, "first", 0, |t, _, _| {
        sorted_keys(recv(t)?)?
            .first()
            .cloned()
            .ok_or_else(|| exc_bare("NoSuchElementException"))
    });
    r.add(SS, "last", 0, |t, _, _| {
        sorted_keys(recv(t)?)?
            .last()
            .cloned()
            .ok_or_else(|| exc_bare("NoSuchElementException"))
    });
    r.add_on(&[SM, SS], "headMap", 1, |t, a, _| {
        range_copy(recv(t)?, None, Some((arg(a, 0), false)))
    });
    r.add_on(&[SM, SS], "tailMap", 1, |t, a, _| {
        range_copy(recv(t)?, Some((arg(a, 0), true)), None)
    });
    r.add_on(&[SM, SS], "subMap", 2, |t, a, _| {
        range_copy(recv(t)?, Some((arg(a, 0), true)), Some((arg(a, 1), false)))
    });
    r.add(SS, "headSet", 1, |t, a, _| {
        range_copy(recv(t)?, None, Some((arg(a, 0), false)))
    });
    r.add(SS, "tailSet", 1, |t, a, _| {
        range_copy(recv(t)?, Some((arg(a, 0), true)), None)
    });
    r.add(SS, "subSet", 2, |t, a, _| {
        range_copy(recv(t)?, Some((arg(a, 0), true)), Some((arg(a, 1), false)))
    });
    r.add(NM, "headMap", 2, |t, a, _| {
        range_copy(recv(t)?, None, Some((arg(a, 0), bool_arg(a, 1)?)))
    });
    r.add(NM, "tailMap", 2, |t, a, _| {
        range_copy(recv(t)?, Some((arg(a, 0), bool_arg(a, 1)?)), None)
    });
    r.add(NM, "subMap", 4, |t, a, _| {
        range_copy(
            recv(t)?,
            Some((arg(a, 0), bool_arg(a, 1)?)),
            Some((arg(a, 2), bool_arg(a, 3)?)),
        )
    });
    r.add(NS, "headSet", 2, |t, a, _| {
        range_copy(recv(t)?, None, Some((arg(a, 0), bool_arg(a, 1)?)))
    });
    r.add(NS, "tailSet", 2, |t, a, _| {
        range_copy(recv(t)?, Some((arg(a, 0), bool_arg(a, 1)?)), None)
    });
    r.add(NS, "subSet", 4, |t, a, _| {
        range_copy(
            recv(t)?,
            Some((arg(a, 0), bool_arg(a, 1)?)),
            Some((arg(a, 2), bool_arg(a, 3)?)),
        )
    });
    r.add(NM, "ceilingKey", 1, |t, a, _| key_at(t, a, ge, false));
    r.add(NM, "floorKey", 1, |t, a, _| key_at(t, a, le, true));
    r.add(NM, "higherKey", 1, |t, a, _| key_at(t, a, gt, false));
    r.add(NM, "lowerKey", 1, |t, a, _| key_at(t, a, lt, true));
    r.add(NS, "ceiling", 1, |t, a, _| key_at(t, a, ge, false));
    r.add(NS, "floor", 1, |t, a, _| key_at(t, a, le, true));
    r.add(NS, "higher", 1, |t, a, _| key_at(t, a, gt, false));
    r.add(NS, "lower", 1, |t, a, _| key_at(t, a, lt, true));
    r.add(NM, "ceilingEntry", 1, |t, a, _| entry_near(t, a, ge, false));
    r.add(NM, "floorEntry", 1, |t, a, _| entry_near(t, a, le, true));
    r.add(NM, "higherEntry", 1, |t, a, _| entry_near(t, a, gt, false));
    r.add(NM, "lowerEntry", 1, |t, a, _| entry_near(t, a, lt, true));
    r.add(NM, "firstEntry", 0, |t, _, _| {
        let keys = sorted_keys(recv(t)?)?;
        entry_at(recv(t)?, &keys, (!keys.is_empty()).then_some(0))
    });
    r.add(NM, "lastEntry", 0, |t, _, _| {
        let keys = sorted_keys(recv(t)?)?;
        entry_at(recv(t)?, &keys, keys.len().checked_sub(1))
    });
    r.add(NM, "pollFirstEntry", 0, |t, _, _| poll_entry(t, true));
    r.add(NM, "pollLastEntry", 0, |t, _, _| poll_entry(t, false));
    r.add(NS, "pollFirst", 0, |t, _, _| poll_set(t, true));
    r.add(NS, "pollLast", 0, |t, _, _| poll_set(t, false));
    r.add(NM, "navigableKeySet", 0, |t, _, _| {
        Ok(new_set(SetKind::Tree, sorted_keys(recv(t)?)?))
    });
    r.add(NM, "descendingKeySet", 0, |t, _, _| {
        let mut keys = sorted_keys(recv(t)?)?;
        keys.reverse();
        Ok(new_set(SetKind::Linked, keys))
    });
    r.add(NM, "descendingMap", 0, |t, _, _| {
        let mut pairs: Vec<(Value, Value)> = this_map(t)?.borrow().iter().collect();
        pairs.reverse();
        let mut out = JMap::new(MapKind::Linked);
        for (k, v) in pairs {
            out.insert(k, v);
        }
        Ok(Value::map_from(out))
    });
    r.add(NS, "descendingSet", 0, |t, _, _| {
        let mut keys = sorted_keys(recv(t)?)?;
        keys.reverse();
        Ok(new_set(SetKind::Linked, keys))
    });
    r.add(NS, "descendingIterator", 0, |t, _, _| {
        let mut keys = sorted_keys(recv(t)?)?;
        keys.reverse();
        Ok(Iter::value(
            "java.util.ArrayList$Itr",
            keys,
            Some(recv(t)?.clone()),
        ))
    });
}

fn key_at(
    t: Option<&Value>,
    a: &[Value],
    want: fn(Ordering) -> bool,
    last: bool,
) -> Result<Value, Thrown> {
    if arg(a, 0).is_null() {
        return Err(npe());
    }
    let keys = sorted_keys(recv(t)?)?;
    Ok(find_key(&keys, arg(a, 0), want, last)?.map_or(Value::Null, |i| keys[i].clone()))
}

fn entry_near(
    t: Option<&Value>,
    a: &[Value],
    want: fn(Ordering) -> bool,
    last: bool,
) -> Result<Value, Thrown> {
    if arg(a, 0).is_null() {
        return Err(npe());
    }
    let keys = sorted_keys(recv(t)?)?;
    let i = find_key(&keys, arg(a, 0), want, last)?;
    entry_at(recv(t)?, &keys, i)
}

fn poll_entry(t: Option<&Value>, first: bool) -> Result<Value, Thrown> {
    let keys = sorted_keys(recv(t)?)?;
    let i = if first {
        (!keys.is_empty()).then_some(0)
    } else {
        keys.len().checked_sub(1)
    };
    let e = entry_at(recv(t)?, &keys, i)?;
    if let Some(i) = i {
        let mut m = this_map(t)?.borrow_mut();
        check_map_mutable(&m)?;
        m.remove(&keys[i]);
    }
    Ok(e)
}

fn poll_set(t: Option<&Value>, first: bool) -> Result<Value, Thrown> {
    let keys = sorted_keys(recv(t)?)?;
    let k = if first { keys.first() } else { keys.last() };
    match k {
        Some(k) => {
            let mut s = set_of(recv(t)?)?.borrow_mut();
            check_set_mutable(&s)?;
            s.remove(k);
            Ok(k.clone())
        }
        None => Ok(Value::Null),
    }
}

fn register_deque(r: &mut Registry) {
    const DQ: &str = "java.util.Deque";
    const Q: &str = "java.util.Queue";
    fn push_at(t: Option<&Value>, v: Value, front: bool) -> Result<(), Thrown> {
        let mut l = this_list(t)?.borrow_mut();
        check_list_mutable(&l)?;
        if front {
            l.items.insert(0, v);
        } else {
            l.items.push(v);
        }
        Ok(())
    }
    fn take_at(t: Option<&Value>, front: bool, empty_throws: bool) -> Result<Value, Thrown> {
        let mut l = this_list(t)?.borrow_mut();
        if l.items.is_empty() {
            return if empty_throws {
                Err(exc_bare("NoSuchElementException"))
            } else {
                Ok(Value::Null)
            };
        }
        check_list_mutable(&l)?;
        Ok(if front {
            l.items.remove(0)
        } else {
            l.items.pop().unwrap_or(Value::Null)
        })
    }
    fn peek_at(t: Option<&Value>, front: bool, empty_throws: bool) -> Result<Value, Thrown> {
        let l = this_list(t)?.borrow();
        let v = if front {
            l.items.first()
        } else {
            l.items.last()
        };
        match v {
            Some(v) => Ok(v.clone()),
            None if empty_throws => Err(exc_bare("NoSuchElementException")),
            None => Ok(Value::Null),
        }
    }
    fn remove_occurrence(t: Option<&Value>, v: &Value, last: bool) -> Result<Value, Thrown> {
        let mut l = this_list(t)?.borrow_mut();
        check_list_mutable(&l)?;
        let pos = if last {
            l.items.iter().rposition(|x| x.java_equals(v))
        } else {
            l.items.iter().position(|x| x.java_equals(v))
        };
        Ok(Value::Boolean(match pos {
            Some(i) => {
                l.items.remove(i);
                true
            }
            None => false,
        }))
    }
    r.add(DQ, "addFirst", 1, |t, a, _| {
        push_at(t, arg(a, 0).clone(), true).map(|_| Value::Null)
    });
    r.add(DQ, "addLast", 1, |t, a, _| {
        push_at(t, arg(a, 0).clone(), false).map(|_| Value::Null)
    });
    r.add(DQ, "push", 1, |t, a, _| {
        push_at(t, arg(a, 0).clone(), true).map(|_| Value::Null)
    });
    r.add(DQ, "offerFirst", 1, |t, a, _| {
        push_at(t, arg(a, 0).clone(), true).map(|_| Value::Boolean(true))
    });
    r.add(DQ, "offerLast", 1, |t, a, _| {
        push_at(t, arg(a, 0).clone(), false).map(|_| Value::Boolean(true))
    });
    r.add(Q, "offer", 1, |t, a, _| {
        push_at(t, arg(a, 0).clone(), false).map(|_| Value::Boolean(true))
    });
    r.add(DQ, "getFirst", 0, |t, _, _| peek_at(t, true, true));
    r.add(DQ, "getLast", 0, |t, _, _| peek_at(t, false, true));
    r.add(Q, "element", 0, |t, _, _| peek_at(t, true, true));
    r.add(DQ, "peekFirst", 0, |t, _, _| peek_at(t, true, false));
    r.add(DQ, "peekLast", 0, |t, _, _| peek_at(t, false, false));
    r.add(Q, "peek", 0, |t, _, _| peek_at(t, true, false));
    r.add(DQ, "pollFirst", 0, |t, _, _| take_at(t, true, false));
    r.add(DQ, "pollLast", 0, |t, _, _| take_at(t, false, false));
    r.add(Q, "poll", 0, |t, _, _| take_at(t, true, false));
    r.add(DQ, "pop", 0, |t, _, _| take_at(t, true, true));
    r.add(DQ, "removeFirst", 0, |t, _, _| take_at(t, true, true));
    r.add(DQ, "removeLast", 0, |t, _, _| take_at(t, false, true));
    r.add(Q, "remove", 0, |t, _, _| take_at(t, true, true));
    r.add(DQ, "remove", 1, |t, a, _| {
        remove_occurrence(t, arg(a, 0), false)
    });
    r.add(DQ, "removeFirstOccurrence", 1, |t, a, _| {
        remove_occurrence(t, arg(a, 0), false)
    });
    r.add(DQ, "removeLastOccurrence", 1, |t, a, _| {
        remove_occurrence(t, arg(a, 0), true)
    });
    r.add(DQ, "descendingIterator", 0, |t, _, _| {
        let mut items = this_list(t)?.borrow().items.clone();
        items.reverse();
        Ok(Iter::value("java.util.ArrayList$Itr", items, None))
    });
}

fn register_more_utilities(r: &mut Registry) {
    const COLLECTIONS: &str = "java.util.Collections";
    r.add(COLLECTIONS, "disjoint", 2, |_, a, _| {
        let (x, y) = (iter_items(arg(a, 0))?, iter_items(arg(a, 1))?);
        Ok(Value::Boolean(
            !x.iter().any(|v| y.iter().any(|w| w.java_equals(v))),
        ))
    });
    r.add(COLLECTIONS, "fill", 2, |_, a, _| {
        let mut l = list_of(arg(a, 0))?.borrow_mut();
        check_list_mutable(&l)?;
        for v in l.items.iter_mut() {
            *v = arg(a, 1).clone();
        }
        Ok(Value::Null)
    });
    r.add(COLLECTIONS, "rotate", 2, |_, a, _| {
        let mut l = list_of(arg(a, 0))?.borrow_mut();
        check_list_mutable(&l)?;
        let n = l.items.len();
        if n > 0 {
            let d = i64::from(int_arg(a, 1)?).rem_euclid(n as i64) as usize;
            l.items.rotate_right(d);
        }
        Ok(Value::Null)
    });
    r.add(COLLECTIONS, "copy", 2, |_, a, _| {
        let src = iter_items(arg(a, 1))?;
        let mut dest = list_of(arg(a, 0))?.borrow_mut();
        if src.len() > dest.items.len() {
            return Err(exc(
                "IndexOutOfBoundsException",
                "Source does not fit in dest",
            ));
        }
        check_list_mutable(&dest)?;
        for (i, v) in src.into_iter().enumerate() {
            dest.items[i] = v;
        }
        Ok(Value::Null)
    });
    r.add(COLLECTIONS, "replaceAll", 3, |_, a, _| {
        let mut l = list_of(arg(a, 0))?.borrow_mut();
        check_list_mutable(&l)?;
        let mut any = false;
        for v in l.items.iter_mut() {
            if v.java_equals(arg(a, 1)) {
                *v = arg(a, 2).clone();
                any = true;
            }
        }
        Ok(Value::Boolean(any))
    });
    r.add(COLLECTIONS, "indexOfSubList", 2, |_, a, _| {
        let (x, y) = (iter_items(arg(a, 0))?, iter_items(arg(a, 1))?);
        Ok(Value::Int(sub_list_index(&x, &y, false)))
    });
    r.add(COLLECTIONS, "lastIndexOfSubList", 2, |_, a, _| {
        let (x, y) = (iter_items(arg(a, 0))?, iter_items(arg(a, 1))?);
        Ok(Value::Int(sub_list_index(&x, &y, true)))
    });
    r.add(COLLECTIONS, "binarySearch", 2, |_, a, h| {
        binary_search(arg(a, 0), arg(a, 1), &Value::Null, h)
    });
    r.add(COLLECTIONS, "binarySearch", 3, |_, a, h| {
        binary_search(arg(a, 0), arg(a, 1), arg(a, 2), h)
    });
    r.add(COLLECTIONS, "reverseOrder", 1, |_, a, h| {
        if arg(a, 0).is_null() {
            return Ok(Token::value_of(COMPARATOR, "reverse"));
        }
        let _ = h;
        Ok(Value::Null).and_then(|_: Value| {
            // Collections.reverseOrder(cmp) is cmp.reversed().
            let Some(f) = super::resolve_by_key(COMPARATOR, "reversed", 0) else {
                return Err(unsupported("Collections.reverseOrder(Comparator)"));
            };
            f(Some(arg(a, 0)), &[], h)
        })
    });
    r.add(
        COLLECTIONS,
        "unmodifiableCollection",
        1,
        |_, a, _| match arg(a, 0) {
            Value::Set(_) => Ok(new_set(SetKind::Unmodifiable, iter_items(arg(a, 0))?)),
            other => Ok(unmodifiable_list(iter_items(other)?)),
        },
    );
    r.add(COLLECTIONS, "unmodifiableSortedMap", 1, |_, a, _| {
        let m = map_of(arg(a, 0))?.borrow();
        let mut copy = JMap::copy_of(MapKind::Tree, &m);
        copy.frozen = true;
        Ok(Value::map_from(copy))
    });
    r.add(COLLECTIONS, "unmodifiableNavigableMap", 1, |_, a, _| {
        let m = map_of(arg(a, 0))?.borrow();
        let mut copy = JMap::copy_of(MapKind::Tree, &m);
        copy.frozen = true;
        Ok(Value::map_from(copy))
    });
    r.add(COLLECTIONS, "emptyIterator", 0, |_, _, _| {
        Ok(Iter::value("java.util.ArrayList$Itr", Vec::new(), None))
    });
    r.add(COLLECTIONS, "emptySortedMap", 0, |_, _, _| {
        let mut m = JMap::new(MapKind::Tree);
        m.frozen = true;
        Ok(Value::map_from(m))
    });
    r.add(COLLECTIONS, "emptyNavigableMap", 0, |_, _, _| {
        let mut m = JMap::new(MapKind::Tree);
        m.frozen = true;
        Ok(Value::map_from(m))
    });
    r.add(COLLECTIONS, "shuffle", 1, |_, _, _| {
        Err(unsupported("Collections.shuffle (nondeterministic)"))
    });

    const ARRAYS: &str = "java.util.Arrays";
    r.add(ARRAYS, "deepToString", 1, |_, a, _| {
        Ok(Value::from(deep_to_string(arg(a, 0))))
    });
    r.add(ARRAYS, "deepEquals", 2, |_, a, _| {
        Ok(Value::Boolean(deep_equals(arg(a, 0), arg(a, 1))))
    });
    r.add(ARRAYS, "deepHashCode", 1, |_, a, _| {
        Ok(Value::Int(deep_hash(arg(a, 0))))
    });
    r.add("java.util.Objects", "deepEquals", 2, |_, a, _| {
        Ok(Value::Boolean(deep_equals(arg(a, 0), arg(a, 1))))
    });
    r.add(COLLECTION, "toArray", 1, |t, _, _| {
        let items = iter_items(recv(t)?)?;
        Ok(Value::Array(Rc::new(RefCell::new(
            crate::value::JArray::new("def".into(), items),
        ))))
    });
}

fn sub_list_index(x: &[Value], y: &[Value], last: bool) -> i32 {
    if y.len() > x.len() {
        return -1;
    }
    let matches = |i: usize| y.iter().enumerate().all(|(j, v)| x[i + j].java_equals(v));
    let range = 0..=x.len() - y.len();
    let found = if last {
        range.rev().find(|&i| matches(i))
    } else {
        range.clone().find(|&i| matches(i))
    };
    found.map_or(-1, |i| i as i32)
}

fn binary_search(
    list: &Value,
    key: &Value,
    cmp: &Value,
    h: &mut dyn Host,
) -> Result<Value, Thrown> {
    let items = list_of(list)?.borrow().items.clone();
    let (mut lo, mut hi) = (0i64, items.len() as i64 - 1);
    while lo <= hi {
        let mid = (lo + hi) >> 1;
        match compare_with(cmp, &items[mid as usize], key, h)? {
            Ordering::Less => lo = mid + 1,
            Ordering::Greater => hi = mid - 1,
            Ordering::Equal => return Ok(Value::Int(mid as i32)),
        }
    }
    Ok(Value::Int(-(lo as i32 + 1)))
}

/// `Arrays.deepToString`: nested arrays printed as lists, other elements with `toString`.
fn deep_to_string(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Array(a) => {
            let parts: Vec<String> = a.borrow().items.iter().map(deep_to_string).collect();
            format!("[{}]", parts.join(", "))
        }
        other => other.java_to_string(),
    }
}

fn deep_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.items.len() == y.items.len()
                && x.items.iter().zip(&y.items).all(|(p, q)| deep_equals(p, q))
        }
        _ => a.java_equals(b),
    }
}

fn deep_hash(v: &Value) -> i32 {
    match v {
        Value::Null => 0,
        Value::Array(a) => a
            .borrow()
            .items
            .iter()
            .fold(1i32, |h, e| h.wrapping_mul(31).wrapping_add(deep_hash(e))),
        other => other.java_hash_code(),
    }
}
