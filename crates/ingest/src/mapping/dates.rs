//! The date formats of `date` fields, parsed as OpenSearch's `JavaDateFormatter` does
//! (`server/src/main/java/org/opensearch/common/time/JavaDateFormatter.java`, `DateFormatters.java`,
//! `EpochTime.java`): a format is one or more parsers joined by `||`, tried in order; when none
//! parses the input, the error is the first parser's, wrapped in
//! `failed to parse date field [x] with format [f]`.
//!
//! Implemented here, with Java's exact error positions: `strict_date_optional_time`,
//! `epoch_millis`, `epoch_second`. Every other part of a format (Java patterns such as
//! `yyyy/MM/dd HH:mm:ss`, the other named formats) goes to the engine's shared date module
//! ([`crate::date`], the date processor's java.time work-alike), which refuses what it does not
//! implement as "not supported by siemctl's offline engine". Zone region ids (`Europe/Paris`) in
//! a `strict_date_optional_time` value are refused the same way, never misread.
//!
//! `JavaDateFormatter.doParse`: with one parser, its `DateTimeParseException` is the cause; with
//! more (a `||` format, or `epoch_millis`/`epoch_second`, which have two parsers each), the cause
//! is "Failed to parse with all enclosed parsers".

use super::error::JavaError;
use painless::calendar::{civil_from_days, days_from_civil, month_length as month_len};

/// A parsed `format` of a date field.
#[derive(Clone, Debug)]
pub(crate) struct DateFormatter {
    /// The format as written in the mapping (printed in error messages).
    pub(crate) format: String,
    parsers: Vec<Parser>,
}

#[derive(Clone, Debug)]
enum Parser {
    StrictDateOptionalTime,
    EpochMillis,
    EpochSecond,
    /// A part parsed by the shared date module.
    Shared(crate::date::DateFormatter),
}

impl Parser {
    /// How many java.time parsers the part contributes to `JavaDateFormatter.parsers`.
    fn java_parsers(&self) -> usize {
        match self {
            Parser::EpochMillis | Parser::EpochSecond => 2,
            _ => 1,
        }
    }
}

/// A shared-module error as the mapper's Java exception.
fn from_shared(e: crate::date::DateError) -> JavaError {
    if e.unsupported {
        let what = e
            .unsupported_root()
            .map(|r| r.message.clone())
            .unwrap_or_else(|| e.message.clone());
        let what = what
            .strip_prefix("not supported by siemctl's offline engine: ")
            .unwrap_or(&what)
            .to_string();
        return JavaError::unsupported(what);
    }
    let class = match e.type_ {
        "illegal_argument_exception" => "IllegalArgumentException",
        "date_time_parse_exception" => "DateTimeParseException",
        "date_time_exception" => "DateTimeException",
        "zone_rules_exception" => "ZoneRulesException",
        "number_format_exception" => "NumberFormatException",
        "arithmetic_exception" => "ArithmeticException",
        _ => "DateTimeException",
    };
    let mut j = JavaError::new(class, e.message);
    if let Some(c) = e.cause {
        j = j.with_cause(from_shared(*c));
    }
    j
}

pub(crate) const DEFAULT_FORMAT: &str = "strict_date_optional_time||epoch_millis";
/// `DateFieldMapper.DEFAULT_DATE_TIME_NANOS_FORMATTER`.
pub(crate) const DEFAULT_NANOS_FORMAT: &str = "strict_date_optional_time_nanos||epoch_millis";

impl DateFormatter {
    /// `DateFormatter.forPattern`.
    pub(crate) fn for_pattern(format: &str) -> Result<DateFormatter, JavaError> {
        let mut parsers = Vec::new();
        for part in format.split("||") {
            let part = part.trim();
            parsers.push(match part {
                "strict_date_optional_time" => Parser::StrictDateOptionalTime,
                "epoch_millis" => Parser::EpochMillis,
                "epoch_second" => Parser::EpochSecond,
                p => {
                    Parser::Shared(crate::date::DateFormatter::for_pattern(p).map_err(from_shared)?)
                }
            });
        }
        Ok(DateFormatter {
            format: format.to_string(),
            parsers,
        })
    }

