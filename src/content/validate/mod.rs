//! Offline checks of a rendered content set. Every check returns all the problems it finds.

mod fields;
mod ism;
pub(crate) mod pipelines;
mod saved_objects;
mod templates;
mod values;

use super::problem::Problem;
use super::Content;

/// Every problem in the content, sorted by file and line.
pub(crate) fn validate(content: &Content) -> Vec<Problem> {
    let mut problems = Vec::new();
    problems.extend(templates::check(content));
    problems.extend(pipelines::check(content));
    problems.extend(ism::check(content));
    problems.extend(saved_objects::check(content));
    problems.extend(fields::check(content));
    sort(&mut problems);
    problems
}

/// What validation reports without failing: one field for one meaning (see `fields`).
pub(crate) fn warnings(content: &Content) -> Vec<Problem> {
    let mut warnings = fields::warnings(content);
    sort(&mut warnings);
    warnings
}

/// Sorts problems by file, then line, and drops exact repeats.
pub(crate) fn sort(problems: &mut Vec<Problem>) {
    problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    problems.dedup();
}
