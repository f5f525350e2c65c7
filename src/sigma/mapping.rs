//! `sigma/field-mappings.yaml`: which log type a Sigma `logsource` is, and which field of that
//! log type each Sigma field name is. Kept in the content, so that a reviewer sees the mapping
//! a converted rule relies on, and extends it in a pull request.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::rule::LogSource;
use crate::content::problem::Problem;

/// Where the mapping lives, relative to the content directory.
pub(crate) const PATH: &str = "sigma/field-mappings.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Mappings {
    pub(crate) logsources: Vec<Spanned<LogSourceEntry>>,
    pub(crate) log_types: BTreeMap<String, LogTypeMapping>,
}

/// A Sigma logsource (each key given must equal the rule's, and the rule may not give a key
/// the entry does not) and the log type it is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LogSourceEntry {
    #[serde(default)]
    pub(crate) product: Option<String>,
    #[serde(default)]
    pub(crate) service: Option<String>,
    #[serde(default)]
    pub(crate) category: Option<String>,
    /// The log type, or none: then `reason` says why this content has no log type for it.
    #[serde(default)]
    pub(crate) log_type: Option<String>,
    #[serde(default)]
    pub(crate) reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LogTypeMapping {
    /// The columns of every search made for this log type (the rule's `fields` are added).
    #[serde(default)]
    pub(crate) columns: Vec<String>,
    /// The fields a Sigma keyword (a value without a field) is looked for in, as `contains`.
    /// Empty: keyword rules are refused for this log type.
    #[serde(default)]
    pub(crate) keywords: Vec<String>,
    pub(crate) fields: BTreeMap<String, FieldMapping>,
}

/// `eventName: aws.cloudtrail.eventName`, or the long form with how values compare.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum FieldMapping {
    Name(String),
    Full(FullMapping),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FullMapping {
    pub(crate) field: String,
    /// `exact`: the source writes this field's values in one documented case (API names,
    /// enumerations), so a case-sensitive term finds what Sigma's case-insensitive comparison
    /// finds, and the query stays a plain term.
    #[serde(default)]
    pub(crate) case: Option<String>,
}

/// A Sigma field resolved to a field of the content.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    pub(crate) field: String,
    pub(crate) exact_case: bool,
}

impl LogTypeMapping {
    /// The content field of a Sigma field: its own entry, else the longest `Prefix.*` entry
    /// that covers it.
    pub(crate) fn lookup(&self, sigma: &str) -> Option<Target> {
        if let Some(m) = self.fields.get(sigma) {
            return Some(m.target());
        }
        self.fields
            .iter()
            .filter_map(|(key, m)| {
                let prefix = key.strip_suffix('*')?;
                let rest = sigma.strip_prefix(prefix).filter(|r| !r.is_empty())?;
                let target = m.target();
                let base = target.field.strip_suffix('*')?.to_string();
                Some((
                    prefix.len(),
                    Target {
                        field: format!("{base}{rest}"),
                        exact_case: target.exact_case,
                    },
                ))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, t)| t)
    }
}

impl FieldMapping {
    pub(crate) fn target(&self) -> Target {
        match self {
            FieldMapping::Name(field) => Target {
                field: field.clone(),
                exact_case: false,
            },
            FieldMapping::Full(full) => Target {
                field: full.field.clone(),
                exact_case: full.case.as_deref() == Some("exact"),
            },
        }
    }
}

/// Reads the mapping file; a shape error names its line.
pub(crate) fn parse(text: &str) -> Result<Mappings, Problem> {
    let mappings: Mappings = serde_saphyr::from_str(text).map_err(|e| {
        let line = e
            .location()
            .and_then(|l| usize::try_from(l.line()).ok())
            .filter(|l| *l > 0);
        Problem::new(
            PATH,
            format!(
                "not a valid Sigma field mapping: {}",
                e.to_string().lines().next().unwrap_or_default()
            ),
        )
        .at_line(line)
        .with_hint("it holds `logsources:` (product/service/category → log_type) and `log_types:` (per log type: columns, keywords, fields)")
    })?;
    for (name, lt) in &mappings.log_types {
        for (sigma, mapping) in &lt.fields {
            if let FieldMapping::Full(FullMapping {
                case: Some(case), ..
            }) = mapping
            {
                if case != "exact" {
                    return Err(Problem::new(
                        PATH,
                        format!("`{name}` field `{sigma}`: case `{case}` is not known"),
                    )
                    .with_hint("write `case: exact` or leave it out"));
                }
            }
        }
    }
    Ok(mappings)
}

