//! Composable index templates, component templates and legacy templates.

use serde_json::{json, Map, Value};

use super::normalize::{
    aliases_from_request, is_known_index_setting, java_hash_order, mappings_from_request,
    settings_from_request, settings_to_value, unknown_setting_message, FlatSettings,
};
use super::Cluster;
use crate::http::{parse_json_body, simple_match, OsError, OsResult, Req, Resp};

/// The `template` block shared by composable and component templates.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Template {
    pub(crate) settings: Option<FlatSettings>,
    /// Without the `_doc` wrapper. `Some({})` when `mappings: {}` was sent.
    pub(crate) mappings: Option<Value>,
    pub(crate) aliases: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Composable {
    pub(crate) index_patterns: Vec<String>,
    pub(crate) template: Option<Template>,
    pub(crate) composed_of: Option<Vec<String>>,
    pub(crate) priority: Option<i64>,
    pub(crate) version: Option<i64>,
    pub(crate) meta: Option<Value>,
    pub(crate) data_stream: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Component {
    pub(crate) template: Template,
    pub(crate) version: Option<i64>,
    pub(crate) meta: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Legacy {
    pub(crate) order: i64,
    pub(crate) version: Option<i64>,
    pub(crate) index_patterns: Vec<String>,
    pub(crate) settings: FlatSettings,
    pub(crate) mappings: Value,
    pub(crate) aliases: Map<String, Value>,
}

impl Composable {
    pub(crate) fn composed_of(&self) -> Vec<String> {
        self.composed_of.clone().unwrap_or_default()
    }
}

// ------------------------------------------------------------------------------------------------
// Parsing errors, located like Jackson locates tokens.

/// `[line:column]` of the first occurrence of `"key"` as an object key in the raw body.
pub(crate) fn key_location(body: &[u8], key: &str) -> String {
    let text = String::from_utf8_lossy(body);
    let needle = format!("\"{key}\"");
    let mut offset = 0;
    while let Some(pos) = text[offset..].find(&needle) {
        let at = offset + pos;
        let rest = text[at + needle.len()..].trim_start();
        if rest.starts_with(':') {
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return format!("[{line}:{col}]");
        }
        offset = at + needle.len();
    }
    "[1:1]".to_string()
}

/// The fields each strict parser declares (the candidates for "did you mean").
fn declared_fields(parser: &str) -> &'static [&'static str] {
    match parser {
        "index_template" => &[
            "index_patterns",
            "template",
            "composed_of",
            "priority",
            "version",
            "_meta",
            "data_stream",
        ],
        "template" => &["settings", "mappings", "aliases"],
        "component_template" => &["template", "version", "_meta"],
        "data_stream_template" => &["timestamp_field"],
        _ => &[],
    }
}

/// Lucene's `LevenshteinDistance.getDistance`: 1 - edits / longest length.
fn levenshtein_similarity(a: &str, b: &str) -> f32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        prev = cur;
    }
    1.0 - (prev[b.len()] as f32) / (a.len().max(b.len()) as f32)
}

/// `SuggestingErrorOnUnknown.suggest`: candidates more than 50% similar, best first.
fn suggest(field: &str, candidates: &[&str]) -> String {
    let mut scored: Vec<(f32, &str)> = candidates
        .iter()
        .map(|c| (levenshtein_similarity(field, c), *c))
        .filter(|(d, _)| *d > 0.5)
        .collect();
    if scored.is_empty() {
        return String::new();
    }
    scored.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.1.cmp(b.1))
    });
    let keys: Vec<&str> = scored.iter().map(|(_, k)| *k).collect();
    if keys.len() == 1 {
        format!(" did you mean [{}]?", keys[0])
    } else {
        format!(" did you mean any of [{}]?", keys.join(", "))
    }
}

fn unknown_field(req: &Req, parser: &str, field: &str) -> OsError {
    OsError::bad_request(
        "x_content_parse_exception",
        format!(
            "{} [{parser}] unknown field [{field}]{}",
            key_location(&req.body, field),
            suggest(field, declared_fields(parser))
        ),
    )
}

/// `[line:column]` of the value that follows the first `"key":` in the raw body.
pub(crate) fn value_location(body: &[u8], key: &str) -> String {
    let text = String::from_utf8_lossy(body);
    let needle = format!("\"{key}\"");
    if let Some(pos) = text.find(&needle) {
        let after = &text[pos + needle.len()..];
        let trimmed = after.trim_start();
        if let Some(rest) = trimmed.strip_prefix(':') {
            let value = rest.trim_start();
            let at = text.len() - value.len();
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return format!("[{line}:{col}]");
        }
    }
    "[1:1]".to_string()
}

/// An inner parser's unknown field, wrapped by the outer parser as "failed to parse field"
/// (located where the parser stopped: the unknown field's value).
fn nested_unknown_field(
    req: &Req,
    outer: &str,
    outer_field: &str,
    inner: &str,
    field: &str,
) -> OsError {
    OsError::bad_request(
        "x_content_parse_exception",
        format!(
            "{} [{outer}] failed to parse field [{outer_field}]",
            value_location(&req.body, field)
        ),
    )
    .caused_by(unknown_field(req, inner, field))
}

fn failed_to_parse_field(req: &Req, parser: &str, field: &str, cause: OsError) -> OsError {
    OsError::bad_request(
        "x_content_parse_exception",
        format!(
            "{} [{parser}] failed to parse field [{field}]",
            key_location(&req.body, field)
        ),
    )
    .caused_by(cause)
}

