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
    writer: BufWriter<File>,
    events: u64,
    bytes: u64,
    indices: std::collections::BTreeSet<String>,
}

pub(crate) fn run(
    _global: &GlobalArgs,
    args: &WorkshopGenerateArgs,
    printer: Printer,
) -> Result<ExitStatus> {
    let options = options(&args.generator)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut files: BTreeMap<String, Output> = BTreeMap::new();
    for stream in Stream::ALL {
        let path = args.out.join(stream.file_name());
        let file =
            File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        files.insert(
            stream.family().to_string(),
            Output {
                path,
                writer: BufWriter::with_capacity(1 << 16, file),
                events: 0,
                bytes: 0,
                indices: Default::default(),
            },
        );
    }
    for event in workshop::generate(&options) {
        let family = Stream::ALL
            .iter()
            .map(|s| s.family())
            .find(|f| {
                event
                    .index
                    .starts_with(&format!("{}-{f}-", workshop::INDEX_PREFIX))
            })
            .context("an event for an index of no known family")?;
        let out = files.get_mut(family).context("a family without a file")?;
        out.writer.write_all(event.raw.as_bytes())?;
        out.writer.write_all(b"\n")?;
        out.events += 1;
        out.bytes += event.raw.len() as u64 + 1;
        if !out.indices.contains(&event.index) {
            out.indices.insert(event.index);
        }
    }
    for out in files.values_mut() {
        out.writer
            .flush()
            .with_context(|| format!("cannot write {}", out.path.display()))?;
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
