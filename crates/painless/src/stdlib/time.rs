//! The core of `java.time` that scripts use: `Instant`, `ZonedDateTime`, `OffsetDateTime`,
//! `LocalDateTime`, `LocalDate`, `LocalTime`, `ZoneId`/`ZoneOffset`, `Duration`, `ChronoUnit`,
//! `DayOfWeek`, `Month`, `DateTimeFormatter` (the ISO constants, RFC 1123 and `ofPattern`), and
//! `java.util.Locale` as formatters need it.
//!
//! Calendar arithmetic is done here on epoch days and nanos of day (the proleptic ISO calendar,
//! as `java.time`); time-zone rules come from jiff's copy of the IANA database (OpenSearch 2.19
//! uses the JDK's copy: a zone whose rules changed between the two versions can differ).
//! `toString` follows the JDK 21 implementations. Text (month and day names, AM/PM, eras) is
//! English, for `Locale.ROOT` and the English locales; another locale's text is reported as not
//! supported. Week-based fields (`Y`, `w`, `W`, `e`, `c`) and localized zone names other than the
//! tz database abbreviations are not supported.

use crate::calendar::{civil_from_days, days_from_civil, is_leap, month_length};
use std::any::Any;
use std::cmp::Ordering;
use std::rc::Rc;

use crate::value::{JavaObject, Value};

use super::util::*;
use super::{Registry, Thrown};

const NANOS_PER_SECOND: i64 = 1_000_000_000;
const NANOS_PER_DAY: i64 = 86_400 * NANOS_PER_SECOND;

// ---------------------------------------------------------------------------------------------
// Civil calendar (the day arithmetic is in `crate::calendar`)

const MAX_YEAR: i64 = 999_999_999;

/// `ChronoField.X.checkValidValue`: `DateTimeException: Invalid value for MonthOfYear (valid
/// values 1 - 12): 13`.
fn check(name: &str, v: i64, lo: i64, hi: i64) -> Result<i64, Thrown> {
    if v < lo || v > hi {
        return Err(exc(
            "DateTimeException",
            format!("Invalid value for {name} (valid values {lo} - {hi}): {v}"),
        ));
    }
    Ok(v)
}

fn date_of(y: i64, m: i64, d: i64) -> Result<i64, Thrown> {
    check("Year", y, -MAX_YEAR, MAX_YEAR)?;
    check("MonthOfYear", m, 1, 12)?;
    check("DayOfMonth", d, 1, 31)?;
    if d > month_length(y, m) {
        return Err(if d == 29 {
            exc(
                "DateTimeException",
                format!("Invalid date 'February 29' as '{y}' is not a leap year"),
            )
        } else {
            exc(
                "DateTimeException",
                format!(
                    "Invalid date '{} {d}'",
                    MONTHS[(m - 1) as usize].to_uppercase()
                ),
            )
        });
    }
    Ok(days_from_civil(y, m, d))
}

fn time_of(h: i64, mi: i64, s: i64, n: i64) -> Result<i64, Thrown> {
    check("HourOfDay", h, 0, 23)?;
    check("MinuteOfHour", mi, 0, 59)?;
    check("SecondOfMinute", s, 0, 59)?;
    check("NanoOfSecond", n, 0, 999_999_999)?;
    Ok(((h * 60 + mi) * 60 + s) * NANOS_PER_SECOND + n)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A local date-time: epoch day and nano of day.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Ldt {
    day: i64,
    nod: i64,
}

impl Ldt {
    fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(self.day)
    }
    fn hms(self) -> (i64, i64, i64, i64) {
        let s = self.nod / NANOS_PER_SECOND;
        (s / 3600, s / 60 % 60, s % 60, self.nod % NANOS_PER_SECOND)
    }
    fn epoch_second(self, offset: i32) -> i64 {
        self.day * 86_400 + self.nod / NANOS_PER_SECOND - i64::from(offset)
    }
    fn from_epoch(sec: i64, nano: i32, offset: i32) -> Ldt {
        let local = sec + i64::from(offset);
        Ldt {
            day: local.div_euclid(86_400),
            nod: local.rem_euclid(86_400) * NANOS_PER_SECOND + i64::from(nano),
        }
    }
    fn plus_nanos(self, n: i128) -> Ldt {
        let total = i128::from(self.day) * i128::from(NANOS_PER_DAY) + i128::from(self.nod) + n;
        Ldt {
            day: total.div_euclid(i128::from(NANOS_PER_DAY)) as i64,
            nod: total.rem_euclid(i128::from(NANOS_PER_DAY)) as i64,
        }
    }
    fn plus_months(self, n: i64) -> Result<Ldt, Thrown> {
        let (y, m, d) = self.ymd();
        let total = y * 12 + (m - 1) + n;
        let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        check("Year", ny, -MAX_YEAR, MAX_YEAR)?;
        Ok(Ldt {
            day: days_from_civil(ny, nm, d.min(month_length(ny, nm))),
            nod: self.nod,
        })
    }
    fn nanos(self) -> i128 {
        i128::from(self.day) * i128::from(NANOS_PER_DAY) + i128::from(self.nod)
    }
}

// ---------------------------------------------------------------------------------------------
// Zones

/// `ZoneId`: a fixed `ZoneOffset` or a region with rules.
pub struct JZone {
    id: String,
    fixed: Option<i32>,
    tz: Option<jiff::tz::TimeZone>,
}

impl JavaObject for JZone {
    fn class_name(&self) -> &str {
        if self.is_offset() {
            "java.time.ZoneOffset"
        } else {
            "java.time.ZoneRegion"
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        self.id.clone()
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        other
            .as_any()
            .downcast_ref::<JZone>()
            .is_some_and(|o| o.id == self.id && o.is_offset() == self.is_offset())
    }
    fn java_hash_code(&self) -> i32 {
        match self.fixed {
            Some(s) if self.is_offset() => s,
            _ => crate::value::string_hash_code(&self.id),
        }
    }
    fn to_document_value(&self) -> Option<Value> {
        Some(Value::from(self.id.clone()))
    }
}

impl JZone {
    fn is_offset(&self) -> bool {
        self.tz.is_none() && self.fixed.is_some() && !self.id.starts_with(['U', 'G'])
    }

    fn offset(seconds: i32) -> Rc<JZone> {
        Rc::new(JZone {
            id: offset_id(seconds),
            fixed: Some(seconds),
            tz: None,
        })
    }

    /// The offset at an instant.
    fn offset_at(&self, epoch_second: i64) -> Result<i32, Thrown> {
        if let Some(f) = self.fixed {
            return Ok(f);
        }
        let tz = self.tz.as_ref().expect("a region has rules");
        let ts = jiff::Timestamp::from_second(epoch_second)
            .map_err(|_| unsupported("an instant outside jiff's range (years -9999 to 9999)"))?;
        Ok(tz.to_offset(ts).seconds())
    }

    /// `ZonedDateTime.ofLocal(ldt, zone, preferred)`: the valid offset (the earlier one in an
    /// overlap unless `preferred` is valid); in a gap, the date-time moves forward by the gap.
    fn resolve_local(&self, ldt: Ldt, preferred: Option<i32>) -> Result<(Ldt, i32), Thrown> {
        if let Some(f) = self.fixed {
            return Ok((ldt, f));
        }
        let tz = self.tz.as_ref().expect("a region has rules");
        let (y, m, d) = ldt.ymd();
        let (h, mi, s, n) = ldt.hms();
        let dt = jiff::civil::DateTime::new(
            y as i16, m as i8, d as i8, h as i8, mi as i8, s as i8, n as i32,
        )
        .map_err(|_| unsupported("a date-time outside jiff's range (years -9999 to 9999)"))?;
        if !(-9999..=9999).contains(&y) {
            return Err(unsupported(
                "a date-time outside jiff's range (years -9999 to 9999)",
            ));
        }
        use jiff::tz::AmbiguousOffset;
        Ok(match tz.to_ambiguous_timestamp(dt).offset() {
            AmbiguousOffset::Unambiguous { offset } => (ldt, offset.seconds()),
            AmbiguousOffset::Gap { before, after } => {
                let gap = i64::from(after.seconds() - before.seconds());
                (
                    ldt.plus_nanos(i128::from(gap) * i128::from(NANOS_PER_SECOND)),
                    after.seconds(),
                )
            }
            AmbiguousOffset::Fold { before, after } => match preferred {
                Some(p) if p == before.seconds() || p == after.seconds() => (ldt, p),
                _ => (ldt, before.seconds()),
            },
        })
    }
}

/// `ZoneOffset.getId()`: `Z`, `+01:00`, `-05:30:15`.
fn offset_id(seconds: i32) -> String {
    if seconds == 0 {
        return "Z".into();
    }
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    let sign = if seconds < 0 { '-' } else { '+' };
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

/// `ZoneOffset.of(String)`: `Z`, `±h`, `±hh`, `±hh:mm`, `±hhmm`, `±hh:mm:ss`, `±hhmmss`.
fn parse_offset_id(id: &str) -> Result<i32, Thrown> {
    let bad = || {
        exc(
            "DateTimeException",
            format!("Invalid ID for ZoneOffset, invalid format: {id}"),
        )
    };
    if id == "Z" {
        return Ok(0);
    }
    let (sign, rest) = match id.as_bytes().first() {
        Some(b'+') => (1, &id[1..]),
        Some(b'-') => (-1, &id[1..]),
        _ => return Err(bad()),
    };
    let num = |s: &str| -> Result<i32, Thrown> {
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(s.parse().unwrap_or(0))
        } else {
            Err(bad())
        }
    };
    let (h, m, s) = match rest.len() {
        1 if rest.as_bytes()[0].is_ascii_digit() => (i32::from(rest.as_bytes()[0] - b'0'), 0, 0),
        2 => (num(rest)?, 0, 0),
        4 => (num(&rest[..2])?, num(&rest[2..])?, 0),
        5 if &rest[2..3] == ":" => (num(&rest[..2])?, num(&rest[3..])?, 0),
        6 => (num(&rest[..2])?, num(&rest[2..4])?, num(&rest[4..])?),
        8 if &rest[2..3] == ":" && &rest[5..6] == ":" => {
            (num(&rest[..2])?, num(&rest[3..5])?, num(&rest[6..])?)
        }
        _ => return Err(bad()),
    };
    if h > 18 || m > 59 || s > 59 {
        return Err(exc(
            "DateTimeException",
            if h > 18 {
                format!(
                    "Zone offset hours not in valid range: value {h} is not in the range -18 to 18"
                )
            } else if m > 59 {
                format!("Zone offset minutes not in valid range: value {m} is not in the range -59 to 59")
            } else {
                format!("Zone offset seconds not in valid range: value {s} is not in the range -59 to 59")
            },
        ));
    }
    let total = sign * (h * 3600 + m * 60 + s);
    if total.abs() > 18 * 3600 {
        return Err(exc(
            "DateTimeException",
            "Zone offset not in valid range: -18:00 to +18:00",
        ));
    }
    Ok(total)
}

/// `ZoneId.of(String)`.
fn zone_of(id: &str) -> Result<Rc<JZone>, Thrown> {
    if id == "Z" || id.starts_with(['+', '-']) {
        return Ok(JZone::offset(parse_offset_id(id)?));
    }
    for prefix in ["UTC", "GMT", "UT"] {
        if id == prefix {
            return Ok(Rc::new(JZone {
                id: id.to_owned(),
                fixed: Some(0),
                tz: None,
            }));
        }
        if let Some(rest) = id.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                let off = parse_offset_id(rest)?;
                return Ok(Rc::new(JZone {
                    id: if off == 0 {
                        prefix.to_owned()
                    } else {
                        format!("{prefix}{}", offset_id(off))
                    },
                    fixed: Some(off),
                    tz: None,
                }));
            }
        }
    }
    let valid = id.len() >= 2
        && id.as_bytes()[0].is_ascii_alphabetic()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"~/._+-".contains(&b));
    if !valid {
        return Err(exc(
            "DateTimeException",
            format!("Invalid ID for region-based ZoneId, invalid format: {id}"),
        ));
    }
    let tz = jiff::tz::TimeZone::get(id)
        .map_err(|_| exc("ZoneRulesException", format!("Unknown time-zone ID: {id}")))?;
    Ok(Rc::new(JZone {
        id: id.to_owned(),
        fixed: None,
        tz: Some(tz),
    }))
}

fn zone_arg(a: &[Value], i: usize) -> Result<Rc<JZone>, Thrown> {
    match arg(a, i) {
        Value::Object(o) => match o.as_any().downcast_ref::<JZone>() {
            Some(z) => Ok(Rc::new(JZone {
                id: z.id.clone(),
                fixed: z.fixed,
                tz: z.tz.clone(),
            })),
            None => Err(cce(arg(a, i), "java.time.ZoneId")),
        },
        Value::Null => Err(exc("NullPointerException", "zone")),
        other => Err(cce(other, "java.time.ZoneId")),
    }
}

fn zone_value(z: Rc<JZone>) -> Value {
    Value::Object(z)
}

// ---------------------------------------------------------------------------------------------
// Values

/// The java.time objects, as one type with a kind, so that methods shared by several classes
/// dispatch in one place.
#[derive(Clone)]
pub struct Temporal {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Instant {
        sec: i64,
        nano: i32,
    },
    Zoned {
        ldt: Ldt,
        offset: i32,
        zone: Rc<JZone>,
    },
    Offset {
        ldt: Ldt,
        offset: i32,
    },
    DateTime(Ldt),
    Date(i64),
    Time(i64),
    Duration {
        sec: i64,
        nano: i32,
    },
    Period {
        y: i32,
        m: i32,
        d: i32,
    },
    Parsed(Rc<Parts>),
}

impl Temporal {
    fn value(kind: Kind) -> Value {
        Value::Object(Rc::new(Temporal { kind }))
    }

    /// Epoch second and nano, for kinds on the time-line.
    fn instant(&self) -> Option<(i64, i32)> {
        match &self.kind {
            Kind::Instant { sec, nano } => Some((*sec, *nano)),
            Kind::Zoned { ldt, offset, .. } | Kind::Offset { ldt, offset } => Some((
                ldt.epoch_second(*offset),
                (ldt.nod % NANOS_PER_SECOND) as i32,
            )),
            _ => None,
        }
    }

    fn local(&self) -> Option<Ldt> {
        match &self.kind {
            Kind::Zoned { ldt, .. } | Kind::Offset { ldt, .. } | Kind::DateTime(ldt) => Some(*ldt),
            Kind::Date(d) => Some(Ldt { day: *d, nod: 0 }),
            _ => None,
        }
    }
}

impl JavaObject for Temporal {
    fn class_name(&self) -> &str {
        match self.kind {
            Kind::Instant { .. } => "java.time.Instant",
            Kind::Zoned { .. } => "java.time.ZonedDateTime",
            Kind::Offset { .. } => "java.time.OffsetDateTime",
            Kind::DateTime(_) => "java.time.LocalDateTime",
            Kind::Date(_) => "java.time.LocalDate",
            Kind::Time(_) => "java.time.LocalTime",
            Kind::Duration { .. } => "java.time.Duration",
            Kind::Period { .. } => "java.time.Period",
            Kind::Parsed(_) => "java.time.format.Parsed",
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        match &self.kind {
            Kind::Instant { sec, nano } => instant_string(*sec, *nano),
            Kind::Zoned { ldt, offset, zone } => {
                let mut s = format!("{}{}", ldt_string(*ldt), offset_id(*offset));
                if !zone.is_offset() {
                    s.push('[');
                    s.push_str(&zone.id);
                    s.push(']');
                }
                s
            }
            Kind::Offset { ldt, offset } => format!("{}{}", ldt_string(*ldt), offset_id(*offset)),
            Kind::DateTime(ldt) => ldt_string(*ldt),
            Kind::Date(d) => date_string(*d),
            Kind::Time(t) => time_string(*t),
            Kind::Duration { sec, nano } => duration_string(*sec, *nano),
            Kind::Period { y, m, d } => period_string(*y, *m, *d),
            Kind::Parsed(p) => {
                // Parsed.toString: the unresolved fields, the chronology, the zone, the result.
                let mut s = String::from("{}");
                if let Some((sec, _)) = p.instant {
                    s = format!("{{InstantSeconds={sec}}}");
                } else if let Some(o) = p.offset {
                    s = format!("{{OffsetSeconds={o}}}");
                }
                s.push_str(",ISO");
                if let Some(z) = &p.zone {
                    s.push(',');
                    s.push_str(&z.id);
                }
                match (p.date, p.time) {
                    (Some(d), Some(t)) => s.push_str(&format!(
                        " resolved to {}",
                        ldt_string(Ldt { day: d, nod: t })
                    )),
                    (Some(d), None) => s.push_str(&format!(" resolved to {}", date_string(d))),
                    (None, Some(t)) => s.push_str(&format!(" resolved to {}", time_string(t))),
                    _ => {}
                }
                s
            }
        }
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        let Some(o) = other.as_any().downcast_ref::<Temporal>() else {
            return false;
        };
        match (&self.kind, &o.kind) {
            (Kind::Instant { sec: a, nano: b }, Kind::Instant { sec: c, nano: d }) => {
                a == c && b == d
            }
            (
                Kind::Zoned {
                    ldt: a,
                    offset: b,
                    zone: z1,
                },
                Kind::Zoned {
                    ldt: c,
                    offset: d,
                    zone: z2,
                },
            ) => a == c && b == d && z1.id == z2.id,
            (Kind::Offset { ldt: a, offset: b }, Kind::Offset { ldt: c, offset: d }) => {
                a == c && b == d
            }
            (Kind::DateTime(a), Kind::DateTime(b)) => a == b,
            (Kind::Date(a), Kind::Date(b)) => a == b,
            (Kind::Time(a), Kind::Time(b)) => a == b,
            (Kind::Duration { sec: a, nano: b }, Kind::Duration { sec: c, nano: d }) => {
                a == c && b == d
            }
            _ => false,
        }
    }
    fn java_hash_code(&self) -> i32 {
        crate::value::string_hash_code(&self.java_to_string())
    }
    /// How XContentBuilder writes the value into a document (`XContentOpenSearchExtension`
    /// date transformers): `ZonedDateTime`, `OffsetDateTime`, `LocalDateTime` and `Instant` (in
    /// UTC) with the `strict_date_optional_time_nanos` printer, `LocalDate` with `toString`,
    /// other values (`Duration`, `Period`) through `toString` as XContentBuilder does for unknown
    /// values. `LocalTime` uses a formatter whose pattern is not recorded here: not written.
    fn to_document_value(&self) -> Option<Value> {
        let printed = match &self.kind {
            Kind::Zoned { ldt, offset, .. } | Kind::Offset { ldt, offset } => {
                xcontent_string(*ldt, Some(*offset))
            }
            Kind::DateTime(ldt) => xcontent_string(*ldt, None),
            Kind::Instant { sec, nano } => {
                xcontent_string(Ldt::from_epoch(*sec, *nano, 0), Some(0))
            }
            Kind::Time(_) | Kind::Parsed(_) => return None,
            _ => self.java_to_string(),
        };
        Some(Value::from(printed))
    }
}

/// The `strict_date_optional_time_nanos` printer (`DateFormatters`): date, `T`, `HH:mm:ss`, the
/// fraction with 3 to 9 digits, the offset as `Z` or `+HH:MM`.
fn xcontent_string(ldt: Ldt, offset: Option<i32>) -> String {
    let (y, m, d) = ldt.ymd();
    let (h, mi, s, n) = ldt.hms();
    let mut fraction = format!("{n:09}");
    while fraction.len() > 3 && fraction.ends_with('0') {
        fraction.pop();
    }
    let mut out = format!(
        "{}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{fraction}",
        year_string(y)
    );
    if let Some(o) = offset {
        format_offset(&mut out, "+HH:MM", "Z", o);
    }
    out
}

fn year_string(y: i64) -> String {
    if y.abs() < 1000 {
        if y < 0 {
            format!("-{:04}", -y)
        } else {
            format!("{y:04}")
        }
    } else if y > 9999 {
        format!("+{y}")
    } else {
        y.to_string()
    }
}

fn date_string(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{}-{m:02}-{d:02}", year_string(y))
}

/// `LocalTime.toString`: `HH:mm`, then `:ss` unless zero seconds and nanos, then the fraction
/// in groups of three digits.
fn time_string(nod: i64) -> String {
    let s = nod / NANOS_PER_SECOND;
    let (h, mi, sec, n) = (s / 3600, s / 60 % 60, s % 60, nod % NANOS_PER_SECOND);
    let mut out = format!("{h:02}:{mi:02}");
    if sec > 0 || n > 0 {
        out.push_str(&format!(":{sec:02}"));
        if n > 0 {
            if n % 1_000_000 == 0 {
                out.push_str(&format!(".{:03}", n / 1_000_000));
            } else if n % 1000 == 0 {
                out.push_str(&format!(".{:06}", n / 1000));
            } else {
                out.push_str(&format!(".{n:09}"));
            }
        }
    }
    out
}

fn ldt_string(ldt: Ldt) -> String {
    format!("{}T{}", date_string(ldt.day), time_string(ldt.nod))
}

/// `Instant.toString` (`DateTimeFormatter.ISO_INSTANT`): seconds always, the fraction in groups
/// of three digits.
fn instant_string(sec: i64, nano: i32) -> String {
    let ldt = Ldt::from_epoch(sec, 0, 0);
    let (y, m, d) = ldt.ymd();
    let (h, mi, s, _) = ldt.hms();
    let mut out = format!("{}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}", year_string(y));
    if nano > 0 {
        if nano % 1_000_000 == 0 {
            out.push_str(&format!(".{:03}", nano / 1_000_000));
        } else if nano % 1000 == 0 {
            out.push_str(&format!(".{:06}", nano / 1000));
        } else {
            out.push_str(&format!(".{nano:09}"));
        }
    }
    out.push('Z');
    out
}

/// `Duration.toString`.
fn duration_string(seconds: i64, nanos: i32) -> String {
    if seconds == 0 && nanos == 0 {
        return "PT0S".into();
    }
    let mut effective = seconds;
    if seconds < 0 && nanos > 0 {
        effective += 1;
    }
    let hours = effective / 3600;
    let minutes = (effective % 3600) / 60;
    let secs = effective % 60;
    let mut buf = String::from("PT");
    if hours != 0 {
        buf.push_str(&format!("{hours}H"));
    }
    if minutes != 0 {
        buf.push_str(&format!("{minutes}M"));
    }
    if secs == 0 && nanos == 0 && buf.len() > 2 {
        return buf;
    }
    if seconds < 0 && nanos > 0 {
        if secs == 0 {
            buf.push_str("-0");
        } else {
            buf.push_str(&secs.to_string());
        }
    } else {
        buf.push_str(&secs.to_string());
    }
    if nanos > 0 {
        let pos = buf.len();
        let frac = if seconds < 0 {
            2 * NANOS_PER_SECOND - i64::from(nanos)
        } else {
            i64::from(nanos) + NANOS_PER_SECOND
        };
        let mut f = frac.to_string();
        while f.ends_with('0') {
            f.pop();
        }
        buf.push_str(&f);
        buf.replace_range(pos..pos + 1, ".");
    }
    buf.push('S');
    buf
}

/// `Period.toString`: `P1Y2M3D`, `P0D` for zero.
fn period_string(y: i32, m: i32, d: i32) -> String {
    if y == 0 && m == 0 && d == 0 {
        return "P0D".into();
    }
    let mut s = String::from("P");
    if y != 0 {
        s.push_str(&format!("{y}Y"));
    }
    if m != 0 {
        s.push_str(&format!("{m}M"));
    }
    if d != 0 {
        s.push_str(&format!("{d}D"));
    }
    s
}

fn period(y: i64, m: i64, d: i64) -> Result<Value, Thrown> {
    let fit = |v: i64| i32::try_from(v).map_err(|_| exc("ArithmeticException", "integer overflow"));
    Ok(Temporal::value(Kind::Period {
        y: fit(y)?,
        m: fit(m)?,
        d: fit(d)?,
    }))
}

fn period_of(t: &Temporal) -> Result<(i64, i64, i64), Thrown> {
    match t.kind {
        Kind::Period { y, m, d } => Ok((y.into(), m.into(), d.into())),
        _ => Err(exc(
            "ClassCastException",
            format!("Cannot cast {} to java.time.Period", t.class_name()),
        )),
    }
}

/// `LocalDate.until(ChronoLocalDate)`: the period between two dates.
fn period_between(start: i64, end: i64) -> Result<Value, Thrown> {
    let (y1, m1, d1) = civil_from_days(start);
    let (y2, m2, d2) = civil_from_days(end);
    let mut total = (y2 * 12 + m2 - 1) - (y1 * 12 + m1 - 1);
    let mut days = d2 - d1;
    if total > 0 && days < 0 {
        total -= 1;
        let calc = Ldt { day: start, nod: 0 }.plus_months(total)?.day;
        days = end - calc;
    } else if total < 0 && days > 0 {
        total += 1;
        days -= month_length(y2, m2);
    }
    period(total / 12, total % 12, days)
}

/// `Period.parse`: `PnYnMnWnD` with optional signs (case-insensitive).
fn parse_period(text: &str) -> Result<Value, Thrown> {
    let fail = || {
        exc(
            "DateTimeParseException",
            "Text cannot be parsed to a Period",
        )
    };
    let up = text.to_ascii_uppercase();
    let (neg, rest) = match up.as_bytes().first() {
        Some(b'-') => (true, &up[1..]),
        Some(b'+') => (false, &up[1..]),
        _ => (false, &up[..]),
    };
    let mut rest = rest.strip_prefix('P').ok_or_else(fail)?;
    if rest.is_empty() {
        return Err(fail());
    }
    let (mut y, mut m, mut d) = (0i64, 0i64, 0i64);
    for (unit, slot) in [('Y', 0), ('M', 1), ('W', 2), ('D', 3)] {
        if let Some(i) = rest.find(unit) {
            let n: i64 = rest[..i].parse().map_err(|_| fail())?;
            match slot {
                0 => y = n,
                1 => m = n,
                2 => d += n * 7,
                _ => d += n,
            }
            rest = &rest[i + 1..];
        }
    }
    if !rest.is_empty() {
        return Err(fail());
    }
    if neg {
        (y, m, d) = (-y, -m, -d);
    }
    period(y, m, d)
}

/// `java.time` enums and `Locale`, by class and constant name.
pub struct JEnum {
    class: &'static str,
    name: &'static str,
    ordinal: i32,
}

impl JavaObject for JEnum {
    fn class_name(&self) -> &str {
        self.class
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        if self.class == CHRONO_UNIT {
            return unit_display(self.name).to_owned();
        }
        if self.class == "java.util.Locale" {
            return locale_tag(self.name).to_owned();
        }
        if self.class == CHRONO_FIELD {
            return chrono_field_display(self.name).to_owned();
        }
        self.name.to_owned()
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        other
            .as_any()
            .downcast_ref::<JEnum>()
            .is_some_and(|o| o.class == self.class && o.name == self.name)
    }
    fn java_hash_code(&self) -> i32 {
        crate::value::string_hash_code(self.name)
    }
    fn to_document_value(&self) -> Option<Value> {
        Some(Value::from(self.java_to_string()))
    }
}

const CHRONO_UNIT: &str = "java.time.temporal.ChronoUnit";
const DAY_OF_WEEK: &str = "java.time.DayOfWeek";
const MONTH: &str = "java.time.Month";

const UNITS: [(&str, &str, i128); 16] = [
    ("NANOS", "Nanos", 1),
    ("MICROS", "Micros", 1_000),
    ("MILLIS", "Millis", 1_000_000),
    ("SECONDS", "Seconds", 1_000_000_000),
    ("MINUTES", "Minutes", 60_000_000_000),
    ("HOURS", "Hours", 3_600_000_000_000),
    ("HALF_DAYS", "HalfDays", 43_200_000_000_000),
    ("DAYS", "Days", 0),
    ("WEEKS", "Weeks", 0),
    ("MONTHS", "Months", 0),
    ("YEARS", "Years", 0),
    ("DECADES", "Decades", 0),
    ("CENTURIES", "Centuries", 0),
    ("MILLENNIA", "Millennia", 0),
    ("ERAS", "Eras", 0),
    ("FOREVER", "Forever", 0),
];

fn unit_display(name: &str) -> &'static str {
    UNITS.iter().find(|u| u.0 == name).map_or("", |u| u.1)
}

