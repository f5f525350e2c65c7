//! Values that start with a character YAML reserves (`@`, a backtick) or reads as an alias (`*`)
//! are explained at their line and column, with the quotes to add.

use crate::common::TestContext;

fn validate_with(from: &str, to: &str) -> String {
    let ctx = TestContext::fixture("minimal");
    ctx.edit("saved-searches/demo/failures.yaml", from, to);
    let run = ctx.siemctl(&["validate"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    run.snapshot()
}

#[test]
fn an_at_sign_in_a_flow_list_needs_quotes() {
    insta::assert_snapshot!(validate_with(
        "columns: [user.name,",
        "columns: [@timestamp, user.name,"
    ));
}

#[test]
fn a_star_at_the_start_of_a_query_is_an_alias() {
    insta::assert_snapshot!(validate_with(
        "query: event.outcome:failure and not user.name:root",
        "query: *admin*"
    ));
}

#[test]
fn a_backtick_at_the_start_of_a_value_needs_quotes() {
    insta::assert_snapshot!(validate_with(
        "description: Failed actions, newest first.",
        "description: `failed` actions"
    ));
}
