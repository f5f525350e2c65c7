//! `java.lang`: `Object`, `String`/`CharSequence`, the boxes, `Math`, `Character`,
//! `StringBuilder`, `System`. Semantics and messages as the JDK 21 classes of the same names.

use std::cmp::Ordering;
use std::rc::Rc;

use crate::value::map::java_double_compare;
use crate::value::{double_bits, float_bits, JArray, JavaObject, Value};

use super::objects::StringBuilder;
use super::util::*;
use super::Registry;

const STRING: &str = "java.lang.String";
const CHARSEQ: &str = "java.lang.CharSequence";
const OBJECT: &str = "java.lang.Object";

pub(crate) fn register(r: &mut Registry) {
    // java.lang.Object
    r.add(OBJECT, "equals", 1, |t, a, _| {
        Ok(Value::Boolean(recv(t)?.java_equals(arg(a, 0))))
    });
    r.add(OBJECT, "hashCode", 0, |t, _, _| {
        Ok(Value::Int(recv(t)?.java_hash_code()))
    });
    r.add(OBJECT, "toString", 0, |t, _, _| {
        Ok(Value::from(recv(t)?.java_to_string()))
    });
    r.add("java.lang.Comparable", "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_to(recv(t)?, arg(a, 0))?))
    });

    // CharSequence
    r.add(CHARSEQ, "charAt", 1, |t, a, _| char_at(t, a));
    r.add(CHARSEQ, "length", 0, |t, _, _| {
        Ok(Value::Int(len16(&seq(t)?) as i32))
    });
    r.add(CHARSEQ, "toString", 0, |t, _, _| Ok(Value::from(seq(t)?)));
    r.add(CHARSEQ, "subSequence", 2, |t, a, _| {
        Ok(Value::from(substring16(
            &seq(t)?,
            int_arg(a, 0)?,
            int_arg(a, 1)?,
        )?))
    });

    // String
    r.add(STRING, "<init>", 0, |_, _, _| Ok(Value::string("")));
    r.add(STRING, "valueOf", 1, |_, a, _| {
        Ok(Value::from(value_of(arg(a, 0))))
    });
    r.add(STRING, "isEmpty", 0, |t, _, _| {
        Ok(Value::Boolean(this_str(t)?.is_empty()))
    });
    r.add(STRING, "substring", 1, |t, a, _| {
        let s = this_str(t)?;
        let b = int_arg(a, 0)?;
        let len = len16(s) as i32;
        if b < 0 || b > len {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("begin {b}, end {len}, length {len}"),
            ));
        }
        Ok(Value::from(substring16(s, b, len)?))
    });
    r.add(STRING, "substring", 2, |t, a, _| {
        Ok(Value::from(substring16(
            this_str(t)?,
            int_arg(a, 0)?,
            int_arg(a, 1)?,
        )?))
    });
    r.add(STRING, "indexOf", 1, |t, a, _| {
        Ok(Value::Int(index_of16(this_str(t)?, str_arg(a, 0)?, 0)))
    });
    r.add(STRING, "indexOf", 2, |t, a, _| {
        Ok(Value::Int(index_of16(
            this_str(t)?,
            str_arg(a, 0)?,
            int_arg(a, 1)?,
        )))
    });
    r.add(STRING, "lastIndexOf", 1, |t, a, _| {
        let s = this_str(t)?;
        Ok(Value::Int(last_index_of16(
            s,
            str_arg(a, 0)?,
            len16(s) as i32,
        )))
    });
    r.add(STRING, "lastIndexOf", 2, |t, a, _| {
        Ok(Value::Int(last_index_of16(
            this_str(t)?,
            str_arg(a, 0)?,
            int_arg(a, 1)?,
        )))
    });
    r.add(STRING, "startsWith", 1, |t, a, _| {
        Ok(Value::Boolean(this_str(t)?.starts_with(str_arg(a, 0)?)))
    });
    r.add(STRING, "startsWith", 2, |t, a, _| {
        let s = to16(this_str(t)?);
        let p = to16(str_arg(a, 0)?);
        let off = int_arg(a, 1)?;
        Ok(Value::Boolean(
            off >= 0
                && (off as usize) <= s.len()
                && s.len() - off as usize >= p.len()
                && s[off as usize..off as usize + p.len()] == p[..],
        ))
    });
    r.add(STRING, "endsWith", 1, |t, a, _| {
        Ok(Value::Boolean(this_str(t)?.ends_with(str_arg(a, 0)?)))
    });
    r.add(STRING, "contains", 1, |t, a, _| {
        Ok(Value::Boolean(
            this_str(t)?.contains(chars_arg(a, 0)?.as_str()),
        ))
    });
    r.add(STRING, "contentEquals", 1, |t, a, _| {
        Ok(Value::Boolean(this_str(t)? == chars_arg(a, 0)?.as_str()))
    });
    r.add(STRING, "concat", 1, |t, a, _| {
        Ok(Value::from(format!("{}{}", this_str(t)?, str_arg(a, 0)?)))
    });
    r.add(STRING, "equalsIgnoreCase", 1, |t, a, _| {
        let s = this_str(t)?;
        Ok(Value::Boolean(match arg(a, 0) {
            Value::String(o) => equals_ignore_case(s, o),
            _ => false,
        }))
    });
    r.add(STRING, "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_strings(this_str(t)?, str_arg(a, 0)?)))
    });
    r.add(STRING, "compareToIgnoreCase", 1, |t, a, _| {
        let x: Vec<u16> = to16(this_str(t)?).into_iter().map(fold_case_unit).collect();
        let y: Vec<u16> = to16(str_arg(a, 0)?)
            .into_iter()
            .map(fold_case_unit)
            .collect();
        Ok(Value::Int(compare_units(&x, &y)))
    });
    r.add(STRING, "toLowerCase", 0, |t, _, _| {
        Ok(Value::from(this_str(t)?.to_lowercase()))
    });
    r.add(STRING, "toUpperCase", 0, |t, _, _| {
        Ok(Value::from(this_str(t)?.to_uppercase()))
    });
    r.add(STRING, "toLowerCase", 1, |t, _, _| {
        Ok(Value::from(this_str(t)?.to_lowercase()))
    });
    r.add(STRING, "toUpperCase", 1, |t, _, _| {
        Ok(Value::from(this_str(t)?.to_uppercase()))
    });
    r.add(STRING, "trim", 0, |t, _, _| {
        let s = this_str(t)?;
        let trimmed = java_trim(s);
        if trimmed.len() == s.len() {
            return Ok(recv(t)?.clone());
        }
        Ok(Value::from(trimmed))
    });
    r.add(STRING, "replace", 2, |t, a, _| {
        let s = this_str(t)?;
        let from = chars_arg(a, 0)?;
        let to = chars_arg(a, 1)?;
        Ok(Value::from(replace_literal(s, &from, &to)))
    });
    r.add(STRING, "toCharArray", 0, |t, _, _| {
        let items = to16(this_str(t)?).into_iter().map(Value::Char).collect();
        Ok(Value::Array(Rc::new(std::cell::RefCell::new(JArray::new(
            "char".into(),
            items,
        )))))
    });
    r.add(STRING, "codePointAt", 1, |t, a, _| {
        let s = to16(this_str(t)?);
        let i = int_arg(a, 0)?;
        if i < 0 || i as usize >= s.len() {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("Index {i} out of bounds for length {}", s.len()),
            ));
        }
        Ok(Value::Int(code_point_at(&s, i as usize)))
    });
    r.add(STRING, "codePointCount", 2, |t, a, _| {
        let s = to16(this_str(t)?);
        let (b, e) = (int_arg(a, 0)?, int_arg(a, 1)?);
        if b < 0 || b > e || e as usize > s.len() {
            return Err(exc_bare("IndexOutOfBoundsException"));
        }
        Ok(Value::Int(
            String::from_utf16_lossy(&s[b as usize..e as usize])
                .chars()
                .count() as i32,
        ))
    });
    r.add(STRING, "join", 2, |_, a, _| {
        let sep = chars_arg(a, 0)?;
        let items = iter_items(arg(a, 1))?;
        let parts: Vec<String> = items.iter().map(Value::java_to_string).collect();
        Ok(Value::from(parts.join(&sep)))
    });
    r.add(STRING, "regionMatches", 4, |t, a, _| {
        region_matches(
            this_str(t)?,
            false,
            int_arg(a, 0)?,
            str_arg(a, 1)?,
            int_arg(a, 2)?,
            int_arg(a, 3)?,
        )
    });
    r.add(STRING, "regionMatches", 5, |t, a, _| {
        region_matches(
            this_str(t)?,
            bool_arg(a, 0)?,
            int_arg(a, 1)?,
            str_arg(a, 2)?,
            int_arg(a, 3)?,
            int_arg(a, 4)?,
        )
    });
    r.add(STRING, "format", 2, |_, a, _| {
        Ok(Value::from(super::format::format(
            str_arg(a, 0)?,
            &varargs(arg(a, 1))?,
        )?))
    });
    r.add(STRING, "format", 3, |_, a, _| {
        if !arg(a, 0).is_null() {
            let tag = arg(a, 0).java_to_string();
            if !(tag.is_empty() || tag.starts_with("en")) {
                return Err(unsupported(format!("String.format with the locale {tag}")));
            }
        }
        Ok(Value::from(super::format::format(
            str_arg(a, 1)?,
            &varargs(arg(a, 2))?,
        )?))
    });
    r.add(STRING, "copyValueOf", 1, |_, a, _| {
        Ok(Value::from(chars_of_array(arg(a, 0))?))
    });

    register_boxes(r);
    register_math(r);
    register_character(r);
    register_string_builder(r);
    register_more(r);
    r.add("java.lang.System", "currentTimeMillis", 0, |_, _, _| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Ok(Value::Long(now))
    });
    r.add("java.lang.System", "nanoTime", 0, |_, _, _| {
        use std::sync::OnceLock;
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        let start = START.get_or_init(std::time::Instant::now);
        Ok(Value::Long(start.elapsed().as_nanos() as i64))
    });
}

/// A `def[]` varargs argument (a `null` array is no arguments).
fn varargs(v: &Value) -> Result<Vec<Value>, Thrown> {
    match v {
        Value::Array(a) => Ok(a.borrow().items.clone()),
        Value::Null => Ok(Vec::new()),
        other => Ok(vec![other.clone()]),
    }
}

/// The characters of a `CharSequence` receiver.
fn seq(t: Option<&Value>) -> Result<String, Thrown> {
    match recv(t)? {
        Value::String(s) => Ok(s.to_string()),
        Value::Object(o) if o.as_any().is::<StringBuilder>() => Ok(o.java_to_string()),
        other => Err(cce(other, "java.lang.CharSequence")),
    }
}

