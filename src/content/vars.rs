//! Template variables: `[vars]` of siemctl.toml, overridden by `[targets.<name>.vars]`,
//! overridden by `--var name=value`. Precedence: flag > target > file.

use serde_json::{Map, Value};

/// Where a variable's value came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    Target(String),
    Flag,
    /// The `vars` of a test file's configuration (`siemctl test`), by path.
    TestConfig(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Target(name) => write!(f, "[targets.{name}.vars] in siemctl.toml"),
            Origin::Flag => f.write_str("--var"),
            Origin::TestConfig(path) => write!(f, "`vars` of {path}"),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum VarsError {
    #[error("unknown variable `{name}` in {origin}{suggestion}")]
    Unknown {
        name: String,
        origin: Origin,
        suggestion: String,
    },
    #[error(
        "variable `{name}` is {expected} in [vars] of siemctl.toml, but {origin} gives `{value}`"
    )]
    WrongType {
        name: String,
        expected: &'static str,
        value: String,
        origin: Origin,
    },
    #[error("`--var {0}` has no `=`: write it as --var NAME=VALUE")]
    NoEquals(String),
}

/// Splits a `--var NAME=VALUE` argument.
pub(crate) fn parse_flag(arg: &str) -> Result<(String, String), VarsError> {
    arg.split_once('=')
        .map(|(name, value)| (name.trim().to_string(), value.to_string()))
        .ok_or_else(|| VarsError::NoEquals(arg.to_string()))
}

/// Merges the three layers. Every variable must be declared in `[vars]` (so a typo in a target or
/// a flag is an error, not a silent no-op), and keeps the type it has there: `--var shards=2` is
/// the number 2 when `shards = 1` is declared.
pub(crate) fn resolve(
    file: &Map<String, Value>,
    target: Option<(&str, &Map<String, Value>)>,
    flags: &[(String, String)],
) -> Result<Map<String, Value>, VarsError> {
    let mut vars = file.clone();
    if let Some((target_name, target_vars)) = target {
        vars = overlay(
            vars,
            file,
            target_vars,
            &Origin::Target(target_name.to_string()),
        )?;
    }
    for (name, raw) in flags {
        let declared = declared(file, name, &Origin::Flag)?;
        let value = coerce(declared, raw).ok_or_else(|| VarsError::WrongType {
            name: name.clone(),
            expected: type_name(declared),
            value: raw.clone(),
            origin: Origin::Flag,
        })?;
        vars.insert(name.clone(), value);
    }
    Ok(vars)
}

/// `vars` with the typed values of `layer` over it; each must be declared in `file` with the
/// same type.
pub(crate) fn overlay(
    mut vars: Map<String, Value>,
    file: &Map<String, Value>,
    layer: &Map<String, Value>,
    origin: &Origin,
) -> Result<Map<String, Value>, VarsError> {
    for (name, value) in layer {
        let declared = declared(file, name, origin)?;
        if type_name(declared) != type_name(value) {
            return Err(VarsError::WrongType {
                name: name.clone(),
                expected: type_name(declared),
                value: value.to_string(),
                origin: origin.clone(),
            });
        }
        vars.insert(name.clone(), value.clone());
    }
    Ok(vars)
}

fn declared<'a>(
    file: &'a Map<String, Value>,
    name: &str,
    origin: &Origin,
) -> Result<&'a Value, VarsError> {
    file.get(name).ok_or_else(|| VarsError::Unknown {
        name: name.to_string(),
        origin: origin.clone(),
        suggestion: crate::content::suggest::did_you_mean(name, file.keys())
            .map(|s| format!(": did you mean `{s}`?"))
            .unwrap_or_else(|| ": declare it in [vars] of siemctl.toml first".to_string()),
    })
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a table",
    }
}

/// Reads a flag's text as a value of the declared variable's type.
fn coerce(declared: &Value, raw: &str) -> Option<Value> {
    match declared {
        Value::String(_) => Some(Value::String(raw.to_string())),
        Value::Bool(_) => raw.parse::<bool>().ok().map(Value::Bool),
        Value::Number(n) if n.is_f64() => raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        Value::Number(_) => raw.parse::<i64>().ok().map(Value::from),
        Value::Array(_) | Value::Object(_) | Value::Null => serde_json::from_str::<Value>(raw)
            .ok()
            .filter(|v| type_name(v) == type_name(declared)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn flag_beats_target_beats_file() {
        let file = map(json!({"prefix": "log", "shards": 1, "replicas": 1}));
        let target = map(json!({"shards": 3, "replicas": 0}));
        let flags = vec![("shards".to_string(), "5".to_string())];
        let vars = resolve(&file, Some(("prod", &target)), &flags).unwrap();
        assert_eq!(
            Value::Object(vars),
            json!({"prefix": "log", "shards": 5, "replicas": 0})
        );
    }

    #[test]
    fn flags_take_the_declared_type() {
        let file = map(json!({"on": true, "ratio": 0.5, "tags": ["a"], "name": "x"}));
        let flags: Vec<_> = [
            ("on", "false"),
            ("ratio", "2.5"),
            ("tags", r#"["b","c"]"#),
            ("name", "12"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let vars = resolve(&file, None, &flags).unwrap();
        assert_eq!(
            Value::Object(vars),
            json!({"on": false, "ratio": 2.5, "tags": ["b", "c"], "name": "12"})
        );
    }

    #[test]
    fn wrong_types_and_unknown_names_are_errors() {
        let file = map(json!({"shards": 1}));
        let err = resolve(&file, None, &[("shards".into(), "two".into())]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "variable `shards` is an integer in [vars] of siemctl.toml, but --var gives `two`"
        );
        let err = resolve(&file, None, &[("shard".into(), "2".into())]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown variable `shard` in --var: did you mean `shards`?"
        );
        let target = map(json!({"shards": "3"}));
        let err = resolve(&file, Some(("prod", &target)), &[]).unwrap_err();
        assert!(err.to_string().contains("[targets.prod.vars]"), "{err}");
        assert_eq!(
            parse_flag("novalue").unwrap_err().to_string(),
            "`--var novalue` has no `=`: write it as --var NAME=VALUE"
        );
    }
}
