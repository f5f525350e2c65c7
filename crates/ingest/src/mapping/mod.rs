//! Documents against mappings: would an OpenSearch 2.19 node index this document, and what would
//! it store.
//!
//! [`index_document_with_id`] takes the document as the node indexes it (the `_source` after any
//! ingest pipeline), the index's mappings and the index settings that matter, and answers what
//! the node answers: either [`Indexed`] (the fields `ignore_malformed` dropped, the mapping after
//! the dynamic updates the document makes, the values indexed per field) or the [`MapperError`]
//! of the refused item (`mapper_parsing_exception`, `strict_dynamic_mapping_exception`,
//! `illegal_argument_exception` for the field limits and Lucene's term length limit), rendered as
//! the node renders it.
//!
//! The order of the checks is the node's: the document is parsed against the mapping the index
//! has (`server/src/main/java/org/opensearch/index/mapper/DocumentParser.java`), then the dynamic
//! update is merged and the mapping limits are checked (the preflight merge of
//! `server/src/main/java/org/opensearch/action/bulk/TransportShardBulkAction.java`:
//! `MapperService.merge`, `MappingLookup.checkLimits`), then the document is written (Lucene's
//! `lucene/core/src/java/org/apache/lucene/index/IndexingChain.java` refuses a term longer than
//! 32,766 bytes; the engine turns that into a document failure, `InternalEngine.index`).
//!
//! Emulated: `keyword` (`ignore_above`, `null_value`, `index`, `doc_values`), `text` and
//! `match_only_text` (standard analyzer), `wildcard`, `long`/`integer`/`short`/`byte`/`double`/
//! `float`/`half_float`/`scaled_float` (`coerce`, `ignore_malformed`, `null_value`, range checks),
//! `unsigned_long` (integer values), `boolean`, `constant_keyword`, `date` and `date_nanos` (`format` through [`crate::date`]), `ip`,
//! `geo_point` (lat/lon objects, `"lat,lon"`, `[lon, lat]`, geohash, `POINT` WKT), `flat_object`,
//! `object` (`enabled`, `dynamic` true/false/strict/strict_allow_templates), `nested`
//! (`index.mapping.nested_objects.limit`), `alias`, multi-fields, `copy_to`; dynamic mapping with
//! `dynamic_templates` (`match`, `unmatch`, `path_match`, `path_unmatch`, `match_mapping_type`,
//! `match_pattern`, `{name}`, `{dynamic_type}`), `date_detection`, `dynamic_date_formats`,
//! `numeric_detection`; `_ignored`; `index.mapping.total_fields.limit`, `depth.limit` (of the
//! mapping and of the document), `nested_fields.limit`, `field_name_length.limit`,
//! `ignore_malformed`, `coerce`; Lucene's 32,766-byte term limit.
//!
//! OpenSearch 2.19 specifics kept on purpose: `dynamic: runtime` and `false_allow_templates`
//! (3.3) are mapping errors; with `index.mapping.ignore_malformed`, *any* field's parse failure
//! is dropped silently (`FieldMapper.parse`, #4494), and a field-level `ignore_malformed: false`
//! does not override it (#16599); only `ip`, `date`, numbers and `geo_point` record `_ignored`.
//!
//! What the engine does not emulate is an error with `unsupported` set and a reason starting
//! "not supported by siemctl's offline engine: ", never a guess: field types `binary`,
//! `completion`, `geo_shape`, the range types, `token_count`, `rank_feature(s)`,
//! `search_as_you_type`, `join`, `percolator`, `knn_vector`, `xy_*`, ...;
//! analyzers other than `standard`, normalizers, date `locale`s, parameters of `flat_object`;
//! zone region ids in `strict_date_optional_time` values, date formats the date module lacks;
//! GeoJSON and non-point WKT `geo_point` values;
//! `unsigned_long` values other than plain integers; the `_doc_count` field; copying into a
//! multi-field; two dynamic mappings of one new field that differ only in parameters.
//!
//! The document's text, for error positions and value previews, is taken to be what the node
//! parses after an ingest pipeline: compact JSON in the map's iteration order, doubles printed as
//! Java prints them.

