//! The real binary under load while its database goes away, while it is killed with
//! SIGKILL, and while it is stopped with SIGTERM (issue 6, items 6 and 8).
//!
//! - A PostgreSQL outage is what the sidecar sees when the network to the server fails:
//!   its connections go through a TCP proxy in this test that is cut (open connections
//!   closed, new ones refused) and restored, or partitioned (nothing answers, nothing is
//!   closed: packets silently dropped, as when a node dies) and healed. The shared
//!   server itself keeps running.
//! - A SQLite outage is its disk full, or its files unwritable (immutable): the file is
//!   on a small ext4 filesystem of the test's own (root, a loop device), filled and
//!   freed, or its files' immutable flag set and cleared, while the load runs.
//! - Every 200 is remembered and looked for in the database afterwards: a login's
//!   record, a refresh token's row.
//! - Bounds are the (a 503 within 2 s, recovery within 10 s) on a stopwatch that
//!   leaves out time this process spent stopped by the machine's other tenants.
//!
//! Short by default; `AUTHLET_RESILIENCE_LONG=1` runs the figures (30 s outages,
//! 20 kill cycles). `AUTHLET_RESILIENCE_SEED` replays a kill schedule.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "resilience/harness.rs"]
mod harness;
mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use authlet_sidecar::store::Backend;
use harness::{
    assert_acknowledged_rows, create_users, eventually, long_run, request, status_of, Load,
    Outcome, Sidecar, Stopwatch, ONE_TIME, PASSWORD,
};
use rand::{Rng, SeedableRng};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// The bound for answering during an outage.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);
/// The bound for recovering once the database is back.
const RECOVER_WITHIN: Duration = Duration::from_secs(10);

fn outage_length() -> Duration {
    if long_run() {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(6)
    }
}

// ---- PostgreSQL outage ---------------------------------------------------------------

/// A TCP proxy to the database that can be cut and restored, or partitioned and healed.
struct Proxy {
    listen: SocketAddr,
    upstream: SocketAddr,
    /// False while partitioned.
    flowing: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let listen = listener.local_addr().unwrap();
        let flowing = watch::Sender::new(true);
        let task = tokio::spawn(forward(listener, upstream, flowing.subscribe()));
        Self {
            listen,
            upstream,
            flowing,
            task: Some(task),
        }
    }

    /// Stops moving bytes either way, closing nothing: what a client sees when the
    /// network drops its packets. Connections still open, and bytes sent meanwhile
    /// wait in the sockets, to be delivered when it heals.
    fn partition(&self) {
        self.flowing.send_replace(false);
    }

    fn heal(&self) {
        self.flowing.send_replace(true);
    }

    /// Closes every proxied connection and the listener: new connections are refused.
    async fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    async fn restore(&mut self) {
        let listener = TcpListener::bind(self.listen).await.unwrap();
        let flowing = self.flowing.subscribe();
        self.task = Some(tokio::spawn(forward(listener, self.upstream, flowing)));
    }
}

/// Accepts and forwards while `flowing` until aborted; aborting drops every connection
/// with it. A connection accepted during a partition reaches the server once it heals.
async fn forward(listener: TcpListener, upstream: SocketAddr, flowing: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        let mut flowing = flowing.clone();
        connections.spawn(async move {
            if flowing.wait_for(|flowing| *flowing).await.is_err() {
                return;
            }
            if let Ok(server) = TcpStream::connect(upstream).await {
                let (client_reads, client_writes) = client.into_split();
                let (server_reads, server_writes) = server.into_split();
                tokio::join!(
                    pump(client_reads, server_writes, flowing.clone()),
                    pump(server_reads, client_writes, flowing),
                );
            }
        });
        while connections.try_join_next().is_some() {}
    }
}

/// Copies `from` to `to` while `flowing`; bytes read as a partition starts are held
/// until it heals, as a network holding retransmissions would deliver them late.
async fn pump(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    mut flowing: watch::Receiver<bool>,
) {
    let mut buffer = vec![0; 16 * 1024];
    loop {
        let read = from.read(&mut buffer).await;
        if flowing.wait_for(|flowing| *flowing).await.is_err() {
            return;
        }
        match read {
            Ok(0) | Err(_) => {
                let _ = to.shutdown().await;
                return;
            }
            Ok(n) if to.write_all(&buffer[..n]).await.is_err() => return,
            Ok(_) => {}
        }
    }
}

