//! Keeps SQLite's write-ahead log short from a background task, so that copying it into
//! the database file is never part of a request (see `SQLITE_SESSION` in the store).
//! The same task closes read connections left idle after a burst.

use std::sync::Arc;
use std::time::Duration;

use crate::state::AppState;

/// A checkpoint holds the writer connection while it copies and syncs what the log
/// gained since its first pass, so the time between checkpoints sets how long writes
/// wait for one. At one second, logins at half capacity on SQLite met a checkpoint of
/// ~27 ms every second and had a p99 of 24–27 ms; at a quarter second, ~11 ms four times
/// a second and a p99 of 14–16 ms (three interleaved pairs of shortened `login` runs),
/// and 10–12 ms since the first pass runs beside the writes. Idle, a tick finds nothing
/// written and does nothing.
const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(250);

/// Checkpoints every [`CHECKPOINT_INTERVAL`] in which something was written or the last
/// checkpoint was kept from finishing, and closes idle read connections, for the life
/// of the process; a no-op on PostgreSQL.
pub async fn run(state: Arc<AppState>) {
    if state.store.backend() != crate::store::Backend::Sqlite {
        return;
    }
    let mut ticks = tokio::time::interval(CHECKPOINT_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // `None` at first, so that a log left by a previous process is checkpointed once.
    let mut checkpointed_through = None;
    loop {
        ticks.tick().await;
        state.store.close_idle_readers();
        let writes = state.store.metrics().writes();
        if checkpointed_through == Some(writes) {
            continue;
        }
        match state.store.checkpoint().await {
            Ok(true) => checkpointed_through = Some(writes),
            // A long reader (an export) held part of the log: try again next tick.
            Ok(false) => checkpointed_through = None,
            Err(error) => tracing::warn!(%error, "write-ahead-log checkpoint failed; retrying"),
        }
    }
}
