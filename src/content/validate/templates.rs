//! Index templates and component templates: the shape OpenSearch's strict parsers accept,
//! composition, patterns, and mapping hygiene.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::content::glob;
use crate::content::kind::Kind;
use crate::content::mapping::{self, Fields};
use crate::content::problem::Problem;
use crate::content::resource::Resource;
use crate::content::Content;

/// Top-level keys of a composable index template (ComposableIndexTemplate's strict parser).
const INDEX_TEMPLATE_KEYS: [&str; 7] = [
    "index_patterns",
    "template",
    "composed_of",
    "priority",
    "version",
    "_meta",
    "data_stream",
];
/// Top-level keys of a component template.
const COMPONENT_TEMPLATE_KEYS: [&str; 3] = ["template", "version", "_meta"];
/// Keys of `template`.
const TEMPLATE_KEYS: [&str; 3] = ["settings", "mappings", "aliases"];
/// Objects whose keys differ from event to event. Mapped as plain objects they grow a field per
/// key and clash between monthly indices (a key that is a string in one event and an object in
/// the next), so they must be `flat_object` or not indexed.
const FREE_FORM: [&str; 4] = [
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "serviceEventDetails",
];
const TOTAL_FIELDS_LIMIT: &str = "index.mapping.total_fields.limit";
/// The field types OpenSearch 2.19 on Amazon OpenSearch Service has mappers for (the list and
/// its upstream sources are in the file).
const MAPPING_TYPES: &str = include_str!("data/mapping-types.txt");
/// The index setting names it accepts (`IndexScopedSettings` plus the plugins' settings; a name
/// ending in `.` is a group).
const INDEX_SETTINGS: &str = include_str!("data/index-settings.txt");

/// The entries of a data file: one a line, `#` comments and blank lines skipped.
fn entries(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
}

fn is_known_type(ty: &str) -> bool {
    entries(MAPPING_TYPES).any(|known| known == ty)
}

/// A flattened, `index.`-prefixed setting name the node accepts.
pub(crate) fn is_known_index_setting(key: &str) -> bool {
    entries(INDEX_SETTINGS).any(|known| {
        if known.ends_with('.') {
            key.starts_with(known)
        } else {
            key == known
        }
    })
}

pub(super) fn check(content: &Content) -> Vec<Problem> {
    let mut problems = Vec::new();
    for component in content.of_kind(Kind::ComponentTemplate) {
        check_keys(
            component,
            "",
            &COMPONENT_TEMPLATE_KEYS,
            "component template",
            &mut problems,
        );
        match component.body.get("template") {
            Some(template) => check_template_block(component, template, &mut problems),
            None => problems.push(
                Problem::new(&component.file, "a component template needs a `template` object (with settings, mappings or aliases)").at_line(Some(1)),
            ),
        }
        check_name(component, &mut problems);
        check_free_form(component, &mut problems);
        check_mapping_types(component, &mut problems);
        check_setting_names(component, &mut problems);
    }
    let index_templates: Vec<&Resource> = content.of_kind(Kind::IndexTemplate).collect();
    for template in &index_templates {
        check_index_template(content, template, &mut problems);
    }
    check_overlaps(&index_templates, &mut problems);
    problems
}

fn check_keys(
    resource: &Resource,
    pointer: &str,
    allowed: &[&str],
    what: &str,
    problems: &mut Vec<Problem>,
) {
    let Some(object) = resource.body.pointer(pointer).and_then(Value::as_object) else {
        return;
    };
    for key in object.keys().filter(|k| !allowed.contains(&k.as_str())) {
        problems.push(
            Problem::new(
                &resource.file,
                format!("unknown field `{key}` in the {what}: OpenSearch rejects it"),
            )
            .at_line(resource.line_of(&format!("{pointer}/{key}")))
            .with_hint(format!("allowed here: {}", allowed.join(", "))),
        );
    }
}

fn check_template_block(resource: &Resource, template: &Value, problems: &mut Vec<Problem>) {
    if !template.is_object() {
        problems.push(
            Problem::new(&resource.file, "`template` must be an object")
                .at_line(resource.line_of("/template")),
        );
        return;
    }
    check_keys(
        resource,
        "/template",
        &TEMPLATE_KEYS,
        "`template` block",
        problems,
    );
    if let Some(mappings) = template.get("mappings") {
        if mappings.get("_doc").is_some() {
            problems.push(
                Problem::new(&resource.file, "`mappings` has a `_doc` wrapper: composable and component templates take the mapping itself")
                    .at_line(resource.line_of("/template/mappings/_doc"))
                    .with_hint("move `properties` (and `dynamic_templates`) up one level, out of `_doc`"),
            );
        }
    }
}

