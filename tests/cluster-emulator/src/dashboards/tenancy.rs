//! The security plugin's multitenancy, as far as a client sees it: which tenant a Dashboards
//! request lands in, the tenants a user has, the `.kibana*` indices the tenants live in, and the
//! two endpoints that tell a client what it got.
//!
//! Upstream sources:
//! - security-dashboards-plugin `server/multitenancy/tenant_resolver.ts` (`resolveTenant`,
//!   `resolve`, `GLOBAL_TENANTS`, `PRIVATE_TENANTS`): the resolution order and the fallback;
//! - security `ConfigModelV7` (`TenantHolder.mapTenants`): the available tenants, the user's own
//!   name (the private tenant) among them, `global_tenant` for the global one;
//! - security `PrivilegesInterceptorImpl` (`toUserIndexName`): the tenant index name;
//! - security `BackendRegistry` (the requested tenant from the `securitytenant` header) and
//!   `SecurityInfoAction` (`GET /_plugins/_security/authinfo`);
//! - security-dashboards-plugin `server/routes/index.ts` (`GET /api/v1/auth/authinfo`, the
//!   authinfo of the request as Dashboards forwards it, with the resolved tenant in its header)
//!   and `server/multitenancy/routes.ts` (`GET /api/v1/multitenancy/tenant`, the tenant of the
//!   session cookie; `GET /api/v1/multitenancy/info`, the security plugin's dashboardsinfo);
//! - security-dashboards-plugin `server/plugin.ts` (`setupMultitenantRoutes` only when
//!   `opensearch_security.multitenancy.enabled`) and `server/auth/types/authentication_type.ts`
//!   (the tenant resolved, and set in the `securitytenant` header, only with it): multitenancy
//!   off in Dashboards;
//! - security `PrivilegesInterceptorImpl` (`READ_ONLY_ALLOWED_ACTIONS`: in a tenant granted
//!   read-only, only get/search/mget pass; a write is refused, 403) and `ConfigModelV7`
//!   (`mapTenants`: `false` for a read-only tenant).

use base64::Engine as _;
use serde_json::{json, Value};

use crate::http::{boom, Req, Resp};

/// The cookie the security plugin keeps the session in (`security_authentication`).
const COOKIE: &str = "security_authentication";

/// How the emulated cluster is set up for tenants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tenancy {
    /// The security plugin is installed, with multitenancy on. Without it, tenants do not exist:
    /// every request works in the one `.kibana` index and the tenant header is ignored.
    pub(crate) security: bool,
    /// The custom tenants defined in tenants.yml and granted to the user; `None`: every name
    /// asked for is (the emulator's permissive default, not a configuration upstream has).
    pub(crate) declared: Option<Vec<String>>,
    /// `opensearch_security.multitenancy.tenants.preferred`.
    pub(crate) preferred: Vec<String>,
    /// `opensearch_security.multitenancy.enabled` in Dashboards (with the security plugin's
    /// `multitenancy_enabled` to match): off, every request works in the global tenant, no
    /// tenant is resolved, and the `securitytenant` header a client sends is forwarded as it is
    /// (the `requestHeadersWhitelist` the security plugin's setup names) and echoed by authinfo.
    pub(crate) multitenancy: bool,
    /// Custom tenants granted read-only (`kibana_all_read`): available, but writes are 403.
    pub(crate) read_only: Vec<String>,
}

impl Tenancy {
    pub(crate) fn new(security: bool, declared: Option<Vec<String>>) -> Tenancy {
        Tenancy {
            security,
            declared,
            preferred: Vec::new(),
            multitenancy: true,
            read_only: Vec::new(),
        }
    }

    /// Whether writes to this resolved tenant are refused (a custom tenant granted read-only).
    pub(crate) fn is_read_only(&self, resolved: &Resolved) -> bool {
        matches!(resolved, Resolved::Custom(t) if self.read_only.contains(t))
    }

