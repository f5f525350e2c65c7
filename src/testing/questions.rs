//! The workshop's questions, checked offline: each question's answer must be found by the saved
//! searches it names, over the workshop sample among the test events (the generator's fixed-seed
//! output, `index-templates/<log-type>/_test/workshop*`). A question passes when every value its
//! answer must contain (`expect`) is in a raw event that one of its searches matches.

use std::collections::{BTreeMap, BTreeSet};

use super::queries::{Outcome, QueryResult};
use super::FileResult;
use crate::workshop::questions::{fill, QuestionsFile};

/// The name every sample file of the workshop starts with.
const SAMPLE_PREFIX: &str = "workshop";

/// Whether a test file is part of the workshop sample.
pub(crate) fn is_sample(path: &std::path::Path) -> bool {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .starts_with(SAMPLE_PREFIX)
}

/// What a question came to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Verdict {
    /// Every expected value is in an event the searches find.
    Answered,
    /// These expected values are in no event the searches find.
    Missing(Vec<String>),
    /// A search it names cannot be evaluated offline, or it names none.
    NotEvaluated(String),
}

/// One question, checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QuestionResult {
    pub(crate) id: String,
    pub(crate) searches: Vec<String>,
    /// How many sample events its searches find.
    pub(crate) found: usize,
    pub(crate) verdict: Verdict,
}

/// Checks every question against the sample events of `results` and what `queries` found.
/// `vars` fill the questions' templates (the sample's scenario and time).
pub(crate) fn check(
    file: &QuestionsFile,
    vars: &BTreeMap<&'static str, String>,
    results: &[FileResult],
    queries: &[QueryResult],
) -> Vec<QuestionResult> {
    // `file:line` → the raw event, for the sample files.
    let mut raw: BTreeMap<String, &str> = BTreeMap::new();
    for result in results {
        if !is_sample(&result.file.path) {
            continue;
        }
        let path = result.file.path.display().to_string().replace('\\', "/");
        for event in &result.file.events {
            raw.insert(format!("{path}:{}", event.line), event.raw.as_str());
        }
    }
    let by_key: BTreeMap<String, &QueryResult> = queries.iter().map(|q| (q.key(), q)).collect();
    let mut out = Vec::new();
    for q in &file.questions {
        let mut matched: BTreeSet<&str> = BTreeSet::new();
        let mut not_evaluated = None;
        for id in &q.searches {
            match by_key.get(&format!("search/{id}")).map(|r| &r.outcome) {
                Some(Outcome::Matches { events, .. }) => {
                    matched.extend(events.iter().filter_map(|at| raw.get(at).copied()));
                }
                Some(Outcome::NotEvaluated(why)) => {
                    not_evaluated.get_or_insert(format!("search `{id}`: {why}"));
                }
                None => {
                    not_evaluated.get_or_insert(format!(
                        "search `{id}` was not evaluated (not in the content, or not in the selected log types)"
                    ));
                }
            }
        }
        if q.searches.is_empty() {
            not_evaluated =
                Some("it names dashboards only, which siemctl does not evaluate".into());
        }
        let verdict = if let Some(why) = not_evaluated {
            Verdict::NotEvaluated(why)
        } else {
            let missing: Vec<String> = q
                .expect
                .iter()
                .map(|e| fill(e, vars).unwrap_or_else(|_| e.clone()))
                .filter(|value| !matched.iter().any(|event| event.contains(value.as_str())))
                .collect();
            if missing.is_empty() {
                Verdict::Answered
            } else {
                Verdict::Missing(missing)
            }
        };
        out.push(QuestionResult {
            id: q.id.clone(),
            searches: q.searches.clone(),
            found: matched.len(),
            verdict,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::kind::Kind;
    use crate::testing::case::{Config, Event, TestFile};
    use crate::testing::check::Checked;
    use crate::testing::expected::Expected;
    use crate::testing::suite::FileRun;
    use crate::workshop::questions::parse;
    use std::path::{Path, PathBuf};

    fn sample(name: &str, lines: &[&str]) -> FileResult {
        FileResult {
            file: TestFile {
                path: PathBuf::from(format!("index-templates/web/_test/{name}")),
                log_type: "web".into(),
                events: lines
                    .iter()
                    .enumerate()
                    .map(|(i, raw)| Event {
                        line: i + 1,
                        raw: raw.to_string(),
                    })
                    .collect(),
                config: Config::default(),
                config_path: None,
                now: "2026-11-27T00:00:00Z".parse().unwrap(),
            },
            run: FileRun {
                index: "log-web-x".into(),
                events: Vec::new(),
                mappings: BTreeMap::new(),
                trace: ingest::Trace::new(),
            },
            checked: Checked {
                failures: Vec::new(),
                file_failures: Vec::new(),
                golden: Expected::default(),
                missing_golden: false,
            },
            written: None,
        }
    }

    fn search(id: &str, outcome: Outcome) -> QueryResult {
        QueryResult {
            kind: Kind::Search,
            id: id.into(),
            log_type: "web".into(),
            file: PathBuf::from("saved-searches/web/x.yaml"),
            patterns: vec!["log-web-*".into()],
            part: None,
            outcome,
        }
    }

    const FILE: &str = r#"
title: t
introduction: i
questions:
  - id: who
    question: Who?
    points: 100
    hints: [{text: h, cost: 10}]
    answer: "{{attacker_ip}}"
    expect: ["{{attacker_ip}}", "GET /.env"]
    searches: [web-a, web-b]
"#;

    #[test]
    fn an_answer_must_be_in_the_sample_events_its_searches_find() {
        let file = parse(Path::new("workshop/questions.yaml"), FILE).unwrap();
        let vars = crate::workshop::questions::variables("2026-11-27T00:00:00Z".parse().unwrap());
        let ip = vars["attacker_ip"].clone();
        let results = vec![
            sample(
                "workshop-apache.log",
                &[
                    &format!("{ip} - - \"GET /.env HTTP/1.1\""),
                    "192.0.2.1 - - \"GET / HTTP/1.1\"",
                ],
            ),
            // The same line outside the sample does not count.
            sample("apache.log", &[&format!("{ip} - - \"GET /.env HTTP/1.1\"")]),
        ];
        let found = |events: &[&str]| Outcome::Matches {
            events: events.iter().map(|e| e.to_string()).collect(),
            over: 3,
        };
        let answered = check(
            &file,
            &vars,
            &results,
            &[
                search(
                    "web-a",
                    found(&["index-templates/web/_test/workshop-apache.log:1"]),
                ),
                search("web-b", found(&[])),
            ],
        );
        assert_eq!(answered[0].verdict, Verdict::Answered);
        let missed = check(
            &file,
            &vars,
            &results,
            &[
                search(
                    "web-a",
                    found(&[
                        "index-templates/web/_test/workshop-apache.log:2",
                        "index-templates/web/_test/apache.log:1",
                    ]),
                ),
                search("web-b", found(&[])),
            ],
        );
        assert_eq!(
            missed[0].verdict,
            Verdict::Missing(vec![ip.clone(), "GET /.env".into()])
        );
        let unevaluated = check(
            &file,
            &vars,
            &results,
            &[search("web-a", Outcome::NotEvaluated("fuzzy".into()))],
        );
        assert!(
            matches!(&unevaluated[0].verdict, Verdict::NotEvaluated(why) if why.contains("fuzzy"))
        );
    }
}
