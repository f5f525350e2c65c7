//! A subset of `java.time.format.DateTimeFormatter`: the pattern letters of
//! `DateTimeFormatterBuilder.appendPattern`, strict parsing (adjacent value parsing, optional
//! sections, text in English), the STRICT resolver (`java.time.format.Parsed`), and printing.
//! Letters Java accepts that are not implemented here are refused when the pattern is
//! compiled, naming the letter; letters Java refuses give Java's own message.

use painless::calendar::{is_leap, month_length};
use std::collections::BTreeMap;
use std::sync::OnceLock;

use jiff::civil::{Date, Time};

use super::zone::{Zdt, Zone};
use super::DateError;

/// The `ChronoField`s this formatter parses and prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Era,
    YearOfEra,
    Year,
    MonthOfYear,
    DayOfMonth,
    DayOfYear,
    DayOfWeek,
    AmPmOfDay,
    ClockHourOfAmPm,
    HourOfAmPm,
    ClockHourOfDay,
    HourOfDay,
    MinuteOfHour,
    SecondOfMinute,
    NanoOfSecond,
    /// Only from the epoch formats.
    InstantSeconds,
    /// `Y`: the locale's week-based year (`WeekFields.of(locale).weekBasedYear()`).
    WeekBasedYear,
    /// `w`: the locale's week of week-based year.
    WeekOfWeekBasedYear,
}