use super::Thrown;

fn char_at(t: Option<&Value>, a: &[Value]) -> R {
    let s = seq(t)?;
    let i = int_arg(a, 0)?;
    let len = len16(&s);
    if i < 0 || i as usize >= len {
        // JDK 21 `StringIndexOutOfBoundsException: Index 5 out of bounds for length 3`
        // (`String.checkIndex`); StringBuilder says "index 5,length 3".
        let msg = if matches!(recv(t)?, Value::String(_)) {
            format!("Index {i} out of bounds for length {len}")
        } else {
            format!("index {i},length {len}")
        };
        return Err(exc("StringIndexOutOfBoundsException", msg));
    }
    if s.is_ascii() {
        return Ok(Value::Char(u16::from(s.as_bytes()[i as usize])));
    }
    Ok(Value::Char(to16(&s)[i as usize]))
}

/// `String.valueOf(Object)` (and of a `char[]`: its characters).
fn value_of(v: &Value) -> String {
    if let Value::Array(a) = v {
        if &*a.borrow().element_type == "char" {
            if let Ok(s) = chars_of_array(v) {
                return s;
            }
        }
    }
    v.java_to_string()
}

fn chars_of_array(v: &Value) -> Result<String, Thrown> {
    match v {
        Value::Array(a) => {
            let units: Result<Vec<u16>, Thrown> = a
                .borrow()
                .items
                .iter()
                .map(|c| match c {
                    Value::Char(c) => Ok(*c),
                    other => Err(cce(other, "char")),
                })
                .collect();
            Ok(from16(&units?))
        }
        Value::Null => Err(npe()),
        other => Err(cce(other, "char[]")),
    }
}

fn code_point_at(s: &[u16], i: usize) -> i32 {
    let hi = s[i];
    if (0xD800..0xDC00).contains(&hi) && i + 1 < s.len() && (0xDC00..0xE000).contains(&s[i + 1]) {
        return 0x10000 + ((i32::from(hi) - 0xD800) << 10) + (i32::from(s[i + 1]) - 0xDC00);
    }
    i32::from(hi)
}

/// `String.compareTo`: by UTF-16 code unit, then by length.
pub(crate) fn compare_strings(a: &str, b: &str) -> i32 {
    compare_units(&to16(a), &to16(b))
}

fn compare_units(a: &[u16], b: &[u16]) -> i32 {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return i32::from(*x) - i32::from(*y);
        }
    }
    a.len() as i32 - b.len() as i32
}

/// `Character.toLowerCase(Character.toUpperCase(c))` on a code unit, as
/// `String.CASE_INSENSITIVE_ORDER` compares.
fn fold_case_unit(u: u16) -> u16 {
    let upper = char::from_u32(u32::from(u))
        .map(|c| {
            let mut up = c.to_uppercase();
            if up.len() == 1 {
                up.next().unwrap_or(c)
            } else {
                c
            }
        })
        .unwrap_or('\u{0}');
    let lower = {
        let mut lo = upper.to_lowercase();
        if lo.len() == 1 {
            lo.next().unwrap_or(upper)
        } else {
            upper
        }
    };
    if char::from_u32(u32::from(u)).is_none() {
        return u;
    }
    let mut buf = [0u16; 2];
    let enc = lower.encode_utf16(&mut buf);
    if enc.len() == 1 {
        enc[0]
    } else {
        u
    }
}

fn equals_ignore_case(a: &str, b: &str) -> bool {
    let (x, y) = (to16(a), to16(b));
    x.len() == y.len()
        && x.iter()
            .zip(&y)
            .all(|(p, q)| p == q || fold_case_unit(*p) == fold_case_unit(*q))
}

fn region_matches(s: &str, ignore_case: bool, toff: i32, other: &str, ooff: i32, len: i32) -> R {
    let (x, y) = (to16(s), to16(other));
    if toff < 0
        || ooff < 0
        || i64::from(toff) > x.len() as i64 - i64::from(len)
        || i64::from(ooff) > y.len() as i64 - i64::from(len)
    {
        return Ok(Value::Boolean(false));
    }
    if len <= 0 {
        return Ok(Value::Boolean(true));
    }
    let (toff, ooff, len) = (toff as usize, ooff as usize, len as usize);
    Ok(Value::Boolean((0..len).all(|i| {
        let (p, q) = (x[toff + i], y[ooff + i]);
        p == q || (ignore_case && fold_case_unit(p) == fold_case_unit(q))
    })))
}

/// `String.replace(CharSequence, CharSequence)`: every occurrence, left to right; an empty
/// target inserts the replacement before every char and at the end.
fn replace_literal(s: &str, from: &str, to: &str) -> String {
    if from.is_empty() {
        let mut out = String::new();
        out.push_str(to);
        for c in s.chars() {
            out.push(c);
            out.push_str(to);
        }
        return out;
    }
    s.replace(from, to)
}

/// `Comparable.compareTo` between two values of the same class.
pub(crate) fn compare_to(a: &Value, b: &Value) -> Result<i32, Thrown> {
    Ok(match (a, b) {
        (_, Value::Null) => return Err(npe()),
        (Value::String(x), Value::String(y)) => compare_strings(x, y),
        (Value::Int(x), Value::Int(y)) => ord(x.cmp(y)),
        (Value::Long(x), Value::Long(y)) => ord(x.cmp(y)),
        (Value::Short(x), Value::Short(y)) => i32::from(*x) - i32::from(*y),
        (Value::Byte(x), Value::Byte(y)) => i32::from(*x) - i32::from(*y),
        (Value::Char(x), Value::Char(y)) => i32::from(*x) - i32::from(*y),
        (Value::Boolean(x), Value::Boolean(y)) => ord(x.cmp(y)),
        (Value::Double(x), Value::Double(y)) => ord(java_double_compare(*x, *y)),
        (Value::Float(x), Value::Float(y)) => {
            ord(java_double_compare(f64::from(*x), f64::from(*y)))
        }
        (Value::Object(x), Value::Object(_)) => match super::time::compare(a, b) {
            Some(o) => ord(o),
            None => {
                return Err(exc(
                    "ClassCastException",
                    format!("{} cannot be compared", x.class_name()),
                ))
            }
        },
        _ => {
            return Err(exc(
                "ClassCastException",
                format!(
                    "class {} cannot be cast to class {}",
                    class_of(b),
                    class_of(a)
                ),
            ))
        }
    })
}

fn ord(o: Ordering) -> i32 {
    match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

// ---------------------------------------------------------------------------------------------
// Boxes

/// Java's `Integer.parseInt(s, radix)` / `Long.parseLong`: an optional sign, then digits of the
/// radix; anything else is `NumberFormatException: For input string: "s"` (JDK 21 adds
/// ` under radix N` when the radix is not 10).
pub(crate) fn parse_integer(
    s: Option<&str>,
    radix: u32,
    min: i64,
    max: i64,
) -> Result<i64, Thrown> {
    let Some(s) = s else {
        return Err(exc(
            "NumberFormatException",
            "Cannot parse null string: null",
        ));
    };
    let fail = || {
        let suffix = if radix == 10 {
            String::new()
        } else {
            format!(" under radix {radix}")
        };
        exc(
            "NumberFormatException",
            format!("For input string: \"{s}\"{suffix}"),
        )
    };
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(fail());
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix).ok_or_else(fail)?;
        value = value * i128::from(radix) + i128::from(d);
        if value > i128::from(max) + 1 {
            return Err(fail());
        }
    }
    let value = if negative { -value } else { value };
    if value < i128::from(min) || value > i128::from(max) {
        return Err(fail());
    }
    Ok(value as i64)
}

/// `Double.parseDouble` (`FloatingDecimal.readJavaFormatString`): surrounding whitespace
/// (chars <= ' ') is ignored; `NaN`, `Infinity` with a sign, decimal digits with an optional
/// exponent and an optional `d`/`D`/`f`/`F` suffix. Hexadecimal floats are not supported here.
pub(crate) fn parse_double(s: &str) -> Result<f64, Thrown> {
    let trimmed = java_trim(s);
    let fail = || {
        exc(
            "NumberFormatException",
            format!("For input string: \"{s}\""),
        )
    };
    if trimmed.is_empty() {
        return Err(exc("NumberFormatException", "empty String"));
    }
    let (sign, body) = match trimmed.as_bytes()[0] {
        b'-' => (-1.0, &trimmed[1..]),
        b'+' => (1.0, &trimmed[1..]),
        _ => (1.0, trimmed),
    };
    if body == "NaN" {
        return Ok(f64::NAN);
    }
    if body == "Infinity" {
        return Ok(sign * f64::INFINITY);
    }
    if body.starts_with("0x") || body.starts_with("0X") {
        return Err(unsupported(format!(
            "hexadecimal floating-point literal \"{s}\" in Double.parseDouble"
        )));
    }
    let body = body.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(body);
    // Digits, at most one '.', at least one digit, then an optional exponent.
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let dots = mantissa.chars().filter(|c| *c == '.').count();
    if digits == 0 || dots > 1 || digits + dots != mantissa.len() {
        return Err(fail());
    }
    if let Some(e) = exponent {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !e.chars().all(|c| c.is_ascii_digit()) {
            return Err(fail());
        }
    }
    let v: f64 = body.parse().map_err(|_| fail())?;
    Ok(sign * v)
}

fn parse_float(s: &str) -> Result<f32, Thrown> {
    // Validate with the double grammar, then round the decimal once to float.
    parse_double(s)?;
    let t = java_trim(s);
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    match t.trim_start_matches(['+', '-']) {
        "NaN" => return Ok(f32::NAN),
        "Infinity" => {
            return Ok(if t.starts_with('-') {
                f32::NEG_INFINITY
            } else {
                f32::INFINITY
            })
        }
        _ => {}
    }
    t.parse::<f32>().map_err(|_| {
        exc(
            "NumberFormatException",
            format!("For input string: \"{s}\""),
        )
    })
}

fn opt_str(v: &Value) -> Result<Option<&str>, Thrown> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        other => Err(cce(other, "java.lang.String")),
    }
}

fn radix_arg(a: &[Value], i: usize) -> Result<u32, Thrown> {
    let r = int_arg(a, i)?;
    if !(2..=36).contains(&r) {
        return Err(exc(
            "NumberFormatException",
            if r < 2 {
                format!("radix {r} less than Character.MIN_RADIX")
            } else {
                format!("radix {r} greater than Character.MAX_RADIX")
            },
        ));
    }
    Ok(r as u32)
}

