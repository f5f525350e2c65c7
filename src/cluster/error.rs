//! Errors talking to a cluster. URLs in them never carry credentials (see [`super::http`]).

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("cannot reach {method} {url}: {message}")]
    Connect {
        method: String,
        url: String,
        message: String,
    },
    #[error(
        "{method} {url}: the server's TLS certificate is not trusted: {message}\nhint: {hint}"
    )]
    Tls {
        method: String,
        url: String,
        message: String,
        hint: &'static str,
    },
    #[error("{method} {url}: the server does not answer TLS on this port: {message}\nhint: it looks like a plain-HTTP port: use http:// in the URL, or the port where the server serves HTTPS")]
    NotTls {
        method: String,
        url: String,
        message: String,
    },
    #[error("{method} {url} failed with HTTP {status}: {reason}")]
    Status {
        method: String,
        url: String,
        status: u16,
        reason: String,
    },
    #[error("{method} {url} kept failing for {elapsed:?} ({attempts} attempts); the last answer was: {last}")]
    GaveUp {
        method: String,
        url: String,
        attempts: u32,
        elapsed: Duration,
        last: String,
    },
    #[error("{method} {url} returned a body siemctl cannot read: {message}")]
    Decode {
        method: String,
        url: String,
        message: String,
    },
    #[error("cannot sign the request with AWS SigV4")]
    Signing(#[source] super::sigv4::SigningError),
    #[error("{0}")]
    Unsupported(String),
    #[error("invalid connection settings: {0}")]
    Settings(String),
}

/// A TLS failure that retrying cannot heal, told from the transport error's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TlsFailure {
    /// The server's certificate was refused; the hint says what to do.
    Untrusted(&'static str),
    /// The server answered something that is not TLS: a plain-HTTP port.
    NotTls,
}

const GIVE_THE_CA: &str = "give the CA that signed it with `ca_cert = \"FILE.pem\"` in the target (or --ca-cert FILE); --insecure skips verification, for a test cluster only";

/// webpki's `CaUsedAsEndEntity`: the certificate the server presents is a CA certificate
/// (`basicConstraints CA:TRUE`, as `openssl req -x509` makes by default), which TLS clients
/// refuse as a server's own even when it is trusted.
const CA_AS_SERVER: &str = "the server's certificate is itself a CA certificate (basicConstraints CA:TRUE, what `openssl req -x509` makes by default), and a CA certificate is never accepted as a server's own, trusted or not. Make a CA, and a server certificate signed by that CA (basicConstraints CA:FALSE, the host name in subjectAltName; README, \"TLS\", has the openssl commands); serve that certificate, and give the CA's as `ca_cert` (or --ca-cert). --insecure skips verification, for a test cluster only";

/// Whether a transport error is a TLS failure that never heals. rustls says `invalid peer
/// certificate: UnknownIssuer` (or `BadSignature`, `NotValidForName`, `CaUsedAsEndEntity`...),
/// OpenSSL `certificate verify failed`; a plain-HTTP answer to the ClientHello is rustls'
/// `received corrupt message of type InvalidContentType` (its record layer read `HTTP/1.1` as
/// a record header).
pub(crate) fn tls_failure(chain: &str) -> Option<TlsFailure> {
    if chain.contains("CaUsedAsEndEntity") {
        return Some(TlsFailure::Untrusted(CA_AS_SERVER));
    }
    if [
        "invalid peer certificate",
        "certificate verify failed",
        "UnknownIssuer",
        "self signed certificate",
        "self-signed certificate",
    ]
    .iter()
    .any(|needle| chain.contains(needle))
    {
        return Some(TlsFailure::Untrusted(GIVE_THE_CA));
    }
    if chain.contains("InvalidContentType") || chain.contains("wrong version number") {
        return Some(TlsFailure::NotTls);
    }
    None
}

/// What to check after a 401 or 403, for the authentication in use (`basic`, `aws-sigv4`,
/// `none`).
pub(crate) fn auth_hint(status: u16, auth: &str) -> Option<String> {
    let hint = match (status, auth) {
        (401, "basic") => "the server refused the user name and password (basic auth): check SIEMCTL_USERNAME and SIEMCTL_PASSWORD (or SIEMCTL_PASSWORD_FILE) for this target",
        (401, "aws-sigv4") => "the request was signed with AWS SigV4 and refused: check the AWS credentials (AWS_PROFILE, the role, their expiry) and that the target's region and service (`es` or `aoss`) are the domain's",
        (401, _) => "the server wants credentials and none were sent: set `auth = \"basic\"` (SIEMCTL_USERNAME, SIEMCTL_PASSWORD) or `auth = \"aws-sigv4\"` for this target",
        (403, "aws-sigv4") => "the AWS identity was authenticated but is not allowed: map its role ARN to a role with the needed permissions in the security plugin (all_access or a role for index templates, pipelines, ISM and saved objects), and check the domain's access policy",
        (403, "basic") => "the user was authenticated but is not allowed: give it a role with the needed permissions in the security plugin (index templates, pipelines, ISM, saved objects of the tenant)",
        (403, _) => "the server refused the request (no credentials were sent): set `auth` for this target",
        _ => return None,
    };
    Some(hint.to_string())
}

/// The reason OpenSearch or Dashboards gives in an error body: `error.reason` (OpenSearch),
/// `message` (Dashboards), else the body's first 300 characters.
pub(crate) fn reason_of(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        let found = value
            .pointer("/error/reason")
            .or_else(|| value.get("message"))
            .or_else(|| value.get("error").filter(|e| e.is_string()));
        if let Some(reason) = found.and_then(serde_json::Value::as_str) {
            let kind = value
                .pointer("/error/type")
                .and_then(serde_json::Value::as_str);
            return match kind {
                Some(kind) => format!("{reason} ({kind})"),
                None => reason.to_string(),
            };
        }
    }
    let text = text.trim();
    if text.is_empty() {
        "(empty body)".to_string()
    } else {
        text.chars().take(300).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{reason_of, tls_failure, TlsFailure, CA_AS_SERVER};

    #[test]
    fn tls_failures_that_never_heal() {
        assert_eq!(
            tls_failure("client error (Connect): invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))"),
            Some(TlsFailure::Untrusted(CA_AS_SERVER))
        );
        assert!(matches!(
            tls_failure("invalid peer certificate: UnknownIssuer"),
            Some(TlsFailure::Untrusted(_))
        ));
        assert_eq!(
            tls_failure(
                "client error (Connect): received corrupt message of type InvalidContentType"
            ),
            Some(TlsFailure::NotTls)
        );
        assert_eq!(
            tls_failure("tcp connect error: Connection refused (os error 111)"),
            None
        );
    }

    #[test]
    fn reasons_from_both_servers() {
        let os = br#"{"error":{"root_cause":[],"type":"illegal_argument_exception","reason":"bad thing"},"status":400}"#;
        assert_eq!(reason_of(os), "bad thing (illegal_argument_exception)");
        let osd = br#"{"statusCode":400,"error":"Bad Request","message":"Request must contain a osd-xsrf header."}"#;
        assert_eq!(reason_of(osd), "Request must contain a osd-xsrf header.");
        assert_eq!(reason_of(b"plain text"), "plain text");
        assert_eq!(reason_of(b""), "(empty body)");
    }
}
