//! ingest-common's `Processors`: static helpers for ingest scripts
//! (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/Processors.java`), each the
//! `apply` of a processor: `BytesProcessor`, `LowercaseProcessor`, `UppercaseProcessor`,
//! `JsonProcessor`, `URLDecodeProcessor`.

use crate::value::{parse_json, Value};

use super::util::*;
use super::{Registry, Thrown};

const PROCESSORS: &str = "org.opensearch.ingest.common.Processors";

pub(crate) fn register(r: &mut Registry) {
    r.add(PROCESSORS, "bytes", 1, |_, a, _| match arg(a, 0) {
        Value::Null => Err(npe()),
        _ => Ok(Value::Long(bytes(str_arg(a, 0)?)?)),
    });
    // `value.toLowerCase(Locale.ROOT)` / `toUpperCase(Locale.ROOT)`.
    r.add(PROCESSORS, "lowercase", 1, |_, a, _| {
        Ok(Value::from(str_arg(a, 0)?.to_lowercase()))
    });
    r.add(PROCESSORS, "uppercase", 1, |_, a, _| {
        Ok(Value::from(str_arg(a, 0)?.to_uppercase()))
    });
    r.add(PROCESSORS, "json", 1, |_, a, _| json(arg(a, 0)));
    r.add(PROCESSORS, "json", 2, |_, a, _| {
        let ctx = map_of(arg(a, 0))?;
        let field = arg(a, 1);
        let current = ctx.borrow().get(field).cloned().unwrap_or(Value::Null);
        match json(&current)? {
            Value::Map(m) => {
                let entries: Vec<(Value, Value)> = m.borrow().iter().collect();
                let mut ctx = ctx.borrow_mut();
                if !ctx.is_mutable() {
                    return Err(immutable(ctx.frozen));
                }
                for (k, v) in entries {
                    ctx.insert(k, v);
                }
                Ok(Value::Null)
            }
            _ => Err(exc(
                "IllegalArgumentException",
                "cannot add non-map fields to root of document",
            )),
        }
    });
    r.add(PROCESSORS, "urlDecode", 1, |_, a, _| {
        Ok(Value::from(url_decode(str_arg(a, 0)?)?))
    });
}

/// `JsonProcessor.apply(Object)`: the value's `toString()` (`"null"` for null) read as one JSON
/// value with Jackson's typing. A parse failure is an `IllegalArgumentException`; its message is
/// the offline parser's, not Jackson's.
fn json(v: &Value) -> Result<Value, Thrown> {
    let text = v.java_to_string();
    parse_json(&text).map_err(|e| exc("IllegalArgumentException", e.to_string()))
}

/// `ByteSizeValue.parseBytesSizeValue(value, null, "Ingest Field").getBytes()`
/// (`libs/core/src/main/java/org/opensearch/core/common/unit/ByteSizeValue.java`).
pub(crate) fn bytes(value: &str) -> Result<i64, Thrown> {
    const SETTING: &str = "Ingest Field";
    let lower = value.to_lowercase();
    let lower = java_trim(&lower);
    const KB: i64 = 1 << 10;
    let units: [(&str, i64); 10] = [
        ("k", KB),
        ("kb", KB),
        ("m", KB << 10),
        ("mb", KB << 10),
        ("g", KB << 20),
        ("gb", KB << 20),
        ("t", KB << 30),
        ("tb", KB << 30),
        ("p", KB << 40),
        ("pb", KB << 40),
    ];
    for (suffix, factor) in units {
        if let Some(number) = lower.strip_suffix(suffix) {
            let number = java_trim(number);
            let size = match super::lang::parse_integer(Some(number), 10, i64::MIN, i64::MAX) {
                Ok(v) => v,
                Err(_) => {
                    if super::lang::parse_double(number).is_ok() {
                        return Err(exc(
                            "OpenSearchParseException",
                            format!(
                                "Failed to parse bytes value [{value}]. Fractional bytes values have been deprecated since Legacy 6.2. Use non-fractional bytes values instead: found for setting [{SETTING}]"
                            ),
                        ));
                    }
                    return Err(exc(
                        "OpenSearchParseException",
                        format!("failed to parse [{value}]"),
                    ));
                }
            };
            if size < 0 || size > i64::MAX / factor {
                // The ByteSizeValue constructor's IllegalArgumentException, rewrapped.
                return Err(exc(
                    "OpenSearchParseException",
                    format!("failed to parse setting [{SETTING}] with value [{value}] as a size in bytes"),
                ));
            }
            return Ok(size * factor);
        }
    }
    if let Some(number) = lower.strip_suffix('b') {
        let size = super::lang::parse_integer(Some(java_trim(number)), 10, i64::MIN, i64::MAX)?;
        if size < -1 {
            return Err(exc(
                "IllegalArgumentException",
                format!("Values less than -1 bytes are not supported: {size}b"),
            ));
        }
        return Ok(size);
    }
    match lower {
        "-1" => Ok(-1),
        "0" => Ok(0),
        _ => Err(exc(
            "OpenSearchParseException",
            format!(
                "failed to parse setting [{SETTING}] with value [{value}] as a size in bytes: unit is missing or unrecognized"
            ),
        )),
    }
}

/// `URLDecoder.decode(value, UTF_8)`: `+` is a space, `%XX` sequences are bytes decoded as
/// UTF-8 (malformed input becomes U+FFFD).
pub(crate) fn url_decode(s: &str) -> Result<String, Thrown> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(' ');
                i += 1;
            }
            b'%' => {
                let mut buf = Vec::new();
                while i < bytes.len() && bytes[i] == b'%' {
                    if i + 2 >= bytes.len() {
                        return Err(exc(
                            "IllegalArgumentException",
                            "URLDecoder: Incomplete trailing escape (%) pattern",
                        ));
                    }
                    let (h, l) = (bytes[i + 1], bytes[i + 2]);
                    if !h.is_ascii_hexdigit() || !l.is_ascii_hexdigit() {
                        let hex = String::from_utf8_lossy(&bytes[i + 1..i + 3]);
                        return Err(exc(
                            "IllegalArgumentException",
                            format!(
                                "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"{hex}\""
                            ),
                        ));
                    }
                    let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                    let b = digit(h) * 16 + digit(l);
                    buf.push(b);
                    i += 3;
                }
                out.push_str(&String::from_utf8_lossy(&buf));
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_as_byte_size_value() {
        assert_eq!(bytes("1kb").ok(), Some(1024));
        assert_eq!(bytes("1k").ok(), Some(1024));
        assert_eq!(bytes(" 2 MB ").ok(), Some(2 << 20));
        assert_eq!(bytes("12b").ok(), Some(12));
        assert_eq!(bytes("0").ok(), Some(0));
        let Err(Thrown::Exception(e)) = bytes("1.5kb") else {
            panic!()
        };
        assert!(e
            .message
            .unwrap()
            .starts_with("Failed to parse bytes value [1.5kb]. Fractional"));
        let Err(Thrown::Exception(e)) = bytes("12") else {
            panic!()
        };
        assert_eq!(
            e.message.as_deref(),
            Some("failed to parse setting [Ingest Field] with value [12] as a size in bytes: unit is missing or unrecognized")
        );
    }

    #[test]
    fn url_decode_as_java() {
        assert_eq!(url_decode("a+b%20c%C3%A9").ok().as_deref(), Some("a b cé"));
        assert!(url_decode("%zz").is_err());
        assert!(url_decode("%2").is_err());
    }
}