/// `postgres://user@host:port/db` with the host and port replaced.
fn through(url: &str, address: SocketAddr) -> String {
    let (scheme_user, rest) = url.split_once('@').unwrap();
    let (_, path) = rest.split_once('/').unwrap();
    format!("{scheme_user}@{address}/{path}")
}

fn upstream_of(url: &str) -> SocketAddr {
    let (_, rest) = url.split_once('@').unwrap();
    let (host_port, _) = rest.split_once('/').unwrap();
    std::net::ToSocketAddrs::to_socket_addrs(host_port)
        .unwrap()
        .next()
        .unwrap()
}

/// PostgreSQL unreachable for [`outage_length`] under load: see [`outage_under_load`].
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_outage_answers_503_within_2s_and_recovers_within_10s() {
    let dir = tempfile::tempdir().unwrap();
    let direct = support::database_url(Backend::Postgres, &dir).await;
    let proxy = Proxy::start(upstream_of(&direct)).await;
    let through_proxy = through(&direct, proxy.listen);
    let mut outage = Outage::Network(proxy);
    outage_under_load(dir.path(), &through_proxy, &direct, &mut outage).await;
}

/// PostgreSQL partitioned away for [`outage_length`] under load: nothing answers and
/// nothing is closed, so only the sidecar's own deadlines can turn waiting into 503s.
/// Queries in flight at the partition hang with it, as do the pool's pings of idle
/// connections. See [`outage_under_load`].
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_partition_answers_503_within_2s_and_recovers_within_10s() {
    let dir = tempfile::tempdir().unwrap();
    let direct = support::database_url(Backend::Postgres, &dir).await;
    let proxy = Proxy::start(upstream_of(&direct)).await;
    let through_proxy = through(&direct, proxy.listen);
    let mut outage = Outage::Partition(proxy);
    outage_under_load(dir.path(), &through_proxy, &direct, &mut outage).await;
}

/// PostgreSQL partitioned away while a login-record export streams. An export is many
/// reads, one page at a time, and each must give up at the store's deadline like any
/// other read: the stream ends, cut short, within 2 s instead of stalling for as long as
/// the network does. Once healed, a whole export streams again.
///
/// The partition must find a page's read in flight, which a fast server leaves to
/// chance: a lock on the table holds the next read in the server until the partition
/// has begun, and is released behind it, so the answer is there but cannot come back.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_partition_mid_export_ends_the_stream_within_2s() {
    let dir = tempfile::tempdir().unwrap();
    let direct = support::database_url(Backend::Postgres, &dir).await;
    let proxy = Proxy::start(upstream_of(&direct)).await;
    let sidecar = Sidecar::start(dir.path(), &through(&direct, proxy.listen), &[]).await;
    // Far more pages than the export holds at once, so the lock finds it mid-way.
    insert_login_records(&direct, 100_000).await;

    let mut export = start_export(sidecar.port).await;
    let mut locker = <sqlx::PgConnection as sqlx::Connection>::connect(&direct)
        .await
        .unwrap();
    let mut lock = sqlx::Connection::begin(&mut locker).await.unwrap();
    sqlx::query("LOCK TABLE login_records IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let rest = tokio::spawn(async move {
        let mut rest = Vec::new();
        let _ = export.read_to_end(&mut rest).await;
        rest
    });
    let blocked = eventually(Duration::from_secs(10), || {
        let direct = direct.clone();
        async move { reads_waiting_for_a_lock(&direct).await > 0 }
    })
    .await;
    assert!(blocked.is_some(), "the export never read another page");
    proxy.partition();
    let watch = Stopwatch::start();
    lock.rollback().await.unwrap();
    let rest = tokio::time::timeout(outage_length() + RECOVER_WITHIN, rest).await;
    let took = watch.elapsed();
    proxy.heal();
    let rest = rest
        .unwrap_or_else(|_| panic!("an export stalled for the whole partition"))
        .unwrap();
    assert!(
        took <= ANSWER_WITHIN,
        "an export went on waiting {took:?} into the partition\n{}",
        sidecar.log_tail()
    );
    assert!(
        !rest.ends_with(CHUNKED_END),
        "an export the partition interrupted ended as if complete"
    );

    let port = sidecar.port;
    let whole = eventually(RECOVER_WITHIN, move || async move {
        let mut export = start_export(port).await;
        let mut rest = Vec::new();
        export.read_to_end(&mut rest).await.is_ok() && rest.ends_with(CHUNKED_END)
    })
    .await;
    assert!(
        whole.is_some(),
        "no whole export within 10 s of the network healing"
    );
}