fn as_long(req: &Req, parser: &str, field: &str, v: &Value) -> Result<Option<i64>, OsError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(|| {
            failed_to_parse_field(
                req,
                parser,
                field,
                OsError::illegal_argument(format!("Value [{n}] is out of range for a long")),
            )
        }),
        Value::String(s) => s.parse::<i64>().map(Some).map_err(|_| {
            failed_to_parse_field(
                req,
                parser,
                field,
                OsError::illegal_argument(format!("For input string: \"{s}\"")),
            )
        }),
        other => Err(failed_to_parse_field(
            req,
            parser,
            field,
            OsError::illegal_argument(format!(
                "Current token ({}) not numeric, can not use numeric value accessors",
                token_name(other)
            )),
        )),
    }
}

fn token_name(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "START_OBJECT",
        Value::Array(_) => "START_ARRAY",
        Value::String(_) => "VALUE_STRING",
        Value::Bool(true) => "VALUE_TRUE",
        Value::Bool(false) => "VALUE_FALSE",
        Value::Null => "VALUE_NULL",
        Value::Number(_) => "VALUE_NUMBER_INT",
    }
}

fn string_list(req: &Req, parser: &str, field: &str, v: &Value) -> Result<Vec<String>, OsError> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                Value::Bool(b) => Ok(b.to_string()),
                _ => Err(failed_to_parse_field(
                    req,
                    parser,
                    field,
                    OsError::illegal_argument(format!("[{field}] must be a list of strings")),
                )),
            })
            .collect(),
        _ => Err(failed_to_parse_field(
            req,
            parser,
            field,
            OsError::illegal_argument(format!(
                "[{parser}] {field} doesn't support values of type: {}",
                token_name(v)
            )),
        )),
    }
}

fn object<'a>(
    req: &Req,
    parser: &str,
    field: &str,
    v: &'a Value,
) -> Result<&'a Map<String, Value>, OsError> {
    v.as_object().ok_or_else(|| {
        failed_to_parse_field(
            req,
            parser,
            field,
            OsError::illegal_argument(format!(
                "[{parser}] {field} doesn't support values of type: {}",
                token_name(v)
            )),
        )
    })
}

fn parse_template_block(req: &Req, outer: &str, v: &Value) -> Result<Template, OsError> {
    let map = object(req, outer, "template", v)?;
    let mut t = Template::default();
    for (k, val) in map {
        match k.as_str() {
            "settings" => {
                let s = settings_from_request(val)
                    .map_err(|e| failed_to_parse_field(req, "template", "settings", e))?;
                t.settings = Some(s);
            }
            "mappings" => {
                if !val.is_null() {
                    t.mappings = Some(
                        mappings_from_request(val)
                            .map_err(|e| failed_to_parse_field(req, "template", "mappings", e))?,
                    );
                }
            }
            "aliases" => {
                let a = aliases_from_request(val)
                    .map_err(|e| failed_to_parse_field(req, "template", "aliases", e))?;
                t.aliases = Some(a);
            }
            other => {
                return Err(nested_unknown_field(
                    req, outer, "template", "template", other,
                ));
            }
        }
    }
    Ok(t)
}

// ------------------------------------------------------------------------------------------------
// Validation shared by the three kinds.

fn invalid_template(name: &str, errors: &[String]) -> OsError {
    let mut msg = String::from("Validation Failed: ");
    for (i, e) in errors.iter().enumerate() {
        msg.push_str(&format!("{}: {};", i + 1, e));
    }
    OsError::bad_request(
        "invalid_index_template_exception",
        format!("index_template [{name}] invalid, cause [{msg}]"),
    )
}

fn validate_names(
    name: &str,
    patterns: &[String],
    settings: Option<&FlatSettings>,
) -> Result<(), OsError> {
    let mut errors = Vec::new();
    if name.contains(' ') {
        errors.push(" name must not contain a space".to_string());
    }
    if name.contains(',') {
        errors.push(" name must not contain a ','".to_string());
    }
    if name.contains('#') {
        errors.push(" name must not contain a '#'".to_string());
    }
    if name.contains('*') {
        errors.push(" name must not contain a '*'".to_string());
    }
    if name.starts_with('_') {
        errors.push(" name must not start with '_'".to_string());
    }
    if name.to_lowercase() != name {
        errors.push(" name must be lower cased".to_string());
    }
    for p in patterns {
        if p.contains(' ') {
            errors.push(format!(" index_patterns [{p}] must not contain a space"));
        }
        if p.contains(',') {
            errors.push(format!(" index_pattern [{p}] must not contain a ','"));
        }
        if p.contains('#') {
            errors.push(format!(" index_pattern [{p}] must not contain a '#'"));
        }
        if p.contains(':') {
            errors.push(format!(" index_pattern [{p}] must not contain a ':'"));
        }
        if p.starts_with('_') {
            errors.push(format!(" index_pattern [{p}] must not start with '_'"));
        }
        if p.chars()
            .any(|c| matches!(c, '\\' | '/' | '?' | '"' | '<' | '>' | '|'))
        {
            errors.push(format!(
                " index_pattern [{p}] must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?]"
            ));
        }
    }
    if let Some(s) = settings {
        for key in s.keys() {
            if !is_known_index_setting(key) {
                errors.push(unknown_setting_message(key));
            }
        }
        errors.extend(super::normalize::setting_value_errors(s));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(invalid_template(name, &errors))
    }
}

