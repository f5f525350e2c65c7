use std::io::{Read, Write};

use cluster_emulator::Options;
use serde_json::json;

use crate::common::Ctx;

#[test]
fn stats_count_routes_and_writes_but_not_admin() {
    let c = Ctx::new();
    c.os_json(
        "PUT",
        "/_index_template/a",
        Some(json!({"index_patterns": ["a-*"]})),
    );
    c.os_json("GET", "/_index_template/a", None);
    c.os_json("GET", "/_index_template/a", None);
    c.osd_json("GET", "/api/status", None);
    let s = c.stats();
    assert_eq!(
        (s["total"].as_u64(), s["writes"].as_u64()),
        (Some(4), Some(1))
    );
    let routes = s["by_route"].as_array().unwrap();
    assert!(routes.iter().any(|r| r["method"] == "GET"
        && r["route"] == "/_index_template/{name}"
        && r["count"] == 2));
    assert!(routes
        .iter()
        .any(|r| r["method"] == "GET" && r["route"] == "/api/status" && r["count"] == 1));
    let r = c.send(c.os("POST", "/_emulator/reset"));
    assert_eq!(r.status, 200);
    assert_eq!(c.stats()["total"], 0);
    assert_eq!(c.os_json("GET", "/_index_template/a", None).status, 404);
}

#[test]
fn status_faults_with_retry_after() {
    let c = Ctx::new();
    let r = c.os_json("POST", "/_emulator/faults", Some(json!([{"method": "PUT", "path": "/_index_template/*", "count": 2, "status": 429, "retry_after": 2}])));
    assert_eq!(r.status, 200, "{}", r.text);
    let body = json!({"index_patterns": ["a-*"]});
    let first = c.os_json("PUT", "/_index_template/a", Some(body.clone()));
    assert_eq!(first.status, 429);
    assert_eq!(first.headers["retry-after"], "2");
    assert_eq!(
        c.os_json("PUT", "/_index_template/a", Some(body.clone()))
            .status,
        429
    );
    assert_eq!(
        c.os_json("PUT", "/_index_template/a", Some(body)).status,
        200
    );
    c.os_json(
        "POST",
        "/_emulator/faults",
        Some(json!({"path": "/api/status", "status": 503})),
    );
    assert_eq!(c.osd_json("GET", "/api/status", None).status, 503);
    assert_eq!(c.osd_json("GET", "/api/status", None).status, 200);
}

fn raw_request(addr: &str, request: &str) -> std::io::Result<Vec<u8>> {
    let mut s = std::net::TcpStream::connect(addr)?;
    s.write_all(request.as_bytes())?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    Ok(out)
}

