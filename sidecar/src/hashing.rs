//! Password hashing off the async workers, with bounded concurrency and a bounded queue.
//!
//! A hash at FusionAuth's default (PBKDF2, 24,000 rounds) takes milliseconds of pure
//! CPU. Run on a reactor thread it would stall every other request; run without a bound
//! it would queue unbounded work. Hashes run on threads of their own, one per core
//! ([`Hasher::for_cores`]), each taking the next hash from one queue as soon as it has
//! finished the last; when a few hashes per core are already waiting, the request is
//! turned away at once (503) rather than queued behind work the machine cannot finish in
//! time, so that latency stays bounded under overload and recovers as soon as the load
//! drops. A password login stays admitted until it has answered, its write included, so
//! that a database that stalls (a checkpoint's `fsync` on a slow disk) turns the excess
//! away too, instead of piling up hashed logins that wait to be written. Hashing threads
//! run below the request threads' scheduling priority, so that a hash does not hold up
//! the short work of other requests.
//!
//! Every job started is counted (`authlet_password_hashes_total`): the rate shows what
//! hashing costs in production, and it lets tests prove that a request was refused
//! before any hashing work, without measuring time. How long each waited for a thread
//! and how long it ran there are timed as well: a password login's latency is mostly
//! these two, and they tell a queue (more cores, or fewer hashes) from a slow hash (a
//! factor too high for the core, or a core shared with other work).

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use tokio::sync::oneshot;

/// Hashes that may wait per hashing thread: a wait of at most this many hash times (a
/// quarter of a second at FusionAuth's default PBKDF2 factor on a current core). Large
/// enough for a burst — a page of simultaneous logins, a retry storm from a client
/// library — to be served rather than refused; small enough that overload cannot build
/// a queue of seconds.
const QUEUE_PER_THREAD: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum HashUnavailable {
    #[error("password hashing is saturated; the request was not queued")]
    Overloaded,
    #[error("password hashing is unavailable")]
    Failed,
}

/// A hash waiting for a hashing thread, with the means to answer its request.
type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads and their queue. Clones share them; the threads end once the
/// last clone is dropped and the queue is empty.
#[derive(Debug, Clone)]
pub struct Hasher {
    queue: flume::Sender<Job>,
    waiting: Arc<AtomicUsize>,
    max_waiting: usize,
    admitted: Arc<AtomicUsize>,
    max_admitted: usize,
    metrics: HashMetrics,
}

/// What the hasher publishes; cloning shares the live metrics.
#[derive(Debug, Clone)]
pub struct HashMetrics {
    /// Jobs started. A request turned away by a full queue starts none.
    pub jobs: Counter,
    /// From a job's queueing to its start on a hashing thread.
    pub waited: Histogram,
    /// From a job's start on a hashing thread to its end.
    pub ran: Histogram,
}

impl Default for HashMetrics {
    fn default() -> Self {
        // 50 µs (a hash at a low factor) to about 1.6 s (a long queue, a slow hash).
        let seconds = || Histogram::new(exponential_buckets(0.000_05, 2.0, 16));
        Self {
            jobs: Counter::default(),
            waited: seconds(),
            ran: seconds(),
        }
    }
}

impl Hasher {
    /// `threads` hashes at once, and [`QUEUE_PER_THREAD`] waiting per thread.
    pub fn new(threads: usize) -> std::io::Result<Self> {
        let threads = threads.max(1);
        Self::with_threads(threads, threads * QUEUE_PER_THREAD)
    }

    /// The sidecar's hasher on `cores` cores: a hashing thread per core.
    ///
    /// Why threads of its own rather than tokio's blocking pool: there, a hash's permit
    /// passed from a finished hash to the next through the runtime — the blocking
    /// thread dropped it, the waiting request's task was woken on a tokio worker, and
    /// only then started its hash on a blocking thread — and a core idled through each
    /// hand-off: 0.23–0.25 of two cores while logins were saturated, with 8 or 16
    /// clients. One permit more than cores (f7b7ac2) covered most of it (0.08–0.10
    /// still idle). A hashing thread that takes its next hash from the queue itself
    /// has no hand-off to cover: no core idle in two interleaved pairs of shortened
    /// runs, and a thread more than cores did no better.
    pub fn for_cores(cores: usize) -> std::io::Result<Self> {
        Self::new(cores)
    }

    fn with_threads(threads: usize, max_waiting: usize) -> std::io::Result<Self> {
        let (queue, jobs_queued) = flume::unbounded::<Job>();
        for index in 0..threads {
            let jobs_queued = jobs_queued.clone();
            std::thread::Builder::new()
                .name(format!("authlet-hash-{index}"))
                .spawn(move || {
                    give_way_to_requests();
                    for job in jobs_queued.iter() {
                        // A hash that panics fails its own request (its answer is
                        // dropped unsent), not the thread that the next hash needs.
                        let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                    }
                })?;
        }
        Ok(Self {
            queue,
            waiting: Arc::new(AtomicUsize::new(0)),
            max_waiting,
            admitted: Arc::new(AtomicUsize::new(0)),
            // Those waiting, those hashing, and none more waiting for the database.
            max_admitted: max_waiting + threads,
            metrics: HashMetrics::default(),
        })
    }

