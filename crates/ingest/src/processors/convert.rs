//! The `convert` processor, and Java's number parsing (`Integer.parseInt`, `Long.decode`,
//! `Double.parseDouble`, `Float.parseFloat`) and `InetAddresses.isInetAddress`, which other text
//! processors share.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/ConvertProcessor.java`
//! (commit 93c7aaa10500d70bdf5d134c344260fbdc8b9e3d).

use painless::value::{Exception, Value};

use crate::config::Config;
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};

/// Java's `java.lang` number parsing, as far as the ingest processors use it.
pub(crate) mod java_number {
    use std::sync::LazyLock;

    use regex_automata::hybrid::dfa::DFA;
    use regex_automata::{Anchored, Input};

    /// `\p{Nd}`: the Unicode decimal digits `Character.isDigit` accepts.
    static DECIMAL_DIGIT: LazyLock<DFA> =
        LazyLock::new(|| DFA::new(r"\p{Nd}").expect("a valid class"));

    fn is_decimal_digit(c: char) -> bool {
        let mut buf = [0u8; 4];
        let s: &str = c.encode_utf8(&mut buf);
        let mut cache = DECIMAL_DIGIT.create_cache();
        matches!(
            DECIMAL_DIGIT.try_search_fwd(&mut cache, &Input::new(s).anchored(Anchored::Yes)),
            Ok(Some(m)) if m.offset() == s.len()
        )
    }

    /// `Character.digit(c, radix)`: ASCII digits and letters, the other Unicode decimal digits
    /// (their value is their place in their run of ten, which starts at a zero), and the
    /// fullwidth Latin letters.
    pub(crate) fn digit(c: char, radix: u32) -> Option<u32> {
        let value = if c.is_ascii() {
            c.to_digit(36)?
        } else if ('\u{FF21}'..='\u{FF3A}').contains(&c) {
            c as u32 - 0xFF21 + 10
        } else if ('\u{FF41}'..='\u{FF5A}').contains(&c) {
            c as u32 - 0xFF41 + 10
        } else if is_decimal_digit(c) {
            let mut start = c as u32;
            while let Some(prev) = start.checked_sub(1).and_then(char::from_u32) {
                if !is_decimal_digit(prev) {
                    break;
                }
                start -= 1;
            }
            (c as u32 - start) % 10
        } else {
            return None;
        };
        (value < radix).then_some(value)
    }

    fn parse_signed(s: &str, radix: u32, min: i64, max: i64) -> Option<i64> {
        let (negative, digits) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        if digits.is_empty() {
            return None;
        }
        // accumulate negatively, as Java does, so that MIN_VALUE parses
        let mut result: i64 = 0;
        for c in digits.chars() {
            let d = i64::from(digit(c, radix)?);
            result = result.checked_mul(i64::from(radix))?.checked_sub(d)?;
            if result < min {
                return None;
            }
        }
        if negative {
            Some(result)
        } else {
            let r = result.checked_neg()?;
            (r <= max).then_some(r)
        }
    }

    /// `Integer.parseInt(s)`.
    pub(crate) fn parse_int(s: &str) -> Option<i32> {
        parse_signed(s, 10, i64::from(i32::MIN), i64::from(i32::MAX)).map(|v| v as i32)
    }

    /// `Integer.parseInt(s, 16)`.
    pub(crate) fn parse_hex(s: &str) -> Option<i64> {
        parse_signed(s, 16, i64::from(i32::MIN), i64::from(i32::MAX))
    }

    /// `Long.parseLong(s)`.
    pub(crate) fn parse_long(s: &str) -> Option<i64> {
        parse_signed(s, 10, i64::MIN, i64::MAX)
    }

