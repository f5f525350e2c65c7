//! The workshop's incident generator: one coherent story across the six log types (see
//! [`incident`] for the timeline, [`entities`] for the cast) in the raw, as-shipped forms the
//! bundled pipelines take, interleaved with background noise ([`noise`]).
//!
//! Deterministic: the same seed, event count and `at` give byte-identical output. Streaming: the
//! incident (a few hundred events) is held, the noise is drawn one event at a time, so memory does
//! not grow with `--events`.
//!
//! Index rule: `log-<family>-<yyyy>-<mm>` of the event's own time (UTC), where the family is the
//! log type's folder name (`aws-cloudtrail`, ...) except web, whose lines go to `web-apache` or
//! `web-nginx` by the server that wrote them; each matches its index template's
//! `index_patterns` (`log-aws-cloudtrail-*`, `log-web-apache-*`, ...).

pub(crate) mod clock;
pub(crate) mod entities;
pub(crate) mod ids;
pub(crate) mod incident;
pub(crate) mod loader;
pub(crate) mod noise;
pub(crate) mod questions;
#[cfg(test)]
pub(crate) mod sample;
pub(crate) mod text;

use std::collections::BTreeSet;

/// The index prefix of the bundled content (`index_prefix` in siemctl.toml).
pub(crate) const INDEX_PREFIX: &str = "log";
/// The incident ends this long before `at`.
pub(crate) const END_BEFORE_AT_MS: i64 = 3_600_000;
/// The incident starts this long before `at` (41 hours: it spans 40 hours).
pub(crate) const START_BEFORE_AT_MS: i64 = 41 * 3_600_000;
/// The noise spans the last 72 hours before `at`.
pub(crate) const NOISE_BEFORE_AT_MS: i64 = 72 * 3_600_000;
/// The default total number of events.
pub(crate) const DEFAULT_EVENTS: usize = 5_000;
/// The default seed.
pub(crate) const DEFAULT_SEED: u64 = 20_261_126;

/// What to generate.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) seed: u64,
    /// The total number of events (incident + noise); at least the incident's.
    pub(crate) events: usize,
    /// The run's clock: the incident ends an hour before it.
    pub(crate) at: jiff::Timestamp,
}

/// One raw event, as a shipper sends it: `{"message": raw}` to `index`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    /// The generator stream (index family) the event belongs to.
    pub(crate) stream: Stream,
    /// The log type (folder name under index-templates/): `aws-cloudtrail`, `web`, ...
    pub(crate) log_type: &'static str,
    /// The concrete index the event is sent to, e.g. `log-aws-cloudtrail-2026-11`.
    pub(crate) index: String,
    /// The `message` value: the raw line or JSON record.
    pub(crate) raw: String,
}

/// The streams of the generator: one per index family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stream {
    CloudTrail = 0,
    GuardDuty = 1,
    SecurityHub = 2,
    Vpc = 3,
    Secure = 4,
    Apache = 5,
    Nginx = 6,
}

impl Stream {
    pub(crate) const ALL: [Stream; 7] = [
        Stream::CloudTrail,
        Stream::GuardDuty,
        Stream::SecurityHub,
        Stream::Vpc,
        Stream::Secure,
        Stream::Apache,
        Stream::Nginx,
    ];

    /// The log type's folder under index-templates/.
    pub(crate) fn log_type(self) -> &'static str {
        match self {
            Stream::CloudTrail => "aws-cloudtrail",
            Stream::GuardDuty => "aws-guardduty",
            Stream::SecurityHub => "aws-securityhub",
            Stream::Vpc => "aws-vpcflowlogs",
            Stream::Secure => "linux-secure",
            Stream::Apache | Stream::Nginx => "web",
        }
    }

    /// The index family: `<prefix>-<family>-*`.
    pub(crate) fn family(self) -> &'static str {
        match self {
            Stream::Apache => "web-apache",
            Stream::Nginx => "web-nginx",
            other => other.log_type(),
        }
    }

    /// The file `workshop generate` writes the stream to.
    pub(crate) fn file_name(self) -> String {
        let ext = match self {
            Stream::CloudTrail | Stream::GuardDuty | Stream::SecurityHub => "ndjson",
            _ => "log",
        };
        format!("{}.{ext}", self.family())
    }

    /// Share of the noise, per thousand.
    fn weight(self) -> usize {
        match self {
            Stream::CloudTrail => 250,
            Stream::GuardDuty => 25,
            Stream::SecurityHub => 25,
            Stream::Vpc => 330,
            Stream::Secure => 110,
            Stream::Apache => 150,
            Stream::Nginx => 110,
        }
    }
}

/// The index of an event of `stream` at `ms`.
pub(crate) fn index_for(stream: Stream, ms: i64) -> String {
    let (year, month) = clock::month_suffix(ms);
    format!("{INDEX_PREFIX}-{}-{year:04}-{month:02}", stream.family())
}