fn warning(cluster: &Cluster, text: &str) -> (String, String) {
    let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
    (
        "Warning".to_string(),
        format!(
            "299 OpenSearch-{}-{} \"{escaped}\"",
            cluster.version,
            super::BUILD_HASH
        ),
    )
}

fn pattern_list(p: &[String]) -> String {
    format!("[{}]", p.join(", "))
}

/// Whether two index patterns can match the same index name.
///
/// Up to 2.18 OpenSearch intersects the patterns' automata; from 2.19 on (a choice, see README)
/// the emulator follows the newer "practical overlap": patterns whose literal segments between
/// wildcards differ position by position do not conflict.
pub(crate) fn patterns_overlap(a: &str, b: &str, practical: bool) -> bool {
    if !a.contains('*') || !b.contains('*') {
        return simple_match(a, b) || simple_match(b, a);
    }
    let sa: Vec<&str> = a.split('*').collect();
    let sb: Vec<&str> = b.split('*').collect();
    let (pa, pb) = (sa[0], sb[0]);
    if !(pa.starts_with(pb) || pb.starts_with(pa)) {
        return false;
    }
    let (xa, xb) = (sa[sa.len() - 1], sb[sb.len() - 1]);
    if !(xa.ends_with(xb) || xb.ends_with(xa)) {
        return false;
    }
    if practical {
        let ma = &sa[1..sa.len() - 1];
        let mb = &sb[1..sb.len() - 1];
        for (x, y) in ma.iter().zip(mb.iter()) {
            if !(x.contains(y) || y.contains(x)) {
                return false;
            }
        }
    }
    true
}

// ------------------------------------------------------------------------------------------------
// Composable templates.

pub(crate) fn put_composable(c: &mut Cluster, req: &Req, name: &str) -> OsResult {
    let body = parse_json_body(req)?;
    let t = parse_composable(req, &body)?;
    let create = req.flag("create");
    validate_names(
        name,
        &t.index_patterns,
        t.template.as_ref().and_then(|t| t.settings.as_ref()),
    )?;
    if create && c.templates.contains_key(name) {
        return Err(OsError::illegal_argument(format!(
            "index template [{name}] already exists"
        )));
    }
    let missing: Vec<String> = t
        .composed_of()
        .into_iter()
        .filter(|n| !c.components.contains_key(n))
        .collect();
    if !missing.is_empty() {
        return Err(invalid_v2(
            name,
            &format!(
                "index template [{name}] specifies component templates [{}] that do not exist",
                missing.join(", ")
            ),
        ));
    }
    if t.index_patterns.iter().any(|p| p == "*") {
        let resolved = resolve_settings(c, &t);
        if resolved.contains_key("index.hidden") {
            return Err(invalid_v2(
                name,
                "global composable templates may not specify the setting index.hidden",
            ));
        }
    }
    // Same-priority overlap with other composable templates.
    let practical = c.version_at_least(2, 19);
    let priority = t.priority.unwrap_or(0);
    let mut conflicts: Vec<(String, Vec<String>)> = Vec::new();
    for (other_name, other) in &c.templates {
        if other_name == name || other.priority.unwrap_or(0) != priority {
            continue;
        }
        if t.index_patterns.iter().any(|p| {
            other
                .index_patterns
                .iter()
                .any(|q| patterns_overlap(p, q, practical))
        }) {
            conflicts.push((other_name.clone(), other.index_patterns.clone()));
        }
    }
    if !conflicts.is_empty() {
        let names: Vec<&str> = conflicts.iter().map(|(n, _)| n.as_str()).collect();
        let detail: Vec<String> = conflicts
            .iter()
            .map(|(n, p)| format!("{n} => {}", pattern_list(p)))
            .collect();
        return Err(OsError::illegal_argument(format!(
            "index template [{name}] has index patterns {} matching patterns from existing templates [{}] with patterns ({}) that have the same priority [{priority}], multiple index templates may not match during index creation, please use a different priority",
            pattern_list(&t.index_patterns),
            names.join(","),
            detail.join(",")
        )));
    }
    // Overlap with legacy templates: a warning only.
    let mut headers = Vec::new();
    let v1: Vec<(String, Vec<String>)> = c
        .legacy
        .iter()
        .filter(|(_, l)| {
            t.index_patterns.iter().any(|p| {
                l.index_patterns
                    .iter()
                    .any(|q| patterns_overlap(p, q, false))
            })
        })
        .map(|(n, l)| (n.clone(), l.index_patterns.clone()))
        .collect();
    if !v1.is_empty() {
        let names: Vec<&str> = v1.iter().map(|(n, _)| n.as_str()).collect();
        let detail: Vec<String> = v1
            .iter()
            .map(|(n, p)| format!("{n} => {}", pattern_list(p)))
            .collect();
        headers.push(warning(
            c,
            &format!(
                "index template [{name}] has index patterns {} matching patterns from existing older templates [{}] with patterns ({}); this template [{name}] will take precedence during new index creation",
                pattern_list(&t.index_patterns),
                names.join(","),
                detail.join(",")
            ),
        ));
    }
    validate_composition(c, name, &t, None)?;
    c.templates.insert(name.to_string(), t);
    let mut resp = Resp::ack();
    resp.headers.extend(headers);
    Ok(resp)
}