impl Field {
    /// `ChronoField.toString()`.
    pub fn java_name(self) -> &'static str {
        match self {
            Field::Era => "Era",
            Field::YearOfEra => "YearOfEra",
            Field::Year => "Year",
            Field::MonthOfYear => "MonthOfYear",
            Field::DayOfMonth => "DayOfMonth",
            Field::DayOfYear => "DayOfYear",
            Field::DayOfWeek => "DayOfWeek",
            Field::AmPmOfDay => "AmPmOfDay",
            Field::ClockHourOfAmPm => "ClockHourOfAmPm",
            Field::HourOfAmPm => "HourOfAmPm",
            Field::ClockHourOfDay => "ClockHourOfDay",
            Field::HourOfDay => "HourOfDay",
            Field::MinuteOfHour => "MinuteOfHour",
            Field::SecondOfMinute => "SecondOfMinute",
            Field::NanoOfSecond => "NanoOfSecond",
            Field::InstantSeconds => "InstantSeconds",
            Field::WeekBasedYear => "WeekBasedYear",
            Field::WeekOfWeekBasedYear => "WeekOfWeekBasedYear",
        }
    }

    /// `ChronoField.range()` as `(min, smallest max, largest max)` and its display.
    fn range(self) -> (i64, i64, &'static str) {
        match self {
            Field::Era => (0, 1, "0 - 1"),
            Field::YearOfEra => (1, 1_000_000_000, "1 - 999999999/1000000000"),
            Field::Year => (-999_999_999, 999_999_999, "-999999999 - 999999999"),
            Field::MonthOfYear => (1, 12, "1 - 12"),
            Field::DayOfMonth => (1, 31, "1 - 28/31"),
            Field::DayOfYear => (1, 366, "1 - 365/366"),
            Field::DayOfWeek => (1, 7, "1 - 7"),
            Field::AmPmOfDay => (0, 1, "0 - 1"),
            Field::ClockHourOfAmPm => (1, 12, "1 - 12"),
            Field::HourOfAmPm => (0, 11, "0 - 11"),
            Field::ClockHourOfDay => (1, 24, "1 - 24"),
            Field::HourOfDay => (0, 23, "0 - 23"),
            Field::MinuteOfHour => (0, 59, "0 - 59"),
            Field::SecondOfMinute => (0, 59, "0 - 59"),
            Field::NanoOfSecond => (0, 999_999_999, "0 - 999999999"),
            Field::InstantSeconds => (i64::MIN, i64::MAX, ""),
            Field::WeekBasedYear => (-999_999_999, 999_999_999, "-999999999 - 999999999"),
            Field::WeekOfWeekBasedYear => (1, 53, "1 - 52/53"),
        }
    }

    /// `ChronoField.checkValidValue`.
    pub fn check(self, value: i64) -> Result<i64, DateError> {
        let (min, max, text) = self.range();
        if value < min || value > max {
            return Err(DateError::datetime(format!(
                "Invalid value for {} (valid values {}): {}",
                self.java_name(),
                text,
                value
            )));
        }
        Ok(value)
    }

    fn is_time_based(self) -> bool {
        matches!(
            self,
            Field::AmPmOfDay
                | Field::ClockHourOfAmPm
                | Field::HourOfAmPm
                | Field::ClockHourOfDay
                | Field::HourOfDay
                | Field::MinuteOfHour
                | Field::SecondOfMinute
                | Field::NanoOfSecond
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignStyle {
    Normal,
    NotNegative,
    ExceedsPad,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextStyle {
    Short,
    Full,
}

/// One printer-parser of a compiled pattern.
#[derive(Clone, Debug)]
pub enum Item {
    Literal(String),
    Number {
        field: Field,
        min: usize,
        max: usize,
        sign: SignStyle,
        /// Java's `subsequentWidth`: -1 when fixed width, else the widths of the adjacent
        /// fixed-width values that follow.
        subsequent: i32,
    },
    /// `yy`: two digits on the base year 2000.
    Reduced {
        field: Field,
    },
    Fraction {
        min: usize,
        max: usize,
        decimal_point: bool,
    },
    Text {
        field: Field,
        style: TextStyle,
    },
    Offset {
        /// Index in [`OFFSET_PATTERNS`].
        kind: usize,
        no_offset: String,
    },
    /// `VV`: a zone id (`appendZoneId`).
    ZoneId,
    /// `appendZoneOrOffsetId`: a zone id or an offset (`Z`, `+01:00`...).
    ZoneOrOffsetId,
    Optional(Vec<Item>),
    /// The epoch formats: `-?digits(.digits)?` as seconds or milliseconds.
    Epoch {
        millis: bool,
    },
}

/// `OffsetIdPrinterParser.PATTERNS`.
const OFFSET_PATTERNS: [&str; 22] = [
    "+HH",
    "+HHmm",
    "+HH:mm",
    "+HHMM",
    "+HH:MM",
    "+HHMMss",
    "+HH:MM:ss",
    "+HHMMSS",
    "+HH:MM:SS",
    "+HHmmss",
    "+HH:mm:ss",
    "+H",
    "+Hmm",
    "+H:mm",
    "+HMM",
    "+H:MM",
    "+HMMss",
    "+H:MM:ss",
    "+HMMSS",
    "+H:MM:SS",
    "+Hmmss",
    "+H:mm:ss",
];

/// A compiled formatter.
#[derive(Clone, Debug)]
pub struct Formatter {
    pub items: Vec<Item>,
}

/// Pattern compile failure: Java's own `IllegalArgumentException`, or a letter Java has and this
/// engine does not.
#[derive(Clone, Debug, PartialEq)]
pub enum PatternError {
    Java(String),
    Unsupported(String),
}

/// A builder with Java's `active.valueParserIndex` bookkeeping for adjacent value parsing.
struct Builder {
    stack: Vec<(Vec<Item>, Option<usize>)>,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            stack: vec![(Vec::new(), None)],
        }
    }

    fn active(&mut self) -> &mut (Vec<Item>, Option<usize>) {
        self.stack.last_mut().expect("a builder level")
    }

    fn append(&mut self, item: Item) {
        let active = self.active();
        active.0.push(item);
        active.1 = None;
    }

    /// `appendValue(NumberPrinterParser)`.
    fn append_value(&mut self, item: Item) {
        let active = self.active();
        if let Some(index) = active.1 {
            let fixed_not_negative = match &item {
                Item::Number { min, max, sign, .. } => {
                    min == max && *sign == SignStyle::NotNegative
                }
                Item::Fraction { min, max, .. } => min == max,
                Item::Reduced { .. } => false,
                _ => false,
            };
            if fixed_not_negative {
                let width = match &item {
                    Item::Number { max, .. } | Item::Fraction { max, .. } => *max as i32,
                    _ => 0,
                };
                if let Item::Number { subsequent, .. } = &mut active.0[index] {
                    if *subsequent >= 0 {
                        *subsequent += width;
                    } else {
                        *subsequent = width;
                    }
                }
                let mut item = item;
                if let Item::Number { subsequent, .. } = &mut item {
                    *subsequent = -1;
                }
                active.0.push(item);
                // The active parser stays.
            } else {
                if let Item::Number { subsequent, .. } = &mut active.0[index] {
                    *subsequent = -1;
                }
                active.0.push(item);
                let len = active.0.len();
                active.1 = Some(len - 1);
            }
        } else {
            active.0.push(item);
            let len = active.0.len();
            active.1 = Some(len - 1);
        }
    }

    fn optional_start(&mut self) {
        self.active().1 = None;
        self.stack.push((Vec::new(), None));
    }

    fn optional_end(&mut self) -> bool {
        if self.stack.len() < 2 {
            return false;
        }
        let (items, _) = self.stack.pop().expect("an optional level");
        self.append(Item::Optional(items));
        true
    }

    fn finish(mut self) -> Vec<Item> {
        while self.stack.len() > 1 {
            self.optional_end();
        }
        self.stack.pop().map(|(items, _)| items).unwrap_or_default()
    }
}

fn number(field: Field, min: usize, max: usize, sign: SignStyle) -> Item {
    Item::Number {
        field,
        min,
        max,
        sign,
        subsequent: 0,
    }
}

/// `DateTimeFormatterBuilder.appendPattern(pattern)`.
pub fn compile(pattern: &str) -> Result<Formatter, PatternError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut b = Builder::new();
    // A letter Java has and this engine lacks is reported only if Java accepts the rest.
    let mut unsupported_letter: Option<PatternError> = None;
    let mut pos = 0;
    while pos < chars.len() {
        let cur = chars[pos];
        if cur.is_ascii_alphabetic() {
            let start = pos;
            pos += 1;
            while pos < chars.len() && chars[pos] == cur {
                pos += 1;
            }
            let count = pos - start;
            let result = if cur == 'p' {
                Err(PatternError::Unsupported(
                    "pattern letter 'p' (padding)".into(),
                ))
            } else {
                parse_field(&mut b, cur, count)
            };
            match result {
                Ok(()) => {}
                Err(e @ PatternError::Unsupported(_)) => {
                    unsupported_letter.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
            pos -= 1;
        } else if cur == '\'' {
            let start = pos;
            pos += 1;
            while pos < chars.len() {
                if chars[pos] == '\'' {
                    if pos + 1 < chars.len() && chars[pos + 1] == '\'' {
                        pos += 1;
                    } else {
                        break;
                    }
                }
                pos += 1;
            }
            if pos >= chars.len() {
                return Err(PatternError::Java(format!(
                    "Pattern ends with an incomplete string literal: {pattern}"
                )));
            }
            let s: String = chars[start + 1..pos].iter().collect();
            if s.is_empty() {
                b.append(Item::Literal("'".into()));
            } else {
                b.append(Item::Literal(s.replace("''", "'")));
            }
        } else if cur == '[' {
            b.optional_start();
        } else if cur == ']' {
            if !b.optional_end() {
                return Err(PatternError::Java(
                    "Pattern invalid as it contains ] without previous [".into(),
                ));
            }
        } else if cur == '{' || cur == '}' || cur == '#' {
            return Err(PatternError::Java(format!(
                "Pattern includes reserved character: '{cur}'"
            )));
        } else {
            b.append(Item::Literal(cur.to_string()));
        }
        pos += 1;
    }
    if let Some(e) = unsupported_letter {
        return Err(e);
    }
    Ok(Formatter { items: b.finish() })
}

fn too_many(letter: char) -> PatternError {
    PatternError::Java(format!("Too many pattern letters: {letter}"))
}

fn unsupported(letter: char) -> PatternError {
    PatternError::Unsupported(format!("pattern letter '{letter}'"))
}

/// `DateTimeFormatterBuilder.parseField`.
fn parse_field(b: &mut Builder, letter: char, count: usize) -> Result<(), PatternError> {
    match letter {
        'G' => match count {
            1..=3 => b.append(Item::Text {
                field: Field::Era,
                style: TextStyle::Short,
            }),
            4 | 5 => return Err(unsupported(letter)),
            _ => return Err(too_many(letter)),
        },
        'y' | 'u' => {
            let field = if letter == 'y' {
                Field::YearOfEra
            } else {
                Field::Year
            };
            if count == 2 {
                b.append_value(Item::Reduced { field });
            } else if count > 19 {
                return Err(PatternError::Java(format!(
                    "The minimum width must be from 1 to 19 inclusive but was {count}"
                )));
            } else if count < 4 {
                b.append_value(number(field, count, 19, SignStyle::Normal));
            } else {
                b.append_value(number(field, count, 19, SignStyle::ExceedsPad));
            }
        }
        'M' | 'L' => match count {
            1 => b.append_value(number(Field::MonthOfYear, 1, 19, SignStyle::Normal)),
            2 => b.append_value(number(Field::MonthOfYear, 2, 2, SignStyle::NotNegative)),
            3 => b.append(Item::Text {
                field: Field::MonthOfYear,
                style: TextStyle::Short,
            }),
            4 => b.append(Item::Text {
                field: Field::MonthOfYear,
                style: TextStyle::Full,
            }),
            5 => {
                return Err(PatternError::Unsupported(
                    "narrow month names (MMMMM)".into(),
                ))
            }
            _ => return Err(too_many(letter)),
        },
        'E' => match count {
            1..=3 => b.append(Item::Text {
                field: Field::DayOfWeek,
                style: TextStyle::Short,
            }),
            4 => b.append(Item::Text {
                field: Field::DayOfWeek,
                style: TextStyle::Full,
            }),
            5 => return Err(PatternError::Unsupported("narrow day names (EEEEE)".into())),
            _ => return Err(too_many(letter)),
        },
        'a' => {
            if count == 1 {
                b.append(Item::Text {
                    field: Field::AmPmOfDay,
                    style: TextStyle::Short,
                });
            } else {
                return Err(too_many(letter));
            }
        }
        'd' | 'h' | 'H' | 'k' | 'K' | 'm' | 's' => {
            let field = match letter {
                'd' => Field::DayOfMonth,
                'h' => Field::ClockHourOfAmPm,
                'H' => Field::HourOfDay,
                'k' => Field::ClockHourOfDay,
                'K' => Field::HourOfAmPm,
                'm' => Field::MinuteOfHour,
                _ => Field::SecondOfMinute,
            };
            match count {
                1 => b.append_value(number(field, 1, 19, SignStyle::Normal)),
                2 => b.append_value(number(field, 2, 2, SignStyle::NotNegative)),
                _ => return Err(too_many(letter)),
            }
        }
        'D' => match count {
            1 => b.append_value(number(Field::DayOfYear, 1, 19, SignStyle::Normal)),
            2 => b.append_value(number(Field::DayOfYear, 2, 3, SignStyle::NotNegative)),
            3 => b.append_value(number(Field::DayOfYear, 3, 3, SignStyle::NotNegative)),
            _ => return Err(too_many(letter)),
        },
        'S' => {
            if count > 9 {
                return Err(PatternError::Java(format!(
                    "Maximum width must be from 1 to 9 inclusive but was {count}"
                )));
            }
            b.append_value(Item::Fraction {
                min: count,
                max: count,
                decimal_point: false,
            });
        }
        'Z' => match count {
            1..=3 => b.append(Item::Offset {
                kind: 3,
                no_offset: "+0000".into(),
            }),
            4 => {
                return Err(PatternError::Unsupported(
                    "pattern letter 'Z' x4 (localized offset)".into(),
                ))
            }
            5 => b.append(Item::Offset {
                kind: 6,
                no_offset: "Z".into(),
            }),
            _ => return Err(too_many(letter)),
        },
        'X' | 'x' => {
            if count > 5 {
                return Err(too_many(letter));
            }
            let kind = [1, 3, 4, 5, 6][count - 1];
            let no_offset = if letter == 'X' {
                "Z"
            } else {
                ["+00", "+0000", "+00:00", "+0000", "+00:00"][count - 1]
            };
            b.append(Item::Offset {
                kind,
                no_offset: no_offset.into(),
            });
        }
        'V' => {
            if count != 2 {
                return Err(PatternError::Java(
                    "Pattern letter count must be 2: V".into(),
                ));
            }
            b.append(Item::ZoneId);
        }
        // WeekBasedFieldPrinterParser: the locale's week-based year and week.
        'Y' => {
            if count == 2 {
                b.append_value(Item::Reduced {
                    field: Field::WeekBasedYear,
                });
            } else if count > 19 {
                return Err(PatternError::Java(format!(
                    "The minimum width must be from 1 to 19 inclusive but was {count}"
                )));
            } else {
                let sign = if count < 4 {
                    SignStyle::Normal
                } else {
                    SignStyle::ExceedsPad
                };
                b.append_value(number(Field::WeekBasedYear, count, 19, sign));
            }
        }
        'w' => match count {
            1 => b.append_value(number(
                Field::WeekOfWeekBasedYear,
                1,
                2,
                SignStyle::NotNegative,
            )),
            2 => b.append_value(number(
                Field::WeekOfWeekBasedYear,
                2,
                2,
                SignStyle::NotNegative,
            )),
            _ => return Err(too_many(letter)),
        },
        // Letters java.time has that this engine does not implement.
        'Q' | 'q' | 'W' | 'e' | 'c' | 'F' | 'A' | 'n' | 'N' | 'g' | 'B' | 'v' | 'z' | 'O' => {
            return Err(unsupported(letter))
        }
        _ => {
            return Err(PatternError::Java(format!(
                "Unknown pattern letter: {letter}"
            )))
        }
    }
    Ok(())
}

/// English month and day names: java.time with the JDK's COMPAT locale data (OpenSearch 2.x
/// runs with `-Djava.locale.providers=SPI,COMPAT`) gives these for `Locale.ROOT` and English.
const MONTHS_FULL: [&str; 12] = [
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
const MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS_FULL: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const DAYS_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn texts(field: Field, style: TextStyle) -> &'static [(&'static str, i64)] {
    fn table(names: &[&'static str]) -> Vec<(&'static str, i64)> {
        let mut list: Vec<(&'static str, i64)> = names.iter().copied().zip(1..).collect();
        // LocaleStore sorts the parse list longest text first.
        list.sort_by_key(|t| std::cmp::Reverse(t.0.len()));
        list
    }
    static MONTHS_S: OnceLock<Vec<(&str, i64)>> = OnceLock::new();
    static MONTHS_F: OnceLock<Vec<(&str, i64)>> = OnceLock::new();
    static DAYS_S: OnceLock<Vec<(&str, i64)>> = OnceLock::new();
    static DAYS_F: OnceLock<Vec<(&str, i64)>> = OnceLock::new();
    match (field, style) {
        (Field::MonthOfYear, TextStyle::Short) => MONTHS_S.get_or_init(|| table(&MONTHS_SHORT)),
        (Field::MonthOfYear, TextStyle::Full) => MONTHS_F.get_or_init(|| table(&MONTHS_FULL)),
        (Field::DayOfWeek, TextStyle::Short) => DAYS_S.get_or_init(|| table(&DAYS_SHORT)),
        (Field::DayOfWeek, TextStyle::Full) => DAYS_F.get_or_init(|| table(&DAYS_FULL)),
        (Field::AmPmOfDay, _) => &[("AM", 0), ("PM", 1)],
        (Field::Era, _) => &[("BC", 0), ("AD", 1)],
        _ => &[],
    }
}

/// What a parse collected (`java.time.format.Parsed` before resolving).
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub fields: BTreeMap<Field, i64>,
    pub offset: Option<i32>,
    pub zone: Option<Zone>,
}

impl Parsed {
    /// `DateTimeParseContext.setParsedField`: a different value for a field already parsed fails.
    fn set(
        &mut self,
        field: Field,
        value: i64,
        error_pos: usize,
        success_pos: usize,
    ) -> Result<usize, usize> {
        match self.fields.insert(field, value) {
            Some(old) if old != value => Err(error_pos),
            _ => Ok(success_pos),
        }
    }
}

/// `DateTimeParseException` text for a failed parse.
fn abbreviate(text: &str) -> String {
    if text.chars().count() > 64 {
        let head: String = text.chars().take(64).collect();
        format!("{head}...")
    } else {
        text.to_string()
    }
}

impl Formatter {
    /// `DateTimeFormatter.parseUnresolved` followed by the end-of-text check of `parse`.
    pub fn parse_unresolved(&self, text: &str) -> Result<Parsed, DateError> {
        let chars: Vec<char> = text.chars().collect();
        let mut parsed = Parsed::default();
        match parse_items(&self.items, &chars, 0, &mut parsed) {
            Err(index) => Err(DateError::parse(format!(
                "Text '{}' could not be parsed at index {}",
                abbreviate(text),
                index
            ))),
            Ok(end) if end < chars.len() => Err(DateError::parse(format!(
                "Text '{}' could not be parsed, unparsed text found at index {}",
                abbreviate(text),
                end
            ))),
            Ok(_) => Ok(parsed),
        }
    }

    /// `DateTimeFormatter.parse(text)` with `ResolverStyle.STRICT` and an override zone
    /// (`withZone`) if any.
    pub fn parse(&self, text: &str, zone_override: Option<&Zone>) -> Result<Resolved, DateError> {
        let mut parsed = self.parse_unresolved(text)?;
        if parsed.zone.is_none() {
            parsed.zone = zone_override.cloned();
        }
        resolve(parsed).map_err(|e| {
            DateError::parse(format!(
                "Text '{}' could not be parsed: {}",
                abbreviate(text),
                e.message
            ))
        })
    }

    /// `DateTimeFormatter.format(zonedDateTime)`.
    pub fn format(&self, zdt: &Zdt) -> Result<String, DateError> {
        let mut out = String::new();
        format_items(&self.items, zdt, &mut out)?;
        Ok(out)
    }
}

fn parse_items(
    items: &[Item],
    text: &[char],
    mut pos: usize,
    parsed: &mut Parsed,
) -> Result<usize, usize> {
    for item in items {
        match item {
            Item::Optional(inner) => {
                let mut copy = parsed.clone();
                if let Ok(p) = parse_items(inner, text, pos, &mut copy) {
                    *parsed = copy;
                    pos = p;
                }
            }
            _ => pos = parse_item(item, text, pos, parsed)?,
        }
    }
    Ok(pos)
}

fn digit_at(text: &[char], i: usize) -> Option<i64> {
    text.get(i)
        .and_then(|c| c.to_digit(10))
        .filter(|_| text[i].is_ascii_digit())
        .map(i64::from)
}

fn parse_item(
    item: &Item,
    text: &[char],
    position: usize,
    parsed: &mut Parsed,
) -> Result<usize, usize> {
    let length = text.len();
    match item {
        Item::Literal(lit) => {
            let lit: Vec<char> = lit.chars().collect();
            if position > length {
                return Err(position);
            }
            if text[position..].starts_with(&lit) {
                Ok(position + lit.len())
            } else {
                Err(position)
            }
        }
        Item::Number {
            field,
            min,
            max,
            sign,
            subsequent,
        } => {
            if position == length {
                return Err(position);
            }
            let mut position = position;
            let fixed = *min == *max && *sign == SignStyle::NotNegative;
            let mut negative = false;
            let mut positive = false;
            let c = text[position];
            if c == '+' {
                // SignStyle.parse(true, strict, fixed)
                if !matches!(sign, SignStyle::ExceedsPad) {
                    return Err(position);
                }
                positive = true;
                position += 1;
            } else if c == '-' {
                if !matches!(sign, SignStyle::Normal | SignStyle::ExceedsPad) {
                    return Err(position);
                }
                negative = true;
                position += 1;
            }
            let _ = fixed;
            let min_end = position + min;
            if min_end > length {
                return Err(position);
            }
            let mut eff_max = *max + (*subsequent).max(0) as usize;
            let mut total: i64 = 0;
            let mut pos = position;
            for pass in 0..2 {
                let max_end = (pos + eff_max).min(length);
                while pos < max_end {
                    match digit_at(text, pos) {
                        Some(d) => {
                            pos += 1;
                            total = total
                                .checked_mul(10)
                                .and_then(|t| t.checked_add(d))
                                .ok_or(position)?;
                        }
                        None => {
                            if pos < min_end {
                                return Err(position);
                            }
                            break;
                        }
                    }
                }
                if *subsequent > 0 && pass == 0 {
                    let parse_len = pos - position;
                    eff_max = (*min).max(parse_len.saturating_sub(*subsequent as usize));
                    pos = position;
                    total = 0;
                } else {
                    break;
                }
            }
            if negative {
                if total == 0 {
                    return Err(position - 1);
                }
                total = -total;
            } else if *sign == SignStyle::ExceedsPad {
                let parse_len = pos - position;
                if positive {
                    if parse_len <= *min {
                        return Err(position - 1);
                    }
                } else if parse_len > *min {
                    return Err(position);
                }
            }
            parsed.set(*field, total, position, pos)
        }
        Item::Reduced { field } => {
            if position + 2 > length {
                return Err(position);
            }
            let (Some(a), Some(b)) = (digit_at(text, position), digit_at(text, position + 1))
            else {
                return Err(position);
            };
            // ReducedPrinterParser with base value 2000: 00-99 -> 2000-2099.
            let value = 2000 + a * 10 + b;
            // A third digit would make the strict width fail.
            parsed.set(*field, value, position, position + 2)
        }
        Item::Fraction {
            min,
            max,
            decimal_point,
        } => {
            let mut position = position;
            let eff_min = *min;
            if *decimal_point {
                if position == length || text[position] != '.' {
                    return if eff_min > 0 {
                        Err(position)
                    } else {
                        Ok(position)
                    };
                }
                position += 1;
            }
            let min_end = position + eff_min;
            if min_end > length {
                return Err(position);
            }
            let max_end = (position + *max).min(length);
            let mut total: i64 = 0;
            let mut pos = position;
            while pos < max_end {
                match digit_at(text, pos) {
                    Some(d) => {
                        total = total * 10 + d;
                        pos += 1;
                    }
                    None => {
                        if pos < min_end {
                            return Err(position);
                        }
                        break;
                    }
                }
            }
            let digits = pos - position;
            let nanos = total * 10i64.pow(9 - digits as u32);
            parsed.set(Field::NanoOfSecond, nanos, position, pos)
        }
        Item::Text { field, style } => {
            for &(t, v) in texts(*field, *style) {
                let t: Vec<char> = t.chars().collect();
                if text.len() >= position + t.len() && text[position..position + t.len()] == t[..] {
                    return parsed.set(*field, v, position, position + t.len());
                }
            }
            Err(position)
        }
        Item::Offset { kind, no_offset } => parse_offset(*kind, no_offset, text, position, parsed),
        Item::ZoneId => parse_zone_id(text, position, parsed, false),
        Item::ZoneOrOffsetId => parse_zone_id(text, position, parsed, true),
        Item::Optional(_) => unreachable!("handled by parse_items"),
        Item::Epoch { millis } => parse_epoch(*millis, text, position, parsed),
    }
}

fn parse_offset(
    kind: usize,
    no_offset: &str,
    text: &[char],
    position: usize,
    parsed: &mut Parsed,
) -> Result<usize, usize> {
    let length = text.len();
    let no: Vec<char> = no_offset.chars().collect();
    if no.is_empty() {
        if position == length {
            parsed.offset = Some(0);
            return Ok(position);
        }
    } else {
        if position == length {
            return Err(position);
        }
        if text[position..].starts_with(&no) {
            parsed.offset = Some(0);
            return Ok(position + no.len());
        }
    }
    let sign = text[position];
    if sign == '+' || sign == '-' {
        let negative = sign == '-';
        let pattern = OFFSET_PATTERNS[kind];
        let colon = pattern.contains(':');
        let padded = pattern.starts_with("+HH");
        // array = [position, hours, minutes, seconds]; a negative position is a failure.
        let mut p: Result<usize, usize> = Ok(position + 1);
        let mut parts = [0i64; 3];
        let digits2 = |p: usize, need_colon: bool| -> Option<(usize, i64)> {
            let mut p = p;
            if need_colon {
                if text.get(p) != Some(&':') {
                    return None;
                }
                p += 1;
            }
            let a = digit_at(text, p)?;
            let b = digit_at(text, p + 1)?;
            Some((p + 2, a * 10 + b))
        };
        // hour
        if let Ok(at) = p {
            if padded {
                match digits2(at, false) {
                    Some((np, v)) => {
                        p = Ok(np);
                        parts[0] = v;
                    }
                    None => p = Err(at),
                }
            } else {
                match digit_at(text, at) {
                    Some(a) => match digit_at(text, at + 1) {
                        Some(b) => {
                            p = Ok(at + 2);
                            parts[0] = a * 10 + b;
                        }
                        None => {
                            p = Ok(at + 1);
                            parts[0] = a;
                        }
                    },
                    None => p = Err(at),
                }
            }
        }
        let minute_mode = match kind {
            0 | 11 => None,
            1 | 2 | 13 | 12 | 9 | 10 | 20 | 21 => Some(false),
            _ => Some(true),
        };
        let second_mode = match kind {
            5 | 6 | 16 | 17 | 9 | 10 | 20 | 21 => Some(false),
            7 | 8 | 18 | 19 => Some(true),
            _ => None,
        };
        if let (Ok(at), Some(mandatory)) = (p, minute_mode) {
            match digits2(at, colon) {
                Some((np, v)) => {
                    p = Ok(np);
                    parts[1] = v;
                }
                None => {
                    if mandatory {
                        p = Err(at);
                    }
                }
            }
            if let (Ok(at2), Some(mandatory_s)) = (p, second_mode) {
                // `+HHmmss`: seconds only when minutes were there.
                let minutes_parsed = p != Ok(at);
                if minutes_parsed || mandatory_s {
                    match digits2(at2, colon) {
                        Some((np, v)) => {
                            p = Ok(np);
                            parts[2] = v;
                        }
                        None => {
                            if mandatory_s {
                                p = Err(at2);
                            }
                        }
                    }
                }
            }
        }
        if let Ok(end) = p {
            if parts[0] > 23 || parts[1] > 59 || parts[2] > 59 {
                // DateTimeException("Value out of range: Hour[0-23], Minute[0-59], Second[0-59]")
                // escapes the parse in Java; here the parse fails at the offset.
                return Err(position);
            }
            let secs = parts[0] * 3600 + parts[1] * 60 + parts[2];
            parsed.offset = Some(if negative { -secs as i32 } else { secs as i32 });
            return Ok(end);
        }
    }
    if no.is_empty() {
        parsed.offset = Some(0);
        return Ok(position);
    }
    Err(position)
}

/// `ZoneIdPrinterParser` (region ids of the database, offsets, `UTC`/`GMT`/`UT` prefixes).
fn parse_zone_id(
    text: &[char],
    position: usize,
    parsed: &mut Parsed,
    or_offset: bool,
) -> Result<usize, usize> {
    let _ = or_offset;
    let length = text.len();
    if position >= length {
        return Err(position);
    }
    let c = text[position];
    if c == '+' || c == '-' {
        let mut copy = parsed.clone();
        let end = parse_offset(6, "Z", text, position, &mut copy)?;
        parsed.zone = Some(Zone::Offset(copy.offset.unwrap_or(0)));
        return Ok(end);
    }
    if c == 'Z' {
        parsed.zone = Some(Zone::UTC);
        return Ok(position + 1);
    }
    // The longest run of id characters that names a zone.
    let mut end = position;
    while end < length && (text[end].is_ascii_alphanumeric() || "~/._+-:".contains(text[end])) {
        end += 1;
    }
    while end > position {
        let candidate: String = text[position..end].iter().collect();
        if let Ok(zone) = Zone::of(&candidate) {
            parsed.zone = Some(zone);
            return Ok(end);
        }
        end -= 1;
    }
    Err(position)
}

fn parse_epoch(
    millis: bool,
    text: &[char],
    position: usize,
    parsed: &mut Parsed,
) -> Result<usize, usize> {
    let mut pos = position;
    let negative = text.get(pos) == Some(&'-');
    if negative {
        pos += 1;
    }
    let int_start = pos;
    let mut int: i128 = 0;
    while let Some(d) = digit_at(text, pos) {
        int = int * 10 + d as i128;
        pos += 1;
        if pos - int_start > 19 {
            return Err(position);
        }
    }
    if pos == int_start {
        return Err(position);
    }
    let mut frac_nanos: i128 = 0;
    if text.get(pos) == Some(&'.') {
        pos += 1;
        let frac_start = pos;
        let max_digits = if millis { 6 } else { 9 };
        let mut digits = 0;
        while let Some(d) = digit_at(text, pos) {
            if digits == max_digits {
                return Err(pos);
            }
            frac_nanos = frac_nanos * 10 + d as i128;
            pos += 1;
            digits += 1;
        }
        if pos == frac_start {
            return Err(pos);
        }
        let unit: i128 = if millis { 1_000_000 } else { 1_000_000_000 };
        frac_nanos = frac_nanos * unit / 10i128.pow(digits);
    }
    let unit_nanos: i128 = if millis { 1_000_000 } else { 1_000_000_000 };
    let mut total = int * unit_nanos + frac_nanos;
    if negative {
        total = -total;
    }
    let secs = total.div_euclid(1_000_000_000);
    let nanos = total.rem_euclid(1_000_000_000);
    parsed.fields.insert(Field::InstantSeconds, secs as i64);
    parsed.fields.insert(Field::NanoOfSecond, nanos as i64);
    Ok(pos)
}

/// The result of the STRICT resolver.
#[derive(Clone, Debug, Default)]
pub struct Resolved {
    pub date: Option<Date>,
    pub time: Option<Time>,
    pub fields: BTreeMap<Field, i64>,
    pub offset: Option<i32>,
    pub zone: Option<Zone>,
}

impl Resolved {
    /// `TemporalAccessor.isSupported(field)` on java's `Parsed`.
    pub fn is_supported(&self, field: Field) -> bool {
        if self.fields.contains_key(&field) {
            return true;
        }
        match field {
            Field::Era
            | Field::YearOfEra
            | Field::Year
            | Field::MonthOfYear
            | Field::DayOfMonth
            | Field::DayOfYear
            | Field::DayOfWeek => self.date.is_some(),
            Field::InstantSeconds => false,
            Field::WeekBasedYear | Field::WeekOfWeekBasedYear => false,
            _ => self.time.is_some(),
        }
    }

    /// `TemporalAccessor.get(field)`.
    pub fn get(&self, field: Field) -> Option<i64> {
        if let Some(v) = self.fields.get(&field) {
            return Some(*v);
        }
        if let Some(d) = self.date {
            let v = match field {
                Field::Era => Some(if d.year() > 0 { 1 } else { 0 }),
                Field::YearOfEra => Some(if d.year() > 0 {
                    d.year() as i64
                } else {
                    1 - d.year() as i64
                }),
                Field::Year => Some(d.year() as i64),
                Field::MonthOfYear => Some(d.month() as i64),
                Field::DayOfMonth => Some(d.day() as i64),
                Field::DayOfYear => Some(d.day_of_year() as i64),
                Field::DayOfWeek => Some(d.weekday().to_monday_one_offset() as i64),
                _ => None,
            };
            if v.is_some() {
                return v;
            }
        }
        if let Some(t) = self.time {
            return time_field(t, field);
        }
        None
    }
}

fn time_field(t: Time, field: Field) -> Option<i64> {
    let h = t.hour() as i64;
    Some(match field {
        Field::AmPmOfDay => h / 12,
        Field::ClockHourOfAmPm => {
            let v = h % 12;
            if v == 0 {
                12
            } else {
                v
            }
        }
        Field::HourOfAmPm => h % 12,
        Field::ClockHourOfDay => {
            if h == 0 {
                24
            } else {
                h
            }
        }
        Field::HourOfDay => h,
        Field::MinuteOfHour => t.minute() as i64,
        Field::SecondOfMinute => t.second() as i64,
        Field::NanoOfSecond => t.subsec_nanosecond() as i64,
        _ => return None,
    })
}

/// `Month.name()`.
fn month_name(m: i64) -> &'static str {
    [
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
    ][(m - 1).clamp(0, 11) as usize]
}

/// `LocalDate.of(year, month, day)`.
pub fn local_date(y: i64, m: i64, d: i64) -> Result<Date, DateError> {
    Field::Year.check(y)?;
    Field::MonthOfYear.check(m)?;
    Field::DayOfMonth.check(d)?;
    if d > 28 && d > month_length(y, m) {
        if d == 29 {
            return Err(DateError::datetime(format!(
                "Invalid date 'February 29' as '{y}' is not a leap year"
            )));
        }
        return Err(DateError::datetime(format!(
            "Invalid date '{} {}'",
            month_name(m),
            d
        )));
    }
    Date::new(y as i16, m as i8, d as i8)
        .map_err(|_| DateError::unsupported(format!("the year {y} (outside -9999..9999)")))
}

/// `LocalDate.ofYearDay(year, dayOfYear)`.
pub fn local_date_of_year_day(y: i64, doy: i64) -> Result<Date, DateError> {
    Field::Year.check(y)?;
    Field::DayOfYear.check(doy)?;
    if doy == 366 && !is_leap(y) {
        return Err(DateError::datetime(format!(
            "Invalid date 'DayOfYear 366' as '{y}' is not a leap year"
        )));
    }
    let jan1 = Date::new(y as i16, 1, 1)
        .map_err(|_| DateError::unsupported(format!("the year {y} (outside -9999..9999)")))?;
    jan1.checked_add(jiff::Span::new().days(doy - 1))
        .map_err(|e| DateError::datetime(e.to_string()))
}

fn local_time(h: i64, m: i64, s: i64, n: i64) -> Result<Time, DateError> {
    let h = Field::HourOfDay.check(h)?;
    let m = Field::MinuteOfHour.check(m)?;
    let s = Field::SecondOfMinute.check(s)?;
    let n = Field::NanoOfSecond.check(n)?;
    Time::new(h as i8, m as i8, s as i8, n as i32).map_err(|e| DateError::datetime(e.to_string()))
}

/// `Parsed.updateCheckConflict`.
fn update_check_conflict(
    fields: &mut BTreeMap<Field, i64>,
    from: Field,
    to: Field,
    value: i64,
) -> Result<(), DateError> {
    if let Some(old) = fields.insert(to, value) {
        if old != value {
            return Err(DateError::datetime(format!(
                "Conflict found: {} {} differs from {} {} while resolving  {}",
                to.java_name(),
                old,
                to.java_name(),
                value,
                from.java_name()
            )));
        }
    }
    Ok(())
}

/// `Parsed.resolve(ResolverStyle.STRICT, null)` for the ISO chronology.
pub fn resolve(parsed: Parsed) -> Result<Resolved, DateError> {
    let mut f = parsed.fields;
    let mut date = None;
    let mut time = None;
    // resolveYearOfEra (IsoChronology, STRICT)
    if let Some(yoe) = f.remove(&Field::YearOfEra) {
        Field::YearOfEra.check(yoe)?;
        match f.remove(&Field::Era) {
            None => {
                if let Some(year) = f.get(&Field::Year).copied() {
                    let v = if year > 0 { yoe } else { 1 - yoe };
                    update_check_conflict(&mut f, Field::YearOfEra, Field::Year, v)?;
                } else {
                    // Strict: the era is not invented; the year-of-era stays unresolved.
                    f.insert(Field::YearOfEra, yoe);
                }
            }
            Some(1) => update_check_conflict(&mut f, Field::YearOfEra, Field::Year, yoe)?,
            Some(0) => update_check_conflict(&mut f, Field::YearOfEra, Field::Year, 1 - yoe)?,
            Some(e) => return Err(DateError::datetime(format!("Invalid value for era: {e}"))),
        }
    } else if let Some(era) = f.get(&Field::Era) {
        Field::Era.check(*era)?;
    }
    if let Some(y) = f.get(&Field::Year).copied() {
        if f.contains_key(&Field::MonthOfYear) && f.contains_key(&Field::DayOfMonth) {
            f.remove(&Field::Year);
            let m = f.remove(&Field::MonthOfYear).unwrap_or(1);
            let d = f.remove(&Field::DayOfMonth).unwrap_or(1);
            Field::Year.check(y)?;
            date = Some(local_date(y, m, d)?);
        } else if f.contains_key(&Field::DayOfYear) {
            f.remove(&Field::Year);
            let doy = f.remove(&Field::DayOfYear).unwrap_or(1);
            date = Some(local_date_of_year_day(y, doy)?);
        }
    }
    if f.contains_key(&Field::WeekOfWeekBasedYear) && f.contains_key(&Field::DayOfWeek) {
        return Err(DateError::unsupported(
            "resolving a week-based date with a day of week (Y, w with E)",
        ));
    }
    // resolveTimeFields
    if let Some(ch) = f.remove(&Field::ClockHourOfDay) {
        Field::ClockHourOfDay.check(ch)?;
        update_check_conflict(
            &mut f,
            Field::ClockHourOfDay,
            Field::HourOfDay,
            if ch == 24 { 0 } else { ch },
        )?;
    }
    if let Some(ch) = f.remove(&Field::ClockHourOfAmPm) {
        Field::ClockHourOfAmPm.check(ch)?;
        update_check_conflict(
            &mut f,
            Field::ClockHourOfAmPm,
            Field::HourOfAmPm,
            if ch == 12 { 0 } else { ch },
        )?;
    }
    if f.contains_key(&Field::AmPmOfDay) && f.contains_key(&Field::HourOfAmPm) {
        let ap = f.remove(&Field::AmPmOfDay).unwrap_or(0);
        let hap = f.remove(&Field::HourOfAmPm).unwrap_or(0);
        Field::AmPmOfDay.check(ap)?;
        Field::HourOfAmPm.check(hap)?;
        update_check_conflict(&mut f, Field::AmPmOfDay, Field::HourOfDay, ap * 12 + hap)?;
    }
    if let (Some(h), Some(m), Some(s), Some(n)) = (
        f.get(&Field::HourOfDay).copied(),
        f.get(&Field::MinuteOfHour).copied(),
        f.get(&Field::SecondOfMinute).copied(),
        f.get(&Field::NanoOfSecond).copied(),
    ) {
        for k in [
            Field::HourOfDay,
            Field::MinuteOfHour,
            Field::SecondOfMinute,
            Field::NanoOfSecond,
        ] {
            f.remove(&k);
        }
        time = Some(local_time(h, m, s, n)?);
    }
    // resolveTimeLenient
    if time.is_none() {
        if let Some(h) = f.get(&Field::HourOfDay).copied() {
            let m = f.get(&Field::MinuteOfHour).copied();
            let s = f.get(&Field::SecondOfMinute).copied();
            let n = f.get(&Field::NanoOfSecond).copied();
            let invalid = (m.is_none() && (s.is_some() || n.is_some()))
                || (m.is_some() && s.is_none() && n.is_some());
            if !invalid {
                for k in [
                    Field::HourOfDay,
                    Field::MinuteOfHour,
                    Field::SecondOfMinute,
                    Field::NanoOfSecond,
                ] {
                    f.remove(&k);
                }
                time = Some(local_time(
                    h,
                    m.unwrap_or(0),
                    s.unwrap_or(0),
                    n.unwrap_or(0),
                )?);
            }
        }
    }
    for (field, value) in &f {
        if field.is_time_based() {
            field.check(*value)?;
        }
    }
    // crossCheck: remaining fields against the resolved date and time.
    let probe = Resolved {
        date,
        time,
        fields: BTreeMap::new(),
        offset: None,
        zone: None,
    };
    let mut remaining = BTreeMap::new();
    for (field, value) in f {
        let derived = match field {
            Field::InstantSeconds | Field::WeekBasedYear | Field::WeekOfWeekBasedYear => None,
            _ if field.is_time_based() => time.and_then(|t| time_field(t, field)),
            _ => date.and_then(|_| probe.get(field)),
        };
        match derived {
            Some(d) if d != value => {
                let target = if field.is_time_based() {
                    time.map(|t| t.to_string()).unwrap_or_default()
                } else {
                    date.map(|d| d.to_string()).unwrap_or_default()
                };
                return Err(DateError::datetime(format!(
                    "Conflict found: Field {} {} differs from {} {} derived from {}",
                    field.java_name(),
                    d,
                    field.java_name(),
                    value,
                    target
                )));
            }
            Some(_) => {}
            None => {
                remaining.insert(field, value);
            }
        }
    }
    Ok(Resolved {
        date,
        time,
        fields: remaining,
        offset: parsed.offset,
        zone: parsed.zone,
    })
}

fn pad(out: &mut String, value: i64, width: usize) {
    let s = value.unsigned_abs().to_string();
    if value < 0 {
        out.push('-');
    }
    for _ in s.len()..width {
        out.push('0');
    }
    out.push_str(&s);
}

/// `WeekFields`: the first day of the week (1 = Monday ... 7 = Sunday) and the minimal days
/// of the first week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeekFields {
    pub first_day: i64,
    pub minimal_days: i64,
}