fn enum_value(class: &'static str, name: &'static str, ordinal: i32) -> Value {
    Value::Object(Rc::new(JEnum {
        class,
        name,
        ordinal,
    }))
}

const LOCALES: [(&str, &str); 23] = [
    ("CANADA", "en_CA"),
    ("CANADA_FRENCH", "fr_CA"),
    ("CHINA", "zh_CN"),
    ("CHINESE", "zh"),
    ("ENGLISH", "en"),
    ("FRANCE", "fr_FR"),
    ("FRENCH", "fr"),
    ("GERMAN", "de"),
    ("GERMANY", "de_DE"),
    ("ITALIAN", "it"),
    ("ITALY", "it_IT"),
    ("JAPAN", "ja_JP"),
    ("JAPANESE", "ja"),
    ("KOREA", "ko_KR"),
    ("KOREAN", "ko"),
    ("PRC", "zh_CN"),
    ("PRIVATE_USE_EXTENSION", "x"),
    ("ROOT", ""),
    ("SIMPLIFIED_CHINESE", "zh_CN"),
    ("TAIWAN", "zh_TW"),
    ("TRADITIONAL_CHINESE", "zh_TW"),
    ("UK", "en_GB"),
    ("US", "en_US"),
];

fn locale_tag(name: &str) -> &'static str {
    LOCALES.iter().find(|l| l.0 == name).map_or("", |l| l.1)
}

/// Whether a `Locale` argument gives English text (the only text available offline).
fn english(locale: &Value) -> Result<(), Thrown> {
    let (lang, _, _) = locale_parts(locale)?;
    if lang.is_empty() || lang == "en" {
        Ok(())
    } else {
        Err(unsupported(format!(
            "date-time text for the locale {}",
            locale.java_to_string()
        )))
    }
}

/// A `java.util.Locale` built by a constructor (the constants are [`JEnum`]s).
pub struct JLocale {
    language: String,
    country: String,
    variant: String,
}

impl JavaObject for JLocale {
    fn class_name(&self) -> &str {
        "java.util.Locale"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        locale_string(&self.language, &self.country, &self.variant)
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        other.as_any().downcast_ref::<JLocale>().is_some_and(|o| {
            o.language == self.language && o.country == self.country && o.variant == self.variant
        })
    }
    fn java_hash_code(&self) -> i32 {
        crate::value::string_hash_code(&self.java_to_string())
    }
    fn to_document_value(&self) -> Option<Value> {
        Some(Value::from(self.java_to_string()))
    }
}

/// `Locale.toString`: `language_COUNTRY_variant`, empty parts left out from the end.
fn locale_string(language: &str, country: &str, variant: &str) -> String {
    let mut s = language.to_owned();
    if !country.is_empty() || !variant.is_empty() {
        s.push('_');
        s.push_str(country);
    }
    if !variant.is_empty() {
        s.push('_');
        s.push_str(variant);
    }
    s
}

/// The language, country and variant of a `Locale` value.
fn locale_parts(v: &Value) -> Result<(String, String, String), Thrown> {
    match v {
        Value::Object(o) => {
            if let Some(l) = o.as_any().downcast_ref::<JLocale>() {
                return Ok((l.language.clone(), l.country.clone(), l.variant.clone()));
            }
            match o.as_any().downcast_ref::<JEnum>() {
                Some(e) if e.class == "java.util.Locale" => {
                    let tag = locale_tag(e.name);
                    let mut parts = tag.splitn(2, '_');
                    let lang = parts.next().unwrap_or("").to_owned();
                    let country = parts.next().unwrap_or("").to_owned();
                    Ok((lang, country, String::new()))
                }
                _ => Err(cce(v, "java.util.Locale")),
            }
        }
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.util.Locale")),
    }
}

fn new_locale(language: &str, country: &str, variant: &str) -> Value {
    // The constructor lower-cases the language and upper-cases the country (Locale(String...)
    // through BaseLocale.getInstance with LocaleUtils case conversion).
    Value::Object(Rc::new(JLocale {
        language: language.to_ascii_lowercase(),
        country: country.to_ascii_uppercase(),
        variant: variant.to_owned(),
    }))
}

fn register_locale(r: &mut Registry) {
    const LOCALE: &str = "java.util.Locale";
    r.add(LOCALE, "<init>", 1, |_, a, _| {
        Ok(new_locale(str_arg(a, 0)?, "", ""))
    });
    r.add(LOCALE, "<init>", 2, |_, a, _| {
        Ok(new_locale(str_arg(a, 0)?, str_arg(a, 1)?, ""))
    });
    r.add(LOCALE, "<init>", 3, |_, a, _| {
        Ok(new_locale(str_arg(a, 0)?, str_arg(a, 1)?, str_arg(a, 2)?))
    });
    r.add(LOCALE, "getLanguage", 0, |t, _, _| {
        Ok(Value::from(locale_parts(recv(t)?)?.0))
    });
    r.add(LOCALE, "getCountry", 0, |t, _, _| {
        Ok(Value::from(locale_parts(recv(t)?)?.1))
    });
    r.add(LOCALE, "getVariant", 0, |t, _, _| {
        Ok(Value::from(locale_parts(recv(t)?)?.2))
    });
    r.add(LOCALE, "getScript", 0, |_, _, _| Ok(Value::from("")));
    r.add(LOCALE, "toLanguageTag", 0, |t, _, _| {
        let (lang, country, variant) = locale_parts(recv(t)?)?;
        let mut tag = if lang.is_empty() {
            "und".to_owned()
        } else {
            lang
        };
        if !country.is_empty() {
            tag.push('-');
            tag.push_str(&country);
        }
        if !variant.is_empty() {
            tag.push('-');
            tag.push_str(&variant);
        }
        Ok(Value::from(tag))
    });
    r.add(LOCALE, "forLanguageTag", 1, |_, a, _| {
        let tag = str_arg(a, 0)?;
        let mut parts = tag.split(['-', '_']);
        let lang = parts.next().unwrap_or("");
        let lang = if lang == "und" { "" } else { lang };
        let country = parts
            .next()
            .filter(|c| c.len() == 2 || c.len() == 3)
            .unwrap_or("");
        Ok(new_locale(lang, country, ""))
    });
}

/// A java.time value of this module, or one of another crate's objects that says it is a
/// `java.time` class (the ingest engine's `_ingest.timestamp`): read back from its `toString`,
/// which `java.time` classes round-trip through `parse`.
fn temporal(v: &Value) -> Result<std::borrow::Cow<'_, Temporal>, Thrown> {
    match v {
        Value::Object(o) => {
            if let Some(t) = o.as_any().downcast_ref::<Temporal>() {
                return Ok(std::borrow::Cow::Borrowed(t));
            }
            let target = match o.class_name() {
                "java.time.ZonedDateTime" => Target::Zoned,
                "java.time.OffsetDateTime" => Target::Offset,
                "java.time.LocalDateTime" => Target::DateTime,
                "java.time.LocalDate" => Target::Date,
                "java.time.LocalTime" => Target::Time,
                "java.time.Instant" => Target::Instant,
                _ => return Err(cce(v, "java.time.temporal.Temporal")),
            };
            let parsed = default_parse(&o.java_to_string(), target)?;
            match &parsed {
                Value::Object(p) => match p.as_any().downcast_ref::<Temporal>() {
                    Some(t) => Ok(std::borrow::Cow::Owned(t.clone())),
                    None => Err(cce(v, "java.time.temporal.Temporal")),
                },
                _ => Err(cce(v, "java.time.temporal.Temporal")),
            }
        }
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.time.temporal.Temporal")),
    }
}

fn this(t: Option<&Value>) -> Result<std::borrow::Cow<'_, Temporal>, Thrown> {
    temporal(recv(t)?)
}

fn unit_arg(a: &[Value], i: usize) -> Result<&'static str, Thrown> {
    match arg(a, i) {
        Value::Object(o) => match o.as_any().downcast_ref::<JEnum>() {
            Some(e) if e.class == CHRONO_UNIT => Ok(e.name),
            _ => Err(cce(arg(a, i), CHRONO_UNIT)),
        },
        Value::Null => Err(exc("NullPointerException", "unit")),
        other => Err(cce(other, CHRONO_UNIT)),
    }
}

fn enum_arg<'a>(v: &'a Value, class: &str) -> Result<&'a JEnum, Thrown> {
    match v {
        Value::Object(o) => match o.as_any().downcast_ref::<JEnum>() {
            Some(e) if e.class == class => Ok(e),
            _ => Err(cce(v, class)),
        },
        Value::Null => Err(npe()),
        other => Err(cce(other, class)),
    }
}

