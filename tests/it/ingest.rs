//! The bundled pipelines run: siemctl applies the bundled content to the cluster emulator, whose
//! ingest engine then indexes raw events of every log type through `_bulk`, exactly as a shipper
//! would send them (`{"message": "<raw event>"}` into `log-<type>-<month>`).
//!
//! Every event must come out indexed (or dropped, for the header lines of flow logs), with no
//! pipeline error (`tags: pipeline_error`, which every pipeline's on_failure sets) and no field
//! the mapping refused. The events are the real samples of `../shared/reference/raw-logs/` where
//! it has that log type, and the hand-written samples of `index-templates/<log-type>/_test/`.

use std::fs;
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::common::cluster::ClusterContext;
use crate::common::repo_root;

/// One file of raw events and the index a shipper sends them to.
struct Samples {
    file: PathBuf,
    index: String,
    /// How the file holds its events.
    form: Form,
    /// Fields the shipper adds beside `message` (the test config's `fields`).
    fields: serde_json::Map<String, Value>,
    /// Lines meant to fail their pipeline (`"fails": true` in the golden file).
    failing: Vec<usize>,
    /// Lines a `drop` processor drops (`"dropped": true` in the golden file).
    dropped: Vec<usize>,
}

#[derive(Clone, Copy)]
enum Form {
    /// One event per line.
    Lines,
    /// One JSON document in the whole file (pretty-printed), compacted into one event.
    OneJson,
}

fn reference(name: &str) -> PathBuf {
    repo_root().join("../shared/reference/raw-logs").join(name)
}

/// The test files of every log type (`index-templates/<log-type>/_test/`), with the index and
/// shipper fields of their `-config.yaml`.
fn test_files() -> Vec<Samples> {
    let mut out = Vec::new();
    let base = repo_root().join("index-templates");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path().join("_test"))
        .filter(|d| d.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let log_type = dir
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "log" || x == "ndjson"))
            .collect();
        files.sort();
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            let config: Value = fs::read_to_string(dir.join(format!("{name}-config.yaml")))
                .ok()
                .map(|t| serde_saphyr::from_str(&t).expect("the test config is YAML"))
                .unwrap_or(Value::Null);
            if config["vars"].as_object().is_some_and(|v| !v.is_empty()) {
                // Its events need the content rendered with other variables than the applied
                // content has; `siemctl test` runs them.
                continue;
            }
            let mut fields = serde_json::Map::new();
            for (path, value) in config["fields"].as_object().cloned().unwrap_or_default() {
                insert_path(&mut fields, &path, value);
            }
            let golden: Value = fs::read_to_string(dir.join(format!("{name}-expected.json")))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(Value::Null);
            let lines = |flag: &str| -> Vec<usize> {
                golden["events"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|e| e[flag] == true)
                    .filter_map(|e| e["line"].as_u64().map(|l| l as usize))
                    .collect()
            };
            out.push(Samples {
                file,
                // As `siemctl test` defaults it: the log type's index pattern with * as "test".
                index: config["index"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("log-{log_type}-test")),
                form: Form::Lines,
                fields,
                failing: lines("fails"),
                dropped: lines("dropped"),
            });
        }
    }
    out
}

/// A document id as one URL path segment (pipeline-made ids hold `/`, `+` and `=`).
fn encode(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn insert_path(map: &mut serde_json::Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let entry = map.entry(head.to_string()).or_insert_with(|| json!({}));
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, value);
            }
        }
    }
}

fn samples() -> Vec<Samples> {
    let reference = |file, index: &str, form| Samples {
        file,
        index: index.to_string(),
        form,
        fields: serde_json::Map::new(),
        failing: Vec::new(),
        dropped: Vec::new(),
    };
    let mut all = vec![
        reference(
            self::reference("aws_cloudtrail.json"),
            "log-aws-cloudtrail-2026-11",
            Form::OneJson,
        ),
        reference(
            self::reference("amazon_vpc_flow_v2.log"),
            "log-aws-vpcflowlogs-2026-11",
            Form::Lines,
        ),
        reference(
            self::reference("apache.log"),
            "log-web-apache-2026-11",
            Form::Lines,
        ),
        reference(
            self::reference("nginx.log"),
            "log-web-nginx-2026-11",
            Form::Lines,
        ),
    ];
    all.extend(test_files());
    all
}

/// The raw events of a sample file, with their line numbers.
fn events(samples: &Samples) -> Vec<(usize, String)> {
    let text = fs::read_to_string(&samples.file)
        .unwrap_or_else(|e| panic!("read {}: {e}", samples.file.display()));
    match samples.form {
        Form::OneJson => {
            let record: Value = serde_json::from_str(&text).expect("the sample is JSON");
            vec![(1, record.to_string())]
        }
        Form::Lines => text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .filter(|(i, _)| !samples.failing.contains(&(i + 1)))
            .map(|(i, line)| (i + 1, line.to_string()))
            .collect(),
    }
}

