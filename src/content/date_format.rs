//! A date field's `format`, and whether a date written in a query is one OpenSearch reads with
//! it: a date in one of the format's parts, or date math.
//!
//! Upstream (OpenSearch `server/src/main/java/org/opensearch/common/time/`):
//! * `DateFormatter.forPattern`: a leading `8` is dropped, the format is split at `||`, and each
//!   part is a built-in format (`FormatNames`, built by `DateFormatters.forPattern`) or a
//!   java.time pattern (`yyyy-MM-dd HH:mm:ss`); `JavaDateFormatter.combined` tries the parts in
//!   order and takes the first that reads the whole text.
//! * `JavaDateMathParser.parse`: a text starting with `now` is the current time followed by date
//!   math; otherwise a text with `||` is a date (read with the format) followed by date math; any
//!   other text is a date alone (`parseDateTime`: `DateFormatters.from(formatter.parse(value))`).
//!   Date math (`parseMath`) is a sequence of `+N unit`, `-N unit` (N optional, 1 by default) and
//!   `/unit` (rounding; `/1d` is allowed, `/2d` is not), units `y M w d h H m s`.
//! * `index/mapper/DateFieldMapper.java`: a `date` field reads
//!   `strict_date_optional_time||epoch_millis` by default, a `date_nanos` field
//!   `strict_date_optional_time_nanos||epoch_millis`.
//!
//! The parts are read by the ingest engine's date module (`ingest::date`, the java.time
//! work-alike its date processor and mapper use). A part it does not implement (some built-in
//! formats, some pattern letters) cannot be tried: a value no other part reads is then
//! [`Reading::Unchecked`], never taken for valid or invalid.

use ingest::date::{zoned_from, DateError, DateFormatter, Zdt, Zone};

/// `DateFieldMapper.DEFAULT_DATE_TIME_FORMATTER`.
pub(crate) const DEFAULT_DATE: &str = "strict_date_optional_time||epoch_millis";
/// `DateFieldMapper.DEFAULT_DATE_TIME_NANOS_FORMATTER`.
pub(crate) const DEFAULT_DATE_NANOS: &str = "strict_date_optional_time_nanos||epoch_millis";

/// The `format` of a date field, its parts compiled.
#[derive(Debug)]
pub(crate) struct DateFormat {
    /// As written in the mapping (or the type's default).
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug)]
enum Part {
    Readable(DateFormatter),
    /// Why this part cannot be tried offline: a built-in format or a pattern feature the ingest
    /// engine does not implement, or a pattern java.time refuses (the mapping itself is then
    /// refused by OpenSearch).
    Unreadable(String),
}

/// What OpenSearch makes of a date in a query on the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reading {
    /// A date the format reads, or date math (on `now` or on such a date).
    Valid,
    /// No part of the format reads the date (before `||`, when there is date math).
    NotADate,
    /// The date reads, but what follows `now` or `||` is not date math: why, in words.
    BadMath(String),
    /// No part that can be tried reads it, and some part cannot be tried: why.
    Unchecked(String),
}

impl DateFormat {
    /// The format of a field of type `ty` (`date` or `date_nanos`), as mapped or by default.
    pub(crate) fn of_field(ty: &str, format: Option<&str>) -> DateFormat {
        let default = if ty == "date_nanos" {
            DEFAULT_DATE_NANOS
        } else {
            DEFAULT_DATE
        };
        DateFormat::new(format.unwrap_or(default))
    }

    /// Compiles `format` (`DateFormatter.forPattern`).
    pub(crate) fn new(format: &str) -> DateFormat {
        let stripped = format.strip_prefix('8').unwrap_or(format);
        let parts = stripped
            .split("||")
            .map(|part| {
                // `DateFormatters.forPattern` trims each part.
                let part = part.trim();
                if part.is_empty() {
                    return Part::Unreadable(format!(
                        "`{format}` has an empty part between `||`, which OpenSearch refuses"
                    ));
                }
                match DateFormatter::for_pattern(part) {
                    Ok(f) => Part::Readable(f),
                    Err(e) => Part::Unreadable(why(&e)),
                }
            })
            .collect();
        DateFormat {
            text: format.to_string(),
            parts,
        }
    }

