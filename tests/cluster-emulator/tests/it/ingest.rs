//! Pipelines run on indexing, `_bulk`, `_update` and `_simulate`.

use serde_json::{json, Value};

use crate::common::{Ctx, Reply};

fn put_pipeline(c: &Ctx, id: &str, body: Value) {
    let r = c.os_json("PUT", &format!("/_ingest/pipeline/{id}"), Some(body));
    assert_eq!(r.status, 200, "{}", r.text);
}

fn bulk(c: &Ctx, path: &str, body: &str) -> Reply {
    c.send(
        c.os("POST", path)
            .header("content-type", "application/x-ndjson")
            .body(body.to_string()),
    )
}

fn source(c: &Ctx, index: &str, id: &str) -> Value {
    let r = c.os_json("GET", &format!("/{index}/_doc/{id}"), None);
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["_source"].clone()
}

fn setup(c: &Ctx) {
    put_pipeline(
        c,
        "tag",
        json!({"processors": [{"set": {"field": "tagged", "value": "{{a}}"}}]}),
    );
    put_pipeline(
        c,
        "final",
        json!({"processors": [{"set": {"field": "final", "value": true}}]}),
    );
    put_pipeline(c, "drop", json!({"processors": [{"drop": {}}]}));
    put_pipeline(
        c,
        "fail",
        json!({"processors": [{"fail": {"message": "boom {{a}}"}}]}),
    );
    put_pipeline(
        c,
        "reroute",
        json!({"processors": [{"set": {"field": "_index", "value": "rerouted"}}]}),
    );
}

#[test]
fn request_default_and_final_pipelines_run_on_index() {
    let c = Ctx::new();
    setup(&c);
    let r = c.os_json("PUT", "/plain/_doc/1?pipeline=tag", Some(json!({"a": "x"})));
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(source(&c, "plain", "1"), json!({"a": "x", "tagged": "x"}));
    c.os_json(
        "PUT",
        "/piped",
        Some(
            json!({"settings": {"index.default_pipeline": "tag", "index.final_pipeline": "final"}}),
        ),
    );
    c.os_json("PUT", "/piped/_doc/1", Some(json!({"a": "y"})));
    assert_eq!(
        source(&c, "piped", "1"),
        json!({"a": "y", "tagged": "y", "final": true})
    );
    // `_none` skips the default pipeline, never the final one.
    c.os_json(
        "PUT",
        "/piped/_doc/2?pipeline=_none",
        Some(json!({"a": "z"})),
    );
    assert_eq!(source(&c, "piped", "2"), json!({"a": "z", "final": true}));
    // An index created by indexing takes its default pipeline from the matching template.
    let t = c.os_json(
        "PUT",
        "/_index_template/t",
        Some(json!({"index_patterns": ["auto-*"], "template": {"settings": {"index.default_pipeline": "tag"}}})),
    );
    assert_eq!(t.status, 200, "{}", t.text);
    c.os_json("POST", "/auto-1/_doc/1", Some(json!({"a": "t"})));
    assert_eq!(source(&c, "auto-1", "1"), json!({"a": "t", "tagged": "t"}));
    // A pipeline that changes `_index` reroutes the document.
    let r = c.os_json(
        "PUT",
        "/plain/_doc/9?pipeline=reroute",
        Some(json!({"a": 1})),
    );
    assert_eq!(r.json()["_index"], "rerouted", "{}", r.text);
    assert_eq!(source(&c, "rerouted", "9"), json!({"a": 1}));
}

