//! Data calls: `_bulk` with a ready NDJSON body, index creation and deletion, `_refresh` and
//! `_count`. The workshop loader ([`crate::workshop::loader`]) is their user.
//!
//! Every request goes through the one client ([`super::http`]), so it is signed with SigV4
//! when the target says so (the signature covers the NDJSON body as sent) and retried on 429,
//! 502, 503 and 504 with backoff and `Retry-After`.

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use super::error::reason_of;
use super::{segment, Cluster, Error};

/// One item of a `_bulk` answer (BulkItemResponse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BulkItem {
    pub(crate) status: u16,
    /// `created`, `updated`, `noop` (dropped by a pipeline), ...; None for a failure.
    pub(crate) result: Option<String>,
    /// `type: reason`, with the innermost `caused_by` reason when there is one.
    pub(crate) error: Option<String>,
}

/// A `_bulk` answer.
#[derive(Debug)]
pub(crate) struct BulkResponse {
    pub(crate) items: Vec<BulkItem>,
    /// See [`super::http::Response::resent`].
    pub(crate) resent: bool,
}

#[derive(Deserialize)]
struct RawBulk {
    #[serde(default)]
    items: Vec<RawAction>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawAction {
    Index(RawItem),
    Create(RawItem),
    Update(RawItem),
    Delete(RawItem),
}

#[derive(Deserialize)]
struct RawItem {
    #[serde(default)]
    status: u16,
    #[serde(default)]
    result: Option<String>,
    #[serde(default)]
    error: Option<Value>,
}

/// `type: reason (caused by: ...)` of a bulk item's error object.
fn describe_error(error: &Value) -> String {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let mut out = match (text(error, "type"), text(error, "reason")) {
        (Some(t), Some(r)) => format!("{t}: {r}"),
        (None, Some(r)) => r,
        (Some(t), None) => t,
        (None, None) => error.to_string(),
    };
    let mut cause = error.get("caused_by");
    let mut innermost = None;
    while let Some(c) = cause {
        innermost = Some(c);
        cause = c.get("caused_by");
    }
    if let Some(c) = innermost {
        if let (Some(t), Some(r)) = (text(c, "type"), text(c, "reason")) {
            out.push_str(&format!(" (caused by {t}: {r})"));
        }
    }
    out
}

/// Parses a `_bulk` answer body into its items, in request order.
pub(crate) fn parse_bulk(body: &[u8]) -> Result<Vec<BulkItem>, serde_json::Error> {
    let raw: RawBulk = serde_json::from_slice(body)?;
    Ok(raw
        .items
        .into_iter()
        .map(|action| {
            let item = match action {
                RawAction::Index(i)
                | RawAction::Create(i)
                | RawAction::Update(i)
                | RawAction::Delete(i) => i,
            };
            BulkItem {
                status: item.status,
                result: item.result,
                error: item.error.as_ref().map(describe_error),
            }
        })
        .collect())
}

/// A comma-separated index expression, each name encoded.
fn names(indices: &[String]) -> String {
    indices
        .iter()
        .map(|i| segment(i))
        .collect::<Vec<_>>()
        .join(",")
}

impl Cluster {
    /// The Dashboards URL of the target, when it has one (never carries credentials).
    pub(crate) fn dashboards_url(&self) -> Option<&str> {
        self.dashboards.as_deref()
    }

    /// `POST /_bulk` with an NDJSON body (each line ends with `\n`). A 2xx answer is parsed
    /// into its items; any other final status is an error (413: the body is over the
    /// cluster's `http.max_content_length`).
    pub(crate) async fn bulk(&self, body: Vec<u8>) -> Result<BulkResponse, Error> {
        let url = format!("{}/_bulk", self.opensearch);
        let headers = [("content-type", "application/x-ndjson".to_string())];
        let response = self
            .client
            .send(Method::POST, &url, &headers, Some(body))
            .await?;
        if response.status == 413 {
            return Err(Error::Status {
                method: "POST".into(),
                url,
                status: 413,
                reason: format!(
                    "{}: the request is larger than the cluster accepts (http.max_content_length; 10 MiB on small Amazon OpenSearch Service instances): lower --batch-size",
                    reason_of(&response.body)
                ),
            });
        }
        let resent = response.resent;
        let response = response.ok(&Method::POST, &url)?;
        let items = parse_bulk(&response.body).map_err(|e| Error::Decode {
            method: "POST".into(),
            url: url.clone(),
            message: e.to_string(),
        })?;
        Ok(BulkResponse { items, resent })
    }

