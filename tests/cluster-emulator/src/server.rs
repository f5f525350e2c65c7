//! The two HTTP listeners, and what sits in front of the emulated APIs: basic auth, the Dashboards
//! base path, request statistics, fault injection, latency and the `/_emulator/` admin endpoints.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::dashboards::Dashboards;
use crate::http::{boom, simple_match, Body, OsError, Req, Resp};
use crate::opensearch::Cluster;
use crate::request_log::RequestLog;
use crate::Options;

/// Which of the two emulated servers a listener plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Server {
    OpenSearch,
    Dashboards,
}

impl Server {
    fn name(self) -> &'static str {
        match self {
            Server::OpenSearch => "opensearch",
            Server::Dashboards => "dashboards",
        }
    }
}

/// Everything both listeners share.
pub(crate) struct Shared {
    pub(crate) options: Options,
    pub(crate) cluster: Mutex<Cluster>,
    pub(crate) dashboards: Mutex<Dashboards>,
    stats: Mutex<Stats>,
    faults: Mutex<Vec<FaultRule>>,
    pub(crate) requests: Mutex<RequestLog>,
}

impl Shared {
    pub(crate) fn new(options: Options) -> Shared {
        Shared {
            cluster: Mutex::new(Cluster::new(&options)),
            dashboards: Mutex::new(Dashboards::new(&options)),
            options,
            stats: Mutex::new(Stats::default()),
            faults: Mutex::new(Vec::new()),
            requests: Mutex::new(RequestLog::new()),
        }
    }

    fn reset(&self) {
        *lock(&self.cluster) = Cluster::new(&self.options);
        *lock(&self.dashboards) = Dashboards::new(&self.options);
        *lock(&self.stats) = Stats::default();
        lock(&self.faults).clear();
        lock(&self.requests).clear();
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[derive(Default)]
struct Stats {
    total: u64,
    writes: u64,
    by_route: BTreeMap<(String, String, String), u64>,
}

impl Stats {
    fn to_value(&self) -> Value {
        let by_route: Vec<Value> = self
            .by_route
            .iter()
            .map(|((server, route, method), count)| {
                json!({"server": server, "method": method, "route": route, "count": count})
            })
            .collect();
        json!({"total": self.total, "writes": self.writes, "by_route": by_route})
    }
}

/// One fault rule, as posted to `/_emulator/faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultRule {
    #[serde(default)]
    server: Option<String>,
    #[serde(default)]
    method: Option<String>,
    path: String,
    #[serde(default = "one")]
    count: u64,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    retry_after: Option<u64>,
    #[serde(default)]
    latency_ms: Option<u64>,
    #[serde(default)]
    drop_before: bool,
    #[serde(default)]
    drop_after: bool,
}

fn one() -> u64 {
    1
}

impl FaultRule {
    fn validate(&self) -> Result<(), String> {
        let actions = usize::from(self.status.is_some())
            + usize::from(self.latency_ms.is_some())
            + usize::from(self.drop_before)
            + usize::from(self.drop_after);
        if actions != 1 {
            return Err(
                "each rule needs exactly one of status, latency_ms, drop_before, drop_after".into(),
            );
        }
        if let Some(s) = self.status {
            if ![429, 500, 502, 503, 504].contains(&s) {
                return Err(format!("status {s} is not one of 429, 500, 502, 503, 504"));
            }
        }
        if let Some(s) = &self.server {
            if s != "opensearch" && s != "dashboards" {
                return Err(format!("server `{s}` is neither opensearch nor dashboards"));
            }
        }
        Ok(())
    }

    fn matches(&self, server: Server, method: &str, path: &str) -> bool {
        self.server.as_deref().is_none_or(|s| s == server.name())
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && simple_match(&self.path, path)
    }

    fn to_value(&self) -> Value {
        let mut v = json!({"path": self.path, "count": self.count});
        let m = v.as_object_mut().expect("object");
        if let Some(s) = &self.server {
            m.insert("server".into(), json!(s));
        }
        if let Some(x) = &self.method {
            m.insert("method".into(), json!(x));
        }
        if let Some(x) = self.status {
            m.insert("status".into(), json!(x));
        }
        if let Some(x) = self.retry_after {
            m.insert("retry_after".into(), json!(x));
        }
        if let Some(x) = self.latency_ms {
            m.insert("latency_ms".into(), json!(x));
        }
        if self.drop_before {
            m.insert("drop_before".into(), json!(true));
        }
        if self.drop_after {
            m.insert("drop_after".into(), json!(true));
        }
        v
    }
}

#[derive(Debug, Clone, Copy)]
enum Fault {
    Status(u16, u64),
    Latency(u64),
    DropBefore,
    DropAfter,
}

/// The error a service returns to make hyper close the connection without a response.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a fault rule")
    }
}

