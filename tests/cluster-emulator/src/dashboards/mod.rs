//! The emulated OpenSearch Dashboards: status, the osd-xsrf rule, tenants, saved objects,
//! import/export and advanced settings.

mod import_export;
mod saved_objects;

use std::collections::BTreeMap;

use serde_json::json;

use crate::http::{boom, Req, Resp};
use crate::server::{lock, username, Shared};
use crate::Options;

pub(crate) use saved_objects::Store;

/// Dashboards state: one saved-object store per tenant index.
pub(crate) struct Dashboards {
    pub(crate) tenants: BTreeMap<String, Store>,
}

impl Dashboards {
    pub(crate) fn new(options: &Options) -> Dashboards {
        let _ = options;
        Dashboards {
            tenants: BTreeMap::new(),
        }
    }

    pub(crate) fn store(&mut self, tenant: &str) -> &mut Store {
        self.tenants.entry(tenant.to_string()).or_default()
    }
}

/// The tenant a request works in, resolved as the security plugin's `resolveTenant` does with its
/// default configuration (global and private tenants enabled, preferred `["Private", "Global"]`),
/// every custom tenant name being available to the user.
pub(crate) fn resolve_tenant(req: &Req, user: &str) -> String {
    let from_query = ["securityTenant_", "securitytenant", "security_tenant"]
        .iter()
        .find_map(|k| req.param(k).filter(|v| !v.is_empty()).map(str::to_string));
    let selected = from_query.or_else(|| {
        req.header("securitytenant")
            .filter(|v| !v.is_empty())
            .or_else(|| req.header("securityTenant_").filter(|v| !v.is_empty()))
            .map(str::to_string)
    });
    match selected.as_deref() {
        Some("global" | "") => "global".to_string(),
        Some("private" | "__user__") => format!("__user__{user}"),
        // `Global`/`Private` are not the reserved names (the match is case-sensitive) and are
        // not available tenants either: the resolver falls back to the preferred tenants.
        Some(t) if t.eq_ignore_ascii_case("global") || t.eq_ignore_ascii_case("private") => {
            format!("__user__{user}")
        }
        Some(t) => t.to_string(),
        None => format!("__user__{user}"),
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
    let user = username(&shared.options, req);
    let tenant = resolve_tenant(req, &user);
    let s: Vec<&str> = req.segments.iter().map(String::as_str).collect();
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
