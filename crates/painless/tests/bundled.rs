//! Every Painless script and condition of the bundled pipelines
//! (`index-templates/*/*.pipeline.json.hbs`) compiles, and runs over realistic documents (a
//! CloudTrail record, a GuardDuty finding, a Security Hub finding, a VPC flow record, a syslog
//! line, a web access line) without a runtime error. The documents are what the processors
//! before each script have made of a raw event (fields moved under `aws.*`, `_tmp.*`...).

use std::path::PathBuf;

use painless::{Context, Options, Script, Value};

struct Found {
    pipeline: String,
    kind: &'static str,
    source: String,
    params: serde_json::Value,
}

fn render(text: &str) -> String {
    // The files are Handlebars around JSON; `\{{` is a literal Mustache `{{`.
    text.replace("{{json keep_raw_message}}", "true")
        .replace("{{time_zone}}", "UTC")
        .replace("{{index_prefix}}", "logs")
        .replace("\\{{", "{{")
}

fn walk(pipeline: &str, processors: &serde_json::Value, out: &mut Vec<Found>) {
    let Some(list) = processors.as_array() else {
        return;
    };
    for p in list {
        let Some(obj) = p.as_object() else { continue };
        for (kind, body) in obj {
            if let Some(cond) = body.get("if").and_then(|c| c.as_str()) {
                out.push(Found {
                    pipeline: pipeline.to_owned(),
                    kind: "if",
                    source: cond.to_owned(),
                    params: serde_json::Value::Null,
                });
            }
            if kind == "script" {
                if let Some(src) = body.get("source").and_then(|s| s.as_str()) {
                    out.push(Found {
                        pipeline: pipeline.to_owned(),
                        kind: "script",
                        source: src.to_owned(),
                        params: body
                            .get("params")
                            .cloned()
                            .unwrap_or(serde_json::Value::Null),
                    });
                }
            }
            if let Some(of) = body.get("on_failure") {
                walk(pipeline, of, out);
            }
            if kind == "foreach" {
                if let Some(inner) = body.get("processor") {
                    walk(
                        pipeline,
                        &serde_json::Value::Array(vec![inner.clone()]),
                        out,
                    );
                }
            }
        }
    }
}

fn bundled() -> Vec<Found> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../index-templates");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("index-templates")
        .filter_map(|e| e.ok())
        .collect();
    dirs.sort_by_key(|e| e.path());
    for dir in dirs {
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for f in files.filter_map(|e| e.ok()) {
            let name = f.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".pipeline.json.hbs") {
                continue;
            }
            let text = render(&std::fs::read_to_string(f.path()).expect("read pipeline"));
            let json: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            walk(&name, &json["processors"], &mut out);
            walk(&name, &json["on_failure"], &mut out);
        }
    }
    out
}

#[allow(clippy::result_large_err)]
fn compile(f: &Found) -> Result<Script, painless::ScriptError> {
    let options = Options {
        context: if f.kind == "if" {
            Context::IngestCondition
        } else {
            Context::Ingest
        },
        ..Options::default()
    };
    Script::compile(&f.source, &options)
}

