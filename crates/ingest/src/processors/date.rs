//! The `date` processor (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/DateProcessor.java`,
//! with its `Factory`; parsing in [`crate::date`]): `field`, `target_field` (`@timestamp`),
//! `formats` (tried in order, the first that parses wins), `timezone` and `locale` (templates,
//! rendered per document), `output_format` (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`).

use serde_json::Value as Json;

use crate::config::Config;
use crate::date::{DateError, DateFormat, DateFormatter, Locale, Zone, DEFAULT_OUTPUT_FORMAT};
use crate::document::{IngestDocument, ZonedDateTimeUtc};
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::template::Template;
use crate::Value;

pub struct DateProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    target_field: String,
    timezone: Option<Template>,
    locale: Option<Template>,
    formats: Vec<DateFormat>,
    output: DateFormatter,
}

/// A Java exception chain as an OpenSearch error.
pub(crate) fn date_error(e: &DateError) -> IngestError {
    let mut out = IngestError::new(e.type_, e.message.clone());
    if let Some(cause) = &e.cause {
        out = out.with_cause(date_error(cause));
    }
    out
}

/// An error of this engine's limits, reported as such.
pub(crate) fn unsupported_error(e: &DateError) -> IngestError {
    let root = e.unsupported_root().unwrap_or(e);
    IngestError::illegal_argument(root.message.clone())
}

/// The current date for patterns without a year: upstream reads the clock
/// (`LocalDate.now(ZoneOffset.UTC)`); here the document's `_ingest.timestamp` (the clock when
/// the document entered the pipeline) so that a run is reproducible.
pub(crate) fn now_of(doc: &IngestDocument) -> jiff::Timestamp {
    if let Value::Object(o) = doc.ingest_field("timestamp") {
        if let Some(ts) = o.as_any().downcast_ref::<ZonedDateTimeUtc>() {
            let n = ts.0.epoch_nanos;
            if let Ok(t) = jiff::Timestamp::from_nanosecond(n) {
                return t;
            }
        }
    }
    jiff::Timestamp::now()
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let field = config.required_string("field")?;
    let target_field = config.string_or("target_field", "@timestamp")?;
    let timezone = config.optional_template("timezone")?;
    let locale = config.optional_template("locale")?;
    let format_values = config.required_list("formats")?;
    let output_format = config.string_or("output_format", DEFAULT_OUTPUT_FORMAT)?;
    let output = DateFormatter::for_pattern(&output_format).map_err(|e| {
        if e.unsupported {
            unsupported_error(&e)
        } else {
            IngestError::illegal_argument(format!("invalid output format [{output_format}]"))
                .with_cause(date_error(&e))
        }
    })?;
    let mut formats = Vec::with_capacity(format_values.len());
    for f in &format_values {
        let Json::String(f) = f else {
            return Err(IngestError::unsupported(format!(
                "a date format that is not a string ({})",
                crate::config::json_java_to_string(f)
            )));
        };
        formats.push(DateFormat::from_string(f).map_err(|e| unsupported_error(&e))?);
    }
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(DateProcessor {
        tag,
        description,
        field,
        target_field,
        timezone,
        locale,
        formats,
        output,
    }))
}

impl DateProcessor {
    /// `newDateTimeZone(params)` and `newLocale(params)`, per document. The templates see
    /// `params` = `getSourceAndMetadata()` only (no `_ingest`, no `_source`), as upstream
    /// renders them.
    fn zone_and_locale(
        &self,
        doc: &IngestDocument,
    ) -> Result<(Zone, Locale), Result<DateError, IngestError>> {
        let zone = match &self.timezone {
            None => Zone::UTC,
            Some(t) => {
                let s = t.render(doc.source_and_metadata()).map_err(Err)?;
                Zone::of(&s).map_err(Ok)?
            }
        };
        let locale = match &self.locale {
            None => Locale::Root,
            Some(t) => {
                let s = t.render(doc.source_and_metadata()).map_err(Err)?;
                Locale::parse(&s).map_err(Ok)?
            }
        };
        Ok((zone, locale))
    }
}

