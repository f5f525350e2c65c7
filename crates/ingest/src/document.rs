//! The document a pipeline runs on, as `server/src/main/java/org/opensearch/ingest/IngestDocument.java`.
//!
//! `sourceAndMetadata` is one `HashMap` holding the source's fields and the metadata fields
//! (`_index`, `_id`, `_routing`, `_version`, `_version_type`, `_if_seq_no`,
//! `_if_primary_term`); it is also the Painless `ctx` of script processors. The ingest metadata
//! (`_ingest`: `timestamp`, the `on_failure_*` fields, `_value` in `foreach`, `pipeline`) is a
//! separate map, reached through paths starting `_ingest.`; a path starting `_source.` reaches
//! the source map. Paths are split on dots (Java's `String.split("\\.")`, so trailing empty
//! segments vanish) and resolved as `FieldPath`/`resolve` do, with their error messages.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use painless::value::{JList, JMap, JavaObject, ListKind, MapKind};
use painless::Value;

use crate::error::IngestError;
use crate::template::{Template, TemplateModel};

/// `IngestDocument.Metadata`: the metadata fields, in the enum's order.
pub const METADATA_FIELDS: [&str; 7] = [
    "_index",
    "_id",
    "_routing",
    "_version",
    "_version_type",
    "_if_seq_no",
    "_if_primary_term",
];

/// One document being ingested.
#[derive(Clone, Debug)]
pub struct IngestDocument {
    source_and_metadata: Value,
    ingest_metadata: Value,
    /// `executedPipelines` (a `LinkedHashSet`): the pipelines running for this document, outermost
    /// first; a pipeline already in it is a cycle.
    executed_pipelines: Vec<String>,
}

/// Metadata of an index request, as `IngestDocument`'s constructor takes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocumentMetadata {
    pub index: String,
    pub id: Option<String>,
    pub routing: Option<String>,
    pub version: Option<i64>,
    /// `VersionType.toString`: `internal`, `external`, `external_gte`.
    pub version_type: Option<String>,
    pub if_seq_no: Option<i64>,
    pub if_primary_term: Option<i64>,
}

impl IngestDocument {
    /// `new IngestDocument(index, id, routing, version, versionType, source)`: the source's
    /// fields, then `_index` and `_id` (even when null), `_routing`, `_version`,
    /// `_version_type` when given; `_ingest.timestamp` set to `timestamp`. (`IngestService`
    /// adds `_if_seq_no` and `_if_primary_term` when the request has them.)
    pub fn new(
        metadata: &DocumentMetadata,
        source: &Value,
        timestamp: Timestamp,
    ) -> IngestDocument {
        let mut map = match source {
            Value::Map(m) => JMap::copy_of(MapKind::Hash, &m.borrow()),
            _ => JMap::new(MapKind::Hash),
        };
        map.insert_str("_index", Value::string(metadata.index.as_str()));
        map.insert_str(
            "_id",
            metadata.id.as_deref().map_or(Value::Null, Value::string),
        );
        if let Some(r) = &metadata.routing {
            map.insert_str("_routing", Value::string(r.as_str()));
        }
        if let Some(v) = metadata.version {
            map.insert_str("_version", Value::Long(v));
        }
        if let Some(t) = &metadata.version_type {
            map.insert_str("_version_type", Value::string(t.as_str()));
        }
        if let Some(s) = metadata.if_seq_no {
            map.insert_str("_if_seq_no", Value::Long(s));
        }
        if let Some(t) = metadata.if_primary_term {
            map.insert_str("_if_primary_term", Value::Long(t));
        }
        let mut ingest = JMap::new(MapKind::Hash);
        ingest.insert_str("timestamp", timestamp.to_value());
        IngestDocument {
            source_and_metadata: Value::map_from(map),
            ingest_metadata: Value::map_from(ingest),
            executed_pipelines: Vec::new(),
        }
    }