/// `Long.toString(v, radix)`: lower-case digits, a leading '-' for negatives.
fn to_radix(v: i64, radix: u32) -> String {
    let radix = if (2..=36).contains(&radix) { radix } else { 10 };
    if v == 0 {
        return "0".into();
    }
    let negative = v < 0;
    let mut n = (v as i128).unsigned_abs();
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(std::char::from_digit((n % u128::from(radix)) as u32, radix).unwrap_or('0'));
        n /= u128::from(radix);
    }
    if negative {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

fn unsigned_radix(v: u64, radix: u32) -> String {
    if v == 0 {
        return "0".into();
    }
    let mut n = v;
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(std::char::from_digit((n % u64::from(radix)) as u32, radix).unwrap_or('0'));
        n /= u64::from(radix);
    }
    digits.iter().rev().collect()
}

const INTEGER: &str = "java.lang.Integer";
const LONG: &str = "java.lang.Long";
const DOUBLE: &str = "java.lang.Double";
const FLOAT: &str = "java.lang.Float";
const BOOLEAN: &str = "java.lang.Boolean";
const SHORT: &str = "java.lang.Short";
const BYTE: &str = "java.lang.Byte";
const NUMBER: &str = "java.lang.Number";

fn register_boxes(r: &mut Registry) {
    // Number
    r.add(NUMBER, "intValue", 0, |t, _, _| {
        Ok(Value::Int(number(t)?.as_long() as i32))
    });
    r.add(NUMBER, "longValue", 0, |t, _, _| {
        Ok(Value::Long(number(t)?.as_long()))
    });
    r.add(NUMBER, "shortValue", 0, |t, _, _| {
        Ok(Value::Short(number(t)?.as_long() as i16))
    });
    r.add(NUMBER, "byteValue", 0, |t, _, _| {
        Ok(Value::Byte(number(t)?.as_long() as i8))
    });
    r.add(NUMBER, "doubleValue", 0, |t, _, _| {
        Ok(Value::Double(number(t)?.as_double()))
    });
    r.add(NUMBER, "floatValue", 0, |t, _, _| {
        Ok(Value::Float(number(t)?.as_double() as f32))
    });

    // Integer
    r.field(INTEGER, "MAX_VALUE", || Value::Int(i32::MAX));
    r.field(INTEGER, "MIN_VALUE", || Value::Int(i32::MIN));
    r.field(INTEGER, "BYTES", || Value::Int(4));
    r.field(INTEGER, "SIZE", || Value::Int(32));
    r.add(INTEGER, "parseInt", 1, |_, a, _| {
        Ok(Value::Int(
            parse_integer(opt_str(arg(a, 0))?, 10, i32::MIN.into(), i32::MAX.into())? as i32,
        ))
    });
    r.add(INTEGER, "parseInt", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Int(
            parse_integer(opt_str(arg(a, 0))?, radix, i32::MIN.into(), i32::MAX.into())? as i32,
        ))
    });
    r.add(INTEGER, "valueOf", 1, |_, a, _| match arg(a, 0) {
        Value::String(s) => {
            Ok(Value::Int(
                parse_integer(Some(s), 10, i32::MIN.into(), i32::MAX.into())? as i32,
            ))
        }
        other => Ok(Value::Int(int_of(other)?)),
    });
    r.add(INTEGER, "valueOf", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Int(
            parse_integer(opt_str(arg(a, 0))?, radix, i32::MIN.into(), i32::MAX.into())? as i32,
        ))
    });
    r.add(INTEGER, "toString", 1, |_, a, _| {
        Ok(Value::from(int_arg(a, 0)?.to_string()))
    });
    r.add(INTEGER, "toString", 2, |_, a, _| {
        Ok(Value::from(to_radix(
            int_arg(a, 0)?.into(),
            int_arg(a, 1)? as u32,
        )))
    });
    r.add(INTEGER, "toHexString", 1, |_, a, _| {
        Ok(Value::from(format!("{:x}", int_arg(a, 0)? as u32)))
    });
    r.add(INTEGER, "toBinaryString", 1, |_, a, _| {
        Ok(Value::from(format!("{:b}", int_arg(a, 0)? as u32)))
    });
    r.add(INTEGER, "toOctalString", 1, |_, a, _| {
        Ok(Value::from(format!("{:o}", int_arg(a, 0)? as u32)))
    });
    r.add(INTEGER, "compare", 2, |_, a, _| {
        Ok(Value::Int(ord(int_arg(a, 0)?.cmp(&int_arg(a, 1)?))))
    });
    r.add(INTEGER, "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_to(recv(t)?, arg(a, 0))?))
    });
    r.add(INTEGER, "hashCode", 1, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?))
    });
    r.add(INTEGER, "max", 2, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?.max(int_arg(a, 1)?)))
    });
    r.add(INTEGER, "min", 2, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?.min(int_arg(a, 1)?)))
    });
    r.add(INTEGER, "signum", 1, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?.signum()))
    });
    r.add(INTEGER, "bitCount", 1, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?.count_ones() as i32))
    });
    r.add(INTEGER, "reverse", 1, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?.reverse_bits()))
    });
    r.add(INTEGER, "reverseBytes", 1, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?.swap_bytes()))
    });
    r.add(INTEGER, "highestOneBit", 1, |_, a, _| {
        let v = int_arg(a, 0)? as u32;
        Ok(Value::Int(if v == 0 {
            0
        } else {
            (1u32 << (31 - v.leading_zeros())) as i32
        }))
    });
    r.add(INTEGER, "lowestOneBit", 1, |_, a, _| {
        let v = int_arg(a, 0)?;
        Ok(Value::Int(v & v.wrapping_neg()))
    });
    r.add(INTEGER, "numberOfLeadingZeros", 1, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?.leading_zeros() as i32))
    });
    r.add(INTEGER, "numberOfTrailingZeros", 1, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?.trailing_zeros() as i32))
    });
    r.add(INTEGER, "rotateLeft", 2, |_, a, _| {
        Ok(Value::Int(
            int_arg(a, 0)?.rotate_left(int_arg(a, 1)? as u32 & 31),
        ))
    });
    r.add(INTEGER, "rotateRight", 2, |_, a, _| {
        Ok(Value::Int(
            int_arg(a, 0)?.rotate_right(int_arg(a, 1)? as u32 & 31),
        ))
    });
    r.add(INTEGER, "toUnsignedLong", 1, |_, a, _| {
        Ok(Value::Long(i64::from(int_arg(a, 0)? as u32)))
    });
    r.add(INTEGER, "toUnsignedString", 1, |_, a, _| {
        Ok(Value::from((int_arg(a, 0)? as u32).to_string()))
    });
    r.add(INTEGER, "divideUnsigned", 2, |_, a, _| {
        let d = int_arg(a, 1)? as u32;
        if d == 0 {
            return Err(exc("ArithmeticException", "/ by zero"));
        }
        Ok(Value::Int(((int_arg(a, 0)? as u32) / d) as i32))
    });
    r.add(INTEGER, "remainderUnsigned", 2, |_, a, _| {
        let d = int_arg(a, 1)? as u32;
        if d == 0 {
            return Err(exc("ArithmeticException", "/ by zero"));
        }
        Ok(Value::Int(((int_arg(a, 0)? as u32) % d) as i32))
    });
    r.add(INTEGER, "compareUnsigned", 2, |_, a, _| {
        Ok(Value::Int(ord(
            (int_arg(a, 0)? as u32).cmp(&(int_arg(a, 1)? as u32))
        )))
    });
    r.add(INTEGER, "parseUnsignedInt", 1, |_, a, _| {
        Ok(Value::Int(
            parse_integer(opt_str(arg(a, 0))?, 10, 0, u32::MAX.into())? as u32 as i32,
        ))
    });
    r.add(INTEGER, "decode", 1, |_, a, _| {
        Ok(Value::Int(
            decode(str_arg(a, 0)?, i32::MIN.into(), i32::MAX.into())? as i32,
        ))
    });

    // Long
    r.field(LONG, "MAX_VALUE", || Value::Long(i64::MAX));
    r.field(LONG, "MIN_VALUE", || Value::Long(i64::MIN));
    r.field(LONG, "BYTES", || Value::Int(8));
    r.field(LONG, "SIZE", || Value::Int(64));
    r.add(LONG, "parseLong", 1, |_, a, _| {
        Ok(Value::Long(parse_integer(
            opt_str(arg(a, 0))?,
            10,
            i64::MIN,
            i64::MAX,
        )?))
    });
    r.add(LONG, "parseLong", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Long(parse_integer(
            opt_str(arg(a, 0))?,
            radix,
            i64::MIN,
            i64::MAX,
        )?))
    });
    r.add(LONG, "valueOf", 1, |_, a, _| match arg(a, 0) {
        Value::String(s) => Ok(Value::Long(parse_integer(Some(s), 10, i64::MIN, i64::MAX)?)),
        other => Ok(Value::Long(long_of(other)?)),
    });
    r.add(LONG, "valueOf", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Long(parse_integer(
            opt_str(arg(a, 0))?,
            radix,
            i64::MIN,
            i64::MAX,
        )?))
    });
    r.add(LONG, "toString", 1, |_, a, _| {
        Ok(Value::from(long_arg(a, 0)?.to_string()))
    });
    r.add(LONG, "toString", 2, |_, a, _| {
        Ok(Value::from(to_radix(
            long_arg(a, 0)?,
            int_arg(a, 1)? as u32,
        )))
    });
    r.add(LONG, "toHexString", 1, |_, a, _| {
        Ok(Value::from(format!("{:x}", long_arg(a, 0)? as u64)))
    });
    r.add(LONG, "toBinaryString", 1, |_, a, _| {
        Ok(Value::from(format!("{:b}", long_arg(a, 0)? as u64)))
    });
    r.add(LONG, "toOctalString", 1, |_, a, _| {
        Ok(Value::from(format!("{:o}", long_arg(a, 0)? as u64)))
    });
    r.add(LONG, "toUnsignedString", 1, |_, a, _| {
        Ok(Value::from((long_arg(a, 0)? as u64).to_string()))
    });
    r.add(LONG, "toUnsignedString", 2, |_, a, _| {
        Ok(Value::from(unsigned_radix(
            long_arg(a, 0)? as u64,
            radix_arg(a, 1).unwrap_or(10),
        )))
    });
    r.add(LONG, "compare", 2, |_, a, _| {
        Ok(Value::Int(ord(long_arg(a, 0)?.cmp(&long_arg(a, 1)?))))
    });
    r.add(LONG, "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_to(recv(t)?, arg(a, 0))?))
    });
    r.add(LONG, "hashCode", 1, |_, a, _| {
        Ok(Value::Int(Value::Long(long_arg(a, 0)?).java_hash_code()))
    });
    r.add(LONG, "max", 2, |_, a, _| {
        Ok(Value::Long(long_arg(a, 0)?.max(long_arg(a, 1)?)))
    });
    r.add(LONG, "min", 2, |_, a, _| {
        Ok(Value::Long(long_arg(a, 0)?.min(long_arg(a, 1)?)))
    });
    r.add(LONG, "sum", 2, |_, a, _| {
        Ok(Value::Long(long_arg(a, 0)?.wrapping_add(long_arg(a, 1)?)))
    });
    r.add(LONG, "signum", 1, |_, a, _| {
        Ok(Value::Int(long_arg(a, 0)?.signum() as i32))
    });
    r.add(LONG, "bitCount", 1, |_, a, _| {
        Ok(Value::Int(long_arg(a, 0)?.count_ones() as i32))
    });
    r.add(LONG, "numberOfLeadingZeros", 1, |_, a, _| {
        Ok(Value::Int(long_arg(a, 0)?.leading_zeros() as i32))
    });
    r.add(LONG, "numberOfTrailingZeros", 1, |_, a, _| {
        Ok(Value::Int(long_arg(a, 0)?.trailing_zeros() as i32))
    });
    r.add(LONG, "reverse", 1, |_, a, _| {
        Ok(Value::Long(long_arg(a, 0)?.reverse_bits()))
    });
    r.add(LONG, "reverseBytes", 1, |_, a, _| {
        Ok(Value::Long(long_arg(a, 0)?.swap_bytes()))
    });
    r.add(LONG, "rotateLeft", 2, |_, a, _| {
        Ok(Value::Long(
            long_arg(a, 0)?.rotate_left(int_arg(a, 1)? as u32 & 63),
        ))
    });
    r.add(LONG, "rotateRight", 2, |_, a, _| {
        Ok(Value::Long(
            long_arg(a, 0)?.rotate_right(int_arg(a, 1)? as u32 & 63),
        ))
    });
    r.add(LONG, "decode", 1, |_, a, _| {
        Ok(Value::Long(decode(str_arg(a, 0)?, i64::MIN, i64::MAX)?))
    });

    // Short, Byte
    r.field(SHORT, "MAX_VALUE", || Value::Short(i16::MAX));
    r.field(SHORT, "MIN_VALUE", || Value::Short(i16::MIN));
    r.field(BYTE, "MAX_VALUE", || Value::Byte(i8::MAX));
    r.field(BYTE, "MIN_VALUE", || Value::Byte(i8::MIN));
    r.add(SHORT, "parseShort", 1, |_, a, _| {
        let v = parse_short_byte(opt_str(arg(a, 0))?, 10, i16::MIN.into(), i16::MAX.into())?;
        Ok(Value::Short(v as i16))
    });
    r.add(SHORT, "valueOf", 1, |_, a, _| match arg(a, 0) {
        Value::String(s) => {
            Ok(Value::Short(
                parse_short_byte(Some(s), 10, i16::MIN.into(), i16::MAX.into())? as i16,
            ))
        }
        other => Ok(Value::Short(int_of(other)? as i16)),
    });
    r.add(SHORT, "toString", 1, |_, a, _| {
        Ok(Value::from(int_arg(a, 0)?.to_string()))
    });
    r.add(SHORT, "compare", 2, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)? - int_arg(a, 1)?))
    });
    r.add(SHORT, "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_to(recv(t)?, arg(a, 0))?))
    });
    r.add(SHORT, "hashCode", 1, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?))
    });
    r.add(BYTE, "parseByte", 1, |_, a, _| {
        Ok(Value::Byte(
            parse_short_byte(opt_str(arg(a, 0))?, 10, i8::MIN.into(), i8::MAX.into())? as i8,
        ))
    });
    r.add(BYTE, "valueOf", 1, |_, a, _| match arg(a, 0) {
        Value::String(s) => {
            Ok(Value::Byte(
                parse_short_byte(Some(s), 10, i8::MIN.into(), i8::MAX.into())? as i8,
            ))
        }
        other => Ok(Value::Byte(int_of(other)? as i8)),
    });
    r.add(BYTE, "toString", 1, |_, a, _| {
        Ok(Value::from(int_arg(a, 0)?.to_string()))
    });
    r.add(BYTE, "compare", 2, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)? - int_arg(a, 1)?))
    });
    r.add(BYTE, "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_to(recv(t)?, arg(a, 0))?))
    });
    r.add(BYTE, "hashCode", 1, |_, a, _| {
        Ok(Value::Int(int_arg(a, 0)?))
    });

    // Double
    r.field(DOUBLE, "MAX_VALUE", || Value::Double(f64::MAX));
    r.field(DOUBLE, "MIN_VALUE", || Value::Double(f64::from_bits(1)));
    r.field(DOUBLE, "MIN_NORMAL", || Value::Double(f64::MIN_POSITIVE));
    r.field(DOUBLE, "NaN", || Value::Double(f64::NAN));
    r.field(DOUBLE, "POSITIVE_INFINITY", || Value::Double(f64::INFINITY));
    r.field(DOUBLE, "NEGATIVE_INFINITY", || {
        Value::Double(f64::NEG_INFINITY)
    });
    r.field(DOUBLE, "MAX_EXPONENT", || Value::Int(1023));
    r.field(DOUBLE, "MIN_EXPONENT", || Value::Int(-1022));
    r.field(DOUBLE, "BYTES", || Value::Int(8));
    r.field(DOUBLE, "SIZE", || Value::Int(64));
    r.add(DOUBLE, "parseDouble", 1, |_, a, _| {
        Ok(Value::Double(parse_double(str_arg(a, 0)?)?))
    });
    r.add(DOUBLE, "valueOf", 1, |_, a, _| match arg(a, 0) {
        Value::String(s) => Ok(Value::Double(parse_double(s)?)),
        other => Ok(Value::Double(double_of(other)?)),
    });
    r.add(DOUBLE, "toString", 1, |_, a, _| {
        Ok(Value::from(
            Value::Double(double_arg(a, 0)?).java_to_string(),
        ))
    });
    r.add(DOUBLE, "compare", 2, |_, a, _| {
        Ok(Value::Int(ord(java_double_compare(
            double_arg(a, 0)?,
            double_arg(a, 1)?,
        ))))
    });
    r.add(DOUBLE, "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_to(recv(t)?, arg(a, 0))?))
    });
    r.add(DOUBLE, "hashCode", 1, |_, a, _| {
        Ok(Value::Int(
            Value::Double(double_arg(a, 0)?).java_hash_code(),
        ))
    });
    r.add(DOUBLE, "isNaN", 1, |_, a, _| {
        Ok(Value::Boolean(double_arg(a, 0)?.is_nan()))
    });
    r.add(DOUBLE, "isNaN", 0, |t, _, _| {
        Ok(Value::Boolean(double_of(recv(t)?)?.is_nan()))
    });
    r.add(DOUBLE, "isInfinite", 1, |_, a, _| {
        Ok(Value::Boolean(double_arg(a, 0)?.is_infinite()))
    });
    r.add(DOUBLE, "isInfinite", 0, |t, _, _| {
        Ok(Value::Boolean(double_of(recv(t)?)?.is_infinite()))
    });
    r.add(DOUBLE, "isFinite", 1, |_, a, _| {
        Ok(Value::Boolean(double_arg(a, 0)?.is_finite()))
    });
    r.add(DOUBLE, "max", 2, |_, a, _| {
        Ok(Value::Double(java_max(
            double_arg(a, 0)?,
            double_arg(a, 1)?,
        )))
    });
    r.add(DOUBLE, "min", 2, |_, a, _| {
        Ok(Value::Double(java_min(
            double_arg(a, 0)?,
            double_arg(a, 1)?,
        )))
    });
    r.add(DOUBLE, "sum", 2, |_, a, _| {
        Ok(Value::Double(double_arg(a, 0)? + double_arg(a, 1)?))
    });
    r.add(DOUBLE, "doubleToLongBits", 1, |_, a, _| {
        Ok(Value::Long(double_bits(double_arg(a, 0)?)))
    });
    r.add(DOUBLE, "doubleToRawLongBits", 1, |_, a, _| {
        Ok(Value::Long(double_arg(a, 0)?.to_bits() as i64))
    });
    r.add(DOUBLE, "longBitsToDouble", 1, |_, a, _| {
        Ok(Value::Double(f64::from_bits(long_arg(a, 0)? as u64)))
    });

    // Float
    r.field(FLOAT, "MAX_VALUE", || Value::Float(f32::MAX));
    r.field(FLOAT, "MIN_VALUE", || Value::Float(f32::from_bits(1)));
    r.field(FLOAT, "MIN_NORMAL", || Value::Float(f32::MIN_POSITIVE));
    r.field(FLOAT, "NaN", || Value::Float(f32::NAN));
    r.field(FLOAT, "POSITIVE_INFINITY", || Value::Float(f32::INFINITY));
    r.field(FLOAT, "NEGATIVE_INFINITY", || {
        Value::Float(f32::NEG_INFINITY)
    });
    r.add(FLOAT, "parseFloat", 1, |_, a, _| {
        Ok(Value::Float(parse_float(str_arg(a, 0)?)?))
    });
    r.add(FLOAT, "valueOf", 1, |_, a, _| match arg(a, 0) {
        Value::String(s) => Ok(Value::Float(parse_float(s)?)),
        _ => Ok(Value::Float(float_arg(a, 0)?)),
    });
    r.add(FLOAT, "toString", 1, |_, a, _| {
        Ok(Value::from(Value::Float(float_arg(a, 0)?).java_to_string()))
    });
    r.add(FLOAT, "compare", 2, |_, a, _| {
        Ok(Value::Int(ord(java_double_compare(
            f64::from(float_arg(a, 0)?),
            f64::from(float_arg(a, 1)?),
        ))))
    });
    r.add(FLOAT, "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_to(recv(t)?, arg(a, 0))?))
    });
    r.add(FLOAT, "hashCode", 1, |_, a, _| {
        Ok(Value::Int(float_bits(float_arg(a, 0)?) as i32))
    });
    r.add(FLOAT, "isNaN", 1, |_, a, _| {
        Ok(Value::Boolean(float_arg(a, 0)?.is_nan()))
    });
    r.add(FLOAT, "isNaN", 0, |t, _, _| {
        Ok(Value::Boolean(double_of(recv(t)?)?.is_nan()))
    });
    r.add(FLOAT, "isInfinite", 1, |_, a, _| {
        Ok(Value::Boolean(float_arg(a, 0)?.is_infinite()))
    });
    r.add(FLOAT, "isInfinite", 0, |t, _, _| {
        Ok(Value::Boolean(double_of(recv(t)?)?.is_infinite()))
    });
    r.add(FLOAT, "isFinite", 1, |_, a, _| {
        Ok(Value::Boolean(float_arg(a, 0)?.is_finite()))
    });
    r.add(FLOAT, "floatToIntBits", 1, |_, a, _| {
        Ok(Value::Int(float_bits(float_arg(a, 0)?) as i32))
    });
    r.add(FLOAT, "intBitsToFloat", 1, |_, a, _| {
        Ok(Value::Float(f32::from_bits(int_arg(a, 0)? as u32)))
    });
    r.add(FLOAT, "max", 2, |_, a, _| {
        Ok(Value::Float(
            java_max(f64::from(float_arg(a, 0)?), f64::from(float_arg(a, 1)?)) as f32,
        ))
    });
    r.add(FLOAT, "min", 2, |_, a, _| {
        Ok(Value::Float(
            java_min(f64::from(float_arg(a, 0)?), f64::from(float_arg(a, 1)?)) as f32,
        ))
    });
    r.add(FLOAT, "sum", 2, |_, a, _| {
        Ok(Value::Float(float_arg(a, 0)? + float_arg(a, 1)?))
    });

    // Boolean
    r.field(BOOLEAN, "TRUE", || Value::Boolean(true));
    r.field(BOOLEAN, "FALSE", || Value::Boolean(false));
    r.add(BOOLEAN, "parseBoolean", 1, |_, a, _| {
        Ok(Value::Boolean(
            matches!(arg(a, 0), Value::String(s) if s.eq_ignore_ascii_case("true")),
        ))
    });
    r.add(BOOLEAN, "valueOf", 1, |_, a, _| match arg(a, 0) {
        Value::Boolean(b) => Ok(Value::Boolean(*b)),
        Value::String(s) => Ok(Value::Boolean(s.eq_ignore_ascii_case("true"))),
        _ => Ok(Value::Boolean(false)),
    });
    r.add(BOOLEAN, "booleanValue", 0, |t, _, _| match recv(t)? {
        Value::Boolean(b) => Ok(Value::Boolean(*b)),
        other => Err(cce(other, "java.lang.Boolean")),
    });
    r.add(BOOLEAN, "toString", 1, |_, a, _| {
        Ok(Value::from(bool_arg(a, 0)?.to_string()))
    });
    r.add(BOOLEAN, "compare", 2, |_, a, _| {
        Ok(Value::Int(ord(bool_arg(a, 0)?.cmp(&bool_arg(a, 1)?))))
    });
    r.add(BOOLEAN, "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_to(recv(t)?, arg(a, 0))?))
    });
    r.add(BOOLEAN, "hashCode", 1, |_, a, _| {
        Ok(Value::Int(Value::Boolean(bool_arg(a, 0)?).java_hash_code()))
    });
    r.add(BOOLEAN, "logicalAnd", 2, |_, a, _| {
        Ok(Value::Boolean(bool_arg(a, 0)? && bool_arg(a, 1)?))
    });
    r.add(BOOLEAN, "logicalOr", 2, |_, a, _| {
        Ok(Value::Boolean(bool_arg(a, 0)? || bool_arg(a, 1)?))
    });
    r.add(BOOLEAN, "logicalXor", 2, |_, a, _| {
        Ok(Value::Boolean(bool_arg(a, 0)? ^ bool_arg(a, 1)?))
    });
}

