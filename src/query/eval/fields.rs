//! The field types of one index, read from its mapping, and the values of a field in a
//! document `_source`.
//!
//! Upstream: `server/src/main/java/org/opensearch/index/mapper/` (`KeywordFieldMapper`,
//! `TextFieldMapper`, `NumberFieldMapper`, `DateFieldMapper`, `IpFieldMapper`,
//! `BooleanFieldMapper`, `FlatObjectFieldMapper`, `ObjectMapper`, `FieldAliasMapper`): a
//! field's full name is its object path joined with dots; multi-fields (`fields`) are named
//! `parent.sub` and index the parent's value; a `flat_object` field indexes every leaf of
//! its value as a keyword, searchable as `field` (any leaf) or `field.path.to.leaf`.

use super::NotEvaluated;
use serde_json::Value;
use std::collections::BTreeMap;

/// The kind of a mapped field, as far as searching it goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Keyword {
        ignore_above: Option<usize>,
        /// A `normalizer` other than none: not evaluated offline.
        normalizer: Option<String>,
    },
    Text {
        /// A non-`standard` analyzer: not evaluated offline.
        analyzer: Option<String>,
    },
    /// `long`, `integer`, `short`, `byte`, `unsigned_long`: whole numbers.
    Integer(&'static str),
    /// `double`, `float`, `half_float`.
    Float(&'static str),
    /// `scaled_float` with its `scaling_factor`: stored as `round(value * factor)`.
    Scaled(f64),
    Date {
        format: String,
    },
    Ip,
    Boolean,
    FlatObject,
    /// A type the evaluator does not search (geo_point, binary, nested, ...).
    Other(String),
}

/// One searchable field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    /// The full name (`source.ip`, `message.keyword`).
    pub(crate) name: String,
    /// Where its value is in `_source` (the parent's path for a multi-field, the target for
    /// an alias).
    pub(crate) source_path: String,
    pub(crate) kind: Kind,
    /// Why its indexed values cannot be read from `_source` (`null_value`, `copy_to`
    /// targets, `index: false`, `constant_keyword`): queries on it are not evaluated.
    pub(crate) unsupported: Option<String>,
}

impl Field {
    /// Fails for a field whose indexed values are not its `_source` values.
    pub(crate) fn check(&self) -> Result<(), NotEvaluated> {
        match &self.unsupported {
            Some(why) => Err(NotEvaluated::new(why.clone())),
            None => Ok(()),
        }
    }
}

/// What keeps a field's indexed values from being its `_source` values.
fn unsupported(name: &str, ty: &str, def: &Value) -> Option<String> {
    if def.get("null_value").is_some_and(|v| !v.is_null()) {
        return Some(format!("field [{name}] has a null_value"));
    }
    if def.get("index").and_then(Value::as_bool) == Some(false) {
        return Some(format!("field [{name}] is not indexed (index: false)"));
    }
    if ty == "constant_keyword" {
        return Some(format!("the constant_keyword field [{name}]"));
    }
    None
}

/// The field types of one index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    fields: BTreeMap<String, Field>,
    /// Object paths (`source`, `aws.cloudtrail`), so `exists` on an object is answered.
    objects: Vec<String>,
    /// Paths of `nested` objects.
    nested: Vec<String>,
    /// Fields named in a `copy_to`.
    copy_targets: Vec<String>,
    /// `dynamic` of the root (`""`) and of the objects that set it.
    dynamic: BTreeMap<String, String>,
    /// Objects with `enabled: false` (their content is kept in `_source` only).
    disabled: Vec<String>,
}

impl Fields {
    /// Reads the composed `mappings` object (`{"dynamic":..,"properties":{..}}`).
    pub(crate) fn from_mapping(mapping: &Value) -> Fields {
        let mut fields = Fields::default();
        let mut aliases = Vec::new();
        if let Some(d) = dynamic_of(mapping) {
            fields.dynamic.insert(String::new(), d);
        }
        if let Some(props) = mapping.get("properties").and_then(Value::as_object) {
            fields.walk(props, "", &mut aliases);
        }
        // `copy_to`: the target indexes other fields' values too.
        for target in std::mem::take(&mut fields.copy_targets) {
            if let Some(f) = fields.fields.get_mut(&target) {
                f.unsupported = Some(format!("field [{target}] is filled by copy_to"));
            }
        }
        // `FieldAliasMapper`: the alias searches its target.
        for (name, path) in aliases {
            if let Some(target) = fields.fields.get(&path).cloned() {
                fields.fields.insert(
                    name.clone(),
                    Field {
                        name,
                        source_path: target.source_path,
                        kind: target.kind,
                        unsupported: target.unsupported,
                    },
                );
            }
        }
        fields
    }