fn invalid_v2(name: &str, cause: &str) -> OsError {
    OsError::bad_request(
        "invalid_index_template_exception",
        format!("index_template [{name}] invalid, cause [{cause}]"),
    )
}

/// Checks that the composed mappings of a template are consistent (a field mapped both as an
/// object and as a leaf is the case the emulator can detect).
fn validate_composition(
    c: &Cluster,
    name: &str,
    t: &Composable,
    replaced: Option<(&str, &Component)>,
) -> Result<(), OsError> {
    let mut merged = Map::new();
    let mut layers: Vec<Template> = Vec::new();
    for ct in t.composed_of() {
        if let Some((rn, rc)) = replaced {
            if rn == ct {
                layers.push(rc.template.clone());
                continue;
            }
        }
        if let Some(comp) = c.components.get(&ct) {
            layers.push(comp.template.clone());
        }
    }
    if let Some(own) = &t.template {
        layers.push(own.clone());
    }
    let invalid = |cause: OsError| {
        let with = if t.composed_of().is_empty() {
            String::new()
        } else {
            format!(
                "with component templates {} ",
                pattern_list(&t.composed_of())
            )
        };
        OsError::illegal_argument(format!(
            "composable template [{name}] template after composition {with}is invalid"
        ))
        .caused_by(
            OsError::illegal_argument(format!("invalid composite mappings for [{name}]"))
                .caused_by(cause),
        )
    };
    for layer in &layers {
        if let Some(m) = &layer.mappings {
            if let Err(reason) = super::indices::merge_mappings(&mut merged, m) {
                return Err(invalid(OsError::illegal_argument(reason)));
            }
        }
    }
    // MetadataIndexTemplateService.validateCompositeTemplate merges the composed mapping into a
    // temporary index: a type without a mapper fails there.
    if let Some(reason) = super::normalize::unknown_mapping_type(&Value::Object(merged)) {
        return Err(invalid(super::normalize::mapping_parse_error(reason)));
    }
    Ok(())
}

fn parse_composable(req: &Req, body: &Value) -> Result<Composable, OsError> {
    let map = body.as_object().ok_or_else(|| {
        OsError::bad_request(
            "x_content_parse_exception",
            "[1:1] [index_template] Expected START_OBJECT",
        )
    })?;
    let p = "index_template";
    let mut t = Composable {
        index_patterns: Vec::new(),
        template: None,
        composed_of: None,
        priority: None,
        version: None,
        meta: None,
        data_stream: None,
    };
    let mut have_patterns = false;
    for (k, v) in map {
        match k.as_str() {
            "index_patterns" => {
                t.index_patterns = string_list(req, p, k, v)?;
                have_patterns = true;
            }
            "template" => {
                if !v.is_null() {
                    t.template = Some(parse_template_block(req, p, v)?);
                }
            }
            "composed_of" => {
                if !v.is_null() {
                    t.composed_of = Some(string_list(req, p, k, v)?);
                }
            }
            "priority" => t.priority = as_long(req, p, k, v)?,
            "version" => t.version = as_long(req, p, k, v)?,
            "_meta" => {
                if !v.is_null() {
                    object(req, p, k, v)?;
                    t.meta = Some(java_hash_order(v));
                }
            }
            "data_stream" => {
                if !v.is_null() {
                    let ds = object(req, p, k, v)?;
                    let field = ds
                        .get("timestamp_field")
                        .and_then(|f| f.get("name"))
                        .and_then(Value::as_str)
                        .unwrap_or("@timestamp");
                    for key in ds.keys() {
                        if key != "timestamp_field" {
                            return Err(nested_unknown_field(
                                req,
                                p,
                                "data_stream",
                                "data_stream_template",
                                key,
                            ));
                        }
                    }
                    t.data_stream = Some(json!({"timestamp_field": {"name": field}}));
                }
            }
            other => return Err(unknown_field(req, p, other)),
        }
    }
    if !have_patterns {
        return Err(OsError::illegal_argument("Required [index_patterns]"));
    }
    // The stored template re-creates composed_of from composedOf(), which is [] when unset.
    if t.template.is_some() && t.composed_of.is_none() {
        t.composed_of = Some(Vec::new());
    }
    Ok(t)
}

fn template_to_value(t: &Template, flat: bool) -> Value {
    let mut m = Map::new();
    if let Some(s) = &t.settings {
        m.insert("settings".into(), settings_to_value(s, flat));
    }
    if let Some(mp) = &t.mappings {
        if mp.as_object().is_some_and(|o| !o.is_empty()) {
            m.insert("mappings".into(), java_hash_order(mp));
        }
    }
    if let Some(a) = &t.aliases {
        m.insert("aliases".into(), Value::Object(a.clone()));
    }
    Value::Object(m)
}

pub(crate) fn composable_to_value(t: &Composable, flat: bool) -> Value {
    let mut m = Map::new();
    m.insert("index_patterns".into(), json!(t.index_patterns));
    if let Some(tt) = &t.template {
        m.insert("template".into(), template_to_value(tt, flat));
    }
    if let Some(c) = &t.composed_of {
        m.insert("composed_of".into(), json!(c));
    }
    if let Some(p) = t.priority {
        m.insert("priority".into(), json!(p));
    }
    if let Some(v) = t.version {
        m.insert("version".into(), json!(v));
    }
    if let Some(meta) = &t.meta {
        m.insert("_meta".into(), meta.clone());
    }
    if let Some(ds) = &t.data_stream {
        m.insert("data_stream".into(), ds.clone());
    }
    Value::Object(m)
}

