//! Offline checks of a rendered content set. Every check returns all the problems it finds.

mod fields;
mod ism;
mod saved_objects;
mod templates;

use super::kind::Kind;
use super::problem::Problem;
use super::Content;

/// Every problem in the content, sorted by file and line.
pub(crate) fn validate(content: &Content) -> Vec<Problem> {
    let mut problems = Vec::new();
    problems.extend(templates::check(content));
    for pipeline in content.of_kind(Kind::IngestPipeline) {
        for found in super::pipeline_rules::check_pipeline(&pipeline.id, &pipeline.body) {
            let mut problem = Problem::new(&pipeline.file, found.message)
                .at_line(pipeline.line_of(&found.pointer));
            problem.hint = found.hint;
            problems.push(problem);
        }
    }
    problems.extend(ism::check(content));
    problems.extend(saved_objects::check(content));
    problems.extend(fields::check(content));
    sort(&mut problems);
    problems
}

/// Sorts problems by file, then line, and drops exact repeats.
pub(crate) fn sort(problems: &mut Vec<Problem>) {
    problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    problems.dedup();
}