/// Compare two java.time values of the same class (`compareTo`).
pub(crate) fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    let (Ok(x), Ok(y)) = (temporal(a), temporal(b)) else {
        if let (Value::Object(p), Value::Object(q)) = (a, b) {
            if let (Some(e), Some(f)) = (
                p.as_any().downcast_ref::<JEnum>(),
                q.as_any().downcast_ref::<JEnum>(),
            ) {
                if e.class == f.class {
                    return Some(e.ordinal.cmp(&f.ordinal));
                }
            }
        }
        return None;
    };
    Some(match (&x.kind, &y.kind) {
        (
            Kind::Zoned {
                ldt: l1, zone: z1, ..
            },
            Kind::Zoned {
                ldt: l2, zone: z2, ..
            },
        ) => x
            .instant()
            .cmp(&y.instant())
            .then(l1.cmp(l2))
            .then_with(|| z1.id.cmp(&z2.id)),
        (Kind::Offset { ldt: l1, .. }, Kind::Offset { ldt: l2, .. }) => {
            x.instant().cmp(&y.instant()).then(l1.cmp(l2))
        }
        (Kind::Instant { .. }, Kind::Instant { .. }) => x.instant().cmp(&y.instant()),
        (Kind::DateTime(a), Kind::DateTime(b)) => a.cmp(b),
        (Kind::Date(a), Kind::Date(b)) => a.cmp(b),
        (Kind::Time(a), Kind::Time(b)) => a.cmp(b),
        (Kind::Duration { sec: a, nano: b }, Kind::Duration { sec: c, nano: d }) => {
            (a, b).cmp(&(c, d))
        }
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/// Nanos of a time-based unit, `None` for a date-based one.
fn unit_nanos(unit: &str) -> Option<i128> {
    UNITS
        .iter()
        .find(|u| u.0 == unit)
        .and_then(|u| (u.2 > 0).then_some(u.2))
}

fn unsupported_unit(unit: &str) -> Thrown {
    exc(
        "UnsupportedTemporalTypeException",
        format!("Unsupported unit: {}", unit_display(unit)),
    )
}

/// Adds an amount of a date-based unit to a local date-time.
fn plus_date_unit(ldt: Ldt, n: i64, unit: &str) -> Result<Ldt, Thrown> {
    let months = |k: i64| {
        n.checked_mul(k)
            .ok_or_else(|| exc("ArithmeticException", "long overflow"))
    };
    match unit {
        "DAYS" => Ok(Ldt {
            day: ldt.day + n,
            nod: ldt.nod,
        }),
        "WEEKS" => Ok(Ldt {
            day: ldt.day + months(7)?,
            nod: ldt.nod,
        }),
        "MONTHS" => ldt.plus_months(n),
        "YEARS" => ldt.plus_months(months(12)?),
        "DECADES" => ldt.plus_months(months(120)?),
        "CENTURIES" => ldt.plus_months(months(1200)?),
        "MILLENNIA" => ldt.plus_months(months(12000)?),
        other => Err(unsupported_unit(other)),
    }
}

/// `plus(amount, unit)` on any temporal.
fn plus(t: &Temporal, n: i64, unit: &str) -> Result<Value, Thrown> {
    let nanos = unit_nanos(unit).map(|u| i128::from(n) * u);
    Ok(Temporal::value(match &t.kind {
        Kind::Instant { sec, nano } => {
            let Some(nanos) = nanos else {
                if unit == "DAYS" {
                    return plus(
                        t,
                        n.checked_mul(86_400)
                            .ok_or_else(|| exc("ArithmeticException", "long overflow"))?,
                        "SECONDS",
                    );
                }
                return Err(unsupported_unit(unit));
            };
            let total = i128::from(*sec) * 1_000_000_000 + i128::from(*nano) + nanos;
            Kind::Instant {
                sec: total.div_euclid(1_000_000_000) as i64,
                nano: total.rem_euclid(1_000_000_000) as i32,
            }
        }
        Kind::Zoned { ldt, offset, zone } => match nanos {
            Some(nanos) => {
                // Time-based: on the instant time-line.
                let (sec, nano) = t.instant().expect("zoned is on the time-line");
                let total = i128::from(sec) * 1_000_000_000 + i128::from(nano) + nanos;
                let (s, ns) = (
                    total.div_euclid(1_000_000_000) as i64,
                    total.rem_euclid(1_000_000_000) as i32,
                );
                let off = zone.offset_at(s)?;
                Kind::Zoned {
                    ldt: Ldt::from_epoch(s, ns, off),
                    offset: off,
                    zone: zone.clone(),
                }
            }
            None => {
                // Date-based: on the local time-line, keeping the offset where it is valid.
                let local = plus_date_unit(*ldt, n, unit)?;
                let (l, off) = zone.resolve_local(local, Some(*offset))?;
                Kind::Zoned {
                    ldt: l,
                    offset: off,
                    zone: zone.clone(),
                }
            }
        },
        Kind::Offset { ldt, offset } => Kind::Offset {
            ldt: match nanos {
                Some(n) => ldt.plus_nanos(n),
                None => plus_date_unit(*ldt, n, unit)?,
            },
            offset: *offset,
        },
        Kind::DateTime(ldt) => Kind::DateTime(match nanos {
            Some(n) => ldt.plus_nanos(n),
            None => plus_date_unit(*ldt, n, unit)?,
        }),
        Kind::Date(d) => match nanos {
            Some(_) => return Err(unsupported_unit(unit)),
            None => Kind::Date(plus_date_unit(Ldt { day: *d, nod: 0 }, n, unit)?.day),
        },
        Kind::Time(nod) => match nanos {
            Some(n) => {
                Kind::Time((i128::from(*nod) + n).rem_euclid(i128::from(NANOS_PER_DAY)) as i64)
            }
            None => return Err(unsupported_unit(unit)),
        },
        Kind::Parsed(_) => {
            return Err(exc(
                "UnsupportedTemporalTypeException",
                format!("Unsupported unit: {}", unit_display(unit)),
            ))
        }
        Kind::Period { y, m, d } => {
            let (y, m, d) = (i64::from(*y), i64::from(*m), i64::from(*d));
            return match unit {
                "DAYS" => period(y, m, d + n),
                "MONTHS" => period(y, m + n, d),
                "YEARS" => period(y + n, m, d),
                "WEEKS" => period(y, m, d + n * 7),
                other => Err(unsupported_unit(other)),
            };
        }
        Kind::Duration { sec, nano } => {
            let n = match nanos {
                Some(n) => n,
                None if unit == "DAYS" => i128::from(n) * i128::from(NANOS_PER_DAY),
                None => {
                    return Err(exc(
                        "UnsupportedTemporalTypeException",
                        "Unit must not have an estimated duration",
                    ))
                }
            };
            let total = i128::from(*sec) * 1_000_000_000 + i128::from(*nano) + n;
            Kind::Duration {
                sec: total.div_euclid(1_000_000_000) as i64,
                nano: total.rem_euclid(1_000_000_000) as i32,
            }
        }
    }))
}

/// `until(end, unit)` (and `ChronoUnit.between(start, end)`).
fn until(t: &Temporal, end: &Temporal, unit: &str) -> Result<i64, Thrown> {
    let nanos = unit_nanos(unit);
    let date_units = |a: Ldt, b: Ldt| -> Result<i64, Thrown> {
        // LocalDateTime.until for date-based units: the end date moves one day towards the
        // start when its time is "before" the start's time.
        let mut end_day = b.day;
        if b.day > a.day && b.nod < a.nod {
            end_day -= 1;
        } else if b.day < a.day && b.nod > a.nod {
            end_day += 1;
        }
        let (y1, m1, d1) = civil_from_days(a.day);
        let (y2, m2, d2) = civil_from_days(end_day);
        let months = ((y2 * 12 + m2 - 1) * 32 + d2 - ((y1 * 12 + m1 - 1) * 32 + d1)) / 32;
        Ok(match unit {
            "DAYS" => end_day - a.day,
            "WEEKS" => (end_day - a.day) / 7,
            "MONTHS" => months,
            "YEARS" => months / 12,
            "DECADES" => months / 120,
            "CENTURIES" => months / 1200,
            "MILLENNIA" => months / 12000,
            other => return Err(unsupported_unit(other)),
        })
    };
    let div = |total: i128, u: i128| -> i64 { (total / u) as i64 };
    match (&t.kind, &end.kind) {
        (Kind::Time(a), Kind::Time(b)) => match nanos {
            Some(u) => Ok(div(i128::from(b - a), u)),
            None => Err(unsupported_unit(unit)),
        },
        (Kind::Instant { .. }, _) => {
            let (s1, n1) = t.instant().expect("instant");
            let (s2, n2) = end.instant().ok_or_else(|| {
                exc(
                    "DateTimeException",
                    format!(
                        "Unable to obtain Instant from TemporalAccessor: {}",
                        end.java_to_string()
                    ),
                )
            })?;
            let total = (i128::from(s2) - i128::from(s1)) * 1_000_000_000 + i128::from(n2 - n1);
            match nanos {
                Some(u) => Ok(div(total, u)),
                None if unit == "DAYS" => Ok(div(total, i128::from(NANOS_PER_DAY))),
                None => Err(unsupported_unit(unit)),
            }
        }
        (Kind::Zoned { .. }, _) | (Kind::Offset { .. }, _) if end.instant().is_some() => {
            let (s1, n1) = t.instant().expect("on the time-line");
            let (s2, n2) = end.instant().expect("checked");
            match nanos {
                Some(u) => Ok(div(
                    (i128::from(s2) - i128::from(s1)) * 1_000_000_000 + i128::from(n2 - n1),
                    u,
                )),
                None => {
                    let a = t.local().expect("local");
                    let off = match &t.kind {
                        Kind::Zoned { .. } => zone_offset_for(&t.kind, s2)?,
                        Kind::Offset { offset, .. } => *offset,
                        _ => 0,
                    };
                    let b = Ldt::from_epoch(s2, n2, off);
                    date_units(a, b)
                }
            }
        }
        (Kind::DateTime(a), Kind::DateTime(b)) => match nanos {
            Some(u) => Ok(div(b.nanos() - a.nanos(), u)),
            None => date_units(*a, *b),
        },
        (Kind::Date(a), Kind::Date(b)) => match nanos {
            Some(_) => Err(unsupported_unit(unit)),
            None => date_units(Ldt { day: *a, nod: 0 }, Ldt { day: *b, nod: 0 }),
        },
        _ => Err(exc(
            "DateTimeException",
            format!(
                "Unable to obtain {} from TemporalAccessor: {}",
                simple(t.class_name()),
                end.java_to_string()
            ),
        )),
    }
}

fn zone_offset_for(kind: &Kind, epoch_second: i64) -> Result<i32, Thrown> {
    match kind {
        Kind::Zoned { zone, .. } => zone.offset_at(epoch_second),
        _ => Ok(0),
    }
}

fn simple(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

fn zoned(ldt: Ldt, zone: Rc<JZone>, preferred: Option<i32>) -> Result<Value, Thrown> {
    let (l, off) = zone.resolve_local(ldt, preferred)?;
    Ok(Temporal::value(Kind::Zoned {
        ldt: l,
        offset: off,
        zone,
    }))
}

fn zoned_from_instant(sec: i64, nano: i32, zone: Rc<JZone>) -> Result<Value, Thrown> {
    let off = zone.offset_at(sec)?;
    Ok(Temporal::value(Kind::Zoned {
        ldt: Ldt::from_epoch(sec, nano, off),
        offset: off,
        zone,
    }))
}

/// Replaces the local date-time of a temporal (for `with*` methods), re-resolving a zone.
fn with_local(t: &Temporal, ldt: Ldt) -> Result<Value, Thrown> {
    Ok(match &t.kind {
        Kind::Zoned { offset, zone, .. } => return zoned(ldt, zone.clone(), Some(*offset)),
        Kind::Offset { offset, .. } => Temporal::value(Kind::Offset {
            ldt,
            offset: *offset,
        }),
        Kind::DateTime(_) => Temporal::value(Kind::DateTime(ldt)),
        Kind::Date(_) => Temporal::value(Kind::Date(ldt.day)),
        Kind::Time(_) => Temporal::value(Kind::Time(ldt.nod)),
        _ => return Err(unsupported("with* on this temporal")),
    })
}

fn local_of(t: &Temporal) -> Result<Ldt, Thrown> {
    match &t.kind {
        Kind::Time(nod) => Ok(Ldt { day: 0, nod: *nod }),
        _ => t.local().ok_or_else(|| unsupported_field_error(t)),
    }
}

fn unsupported_field_error(t: &Temporal) -> Thrown {
    exc(
        "UnsupportedTemporalTypeException",
        format!("Unsupported field for {}", simple(t.class_name())),
    )
}

// ---------------------------------------------------------------------------------------------
// Formatting and parsing

/// A compiled `DateTimeFormatter`.
pub struct Formatter {
    spec: Spec,
    zone: Option<Rc<JZone>>,
    name: String,
}

#[derive(Clone)]
enum Spec {
    Pattern(Vec<Tok>),
    IsoInstant,
    Rfc1123,
}

#[derive(Clone, Debug)]
enum Field {
    Year,
    YearOfEra,
    Month,
    Day,
    DayOfYear,
    Hour,
    ClockHourOfDay,
    HourOfAmPm,
    ClockHourOfAmPm,
    Minute,
    Second,
    Nano,
    MilliOfDay,
    NanoOfDay,
    AmPm,
    DayOfWeek,
    Era,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum TextStyle {
    Short,
    Full,
    Narrow,
}

#[derive(Clone, Debug)]
enum Tok {
    Lit(String),
    Num {
        field: Field,
        min: usize,
        max: usize,
        exceeds_pad: bool,
        reserve: usize,
    },
    Reduced {
        field: Field,
    },
    Fraction {
        min: usize,
        max: usize,
        point: bool,
    },
    Text {
        field: Field,
        style: TextStyle,
    },
    /// `appendOffset(pattern, noOffsetText)`.
    Offset {
        pattern: &'static str,
        zero: &'static str,
    },
    LocalizedOffset {
        full: bool,
    },
    ZoneId,
    ZoneText,
    Optional(Vec<Tok>),
}

impl JavaObject for Formatter {
    fn class_name(&self) -> &str {
        "java.time.format.DateTimeFormatter"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        self.name.clone()
    }
}

fn num(field: Field, min: usize, max: usize) -> Tok {
    Tok::Num {
        field,
        min,
        max,
        exceeds_pad: false,
        reserve: 0,
    }
}

fn lit(s: &str) -> Tok {
    Tok::Lit(s.to_owned())
}

fn iso_date() -> Vec<Tok> {
    vec![
        Tok::Num {
            field: Field::Year,
            min: 4,
            max: 10,
            exceeds_pad: true,
            reserve: 0,
        },
        lit("-"),
        num(Field::Month, 2, 2),
        lit("-"),
        num(Field::Day, 2, 2),
    ]
}

fn iso_time() -> Vec<Tok> {
    vec![
        num(Field::Hour, 2, 2),
        lit(":"),
        num(Field::Minute, 2, 2),
        Tok::Optional(vec![
            lit(":"),
            num(Field::Second, 2, 2),
            Tok::Optional(vec![Tok::Fraction {
                min: 0,
                max: 9,
                point: true,
            }]),
        ]),
    ]
}

fn iso_local_date_time() -> Vec<Tok> {
    let mut v = iso_date();
    v.push(lit("T"));
    v.extend(iso_time());
    v
}

fn iso_offset() -> Tok {
    Tok::Offset {
        pattern: "+HH:MM:ss",
        zero: "Z",
    }
}

fn iso_formatter(name: &str) -> Option<Formatter> {
    let spec = match name {
        "ISO_LOCAL_DATE" => Spec::Pattern(iso_date()),
        "ISO_LOCAL_TIME" => Spec::Pattern(iso_time()),
        "ISO_LOCAL_DATE_TIME" => Spec::Pattern(iso_local_date_time()),
        "ISO_OFFSET_DATE_TIME" => {
            let mut v = iso_local_date_time();
            v.push(iso_offset());
            Spec::Pattern(v)
        }
        "ISO_OFFSET_DATE" => {
            let mut v = iso_date();
            v.push(iso_offset());
            Spec::Pattern(v)
        }
        "ISO_OFFSET_TIME" => {
            let mut v = iso_time();
            v.push(iso_offset());
            Spec::Pattern(v)
        }
        "ISO_ZONED_DATE_TIME" => {
            let mut v = iso_local_date_time();
            v.push(iso_offset());
            v.push(Tok::Optional(vec![lit("["), Tok::ZoneId, lit("]")]));
            Spec::Pattern(v)
        }
        "ISO_DATE_TIME" => {
            let mut v = iso_local_date_time();
            v.push(Tok::Optional(vec![
                iso_offset(),
                Tok::Optional(vec![lit("["), Tok::ZoneId, lit("]")]),
            ]));
            Spec::Pattern(v)
        }
        "ISO_DATE" => {
            let mut v = iso_date();
            v.push(Tok::Optional(vec![iso_offset()]));
            Spec::Pattern(v)
        }
        "ISO_TIME" => {
            let mut v = iso_time();
            v.push(Tok::Optional(vec![iso_offset()]));
            Spec::Pattern(v)
        }
        "ISO_ORDINAL_DATE" => Spec::Pattern(vec![
            Tok::Num {
                field: Field::Year,
                min: 4,
                max: 10,
                exceeds_pad: true,
                reserve: 0,
            },
            lit("-"),
            num(Field::DayOfYear, 3, 3),
            Tok::Optional(vec![iso_offset()]),
        ]),
        "BASIC_ISO_DATE" => Spec::Pattern(vec![
            Tok::Num {
                field: Field::Year,
                min: 4,
                max: 4,
                exceeds_pad: false,
                reserve: 0,
            },
            num(Field::Month, 2, 2),
            num(Field::Day, 2, 2),
            Tok::Optional(vec![Tok::Offset {
                pattern: "+HHMMss",
                zero: "Z",
            }]),
        ]),
        "ISO_INSTANT" => Spec::IsoInstant,
        "RFC_1123_DATE_TIME" => Spec::Rfc1123,
        _ => return None,
    };
    let pretty = match name {
        "ISO_INSTANT" => "ParseCaseSensitive(false)InstantSeconds".to_owned(),
        other => other.to_owned(),
    };
    Some(Formatter {
        spec,
        zone: None,
        name: pretty,
    })
}

/// `DateTimeFormatterBuilder.appendPattern` for the letters supported offline.
fn compile_pattern(p: &str) -> Result<Vec<Tok>, Thrown> {
    let chars: Vec<char> = p.chars().collect();
    let mut stack: Vec<Vec<Tok>> = vec![Vec::new()];
    let mut i = 0;
    let iae = |m: String| exc("IllegalArgumentException", m);
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() {
            let mut count = 1;
            while i + count < chars.len() && chars[i + count] == c {
                count += 1;
            }
            i += count;
            let too_many = || iae(format!("Too many pattern letters: {c}"));
            let toks = stack.last_mut().expect("stack");
            let tok = match c {
                'G' => Tok::Text {
                    field: Field::Era,
                    style: text_style(count).ok_or_else(too_many)?,
                },
                'y' | 'u' => {
                    let field = if c == 'y' {
                        Field::YearOfEra
                    } else {
                        Field::Year
                    };
                    if count == 2 {
                        Tok::Reduced { field }
                    } else if count < 4 {
                        Tok::Num {
                            field,
                            min: count,
                            max: 19,
                            exceeds_pad: false,
                            reserve: 0,
                        }
                    } else {
                        Tok::Num {
                            field,
                            min: count,
                            max: 19,
                            exceeds_pad: true,
                            reserve: 0,
                        }
                    }
                }
                'M' | 'L' => match count {
                    1 => num(Field::Month, 1, 19),
                    2 => num(Field::Month, 2, 2),
                    3 => Tok::Text {
                        field: Field::Month,
                        style: TextStyle::Short,
                    },
                    4 => Tok::Text {
                        field: Field::Month,
                        style: TextStyle::Full,
                    },
                    5 => Tok::Text {
                        field: Field::Month,
                        style: TextStyle::Narrow,
                    },
                    _ => return Err(too_many()),
                },
                'd' | 'h' | 'H' | 'k' | 'K' | 'm' | 's' => {
                    let field = match c {
                        'd' => Field::Day,
                        'h' => Field::ClockHourOfAmPm,
                        'H' => Field::Hour,
                        'k' => Field::ClockHourOfDay,
                        'K' => Field::HourOfAmPm,
                        'm' => Field::Minute,
                        _ => Field::Second,
                    };
                    match count {
                        1 => num(field, 1, 19),
                        2 => num(field, 2, 2),
                        _ => return Err(too_many()),
                    }
                }
                'D' => match count {
                    1 => num(Field::DayOfYear, 1, 19),
                    2 => num(Field::DayOfYear, 2, 3),
                    3 => num(Field::DayOfYear, 3, 3),
                    _ => return Err(too_many()),
                },
                'S' => Tok::Fraction {
                    min: count,
                    max: count,
                    point: false,
                },
                'n' | 'N' | 'A' => {
                    let field = match c {
                        'n' => Field::Nano,
                        'N' => Field::NanoOfDay,
                        _ => Field::MilliOfDay,
                    };
                    if count == 1 {
                        num(field, 1, 19)
                    } else {
                        num(field, count, count)
                    }
                }
                'a' => {
                    if count > 1 {
                        return Err(too_many());
                    }
                    Tok::Text {
                        field: Field::AmPm,
                        style: TextStyle::Short,
                    }
                }
                'E' => Tok::Text {
                    field: Field::DayOfWeek,
                    style: text_style(count).ok_or_else(too_many)?,
                },
                'V' => {
                    if count != 2 {
                        return Err(iae(format!("Pattern letter count must be 2: {c}")));
                    }
                    Tok::ZoneId
                }
                'z' => {
                    if count > 4 {
                        return Err(too_many());
                    }
                    Tok::ZoneText
                }
                'Z' => match count {
                    1..=3 => Tok::Offset {
                        pattern: "+HHMM",
                        zero: "+0000",
                    },
                    4 => Tok::LocalizedOffset { full: true },
                    5 => Tok::Offset {
                        pattern: "+HH:MM:ss",
                        zero: "Z",
                    },
                    _ => return Err(too_many()),
                },
                'O' => match count {
                    1 => Tok::LocalizedOffset { full: false },
                    4 => Tok::LocalizedOffset { full: true },
                    _ => return Err(iae(format!("Pattern letter count must be 1 or 4: {c}"))),
                },
                'X' | 'x' => {
                    let patterns = ["+HHmm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss"];
                    if count > 5 {
                        return Err(too_many());
                    }
                    let zero = if c == 'X' {
                        "Z"
                    } else {
                        ["+00", "+0000", "+00:00", "+0000", "+00:00"][count - 1]
                    };
                    Tok::Offset {
                        pattern: patterns[count - 1],
                        zero,
                    }
                }
                'Y' | 'w' | 'W' | 'e' | 'c' | 'Q' | 'q' | 'v' | 'B' | 'g' | 'F' => {
                    return Err(unsupported(format!(
                        "the DateTimeFormatter pattern letter '{c}'"
                    )))
                }
                other => return Err(iae(format!("Unknown pattern letter: {other}"))),
            };
            toks.push(tok);
        } else if c == '\'' {
            let start = i + 1;
            let mut j = start;
            let mut text = String::new();
            loop {
                if j >= chars.len() {
                    return Err(iae(format!(
                        "Pattern ends with an incomplete string literal: {p}"
                    )));
                }
                if chars[j] == '\'' {
                    if j + 1 < chars.len() && chars[j + 1] == '\'' {
                        text.push('\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                text.push(chars[j]);
                j += 1;
            }
            if j == start {
                text.push('\'');
            }
            stack.last_mut().expect("stack").push(Tok::Lit(text));
            i = j + 1;
        } else if c == '[' {
            stack.push(Vec::new());
            i += 1;
        } else if c == ']' {
            if stack.len() == 1 {
                return Err(iae(
                    "Pattern invalid as it contains ] without previous [".into()
                ));
            }
            let inner = stack.pop().expect("stack");
            stack.last_mut().expect("stack").push(Tok::Optional(inner));
            i += 1;
        } else if c == '{' || c == '}' || c == '#' {
            return Err(iae(format!("Pattern includes reserved character: '{c}'")));
        } else {
            stack
                .last_mut()
                .expect("stack")
                .push(Tok::Lit(c.to_string()));
            i += 1;
        }
    }
    while stack.len() > 1 {
        let inner = stack.pop().expect("stack");
        stack.last_mut().expect("stack").push(Tok::Optional(inner));
    }
    let mut toks = stack.pop().expect("stack");
    reserve_adjacent(&mut toks);
    Ok(toks)
}

/// Adjacent value parsing (`DateTimeFormatterBuilder.appendValue`): a variable-width number
/// directly followed by fixed-width numbers leaves their digits to them.
fn reserve_adjacent(toks: &mut [Tok]) {
    let mut active: Option<usize> = None;
    for i in 0..toks.len() {
        match &toks[i] {
            Tok::Num { min, max, .. } if min == max && active.is_some() => {
                let w = *max;
                if let Some(Tok::Num { reserve, .. }) = active.and_then(|a| toks.get_mut(a)) {
                    *reserve += w;
                }
            }
            Tok::Num { .. } | Tok::Reduced { .. } => active = Some(i),
            Tok::Fraction {
                min,
                max,
                point: false,
            } if min == max && active.is_some() => {
                let w = *max;
                if let Some(Tok::Num { reserve, .. }) = active.and_then(|a| toks.get_mut(a)) {
                    *reserve += w;
                }
            }
            _ => active = None,
        }
    }
}

fn text_style(count: usize) -> Option<TextStyle> {
    match count {
        1..=3 => Some(TextStyle::Short),
        4 => Some(TextStyle::Full),
        5 => Some(TextStyle::Narrow),
        _ => None,
    }
}

/// What a value offers to a formatter.
struct Fields {
    date: Option<i64>,
    time: Option<i64>,
    offset: Option<i32>,
    zone: Option<Rc<JZone>>,
    instant: Option<(i64, i32)>,
}

fn fields_of(t: &Temporal, fmt_zone: Option<&Rc<JZone>>) -> Result<Fields, Thrown> {
    // A formatter with an override zone converts instants into it.
    if let (Some(z), Some((s, n))) = (fmt_zone, t.instant()) {
        let off = z.offset_at(s)?;
        let ldt = Ldt::from_epoch(s, n, off);
        return Ok(Fields {
            date: Some(ldt.day),
            time: Some(ldt.nod),
            offset: Some(off),
            zone: Some(z.clone()),
            instant: Some((s, n)),
        });
    }
    Ok(match &t.kind {
        Kind::Instant { sec, nano } => Fields {
            date: None,
            time: None,
            offset: None,
            zone: None,
            instant: Some((*sec, *nano)),
        },
        Kind::Zoned { ldt, offset, zone } => Fields {
            date: Some(ldt.day),
            time: Some(ldt.nod),
            offset: Some(*offset),
            zone: Some(zone.clone()),
            instant: t.instant(),
        },
        Kind::Offset { ldt, offset } => Fields {
            date: Some(ldt.day),
            time: Some(ldt.nod),
            offset: Some(*offset),
            zone: None,
            instant: t.instant(),
        },
        Kind::DateTime(ldt) => Fields {
            date: Some(ldt.day),
            time: Some(ldt.nod),
            offset: None,
            zone: None,
            instant: None,
        },
        Kind::Date(d) => Fields {
            date: Some(*d),
            time: None,
            offset: None,
            zone: None,
            instant: None,
        },
        Kind::Time(t) => Fields {
            date: None,
            time: Some(*t),
            offset: None,
            zone: None,
            instant: None,
        },
        Kind::Parsed(p) => Fields {
            date: p.date,
            time: p.time,
            offset: p.offset,
            zone: p.zone.clone(),
            instant: p.instant,
        },
        Kind::Duration { .. } | Kind::Period { .. } => {
            return Err(exc(
                "UnsupportedTemporalTypeException",
                "Unsupported field: Year",
            ))
        }
    })
}

fn field_name(f: &Field) -> &'static str {
    match f {
        Field::Year => "Year",
        Field::YearOfEra => "YearOfEra",
        Field::Month => "MonthOfYear",
        Field::Day => "DayOfMonth",
        Field::DayOfYear => "DayOfYear",
        Field::Hour => "HourOfDay",
        Field::ClockHourOfDay => "ClockHourOfDay",
        Field::HourOfAmPm => "HourOfAmPm",
        Field::ClockHourOfAmPm => "ClockHourOfAmPm",
        Field::Minute => "MinuteOfHour",
        Field::Second => "SecondOfMinute",
        Field::Nano => "NanoOfSecond",
        Field::MilliOfDay => "MilliOfDay",
        Field::NanoOfDay => "NanoOfDay",
        Field::AmPm => "AmPmOfDay",
        Field::DayOfWeek => "DayOfWeek",
        Field::Era => "Era",
    }
}

fn field_value(f: &Field, fl: &Fields) -> Option<i64> {
    let date = fl.date.map(civil_from_days);
    let time = fl.time;
    match f {
        Field::Year => date.map(|d| d.0),
        Field::YearOfEra => date.map(|d| if d.0 >= 1 { d.0 } else { 1 - d.0 }),
        Field::Month => date.map(|d| d.1),
        Field::Day => date.map(|d| d.2),
        Field::DayOfYear => fl.date.map(|day| {
            let (y, _, _) = civil_from_days(day);
            day - days_from_civil(y, 1, 1) + 1
        }),
        Field::DayOfWeek => fl.date.map(|day| (day + 3).rem_euclid(7) + 1),
        Field::Era => date.map(|d| i64::from(d.0 >= 1)),
        Field::Hour => time.map(|t| t / NANOS_PER_SECOND / 3600),
        Field::ClockHourOfDay => time.map(|t| {
            let h = t / NANOS_PER_SECOND / 3600;
            if h == 0 {
                24
            } else {
                h
            }
        }),
        Field::HourOfAmPm => time.map(|t| t / NANOS_PER_SECOND / 3600 % 12),
        Field::ClockHourOfAmPm => time.map(|t| {
            let h = t / NANOS_PER_SECOND / 3600 % 12;
            if h == 0 {
                12
            } else {
                h
            }
        }),
        Field::Minute => time.map(|t| t / NANOS_PER_SECOND / 60 % 60),
        Field::Second => time.map(|t| t / NANOS_PER_SECOND % 60),
        Field::Nano => time.map(|t| t % NANOS_PER_SECOND),
        Field::MilliOfDay => time.map(|t| t / 1_000_000),
        Field::NanoOfDay => time,
        Field::AmPm => time.map(|t| i64::from(t / NANOS_PER_SECOND / 3600 >= 12)),
    }
}

fn text_of(f: &Field, v: i64, style: TextStyle) -> String {
    let full = match f {
        Field::Month => MONTHS[(v - 1) as usize].to_owned(),
        Field::DayOfWeek => DAYS[(v - 1) as usize].to_owned(),
        Field::AmPm => return if v == 0 { "AM".into() } else { "PM".into() },
        Field::Era => {
            return match style {
                TextStyle::Full => if v == 1 {
                    "Anno Domini"
                } else {
                    "Before Christ"
                }
                .into(),
                TextStyle::Narrow => if v == 1 { "A" } else { "B" }.into(),
                TextStyle::Short => if v == 1 { "AD" } else { "BC" }.into(),
            }
        }
        _ => v.to_string(),
    };
    match style {
        TextStyle::Full => full,
        TextStyle::Short => full.chars().take(3).collect(),
        TextStyle::Narrow => full.chars().take(1).collect(),
    }
}

fn format_offset(out: &mut String, pattern: &str, zero: &str, seconds: i32) {
    if seconds == 0 {
        out.push_str(zero);
        return;
    }
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    out.push(if seconds < 0 { '-' } else { '+' });
    out.push_str(&format!("{h:02}"));
    let colon = pattern.contains(':');
    let sep = if colon { ":" } else { "" };
    let has_min = pattern.len() > 3;
    let min_optional = pattern.contains("mm");
    let has_sec = pattern.contains("ss") || pattern.contains("SS");
    let sec_optional = pattern.contains("ss");
    if has_min && (!min_optional || m != 0 || (has_sec && s != 0)) {
        out.push_str(&format!("{sep}{m:02}"));
        if has_sec && (!sec_optional || s != 0) {
            out.push_str(&format!("{sep}{s:02}"));
        }
    }
}

fn format_toks(toks: &[Tok], fl: &Fields, out: &mut String) -> Result<bool, Thrown> {
    for t in toks {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Num {
                field,
                min,
                exceeds_pad,
                ..
            } => {
                let Some(v) = field_value(field, fl) else {
                    return Ok(false);
                };
                let digits = v.unsigned_abs().to_string();
                if v < 0 {
                    out.push('-');
                } else if *exceeds_pad && digits.len() > *min {
                    out.push('+');
                }
                for _ in digits.len()..*min {
                    out.push('0');
                }
                out.push_str(&digits);
            }
            Tok::Reduced { field } => {
                let Some(v) = field_value(field, fl) else {
                    return Ok(false);
                };
                out.push_str(&format!("{:02}", v.rem_euclid(100)));
            }
            Tok::Fraction { min, max, point } => {
                let Some(n) = fl.time.map(|t| t % NANOS_PER_SECOND) else {
                    return Ok(false);
                };
                let mut digits = format!("{n:09}");
                digits.truncate(*max);
                while digits.len() > *min && digits.ends_with('0') {
                    digits.pop();
                }
                if !digits.is_empty() {
                    if *point {
                        out.push('.');
                    }
                    out.push_str(&digits);
                }
            }
            Tok::Text { field, style } => {
                let Some(v) = field_value(field, fl) else {
                    return Ok(false);
                };
                out.push_str(&text_of(field, v, *style));
            }
            Tok::Offset { pattern, zero } => {
                let Some(o) = fl.offset else { return Ok(false) };
                format_offset(out, pattern, zero, o);
            }
            Tok::LocalizedOffset { full } => {
                let Some(o) = fl.offset else { return Ok(false) };
                out.push_str("GMT");
                if o != 0 {
                    let abs = o.unsigned_abs();
                    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
                    out.push(if o < 0 { '-' } else { '+' });
                    if *full {
                        out.push_str(&format!("{h:02}:{m:02}"));
                        if s != 0 {
                            out.push_str(&format!(":{s:02}"));
                        }
                    } else {
                        out.push_str(&h.to_string());
                        if m != 0 || s != 0 {
                            out.push_str(&format!(":{m:02}"));
                            if s != 0 {
                                out.push_str(&format!(":{s:02}"));
                            }
                        }
                    }
                }
            }
            Tok::ZoneId => {
                let Some(z) = &fl.zone else { return Ok(false) };
                out.push_str(&z.id);
            }
            Tok::ZoneText => {
                let Some(z) = &fl.zone else { return Ok(false) };
                match (&z.tz, fl.instant) {
                    (Some(tz), Some((s, _))) => {
                        let ts = jiff::Timestamp::from_second(s)
                            .map_err(|_| unsupported("an instant outside jiff's range"))?;
                        out.push_str(tz.to_offset_info(ts).abbreviation());
                    }
                    _ => out.push_str(&z.id),
                }
            }
            Tok::Optional(inner) => {
                let mut buf = String::new();
                if format_toks(inner, fl, &mut buf)? {
                    out.push_str(&buf);
                }
            }
        }
    }
    Ok(true)
}

fn format(f: &Formatter, t: &Temporal) -> Result<String, Thrown> {
    let fl = fields_of(t, f.zone.as_ref())?;
    match &f.spec {
        Spec::IsoInstant => {
            let (s, n) = fl.instant.ok_or_else(|| {
                exc(
                    "UnsupportedTemporalTypeException",
                    "Unsupported field: InstantSeconds",
                )
            })?;
            Ok(instant_string(s, n))
        }
        Spec::Rfc1123 => {
            let (Some(day), Some(time), Some(off)) = (fl.date, fl.time, fl.offset) else {
                return Err(exc(
                    "UnsupportedTemporalTypeException",
                    "Unsupported field: DayOfMonth",
                ));
            };
            let (y, m, d) = civil_from_days(day);
            let dow = (day + 3).rem_euclid(7) as usize;
            let s = time / NANOS_PER_SECOND;
            let mut out = format!(
                "{}, {d} {} {y:04} {:02}:{:02}:{:02} ",
                &DAYS[dow][..3],
                &MONTHS[(m - 1) as usize][..3],
                s / 3600,
                s / 60 % 60,
                s % 60
            );
            format_offset(&mut out, "+HHMM", "GMT", off);
            Ok(out)
        }
        Spec::Pattern(toks) => {
            let mut out = String::new();
            if !format_toks(toks, &fl, &mut out)? {
                let missing = first_missing(toks, &fl).unwrap_or("Year");
                return Err(exc(
                    "UnsupportedTemporalTypeException",
                    format!("Unsupported field: {missing}"),
                ));
            }
            Ok(out)
        }
    }
}

fn first_missing(toks: &[Tok], fl: &Fields) -> Option<&'static str> {
    for t in toks {
        match t {
            Tok::Num { field, .. } | Tok::Reduced { field } | Tok::Text { field, .. }
                if field_value(field, fl).is_none() =>
            {
                return Some(field_name(field));
            }
            Tok::Fraction { .. } if fl.time.is_none() => return Some("NanoOfSecond"),
            Tok::Offset { .. } | Tok::LocalizedOffset { .. } if fl.offset.is_none() => {
                return Some("OffsetSeconds")
            }
            _ => {}
        }
    }
    None
}

/// The fields a parse found.
#[derive(Default, Debug)]
struct Parsed {
    values: Vec<(&'static str, i64)>,
    offset: Option<i32>,
    zone: Option<String>,
    instant: Option<(i64, i32)>,
}

impl Parsed {
    fn get(&self, name: &str) -> Option<i64> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }
    fn set(&mut self, name: &'static str, v: i64) {
        self.values.push((name, v));
    }
}

fn parse_error(text: &str, index: usize) -> Thrown {
    exc(
        "DateTimeParseException",
        format!("Text '{text}' could not be parsed at index {index}"),
    )
}

/// Parses `toks` at `pos` (in chars); returns the new position or the error position.
fn parse_toks(toks: &[Tok], s: &[char], mut pos: usize, p: &mut Parsed) -> Result<usize, usize> {
    for (ti, t) in toks.iter().enumerate() {
        match t {
            Tok::Lit(l) => {
                for c in l.chars() {
                    if pos < s.len() && s[pos] == c {
                        pos += 1;
                    } else {
                        return Err(pos);
                    }
                }
            }
            Tok::Num {
                field,
                min,
                max,
                exceeds_pad,
                reserve,
            } => {
                let mut i = pos;
                let mut negative = false;
                if i < s.len() && (s[i] == '-' || (s[i] == '+' && *exceeds_pad)) {
                    negative = s[i] == '-';
                    i += 1;
                }
                let start = i;
                let mut digits = 0;
                while i + digits < s.len() && s[i + digits].is_ascii_digit() {
                    digits += 1;
                }
                let available = digits.saturating_sub(*reserve);
                let take = available.min(*max);
                if take < *min {
                    return Err(pos);
                }
                let text: String = s[start..start + take].iter().collect();
                let v: i64 = text.parse().map_err(|_| pos)?;
                p.set(field_name(field), if negative { -v } else { v });
                pos = start + take;
                let _ = ti;
            }
            Tok::Reduced { field } => {
                if pos + 2 > s.len() || !s[pos].is_ascii_digit() || !s[pos + 1].is_ascii_digit() {
                    return Err(pos);
                }
                let v = (s[pos] as i64 - '0' as i64) * 10 + (s[pos + 1] as i64 - '0' as i64);
                // appendValueReduced(field, 2, 2, 2000): 2000 to 2099.
                p.set(field_name(field), 2000 + v);
                pos += 2;
            }
            Tok::Fraction { min, max, point } => {
                let mut i = pos;
                if *point {
                    if i < s.len() && s[i] == '.' {
                        i += 1;
                    } else if *min == 0 {
                        continue;
                    } else {
                        return Err(pos);
                    }
                }
                let start = i;
                while i < s.len() && i - start < *max && s[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start < *min.max(&usize::from(*point)) {
                    return Err(pos);
                }
                let mut digits: String = s[start..i].iter().collect();
                while digits.len() < 9 {
                    digits.push('0');
                }
                p.set("NanoOfSecond", digits.parse().unwrap_or(0));
                pos = i;
            }
            Tok::Text { field, style } => {
                let candidates: Vec<(String, i64)> = match field {
                    Field::Month => (1..=12).map(|m| (text_of(field, m, *style), m)).collect(),
                    Field::DayOfWeek => (1..=7).map(|d| (text_of(field, d, *style), d)).collect(),
                    Field::AmPm => vec![("AM".into(), 0), ("PM".into(), 1)],
                    Field::Era => vec![
                        (text_of(field, 0, *style), 0),
                        (text_of(field, 1, *style), 1),
                    ],
                    _ => Vec::new(),
                };
                let rest: String = s[pos..].iter().collect();
                let found = candidates
                    .iter()
                    .filter(|(t, _)| rest.starts_with(t.as_str()))
                    .max_by_key(|(t, _)| t.len());
                match found {
                    Some((t, v)) => {
                        p.set(field_name(field), *v);
                        pos += t.chars().count();
                    }
                    None => return Err(pos),
                }
            }
            Tok::Offset { pattern, zero } => {
                let rest: String = s[pos..].iter().collect();
                if !zero.is_empty()
                    && rest.starts_with(zero)
                    && !(zero.starts_with('+') && parse_offset_text(&rest, pattern).is_some())
                {
                    p.offset = Some(0);
                    pos += zero.chars().count();
                    continue;
                }
                match parse_offset_text(&rest, pattern) {
                    Some((secs, len)) => {
                        p.offset = Some(secs);
                        pos += len;
                    }
                    None => return Err(pos),
                }
            }
            Tok::LocalizedOffset { .. } => {
                let rest: String = s[pos..].iter().collect();
                if !rest.starts_with("GMT") {
                    return Err(pos);
                }
                pos += 3;
                let rest = &rest[3..];
                if rest.starts_with(['+', '-']) {
                    let sign = if rest.starts_with('-') { -1 } else { 1 };
                    let body: String = rest[1..]
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == ':')
                        .collect();
                    let parts: Vec<&str> = body.split(':').collect();
                    let h: i32 = parts.first().and_then(|x| x.parse().ok()).ok_or(pos)?;
                    let m: i32 = parts.get(1).and_then(|x| x.parse().ok()).unwrap_or(0);
                    let sec: i32 = parts.get(2).and_then(|x| x.parse().ok()).unwrap_or(0);
                    p.offset = Some(sign * (h * 3600 + m * 60 + sec));
                    pos += 1 + body.chars().count();
                } else {
                    p.offset = Some(0);
                }
            }
            Tok::ZoneId => {
                let rest: String = s[pos..].iter().collect();
                let id: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || "~/._+-:".contains(*c))
                    .collect();
                if id.is_empty() {
                    return Err(pos);
                }
                if zone_of(&id).is_err() {
                    return Err(pos);
                }
                p.zone = Some(id.clone());
                pos += id.chars().count();
            }
            Tok::ZoneText => {
                let rest: String = s[pos..].iter().collect();
                let id: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || "/_+-".contains(*c))
                    .collect();
                match id.as_str() {
                    "UTC" | "GMT" | "UT" | "Z" => {
                        p.zone = Some(id.clone());
                        pos += id.len();
                    }
                    _ => return Err(pos),
                }
            }
            Tok::Optional(inner) => {
                let mut trial = Parsed {
                    values: p.values.clone(),
                    offset: p.offset,
                    zone: p.zone.clone(),
                    instant: p.instant,
                };
                if let Ok(np) = parse_toks(inner, s, pos, &mut trial) {
                    *p = trial;
                    pos = np;
                }
            }
        }
    }
    Ok(pos)
}

/// An offset in the given pattern style; `(seconds, chars consumed)`.
fn parse_offset_text(s: &str, pattern: &str) -> Option<(i32, usize)> {
    let b = s.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let two = |i: usize| -> Option<i32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit())
            .then(|| i32::from(x - b'0') * 10 + i32::from(y - b'0'))
    };
    let h = two(1)?;
    let colon = pattern.contains(':');
    let mut pos = 3;
    let mut m = 0;
    let mut sec = 0;
    let has_min = pattern.len() > 3;
    if has_min {
        let mi = if colon {
            b.get(pos).filter(|c| **c == b':').and(two(pos + 1))
        } else {
            two(pos)
        };
        match mi {
            Some(v) => {
                m = v;
                pos += if colon { 3 } else { 2 };
                if pattern.contains("ss") || pattern.contains("SS") {
                    let si = if colon {
                        b.get(pos).filter(|c| **c == b':').and(two(pos + 1))
                    } else {
                        two(pos)
                    };
                    match si {
                        Some(v) => {
                            sec = v;
                            pos += if colon { 3 } else { 2 };
                        }
                        None if pattern.contains("SS") => return None,
                        None => {}
                    }
                }
            }
            None if pattern.contains("mm") => {}
            None => return None,
        }
    }
    Some((sign * (h * 3600 + m * 60 + sec), pos))
}

/// Resolves parsed fields into a date and a time (`Parsed.resolve`, SMART resolver style).
fn resolve(p: &Parsed, text: &str) -> Result<(Option<i64>, Option<i64>), Thrown> {
    let err = |m: String| {
        exc(
            "DateTimeParseException",
            format!("Text '{text}' could not be parsed: {m}"),
        )
    };
    let year = match (p.get("Year"), p.get("YearOfEra")) {
        (Some(y), _) => Some(y),
        (None, Some(yoe)) => Some(if p.get("Era") == Some(0) {
            1 - yoe
        } else {
            yoe
        }),
        _ => None,
    };
    let date = match (
        year,
        p.get("MonthOfYear"),
        p.get("DayOfMonth"),
        p.get("DayOfYear"),
    ) {
        (Some(y), Some(m), Some(d), _) => {
            check("MonthOfYear", m, 1, 12).map_err(|e| rewrap(e, &err))?;
            check("DayOfMonth", d, 1, 31).map_err(|e| rewrap(e, &err))?;
            // SMART: a day past the month's end is the last day of the month for 29-31.
            let d = if d > 28 { d.min(month_length(y, m)) } else { d };
            Some(date_of(y, m, d).map_err(|e| rewrap(e, &err))?)
        }
        (Some(y), None, None, Some(doy)) => {
            check("DayOfYear", doy, 1, if is_leap(y) { 366 } else { 365 })
                .map_err(|e| rewrap(e, &err))?;
            Some(days_from_civil(y, 1, 1) + doy - 1)
        }
        _ => None,
    };
    if let (Some(day), Some(dow)) = (date, p.get("DayOfWeek")) {
        let actual = (day + 3).rem_euclid(7) + 1;
        if actual != dow {
            return Err(err(format!(
                "Conflict found: Field DayOfWeek {actual} differs from DayOfWeek {dow} derived from {}",
                date_string(day)
            )));
        }
    }
    let hour = match (
        p.get("HourOfDay"),
        p.get("ClockHourOfDay"),
        p.get("HourOfAmPm"),
        p.get("ClockHourOfAmPm"),
        p.get("AmPmOfDay"),
    ) {
        (Some(h), ..) => Some(h),
        (None, Some(k), ..) => Some(if k == 24 { 0 } else { k }),
        (None, None, Some(h), _, Some(ap)) => Some(h + 12 * ap),
        (None, None, None, Some(h), Some(ap)) => Some(if h == 12 { 0 } else { h } + 12 * ap),
        _ => None,
    };
    let time = match hour {
        Some(h) => {
            let (mi, s, n) = (
                p.get("MinuteOfHour"),
                p.get("SecondOfMinute"),
                p.get("NanoOfSecond"),
            );
            if (mi.is_none() && (s.is_some() || n.is_some()))
                || (mi.is_some() && s.is_none() && n.is_some())
            {
                None
            } else {
                Some(
                    time_of(h, mi.unwrap_or(0), s.unwrap_or(0), n.unwrap_or(0))
                        .map_err(|e| rewrap(e, &err))?,
                )
            }
        }
        None => p
            .get("NanoOfDay")
            .or_else(|| p.get("MilliOfDay").map(|m| m * 1_000_000)),
    };
    Ok((date, time))
}

