//! `siemctl workshop generate --out DIR`: the incident's raw events, one file per index family.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write as _};

use anyhow::{Context as _, Result};
use serde_json::json;

use crate::cli::{GeneratorArgs, GlobalArgs, WorkshopGenerateArgs};
use crate::exit::ExitStatus;
use crate::output::printer::Printer;
use crate::workshop::{self, Options, Stream};

/// The generator's options from the flags.
pub(crate) fn options(args: &GeneratorArgs) -> Result<Options> {
    Ok(Options {
        seed: args.seed,
        events: args.events,
        at: parse_at(args.at.as_deref())?,
    })
}

/// `--at`, or the default (now, rounded down to the hour).
pub(crate) fn parse_at(at: Option<&str>) -> Result<jiff::Timestamp> {
    match at {
        Some(text) => text.parse::<jiff::Timestamp>().with_context(|| {
            format!("--at {text}: not an RFC 3339 timestamp (e.g. 2026-11-27T00:00:00Z)")
        }),
        None => Ok(workshop::default_at()),
    }
}

struct Output {
    path: std::path::PathBuf,
    events: u64,
    bytes: u64,
    indices: std::collections::BTreeSet<String>,
}

/// Writes one stream's events to its file. Streams are independent (each has its own random
/// source, and the incident's events of a stream keep their order), so they are written side by
/// side, one thread each; every file is byte-identical to writing the merged sequence.
fn write_stream(options: &Options, stream: Stream, path: std::path::PathBuf) -> Result<Output> {
    let file = File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut writer = BufWriter::with_capacity(1 << 17, file);
    let mut out = Output {
        path,
        events: 0,
        bytes: 0,
        indices: Default::default(),
    };
    let mut last_index = String::new();
    for event in workshop::generate_stream(options, stream) {
        writer
            .write_all(event.raw.as_bytes())
            .and_then(|()| writer.write_all(b"\n"))
            .with_context(|| format!("cannot write {}", out.path.display()))?;
        out.events += 1;
        out.bytes += event.raw.len() as u64 + 1;
        if event.index != last_index {
            out.indices.insert(event.index.clone());
            last_index = event.index;
        }
    }
    writer
        .flush()
        .with_context(|| format!("cannot write {}", out.path.display()))?;
    Ok(out)
}

pub(crate) fn run(
    _global: &GlobalArgs,
    args: &WorkshopGenerateArgs,
    printer: Printer,
) -> Result<ExitStatus> {
    let options = options(&args.generator)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let written: Vec<(Stream, Result<Output>)> = std::thread::scope(|scope| {
        let threads: Vec<_> = Stream::ALL
            .into_iter()
            .map(|stream| {
                let path = args.out.join(stream.file_name());
                let options = &options;
                (
                    stream,
                    scope.spawn(move || write_stream(options, stream, path)),
                )
            })
            .collect();
        threads
            .into_iter()
            .map(|(stream, thread)| {
                let result = thread
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("the generator thread panicked")));
                (stream, result)
            })
            .collect()
    });
    let mut files: BTreeMap<String, Output> = BTreeMap::new();
    for (stream, result) in written {
        files.insert(stream.family().to_string(), result?);
    }
    let total: u64 = files.values().map(|o| o.events).sum();
    if printer.is_json() {
        let list: Vec<_> = files
            .iter()
            .map(|(family, o)| json!({"family": family, "path": o.path.display().to_string(), "events": o.events, "bytes": o.bytes, "indices": o.indices}))
            .collect();
        printer.json(
            json!({"seed": options.seed, "at": options.at.to_string(), "events": total, "files": list, "field": "message", "indices": workshop::indices(&options)}),
            serde_json::Value::Null,
        );
    } else {
        let mut text = String::new();
        for o in files.values() {
            let indices: Vec<&str> = o.indices.iter().map(String::as_str).collect();
            text.push_str(&format!(
                "{:>9} events  {}  -> {}\n",
                o.events,
                o.path.display(),
                indices.join(", ")
            ));
        }
        text.push_str(&format!(
            "{total:>9} events in total (seed {}, at {}); each line is one document's `message`\n",
            options.seed, options.at
        ));
        printer.data(&text);
    }
    Ok(ExitStatus::Success)
}
