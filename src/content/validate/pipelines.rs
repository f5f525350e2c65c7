//! Ingest pipelines, checked twice: first by the option rules (`content::pipeline_rules`, every
//! problem with a hint), then, when those find nothing, by building the pipeline with the offline
//! ingest engine (`crates/ingest`), which compiles what the rules cannot see: Painless scripts and
//! conditions, grok patterns, date formats, Mustache templates. The engine reports what an
//! OpenSearch 2.19 node would answer to `PUT /_ingest/pipeline/{id}`, so a pipeline that passes
//! here is not refused halfway through an apply.

use serde_json::{json, Value};

use super::super::kind::Kind;
use super::super::pipeline_rules;
use super::super::problem::Problem;
use super::super::resource::Resource;
use super::super::Content;

pub(super) fn check(content: &Content) -> Vec<Problem> {
    let mut problems = Vec::new();
    for pipeline in content.of_kind(Kind::IngestPipeline) {
        let found = pipeline_rules::check_pipeline(&pipeline.id, &pipeline.body);
        if found.is_empty() {
            problems.extend(build(pipeline));
        }
        for found in found {
            let mut problem = Problem::new(&pipeline.file, found.message)
                .at_line(pipeline.line_of(&found.pointer));
            problem.hint = found.hint;
            problems.push(problem);
        }
    }
    problems
}

/// Builds the pipeline as a node would; its refusal, at the processor that causes it.
fn build(pipeline: &Resource) -> Option<Problem> {
    let mut engine = ingest::Engine::new();
    let error = engine.put_pipeline(&pipeline.id, &pipeline.body).err()?;
    // The processor that fails on its own gives the line.
    let pointer = ["processors", "on_failure"].iter().find_map(|list| {
        let processors = pipeline.body.get(*list)?.as_array()?;
        processors.iter().enumerate().find_map(|(i, processor)| {
            let alone = json!({ "processors": [processor] });
            engine
                .put_pipeline("siemctl-validate-probe", &alone)
                .err()
                .map(|_| format!("/{list}/{i}"))
        })
    });
    let line = pointer
        .as_deref()
        .and_then(|p| pipeline.line_of(p))
        .or(Some(1));
    Some(
        Problem::new(
            &pipeline.file,
            format!(
                "OpenSearch would refuse this pipeline: {}",
                describe(&error.to_json())
            ),
        )
        .at_line(line)
        .with_hint(
            "this is what `PUT /_ingest/pipeline` answers on an OpenSearch 2.19 node (checked \
             offline by siemctl's ingest engine); fix the processor on that line",
        ),
    )
}

/// `type: reason`, then each cause, and a script's position when there is one.
pub(crate) fn describe(error: &Value) -> String {
    let mut parts = Vec::new();
    let mut current = Some(error);
    while let Some(e) = current {
        let kind = e.get("type").and_then(Value::as_str).unwrap_or("error");
        let reason = e.get("reason").and_then(Value::as_str).unwrap_or("");
        let mut part = format!("{kind}: {reason}");
        // The first line of the script stack is the excerpt around the error (the second
        // points at it with `^---- HERE`, which only lines up in a terminal of its own).
        let excerpt = e
            .get("script_stack")
            .and_then(Value::as_array)
            .and_then(|stack| stack.first())
            .and_then(Value::as_str);
        if let Some(excerpt) = excerpt {
            part.push_str(&format!(" near `{}`", excerpt.trim()));
        }
        parts.push(part);
        current = e.get("caused_by");
    }
    parts.join(", caused by ")
}