#[test]
fn every_bundled_script_and_condition_compiles() {
    let found = bundled();
    assert!(
        found.len() >= 40,
        "found only {} scripts and conditions",
        found.len()
    );
    let mut failures = Vec::new();
    for f in &found {
        if let Err(e) = compile(f) {
            failures.push(format!(
                "{} {}: {}\n{}\n{}",
                f.pipeline,
                f.kind,
                e,
                e.script_stack.join("\n"),
                f.source
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The document each pipeline's scripts see (what the processors before them produce).
fn document(pipeline: &str) -> serde_json::Value {
    use serde_json::json;
    if pipeline.contains("cloudtrail") {
        let text = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/cloudtrail-record.json"),
        )
        .expect("cloudtrail sample");
        let record: serde_json::Value = serde_json::from_str(&text).expect("json");
        json!({"aws": {"cloudtrail": record}, "event": {}, "cloud": {}, "source": {"ip": "198.51.100.7"}})
    } else if pipeline.contains("guardduty") {
        let text = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/guardduty-finding.json"),
        )
        .expect("guardduty sample");
        let finding: serde_json::Value = serde_json::from_str(&text).expect("json");
        json!({"aws": {"guardduty": finding}, "event": {}, "cloud": {}})
    } else if pipeline.contains("securityhub") {
        let text = std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/securityhub-finding.json"),
        )
        .expect("securityhub sample");
        let finding: serde_json::Value = serde_json::from_str(&text).expect("json");
        json!({"aws": {"securityhub": finding}, "event": {}, "cloud": {}})
    } else if pipeline.contains("vpcflowlogs") {
        json!({
            "@message": "2 123456789012 eni-0a1b2c3d 10.0.1.5 203.0.113.12 49152 443 6 10 8400 1700000000 1700000060 ACCEPT OK",
            "source": {"ip": "10.0.1.5", "port": 49152, "bytes": "-"},
            "destination": {"ip": "203.0.113.12", "port": 443},
            "network": {"iana_number": "6", "bytes": 8400, "packets": 10},
            "cloud": {"account": {"id": "123456789012"}},
            "aws": {"vpcflowlogs": {"version": 2, "interface_id": "eni-0a1b2c3d", "log_status": "OK",
                                     "start": 1700000000, "end": 1700000060, "type": "-", "pkt_srcaddr": "-"}},
            "event": {"action": "ACCEPT"}
        })
    } else if pipeline.contains("linux-secure") {
        json!({
            "@message": "Mar  3 14:02:11 ip-10-0-1-5 sshd[4242]: Failed password for invalid user admin from 198.51.100.23 port 52144 ssh2",
            "_tmp": {"month": "Mar", "day": "3", "time": "14:02:11",
                     "msg": "Failed password for invalid user admin from 198.51.100.23 port 52144 ssh2"},
            "event": {"ingested": "2026-03-04T09:00:00.000Z"},
            "process": {"name": "sshd", "pid": 4242},
            "host": {"hostname": "ip-10-0-1-5"},
            "source": {"ip": "198.51.100.23", "port": 52144},
            "user": {"name": "admin"},
            "linux": {"secure": {"ssh": {"method": "password"}}}
        })
    } else {
        json!({
            "_index": "logs-web-nginx-2026.03.04",
            "@message": "203.0.113.9 - - [04/Mar/2026:10:00:00 +0000] \"GET /index.html?q=1 HTTP/1.1\" 200 512 \"-\" \"curl/8.0\"",
            "url": {"original": "https://example.com:8443/a/b/index.HTML?q=1"},
            "http": {"response": {"status_code": 404}},
            "source": {"ip": "203.0.113.9"},
            "web": {"forwarded_for": "198.51.100.1, 2001:db8::1, unknown"},
            "event": {}
        })
    }
}

#[test]
fn every_bundled_script_runs_on_a_realistic_document() {
    let found = bundled();
    let mut failures = Vec::new();
    let mut docs: std::collections::HashMap<String, Value> = std::collections::HashMap::new();
    for f in &found {
        let Ok(script) = compile(f) else { continue };
        let ctx = docs
            .entry(f.pipeline.clone())
            .or_insert_with(|| painless::value::from_json(&document(&f.pipeline)))
            .clone();
        let params = painless::value::from_json(&f.params);
        match script.execute(&params, Some(&ctx)) {
            Ok(v) => {
                if f.kind == "if" {
                    assert!(matches!(v, Value::Boolean(_)), "{}: {v:?}", f.source);
                }
            }
            Err(e) => failures.push(format!(
                "{} {}: {}\n{}\n{}",
                f.pipeline,
                f.kind,
                e,
                e.script_stack.join("\n"),
                f.source
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The scripts did their work on the documents they ran on.
    let gd = &docs["log-aws-guardduty.pipeline.json.hbs"];
    let json = painless::value::to_json(gd).expect("json");
    assert_eq!(json["source"]["ip"], "198.51.100.99", "{json}");
    assert_eq!(json["event"]["severity"], 8, "{json}");
    assert_eq!(json["rule"]["category"], "UnauthorizedAccess", "{json}");
    let ct = painless::value::to_json(&docs["log-aws-cloudtrail.pipeline.json.hbs"]).expect("json");
    assert_eq!(ct["event"]["action"], "ConsoleLogin", "{ct}");
    assert_eq!(ct["event"]["outcome"], "failure", "{ct}");
    assert_eq!(ct["user"]["name"], "alice", "{ct}");
    let web = painless::value::to_json(&docs["log-web.pipeline.json.hbs"]).expect("json");
    assert_eq!(web["url"]["extension"], "html", "{web}");
    assert_eq!(web["web"]["status_class"], "4xx", "{web}");
    assert_eq!(web["@log_type"], "web-nginx", "{web}");
}
