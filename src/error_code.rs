//! The stable `code` of an error in siemctl's JSON output (`error.code`, and per target in
//! `data.targets[].error.code`), so that a CI script can tell a held lock from a refused
//! password without reading messages. The codes are documented in docs/json-output.md; a code
//! is never renamed within a `format_version`.
//!
//! A code comes from the typed errors ([`Code::of`] walks an error's chain): the cluster's
//! [`crate::cluster::error::Error`], the saved plan's [`crate::plan::saved::Error`], the
//! selection's [`crate::plan::select::SelectError`], an incomplete apply's
//! [`crate::apply::incomplete::Incomplete`] (its typed reason), and [`Coded`], which the refusals that have
//! no error type of their own (lock held, downgrade, drift, unmanaged objects...) are raised as.

use serde::Serialize;

/// What kind of failure an error is. Serialised in snake_case: `lock_held`, `stale_plan`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Code {
    /// The content (or siemctl.toml) has problems: `data.problems` lists them.
    Validation,
    /// `siemctl test`: events or queries did not give the expected results.
    TestFailed,
    /// Objects were edited or deleted in the cluster since the last apply, and are not
    /// overwritten (`pull`, or `--overwrite-drift`).
    Drift,
    /// Another apply holds the cluster's lock (`--lock-timeout`, `siemctl unlock`).
    LockHeld,
    /// The content is older than what the cluster holds (`--allow-downgrade`).
    Downgrade,
    /// Objects exist in the cluster that siemctl did not create (`--adopt`).
    Unmanaged,
    /// HTTP 401 or 403, or requests that could not be signed.
    Auth,
    /// The server's TLS certificate is not trusted (`ca_cert`, `--insecure`).
    Tls,
    /// The server could not be reached, or kept failing until the retry budget ran out.
    Unreachable,
    /// HTTP 409: someone else wrote the same document.
    Conflict,
    /// Another HTTP error, or an answer siemctl cannot read.
    Http,
    /// What the server runs is not supported (a version, a missing plugin, a tenant).
    Unsupported,
    /// An apply wrote some objects and not others: `data.result.failed` names them.
    PartialFailure,
    /// A saved plan no longer matches the cluster (objects or siemctl's records changed).
    StalePlan,
    /// A saved plan was made elsewhere: other endpoints or tenant, or other options.
    PlanMismatch,
    /// A saved plan was made by another siemctl version.
    PlanVersion,
    /// A file given as a saved plan is not one, has another layout, or was edited.
    PlanInvalid,
    /// `--only`/`--exclude` matched nothing, or are malformed.
    Selection,
    /// siemctl.toml, a target, a flag or a variable is wrong.
    Config,
    /// Multi-target runs: one or more targets failed (each target's `error` says why).
    TargetsFailed,
    /// The run was interrupted (SIGINT/SIGTERM) between objects.
    Interrupted,
    /// Anything else: the message says what.
    Error,
}

impl Code {
    /// The code of an error: the first typed error in its chain that has one, else `error`.
    pub(crate) fn of(error: &anyhow::Error) -> Code {
        error
            .chain()
            .find_map(|cause| {
                if let Some(coded) = cause.downcast_ref::<Coded>() {
                    return Some(coded.code);
                }
                if let Some(incomplete) =
                    cause.downcast_ref::<crate::apply::incomplete::Incomplete>()
                {
                    return Some(Code::of_incomplete(incomplete.reason));
                }
                if let Some(err) = cause.downcast_ref::<crate::cluster::error::Error>() {
                    return Some(Code::of_cluster(err));
                }
                if let Some(err) = cause.downcast_ref::<crate::plan::saved::Error>() {
                    return Some(Code::of_saved(err));
                }
                if cause
                    .downcast_ref::<crate::plan::select::SelectError>()
                    .is_some()
                {
                    return Some(Code::Selection);
                }
                None
            })
            .unwrap_or(Code::Error)
    }

    /// An apply stopped incomplete: only held-back drift is `drift`, a signal `interrupted`;
    /// failed objects, a lost lock and failed records are `partial_failure`.
    fn of_incomplete(reason: crate::apply::incomplete::Reason) -> Code {
        use crate::apply::incomplete::Reason;
        match reason {
            Reason::DriftHeldBack => Code::Drift,
            Reason::Interrupted => Code::Interrupted,
            Reason::LockLost | Reason::ObjectsFailed | Reason::Bookkeeping => Code::PartialFailure,
        }
    }

    fn of_cluster(err: &crate::cluster::error::Error) -> Code {
        use crate::cluster::error::Error;
        match err {
            Error::Connect { .. } | Error::GaveUp { .. } => Code::Unreachable,
            Error::Tls { .. } | Error::NotTls { .. } => Code::Tls,
            Error::Status { status, .. } => match status {
                401 | 403 => Code::Auth,
                409 => Code::Conflict,
                _ => Code::Http,
            },
            Error::Decode { .. } => Code::Http,
            Error::Signing(_) => Code::Auth,
            Error::Unsupported(_) => Code::Unsupported,
            Error::Settings(_) => Code::Config,
        }
    }

    fn of_saved(err: &crate::plan::saved::Error) -> Code {
        use crate::plan::saved::Error;
        match err {
            Error::NotAPlan(_) | Error::Layout(_) | Error::Tampered(_) => Code::PlanInvalid,
            Error::ToolVersion { .. } => Code::PlanVersion,
            Error::Stale(_) | Error::Records(_) => Code::StalePlan,
        }
    }
}

/// A refusal with its code, for the errors that have no type of their own: its message is the
/// whole text shown.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct Coded {
    pub(crate) code: Code,
    pub(crate) message: String,
}

impl Coded {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Coded {
        Coded {
            code,
            message: message.into(),
        }
    }
}

/// `Err(Coded)` as an `anyhow::Result`, for `return refuse(...)`.
pub(crate) fn refuse<T>(code: Code, message: impl Into<String>) -> anyhow::Result<T> {
    Err(Coded::new(code, message).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_the_typed_error_anywhere_in_the_chain() {
        let err = anyhow::Error::from(crate::cluster::error::Error::Status {
            method: "GET".into(),
            url: "http://x/".into(),
            status: 401,
            reason: "no".into(),
        })
        .context("cannot read the cluster");
        assert_eq!(Code::of(&err), Code::Auth);
        let err = anyhow::Error::from(Coded::new(Code::LockHeld, "held")).context("apply");
        assert_eq!(Code::of(&err), Code::LockHeld);
        assert_eq!(Code::of(&anyhow::anyhow!("something")), Code::Error);
        let incomplete = |reason| {
            anyhow::Error::from(crate::apply::incomplete::Incomplete {
                reason,
                failed: 0,
                not_attempted: 0,
                skipped: 1,
            })
        };
        use crate::apply::incomplete::Reason;
        assert_eq!(Code::of(&incomplete(Reason::DriftHeldBack)), Code::Drift);
        assert_eq!(
            Code::of(&incomplete(Reason::Interrupted)),
            Code::Interrupted
        );
        assert_eq!(
            Code::of(&incomplete(Reason::LockLost)),
            Code::PartialFailure
        );
        assert_eq!(
            serde_json::to_value(Code::PartialFailure).unwrap(),
            serde_json::json!("partial_failure")
        );
    }
}
