//! The OpenSearch Dashboards calls siemctl makes: status, `_bulk_get` to read every managed
//! saved object in one request per batch, `_bulk_create` to write whole objects,
//! deletes, and the advanced-settings API. Every call carries the tenant, and before anything
//! is read the tenant the server resolved is checked against the one the target names.
//!
//! Bulk calls are cut into batches by body size, and the batches of one call are sent
//! concurrently (at most [`IN_FLIGHT`] at a time).

use reqwest::Method;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
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
/// The most objects one `_find` page holds: the saved-objects repository searches with
/// `from = per_page * (page - 1)` and `size = per_page` (OpenSearch-Dashboards
/// `src/core/server/saved_objects/service/lib/repository.ts`, `find`), and OpenSearch refuses
/// `from + size` over the index's `max_result_window` (10,000 by default) with 400.
const MAX_FIND: usize = 10_000;
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
/// `__user__` for private). With multitenancy off in Dashboards nothing is resolved, and the
/// header siemctl sent may come back as it was (`global`, a name): read through
/// [`canonical_tenant`] so that `global` is the global tenant whichever way it came.
fn resolved_tenant(authinfo: &Value) -> Tenant {
    match authinfo
        .get("user_requested_tenant")
        .and_then(Value::as_str)
    {
        None => Tenant::Global,
        Some(t) => canonical_tenant(t),
    }
}

/// Whether the user may only read the tenant: authinfo's `tenants` map holds `true` for a
/// tenant granted read-write and `false` for one granted read-only (security `ConfigModelV7`
/// `TenantHolder.mapTenants`: "RW outperforms RO"; the user's own name, the private tenant, is
/// always `true`; the global tenant is `global_tenant`). The security plugin refuses every
/// write in a read-only tenant (`PrivilegesInterceptorImpl`: only the actions of
/// `READ_ONLY_ALLOWED_ACTIONS`, get/search/mget, pass), so Dashboards answers 403.
fn read_only(authinfo: &Value, tenant: &Tenant) -> bool {
    let key = match tenant {
        Tenant::Global => "global_tenant",
        Tenant::Private => return false,
        Tenant::Custom(t) => t.as_str(),
    };
    if authinfo.get("user_name").and_then(Value::as_str) == Some(key) {
        return false;
    }
    authinfo
        .pointer(&format!(
            "/tenants/{}",
            key.replace('~', "~0").replace('/', "~1")
        ))
        .and_then(Value::as_bool)
        == Some(false)
}

/// What the tenant check found: the tenant the server works in (the one the target names),
/// and whether the user may write there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TenantAccess {
    pub(crate) tenant: Tenant,
    /// The tenant is granted read-only: plans work, writes would be refused with 403.
    pub(crate) read_only: bool,
}

