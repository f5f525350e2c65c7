//! Loading raw events into a cluster: the indices created by name (so the templates apply),
//! the events sent with `_bulk` as `{"message": raw}` (the cluster's pipelines parse them),
//! then refreshed and verified with `_count`.
//!
//! - Streaming: events are read from an iterator and encoded into one batch at a time; at most
//!   `concurrency` batches are in flight, so memory does not grow with the number of events.
//! - Batches stay under `batch_bytes` (5 MiB by default: `_bulk` is limited by
//!   `http.max_content_length`, 10 MiB on small Amazon OpenSearch Service instances).
//! - Whole requests are retried by the HTTP client (429, 502, 503, 504, connection errors,
//!   with backoff and Retry-After). Items the cluster rejects one by one with 429
//!   (`es_rejected_execution_exception` under load) are sent again, with backoff, within the
//!   same budget; every other item error is counted and kept (the first few in full).
//! - Verification: the pipelines give each event a deterministic `_id`, so an `index` action
//!   sent again overwrites (`updated`) instead of duplicating. After the load each index must
//!   hold what it held before plus the items answered `created` — events sent, less those a
//!   pipeline dropped (`noop`), less those whose id was already there (a re-run, duplicates)
//!   — and no document may carry `tags: pipeline_error`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use indicatif::ProgressBar;
use serde_json::json;
use tokio::task::JoinSet;

use super::RawEvent;
use crate::cluster::bulk::BulkItem;
use crate::cluster::http::RetryPolicy;
use crate::cluster::Cluster;

/// The default largest `_bulk` body.
pub(crate) const DEFAULT_BATCH_BYTES: usize = 5 * 1024 * 1024;
/// The default most events in one `_bulk` request: pipelines make a request's time grow with
/// its events, and smaller requests keep several in flight for a few thousand events.
pub(crate) const DEFAULT_BATCH_EVENTS: usize = 1_000;
/// The default number of `_bulk` requests in flight.
pub(crate) const DEFAULT_CONCURRENCY: usize = 4;
/// Item errors kept in full, per log type.
const SAMPLES_PER_LOG_TYPE: usize = 3;
/// The longest raw event shown with an error.
const SHOWN_RAW_CHARS: usize = 400;

/// How to load.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LoadOptions {
    pub(crate) batch_bytes: usize,
    pub(crate) batch_events: usize,
    pub(crate) concurrency: usize,
    /// Delays and budget for items rejected one by one with 429.
    pub(crate) retry: RetryPolicy,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            batch_bytes: DEFAULT_BATCH_BYTES,
            batch_events: DEFAULT_BATCH_EVENTS,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
        }
    }
}

/// What happened to one index's events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IndexTally {
    /// Documents in the index before the load.
    pub(crate) before: u64,
    pub(crate) sent: u64,
    /// Answered `created`: a new document.
    pub(crate) created: u64,
    /// Answered `updated`: a document with that id was there already (a re-run, or two
    /// events with the same id).
    pub(crate) updated: u64,
    /// Answered `noop`: a pipeline dropped the event.
    pub(crate) dropped: u64,
    pub(crate) failed: u64,
    /// `updated` items of requests the client had to send again after a connection failed:
    /// some may be this run's own first write.
    pub(crate) uncertain: u64,
    /// `_count` after the refresh.
    pub(crate) count: Option<u64>,
    /// Documents tagged `pipeline_error`.
    pub(crate) pipeline_errors: Option<u64>,
}

impl IndexTally {
    pub(crate) fn expected(&self) -> u64 {
        self.before + self.created
    }

    /// Whether `_count` agrees with the answers.
    pub(crate) fn count_matches(&self) -> bool {
        let expected = self.expected();
        self.count
            .is_some_and(|c| c >= expected && c <= expected + self.uncertain)
    }

    pub(crate) fn is_complete(&self) -> bool {
        self.failed == 0 && self.count_matches() && self.pipeline_errors == Some(0)
    }
}

/// One item error, in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ItemFailure {
    pub(crate) log_type: &'static str,
    pub(crate) index: String,
    pub(crate) status: u16,
    pub(crate) error: String,
    /// The raw event (its first characters).
    pub(crate) raw: String,
}

