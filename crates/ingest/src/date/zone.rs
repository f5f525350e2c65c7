//! `java.time.ZoneId` and `ZonedDateTime` as far as the date processors use them, on jiff with
//! its bundled time zone database (deterministic zone names and rules).

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

use super::DateError;

/// A `ZoneId`: a fixed `ZoneOffset` or a region (`ZoneRegion`, e.g. `Europe/Amsterdam`, `UTC`).
#[derive(Clone, Debug)]
pub enum Zone {
    /// `ZoneOffset`, total seconds east of UTC.
    Offset(i32),
    /// `ZoneRegion`: the id as written and its rules.
    Region(String, TimeZone),
}

impl PartialEq for Zone {
    /// `ZoneId.equals`: offsets by value, regions by id; an offset never equals a region.
    fn eq(&self, other: &Zone) -> bool {
        match (self, other) {
            (Zone::Offset(a), Zone::Offset(b)) => a == b,
            (Zone::Region(a, _), Zone::Region(b, _)) => a == b,
            _ => false,
        }
    }
}

impl Zone {
    /// `ZoneOffset.UTC`.
    pub const UTC: Zone = Zone::Offset(0);

    pub fn is_offset_utc(&self) -> bool {
        matches!(self, Zone::Offset(0))
    }

    /// `ZoneId.getId()`.
    pub fn id(&self) -> String {
        match self {
            Zone::Offset(secs) => offset_id(*secs),
            Zone::Region(id, _) => id.clone(),
        }
    }

    /// `ZoneId.of(id)` (java.time.ZoneId): `Z` and `+hh:mm` offsets, `UTC`/`GMT`/`UT` with an
    /// optional offset, and region ids of the time zone database.
    pub fn of(id: &str) -> Result<Zone, DateError> {
        if id.len() <= 1 || id.starts_with('+') || id.starts_with('-') {
            return parse_offset(id).map(Zone::Offset);
        }
        for prefix in ["UTC", "GMT", "UT"] {
            if let Some(rest) = id.strip_prefix(prefix) {
                if rest.is_empty() {
                    return Ok(Zone::Region(id.to_string(), TimeZone::UTC));
                }
                if rest.starts_with('+') || rest.starts_with('-') {
                    let secs = parse_offset(rest).map_err(|_| {
                        DateError::datetime(format!("Invalid ID for offset-based ZoneId: {id}"))
                    })?;
                    let normalized = if secs == 0 {
                        prefix.to_string()
                    } else {
                        format!("{prefix}{}", offset_id(secs))
                    };
                    return Ok(Zone::Region(normalized, fixed(secs)));
                }
            }
        }
        // ZoneRegion.checkName: [A-Za-z][A-Za-z0-9~/._+-]+
        let bytes = id.as_bytes();
        let valid = bytes.len() >= 2
            && bytes[0].is_ascii_alphabetic()
            && bytes[1..]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"~/._+-".contains(b));
        if !valid {
            return Err(DateError::datetime(format!(
                "Invalid ID for region-based ZoneId, invalid format: {id}"
            )));
        }
        match TimeZone::get(id) {
            // jiff resolves names case-insensitively; java.time's ids are case-sensitive.
            Ok(tz) if tz.iana_name().is_some_and(|n| n == id) => {
                Ok(Zone::Region(id.to_string(), tz))
            }
            _ => Err(DateError::zone_rules(format!("Unknown time-zone ID: {id}"))),
        }
    }

    fn time_zone(&self) -> TimeZone {
        match self {
            Zone::Offset(secs) => fixed(*secs),
            Zone::Region(_, tz) => tz.clone(),
        }
    }
}

fn fixed(secs: i32) -> TimeZone {
    TimeZone::fixed(Offset::from_seconds(secs).unwrap_or(Offset::UTC))
}

