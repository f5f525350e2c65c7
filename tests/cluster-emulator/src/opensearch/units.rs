//! Byte sizes and time values as OpenSearch parses and prints them: what ISM stores is the
//! parsed value written back with `getStringRep`, so `50GB` comes back `50gb` and `30D` `30d`.
//!
//! - `ByteSizeValue.parseBytesSizeValue` (`libs/core/.../core/common/unit/ByteSizeValue.java`):
//!   lower-cased and trimmed; the suffixes `k`/`kb`, `m`/`mb`, `g`/`gb`, `t`/`tb`, `p`/`pb`,
//!   then `b`; `-1` and `0` without a unit; a fractional number is refused. `getStringRep` is
//!   the size and the unit's suffix (`kb` for `k`), or the bare number when it is not positive.
//! - `TimeValue.parseTimeValue` (`libs/common/.../common/unit/TimeValue.java`): lower-cased and
//!   trimmed; `nanos`, `micros`, `ms`, `s`, then `m` matched on the text as sent (`M` is months,
//!   refused), `h`, `d`; `-1` (and `-01`...) is `MINUS_ONE`, all-zero is `ZERO` (0 ms); values
//!   below -1 and fractions are refused. `getStringRep` is the duration and the unit's suffix,
//!   or the bare number when negative.

use crate::http::OsError;

/// A parsed byte size printed as `getStringRep` does.
pub(crate) fn byte_size_rep(text: &str, setting: &str) -> Result<String, OsError> {
    let lower = text.to_lowercase();
    let lower = lower.trim();
    const UNITS: &[(&str, &str)] = &[
        ("k", "kb"),
        ("kb", "kb"),
        ("m", "mb"),
        ("mb", "mb"),
        ("g", "gb"),
        ("gb", "gb"),
        ("t", "tb"),
        ("tb", "tb"),
        ("p", "pb"),
        ("pb", "pb"),
    ];
    let size_error = |cause: String| {
        OsError::bad_request(
            "parse_exception",
            format!("failed to parse setting [{setting}] with value [{text}] as a size in bytes"),
        )
        .caused_by(OsError::illegal_argument(cause))
    };
    for (suffix, rep) in UNITS {
        if let Some(number) = lower.strip_suffix(suffix) {
            let number = number.trim();
            return match number.parse::<i64>() {
                Ok(size) if size < -1 => Err(size_error(format!(
                    "Values less than -1 bytes are not supported: {size}{rep}"
                ))),
                Ok(size) if size <= 0 => Ok(size.to_string()),
                Ok(size) => Ok(format!("{size}{rep}")),
                Err(_) if number.parse::<f64>().is_ok() => Err(OsError::bad_request(
                    "parse_exception",
                    format!(
                        "Failed to parse bytes value [{text}]. Fractional bytes values have been deprecated since Legacy 6.2. Use non-fractional bytes values instead: found for setting [{setting}]"
                    ),
                )),
                Err(_) => Err(OsError::bad_request(
                    "parse_exception",
                    format!("failed to parse [{text}]"),
                )),
            };
        }
    }
    if let Some(number) = lower.strip_suffix('b') {
        // `Long.parseLong` without the fraction handling of the other units.
        return match number.trim().parse::<i64>() {
            Ok(size) if size < -1 => Err(OsError::illegal_argument(format!(
                "Values less than -1 bytes are not supported: {size}b"
            ))),
            Ok(size) if size <= 0 => Ok(size.to_string()),
            Ok(size) => Ok(format!("{size}b")),
            Err(_) => Err(OsError::bad_request(
                "number_format_exception",
                format!("For input string: \"{}\"", number.trim()),
            )),
        };
    }
    match lower {
        "-1" => Ok("-1".into()),
        "0" => Ok("0".into()),
        _ => Err(OsError::bad_request(
            "parse_exception",
            format!(
                "failed to parse setting [{setting}] with value [{text}] as a size in bytes: unit is missing or unrecognized"
            ),
        )),
    }
}

