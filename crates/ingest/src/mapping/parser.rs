//! The walk of a document against the mapping: a port of
//! `server/src/main/java/org/opensearch/index/mapper/DocumentParser.java` (OpenSearch 2.19) and of
//! the `parseCreateField` of each field mapper, over the token stream of [`super::tokens`].
//!
//! As on the node, lookups during the walk only see the mapping the index had before the
//! document: fields added dynamically by this document are recorded (`addDynamicMapper`) and
//! merged into the mapping afterwards, so two values of one new field with different types
//! conflict at the merge ("mapper [a] cannot be changed from type [long] to [text]").

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::dates::{DateFormatter, DEFAULT_FORMAT};
use super::dynamic::MatchType;
use super::error::JavaError;
use super::geo;
use super::ip;
use super::model::{
    parse_property, BuildDefaults, Dynamic, FieldKind, FieldMapper, Mapper, NumberType,
    ObjectMapper, Root,
};
use super::numbers;
use super::tokens::{Kind, Tokens};
use super::IndexSettings;
use painless::value::{JSet, SetKind};

/// Metadata fields a document cannot set (`MetadataFieldMapper.parse`): the metadata mappers
/// `IndicesModule` registers (`_doc_count` accepts values and is handled apart).
const METADATA_FIELDS: &[&str] = &[
    "_id",
    "_index",
    "_routing",
    "_source",
    "_seq_no",
    "_version",
    "_ignored",
    "_field_names",
    "_nested_path",
    "_data_stream_timestamp",
];

/// Lucene's `IndexWriter.MAX_TERM_LENGTH` (and the sorted doc values limit).
pub(crate) const MAX_TERM_BYTES: usize = 32766;

/// A Lucene field value whose length Lucene checks when the document is written.
#[derive(Clone, Debug)]
pub(crate) enum TermCheck {
    /// An indexed term (`IndexingChain.invert`: at most 32,766 bytes).
    Indexed {
        field: String,
        len: usize,
        prefix: Vec<u8>,
    },
    /// A sorted-set doc value (`SortedSetDocValuesWriter.addValue`: at most 32,766 bytes).
    DocValue { field: String, len: usize },
}

pub(crate) struct Ctx<'a, 'r> {
    pub(crate) p: Tokens<'a>,
    root: &'r Root,
    settings: &'r IndexSettings,
    id: String,
    path: Vec<String>,
    pub(crate) dynamic_mappers: Vec<Mapper>,
    pub(crate) ignored: JSet,
    pub(crate) stored: BTreeMap<String, Vec<Value>>,
    pub(crate) terms: Vec<TermCheck>,
    depth: u64,
    array_depth: u64,
    nested_docs: u64,
    within_copy_to: bool,
}

fn strict(dynamic: Dynamic, path: &str, field: &str) -> JavaError {
    JavaError::new(
        "StrictDynamicMappingException",
        format!(
            "mapping set to {}, dynamic introduction of [{field}] within [{path}] is not allowed",
            dynamic.name()
        ),
    )
}

fn npe() -> JavaError {
    JavaError::new("NullPointerException", "")
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("null")
}

/// Java's `String.split("\\.")` (trailing empty strings dropped) and the checks of
/// `DocumentParser.splitAndValidatePath`.
pub(crate) fn split_and_validate_path(full: &str) -> Result<Vec<String>, JavaError> {
    if full.contains('.') {
        let mut parts: Vec<String> = full.split('.').map(str::to_string).collect();
        while parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
        if parts.is_empty() {
            return Err(JavaError::illegal_argument(
                "field name cannot contain only the character [.]",
            ));
        }
        for part in &parts {
            if part.chars().all(char::is_whitespace) {
                if !part.is_empty() {
                    return Err(JavaError::illegal_argument(format!(
                        "object field cannot contain only whitespace: ['{full}']"
                    )));
                }
                return Err(JavaError::illegal_argument(format!(
                    "object field starting or ending with a [.] makes object resolution ambiguous: [{full}]"
                )));
            }
        }
        Ok(parts)
    } else {
        if full.is_empty() {
            return Err(JavaError::illegal_argument(
                "field name cannot be an empty string",
            ));
        }
        Ok(vec![full.to_string()])
    }
}

/// What `getMapper` finds.
enum Found<'m> {
    Metadata(String),
    Mapper(&'m Mapper),
}

fn parses_array_value(m: &Mapper) -> bool {
    matches!(
        m,
        Mapper::Field(FieldMapper {
            kind: FieldKind::GeoPoint { .. },
            ..
        })
    )
}

/// Java `Long.parseLong` succeeds.
fn java_parses_long(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && s.parse::<i64>().is_ok()
}

impl<'a, 'r> Ctx<'a, 'r> {
    pub(crate) fn new(
        doc: &'a Value,
        root: &'r Root,
        settings: &'r IndexSettings,
        id: &str,
    ) -> Self {
        Ctx {
            p: Tokens::new(doc),
            root,
            settings,
            id: id.to_string(),
            path: Vec::new(),
            dynamic_mappers: Vec::new(),
            ignored: JSet::new(SetKind::Hash),
            stored: BTreeMap::new(),
            terms: Vec::new(),
            depth: 0,
            array_depth: 0,
            nested_docs: 0,
            within_copy_to: false,
        }
    }

