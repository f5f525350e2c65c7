//! Selecting objects of a plan, as terraform's `-target` does: `--only` and `--exclude` take
//! `KIND/ID` (globs with `*` in either part, `KIND/*`) or `log-type:NAME` (a glob too). Pure:
//! [`Selection::narrow`] filters a [`Plan`] and says which references it did not follow.
//!
//! References are never followed silently: a selected dashboard whose visualization also
//! changes is written without it, and a note says so (with the `--only` that would include it).
//! `log-type:` matches the objects of the content; an object that left the content (a
//! deletion with --prune) has no log type any more and is selected by `KIND/ID` only.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use thiserror::Error;

use crate::content::glob;
use crate::content::kind::Kind;

use super::plan::{Action, Change, Desired, Plan};

#[derive(Debug, Error, PartialEq, Eq)]
pub(crate) enum SelectError {
    #[error("`{0}` is not KIND/ID or log-type:NAME (e.g. dashboard/aws-cloudtrail-overview, visualization/*, log-type:aws-waf)")]
    Syntax(String),
    #[error("unknown kind `{kind}` in `{text}`: one of {known}")]
    UnknownKind {
        kind: String,
        text: String,
        known: String,
    },
    #[error("--only {0} selects nothing: no object of the content or the plan matches it (check the kind and the id; `siemctl plan` lists them)")]
    NothingSelected(String),
}

/// One `--only` / `--exclude` value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    /// `KIND/ID`: None for a kind of `*`.
    Object {
        kind: Option<Kind>,
        id: String,
    },
    LogType(String),
}

impl Pattern {
    fn parse(text: &str) -> Result<Pattern, SelectError> {
        if let Some(name) = text.strip_prefix("log-type:") {
            if name.is_empty() {
                return Err(SelectError::Syntax(text.to_string()));
            }
            return Ok(Pattern::LogType(name.to_string()));
        }
        let (kind, id) = text
            .split_once('/')
            .filter(|(k, id)| !k.is_empty() && !id.is_empty())
            .ok_or_else(|| SelectError::Syntax(text.to_string()))?;
        let kind = if kind == "*" {
            None
        } else {
            let wanted = kind.replace('-', "_");
            Some(
                Kind::ALL
                    .into_iter()
                    .find(|k| k.name() == wanted || k.saved_object_type() == Some(kind))
                    .ok_or_else(|| SelectError::UnknownKind {
                        kind: kind.to_string(),
                        text: text.to_string(),
                        known: Kind::ALL.map(Kind::name).join(", "),
                    })?,
            )
        };
        Ok(Pattern::Object {
            kind,
            id: id.to_string(),
        })
    }

    fn matches(&self, kind: Kind, id: &str, log_type: Option<&str>) -> bool {
        match self {
            Pattern::Object {
                kind: k,
                id: pattern,
            } => k.is_none_or(|k| k == kind) && glob::matches(pattern, id),
            Pattern::LogType(pattern) => log_type.is_some_and(|lt| glob::matches(pattern, lt)),
        }
    }
}

/// The objects `--only` and `--exclude` keep: with no `--only`, everything not excluded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    only: Vec<(String, Pattern)>,
    exclude: Vec<Pattern>,
}

/// A plan narrowed to a selection, and what the reader must know about it.
#[derive(Debug)]
pub(crate) struct Narrowed {
    pub(crate) plan: Plan,
    /// Changes left out: how many.
    pub(crate) left_out: usize,
    /// References of selected changes to objects that also change but were left out.
    pub(crate) notes: Vec<String>,
}

impl Selection {
    pub(crate) fn parse(only: &[String], exclude: &[String]) -> Result<Selection, SelectError> {
        Ok(Selection {
            only: only
                .iter()
                .map(|t| Ok((t.clone(), Pattern::parse(t)?)))
                .collect::<Result<_, SelectError>>()?,
            exclude: exclude
                .iter()
                .map(|t| Pattern::parse(t))
                .collect::<Result<_, _>>()?,
        })
    }

    pub(crate) fn is_everything(&self) -> bool {
        self.only.is_empty() && self.exclude.is_empty()
    }

