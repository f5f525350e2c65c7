//! Reading the allowlist files, with the grammar of upstream `AllowlistLoader.loadFromResourceFiles`
//! (`modules/lang-painless/spi/src/main/java/org/opensearch/painless/spi/AllowlistLoader.java`):
//!
//! ```text
//! class JAVA_NAME annotations? {        # '@no_import' keeps the simple name out of scripts
//!   (TYPE, TYPE)                        # constructor
//!   RET name(TYPE, TYPE) annotations?   # method
//!   RET augmenting.Class name(TYPE)     # augmented method (a static method of that class)
//!   TYPE NAME                           # field
//! }
//! static_import {
//!   RET name(TYPE) from_class JAVA_NAME | bound_to JAVA_NAME
//! }
//! ```
//! Blank lines and `#` comments are skipped; a class may be declared in several files, whose
//! members are merged.

use std::collections::{HashMap, HashSet};

use super::{Allowlist, Class, ClassId, Field, Members, Method, MethodId, Type};

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("[{file}]:[{line}]: {message}")]
    Syntax {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Data(String),
}

#[derive(Default)]
struct RawClass {
    java_name: String,
    no_import: bool,
    /// (file, line, text)
    members: Vec<(String, usize, String)>,
}

struct RawSupers {
    is_interface: bool,
    supers: Vec<String>,
}

const PRIMITIVES: &[&str] = &[
    "void", "boolean", "byte", "short", "char", "int", "long", "float", "double",
];

