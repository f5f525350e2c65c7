//! A processor's options, read as `ConfigurationUtils` reads them
//! (`server/src/main/java/org/opensearch/ingest/ConfigurationUtils.java`).
//!
//! Each reader removes the option it reads (`configuration.remove(propertyName)`), so that what
//! is left once the factory is done is what the processor does not support ("processor [set]
//! doesn't support one or more provided configuration parameters [foo]"). A JSON `null` counts
//! as a missing option, as the Java map's `null` does. Errors are `OpenSearchParseException`s
//! (`parse_exception`, 400) with the `processor_type`, `processor_tag` and `property_name`
//! metadata, and the messages of `ConfigurationUtils`.

use serde_json::{Map, Value as Json};

use crate::error::IngestError;
use crate::template::Template;

/// The options object of one processor, with its type and tag for error metadata.
#[derive(Clone, Debug)]
pub struct Config {
    processor_type: Option<String>,
    tag: Option<String>,
    options: Map<String, Json>,
}

impl Config {
    pub fn new(processor_type: &str, tag: Option<&str>, options: Map<String, Json>) -> Config {
        Config {
            processor_type: Some(processor_type.to_string()),
            tag: tag.map(str::to_string),
            options,
        }
    }

    /// Options read with no processor type in error metadata (`readProcessor` reads `tag`,
    /// `description`, `ignore_failure` and `on_failure` so, and `Pipeline.create` its keys).
    pub fn new_anonymous(options: Map<String, Json>) -> Config {
        Config {
            processor_type: None,
            tag: None,
            options,
        }
    }

    /// Sets the tag reported in error metadata.
    pub fn set_tag(&mut self, tag: Option<&str>) {
        self.tag = tag.map(str::to_string);
    }

    /// The options not read yet.
    pub fn into_options(self) -> Map<String, Json> {
        self.options
    }

    /// The processor type (`""` for anonymous options).
    pub fn processor_type(&self) -> &str {
        self.processor_type.as_deref().unwrap_or("")
    }

    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// Whether every option has been read.
    pub fn is_empty(&self) -> bool {
        self.options.is_empty()
    }

    /// The options not read yet, in the order Java's `HashMap.keySet()` gives them.
    pub fn remaining_keys(&self) -> Vec<String> {
        java_key_order(self.options.keys())
    }

    /// Whether an option is present (and not null), without reading it.
    pub fn contains(&self, name: &str) -> bool {
        self.options.get(name).is_some_and(|v| !v.is_null())
    }

    /// Removes an option; `None` for a missing or null one.
    fn take(&mut self, name: &str) -> Option<Json> {
        match self.options.remove(name) {
            Some(Json::Null) | None => None,
            Some(v) => Some(v),
        }
    }

    /// `readStringProperty(type, tag, config, name)`: "[name] required property is missing".
    pub fn required_string(&mut self, name: &str) -> Result<String, IngestError> {
        match self.take(name) {
            None => Err(self.new_config_error(name, "required property is missing")),
            Some(v) => self.string_value(name, v),
        }
    }

    /// `readStringProperty(type, tag, config, name, default)`.
    pub fn string_or(&mut self, name: &str, default: &str) -> Result<String, IngestError> {
        match self.take(name) {
            None => Ok(default.to_string()),
            Some(v) => self.string_value(name, v),
        }
    }

    /// `readOptionalStringProperty`.
    pub fn optional_string(&mut self, name: &str) -> Result<Option<String>, IngestError> {
        match self.take(name) {
            None => Ok(None),
            Some(v) => self.string_value(name, v).map(Some),
        }
    }

    fn string_value(&self, name: &str, value: Json) -> Result<String, IngestError> {
        match value {
            Json::String(s) => Ok(s),
            other => Err(self.new_config_error(
                name,
                format!(
                    "property isn't a string, but of type [{}]",
                    json_class_name(&other)
                ),
            )),
        }
    }

    /// `readStringOrIntProperty(type, tag, config, name, default)`: a string, or an `Integer`
    /// as its decimal string; `default` when missing, and missing without a default is an error.
    pub fn string_or_int(
        &mut self,
        name: &str,
        default: Option<&str>,
    ) -> Result<String, IngestError> {
        match self.take(name) {
            None => match default {
                Some(d) => Ok(d.to_string()),
                None => Err(self.new_config_error(name, "required property is missing")),
            },
            Some(v) => self.string_or_int_value(name, v),
        }
    }

