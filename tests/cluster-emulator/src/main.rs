//! `cluster-emulator`: serves the emulated OpenSearch and Dashboards until killed.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;

/// Emulates OpenSearch and OpenSearch Dashboards for siemctl's tests.
#[derive(Debug, Parser)]
#[command(disable_version_flag = true)]
struct Args {
    /// Address of the emulated OpenSearch (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    opensearch: SocketAddr,
    /// Address of the emulated OpenSearch Dashboards (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    dashboards: SocketAddr,
    /// Serve Dashboards under this base path, e.g. /_dashboards.
    #[arg(long)]
    dashboards_base_path: Option<String>,
    /// OpenSearch version to report.
    #[arg(long, default_value = "2.19.0")]
    version: String,
    /// Dashboards version to report.
    #[arg(long, default_value = "2.19.0")]
    dashboards_version: String,
    /// Require HTTP basic auth as USER:PASSWORD on both servers.
    #[arg(long, value_name = "USER:PASSWORD")]
    basic_auth: Option<String>,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// The custom tenants that exist and are granted to the user, comma-separated; a request
    /// for another falls back as the security plugin does. Default: every name is a tenant.
    #[arg(long, value_delimiter = ',', num_args = 0..)]
    tenants: Option<Vec<String>>,
    /// Emulate a cluster without the security plugin: no tenants, one `.kibana` index.
    #[arg(long, conflicts_with = "tenants")]
    no_security: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let basic_auth = match args.basic_auth.as_deref().map(|s| s.split_once(':')) {
        None => None,
        Some(Some((u, p))) => Some((u.to_string(), p.to_string())),
        Some(None) => {
            eprintln!("error: --basic-auth must be USER:PASSWORD");
            return ExitCode::FAILURE;
        }
    };
    let options = cluster_emulator::Options {
        version: args.version,
        dashboards_version: args.dashboards_version,
        dashboards_base_path: args.dashboards_base_path,
        basic_auth,
        latency_ms: args.latency_ms,
        security: !args.no_security,
        tenants: args.tenants,
    };
    let emulator =
        match cluster_emulator::Emulator::start_on(options, args.opensearch, args.dashboards) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: cannot start the emulator: {e}");
                return ExitCode::FAILURE;
            }
        };
    let line = serde_json::json!({"opensearch": emulator.opensearch_url(), "dashboards": emulator.dashboards_url()});
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    drop(out);
    loop {
        std::thread::park();
    }
}