impl WeekFields {
    fn localized_dow(self, d: Date) -> i64 {
        let iso = d.weekday().to_monday_one_offset() as i64;
        (iso - self.first_day).rem_euclid(7) + 1
    }

    fn start_of_week_offset(self, day: i64, dow: i64) -> i64 {
        let week_start = (day - dow).rem_euclid(7);
        if week_start + 1 > self.minimal_days {
            7 - week_start
        } else {
            -week_start
        }
    }

    fn compute_week(offset: i64, day: i64) -> i64 {
        (7 + offset + (day - 1)) / 7
    }

    fn year_len(y: i16) -> i64 {
        if is_leap(y as i64) {
            366
        } else {
            365
        }
    }

    /// `ComputedDayOfField.localizedWeekOfWeekBasedYear`.
    fn week_of_week_based_year(self, d: Date) -> i64 {
        let dow = self.localized_dow(d);
        let doy = d.day_of_year() as i64;
        let offset = self.start_of_week_offset(doy, dow);
        let week = Self::compute_week(offset, doy);
        if week == 0 {
            let prev = d.checked_sub(jiff::Span::new().days(doy)).unwrap_or(d);
            return self.week_of_week_based_year(prev);
        }
        if week > 50 {
            let new_year_week =
                Self::compute_week(offset, Self::year_len(d.year()) + self.minimal_days);
            if week >= new_year_week {
                return week - new_year_week + 1;
            }
        }
        week
    }