pub(super) fn build(
    files: &[(&str, &str)],
    supertypes: &str,
    statics: &str,
    functional: &str,
) -> Result<Allowlist, ParseError> {
    let mut raw: Vec<RawClass> = Vec::new();
    let mut raw_index: HashMap<String, usize> = HashMap::new();
    let mut imports: Vec<(String, usize, String)> = Vec::new();

    for (file, text) in files {
        let mut current: Option<usize> = None;
        let mut in_static_import = false;
        for (n, line) in text.lines().enumerate() {
            let number = n + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |message: String| ParseError::Syntax {
                file: (*file).to_owned(),
                line: number,
                message,
            };
            if let Some(rest) = line.strip_prefix("class ") {
                let Some(rest) = rest.strip_suffix('{') else {
                    return Err(err(format!(
                        "invalid class definition: failed to parse class opening bracket [{line}]"
                    )));
                };
                if current.is_some() || in_static_import {
                    return Err(err(format!(
                        "invalid definition: cannot embed class definition [{line}]"
                    )));
                }
                let (name, annotations) = match rest.find('@') {
                    Some(i) => (rest[..i].trim(), &rest[i..]),
                    None => (rest.trim(), ""),
                };
                let idx = *raw_index.entry(name.to_owned()).or_insert_with(|| {
                    raw.push(RawClass {
                        java_name: name.to_owned(),
                        ..RawClass::default()
                    });
                    raw.len() - 1
                });
                if annotations.contains("@no_import") {
                    raw[idx].no_import = true;
                }
                current = Some(idx);
            } else if line.starts_with("static_import ") || line == "static_import {" {
                if current.is_some() || in_static_import {
                    return Err(err(format!(
                        "invalid definition: cannot embed static import definition [{line}]"
                    )));
                }
                in_static_import = true;
            } else if line == "}" {
                if current.is_none() && !in_static_import {
                    return Err(err("invalid definition: extraneous closing bracket".into()));
                }
                current = None;
                in_static_import = false;
            } else if in_static_import {
                imports.push(((*file).to_owned(), number, line.to_owned()));
            } else if let Some(idx) = current {
                raw[idx]
                    .members
                    .push(((*file).to_owned(), number, line.to_owned()));
            } else {
                return Err(err(format!("invalid definition: no class for [{line}]")));
            }
        }
        if current.is_some() || in_static_import {
            return Err(ParseError::Data(format!(
                "[{file}]: a definition is not closed at the end of the file"
            )));
        }
    }

    // Supertypes (and which classes are interfaces), from supertypes.txt.
    let mut supers_table: HashMap<String, RawSupers> = HashMap::new();
    let mut hidden_order: Vec<String> = Vec::new();
    for line in supertypes.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (kind, rest) = line
            .split_once(' ')
            .ok_or_else(|| ParseError::Data(format!("supertypes.txt: [{line}]")))?;
        let (name, list) = rest
            .split_once(':')
            .ok_or_else(|| ParseError::Data(format!("supertypes.txt: no ':' in [{line}]")))?;
        let name = name.trim().to_owned();
        let supers = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if !raw_index.contains_key(&name) {
            hidden_order.push(name.clone());
        }
        supers_table.insert(
            name,
            RawSupers {
                is_interface: kind == "interface",
                supers,
            },
        );
    }

    // Class ids: allowlisted classes in file order (primitive pseudo-classes excluded), then
    // the hidden runtime classes whose supertypes are known.
    let mut classes: Vec<Class> = Vec::new();
    let mut by_name: HashMap<String, ClassId> = HashMap::new();
    let mut by_java: HashMap<String, ClassId> = HashMap::new();
    let mut raw_of_class: Vec<Option<usize>> = Vec::new();
    for (i, rc) in raw.iter().enumerate() {
        if PRIMITIVES.contains(&rc.java_name.as_str()) {
            continue;
        }
        let id = ClassId(classes.len() as u32);
        let canonical = rc.java_name.replace('$', ".");
        let simple = match rc.java_name.rfind('.') {
            Some(dot) => rc.java_name[dot + 1..].replace('$', "."),
            None => canonical.clone(),
        };
        let painless_name = if rc.no_import {
            canonical.clone()
        } else {
            simple.clone()
        };
        if !rc.no_import {
            by_name.insert(simple, id);
        }
        by_name.insert(canonical, id);
        by_name.insert(rc.java_name.clone(), id);
        by_java.insert(rc.java_name.clone(), id);
        classes.push(Class {
            id,
            painless_name,
            java_name: rc.java_name.clone(),
            supers: Vec::new(),
            is_interface: supers_table
                .get(&rc.java_name)
                .is_some_and(|s| s.is_interface),
            hidden: false,
        });
        raw_of_class.push(Some(i));
    }
    for name in &hidden_order {
        let id = ClassId(classes.len() as u32);
        by_name.insert(name.clone(), id);
        by_java.insert(name.clone(), id);
        classes.push(Class {
            id,
            painless_name: name.replace('$', "."),
            java_name: name.clone(),
            supers: Vec::new(),
            is_interface: supers_table[name].is_interface,
            hidden: true,
        });
        raw_of_class.push(None);
    }
    let object = *by_java
        .get("java.lang.Object")
        .ok_or_else(|| ParseError::Data("java.lang.Object is not allowlisted".into()))?;
    for class in &mut classes {
        if class.id == object {
            continue;
        }
        match supers_table.get(&class.java_name) {
            Some(s) => {
                class.supers = s
                    .supers
                    .iter()
                    .filter_map(|n| by_java.get(n).copied())
                    .collect();
            }
            None => {
                if !class.is_interface {
                    class.supers = vec![object];
                }
            }
        }
    }

    // Ancestors, nearest first; every class and interface ends at Object.
    let mut ancestors: Vec<Vec<ClassId>> = Vec::with_capacity(classes.len());
    for class in &classes {
        let mut seen: HashSet<ClassId> = HashSet::new();
        let mut order = Vec::new();
        let mut queue: std::collections::VecDeque<ClassId> = class.supers.iter().copied().collect();
        while let Some(c) = queue.pop_front() {
            if c == class.id || !seen.insert(c) {
                continue;
            }
            order.push(c);
            queue.extend(classes[c.0 as usize].supers.iter().copied());
        }
        if class.id != object && !seen.contains(&object) {
            order.push(object);
        }
        ancestors.push(order);
    }

    // Static-ness.
    let statics = parse_statics(statics)?;

    // Members.
    let resolver = TypeResolver { by_name: &by_name };
    let mut methods: Vec<Method> = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut members: Vec<Members> = (0..classes.len()).map(|_| Members::default()).collect();
    let mut skipped: Vec<String> = Vec::new();
    for (ci, raw_idx) in raw_of_class.iter().enumerate() {
        let Some(raw_idx) = raw_idx else { continue };
        let rc = &raw[*raw_idx];
        let class_id = ClassId(ci as u32);
        let class_statics = statics.get(rc.java_name.as_str());
        for (file, number, line) in &rc.members {
            let err = |message: String| ParseError::Syntax {
                file: file.clone(),
                line: *number,
                message,
            };
            let simple = classes[ci].painless_name.clone();
            if line.starts_with('(') {
                let close = line
                    .find(')')
                    .ok_or_else(|| err(format!("invalid constructor definition: [{line}]")))?;
                let params = match resolver.params(&line[1..close]) {
                    Ok(p) => p,
                    Err(missing) => {
                        skipped.push(format!("{simple}.<init>({}) [{missing}]", &line[1..close]));
                        continue;
                    }
                };
                let id = MethodId(methods.len() as u32);
                members[ci].constructors.insert(params.len(), id);
                methods.push(Method {
                    id,
                    class: class_id,
                    java_class: rc.java_name.clone(),
                    name: "<init>".into(),
                    params,
                    ret: Type::Class(class_id),
                    is_static: true,
                    augmentation: None,
                    injected_constants: Vec::new(),
                    nondeterministic: false,
                });
            } else if let Some(open) = line.find('(') {
                let close = line
                    .rfind(')')
                    .ok_or_else(|| err(format!("invalid method definition: [{line}]")))?;
                let head: Vec<&str> = line[..open].split_whitespace().collect();
                let (ret, augmentation, name) = match head.as_slice() {
                    [ret, name] => (*ret, None, *name),
                    [ret, aug, name] => (*ret, Some((*aug).to_owned()), *name),
                    _ => {
                        return Err(err(format!(
                            "invalid method definition: unexpected format [{line}]"
                        )))
                    }
                };
                let annotations = &line[close + 1..];
                let injected = parse_injected(annotations);
                let nondeterministic = annotations.contains("@nondeterministic");
                let mut params = match resolver.params(&line[open + 1..close]) {
                    Ok(p) => p,
                    Err(missing) => {
                        skipped.push(format!("{simple}.{name}/{} [{missing}]", {
                            let p = line[open + 1..close].trim();
                            if p.is_empty() {
                                0
                            } else {
                                p.split(',').count()
                            }
                        }));
                        continue;
                    }
                };
                let ret_ty = match resolver.ty(ret) {
                    Ok(t) => t,
                    Err(missing) => {
                        skipped.push(format!("{simple}.{name}/{} [{missing}]", params.len()));
                        continue;
                    }
                };
                if injected.len() > params.len() {
                    return Err(err(format!(
                        "more injected constants than parameters [{line}]"
                    )));
                }
                params.drain(..injected.len());
                let is_static = augmentation.is_none()
                    && class_statics.is_some_and(|s| s.is_static(name, params.len()));
                let id = MethodId(methods.len() as u32);
                let key = (name.to_owned(), params.len());
                if is_static {
                    members[ci].statics.insert(key, id);
                } else {
                    members[ci].methods.insert(key, id);
                }
                methods.push(Method {
                    id,
                    class: class_id,
                    java_class: rc.java_name.clone(),
                    name: name.to_owned(),
                    params,
                    ret: ret_ty,
                    is_static,
                    augmentation,
                    injected_constants: injected,
                    nondeterministic,
                });
            } else {
                let body = match line.find('@') {
                    Some(i) => line[..i].trim(),
                    None => line.as_str(),
                };
                let parts: Vec<&str> = body.split_whitespace().collect();
                let [ty, name] = parts.as_slice() else {
                    return Err(err(format!("invalid field definition: [{line}]")));
                };
                let ty = match resolver.ty(ty) {
                    Ok(t) => t,
                    Err(missing) => {
                        skipped.push(format!("{simple}.{name} [{missing}]"));
                        continue;
                    }
                };
                members[ci].fields.insert((*name).to_owned(), fields.len());
                // Every field of the allowlist files is a public static constant of its class.
                fields.push(Field {
                    class: class_id,
                    java_class: rc.java_name.clone(),
                    name: (*name).to_owned(),
                    ty,
                    is_static: true,
                });
            }
        }
    }

    // Static imports: `RET name(PARAMS) from_class CLASS` (`bound_to` class bindings are not
    // methods of a class; they are kept with the binding class as declaring class when known).
    let mut imported = HashMap::new();
    for (file, number, line) in &imports {
        let err = |message: String| ParseError::Syntax {
            file: file.clone(),
            line: *number,
            message,
        };
        let open = line
            .find('(')
            .ok_or_else(|| err(format!("illegal static import definition [{line}]")))?;
        let close = line
            .find(')')
            .ok_or_else(|| err(format!("illegal static import definition [{line}]")))?;
        let head: Vec<&str> = line[..open].split_whitespace().collect();
        let [ret, name] = head.as_slice() else {
            return Err(err(format!(
                "invalid method definition: unexpected format [{line}]"
            )));
        };
        let tail: Vec<&str> = line[close + 1..].split_whitespace().collect();
        let origin = tail.get(1).copied().unwrap_or("");
        let (Ok(params), Ok(ret)) = (resolver.params(&line[open + 1..close]), resolver.ty(ret))
        else {
            skipped.push(format!("static_import {name} [{line}]"));
            continue;
        };
        let class = by_java.get(origin).copied().unwrap_or(object);
        let id = MethodId(methods.len() as u32);
        imported.insert(((*name).to_owned(), params.len()), id);
        methods.push(Method {
            id,
            class,
            java_class: origin.to_owned(),
            name: (*name).to_owned(),
            params,
            ret,
            is_static: true,
            augmentation: Some(origin.to_owned()),
            injected_constants: Vec::new(),
            nondeterministic: false,
        });
    }

    // Instance methods visible on each class: its own, then each ancestor's (nearest first).
    let mut visible_methods = Vec::with_capacity(classes.len());
    for (ci, anc) in ancestors.iter().enumerate() {
        let mut table = members[ci].methods.clone();
        for a in anc {
            for (k, v) in &members[a.0 as usize].methods {
                table.entry(k.clone()).or_insert(*v);
            }
        }
        visible_methods.push(table);
    }

    // Functional interfaces.
    let mut functional_table = HashMap::new();
    for line in functional.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (iface, sig) = line
            .split_once(' ')
            .ok_or_else(|| ParseError::Data(format!("functional.txt: [{line}]")))?;
        let (name, arity) = sig
            .trim()
            .split_once('/')
            .ok_or_else(|| ParseError::Data(format!("functional.txt: [{line}]")))?;
        let arity: usize = arity
            .parse()
            .map_err(|_| ParseError::Data(format!("functional.txt: [{line}]")))?;
        let Some(class) = by_java.get(iface) else {
            continue;
        };
        let Some(id) = visible_methods[class.0 as usize].get(&(name.to_owned(), arity)) else {
            return Err(ParseError::Data(format!(
                "functional.txt: {iface} has no method {name}/{arity}"
            )));
        };
        functional_table.insert(*class, *id);
    }

    Ok(Allowlist {
        classes,
        by_name,
        methods,
        fields,
        members,
        ancestors,
        visible_methods,
        functional: functional_table,
        imported,
        object,
        skipped,
    })
}

