//! `org.opensearch.painless.api.Augmentation`: the methods Painless adds to JDK classes
//! (`modules/lang-painless/src/main/java/org/opensearch/painless/api/Augmentation.java`, commit
//! 2e7ca1c9a82b38213fc47ce75b1d51bf2ff9c942). The regex augmentations (`Pattern.matcher`, `split`,
//! `CharSequence.replaceAll/replaceFirst` with a function, `Matcher.namedGroup`) are in
//! [`super::regex`].

use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine;
use sha1::Digest;

use crate::value::{JArray, JMap, MapKind, Value};

use super::collections::java_base64_error;
use super::objects::MapEntry;
use super::util::*;
use super::{HostExt, Registry, Thrown};

const ITERABLE: &str = "java.lang.Iterable";
const COLLECTION: &str = "java.util.Collection";
const LIST: &str = "java.util.List";
const MAP: &str = "java.util.Map";
const STRING: &str = "java.lang.String";

pub(crate) fn register(r: &mut Registry) {
    // List
    r.add(LIST, "getLength", 0, |t, _, _| {
        Ok(Value::Int(list_of(recv(t)?)?.borrow().items.len() as i32))
    });
    r.add(LIST, "getByPath", 1, |t, a, _| {
        get_by_path(recv(t)?, str_arg(a, 0)?, None)
    });
    r.add(LIST, "getByPath", 2, |t, a, _| {
        get_by_path(recv(t)?, str_arg(a, 0)?, Some(arg(a, 1)))
    });
    r.add(MAP, "getByPath", 1, |t, a, _| {
        get_by_path(recv(t)?, str_arg(a, 0)?, None)
    });
    r.add(MAP, "getByPath", 2, |t, a, _| {
        get_by_path(recv(t)?, str_arg(a, 0)?, Some(arg(a, 1)))
    });

    // Iterable
    r.add(ITERABLE, "any", 1, |t, a, h| {
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            if truthy(&h.invoke(arg(a, 0), &[v])?)? {
                return Ok(Value::Boolean(true));
            }
        }
        Ok(Value::Boolean(false))
    });
    r.add(ITERABLE, "every", 1, |t, a, h| {
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            if !truthy(&h.invoke(arg(a, 0), &[v])?)? {
                return Ok(Value::Boolean(false));
            }
        }
        Ok(Value::Boolean(true))
    });
    r.add(ITERABLE, "asCollection", 0, |t, _, _| {
        let v = recv(t)?;
        match v {
            Value::List(_) | Value::Set(_) => Ok(v.clone()),
            other => Ok(new_list(iter_items(other)?)),
        }
    });
    r.add(ITERABLE, "asList", 0, |t, _, _| {
        let v = recv(t)?;
        match v {
            Value::List(_) => Ok(v.clone()),
            other => Ok(new_list(iter_items(other)?)),
        }
    });
    r.add(ITERABLE, "each", 1, |t, a, h| {
        let v = recv(t)?;
        for item in iter_items(v)? {
            h.tick()?;
            h.invoke(arg(a, 0), &[item])?;
        }
        Ok(v.clone())
    });
    r.add(ITERABLE, "eachWithIndex", 1, |t, a, h| {
        let v = recv(t)?;
        for (i, item) in iter_items(v)?.into_iter().enumerate() {
            h.tick()?;
            h.invoke(arg(a, 0), &[item, Value::Int(i as i32)])?;
        }
        Ok(v.clone())
    });
    r.add(ITERABLE, "findResults", 1, |t, a, h| {
        let mut out = Vec::new();
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            let res = h.invoke(arg(a, 0), &[v])?;
            if !res.is_null() {
                out.push(res);
            }
        }
        Ok(new_list(out))
    });
    r.add(ITERABLE, "groupBy", 1, |t, a, h| {
        let mut groups = JMap::new(MapKind::Linked);
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            let key = h.invoke(arg(a, 0), std::slice::from_ref(&v))?;
            match groups.get(&key) {
                Some(Value::List(l)) => l.borrow_mut().items.push(v),
                _ => {
                    groups.insert(key, new_list(vec![v]));
                }
            }
        }
        Ok(Value::map_from(groups))
    });
    r.add(ITERABLE, "join", 1, |t, a, _| {
        let sep = str_arg(a, 0)?;
        // StringBuilder semantics: the separator goes in once something was appended, so
        // empty leading items do not get one.
        let mut out = String::new();
        for v in iter_items(recv(t)?)? {
            if !out.is_empty() {
                out.push_str(sep);
            }
            out.push_str(&v.java_to_string());
        }
        Ok(Value::from(out))
    });
    r.add(ITERABLE, "sum", 0, |t, _, _| {
        let mut sum = 0.0;
        for v in iter_items(recv(t)?)? {
            sum += double_of(&v)?;
        }
        Ok(Value::Double(sum))
    });
    r.add(ITERABLE, "sum", 1, |t, a, h| {
        let mut sum = 0.0;
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            sum += double_of(&h.invoke(arg(a, 0), &[v])?)?;
        }
        Ok(Value::Double(sum))
    });

    // Collection
    r.add(COLLECTION, "collect", 1, |t, a, h| {
        let mut out = Vec::new();
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            out.push(h.invoke(arg(a, 0), &[v])?);
        }
        Ok(new_list(out))
    });
    r.add(COLLECTION, "collect", 2, |t, a, h| {
        let target = arg(a, 0);
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            let nv = h.invoke(arg(a, 1), &[v])?;
            add_to(target, nv)?;
        }
        Ok(target.clone())
    });
    r.add(COLLECTION, "find", 1, |t, a, h| {
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            if truthy(&h.invoke(arg(a, 0), std::slice::from_ref(&v))?)? {
                return Ok(v);
            }
        }
        Ok(Value::Null)
    });
    r.add(COLLECTION, "findAll", 1, |t, a, h| {
        let mut out = Vec::new();
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            if truthy(&h.invoke(arg(a, 0), std::slice::from_ref(&v))?)? {
                out.push(v);
            }
        }
        Ok(new_list(out))
    });
    r.add(COLLECTION, "findResult", 1, |t, a, h| {
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            let res = h.invoke(arg(a, 0), &[v])?;
            if !res.is_null() {
                return Ok(res);
            }
        }
        Ok(Value::Null)
    });
    r.add(COLLECTION, "findResult", 2, |t, a, h| {
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            let res = h.invoke(arg(a, 1), &[v])?;
            if !res.is_null() {
                return Ok(res);
            }
        }
        Ok(arg(a, 0).clone())
    });
    r.add(COLLECTION, "split", 1, |t, a, h| {
        let (mut yes, mut no) = (Vec::new(), Vec::new());
        for v in iter_items(recv(t)?)? {
            h.tick()?;
            if truthy(&h.invoke(arg(a, 0), std::slice::from_ref(&v))?)? {
                yes.push(v);
            } else {
                no.push(v);
            }
        }
        Ok(new_list(vec![new_list(yes), new_list(no)]))
    });

    // Map
    r.add(MAP, "collect", 1, |t, a, h| {
        let mut out = Vec::new();
        for (k, v) in pairs(t)? {
            h.tick()?;
            out.push(h.invoke(arg(a, 0), &[k, v])?);
        }
        Ok(new_list(out))
    });
    r.add(MAP, "collect", 2, |t, a, h| {
        let target = arg(a, 0);
        for (k, v) in pairs(t)? {
            h.tick()?;
            let nv = h.invoke(arg(a, 1), &[k, v])?;
            add_to(target, nv)?;
        }
        Ok(target.clone())
    });
    r.add(MAP, "count", 1, |t, a, h| {
        let mut n = 0;
        for (k, v) in pairs(t)? {
            h.tick()?;
            if truthy(&h.invoke(arg(a, 0), &[k, v])?)? {
                n += 1;
            }
        }
        Ok(Value::Int(n))
    });
    r.add(MAP, "each", 1, |t, a, h| {
        for (k, v) in pairs(t)? {
            h.tick()?;
            h.invoke(arg(a, 0), &[k, v])?;
        }
        Ok(recv(t)?.clone())
    });
    r.add(MAP, "every", 1, |t, a, h| {
        for (k, v) in pairs(t)? {
            h.tick()?;
            if !truthy(&h.invoke(arg(a, 0), &[k, v])?)? {
                return Ok(Value::Boolean(false));
            }
        }
        Ok(Value::Boolean(true))
    });
    r.add(MAP, "find", 1, |t, a, h| {
        let m = map_of(recv(t)?)?.clone();
        for (k, v) in pairs(t)? {
            h.tick()?;
            if truthy(&h.invoke(arg(a, 0), &[k.clone(), v.clone()])?)? {
                return Ok(MapEntry::value_of(k, v, Some(m)));
            }
        }
        Ok(Value::Null)
    });
    r.add(MAP, "findAll", 1, |t, a, h| {
        let kind = same_kind(t)?;
        let mut out = JMap::new(kind);
        for (k, v) in pairs(t)? {
            h.tick()?;
            if truthy(&h.invoke(arg(a, 0), &[k.clone(), v.clone()])?)? {
                out.insert(k, v);
            }
        }
        Ok(Value::map_from(out))
    });
    r.add(MAP, "findResult", 1, |t, a, h| {
        for (k, v) in pairs(t)? {
            h.tick()?;
            let res = h.invoke(arg(a, 0), &[k, v])?;
            if !res.is_null() {
                return Ok(res);
            }
        }
        Ok(Value::Null)
    });
    r.add(MAP, "findResult", 2, |t, a, h| {
        for (k, v) in pairs(t)? {
            h.tick()?;
            let res = h.invoke(arg(a, 1), &[k, v])?;
            if !res.is_null() {
                return Ok(res);
            }
        }
        Ok(arg(a, 0).clone())
    });
    r.add(MAP, "findResults", 1, |t, a, h| {
        let mut out = Vec::new();
        for (k, v) in pairs(t)? {
            h.tick()?;
            let res = h.invoke(arg(a, 0), &[k, v])?;
            if !res.is_null() {
                out.push(res);
            }
        }
        Ok(new_list(out))
    });
    r.add(MAP, "groupBy", 1, |t, a, h| {
        let kind = same_kind(t)?;
        let mut groups = JMap::new(MapKind::Linked);
        for (k, v) in pairs(t)? {
            h.tick()?;
            let g = h.invoke(arg(a, 0), &[k.clone(), v.clone()])?;
            match groups.get(&g) {
                Some(Value::Map(m)) => {
                    m.borrow_mut().insert(k, v);
                }
                _ => {
                    let mut m = JMap::new(kind);
                    m.insert(k, v);
                    groups.insert(g, Value::map_from(m));
                }
            }
        }
        Ok(Value::map_from(groups))
    });

    // String
    r.add(STRING, "encodeBase64", 0, |t, _, _| {
        Ok(Value::from(
            base64::engine::general_purpose::STANDARD.encode(this_str(t)?.as_bytes()),
        ))
    });
    r.add(STRING, "decodeBase64", 0, |t, _, _| {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(this_str(t)?.as_bytes())
            .map_err(|e| exc("IllegalArgumentException", java_base64_error(&e)))?;
        // `new String(bytes, UTF_8)` replaces malformed input with U+FFFD.
        Ok(Value::from(String::from_utf8_lossy(&bytes).into_owned()))
    });
    r.add(STRING, "splitOnToken", 1, |t, a, _| {
        split_on_token(recv(t)?, arg(a, 0), -1)
    });
    r.add(STRING, "splitOnToken", 2, |t, a, _| {
        split_on_token(recv(t)?, arg(a, 0), int_arg(a, 1)?)
    });
    // org.opensearch.ingest.txt: MessageDigests.toHexString of the UTF-8 bytes.
    r.add(STRING, "sha1", 0, |t, _, _| {
        Ok(Value::from(hex(&sha1::Sha1::digest(
            this_str(t)?.as_bytes(),
        ))))
    });
    r.add(STRING, "sha256", 0, |t, _, _| {
        Ok(Value::from(hex(&sha2::Sha256::digest(
            this_str(t)?.as_bytes(),
        ))))
    });
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn pairs(t: Option<&Value>) -> Result<Vec<(Value, Value)>, Thrown> {
    Ok(map_of(recv(t)?)?.borrow().iter().collect())
}

