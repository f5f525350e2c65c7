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
    use super::reason_of;

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
