//! Numbers and booleans as the field mappers read them from the parser: `NumberFieldMapper`
//! (`NumberType.parse(XContentParser, coerce)`), `AbstractXContentParser` (`intValue`,
//! `longValue`, ... with their coercion of strings), `Numbers.toLong`, `Booleans.parseBoolean`,
//! and the Jackson accessors underneath (`getIntValue` on a token that is not a number, range
//! overflow).

use serde_json::{json, Value};

use super::error::JavaError;
use super::model::NumberType;
use super::tokens::{Kind, Tokens};
use painless::value::{java_double_to_string, java_float_to_string};

pub(crate) enum DoubleText {
    Value(f64),
    /// A hexadecimal floating-point literal (`0x1p3`): valid in Java, not evaluated here.
    Hex,
}

/// Java's `Double.parseDouble` grammar (`FloatingDecimal.readJavaFormatString`): surrounding
/// whitespace ignored, optional sign, `NaN`, `Infinity`, decimal digits with optional point and
/// exponent, an optional `f`/`F`/`d`/`D` suffix, or a hexadecimal literal.
pub(crate) fn java_parse_double(s: &str) -> Option<DoubleText> {
    let t = s.trim_matches(|c: char| c <= ' ');
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let sign = if neg { -1.0 } else { 1.0 };
    match body {
        "NaN" => return Some(DoubleText::Value(f64::NAN)),
        "Infinity" => return Some(DoubleText::Value(sign * f64::INFINITY)),
        _ => {}
    }
    if body.starts_with("0x") || body.starts_with("0X") {
        return if body.contains(['p', 'P']) {
            Some(DoubleText::Hex)
        } else {
            None
        };
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let b = body.as_bytes();
    let mut i = 0;
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let v: f64 = body.parse().ok()?;
    Some(DoubleText::Value(sign * v))
}

fn nfe_for(s: &str) -> JavaError {
    if s.trim_matches(|c: char| c <= ' ').is_empty() {
        JavaError::number_format("empty String")
    } else {
        JavaError::number_format(format!("For input string: \"{s}\""))
    }
}

/// `Double.parseDouble` as a Java call: the value or `NumberFormatException`.
fn parse_double(s: &str) -> Result<f64, JavaError> {
    match java_parse_double(s) {
        Some(DoubleText::Value(v)) => Ok(v),
        Some(DoubleText::Hex) => Err(JavaError::unsupported(format!(
            "hexadecimal floating-point numbers ([{s}])"
        ))),
        None => Err(nfe_for(s)),
    }
}

fn parse_float(s: &str) -> Result<f32, JavaError> {
    let t = s.trim_matches(|c: char| c <= ' ');
    match java_parse_double(s) {
        Some(DoubleText::Value(v)) if v.is_nan() || v.is_infinite() => Ok(v as f32),
        Some(DoubleText::Value(_)) => {
            let body = t.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(t);
            body.parse::<f32>().map_err(|_| nfe_for(s))
        }
        Some(DoubleText::Hex) => Err(JavaError::unsupported(format!(
            "hexadecimal floating-point numbers ([{s}])"
        ))),
        None => Err(nfe_for(s)),
    }
}

fn check_coerce_string(coerce: bool, class: &str) -> Result<(), JavaError> {
    if coerce {
        Ok(())
    } else {
        Err(JavaError::illegal_argument(format!(
            "{class} value passed as String"
        )))
    }
}

/// Jackson's error for a numeric accessor on a token that is not a number.
fn not_numeric(p: &Tokens<'_>) -> JavaError {
    let name = p.current().map_or("null", Kind::jackson_name);
    JavaError::new(
        "JsonParseException",
        format!(
            "Current token ({name}) not numeric, can not use numeric value accessors\n at {}",
            p.jackson_location()
        ),
    )
}

fn overflow(p: &Tokens<'_>, target: &str, range: &str) -> JavaError {
    let text = p.token().map(|t| t.text.to_string()).unwrap_or_default();
    JavaError::new(
        "InputCoercionException",
        format!(
            "Numeric value ({text}) out of range of {target} ({range})\n at {}",
            p.jackson_location()
        ),
    )
}

/// The number of a numeric token as Jackson holds it.
fn token_number(p: &Tokens<'_>) -> Option<serde_json::Number> {
    match p.current_value() {
        Some(Value::Number(n)) => Some(n.clone()),
        _ => None,
    }
}

fn token_double(p: &Tokens<'_>) -> Result<f64, JavaError> {
    match p.current() {
        Some(Kind::Int | Kind::Float) => {
            Ok(token_number(p).and_then(|n| n.as_f64()).unwrap_or(f64::NAN))
        }
        _ => Err(not_numeric(p)),
    }
}

/// `ensureNumberConversion`: without coercion, a fraction lost in the conversion is an error.
fn ensure_conversion(
    p: &Tokens<'_>,
    coerce: bool,
    result: f64,
    class: &str,
) -> Result<(), JavaError> {
    if !coerce {
        let full = token_double(p)?;
        if result != full {
            return Err(JavaError::illegal_argument(format!(
                "{} cannot be converted to {class} without data loss",
                java_double_to_string(full)
            )));
        }
    }
    Ok(())
}

/// `AbstractXContentParser.intValue(coerce)`.
fn int_value(p: &Tokens<'_>, coerce: bool) -> Result<i32, JavaError> {
    if p.current() == Some(Kind::String) {
        check_coerce_string(coerce, "Integer")?;
        let text = p.text()?;
        let d = parse_double(&text)?;
        if d < f64::from(i32::MIN) || d > f64::from(i32::MAX) {
            return Err(JavaError::illegal_argument(format!(
                "Value [{text}] is out of range for an integer"
            )));
        }
        return Ok(d as i32);
    }
    let result = match p.current() {
        Some(Kind::Int) => {
            let n = token_number(p).ok_or_else(|| not_numeric(p))?;
            match n.as_i64().and_then(|v| i32::try_from(v).ok()) {
                Some(v) => v,
                None => return Err(overflow(p, "int", "-2147483648 - 2147483647")),
            }
        }
        Some(Kind::Float) => {
            let d = token_double(p)?;
            if d < f64::from(i32::MIN) || d > f64::from(i32::MAX) {
                return Err(overflow(p, "int", "-2147483648 - 2147483647"));
            }
            d as i32
        }
        _ => return Err(not_numeric(p)),
    };
    ensure_conversion(p, coerce, f64::from(result), "Integer")?;
    Ok(result)
}

/// `AbstractXContentParser.longValue(coerce)`.
fn long_value(p: &Tokens<'_>, coerce: bool) -> Result<i64, JavaError> {
    if p.current() == Some(Kind::String) {
        check_coerce_string(coerce, "Long")?;
        return to_long(&p.text()?, coerce);
    }
    let result = match p.current() {
        Some(Kind::Int) => {
            let n = token_number(p).ok_or_else(|| not_numeric(p))?;
            match n.as_i64() {
                Some(v) => v,
                None => {
                    return Err(overflow(
                        p,
                        "long",
                        "-9223372036854775808 - 9223372036854775807",
                    ))
                }
            }
        }
        Some(Kind::Float) => {
            let d = token_double(p)?;
            if !(-9.223_372_036_854_776e18..=9.223_372_036_854_776e18).contains(&d) {
                return Err(overflow(
                    p,
                    "long",
                    "-9223372036854775808 - 9223372036854775807",
                ));
            }
            d as i64
        }
        _ => return Err(not_numeric(p)),
    };
    ensure_conversion(p, coerce, result as f64, "Long")?;
    Ok(result)
}

/// `java.math.BigDecimal(String)` syntax: sign, digits with an optional point, exponent.
/// Returns the digits (no point), and the scale (digits after the point minus the exponent).
fn big_decimal(s: &str) -> Option<(bool, String, i64)> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i64>().ok()?),
        None => (body, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((a, b)) => (a, b),
        None => (mantissa, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some((
        neg,
        format!("{int_part}{frac_part}"),
        frac_part.len() as i64 - exp,
    ))
}

/// `Numbers.toLong(String, coerce)`.
fn to_long(s: &str, coerce: bool) -> Result<i64, JavaError> {
    if let Ok(v) = s.parse::<i64>() {
        return Ok(v);
    }
    let out_of_range =
        || JavaError::illegal_argument(format!("Value [{s}] is out of range for a long"));
    let Some((neg, digits, scale)) = big_decimal(s) else {
        return Err(JavaError::illegal_argument(format!(
            "For input string: \"{s}\""
        )));
    };
    let digits = digits.trim_start_matches('0').to_string();
    // integer part and whether a fraction remains
    let (int_digits, has_fraction) = if scale <= 0 {
        if digits.is_empty() {
            (String::new(), false)
        } else {
            if digits.len() as i64 - scale > 20 {
                return Err(out_of_range());
            }
            (format!("{digits}{}", "0".repeat((-scale) as usize)), false)
        }
    } else {
        let scale = scale as usize;
        if digits.len() <= scale {
            (String::new(), digits.bytes().any(|b| b != b'0'))
        } else {
            let (a, b) = digits.split_at(digits.len() - scale);
            (a.to_string(), b.bytes().any(|c| c != b'0'))
        }
    };
    if int_digits.len() > 20 {
        return Err(out_of_range());
    }
    let magnitude: i128 = if int_digits.is_empty() {
        0
    } else {
        int_digits.parse().map_err(|_| out_of_range())?
    };
    // the weak bounds of Numbers.toLong: value >= 2^63 or value <= -(2^63 + 1)
    let two63: i128 = i128::from(i64::MAX) + 1;
    if (!neg && magnitude >= two63) || (neg && magnitude > two63) {
        return Err(out_of_range());
    }
    if has_fraction && !coerce {
        return Err(JavaError::illegal_argument(format!(
            "Value [{s}] has a decimal part"
        )));
    }
    let v = if neg { -magnitude } else { magnitude };
    i64::try_from(v).map_err(|_| out_of_range())
}

fn float_value(p: &Tokens<'_>, coerce: bool) -> Result<f32, JavaError> {
    if p.current() == Some(Kind::String) {
        check_coerce_string(coerce, "Float")?;
        return parse_float(&p.text()?);
    }
    Ok(token_double(p)? as f32)
}

/// `AbstractXContentParser.doubleValue(coerce)`.
pub(crate) fn double_value(p: &Tokens<'_>, coerce: bool) -> Result<f64, JavaError> {
    if p.current() == Some(Kind::String) {
        check_coerce_string(coerce, "Double")?;
        return parse_double(&p.text()?);
    }
    token_double(p)
}

fn finite_f32(name: &str, v: f32) -> Result<f32, JavaError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(JavaError::illegal_argument(format!(
            "[{name}] supports only finite values, but got [{}]",
            java_float_to_string(v)
        )))
    }
}