    pub(crate) fn selects(&self, kind: Kind, id: &str, log_type: Option<&str>) -> bool {
        (self.only.is_empty() || self.only.iter().any(|(_, p)| p.matches(kind, id, log_type)))
            && !self.exclude.iter().any(|p| p.matches(kind, id, log_type))
    }

    /// Keeps the changes, orphans and record refreshes of the selected objects. `log_types`:
    /// the log type folder of each object of the content. An `--only` that matches no object
    /// of the content nor of the plan is an error (a typo would otherwise apply nothing and
    /// succeed).
    pub(crate) fn narrow(
        &self,
        plan: Plan,
        desired: &[Desired],
        log_types: &HashMap<(Kind, String), String>,
    ) -> Result<Narrowed, SelectError> {
        let log_type =
            |kind: Kind, id: &str| log_types.get(&(kind, id.to_string())).map(String::as_str);
        for (text, pattern) in &self.only {
            let known = desired
                .iter()
                .map(|d| (d.kind, d.id.as_str()))
                .chain(plan.changes.iter().map(|c| (c.kind, c.id.as_str())))
                .chain(plan.orphans.iter().map(|o| (o.kind, o.id.as_str())));
            if !known
                .into_iter()
                .any(|(k, id)| pattern.matches(k, id, log_type(k, id)))
            {
                return Err(SelectError::NothingSelected(text.clone()));
            }
        }
        if self.is_everything() {
            return Ok(Narrowed {
                plan,
                left_out: 0,
                notes: Vec::new(),
            });
        }
        let keep = |kind: Kind, id: &str| self.selects(kind, id, log_type(kind, id));
        let Plan {
            changes,
            orphans,
            downgrade,
            refresh,
        } = plan;
        let (kept, dropped): (Vec<Change>, Vec<Change>) =
            changes.into_iter().partition(|c| keep(c.kind, &c.id));
        let pending: HashMap<(Kind, &str), Action> = dropped
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| ((c.kind, c.id.as_str()), c.action))
            .collect();
        let by_id: HashMap<(Kind, &str), &Desired> = desired
            .iter()
            .map(|d| ((d.kind, d.id.as_str()), d))
            .collect();
        let mut notes = BTreeSet::new();
        for change in kept.iter().filter(|c| c.action != Action::NoOp) {
            let Some(object) = by_id.get(&(change.kind, change.id.as_str())) else {
                continue;
            };
            for (kind, id) in references(object.kind, &object.body) {
                let Some(action) = pending.get(&(kind, id.as_str())) else {
                    continue;
                };
                let what = match action {
                    Action::Create => "does not exist in the cluster yet (to create)",
                    Action::Delete => "is to be deleted",
                    _ => "also changes",
                };
                notes.insert(format!(
                    "{} `{}` references {kind} `{id}`, which {what} and is not selected: it is left as the cluster holds it (add --only {kind}/{id} to include it)",
                    change.kind, change.id
                ));
            }
        }
        let left_out = dropped.iter().filter(|c| c.action != Action::NoOp).count();
        Ok(Narrowed {
            plan: Plan {
                changes: kept,
                orphans: orphans
                    .into_iter()
                    .filter(|o| keep(o.kind, &o.id))
                    .collect(),
                downgrade,
                refresh: refresh.into_iter().filter(|(k, id)| keep(*k, id)).collect(),
            },
            left_out,
            notes: notes.into_iter().collect(),
        })
    }
}