/// Statements in the database at `url` waiting for a lock.
async fn reads_waiting_for_a_lock(url: &str) -> i64 {
    let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(url)
        .await
        .unwrap();
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    .fetch_one(&mut connection)
    .await
    .unwrap()
}

/// The last chunk of a complete chunked body.
const CHUNKED_END: &[u8] = b"0\r\n\r\n";

/// `count` login records written straight into the database at `url`.
async fn insert_login_records(url: &str, count: i64) {
    let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(url)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO login_records (tenant_id, user_id, login_id, instant, ip_address) \
         SELECT $1, $2, 'user' || n || '@example.com', 1700000000000 + n, '10.0.0.1' \
         FROM generate_series(1, $3) AS n",
    )
    .bind(harness::TENANT)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(count)
    .execute(&mut connection)
    .await
    .unwrap();
}

/// Requests every login record's export and reads until some of the zip has come: the
/// stream is then under way, and the rest of it is left in `stream`.
async fn start_export(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!(
        "GET /api/system/login-record/export HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
        harness::API_KEY
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let read = stream.read(&mut buffer).await.unwrap();
        assert!(
            read > 0,
            "the export closed before any of its body: {}",
            String::from_utf8_lossy(&received)
        );
        received.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&received);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            assert!(head.starts_with("HTTP/1.1 200"), "export answered {head}");
            if body.len() > 16 {
                return stream;
            }
        }
    }
}

/// SQLite's disk full for [`outage_length`] under load: see [`outage_under_load`]. The
/// file lives on a small ext4 filesystem of the test's own ([`LoopDisk`]); the outage is
/// a filler file taking every free block, the restore is deleting it.
///
/// A full disk does not stop SQLite at once, and should not: commits go to the
/// write-ahead log, which keeps the blocks it grew into, and until the log needs more
/// than it holds they succeed and are durable. So the outage is counted from the first
/// request the full disk fails (within [`ONSET_WITHIN`] of the fill: the log holds at most
/// about 64 MiB, see [`DISK_SIZE`], a few seconds of this load), and every request from
/// the fill on must still answer within 2 s. The sidecar does not truncate its log to
/// make a full disk show sooner: that would only turn away writes that can still be
/// made, and cost block allocations on every pass through the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_disk_full_answers_503_within_2s_and_recovers_within_10s() {
    let disk = LoopDisk::mount();
    let url = format!("sqlite://{}", disk.mount.join("full.db").display());
    let mut outage = Outage::DiskFull(disk);
    let dir = tempfile::tempdir().unwrap();
    outage_under_load(dir.path(), &url, &url, &mut outage).await;
    assert_integrity(&url).await;
}

/// SQLite's files made unwritable for [`outage_length`] under load, as a volume the
/// kernel remounted read-only after an error, or a failing disk, leaves them: the
/// database file and its write-ahead log are made immutable (`chattr +i`, on the test's
/// own ext4, [`LoopDisk`]), so every write to them fails at once with EPERM, which
/// SQLite reports as an I/O error, while reads go on. Unlike a full disk there is no
/// log space left to commit into. The shared-memory index (`-shm`) is left writable:
/// the sidecar maps it into memory, and a write fault on an immutable file's mapping
/// is a SIGBUS, which would test the kernel's choice rather than the sidecar's handling
/// of failed writes. See [`outage_under_load`].
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_unwritable_answers_503_within_2s_and_recovers_within_10s() {
    let disk = LoopDisk::mount();
    let database = disk.mount.join("unwritable.db");
    let url = format!("sqlite://{}", database.display());
    let mut outage = Outage::Unwritable(database);
    let dir = tempfile::tempdir().unwrap();
    outage_under_load(dir.path(), &url, &url, &mut outage).await;
    assert_integrity(&url).await;
}

