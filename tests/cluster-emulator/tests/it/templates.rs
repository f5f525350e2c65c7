use serde_json::json;

use crate::common::Ctx;

#[test]
fn composable_settings_are_normalised_and_shapes_match_the_server() {
    let c = Ctx::new();
    let r = c.os_json(
        "PUT",
        "/_index_template/t1",
        Some(json!({"index_patterns": "logs-*", "template": {"settings": {"number_of_shards": 1, "index": {"hidden": false}}, "mappings": {}}})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json(), json!({"acknowledged": true}));
    let got = c.os_json("GET", "/_index_template/t1", None).json();
    assert_eq!(
        got,
        json!({"index_templates": [{"name": "t1", "index_template": {
            "index_patterns": ["logs-*"],
            "template": {"settings": {"index": {"number_of_shards": "1", "hidden": "false"}}},
            "composed_of": []
        }}]})
    );
    let flat = c
        .os_json("GET", "/_index_template/t1?flat_settings=true", None)
        .json();
    assert_eq!(
        flat["index_templates"][0]["index_template"]["template"]["settings"],
        json!({"index.hidden": "false", "index.number_of_shards": "1"})
    );
}

#[test]
fn composable_without_template_block_has_no_composed_of_and_data_stream_gets_default() {
    let c = Ctx::new();
    let r = c.os_json(
        "PUT",
        "/_index_template/t2",
        Some(
            json!({"index_patterns": ["x-*"], "data_stream": {}, "priority": 5, "_meta": {"a": 1}}),
        ),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let t = &c.os_json("GET", "/_index_template/t2", None).json()["index_templates"][0]
        ["index_template"];
    assert!(t.get("composed_of").is_none());
    assert_eq!(
        t["data_stream"],
        json!({"timestamp_field": {"name": "@timestamp"}})
    );
    assert_eq!(t["priority"], json!(5));
    assert_eq!(t["_meta"], json!({"a": 1}));
}

#[test]
fn composable_errors_have_the_real_shapes() {
    let c = Ctx::new();
    let r = c.os_json(
        "PUT",
        "/_index_template/bad",
        Some(json!({"index_patterns": ["a-*"], "foo": 1})),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["type"], "x_content_parse_exception");
    assert_eq!(
        r.json()["error"]["reason"],
        "[1:27] [index_template] unknown field [foo]"
    );

    let r = c.os_json("PUT", "/_index_template/bad", Some(json!({})));
    assert_eq!(r.status, 400);

    let r = c.os_json(
        "PUT",
        "/_index_template/bad",
        Some(json!({"index_patterns": ["a-*"], "composed_of": ["nope"]})),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["type"],
        "invalid_index_template_exception"
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "index_template [bad] invalid, cause [index template [bad] specifies component templates [nope] that do not exist]"
    );

    let r = c.os_json(
        "PUT",
        "/_index_template/Bad",
        Some(json!({"index_patterns": ["a-*"]})),
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["reason"]
        .as_str()
        .unwrap()
        .contains("name must be lower cased"));

    let r = c.os_json(
        "PUT",
        "/_index_template/x",
        Some(json!({"index_patterns": ["a-*"], "template": {"settings": {"foo": 1}}})),
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["reason"]
        .as_str()
        .unwrap()
        .contains("unknown setting [index.foo]"));

    let missing = c.os_json("GET", "/_index_template/none", None);
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json()["error"]["type"],
        "resource_not_found_exception"
    );
    assert_eq!(
        missing.json()["error"]["reason"],
        "index template matching [none] not found"
    );
    let wildcard = c.os_json("GET", "/_index_template/none*", None);
    assert_eq!(
        (wildcard.status, wildcard.json()),
        (404, json!({"index_templates": []}))
    );
    let del = c.os_json("DELETE", "/_index_template/none", None);
    assert_eq!(del.status, 404);
    assert_eq!(
        del.json()["error"]["type"],
        "index_template_missing_exception"
    );
    assert_eq!(c.send(c.os("HEAD", "/_index_template/none")).status, 404);
}

#[test]
fn create_flag_overlap_and_legacy_warning() {
    let c = Ctx::new();
    assert_eq!(
        c.os_json(
            "PUT",
            "/_index_template/a",
            Some(json!({"index_patterns": ["logs-*"]}))
        )
        .status,
        200
    );
    let r = c.os_json(
        "PUT",
        "/_index_template/a?create=true",
        Some(json!({"index_patterns": ["logs-*"]})),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["reason"],
        "index template [a] already exists"
    );
    // Updating itself is no conflict; another template at the same priority is.
    assert_eq!(
        c.os_json(
            "PUT",
            "/_index_template/a",
            Some(json!({"index_patterns": ["logs-*"]}))
        )
        .status,
        200
    );
    let r = c.os_json(
        "PUT",
        "/_index_template/b",
        Some(json!({"index_patterns": ["logs-win-*"]})),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["type"], "illegal_argument_exception");
    assert!(r.json()["error"]["reason"].as_str().unwrap().starts_with(
        "index template [b] has index patterns [logs-win-*] matching patterns from existing templates [a] with patterns (a => [logs-*]) that have the same priority [0]"
    ));
    assert_eq!(
        c.os_json(
            "PUT",
            "/_index_template/b",
            Some(json!({"index_patterns": ["logs-win-*"], "priority": 1}))
        )
        .status,
        200
    );

    assert_eq!(
        c.os_json(
            "PUT",
            "/_template/global",
            Some(json!({"index_patterns": ["*"]}))
        )
        .status,
        200
    );
    let r = c.os_json(
        "PUT",
        "/_index_template/c",
        Some(json!({"index_patterns": ["c-*"]})),
    );
    let w = r
        .headers
        .get("warning")
        .expect("warning header")
        .to_str()
        .unwrap()
        .to_string();
    assert!(w.contains("index template [c] has index patterns [c-*] matching patterns from existing older templates [global] with patterns (global => [*]); this template [c] will take precedence during new index creation"), "{w}");
}

#[test]
fn component_templates_and_in_use_errors() {
    let c = Ctx::new();
    let r = c.os_json(
        "PUT",
        "/_component_template/ct",
        Some(json!({"template": {"settings": {"number_of_replicas": 0}, "mappings": {"_doc": {"properties": {"f": {"type": "keyword"}}}}, "aliases": {"al": {"routing": "b"}}}, "version": 2})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let got = c.os_json("GET", "/_component_template/ct", None).json();
    assert_eq!(
        got,
        json!({"component_templates": [{"name": "ct", "component_template": {"template": {
            "settings": {"index": {"number_of_replicas": "0"}},
            "mappings": {"properties": {"f": {"type": "keyword"}}},
            "aliases": {"al": {"index_routing": "b", "search_routing": "b"}}
        }, "version": 2}}]})
    );
    assert_eq!(
        c.os_json(
            "PUT",
            "/_index_template/uses",
            Some(json!({"index_patterns": ["u-*"], "composed_of": ["ct"]}))
        )
        .status,
        200
    );
    let r = c.os_json("DELETE", "/_component_template/ct", None);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["reason"], "component templates [ct] cannot be removed as they are still in use by index templates [uses]");
    assert_eq!(
        c.os_json("GET", "/_component_template/nope", None).status,
        404
    );
    let r = c.os_json(
        "PUT",
        "/_component_template/nt",
        Some(json!({"version": 1})),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn legacy_shapes() {
    let c = Ctx::new();
    assert_eq!(
        c.os_json(
            "PUT",
            "/_template/l",
            Some(json!({"index_patterns": "l-*", "settings": {"number_of_shards": 1}}))
        )
        .status,
        200
    );
    let got = c.os_json("GET", "/_template/l", None).json();
    assert_eq!(
        got,
        json!({"l": {"order": 0, "index_patterns": ["l-*"], "settings": {"index": {"number_of_shards": "1"}}, "mappings": {}, "aliases": {}}})
    );
    let missing = c.os_json("GET", "/_template/none", None);
    assert_eq!((missing.status, missing.json()), (404, json!({})));
    let r = c.os_json("PUT", "/_template/m", Some(json!({})));
    assert_eq!(r.status, 400);
    assert!(r.text.contains("index patterns are missing"));
    assert_eq!(
        c.os_json("DELETE", "/_template/none", None).json()["error"]["type"],
        "index_template_missing_exception"
    );
}

#[test]
fn index_creation_composes_templates_and_simulate_agrees() {
    let c = Ctx::new();
    c.os_json("PUT", "/_component_template/low", Some(json!({"template": {"settings": {"number_of_replicas": 1}, "mappings": {"properties": {"a.b": {"type": "keyword"}}}}})));
    c.os_json(
        "PUT",
        "/_component_template/high",
        Some(json!({"template": {"settings": {"index.number_of_replicas": 0}}})),
    );
    let r = c.os_json(
        "PUT",
        "/_index_template/logs",
        Some(json!({"index_patterns": ["logs-*"], "composed_of": ["low", "high"], "template": {"settings": {"number_of_shards": 2}, "aliases": {"all-logs": {}}}})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let sim = c
        .os_json("POST", "/_index_template/_simulate_index/logs-x", None)
        .json();
    assert_eq!(
        sim["template"]["settings"],
        json!({"index": {"number_of_replicas": "0", "number_of_shards": "2"}})
    );
    assert_eq!(
        sim["template"]["mappings"],
        json!({"properties": {"a": {"properties": {"b": {"type": "keyword"}}}}})
    );
    assert_eq!(sim["template"]["aliases"], json!({"all-logs": {}}));
    let r = c.os_json(
        "PUT",
        "/logs-x",
        Some(json!({"mappings": {"properties": {"c": {"type": "long"}}}})),
    );
    assert_eq!(
        r.json(),
        json!({"acknowledged": true, "shards_acknowledged": true, "index": "logs-x"})
    );
    let got = c.os_json("GET", "/logs-x", None).json();
    assert_eq!(got["logs-x"]["settings"]["index"]["number_of_shards"], "2");
    assert_eq!(
        got["logs-x"]["mappings"]["properties"]["c"],
        json!({"type": "long"})
    );
    assert_eq!(c.send(c.os("HEAD", "/logs-x")).status, 200);
    assert_eq!(c.send(c.os("HEAD", "/logs-y")).status, 404);
    let r = c.os_json("PUT", "/logs-x", None);
    assert_eq!(
        r.json()["error"]["type"],
        "resource_already_exists_exception"
    );
}

#[test]
fn unknown_fields_suggest_and_nested_fields_are_wrapped() {
    let c = Ctx::new();
    let r = c.send(
        c.os("PUT", "/_index_template/t")
            .header("content-type", "application/json")
            .body(r#"{"index_patterns":["a"],"priorty":1}"#),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "[1:25] [index_template] unknown field [priorty] did you mean [priority]?"
    );
    let r = c.send(
        c.os("PUT", "/_index_template/t")
            .header("content-type", "application/json")
            .body(r#"{"index_patterns":["a"],"template":{"setings":{}}}"#),
    );
    let e = r.json()["error"].clone();
    assert_eq!(e["type"], "x_content_parse_exception");
    assert_eq!(
        e["reason"],
        "[1:47] [index_template] failed to parse field [template]"
    );
    assert_eq!(
        e["caused_by"]["reason"],
        "[1:37] [template] unknown field [setings] did you mean [settings]?"
    );
    assert_eq!(
        e["root_cause"][0]["reason"],
        "[1:37] [template] unknown field [setings] did you mean [settings]?"
    );
}

#[test]
fn typed_mappings_are_refused_by_legacy_and_index_apis_but_unwrapped_by_composable() {
    let c = Ctx::new();
    let typed = json!({"_doc": {"properties": {"f": {"type": "keyword"}}}});
    let r = c.os_json(
        "PUT",
        "/_template/l",
        Some(json!({"index_patterns": ["l-*"], "mappings": typed})),
    );
    assert_eq!(
        (r.status, r.json()["error"]["reason"].as_str()),
        (
            400,
            Some("The mapping definition cannot be nested under a type")
        )
    );
    let r = c.os_json("PUT", "/idx", Some(json!({"mappings": typed})));
    assert_eq!(r.json()["error"]["type"], "illegal_argument_exception");
    let r = c.os_json(
        "PUT",
        "/_index_template/ok",
        Some(json!({"index_patterns": ["ok-*"], "template": {"mappings": typed}})),
    );
    assert_eq!(r.status, 200);
    let got = c.os_json("GET", "/_index_template/ok", None).json();
    assert_eq!(
        got["index_templates"][0]["index_template"]["template"]["mappings"],
        json!({"properties": {"f": {"type": "keyword"}}})
    );
}

#[test]
fn setting_values_are_checked() {
    let c = Ctx::new();
    let r = c.os_json(
        "PUT",
        "/_index_template/t",
        Some(json!({"index_patterns": ["a"], "template": {"settings": {"number_of_shards": 0}}})),
    );
    assert_eq!(
        r.json()["error"]["type"],
        "invalid_index_template_exception"
    );
    assert!(
        r.text.contains(
            "Failed to parse value [0] for setting [index.number_of_shards] must be >= 1"
        ),
        "{}",
        r.text
    );
    let r = c.os_json(
        "PUT",
        "/_component_template/c",
        Some(json!({"template": {"settings": {"index.number_of_shards": "x"}}})),
    );
    assert_eq!(r.json()["error"]["type"], "illegal_argument_exception");
    assert_eq!(
        r.json()["error"]["reason"],
        "Failed to parse value [x] for setting [index.number_of_shards]"
    );
    let r = c.os_json(
        "PUT",
        "/_template/l",
        Some(json!({"index_patterns": ["l"], "version": "3"})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "Malformed [version] value, should be an integer"
    );
    let r = c.os_json(
        "PUT",
        "/_template/l",
        Some(json!({"index_patterns": ["l"], "foo": 1})),
    );
    assert_eq!(
        r.json()["error"]["reason"],
        "unknown key [foo] in the template "
    );
}

#[test]
fn mapping_and_meta_key_order_is_not_kept_but_settings_are_sorted() {
    let c = Ctx::new();
    let body = r#"{"index_patterns":["o-*"],"template":{"settings":{"number_of_shards":1,"codec":"best_compression"},"mappings":{"properties":{"zeta":{"type":"keyword"},"alpha":{"type":"keyword"},"message":{"type":"text"}}}},"_meta":{"z":1,"a":2}}"#;
    let r = c.send(
        c.os("PUT", "/_index_template/o")
            .header("content-type", "application/json")
            .body(body),
    );
    assert_eq!(r.status, 200);
    let flat = c.send(c.os("GET", "/_index_template/o?flat_settings=true"));
    assert!(
        flat.text
            .contains(r#"{"index.codec":"best_compression","index.number_of_shards":"1"}"#),
        "{}",
        flat.text
    );
    // Same content either way.
    let v = flat.json();
    assert_eq!(
        v["index_templates"][0]["index_template"]["_meta"],
        json!({"a": 2, "z": 1})
    );
    assert!(c
        .os_json("GET", "/_index_template/o?master_timeout=1m", None)
        .headers
        .get("warning")
        .is_some());
}

#[test]
fn dynamic_templates_are_merged_by_name_across_components() {
    let c = Ctx::new();
    c.os_json(
        "PUT",
        "/_component_template/base",
        Some(json!({"template": {"mappings": {"dynamic_templates": [
        {"strings": {"match_mapping_type": "string", "mapping": {"type": "keyword"}}},
        {"ips": {"match": "*.ip", "mapping": {"type": "ip"}}}]}}})),
    );
    c.os_json(
        "PUT",
        "/_component_template/type",
        Some(json!({"template": {"mappings": {"dynamic_templates": [
        {"strings": {"match_mapping_type": "string", "mapping": {"type": "text"}}},
        {"ports": {"match": "*.port", "mapping": {"type": "integer"}}}]}}})),
    );
    c.os_json(
        "PUT",
        "/_index_template/log",
        Some(json!({"index_patterns": ["log-*"], "composed_of": ["base", "type"]})),
    );
    let sim = c
        .os_json("POST", "/_index_template/_simulate_index/log-x", None)
        .json();
    let names: Vec<String> = sim["template"]["mappings"]["dynamic_templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_object().unwrap().keys().next().unwrap().clone())
        .collect();
    assert_eq!(names, ["strings", "ips", "ports"]);
    assert_eq!(
        sim["template"]["mappings"]["dynamic_templates"][0]["strings"]["mapping"]["type"],
        "text"
    );
}

#[test]
fn composition_replaces_leaves_merges_objects_and_refuses_clashes() {
    let c = Ctx::new();
    c.os_json("PUT", "/_component_template/a", Some(json!({"template": {"mappings": {"_source": {"enabled": false},
        "properties": {"f": {"type": "keyword", "ignore_above": 256}, "o": {"properties": {"x": {"type": "long"}}}}}}})));
    c.os_json(
        "PUT",
        "/_component_template/b",
        Some(
            json!({"template": {"mappings": {"_source": {"includes": ["a"]},
        "properties": {"f": {"type": "keyword"}, "o": {"properties": {"y": {"type": "long"}}}}}}}),
        ),
    );
    assert_eq!(
        c.os_json(
            "PUT",
            "/_index_template/ab",
            Some(json!({"index_patterns": ["ab-*"], "composed_of": ["a", "b"]}))
        )
        .status,
        200
    );
    let m = c
        .os_json("POST", "/_index_template/_simulate_index/ab-1", None)
        .json()["template"]["mappings"]
        .clone();
    assert_eq!(m["properties"]["f"], json!({"type": "keyword"}));
    assert_eq!(
        m["properties"]["o"]["properties"],
        json!({"x": {"type": "long"}, "y": {"type": "long"}})
    );
    assert_eq!(m["_source"], json!({"includes": ["a"]}));
    c.os_json(
        "PUT",
        "/_component_template/leaf",
        Some(json!({"template": {"mappings": {"properties": {"o": {"type": "keyword"}}}}})),
    );
    let r = c.os_json(
        "PUT",
        "/_index_template/bad",
        Some(json!({"index_patterns": ["bad-*"], "composed_of": ["a", "leaf"]})),
    );
    assert_eq!(r.status, 400);
    let e = r.json()["error"].clone();
    assert_eq!(e["reason"], "composable template [bad] template after composition with component templates [a, leaf] is invalid");
    assert_eq!(
        e["caused_by"]["reason"],
        "invalid composite mappings for [bad]"
    );
}

/// `ObjectMapper.TypeParser.parseProperties` ("No handler for type"), wrapped by
/// `MapperService` ("Failed to parse mapping [_doc]") and, for a composable template, by
/// `MetadataIndexTemplateService.validateCompositeTemplate`/`validateIndexTemplateV2`.
#[test]
fn a_field_type_without_a_mapper_is_refused_at_put() {
    let c = Ctx::new();
    let mapping = json!({"properties": {"source": {"properties": {"ip": {"type": "ip_address"}}}}});
    let r = c.os_json(
        "PUT",
        "/_index_template/t",
        Some(json!({"index_patterns": ["t-*"], "template": {"mappings": mapping}})),
    );
    assert_eq!(r.status, 400, "{}", r.text);
    let e = &r.json()["error"];
    assert_eq!(e["type"], "illegal_argument_exception");
    assert_eq!(
        e["reason"],
        "composable template [t] template after composition is invalid"
    );
    assert_eq!(
        e["caused_by"]["reason"],
        "invalid composite mappings for [t]"
    );
    assert_eq!(
        e["caused_by"]["caused_by"],
        json!({"type": "mapper_parsing_exception", "reason": "Failed to parse mapping [_doc]: No handler for type [ip_address] declared on field [ip]",
            "caused_by": {"type": "mapper_parsing_exception", "reason": "No handler for type [ip_address] declared on field [ip]"}})
    );
    let r = c.os_json(
        "PUT",
        "/_component_template/c",
        Some(json!({"template": {"mappings": {"properties": {"m": {"type": "text", "fields": {"raw": {"type": "keywrd"}}}}}}})),
    );
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.json()["error"]["type"], "mapper_parsing_exception");
    assert_eq!(
        r.json()["error"]["reason"],
        "Failed to parse mapping [_doc]: No handler for type [keywrd] declared on field [raw]"
    );
    // Plugin types of Amazon OpenSearch Service and the bundled modules are known.
    let r = c.os_json(
        "PUT",
        "/_component_template/ok",
        Some(json!({"template": {"mappings": {"properties": {"v": {"type": "knn_vector", "dimension": 2}, "f": {"type": "flat_object"}, "s": {"type": "scaled_float", "scaling_factor": 10}}}}})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(c.os_json("GET", "/_index_template/t", None).status, 404);
}

/// `index.lifecycle.*` is Elasticsearch's ILM: OpenSearch's index-scoped settings registry
/// (`IndexScopedSettings`) does not know it.
#[test]
fn elasticsearch_ilm_settings_are_unknown() {
    let c = Ctx::new();
    let r = c.os_json(
        "PUT",
        "/_index_template/t",
        Some(json!({"index_patterns": ["t-*"], "template": {"settings": {"index": {"lifecycle": {"name": "p"}}}}})),
    );
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        r.json()["error"]["reason"],
        "index_template [t] invalid, cause [Validation Failed: 1: unknown setting [index.lifecycle.name] please check that any required plugins are installed, or check the breaking changes documentation for removed settings;]"
    );
    let r = c.os_json(
        "PUT",
        "/_component_template/c",
        Some(json!({"template": {"settings": {"index.lifecycle.rollover_alias": "a"}}})),
    );
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        r.json()["error"]["reason"],
        "unknown setting [index.lifecycle.rollover_alias] please check that any required plugins are installed, or check the breaking changes documentation for removed settings"
    );
    let r = c.os_json(
        "PUT",
        "/_component_template/ism",
        Some(json!({"template": {"settings": {"index.plugins.index_state_management.rollover_alias": "a", "index.knn": true, "index.routing.allocation.require.box_type": "hot"}}})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}