    /// The hasher's live metrics, for registration with the process's.
    pub fn metrics(&self) -> &HashMetrics {
        &self.metrics
    }

    /// Runs CPU-bound `work` on a hashing thread once one is free, or refuses at once
    /// when the queue is full.
    pub async fn run<T, F>(&self, work: F) -> Result<T, HashUnavailable>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        self.reserve()?.run(work).await
    }

    /// Admits a request that will need a hash once it has read what to hash, with its
    /// place in the queue, or refuses it at once when the queue is full or as many
    /// requests are admitted as can wait, hash, and none more. A password login is
    /// admitted before it looks the user up, so that under overload the excess is turned
    /// away before it costs a database read, and holds the [`Reservation`] until it has
    /// answered: logins whose write waits for a stalled database count against the
    /// bound, so the stall turns new logins away instead of queueing them behind it. In
    /// shortened `login` benchmarks at twice capacity on SQLite, a checkpoint that held
    /// the writer through a slow `fsync` (up to 390 ms) had hashed logins pile up behind
    /// it until writes gave up waiting after a second: 503s answered after ~1 s, and
    /// the peak RSS above the benchmark's bound.
    pub fn reserve(&self) -> Result<Reservation<'_>, HashUnavailable> {
        let admitted = Admitted::take(&self.admitted, self.max_admitted)?;
        Ok(Reservation {
            hasher: self,
            place: Some(HeldPlace(QueuePlace::take(
                &self.waiting,
                self.max_waiting,
            )?)),
            _admitted: admitted,
        })
    }

    /// Requests admitted and not yet answered (see [`Self::reserve`]).
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::Acquire)
    }
}

/// An admitted request: its place in the queue, held until its first hash starts, and
/// its admission, held until the reservation is dropped. Dropped unused, both are given
/// back.
#[derive(Debug)]
pub struct Reservation<'a> {
    hasher: &'a Hasher,
    place: Option<HeldPlace>,
    _admitted: Admitted,
}

impl Reservation<'_> {
    /// Runs CPU-bound `work` on a hashing thread once one is free: the first in the
    /// place reserved, any after it queued like a new request's.
    pub async fn run<T, F>(&mut self, work: F) -> Result<T, HashUnavailable>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let hasher = self.hasher;
        let place = match self.place.take() {
            Some(place) => place,
            None => HeldPlace(QueuePlace::take(&hasher.waiting, hasher.max_waiting)?),
        };
        let (answer, answered) = oneshot::channel();
        let metrics = hasher.metrics.clone();
        let started = Arc::clone(&place.0);
        let queued_at = Instant::now();
        let job: Job = Box::new(move || {
            if !started.give_back() {
                // The request went away while its hash waited: nothing to compute.
                return;
            }
            metrics.jobs.inc();
            let started_at = Instant::now();
            metrics
                .waited
                .observe(started_at.duration_since(queued_at).as_secs_f64());
            let result = work();
            metrics.ran.observe(started_at.elapsed().as_secs_f64());
            let _ = answer.send(result);
        });
        // Until the hash starts, a request that goes away gives its place back at once:
        // a client's timeout frees room in the queue, and its hash is skipped.
        let _held_until_started_or_dropped = place;
        hasher
            .queue
            .send(job)
            .map_err(|_| HashUnavailable::Failed)?;
        answered.await.map_err(|_| HashUnavailable::Failed)
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

/// Lowers the calling thread's priority by [`HASHING_NICENESS`]; Linux lets a thread
/// lower its own priority. Where the system refuses (a seccomp profile), hashes run as
/// they were.
#[cfg(target_os = "linux")]
fn give_way_to_requests() {
    use rustix::process::{getpriority_process, setpriority_process};
    // Per thread on Linux: the calling thread's id, not the process's.
    let thread = Some(rustix::thread::gettid());
    if let Ok(current) = getpriority_process(thread) {
        let _ = setpriority_process(thread, (current + HASHING_NICENESS).min(19));
    }
}

/// Elsewhere the priority is the process's, shared with the request threads.
#[cfg(not(target_os = "linux"))]
fn give_way_to_requests() {}

/// A place in the queue, given back once, by whichever comes first: its hash starting,
/// or the request that waits for it going away ([`HeldPlace`] dropped).
#[derive(Debug)]
struct QueuePlace {
    waiting: Arc<AtomicUsize>,
    held: AtomicBool,
}