#[test]
fn dropped_and_failed_documents() {
    let c = Ctx::new();
    setup(&c);
    let r = c.os_json("PUT", "/d/_doc/1?pipeline=drop", Some(json!({"a": 1})));
    assert_eq!(
        (r.status, r.json()),
        (
            200,
            json!({"_index": "d", "_id": "1", "_version": -3, "result": "noop",
                   "_shards": {"total": 0, "successful": 0, "failed": 0}})
        )
    );
    assert_eq!(c.os_json("GET", "/d/_doc/1", None).status, 404);
    let r = c.os_json("PUT", "/d/_doc/2?pipeline=fail", Some(json!({"a": 1})));
    assert_eq!(r.status, 500, "{}", r.text);
    let v = r.json();
    assert_eq!(v["error"]["type"], "fail_processor_exception");
    assert_eq!(v["error"]["reason"], "boom 1");
    // The error object keeps its key order: root_cause, type, reason.
    let keys: Vec<&String> = v["error"].as_object().unwrap().keys().collect();
    assert_eq!(keys[..3], ["root_cause", "type", "reason"]);
    let r = c.os_json("PUT", "/d/_doc/3?pipeline=nope", Some(json!({"a": 1})));
    assert_eq!(
        (r.status, r.json()["error"]["reason"].as_str()),
        (400, Some("pipeline with id [nope] does not exist"))
    );
    let body = concat!(
        "{\"index\":{\"_index\":\"d\",\"_id\":\"b1\",\"pipeline\":\"tag\"}}\n{\"a\":\"q\"}\n",
        "{\"index\":{\"_index\":\"d\",\"pipeline\":\"drop\"}}\n{\"a\":2}\n",
        "{\"create\":{\"_index\":\"d\",\"pipeline\":\"fail\"}}\n{\"a\":3}\n",
        "{\"delete\":{\"_index\":\"d\",\"_id\":\"b1\"}}\n"
    );
    let v = bulk(&c, "/_bulk", body).json();
    assert_eq!(v["errors"], true);
    assert!(v["ingest_took"].is_number(), "{v}");
    assert_eq!(v["items"][0]["index"]["result"], "created");
    assert_eq!(
        v["items"][1]["index"],
        json!({"_index": "d", "_id": "auto-generated", "_version": -3, "result": "noop",
               "_shards": {"total": 0, "successful": 0, "failed": 0}, "status": 200})
    );
    assert_eq!(
        v["items"][2]["create"],
        json!({"_index": "d", "_id": null, "status": 500,
               "error": {"type": "fail_processor_exception", "reason": "boom 3"}})
    );
    assert_eq!(v["items"][3]["delete"]["result"], "deleted");
    // The bulk-level pipeline applies to items without their own.
    let v = bulk(
        &c,
        "/d/_bulk?pipeline=tag",
        "{\"index\":{\"_id\":\"b2\"}}\n{\"a\":\"w\"}\n",
    )
    .json();
    assert_eq!(v["errors"], false, "{v}");
    assert_eq!(source(&c, "d", "b2"), json!({"a": "w", "tagged": "w"}));
}

