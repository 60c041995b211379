//! Keeps SQLite's write-ahead log short from a background task, so that copying it into
//! the database file is never part of a request (see `SQLITE_SESSION` in the store).
//! The same task closes read connections left idle after a burst.

use std::time::Duration;

use crate::store::{Backend, Store};

/// A checkpoint holds the writer connection while it copies and syncs what the log
/// gained since its first pass, so the time between checkpoints sets how long writes
/// wait for one. At one second, logins at half capacity on SQLite met a checkpoint of
/// ~27 ms every second and had a p99 of 24–27 ms; at a quarter second, ~11 ms four times
/// a second and a p99 of 14–16 ms (three interleaved pairs of shortened `login` runs),
/// and 10–12 ms since the first pass runs beside the writes.
const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(250);

/// How often, while nothing is written, read connections are looked at for closing: a
/// tenth of how long one may stay idle.
const IDLE_READERS_INTERVAL: Duration = Duration::from_secs(60);

/// Checkpoints [`CHECKPOINT_INTERVAL`] after the last checkpoint when something was
/// written since or that checkpoint was kept from finishing, and closes idle read
/// connections, for the life of the process; a no-op on PostgreSQL.
///
/// While nothing is written it sleeps until a write starts, rather than waking every
/// [`CHECKPOINT_INTERVAL`] to find nothing to do: an idle sidecar runs in every pod,
/// and those wake-ups were most of its CPU while idle. tokio's timer woke twice for each
/// quarter-second tick (at its wheel's coarse slot, then at the deadline), 8 of the 12
/// times a second the idle process woke.
pub async fn run(store: Store) {
    if store.backend() != Backend::Sqlite {
        return;
    }
    // `None` at first, so that a log left by a previous process is checkpointed once.
    let mut checkpointed_through = None;
    loop {
        store.close_idle_readers();
        let writes = store.metrics().writes();
        if checkpointed_through == Some(writes) {
            tokio::select! {
                () = store.metrics().written() => tokio::time::sleep(CHECKPOINT_INTERVAL).await,
                () = tokio::time::sleep(IDLE_READERS_INTERVAL) => {}
            }
            continue;
        }
        match store.checkpoint().await {
            Ok(true) => checkpointed_through = Some(writes),
            // A long reader (an export) held part of the log: try again after the interval.
            Ok(false) => checkpointed_through = None,
            Err(error) => tracing::warn!(%error, "write-ahead-log checkpoint failed; retrying"),
        }
        tokio::time::sleep(CHECKPOINT_INTERVAL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checkpoints run so far, from the store's metrics.
    fn checkpoints(store: &Store) -> u64 {
        crate::metrics::exposition("ops", store.metrics().operations())
            .lines()
            .find_map(|line| {
                line.strip_prefix("ops_count{operation=\"checkpoint\",access=\"Checkpoint\"} ")
            })
            .map_or(0, |count| count.parse().unwrap())
    }

    async fn checkpoints_reach(store: &Store, count: u64) {
        let reached = async {
            while checkpoints(store) < count {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(10), reached)
            .await
            .unwrap_or_else(|_| panic!("checkpoint {count} did not run"));
    }

    #[tokio::test]
    async fn an_idle_checkpointer_wakes_for_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("authlet.db").display());
        let store = Store::connect(&url).await.unwrap();
        tokio::spawn(run(store.clone()));
        checkpoints_reach(&store, 1).await;
        // Idle: a quarter-second tick would have checkpointed nothing either, so the
        // count stays; what matters is that a write ends the sleep.
        tokio::time::sleep(2 * CHECKPOINT_INTERVAL).await;
        assert_eq!(
            checkpoints(&store),
            1,
            "nothing written, nothing checkpointed"
        );
        store.probe_write(0).await.unwrap();
        checkpoints_reach(&store, 2).await;
    }
}