    fn walk(
        &mut self,
        props: &serde_json::Map<String, Value>,
        prefix: &str,
        aliases: &mut Vec<(String, String)>,
    ) {
        for (key, def) in props {
            let name = format!("{prefix}{key}");
            let ty = def.get("type").and_then(Value::as_str);
            match ty {
                None | Some("object") | Some("nested") => {
                    if ty == Some("nested") {
                        self.nested.push(name.clone());
                    }
                    self.objects.push(name.clone());
                    if let Some(d) = dynamic_of(def) {
                        self.dynamic.insert(name.clone(), d);
                    }
                    if def.get("enabled").and_then(Value::as_bool) == Some(false) {
                        self.disabled.push(name.clone());
                    }
                    if let Some(sub) = def.get("properties").and_then(Value::as_object) {
                        self.walk(sub, &format!("{name}."), aliases);
                    }
                }
                Some("alias") => {
                    if let Some(path) = def.get("path").and_then(Value::as_str) {
                        aliases.push((name, path.to_string()));
                    }
                }
                Some(ty) => {
                    let kind = kind_of(ty, def);
                    for target in copy_to(def) {
                        self.copy_targets.push(target);
                    }
                    self.fields.insert(
                        name.clone(),
                        Field {
                            name: name.clone(),
                            source_path: name.clone(),
                            kind,
                            unsupported: unsupported(&name, ty, def),
                        },
                    );
                    if let Some(subs) = def.get("fields").and_then(Value::as_object) {
                        for (sub, sub_def) in subs {
                            let sub_ty = sub_def.get("type").and_then(Value::as_str).unwrap_or("");
                            let full = format!("{name}.{sub}");
                            for target in copy_to(sub_def) {
                                self.copy_targets.push(target);
                            }
                            self.fields.insert(
                                full.clone(),
                                Field {
                                    unsupported: unsupported(&full, sub_ty, sub_def),
                                    name: full,
                                    source_path: name.clone(),
                                    kind: kind_of(sub_ty, sub_def),
                                },
                            );
                        }
                    }
                }
            }
        }
    }

    /// The field of a name: a mapped field, or a leaf path under a `flat_object` field
    /// (searched as a keyword).
    pub(crate) fn get(&self, name: &str) -> Option<Field> {
        if let Some(f) = metadata(name) {
            return Some(f);
        }
        if let Some(f) = self.fields.get(name) {
            return Some(f.clone());
        }
        let mut end = name.len();
        while let Some(dot) = name[..end].rfind('.') {
            if let Some(f) = self.fields.get(&name[..dot]) {
                if f.kind == Kind::FlatObject {
                    return Some(Field {
                        name: name.to_string(),
                        source_path: name.to_string(),
                        kind: Kind::Keyword {
                            ignore_above: None,
                            normalizer: None,
                        },
                        unsupported: f.unsupported.clone(),
                    });
                }
                return None;
            }
            end = dot;
        }
        None
    }

    /// Fails when an unmapped field has values in `doc` although the mapping would have mapped
    /// it (`dynamic` true, the default): the mapping given lacks its dynamic updates, and
    /// answering "no match" could be wrong.
    pub(crate) fn check_unmapped(&self, name: &str, doc: &Value) -> Result<(), NotEvaluated> {
        // Only a leaf value shows a field the mapping would have mapped (an object is mapped
        // as an object, which no field query matches).
        if name.contains('*')
            || self.is_object(name)
            || !values(doc, name).iter().any(|v| !v.is_object())
        {
            return Ok(());
        }
        // Under a disabled object or a flat_object: not a mapping gap.
        let mut end = name.len();
        let mut dynamic = None;
        while let Some(dot) = name[..end].rfind('.') {
            let parent = &name[..dot];
            if self.disabled.iter().any(|d| d == parent) {
                return Ok(());
            }
            if self.fields.contains_key(parent) {
                return Ok(());
            }
            if dynamic.is_none() {
                dynamic = self.dynamic.get(parent).cloned();
            }
            end = dot;
        }
        let dynamic = dynamic
            .or_else(|| self.dynamic.get("").cloned())
            .unwrap_or_else(|| "true".into());
        if dynamic == "true" {
            return Err(NotEvaluated::new(format!(
                "field [{name}] has values in the document but is not in the mapping, which \
                 maps new fields (dynamic: true): the mapping given lacks its dynamic updates"
            )));
        }
        Ok(())
    }

