//! The OpenSearch calls siemctl makes: server detection, the list endpoints that read every
//! template, pipeline and ISM policy in one request each, whole-object writes, and plain
//! documents (siemctl's state and lock).

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{json, Value};

use super::{segment, Cluster, Error};
use crate::content::kind::Kind;

/// What GET / says about the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerInfo {
    pub(crate) distribution: String,
    pub(crate) number: String,
}

impl ServerInfo {
    /// `(major, minor, patch)` of the version number.
    pub(crate) fn version(&self) -> (u32, u32, u32) {
        let mut parts = self
            .number
            .split(['.', '-'])
            .map(|p| p.parse::<u32>().unwrap_or(0));
        (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        )
    }

    /// Refuses servers siemctl does not support: Elasticsearch, and OpenSearch before 1.3.
    pub(crate) fn check_supported(&self) -> Result<(), Error> {
        if self.distribution != "opensearch" {
            return Err(Error::Unsupported(format!(
                "the server is not OpenSearch (GET / reports distribution `{}`, version {}): siemctl supports OpenSearch 1.3 and later, not Elasticsearch",
                if self.distribution.is_empty() { "none" } else { &self.distribution },
                self.number
            )));
        }
        if self.version() < (1, 3, 0) {
            return Err(Error::Unsupported(format!(
                "OpenSearch {} is too old: siemctl supports OpenSearch 1.3 and later",
                self.number
            )));
        }
        Ok(())
    }
}

/// A live ISM policy with what a conditional update needs.
#[derive(Debug, Clone)]
pub(crate) struct LivePolicy {
    pub(crate) seq_no: i64,
    pub(crate) primary_term: i64,
    /// `{"policy": {...}}`, as the content writes it.
    pub(crate) body: Value,
}

impl LivePolicy {
    /// From a GET response or an item of the list: `{_id, _seq_no, _primary_term, policy}`.
    fn from_response(item: &Value) -> LivePolicy {
        let (seq_no, primary_term) = seq_of(item);
        LivePolicy {
            seq_no,
            primary_term,
            body: json!({ "policy": item.get("policy").cloned().unwrap_or(Value::Null) }),
        }
    }
}

/// A document with its sequence number and primary term.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    pub(crate) seq_no: i64,
    pub(crate) primary_term: i64,
    pub(crate) source: Value,
}

/// A conditional document write.
#[derive(Debug, Clone, Copy)]
pub(crate) enum WriteIf {
    /// Only if it does not exist (op_type=create).
    Absent,
    /// Only if it is still at this seq_no and primary term.
    Unchanged { seq_no: i64, primary_term: i64 },
}

/// How a conditional write ended.
#[derive(Debug)]
pub(crate) enum Written {
    Done {
        seq_no: i64,
        primary_term: i64,
    },
    /// 409: the document exists (Absent) or changed (Unchanged).
    Conflict,
}

