//! Sigma detection rules (<https://sigmahq.io>, specification v2) converted into saved searches.
//!
//! Pure: a rule's text, the content's field mapping (`sigma/field-mappings.yaml`) and the
//! mapped fields of the log types go in; a [`Converted`] search or a [`Problem`] naming the rule
//! file, the line and what to do comes out. Nothing here reads files or prints.
//!
//! Parsing is done here with serde (serde-saphyr, for the lines) and a small condition parser
//! rather than with a Sigma crate: the maintained one (`rsigma-parser`) needs Rust 1.95 (this
//! project supports 1.85), brings a second YAML parser, and its syntax tree has no source
//! lines, which every error here names.
//!
//! What cannot be expressed as one query over single events is refused, never weakened:
//! aggregations (`| count()`), `near`, `timeframe`, correlation and filter rules, `fieldref`,
//! an unmapped field, a logsource without a log type, a comparison the target field's type
//! cannot do (a case-insensitive or wildcard comparison on a `flat_object` leaf, text fields).

pub(crate) mod condition;
pub(crate) mod mapping;
pub(crate) mod node;
pub(crate) mod query;
pub(crate) mod regex;
pub(crate) mod rule;
pub(crate) mod search;
pub(crate) mod value;

use std::path::Path;

use serde_saphyr::{Location, Spanned};

use self::condition::{Cond, Quantified};
use self::mapping::{LogTypeMapping, Mappings, Resolved, Target};
use self::node::Node;
use self::query::{Test, Q};
use self::rule::RuleFile;
use self::value::{Value, Values};
use crate::content::mapping::{lookup, Fields, Lookup};
use crate::content::problem::Problem;
use crate::content::suggest::did_you_mean;
use crate::query::Language;

/// A rule converted into a saved search.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Converted {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) log_type: String,
    pub(crate) language: Language,
    pub(crate) query: String,
    pub(crate) description: String,
    pub(crate) tags: Vec<String>,
    pub(crate) columns: Vec<String>,
    /// The file name the search is written to (`sigma-<rule file stem>.yaml`).
    pub(crate) file_name: String,
    /// Things worth knowing that did not stop the conversion (a rule `fields` entry with no
    /// mapping, left out of the columns).
    pub(crate) notes: Vec<String>,
}

/// The content a conversion needs: the mapping, and each log type's mapped fields.
pub(crate) trait FieldsOf {
    fn fields_of(&self, log_type: &str) -> Option<&Fields>;
}

fn line(location: &Location) -> Option<usize> {
    usize::try_from(location.line()).ok().filter(|l| *l > 0)
}