fn rewrap(e: Thrown, err: &dyn Fn(String) -> Thrown) -> Thrown {
    match e {
        Thrown::Exception(x) => err(x.message.unwrap_or_default()),
        other => other,
    }
}

/// What `X.parse(text, formatter)` builds.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Parsed,
    Zoned,
    Offset,
    DateTime,
    Date,
    Time,
    Instant,
}

fn parse(f: &Formatter, text: &str, target: Target) -> Result<Value, Thrown> {
    let chars: Vec<char> = text.chars().collect();
    let mut p = Parsed::default();
    match &f.spec {
        Spec::Pattern(toks) => {
            let end = parse_toks(toks, &chars, 0, &mut p).map_err(|i| parse_error(text, i))?;
            if end != chars.len() {
                return Err(exc(
                    "DateTimeParseException",
                    format!(
                        "Text '{text}' could not be parsed, unparsed text found at index {end}"
                    ),
                ));
            }
        }
        Spec::IsoInstant => {
            let mut toks = iso_local_date_time();
            toks.push(iso_offset());
            let end = parse_toks(&toks, &chars, 0, &mut p).map_err(|i| parse_error(text, i))?;
            if end != chars.len() {
                return Err(exc(
                    "DateTimeParseException",
                    format!(
                        "Text '{text}' could not be parsed, unparsed text found at index {end}"
                    ),
                ));
            }
            let (d, t) = resolve(&p, text)?;
            let ldt = Ldt {
                day: d.unwrap_or(0),
                nod: t.unwrap_or(0),
            };
            let off = p.offset.unwrap_or(0);
            p = Parsed {
                instant: Some((ldt.epoch_second(off), (ldt.nod % NANOS_PER_SECOND) as i32)),
                ..Parsed::default()
            };
        }
        Spec::Rfc1123 => {
            let toks = vec![
                Tok::Optional(vec![
                    Tok::Text {
                        field: Field::DayOfWeek,
                        style: TextStyle::Short,
                    },
                    lit(", "),
                ]),
                num(Field::Day, 1, 2),
                lit(" "),
                Tok::Text {
                    field: Field::Month,
                    style: TextStyle::Short,
                },
                lit(" "),
                num(Field::Year, 4, 4),
                lit(" "),
                num(Field::Hour, 2, 2),
                lit(":"),
                num(Field::Minute, 2, 2),
                Tok::Optional(vec![lit(":"), num(Field::Second, 2, 2)]),
                lit(" "),
                Tok::Offset {
                    pattern: "+HHMM",
                    zero: "GMT",
                },
            ];
            let end = parse_toks(&toks, &chars, 0, &mut p).map_err(|i| parse_error(text, i))?;
            if end != chars.len() {
                return Err(exc(
                    "DateTimeParseException",
                    format!(
                        "Text '{text}' could not be parsed, unparsed text found at index {end}"
                    ),
                ));
            }
        }
    }
    let parts = if let Some((sec, nano)) = p.instant {
        Parts {
            date: None,
            time: None,
            offset: None,
            zone: f.zone.clone(),
            instant: Some((sec, nano)),
        }
    } else {
        let (date, time) = resolve(&p, text)?;
        let zone = match (&p.zone, &f.zone) {
            (Some(id), _) => Some(zone_of(id)?),
            (None, Some(z)) => Some(z.clone()),
            (None, None) => None,
        };
        Parts {
            date,
            time,
            offset: p.offset,
            zone,
            instant: None,
        }
    };
    if target == Target::Parsed {
        return Ok(Temporal::value(Kind::Parsed(Rc::new(parts))));
    }
    convert_parts(&parts, target, &|what: &str| {
        exc(
            "DateTimeParseException",
            format!(
                "Text '{text}' could not be parsed: Unable to obtain {what} from TemporalAccessor"
            ),
        )
    })
}

/// What a parse resolved to (`java.time.format.Parsed`): the parts of a temporal.
pub struct Parts {
    date: Option<i64>,
    time: Option<i64>,
    offset: Option<i32>,
    zone: Option<Rc<JZone>>,
    instant: Option<(i64, i32)>,
}

/// `X.from(temporal)` (and the end of `X.parse`): the target built from the parts, or
/// `unable(target name)`.
fn convert_parts(
    p: &Parts,
    target: Target,
    unable: &dyn Fn(&str) -> Thrown,
) -> Result<Value, Thrown> {
    if let Some((s, n)) = p.instant {
        return match target {
            Target::Instant => Ok(Temporal::value(Kind::Instant { sec: s, nano: n })),
            Target::Zoned => match &p.zone {
                Some(z) => zoned_from_instant(s, n, z.clone()),
                None => Err(unable("ZonedDateTime")),
            },
            Target::Offset => match &p.zone {
                Some(z) => {
                    let off = z.offset_at(s)?;
                    Ok(Temporal::value(Kind::Offset {
                        ldt: Ldt::from_epoch(s, n, off),
                        offset: off,
                    }))
                }
                None => Err(unable("OffsetDateTime")),
            },
            other => Err(unable(simple_target(other))),
        };
    }
    let (date, time) = (p.date, p.time);
    match target {
        Target::Parsed => Err(unable("Parsed")),
        Target::Date => date
            .map(|d| Temporal::value(Kind::Date(d)))
            .ok_or_else(|| unable("LocalDate")),
        Target::Time => time
            .map(|t| Temporal::value(Kind::Time(t)))
            .ok_or_else(|| unable("LocalTime")),
        Target::DateTime => match (date, time) {
            (Some(d), Some(t)) => Ok(Temporal::value(Kind::DateTime(Ldt { day: d, nod: t }))),
            _ => Err(unable("LocalDateTime")),
        },
        Target::Offset => match (date, time, p.offset) {
            (Some(d), Some(t), Some(o)) => Ok(Temporal::value(Kind::Offset {
                ldt: Ldt { day: d, nod: t },
                offset: o,
            })),
            _ => Err(unable("OffsetDateTime")),
        },
        Target::Instant => match (date, time, p.offset) {
            (Some(d), Some(t), Some(o)) => {
                let ldt = Ldt { day: d, nod: t };
                Ok(Temporal::value(Kind::Instant {
                    sec: ldt.epoch_second(o),
                    nano: (t % NANOS_PER_SECOND) as i32,
                }))
            }
            _ => Err(unable("Instant")),
        },
        Target::Zoned => {
            let (Some(d), Some(t)) = (date, time) else {
                return Err(unable("ZonedDateTime"));
            };
            let ldt = Ldt { day: d, nod: t };
            match (&p.zone, p.offset) {
                // ZonedDateTime.from: the zone (region preferred), at the instant when an offset
                // is known.
                (Some(z), Some(o)) => zoned_from_instant(
                    ldt.epoch_second(o),
                    (t % NANOS_PER_SECOND) as i32,
                    z.clone(),
                ),
                (Some(z), None) => zoned(ldt, z.clone(), None),
                (None, Some(o)) => Ok(Temporal::value(Kind::Zoned {
                    ldt,
                    offset: o,
                    zone: JZone::offset(o),
                })),
                (None, None) => Err(unable("ZonedDateTime")),
            }
        }
    }
}

/// The parts of any temporal, for `X.from(temporal)`.
fn parts_of(t: &Temporal) -> Parts {
    match &t.kind {
        Kind::Parsed(p) => Parts {
            date: p.date,
            time: p.time,
            offset: p.offset,
            zone: p.zone.clone(),
            instant: p.instant,
        },
        Kind::Instant { sec, nano } => Parts {
            date: None,
            time: None,
            offset: None,
            zone: None,
            instant: Some((*sec, *nano)),
        },
        Kind::Zoned { ldt, offset, zone } => Parts {
            date: Some(ldt.day),
            time: Some(ldt.nod),
            offset: Some(*offset),
            zone: Some(zone.clone()),
            instant: None,
        },
        Kind::Offset { ldt, offset } => Parts {
            date: Some(ldt.day),
            time: Some(ldt.nod),
            offset: Some(*offset),
            zone: None,
            instant: None,
        },
        Kind::DateTime(ldt) => Parts {
            date: Some(ldt.day),
            time: Some(ldt.nod),
            offset: None,
            zone: None,
            instant: None,
        },
        Kind::Date(d) => Parts {
            date: Some(*d),
            time: None,
            offset: None,
            zone: None,
            instant: None,
        },
        Kind::Time(n) => Parts {
            date: None,
            time: Some(*n),
            offset: None,
            zone: None,
            instant: None,
        },
        Kind::Duration { .. } | Kind::Period { .. } => Parts {
            date: None,
            time: None,
            offset: None,
            zone: None,
            instant: None,
        },
    }
}

fn from_temporal(v: &Value, target: Target) -> Result<Value, Thrown> {
    let t = &*temporal(v)?;
    let described = format!("{} of type {}", t.java_to_string(), t.class_name());
    convert_parts(&parts_of(t), target, &|what: &str| {
        exc(
            "DateTimeException",
            format!("Unable to obtain {what} from TemporalAccessor: {described}"),
        )
    })
}

fn simple_target(t: Target) -> &'static str {
    match t {
        Target::Parsed => "Parsed",
        Target::Zoned => "ZonedDateTime",
        Target::Offset => "OffsetDateTime",
        Target::DateTime => "LocalDateTime",
        Target::Date => "LocalDate",
        Target::Time => "LocalTime",
        Target::Instant => "Instant",
    }
}

fn formatter_arg(a: &[Value], i: usize) -> Result<&Formatter, Thrown> {
    match arg(a, i) {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Formatter>()
            .ok_or_else(|| cce(arg(a, i), "java.time.format.DateTimeFormatter")),
        Value::Null => Err(exc("NullPointerException", "formatter")),
        other => Err(cce(other, "java.time.format.DateTimeFormatter")),
    }
}

fn default_parse(text: &str, target: Target) -> Result<Value, Thrown> {
    let name = match target {
        Target::Zoned => "ISO_ZONED_DATE_TIME",
        Target::Offset => "ISO_OFFSET_DATE_TIME",
        Target::DateTime => "ISO_LOCAL_DATE_TIME",
        Target::Date => "ISO_LOCAL_DATE",
        Target::Time => "ISO_LOCAL_TIME",
        Target::Instant => "ISO_INSTANT",
        Target::Parsed => "ISO_DATE_TIME",
    };
    parse(
        &iso_formatter(name).expect("known ISO formatter"),
        text,
        target,
    )
}

/// `Duration.parse`: `PnDTnHnMn.nS` (case-insensitive, signs on the whole and on each part).
fn parse_duration(text: &str) -> Result<Value, Thrown> {
    let fail = || {
        exc(
            "DateTimeParseException",
            "Text cannot be parsed to a Duration",
        )
    };
    let up = text.to_ascii_uppercase();
    let (neg, rest) = match up.as_bytes().first() {
        Some(b'-') => (true, &up[1..]),
        Some(b'+') => (false, &up[1..]),
        _ => (false, &up[..]),
    };
    let rest = rest.strip_prefix('P').ok_or_else(fail)?;
    let (days_part, time_part) = match rest.find('T') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mut total: i128 = 0;
    let mut any = false;
    let number = |s: &str| -> Result<(i128, i128), Thrown> {
        // (whole, nanos) of a decimal with an optional sign and fraction
        let (sign, body) = match s.as_bytes().first() {
            Some(b'-') => (-1, &s[1..]),
            Some(b'+') => (1, &s[1..]),
            _ => (1, s),
        };
        let (w, f) = match body.split_once(['.', ',']) {
            Some((w, f)) => (w, f),
            None => (body, ""),
        };
        if w.is_empty()
            || !w.bytes().all(|b| b.is_ascii_digit())
            || f.len() > 9
            || !f.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(fail());
        }
        let whole: i128 = w.parse().map_err(|_| fail())?;
        let mut frac = f.to_owned();
        while frac.len() < 9 {
            frac.push('0');
        }
        let nanos: i128 = frac.parse().unwrap_or(0);
        Ok((sign * whole, sign * nanos))
    };
    if !days_part.is_empty() {
        let d = days_part.strip_suffix('D').ok_or_else(fail)?;
        total += number(d)?.0 * i128::from(NANOS_PER_DAY);
        any = true;
    }
    if let Some(tp) = time_part {
        if tp.is_empty() {
            return Err(fail());
        }
        let mut rest = tp;
        for (unit, nanos) in [
            ('H', 3_600_000_000_000i128),
            ('M', 60_000_000_000),
            ('S', 1_000_000_000),
        ] {
            if let Some(i) = rest.find(unit) {
                let (w, n) = number(&rest[..i])?;
                if unit != 'S' && n != 0 {
                    return Err(fail());
                }
                total += w * nanos + if unit == 'S' { n } else { 0 };
                rest = &rest[i + 1..];
                any = true;
            }
        }
        if !rest.is_empty() {
            return Err(fail());
        }
    }
    if !any {
        return Err(fail());
    }
    if neg {
        total = -total;
    }
    Ok(Temporal::value(Kind::Duration {
        sec: total.div_euclid(1_000_000_000) as i64,
        nano: total.rem_euclid(1_000_000_000) as i32,
    }))
}

fn duration(sec: i128, nano: i128) -> Result<Value, Thrown> {
    let total = sec * 1_000_000_000 + nano;
    let s = total.div_euclid(1_000_000_000);
    if s > i128::from(i64::MAX) || s < i128::from(i64::MIN) {
        return Err(exc("ArithmeticException", "long overflow"));
    }
    Ok(Temporal::value(Kind::Duration {
        sec: s as i64,
        nano: total.rem_euclid(1_000_000_000) as i32,
    }))
}

fn duration_of(t: &Temporal) -> Result<(i64, i32), Thrown> {
    match t.kind {
        Kind::Duration { sec, nano } => Ok((sec, nano)),
        _ => Err(exc(
            "ClassCastException",
            format!("Cannot cast {} to java.time.Duration", t.class_name()),
        )),
    }
}

fn total_nanos(t: &Temporal) -> Result<i128, Thrown> {
    let (s, n) = duration_of(t)?;
    Ok(i128::from(s) * 1_000_000_000 + i128::from(n))
}

/// Java's `Math.toIntExact`-style narrowing for `long` getters that must fit.
fn exact(v: i128) -> Result<Value, Thrown> {
    i64::try_from(v)
        .map(Value::Long)
        .map_err(|_| exc("ArithmeticException", "long overflow"))
}

// ---------------------------------------------------------------------------------------------
// ChronoField and TemporalAdjusters

const CHRONO_FIELD: &str = "java.time.temporal.ChronoField";

/// `ChronoField` constants in declaration order, with their display names.
const CHRONO_FIELDS: [(&str, &str); 30] = [
    ("NANO_OF_SECOND", "NanoOfSecond"),
    ("NANO_OF_DAY", "NanoOfDay"),
    ("MICRO_OF_SECOND", "MicroOfSecond"),
    ("MICRO_OF_DAY", "MicroOfDay"),
    ("MILLI_OF_SECOND", "MilliOfSecond"),
    ("MILLI_OF_DAY", "MilliOfDay"),
    ("SECOND_OF_MINUTE", "SecondOfMinute"),
    ("SECOND_OF_DAY", "SecondOfDay"),
    ("MINUTE_OF_HOUR", "MinuteOfHour"),
    ("MINUTE_OF_DAY", "MinuteOfDay"),
    ("HOUR_OF_AMPM", "HourOfAmPm"),
    ("CLOCK_HOUR_OF_AMPM", "ClockHourOfAmPm"),
    ("HOUR_OF_DAY", "HourOfDay"),
    ("CLOCK_HOUR_OF_DAY", "ClockHourOfDay"),
    ("AMPM_OF_DAY", "AmPmOfDay"),
    ("DAY_OF_WEEK", "DayOfWeek"),
    ("ALIGNED_DAY_OF_WEEK_IN_MONTH", "AlignedDayOfWeekInMonth"),
    ("ALIGNED_DAY_OF_WEEK_IN_YEAR", "AlignedDayOfWeekInYear"),
    ("DAY_OF_MONTH", "DayOfMonth"),
    ("DAY_OF_YEAR", "DayOfYear"),
    ("EPOCH_DAY", "EpochDay"),
    ("ALIGNED_WEEK_OF_MONTH", "AlignedWeekOfMonth"),
    ("ALIGNED_WEEK_OF_YEAR", "AlignedWeekOfYear"),
    ("MONTH_OF_YEAR", "MonthOfYear"),
    ("PROLEPTIC_MONTH", "ProlepticMonth"),
    ("YEAR_OF_ERA", "YearOfEra"),
    ("YEAR", "Year"),
    ("ERA", "Era"),
    ("INSTANT_SECONDS", "InstantSeconds"),
    ("OFFSET_SECONDS", "OffsetSeconds"),
];

fn chrono_field_display(name: &str) -> &'static str {
    CHRONO_FIELDS
        .iter()
        .find(|f| f.0 == name)
        .map_or("", |f| f.1)
}

/// The value of a `ChronoField` of a temporal, `None` when the temporal does not support it.
fn chrono_field_value(t: &Temporal, name: &str) -> Option<i64> {
    let date = match &t.kind {
        Kind::Zoned { ldt, .. } | Kind::Offset { ldt, .. } | Kind::DateTime(ldt) => Some(ldt.day),
        Kind::Date(d) => Some(*d),
        _ => None,
    };
    let time = match &t.kind {
        Kind::Zoned { ldt, .. } | Kind::Offset { ldt, .. } | Kind::DateTime(ldt) => Some(ldt.nod),
        Kind::Time(n) => Some(*n),
        _ => None,
    };
    let fl = Fields {
        date,
        time,
        offset: None,
        zone: None,
        instant: None,
    };
    let f = |field: Field| field_value(&field, &fl);
    let ymd = date.map(civil_from_days);
    match (&t.kind, name) {
        (Kind::Instant { nano, .. }, "NANO_OF_SECOND") => Some(i64::from(*nano)),
        (Kind::Instant { nano, .. }, "MICRO_OF_SECOND") => Some(i64::from(*nano / 1000)),
        (Kind::Instant { nano, .. }, "MILLI_OF_SECOND") => Some(i64::from(*nano / 1_000_000)),
        (Kind::Instant { sec, .. }, "INSTANT_SECONDS") => Some(*sec),
        (Kind::Instant { .. }, _) => None,
        (Kind::Duration { .. }, _) => None,
        (_, "INSTANT_SECONDS") => t.instant().map(|i| i.0),
        (Kind::Zoned { offset, .. } | Kind::Offset { offset, .. }, "OFFSET_SECONDS") => {
            Some(i64::from(*offset))
        }
        (_, "OFFSET_SECONDS") => None,
        (_, "NANO_OF_SECOND") => f(Field::Nano),
        (_, "NANO_OF_DAY") => time,
        (_, "MICRO_OF_SECOND") => f(Field::Nano).map(|n| n / 1000),
        (_, "MICRO_OF_DAY") => time.map(|n| n / 1000),
        (_, "MILLI_OF_SECOND") => f(Field::Nano).map(|n| n / 1_000_000),
        (_, "MILLI_OF_DAY") => time.map(|n| n / 1_000_000),
        (_, "SECOND_OF_MINUTE") => f(Field::Second),
        (_, "SECOND_OF_DAY") => time.map(|n| n / NANOS_PER_SECOND),
        (_, "MINUTE_OF_HOUR") => f(Field::Minute),
        (_, "MINUTE_OF_DAY") => time.map(|n| n / NANOS_PER_SECOND / 60),
        (_, "HOUR_OF_AMPM") => f(Field::HourOfAmPm),
        (_, "CLOCK_HOUR_OF_AMPM") => f(Field::ClockHourOfAmPm),
        (_, "HOUR_OF_DAY") => f(Field::Hour),
        (_, "CLOCK_HOUR_OF_DAY") => f(Field::ClockHourOfDay),
        (_, "AMPM_OF_DAY") => f(Field::AmPm),
        (_, "DAY_OF_WEEK") => f(Field::DayOfWeek),
        (_, "ALIGNED_DAY_OF_WEEK_IN_MONTH") => ymd.map(|d| (d.2 - 1) % 7 + 1),
        (_, "ALIGNED_DAY_OF_WEEK_IN_YEAR") => f(Field::DayOfYear).map(|d| (d - 1) % 7 + 1),
        (_, "DAY_OF_MONTH") => f(Field::Day),
        (_, "DAY_OF_YEAR") => f(Field::DayOfYear),
        (_, "EPOCH_DAY") => date,
        (_, "ALIGNED_WEEK_OF_MONTH") => ymd.map(|d| (d.2 - 1) / 7 + 1),
        (_, "ALIGNED_WEEK_OF_YEAR") => f(Field::DayOfYear).map(|d| (d - 1) / 7 + 1),
        (_, "MONTH_OF_YEAR") => f(Field::Month),
        (_, "PROLEPTIC_MONTH") => ymd.map(|d| d.0 * 12 + d.1 - 1),
        (_, "YEAR_OF_ERA") => f(Field::YearOfEra),
        (_, "YEAR") => f(Field::Year),
        (_, "ERA") => f(Field::Era),
        _ => None,
    }
}

fn chrono_field_arg(a: &[Value], i: usize) -> Result<&'static str, Thrown> {
    let e = enum_arg(arg(a, i), CHRONO_FIELD)?;
    Ok(e.name)
}

fn temporal_get(t: &Temporal, name: &str, as_int: bool) -> Result<Value, Thrown> {
    let v = chrono_field_value(t, name).ok_or_else(|| {
        exc(
            "UnsupportedTemporalTypeException",
            format!("Unsupported field: {}", chrono_field_display(name)),
        )
    })?;
    if !as_int {
        return Ok(Value::Long(v));
    }
    if matches!(
        name,
        "NANO_OF_DAY" | "MICRO_OF_DAY" | "EPOCH_DAY" | "PROLEPTIC_MONTH" | "INSTANT_SECONDS"
    ) {
        return Err(exc(
            "UnsupportedTemporalTypeException",
            format!(
                "Invalid field '{}' for get() method, use getLong() instead",
                chrono_field_display(name)
            ),
        ));
    }
    Ok(Value::Int(v as i32))
}

/// `with(ChronoField, value)` for the fields that set a date or time part.
fn temporal_with_field(t: &Temporal, name: &str, v: i64) -> Result<Value, Thrown> {
    let int = |v: i64| Value::Int(v as i32);
    let field = match name {
        "YEAR" => Field::Year,
        "MONTH_OF_YEAR" => Field::Month,
        "DAY_OF_MONTH" => Field::Day,
        "DAY_OF_YEAR" => Field::DayOfYear,
        "HOUR_OF_DAY" => Field::Hour,
        "MINUTE_OF_HOUR" => Field::Minute,
        "SECOND_OF_MINUTE" => Field::Second,
        "NANO_OF_SECOND" => Field::Nano,
        "MILLI_OF_SECOND" => {
            check("MilliOfSecond", v, 0, 999)?;
            return temporal_with_field(t, "NANO_OF_SECOND", v * 1_000_000);
        }
        "EPOCH_DAY" => {
            let ldt = local_of(t)?;
            return with_local(
                t,
                Ldt {
                    day: v,
                    nod: ldt.nod,
                },
            );
        }
        "DAY_OF_WEEK" => {
            check("DayOfWeek", v, 1, 7)?;
            let ldt = local_of(t)?;
            let cur = (ldt.day + 3).rem_euclid(7) + 1;
            return with_local(
                t,
                Ldt {
                    day: ldt.day + (v - cur),
                    nod: ldt.nod,
                },
            );
        }
        other => {
            return Err(unsupported(format!("with(ChronoField.{other}, value)")));
        }
    };
    let me = Value::Object(Rc::new(t.clone()));
    with_field(Some(&me), &[int(v)], field)
}

/// A `TemporalAdjuster` from `TemporalAdjusters`.
pub struct Adjuster {
    kind: &'static str,
    dow: i64,
    n: i64,
}

impl JavaObject for Adjuster {
    fn class_name(&self) -> &str {
        "java.time.temporal.TemporalAdjusters$Adjuster"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        format!(
            "java.time.temporal.TemporalAdjusters$$Lambda@{:x}",
            self as *const Self as usize & 0xffff_ffff
        )
    }
}

fn adjuster(kind: &'static str, dow: i64, n: i64) -> Value {
    Value::Object(Rc::new(Adjuster { kind, dow, n }))
}

fn adjust_day(day: i64, a: &Adjuster) -> i64 {
    let (y, m, _) = civil_from_days(day);
    let dow = (day + 3).rem_euclid(7) + 1;
    match a.kind {
        "firstDayOfMonth" => days_from_civil(y, m, 1),
        "lastDayOfMonth" => days_from_civil(y, m, month_length(y, m)),
        "firstDayOfNextMonth" => days_from_civil(y, m, month_length(y, m)) + 1,
        "firstDayOfYear" => days_from_civil(y, 1, 1),
        "lastDayOfYear" => days_from_civil(y, 12, 31),
        "firstDayOfNextYear" => days_from_civil(y + 1, 1, 1),
        "next" => day + (a.dow - dow - 1).rem_euclid(7) + 1,
        "nextOrSame" => day + (a.dow - dow).rem_euclid(7),
        "previous" => day - (dow - a.dow - 1).rem_euclid(7) - 1,
        "previousOrSame" => day - (dow - a.dow).rem_euclid(7),
        "firstInMonth" | "lastInMonth" | "dayOfWeekInMonth" => {
            let ordinal = match a.kind {
                "firstInMonth" => 1,
                "lastInMonth" => -1,
                _ => a.n,
            };
            if ordinal >= 0 {
                let first = days_from_civil(y, m, 1);
                let fdow = (first + 3).rem_euclid(7) + 1;
                let to = (a.dow - fdow).rem_euclid(7);
                first + to + (ordinal - 1).max(0) * 7 - if ordinal == 0 { 7 } else { 0 }
            } else {
                let last = days_from_civil(y, m, month_length(y, m));
                let ldow = (last + 3).rem_euclid(7) + 1;
                let back = (ldow - a.dow).rem_euclid(7);
                last - back - (-ordinal - 1) * 7
            }
        }
        _ => day,
    }
}

fn temporal_with_adjuster(t: &Temporal, adj: &Value) -> Result<Value, Thrown> {
    match adj {
        Value::Object(o) => {
            if let Some(a) = o.as_any().downcast_ref::<Adjuster>() {
                let ldt = local_of(t)?;
                return with_local(
                    t,
                    Ldt {
                        day: adjust_day(ldt.day, a),
                        nod: ldt.nod,
                    },
                );
            }
            if let Some(x) = o.as_any().downcast_ref::<Temporal>() {
                let ldt = local_of(t)?;
                return match &x.kind {
                    Kind::Date(d) => with_local(
                        t,
                        Ldt {
                            day: *d,
                            nod: ldt.nod,
                        },
                    ),
                    Kind::Time(n) => with_local(
                        t,
                        Ldt {
                            day: ldt.day,
                            nod: *n,
                        },
                    ),
                    Kind::DateTime(l) => with_local(t, *l),
                    _ => Err(unsupported(format!("with({})", x.class_name()))),
                };
            }
            if let Some(e) = o.as_any().downcast_ref::<JEnum>() {
                if e.class == MONTH {
                    return temporal_with_field(t, "MONTH_OF_YEAR", i64::from(e.ordinal) + 1);
                }
                if e.class == DAY_OF_WEEK {
                    return temporal_with_field(t, "DAY_OF_WEEK", i64::from(e.ordinal) + 1);
                }
            }
            Err(unsupported(format!("with({})", o.class_name())))
        }
        Value::Null => Err(exc("NullPointerException", "adjuster")),
        other => Err(cce(other, "java.time.temporal.TemporalAdjuster")),
    }
}

