//! Database health for readiness. A background task commits a heartbeat write every
//! second, bounded in time, and records whether it worked; `/readyz` reads that result
//! instead of touching the database itself, so it answers at once while the database
//! hangs, and never queues behind a burst of logins for SQLite's single writer.

use std::sync::Arc;
use std::time::Duration;

use crate::state::AppState;

/// How often the database is checked: readiness follows an outage, and its end, within
/// about twice this.
const PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// A check that takes longer than this counts as failed: a database that slow cannot
/// serve a login within the 2 s a client waits for an answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// Checks the database every [`PROBE_INTERVAL`] for the life of the process and logs
/// each change between healthy and not.
pub async fn run(state: Arc<AppState>) {
    let mut ticks = tokio::time::interval(PROBE_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let outcome =
            tokio::time::timeout(PROBE_TIMEOUT, state.store.probe_write(state.now())).await;
        let healthy = matches!(outcome, Ok(Ok(())));
        if healthy != state.database_ok() {
            match outcome {
                Ok(Ok(())) => tracing::info!("database writable again; ready"),
                Ok(Err(error)) => tracing::error!(%error, "database check failed; not ready"),
                Err(_) => tracing::error!(
                    timeout_ms = PROBE_TIMEOUT.as_millis() as u64,
                    "database check timed out; not ready"
                ),
            }
        }
        state.set_database_ok(healthy);
    }
}