// A MapperError carries the node's whole error (type, reason, cause, extra keys) flat, as the
// node renders it; it is built only when a document is refused, so its size costs nothing on
// the path that indexes.
#![allow(clippy::result_large_err)]

mod dates;
mod dynamic;
mod error;
mod geo;
mod ip;
mod model;
mod numbers;
mod parser;
mod tokens;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use error::JavaError;
pub use error::MapperError;
use model::{parse_root, BuildDefaults, Mapper, ObjectMapper};
use parser::TermCheck;

/// The index settings the mapper reads (`index.mapping.*`), with the node's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexSettings {
    /// `index.mapping.total_fields.limit` (1000).
    pub total_fields_limit: u64,
    /// `index.mapping.depth.limit` (20): object depth of the mapping, and of the document.
    pub depth_limit: u64,
    /// `index.mapping.nested_fields.limit` (50).
    pub nested_fields_limit: u64,
    /// `index.mapping.nested_objects.limit` (10000).
    pub nested_objects_limit: u64,
    /// `index.mapping.field_name_length.limit` (unlimited).
    pub field_name_length_limit: u64,
    /// `index.mapping.ignore_malformed` (false).
    pub ignore_malformed: bool,
    /// `index.mapping.coerce` (true for numbers).
    pub coerce: bool,
}

impl Default for IndexSettings {
    fn default() -> Self {
        IndexSettings {
            total_fields_limit: 1000,
            depth_limit: 20,
            nested_fields_limit: 50,
            nested_objects_limit: 10_000,
            field_name_length_limit: u64::MAX,
            ignore_malformed: false,
            coerce: true,
        }
    }
}

fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

impl IndexSettings {
    /// Reads the settings of an index (or of a template's `settings`), nested
    /// (`{"index": {"mapping": ...}}`) or flat (`"index.mapping.total_fields.limit"`), with or
    /// without the `index.` prefix, values as numbers, booleans or strings.
    pub fn from_settings(settings: &Value) -> Result<IndexSettings, MapperError> {
        let mut flat = BTreeMap::new();
        flatten("", settings, &mut flat);
        let mut s = IndexSettings::default();
        for (k, v) in flat {
            let key = k.strip_prefix("index.").unwrap_or(&k);
            let full = format!("index.{key}");
            let num = |v: &Value| -> Result<u64, MapperError> {
                let text = match v {
                    Value::String(t) => t.clone(),
                    other => other.to_string(),
                };
                text.parse::<u64>().map_err(|_| {
                    JavaError::illegal_argument(format!(
                        "Failed to parse value [{text}] for setting [{full}]"
                    ))
                    .into_public()
                })
            };
            let boolean = |v: &Value| -> Result<bool, MapperError> {
                match v {
                    Value::Bool(b) => Ok(*b),
                    Value::String(t) if t == "true" => Ok(true),
                    Value::String(t) if t == "false" => Ok(false),
                    other => Err(JavaError::illegal_argument(format!(
                        "Failed to parse value [{}] as only [true] or [false] are allowed.",
                        tokens::java_print(other)
                    ))
                    .into_public()),
                }
            };
            match key {
                "mapping.total_fields.limit" => s.total_fields_limit = num(&v)?,
                "mapping.depth.limit" => s.depth_limit = num(&v)?,
                "mapping.nested_fields.limit" => s.nested_fields_limit = num(&v)?,
                "mapping.nested_objects.limit" => s.nested_objects_limit = num(&v)?,
                "mapping.field_name_length.limit" => s.field_name_length_limit = num(&v)?,
                "mapping.ignore_malformed" => s.ignore_malformed = boolean(&v)?,
                "mapping.coerce" => s.coerce = boolean(&v)?,
                _ => {}
            }
        }
        Ok(s)
    }

