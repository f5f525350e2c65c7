//! Dates in queries and documents: a `date` field's `format` (`a||b`, tried in order), date
//! math (`now-7d/d`, `2026-01-01||+1M/d`), the `time_zone` of a range and the rounding of
//! its upper bounds.
//!
//! Upstream: `server/src/main/java/org/opensearch/common/time/JavaDateMathParser.java`
//! (`parse(text, now, roundUp, tz)`: `now` or `date||math`, units `y M w d h H m s`,
//! `/unit` rounds down, or up to the last millisecond of the unit when `roundUp`),
//! `DateFieldMapper.DateFieldType.rangeQuery` / `parseToLong` (`gt` and `lte` round up,
//! `gte` and `lt` down; `termQuery` is the range `[v, v]`), `DateFormatters.java`
//! (`strict_date_optional_time`: `yyyy[-MM[-dd]]['T'HH[:mm[:ss[.S…]]]][zone]`, the missing
//! fields filled with their minimum, or their maximum when rounding up), `EpochTime.java`.
//! Other Java patterns are parsed by the offline ingest engine's date module
//! (`ingest::date::parse_with_format`), without rounding up.

use jiff::civil::{date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{Span, Timestamp, ZonedDateTime};

/// The field's default `format` (`DateFieldMapper.DEFAULT_DATE_TIME_FORMATTER`).
#[cfg(test)]
pub(crate) const DEFAULT_FORMAT: &str = "strict_date_optional_time||epoch_millis";

/// A time zone as the `time_zone` parameter names it (`UTC`, `+01:00`, `Europe/Paris`).
pub(crate) fn time_zone(name: &str) -> Result<TimeZone, String> {
    if name.eq_ignore_ascii_case("utc") || name == "Z" {
        return Ok(TimeZone::UTC);
    }
    if let Some(offset) = parse_offset(name) {
        return Ok(TimeZone::fixed(offset));
    }
    TimeZone::get(name).map_err(|e| format!("unknown time zone [{name}]: {e}"))
}

fn parse_offset(s: &str) -> Option<Offset> {
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let rest = &s[1..];
    let (h, m) = match rest.len() {
        2 => (rest, "00"),
        4 => (&rest[..2], &rest[2..]),
        5 if &rest[2..3] == ":" => (&rest[..2], &rest[3..]),
        _ => return None,
    };
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 18 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

/// Epoch milliseconds of a stored value of a date field.
pub(crate) fn stored_millis(format: &str, value: &serde_json::Value) -> Result<i64, String> {
    match value {
        serde_json::Value::Number(n) => {
            let f = n.as_f64().ok_or("not a number")?;
            // A JSON number is read as epoch_millis (or epoch_second when that is the
            // format's only epoch part).
            if format.split("||").any(|p| p == "epoch_millis") {
                Ok(f as i64)
            } else if format.split("||").any(|p| p == "epoch_second") {
                Ok((f * 1000.0) as i64)
            } else {
                parse_date(format, &n.to_string(), &TimeZone::UTC, false)
            }
        }
        serde_json::Value::String(s) => parse_date(format, s, &TimeZone::UTC, false),
        other => Err(format!("[{other}] is not a date")),
    }
}

/// A date written in a query (`JavaDateMathParser.parse`): date math or a date in `format`,
/// in `tz` unless it names its zone.
pub(crate) fn query_millis(
    text: &str,
    format: &str,
    tz: &TimeZone,
    now: Timestamp,
    round_up: bool,
) -> Result<i64, String> {
    let (base, math) = if let Some(math) = text.strip_prefix("now") {
        (now.to_zoned_datetime(tz.clone()), math)
    } else {
        match text.split_once("||") {
            Some((date_text, math)) => {
                let millis = parse_date(format, date_text, tz, false)?;
                (ts(millis)?.to_zoned_datetime(tz.clone()), math)
            }
            None => return parse_date(format, text, tz, round_up),
        }
    };
    apply_math(base, math, round_up, text)
}

fn ts(millis: i64) -> Result<Timestamp, String> {
    Timestamp::from_millisecond(millis).map_err(|e| e.to_string())
}

fn apply_math(
    mut z: ZonedDateTime,
    math: &str,
    round_up: bool,
    whole: &str,
) -> Result<i64, String> {
    let bad = || format!("operation not supported on date math [{whole}]");
    let chars: Vec<char> = math.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let op = chars[i];
        i += 1;
        if op == '/' {
            let unit = *chars.get(i).ok_or_else(bad)?;
            i += 1;
            let start = round_down(&z, unit).ok_or_else(bad)?;
            z = if round_up {
                let next = add(&start, unit, 1).ok_or_else(bad)?;
                next.checked_sub(Span::new().milliseconds(1))
                    .map_err(|e| e.to_string())?
            } else {
                start
            };
            continue;
        }
        let sign = match op {
            '+' => 1,
            '-' => -1,
            _ => return Err(bad()),
        };
        let from = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let n: i64 = if i == from {
            1
        } else {
            chars[from..i]
                .iter()
                .collect::<String>()
                .parse()
                .map_err(|_| bad())?
        };
        let unit = *chars.get(i).ok_or_else(bad)?;
        i += 1;
        z = add(&z, unit, sign * n).ok_or_else(bad)?;
    }
    Ok(z.timestamp().as_millisecond())
}

fn add(z: &ZonedDateTime, unit: char, n: i64) -> Option<ZonedDateTime> {
    let span = match unit {
        'y' => Span::new().try_years(n).ok()?,
        'M' => Span::new().try_months(n).ok()?,
        'w' => Span::new().try_weeks(n).ok()?,
        'd' => Span::new().try_days(n).ok()?,
        'h' | 'H' => Span::new().try_hours(n).ok()?,
        'm' => Span::new().try_minutes(n).ok()?,
        's' => Span::new().try_seconds(n).ok()?,
        _ => return None,
    };
    z.checked_add(span).ok()
}

fn round_down(z: &ZonedDateTime, unit: char) -> Option<ZonedDateTime> {
    let d = z.date();
    let t = z.time();
    let local: DateTime = match unit {
        'y' => date(d.year(), 1, 1).at(0, 0, 0, 0),
        'M' => date(d.year(), d.month(), 1).at(0, 0, 0, 0),
        'w' => {
            let back = i64::from(d.weekday().to_monday_zero_offset());
            d.checked_sub(Span::new().days(back)).ok()?.at(0, 0, 0, 0)
        }
        'd' => d.at(0, 0, 0, 0),
        'h' | 'H' => d.at(t.hour(), 0, 0, 0),
        'm' => d.at(t.hour(), t.minute(), 0, 0),
        's' => d.at(t.hour(), t.minute(), t.second(), 0),
        _ => return None,
    };
    local.to_zoned_datetime(z.time_zone().clone()).ok()
}

/// Parses `text` with the parts of `format` in order.
fn parse_date(format: &str, text: &str, tz: &TimeZone, round_up: bool) -> Result<i64, String> {
    let mut first_error = None;
    for part in format.split("||") {
        let got = match part {
            "strict_date_optional_time"
            | "date_optional_time"
            | "strict_date_optional_time_nanos" => iso(text, tz, round_up),
            "epoch_millis" => epoch(text, 1.0),
            "epoch_second" => epoch(text, 1000.0),
            other => {
                let utc = tz.to_fixed_offset().is_ok_and(|o| o == Offset::UTC);
                if !utc {
                    return Err(format!(
                        "a date in the format [{other}] read in the time zone of the query is \
                         not implemented offline"
                    ));
                }
                if round_up {
                    // Stop here: a later part could read the text otherwise than this one.
                    return Err(format!(
                        "rounding up a date in the format [{other}] (an upper bound) is not \
                         implemented offline"
                    ));
                } else {
                    ingest::date::parse_with_format(other, text)
                        .and_then(|z| z.epoch_millis())
                        .map_err(|e| {
                            if e.unsupported {
                                format!("not implemented offline: {}", e.message)
                            } else {
                                e.message
                            }
                        })
                }
            }
        };
        match got {
            Ok(ms) => return Ok(ms),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(format!(
        "failed to parse date field [{text}] with format [{format}]: {}",
        first_error.unwrap_or_default()
    ))
}

fn epoch(text: &str, scale: f64) -> Result<i64, String> {
    let ok = !text.is_empty()
        && text.trim_start_matches('-').split_once('.').map_or(
            text.trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit()),
            |(a, b)| a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()),
        );
    if !ok {
        return Err(format!("[{text}] is not an epoch"));
    }
    let f: f64 = text
        .parse()
        .map_err(|_| format!("[{text}] is not an epoch"))?;
    Ok((f * scale).floor() as i64)
}

/// `strict_date_optional_time`.
fn iso(text: &str, tz: &TimeZone, round_up: bool) -> Result<i64, String> {
    let bad = || format!("[{text}] is not a strict_date_optional_time");
    let b = text.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, n: usize| -> Option<i64> {
        let s = text.get(*i..*i + n)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *i += n;
        s.parse().ok()
    };
    let year = num(&mut i, 4).ok_or_else(bad)?;
    let mut fields: Vec<i64> = vec![year];
    // month, day
    for _ in 0..2 {
        if b.get(i) == Some(&b'-') {
            i += 1;
            fields.push(num(&mut i, 2).ok_or_else(bad)?);
        } else {
            break;
        }
    }
    let mut nanos: Option<(i64, usize)> = None;
    if b.get(i) == Some(&b'T') && fields.len() == 3 {
        i += 1;
        fields.push(num(&mut i, 2).ok_or_else(bad)?);
        for _ in 0..2 {
            if b.get(i) == Some(&b':') {
                i += 1;
                fields.push(num(&mut i, 2).ok_or_else(bad)?);
            } else {
                break;
            }
        }
        if fields.len() == 6 && matches!(b.get(i), Some(b'.') | Some(b',')) {
            i += 1;
            let from = i;
            while i < b.len() && b[i].is_ascii_digit() && i - from < 9 {
                i += 1;
            }
            if i == from {
                return Err(bad());
            }
            let digits = &text[from..i];
            let n: i64 = format!("{digits:0<9}").parse().map_err(|_| bad())?;
            nanos = Some((n, digits.len()));
        }
    }
    let zone: Option<TimeZone> = match &text[i..] {
        "" => None,
        "Z" => Some(TimeZone::UTC),
        rest if fields.len() >= 4 => Some(TimeZone::fixed(parse_offset(rest).ok_or_else(bad)?)),
        _ => return Err(bad()),
    };
    let max = [0, 12, 31, 23, 59, 59];
    let min = [0, 1, 1, 0, 0, 0];
    let get = |k: usize| -> i64 {
        fields
            .get(k)
            .copied()
            .unwrap_or(if round_up { max[k] } else { min[k] })
    };
    let (y, mo) = (get(0), get(1));
    let mut d = get(2);
    if fields.len() < 3 && round_up {
        d = i64::from(date(y as i16, mo as i8, 1).days_in_month());
    }
    let nano = match nanos {
        Some((n, _)) => n,
        None if round_up => 999_999_999,
        None => 0,
    };
    let local = jiff::civil::DateTime::new(
        y as i16,
        mo as i8,
        d as i8,
        get(3) as i8,
        get(4) as i8,
        get(5) as i8,
        nano as i32,
    )
    .map_err(|e| format!("{}: {e}", bad()))?;
    let z = local
        .to_zoned_datetime(zone.unwrap_or_else(|| tz.clone()))
        .map_err(|e| e.to_string())?;
    Ok(z.timestamp().as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-27T10:30:00Z".parse().unwrap()
    }

    fn q(text: &str, up: bool) -> String {
        let ms = query_millis(text, DEFAULT_FORMAT, &TimeZone::UTC, now(), up).unwrap();
        Timestamp::from_millisecond(ms).unwrap().to_string()
    }

    // Cases from JavaDateMathParserTests.
    #[test]
    fn date_math_and_rounding() {
        assert_eq!(q("now", false), "2026-11-27T10:30:00Z");
        assert_eq!(q("now-7d/d", false), "2026-11-20T00:00:00Z");
        assert_eq!(q("now-7d/d", true), "2026-11-20T23:59:59.999Z");
        assert_eq!(q("now/M", false), "2026-11-01T00:00:00Z");
        assert_eq!(q("now/w", false), "2026-11-23T00:00:00Z");
        assert_eq!(q("now+1h", false), "2026-11-27T11:30:00Z");
        assert_eq!(q("2014-11-18||+1M-1d", false), "2014-12-17T00:00:00Z");
        assert_eq!(q("2014-11-18||/y", true), "2014-12-31T23:59:59.999Z");
        assert!(query_millis("now-7x", DEFAULT_FORMAT, &TimeZone::UTC, now(), false).is_err());
    }

    #[test]
    fn iso_dates_fill_missing_fields_and_round_up() {
        assert_eq!(q("2018-04-03", false), "2018-04-03T00:00:00Z");
        assert_eq!(q("2018-04-03", true), "2018-04-03T23:59:59.999Z");
        assert_eq!(q("2018-02", true), "2018-02-28T23:59:59.999Z");
        assert_eq!(
            q("2018-04-03T10:11:12.5+02:00", false),
            "2018-04-03T08:11:12.5Z"
        );
        assert_eq!(q("1522713600000", false), "2018-04-03T00:00:00Z");
        let paris = time_zone("+01:00").unwrap();
        let ms = query_millis("2018-04-03", DEFAULT_FORMAT, &paris, now(), false).unwrap();
        assert_eq!(
            Timestamp::from_millisecond(ms).unwrap().to_string(),
            "2018-04-02T23:00:00Z"
        );
        assert!(q_err("03/04/2018"));
    }

    fn q_err(text: &str) -> bool {
        query_millis(text, DEFAULT_FORMAT, &TimeZone::UTC, now(), false).is_err()
    }

    #[test]
    fn java_patterns_go_to_the_ingest_date_module() {
        let ms = query_millis(
            "2026/11/27 10:30:00",
            "yyyy/MM/dd HH:mm:ss",
            &TimeZone::UTC,
            now(),
            false,
        );
        assert_eq!(ms, Ok(1_795_775_400_000));
        let up = query_millis(
            "2026/11/27 10:30:00",
            "yyyy/MM/dd HH:mm:ss",
            &TimeZone::UTC,
            now(),
            true,
        );
        assert!(up.unwrap_err().contains("not implemented offline"));
    }

    #[test]
    fn stored_values() {
        assert_eq!(
            stored_millis(
                DEFAULT_FORMAT,
                &serde_json::json!("2026-11-27T10:30:00.123Z")
            )
            .unwrap(),
            1_795_775_400_123
        );
        assert_eq!(
            stored_millis(DEFAULT_FORMAT, &serde_json::json!(1_795_775_400_123_i64)).unwrap(),
            1_795_775_400_123
        );
        assert_eq!(
            stored_millis(
                "epoch_second||strict_date_optional_time",
                &serde_json::json!(1_795_775_400)
            )
            .unwrap(),
            1_795_775_400_000
        );
    }
}
