//! Reading what the cluster holds, with a number of requests that does not grow with the
//! content, in two round trips: the server detection and the tenant check, one list request
//! per OpenSearch kind, both state documents (one `_mget`) and the titles of the tenant's saved
//! objects (one `_find`) all in flight together; then one `_bulk_get` for the saved objects
//! (bodies of at most 512 KiB, so thousands of objects per request), once the Dashboards version
//! (the id of the advanced settings) and siemctl's records are known. Under the apply lock,
//! [`reread`] reads again only what the plan writes.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context as _, Result};
use serde_json::Value;

use crate::cluster::dashboards::{TenantAccess, Titles};
use crate::cluster::opensearch::ServerInfo;
use crate::cluster::Cluster;
use crate::content::kind::Kind;
use crate::plan::plan::{live_object, live_object_against, Action, Desired, Live, Plan};
use crate::state::{self, State, CLUSTER_DOC, STATE_INDEX};

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
    /// What the tenant check found (None without Dashboards).
    pub(crate) tenant: Option<TenantAccess>,
    /// Type, id and title of the tenant's saved objects of the content's types, for the
    /// same-title warning ([`crate::plan::same_title`]).
    pub(crate) titles: Titles,
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

/// What detection found.
pub(crate) struct Detected {
    pub(crate) server: ServerInfo,
    pub(crate) dashboards_version: Option<String>,
    pub(crate) tenant: Option<TenantAccess>,
}

/// Detects the servers and refuses unsupported ones.
pub(crate) async fn detect(cluster: &Cluster) -> Result<Detected> {
    // Detection and the tenant check in flight together (one round trip).
    let (server, dashboards, tenant) = tokio::join!(
        cluster.server_info(),
        async {
            if cluster.has_dashboards() {
                cluster.dashboards_version().await.map(Some)
            } else {
                Ok(None)
            }
        },
        async {
            if cluster.has_dashboards() {
                cluster.confirm_tenant().await.map(Some)
            } else {
                Ok(None)
            }
        }
    );
    let server = server.context("cannot read the OpenSearch version (GET /)")?;
    server.check_supported()?;
    let tenant = tenant?;
    let dashboards = match dashboards {
        // Dashboards answers /api/status at its base path (OpenSearch-Dashboards
        // src/core/server/status/routes/status.ts); Amazon OpenSearch Service serves it under
        // `/_dashboards` of the domain endpoint, so a 404 there is most often a URL without it.
        Err(err @ crate::cluster::Error::Status { status: 404, .. }) => {
            return Err(anyhow::Error::new(err).context(format!(
                "cannot read the OpenSearch Dashboards version (GET /api/status)\nhint: is this the Dashboards URL? On Amazon OpenSearch Service it ends in `/_dashboards` (dashboards_url = \"https://DOMAIN-ENDPOINT/_dashboards\"); the URL used was {}",
                cluster.dashboards_url().unwrap_or_default()
            )));
        }
        other => {
            other.context("cannot read the OpenSearch Dashboards version (GET /api/status)")?
        }
    };
    tracing::debug!(opensearch = %server.number, dashboards = ?dashboards, "servers detected");
    Ok(Detected {
        server,
        dashboards_version: dashboards,
        tenant,
    })
}

/// Reads what the plan compares, in two round trips whatever the size of the content: the
/// server detection with the tenant check, the list of each OpenSearch kind, both state
/// documents and the titles of the tenant's saved objects all in flight together; then, once
/// the Dashboards version and the state are known, the saved objects of the content and of
/// siemctl's records with the advanced settings (whose id is the Dashboards version), in one
/// `_bulk_get` per 512 KiB.
pub(crate) async fn read(cluster: &Cluster, desired: &[Desired]) -> Result<Snapshot> {
    let tenant_doc = state::tenant_doc(cluster.tenant(), cluster.username());
    // The saved-object types of the content whose objects have titles.
    let title_types: Vec<&str> = if cluster.has_dashboards() {
        let kinds: BTreeSet<Kind> = desired
            .iter()
            .filter(|d| d.kind.is_saved_object() && d.kind != Kind::Config && d.title.is_some())
            .map(|d| d.kind)
            .collect();
        kinds
            .into_iter()
            .filter_map(Kind::saved_object_type)
            .collect()
    } else {
        Vec::new()
    };
    let (detected, components, index_templates, pipelines, policies, states, titles) = tokio::join!(
        detect(cluster),
        cluster.list(Kind::ComponentTemplate),
        cluster.list(Kind::IndexTemplate),
        cluster.list(Kind::IngestPipeline),
        cluster.ism_policies(),
        read_states(cluster, &tenant_doc),
        async {
            cluster
                .find_titles(&title_types)
                .await
                .context("cannot list the titles of the saved objects (_find)")
        },
    );
    let Detected {
        server,
        dashboards_version,
        tenant,
    } = detected?;
    let needs = crate::plan::compat::check(server.version(), desired);
    if !needs.is_empty() {
        anyhow::bail!("the content needs a newer OpenSearch: {}", needs.join("; "));
    }
    let (cluster_state, tenant_state) = states?;
    let lists = Lists {
        components: components.context("cannot list component templates")?,
        index_templates: index_templates.context("cannot list index templates")?,
        pipelines: pipelines.context("cannot list ingest pipelines")?,
        policies: policies.context("cannot list ISM policies")?,
    };
    let titles = titles?;
    let wanted = wanted(desired, &cluster_state, &tenant_state);
    let by_id = by_id(desired);
    let mut live = BTreeMap::new();
    lists.collect(&by_id, &wanted, &mut live);
    let saved: Vec<(Kind, String)> = wanted
        .iter()
        .filter(|(k, _)| k.is_saved_object())
        .cloned()
        .collect();
    if !saved.is_empty() {
        let dashboards_version = dashboards_version.clone().context("the content has saved objects, but no Dashboards URL is set: set `dashboards_url` in the target or pass --dashboards-url")?;
        // Each object is normalised as soon as it is decoded: the raw objects are never all
        // held at once.
        let found = bulk_get_each(cluster, &saved, Some(&dashboards_version), |i, object| {
            let (kind, id) = &saved[i];
            saved_live(*kind, id, &object, &by_id, &tenant_state)
        })
        .await?;
        for (key, object) in saved.into_iter().zip(found) {
            if let Some(object) = object {
                live.insert(key, object);
            }
        }
    }
    Ok(Snapshot {
        server,
        dashboards_version,
        live,
        cluster_state,
        tenant_state,
        tenant,
        titles,
    })
}

