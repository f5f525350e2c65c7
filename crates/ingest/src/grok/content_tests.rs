//! The grok and date processors of the bundled pipelines (`index-templates/*/*.pipeline.json.hbs`)
//! built with this engine and run over real lines: the reference raw logs in
//! `shared/reference/raw-logs/` (read in place, not copied) and hand-written lines in the same
//! formats (documentation addresses).

use std::path::{Path, PathBuf};

use serde_json::{json, Value as Json};

use crate::grok::testing::build;
use crate::processor::{Outcome, Processor, Run};
use crate::test_support::{doc, source};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `shared/reference/raw-logs`, beside the checkout or above it (as CI lays it out).
fn raw_logs() -> PathBuf {
    if let Ok(dir) = std::env::var("SIEMCTL_RAW_LOGS_DIR") {
        return PathBuf::from(dir);
    }
    let mut dir = repo_root().canonicalize().expect("repository root");
    loop {
        for candidate in [dir.join("shared"), dir.join("..").join("shared")] {
            let logs = candidate.join("reference").join("raw-logs");
            if logs.is_dir() {
                return logs;
            }
        }
        if !dir.pop() {
            panic!("shared/reference/raw-logs not found: set SIEMCTL_RAW_LOGS_DIR");
        }
    }
}

/// The `grok` and `date` processor bodies of a bundled pipeline, in order, with the common
/// options that need other parts of the engine (`if`, `on_failure`) left out and the
/// Handlebars variable `{{time_zone}}` rendered as siemctl.toml's default (UTC).
fn processors_of(pipeline: &str, kind: &str) -> Vec<Json> {
    let path = repo_root().join("index-templates").join(pipeline);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let text = text.replace("{{time_zone}}", "UTC");
    let needle = format!("\"{kind}\": {{");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(&needle) {
        let start = from + at + needle.len() - 1;
        let mut depth = 0;
        let mut end = start;
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in text[start..].char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let mut body: Json = serde_json::from_str(&text[start..end])
            .unwrap_or_else(|e| panic!("{pipeline} {kind}: {e}"));
        if let Some(map) = body.as_object_mut() {
            for key in ["if", "on_failure", "ignore_failure", "description", "tag"] {
                map.remove(key);
            }
        }
        out.push(body);
        from = end;
    }
    out
}

