//! The pieces the process-level suites share: the real `authlet-sidecar` binary on a
//! config file, a plain HTTP/1.1 client, a load generator whose every acknowledgement is
//! kept for checking against the database afterwards, and a stopwatch that does not
//! count the time this machine's benchmarks keep the test stopped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sha2::Digest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const API_KEY: &str = "resilience-test-key-0123456789";
pub const TENANT: &str = "6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
/// Reusable refresh tokens.
pub const SHOP: &str = "3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
/// One-time-use refresh tokens: every refresh rotates the value.
pub const ONE_TIME: &str = "4d328a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
pub const PASSWORD: &str = "password-123";

/// The long run (the figures) instead of the short one in the test command.
pub fn long_run() -> bool {
    std::env::var("AUTHLET_RESILIENCE_LONG").is_ok_and(|v| v == "1")
}

// ---- time that excludes pauses -------------------------------------------------------

/// Nanoseconds this process spent stopped (SIGSTOP by the benchmarks that share the
/// machine, or starved), measured by a thread that wakes every few milliseconds: a
/// wake-up far later than asked for is time nobody here could use.
fn stopped_nanos() -> u64 {
    static STOPPED: OnceLock<Arc<AtomicU64>> = OnceLock::new();
    STOPPED
        .get_or_init(|| {
            let stopped = Arc::new(AtomicU64::new(0));
            let counter = Arc::clone(&stopped);
            std::thread::spawn(move || {
                let tick = Duration::from_millis(5);
                let mut last = Instant::now();
                loop {
                    std::thread::sleep(tick);
                    let now = Instant::now();
                    let gap = now - last;
                    if gap > Duration::from_millis(250) {
                        counter.fetch_add((gap - tick).as_nanos() as u64, Ordering::Relaxed);
                    }
                    last = now;
                }
            });
            stopped
        })
        .load(Ordering::Relaxed)
}

/// A stopwatch whose reading leaves out the time the process was stopped, so that the
/// issue's bounds (2 s to answer, 10 s to recover) are checked against the sidecar's
/// own behaviour, not the machine's.
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch {
    started: Instant,
    stopped_at_start: u64,
}

impl Stopwatch {
    pub fn start() -> Self {
        Self {
            stopped_at_start: stopped_nanos(),
            started: Instant::now(),
        }
    }

    pub fn elapsed(&self) -> Duration {
        let paused = Duration::from_nanos(stopped_nanos() - self.stopped_at_start);
        self.started.elapsed().saturating_sub(paused)
    }
}