/// How long after the disk fills SQLite may go on committing into log space it holds.
const ONSET_WITHIN: Duration = Duration::from_secs(30);

/// What takes the database away, and gives it back.
enum Outage {
    Network(Proxy),
    Partition(Proxy),
    DiskFull(LoopDisk),
    /// The SQLite database file, whose files are made immutable.
    Unwritable(std::path::PathBuf),
}

impl Outage {
    /// Takes the database away; returns once the sidecar has noticed (a request of
    /// `load` answered 503), which for a full disk can be a while after the fill.
    async fn begin(&mut self, load: &Load) {
        match self {
            Self::Network(proxy) => proxy.cut().await,
            Self::Partition(proxy) => proxy.partition(),
            Self::DiskFull(disk) => {
                disk.fill();
                let outcomes = std::sync::Arc::clone(&load.outcomes);
                let filled_at = Instant::now();
                let onset = eventually(ONSET_WITHIN, move || {
                    let failed = outcomes
                        .lock()
                        .unwrap()
                        .iter()
                        .any(|o| o.sent >= filled_at && o.status == Some(503));
                    async move { failed }
                })
                .await;
                let onset = onset.unwrap_or_else(|| {
                    panic!("no request failed within {ONSET_WITHIN:?} of the disk filling")
                });
                println!("disk full: the first 503 {onset:?} after the fill");
            }
            Self::Unwritable(database) => set_immutable(database, true),
        }
    }

    async fn end(&mut self) {
        match self {
            Self::Network(proxy) => proxy.restore().await,
            Self::Partition(proxy) => proxy.heal(),
            Self::DiskFull(disk) => disk.free(),
            Self::Unwritable(database) => set_immutable(database, false),
        }
    }
}

/// Sets or clears the immutable attribute of SQLite's `database` file and its
/// write-ahead log.
fn set_immutable(database: &std::path::Path, immutable: bool) {
    let mut log = database.as_os_str().to_owned();
    log.push("-wal");
    let flag = std::ffi::OsStr::new(if immutable { "+i" } else { "-i" });
    run("chattr", &[flag, database.as_os_str(), &log]);
}

/// Room for the database and its write-ahead log under this load with space to spare:
/// the log holds about a second of writes, and may grow to 64 MiB (`wal_autocheckpoint`)
/// while checkpoints fail on the full disk. On a disk smaller than that the log itself
/// would fill it again after the restore.
const DISK_SIZE: u64 = 256 << 20;

/// A 256 MiB ext4 filesystem on a loop device over a file in a temporary directory,
/// unmounted and detached when dropped (also when the test fails). ext4 rather than
/// tmpfs because it is what a pod's volume is, and it fails a write that needs a new
/// block with ENOSPC, which SQLite reports as SQLITE_FULL; `-m 0` leaves root no
/// reserved blocks, so the test (root) fills it as a workload would.
struct LoopDisk {
    mount: std::path::PathBuf,
    device: String,
    filler: Option<Filler>,
    _dir: tempfile::TempDir,
}

const NEEDS: &str = "the SQLite disk-full and unwritable cases need root, loop devices \
                     (losetup), mkfs.ext4, mount and chattr, as CI has";

