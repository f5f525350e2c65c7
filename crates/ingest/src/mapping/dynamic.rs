//! Dynamic templates (`server/src/main/java/org/opensearch/index/mapper/DynamicTemplate.java`,
//! `RootObjectMapper.findTemplate`): the first template whose conditions all hold gives the
//! mapping of a new field, with `{name}` and `{dynamic_type}` replaced.

use serde_json::{Map, Value};

use super::error::JavaError;

/// `DynamicTemplate.XContentFieldType`: the JSON type of the value being mapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MatchType {
    Object,
    String,
    Long,
    Double,
    Boolean,
    Date,
    Binary,
}

impl MatchType {
    fn from_name(s: &str) -> Option<MatchType> {
        Some(match s {
            "object" => MatchType::Object,
            "string" => MatchType::String,
            "long" => MatchType::Long,
            "double" => MatchType::Double,
            "boolean" => MatchType::Boolean,
            "date" => MatchType::Date,
            "binary" => MatchType::Binary,
            _ => return None,
        })
    }

    /// `defaultMappingType()`: what `{dynamic_type}` becomes, and the type when the template's
    /// mapping has none.
    pub(crate) fn default_mapping_type(self) -> &'static str {
        match self {
            MatchType::Object => "object",
            MatchType::String => "text",
            MatchType::Long => "long",
            MatchType::Double => "float",
            MatchType::Boolean => "boolean",
            MatchType::Date => "date",
            MatchType::Binary => "binary",
        }
    }
}

#[derive(Clone, Debug)]
enum MatchPattern {
    Simple,
    Regex,
}

#[derive(Clone, Debug)]
pub(crate) struct DynamicTemplate {
    path_match: Option<String>,
    path_unmatch: Option<String>,
    match_: Option<String>,
    unmatch: Option<String>,
    pattern: MatchPattern,
    /// None for `*` or absent.
    match_mapping_type: Option<MatchType>,
    mapping: Map<String, Value>,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => super::tokens::java_print(other),
    }
}

impl DynamicTemplate {
    /// `DynamicTemplate.parse`.
    pub(crate) fn parse(name: &str, body: &Value) -> Result<DynamicTemplate, JavaError> {
        let Value::Object(conf) = body else {
            return Err(JavaError::mapper_parsing(
                "Dynamic template syntax error. An array of named objects is expected.",
            ));
        };
        let mut t = DynamicTemplate {
            path_match: None,
            path_unmatch: None,
            match_: None,
            unmatch: None,
            pattern: MatchPattern::Simple,
            match_mapping_type: None,
            mapping: Map::new(),
        };
        let mut mapping = None;
        for (k, v) in conf {
            match k.as_str() {
                "match" => t.match_ = Some(text(v)),
                "path_match" => t.path_match = Some(text(v)),
                "unmatch" => t.unmatch = Some(text(v)),
                "path_unmatch" => t.path_unmatch = Some(text(v)),
                "match_mapping_type" => {
                    let s = text(v);
                    if s != "*" {
                        t.match_mapping_type = Some(MatchType::from_name(&s).ok_or_else(|| {
                            JavaError::illegal_argument(format!(
                                "No field type matched on [{s}], possible values are [object, string, long, double, boolean, date, binary]"
                            ))
                        })?);
                    }
                }
                "match_pattern" => {
                    t.pattern = match text(v).as_str() {
                        "simple" => MatchPattern::Simple,
                        "regex" => MatchPattern::Regex,
                        other => {
                            return Err(JavaError::illegal_argument(format!(
                                "No matching pattern matched on [{other}]"
                            )))
                        }
                    }
                }
                "mapping" => mapping = Some(v),
                other => {
                    return Err(JavaError::mapper_parsing(format!(
                        "Illegal dynamic template parameter: [{other}]"
                    )))
                }
            }
        }
        match mapping {
            Some(Value::Object(m)) => t.mapping = m.clone(),
            _ => {
                return Err(JavaError::mapper_parsing(format!(
                    "template [{name}] must have either mapping or runtime set"
                )))
            }
        }
        if matches!(t.pattern, MatchPattern::Regex) {
            return Err(JavaError::unsupported(format!(
                "dynamic template [{name}] with match_pattern [regex]"
            )));
        }
        Ok(t)
    }

    /// `DynamicTemplate.match(path, name, xcontentFieldType)`.
    pub(crate) fn matches(&self, path: &str, name: &str, ty: MatchType) -> bool {
        if let Some(p) = &self.path_match {
            if !simple_match(p, path) {
                return false;
            }
        }
        if let Some(p) = &self.match_ {
            if !simple_match(p, name) {
                return false;
            }
        }
        if let Some(p) = &self.path_unmatch {
            if simple_match(p, path) {
                return false;
            }
        }
        if let Some(p) = &self.unmatch {
            if simple_match(p, name) {
                return false;
            }
        }
        if let Some(t) = self.match_mapping_type {
            if t != ty {
                return false;
            }
        }
        true
    }