    /// `JavaDateFormatter.parse` then `DateFormatters.from(...).toInstant().toEpochMilli()`.
    /// `toInstant().toEpochMilli()` of the parsed date.
    pub(crate) fn parse_millis(&self, input: &str) -> Result<i64, JavaError> {
        let nanos = self.parse_nanos(input)?;
        i64::try_from(nanos.div_euclid(1_000_000))
            .map_err(|_| JavaError::new("ArithmeticException", "long overflow"))
    }

    /// Epoch nanoseconds of the parsed date (`date_nanos`: `DateUtils.toLong(instant)`, which
    /// refuses instants outside 1970 to 2262).
    pub(crate) fn parse_epoch_nanos(&self, input: &str) -> Result<i64, JavaError> {
        let nanos = self.parse_nanos(input)?;
        let max: i128 = i128::from(i64::MAX);
        if nanos < 0 {
            return Err(JavaError::illegal_argument(format!(
                "date[{}] is before the epoch in 1970 and cannot be stored in nanosecond resolution",
                instant_string(nanos)
            )));
        }
        if nanos > max {
            return Err(JavaError::illegal_argument(format!(
                "date[{}] is after 2262-04-11T23:47:16.854775807 and cannot be stored in nanosecond resolution",
                instant_string(nanos)
            )));
        }
        Ok(nanos as i64)
    }

    fn parse_nanos(&self, input: &str) -> Result<i128, JavaError> {
        if input.is_empty() {
            return Err(JavaError::illegal_argument("cannot parse empty date"));
        }
        let mut first_err = None;
        for p in &self.parsers {
            match p.parse(input) {
                Ok(ms) => return Ok(ms),
                Err(e) if e.unsupported => return Err(e),
                Err(e) => {
                    if first_err.is_none() {
                        first_err = Some(e);
                    }
                }
            }
        }
        let total: usize = self.parsers.iter().map(Parser::java_parsers).sum();
        let cause = if total > 1 {
            JavaError::new(
                "DateTimeParseException",
                "Failed to parse with all enclosed parsers",
            )
        } else {
            first_err.unwrap_or_else(|| JavaError::illegal_argument("no parser"))
        };
        Err(JavaError::illegal_argument(format!(
            "failed to parse date field [{input}] with format [{}]",
            self.format
        ))
        .with_cause(cause))
    }

    /// Whether the input parses (dynamic date detection).
    pub(crate) fn parses(&self, input: &str) -> Result<bool, JavaError> {
        match self.parse_millis(input) {
            Ok(_) => Ok(true),
            Err(e) if e.any_unsupported() => Err(e),
            Err(_) => Ok(false),
        }
    }
}

/// Fields read by a parser, before resolution.
#[derive(Default, Debug)]
struct Parsed {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    nano: Option<i64>,
    offset_seconds: Option<i64>,
    /// Letters where a zone id may stand, which this parser does not resolve.
    region_id_at: Option<usize>,
}

/// `DateTimeParseException` messages (`java.time.format.DateTimeFormatter.parseResolved0`).
fn abbreviate(text: &str) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    if units.len() > 64 {
        format!("{}...", String::from_utf16_lossy(&units[..64]))
    } else {
        text.to_string()
    }
}

fn parse_error(text: &str, index: usize) -> JavaError {
    JavaError::new(
        "DateTimeParseException",
        format!(
            "Text '{}' could not be parsed at index {index}",
            abbreviate(text)
        ),
    )
}

fn unparsed_error(text: &str, index: usize) -> JavaError {
    JavaError::new(
        "DateTimeParseException",
        format!(
            "Text '{}' could not be parsed, unparsed text found at index {index}",
            abbreviate(text)
        ),
    )
}

fn resolve_error(text: &str, why: String) -> JavaError {
    JavaError::new(
        "DateTimeParseException",
        format!("Text '{}' could not be parsed: {why}", abbreviate(text)),
    )
}

