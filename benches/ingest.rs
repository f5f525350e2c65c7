//! `cargo bench --bench ingest`: the bundled pipelines over 100,000 raw events of the workshop's
//! six log types, through the ingest engine alone (no HTTP), one thread. Prints events per
//! second per log type.
//!
//! This is a measurement, not a test: it asserts nothing about time. It does assert that every
//! event is indexed or dropped, so that a pipeline failing fast is not mistaken for speed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use ingest::{Engine, IndexPipelines, IndexRequest, IngestOutcome};
use serde_json::{json, Value};

const EVENTS: usize = 100_000;

/// Index pattern prefix → default pipeline, from the rendered index templates.
struct Templates(Vec<(String, String)>);

impl IndexPipelines for Templates {
    fn default_pipeline(&self, index: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(prefix, _)| index.starts_with(prefix.as_str()))
            .map(|(_, pipeline)| pipeline.clone())
    }

    fn final_pipeline(&self, _index: &str) -> Option<String> {
        None
    }
}

fn render(repo: &Path, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_siemctl"))
        .args(["render", "--out", out.to_str().unwrap()])
        .current_dir(repo)
        .env("NO_COLOR", "1")
        .status()
        .expect("run siemctl render");
    assert!(status.success(), "siemctl render failed");
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let rendered = tempfile::tempdir().unwrap();
    render(&repo, rendered.path());

    let mut engine = Engine::new();
    for entry in std::fs::read_dir(rendered.path().join("ingest_pipeline")).unwrap() {
        let path = entry.unwrap().path();
        let id = path.file_stem().unwrap().to_str().unwrap().to_string();
        engine
            .put_pipeline(&id, &read_json(&path))
            .unwrap_or_else(|e| panic!("pipeline {id}: {}", e.to_json()));
    }
    let mut templates = Vec::new();
    for entry in std::fs::read_dir(rendered.path().join("index_template")).unwrap() {
        let template = read_json(&entry.unwrap().path());
        let Some(pipeline) = template["template"]["settings"]["index"]["default_pipeline"].as_str()
        else {
            continue;
        };
        for pattern in template["index_patterns"].as_array().unwrap() {
            let prefix = pattern.as_str().unwrap().trim_end_matches('*').to_string();
            templates.push((prefix, pipeline.to_string()));
        }
    }
    let templates = Templates(templates);

    let samples = repo.join("index-templates");
    let kinds: Vec<(&str, &str, Vec<String>)> = vec![
        (
            "CloudTrail (JSON)",
            "log-aws-cloudtrail-2026-11",
            lines(&samples.join("aws-cloudtrail/_test/cloudtrail.ndjson")),
        ),
        (
            "GuardDuty (JSON)",
            "log-aws-guardduty-2026-11",
            lines(&samples.join("aws-guardduty/_test/guardduty.ndjson")),
        ),
        (
            "Security Hub (JSON)",
            "log-aws-securityhub-2026-11",
            lines(&samples.join("aws-securityhub/_test/securityhub.ndjson")),
        ),
        (
            "VPC Flow Logs (dissect)",
            "log-aws-vpcflowlogs-2026-11",
            lines(&samples.join("aws-vpcflowlogs/_test/v2-default.log")),
        ),
        (
            "Linux secure (grok)",
            "log-linux-secure-2026-11",
            lines(&samples.join("linux-secure/_test/secure.log")),
        ),
        (
            "web access (grok)",
            "log-web-apache-2026-11",
            lines(&samples.join("web/_test/apache.log")),
        ),
    ];
    let per_kind = EVENTS / kinds.len();
    for (label, index, events) in &kinds {
        let requests: Vec<IndexRequest> = (0..per_kind)
            .map(|i| IndexRequest::new(index, json!({"message": events[i % events.len()]})))
            .collect();
        let started = Instant::now();
        let mut failed = 0usize;
        for request in requests {
            match engine.run(request, &templates) {
                // A document the pipeline's on_failure tagged is a failure too.
                IngestOutcome::Indexed(done)
                    if done.source.to_string().contains("\"pipeline_error\"") =>
                {
                    failed += 1
                }
                IngestOutcome::Indexed(_) | IngestOutcome::Dropped => {}
                IngestOutcome::Failed(_) => failed += 1,
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        assert_eq!(failed, 0, "{label}: {failed} events failed");
        println!(
            "{label:<28} {per_kind:>7} events in {elapsed:>6.2} s   {:>9.0} events/s",
            per_kind as f64 / elapsed
        );
    }
}
