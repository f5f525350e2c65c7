//! The emulated OpenSearch Dashboards: status, the osd-xsrf rule, tenants, saved objects,
//! import/export and advanced settings.

mod import_export;
mod saved_objects;
pub(crate) mod tenancy;
mod ui;
mod ui_settings;

use std::collections::BTreeMap;

use serde_json::json;

use crate::http::{boom, Req, Resp};
use crate::server::{lock, username, Shared};
use crate::Options;

pub(crate) use saved_objects::Store;
pub(crate) use tenancy::Tenancy;

/// `POST /_emulator/ui-visit`: what a browser visit does, in one tenant (`{"tenant": ..}`,
/// resolved like the securitytenant header) or in every tenant that has objects.
pub(crate) fn ui_visit(shared: &Shared, body: &serde_json::Value) -> serde_json::Value {
    let cluster = lock(&shared.cluster);
    let mut d = lock(&shared.dashboards);
    let version = shared.options.dashboards_version.clone();
    let tenants: Vec<String> = match body.get("tenant").and_then(serde_json::Value::as_str) {
        Some(t) => {
            let user = shared
                .options
                .basic_auth
                .as_ref()
                .map_or("admin", |(u, _)| u.as_str());
            let fake = Req {
                method: "GET".into(),
                segments: Vec::new(),
                query: Vec::new(),
                headers: vec![("securitytenant".into(), t.to_string())],
                body: bytes::Bytes::new(),
            };
            vec![tenancy::resolve(&fake, user, &d.tenancy).store_key(user)]
        }
        None => d.tenants.keys().cloned().collect(),
    };
    let mut out = serde_json::Map::new();
    for t in tenants {
        let r = ui::visit(&cluster, d.store(&t), &version);
        out.insert(t, r);
    }
    json!({"tenants": out})
}

/// Dashboards state: one saved-object store per tenant index.
pub(crate) struct Dashboards {
    pub(crate) tenants: BTreeMap<String, Store>,
    /// The security plugin and its tenants (set with `POST /_emulator/tenancy`).
    pub(crate) tenancy: Tenancy,
}

impl Dashboards {
    pub(crate) fn new(options: &Options) -> Dashboards {
        Dashboards {
            tenants: BTreeMap::new(),
            tenancy: Tenancy::new(options.security, options.tenants.clone()),
        }
    }

    pub(crate) fn store(&mut self, tenant: &str) -> &mut Store {
        self.tenants.entry(tenant.to_string()).or_default()
    }
}

pub(crate) fn route(req: &Req) -> String {
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let t = match s.as_slice() {
        ["api", "status"] => "/api/status",
        ["api", "saved_objects", "_find"] => "/api/saved_objects/_find",
        ["api", "saved_objects", "_bulk_get"] => "/api/saved_objects/_bulk_get",
        ["api", "saved_objects", "_bulk_create"] => "/api/saved_objects/_bulk_create",
        ["api", "saved_objects", "_bulk_update"] => "/api/saved_objects/_bulk_update",
        ["api", "saved_objects", "_import"] => "/api/saved_objects/_import",
        ["api", "saved_objects", "_export"] => "/api/saved_objects/_export",
        ["api", "saved_objects", _] => "/api/saved_objects/{type}",
        ["api", "saved_objects", _, _] => "/api/saved_objects/{type}/{id}",
        ["api", "opensearch-dashboards", "settings"] => "/api/opensearch-dashboards/settings",
        ["api", "v1", "auth", "authinfo"] => "/api/v1/auth/authinfo",
        ["api", "v1", "multitenancy", "tenant"] => "/api/v1/multitenancy/tenant",
        ["api", "v1", "multitenancy", "info"] => "/api/v1/multitenancy/info",
        _ => "(unknown)",
    };
    t.to_string()
}

/// `createXsrfPostAuthHandler` then `createVersionCheckPostAuthHandler` (lifecycle_handlers.ts).
fn xsrf_check(req: &Req, version: &str) -> Option<Resp> {
    let has_version = req.header("osd-version").is_some();
    if !req.is_read() && !has_version && req.header("osd-xsrf").is_none() {
        return Some(boom(400, "Request must contain a osd-xsrf header."));
    }
    if let Some(v) = req.header("osd-version").filter(|v| !v.is_empty()) {
        if v != version {
            return Some(Resp::json(
                400,
                json!({
                    "statusCode": 400,
                    "error": "Bad Request",
                    "message": format!("Browser client is out of date, please refresh the page (\"osd-version\" header was \"{v}\" but should be \"{version}\")"),
                    "attributes": {"expected": version, "got": v},
                }),
            ));
        }
    }
    None
}

pub(crate) async fn handle(shared: &Shared, req: &Req) -> Resp {
    let version = shared.options.dashboards_version.clone();
    if let Some(r) = xsrf_check(req, &version) {
        return r;
    }
    // hapi parses a body as JSON unless told otherwise; other media types are refused (415),
    // except the multipart upload of _import.
    if !req.body.is_empty() {
        if let Some(ct) = req.header("content-type") {
            let essence = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let is_import = req.segments.last().is_some_and(|s| s == "_import");
            let ok = if is_import {
                essence == "multipart/form-data"
            } else {
                essence == "application/json" || essence.ends_with("+json")
            };
            if !ok {
                return boom(415, "Unsupported Media Type");
            }
        }
    }
    let user = username(&shared.options, req);
    let tenancy = lock(&shared.dashboards).tenancy.clone();
    let resolved = tenancy::resolve(req, &user, &tenancy);
    let resp = answer(shared, req, &user, &tenancy, &resolved).await;
    // The security plugin's auth handler keeps the resolved tenant in the session cookie.
    if tenancy.security {
        resp.with_header("set-cookie", tenancy::session_cookie(&resolved))
    } else {
        resp
    }
}

