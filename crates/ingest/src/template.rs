//! Mustache templates as OpenSearch's ingest renders them.
//!
//! Sources:
//! - `server/src/main/java/org/opensearch/ingest/ConfigurationUtils.java` (`compileTemplate`):
//!   only a string containing `{{` is compiled as Mustache; any other renders as itself.
//! - `modules/lang-mustache/src/main/java/org/opensearch/script/mustache/CustomMustacheFactory.java`:
//!   ingest compiles without a content type, so the default `application/json` encoder applies:
//!   `{{x}}` is escaped as Jackson's `JsonStringEncoder.quoteAsString` escapes a JSON string
//!   (`"`, `\` and control characters), `{{{x}}}` and `{{&x}}` are not escaped. The functions
//!   `{{#toJson}}x{{/toJson}}`, `{{#join}}x{{/join}}`, `{{#join delimiter='; '}}x{{/join delimiter='; '}}`
//!   and `{{#url}}...{{/url}}`.
//! - `CustomReflectionObjectHandler.java`: lists and arrays are seen as maps from index to item
//!   (`list.0`) with a `size` key; a non-numeric key on a list is missing.
//! - mustache.java (the engine OpenSearch embeds): dotted names resolve segment by segment from the
//!   innermost scope outwards; a variable renders its value's `toString()` (a list as `[a, b]`,
//!   a map as `{k=v}`, Java number formatting); sections iterate lists, skip `null`, `false`, `""`
//!   and empty lists, and push any other value as a scope; inverted sections render for exactly
//!   those falsy values.
//!
//! It is written on the [`Value`] model rather than with a generic Mustache crate because those
//! follow the Mustache spec's resolution (whole-key lookups, HTML escaping, spec truthiness of `0`
//! and `""`, standalone-line trimming) where OpenSearch follows mustache.java with its own object
//! handler; the differences show in real templates (`{{a.0}}`, quotes in values).
//!
//! Not emulated (a clear error, never a silent difference): partials (`{{> name}}`), lookups of
//! Java methods through reflection on non-collection values (`{{field.length}}` on a string).
//! Standalone-line whitespace trimming around section tags is not done.

use painless::Value;

use crate::error::IngestError;

