//! The kinds of object siemctl manages, and how each is named on disk and on the wire.

use std::fmt;

/// One kind of managed object. The declaration order is the apply order: an object only
/// references objects of kinds declared before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    ComponentTemplate,
    IndexTemplate,
    IngestPipeline,
    IsmPolicy,
    IndexPattern,
    Search,
    Query,
    Visualization,
    Dashboard,
    Config,
}

impl Kind {
    /// Every kind, in apply order.
    pub(crate) const ALL: [Kind; 10] = [
        Kind::ComponentTemplate,
        Kind::IndexTemplate,
        Kind::IngestPipeline,
        Kind::IsmPolicy,
        Kind::IndexPattern,
        Kind::Search,
        Kind::Query,
        Kind::Visualization,
        Kind::Dashboard,
        Kind::Config,
    ];

    /// The name used in output, JSON and the render directory (`component_template`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::ComponentTemplate => "component_template",
            Kind::IndexTemplate => "index_template",
            Kind::IngestPipeline => "ingest_pipeline",
            Kind::IsmPolicy => "ism_policy",
            Kind::IndexPattern => "index_pattern",
            Kind::Visualization => "visualization",
            Kind::Dashboard => "dashboard",
            Kind::Search => "search",
            Kind::Query => "query",
            Kind::Config => "config",
        }
    }

    /// The kind in words, with its article: "an ingest pipeline", "a visualization".
    pub(crate) fn with_article(self) -> &'static str {
        match self {
            Kind::ComponentTemplate => "a component template",
            Kind::IndexTemplate => "an index template",
            Kind::IngestPipeline => "an ingest pipeline",
            Kind::IsmPolicy => "an ISM policy",
            Kind::IndexPattern => "an index pattern",
            Kind::Visualization => "a visualization",
            Kind::Dashboard => "a dashboard",
            Kind::Search => "a saved search",
            Kind::Query => "a saved query",
            Kind::Config => "an advanced-settings (config) object",
        }
    }

    /// The file name ending that marks a content file of this kind.
    pub(crate) fn file_suffix(self) -> &'static str {
        match self {
            Kind::ComponentTemplate => ".component-template.json.hbs",
            Kind::IndexTemplate => ".index-template.json.hbs",
            Kind::IngestPipeline => ".pipeline.json.hbs",
            Kind::IsmPolicy => ".ism-policy.json.hbs",
            Kind::IndexPattern => ".index-pattern.json.hbs",
            Kind::Visualization => ".visualization.json.hbs",
            Kind::Dashboard => ".dashboard.json.hbs",
            Kind::Search => ".search.json.hbs",
            Kind::Query => ".query.json.hbs",
            Kind::Config => ".config.json.hbs",
        }
    }

    /// The Dashboards saved-object type, for the kinds that are saved objects.
    pub(crate) fn saved_object_type(self) -> Option<&'static str> {
        match self {
            Kind::IndexPattern => Some("index-pattern"),
            Kind::Visualization => Some("visualization"),
            Kind::Dashboard => Some("dashboard"),
            Kind::Search => Some("search"),
            Kind::Query => Some("query"),
            Kind::Config => Some("config"),
            _ => None,
        }
    }

    pub(crate) fn is_saved_object(self) -> bool {
        self.saved_object_type().is_some()
    }

    /// The kind of a Dashboards saved-object type (`index-pattern` → [`Kind::IndexPattern`]).
    pub(crate) fn from_saved_object_type(saved_object_type: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.saved_object_type() == Some(saved_object_type))
    }

    /// The kind whose file suffix ends `file_name`, with the id in front of it.
    pub(crate) fn from_file_name(file_name: &str) -> Option<(Kind, &str)> {
        Kind::ALL.into_iter().find_map(|kind| {
            file_name
                .strip_suffix(kind.file_suffix())
                .filter(|id| !id.is_empty())
                .map(|id| (kind, id))
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_map_to_kind_and_id() {
        assert_eq!(
            Kind::from_file_name("log-aws-cloudtrail.index-template.json.hbs"),
            Some((Kind::IndexTemplate, "log-aws-cloudtrail"))
        );
        assert_eq!(
            Kind::from_file_name("log-all.index-pattern.json.hbs"),
            Some((Kind::IndexPattern, "log-all"))
        );
        assert_eq!(Kind::from_file_name(".pipeline.json.hbs"), None);
        assert_eq!(Kind::from_file_name("notes.json"), None);
    }

    #[test]
    fn saved_object_types_round_trip() {
        for kind in Kind::ALL.into_iter().filter(|k| k.is_saved_object()) {
            let type_name = kind.saved_object_type().unwrap();
            assert_eq!(Kind::from_saved_object_type(type_name), Some(kind));
        }
        assert_eq!(Kind::from_saved_object_type("lens"), None);
    }
}