pub(crate) fn get_composable(c: &Cluster, req: &Req, name: Option<&str>) -> OsResult {
    let flat = req.flag("flat_settings");
    let names: Vec<&String> = match name {
        None => c.templates.keys().collect(),
        Some(n) if n.contains('*') => c.templates.keys().filter(|k| simple_match(n, k)).collect(),
        Some(n) => {
            if !c.templates.contains_key(n) {
                return Err(OsError::new(
                    404,
                    "resource_not_found_exception",
                    format!("index template matching [{n}] not found"),
                ));
            }
            c.templates.keys().filter(|k| k.as_str() == n).collect()
        }
    };
    // The response is built from a HashMap: its iteration order, not the names' order.
    let names = super::normalize::hash_map_iteration_order(&names);
    let list: Vec<Value> = names
        .iter()
        .map(|n| json!({"name": n, "index_template": composable_to_value(&c.templates[n.as_str()], flat)}))
        .collect();
    let status = if list.is_empty() && name.is_some() {
        404
    } else {
        200
    };
    Ok(Resp::json(status, json!({"index_templates": list})))
}

/// `removeIndexTemplateV2`: one name or wildcard; nothing matched is a 404 unless the name is `*`.
pub(crate) fn delete_composable(c: &mut Cluster, name: &str) -> OsResult {
    let matched: Vec<String> = c
        .templates
        .keys()
        .filter(|k| simple_match(name, k))
        .cloned()
        .collect();
    if matched.is_empty() && name != "*" {
        return Err(OsError::new(
            404,
            "index_template_missing_exception",
            format!("index_template [{name}] missing"),
        ));
    }
    for n in matched {
        c.templates.remove(&n);
    }
    Ok(Resp::ack())
}

// ------------------------------------------------------------------------------------------------
// Component templates.

pub(crate) fn put_component(c: &mut Cluster, req: &Req, name: &str) -> OsResult {
    let body = parse_json_body(req)?;
    let map = body.as_object().ok_or_else(|| {
        OsError::bad_request(
            "x_content_parse_exception",
            "[1:1] [component_template] Expected START_OBJECT",
        )
    })?;
    let p = "component_template";
    let mut template = None;
    let mut version = None;
    let mut meta = None;
    for (k, v) in map {
        match k.as_str() {
            "template" => template = Some(parse_template_block(req, p, v)?),
            "version" => version = as_long(req, p, k, v)?,
            "_meta" => {
                if !v.is_null() {
                    object(req, p, k, v)?;
                    meta = Some(java_hash_order(v));
                }
            }
            other => return Err(unknown_field(req, p, other)),
        }
    }
    let Some(template) = template else {
        return Err(OsError::illegal_argument("Required [template]"));
    };
    if req.flag("create") && c.components.contains_key(name) {
        return Err(OsError::illegal_argument(format!(
            "component template [{name}] already exists"
        )));
    }
    // validateTemplate builds a temporary index from the settings: bad settings fail directly;
    // the name rules are checked after it (collected, as for index templates).
    if let Some(s) = &template.settings {
        if let Some(key) = s.keys().find(|k| !is_known_index_setting(k)) {
            return Err(OsError::illegal_argument(unknown_setting_message(key)));
        }
        if let Some(e) = super::normalize::setting_value_errors(s).into_iter().next() {
            return Err(OsError::illegal_argument(e));
        }
    }
    // ... and merges the mapping into it (MapperService.merge).
    if let Some(reason) = template
        .mappings
        .as_ref()
        .and_then(super::normalize::unknown_mapping_type)
    {
        return Err(super::normalize::mapping_parse_error(reason));
    }
    validate_names(name, &[], None)?;
    if req.flag("create") && c.components.contains_key(name) {
        return Err(OsError::illegal_argument(format!(
            "component template [{name}] already exists"
        )));
    }
    let comp = Component {
        template,
        version,
        meta,
    };
    for (tn, t) in &c.templates {
        if t.composed_of().iter().any(|n| n == name) {
            if let Err(e) = validate_composition(c, tn, t, Some((name, &comp))) {
                return Err(OsError::illegal_argument(format!(
                    "updating component template [{name}] results in invalid composable template [{tn}] after templates are merged"
                ))
                .caused_by(e));
            }
        }
    }
    c.components.insert(name.to_string(), comp);
    Ok(Resp::ack())
}

pub(crate) fn component_to_value(t: &Component, flat: bool) -> Value {
    let mut m = Map::new();
    m.insert("template".into(), template_to_value(&t.template, flat));
    if let Some(v) = t.version {
        m.insert("version".into(), json!(v));
    }
    if let Some(meta) = &t.meta {
        m.insert("_meta".into(), meta.clone());
    }
    Value::Object(m)
}

