//! The request and response types the emulated APIs work on, and the error shapes of both servers.

use bytes::Bytes;
use serde_json::{json, Value};

/// One HTTP request, already read in full.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub(crate) method: String,
    /// The path as the API sees it (the Dashboards base path removed), percent-decoded per segment.
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
}

impl Req {
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn params(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A boolean query parameter as OpenSearch reads it: present without a value means true.
    pub(crate) fn flag(&self, name: &str) -> bool {
        matches!(self.param(name), Some("" | "true"))
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn seg(&self, i: usize) -> &str {
        self.segments.get(i).map_or("", String::as_str)
    }

    pub(crate) fn is_read(&self) -> bool {
        self.method == "GET" || self.method == "HEAD"
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Json(Value),
    Raw { content_type: String, bytes: Bytes },
}

/// One HTTP response.
#[derive(Debug, Clone)]
pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
}

impl Resp {
    pub(crate) fn json(status: u16, value: Value) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Body::Json(value),
        }
    }

    pub(crate) fn ok(value: Value) -> Resp {
        Resp::json(200, value)
    }

    pub(crate) fn ack() -> Resp {
        Resp::ok(json!({"acknowledged": true}))
    }

    pub(crate) fn empty(status: u16) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    pub(crate) fn text(status: u16, content_type: &str, text: impl Into<String>) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Body::Raw {
                content_type: content_type.to_string(),
                bytes: Bytes::from(text.into()),
            },
        }
    }

    pub(crate) fn with_header(mut self, name: &str, value: impl Into<String>) -> Resp {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

/// An OpenSearch exception: rendered as the `{"error":{"root_cause":[..],..},"status":N}` envelope.
#[derive(Debug, Clone)]
pub(crate) struct OsError {
    pub(crate) status: u16,
    pub(crate) kind: String,
    pub(crate) reason: String,
    /// Exception metadata, flattened into both `root_cause[0]` and `error` (e.g. `processor_type`).
    pub(crate) extra: Vec<(String, Value)>,
    pub(crate) caused_by: Option<Box<OsError>>,
    /// An error already rendered by a library (the ingest engine, Painless): the `error` object
    /// and its `root_cause` list, used as they are.
    pub(crate) rendered: Option<Box<(Value, Value)>>,
}

impl OsError {
    pub(crate) fn new(status: u16, kind: &str, reason: impl Into<String>) -> OsError {
        OsError {
            status,
            kind: kind.to_string(),
            reason: reason.into(),
            extra: Vec::new(),
            caused_by: None,
            rendered: None,
        }
    }

    /// An error rendered by the ingest engine: `error` is the `error` object of the answer,
    /// `root_cause` first (IngestError::to_json).
    pub(crate) fn prerendered(status: u16, error: Value) -> OsError {
        let mut error = error;
        let roots = error
            .as_object_mut()
            .and_then(|m| m.shift_remove("root_cause"))
            .unwrap_or_else(|| json!([]));
        let kind = error["type"].as_str().unwrap_or("exception").to_string();
        let reason = error["reason"].as_str().unwrap_or("").to_string();
        OsError {
            status,
            kind,
            reason,
            extra: Vec::new(),
            caused_by: None,
            rendered: Some(Box::new((error, roots))),
        }
    }

    /// An error rendered elsewhere: `error` is the exception object (`type`, `reason`, metadata,
    /// `caused_by`). The root causes are found as `OpenSearchException.guessRootCauses` finds
    /// them: descend through `caused_by` while the cause is itself an OpenSearch exception
    /// (`is_opensearch_type` tells which types are), and report that one without its cause.
    pub(crate) fn rendered(
        status: u16,
        error: Value,
        is_opensearch_type: impl Fn(&str) -> bool,
    ) -> OsError {
        let mut root = &error;
        while let Some(cause) = root.get("caused_by") {
            if cause
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(&is_opensearch_type)
            {
                root = cause;
            } else {
                break;
            }
        }
        let mut root = root.clone();
        if let Some(m) = root.as_object_mut() {
            m.shift_remove("caused_by");
        }
        let kind = error["type"].as_str().unwrap_or("exception").to_string();
        let reason = error["reason"].as_str().unwrap_or("").to_string();
        OsError {
            status,
            kind,
            reason,
            extra: Vec::new(),
            caused_by: None,
            rendered: Some(Box::new((error, json!([root])))),
        }
    }

    pub(crate) fn bad_request(kind: &str, reason: impl Into<String>) -> OsError {
        OsError::new(400, kind, reason)
    }

    pub(crate) fn illegal_argument(reason: impl Into<String>) -> OsError {
        OsError::new(400, "illegal_argument_exception", reason)
    }

    pub(crate) fn with(mut self, key: &str, value: impl Into<Value>) -> OsError {
        self.extra.push((key.to_string(), value.into()));
        self
    }

    pub(crate) fn caused_by(mut self, cause: OsError) -> OsError {
        self.caused_by = Some(Box::new(cause));
        self
    }

    fn object(&self, with_cause: bool) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("type".into(), json!(self.kind));
        map.insert("reason".into(), json!(self.reason));
        for (k, v) in &self.extra {
            map.insert(k.clone(), v.clone());
        }
        if with_cause {
            if let Some(cause) = &self.caused_by {
                map.insert("caused_by".into(), cause.object(true));
            }
        }
        Value::Object(map)
    }

    /// The innermost cause, which is what OpenSearch reports as the root cause.
    fn root(&self) -> &OsError {
        match &self.caused_by {
            Some(c) => c.root(),
            None => self,
        }
    }

    pub(crate) fn to_value(&self) -> Value {
        if let Some(pair) = &self.rendered {
            let (error, roots) = &**pair;
            let mut ordered = serde_json::Map::new();
            ordered.insert("root_cause".into(), roots.clone());
            if let Some(m) = error.as_object() {
                ordered.extend(m.clone());
            }
            return json!({"error": Value::Object(ordered), "status": self.status});
        }
        let root = self.root().object(false);
        let mut error = self.object(true);
        if let Value::Object(map) = &mut error {
            let mut ordered = serde_json::Map::new();
            ordered.insert("root_cause".into(), json!([root]));
            ordered.extend(std::mem::take(map));
            *map = ordered;
        }
        json!({"error": error, "status": self.status})
    }

    pub(crate) fn into_resp(self) -> Resp {
        Resp::json(self.status, self.to_value())
    }
}

