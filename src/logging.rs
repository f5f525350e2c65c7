//! Logging with tracing, to stderr. `-v` logs siemctl's debug events, `-vv` its trace events;
//! SIEMCTL_LOG (or RUST_LOG) takes a full filter and wins over -v.

use tracing_subscriber::EnvFilter;

pub(crate) fn init(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "warn,siemctl=debug",
        _ => "warn,siemctl=trace",
    };
    let filter = std::env::var("SIEMCTL_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .ok()
        .and_then(|spec| EnvFilter::try_new(spec).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .try_init();
}
