//! The OpenSearch Dashboards calls siemctl makes: status, `_bulk_get` to read every managed
//! saved object in one request per batch, `_bulk_create` to write whole objects,
//! deletes, and the advanced-settings API. Every call carries the tenant.

use reqwest::Method;
use serde_json::{json, Value};

use super::{segment, Cluster, Error};

/// `_bulk_get` and `_bulk_create` batch size: keeps bodies well under the server's limits.
const BATCH: usize = 500;

/// The outcome of one object of a bulk create, in the order sent.
#[derive(Debug, Clone)]
pub(crate) struct ItemResult {
    /// The object was refused with 409: it exists (a create) or changed (a conditional update).
    pub(crate) conflict: bool,
    /// The server's error for this object, if it failed.
    pub(crate) error: Option<String>,
}

impl Cluster {
    /// The Dashboards version, from /api/status.
    pub(crate) async fn dashboards_version(&self) -> Result<String, Error> {
        let (response, url) = self.dashboards(Method::GET, "/api/status", None).await?;
        let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
        body.pointer("/version/number")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::Decode {
                method: "GET".into(),
                url,
                message: "no version.number in the status".into(),
            })
    }

    /// The saved objects named, in order: `None` for those that do not exist.
    pub(crate) async fn bulk_get(
        &self,
        objects: &[(String, String)],
    ) -> Result<Vec<Option<Value>>, Error> {
        let mut found = Vec::with_capacity(objects.len());
        for chunk in objects.chunks(BATCH) {
            let request: Vec<Value> = chunk
                .iter()
                .map(|(t, id)| json!({ "type": t, "id": id }))
                .collect();
            let (response, url) = self
                .dashboards(
                    Method::POST,
                    "/api/saved_objects/_bulk_get",
                    Some(&Value::Array(request)),
                )
                .await?;
            let body = response
                .ok(&Method::POST, &url)?
                .json(&Method::POST, &url)?;
            let items = body
                .get("saved_objects")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for item in items {
                match item.pointer("/error/statusCode").and_then(Value::as_u64) {
                    None => found.push(Some(item)),
                    Some(404) => found.push(None),
                    Some(status) => {
                        return Err(Error::Status {
                            method: "POST".into(),
                            url: url.clone(),
                            status: u16::try_from(status).unwrap_or(500),
                            reason: item
                                .pointer("/error/message")
                                .and_then(Value::as_str)
                                .unwrap_or("unknown error")
                                .to_string(),
                        })
                    }
                }
            }
        }
        Ok(found)
    }

    /// Writes whole objects with `_bulk_create` (never the partial-merge update): creates with
    /// `overwrite=false`, so an object someone else made meanwhile is not replaced; updates
    /// with `overwrite=true` and each object's `version`, so one changed meanwhile is not
    /// either. Per-object failures (409 among them) are returned, not raised.
    pub(crate) async fn bulk_create(&self, objects: &[Value], overwrite: bool) -> Vec<ItemResult> {
        let mut results = Vec::with_capacity(objects.len());
        for chunk in objects.chunks(BATCH) {
            // A chunk that fails as a whole fails its objects only: earlier chunks stay written.
            match self.bulk_create_chunk(chunk, overwrite).await {
                Ok(items) => results.extend(items),
                Err(err) => results.extend(chunk.iter().map(|_| ItemResult {
                    conflict: false,
                    error: Some(err.to_string()),
                })),
            }
        }
        results
    }

    async fn bulk_create_chunk(
        &self,
        chunk: &[Value],
        overwrite: bool,
    ) -> Result<Vec<ItemResult>, Error> {
        let (response, url) = self
            .dashboards(
                Method::POST,
                if overwrite {
                    "/api/saved_objects/_bulk_create?overwrite=true"
                } else {
                    "/api/saved_objects/_bulk_create?overwrite=false"
                },
                Some(&Value::Array(chunk.to_vec())),
            )
            .await?;
        let body = response
            .ok(&Method::POST, &url)?
            .json(&Method::POST, &url)?;
        let items = body
            .get("saved_objects")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok((0..chunk.len())
            .map(|i| {
                let error = match items.get(i) {
                    None => Some("the server did not report on this object".to_string()),
                    Some(item) => item.get("error").map(|e| {
                        e.get("message")
                            .and_then(Value::as_str)
                            .map_or_else(|| e.to_string(), str::to_string)
                    }),
                };
                let conflict = items
                    .get(i)
                    .and_then(|item| item.pointer("/error/statusCode"))
                    .and_then(Value::as_u64)
                    == Some(409);
                ItemResult { conflict, error }
            })
            .collect())
    }

    /// Deletes a saved object; one that is already gone is fine.
    pub(crate) async fn delete_saved_object(
        &self,
        saved_object_type: &str,
        id: &str,
    ) -> Result<(), Error> {
        let path = format!(
            "/api/saved_objects/{}/{}",
            segment(saved_object_type),
            segment(id)
        );
        let (response, url) = self.dashboards(Method::DELETE, &path, None).await?;
        if response.status == 404 {
            return Ok(());
        }
        response.ok(&Method::DELETE, &url).map(drop)
    }

    /// Sets advanced settings (the tenant's `config` object) through the settings API.
    pub(crate) async fn update_settings(&self, changes: &Value) -> Result<(), Error> {
        let (response, url) = self
            .dashboards(
                Method::POST,
                "/api/opensearch-dashboards/settings",
                Some(&json!({ "changes": changes })),
            )
            .await?;
        response.ok(&Method::POST, &url).map(drop)
    }
}