    /// `new IngestDocument(sourceAndMetadata, ingestMetadata)` (both must be maps).
    pub fn from_parts(source_and_metadata: Value, ingest_metadata: Value) -> IngestDocument {
        IngestDocument {
            source_and_metadata,
            ingest_metadata,
            executed_pipelines: Vec::new(),
        }
    }

    /// A document from JSON source only (index `_index`, no id): for tests.
    pub fn from_json_source(source: &serde_json::Value, timestamp: Timestamp) -> IngestDocument {
        let metadata = DocumentMetadata {
            index: "_index".into(),
            id: Some("_id".into()),
            ..DocumentMetadata::default()
        };
        IngestDocument::new(&metadata, &painless::value::from_json(source), timestamp)
    }

    /// The `ctx` map: source and metadata fields.
    pub fn source_and_metadata(&self) -> &Value {
        &self.source_and_metadata
    }

    /// The `_ingest` map.
    pub fn ingest_metadata(&self) -> &Value {
        &self.ingest_metadata
    }

    /// The copy constructor: deep copies of both maps (the pipeline stack is not copied).
    pub fn deep_copy(&self) -> IngestDocument {
        IngestDocument {
            source_and_metadata: self.source_and_metadata.deep_copy(),
            ingest_metadata: self.ingest_metadata.deep_copy(),
            executed_pipelines: Vec::new(),
        }
    }

    /// `getFieldValue(path, Object.class)`: the value (possibly null), or the error of the first
    /// segment that cannot be resolved.
    pub fn field(&self, path: &str) -> Result<Value, IngestError> {
        let (mut context, elements) = self.field_path(path)?;
        for element in &elements {
            context = resolve(element, path, &context)?;
        }
        Ok(context)
    }