    fn build_defaults(&self) -> BuildDefaults {
        BuildDefaults {
            ignore_malformed: self.ignore_malformed,
            coerce: self.coerce,
        }
    }
}

/// What the node stores for an accepted document.
#[derive(Clone, Debug, PartialEq)]
pub struct Indexed {
    /// The `_ignored` metadata field: fields whose malformed values were dropped, in the order the
    /// node lists them (Java `HashSet` order).
    pub ignored: Vec<String>,
    /// The whole `mappings` object after the dynamic updates this document makes (as
    /// `GET /{index}/_mapping` would show it), when it adds fields. The index keeps it: later
    /// documents are parsed against it.
    pub mapping_update: Option<Value>,
    /// Full paths of the fields and objects the document added, sorted.
    pub dynamic_fields: Vec<String>,
    /// The indexed values of each field by full path (multi-fields included): keywords and text
    /// as strings, numbers as numbers, dates (`date_nanos` too) as epoch milliseconds, booleans, IPs in canonical
    /// form, geo points as `{"lat", "lon"}`. Values that were dropped (`ignore_above`,
    /// `ignore_malformed`) are absent.
    pub fields: BTreeMap<String, Vec<Value>>,
}

/// [`index_document_with_id`] for a document whose id does not matter (error messages name the
/// id as the node does; here it is `null`).
pub fn index_document(
    source: &Value,
    mappings: &Value,
    settings: &IndexSettings,
) -> Result<Indexed, MapperError> {
    index_document_with_id("null", source, mappings, settings)
}

/// Checks the mappings as the node does when an index is created with them.
pub fn validate_mappings(mappings: &Value, settings: &IndexSettings) -> Result<(), MapperError> {
    let root = parse_root(mappings, settings.build_defaults()).map_err(JavaError::into_public)?;
    check_limits(&root, settings).map_err(JavaError::into_public)
}

/// Indexes `source` (the document's `_source`, with id `id`) into an index with `mappings`.
/// Reads the mappings on each call: to index many documents, use [`CompiledMappings`].
pub fn index_document_with_id(
    id: &str,
    source: &Value,
    mappings: &Value,
    settings: &IndexSettings,
) -> Result<Indexed, MapperError> {
    CompiledMappings::new(mappings, settings)?.index_document(id, source)
}

/// An index's mappings read once (as the node holds its `DocumentMapper`), to index documents
/// against. After a document with a `mapping_update`, build a new one from that update.
#[derive(Debug)]
pub struct CompiledMappings {
    root: model::Root,
    json: Value,
    settings: IndexSettings,
}

impl CompiledMappings {
    /// Reads `mappings` (errors as `validate_mappings` reports them).
    pub fn new(
        mappings: &Value,
        settings: &IndexSettings,
    ) -> Result<CompiledMappings, MapperError> {
        let root =
            parse_root(mappings, settings.build_defaults()).map_err(JavaError::into_public)?;
        Ok(CompiledMappings {
            root,
            json: mappings.clone(),
            settings: settings.clone(),
        })
    }

    /// The mappings as given.
    pub fn mappings(&self) -> &Value {
        &self.json
    }

    pub fn settings(&self) -> &IndexSettings {
        &self.settings
    }

