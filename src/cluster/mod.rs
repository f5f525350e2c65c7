//! I/O with a cluster: the only module that talks HTTP. [`Cluster`] holds one [`http::Client`]
//! and the base URLs; `opensearch.rs` and `dashboards.rs` add the typed calls of each API.

pub(crate) mod bulk;
pub(crate) mod concurrent;
pub(crate) mod connection;
pub(crate) mod dashboards;
pub(crate) mod error;
pub(crate) mod http;
pub(crate) mod opensearch;
pub(crate) mod sigv4;

use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

pub(crate) use self::connection::{AuthSettings, Connection};
pub(crate) use self::error::Error;
pub(crate) use self::http::Transports;
use self::http::{Auth, Client, Response, RetryPolicy};
use self::sigv4::Signer;

/// A connected cluster: OpenSearch, and Dashboards when it has a URL.
pub(crate) struct Cluster {
    client: Client,
    opensearch: String,
    dashboards: Option<String>,
    tenant: String,
    /// The basic-auth user, when there is one.
    username: Option<String>,
}

impl Cluster {
    pub(crate) async fn connect(
        connection: &Connection,
        timeout: Duration,
        retry: RetryPolicy,
    ) -> Result<Cluster, Error> {
        Cluster::connect_with(connection, timeout, retry, &Transports::default()).await
    }

    /// Connects over a transport of `transports` (shared by the targets of one run), with this
    /// connection's own authentication.
    pub(crate) async fn connect_with(
        connection: &Connection,
        timeout: Duration,
        retry: RetryPolicy,
        transports: &Transports,
    ) -> Result<Cluster, Error> {
        let auth = match &connection.auth {
            AuthSettings::None => Auth::None,
            AuthSettings::Basic { username, password } => Auth::Basic {
                username: username.clone(),
                password: password.clone(),
            },
            AuthSettings::SigV4 { aws, service } => {
                let signer = Signer::from_environment(aws, *service)
                    .await
                    .map_err(Error::Signing)?;
                tracing::debug!(
                    region = signer.region(),
                    service = service.name(),
                    "signing requests with AWS SigV4"
                );
                Auth::SigV4(signer)
            }
        };
        Ok(Cluster {
            client: Client::with_transports(connection, auth, timeout, retry, transports)?,
            opensearch: connection.opensearch_url.clone(),
            dashboards: connection.dashboards_url.clone(),
            tenant: connection.tenant.clone(),
            username: match &connection.auth {
                AuthSettings::Basic { username, .. } => Some(username.clone()),
                _ => None,
            },
        })
    }

    pub(crate) fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The basic-auth user, when there is one.
    pub(crate) fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    pub(crate) fn has_dashboards(&self) -> bool {
        self.dashboards.is_some()
    }

    /// A request to OpenSearch.
    async fn opensearch(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(Response, String), Error> {
        let url = format!("{}{path}", self.opensearch);
        let mut headers = Vec::new();
        let bytes = body.map(|b| {
            headers.push(("content-type", "application/json".to_string()));
            serde_json::to_vec(b).unwrap_or_default()
        });
        let response = self.client.send(method, &url, &headers, bytes).await?;
        Ok((response, url))
    }

    /// A request to Dashboards, with the XSRF header and the tenant.
    async fn dashboards(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(Response, String), Error> {
        let base = self.dashboards.as_ref().ok_or_else(|| {
            Error::Settings("no Dashboards URL: set `dashboards_url` in the target, or --dashboards-url (for an Amazon OpenSearch Service domain, the domain URL followed by /_dashboards)".into())
        })?;
        let url = format!("{base}{path}");
        let mut headers = vec![
            ("osd-xsrf", "true".to_string()),
            ("securitytenant", self.tenant.clone()),
        ];
        let bytes = body.map(|b| {
            headers.push(("content-type", "application/json".to_string()));
            serde_json::to_vec(b).unwrap_or_default()
        });
        let response = self.client.send(method, &url, &headers, bytes).await?;
        Ok((response, url))
    }
}

/// Percent-encodes one path segment (ids are chosen in the content, but may hold anything).
pub(crate) fn segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