    /// `tenant in availableTenants` for a custom name (the user's own name is handled apart).
    fn available(&self, tenant: &str) -> bool {
        match &self.declared {
            None => true,
            // The demo roles grant `global_tenant`: it is among the available names too.
            Some(list) => {
                tenant == "global_tenant"
                    || list.iter().any(|t| t == tenant)
                    || self.read_only.iter().any(|t| t == tenant)
            }
        }
    }

    /// The tenants authinfo lists: the declared ones, `global_tenant`, and the user's name.
    fn available_map(&self, user: &str) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("global_tenant".into(), json!(true));
        for t in self.declared.iter().flatten() {
            map.insert(t.clone(), json!(true));
        }
        // "RW outperforms RO": a tenant granted both ways is read-write.
        for t in &self.read_only {
            map.entry(t.clone()).or_insert(json!(false));
        }
        map.insert(user.to_string(), json!(true));
        Value::Object(map)
    }
}

/// The tenant a request resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    Global,
    Private,
    Custom(String),
}

impl Resolved {
    /// The key of the tenant's store in the emulator.
    pub(crate) fn store_key(&self, user: &str) -> String {
        match self {
            Resolved::Global => "global".to_string(),
            Resolved::Private => format!("__user__{user}"),
            Resolved::Custom(t) if t == user => format!("__user__{user}"),
            Resolved::Custom(t) => t.clone(),
        }
    }

    /// What Dashboards puts in the `securitytenant` header it forwards (`GLOBAL_TENANT_SYMBOL`
    /// is the empty string, `PRIVATE_TENANT_SYMBOL` is `__user__`).
    fn symbol(&self) -> &str {
        match self {
            Resolved::Global => "",
            Resolved::Private => "__user__",
            Resolved::Custom(t) => t,
        }
    }
}

/// `GLOBAL_TENANTS` (`Global` since 2.7) and `PRIVATE_TENANTS` (`Private` since 2.19).
fn is_global(t: &str) -> bool {
    matches!(t, "global" | "" | "Global")
}

fn is_private(t: &str) -> bool {
    matches!(t, "__user__" | "private" | "Private")
}

/// The tenant a request names: the query parameters first, then the header, then the cookie.
fn requested(req: &Req) -> Option<String> {
    ["securityTenant_", "securitytenant", "security_tenant"]
        .iter()
        .find_map(|k| req.param(k).filter(|v| !v.is_empty()).map(str::to_string))
        .or_else(|| {
            req.header("securitytenant")
                .filter(|v| !v.is_empty())
                .or_else(|| req.header("securityTenant_").filter(|v| !v.is_empty()))
                .map(str::to_string)
        })
        .or_else(|| cookie_tenant(req))
}

/// `resolveTenant` and `resolve` with the global and private tenants enabled.
pub(crate) fn resolve(req: &Req, user: &str, tenancy: &Tenancy) -> Resolved {
    if !tenancy.security || !tenancy.multitenancy {
        return Resolved::Global;
    }
    if let Some(t) = requested(req) {
        // `requestedTenant in availableTenants` (the user's own name is there: their private
        // tenant, under its name), then the private names, then the global ones.
        if t == user {
            return Resolved::Custom(t);
        }
        if !is_global(&t) && !is_private(&t) && tenancy.available(&t) {
            return Resolved::Custom(t);
        }
        if is_private(&t) {
            return Resolved::Private;
        }
        if is_global(&t) {
            return Resolved::Global;
        }
    }
    for element in &tenancy.preferred {
        let t = element.to_lowercase();
        if is_global(&t) {
            return Resolved::Global;
        }
        if is_private(&t) {
            return Resolved::Private;
        }
        if tenancy.available(&t) {
            return Resolved::Custom(t);
        }
    }
    Resolved::Global
}

/// Java's `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, in
/// wrapping 32-bit arithmetic.
pub(crate) fn java_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// `PrivilegesInterceptorImpl.toUserIndexName`: `.kibana_<hashCode>_<name lowercased, every run
/// of characters outside a-z0-9 removed>`, the hash over the name as given. The private tenant's
/// name is the user's.
pub(crate) fn tenant_index(tenant: &str) -> String {
    let lowered = tenant.to_lowercase();
    let stripped: String = lowered
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .collect();
    format!(".kibana_{}_{stripped}", java_hash(tenant))
}