/// Java string indices are UTF-16 units; inputs here are scanned as chars.
struct Scan<'a> {
    chars: Vec<char>,
    text: &'a str,
}

impl Scan<'_> {
    fn utf16_index(&self, pos: usize) -> usize {
        self.chars[..pos.min(self.chars.len())]
            .iter()
            .map(|c| c.len_utf16())
            .sum()
    }

    fn digits(&self, pos: usize, max: usize) -> usize {
        let mut n = 0;
        while pos + n < self.chars.len() && n < max && self.chars[pos + n].is_ascii_digit() {
            n += 1;
        }
        n
    }

    fn value(&self, pos: usize, n: usize) -> i64 {
        let mut v: i64 = 0;
        for c in &self.chars[pos..pos + n] {
            v = v
                .saturating_mul(10)
                .saturating_add(i64::from(*c as u8 - b'0'));
        }
        v
    }

    fn at(&self, pos: usize) -> Option<char> {
        self.chars.get(pos).copied()
    }
}

impl Parser {
    /// Epoch nanoseconds of the instant.
    fn parse(&self, text: &str) -> Result<i128, JavaError> {
        let s = Scan {
            chars: text.chars().collect(),
            text,
        };
        match self {
            Parser::EpochMillis => epoch(&s, 6, 1_000_000),
            Parser::EpochSecond => epoch(&s, 9, 1),
            Parser::StrictDateOptionalTime => {
                let mut p = Parsed::default();
                let end = strict_date_optional_time(&s, &mut p)
                    .map_err(|at| parse_error(text, s.utf16_index(at)))?;
                if end < s.chars.len() {
                    if p.region_id_at == Some(end) {
                        return Err(JavaError::unsupported(format!(
                            "time zone region ids in date values ([{text}])"
                        )));
                    }
                    return Err(unparsed_error(text, s.utf16_index(end)));
                }
                resolve(text, &p)
            }
            Parser::Shared(f) => {
                let r = f.parse(text, None).map_err(|e| {
                    // the shared module wraps in "failed to parse date field"; keep the cause
                    let e = from_shared(e);
                    match e.cause {
                        Some(c) if !e.unsupported => *c,
                        _ => e,
                    }
                })?;
                let z =
                    crate::date::zoned_from(&r, &crate::date::Zone::UTC).map_err(from_shared)?;
                Ok(z.timestamp().map_err(from_shared)?.as_nanosecond())
            }
        }
    }
}

/// `EpochTime`: `-?digits{1,19}(.digits{0,frac})?`, in seconds (`unit` = 1) or milliseconds.
fn epoch(s: &Scan, frac: usize, nanos_per_unit_fraction: i64) -> Result<i128, JavaError> {
    let mut pos = 0;
    let negative = s.at(0) == Some('-');
    if negative {
        pos += 1;
    }
    let n = s.digits(pos, 19);
    if n == 0 {
        return Err(parse_error(s.text, s.utf16_index(pos)));
    }
    let whole_text: String = s.chars[pos..pos + n].iter().collect();
    let whole: i64 = whole_text
        .parse()
        .map_err(|_| resolve_error(s.text, format!("Invalid value: {whole_text}")))?;
    pos += n;
    let mut fraction_nanos: i64 = 0;
    if s.at(pos) == Some('.') {
        pos += 1;
        let f = s.digits(pos, frac);
        let mut v = s.value(pos, f);
        for _ in f..frac {
            v *= 10;
        }
        // millis: fraction digits are nanos of the milli (6 digits); seconds: nanos (9 digits)
        fraction_nanos = v;
        pos += f;
    }
    if pos < s.chars.len() {
        return Err(unparsed_error(s.text, s.utf16_index(pos)));
    }
    let sign = if negative { -1 } else { 1 };
    let total_nanos = if nanos_per_unit_fraction == 1 {
        // seconds
        i128::from(whole) * 1_000_000_000 + i128::from(fraction_nanos)
    } else {
        i128::from(whole) * 1_000_000 + i128::from(fraction_nanos)
    };
    Ok(i128::from(sign) * total_nanos)
}

