//! Saved objects: unique ids and titles, references that resolve, and the authoring format.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::content::kind::Kind;
use crate::content::problem::Problem;
use crate::content::resource::{pointer as value_at, Resource};
use crate::content::saved_object::json_string_paths;
use crate::content::Content;

pub(super) fn check(content: &Content) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_unique(content, &mut problems);
    for object in content
        .resources
        .iter()
        .filter(|r| r.kind.is_saved_object())
    {
        check_json_attributes(object, &mut problems);
        check_references(content, object, &mut problems);
        match object.kind {
            Kind::IndexPattern => check_index_pattern(object, &mut problems),
            Kind::Config => check_config(content, object, &mut problems),
            Kind::Visualization
                if !value_at(&object.body, "/attributes/visState/type")
                    .is_some_and(Value::is_string) =>
            {
                problems.push(
                        Problem::new(&object.file, "a visualization needs `visState` with a `type` (e.g. \"line\", \"table\", \"pie\")")
                            .at_line(object.line_of("/attributes/visState")),
                    );
            }
            _ => {}
        }
    }
    problems
}

/// Ids are unique per kind (two files cannot name the same object), and so are titles (two
/// objects with one title cannot be told apart in Dashboards). Each repeat is reported at the
/// file changed last, the one just added or edited, naming the one that was there first.
fn check_unique(content: &Content, problems: &mut Vec<Problem>) {
    let mut ids: BTreeMap<(Kind, &str), &Resource> = BTreeMap::new();
    let mut titles: BTreeMap<(Kind, &str), &Resource> = BTreeMap::new();
    for resource in &content.resources {
        if let Some(first) = ids.insert((resource.kind, &resource.id), resource) {
            let (older, newer) = by_age(content, first, resource);
            ids.insert((resource.kind, &resource.id), older);
            let line = if is_yaml(newer) {
                line_of_key(&newer.text, "id")
            } else {
                Some(1) // the id is the file's name
            };
            problems.push(
                Problem::new(
                    &newer.file,
                    format!(
                        "{} id `{}` is already used: first defined in `{}`",
                        newer.kind,
                        newer.id,
                        older.file.display()
                    ),
                )
                .at_line(line)
                .with_hint(if is_yaml(newer) {
                    "ids are unique per kind: give this saved search an `id:` of its own"
                } else {
                    "ids are unique per kind: rename this file (its name is the object's id)"
                }),
            );
        }
        if let Some(title) = resource.title() {
            if let Some(first) = titles.insert((resource.kind, title), resource) {
                let (older, newer) = by_age(content, first, resource);
                titles.insert((resource.kind, title), older);
                let line = if is_yaml(newer) {
                    line_of_key(&newer.text, "title")
                } else {
                    newer.line_of("/attributes/title")
                };
                problems.push(
                    Problem::new(&newer.file, format!("{} title `{title}` is already used: first defined in `{}`", newer.kind, older.file.display()))
                        .at_line(line)
                        .with_hint("titles are unique per kind, so that analysts can tell objects apart in Dashboards"),
                );
            }
        }
    }
}

/// The two files of a repeat, the one changed first then the one changed last (by modification
/// time; in content order when the times cannot be read or are equal).
fn by_age<'a>(
    content: &Content,
    first: &'a Resource,
    second: &'a Resource,
) -> (&'a Resource, &'a Resource) {
    let modified = |r: &Resource| {
        std::fs::metadata(content.root.join(&r.file))
            .and_then(|m| m.modified())
            .ok()
    };
    match (modified(first), modified(second)) {
        (Some(a), Some(b)) if a > b => (second, first),
        _ => (first, second),
    }
}

fn is_yaml(resource: &Resource) -> bool {
    resource
        .file
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml")
}

/// The line of a top-level `key:` in a YAML file.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// The JSON-string attributes are written as JSON in the content; a string there is either
/// JSON pasted from an export (readable diffs need it unpacked) or a mistake.
fn check_json_attributes(object: &Resource, problems: &mut Vec<Problem>) {
    let Some(attributes) = object.body.get("attributes").and_then(Value::as_object) else {
        return;
    };
    for path in json_string_paths(attributes) {
        let pointer = format!("/attributes/{}", path.replace('.', "/"));
        if value_at(&object.body, &pointer).is_some_and(Value::is_string) {
            problems.push(
                Problem::new(&object.file, format!("`{path}` is written as a string: write it as JSON, siemctl encodes it when sending"))
                    .at_line(object.line_of(&pointer))
                    .with_hint("paste the parsed value (e.g. `\"visState\": {\"type\": \"line\", ...}`) so that reviewers can read changes"),
            );
        }
    }
}