/// The alias (the name the interceptor writes to) of a store's index, from its store key.
pub(crate) fn index_of_store(key: &str) -> String {
    match key {
        "global" => ".kibana".to_string(),
        k => match k.strip_prefix("__user__") {
            Some(user) => tenant_index(user),
            None => tenant_index(k),
        },
    }
}

/// The user's authinfo as the security plugin answers it, with `requested` as the tenant header.
fn authinfo(user: &str, requested: Option<&str>, tenancy: &Tenancy) -> Value {
    json!({
        "user": format!("User [name={user}, backend_roles=[], requestedTenant={}]", requested.unwrap_or("null")),
        "user_name": user,
        "user_requested_tenant": requested,
        "remote_address": "127.0.0.1:0",
        "backend_roles": [],
        "custom_attribute_names": [],
        "roles": ["all_access", "own_index"],
        "tenants": tenancy.available_map(user),
        "principal": null,
        "peer_certificates": "0",
        "sso_logout_url": null
    })
}

/// The Dashboards routes of the security plugin, or None for every other path. Without the
/// plugin, they do not exist (404 from the caller's route table).
pub(crate) fn dashboards_route(
    req: &Req,
    user: &str,
    tenancy: &Tenancy,
    resolved: &Resolved,
) -> Option<Resp> {
    if !tenancy.security {
        return None;
    }
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    match (s.as_slice(), req.method.as_str()) {
        // Multitenancy off: nothing resolved; the client's own header goes through as sent.
        (["api", "v1", "auth", "authinfo"], "GET") if !tenancy.multitenancy => Some(Resp::ok(
            authinfo(user, req.header("securitytenant"), tenancy),
        )),
        // Dashboards forwards the resolved tenant in the header of its authinfo call.
        (["api", "v1", "auth", "authinfo"], "GET") => {
            Some(Resp::ok(authinfo(user, Some(resolved.symbol()), tenancy)))
        }
        // The multitenancy routes are not registered: the caller's 404.
        (["api", "v1", "multitenancy", ..], _) if !tenancy.multitenancy => None,
        // The security plugin's `GET /_plugins/_security/dashboardsinfo` (DashboardsInfoAction)
        // as the Dashboards route returns it.
        (["api", "v1", "multitenancy", "info"], "GET") => Some(Resp::ok(json!({
            "user_name": user,
            "not_fail_on_forbidden_enabled": false,
            "opensearch_dashboards_mt_enabled": true,
            "opensearch_dashboards_index": ".kibana",
            "opensearch_dashboards_server_user": "kibanaserver",
            "multitenancy_enabled": true,
            "private_tenant_enabled": true,
            "default_tenant": "",
        }))),
        // The tenant of the session cookie the request came with; without one, 400.
        (["api", "v1", "multitenancy", "tenant"], "GET") => Some(match cookie_tenant(req) {
            Some(t) => Resp::text(200, "text/html; charset=utf-8", html_encode(&t)),
            None => boom(400, "Invalid cookie."),
        }),
        _ => None,
    }
}

/// The session cookie every authenticated Dashboards response sets, holding the resolved
/// tenant. Its value is the emulator's own (upstream seals it with iron); clients treat it as
/// opaque.
pub(crate) fn session_cookie(resolved: &Resolved) -> String {
    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!({"tenant": resolved.symbol()}).to_string());
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax")
}

fn cookie_tenant(req: &Req) -> Option<String> {
    let header = req.header("cookie")?;
    let value = header
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)?
        .1;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value)
        .ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v.get("tenant").and_then(Value::as_str).map(str::to_string)
}

