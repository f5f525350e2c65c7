//! Reading what the cluster holds, with a number of requests that does not grow with the
//! content: one list request per OpenSearch kind, the state documents, and `_bulk_get` (one
//! request per 500 saved objects) for the saved objects. The independent reads run
//! concurrently.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context as _, Result};
use serde_json::Value;

use super::state::{self, State, CLUSTER_DOC, STATE_INDEX};
use crate::cluster::opensearch::ServerInfo;
use crate::cluster::Cluster;
use crate::content::kind::Kind;
use crate::plan::plan::{live_object, Desired, Live};

/// A state document as read, with what a conditional write of it needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct StoredState {
    pub(crate) state: State,
    /// seq_no and primary term, when the document exists.
    pub(crate) seq: Option<(i64, i64)>,
}

/// The cluster as read for one plan.
pub(crate) struct Snapshot {
    pub(crate) server: ServerInfo,
    pub(crate) dashboards_version: Option<String>,
    pub(crate) live: BTreeMap<(Kind, String), Live>,
    pub(crate) cluster_state: StoredState,
    pub(crate) tenant_state: StoredState,
}

impl Snapshot {
    /// "OpenSearch 2.19.0, OpenSearch Dashboards 2.19.0, tenant global".
    pub(crate) fn describe(&self, tenant: &str) -> String {
        let dashboards = self
            .dashboards_version
            .as_deref()
            .map(|v| format!(", OpenSearch Dashboards {v}, tenant {tenant}"))
            .unwrap_or_default();
        format!("OpenSearch {}{dashboards}", self.server.number)
    }

    /// Both state documents merged, for the plan.
    pub(crate) fn merged_state(&self) -> State {
        let mut merged = self.cluster_state.state.clone();
        merged
            .objects
            .extend(self.tenant_state.state.objects.clone());
        merged
    }
}

/// Detects the servers and refuses unsupported ones.
pub(crate) async fn detect(cluster: &Cluster) -> Result<(ServerInfo, Option<String>)> {
    let (server, dashboards) = tokio::join!(cluster.server_info(), async {
        if cluster.has_dashboards() {
            cluster.dashboards_version().await.map(Some)
        } else {
            Ok(None)
        }
    });
    let server = server.context("cannot read the OpenSearch version (GET /)")?;
    server.check_supported()?;
    let dashboards =
        dashboards.context("cannot read the OpenSearch Dashboards version (GET /api/status)")?;
    tracing::debug!(opensearch = %server.number, dashboards = ?dashboards, "servers detected");
    Ok((server, dashboards))
}

pub(crate) async fn read(cluster: &Cluster, desired: &[Desired]) -> Result<Snapshot> {
    let (server, dashboards_version) = detect(cluster).await?;
    let needs = crate::plan::compat::check(server.version(), desired);
    if !needs.is_empty() {
        anyhow::bail!("the content needs a newer OpenSearch: {}", needs.join("; "));
    }
    let tenant_doc = state::tenant_doc(cluster.tenant(), cluster.username());
    let (components, index_templates, pipelines, policies, cluster_state, tenant_state) = tokio::join!(
        cluster.list(Kind::ComponentTemplate),
        cluster.list(Kind::IndexTemplate),
        cluster.list(Kind::IngestPipeline),
        cluster.ism_policies(),
        read_state(cluster, CLUSTER_DOC),
        read_state(cluster, &tenant_doc),
    );
    let cluster_state = cluster_state?;
    let tenant_state = tenant_state?;
    let by_id: BTreeMap<(Kind, &str), &Desired> = desired
        .iter()
        .map(|d| ((d.kind, d.id.as_str()), d))
        .collect();
    // Only objects of the content or of siemctl's records matter; the rest is not ours.
    let mut wanted: BTreeSet<(Kind, String)> =
        desired.iter().map(|d| (d.kind, d.id.clone())).collect();
    for key in cluster_state
        .state
        .objects
        .keys()
        .chain(tenant_state.state.objects.keys())
    {
        if let Some((kind, id)) = state::parse_key(key) {
            wanted.insert((kind, id.to_string()));
        }
    }
    let mut live = BTreeMap::new();
    for (kind, listed) in [
        (
            Kind::ComponentTemplate,
            components.context("cannot list component templates")?,
        ),
        (
            Kind::IndexTemplate,
            index_templates.context("cannot list index templates")?,
        ),
        (
            Kind::IngestPipeline,
            pipelines.context("cannot list ingest pipelines")?,
        ),
    ] {
        for (id, body) in listed {
            if wanted.contains(&(kind, id.clone())) {
                let object =
                    live_object(kind, &body, by_id.get(&(kind, id.as_str())).copied(), None);
                live.insert((kind, id), object);
            }
        }
    }
    for (id, policy) in policies.context("cannot list ISM policies")? {
        if wanted.contains(&(Kind::IsmPolicy, id.clone())) {
            let object = live_object(
                Kind::IsmPolicy,
                &policy.body,
                by_id.get(&(Kind::IsmPolicy, id.as_str())).copied(),
                Some((policy.seq_no, policy.primary_term)),
            );
            live.insert((Kind::IsmPolicy, id), object);
        }
    }
    let saved: Vec<(Kind, String)> = wanted
        .iter()
        .filter(|(k, _)| k.is_saved_object())
        .cloned()
        .collect();
    if !saved.is_empty() {
        let dashboards_version = dashboards_version.clone().context("the content has saved objects, but no Dashboards URL is set: set `dashboards_url` in the target or pass --dashboards-url")?;
        // The config object's id is the Dashboards version, whatever the content calls it.
        let request: Vec<(String, String)> = saved
            .iter()
            .map(|(kind, id)| {
                let id = if *kind == Kind::Config {
                    dashboards_version.clone()
                } else {
                    id.clone()
                };
                (kind.saved_object_type().unwrap_or_default().to_string(), id)
            })
            .collect();
        let found = cluster
            .bulk_get(&request)
            .await
            .context("cannot read saved objects (_bulk_get)")?;
        for ((kind, id), object) in saved.into_iter().zip(found) {
            if let Some(object) = object {
                let desired = by_id.get(&(kind, id.as_str())).copied();
                // Advanced settings are compared over the settings declared now and those
                // siemctl set before (a dropped one still set in the cluster is a change).
                let widened = desired.filter(|d| d.kind == Kind::Config).map(|d| {
                    let entry = tenant_state.state.objects.get(&state::key(kind, &id));
                    let mut d = d.clone();
                    if let Some(Value::Object(attributes)) = d.normalized.get_mut("attributes") {
                        for key in
                            state::dropped_keys(entry, &by_id[&(kind, id.as_str())].normalized)
                        {
                            attributes.insert(key, Value::Null);
                        }
                    }
                    d
                });
                let live_object = live_object(kind, &object, widened.as_ref().or(desired), None);
                live.insert((kind, id), live_object);
            }
        }
    }
    Ok(Snapshot {
        server,
        dashboards_version,
        live,
        cluster_state,
        tenant_state,
    })
}

async fn read_state(cluster: &Cluster, id: &str) -> Result<StoredState> {
    let Some(doc) = cluster
        .get_doc(STATE_INDEX, id)
        .await
        .with_context(|| format!("cannot read siemctl's state document `{id}`"))?
    else {
        return Ok(StoredState::default());
    };
    let state: State = serde_json::from_value(doc.source).with_context(|| {
        format!("siemctl's state document `{STATE_INDEX}/{id}` is not readable")
    })?;
    Ok(StoredState {
        state,
        seq: Some((doc.seq_no, doc.primary_term)),
    })
}