/// The default `at`: now, rounded down to the full hour, so that runs within the same hour
/// generate the same events (and a re-run of `workshop up` indexes nothing twice).
pub(crate) fn default_at() -> jiff::Timestamp {
    let now = jiff::Timestamp::now().as_second();
    jiff::Timestamp::from_second(now - now.rem_euclid(3600)).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// The incident's time range: (start, end) in epoch milliseconds.
pub(crate) fn incident_range(at: jiff::Timestamp) -> (i64, i64) {
    let at = at.as_millisecond();
    (at - START_BEFORE_AT_MS, at - END_BEFORE_AT_MS)
}

/// How many noise events each stream gets, for `events` in total.
fn noise_counts(events: usize, incident: usize) -> [usize; 7] {
    let noise = events.saturating_sub(incident);
    let mut counts = Stream::ALL.map(|s| noise * s.weight() / 1000);
    let given: usize = counts.iter().sum();
    counts[Stream::Vpc as usize] += noise - given;
    counts
}

/// Every event, in time order (ties: stream order), deterministic for the options.
pub(crate) fn generate(options: &Options) -> impl Iterator<Item = RawEvent> {
    Generator::new(options, &[])
}

/// Every index [`generate`] sends to, sorted.
pub(crate) fn indices(options: &Options) -> Vec<String> {
    let at = options.at.as_millisecond();
    let script = incident::script(
        options.seed,
        incident_range(options.at).0,
        at - END_BEFORE_AT_MS,
    );
    let counts = noise_counts(options.events, script.len());
    let mut out = BTreeSet::new();
    for e in &script {
        out.insert(index_for(e.stream, e.ms));
    }
    for stream in Stream::ALL {
        let n = counts[stream as usize];
        if n == 0 {
            continue;
        }
        // noise times are monotonic and span at most 72 hours, so at most two months: the
        // first event's and the last one's
        let noise = noise::Noise::new(options.seed, stream, n, at - NOISE_BEFORE_AT_MS, at);
        out.insert(index_for(stream, noise.time_of(0)));
        out.insert(index_for(stream, noise.time_of(n - 1)));
    }
    out.into_iter().collect()
}

/// The index names of one stream, cached: the month changes once or twice in a run, and
/// formatting the name for every event was a measurable part of generating a million.
#[derive(Default)]
struct IndexNames {
    last: Vec<Option<((i64, u32), String)>>,
}

impl IndexNames {
    fn get(&mut self, stream: Stream, ms: i64) -> String {
        if self.last.is_empty() {
            self.last = vec![None; Stream::ALL.len()];
        }
        let month = clock::month_suffix(ms);
        let slot = &mut self.last[stream as usize];
        match slot {
            Some((m, name)) if *m == month => name.clone(),
            _ => {
                let name = index_for(stream, ms);
                *slot = Some((month, name.clone()));
                name
            }
        }
    }
}

struct Generator {
    script: std::iter::Peekable<std::vec::IntoIter<incident::Scripted>>,
    noise: Vec<noise::Noise>,
    /// The stream of each entry of `noise`.
    streams: Vec<Stream>,
    /// The next noise event of each stream, drawn ahead.
    heads: Vec<Option<(i64, String)>>,
    names: IndexNames,
}

impl Generator {
    /// The events of `only` (every stream if empty).
    fn new(options: &Options, only: &[Stream]) -> Generator {
        let at = options.at.as_millisecond();
        let (start, end) = incident_range(options.at);
        let mut script = incident::script(options.seed, start, end);
        let counts = noise_counts(options.events, script.len());
        let streams: Vec<Stream> = Stream::ALL
            .into_iter()
            .filter(|s| only.is_empty() || only.contains(s))
            .collect();
        script.retain(|e| streams.contains(&e.stream));
        let mut noise: Vec<noise::Noise> = streams
            .iter()
            .map(|&s| {
                noise::Noise::new(
                    options.seed,
                    s,
                    counts[s as usize],
                    at - NOISE_BEFORE_AT_MS,
                    at,
                )
            })
            .collect();
        let heads = noise.iter_mut().map(|n| n.next()).collect();
        Generator {
            script: script.into_iter().peekable(),
            noise,
            streams,
            heads,
            names: IndexNames::default(),
        }
    }
}

/// The events of one stream, in time order: those [`generate`] gives for that stream, in the
/// same order (ties between the incident and the noise go to the incident in both), so that
/// streams can be generated side by side.
pub(crate) fn generate_stream(options: &Options, stream: Stream) -> impl Iterator<Item = RawEvent> {
    Generator::new(options, &[stream])
}

impl Iterator for Generator {
    type Item = RawEvent;

    fn next(&mut self) -> Option<RawEvent> {
        let mut best: Option<(i64, usize)> = None;
        for (i, head) in self.heads.iter().enumerate() {
            if let Some((ms, _)) = head {
                if best.is_none_or(|(b, _)| *ms < b) {
                    best = Some((*ms, i));
                }
            }
        }
        let script_first = match (self.script.peek(), best) {
            (Some(s), Some((ms, _))) => s.ms <= ms,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if script_first {
            let e = self.script.next()?;
            return Some(RawEvent {
                stream: e.stream,
                log_type: e.stream.log_type(),
                index: self.names.get(e.stream, e.ms),
                raw: e.raw,
            });
        }
        let (_, i) = best?;
        let (ms, raw) = self.heads[i].take()?;
        self.heads[i] = self.noise[i].next();
        let stream = self.streams[i];
        Some(RawEvent {
            stream,
            log_type: stream.log_type(),
            index: self.names.get(stream, ms),
            raw,
        })
    }
}

#[cfg(test)]
mod tests;