impl std::error::Error for DropConnection {}

/// Accepts connections on `listener` until the runtime shuts down.
pub(crate) async fn serve(listener: tokio::net::TcpListener, shared: Arc<Shared>, server: Server) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors or a transient error: back off instead of spinning.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let svc = service_fn(move |req| handle(shared.clone(), server, req));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(io, svc)
                .await;
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    server: Server,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, DropConnection> {
    let started = lock(&shared.requests).start();
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Err(DropConnection),
    };
    let method = parts.method.as_str().to_string();
    let raw_path = parts.uri.path().to_string();
    let query = parse_query(parts.uri.query().unwrap_or(""));
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();

    // Strip the Dashboards base path; admin endpoints are also served at the root.
    let mut api_path = raw_path.clone();
    let mut outside_base = false;
    if server == Server::Dashboards {
        if let Some(base) = shared.options.dashboards_base_path.as_deref() {
            if raw_path == base || raw_path.starts_with(&format!("{base}/")) {
                api_path = raw_path[base.len()..].to_string();
                if api_path.is_empty() {
                    api_path = "/".into();
                }
            } else {
                outside_base = true;
            }
        }
    }
    let segments: Vec<String> = api_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let req = Req {
        method: method.clone(),
        segments,
        query,
        headers,
        body,
    };

    // Admin endpoints: never counted, never faulted, no auth.
    let admin_segments: Option<Vec<String>> = if req.seg(0) == "_emulator" {
        Some(req.segments.clone())
    } else if outside_base && raw_path.starts_with("/_emulator") {
        Some(
            raw_path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        )
    } else {
        None
    };
    if let Some(segs) = admin_segments {
        return Ok(to_hyper(admin(&shared, &req, &segs), &method));
    }
    let route = if outside_base {
        "(outside the base path)".to_string()
    } else {
        match server {
            Server::OpenSearch => crate::opensearch::route(&req),
            Server::Dashboards => crate::dashboards::route(&req),
        }
    };
    let outcome = if outside_base {
        Ok(to_hyper(boom(404, "Not Found"), &method))
    } else {
        respond(&shared, server, &req, &api_path, route.clone()).await
    };
    let status = outcome.as_ref().ok().map(|r| r.status().as_u16());
    lock(&shared.requests).record(
        started,
        server.name(),
        &method,
        &raw_path,
        parts.uri.query().unwrap_or(""),
        route,
        status,
    );
    outcome
}

/// Counts, faults, delays, authenticates and answers one request of the emulated APIs.
async fn respond(
    shared: &Shared,
    server: Server,
    req: &Req,
    api_path: &str,
    route: String,
) -> Result<hyper::Response<Full<Bytes>>, DropConnection> {
    let method = req.method.clone();
    {
        let mut stats = lock(&shared.stats);
        stats.total += 1;
        if !req.is_read() {
            stats.writes += 1;
        }
        *stats
            .by_route
            .entry((server.name().to_string(), route, method.clone()))
            .or_insert(0) += 1;
    }

    let fault = take_fault(shared, server, &method, api_path);
    let mut latency = shared.options.latency_ms;
    if let Some(Fault::Latency(ms)) = fault {
        latency += ms;
    }
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    match fault {
        Some(Fault::DropBefore) => return Err(DropConnection),
        Some(Fault::Status(status, retry_after)) => {
            return Ok(to_hyper(
                fault_response(server, status, retry_after),
                &method,
            ));
        }
        _ => {}
    }

    if let Some(resp) = check_auth(&shared.options, server, req) {
        return Ok(to_hyper(resp, &method));
    }

    let resp = match server {
        Server::OpenSearch => match opensearch_tenancy(shared, req) {
            Some(r) => r,
            None => crate::opensearch::handle(shared, req),
        },
        Server::Dashboards => crate::dashboards::handle(shared, req).await,
    };
    if let Some(Fault::DropAfter) = fault {
        return Err(DropConnection);
    }
    Ok(to_hyper(resp, &method))
}

