//! The `bytes` processor: a human-readable size ("1kb", "2 MB", "512b") to its number of bytes as
//! a `Long`, on a string or each string of a list.
//!
//! Upstream: `modules/ingest-common/src/main/java/org/opensearch/ingest/common/BytesProcessor.java`
//! (commit 9057871647fa5cab80b3b7c9489eb2a3587dd6fe): `ByteSizeValue.parseBytesSizeValue(value,
//! null, "Ingest Field").getBytes()`, from
//! `libs/core/src/main/java/org/opensearch/core/common/unit/ByteSizeValue.java`
//! (commit 46db6f0737962bdd5cfd330d74f6088079447322). A fractional value ("1.1kb") is an error
//! there (the `org.opensearch.core` ByteSizeValue that 2.19's processor imports); the older
//! `org.opensearch.common.unit` one accepted it with a deprecation warning.

use painless::value::{Exception, Value};

use super::lowercase::abstract_string;
use crate::config::Config;
use crate::error::IngestError;
use crate::processor::{Common, Processor};

use super::convert::java_number::parse_long;
use super::trim::java_trim;

/// An `OpenSearchParseException` (type `parse_exception`) with the exception it wraps, or a bare
/// Java exception (the `b` suffix path does not wrap its `NumberFormatException` or the
/// constructor's `IllegalArgumentException`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BytesError {
    Parse {
        message: String,
        cause: Option<Exception>,
    },
    Java(Exception),
}

const SETTING: &str = "Ingest Field";

#[derive(Clone, Copy)]
enum Unit {
    Bytes,
    Kb,
    Mb,
    Gb,
    Tb,
    Pb,
}

impl Unit {
    fn factor(self) -> i64 {
        match self {
            Unit::Bytes => 1,
            Unit::Kb => 1 << 10,
            Unit::Mb => 1 << 20,
            Unit::Gb => 1 << 30,
            Unit::Tb => 1 << 40,
            Unit::Pb => 1 << 50,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Unit::Bytes => "b",
            Unit::Kb => "kb",
            Unit::Mb => "mb",
            Unit::Gb => "gb",
            Unit::Tb => "tb",
            Unit::Pb => "pb",
        }
    }
}

/// `new ByteSizeValue(size, unit).getBytes()`, with the constructor's checks.
fn byte_size(size: i64, unit: Unit) -> Result<i64, Exception> {
    if size < -1 || (size == -1 && !matches!(unit, Unit::Bytes)) {
        return Err(Exception::illegal_argument(format!(
            "Values less than -1 bytes are not supported: {size}{}",
            unit.suffix()
        )));
    }
    if size > i64::MAX / unit.factor() {
        return Err(Exception::illegal_argument(format!(
            "Values greater than {} bytes are not supported: {size}{}",
            i64::MAX,
            unit.suffix()
        )));
    }
    Ok(size * unit.factor())
}

fn number_format(s: &str) -> Exception {
    Exception::new(
        "NumberFormatException",
        format!("For input string: \"{s}\""),
    )
}

/// `ByteSizeValue.parseBytesSizeValue(value, null, "Ingest Field").getBytes()`.
pub(crate) fn parse_bytes(s_value: &str) -> Result<i64, BytesError> {
    let lower = s_value.to_lowercase();
    let lower = java_trim(&lower);
    // the order of the suffix checks is upstream's: "k" before "kb" can never see "kb" first,
    // but "kb" does not end with "k", so each suffix is reached
    let units = [
        ("k", Unit::Kb),
        ("kb", Unit::Kb),
        ("m", Unit::Mb),
        ("mb", Unit::Mb),
        ("g", Unit::Gb),
        ("gb", Unit::Gb),
        ("t", Unit::Tb),
        ("tb", Unit::Tb),
        ("p", Unit::Pb),
        ("pb", Unit::Pb),
    ];
    for (suffix, unit) in units {
        if lower.ends_with(suffix) {
            return parse_with_unit(s_value, lower, suffix, unit);
        }
    }
    if let Some(number) = lower.strip_suffix('b') {
        let number = java_trim(number);
        let size = parse_long(number).ok_or_else(|| BytesError::Java(number_format(number)))?;
        // the constructor's IllegalArgumentException is not wrapped on this path
        return byte_size(size, Unit::Bytes).map_err(BytesError::Java);
    }
    if lower == "-1" {
        return Ok(-1);
    }
    if lower == "0" {
        return Ok(0);
    }
    Err(BytesError::Parse {
        message: format!(
            "failed to parse setting [{SETTING}] with value [{s_value}] as a size in bytes: unit is missing or unrecognized"
        ),
        cause: None,
    })
}

