//! The workshop's questions (`workshop/questions.yaml` at the content root): each with its
//! points, hints (and what they cost), the answer as a template over the scenario's entities,
//! and the saved searches and dashboards that lead to it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::entities;

/// Where the questions live, relative to the content root.
pub(crate) const QUESTIONS_FILE: &str = "workshop/questions.yaml";

#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
}

/// The file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionsFile {
    pub(crate) title: String,
    /// Shown at the top of the participants' sheet (a template).
    #[serde(default)]
    pub(crate) introduction: String,
    pub(crate) questions: Vec<Question>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Question {
    pub(crate) id: String,
    /// The question (a template).
    pub(crate) question: String,
    pub(crate) points: u32,
    /// One or two hints.
    pub(crate) hints: Vec<Hint>,
    /// The answer, a template over the scenario's entities (`{{attacker_ip}}`).
    pub(crate) answer: String,
    /// Values the answer must contain, each a template: what a check over the generated
    /// documents looks for in the results of `searches`.
    #[serde(default)]
    pub(crate) expect: Vec<String>,
    /// Saved searches (ids) that lead to the answer.
    #[serde(default)]
    pub(crate) searches: Vec<String>,
    /// Dashboards (ids) that lead to the answer.
    #[serde(default)]
    pub(crate) dashboards: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Hint {
    pub(crate) text: String,
    /// Points it costs.
    pub(crate) cost: u32,
}

/// A question with its templates filled in, as printed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Rendered {
    pub(crate) id: String,
    pub(crate) question: String,
    pub(crate) points: u32,
    pub(crate) hints: Vec<RenderedHint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) answer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) expect: Option<Vec<String>>,
    pub(crate) searches: Vec<String>,
    pub(crate) dashboards: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RenderedHint {
    pub(crate) text: String,
    pub(crate) cost: u32,
}

/// The sheet: the questions for one run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Sheet {
    pub(crate) title: String,
    pub(crate) introduction: String,
    /// The time range to set in Dashboards (RFC 3339).
    pub(crate) time_range: TimeRange,
    pub(crate) total_points: u32,
    pub(crate) questions: Vec<Rendered>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimeRange {
    pub(crate) from: String,
    pub(crate) to: String,
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// Reads and checks the questions file (`rel` is relative to `root`, for messages).
pub(crate) fn load(root: &Path) -> Result<QuestionsFile, Error> {
    let path = PathBuf::from(QUESTIONS_FILE);
    let text = std::fs::read_to_string(root.join(&path)).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    parse(&path, &text)
}

/// Parses the file's text and checks it: ids unique, one or two hints, every template variable
/// known.
pub(crate) fn parse(path: &Path, text: &str) -> Result<QuestionsFile, Error> {
    let file: QuestionsFile = serde_saphyr::from_str(text).map_err(|e| Error::Invalid {
        path: path.to_path_buf(),
        line: e
            .location()
            .and_then(|l| usize::try_from(l.line()).ok())
            .filter(|l| *l > 0),
        message: format!("not a valid questions file: {}", first_line(&e.to_string())),
    })?;
    let invalid = |id: &str, message: String| Error::Invalid {
        path: path.to_path_buf(),
        line: line_of(text, id),
        message,
    };
    let vars = variables(jiff::Timestamp::UNIX_EPOCH);
    let mut seen = std::collections::BTreeSet::new();
    for q in &file.questions {
        if !seen.insert(q.id.as_str()) {
            return Err(invalid(
                &q.id,
                format!("question id `{}` is used twice", q.id),
            ));
        }
        if q.hints.is_empty() || q.hints.len() > 2 {
            return Err(invalid(
                &q.id,
                format!(
                    "question `{}` needs one or two hints, it has {}",
                    q.id,
                    q.hints.len()
                ),
            ));
        }
        let spent: u32 = q.hints.iter().map(|h| h.cost).sum();
        if spent >= q.points {
            return Err(invalid(
                &q.id,
                format!(
                    "question `{}`: its hints cost {spent} of its {} points; they must cost less",
                    q.id, q.points
                ),
            ));
        }
        if q.searches.is_empty() && q.dashboards.is_empty() {
            return Err(invalid(
                &q.id,
                format!(
                    "question `{}` names no saved search or dashboard that leads to its answer",
                    q.id
                ),
            ));
        }
        let templates = [&q.question, &q.answer]
            .into_iter()
            .chain(q.hints.iter().map(|h| &h.text))
            .chain(q.expect.iter());
        for t in templates {
            fill(t, &vars).map_err(|m| invalid(&q.id, format!("question `{}`: {m}", q.id)))?;
        }
    }
    fill(&file.introduction, &vars).map_err(|m| Error::Invalid {
        path: path.to_path_buf(),
        line: line_of(text, "introduction"),
        message: m,
    })?;
    Ok(file)
}

/// The 1-based line of `id: <id>` (or of a key) in the text, for messages.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            l == format!("id: {needle}") || l.starts_with(&format!("{needle}:"))
        })
        .map(|i| i + 1)
}

/// The template variables: the entities, and the run's times.
pub(crate) fn variables(at: jiff::Timestamp) -> BTreeMap<&'static str, String> {
    let mut vars = entities::variables();
    let (start, end) = super::incident_range(at);
    let iso = |ms: i64| {
        let mut s = String::new();
        super::clock::iso(&mut s, ms);
        s
    };
    vars.insert("incident_start", iso(start));
    vars.insert("incident_end", iso(end));
    vars.insert("range_from", iso(start - 3_600_000));
    vars.insert("range_to", iso(at.as_millisecond()));
    vars
}

