//! Advanced settings (`GET|POST /api/opensearch-dashboards/settings`) as `UiSettingsClient`
//! (`src/core/server/ui_settings/ui_settings_client.ts`) reads and writes the tenant's `config`
//! object:
//! - a write first validates every registered key against its schema (`validateKey`; an
//!   unregistered key or a null value is not checked): a wrong value is the route's 400
//!   (`routes/set_many.ts`: `response.badRequest({ body: error })` for a `ValidationError`);
//! - keys are translated on the way in (`timeline` → `timelion`, the first occurrence in the
//!   key, `String.replace`) and out (`timelion` → `timeline`), so the saved object holds
//!   `timelion:*` while the settings API shows `timeline:*` (`translateChanges`);
//! - a read or a write of a tenant without its config object first creates it
//!   (`createOrUpgradeSavedConfig`): with `buildNum`, over the attributes of the newest older
//!   config that `isConfigVersionUpgradeable` accepts (`get_upgradeable_config.ts`: sorted by
//!   buildNum, descending).

use serde_json::{json, Map, Value};

use super::saved_objects::{NewObject, Store, WriteError};
use crate::http::{boom, iso_now, Resp};

pub(crate) const BUILD_NUM: i64 = 8467;

#[derive(Clone, Copy)]
enum Schema {
    /// `schema.string()`.
    String,
    /// `schema.nullable(schema.string())`.
    NullableString,
    /// `schema.number()` (Joi converts a numeric string).
    Number,
    /// `schema.string({ validate })` with `moment.weekdays()` (English names).
    Weekday,
}

/// The registered settings whose schema is emulated, with the file that registers them. Other
/// registered keys are accepted whatever their value (not emulated), as unregistered keys are
/// upstream.
const REGISTERED: &[(&str, Schema)] = &[
    // src/core/server/ui_settings/settings/date_formats.ts
    ("dateFormat", Schema::String),
    ("dateFormat:tz", Schema::String),
    ("dateFormat:scaled", Schema::String),
    ("dateFormat:dow", Schema::Weekday),
    ("dateNanosFormat", Schema::String),
    // src/plugins/vis_type_timeline/server/plugin.ts
    ("timeline:es.timefield", Schema::String),
    ("timeline:es.default_index", Schema::String),
    ("timeline:target_buckets", Schema::Number),
    ("timeline:max_buckets", Schema::Number),
    ("timeline:min_interval", Schema::String),
    ("timeline:graphite.url", Schema::NullableString),
    ("timeline:quandl.key", Schema::String),
];

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// `type-detect`'s name of a value, as config-schema's messages print it.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

/// `validateKey`: the ValidationError message of `schema.validate(value, {}, "validation [key]")`.
fn validate_key(key: &str, value: &Value) -> Option<String> {
    if value.is_null() {
        return None;
    }
    let (_, schema) = REGISTERED.iter().find(|(k, _)| *k == key)?;
    let expected = |ty: &str| {
        Some(format!(
            "[validation [{key}]]: expected value of type [{ty}] but got [{}]",
            type_name(value)
        ))
    };
    match (schema, value) {
        (Schema::String | Schema::NullableString, Value::String(_)) => None,
        (Schema::Weekday, Value::String(s)) if WEEKDAYS.contains(&s.as_str()) => None,
        (Schema::Weekday, Value::String(s)) => {
            Some(format!("[validation [{key}]]: Invalid day of week: {s}"))
        }
        (Schema::String | Schema::NullableString | Schema::Weekday, _) => expected("string"),
        (Schema::Number, Value::Number(_)) => None,
        (Schema::Number, Value::String(s)) if s.trim().parse::<f64>().is_ok() => None,
        (Schema::Number, _) => expected("number"),
    }
}

/// `translateChanges(changes, source, dest)`: `key.replace(source, dest)` on every key.
fn translate(values: &Map<String, Value>, source: &str, dest: &str) -> Map<String, Value> {
    values
        .iter()
        .map(|(k, v)| (k.replacen(source, dest, 1), v.clone()))
        .collect()
}

fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.split('.').map(|p| p.parse::<u64>().ok());
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

/// `isConfigVersionUpgradeable` for plain `x.y.z` ids (release candidates and pre-releases are
/// not upgraded from).
fn upgradeable(saved: &str, current: &str) -> bool {
    let (Some(s), Some(c)) = (parse_version(saved), parse_version(current)) else {
        return false;
    };
    let prefork = ((6, 8, 0)..=(7, 10, 2)).contains(&s) && (c.0 == 1 || c.0 == 2);
    s < c || prefork
}

