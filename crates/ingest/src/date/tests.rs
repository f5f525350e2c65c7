//! The cases of upstream's `DateFormatTests.java` and the date parts of `DateProcessorTests.java`
//! (modules/ingest-common/src/test/java/org/opensearch/ingest/common/).

use super::*;

fn now() -> Timestamp {
    "2026-12-01T12:00:00Z".parse().unwrap()
}

fn zone(id: &str) -> Zone {
    Zone::of(id).unwrap()
}

fn en() -> Locale {
    Locale::English("en".into())
}

fn out(zdt: &Zdt) -> String {
    DateFormatter::for_pattern(DEFAULT_OUTPUT_FORMAT)
        .unwrap()
        .format(zdt)
        .unwrap()
}

fn parse(format: &str, text: &str, z: &str) -> Result<Zdt, DateError> {
    DateFormat::from_string(format)?.parse(Some(text), &zone(z), &en(), now())
}

fn ok(format: &str, text: &str, z: &str) -> String {
    out(&parse(format, text, z).unwrap_or_else(|e| panic!("{format} {text}: {e:?}")))
}

#[test]
fn java_pattern() {
    assert_eq!(
        ok(
            "yyyy dd MM HH:mm:ss",
            "2010 12 06 11:05:15",
            "Europe/Amsterdam"
        ),
        "2010-06-12T11:05:15.000+02:00"
    );
}

#[test]
fn java_pattern_multiple_formats_first_match() {
    for text in ["2010 12 06", "12/06/2010", "12-06-2010"] {
        let mut result = None;
        for f in ["yyyy dd MM", "dd/MM/yyyy", "dd-MM-yyyy"] {
            if let Ok(z) = parse(f, text, "Europe/Amsterdam") {
                result = Some(out(&z));
                break;
            }
        }
        assert_eq!(result.as_deref(), Some("2010-06-12T00:00:00.000+02:00"));
    }
    assert!(parse("yyyy dd MM", "2010", "Europe/Amsterdam").is_err());
}

#[test]
fn java_pattern_no_timezone_keeps_the_parsed_offset() {
    assert_eq!(
        ok("yyyy dd MM HH:mm:ss XXX", "2010 12 06 00:00:00 -02:00", "Z"),
        "2010-06-12T02:00:00.000Z"
    );
}

#[test]
fn invalid_java_pattern_fails_at_parse_with_javas_message() {
    let f = DateFormat::from_string("invalid pattern").unwrap();
    let e = f.parse(Some("2010"), &Zone::UTC, &en(), now()).unwrap_err();
    assert_eq!(
        e.message,
        "Invalid format: [invalid pattern]: Unknown pattern letter: i"
    );
}

#[test]
fn unsupported_letter_is_refused_when_compiled() {
    let e = DateFormat::from_string("yyyy QQQ").unwrap_err();
    assert!(e.unsupported);
    assert!(e.message.contains("pattern letter 'Q'"), "{}", e.message);
}

#[test]
fn week_based_patterns() {
    // DateFormatTests.testParseWeekBased / testParseWeekBasedWithLocale
    let f = DateFormat::from_string("YYYY-ww").unwrap();
    let z = f
        .parse(
            Some("2020-33"),
            &zone("Europe/Amsterdam"),
            &Locale::Root,
            now(),
        )
        .unwrap();
    assert_eq!(out(&z), "2020-08-10T00:00:00.000+02:00");
    let us = Locale::parse("en_US").unwrap();
    let z = f
        .parse(Some("2020-33"), &zone("Europe/Amsterdam"), &us, now())
        .unwrap();
    assert_eq!(out(&z), "2020-08-09T00:00:00.000+02:00");
    // `YYYY` without `ww` in the date processor: no week, so the current year is used and the
    // week-based year is dropped (the classic YYYY-for-yyyy mistake).
    assert_eq!(
        ok("YYYY-MM-dd", "2010-06-12", "Z"),
        "2026-06-12T00:00:00.000Z"
    );
}

