//! A stand-in for OpenSearch and OpenSearch Dashboards in siemctl's tests.
//!
//! [`Emulator::start`] binds both servers on `127.0.0.1:0` and serves them from a private tokio
//! runtime, so that synchronous `#[test]` functions can use it; dropping the [`Emulator`] stops them.
//! The module map: `server` (listeners, auth, stats, faults, admin endpoints), `request_log`
//! (each request's arrival and answer times, and the critical path over them), `opensearch` (the
//! engine APIs), `dashboards` (saved objects, tenants, import/export), `http` (shared types and
//! error shapes). See README.md for what is emulated and how faithfully.

mod dashboards;
mod http;
mod opensearch;
mod request_log;
mod server;

pub use request_log::{critical_path, RequestRecord};

use std::net::SocketAddr;
use std::sync::Arc;

/// How the emulated servers present themselves.
#[derive(Debug, Clone)]
pub struct Options {
    /// The OpenSearch version reported by `GET /` (and the behaviours that depend on it).
    pub version: String,
    /// The Dashboards version: `GET /api/status`, the `config` object id, the `osd-version` check.
    pub dashboards_version: String,
    /// Serve Dashboards under this path (e.g. `/_dashboards`, as Amazon OpenSearch Service does).
    pub dashboards_base_path: Option<String>,
    /// Require HTTP basic auth with this user and password on both servers.
    pub basic_auth: Option<(String, String)>,
    /// Extra latency added to every request (admin endpoints excepted).
    pub latency_ms: u64,
    /// The security plugin is installed with multitenancy on (the default). Without it, tenants
    /// do not exist: one `.kibana` index, the tenant header ignored, no security routes.
    pub security: bool,
    /// The custom tenants defined and granted to the user (`--tenants`); others fall back as
    /// upstream does. `None` (the default): every name asked for is an available tenant.
    pub tenants: Option<Vec<String>>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            version: "2.19.0".to_string(),
            dashboards_version: "2.19.0".to_string(),
            dashboards_base_path: None,
            basic_auth: None,
            latency_ms: 0,
            security: true,
            tenants: None,
        }
    }
}

/// A running pair of emulated servers; dropping it stops them.
pub struct Emulator {
    runtime: Option<tokio::runtime::Runtime>,
    opensearch_url: String,
    dashboards_url: String,
    dashboards_root: String,
    shared: Arc<server::Shared>,
}

impl Emulator {
    /// Starts both servers on free ports of 127.0.0.1.
    pub fn start(options: Options) -> std::io::Result<Emulator> {
        let any: SocketAddr = ([127, 0, 0, 1], 0).into();
        Emulator::start_on(options, any, any)
    }

    /// Starts both servers on the given addresses (port 0 picks a free port).
    pub fn start_on(
        mut options: Options,
        opensearch: SocketAddr,
        dashboards: SocketAddr,
    ) -> std::io::Result<Emulator> {
        if let Some(base) = options.dashboards_base_path.take() {
            let trimmed = base.trim_end_matches('/');
            if !trimmed.is_empty() {
                let with_slash = if trimmed.starts_with('/') {
                    trimmed.to_string()
                } else {
                    format!("/{trimmed}")
                };
                options.dashboards_base_path = Some(with_slash);
            }
        }
        let os_listener = server::bind(opensearch)?;
        let osd_listener = server::bind(dashboards)?;
        let os_addr = os_listener.local_addr()?;
        let osd_addr = osd_listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("cluster-emulator")
            .enable_all()
            .build()?;
        let base = options.dashboards_base_path.clone().unwrap_or_default();
        let shared = Arc::new(server::Shared::new(options));
        {
            let _guard = runtime.enter();
            let os = tokio::net::TcpListener::from_std(os_listener)?;
            let osd = tokio::net::TcpListener::from_std(osd_listener)?;
            runtime.spawn(server::serve(
                os,
                shared.clone(),
                server::Server::OpenSearch,
            ));
            runtime.spawn(server::serve(
                osd,
                shared.clone(),
                server::Server::Dashboards,
            ));
        }
        Ok(Emulator {
            runtime: Some(runtime),
            opensearch_url: format!("http://{os_addr}"),
            dashboards_url: format!("http://{osd_addr}{base}"),
            dashboards_root: format!("http://{osd_addr}"),
            shared,
        })
    }

    /// `http://127.0.0.1:P1`, without a trailing slash.
    pub fn opensearch_url(&self) -> &str {
        &self.opensearch_url
    }

    /// `http://127.0.0.1:P2`, followed by the base path when one is set.
    pub fn dashboards_url(&self) -> &str {
        &self.dashboards_url
    }

    /// `http://127.0.0.1:P2` without the base path.
    pub fn dashboards_root_url(&self) -> &str {
        &self.dashboards_root
    }

    /// Every request the emulated APIs received since the start (or the last
    /// [`Emulator::clear_requests`] or reset), admin endpoints excepted, in order of arrival,
    /// with the time each arrived and was answered. See [`critical_path`].
    pub fn requests(&self) -> Vec<RequestRecord> {
        server::lock(&self.shared.requests).records()
    }

    /// Empties the request log (`DELETE /_emulator/requests`).
    pub fn clear_requests(&self) {
        server::lock(&self.shared.requests).clear();
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