#[test]
fn dropped_connections_before_and_after_applying() {
    let c = Ctx::new();
    c.os_json(
        "POST",
        "/_emulator/faults",
        Some(json!([
            {"method": "PUT", "path": "/_ingest/pipeline/before", "drop_before": true},
            {"method": "PUT", "path": "/_ingest/pipeline/after", "drop_after": true}
        ])),
    );
    let addr = c
        .emu
        .opensearch_url()
        .trim_start_matches("http://")
        .to_string();
    let body = "{\"processors\":[]}";
    for id in ["before", "after"] {
        let req = format!("PUT /_ingest/pipeline/{id} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
        let out = raw_request(&addr, &req).unwrap_or_default();
        assert!(
            out.is_empty(),
            "expected no response, got {}",
            String::from_utf8_lossy(&out)
        );
    }
    assert_eq!(
        c.os_json("GET", "/_ingest/pipeline/before", None).status,
        404
    );
    assert_eq!(
        c.os_json("GET", "/_ingest/pipeline/after", None).status,
        200
    );
}

#[test]
fn latency_fault_delays() {
    let c = Ctx::new();
    c.os_json(
        "POST",
        "/_emulator/faults",
        Some(json!({"path": "/", "latency_ms": 300})),
    );
    let t = std::time::Instant::now();
    assert_eq!(c.os_json("GET", "/", None).status, 200);
    assert!(t.elapsed().as_millis() >= 300);
}

#[test]
fn basic_auth_gives_real_401s() {
    let c = Ctx::with(Options {
        basic_auth: Some(("admin".into(), "secret".into())),
        ..Options::default()
    });
    let r = c.os_json("GET", "/", None);
    assert_eq!(r.status, 401);
    assert_eq!(
        r.headers["www-authenticate"],
        "Basic realm=\"OpenSearch Security\""
    );
    assert_eq!(
        c.send(c.os("GET", "/").basic_auth("admin", Some("secret")))
            .status,
        200
    );
    assert_eq!(
        c.send(c.os("GET", "/").basic_auth("admin", Some("wrong")))
            .status,
        401
    );
    let d = c.osd_json("GET", "/api/status", None);
    assert_eq!(d.status, 401);
    assert_eq!(
        d.json(),
        json!({"statusCode": 401, "error": "Unauthorized", "message": "Authentication required"})
    );
    assert_eq!(
        c.send(
            c.osd("GET", "/api/status")
                .basic_auth("admin", Some("secret"))
        )
        .status,
        200
    );
    // Admin endpoints need no credentials.
    assert_eq!(c.send(c.os("GET", "/_emulator/stats")).status, 200);
}

#[test]
fn admin_endpoints_on_dashboards_port_under_base_path_and_root() {
    let c = Ctx::with(Options {
        dashboards_base_path: Some("/_dashboards".into()),
        ..Options::default()
    });
    let root = c
        .emu
        .dashboards_url()
        .trim_end_matches("/_dashboards")
        .to_string();
    assert_eq!(
        c.send(c.http.get(format!("{root}/_emulator/stats"))).status,
        200
    );
    assert_eq!(
        c.send(
            c.http
                .get(format!("{}/_emulator/stats", c.emu.dashboards_url()))
        )
        .status,
        200
    );
}

#[test]
fn content_types_are_checked_like_the_servers_do() {
    let c = Ctx::new();
    let r = c.send(
        c.os("PUT", "/_ingest/pipeline/p")
            .body("{\"processors\":[]}"),
    );
    assert_eq!(
        (r.status, r.json()),
        (
            406,
            json!({"error": "Content-Type header is missing", "status": 406})
        )
    );
    let r = c.send(
        c.os("PUT", "/_ingest/pipeline/p")
            .header("content-type", "text/plain")
            .body("{\"processors\":[]}"),
    );
    assert_eq!(
        r.json()["error"],
        "Content-Type header [text/plain] is not supported"
    );
    let r = c.send(
        c.osd("POST", "/api/saved_objects/index-pattern/x")
            .header("content-type", "text/plain")
            .body("{\"attributes\":{}}"),
    );
    assert_eq!(r.status, 415);
}

#[test]
fn the_binary_prints_one_json_line_with_both_urls() {
    use std::io::BufRead as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cluster-emulator"))
        .args([
            "--opensearch",
            "127.0.0.1:0",
            "--dashboards",
            "127.0.0.1:0",
            "--dashboards-base-path",
            "/_dashboards",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("line");
    let v: serde_json::Value = serde_json::from_str(&line).expect("json line");
    let os = v["opensearch"].as_str().unwrap().to_string();
    let osd = v["dashboards"].as_str().unwrap().to_string();
    assert!(
        os.starts_with("http://127.0.0.1:") && osd.ends_with("/_dashboards"),
        "{line}"
    );
    let http = reqwest::blocking::Client::new();
    assert_eq!(http.get(&os).send().unwrap().status(), 200);
    assert_eq!(
        http.get(format!("{osd}/api/status"))
            .send()
            .unwrap()
            .status(),
        200
    );
    child.kill().ok();
    child.wait().ok();
}