    /// What the node does with `source` (id `id`) in an index with these mappings.
    pub fn index_document(&self, id: &str, source: &Value) -> Result<Indexed, MapperError> {
        let settings = &self.settings;
        let mut ctx = parser::Ctx::new(source, &self.root, settings, id);
        if let Err(e) = ctx.parse_document() {
            return Err(wrap_in_mapper_parsing_exception(e).into_public());
        }
        let dynamic = std::mem::take(&mut ctx.dynamic_mappers);
        let mut dynamic_fields = BTreeSet::new();
        let mapping_update = if dynamic.is_empty() {
            None
        } else {
            for m in &dynamic {
                dynamic_fields.insert(m.name().to_string());
            }
            let updated =
                apply_dynamic_update(&self.json, dynamic).map_err(JavaError::into_public)?;
            let new_root =
                parse_root(&updated, settings.build_defaults()).map_err(JavaError::into_public)?;
            check_limits(&new_root, settings).map_err(JavaError::into_public)?;
            Some(updated)
        };
        check_terms(&ctx.terms).map_err(JavaError::into_public)?;
        let ignored = ctx
            .ignored
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect();
        Ok(Indexed {
            ignored,
            mapping_update,
            dynamic_fields: dynamic_fields.into_iter().collect(),
            fields: std::mem::take(&mut ctx.stored),
        })
    }
}

/// `DocumentParser.wrapInMapperParsingException`.
fn wrap_in_mapper_parsing_exception(e: JavaError) -> JavaError {
    if e.any_unsupported() && e.unsupported {
        return e;
    }
    if e.is_a("MapperParsingException") {
        return e;
    }
    JavaError::mapper_parsing("failed to parse").with_cause(e)
}

/// `MappingLookup.checkLimits`: total fields, object depth, field name length, nested fields.
fn check_limits(root: &model::Root, s: &IndexSettings) -> Result<(), JavaError> {
    let total = model::total_fields(root) as u64;
    if total > s.total_fields_limit {
        return Err(JavaError::illegal_argument(format!(
            "Limit of total fields [{}] has been exceeded",
            s.total_fields_limit
        )));
    }
    // MappingLookup keeps its mappers in HashMaps: the first offender is in HashMap order
    let java_order = |keys: &mut dyn Iterator<Item = &String>| -> Vec<String> {
        let mut set = painless::value::JSet::new(painless::value::SetKind::Hash);
        for k in keys {
            set.insert(painless::Value::string(k.as_str()));
        }
        set.iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
    };
    let objects = java_order(&mut root.object_paths.keys());
    for path in &objects {
        let depth = path.matches('.').count() as u64 + 2;
        if depth > s.depth_limit {
            return Err(JavaError::illegal_argument(format!(
                "Limit of mapping depth [{}] has been exceeded due to object field [{path}]",
                s.depth_limit
            )));
        }
    }
    let fields = java_order(&mut root.field_paths.keys());
    for name in objects.iter().chain(fields.iter()) {
        let simple = name.rsplit('.').next().unwrap_or(name);
        if simple.encode_utf16().count() as u64 > s.field_name_length_limit {
            return Err(JavaError::illegal_argument(format!(
                "Field name [{simple}] is longer than the limit of [{}] characters",
                s.field_name_length_limit
            )));
        }
    }
    let nested = root
        .object_paths
        .values()
        .filter(|o| o.nested.is_some())
        .count() as u64;
    if nested > s.nested_fields_limit {
        return Err(JavaError::illegal_argument(format!(
            "Limit of nested fields [{}] has been exceeded",
            s.nested_fields_limit
        )));
    }
    Ok(())
}

