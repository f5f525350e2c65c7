//! siemctl's exit codes, in one place.

use std::process::ExitCode;

/// How a command ended. See the exit codes in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    /// 0: success; with `plan --detailed-exitcode`, also "no changes".
    Success,
    /// 1: any error, usage errors included.
    Failure,
    /// 2: `plan --detailed-exitcode` only: success, changes pending.
    ChangesPending,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::ChangesPending => ExitCode::from(2),
        }
    }
}
