//! The one HTTP client: authentication, TLS, timeouts, and retries with backoff.
//!
//! Requests are retried on 429, 502, 503 and 504 and on connection errors, with exponential
//! backoff and full jitter, honouring `Retry-After`, within a total time budget. Every write
//! siemctl sends is safe to repeat (PUTs of whole objects, overwrite bulk creates, deletes, and
//! conditional writes whose 409 the caller resolves by re-reading).
//!
//! Secrets never reach a log line or an error: URLs are refused when they carry credentials
//! ([`super::connection`]), errors from reqwest are stripped of their URL and given the
//! request's (credential-free) URL instead, and headers are never logged.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::Method;

use super::connection::{Connection, Secret};
use super::error::{reason_of, Error, TlsFailure};
use super::sigv4::Signer;

/// How a request authenticates.
pub(crate) enum Auth {
    None,
    Basic { username: String, password: Secret },
    SigV4(Signer),
}

impl Auth {
    /// The name `auth =` gives it in siemctl.toml.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Auth::None => "none",
            Auth::Basic { .. } => "basic",
            Auth::SigV4(_) => "aws-sigv4",
        }
    }
}

/// When and how long to retry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    /// The most time one request may take, retries included.
    pub(crate) budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
            budget: Duration::from_secs(90),
        }
    }
}

/// A response with its body read.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    /// Whether the request was sent again after a connection failed once it may have reached
    /// the server: a write may then have been applied twice (the bulk loader's verification
    /// allows for it).
    pub(crate) resent: bool,
    /// What to check after a 401 or 403, for the authentication in use.
    pub(crate) auth_hint: Option<String>,
}

impl Response {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn json(&self, method: &Method, url: &str) -> Result<serde_json::Value, Error> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            method: method.to_string(),
            url: url.to_string(),
            message: e.to_string(),
        })
    }

    /// Fails with the server's reason unless the status is 2xx.
    pub(crate) fn ok(self, method: &Method, url: &str) -> Result<Response, Error> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(Error::Status {
                method: method.to_string(),
                url: url.to_string(),
                status: self.status,
                reason: match &self.auth_hint {
                    Some(hint) => format!("{}\nhint: {hint}", reason_of(&self.body)),
                    None => reason_of(&self.body),
                },
            })
        }
    }
}

pub(crate) struct Client {
    http: reqwest::Client,
    auth: Auth,
    retry: RetryPolicy,
}

/// The HTTP transports of one run, shared by the targets that connect the same way (the same
/// CA file, `--insecure` and timeout): the root certificates are loaded and the TLS set up once,
/// not once per target. A transport carries no credentials (no default header, no cookie
/// store): each [`Client`] adds its own target's authentication to every request it sends.
///
/// Kept for one runtime only: a transport's pooled connections belong to the runtime that
/// opened them.
#[derive(Default)]
pub(crate) struct Transports {
    built: std::sync::Mutex<HashMap<TransportKey, reqwest::Client>>,
}

type TransportKey = (Option<std::path::PathBuf>, bool, Duration);

impl Transports {
    fn get(&self, connection: &Connection, timeout: Duration) -> Result<reqwest::Client, Error> {
        let key = (connection.ca_cert.clone(), connection.insecure, timeout);
        let mut built = self
            .built
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(http) = built.get(&key) {
            return Ok(http.clone());
        }
        let http = transport(connection, timeout)?;
        built.insert(key, http.clone());
        Ok(http)
    }

    /// How many transports were built (for tests).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.built.lock().map(|b| b.len()).unwrap_or(0)
    }
}

/// A transport: TLS (with the connection's CA file), timeouts, no redirects.
fn transport(connection: &Connection, timeout: Duration) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("siemctl/", env!("CARGO_PKG_VERSION")))
        // A redirect is a login page or a proxy, never the API: a POST turned into a GET
        // that answers 200 with HTML must not pass for success.
        .redirect(reqwest::redirect::Policy::none());
    if let Some(path) = &connection.ca_cert {
        let pem = std::fs::read(path).map_err(|e| {
            Error::Settings(format!("cannot read the CA file `{}`: {e}", path.display()))
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            Error::Settings(format!(
                "`{}` is not a PEM certificate: {e}",
                path.display()
            ))
        })?;
        // A bundle with nothing in it would silently leave only the system roots, and the
        // server's certificate would then fail far from its cause.
        if certs.is_empty() {
            return Err(Error::Settings(format!(
                "`{}` holds no PEM certificate: ca_cert (or --ca-cert) must name a file with the \
                     CA's certificate in PEM form (-----BEGIN CERTIFICATE-----)",
                path.display()
            )));
        }
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    if connection.insecure {
        builder = builder.danger_accept_invalid_certs(true);
    }
    builder
        .build()
        .map_err(|e| Error::Settings(format!("cannot set up the HTTP client: {e}")))
}

impl Client {
    /// A client over a transport of `transports` (built if none fits yet), with its own
    /// authentication.
    pub(crate) fn with_transports(
        connection: &Connection,
        auth: Auth,
        timeout: Duration,
        retry: RetryPolicy,
        transports: &Transports,
    ) -> Result<Client, Error> {
        let http = transports.get(connection, timeout)?;
        Ok(Client { http, auth, retry })
    }

