//! The apply lock: a create-only document in siemctl's index, holding who holds it and until
//! when. A second apply waits a bounded time, then fails naming the holder; the lock of a
//! crashed apply expires.

use crate::apply::incomplete::Reason;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
    /// When the lock expires unless renewed again (moved on by each renewal).
    expires_at_ms: AtomicU64,
}

/// Asks a running apply to stop between objects: on SIGINT or SIGTERM (a cancelled CI job),
/// or when the lock was lost. What was written is still recorded, and the lock released.
#[derive(Debug, Default)]
pub(crate) struct Stop {
    flag: AtomicBool,
    reason: Mutex<Option<(Reason, String)>>,
}

impl Stop {
    pub(crate) fn stopped(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Asks the run to stop between objects; the first reason given is kept.
    pub(crate) fn request(&self, reason: Reason, text: &str) {
        if let Ok(mut slot) = self.reason.lock() {
            slot.get_or_insert_with(|| (reason, text.to_string()));
        }
        self.flag.store(true, Ordering::SeqCst);
    }

    pub(crate) fn reason(&self) -> Option<(Reason, String)> {
        self.reason.lock().ok().and_then(|r| r.clone())
    }
}

/// SIGINT and SIGTERM, listened to from [`Interrupts::install`] on: from then on a signal no
/// longer ends the process, it is the run's to handle (release the lock it holds, or may just
/// have taken). Every instance hears every signal.
pub(crate) struct Interrupts {
    #[cfg(unix)]
    listeners: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Interrupts {
    pub(crate) fn install() -> Interrupts {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let listeners = match (
                signal(SignalKind::interrupt()),
                signal(SignalKind::terminate()),
            ) {
                (Ok(int), Ok(term)) => Some((int, term)),
                (Err(err), _) | (_, Err(err)) => {
                    tracing::warn!("cannot listen to SIGINT and SIGTERM: {err}");
                    None
                }
            };
            Interrupts { listeners }
        }
        #[cfg(not(unix))]
        {
            Interrupts {}
        }
    }