    /// `Integer.decode` / `Long.decode` for the `0x` and `-0x` forms convert hands them.
    fn decode_hex(s: &str, min: i64, max: i64) -> Option<i64> {
        let (negative, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let digits = rest
            .strip_prefix("0x")
            .or_else(|| rest.strip_prefix("0X"))?;
        if digits.starts_with(['-', '+']) {
            return None; // "Sign character in wrong position"
        }
        let signed = if negative {
            format!("-{digits}")
        } else {
            digits.to_owned()
        };
        parse_signed(&signed, 16, min, max)
    }

    pub(crate) fn decode_int(s: &str) -> Option<i32> {
        decode_hex(s, i64::from(i32::MIN), i64::from(i32::MAX)).map(|v| v as i32)
    }

    pub(crate) fn decode_long(s: &str) -> Option<i64> {
        decode_hex(s, i64::MIN, i64::MAX)
    }

    /// The decimal and hexadecimal floating-point literals `Double.parseDouble` accepts
    /// (`FloatingDecimal.readJavaFormatString`): surrounding characters up to U+0020 are
    /// trimmed; `NaN`, `Infinity`, optional sign, optional `f`/`F`/`d`/`D` suffix.
    enum Literal {
        NaN,
        Infinite(bool),
        Decimal(String),
        Hex {
            negative: bool,
            mantissa: String,
            exponent: i64,
        },
    }

    fn literal(s: &str) -> Option<Literal> {
        let s = super::super::trim::java_trim(s);
        let (negative, body) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        if body == "NaN" {
            return Some(Literal::NaN);
        }
        if body == "Infinity" {
            return Some(Literal::Infinite(negative));
        }
        if body.starts_with("0x") || body.starts_with("0X") {
            let hex = &body[2..];
            let hex = hex.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(hex);
            let p = hex.find(['p', 'P'])?;
            let (mant, exp) = (&hex[..p], &hex[p + 1..]);
            let (int_part, frac_part) = match mant.split_once('.') {
                Some((i, f)) => (i, f),
                None => (mant, ""),
            };
            if int_part.is_empty() && frac_part.is_empty() {
                return None;
            }
            if !int_part
                .chars()
                .chain(frac_part.chars())
                .all(|c| c.is_ascii_hexdigit())
            {
                return None;
            }
            let exp_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if exp_digits.is_empty() || !exp_digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let exponent: i64 = exp.parse().unwrap_or(if exp.starts_with('-') {
                i64::MIN / 2
            } else {
                i64::MAX / 2
            });
            let exponent = exponent - 4 * frac_part.len() as i64;
            return Some(Literal::Hex {
                negative,
                mantissa: format!("{int_part}{frac_part}"),
                exponent,
            });
        }
        let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
        let (mant, exp) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let (int_part, frac_part) = match mant.split_once('.') {
            Some((i, f)) => (i, f),
            None => (mant, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        if !int_part
            .bytes()
            .chain(frac_part.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        if let Some(exp) = exp {
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
        }
        Some(Literal::Decimal(format!(
            "{}{}",
            if negative { "-" } else { "" },
            body
        )))
    }

    fn hex_value(negative: bool, mantissa: &str, exponent: i64) -> f64 {
        // enough significant hex digits for a double, the rest only shift the exponent
        let digits = mantissa.trim_start_matches('0');
        let (kept, dropped) = digits.split_at(digits.len().min(15));
        let m = u64::from_str_radix(if kept.is_empty() { "0" } else { kept }, 16).unwrap_or(0);
        let e = exponent
            .saturating_add(4 * dropped.len() as i64)
            .clamp(-4000, 4000) as i32;
        // two steps, so that neither factor overflows or underflows on its own
        let v = (m as f64) * 2f64.powi(e / 2) * 2f64.powi(e - e / 2);
        if negative {
            -v
        } else {
            v
        }
    }

    /// `Double.parseDouble(s)`.
    pub(crate) fn parse_double(s: &str) -> Option<f64> {
        Some(match literal(s)? {
            Literal::NaN => f64::NAN,
            Literal::Infinite(neg) => {
                if neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            }
            Literal::Decimal(d) => d.parse().ok()?,
            Literal::Hex {
                negative,
                mantissa,
                exponent,
            } => hex_value(negative, &mantissa, exponent),
        })
    }

    /// `Float.parseFloat(s)` (a decimal literal is rounded to `float` directly).
    pub(crate) fn parse_float(s: &str) -> Option<f32> {
        Some(match literal(s)? {
            Literal::NaN => f32::NAN,
            Literal::Infinite(neg) => {
                if neg {
                    f32::NEG_INFINITY
                } else {
                    f32::INFINITY
                }
            }
            Literal::Decimal(d) => d.parse().ok()?,
            Literal::Hex {
                negative,
                mantissa,
                exponent,
            } => hex_value(negative, &mantissa, exponent) as f32,
        })
    }

    /// `String.equalsIgnoreCase` (character by character, upper then lower case).
    pub(crate) fn equals_ignore_case(a: &str, b: &str) -> bool {
        let (mut x, mut y) = (a.chars(), b.chars());
        loop {
            match (x.next(), y.next()) {
                (None, None) => return true,
                (Some(c1), Some(c2)) => {
                    if c1 == c2 {
                        continue;
                    }
                    let (u1, u2) = (upper(c1), upper(c2));
                    if u1 == u2 || lower(u1) == lower(u2) {
                        continue;
                    }
                    return false;
                }
                _ => return false,
            }
        }
    }

    fn upper(c: char) -> char {
        let mut it = c.to_uppercase();
        match (it.next(), it.next()) {
            (Some(u), None) => u,
            _ => c,
        }
    }

    fn lower(c: char) -> char {
        let mut it = c.to_lowercase();
        match (it.next(), it.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    }
}

/// `org.opensearch.common.network.InetAddresses` (`ipStringToBytes`, `isInetAddress`), from
/// `server/src/main/java/org/opensearch/common/network/InetAddresses.java`
/// (commit 1249e47411e167429efbbdc56a139cd9f1dee2cb).
pub(crate) mod inet {
    use super::split::JavaPattern;

    fn java_split(s: &str, sep: &str, limit: i32) -> Vec<String> {
        // `String.split` with a one-character literal separator
        JavaPattern::compile(&regex_quote(sep), false)
            .map(|p| p.split(s, limit))
            .unwrap_or_else(|_| vec![s.to_owned()])
    }

    fn regex_quote(s: &str) -> String {
        s.chars()
            .flat_map(|c| {
                if c.is_ascii_alphanumeric() {
                    vec![c]
                } else {
                    vec!['\\', c]
                }
            })
            .collect()
    }

    /// The address's bytes (4 or 16; an IPv4-mapped IPv6 literal stays 16), or `None` when the
    /// string is not an IP literal.
    pub(crate) fn ip_string_to_bytes(ip: &str) -> Option<Vec<u8>> {
        let mut has_colon = false;
        let mut has_dot = false;
        let mut percent: Option<usize> = None;
        for (i, c) in ip.char_indices() {
            if c == '.' {
                has_dot = true;
            } else if c == ':' {
                if has_dot {
                    return None;
                }
                has_colon = true;
            } else if c == '%' {
                percent = Some(i);
                break;
            } else if super::java_number::digit(c, 16).is_none() {
                return None;
            }
        }
        if has_colon {
            let mut s = ip.to_owned();
            if has_dot {
                s = convert_dotted_quad_to_hex(&s)?;
            }
            // the index is taken before the dotted quad is rewritten, as upstream does
            if let Some(p) = percent {
                if p + 1 == s.len() {
                    return None;
                }
                s.truncate(p.min(s.len()));
            }
            v6(&s)
        } else if has_dot {
            v4(ip)
        } else {
            None
        }
    }

    pub(crate) fn is_inet_address(ip: &str) -> bool {
        ip_string_to_bytes(ip).is_some()
    }

    fn convert_dotted_quad_to_hex(s: &str) -> Option<String> {
        let last_colon = s.rfind(':')?;
        let (initial, quad) = (&s[..=last_colon], &s[last_colon + 1..]);
        let q = v4(quad)?;
        let pen = (u32::from(q[0]) << 8) | u32::from(q[1]);
        let ult = (u32::from(q[2]) << 8) | u32::from(q[3]);
        Some(format!("{initial}{pen:x}:{ult:x}"))
    }

    fn v4(s: &str) -> Option<Vec<u8>> {
        let parts = java_split(s, ".", 5);
        if parts.len() != 4 {
            return None;
        }
        parts
            .iter()
            .map(|p| {
                let octet = super::java_number::parse_int(p)?;
                if !(0..=255).contains(&octet)
                    || (p.starts_with('0') && p.len() > 1)
                    || p.starts_with(['+', '-'])
                {
                    return None;
                }
                Some(octet as u8)
            })
            .collect()
    }

    fn v6(s: &str) -> Option<Vec<u8>> {
        let parts = java_split(s, ":", 10);
        if parts.len() < 3 || parts.len() > 9 {
            return None;
        }
        let mut skip: Option<usize> = None;
        for (i, p) in parts.iter().enumerate().take(parts.len() - 1).skip(1) {
            if p.is_empty() {
                if skip.is_some() {
                    return None;
                }
                skip = Some(i);
            }
        }
        let (mut hi, mut lo);
        if let Some(k) = skip {
            hi = k;
            lo = parts.len() - k - 1;
            if parts[0].is_empty() {
                hi -= 1;
                if hi != 0 {
                    return None;
                }
            }
            if parts[parts.len() - 1].is_empty() {
                lo -= 1;
                if lo != 0 {
                    return None;
                }
            }
        } else {
            hi = parts.len();
            lo = 0;
        }
        let skipped = 8i64 - (hi + lo) as i64;
        if !(if skip.is_some() {
            skipped >= 1
        } else {
            skipped == 0
        }) {
            return None;
        }
        let hextet = |p: &str| -> Option<[u8; 2]> {
            if p.is_empty() || p.starts_with(['+', '-']) {
                return None;
            }
            let v = super::java_number::parse_hex(p)?;
            if v > 0xffff {
                return None;
            }
            Some((v as u16).to_be_bytes())
        };
        let mut out = Vec::with_capacity(16);
        for p in &parts[..hi] {
            out.extend(hextet(p)?);
        }
        for _ in 0..skipped {
            out.extend([0, 0]);
        }
        for p in &parts[parts.len() - lo..] {
            out.extend(hextet(p)?);
        }
        Some(out)
    }
}

use super::split;
use java_number::*;

/// The `type` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    Integer,
    Long,
    Double,
    Float,
    Boolean,
    String,
    Ip,
    Auto,
}

impl Type {
    /// `Type.valueOf(type.toUpperCase(Locale.ROOT))`.
    pub(crate) fn from_name(name: &str) -> Option<Type> {
        Some(match name.to_uppercase().as_str() {
            "INTEGER" => Type::Integer,
            "LONG" => Type::Long,
            "DOUBLE" => Type::Double,
            "FLOAT" => Type::Float,
            "BOOLEAN" => Type::Boolean,
            "STRING" => Type::String,
            "IP" => Type::Ip,
            "AUTO" => Type::Auto,
            _ => return None,
        })
    }

    /// `toString()`: the lower-case name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Type::Integer => "integer",
            Type::Long => "long",
            Type::Double => "double",
            Type::Float => "float",
            Type::Boolean => "boolean",
            Type::String => "string",
            Type::Ip => "ip",
            Type::Auto => "auto",
        }
    }

    /// `Type.convert(value)`.
    pub(crate) fn convert(self, value: &Value) -> Result<Value, Exception> {
        if value.is_null() {
            return match self {
                Type::Auto => Ok(Value::Null),
                Type::Ip => Err(Exception::illegal_argument(
                    "[null] is not a valid ipv4/ipv6 address",
                )),
                _ => Err(Exception::null_pointer(
                    "Cannot invoke \"Object.toString()\" because \"value\" is null",
                )),
            };
        }
        let text = value.java_to_string();
        let unable =
            |to: &str| Exception::illegal_argument(format!("unable to convert [{text}] to {to}"));
        match self {
            Type::Integer => {
                let parsed = if text.starts_with("0x") || text.starts_with("-0x") {
                    decode_int(&text)
                } else {
                    parse_int(&text)
                };
                parsed.map(Value::Int).ok_or_else(|| unable("integer"))
            }
            Type::Long => {
                let parsed = if text.starts_with("0x") || text.starts_with("-0x") {
                    decode_long(&text)
                } else {
                    parse_long(&text)
                };
                parsed.map(Value::Long).ok_or_else(|| unable("long"))
            }
            Type::Double => parse_double(&text)
                .map(Value::Double)
                .ok_or_else(|| unable("double")),
            Type::Float => parse_float(&text)
                .map(Value::Float)
                .ok_or_else(|| unable("float")),
            Type::Boolean => {
                if equals_ignore_case(&text, "true") {
                    Ok(Value::Boolean(true))
                } else if equals_ignore_case(&text, "false") {
                    Ok(Value::Boolean(false))
                } else {
                    Err(Exception::illegal_argument(format!(
                        "[{text}] is not a boolean value, cannot convert to boolean"
                    )))
                }
            }
            Type::String => Ok(Value::from(text)),
            Type::Ip => match value {
                Value::String(s) if inet::is_inet_address(s) => Ok(value.clone()),
                _ => Err(Exception::illegal_argument(format!(
                    "[{text}] is not a valid ipv4/ipv6 address"
                ))),
            },
            Type::Auto => {
                if !matches!(value, Value::String(_)) {
                    return Ok(value.clone());
                }
                for t in [
                    Type::Boolean,
                    Type::Integer,
                    Type::Long,
                    Type::Float,
                    Type::Double,
                ] {
                    if let Ok(v) = t.convert(value) {
                        return Ok(v);
                    }
                }
                Ok(value.clone())
            }
        }
    }
}

/// The converted value: each element of a list (a new `ArrayList`), or the value itself.
pub(crate) fn convert_value(t: Type, value: &Value) -> Result<Value, Exception> {
    if let Value::List(list) = value {
        let items = list.borrow().items.clone();
        let out = items
            .iter()
            .map(|v| t.convert(v))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::list_from(out));
    }
    t.convert(value)
}

/// `Field [x] is null, cannot be converted to type [t]`.
pub(crate) fn null_error(field: &str, t: Type) -> Exception {
    Exception::illegal_argument(format!(
        "Field [{field}] is null, cannot be converted to type [{}]",
        t.name()
    ))
}

/// The configuration error for an unknown `type`.
pub(crate) fn type_error_message(name: &str) -> String {
    format!("type [{name}] not supported, cannot convert field.")
}

pub struct ConvertProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    target_field: String,
    convert_type: Type,
    ignore_missing: bool,
}