    /// `getFieldValue(path, Object.class, ignoreMissing)`: `Ok(None)` when the path does not
    /// resolve and `ignore_missing` is set and `hasField(path)` is false; otherwise as
    /// [`IngestDocument::field`] (`Ok(Some(Value::Null))` for a field that holds null).
    pub fn field_opt(
        &self,
        path: &str,
        ignore_missing: bool,
    ) -> Result<Option<Value>, IngestError> {
        match self.field(path) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                if ignore_missing && !self.has_field(path) {
                    Ok(None)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// `getFieldValue(path, String.class)`: a string, null, or "field [path] of type [X] cannot
    /// be cast to [java.lang.String]".
    pub fn field_string(&self, path: &str) -> Result<Option<Rc<str>>, IngestError> {
        let v = self.field(path)?;
        cast_string(path, &v)
    }

    /// `hasField(path)`.
    pub fn has_field(&self, path: &str) -> bool {
        self.has_field_checked(path, false).unwrap_or(false)
    }

    /// `hasField(path, failOutOfRange)`: with `fail_out_of_range`, an index beyond a list is the
    /// error "[i] is out of bounds for array with length [n] as part of path [p]". An invalid
    /// path is an error either way.
    pub fn has_field_checked(
        &self,
        path: &str,
        fail_out_of_range: bool,
    ) -> Result<bool, IngestError> {
        let (mut context, elements) = self.field_path(path)?;
        let Some((leaf, parents)) = elements.split_last() else {
            return Err(empty_elements(path));
        };
        for element in parents {
            let next = match &context {
                Value::Null => return Ok(false),
                Value::Map(m) => m.borrow().get_str(element).cloned().unwrap_or(Value::Null),
                Value::List(l) => {
                    let l = l.borrow();
                    let Some(index) = crate::config::parse_java_int(element) else {
                        return Ok(false);
                    };
                    if index < 0 || index as usize >= l.items.len() {
                        if fail_out_of_range {
                            return Err(out_of_bounds(index, l.items.len(), path));
                        }
                        return Ok(false);
                    }
                    l.items[index as usize].clone()
                }
                _ => return Ok(false),
            };
            context = next;
        }
        match &context {
            Value::Map(m) => Ok(m.borrow().contains_key(&Value::string(*leaf))),
            Value::List(l) => {
                let len = l.borrow().items.len();
                let Some(index) = crate::config::parse_java_int(leaf) else {
                    return Ok(false);
                };
                if index >= 0 && (index as usize) < len {
                    Ok(true)
                } else if fail_out_of_range {
                    Err(out_of_bounds(index, len, path))
                } else {
                    Ok(false)
                }
            }
            _ => Ok(false),
        }
    }

    /// `setFieldValue(path, value)`: missing intermediate maps are created; the last segment
    /// replaces a map entry or a list item.
    pub fn set_field(&mut self, path: &str, value: Value) -> Result<(), IngestError> {
        self.set_field_inner(path, value, false, true)
    }

    /// `appendFieldValue(path, value, allowDuplicates)`: a list value appends its items; an
    /// existing scalar becomes a list; without duplicates, items already present are skipped
    /// (and a scalar stays a scalar when nothing was added).
    pub fn append_field(
        &mut self,
        path: &str,
        value: Value,
        allow_duplicates: bool,
    ) -> Result<(), IngestError> {
        self.set_field_inner(path, value, true, allow_duplicates)
    }

    fn set_field_inner(
        &mut self,
        path: &str,
        value: Value,
        append: bool,
        allow_duplicates: bool,
    ) -> Result<(), IngestError> {
        let (mut context, elements) = self.field_path(path)?;
        let Some((leaf, parents)) = elements.split_last() else {
            return Err(empty_elements(path));
        };
        for element in parents {
            let next = match &context {
                Value::Null => {
                    return Err(IngestError::illegal_argument(format!(
                        "cannot resolve [{element}] from null as part of path [{path}]"
                    )))
                }
                Value::Map(m) => {
                    let existing = m.borrow().get_str(element).cloned();
                    match existing {
                        Some(v) => v,
                        None => {
                            let new_map = Value::new_map();
                            insert_checked(m, element, new_map.clone())?;
                            new_map
                        }
                    }
                }
                Value::List(l) => {
                    let l = l.borrow();
                    let index = list_index(element, path)?;
                    if index < 0 || index as usize >= l.items.len() {
                        return Err(out_of_bounds(index, l.items.len(), path));
                    }
                    l.items[index as usize].clone()
                }
                other => {
                    return Err(IngestError::illegal_argument(format!(
                    "cannot resolve [{element}] from object of type [{}] as part of path [{path}]",
                    class_of(other)
                )))
                }
            };
            context = next;
        }
        match &context {
            Value::Null => Err(IngestError::illegal_argument(format!(
                "cannot set [{leaf}] with null parent as part of path [{path}]"
            ))),
            Value::Map(m) => {
                if append {
                    let existing = m.borrow().get_str(leaf).cloned();
                    match existing {
                        Some(object) => {
                            let list = append_values(&object, value, allow_duplicates)?;
                            if !list.identical(&object) {
                                insert_checked(m, leaf, list)?;
                            }
                        }
                        None => {
                            let list = Value::new_list();
                            push_all(&list, value)?;
                            insert_checked(m, leaf, list)?;
                        }
                    }
                    return Ok(());
                }
                insert_checked(m, leaf, value)
            }
            Value::List(l) => {
                let index = list_index(leaf, path)?;
                let len = l.borrow().items.len();
                if index < 0 || index as usize >= len {
                    return Err(out_of_bounds(index, len, path));
                }
                let index = index as usize;
                if append {
                    let object = l.borrow().items[index].clone();
                    let new_list = append_values(&object, value, allow_duplicates)?;
                    if !new_list.identical(&object) {
                        set_item_checked(l, index, new_list)?;
                    }
                    return Ok(());
                }
                set_item_checked(l, index, value)
            }
            other => Err(IngestError::illegal_argument(format!(
                "cannot set [{leaf}] with parent object of type [{}] as part of path [{path}]",
                class_of(other)
            ))),
        }
    }

    /// `removeField(path)`: "field [x] not present as part of path [p]" when absent.
    pub fn remove_field(&mut self, path: &str) -> Result<(), IngestError> {
        let (mut context, elements) = self.field_path(path)?;
        let Some((leaf, parents)) = elements.split_last() else {
            return Err(empty_elements(path));
        };
        for element in parents {
            context = resolve(element, path, &context)?;
        }
        match &context {
            Value::Map(m) => {
                let key = Value::string(*leaf);
                if m.borrow().contains_key(&key) {
                    if !m.borrow().is_mutable() {
                        return Err(unmodifiable());
                    }
                    m.borrow_mut().remove(&key);
                    return Ok(());
                }
                Err(IngestError::illegal_argument(format!(
                    "field [{leaf}] not present as part of path [{path}]"
                )))
            }
            Value::List(l) => {
                let index = list_index(leaf, path)?;
                let len = l.borrow().items.len();
                if index < 0 || index as usize >= len {
                    return Err(out_of_bounds(index, len, path));
                }
                if !l.borrow().is_mutable() {
                    return Err(unmodifiable());
                }
                l.borrow_mut().items.remove(index as usize);
                Ok(())
            }
            Value::Null => Err(IngestError::illegal_argument(format!(
                "cannot remove [{leaf}] from null as part of path [{path}]"
            ))),
            other => Err(IngestError::illegal_argument(format!(
                "cannot remove [{leaf}] from object of type [{}] as part of path [{path}]",
                class_of(other)
            ))),
        }
    }

    /// `renderTemplate`: the template against the model `IngestDocument.createTemplateModel`
    /// builds (the source and metadata fields, `_source` for the whole map, `_ingest` for the
    /// ingest metadata, which hides a source field named `_ingest`).
    pub fn render(&self, template: &Template) -> Result<String, IngestError> {
        if !template.is_template() {
            return Ok(template.source().to_string());
        }
        template.render(&DocumentModel(self))
    }

    /// The template model of this document (for [`crate::value_source::ValueSource`]).
    pub fn template_model(&self) -> impl TemplateModel + '_ {
        DocumentModel(self)
    }

    /// Resolves a path to its starting map and its segments (`FieldPath`).
    fn field_path<'p>(&self, path: &'p str) -> Result<(Value, Vec<&'p str>), IngestError> {
        if path.is_empty() {
            return Err(IngestError::illegal_argument(
                "path cannot be null nor empty",
            ));
        }
        let (context, rest) = if let Some(rest) = path.strip_prefix("_ingest.") {
            (self.ingest_metadata.clone(), rest)
        } else if let Some(rest) = path.strip_prefix("_source.") {
            (self.source_and_metadata.clone(), rest)
        } else {
            (self.source_and_metadata.clone(), path)
        };
        let elements = java_split_dots_ref(rest);
        if elements.len() == 1 && elements[0].is_empty() {
            return Err(IngestError::illegal_argument(format!(
                "path [{path}] is not valid"
            )));
        }
        Ok((context, elements))
    }