/// `DateFormatters.STRICT_DATE_OPTIONAL_TIME`: `yyyy[-MM[-dd]]` then optionally `T` and
/// `HH[:mm[:ss[.S{1,9}][,S{1,9}]]][zone-or-offset][+HHmm]`. Returns the end position, or the
/// error index.
fn strict_date_optional_time(s: &Scan, p: &mut Parsed) -> Result<usize, usize> {
    let mut pos = parse_year(s, 0, 4, 10, p)?;
    // optional -MM
    if s.at(pos) == Some('-') && s.digits(pos + 1, 2) == 2 {
        p.month = Some(s.value(pos + 1, 2));
        pos += 3;
        if s.at(pos) == Some('-') && s.digits(pos + 1, 2) == 2 {
            p.day = Some(s.value(pos + 1, 2));
            pos += 3;
        }
    }
    // optional T section
    if s.at(pos) == Some('T') {
        let save = (p.hour, p.minute, p.second, p.nano, p.offset_seconds);
        let mut q = pos + 1;
        if s.digits(q, 2) == 2 {
            p.hour = Some(s.value(q, 2));
            q += 2;
            if s.at(q) == Some(':') && s.digits(q + 1, 2) == 2 {
                p.minute = Some(s.value(q + 1, 2));
                q += 3;
                if s.at(q) == Some(':') && s.digits(q + 1, 2) == 2 {
                    p.second = Some(s.value(q + 1, 2));
                    q += 3;
                    if s.at(q) == Some('.') {
                        let f = s.digits(q + 1, 9);
                        if f >= 1 {
                            p.nano = Some(fraction_nanos(s, q + 1, f));
                            q += 1 + f;
                        }
                    }
                    if s.at(q) == Some(',') {
                        let f = s.digits(q + 1, 9);
                        if f >= 1 {
                            p.nano = Some(fraction_nanos(s, q + 1, f));
                            q += 1 + f;
                        }
                    }
                }
            }
            let before_zone = q;
            if let Some(end) = zone_or_offset_id(s, q, p) {
                q = end;
            }
            if let Some(end) = offset_no_colon(s, q, p) {
                q = end;
            }
            if q == before_zone && s.at(q).is_some_and(|c| c.is_ascii_alphabetic()) {
                // where Java reads a zone region id (`Europe/Paris`) from its tz database
                p.region_id_at = Some(q);
            }
        } else {
            (p.hour, p.minute, p.second, p.nano, p.offset_seconds) = save;
        }
        pos = q;
    }
    Ok(pos)
}

fn fraction_nanos(s: &Scan, pos: usize, n: usize) -> i64 {
    let mut v = s.value(pos, n);
    for _ in n..9 {
        v *= 10;
    }
    v
}

/// `appendValue(YEAR, min, max, SignStyle.EXCEEDS_PAD)` in strict mode.
fn parse_year(
    s: &Scan,
    start: usize,
    min: usize,
    max: usize,
    p: &mut Parsed,
) -> Result<usize, usize> {
    let mut pos = start;
    let mut negative = false;
    let mut positive = false;
    match s.at(pos) {
        Some('+') => {
            positive = true;
            pos += 1;
        }
        Some('-') => {
            negative = true;
            pos += 1;
        }
        _ => {}
    }
    let n = s.digits(pos, max);
    if n < min {
        return Err(start);
    }
    if positive && n <= min {
        return Err(start);
    }
    if !positive && !negative && n > min {
        return Err(start);
    }
    let v = s.value(pos, n);
    p.year = Some(if negative { -v } else { v });
    Ok(pos + n)
}