    fn path_as_text(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.path.join("."))
        }
    }

    fn defaults(&self) -> BuildDefaults {
        BuildDefaults {
            ignore_malformed: self.settings.ignore_malformed,
            coerce: self.settings.coerce,
        }
    }

    fn add_ignored(&mut self, field: &str) {
        self.ignored.insert(painless::Value::string(field));
    }

    fn store(&mut self, field: &str, v: Value) {
        match self.stored.get_mut(field) {
            Some(list) => list.push(v),
            None => {
                self.stored.insert(field.to_string(), vec![v]);
            }
        }
    }

    /// Records a Lucene field value that is over Lucene's limit (only those can fail the write;
    /// the first one in document order is the error).
    fn term(&mut self, t: TermCheck) {
        let len = match &t {
            TermCheck::Indexed { len, .. } | TermCheck::DocValue { len, .. } => *len,
        };
        if len > MAX_TERM_BYTES {
            self.terms.push(t);
        }
    }

    /// `DocumentParser.parseDocument` up to the dynamic update.
    pub(crate) fn parse_document(&mut self) -> Result<(), JavaError> {
        // validateStart
        if self.p.next() != Some(Kind::StartObject) {
            return Err(JavaError::mapper_parsing(
                "Malformed content, must start with an object",
            ));
        }
        let root = self.root;
        // isEmptyDoc
        let mut empty = false;
        if root.object.enabled {
            match self.p.next() {
                Some(Kind::EndObject) => empty = true,
                Some(Kind::FieldName) => {}
                _ => {
                    return Err(JavaError::mapper_parsing(
                        "Malformed content, after first object, either the type field or the actual properties should exist",
                    ))
                }
            }
        }
        if !root.object.enabled {
            self.p.skip_children();
        } else if !empty {
            self.parse_object_or_nested(&root.object)?;
        }
        // validateEnd
        if let Some(k) = self.p.next() {
            return Err(JavaError::illegal_argument(format!(
                "Malformed content, found extra data after parsing: {}",
                k.xcontent_name()
            )));
        }
        Ok(())
    }

    fn parse_object_or_nested(&mut self, mapper: &ObjectMapper) -> Result<(), JavaError> {
        if !mapper.enabled {
            self.p.skip_children();
            return Ok(());
        }
        let Some(mut token) = self.p.current() else {
            return Err(npe());
        };
        if token == Kind::Null {
            return Ok(());
        }
        let current_field_name = self.p.current_name();
        if token.is_value() {
            return Err(JavaError::mapper_parsing(format!(
                "object mapping for [{}] tried to parse field [{}] as object, but found a concrete value",
                mapper.name,
                opt(&current_field_name)
            )));
        }
        if mapper.nested.is_some() {
            // ParseContext.InternalParseContext.addDoc
            self.nested_docs += 1;
            if self.nested_docs > self.settings.nested_objects_limit {
                return Err(JavaError::mapper_parsing(format!(
                    "The number of nested documents has exceeded the allowed limit of [{}]. This limit can be set by changing the [index.mapping.nested_objects.limit] index level setting.",
                    self.settings.nested_objects_limit
                )));
            }
        }
        if token == Kind::EndObject {
            token = self.p.next().ok_or_else(npe)?;
        }
        if token == Kind::StartObject {
            token = self.p.next().ok_or_else(npe)?;
        }
        self.inner_parse_object(mapper, current_field_name, Some(token))
    }

    fn inner_parse_object(
        &mut self,
        mapper: &ObjectMapper,
        mut current_field_name: Option<String>,
        mut token: Option<Kind>,
    ) -> Result<(), JavaError> {
        let mut paths: Option<Vec<String>> = None;
        self.depth += 1;
        if self.depth > self.settings.depth_limit {
            self.depth = 0;
            return Err(JavaError::parse(format!(
                "The depth of the field has exceeded the allowed limit of [{}]. This limit can be set by changing the [index.mapping.depth.limit] index level setting.",
                self.settings.depth_limit
            )));
        }
        while token != Some(Kind::EndObject) {
            match token {
                Some(Kind::FieldName) => {
                    current_field_name = self.p.current_name();
                    let parts = split_and_validate_path(opt(&current_field_name))?;
                    if contains_disabled_object_mapper(mapper, &parts) {
                        self.p.next();
                        self.p.skip_children();
                    }
                    paths = Some(parts);
                }
                Some(Kind::StartObject) => {
                    let name = current_field_name.clone().ok_or_else(npe)?;
                    let parts = paths.clone().ok_or_else(npe)?;
                    self.parse_object(mapper, &name, &parts)?;
                }
                Some(Kind::StartArray) => {
                    let name = current_field_name.clone().ok_or_else(npe)?;
                    let parts = paths.clone().ok_or_else(npe)?;
                    self.parse_array(mapper, &name, &parts)?;
                }
                Some(Kind::Null) => {
                    let name = current_field_name.clone().ok_or_else(npe)?;
                    let parts = paths.clone().ok_or_else(npe)?;
                    self.parse_null_value(mapper, &name, &parts)?;
                }
                None => {
                    return Err(JavaError::mapper_parsing(format!(
                        "object mapping for [{}] tried to parse field [{}] as object, but got EOF, has a concrete value been provided to it?",
                        mapper.name,
                        opt(&current_field_name)
                    )));
                }
                Some(k) if k.is_value() => {
                    let parts = paths.clone().ok_or_else(npe)?;
                    self.parse_value(mapper, current_field_name.clone(), &parts)?;
                }
                Some(_) => {}
            }
            token = self.p.next();
        }
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    fn get_mapper<'m>(
        &self,
        object: &'m ObjectMapper,
        field_name: &str,
        subfields: &[String],
    ) -> Result<Option<Found<'m>>, JavaError> {
        let field_path = self.path_as_text(field_name);
        if METADATA_FIELDS.contains(&field_path.as_str()) {
            return Ok(Some(Found::Metadata(field_path)));
        }
        if field_path == "_doc_count" {
            return Err(JavaError::unsupported("the [_doc_count] metadata field"));
        }
        let mut o = object;
        for part in &subfields[..subfields.len() - 1] {
            match o.children.get(part) {
                Some(Mapper::Object(next)) => {
                    o = next;
                    if o.nested.is_some() {
                        return Err(JavaError::mapper_parsing(format!(
                            "Cannot add a value for field [{field_name}] since one of the intermediate objects is mapped as a nested object: [{}]",
                            o.name
                        )));
                    }
                }
                _ => return Ok(None),
            }
        }
        Ok(o.children
            .get(&subfields[subfields.len() - 1])
            .map(Found::Mapper))
    }

    fn parse_found(&mut self, found: Found<'_>) -> Result<(), JavaError> {
        match found {
            Found::Metadata(name) => Err(JavaError::mapper_parsing(format!(
                "Field [{name}] is a metadata field and cannot be added inside a document. Use the index API request parameters."
            ))),
            Found::Mapper(m) => self.parse_object_or_field(m),
        }
    }

    fn parse_object_or_field(&mut self, mapper: &Mapper) -> Result<(), JavaError> {
        match mapper {
            Mapper::Object(o) => self.parse_object_or_nested(o),
            Mapper::Field(f) => {
                self.parse_field(f)?;
                self.parse_copy_fields(&f.copy_to)
            }
            Mapper::Alias { name, .. } => Err(JavaError::illegal_argument(format!(
                "Cannot write to a field alias [{name}]."
            ))),
        }
    }

    fn parse_object(
        &mut self,
        mapper: &ObjectMapper,
        current_field_name: &str,
        paths: &[String],
    ) -> Result<(), JavaError> {
        if let Some(found) = self.get_mapper(mapper, current_field_name, paths)? {
            self.path.push(current_field_name.to_string());
            let r = self.parse_found(found);
            self.path.pop();
            return r;
        }
        let name = paths[paths.len() - 1].clone();
        let (added, parent) = self.get_dynamic_parent_mapper(paths, Some(mapper))?;
        let dynamic = self.dynamic_or_default(&parent);
        match dynamic {
            Dynamic::Strict => return Err(strict(dynamic, &mapper.name, &name)),
            Dynamic::True | Dynamic::StrictAllowTemplates => {
                let built = match self.find_template(
                    &name,
                    MatchType::Object,
                    None,
                    dynamic,
                    &mapper.name,
                )? {
                    Some(m) => m,
                    None => Mapper::Object(self.new_object(&name)),
                };
                self.dynamic_mappers.push(built.clone());
                self.path.push(name.clone());
                let r = self.parse_object_or_field(&built);
                self.path.pop();
                r?;
            }
            Dynamic::False => self.p.skip_children(),
        }
        for _ in 0..added {
            self.path.pop();
        }
        Ok(())
    }

    fn new_object(&self, simple: &str) -> ObjectMapper {
        ObjectMapper {
            name: self.path_as_text(simple),
            simple: simple.to_string(),
            enabled: true,
            dynamic: None,
            nested: None,
            children: BTreeMap::new(),
        }
    }

    fn parse_array(
        &mut self,
        parent: &ObjectMapper,
        last_field_name: &str,
        paths: &[String],
    ) -> Result<(), JavaError> {
        self.array_depth += 1;
        if self.array_depth > self.settings.depth_limit {
            self.array_depth = 0;
            return Err(JavaError::parse(format!(
                "The depth of the nested array field has exceeded the allowed limit of [{}]. This limit can be set by changing the [index.mapping.depth.limit] index level setting.",
                self.settings.depth_limit
            )));
        }
        let r = self.parse_array_inner(parent, last_field_name, paths);
        self.array_depth = self.array_depth.saturating_sub(1);
        r
    }

    fn parse_array_inner(
        &mut self,
        parent: &ObjectMapper,
        last_field_name: &str,
        paths: &[String],
    ) -> Result<(), JavaError> {
        if let Some(found) = self.get_mapper(parent, last_field_name, paths)? {
            return match found {
                Found::Mapper(m) if parses_array_value(m) => self.parse_object_or_field(m),
                Found::Metadata(_) => self.parse_found(found),
                Found::Mapper(_) => {
                    self.parse_non_dynamic_array(parent, last_field_name, last_field_name)
                }
            };
        }
        let name = paths[paths.len() - 1].clone();
        let (added, pm) = self.get_dynamic_parent_mapper(paths, Some(parent))?;
        let dynamic = self.dynamic_or_default(&pm);
        match dynamic {
            Dynamic::Strict => return Err(strict(dynamic, &pm.name, &name)),
            Dynamic::True | Dynamic::StrictAllowTemplates => {
                match self.find_template(&name, MatchType::Object, None, dynamic, &pm.name)? {
                    None => self.parse_non_dynamic_array(&pm, &name, &name)?,
                    Some(m) if parses_array_value(&m) => {
                        self.dynamic_mappers.push(m.clone());
                        self.path.push(name.clone());
                        let r = self.parse_object_or_field(&m);
                        self.path.pop();
                        r?;
                    }
                    Some(_) => self.parse_non_dynamic_array(&pm, &name, &name)?,
                }
            }
            Dynamic::False => self.parse_non_dynamic_array(&pm, &name, &name)?,
        }
        for _ in 0..added {
            self.path.pop();
        }
        Ok(())
    }

    fn parse_non_dynamic_array(
        &mut self,
        mapper: &ObjectMapper,
        last_field_name: &str,
        array_field_name: &str,
    ) -> Result<(), JavaError> {
        let paths = split_and_validate_path(last_field_name)?;
        loop {
            match self.p.next() {
                Some(Kind::EndArray) => return Ok(()),
                Some(Kind::StartObject) => self.parse_object(mapper, last_field_name, &paths)?,
                Some(Kind::StartArray) => self.parse_array(mapper, last_field_name, &paths)?,
                Some(Kind::Null) => self.parse_null_value(mapper, last_field_name, &paths)?,
                None => {
                    return Err(JavaError::mapper_parsing(format!(
                        "object mapping for [{}] with array for [{array_field_name}] tried to parse as array, but got EOF, is there a mismatch in types for the same field?",
                        mapper.name
                    )))
                }
                Some(_) => self.parse_value(mapper, Some(last_field_name.to_string()), &paths)?,
            }
        }
    }

    fn parse_value(
        &mut self,
        parent: &ObjectMapper,
        current_field_name: Option<String>,
        paths: &[String],
    ) -> Result<(), JavaError> {
        let Some(field) = current_field_name else {
            return Err(JavaError::mapper_parsing(format!(
                "object mapping [{}] trying to serialize a value with no field associated with it, current value [{}]",
                parent.name,
                self.p.text_or_null().ok().flatten().unwrap_or_else(|| "null".into())
            )));
        };
        if let Some(found) = self.get_mapper(parent, &field, paths)? {
            return self.parse_found(found);
        }
        let name = paths[paths.len() - 1].clone();
        let (added, pm) = self.get_dynamic_parent_mapper(paths, Some(parent))?;
        self.parse_dynamic_value(&pm, &name)?;
        for _ in 0..added {
            self.path.pop();
        }
        Ok(())
    }

    fn parse_null_value(
        &mut self,
        parent: &ObjectMapper,
        last_field_name: &str,
        paths: &[String],
    ) -> Result<(), JavaError> {
        let found = self.get_mapper(parent, last_field_name, paths)?;
        match (found, parent.dynamic) {
            (Some(f), _) => self.parse_found(f),
            (None, Some(d @ (Dynamic::Strict | Dynamic::StrictAllowTemplates))) => {
                Err(strict(d, &parent.name, last_field_name))
            }
            (None, _) => Ok(()),
        }
    }

    fn parse_dynamic_value(&mut self, parent: &ObjectMapper, name: &str) -> Result<(), JavaError> {
        let dynamic = self.dynamic_or_default(parent);
        if dynamic == Dynamic::Strict {
            return Err(strict(dynamic, &parent.name, name));
        }
        if dynamic == Dynamic::False {
            return Ok(());
        }
        let mapper = self.builder_from_dynamic_value(name, dynamic, &parent.name)?;
        self.dynamic_mappers.push(mapper.clone());
        self.parse_object_or_field(&mapper)
    }

    /// `createBuilderFromDynamicValue`.
    fn builder_from_dynamic_value(
        &mut self,
        name: &str,
        dynamic: Dynamic,
        full_path: &str,
    ) -> Result<Mapper, JavaError> {
        let token = self.p.current();
        match token {
            Some(Kind::String) => {
                let text = self.p.text()?;
                let long = java_parses_long(&text);
                let double = numbers::java_parse_double(&text).is_some();
                let root = self.root;
                if long && root.numeric_detection {
                    return self.template_or(name, MatchType::Long, dynamic, full_path, "long");
                }
                if double && root.numeric_detection {
                    return self.template_or(name, MatchType::Double, dynamic, full_path, "float");
                }
                if !long && !double && root.date_detection {
                    for f in &root.dynamic_date_formats {
                        if !f.parses(&text)? {
                            continue;
                        }
                        if let Some(m) =
                            self.find_template(name, MatchType::Date, Some(f), dynamic, full_path)?
                        {
                            return Ok(m);
                        }
                        let mut node = Map::new();
                        node.insert("type".into(), json!("date"));
                        if f.format != DEFAULT_FORMAT {
                            node.insert("format".into(), json!(f.format));
                        }
                        return self.build_field(name, &Value::Object(node));
                    }
                }
                if let Some(m) =
                    self.find_template(name, MatchType::String, None, dynamic, full_path)?
                {
                    return Ok(m);
                }
                self.build_field(
                    name,
                    &json!({"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}}),
                )
            }
            Some(Kind::Int) => self.template_or(name, MatchType::Long, dynamic, full_path, "long"),
            Some(Kind::Float) => {
                self.template_or(name, MatchType::Double, dynamic, full_path, "float")
            }
            Some(Kind::True | Kind::False) => {
                self.template_or(name, MatchType::Boolean, dynamic, full_path, "boolean")
            }
            other => {
                if let Some(m) =
                    self.find_template(name, MatchType::String, None, dynamic, full_path)?
                {
                    return Ok(m);
                }
                Err(JavaError::illegal_state(format!(
                    "Can't handle serializing a dynamic type with content token [{}] and field name [{name}]",
                    other.map_or("null", Kind::xcontent_name)
                )))
            }
        }
    }

    fn template_or(
        &mut self,
        name: &str,
        ty: MatchType,
        dynamic: Dynamic,
        full_path: &str,
        default_type: &str,
    ) -> Result<Mapper, JavaError> {
        if let Some(m) = self.find_template(name, ty, None, dynamic, full_path)? {
            return Ok(m);
        }
        self.build_field(name, &json!({ "type": default_type }))
    }

    fn parent_name(&self) -> String {
        if self.path.is_empty() {
            "_doc".to_string()
        } else {
            self.path.join(".")
        }
    }

    fn build_field(&self, name: &str, node: &Value) -> Result<Mapper, JavaError> {
        parse_property(&self.parent_name(), name, node, self.defaults())
    }

    /// `RootObjectMapper.findTemplateBuilder` (and DocumentParser's wrapper that throws for
    /// `strict_allow_templates` when nothing matches).
    fn find_template(
        &self,
        name: &str,
        ty: MatchType,
        date_format: Option<&DateFormatter>,
        dynamic: Dynamic,
        full_path: &str,
    ) -> Result<Option<Mapper>, JavaError> {
        let path = self.path_as_text(name);
        let Some(t) = self
            .root
            .dynamic_templates
            .iter()
            .find(|t| t.matches(&path, name, ty))
        else {
            if dynamic == Dynamic::StrictAllowTemplates {
                return Err(strict(dynamic, full_path, name));
            }
            return Ok(None);
        };
        let dynamic_type = ty.default_mapping_type();
        let mapping_type = t.mapping_type(dynamic_type);
        let mut node = t.mapping_for_name(name, dynamic_type);
        node.insert("type".into(), Value::String(mapping_type.clone()));
        if let Some(f) = date_format {
            if !node.contains_key("format") {
                node.insert("format".into(), Value::String(f.format.clone()));
            }
        }
        match parse_property(
            &self.parent_name(),
            name,
            &Value::Object(node),
            self.defaults(),
        ) {
            Ok(m) => Ok(Some(m)),
            Err(e) if e.message.starts_with("No handler for type") => {
                Err(JavaError::mapper_parsing(format!(
                    "failed to find type parsed [{mapping_type}] for [{name}]"
                )))
            }
            Err(e) => Err(e),
        }
    }

    /// `getDynamicParentMapper`: the object that will hold a dotted field (`"a.b.c": 1`),
    /// creating the missing intermediate objects.
    fn get_dynamic_parent_mapper<'m>(
        &mut self,
        paths: &[String],
        current: Option<&'m ObjectMapper>,
    ) -> Result<(usize, Cow<'m, ObjectMapper>), JavaError>
    where
        'r: 'm,
    {
        let root: &'r Root = self.root;
        let mut mapper: Cow<'m, ObjectMapper> = match current {
            Some(c) => Cow::Borrowed(c),
            None => Cow::Borrowed(&root.object),
        };
        let mut added = 0;
        for part in &paths[..paths.len() - 1] {
            let current_path = self.path_as_text(part);
            if let Some(ty) = root.field_paths.get(&current_path) {
                return Err(JavaError::mapper_parsing(format!(
                    "Could not dynamically add mapping for field [{}]. Existing mapping for [{current_path}] must be of type object but found [{ty}].",
                    paths.join(".")
                )));
            }
            let next: Cow<'m, ObjectMapper> = match root.object_paths.get(&current_path) {
                Some(o) => Cow::Borrowed(o),
                None => {
                    let dynamic = self.dynamic_or_default(&mapper);
                    match dynamic {
                        Dynamic::Strict => return Err(strict(dynamic, &mapper.name, part)),
                        Dynamic::False => return Ok((added, mapper)),
                        Dynamic::True | Dynamic::StrictAllowTemplates => {
                            let built = match self.find_template(
                                part,
                                MatchType::Object,
                                None,
                                dynamic,
                                &mapper.name,
                            )? {
                                Some(Mapper::Object(o)) => o,
                                Some(other) => {
                                    return Err(JavaError::new(
                                        "ClassCastException",
                                        format!(
                                            "class org.opensearch.index.mapper.{} cannot be cast to class org.opensearch.index.mapper.ObjectMapper",
                                            other.type_name()
                                        ),
                                    )
                                    .with_unsupported_note())
                                }
                                None => self.new_object(part),
                            };
                            if built.nested.is_some() {
                                return Err(JavaError::mapper_parsing(format!(
                                    "It is forbidden to create dynamic nested objects ([{current_path}]) through `copy_to` or dots in field names"
                                )));
                            }
                            self.dynamic_mappers.push(Mapper::Object(built.clone()));
                            Cow::Owned(built)
                        }
                    }
                }
            };
            self.path.push(part.clone());
            added += 1;
            mapper = next;
        }
        Ok((added, mapper))
    }

    /// `dynamicOrDefault`: the object's `dynamic`, else its nearest mapped parent's, else the
    /// root's (true when unset).
    fn dynamic_or_default(&self, parent: &ObjectMapper) -> Dynamic {
        let mut dynamic = parent.dynamic;
        let mut name = parent.name.clone();
        while dynamic.is_none() {
            let Some(dot) = name.rfind('.') else { break };
            name.truncate(dot);
            match self.root.object_paths.get(&name) {
                None => return Dynamic::True,
                Some(p) => dynamic = p.dynamic,
            }
        }
        dynamic
            .or(self.root.object.dynamic)
            .unwrap_or(Dynamic::True)
    }

    // ---- copy_to -------------------------------------------------------------------------

    fn parse_copy_fields(&mut self, copy_to: &[String]) -> Result<(), JavaError> {
        if self.within_copy_to || copy_to.is_empty() {
            return Ok(());
        }
        self.within_copy_to = true;
        let r = copy_to.iter().try_for_each(|f| self.parse_copy(f));
        self.within_copy_to = false;
        r
    }

    fn parse_copy(&mut self, field: &str) -> Result<(), JavaError> {
        let root = self.root;
        match root.field_paths.get(field).map(String::as_str) {
            Some("alias") => {
                return Err(JavaError::illegal_argument(format!(
                    "Cannot copy to a field alias [{field}]."
                )))
            }
            Some(_) => {
                if let Some(f) = find_field(root, field) {
                    return self.parse_field(f);
                }
                return Err(JavaError::unsupported(format!(
                    "copy_to into the subfield [{field}]"
                )));
            }
            None => {}
        }
        let saved = std::mem::take(&mut self.path);
        let r = (|| {
            let paths = split_and_validate_path(field)?;
            let name = paths[paths.len() - 1].clone();
            let (added, om) = self.get_dynamic_parent_mapper(&paths, None)?;
            self.parse_dynamic_value(&om, &name)?;
            for _ in 0..added {
                self.path.pop();
            }
            Ok(())
        })();
        self.path = saved;
        r
    }

    // ---- field mappers ---------------------------------------------------------------------

    /// `FieldMapper.parse`: the type's `parseCreateField`, an error turned into
    /// "failed to parse field [x] of type [t] ..." unless the index ignores malformed values
    /// (OpenSearch 2.19 reads only the index-level `index.mapping.ignore_malformed` here: a field
    /// level `ignore_malformed: false` does not override it, issue #16599), then multi-fields.
    fn parse_field(&mut self, f: &FieldMapper) -> Result<(), JavaError> {
        if let FieldKind::GeoPoint { .. } = f.kind {
            return self.parse_geo_point(f);
        }
        if let Err(e) = self.parse_create_field(f) {
            if e.any_unsupported() {
                return Err(e);
            }
            let ignore = self.settings.ignore_malformed;
            match self.p.read_value_preview() {
                Err(_) => {
                    if !ignore {
                        return Err(JavaError::mapper_parsing(format!(
                            "failed to parse field [{}] of type [{}] in document with id '{}'. Could not parse field value preview,",
                            f.name, f.type_name, self.id
                        ))
                        .with_cause(e));
                    }
                }
                Ok(preview) => {
                    if !ignore {
                        return Err(JavaError::mapper_parsing(format!(
                            "failed to parse field [{}] of type [{}] in document with id '{}'. Preview of field's value: '{preview}'",
                            f.name, f.type_name, self.id
                        ))
                        .with_cause(e));
                    }
                }
            }
        }
        if !f.multi_fields.is_empty() {
            self.path.push(f.simple.clone());
            let r = f
                .multi_fields
                .values()
                .try_for_each(|m| self.parse_field(m));
            self.path.pop();
            r?;
        }
        Ok(())
    }

    fn keyword_terms(&mut self, field: &str, value: &str, indexed: bool, doc_values: bool) {
        if value.len() <= MAX_TERM_BYTES {
            return;
        }
        if indexed {
            self.term(TermCheck::Indexed {
                field: field.to_string(),
                len: value.len(),
                prefix: value.as_bytes().iter().take(30).copied().collect(),
            });
        }
        if doc_values {
            self.term(TermCheck::DocValue {
                field: field.to_string(),
                len: value.len(),
            });
        }
    }

    fn parse_create_field(&mut self, f: &FieldMapper) -> Result<(), JavaError> {
        match &f.kind {
            FieldKind::Keyword {
                ignore_above,
                null_value,
                indexed,
                doc_values,
            } => {
                let value = if self.p.current() == Some(Kind::Null) {
                    null_value.clone()
                } else {
                    self.p.text_or_null()?
                };
                let Some(value) = value else { return Ok(()) };
                if value.encode_utf16().count() as i64 > *ignore_above {
                    return Ok(());
                }
                self.keyword_terms(&f.name, &value, *indexed, *doc_values);
                self.store(&f.name, Value::String(value));
                Ok(())
            }
            FieldKind::Text => {
                if let Some(v) = self.p.text_or_null()? {
                    self.store(&f.name, Value::String(v));
                }
                Ok(())
            }
            FieldKind::Wildcard {
                ignore_above,
                null_value,
            } => {
                let value = if self.p.current() == Some(Kind::Null) {
                    null_value.clone()
                } else {
                    self.p.text_or_null()?
                };
                if let Some(v) = value {
                    if v.encode_utf16().count() as i64 <= *ignore_above {
                        self.store(&f.name, Value::String(v));
                    }
                }
                Ok(())
            }
            FieldKind::Number {
                ty,
                ignore_malformed,
                coerce,
                null_value,
            } => self.parse_number(f, *ty, *ignore_malformed, *coerce, null_value.as_ref()),
            FieldKind::ScaledFloat {
                scaling_factor,
                ignore_malformed,
                coerce,
                null_value,
            } => {
                self.parse_scaled_float(f, *scaling_factor, *ignore_malformed, *coerce, *null_value)
            }
            FieldKind::Boolean { null_value } => {
                let value = match self.p.current() {
                    Some(Kind::Null) => *null_value,
                    _ => Some(numbers::boolean_value(&self.p)?),
                };
                if let Some(b) = value {
                    self.store(&f.name, Value::Bool(b));
                }
                Ok(())
            }
            FieldKind::Date {
                formatter,
                ignore_malformed,
                null_value,
                nanos,
            } => {
                // DateFieldMapper: Resolution.MILLISECONDS or NANOSECONDS convert the instant
                let convert = |text: &str| -> Result<i64, JavaError> {
                    if *nanos {
                        formatter
                            .parse_epoch_nanos(text)
                            .map(|n| n.div_euclid(1_000_000))
                    } else {
                        formatter.parse_millis(text)
                    }
                };
                let value = self.p.text_or_null()?;
                let millis = match value {
                    None => match null_value {
                        None => return Ok(()),
                        Some(nv) => convert(nv)?,
                    },
                    Some(s) => match convert(&s) {
                        Ok(ms) => ms,
                        Err(e) if e.any_unsupported() => return Err(e),
                        Err(e) => {
                            if *ignore_malformed {
                                self.add_ignored(&f.name);
                                return Ok(());
                            }
                            return Err(e);
                        }
                    },
                };
                self.store(&f.name, json!(millis));
                Ok(())
            }
            FieldKind::Ip {
                ignore_malformed,
                null_value,
            } => {
                let value = match self.p.text_or_null()? {
                    Some(v) => v,
                    None => match null_value {
                        Some(nv) => nv.clone(),
                        None => return Ok(()),
                    },
                };
                match ip::for_string(&value) {
                    Ok(addr) => {
                        let addr = match addr {
                            std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                                Some(v4) => std::net::IpAddr::V4(v4),
                                None => std::net::IpAddr::V6(v6),
                            },
                            v4 => v4,
                        };
                        self.store(&f.name, Value::String(addr.to_string()));
                        Ok(())
                    }
                    Err(e) => {
                        if *ignore_malformed {
                            self.add_ignored(&f.name);
                            Ok(())
                        } else {
                            Err(e)
                        }
                    }
                }
            }
            FieldKind::FlatObject => self.parse_flat_object(f),
            FieldKind::ConstantKeyword { value } => {
                let Some(v) = self.p.text_or_null()? else {
                    return Err(JavaError::illegal_argument(format!(
                        "constant keyword field [{}] must have a value",
                        f.name
                    )));
                };
                if v != *value {
                    return Err(JavaError::illegal_argument(format!(
                        "constant keyword field [{}] must have a value of [{value}]",
                        f.name
                    )));
                }
                self.store(&f.name, Value::String(v));
                Ok(())
            }
            FieldKind::GeoPoint { .. } => Ok(()),
        }
    }

    fn parse_number(
        &mut self,
        f: &FieldMapper,
        ty: NumberType,
        ignore_malformed: bool,
        coerce: bool,
        null_value: Option<&Value>,
    ) -> Result<(), JavaError> {
        let token = self.p.current();
        let mut value: Option<Value> = None;
        let is_empty_string =
            token == Some(Kind::String) && self.p.text().map(|t| t.is_empty()).unwrap_or(false);
        if token == Some(Kind::Null) || (coerce && is_empty_string) {
            // null, or "" with coerce: the null_value
        } else {
            match numbers::parse_number(&self.p, ty, coerce) {
                Ok(v) => value = Some(v),
                Err(e) => {
                    let caught = e.is_a("IllegalArgumentException")
                        || e.class == "InputCoercionException"
                        || e.class == "JsonParseException";
                    if caught && ignore_malformed && token.is_some_and(Kind::is_value) {
                        self.add_ignored(&f.name);
                        return Ok(());
                    }
                    return Err(e);
                }
            }
        }
        let value = match value {
            Some(v) => v,
            None => match null_value {
                None => return Ok(()),
                Some(nv) => numbers::parse_object(nv, ty, coerce)?,
            },
        };
        self.store(&f.name, value);
        Ok(())
    }

    fn parse_scaled_float(
        &mut self,
        f: &FieldMapper,
        scaling_factor: f64,
        ignore_malformed: bool,
        coerce: bool,
        null_value: Option<f64>,
    ) -> Result<(), JavaError> {
        let token = self.p.current();
        let is_empty_string =
            token == Some(Kind::String) && self.p.text().map(|t| t.is_empty()).unwrap_or(false);
        let mut value = None;
        if !(token == Some(Kind::Null) || (coerce && is_empty_string)) {
            match numbers::double_value(&self.p, coerce) {
                Ok(v) => value = Some(v),
                Err(e) if e.is_a("IllegalArgumentException") => {
                    if ignore_malformed {
                        self.add_ignored(&f.name);
                        return Ok(());
                    }
                    return Err(e);
                }
                Err(e) => return Err(e),
            }
        }
        let Some(d) = value.or(null_value) else {
            return Ok(());
        };
        if !d.is_finite() {
            if ignore_malformed {
                self.add_ignored(&f.name);
                return Ok(());
            }
            return Err(JavaError::illegal_argument(format!(
                "[scaled_float] only supports finite values, but got [{}]",
                painless::value::java_double_to_string(d)
            )));
        }
        let scaled = (d * scaling_factor).round();
        self.store(&f.name, json!(scaled / scaling_factor));
        Ok(())
    }

    /// `FlatObjectFieldMapper.parseCreateField` of 2.19 (single pass since #16297): an object
    /// (or null), each leaf value indexed as `f._value` and `f._valueAndPath` terms, each key as a
    /// term of `f`; anything else is a `parsing_exception`.
    fn parse_flat_object(&mut self, f: &FieldMapper) -> Result<(), JavaError> {
        match self.p.current() {
            Some(Kind::Null) => return Ok(()),
            Some(Kind::StartObject) => {}
            other => {
                let location = self.p.location();
                let (line, col) = location.split_once(':').unwrap_or(("1", "1"));
                return Err(JavaError::new(
                    "ParsingException",
                    format!(
                        "[{}] unexpected token [{}] in flat_object field value",
                        f.name,
                        other.map_or("null", Kind::xcontent_name)
                    ),
                )
                .with_position(line.parse().unwrap_or(1), col.parse().unwrap_or(1)));
            }
        }
        self.p.next();
        let mut path = vec![f.name.clone()];
        let mut parts = JSet::new(SetKind::Hash);
        while self.p.current() != Some(Kind::EndObject) {
            if self.p.current().is_none() {
                return Err(npe());
            }
            self.flat_parse_token(f, &mut path, &mut parts)?;
        }
        for part in parts.iter() {
            let v = format!("{}.{}", f.name, part.as_str().unwrap_or_default());
            self.keyword_terms(&f.name, &v, true, true);
        }
        Ok(())
    }

    fn flat_parse_token(
        &mut self,
        f: &FieldMapper,
        path: &mut Vec<String>,
        parts: &mut JSet,
    ) -> Result<(), JavaError> {
        match self.p.current() {
            Some(Kind::FieldName) => {
                path.push(self.p.current_name().unwrap_or_default());
                self.p.next();
                self.flat_parse_token(f, path, parts)?;
                path.pop();
            }
            Some(Kind::StartArray) => {
                self.p.next();
                while self.p.current() != Some(Kind::EndArray) {
                    if self.p.current().is_none() {
                        return Err(npe());
                    }
                    self.flat_parse_token(f, path, parts)?;
                }
                self.p.next();
            }
            Some(Kind::StartObject) => {
                self.p.next();
                while self.p.current() != Some(Kind::EndObject) {
                    if self.p.current().is_none() {
                        return Err(npe());
                    }
                    self.flat_parse_token(f, path, parts)?;
                }
                self.p.next();
            }
            Some(k) if k.is_value() || k == Kind::Null => {
                let Some(value) = self.p.text_or_null()? else {
                    self.p.next();
                    return Ok(());
                };
                let leaf_path = path.join(".");
                let value_and_path = format!("{leaf_path}={value}");
                let value_field = format!("{}._value", f.name);
                let vap_field = format!("{}._valueAndPath", f.name);
                self.keyword_terms(&value_field, &value, true, false);
                self.keyword_terms(&vap_field, &value_and_path, true, false);
                self.term(TermCheck::DocValue {
                    field: value_field.clone(),
                    len: f.name.len() + 1 + value.len(),
                });
                self.term(TermCheck::DocValue {
                    field: vap_field,
                    len: f.name.len() + 1 + value_and_path.len(),
                });
                // String.split("\\."): trailing empty strings are dropped
                let rest = leaf_path.get(f.name.len() + 1..).unwrap_or("");
                let mut split: Vec<&str> = rest.split('.').collect();
                while split.last().is_some_and(|p| p.is_empty()) {
                    split.pop();
                }
                for part in split {
                    parts.insert(painless::Value::string(part));
                }
                self.store(&value_field, Value::String(value));
                self.p.next();
            }
            other => {
                let location = self.p.location();
                let (line, col) = location.split_once(':').unwrap_or(("1", "1"));
                return Err(JavaError::new(
                    "ParsingException",
                    format!(
                        "Unexpected value token type [{}]",
                        other.map_or("null", Kind::xcontent_name)
                    ),
                )
                .with_position(line.parse().unwrap_or(1), col.parse().unwrap_or(1)));
            }
        }
        Ok(())
    }

    /// `AbstractGeometryFieldMapper.parse` with `AbstractPointGeometryFieldMapper.PointParser`
    /// and `GeoUtils.parseGeoPoint`.
    fn parse_geo_point(&mut self, f: &FieldMapper) -> Result<(), JavaError> {
        let FieldKind::GeoPoint {
            ignore_malformed,
            ignore_z_value,
            null_value,
        } = &f.kind
        else {
            return Ok(());
        };
        match geo::parse_points(
            &mut self.p,
            &f.name,
            *ignore_z_value,
            *ignore_malformed,
            null_value.as_ref(),
        ) {
            Ok(points) => {
                for (lat, lon) in points {
                    self.store(&f.name, json!({"lat": lat, "lon": lon}));
                }
                Ok(())
            }
            Err(e) if e.any_unsupported() => Err(e),
            Err(e) => {
                if *ignore_malformed {
                    self.add_ignored(&f.name);
                    Ok(())
                } else {
                    Err(JavaError::mapper_parsing(format!(
                        "failed to parse field [{}] of type [geo_point]",
                        f.name
                    ))
                    .with_cause(e))
                }
            }
        }
    }
}

