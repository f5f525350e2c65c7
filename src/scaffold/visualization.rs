//! A new visualization: a horizontal bar chart of the most frequent values of one aggregatable
//! field (a `terms` aggregation), on the log type's index pattern, in the saved-object form of
//! the bundled ones (`dashboards/<log-type>/<id>.visualization.json.hbs`).

use std::path::PathBuf;

use serde_json::json;

use super::{json_text, NewFile};

/// What a new visualization is made of.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) log_type: String,
    pub(crate) id: String,
    pub(crate) title: String,
    /// The field whose values are counted (aggregatable).
    pub(crate) field: String,
    /// The index pattern's id.
    pub(crate) index_pattern: String,
}

pub(crate) fn path(log_type: &str, id: &str) -> PathBuf {
    PathBuf::from("dashboards")
        .join(log_type)
        .join(format!("{id}.visualization.json.hbs"))
}

/// The file of the visualization.
pub(crate) fn file(spec: &Spec) -> NewFile {
    let body = json!({
        "attributes": {
            "title": spec.title,
            "description": format!("The 20 most frequent values of {} in the time range, most frequent first.", spec.field),
            "version": 1,
            "uiStateJSON": {},
            "visState": {
                "title": spec.title,
                "type": "horizontal_bar",
                "params": {
                    "type": "histogram",
                    "grid": { "categoryLines": false },
                    "categoryAxes": [{
                        "id": "CategoryAxis-1",
                        "type": "category",
                        "position": "left",
                        "show": true,
                        "style": {},
                        "scale": { "type": "linear" },
                        "labels": { "show": true, "filter": false, "truncate": 200 },
                        "title": {}
                    }],
                    "valueAxes": [{
                        "id": "ValueAxis-1",
                        "name": "LeftAxis-1",
                        "type": "value",
                        "position": "bottom",
                        "show": true,
                        "style": {},
                        "scale": { "type": "linear", "mode": "normal" },
                        "labels": { "show": true, "rotate": 0, "filter": false, "truncate": 100 },
                        "title": { "text": "Count" }
                    }],
                    "seriesParams": [{
                        "show": true,
                        "type": "histogram",
                        "mode": "stacked",
                        "data": { "label": "Count", "id": "1" },
                        "valueAxis": "ValueAxis-1",
                        "drawLinesBetweenPoints": true,
                        "lineWidth": 2,
                        "showCircles": true
                    }],
                    "addTooltip": true,
                    "addLegend": false,
                    "legendPosition": "right",
                    "times": [],
                    "addTimeMarker": false,
                    "labels": { "show": false }
                },
                "aggs": [
                    {
                        "id": "1",
                        "enabled": true,
                        "type": "count",
                        "schema": "metric",
                        "params": { "customLabel": "Events" }
                    },
                    {
                        "id": "2",
                        "enabled": true,
                        "type": "terms",
                        "schema": "segment",
                        "params": {
                            "field": spec.field,
                            "orderBy": "1",
                            "order": "desc",
                            "size": 20,
                            "otherBucket": false,
                            "otherBucketLabel": "Other",
                            "missingBucket": false,
                            "missingBucketLabel": "Missing",
                            "customLabel": spec.field
                        }
                    }
                ]
            },
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": {
                    "query": { "query": "", "language": "kuery" },
                    "filter": [],
                    "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"
                }
            }
        },
        "references": [{
            "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
            "type": "index-pattern",
            "id": spec.index_pattern
        }]
    });
    NewFile::new(path(&spec.log_type, &spec.id), literal(&json_text(&body)))
}

/// Text of a `.hbs` file without template expressions: every `{{` is a literal one.
pub(crate) fn literal(text: &str) -> String {
    text.replace("{{", "\\{{")
}