/// `ZoneOffset.getId()`: `Z`, `+01:00`, `+01:00:30`.
pub fn offset_id(secs: i32) -> String {
    if secs == 0 {
        return "Z".to_string();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, (a / 60) % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

/// `ZoneOffset.of(String)`.
fn parse_offset(id: &str) -> Result<i32, DateError> {
    if id == "Z" {
        return Ok(0);
    }
    let bad = || DateError::datetime(format!("Invalid ID for ZoneOffset, invalid format: {id}"));
    let b = id.as_bytes();
    if b.is_empty() || !(b[0] == b'+' || b[0] == b'-') {
        return Err(bad());
    }
    let digits = |s: &[u8]| -> Option<i32> {
        if s.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(s).ok()?.parse().ok()
        } else {
            None
        }
    };
    let rest = &b[1..];
    let (h, m, s) = match rest.len() {
        1 | 2 => (digits(rest).ok_or_else(bad)?, 0, 0),
        4 => (
            digits(&rest[0..2]).ok_or_else(bad)?,
            digits(&rest[2..4]).ok_or_else(bad)?,
            0,
        ),
        5 if rest[2] == b':' => (
            digits(&rest[0..2]).ok_or_else(bad)?,
            digits(&rest[3..5]).ok_or_else(bad)?,
            0,
        ),
        6 => (
            digits(&rest[0..2]).ok_or_else(bad)?,
            digits(&rest[2..4]).ok_or_else(bad)?,
            digits(&rest[4..6]).ok_or_else(bad)?,
        ),
        8 if rest[2] == b':' && rest[5] == b':' => (
            digits(&rest[0..2]).ok_or_else(bad)?,
            digits(&rest[3..5]).ok_or_else(bad)?,
            digits(&rest[6..8]).ok_or_else(bad)?,
        ),
        _ => return Err(bad()),
    };
    if h > 18 {
        return Err(DateError::datetime(format!(
            "Zone offset hours not in valid range: value {h} is not in the range -18 to 18"
        )));
    }
    if m > 59 {
        return Err(DateError::datetime(format!(
            "Zone offset minutes not in valid range: value {m} is not in the range -59 to 59"
        )));
    }
    if s > 59 {
        return Err(DateError::datetime(format!(
            "Zone offset seconds not in valid range: value {s} is not in the range -59 to 59"
        )));
    }
    let total = h * 3600 + m * 60 + s;
    if total > 18 * 3600 {
        return Err(DateError::datetime(
            "Zone offset not in valid range: -18:00 to +18:00".to_string(),
        ));
    }
    Ok(if b[0] == b'-' { -total } else { total })
}

/// A `ZonedDateTime`: local date-time, its offset and its zone.
#[derive(Clone, Debug)]
pub struct Zdt {
    pub local: DateTime,
    pub offset: i32,
    pub zone: Zone,
}

impl Zdt {
    /// `ZonedDateTime.of(local, zone)` / `ofLocal(local, zone, null)`: in a gap the time moves
    /// forward by the gap's length, in an overlap the earlier offset is taken.
    pub fn of_local(local: DateTime, zone: &Zone) -> Result<Zdt, DateError> {
        match zone {
            Zone::Offset(secs) => Ok(Zdt {
                local,
                offset: *secs,
                zone: zone.clone(),
            }),
            Zone::Region(_, tz) => {
                let zoned = tz
                    .to_ambiguous_zoned_datetime(local)
                    .compatible()
                    .map_err(|e| DateError::datetime(e.to_string()))?;
                Ok(Zdt {
                    local: zoned.datetime(),
                    offset: zoned.offset().seconds(),
                    zone: zone.clone(),
                })
            }
        }
    }

    /// `Instant.atZone(zone)`.
    pub fn of_instant(ts: Timestamp, zone: &Zone) -> Zdt {
        let tz = zone.time_zone();
        let offset = tz.to_offset(ts);
        Zdt {
            local: offset.to_datetime(ts),
            offset: offset.seconds(),
            zone: zone.clone(),
        }
    }

    pub fn timestamp(&self) -> Result<Timestamp, DateError> {
        let off =
            Offset::from_seconds(self.offset).map_err(|e| DateError::datetime(e.to_string()))?;
        off.to_timestamp(self.local)
            .map_err(|e| DateError::datetime(e.to_string()))
    }

    /// `withZoneSameInstant(zone)`.
    pub fn with_zone_same_instant(&self, zone: &Zone) -> Result<Zdt, DateError> {
        Ok(Zdt::of_instant(self.timestamp()?, zone))
    }

    /// `withZoneSameLocal(zone)`.
    pub fn with_zone_same_local(&self, zone: &Zone) -> Result<Zdt, DateError> {
        Zdt::of_local(self.local, zone)
    }

    /// Epoch milliseconds (`toInstant().toEpochMilli()`).
    pub fn epoch_millis(&self) -> Result<i64, DateError> {
        Ok(self.timestamp()?.as_millisecond())
    }
}