    /// Every mapped field name (aliases and multi-fields included), sorted: the fields an
    /// index pattern lists, and the fields `*` expands to.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }

    pub(crate) fn is_object(&self, name: &str) -> bool {
        self.objects.iter().any(|o| o == name)
    }

    /// The innermost `nested` path a field is under (the path itself included), if any.
    pub(crate) fn nested_parent(&self, name: &str) -> Option<&str> {
        self.nested
            .iter()
            .filter(|n| name == n.as_str() || name.starts_with(&format!("{n}.")))
            .max_by_key(|n| n.len())
            .map(String::as_str)
    }

    /// Whether a query in the `nested` scope `scope` (none at the top level) reaches the
    /// field: the values of a field under a `nested` object are separate (hidden) documents,
    /// which only a `nested` query on that path searches; elsewhere it matches nothing.
    pub(crate) fn in_scope(&self, name: &str, scope: Option<&str>) -> bool {
        self.nested_parent(name) == scope
    }

    pub(crate) fn is_nested(&self, path: &str) -> bool {
        self.nested.iter().any(|n| n == path)
    }
}

/// OpenSearch's metadata fields (`IndicesModule.getMetadataMappers`).
const METADATA: &[&str] = &[
    "_id",
    "_index",
    "_ignored",
    "_routing",
    "_source",
    "_field_names",
    "_seq_no",
    "_version",
    "_primary_term",
    "_doc_count",
    "_data_stream_timestamp",
    "_size",
    "_type",
];

/// Whether a name is a metadata field.
pub(crate) fn is_metadata(name: &str) -> bool {
    METADATA.contains(&name)
}

/// The metadata fields the evaluator answers from [`super::Meta`] (`_id`, `_index`,
/// `_ignored`, `_routing`), as keywords: `IdFieldMapper`, `IndexFieldMapper`,
/// `IgnoredFieldMapper`, `RoutingFieldMapper` index them as exact terms.
fn metadata(name: &str) -> Option<Field> {
    matches!(name, "_id" | "_index" | "_ignored" | "_routing").then(|| Field {
        name: name.to_string(),
        source_path: name.to_string(),
        kind: Kind::Keyword {
            ignore_above: None,
            normalizer: None,
        },
        unsupported: None,
    })
}

/// Fails for a metadata field that cannot be answered: without the document's metadata, or
/// one the evaluator does not hold.
pub(crate) fn check_metadata(name: &str, has_meta: bool) -> Result<(), NotEvaluated> {
    if !is_metadata(name) {
        return Ok(());
    }
    if metadata(name).is_none() {
        return Err(NotEvaluated::new(format!("the metadata field [{name}]")));
    }
    if !has_meta {
        return Err(NotEvaluated::new(format!(
            "the metadata field [{name}] without the document's metadata"
        )));
    }
    Ok(())
}

/// `dynamic` as written (`true`, `false`, `strict`, `runtime`; booleans or strings).
fn dynamic_of(def: &Value) -> Option<String> {
    match def.get("dynamic") {
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn copy_to(def: &Value) -> Vec<String> {
    match def.get("copy_to") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn kind_of(ty: &str, def: &Value) -> Kind {
    let s = |k: &str| def.get(k).and_then(Value::as_str).map(str::to_string);
    match ty {
        "keyword" | "constant_keyword" => Kind::Keyword {
            ignore_above: def
                .get("ignore_above")
                .and_then(Value::as_u64)
                .map(|n| n as usize),
            normalizer: s("normalizer"),
        },
        "text" | "match_only_text" => Kind::Text {
            analyzer: s("search_analyzer")
                .or_else(|| s("analyzer"))
                .filter(|a| a != "standard"),
        },
        "long" => Kind::Integer("long"),
        "integer" => Kind::Integer("integer"),
        "short" => Kind::Integer("short"),
        "byte" => Kind::Integer("byte"),
        "unsigned_long" => Kind::Integer("unsigned_long"),
        "double" => Kind::Float("double"),
        "float" => Kind::Float("float"),
        "half_float" => Kind::Float("half_float"),
        "scaled_float" => match def.get("scaling_factor").and_then(Value::as_f64) {
            Some(f) => Kind::Scaled(f),
            None => Kind::Other("scaled_float without scaling_factor".into()),
        },
        "date" | "date_nanos" => Kind::Date {
            format: s("format").unwrap_or_else(|| "strict_date_optional_time||epoch_millis".into()),
        },
        "ip" => Kind::Ip,
        "boolean" => Kind::Boolean,
        "flat_object" => Kind::FlatObject,
        other => Kind::Other(other.to_string()),
    }
}

/// The values at `path` in a `_source`: `{"a.b": 1}` and `{"a": {"b": 1}}` both give `a.b`,
/// arrays give each element (arrays of objects too), `null` gives nothing.
pub(crate) fn values<'a>(source: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    collect(source, path, &mut out);
    out
}

fn collect<'a>(value: &'a Value, path: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, path, out);
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                if key == path {
                    flatten(child, out);
                } else if let Some(rest) = path
                    .strip_prefix(key.as_str())
                    .and_then(|r| r.strip_prefix('.'))
                {
                    collect(child, rest, out);
                }
            }
        }
        _ => {}
    }
}

