//! Fast, allocation-free time formatting for the generator (civil dates from epoch milliseconds;
//! jiff parses `--at`, this writes the millions of timestamps the events carry).

use std::fmt::Write as _;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A UTC civil time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
    pub(crate) milli: u32,
}

/// Days since 1970-01-01 to (year, month, day), Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl Civil {
    pub(crate) fn from_ms(ms: i64) -> Civil {
        let secs = ms.div_euclid(1000);
        let milli = ms.rem_euclid(1000) as u32;
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: sod / 3600,
            minute: sod / 60 % 60,
            second: sod % 60,
            milli,
        }
    }
}

/// `2026-11-26T09:01:12Z` (CloudTrail `eventTime`, EventBridge `time`).
pub(crate) fn iso(out: &mut String, ms: i64) {
    let c = Civil::from_ms(ms);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    );
}

/// `2026-11-26T09:01:12.123Z` (GuardDuty and Security Hub times).
pub(crate) fn iso_ms(out: &mut String, ms: i64) {
    let c = Civil::from_ms(ms);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.milli
    );
}

/// `26/Nov/2026:09:01:12 +0000` (Apache `%t` and nginx `$time_local` without the brackets).
pub(crate) fn clf(out: &mut String, ms: i64) {
    let c = Civil::from_ms(ms);
    let _ = write!(
        out,
        "{:02}/{}/{:04}:{:02}:{:02}:{:02} +0000",
        c.day,
        MONTHS[c.month as usize - 1],
        c.year,
        c.hour,
        c.minute,
        c.second
    );
}

/// `Nov  3 04:10:01` (rsyslog's traditional file format: the day padded with a space).
pub(crate) fn syslog(out: &mut String, ms: i64) {
    let c = Civil::from_ms(ms);
    let _ = write!(
        out,
        "{} {:>2} {:02}:{:02}:{:02}",
        MONTHS[c.month as usize - 1],
        c.day,
        c.hour,
        c.minute,
        c.second
    );
}

/// The index suffix of an event time: `2026-11`.
pub(crate) fn month_suffix(ms: i64) -> (i64, u32) {
    let c = Civil::from_ms(ms);
    (c.year, c.month)
}

/// CloudTrail's `createDate` of an access key in `responseElements`: `Nov 26, 2026, 9:04:39 AM`.
pub(crate) fn cloudtrail_create_date(out: &mut String, ms: i64) {
    let c = Civil::from_ms(ms);
    let (h12, ampm) = match c.hour {
        0 => (12, "AM"),
        1..=11 => (c.hour, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    let _ = write!(
        out,
        "{} {}, {}, {}:{:02}:{:02} {}",
        MONTHS[c.month as usize - 1],
        c.day,
        c.year,
        h12,
        c.minute,
        c.second,
        ampm
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        text.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn formats_agree_with_jiff() {
        for t in [
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59.999Z",
            "2026-11-03T04:10:01.007Z",
            "2026-12-31T12:00:00Z",
            "2028-02-29T01:02:03Z",
        ] {
            let ts: jiff::Timestamp = t.parse().unwrap();
            let mut out = String::new();
            iso_ms(&mut out, ms(t));
            assert_eq!(out, ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
            out.clear();
            clf(&mut out, ms(t));
            assert_eq!(out, ts.strftime("%d/%b/%Y:%H:%M:%S +0000").to_string());
        }
        let mut out = String::new();
        syslog(&mut out, ms("2026-11-03T04:10:01Z"));
        assert_eq!(out, "Nov  3 04:10:01");
        out.clear();
        cloudtrail_create_date(&mut out, ms("2026-11-26T21:04:39Z"));
        assert_eq!(out, "Nov 26, 2026, 9:04:39 PM");
    }
}
