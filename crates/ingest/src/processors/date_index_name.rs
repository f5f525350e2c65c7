//! The `date_index_name` processor
//! (`modules/ingest-common/src/main/java/org/opensearch/ingest/common/DateIndexNameProcessor.java`,
//! with its `Factory`): parses `field` with `date_formats` (default
//! `yyyy-MM-dd'T'HH:mm:ss.SSSXX`) in `timezone` (default UTC) and `locale` (default English),
//! then writes `_index` as the date math expression
//! `<{index_name_prefix}{{date}||/{date_rounding}{{index_name_format}|{zone}}}>` the node
//! resolves when it routes the document.

use serde_json::Value as Json;

use crate::config::Config;
use crate::date::{DateError, DateFormat, DateFormatter, Locale, Zone};
use crate::document::IngestDocument;
use crate::error::IngestError;
use crate::processor::{Common, Outcome, Processor, Run};
use crate::processors::date::{date_error, now_of, unsupported_error};
use crate::template::Template;
use crate::Value;

pub struct DateIndexNameProcessor {
    tag: Option<String>,
    description: Option<String>,
    field: String,
    timezone: Zone,
    locale: Locale,
    date_formats: Vec<DateFormat>,
    index_name_prefix: Template,
    date_rounding: Template,
    index_name_format: Template,
}

/// The default of `date_formats`.
const DEFAULT_DATE_FORMAT: &str = "yyyy-MM-dd'T'HH:mm:ss.SSSXX";

fn creation_error(e: &DateError) -> IngestError {
    if e.unsupported {
        unsupported_error(e)
    } else {
        date_error(e)
    }
}

pub fn factory(config: &mut Config, common: &Common) -> Result<Box<dyn Processor>, IngestError> {
    let locale_string = config.optional_string("locale")?;
    let timezone_string = config.optional_string("timezone")?;
    let timezone = match &timezone_string {
        None => Zone::UTC,
        Some(s) => Zone::of(s).map_err(|e| creation_error(&e))?,
    };
    let locale = match &locale_string {
        None => Locale::English("en".into()),
        Some(s) => Locale::from_language_tag(s).map_err(|e| creation_error(&e))?,
    };
    let format_values = config
        .optional_list("date_formats")?
        .unwrap_or_else(|| vec![Json::String(DEFAULT_DATE_FORMAT.into())]);
    let mut date_formats = Vec::with_capacity(format_values.len());
    for f in &format_values {
        let Json::String(f) = f else {
            return Err(IngestError::unsupported(format!(
                "a date format that is not a string ({})",
                crate::config::json_java_to_string(f)
            )));
        };
        let format = DateFormat::from_string(f).map_err(|e| creation_error(&e))?;
        // getFunction compiles a Java pattern here, at creation.
        if let DateFormat::Java(_, Err(e)) = &format {
            return Err(creation_error(e));
        }
        date_formats.push(format);
    }
    let field = config.required_string("field")?;
    let prefix = config.string_or("index_name_prefix", "")?;
    let index_name_prefix = config.compile_template("index_name_prefix", &prefix)?;
    let rounding = config.required_string("date_rounding")?;
    let date_rounding = config.compile_template("date_rounding", &rounding)?;
    let format = config.string_or("index_name_format", "yyyy-MM-dd")?;
    let index_name_format = config.compile_template("index_name_format", &format)?;
    let (tag, description) = common.tag_and_description();
    Ok(Box::new(DateIndexNameProcessor {
        tag,
        description,
        field,
        timezone,
        locale,
        date_formats,
        index_name_prefix,
        date_rounding,
        index_name_format,
    }))
}