    /// A metadata field's value (`_index`, `_id`, ...), `Null` when absent.
    pub fn metadata(&self, field: &str) -> Value {
        map_get(&self.source_and_metadata, field)
    }

    /// `extractMetadata`: removes the metadata fields from the map and returns them, in
    /// [`METADATA_FIELDS`] order.
    pub fn extract_metadata(&mut self) -> Vec<(&'static str, Value)> {
        let Value::Map(m) = &self.source_and_metadata else {
            return Vec::new();
        };
        let mut m = m.borrow_mut();
        METADATA_FIELDS
            .iter()
            .map(|f| (*f, m.remove_str(f).unwrap_or(Value::Null)))
            .collect()
    }

    /// An ingest metadata field (`_ingest.<name>`), `Null` when absent.
    pub fn ingest_field(&self, name: &str) -> Value {
        map_get(&self.ingest_metadata, name)
    }

    /// An ingest metadata field, `None` when the key is absent.
    pub fn ingest_field_opt(&self, name: &str) -> Option<Value> {
        match &self.ingest_metadata {
            Value::Map(m) => m.borrow().get_str(name).cloned(),
            _ => None,
        }
    }

    /// Sets an ingest metadata field.
    pub fn set_ingest_field(&mut self, name: &str, value: Value) {
        if let Value::Map(m) = &self.ingest_metadata {
            m.borrow_mut().insert_str(name, value);
        }
    }