fn take_fault(shared: &Shared, server: Server, method: &str, path: &str) -> Option<Fault> {
    let mut rules = lock(&shared.faults);
    let idx = rules
        .iter()
        .position(|r| r.count > 0 && r.matches(server, method, path))?;
    let rule = &mut rules[idx];
    rule.count -= 1;
    let fault = if let Some(s) = rule.status {
        Fault::Status(s, rule.retry_after.unwrap_or(1))
    } else if let Some(ms) = rule.latency_ms {
        Fault::Latency(ms)
    } else if rule.drop_before {
        Fault::DropBefore
    } else {
        Fault::DropAfter
    };
    if rule.count == 0 {
        rules.remove(idx);
    }
    Some(fault)
}

fn fault_response(server: Server, status: u16, retry_after: u64) -> Resp {
    let resp = match (server, status) {
        (Server::OpenSearch, 429) => OsError::new(
            429,
            "rejected_execution_exception",
            "rejected execution of coordinating operation (injected by the emulator)",
        )
        .into_resp(),
        (Server::OpenSearch, _) => Resp::text(
            status,
            "text/plain; charset=UTF-8",
            format!("{} {}", status, crate::http::reason_phrase(status)),
        ),
        (Server::Dashboards, _) => boom(status, crate::http::reason_phrase(status)),
    };
    if status == 429 || status == 503 {
        resp.with_header("Retry-After", retry_after.to_string())
    } else {
        resp
    }
}

/// With `--basic-auth`, the security plugin's 401 answers for requests without the right credentials.
fn check_auth(options: &Options, server: Server, req: &Req) -> Option<Resp> {
    let (user, password) = options.basic_auth.as_ref()?;
    let given = req
        .header("authorization")
        .and_then(|h| {
            h.strip_prefix("Basic ")
                .or_else(|| h.strip_prefix("basic "))
        })
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok());
    if given.as_deref() == Some(&format!("{user}:{password}")) {
        return None;
    }
    Some(match server {
        Server::OpenSearch => Resp::text(401, "text/plain; charset=UTF-8", "Unauthorized")
            .with_header("WWW-Authenticate", "Basic realm=\"OpenSearch Security\""),
        // security-dashboards-plugin: no credentials -> "Authentication required"; credentials
        // the engine refuses -> the engine's 401 reason.
        Server::Dashboards => boom(
            401,
            if req.header("authorization").is_some() {
                "Unauthorized"
            } else {
                "Authentication required"
            },
        ),
    })
}

/// The security plugin's routes and the `.kibana*` tenant indices on the OpenSearch side.
fn opensearch_tenancy(shared: &Shared, req: &Req) -> Option<Resp> {
    let user = username(&shared.options, req);
    let d = lock(&shared.dashboards);
    let written: Vec<String> = d
        .tenants
        .iter()
        .filter(|(_, store)| store.seq_no >= 0)
        .map(|(k, _)| k.clone())
        .collect();
    if let Some(resp) = crate::dashboards::tenancy::search_route(req, &d.tenancy, &d.tenants) {
        return Some(resp);
    }
    crate::dashboards::tenancy::opensearch_route(req, &user, &d.tenancy, &written)
}

/// The username a request authenticated as (used for the private tenant).
pub(crate) fn username(options: &Options, req: &Req) -> String {
    let _ = req;
    options
        .basic_auth
        .as_ref()
        .map_or_else(|| "admin".to_string(), |(u, _)| u.clone())
}