async fn answer(
    shared: &Shared,
    req: &Req,
    user: &str,
    tenancy: &Tenancy,
    resolved: &tenancy::Resolved,
) -> Resp {
    let version = shared.options.dashboards_version.clone();
    if let Some(r) = tenancy::dashboards_route(req, user, tenancy, resolved) {
        return r;
    }
    let tenant = resolved.store_key(user);
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    if tenancy.is_read_only(resolved) && is_write(&s, &req.method) {
        return read_only_refusal(user, resolved);
    }
    // Multipart parsing is asynchronous: do it before taking the lock.
    if let (["api", "saved_objects", "_import"], "POST") = (s.as_slice(), req.method.as_str()) {
        let file = match import_export::read_upload(req).await {
            Ok(f) => f,
            Err(r) => return r,
        };
        let mut d = lock(&shared.dashboards);
        return import_export::import(&mut d, req, &tenant, &file);
    }
    let mut d = lock(&shared.dashboards);
    match (s.as_slice(), req.method.as_str()) {
        (["api", "status"], "GET") => status(&version),
        (["api", "saved_objects", "_find"], "GET") => saved_objects::find(d.store(&tenant), req),
        (["api", "saved_objects", "_bulk_get"], "POST") => {
            saved_objects::bulk_get(d.store(&tenant), req)
        }
        (["api", "saved_objects", "_bulk_create"], "POST") => {
            saved_objects::bulk_create(d.store(&tenant), req)
        }
        (["api", "saved_objects", "_bulk_update"], "PUT") => {
            saved_objects::bulk_update(d.store(&tenant), req)
        }
        (["api", "saved_objects", "_export"], "POST") => {
            import_export::export(d.store(&tenant), req)
        }
        (["api", "saved_objects", ty], "POST") => {
            saved_objects::create(d.store(&tenant), req, ty, None)
        }
        (["api", "saved_objects", ty, id], "POST") => {
            saved_objects::create(d.store(&tenant), req, ty, Some(id))
        }
        (["api", "saved_objects", ty, id], "GET") => saved_objects::get(d.store(&tenant), ty, id),
        (["api", "saved_objects", ty, id], "PUT") => {
            saved_objects::update(d.store(&tenant), req, ty, id)
        }
        (["api", "saved_objects", ty, id], "DELETE") => {
            saved_objects::delete(d.store(&tenant), ty, id)
        }
        (["api", "opensearch-dashboards", "settings"], "GET") => {
            saved_objects::get_settings(d.store(&tenant), &version)
        }
        (["api", "opensearch-dashboards", "settings"], "POST") => {
            saved_objects::set_settings(d.store(&tenant), req, &version)
        }
        _ => boom(404, "Not Found"),
    }
}

/// The saved-object and settings routes that write (`_bulk_get` and `_export` are POSTs that
/// read).
fn is_write(s: &[&str], method: &str) -> bool {
    match (s, method) {
        (["api", "saved_objects", "_bulk_get" | "_export" | "_find"], _) => false,
        (["api", "saved_objects", ..], "POST" | "PUT" | "DELETE") => true,
        (["api", "opensearch-dashboards", "settings"], "POST") => true,
        _ => false,
    }
}

/// A write in a tenant granted read-only: the security plugin refuses the index action
/// (PrivilegesInterceptorImpl: only `READ_ONLY_ALLOWED_ACTIONS` pass), and Dashboards answers
/// the whole request with the forbidden error (`SavedObjectsErrorHelpers.decorateForbiddenError`).
/// The message's wording is guessed from the security plugin's "no permissions for" form.
fn read_only_refusal(user: &str, resolved: &tenancy::Resolved) -> Resp {
    let tenant = match resolved {
        tenancy::Resolved::Custom(t) => t.as_str(),
        _ => "",
    };
    Resp::json(
        403,
        json!({
            "statusCode": 403,
            "error": "Forbidden",
            "message": format!("no permissions for [indices:data/write/bulk] and User [name={user}, backend_roles=[], requestedTenant={tenant}]"),
        }),
    )
}

fn status(version: &str) -> Resp {
    let now = crate::http::iso_now();
    Resp::ok(json!({
        "name": "emulator-dashboards",
        "uuid": "0d5b0c1e-6d1f-4c36-9d5e-emulator0001",
        "version": {"number": version, "build_hash": "emulator", "build_number": 8467, "build_snapshot": false},
        "status": {
            "overall": {"since": now, "state": "green", "title": "Green", "nickname": "Looking good", "icon": "success", "uiColor": "secondary"},
            "statuses": [
                {"id": "core:opensearch@".to_string() + version, "message": "OpenSearch is available", "since": now, "state": "green", "icon": "success", "uiColor": "secondary"},
                {"id": "core:savedObjects@".to_string() + version, "message": "SavedObjects service has completed migrations and is available", "since": now, "state": "green", "icon": "success", "uiColor": "secondary"}
            ]
        },
        "metrics": {"last_updated": now, "collection_interval_in_millis": 5000}
    }))
}