    pub fn remove_ingest_field(&mut self, name: &str) -> Option<Value> {
        match &self.ingest_metadata {
            Value::Map(m) => m.borrow_mut().remove_str(name),
            _ => None,
        }
    }

    /// The start of `executePipeline`: `false` (a cycle) when the pipeline already runs for
    /// this document; otherwise records it and sets `_ingest.pipeline`, returning the previous
    /// `_ingest.pipeline` value to restore with [`IngestDocument::leave_pipeline`].
    pub fn enter_pipeline(&mut self, id: &str) -> Option<Option<Value>> {
        if self.executed_pipelines.iter().any(|p| p == id) {
            return None;
        }
        self.executed_pipelines.push(id.to_string());
        let previous = match &self.ingest_metadata {
            Value::Map(m) => m.borrow_mut().insert_str("pipeline", Value::string(id)),
            _ => None,
        };
        Some(previous)
    }

    /// The end of `executePipeline`.
    pub fn leave_pipeline(&mut self, id: &str, previous: Option<Value>) {
        self.executed_pipelines.retain(|p| p != id);
        match previous {
            Some(v) => self.set_ingest_field("pipeline", v),
            None => {
                self.remove_ingest_field("pipeline");
            }
        }
    }

    /// `getPipelineStack`: the running pipelines, innermost first.
    pub fn pipeline_stack(&self) -> Vec<String> {
        self.executed_pipelines.iter().rev().cloned().collect()
    }

    /// The document as `WriteableIngestDocument.toXContent` writes it in a simulate answer:
    /// `{"doc": {"_index", "_id", "_routing", "_version", "_version_type", "_if_seq_no",
    /// "_if_primary_term" (the non-null ones), "_source": {...}, "_ingest": {...}}}`.
    pub fn to_simulate_json(&self) -> Result<serde_json::Value, IngestError> {
        for map in [&self.source_and_metadata, &self.ingest_metadata] {
            if crate::template::self_referencing(map, &mut Vec::new()) {
                return Err(IngestError::illegal_argument(
                    "Iterable object is self-referencing itself",
                ));
            }
        }
        let copy = self.deep_copy();
        let mut out = serde_json::Map::new();
        let source = copy.source_and_metadata.clone();
        if let Value::Map(m) = &source {
            let mut m = m.borrow_mut();
            // WriteableIngestDocument writes each non-null metadata value's toString().
            for field in METADATA_FIELDS {
                if let Some(v) = m.remove_str(field) {
                    if !v.is_null() {
                        out.insert(field.to_string(), v.java_to_string().into());
                    }
                }
            }
        }
        out.insert("_source".into(), to_json(&source)?);
        out.insert("_ingest".into(), to_json(&copy.ingest_metadata)?);
        Ok(serde_json::Value::Object(out))
    }
}

/// A value as JSON, as `XContentBuilder` writes a document (`indexRequest.source(map)`, and
/// `WriteableIngestDocument`): a value of a class it has no writer for (`Character`, a `char[]`,
/// an object without a document form) is "cannot write xcontent for unknown value of type
/// class X" (`XContentBuilder.unknownValue`), an `IllegalArgumentException`.
pub fn to_json(v: &Value) -> Result<serde_json::Value, IngestError> {
    check_writable(v, &mut Vec::new())?;
    painless::value::to_json(v).map_err(|e| IngestError::illegal_argument(e.to_string()))
}