fn contains_disabled_object_mapper(mapper: &ObjectMapper, subfields: &[String]) -> bool {
    let mut o = mapper;
    for part in &subfields[..subfields.len().saturating_sub(1)] {
        match o.children.get(part) {
            Some(Mapper::Object(next)) => {
                o = next;
                if !o.enabled {
                    return true;
                }
            }
            _ => break,
        }
    }
    false
}

/// The field mapper at a full path (multi-fields included).
pub(crate) fn find_field<'m>(root: &'m Root, path: &str) -> Option<&'m FieldMapper> {
    let parts: Vec<&str> = path.split('.').collect();
    let mut o = &root.object;
    let mut i = 0;
    while i < parts.len() {
        match o.children.get(parts[i])? {
            Mapper::Object(next) => o = next,
            Mapper::Field(f) => {
                let mut field = f;
                for sub in &parts[i + 1..] {
                    field = field.multi_fields.get(*sub)?;
                }
                return Some(field);
            }
            Mapper::Alias { .. } => return None,
        }
        i += 1;
    }
    None
}

impl JavaError {
    /// An error whose exact Java text this engine cannot vouch for: reported as unsupported.
    fn with_unsupported_note(self) -> JavaError {
        JavaError::unsupported(format!(
            "a dynamic template that maps an object path to a field ({})",
            self.message
        ))
    }
}
