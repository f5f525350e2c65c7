//! Dates: the formats of OpenSearch's date processor (ISO8601, UNIX, UNIX_MS, TAI64N, Java patterns).
//!
//! Emulates `modules/ingest-common/src/main/java/org/opensearch/ingest/common/DateFormat.java`
//! and the parts of `server/src/main/java/org/opensearch/common/time/` it uses
//! (`DateFormatter.forPattern`, `DateFormatters.forPattern` and `DateFormatters.from`,
//! `JavaDateFormatter.parse`), on a java.time work-alike ([`java`]) and jiff's bundled time
//! zone database ([`zone`]).

pub mod java;
pub mod zone;

use std::sync::OnceLock;

use jiff::civil::{Date, DateTime, Time};
use jiff::Timestamp;

use java::{Field, Formatter, Item, PatternError, Resolved, SignStyle};
pub use zone::{Zdt, Zone};

/// A Java exception from date handling, with its cause chain (as OpenSearch renders
/// `caused_by`).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct DateError {
    /// The exception type as OpenSearch renders it (`illegal_argument_exception`,
    /// `date_time_parse_exception`...).
    pub type_: &'static str,
    pub message: String,
    pub cause: Option<Box<DateError>>,
    /// Set when the failure is this engine's limit, not an upstream error: callers must not
    /// try another format and must report it as not supported.
    pub unsupported: bool,
}

impl DateError {
    fn new(type_: &'static str, message: impl Into<String>) -> DateError {
        DateError {
            type_,
            message: message.into(),
            cause: None,
            unsupported: false,
        }
    }

    pub fn illegal_argument(message: impl Into<String>) -> DateError {
        DateError::new("illegal_argument_exception", message)
    }

    /// `java.time.DateTimeException`.
    pub fn datetime(message: impl Into<String>) -> DateError {
        DateError::new("date_time_exception", message)
    }

    /// `java.time.format.DateTimeParseException`.
    pub fn parse(message: impl Into<String>) -> DateError {
        DateError::new("date_time_parse_exception", message)
    }

    /// `java.time.zone.ZoneRulesException`.
    pub fn zone_rules(message: impl Into<String>) -> DateError {
        DateError::new("zone_rules_exception", message)
    }

    pub fn number_format(message: impl Into<String>) -> DateError {
        DateError::new("number_format_exception", message)
    }

    /// Something this engine does not do.
    pub fn unsupported(what: impl Into<String>) -> DateError {
        let mut e = DateError::new(
            "illegal_argument_exception",
            format!("not supported by siemctl's offline engine: {}", what.into()),
        );
        e.unsupported = true;
        e
    }

    pub fn with_cause(mut self, cause: DateError) -> DateError {
        self.unsupported |= cause.unsupported;
        self.cause = Some(Box::new(cause));
        self
    }

    /// The innermost unsupported error of the chain, if any.
    pub fn unsupported_root(&self) -> Option<&DateError> {
        if !self.unsupported {
            return None;
        }
        match &self.cause {
            Some(c) if c.unsupported => c.unsupported_root(),
            _ => Some(self),
        }
    }
}

/// A locale as the date processors accept it (`LocaleUtils.parse`, `Locale.Builder`).
/// Month and day names are English: `Locale.ROOT` and English give the same names with the
/// JDK's COMPAT data; other languages are refused as not supported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Locale {
    Root,
    English(String),
    /// Another language: fine for numeric patterns, not supported for month and day names.
    Other(String),
}