    /// The format as the mapping writes it.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Whether some part cannot be tried offline: values no other part reads are then
    /// [`Reading::Unchecked`]. (A part that can be tried may still meet a value beyond the
    /// engine, a year past 9999 or a week-based date with a day of week: unchecked too.)
    pub(crate) fn has_unreadable_part(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Unreadable(_)))
    }

    /// Whether the field uses the default format of its type.
    pub(crate) fn is_default(&self) -> bool {
        self.text == DEFAULT_DATE || self.text == DEFAULT_DATE_NANOS
    }

    /// Reads `value` as a term or range bound of a query (`JavaDateMathParser.parse`).
    pub(crate) fn read(&self, value: &str) -> Reading {
        let (date, math) = if let Some(math) = value.strip_prefix("now") {
            (None, math)
        } else if let Some((date, math)) = value.split_once("||") {
            (Some(date), math)
        } else {
            (Some(value), "")
        };
        if let Some(date) = date {
            match self.read_date(date) {
                Reading::Valid => {}
                other => return other,
            }
        }
        match check_math(math) {
            Ok(()) => Reading::Valid,
            Err(why) => Reading::BadMath(why),
        }
    }

    /// A date alone, tried with each part in order.
    fn read_date(&self, date: &str) -> Reading {
        if date.is_empty() {
            return Reading::NotADate; // "cannot parse empty date"
        }
        let mut unchecked = None;
        for part in &self.parts {
            match part {
                Part::Readable(formatter) => match formatter.parse(date, None) {
                    // The first part that reads the text decides; resolving it (a 30 February)
                    // does not go on to the next part.
                    Ok(resolved) => {
                        return match zoned_from(&resolved, &Zone::UTC) {
                            Ok(_) => Reading::Valid,
                            Err(e) if e.unsupported => Reading::Unchecked(why(&e)),
                            Err(_) => Reading::NotADate,
                        }
                    }
                    Err(e) if e.unsupported => {
                        unchecked.get_or_insert_with(|| why(&e));
                    }
                    Err(_) => {}
                },
                Part::Unreadable(reason) => {
                    unchecked.get_or_insert_with(|| reason.clone());
                }
            }
        }
        unchecked.map_or(Reading::NotADate, Reading::Unchecked)
    }

    /// A date the format reads (2024-01-31, midnight UTC, as the first part that can be tried
    /// prints it), for hints.
    pub(crate) fn example(&self) -> Option<String> {
        let instant = jiff::Timestamp::from_second(1_706_659_200).ok()?;
        let zdt = Zdt::of_instant(instant, &Zone::UTC);
        self.parts.iter().find_map(|part| match part {
            Part::Readable(formatter) => formatter
                .format(&zdt)
                .ok()
                .filter(|text| matches!(self.read(text), Reading::Valid)),
            Part::Unreadable(_) => None,
        })
    }
}

/// Why the ingest engine could not take a part or a text, in words.
fn why(e: &DateError) -> String {
    let root = e.unsupported_root().unwrap_or(e);
    let message = root
        .message
        .strip_prefix("not supported by siemctl's offline engine: ")
        .unwrap_or(&root.message);
    if root.unsupported {
        format!("siemctl does not implement {message}")
    } else {
        format!("OpenSearch refuses the format ({message})")
    }
}