/// Polls `check` until it holds or `limit` (of [`Stopwatch`] time) has passed.
pub async fn eventually<F, Fut>(limit: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let watch = Stopwatch::start();
    loop {
        if check().await {
            return Some(watch.elapsed());
        }
        if watch.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---- HTTP ------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

/// One request on a fresh connection (`Connection: close`), read to the end. A
/// connection error is returned as is, so callers can tell "refused" from "cut".
pub async fn request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {API_KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    read_reply(&mut stream).await
}

/// Reads a whole `Connection: close` response.
pub async fn read_reply(stream: &mut TcpStream) -> std::io::Result<Reply> {
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await?;
    let text = String::from_utf8_lossy(&bytes);
    let invalid = || std::io::Error::new(std::io::ErrorKind::InvalidData, text.to_string());
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(invalid)?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(invalid)?;
    Ok(Reply {
        status,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    })
}

pub async fn status_of(port: u16, path: &str) -> Option<u16> {
    let reply = tokio::time::timeout(Duration::from_secs(5), request(port, "GET", path, None));
    match reply.await {
        Ok(Ok(reply)) => Some(reply.status),
        _ => None,
    }
}

// ---- the sidecar process ---------------------------------------------------------------

/// A one-tenant config with fast hashing, a reusable-token and a one-time-token
/// application.
pub fn config(database_url: &str, port: u16) -> Value {
    json!({
        "listen": format!("127.0.0.1:{port}"),
        "database": {"url": database_url},
        "apiKeys": [{"key": API_KEY}],
        "keys": [{
            "id": "0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d",
            "algorithm": "HS256",
            "secret": "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
        }],
        "tenants": [{
            "id": TENANT,
            "name": "Default",
            "passwordEncryptionConfiguration": {
                "encryptionScheme": "salted-pbkdf2-hmac-sha256",
                "encryptionSchemeFactor": 100,
            },
            "jwtConfiguration": {"refreshTokenTimeToLiveInMinutes": 60},
            "applications": [
                {
                    "id": SHOP,
                    "name": "Shop",
                    "loginConfiguration": {"generateRefreshTokens": true, "allowTokenRefresh": true},
                },
                {
                    "id": ONE_TIME,
                    "name": "OneTime",
                    "loginConfiguration": {"generateRefreshTokens": true, "allowTokenRefresh": true},
                    "jwtConfiguration": {
                        "enabled": true,
                        "refreshTokenUsagePolicy": "OneTimeUse",
                        "refreshTokenTimeToLiveInMinutes": 60,
                    },
                },
            ],
        }],
    })
}

/// The real binary, killed when dropped.
#[derive(Debug)]
pub struct Sidecar {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Sidecar {
    /// Starts the binary on `database_url` (a free loopback port, its log in `dir`) and
    /// waits until it is ready.
    pub async fn start(dir: &Path, database_url: &str, extra_args: &[&str]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config_path = dir.join(format!("config-{port}.json"));
        std::fs::write(&config_path, config(database_url, port).to_string()).unwrap();
        let log = dir.join(format!("sidecar-{port}.log"));
        let child = Command::new(env!("CARGO_BIN_EXE_authlet-sidecar"))
            .arg("--config")
            .arg(&config_path)
            .args(extra_args)
            .env("AUTHLET_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut sidecar = Self { child, port, log };
        let ready = eventually(Duration::from_secs(60), move || async move {
            status_of(port, "/readyz").await == Some(200)
        })
        .await;
        if ready.is_none() {
            let status = sidecar.child.try_wait().unwrap();
            panic!(
                "sidecar not ready within 60 s (exit: {status:?})\n{}",
                sidecar.log_tail()
            );
        }
        sidecar
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no chance to flush or finish anything.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().unwrap()
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Sidecar {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Registers `count` users for `SHOP` and `ONE_TIME`; returns their login ids and ids.
pub async fn create_users(port: u16, count: usize) -> Vec<(String, String)> {
    let mut users = Vec::new();
    for i in 0..count {
        let email = format!("user{i}-{}@example.com", uuid::Uuid::new_v4().simple());
        let reply = request(
            port,
            "POST",
            "/api/user/registration",
            Some(&json!({
                "user": {"email": email, "password": PASSWORD},
                "registration": {"applicationId": SHOP},
            })),
        )
        .await
        .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
        let id = reply.body["user"]["id"].as_str().unwrap().to_owned();
        let reply = request(
            port,
            "POST",
            &format!("/api/user/registration/{id}"),
            Some(&json!({"registration": {"applicationId": ONE_TIME}})),
        )
        .await
        .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
        users.push((email, id));
    }
    users
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

// ---- load ------------------------------------------------------------------------------

/// What one request came to.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub kind: &'static str,
    /// When it was sent, on the test's clock.
    pub sent: Instant,
    /// How long the sidecar took, pauses of this process left out.
    pub took: Duration,
    /// `None`: the connection failed (refused, cut, or no complete answer).
    pub status: Option<u16>,
    pub body: Value,
}

/// Everything the sidecar acknowledged with a 200, to look for in the database later.
#[derive(Debug, Default)]
pub struct Acknowledged {
    /// (user id, instant) of each 200 login: its login record must exist.
    pub logins: Vec<(String, i64)>,
    /// 200 refreshes per user: each wrote a login record too.
    pub refreshes: HashMap<String, usize>,
    /// Reusable refresh tokens handed out: each must still be in the database.
    pub reusable_tokens: Vec<String>,
    /// Per one-time chain: its latest acknowledged value, and whether a later refresh
    /// of it went unanswered (then it may have been rotated away, legitimately).
    pub one_time_tokens: Vec<(String, bool)>,
}

/// Concurrent workers, each its own user, alternating logins and refreshes until
/// stopped. Every answer is kept in `outcomes`; every 200 in `acknowledged`.
#[derive(Debug)]
pub struct Load {
    pub stop: Arc<AtomicBool>,
    pub outcomes: Arc<Mutex<Vec<Outcome>>>,
    pub acknowledged: Arc<Mutex<Acknowledged>>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    pub fn start(port: u16, users: &[(String, String)]) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let outcomes = Arc::new(Mutex::new(Vec::new()));
        let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
        let workers = users
            .iter()
            .cloned()
            .map(|(email, id)| {
                tokio::spawn(worker(
                    port,
                    email,
                    id,
                    Arc::clone(&stop),
                    Arc::clone(&outcomes),
                    Arc::clone(&acknowledged),
                ))
            })
            .collect();
        Self {
            stop,
            outcomes,
            acknowledged,
            workers,
        }
    }

    /// Stops the workers after their current request and waits for them.
    pub async fn finish(self) -> (Vec<Outcome>, Acknowledged) {
        self.stop.store(true, Ordering::SeqCst);
        for worker in self.workers {
            tokio::time::timeout(Duration::from_secs(120), worker)
                .await
                .expect("a load worker hung: some request never got an answer")
                .unwrap();
        }
        let outcomes = std::mem::take(&mut *self.outcomes.lock().unwrap());
        let acknowledged = std::mem::take(&mut *self.acknowledged.lock().unwrap());
        (outcomes, acknowledged)
    }
}

async fn worker(
    port: u16,
    email: String,
    user_id: String,
    stop: Arc<AtomicBool>,
    outcomes: Arc<Mutex<Vec<Outcome>>>,
    acknowledged: Arc<Mutex<Acknowledged>>,
) {
    // The one-time chain this worker holds: index into `one_time_tokens` and value.
    let mut chain: Option<(usize, String)> = None;
    let mut round = 0u64;
    while !stop.load(Ordering::SeqCst) {
        round += 1;
        let (kind, path, body) = match &chain {
            Some((_, token)) if !round.is_multiple_of(3) => (
                "refresh",
                "/api/jwt/refresh",
                json!({"refreshToken": token}),
            ),
            _ => {
                let application = if round.is_multiple_of(2) {
                    SHOP
                } else {
                    ONE_TIME
                };
                (
                    if application == SHOP {
                        "login-shop"
                    } else {
                        "login-one-time"
                    },
                    "/api/login",
                    json!({"loginId": email, "password": PASSWORD, "applicationId": application}),
                )
            }
        };
        let sent = Instant::now();
        let watch = Stopwatch::start();
        // Far beyond any bound under test: only a hang reaches it.
        let reply = tokio::time::timeout(
            Duration::from_secs(60),
            request(port, "POST", path, Some(&body)),
        )
        .await
        .expect("a request hung for 60 s");
        let took = watch.elapsed();
        let (status, reply_body) = match reply {
            Ok(reply) => (Some(reply.status), reply.body),
            Err(_) => (None, Value::Null),
        };
        {
            let mut acked = acknowledged.lock().unwrap();
            match (kind, status) {
                ("login-shop", Some(200)) => {
                    acked.logins.push((
                        user_id.clone(),
                        reply_body["user"]["lastLoginInstant"].as_i64().unwrap(),
                    ));
                    acked
                        .reusable_tokens
                        .push(reply_body["refreshToken"].as_str().unwrap().to_owned());
                }
                ("login-one-time", Some(200)) => {
                    acked.logins.push((
                        user_id.clone(),
                        reply_body["user"]["lastLoginInstant"].as_i64().unwrap(),
                    ));
                    let token = reply_body["refreshToken"].as_str().unwrap().to_owned();
                    acked.one_time_tokens.push((token.clone(), false));
                    chain = Some((acked.one_time_tokens.len() - 1, token));
                }
                ("refresh", Some(200)) => {
                    *acked.refreshes.entry(user_id.clone()).or_default() += 1;
                    let token = reply_body["refreshToken"].as_str().unwrap().to_owned();
                    if let Some(index) = chain.as_ref().map(|(index, _)| *index) {
                        acked.one_time_tokens[index] = (token.clone(), false);
                        chain = Some((index, token));
                    }
                }
                ("refresh", _) => {
                    // Unanswered or refused: the rotation may or may not have happened.
                    // Start a new chain; the old value is no longer expected to work.
                    if let Some((index, _)) = chain.take() {
                        acked.one_time_tokens[index].1 = true;
                    }
                }
                _ => {}
            }
        }
        let failed = status.is_none();
        outcomes.lock().unwrap().push(Outcome {
            kind,
            sent,
            took,
            status,
            body: reply_body,
        });
        if failed {
            // Refused or cut: do not spin on a port nobody listens on.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

// ---- checking the database -------------------------------------------------------------

/// Checks every acknowledgement against the database at `url` (the sidecar may be
/// running or not): each 200 login has its record, each user has at least as many
/// records as 200 logins and refreshes, each reusable refresh token handed out is still
/// there, and each one-time chain's latest value is there (or, when its next refresh
/// went unanswered, rotated away). Returns how many rows it checked.
pub async fn assert_acknowledged_rows(url: &str, acked: &Acknowledged) -> usize {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let records: Vec<(String, i64)> = sqlx::query_as("SELECT user_id, instant FROM login_records")
        .fetch_all(&pool)
        .await
        .unwrap();
    let record_set: std::collections::HashSet<&(String, i64)> = records.iter().collect();
    for login in &acked.logins {
        assert!(
            record_set.contains(login),
            "a login answered 200 has no login record: {login:?}"
        );
    }
    let mut per_user: HashMap<&str, usize> = HashMap::new();
    for (user, _) in &records {
        *per_user.entry(user.as_str()).or_default() += 1;
    }
    let mut expected: HashMap<&str, usize> = HashMap::new();
    for (user, _) in &acked.logins {
        *expected.entry(user.as_str()).or_default() += 1;
    }
    for (user, count) in &acked.refreshes {
        *expected.entry(user.as_str()).or_default() += count;
    }
    for (user, count) in expected {
        let stored = per_user.get(user).copied().unwrap_or(0);
        assert!(
            stored >= count,
            "user {user}: {count} logins and refreshes answered 200, {stored} login records"
        );
    }
    let live: std::collections::HashSet<String> =
        sqlx::query_as::<_, (String,)>("SELECT token_hash FROM refresh_tokens")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|(hash,)| hash)
            .collect();
    let retired: std::collections::HashSet<String> =
        sqlx::query_as::<_, (String,)>("SELECT token_hash FROM retired_refresh_tokens")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|(hash,)| hash)
            .collect();
    for token in &acked.reusable_tokens {
        assert!(
            live.contains(&sha256_hex(token)),
            "a reusable refresh token answered 200 is gone"
        );
    }
    for (token, next_unanswered) in &acked.one_time_tokens {
        let hash = sha256_hex(token);
        if *next_unanswered {
            assert!(
                live.contains(&hash) || retired.contains(&hash),
                "a one-time refresh token answered 200 is gone without a trace"
            );
        } else {
            assert!(
                live.contains(&hash),
                "the latest one-time refresh token answered 200 is gone"
            );
        }
    }
    pool.close().await;
    acked.logins.len() + acked.reusable_tokens.len() + acked.one_time_tokens.len()
}