fn admin(shared: &Shared, req: &Req, segs: &[String]) -> Resp {
    let sub = segs.get(1).map_or("", String::as_str);
    match (req.method.as_str(), sub) {
        ("GET", "stats") => Resp::ok(lock(&shared.stats).to_value()),
        ("GET", "requests") => Resp::ok(lock(&shared.requests).to_value()),
        ("DELETE", "requests") => {
            lock(&shared.requests).clear();
            Resp::ok(json!({"requests": []}))
        }
        ("GET", "tenancy") => Resp::ok(tenancy_value(&lock(&shared.dashboards).tenancy)),
        ("POST", "tenancy") => {
            let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            let usage = "expected {\"tenants\": [\"team-a\", ...], \"preferred\": [\"Private\", \"Global\", ...], \"security\": true, \"multitenancy\": true, \"read_only\": [\"team-r\", ...]}, each optional";
            let Some(obj) = body.as_object() else {
                return Resp::json(400, json!({ "error": usage }));
            };
            let strings = |v: &Value| -> Option<Vec<String>> {
                v.as_array()?
                    .iter()
                    .map(|x| x.as_str().map(str::to_string))
                    .collect()
            };
            let mut d = lock(&shared.dashboards);
            let mut next = d.tenancy.clone();
            for (key, value) in obj {
                match key.as_str() {
                    "preferred" => match strings(value) {
                        Some(list) => next.preferred = list,
                        None => return Resp::json(400, json!({ "error": usage })),
                    },
                    "tenants" if value.is_null() => next.declared = None,
                    "tenants" => match strings(value) {
                        Some(list) => next.declared = Some(list),
                        None => return Resp::json(400, json!({ "error": usage })),
                    },
                    "security" => match value.as_bool() {
                        Some(b) => next.security = b,
                        None => return Resp::json(400, json!({ "error": usage })),
                    },
                    "multitenancy" => match value.as_bool() {
                        Some(b) => next.multitenancy = b,
                        None => return Resp::json(400, json!({ "error": usage })),
                    },
                    "read_only" => match strings(value) {
                        Some(list) => next.read_only = list,
                        None => return Resp::json(400, json!({ "error": usage })),
                    },
                    _ => return Resp::json(400, json!({ "error": usage })),
                }
            }
            d.tenancy = next;
            Resp::ok(tenancy_value(&d.tenancy))
        }
        ("POST", "ui-visit") => {
            let body: Value =
                serde_json::from_slice(&req.body).unwrap_or(Value::Object(serde_json::Map::new()));
            Resp::ok(crate::dashboards::ui_visit(shared, &body))
        }
        ("POST", "reset") => {
            shared.reset();
            Resp::ok(json!({"reset": true}))
        }
        ("GET", "faults") => {
            let rules: Vec<Value> = lock(&shared.faults)
                .iter()
                .map(FaultRule::to_value)
                .collect();
            Resp::ok(json!({"rules": rules}))
        }
        ("DELETE", "faults") => {
            lock(&shared.faults).clear();
            Resp::ok(json!({"rules": []}))
        }
        ("POST", "faults") => {
            let parsed: Result<Value, _> = serde_json::from_slice(&req.body);
            let list = match parsed {
                Ok(Value::Array(a)) => a,
                Ok(Value::Object(mut o)) if o.contains_key("rules") => match o.remove("rules") {
                    Some(Value::Array(a)) => a,
                    _ => return Resp::json(400, json!({"error": "`rules` must be an array"})),
                },
                Ok(v @ Value::Object(_)) => vec![v],
                Ok(_) => {
                    return Resp::json(
                        400,
                        json!({"error": "expected a rule, a list of rules or {\"rules\":[..]}"}),
                    )
                }
                Err(e) => return Resp::json(400, json!({"error": format!("invalid JSON: {e}")})),
            };
            let mut rules = Vec::new();
            for item in list {
                match serde_json::from_value::<FaultRule>(item) {
                    Ok(rule) => {
                        if let Err(e) = rule.validate() {
                            return Resp::json(400, json!({"error": e}));
                        }
                        rules.push(rule);
                    }
                    Err(e) => return Resp::json(400, json!({"error": e.to_string()})),
                }
            }
            let mut all = lock(&shared.faults);
            all.extend(rules);
            let listed: Vec<Value> = all.iter().map(FaultRule::to_value).collect();
            Resp::ok(json!({"rules": listed}))
        }
        _ => Resp::json(
            404,
            json!({"error": format!("no admin endpoint {} /_emulator/{sub}", req.method)}),
        ),
    }
}

fn tenancy_value(t: &crate::dashboards::Tenancy) -> Value {
    json!({"security": t.security, "tenants": t.declared, "preferred": t.preferred, "multitenancy": t.multitenancy, "read_only": t.read_only})
}

fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode_component(k), decode_component(v))
        })
        .collect()
}

fn decode_component(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

fn to_hyper(resp: Resp, method: &str) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder().status(resp.status);
    for (k, v) in &resp.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let (ct, bytes) = match resp.body {
        Body::Empty => (None, Bytes::new()),
        Body::Json(v) => (
            Some("application/json; charset=UTF-8".to_string()),
            Bytes::from(serde_json::to_vec(&v).unwrap_or_default()),
        ),
        Body::Raw {
            content_type,
            bytes,
        } => (Some(content_type), bytes),
    };
    if let Some(ct) = ct {
        builder = builder.header("content-type", ct);
    }
    // HEAD: the status and headers only (hyper sends no body for HEAD anyway).
    let bytes = if method == "HEAD" {
        Bytes::new()
    } else {
        bytes
    };
    builder
        .body(Full::new(bytes))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}

/// Binds both listeners (synchronously, so that port 0 is resolved before returning).
pub(crate) fn bind(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let l = std::net::TcpListener::bind(addr)?;
    l.set_nonblocking(true)?;
    Ok(l)
}
