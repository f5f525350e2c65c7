//! Names OpenSearch refuses, or that can match nothing: index patterns (of index templates, of
//! ISM templates, of Dashboards index patterns), aliases and object ids, as they are after
//! rendering, so that a variable (`--var index_prefix=...`) holding a newline or a `#` is caught
//! here and not at apply.
//!
//! The rules, from upstream:
//! * `MetadataIndexTemplateService.validate` (OpenSearch, `server/src/main/java/org/opensearch/
//!   cluster/metadata/MetadataIndexTemplateService.java`): an index template's name has no space,
//!   `,`, `#` or `*`, does not start with `_` and is lower case; each of its `index_patterns` has
//!   no space, `,`, `#` or `:`, does not start with `_`, and passes
//!   `Strings.validFileNameExcludingAstrix` (none of `\ / ? " < > |`).
//! * `MetadataCreateIndexService.validateIndexOrAliasName` (same folder): an index or alias name
//!   passes `Strings.validFileName` (none of `\ / * ? " < > |`, space, `,`), has no `#` or `:`,
//!   does not start with `_`, `-` or `+`, is at most 255 bytes (`MAX_INDEX_NAME_BYTES`), is not
//!   `.` or `..`; `validateIndexName` adds: lower case.
//! * index-management `ISMTemplateService.kt` `validateFormat`: an ISM template's patterns have
//!   no `#` or `:`, do not start with `_`, and pass `validFileNameExcludingAstrix`; a leading
//!   `-` is an exclusion there.
//!
//! Pipeline and ISM policy ids come from file names: no upstream rule on them was found beyond
//! a non-empty id, so siemctl refuses only whitespace and control characters there (the id goes
//! into a URL path and into siemctl's records).
//!
//! siemctl adds two rules of its own, for names OpenSearch would take but that can only be a
//! slip: control characters (a newline, a tab) and, in a pattern, upper case (index names are
//! lower case, so such a pattern matches no index).

use serde_json::Value;

use crate::content::kind::Kind;
use crate::content::problem::Problem;
use crate::content::resource::Resource;
use crate::content::Content;

/// `Strings.INVALID_FILENAME_CHARS` of OpenSearch.
const INVALID_FILENAME_CHARS: [char; 10] = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ','];
/// `MetadataCreateIndexService.MAX_INDEX_NAME_BYTES`.
const MAX_INDEX_NAME_BYTES: usize = 255;

const VARIABLE_HINT: &str = "if a variable puts it there (`--var`, [vars] or a target's vars in siemctl.toml), fix that value";

/// Where a name is used, which decides the rules it meets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// `index_patterns` of an index template.
    TemplatePattern,
    /// `index_patterns` of an ISM policy's `ism_template` (a leading `-` excludes).
    IsmPattern,
    /// One pattern of a Dashboards index pattern's title (`-` excludes, `cluster:` is a remote
    /// cluster).
    DashboardsPattern,
    /// An alias name.
    Alias,
}

/// What is wrong with `name` used as `what`, or `None`.
fn refusal(name: &str, what: Use) -> Option<String> {
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Some(format!(
            "holds the control character {}: no index has such a name",
            c.escape_debug()
        ));
    }
    if name.is_empty() {
        return Some("is empty".into());
    }
    let pattern = what != Use::Alias;
    let body = match what {
        Use::IsmPattern | Use::DashboardsPattern => name.strip_prefix('-').unwrap_or(name),
        _ => name,
    };
    let forbidden: Vec<char> = INVALID_FILENAME_CHARS
        .iter()
        .copied()
        .filter(|c| !(pattern && *c == '*'))
        .chain(['#'])
        .chain((what != Use::DashboardsPattern).then_some(':'))
        .filter(|c| body.contains(*c))
        .collect();
    if !forbidden.is_empty() {
        let shown: Vec<String> = forbidden
            .iter()
            .map(|c| match c {
                ' ' => "a space".to_string(),
                c => format!("`{c}`"),
            })
            .collect();
        return Some(format!(
            "holds {}: OpenSearch refuses it",
            shown.join(" and ")
        ));
    }
    if body.starts_with('_') || (what == Use::Alias && body.starts_with(['-', '+'])) {
        let first = body.chars().next().unwrap_or('_');
        return Some(format!("starts with `{first}`: OpenSearch refuses it"));
    }
    if body.chars().any(char::is_uppercase) {
        return Some(if pattern {
            "has upper-case letters: index names are lower case, so it matches no index".into()
        } else {
            "has upper-case letters: OpenSearch refuses it (names are lower case)".into()
        });
    }
    if body.len() > MAX_INDEX_NAME_BYTES {
        return Some(format!(
            "is {} bytes long: OpenSearch takes at most {MAX_INDEX_NAME_BYTES}",
            body.len()
        ));
    }
    if body == "." || body == ".." {
        return Some("is `.` or `..`: OpenSearch refuses it".into());
    }
    None
}

fn shown(name: &str) -> String {
    name.escape_debug().to_string()
}