/// `Short.parseShort`/`Byte.parseByte`: `Integer.parseInt`, then a range check with the JDK's
/// message `Value out of range. Value:"s" Radix:10`.
fn parse_short_byte(s: Option<&str>, radix: u32, min: i64, max: i64) -> Result<i64, Thrown> {
    let v = parse_integer(s, radix, i32::MIN.into(), i32::MAX.into())?;
    if v < min || v > max {
        return Err(exc(
            "NumberFormatException",
            format!(
                "Value out of range. Value:\"{}\" Radix:{radix}",
                s.unwrap_or("")
            ),
        ));
    }
    Ok(v)
}

/// `Integer.decode`/`Long.decode`: sign, then `0x`/`0X`/`#` (hex), `0` (octal) or decimal.
fn decode(s: &str, min: i64, max: i64) -> Result<i64, Thrown> {
    if s.is_empty() {
        return Err(exc("NumberFormatException", "Zero length string"));
    }
    let (negative, rest) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) =
        if let Some(d) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
            (16, d)
        } else if let Some(d) = rest.strip_prefix('#') {
            (16, d)
        } else if rest.starts_with('0') && rest.len() > 1 {
            (8, &rest[1..])
        } else {
            (10, rest)
        };
    if digits.starts_with(['-', '+']) {
        return Err(exc(
            "NumberFormatException",
            "Sign character in wrong position",
        ));
    }
    let signed = if negative {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    parse_integer(Some(&signed), radix, min, max).map_err(|_| {
        exc(
            "NumberFormatException",
            format!("For input string: \"{s}\""),
        )
    })
}