#[test]
fn every_bundled_pipeline_indexes_the_real_samples_without_an_error() {
    let shared = reference("apache.log").exists();
    if !shared {
        // CI has ../shared beside the clone; elsewhere only the repository's own samples run.
        eprintln!(
            "../shared/reference/raw-logs is not beside the repository: its samples are not run"
        );
    }
    let c = ClusterContext::bundled();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(
        run.code,
        0,
        "apply of the bundled content: {}",
        run.snapshot()
    );

    let mut problems = Vec::new();
    // The pipelines set deterministic ids, so an event found in two sample files (a line copied
    // from the reference logs into a test file, a re-delivered finding) is one document.
    let mut stored = std::collections::BTreeSet::new();
    let mut created = Vec::new();
    for samples in samples() {
        if !shared && samples.file.starts_with(reference("")) {
            continue;
        }
        let events = events(&samples);
        if events.is_empty() {
            // Every line of it is meant to fail its pipeline (`siemctl test` checks that).
            continue;
        }
        let mut body = String::new();
        for (_, event) in &events {
            body.push_str(&json!({"index": {"_index": samples.index}}).to_string());
            body.push('\n');
            let mut source = samples.fields.clone();
            source.insert("message".into(), json!(event));
            body.push_str(&Value::Object(source).to_string());
            body.push('\n');
        }
        let response = c.bulk(&body);
        let items = response["items"].as_array().expect("bulk items");
        assert_eq!(items.len(), events.len(), "one item per event");
        let mut indexed_here = 0usize;
        for ((line, event), item) in events.iter().zip(items) {
            let result = &item["index"];
            let where_ = format!("{}:{line}", samples.file.display());
            let dropped = samples.dropped.contains(line) || event.starts_with("version ");
            match result["status"].as_u64() {
                Some(200) if result["result"] == "noop" && dropped => {}
                Some(200 | 201) if !dropped => {
                    indexed_here += 1;
                    let index = result["_index"].as_str().expect("an _index").to_string();
                    let id = result["_id"].as_str().expect("an _id").to_string();
                    stored.insert((index.clone(), id.clone()));
                    created.push((index, id, where_));
                }
                _ => problems.push(format!(
                    "{where_}: not indexed as expected: {result}\n  event: {event}"
                )),
            }
        }
        assert!(
            indexed_here > 0,
            "{}: nothing was indexed",
            samples.file.display()
        );
    }
    let indexed = stored.len();
    // Every document the pipelines' on_failure marked, with the error it recorded.
    let (_, count) = c.opensearch(
        "POST",
        "/log-*/_count",
        Some(json!({"query": {"term": {"tags": "pipeline_error"}}})),
    );
    let failures = count["count"].as_u64().expect("a count");
    if failures > 0 {
        for (index, id, where_) in &created {
            let (_, doc) = c.opensearch("GET", &format!("/{index}/_doc/{}", encode(id)), None);
            let tags = doc["_source"]["tags"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if tags.iter().any(|t| t == "pipeline_error") {
                problems.push(format!(
                    "{where_}: pipeline error: {}",
                    doc["_source"]["error"]
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) among the samples ({indexed} indexed):\n{}",
        problems.len(),
        problems.join("\n")
    );
    let (_, count) = c.opensearch("GET", "/log-*/_count", None);
    assert_eq!(
        count["count"].as_u64(),
        Some(indexed as u64),
        "every indexed event is stored"
    );

    // The pipelines really ran: every stored document has its log type and an ECS event kind,
    // none keeps the raw `message` field, and the attacker's IP of the samples can be followed
    // from one log type to the next on `related.ip` (the pivot an investigator makes on `log-*`).
    for (query, what) in [
        (json!({"exists": {"field": "@log_type"}}), "@log_type"),
        (json!({"exists": {"field": "event.kind"}}), "event.kind"),
        (
            json!({"bool": {"must_not": {"exists": {"field": "message"}}}}),
            "no raw message field",
        ),
    ] {
        let (status, found) = c.opensearch("POST", "/log-*/_count", Some(json!({"query": query})));
        assert_eq!(status, 200, "{found}");
        if found["count"].as_u64() != Some(indexed as u64) {
            for (index, id, where_) in &created {
                let (_, doc) = c.opensearch("GET", &format!("/{index}/_doc/{}", encode(id)), None);
                if doc["_source"]["@log_type"].is_null() {
                    eprintln!(
                        "{where_}: stored without @log_type: {}",
                        doc["_source"]
                            .to_string()
                            .chars()
                            .take(300)
                            .collect::<String>()
                    );
                }
            }
        }
        assert_eq!(
            found["count"].as_u64(),
            Some(indexed as u64),
            "every document has {what}"
        );
    }
    for index in [
        "log-aws-cloudtrail-*",
        "log-aws-guardduty-*",
        "log-aws-securityhub-*",
        "log-aws-vpcflowlogs-*",
        "log-linux-secure-*",
        "log-web-apache-*",
        "log-web-nginx-*",
    ] {
        let (status, found) = c.opensearch(
            "POST",
            &format!("/{index}/_count"),
            Some(json!({"query": {"term": {"related.ip": "203.0.113.50"}}})),
        );
        assert_eq!(status, 200, "{found}");
        assert!(
            found["count"].as_u64().unwrap_or(0) > 0,
            "{index}: no document with related.ip 203.0.113.50: {found}"
        );
    }
}
