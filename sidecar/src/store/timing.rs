//! Time spent in the database, by store operation and by whether it writes.
//!
//! Besides the password hash, storage is most of what a request waits on, and which
//! operation got slow (a queue for SQLite's one writer, a round trip to PostgreSQL) is
//! the first question when latency moves. Writes are labelled apart because each one is
//! a transaction on a request's path: how many a login costs is a budget worth watching.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use tokio::sync::Notify;

#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, EncodeLabelValue)]
pub enum Access {
    Read,
    /// A transaction that changes data, on the path of the request that asked for it
    /// (or of retention).
    Write,
    /// Copying SQLite's log into the database file, in the background.
    Checkpoint,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabels {
    pub operation: &'static str,
    pub access: Access,
}

/// One histogram per store operation, and a count of writes; cloning shares them.
#[derive(Clone, Debug)]
pub struct StoreMetrics {
    operations: Family<OperationLabels, Histogram>,
    /// How many batches each of SQLite's writer-thread transactions committed: above 1
    /// where writes queue, which is where committing them together saves pages.
    batches_per_commit: Histogram,
    writes: Arc<AtomicU64>,
    written: Arc<Notify>,
}

impl Default for StoreMetrics {
    fn default() -> Self {
        Self {
            // 50 µs (a cached SQLite read) to about 1.6 s (a stalled database).
            operations: Family::new_with_constructor(|| {
                Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
            }),
            batches_per_commit: Histogram::new([1.0, 2.0, 3.0, 4.0, 6.0, 8.0]),
            writes: Arc::default(),
            written: Arc::default(),
        }
    }
}

impl StoreMetrics {
    /// The histograms, for registration with the process's metrics.
    pub fn operations(&self) -> Family<OperationLabels, Histogram> {
        self.operations.clone()
    }

    pub fn batches_per_commit(&self) -> Histogram {
        self.batches_per_commit.clone()
    }

    /// Write operations started so far: the checkpointer skips a log nothing has written
    /// to since its last look, so that an idle sidecar costs no CPU.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Relaxed)
    }

    /// Returns once a write operation has started since the last return (at once if
    /// one has): the checkpointer sleeps on it while nothing is written, rather than
    /// waking on a timer to find nothing to do.
    pub async fn written(&self) {
        self.written.notified().await;
    }

    /// Starts timing one operation; the time is recorded when the guard drops, so that
    /// failed operations and early returns are counted too.
    pub(crate) fn time(&self, operation: &'static str, access: Access) -> OperationTimer {
        if access == Access::Write {
            self.writes.fetch_add(1, Ordering::Relaxed);
            self.written.notify_one();
        }
        OperationTimer {
            histogram: self
                .operations
                .get_or_create(&OperationLabels { operation, access })
                .clone(),
            started: Instant::now(),
        }
    }
}

pub(crate) struct OperationTimer {
    histogram: Histogram,
    started: Instant,
}

impl Drop for OperationTimer {
    fn drop(&mut self) {
        self.histogram.observe(self.started.elapsed().as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_is_counted_under_its_labels_even_when_it_fails_early() {
        let metrics = StoreMetrics::default();
        let failing = || -> Result<(), ()> {
            let _timer = metrics.time("record_login", Access::Write);
            Err(())
        };
        assert!(failing().is_err());
        drop(metrics.time("record_login", Access::Write));
        drop(metrics.time("user", Access::Read));
        drop(metrics.time("checkpoint", Access::Checkpoint));
        assert_eq!(metrics.writes(), 2, "reads and checkpoints are not writes");
        let text =
            crate::metrics::exposition("store_operation_duration_seconds", metrics.operations());
        assert!(text.contains(
            "store_operation_duration_seconds_count{operation=\"record_login\",access=\"Write\"} 2"
        ));
        assert!(text.contains(
            "store_operation_duration_seconds_count{operation=\"user\",access=\"Read\"} 1"
        ));
    }

    #[test]
    fn a_write_wakes_whoever_waits_for_one_even_if_it_came_first() {
        use futures::FutureExt as _;
        let metrics = StoreMetrics::default();
        assert!(
            metrics.written().now_or_never().is_none(),
            "nothing written"
        );
        drop(metrics.time("user", Access::Read));
        drop(metrics.time("checkpoint", Access::Checkpoint));
        assert!(
            metrics.written().now_or_never().is_none(),
            "reads and checkpoints are not writes"
        );
        drop(metrics.time("record_login", Access::Write));
        drop(metrics.time("record_login", Access::Write));
        assert!(metrics.written().now_or_never().is_some());
        assert!(
            metrics.written().now_or_never().is_none(),
            "once for all the writes before it"
        );
    }
}