/// `createOrUpgradeSavedConfig` when the tenant has no config object for this version.
pub(crate) fn ensure_config(store: &mut Store, version: &str) -> Result<(), Resp> {
    if store
        .objects
        .contains_key(&("config".to_string(), version.to_string()))
    {
        return Ok(());
    }
    let mut older: Vec<(&String, &Value)> = store
        .objects
        .iter()
        .filter(|((t, id), _)| t == "config" && upgradeable(id, version))
        .map(|((_, id), o)| (id, &o.attributes))
        .collect();
    older.sort_by_key(|(_, a)| std::cmp::Reverse(a.get("buildNum").and_then(Value::as_i64)));
    let mut attributes = older
        .first()
        .and_then(|(_, a)| a.as_object().cloned())
        .unwrap_or_default();
    // lodash `defaults({ buildNum }, upgradeable.attributes)`: buildNum wins.
    attributes.insert("buildNum".into(), json!(BUILD_NUM));
    let o = NewObject {
        type_: "config".into(),
        id: Some(version.to_string()),
        attributes: Value::Object(attributes),
        references: json!([]),
        migration_version: None,
        version: None,
        origin_id: None,
    };
    match store.write(o, false) {
        Ok(_) | Err(WriteError::Conflict) => Ok(()),
        Err(WriteError::Resp(r)) => Err(r),
    }
}

/// `getUserProvided()`: every stored, non-null value as `{"userValue": v}`, keys translated back.
fn user_settings(store: &Store, version: &str) -> Value {
    let mut out = Map::new();
    if let Some(cfg) = store
        .objects
        .get(&("config".to_string(), version.to_string()))
    {
        if let Some(a) = cfg.attributes.as_object() {
            for (k, v) in translate(a, "timelion", "timeline") {
                if !v.is_null() {
                    out.insert(k, json!({"userValue": v}));
                }
            }
        }
    }
    json!({"settings": out})
}

/// `GET /api/opensearch-dashboards/settings` (`routes/get.ts`): a read, which creates the
/// config object when it is missing.
pub(crate) fn get(store: &mut Store, version: &str) -> Resp {
    if let Err(r) = ensure_config(store, version) {
        return r;
    }
    Resp::ok(user_settings(store, version))
}

/// `POST /api/opensearch-dashboards/settings` `{"changes":{..}}` (`routes/set_many.ts`,
/// `setMany`): validated, translated, written as a partial update of the config object.
pub(crate) fn set(store: &mut Store, changes: &Map<String, Value>, version: &str) -> Resp {
    for (key, value) in changes {
        if let Some(message) = validate_key(key, value) {
            return boom(400, message);
        }
    }
    let changes = translate(changes, "timeline", "timelion");
    if let Err(r) = ensure_config(store, version) {
        return r;
    }
    let key = ("config".to_string(), version.to_string());
    let Some(mut obj) = store.objects.get(&key).cloned() else {
        return boom(500, "An internal server error occurred.");
    };
    if let Some(a) = obj.attributes.as_object_mut() {
        for (k, v) in changes {
            a.insert(k, v);
        }
    }
    store.seq_no += 1;
    obj.seq_no = store.seq_no;
    obj.doc_version += 1;
    obj.updated_at = iso_now();
    store.objects.insert(key, obj);
    Resp::ok(user_settings(store, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_registered_keys_are_checked() {
        assert_eq!(validate_key("unregistered", &json!(1)), None);
        assert_eq!(validate_key("dateFormat", &Value::Null), None);
        assert_eq!(
            validate_key("dateFormat", &json!(5)).as_deref(),
            Some("[validation [dateFormat]]: expected value of type [string] but got [number]")
        );
        assert_eq!(validate_key("timeline:max_buckets", &json!("2000")), None);
        assert_eq!(
            validate_key("dateFormat:dow", &json!("Mondy")).as_deref(),
            Some("[validation [dateFormat:dow]]: Invalid day of week: Mondy")
        );
    }

    #[test]
    fn versions_upgrade_from_older_releases_only() {
        assert!(upgradeable("2.18.0", "2.19.0"));
        assert!(upgradeable("7.10.2", "2.19.0"));
        assert!(!upgradeable("2.19.0", "2.19.0"));
        assert!(!upgradeable("3.0.0", "2.19.0"));
        assert!(!upgradeable("2.18.0-SNAPSHOT", "2.19.0"));
    }
}