// ---------------------------------------------------------------------------------------------
// Public constructors (for the ingest engine: `_ingest.timestamp` is a `ZonedDateTime`)

/// A `java.time.ZonedDateTime` at an instant in a zone (`ZoneId.of(zone_id)` rules).
pub fn zoned_date_time(
    epoch_second: i64,
    nano: i32,
    zone_id: &str,
) -> Result<Value, crate::value::Exception> {
    let zone = zone_of(zone_id).map_err(into_exception)?;
    zoned_from_instant(epoch_second, nano, zone).map_err(into_exception)
}

/// A `java.time.Instant`.
pub fn instant(epoch_second: i64, nano: i32) -> Value {
    Temporal::value(Kind::Instant {
        sec: epoch_second,
        nano,
    })
}

/// The epoch second and nano of a `ZonedDateTime`, `OffsetDateTime` or `Instant` value.
pub fn epoch_of(v: &Value) -> Option<(i64, i32)> {
    match v {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Temporal>()
            .and_then(Temporal::instant),
        _ => None,
    }
}

fn into_exception(t: Thrown) -> crate::value::Exception {
    match t {
        Thrown::Exception(e) => e,
        Thrown::Unsupported(m) => crate::value::Exception::unsupported_operation(format!(
            "not supported by siemctl's offline Painless: {m}"
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Registration

const ZDT: &str = "java.time.ZonedDateTime";
const ODT: &str = "java.time.OffsetDateTime";
const LDT: &str = "java.time.LocalDateTime";
const LD: &str = "java.time.LocalDate";
const LT: &str = "java.time.LocalTime";
const INSTANT: &str = "java.time.Instant";
const DURATION: &str = "java.time.Duration";
const ZONE_ID: &str = "java.time.ZoneId";
const ZONE_OFFSET: &str = "java.time.ZoneOffset";
const FORMATTER: &str = "java.time.format.DateTimeFormatter";
const CZDT: &str = "java.time.chrono.ChronoZonedDateTime";
const CLDT: &str = "java.time.chrono.ChronoLocalDateTime";
const CLD: &str = "java.time.chrono.ChronoLocalDate";
const TEMPORAL: &str = "java.time.temporal.Temporal";
const ACCESSOR: &str = "java.time.temporal.TemporalAccessor";

/// Every class a method of the given name may be declared on in the allowlist.
const ALL: [&str; 13] = [
    ZDT,
    ODT,
    LDT,
    LD,
    LT,
    INSTANT,
    DURATION,
    CZDT,
    CLDT,
    CLD,
    TEMPORAL,
    ACCESSOR,
    "org.opensearch.script.JodaCompatibleZonedDateTime",
];

fn add_all(r: &mut Registry, name: &'static str, arity: usize, f: super::NativeFn) {
    for c in ALL {
        r.add(c, name, arity, f);
    }
}

fn getter(t: Option<&Value>, field: Field) -> Result<Value, Thrown> {
    let tv = &*this(t)?;
    let fl = fields_of(tv, None)?;
    field_value(&field, &fl)
        .map(|v| Value::Int(v as i32))
        .ok_or_else(|| {
            exc(
                "UnsupportedTemporalTypeException",
                format!("Unsupported field: {}", field_name(&field)),
            )
        })
}

fn with_field(t: Option<&Value>, a: &[Value], field: Field) -> Result<Value, Thrown> {
    let tv = &*this(t)?;
    let v = i64::from(int_arg(a, 0)?);
    let ldt = local_of(tv)?;
    let (y, m, d) = ldt.ymd();
    let (h, mi, s, n) = ldt.hms();
    let new = match field {
        Field::Year => {
            check("Year", v, -MAX_YEAR, MAX_YEAR)?;
            Ldt {
                day: days_from_civil(v, m, d.min(month_length(v, m))),
                nod: ldt.nod,
            }
        }
        Field::Month => {
            check("MonthOfYear", v, 1, 12)?;
            Ldt {
                day: days_from_civil(y, v, d.min(month_length(y, v))),
                nod: ldt.nod,
            }
        }
        Field::Day => Ldt {
            day: date_of(y, m, v)?,
            nod: ldt.nod,
        },
        Field::DayOfYear => {
            check("DayOfYear", v, 1, if is_leap(y) { 366 } else { 365 })?;
            Ldt {
                day: days_from_civil(y, 1, 1) + v - 1,
                nod: ldt.nod,
            }
        }
        Field::Hour => Ldt {
            day: ldt.day,
            nod: time_of(v, mi, s, n)?,
        },
        Field::Minute => Ldt {
            day: ldt.day,
            nod: time_of(h, v, s, n)?,
        },
        Field::Second => Ldt {
            day: ldt.day,
            nod: time_of(h, mi, v, n)?,
        },
        Field::Nano => Ldt {
            day: ldt.day,
            nod: time_of(h, mi, s, v)?,
        },
        _ => return Err(unsupported("with on this field")),
    };
    with_local(tv, new)
}

pub(crate) fn register(r: &mut Registry) {
    // X.from(TemporalAccessor), DateTimeFormatter.parse
    r.add_on(&[ZDT, CZDT], "from", 1, |_, a, _| {
        from_temporal(arg(a, 0), Target::Zoned)
    });
    r.add(ODT, "from", 1, |_, a, _| {
        from_temporal(arg(a, 0), Target::Offset)
    });
    r.add_on(&[LDT, CLDT], "from", 1, |_, a, _| {
        from_temporal(arg(a, 0), Target::DateTime)
    });
    r.add_on(&[LD, CLD], "from", 1, |_, a, _| {
        from_temporal(arg(a, 0), Target::Date)
    });
    r.add(LT, "from", 1, |_, a, _| {
        from_temporal(arg(a, 0), Target::Time)
    });
    r.add(INSTANT, "from", 1, |_, a, _| {
        from_temporal(arg(a, 0), Target::Instant)
    });
    r.add(ZONE_ID, "from", 1, |_, a, _| {
        match &temporal(arg(a, 0))?.kind {
            Kind::Zoned { zone, .. } => Ok(Value::Object(zone.clone() as Rc<dyn JavaObject>)),
            Kind::Offset { offset, .. } => Ok(zone_value(JZone::offset(*offset))),
            Kind::Parsed(p) => match (&p.zone, p.offset) {
                (Some(z), _) => Ok(Value::Object(z.clone() as Rc<dyn JavaObject>)),
                (None, Some(o)) => Ok(zone_value(JZone::offset(o))),
                _ => Err(exc(
                    "DateTimeException",
                    "Unable to obtain ZoneId from TemporalAccessor",
                )),
            },
            _ => Err(exc(
                "DateTimeException",
                format!(
                    "Unable to obtain ZoneId from TemporalAccessor: {}",
                    arg(a, 0).java_to_string()
                ),
            )),
        }
    });
    r.add(FORMATTER, "parse", 1, |t, a, _| {
        let f = match recv(t)? {
            Value::Object(o) => o
                .as_any()
                .downcast_ref::<Formatter>()
                .ok_or_else(|| cce(recv(t).expect("checked"), FORMATTER))?,
            other => return Err(cce(other, FORMATTER)),
        };
        parse(f, &chars_arg(a, 0)?, Target::Parsed)
    });
    r.add(FORMATTER, "parse", 2, |t, a, h| {
        let f = match recv(t)? {
            Value::Object(o) => o
                .as_any()
                .downcast_ref::<Formatter>()
                .ok_or_else(|| cce(recv(t).expect("checked"), FORMATTER))?,
            other => return Err(cce(other, FORMATTER)),
        };
        let text = chars_arg(a, 0)?;
        let parsed = parse(f, &text, Target::Parsed)?;
        // DateTimeFormatter.parse(text, query): a failing query is a DateTimeParseException.
        match super::functional::invoke(arg(a, 1), &[parsed], h) {
            Err(Thrown::Exception(e)) if e.class.as_ref() == "DateTimeException" => Err(exc(
                "DateTimeParseException",
                format!(
                    "Text '{text}' could not be parsed: {}",
                    e.message.unwrap_or_default()
                ),
            )),
            other => other,
        }
    });

    register_locale(r);
    register_year_month(r);

    // Smaller construction and conversion methods
    r.add(LT, "atDate", 1, |t, a, _| {
        Ok(Temporal::value(Kind::DateTime(Ldt {
            day: local_of(&*temporal(arg(a, 0))?)?.day,
            nod: local_of(&*this(t)?)?.nod,
        })))
    });
    r.add(ZDT, "ofInstant", 3, |_, a, _| {
        let ldt = local_of(&*temporal(arg(a, 0))?)?;
        let off = zone_arg(a, 1)?.fixed.unwrap_or(0);
        zoned_from_instant(
            ldt.epoch_second(off),
            (ldt.nod % NANOS_PER_SECOND) as i32,
            zone_arg(a, 2)?,
        )
    });
    r.add(ZDT, "ofStrict", 3, |_, a, _| {
        let ldt = local_of(&*temporal(arg(a, 0))?)?;
        let off = zone_arg(a, 1)?.fixed.unwrap_or(0);
        let zone = zone_arg(a, 2)?;
        let (l, valid) = zone.resolve_local(ldt, Some(off))?;
        if l != ldt || valid != off {
            return Err(exc(
                "DateTimeException",
                format!(
                    "ZoneOffset '{}' is not valid for LocalDateTime '{}' in zone '{}'",
                    offset_id(off),
                    ldt_string(ldt),
                    zone.id
                ),
            ));
        }
        Ok(Temporal::value(Kind::Zoned {
            ldt,
            offset: off,
            zone,
        }))
    });
    add_all(r, "withEarlierOffsetAtOverlap", 0, |t, _, _| {
        overlap(&*this(t)?, true)
    });
    add_all(r, "withLaterOffsetAtOverlap", 0, |t, _, _| {
        overlap(&*this(t)?, false)
    });
    r.add(ODT, "atZoneSameInstant", 1, |t, a, _| {
        let (s, n) = this(t)?
            .instant()
            .ok_or_else(|| unsupported_field_error(&this(t).expect("checked")))?;
        zoned_from_instant(s, n, zone_arg(a, 0)?)
    });
    r.add(ODT, "atZoneSimilarLocal", 1, |t, a, _| {
        match &this(t)?.kind {
            Kind::Offset { ldt, offset } => zoned(*ldt, zone_arg(a, 0)?, Some(*offset)),
            _ => Err(unsupported_field_error(&*this(t)?)),
        }
    });
    r.add(ODT, "withOffsetSameInstant", 1, |t, a, _| {
        let (s, n) = this(t)?
            .instant()
            .ok_or_else(|| unsupported_field_error(&this(t).expect("checked")))?;
        let off = zone_arg(a, 0)?.fixed.unwrap_or(0);
        Ok(Temporal::value(Kind::Offset {
            ldt: Ldt::from_epoch(s, n, off),
            offset: off,
        }))
    });
    r.add(ODT, "withOffsetSameLocal", 1, |t, a, _| {
        Ok(Temporal::value(Kind::Offset {
            ldt: local_of(&*this(t)?)?,
            offset: zone_arg(a, 0)?.fixed.unwrap_or(0),
        }))
    });
    r.add(ODT, "of", 3, |_, a, _| {
        let d = local_of(&*temporal(arg(a, 0))?)?.day;
        let nod = local_of(&*temporal(arg(a, 1))?)?.nod;
        Ok(Temporal::value(Kind::Offset {
            ldt: Ldt { day: d, nod },
            offset: zone_arg(a, 2)?.fixed.unwrap_or(0),
        }))
    });
    r.add(ODT, "of", 8, |_, a, _| {
        let day = date_of(
            int_arg(a, 0)?.into(),
            int_arg(a, 1)?.into(),
            int_arg(a, 2)?.into(),
        )?;
        let nod = time_of(
            int_arg(a, 3)?.into(),
            int_arg(a, 4)?.into(),
            int_arg(a, 5)?.into(),
            int_arg(a, 6)?.into(),
        )?;
        Ok(Temporal::value(Kind::Offset {
            ldt: Ldt { day, nod },
            offset: zone_arg(a, 7)?.fixed.unwrap_or(0),
        }))
    });
    r.add(ZONE_ID, "ofOffset", 2, |_, a, _| {
        let prefix = str_arg(a, 0)?;
        let off = zone_arg(a, 1)?.fixed.unwrap_or(0);
        if prefix.is_empty() {
            return Ok(zone_value(JZone::offset(off)));
        }
        if !matches!(prefix, "GMT" | "UTC" | "UT") {
            return Err(exc(
                "IllegalArgumentException",
                format!("prefix should be GMT, UTC or UT, is: {prefix}"),
            ));
        }
        Ok(zone_value(Rc::new(JZone {
            id: if off == 0 {
                prefix.to_owned()
            } else {
                format!("{prefix}{}", offset_id(off))
            },
            fixed: Some(off),
            tz: None,
        })))
    });
    r.add(ZONE_OFFSET, "ofHoursMinutesSeconds", 3, |_, a, _| {
        let total = int_arg(a, 0)? * 3600 + int_arg(a, 1)? * 60 + int_arg(a, 2)?;
        if total.abs() > 18 * 3600 {
            return Err(exc(
                "DateTimeException",
                "Zone offset not in valid range: -18:00 to +18:00",
            ));
        }
        Ok(zone_value(JZone::offset(total)))
    });
    r.add(ZONE_OFFSET, "from", 1, |_, a, _| {
        match &temporal(arg(a, 0))?.kind {
            Kind::Zoned { offset, .. } | Kind::Offset { offset, .. } => {
                Ok(zone_value(JZone::offset(*offset)))
            }
            Kind::Parsed(p) if p.offset.is_some() => {
                Ok(zone_value(JZone::offset(p.offset.unwrap_or(0))))
            }
            _ => Err(exc(
                "DateTimeException",
                format!(
                    "Unable to obtain ZoneOffset from TemporalAccessor: {}",
                    arg(a, 0).java_to_string()
                ),
            )),
        }
    });
    r.add(DAY_OF_WEEK, "from", 1, |_, a, _| match arg(a, 0) {
        Value::Object(o) if o.as_any().is::<JEnum>() => Ok(arg(a, 0).clone()),
        _ => {
            let t = &*temporal(arg(a, 0))?;
            Ok(day_of_week_value(
                (local_of(t)?.day + 3).rem_euclid(7) as i32 + 1,
            ))
        }
    });
    r.add(MONTH, "from", 1, |_, a, _| match arg(a, 0) {
        Value::Object(o) if o.as_any().is::<JEnum>() => Ok(arg(a, 0).clone()),
        _ => {
            let t = &*temporal(arg(a, 0))?;
            Ok(month_value(civil_from_days(local_of(t)?.day).1 as i32))
        }
    });
    r.add(DAY_OF_WEEK, "values", 0, |_, _, _| {
        Ok(enum_array(
            "DayOfWeek",
            (1..=7).map(day_of_week_value).collect(),
        ))
    });
    r.add(MONTH, "values", 0, |_, _, _| {
        Ok(enum_array("Month", (1..=12).map(month_value).collect()))
    });
    r.add(CHRONO_UNIT, "values", 0, |_, _, _| {
        Ok(enum_array(
            "ChronoUnit",
            UNITS
                .iter()
                .enumerate()
                .map(|(i, u)| enum_value(CHRONO_UNIT, u.0, i as i32))
                .collect(),
        ))
    });
    r.add(CHRONO_FIELD, "values", 0, |_, _, _| {
        Ok(enum_array(
            "ChronoField",
            CHRONO_FIELDS
                .iter()
                .enumerate()
                .map(|(i, f)| enum_value(CHRONO_FIELD, f.0, i as i32))
                .collect(),
        ))
    });
    r.add(MONTH, "maxLength", 0, |t, _, _| {
        Ok(Value::Int(
            month_length(2000, i64::from(enum_arg(recv(t)?, MONTH)?.ordinal + 1)) as i32,
        ))
    });
    r.add(MONTH, "minLength", 0, |t, _, _| {
        Ok(Value::Int(
            month_length(2001, i64::from(enum_arg(recv(t)?, MONTH)?.ordinal + 1)) as i32,
        ))
    });
    r.add(MONTH, "firstMonthOfQuarter", 0, |t, _, _| {
        Ok(month_value(enum_arg(recv(t)?, MONTH)?.ordinal / 3 * 3 + 1))
    });
    r.add(MONTH, "firstDayOfYear", 1, |t, a, _| {
        let m = i64::from(enum_arg(recv(t)?, MONTH)?.ordinal + 1);
        let y = if bool_arg(a, 0)? { 2000 } else { 2001 };
        Ok(Value::Int(
            (days_from_civil(y, m, 1) - days_from_civil(y, 1, 1) + 1) as i32,
        ))
    });

    // Period
    const PERIOD: &str = "java.time.Period";
    r.field(PERIOD, "ZERO", || {
        Temporal::value(Kind::Period { y: 0, m: 0, d: 0 })
    });
    r.add(PERIOD, "of", 3, |_, a, _| {
        period(
            int_arg(a, 0)?.into(),
            int_arg(a, 1)?.into(),
            int_arg(a, 2)?.into(),
        )
    });
    r.add(PERIOD, "ofYears", 1, |_, a, _| {
        period(int_arg(a, 0)?.into(), 0, 0)
    });
    r.add(PERIOD, "ofMonths", 1, |_, a, _| {
        period(0, int_arg(a, 0)?.into(), 0)
    });
    r.add(PERIOD, "ofWeeks", 1, |_, a, _| {
        period(0, 0, i64::from(int_arg(a, 0)?) * 7)
    });
    r.add(PERIOD, "ofDays", 1, |_, a, _| {
        period(0, 0, int_arg(a, 0)?.into())
    });
    r.add(PERIOD, "parse", 1, |_, a, _| {
        parse_period(&chars_arg(a, 0)?)
    });
    r.add(PERIOD, "between", 2, |_, a, _| {
        period_between(
            local_of(&*temporal(arg(a, 0))?)?.day,
            local_of(&*temporal(arg(a, 1))?)?.day,
        )
    });
    r.add_on(&[LD, CLD], "until", 1, |t, a, _| {
        period_between(
            local_of(&*this(t)?)?.day,
            local_of(&*temporal(arg(a, 0))?)?.day,
        )
    });
    r.add(PERIOD, "getYears", 0, |t, _, _| {
        Ok(Value::Int(period_of(&*this(t)?)?.0 as i32))
    });
    r.add(PERIOD, "getMonths", 0, |t, _, _| {
        Ok(Value::Int(period_of(&*this(t)?)?.1 as i32))
    });
    r.add(PERIOD, "getDays", 0, |t, _, _| {
        Ok(Value::Int(period_of(&*this(t)?)?.2 as i32))
    });
    r.add(PERIOD, "toTotalMonths", 0, |t, _, _| {
        let (y, m, _) = period_of(&*this(t)?)?;
        Ok(Value::Long(y * 12 + m))
    });
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "isZero",
        0,
        |t, _, _| Ok(Value::Boolean(period_of(&*this(t)?)? == (0, 0, 0))),
    );
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "isNegative",
        0,
        |t, _, _| {
            let (y, m, d) = period_of(&*this(t)?)?;
            Ok(Value::Boolean(y < 0 || m < 0 || d < 0))
        },
    );
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "negated",
        0,
        |t, _, _| {
            let (y, m, d) = period_of(&*this(t)?)?;
            period(-y, -m, -d)
        },
    );
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "normalized",
        0,
        |t, _, _| {
            let (y, m, d) = period_of(&*this(t)?)?;
            let total = y * 12 + m;
            period(total / 12, total % 12, d)
        },
    );
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "multipliedBy",
        1,
        |t, a, _| {
            let (y, m, d) = period_of(&*this(t)?)?;
            let k = i64::from(int_arg(a, 0)?);
            period(y * k, m * k, d * k)
        },
    );
    r.add(PERIOD, "plusYears", 1, |t, a, _| {
        let (y, m, d) = period_of(&*this(t)?)?;
        period(y + long_arg(a, 0)?, m, d)
    });
    r.add(PERIOD, "plusMonths", 1, |t, a, _| {
        let (y, m, d) = period_of(&*this(t)?)?;
        period(y, m + long_arg(a, 0)?, d)
    });
    r.add(PERIOD, "plusDays", 1, |t, a, _| {
        let (y, m, d) = period_of(&*this(t)?)?;
        period(y, m, d + long_arg(a, 0)?)
    });
    r.add(PERIOD, "minusYears", 1, |t, a, _| {
        let (y, m, d) = period_of(&*this(t)?)?;
        period(y - long_arg(a, 0)?, m, d)
    });
    r.add(PERIOD, "minusMonths", 1, |t, a, _| {
        let (y, m, d) = period_of(&*this(t)?)?;
        period(y, m - long_arg(a, 0)?, d)
    });
    r.add(PERIOD, "minusDays", 1, |t, a, _| {
        let (y, m, d) = period_of(&*this(t)?)?;
        period(y, m, d - long_arg(a, 0)?)
    });
    r.add(PERIOD, "withYears", 1, |t, a, _| {
        let (_, m, d) = period_of(&*this(t)?)?;
        period(int_arg(a, 0)?.into(), m, d)
    });
    r.add(PERIOD, "withMonths", 1, |t, a, _| {
        let (y, _, d) = period_of(&*this(t)?)?;
        period(y, int_arg(a, 0)?.into(), d)
    });
    r.add(PERIOD, "withDays", 1, |t, a, _| {
        let (y, m, _) = period_of(&*this(t)?)?;
        period(y, m, int_arg(a, 0)?.into())
    });
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "plus",
        1,
        |t, a, _| plus_amount(&*this(t)?, &*temporal(arg(a, 0))?, false),
    );
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "minus",
        1,
        |t, a, _| plus_amount(&*this(t)?, &*temporal(arg(a, 0))?, true),
    );
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "toString",
        0,
        |t, _, _| Ok(Value::from(recv(t)?.java_to_string())),
    );
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "equals",
        1,
        |t, a, _| Ok(Value::Boolean(recv(t)?.java_equals(arg(a, 0)))),
    );
    r.add_on(
        &[PERIOD, "java.time.chrono.ChronoPeriod"],
        "hashCode",
        0,
        |t, _, _| {
            let (y, m, d) = period_of(&*this(t)?)?;
            Ok(Value::Int(
                (y as i32)
                    .wrapping_add((m as i32).rotate_left(8))
                    .wrapping_add((d as i32).rotate_left(16)),
            ))
        },
    );

    // ChronoField, TemporalAccessor.get, with(field|adjuster), TemporalAdjusters
    for (i, (name, _)) in CHRONO_FIELDS.iter().enumerate() {
        let _ = i;
        r.field(CHRONO_FIELD, name, chrono_field_const(name));
    }
    add_all(r, "get", 1, |t, a, _| {
        temporal_get(&*this(t)?, chrono_field_arg(a, 0)?, true)
    });
    add_all(r, "getLong", 1, |t, a, _| {
        temporal_get(&*this(t)?, chrono_field_arg(a, 0)?, false)
    });
    add_all(r, "isSupported", 1, |t, a, _| match arg(a, 0) {
        Value::Object(o)
            if o.as_any()
                .downcast_ref::<JEnum>()
                .is_some_and(|e| e.class == CHRONO_UNIT) =>
        {
            let unit = unit_arg(a, 0)?;
            let tv = &*this(t)?;
            Ok(Value::Boolean(match &tv.kind {
                Kind::Date(_) => unit_nanos(unit).is_none() && unit != "FOREVER",
                Kind::Time(_) => unit_nanos(unit).is_some(),
                Kind::Instant { .. } => unit_nanos(unit).is_some() || unit == "DAYS",
                _ => unit != "FOREVER",
            }))
        }
        _ => Ok(Value::Boolean(
            chrono_field_value(&*this(t)?, chrono_field_arg(a, 0)?).is_some(),
        )),
    });
    add_all(r, "with", 2, |t, a, _| {
        temporal_with_field(&*this(t)?, chrono_field_arg(a, 0)?, long_arg(a, 1)?)
    });
    add_all(r, "with", 1, |t, a, _| {
        temporal_with_adjuster(&*this(t)?, arg(a, 0))
    });
    r.add_on(
        &[CHRONO_FIELD, "java.time.temporal.TemporalField"],
        "toString",
        0,
        |t, _, _| {
            Ok(Value::from(chrono_field_display(
                enum_arg(recv(t)?, CHRONO_FIELD)?.name,
            )))
        },
    );
    r.add(CHRONO_FIELD, "valueOf", 1, |_, a, _| {
        let name = str_arg(a, 0)?;
        match CHRONO_FIELDS.iter().position(|f| f.0 == name) {
            Some(i) => Ok(enum_value(CHRONO_FIELD, CHRONO_FIELDS[i].0, i as i32)),
            None => Err(exc(
                "IllegalArgumentException",
                format!("No enum constant java.time.temporal.ChronoField.{name}"),
            )),
        }
    });
    const ADJ: &str = "java.time.temporal.TemporalAdjusters";
    r.add(ADJ, "firstDayOfMonth", 0, |_, _, _| {
        Ok(adjuster("firstDayOfMonth", 0, 0))
    });
    r.add(ADJ, "lastDayOfMonth", 0, |_, _, _| {
        Ok(adjuster("lastDayOfMonth", 0, 0))
    });
    r.add(ADJ, "firstDayOfNextMonth", 0, |_, _, _| {
        Ok(adjuster("firstDayOfNextMonth", 0, 0))
    });
    r.add(ADJ, "firstDayOfYear", 0, |_, _, _| {
        Ok(adjuster("firstDayOfYear", 0, 0))
    });
    r.add(ADJ, "lastDayOfYear", 0, |_, _, _| {
        Ok(adjuster("lastDayOfYear", 0, 0))
    });
    r.add(ADJ, "firstDayOfNextYear", 0, |_, _, _| {
        Ok(adjuster("firstDayOfNextYear", 0, 0))
    });
    fn dow_arg(a: &[Value], i: usize) -> Result<i64, Thrown> {
        Ok(i64::from(enum_arg(arg(a, i), DAY_OF_WEEK)?.ordinal) + 1)
    }
    r.add(ADJ, "next", 1, |_, a, _| {
        Ok(adjuster("next", dow_arg(a, 0)?, 0))
    });
    r.add(ADJ, "nextOrSame", 1, |_, a, _| {
        Ok(adjuster("nextOrSame", dow_arg(a, 0)?, 0))
    });
    r.add(ADJ, "previous", 1, |_, a, _| {
        Ok(adjuster("previous", dow_arg(a, 0)?, 0))
    });
    r.add(ADJ, "previousOrSame", 1, |_, a, _| {
        Ok(adjuster("previousOrSame", dow_arg(a, 0)?, 0))
    });
    r.add(ADJ, "firstInMonth", 1, |_, a, _| {
        Ok(adjuster("firstInMonth", dow_arg(a, 0)?, 1))
    });
    r.add(ADJ, "lastInMonth", 1, |_, a, _| {
        Ok(adjuster("lastInMonth", dow_arg(a, 0)?, -1))
    });
    r.add(ADJ, "dayOfWeekInMonth", 2, |_, a, _| {
        Ok(adjuster(
            "dayOfWeekInMonth",
            dow_arg(a, 1)?,
            i64::from(int_arg(a, 0)?),
        ))
    });

    // Enums and constants
    for (i, (name, _, _)) in UNITS.iter().enumerate() {
        let _ = i;
        r.field(CHRONO_UNIT, name, unit_field(name));
    }
    register_enum_fields(r);
    for (name, _) in LOCALES {
        r.field("java.util.Locale", name, locale_field(name));
    }
    for name in [
        "BASIC_ISO_DATE",
        "ISO_DATE",
        "ISO_DATE_TIME",
        "ISO_INSTANT",
        "ISO_LOCAL_DATE",
        "ISO_LOCAL_DATE_TIME",
        "ISO_LOCAL_TIME",
        "ISO_OFFSET_DATE",
        "ISO_OFFSET_DATE_TIME",
        "ISO_OFFSET_TIME",
        "ISO_ORDINAL_DATE",
        "ISO_TIME",
        "ISO_ZONED_DATE_TIME",
        "RFC_1123_DATE_TIME",
    ] {
        r.field(FORMATTER, name, formatter_field(name));
    }
    r.field(ZONE_OFFSET, "UTC", || zone_value(JZone::offset(0)));
    r.field(ZONE_OFFSET, "MIN", || zone_value(JZone::offset(-18 * 3600)));
    r.field(ZONE_OFFSET, "MAX", || zone_value(JZone::offset(18 * 3600)));
    r.field(INSTANT, "EPOCH", || {
        Temporal::value(Kind::Instant { sec: 0, nano: 0 })
    });
    r.field(DURATION, "ZERO", || {
        Temporal::value(Kind::Duration { sec: 0, nano: 0 })
    });
    r.field(LT, "MIDNIGHT", || Temporal::value(Kind::Time(0)));
    r.field(LT, "MIN", || Temporal::value(Kind::Time(0)));
    r.field(LT, "NOON", || {
        Temporal::value(Kind::Time(12 * 3600 * NANOS_PER_SECOND))
    });
    r.field(LT, "MAX", || Temporal::value(Kind::Time(NANOS_PER_DAY - 1)));

    // ZoneId / ZoneOffset
    r.add(ZONE_ID, "of", 1, |_, a, _| {
        Ok(zone_value(zone_of(str_arg(a, 0)?)?))
    });
    r.add(ZONE_ID, "getId", 0, |t, _, _| {
        Ok(Value::from(recv(t)?.java_to_string()))
    });
    r.add(ZONE_ID, "normalized", 0, |t, a, _| {
        let _ = a;
        let z = zone_arg(std::slice::from_ref(recv(t)?), 0)?;
        Ok(zone_value(match z.fixed {
            Some(f) => JZone::offset(f),
            None => z,
        }))
    });
    r.add(ZONE_ID, "systemDefault", 0, |_, _, _| {
        Err(unsupported(
            "ZoneId.systemDefault() (the node's default time zone)",
        ))
    });
    r.add(ZONE_OFFSET, "of", 1, |_, a, _| {
        Ok(zone_value(JZone::offset(parse_offset_id(str_arg(a, 0)?)?)))
    });
    r.add(ZONE_OFFSET, "ofHours", 1, |_, a, _| {
        let h = int_arg(a, 0)?;
        if !(-18..=18).contains(&h) {
            return Err(exc(
                "DateTimeException",
                format!(
                    "Zone offset hours not in valid range: value {h} is not in the range -18 to 18"
                ),
            ));
        }
        Ok(zone_value(JZone::offset(h * 3600)))
    });
    r.add(ZONE_OFFSET, "ofHoursMinutes", 2, |_, a, _| {
        Ok(zone_value(JZone::offset(
            int_arg(a, 0)? * 3600 + int_arg(a, 1)? * 60,
        )))
    });
    r.add(ZONE_OFFSET, "ofTotalSeconds", 1, |_, a, _| {
        let s = int_arg(a, 0)?;
        if s.abs() > 18 * 3600 {
            return Err(exc(
                "DateTimeException",
                "Zone offset not in valid range: -18:00 to +18:00",
            ));
        }
        Ok(zone_value(JZone::offset(s)))
    });
    r.add(ZONE_OFFSET, "getTotalSeconds", 0, |t, _, _| {
        let z = zone_arg(std::slice::from_ref(recv(t)?), 0)?;
        Ok(Value::Int(z.fixed.unwrap_or(0)))
    });

    // Instant
    r.add(INSTANT, "ofEpochMilli", 1, |_, a, _| {
        let ms = long_arg(a, 0)?;
        Ok(Temporal::value(Kind::Instant {
            sec: ms.div_euclid(1000),
            nano: (ms.rem_euclid(1000) * 1_000_000) as i32,
        }))
    });
    r.add(INSTANT, "ofEpochSecond", 1, |_, a, _| {
        Ok(Temporal::value(Kind::Instant {
            sec: long_arg(a, 0)?,
            nano: 0,
        }))
    });
    r.add(INSTANT, "ofEpochSecond", 2, |_, a, _| {
        let total = i128::from(long_arg(a, 0)?) * 1_000_000_000 + i128::from(long_arg(a, 1)?);
        Ok(Temporal::value(Kind::Instant {
            sec: total.div_euclid(1_000_000_000) as i64,
            nano: total.rem_euclid(1_000_000_000) as i32,
        }))
    });
    r.add(INSTANT, "parse", 1, |_, a, _| {
        default_parse(&chars_arg(a, 0)?, Target::Instant)
    });
    r.add(INSTANT, "toEpochMilli", 0, |t, _, _| {
        let (s, n) = this(t)?
            .instant()
            .ok_or_else(|| unsupported_field_error(&this(t).expect("checked")))?;
        exact(i128::from(s) * 1000 + i128::from(n / 1_000_000))
    });
    r.add(INSTANT, "getEpochSecond", 0, |t, _, _| {
        Ok(Value::Long(this(t)?.instant().map_or(0, |i| i.0)))
    });
    r.add(INSTANT, "getNano", 0, |t, _, _| {
        Ok(Value::Int(this(t)?.instant().map_or(0, |i| i.1)))
    });
    r.add(INSTANT, "atZone", 1, |t, a, _| {
        let (s, n) = this(t)?.instant().expect("an instant");
        zoned_from_instant(s, n, zone_arg(a, 0)?)
    });
    r.add(INSTANT, "atOffset", 1, |t, a, _| {
        let (s, n) = this(t)?.instant().expect("an instant");
        let off = zone_arg(a, 0)?.fixed.unwrap_or(0);
        Ok(Temporal::value(Kind::Offset {
            ldt: Ldt::from_epoch(s, n, off),
            offset: off,
        }))
    });
    for (name, unit) in [
        ("plusMillis", "MILLIS"),
        ("plusSeconds", "SECONDS"),
        ("plusNanos", "NANOS"),
    ] {
        let f: super::NativeFn = match unit {
            "MILLIS" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "MILLIS"),
            "SECONDS" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "SECONDS"),
            _ => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "NANOS"),
        };
        r.add(INSTANT, name, 1, f);
    }
    r.add(INSTANT, "minusMillis", 1, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, "MILLIS")
    });
    r.add(INSTANT, "minusSeconds", 1, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, "SECONDS")
    });
    r.add(INSTANT, "minusNanos", 1, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, "NANOS")
    });

    // Shared by the date-time classes: plus/minus by unit and amount.
    add_all(r, "plus", 2, |t, a, _| {
        plus(&*this(t)?, long_arg(a, 0)?, unit_arg(a, 1)?)
    });
    add_all(r, "minus", 2, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, unit_arg(a, 1)?)
    });
    add_all(r, "plus", 1, |t, a, _| {
        plus_amount(&*this(t)?, &*temporal(arg(a, 0))?, false)
    });
    add_all(r, "minus", 1, |t, a, _| {
        plus_amount(&*this(t)?, &*temporal(arg(a, 0))?, true)
    });
    add_all(r, "until", 2, |t, a, _| {
        Ok(Value::Long(until(
            &*this(t)?,
            &*temporal(arg(a, 0))?,
            unit_arg(a, 1)?,
        )?))
    });
    for (name, unit) in [
        ("plusYears", "YEARS"),
        ("plusMonths", "MONTHS"),
        ("plusWeeks", "WEEKS"),
        ("plusDays", "DAYS"),
        ("plusHours", "HOURS"),
        ("plusMinutes", "MINUTES"),
        ("plusSeconds", "SECONDS"),
        ("plusNanos", "NANOS"),
        ("minusYears", "-YEARS"),
        ("minusMonths", "-MONTHS"),
        ("minusWeeks", "-WEEKS"),
        ("minusDays", "-DAYS"),
        ("minusHours", "-HOURS"),
        ("minusMinutes", "-MINUTES"),
        ("minusSeconds", "-SECONDS"),
        ("minusNanos", "-NANOS"),
    ] {
        let f = plus_fn(unit);
        for c in [
            ZDT,
            ODT,
            LDT,
            LD,
            LT,
            "org.opensearch.script.JodaCompatibleZonedDateTime",
        ] {
            if c == INSTANT && matches!(name, "plusSeconds" | "plusNanos") {
                continue;
            }
            r.add(c, name, 1, f);
        }
    }
    // Durations add by the same units (and plusMillis / minusMillis).
    r.add(DURATION, "plusDays", 1, |t, a, _| {
        plus(&*this(t)?, long_arg(a, 0)?, "DAYS")
    });
    r.add(DURATION, "plusHours", 1, |t, a, _| {
        plus(&*this(t)?, long_arg(a, 0)?, "HOURS")
    });
    r.add(DURATION, "plusMinutes", 1, |t, a, _| {
        plus(&*this(t)?, long_arg(a, 0)?, "MINUTES")
    });
    r.add(DURATION, "plusSeconds", 1, |t, a, _| {
        plus(&*this(t)?, long_arg(a, 0)?, "SECONDS")
    });
    r.add(DURATION, "plusMillis", 1, |t, a, _| {
        plus(&*this(t)?, long_arg(a, 0)?, "MILLIS")
    });
    r.add(DURATION, "plusNanos", 1, |t, a, _| {
        plus(&*this(t)?, long_arg(a, 0)?, "NANOS")
    });
    r.add(DURATION, "minusDays", 1, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, "DAYS")
    });
    r.add(DURATION, "minusHours", 1, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, "HOURS")
    });
    r.add(DURATION, "minusMinutes", 1, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, "MINUTES")
    });
    r.add(DURATION, "minusSeconds", 1, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, "SECONDS")
    });
    r.add(DURATION, "minusMillis", 1, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, "MILLIS")
    });
    r.add(DURATION, "minusNanos", 1, |t, a, _| {
        plus(&*this(t)?, neg(long_arg(a, 0)?)?, "NANOS")
    });

    // Getters
    add_all(r, "getYear", 0, |t, _, _| getter(t, Field::Year));
    add_all(r, "getMonthValue", 0, |t, _, _| getter(t, Field::Month));
    add_all(r, "getDayOfMonth", 0, |t, _, _| getter(t, Field::Day));
    add_all(r, "getDayOfYear", 0, |t, _, _| getter(t, Field::DayOfYear));
    add_all(r, "getHour", 0, |t, _, _| getter(t, Field::Hour));
    add_all(r, "getMinute", 0, |t, _, _| getter(t, Field::Minute));
    add_all(r, "getSecond", 0, |t, _, _| getter(t, Field::Second));
    add_all(r, "getNano", 0, |t, _, _| match &this(t)?.kind {
        Kind::Instant { nano, .. } | Kind::Duration { nano, .. } => Ok(Value::Int(*nano)),
        _ => getter(t, Field::Nano),
    });
    add_all(r, "getMonth", 0, |t, _, _| {
        let m = match getter(t, Field::Month)? {
            Value::Int(m) => m,
            _ => 1,
        };
        Ok(month_value(m))
    });
    let dow: super::NativeFn = |t, _, _| {
        let d = match getter(t, Field::DayOfWeek)? {
            Value::Int(d) => d,
            _ => 1,
        };
        Ok(day_of_week_value(d))
    };
    add_all(r, "getDayOfWeek", 0, dow);
    add_all(r, "getDayOfWeekEnum", 0, dow);
    add_all(r, "isLeapYear", 0, |t, _, _| {
        Ok(Value::Boolean(is_leap(
            civil_from_days(local_of(&*this(t)?)?.day).0,
        )))
    });
    add_all(r, "lengthOfMonth", 0, |t, _, _| {
        let (y, m, _) = civil_from_days(local_of(&*this(t)?)?.day);
        Ok(Value::Int(month_length(y, m) as i32))
    });
    add_all(r, "lengthOfYear", 0, |t, _, _| {
        Ok(Value::Int(
            if is_leap(civil_from_days(local_of(&*this(t)?)?.day).0) {
                366
            } else {
                365
            },
        ))
    });
    add_all(r, "toEpochDay", 0, |t, _, _| {
        Ok(Value::Long(local_of(&*this(t)?)?.day))
    });
    add_all(r, "toSecondOfDay", 0, |t, _, _| {
        Ok(Value::Int(
            (local_of(&*this(t)?)?.nod / NANOS_PER_SECOND) as i32,
        ))
    });
    add_all(r, "toNanoOfDay", 0, |t, _, _| {
        Ok(Value::Long(local_of(&*this(t)?)?.nod))
    });
    add_all(r, "getZone", 0, |t, _, _| match &this(t)?.kind {
        Kind::Zoned { zone, .. } => Ok(Value::Object(zone.clone() as Rc<dyn JavaObject>)),
        _ => Err(unsupported_field_error(&*this(t)?)),
    });
    add_all(r, "getOffset", 0, |t, _, _| match &this(t)?.kind {
        Kind::Zoned { offset, .. } | Kind::Offset { offset, .. } => {
            Ok(zone_value(JZone::offset(*offset)))
        }
        _ => Err(unsupported_field_error(&*this(t)?)),
    });
    add_all(r, "toInstant", 0, |t, _, _| {
        let (s, n) = this(t)?
            .instant()
            .ok_or_else(|| unsupported_field_error(&this(t).expect("checked")))?;
        Ok(Temporal::value(Kind::Instant { sec: s, nano: n }))
    });
    add_all(r, "toEpochSecond", 0, |t, _, _| {
        Ok(Value::Long(
            this(t)?
                .instant()
                .ok_or_else(|| unsupported_field_error(&this(t).expect("checked")))?
                .0,
        ))
    });
    add_all(r, "toInstant", 1, |t, a, _| {
        let ldt = local_of(&*this(t)?)?;
        let off = zone_arg(a, 0)?.fixed.unwrap_or(0);
        Ok(Temporal::value(Kind::Instant {
            sec: ldt.epoch_second(off),
            nano: (ldt.nod % NANOS_PER_SECOND) as i32,
        }))
    });
    add_all(r, "toEpochSecond", 1, |t, a, _| {
        let ldt = local_of(&*this(t)?)?;
        Ok(Value::Long(
            ldt.epoch_second(zone_arg(a, 0)?.fixed.unwrap_or(0)),
        ))
    });
    add_all(r, "toLocalDate", 0, |t, _, _| {
        Ok(Temporal::value(Kind::Date(local_of(&*this(t)?)?.day)))
    });
    add_all(r, "toLocalTime", 0, |t, _, _| {
        Ok(Temporal::value(Kind::Time(local_of(&*this(t)?)?.nod)))
    });
    add_all(r, "toLocalDateTime", 0, |t, _, _| {
        Ok(Temporal::value(Kind::DateTime(local_of(&*this(t)?)?)))
    });
    add_all(r, "toOffsetDateTime", 0, |t, _, _| match &this(t)?.kind {
        Kind::Zoned { ldt, offset, .. } => Ok(Temporal::value(Kind::Offset {
            ldt: *ldt,
            offset: *offset,
        })),
        _ => Err(unsupported_field_error(&*this(t)?)),
    });
    add_all(r, "toZonedDateTime", 0, |t, _, _| match &this(t)?.kind {
        Kind::Offset { ldt, offset } => Ok(Temporal::value(Kind::Zoned {
            ldt: *ldt,
            offset: *offset,
            zone: JZone::offset(*offset),
        })),
        _ => Err(unsupported_field_error(&*this(t)?)),
    });

    // Comparisons
    add_all(r, "isAfter", 1, |t, a, _| {
        Ok(Value::Boolean(
            timeline_cmp(&*this(t)?, &*temporal(arg(a, 0))?)? == Ordering::Greater,
        ))
    });
    add_all(r, "isBefore", 1, |t, a, _| {
        Ok(Value::Boolean(
            timeline_cmp(&*this(t)?, &*temporal(arg(a, 0))?)? == Ordering::Less,
        ))
    });
    add_all(r, "isEqual", 1, |t, a, _| {
        Ok(Value::Boolean(
            timeline_cmp(&*this(t)?, &*temporal(arg(a, 0))?)? == Ordering::Equal,
        ))
    });
    add_all(r, "compareTo", 1, |t, a, _| {
        match compare(recv(t)?, arg(a, 0)) {
            Some(o) => Ok(Value::Int(o as i32)),
            None => Err(cce(
                arg(a, 0),
                recv(t)?.class_name().unwrap_or("java.lang.Object"),
            )),
        }
    });
    add_all(r, "equals", 1, |t, a, _| {
        Ok(Value::Boolean(recv(t)?.java_equals(arg(a, 0))))
    });
    add_all(r, "hashCode", 0, |t, _, _| {
        Ok(Value::Int(recv(t)?.java_hash_code()))
    });
    add_all(r, "toString", 0, |t, _, _| {
        Ok(Value::from(recv(t)?.java_to_string()))
    });

    // with*
    add_all(r, "withYear", 1, |t, a, _| with_field(t, a, Field::Year));
    add_all(r, "withMonth", 1, |t, a, _| with_field(t, a, Field::Month));
    add_all(r, "withDayOfMonth", 1, |t, a, _| {
        with_field(t, a, Field::Day)
    });
    add_all(r, "withDayOfYear", 1, |t, a, _| {
        with_field(t, a, Field::DayOfYear)
    });
    add_all(r, "withHour", 1, |t, a, _| with_field(t, a, Field::Hour));
    add_all(r, "withMinute", 1, |t, a, _| {
        with_field(t, a, Field::Minute)
    });
    add_all(r, "withSecond", 1, |t, a, _| {
        with_field(t, a, Field::Second)
    });
    add_all(r, "withNano", 1, |t, a, _| with_field(t, a, Field::Nano));
    add_all(r, "withZoneSameInstant", 1, |t, a, _| {
        let (s, n) = this(t)?
            .instant()
            .ok_or_else(|| unsupported_field_error(&this(t).expect("checked")))?;
        zoned_from_instant(s, n, zone_arg(a, 0)?)
    });
    add_all(r, "withZoneSameLocal", 1, |t, a, _| match &this(t)?.kind {
        Kind::Zoned { ldt, offset, .. } => zoned(*ldt, zone_arg(a, 0)?, Some(*offset)),
        _ => Err(unsupported_field_error(&*this(t)?)),
    });
    add_all(r, "withFixedOffsetZone", 0, |t, _, _| {
        match &this(t)?.kind {
            Kind::Zoned { ldt, offset, .. } => Ok(Temporal::value(Kind::Zoned {
                ldt: *ldt,
                offset: *offset,
                zone: JZone::offset(*offset),
            })),
            _ => Err(unsupported_field_error(&*this(t)?)),
        }
    });
    add_all(r, "truncatedTo", 1, |t, a, _| {
        let unit = unit_arg(a, 0)?;
        let tv = &*this(t)?;
        let u: i128 = match unit {
            "DAYS" => i128::from(NANOS_PER_DAY),
            other => unit_nanos(other).ok_or_else(|| {
                exc(
                    "UnsupportedTemporalTypeException",
                    "Unit is too large to be used for truncation",
                )
            })?,
        };
        match &tv.kind {
            Kind::Instant { sec, nano } => {
                let total = i128::from(*sec) * 1_000_000_000 + i128::from(*nano);
                let tr = total - total.rem_euclid(u);
                Ok(Temporal::value(Kind::Instant {
                    sec: tr.div_euclid(1_000_000_000) as i64,
                    nano: tr.rem_euclid(1_000_000_000) as i32,
                }))
            }
            _ => {
                let ldt = local_of(tv)?;
                let nod = i128::from(ldt.nod);
                with_local(
                    tv,
                    Ldt {
                        day: ldt.day,
                        nod: (nod - nod.rem_euclid(u)) as i64,
                    },
                )
            }
        }
    });

    // Formatting
    add_all(r, "format", 1, |t, a, _| {
        Ok(Value::from(format(formatter_arg(a, 0)?, &*this(t)?)?))
    });
    r.add(FORMATTER, "format", 1, |t, a, _| {
        let f = match recv(t)? {
            Value::Object(o) => o
                .as_any()
                .downcast_ref::<Formatter>()
                .ok_or_else(|| cce(recv(t).expect("checked"), FORMATTER))?,
            other => return Err(cce(other, FORMATTER)),
        };
        Ok(Value::from(format(f, &*temporal(arg(a, 0))?)?))
    });
    r.add(FORMATTER, "ofPattern", 1, |_, a, _| {
        let p = str_arg(a, 0)?;
        Ok(Value::Object(Rc::new(Formatter {
            spec: Spec::Pattern(compile_pattern(p)?),
            zone: None,
            name: p.to_owned(),
        })))
    });
    r.add(FORMATTER, "ofPattern", 2, |_, a, _| {
        english(arg(a, 1))?;
        let p = str_arg(a, 0)?;
        Ok(Value::Object(Rc::new(Formatter {
            spec: Spec::Pattern(compile_pattern(p)?),
            zone: None,
            name: p.to_owned(),
        })))
    });
    r.add(FORMATTER, "withZone", 1, |t, a, _| {
        let f = match recv(t)? {
            Value::Object(o) => o
                .as_any()
                .downcast_ref::<Formatter>()
                .ok_or_else(|| cce(recv(t).expect("checked"), FORMATTER))?,
            other => return Err(cce(other, FORMATTER)),
        };
        let zone = match arg(a, 0) {
            Value::Null => None,
            _ => Some(zone_arg(a, 0)?),
        };
        Ok(Value::Object(Rc::new(Formatter {
            spec: f.spec.clone(),
            zone,
            name: f.name.clone(),
        })))
    });
    r.add(FORMATTER, "withLocale", 1, |t, a, _| {
        english(arg(a, 0))?;
        Ok(recv(t)?.clone())
    });
    r.add(FORMATTER, "getZone", 0, |t, _, _| match recv(t)? {
        Value::Object(o) => match o
            .as_any()
            .downcast_ref::<Formatter>()
            .and_then(|f| f.zone.clone())
        {
            Some(z) => Ok(zone_value(z)),
            None => Ok(Value::Null),
        },
        other => Err(cce(other, FORMATTER)),
    });

    // Parsing and construction
    r.add(ZDT, "parse", 1, |_, a, _| {
        default_parse(&chars_arg(a, 0)?, Target::Zoned)
    });
    r.add(ZDT, "parse", 2, |_, a, _| {
        parse(formatter_arg(a, 1)?, &chars_arg(a, 0)?, Target::Zoned)
    });
    r.add(ODT, "parse", 1, |_, a, _| {
        default_parse(&chars_arg(a, 0)?, Target::Offset)
    });
    r.add(ODT, "parse", 2, |_, a, _| {
        parse(formatter_arg(a, 1)?, &chars_arg(a, 0)?, Target::Offset)
    });
    r.add(LDT, "parse", 1, |_, a, _| {
        default_parse(&chars_arg(a, 0)?, Target::DateTime)
    });
    r.add(LDT, "parse", 2, |_, a, _| {
        parse(formatter_arg(a, 1)?, &chars_arg(a, 0)?, Target::DateTime)
    });
    r.add(LD, "parse", 1, |_, a, _| {
        default_parse(&chars_arg(a, 0)?, Target::Date)
    });
    r.add(LD, "parse", 2, |_, a, _| {
        parse(formatter_arg(a, 1)?, &chars_arg(a, 0)?, Target::Date)
    });
    r.add(LT, "parse", 1, |_, a, _| {
        default_parse(&chars_arg(a, 0)?, Target::Time)
    });
    r.add(LT, "parse", 2, |_, a, _| {
        parse(formatter_arg(a, 1)?, &chars_arg(a, 0)?, Target::Time)
    });
    r.add(DURATION, "parse", 1, |_, a, _| {
        parse_duration(&chars_arg(a, 0)?)
    });

    r.add(ZDT, "of", 8, |_, a, _| {
        let day = date_of(
            int_arg(a, 0)?.into(),
            int_arg(a, 1)?.into(),
            int_arg(a, 2)?.into(),
        )?;
        let nod = time_of(
            int_arg(a, 3)?.into(),
            int_arg(a, 4)?.into(),
            int_arg(a, 5)?.into(),
            int_arg(a, 6)?.into(),
        )?;
        zoned(Ldt { day, nod }, zone_arg(a, 7)?, None)
    });
    r.add(ZDT, "of", 2, |_, a, _| {
        zoned(local_of(&*temporal(arg(a, 0))?)?, zone_arg(a, 1)?, None)
    });
    r.add(ZDT, "of", 3, |_, a, _| {
        let d = local_of(&*temporal(arg(a, 0))?)?.day;
        let tm = local_of(&*temporal(arg(a, 1))?)?.nod;
        zoned(Ldt { day: d, nod: tm }, zone_arg(a, 2)?, None)
    });
    r.add(ZDT, "ofInstant", 2, |_, a, _| {
        let (s, n) = temporal(arg(a, 0))?
            .instant()
            .ok_or_else(|| cce(arg(a, 0), INSTANT))?;
        zoned_from_instant(s, n, zone_arg(a, 1)?)
    });
    r.add(ZDT, "ofLocal", 3, |_, a, _| {
        let pref = match arg(a, 2) {
            Value::Null => None,
            _ => zone_arg(a, 2)?.fixed,
        };
        zoned(local_of(&*temporal(arg(a, 0))?)?, zone_arg(a, 1)?, pref)
    });
    r.add(LDT, "of", 5, |_, a, _| ldt_of(a, 5));
    r.add(LDT, "of", 6, |_, a, _| ldt_of(a, 6));
    r.add(LDT, "of", 7, |_, a, _| ldt_of(a, 7));
    r.add(LDT, "of", 2, |_, a, _| {
        let d = local_of(&*temporal(arg(a, 0))?)?.day;
        let tm = local_of(&*temporal(arg(a, 1))?)?.nod;
        Ok(Temporal::value(Kind::DateTime(Ldt { day: d, nod: tm })))
    });
    r.add(LDT, "ofInstant", 2, |_, a, _| {
        let (s, n) = temporal(arg(a, 0))?
            .instant()
            .ok_or_else(|| cce(arg(a, 0), INSTANT))?;
        let off = zone_arg(a, 1)?.offset_at(s)?;
        Ok(Temporal::value(Kind::DateTime(Ldt::from_epoch(s, n, off))))
    });
    r.add(LDT, "ofEpochSecond", 3, |_, a, _| {
        let off = zone_arg(a, 2)?.fixed.unwrap_or(0);
        Ok(Temporal::value(Kind::DateTime(Ldt::from_epoch(
            long_arg(a, 0)?,
            int_arg(a, 1)?,
            off,
        ))))
    });
    r.add(LDT, "atZone", 1, |t, a, _| {
        zoned(local_of(&*this(t)?)?, zone_arg(a, 0)?, None)
    });
    r.add(CLDT, "atZone", 1, |t, a, _| {
        zoned(local_of(&*this(t)?)?, zone_arg(a, 0)?, None)
    });
    r.add(LDT, "atOffset", 1, |t, a, _| {
        Ok(Temporal::value(Kind::Offset {
            ldt: local_of(&*this(t)?)?,
            offset: zone_arg(a, 0)?.fixed.unwrap_or(0),
        }))
    });
    r.add(LD, "of", 3, |_, a, _| {
        Ok(Temporal::value(Kind::Date(date_of(
            int_arg(a, 0)?.into(),
            int_arg(a, 1)?.into(),
            int_arg(a, 2)?.into(),
        )?)))
    });
    r.add(LD, "ofEpochDay", 1, |_, a, _| {
        Ok(Temporal::value(Kind::Date(long_arg(a, 0)?)))
    });
    r.add(LD, "ofYearDay", 2, |_, a, _| {
        let y = i64::from(int_arg(a, 0)?);
        let d = check(
            "DayOfYear",
            int_arg(a, 1)?.into(),
            1,
            if is_leap(y) { 366 } else { 365 },
        )?;
        Ok(Temporal::value(Kind::Date(
            days_from_civil(y, 1, 1) + d - 1,
        )))
    });
    r.add(LD, "atStartOfDay", 0, |t, _, _| {
        Ok(Temporal::value(Kind::DateTime(Ldt {
            day: local_of(&*this(t)?)?.day,
            nod: 0,
        })))
    });
    r.add(LD, "atStartOfDay", 1, |t, a, _| {
        zoned(
            Ldt {
                day: local_of(&*this(t)?)?.day,
                nod: 0,
            },
            zone_arg(a, 0)?,
            None,
        )
    });
    r.add(LD, "atTime", 1, |t, a, _| {
        Ok(Temporal::value(Kind::DateTime(Ldt {
            day: local_of(&*this(t)?)?.day,
            nod: local_of(&*temporal(arg(a, 0))?)?.nod,
        })))
    });
    r.add(CLD, "atTime", 1, |t, a, _| {
        Ok(Temporal::value(Kind::DateTime(Ldt {
            day: local_of(&*this(t)?)?.day,
            nod: local_of(&*temporal(arg(a, 0))?)?.nod,
        })))
    });
    r.add(LD, "atTime", 2, |t, a, _| {
        Ok(Temporal::value(Kind::DateTime(Ldt {
            day: local_of(&*this(t)?)?.day,
            nod: time_of(int_arg(a, 0)?.into(), int_arg(a, 1)?.into(), 0, 0)?,
        })))
    });
    r.add(LD, "atTime", 3, |t, a, _| {
        Ok(Temporal::value(Kind::DateTime(Ldt {
            day: local_of(&*this(t)?)?.day,
            nod: time_of(
                int_arg(a, 0)?.into(),
                int_arg(a, 1)?.into(),
                int_arg(a, 2)?.into(),
                0,
            )?,
        })))
    });
    r.add(LT, "of", 2, |_, a, _| {
        Ok(Temporal::value(Kind::Time(time_of(
            int_arg(a, 0)?.into(),
            int_arg(a, 1)?.into(),
            0,
            0,
        )?)))
    });
    r.add(LT, "of", 3, |_, a, _| {
        Ok(Temporal::value(Kind::Time(time_of(
            int_arg(a, 0)?.into(),
            int_arg(a, 1)?.into(),
            int_arg(a, 2)?.into(),
            0,
        )?)))
    });
    r.add(LT, "of", 4, |_, a, _| {
        Ok(Temporal::value(Kind::Time(time_of(
            int_arg(a, 0)?.into(),
            int_arg(a, 1)?.into(),
            int_arg(a, 2)?.into(),
            int_arg(a, 3)?.into(),
        )?)))
    });
    r.add(LT, "ofSecondOfDay", 1, |_, a, _| {
        let s = check("SecondOfDay", long_arg(a, 0)?, 0, 86_399)?;
        Ok(Temporal::value(Kind::Time(s * NANOS_PER_SECOND)))
    });
    r.add(LT, "ofNanoOfDay", 1, |_, a, _| {
        let n = check("NanoOfDay", long_arg(a, 0)?, 0, NANOS_PER_DAY - 1)?;
        Ok(Temporal::value(Kind::Time(n)))
    });
    r.add(ODT, "of", 2, |_, a, _| {
        Ok(Temporal::value(Kind::Offset {
            ldt: local_of(&*temporal(arg(a, 0))?)?,
            offset: zone_arg(a, 1)?.fixed.unwrap_or(0),
        }))
    });
    r.add(ODT, "ofInstant", 2, |_, a, _| {
        let (s, n) = temporal(arg(a, 0))?
            .instant()
            .ok_or_else(|| cce(arg(a, 0), INSTANT))?;
        let off = zone_arg(a, 1)?.offset_at(s)?;
        Ok(Temporal::value(Kind::Offset {
            ldt: Ldt::from_epoch(s, n, off),
            offset: off,
        }))
    });

    // Duration
    r.add(DURATION, "ofDays", 1, |_, a, _| {
        duration(i128::from(long_arg(a, 0)?) * 86_400, 0)
    });
    r.add(DURATION, "ofHours", 1, |_, a, _| {
        duration(i128::from(long_arg(a, 0)?) * 3600, 0)
    });
    r.add(DURATION, "ofMinutes", 1, |_, a, _| {
        duration(i128::from(long_arg(a, 0)?) * 60, 0)
    });
    r.add(DURATION, "ofSeconds", 1, |_, a, _| {
        duration(i128::from(long_arg(a, 0)?), 0)
    });
    r.add(DURATION, "ofSeconds", 2, |_, a, _| {
        duration(i128::from(long_arg(a, 0)?), i128::from(long_arg(a, 1)?))
    });
    r.add(DURATION, "ofMillis", 1, |_, a, _| {
        duration(0, i128::from(long_arg(a, 0)?) * 1_000_000)
    });
    r.add(DURATION, "ofNanos", 1, |_, a, _| {
        duration(0, i128::from(long_arg(a, 0)?))
    });
    r.add(DURATION, "of", 2, |_, a, _| {
        let unit = unit_arg(a, 1)?;
        let n = match unit {
            "DAYS" => i128::from(NANOS_PER_DAY),
            other => unit_nanos(other).ok_or_else(|| {
                exc(
                    "UnsupportedTemporalTypeException",
                    "Unit must not have an estimated duration",
                )
            })?,
        };
        duration(0, i128::from(long_arg(a, 0)?) * n)
    });
    r.add(DURATION, "between", 2, |_, a, _| {
        let (x, y) = (&*temporal(arg(a, 0))?, &*temporal(arg(a, 1))?);
        let nanos = until(x, y, "NANOS").map(i128::from).or_else(|_| {
            // Overflowing nanos: fall back to seconds plus the nano adjustment, as Java does.
            Ok::<i128, Thrown>(i128::from(until(x, y, "SECONDS")?) * 1_000_000_000)
        })?;
        duration(0, nanos)
    });
    r.add(DURATION, "toMillis", 0, |t, _, _| {
        exact(total_nanos(&*this(t)?)?.div_euclid(1_000_000))
    });
    r.add(DURATION, "toNanos", 0, |t, _, _| {
        exact(total_nanos(&*this(t)?)?)
    });
    r.add(DURATION, "getSeconds", 0, |t, _, _| {
        Ok(Value::Long(duration_of(&*this(t)?)?.0))
    });
    r.add(DURATION, "toDays", 0, |t, _, _| {
        Ok(Value::Long(duration_of(&*this(t)?)?.0 / 86_400))
    });
    r.add(DURATION, "toHours", 0, |t, _, _| {
        Ok(Value::Long(duration_of(&*this(t)?)?.0 / 3600))
    });
    r.add(DURATION, "toMinutes", 0, |t, _, _| {
        Ok(Value::Long(duration_of(&*this(t)?)?.0 / 60))
    });
    r.add(DURATION, "isNegative", 0, |t, _, _| {
        Ok(Value::Boolean(duration_of(&*this(t)?)?.0 < 0))
    });
    r.add(DURATION, "isZero", 0, |t, _, _| {
        Ok(Value::Boolean(duration_of(&*this(t)?)? == (0, 0)))
    });
    r.add(DURATION, "negated", 0, |t, _, _| {
        duration(0, -total_nanos(&*this(t)?)?)
    });
    r.add(DURATION, "abs", 0, |t, _, _| {
        duration(0, total_nanos(&*this(t)?)?.abs())
    });
    r.add(DURATION, "multipliedBy", 1, |t, a, _| {
        duration(0, total_nanos(&*this(t)?)? * i128::from(long_arg(a, 0)?))
    });
    r.add(DURATION, "dividedBy", 1, |t, a, _| {
        let d = long_arg(a, 0)?;
        if d == 0 {
            return Err(exc("ArithmeticException", "Cannot divide by zero"));
        }
        duration(0, total_nanos(&*this(t)?)? / i128::from(d))
    });
    r.add(DURATION, "withSeconds", 1, |t, a, _| {
        duration(
            i128::from(long_arg(a, 0)?),
            i128::from(duration_of(&*this(t)?)?.1),
        )
    });
    r.add(DURATION, "withNanos", 1, |t, a, _| {
        let n = check("NanoOfSecond", int_arg(a, 0)?.into(), 0, 999_999_999)?;
        duration(i128::from(duration_of(&*this(t)?)?.0), i128::from(n))
    });

    // ChronoUnit
    r.add_on(
        &[CHRONO_UNIT, "java.time.temporal.TemporalUnit"],
        "between",
        2,
        |t, a, _| {
            let unit = enum_arg(recv(t)?, CHRONO_UNIT)?.name;
            Ok(Value::Long(until(
                &*temporal(arg(a, 0))?,
                &*temporal(arg(a, 1))?,
                unit,
            )?))
        },
    );
    r.add(CHRONO_UNIT, "valueOf", 1, |_, a, _| {
        let name = str_arg(a, 0)?;
        match UNITS.iter().position(|u| u.0 == name) {
            Some(i) => Ok(enum_value(CHRONO_UNIT, UNITS[i].0, i as i32)),
            None => Err(exc(
                "IllegalArgumentException",
                format!("No enum constant java.time.temporal.ChronoUnit.{name}"),
            )),
        }
    });
    r.add_on(
        &[CHRONO_UNIT, "java.time.temporal.TemporalUnit"],
        "isDateBased",
        0,
        |t, _, _| {
            let n = enum_arg(recv(t)?, CHRONO_UNIT)?.name;
            Ok(Value::Boolean(unit_nanos(n).is_none() && n != "FOREVER"))
        },
    );
    r.add_on(
        &[CHRONO_UNIT, "java.time.temporal.TemporalUnit"],
        "isTimeBased",
        0,
        |t, _, _| {
            Ok(Value::Boolean(
                unit_nanos(enum_arg(recv(t)?, CHRONO_UNIT)?.name).is_some(),
            ))
        },
    );
    r.add_on(
        &[CHRONO_UNIT, "java.time.temporal.TemporalUnit"],
        "getDuration",
        0,
        |t, _, _| {
            let n = enum_arg(recv(t)?, CHRONO_UNIT)?.name;
            match unit_nanos(n) {
                Some(u) => duration(0, u),
                None => match n {
                    "DAYS" => duration(86_400, 0),
                    "WEEKS" => duration(7 * 86_400, 0),
                    "MONTHS" => duration(31_556_952 / 12, 0),
                    "YEARS" => duration(31_556_952, 0),
                    "DECADES" => duration(31_556_952 * 10, 0),
                    "CENTURIES" => duration(31_556_952 * 100, 0),
                    "MILLENNIA" => duration(31_556_952 * 1000, 0),
                    "ERAS" => duration(31_556_952 * 1_000_000_000, 0),
                    _ => duration(i128::from(i64::MAX), 999_999_999),
                },
            }
        },
    );

    // Enum basics (java.lang.Enum) for the java.time enums
    r.add("java.lang.Enum", "name", 0, |t, _, _| match recv(t)? {
        Value::Object(o) => match o.as_any().downcast_ref::<JEnum>() {
            Some(e) => Ok(Value::from(e.name)),
            None => Err(unsupported(format!("Enum.name() on {}", o.class_name()))),
        },
        other => Err(cce(other, "java.lang.Enum")),
    });
    r.add("java.lang.Enum", "ordinal", 0, |t, _, _| match recv(t)? {
        Value::Object(o) => match o.as_any().downcast_ref::<JEnum>() {
            Some(e) => Ok(Value::Int(e.ordinal)),
            None => Err(unsupported(format!("Enum.ordinal() on {}", o.class_name()))),
        },
        other => Err(cce(other, "java.lang.Enum")),
    });
    r.add("java.lang.Enum", "compareTo", 1, |t, a, _| {
        match compare(recv(t)?, arg(a, 0)) {
            Some(o) => Ok(Value::Int(o as i32)),
            None => Err(cce(
                arg(a, 0),
                recv(t)?.class_name().unwrap_or("java.lang.Enum"),
            )),
        }
    });
    r.add(DAY_OF_WEEK, "getValue", 0, |t, _, _| {
        Ok(Value::Int(enum_arg(recv(t)?, DAY_OF_WEEK)?.ordinal + 1))
    });
    r.add(MONTH, "getValue", 0, |t, _, _| {
        Ok(Value::Int(enum_arg(recv(t)?, MONTH)?.ordinal + 1))
    });
    r.add(DAY_OF_WEEK, "of", 1, |_, a, _| {
        let v = check("DayOfWeek", int_arg(a, 0)?.into(), 1, 7)?;
        Ok(day_of_week_value(v as i32))
    });
    r.add(MONTH, "of", 1, |_, a, _| {
        let v = check("MonthOfYear", int_arg(a, 0)?.into(), 1, 12)?;
        Ok(month_value(v as i32))
    });
    r.add(DAY_OF_WEEK, "plus", 1, |t, a, _| {
        let o = i64::from(enum_arg(recv(t)?, DAY_OF_WEEK)?.ordinal);
        Ok(day_of_week_value(
            ((o + long_arg(a, 0)?.rem_euclid(7)) % 7 + 1) as i32,
        ))
    });
    r.add(DAY_OF_WEEK, "minus", 1, |t, a, _| {
        let o = i64::from(enum_arg(recv(t)?, DAY_OF_WEEK)?.ordinal);
        Ok(day_of_week_value(
            ((o - long_arg(a, 0)?.rem_euclid(7)).rem_euclid(7) + 1) as i32,
        ))
    });
    r.add(MONTH, "plus", 1, |t, a, _| {
        let o = i64::from(enum_arg(recv(t)?, MONTH)?.ordinal);
        Ok(month_value(
            ((o + long_arg(a, 0)?.rem_euclid(12)) % 12 + 1) as i32,
        ))
    });
    r.add(MONTH, "minus", 1, |t, a, _| {
        let o = i64::from(enum_arg(recv(t)?, MONTH)?.ordinal);
        Ok(month_value(
            ((o - long_arg(a, 0)?.rem_euclid(12)).rem_euclid(12) + 1) as i32,
        ))
    });
    r.add(DAY_OF_WEEK, "valueOf", 1, |_, a, _| {
        let name = str_arg(a, 0)?;
        match DAYS.iter().position(|d| d.to_uppercase() == name) {
            Some(i) => Ok(day_of_week_value(i as i32 + 1)),
            None => Err(exc(
                "IllegalArgumentException",
                format!("No enum constant java.time.DayOfWeek.{name}"),
            )),
        }
    });
    r.add(MONTH, "valueOf", 1, |_, a, _| {
        let name = str_arg(a, 0)?;
        match MONTHS.iter().position(|d| d.to_uppercase() == name) {
            Some(i) => Ok(month_value(i as i32 + 1)),
            None => Err(exc(
                "IllegalArgumentException",
                format!("No enum constant java.time.Month.{name}"),
            )),
        }
    });
    r.add(MONTH, "length", 1, |t, a, _| {
        let m = i64::from(enum_arg(recv(t)?, MONTH)?.ordinal + 1);
        Ok(Value::Int(
            month_length(if bool_arg(a, 0)? { 2000 } else { 2001 }, m) as i32,
        ))
    });
    r.add(DAY_OF_WEEK, "getDisplayName", 2, |t, a, _| {
        display_name(recv(t)?, a, DAY_OF_WEEK)
    });
    r.add(MONTH, "getDisplayName", 2, |t, a, _| {
        display_name(recv(t)?, a, MONTH)
    });
}