    /// Sends a request, retrying what is worth retrying. Any final status is returned as a
    /// [`Response`]; only connection failures and exhausted retries are errors.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(&'static str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<Response, Error> {
        let started = Instant::now();
        let mut attempt = 0;
        let mut resent = false;
        loop {
            attempt += 1;
            let outcome = self.send_once(&method, url, headers, body.clone()).await?;
            let elapsed = started.elapsed();
            let (retry_after, last) = match &outcome {
                Ok((status, retry_after, _)) if is_retryable_status(*status) => {
                    (*retry_after, format!("HTTP {status}"))
                }
                Ok((status, _, bytes)) => {
                    tracing::debug!(%method, url, status, attempt, ?elapsed, "response");
                    return Ok(Response {
                        status: *status,
                        body: bytes.clone(),
                        resent,
                        auth_hint: super::error::auth_hint(*status, self.auth.name()),
                    });
                }
                // A certificate the client does not trust stays untrusted, and a plain-HTTP port
                // stays plain: said once, at once.
                Err(err) if super::error::tls_failure(&error_chain(err)).is_some() => {
                    let message = error_chain(err);
                    return Err(match super::error::tls_failure(&message) {
                        Some(TlsFailure::Untrusted(hint)) => Error::Tls {
                            method: method.to_string(),
                            url: url.to_string(),
                            message,
                            hint,
                        },
                        _ => Error::NotTls {
                            method: method.to_string(),
                            url: url.to_string(),
                            message,
                        },
                    });
                }
                Err(err) if is_retryable_error(err) => {
                    resent |= !err.is_connect();
                    (None, error_chain(err))
                }
                Err(err) => {
                    return Err(Error::Connect {
                        method: method.to_string(),
                        url: url.to_string(),
                        message: error_chain(err),
                    });
                }
            };
            // The budget governs: the wait is cut to what is left of it, and the run gives up
            // only when nothing is left.
            let remaining = self.retry.budget.saturating_sub(elapsed);
            let delay = retry_after
                .unwrap_or_else(|| self.backoff(attempt))
                .min(remaining);
            if remaining.is_zero() {
                tracing::debug!(%method, url, attempt, ?elapsed, last, "giving up");
                return match outcome {
                    Err(err) if attempt == 1 => Err(Error::Connect {
                        method: method.to_string(),
                        url: url.to_string(),
                        message: error_chain(&err),
                    }),
                    _ => Err(Error::GaveUp {
                        method: method.to_string(),
                        url: url.to_string(),
                        attempts: attempt,
                        elapsed,
                        last,
                    }),
                };
            }
            tracing::debug!(%method, url, attempt, ?delay, last, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// Exponential backoff with full jitter: a random delay in [d/2, d], d doubling per attempt.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .retry
            .base_delay
            .saturating_mul(1 << attempt.min(16).saturating_sub(1));
        let ceiling = exp.min(self.retry.max_delay);
        let millis = u64::try_from(ceiling.as_millis())
            .unwrap_or(u64::MAX)
            .max(2);
        Duration::from_millis(fastrand::u64(millis / 2..=millis))
    }

    async fn send_once(
        &self,
        method: &Method,
        url: &str,
        headers: &[(&'static str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<Attempt, Error> {
        let mut header_map = HeaderMap::new();
        for (name, value) in headers {
            if let Ok(value) = HeaderValue::from_str(value) {
                header_map.insert(HeaderName::from_static(name), value);
            }
        }
        let body = body.unwrap_or_default();
        let mut builder = self.http.request(method.clone(), url).headers(header_map);
        if let Auth::Basic { username, password } = &self.auth {
            builder = builder.basic_auth(username, Some(password.expose()));
        }
        let mut request = match builder.body(body.clone()).build() {
            Ok(request) => request,
            Err(err) => {
                return Err(Error::Connect {
                    method: method.to_string(),
                    url: url.to_string(),
                    message: error_chain(&err.without_url()),
                })
            }
        };
        if let Auth::SigV4(signer) = &self.auth {
            // Sign exactly the URL and headers that go out; a request that cannot be signed
            // is an error, never sent unsigned.
            let mut signable = http::Request::builder()
                .method(method.as_str())
                .uri(request.url().as_str());
            for (name, value) in request.headers() {
                signable = signable.header(name, value);
            }
            let mut signable = signable
                .body(body)
                .map_err(|e| Error::Settings(format!("cannot sign a request to {url}: {e}")))?;
            signer
                .sign(&mut signable, SystemTime::now())
                .await
                .map_err(Error::Signing)?;
            for (name, value) in signable.headers() {
                request.headers_mut().insert(name.clone(), value.clone());
            }
        }
        let outcome = async {
            let response = self.http.execute(request).await?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let bytes = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, retry_after, bytes.to_vec()))
        };
        Ok(outcome.await.map_err(reqwest::Error::without_url))
    }
}

/// One attempt: the status, Retry-After and body, or the transport error.
type Attempt = Result<(u16, Option<Duration>, Vec<u8>), reqwest::Error>;

fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

fn is_retryable_error(err: &reqwest::Error) -> bool {
    err.is_connect() || err.is_timeout() || err.is_request() || err.is_body() || err.is_decode()
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::connection::AuthSettings;

    fn connection(url: &str, insecure: bool) -> Connection {
        Connection {
            opensearch_url: url.into(),
            dashboards_url: None,
            auth: AuthSettings::None,
            tenant: "global".into(),
            ca_cert: None,
            insecure,
        }
    }

    #[test]
    fn targets_that_connect_alike_share_one_transport() {
        let transports = Transports::default();
        let timeout = Duration::from_secs(30);
        for url in ["http://a:9200", "http://b:9200", "http://c:9200"] {
            transports.get(&connection(url, false), timeout).unwrap();
        }
        assert_eq!(transports.len(), 1);
        transports
            .get(&connection("http://d:9200", true), timeout)
            .unwrap();
        transports
            .get(&connection("http://e:9200", false), Duration::from_secs(5))
            .unwrap();
        assert_eq!(transports.len(), 3);
    }
}