/// OpenSearch's name rules for index and component templates.
fn check_name(resource: &Resource, problems: &mut Vec<Problem>) {
    let id = &resource.id;
    let bad = id.starts_with('_')
        || id.chars().any(|c| {
            c.is_ascii_uppercase()
                || matches!(
                    c,
                    ' ' | ',' | '#' | '*' | '"' | '\\' | '/' | '?' | '<' | '>' | '|'
                )
        });
    if bad {
        problems.push(
            Problem::new(&resource.file, format!("`{id}` is not a valid template name"))
                .with_hint("template names are lower case, do not start with `_`, and contain none of: space , # * \" \\ / ? < > |"),
        );
    }
}

fn patterns(template: &Resource) -> Vec<&str> {
    match template.body.get("index_patterns") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn check_index_template(content: &Content, template: &Resource, problems: &mut Vec<Problem>) {
    check_keys(
        template,
        "",
        &INDEX_TEMPLATE_KEYS,
        "index template",
        problems,
    );
    check_name(template, problems);
    let file = &template.file;
    match template.body.get("index_patterns") {
        Some(Value::String(_)) => {}
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_string) => {}
        _ => problems.push(
            Problem::new(
                file,
                "`index_patterns` is required: a non-empty list of index name patterns",
            )
            .at_line(template.line_of("/index_patterns"))
            .with_hint("e.g. \"index_patterns\": [\"{{index_prefix}}-aws-cloudtrail-*\"]"),
        ),
    }
    // The patterns themselves: `super::names`.
    if let Some(names) = template.body.get("composed_of").and_then(Value::as_array) {
        for (i, name) in names.iter().enumerate() {
            let name = name.as_str().unwrap_or_default();
            if !content.declares(Kind::ComponentTemplate, name) {
                let known: Vec<&str> = content
                    .of_kind(Kind::ComponentTemplate)
                    .map(|c| c.id.as_str())
                    .collect();
                let mut problem = Problem::new(file, format!("`composed_of` names component template `{name}`, which is not in the content"))
                    .at_line(template.line_of(&format!("/composed_of/{i}")));
                if let Some(close) = crate::content::suggest::did_you_mean(name, &known) {
                    problem = problem.with_hint(format!("did you mean `{close}`?"));
                }
                problems.push(problem);
            }
        }
    }
    if let Some(block) = template.body.get("template") {
        check_template_block(template, block, problems);
    }
    check_free_form(template, problems);
    check_mapping_types(template, problems);
    check_setting_names(template, problems);
    let composed = mapping::compose(content, template);
    if !composed.settings.contains_key(TOTAL_FIELDS_LIMIT) {
        problems.push(
            Problem::new(file, "no `index.mapping.total_fields.limit` in the composed settings")
                .at_line(Some(1))
                .with_hint("set it deliberately (in this template or a component it uses): without it the default of 1000 fields is hit by surprise"),
        );
    }
    if let Some(pipeline) = composed
        .settings
        .get("index.default_pipeline")
        .and_then(Value::as_str)
    {
        if pipeline != "_none" && !content.declares(Kind::IngestPipeline, pipeline) {
            problems.push(
                Problem::new(file, format!("`index.default_pipeline` names pipeline `{pipeline}`, which is not in the content"))
                    .at_line(template.line_of("/template/settings"))
                    .with_hint(format!("add index-templates/{}/{pipeline}.pipeline.json.hbs", template.log_type)),
            );
        }
    }
}

/// Every `type` in the mappings must be one the node has a mapper for: OpenSearch refuses the
/// template otherwise ("No handler for type [x] declared on field [y]").
fn check_mapping_types(resource: &Resource, problems: &mut Vec<Problem>) {
    fn walk(
        resource: &Resource,
        properties: &Value,
        pointer: &str,
        path: &str,
        problems: &mut Vec<Problem>,
    ) {
        let Some(properties) = properties.as_object() else {
            return;
        };
        for (name, field) in properties {
            let pointer = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
            let path = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            if let Some(ty) = field.get("type").and_then(Value::as_str) {
                if !is_known_type(ty) {
                    let known: Vec<&str> = entries(MAPPING_TYPES).collect();
                    let hint = match crate::content::suggest::did_you_mean(ty, &known) {
                        Some(close) => format!("did you mean `{close}`? (the types are listed in src/content/validate/data/mapping-types.txt)"),
                        None => "use a field type OpenSearch 2.19 has (keyword, text, long, date, ip, flat_object, ...; the list is src/content/validate/data/mapping-types.txt)".to_string(),
                    };
                    problems.push(
                        Problem::new(&resource.file, format!("field `{path}` has type `{ty}`, which OpenSearch has no mapper for: the template would be refused"))
                            .at_line(resource.line_of(&format!("{pointer}/type")))
                            .with_hint(hint),
                    );
                }
            }
            if let Some(children) = field.get("properties") {
                walk(
                    resource,
                    children,
                    &format!("{pointer}/properties"),
                    &path,
                    problems,
                );
            }
            if let Some(multi) = field.get("fields") {
                walk(
                    resource,
                    multi,
                    &format!("{pointer}/fields"),
                    &path,
                    problems,
                );
            }
        }
    }
    let mappings = resource.body.pointer("/template/mappings");
    let (root, pointer) = match mappings.and_then(|m| m.get("_doc")) {
        Some(doc) => (Some(doc), "/template/mappings/_doc/properties"),
        None => (mappings, "/template/mappings/properties"),
    };
    if let Some(properties) = root.and_then(|m| m.get("properties")) {
        walk(resource, properties, pointer, "", problems);
    }
}