/// A compiled template (or a plain string when it has no `{{`). `Send + Sync`: no values inside.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    source: String,
    nodes: Option<Vec<Node>>,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Text(String),
    Var {
        name: String,
        escape: bool,
    },
    Section {
        name: String,
        inverted: bool,
        function: Function,
        children: Vec<Node>,
    },
    /// `{{> name}}`: refused at render time (and at compile time, see [`Template::compile`]).
    Partial(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Function {
    None,
    ToJson,
    Join(String),
    Url,
}

/// What a template's top-level names resolve against.
pub trait TemplateModel {
    /// The value of a top-level name, `None` when the model has no such key.
    fn lookup(&self, name: &str) -> Option<Value>;
}

impl TemplateModel for Value {
    fn lookup(&self, name: &str) -> Option<Value> {
        lookup_in(self, name).ok().flatten()
    }
}

impl Template {
    /// Compiles a template. A string without `{{` is a constant.
    pub fn compile(source: &str) -> Result<Template, IngestError> {
        if !source.contains("{{") {
            return Ok(Template {
                source: source.to_string(),
                nodes: None,
            });
        }
        let nodes = Parser::new(source)
            .parse()
            .map_err(|reason| compile_error(source, reason))?;
        Ok(Template {
            source: source.to_string(),
            nodes: Some(nodes),
        })
    }

    /// A constant template (no rendering).
    pub fn constant(value: &str) -> Template {
        Template {
            source: value.to_string(),
            nodes: None,
        }
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the source is a Mustache template (contains `{{`).
    pub fn is_template(&self) -> bool {
        self.nodes.is_some()
    }

    /// Renders against a model (see [`crate::document::IngestDocument::render`] for documents).
    pub fn render(&self, model: &dyn TemplateModel) -> Result<String, IngestError> {
        let Some(nodes) = &self.nodes else {
            return Ok(self.source.clone());
        };
        let mut out = String::new();
        let mut scopes = Vec::new();
        render_nodes(nodes, model, &mut scopes, &mut out)
            .map_err(|reason| run_error(&self.source, reason))?;
        Ok(out)
    }
}

/// `MustacheScriptEngine.compile`: a `MustacheException` becomes a `ScriptException` with its
/// message, an empty script stack, the source and `lang` `mustache` (400). The messages of
/// mustache.java's parser are approximated ("Improperly closed variable", "Failed to close
/// 'x' tag", "Mismatched start/end tags"), with `query-template:1` as its template name.
fn compile_error(source: &str, reason: String) -> IngestError {
    let mut e = IngestError::new("script_exception", reason.clone());
    e.extra
        .push(("script_stack".into(), serde_json::Value::Array(Vec::new())));
    e.extra.push(("script".into(), source.into()));
    e.extra.push(("lang".into(), "mustache".into()));
    e.with_cause(IngestError::new("mustache_exception", reason))
}

fn run_error(source: &str, reason: RenderError) -> IngestError {
    match reason {
        RenderError::Unsupported(what) => {
            IngestError::unsupported(format!("{what} in Mustache template [{source}]"))
        }
        RenderError::Java(e) => {
            // MustacheExecutableScript: "Error running " + template, with the cause.
            IngestError::new(
                "general_script_exception",
                format!("Error running template [{source}]"),
            )
            .with_cause(e)
        }
    }
}

enum RenderError {
    Unsupported(String),
    Java(IngestError),
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    open: String,
    close: String,
}

/// An open section while parsing: its tag text, name, kind and the nodes before it.
struct Open {
    tag: String,
    name: String,
    inverted: bool,
    function: Function,
    siblings: Vec<Node>,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Parser<'a> {
        Parser {
            src,
            pos: 0,
            open: "{{".into(),
            close: "}}".into(),
        }
    }

    fn parse(mut self) -> Result<Vec<Node>, String> {
        let mut stack: Vec<Open> = Vec::new();
        let mut current: Vec<Node> = Vec::new();
        loop {
            let rest = &self.src[self.pos..];
            let Some(start) = rest.find(self.open.as_str()) else {
                if !rest.is_empty() {
                    current.push(Node::Text(rest.to_string()));
                }
                break;
            };
            if start > 0 {
                current.push(Node::Text(rest[..start].to_string()));
            }
            self.pos += start + self.open.len();
            let rest = &self.src[self.pos..];
            // Triple mustache: {{{name}}}, only with the default delimiters.
            if self.open == "{{" && rest.starts_with('{') {
                let Some(end) = rest.find("}}}") else {
                    return Err("Improperly closed variable in query-template:1".to_string());
                };
                let name = rest[1..end].trim().to_string();
                self.pos += end + 3;
                current.push(Node::Var {
                    name,
                    escape: false,
                });
                continue;
            }
            let Some(end) = rest.find(self.close.as_str()) else {
                return Err("Improperly closed variable in query-template:1".to_string());
            };
            let tag = rest[..end].to_string();
            self.pos += end + self.close.len();
            let trimmed = tag.trim();
            let (sigil, body) = match trimmed.chars().next() {
                Some(c @ ('#' | '^' | '/' | '!' | '&' | '>' | '=')) => {
                    (Some(c), trimmed[1..].trim())
                }
                _ => (None, trimmed),
            };
            match sigil {
                Some('!') => {}
                Some('&') => current.push(Node::Var {
                    name: body.to_string(),
                    escape: false,
                }),
                Some('>') => current.push(Node::Partial(body.to_string())),
                Some('=') => {
                    let inner = body
                        .strip_suffix('=')
                        .ok_or_else(|| format!("Invalid delimiter change in [{}]", self.src))?;
                    let mut parts = inner.split_whitespace();
                    match (parts.next(), parts.next(), parts.next()) {
                        (Some(o), Some(c), None) => {
                            self.open = o.to_string();
                            self.close = c.to_string();
                        }
                        _ => return Err(format!("Invalid delimiter change in [{}]", self.src)),
                    }
                }
                Some(c @ ('#' | '^')) => {
                    let (name, function) = if c == '#' {
                        section_function(body)?
                    } else {
                        (body.to_string(), Function::None)
                    };
                    stack.push(Open {
                        tag: body.to_string(),
                        name,
                        inverted: c == '^',
                        function,
                        siblings: std::mem::take(&mut current),
                    });
                }
                Some('/') => {
                    let Some(open) = stack.pop() else {
                        return Err(format!("Closing unopened section [{body}]"));
                    };
                    if open.tag != body {
                        return Err(format!(
                            "Mismatched start/end tags: {} != {} in query-template:1",
                            open.tag, body
                        ));
                    }
                    let children = std::mem::replace(&mut current, open.siblings);
                    let function = match open.function {
                        Function::ToJson | Function::Join(_) => {
                            // CustomCode.extractVariableName: exactly one code, the name.
                            let single = match children.as_slice() {
                                [Node::Text(t)] => Some(t.clone()),
                                [Node::Var { name, .. }] => Some(format!("{{{{{name}}}}}")),
                                _ => None,
                            };
                            let Some(variable) = single else {
                                return Err(format!(
                                    "Mustache function [{}] must contain one and only one identifier",
                                    if matches!(open.function, Function::ToJson) {
                                        "toJson"
                                    } else {
                                        "join"
                                    }
                                ));
                            };
                            current.push(Node::Section {
                                name: variable,
                                inverted: false,
                                function: open.function,
                                children: Vec::new(),
                            });
                            continue;
                        }
                        other => other,
                    };
                    current.push(Node::Section {
                        name: open.name,
                        inverted: open.inverted,
                        function,
                        children,
                    });
                }
                _ => current.push(Node::Var {
                    name: body.to_string(),
                    escape: true,
                }),
            }
        }
        if let Some(open) = stack.pop() {
            return Err(format!(
                "Failed to close '{}' tag @[query-template:1]",
                open.tag
            ));
        }
        if current.iter().any(|n| matches!(n, Node::Partial(_))) || has_partial(&current) {
            return Err(format!(
                "Template {} not found",
                partial_name(&current).unwrap_or_default()
            ));
        }
        Ok(current)
    }
}

fn has_partial(nodes: &[Node]) -> bool {
    partial_name(nodes).is_some()
}

fn partial_name(nodes: &[Node]) -> Option<String> {
    nodes.iter().find_map(|n| match n {
        Node::Partial(name) => Some(name.clone()),
        Node::Section { children, .. } => partial_name(children),
        _ => None,
    })
}

/// `CustomMustacheVisitor.iterable`: which function a `{{#...}}` section is.
fn section_function(body: &str) -> Result<(String, Function), String> {
    if body.eq_ignore_ascii_case("toJson") {
        return Ok((body.to_string(), Function::ToJson));
    }
    if body.eq_ignore_ascii_case("join") {
        return Ok((body.to_string(), Function::Join(",".into())));
    }
    if let Some(rest) = body.strip_prefix("join delimiter='") {
        if let Some(delimiter) = rest.strip_suffix('\'') {
            return Ok((body.to_string(), Function::Join(delimiter.to_string())));
        }
    }
    if body.eq_ignore_ascii_case("url") {
        return Ok((body.to_string(), Function::Url));
    }
    Ok((body.to_string(), Function::None))
}

fn render_nodes(
    nodes: &[Node],
    model: &dyn TemplateModel,
    scopes: &mut Vec<Value>,
    out: &mut String,
) -> Result<(), RenderError> {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Var { name, escape } => {
                if let Some(v) = resolve(name, model, scopes)? {
                    if !v.is_null() {
                        let text = stringify(&v)?;
                        if *escape {
                            json_escape(&text, out);
                        } else {
                            out.push_str(&text);
                        }
                    }
                }
            }
            Node::Partial(name) => {
                return Err(RenderError::Unsupported(format!("the partial [{name}]")));
            }
            Node::Section {
                name,
                inverted,
                function,
                children,
            } => match function {
                Function::ToJson => {
                    let resolved = resolve(name, model, scopes)?;
                    if let Some(v) = resolved.filter(|v| !v.is_null()) {
                        match &v {
                            Value::List(_) | Value::Set(_) | Value::Array(_) | Value::Map(_) => {
                                let mut json = String::new();
                                painless::value::write_json(&v, &mut json).map_err(|e| {
                                    RenderError::Java(IngestError::new(
                                        "mustache_exception",
                                        format!("Failed to convert object to JSON: {e}"),
                                    ))
                                })?;
                                out.push_str(&json);
                            }
                            other => out.push_str(&stringify(other)?),
                        }
                    }
                }
                Function::Join(delimiter) => {
                    let resolved = resolve(name, model, scopes)?;
                    match resolved.as_ref().map(iterable_items) {
                        Some(Some(items)) => {
                            let mut first = true;
                            for item in items {
                                if !first {
                                    out.push_str(delimiter);
                                }
                                first = false;
                                out.push_str(&stringify(&item)?);
                            }
                        }
                        // Not iterable: the function returns the section's rendered body,
                        // which is the variable's name.
                        _ => {
                            if resolved.is_some() {
                                out.push_str(name);
                            }
                        }
                    }
                }
                Function::Url => {
                    for child in children {
                        let mut captured = String::new();
                        render_nodes(std::slice::from_ref(child), model, scopes, &mut captured)?;
                        url_encode(&captured, out);
                    }
                }
                Function::None => {
                    let resolved = resolve(name, model, scopes)?;
                    if *inverted {
                        if is_falsy(resolved.as_ref()) {
                            render_nodes(children, model, scopes, out)?;
                        }
                        continue;
                    }
                    let Some(v) = resolved else { continue };
                    match &v {
                        Value::Null => {}
                        Value::Boolean(false) => {}
                        Value::String(s) if s.is_empty() => {}
                        _ => match iterable_items(&v) {
                            Some(items) => {
                                for item in items {
                                    scopes.push(item);
                                    let r = render_nodes(children, model, scopes, out);
                                    scopes.pop();
                                    r?;
                                }
                            }
                            None => {
                                scopes.push(v.clone());
                                let r = render_nodes(children, model, scopes, out);
                                scopes.pop();
                                r?;
                            }
                        },
                    }
                }
            },
        }
    }
    Ok(())
}