/// Lucene's limits when the document is written (`IndexingChain.invert`,
/// `SortedSetDocValuesWriter.addValue`): 32,766 bytes per term.
fn check_terms(terms: &[TermCheck]) -> Result<(), JavaError> {
    const MAX: usize = 32766;
    for t in terms {
        match t {
            TermCheck::Indexed { field, len, prefix } if *len > MAX => {
                let bytes: Vec<String> = prefix.iter().map(|b| (*b as i8).to_string()).collect();
                let original = format!("bytes can be at most {MAX} in length; got {len}");
                return Err(JavaError::illegal_argument(format!(
                    "Document contains at least one immense term in field=\"{field}\" (whose UTF8 encoding is longer than the max length {MAX}), all of which were skipped.  Please correct the analyzer to not produce such terms.  The prefix of the first immense term is: '[{}]...', original message: {original}",
                    bytes.join(", ")
                ))
                .with_cause(JavaError::new("MaxBytesLengthExceededException", original)));
            }
            TermCheck::DocValue { field, len } if *len > MAX => {
                return Err(JavaError::illegal_argument(format!(
                    "DocValuesField \"{field}\" is too large, must be <= {MAX}"
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// A dynamic update as a tree, before it is merged into the mapping.
enum DynNode {
    Field {
        type_name: String,
        json: Value,
    },
    Object {
        object: ObjectMapper,
        children: BTreeMap<String, DynNode>,
    },
    /// An object the mapping already has.
    Existing {
        children: BTreeMap<String, DynNode>,
    },
}

/// `DocumentParser.createDynamicUpdate` and the merge of the update into the mapping: the new
/// mappers sorted by name, the same name twice merged (and refused when the types differ).
fn apply_dynamic_update(mappings: &Value, mut dynamic: Vec<Mapper>) -> Result<Value, JavaError> {
    dynamic.sort_by(|a, b| a.name().cmp(b.name()));
    let mut tree: BTreeMap<String, DynNode> = BTreeMap::new();
    for m in dynamic {
        let name = m.name().to_string();
        let parts: Vec<&str> = name.split('.').collect();
        let mut level = &mut tree;
        for part in &parts[..parts.len() - 1] {
            let node = level
                .entry((*part).to_string())
                .or_insert_with(|| DynNode::Existing {
                    children: BTreeMap::new(),
                });
            level = match node {
                DynNode::Object { children, .. } | DynNode::Existing { children } => children,
                DynNode::Field { type_name, .. } => {
                    return Err(JavaError::illegal_argument(format!(
                        "mapper [{}] cannot be changed from type [{type_name}] to [ObjectMapper]",
                        parts[..parts.len() - 1].join(".")
                    )))
                }
            };
        }
        let last = parts[parts.len() - 1].to_string();
        let new = match m {
            Mapper::Field(f) => DynNode::Field {
                type_name: f.type_name.clone(),
                json: f.json.clone(),
            },
            Mapper::Object(o) => DynNode::Object {
                object: o,
                children: BTreeMap::new(),
            },
            Mapper::Alias { .. } => {
                return Err(JavaError::unsupported(
                    "a dynamic template mapping to [alias]",
                ))
            }
        };
        match (level.get_mut(&last), new) {
            (None, new) => {
                level.insert(last, new);
            }
            (
                Some(DynNode::Field { type_name, json }),
                DynNode::Field {
                    type_name: t2,
                    json: j2,
                },
            ) => {
                if *type_name != t2 {
                    return Err(JavaError::illegal_argument(format!(
                        "mapper [{name}] cannot be changed from type [{type_name}] to [{t2}]"
                    )));
                }
                if *json != j2 {
                    return Err(JavaError::unsupported(format!(
                        "two dynamic mappings of [{name}] with different parameters in one document"
                    )));
                }
            }
            (Some(DynNode::Field { type_name, .. }), DynNode::Object { .. }) => {
                return Err(JavaError::illegal_argument(format!(
                    "mapper [{name}] cannot be changed from type [{type_name}] to [ObjectMapper]"
                )))
            }
            (Some(DynNode::Object { .. } | DynNode::Existing { .. }), DynNode::Field { .. }) => {
                return Err(JavaError::illegal_argument(format!(
                    "can't merge a non object mapping [{name}] with an object mapping"
                )))
            }
            (Some(DynNode::Object { object, .. }), DynNode::Object { object: o2, .. }) => {
                if object.nested.is_some() != o2.nested.is_some() {
                    return Err(JavaError::illegal_argument(if object.nested.is_some() {
                        "cannot change object mapping from nested to non-nested"
                    } else {
                        "cannot change object mapping from non-nested to nested"
                    }));
                }
            }
            (Some(existing @ DynNode::Existing { .. }), DynNode::Object { object, .. }) => {
                let children = match existing {
                    DynNode::Existing { children } => std::mem::take(children),
                    _ => BTreeMap::new(),
                };
                *existing = DynNode::Object { object, children };
            }
            (Some(_), DynNode::Existing { .. }) => {}
        }
    }
    let mut out = match mappings {
        Value::Object(m) => {
            if m.len() == 1 {
                if let Some(Value::Object(inner)) = m.get("_doc") {
                    inner.clone()
                } else {
                    m.clone()
                }
            } else {
                m.clone()
            }
        }
        _ => Map::new(),
    };
    let props = out
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    if !props.is_object() {
        *props = Value::Object(Map::new());
    }
    if let Value::Object(p) = props {
        write_tree(p, tree);
    }
    Ok(Value::Object(out))
}

fn write_tree(props: &mut Map<String, Value>, tree: BTreeMap<String, DynNode>) {
    for (k, node) in tree {
        match node {
            DynNode::Field { json, .. } => {
                props.insert(k, json);
            }
            DynNode::Object { object, children } => {
                let mut j = object.json();
                if !children.is_empty() {
                    let mut sub = Map::new();
                    write_tree(&mut sub, children);
                    if let Value::Object(m) = &mut j {
                        if m.get("type").and_then(Value::as_str) == Some("object") {
                            m.remove("type");
                        }
                        m.insert("properties".into(), Value::Object(sub));
                    }
                }
                props.insert(k, j);
            }
            DynNode::Existing { children } => {
                let entry = props.entry(k).or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(obj) = entry {
                    let sub = obj
                        .entry("properties")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(s) = sub {
                        write_tree(s, children);
                    }
                }
            }
        }
    }
}

/// Composes mappings as a composable index template does (`MergeReason.INDEX_TEMPLATE`):
/// `overlay` (a later component template, or the index template's own mappings) merged into
/// `base`. Objects merge property by property; a field definition replaces the earlier one;
/// dynamic templates with the same name are replaced in place, new ones appended; other
/// root parameters of the overlay win.
pub fn merge_template_mappings(base: &Value, overlay: &Value) -> Value {
    let mut out = match base {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let Value::Object(over) = overlay else {
        return Value::Object(out);
    };
    for (k, v) in over {
        match k.as_str() {
            "properties" => {
                let merged = merge_properties(out.get("properties"), v);
                out.insert(k.clone(), merged);
            }
            "dynamic_templates" => {
                let mut list: Vec<Value> = match out.get("dynamic_templates") {
                    Some(Value::Array(a)) => a.clone(),
                    _ => Vec::new(),
                };
                if let Value::Array(new) = v {
                    for t in new {
                        let name = t.as_object().and_then(|m| m.keys().next().cloned());
                        let pos = list.iter().position(|x| {
                            x.as_object().and_then(|m| m.keys().next().cloned()) == name
                        });
                        match pos {
                            Some(i) => list[i] = t.clone(),
                            None => list.push(t.clone()),
                        }
                    }
                }
                out.insert(k.clone(), Value::Array(list));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

fn is_object_mapping(v: &Value) -> bool {
    match v.get("type") {
        None => true,
        Some(Value::String(t)) => t == "object" || t == "nested",
        _ => false,
    }
}

fn merge_properties(base: Option<&Value>, overlay: &Value) -> Value {
    let mut out = match base {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    if let Value::Object(over) = overlay {
        for (k, v) in over {
            let merged = match out.get(k) {
                Some(existing) if is_object_mapping(existing) && is_object_mapping(v) => {
                    let mut o = existing.as_object().cloned().unwrap_or_default();
                    for (pk, pv) in v.as_object().into_iter().flatten() {
                        if pk == "properties" {
                            let p = merge_properties(o.get("properties"), pv);
                            o.insert(pk.clone(), p);
                        } else {
                            o.insert(pk.clone(), pv.clone());
                        }
                    }
                    Value::Object(o)
                }
                _ => v.clone(),
            };
            out.insert(k.clone(), merged);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests;