impl Processor for DateIndexNameProcessor {
    fn execute(&self, doc: &mut IngestDocument, _run: &mut Run) -> Result<Outcome, IngestError> {
        let obj = doc.field(&self.field)?;
        let date = if obj.is_null() {
            None
        } else {
            Some(obj.java_to_string())
        };
        let now = now_of(doc);
        let mut first_error: Option<DateError> = None;
        let mut result = None;
        for format in &self.date_formats {
            match format.parse(date.as_deref(), &self.timezone, &self.locale, now) {
                // No `break` upstream: the last format that parses wins.
                Ok(zdt) => result = Some(zdt),
                Err(e) if e.unsupported => return Err(unsupported_error(&e)),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let Some(date_time) = result else {
            let shown = date.as_deref().unwrap_or("null");
            let mut e = IngestError::illegal_argument(format!("unable to parse date [{shown}]"));
            if let Some(cause) = &first_error {
                e = e.with_cause(date_error(cause));
            }
            return Err(e);
        };
        let prefix = doc.render(&self.index_name_prefix)?;
        let index_name_format = doc.render(&self.index_name_format)?;
        let rounding = doc.render(&self.date_rounding)?;
        let formatter =
            DateFormatter::for_pattern(&index_name_format).map_err(|e| creation_error(&e))?;
        let formatted = formatter
            .format(&date_time)
            .map_err(|e| creation_error(&e))?;
        // "use UTC instead of Z is string representation of UTC"
        let zone = if self.timezone.is_offset_utc() {
            "UTC".to_string()
        } else {
            self.timezone.id()
        };
        let index = format!("<{prefix}{{{formatted}||/{rounding}{{{index_name_format}|{zone}}}}}>");
        doc.set_field("_index", Value::string(index))?;
        Ok(Outcome::Continue)
    }

    fn kind(&self) -> &'static str {
        "date_index_name"
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
    use crate::test_support::{cause, run_err, run_ok};

    #[allow(clippy::borrowed_box)]
    fn index_of(p: &Box<dyn crate::processor::Processor>, source: serde_json::Value) -> String {
        let d = run_ok(p, source);
        d.metadata("_index").as_str().unwrap().to_string()
    }

    #[test]
    fn java_pattern() {
        let p = build(
            "date_index_name",
            json!({"field": "_field", "index_name_prefix": "events-", "date_rounding": "y", "index_name_format": "yyyyMMdd"}),
        );
        assert_eq!(
            index_of(&p, json!({"_field": "2016-04-25T12:24:20.101Z"})),
            "<events-{20160425||/y{yyyyMMdd|UTC}}>"
        );
    }

    #[test]
    fn tai64n_unix_ms_unix() {
        for (format, value) in [
            ("TAI64N", json!("@4000000050d506482dbdf024")),
            ("UNIX_MS", json!("1000500")),
            ("UNIX_MS", json!(1000500)),
            ("UNIX", json!("1000.5")),
        ] {
            let p = build(
                "date_index_name",
                json!({"field": "_field", "date_formats": [format], "index_name_prefix": "events-", "date_rounding": "m", "index_name_format": "yyyyMMdd"}),
            );
            let expected = if format == "TAI64N" {
                "<events-{20121222||/m{yyyyMMdd|UTC}}>"
            } else {
                "<events-{19700101||/m{yyyyMMdd|UTC}}>"
            };
            assert_eq!(index_of(&p, json!({"_field": value})), expected);
        }
    }

    #[test]
    fn templated_fields_and_defaults() {
        let p = build(
            "date_index_name",
            json!({"field": "_field", "date_formats": ["UNIX"], "index_name_prefix": "{{prefix}}-", "date_rounding": "{{r}}", "index_name_format": "MM/dd/yyyy"}),
        );
        assert_eq!(
            index_of(&p, json!({"_field": "86400", "prefix": "logs", "r": "d"})),
            "<logs-{01/02/1970||/d{MM/dd/yyyy|UTC}}>"
        );
        let p = build(
            "date_index_name",
            json!({"field": "_field", "date_formats": ["ISO8601"], "date_rounding": "M", "timezone": "Europe/Amsterdam"}),
        );
        assert_eq!(
            index_of(&p, json!({"_field": "2016-04-25T23:24:20Z"})),
            "<{2016-04-26||/M{yyyy-MM-dd|Europe/Amsterdam}}>"
        );
    }

    #[test]
    fn creation_errors() {
        let e = build_err("date_index_name", json!({"date_rounding": "y"}));
        assert_eq!(e.reason(), "[field] required property is missing");
        let e = build_err("date_index_name", json!({"field": "f"}));
        assert_eq!(e.reason(), "[date_rounding] required property is missing");
        let e = build_err(
            "date_index_name",
            json!({"field": "f", "date_rounding": "y", "timezone": "Mars/Olympus"}),
        );
        assert!(e.reason().ends_with("Unknown time-zone ID: Mars/Olympus"));
        let e = build_err(
            "date_index_name",
            json!({"field": "f", "date_rounding": "y", "date_formats": ["invalid pattern"]}),
        );
        assert_eq!(
            e.reason(),
            "java.lang.IllegalArgumentException: Invalid format: [invalid pattern]: Unknown pattern letter: i"
        );
        let e = build_err(
            "date_index_name",
            json!({"field": "f", "date_rounding": "y", "locale": "not a tag"}),
        );
        assert_eq!(
            e.reason(),
            "java.lang.IllegalArgumentException: Invalid language tag specified: not a tag"
        );
    }

    #[test]
    fn unparseable_date() {
        let p = build(
            "date_index_name",
            json!({"field": "f", "date_rounding": "y"}),
        );
        let e = run_err(&p, json!({"f": "nope"}));
        assert_eq!(e.reason(), "unable to parse date [nope]");
        assert_eq!(
            cause(&e).reason(),
            "failed to parse date field [nope] with format [yyyy-MM-dd'T'HH:mm:ss.SSSXX]"
        );
    }
}
