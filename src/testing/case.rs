//! The test files of the content: `index-templates/<log-type>/_test/<name>.log|.ndjson`, their
//! optional `<name>.log-config.yaml` and their golden `<name>.log-expected.json`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::content::load::TEST_FOLDER;
use crate::content::problem::Problem;
use crate::content::saved_search::line;

/// The suffix of a test file's configuration.
pub(crate) const CONFIG_SUFFIX: &str = "-config.yaml";
/// The suffix of a test file's golden documents.
pub(crate) const EXPECTED_SUFFIX: &str = "-expected.json";
/// The "now" of a test file that names none: the day after the bundled test events' story.
pub(crate) const DEFAULT_NOW: &str = "2026-11-27T00:00:00Z";
/// Fields replaced by [`crate::testing::expected::PLACEHOLDER`] unless a config says otherwise.
pub(crate) const DEFAULT_DYNAMIC_FIELDS: [&str; 1] = ["event.ingested"];

/// How a file holds its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `*.log`: one raw line per event.
    Lines,
    /// `*.ndjson`: one JSON record per line, shipped as its text.
    Ndjson,
}

/// One raw event and its 1-based line.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) line: usize,
    pub(crate) raw: String,
}

/// A test file's configuration (`<file>-config.yaml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    /// The index the events are sent to.
    pub(crate) index: Option<String>,
    /// The clock of the run (RFC 3339).
    pub(crate) now: Option<String>,
    /// Content variables for this file.
    #[serde(default)]
    pub(crate) vars: BTreeMap<String, Value>,
    /// Fields the shipper adds beside `message`, by dotted path.
    #[serde(default)]
    pub(crate) fields: BTreeMap<String, Value>,
    /// Fields the mapping may drop as malformed (`_ignored`).
    #[serde(default)]
    pub(crate) ignored_fields: Vec<String>,
    /// Fields replaced by a placeholder in the golden documents.
    pub(crate) dynamic_fields: Option<Vec<String>>,
}

/// A test file, read.
#[derive(Debug, Clone)]
pub(crate) struct TestFile {
    /// Relative to the content root, `/`-separated.
    pub(crate) path: PathBuf,
    pub(crate) log_type: String,
    pub(crate) events: Vec<Event>,
    pub(crate) config: Config,
    /// The config file, when there is one.
    pub(crate) config_path: Option<PathBuf>,
    /// The parsed `now`.
    pub(crate) now: jiff::Timestamp,
}

impl TestFile {
    /// The golden file beside it.
    pub(crate) fn expected_path(&self) -> PathBuf {
        sibling(&self.path, EXPECTED_SUFFIX)
    }

    pub(crate) fn dynamic_fields(&self) -> Vec<String> {
        match &self.config.dynamic_fields {
            Some(fields) => fields.clone(),
            None => DEFAULT_DYNAMIC_FIELDS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// The source document of an event: the shipper's fields and the raw event in `message`.
    pub(crate) fn source(&self, event: &Event) -> Value {
        let mut source = Map::new();
        for (path, value) in &self.config.fields {
            insert_path(&mut source, path, value.clone());
        }
        source.insert("message".into(), Value::String(event.raw.clone()));
        Value::Object(source)
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!("{name}{suffix}"))
}

fn insert_path(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, value);
            }
        }
    }
}

/// Every test file under `root` (of the log types in `only`, when not empty), sorted, with the
/// problems found reading them (each with file and line).
pub(crate) fn discover(
    root: &Path,
    only: &[String],
) -> std::io::Result<(Vec<TestFile>, Vec<Problem>)> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let base = root.join("index-templates");
    if !base.is_dir() {
        return Ok((files, problems));
    }
    for log_type_dir in sorted_dirs(&base)? {
        let log_type = log_type_dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if !only.is_empty() && !only.contains(&log_type) {
            continue;
        }
        let dir = log_type_dir.join(TEST_FOLDER);
        if !dir.is_dir() {
            continue;
        }
        let mut names: Vec<String> = fs::read_dir(&dir)?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        for name in &names {
            let rel = Path::new("index-templates")
                .join(&log_type)
                .join(TEST_FOLDER)
                .join(name);
            let format = if name.ends_with(".log") {
                Format::Lines
            } else if name.ends_with(".ndjson") {
                Format::Ndjson
            } else {
                if let Some(problem) = stray(name, &names, &rel) {
                    problems.push(problem);
                }
                continue;
            };
            if let Err(message) = crate::content::load::check_readable(root, &root.join(&rel)) {
                problems.push(Problem::new(&rel, message).with_hint(
                    "test files are regular files inside the content directory: copy the events in",
                ));
                continue;
            }
            match read(root, &rel, &log_type, format) {
                Ok(file) => files.push(file),
                Err(mut found) => problems.append(&mut found),
            }
        }
    }
    Ok((files, problems))
}

