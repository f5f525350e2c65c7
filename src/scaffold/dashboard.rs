//! A new dashboard: a panel for each visualization and saved search given, two charts a row and
//! searches full width, in the saved-object form of the bundled dashboards
//! (`dashboards/<log-type>/<id>.dashboard.json.hbs`).

use std::path::PathBuf;

use serde_json::{json, Value};

use super::visualization::literal;
use super::{json_text, NewFile};

/// An object a dashboard panel shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Panel {
    /// The saved-object type: `visualization` or `search`.
    pub(crate) kind: &'static str,
    pub(crate) id: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) log_type: String,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) panels: Vec<Panel>,
}

pub(crate) fn path(log_type: &str, id: &str) -> PathBuf {
    PathBuf::from("dashboards")
        .join(log_type)
        .join(format!("{id}.dashboard.json.hbs"))
}

pub(crate) fn file(spec: &Spec) -> NewFile {
    let mut panels = Vec::new();
    let mut references = Vec::new();
    let (mut x, mut y) = (0, 0);
    for (i, panel) in spec.panels.iter().enumerate() {
        let (w, h) = if panel.kind == "search" {
            (48, 15)
        } else {
            (24, 15)
        };
        if x + w > 48 {
            x = 0;
            y += 15;
        }
        let index = (i + 1).to_string();
        panels.push(json!({
            "version": "7.10.0",
            "gridData": { "x": x, "y": y, "w": w, "h": h, "i": index },
            "panelIndex": index,
            "embeddableConfig": {},
            "panelRefName": format!("panel_{i}")
        }));
        references
            .push(json!({ "name": format!("panel_{i}"), "type": panel.kind, "id": panel.id }));
        x += w;
    }
    let body = json!({
        "attributes": {
            "title": spec.title,
            "description": spec.description,
            "hits": 0,
            "panelsJSON": Value::Array(panels),
            "optionsJSON": { "useMargins": true, "hidePanelTitles": false },
            "version": 1,
            "timeRestore": false,
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": { "query": { "query": "", "language": "kuery" }, "filter": [] }
            }
        },
        "references": references
    });
    NewFile::new(path(&spec.log_type, &spec.id), literal(&json_text(&body)))
}