fn push(
    problems: &mut Vec<Problem>,
    resource: &Resource,
    pointer: &str,
    what: &str,
    name: &str,
    why: String,
) {
    problems.push(
        Problem::new(
            &resource.file,
            format!("{what} `{}` {why}", shown(name)),
        )
        .at_line(resource.line_of(pointer))
        .with_hint(format!(
            "{}; {VARIABLE_HINT}",
            if what == "alias" {
                "aliases are lower case, hold letters, digits, `-`, `_` and `.`, and do not start with `_`, `-` or `+`"
            } else {
                "index patterns are lower case and hold letters, digits, `-`, `_`, `.` and `*`"
            }
        )),
    );
}

/// The patterns at `pointer` (a string or a list of strings), with the pointer of each.
fn patterns_at<'a>(body: &'a Value, pointer: &str) -> Vec<(String, &'a str)> {
    match body.pointer(pointer) {
        Some(Value::String(s)) => vec![(pointer.to_string(), s.as_str())],
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((format!("{pointer}/{i}"), v.as_str()?)))
            .collect(),
        _ => Vec::new(),
    }
}

pub(super) fn check(content: &Content) -> Vec<Problem> {
    let mut problems = Vec::new();
    for template in content.of_kind(Kind::IndexTemplate) {
        for (pointer, pattern) in patterns_at(&template.body, "/index_patterns") {
            if let Some(why) = refusal(pattern, Use::TemplatePattern) {
                push(
                    &mut problems,
                    template,
                    &pointer,
                    "index pattern",
                    pattern,
                    why,
                );
            }
        }
    }
    for template in content
        .of_kind(Kind::IndexTemplate)
        .chain(content.of_kind(Kind::ComponentTemplate))
    {
        if let Some(aliases) = template
            .body
            .pointer("/template/aliases")
            .and_then(Value::as_object)
        {
            for alias in aliases.keys() {
                if let Some(why) = refusal(alias, Use::Alias) {
                    let pointer = format!(
                        "/template/aliases/{}",
                        alias.replace('~', "~0").replace('/', "~1")
                    );
                    push(&mut problems, template, &pointer, "alias", alias, why);
                }
            }
        }
    }
    for policy in content.of_kind(Kind::IsmPolicy) {
        let templates = match policy.body.pointer("/policy/ism_template") {
            Some(Value::Array(items)) => (0..items.len())
                .map(|i| format!("/policy/ism_template/{i}"))
                .collect(),
            Some(Value::Object(_)) => vec!["/policy/ism_template".to_string()],
            _ => Vec::new(),
        };
        for at in templates {
            for (pointer, pattern) in patterns_at(&policy.body, &format!("{at}/index_patterns")) {
                if let Some(why) = refusal(pattern, Use::IsmPattern) {
                    push(
                        &mut problems,
                        policy,
                        &pointer,
                        "index pattern",
                        pattern,
                        why,
                    );
                }
            }
        }
    }
    for index_pattern in content.of_kind(Kind::IndexPattern) {
        let Some(title) = index_pattern.title() else {
            continue;
        };
        for pattern in title.split(',') {
            if let Some(why) = refusal(pattern.trim(), Use::DashboardsPattern) {
                push(
                    &mut problems,
                    index_pattern,
                    "/attributes/title",
                    "index pattern",
                    pattern,
                    why,
                );
            }
        }
    }
    for resource in &content.resources {
        if let Some(c) = resource
            .id
            .chars()
            .find(|c| c.is_control() || c.is_whitespace())
        {
            problems.push(
                Problem::new(
                    &resource.file,
                    format!(
                        "the id `{}` (from the file name) holds {}: it goes into the object's URL and siemctl's records",
                        shown(&resource.id),
                        if c == ' ' { "a space".to_string() } else { format!("the character {}", c.escape_debug()) }
                    ),
                )
                .with_hint("rename the file: ids are letters, digits, `-`, `_` and `.`"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upstream_rules_and_siemctls_own() {
        for ok in ["log-aws-*", "log-*", ".kibana*"] {
            assert_eq!(refusal(ok, Use::TemplatePattern), None, "{ok}");
        }
        assert_eq!(refusal("-log-old-*", Use::IsmPattern), None);
        assert_eq!(refusal("remote:log-*", Use::DashboardsPattern), None);
        assert!(refusal("lo\ng-*", Use::TemplatePattern)
            .unwrap()
            .contains("\\n"));
        assert!(refusal("log#-*", Use::TemplatePattern)
            .unwrap()
            .contains("`#`"));
        assert!(refusal("a:b-*", Use::IsmPattern).unwrap().contains("`:`"));
        assert!(refusal("log demo", Use::TemplatePattern)
            .unwrap()
            .contains("a space"));
        assert!(refusal("_log-*", Use::TemplatePattern)
            .unwrap()
            .contains("starts with `_`"));
        assert!(refusal("+alias", Use::Alias)
            .unwrap()
            .contains("starts with `+`"));
        assert!(refusal("a*", Use::Alias).unwrap().contains("`*`"));
        assert!(refusal("LOG-*", Use::TemplatePattern)
            .unwrap()
            .contains("matches no index"));
        assert!(refusal(&"a".repeat(256), Use::Alias)
            .unwrap()
            .contains("256 bytes"));
        assert!(refusal("..", Use::Alias).is_some());
    }
}