/// A numeric receiver.
enum Num {
    I(i64),
    F(f64),
}

impl Num {
    fn as_long(&self) -> i64 {
        match self {
            Num::I(i) => *i,
            Num::F(f) => java_d2l(*f),
        }
    }
    fn as_double(&self) -> f64 {
        match self {
            Num::I(i) => *i as f64,
            Num::F(f) => *f,
        }
    }
}

fn number(t: Option<&Value>) -> Result<Num, Thrown> {
    Ok(match recv(t)? {
        Value::Int(i) => Num::I((*i).into()),
        Value::Long(i) => Num::I(*i),
        Value::Short(i) => Num::I((*i).into()),
        Value::Byte(i) => Num::I((*i).into()),
        Value::Double(d) => Num::F(*d),
        Value::Float(f) => Num::F((*f).into()),
        other => return Err(cce(other, "java.lang.Number")),
    })
}

/// Java's `(long) d`: saturating, NaN to 0 (Rust's `as` does the same).
fn java_d2l(d: f64) -> i64 {
    d as i64
}

/// `Math.max(double, double)`: NaN wins, and 0.0 is greater than -0.0.
fn java_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == 0.0 && b == 0.0 {
        return if a.is_sign_negative() && b.is_sign_negative() {
            -0.0
        } else {
            0.0
        };
    }
    a.max(b)
}

fn java_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == 0.0 && b == 0.0 {
        return if a.is_sign_negative() || b.is_sign_negative() {
            -0.0
        } else {
            0.0
        };
    }
    a.min(b)
}

// ---------------------------------------------------------------------------------------------
// Math

fn register_math(r: &mut Registry) {
    for class in ["java.lang.Math", "java.lang.StrictMath"] {
        r.field(class, "PI", || Value::Double(std::f64::consts::PI));
        r.field(class, "E", || Value::Double(std::f64::consts::E));
        // The allowlist has one `abs(def)`-free signature per name: `double abs(double)` etc.;
        // the interpreter casts the argument to the parameter type.
        r.add(class, "abs", 1, |_, a, _| match arg(a, 0) {
            Value::Int(i) => Ok(Value::Int(i.wrapping_abs())),
            Value::Long(i) => Ok(Value::Long(i.wrapping_abs())),
            Value::Float(f) => Ok(Value::Float(f.abs())),
            other => Ok(Value::Double(double_of(other)?.abs())),
        });
        r.add(class, "max", 2, |_, a, _| {
            math2(a, |x, y| x.max(y), |x, y| x.max(y), java_max)
        });
        r.add(class, "min", 2, |_, a, _| {
            math2(a, |x, y| x.min(y), |x, y| x.min(y), java_min)
        });
        r.add(class, "round", 1, |_, a, _| match arg(a, 0) {
            Value::Float(f) => Ok(Value::Int(java_round_f(*f))),
            other => Ok(Value::Long(java_round(double_of(other)?))),
        });
        r.add(class, "floor", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.floor()))
        });
        r.add(class, "ceil", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.ceil()))
        });
        r.add(class, "rint", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.round_ties_even()))
        });
        r.add(class, "sqrt", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.sqrt()))
        });
        r.add(class, "cbrt", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.cbrt()))
        });
        r.add(class, "pow", 2, |_, a, _| {
            Ok(Value::Double(java_pow(
                double_arg(a, 0)?,
                double_arg(a, 1)?,
            )))
        });
        r.add(class, "exp", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.exp()))
        });
        r.add(class, "expm1", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.exp_m1()))
        });
        r.add(class, "log", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.ln()))
        });
        r.add(class, "log10", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.log10()))
        });
        r.add(class, "log1p", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.ln_1p()))
        });
        r.add(class, "sin", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.sin()))
        });
        r.add(class, "cos", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.cos()))
        });
        r.add(class, "tan", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.tan()))
        });
        r.add(class, "asin", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.asin()))
        });
        r.add(class, "acos", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.acos()))
        });
        r.add(class, "atan", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.atan()))
        });
        r.add(class, "atan2", 2, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.atan2(double_arg(a, 1)?)))
        });
        r.add(class, "sinh", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.sinh()))
        });
        r.add(class, "cosh", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.cosh()))
        });
        r.add(class, "tanh", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.tanh()))
        });
        r.add(class, "hypot", 2, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.hypot(double_arg(a, 1)?)))
        });
        r.add(class, "toDegrees", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.to_degrees()))
        });
        r.add(class, "toRadians", 1, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.to_radians()))
        });
        r.add(class, "signum", 1, |_, a, _| {
            let d = double_arg(a, 0)?;
            Ok(Value::Double(if d == 0.0 || d.is_nan() {
                d
            } else {
                d.signum()
            }))
        });
        r.add(class, "copySign", 2, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)?.copysign(double_arg(a, 1)?)))
        });
        r.add(class, "IEEEremainder", 2, |_, a, _| {
            let (x, y) = (double_arg(a, 0)?, double_arg(a, 1)?);
            Ok(Value::Double(x - (x / y).round_ties_even() * y))
        });
        r.add(class, "ulp", 1, |_, a, _| {
            let d = double_arg(a, 0)?.abs();
            if d.is_nan() || d.is_infinite() {
                return Ok(Value::Double(d));
            }
            let next = f64::from_bits(d.to_bits() + 1);
            Ok(Value::Double(next - d))
        });
    }
}

fn math2(
    a: &[Value],
    fi: fn(i32, i32) -> i32,
    fl: fn(i64, i64) -> i64,
    fd: fn(f64, f64) -> f64,
) -> R {
    match (arg(a, 0), arg(a, 1)) {
        (Value::Int(x), Value::Int(y)) => Ok(Value::Int(fi(*x, *y))),
        (Value::Long(x), Value::Long(y)) => Ok(Value::Long(fl(*x, *y))),
        (Value::Float(x), Value::Float(y)) => {
            Ok(Value::Float(fd(f64::from(*x), f64::from(*y)) as f32))
        }
        _ => Ok(Value::Double(fd(double_arg(a, 0)?, double_arg(a, 1)?))),
    }
}