    /// `readOptionalStringOrIntProperty`.
    pub fn optional_string_or_int(&mut self, name: &str) -> Result<Option<String>, IngestError> {
        match self.take(name) {
            None => Ok(None),
            Some(v) => self.string_or_int_value(name, v).map(Some),
        }
    }

    fn string_or_int_value(&self, name: &str, value: Json) -> Result<String, IngestError> {
        match value {
            Json::String(s) => Ok(s),
            Json::Number(n) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {
                Ok(n.to_string())
            }
            other => Err(self.new_config_error(
                name,
                format!(
                    "property isn't a string or int, but of type [{}]",
                    json_class_name(&other)
                ),
            )),
        }
    }

    /// `readBooleanProperty(type, tag, config, name, default)`: only a JSON boolean is accepted.
    pub fn boolean(&mut self, name: &str, default: bool) -> Result<bool, IngestError> {
        match self.take(name) {
            None => Ok(default),
            Some(Json::Bool(b)) => Ok(b),
            Some(other) => Err(self.new_config_error(
                name,
                format!(
                    "property isn't a boolean, but of type [{}]",
                    json_class_name(&other)
                ),
            )),
        }
    }

    /// `readIntProperty(type, tag, config, name, default)`: `Integer.parseInt(value.toString())`,
    /// so `"5"` is accepted and `5.0` is not.
    pub fn int(&mut self, name: &str, default: Option<i32>) -> Result<Option<i32>, IngestError> {
        let Some(value) = self.take(name) else {
            return Ok(default);
        };
        let text = json_java_to_string(&value);
        parse_java_int(&text).map(Some).ok_or_else(|| {
            self.new_config_error(
                name,
                format!("property cannot be converted to an int [{text}]"),
            )
        })
    }

    /// `readDoubleProperty(type, tag, config, name)`: required; `Double.parseDouble(toString())`.
    pub fn required_double(&mut self, name: &str) -> Result<f64, IngestError> {
        let Some(value) = self.take(name) else {
            return Err(self.new_config_error(name, "required property is missing"));
        };
        let text = json_java_to_string(&value);
        parse_java_double(&text).ok_or_else(|| {
            self.new_config_error(
                name,
                format!("property cannot be converted to a double [{text}]"),
            )
        })
    }

    /// `readOptionalList`.
    pub fn optional_list(&mut self, name: &str) -> Result<Option<Vec<Json>>, IngestError> {
        match self.take(name) {
            None => Ok(None),
            Some(v) => self.list_value(name, v).map(Some),
        }
    }

    /// `readList`: required.
    pub fn required_list(&mut self, name: &str) -> Result<Vec<Json>, IngestError> {
        match self.take(name) {
            None => Err(self.new_config_error(name, "required property is missing")),
            Some(v) => self.list_value(name, v),
        }
    }

    fn list_value(&self, name: &str, value: Json) -> Result<Vec<Json>, IngestError> {
        match value {
            Json::Array(items) => Ok(items),
            other => Err(self.new_config_error(
                name,
                format!(
                    "property isn't a list, but of type [{}]",
                    json_class_name(&other)
                ),
            )),
        }
    }

    /// `readOptionalMap`.
    pub fn optional_map(&mut self, name: &str) -> Result<Option<Map<String, Json>>, IngestError> {
        match self.take(name) {
            None => Ok(None),
            Some(v) => self.map_value(name, v).map(Some),
        }
    }

    /// `readMap`: required.
    pub fn required_map(&mut self, name: &str) -> Result<Map<String, Json>, IngestError> {
        match self.take(name) {
            None => Err(self.new_config_error(name, "required property is missing")),
            Some(v) => self.map_value(name, v),
        }
    }

    fn map_value(&self, name: &str, value: Json) -> Result<Map<String, Json>, IngestError> {
        match value {
            Json::Object(map) => Ok(map),
            other => Err(self.new_config_error(
                name,
                format!(
                    "property isn't a map, but of type [{}]",
                    json_class_name(&other)
                ),
            )),
        }
    }

    /// `readObject`: any value, required.
    pub fn required_value(&mut self, name: &str) -> Result<Json, IngestError> {
        self.take(name)
            .ok_or_else(|| self.new_config_error(name, "required property is missing"))
    }