/// Reads again, under the apply lock, what an apply is about to write: the state documents,
/// and the objects of the plan's writes, deletions and record refreshes (one list request per
/// OpenSearch kind among them, one `_bulk_get` for the saved objects), all in one round trip.
/// The rest is taken from `snapshot`, the read the plan was made from. If the state documents
/// changed since that read (another apply ran in between), everything is read again.
pub(crate) async fn reread(
    cluster: &Cluster,
    desired: &[Desired],
    snapshot: Snapshot,
    plan: &Plan,
) -> Result<Snapshot> {
    let mut targets: BTreeSet<(Kind, String)> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| (c.kind, c.id.clone()))
        .collect();
    targets.extend(plan.refresh.iter().cloned());
    // Objects siemctl did not create are taken over with --adopt: read them again too.
    targets.extend(plan.unmanaged().map(|c| (c.kind, c.id.clone())));
    let kinds: BTreeSet<Kind> = targets.iter().map(|(k, _)| *k).collect();
    let list = |kind: Kind| {
        let wanted = kinds.contains(&kind);
        async move {
            if wanted {
                cluster.list(kind).await.map(Some)
            } else {
                Ok(None)
            }
        }
    };
    let saved: Vec<(Kind, String)> = targets
        .iter()
        .filter(|(k, _)| k.is_saved_object())
        .cloned()
        .collect();
    let tenant_doc = state::tenant_doc(cluster.tenant(), cluster.username());
    let (components, index_templates, pipelines, policies, states, found) = tokio::join!(
        list(Kind::ComponentTemplate),
        list(Kind::IndexTemplate),
        list(Kind::IngestPipeline),
        async {
            if kinds.contains(&Kind::IsmPolicy) {
                cluster.ism_policies().await.map(Some)
            } else {
                Ok(None)
            }
        },
        read_states(cluster, &tenant_doc),
        bulk_get(cluster, &saved, snapshot.dashboards_version.as_deref()),
    );
    let (cluster_state, tenant_state) = states?;
    if cluster_state.seq != snapshot.cluster_state.seq
        || tenant_state.seq != snapshot.tenant_state.seq
    {
        tracing::debug!(
            "siemctl's state changed since the plan was made: reading everything again"
        );
        return read(cluster, desired).await;
    }
    let Snapshot {
        server,
        dashboards_version,
        mut live,
        tenant,
        titles,
        ..
    } = snapshot;
    for key in &targets {
        live.remove(key);
    }
    let lists = Lists {
        components: components
            .context("cannot list component templates")?
            .unwrap_or_default(),
        index_templates: index_templates
            .context("cannot list index templates")?
            .unwrap_or_default(),
        pipelines: pipelines
            .context("cannot list ingest pipelines")?
            .unwrap_or_default(),
        policies: policies
            .context("cannot list ISM policies")?
            .unwrap_or_default(),
    };
    let by_id = by_id(desired);
    lists.collect(&by_id, &targets, &mut live);
    for ((kind, id), object) in saved.into_iter().zip(found?) {
        if let Some(object) = object {
            let object = saved_live(kind, &id, &object, &by_id, &tenant_state);
            live.insert((kind, id), object);
        }
    }
    Ok(Snapshot {
        server,
        dashboards_version,
        live,
        cluster_state,
        tenant_state,
        tenant,
        titles,
    })
}

/// The content's objects by kind and id.
type ById<'a> = BTreeMap<(Kind, &'a str), &'a Desired>;