#[test]
fn updates_run_the_index_pipelines() {
    let c = Ctx::new();
    setup(&c);
    c.os_json(
        "PUT",
        "/u",
        Some(json!({"settings": {"index.default_pipeline": "tag"}})),
    );
    c.os_json("PUT", "/u/_doc/1", Some(json!({"a": "1"})));
    // The update API sends the merged document back through the bulk action (2.19), with a
    // deprecation warning.
    let r = c.os_json(
        "POST",
        "/u/_update/1?_source=true",
        Some(json!({"doc": {"a": "2"}})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let warning = r.headers["warning"].to_str().unwrap();
    assert!(
        warning.contains("the index [u] has a default ingest pipeline or a final ingest pipeline"),
        "{warning}"
    );
    assert_eq!(r.json()["get"]["_source"], json!({"a": "2", "tagged": "2"}));
    // A bulk upsert runs the item's pipeline on the upsert document.
    let v = bulk(
        &c,
        "/_bulk",
        "{\"update\":{\"_index\":\"plain\",\"_id\":\"3\",\"pipeline\":\"tag\"}}\n{\"upsert\":{\"a\":\"up\"},\"doc\":{\"x\":1}}\n",
    )
    .json();
    assert_eq!(v["items"][0]["update"]["result"], "created", "{v}");
    assert_eq!(source(&c, "plain", "3"), json!({"a": "up", "tagged": "up"}));
    // With doc_as_upsert the pipeline runs on the partial document, which is then merged into
    // the existing one.
    let v = bulk(
        &c,
        "/_bulk",
        "{\"update\":{\"_index\":\"plain\",\"_id\":\"3\",\"pipeline\":\"tag\"}}\n{\"doc\":{\"a\":\"new\"},\"doc_as_upsert\":true}\n",
    )
    .json();
    assert_eq!(v["items"][0]["update"]["result"], "updated", "{v}");
    assert!(v["ingest_took"].is_number());
    assert_eq!(
        source(&c, "plain", "3"),
        json!({"a": "new", "tagged": "new"})
    );
}

#[test]
fn simulate_runs_the_engine() {
    let c = Ctx::new();
    setup(&c);
    let r = c.os_json(
        "POST",
        "/_ingest/pipeline/tag/_simulate",
        Some(json!({"docs": [{"_source": {"a": "s"}}]})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json()["docs"][0]["doc"]["_source"],
        json!({"a": "s", "tagged": "s"})
    );
    let r = c.os_json(
        "POST",
        "/_ingest/pipeline/_simulate?verbose=true",
        Some(
            json!({"pipeline": {"processors": [{"set": {"field": "b", "value": 1, "tag": "one"}}]},
                    "docs": [{"_source": {}}]}),
        ),
    );
    let v = r.json();
    assert_eq!(v["docs"][0]["processor_results"][0]["tag"], "one", "{v}");
    assert_eq!(
        v["docs"][0]["processor_results"][0]["doc"]["_source"],
        json!({"b": 1})
    );
    let r = c.os_json(
        "POST",
        "/_ingest/pipeline/none/_simulate",
        Some(json!({"docs": [{"_source": {}}]})),
    );
    assert_eq!(r.status, 400, "{}", r.text);
}

#[test]
fn default_pipeline_set_on_an_existing_index() {
    let c = Ctx::new();
    setup(&c);
    c.os_json("PUT", "/later", None);
    let r = c.os_json(
        "PUT",
        "/later/_settings",
        Some(json!({"index": {"default_pipeline": "tag"}})),
    );
    assert_eq!(r.json(), json!({"acknowledged": true}), "{}", r.text);
    c.os_json("PUT", "/later/_doc/1", Some(json!({"a": "l"})));
    assert_eq!(source(&c, "later", "1"), json!({"a": "l", "tagged": "l"}));
    let r = c.os_json(
        "PUT",
        "/later/_settings",
        Some(json!({"index.default_pipeline": null})),
    );
    assert_eq!(r.status, 200);
    c.os_json("PUT", "/later/_doc/2", Some(json!({"a": "m"})));
    assert_eq!(source(&c, "later", "2"), json!({"a": "m"}));
    let r = c.os_json(
        "PUT",
        "/later/_settings",
        Some(json!({"number_of_shards": 2})),
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["reason"].as_str().unwrap().starts_with(
        "Can't update non dynamic settings [[index.number_of_shards]] for open indices [[later/"
    ));
}

/// A bulk `index` action without an id is an INDEX operation whose id is generated only if the
/// pipeline set none (`IndexRequest.process`: `if (id == null)` generate, the op type untouched):
/// a pipeline that sets a deterministic `_id` overwrites on re-delivery, and only `create`
/// refuses the second copy.
#[test]
fn a_bulk_index_without_id_whose_pipeline_sets_one_overwrites() {
    let c = Ctx::new();
    put_pipeline(
        &c,
        "fixed-id",
        json!({"processors": [{"set": {"field": "_id", "value": "{{key}}"}}]}),
    );
    let line = "{\"index\":{\"_index\":\"ids\",\"pipeline\":\"fixed-id\"}}\n{\"key\":\"k1\"}\n";
    let first = bulk(&c, "/_bulk", line).json();
    assert_eq!(first["items"][0]["index"]["status"], 201, "{first}");
    let again = bulk(&c, "/_bulk", line).json();
    assert_eq!(again["items"][0]["index"]["status"], 200, "{again}");
    assert_eq!(again["items"][0]["index"]["result"], "updated", "{again}");
    assert_eq!(again["items"][0]["index"]["_id"], "k1", "{again}");
    assert_eq!(again["items"][0]["index"]["_version"], 2, "{again}");
    let create = "{\"create\":{\"_index\":\"ids\",\"pipeline\":\"fixed-id\"}}\n{\"key\":\"k1\"}\n";
    let refused = bulk(&c, "/_bulk", create).json();
    assert_eq!(refused["items"][0]["create"]["status"], 409, "{refused}");
}