/// Replaces every `{{name}}` in `template`; an unknown name or an unclosed `{{` is an error.
pub(crate) fn fill(
    template: &str,
    vars: &BTreeMap<&'static str, String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| format!("`{{{{` without `}}}}` in {template:?}"))?;
        let name = after[..close].trim();
        let value = vars.get(name).ok_or_else(|| {
            format!(
                "unknown variable `{name}` (known: {})",
                vars.keys().copied().collect::<Vec<_>>().join(", ")
            )
        })?;
        out.push_str(value);
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The sheet for a run at `at`; with `answers`, the host's key.
pub(crate) fn sheet(
    file: &QuestionsFile,
    at: jiff::Timestamp,
    answers: bool,
) -> Result<Sheet, String> {
    let vars = variables(at);
    let mut questions = Vec::new();
    for q in &file.questions {
        let hints = q
            .hints
            .iter()
            .map(|h| {
                Ok(RenderedHint {
                    text: fill(&h.text, &vars)?,
                    cost: h.cost,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        questions.push(Rendered {
            id: q.id.clone(),
            question: fill(&q.question, &vars)?,
            points: q.points,
            hints,
            answer: if answers {
                Some(fill(&q.answer, &vars)?)
            } else {
                None
            },
            expect: if answers {
                Some(
                    q.expect
                        .iter()
                        .map(|e| fill(e, &vars))
                        .collect::<Result<_, _>>()?,
                )
            } else {
                None
            },
            searches: q.searches.clone(),
            dashboards: q.dashboards.clone(),
        });
    }
    Ok(Sheet {
        title: file.title.clone(),
        introduction: fill(&file.introduction, &vars)?,
        time_range: TimeRange {
            from: vars["range_from"].clone(),
            to: vars["range_to"].clone(),
        },
        total_points: file.questions.iter().map(|q| q.points).sum(),
        questions,
    })
}

/// The sheet as Markdown.
pub(crate) fn markdown(sheet: &Sheet, answers: bool) -> String {
    let mut out = String::new();
    let kind = if answers { " — answer key" } else { "" };
    let _ = writeln!(out, "# {}{kind}\n", sheet.title);
    if !sheet.introduction.trim().is_empty() {
        let _ = writeln!(out, "{}\n", sheet.introduction.trim());
    }
    let _ = writeln!(
        out,
        "**Time range**: from `{}` to `{}` (Dashboards: set an absolute range). **Index pattern**: `log-*`. **Total**: {} points.\n",
        sheet.time_range.from, sheet.time_range.to, sheet.total_points
    );
    for (i, q) in sheet.questions.iter().enumerate() {
        let _ = writeln!(
            out,
            "## {}. {} ({} points)\n",
            i + 1,
            q.question.trim(),
            q.points
        );
        for (n, h) in q.hints.iter().enumerate() {
            let _ = writeln!(
                out,
                "- Hint {} (costs {} points): {}",
                n + 1,
                h.cost,
                h.text.trim()
            );
        }
        if !q.hints.is_empty() {
            out.push('\n');
        }
        if let Some(answer) = &q.answer {
            let _ = writeln!(out, "**Answer**: {}\n", answer.trim());
            let leads: Vec<String> = q
                .searches
                .iter()
                .map(|s| format!("saved search `{s}`"))
                .chain(q.dashboards.iter().map(|d| format!("dashboard `{d}`")))
                .collect();
            let _ = writeln!(out, "Leads to it: {}\n", leads.join(", "));
        }
    }
    out
}

/// Ids the questions name that the content does not have: saved searches (`id:` of
/// `saved-searches/**/*.yaml`, or `dashboards/**/<id>.search.json.hbs`) and dashboards
/// (`dashboards/**/<id>.dashboard.json.hbs`).
pub(crate) fn missing_references(root: &Path, file: &QuestionsFile) -> Vec<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: String,
    }
    let mut searches = std::collections::BTreeSet::new();
    let mut dashboards = std::collections::BTreeSet::new();
    for folder in ["saved-searches", "dashboards"] {
        let Ok(types) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for dir in types.flatten() {
            let Ok(files) = std::fs::read_dir(dir.path()) else {
                continue;
            };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if let Some(id) = name.strip_suffix(".dashboard.json.hbs") {
                    dashboards.insert(id.to_string());
                } else if let Some(id) = name.strip_suffix(".search.json.hbs") {
                    searches.insert(id.to_string());
                } else if folder == "saved-searches" && name.ends_with(".yaml") {
                    let Ok(text) = std::fs::read_to_string(f.path()) else {
                        continue;
                    };
                    // only the id is wanted; the content loader checks the rest
                    let id = text
                        .lines()
                        .find_map(|l| l.strip_prefix("id:"))
                        .map(|v| v.trim().trim_matches('"').to_string());
                    if let Some(id) =
                        id.or_else(|| serde_saphyr::from_str::<IdOnly>(&text).ok().map(|i| i.id))
                    {
                        searches.insert(id);
                    }
                }
            }
        }
    }
    let mut missing = Vec::new();
    for q in &file.questions {
        for s in &q.searches {
            if !searches.contains(s) {
                missing.push(format!(
                    "question `{}`: no saved search `{s}` in the content",
                    q.id
                ));
            }
        }
        for d in &q.dashboards {
            if !dashboards.contains(d) {
                missing.push(format!(
                    "question `{}`: no dashboard `{d}` in the content",
                    q.id
                ));
            }
        }
    }
    missing
}
