//! Password hashing off the async workers, with bounded concurrency and a bounded queue.
//!
//! A hash at FusionAuth's default (PBKDF2, 24,000 rounds) takes milliseconds of pure
//! CPU. Run on a reactor thread it would stall every other request; run without a bound
//! it would queue unbounded work. Each hash takes a permit (one per core, and one more:
//! [`Hasher::for_cores`]) and runs on tokio's blocking pool; when a few hashes per core
//! are already waiting, the request is turned away at once (503) rather than queued
//! behind work the machine cannot finish in time, so that latency stays bounded under
//! overload and recovers as soon as the load drops. Hashing threads run below the
//! request threads' scheduling priority, so that a hash does not hold up the short work
//! of other requests.
//!
//! Every job started is counted (`authlet_password_hashes_total`): the rate shows what
//! hashing costs in production, and it lets tests prove that a request was refused
//! before any hashing work, without measuring time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use prometheus_client::metrics::counter::Counter;
use tokio::sync::Semaphore;

/// Hashes that may wait per permit: a wait of at most this many hash times (a quarter
/// of a second at FusionAuth's default PBKDF2 factor on a current core). Large enough
/// for a burst — a page of simultaneous logins, a retry storm from a client library —
/// to be served rather than refused; small enough that overload cannot build a queue of
/// seconds.
const QUEUE_PER_PERMIT: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum HashUnavailable {
    #[error("password hashing is saturated; the request was not queued")]
    Overloaded,
    #[error("password hashing is unavailable")]
    Failed,
}

#[derive(Debug, Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    jobs: Counter,
}

impl Hasher {
    /// `concurrency` hashes at once, and [`QUEUE_PER_PERMIT`] waiting per permit.
    pub fn new(concurrency: usize) -> Self {
        let concurrency = concurrency.max(1);
        Self::with_bounds(concurrency, concurrency * QUEUE_PER_PERMIT)
    }

    /// The sidecar's hasher on `cores` cores: one permit more than there are cores, and
    /// the queue bounded per core as [`Self::new`]'s is per permit. A permit passes from
    /// a finished hash to the next through the runtime (the waiting request's task is
    /// woken, and then starts its hash on a blocking thread), and with one permit per
    /// core a core idled through each hand-off: 0.23–0.25 of two cores while logins were
    /// saturated, in every shortened `login` run on a 2-core machine, with 8 or 16
    /// clients. The extra hash fills those gaps; it runs below the request threads'
    /// priority, so it does not take a core from a request either.
    pub fn for_cores(cores: usize) -> Self {
        let cores = cores.max(1);
        Self::with_bounds(cores + 1, cores * QUEUE_PER_PERMIT)
    }

    fn with_bounds(permits: usize, max_waiting: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(permits)),
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting,
            jobs: Counter::default(),
        }
    }

    /// Jobs started so far (a handle on the live counter, shared with the metrics). A
    /// request turned away by a full queue starts none.
    pub fn jobs(&self) -> &Counter {
        &self.jobs
    }

    /// Runs CPU-bound `work` on the blocking pool once a permit is free, or refuses at
    /// once when the queue for permits is full.
    pub async fn run<T, F>(&self, work: F) -> Result<T, HashUnavailable>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        self.reserve()?.run(work).await
    }

    /// A place in the queue for a hash the caller will need once it has read what to
    /// hash, or a refusal at once when the queue is full. A password login takes its
    /// place before it looks the user up, so that under overload the excess is turned
    /// away before it costs a database read.
    pub fn reserve(&self) -> Result<Reservation<'_>, HashUnavailable> {
        Ok(Reservation {
            hasher: self,
            place: QueuePlace::take(&self.waiting, self.max_waiting)?,
        })
    }
}

/// A place in the queue for permits, held until [`Reservation::run`] gets one; dropped
/// unused, it is given back.
#[derive(Debug)]
pub struct Reservation<'a> {
    hasher: &'a Hasher,
    place: QueuePlace<'a>,
}

impl Reservation<'_> {
    /// Runs CPU-bound `work` on the blocking pool once a permit is free.
    pub async fn run<T, F>(self, work: F) -> Result<T, HashUnavailable>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let Self { hasher, place } = self;
        let permit = Arc::clone(&hasher.permits)
            .acquire_owned()
            .await
            .map_err(|_| HashUnavailable::Failed)?;
        drop(place);
        hasher.jobs.inc();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            give_way_to_requests();
            work()
        })
        .await
        .map_err(|_| HashUnavailable::Failed)
    }
}

/// How many `nice` steps below the request threads a hashing thread runs. With every
/// core busy hashing, the short work of each request (HTTP, the database's threads,
/// signing) waited for a hash to yield its core: at half capacity on SQLite, three
/// interleaved pairs of shortened `login` runs gave p50 4.94 → 4.50 ms, p99 12.0 →
/// 10.1 ms and database time per login 1.01 → 0.74 ms (means) with hashing ten steps
/// down, throughput unchanged. Ten steps weigh a hashing thread at about a tenth of a
/// request thread when both want a core; a core nothing else wants runs a hash as fast
/// as before. Under a flood of requests without a hash, password logins slow down
/// first, and the hashing queue's bound turns the excess away.
const HASHING_NICENESS: i32 = 10;

