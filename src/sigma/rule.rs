//! A Sigma rule file as the Sigma specification (v2) writes it, read with serde: the metadata
//! kept in the saved search, the `logsource` that picks the log type and the `detection`.
//! Unknown top-level keys are allowed, as the specification allows custom attributes.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::node::Node;

#[derive(Debug, Deserialize)]
pub(crate) struct RuleFile {
    #[serde(default)]
    pub(crate) title: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) id: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) status: Option<String>,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) references: Option<Node>,
    #[serde(default)]
    pub(crate) author: Option<String>,
    #[serde(default)]
    pub(crate) date: Option<Node>,
    #[serde(default)]
    pub(crate) modified: Option<Node>,
    #[serde(default)]
    pub(crate) tags: Option<Node>,
    #[serde(default)]
    pub(crate) logsource: Option<Spanned<LogSource>>,
    #[serde(default)]
    pub(crate) detection: Option<Spanned<Node>>,
    #[serde(default)]
    pub(crate) falsepositives: Option<Node>,
    #[serde(default)]
    pub(crate) level: Option<String>,
    #[serde(default)]
    pub(crate) fields: Option<Node>,
    /// Present in correlation rules (Sigma v2 meta-rules over other rules' matches).
    #[serde(default)]
    pub(crate) correlation: Option<Spanned<Node>>,
    /// Present in filter rules (Sigma v2 meta-rules that amend other rules).
    #[serde(default)]
    pub(crate) filter: Option<Spanned<Node>>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LogSource {
    #[serde(default)]
    pub(crate) product: Option<String>,
    #[serde(default)]
    pub(crate) service: Option<String>,
    #[serde(default)]
    pub(crate) category: Option<String>,
}

impl LogSource {
    /// `product: aws, service: cloudtrail` as it reads in a message.
    pub(crate) fn describe(&self) -> String {
        let parts: Vec<String> = [
            ("category", &self.category),
            ("product", &self.product),
            ("service", &self.service),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
        .collect();
        if parts.is_empty() {
            "an empty logsource".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// A scalar or a list of scalars as text (`tags`, `references`, `falsepositives`, `fields`).
pub(crate) fn texts(node: Option<&Node>) -> Vec<String> {
    fn scalar(node: &Node) -> Option<String> {
        match node {
            Node::Str(s) => Some(s.clone()),
            Node::Int(i) => Some(i.to_string()),
            Node::Float(f) => Some(f.to_string()),
            Node::Bool(b) => Some(b.to_string()),
            Node::Null | Node::List(_) | Node::Map(_) => None,
        }
    }
    match node {
        None => Vec::new(),
        Some(Node::List(items)) => items.iter().filter_map(|i| scalar(&i.value)).collect(),
        Some(other) => scalar(other).into_iter().collect(),
    }
}

/// A scalar as text (`date`, `modified`).
pub(crate) fn text(node: Option<&Node>) -> Option<String> {
    texts(node).into_iter().next()
}