fn check_references(content: &Content, object: &Resource, problems: &mut Vec<Problem>) {
    let mut names = BTreeSet::new();
    for (i, (name, type_name, id)) in object.references().into_iter().enumerate() {
        let pointer = format!("/references/{i}");
        let problem =
            |message: String| Problem::new(&object.file, message).at_line(object.line_of(&pointer));
        if name.is_empty() || type_name.is_empty() || id.is_empty() {
            problems.push(problem(
                "each reference needs `name`, `type` and `id`".into(),
            ));
            continue;
        }
        if !names.insert(name) {
            problems.push(problem(format!("reference name `{name}` is used twice")));
        }
        match Kind::from_saved_object_type(type_name) {
            None => problems.push(problem(format!(
                "reference `{name}` has unknown type `{type_name}`"
            ))),
            Some(kind) if !content.declares(kind, id) => {
                let known: Vec<&str> = content.of_kind(kind).map(|r| r.id.as_str()).collect();
                let mut p = problem(format!(
                    "reference `{name}` points to {type_name} `{id}`, which is not in the content"
                ));
                if let Some(close) = crate::content::suggest::did_you_mean(id, &known) {
                    p = p.with_hint(format!(
                        "did you mean `{close}`? references use ids, not titles"
                    ));
                } else {
                    p = p.with_hint(
                        "references use the id (the file name before the kind), not the title",
                    );
                }
                problems.push(p);
            }
            Some(_) => {}
        }
    }
    // Names that the attributes use must each have a reference.
    let mut used: Vec<(String, String)> = Vec::new();
    let source = "/attributes/kibanaSavedObjectMeta/searchSourceJSON";
    if let Some(name) =
        value_at(&object.body, &format!("{source}/indexRefName")).and_then(Value::as_str)
    {
        used.push((name.to_string(), format!("{source}/indexRefName")));
    }
    if let Some(filters) =
        value_at(&object.body, &format!("{source}/filter")).and_then(Value::as_array)
    {
        for (i, filter) in filters.iter().enumerate() {
            if let Some(name) = value_at(filter, "/meta/indexRefName").and_then(Value::as_str) {
                used.push((name.to_string(), format!("{source}/filter/{i}")));
            }
        }
    }
    if let Some(name) =
        value_at(&object.body, "/attributes/savedSearchRefName").and_then(Value::as_str)
    {
        used.push((name.to_string(), "/attributes/savedSearchRefName".into()));
    }
    if let Some(panels) = value_at(&object.body, "/attributes/panelsJSON").and_then(Value::as_array)
    {
        for (i, panel) in panels.iter().enumerate() {
            match panel.get("panelRefName").and_then(Value::as_str) {
                Some(name) => used.push((name.to_string(), format!("/attributes/panelsJSON/{i}"))),
                None => problems.push(
                    Problem::new(&object.file, "a dashboard panel needs `panelRefName`, the name of a reference to its visualization or search")
                        .at_line(object.line_of(&format!("/attributes/panelsJSON/{i}"))),
                ),
            }
        }
    }
    for (name, pointer) in used {
        if !names.contains(name.as_str()) {
            problems.push(
                Problem::new(
                    &object.file,
                    format!("`{name}` is used but there is no reference of that name"),
                )
                .at_line(object.line_of(&pointer))
                .with_hint(format!(
                    "add {{\"name\": \"{name}\", \"type\": ..., \"id\": ...}} to `references`"
                )),
            );
        }
    }
}

fn check_index_pattern(object: &Resource, problems: &mut Vec<Problem>) {
    let title = value_at(&object.body, "/attributes/title").and_then(Value::as_str);
    if title.is_none_or(str::is_empty) {
        problems.push(Problem::new(&object.file, "an index pattern needs a `title`: the index names it matches, e.g. `log-aws-cloudtrail-*`").at_line(object.line_of("/attributes")));
    }
    if value_at(&object.body, "/attributes/fields").is_some() {
        problems.push(
            Problem::new(&object.file, "remove `fields` from the index pattern")
                .at_line(object.line_of("/attributes/fields"))
                .with_hint("Dashboards rebuilds the field list from the mappings; a shipped copy goes stale and shows as drift"),
        );
    }
}

fn check_config(content: &Content, object: &Resource, problems: &mut Vec<Problem>) {
    if let Some(default) = value_at(&object.body, "/attributes/defaultIndex") {
        let id = default.as_str().unwrap_or_default();
        if !content.declares(Kind::IndexPattern, id) {
            problems.push(
                Problem::new(
                    &object.file,
                    format!(
                        "`defaultIndex` is `{id}`, which is not an index pattern in the content"
                    ),
                )
                .at_line(object.line_of("/attributes/defaultIndex"))
                .with_hint("use the id of an index pattern, e.g. `log-all`"),
            );
        }
    }
}