/// What the logsource of a rule resolves to.
#[derive(Debug, PartialEq)]
pub(crate) enum Resolved<'a> {
    LogType(&'a str),
    /// The mapping knows this logsource and says why no log type holds it.
    NoLogType(Option<&'a str>),
    Unknown,
}

impl Mappings {
    pub(crate) fn resolve(&self, source: &LogSource) -> Resolved<'_> {
        let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        for entry in &self.logsources {
            let e = &entry.value;
            if same(&e.product, &source.product)
                && same(&e.service, &source.service)
                && same(&e.category, &source.category)
            {
                return match &e.log_type {
                    Some(lt) => Resolved::LogType(lt),
                    None => Resolved::NoLogType(e.reason.as_deref()),
                };
            }
        }
        // An entry without a log type also covers the more specific logsources under it
        // (`product: windows` is every Windows rule).
        let covers = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (None, _) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (Some(_), None) => false,
        };
        for entry in &self.logsources {
            let e = &entry.value;
            if e.log_type.is_none()
                && covers(&e.product, &source.product)
                && covers(&e.service, &source.service)
                && covers(&e.category, &source.category)
            {
                return Resolved::NoLogType(e.reason.as_deref());
            }
        }
        Resolved::Unknown
    }

    /// The logsources that have a log type, as a message lists them.
    pub(crate) fn known(&self) -> Vec<String> {
        self.logsources
            .iter()
            .filter_map(|e| {
                let e = &e.value;
                let lt = e.log_type.as_ref()?;
                let source = LogSource {
                    product: e.product.clone(),
                    service: e.service.clone(),
                    category: e.category.clone(),
                };
                Some(format!("{} → {lt}", source.describe()))
            })
            .collect()
    }
}

/// The mapping file of a content directory.
pub(crate) fn load(root: &Path) -> Result<Mappings, Problem> {
    let path = root.join(PATH);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Problem::new(PATH, format!("cannot read the Sigma field mapping: {e}")).with_hint(
            "the import needs sigma/field-mappings.yaml in the content directory (-C DIR); copy it from the bundled content",
        )
    })?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
logsources:
  - {product: aws, service: cloudtrail, log_type: aws-cloudtrail}
  - {product: aws, service: s3, reason: no S3 data events here}
log_types:
  aws-cloudtrail:
    columns: [event.action]
    fields:
      eventName: {field: aws.cloudtrail.eventName, case: exact}
      userIdentity.arn: aws.cloudtrail.userIdentity.arn
";

    fn source(product: &str, service: &str) -> LogSource {
        LogSource {
            product: Some(product.into()),
            service: Some(service.into()),
            ..LogSource::default()
        }
    }

    #[test]
    fn logsources_resolve_on_every_key() {
        let m = parse(TEXT).unwrap();
        assert_eq!(
            m.resolve(&source("AWS", "cloudtrail")),
            Resolved::LogType("aws-cloudtrail")
        );
        assert_eq!(
            m.resolve(&source("aws", "s3")),
            Resolved::NoLogType(Some("no S3 data events here"))
        );
        let mut with_category = source("aws", "cloudtrail");
        with_category.category = Some("x".into());
        assert_eq!(m.resolve(&with_category), Resolved::Unknown);
        // An entry without a log type covers what is under it.
        let mut under = source("aws", "s3");
        under.category = Some("x".into());
        assert_eq!(
            m.resolve(&under),
            Resolved::NoLogType(Some("no S3 data events here"))
        );
        assert_eq!(
            m.known(),
            ["product: aws, service: cloudtrail → aws-cloudtrail"]
        );
    }

    #[test]
    fn short_and_long_field_forms() {
        let m = parse(TEXT).unwrap();
        let f = &m.log_types["aws-cloudtrail"].fields;
        assert_eq!(
            f["eventName"].target(),
            Target {
                field: "aws.cloudtrail.eventName".into(),
                exact_case: true
            }
        );
        assert!(!f["userIdentity.arn"].target().exact_case);
    }

    #[test]
    fn prefix_entries_cover_keys_and_exact_entries_win() {
        let text = TEXT.replace(
            "      userIdentity.arn:",
            "      responseElements.*: aws.cloudtrail.responseElements.*\n      responseElements.ConsoleLogin: {field: aws.cloudtrail.responseElements.ConsoleLogin, case: exact}\n      userIdentity.arn:",
        );
        let m = parse(&text).unwrap();
        let lt = &m.log_types["aws-cloudtrail"];
        assert_eq!(
            lt.lookup("responseElements.accessKey.userName"),
            Some(Target {
                field: "aws.cloudtrail.responseElements.accessKey.userName".into(),
                exact_case: false
            })
        );
        assert!(
            lt.lookup("responseElements.ConsoleLogin")
                .unwrap()
                .exact_case
        );
        assert_eq!(lt.lookup("responseElements."), None);
        assert_eq!(lt.lookup("nothing"), None);
    }

    #[test]
    fn bad_shapes_name_the_line() {
        let e = parse("logsources: []\nlog_types: {}\nextra: 1\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = parse(&TEXT.replace("case: exact", "case: upper")).unwrap_err();
        assert!(e.message.contains("upper"));
    }
}