/// A parsed time value printed as `getStringRep` does.
pub(crate) fn time_value_rep(text: &str, setting: &str) -> Result<String, OsError> {
    let lower = text.to_lowercase();
    let lower = lower.trim();
    let suffix = if lower.ends_with("nanos") {
        Some("nanos")
    } else if lower.ends_with("micros") {
        Some("micros")
    } else if lower.ends_with("ms") {
        Some("ms")
    } else if lower.ends_with('s') {
        Some("s")
    } else if text.ends_with('m') {
        Some("m")
    } else if lower.ends_with('h') {
        Some("h")
    } else if lower.ends_with('d') {
        Some("d")
    } else {
        None
    };
    let Some(suffix) = suffix else {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b == b'0');
        if let Some(rest) = lower.strip_prefix('-') {
            if rest.ends_with('1') && digits(&rest[..rest.len() - 1]) || rest == "1" {
                return Ok("-1".into());
            }
        }
        if digits(lower) {
            return Ok("0ms".into());
        }
        return Err(OsError::illegal_argument(format!(
            "failed to parse setting [{setting}] with value [{text}] as a time value: unit is missing or unrecognized"
        )));
    };
    let number = lower[..lower.len() - suffix.len()].trim();
    match number.parse::<i64>() {
        Ok(value) if value < -1 => Err(OsError::illegal_argument(format!(
            "failed to parse setting [{setting}] with value [{text}] as a time value: negative durations are not supported"
        ))),
        Ok(-1) => Ok("-1".into()),
        Ok(value) if suffix == "d" && value > 106_751 => Err(OsError::illegal_argument(
            "time value cannot store values greater than 106751 days",
        )),
        Ok(value) => Ok(format!("{value}{suffix}")),
        Err(_) if number.parse::<f64>().is_ok() => Err(OsError::illegal_argument(format!(
            "failed to parse [{text}], fractional time values are not supported"
        ))),
        Err(_) => Err(OsError::illegal_argument(format!("failed to parse [{text}]"))),
    }
}

/// `XContentParser.longValue()` with coercion: a number, or a string holding one (a decimal
/// is truncated, as `Numbers.toLong(text, coerce=true)` does).
pub(crate) fn long_value(value: &serde_json::Value, field: &str) -> Result<i64, OsError> {
    let from_f64 = |f: f64| {
        if f.is_finite() && f.abs() < 9.2e18 {
            #[allow(clippy::cast_possible_truncation)]
            Some(f.trunc() as i64)
        } else {
            None
        }
    };
    let parsed = match value {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(from_f64)),
        serde_json::Value::String(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .or_else(|| s.trim().parse::<f64>().ok().and_then(from_f64)),
        _ => None,
    };
    parsed.ok_or_else(|| {
        OsError::bad_request(
            "x_content_parse_exception",
            format!("[{field}] failed to parse field: current token is not a number"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sizes_print_their_canonical_suffix() {
        for (sent, stored) in [
            ("50GB", "50gb"),
            ("50g", "50gb"),
            ("10K", "10kb"),
            (" 5 mb ", "5mb"),
            ("1024B", "1024b"),
            ("2tb", "2tb"),
            ("1P", "1pb"),
            ("0", "0"),
            ("-1", "-1"),
            ("0gb", "0"),
        ] {
            assert_eq!(byte_size_rep(sent, "min_size").unwrap(), stored, "{sent}");
        }
        for bad in ["50", "1.5gb", "lots", "50xb"] {
            assert!(byte_size_rep(bad, "min_size").is_err(), "{bad}");
        }
        let missing = byte_size_rep("50", "min_size").unwrap_err().to_value();
        assert_eq!(
            missing["error"]["reason"],
            "failed to parse setting [min_size] with value [50] as a size in bytes: unit is missing or unrecognized"
        );
    }

    #[test]
    fn time_values_print_their_canonical_suffix() {
        for (sent, stored) in [
            ("30D", "30d"),
            ("10S", "10s"),
            ("1m", "1m"),
            ("5MS", "5ms"),
            ("2H", "2h"),
            ("7nanos", "7nanos"),
            ("3MICROS", "3micros"),
            ("0", "0ms"),
            ("000", "0ms"),
            ("-1", "-1"),
            ("-01", "-1"),
            (" 4d ", "4d"),
        ] {
            assert_eq!(time_value_rep(sent, "delay").unwrap(), stored, "{sent}");
        }
        // `M` is months, not minutes: refused.
        for bad in ["30M", "1.5d", "-2s", "30", "xd", "106752d"] {
            assert!(time_value_rep(bad, "min_index_age").is_err(), "{bad}");
        }
    }

    #[test]
    fn long_values_are_coerced() {
        assert_eq!(long_value(&serde_json::json!("1000"), "f").unwrap(), 1000);
        assert_eq!(long_value(&serde_json::json!(12), "f").unwrap(), 12);
        assert_eq!(long_value(&serde_json::json!("2.7"), "f").unwrap(), 2);
        assert!(long_value(&serde_json::json!("many"), "f").is_err());
    }
}
