//! Why an apply stopped incomplete: the typed reason behind its error's `code`
//! ([`crate::error_code::Code::of`] reads it), so that no rule over messages decides it.

use crate::apply::executor::Outcome;

/// What kept an apply from completing. The outcome's `errors` hold the messages; each is
/// recorded with one of these beside it ([`Outcome::reasons`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// Objects edited in the cluster since the last apply were held back (not overwritten).
    DriftHeldBack,
    /// A signal (SIGINT, SIGTERM) stopped the run between objects.
    Interrupted,
    /// The apply lock was lost while the run went on (taken over by another run after it
    /// expired, or expired without a renewal): the run stopped between objects.
    LockLost,
    /// Writes or deletions failed, or were not attempted.
    ObjectsFailed,
    /// siemctl's own records failed after the writes: saving its state, or releasing the lock.
    Bookkeeping,
}

/// The error of an apply that stopped incomplete, with its main reason.
#[derive(Debug, thiserror::Error)]
#[error("{failed} objects failed, {not_attempted} not attempted, {skipped} skipped (edited in the cluster)")]
pub(crate) struct Incomplete {
    pub(crate) reason: Reason,
    pub(crate) failed: usize,
    pub(crate) not_attempted: usize,
    pub(crate) skipped: usize,
}

impl Incomplete {
    /// The error of an outcome, none when it is complete. Held-back drift is the reason only
    /// when nothing else went wrong; an interruption only when nothing failed.
    pub(crate) fn of(outcome: &Outcome) -> Option<Incomplete> {
        if outcome.is_whole() && outcome.reasons.is_empty() {
            return None;
        }
        let has = |r: Reason| outcome.reasons.contains(&r);
        let reason = if outcome.is_whole() && outcome.reasons == [Reason::DriftHeldBack] {
            Reason::DriftHeldBack
        } else if outcome.failed.is_empty() && has(Reason::Interrupted) {
            Reason::Interrupted
        } else if has(Reason::LockLost) {
            Reason::LockLost
        } else if !outcome.is_whole() {
            Reason::ObjectsFailed
        } else {
            Reason::Bookkeeping
        };
        Some(Incomplete {
            reason,
            failed: outcome.failed.len(),
            not_attempted: outcome.not_attempted.len(),
            skipped: outcome.skipped_drift.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::kind::Kind;

    #[test]
    fn the_reason_of_an_outcome() {
        let mut o = Outcome::default();
        assert!(Incomplete::of(&o).is_none());
        o.skipped_drift.push((Kind::Dashboard, "d".into()));
        o.push_error(Reason::DriftHeldBack, "drift".into());
        assert_eq!(Incomplete::of(&o).unwrap().reason, Reason::DriftHeldBack);
        o.push_error(Reason::Bookkeeping, "state".into());
        assert_eq!(Incomplete::of(&o).unwrap().reason, Reason::Bookkeeping);
        o.push_error(Reason::Interrupted, "interrupted".into());
        assert_eq!(Incomplete::of(&o).unwrap().reason, Reason::Interrupted);
        o.failed.push((Kind::Dashboard, "e".into(), "400".into()));
        assert_eq!(Incomplete::of(&o).unwrap().reason, Reason::ObjectsFailed);
        o.push_error(Reason::LockLost, "lock".into());
        assert_eq!(Incomplete::of(&o).unwrap().reason, Reason::LockLost);
    }
}