/// The objects an object of the content names: a saved object's references, an index
/// template's component templates and the pipelines its settings name. Also read by apply
/// (which writes nothing that names an object not written, and deletes nothing still named).
pub(crate) fn references(kind: Kind, body: &Value) -> Vec<(Kind, String)> {
    let mut out = Vec::new();
    if kind.is_saved_object() {
        for reference in body
            .get("references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let field = |k: &str| reference.get(k).and_then(Value::as_str);
            if let (Some(kind), Some(id)) = (
                field("type").and_then(Kind::from_saved_object_type),
                field("id"),
            ) {
                out.push((kind, id.to_string()));
            }
        }
    }
    if kind == Kind::IndexTemplate {
        for name in body
            .get("composed_of")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            out.push((Kind::ComponentTemplate, name.to_string()));
        }
    }
    if matches!(kind, Kind::IndexTemplate | Kind::ComponentTemplate) {
        // `index.default_pipeline` nested or flat, as OpenSearch accepts both.
        if let Some(settings) = body.pointer("/template/settings") {
            for pointer in [
                "/index/default_pipeline",
                "/index/final_pipeline",
                "/index.default_pipeline",
                "/index.final_pipeline",
                "/default_pipeline",
                "/final_pipeline",
            ] {
                if let Some(name) = settings.pointer(pointer).and_then(Value::as_str) {
                    if name != "_none" {
                        out.push((Kind::IngestPipeline, name.to_string()));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::plan::Orphan;
    use serde_json::json;

    fn desired(kind: Kind, id: &str, body: Value) -> Desired {
        Desired {
            kind,
            id: id.to_string(),
            title: None,
            digest: String::new(),
            body,
        }
    }

    fn change(kind: Kind, id: &str, action: Action) -> Change {
        Change {
            kind,
            id: id.to_string(),
            title: None,
            action,
            drift: None,
            unmanaged: false,
            content_changed: true,
            before: None,
            after: None,
        }
    }

    /// A dashboard showing a visualization over an index pattern, a template with its
    /// component and pipeline; everything changes but the pattern.
    fn fixture() -> (Plan, Vec<Desired>, HashMap<(Kind, String), String>) {
        let desired = vec![
            desired(Kind::ComponentTemplate, "log-demo", json!({"template": {}})),
            desired(
                Kind::IndexTemplate,
                "log-demo",
                json!({"composed_of": ["log-demo"], "template": {"settings": {"index": {"default_pipeline": "log-demo"}}}}),
            ),
            desired(Kind::IngestPipeline, "log-demo", json!({"processors": []})),
            desired(Kind::IndexPattern, "log-demo", json!({"attributes": {}})),
            desired(
                Kind::Visualization,
                "demo-top",
                json!({"references": [{"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": "log-demo"}]}),
            ),
            desired(
                Kind::Dashboard,
                "demo",
                json!({"references": [{"name": "panel_0", "type": "visualization", "id": "demo-top"}]}),
            ),
            desired(Kind::Dashboard, "other", json!({"references": []})),
        ];
        let plan = Plan {
            changes: vec![
                change(Kind::ComponentTemplate, "log-demo", Action::Update),
                change(Kind::IndexTemplate, "log-demo", Action::Update),
                change(Kind::IngestPipeline, "log-demo", Action::Create),
                change(Kind::IndexPattern, "log-demo", Action::NoOp),
                change(Kind::Visualization, "demo-top", Action::Update),
                change(Kind::Dashboard, "demo", Action::Update),
                change(Kind::Dashboard, "other", Action::Create),
                change(Kind::Search, "gone", Action::Delete),
            ],
            orphans: vec![Orphan {
                kind: Kind::Visualization,
                id: "left".into(),
            }],
            downgrade: vec![],
            refresh: vec![(Kind::IndexPattern, "log-demo".into())],
        };
        let log_types = desired
            .iter()
            .map(|d| ((d.kind, d.id.clone()), "demo".to_string()))
            .chain([((Kind::Dashboard, "other".to_string()), "other".to_string())])
            .collect();
        (plan, desired, log_types)
    }

    fn ids(plan: &Plan) -> Vec<String> {
        plan.changes
            .iter()
            .map(|c| format!("{}/{}", c.kind, c.id))
            .collect()
    }

    fn narrow(only: &[&str], exclude: &[&str]) -> Result<Narrowed, SelectError> {
        let (plan, desired, log_types) = fixture();
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Selection::parse(&s(only), &s(exclude))?.narrow(plan, &desired, &log_types)
    }

    #[test]
    fn no_flags_keep_the_whole_plan() {
        let narrowed = narrow(&[], &[]).unwrap();
        assert_eq!(narrowed.plan.changes.len(), 8);
        assert_eq!(narrowed.left_out, 0);
        assert!(narrowed.notes.is_empty());
        assert_eq!(narrowed.plan.orphans.len(), 1);
    }

    #[test]
    fn only_one_object_and_the_references_it_did_not_follow_are_named() {
        let narrowed = narrow(&["dashboard/demo"], &[]).unwrap();
        assert_eq!(ids(&narrowed.plan), ["dashboard/demo"]);
        assert_eq!(narrowed.left_out, 6);
        assert_eq!(
            narrowed.notes,
            ["dashboard `demo` references visualization `demo-top`, which also changes and is not selected: it is left as the cluster holds it (add --only visualization/demo-top to include it)"]
        );
        assert!(narrowed.plan.orphans.is_empty());
        assert!(narrowed.plan.refresh.is_empty());
    }

    #[test]
    fn a_selected_reference_or_an_unchanged_one_is_no_note() {
        let narrowed = narrow(&["dashboard/demo", "visualization/*"], &[]).unwrap();
        assert_eq!(
            ids(&narrowed.plan),
            ["visualization/demo-top", "dashboard/demo"]
        );
        // The index pattern does not change: nothing to say.
        assert!(narrowed.notes.is_empty(), "{:?}", narrowed.notes);
    }

    #[test]
    fn a_template_without_its_new_pipeline_says_it_is_not_there_yet() {
        let narrowed = narrow(&["index-template/log-demo"], &[]).unwrap();
        assert_eq!(ids(&narrowed.plan), ["index_template/log-demo"]);
        assert_eq!(narrowed.notes.len(), 2, "{:?}", narrowed.notes);
        assert!(narrowed.notes[0].contains("component_template `log-demo`, which also changes"));
        assert!(narrowed.notes[1].contains(
            "ingest_pipeline `log-demo`, which does not exist in the cluster yet (to create)"
        ));
    }

    #[test]
    fn globs_kinds_in_either_spelling_and_log_types() {
        let narrowed = narrow(&["*/log-*"], &[]).unwrap();
        assert_eq!(narrowed.plan.changes.len(), 4);
        let narrowed = narrow(&["component_template/*", "ingest-pipeline/log-demo"], &[]).unwrap();
        assert_eq!(
            ids(&narrowed.plan),
            ["component_template/log-demo", "ingest_pipeline/log-demo"]
        );
        let narrowed = narrow(&["log-type:oth*"], &[]).unwrap();
        assert_eq!(ids(&narrowed.plan), ["dashboard/other"]);
        // A deletion has no log type: only KIND/ID selects it.
        let narrowed = narrow(&["log-type:*"], &[]).unwrap();
        assert!(!ids(&narrowed.plan).contains(&"search/gone".to_string()));
        let narrowed = narrow(&["search/gone"], &[]).unwrap();
        assert_eq!(ids(&narrowed.plan), ["search/gone"]);
    }

    #[test]
    fn exclude_removes_from_everything_or_from_only() {
        let narrowed = narrow(&[], &["dashboard/*", "search/gone"]).unwrap();
        assert_eq!(narrowed.plan.changes.len(), 5);
        assert_eq!(narrowed.left_out, 3);
        assert_eq!(narrowed.notes.len(), 0);
        assert_eq!(
            narrowed.plan.orphans.len(),
            1,
            "orphans outside the exclusion stay listed"
        );
        let narrowed = narrow(&["log-type:demo"], &["visualization/demo-top"]).unwrap();
        assert!(narrowed
            .notes
            .iter()
            .any(|n| n.starts_with("dashboard `demo` references visualization `demo-top`")));
    }

    #[test]
    fn typos_and_bad_syntax_are_errors() {
        assert_eq!(
            narrow(&["dashboard/nope"], &[]).unwrap_err(),
            SelectError::NothingSelected("dashboard/nope".into())
        );
        assert!(matches!(
            narrow(&["dashbord/demo"], &[]).unwrap_err(),
            SelectError::UnknownKind { .. }
        ));
        for bad in ["demo", "dashboard/", "/demo", "log-type:"] {
            assert_eq!(
                narrow(&[bad], &[]).unwrap_err(),
                SelectError::Syntax(bad.into()),
                "{bad}"
            );
        }
        // An orphan can be selected (it is listed, not deleted).
        assert!(narrow(&["visualization/left"], &[]).is_ok());
    }
}