pub(crate) fn get_component(c: &Cluster, req: &Req, name: Option<&str>) -> OsResult {
    let flat = req.flag("flat_settings");
    let names: Vec<&String> = match name {
        None => c.components.keys().collect(),
        Some(n) if n.contains('*') => c.components.keys().filter(|k| simple_match(n, k)).collect(),
        Some(n) => {
            if !c.components.contains_key(n) {
                return Err(OsError::new(
                    404,
                    "resource_not_found_exception",
                    format!("component template matching [{n}] not found"),
                ));
            }
            c.components.keys().filter(|k| k.as_str() == n).collect()
        }
    };
    let names = super::normalize::hash_map_iteration_order(&names);
    let list: Vec<Value> = names
        .iter()
        .map(|n| json!({"name": n, "component_template": component_to_value(&c.components[n.as_str()], flat)}))
        .collect();
    let status = if list.is_empty() && name.is_some() {
        404
    } else {
        200
    };
    Ok(Resp::json(status, json!({"component_templates": list})))
}

pub(crate) fn delete_component(c: &mut Cluster, name: &str) -> OsResult {
    let matched: Vec<String> = c
        .components
        .keys()
        .filter(|k| simple_match(name, k))
        .cloned()
        .collect();
    let mut used_components = Vec::new();
    let mut users = Vec::new();
    for (tn, t) in &c.templates {
        let inter: Vec<String> = t
            .composed_of()
            .into_iter()
            .filter(|n| matched.contains(n))
            .collect();
        if !inter.is_empty() {
            for n in inter {
                if !used_components.contains(&n) {
                    used_components.push(n);
                }
            }
            users.push(tn.clone());
        }
    }
    if !users.is_empty() {
        return Err(OsError::illegal_argument(format!(
            "component templates {} cannot be removed as they are still in use by index templates {}",
            pattern_list(&used_components),
            pattern_list(&users)
        )));
    }
    if matched.is_empty() {
        if name == "*" {
            return Ok(Resp::ack());
        }
        return Err(OsError::new(
            404,
            "resource_not_found_exception",
            name.to_string(),
        ));
    }
    for n in matched {
        c.components.remove(&n);
    }
    Ok(Resp::ack())
}

// ------------------------------------------------------------------------------------------------
// Legacy templates.

pub(crate) fn put_legacy(c: &mut Cluster, req: &Req, name: &str) -> OsResult {
    let body = parse_json_body(req)?;
    let Some(map) = body.as_object() else {
        return Err(OsError::bad_request(
            "parse_exception",
            "Failed to parse content to map",
        ));
    };
    let mut t = Legacy {
        order: 0,
        version: None,
        index_patterns: Vec::new(),
        settings: FlatSettings::new(),
        mappings: Value::Object(Map::new()),
        aliases: Map::new(),
    };
    for (k, v) in map {
        match k.as_str() {
            "index_patterns" => {
                t.index_patterns = match v {
                    Value::String(s) => vec![s.clone()],
                    Value::Array(a) => a
                        .iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                        .collect(),
                    _ => return Err(OsError::illegal_argument(
                        "Malformed [index_patterns] value, should be a string or a list of strings",
                    )),
                };
            }
            // PutIndexTemplateRequest.source: order through nodeIntegerValue, version must be an
            // integer, settings an object, any other key is an error.
            "order" => {
                t.order = match v {
                    Value::Number(n) if n.is_i64() => n.as_i64().unwrap_or(0),
                    other => {
                        let text = other
                            .as_str()
                            .map_or_else(|| other.to_string(), str::to_string);
                        text.parse().map_err(|_| {
                            OsError::bad_request(
                                "number_format_exception",
                                format!("For input string: \"{text}\""),
                            )
                        })?
                    }
                };
            }
            "version" => {
                t.version = match v {
                    Value::Number(n) if n.as_i64().is_some_and(|x| i32::try_from(x).is_ok()) => {
                        n.as_i64()
                    }
                    _ => {
                        return Err(OsError::illegal_argument(
                            "Malformed [version] value, should be an integer",
                        ))
                    }
                };
            }
            "settings" => {
                if !v.is_object() {
                    return Err(OsError::illegal_argument(
                        "Malformed [settings] section, should include an inner object",
                    ));
                }
                t.settings = settings_from_request(v)?;
            }
            "mappings" => {
                if let Some(m) = v.as_object() {
                    // RestCreateIndexAction.prepareMappings, shared by the legacy template API.
                    if m.len() == 1 && m.contains_key("_doc") {
                        return Err(OsError::illegal_argument(
                            "The mapping definition cannot be nested under a type",
                        ));
                    }
                    if !m.is_empty() {
                        t.mappings = v.clone();
                    }
                }
            }
            "aliases" => t.aliases = aliases_from_request(v)?,
            other => {
                return Err(OsError::bad_request(
                    "parse_exception",
                    format!("unknown key [{other}] in the template "),
                ));
            }
        }
    }
    if t.index_patterns.is_empty() {
        return Err(OsError::new(
            400,
            "action_request_validation_exception",
            "Validation Failed: 1: index patterns are missing;",
        ));
    }
    if req.flag("create") && c.legacy.contains_key(name) {
        return Err(OsError::illegal_argument(format!(
            "index_template [{name}] already exists"
        )));
    }
    validate_names(name, &t.index_patterns, Some(&t.settings))?;
    let mut resp = Resp::ack();
    let v2: Vec<String> = c
        .templates
        .iter()
        .filter(|(_, ct)| {
            t.index_patterns.iter().any(|p| {
                ct.index_patterns
                    .iter()
                    .any(|q| patterns_overlap(p, q, false))
            })
        })
        .map(|(n, _)| n.clone())
        .collect();
    if !v2.is_empty() {
        let w = warning(
            c,
            &format!(
                "legacy template [{name}] has index patterns {} matching patterns from existing composable templates [{}] with patterns ({}); this template [{name}] may be ignored in favor of a composable template at index creation time",
                pattern_list(&t.index_patterns),
                v2.join(","),
                v2.iter().map(|n| format!("{n} => {}", pattern_list(&c.templates[n].index_patterns))).collect::<Vec<_>>().join(",")
            ),
        );
        resp.headers.push(w);
    }
    c.legacy.insert(name.to_string(), t);
    Ok(resp)
}

