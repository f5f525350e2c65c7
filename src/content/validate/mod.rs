//! Offline checks of a rendered content set. Every check returns all the problems it finds.

mod fields;
mod ism;
mod names;
pub(crate) mod pipelines;
mod saved_objects;
mod size;
mod templates;
mod values;

use super::problem::Problem;
use super::Content;

/// Every problem in the content, sorted by file and line.
pub(crate) fn validate(content: &Content) -> Vec<Problem> {
    // Building the pipelines with the ingest engine shares nothing with the other checks: it
    // runs on a thread of its own, beside them; the problems are put together in the order the
    // checks ran in one after another.
    let mut problems = Vec::new();
    let mut rest = Vec::new();
    std::thread::scope(|scope| {
        let built = scope.spawn(|| pipelines::check(content));
        problems.extend(templates::check(content));
        rest.extend(ism::check(content));
        rest.extend(names::check(content));
        rest.extend(size::check(content));
        rest.extend(saved_objects::check(content));
        rest.extend(fields::check(content));
        problems.extend(
            built
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
    });
    problems.extend(rest);
    sort(&mut problems);
    problems
}

/// What validation reports without failing: one field for one meaning (see `fields`), and the
/// values that could not be checked (see `values`).
pub(crate) fn warnings(content: &Content) -> Vec<Problem> {
    let mut warnings = fields::warnings(content);
    // Values compared with a date field whose format siemctl cannot read were not checked:
    // said as warnings, from the run of the field checks `validate` made (or a run of them
    // when it did not run on this content), only where such a format exists.
    if values::any_unreadable_date_format(content) {
        warnings.extend(fields::unchecked_values(content));
    }
    sort(&mut warnings);
    warnings
}

/// Sorts problems by file, then line, and drops exact repeats.
pub(crate) fn sort(problems: &mut Vec<Problem>) {
    problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    problems.dedup();
}