impl From<OsError> for Resp {
    fn from(e: OsError) -> Resp {
        e.into_resp()
    }
}

pub(crate) type OsResult = Result<Resp, OsError>;

/// A Dashboards (hapi Boom) error: `{"statusCode":N,"error":"Bad Request","message":".."}`.
pub(crate) fn boom(status: u16, message: impl Into<String>) -> Resp {
    Resp::json(status, boom_value(status, &message.into()))
}

pub(crate) fn boom_value(status: u16, message: &str) -> Value {
    json!({"statusCode": status, "error": reason_phrase(status), "message": message})
}

pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

/// Parses a JSON request body the way OpenSearch reports a broken one.
pub(crate) fn parse_json_body(req: &Req) -> Result<Value, OsError> {
    if req.body.is_empty() {
        return Err(OsError::bad_request(
            "parse_exception",
            "request body is required",
        ));
    }
    serde_json::from_slice(&req.body)
        .map_err(|e| OsError::bad_request("json_parse_exception", format!("{e}")))
}

/// Matches OpenSearch's `Regex.simpleMatch`: `*` matches any run of characters.
pub(crate) fn simple_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

pub(crate) fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The time as Dashboards writes `updated_at`: `2024-01-02T03:04:05.678Z`.
pub(crate) fn iso_now() -> String {
    let ms = now_millis();
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        ms % 1000
    )
}

// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_match_works() {
        assert!(simple_match("logs-*", "logs-a"));
        assert!(simple_match("*", ""));
        assert!(simple_match("a*b*c", "axxbyyc"));
        assert!(!simple_match("a*b", "ac"));
    }

    #[test]
    fn civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
    }
}