pub(crate) fn legacy_to_value(t: &Legacy, flat: bool) -> Value {
    let mut m = Map::new();
    m.insert("order".into(), json!(t.order));
    if let Some(v) = t.version {
        m.insert("version".into(), json!(v));
    }
    m.insert("index_patterns".into(), json!(t.index_patterns));
    m.insert("settings".into(), settings_to_value(&t.settings, flat));
    m.insert("mappings".into(), java_hash_order(&t.mappings));
    m.insert("aliases".into(), Value::Object(t.aliases.clone()));
    Value::Object(m)
}

pub(crate) fn get_legacy(c: &Cluster, req: &Req, name: Option<&str>) -> OsResult {
    let flat = req.flag("flat_settings");
    let mut out = Map::new();
    for (n, t) in &c.legacy {
        let wanted = match name {
            None => true,
            Some(pat) => pat.split(',').any(|p| simple_match(p, n)),
        };
        if wanted {
            out.insert(n.clone(), legacy_to_value(t, flat));
        }
    }
    let status = if out.is_empty() && name.is_some() {
        404
    } else {
        200
    };
    Ok(Resp::json(status, Value::Object(out)))
}

pub(crate) fn delete_legacy(c: &mut Cluster, name: &str) -> OsResult {
    let matched: Vec<String> = c
        .legacy
        .keys()
        .filter(|k| simple_match(name, k))
        .cloned()
        .collect();
    // removeTemplates: nothing matched is a 404 unless the name is the match-all `*`.
    if matched.is_empty() && name != "*" {
        return Err(OsError::new(
            404,
            "index_template_missing_exception",
            format!("index_template [{name}] missing"),
        ));
    }
    for n in matched {
        c.legacy.remove(&n);
    }
    Ok(Resp::ack())
}

// ------------------------------------------------------------------------------------------------
// Resolution.

/// Settings of a composable template after composition (component templates in order, then its own).
pub(crate) fn resolve_settings(c: &Cluster, t: &Composable) -> FlatSettings {
    let mut out = FlatSettings::new();
    for n in t.composed_of() {
        if let Some(s) = c
            .components
            .get(&n)
            .and_then(|ct| ct.template.settings.as_ref())
        {
            out.extend(s.clone());
        }
    }
    if let Some(s) = t.template.as_ref().and_then(|t| t.settings.as_ref()) {
        out.extend(s.clone());
    }
    out
}

/// The composable template that applies to an index name: the highest priority match.
pub(crate) fn find_v2<'a>(c: &'a Cluster, index: &str) -> Option<(&'a String, &'a Composable)> {
    let mut best: Option<(&String, &Composable)> = None;
    for (n, t) in &c.templates {
        if t.index_patterns.iter().any(|p| simple_match(p, index)) {
            let better = match best {
                None => true,
                Some((_, b)) => t.priority.unwrap_or(0) > b.priority.unwrap_or(0),
            };
            if better {
                best = Some((n, t));
            }
        }
    }
    best
}

/// The layers (settings, mappings, aliases) a new index gets from templates, lowest precedence first.
pub(crate) fn layers_for(c: &Cluster, index: &str) -> Vec<Template> {
    if let Some((_, t)) = find_v2(c, index) {
        let mut layers = Vec::new();
        for n in t.composed_of() {
            if let Some(ct) = c.components.get(&n) {
                layers.push(ct.template.clone());
            }
        }
        if let Some(own) = &t.template {
            layers.push(own.clone());
        }
        return layers;
    }
    let mut v1: Vec<&Legacy> = c
        .legacy
        .values()
        .filter(|l| l.index_patterns.iter().any(|p| simple_match(p, index)))
        .collect();
    v1.sort_by_key(|l| l.order);
    v1.iter()
        .map(|l| Template {
            settings: Some(l.settings.clone()),
            mappings: Some(l.mappings.clone()),
            aliases: Some(l.aliases.clone()),
        })
        .collect()
}

fn simulate_from_layers(c: &Cluster, layers: &[Template], overlapping: Vec<Value>) -> Value {
    let mut settings = FlatSettings::new();
    let mut mappings = Map::new();
    let mut aliases = Map::new();
    for l in layers {
        if let Some(s) = &l.settings {
            settings.extend(s.clone());
        }
        if let Some(m) = &l.mappings {
            let _ = super::indices::merge_mappings(&mut mappings, m);
        }
        if let Some(a) = &l.aliases {
            aliases.extend(a.clone());
        }
    }
    let _ = c;
    let mut template = Map::new();
    template.insert("settings".into(), settings_to_value(&settings, false));
    if !mappings.is_empty() {
        template.insert("mappings".into(), java_hash_order(&Value::Object(mappings)));
    }
    template.insert("aliases".into(), Value::Object(aliases));
    json!({"template": template, "overlapping": overlapping})
}