    /// `PUT /{index}` without a body, so that the index templates apply. True when it was
    /// created, false when it existed already.
    pub(crate) async fn create_index(&self, index: &str) -> Result<bool, Error> {
        let (response, url) = self
            .opensearch(Method::PUT, &format!("/{}", segment(index)), None)
            .await?;
        if response.status == 400
            && String::from_utf8_lossy(&response.body).contains("resource_already_exists_exception")
        {
            return Ok(false);
        }
        response.ok(&Method::PUT, &url).map(|_| true)
    }

    /// `DELETE /{index}` of one concrete index. True when it was deleted, false when it did
    /// not exist.
    pub(crate) async fn delete_index(&self, index: &str) -> Result<bool, Error> {
        let (response, url) = self
            .opensearch(Method::DELETE, &format!("/{}", segment(index)), None)
            .await?;
        if response.status == 404 {
            return Ok(false);
        }
        response.ok(&Method::DELETE, &url).map(|_| true)
    }

    /// `POST /{indices}/_refresh`, so that `_count` sees every document indexed so far.
    pub(crate) async fn refresh(&self, indices: &[String]) -> Result<(), Error> {
        if indices.is_empty() {
            return Ok(());
        }
        let path = format!("/{}/_refresh?ignore_unavailable=true", names(indices));
        let (response, url) = self.opensearch(Method::POST, &path, None).await?;
        response.ok(&Method::POST, &url).map(drop)
    }

    /// `POST /{index}/_count`, with a query or all documents. None when the index is missing.
    pub(crate) async fn count(
        &self,
        index: &str,
        query: Option<&Value>,
    ) -> Result<Option<u64>, Error> {
        let path = format!("/{}/_count", segment(index));
        let body = query.map(|q| serde_json::json!({ "query": q }));
        let (response, url) = self.opensearch(Method::POST, &path, body.as_ref()).await?;
        if response.status == 404 {
            return Ok(None);
        }
        let body = response
            .ok(&Method::POST, &url)?
            .json(&Method::POST, &url)?;
        body.get("count")
            .and_then(Value::as_u64)
            .map(Some)
            .ok_or_else(|| Error::Decode {
                method: "POST".into(),
                url,
                message: "no `count` in the answer".into(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_items_with_results_and_errors() {
        let body = br#"{"took":3,"errors":true,"items":[
            {"index":{"_index":"a","_id":"1","_version":1,"result":"created","status":201}},
            {"index":{"_index":"a","_id":"auto-generated","_version":-3,"result":"noop","_shards":{"total":0,"successful":0,"failed":0},"status":200}},
            {"index":{"_index":"a","_id":null,"status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [x] of type [long]","caused_by":{"type":"illegal_argument_exception","reason":"For input string: \"abc\""}}}},
            {"create":{"_index":"a","_id":"2","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"}}}
        ]}"#;
        let items = parse_bulk(body).unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].result.as_deref(), Some("created"));
        assert_eq!(items[0].status, 201);
        assert_eq!(items[1].result.as_deref(), Some("noop"));
        assert_eq!(
            items[2].error.as_deref(),
            Some("mapper_parsing_exception: failed to parse field [x] of type [long] (caused by illegal_argument_exception: For input string: \"abc\")")
        );
        assert_eq!(items[3].status, 429);
        assert!(parse_bulk(b"<html>").is_err());
    }
}