/// `NumberType.parse(XContentParser, coerce)`, as the stored (doc value) number.
pub(crate) fn parse_number(
    p: &Tokens<'_>,
    ty: NumberType,
    coerce: bool,
) -> Result<Value, JavaError> {
    match ty {
        NumberType::Byte | NumberType::Short => {
            let v = int_value(p, coerce)?;
            let (lo, hi, name) = if ty == NumberType::Byte {
                (i32::from(i8::MIN), i32::from(i8::MAX), "byte")
            } else {
                (i32::from(i16::MIN), i32::from(i16::MAX), "short")
            };
            if v < lo || v > hi {
                return Err(JavaError::illegal_argument(format!(
                    "Value [{v}] is out of range for a {name}"
                )));
            }
            Ok(json!(v))
        }
        NumberType::Integer => Ok(json!(int_value(p, coerce)?)),
        NumberType::Long => Ok(json!(long_value(p, coerce)?)),
        NumberType::UnsignedLong => {
            let ok = match p.current() {
                Some(Kind::Int) => token_number(p).and_then(|n| n.as_u64()),
                Some(Kind::String) if coerce => p.text().ok().and_then(|t| t.parse::<u64>().ok()),
                _ => None,
            };
            ok.map(|v| json!(v)).ok_or_else(|| {
                JavaError::unsupported("this value for an [unsigned_long] field (only integers 0 to 2^64-1 are emulated)")
            })
        }
        NumberType::HalfFloat => {
            let v = float_value(p, coerce)?;
            // HalfFloatPoint: magnitudes from 65520 round to infinity
            if v.is_finite() && v.abs() >= 65520.0 {
                return Err(JavaError::illegal_argument(format!(
                    "[half_float] supports only finite values, but got [{}]",
                    java_float_to_string(v)
                )));
            }
            Ok(json!(f64::from(finite_f32("half_float", v)?)))
        }
        NumberType::Float => Ok(json!(f64::from(finite_f32(
            "float",
            float_value(p, coerce)?
        )?))),
        NumberType::Double => {
            let v = double_value(p, coerce)?;
            if !v.is_finite() {
                return Err(JavaError::illegal_argument(format!(
                    "[double] supports only finite values, but got [{}]",
                    java_double_to_string(v)
                )));
            }
            Ok(json!(v))
        }
    }
}