    /// `ComputedDayOfField.ofWeekBasedYear`.
    fn of_week_based_year(self, yowby: i64, wowby: i64, dow: i64) -> Result<Date, DateError> {
        let date = local_date(yowby, 1, 1)?;
        let ldow = self.localized_dow(date);
        let offset = self.start_of_week_offset(1, ldow);
        let new_year_week =
            Self::compute_week(offset, Self::year_len(date.year()) + self.minimal_days);
        let wowby = wowby.min(new_year_week - 1);
        let days = -offset + (dow - 1) + (wowby - 1) * 7;
        date.checked_add(jiff::Span::new().days(days))
            .map_err(|e| DateError::datetime(e.to_string()))
    }

    /// `DateFormatters.localDateFromWeekBasedDate`: from 1970-01-01, `with(weekBasedYear)`,
    /// `with(weekOfWeekBasedYear)` when parsed, then back to the first day of the week.
    pub fn date_from_week_fields(self, year: i64, week: Option<i64>) -> Result<Date, DateError> {
        let epoch = Date::constant(1970, 1, 1);
        let mut d = epoch;
        Field::WeekBasedYear.check(year)?;
        // with(weekBasedYear, year): same week and day of week in that week-based year.
        let current_year = {
            let w = self.week_of_week_based_year(d);
            let y = d.year() as i64;
            if w >= 52 && d.month() == 1 {
                y - 1
            } else if w == 1 && d.month() == 12 {
                y + 1
            } else {
                y
            }
        };
        if year != current_year {
            let idow = self.localized_dow(d);
            let wowby = self.week_of_week_based_year(d);
            d = self.of_week_based_year(year, wowby, idow)?;
        }
        if let Some(w) = week {
            Field::WeekOfWeekBasedYear.check(w)?;
            let current = self.week_of_week_based_year(d);
            d = d
                .checked_add(jiff::Span::new().weeks(w - current))
                .map_err(|e| DateError::datetime(e.to_string()))?;
        }
        // previousOrSame(firstDayOfWeek)
        let back = self.localized_dow(d) - 1;
        d.checked_sub(jiff::Span::new().days(back))
            .map_err(|e| DateError::datetime(e.to_string()))
    }
}