#[test]
fn english_month_names() {
    assert_eq!(
        ok("yyyy dd MMMM", "2010 12 June", "Europe/Amsterdam"),
        "2010-06-12T00:00:00.000+02:00"
    );
    let it = Locale::parse("it").unwrap();
    let f = DateFormat::from_string("yyyy dd MMMM").unwrap();
    assert!(
        f.parse(Some("2010 12 giugno"), &Zone::UTC, &it, now())
            .unwrap_err()
            .unsupported
    );
    // Numeric patterns do not depend on the locale.
    let f = DateFormat::from_string("yyyy dd MM").unwrap();
    assert_eq!(
        out(&f.parse(Some("2010 12 06"), &Zone::UTC, &it, now()).unwrap()),
        "2010-06-12T00:00:00.000Z"
    );
}

#[test]
fn default_year_is_the_current_year() {
    for f in ["dd/MM", "8dd/MM"] {
        assert_eq!(
            ok(f, "12/06", "Europe/Amsterdam"),
            "2026-06-12T00:00:00.000+02:00"
        );
    }
}

#[test]
fn default_year_drops_the_parsed_offset_and_clamps_the_day() {
    // The fields copied are nano, time of day, day, month: not the offset.
    assert_eq!(
        ok("MMM dd HH:mm:ss Z", "Nov 24 01:29:01 -0800", "Z"),
        "2026-11-24T01:29:01.000Z"
    );
    let z = parse("MMM dd HH:mm:ss Z", "Nov 24 01:29:01 -0800", "-08:00").unwrap();
    assert_eq!(out(&z), "2026-11-24T01:29:01.000-08:00");
    // Feb 30 without a year: January 30, then withMonth(2) keeps the last valid day.
    assert_eq!(ok("MMM d", "Feb 30", "Z"), "2026-02-28T00:00:00.000Z");
    // Syslog timestamps.
    assert_eq!(
        ok("MMM  d HH:mm:ss", "Jan  5 10:00:00", "Z"),
        "2026-01-05T10:00:00.000Z"
    );
    assert_eq!(
        ok("MMM d HH:mm:ss", "Jan 15 10:00:00", "Z"),
        "2026-01-15T10:00:00.000Z"
    );
    assert!(parse("MMM d HH:mm:ss", "Jan  5 10:00:00", "Z").is_err());
}

#[test]
fn year_of_era_with_offset() {
    let z = parse(
        "yyyy-MM-dd'T'HH:mm:ss.SSSZZ",
        "2018-02-05T13:44:56.657+0100",
        "Z",
    )
    .unwrap();
    assert_eq!(out(&z), "2018-02-05T12:44:56.657Z");
    let z = parse(
        "uuuu-MM-dd'T'HH:mm:ss.SSSZZ",
        "2018-02-05T13:44:56.657+0100",
        "Z",
    )
    .unwrap();
    assert_eq!(out(&z), "2018-02-05T12:44:56.657Z");
}

#[test]
fn an_explicit_zone_overrides_a_parsed_offset() {
    // withZone(zone) on the formatter: TemporalQueries.zone() answers the override zone.
    let z = parse(
        "dd/MMM/yyyy:HH:mm:ss Z",
        "10/Oct/2000:13:55:36 -0700",
        "Europe/Amsterdam",
    )
    .unwrap();
    assert_eq!(out(&z), "2000-10-10T13:55:36.000+02:00");
    // With UTC (ZoneOffset.UTC) the offset of the text counts.
    let z = parse("dd/MMM/yyyy:HH:mm:ss Z", "10/Oct/2000:13:55:36 -0700", "Z").unwrap();
    assert_eq!(out(&z), "2000-10-10T20:55:36.000Z");
}