/// One pass over the value for what XContentBuilder refuses: a collection containing itself
/// (`ensureNoSelfReferences`: "Iterable object is self-referencing itself") and values of a
/// class it has no writer for.
fn check_writable(v: &Value, path: &mut Vec<*const ()>) -> Result<(), IngestError> {
    let unknown = |class: &str| {
        IngestError::illegal_argument(format!(
            "cannot write xcontent for unknown value of type class {class}"
        ))
    };
    let (ptr, children): (*const (), Vec<Value>) = match v {
        Value::Char(_) => return Err(unknown("java.lang.Character")),
        Value::List(l) => (Rc::as_ptr(l) as *const (), l.borrow().items.clone()),
        Value::Set(s) => (Rc::as_ptr(s) as *const (), s.borrow().iter().collect()),
        Value::Map(m) => (Rc::as_ptr(m) as *const (), m.borrow().values()),
        Value::Array(a) => {
            if a.borrow().descriptor() == "C" {
                return Err(unknown("[C"));
            }
            (Rc::as_ptr(a) as *const (), a.borrow().items.clone())
        }
        _ => return Ok(()),
    };
    if path.contains(&ptr) {
        return Err(IngestError::illegal_argument(
            "Iterable object is self-referencing itself",
        ));
    }
    path.push(ptr);
    for child in &children {
        check_writable(child, path)?;
    }
    path.pop();
    Ok(())
}

/// `createTemplateModel`, read lazily.
struct DocumentModel<'a>(&'a IngestDocument);

impl TemplateModel for DocumentModel<'_> {
    fn lookup(&self, name: &str) -> Option<Value> {
        match name {
            "_ingest" => Some(self.0.ingest_metadata.clone()),
            "_source" => Some(self.0.source_and_metadata.clone()),
            _ => match &self.0.source_and_metadata {
                Value::Map(m) => m.borrow().get_str(name).cloned(),
                _ => None,
            },
        }
    }
}