fn flatten<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                flatten(item, out);
            }
        }
        other => out.push(other),
    }
}

/// The leaves of a `flat_object` value, as strings (`FlatObjectFieldMapper` indexes every
/// leaf value as a keyword; numbers and booleans as their text).
pub(crate) fn flat_leaves(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Array(items) => items.iter().for_each(|i| flat_leaves(i, out)),
        Value::Object(map) => map.values().for_each(|v| flat_leaves(v, out)),
        Value::String(s) => out.push(s.clone()),
        other => out.push(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_keys_and_objects_address_the_same_field() {
        let doc = json!({"a.b": 1, "a": {"b": [2, null, 3]}, "c": [{"d": "x"}, {"d": "y"}]});
        assert_eq!(values(&doc, "a.b"), vec![&json!(1), &json!(2), &json!(3)]);
        assert_eq!(values(&doc, "c.d"), vec![&json!("x"), &json!("y")]);
        assert!(values(&doc, "a.c").is_empty());
    }

    #[test]
    fn mapping_gives_multi_fields_aliases_and_flat_object_leaves() {
        let fields = Fields::from_mapping(&json!({"properties": {
            "message": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 10}}},
            "source": {"properties": {"ip": {"type": "ip"}}},
            "src": {"type": "alias", "path": "source.ip"},
            "f": {"type": "flat_object"},
            "n": {"type": "nested", "properties": {"x": {"type": "keyword"}}}
        }}));
        let kw = fields.get("message.keyword").unwrap();
        assert_eq!(kw.source_path, "message");
        assert_eq!(
            kw.kind,
            Kind::Keyword {
                ignore_above: Some(10),
                normalizer: None
            }
        );
        assert_eq!(fields.get("src").unwrap().source_path, "source.ip");
        assert_eq!(fields.get("f.a.b").unwrap().source_path, "f.a.b");
        assert!(fields.get("source.port").is_none());
        assert!(fields.is_object("source"));
        assert!(!fields.in_scope("n.x", None));
        assert!(fields.in_scope("n.x", Some("n")));
        assert!(fields.in_scope("message", None));
        assert!(!fields.in_scope("message", Some("n")));
    }

    #[test]
    fn unmapped_fields_with_values_need_a_dynamic_false_mapping() {
        let doc = json!({"a": "x", "o": {"b": "y"}, "off": {"c": "z"}, "s": {"d": "w"}});
        let dynamic = Fields::from_mapping(&json!({"properties": {
            "off": {"type": "object", "enabled": false},
            "s": {"type": "object", "dynamic": "strict", "properties": {}}
        }}));
        assert!(dynamic.check_unmapped("a", &doc).is_err());
        assert!(dynamic.check_unmapped("o.b", &doc).is_err());
        assert!(dynamic.check_unmapped("off.c", &doc).is_ok());
        assert!(dynamic.check_unmapped("s.d", &doc).is_ok());
        assert!(dynamic.check_unmapped("missing", &doc).is_ok());
        // An object is no evidence of a missing leaf mapping.
        assert!(dynamic.check_unmapped("o", &doc).is_ok());
        let fixed = Fields::from_mapping(&json!({"dynamic": false, "properties": {}}));
        assert!(fixed.check_unmapped("a", &doc).is_ok());
    }

    #[test]
    fn fields_whose_values_are_not_the_source_are_flagged() {
        let fields = Fields::from_mapping(&json!({"properties": {
            "a": {"type": "keyword", "null_value": "NULL"},
            "b": {"type": "keyword", "copy_to": "all"},
            "all": {"type": "text"},
            "c": {"type": "long", "index": false},
            "d": {"type": "constant_keyword", "value": "x"},
            "e": {"type": "keyword"}
        }}));
        for name in ["a", "all", "c", "d"] {
            assert!(fields.get(name).unwrap().check().is_err(), "{name}");
        }
        assert!(fields.get("b").unwrap().check().is_ok());
        assert!(fields.get("e").unwrap().check().is_ok());
    }
}