thread_local! {
    /// Whether this thread already runs at the hashing priority.
    static GAVE_WAY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Lowers the calling thread's priority by [`HASHING_NICENESS`], once per thread. Linux
/// lets a thread lower its own priority but not raise it back, so a thread of tokio's
/// blocking pool keeps it for the blocking work it runs later (an export's rows, a
/// config's parse, the allocator's trim), none of which a request should wait behind
/// either. Where the system refuses (a seccomp profile), hashes run as they were.
#[cfg(target_os = "linux")]
fn give_way_to_requests() {
    use rustix::process::{getpriority_process, setpriority_process};
    GAVE_WAY.with(|gave_way| {
        if gave_way.replace(true) {
            return;
        }
        // Per thread on Linux: the calling thread's id, not the process's.
        let thread = Some(rustix::thread::gettid());
        if let Ok(current) = getpriority_process(thread) {
            let _ = setpriority_process(thread, (current + HASHING_NICENESS).min(19));
        }
    });
}

/// Elsewhere the priority is the process's, shared with the request threads.
#[cfg(not(target_os = "linux"))]
fn give_way_to_requests() {}

/// A place in the queue for permits, given back when dropped — also when the waiting
/// request is cancelled because its client went away.
#[derive(Debug)]
struct QueuePlace<'a>(&'a AtomicUsize);

impl<'a> QueuePlace<'a> {
    fn take(waiting: &'a AtomicUsize, max: usize) -> Result<Self, HashUnavailable> {
        if waiting.fetch_add(1, Ordering::AcqRel) >= max {
            waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(HashUnavailable::Overloaded);
        }
        Ok(Self(waiting))
    }
}

impl Drop for QueuePlace<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashes_run_below_the_request_threads_priority() {
        let niceness = || rustix::process::getpriority_process(Some(rustix::thread::gettid()));
        let request_thread = niceness().unwrap();
        let hasher = Hasher::new(1);
        let hashing_thread = hasher.run(niceness).await.unwrap().unwrap();
        assert_eq!(hashing_thread, (request_thread + HASHING_NICENESS).min(19));
        assert_eq!(
            hasher.run(niceness).await.unwrap().unwrap(),
            hashing_thread,
            "lowered once, not again for each hash"
        );
        assert_eq!(niceness().unwrap(), request_thread);
    }

    #[tokio::test]
    async fn a_reservation_holds_its_place_until_its_hash_starts() {
        let hasher = Hasher::new(1);
        let mut reserved: Vec<_> = std::iter::from_fn(|| hasher.reserve().ok())
            .take(QUEUE_PER_PERMIT + 1)
            .collect();
        assert_eq!(reserved.len(), QUEUE_PER_PERMIT, "the queue's bound");
        assert!(matches!(
            hasher.run(|| 1).await,
            Err(HashUnavailable::Overloaded)
        ));
        let first = reserved.remove(0);
        assert_eq!(first.run(|| 2).await.unwrap(), 2);
        assert_eq!(
            hasher.waiting.load(Ordering::Acquire),
            QUEUE_PER_PERMIT - 1,
            "given back once its hash started"
        );
        drop(reserved);
        assert_eq!(
            hasher.waiting.load(Ordering::Acquire),
            0,
            "and when dropped unused"
        );
        assert_eq!(hasher.jobs().get(), 1);
    }

    #[tokio::test]
    async fn the_sidecars_hasher_runs_one_hash_more_than_cores_and_queues_per_core() {
        let hasher = Hasher::for_cores(2);
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(std::sync::Mutex::new(hold));
        let running: Vec<_> = (0..3)
            .map(|_| {
                let (hasher, hold) = (hasher.clone(), Arc::clone(&hold));
                tokio::spawn(async move {
                    hasher
                        .run(move || hold.lock().map(|h| h.recv().is_ok()).unwrap_or(false))
                        .await
                })
            })
            .collect();
        let all_started = async {
            while hasher.jobs().get() < 3 {
                tokio::task::yield_now().await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), all_started)
            .await
            .expect("three hashes at once on two cores");
        assert_eq!(hasher.permits.available_permits(), 0);
        let queued: Vec<_> = std::iter::from_fn(|| hasher.reserve().ok())
            .take(3 * QUEUE_PER_PERMIT)
            .collect();
        assert_eq!(queued.len(), 2 * QUEUE_PER_PERMIT, "bounded per core");
        drop(queued);
        drop(release);
        for hash in running {
            hash.await.unwrap().unwrap();
        }
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_frees_its_places() {
        let hasher = Hasher::new(1);
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let busy = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.run(move || hold.recv().is_ok()).await }
        });
        while hasher.permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let queued: Vec<_> = (0..QUEUE_PER_PERMIT)
            .map(|_| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.run(|| 1).await })
            })
            .collect();
        while hasher.waiting.load(Ordering::Acquire) < QUEUE_PER_PERMIT {
            tokio::task::yield_now().await;
        }
        assert!(matches!(
            hasher.run(|| 1).await,
            Err(HashUnavailable::Overloaded)
        ));
        release.send(()).unwrap();
        assert!(busy.await.unwrap().unwrap());
        for task in queued {
            assert_eq!(task.await.unwrap().unwrap(), 1);
        }
        assert_eq!(hasher.waiting.load(Ordering::Acquire), 0);
        assert_eq!(hasher.run(|| 2).await.unwrap(), 2, "serving again");
    }
}