/// `BaseObjectHandler.falsey` for inverted sections.
fn is_falsy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Boolean(false)) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(other) => iterable_items(other).is_some_and(|items| items.is_empty()),
    }
}

/// The items of an `Iterable` (lists, sets) or array, in iteration order.
fn iterable_items(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) => Some(l.borrow().items.clone()),
        Value::Set(s) => Some(s.borrow().iter().collect()),
        Value::Array(a) => Some(a.borrow().items.clone()),
        _ => None,
    }
}

/// `oh.stringify`: `toString()`, refusing self-referencing collections.
fn stringify(v: &Value) -> Result<String, RenderError> {
    if self_referencing(v, &mut Vec::new()) {
        return Err(RenderError::Java(IngestError::illegal_argument(
            "Iterable object is self-referencing itself (CustomReflectionObjectHandler stringify)",
        )));
    }
    Ok(v.java_to_string())
}

/// `CollectionUtils.ensureNoSelfReferences`: a collection that contains itself.
pub(crate) fn self_referencing(v: &Value, path: &mut Vec<*const ()>) -> bool {
    let ptr = match v {
        Value::List(l) => std::rc::Rc::as_ptr(l) as *const (),
        Value::Map(m) => std::rc::Rc::as_ptr(m) as *const (),
        Value::Set(s) => std::rc::Rc::as_ptr(s) as *const (),
        Value::Array(a) => std::rc::Rc::as_ptr(a) as *const (),
        _ => return false,
    };
    if path.contains(&ptr) {
        return true;
    }
    path.push(ptr);
    // Order does not matter here: walk the collections as stored, without copying them.
    let found = match v {
        Value::List(l) => l.borrow().items.iter().any(|c| self_referencing(c, path)),
        Value::Map(m) => m
            .borrow()
            .values_unordered()
            .any(|c| self_referencing(c, path)),
        Value::Set(s) => s
            .borrow()
            .iter_unordered()
            .any(|c| self_referencing(c, path)),
        Value::Array(a) => a.borrow().items.iter().any(|c| self_referencing(c, path)),
        _ => false,
    };
    path.pop();
    found
}