fn zdt_field(zdt: &Zdt, field: Field) -> Option<i64> {
    let d = zdt.local.date();
    // Printers are Locale.ROOT: ISO weeks.
    let iso = WeekFields {
        first_day: 1,
        minimal_days: 4,
    };
    match field {
        Field::WeekOfWeekBasedYear => return Some(iso.week_of_week_based_year(d)),
        Field::WeekBasedYear => {
            let w = iso.week_of_week_based_year(d);
            let y = d.year() as i64;
            return Some(if w >= 52 && d.month() == 1 {
                y - 1
            } else if w == 1 && d.month() == 12 {
                y + 1
            } else {
                y
            });
        }
        _ => {}
    }
    let t = zdt.local.time();
    let r = Resolved {
        date: Some(d),
        time: Some(t),
        ..Resolved::default()
    };
    r.get(field)
}

fn format_items(items: &[Item], zdt: &Zdt, out: &mut String) -> Result<(), DateError> {
    for item in items {
        match item {
            Item::Literal(s) => out.push_str(s),
            Item::Number {
                field,
                min,
                max,
                sign,
                ..
            } => {
                let v = zdt_field(zdt, *field).ok_or_else(|| {
                    DateError::datetime(format!("Unsupported field: {}", field.java_name()))
                })?;
                let digits = v.unsigned_abs().to_string();
                if digits.len() > *max {
                    return Err(DateError::datetime(format!(
                        "Field {} cannot be printed as the value {} exceeds the maximum print width of {}",
                        field.java_name(),
                        v,
                        max
                    )));
                }
                match sign {
                    SignStyle::ExceedsPad if v >= 0 && digits.len() > *min => out.push('+'),
                    _ => {}
                }
                pad(out, v, *min);
            }
            Item::Reduced { field } => {
                let v = zdt_field(zdt, *field).unwrap_or(0);
                pad(out, v.rem_euclid(100), 2);
            }
            Item::Fraction {
                min,
                max,
                decimal_point,
            } => {
                let nanos = zdt.local.time().subsec_nanosecond() as i64;
                let nine = format!("{nanos:09}");
                let mut digits: String = nine.chars().take(*max).collect();
                while digits.len() > *min && digits.ends_with('0') {
                    digits.pop();
                }
                if !digits.is_empty() || *min > 0 {
                    if *decimal_point {
                        out.push('.');
                    }
                    out.push_str(&digits);
                }
            }
            Item::Text { field, style } => {
                let v = zdt_field(zdt, *field).unwrap_or(0);
                let t = texts(*field, *style)
                    .iter()
                    .find(|(_, value)| *value == v)
                    .map(|(t, _)| *t)
                    .unwrap_or_default();
                out.push_str(t);
            }
            Item::Offset { kind, no_offset } => format_offset(*kind, no_offset, zdt.offset, out),
            Item::ZoneId | Item::ZoneOrOffsetId => out.push_str(&zdt.zone.id()),
            Item::Optional(inner) => format_items(inner, zdt, out)?,
            Item::Epoch { millis } => {
                let ts = zdt.timestamp()?;
                if *millis {
                    out.push_str(&ts.as_millisecond().to_string());
                } else {
                    out.push_str(&ts.as_second().to_string());
                }
            }
        }
    }
    Ok(())
}

/// `OffsetIdPrinterParser.format`.
fn format_offset(kind: usize, no_offset: &str, total: i32, out: &mut String) {
    if total == 0 {
        out.push_str(no_offset);
        return;
    }
    let pattern = OFFSET_PATTERNS[kind];
    let a = total.unsigned_abs();
    let (h, m, s) = (a / 3600, (a / 60) % 60, a % 60);
    let colon = pattern.contains(':');
    let padded = pattern.starts_with("+HH");
    out.push(if total < 0 { '-' } else { '+' });
    if padded || h >= 10 {
        out.push_str(&format!("{h:02}"));
    } else {
        out.push_str(&h.to_string());
    }
    let mins_mandatory = pattern.contains("MM");
    let has_mins = pattern.to_lowercase().contains("mm");
    let secs_mandatory = pattern.contains("SS");
    let has_secs = pattern.to_lowercase().contains("ss");
    if has_mins && (mins_mandatory || m > 0 || s > 0) {
        if colon {
            out.push(':');
        }
        out.push_str(&format!("{m:02}"));
        if has_secs && (secs_mandatory || s > 0) {
            if colon {
                out.push(':');
            }
            out.push_str(&format!("{s:02}"));
        }
    }
}