/// `appendZoneOrOffsetId()`: `Z`, `+HH:MM[:SS]`, `UTC`/`UT`/`GMT` with an optional offset.
/// Region ids are refused as unsupported by the caller.
fn zone_or_offset_id(s: &Scan, pos: usize, p: &mut Parsed) -> Option<usize> {
    match s.at(pos)? {
        '+' | '-' => {
            let (end, secs) = offset_colon(s, pos)?;
            p.offset_seconds = Some(secs);
            Some(end)
        }
        'Z' => {
            p.offset_seconds = Some(0);
            Some(pos + 1)
        }
        _ => {
            let rest: String = s.chars[pos..].iter().collect();
            let prefix_len = if rest.starts_with("UTC") || rest.starts_with("GMT") {
                3
            } else if rest.starts_with("UT") {
                2
            } else {
                return None;
            };
            let q = pos + prefix_len;
            if let Some((end, secs)) = offset_colon(s, q) {
                p.offset_seconds = Some(secs);
                return Some(end);
            }
            p.offset_seconds = Some(0);
            Some(q)
        }
    }
}

/// `+HH:MM` or `+HH:MM:SS` (OffsetIdPrinterParser `+HH:MM:ss`).
fn offset_colon(s: &Scan, pos: usize) -> Option<(usize, i64)> {
    let sign = match s.at(pos)? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    if s.digits(pos + 1, 2) != 2 || s.at(pos + 3) != Some(':') || s.digits(pos + 4, 2) != 2 {
        return None;
    }
    let h = s.value(pos + 1, 2);
    let m = s.value(pos + 4, 2);
    let mut end = pos + 6;
    let mut sec = 0;
    if s.at(end) == Some(':') && s.digits(end + 1, 2) == 2 {
        sec = s.value(end + 1, 2);
        end += 3;
    }
    if h > 18 || m > 59 || sec > 59 {
        return None;
    }
    Some((end, sign * (h * 3600 + m * 60 + sec)))
}