/// `Math.round(double)`: the closest long, ties towards positive infinity (floor(x + 0.5)
/// computed exactly), saturating; NaN is 0.
fn java_round(d: f64) -> i64 {
    if d.is_nan() {
        return 0;
    }
    let f = d.floor();
    if d - f >= 0.5 {
        (f + 1.0) as i64
    } else {
        f as i64
    }
}

fn java_round_f(f: f32) -> i32 {
    if f.is_nan() {
        return 0;
    }
    let f = f64::from(f);
    let fl = f.floor();
    if f - fl >= 0.5 {
        (fl + 1.0) as i32
    } else {
        fl as i32
    }
}

/// `Math.pow` differs from IEEE `pow` for a NaN exponent base 1 (Java: NaN).
fn java_pow(x: f64, y: f64) -> f64 {
    if y.is_nan() {
        return f64::NAN;
    }
    if x == 1.0 && y.is_infinite() {
        return f64::NAN;
    }
    x.powf(y)
}

// ---------------------------------------------------------------------------------------------
// Character

const CHARACTER: &str = "java.lang.Character";

fn register_character(r: &mut Registry) {
    r.field(CHARACTER, "MIN_VALUE", || Value::Char(0));
    r.field(CHARACTER, "MAX_VALUE", || Value::Char(0xffff));
    r.field(CHARACTER, "MIN_RADIX", || Value::Int(2));
    r.field(CHARACTER, "MAX_RADIX", || Value::Int(36));
    r.add(CHARACTER, "charValue", 0, |t, _, _| match recv(t)? {
        Value::Char(c) => Ok(Value::Char(*c)),
        other => Err(cce(other, "java.lang.Character")),
    });
    r.add(CHARACTER, "compareTo", 1, |t, a, _| {
        Ok(Value::Int(compare_to(recv(t)?, arg(a, 0))?))
    });
    r.add(CHARACTER, "compare", 2, |_, a, _| {
        Ok(Value::Int(
            i32::from(char_arg(a, 0)?) - i32::from(char_arg(a, 1)?),
        ))
    });
    r.add(CHARACTER, "hashCode", 1, |_, a, _| {
        Ok(Value::Int(i32::from(char_arg(a, 0)?)))
    });
    r.add(CHARACTER, "valueOf", 1, |_, a, _| {
        Ok(Value::Char(char_arg(a, 0)?))
    });
    r.add(CHARACTER, "toString", 1, |_, a, _| {
        Ok(Value::from(from16(&[char_arg(a, 0)?])))
    });
    // The code-point taking forms (`isDigit(int)`) are what the allowlist declares; a `char`
    // argument widens to `int`.
    r.add(CHARACTER, "isDigit", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some_and(is_unicode_digit)))
    });
    r.add(CHARACTER, "isLetter", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some_and(char::is_alphabetic)))
    });
    r.add(CHARACTER, "isLetterOrDigit", 1, |_, a, _| {
        Ok(Value::Boolean(
            cp(a)?.is_some_and(|c| c.is_alphabetic() || is_unicode_digit(c)),
        ))
    });
    r.add(CHARACTER, "isAlphabetic", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some_and(char::is_alphabetic)))
    });
    r.add(CHARACTER, "isUpperCase", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some_and(char::is_uppercase)))
    });
    r.add(CHARACTER, "isLowerCase", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some_and(char::is_lowercase)))
    });
    r.add(CHARACTER, "isWhitespace", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some_and(java_is_whitespace)))
    });
    r.add(CHARACTER, "isSpaceChar", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some_and(|c| {
            matches!(
                c,
                ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                    ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
            )
        })))
    });
    r.add(CHARACTER, "isISOControl", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some_and(char::is_control)))
    });
    r.add(CHARACTER, "toUpperCase", 1, |_, a, _| case_map(a, true));
    r.add(CHARACTER, "toLowerCase", 1, |_, a, _| case_map(a, false));
    r.add(CHARACTER, "digit", 2, |_, a, _| {
        let radix = int_arg(a, 1)?;
        let d = cp(a)?.and_then(|c| {
            if (2..=36).contains(&radix) {
                c.to_digit(radix as u32)
            } else {
                None
            }
        });
        Ok(Value::Int(d.map_or(-1, |d| d as i32)))
    });
    r.add(CHARACTER, "forDigit", 2, |_, a, _| {
        let (d, radix) = (int_arg(a, 0)?, int_arg(a, 1)?);
        if !(2..=36).contains(&radix) || d < 0 || d >= radix {
            return Ok(Value::Char(0));
        }
        Ok(Value::Char(
            std::char::from_digit(d as u32, radix as u32).map_or(0, |c| c as u16),
        ))
    });
    r.add(CHARACTER, "getNumericValue", 1, |_, a, _| {
        Ok(Value::Int(
            cp(a)?.and_then(|c| c.to_digit(36)).map_or(-1, |d| d as i32),
        ))
    });
    r.add(CHARACTER, "isBmpCodePoint", 1, |_, a, _| {
        Ok(Value::Boolean((int_arg(a, 0)? as u32) >> 16 == 0))
    });
    r.add(CHARACTER, "isValidCodePoint", 1, |_, a, _| {
        Ok(Value::Boolean((0..=0x10ffff).contains(&int_arg(a, 0)?)))
    });
    r.add(CHARACTER, "charCount", 1, |_, a, _| {
        Ok(Value::Int(if int_arg(a, 0)? >= 0x10000 { 2 } else { 1 }))
    });
    r.add(CHARACTER, "isHighSurrogate", 1, |_, a, _| {
        Ok(Value::Boolean((0xD800..0xDC00).contains(&char_arg(a, 0)?)))
    });
    r.add(CHARACTER, "isLowSurrogate", 1, |_, a, _| {
        Ok(Value::Boolean((0xDC00..0xE000).contains(&char_arg(a, 0)?)))
    });
    r.add(CHARACTER, "isSurrogate", 1, |_, a, _| {
        Ok(Value::Boolean((0xD800..0xE000).contains(&char_arg(a, 0)?)))
    });
}

/// The code point of an `int`/`char` argument (`None` for a surrogate or invalid value).
fn cp(a: &[Value]) -> Result<Option<char>, Thrown> {
    let v = int_arg(a, 0)?;
    Ok(u32::try_from(v).ok().and_then(char::from_u32))
}

/// `Character.isDigit` (general category Nd). Offline approximation: ASCII digits and the
/// common decimal-digit blocks (Arabic-Indic, extended Arabic-Indic, Devanagari, Bengali,
/// fullwidth).
fn is_unicode_digit(c: char) -> bool {
    matches!(c, '0'..='9' | '\u{660}'..='\u{669}' | '\u{6f0}'..='\u{6f9}' | '\u{966}'..='\u{96f}' | '\u{9e6}'..='\u{9ef}' | '\u{ff10}'..='\u{ff19}')
}

/// `Character.isWhitespace`: space separators except non-breaking ones, and \t \n \u000B \f \r
/// \u001C-\u001F.
fn java_is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | '\u{1c}'..='\u{1f}' | ' ' | '\u{1680}' | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{205f}' | '\u{3000}')
}

