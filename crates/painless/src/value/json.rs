//! JSON in and out, as OpenSearch's XContent (Jackson) reads and writes documents.
//!
//! Reading (`XContentParser.map()`): objects become `HashMap`s, arrays `ArrayList`s, integers an
//! `Integer` when they fit in 32 bits, else a `Long`; other numbers a `Double`. A repeated key is
//! an error, as with OpenSearch's strict duplicate detection ("Duplicate field 'x'").
//! Integers beyond 64 bits (a `BigInteger` in Java) are read as `Double` here.
//!
//! Writing (`XContentBuilder`): numbers with Java's `toString` (`1.0E10`, a `Float` as `1.1`),
//! `char` as a one-character string, NaN and infinities quoted, maps in Java iteration order.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::{java_double_to_string, java_float_to_string, JList, JMap, ListKind, MapKind, Value};

#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    #[error("{0}")]
    Parse(String),
    /// A collection that contains itself, or nests deeper than [`super::MAX_NESTING`]
    /// (`CollectionUtils.ensureNoSelfReferences` in XContentBuilder).
    #[error("Iterable object is self-referencing itself")]
    SelfReferencing,
    /// A value JSON cannot hold (an object of another class).
    #[error("cannot write xcontent for unknown value of type class {0}")]
    Unwritable(String),
}

/// Parses JSON text into a [`Value`].
pub fn parse_json(text: &str) -> Result<Value, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed
        .deserialize(&mut de)
        .map_err(|e| JsonError::Parse(e.to_string()))?;
    de.end().map_err(|e| JsonError::Parse(e.to_string()))?;
    Ok(value)
}

/// Converts a `serde_json::Value` (already parsed) into a [`Value`], with the same typing as
/// [`parse_json`].
pub fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Boolean(*b),
        serde_json::Value::Number(n) => number(n),
        serde_json::Value::String(s) => Value::string(s.as_str()),
        serde_json::Value::Array(items) => Value::List(Rc::new(RefCell::new(JList::from_vec(
            ListKind::ArrayList,
            items.iter().map(from_json).collect(),
        )))),
        serde_json::Value::Object(fields) => {
            let mut map = JMap::new(MapKind::Hash);
            for (k, v) in fields {
                map.insert_str(k, from_json(v));
            }
            Value::map_from(map)
        }
    }
}

