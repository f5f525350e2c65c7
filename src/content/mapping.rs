//! Index mappings and settings as an index of a log type would get them: component templates
//! composed in order, then the index template's own, flattened to dotted field paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::kind::Kind;
use super::resource::Resource;
use super::Content;

/// One mapped field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    /// The mapping type (`keyword`, `ip`, `object` for objects without a type...).
    pub(crate) ty: String,
    /// False for `"enabled": false` objects and `"index": false` fields.
    pub(crate) searchable: bool,
    /// The `format` of a `date` or `date_nanos` field, when the mapping sets one.
    pub(crate) format: Option<String>,
    /// The file that mapped it.
    pub(crate) origin: PathBuf,
}

impl Field {
    /// Whether a visualization can aggregate on it.
    pub(crate) fn aggregatable(&self) -> bool {
        !matches!(
            self.ty.as_str(),
            "text" | "object" | "nested" | "flat_object" | "match_only_text"
        )
    }
}

/// Field path → field.
pub(crate) type Fields = BTreeMap<String, Field>;

/// The mapping and settings of the indices an index template creates.
#[derive(Debug, Default)]
pub(crate) struct Composed {
    pub(crate) fields: Fields,
    /// Flattened, `index.`-prefixed settings.
    pub(crate) settings: BTreeMap<String, Value>,
}

/// Composes an index template with its component templates, as OpenSearch does at index
/// creation: each component in `composed_of` order, then the template's own `template`.
pub(crate) fn compose(content: &Content, index_template: &Resource) -> Composed {
    let mut composed = Composed::default();
    for source in sources(content, index_template) {
        if let Some(template) = source.body.get("template") {
            if let Some(mappings) = template.get("mappings") {
                add_fields(&mut composed.fields, mappings, &source.file);
            }
            if let Some(settings) = template.get("settings") {
                composed.settings.extend(flatten_settings(settings));
            }
        }
    }
    composed
}

/// The templates an index template is composed of, in the order OpenSearch applies them: each
/// component in `composed_of` order (those not in the content left out), then the template itself.
pub(crate) fn sources<'c>(
    content: &'c Content,
    index_template: &'c Resource,
) -> impl Iterator<Item = &'c Resource> {
    index_template
        .body
        .get("composed_of")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(|name| content.get(Kind::ComponentTemplate, name))
        .chain(std::iter::once(index_template))
}

/// The fields of a mapping (`{"properties": {...}}`), flattened.
pub(crate) fn add_fields(fields: &mut Fields, mappings: &Value, origin: &Path) {
    // A `_doc` wrapper is an error reported on its own; looking through it avoids a cascade of
    // "field not mapped" problems behind it.
    let mappings = mappings.get("_doc").unwrap_or(mappings);
    if let Some(properties) = mappings.get("properties").and_then(Value::as_object) {
        for (name, definition) in properties {
            add_field(fields, name, definition, true, origin);
        }
    }
}

fn add_field(
    fields: &mut Fields,
    path: &str,
    definition: &Value,
    parent_searchable: bool,
    origin: &Path,
) {
    let ty = definition
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("object")
        .to_string();
    let enabled = definition.get("enabled").and_then(Value::as_bool) != Some(false);
    let indexed = definition.get("index").and_then(Value::as_bool) != Some(false);
    let searchable = parent_searchable && enabled && indexed;
    let format = matches!(ty.as_str(), "date" | "date_nanos")
        .then(|| definition.get("format").and_then(Value::as_str))
        .flatten()
        .map(str::to_string);
    fields.insert(
        path.to_string(),
        Field {
            ty,
            searchable,
            format,
            origin: origin.to_path_buf(),
        },
    );
    if !enabled {
        return;
    }
    if let Some(properties) = definition.get("properties").and_then(Value::as_object) {
        for (name, child) in properties {
            add_field(fields, &format!("{path}.{name}"), child, searchable, origin);
        }
    }
    if let Some(multi) = definition.get("fields").and_then(Value::as_object) {
        for (name, child) in multi {
            add_field(fields, &format!("{path}.{name}"), child, searchable, origin);
        }
    }
}

