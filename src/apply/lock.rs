//! The apply lock: a create-only document in siemctl's index, holding who holds it and until
//! when. A second apply waits a bounded time, then fails naming the holder; the lock of a
//! crashed apply expires.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use crate::cluster::opensearch::{WriteIf, Written};
use crate::cluster::Cluster;
use crate::state::STATE_INDEX;

const LOCK_DOC: &str = "lock";

/// What the lock document records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Holder {
    /// `user@host` of the run.
    pub(crate) who: String,
    pub(crate) pid: u32,
    /// A random id of this run, to recognise our own lock after a retried write.
    pub(crate) run_id: String,
    pub(crate) acquired_at_ms: u64,
    pub(crate) expires_at_ms: u64,
    /// When the holder last renewed it (absent in locks of older siemctl versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) renewed_at_ms: Option<u64>,
    /// The CI job of the run, when there is one (see [`run_url`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) run_url: Option<String>,
}

impl Holder {
    /// `user@host (pid N, run ID)`, and the CI job's URL when known.
    pub(crate) fn describe(&self) -> String {
        let mut text = format!("{} (pid {}), lock id {}", self.who, self.pid, self.run_id);
        if let Some(url) = &self.run_url {
            text.push_str(&format!(", run {url}"));
        }
        text
    }
}

/// The CI job running siemctl: `SIEMCTL_RUN_URL`, else GitHub Actions'
/// `GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID`, else GitLab's `CI_JOB_URL`.
pub(crate) fn run_url() -> Option<String> {
    run_url_from(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
}

fn run_url_from(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    var("SIEMCTL_RUN_URL")
        .or_else(|| {
            let (server, repository, run) = (
                var("GITHUB_SERVER_URL")?,
                var("GITHUB_REPOSITORY")?,
                var("GITHUB_RUN_ID")?,
            );
            Some(format!(
                "{}/{repository}/actions/runs/{run}",
                server.trim_end_matches('/')
            ))
        })
        .or_else(|| var("CI_JOB_URL"))
}

/// The lock document as it is now, to show and to remove.
pub(crate) struct Held {
    pub(crate) holder: Holder,
    seq_no: i64,
    primary_term: i64,
}

/// Reads the lock of a cluster, if any.
pub(crate) async fn inspect(cluster: &Cluster) -> Result<Option<Held>> {
    let Some(doc) = cluster.get_doc(STATE_INDEX, LOCK_DOC).await? else {
        return Ok(None);
    };
    let holder: Holder =
        serde_json::from_value(doc.source).context("the lock document is not siemctl's")?;
    Ok(Some(Held {
        holder,
        seq_no: doc.seq_no,
        primary_term: doc.primary_term,
    }))
}

impl Held {
    /// When the holder last showed it was alive: its last renewal, or its acquisition.
    pub(crate) fn last_alive_ms(&self, ttl: Duration) -> u64 {
        self.holder.renewed_at_ms.unwrap_or_else(|| {
            self.holder
                .expires_at_ms
                .saturating_sub(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX))
                .max(self.holder.acquired_at_ms)
        })
    }

    /// Deletes exactly this lock document: false when it changed in between (renewed, or
    /// released and taken by another run).
    pub(crate) async fn remove(&self, cluster: &Cluster) -> Result<bool> {
        cluster
            .delete_doc(STATE_INDEX, LOCK_DOC, self.seq_no, self.primary_term)
            .await
            .context("cannot remove the apply lock")
    }
}

/// A held lock; keep it with [`Lock::keep_alive`], release it with [`Lock::release`].
pub(crate) struct Lock {
    /// seq_no and primary term of our lock document, moved on by each renewal.
    seq: Mutex<(i64, i64)>,
    holder: Holder,
}

/// Asks a running apply to stop between objects: on SIGINT or SIGTERM (a cancelled CI job),
/// or when the lock was lost. What was written is still recorded, and the lock released.
#[derive(Debug, Default)]
pub(crate) struct Stop {
    flag: AtomicBool,
    reason: Mutex<Option<String>>,
}