impl Locale {
    /// `org.opensearch.common.util.LocaleUtils.parse` (the date processor's `locale`).
    pub fn parse(s: &str) -> Result<Locale, DateError> {
        let sep = s.chars().find(|c| *c == '-' || *c == '_');
        let parts: Vec<&str> = match sep {
            Some('_') => s.split('_').collect(),
            _ => s.split('-').collect(),
        };
        if parts.len() > 3 {
            return Err(DateError::illegal_argument(format!(
                "Locales can have at most 3 parts but got {}: [{}]",
                parts.len(),
                parts.join(", ")
            )));
        }
        if parts.len() == 1 && parts[0].eq_ignore_ascii_case("ROOT") {
            return Ok(Locale::Root);
        }
        // new Locale(language, ...) lower-cases the language.
        let language = parts[0].to_ascii_lowercase();
        if language.is_empty() {
            return Ok(Locale::Root);
        }
        // Locale.getISO3Language: two letters must be an ISO 639 code, three are taken as is,
        // any other length is unknown.
        if !(language.len() == 2 || language.len() == 3)
            || !language.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return Err(DateError::illegal_argument(format!(
                "Unknown language: {}",
                parts[0]
            )));
        }
        if language == "en" || language == "eng" {
            return Ok(Locale::English(s.to_string()));
        }
        Ok(Locale::Other(s.to_string()))
    }

    /// `new Locale.Builder().setLanguageTag(tag).build()` (the `date_index_name` processor).
    pub fn from_language_tag(tag: &str) -> Result<Locale, DateError> {
        let parts: Vec<&str> = tag.split('-').collect();
        let language = parts[0].to_ascii_lowercase();
        let well_formed = (2..=8).contains(&language.len())
            && language.bytes().all(|b| b.is_ascii_alphabetic())
            && parts[1..].iter().all(|p| {
                (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if tag.is_empty() {
            return Ok(Locale::Root);
        }
        if !well_formed {
            return Err(DateError::illegal_argument(format!(
                "Invalid language tag specified: {tag}"
            )));
        }
        if language == "en" {
            Ok(Locale::English(tag.to_string()))
        } else {
            Ok(Locale::Other(tag.to_string()))
        }
    }
}

/// A `DateFormatter` from `DateFormatter.forPattern`: one or more parsers (`a||b`) and the
/// printer of the first.
#[derive(Clone, Debug)]
pub struct DateFormatter {
    /// The pattern as given (`format` of `JavaDateFormatter`, used in error messages).
    pub pattern: String,
    parsers: Vec<Formatter>,
    printer: Formatter,
}

fn format_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!("../../data/date/format_names.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

fn num(field: Field, min: usize, max: usize, sign: SignStyle) -> Item {
    Item::Number {
        field,
        min,
        max,
        sign,
        subsequent: 0,
    }
}

fn lit(s: &str) -> Item {
    Item::Literal(s.to_string())
}

fn opt(items: Vec<Item>) -> Item {
    Item::Optional(items)
}

/// `STRICT_YEAR_MONTH_DAY_FORMATTER`.
fn strict_year_month_day() -> Item {
    opt(vec![
        num(Field::Year, 4, 4, SignStyle::ExceedsPad),
        opt(vec![
            lit("-"),
            num(Field::MonthOfYear, 2, 2, SignStyle::NotNegative),
            opt(vec![
                lit("-"),
                num(Field::DayOfMonth, 2, 2, SignStyle::NotNegative),
            ]),
        ]),
    ])
}

/// `DATE_FORMATTER` (the lenient date: 1-5 digit year, 1-2 digit month and day).
fn lenient_date() -> Item {
    opt(vec![
        num(Field::Year, 1, 5, SignStyle::Normal),
        opt(vec![
            lit("-"),
            num(Field::MonthOfYear, 1, 2, SignStyle::NotNegative),
            opt(vec![
                lit("-"),
                num(Field::DayOfMonth, 1, 2, SignStyle::NotNegative),
            ]),
        ]),
    ])
}

fn two(field: Field) -> Item {
    num(field, 2, 2, SignStyle::NotNegative)
}

fn fraction(min: usize, max: usize, point: bool) -> Item {
    Item::Fraction {
        min,
        max,
        decimal_point: point,
    }
}

/// `TIME_ZONE_FORMATTER_NO_COLON`: `appendOffset("+HHmm", "Z")`.
fn offset_no_colon() -> Item {
    Item::Offset {
        kind: 1,
        no_offset: "Z".into(),
    }
}

/// `STRICT_DATE_OPTIONAL_TIME_PRINTER` (nanos: 3 to 9 digits when `nanos`).
fn strict_printer(nanos: bool) -> Formatter {
    Formatter {
        items: vec![
            strict_year_month_day(),
            lit("T"),
            opt(vec![
                two(Field::HourOfDay),
                opt(vec![
                    lit(":"),
                    two(Field::MinuteOfHour),
                    opt(vec![
                        lit(":"),
                        two(Field::SecondOfMinute),
                        opt(vec![fraction(3, if nanos { 9 } else { 3 }, true)]),
                    ]),
                    opt(vec![Item::Offset {
                        kind: 4,
                        no_offset: "Z".into(),
                    }]),
                ]),
            ]),
        ],
    }
}

/// The named formats this engine implements, from `DateFormatters`.
fn named(name: &str) -> Option<(Vec<Formatter>, Formatter)> {
    let frac_and_comma = || {
        vec![
            opt(vec![fraction(1, 9, true)]),
            opt(vec![lit(","), fraction(1, 9, false)]),
        ]
    };
    match name {
        "iso8601" => {
            let mut seconds = vec![lit(":"), two(Field::SecondOfMinute)];
            seconds.extend(frac_and_comma());
            let parser = Formatter {
                items: vec![
                    strict_year_month_day(),
                    opt(vec![
                        lit("T"),
                        opt(vec![
                            two(Field::HourOfDay),
                            opt(vec![lit(":"), two(Field::MinuteOfHour), opt(seconds)]),
                        ]),
                        opt(vec![Item::ZoneOrOffsetId]),
                        opt(vec![offset_no_colon()]),
                    ]),
                ],
            };
            Some((vec![parser], strict_printer(false)))
        }
        "strict_date_optional_time" => {
            let mut seconds = vec![lit(":"), two(Field::SecondOfMinute)];
            seconds.extend(frac_and_comma());
            let parser = Formatter {
                items: vec![
                    strict_year_month_day(),
                    opt(vec![
                        lit("T"),
                        opt(vec![
                            two(Field::HourOfDay),
                            opt(vec![lit(":"), two(Field::MinuteOfHour), opt(seconds)]),
                            opt(vec![Item::ZoneOrOffsetId]),
                            opt(vec![offset_no_colon()]),
                        ]),
                    ]),
                ],
            };
            Some((vec![parser], strict_printer(false)))
        }
        "strict_date_optional_time_nanos" => {
            let mut time = vec![
                lit("T"),
                two(Field::HourOfDay),
                lit(":"),
                two(Field::MinuteOfHour),
                lit(":"),
                two(Field::SecondOfMinute),
            ];
            time.extend(frac_and_comma());
            time.push(opt(vec![Item::ZoneOrOffsetId]));
            time.push(opt(vec![offset_no_colon()]));
            let parser = Formatter {
                items: vec![strict_year_month_day(), opt(time)],
            };
            Some((vec![parser], strict_printer(true)))
        }
        "date_optional_time" => {
            let parser = Formatter {
                items: vec![
                    lenient_date(),
                    opt(vec![
                        lit("T"),
                        opt(vec![
                            num(Field::HourOfDay, 1, 2, SignStyle::NotNegative),
                            opt(vec![
                                lit(":"),
                                num(Field::MinuteOfHour, 1, 2, SignStyle::NotNegative),
                                opt(vec![
                                    lit(":"),
                                    num(Field::SecondOfMinute, 1, 2, SignStyle::NotNegative),
                                ]),
                                opt(vec![fraction(1, 9, true)]),
                                opt(vec![lit(","), fraction(1, 9, false)]),
                                opt(vec![Item::ZoneOrOffsetId]),
                                opt(vec![offset_no_colon()]),
                            ]),
                        ]),
                    ]),
                ],
            };
            Some((vec![parser], strict_printer(false)))
        }
        "date" => {
            let printer = Formatter {
                items: vec![
                    num(Field::Year, 4, 10, SignStyle::ExceedsPad),
                    lit("-"),
                    two(Field::MonthOfYear),
                    lit("-"),
                    two(Field::DayOfMonth),
                ],
            };
            Some((
                vec![Formatter {
                    items: vec![lenient_date()],
                }],
                printer,
            ))
        }
        "date_time" => {
            let prefix = || {
                vec![
                    lenient_date(),
                    lit("T"),
                    num(Field::HourOfDay, 1, 2, SignStyle::NotNegative),
                    lit(":"),
                    num(Field::MinuteOfHour, 1, 2, SignStyle::NotNegative),
                    opt(vec![
                        lit(":"),
                        num(Field::SecondOfMinute, 1, 2, SignStyle::NotNegative),
                        fraction(1, 9, true),
                    ]),
                ]
            };
            let mut with_colon = prefix();
            with_colon.push(Item::Offset {
                kind: 4,
                no_offset: "Z".into(),
            });
            let mut without_colon = prefix();
            without_colon.push(offset_no_colon());
            Some((
                vec![
                    Formatter { items: with_colon },
                    Formatter {
                        items: without_colon,
                    },
                ],
                strict_printer(false),
            ))
        }
        "epoch_millis" => {
            let f = Formatter {
                items: vec![Item::Epoch { millis: true }],
            };
            Some((vec![f.clone()], f))
        }
        "epoch_second" => {
            let f = Formatter {
                items: vec![Item::Epoch { millis: false }],
            };
            Some((vec![f.clone()], f))
        }
        _ => None,
    }
}

impl DateFormatter {
    /// `DateFormatter.forPattern(input)`: `8` prefix stripped, `||` alternatives, named formats,
    /// else a java.time pattern (`Invalid format: [p]: <reason>` when Java refuses it).
    pub fn for_pattern(input: &str) -> Result<DateFormatter, DateError> {
        if input.is_empty() {
            return Err(DateError::illegal_argument("No date pattern provided"));
        }
        let format = input.strip_prefix('8').unwrap_or(input);
        let mut parsers = Vec::new();
        let mut printer = None;
        for p in format.split("||") {
            if p.is_empty() {
                return Err(DateError::illegal_argument(format!(
                    "Cannot have empty element in multi date format pattern: {input}"
                )));
            }
            let (ps, pr) = single_pattern(p)?;
            parsers.extend(ps);
            if printer.is_none() {
                printer = Some(pr);
            }
        }
        Ok(DateFormatter {
            pattern: input.to_string(),
            parsers,
            printer: printer.expect("at least one pattern"),
        })
    }

    /// `JavaDateFormatter.parse`: the first parser that consumes the whole text.
    pub fn parse(&self, text: &str, zone_override: Option<&Zone>) -> Result<Resolved, DateError> {
        if text.is_empty() {
            return Err(DateError::illegal_argument("cannot parse empty date"));
        }
        let wrap = |e: DateError| {
            DateError::illegal_argument(format!(
                "failed to parse date field [{text}] with format [{}]",
                self.pattern
            ))
            .with_cause(e)
        };
        if self.parsers.len() == 1 {
            return self.parsers[0].parse(text, zone_override).map_err(wrap);
        }
        for parser in &self.parsers {
            // `toFormat().parseObject`: a failure (at parse or resolve) tries the next parser.
            if let Ok(r) = parser.parse(text, zone_override) {
                return Ok(r);
            }
        }
        Err(wrap(DateError::parse(format!(
            "Text '{text}' could not be parsed at index 0"
        ))))
    }

    /// Whether a parser reads names (months, days, eras, AM/PM), which depend on the locale.
    pub fn uses_text(&self) -> bool {
        fn any(items: &[Item]) -> bool {
            items.iter().any(|i| match i {
                Item::Text { .. } => true,
                Item::Optional(inner) => any(inner),
                _ => false,
            })
        }
        self.parsers.iter().any(|p| any(&p.items))
    }

    /// `DateFormatter.format(zonedDateTime)` (the printer prints in the value's own zone).
    pub fn format(&self, zdt: &Zdt) -> Result<String, DateError> {
        self.printer.format(zdt)
    }
}

fn single_pattern(p: &str) -> Result<(Vec<Formatter>, Formatter), DateError> {
    if format_names().contains(&p) {
        return named(p).ok_or_else(|| DateError::unsupported(format!("the date format [{p}]")));
    }
    match java::compile(p) {
        Ok(f) => Ok((vec![f.clone()], f)),
        Err(PatternError::Java(msg)) => Err(DateError::illegal_argument(format!(
            "Invalid format: [{p}]: {msg}"
        ))),
        Err(PatternError::Unsupported(what)) => Err(DateError::unsupported(format!(
            "the date format [{p}] uses {what}"
        ))),
    }
}

/// `LocalDate` from a resolved parse, as `DateFormatters.LOCAL_DATE_QUERY` builds it (also from
/// an unresolved year-of-era).
fn local_date_query(r: &Resolved) -> Result<Option<Date>, DateError> {
    if let Some(d) = r.date {
        return Ok(Some(d));
    }
    if r.is_supported(Field::YearOfEra) || r.is_supported(Field::Year) {
        let year = get_year(r);
        if r.is_supported(Field::MonthOfYear) && r.is_supported(Field::DayOfMonth) {
            return java::local_date(
                year,
                r.get(Field::MonthOfYear).unwrap_or(1),
                r.get(Field::DayOfMonth).unwrap_or(1),
            )
            .map(Some);
        } else if r.is_supported(Field::DayOfYear) {
            return java::local_date_of_year_day(year, r.get(Field::DayOfYear).unwrap_or(1))
                .map(Some);
        }
    }
    Ok(None)
}

fn get_year(r: &Resolved) -> i64 {
    r.get(Field::Year)
        .or_else(|| r.get(Field::YearOfEra))
        .unwrap_or(1970)
}

fn start_of_day(d: Date, zone: &Zone) -> Result<Zdt, DateError> {
    Zdt::of_local(d.to_datetime(Time::midnight()), zone)
}

/// `DateFormatters.from(accessor, locale, defaultZone)`.
pub fn zoned_from(r: &Resolved, default_zone: &Zone) -> Result<Zdt, DateError> {
    let zone = r
        .zone
        .clone()
        .or(r.offset.map(Zone::Offset))
        .unwrap_or_else(|| default_zone.clone());
    let date = local_date_query(r)?;
    if let (Some(d), Some(t)) = (date, r.time) {
        return Zdt::of_local(d.to_datetime(t), &zone);
    }
    if let (Some(secs), Some(nanos)) = (
        r.fields.get(&Field::InstantSeconds),
        r.get(Field::NanoOfSecond),
    ) {
        let ts = Timestamp::new(*secs, nanos as i32).map_err(|_| {
            DateError::unsupported(format!("the instant {secs}s (outside -9999..9999)"))
        })?;
        return Ok(Zdt::of_instant(ts, &zone));
    }
    if let Some(d) = date {
        return start_of_day(d, &zone);
    }
    let local_date_for_time = |r: &Resolved| -> Result<Date, DateError> {
        if r.is_supported(Field::MonthOfYear) {
            java::local_date(
                get_year(r),
                r.get(Field::MonthOfYear).unwrap_or(1),
                if r.is_supported(Field::DayOfMonth) {
                    r.get(Field::DayOfMonth).unwrap_or(1)
                } else {
                    1
                },
            )
        } else {
            Ok(Date::constant(1970, 1, 1))
        }
    };
    if let Some(t) = r.time {
        return Zdt::of_local(local_date_for_time(r)?.to_datetime(t), &zone);
    }
    if r.is_supported(Field::Year) || r.is_supported(Field::YearOfEra) {
        let year = get_year(r);
        let d = if r.is_supported(Field::MonthOfYear) {
            java::local_date(year, r.get(Field::MonthOfYear).unwrap_or(1), 1)?
        } else {
            java::local_date(year, 1, 1)?
        };
        return start_of_day(d, &zone);
    }
    if r.is_supported(Field::MonthOfYear) {
        return start_of_day(local_date_for_time(r)?, &zone);
    }
    Err(DateError::unsupported(
        "a date without year, month or time (upstream: \"temporal accessor [...] cannot be \
         converted to zoned date time\")",
    ))
}

/// Parses `text` with a format as a mapping's `format` or `date_index_name`'s formats name
/// it: `DateFormatter.forPattern(format).parse(text)` then `DateFormatters.from` (UTC unless the
/// text has a zone).
pub fn parse_with_format(format: &str, text: &str) -> Result<Zdt, DateError> {
    let formatter = DateFormatter::for_pattern(format)?;
    let resolved = formatter.parse(text, None)?;
    zoned_from(&resolved, &Zone::UTC)
}

/// One entry of a date processor's `formats` (`DateFormat.fromString`).
#[derive(Clone, Debug)]
pub enum DateFormat {
    Iso8601,
    Unix,
    UnixMs,
    Tai64n,
    /// A java.time pattern or named format; `Err` when `DateFormatter.forPattern` refuses it
    /// (upstream fails only when a document is parsed with it).
    Java(String, Result<DateFormatter, DateError>),
}

impl DateFormat {
    /// `DateFormat.fromString` plus, for Java patterns, compiling the pattern once. A pattern
    /// this engine cannot handle is an error here (creation time), never a misparse later.
    pub fn from_string(format: &str) -> Result<DateFormat, DateError> {
        Ok(match format {
            "ISO8601" => DateFormat::Iso8601,
            "UNIX" => DateFormat::Unix,
            "UNIX_MS" => DateFormat::UnixMs,
            "TAI64N" => DateFormat::Tai64n,
            _ => {
                let compiled = DateFormatter::for_pattern(format);
                if let Err(e) = &compiled {
                    if e.unsupported {
                        return Err(e.clone());
                    }
                }
                DateFormat::Java(format.to_string(), compiled)
            }
        })
    }

    /// `DateFormat.getFunction(format, zone, locale).apply(text)`; `now` gives the current year
    /// for Java patterns without a year (`LocalDate.now(ZoneOffset.UTC).getYear()`).
    pub fn parse(
        &self,
        text: Option<&str>,
        zone: &Zone,
        locale: &Locale,
        now: Timestamp,
    ) -> Result<Zdt, DateError> {
        let _ = locale;
        match self {
            DateFormat::Iso8601 => {
                let text =
                    text.ok_or_else(|| DateError::illegal_argument("cannot parse empty date"))?;
                let f = DateFormatter::for_pattern("iso8601")?;
                let r = f.parse(text, None)?;
                zoned_from(&r, zone)?.with_zone_same_instant(zone)
            }
            DateFormat::Unix => {
                let text = text.ok_or_else(null_pointer)?;
                let seconds = parse_double(text)?;
                // (long) (Double.parseDouble(date) * 1000.0)
                let millis = java_double_to_long(seconds * 1000.0);
                at_millis(millis, zone)
            }
            DateFormat::UnixMs => {
                let text =
                    text.ok_or_else(|| DateError::number_format("Cannot parse null string: null"))?;
                let millis = crate::grok::java_parse_long(text).map_err(|_| {
                    DateError::number_format(format!("For input string: \"{text}\""))
                })?;
                at_millis(millis, zone)
            }
            DateFormat::Tai64n => {
                let text = text.ok_or_else(null_pointer)?;
                at_millis(tai64n_millis(text)?, zone)
            }
            DateFormat::Java(_, compiled) => {
                let formatter = compiled.clone()?;
                if let Locale::Other(tag) = locale {
                    if formatter.uses_text() {
                        return Err(DateError::unsupported(format!(
                            "the locale [{tag}] with the date format [{}]: month, day, era and \
                             AM/PM names are only available in English",
                            formatter.pattern
                        )));
                    }
                }
                java_parse(&formatter, text, zone, now)
            }
        }
    }
}

fn null_pointer() -> DateError {
    DateError::new("null_pointer_exception", "")
}

fn parse_double(text: &str) -> Result<f64, DateError> {
    let cleaned = crate::grok::java_parse_floating(text).map_err(|e| match e {
        crate::grok::GrokError::Unsupported(m) => DateError::unsupported(m),
        other => DateError::number_format(other.to_string()),
    })?;
    cleaned
        .parse::<f64>()
        .map_err(|_| DateError::number_format(format!("For input string: \"{text}\"")))
}

/// Java's `(long) d`: NaN is 0, out of range saturates, otherwise truncation toward zero.
fn java_double_to_long(d: f64) -> i64 {
    if d.is_nan() {
        0
    } else {
        d as i64
    }
}

fn at_millis(millis: i64, zone: &Zone) -> Result<Zdt, DateError> {
    let ts = Timestamp::from_millisecond(millis).map_err(|_| {
        DateError::unsupported(format!("the instant {millis}ms (outside -9999..9999)"))
    })?;
    Ok(Zdt::of_instant(ts, zone))
}

/// `DateFormat.Tai64n.parseMillis`.
fn tai64n_millis(date: &str) -> Result<i64, DateError> {
    let date = date.strip_prefix('@').unwrap_or(date);
    let units: Vec<u16> = date.encode_utf16().collect();
    let sub = |b: usize, e: usize| -> Result<String, DateError> {
        if e > units.len() || b > e {
            return Err(DateError::new(
                "string_index_out_of_bounds_exception",
                format!("begin {b}, end {e}, length {}", units.len()),
            ));
        }
        Ok(String::from_utf16_lossy(&units[b..e]))
    };
    let base_s = sub(1, 16)?;
    let base = i64::from_str_radix(&base_s, 16).map_err(|_| radix16(&base_s))?;
    if !base_s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(radix16(&base_s));
    }
    let rest_s = sub(16, 24)?;
    if !rest_s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(radix16(&rest_s));
    }
    let rest = i64::from_str_radix(&rest_s, 16).map_err(|_| radix16(&rest_s))?;
    Ok(base.wrapping_mul(1000).wrapping_sub(10000) + rest / 1_000_000)
}

fn radix16(s: &str) -> DateError {
    DateError::number_format(format!("For input string: \"{s}\" under radix 16"))
}

/// `DateFormat.Java.getFunction(format, zoneId, locale).apply(text)`.
fn java_parse(
    formatter: &DateFormatter,
    text: Option<&str>,
    zone: &Zone,
    now: Timestamp,
) -> Result<Zdt, DateError> {
    let text = text.unwrap_or("");
    let is_utc = zone.is_offset_utc();
    // "if UTC zone is set here, the time zone specified in the format will be ignored"
    let zone_override = if is_utc { None } else { Some(zone) };
    let r = formatter.parse(text, zone_override)?;
    let accessor = if !r.is_supported(Field::Year) && !r.is_supported(Field::YearOfEra) {
        // No year: the current year (UTC), then the parsed fields filled in.
        let year = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).year() as i64;
        let mut dt = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);
        dt = dt
            .with()
            .year(year as i16)
            .build()
            .map_err(|e| DateError::datetime(e.to_string()))?;
        if let Some(n) = r.get(Field::NanoOfSecond) {
            dt = dt
                .with()
                .subsec_nanosecond(n as i32)
                .build()
                .map_err(|e| DateError::datetime(e.to_string()))?;
        }
        if let Some(t) = r.time {
            // SECOND_OF_DAY, MINUTE_OF_DAY, HOUR_OF_DAY: the time of day, nanos kept.
            dt = dt
                .with()
                .hour(t.hour())
                .minute(t.minute())
                .second(t.second())
                .build()
                .map_err(|e| DateError::datetime(e.to_string()))?;
        }
        if let Some(d) = r.get(Field::DayOfMonth) {
            // withDayOfMonth on January of that year.
            Field::DayOfMonth.check(d)?;
            dt = dt
                .with()
                .day(d as i8)
                .build()
                .map_err(|e| DateError::datetime(e.to_string()))?;
        }
        if let Some(m) = r.get(Field::MonthOfYear) {
            Field::MonthOfYear.check(m)?;
            // withMonth keeps the day if valid, else the last day of the month.
            let last = java_month_length(year, m);
            let day = (dt.day() as i64).min(last);
            dt = dt
                .with()
                .day(1)
                .month(m as i8)
                .build()
                .and_then(|d| d.with().day(day as i8).build())
                .map_err(|e| DateError::datetime(e.to_string()))?;
        }
        Zdt {
            local: dt,
            offset: 0,
            zone: Zone::UTC,
        }
        .with_zone_same_local(zone)?
    } else {
        zoned_from(&r, &Zone::UTC)?
    };
    if is_utc {
        accessor.with_zone_same_instant(&Zone::UTC)
    } else {
        Ok(accessor)
    }
}

fn java_month_length(y: i64, m: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 => {
            if leap {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The date processor's default `output_format`.
pub const DEFAULT_OUTPUT_FORMAT: &str = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

#[cfg(test)]
mod tests;
