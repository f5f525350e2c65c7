//! Fast, allocation-free time formatting for the generator (civil dates from epoch milliseconds;
//! jiff parses `--at`, this writes the millions of timestamps the events carry).

use std::fmt::Write as _;

use super::text::padded;

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

/// `2026-11-26T09:01:12` (the date and time of day, shared by the ISO formats).
fn iso_seconds(out: &mut String, c: &Civil) {
    year(out, c.year);
    out.push('-');
    padded(out, c.month.into(), 2);
    out.push('-');
    padded(out, c.day.into(), 2);
    out.push('T');
    time_of_day(out, c);
}

/// `09:01:12`.
fn time_of_day(out: &mut String, c: &Civil) {
    padded(out, c.hour.into(), 2);
    out.push(':');
    padded(out, c.minute.into(), 2);
    out.push(':');
    padded(out, c.second.into(), 2);
}

/// The year as `{:04}` writes it.
fn year(out: &mut String, year: i64) {
    if year < 0 {
        let _ = write!(out, "{year:04}");
    } else {
        padded(out, year.unsigned_abs(), 4);
    }
}

/// `2026-11-26T09:01:12Z` (CloudTrail `eventTime`, EventBridge `time`).
pub(crate) fn iso(out: &mut String, ms: i64) {
    iso_seconds(out, &Civil::from_ms(ms));
    out.push('Z');
}

/// `2026-11-26T09:01:12.123Z` (GuardDuty and Security Hub times).
pub(crate) fn iso_ms(out: &mut String, ms: i64) {
    let c = Civil::from_ms(ms);
    iso_seconds(out, &c);
    out.push('.');
    padded(out, c.milli.into(), 3);
    out.push('Z');
}

/// `26/Nov/2026:09:01:12 +0000` (Apache `%t` and nginx `$time_local` without the brackets).
pub(crate) fn clf(out: &mut String, ms: i64) {
    let c = Civil::from_ms(ms);
    padded(out, c.day.into(), 2);
    out.push('/');
    out.push_str(MONTHS[c.month as usize - 1]);
    out.push('/');
    year(out, c.year);
    out.push(':');
    time_of_day(out, &c);
    out.push_str(" +0000");
}

/// `Nov  3 04:10:01` (rsyslog's traditional file format: the day padded with a space).
pub(crate) fn syslog(out: &mut String, ms: i64) {
    let c = Civil::from_ms(ms);
    out.push_str(MONTHS[c.month as usize - 1]);
    out.push_str(if c.day < 10 { "  " } else { " " });
    padded(out, c.day.into(), 1);
    out.push(' ');
    time_of_day(out, &c);
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
        // every hour of two years, at odd milliseconds: the hand-written digits agree with jiff
        let start = ms("2027-12-30T00:00:00Z");
        for h in 0..(2 * 366 * 24) {
            let t = start + h * 3_600_000 + h * 7_919 % 3_600_000 + h % 1000;
            let ts = jiff::Timestamp::from_millisecond(t).unwrap();
            let mut out = String::new();
            iso_ms(&mut out, t);
            assert_eq!(out, ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
            out.clear();
            iso(&mut out, t);
            assert_eq!(out, ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
            out.clear();
            clf(&mut out, t);
            assert_eq!(out, ts.strftime("%d/%b/%Y:%H:%M:%S +0000").to_string());
            out.clear();
            syslog(&mut out, t);
            assert_eq!(out, ts.strftime("%b %e %H:%M:%S").to_string());
        }
        let mut out = String::new();
        syslog(&mut out, ms("2026-11-03T04:10:01Z"));
        assert_eq!(out, "Nov  3 04:10:01");
        out.clear();
        cloudtrail_create_date(&mut out, ms("2026-11-26T21:04:39Z"));
        assert_eq!(out, "Nov 26, 2026, 9:04:39 PM");
    }
}
