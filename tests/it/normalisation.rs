//! What the servers normalise when they store an object must not show as a change: plan and
//! apply over real HTTP against the emulator, which stores as the real servers do.

use crate::common::cluster::ClusterContext;

const POLICY: &str = "index-templates/_common/retention.ism-policy.json.hbs";

/// index-management stores sizes and ages as `ByteSizeValue`/`TimeValue` print them (`50GB` is
/// `50gb`, `30D` is `30d`), backoffs lower-cased and counts as numbers. Content written in
/// other spellings converges: no update after apply, and no drift on the plan after.
#[test]
fn ism_units_in_any_spelling_converge() {
    let c = ClusterContext::new("minimal");
    c.content.edit(
        POLICY,
        "\"min_index_age\": \"{{retention_days}}d\"",
        "\"min_index_age\": \"{{retention_days}}D\"",
    );
    c.content.edit(
        POLICY,
        "{ \"name\": \"hot\", \"actions\": [],",
        "{ \"name\": \"hot\", \"actions\": [ { \"timeout\": \"2H\", \"retry\": { \"count\": \"5\", \"backoff\": \"Constant\", \"delay\": \"10S\" }, \"rollover\": { \"min_size\": \"50GB\", \"min_doc_count\": \"1000\", \"min_index_age\": \"1D\" } } ],",
    );
    let run = c.siemctl(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // The emulator stored the plugin's spelling, as a real cluster does.
    let (_, stored) = c.opensearch("GET", "/_plugins/_ism/policies/retention", None);
    let action = &stored["policy"]["states"][0]["actions"][0];
    assert_eq!(action["rollover"]["min_size"], "50gb", "{stored}");
    assert_eq!(action["retry"]["backoff"], "constant", "{stored}");
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 0, "no update, no drift: {}", run.snapshot());
    let before = c.writes();
    let run = c.siemctl(&["apply", "--yes"]);
    assert_eq!(run.stdout, "No changes.\n", "{}", run.snapshot());
    assert_eq!(c.writes(), before);
    // A real change of a value is still one.
    c.content.edit(POLICY, "\"50GB\"", "\"60GB\"");
    let run = c.siemctl(&["plan", "--detailed-exitcode"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
}