fn run(program: &str, args: &[&std::ffi::OsStr]) -> String {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{NEEDS}: running {program}: {e}"));
    assert!(
        output.status.success(),
        "{NEEDS}: {program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

impl LoopDisk {
    fn mount() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let image = dir.path().join("disk.img");
        std::fs::File::create(&image)
            .unwrap()
            .set_len(DISK_SIZE)
            .unwrap();
        run(
            "mkfs.ext4",
            &["-q", "-F", "-m", "0", "-b", "4096"]
                .map(std::ffi::OsStr::new)
                .iter()
                .copied()
                .chain([image.as_os_str()])
                .collect::<Vec<_>>(),
        );
        let device = run(
            "losetup",
            &[
                std::ffi::OsStr::new("--find"),
                std::ffi::OsStr::new("--show"),
                image.as_os_str(),
            ],
        );
        let mount = dir.path().join("mnt");
        std::fs::create_dir(&mount).unwrap();
        let disk = Self {
            mount,
            device,
            filler: None,
            _dir: dir,
        };
        // From here on, Drop detaches the device even if mounting fails.
        run(
            "mount",
            &[std::ffi::OsStr::new(&disk.device), disk.mount.as_os_str()],
        );
        disk
    }

    /// Takes every free block and keeps taking what is freed (a closed file's
    /// preallocation, say) until [`Self::free`]; returns once the disk is full.
    fn fill(&mut self) {
        self.filler = Some(Filler::start(self.mount.join("filler")));
    }

    fn free(&mut self) {
        if let Some(filler) = self.filler.take() {
            filler.stop();
        }
        std::fs::remove_file(self.mount.join("filler")).unwrap();
    }
}

impl Drop for LoopDisk {
    fn drop(&mut self) {
        if let Some(filler) = self.filler.take() {
            filler.stop();
        }
        // Lazy: still unmounts if a sidecar of a failed test holds files open; the loop
        // device is then detached when the filesystem is released.
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.mount)
            .status();
        let _ = std::process::Command::new("losetup")
            .args(["-d", &self.device])
            .status();
    }
}

/// A thread that appends to a file until the disk refuses even a byte, again every
/// 20 ms, until stopped.
struct Filler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl Filler {
    fn start(path: std::path::PathBuf) -> Self {
        use std::io::Write as _;
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let (full_tx, full_rx) = std::sync::mpsc::channel();
        let stopping = std::sync::Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .unwrap();
            let chunk = vec![0u8; 1 << 20];
            while !stopping.load(Ordering::SeqCst) {
                for size in [1 << 20, 64 << 10, 4 << 10, 512, 1] {
                    while file.write_all(&chunk[..size]).is_ok() {}
                }
                let _ = full_tx.send(());
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        full_rx
            .recv()
            .expect("the filler thread failed before the disk was full");
        Self { stop, thread }
    }

    fn stop(self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.thread.join().unwrap();
    }
}

/// The database away for [`outage_length`] under load: from the moment it is taken away
/// every request answers 200 or a 503 in FusionAuth's Errors shape within 2 s, none
/// hangs, `/readyz` goes false within 5 s of the sidecar noticing (see
/// [`Outage::begin`]) and stays false while `/healthz` stays true, everything works again
/// within 10 s of the database coming back, and every 200 has its rows (checked through
/// `check_url`).
async fn outage_under_load(
    dir: &std::path::Path,
    sidecar_url: &str,
    check_url: &str,
    outage: &mut Outage,
) {
    let sidecar = Sidecar::start(dir, sidecar_url, &[]).await;
    let users = create_users(sidecar.port, 7).await;
    let load = Load::start(sidecar.port, &users[..6]);
    let wrong = WrongPasswords::start(sidecar.port, users[6].0.clone());
    tokio::time::sleep(Duration::from_secs(1)).await;

    let cut_at = Instant::now();
    outage.begin(&load).await;
    let readiness = watch_during_outage(&sidecar).await;
    let restored_at = Instant::now();
    outage.end().await;
    let port = sidecar.port;
    let recovered = eventually(RECOVER_WITHIN, move || async move {
        status_of(port, "/readyz").await == Some(200)
    })
    .await;
    assert!(
        recovered.is_some(),
        "/readyz not 200 within 10 s of the database coming back\n{}",
        sidecar.log_tail()
    );
    // Keep the load on past the recovery bound, then a little longer.
    let watch = Stopwatch::start();
    while watch.elapsed() < RECOVER_WITHIN + Duration::from_secs(3) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (mut outcomes, acknowledged) = load.finish().await;
    outcomes.extend(wrong.finish().await);

    readiness.assert_dropped();
    assert_outage_answers(&outcomes, cut_at, restored_at, &sidecar);
    let checked = assert_acknowledged_rows(check_url, &acknowledged).await;
    println!(
        "{} requests, {} rows checked; readiness false after {:?}, true again {:?} after restore",
        outcomes.len(),
        checked,
        readiness.dropped_after,
        recovered
    );
}

/// Wrong passwords for a user of their own, one after another until finished. Each is a
/// write (the failed-attempt count, and the lock it starts after five) on the store's
/// one write path that is a hand-made transaction (`BEGIN IMMEDIATE`) rather than
/// sqlx's; answered 404 (wrong password) or 409 (locked) when the database is there.
struct WrongPasswords {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    task: JoinHandle<Vec<Outcome>>,
}

impl WrongPasswords {
    fn start(port: u16, email: String) -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopping = std::sync::Arc::clone(&stop);
        let task = tokio::spawn(async move {
            let body = json!({"loginId": email, "password": "wrong", "applicationId": ONE_TIME});
            let mut outcomes = Vec::new();
            while !stopping.load(std::sync::atomic::Ordering::SeqCst) {
                let sent = Instant::now();
                let watch = Stopwatch::start();
                let reply = tokio::time::timeout(
                    Duration::from_secs(60),
                    request(port, "POST", "/api/login", Some(&body)),
                )
                .await
                .expect("a wrong-password login hung for 60 s");
                let took = watch.elapsed();
                let (status, body) = match reply {
                    Ok(reply) => (Some(reply.status), reply.body),
                    Err(_) => (None, serde_json::Value::Null),
                };
                outcomes.push(Outcome {
                    kind: WRONG_PASSWORD,
                    sent,
                    took,
                    status,
                    body,
                });
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            outcomes
        });
        Self { stop, task }
    }