    /// `readOptionalObject`: any value, or `None`.
    pub fn optional_value(&mut self, name: &str) -> Option<Json> {
        self.take(name)
    }

    /// `readTemplateProperty`: a required string, compiled as a template.
    pub fn required_template(&mut self, name: &str) -> Result<Template, IngestError> {
        let source = self.required_string(name)?;
        self.compile_template(name, &source)
    }

    /// An optional string option, compiled as a template when present.
    pub fn optional_template(&mut self, name: &str) -> Result<Option<Template>, IngestError> {
        match self.optional_string(name)? {
            None => Ok(None),
            Some(source) => self.compile_template(name, &source).map(Some),
        }
    }

    /// `ConfigurationUtils.compileTemplate`: a string containing `{{` is a Mustache template,
    /// any other string renders as itself. A template that does not compile is a configuration
    /// error on the property.
    pub fn compile_template(&self, property: &str, source: &str) -> Result<Template, IngestError> {
        Template::compile(source).map_err(|e| self.config_error_from(Some(property), e))
    }

    /// `newConfigurationException(type, tag, property, reason)`: "[property] reason", with the
    /// metadata.
    pub fn new_config_error(&self, property: &str, reason: impl Into<String>) -> IngestError {
        new_config_error(
            self.processor_type.as_deref(),
            self.tag.as_deref(),
            Some(property),
            reason,
        )
    }

    /// `newConfigurationException(type, tag, null, reason)`: the reason alone, with the metadata.
    pub fn new_error(&self, reason: impl Into<String>) -> IngestError {
        new_config_error(
            self.processor_type.as_deref(),
            self.tag.as_deref(),
            None,
            reason,
        )
    }

    /// `newConfigurationException(type, tag, property, cause)`: the cause made an OpenSearch
    /// exception (`convertToOpenSearchException`), with the metadata added.
    pub fn config_error_from(&self, property: Option<&str>, cause: IngestError) -> IngestError {
        config_error_from(
            self.processor_type.as_deref(),
            self.tag.as_deref(),
            property,
            cause,
        )
    }
}

/// `ConfigurationUtils.newConfigurationException` with a reason.
pub fn new_config_error(
    processor_type: Option<&str>,
    tag: Option<&str>,
    property: Option<&str>,
    reason: impl Into<String>,
) -> IngestError {
    let reason = reason.into();
    let message = match property {
        Some(p) => format!("[{p}] {reason}"),
        None => reason,
    };
    let mut e = IngestError::parse(message);
    add_config_metadata(&mut e, processor_type, tag, property);
    e
}

/// `ConfigurationUtils.newConfigurationException` with a cause.
pub fn config_error_from(
    processor_type: Option<&str>,
    tag: Option<&str>,
    property: Option<&str>,
    cause: IngestError,
) -> IngestError {
    let mut e = cause.into_opensearch_exception();
    add_config_metadata(&mut e, processor_type, tag, property);
    e
}

/// `addMetadataToException`: type, tag, property (each a `put`, replacing what a nested
/// `newConfigurationException` set).
fn add_config_metadata(
    e: &mut IngestError,
    processor_type: Option<&str>,
    tag: Option<&str>,
    property: Option<&str>,
) {
    if let Some(t) = processor_type {
        e.add_metadata("processor_type", t);
    }
    if let Some(t) = tag {
        e.add_metadata("processor_tag", t);
    }
    if let Some(p) = property {
        e.add_metadata("property_name", p);
    }
}

/// The Java class a JSON value has once parsed into a `Map<String, Object>` by XContent
/// (`XContentHelper.convertToMap(.., ordered = false)`): `HashMap`, `ArrayList`, `Integer` or
/// `Long` by size, `Double`, `String`, `Boolean`.
pub fn json_class_name(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "java.lang.Boolean",
        Json::Number(n) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => "java.lang.Integer",
            Some(_) => "java.lang.Long",
            None if n.is_u64() => "java.math.BigInteger",
            None => "java.lang.Double",
        },
        Json::String(_) => "java.lang.String",
        Json::Array(_) => "java.util.ArrayList",
        Json::Object(_) => "java.util.HashMap",
    }
}