fn case_map(a: &[Value], upper: bool) -> R {
    let single = |c: char| -> char {
        let mut m: Vec<char> = if upper {
            c.to_uppercase().collect()
        } else {
            c.to_lowercase().collect()
        };
        if m.len() == 1 {
            m.pop().unwrap_or(c)
        } else {
            c
        }
    };
    match arg(a, 0) {
        Value::Char(u) => {
            let c = char::from_u32(u32::from(*u));
            Ok(Value::Char(
                c.map(single)
                    .and_then(|m| {
                        let mut buf = [0u16; 2];
                        let e = m.encode_utf16(&mut buf);
                        (e.len() == 1).then_some(e[0])
                    })
                    .unwrap_or(*u),
            ))
        }
        other => {
            let v = int_of(other)?;
            Ok(Value::Int(
                u32::try_from(v)
                    .ok()
                    .and_then(char::from_u32)
                    .map_or(v, |c| single(c) as i32),
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// StringBuilder

const SB: &str = "java.lang.StringBuilder";
const SBUF: &str = "java.lang.StringBuffer";

fn sb(t: Option<&Value>) -> Result<&StringBuilder, Thrown> {
    match recv(t)? {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<StringBuilder>()
            .ok_or_else(|| cce(recv(t).unwrap_or(&Value::Null), SB)),
        other => Err(cce(other, SB)),
    }
}

fn register_string_builder(r: &mut Registry) {
    r.add(SBUF, "<init>", 0, |_, _, _| {
        Ok(StringBuilder::buffer_of(""))
    });
    r.add(SBUF, "<init>", 1, |_, a, _| match arg(a, 0) {
        Value::Int(_) => Ok(StringBuilder::buffer_of("")),
        Value::Null => Err(npe()),
        other => Ok(StringBuilder::buffer_of(&other.java_to_string())),
    });
    r.add(SB, "<init>", 0, |_, _, _| Ok(StringBuilder::value_of("")));
    r.add(SB, "<init>", 1, |_, a, _| match arg(a, 0) {
        Value::Int(_) => Ok(StringBuilder::value_of("")),
        Value::Null => Err(npe()),
        other => Ok(StringBuilder::value_of(&other.java_to_string())),
    });
    r.add_on(&[SB, SBUF], "append", 1, |t, a, _| {
        let b = sb(t)?;
        let text = match arg(a, 0) {
            Value::Array(_) => value_of(arg(a, 0)),
            other => other.java_to_string(),
        };
        b.units.borrow_mut().extend(text.encode_utf16());
        Ok(recv(t)?.clone())
    });
    r.add_on(&[SB, SBUF], "append", 3, |t, a, _| {
        let b = sb(t)?;
        let s = chars_arg(a, 0)?;
        let part = substring16(&s, int_arg(a, 1)?, int_arg(a, 2)?)
            .map_err(|_| exc_bare("IndexOutOfBoundsException"))?;
        b.units.borrow_mut().extend(part.encode_utf16());
        Ok(recv(t)?.clone())
    });
    r.add_on(&[SB, SBUF], "length", 0, |t, _, _| {
        Ok(Value::Int(sb(t)?.units.borrow().len() as i32))
    });
    r.add_on(&[SB, SBUF], "toString", 0, |t, _, _| {
        Ok(Value::from(sb(t)?.java_to_string()))
    });
    r.add_on(&[SB, SBUF], "reverse", 0, |t, _, _| {
        let b = sb(t)?;
        let s: String = b.java_to_string().chars().rev().collect();
        *b.units.borrow_mut() = s.encode_utf16().collect();
        Ok(recv(t)?.clone())
    });
    r.add_on(&[SB, SBUF], "setLength", 1, |t, a, _| {
        let b = sb(t)?;
        let n = int_arg(a, 0)?;
        if n < 0 {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("String index out of range: {n}"),
            ));
        }
        b.units.borrow_mut().resize(n as usize, 0);
        Ok(Value::Null)
    });
    r.add_on(&[SB, SBUF], "insert", 2, |t, a, _| {
        let b = sb(t)?;
        let at = int_arg(a, 0)?;
        let len = b.units.borrow().len();
        if at < 0 || at as usize > len {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("offset {at}, length {len}"),
            ));
        }
        let text: Vec<u16> = arg(a, 1).java_to_string().encode_utf16().collect();
        let mut u = b.units.borrow_mut();
        let tail = u.split_off(at as usize);
        u.extend(text);
        u.extend(tail);
        drop(u);
        Ok(recv(t)?.clone())
    });
    r.add_on(&[SB, SBUF], "deleteCharAt", 1, |t, a, _| {
        let b = sb(t)?;
        let i = int_arg(a, 0)?;
        let len = b.units.borrow().len();
        if i < 0 || i as usize >= len {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("index {i},length {len}"),
            ));
        }
        b.units.borrow_mut().remove(i as usize);
        Ok(recv(t)?.clone())
    });
    r.add_on(&[SB, SBUF], "delete", 2, |t, a, _| {
        let b = sb(t)?;
        let (s, e) = (int_arg(a, 0)?, int_arg(a, 1)?);
        let len = b.units.borrow().len() as i32;
        let e = e.min(len);
        if s < 0 || s > e {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("start {s}, end {e}, length {len}"),
            ));
        }
        b.units.borrow_mut().drain(s as usize..e as usize);
        Ok(recv(t)?.clone())
    });
    r.add_on(&[SB, SBUF], "replace", 3, |t, a, _| {
        let b = sb(t)?;
        let (s, e) = (int_arg(a, 0)?, int_arg(a, 1)?);
        let text: Vec<u16> = str_arg(a, 2)?.encode_utf16().collect();
        let len = b.units.borrow().len() as i32;
        if s < 0 || s > len || s > e {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("start {s}, end {e}, length {len}"),
            ));
        }
        let e = e.min(len);
        b.units.borrow_mut().splice(s as usize..e as usize, text);
        Ok(recv(t)?.clone())
    });
    r.add_on(&[SB, SBUF], "setCharAt", 2, |t, a, _| {
        let b = sb(t)?;
        let i = int_arg(a, 0)?;
        let len = b.units.borrow().len();
        if i < 0 || i as usize >= len {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("index {i},length {len}"),
            ));
        }
        b.units.borrow_mut()[i as usize] = char_arg(a, 1)?;
        Ok(Value::Null)
    });
    r.add_on(&[SB, SBUF], "indexOf", 1, |t, a, _| {
        Ok(Value::Int(index_of16(
            &sb(t)?.java_to_string(),
            str_arg(a, 0)?,
            0,
        )))
    });
    r.add_on(&[SB, SBUF], "indexOf", 2, |t, a, _| {
        Ok(Value::Int(index_of16(
            &sb(t)?.java_to_string(),
            str_arg(a, 0)?,
            int_arg(a, 1)?,
        )))
    });
    r.add_on(&[SB, SBUF], "lastIndexOf", 1, |t, a, _| {
        let s = sb(t)?.java_to_string();
        Ok(Value::Int(last_index_of16(
            &s,
            str_arg(a, 0)?,
            len16(&s) as i32,
        )))
    });
    r.add_on(&[SB, SBUF], "substring", 1, |t, a, _| {
        let s = sb(t)?.java_to_string();
        Ok(Value::from(substring16(
            &s,
            int_arg(a, 0)?,
            len16(&s) as i32,
        )?))
    });
    r.add_on(&[SB, SBUF], "substring", 2, |t, a, _| {
        Ok(Value::from(substring16(
            &sb(t)?.java_to_string(),
            int_arg(a, 0)?,
            int_arg(a, 1)?,
        )?))
    });
    r.add_on(&[SB, SBUF], "capacity", 0, |t, _, _| {
        Ok(Value::Int((sb(t)?.units.borrow().len() + 16) as i32))
    });
    r.add_on(&[SB, SBUF], "appendCodePoint", 1, |t, a, _| {
        let b = sb(t)?;
        let c = u32::try_from(int_arg(a, 0)?)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| exc_bare("IllegalArgumentException"))?;
        let mut buf = [0u16; 2];
        b.units
            .borrow_mut()
            .extend_from_slice(c.encode_utf16(&mut buf));
        Ok(recv(t)?.clone())
    });
}