fn number(n: &serde_json::Number) -> Value {
    if let Some(i) = n.as_i64() {
        match i32::try_from(i) {
            Ok(small) => Value::Int(small),
            Err(_) => Value::Long(i),
        }
    } else {
        Value::Double(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Converts a [`Value`] into a `serde_json::Value`, as Jackson would write it (a `Float` becomes
/// the double its decimal string denotes, so `1.1f` is `1.1`).
pub fn to_json(value: &Value) -> Result<serde_json::Value, JsonError> {
    let _nesting = nesting(value)?;
    Ok(match value {
        Value::Null => serde_json::Value::Null,
        Value::Boolean(b) => serde_json::Value::Bool(*b),
        Value::Byte(v) => (*v).into(),
        Value::Short(v) => (*v).into(),
        Value::Int(v) => (*v).into(),
        Value::Long(v) => (*v).into(),
        Value::Char(c) => serde_json::Value::String(String::from_utf16_lossy(&[*c])),
        Value::Float(v) => float_json(java_float_to_string(*v), f64::from(*v)),
        Value::Double(v) => float_json(java_double_to_string(*v), *v),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::List(l) => serde_json::Value::Array(
            l.borrow()
                .items
                .iter()
                .map(to_json)
                .collect::<Result<_, _>>()?,
        ),
        Value::Set(s) => serde_json::Value::Array(
            s.borrow()
                .iter()
                .map(|v| to_json(&v))
                .collect::<Result<_, _>>()?,
        ),
        Value::Array(a) => serde_json::Value::Array(
            a.borrow()
                .items
                .iter()
                .map(to_json)
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => {
            let mut object = serde_json::Map::new();
            for (k, v) in m.borrow().iter() {
                object.insert(k.java_to_string(), to_json(&v)?);
            }
            serde_json::Value::Object(object)
        }
        Value::Object(o) => match o.to_document_value() {
            Some(v) => to_json(&v)?,
            None => return Err(JsonError::Unwritable(o.class_name().to_string())),
        },
    })
}

/// A level of nesting for a collection; a collection that contains itself is XContent's error.
fn nesting(value: &Value) -> Result<Option<super::Nesting>, JsonError> {
    match value {
        Value::List(_) | Value::Map(_) | Value::Set(_) | Value::Array(_) => {
            if super::Nesting::depth() >= super::MAX_NESTING {
                return Err(JsonError::SelfReferencing);
            }
            Ok(Some(super::Nesting::enter()))
        }
        _ => Ok(None),
    }
}

fn float_json(text: String, v: f64) -> serde_json::Value {
    if !v.is_finite() {
        return serde_json::Value::String(text);
    }
    let parsed: f64 = text.parse().unwrap_or(v);
    serde_json::Number::from_f64(parsed).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// Writes a [`Value`] as JSON text, as Jackson does (Java number formatting, map iteration order).
pub fn write_json(value: &Value, out: &mut String) -> Result<(), JsonError> {
    let _nesting = nesting(value)?;
    match value {
        Value::Null => out.push_str("null"),
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Byte(v) => out.push_str(&v.to_string()),
        Value::Short(v) => out.push_str(&v.to_string()),
        Value::Int(v) => out.push_str(&v.to_string()),
        Value::Long(v) => out.push_str(&v.to_string()),
        Value::Char(c) => write_string(&String::from_utf16_lossy(&[*c]), out),
        Value::Float(v) => write_number(java_float_to_string(*v), v.is_finite(), out),
        Value::Double(v) => write_number(java_double_to_string(*v), v.is_finite(), out),
        Value::String(s) => write_string(s, out),
        Value::List(l) => write_items(l.borrow().items.iter().cloned(), out)?,
        Value::Set(s) => write_items(s.borrow().iter(), out)?,
        Value::Array(a) => write_items(a.borrow().items.iter().cloned(), out)?,
        Value::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(&k.java_to_string(), out);
                out.push(':');
                write_json(&v, out)?;
            }
            out.push('}');
        }
        Value::Object(o) => match o.to_document_value() {
            Some(v) => write_json(&v, out)?,
            None => return Err(JsonError::Unwritable(o.class_name().to_string())),
        },
    }
    Ok(())
}

fn write_items(items: impl Iterator<Item = Value>, out: &mut String) -> Result<(), JsonError> {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_json(&item, out)?;
    }
    out.push(']');
    Ok(())
}

fn write_number(text: String, finite: bool, out: &mut String) {
    if finite {
        out.push_str(&text);
    } else {
        write_string(&text, out);
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push_str(&serde_json::to_string(s).expect("a string serialises"));
}

struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Boolean(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(i32::try_from(v).map_or(Value::Long(v), Value::Int))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(v) => i32::try_from(v).map_or(Value::Long(v), Value::Int),
            Err(_) => Value::Double(v as f64),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Double(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::string(v))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::string(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ValueSeed)? {
            items.push(item);
        }
        Ok(Value::List(Rc::new(RefCell::new(JList::from_vec(
            ListKind::ArrayList,
            items,
        )))))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = JMap::new(MapKind::Hash);
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(ValueSeed)?;
            if map.insert_str(&key, value).is_some() {
                return Err(de::Error::custom(format!("Duplicate field '{key}'")));
            }
        }
        Ok(Value::map_from(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_jacksons_types() {
        let v =
            parse_json(r#"{"a": 1, "b": 3000000000, "c": 1.5, "d": [true, null, "x"]}"#).unwrap();
        let Value::Map(m) = &v else { panic!() };
        let m = m.borrow();
        assert!(matches!(m.get_str("a"), Some(Value::Int(1))));
        assert!(matches!(m.get_str("b"), Some(Value::Long(3_000_000_000))));
        assert!(matches!(m.get_str("c"), Some(Value::Double(_))));
    }

    #[test]
    fn a_list_that_contains_itself_is_refused_not_a_crash() {
        let list = Value::new_list();
        if let Value::List(l) = &list {
            l.borrow_mut().items.push(list.clone());
        }
        // Java's AbstractCollection.toString marks the collection itself.
        assert_eq!(list.java_to_string(), "[(this Collection)]");
        // XContent refuses it; Java's hashCode overflows the stack: here a panic, not an abort.
        assert!(matches!(to_json(&list), Err(JsonError::SelfReferencing)));
        let mut out = String::new();
        assert!(matches!(
            write_json(&list, &mut out),
            Err(JsonError::SelfReferencing)
        ));
        let hashed =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| list.java_hash_code()));
        assert!(hashed.is_err());
        assert_eq!(super::super::Nesting::depth(), 0, "the guards unwound");
        if let Value::List(l) = &list {
            l.borrow_mut().items.clear();
        }
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let err = parse_json(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert!(err.to_string().contains("Duplicate field 'a'"), "{err}");
    }

    #[test]
    fn writes_java_numbers() {
        let mut out = String::new();
        write_json(
            &Value::list_from(vec![
                Value::Float(1.1),
                Value::Double(1e10),
                Value::Char(65),
            ]),
            &mut out,
        )
        .unwrap();
        assert_eq!(out, r#"[1.1,1.0E10,"A"]"#);
        let json = to_json(&Value::Float(1.1)).unwrap();
        assert_eq!(json.to_string(), "1.1");
    }
}
