//! The golden sample: a small fixed-seed run written into the content's test folders as
//! `index-templates/<log-type>/_test/workshop*.log|.ndjson` (with a `-config.yaml` naming the
//! index and `now`), so `siemctl test` checks what the pipelines make of generated events; a unit
//! test keeps the committed files equal to the generator's output.

use super::{generate, index_for, Options, Stream};

/// The sample's options: 600 events, seed 1, at 2026-11-27T00:00:00Z (the tests' default now).
pub(crate) fn options() -> Options {
    Options {
        seed: 1,
        events: 600,
        at: "2026-11-27T00:00:00Z".parse().expect("a valid timestamp"),
    }
}

/// The sample file of a stream, relative to the content root.
pub(crate) fn path(stream: Stream) -> String {
    let (name, ext) = match stream {
        Stream::Apache => ("workshop-apache", "log"),
        Stream::Nginx => ("workshop-nginx", "log"),
        Stream::CloudTrail | Stream::GuardDuty | Stream::SecurityHub => ("workshop", "ndjson"),
        _ => ("workshop", "log"),
    };
    format!("index-templates/{}/_test/{name}.{ext}", stream.log_type())
}

/// Each stream's file content: one raw event per line.
pub(crate) fn files(options: &Options) -> Vec<(Stream, String)> {
    let mut out: Vec<(Stream, String)> = Stream::ALL.iter().map(|s| (*s, String::new())).collect();
    for e in generate(options) {
        let stream = Stream::ALL
            .iter()
            .copied()
            .find(|s| {
                e.index
                    .starts_with(&format!("{}-{}-", super::INDEX_PREFIX, s.family()))
            })
            .expect("every index is of a stream");
        let text = &mut out[stream as usize].1;
        text.push_str(&e.raw);
        text.push('\n');
    }
    out
}

/// The config beside a sample file.
pub(crate) fn config(stream: Stream, options: &Options) -> String {
    let index = index_for(
        stream,
        options.at.as_millisecond() - super::END_BEFORE_AT_MS,
    );
    format!(
        "# Written by the workshop generator (src/workshop/sample.rs): seed {}, {} events.\nindex: {index}\nnow: {}\n",
        options.seed, options.events, options.at
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes the sample files (run by hand after changing the generator).
    #[test]
    #[ignore]
    fn write_samples() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = options();
        for (stream, text) in files(&opts) {
            let path = root.join(path(stream));
            std::fs::write(&path, text).unwrap();
            std::fs::write(
                format!("{}-config.yaml", path.display()),
                config(stream, &opts),
            )
            .unwrap();
        }
    }

    #[test]
    fn every_sample_event_is_in_one_month() {
        let opts = options();
        let (start, end) = super::super::incident_range(opts.at);
        for stream in Stream::ALL {
            assert_eq!(
                index_for(stream, start - 31 * 3_600_000),
                index_for(stream, end + 3_600_000)
            );
        }
    }
}