/// mustache.java's `find`: `.` is the innermost scope; a dotted name is resolved segment by
/// segment, trying each scope from the innermost outwards for the first segment (the model is
/// the outermost scope). `Ok(None)`: not found (renders nothing).
fn resolve(
    name: &str,
    model: &dyn TemplateModel,
    scopes: &[Value],
) -> Result<Option<Value>, RenderError> {
    if name == "." {
        return Ok(scopes.last().cloned());
    }
    let mut segments = name.split('.');
    let first = segments.next().unwrap_or("");
    let rest: Vec<&str> = segments.collect();
    for scope in scopes.iter().rev() {
        if let Some(v) = lookup_in(scope, first)? {
            if let Some(found) = descend(v, &rest)? {
                return Ok(Some(found));
            }
        }
    }
    match model.lookup(first) {
        Some(v) => descend(v, &rest),
        None => Ok(None),
    }
}

fn descend(mut v: Value, rest: &[&str]) -> Result<Option<Value>, RenderError> {
    for segment in rest {
        match lookup_in(&v, segment)? {
            Some(next) => v = next,
            None => return Ok(None),
        }
    }
    Ok(Some(v))
}

/// One segment on one object: a map key (present, even if null), a list/array index or `size`
/// (`CustomReflectionObjectHandler`), else not found.
fn lookup_in(scope: &Value, key: &str) -> Result<Option<Value>, RenderError> {
    match scope {
        Value::Map(m) => {
            let m = m.borrow();
            Ok(m.get_str(key).cloned())
        }
        Value::List(_) | Value::Set(_) | Value::Array(_) => {
            let items = iterable_items(scope).unwrap_or_default();
            if key == "size" {
                return Ok(Some(Value::Int(items.len() as i32)));
            }
            match crate::config::parse_java_int(key) {
                None => Ok(None),
                Some(i) if i >= 0 && (i as usize) < items.len() => {
                    Ok(Some(items[i as usize].clone()))
                }
                Some(i) => Err(RenderError::Java(IngestError::new(
                    "index_out_of_bounds_exception",
                    format!("Index {i} out of bounds for length {}", items.len()),
                ))),
            }
        }
        Value::Null => Ok(None),
        other => {
            // ReflectionObjectHandler would look for a method or field of that name on the
            // object (`length`, `getX`, `isX`); not emulated.
            if reflective_member(other, key) {
                Err(RenderError::Unsupported(format!(
                    "the Java member [{key}] of a [{}] value",
                    other.class_name().unwrap_or("null")
                )))
            } else {
                Ok(None)
            }
        }
    }
}