/// `@inject_constant[1="regex_limit_factor"]` → `["regex_limit_factor"]`.
fn parse_injected(annotations: &str) -> Vec<String> {
    let Some(start) = annotations.find("@inject_constant[") else {
        return Vec::new();
    };
    let rest = &annotations[start + "@inject_constant[".len()..];
    let Some(end) = rest.find(']') else {
        return Vec::new();
    };
    let mut out: Vec<(usize, String)> = rest[..end]
        .split(',')
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            Some((
                k.trim().parse().ok()?,
                v.trim().trim_matches('"').to_owned(),
            ))
        })
        .collect();
    out.sort();
    out.into_iter().map(|(_, v)| v).collect()
}

struct StaticSpec {
    all: bool,
    names: HashSet<String>,
    exact: HashSet<(String, usize)>,
    not_names: HashSet<String>,
    not_exact: HashSet<(String, usize)>,
}

impl StaticSpec {
    fn is_static(&self, name: &str, arity: usize) -> bool {
        let key = (name.to_owned(), arity);
        if self.all {
            !(self.not_names.contains(name) || self.not_exact.contains(&key))
        } else {
            self.names.contains(name) || self.exact.contains(&key)
        }
    }
}

fn parse_statics(text: &str) -> Result<HashMap<&str, StaticSpec>, ParseError> {
    let mut out = HashMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let class = words.next().expect("non-empty line");
        let mut spec = StaticSpec {
            all: false,
            names: HashSet::new(),
            exact: HashSet::new(),
            not_names: HashSet::new(),
            not_exact: HashSet::new(),
        };
        for w in words {
            if w == "*" {
                spec.all = true;
                continue;
            }
            let (negated, w) = match w.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, w),
            };
            match w.split_once('/') {
                Some((n, a)) => {
                    let a: usize = a
                        .parse()
                        .map_err(|_| ParseError::Data(format!("statics.txt: [{line}]")))?;
                    if negated {
                        spec.not_exact.insert((n.to_owned(), a));
                    } else {
                        spec.exact.insert((n.to_owned(), a));
                    }
                }
                None => {
                    if negated {
                        spec.not_names.insert(w.to_owned());
                    } else {
                        spec.names.insert(w.to_owned());
                    }
                }
            }
        }
        out.insert(class, spec);
    }
    Ok(out)
}

struct TypeResolver<'a> {
    by_name: &'a HashMap<String, ClassId>,
}

impl TypeResolver<'_> {
    /// A type name; `Err(name)` names the type that is not allowlisted.
    fn ty(&self, name: &str) -> Result<Type, String> {
        let name = name.trim();
        if let Some(inner) = name.strip_suffix("[]") {
            return Ok(Type::Array(Box::new(self.ty(inner)?)));
        }
        Ok(match name {
            "void" => Type::Void,
            "boolean" => Type::Boolean,
            "byte" => Type::Byte,
            "short" => Type::Short,
            "char" => Type::Char,
            "int" => Type::Int,
            "long" => Type::Long,
            "float" => Type::Float,
            "double" => Type::Double,
            "def" => Type::Def,
            other => match self.by_name.get(other) {
                Some(id) => Type::Class(*id),
                None => return Err(other.to_owned()),
            },
        })
    }

    fn params(&self, list: &str) -> Result<Vec<Type>, String> {
        let list = list.trim();
        if list.is_empty() {
            return Ok(Vec::new());
        }
        list.split(',').map(|p| self.ty(p)).collect()
    }
}
