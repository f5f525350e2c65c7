use cluster_emulator::Options;
use serde_json::json;

use crate::common::Ctx;

#[test]
fn xsrf_rule() {
    let c = Ctx::new();
    let url = format!(
        "{}/api/saved_objects/index-pattern/x",
        c.emu.dashboards_url()
    );
    let body = json!({"attributes": {"title": "x"}});
    let r = c.send(c.http.post(&url).header("kbn-xsrf", "true").json(&body));
    assert_eq!(
        (r.status, r.json()),
        (
            400,
            json!({"statusCode": 400, "error": "Bad Request", "message": "Request must contain a osd-xsrf header."})
        )
    );
    let r = c.send(c.http.post(&url).header("osd-version", "1.0.0").json(&body));
    assert_eq!(r.status, 400);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .starts_with("Browser client is out of date"));
    let r = c.send(
        c.http
            .post(&url)
            .header("osd-version", "2.19.0")
            .json(&body),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn create_get_update_delete() {
    let c = Ctx::new();
    let r = c.osd_json(
        "POST",
        "/api/saved_objects/index-pattern/ip1",
        Some(json!({"attributes": {"title": "logs-*", "timeFieldName": "@timestamp"}})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(v["migrationVersion"], json!({"index-pattern": "7.6.0"}));
    assert_eq!(v["namespaces"], json!(["default"]));
    assert_eq!(v["version"], "WzAsMV0=");
    let conflict = c.osd_json(
        "POST",
        "/api/saved_objects/index-pattern/ip1",
        Some(json!({"attributes": {"title": "x"}})),
    );
    assert_eq!(conflict.status, 409);
    assert_eq!(conflict.json()["error"], "Conflict");

    let upd = c.osd_json(
        "PUT",
        "/api/saved_objects/index-pattern/ip1",
        Some(json!({"attributes": {"title": "logs2-*"}})),
    );
    assert_eq!(upd.status, 200);
    assert_eq!(upd.json()["attributes"], json!({"title": "logs2-*"}));
    let got = c
        .osd_json("GET", "/api/saved_objects/index-pattern/ip1", None)
        .json();
    assert_eq!(
        got["attributes"],
        json!({"title": "logs2-*", "timeFieldName": "@timestamp"})
    );
    assert_eq!(got["version"], "WzEsMV0=");
    let keys: Vec<&String> = got.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "type",
            "namespaces",
            "updated_at",
            "version",
            "attributes",
            "references",
            "migrationVersion"
        ]
    );

    let stale = c.osd_json(
        "PUT",
        "/api/saved_objects/index-pattern/ip1",
        Some(json!({"attributes": {"title": "z"}, "version": "WzAsMV0="})),
    );
    assert_eq!(stale.status, 409);

    let q = c.osd_json(
        "POST",
        "/api/saved_objects/query/q1",
        Some(json!({"attributes": {"title": "q", "query": {"query": "a", "language": "kuery"}}})),
    );
    assert!(q.json().get("migrationVersion").is_none());
    let newer = c.osd_json(
        "POST",
        "/api/saved_objects/visualization/v1",
        Some(json!({"attributes": {"title": "v"}, "migrationVersion": {"visualization": "9.0.0"}})),
    );
    assert_eq!(newer.status, 422);
    assert_eq!(
        newer.json()["message"],
        "Document \"v1\" has property \"visualization\" which belongs to a more recent version of OpenSearch Dashboards [9.0.0]. The last known version is [7.10.0]"
    );
    let bad_type = c.osd_json(
        "POST",
        "/api/saved_objects/nope/x",
        Some(json!({"attributes": {}})),
    );
    assert_eq!(
        bad_type.json()["message"],
        "Unsupported saved object type: 'nope': Bad Request"
    );

    assert_eq!(
        c.osd_json("DELETE", "/api/saved_objects/index-pattern/ip1", None)
            .json(),
        json!({})
    );
    let gone = c.osd_json("GET", "/api/saved_objects/index-pattern/ip1", None);
    assert_eq!(
        (gone.status, gone.json()),
        (
            404,
            json!({"statusCode": 404, "error": "Not Found", "message": "Saved object [index-pattern/ip1] not found"})
        )
    );
}

#[test]
fn bulk_get_bulk_create_and_find() {
    let c = Ctx::new();
    let items = json!([
        {"type": "search", "id": "s1", "attributes": {"title": "Failed logins"}},
        {"type": "search", "id": "s2", "attributes": {"title": "Admin activity"}},
    ]);
    let r = c.osd_json(
        "POST",
        "/api/saved_objects/_bulk_create",
        Some(items.clone()),
    );
    assert_eq!(r.status, 200);
    let again = c
        .osd_json(
            "POST",
            "/api/saved_objects/_bulk_create",
            Some(items.clone()),
        )
        .json();
    assert_eq!(
        again["saved_objects"][0]["error"],
        json!({"statusCode": 409, "error": "Conflict", "message": "Saved object [search/s1] conflict"})
    );
    let over = c
        .osd_json(
            "POST",
            "/api/saved_objects/_bulk_create?overwrite=true",
            Some(items),
        )
        .json();
    assert!(over["saved_objects"][0].get("error").is_none());

    let bg = c.osd_json(
        "POST",
        "/api/saved_objects/_bulk_get",
        Some(json!([{"type": "search", "id": "s1"}, {"type": "search", "id": "zz"}])),
    );
    assert_eq!(bg.status, 200);
    let v = bg.json();
    assert_eq!(v["saved_objects"][0]["id"], "s1");
    assert_eq!(
        v["saved_objects"][1],
        json!({"id": "zz", "type": "search", "error": {"statusCode": 404, "error": "Not Found", "message": "Saved object [search/zz] not found"}})
    );

    let f = c
        .osd_json(
            "GET",
            "/api/saved_objects/_find?type=search&search=fail*&search_fields=title",
            None,
        )
        .json();
    assert_eq!(f["total"], 1);
    assert_eq!(f["saved_objects"][0]["id"], "s1");
    let p = c
        .osd_json(
            "GET",
            "/api/saved_objects/_find?type=search&per_page=1&page=2",
            None,
        )
        .json();
    assert_eq!(
        (
            p["page"].as_u64(),
            p["per_page"].as_u64(),
            p["total"].as_u64()
        ),
        (Some(2), Some(1), Some(2))
    );
    assert_eq!(p["saved_objects"][0]["id"], "s2");
}

#[test]
fn tenants_are_separate_stores() {
    let c = Ctx::new();
    let create = |tenant: &str| {
        c.send(
            c.osd("POST", "/api/saved_objects/index-pattern/t")
                .header("securitytenant", tenant)
                .json(&json!({"attributes": {"title": tenant}})),
        )
    };
    assert_eq!(create("global").status, 200);
    assert_eq!(create("team_a").status, 200);
    let get = |tenant: &str| {
        c.send(
            c.osd("GET", "/api/saved_objects/index-pattern/t")
                .header("securitytenant", tenant),
        )
    };
    assert_eq!(get("global").json()["attributes"]["title"], "global");
    assert_eq!(get("team_a").json()["attributes"]["title"], "team_a");
    assert_eq!(get("private").status, 404);
    // The query parameter wins over the header.
    let r = c.send(
        c.osd(
            "GET",
            "/api/saved_objects/index-pattern/t?securitytenant=team_a",
        )
        .header("securitytenant", "global"),
    );
    assert_eq!(r.json()["attributes"]["title"], "team_a");
}

#[test]
fn base_path_import_export_and_settings() {
    let c = Ctx::with(Options {
        dashboards_base_path: Some("/_dashboards".into()),
        ..Options::default()
    });
    assert!(c.emu.dashboards_url().ends_with("/_dashboards"));
    assert_eq!(
        c.osd_json("GET", "/api/status", None).json()["version"]["number"],
        "2.19.0"
    );
    let root = c
        .emu
        .dashboards_url()
        .trim_end_matches("/_dashboards")
        .to_string();
    assert_eq!(c.send(c.http.get(format!("{root}/api/status"))).status, 404);

    let ndjson = "{\"type\":\"index-pattern\",\"id\":\"ip\",\"attributes\":{\"title\":\"logs-*\"},\"references\":[]}\n{\"type\":\"search\",\"id\":\"s\",\"attributes\":{\"title\":\"S\"},\"references\":[{\"type\":\"index-pattern\",\"id\":\"ip\",\"name\":\"kibanaSavedObjectMeta.searchSourceJSON.index\"}]}\n";
    let upload = |query: &str, name: &str| {
        let part = reqwest::blocking::multipart::Part::text(ndjson.to_string())
            .file_name(name.to_string());
        let form = reqwest::blocking::multipart::Form::new().part("file", part);
        c.send(
            c.osd("POST", &format!("/api/saved_objects/_import{query}"))
                .multipart(form),
        )
    };
    let bad = upload("", "export.json");
    assert_eq!(
        (bad.status, bad.json()["message"].as_str()),
        (400, Some("Invalid file extension .json"))
    );
    let first = upload("", "export.ndjson").json();
    assert_eq!(first["successCount"], 2);
    assert_eq!(first["success"], true);
    assert!(first.get("errors").is_none());
    let second = upload("", "export.ndjson").json();
    assert_eq!(second["success"], false);
    assert_eq!(second["errors"][0]["error"], json!({"type": "conflict"}));
    let third = upload("?overwrite=true", "export.ndjson").json();
    assert_eq!(third["successResults"][0]["overwrite"], true);
    assert_eq!(
        upload("?overwrite=true&createNewCopies=true", "export.ndjson").status,
        400
    );

    let exp = c.osd_json(
        "POST",
        "/api/saved_objects/_export",
        Some(json!({"objects": [{"type": "search", "id": "s"}], "includeReferencesDeep": true})),
    );
    let lines: Vec<&str> = exp.text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(lines[2]).unwrap(),
        json!({"exportedCount": 2, "missingRefCount": 0, "missingReferences": []})
    );

    let s = c.osd_json(
        "POST",
        "/api/opensearch-dashboards/settings",
        Some(json!({"changes": {"defaultIndex": "ip"}})),
    );
    assert_eq!(
        s.json()["settings"]["defaultIndex"],
        json!({"userValue": "ip"})
    );
    let cfg = c
        .osd_json("GET", "/api/saved_objects/config/2.19.0", None)
        .json();
    assert_eq!(cfg["attributes"]["defaultIndex"], "ip");
    assert_eq!(cfg["migrationVersion"], json!({"config": "7.9.0"}));
}