/// `ConvertProcessor.Factory`: `field`, `type`, `target_field` (default `field`), then the type
/// is checked, then `ignore_missing`.
pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let type_name = config.required_string("type")?;
    let target_field = config.string_or("target_field", &field)?;
    let convert_type = Type::from_name(&type_name)
        .ok_or_else(|| config.new_config_error("type", type_error_message(&type_name)))?;
    let ignore_missing = config.boolean("ignore_missing", false)?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(ConvertProcessor {
        tag,
        description,
        field,
        target_field,
        convert_type,
        ignore_missing,
    }))
}

impl Processor for ConvertProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let value = doc
            .field_opt(&self.field, self.ignore_missing)?
            .unwrap_or(Value::Null);
        if value.is_null() {
            if self.ignore_missing {
                return Ok(Outcome::Continue);
            }
            return Err(crate::processors::lowercase::abstract_string::java_ref(
                &null_error(&self.field, self.convert_type),
            ));
        }
        let converted = convert_value(self.convert_type, &value)
            .map_err(|e| crate::processors::lowercase::abstract_string::java_ref(&e))?;
        doc.set_field(&self.target_field, converted)?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "convert"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(t: Type, v: Value) -> Value {
        convert_value(t, &v).unwrap()
    }

    fn err(t: Type, v: Value) -> String {
        convert_value(t, &v).unwrap_err().message.unwrap()
    }

    #[test]
    fn integers() {
        // ConvertProcessorTests.testConvertInt / Hex / Long
        assert!(matches!(conv(Type::Integer, "123".into()), Value::Int(123)));
        assert!(matches!(
            conv(Type::Integer, "-0x1F".into()),
            Value::Int(-31)
        ));
        assert!(matches!(
            conv(Type::Integer, "0x7fffffff".into()),
            Value::Int(i32::MAX)
        ));
        assert!(matches!(
            conv(Type::Integer, "-0x80000000".into()),
            Value::Int(i32::MIN)
        ));
        assert!(matches!(conv(Type::Integer, "+12".into()), Value::Int(12)));
        assert!(matches!(conv(Type::Integer, Value::Long(5)), Value::Int(5)));
        assert_eq!(
            err(Type::Integer, "0x80000000".into()),
            "unable to convert [0x80000000] to integer"
        );
        assert_eq!(
            err(Type::Integer, "test".into()),
            "unable to convert [test] to integer"
        );
        assert_eq!(
            err(Type::Integer, "1.5".into()),
            "unable to convert [1.5] to integer"
        );
        assert_eq!(
            err(Type::Integer, "0X1F".into()),
            "unable to convert [0X1F] to integer"
        );
        assert!(matches!(
            conv(Type::Long, "-0x7fffffffffffffff".into()),
            Value::Long(-0x7fff_ffff_ffff_ffff)
        ));
        assert!(matches!(
            conv(Type::Long, "9223372036854775807".into()),
            Value::Long(i64::MAX)
        ));
        assert_eq!(
            err(Type::Long, "9223372036854775808".into()),
            "unable to convert [9223372036854775808] to long"
        );
    }

    #[test]
    fn floating() {
        assert!(matches!(conv(Type::Double, "1.5".into()), Value::Double(v) if v == 1.5));
        assert!(matches!(conv(Type::Double, " 1e3d ".into()), Value::Double(v) if v == 1000.0));
        assert!(matches!(conv(Type::Double, "0x1.8p1".into()), Value::Double(v) if v == 3.0));
        assert!(
            matches!(conv(Type::Double, "-Infinity".into()), Value::Double(v) if v == f64::NEG_INFINITY)
        );
        assert!(matches!(conv(Type::Double, "NaN".into()), Value::Double(v) if v.is_nan()));
        assert_eq!(
            err(Type::Double, "inf".into()),
            "unable to convert [inf] to double"
        );
        assert_eq!(
            err(Type::Double, "nan".into()),
            "unable to convert [nan] to double"
        );
        assert!(matches!(conv(Type::Float, "1.1".into()), Value::Float(v) if v == 1.1f32));
        assert_eq!(
            err(Type::Float, "1.1.1".into()),
            "unable to convert [1.1.1] to float"
        );
        assert_eq!(
            err(Type::Double, "".into()),
            "unable to convert [] to double"
        );
    }

    #[test]
    fn booleans_strings_ips() {
        assert!(matches!(
            conv(Type::Boolean, "TRUE".into()),
            Value::Boolean(true)
        ));
        assert!(matches!(
            conv(Type::Boolean, "fAlSe".into()),
            Value::Boolean(false)
        ));
        assert!(matches!(
            conv(Type::Boolean, Value::Boolean(true)),
            Value::Boolean(true)
        ));
        assert_eq!(
            err(Type::Boolean, "notabool".into()),
            "[notabool] is not a boolean value, cannot convert to boolean"
        );
        assert_eq!(conv(Type::String, Value::Int(7)).as_str(), Some("7"));
        assert_eq!(conv(Type::String, Value::Float(1.1)).as_str(), Some("1.1"));
        assert_eq!(
            conv(Type::String, Value::Double(1e10)).as_str(),
            Some("1.0E10")
        );
        assert_eq!(
            conv(Type::Ip, "192.168.1.1".into()).as_str(),
            Some("192.168.1.1")
        );
        assert_eq!(conv(Type::Ip, "::1".into()).as_str(), Some("::1"));
        assert_eq!(
            conv(Type::Ip, "::ffff:1.2.3.4".into()).as_str(),
            Some("::ffff:1.2.3.4")
        );
        assert_eq!(
            err(Type::Ip, "1.2.3.04".into()),
            "[1.2.3.04] is not a valid ipv4/ipv6 address"
        );
        assert_eq!(
            err(Type::Ip, "1.2.3".into()),
            "[1.2.3] is not a valid ipv4/ipv6 address"
        );
        assert_eq!(
            err(Type::Ip, "1.2.3.4.".into()),
            "[1.2.3.4.] is not a valid ipv4/ipv6 address"
        );
        assert_eq!(
            err(Type::Ip, "1:2:3:4:5:6:7:8:9".into()),
            "[1:2:3:4:5:6:7:8:9] is not a valid ipv4/ipv6 address"
        );
        assert_eq!(
            err(Type::Ip, Value::Int(1)),
            "[1] is not a valid ipv4/ipv6 address"
        );
        assert!(inet::is_inet_address("fe80::1%eth0"));
        assert!(!inet::is_inet_address("fe80::1%"));
        assert!(inet::is_inet_address("1:2:3:4:5:6:7:8"));
        assert!(!inet::is_inet_address("1::2::3"));
    }

    #[test]
    fn auto_gives_java_types() {
        // ConvertProcessorTests.testAutoConvert*: boolean, then int, long, float (never double)
        assert!(matches!(
            conv(Type::Auto, "true".into()),
            Value::Boolean(true)
        ));
        assert!(matches!(conv(Type::Auto, "123".into()), Value::Int(123)));
        assert!(matches!(conv(Type::Auto, "0x1F".into()), Value::Int(31)));
        assert!(matches!(
            conv(Type::Auto, "2147483648".into()),
            Value::Long(2_147_483_648)
        ));
        assert!(matches!(conv(Type::Auto, "1.5".into()), Value::Float(v) if v == 1.5));
        assert!(matches!(conv(Type::Auto, "1e400".into()), Value::Float(v) if v.is_infinite()));
        assert_eq!(
            conv(Type::Auto, "notanumber".into()).as_str(),
            Some("notanumber")
        );
        assert!(matches!(conv(Type::Auto, Value::Int(1)), Value::Int(1)));
        assert!(conv(Type::Auto, Value::Null).is_null());
    }

    #[test]
    fn lists_and_nulls() {
        let list = Value::list_from(vec!["1".into(), "2".into()]);
        assert_eq!(conv(Type::Integer, list).java_to_string(), "[1, 2]");
        let list = Value::list_from(vec!["1".into(), Value::Null]);
        let e = convert_value(Type::Integer, &list).unwrap_err();
        assert_eq!(&*e.class, "NullPointerException");
        assert_eq!(
            null_error("f", Type::Integer).message.as_deref(),
            Some("Field [f] is null, cannot be converted to type [integer]")
        );
        assert_eq!(Type::from_name("Integer"), Some(Type::Integer));
        assert_eq!(Type::from_name("foo"), None);
        assert_eq!(
            type_error_message("foo"),
            "type [foo] not supported, cannot convert field."
        );
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        // 330_convert_processor.yml
        let p = build("convert", json!({"field": "raw_ip", "type": "ip"}));
        assert_eq!(
            run_err(&*p, json!({"raw_ip": "1.1.1."})).reason(),
            "[1.1.1.] is not a valid ipv4/ipv6 address"
        );
        let p = build(
            "convert",
            json!({"field": "raw_ip", "target_field": "ip_field", "type": "ip", "ignore_failure": true}),
        );
        assert_eq!(
            run_ok(&*p, json!({"raw_ip": "1.1.1."})),
            json!({"raw_ip": "1.1.1."})
        );
        assert_eq!(
            run_ok(&*p, json!({"raw_ip": "1.1.1.1"})),
            json!({"raw_ip": "1.1.1.1", "ip_field": "1.1.1.1"})
        );
        // ConvertProcessorTests: leading zero, hex, lists, null, missing, target field
        let p = build("convert", json!({"field": "f", "type": "integer"}));
        assert_eq!(run_ok(&*p, json!({"f": "010"})), json!({"f": 10}));
        assert_eq!(
            run_ok(&*p, json!({"f": "-0x80000000"})),
            json!({"f": -2147483648i64})
        );
        assert_eq!(
            run_err(&*p, json!({"f": "0xnotanumber"})).reason(),
            "unable to convert [0xnotanumber] to integer"
        );
        assert_eq!(
            run_err(&*p, json!({"f": null})).reason(),
            "Field [f] is null, cannot be converted to type [integer]"
        );
        assert_eq!(
            run_err(&*p, json!({})).reason(),
            "field [f] not present as part of path [f]"
        );
        let p = build(
            "convert",
            json!({"field": "f", "type": "integer", "ignore_missing": true}),
        );
        assert_eq!(run_ok(&*p, json!({"f": null})), json!({"f": null}));
        assert_eq!(run_ok(&*p, json!({})), json!({}));
        let p = build(
            "convert",
            json!({"field": "f", "type": "float", "target_field": "g"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"f": ["1.5", "2"]})),
            json!({"f": ["1.5", "2"], "g": [1.5, 2.0]})
        );
        let p = build("convert", json!({"field": "f", "type": "auto"}));
        let d = run(&*p, json!({"f": "1.1"})).unwrap();
        assert!(matches!(d.field("f").unwrap(), Value::Float(v) if v == 1.1f32));
        // ConvertProcessorFactoryTests
        let e = build_err("convert", json!({"field": "f", "type": "nope"}));
        assert_eq!(
            e.reason(),
            "[type] type [nope] not supported, cannot convert field."
        );
        assert_eq!(e.metadata("property_name"), Some("type"));
        assert_eq!(
            build_err("convert", json!({"type": "integer"})).reason(),
            "[field] required property is missing"
        );
        assert_eq!(
            build_err("convert", json!({"field": "f"})).reason(),
            "[type] required property is missing"
        );
    }
}