/// A file in `_test/` that is neither events nor a companion of events.
fn stray(name: &str, names: &[String], rel: &Path) -> Option<Problem> {
    if name.starts_with('.') || name.eq_ignore_ascii_case("README.md") {
        return None;
    }
    for suffix in [CONFIG_SUFFIX, EXPECTED_SUFFIX] {
        if let Some(events) = name.strip_suffix(suffix) {
            if names.iter().any(|n| n == events) {
                return None;
            }
            return Some(
                Problem::new(rel, format!("`{events}` does not exist beside this file"))
                    .with_hint("rename it after the events file it belongs to, or remove it"),
            );
        }
    }
    Some(
        Problem::new(rel, "not a test file")
            .with_hint("test events are `*.log` (one raw line each) or `*.ndjson` (one JSON record per line); their companions end in -config.yaml and -expected.json"),
    )
}

fn read(root: &Path, rel: &Path, log_type: &str, format: Format) -> Result<TestFile, Vec<Problem>> {
    let text = fs::read_to_string(root.join(rel)).map_err(|e| {
        vec![
            Problem::new(rel, format!("cannot read the test events: {e}"))
                .with_hint("test events are UTF-8 text, one event per line"),
        ]
    })?;
    let mut problems = Vec::new();
    if text.starts_with('\u{feff}') {
        return Err(vec![Problem::new(rel, "the file starts with a byte-order mark (BOM), which would become part of its first event")
            .at_line(Some(1))
            .with_hint("save the file as UTF-8 without a BOM")]);
    }
    let mut events = Vec::new();
    // `lines` also ends a line at "\r\n": events saved on Windows read the same.
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        if format == Format::Ndjson {
            if let Err(e) = serde_json::from_str::<Value>(raw) {
                problems.push(
                    Problem::new(rel, format!("this line is not one JSON record: {e}"))
                        .at_line(Some(i + 1))
                        .with_hint("an .ndjson test file holds one compact JSON record per line; use a .log file for raw text lines"),
                );
                continue;
            }
        }
        events.push(Event {
            line: i + 1,
            raw: raw.to_string(),
        });
    }
    if events.is_empty() && problems.is_empty() {
        problems.push(
            Problem::new(rel, "this test file has no events")
                .with_hint("add one raw event per line, or remove the file"),
        );
    }
    let config_rel = sibling(rel, CONFIG_SUFFIX);
    let config_exists = fs::symlink_metadata(root.join(&config_rel)).is_ok();
    if config_exists {
        if let Err(message) = crate::content::load::check_readable(root, &root.join(&config_rel)) {
            problems.push(Problem::new(&config_rel, message));
            return Err(problems);
        }
    }
    let (config, config_path) = if config_exists {
        match read_config(root, &config_rel) {
            Ok(config) => (config, Some(config_rel.clone())),
            Err(problem) => {
                problems.push(problem);
                (Config::default(), Some(config_rel.clone()))
            }
        }
    } else {
        (Config::default(), None)
    };
    let now_text = config.now.as_deref().unwrap_or(DEFAULT_NOW);
    let now = match now_text.parse::<jiff::Timestamp>() {
        Ok(now) => now,
        Err(e) => {
            problems.push(
                Problem::new(&config_rel, format!("`now: {now_text}` is not a time: {e}"))
                    .with_hint(
                        "write an RFC 3339 time with its offset, e.g. now: 2026-11-27T00:00:00Z",
                    ),
            );
            DEFAULT_NOW.parse().expect("the default now parses")
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(TestFile {
        path: rel.to_path_buf(),
        log_type: log_type.to_string(),
        events,
        config,
        config_path,
        now,
    })
}

fn read_config(root: &Path, rel: &Path) -> Result<Config, Problem> {
    let text = fs::read_to_string(root.join(rel))
        .map_err(|e| Problem::new(rel, format!("cannot read the test configuration: {e}")))?;
    let config = serde_saphyr::from_str::<Config>(&text).map_err(|e| {
        let at = e.location().and_then(|l| line(&l));
        Problem::new(rel, format!("invalid test configuration: {}", first_line(&e.to_string())))
            .at_line(at)
            .with_hint("the keys are index, now, vars, fields, ignored_fields and dynamic_fields (docs/content-format.md, \"Tests\")")
    })?;
    // `fields` are added beside the raw event: they cannot replace it, nor each other.
    let mut seen: Vec<&str> = Vec::new();
    for path in config.fields.keys() {
        if path == "message" || path.starts_with("message.") {
            return Err(Problem::new(rel, "`fields` cannot set `message`: it holds the raw event of each line")
                .with_hint("put the raw event in the events file; `fields` are what the shipper adds beside it"));
        }
        if let Some(other) = seen
            .iter()
            .find(|o| path.starts_with(&format!("{o}.")) || o.starts_with(&format!("{path}.")))
        {
            return Err(Problem::new(
                rel,
                format!("`fields` sets both `{other}` and `{path}`: one would replace the other"),
            )
            .with_hint("set the leaf fields only"));
        }
        seen.push(path);
    }
    if let Some(index) = &config.index {
        if let Err(reason) = super::index_name::check(index) {
            return Err(Problem::new(rel, format!("`index: {index}`: {reason}"))
                .with_hint("index names are lowercase, without spaces or \\ / * ? \" < > | , # :, and do not start with _, - or +"));
        }
    }
    Ok(config)
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

fn sorted_dirs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn events_config_and_shipper_fields() {
        let root = tempfile::tempdir().unwrap();
        write(
            root.path(),
            "index-templates/web/_test/apache.log",
            "first line\n\nthird line\n",
        );
        write(
            root.path(),
            "index-templates/web/_test/apache.log-config.yaml",
            "index: log-web-apache-2026-11\nfields:\n  cloud.instance.id: i-1\nnow: 2026-01-02T03:04:05Z\n",
        );
        let (files, problems) = discover(root.path(), &[]).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let file = &files[0];
        assert_eq!(file.events.len(), 2);
        assert_eq!(file.events[1].line, 3);
        assert_eq!(file.config.index.as_deref(), Some("log-web-apache-2026-11"));
        assert_eq!(
            file.source(&file.events[0]),
            serde_json::json!({"cloud": {"instance": {"id": "i-1"}}, "message": "first line"})
        );
        assert_eq!(file.now.to_string(), "2026-01-02T03:04:05Z");
        assert_eq!(
            file.expected_path(),
            Path::new("index-templates/web/_test/apache.log-expected.json")
        );
    }

    #[test]
    fn bad_input_is_reported_at_its_file_and_line() {
        let root = tempfile::tempdir().unwrap();
        write(
            root.path(),
            "index-templates/aws-cloudtrail/_test/ct.ndjson",
            "{\"a\":1}\nnot json\n",
        );
        write(root.path(), "index-templates/web/_test/a.log", "line\n");
        write(
            root.path(),
            "index-templates/web/_test/a.log-config.yaml",
            "index: x\nindx: y\n",
        );
        write(
            root.path(),
            "index-templates/web/_test/b.log-expected.json",
            "{}",
        );
        write(root.path(), "index-templates/web/_test/notes.txt", "");
        let (files, problems) = discover(root.path(), &[]).unwrap();
        assert!(files.is_empty());
        let found: Vec<String> = problems
            .iter()
            .map(|p| format!("{}:{:?}: {}", p.file.display(), p.line, p.message))
            .collect();
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].starts_with("index-templates/aws-cloudtrail/_test/ct.ndjson:Some(2): this line is not one JSON record"), "{found:#?}");
        assert!(
            found[1].starts_with(
                "index-templates/web/_test/a.log-config.yaml:Some(2): invalid test configuration"
            ),
            "{found:#?}"
        );
        assert!(
            found[2].contains("b.log-expected.json") && found[2].contains("`b.log` does not exist"),
            "{found:#?}"
        );
        assert!(
            found[3].contains("notes.txt") && found[3].contains("not a test file"),
            "{found:#?}"
        );
    }

    #[test]
    fn only_the_selected_log_types() {
        let root = tempfile::tempdir().unwrap();
        write(root.path(), "index-templates/web/_test/a.log", "x\n");
        write(
            root.path(),
            "index-templates/linux-secure/_test/s.log",
            "x\n",
        );
        let (files, _) = discover(root.path(), &["web".to_string()]).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].log_type, "web");
    }
}