fn enum_array(ty: &str, items: Vec<Value>) -> Value {
    Value::Array(Rc::new(std::cell::RefCell::new(crate::value::JArray::new(
        ty.into(),
        items,
    ))))
}

/// `withEarlierOffsetAtOverlap` / `withLaterOffsetAtOverlap`: the other valid offset of a
/// local date-time in an overlap, else the same value.
fn overlap(t: &Temporal, earlier: bool) -> Result<Value, Thrown> {
    let Kind::Zoned { ldt, offset, zone } = &t.kind else {
        return Err(unsupported_field_error(t));
    };
    let Some(tz) = &zone.tz else {
        return Ok(Value::Object(Rc::new(t.clone())));
    };
    let (y, m, d) = ldt.ymd();
    let (h, mi, s, n) = ldt.hms();
    let dt = jiff::civil::DateTime::new(
        y as i16, m as i8, d as i8, h as i8, mi as i8, s as i8, n as i32,
    )
    .map_err(|_| unsupported("a date-time outside jiff's range (years -9999 to 9999)"))?;
    use jiff::tz::AmbiguousOffset;
    let off = match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Fold { before, after } => {
            if earlier {
                before.seconds()
            } else {
                after.seconds()
            }
        }
        _ => *offset,
    };
    Ok(Temporal::value(Kind::Zoned {
        ldt: *ldt,
        offset: off,
        zone: zone.clone(),
    }))
}