/// The outcome of a load.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) indices: BTreeMap<String, IndexTally>,
    /// Item errors per log type.
    pub(crate) failed_by_log_type: BTreeMap<&'static str, u64>,
    /// The first few item errors of each log type.
    pub(crate) samples: Vec<ItemFailure>,
    pub(crate) events: u64,
    /// `_bulk` requests sent (retries of whole requests by the client not included).
    pub(crate) requests: u64,
    /// The most `_bulk` requests in flight at once.
    pub(crate) peak_in_flight: usize,
    /// Items sent again after a per-item 429.
    pub(crate) item_retries: u64,
    pub(crate) bytes: u64,
    pub(crate) elapsed: Duration,
}

impl Report {
    pub(crate) fn failed(&self) -> u64 {
        self.indices.values().map(|t| t.failed).sum()
    }

    pub(crate) fn is_complete(&self) -> bool {
        self.indices.values().all(IndexTally::is_complete)
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        let indices: serde_json::Map<String, serde_json::Value> = self
            .indices
            .iter()
            .map(|(name, t)| {
                (
                    name.clone(),
                    json!({
                        "before": t.before, "sent": t.sent, "created": t.created,
                        "updated": t.updated, "dropped": t.dropped, "failed": t.failed,
                        "expected": t.expected(), "uncertain": t.uncertain, "count": t.count,
                        "pipeline_errors": t.pipeline_errors, "ok": t.is_complete(),
                    }),
                )
            })
            .collect();
        json!({
            "events": self.events,
            "requests": self.requests,
            "peak_in_flight": self.peak_in_flight,
            "item_retries": self.item_retries,
            "bytes": self.bytes,
            "elapsed_ms": u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
            "indices": indices,
            "failed_by_log_type": self.failed_by_log_type,
            "failures": self.samples.iter().map(|f| json!({
                "log_type": f.log_type, "index": f.index, "status": f.status,
                "error": f.error, "raw": f.raw,
            })).collect::<Vec<_>>(),
        })
    }
}

/// One event's place in a batch: what it is, and where its two lines are in the body.
#[derive(Debug, Clone)]
struct Slot {
    log_type: &'static str,
    index: usize,
    start: usize,
    end: usize,
}

/// A `_bulk` body under construction, with its events' slots.
#[derive(Debug, Default)]
struct Batch {
    body: Vec<u8>,
    slots: Vec<Slot>,
}

/// Encodes events into batches of at most `limit` bytes and `max_events` events (a single
/// event larger than `limit` is a batch of its own), as `{"index":{"_index":...}}` and
/// `{"message":...}` lines.
struct Batcher {
    limit: usize,
    max_events: usize,
    /// Index names, and their action lines, by position.
    names: Vec<String>,
    actions: Vec<Vec<u8>>,
    positions: std::collections::HashMap<String, usize>,
    current: Batch,
    line: Vec<u8>,
}

impl Batcher {
    fn new(limit: usize, max_events: usize) -> Batcher {
        Batcher {
            limit: limit.max(1),
            max_events: max_events.max(1),
            names: Vec::new(),
            actions: Vec::new(),
            positions: std::collections::HashMap::new(),
            current: Batch::default(),
            line: Vec::with_capacity(4096),
        }
    }

    fn position(&mut self, index: &str) -> usize {
        if let Some(&p) = self.positions.get(index) {
            return p;
        }
        let p = self.names.len();
        let mut action = br#"{"index":{"_index":"#.to_vec();
        serde_json::to_writer(&mut action, index).expect("a string serialises");
        action.extend_from_slice(b"}}\n");
        self.names.push(index.to_string());
        self.actions.push(action);
        self.positions.insert(index.to_string(), p);
        p
    }

