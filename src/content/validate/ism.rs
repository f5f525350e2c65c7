//! ISM policies: the checks the index-management plugin makes when a policy is PUT.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::content::kind::Kind;
use crate::content::problem::Problem;
use crate::content::resource::Resource;
use crate::content::Content;

/// Keys Policy.parse accepts at the top of `policy`.
const POLICY_KEYS: [&str; 9] = [
    "policy_id",
    "description",
    "last_updated_time",
    "schema_version",
    "error_notification",
    "default_state",
    "states",
    "ism_template",
    "user",
];
/// Action types of the index-management plugin (ActionParser registry, 2.x).
const ACTIONS: [&str; 19] = [
    "alias",
    "allocation",
    "close",
    "delete",
    "force_merge",
    "index_priority",
    "notification",
    "open",
    "read_only",
    "read_write",
    "replica_count",
    "rollover",
    "rollup",
    "shrink",
    "snapshot",
    "transform",
    "convert_index_to_remote",
    "stop_replication",
    "search_only",
];
/// Keys an action object may carry besides its type.
const ACTION_COMMON: [&str; 3] = ["retry", "timeout", "custom"];

pub(super) fn check(content: &Content) -> Vec<Problem> {
    let mut problems = Vec::new();
    for policy in content.of_kind(Kind::IsmPolicy) {
        check_policy(policy, &mut problems);
    }
    problems
}

fn check_policy(resource: &Resource, problems: &mut Vec<Problem>) {
    let file = &resource.file;
    let problem = |message: String, pointer: &str| {
        Problem::new(file, message).at_line(resource.line_of(pointer))
    };
    let Some(policy) = resource.body.get("policy").and_then(Value::as_object) else {
        problems.push(
            problem("an ISM policy file holds {\"policy\": {...}}".into(), "")
                .with_hint("wrap the policy in a `policy` object, as the API expects"),
        );
        return;
    };
    if let Some(extra) = resource
        .body
        .as_object()
        .and_then(|o| o.keys().find(|k| *k != "policy"))
    {
        problems.push(problem(
            format!("unknown key `{extra}` beside `policy`"),
            &format!("/{extra}"),
        ));
    }
    for key in policy.keys().filter(|k| !POLICY_KEYS.contains(&k.as_str())) {
        problems.push(problem(
            format!("Invalid field: [{key}] found in Policy."),
            &format!("/policy/{key}"),
        ));
    }
    if !policy.get("description").is_some_and(Value::is_string) {
        problems.push(problem(
            "the policy needs a `description`".into(),
            "/policy",
        ));
    }
    let states: Vec<&Value> = policy
        .get("states")
        .and_then(Value::as_array)
        .map(|s| s.iter().collect())
        .unwrap_or_default();
    if states.is_empty() {
        problems.push(problem(
            "the policy needs at least one state in `states`".into(),
            "/policy/states",
        ));
    }
    let mut names = BTreeSet::new();
    for (i, state) in states.iter().enumerate() {
        let name = state
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if name.is_empty() {
            problems.push(problem(
                "every state needs a `name`".into(),
                &format!("/policy/states/{i}"),
            ));
        } else if !names.insert(name) {
            problems.push(problem(
                format!("state `{name}` is defined twice"),
                &format!("/policy/states/{i}/name"),
            ));
        }
    }
    match policy.get("default_state").and_then(Value::as_str) {
        None => problems.push(problem(
            "the policy needs a `default_state`".into(),
            "/policy",
        )),
        Some(default) if !names.contains(default) => problems.push(
            problem(
                format!("`default_state` is `{default}`, which is not one of the states"),
                "/policy/default_state",
            )
            .with_hint(format!(
                "the states are: {}",
                names.iter().copied().collect::<Vec<_>>().join(", ")
            )),
        ),
        Some(_) => {}
    }
    for (i, state) in states.iter().enumerate() {
        let actions = state
            .get("actions")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (j, action) in actions.iter().enumerate() {
            let pointer = format!("/policy/states/{i}/actions/{j}");
            let types: Vec<&String> = action
                .as_object()
                .map(|a| {
                    a.keys()
                        .filter(|k| !ACTION_COMMON.contains(&k.as_str()))
                        .collect()
                })
                .unwrap_or_default();
            match types[..] {
                [one] if ACTIONS.contains(&one.as_str()) => {}
                [one] => problems.push(
                    problem(
                        format!("Invalid field: [{one}] found in Actions."),
                        &pointer,
                    )
                    .with_hint(format!("ISM actions are: {}", ACTIONS.join(", "))),
                ),
                _ => problems.push(problem(
                    "each action is an object with exactly one action type, e.g. {\"delete\": {}}"
                        .into(),
                    &pointer,
                )),
            }
        }
        let transitions = state
            .get("transitions")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (j, transition) in transitions.iter().enumerate() {
            let target = transition
                .get("state_name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !names.contains(target) {
                problems.push(
                    problem(
                        format!("a transition goes to state `{target}`, which does not exist"),
                        &format!("/policy/states/{i}/transitions/{j}"),
                    )
                    .with_hint(format!(
                        "the states are: {}",
                        names.iter().copied().collect::<Vec<_>>().join(", ")
                    )),
                );
            }
        }
    }
    let templates = match policy.get("ism_template") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    for (i, template) in templates.iter().enumerate() {
        let pointer = format!("/policy/ism_template/{i}");
        let has_patterns = template
            .get("index_patterns")
            .and_then(Value::as_array)
            .is_some_and(|p| !p.is_empty());
        if !has_patterns {
            problems.push(problem(
                "`ism_template` needs a non-empty `index_patterns` list".into(),
                &pointer,
            ));
        }
        if template
            .get("priority")
            .and_then(Value::as_i64)
            .is_some_and(|p| p < 0)
        {
            problems.push(problem(
                "`ism_template` priority must be 0 or more".into(),
                &format!("{pointer}/priority"),
            ));
        }
    }
}
