//! The mapping, read as the node's type parsers read it (`ObjectMapper.TypeParser`,
//! `RootObjectMapper.TypeParser`, the `ParametrizedFieldMapper` builders of each field type in
//! `server/src/main/java/org/opensearch/index/mapper/`), and written back as `GET _mapping`
//! shows a mapper (parameters at their default are not printed).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::dates::{DateFormatter, DEFAULT_FORMAT, DEFAULT_NANOS_FORMAT};
use super::dynamic::DynamicTemplate;
use super::error::JavaError;
use super::ip;

/// `ObjectMapper.Dynamic` of OpenSearch 2.19 (`false_allow_templates` came in 3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dynamic {
    True,
    False,
    Strict,
    StrictAllowTemplates,
}

impl Dynamic {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Dynamic::True => "true",
            Dynamic::False => "false",
            Dynamic::Strict => "strict",
            Dynamic::StrictAllowTemplates => "strict_allow_templates",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Nested {
    pub(crate) include_in_parent: bool,
    pub(crate) include_in_root: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct ObjectMapper {
    /// `name()`: the full dotted path (`_doc` for the root).
    pub(crate) name: String,
    pub(crate) simple: String,
    pub(crate) enabled: bool,
    pub(crate) dynamic: Option<Dynamic>,
    pub(crate) nested: Option<Nested>,
    pub(crate) children: BTreeMap<String, Mapper>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberType {
    Byte,
    Short,
    Integer,
    Long,
    UnsignedLong,
    HalfFloat,
    Float,
    Double,
}

impl NumberType {
    fn from_name(s: &str) -> Option<NumberType> {
        Some(match s {
            "byte" => NumberType::Byte,
            "short" => NumberType::Short,
            "integer" => NumberType::Integer,
            "long" => NumberType::Long,
            "unsigned_long" => NumberType::UnsignedLong,
            "half_float" => NumberType::HalfFloat,
            "float" => NumberType::Float,
            "double" => NumberType::Double,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub(crate) enum FieldKind {
    Keyword {
        ignore_above: i64,
        null_value: Option<String>,
        indexed: bool,
        doc_values: bool,
    },
    /// `text` and `match_only_text` (analysed: no term can be immense with the standard
    /// analyzer, which splits tokens at 255 characters).
    Text,
    Wildcard {
        ignore_above: i64,
        null_value: Option<String>,
    },
    Number {
        ty: NumberType,
        ignore_malformed: bool,
        coerce: bool,
        null_value: Option<Value>,
    },
    ScaledFloat {
        scaling_factor: f64,
        ignore_malformed: bool,
        coerce: bool,
        null_value: Option<f64>,
    },
    Boolean {
        null_value: Option<bool>,
    },
    /// `date`, and `date_nanos` (`nanos`: nanosecond resolution).
    Date {
        formatter: DateFormatter,
        ignore_malformed: bool,
        null_value: Option<String>,
        nanos: bool,
    },
    Ip {
        ignore_malformed: bool,
        null_value: Option<String>,
    },
    GeoPoint {
        ignore_malformed: bool,
        ignore_z_value: bool,
        null_value: Option<Value>,
    },
    FlatObject,
    /// `constant_keyword`: every value must be the mapping's `value`.
    ConstantKeyword {
        value: String,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct FieldMapper {
    pub(crate) name: String,
    pub(crate) simple: String,
    pub(crate) type_name: String,
    pub(crate) kind: FieldKind,
    pub(crate) multi_fields: BTreeMap<String, FieldMapper>,
    pub(crate) copy_to: Vec<String>,
    /// The mapper as `GET _mapping` prints it.
    pub(crate) json: Value,
}

#[derive(Clone, Debug)]
pub(crate) enum Mapper {
    Object(ObjectMapper),
    Field(FieldMapper),
    Alias { name: String, path: String },
}

impl Mapper {
    pub(crate) fn name(&self) -> &str {
        match self {
            Mapper::Object(o) => &o.name,
            Mapper::Field(f) => &f.name,
            Mapper::Alias { name, .. } => name,
        }
    }

    /// `Mapper.typeName()`.
    pub(crate) fn type_name(&self) -> &str {
        match self {
            Mapper::Object(o) if o.nested.is_some() => "nested",
            Mapper::Object(_) => "object",
            Mapper::Field(f) => &f.type_name,
            Mapper::Alias { .. } => "alias",
        }
    }
}

/// The root object mapper and its root-only parameters (`RootObjectMapper`).
#[derive(Clone, Debug)]
pub(crate) struct Root {
    pub(crate) object: ObjectMapper,
    pub(crate) dynamic_templates: Vec<DynamicTemplate>,
    pub(crate) date_detection: bool,
    pub(crate) numeric_detection: bool,
    pub(crate) dynamic_date_formats: Vec<DateFormatter>,
    /// Every object mapper by full path (`DocumentMapper.objectMappers()`), root excluded.
    pub(crate) object_paths: BTreeMap<String, ObjectMapper>,
    /// Every field mapper by full path, multi-fields and `flat_object` subfields included
    /// (`MappingLookup.getMapper`), with its type name.
    pub(crate) field_paths: BTreeMap<String, String>,
}

/// Index-level defaults the field builders read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BuildDefaults {
    pub(crate) ignore_malformed: bool,
    pub(crate) coerce: bool,
}

/// Types OpenSearch 2.19 has (core and bundled modules) that this engine does not emulate.
const KNOWN_UNSUPPORTED_TYPES: &[&str] = &[
    "binary",
    "completion",
    "geo_shape",
    "integer_range",
    "long_range",
    "float_range",
    "double_range",
    "date_range",
    "ip_range",
    "token_count",
    "rank_feature",
    "rank_features",
    "search_as_you_type",
    "join",
    "percolator",
    "knn_vector",
    "xy_point",
    "xy_shape",
    "annotated_text",
    "murmur3",
    "derived",
    "star_tree",
    "semantic",
    "sparse_vector",
];

fn mapping_error(msg: impl Into<String>) -> JavaError {
    JavaError::mapper_parsing(msg)
}

/// `XContentMapValues.nodeBooleanValue(node, name)`.
fn node_bool(v: &Value, name: &str) -> Result<bool, JavaError> {
    let text = match v {
        Value::Bool(b) => return Ok(*b),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match text.as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(
            JavaError::illegal_argument(format!("Could not convert [{name}] to boolean"))
                .with_cause(JavaError::illegal_argument(format!(
                    "Failed to parse value [{text}] as only [true] or [false] are allowed."
                ))),
        ),
    }
}

/// `XContentMapValues.nodeIntegerValue`.
fn node_int(v: &Value) -> Result<i64, JavaError> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .ok_or_else(|| JavaError::number_format(format!("For input string: \"{n}\""))),
        Value::String(s) => s
            .parse::<i32>()
            .map(i64::from)
            .map_err(|_| JavaError::number_format(format!("For input string: \"{s}\""))),
        other => Err(JavaError::number_format(format!(
            "For input string: \"{other}\""
        ))),
    }
}

fn node_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => super::tokens::java_print(other),
    }
}

/// Parses the `mappings` object of an index.
pub(crate) fn parse_root(mappings: &Value, defaults: BuildDefaults) -> Result<Root, JavaError> {
    parse_root_inner(mappings, defaults).map_err(|e| {
        if e.unsupported {
            e
        } else {
            let msg = format!("Failed to parse mapping [_doc]: {}", e.message);
            mapping_error(msg).with_cause(e)
        }
    })
}

fn parse_root_inner(mappings: &Value, defaults: BuildDefaults) -> Result<Root, JavaError> {
    let empty = Map::new();
    let mut node = match mappings {
        Value::Null => &empty,
        Value::Object(m) => m,
        _ => return Err(mapping_error("Expected map for property [mappings]")),
    };
    // A typed mapping ({"_doc": {...}}) is accepted for the single type.
    if node.len() == 1 {
        if let Some(Value::Object(inner)) = node.get("_doc") {
            node = inner;
        }
    }
    let mut dynamic_templates = Vec::new();
    let mut date_detection = true;
    let mut numeric_detection = false;
    let mut dynamic_date_formats = vec![
        DateFormatter::for_pattern(DEFAULT_FORMAT)?,
        DateFormatter::for_pattern("yyyy/MM/dd HH:mm:ss||yyyy/MM/dd")?,
    ];
    let mut object_node = Map::new();
    let mut remaining = Vec::new();
    for (k, v) in node {
        match k.as_str() {
            "dynamic_templates" => {
                let Value::Array(list) = v else {
                    return Err(mapping_error(
                        "Dynamic template syntax error. An array of named objects is expected.",
                    ));
                };
                for entry in list {
                    let Value::Object(named) = entry else {
                        return Err(mapping_error(
                            "Dynamic template syntax error. An array of named objects is expected.",
                        ));
                    };
                    for (name, body) in named {
                        dynamic_templates.push(DynamicTemplate::parse(name, body)?);
                    }
                }
            }
            "date_detection" => date_detection = node_bool(v, "date_detection")?,
            "numeric_detection" => numeric_detection = node_bool(v, "numeric_detection")?,
            "dynamic_date_formats" => {
                let list: Vec<String> = match v {
                    Value::Array(items) => items.iter().map(node_string).collect(),
                    other => vec![node_string(other)],
                };
                dynamic_date_formats = list
                    .iter()
                    .map(|f| DateFormatter::for_pattern(f))
                    .collect::<Result<_, _>>()?;
            }
            "dynamic" | "enabled" | "properties" => {
                object_node.insert(k.clone(), v.clone());
            }
            // metadata fields' configuration: no effect on accepting a document here
            "_source" | "_meta" | "_routing" | "_field_names" | "_size" => {}
            "_all" | "include_in_all" => {
                return Err(mapping_error(format!(
                    "Root mapping definition has unsupported parameters:  [{k} : {}]",
                    super::tokens::java_print(v)
                )))
            }
            _ => remaining.push(format!("[{k} : {}]", super::tokens::java_print(v))),
        }
    }
    if !remaining.is_empty() {
        return Err(mapping_error(format!(
            "Root mapping definition has unsupported parameters:  {}",
            remaining.join(" ")
        )));
    }
    let object = parse_object("_doc", "_doc", "", &object_node, false, defaults)?;
    let mut root = Root {
        object,
        dynamic_templates,
        date_detection,
        numeric_detection,
        dynamic_date_formats,
        object_paths: BTreeMap::new(),
        field_paths: BTreeMap::new(),
    };
    let mut objects = BTreeMap::new();
    let mut fields = BTreeMap::new();
    collect(&root.object, true, &mut objects, &mut fields);
    // FieldMapper.validate: copy_to targets
    for target in copy_targets(&root.object) {
        if objects.contains_key(&target) {
            return Err(mapping_error(format!(
                "Cannot copy to field [{target}] since it is mapped as an object"
            )));
        }
        if let Some((parent, _)) = target.rsplit_once('.') {
            if fields.contains_key(parent) && fields.contains_key(&target) {
                return Err(mapping_error(format!(
                    "[copy_to] may not be used to copy to a multi-field: [{target}]"
                )));
            }
        }
    }
    // FieldAliasMapper.validate
    for (alias, target) in aliases(&root.object) {
        match fields.get(&target).map(String::as_str) {
            Some("alias") => {
                return Err(mapping_error(format!(
                    "Invalid [path] value [{target}] for field alias [{alias}]: an alias cannot refer to another alias."
                )))
            }
            Some(_) => {}
            None => {
                return Err(mapping_error(format!(
                    "Invalid [path] value [{target}] for field alias [{alias}]: an alias must refer to an existing field in the mappings."
                )))
            }
        }
    }
    root.object_paths = objects;
    root.field_paths = fields;
    Ok(root)
}

fn copy_targets(o: &ObjectMapper) -> Vec<String> {
    let mut out = Vec::new();
    for child in o.children.values() {
        match child {
            Mapper::Object(c) => out.extend(copy_targets(c)),
            Mapper::Field(f) => {
                out.extend(f.copy_to.iter().cloned());
            }
            Mapper::Alias { .. } => {}
        }
    }
    out
}

fn aliases(o: &ObjectMapper) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for child in o.children.values() {
        match child {
            Mapper::Object(c) => out.extend(aliases(c)),
            Mapper::Alias { name, path } => out.push((name.clone(), path.clone())),
            Mapper::Field(_) => {}
        }
    }
    out
}

fn collect(
    o: &ObjectMapper,
    is_root: bool,
    objects: &mut BTreeMap<String, ObjectMapper>,
    fields: &mut BTreeMap<String, String>,
) {
    if !is_root {
        objects.insert(o.name.clone(), o.clone());
    }
    for child in o.children.values() {
        match child {
            Mapper::Object(c) => collect(c, false, objects, fields),
            Mapper::Field(f) => collect_field(f, fields),
            Mapper::Alias { name, .. } => {
                fields.insert(name.clone(), "alias".into());
            }
        }
    }
}

fn collect_field(f: &FieldMapper, fields: &mut BTreeMap<String, String>) {
    // A flat_object is one mapper: since 2.19 (#16297) its `_value` and `_valueAndPath` are field
    // types of the mapper, not subfield mappers, so they do not count towards the field limit.
    fields.insert(f.name.clone(), f.type_name.clone());
    for m in f.multi_fields.values() {
        collect_field(m, fields);
    }
}

/// Counts the mappers as `MappingLookup.checkFieldLimit` does: object mappers (not the root),
/// field mappers (multi-fields and `flat_object` subfields included) and aliases.
pub(crate) fn total_fields(root: &Root) -> usize {
    root.object_paths.len() + root.field_paths.len()
}

fn parse_object(
    name: &str,
    simple: &str,
    parent_path: &str,
    node: &Map<String, Value>,
    nested: bool,
    defaults: BuildDefaults,
) -> Result<ObjectMapper, JavaError> {
    let mut o = ObjectMapper {
        name: name.to_string(),
        simple: simple.to_string(),
        enabled: true,
        dynamic: None,
        nested: if nested {
            Some(Nested {
                include_in_parent: false,
                include_in_root: false,
            })
        } else {
            None
        },
        children: BTreeMap::new(),
    };
    let _ = parent_path;
    let mut remaining = Vec::new();
    for (k, v) in node {
        match k.as_str() {
            "type" => {}
            "dynamic" => {
                let text = node_string(v);
                o.dynamic = Some(if text.eq_ignore_ascii_case("strict") {
                    Dynamic::Strict
                } else if text.eq_ignore_ascii_case("strict_allow_templates") {
                    Dynamic::StrictAllowTemplates
                } else if node_bool(v, "dynamic.dynamic")? {
                    Dynamic::True
                } else {
                    Dynamic::False
                });
            }
            "enabled" => o.enabled = node_bool(v, "enabled.enabled")?,
            "include_in_parent" if nested => {
                if let Some(n) = o.nested.as_mut() {
                    n.include_in_parent = node_bool(v, "include_in_parent")?;
                }
            }
            "include_in_root" if nested => {
                if let Some(n) = o.nested.as_mut() {
                    n.include_in_root = node_bool(v, "include_in_root")?;
                }
            }
            "properties" => match v {
                Value::Object(props) => {
                    for (field, body) in props {
                        let mapper = parse_property(name, field, body, defaults)?;
                        insert_child(&mut o, mapper);
                    }
                }
                Value::Array(a) if a.is_empty() => {}
                _ => return Err(JavaError::parse("properties must be a map type")),
            },
            _ => remaining.push(format!("[{k} : {}]", super::tokens::java_print(v))),
        }
    }
    if !remaining.is_empty() {
        return Err(mapping_error(format!(
            "Mapping definition for [{simple}] has unsupported parameters:  {}",
            remaining.join(" ")
        )));
    }
    Ok(o)
}

/// Adds a parsed property; a dotted property name (`"a.b": {...}`) is an object path, as
/// `ObjectMapper.TypeParser.parseProperties` builds it.
fn insert_child(o: &mut ObjectMapper, mapper: Mapper) {
    let simple = match &mapper {
        Mapper::Object(x) => x.simple.clone(),
        Mapper::Field(f) => f.simple.clone(),
        Mapper::Alias { name, .. } => name.rsplit('.').next().unwrap_or(name).to_string(),
    };
    match (o.children.get_mut(&simple), mapper) {
        (Some(Mapper::Object(existing)), Mapper::Object(new)) => {
            for (_, child) in new.children {
                insert_child(existing, child);
            }
        }
        (_, mapper) => {
            o.children.insert(simple, mapper);
        }
    }
}

fn child_name(parent: &str, simple: &str) -> String {
    if parent == "_doc" {
        simple.to_string()
    } else {
        format!("{parent}.{simple}")
    }
}

/// One entry of `properties`.
pub(crate) fn parse_property(
    parent: &str,
    field: &str,
    body: &Value,
    defaults: BuildDefaults,
) -> Result<Mapper, JavaError> {
    let Value::Object(node) = body else {
        return Err(mapping_error(format!(
            "Expected map for property [fields] on field [{field}] but got a class java.lang.String"
        )));
    };
    if field.contains('.') {
        // "a.b": {...} is {"a": {"properties": {"b": {...}}}}
        let (first, rest) = field.split_once('.').unwrap_or((field, ""));
        let name = child_name(parent, first);
        let mut o = ObjectMapper {
            name: name.clone(),
            simple: first.to_string(),
            enabled: true,
            dynamic: None,
            nested: None,
            children: BTreeMap::new(),
        };
        let inner = parse_property(&name, rest, body, defaults)?;
        insert_child(&mut o, inner);
        return Ok(Mapper::Object(o));
    }
    let name = child_name(parent, field);
    let type_name = match node.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        Some(other) => {
            return Err(mapping_error(format!(
                "No handler for type [{}] declared on field [{field}]",
                node_string(other)
            )))
        }
        None => None,
    };
    match type_name {
        None | Some("object") => Ok(Mapper::Object(parse_object(
            &name, field, parent, node, false, defaults,
        )?)),
        Some("nested") => Ok(Mapper::Object(parse_object(
            &name, field, parent, node, true, defaults,
        )?)),
        Some("alias") => {
            let path = node.get("path").map(node_string).ok_or_else(|| {
                mapping_error(format!(
                    "The [path] property must be specified for field [{field}]."
                ))
            })?;
            Ok(Mapper::Alias { name, path })
        }
        Some(t) => Ok(Mapper::Field(parse_field(&name, field, t, node, defaults)?)),
    }
}

/// Parameters accepted and not modelled, because they change how a value is searched or stored,
/// not whether the document is accepted.
fn passive(type_name: &str, p: &str) -> bool {
    let common = matches!(p, "index" | "doc_values" | "store" | "boost" | "meta");
    common
        || match type_name {
            "keyword" => matches!(
                p,
                "similarity"
                    | "eager_global_ordinals"
                    | "norms"
                    | "index_options"
                    | "split_queries_on_whitespace"
            ),
            "text" | "match_only_text" => matches!(
                p,
                "search_analyzer"
                    | "search_quote_analyzer"
                    | "similarity"
                    | "norms"
                    | "index_options"
                    | "fielddata"
                    | "fielddata_frequency_filter"
                    | "eager_global_ordinals"
                    | "position_increment_gap"
                    | "term_vector"
                    | "index_phrases"
                    | "index_prefixes"
            ),
            _ => false,
        }
}

pub(crate) fn parse_field(
    name: &str,
    simple: &str,
    type_name: &str,
    node: &Map<String, Value>,
    defaults: BuildDefaults,
) -> Result<FieldMapper, JavaError> {
    if KNOWN_UNSUPPORTED_TYPES.contains(&type_name) {
        return Err(JavaError::unsupported(format!(
            "field type [{type_name}] (field [{name}])"
        )));
    }
    let number = NumberType::from_name(type_name);
    let known = number.is_some()
        || matches!(
            type_name,
            "keyword"
                | "text"
                | "match_only_text"
                | "wildcard"
                | "scaled_float"
                | "boolean"
                | "date"
                | "date_nanos"
                | "ip"
                | "geo_point"
                | "flat_object"
                | "constant_keyword"
        );
    if !known {
        return Err(mapping_error(format!(
            "No handler for type [{type_name}] declared on field [{simple}]"
        )));
    }
    let mut out = Map::new();
    out.insert("type".into(), Value::String(type_name.to_string()));
    let mut ignore_above = i64::from(i32::MAX);
    let mut null_value: Option<Value> = None;
    let mut ignore_malformed = defaults.ignore_malformed;
    let mut coerce = defaults.coerce;
    let mut ignore_z_value = true;
    let mut indexed = true;
    let mut doc_values = true;
    let mut format: Option<String> = None;
    let mut scaling_factor: Option<f64> = None;
    let mut constant: Option<String> = None;
    let mut multi_fields = BTreeMap::new();
    let mut copy_to = Vec::new();
    for (k, v) in node {
        let k = k.as_str();
        match k {
            "type" => {}
            "fields" if type_name != "flat_object" => {
                let Value::Object(subs) = v else {
                    return Err(mapping_error(format!(
                        "Expected map for property [fields] on field [{simple}] but got a {}",
                        super::tokens::java_print(v)
                    )));
                };
                let mut subs_json = Map::new();
                for (sub, body) in subs {
                    let Value::Object(sub_node) = body else {
                        return Err(mapping_error(format!(
                            "Expected map for property [fields] on field [{sub}] but got a class java.lang.String"
                        )));
                    };
                    let sub_type = match sub_node.get("type") {
                        Some(Value::String(t)) => t.clone(),
                        _ => {
                            return Err(mapping_error(format!(
                                "No type specified for field [{sub}]"
                            )))
                        }
                    };
                    if matches!(sub_type.as_str(), "object" | "nested") {
                        return Err(mapping_error(format!(
                            "Type [{sub_type}] cannot be used in multi field"
                        )));
                    }
                    let m =
                        parse_field(&format!("{name}.{sub}"), sub, &sub_type, sub_node, defaults)?;
                    subs_json.insert(sub.clone(), m.json.clone());
                    multi_fields.insert(sub.clone(), m);
                }
                out.insert("fields".into(), Value::Object(subs_json));
            }
            "copy_to" => {
                copy_to = match v {
                    Value::Array(a) => a.iter().map(node_string).collect(),
                    other => vec![node_string(other)],
                };
                out.insert("copy_to".into(), json!(copy_to));
            }
            "ignore_above" if matches!(type_name, "keyword" | "wildcard") => {
                ignore_above = node_int(v)?;
                if ignore_above < 0 {
                    return Err(mapping_error(format!(
                        "[ignore_above] must be positive, got [{ignore_above}]"
                    )));
                }
                if ignore_above != i64::from(i32::MAX) {
                    out.insert("ignore_above".into(), json!(ignore_above));
                }
            }
            "null_value" if !matches!(type_name, "text" | "match_only_text" | "flat_object") => {
                if !v.is_null() {
                    null_value = Some(v.clone());
                    out.insert("null_value".into(), v.clone());
                }
            }
            "ignore_malformed"
                if number.is_some()
                    || matches!(
                        type_name,
                        "scaled_float" | "date" | "date_nanos" | "ip" | "geo_point"
                    ) =>
            {
                ignore_malformed = node_bool(v, "ignore_malformed")?;
                out.insert("ignore_malformed".into(), json!(ignore_malformed));
            }
            "coerce" if number.is_some() || type_name == "scaled_float" => {
                coerce = node_bool(v, "coerce")?;
                out.insert("coerce".into(), json!(coerce));
            }
            "ignore_z_value" if type_name == "geo_point" => {
                ignore_z_value = node_bool(v, "ignore_z_value")?;
                out.insert("ignore_z_value".into(), json!(ignore_z_value));
            }
            "format" if matches!(type_name, "date" | "date_nanos") => {
                let f = node_string(v);
                let default = if type_name == "date" {
                    DEFAULT_FORMAT
                } else {
                    DEFAULT_NANOS_FORMAT
                };
                if f != default {
                    out.insert("format".into(), json!(f));
                }
                format = Some(f);
            }
            "locale" if matches!(type_name, "date" | "date_nanos") => {
                let l = node_string(v);
                if !l.is_empty() && l != "ROOT" && l != "root" {
                    return Err(JavaError::unsupported(format!(
                        "date field locale [{l}] (field [{name}])"
                    )));
                }
            }
            "scaling_factor" if type_name == "scaled_float" => {
                let f = match v {
                    Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
                    Value::String(s) => s.parse().unwrap_or(f64::NAN),
                    _ => f64::NAN,
                };
                scaling_factor = Some(f);
                out.insert("scaling_factor".into(), v.clone());
            }
            "value" if type_name == "constant_keyword" => {
                let v = node_string(v);
                out.insert("value".into(), json!(v));
                constant = Some(v);
            }
            "analyzer" if matches!(type_name, "text" | "match_only_text") => {
                let a = node_string(v);
                if a != "standard" && a != "default" {
                    return Err(JavaError::unsupported(format!(
                        "analyzer [{a}] (field [{name}])"
                    )));
                }
                out.insert("analyzer".into(), v.clone());
            }
            "normalizer" if matches!(type_name, "keyword" | "wildcard" | "flat_object") => {
                if !v.is_null() {
                    return Err(JavaError::unsupported(format!(
                        "normalizer (field [{name}])"
                    )));
                }
            }
            _ if passive(type_name, k) => {
                if k == "index" {
                    indexed = node_bool(v, "index")?;
                    if !indexed {
                        out.insert("index".into(), json!(false));
                    }
                } else if k == "doc_values" {
                    doc_values = node_bool(v, "doc_values")?;
                    if !doc_values {
                        out.insert("doc_values".into(), json!(false));
                    }
                } else {
                    out.insert(k.to_string(), v.clone());
                }
            }
            _ if type_name == "flat_object" => {
                return Err(JavaError::unsupported(format!(
                    "parameter [{k}] of field type [flat_object] (field [{name}])"
                )))
            }
            _ if type_name == "geo_point" => {
                return Err(mapping_error(format!(
                    "Mapping definition for [{simple}] has unsupported parameters:  [{k} : {}]",
                    super::tokens::java_print(v)
                )))
            }
            _ => {
                return Err(mapping_error(format!(
                    "unknown parameter [{k}] on mapper [{simple}] of type [{type_name}]"
                )))
            }
        }
    }
    let kind = match type_name {
        "keyword" => FieldKind::Keyword {
            ignore_above,
            null_value: null_value.as_ref().map(node_string),
            indexed,
            doc_values,
        },
        "text" | "match_only_text" => FieldKind::Text,
        "wildcard" => FieldKind::Wildcard {
            ignore_above,
            null_value: null_value.as_ref().map(node_string),
        },
        "scaled_float" => {
            let Some(f) = scaling_factor else {
                return Err(mapping_error("Field [scaling_factor] is required"));
            };
            if !f.is_finite() || f <= 0.0 {
                return Err(JavaError::illegal_argument(format!(
                    "[scaling_factor] must be a positive number, got [{f}]"
                )));
            }
            FieldKind::ScaledFloat {
                scaling_factor: f,
                ignore_malformed,
                coerce,
                null_value: null_value.as_ref().and_then(|v| match v {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                }),
            }
        }
        "boolean" => FieldKind::Boolean {
            null_value: match &null_value {
                None => None,
                Some(v) => Some(node_bool(v, "null_value")?),
            },
        },
        "date" | "date_nanos" => {
            let nanos = type_name == "date_nanos";
            let default = if nanos {
                DEFAULT_NANOS_FORMAT
            } else {
                DEFAULT_FORMAT
            };
            let f = format.unwrap_or_else(|| default.to_string());
            let formatter = DateFormatter::for_pattern(&f)?;
            FieldKind::Date {
                formatter,
                ignore_malformed,
                null_value: null_value.as_ref().map(node_string),
                nanos,
            }
        }
        "ip" => {
            if let Some(v) = &null_value {
                ip::for_string(&node_string(v))?;
            }
            FieldKind::Ip {
                ignore_malformed,
                null_value: null_value.as_ref().map(node_string),
            }
        }
        "geo_point" => FieldKind::GeoPoint {
            ignore_malformed,
            ignore_z_value,
            null_value,
        },
        "flat_object" => FieldKind::FlatObject,
        "constant_keyword" => match constant {
            Some(value) => FieldKind::ConstantKeyword { value },
            None => {
                return Err(JavaError::unsupported(format!(
                    "a [constant_keyword] field without [value] (field [{name}])"
                )))
            }
        },
        t => {
            let ty = NumberType::from_name(t).ok_or_else(|| {
                mapping_error(format!(
                    "No handler for type [{t}] declared on field [{simple}]"
                ))
            })?;
            FieldKind::Number {
                ty,
                ignore_malformed,
                coerce,
                null_value,
            }
        }
    };
    Ok(FieldMapper {
        name: name.to_string(),
        simple: simple.to_string(),
        type_name: type_name.to_string(),
        kind,
        multi_fields,
        copy_to,
        json: Value::Object(out),
    })
}

impl ObjectMapper {
    /// `ObjectMapper.toXContent` of a dynamically created object: its type only when it has no
    /// properties, `dynamic` when set.
    pub(crate) fn json(&self) -> Value {
        let mut m = Map::new();
        if self.nested.is_some() {
            m.insert("type".into(), json!("nested"));
        } else if self.children.is_empty() {
            m.insert("type".into(), json!("object"));
        }
        if let Some(d) = self.dynamic {
            m.insert("dynamic".into(), json!(d.name()));
        }
        if !self.enabled {
            m.insert("enabled".into(), json!(false));
        }
        Value::Object(m)
    }
}