/// `NumberType.parse(Object, coerce)` for a `null_value` of the mapping.
pub(crate) fn parse_object(v: &Value, ty: NumberType, coerce: bool) -> Result<Value, JavaError> {
    let doc = json!({ "v": v });
    let mut t = Tokens::new(&doc);
    t.next();
    t.next();
    t.next();
    parse_number(&t, ty, coerce || matches!(v, Value::String(_)))
}

/// `XContentParser.booleanValue()`.
pub(crate) fn boolean_value(p: &Tokens<'_>) -> Result<bool, JavaError> {
    match p.current() {
        Some(Kind::String) => {
            let text = p.text()?;
            match text.as_str() {
                "" | "false" => Ok(false),
                "true" => Ok(true),
                _ => Err(JavaError::illegal_argument(format!(
                    "Failed to parse value [{text}] as only [true] or [false] are allowed."
                ))),
            }
        }
        Some(Kind::True) => Ok(true),
        Some(Kind::False) => Ok(false),
        other => Err(JavaError::new(
            "JsonParseException",
            format!(
                "Current token ({}) not of boolean type\n at {}",
                other.map_or("null", Kind::jackson_name),
                p.jackson_location()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(doc: &Value) -> Tokens<'_> {
        let mut t = Tokens::new(doc);
        t.next();
        t.next();
        t.next();
        t
    }

    // NumberFieldMapperTests / NumbersTests cases
    #[test]
    fn longs() {
        assert_eq!(to_long("12", true).unwrap(), 12);
        assert_eq!(to_long("12.7", true).unwrap(), 12);
        assert_eq!(to_long("-12.7", true).unwrap(), -12);
        assert_eq!(to_long("1e3", true).unwrap(), 1000);
        assert_eq!(
            to_long("12.5", false).unwrap_err().message,
            "Value [12.5] has a decimal part"
        );
        assert_eq!(
            to_long("abc", true).unwrap_err().message,
            "For input string: \"abc\""
        );
        assert_eq!(
            to_long("9223372036854775808", true).unwrap_err().message,
            "Value [9223372036854775808] is out of range for a long"
        );
        assert_eq!(to_long("-9223372036854775808", true).unwrap(), i64::MIN);
        assert_eq!(to_long("9223372036854775807.9", true).unwrap(), i64::MAX);
        assert!(to_long("1e30", true).is_err());
    }

    #[test]
    fn integers_from_strings_go_through_double() {
        let doc = json!({"v": "twenty"});
        let e = parse_number(&tok(&doc), NumberType::Integer, true).unwrap_err();
        assert_eq!(e.class, "NumberFormatException");
        assert_eq!(e.message, "For input string: \"twenty\"");
        let doc = json!({"v": " 12.9 "});
        assert_eq!(
            parse_number(&tok(&doc), NumberType::Integer, true).unwrap(),
            json!(12)
        );
        let doc = json!({"v": "3000000000"});
        assert_eq!(
            parse_number(&tok(&doc), NumberType::Integer, true)
                .unwrap_err()
                .message,
            "Value [3000000000] is out of range for an integer"
        );
        let doc = json!({"v": 300});
        assert_eq!(
            parse_number(&tok(&doc), NumberType::Byte, true)
                .unwrap_err()
                .message,
            "Value [300] is out of range for a byte"
        );
        let doc = json!({"v": 1.5});
        assert_eq!(
            parse_number(&tok(&doc), NumberType::Long, false)
                .unwrap_err()
                .message,
            "1.5 cannot be converted to Long without data loss"
        );
        assert_eq!(
            parse_number(&tok(&doc), NumberType::Long, true).unwrap(),
            json!(1)
        );
    }

    #[test]
    fn non_numeric_tokens() {
        let doc = json!({"v": true});
        let e = parse_number(&tok(&doc), NumberType::Long, true).unwrap_err();
        assert_eq!(e.class, "JsonParseException");
        assert!(e.message.starts_with(
            "Current token (VALUE_TRUE) not numeric, can not use numeric value accessors\n at [Source: REDACTED"
        ));
        let doc = json!({"v": "Infinity"});
        assert_eq!(
            parse_number(&tok(&doc), NumberType::Float, true)
                .unwrap_err()
                .message,
            "[float] supports only finite values, but got [Infinity]"
        );
    }

    #[test]
    fn booleans() {
        for (v, want) in [
            (json!("true"), true),
            (json!("false"), false),
            (json!(""), false),
            (json!(true), true),
        ] {
            let doc = json!({ "v": v });
            assert_eq!(boolean_value(&tok(&doc)).unwrap(), want);
        }
        let doc = json!({"v": "yes"});
        assert_eq!(
            boolean_value(&tok(&doc)).unwrap_err().message,
            "Failed to parse value [yes] as only [true] or [false] are allowed."
        );
        let doc = json!({"v": 1});
        assert!(boolean_value(&tok(&doc))
            .unwrap_err()
            .message
            .starts_with("Current token (VALUE_NUMBER_INT) not of boolean type"));
    }

    #[test]
    fn java_doubles() {
        assert!(java_parse_double("1f").is_some());
        assert!(java_parse_double(" 1.5e3 ").is_some());
        assert!(java_parse_double("NaN").is_some());
        assert!(java_parse_double(".5").is_some());
        assert!(java_parse_double("5.").is_some());
        assert!(java_parse_double("abc").is_none());
        assert!(java_parse_double("1e").is_none());
        assert!(java_parse_double("").is_none());
        assert!(java_parse_double("inf").is_none());
    }
}
