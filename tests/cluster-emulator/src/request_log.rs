//! The request log: one record per request the emulated APIs received (admin endpoints
//! excepted), with the time it arrived and the time its answer was ready, so that a test or a
//! bench can tell which requests were in flight together and which waited for one another.
//!
//! [`critical_path`] reduces a log to one number: the longest chain of requests in which each
//! one arrived after the previous one was answered. Requests that overlap in time never belong
//! to the same chain, so a client that sends its reads together scores 1 however many there
//! are, and one that sends them one after another scores their number.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use serde::Serialize;
use serde_json::{json, Value};

/// One request, as the emulator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    /// The order of arrival, from 1.
    pub seq: u64,
    /// `opensearch` or `dashboards`.
    pub server: String,
    pub method: String,
    /// The path as sent (with the Dashboards base path, if any), without the query string.
    pub path: String,
    /// The query string, without `?` (empty when there is none).
    pub query: String,
    /// The upstream route template, as in `/_emulator/stats`.
    pub route: String,
    /// The status answered; `None` when a fault rule dropped the connection instead.
    pub status: Option<u16>,
    /// When the request arrived, in microseconds since the emulator started.
    pub start_us: u64,
    /// When its answer was ready (latency and handling included), in microseconds since the
    /// emulator started.
    pub end_us: u64,
}

/// The records, in order of arrival.
pub(crate) struct RequestLog {
    origin: Instant,
    records: Vec<RequestRecord>,
}

/// A request being handled: what [`RequestLog::record`] needs once it is answered.
pub(crate) struct Started {
    pub(crate) start_us: u64,
}

impl RequestLog {
    pub(crate) fn new() -> RequestLog {
        RequestLog {
            origin: Instant::now(),
            records: Vec::new(),
        }
    }

    fn now_us(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    pub(crate) fn start(&self) -> Started {
        Started {
            start_us: self.now_us(),
        }
    }

    /// Records a request that has been answered (or dropped) now.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
        &mut self,
        started: Started,
        server: &str,
        method: &str,
        path: &str,
        query: &str,
        route: String,
        status: Option<u16>,
    ) {
        let end_us = self.now_us();
        let seq = self.records.len() as u64 + 1;
        self.records.push(RequestRecord {
            seq,
            server: server.to_string(),
            method: method.to_string(),
            path: path.to_string(),
            query: query.to_string(),
            route,
            status,
            start_us: started.start_us,
            end_us,
        });
    }

    pub(crate) fn records(&self) -> Vec<RequestRecord> {
        let mut records = self.records.clone();
        records.sort_by_key(|r| r.start_us);
        records
    }

    pub(crate) fn clear(&mut self) {
        self.records.clear();
    }

    /// `GET /_emulator/requests`: the records and the critical path.
    pub(crate) fn to_value(&self) -> Value {
        let records = self.records();
        json!({"critical_path": critical_path(&records), "requests": records})
    }
}

/// The longest chain of requests each of which arrived after the previous one was answered:
/// the round trips a client waited for one after another. Requests that overlap in time count
/// once; an empty log is 0.
///
/// Computed in one pass over the requests by time of arrival: a request's chain is one more
/// than the longest chain among the requests answered before it arrived (kept in a heap by
/// time of answer, so each request is looked at twice).
pub fn critical_path(records: &[RequestRecord]) -> usize {
    let mut by_start: Vec<&RequestRecord> = records.iter().collect();
    by_start.sort_by_key(|r| (r.start_us, r.end_us));
    // (end, chain length) of the requests not yet known to be answered before the current one.
    let mut open: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    let mut best_before = 0;
    let mut longest = 0;
    for record in by_start {
        while let Some(Reverse((end, chain))) = open.peek().copied() {
            if end > record.start_us {
                break;
            }
            open.pop();
            best_before = best_before.max(chain);
        }
        let chain = best_before + 1;
        longest = longest.max(chain);
        open.push(Reverse((record.end_us.max(record.start_us), chain)));
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(start_us: u64, end_us: u64) -> RequestRecord {
        RequestRecord {
            seq: 0,
            server: "opensearch".into(),
            method: "GET".into(),
            path: "/".into(),
            query: String::new(),
            route: "/".into(),
            status: Some(200),
            start_us,
            end_us,
        }
    }

    #[test]
    fn overlapping_requests_count_once_and_sequential_ones_add_up() {
        assert_eq!(critical_path(&[]), 0);
        // Three reads in flight together.
        let together = [request(0, 20), request(1, 21), request(2, 25)];
        assert_eq!(critical_path(&together), 1);
        // One after another.
        let sequential = [request(0, 20), request(20, 40), request(41, 60)];
        assert_eq!(critical_path(&sequential), 3);
        // Detection, then the reads together, then one follow-up read: 3.
        let mixed = [
            request(0, 20),
            request(1, 22),
            request(23, 43),
            request(23, 50),
            request(24, 44),
            request(51, 70),
        ];
        assert_eq!(critical_path(&mixed), 3);
    }

    #[test]
    fn the_longest_chain_wins_over_the_first_one_found() {
        // A long request alongside a chain of three short ones: the chain decides.
        let records = [
            request(0, 100),
            request(0, 10),
            request(10, 20),
            request(20, 30),
            request(100, 110),
        ];
        // 0-10, 10-20, 20-30, then 100-110 (after the long one and the chain): 4.
        assert_eq!(critical_path(&records), 4);
        // Parallelism 10 over 30 requests of 20 µs each: 3 waves.
        let waves: Vec<RequestRecord> = (0..30)
            .map(|i| request((i / 10) * 20, (i / 10) * 20 + 20))
            .collect();
        assert_eq!(critical_path(&waves), 3);
    }
}