    async fn finish(self) -> Vec<Outcome> {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.task.await.unwrap()
    }
}

const WRONG_PASSWORD: &str = "wrong-password";

/// What `/readyz` and `/healthz` said during an outage.
struct Readiness {
    dropped_after: Option<Duration>,
    ready_again_during_outage: bool,
}

impl Readiness {
    fn assert_dropped(&self) {
        let after = self
            .dropped_after
            .expect("/readyz stayed 200 through the outage");
        assert!(
            after <= Duration::from_secs(5),
            "/readyz took {after:?} to go false"
        );
        assert!(
            !self.ready_again_during_outage,
            "/readyz went back to 200 while the database was still away"
        );
    }
}

/// Polls the probes for the outage's length: `/healthz` must answer 200 throughout.
async fn watch_during_outage(sidecar: &Sidecar) -> Readiness {
    let watch = Stopwatch::start();
    let mut readiness = Readiness {
        dropped_after: None,
        ready_again_during_outage: false,
    };
    while watch.elapsed() < outage_length() {
        let probe = Stopwatch::start();
        let live = status_of(sidecar.port, "/healthz").await;
        assert_eq!(live, Some(200), "/healthz must stay 200 during an outage");
        let ready = status_of(sidecar.port, "/readyz").await;
        assert!(
            probe.elapsed() <= ANSWER_WITHIN,
            "the probes took {:?} to answer",
            probe.elapsed()
        );
        match (ready, readiness.dropped_after) {
            (Some(503), None) => readiness.dropped_after = Some(watch.elapsed()),
            (Some(200), Some(_)) => readiness.ready_again_during_outage = true,
            (Some(200 | 503), _) => {}
            (other, _) => panic!("/readyz answered {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    readiness
}

/// Every request was answered; during the outage only as when the database is there
/// (200; 404 or 409 for a wrong password) or by a FusionAuth 503, within 2 s; at least
/// one 503 (the outage was real), a wrong password's among them; and only as when the
/// database is there from 10 s after restore.
fn assert_outage_answers(
    outcomes: &[Outcome],
    cut_at: Instant,
    restored_at: Instant,
    sidecar: &Sidecar,
) {
    let mut unavailable = 0;
    let mut after_recovery = 0;
    for outcome in outcomes {
        let status = outcome
            .status
            .unwrap_or_else(|| panic!("a {} got no answer", outcome.kind));
        // What the request answers when the database is there.
        let served: &[u16] = if outcome.kind == WRONG_PASSWORD {
            &[404, 409]
        } else {
            &[200]
        };
        match status {
            status if served.contains(&status) => {}
            503 => {
                unavailable += 1;
                let code = outcome.body["generalErrors"][0]["code"].as_str();
                assert_eq!(
                    code,
                    Some("[DatabaseUnavailable]"),
                    "a 503 without FusionAuth's Errors body: {}",
                    outcome.body
                );
            }
            other => panic!(
                "a {} answered {other}: {}\n{}",
                outcome.kind,
                outcome.body,
                sidecar.log_tail()
            ),
        }
        if outcome.sent + Duration::from_secs(1) >= cut_at && outcome.sent <= restored_at {
            assert!(
                outcome.took <= ANSWER_WITHIN,
                "a {} sent during the outage took {:?} to answer {status}",
                outcome.kind,
                outcome.took
            );
        }
        if outcome.sent >= restored_at + RECOVER_WITHIN {
            after_recovery += 1;
            assert!(
                served.contains(&status),
                "a {} answered {status} more than 10 s after the database came back: {}\n{}",
                outcome.kind,
                outcome.body,
                sidecar.log_tail()
            );
        }
    }
    assert!(unavailable > 0, "no request noticed the outage");
    assert!(
        outcomes.iter().any(|o| o.kind == WRONG_PASSWORD
            && o.status == Some(503)
            && o.sent >= cut_at
            && o.sent <= restored_at),
        "no wrong password noticed the outage"
    );
    assert!(after_recovery > 0, "no request after recovery");
}

// ---- kill -9 ---------------------------------------------------------------------------

/// SIGKILL at a random moment under load, again and again on one SQLite file: after
/// each, `PRAGMA integrity_check` is ok and every login and refresh token the sidecar
/// acknowledged is in the database; at the end, the acknowledged tokens still work.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_under_load_loses_nothing_acknowledged() {
    let seed = std::env::var("AUTHLET_RESILIENCE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    let cycles = if long_run() { 20 } else { 5 };
    println!("kill -9 schedule: AUTHLET_RESILIENCE_SEED={seed}, {cycles} cycles");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kill.db").display());
    let mut users = Vec::new();
    let mut acknowledged = harness::Acknowledged::default();
    for cycle in 0..cycles {
        let mut sidecar = Sidecar::start(dir.path(), &url, &[]).await;
        if users.is_empty() {
            users = create_users(sidecar.port, 6).await;
        }
        let load = Load::start(sidecar.port, &users);
        let after = Duration::from_millis(rng.gen_range(300..2500));
        tokio::time::sleep(after).await;
        sidecar.kill9();
        let (outcomes, acked) = load.finish().await;
        let answered = outcomes.iter().filter(|o| o.status == Some(200)).count();
        assert!(
            answered > 0,
            "cycle {cycle}: nothing answered before the kill"
        );
        for outcome in &outcomes {
            assert!(
                matches!(outcome.status, None | Some(200)),
                "cycle {cycle}: a {} answered {:?}: {}",
                outcome.kind,
                outcome.status,
                outcome.body
            );
        }
        merge(&mut acknowledged, acked);
        assert_integrity(&url).await;
        let checked = assert_acknowledged_rows(&url, &acknowledged).await;
        println!("cycle {cycle}: killed after {after:?}; {answered} answered 200, {checked} rows checked");
    }

    // The acknowledged tokens work, not merely exist.
    let sidecar = Sidecar::start(dir.path(), &url, &[]).await;
    let one_time = acknowledged
        .one_time_tokens
        .iter()
        .filter(|(_, unanswered)| !unanswered)
        .map(|(token, _)| token);
    for token in acknowledged.reusable_tokens.iter().take(20).chain(one_time) {
        let reply = request(
            sidecar.port,
            "POST",
            "/api/jwt/refresh",
            Some(&json!({"refreshToken": token})),
        )
        .await
        .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
}

fn merge(total: &mut harness::Acknowledged, cycle: harness::Acknowledged) {
    total.logins.extend(cycle.logins);
    for (user, count) in cycle.refreshes {
        *total.refreshes.entry(user).or_default() += count;
    }
    total.reusable_tokens.extend(cycle.reusable_tokens);
    total.one_time_tokens.extend(cycle.one_time_tokens);
}

async fn assert_integrity(url: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(rows, vec![("ok".to_owned(),)], "integrity_check");
    pool.close().await;
}

// ---- SIGTERM ---------------------------------------------------------------------------

/// SIGTERM under load: `/readyz` answers 503 while the listener is still open and logins
/// still succeed (the workload in the pod may still need them); then the listener closes,
/// a request that was half sent at that moment still gets its 200, every request of the
/// load got a complete 200, and the process exits 0 well within its drain bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_under_load_drops_readiness_first_and_finishes_in_flight_requests() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("term.db").display());
    let delay = 3;
    let mut sidecar =
        Sidecar::start(dir.path(), &url, &["--shutdown-delay", &delay.to_string()]).await;
    let users = create_users(sidecar.port, 6).await;
    let load = Load::start(sidecar.port, &users);
    tokio::time::sleep(Duration::from_secs(1)).await;

    // A login whose body is half sent when the signal arrives.
    let (email, _) = &users[0];
    let body =
        json!({"loginId": email, "password": PASSWORD, "applicationId": ONE_TIME}).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut slow = TcpStream::connect(("127.0.0.1", sidecar.port))
        .await
        .unwrap();
    slow.write_all(
        format!(
            "POST /api/login HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
            harness::API_KEY,
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();

    sidecar.sigterm();
    let port = sidecar.port;
    let dropped = eventually(Duration::from_secs(2), move || async move {
        status_of(port, "/readyz").await == Some(503)
    })
    .await;
    assert!(
        dropped.is_some(),
        "/readyz did not answer 503 after SIGTERM\n{}",
        sidecar.log_tail()
    );
    // Readiness is off: a load balancer stops sending new work. Work already sent, and
    // the pod's own workload, are still served.
    load.stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let login = request(
        sidecar.port,
        "POST",
        "/api/login",
        Some(&json!({"loginId": email, "password": PASSWORD, "applicationId": ONE_TIME})),
    )
    .await
    .unwrap();
    assert_eq!(login.status, 200, "a login during the shutdown delay");
    assert_eq!(status_of(sidecar.port, "/healthz").await, Some(200));

    let closed = eventually(Duration::from_secs(delay + 5), move || async move {
        TcpStream::connect(("127.0.0.1", port)).await.is_err()
    })
    .await;
    assert!(
        closed.is_some(),
        "the listener did not close after the shutdown delay"
    );
    let closed_at = Stopwatch::start();

    slow.write_all(rest.as_bytes()).await.unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(20), harness::read_reply(&mut slow))
        .await
        .expect("the in-flight login never finished")
        .unwrap();
    assert_eq!(reply.status, 200, "the in-flight login: {}", reply.body);

    let (outcomes, _) = load.finish().await;
    for outcome in &outcomes {
        assert_eq!(
            outcome.status,
            Some(200),
            "a {} sent before readiness dropped: {}",
            outcome.kind,
            outcome.body
        );
    }
    // The drain is bounded by 20 s; with nothing left in flight it ends at once.
    let exited = eventually(Duration::from_secs(20), || {
        let status = sidecar.try_wait();
        async move { status.is_some() }
    })
    .await;
    assert!(
        exited.is_some(),
        "still running 20 s after closing its listener"
    );
    let status = sidecar.try_wait().unwrap();
    assert!(
        status.success(),
        "exit status {status}\n{}",
        sidecar.log_tail()
    );
    println!(
        "readiness off {:?} after SIGTERM; exited {:?} after closing; {} requests",
        dropped,
        closed_at.elapsed(),
        outcomes.len()
    );
}
