//! The OpenSearch Dashboards calls siemctl makes: status, `_bulk_get` to read every managed
//! saved object in one request per batch, `_bulk_create` to write whole objects,
//! deletes, and the advanced-settings API. Every call carries the tenant, and before anything
//! is read the tenant the server resolved is checked against the one the target names.
//!
//! Bulk calls are cut into batches by body size, and the batches of one call are sent
//! concurrently (at most [`IN_FLIGHT`] at a time).

use reqwest::Method;
use serde_json::{json, Value};

use super::concurrent::{bounded, IN_FLIGHT};
use super::{segment, Cluster, Error};

/// The most a bulk request body holds, in bytes: half of Dashboards' default
/// `server.maxPayload` (1 MiB, `src/core/server/http/http_config.ts`), which refuses larger
/// bodies with 413. A `_bulk_get` item is a few dozen bytes, so thousands of objects are read in
/// one request; a `_bulk_create` item is a whole object.
const MAX_BODY: usize = 512 * 1024;
/// The most objects a `_bulk_get` batch names (each one is a document the server fetches).
const MAX_GET: usize = 10_000;
/// The most objects a `_bulk_create` batch writes (each one is a document the server indexes).
const MAX_CREATE: usize = 500;
/// The objects of one `_find` page.
const FIND_PAGE: usize = 1000;
/// `index.max_result_window`'s default: from + size of a search may not go past it.
const MAX_WINDOW: u64 = 10_000;