fn overlapping(
    c: &Cluster,
    chosen: Option<&str>,
    index_or_patterns: &[String],
    by_index: bool,
) -> Vec<Value> {
    let mut out = Vec::new();
    for (n, t) in &c.templates {
        if Some(n.as_str()) == chosen {
            continue;
        }
        let hit = if by_index {
            t.index_patterns
                .iter()
                .any(|p| index_or_patterns.iter().any(|i| simple_match(p, i)))
        } else {
            t.index_patterns.iter().any(|p| {
                index_or_patterns
                    .iter()
                    .any(|q| patterns_overlap(p, q, false))
            })
        };
        if hit {
            out.push(json!({"name": n, "index_patterns": t.index_patterns}));
        }
    }
    for (n, t) in &c.legacy {
        let hit = if by_index {
            t.index_patterns
                .iter()
                .any(|p| index_or_patterns.iter().any(|i| simple_match(p, i)))
        } else {
            t.index_patterns.iter().any(|p| {
                index_or_patterns
                    .iter()
                    .any(|q| patterns_overlap(p, q, false))
            })
        };
        if hit {
            out.push(json!({"name": n, "index_patterns": t.index_patterns}));
        }
    }
    out
}

/// POST /_index_template/_simulate_index/{name}
pub(crate) fn simulate_index(c: &Cluster, index: &str) -> OsResult {
    let Some((chosen, _)) = find_v2(c, index) else {
        return Ok(Resp::ok(
            json!({"overlapping": overlapping(c, None, &[index.to_string()], true)}),
        ));
    };
    let layers = layers_for(c, index);
    let over = overlapping(c, Some(chosen), &[index.to_string()], true);
    Ok(Resp::ok(simulate_from_layers(c, &layers, over)))
}

/// POST /_index_template/_simulate[/{name}]
pub(crate) fn simulate_template(c: &Cluster, req: &Req, name: Option<&str>) -> OsResult {
    let t: Composable = if req.body.is_empty() {
        let Some(n) = name else {
            return Err(OsError::illegal_argument(
                "[index_template] request body or template name is required",
            ));
        };
        match c.templates.get(n) {
            Some(t) => t.clone(),
            None => {
                return Err(OsError::new(
                    404,
                    "resource_not_found_exception",
                    format!("unable to simulate template [{n}] that does not exist"),
                ))
            }
        }
    } else {
        let body = parse_json_body(req)?;
        parse_composable(req, &body)?
    };
    let mut layers = Vec::new();
    for n in t.composed_of() {
        match c.components.get(&n) {
            Some(ct) => layers.push(ct.template.clone()),
            None => {
                return Err(invalid_v2(
                    name.unwrap_or("simulate_template"),
                    &format!(
                        "index template [{}] specifies component templates [{n}] that do not exist",
                        name.unwrap_or("simulate_template")
                    ),
                ));
            }
        }
    }
    if let Some(own) = &t.template {
        layers.push(own.clone());
    }
    let over = overlapping(c, name, &t.index_patterns, false);
    Ok(Resp::ok(simulate_from_layers(c, &layers, over)))
}

/// GET /_cat/templates[/{name}]
pub(crate) fn cat_templates(c: &Cluster, req: &Req, name: Option<&str>) -> OsResult {
    let mut rows: Vec<(String, String, String, String, String)> = Vec::new();
    for (n, t) in &c.legacy {
        rows.push((
            n.clone(),
            pattern_list(&t.index_patterns),
            t.order.to_string(),
            t.version.map(|v| v.to_string()).unwrap_or_default(),
            String::new(),
        ));
    }
    for (n, t) in &c.templates {
        rows.push((
            n.clone(),
            pattern_list(&t.index_patterns),
            t.priority.unwrap_or(0).to_string(),
            t.version.map(|v| v.to_string()).unwrap_or_default(),
            pattern_list(&t.composed_of()),
        ));
    }
    if let Some(pat) = name {
        rows.retain(|r| simple_match(pat, &r.0));
    }
    if req.param("format") == Some("json") {
        let list: Vec<Value> = rows
            .iter()
            .map(|(n, p, o, v, co)| {
                json!({"name": n, "index_patterns": p, "order": o, "version": if v.is_empty() { Value::Null } else { json!(v) }, "composed_of": co})
            })
            .collect();
        return Ok(Resp::ok(Value::Array(list)));
    }
    let mut text = String::new();
    for (n, p, o, v, co) in rows {
        text.push_str(&format!("{n} {p} {o} {v} {co}\n"));
    }
    Ok(Resp::text(200, "text/plain; charset=UTF-8", text))
}

#[cfg(test)]
mod tests {
    use super::patterns_overlap;

    #[test]
    fn suggestions() {
        use super::suggest;
        assert_eq!(
            suggest("priorty", &["priority", "version"]),
            " did you mean [priority]?"
        );
        assert_eq!(suggest("foo", &["priority", "version"]), "");
    }

    #[test]
    fn overlap_rules() {
        assert!(patterns_overlap("logs-*", "logs-win-*", true));
        assert!(patterns_overlap("*", "a", true));
        assert!(!patterns_overlap("a-*", "b-*", false));
        assert!(patterns_overlap(
            "app-test-*-some-*",
            "app-test-*-some_other-*",
            false
        ));
        assert!(!patterns_overlap(
            "app-test-*-some-*",
            "app-test-*-some_other-*",
            true
        ));
    }
}