/// Settings as OpenSearch stores them: nested objects flattened to dotted keys, each prefixed
/// with `index.` when it lacks it.
pub(crate) fn flatten_settings(settings: &Value) -> BTreeMap<String, Value> {
    fn walk(prefix: &str, value: &Value, out: &mut BTreeMap<String, Value>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(&path, child, out);
                }
            }
            leaf => {
                let key = if prefix.starts_with("index.") {
                    prefix.to_string()
                } else {
                    format!("index.{prefix}")
                };
                out.insert(key, leaf.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", settings, &mut out);
    out
}

/// What a field name resolves to in a set of fields.
#[derive(Debug, PartialEq)]
pub(crate) enum Lookup<'a> {
    Found(&'a Field),
    /// A key inside a `flat_object` field, which any key may be.
    InFlatObject(&'a str),
    /// Mapped, but not indexed (`enabled: false`, `index: false`), so not searchable.
    NotSearchable(&'a str),
    Missing,
}

/// Resolves a field name as a query or column would use it. Meta fields (`_id`, `_index`,
/// `_score`, `_source`) always exist.
pub(crate) fn lookup<'a>(fields: &'a Fields, name: &str) -> Lookup<'a> {
    if let Some(field) = fields.get(name) {
        return if field.searchable {
            Lookup::Found(field)
        } else {
            Lookup::NotSearchable(fields.get_key_value(name).map_or("", |(k, _)| k.as_str()))
        };
    }
    let mut prefix = name;
    while let Some((parent, _)) = prefix.rsplit_once('.') {
        if let Some((key, field)) = fields.get_key_value(parent) {
            if field.ty == "flat_object" {
                return Lookup::InFlatObject(key);
            }
            if !field.searchable {
                return Lookup::NotSearchable(key);
            }
        }
        prefix = parent;
    }
    Lookup::Missing
}

/// Meta fields every document has.
/// The metadata field that lists the fields whose malformed values an index dropped.
pub(crate) const IGNORED_FIELD: &str = "_ignored";

pub(crate) fn is_meta_field(name: &str) -> bool {
    matches!(name, "_id" | "_index" | "_score" | "_source" | "_type")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(mappings: Value) -> Fields {
        let mut fields = Fields::new();
        add_fields(&mut fields, &mappings, Path::new("t"));
        fields
    }

    #[test]
    fn flattens_properties_multi_fields_and_disabled_objects() {
        let f = fields(json!({"properties": {
            "source": {"properties": {"ip": {"type": "ip"}}},
            "msg": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
            "blob": {"type": "object", "enabled": false, "properties": {"x": {"type": "keyword"}}},
            "params": {"type": "flat_object"},
            "quiet": {"type": "keyword", "index": false},
            "seen": {"type": "date", "format": "epoch_second"},
            "odd": {"type": "keyword", "format": "epoch_second"}
        }}));
        assert_eq!(f["seen"].format.as_deref(), Some("epoch_second"));
        assert_eq!(f["odd"].format, None);
        assert_eq!(f["source.ip"].format, None);
        assert_eq!(f["source"].ty, "object");
        assert_eq!(f["source.ip"].ty, "ip");
        assert_eq!(f["msg.raw"].ty, "keyword");
        assert!(!f.contains_key("blob.x"));
        assert!(matches!(lookup(&f, "source.ip"), Lookup::Found(field) if field.ty == "ip"));
        assert_eq!(
            lookup(&f, "params.userName"),
            Lookup::InFlatObject("params")
        );
        assert_eq!(lookup(&f, "blob.x"), Lookup::NotSearchable("blob"));
        assert_eq!(lookup(&f, "quiet"), Lookup::NotSearchable("quiet"));
        assert_eq!(lookup(&f, "source.port"), Lookup::Missing);
    }

    #[test]
    fn settings_are_flattened_and_prefixed() {
        let s = flatten_settings(
            &json!({"number_of_shards": 1, "index": {"mapping": {"total_fields": {"limit": 2000}}}, "index.refresh_interval": "5s"}),
        );
        let keys: Vec<_> = s.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "index.mapping.total_fields.limit",
                "index.number_of_shards",
                "index.refresh_interval"
            ]
        );
    }
}