fn by_id(desired: &[Desired]) -> ById<'_> {
    desired
        .iter()
        .map(|d| ((d.kind, d.id.as_str()), d))
        .collect()
}

/// The objects that matter: those of the content and those of siemctl's records; the rest of
/// the cluster is not siemctl's.
fn wanted(
    desired: &[Desired],
    cluster_state: &StoredState,
    tenant_state: &StoredState,
) -> BTreeSet<(Kind, String)> {
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
    wanted
}

/// What the list requests returned.
struct Lists {
    components: BTreeMap<String, Value>,
    index_templates: BTreeMap<String, Value>,
    pipelines: BTreeMap<String, Value>,
    policies: BTreeMap<String, crate::cluster::opensearch::LivePolicy>,
}

impl Lists {
    /// The wanted objects among them, normalised into `live`.
    fn collect(
        self,
        by_id: &ById<'_>,
        wanted: &BTreeSet<(Kind, String)>,
        live: &mut BTreeMap<(Kind, String), Live>,
    ) {
        for (kind, listed) in [
            (Kind::ComponentTemplate, self.components),
            (Kind::IndexTemplate, self.index_templates),
            (Kind::IngestPipeline, self.pipelines),
        ] {
            for (id, body) in listed {
                if wanted.contains(&(kind, id.clone())) {
                    let object =
                        live_object(kind, &body, by_id.get(&(kind, id.as_str())).copied(), None);
                    live.insert((kind, id), object);
                }
            }
        }
        for (id, policy) in self.policies {
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
    }
}

/// `_bulk_get` of saved objects by kind and id; the advanced settings are asked for under the
/// Dashboards version, their id whatever the content calls them. Nothing to read, no request.
async fn bulk_get(
    cluster: &Cluster,
    objects: &[(Kind, String)],
    dashboards_version: Option<&str>,
) -> Result<Vec<Option<Value>>> {
    bulk_get_each(cluster, objects, dashboards_version, |_, object| object).await
}

/// [`bulk_get`], each object found given to `each` (with its index in `objects`) as soon as
/// it is decoded.
async fn bulk_get_each<T: Send>(
    cluster: &Cluster,
    objects: &[(Kind, String)],
    dashboards_version: Option<&str>,
    each: impl Fn(usize, Value) -> T + Sync,
) -> Result<Vec<Option<T>>> {
    if objects.is_empty() {
        return Ok(Vec::new());
    }
    let request: Vec<(String, String)> = objects
        .iter()
        .map(|(kind, id)| {
            let id = match (kind, dashboards_version) {
                (Kind::Config, Some(version)) => version.to_string(),
                _ => id.clone(),
            };
            (kind.saved_object_type().unwrap_or_default().to_string(), id)
        })
        .collect();
    cluster
        .bulk_get_each(&request, each)
        .await
        .context("cannot read saved objects (_bulk_get)")
}

/// A saved object as read, normalised against its desired form. Advanced settings are compared
/// over the settings declared now and those siemctl set before (a dropped one still set in the
/// cluster is a change).
fn saved_live(
    kind: Kind,
    id: &str,
    object: &Value,
    by_id: &ById<'_>,
    tenant_state: &StoredState,
) -> Live {
    let desired = by_id.get(&(kind, id)).copied();
    // Only the advanced settings and index patterns are normalised against the content's form.
    let normalize_with = desired
        .filter(|d| matches!(d.kind, Kind::Config | Kind::IndexPattern))
        .map(|d| {
            let mut normalized = d.normalized();
            if d.kind == Kind::Config {
                let entry = tenant_state.state.objects.get(&state::key(kind, id));
                let dropped = state::dropped_keys(entry, &normalized);
                if let Some(Value::Object(attributes)) = normalized.get_mut("attributes") {
                    for key in dropped {
                        attributes.insert(key, Value::Null);
                    }
                }
            }
            normalized
        });
    live_object_against(kind, object, normalize_with.as_ref(), desired, None)
}

/// Both state documents, the cluster's and the tenant's, in one `_mget`.
async fn read_states(cluster: &Cluster, tenant_doc: &str) -> Result<(StoredState, StoredState)> {
    let docs = cluster
        .get_docs(STATE_INDEX, &[CLUSTER_DOC, tenant_doc])
        .await
        .with_context(|| {
            format!("cannot read siemctl's state documents `{CLUSTER_DOC}` and `{tenant_doc}`")
        })?;
    let mut docs = docs.into_iter();
    let mut stored = |id: &str| -> Result<StoredState> {
        let Some(doc) = docs.next().flatten() else {
            return Ok(StoredState::default());
        };
        let state: State = serde_json::from_value(doc.source).with_context(|| {
            format!("siemctl's state document `{STATE_INDEX}/{id}` is not readable")
        })?;
        Ok(StoredState {
            state,
            seq: Some((doc.seq_no, doc.primary_term)),
        })
    };
    let cluster_state = stored(CLUSTER_DOC)?;
    let tenant_state = stored(tenant_doc)?;
    Ok((cluster_state, tenant_state))
}