#[test]
fn unix_ms_unix_tai64n() {
    assert_eq!(ok("UNIX_MS", "1000500", "Z"), "1970-01-01T00:16:40.500Z");
    assert_eq!(ok("UNIX", "1000.5", "Z"), "1970-01-01T00:16:40.500Z");
    let z = parse("UNIX", "1495718015", "Z").unwrap();
    assert_eq!(z.epoch_millis().unwrap(), 1495718015000);
    for text in ["4000000050d506482dbdf024", "@4000000050d506482dbdf024"] {
        assert_eq!(
            ok("TAI64N", text, "+02:00"),
            "2012-12-22T03:00:46.767+02:00"
        );
    }
    let e = parse("UNIX_MS", "abc", "Z").unwrap_err();
    assert_eq!(e.message, "For input string: \"abc\"");
}

#[test]
fn iso8601() {
    let z = parse("ISO8601", "2001-01-01T00:00:00-0800", "Z").unwrap();
    assert_eq!(z.epoch_millis().unwrap(), 978336000000);
    let z = parse("ISO8601", "2001-01-01T00:00:00", "+01:00").unwrap();
    assert_eq!(z.epoch_millis().unwrap(), 978303600000);
    assert_eq!(out(&z), "2001-01-01T00:00:00.000+01:00");
    assert!(parse("ISO8601", "2001-01-0:00-0800", "Z").is_err());
    assert_eq!(
        ok("ISO8601", "2016-04-05T10:00:00.123456Z", "Z"),
        "2016-04-05T10:00:00.123Z"
    );
    assert_eq!(
        ok("ISO8601", "2016-04-05T12:00:00+02:00", "Z"),
        "2016-04-05T10:00:00.000Z"
    );
    assert_eq!(ok("ISO8601", "2016-04-05", "Z"), "2016-04-05T00:00:00.000Z");
}

#[test]
fn from_string_is_case_sensitive() {
    assert!(matches!(
        DateFormat::from_string("UNIX_MS").unwrap(),
        DateFormat::UnixMs
    ));
    assert!(matches!(
        DateFormat::from_string("unix_ms").unwrap(),
        DateFormat::Java(..)
    ));
    assert!(matches!(
        DateFormat::from_string("iso8601").unwrap(),
        DateFormat::Java(..)
    ));
    assert!(matches!(
        DateFormat::from_string("tai64n").unwrap(),
        DateFormat::Java(..)
    ));
}

#[test]
fn lowercase_iso8601_is_the_named_java_format() {
    assert_eq!(
        ok("iso8601", "2016-04-05T10:00:00Z", "Z"),
        "2016-04-05T10:00:00.000Z"
    );
}

#[test]
fn invalid_timezone_and_locale_messages() {
    assert_eq!(
        Zone::of("invalid_timezone").unwrap_err().message,
        "Unknown time-zone ID: invalid_timezone"
    );
    assert_eq!(
        Locale::parse("invalid_locale").unwrap_err().message,
        "Unknown language: invalid"
    );
    assert_eq!(Locale::parse("ROOT").unwrap(), Locale::Root);
    assert!(matches!(
        Locale::parse("en_US").unwrap(),
        Locale::English(_)
    ));
}

#[test]
fn zone_ids() {
    assert!(Zone::of("Z").unwrap().is_offset_utc());
    assert!(Zone::of("+00:00").unwrap().is_offset_utc());
    assert!(!Zone::of("UTC").unwrap().is_offset_utc());
    assert_eq!(Zone::of("UTC").unwrap().id(), "UTC");
    assert_eq!(Zone::of("+01:00").unwrap().id(), "+01:00");
    assert_eq!(Zone::of("+1").unwrap().id(), "+01:00");
    assert_eq!(Zone::of("GMT+2").unwrap().id(), "GMT+02:00");
    assert!(Zone::of("europe/amsterdam").is_err());
}

#[test]
fn output_format_with_nanos() {
    let f = DateFormatter::for_pattern("HH:mm:ss.SSSSSSSSS").unwrap();
    let z = parse("ISO8601", "1970-01-01T00:00:00.000012345Z", "Z").unwrap();
    assert_eq!(f.format(&z).unwrap(), "00:00:00.000012345");
}

