//! Tenants as the security plugin resolves them (security-dashboards-plugin
//! `server/multitenancy/tenant_resolver.ts`, `server/routes/index.ts`,
//! `server/multitenancy/routes.ts`; security `ConfigModelV7`, `PrivilegesInterceptorImpl`,
//! `SecurityInfoAction`).

use cluster_emulator::Options;
use serde_json::json;

use crate::common::Ctx;

fn declared() -> Ctx {
    Ctx::with(Options {
        tenants: Some(vec!["team-a".into()]),
        ..Options::default()
    })
}

fn authinfo(c: &Ctx, tenant: &str) -> serde_json::Value {
    let r = c.send(
        c.osd("GET", "/api/v1/auth/authinfo")
            .header("securitytenant", tenant),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()
}

#[test]
fn authinfo_reports_the_tenant_dashboards_resolved() {
    let c = declared();
    let info = authinfo(&c, "team-a");
    assert_eq!(info["user_requested_tenant"], "team-a");
    assert_eq!(info["user_name"], "admin");
    assert_eq!(
        info["tenants"],
        json!({"global_tenant": true, "team-a": true, "admin": true})
    );
    // Undeclared: the fallback is global, forwarded as the empty tenant.
    assert_eq!(authinfo(&c, "team-b")["user_requested_tenant"], "");
    assert_eq!(authinfo(&c, "Global")["user_requested_tenant"], "");
    assert_eq!(authinfo(&c, "Private")["user_requested_tenant"], "__user__");
    // On the OpenSearch side the requested tenant is the raw header.
    let r = c.send(
        c.os("GET", "/_plugins/_security/authinfo")
            .header("securitytenant", "team-b"),
    );
    assert_eq!(r.json()["user_requested_tenant"], "team-b");
}

#[test]
fn the_tenancy_endpoint_declares_tenants_and_the_preferred_list() {
    let c = Ctx::new();
    // The default: every name is a tenant.
    assert_eq!(
        authinfo(&c, "anything")["user_requested_tenant"],
        "anything"
    );
    let r = c.os_json(
        "POST",
        "/_emulator/tenancy",
        Some(json!({"tenants": ["team-a"], "preferred": ["Private"]})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"security": true, "tenants": ["team-a"], "preferred": ["Private"], "multitenancy": true, "read_only": []})
    );
    assert_eq!(
        authinfo(&c, "anything")["user_requested_tenant"],
        "__user__"
    );
    let r = c.os_json("POST", "/_emulator/tenancy", Some(json!({"tenant": ["x"]})));
    assert_eq!(r.status, 400, "an unknown key is refused: {}", r.text);
    // Reset restores the options.
    c.send(c.os("POST", "/_emulator/reset"));
    assert_eq!(
        authinfo(&c, "anything")["user_requested_tenant"],
        "anything"
    );
}

#[test]
fn a_fallen_back_write_lands_in_the_global_index() {
    let c = declared();
    let r = c.send(
        c.osd("POST", "/api/saved_objects/index-pattern/p")
            .header("securitytenant", "team-b")
            .json(&json!({"attributes": {"title": "x"}})),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = c.send(
        c.osd("GET", "/api/saved_objects/index-pattern/p")
            .header("securitytenant", "global"),
    );
    assert_eq!(
        r.status, 200,
        "the undeclared tenant's write is global's: {}",
        r.text
    );
    // The session cookie keeps the resolved tenant; without it the tenant route is a 400.
    let r = c.send(c.osd("GET", "/api/v1/multitenancy/tenant"));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["message"], "Invalid cookie.");
    let set = c.send(
        c.osd("GET", "/api/v1/auth/authinfo")
            .header("securitytenant", "team-a"),
    );
    let cookie = set.headers["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let r = c.send(
        c.osd("GET", "/api/v1/multitenancy/tenant")
            .header("cookie", cookie),
    );
    assert_eq!((r.status, r.text.as_str()), (200, "team-a"));
}

#[test]
fn tenant_indices_are_visible_on_the_opensearch_side() {
    let c = declared();
    assert_eq!(
        c.send(c.os("HEAD", "/.kibana")).status,
        404,
        "nothing written yet"
    );
    for tenant in ["global", "team-a", "private"] {
        let r = c.send(
            c.osd("POST", "/api/saved_objects/index-pattern/p")
                .header("securitytenant", tenant)
                .json(&json!({"attributes": {"title": "x"}})),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // `.kibana_<String.hashCode>_<lowercased, stripped>`; the private tenant's name is the user's.
    for index in [
        ".kibana",
        ".kibana_-877714191_teama",
        ".kibana_92668751_admin",
    ] {
        assert_eq!(
            c.send(c.os("HEAD", &format!("/{index}"))).status,
            200,
            "{index}"
        );
        let r = c.os_json("GET", &format!("/{index}"), None);
        assert_eq!(
            r.json()[format!("{index}_1")]["aliases"],
            json!({ index: {} }),
            "{}",
            r.text
        );
    }
    assert_eq!(c.send(c.os("HEAD", "/.kibana_1_teamb")).status, 404);
}

#[test]
fn without_the_security_plugin_there_are_no_tenants() {
    let c = Ctx::with(Options {
        security: false,
        ..Options::default()
    });
    let r = c.send(c.osd("GET", "/api/v1/auth/authinfo"));
    assert_eq!(r.status, 404);
    assert!(r.headers.get("set-cookie").is_none());
    for tenant in ["team-a", "private"] {
        let r = c.send(
            c.osd(
                "POST",
                &format!("/api/saved_objects/index-pattern/{tenant}"),
            )
            .header("securitytenant", tenant)
            .json(&json!({"attributes": {"title": "x"}})),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // Both in the one index: the header is ignored.
    let r = c.send(c.osd("GET", "/api/saved_objects/_find?type=index-pattern"));
    assert_eq!(r.json()["total"], 2, "{}", r.text);
    assert_eq!(c.send(c.os("HEAD", "/.kibana")).status, 200);
    assert_ne!(
        c.send(c.os("GET", "/_plugins/_security/authinfo")).status,
        200
    );
}