impl Stop {
    pub(crate) fn stopped(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    pub(crate) fn request(&self, reason: &str) {
        if let Ok(mut slot) = self.reason.lock() {
            slot.get_or_insert_with(|| reason.to_string());
        }
        self.flag.store(true, Ordering::SeqCst);
    }

    pub(crate) fn reason(&self) -> Option<String> {
        self.reason.lock().ok().and_then(|r| r.clone())
    }
}

/// Resolves on SIGINT or SIGTERM.
pub(crate) async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// `user@host` for records and messages.
pub(crate) fn identity() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .unwrap_or_else(|| "unknown-host".into());
    format!("{user}@{host}")
}

impl Lock {
    /// Takes the lock, waiting up to `wait` for another holder, taking over an expired lock.
    pub(crate) async fn acquire(cluster: &Cluster, ttl: Duration, wait: Duration) -> Result<Lock> {
        cluster
            .ensure_index(STATE_INDEX)
            .await
            .context("cannot create siemctl's state index")?;
        let run_id = format!("{:016x}", fastrand::u64(..));
        let started = std::time::Instant::now();
        loop {
            let now = now_ms();
            let holder = Holder {
                who: identity(),
                pid: std::process::id(),
                run_id: run_id.clone(),
                acquired_at_ms: now,
                expires_at_ms: now + u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX),
                renewed_at_ms: Some(now),
                run_url: run_url(),
            };
            let source = serde_json::to_value(&holder)?;
            match cluster
                .put_doc(STATE_INDEX, LOCK_DOC, &source, WriteIf::Absent)
                .await
                .context("cannot take the apply lock")?
            {
                Written::Done {
                    seq_no,
                    primary_term,
                } => {
                    return Ok(Lock {
                        seq: Mutex::new((seq_no, primary_term)),
                        holder,
                    });
                }
                Written::Conflict => {}
            }
            let Some(doc) = cluster.get_doc(STATE_INDEX, LOCK_DOC).await? else {
                continue;
            };
            let current: Holder = serde_json::from_value(doc.source.clone())
                .context("the lock document is not siemctl's")?;
            if current.run_id == run_id {
                // Our own create, applied before a dropped connection made us retry it.
                return Ok(Lock {
                    seq: Mutex::new((doc.seq_no, doc.primary_term)),
                    holder: current,
                });
            }
            if current.expires_at_ms <= now {
                tracing::warn!(holder = %current.who, "taking over an expired apply lock");
                cluster
                    .delete_doc(STATE_INDEX, LOCK_DOC, doc.seq_no, doc.primary_term)
                    .await?;
                continue;
            }
            if started.elapsed() >= wait {
                let remaining = Duration::from_millis(current.expires_at_ms.saturating_sub(now));
                // The code `lock_held` in JSON output (crate::error_code).
                return crate::error_code::refuse(crate::error_code::Code::LockHeld, format!(
                    "another apply holds the lock on this cluster: {}, since {}s ago; it expires in {}s if that run died.\nWait for it to finish, or pass --lock-timeout SECONDS to wait longer; if that job was killed, `siemctl unlock` removes its lock",
                    current.describe(),
                    now.saturating_sub(current.acquired_at_ms) / 1000,
                    remaining.as_secs()
                ));
            }
            tracing::info!(holder = %current.who, "waiting for the apply lock");
            tokio::time::sleep(Duration::from_millis(500).min(wait)).await;
        }
    }

    /// Renews the lock every third of its lifetime for as long as it is polled (it never
    /// returns), so that a long apply keeps it. A conflict is read back: our own renewal,
    /// retried after a dropped connection, is still ours; another run's lock means ours had
    /// expired, and the run is asked to stop. So is a run whose lock expired without a
    /// successful renewal.
    pub(crate) async fn keep_alive(&self, cluster: &Cluster, ttl: Duration, stop: &Stop) {
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        let mut expires_at_ms = self.holder.expires_at_ms;
        loop {
            tokio::time::sleep(ttl / 3).await;
            if stop.stopped() {
                continue;
            }
            let mut holder = self.holder.clone();
            let now = now_ms();
            holder.expires_at_ms = now + ttl_ms;
            holder.renewed_at_ms = Some(now);
            let Ok(source) = serde_json::to_value(&holder) else {
                continue;
            };
            let (seq_no, primary_term) = self.current();
            match cluster
                .put_doc(
                    STATE_INDEX,
                    LOCK_DOC,
                    &source,
                    WriteIf::Unchanged {
                        seq_no,
                        primary_term,
                    },
                )
                .await
            {
                Ok(Written::Done {
                    seq_no,
                    primary_term,
                }) => {
                    self.set(seq_no, primary_term);
                    expires_at_ms = holder.expires_at_ms;
                }
                Ok(Written::Conflict) => match self.read_back(cluster).await {
                    Ok(Some(expires)) => expires_at_ms = expires,
                    Ok(None) => stop.request(
                        "the apply lock was taken over by another run (it had expired): stopping",
                    ),
                    Err(err) => {
                        tracing::warn!("cannot read the apply lock back (will retry): {err:#}")
                    }
                },
                Err(err) => tracing::warn!("cannot renew the apply lock (will retry): {err}"),
            }
            if now_ms() >= expires_at_ms {
                stop.request("the apply lock expired without a successful renewal: stopping");
            }
        }
    }

    fn current(&self) -> (i64, i64) {
        self.seq.lock().map(|s| *s).unwrap_or((0, 0))
    }

    fn set(&self, seq_no: i64, primary_term: i64) {
        if let Ok(mut seq) = self.seq.lock() {
            *seq = (seq_no, primary_term);
        }
    }

    /// Reads the lock document: if it is still ours, adopts its seq_no and returns its expiry.
    async fn read_back(&self, cluster: &Cluster) -> Result<Option<u64>> {
        let Some(doc) = cluster.get_doc(STATE_INDEX, LOCK_DOC).await? else {
            return Ok(None);
        };
        let holder: Holder =
            serde_json::from_value(doc.source).context("the lock document is not siemctl's")?;
        if holder.run_id != self.holder.run_id {
            return Ok(None);
        }
        self.set(doc.seq_no, doc.primary_term);
        Ok(Some(holder.expires_at_ms))
    }

    pub(crate) async fn release(self, cluster: &Cluster) -> Result<()> {
        let (seq_no, primary_term) = self.current();
        let released = cluster
            .delete_doc(STATE_INDEX, LOCK_DOC, seq_no, primary_term)
            .await
            .context("cannot release the apply lock")?;
        if !released {
            // A renewal applied but unanswered moved the seq_no: still ours, delete it by the
            // seq_no read back.
            match self.read_back(cluster).await? {
                Some(_) => {
                    let (seq_no, primary_term) = self.current();
                    cluster
                        .delete_doc(STATE_INDEX, LOCK_DOC, seq_no, primary_term)
                        .await
                        .context("cannot release the apply lock")?;
                }
                None => tracing::warn!(
                    "the apply lock changed hands while this run held it (it had expired)"
                ),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_url_of_each_ci() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_string())
            }
        };
        assert_eq!(
            run_url_from(env(&[
                ("GITHUB_SERVER_URL", "https://github.com/"),
                ("GITHUB_REPOSITORY", "acme/siem"),
                ("GITHUB_RUN_ID", "42"),
                ("CI_JOB_URL", "https://gitlab.example/j/1"),
            ])),
            Some("https://github.com/acme/siem/actions/runs/42".into())
        );
        assert_eq!(
            run_url_from(env(&[("CI_JOB_URL", "https://gitlab.example/j/1")])),
            Some("https://gitlab.example/j/1".into())
        );
        assert_eq!(
            run_url_from(env(&[
                ("SIEMCTL_RUN_URL", "https://ci.example/7"),
                ("CI_JOB_URL", "https://gitlab.example/j/1"),
            ])),
            Some("https://ci.example/7".into())
        );
        // An incomplete GitHub set is no URL.
        assert_eq!(run_url_from(env(&[("GITHUB_RUN_ID", "42")])), None);
    }
}