#[test]
fn strict_parsing_failures_carry_javas_messages() {
    let e = parse("yyyy-MM-dd", "2010-02-30", "Z").unwrap_err();
    assert_eq!(e.message, "Invalid date 'FEBRUARY 30'");
    let e = parse("uuuu-MM-dd", "2010-02-30", "Z").unwrap_err();
    assert_eq!(
        e.message,
        "failed to parse date field [2010-02-30] with format [uuuu-MM-dd]"
    );
    assert_eq!(
        e.cause.unwrap().message,
        "Text '2010-02-30' could not be parsed: Invalid date 'FEBRUARY 30'"
    );
    let e = parse("yyyy-MM-dd", "2010-2-3", "Z").unwrap_err();
    assert_eq!(
        e.cause.unwrap().message,
        "Text '2010-2-3' could not be parsed at index 5"
    );
    let e = parse("yyyy-MM-dd", "2010-02-03x", "Z").unwrap_err();
    assert_eq!(
        e.cause.unwrap().message,
        "Text '2010-02-03x' could not be parsed, unparsed text found at index 10"
    );
}

#[test]
fn bundled_content_patterns() {
    assert_eq!(
        ok("dd/MMM/yyyy:HH:mm:ss Z", "10/Oct/2023:13:55:36 +0000", "Z"),
        "2023-10-10T13:55:36.000Z"
    );
    assert_eq!(
        ok(
            "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
            "2023-10-10T13:55:36.123+0200",
            "Z"
        ),
        "2023-10-10T11:55:36.123Z"
    );
    assert_eq!(
        ok("EEE MMM dd HH:mm:ss yyyy", "Tue Oct 10 13:55:36 2023", "Z"),
        "2023-10-10T13:55:36.000Z"
    );
    // The day of week is not checked against an unresolved year-of-era date.
    assert_eq!(
        ok("EEE MMM dd HH:mm:ss yyyy", "Mon Oct 10 13:55:36 2023", "Z"),
        "2023-10-10T13:55:36.000Z"
    );
    // With uuuu the date resolves and the day of week is cross-checked.
    assert!(parse("EEE MMM dd HH:mm:ss uuuu", "Mon Oct 10 13:55:36 2023", "Z").is_err());
}

#[test]
fn adjacent_value_parsing() {
    assert_eq!(ok("yyyyMMdd", "20160425", "Z"), "2016-04-25T00:00:00.000Z");
    assert_eq!(
        ok("yyyyMMddHHmmss", "20160425122420", "Z"),
        "2016-04-25T12:24:20.000Z"
    );
    let f = DateFormatter::for_pattern("yyyyMMdd").unwrap();
    let z = parse("ISO8601", "2016-04-25T12:24:20.101Z", "Z").unwrap();
    assert_eq!(f.format(&z).unwrap(), "20160425");
}

#[test]
fn am_pm_and_text() {
    assert_eq!(
        ok("MM/dd/yyyy hh:mm:ss a", "04/25/2016 01:24:20 PM", "Z"),
        "2016-04-25T13:24:20.000Z"
    );
    let f = DateFormatter::for_pattern("EEEE, MMMM d, yyyy h:mm a").unwrap();
    let z = parse("ISO8601", "2016-04-25T13:24:20Z", "Z").unwrap();
    assert_eq!(f.format(&z).unwrap(), "Monday, April 25, 2016 1:24 PM");
}

#[test]
fn named_formats() {
    let z = parse_with_format("strict_date_optional_time||epoch_millis", "1420070400001").unwrap();
    assert_eq!(z.epoch_millis().unwrap(), 1420070400001);
    let z =
        parse_with_format("strict_date_optional_time", "2015-01-01T12:10:30.123+01:00").unwrap();
    assert_eq!(z.epoch_millis().unwrap(), 1420110630123);
    let z = parse_with_format("strict_date_optional_time", "2015-01-01").unwrap();
    assert_eq!(z.epoch_millis().unwrap(), 1420070400000);
    assert!(parse_with_format("strict_date_optional_time", "2015-1-1").is_err());
    let z = parse_with_format("epoch_second", "1420070400.5").unwrap();
    assert_eq!(z.epoch_millis().unwrap(), 1420070400500);
    assert!(
        parse_with_format("basic_date", "20150101")
            .unwrap_err()
            .unsupported
    );
    let f = DateFormatter::for_pattern("strict_date_optional_time").unwrap();
    assert_eq!(f.format(&z).unwrap(), "2015-01-01T00:00:00.500Z");
}

