//! Database health for readiness: a committed heartbeat write, bounded in time, and no
//! write refused by the database in the last [`FAILED_WRITE_HOLD`].
//!
//! `/readyz` answers from the last check at once, so it never waits on a database that
//! hangs nor queues behind a burst of logins for SQLite's single writer, and starts the
//! next check when the last one is more than [`MAX_AGE`] old. Checks follow the probes
//! (the kubelet's period, 10 s by default) rather than a timer, so an idle sidecar does
//! no database work between them; a change shows on the probe after the one that saw it.

use std::sync::Arc;
use std::time::Duration;

use crate::state::AppState;

/// A result younger than this is answered without a new check.
const MAX_AGE: Duration = Duration::from_secs(1);

/// A check that takes longer than this counts as failed: a database that slow cannot
/// serve a login within the 2 s a client waits for an answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// How long readiness stays false after the database refused a write. A heartbeat is
/// one page: on a nearly full disk it can commit into room that a login's records
/// cannot, so it alone would report the sidecar ready while every login fails. Under
/// any load a failing database refuses writes far more often than this; without load,
/// the heartbeat decides again this long after the last refusal.
const FAILED_WRITE_HOLD: Duration = Duration::from_secs(3);

/// Starts a check in the background unless a recent one stands; returns at once.
pub fn refresh(state: &Arc<AppState>) {
    if !state.claim_database_check(MAX_AGE) {
        return;
    }
    let state = Arc::clone(state);
    tokio::spawn(async move {
        let outcome =
            tokio::time::timeout(PROBE_TIMEOUT, state.store.probe_write(state.now())).await;
        let refused_ago = state
            .store
            .last_unavailable_write()
            .map(|at| at.elapsed())
            .filter(|ago| *ago < FAILED_WRITE_HOLD);
        let healthy = matches!(outcome, Ok(Ok(()))) && refused_ago.is_none();
        if healthy != state.database_ok() {
            match (outcome, refused_ago) {
                (Ok(Ok(())), None) => tracing::info!("database writable again; ready"),
                (Ok(Ok(())), Some(ago)) => tracing::error!(
                    ago_ms = ago.as_millis() as u64,
                    "the database refused a write; not ready"
                ),
                (Ok(Err(error)), _) => {
                    tracing::error!(%error, "database check failed; not ready")
                }
                (Err(_), _) => tracing::error!(
                    timeout_ms = PROBE_TIMEOUT.as_millis() as u64,
                    "database check timed out; not ready"
                ),
            }
        }
        state.set_database_ok(healthy);
    });
}