#[test]
fn find_validates_its_query() {
    let c = Ctx::new();
    let r = c.osd_json("GET", "/api/saved_objects/_find", None);
    assert_eq!(
        r.json()["message"],
        "[request query.type]: expected at least one defined value but got [undefined]"
    );
    let r = c.osd_json(
        "GET",
        "/api/saved_objects/_find?type=search&sort_order=desc",
        None,
    );
    assert_eq!(
        r.json()["message"],
        "[request query.sort_order]: definition for this key is missing"
    );
    let r = c.osd_json("GET", "/api/saved_objects/_find?type=nope", None);
    assert_eq!(
        r.json(),
        json!({"page": 1, "per_page": 20, "total": 0, "saved_objects": []})
    );
    let r = c.osd_json(
        "GET",
        "/api/saved_objects/_find?type=search&per_page=10000&page=2",
        None,
    );
    assert_eq!(r.status, 400);
}

#[test]
fn export_is_stable_stringified_and_sorted_by_references() {
    let c = Ctx::new();
    c.osd_json("POST", "/api/saved_objects/search/b-search", Some(json!({"attributes": {"title": "S", "columns": ["z", "a"]},
        "references": [{"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern", "id": "z-ip"}]})));
    c.osd_json(
        "POST",
        "/api/saved_objects/index-pattern/z-ip",
        Some(json!({"attributes": {"title": "logs-*", "timeFieldName": "@timestamp"}})),
    );
    let exp = c.osd_json(
        "POST",
        "/api/saved_objects/_export",
        Some(json!({"type": ["search", "index-pattern"]})),
    );
    assert_eq!(exp.headers["content-type"], "application/ndjson");
    assert!(!exp.text.ends_with('\n'));
    let lines: Vec<&str> = exp.text.lines().collect();
    // The index pattern is referenced by the search, so it comes first.
    assert!(lines[0].starts_with(r#"{"attributes":{"timeFieldName":"@timestamp","title":"logs-*"},"id":"z-ip","migrationVersion":{"index-pattern":"7.6.0"},"references":[],"type":"index-pattern","updated_at":""#), "{}", lines[0]);
    assert!(lines[1].contains(r#""id":"b-search""#));
    assert_eq!(
        lines[2],
        r#"{"exportedCount":2,"missingRefCount":0,"missingReferences":[]}"#
    );
    let missing = c.osd_json(
        "POST",
        "/api/saved_objects/_export",
        Some(json!({"objects": [{"type": "search", "id": "nope"}]})),
    );
    assert_eq!(missing.json()["message"], "Bad Request");
    assert_eq!(missing.json()["attributes"]["objects"][0]["id"], "nope");
}

#[test]
fn import_with_new_copies_and_a_too_new_object() {
    let c = Ctx::new();
    let upload = |query: &str, body: &str| {
        let part = reqwest::blocking::multipart::Part::text(body.to_string()).file_name("x.NDJSON");
        let form = reqwest::blocking::multipart::Form::new().part("file", part);
        c.send(
            c.osd("POST", &format!("/api/saved_objects/_import{query}"))
                .multipart(form),
        )
    };
    let line =
        r#"{"type":"index-pattern","id":"ip","attributes":{"title":"logs-*"},"references":[]}"#;
    let r = upload("?createNewCopies=true", line).json();
    let result = &r["successResults"][0];
    assert!(result["destinationId"].is_string());
    assert!(result.get("createNewCopy").is_none());
    assert_eq!(
        result["meta"],
        json!({"title": "logs-*", "icon": "indexPatternApp"})
    );
    let newer = r#"{"type":"visualization","id":"v","attributes":{"title":"v"},"references":[],"migrationVersion":{"visualization":"99.0.0"}}"#;
    let r = upload("", &format!("{line}\n{newer}"));
    assert_eq!(r.status, 422);
    let unsupported = upload("", r#"{"type":"nope","id":"n","attributes":{"title":"N"}}"#).json();
    assert_eq!(
        unsupported["errors"][0],
        json!({"id": "n", "type": "nope", "title": "N", "meta": {"title": "N"}, "error": {"type": "unsupported_type"}})
    );
}

#[test]
fn version_header_is_checked_on_reads_too_and_settings_write_twice_at_first() {
    let c = Ctx::new();
    let r = c.send(c.osd("GET", "/api/status").header("osd-version", "1.0.0"));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["attributes"],
        json!({"expected": "2.19.0", "got": "1.0.0"})
    );
    c.osd_json(
        "POST",
        "/api/opensearch-dashboards/settings",
        Some(json!({"changes": {"defaultIndex": "ip"}})),
    );
    let cfg = c
        .osd_json("GET", "/api/saved_objects/config/2.19.0", None)
        .json();
    assert_eq!(cfg["version"], "WzEsMV0=");
    assert_eq!(
        cfg["attributes"],
        json!({"buildNum": 8467, "defaultIndex": "ip"})
    );
    let s = c
        .osd_json(
            "POST",
            "/api/opensearch-dashboards/settings",
            Some(json!({"changes": {"defaultIndex": null}})),
        )
        .json();
    assert_eq!(s, json!({"settings": {"buildNum": {"userValue": 8467}}}));
}

#[test]
fn a_simulated_ui_visit_creates_config_and_refreshes_index_pattern_fields() {
    let c = Ctx::new();
    c.os_json(
        "PUT",
        "/logs-a",
        Some(
            json!({"mappings": {"properties": {"@timestamp": {"type": "date"},
        "message": {"type": "text", "fields": {"keyword": {"type": "keyword"}}}}}}),
        ),
    );
    let create = c.send(
        c.osd("POST", "/api/saved_objects/index-pattern/ip")
            .header("securitytenant", "global")
            .json(&json!({"attributes": {"title": "logs-*", "timeFieldName": "@timestamp"}})),
    );
    let before = create.json()["version"].clone();
    let r = c.send(
        c.os("POST", "/_emulator/ui-visit")
            .json(&json!({"tenant": "global"})),
    );
    assert_eq!(
        r.json()["tenants"]["global"],
        json!({"config_created": true, "index_patterns_refreshed": ["ip"]})
    );
    let got = c
        .send(
            c.osd("GET", "/api/saved_objects/index-pattern/ip")
                .header("securitytenant", "global"),
        )
        .json();
    assert_ne!(got["version"], before);
    let fields: serde_json::Value =
        serde_json::from_str(got["attributes"]["fields"].as_str().unwrap()).unwrap();
    let names: Vec<&str> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "@timestamp",
            "_id",
            "_index",
            "_score",
            "_source",
            "_type",
            "message",
            "message.keyword"
        ]
    );
    assert_eq!(
        fields[7]["subType"],
        json!({"multi": {"parent": "message"}})
    );
    let cfg = c.send(
        c.osd("GET", "/api/saved_objects/config/2.19.0")
            .header("securitytenant", "global"),
    );
    assert_eq!(cfg.status, 200);
    // A second visit changes nothing.
    let again = c
        .send(
            c.os("POST", "/_emulator/ui-visit")
                .json(&json!({"tenant": "global"})),
        )
        .json();
    assert_eq!(
        again["tenants"]["global"],
        json!({"config_created": false, "index_patterns_refreshed": []})
    );
}

#[test]
fn default_tenant_follows_the_preferred_list() {
    let c = Ctx::new();
    let create = |tenant: Option<&str>, title: &str| {
        let mut b = c.osd("POST", "/api/saved_objects/index-pattern/d?overwrite=true");
        if let Some(t) = tenant {
            b = b.header("securitytenant", t);
        }
        c.send(b.json(&json!({"attributes": {"title": title}})))
    };
    let read = |tenant: &str| {
        c.send(
            c.osd("GET", "/api/saved_objects/index-pattern/d")
                .header("securitytenant", tenant),
        )
        .json()["attributes"]["title"]
            .clone()
    };
    // The plugin's default preferred list is empty: no tenant means global.
    create(None, "no-header");
    assert_eq!(read("global"), "no-header");
    // `Global` is not the reserved name: it falls back to the default too.
    create(Some("Global"), "capital");
    assert_eq!(read("global"), "capital");
    // With the demo configuration's preferred list, no tenant means private.
    let r = c.send(
        c.os("POST", "/_emulator/tenancy")
            .json(&json!({"preferred": ["Private", "Global"]})),
    );
    assert_eq!(r.status, 200);
    create(None, "private-now");
    assert_eq!(read("private"), "private-now");
    assert_eq!(read("admin"), "private-now");
    assert_eq!(read("global"), "capital");
}

/// `ui_settings_client.ts` `translateChanges`: `timeline` is written as `timelion` (first
/// occurrence in the key) and read back as `timeline`.
#[test]
fn timeline_settings_are_stored_as_timelion() {
    let c = Ctx::new();
    let r = c.osd_json(
        "POST",
        "/api/opensearch-dashboards/settings",
        Some(
            json!({"changes": {"timeline:es.default_index": "log-*", "timeline:max_buckets": 500}}),
        ),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json()["settings"]["timeline:es.default_index"],
        json!({"userValue": "log-*"})
    );
    let cfg = c
        .osd_json("GET", "/api/saved_objects/config/2.19.0", None)
        .json();
    assert_eq!(
        cfg["attributes"],
        json!({"buildNum": 8467, "timelion:es.default_index": "log-*", "timelion:max_buckets": 500})
    );
    let s = c
        .osd_json("GET", "/api/opensearch-dashboards/settings", None)
        .json();
    assert_eq!(
        s["settings"]["timeline:max_buckets"],
        json!({"userValue": 500})
    );
    assert!(s["settings"].get("timelion:max_buckets").is_none());
}

/// `validateKey` with the registered schemas (`settings/date_formats.ts`,
/// `vis_type_timeline/server/plugin.ts`), answered as `routes/set_many.ts` does.
#[test]
fn a_registered_setting_with_a_wrong_value_is_a_400() {
    let c = Ctx::new();
    for (changes, message) in [
        (
            json!({"dateFormat": 5}),
            "[validation [dateFormat]]: expected value of type [string] but got [number]",
        ),
        (
            json!({"timeline:max_buckets": "many"}),
            "[validation [timeline:max_buckets]]: expected value of type [number] but got [string]",
        ),
        (
            json!({"defaultIndex": "x", "dateFormat:dow": "Mondy"}),
            "[validation [dateFormat:dow]]: Invalid day of week: Mondy",
        ),
    ] {
        let r = c.osd_json(
            "POST",
            "/api/opensearch-dashboards/settings",
            Some(json!({ "changes": changes })),
        );
        assert_eq!(r.status, 400, "{changes}: {}", r.text);
        assert_eq!(
            r.json(),
            json!({"statusCode": 400, "error": "Bad Request", "message": message})
        );
    }
    // Nothing was written: not even the config object.
    let r = c.osd_json("GET", "/api/saved_objects/config/2.19.0", None);
    assert_eq!(r.status, 404);
    // An unregistered key takes any value.
    let r = c.osd_json(
        "POST",
        "/api/opensearch-dashboards/settings",
        Some(json!({"changes": {"my:own": 5}})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}

/// `UiSettingsClient.read` and `createOrUpgradeSavedConfig`: a read of a tenant without its
/// config object creates it, over the newest older config (`get_upgradeable_config.ts`,
/// `is_config_version_upgradeable.ts`).
#[test]
fn a_settings_read_creates_the_config_and_an_upgrade_copies_the_older_one() {
    let c = Ctx::new();
    let r = c.osd_json("GET", "/api/opensearch-dashboards/settings", None);
    assert_eq!(
        r.json(),
        json!({"settings": {"buildNum": {"userValue": 8467}}})
    );
    let cfg = c.osd_json("GET", "/api/saved_objects/config/2.19.0", None);
    assert_eq!(cfg.status, 200, "the read created it");

    let c = Ctx::new();
    for (id, build, tz) in [("2.17.0", 7000, "UTC"), ("2.18.0", 8000, "Europe/Paris")] {
        let r = c.osd_json(
            "POST",
            &format!("/api/saved_objects/config/{id}"),
            Some(json!({"attributes": {"buildNum": build, "dateFormat:tz": tz}})),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = c.osd_json(
        "POST",
        "/api/opensearch-dashboards/settings",
        Some(json!({"changes": {"defaultIndex": "ip"}})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let cfg = c
        .osd_json("GET", "/api/saved_objects/config/2.19.0", None)
        .json();
    assert_eq!(
        cfg["attributes"],
        json!({"buildNum": 8467, "dateFormat:tz": "Europe/Paris", "defaultIndex": "ip"})
    );
}

/// `routes/bulk_create.ts` (config-schema objects refuse undeclared keys) and `repository.ts`
/// `bulkCreate` (`decodeRequestVersion` while the bulk body is built).
#[test]
fn bulk_create_refuses_the_whole_request_for_an_unknown_key_or_a_bad_version() {
    let c = Ctx::new();
    let r = c.osd_json(
        "POST",
        "/api/saved_objects/_bulk_create",
        Some(json!([{"type": "index-pattern", "id": "a", "attributes": {"title": "a"}},
                    {"type": "index-pattern", "id": "b", "attributes": {"title": "b"}, "updated_at": "x"}])),
    );
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        r.json()["message"],
        "[request body.1.updated_at]: definition for this key is missing"
    );
    assert_eq!(
        c.osd_json("GET", "/api/saved_objects/index-pattern/a", None)
            .status,
        404,
        "nothing was written"
    );
    let r = c.osd_json(
        "POST",
        "/api/saved_objects/_bulk_create?overwrite=true",
        Some(json!([{"type": "index-pattern", "id": "a", "attributes": {"title": "a"}},
                    {"type": "index-pattern", "id": "b", "attributes": {"title": "b"}, "version": "not-a-version"}])),
    );
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"statusCode": 400, "error": "Bad Request", "message": "Invalid version [not-a-version]"})
    );
    assert_eq!(
        c.osd_json("GET", "/api/saved_objects/index-pattern/a", None)
            .status,
        404
    );
}

fn import_file(c: &Ctx, query: &str, lines: &[serde_json::Value]) -> crate::common::Reply {
    let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
    let part = reqwest::blocking::multipart::Part::bytes(text.join("\n").into_bytes())
        .file_name("export.ndjson");
    let form = reqwest::blocking::multipart::Form::new().part("file", part);
    c.send(
        c.osd("POST", &format!("/api/saved_objects/_import{query}"))
            .multipart(form),
    )
}

/// `import/create_saved_objects.ts`: with a conflict or a missing-references error collected,
/// bulkCreate is not called; `validate_references.ts` checks only index-pattern and search
/// references; `collect_saved_objects.ts` refuses a file naming one object twice.
#[test]
fn import_writes_nothing_when_a_resolvable_error_was_collected() {
    let c = Ctx::new();
    let ok = json!({"type": "index-pattern", "id": "ip", "attributes": {"title": "log-*"}, "references": []});
    let broken = json!({"type": "visualization", "id": "v", "attributes": {"title": "V"},
        "references": [{"name": "r", "type": "index-pattern", "id": "missing"}]});
    let r = import_file(&c, "", &[ok.clone(), broken]);
    assert_eq!(r.status, 200, "{}", r.text);
    let body = r.json();
    assert_eq!(body["success"], false);
    assert_eq!(body["successCount"], 1, "reported, though not written");
    assert_eq!(body["errors"][0]["error"]["type"], "missing_references");
    assert_eq!(
        c.osd_json("GET", "/api/saved_objects/index-pattern/ip", None)
            .status,
        404,
        "nothing was written"
    );
    // A reference to a type other than index-pattern or search is not validated.
    let dash = json!({"type": "dashboard", "id": "d", "attributes": {"title": "D"},
        "references": [{"name": "panel_0", "type": "visualization", "id": "nowhere"}]});
    let r = import_file(&c, "", &[ok.clone(), dash]);
    assert_eq!(r.json()["success"], true, "{}", r.text);
    assert_eq!(
        c.osd_json("GET", "/api/saved_objects/dashboard/d", None)
            .status,
        200
    );
    // A conflict stops every write of the import.
    let other =
        json!({"type": "search", "id": "s", "attributes": {"title": "S"}, "references": []});
    let r = import_file(&c, "", &[ok.clone(), other]);
    assert_eq!(
        r.json()["errors"][0]["error"]["type"],
        "conflict",
        "{}",
        r.text
    );
    assert_eq!(
        c.osd_json("GET", "/api/saved_objects/search/s", None)
            .status,
        404
    );
    let r = import_file(&c, "", &[ok.clone(), ok]);
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        r.json()["message"],
        "Non-unique import objects detected: [index-pattern:ip]: Bad Request"
    );
}