/// Live saved objects by type, id and title, from one `_find` (see [`Cluster::find_titles`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Titles {
    /// `(type, id, title)` of each object found.
    pub(crate) objects: Vec<(String, String, String)>,
    /// How many objects of those types the tenant holds (more than `objects` when over
    /// [`MAX_FIND`]).
    pub(crate) total: u64,
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
    /// the target names, and says whether the user may write there. A tenant the user does not
    /// have (not defined, or not granted) is not an error upstream: Dashboards falls back to the
    /// preferred tenants, then global (`tenant_resolver.ts`), and siemctl would read and write
    /// that tenant's objects while recording them as the named one's. Without the security
    /// plugin (no `/api/v1/auth/authinfo`), tenants do not exist: only the global tenant can be
    /// named. With the plugin but its multitenancy off in Dashboards
    /// (`opensearch_security.multitenancy.enabled: false`), authinfo still answers but nothing
    /// resolves a tenant, and the `securitytenant` header may come back as sent: a named
    /// tenant other than global is then checked with `GET /api/v1/multitenancy/info`, a route
    /// Dashboards registers only with multitenancy on (security-dashboards-plugin
    /// `server/plugin.ts`, `setupMultitenantRoutes`), sent in the same round trip.
    pub(crate) async fn confirm_tenant(&self) -> Result<TenantAccess, Error> {
        let wanted = canonical_tenant(&self.tenant);
        let info = async {
            if wanted == Tenant::Global {
                return Ok(None);
            }
            self.dashboards(Method::GET, "/api/v1/multitenancy/info", None)
                .await
                .map(Some)
        };
        let (authinfo, info) = tokio::join!(
            self.dashboards(Method::GET, "/api/v1/auth/authinfo", None),
            info
        );
        let (response, url) = authinfo?;
        if response.status == 404 {
            return match wanted {
                Tenant::Global => Ok(TenantAccess {
                    tenant: Tenant::Global,
                    read_only: false,
                }),
                _ => Err(Error::Unsupported(format!(
                    "tenant `{}` is named, but this Dashboards has no tenants (GET {url} is 404: the security plugin's multitenancy is not there), so every saved object is in the one global index; name the global tenant (or no tenant) in the target",
                    self.tenant
                ))),
            };
        }
        let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
        if let Some((response, info_url)) = info? {
            // 404: the routes are not registered; `multitenancy_enabled: false`: the security
            // plugin's own switch (`config.dynamic.kibana.multitenancy_enabled`) is off, and it
            // ignores the tenant header (DashboardsInfoAction, PrivilegesInterceptorImpl).
            let off = response.status == 404
                || response
                    .ok(&Method::GET, &info_url)?
                    .json(&Method::GET, &info_url)?
                    .get("multitenancy_enabled")
                    .and_then(Value::as_bool)
                    == Some(false);
            if off {
                return Err(Error::Unsupported(format!(
                    "tenant `{}` is named, but multitenancy is disabled in this Dashboards (opensearch_security.multitenancy.enabled: false, or the security plugin's multitenancy_enabled: false; GET {info_url} tells), so every saved object is in the global tenant. Nothing was read or written: name the global tenant (`tenant = \"global\"`) or no tenant in the target, or turn multitenancy on",
                    self.tenant
                )));
            }
        }
        let resolved = resolved_tenant(&body);
        if resolved == wanted {
            let read_only = read_only(&body, &resolved);
            return Ok(TenantAccess {
                tenant: resolved,
                read_only,
            });
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

    /// Type, id and title of the tenant's saved objects of `types`, in one request:
    /// `_find` with a `type` parameter per type and `fields=title`, so that each object comes
    /// with its title attribute only, and at most [`MAX_FIND`] objects (the first page; `total`
    /// says how many there are).
    pub(crate) async fn find_titles(&self, types: &[&str]) -> Result<Titles, Error> {
        if types.is_empty() {
            return Ok(Titles::default());
        }
        let mut path = format!("/api/saved_objects/_find?per_page={MAX_FIND}&fields=title");
        for t in types {
            path.push_str("&type=");
            path.push_str(&segment(t));
        }
        let (response, url) = self.dashboards(Method::GET, &path, None).await?;
        let body = response.ok(&Method::GET, &url)?.json(&Method::GET, &url)?;
        let text = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
        let objects = body
            .get("saved_objects")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|o| {
                        Some((
                            text(o, "/type")?,
                            text(o, "/id")?,
                            text(o, "/attributes/title")?,
                        ))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let total = body
            .get("total")
            .and_then(Value::as_u64)
            .unwrap_or(objects.len() as u64);
        Ok(Titles { objects, total })
    }

    /// The saved objects named, in order: `None` for those that do not exist. The batches go
    /// concurrently.
    pub(crate) async fn bulk_get(
        &self,
        objects: &[(String, String)],
    ) -> Result<Vec<Option<Value>>, Error> {
        self.bulk_get_each(objects, |_, object| object).await
    }

    /// [`Cluster::bulk_get`], each object found given to `each` (with its index in `objects`)
    /// as soon as it is decoded: the answer is read object by object from its bytes, so no
    /// batch is ever held both as bytes and as one decoded tree, and what `each` keeps of an
    /// object is all that stays of it.
    pub(crate) async fn bulk_get_each<T: Send>(
        &self,
        objects: &[(String, String)],
        each: impl Fn(usize, Value) -> T + Sync,
    ) -> Result<Vec<Option<T>>, Error> {
        let request: Vec<Value> = objects
            .iter()
            .map(|(t, id)| json!({ "type": t, "id": id }))
            .collect();
        let mut start = 0;
        let mut starts = Vec::new();
        let batches = batches(request, MAX_GET);
        for batch in &batches {
            starts.push(start);
            start += batch.len();
        }
        let each = &each;
        let answers = bounded(
            IN_FLIGHT,
            batches
                .into_iter()
                .zip(starts)
                .map(|(batch, start)| self.bulk_get_batch(batch, start, each)),
        )
        .await;
        let mut found = Vec::with_capacity(objects.len());
        for answer in answers {
            found.extend(answer?);
        }
        Ok(found)
    }

    async fn bulk_get_batch<T>(
        &self,
        batch: Vec<Value>,
        start: usize,
        each: &impl Fn(usize, Value) -> T,
    ) -> Result<Vec<Option<T>>, Error> {
        let (response, url) = self
            .dashboards(
                Method::POST,
                "/api/saved_objects/_bulk_get",
                Some(&Value::Array(batch)),
            )
            .await?;
        let response = response.ok(&Method::POST, &url)?;
        let mut deserializer = serde_json::Deserializer::from_slice(&response.body);
        let answer = BulkGetAnswer { start, each }
            .deserialize(&mut deserializer)
            .and_then(|items| deserializer.end().map(|()| items))
            .map_err(|e| Error::Decode {
                method: "POST".into(),
                url: url.clone(),
                message: e.to_string(),
            })?;
        drop(response);
        let mut found = Vec::with_capacity(answer.len());
        for item in answer {
            match item {
                BulkGetItem::Found(object) => found.push(Some(object)),
                BulkGetItem::Missing => found.push(None),
                BulkGetItem::Failed { status, reason } => {
                    return Err(Error::Status {
                        method: "POST".into(),
                        url,
                        status,
                        reason,
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
    fn read_only_from_the_tenants_map() {
        // ConfigModelV7 mapTenants: true = read-write, false = read-only; the user's own name
        // (the private tenant) is always true; `global_tenant` is the global one.
        let info = json!({"user_name": "u", "tenants": {"u": true, "global_tenant": false, "team-a": true, "team-r": false}});
        assert!(read_only(&info, &Tenant::Custom("team-r".into())));
        assert!(!read_only(&info, &Tenant::Custom("team-a".into())));
        assert!(read_only(&info, &Tenant::Global));
        assert!(!read_only(&info, &Tenant::Private));
        assert!(!read_only(&info, &Tenant::Custom("u".into())));
        // Not listed: not known to be read-only (the write's own answer decides).
        assert!(!read_only(&info, &Tenant::Custom("other".into())));
        // Multitenancy off: the header comes back as sent.
        assert_eq!(
            resolved_tenant(&json!({"user_requested_tenant": "global"})),
            Tenant::Global
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

/// One item of a `_bulk_get` answer, as [`Cluster::bulk_get_each`] keeps it.
enum BulkGetItem<T> {
    Found(T),
    /// 404: the object does not exist.
    Missing,
    /// Any other error of the item: the read fails.
    Failed {
        status: u16,
        reason: String,
    },
}

/// Reads a `_bulk_get` answer (`{"saved_objects": [...]}`) item by item, handing each object
/// found to `each` as soon as it is decoded.
struct BulkGetAnswer<'a, F> {
    /// The index, in the whole request, of the batch's first object.
    start: usize,
    each: &'a F,
}

/// The `saved_objects` array of [`BulkGetAnswer`].
struct BulkGetItems<'a, F> {
    start: usize,
    each: &'a F,
}

impl<'de, T, F: Fn(usize, Value) -> T> DeserializeSeed<'de> for BulkGetAnswer<'_, F> {
    type Value = Vec<BulkGetItem<T>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T, F: Fn(usize, Value) -> T> Visitor<'de> for BulkGetAnswer<'_, F> {
    type Value = Vec<BulkGetItem<T>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a _bulk_get answer")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "saved_objects" {
                items = map.next_value_seed(BulkGetItems {
                    start: self.start,
                    each: self.each,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(items)
    }
}

impl<'de, T, F: Fn(usize, Value) -> T> DeserializeSeed<'de> for BulkGetItems<'_, F> {
    type Value = Vec<BulkGetItem<T>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T, F: Fn(usize, Value) -> T> Visitor<'de> for BulkGetItems<'_, F> {
    type Value = Vec<BulkGetItem<T>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of saved objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Value>()? {
            let index = self.start + items.len();
            items.push(
                match item.pointer("/error/statusCode").and_then(Value::as_u64) {
                    None => BulkGetItem::Found((self.each)(index, item)),
                    Some(404) => BulkGetItem::Missing,
                    Some(status) => BulkGetItem::Failed {
                        status: u16::try_from(status).unwrap_or(500),
                        reason: item
                            .pointer("/error/message")
                            .and_then(Value::as_str)
                            .unwrap_or("unknown error")
                            .to_string(),
                    },
                },
            );
        }
        Ok(items)
    }
}

#[cfg(test)]
mod bulk_get_tests {
    use super::*;

    fn read(body: &str) -> Result<Vec<BulkGetItem<(usize, String)>>, serde_json::Error> {
        let each = |i: usize, o: Value| (i, o["id"].as_str().unwrap_or_default().to_string());
        let mut d = serde_json::Deserializer::from_str(body);
        let items = BulkGetAnswer {
            start: 10,
            each: &each,
        }
        .deserialize(&mut d)?;
        d.end()?;
        Ok(items)
    }

    #[test]
    fn bulk_get_answer_is_read_item_by_item_in_order() {
        let body = r#"{"other": {"x": [1, 2]}, "saved_objects": [
            {"id": "a", "type": "search", "attributes": {}},
            {"id": "b", "type": "search", "error": {"statusCode": 404, "message": "Not Found"}},
            {"id": "c", "type": "search", "error": {"statusCode": 403, "message": "Forbidden"}}
        ]}"#;
        let items = read(body).unwrap();
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], BulkGetItem::Found((10, id)) if id == "a"));
        assert!(matches!(items[1], BulkGetItem::Missing));
        assert!(
            matches!(&items[2], BulkGetItem::Failed { status: 403, reason } if reason == "Forbidden")
        );
    }

    #[test]
    fn bulk_get_answer_that_is_not_an_object_is_an_error() {
        assert!(read("[]").is_err());
        assert!(read(r#"{"saved_objects": [] } x"#).is_err());
    }
}