/// Cuts items into consecutive batches of at most `max_items` items and [`MAX_BODY`] bytes
/// (an item larger than that goes alone), keeping their order.
fn batches(items: Vec<Value>, max_items: usize) -> Vec<Vec<Value>> {
    let mut out: Vec<Vec<Value>> = Vec::new();
    let mut current = Vec::new();
    let mut size = 2; // the brackets of the array
    for item in items {
        let item_size = serde_json::to_vec(&item).map_or(0, |b| b.len()) + 1;
        if !current.is_empty() && (current.len() >= max_items || size + item_size > MAX_BODY) {
            out.push(std::mem::take(&mut current));
            size = 2;
        }
        size += item_size;
        current.push(item);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A Dashboards tenant as the security plugin resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tenant {
    /// The global tenant (the `.kibana` index).
    Global,
    /// The user's private tenant.
    Private,
    /// A custom tenant (or the user's own name, which is the private tenant's index too).
    Custom(String),
}

impl Tenant {
    /// The name a person would write for it.
    pub(crate) fn display(&self) -> &str {
        match self {
            Tenant::Global => "global",
            Tenant::Private => "private",
            Tenant::Custom(t) => t,
        }
    }
}

/// The tenant a name selects: `global`, `Global` (2.7+) and the empty string are the global
/// tenant; `private`, `Private` (2.19+) and `__user__` the private one (security-dashboards-plugin
/// `server/multitenancy/tenant_resolver.ts`, `GLOBAL_TENANTS` and `PRIVATE_TENANTS`; the names
/// are matched case-sensitively there, so `GLOBAL` is a custom name).
pub(crate) fn canonical_tenant(name: &str) -> Tenant {
    match name {
        "global" | "Global" | "" => Tenant::Global,
        "private" | "Private" | "__user__" => Tenant::Private,
        other => Tenant::Custom(other.to_string()),
    }
}

/// The tenant a Dashboards request resolved to, from the authinfo Dashboards answers for it
/// (security-dashboards-plugin `server/routes/index.ts`: Dashboards forwards the resolved tenant
/// in the `securitytenant` header of its own authinfo call, and the security plugin's
/// `SecurityInfoAction` reports it as `user_requested_tenant`: `""` (or none) for global,
/// `__user__` for private).
fn resolved_tenant(authinfo: &Value) -> Tenant {
    match authinfo
        .get("user_requested_tenant")
        .and_then(Value::as_str)
    {
        None | Some("") => Tenant::Global,
        Some("__user__") => Tenant::Private,
        Some(t) => Tenant::Custom(t.to_string()),
    }
}

/// The tenants the user has, for a message: authinfo's `tenants` map (ConfigModelV7
/// `mapTenants`), where the user's own name is the private tenant and `global_tenant` the global.
fn available_tenants(authinfo: &Value) -> Vec<String> {
    let user = authinfo.get("user_name").and_then(Value::as_str);
    let mut names: Vec<String> = authinfo
        .get("tenants")
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .map(|k| match k.as_str() {
                    k if Some(k) == user => "private".to_string(),
                    "global_tenant" => "global".to_string(),
                    k => k.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.dedup();
    names
}

/// The outcome of one object of a bulk create, in the order sent.
#[derive(Debug, Clone)]
pub(crate) struct ItemResult {
    /// The object was refused with 409: it exists (a create) or changed (a conditional update).
    pub(crate) conflict: bool,
    /// The server's error for this object, if it failed.
    pub(crate) error: Option<String>,
}

impl Cluster {
    /// The Dashboards version, from /api/status (detection sends [`Cluster::confirm_tenant`]
    /// beside it).
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

    /// Refuses to go on when the tenant Dashboards resolved for this connection is not the one
    /// the target names. A tenant the user does not have (not defined, or not granted) is not
    /// an error upstream: Dashboards falls back to the preferred tenants, then global
    /// (`tenant_resolver.ts`), and siemctl would read and write that tenant's objects while
    /// recording them as the named one's. Without the security plugin (no
    /// `/api/v1/auth/authinfo`), tenants do not exist: only the global tenant can be named.
    pub(crate) async fn confirm_tenant(&self) -> Result<(), Error> {
        let wanted = canonical_tenant(&self.tenant);
        let (response, url) = self
            .dashboards(Method::GET, "/api/v1/auth/authinfo", None)
            .await?;
        if response.status == 404 {
            return match wanted {
                Tenant::Global => Ok(()),
                _ => Err(Error::Unsupported(format!(
                    "tenant `{}` is named, but this Dashboards has no tenants (GET {url} is 404: the security plugin's multitenancy is not there), so every saved object is in the one global index; name the global tenant (or no tenant) in the target",
                    self.tenant
                ))),
            };
        }
        let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
        let resolved = resolved_tenant(&body);
        if resolved == wanted {
            return Ok(());
        }
        let available = available_tenants(&body);
        Err(Error::Unsupported(format!(
            "tenant `{}` is not available to this user; Dashboards would use `{}` (the user's tenants: {}). Nothing was read or written: define the tenant in the security plugin and grant it to one of the user's roles, or fix `tenant` in the target",
            self.tenant,
            resolved.display(),
            if available.is_empty() {
                "none listed".to_string()
            } else {
                available.join(", ")
            }
        )))
    }

    /// The saved objects named, in order: `None` for those that do not exist. The batches go
    /// concurrently.
    pub(crate) async fn bulk_get(
        &self,
        objects: &[(String, String)],
    ) -> Result<Vec<Option<Value>>, Error> {
        let request: Vec<Value> = objects
            .iter()
            .map(|(t, id)| json!({ "type": t, "id": id }))
            .collect();
        let answers = bounded(
            IN_FLIGHT,
            batches(request, MAX_GET)
                .into_iter()
                .map(|batch| self.bulk_get_batch(batch)),
        )
        .await;
        let mut found = Vec::with_capacity(objects.len());
        for answer in answers {
            found.extend(answer?);
        }
        Ok(found)
    }

    async fn bulk_get_batch(&self, batch: Vec<Value>) -> Result<Vec<Option<Value>>, Error> {
        let (response, url) = self
            .dashboards(
                Method::POST,
                "/api/saved_objects/_bulk_get",
                Some(&Value::Array(batch)),
            )
            .await?;
        let body = response
            .ok(&Method::POST, &url)?
            .json(&Method::POST, &url)?;
        let items = match body {
            Value::Object(mut map) => match map.remove("saved_objects") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let mut found = Vec::with_capacity(items.len());
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
        Ok(found)
    }

    /// Writes whole objects with `_bulk_create` (never the partial-merge update): creates with
    /// `overwrite=false`, so an object someone else made meanwhile is not replaced; updates
    /// with `overwrite=true` and each object's `version`, so one changed meanwhile is not
    /// either. Per-object failures (409 among them) are returned, not raised.
    /// The batches go concurrently.
    pub(crate) async fn bulk_create(
        &self,
        objects: Vec<Value>,
        overwrite: bool,
    ) -> Vec<ItemResult> {
        let chunks = batches(objects, MAX_CREATE);
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        let answers = bounded(
            IN_FLIGHT,
            chunks
                .into_iter()
                .map(|chunk| self.bulk_create_chunk(chunk, overwrite)),
        )
        .await;
        let mut results = Vec::with_capacity(sizes.iter().sum());
        for (answer, size) in answers.into_iter().zip(sizes) {
            // A chunk that fails as a whole fails its objects only: the others stay written.
            match answer {
                Ok(items) => results.extend(items),
                Err(err) => results.extend((0..size).map(|_| ItemResult {
                    conflict: false,
                    error: Some(err.to_string()),
                })),
            }
        }
        results
    }

    async fn bulk_create_chunk(
        &self,
        chunk: Vec<Value>,
        overwrite: bool,
    ) -> Result<Vec<ItemResult>, Error> {
        let count = chunk.len();
        let (response, url) = self
            .dashboards(
                Method::POST,
                if overwrite {
                    "/api/saved_objects/_bulk_create?overwrite=true"
                } else {
                    "/api/saved_objects/_bulk_create?overwrite=false"
                },
                Some(&Value::Array(chunk)),
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
        Ok((0..count)
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

    /// Every saved object of these types in the tenant, whole, from `_find`: one request per
    /// page of [`FIND_PAGE`] objects, sent one after the other (the first answer tells the
    /// total). The route's query schema (OpenSearch-Dashboards
    /// `src/core/server/saved_objects/routes/find.ts`) sets no most `per_page`, but the
    /// repository passes page and per_page to the index as from/size, so nothing past the
    /// index's `max_result_window` (10,000) can be paged to: more than that is an error
    /// naming the way out.
    pub(crate) async fn find_all(&self, types: &[&str]) -> Result<Vec<Value>, Error> {
        let mut found: Vec<Value> = Vec::new();
        let mut page = 1;
        loop {
            let mut path = format!("/api/saved_objects/_find?per_page={FIND_PAGE}&page={page}");
            for t in types {
                path.push_str(&format!("&type={}", segment(t)));
            }
            let (response, url) = self.dashboards(Method::GET, &path, None).await?;
            let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
            let total = body.get("total").and_then(Value::as_u64).unwrap_or(0);
            if total > MAX_WINDOW {
                return Err(Error::Unsupported(format!(
                    "the tenant holds {total} saved objects of these types, and Dashboards' _find pages through the first {MAX_WINDOW} only (the index's max_result_window): narrow the list with --type"
                )));
            }
            let items = match body {
                Value::Object(mut map) => match map.remove("saved_objects") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let empty = items.is_empty();
            found.extend(items);
            if empty || found.len() as u64 >= total {
                break;
            }
            page += 1;
        }
        // An object written between two pages may move: each one once.
        let mut seen = std::collections::HashSet::new();
        found.retain(|o| {
            seen.insert((
                o.get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                o.get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            ))
        });
        Ok(found)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_tenant_names() {
        for g in ["global", "Global", ""] {
            assert_eq!(canonical_tenant(g), Tenant::Global, "{g}");
        }
        for p in ["private", "Private", "__user__"] {
            assert_eq!(canonical_tenant(p), Tenant::Private, "{p}");
        }
        assert_eq!(canonical_tenant("GLOBAL"), Tenant::Custom("GLOBAL".into()));
        let info = json!({"user_name": "u", "user_requested_tenant": "", "tenants": {"u": true, "global_tenant": true, "team-a": false}});
        assert_eq!(resolved_tenant(&info), Tenant::Global);
        assert_eq!(available_tenants(&info), ["global", "private", "team-a"]);
        assert_eq!(
            resolved_tenant(&json!({"user_requested_tenant": null})),
            Tenant::Global
        );
        assert_eq!(
            resolved_tenant(&json!({"user_requested_tenant": "__user__"})),
            Tenant::Private
        );
    }

    #[test]
    fn batches_keep_the_order_under_both_limits() {
        let items: Vec<Value> = (0..7).map(|i| json!({"type": "search", "id": i})).collect();
        let cut = batches(items.clone(), 3);
        assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
        assert_eq!(cut.concat(), items);
        // By size: each item is about 300 KiB, so one per batch; a larger one goes alone.
        let big = |n: usize| json!({"type": "visualization", "id": "x".repeat(n)});
        let cut = batches(vec![big(300_000), big(300_000), big(900_000), big(10)], 100);
        assert_eq!(cut.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1, 1, 1]);
        let small: Vec<Value> = (0..5000)
            .map(|i| json!({"type": "visualization", "id": format!("bench-visualization-{i}")}))
            .collect();
        assert_eq!(
            batches(small, MAX_GET).len(),
            1,
            "5,000 ids in one _bulk_get"
        );
        assert!(batches(Vec::new(), 3).is_empty());
    }
}