/// `toString()` of the Java value a JSON value parses to (numbers as Java prints them).
pub fn json_java_to_string(value: &Json) -> String {
    painless::value::from_json(value).java_to_string()
}

/// The keys in the order a Java `HashMap` holding them would iterate.
pub fn java_key_order<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut map = painless::value::JMap::new(painless::value::MapKind::Hash);
    for k in keys {
        map.insert_str(k, painless::Value::Null);
    }
    map.keys().iter().map(|k| k.java_to_string()).collect()
}

/// `Integer.parseInt`: optional sign, decimal digits, within 32 bits.
pub fn parse_java_int(s: &str) -> Option<i32> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i32>().ok()
}

/// `Double.parseDouble` for the strings configuration values produce (leading and trailing
/// whitespace ignored, `NaN`, `Infinity`, a trailing `d`/`f` type suffix accepted).
pub fn parse_java_double(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c <= ' ');
    let t = t
        .strip_suffix(['d', 'D', 'f', 'F'])
        .filter(|r| !r.is_empty() && !r.ends_with(['e', 'E', '+', '-']))
        .unwrap_or(t);
    match t {
        "NaN" => return Some(f64::NAN),
        "Infinity" | "+Infinity" => return Some(f64::INFINITY),
        "-Infinity" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    if t.is_empty() || t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    t.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(v: Json) -> Config {
        let Json::Object(map) = v else { panic!() };
        Config::new("set", Some("t1"), map)
    }

    #[test]
    fn required_string_messages_and_metadata() {
        let mut c = config(json!({"field": 5, "other": null}));
        let e = c.required_string("missing").unwrap_err();
        assert_eq!(e.reason(), "[missing] required property is missing");
        assert_eq!(e.type_, "parse_exception");
        assert_eq!(e.metadata("processor_type"), Some("set"));
        assert_eq!(e.metadata("processor_tag"), Some("t1"));
        assert_eq!(e.metadata("property_name"), Some("missing"));
        let e = c.required_string("field").unwrap_err();
        assert_eq!(
            e.reason(),
            "[field] property isn't a string, but of type [java.lang.Integer]"
        );
        // null is missing
        assert!(c.required_string("other").is_err());
        assert!(c.is_empty());
    }

    #[test]
    fn types_of_values_in_messages() {
        let mut c =
            config(json!({"a": [1], "b": {"x": 1}, "c": true, "d": 1.5, "e": 3000000000i64}));
        for (k, class) in [
            ("a", "java.util.ArrayList"),
            ("b", "java.util.HashMap"),
            ("c", "java.lang.Boolean"),
            ("d", "java.lang.Double"),
            ("e", "java.lang.Long"),
        ] {
            let e = c.optional_string(k).unwrap_err();
            assert_eq!(
                e.reason(),
                format!("[{k}] property isn't a string, but of type [{class}]")
            );
        }
    }

    #[test]
    fn booleans_ints_lists() {
        let mut c = config(json!({"b": "true", "i": "12", "j": 1.5, "l": "x"}));
        assert_eq!(
            c.boolean("b", false).unwrap_err().reason(),
            "[b] property isn't a boolean, but of type [java.lang.String]"
        );
        assert_eq!(c.int("i", None).unwrap(), Some(12));
        assert_eq!(
            c.int("j", None).unwrap_err().reason(),
            "[j] property cannot be converted to an int [1.5]"
        );
        assert_eq!(
            c.optional_list("l").unwrap_err().reason(),
            "[l] property isn't a list, but of type [java.lang.String]"
        );
        assert!(c.boolean("absent", true).unwrap());
    }

    #[test]
    fn remaining_keys_in_hash_map_order() {
        let c = config(json!({"b": 1, "aa": 2, "a": 3}));
        // "aa" hashes to bucket 0, "a" to 1, "b" to 2.
        assert_eq!(c.remaining_keys(), ["aa", "a", "b"]);
    }

    #[test]
    fn java_number_parsing() {
        assert_eq!(parse_java_int("+7"), Some(7));
        assert_eq!(parse_java_int("1.0"), None);
        assert_eq!(parse_java_int(""), None);
        assert_eq!(parse_java_double("1.5"), Some(1.5));
        assert_eq!(parse_java_double("2d"), Some(2.0));
        assert_eq!(parse_java_double("abc"), None);
    }
}