/// Converts the rule in `text` (read from `path`). `log_type` overrides the logsource.
pub(crate) fn convert(
    path: &Path,
    text: &str,
    mappings: &Mappings,
    content: &dyn FieldsOf,
    log_type: Option<&str>,
) -> Result<Converted, Problem> {
    let problem = |line: Option<usize>, message: String, hint: &str| {
        Problem::new(path, message).at_line(line).with_hint(hint)
    };
    if text.lines().skip(1).any(|l| l.trim_end() == "---") {
        return Err(problem(
            None,
            "this file holds several YAML documents (a Sigma rule collection with `action: global` or several rules)".into(),
            "split it into one rule per file; collections are not imported",
        ));
    }
    let rule: RuleFile = serde_saphyr::from_str(text).map_err(|e| {
        let at = e.location().and_then(|l| line(&l));
        problem(
            at,
            format!(
                "not a Sigma rule: {}",
                e.to_string().lines().next().unwrap_or_default()
            ),
            "a Sigma rule is a YAML map with title, logsource and detection (https://sigmahq.io/docs/basics/rules.html)",
        )
    })?;
    if let Some(c) = &rule.correlation {
        return Err(problem(
            line(&c.referenced),
            "this is a Sigma correlation rule (counts or sequences over other rules' matches), which a saved search cannot express".into(),
            "import the rules it correlates, and build the correlation as an alerting monitor",
        ));
    }
    if let Some(f) = &rule.filter {
        return Err(problem(
            line(&f.referenced),
            "this is a Sigma filter rule (it amends other rules), not a detection".into(),
            "apply its exclusions to the imported searches by hand, as `and not (...)`",
        ));
    }
    let Some(title) = rule.title.as_ref().filter(|t| !t.value.trim().is_empty()) else {
        return Err(problem(
            Some(1),
            "the rule has no title".into(),
            "add `title:`: it becomes the saved search's title",
        ));
    };
    let Some(detection) = &rule.detection else {
        return Err(problem(
            None,
            "the rule has no `detection`".into(),
            "a Sigma rule needs `detection:` with its search identifiers and `condition`",
        ));
    };
    let log_type = match log_type {
        Some(lt) => lt.to_string(),
        None => resolve_log_type(&rule, mappings)
            .map_err(|(at, message, hint)| problem(at, message, &hint))?,
    };
    let Some(lt_mapping) = mappings.log_types.get(&log_type) else {
        let known: Vec<&str> = mappings.log_types.keys().map(String::as_str).collect();
        return Err(problem(
            rule.logsource.as_ref().and_then(|l| line(&l.referenced)),
            format!(
                "log type `{log_type}` has no field mapping in {}",
                mapping::PATH
            ),
            &format!(
                "add `{log_type}:` under `log_types:` there (mapped: {})",
                known.join(", ")
            ),
        ));
    };
    let Some(fields) = content.fields_of(&log_type) else {
        return Err(problem(
            None,
            format!("the content has no index template for log type `{log_type}`"),
            "name a log type of index-templates/ with --log-type",
        ));
    };
    let converter = Converter {
        path,
        mapping: lt_mapping,
        fields,
        log_type: &log_type,
    };
    let q = converter.detection(detection)?.simplify();
    let language = q.language();
    let query = q.render(language);
    // The generated text must parse as the language says: a failure here is a bug of this
    // converter, reported as such rather than written.
    if let Err(e) = crate::query::parse(language, &query) {
        return Err(problem(
            line(&detection.referenced),
            format!(
                "the generated query does not parse ({e}): this is a bug of siemctl's Sigma import"
            ),
            "report it with the rule; the query was not written",
        ));
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("rule")
        .to_string();
    let id = match &rule.id {
        Some(id) => format!("sigma-{}", sanitize(&id.value)),
        None => format!("sigma-{}", sanitize(&stem)),
    };
    let (columns, notes) = converter.columns(&rule);
    let mut tags = vec!["sigma".to_string()];
    tags.extend(rule::texts(rule.tags.as_ref()));
    Ok(Converted {
        id,
        title: title.value.trim().to_string(),
        log_type: log_type.clone(),
        language,
        query,
        description: search::description(&rule, path),
        tags,
        columns,
        file_name: format!("sigma-{}.yaml", sanitize(&stem)),
        notes,
    })
}

/// Letters, digits, `-` and `_` (what a saved-search id may hold); anything else becomes `-`.
fn sanitize(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

type Refusal = (Option<usize>, String, String);

fn resolve_log_type(rule: &RuleFile, mappings: &Mappings) -> Result<String, Refusal> {
    let Some(source) = &rule.logsource else {
        return Err((
            None,
            "the rule has no `logsource`, so no log type can be chosen".into(),
            "pass --log-type NAME to say which log type's events it is about".into(),
        ));
    };
    let at = line(&source.referenced);
    match mappings.resolve(&source.value) {
        Resolved::LogType(lt) => Ok(lt.to_string()),
        Resolved::NoLogType(reason) => Err((
            at,
            format!(
                "logsource `{}` has no log type in this content{}",
                source.value.describe(),
                reason.map(|r| format!(": {r}")).unwrap_or_default()
            ),
            "add the log type to the content first, or pass --log-type NAME if another log type holds these events".into(),
        )),
        Resolved::Unknown => Err((
            at,
            format!(
                "logsource `{}` is not in {}, so no log type holds its events",
                source.value.describe(),
                mapping::PATH
            ),
            format!(
                "known: {}; add an entry under `logsources:` or pass --log-type NAME",
                mappings.known().join("; ")
            ),
        )),
    }
}

struct Converter<'a> {
    path: &'a Path,
    mapping: &'a LogTypeMapping,
    fields: &'a Fields,
    log_type: &'a str,
}

impl Converter<'_> {
    fn problem(&self, at: Option<usize>, message: String, hint: impl Into<String>) -> Problem {
        Problem::new(self.path, message).at_line(at).with_hint(hint)
    }

    fn detection(&self, detection: &Spanned<Node>) -> Result<Q, Problem> {
        let Node::Map(entries) = &detection.value else {
            return Err(self.problem(
                line(&detection.referenced),
                format!("`detection` is {}, not a map", detection.value.describe()),
                "detection holds search identifiers (maps or lists) and a `condition`",
            ));
        };
        let mut condition = None;
        let mut idents: Vec<(&str, &Spanned<Node>, Option<usize>)> = Vec::new();
        for (key, value) in entries {
            match key.value.as_str() {
                "condition" => condition = Some((value, line(&key.referenced))),
                "timeframe" => {
                    return Err(self.problem(
                        line(&key.referenced),
                        "`timeframe` limits an aggregation to a time window, which a saved search cannot express".into(),
                        "set the time range in Discover instead, and build the aggregation as a visualization or alerting monitor",
                    ))
                }
                name => idents.push((name, value, line(&key.referenced))),
            }
        }
        let Some((condition, condition_line)) = condition else {
            return Err(self.problem(
                line(&detection.referenced),
                "the detection has no `condition`".into(),
                "add e.g. `condition: selection`",
            ));
        };
        let conditions: Vec<(String, Option<usize>)> = match &condition.value {
            Node::Str(s) => vec![(s.clone(), condition_line)],
            Node::List(items) => items
                .iter()
                .map(|i| match &i.value {
                    Node::Str(s) => Ok((s.clone(), line(&i.referenced))),
                    other => Err(self.problem(
                        line(&i.referenced),
                        format!("a condition is {}, not a string", other.describe()),
                        "write the condition as text, e.g. `selection and not filter`",
                    )),
                })
                .collect::<Result<_, _>>()?,
            other => {
                return Err(self.problem(
                    condition_line,
                    format!("the condition is {}, not a string", other.describe()),
                    "write the condition as text, e.g. `selection and not filter`",
                ))
            }
        };
        let names: Vec<&str> = idents.iter().map(|(n, _, _)| *n).collect();
        let mut alternatives = Vec::new();
        for (text, at) in conditions {
            let cond = condition::parse(&text).map_err(|e| {
                self.problem(
                    at,
                    format!("condition `{text}`, column {}: {}", e.column, e.message),
                    e.hint,
                )
            })?;
            alternatives.push(self.condition(&cond, &idents, &names, at, &text)?);
        }
        Ok(Q::Or(alternatives))
    }

    fn condition(
        &self,
        cond: &Cond,
        idents: &[(&str, &Spanned<Node>, Option<usize>)],
        names: &[&str],
        at: Option<usize>,
        text: &str,
    ) -> Result<Q, Problem> {
        let ident = |name: &str| -> Result<Q, Problem> {
            let Some((_, node, key_line)) = idents.iter().find(|(n, _, _)| *n == name) else {
                let hint = match did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the detection defines: {}", names.join(", ")),
                };
                return Err(self.problem(
                    at,
                    format!(
                        "condition `{text}` names `{name}`, which the detection does not define"
                    ),
                    hint,
                ));
            };
            self.search(node, *key_line)
        };
        let quantified = |q: &Quantified| -> Result<Vec<Q>, Problem> {
            let selected = q.select(names);
            if selected.is_empty() {
                return Err(self.problem(
                    at,
                    format!("condition `{text}`: `{q}` matches no search identifier"),
                    format!("the detection defines: {}", names.join(", ")),
                ));
            }
            selected.into_iter().map(ident).collect()
        };
        Ok(match cond {
            Cond::Ident(name) => ident(name)?,
            Cond::Not(inner) => Q::Not(Box::new(self.condition(inner, idents, names, at, text)?)),
            Cond::And(a, b) => Q::And(vec![
                self.condition(a, idents, names, at, text)?,
                self.condition(b, idents, names, at, text)?,
            ]),
            Cond::Or(a, b) => Q::Or(vec![
                self.condition(a, idents, names, at, text)?,
                self.condition(b, idents, names, at, text)?,
            ]),
            Cond::OneOf(q) => Q::Or(quantified(q)?),
            Cond::AllOf(q) => Q::And(quantified(q)?),
        })
    }

    /// A search identifier: a map (every field matches), a list of maps (any of them), or
    /// keywords (a list of values, or one value).
    fn search(&self, node: &Spanned<Node>, key_line: Option<usize>) -> Result<Q, Problem> {
        let at = line(&node.referenced).or(key_line);
        match &node.value {
            Node::Map(entries) => {
                if entries.is_empty() {
                    return Err(self.problem(
                        at,
                        "an empty search identifier matches nothing in Sigma".into(),
                        "give it field: value pairs, or remove it",
                    ));
                }
                let mut all = Vec::new();
                for (key, value) in entries {
                    all.push(self.field(&key.value, value, line(&key.referenced))?);
                }
                Ok(Q::And(all))
            }
            Node::List(items)
                if items.iter().all(|i| matches!(i.value, Node::Map(_))) && !items.is_empty() =>
            {
                let mut any = Vec::new();
                for item in items {
                    any.push(self.search(item, line(&item.referenced))?);
                }
                Ok(Q::Or(any))
            }
            Node::List(items)
                if items
                    .iter()
                    .any(|i| matches!(i.value, Node::Map(_) | Node::List(_))) =>
            {
                Err(self.problem(
                    at,
                    "a search identifier's list mixes maps with values".into(),
                    "use either a list of maps (any of them) or a list of keywords",
                ))
            }
            _ => {
                let nodes: Vec<&Node> = match &node.value {
                    Node::List(items) => items.iter().map(|i| &i.value).collect(),
                    other => vec![other],
                };
                let values =
                    value::apply(None, &nodes).map_err(|e| self.problem(at, e.message, e.hint))?;
                self.keywords(&values, at)
            }
        }
    }

    fn keywords(&self, values: &Values, at: Option<usize>) -> Result<Q, Problem> {
        if self.mapping.keywords.is_empty() {
            return Err(self.problem(
                at,
                format!("the rule searches keywords (values without a field), and log type `{}` has no keyword field in {}", self.log_type, mapping::PATH),
                format!("add `keywords: [FIELD]` under `{}:` there, naming the keyword field that holds the whole message", self.log_type),
            ));
        }
        let mut per_value = Vec::new();
        for alternatives in &values.values {
            let mut any = Vec::new();
            for alternative in alternatives {
                // A keyword is found anywhere in the message (as pySigma's backends do).
                let contains = match alternative {
                    Value::Text { pattern, cased } => Value::Text {
                        pattern: value::Pattern(
                            std::iter::once(value::Piece::Any)
                                .chain(pattern.0.iter().cloned())
                                .chain(std::iter::once(value::Piece::Any))
                                .collect(),
                        ),
                        cased: *cased,
                    },
                    Value::Number(n) => Value::Text {
                        pattern: value::Pattern::sigma(&format!("*{n}*")),
                        cased: true,
                    },
                    other => {
                        return Err(self.problem(
                            at,
                            format!("a keyword must be a string, found {other:?}"),
                            "quote the keyword",
                        ))
                    }
                };
                for field in &self.mapping.keywords {
                    let target = Target {
                        field: field.clone(),
                        exact_case: false,
                    };
                    any.push(self.test(&target, &contains, at, "(keywords)")?);
                }
            }
            per_value.push(Q::Or(any));
        }
        Ok(if values.all {
            Q::And(per_value)
        } else {
            Q::Or(per_value)
        })
    }

    fn field(&self, key: &str, value: &Spanned<Node>, at: Option<usize>) -> Result<Q, Problem> {
        let nodes: Vec<&Node> = match &value.value {
            Node::List(items) => items.iter().map(|i| &i.value).collect(),
            Node::Map(_) => {
                return Err(self.problem(
                    at,
                    format!("`{key}` has a map as its value"),
                    "a field's value is a value or a list of values",
                ))
            }
            other => vec![other],
        };
        if nodes.is_empty() {
            return Err(self.problem(
                at,
                format!("`{key}` has an empty list of values, which matches nothing"),
                "give it at least one value, or `null` for an absent field",
            ));
        }
        let values = value::apply(Some(key), &nodes)
            .map_err(|e| self.problem(at, format!("`{key}`: {}", e.message), e.hint))?;
        let Some(sigma_field) = &values.field else {
            return self.keywords(&values, at);
        };
        let Some(target) = self.mapping.lookup(sigma_field) else {
            let known = self.mapping.fields.keys().map(String::as_str);
            let hint = match did_you_mean(sigma_field, known) {
                Some(s) => format!("did you mean `{s}`? Otherwise add `{sigma_field}: FIELD` under `{}: fields:` in {}", self.log_type, mapping::PATH),
                None => format!("add `{sigma_field}: FIELD` under `{}: fields:` in {} (the field of this log type that holds the same value)", self.log_type, mapping::PATH),
            };
            return Err(self.problem(
                at,
                format!(
                    "the Sigma field `{sigma_field}` has no mapping for log type `{}`",
                    self.log_type
                ),
                hint,
            ));
        };
        let mut per_value = Vec::new();
        for alternatives in &values.values {
            let mut any = Vec::new();
            for alternative in alternatives {
                any.push(self.test(&target, alternative, at, sigma_field)?);
            }
            per_value.push(Q::Or(any));
        }
        Ok(if values.all {
            Q::And(per_value)
        } else {
            Q::Or(per_value)
        })
    }

    /// One comparison on a mapped field, written as the field's type allows.
    fn test(
        &self,
        target: &Target,
        value: &Value,
        at: Option<usize>,
        sigma: &str,
    ) -> Result<Q, Problem> {
        let field = target.field.clone();
        let leaf = |test: Test| Q::Leaf {
            field: field.clone(),
            test,
        };
        let (ty, flat) = match lookup(self.fields, &field) {
            Lookup::Found(f) => (f.ty.as_str(), false),
            Lookup::InFlatObject(_) => ("keyword", true),
            Lookup::NotSearchable(_) => {
                return Err(self.problem(
                    at,
                    format!("`{sigma}` maps to `{field}`, which is not searchable (enabled: false or index: false) in log type `{}`", self.log_type),
                    format!("map `{sigma}` to a searchable field in {}", mapping::PATH),
                ))
            }
            Lookup::Missing => {
                return Err(self.problem(
                    at,
                    format!("`{sigma}` maps to `{field}`, which log type `{}` does not map", self.log_type),
                    format!("correct the mapping of `{sigma}` in {} (`siemctl render` shows the composed templates)", mapping::PATH),
                ))
            }
        };
        let refuse = |what: String, hint: &str| {
            Err(self.problem(
                at,
                format!(
                    "`{sigma}` (`{field}`, {}): {what}",
                    if flat {
                        "a flat_object leaf".to_string()
                    } else {
                        format!("type {ty}")
                    }
                ),
                hint,
            ))
        };
        let numeric = matches!(
            ty,
            "long"
                | "integer"
                | "short"
                | "byte"
                | "double"
                | "float"
                | "half_float"
                | "scaled_float"
                | "unsigned_long"
        );
        let stringy = matches!(ty, "keyword" | "constant_keyword" | "wildcard");
        if matches!(ty, "text" | "match_only_text") {
            return refuse(
                "an analyzed text field holds words, not the whole value a Sigma comparison is about".into(),
                &format!("map `{sigma}` to the keyword sub-field (e.g. `{field}.keyword`) in {}", mapping::PATH),
            );
        }
        Ok(match value {
            Value::Null => Q::Not(Box::new(leaf(Test::Exists))),
            Value::Exists(true) => leaf(Test::Exists),
            Value::Exists(false) => Q::Not(Box::new(leaf(Test::Exists))),
            Value::Compare(cmp, n) => {
                if !numeric && ty != "date" {
                    return refuse(
                        format!(
                            "`{}` compares numbers, and this field is not numeric",
                            cmp.symbol()
                        ),
                        "map the field to a numeric field, or remove the comparison",
                    );
                }
                leaf(Test::Range(*cmp, n.clone()))
            }
            Value::Cidr(cidr) => {
                if ty != "ip" {
                    return refuse(
                        "`cidr` needs an `ip` field".into(),
                        &format!(
                            "map `{sigma}` to an ip field (source.ip, destination.ip ...) in {}",
                            mapping::PATH
                        ),
                    );
                }
                leaf(Test::Cidr(cidr.clone()))
            }
            Value::Regex {
                source,
                insensitive,
                multiline,
                dotall,
            } => {
                if flat || !stringy {
                    return refuse("OpenSearch runs regular expressions on keyword fields only (flat_object leaves do not take them)".into(), "map the field to a keyword field, or rewrite the value without `re`");
                }
                let re = regex::to_lucene(source, *insensitive, *multiline, *dotall)
                    .map_err(|e| self.problem(at, format!("`{sigma}|re`: {}", e.0), "rewrite the expression with what Lucene regular expressions have (classes, groups, |, quantifiers), or drop the rule"))?;
                leaf(Test::Regex(re))
            }
            Value::Bool(b) => match ty {
                "boolean" => leaf(Test::Bool(*b)),
                _ if stringy => leaf(Test::Term(b.to_string())),
                _ => {
                    return refuse(
                        format!("`{b}` is a boolean"),
                        "map the field to a boolean or keyword field",
                    )
                }
            },
            Value::Number(n) => {
                if numeric {
                    leaf(Test::Number(n.clone()))
                } else if stringy || ty == "ip" || ty == "date" {
                    leaf(Test::Term(n.clone()))
                } else {
                    return refuse(
                        format!("`{n}` is a number"),
                        "map the field to a numeric or keyword field",
                    );
                }
            }
            Value::Text { pattern, cased } => {
                if numeric || ty == "boolean" || ty == "date" || ty == "ip" {
                    return match pattern.as_literal() {
                        Some(text) if numeric && text.parse::<f64>().is_ok() => Ok(leaf(Test::Number(text))),
                        Some(text) if ty == "boolean" && (text == "true" || text == "false") => Ok(leaf(Test::Bool(text == "true"))),
                        Some(text) if ty == "ip" || ty == "date" => Ok(leaf(Test::Term(text))),
                        _ => refuse(format!("the value `{}` cannot be compared with a {ty} field (wildcards and words work on keyword fields only)", pattern_text(pattern)), "map the field to a keyword field, or give a value of the field's type"),
                    };
                }
                if !stringy {
                    return refuse(
                        format!("cannot compare a string with a field of type {ty}"),
                        "map the field to a keyword field",
                    );
                }
                let case_free = *cased || target.exact_case || !pattern.has_cased_letters();
                if case_free {
                    match pattern.as_literal() {
                        Some(text) => leaf(Test::Term(text)),
                        None if flat => return refuse(
                            "OpenSearch's flat_object leaves take exact values only, not wildcards"
                                .into(),
                            "compare the whole value, or map the Sigma field to a keyword field",
                        ),
                        None => leaf(Test::Wildcard(pattern.clone())),
                    }
                } else if flat {
                    return refuse(
                        "Sigma compares strings case-insensitively, which needs a regular expression, and flat_object leaves take exact values only".into(),
                        &format!("if the source writes this field in one documented case, mark it `case: exact` in {}; or add `|cased` to the rule", mapping::PATH),
                    );
                } else {
                    leaf(Test::Regex(query::insensitive_regex(pattern)))
                }
            }
        })
    }

    /// The log type's columns, then the rule's `fields` that are mapped.
    fn columns(&self, rule: &RuleFile) -> (Vec<String>, Vec<String>) {
        let mut columns = self.mapping.columns.clone();
        let mut notes = Vec::new();
        for f in rule::texts(rule.fields.as_ref()) {
            match self.mapping.lookup(&f) {
                Some(t) => {
                    let target = t.field;
                    if !columns.contains(&target) {
                        columns.push(target);
                    }
                }
                None => notes.push(format!(
                    "the rule's field `{f}` has no mapping for {}: not added to the columns",
                    self.log_type
                )),
            }
        }
        (columns, notes)
    }
}

fn pattern_text(pattern: &value::Pattern) -> String {
    pattern
        .0
        .iter()
        .map(|p| match p {
            value::Piece::Lit(c) => c.to_string(),
            value::Piece::Any => "*".into(),
            value::Piece::One => "?".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
