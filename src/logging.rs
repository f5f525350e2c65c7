//! Logging with tracing, to stderr. `-v` logs siemctl's debug events, `-vv` its trace events;
//! SIEMCTL_LOG (or RUST_LOG) takes a full filter and wins over -v.
//!
//! Without `-v`, the AWS SDK's own log lines (aws-config's "config file ... not found",
//! "provider failed to provide credentials" and the like) are not printed: siemctl reports a
//! failure itself, in one error naming what failed and what to check. `-v` shows them.
//!
//! Whatever the filter, aws-config's credential-chain events are watched
//! (`cluster::sigv4::note_chain_event`), so that a credential error can name the provider of
//! the chain that failed.

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer};

/// The AWS SDK's crates (every `aws-*` package of Cargo.lock, as tracing targets): quiet
/// without `-v`. A unit test checks that the list covers Cargo.lock.
const AWS_TARGETS: &[&str] = &[
    "aws_config",
    "aws_credential_types",
    "aws_runtime",
    "aws_sdk_sso",
    "aws_sdk_ssooidc",
    "aws_sdk_sts",
    "aws_sigv4",
    "aws_smithy_async",
    "aws_smithy_http",
    "aws_smithy_http_client",
    "aws_smithy_json",
    "aws_smithy_observability",
    "aws_smithy_query",
    "aws_smithy_runtime",
    "aws_smithy_runtime_api",
    "aws_smithy_runtime_api_macros",
    "aws_smithy_schema",
    "aws_smithy_types",
    "aws_smithy_xml",
    "aws_types",
];

/// The filter for `-v` given `verbose` times, unless SIEMCTL_LOG or RUST_LOG says otherwise.
fn default_filter(verbose: u8) -> String {
    match verbose {
        0 => {
            let mut spec = String::from("warn");
            for target in AWS_TARGETS {
                spec.push_str(&format!(",{target}=off"));
            }
            spec
        }
        1 => "warn,siemctl=debug".to_owned(),
        _ => "warn,siemctl=trace".to_owned(),
    }
}

pub(crate) fn init(verbose: u8) {
    let filter = std::env::var("SIEMCTL_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .ok()
        .and_then(|spec| EnvFilter::try_new(spec).ok())
        .unwrap_or_else(|| EnvFilter::new(default_filter(verbose)));
    let print = tracing_subscriber::fmt::layer()
        .with_writer(|| Redacting(std::io::stderr()))
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .with_filter(filter);
    let chain = CredentialChain.with_filter(tracing_subscriber::filter::filter_fn(|meta| {
        meta.target() == CHAIN_TARGET && *meta.level() <= tracing::Level::DEBUG
    }));
    let _ = tracing_subscriber::registry()
        .with(print)
        .with(chain)
        .try_init();
}

/// Where aws-config's `CredentialsProviderChain` logs each provider's outcome
/// (aws-config src/meta/credentials/chain.rs: `loaded credentials` at debug, `provider in chain
/// did not provide credentials` at debug, `provider failed to provide credentials` at warn,
/// each with `provider = NAME`).
const CHAIN_TARGET: &str = "aws_config::meta::credentials::chain";

/// Hands each credential-chain event to the signer's bookkeeping.
struct CredentialChain;

impl<S: tracing::Subscriber> Layer<S> for CredentialChain {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        #[derive(Default)]
        struct Fields {
            provider: Option<String>,
            message: String,
        }
        impl Visit for Fields {
            fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
                match field.name() {
                    "provider" => self.provider = Some(format!("{value:?}")),
                    "message" => self.message = format!("{value:?}"),
                    _ => {}
                }
            }
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        if let Some(provider) = fields.provider {
            let failed = *event.metadata().level() == tracing::Level::WARN;
            let loaded = fields.message == "loaded credentials";
            crate::cluster::sigv4::note_chain_event(&provider, failed, loaded);
        }
    }
}

/// stderr with every known secret masked (`output::redact`): a log line never carries one.
struct Redacting(std::io::Stderr);

impl std::io::Write for Redacting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0
            .write_all(crate::output::redact::redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_aws_crate_of_the_lock_file_is_quiet_without_verbose() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
            .expect("Cargo.lock");
        let missing: Vec<String> = lock
            .lines()
            .filter_map(|line| line.strip_prefix("name = \"aws-"))
            .map(|rest| format!("aws_{}", rest.trim_end_matches('"').replace('-', "_")))
            .filter(|target| target != "aws_lc_rs" && target != "aws_lc_sys")
            .filter(|target| !AWS_TARGETS.contains(&target.as_str()))
            .collect();
        assert!(missing.is_empty(), "add to AWS_TARGETS: {missing:?}");
        let quiet = default_filter(0);
        for target in AWS_TARGETS {
            assert!(quiet.contains(&format!("{target}=off")), "{quiet}");
        }
        assert!(!default_filter(1).contains("=off"));
    }
}
