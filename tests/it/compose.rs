//! compose.yaml: a local OpenSearch 2.19 and OpenSearch Dashboards 2.19 for hosts and
//! contributors with Docker. This project's CI machines have no container runtime, so the file is
//! never run here: this checks that it is valid YAML with the services, pinned official images,
//! ports and healthchecks the README promises, and that siemctl.toml's `local` target points at
//! those ports.

use serde_json::Value;

use crate::common::repo_root;

fn compose() -> Value {
    let text = std::fs::read_to_string(repo_root().join("compose.yaml")).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("compose.yaml is not YAML: {e}"))
}

/// The host port a service publishes for `container` ("127.0.0.1:9200:9200", "9200:9200").
fn published(service: &Value, container: u16) -> Option<u16> {
    service["ports"].as_array()?.iter().find_map(|p| {
        let text = p.as_str()?;
        let parts: Vec<&str> = text.split(':').collect();
        let (host, inside) = match parts.as_slice() {
            [_, host, inside] | [host, inside] => (host, inside),
            _ => return None,
        };
        (inside.parse::<u16>().ok()? == container).then(|| host.parse().ok())?
    })
}

fn environment(service: &Value) -> Vec<String> {
    match &service["environment"] {
        Value::Array(list) => list
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().map_or(v.to_string(), str::to_string)))
            .collect(),
        _ => Vec::new(),
    }
}

#[test]
fn compose_starts_opensearch_and_dashboards_2_19_with_healthchecks() {
    let doc = compose();
    let services = doc["services"].as_object().expect("a services map");
    let mut names: Vec<&str> = services.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["dashboards", "opensearch"], "{names:?}");
    let opensearch = &services["opensearch"];
    let dashboards = &services["dashboards"];
    // Official images, pinned to a 2.19 release (never `latest`).
    for (service, image) in [
        (opensearch, "opensearchproject/opensearch:2.19."),
        (dashboards, "opensearchproject/opensearch-dashboards:2.19."),
    ] {
        let got = service["image"].as_str().unwrap();
        assert!(got.starts_with(image), "{got}");
        let patch = &got[image.len()..];
        assert!(
            !patch.is_empty() && patch.chars().all(|c| c.is_ascii_digit()),
            "a pinned tag: {got}"
        );
        // A healthcheck that runs a command, with an interval and retries.
        let check = &service["healthcheck"];
        let test = check["test"].as_array().expect("healthcheck.test");
        assert!(
            matches!(
                test.first().and_then(Value::as_str),
                Some("CMD" | "CMD-SHELL")
            ),
            "{test:?}"
        );
        assert!(check["interval"].is_string() && check["retries"].as_u64() > Some(0));
    }
    assert!(opensearch["healthcheck"]["test"][1]
        .as_str()
        .unwrap()
        .contains("localhost:9200/_cluster/health"));
    assert!(dashboards["healthcheck"]["test"][1]
        .as_str()
        .unwrap()
        .contains("localhost:5601/api/status"));
    assert_eq!(published(opensearch, 9200), Some(9200));
    assert_eq!(published(dashboards, 5601), Some(5601));
    // Single node, the security plugin off on both sides (plain HTTP, no demo users), and
    // Dashboards pointed at the node, started once it is healthy.
    let os_env = environment(opensearch);
    for setting in [
        "discovery.type=single-node",
        "DISABLE_SECURITY_PLUGIN=true",
        "DISABLE_INSTALL_DEMO_CONFIG=true",
    ] {
        assert!(os_env.iter().any(|e| e == setting), "{setting}: {os_env:?}");
    }
    let osd_env = environment(dashboards);
    assert!(osd_env
        .iter()
        .any(|e| e == "DISABLE_SECURITY_DASHBOARDS_PLUGIN=true"));
    assert!(
        osd_env
            .iter()
            .any(|e| e.starts_with("OPENSEARCH_HOSTS=") && e.contains("http://opensearch:9200")),
        "{osd_env:?}"
    );
    assert_eq!(
        dashboards["depends_on"]["opensearch"]["condition"],
        "service_healthy"
    );
}

#[test]
fn the_local_target_points_at_the_compose_ports() {
    let doc = compose();
    let toml: toml::Table = std::fs::read_to_string(repo_root().join("siemctl.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let local = toml["targets"]["local"]
        .as_table()
        .expect("[targets.local]");
    let port = |url: &str| -> u16 {
        let rest = url.strip_prefix("http://").unwrap_or_else(|| {
            panic!("{url}: plain HTTP (the security plugin is off in compose.yaml)")
        });
        let (host, port) = rest.trim_end_matches('/').split_once(':').unwrap();
        assert_eq!(host, "localhost", "{url}");
        port.parse().unwrap()
    };
    let opensearch = port(local["opensearch_url"].as_str().unwrap());
    let dashboards = port(local["dashboards_url"].as_str().unwrap());
    assert_eq!(
        Some(opensearch),
        published(&doc["services"]["opensearch"], 9200)
    );
    assert_eq!(
        Some(dashboards),
        published(&doc["services"]["dashboards"], 5601)
    );
    assert_eq!(
        local["auth"].as_str(),
        Some("none"),
        "no users without the security plugin"
    );
}