/// `AllHtmlEntities.encode` for the characters a tenant name can hold.
fn html_encode(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The OpenSearch side: `GET /_plugins/_security/authinfo` (the requested tenant is the raw
/// header) and `HEAD`/`GET` of the `.kibana*` indices that hold saved objects. `stores` are the
/// store keys that have been written to. None: not a path of this module.
pub(crate) fn opensearch_route(
    req: &Req,
    user: &str,
    tenancy: &Tenancy,
    stores: &[String],
) -> Option<Resp> {
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    match (s.as_slice(), req.method.as_str()) {
        (["_plugins" | "_opendistro", "_security" | "_opendistro_security", "authinfo"], "GET")
            if tenancy.security =>
        {
            let requested = req
                .header("securitytenant")
                .or_else(|| req.header("security_tenant"));
            Some(Resp::ok(authinfo(user, requested, tenancy)))
        }
        ([name], "GET" | "HEAD") if name.starts_with(".kibana") => {
            // Without the security plugin, only the global index exists.
            let visible: Vec<String> = stores
                .iter()
                .filter(|k| tenancy.security || k.as_str() == "global")
                .map(|k| index_of_store(k))
                .collect();
            let found = visible
                .iter()
                .find(|alias| *name == alias.as_str() || *name == format!("{alias}_1"))?;
            if req.method == "HEAD" {
                return Some(Resp::empty(200));
            }
            Some(Resp::ok(json!({
                format!("{found}_1"): {
                    "aliases": {found.clone(): {}},
                    "mappings": {"dynamic": "strict"},
                    "settings": {"index": {
                        "number_of_shards": "1",
                        "auto_expand_replicas": "0-1",
                        "provided_name": format!("{found}_1"),
                    }}
                }
            })))
        }
        _ => None,
    }
}

/// `GET|POST /<.kibana index>/_search` on the OpenSearch side: the tenant indices hold the
/// saved objects as the saved-objects serializer writes them (OpenSearch-Dashboards
/// `src/core/server/saved_objects/serialization/serializer.ts`, `savedObjectToRaw`: `_id`
/// `<type>:<id>`, `_source` `{type, <type>: attributes, references, migrationVersion,
/// updated_at}`). The name is an alias, its concrete `<alias>_1`, or a pattern with `*`
/// (`.kibana_*`, no hits when nothing matches). Queries: none, `match_all`, or a `term` on
/// `type`; `from` and `size`. Without the security plugin only `.kibana` exists. None: not such
/// a path.
pub(crate) fn search_route(
    req: &Req,
    tenancy: &Tenancy,
    stores: &std::collections::BTreeMap<String, crate::dashboards::Store>,
) -> Option<Resp> {
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let (["_search"] | [_, "_search"], "GET" | "POST") = (s.as_slice(), req.method.as_str()) else {
        return None;
    };
    let pattern = *s.first()?;
    if !pattern.starts_with(".kibana") {
        return None;
    }
    let matches = |name: &str| {
        let parts: Vec<&str> = pattern.split('*').collect();
        if parts.len() == 1 {
            return name == pattern;
        }
        let mut rest = name;
        for (i, part) in parts.iter().enumerate() {
            if i == 0 {
                match rest.strip_prefix(part) {
                    Some(r) => rest = r,
                    None => return false,
                }
            } else if i == parts.len() - 1 {
                return rest.ends_with(part);
            } else {
                match rest.find(part) {
                    Some(at) => rest = &rest[at + part.len()..],
                    None => return false,
                }
            }
        }
        true
    };
    let selected: Vec<(String, &crate::dashboards::Store)> = stores
        .iter()
        .filter(|(k, store)| store.seq_no >= 0 && (tenancy.security || k.as_str() == "global"))
        .map(|(k, store)| (index_of_store(k), store))
        .filter(|(alias, _)| matches(alias) || matches(&format!("{alias}_1")))
        .collect();
    if selected.is_empty() && !pattern.contains('*') {
        // IndexNotFoundException, as for any missing index.
        let cause = json!({
            "type": "index_not_found_exception",
            "reason": format!("no such index [{pattern}]"),
            "index": pattern,
            "resource.type": "index_or_alias",
            "resource.id": pattern,
            "index_uuid": "_na_",
        });
        let mut error = cause.clone();
        error["root_cause"] = json!([cause]);
        return Some(Resp::json(404, json!({"error": error, "status": 404})));
    }
    let body: Value = if req.body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                return Some(boom(
                    400,
                    format!("emulator: the search body is not JSON: {e}"),
                ))
            }
        }
    };
    let number = |key: &str, default: usize| {
        body.get(key)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .or_else(|| req.param(key).and_then(|v| v.parse().ok()))
            .unwrap_or(default)
    };
    let (from, size) = (number("from", 0), number("size", 10));
    let type_filter: Option<String> = match body.get("query") {
        None => None,
        Some(q) if q.get("match_all").is_some() => None,
        Some(q) => match q.pointer("/term/type") {
            Some(Value::String(t)) => Some(t.clone()),
            Some(v) => match v.get("value").and_then(Value::as_str) {
                Some(t) => Some(t.to_string()),
                None => return Some(boom(400, "emulator: only match_all and a term on `type` are emulated on the .kibana indices")),
            },
            None => return Some(boom(400, "emulator: only match_all and a term on `type` are emulated on the .kibana indices")),
        },
    };
    let mut hits = Vec::new();
    for (alias, store) in &selected {
        for o in store.objects.values() {
            if type_filter.as_deref().is_some_and(|t| t != o.type_) {
                continue;
            }
            let mut source = serde_json::Map::new();
            source.insert("type".into(), json!(o.type_));
            source.insert(o.type_.clone(), o.attributes.clone());
            source.insert("references".into(), o.references.clone());
            if let Some(mv) = &o.migration_version {
                source.insert("migrationVersion".into(), mv.clone());
            }
            source.insert("updated_at".into(), json!(o.updated_at));
            hits.push(json!({
                "_index": format!("{alias}_1"),
                "_id": format!("{}:{}", o.type_, o.id),
                "_score": 1.0,
                "_source": source,
            }));
        }
    }
    let total = hits.len();
    let page: Vec<Value> = hits.into_iter().skip(from).take(size).collect();
    Some(Resp::ok(json!({
        "took": 1,
        "timed_out": false,
        "_shards": {"total": selected.len(), "successful": selected.len(), "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": total, "relation": "eq"},
            "max_score": if total > 0 { json!(1.0) } else { Value::Null },
            "hits": page,
        }
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(header: Option<&str>, query: Option<&str>) -> Req {
        Req {
            method: "GET".into(),
            segments: Vec::new(),
            query: query
                .map(|q| vec![("securitytenant".to_string(), q.to_string())])
                .unwrap_or_default(),
            headers: header
                .map(|h| vec![("securitytenant".to_string(), h.to_string())])
                .unwrap_or_default(),
            body: bytes::Bytes::new(),
        }
    }

    fn body(resp: &Resp) -> Value {
        match &resp.body {
            crate::http::Body::Json(v) => v.clone(),
            other => panic!("not JSON: {other:?}"),
        }
    }

    #[test]
    fn java_string_hash_codes() {
        // Values of java.lang.String#hashCode.
        assert_eq!(java_hash(""), 0);
        assert_eq!(java_hash("a"), 97);
        assert_eq!(java_hash("admin"), 92_668_751);
        assert_eq!(java_hash("team-a"), -877_714_191);
        assert_eq!(tenant_index("team-a"), ".kibana_-877714191_teama");
        assert_eq!(
            tenant_index("Team A_1"),
            format!(".kibana_{}_teama1", java_hash("Team A_1"))
        );
        assert_eq!(index_of_store("__user__admin"), ".kibana_92668751_admin");
        assert_eq!(index_of_store("global"), ".kibana");
    }

    #[test]
    fn undeclared_tenants_fall_back_to_the_preferred_list_then_global() {
        let mut t = Tenancy::new(true, Some(vec!["team-a".into()]));
        assert_eq!(
            resolve(&req(Some("team-a"), None), "u", &t),
            Resolved::Custom("team-a".into())
        );
        assert_eq!(
            resolve(&req(Some("team-b"), None), "u", &t),
            Resolved::Global
        );
        // Case-sensitive: `Team-A` is not `team-a`.
        assert_eq!(
            resolve(&req(Some("Team-A"), None), "u", &t),
            Resolved::Global
        );
        t.preferred = vec!["Private".into(), "Global".into()];
        assert_eq!(
            resolve(&req(Some("team-b"), None), "u", &t),
            Resolved::Private
        );
        t.preferred = vec!["TEAM-A".into()];
        assert_eq!(
            resolve(&req(None, None), "u", &t),
            Resolved::Custom("team-a".into())
        );
        // The query parameter wins over the header.
        assert_eq!(
            resolve(&req(Some("global"), Some("team-a")), "u", &t),
            Resolved::Custom("team-a".into())
        );
    }

    #[test]
    fn the_reserved_names() {
        let t = Tenancy::new(true, Some(Vec::new()));
        for g in ["global", "Global"] {
            assert_eq!(
                resolve(&req(Some(g), None), "u", &t),
                Resolved::Global,
                "{g}"
            );
        }
        for p in ["private", "Private", "__user__"] {
            assert_eq!(
                resolve(&req(Some(p), None), "u", &t),
                Resolved::Private,
                "{p}"
            );
        }
        assert_eq!(
            resolve(&req(Some("u"), None), "u", &t).store_key("u"),
            "__user__u"
        );
        // `GLOBAL` is in neither list: a missing tenant.
        let mut t = t;
        t.preferred = vec!["private".into()];
        assert_eq!(
            resolve(&req(Some("GLOBAL"), None), "u", &t),
            Resolved::Private
        );
    }

    #[test]
    fn multitenancy_off_resolves_nothing_and_echoes_the_header() {
        // server/plugin.ts: setupMultitenantRoutes only with multitenancy.enabled;
        // authentication_type.ts: resolveTenant only then.
        let mut t = Tenancy::new(true, Some(vec!["team-a".into()]));
        t.multitenancy = false;
        let r = req(Some("team-a"), None);
        assert_eq!(resolve(&r, "u", &t), Resolved::Global);
        let mut info = r.clone();
        info.segments = vec!["api".into(), "v1".into(), "auth".into(), "authinfo".into()];
        let resp = dashboards_route(&info, "u", &t, &Resolved::Global).unwrap();
        assert_eq!(body(&resp)["user_requested_tenant"], "team-a");
        info.segments = vec![
            "api".into(),
            "v1".into(),
            "multitenancy".into(),
            "info".into(),
        ];
        assert!(
            dashboards_route(&info, "u", &t, &Resolved::Global).is_none(),
            "404"
        );
        t.multitenancy = true;
        let resp = dashboards_route(&info, "u", &t, &Resolved::Global).unwrap();
        assert_eq!(body(&resp)["multitenancy_enabled"], true);
    }

    #[test]
    fn read_only_tenants_are_available_and_listed_false() {
        // ConfigModelV7 mapTenants: `false` for RO; RW outperforms RO.
        let mut t = Tenancy::new(true, Some(vec!["team-a".into()]));
        t.read_only = vec!["team-r".into(), "team-a".into()];
        assert_eq!(
            resolve(&req(Some("team-r"), None), "u", &t),
            Resolved::Custom("team-r".into())
        );
        let map = t.available_map("u");
        assert_eq!(map["team-r"], false);
        assert_eq!(map["team-a"], true);
        assert!(t.is_read_only(&Resolved::Custom("team-r".into())));
        assert!(!t.is_read_only(&Resolved::Global));
    }

    #[test]
    fn without_the_security_plugin_there_is_one_tenant() {
        let t = Tenancy::new(false, None);
        assert_eq!(
            resolve(&req(Some("team-a"), None), "u", &t),
            Resolved::Global
        );
        assert!(dashboards_route(&req(None, None), "u", &t, &Resolved::Global).is_none());
    }
}