fn display_name(v: &Value, a: &[Value], class: &str) -> Result<Value, Thrown> {
    let e = enum_arg(v, class)?;
    english(arg(a, 1))?;
    let style = enum_arg(arg(a, 0), "java.time.format.TextStyle")?.name;
    let st = match style {
        "FULL" | "FULL_STANDALONE" => TextStyle::Full,
        "SHORT" | "SHORT_STANDALONE" => TextStyle::Short,
        _ => TextStyle::Narrow,
    };
    let field = if class == MONTH {
        Field::Month
    } else {
        Field::DayOfWeek
    };
    Ok(Value::from(text_of(&field, i64::from(e.ordinal) + 1, st)))
}

fn timeline_cmp(a: &Temporal, b: &Temporal) -> Result<Ordering, Thrown> {
    match (a.instant(), b.instant()) {
        (Some(x), Some(y)) => Ok(x.cmp(&y)),
        _ => match (&a.kind, &b.kind) {
            (Kind::Time(x), Kind::Time(y)) => Ok(x.cmp(y)),
            _ => match (a.local(), b.local()) {
                (Some(x), Some(y)) => Ok(x.cmp(&y)),
                _ => Err(cce(&Value::Null, "java.time.temporal.Temporal")),
            },
        },
    }
}

fn plus_amount(t: &Temporal, amount: &Temporal, negate: bool) -> Result<Value, Thrown> {
    if let Kind::Period { y, m, d } = amount.kind {
        let sign = if negate { -1 } else { 1 };
        let (y, m, d) = (
            i64::from(y) * sign,
            i64::from(m) * sign,
            i64::from(d) * sign,
        );
        if let Kind::Period { y: a, m: b, d: c } = t.kind {
            return period(i64::from(a) + y, i64::from(b) + m, i64::from(c) + d);
        }
        // Period.addTo: the months (years and months together), then the days.
        let mut cur = Value::Object(Rc::new(t.clone()));
        let months = y * 12 + m;
        if months != 0 {
            cur = plus(&*temporal(&cur)?, months, "MONTHS")?;
        }
        if d != 0 {
            cur = plus(&*temporal(&cur)?, d, "DAYS")?;
        }
        return Ok(cur);
    }
    let n = total_nanos(amount)?;
    let n = if negate { -n } else { n };
    match &t.kind {
        Kind::Duration { sec, nano } => duration(i128::from(*sec), i128::from(*nano) + n),
        _ => {
            // Duration.addTo: seconds then nanos, on the time-line for zoned values.
            let secs = n.div_euclid(1_000_000_000);
            let nanos = n.rem_euclid(1_000_000_000);
            let step = plus(
                t,
                i64::try_from(secs).map_err(|_| exc("ArithmeticException", "long overflow"))?,
                "SECONDS",
            )?;
            if nanos == 0 {
                return Ok(step);
            }
            plus(&*temporal(&step)?, nanos as i64, "NANOS")
        }
    }
}

fn neg(v: i64) -> Result<i64, Thrown> {
    v.checked_neg()
        .ok_or_else(|| exc("ArithmeticException", "long overflow"))
}

fn plus_fn(unit: &'static str) -> super::NativeFn {
    match unit {
        "YEARS" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "YEARS"),
        "MONTHS" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "MONTHS"),
        "WEEKS" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "WEEKS"),
        "DAYS" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "DAYS"),
        "HOURS" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "HOURS"),
        "MINUTES" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "MINUTES"),
        "SECONDS" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "SECONDS"),
        "NANOS" => |t, a, _| plus(&*this(t)?, long_arg(a, 0)?, "NANOS"),
        "-YEARS" => |t, a, _| plus(&*this(t)?, neg(long_arg(a, 0)?)?, "YEARS"),
        "-MONTHS" => |t, a, _| plus(&*this(t)?, neg(long_arg(a, 0)?)?, "MONTHS"),
        "-WEEKS" => |t, a, _| plus(&*this(t)?, neg(long_arg(a, 0)?)?, "WEEKS"),
        "-DAYS" => |t, a, _| plus(&*this(t)?, neg(long_arg(a, 0)?)?, "DAYS"),
        "-HOURS" => |t, a, _| plus(&*this(t)?, neg(long_arg(a, 0)?)?, "HOURS"),
        "-MINUTES" => |t, a, _| plus(&*this(t)?, neg(long_arg(a, 0)?)?, "MINUTES"),
        "-SECONDS" => |t, a, _| plus(&*this(t)?, neg(long_arg(a, 0)?)?, "SECONDS"),
        _ => |t, a, _| plus(&*this(t)?, neg(long_arg(a, 0)?)?, "NANOS"),
    }
}

fn ldt_of(a: &[Value], n: usize) -> Result<Value, Thrown> {
    let get = |i: usize| -> Result<i64, Thrown> {
        if i < n {
            Ok(int_arg(a, i)?.into())
        } else {
            Ok(0)
        }
    };
    let month = match arg(a, 1) {
        Value::Object(_) => i64::from(enum_arg(arg(a, 1), MONTH)?.ordinal + 1),
        _ => get(1)?,
    };
    let day = date_of(get(0)?, month, get(2)?)?;
    let nod = time_of(get(3)?, get(4)?, get(5)?, get(6)?)?;
    Ok(Temporal::value(Kind::DateTime(Ldt { day, nod })))
}

fn month_value(m: i32) -> Value {
    const NAMES: [&str; 12] = [
        "JANUARY",
        "FEBRUARY",
        "MARCH",
        "APRIL",
        "MAY",
        "JUNE",
        "JULY",
        "AUGUST",
        "SEPTEMBER",
        "OCTOBER",
        "NOVEMBER",
        "DECEMBER",
    ];
    enum_value(MONTH, NAMES[(m - 1).clamp(0, 11) as usize], m - 1)
}

fn day_of_week_value(d: i32) -> Value {
    const NAMES: [&str; 7] = [
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
    ];
    enum_value(DAY_OF_WEEK, NAMES[(d - 1).clamp(0, 6) as usize], d - 1)
}

macro_rules! const_fields {
    ($r:expr, $class:expr, $make:ident, [$($name:literal => $v:expr),* $(,)?]) => {
        $( $r.field($class, $name, || $make($v)); )*
    };
}

fn register_enum_fields(r: &mut Registry) {
    const_fields!(r, MONTH, month_value, [
        "JANUARY" => 1, "FEBRUARY" => 2, "MARCH" => 3, "APRIL" => 4, "MAY" => 5, "JUNE" => 6, "JULY" => 7,
        "AUGUST" => 8, "SEPTEMBER" => 9, "OCTOBER" => 10, "NOVEMBER" => 11, "DECEMBER" => 12,
    ]);
    const_fields!(r, DAY_OF_WEEK, day_of_week_value, [
        "MONDAY" => 1, "TUESDAY" => 2, "WEDNESDAY" => 3, "THURSDAY" => 4, "FRIDAY" => 5, "SATURDAY" => 6, "SUNDAY" => 7,
    ]);
    const STYLES: &str = "java.time.format.TextStyle";
    r.field(STYLES, "FULL", || enum_value(STYLES, "FULL", 0));
    r.field(STYLES, "FULL_STANDALONE", || {
        enum_value(STYLES, "FULL_STANDALONE", 1)
    });
    r.field(STYLES, "SHORT", || enum_value(STYLES, "SHORT", 2));
    r.field(STYLES, "SHORT_STANDALONE", || {
        enum_value(STYLES, "SHORT_STANDALONE", 3)
    });
    r.field(STYLES, "NARROW", || enum_value(STYLES, "NARROW", 4));
    r.field(STYLES, "NARROW_STANDALONE", || {
        enum_value(STYLES, "NARROW_STANDALONE", 5)
    });
}

/// Field initialisers need a `fn() -> Value` per constant: these tables map names to them.
fn unit_field(name: &str) -> fn() -> Value {
    macro_rules! units {
        ($($n:literal => $i:literal),*) => {
            match name {
                $( $n => || enum_value(CHRONO_UNIT, $n, $i), )*
                _ => || Value::Null,
            }
        };
    }
    units!("NANOS" => 0, "MICROS" => 1, "MILLIS" => 2, "SECONDS" => 3, "MINUTES" => 4, "HOURS" => 5, "HALF_DAYS" => 6,
        "DAYS" => 7, "WEEKS" => 8, "MONTHS" => 9, "YEARS" => 10, "DECADES" => 11, "CENTURIES" => 12, "MILLENNIA" => 13,
        "ERAS" => 14, "FOREVER" => 15)
}

fn chrono_field_const(name: &str) -> fn() -> Value {
    macro_rules! fields {
        ($($n:literal => $i:literal),*) => {
            match name {
                $( $n => || enum_value(CHRONO_FIELD, $n, $i), )*
                _ => || Value::Null,
            }
        };
    }
    fields!("NANO_OF_SECOND" => 0, "NANO_OF_DAY" => 1, "MICRO_OF_SECOND" => 2, "MICRO_OF_DAY" => 3,
        "MILLI_OF_SECOND" => 4, "MILLI_OF_DAY" => 5, "SECOND_OF_MINUTE" => 6, "SECOND_OF_DAY" => 7,
        "MINUTE_OF_HOUR" => 8, "MINUTE_OF_DAY" => 9, "HOUR_OF_AMPM" => 10, "CLOCK_HOUR_OF_AMPM" => 11,
        "HOUR_OF_DAY" => 12, "CLOCK_HOUR_OF_DAY" => 13, "AMPM_OF_DAY" => 14, "DAY_OF_WEEK" => 15,
        "ALIGNED_DAY_OF_WEEK_IN_MONTH" => 16, "ALIGNED_DAY_OF_WEEK_IN_YEAR" => 17, "DAY_OF_MONTH" => 18,
        "DAY_OF_YEAR" => 19, "EPOCH_DAY" => 20, "ALIGNED_WEEK_OF_MONTH" => 21, "ALIGNED_WEEK_OF_YEAR" => 22,
        "MONTH_OF_YEAR" => 23, "PROLEPTIC_MONTH" => 24, "YEAR_OF_ERA" => 25, "YEAR" => 26, "ERA" => 27,
        "INSTANT_SECONDS" => 28, "OFFSET_SECONDS" => 29)
}

fn locale_field(name: &str) -> fn() -> Value {
    macro_rules! locales {
        ($($n:literal),*) => {
            match name {
                $( $n => || enum_value("java.util.Locale", $n, 0), )*
                _ => || Value::Null,
            }
        };
    }
    locales!(
        "CANADA",
        "CANADA_FRENCH",
        "CHINA",
        "CHINESE",
        "ENGLISH",
        "FRANCE",
        "FRENCH",
        "GERMAN",
        "GERMANY",
        "ITALIAN",
        "ITALY",
        "JAPAN",
        "JAPANESE",
        "KOREA",
        "KOREAN",
        "PRC",
        "PRIVATE_USE_EXTENSION",
        "ROOT",
        "SIMPLIFIED_CHINESE",
        "TAIWAN",
        "TRADITIONAL_CHINESE",
        "UK",
        "US"
    )
}