fn map_get(map: &Value, key: &str) -> Value {
    match map {
        Value::Map(m) => m.borrow().get_str(key).cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// `resolve(pathElement, fullPath, context)`.
fn resolve(element: &str, path: &str, context: &Value) -> Result<Value, IngestError> {
    match context {
        Value::Null => Err(IngestError::illegal_argument(format!(
            "cannot resolve [{element}] from null as part of path [{path}]"
        ))),
        Value::Map(m) => {
            let m = m.borrow();
            match m.get_str(element) {
                Some(v) => Ok(v.clone()),
                None => Err(IngestError::illegal_argument(format!(
                    "field [{element}] not present as part of path [{path}]"
                ))),
            }
        }
        Value::List(l) => {
            let index = list_index(element, path)?;
            let l = l.borrow();
            if index < 0 || index as usize >= l.items.len() {
                return Err(out_of_bounds(index, l.items.len(), path));
            }
            Ok(l.items[index as usize].clone())
        }
        other => Err(IngestError::illegal_argument(format!(
            "cannot resolve [{element}] from object of type [{}] as part of path [{path}]",
            class_of(other)
        ))),
    }
}

/// `Integer.parseInt(element)` for a list index, with the error of a non-integer.
fn list_index(element: &str, path: &str) -> Result<i32, IngestError> {
    crate::config::parse_java_int(element).ok_or_else(|| {
        IngestError::illegal_argument(format!(
            "[{element}] is not an integer, cannot be used as an index as part of path [{path}]"
        ))
        .with_cause(number_format(element))
    })
}

/// `NumberFormatException.forInputString`.
pub fn number_format(input: &str) -> IngestError {
    IngestError::new(
        "number_format_exception",
        format!("For input string: \"{input}\""),
    )
    .with_status(400)
}

fn out_of_bounds(index: i32, len: usize, path: &str) -> IngestError {
    IngestError::illegal_argument(format!(
        "[{index}] is out of bounds for array with length [{len}] as part of path [{path}]"
    ))
}

/// What `FieldPath` leaves for a path of dots only (Java's split gives no element; upstream
/// then fails with an `ArrayIndexOutOfBoundsException`).
fn empty_elements(path: &str) -> IngestError {
    IngestError::new(
        "array_index_out_of_bounds_exception",
        "Index -1 out of bounds for length 0",
    )
    .with_cause(IngestError::illegal_argument(format!(
        "path [{path}] has no field names"
    )))
}

/// `UnsupportedOperationException` from an unmodifiable collection (no message).
fn unmodifiable() -> IngestError {
    let mut e = IngestError::new("unsupported_operation_exception", "");
    e.reason = None;
    e
}

fn insert_checked(m: &painless::value::MapRef, key: &str, value: Value) -> Result<(), IngestError> {
    if !m.borrow().is_mutable() {
        return Err(unmodifiable());
    }
    m.borrow_mut().insert_str(key, value);
    Ok(())
}

fn set_item_checked(
    l: &painless::value::ListRef,
    index: usize,
    value: Value,
) -> Result<(), IngestError> {
    if !l.borrow().is_mutable() {
        return Err(unmodifiable());
    }
    l.borrow_mut().items[index] = value;
    Ok(())
}

/// `appendValues(maybeList, value, allowDuplicates)`: the list to store (the same list, a new
/// one around a scalar, or, when nothing was added without duplicates, the original object).
fn append_values(
    maybe_list: &Value,
    value: Value,
    allow_duplicates: bool,
) -> Result<Value, IngestError> {
    let list = match maybe_list {
        Value::List(_) => maybe_list.clone(),
        scalar => Value::list_from(vec![scalar.clone()]),
    };
    if allow_duplicates {
        push_all(&list, value)?;
        return Ok(list);
    }
    let Value::List(l) = &list else {
        unreachable!("a list")
    };
    let incoming: Vec<Value> = match &value {
        Value::List(items) => items.borrow().items.clone(),
        other => vec![other.clone()],
    };
    let mut appended = false;
    for v in incoming {
        let present = l.borrow().items.iter().any(|x| x.java_equals(&v));
        if !present {
            if !l.borrow().is_mutable() {
                return Err(unmodifiable());
            }
            l.borrow_mut().items.push(v);
            appended = true;
        }
    }
    Ok(if appended { list } else { maybe_list.clone() })
}

/// `appendValues(list, value)`: a list's items, or the value.
fn push_all(list: &Value, value: Value) -> Result<(), IngestError> {
    let Value::List(l) = list else {
        unreachable!("a list")
    };
    if !l.borrow().is_mutable() {
        return Err(unmodifiable());
    }
    let items: Vec<Value> = match &value {
        // Cloned first: the value may be the list itself.
        Value::List(items) => items.borrow().items.clone(),
        other => vec![other.clone()],
    };
    l.borrow_mut().items.extend(items);
    Ok(())
}

/// `cast(path, object, String.class)`.
pub fn cast_string(path: &str, v: &Value) -> Result<Option<Rc<str>>, IngestError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(cast_error(path, other, "java.lang.String")),
    }
}

/// "field [path] of type [X] cannot be cast to [Y]".
pub fn cast_error(path: &str, v: &Value, class: &str) -> IngestError {
    IngestError::illegal_argument(format!(
        "field [{path}] of type [{}] cannot be cast to [{class}]",
        class_of(v)
    ))
}

/// `getClass().getName()` of a value (`null` for null).
pub fn class_of(v: &Value) -> String {
    v.class_name().unwrap_or("null").to_string()
}