/// Every setting must be one the node knows: an unknown one (`index.lifecycle.name`, which is
/// Elasticsearch's ILM, not OpenSearch) makes it refuse the template.
fn check_setting_names(resource: &Resource, problems: &mut Vec<Problem>) {
    fn walk(
        resource: &Resource,
        value: &Value,
        pointer: &str,
        key: &str,
        problems: &mut Vec<Problem>,
    ) {
        if let Value::Object(map) = value {
            for (name, child) in map {
                let key = if key.is_empty() {
                    name.clone()
                } else {
                    format!("{key}.{name}")
                };
                let pointer = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
                walk(resource, child, &pointer, &key, problems);
            }
            return;
        }
        let flat = if key.starts_with("index.") {
            key.to_string()
        } else {
            format!("index.{key}")
        };
        if !is_known_index_setting(&flat) {
            let hint = if flat.starts_with("index.lifecycle.") {
                "`index.lifecycle.*` is Elasticsearch's ILM: OpenSearch manages indices with an ISM policy (an `.ism-policy.json.hbs` file with an `ism_template`)".to_string()
            } else {
                "check the name against OpenSearch's index settings (the accepted names are listed in src/content/validate/data/index-settings.txt)".to_string()
            };
            problems.push(
                Problem::new(
                    &resource.file,
                    format!("unknown index setting `{flat}`: OpenSearch refuses the template"),
                )
                .at_line(resource.line_of(pointer))
                .with_hint(hint),
            );
        }
    }
    if let Some(settings) = resource.body.pointer("/template/settings") {
        walk(resource, settings, "/template/settings", "", problems);
    }
}

/// Free-form objects must be flat_object or not indexed.
fn check_free_form(resource: &Resource, problems: &mut Vec<Problem>) {
    let Some(mappings) = resource.body.pointer("/template/mappings") else {
        return;
    };
    let mut fields = Fields::new();
    mapping::add_fields(&mut fields, mappings, &resource.file);
    for (path, field) in &fields {
        let leaf = path.rsplit('.').next().unwrap_or(path);
        if FREE_FORM.contains(&leaf) && field.ty != "flat_object" && field.searchable {
            let pointer = format!(
                "/template/mappings/properties/{}",
                path.replace('.', "/properties/")
            );
            problems.push(
                Problem::new(&resource.file, format!("`{path}` holds keys that differ per event but is mapped as `{}`", field.ty))
                    .at_line(resource.line_of(&pointer))
                    .with_hint("map it as {\"type\": \"flat_object\"}, or {\"type\": \"object\", \"enabled\": false} if it need not be searched: otherwise every key becomes a field and monthly indices clash"),
            );
        }
    }
}

/// Two index templates with the same priority whose patterns overlap are rejected by
/// OpenSearch ("multiple index templates may not match during index creation").
fn check_overlaps(templates: &[&Resource], problems: &mut Vec<Problem>) {
    let priority = |t: &Resource| t.body.get("priority").and_then(Value::as_i64).unwrap_or(0);
    let mut by_priority: BTreeMap<i64, Vec<&Resource>> = BTreeMap::new();
    for template in templates {
        by_priority
            .entry(priority(template))
            .or_default()
            .push(template);
    }
    for (priority, group) in by_priority {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                let clash = patterns(a).iter().find_map(|pa| {
                    patterns(b)
                        .into_iter()
                        .find(|pb| glob::overlaps(pa, pb))
                        .map(|pb| (*pa, pb))
                });
                if let Some((pa, pb)) = clash {
                    problems.push(
                        Problem::new(&b.file, format!("index template `{}` has pattern `{pb}`, which overlaps `{pa}` of index template `{}` at the same priority {priority}: OpenSearch rejects it", b.id, a.id))
                            .at_line(b.line_of("/priority"))
                            .with_hint("give one of them a different `priority` (the higher one wins)"),
                    );
                }
            }
        }
    }
}