#[test]
fn zone_links_and_legacy_ids() {
    for id in [
        "US/Eastern",
        "Etc/UTC",
        "EST",
        "Asia/Calcutta",
        "Asia/Kolkata",
        "GMT0",
        "Europe/Kiev",
    ] {
        let z = Zone::of(id).unwrap_or_else(|e| panic!("{id}: {}", e.message));
        assert_eq!(z.id(), id);
    }
    let z = parse("yyyy-MM-dd HH:mm", "2016-07-01 10:00", "US/Eastern").unwrap();
    assert_eq!(out(&z), "2016-07-01T10:00:00.000-04:00");
}

#[test]
fn lenient_named_formats() {
    let ms = |f: &str, t: &str| parse_with_format(f, t).unwrap().epoch_millis().unwrap();
    assert_eq!(ms("date_optional_time", "2015-1-1"), 1420070400000);
    assert_eq!(
        ms("date_optional_time", "2015-01-01T1:2:3.5Z"),
        1420074123500
    );
    assert_eq!(
        ms("date_optional_time", "2015-01-01T12:10+01:00"),
        1420110600000
    );
    assert_eq!(
        ms("date_optional_time||epoch_millis", "1420070400001"),
        1420070400001
    );
    assert_eq!(ms("date", "2015-1-2"), 1420156800000);
    assert_eq!(ms("date_time", "2015-01-01T12:10:30.5+0100"), 1420110630500);
    assert!(parse_with_format("date_time", "2015-01-01T12:10:30+01:00").is_err());
    let f = DateFormatter::for_pattern("date").unwrap();
    let z = parse_with_format("date_optional_time", "2015-1-2").unwrap();
    assert_eq!(f.format(&z).unwrap(), "2015-01-02");
}

#[test]
fn week_based_printing() {
    let f = DateFormatter::for_pattern("YYYY-'W'ww").unwrap();
    for (date, week) in [
        ("2021-01-03", "2020-W53"),
        ("2021-01-04", "2021-W01"),
        ("2019-12-30", "2020-W01"),
        ("2020-08-10", "2020-W33"),
    ] {
        let z = parse_with_format("strict_date_optional_time", date).unwrap();
        assert_eq!(f.format(&z).unwrap(), week, "{date}");
    }
}

#[test]
fn odd_inputs_fail_cleanly() {
    let formats = [
        "ISO8601",
        "UNIX",
        "UNIX_MS",
        "TAI64N",
        "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
        "dd/MMM/yyyy:HH:mm:ss Z",
        "MMM  d HH:mm:ss",
        "EEE MMM dd HH:mm:ss yyyy",
        "yyyyMMddHHmmss",
        "YYYY-ww",
        "h:mm a",
        "VV",
        "[yyyy][MM]",
        "strict_date_optional_time||epoch_millis",
    ];
    let inputs = [
        "",
        "-",
        "+",
        "@",
        "Z",
        "99999999999999999999999",
        "-99999999999999999999",
        "2010-13-45T25:61:61.999Z",
        "+123456-01-01",
        "１２/０６",
        "Feb 29 10:00:00",
        "Sat Feb 29 10:00:00 2021",
        "12:00 XM",
        "Nowhere/Land",
        "40000000ffffffffffffffff",
        "NaN",
        "Infinity",
        "1e400",
    ];
    for f in formats {
        let format = DateFormat::from_string(f).unwrap();
        for i in inputs {
            for z in ["Z", "Europe/Amsterdam"] {
                let _ = format.parse(Some(i), &zone(z), &en(), now());
            }
        }
        let _ = format.parse(None, &Zone::UTC, &Locale::Root, now());
    }
}