/// `receiver instanceof TreeMap ? new TreeMap<>() : new LinkedHashMap<>()`.
fn same_kind(t: Option<&Value>) -> Result<MapKind, Thrown> {
    Ok(if map_of(recv(t)?)?.borrow().kind() == MapKind::Tree {
        MapKind::Tree
    } else {
        MapKind::Linked
    })
}

fn add_to(target: &Value, v: Value) -> Result<(), Thrown> {
    match target {
        Value::List(l) => {
            let mut l = l.borrow_mut();
            if !l.is_mutable() {
                return Err(immutable(l.frozen));
            }
            l.items.push(v);
        }
        Value::Set(s) => {
            let mut s = s.borrow_mut();
            if !s.is_mutable() {
                return Err(immutable(s.frozen));
            }
            s.insert(v);
        }
        Value::Null => return Err(npe()),
        other => return Err(cce(other, COLLECTION)),
    }
    Ok(())
}

/// `Augmentation.splitOnToken(receiver, token, limit)`.
fn split_on_token(receiver: &Value, token: &Value, limit: i32) -> Result<Value, Thrown> {
    let array = |items: Vec<Value>| {
        Value::Array(Rc::new(RefCell::new(JArray::new("String".into(), items))))
    };
    let s = match receiver {
        Value::String(s) => s.clone(),
        other => return Err(cce(other, STRING)),
    };
    let tok = match token {
        Value::String(t) => t.clone(),
        Value::Null => return Ok(array(vec![receiver.clone()])),
        other => return Err(cce(other, STRING)),
    };
    let (len, tlen) = (len16(&s), len16(&tok));
    if len == 0 || tlen == 0 || len < tlen {
        return Ok(array(vec![receiver.clone()]));
    }
    let mut out = Vec::new();
    let mut pos: i32 = 0;
    let mut limit = limit;
    while limit != 1 {
        let idx = index_of16(&s, &tok, pos);
        if idx == -1 {
            break;
        }
        out.push(Value::from(substring16(&s, pos, idx)?));
        pos = idx + tlen as i32;
        limit = limit.wrapping_sub(1);
    }
    out.push(Value::from(substring16(&s, pos, len as i32)?));
    Ok(array(out))
}