/// `appendOffset("+HHmm", "Z")`.
fn offset_no_colon(s: &Scan, pos: usize, p: &mut Parsed) -> Option<usize> {
    match s.at(pos)? {
        'Z' => {
            p.offset_seconds = Some(0);
            Some(pos + 1)
        }
        c @ ('+' | '-') => {
            let sign = if c == '+' { 1 } else { -1 };
            if s.digits(pos + 1, 2) != 2 {
                return None;
            }
            let h = s.value(pos + 1, 2);
            let mut end = pos + 3;
            let mut m = 0;
            if s.digits(end, 2) == 2 {
                m = s.value(end, 2);
                end += 2;
            }
            if h > 18 || m > 59 {
                return None;
            }
            p.offset_seconds = Some(sign * (h * 3600 + m * 60));
            Some(end)
        }
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
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

/// ResolverStyle.STRICT range checks, then `DateFormatters.from` (missing fields default to the
/// start of the unit, no zone is UTC) and `toEpochMilli`.
fn resolve(text: &str, p: &Parsed) -> Result<i128, JavaError> {
    let range = |name: &str, lo: i64, hi: &str, v: i64| {
        resolve_error(
            text,
            format!("Invalid value for {name} (valid values {lo} - {hi}): {v}"),
        )
    };
    let year = p.year.unwrap_or(1970);
    if !(-999_999_999..=999_999_999).contains(&year) {
        return Err(range("Year", -999_999_999, "999999999", year));
    }
    let month = p.month.unwrap_or(1);
    if !(1..=12).contains(&month) {
        return Err(range("MonthOfYear", 1, "12", month));
    }
    let day = p.day.unwrap_or(1);
    if !(1..=31).contains(&day) {
        return Err(range("DayOfMonth", 1, "28/31", day));
    }
    let hour = p.hour.unwrap_or(0);
    if !(0..=23).contains(&hour) {
        return Err(range("HourOfDay", 0, "23", hour));
    }
    let minute = p.minute.unwrap_or(0);
    if !(0..=59).contains(&minute) {
        return Err(range("MinuteOfHour", 0, "59", minute));
    }
    let second = p.second.unwrap_or(0);
    if !(0..=59).contains(&second) {
        return Err(range("SecondOfMinute", 0, "59", second));
    }
    if day > month_len(year, month) {
        let m = MONTHS[(month - 1) as usize];
        return Err(resolve_error(
            text,
            if month == 2 && day == 29 {
                format!("Invalid date 'February 29' as '{year}' is not a leap year")
            } else {
                format!("Invalid date '{m} {day}'")
            },
        ));
    }
    let days = days_from_civil(year, month, day);
    let secs = days as i128 * 86_400 + i128::from(hour * 3600 + minute * 60 + second)
        - i128::from(p.offset_seconds.unwrap_or(0));
    Ok(secs * 1_000_000_000 + i128::from(p.nano.unwrap_or(0)))
}

/// `Instant.toString()` (`DateTimeFormatter.ISO_INSTANT`): the fraction in groups of three
/// digits, none when zero; years beyond 9999 with a `+`.
fn instant_string(nanos: i128) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let nano = nanos.rem_euclid(1_000_000_000) as i64;
    let days = secs.div_euclid(86_400) as i64;
    let sod = secs.rem_euclid(86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    let year = if y > 9999 {
        format!("+{y}")
    } else if y < 0 {
        format!("-{:04}", -y)
    } else {
        format!("{y:04}")
    };
    let mut out = format!(
        "{year}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(format: &str, input: &str) -> Result<i64, JavaError> {
        DateFormatter::for_pattern(format)
            .unwrap()
            .parse_millis(input)
    }

    // DateFieldMapperTests / DateFormattersTests cases
    #[test]
    fn default_format() {
        assert_eq!(ms(DEFAULT_FORMAT, "2016-03-11").unwrap(), 1_457_654_400_000);
        assert_eq!(
            ms(DEFAULT_FORMAT, "2016-03-11T12:00:00Z").unwrap(),
            1_457_697_600_000
        );
        assert_eq!(
            ms(DEFAULT_FORMAT, "2016-03-11T12:00:00.123+01:00").unwrap(),
            1_457_694_000_123
        );
        assert_eq!(
            ms(DEFAULT_FORMAT, "2016-03-11T12:00:00,5+0100").unwrap(),
            1_457_694_000_500
        );
        assert_eq!(ms(DEFAULT_FORMAT, "2016-03").unwrap(), 1_456_790_400_000);
        assert_eq!(ms(DEFAULT_FORMAT, "2016").unwrap(), 1_451_606_400_000);
        assert_eq!(
            ms(DEFAULT_FORMAT, "1457654400000").unwrap(),
            1_457_654_400_000
        );
        assert_eq!(ms(DEFAULT_FORMAT, "-1").unwrap(), -1);
        assert_eq!(
            ms(DEFAULT_FORMAT, "2016-03-11T12").unwrap(),
            1_457_697_600_000
        );
    }

    #[test]
    fn errors_of_one_parser_or_of_all() {
        let e = ms("strict_date_optional_time", "2016-03-11 12:00:00").unwrap_err();
        assert_eq!(
            e.message,
            "failed to parse date field [2016-03-11 12:00:00] with format [strict_date_optional_time]"
        );
        assert_eq!(
            e.cause.unwrap().message,
            "Text '2016-03-11 12:00:00' could not be parsed, unparsed text found at index 10"
        );
        let e = ms(DEFAULT_FORMAT, "2016-03-11 12:00:00").unwrap_err();
        assert_eq!(
            e.message,
            "failed to parse date field [2016-03-11 12:00:00] with format [strict_date_optional_time||epoch_millis]"
        );
        assert_eq!(
            e.cause.unwrap().message,
            "Failed to parse with all enclosed parsers"
        );
        let e = ms(DEFAULT_FORMAT, "abc").unwrap_err();
        assert_eq!(
            e.cause.unwrap().message,
            "Failed to parse with all enclosed parsers"
        );
        let e = ms("strict_date_optional_time", "abc").unwrap_err();
        assert_eq!(
            e.cause.unwrap().message,
            "Text 'abc' could not be parsed at index 0"
        );
        let e = ms("strict_date_optional_time", "2016-13-11").unwrap_err();
        assert_eq!(
            e.cause.unwrap().message,
            "Text '2016-13-11' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13"
        );
        let e = ms("strict_date_optional_time", "2015-02-29").unwrap_err();
        assert_eq!(
            e.cause.unwrap().message,
            "Text '2015-02-29' could not be parsed: Invalid date 'February 29' as '2015' is not a leap year"
        );
        assert_eq!(
            ms(DEFAULT_FORMAT, "").unwrap_err().message,
            "cannot parse empty date"
        );
    }

    #[test]
    fn epoch_second_first() {
        let f = "epoch_second||strict_date_optional_time";
        assert_eq!(ms(f, "1418248274").unwrap(), 1_418_248_274_000);
        assert_eq!(ms(f, "1418248274.5").unwrap(), 1_418_248_274_500);
        assert_eq!(ms(f, "2014-12-10T21:51:14Z").unwrap(), 1_418_248_274_000);
        let e = ms(f, "x").unwrap_err();
        assert_eq!(
            e.cause.unwrap().message,
            "Failed to parse with all enclosed parsers"
        );
    }

    #[test]
    fn patterns() {
        let f = "yyyy/MM/dd HH:mm:ss||yyyy/MM/dd";
        assert_eq!(ms(f, "2016/03/11").unwrap(), 1_457_654_400_000);
        assert_eq!(ms(f, "2016/03/11 12:00:00").unwrap(), 1_457_697_600_000);
        assert!(ms(f, "2016-03-11").is_err());
        // the shared date module's java.time patterns
        assert_eq!(
            ms("dd/MMM/yyyy:HH:mm:ss Z", "11/Mar/2016:12:00:00 +0100").unwrap(),
            1_457_694_000_000
        );
        assert!(
            DateFormatter::for_pattern("basic_week_date_time")
                .unwrap_err()
                .unsupported
        );
    }

    #[test]
    fn region_ids_are_not_guessed() {
        assert!(
            ms(DEFAULT_FORMAT, "2016-03-11T10:00:00Europe/Paris")
                .unwrap_err()
                .unsupported
        );
        // letters that are not at a zone position are an ordinary failure
        assert!(!ms(DEFAULT_FORMAT, "FOOT1a").unwrap_err().unsupported);
        assert!(
            !ms(DEFAULT_FORMAT, "2016-03-11Tabc")
                .unwrap_err()
                .unsupported
        );
        assert!(
            !ms(DEFAULT_FORMAT, "2016-03-11T10:00:00 UTC")
                .unwrap_err()
                .unsupported
        );
        assert_eq!(
            ms(DEFAULT_FORMAT, "2016-03-11T10:00:00UTC").unwrap(),
            1_457_690_400_000
        );
    }

    #[test]
    fn nanos() {
        let f = DateFormatter::for_pattern(DEFAULT_NANOS_FORMAT).unwrap();
        assert_eq!(
            f.parse_epoch_nanos("2016-03-11T12:00:00.123456789Z")
                .unwrap(),
            1_457_697_600_123_456_789
        );
        assert_eq!(
            f.parse_epoch_nanos("1969-12-31T23:59:59.5Z").unwrap_err().message,
            "date[1969-12-31T23:59:59.500Z] is before the epoch in 1970 and cannot be stored in nanosecond resolution"
        );
        assert_eq!(
            f.parse_epoch_nanos("2262-04-12T00:00:00Z").unwrap_err().message,
            "date[2262-04-12T00:00:00Z] is after 2262-04-11T23:47:16.854775807 and cannot be stored in nanosecond resolution"
        );
        assert_eq!(instant_string(1), "1970-01-01T00:00:00.000000001Z");
        assert_eq!(instant_string(1_000), "1970-01-01T00:00:00.000001Z");
    }

    #[test]
    fn strict_years() {
        assert!(ms("strict_date_optional_time", "12345-01-01").is_err());
        assert_eq!(
            ms("strict_date_optional_time", "+12345-01-01").unwrap(),
            327_403_382_400_000
        );
        assert!(ms("strict_date_optional_time", "201-01-01").is_err());
    }
}
