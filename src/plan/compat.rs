//! What the content needs of the server's version. siemctl supports OpenSearch from 1.3, but
//! some mapping types are younger: content that uses them is refused on older clusters before
//! anything is written, rather than failing halfway through an apply.

use serde_json::Value;

use super::plan::Desired;
use crate::content::kind::Kind;

/// Field types and the OpenSearch version that introduced them.
const FIELD_TYPES: [(&str, (u32, u32, u32)); 3] = [
    ("flat_object", (2, 7, 0)),
    ("match_only_text", (2, 12, 0)),
    ("wildcard", (2, 15, 0)),
];

/// Every way the content needs a newer server than `version`.
pub(crate) fn check(version: (u32, u32, u32), desired: &[Desired]) -> Vec<String> {
    let mut problems = Vec::new();
    for object in desired
        .iter()
        .filter(|d| matches!(d.kind, Kind::ComponentTemplate | Kind::IndexTemplate))
    {
        let Some(mappings) = object.body.pointer("/template/mappings") else {
            continue;
        };
        let mut used = Vec::new();
        collect_types(mappings, &mut used);
        for (ty, since) in FIELD_TYPES {
            if version < since && used.contains(&ty) {
                problems.push(format!(
                    "{} `{}` maps `{ty}` fields, which need OpenSearch {}.{} or later; this cluster runs {}.{}.{}",
                    object.kind, object.id, since.0, since.1, version.0, version.1, version.2
                ));
            }
        }
    }
    problems
}

fn collect_types<'a>(value: &'a Value, used: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(ty)) = map.get("type") {
                used.push(ty);
            }
            map.values().for_each(|v| collect_types(v, used));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_types(v, used)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(mappings: Value) -> Desired {
        Desired {
            kind: Kind::ComponentTemplate,
            id: "t".into(),
            title: None,
            digest: String::new(),
            body: json!({"template": {"mappings": mappings}}),
        }
    }

    #[test]
    fn flat_object_needs_2_7() {
        let content = [template(
            json!({"properties": {"a": {"properties": {"b": {"type": "flat_object"}}}}}),
        )];
        assert_eq!(check((2, 7, 0), &content), Vec::<String>::new());
        let problems = check((2, 5, 0), &content);
        assert_eq!(problems, ["component_template `t` maps `flat_object` fields, which need OpenSearch 2.7 or later; this cluster runs 2.5.0"]);
        assert!(check(
            (1, 3, 0),
            &[template(json!({"properties": {"a": {"type": "keyword"}}}))]
        )
        .is_empty());
    }
}