/// `Augmentation.getByPath`: dotted path into nested maps (string keys) and lists (int
/// indices), with upstream's messages.
fn get_by_path(receiver: &Value, path: &str, default: Option<&Value>) -> Result<Value, Thrown> {
    if path.is_empty() {
        return Err(exc("IllegalArgumentException", "Missing path"));
    }
    if path.ends_with('.') {
        return Err(exc(
            "IllegalArgumentException",
            format!("Trailing '.' in path [{path}]"),
        ));
    }
    let elements: Vec<&str> = path.split('.').collect();
    let joined = elements.join(".");
    let missing = |obj: &Value, i: usize| -> Result<Value, Thrown> {
        if matches!(obj, Value::List(_) | Value::Map(_)) {
            if elements.len() - 1 == i {
                return match default {
                    Some(d) => Ok(d.clone()),
                    None => Err(exc(
                        "IllegalArgumentException",
                        format!("Could not find value at path [{path}]"),
                    )),
                };
            }
            return Err(exc(
                "IllegalArgumentException",
                format!(
                    "Container does not have [{}], for non-terminal index [{i}] in path [{joined}]",
                    elements[i]
                ),
            ));
        }
        Err(exc(
            "IllegalArgumentException",
            format!(
                "Non-container [{}] at [{}], index [{i}] in path [{joined}]",
                class_of(obj),
                elements[i]
            ),
        ))
    };
    let mut obj = receiver.clone();
    for (i, element) in elements.iter().enumerate() {
        if element.is_empty() {
            return Err(exc(
                "IllegalArgumentException",
                format!("Extra '.' in path [{joined}] at index [{i}]"),
            ));
        }
        let next = match &obj {
            Value::Map(m) => {
                let key = Value::from(*element);
                let m = m.borrow();
                if m.contains_key(&key) {
                    m.get(&key).cloned()
                } else {
                    None
                }
            }
            Value::List(l) => {
                let index = super::lang::parse_integer(Some(element), 10, i32::MIN.into(), i32::MAX.into()).map_err(|_| {
                    exc(
                        "IllegalArgumentException",
                        format!("Could not parse [{element}] as a int index into list at path [{joined}] and index [{i}]"),
                    )
                })? as i32;
                let l = l.borrow();
                // Upstream checks `list.size() >= index` and then calls `list.get(index)`.
                if l.items.len() as i64 >= i64::from(index) {
                    if index < 0 || index as usize >= l.items.len() {
                        return Err(exc(
                            "IndexOutOfBoundsException",
                            format!("Index {index} out of bounds for length {}", l.items.len()),
                        ));
                    }
                    Some(l.items[index as usize].clone())
                } else {
                    None
                }
            }
            _ => None,
        };
        match next {
            Some(v) => obj = v,
            None => return missing(&obj, i),
        }
    }
    Ok(obj)
}