/// Java's `String.split("\\.")`: trailing empty strings removed; an input without dots is
/// itself (even empty).
pub fn java_split_dots(s: &str) -> Vec<String> {
    java_split_dots_ref(s)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// [`java_split_dots`] without copying.
fn java_split_dots_ref(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return vec![""];
    }
    let mut parts: Vec<&str> = s.split('.').collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// A new `ArrayList` of values.
pub fn new_list(items: Vec<Value>) -> Value {
    Value::List(Rc::new(RefCell::new(JList::from_vec(
        ListKind::ArrayList,
        items,
    ))))
}

/// `ZonedDateTime` in UTC as the ingest timestamp holds it (`ZonedDateTime.now(ZoneOffset.UTC)`,
/// microsecond precision as Java's system clock has on Linux).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Nanoseconds since the Unix epoch.
    pub epoch_nanos: i128,
}

impl Timestamp {
    pub fn from_epoch_millis(millis: i64) -> Timestamp {
        Timestamp {
            epoch_nanos: i128::from(millis) * 1_000_000,
        }
    }

    /// The system clock, truncated to microseconds.
    pub fn now() -> Timestamp {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let micros = d.as_micros() as i128;
        Timestamp {
            epoch_nanos: micros * 1000,
        }
    }

    /// The value stored in `_ingest.timestamp`.
    pub fn to_value(self) -> Value {
        Value::Object(Rc::new(ZonedDateTimeUtc(self)))
    }

    fn parts(self) -> (i64, u32, u32, u32, u32, u32, u32) {
        let secs = self.epoch_nanos.div_euclid(1_000_000_000) as i64;
        let nanos = self.epoch_nanos.rem_euclid(1_000_000_000) as u32;
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, sod / 3600, sod / 60 % 60, sod % 60, nanos)
    }

    /// `ZonedDateTime.toString()` (ISO-8601, `Z`): seconds omitted when zero with no fraction,
    /// the fraction in groups of three digits.
    pub fn java_to_string(self) -> String {
        let (y, mo, d, h, mi, s, n) = self.parts();
        let mut out = format!("{}-{mo:02}-{d:02}T{h:02}:{mi:02}", year_string(y));
        if s > 0 || n > 0 {
            out.push_str(&format!(":{s:02}"));
            if n > 0 {
                if n % 1_000_000 == 0 {
                    out.push_str(&format!(".{:03}", n / 1_000_000));
                } else if n % 1000 == 0 {
                    out.push_str(&format!(".{:06}", n / 1000));
                } else {
                    out.push_str(&format!(".{n:09}"));
                }
            }
        }
        out.push('Z');
        out
    }

    /// How XContent writes a `ZonedDateTime` (`strict_date_optional_time_nanos` printer:
    /// seconds always, the fraction with at least three digits, trailing zeros dropped).
    pub fn xcontent_string(self) -> String {
        let (y, mo, d, h, mi, s, n) = self.parts();
        let mut fraction = format!("{n:09}");
        while fraction.len() > 3 && fraction.ends_with('0') {
            fraction.pop();
        }
        format!(
            "{}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{fraction}Z",
            year_string(y)
        )
    }
}

fn year_string(y: i64) -> String {
    if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else if y > 9999 {
        format!("+{y}")
    } else {
        format!("-{:04}", -y)
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The `ZonedDateTime` object in `_ingest.timestamp`.
#[derive(Debug)]
pub struct ZonedDateTimeUtc(pub Timestamp);

impl JavaObject for ZonedDateTimeUtc {
    fn class_name(&self) -> &str {
        "java.time.ZonedDateTime"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn java_to_string(&self) -> String {
        self.0.java_to_string()
    }
    fn java_equals(&self, other: &dyn JavaObject) -> bool {
        other
            .as_any()
            .downcast_ref::<ZonedDateTimeUtc>()
            .is_some_and(|o| o.0 == self.0)
    }
    fn java_hash_code(&self) -> i32 {
        (self.0.epoch_nanos ^ (self.0.epoch_nanos >> 32)) as i32
    }
    fn to_document_value(&self) -> Option<Value> {
        Some(Value::string(self.0.xcontent_string()))
    }
}

#[cfg(test)]
mod tests;