fn run(p: &dyn Processor, source_json: Json) -> Result<Json, String> {
    let mut d = doc(source_json);
    match p.execute(&mut d, &mut Run::detached()) {
        Ok(Outcome::Continue) => Ok(source(&d)),
        Ok(Outcome::Drop) => Err("dropped".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn every_bundled_grok_and_date_processor_builds() {
    let mut count = 0;
    for pipeline in [
        "aws-cloudtrail/log-aws-cloudtrail.pipeline.json.hbs",
        "aws-guardduty/log-aws-guardduty.pipeline.json.hbs",
        "aws-securityhub/log-aws-securityhub.pipeline.json.hbs",
        "aws-vpcflowlogs/log-aws-vpcflowlogs.pipeline.json.hbs",
        "linux-secure/log-linux-secure.pipeline.json.hbs",
        "web/log-web.pipeline.json.hbs",
    ] {
        for kind in ["grok", "date", "date_index_name"] {
            for body in processors_of(pipeline, kind) {
                build(kind, body);
                count += 1;
            }
        }
    }
    assert_eq!(
        count, 21,
        "grok and date processors in the bundled pipelines"
    );
}

fn web_processors() -> (Box<dyn Processor>, Box<dyn Processor>) {
    let grok = processors_of("web/log-web.pipeline.json.hbs", "grok");
    let date = processors_of("web/log-web.pipeline.json.hbs", "date");
    assert_eq!((grok.len(), date.len()), (1, 1));
    (
        build("grok", grok[0].clone()),
        build("date", date[0].clone()),
    )
}

#[test]
fn web_pipeline_parses_every_apache_and_nginx_reference_line() {
    let (grok, date) = web_processors();
    let mut failures = Vec::new();
    let mut lines = 0;
    for file in ["apache.log", "nginx.log"] {
        let text = std::fs::read_to_string(raw_logs().join(file)).expect("raw log");
        for line in text.lines().filter(|l| !l.is_empty()) {
            lines += 1;
            match run(grok.as_ref(), json!({"@message": line})) {
                Err(e) => failures.push(format!("{file}: grok: {e}: {line}")),
                Ok(s) => {
                    if s["source"]["ip"].is_null() && s["source"]["domain"].is_null() {
                        failures.push(format!("{file}: no client: {line}"));
                    }
                    if !s["http"]["response"]["status_code"].is_i64() {
                        failures.push(format!("{file}: no status: {line}"));
                    }
                    if let Err(e) = run(date.as_ref(), s) {
                        failures.push(format!("{file}: date: {e}: {line}"));
                    }
                }
            }
        }
    }
    assert_eq!(lines, 3408);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn web_pipeline_fields_of_combined_and_common_lines() {
    let (grok, date) = web_processors();
    let s = run(
        grok.as_ref(),
        json!({"@message": "192.0.2.10 - alice [26/Nov/2026:09:08:01 +0900] \"GET /index.html?q=1 HTTP/1.1\" 200 5120 \"https://example.com/\" \"Mozilla/5.0 (X11; Linux x86_64)\" \"198.51.100.7\""}),
    )
    .unwrap();
    assert_eq!(s["source"]["ip"], "192.0.2.10");
    assert_eq!(s["user"]["name"], "alice");
    assert_eq!(s["http"]["request"]["method"], "GET");
    assert_eq!(s["url"]["original"], "/index.html?q=1");
    assert_eq!(s["http"]["version"], "1.1");
    assert_eq!(s["http"]["response"]["status_code"], 200);
    assert_eq!(s["http"]["response"]["body"]["bytes"], 5120);
    assert_eq!(s["http"]["request"]["referrer"], "https://example.com/");
    assert_eq!(
        s["user_agent"]["original"],
        "Mozilla/5.0 (X11; Linux x86_64)"
    );
    assert_eq!(s["web"]["forwarded_for"], "198.51.100.7");
    let d = run(date.as_ref(), s).unwrap();
    assert_eq!(d["@timestamp"], "2026-11-26T00:08:01.000Z");
    // Common log format, no body size.
    let s = run(
        grok.as_ref(),
        json!({"@message": "www.example.org - - [01/Dec/2026:00:00:00 -0500] \"POST /login HTTP/1.0\" 302 -"}),
    )
    .unwrap();
    assert_eq!(s["source"]["domain"], "www.example.org");
    assert!(s["http"]["response"]["body"].is_null());
    let d = run(date.as_ref(), s).unwrap();
    assert_eq!(d["@timestamp"], "2026-12-01T05:00:00.000Z");
}

fn linux_processors() -> Vec<Box<dyn Processor>> {
    processors_of("linux-secure/log-linux-secure.pipeline.json.hbs", "grok")
        .into_iter()
        .map(|b| build("grok", b))
        .collect()
}

#[test]
fn linux_secure_syslog_header_and_messages() {
    let g = linux_processors();
    assert_eq!(g.len(), 5);
    let header = &g[0];
    let s = run(
        header.as_ref(),
        json!({"@message": "Nov  5 09:08:01 web-1 sshd[1234]: Failed password for invalid user admin from 192.0.2.44 port 51234 ssh2"}),
    )
    .unwrap();
    assert_eq!(s["_tmp"]["month"], "Nov");
    assert_eq!(s["_tmp"]["day"], "5");
    assert_eq!(s["_tmp"]["time"], "09:08:01");
    assert_eq!(s["host"]["hostname"], "web-1");
    assert_eq!(s["process"]["name"], "sshd");
    assert_eq!(s["process"]["pid"], 1234);
    let s = run(g[1].as_ref(), s).unwrap();
    assert_eq!(s["linux"]["secure"]["ssh"]["method"], "password");
    assert_eq!(s["user"]["name"], "admin");
    assert_eq!(s["source"]["ip"], "192.0.2.44");
    assert_eq!(s["source"]["port"], 51234);

    let sshd = |msg: &str| run(g[1].as_ref(), json!({"_tmp": {"msg": msg}})).unwrap();
    let s = sshd("Accepted publickey for deploy from 198.51.100.3 port 40022 ssh2: RSA SHA256:abcdefghijklmnop");
    assert_eq!(s["user"]["name"], "deploy");
    assert_eq!(s["linux"]["secure"]["ssh"]["key_type"], "RSA");
    assert_eq!(
        s["linux"]["secure"]["ssh"]["key_fingerprint"],
        "SHA256:abcdefghijklmnop"
    );
    let s = sshd("Invalid user test from 192.0.2.50 port 40000");
    assert_eq!(s["user"]["name"], "test");
    assert_eq!(s["source"]["port"], 40000);
    let s = sshd("Disconnected from authenticating user root 192.0.2.51 port 40001 [preauth]");
    assert_eq!(s["user"]["name"], "root");
    assert_eq!(s["source"]["ip"], "192.0.2.51");
    let s = sshd("Connection closed by 192.0.2.52 port 40002 [preauth]");
    assert_eq!(s["source"]["ip"], "192.0.2.52");
    let s = sshd("Received disconnect from 192.0.2.53 port 40003:11: disconnected by user");
    assert_eq!(s["source"]["port"], 40003);
    let s = sshd("Did not receive identification string from 192.0.2.54 port 40004");
    assert_eq!(s["source"]["ip"], "192.0.2.54");
    let s = sshd("Connection from 192.0.2.55 port 40005 on 198.51.100.1 port 22 rdomain \"\"");
    assert_eq!(s["destination"]["port"], 22);

    let pam = |msg: &str| run(g[2].as_ref(), json!({"_tmp": {"msg": msg}})).unwrap();
    let s = pam("pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)");
    assert_eq!(s["linux"]["secure"]["pam"]["service"], "sshd");
    assert_eq!(s["_tmp"]["session"], "opened");
    assert_eq!(s["user"]["name"], "deploy");
    let s = pam("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.60  user=root");
    assert_eq!(s["source"]["ip"], "192.0.2.60");
    assert_eq!(s["user"]["name"], "root");
    let s = pam("pam_unix(passwd:chauthtok): password changed for alice");
    assert_eq!(s["user"]["target"]["name"], "alice");

    let s = run(
        g[3].as_ref(),
        json!({"_tmp": {"msg": "  alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx"}}),
    )
    .unwrap();
    assert_eq!(s["user"]["name"], "alice");
    assert_eq!(s["user"]["target"]["name"], "root");
    assert_eq!(
        s["process"]["command_line"],
        "/usr/bin/systemctl restart nginx"
    );

    let s = run(
        g[4].as_ref(),
        json!({"_tmp": {"msg": "new user: name=bob, UID=1002, GID=1002, home=/home/bob, shell=/bin/bash, from=/dev/pts/0"}}),
    )
    .unwrap();
    assert_eq!(s["user"]["target"]["name"], "bob");

    // RFC 3339 header, then the ISO8601 date processor in the configured zone.
    let s = run(
        header.as_ref(),
        json!({"@message": "2026-11-26T09:08:01.123456+09:00 web-1 sudo: alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/true"}),
    )
    .unwrap();
    assert_eq!(s["_tmp"]["iso_time"], "2026-11-26T09:08:01.123456+09:00");
    let date = processors_of("linux-secure/log-linux-secure.pipeline.json.hbs", "date");
    let date = build("date", date[0].clone());
    let d = run(date.as_ref(), s).unwrap();
    assert_eq!(d["@timestamp"], "2026-11-26T00:08:01.123Z");
    // A line without program: the third header pattern.
    let s = run(
        header.as_ref(),
        json!({"@message": "Nov 26 09:08:01 web-1 -- MARK --"}),
    )
    .unwrap();
    assert_eq!(s["_tmp"]["msg"], "-- MARK --");
}

#[test]
fn vpc_flow_log_start_and_end_as_unix_seconds() {
    let date = processors_of(
        "aws-vpcflowlogs/log-aws-vpcflowlogs.pipeline.json.hbs",
        "date",
    );
    assert_eq!(date.len(), 3);
    let processors: Vec<_> = date.into_iter().map(|b| build("date", b)).collect();
    let text = std::fs::read_to_string(raw_logs().join("amazon_vpc_flow_v2.log")).unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(' ').collect();
        if f[10] == "-" {
            continue;
        }
        // The pipeline reads them as numbers (convert) or strings: both parse.
        let start: i64 = f[10].parse().unwrap();
        let end: i64 = f[11].parse().unwrap();
        let mut s = json!({"aws": {"vpcflowlogs": {"start": start, "end": f[11]}}});
        for p in &processors {
            s = run(p.as_ref(), s).unwrap();
        }
        let at = |v: &Json| -> i64 {
            crate::date::parse_with_format("strict_date_optional_time", v.as_str().unwrap())
                .unwrap()
                .epoch_millis()
                .unwrap()
        };
        assert_eq!(at(&s["@timestamp"]), end * 1000);
        assert_eq!(at(&s["event"]["start"]), start * 1000);
        checked += 1;
    }
    assert!(checked > 10);
}

#[test]
fn cloudtrail_event_time_and_source_ip() {
    let grok = processors_of(
        "aws-cloudtrail/log-aws-cloudtrail.pipeline.json.hbs",
        "grok",
    );
    let grok = build("grok", grok[0].clone());
    let date = processors_of(
        "aws-cloudtrail/log-aws-cloudtrail.pipeline.json.hbs",
        "date",
    );
    let date = build("date", date[0].clone());
    let record: Json = serde_json::from_str(
        &std::fs::read_to_string(raw_logs().join("aws_cloudtrail.json")).unwrap(),
    )
    .unwrap();
    let event_time = record["eventTime"].as_str().unwrap();
    let s = run(
        date.as_ref(),
        json!({"aws": {"cloudtrail": {"eventTime": event_time}}}),
    )
    .unwrap();
    assert_eq!(s["@timestamp"], "2024-05-22T06:35:54.000Z");
    // A service name or a masked address is not an IP: the grok fails (ignore_failure upstream).
    let masked = record["sourceIPAddress"].as_str().unwrap();
    assert!(run(
        grok.as_ref(),
        json!({"aws": {"cloudtrail": {"sourceIPAddress": masked}}})
    )
    .is_err());
    for (value, ip) in [
        ("198.51.100.20", "198.51.100.20"),
        ("2001:db8::1", "2001:db8::1"),
    ] {
        let s = run(
            grok.as_ref(),
            json!({"aws": {"cloudtrail": {"sourceIPAddress": value}}}),
        )
        .unwrap();
        assert_eq!(s["source"]["ip"], ip);
    }
    assert!(run(
        grok.as_ref(),
        json!({"aws": {"cloudtrail": {"sourceIPAddress": "ec2.amazonaws.com"}}})
    )
    .is_err());
}