fn formatter_field(name: &str) -> fn() -> Value {
    macro_rules! fmts {
        ($($n:literal),*) => {
            match name {
                $( $n => || Value::Object(Rc::new(iso_formatter($n).expect("known formatter"))), )*
                _ => || Value::Null,
            }
        };
    }
    fmts!(
        "BASIC_ISO_DATE",
        "ISO_DATE",
        "ISO_DATE_TIME",
        "ISO_INSTANT",
        "ISO_LOCAL_DATE",
        "ISO_LOCAL_DATE_TIME",
        "ISO_LOCAL_TIME",
        "ISO_OFFSET_DATE",
        "ISO_OFFSET_DATE_TIME",
        "ISO_OFFSET_TIME",
        "ISO_ORDINAL_DATE",
        "ISO_TIME",
        "ISO_ZONED_DATE_TIME",
        "RFC_1123_DATE_TIME"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stdlib::tests::{ok, s, thrown};

    fn zone(id: &str) -> Value {
        ok("ZoneId", "of", None, &[s(id)])
    }

    #[allow(clippy::too_many_arguments)]
    fn zdt(y: i32, mo: i32, d: i32, h: i32, mi: i32, sec: i32, n: i32, z: &str) -> Value {
        let args: Vec<Value> = [y, mo, d, h, mi, sec, n]
            .iter()
            .map(|v| Value::Int(*v))
            .chain([zone(z)])
            .collect();
        ok("ZonedDateTime", "of", None, &args)
    }

    #[test]
    fn date_time_tests_of_upstream() {
        // DateTimeTests.java
        let i = ok(
            "Instant",
            "ofEpochMilli",
            None,
            &[Value::Long(434_931_330_000)],
        );
        let z = ok("ZonedDateTime", "ofInstant", None, &[i, zone("Z")]);
        assert_eq!(z.java_to_string(), "1983-10-13T22:15:30Z");
        let z = zdt(1983, 10, 13, 22, 15, 30, 0, "Z");
        let la = ok(
            "ZonedDateTime",
            "withZoneSameInstant",
            Some(z.clone()),
            &[zone("America/Los_Angeles")],
        );
        assert_eq!(
            la.java_to_string(),
            "1983-10-13T15:15:30-07:00[America/Los_Angeles]"
        );
        assert_eq!(
            ok(
                "ZonedDateTime",
                "plusDays",
                Some(z.clone()),
                &[Value::Long(3)]
            )
            .java_to_string(),
            "1983-10-16T22:15:30Z"
        );
        assert_eq!(
            ok(
                "ZonedDateTime",
                "minusMinutes",
                Some(z.clone()),
                &[Value::Long(125)]
            )
            .java_to_string(),
            "1983-10-13T20:10:30Z"
        );
        assert_eq!(
            ok(
                "ZonedDateTime",
                "withYear",
                Some(z.clone()),
                &[Value::Int(1976)]
            )
            .java_to_string(),
            "1976-10-13T22:15:30Z"
        );
        let instant = ok("ZonedDateTime", "toInstant", Some(z.clone()), &[]);
        assert!(matches!(
            ok("Instant", "toEpochMilli", Some(instant), &[]),
            Value::Long(434_931_330_000)
        ));
        let z1 = zdt(1983, 10, 13, 22, 15, 30, 11_000_000, "Z");
        let z2 = zdt(1983, 10, 13, 22, 15, 35, 0, "Z");
        let millis = crate::stdlib::tests::call(
            "ChronoUnit",
            "between",
            Some(enum_value(CHRONO_UNIT, "MILLIS", 2)),
            &[z1.clone(), z2.clone()],
        );
        assert!(matches!(millis, Ok(Value::Long(4989))), "{millis:?}");
        assert_eq!(
            ok("ZonedDateTime", "isAfter", Some(z1), &[z2]).java_to_string(),
            "false"
        );
    }

    #[test]
    fn formats_and_parses_patterns() {
        let f = ok(
            "DateTimeFormatter",
            "ofPattern",
            None,
            &[s("'date:' yyyy/MM/dd 'time:' HH:mm:ss")],
        );
        let z = zdt(1983, 10, 13, 22, 15, 30, 0, "Z");
        assert_eq!(
            ok("ZonedDateTime", "format", Some(z.clone()), &[f]).java_to_string(),
            "date: 1983/10/13 time: 22:15:30"
        );
        let f = ok(
            "DateTimeFormatter",
            "ofPattern",
            None,
            &[s("'custom' 'y' yyyy 'm' MM 'd' dd HH:mm:ss VV")],
        );
        let p = ok(
            "ZonedDateTime",
            "parse",
            None,
            &[s("custom y 1983 m 10 d 13 22:15:30 Z"), f],
        );
        assert_eq!(p.java_to_string(), "1983-10-13T22:15:30Z");
        let rfc = Value::Object(Rc::new(iso_formatter("RFC_1123_DATE_TIME").unwrap()));
        let p = ok(
            "ZonedDateTime",
            "parse",
            None,
            &[s("Thu, 13 Oct 1983 22:15:30 GMT"), rfc.clone()],
        );
        assert_eq!(p.java_to_string(), "1983-10-13T22:15:30Z");
        let la = ok(
            "ZonedDateTime",
            "withZoneSameInstant",
            Some(p),
            &[zone("America/Los_Angeles")],
        );
        assert_eq!(
            ok("ZonedDateTime", "format", Some(la), &[rfc]).java_to_string(),
            "Thu, 13 Oct 1983 15:15:30 -0700"
        );
        let iso = Value::Object(Rc::new(iso_formatter("ISO_INSTANT").unwrap()));
        assert_eq!(
            ok("ZonedDateTime", "format", Some(z), &[iso]).java_to_string(),
            "1983-10-13T22:15:30Z"
        );
        assert_eq!(
            ok("ZonedDateTime", "parse", None, &[s("1983-10-13T22:15:30Z")]).java_to_string(),
            "1983-10-13T22:15:30Z"
        );
        assert_eq!(
            thrown("ZonedDateTime", "parse", None, &[s("1983-13-13T22:15:30Z")]),
            "DateTimeParseException: Text '1983-13-13T22:15:30Z' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13"
        );
        assert_eq!(
            thrown("ZonedDateTime", "parse", None, &[s("nope")]),
            "DateTimeParseException: Text 'nope' could not be parsed at index 0"
        );
    }

    #[test]
    fn syslog_timestamp_of_the_linux_secure_pipeline() {
        let en = enum_value("java.util.Locale", "ENGLISH", 0);
        let f = ok(
            "DateTimeFormatter",
            "ofPattern",
            None,
            &[s("MMM d HH:mm:ss yyyy"), en],
        );
        let ldt = ok(
            "LocalDateTime",
            "parse",
            None,
            &[s("Jan 5 07:08:09 2024"), f],
        );
        assert_eq!(ldt.java_to_string(), "2024-01-05T07:08:09");
        let z = ok(
            "LocalDateTime",
            "atZone",
            Some(ldt),
            &[zone("Europe/Paris")],
        );
        assert_eq!(
            z.java_to_string(),
            "2024-01-05T07:08:09+01:00[Europe/Paris]"
        );
        let now = ok(
            "ZonedDateTime",
            "parse",
            None,
            &[s("2024-01-01T00:00:00.123Z")],
        );
        assert_eq!(now.java_to_string(), "2024-01-01T00:00:00.123Z");
        assert_eq!(
            ok("ZonedDateTime", "isAfter", Some(z.clone()), &[now]).java_to_string(),
            "true"
        );
        let iso = Value::Object(Rc::new(iso_formatter("ISO_OFFSET_DATE_TIME").unwrap()));
        assert_eq!(
            ok("ZonedDateTime", "format", Some(z), &[iso]).java_to_string(),
            "2024-01-05T07:08:09+01:00"
        );
    }

    #[test]
    fn fields_and_adjusters() {
        let z = zdt(2024, 2, 14, 10, 30, 0, 0, "Z");
        let dom = enum_value(CHRONO_FIELD, "DAY_OF_MONTH", 18);
        assert_eq!(
            ok("ZonedDateTime", "get", Some(z.clone()), &[dom]).java_to_string(),
            "14"
        );
        let epoch = enum_value(CHRONO_FIELD, "EPOCH_DAY", 20);
        assert_eq!(
            thrown("ZonedDateTime", "get", Some(z.clone()), std::slice::from_ref(&epoch)),
            "UnsupportedTemporalTypeException: Invalid field 'EpochDay' for get() method, use getLong() instead"
        );
        assert_eq!(
            ok("ZonedDateTime", "getLong", Some(z.clone()), &[epoch]).java_to_string(),
            "19767"
        );
        let last = ok("TemporalAdjusters", "lastDayOfMonth", None, &[]);
        assert_eq!(
            ok("ZonedDateTime", "with", Some(z.clone()), &[last]).java_to_string(),
            "2024-02-29T10:30Z"
        );
        let next_mon = ok("TemporalAdjusters", "next", None, &[day_of_week_value(1)]);
        assert_eq!(
            ok("ZonedDateTime", "with", Some(z.clone()), &[next_mon]).java_to_string(),
            "2024-02-19T10:30Z"
        );
        let first_fri = ok(
            "TemporalAdjusters",
            "firstInMonth",
            None,
            &[day_of_week_value(5)],
        );
        assert_eq!(
            ok("ZonedDateTime", "with", Some(z), &[first_fri]).java_to_string(),
            "2024-02-02T10:30Z"
        );
    }

    #[test]
    fn parse_with_a_query() {
        let f = ok(
            "DateTimeFormatter",
            "ofPattern",
            None,
            &[s("yyyy-MM-dd HH:mm")],
        );
        let parsed = ok(
            "DateTimeFormatter",
            "parse",
            Some(f.clone()),
            &[s("2024-05-06 07:08")],
        );
        assert_eq!(
            parsed.java_to_string(),
            "{},ISO resolved to 2024-05-06T07:08"
        );
        let ldt = ok("LocalDateTime", "from", None, &[parsed]);
        assert_eq!(ldt.java_to_string(), "2024-05-06T07:08");
        assert_eq!(
            thrown("ZonedDateTime", "from", None, &[ldt]),
            "DateTimeException: Unable to obtain ZonedDateTime from TemporalAccessor: 2024-05-06T07:08 of type java.time.LocalDateTime"
        );
    }

    #[test]
    fn document_values_as_xcontent_writes_them() {
        let z = zdt(2024, 1, 2, 3, 4, 0, 0, "Europe/Paris");
        let Value::Object(o) = &z else { panic!() };
        assert_eq!(
            o.to_document_value().map(|v| v.java_to_string()).as_deref(),
            Some("2024-01-02T03:04:00.000+01:00")
        );
        let i = ok(
            "Instant",
            "ofEpochSecond",
            None,
            &[Value::Long(1), Value::Long(120_000)],
        );
        let Value::Object(o) = &i else { panic!() };
        assert_eq!(
            o.to_document_value().map(|v| v.java_to_string()).as_deref(),
            Some("1970-01-01T00:00:01.00012Z")
        );
    }

    /// Another crate's object that says it is a `ZonedDateTime` (the ingest engine's
    /// `_ingest.timestamp`) is read back from its `toString`.
    #[test]
    fn foreign_zoned_date_times_are_understood() {
        struct Foreign;
        impl JavaObject for Foreign {
            fn class_name(&self) -> &str {
                "java.time.ZonedDateTime"
            }
            fn as_any(&self) -> &dyn Any {
                self
            }
            fn java_to_string(&self) -> String {
                "2024-03-04T05:06:07.123456Z".into()
            }
        }
        let v = Value::Object(Rc::new(Foreign));
        assert_eq!(
            ok("ZonedDateTime", "getYear", Some(v.clone()), &[]).java_to_string(),
            "2024"
        );
        let later = ok("ZonedDateTime", "plusHours", Some(v), &[Value::Long(1)]);
        assert_eq!(later.java_to_string(), "2024-03-04T06:06:07.123456Z");
    }

    #[test]
    fn locales() {
        let l = ok("Locale", "new", None, &[s("EN"), s("us")]);
        assert_eq!(l.java_to_string(), "en_US");
        assert_eq!(
            ok("Locale", "toLanguageTag", Some(l.clone()), &[]).java_to_string(),
            "en-US"
        );
        let root = locale_field("ROOT")();
        assert_eq!(
            ok("Locale", "toLanguageTag", Some(root), &[]).java_to_string(),
            "und"
        );
        let de = ok("Locale", "new", None, &[s("de")]);
        let f = crate::stdlib::tests::call("DateTimeFormatter", "ofPattern", None, &[s("MMM"), de]);
        assert!(matches!(f, Err(Thrown::Unsupported(_))));
        assert!(
            crate::stdlib::tests::call("DateTimeFormatter", "ofPattern", None, &[s("MMM"), l])
                .is_ok()
        );
    }

    #[test]
    fn periods() {
        let a = ok("LocalDate", "of", None, &[2024, 1, 31].map(Value::Int));
        let b = ok("LocalDate", "of", None, &[2024, 3, 1].map(Value::Int));
        let p = ok("Period", "between", None, &[a.clone(), b]);
        assert_eq!(p.java_to_string(), "P1M1D");
        assert_eq!(
            ok("Period", "parse", None, &[s("P1Y2W")]).java_to_string(),
            "P1Y14D"
        );
        let plus = ok(
            "LocalDate",
            "plus",
            Some(a),
            &[ok("Period", "ofMonths", None, &[Value::Int(1)])],
        );
        assert_eq!(plus.java_to_string(), "2024-02-29");
        assert_eq!(
            ok("Period", "ofDays", None, &[Value::Int(0)]).java_to_string(),
            "P0D"
        );
    }

    #[test]
    fn gaps_and_durations() {
        // 2024-03-31 02:30 does not exist in Paris: Java moves it forward by the gap.
        let ldt = ok(
            "LocalDateTime",
            "of",
            None,
            &[2024, 3, 31, 2, 30].map(Value::Int),
        );
        let z = ok(
            "LocalDateTime",
            "atZone",
            Some(ldt),
            &[zone("Europe/Paris")],
        );
        assert_eq!(z.java_to_string(), "2024-03-31T03:30+02:00[Europe/Paris]");
        let d = ok("Duration", "ofMillis", None, &[Value::Long(-1500)]);
        assert_eq!(d.java_to_string(), "PT-1.5S");
        assert_eq!(
            ok("Duration", "ofHours", None, &[Value::Long(25)]).java_to_string(),
            "PT25H"
        );
        assert_eq!(
            ok("Duration", "parse", None, &[s("PT1H30M")]).java_to_string(),
            "PT1H30M"
        );
        assert_eq!(
            thrown("ZoneId", "of", None, &[s("Mars/Olympus")]),
            "ZoneRulesException: Unknown time-zone ID: Mars/Olympus"
        );
        assert_eq!(zone("+2").java_to_string(), "+02:00");
        assert_eq!(zone("UTC").java_to_string(), "UTC");
    }
}

// ---------------------------------------------------------------------------------------------
// Year and YearMonth

/// `java.time.Year` (`month == 0`) and `java.time.YearMonth`.
pub struct JYearMonth {
    year: i64,
    month: i64,
}

impl JYearMonth {
    fn value(year: i64, month: i64) -> Value {
        Value::Object(Rc::new(JYearMonth { year, month }))
    }
    fn is_year(&self) -> bool {
        self.month == 0
    }
}

impl JavaObject for JYearMonth {
    fn class_name(&self) -> &str {
        if self.is_year() {
            "java.time.Year"
        } else {
            "java.time.YearMonth"
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        if self.is_year() {
            return self.year.to_string();
        }
        // YearMonth.toString: the year with at least four digits (no '+'), then -MM.
        let y = if self.year.abs() < 1000 {
            if self.year < 0 {
                format!("-{:04}", -self.year)
            } else {
                format!("{:04}", self.year)
            }
        } else {
            self.year.to_string()
        };
        format!("{y}-{:02}", self.month)
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        other
            .as_any()
            .downcast_ref::<JYearMonth>()
            .is_some_and(|o| o.year == self.year && o.month == self.month)
    }
    fn java_hash_code(&self) -> i32 {
        (self.year as i32) ^ ((self.month as i32) << 27)
    }
    fn to_document_value(&self) -> Option<Value> {
        Some(Value::from(self.java_to_string()))
    }
}

fn year_month(v: &Value) -> Result<&JYearMonth, Thrown> {
    match v {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<JYearMonth>()
            .ok_or_else(|| cce(v, "java.time.YearMonth")),
        Value::Null => Err(npe()),
        other => Err(cce(other, "java.time.YearMonth")),
    }
}

fn ym_plus_months(ym: &JYearMonth, n: i64) -> Result<Value, Thrown> {
    let total = ym.year * 12 + (ym.month - 1) + n;
    let y = check("Year", total.div_euclid(12), -MAX_YEAR, MAX_YEAR)?;
    Ok(JYearMonth::value(y, total.rem_euclid(12) + 1))
}

/// Formats a Year or YearMonth: only year (and month) fields can be printed.
fn ym_format(ym: &JYearMonth, f: &Formatter) -> Result<String, Thrown> {
    let Spec::Pattern(toks) = &f.spec else {
        return Err(exc(
            "UnsupportedTemporalTypeException",
            "Unsupported field: DayOfMonth",
        ));
    };
    fn check_toks(toks: &[Tok], year_only: bool) -> Result<(), Thrown> {
        for t in toks {
            let field = match t {
                Tok::Num { field, .. } | Tok::Reduced { field } | Tok::Text { field, .. } => {
                    Some(field)
                }
                Tok::Optional(inner) => {
                    check_toks(inner, year_only)?;
                    None
                }
                Tok::Lit(_) => None,
                Tok::Fraction { .. } => {
                    return Err(exc(
                        "UnsupportedTemporalTypeException",
                        "Unsupported field: NanoOfSecond",
                    ))
                }
                _ => {
                    return Err(exc(
                        "UnsupportedTemporalTypeException",
                        "Unsupported field: OffsetSeconds",
                    ))
                }
            };
            if let Some(field) = field {
                let ok = matches!(field, Field::Year | Field::YearOfEra | Field::Era)
                    || (!year_only && matches!(field, Field::Month));
                if !ok {
                    return Err(exc(
                        "UnsupportedTemporalTypeException",
                        format!("Unsupported field: {}", field_name(field)),
                    ));
                }
            }
        }
        Ok(())
    }
    check_toks(toks, ym.is_year())?;
    let day = days_from_civil(ym.year, ym.month.max(1), 1);
    let fl = Fields {
        date: Some(day),
        time: None,
        offset: None,
        zone: None,
        instant: None,
    };
    let mut out = String::new();
    format_toks(toks, &fl, &mut out)?;
    Ok(out)
}

pub(crate) fn register_year_month(r: &mut Registry) {
    const YEAR: &str = "java.time.Year";
    const YM: &str = "java.time.YearMonth";
    r.field(YEAR, "MIN_VALUE", || Value::Int(-999_999_999));
    r.field(YEAR, "MAX_VALUE", || Value::Int(999_999_999));
    r.add(YEAR, "of", 1, |_, a, _| {
        Ok(JYearMonth::value(
            check("Year", int_arg(a, 0)?.into(), -MAX_YEAR, MAX_YEAR)?,
            0,
        ))
    });
    r.add(YEAR, "parse", 1, |_, a, _| {
        let text = chars_arg(a, 0)?;
        let fail = || {
            exc(
                "DateTimeParseException",
                format!("Text '{text}' could not be parsed at index 0"),
            )
        };
        let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
        if digits.len() < 4
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || (text.starts_with('+') && digits.len() <= 4)
        {
            return Err(fail());
        }
        let y: i64 = text.parse().map_err(|_| fail())?;
        Ok(JYearMonth::value(y, 0))
    });
    r.add(YEAR, "getValue", 0, |t, _, _| {
        Ok(Value::Int(year_month(recv(t)?)?.year as i32))
    });
    r.add(YEAR, "isLeap", 0, |t, _, _| {
        Ok(Value::Boolean(is_leap(year_month(recv(t)?)?.year)))
    });
    r.add(YEAR, "isLeap", 1, |_, a, _| {
        Ok(Value::Boolean(is_leap(long_arg(a, 0)?)))
    });
    r.add(YEAR, "length", 0, |t, _, _| {
        Ok(Value::Int(if is_leap(year_month(recv(t)?)?.year) {
            366
        } else {
            365
        }))
    });
    r.add(YEAR, "atDay", 1, |t, a, _| {
        let y = year_month(recv(t)?)?.year;
        let d = check(
            "DayOfYear",
            int_arg(a, 0)?.into(),
            1,
            if is_leap(y) { 366 } else { 365 },
        )?;
        Ok(Temporal::value(Kind::Date(
            days_from_civil(y, 1, 1) + d - 1,
        )))
    });
    r.add(YEAR, "atMonth", 1, |t, a, _| {
        let y = year_month(recv(t)?)?.year;
        let m = match arg(a, 0) {
            Value::Object(_) => i64::from(enum_arg(arg(a, 0), MONTH)?.ordinal + 1),
            _ => check("MonthOfYear", int_arg(a, 0)?.into(), 1, 12)?,
        };
        Ok(JYearMonth::value(y, m))
    });
    r.add(YEAR, "plusYears", 1, |t, a, _| {
        Ok(JYearMonth::value(
            check(
                "Year",
                year_month(recv(t)?)?.year + long_arg(a, 0)?,
                -MAX_YEAR,
                MAX_YEAR,
            )?,
            0,
        ))
    });
    r.add(YEAR, "minusYears", 1, |t, a, _| {
        Ok(JYearMonth::value(
            check(
                "Year",
                year_month(recv(t)?)?.year - long_arg(a, 0)?,
                -MAX_YEAR,
                MAX_YEAR,
            )?,
            0,
        ))
    });
    r.add(YM, "of", 2, |_, a, _| {
        let y = check("Year", int_arg(a, 0)?.into(), -MAX_YEAR, MAX_YEAR)?;
        let m = match arg(a, 1) {
            Value::Object(_) => i64::from(enum_arg(arg(a, 1), MONTH)?.ordinal + 1),
            _ => check("MonthOfYear", int_arg(a, 1)?.into(), 1, 12)?,
        };
        Ok(JYearMonth::value(y, m))
    });
    r.add(YM, "parse", 1, |_, a, _| {
        let text = chars_arg(a, 0)?;
        let fail = || {
            exc(
                "DateTimeParseException",
                format!("Text '{text}' could not be parsed at index 0"),
            )
        };
        let (y, m) = text.rsplit_once('-').ok_or_else(fail)?;
        if m.len() != 2 || y.trim_start_matches(['+', '-']).len() < 4 {
            return Err(fail());
        }
        let y: i64 = y.parse().map_err(|_| fail())?;
        let m: i64 = m.parse().map_err(|_| fail())?;
        check("MonthOfYear", m, 1, 12).map_err(|e| match e {
            Thrown::Exception(x) => exc(
                "DateTimeParseException",
                format!(
                    "Text '{text}' could not be parsed: {}",
                    x.message.unwrap_or_default()
                ),
            ),
            other => other,
        })?;
        Ok(JYearMonth::value(y, m))
    });
    r.add(YM, "getYear", 0, |t, _, _| {
        Ok(Value::Int(year_month(recv(t)?)?.year as i32))
    });
    r.add(YM, "getMonthValue", 0, |t, _, _| {
        Ok(Value::Int(year_month(recv(t)?)?.month as i32))
    });
    r.add(YM, "getMonth", 0, |t, _, _| {
        Ok(month_value(year_month(recv(t)?)?.month as i32))
    });
    r.add(YM, "isLeapYear", 0, |t, _, _| {
        Ok(Value::Boolean(is_leap(year_month(recv(t)?)?.year)))
    });
    r.add(YM, "lengthOfMonth", 0, |t, _, _| {
        let ym = year_month(recv(t)?)?;
        Ok(Value::Int(month_length(ym.year, ym.month) as i32))
    });
    r.add(YM, "lengthOfYear", 0, |t, _, _| {
        Ok(Value::Int(if is_leap(year_month(recv(t)?)?.year) {
            366
        } else {
            365
        }))
    });
    r.add(YM, "isValidDay", 1, |t, a, _| {
        let ym = year_month(recv(t)?)?;
        let d = i64::from(int_arg(a, 0)?);
        Ok(Value::Boolean(
            d >= 1 && d <= month_length(ym.year, ym.month),
        ))
    });
    r.add(YM, "atDay", 1, |t, a, _| {
        let ym = year_month(recv(t)?)?;
        Ok(Temporal::value(Kind::Date(date_of(
            ym.year,
            ym.month,
            int_arg(a, 0)?.into(),
        )?)))
    });
    r.add(YM, "atEndOfMonth", 0, |t, _, _| {
        let ym = year_month(recv(t)?)?;
        Ok(Temporal::value(Kind::Date(days_from_civil(
            ym.year,
            ym.month,
            month_length(ym.year, ym.month),
        ))))
    });
    r.add(YM, "plusMonths", 1, |t, a, _| {
        ym_plus_months(year_month(recv(t)?)?, long_arg(a, 0)?)
    });
    r.add(YM, "minusMonths", 1, |t, a, _| {
        ym_plus_months(year_month(recv(t)?)?, -long_arg(a, 0)?)
    });
    r.add(YM, "plusYears", 1, |t, a, _| {
        ym_plus_months(year_month(recv(t)?)?, long_arg(a, 0)? * 12)
    });
    r.add(YM, "minusYears", 1, |t, a, _| {
        ym_plus_months(year_month(recv(t)?)?, -long_arg(a, 0)? * 12)
    });
    r.add(YM, "withYear", 1, |t, a, _| {
        let ym = year_month(recv(t)?)?;
        Ok(JYearMonth::value(
            check("Year", int_arg(a, 0)?.into(), -MAX_YEAR, MAX_YEAR)?,
            ym.month,
        ))
    });
    r.add(YM, "withMonth", 1, |t, a, _| {
        let ym = year_month(recv(t)?)?;
        Ok(JYearMonth::value(
            ym.year,
            check("MonthOfYear", int_arg(a, 0)?.into(), 1, 12)?,
        ))
    });
    for class in [YEAR, YM] {
        r.add(class, "compareTo", 1, |t, a, _| {
            let (x, y) = (year_month(recv(t)?)?, year_month(arg(a, 0))?);
            Ok(Value::Int(
                match (x.year, x.month).cmp(&(y.year, y.month)) {
                    Ordering::Less => -1,
                    Ordering::Equal => 0,
                    Ordering::Greater => 1,
                },
            ))
        });
        r.add(class, "isAfter", 1, |t, a, _| {
            let (x, y) = (year_month(recv(t)?)?, year_month(arg(a, 0))?);
            Ok(Value::Boolean((x.year, x.month) > (y.year, y.month)))
        });
        r.add(class, "isBefore", 1, |t, a, _| {
            let (x, y) = (year_month(recv(t)?)?, year_month(arg(a, 0))?);
            Ok(Value::Boolean((x.year, x.month) < (y.year, y.month)))
        });
        r.add(class, "format", 1, |t, a, _| {
            Ok(Value::from(ym_format(
                year_month(recv(t)?)?,
                formatter_arg(a, 0)?,
            )?))
        });
    }
}

#[cfg(test)]
mod year_month_tests {
    use super::*;
    use crate::stdlib::tests::{ok, s, thrown};

    #[test]
    fn years_and_year_months() {
        let ym = ok("YearMonth", "of", None, &[Value::Int(2024), Value::Int(2)]);
        assert_eq!(ym.java_to_string(), "2024-02");
        assert_eq!(
            ok("YearMonth", "atEndOfMonth", Some(ym.clone()), &[]).java_to_string(),
            "2024-02-29"
        );
        assert_eq!(
            ok(
                "YearMonth",
                "plusMonths",
                Some(ym.clone()),
                &[Value::Long(11)]
            )
            .java_to_string(),
            "2025-01"
        );
        let f = ok("DateTimeFormatter", "ofPattern", None, &[s("yyyy/MM")]);
        assert_eq!(
            ok("YearMonth", "format", Some(ym.clone()), &[f]).java_to_string(),
            "2024/02"
        );
        let fd = ok("DateTimeFormatter", "ofPattern", None, &[s("yyyy-MM-dd")]);
        assert_eq!(
            thrown("YearMonth", "format", Some(ym), &[fd]),
            "UnsupportedTemporalTypeException: Unsupported field: DayOfMonth"
        );
        let y = ok("Year", "of", None, &[Value::Int(2023)]);
        assert_eq!(
            ok("Year", "isLeap", Some(y.clone()), &[]).java_to_string(),
            "false"
        );
        assert_eq!(
            ok("Year", "atDay", Some(y), &[Value::Int(60)]).java_to_string(),
            "2023-03-01"
        );
        assert!(thrown("YearMonth", "parse", None, &[s("2024-13")])
            .starts_with("DateTimeParseException: Text '2024-13' could not be parsed"));
    }
}