impl QueuePlace {
    fn take(waiting: &Arc<AtomicUsize>, max: usize) -> Result<Arc<Self>, HashUnavailable> {
        if waiting.fetch_add(1, Ordering::AcqRel) >= max {
            waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(HashUnavailable::Overloaded);
        }
        Ok(Arc::new(Self {
            waiting: Arc::clone(waiting),
            held: AtomicBool::new(true),
        }))
    }

    /// Gives the place back; true for the first caller only.
    fn give_back(&self) -> bool {
        let was_held = self.held.swap(false, Ordering::AcqRel);
        if was_held {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
        }
        was_held
    }
}

/// The request's hold on its place in the queue.
#[derive(Debug)]
struct HeldPlace(Arc<QueuePlace>);

/// One admitted request, counted until dropped.
#[derive(Debug)]
struct Admitted(Arc<AtomicUsize>);

impl Admitted {
    fn take(admitted: &Arc<AtomicUsize>, max: usize) -> Result<Self, HashUnavailable> {
        if admitted.fetch_add(1, Ordering::AcqRel) >= max {
            admitted.fetch_sub(1, Ordering::AcqRel);
            return Err(HashUnavailable::Overloaded);
        }
        Ok(Self(Arc::clone(admitted)))
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Drop for HeldPlace {
    fn drop(&mut self) {
        self.0.give_back();
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
        let hasher = Hasher::new(1).unwrap();
        let hashing_thread = hasher.run(niceness).await.unwrap().unwrap();
        assert_eq!(hashing_thread, (request_thread + HASHING_NICENESS).min(19));
        assert_eq!(
            hasher.run(niceness).await.unwrap().unwrap(),
            hashing_thread,
            "lowered once, when the thread starts"
        );
        assert_eq!(niceness().unwrap(), request_thread);
    }

    #[tokio::test]
    async fn a_reservation_holds_its_place_until_its_hash_starts() {
        let hasher = Hasher::new(1).unwrap();
        let mut reserved: Vec<_> = std::iter::from_fn(|| hasher.reserve().ok())
            .take(QUEUE_PER_THREAD + 1)
            .collect();
        assert_eq!(reserved.len(), QUEUE_PER_THREAD, "the queue's bound");
        assert!(matches!(
            hasher.run(|| 1).await,
            Err(HashUnavailable::Overloaded)
        ));
        let mut first = reserved.remove(0);
        assert_eq!(first.run(|| 2).await.unwrap(), 2);
        assert_eq!(
            hasher.waiting.load(Ordering::Acquire),
            QUEUE_PER_THREAD - 1,
            "given back once its hash started"
        );
        drop(reserved);
        assert_eq!(
            hasher.waiting.load(Ordering::Acquire),
            0,
            "and when dropped unused"
        );
        assert_eq!(hasher.metrics().jobs.get(), 1);
    }

    /// A request stays admitted after its hash, until it drops its reservation (a login,
    /// once it has answered): with room in the queue, the bound on admitted requests
    /// still turns the next away.
    #[tokio::test]
    async fn a_request_stays_admitted_after_its_hash_until_it_answers() {
        let hasher = Hasher::new(1).unwrap();
        let mut hashed: Vec<_> = std::iter::from_fn(|| hasher.reserve().ok())
            .take(2)
            .collect();
        for (i, reservation) in hashed.iter_mut().enumerate() {
            assert_eq!(reservation.run(move || i).await.unwrap(), i);
        }
        assert_eq!(hasher.waiting.load(Ordering::Acquire), 0);
        assert_eq!(hasher.admitted(), 2, "admitted after their hashes");
        let queued: Vec<_> = std::iter::from_fn(|| hasher.reserve().ok())
            .take(QUEUE_PER_THREAD)
            .collect();
        assert_eq!(queued.len(), QUEUE_PER_THREAD - 1, "one place left unused");
        assert!(matches!(hasher.reserve(), Err(HashUnavailable::Overloaded)));
        hashed.pop();
        assert!(hasher.reserve().is_ok(), "room once one has answered");
        drop((hashed, queued));
        assert_eq!(hasher.admitted(), 0);
        assert_eq!(hasher.waiting.load(Ordering::Acquire), 0);
    }

    /// Hashes that `hasher` holds on its threads until `release` is dropped.
    fn hold_hashes(hasher: &Hasher, count: usize) -> std::sync::mpsc::Sender<()> {
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(std::sync::Mutex::new(hold));
        for _ in 0..count {
            let (hasher, hold) = (hasher.clone(), Arc::clone(&hold));
            tokio::spawn(async move {
                hasher
                    .run(move || hold.lock().map(|h| h.recv().is_ok()).unwrap_or(false))
                    .await
            });
        }
        release
    }

    async fn jobs_reach(hasher: &Hasher, count: u64) {
        let reached = async {
            while hasher.metrics().jobs.get() < count {
                tokio::task::yield_now().await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), reached)
            .await
            .expect("the hashes start");
    }

    /// A hash of `value`, once it waits in `hasher`'s queue.
    async fn queued(
        hasher: &Hasher,
        value: u8,
    ) -> tokio::task::JoinHandle<Result<u8, HashUnavailable>> {
        let before = hasher.waiting.load(Ordering::Acquire);
        let task = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.run(move || value).await }
        });
        while hasher.waiting.load(Ordering::Acquire) <= before {
            tokio::task::yield_now().await;
        }
        task
    }

    #[tokio::test]
    async fn the_sidecars_hasher_runs_a_hash_per_core_and_queues_per_core() {
        let hasher = Hasher::for_cores(2).unwrap();
        let release = hold_hashes(&hasher, 2);
        jobs_reach(&hasher, 2).await;
        let third = queued(&hasher, 3).await;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(
            hasher.metrics().jobs.get(),
            2,
            "a third hash waits for a thread"
        );
        let reserved: Vec<_> = std::iter::from_fn(|| hasher.reserve().ok())
            .take(3 * QUEUE_PER_THREAD)
            .collect();
        assert_eq!(reserved.len(), 2 * QUEUE_PER_THREAD - 1, "bounded per core");
        drop(reserved);
        drop(release);
        assert_eq!(third.await.unwrap().unwrap(), 3);
        assert_eq!(hasher.waiting.load(Ordering::Acquire), 0);
    }

    #[tokio::test]
    async fn a_request_that_goes_away_while_queued_frees_its_place_and_hashes_nothing() {
        let hasher = Hasher::new(1).unwrap();
        let release = hold_hashes(&hasher, 1);
        jobs_reach(&hasher, 1).await;
        let waiting = queued(&hasher, 2).await;
        waiting.abort();
        assert!(waiting.await.unwrap_err().is_cancelled());
        assert_eq!(
            hasher.waiting.load(Ordering::Acquire),
            0,
            "given back while the hash was still queued"
        );
        drop(release);
        assert_eq!(hasher.run(|| 3).await.unwrap(), 3);
        assert_eq!(
            hasher.metrics().jobs.get(),
            2,
            "the abandoned hash never started"
        );
    }

    #[tokio::test]
    async fn a_hash_that_panics_fails_its_request_and_keeps_its_thread() {
        let hasher = Hasher::new(1).unwrap();
        assert!(matches!(
            hasher.run(|| -> u8 { panic!("a hash that fails") }).await,
            Err(HashUnavailable::Failed)
        ));
        assert_eq!(hasher.run(|| 4).await.unwrap(), 4);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_and_frees_its_places() {
        let hasher = Hasher::new(1).unwrap();
        let release = hold_hashes(&hasher, 1);
        jobs_reach(&hasher, 1).await;
        let mut waiting = Vec::new();
        for _ in 0..QUEUE_PER_THREAD {
            waiting.push(queued(&hasher, 1).await);
        }
        assert!(matches!(
            hasher.run(|| 1).await,
            Err(HashUnavailable::Overloaded)
        ));
        drop(release);
        for task in waiting {
            assert_eq!(task.await.unwrap().unwrap(), 1);
        }
        assert_eq!(hasher.waiting.load(Ordering::Acquire), 0);
        assert_eq!(hasher.run(|| 2).await.unwrap(), 2, "serving again");
    }

    /// `(count, sum)` of a histogram, read from its text exposition.
    fn count_and_sum(histogram: &Histogram) -> (u64, f64) {
        let text = crate::metrics::exposition("h", histogram.clone());
        let value = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|value| value.trim().parse::<f64>().ok())
                .unwrap()
        };
        (value("h_count ") as u64, value("h_sum "))
    }

    #[tokio::test]
    async fn each_hash_is_timed_waiting_for_a_thread_and_running_on_it() {
        let hold = std::time::Duration::from_millis(30);
        let hasher = Hasher::new(1).unwrap();
        let release = hold_hashes(&hasher, 1);
        jobs_reach(&hasher, 1).await;
        let second = queued(&hasher, 2).await;
        tokio::time::sleep(hold).await;
        drop(release);
        assert_eq!(second.await.unwrap().unwrap(), 2);

        let (ran, ran_seconds) = count_and_sum(&hasher.metrics().ran);
        assert_eq!(ran, 2);
        assert!(
            ran_seconds >= hold.as_secs_f64(),
            "the first ran {ran_seconds} s"
        );
        let (waited, waited_seconds) = count_and_sum(&hasher.metrics().waited);
        assert_eq!(waited, 2);
        assert!(
            waited_seconds >= hold.as_secs_f64(),
            "the second waited {waited_seconds} s for the first"
        );
    }
}
