//! Saved objects in the cluster that share a title with a content object under another id.
//! Dashboards lists both (two `log-*` index patterns, two searches of one name) and people pick
//! the wrong one; siemctl manages only its own id, so it warns and changes nothing. Pure: the
//! titles come from one `_find` read with the rest of the cluster (`apply/live.rs`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::content::kind::Kind;
use crate::plan::plan::Desired;

/// A live object of another id with a content object's title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SameTitle {
    pub(crate) kind: Kind,
    pub(crate) title: String,
    /// The content object's id.
    pub(crate) id: String,
    /// The id of the other object, in the cluster.
    pub(crate) other_id: String,
}

impl SameTitle {
    /// The warning's text.
    pub(crate) fn message(&self) -> String {
        format!(
            "{} `{}` and {} `{}` in the cluster have the same title \"{}\": Dashboards lists both under one name (siemctl manages `{}` only; rename or delete `{}` in Dashboards if it is not wanted)",
            self.kind, self.id, self.kind, self.other_id, self.title, self.id, self.other_id
        )
    }

    /// One item of the `same_title` array of the JSON output.
    pub(crate) fn json(&self) -> Value {
        json!({
            "kind": self.kind.name(),
            "title": self.title,
            "id": self.id,
            "other_id": self.other_id,
        })
    }
}

/// Each live object (`(type, id, title)`) whose type and title are a content object's and whose
/// id is none of the content's, in the content's order, then by the other id.
pub(crate) fn find(desired: &[Desired], live: &[(String, String, String)]) -> Vec<SameTitle> {
    let mut content: BTreeMap<(Kind, &str), Vec<&Desired>> = BTreeMap::new();
    for d in desired {
        if let Some(title) = d.title.as_deref() {
            content.entry((d.kind, title)).or_default().push(d);
        }
    }
    let ids: std::collections::BTreeSet<(Kind, &str)> =
        desired.iter().map(|d| (d.kind, d.id.as_str())).collect();
    let mut found: Vec<(usize, SameTitle)> = Vec::new();
    let position: BTreeMap<(Kind, &str), usize> = desired
        .iter()
        .enumerate()
        .map(|(i, d)| ((d.kind, d.id.as_str()), i))
        .collect();
    for (saved_type, other_id, title) in live {
        let Some(kind) = Kind::from_saved_object_type(saved_type) else {
            continue;
        };
        if ids.contains(&(kind, other_id.as_str())) {
            continue;
        }
        for d in content.get(&(kind, title.as_str())).into_iter().flatten() {
            found.push((
                position[&(d.kind, d.id.as_str())],
                SameTitle {
                    kind,
                    title: title.clone(),
                    id: d.id.clone(),
                    other_id: other_id.clone(),
                },
            ));
        }
    }
    found.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.other_id.cmp(&y.other_id)));
    found.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desired(kind: Kind, id: &str, title: &str) -> Desired {
        Desired {
            kind,
            id: id.into(),
            title: Some(title.into()),
            digest: String::new(),
            body: Value::Null,
        }
    }

    #[test]
    fn another_id_with_a_content_title_of_the_same_type() {
        let content = [
            desired(Kind::IndexPattern, "logs", "log-*"),
            desired(Kind::Search, "s1", "Failures"),
        ];
        let t =
            |ty: &str, id: &str, title: &str| (ty.to_string(), id.to_string(), title.to_string());
        let live = [
            t("index-pattern", "logs", "log-*"), // the content object itself
            t("index-pattern", "b-uuid", "log-*"), // another one: warned
            t("index-pattern", "a-uuid", "log-*"),
            t("search", "x", "log-*"), // another type: not the same list
            t("visualization", "v", "Failures"), // another type
            t("index-pattern", "c", "LOG-*"), // titles compare exactly
        ];
        let found = find(&content, &live);
        assert_eq!(
            found
                .iter()
                .map(|s| s.other_id.as_str())
                .collect::<Vec<_>>(),
            ["a-uuid", "b-uuid"]
        );
        assert_eq!(found[0].id, "logs");
        assert!(found[0]
            .message()
            .contains("index_pattern `logs` and index_pattern `a-uuid`"));
        assert_eq!(
            found[0].json(),
            json!({"kind": "index_pattern", "title": "log-*", "id": "logs", "other_id": "a-uuid"})
        );
    }
}