impl Processor for DateProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let obj = doc.field(&self.field)?;
        let value = if obj.is_null() {
            None
        } else {
            Some(obj.java_to_string())
        };
        let now = now_of(doc);
        let mut first_error: Option<DateError> = None;
        let mut result = None;
        for format in &self.formats {
            // The zone and locale are made inside each attempt, as upstream's parser function.
            let attempt = match self.zone_and_locale(doc) {
                Ok((zone, locale)) => format.parse(value.as_deref(), &zone, &locale, now),
                Err(Ok(e)) => Err(e),
                Err(Err(template_error)) => return Err(template_error),
            };
            match attempt {
                Ok(zdt) => {
                    result = Some(zdt);
                    // Upstream goes on with the remaining formats and keeps the last success.
                }
                Err(e) if e.unsupported => return Err(unsupported_error(&e)),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let Some(zdt) = result else {
            let shown = value.as_deref().unwrap_or("null");
            let mut e = IngestError::illegal_argument(format!("unable to parse date [{shown}]"));
            if let Some(cause) = &first_error {
                e = e.with_cause(date_error(cause));
            }
            return Err(e);
        };
        let formatted = self.output.format(&zdt).map_err(|e| {
            if e.unsupported {
                unsupported_error(&e)
            } else {
                date_error(&e)
            }
        })?;
        doc.set_field(&self.target_field, Value::string(formatted))?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "date"
    }

    fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::grok::testing::{build, build_err};
    use crate::test_support::{cause, run_err, run_ok, source};

    #[test]
    fn java_pattern_with_zone_and_locale() {
        let p = build(
            "date",
            json!({"field": "date_as_string", "target_field": "date_as_date", "formats": ["yyyy dd MM HH:mm:ss"], "timezone": "Europe/Amsterdam", "locale": "en"}),
        );
        let d = run_ok(&p, json!({"date_as_string": "2010 12 06 11:05:15"}));
        assert_eq!(source(&d)["date_as_date"], "2010-06-12T11:05:15.000+02:00");
    }

    #[test]
    fn defaults_and_iso8601() {
        let p = build("date", json!({"field": "t", "formats": ["ISO8601"]}));
        let d = run_ok(&p, json!({"t": "2016-04-05T10:00:00Z"}));
        assert_eq!(source(&d)["@timestamp"], "2016-04-05T10:00:00.000Z");
    }

    #[test]
    fn multiple_formats_and_failure_message() {
        let p = build(
            "date",
            json!({"field": "d", "formats": ["yyyy dd MM", "dd/MM/yyyy", "dd-MM-yyyy"], "timezone": "Europe/Amsterdam"}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"d": "12-06-2010"})))["@timestamp"],
            "2010-06-12T00:00:00.000+02:00"
        );
        let e = run_err(&p, json!({"d": "2010"}));
        assert_eq!(e.reason(), "unable to parse date [2010]");
        assert_eq!(
            cause(&e).reason(),
            "failed to parse date field [2010] with format [yyyy dd MM]"
        );
    }

    #[test]
    fn unix_ms_from_a_long() {
        let p = build("date", json!({"field": "d", "formats": ["UNIX_MS"]}));
        assert_eq!(
            source(&run_ok(&p, json!({"d": 1000500})))["@timestamp"],
            "1970-01-01T00:16:40.500Z"
        );
        assert_eq!(
            source(&run_ok(&p, json!({"d": "1000500"})))["@timestamp"],
            "1970-01-01T00:16:40.500Z"
        );
    }

    #[test]
    fn tai64n_with_offset_zone() {
        let p = build(
            "date",
            json!({"field": "d", "formats": ["TAI64N"], "timezone": "+02:00"}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"d": "@4000000050d506482dbdf024"})))["@timestamp"],
            "2012-12-22T03:00:46.767+02:00"
        );
    }

    #[test]
    fn invalid_java_pattern_fails_per_document() {
        let p = build(
            "date",
            json!({"field": "d", "formats": ["invalid pattern"]}),
        );
        let e = run_err(&p, json!({"d": "2010"}));
        assert_eq!(e.reason(), "unable to parse date [2010]");
        assert_eq!(
            cause(&e).reason(),
            "Invalid format: [invalid pattern]: Unknown pattern letter: i"
        );
    }

    #[test]
    fn invalid_timezone_and_locale() {
        let p = build(
            "date",
            json!({"field": "d", "formats": ["yyyy"], "timezone": "invalid_timezone"}),
        );
        let e = run_err(&p, json!({"d": "2010"}));
        assert_eq!(e.reason(), "unable to parse date [2010]");
        assert_eq!(cause(&e).reason(), "Unknown time-zone ID: invalid_timezone");
        let p = build(
            "date",
            json!({"field": "d", "formats": ["yyyy"], "locale": "invalid_locale"}),
        );
        let e = run_err(&p, json!({"d": "2010"}));
        assert_eq!(cause(&e).reason(), "Unknown language: invalid");
    }

    #[test]
    fn templated_timezone() {
        let p = build(
            "date",
            json!({"field": "d", "formats": ["yyyy-MM-dd HH:mm"], "timezone": "{{tz}}"}),
        );
        let d = run_ok(
            &p,
            json!({"d": "2016-04-05 10:00", "tz": "America/New_York"}),
        );
        assert_eq!(source(&d)["@timestamp"], "2016-04-05T10:00:00.000-04:00");
    }

    #[test]
    fn timezone_template_sees_the_source_only() {
        // params = getSourceAndMetadata(): `_ingest` is not there, so the zone renders empty
        // and ZoneId.of("") fails.
        let p = build(
            "date",
            json!({"field": "d", "formats": ["yyyy"], "timezone": "{{_ingest.tz}}"}),
        );
        let e = run_err(&p, json!({"d": "2010"}));
        assert_eq!(
            cause(&e).reason(),
            "Invalid ID for ZoneOffset, invalid format: "
        );
    }

    #[test]
    fn output_format() {
        let p = build(
            "date",
            json!({"field": "d", "formats": ["iso8601"], "output_format": "HH:mm:ss.SSSSSSSSS"}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"d": "1970-01-01T00:00:00.000012345Z"})))["@timestamp"],
            "00:00:00.000012345"
        );
        let e = build_err(
            "date",
            json!({"field": "d", "formats": ["iso8601"], "output_format": "invalid pattern"}),
        );
        // readProcessor wraps the IllegalArgumentException (convertToOpenSearchException).
        assert_eq!(
            e.reason(),
            "java.lang.IllegalArgumentException: invalid output format [invalid pattern]"
        );
    }

    #[test]
    fn default_year_from_the_ingest_timestamp() {
        // test_support's documents enter the pipeline at 2026-12-01T12:00:00Z.
        let p = build(
            "date",
            json!({"field": "d", "formats": ["MMM  d HH:mm:ss", "MMM d HH:mm:ss"]}),
        );
        assert_eq!(
            source(&run_ok(&p, json!({"d": "Mar  5 10:11:12"})))["@timestamp"],
            "2026-03-05T10:11:12.000Z"
        );
        assert_eq!(
            source(&run_ok(&p, json!({"d": "Mar 15 10:11:12"})))["@timestamp"],
            "2026-03-15T10:11:12.000Z"
        );
    }

    #[test]
    fn unsupported_letters_and_options() {
        let e = build_err("date", json!({"field": "d", "formats": ["yyyy QQQ"]}));
        assert!(
            e.reason()
                .contains("not supported by siemctl's offline engine"),
            "{}",
            e.reason()
        );
        assert!(e.reason().contains("'Q'"));
        let e = build_err("date", json!({"field": "d"}));
        assert_eq!(e.reason(), "[formats] required property is missing");
        let e = build_err("date", json!({"formats": ["ISO8601"]}));
        assert_eq!(e.reason(), "[field] required property is missing");
    }

    #[test]
    fn missing_field() {
        let p = build("date", json!({"field": "d", "formats": ["ISO8601"]}));
        assert_eq!(
            run_err(&p, json!({})).reason(),
            "field [d] not present as part of path [d]"
        );
    }
}