impl Cluster {
    pub(crate) async fn server_info(&self) -> Result<ServerInfo, Error> {
        let (response, url) = self.opensearch(Method::GET, "/", None).await?;
        let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
        let text = |p: &str| {
            body.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        Ok(ServerInfo {
            distribution: text("/version/distribution"),
            number: text("/version/number"),
        })
    }

    /// Every component template, index template or pipeline, by name: one request per kind.
    pub(crate) async fn list(&self, kind: Kind) -> Result<BTreeMap<String, Value>, Error> {
        let (path, list_key, item_key) = match kind {
            Kind::ComponentTemplate => (
                "/_component_template",
                "component_templates",
                "component_template",
            ),
            Kind::IndexTemplate => ("/_index_template", "index_templates", "index_template"),
            Kind::IngestPipeline => ("/_ingest/pipeline", "", ""),
            other => return Err(Error::Settings(format!("{other} has no list endpoint"))),
        };
        let (response, url) = self.opensearch(Method::GET, path, None).await?;
        // A cluster without pipelines answers 404 with `{}`.
        if response.status == 404 {
            return Ok(BTreeMap::new());
        }
        let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
        if list_key.is_empty() {
            return Ok(body
                .as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default());
        }
        Ok(body
            .get(list_key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|item| {
                Some((
                    item.get("name")?.as_str()?.to_string(),
                    item.get(item_key)?.clone(),
                ))
            })
            .collect())
    }

    /// Every ISM policy, paging through the list endpoint.
    pub(crate) async fn ism_policies(&self) -> Result<BTreeMap<String, LivePolicy>, Error> {
        const PAGE: usize = 1000;
        let mut policies = BTreeMap::new();
        let mut from = 0;
        loop {
            let path = format!("/_plugins/_ism/policies?size={PAGE}&from={from}");
            let (response, url) = self.opensearch(Method::GET, &path, None).await?;
            // Before the first policy exists, the config index is missing.
            if response.status == 404 {
                return Ok(policies);
            }
            let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
            let page = body
                .get("policies")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for item in &page {
                let Some(id) = item.get("_id").and_then(Value::as_str) else {
                    continue;
                };
                policies.insert(id.to_string(), LivePolicy::from_response(item));
            }
            let total = body
                .get("total_policies")
                .and_then(Value::as_u64)
                .and_then(|t| usize::try_from(t).ok())
                .unwrap_or(0);
            from += page.len();
            if page.is_empty() || from >= total {
                return Ok(policies);
            }
        }
    }

    /// One ISM policy (used to resolve a conflict after a retried write).
    pub(crate) async fn ism_policy(&self, id: &str) -> Result<Option<LivePolicy>, Error> {
        let (response, url) = self
            .opensearch(
                Method::GET,
                &format!("/_plugins/_ism/policies/{}", segment(id)),
                None,
            )
            .await?;
        if response.status == 404 {
            return Ok(None);
        }
        let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
        Ok(Some(LivePolicy::from_response(&body)))
    }

    /// Creates a component or index template only if no template of that name exists
    /// (`create=true`); [`Written::Conflict`] when one does.
    pub(crate) async fn create_template(
        &self,
        kind: Kind,
        id: &str,
        body: &Value,
    ) -> Result<Written, Error> {
        let path = format!("{}/{}?create=true", base_path(kind)?, segment(id));
        let (response, url) = self.opensearch(Method::PUT, &path, Some(body)).await?;
        if response.status == 400
            && String::from_utf8_lossy(&response.body).contains("already exists")
        {
            return Ok(Written::Conflict);
        }
        response.ok(&Method::PUT, &url)?;
        Ok(Written::Done {
            seq_no: 0,
            primary_term: 0,
        })
    }

    /// One component or index template as GET returns it, if it exists.
    pub(crate) async fn get_template(&self, kind: Kind, id: &str) -> Result<Option<Value>, Error> {
        let (list_key, item_key) = match kind {
            Kind::ComponentTemplate => ("component_templates", "component_template"),
            _ => ("index_templates", "index_template"),
        };
        let (response, url) = self
            .opensearch(
                Method::GET,
                &format!("{}/{}", base_path(kind)?, segment(id)),
                None,
            )
            .await?;
        if response.status == 404 {
            return Ok(None);
        }
        let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
        Ok(body
            .get(list_key)
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(|item| item.get(item_key))
            .cloned())
    }

    /// Writes a whole template or pipeline.
    pub(crate) async fn put(&self, kind: Kind, id: &str, body: &Value) -> Result<(), Error> {
        let path = format!("{}/{}", base_path(kind)?, segment(id));
        let (response, url) = self.opensearch(Method::PUT, &path, Some(body)).await?;
        response.ok(&Method::PUT, &url).map(drop)
    }

    /// Writes an ISM policy: a create without `current`, a conditional update with it.
    /// Returns [`Written::Conflict`] on 409.
    pub(crate) async fn put_ism_policy(
        &self,
        id: &str,
        body: &Value,
        current: Option<(i64, i64)>,
    ) -> Result<Written, Error> {
        let mut path = format!("/_plugins/_ism/policies/{}", segment(id));
        if let Some((seq_no, primary_term)) = current {
            path.push_str(&format!(
                "?if_seq_no={seq_no}&if_primary_term={primary_term}"
            ));
        }
        self.conditional_put(&path, body).await
    }

    /// Deletes a template, pipeline or policy; one that is already gone is fine.
    pub(crate) async fn delete(&self, kind: Kind, id: &str) -> Result<(), Error> {
        let path = format!("{}/{}", base_path(kind)?, segment(id));
        let (response, url) = self.opensearch(Method::DELETE, &path, None).await?;
        if response.status == 404 {
            return Ok(());
        }
        response.ok(&Method::DELETE, &url).map(drop)
    }

    pub(crate) async fn get_doc(&self, index: &str, id: &str) -> Result<Option<Doc>, Error> {
        let (response, url) = self
            .opensearch(Method::GET, &format!("/{index}/_doc/{}", segment(id)), None)
            .await?;
        if response.status == 404 {
            return Ok(None);
        }
        let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
        if body.get("found").and_then(Value::as_bool) == Some(false) {
            return Ok(None);
        }
        let (seq_no, primary_term) = seq_of(&body);
        Ok(Some(Doc {
            seq_no,
            primary_term,
            source: body.get("_source").cloned().unwrap_or(Value::Null),
        }))
    }

    /// Documents of one index in one request (`POST /{index}/_mget`, RestMultiGetAction), in
    /// the order named: `None` for one that does not exist, or when the index does not (each
    /// item then carries `index_not_found_exception`). Each found item has `_seq_no` and
    /// `_primary_term`, as a GET answers (GetResult).
    pub(crate) async fn get_docs(
        &self,
        index: &str,
        ids: &[&str],
    ) -> Result<Vec<Option<Doc>>, Error> {
        let path = format!("/{}/_mget", segment(index));
        let (response, url) = self
            .opensearch(Method::POST, &path, Some(&json!({ "ids": ids })))
            .await?;
        let body = response
            .ok(&Method::POST, &url)?
            .json(&Method::POST, &url)?;
        let items = body
            .get("docs")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut docs = Vec::with_capacity(ids.len());
        for i in 0..ids.len() {
            let Some(item) = items.get(i) else {
                docs.push(None);
                continue;
            };
            if let Some(error) = item.get("error") {
                if error.get("type").and_then(Value::as_str) == Some("index_not_found_exception") {
                    docs.push(None);
                    continue;
                }
                return Err(Error::Status {
                    method: "POST".into(),
                    url: url.clone(),
                    status: 500,
                    reason: error
                        .get("reason")
                        .and_then(Value::as_str)
                        .map_or_else(|| error.to_string(), str::to_string),
                });
            }
            if item.get("found").and_then(Value::as_bool) != Some(true) {
                docs.push(None);
                continue;
            }
            let (seq_no, primary_term) = seq_of(item);
            docs.push(Some(Doc {
                seq_no,
                primary_term,
                source: item.get("_source").cloned().unwrap_or(Value::Null),
            }));
        }
        Ok(docs)
    }

    pub(crate) async fn put_doc(
        &self,
        index: &str,
        id: &str,
        source: &Value,
        condition: WriteIf,
    ) -> Result<Written, Error> {
        let query = match condition {
            WriteIf::Absent => "op_type=create".to_string(),
            WriteIf::Unchanged {
                seq_no,
                primary_term,
            } => format!("if_seq_no={seq_no}&if_primary_term={primary_term}"),
        };
        let path = format!("/{index}/_doc/{}?{query}&refresh=true", segment(id));
        self.conditional_put(&path, source).await
    }

    /// A PUT whose 409 means "exists" or "changed since read".
    async fn conditional_put(&self, path: &str, body: &Value) -> Result<Written, Error> {
        let (response, url) = self.opensearch(Method::PUT, path, Some(body)).await?;
        if response.status == 409 {
            return Ok(Written::Conflict);
        }
        let body = response.ok(&Method::PUT, &url)?.json(&Method::PUT, &url)?;
        let (seq_no, primary_term) = seq_of(&body);
        Ok(Written::Done {
            seq_no,
            primary_term,
        })
    }

    /// Deletes a document if it is still at `seq_no`/`primary_term`; false when it changed.
    pub(crate) async fn delete_doc(
        &self,
        index: &str,
        id: &str,
        seq_no: i64,
        primary_term: i64,
    ) -> Result<bool, Error> {
        let path = format!(
            "/{index}/_doc/{}?if_seq_no={seq_no}&if_primary_term={primary_term}&refresh=true",
            segment(id)
        );
        let (response, url) = self.opensearch(Method::DELETE, &path, None).await?;
        match response.status {
            404 => Ok(true),
            409 => Ok(false),
            _ => response.ok(&Method::DELETE, &url).map(|_| true),
        }
    }

    /// Creates siemctl's own index, hidden and small, unless it exists.
    pub(crate) async fn ensure_index(&self, index: &str) -> Result<(), Error> {
        let (response, url) = self
            .opensearch(Method::HEAD, &format!("/{index}"), None)
            .await?;
        if response.is_success() {
            return Ok(());
        }
        if response.status != 404 {
            return response.ok(&Method::HEAD, &url).map(drop);
        }
        let body = json!({
            "settings": { "index": { "number_of_shards": 1, "auto_expand_replicas": "0-1", "hidden": true } },
            "mappings": { "dynamic": false, "properties": { "kind": { "type": "keyword" } } }
        });
        let (response, url) = self
            .opensearch(Method::PUT, &format!("/{index}"), Some(&body))
            .await?;
        // Another run may have created it in between.
        if response.status == 400
            && String::from_utf8_lossy(&response.body).contains("resource_already_exists_exception")
        {
            return Ok(());
        }
        response.ok(&Method::PUT, &url).map(drop)
    }
}

/// `_seq_no` and `_primary_term` of a response or list item.
fn seq_of(body: &Value) -> (i64, i64) {
    let number = |key: &str| body.get(key).and_then(Value::as_i64).unwrap_or(0);
    (number("_seq_no"), number("_primary_term"))
}

fn base_path(kind: Kind) -> Result<&'static str, Error> {
    Ok(match kind {
        Kind::ComponentTemplate => "/_component_template",
        Kind::IndexTemplate => "/_index_template",
        Kind::IngestPipeline => "/_ingest/pipeline",
        Kind::IsmPolicy => "/_plugins/_ism/policies",
        other => {
            return Err(Error::Settings(format!(
                "{other} is not an OpenSearch object"
            )))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(distribution: &str, number: &str) -> ServerInfo {
        ServerInfo {
            distribution: distribution.into(),
            number: number.into(),
        }
    }

    #[test]
    fn supported_servers() {
        assert!(info("opensearch", "2.19.0").check_supported().is_ok());
        assert!(info("opensearch", "1.3.20").check_supported().is_ok());
        let old = info("opensearch", "1.2.4")
            .check_supported()
            .unwrap_err()
            .to_string();
        assert!(old.contains("too old"), "{old}");
        let es = info("", "7.10.2")
            .check_supported()
            .unwrap_err()
            .to_string();
        assert!(es.contains("not OpenSearch"), "{es}");
        assert_eq!(info("opensearch", "2.11.0-SNAPSHOT").version(), (2, 11, 0));
    }
}