    /// Resolves at the next SIGINT or SIGTERM.
    pub(crate) async fn next(&mut self) {
        #[cfg(unix)]
        {
            match &mut self.listeners {
                Some((int, term)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                None => std::future::pending().await,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// A new random id for a run's lock, known before its create is sent: a create whose answer was
/// lost is recognised by it.
pub(crate) fn new_run_id() -> String {
    format!("{:016x}", fastrand::u64(..))
}

/// A time for messages: `2026-12-02T03:04:05Z`.
pub(crate) fn timestamp(ms: u64) -> String {
    i64::try_from(ms / 1000)
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map_or_else(|| format!("{ms} ms after the epoch"), |t| t.to_string())
}

/// How long to sleep before the `attempt`th look at a held lock (from 1): exponential from half a
/// second, capped at 8 s, with jitter (a random delay in [d/2, d]) so that waiting runs spread out.
fn poll_delay(attempt: u32) -> Duration {
    let ceiling = Duration::from_millis(500)
        .saturating_mul(1 << attempt.clamp(1, 8).saturating_sub(1))
        .min(Duration::from_secs(8));
    let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(fastrand::u64(millis / 2..=millis))
}

/// Removes the lock if it is this run's: after an interrupted or failed acquisition, whose create
/// may have been applied unanswered. True when one was removed.
pub(crate) async fn abandon(cluster: &Cluster, run_id: &str) -> Result<bool> {
    let Some(doc) = cluster.get_doc(STATE_INDEX, LOCK_DOC).await? else {
        return Ok(false);
    };
    let ours = doc.source.get("run_id").and_then(serde_json::Value::as_str) == Some(run_id);
    if !ours {
        return Ok(false);
    }
    Ok(cluster
        .delete_doc(STATE_INDEX, LOCK_DOC, doc.seq_no, doc.primary_term)
        .await?)
}

/// What is left when this run's lock cannot be removed: until when it blocks, and the way out.
fn stays(run_id: &str, expires_at_ms: u64) -> String {
    let minutes = expires_at_ms.saturating_sub(now_ms()).div_ceil(60_000);
    format!(
        "this run's apply lock (lock id {run_id}) is left behind: it stays until it expires at {} (in {minutes} min), blocking every other apply; once the cluster answers, `siemctl unlock --lock-id {run_id} --force` removes it sooner",
        timestamp(expires_at_ms)
    )
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
    /// Takes the lock as run `run_id` ([`new_run_id`]), waiting up to `wait` for another holder
    /// (saying once through `notify` who holds it and how long this run waits, and looking again
    /// less and less often), taking over an expired lock. A create that failed may have been
    /// applied with its answer lost: the lock is read back, and taken if it holds `run_id`; on
    /// any other failure a lock of this run is removed.
    pub(crate) async fn acquire(
        cluster: &Cluster,
        ttl: Duration,
        wait: Duration,
        run_id: &str,
        notify: &(dyn Fn(&str) + Sync),
    ) -> Result<Lock> {
        match Self::try_acquire(cluster, ttl, wait, run_id, notify).await {
            Ok(lock) => Ok(lock),
            Err(err) => match abandon(cluster, run_id).await {
                Ok(_) => Err(err),
                Err(cleanup) => Err(anyhow::anyhow!(
                    "{err:#}\nthe lock's create may have been applied, and the lock cannot be read back ({cleanup:#}): if so, {}",
                    stays(run_id, now_ms() + u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX))
                )),
            },
        }
    }

    async fn try_acquire(
        cluster: &Cluster,
        ttl: Duration,
        wait: Duration,
        run_id: &str,
        notify: &(dyn Fn(&str) + Sync),
    ) -> Result<Lock> {
        cluster
            .ensure_index(STATE_INDEX)
            .await
            .context("cannot create siemctl's state index")?;
        let started = std::time::Instant::now();
        let mut polls = 0;
        let mut announced: Option<String> = None;
        loop {
            let now = now_ms();
            let holder = Holder {
                who: identity(),
                pid: std::process::id(),
                run_id: run_id.to_string(),
                acquired_at_ms: now,
                expires_at_ms: now + u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX),
                renewed_at_ms: Some(now),
                run_url: run_url(),
            };
            let source = serde_json::to_value(&holder)?;
            let created = cluster
                .put_doc(STATE_INDEX, LOCK_DOC, &source, WriteIf::Absent)
                .await;
            match created {
                Ok(Written::Done {
                    seq_no,
                    primary_term,
                }) => {
                    return Ok(Lock::held(holder, seq_no, primary_term));
                }
                Ok(Written::Conflict) => {}
                // Applied with its answer lost, perhaps (a dropped connection, on every retry):
                // the read below tells.
                Err(err) => {
                    tracing::debug!("the lock's create failed, reading it back: {err}");
                    let doc = cluster
                        .get_doc(STATE_INDEX, LOCK_DOC)
                        .await
                        .with_context(|| format!("cannot take the apply lock: {err}"))?;
                    let ours = doc.as_ref().is_some_and(|doc| {
                        doc.source.get("run_id").and_then(serde_json::Value::as_str) == Some(run_id)
                    });
                    if !ours {
                        return Err(anyhow::Error::new(err).context("cannot take the apply lock"));
                    }
                }
            }
            let Some(doc) = cluster.get_doc(STATE_INDEX, LOCK_DOC).await? else {
                continue;
            };
            let current: Holder = serde_json::from_value(doc.source.clone())
                .context("the lock document is not siemctl's")?;
            if current.run_id == run_id {
                // Our own create, applied before a dropped connection made us retry it.
                return Ok(Lock::held(current, doc.seq_no, doc.primary_term));
            }
            if current.expires_at_ms <= now {
                tracing::warn!(holder = %current.who, "taking over an expired apply lock");
                cluster
                    .delete_doc(STATE_INDEX, LOCK_DOC, doc.seq_no, doc.primary_term)
                    .await?;
                continue;
            }
            let elapsed = started.elapsed();
            if elapsed >= wait {
                let remaining = Duration::from_millis(current.expires_at_ms.saturating_sub(now));
                // The code `lock_held` in JSON output (crate::error_code).
                return crate::error_code::refuse(crate::error_code::Code::LockHeld, format!(
                    "another apply holds the lock on this cluster: {}, since {}s ago; it expires in {}s if that run died.\nWait for it to finish, or pass --lock-timeout SECONDS to wait longer; if that job was killed, `siemctl unlock` removes its lock",
                    current.describe(),
                    now.saturating_sub(current.acquired_at_ms) / 1000,
                    remaining.as_secs()
                ));
            }
            if announced.as_deref() != Some(current.run_id.as_str()) {
                notify(&format!(
                    "waiting for the apply lock: held by {}, taken at {} ({}s ago); waiting up to {}s (--lock-timeout), it expires at {} if that run died",
                    current.describe(),
                    timestamp(current.acquired_at_ms),
                    now.saturating_sub(current.acquired_at_ms) / 1000,
                    wait.as_secs(),
                    timestamp(current.expires_at_ms),
                ));
                announced = Some(current.run_id.clone());
            }
            polls += 1;
            tokio::time::sleep(poll_delay(polls).min(wait - elapsed)).await;
        }
    }

    fn held(holder: Holder, seq_no: i64, primary_term: i64) -> Lock {
        Lock {
            seq: Mutex::new((seq_no, primary_term)),
            expires_at_ms: AtomicU64::new(holder.expires_at_ms),
            holder,
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
                    self.expires_at_ms.store(expires_at_ms, Ordering::SeqCst);
                }
                Ok(Written::Conflict) => match self.read_back(cluster).await {
                    Ok(Some(expires)) => expires_at_ms = expires,
                    Ok(None) => stop.request(
                        Reason::LockLost,
                        "the apply lock was taken over by another run (it had expired): stopping",
                    ),
                    Err(err) => {
                        tracing::warn!("cannot read the apply lock back (will retry): {err:#}")
                    }
                },
                Err(err) => tracing::warn!("cannot renew the apply lock (will retry): {err}"),
            }
            if now_ms() >= expires_at_ms {
                stop.request(
                    Reason::LockLost,
                    "the apply lock expired without a successful renewal: stopping",
                );
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
        self.expires_at_ms
            .store(holder.expires_at_ms, Ordering::SeqCst);
        Ok(Some(holder.expires_at_ms))
    }

    /// Removes the lock. When that keeps failing, the error says until when the lock stays and
    /// how to remove it.
    pub(crate) async fn release(self, cluster: &Cluster) -> Result<()> {
        self.try_release(cluster).await.map_err(|err| {
            anyhow::anyhow!(
                "cannot release the apply lock: {err:#}\n{}",
                stays(
                    &self.holder.run_id,
                    self.expires_at_ms.load(Ordering::SeqCst)
                )
            )
        })
    }

    async fn try_release(&self, cluster: &Cluster) -> Result<()> {
        let (seq_no, primary_term) = self.current();
        let released = cluster
            .delete_doc(STATE_INDEX, LOCK_DOC, seq_no, primary_term)
            .await?;
        if !released {
            // A renewal applied but unanswered moved the seq_no: still ours, delete it by the
            // seq_no read back.
            match self.read_back(cluster).await? {
                Some(_) => {
                    let (seq_no, primary_term) = self.current();
                    cluster
                        .delete_doc(STATE_INDEX, LOCK_DOC, seq_no, primary_term)
                        .await?;
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
    fn polls_back_off_to_a_cap_with_jitter() {
        for _ in 0..200 {
            let ms = |attempt| poll_delay(attempt).as_millis();
            assert!((250..=500).contains(&ms(1)));
            assert!((2_000..=4_000).contains(&ms(4)));
            assert!((4_000..=8_000).contains(&ms(40)));
        }
    }

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