/// `JavaDateMathParser.parseMath`, without the arithmetic: `Err` with upstream's reason.
fn check_math(math: &str) -> Result<(), String> {
    let chars: Vec<char> = math.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let op = chars[i];
        i += 1;
        if !matches!(op, '/' | '+' | '-') {
            return Err(format!(
                "`{op}` is not a date math operator (`+`, `-` or `/`)"
            ));
        }
        let truncated = || format!("`{math}` ends before its unit");
        if i >= chars.len() {
            return Err(truncated());
        }
        let from = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i > from {
            if i >= chars.len() {
                return Err(truncated());
            }
            let digits: String = chars[from..i].iter().collect();
            let n: i32 = digits
                .parse()
                .map_err(|_| format!("`{digits}` is too large a number for date math"))?;
            if op == '/' && n != 1 {
                return Err(format!(
                    "rounding (`/`) takes a single unit, as in `/d`, not `/{n}{}`",
                    chars[i]
                ));
            }
        }
        let unit = chars[i];
        i += 1;
        if !matches!(unit, 'y' | 'M' | 'w' | 'd' | 'h' | 'H' | 'm' | 's') {
            return Err(format!(
                "`{unit}` is not a date math unit (y, M, w, d, h, m, s)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(format: &str, value: &str) -> Reading {
        DateFormat::new(format).read(value)
    }

    #[test]
    fn the_default_format_reads_iso_dates_epoch_millis_and_date_math() {
        for value in [
            "2024-01-31",
            "2024-01",
            "2024",
            "2024-01-31T10:11:12Z",
            "2024-01-31T10:11:12.123+01:00",
            "1706659200000",
            "now",
            "now-1d/d",
            "now/1d",
            "2024-01-31||+1M/d",
        ] {
            assert_eq!(read(DEFAULT_DATE, value), Reading::Valid, "{value}");
        }
        for value in [
            "yesterday",
            "31/01/2024",
            "2024-02-30",
            "2024-01-31 10:11:12",
            "",
        ] {
            assert_eq!(read(DEFAULT_DATE, value), Reading::NotADate, "{value}");
        }
    }

    #[test]
    fn date_math_is_checked_as_upstream_parses_it() {
        let bad = |value: &str| match read(DEFAULT_DATE, value) {
            Reading::BadMath(why) => why,
            other => panic!("{value}: {other:?}"),
        };
        assert!(bad("now-1x").contains("`x` is not a date math unit"));
        assert!(bad("now-7").contains("ends before its unit"));
        assert!(bad("now/2d").contains("single unit"));
        assert!(bad("now*2d").contains("not a date math operator"));
        assert!(bad("2024-01-31||-").contains("ends before its unit"));
        assert_eq!(read(DEFAULT_DATE, "yesterday||+1d"), Reading::NotADate);
    }

    #[test]
    fn a_custom_format_reads_only_its_own_dates() {
        let format = "yyyy-MM-dd HH:mm:ss";
        assert_eq!(read(format, "2024-01-31 10:11:12"), Reading::Valid);
        assert_eq!(read(format, "2024-01-31T10:11:12Z"), Reading::NotADate);
        assert_eq!(read(format, "now-1h"), Reading::Valid);
        let both = "yyyy-MM-dd HH:mm:ss||strict_date_optional_time";
        assert_eq!(read(both, "2024-01-31T10:11:12Z"), Reading::Valid);
        assert_eq!(read("epoch_second", "1706659200"), Reading::Valid);
        assert_eq!(read("epoch_second", "2024-01-31"), Reading::NotADate);
        assert_eq!(
            DateFormat::new(format).example().as_deref(),
            Some("2024-01-31 00:00:00")
        );
        assert_eq!(
            DateFormat::new("epoch_second").example().as_deref(),
            Some("1706659200")
        );
    }

    #[test]
    fn formats_siemctl_does_not_implement_leave_the_value_unchecked() {
        // `basic_date` is a built-in format the offline engine lacks.
        let Reading::Unchecked(why) = read("basic_date", "20240131") else {
            panic!("basic_date should not be read");
        };
        assert!(why.contains("basic_date"), "{why}");
        // Another part reads it: checked.
        assert_eq!(
            read("basic_date||strict_date_optional_time", "2024-01-31"),
            Reading::Valid
        );
        assert!(matches!(
            read("basic_date||epoch_millis", "yesterday"),
            Reading::Unchecked(_)
        ));
        assert!(DateFormat::new("basic_date").example().is_none());
        assert!(DateFormat::new("epoch_second||basic_date").has_unreadable_part());
        assert!(!DateFormat::new(DEFAULT_DATE).has_unreadable_part());
    }

    #[test]
    fn date_nanos_fields_default_to_the_nanos_format() {
        let f = DateFormat::of_field("date_nanos", None);
        assert_eq!(f.text(), DEFAULT_DATE_NANOS);
        assert!(f.is_default());
        assert_eq!(f.read("2024-01-31T10:11:12.123456789Z"), Reading::Valid);
        assert!(!DateFormat::of_field("date", Some("epoch_second")).is_default());
    }
}