/// Whether mustache.java's reflection would find a member `key` on this value (the public
/// no-argument methods of the classes that appear in documents).
fn reflective_member(v: &Value, key: &str) -> bool {
    const OBJECT: &[&str] = &["class", "toString", "hashCode"];
    if OBJECT.contains(&key) {
        return true;
    }
    match v {
        Value::String(_) => matches!(
            key,
            "length"
                | "empty"
                | "blank"
                | "bytes"
                | "chars"
                | "trim"
                | "strip"
                | "toLowerCase"
                | "toUpperCase"
                | "intern"
                | "lines"
                | "isEmpty"
                | "isBlank"
                | "getBytes"
        ),
        Value::Object(_) => true,
        _ => false,
    }
}

/// Jackson's `JsonStringEncoder.quoteAsString`: `"` and `\` backslash-escaped, control
/// characters as `\b \t \n \f \r` or `\u00XX`.
pub fn json_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
}

/// `URLEncoder.encode(s, UTF-8)`: letters, digits and `.-*_` kept, space as `+`, the rest as
/// `%XX` (uppercase) of its UTF-8 bytes.
pub fn url_encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(json: &str) -> Value {
        painless::value::parse_json(json).unwrap()
    }

    fn render(t: &str, json: &str) -> String {
        Template::compile(t).unwrap().render(&model(json)).unwrap()
    }

    #[test]
    fn plain_strings_are_constants() {
        let t = Template::compile("no braces { here }").unwrap();
        assert!(!t.is_template());
        assert_eq!(t.render(&model("{}")).unwrap(), "no braces { here }");
    }

    #[test]
    fn variables_escape_as_json_and_triple_does_not() {
        let doc = r#"{"a": "say \"hi\"\n\\", "n": 1.0, "l": ["x", 2], "m": {"k": "v"}}"#;
        assert_eq!(render("{{a}}", doc), r#"say \"hi\"\n\\"#);
        assert_eq!(render("{{{a}}}", doc), "say \"hi\"\n\\");
        assert_eq!(render("{{&a}}", doc), "say \"hi\"\n\\");
        assert_eq!(render("{{n}}", doc), "1.0");
        assert_eq!(render("{{l}}", doc), "[x, 2]");
        assert_eq!(render("{{m}}", doc), "{k=v}");
        assert_eq!(render("[{{missing}}]", doc), "[]");
    }

    #[test]
    fn dotted_names_and_list_indices() {
        let doc = r#"{"a": {"b": [{"c": "x"}, "y"]}}"#;
        assert_eq!(render("{{a.b.0.c}}", doc), "x");
        assert_eq!(render("{{a.b.1}}", doc), "y");
        assert_eq!(render("{{a.b.size}}", doc), "2");
        assert_eq!(render("{{a.b.foo}}", doc), "");
        assert!(Template::compile("{{a.b.5}}")
            .unwrap()
            .render(&model(doc))
            .is_err());
    }

    #[test]
    fn sections_and_inverted_sections() {
        let doc = r#"{"l": [{"n": 1}, {"n": 2}], "t": true, "f": false, "e": [], "s": "", "z": 0, "o": {"x": "y"}}"#;
        assert_eq!(render("{{#l}}<{{n}}>{{/l}}", doc), "<1><2>");
        assert_eq!(render("{{#t}}yes{{/t}}{{#f}}no{{/f}}", doc), "yes");
        assert_eq!(
            render("{{^e}}empty{{/e}}{{^s}}blank{{/s}}{{^z}}zero{{/z}}", doc),
            "emptyblank"
        );
        assert_eq!(render("{{#z}}zero{{/z}}", doc), "zero");
        assert_eq!(render("{{#o}}{{x}}{{/o}}", doc), "y");
        assert_eq!(render("{{#l}}{{.}};{{/l}}", r#"{"l": ["a", "b"]}"#), "a;b;");
        assert_eq!(render("{{! a comment }}x", doc), "x");
    }

    #[test]
    fn functions() {
        let doc = r#"{"l": ["a", "b"], "m": {"k": 1}, "s": "x y/é"}"#;
        assert_eq!(render("{{#toJson}}l{{/toJson}}", doc), r#"["a","b"]"#);
        assert_eq!(render("{{#toJson}}m{{/toJson}}", doc), r#"{"k":1}"#);
        assert_eq!(render("{{#join}}l{{/join}}", doc), "a,b");
        assert_eq!(
            render("{{#join delimiter=' | '}}l{{/join delimiter=' | '}}", doc),
            "a | b"
        );
        assert_eq!(render("{{#url}}{{s}}{{/url}}", doc), "x+y%2F%C3%A9");
    }

    #[test]
    fn compile_errors() {
        assert!(Template::compile("{{#a}}x").is_err());
        assert!(Template::compile("{{a").is_err());
        assert!(Template::compile("{{#a}}{{/b}}").is_err());
        assert!(Template::compile("{{> p}}").is_err());
    }

    #[test]
    fn delimiter_change() {
        assert_eq!(render("{{=<% %>=}}<%a%> {{a}}", r#"{"a": "v"}"#), "v {{a}}");
    }
}