fn parse_with_unit(
    initial: &str,
    normalized: &str,
    suffix: &str,
    unit: Unit,
) -> Result<i64, BytesError> {
    let s = java_trim(&normalized[..normalized.len() - suffix.len()]);
    match parse_long(s) {
        Some(size) => byte_size(size, unit).map_err(|e| BytesError::Parse {
            message: format!(
                "failed to parse setting [{SETTING}] with value [{initial}] as a size in bytes"
            ),
            cause: Some(e),
        }),
        None => {
            let cause = Some(number_format(s));
            if super::convert::java_number::parse_double(s).is_some() {
                Err(BytesError::Parse {
                    message: format!(
                        "Failed to parse bytes value [{initial}]. Fractional bytes values have been deprecated since Legacy 6.2. Use non-fractional bytes values instead: found for setting [{SETTING}]"
                    ),
                    cause,
                })
            } else {
                Err(BytesError::Parse {
                    message: format!("failed to parse [{initial}]"),
                    cause,
                })
            }
        }
    }
}

/// The processor's step: the number of bytes as a `Long`.
pub(crate) fn process(value: &str) -> Result<Value, IngestError> {
    match parse_bytes(value) {
        Ok(n) => Ok(Value::Long(n)),
        Err(BytesError::Java(e)) => Err(abstract_string::java(e)),
        Err(BytesError::Parse { message, cause }) => {
            let e = IngestError::parse(message);
            Err(match cause {
                Some(c) => e.with_cause(abstract_string::java(c)),
                None => e,
            })
        }
    }
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let options = abstract_string::read_options(config)?;
    Ok(abstract_string::build(
        "bytes",
        options,
        common,
        Box::new(process),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(s: &str) -> String {
        match parse_bytes(s).unwrap_err() {
            BytesError::Parse { message, .. } => message,
            BytesError::Java(e) => format!("{}: {}", e.class, e.message.unwrap()),
        }
    }

    #[test]
    fn parses_sizes() {
        // BytesProcessorTests: "1kb" style values, case-insensitive, spaces allowed
        assert_eq!(parse_bytes("1kb").unwrap(), 1024);
        assert_eq!(parse_bytes("1KB").unwrap(), 1024);
        assert_eq!(parse_bytes("1 k").unwrap(), 1024);
        assert_eq!(parse_bytes("2mb").unwrap(), 2 * 1024 * 1024);
        assert_eq!(parse_bytes("1g").unwrap(), 1 << 30);
        assert_eq!(parse_bytes("1tb").unwrap(), 1 << 40);
        assert_eq!(parse_bytes("1pb").unwrap(), 1 << 50);
        assert_eq!(parse_bytes("512b").unwrap(), 512);
        assert_eq!(parse_bytes(" 512 B ").unwrap(), 512);
        assert_eq!(parse_bytes("0").unwrap(), 0);
        assert_eq!(parse_bytes("-1").unwrap(), -1);
        assert_eq!(parse_bytes("-1b").unwrap(), -1);
    }

    #[test]
    fn errors_as_upstream() {
        // BytesProcessorTests.testTooLarge / testNotBytes / testMissingUnits / testFractional
        assert_eq!(
            msg("8912pb"),
            "failed to parse setting [Ingest Field] with value [8912pb] as a size in bytes"
        );
        assert_eq!(msg("xkb"), "failed to parse [xkb]");
        assert_eq!(
            msg("1"),
            "failed to parse setting [Ingest Field] with value [1] as a size in bytes: unit is missing or unrecognized"
        );
        assert_eq!(
            msg("1.1kb"),
            "Failed to parse bytes value [1.1kb]. Fractional bytes values have been deprecated since Legacy 6.2. Use non-fractional bytes values instead: found for setting [Ingest Field]"
        );
        assert_eq!(msg("xb"), "NumberFormatException: For input string: \"x\"");
        assert_eq!(
            msg("-5b"),
            "IllegalArgumentException: Values less than -1 bytes are not supported: -5b"
        );
        match parse_bytes("-2kb").unwrap_err() {
            BytesError::Parse { cause, .. } => assert_eq!(
                cause.unwrap().message.as_deref(),
                Some("Values less than -1 bytes are not supported: -2kb")
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn processor_cases() {
        use crate::processors::lowercase::testing::*;
        use serde_json::json;
        // 200_default_pipeline.yml / 240_required_pipeline.yml use bytes with a target field
        let p = build(
            "bytes",
            json!({"field": "bytes_source_field", "target_field": "bytes_target_field"}),
        );
        assert_eq!(
            run_ok(&*p, json!({"bytes_source_field": "1kb"})),
            json!({"bytes_source_field": "1kb", "bytes_target_field": 1024})
        );
        let p = build("bytes", json!({"field": "f"}));
        let d = run(&*p, json!({"f": "1b"})).unwrap();
        assert!(matches!(d.field("f").unwrap(), Value::Long(1)));
        let e = run_err(&*p, json!({"f": "1.1kb"}));
        assert_eq!(e.type_, "parse_exception");
        assert_eq!(
            e.caused_by.as_ref().map(|c| c.type_.as_str()),
            Some("number_format_exception")
        );
        assert_eq!(
            run_err(&*p, json!({"f": "xb"})).type_,
            "number_format_exception"
        );
    }
}