    /// `mappingType(dynamicType)`.
    pub(crate) fn mapping_type(&self, dynamic_type: &str) -> String {
        let declared = self.mapping.get("type").map(text);
        let ty = match &declared {
            Some(t) => t
                .replace("{dynamic_type}", dynamic_type)
                .replace("{dynamicType}", dynamic_type),
            None => dynamic_type.to_string(),
        };
        if declared.as_deref() != Some(ty.as_str()) && ty == "text" {
            if let Some(Value::String(index)) = self.mapping.get("index") {
                if index == "not_analyzed" {
                    return "keyword".into();
                }
            }
        }
        ty
    }

    /// `mappingForName(name, dynamicType)`: the mapping with the placeholders replaced in keys
    /// and string values.
    pub(crate) fn mapping_for_name(&self, name: &str, dynamic_type: &str) -> Map<String, Value> {
        process_map(&self.mapping, name, dynamic_type)
    }
}

fn replace(s: &str, name: &str, dynamic_type: &str) -> String {
    s.replace("{name}", name)
        .replace("{dynamic_type}", dynamic_type)
        .replace("{dynamicType}", dynamic_type)
}

fn process_map(m: &Map<String, Value>, name: &str, dynamic_type: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in m {
        out.insert(
            replace(k, name, dynamic_type),
            process_value(v, name, dynamic_type),
        );
    }
    out
}

fn process_value(v: &Value, name: &str, dynamic_type: &str) -> Value {
    match v {
        Value::String(s) => Value::String(replace(s, name, dynamic_type)),
        Value::Object(m) => Value::Object(process_map(m, name, dynamic_type)),
        Value::Array(a) => Value::Array(
            a.iter()
                .map(|x| process_value(x, name, dynamic_type))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `Regex.simpleMatch`: `*` matches any run of characters.
pub(crate) fn simple_match(pattern: &str, s: &str) -> bool {
    let Some(first) = pattern.find('*') else {
        return pattern == s;
    };
    if first == 0 {
        if pattern.len() == 1 {
            return true;
        }
        let rest = &pattern[1..];
        let Some(next) = rest.find('*') else {
            return s.ends_with(rest);
        };
        if next == 0 {
            return simple_match(rest, s);
        }
        let part = &rest[..next];
        let after = &rest[next..];
        let mut from = 0;
        while let Some(i) = s[from..].find(part) {
            let idx = from + i;
            if simple_match(after, &s[idx + part.len()..]) {
                return true;
            }
            from = idx + s[idx..].chars().next().map_or(1, char::len_utf8);
            if from > s.len() {
                break;
            }
        }
        return false;
    }
    s.len() >= first
        && s.is_char_boundary(first)
        && pattern[..first] == s[..first]
        && simple_match(&pattern[first..], &s[first..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn simple_match_cases() {
        assert!(simple_match("*", "anything"));
        assert!(simple_match("ab*", "abc"));
        assert!(simple_match("*bc", "abc"));
        assert!(simple_match("a*c", "abc"));
        assert!(simple_match("*b*", "abc"));
        assert!(simple_match("a**c", "abc"));
        assert!(!simple_match("a*d", "abc"));
        assert!(!simple_match("abc", "abcd"));
        assert!(simple_match("*.ip", "source.ip"));
        assert!(!simple_match("*.ip", "ip"));
    }

    #[test]
    fn template_matching_and_placeholders() {
        let t = DynamicTemplate::parse(
            "t",
            &json!({"match": "*_ip", "unmatch": "skip_*", "match_mapping_type": "string",
                    "mapping": {"type": "{dynamic_type}", "fields": {"{name}_raw": {"type": "keyword"}}}}),
        )
        .unwrap();
        assert!(t.matches("a.src_ip", "src_ip", MatchType::String));
        assert!(!t.matches("a.src_ip", "src_ip", MatchType::Long));
        assert!(!t.matches("skip_ip", "skip_ip", MatchType::String));
        assert_eq!(t.mapping_type("text"), "text");
        assert_eq!(
            Value::Object(t.mapping_for_name("src_ip", "text")),
            json!({"type": "text", "fields": {"src_ip_raw": {"type": "keyword"}}})
        );
    }

    #[test]
    fn bad_templates() {
        let e = DynamicTemplate::parse("t", &json!({"match_mapping_type": "text", "mapping": {}}))
            .unwrap_err();
        assert_eq!(
            e.message,
            "No field type matched on [text], possible values are [object, string, long, double, boolean, date, binary]"
        );
        let e = DynamicTemplate::parse("t", &json!({"foo": 1, "mapping": {}})).unwrap_err();
        assert_eq!(e.message, "Illegal dynamic template parameter: [foo]");
    }
}