    /// Adds an event; returns the full batch it closed, if any.
    fn push(&mut self, event: &RawEvent) -> Option<Batch> {
        let index = self.position(&event.index);
        self.line.clear();
        self.line.extend_from_slice(&self.actions[index]);
        self.line.extend_from_slice(br#"{"message":"#);
        serde_json::to_writer(&mut self.line, &event.raw).expect("a string serialises");
        self.line.extend_from_slice(b"}\n");
        let full = (!self.current.slots.is_empty()
            && (self.current.body.len() + self.line.len() > self.limit
                || self.current.slots.len() >= self.max_events))
            .then(|| std::mem::take(&mut self.current));
        let start = self.current.body.len();
        self.current.body.extend_from_slice(&self.line);
        self.current.slots.push(Slot {
            log_type: event.log_type,
            index,
            start,
            end: self.current.body.len(),
        });
        full
    }

    fn finish(&mut self) -> Option<Batch> {
        (!self.current.slots.is_empty()).then(|| std::mem::take(&mut self.current))
    }
}

/// What one batch gave, item by item, after its per-item retries.
struct BatchOutcome {
    /// (slot, item) for every event of the batch.
    items: Vec<(Slot, BulkItem)>,
    /// The raw events of failed items (truncated), by their position in `items`.
    raws: BTreeMap<usize, String>,
    resent: bool,
    requests: u64,
    item_retries: u64,
}

/// The raw event of a slot, read back from its `{"message": ...}` line.
fn raw_of(body: &[u8], slot: &Slot) -> String {
    let lines = &body[slot.start..slot.end];
    let source = lines
        .iter()
        .position(|b| *b == b'\n')
        .map_or(lines, |n| &lines[n + 1..]);
    let raw = serde_json::from_slice::<serde_json::Value>(source)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        .unwrap_or_default();
    let mut shown: String = raw.chars().take(SHOWN_RAW_CHARS).collect();
    if shown.len() < raw.len() {
        shown.push('…');
    }
    shown
}

/// Sends one batch; items rejected with 429 are sent again with backoff.
async fn send_batch(cluster: &Cluster, batch: Batch, retry: RetryPolicy) -> Result<BatchOutcome> {
    let started = Instant::now();
    let mut results: Vec<Option<BulkItem>> = vec![None; batch.slots.len()];
    let mut pending: Vec<usize> = (0..batch.slots.len()).collect();
    let mut outcome = BatchOutcome {
        items: Vec::new(),
        raws: BTreeMap::new(),
        resent: false,
        requests: 0,
        item_retries: 0,
    };
    let mut attempt = 0u32;
    loop {
        let body = if pending.len() == batch.slots.len() {
            batch.body.clone()
        } else {
            let mut body = Vec::new();
            for &i in &pending {
                let slot = &batch.slots[i];
                body.extend_from_slice(&batch.body[slot.start..slot.end]);
            }
            body
        };
        outcome.requests += 1;
        let response = cluster
            .bulk(body)
            .await
            .context("a `_bulk` request failed")?;
        outcome.resent |= response.resent;
        if response.items.len() != pending.len() {
            anyhow::bail!(
                "the `_bulk` answer has {} items for {} sent",
                response.items.len(),
                pending.len()
            );
        }
        let mut rejected = Vec::new();
        for (&i, item) in pending.iter().zip(response.items) {
            if item.status == 429 {
                rejected.push(i);
            }
            results[i] = Some(item);
        }
        attempt += 1;
        let elapsed = started.elapsed();
        if rejected.is_empty() || elapsed >= retry.budget {
            break;
        }
        outcome.item_retries += rejected.len() as u64;
        let exp = retry
            .base_delay
            .saturating_mul(1 << attempt.min(16).saturating_sub(1))
            .min(retry.max_delay)
            .min(retry.budget.saturating_sub(elapsed));
        let millis = u64::try_from(exp.as_millis()).unwrap_or(u64::MAX).max(2);
        tokio::time::sleep(Duration::from_millis(fastrand::u64(millis / 2..=millis))).await;
        pending = rejected;
    }
    for (i, (slot, item)) in batch.slots.into_iter().zip(results).enumerate() {
        let item = item.expect("every slot was answered");
        if item.error.is_some() || item.status >= 300 {
            outcome.raws.insert(i, raw_of(&batch.body, &slot));
        }
        outcome.items.push((slot, item));
    }
    Ok(outcome)
}

/// Creates each index by name (the templates apply); an existing index is fine. Returns the
/// indices this call created.
pub(crate) async fn create_indices(cluster: &Cluster, indices: &[String]) -> Result<Vec<String>> {
    let mut created = Vec::new();
    for index in indices {
        if cluster
            .create_index(index)
            .await
            .with_context(|| format!("cannot create the index `{index}`"))?
        {
            created.push(index.clone());
        }
    }
    Ok(created)
}

/// Loads the events into the indices (created beforehand with [`create_indices`]), then
/// refreshes and verifies every index.
pub(crate) async fn load(
    cluster: Arc<Cluster>,
    indices: &[String],
    events: impl Iterator<Item = RawEvent>,
    options: LoadOptions,
    progress: &ProgressBar,
) -> Result<Report> {
    let started = Instant::now();
    let mut report = Report::default();
    cluster
        .refresh(indices)
        .await
        .context("cannot refresh the indices before the load")?;
    for index in indices {
        let before = cluster
            .count(index, None)
            .await
            .with_context(|| format!("cannot count the documents of `{index}`"))?
            .unwrap_or(0);
        report.indices.insert(
            index.clone(),
            IndexTally {
                before,
                ..IndexTally::default()
            },
        );
    }
    let mut batcher = Batcher::new(options.batch_bytes, options.batch_events);
    let mut in_flight: JoinSet<Result<BatchOutcome>> = JoinSet::new();
    let concurrency = options.concurrency.max(1);
    let mut events = events.peekable();
    loop {
        let batch = match events.next() {
            Some(event) => {
                report.events += 1;
                match batcher.push(&event) {
                    Some(batch) => batch,
                    None => continue,
                }
            }
            None => match batcher.finish() {
                Some(batch) => batch,
                None => break,
            },
        };
        while in_flight.len() >= concurrency {
            let done = in_flight.join_next().await.expect("not empty");
            absorb(&mut report, &batcher.names, done, progress)?;
        }
        report.bytes += batch.body.len() as u64;
        let cluster = Arc::clone(&cluster);
        let retry = options.retry;
        in_flight.spawn(async move { send_batch(&cluster, batch, retry).await });
        report.peak_in_flight = report.peak_in_flight.max(in_flight.len());
    }
    while let Some(done) = in_flight.join_next().await {
        absorb(&mut report, &batcher.names, done, progress)?;
    }
    progress.finish_and_clear();
    // Indices the events went to that were not named beforehand are verified too.
    let all: Vec<String> = report.indices.keys().cloned().collect();
    cluster
        .refresh(&all)
        .await
        .context("cannot refresh the indices after the load")?;
    let pipeline_error = json!({ "term": { "tags": "pipeline_error" } });
    for (index, tally) in &mut report.indices {
        tally.count = cluster
            .count(index, None)
            .await
            .with_context(|| format!("cannot count the documents of `{index}`"))?;
        tally.pipeline_errors = cluster
            .count(index, Some(&pipeline_error))
            .await
            .with_context(|| format!("cannot count the pipeline errors of `{index}`"))?;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Adds one batch's outcome to the report.
fn absorb(
    report: &mut Report,
    names: &[String],
    done: Result<Result<BatchOutcome>, tokio::task::JoinError>,
    progress: &ProgressBar,
) -> Result<()> {
    let outcome = done.context("a `_bulk` task stopped")??;
    report.requests += outcome.requests;
    report.item_retries += outcome.item_retries;
    progress.inc(outcome.items.len() as u64);
    for (position, (slot, item)) in outcome.items.into_iter().enumerate() {
        let name = &names[slot.index];
        let tally = report.indices.entry(name.clone()).or_default();
        tally.sent += 1;
        match (item.error, item.result.as_deref()) {
            (None, Some("created")) => tally.created += 1,
            (None, Some("updated")) => {
                tally.updated += 1;
                if outcome.resent {
                    tally.uncertain += 1;
                }
            }
            (None, Some("noop")) => tally.dropped += 1,
            (error, result) => {
                tally.failed += 1;
                *report.failed_by_log_type.entry(slot.log_type).or_default() += 1;
                let shown = report
                    .samples
                    .iter()
                    .filter(|f| f.log_type == slot.log_type)
                    .count();
                if shown < SAMPLES_PER_LOG_TYPE {
                    report.samples.push(ItemFailure {
                        log_type: slot.log_type,
                        index: name.clone(),
                        status: item.status,
                        error: error.unwrap_or_else(|| {
                            format!("unexpected result `{}`", result.unwrap_or("none"))
                        }),
                        raw: outcome.raws.get(&position).cloned().unwrap_or_default(),
                    });
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(index: &str, raw: &str) -> RawEvent {
        RawEvent {
            stream: crate::workshop::Stream::Vpc,
            log_type: "test",
            index: index.to_string(),
            raw: raw.to_string(),
        }
    }

    #[test]
    fn batches_are_ndjson_under_the_limit_and_keep_every_event() {
        let mut batcher = Batcher::new(200, 1000);
        let mut batches = Vec::new();
        let mut total = 0;
        for i in 0..50 {
            let raw = format!("line {i} with \"quotes\" and \\ and\ttabs");
            total += 1;
            if let Some(b) = batcher.push(&event(if i % 2 == 0 { "log-a" } else { "log-b" }, &raw))
            {
                batches.push(b);
            }
        }
        batches.extend(batcher.finish());
        assert!(batches.len() > 5, "{}", batches.len());
        assert_eq!(batches.iter().map(|b| b.slots.len()).sum::<usize>(), total);
        let mut seen = 0;
        for batch in &batches {
            assert!(batch.body.len() <= 200, "{}", batch.body.len());
            let text = std::str::from_utf8(&batch.body).unwrap();
            assert!(text.ends_with('\n'));
            let lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
            assert_eq!(lines.len(), batch.slots.len() * 2);
            for (pair, slot) in lines.chunks(2).zip(&batch.slots) {
                let action: serde_json::Value = serde_json::from_str(pair[0]).unwrap();
                let source: serde_json::Value = serde_json::from_str(pair[1]).unwrap();
                let index = if seen % 2 == 0 { "log-a" } else { "log-b" };
                assert_eq!(action, json!({"index": {"_index": index}}));
                let raw = format!("line {seen} with \"quotes\" and \\ and\ttabs");
                assert_eq!(source, json!({ "message": raw }));
                assert_eq!(raw_of(&batch.body, slot), raw);
                seen += 1;
            }
        }
        assert_eq!(seen, total);
    }

    #[test]
    fn batches_hold_at_most_max_events() {
        let mut batcher = Batcher::new(1 << 20, 3);
        let mut sizes = Vec::new();
        for i in 0..10 {
            if let Some(b) = batcher.push(&event("a", &i.to_string())) {
                sizes.push(b.slots.len());
            }
        }
        sizes.extend(batcher.finish().map(|b| b.slots.len()));
        assert_eq!(sizes, [3, 3, 3, 1]);
    }

    #[test]
    fn an_event_over_the_limit_is_a_batch_of_its_own() {
        let mut batcher = Batcher::new(100, 1000);
        assert!(batcher.push(&event("a", "short")).is_none());
        let big = "x".repeat(500);
        let first = batcher
            .push(&event("a", &big))
            .expect("the short one is flushed");
        assert_eq!(first.slots.len(), 1);
        let second = batcher
            .push(&event("a", "short"))
            .expect("the big one alone");
        assert_eq!(second.slots.len(), 1);
        assert!(second.body.len() > 500);
        assert_eq!(batcher.finish().unwrap().slots.len(), 1);
        assert!(batcher.finish().is_none());
    }

    #[test]
    fn the_count_must_match_what_was_created() {
        let mut t = IndexTally {
            before: 10,
            sent: 5,
            created: 3,
            updated: 1,
            dropped: 1,
            count: Some(13),
            pipeline_errors: Some(0),
            ..IndexTally::default()
        };
        assert!(t.is_complete());
        t.count = Some(12);
        assert!(!t.count_matches(), "a document is missing");
        t.count = Some(14);
        assert!(!t.count_matches(), "a document too many");
        t.uncertain = 1;
        assert!(t.count_matches(), "a resent request's own write");
        t.pipeline_errors = Some(1);
        assert!(!t.is_complete());
    }

    #[test]
    fn long_raw_events_are_shown_truncated() {
        let mut batcher = Batcher::new(1 << 20, 1000);
        let raw = "é".repeat(1000);
        batcher.push(&event("a", &raw));
        let batch = batcher.finish().unwrap();
        let shown = raw_of(&batch.body, &batch.slots[0]);
        assert_eq!(shown.chars().count(), SHOWN_RAW_CHARS + 1);
        assert!(shown.ends_with('…'));
    }
}