/// Smaller java.lang methods: unsigned arithmetic, radix parsing of the small boxes, bit
/// conversions, `Math.nextUp`..., surrogate helpers.
fn register_more(r: &mut Registry) {
    r.add(LONG, "compareUnsigned", 2, |_, a, _| {
        Ok(Value::Int(ord(
            (long_arg(a, 0)? as u64).cmp(&(long_arg(a, 1)? as u64))
        )))
    });
    r.add(LONG, "divideUnsigned", 2, |_, a, _| {
        let d = long_arg(a, 1)? as u64;
        if d == 0 {
            return Err(exc("ArithmeticException", "/ by zero"));
        }
        Ok(Value::Long(((long_arg(a, 0)? as u64) / d) as i64))
    });
    r.add(LONG, "remainderUnsigned", 2, |_, a, _| {
        let d = long_arg(a, 1)? as u64;
        if d == 0 {
            return Err(exc("ArithmeticException", "/ by zero"));
        }
        Ok(Value::Long(((long_arg(a, 0)? as u64) % d) as i64))
    });
    r.add(LONG, "highestOneBit", 1, |_, a, _| {
        let v = long_arg(a, 0)? as u64;
        Ok(Value::Long(if v == 0 {
            0
        } else {
            (1u64 << (63 - v.leading_zeros())) as i64
        }))
    });
    r.add(LONG, "lowestOneBit", 1, |_, a, _| {
        let v = long_arg(a, 0)?;
        Ok(Value::Long(v & v.wrapping_neg()))
    });
    r.add(LONG, "parseUnsignedLong", 1, |_, a, _| {
        Ok(Value::Long(
            parse_unsigned(opt_str(arg(a, 0))?, 10, u64::MAX)? as i64,
        ))
    });
    r.add(LONG, "parseUnsignedLong", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Long(
            parse_unsigned(opt_str(arg(a, 0))?, radix, u64::MAX)? as i64,
        ))
    });
    r.add(INTEGER, "parseUnsignedInt", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Int(
            parse_unsigned(opt_str(arg(a, 0))?, radix, u64::from(u32::MAX))? as u32 as i32,
        ))
    });
    r.add(INTEGER, "toUnsignedString", 2, |_, a, _| {
        Ok(Value::from(unsigned_radix(
            u64::from(int_arg(a, 0)? as u32),
            radix_arg(a, 1).unwrap_or(10),
        )))
    });
    r.add(BYTE, "parseByte", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Byte(
            parse_short_byte(opt_str(arg(a, 0))?, radix, i8::MIN.into(), i8::MAX.into())? as i8,
        ))
    });
    r.add(BYTE, "valueOf", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Byte(
            parse_short_byte(opt_str(arg(a, 0))?, radix, i8::MIN.into(), i8::MAX.into())? as i8,
        ))
    });
    r.add(SHORT, "parseShort", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Short(parse_short_byte(
            opt_str(arg(a, 0))?,
            radix,
            i16::MIN.into(),
            i16::MAX.into(),
        )? as i16))
    });
    r.add(SHORT, "valueOf", 2, |_, a, _| {
        let radix = radix_arg(a, 1)?;
        Ok(Value::Short(parse_short_byte(
            opt_str(arg(a, 0))?,
            radix,
            i16::MIN.into(),
            i16::MAX.into(),
        )? as i16))
    });
    r.add(BYTE, "decode", 1, |_, a, _| {
        let v = decode(str_arg(a, 0)?, i32::MIN.into(), i32::MAX.into())?;
        if v < i64::from(i8::MIN) || v > i64::from(i8::MAX) {
            return Err(exc(
                "NumberFormatException",
                format!("Value {v} out of range from input {}", str_arg(a, 0)?),
            ));
        }
        Ok(Value::Byte(v as i8))
    });
    r.add(SHORT, "decode", 1, |_, a, _| {
        let v = decode(str_arg(a, 0)?, i32::MIN.into(), i32::MAX.into())?;
        if v < i64::from(i16::MIN) || v > i64::from(i16::MAX) {
            return Err(exc(
                "NumberFormatException",
                format!("Value {v} out of range from input {}", str_arg(a, 0)?),
            ));
        }
        Ok(Value::Short(v as i16))
    });
    r.add(BYTE, "toUnsignedInt", 1, |_, a, _| {
        Ok(Value::Int(i32::from(int_arg(a, 0)? as u8)))
    });
    r.add(BYTE, "toUnsignedLong", 1, |_, a, _| {
        Ok(Value::Long(i64::from(int_arg(a, 0)? as u8)))
    });
    r.add(SHORT, "toUnsignedInt", 1, |_, a, _| {
        Ok(Value::Int(i32::from(int_arg(a, 0)? as u16)))
    });
    r.add(SHORT, "toUnsignedLong", 1, |_, a, _| {
        Ok(Value::Long(i64::from(int_arg(a, 0)? as u16)))
    });
    r.add(SHORT, "reverseBytes", 1, |_, a, _| {
        Ok(Value::Short((int_arg(a, 0)? as i16).swap_bytes()))
    });
    r.field(BYTE, "BYTES", || Value::Int(1));
    r.field(BYTE, "SIZE", || Value::Int(8));
    r.field(SHORT, "BYTES", || Value::Int(2));
    r.field(SHORT, "SIZE", || Value::Int(16));
    r.field(FLOAT, "BYTES", || Value::Int(4));
    r.field(FLOAT, "SIZE", || Value::Int(32));
    r.field(FLOAT, "MAX_EXPONENT", || Value::Int(127));
    r.field(FLOAT, "MIN_EXPONENT", || Value::Int(-126));
    r.field(CHARACTER, "BYTES", || Value::Int(2));
    r.field(CHARACTER, "SIZE", || Value::Int(16));
    r.field(CHARACTER, "MIN_CODE_POINT", || Value::Int(0));
    r.field(CHARACTER, "MAX_CODE_POINT", || Value::Int(0x10ffff));
    r.field(CHARACTER, "MIN_SUPPLEMENTARY_CODE_POINT", || {
        Value::Int(0x10000)
    });
    r.field(CHARACTER, "MIN_HIGH_SURROGATE", || Value::Char(0xD800));
    r.field(CHARACTER, "MAX_HIGH_SURROGATE", || Value::Char(0xDBFF));
    r.field(CHARACTER, "MIN_LOW_SURROGATE", || Value::Char(0xDC00));
    r.field(CHARACTER, "MAX_LOW_SURROGATE", || Value::Char(0xDFFF));
    r.field(CHARACTER, "MIN_SURROGATE", || Value::Char(0xD800));
    r.field(CHARACTER, "MAX_SURROGATE", || Value::Char(0xDFFF));
    r.add(FLOAT, "floatToRawIntBits", 1, |_, a, _| {
        Ok(Value::Int(float_arg(a, 0)?.to_bits() as i32))
    });
    for class in ["java.lang.Math", "java.lang.StrictMath"] {
        r.add(class, "nextUp", 1, |_, a, _| {
            Ok(Value::Double(next_up(double_arg(a, 0)?)))
        });
        r.add(class, "nextDown", 1, |_, a, _| {
            Ok(Value::Double(-next_up(-double_arg(a, 0)?)))
        });
        r.add(class, "nextAfter", 2, |_, a, _| {
            let (x, d) = (double_arg(a, 0)?, double_arg(a, 1)?);
            Ok(Value::Double(if x.is_nan() || d.is_nan() {
                f64::NAN
            } else if x == d {
                d
            } else if d > x {
                next_up(x)
            } else {
                -next_up(-x)
            }))
        });
        r.add(class, "scalb", 2, |_, a, _| {
            Ok(Value::Double(double_arg(a, 0)? * 2f64.powi(int_arg(a, 1)?)))
        });
    }
    r.add(CHARACTER, "isSupplementaryCodePoint", 1, |_, a, _| {
        Ok(Value::Boolean(
            (0x10000..=0x10ffff).contains(&int_arg(a, 0)?),
        ))
    });
    r.add(CHARACTER, "isSurrogatePair", 2, |_, a, _| {
        Ok(Value::Boolean(
            (0xD800..0xDC00).contains(&char_arg(a, 0)?)
                && (0xDC00..0xE000).contains(&char_arg(a, 1)?),
        ))
    });
    r.add(CHARACTER, "toCodePoint", 2, |_, a, _| {
        Ok(Value::Int(
            0x10000
                + ((i32::from(char_arg(a, 0)?) - 0xD800) << 10)
                + (i32::from(char_arg(a, 1)?) - 0xDC00),
        ))
    });
    r.add(CHARACTER, "highSurrogate", 1, |_, a, _| {
        Ok(Value::Char(
            (((int_arg(a, 0)? as u32) >> 10) + (0xD800 - (0x10000 >> 10))) as u16,
        ))
    });
    r.add(CHARACTER, "lowSurrogate", 1, |_, a, _| {
        Ok(Value::Char(
            (((int_arg(a, 0)? as u32) & 0x3ff) + 0xDC00) as u16,
        ))
    });
    r.add(CHARACTER, "toChars", 1, |_, a, _| {
        let c = u32::try_from(int_arg(a, 0)?)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| {
                exc(
                    "IllegalArgumentException",
                    format!(
                        "Not a valid Unicode code point: 0x{:X}",
                        int_arg(a, 0).unwrap_or(0)
                    ),
                )
            })?;
        let mut buf = [0u16; 2];
        let items = c
            .encode_utf16(&mut buf)
            .iter()
            .map(|u| Value::Char(*u))
            .collect();
        Ok(Value::Array(Rc::new(std::cell::RefCell::new(JArray::new(
            "char".into(),
            items,
        )))))
    });
    r.add(CHARACTER, "reverseBytes", 1, |_, a, _| {
        Ok(Value::Char(char_arg(a, 0)?.swap_bytes()))
    });
    r.add(CHARACTER, "isTitleCase", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some_and(|c| matches!(c, '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}' | '\u{1f88}'..='\u{1f8f}' | '\u{1f98}'..='\u{1f9f}' | '\u{1fa8}'..='\u{1faf}' | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}'))))
    });
    r.add(CHARACTER, "isDefined", 1, |_, a, _| {
        Ok(Value::Boolean(cp(a)?.is_some()))
    });
    r.add(STRING, "codePointBefore", 1, |t, a, _| {
        let s = to16(this_str(t)?);
        let i = int_arg(a, 0)?;
        if i < 1 || i as usize > s.len() {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("Index {i} out of bounds for length {}", s.len()),
            ));
        }
        let i = i as usize;
        let lo = s[i - 1];
        if (0xDC00..0xE000).contains(&lo) && i >= 2 && (0xD800..0xDC00).contains(&s[i - 2]) {
            return Ok(Value::Int(code_point_at(&s, i - 2)));
        }
        Ok(Value::Int(i32::from(lo)))
    });
    r.add(STRING, "getChars", 4, |t, a, _| get_chars(this_str(t)?, a));
    r.add(STRING, "offsetByCodePoints", 2, |t, a, _| {
        offset_by_code_points(this_str(t)?, int_arg(a, 0)?, int_arg(a, 1)?)
    });
    r.add_on(&[SB, SBUF], "getChars", 4, |t, a, _| get_chars(&seq(t)?, a));
    r.add_on(&[SB, SBUF], "offsetByCodePoints", 2, |t, a, _| {
        offset_by_code_points(&seq(t)?, int_arg(a, 0)?, int_arg(a, 1)?)
    });
    r.add_on(&[SB, SBUF], "lastIndexOf", 2, |t, a, _| {
        Ok(Value::Int(last_index_of16(
            &seq(t)?,
            str_arg(a, 0)?,
            int_arg(a, 1)?,
        )))
    });
    r.add_on(&[SB, SBUF], "codePointAt", 1, |t, a, _| {
        let s = to16(&seq(t)?);
        let i = int_arg(a, 0)?;
        if i < 0 || i as usize >= s.len() {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("index {i},length {}", s.len()),
            ));
        }
        Ok(Value::Int(code_point_at(&s, i as usize)))
    });
    r.add(STRING, "copyValueOf", 3, |_, a, _| {
        let chars = to16(&chars_of_array(arg(a, 0))?);
        let (off, n) = (int_arg(a, 1)?, int_arg(a, 2)?);
        if off < 0 || n < 0 || (off as usize + n as usize) > chars.len() {
            return Err(exc(
                "StringIndexOutOfBoundsException",
                format!("offset {off}, count {n}, length {}", chars.len()),
            ));
        }
        Ok(Value::from(from16(
            &chars[off as usize..(off + n) as usize],
        )))
    });
}

/// `getChars(srcBegin, srcEnd, dst, dstBegin)` of a string or builder into a `char[]`.
fn get_chars(text: &str, a: &[Value]) -> R {
    let units = to16(text);
    let (b, e, d) = (int_arg(a, 0)?, int_arg(a, 1)?, int_arg(a, 3)?);
    if b < 0 || b > e || e as usize > units.len() {
        return Err(exc(
            "StringIndexOutOfBoundsException",
            format!("begin {b}, end {e}, length {}", units.len()),
        ));
    }
    let Value::Array(arr) = arg(a, 2) else {
        return Err(npe());
    };
    let mut arr = arr.borrow_mut();
    let n = (e - b) as usize;
    if d < 0 || d as usize + n > arr.items.len() {
        return Err(exc(
            "ArrayIndexOutOfBoundsException",
            format!(
                "arraycopy: last destination index {} out of bounds for char[{}]",
                d as i64 + n as i64,
                arr.items.len()
            ),
        ));
    }
    for i in 0..n {
        arr.items[d as usize + i] = Value::Char(units[b as usize + i]);
    }
    Ok(Value::Null)
}

/// `offsetByCodePoints(index, codePointOffset)`.
fn offset_by_code_points(text: &str, index: i32, offset: i32) -> R {
    let units = to16(text);
    if index < 0 || index as usize > units.len() {
        return Err(exc_bare("IndexOutOfBoundsException"));
    }
    let mut i = index as usize;
    let is_hi = |u: u16| (0xD800..0xDC00).contains(&u);
    let is_lo = |u: u16| (0xDC00..0xE000).contains(&u);
    if offset >= 0 {
        for _ in 0..offset {
            if i >= units.len() {
                return Err(exc_bare("IndexOutOfBoundsException"));
            }
            i += if is_hi(units[i]) && i + 1 < units.len() && is_lo(units[i + 1]) {
                2
            } else {
                1
            };
        }
    } else {
        for _ in 0..(-offset) {
            if i == 0 {
                return Err(exc_bare("IndexOutOfBoundsException"));
            }
            i -= if is_lo(units[i - 1]) && i >= 2 && is_hi(units[i - 2]) {
                2
            } else {
                1
            };
        }
    }
    Ok(Value::Int(i as i32))
}

/// `Math.nextUp`.
fn next_up(d: f64) -> f64 {
    if d.is_nan() || d == f64::INFINITY {
        return d;
    }
    if d == 0.0 {
        return f64::from_bits(1);
    }
    let bits = d.to_bits();
    f64::from_bits(if d > 0.0 { bits + 1 } else { bits - 1 })
}

/// `Long.parseUnsignedLong` / `Integer.parseUnsignedInt`: no '-' sign allowed.
fn parse_unsigned(s: Option<&str>, radix: u32, max: u64) -> Result<u64, Thrown> {
    let Some(s) = s else {
        return Err(exc(
            "NumberFormatException",
            "Cannot parse null string: null",
        ));
    };
    if s.starts_with('-') {
        return Err(exc(
            "NumberFormatException",
            format!("Illegal leading minus sign on unsigned string {s}."),
        ));
    }
    let digits = s.strip_prefix('+').unwrap_or(s);
    let fail = || {
        let suffix = if radix == 10 {
            String::new()
        } else {
            format!(" under radix {radix}")
        };
        exc(
            "NumberFormatException",
            format!("For input string: \"{s}\"{suffix}"),
        )
    };
    if digits.is_empty() {
        return Err(fail());
    }
    let mut v: u128 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix).ok_or_else(fail)?;
        v = v * u128::from(radix) + u128::from(d);
        if v > u128::from(max) {
            let what = if max == u64::MAX { "long" } else { "int" };
            return Err(exc(
                "NumberFormatException",
                format!("String value {s} exceeds range of unsigned {what}."),
            ));
        }
    }
    Ok(v as u64)
}
