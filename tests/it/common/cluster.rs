//! A content directory plus a cluster emulator, and siemctl pointed at both.

use std::process::{Child, Command, Stdio};

use cluster_emulator::{Emulator, Options};
use serde_json::{json, Value};

use super::{Run, TestContext};

pub(crate) struct ClusterContext {
    pub(crate) content: TestContext,
    pub(crate) emulator: Emulator,
    http: reqwest::blocking::Client,
}

impl ClusterContext {
    pub(crate) fn new(fixture: &str) -> Self {
        Self::with_options(fixture, Options::default())
    }

    pub(crate) fn with_options(fixture: &str, options: Options) -> Self {
        ClusterContext {
            content: TestContext::fixture(fixture),
            emulator: Emulator::start(options).expect("start the emulator"),
            http: reqwest::blocking::Client::new(),
        }
    }

    /// The bundled content and an emulator.
    pub(crate) fn bundled() -> Self {
        ClusterContext {
            content: TestContext::bundled(),
            emulator: Emulator::start(Options::default()).expect("start the emulator"),
            http: reqwest::blocking::Client::new(),
        }
    }

    /// `POST /_bulk?refresh=true` with an NDJSON body, as a shipper sends it; the response body.
    pub(crate) fn bulk(&self, ndjson: &str) -> Value {
        let response = self
            .http
            .post(format!(
                "{}/_bulk?refresh=true",
                self.emulator.opensearch_url()
            ))
            .header("content-type", "application/x-ndjson")
            .body(ndjson.to_string())
            // Thousands of events through the pipelines: far more than the client's default 30 s
            // on a loaded machine.
            .timeout(std::time::Duration::from_secs(600))
            .send()
            .unwrap();
        let status = response.status();
        let text = response.text().unwrap();
        assert!(status.is_success(), "_bulk: {status} {text}");
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("_bulk answered non-JSON ({e}): {text}"))
    }

    /// siemctl with the emulator's URLs in the environment (as CI would set them).
    pub(crate) fn siemctl(&self, args: &[&str]) -> Run {
        self.siemctl_env(args, &[])
    }

    pub(crate) fn siemctl_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all_env = vec![
            ("SIEMCTL_OPENSEARCH_URL", self.emulator.opensearch_url()),
            ("SIEMCTL_DASHBOARDS_URL", self.emulator.dashboards_url()),
        ];
        all_env.extend_from_slice(env);
        let run = super::run_with_env(self.content.path(), args, &all_env);
        Run {
            stdout: self.scrub(&run.stdout),
            stderr: self.scrub(&run.stderr),
            ..run
        }
    }

    /// siemctl on a terminal of its own (stdin too), with the emulator's URLs in the
    /// environment: a test answers its question.
    pub(crate) fn terminal(&self, args: &[&str]) -> super::terminal::Terminal {
        super::terminal::Terminal::spawn(
            self.content.path(),
            args,
            &[
                ("SIEMCTL_OPENSEARCH_URL", self.emulator.opensearch_url()),
                ("SIEMCTL_DASHBOARDS_URL", self.emulator.dashboards_url()),
            ],
        )
    }

    /// The cluster matches the content: `plan --detailed-exitcode` exits 0, nothing to change.
    pub(crate) fn assert_converged(&self) {
        let run = self.siemctl(&["plan", "--detailed-exitcode"]);
        assert_eq!(run.code, 0, "converged: {}", run.snapshot());
    }

    /// Starts siemctl without waiting for it.
    pub(crate) fn spawn(&self, args: &[&str]) -> Child {
        let mut command = Command::new(env!("CARGO_BIN_EXE_siemctl"));
        command
            .args(args)
            .current_dir(self.content.path())
            .env("NO_COLOR", "1")
            .env("SIEMCTL_OPENSEARCH_URL", self.emulator.opensearch_url())
            .env("SIEMCTL_DASHBOARDS_URL", self.emulator.dashboards_url())
            .env_remove("CI")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command.spawn().expect("spawn siemctl")
    }

    fn scrub(&self, text: &str) -> String {
        text.replace(self.emulator.opensearch_url(), "[OPENSEARCH]")
            .replace(self.emulator.dashboards_url(), "[DASHBOARDS]")
    }

    /// `GET /_emulator/stats`.
    pub(crate) fn stats(&self) -> Value {
        self.http
            .get(format!(
                "{}/_emulator/stats",
                self.emulator.opensearch_url()
            ))
            .send()
            .unwrap()
            .json()
            .unwrap()
    }

    /// Requests that change something, as `METHOD route` strings. `_bulk_get` and `_mget` are
    /// POSTs that only read, so they are not among them.
    pub(crate) fn writes(&self) -> Vec<String> {
        self.stats()["by_route"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                !matches!(r["method"].as_str(), Some("GET" | "HEAD"))
                    && r["route"] != "/api/saved_objects/_bulk_get"
                    && r["route"] != "/{index}/_mget"
            })
            .map(|r| {
                format!(
                    "{} {} x{}",
                    r["method"].as_str().unwrap(),
                    r["route"].as_str().unwrap(),
                    r["count"]
                )
            })
            .collect()
    }

    /// Waits (up to 20 s) until the emulator has received a request on `route` with `method`,
    /// so that tests act at a known step of a running apply instead of after a guessed delay.
    pub(crate) fn wait_for_request(&self, method: &str, route: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            let seen = self.stats()["by_route"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["method"] == method && r["route"] == route);
            if seen {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("no {method} {route} within 20 s");
    }

    pub(crate) fn total_requests(&self) -> u64 {
        self.stats()["total"].as_u64().unwrap()
    }

    /// Zeroes the counters only: the emulator's reset also empties its state, so the
    /// counters are read before and after instead.
    pub(crate) fn faults(&self, rules: Value) {
        let response = self
            .http
            .post(format!(
                "{}/_emulator/faults",
                self.emulator.opensearch_url()
            ))
            .json(&rules)
            .send()
            .unwrap();
        assert!(
            response.status().is_success(),
            "{}",
            response.text().unwrap()
        );
    }

    /// Waits (up to 20 s) until every fault rule has been used: a rule is taken when its
    /// request arrives, so with a `latency_ms` rule the test acts while that request is held.
    pub(crate) fn wait_for_faults_used(&self) {
        let url = format!("{}/_emulator/faults", self.emulator.opensearch_url());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            let rules: Value = self.http.get(&url).send().unwrap().json().unwrap();
            let left = rules
                .as_array()
                .or_else(|| rules["rules"].as_array())
                .map_or(0, Vec::len);
            if left == 0 {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("fault rules not used within 20 s");
    }

    /// Removes every fault rule still waiting.
    pub(crate) fn clear_faults(&self) {
        let url = format!("{}/_emulator/faults", self.emulator.opensearch_url());
        assert!(self.http.delete(url).send().unwrap().status().is_success());
    }

    /// A request to Dashboards as a user of the UI would send it.
    pub(crate) fn dashboards(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        tenant: &str,
    ) -> Value {
        let url = format!("{}{path}", self.emulator.dashboards_url());
        let mut request = self
            .http
            .request(method.parse().unwrap(), url)
            .header("osd-xsrf", "true")
            .header("securitytenant", tenant);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().unwrap();
        let status = response.status();
        let text = response.text().unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// `PUT /api/saved_objects/{kind}/{id}` with new `attributes`, in the `global` tenant, as
    /// a user saving the object in Dashboards does.
    pub(crate) fn edit_in_dashboards(&self, kind: &str, id: &str, attributes: Value) -> Value {
        self.dashboards(
            "PUT",
            &format!("/api/saved_objects/{kind}/{id}"),
            Some(json!({ "attributes": attributes })),
            "global",
        )
    }

    pub(crate) fn opensearch(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(
            method.parse().unwrap(),
            format!("{}{path}", self.emulator.opensearch_url()),
        );
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().unwrap();
        let status = response.status().as_u16();
        (status, response.json().unwrap_or(Value::Null))
    }

    pub(crate) fn saved_object(&self, saved_object_type: &str, id: &str, tenant: &str) -> Value {
        self.dashboards(
            "GET",
            &format!("/api/saved_objects/{saved_object_type}/{id}"),
            None,
            tenant,
        )
    }

    /// What a person opening Dashboards in the tenant does to the saved objects.
    pub(crate) fn ui_visit(&self, tenant: &str) {
        let response = self
            .http
            .post(format!(
                "{}/_emulator/ui-visit",
                self.emulator.dashboards_url()
            ))
            .json(&json!({ "tenant": tenant }))
            .send()
            .unwrap();
        assert!(response.status().is_success());
    }
}
