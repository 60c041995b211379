//! `soak`: a long run at a fixed share of capacity, to show what short benchmarks cannot —
//! that nothing fails, leaks or drifts over time (issue #6, item 9).
//!
//! Traffic is sessions, each the same six requests in order, built on the password login
//! so that the hash dominates as it does in production while every token path is used and
//! every refresh token issued is also revoked (so live tokens do not pile up):
//!
//! 1. `POST /api/login`, password, issuing a refresh token;
//! 2. `GET /api/jwt/validate` with its access token;
//! 3. `PUT /api/login`, the login ping, with the access token;
//! 4. `POST /api/jwt/refresh` with its refresh token;
//! 5. `GET /api/jwt/validate` with the refreshed access token;
//! 6. `POST /api/logout` with the (possibly rotated) refresh token.
//!
//! A step that fails ends its session. Capacity is this mix's throughput, closed loop, in
//! the same run on the same sidecar; the soak then starts sessions open loop at `load` ×
//! capacity. A session's login is timed from when the session was due and each later
//! step from when the answer it depends on came in, so a stalled server cannot hide its
//! queue (no coordinated omission). Login, ping and refresh each write a login record,
//! so the database grows through the run as it would in production.
//!
//! On SQLite it also reads the write-ahead log's length every second, so that a log that
//! stops starting over — and commits that checkpoint it inline — shows in the report.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use clap::builder::RangedU64ValueParser;
use hyper::body::Bytes;
use serde_json::{json, Value};

use crate::load::{closed_loop_jobs, open_loop_jobs, Pool, Request};
use crate::login::{password_logins, seed_users, tenant_config, Setup};
use crate::records::fresh_database;
use crate::sidecar::{percentile, rss_kib_of, CpuTimes, Sidecar};

#[derive(Debug, clap::Args)]
pub struct Options {
    /// The capacity phase's closed-loop workers are `--concurrency`.
    #[command(flatten)]
    pub setup: Setup,
    /// The soak's arrival rate as a share of the measured capacity.
    #[arg(long, default_value_t = 0.8)]
    pub load: f64,
    /// Length of the soak.
    #[arg(long, default_value_t = 30, value_parser = RangedU64ValueParser::<usize>::new().range(1..))]
    pub minutes: usize,
    /// Minutes at the soak's start after which memory must not grow.
    #[arg(long, default_value_t = 5)]
    pub warm_up_minutes: usize,
    /// Seconds of the measured capacity phase, after 10 s of warm-up.
    #[arg(long, default_value_t = 30, value_parser = RangedU64ValueParser::<u64>::new().range(1..))]
    pub capacity_seconds: u64,
}

/// An answer later than this counts as a timeout: far beyond any healthy p99, short
/// enough that a stuck request shows in the minute after the one it was sent in.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Closed-loop sessions before capacity is measured, so that connections, the database's
/// cache and the allocator are warm and the figure is the steady one.
const CAPACITY_WARM_UP: Duration = Duration::from_secs(10);
/// Memory verdict: the last minute's mean RSS may exceed the last warm-up minute's by at
/// most this much (the allocator and the database's page cache move by a few MiB)...
const RSS_GROWTH_BOUND_MIB: f64 = 4.0;
/// ... and the per-minute means after warm-up may not trend up faster than this (a
/// 30-minute run with 5 of warm-up: at most 2.5 MiB over the rest).
const RSS_SLOPE_BOUND_MIB_PER_MINUTE: f64 = 0.1;
/// Latency verdict: no minute's p99 above this multiple of the median minute's p99.
const P99_SPREAD_BOUND: f64 = 2.0;

#[derive(Debug, Clone, Copy)]
enum Step {
    Login,
    Validate,
    Ping,
    Refresh,
    ValidateRefreshed,
    Logout,
}

const STEPS: [Step; 6] = [
    Step::Login,
    Step::Validate,
    Step::Ping,
    Step::Refresh,
    Step::ValidateRefreshed,
    Step::Logout,
];

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Login => "POST /api/login (password)",
            Step::Validate => "GET /api/jwt/validate",
            Step::Ping => "PUT /api/login (ping)",
            Step::Refresh => "POST /api/jwt/refresh",
            Step::ValidateRefreshed => "GET /api/jwt/validate (refreshed)",
            Step::Logout => "POST /api/logout",
        }
    }
}

/// What became of one request. Every step expects a 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Status(u16),
    /// A 200 whose body lacked the tokens the session needs next.
    Unusable,
    /// No answer: the connection could not be opened or broke.
    Connection,
    Timeout,
}

#[derive(Debug)]
struct Answer {
    step: Step,
    /// When the request was due: the session's arrival for its login, else the moment
    /// the answer it depends on came in.
    due: tokio::time::Instant,
    millis: f64,
    fate: Fate,
}

impl Answer {
    fn ok(&self) -> bool {
        self.fate == Fate::Status(200)
    }
}

pub async fn run(binary: &Path, options: &Options) -> anyhow::Result<Value> {
    if options.load.is_nan() || options.load <= 0.0 {
        bail!("--load must be above 0");
    }
    let dir = tempfile::tempdir()?;
    let database_url =
        fresh_database(dir.path(), options.setup.postgres.as_deref(), "soak").await?;
    let config = tenant_config(&database_url, &options.setup.scheme, options.setup.factor);
    let sidecar = Sidecar::start(binary, dir.path(), config).await?;
    seed_users(&sidecar).await?;
    let port = sidecar.port();

    let capacity = capacity(port, options).await?;
    let per_second = capacity["sessions_per_second"].as_f64().unwrap_or(0.0);
    if per_second <= 0.0 {
        bail!("no session completed in the capacity phase: {capacity}");
    }
    let rate = options.load * per_second;
    eprintln!(
        "capacity {per_second:.1} sessions/s; soaking at {rate:.1} sessions/s for {} min",
        options.minutes
    );

    let pid = sidecar.pid();
    let rss_before = rss_kib_of(&format!("/proc/{pid}/status")) as f64 / 1024.0;
    let pool = Arc::new(Pool::new(port));
    let start = tokio::time::Instant::now();
    // `fresh_database` names the SQLite file `soak.db`; its wal-index is beside it.
    let wal_index = options
        .setup
        .postgres
        .is_none()
        .then(|| dir.path().join("soak.db-shm"));
    let usage = tokio::spawn(sample_usage(pid, wal_index, options.minutes, start));
    let mut minutes = vec![Tally::default(); options.minutes];
    let mut steps = vec![Vec::new(); STEPS.len()];
    let mut sessions = 0;
    let login = password_logins();
    open_loop_jobs(
        rate,
        Duration::from_secs(60 * options.minutes as u64),
        |i, due| session(Arc::clone(&pool), login(i), due),
        |answers| {
            sessions += 1;
            for answer in answers {
                let minute = (answer.due.saturating_duration_since(start).as_secs() / 60) as usize;
                // A session due late in the last minute sends its later steps after it.
                let minute = minute.min(options.minutes - 1);
                minutes[minute].add(&answer);
                steps[answer.step as usize].push(answer.millis);
            }
        },
    )
    .await?;
    let usage = usage.await?;
    sidecar.stop();

    let rows: Vec<Value> = minutes
        .iter_mut()
        .zip(&usage)
        .enumerate()
        .map(|(i, (tally, usage))| tally.row(i + 1, usage))
        .collect();
    let step_rows: Vec<Value> = STEPS
        .iter()
        .zip(steps.iter_mut())
        .map(|(step, millis)| {
            json!({
                "step": step.name(), "requests": millis.len(),
                "p50_ms": percentile(millis, 0.5), "p99_ms": percentile(millis, 0.99),
                "max_ms": percentile(millis, 1.0),
            })
        })
        .collect();
    let verdicts = verdicts(&rows, rss_before, options.warm_up_minutes);
    Ok(json!({
        "backend": if options.setup.postgres.is_some() { "postgres" } else { "sqlite" },
        "scheme": options.setup.scheme, "factor": options.setup.factor,
        "cores": std::thread::available_parallelism().map_or(2, |n| n.get()),
        "mix": STEPS.iter().map(|s| s.name()).collect::<Vec<_>>(),
        "request_timeout_s": REQUEST_TIMEOUT.as_secs(),
        "capacity": capacity,
        "soak": {
            "load": options.load, "minutes": options.minutes,
            "offered_sessions_per_second": rate,
            "offered_requests_per_second": rate * STEPS.len() as f64,
            "sessions": sessions,
            "rss_before_mib": rss_before,
        },
        "minutes": rows,
        "steps": step_rows,
        "verdicts": verdicts,
    }))
}

/// One session (see the module's comment) starting with `login`; its answers, as far as
/// it got.
async fn session(pool: Arc<Pool>, login: Request, due: tokio::time::Instant) -> Vec<Answer> {
    let mut answers = Vec::with_capacity(STEPS.len());
    let now = tokio::time::Instant::now;
    let steps = async {
        let body = send(&pool, Step::Login, login, due, &mut answers).await?;
        let (token, refresh) = tokens(&body, &mut answers)?;
        let validate = bearer("GET", "/api/jwt/validate", &token);
        send(&pool, Step::Validate, validate, now(), &mut answers).await?;
        let ping = bearer("PUT", "/api/login", &token);
        send(&pool, Step::Ping, ping, now(), &mut answers).await?;
        let exchange = with_refresh_token("/api/jwt/refresh", &refresh);
        let body = send(&pool, Step::Refresh, exchange, now(), &mut answers).await?;
        let (token, refresh) = tokens(&body, &mut answers)?;
        let validate = bearer("GET", "/api/jwt/validate", &token);
        send(
            &pool,
            Step::ValidateRefreshed,
            validate,
            now(),
            &mut answers,
        )
        .await?;
        let logout = with_refresh_token("/api/logout", &refresh);
        send(&pool, Step::Logout, logout, now(), &mut answers).await
    };
    // Where the session stopped is already in its answers.
    let _ = steps.await;
    answers
}

/// Sends one step, timed from `due`, and records its answer; the body of a 200.
async fn send(
    pool: &Pool,
    step: Step,
    request: Request,
    due: tokio::time::Instant,
    answers: &mut Vec<Answer>,
) -> Option<Bytes> {
    let (fate, body) = match tokio::time::timeout(REQUEST_TIMEOUT, pool.send(&request)).await {
        Ok(Ok((status, body))) => (Fate::Status(status), Some(body).filter(|_| status == 200)),
        Ok(Err(_)) => (Fate::Connection, None),
        Err(_) => (Fate::Timeout, None),
    };
    answers.push(Answer {
        step,
        due,
        millis: due.elapsed().as_secs_f64() * 1000.0,
        fate,
    });
    body
}

/// The access and refresh tokens of a login's or refresh's 200; when they are missing,
/// the answer just recorded is marked unusable.
fn tokens(body: &Bytes, answers: &mut [Answer]) -> Option<(String, String)> {
    let body: Value = serde_json::from_slice(body).unwrap_or_default();
    let pair = body["token"].as_str().zip(body["refreshToken"].as_str());
    if pair.is_none() {
        if let Some(last) = answers.last_mut() {
            last.fate = Fate::Unusable;
        }
    }
    pair.map(|(token, refresh)| (token.to_owned(), refresh.to_owned()))
}

fn bearer(method: &'static str, path: &str, token: &str) -> Request {
    Request {
        method,
        path: path.into(),
        authorization: Some(format!("Bearer {token}")),
        body: None,
    }
}

fn with_refresh_token(path: &str, refresh: &str) -> Request {
    Request {
        method: "POST",
        path: path.into(),
        authorization: None,
        body: Some(json!({ "refreshToken": refresh }).to_string()),
    }
}

/// The mix's throughput at saturation: `concurrency` workers running sessions back to
/// back, first for [`CAPACITY_WARM_UP`] (discarded), then for `capacity_seconds`.
async fn capacity(port: u16, options: &Options) -> anyhow::Result<Value> {
    let pool = Arc::new(Pool::new(port));
    let login = password_logins();
    let sessions = |seconds: Duration| {
        let (pool, login) = (Arc::clone(&pool), Arc::clone(&login));
        closed_loop_jobs(
            options.setup.concurrency,
            move |i| session(Arc::clone(&pool), login(i), tokio::time::Instant::now()),
            Arc::new(move |_, elapsed| elapsed >= seconds),
        )
    };
    sessions(CAPACITY_WARM_UP).await?;
    let started = Instant::now();
    let measured = sessions(Duration::from_secs(options.capacity_seconds)).await?;
    let elapsed = started.elapsed().as_secs_f64();
    let complete = measured
        .iter()
        .filter(|answers| answers.len() == STEPS.len() && answers.iter().all(Answer::ok))
        .count();
    let requests: usize = measured.iter().map(Vec::len).sum();
    let errors = measured.iter().flatten().filter(|a| !a.ok()).count();
    Ok(json!({
        "concurrency": options.setup.concurrency,
        "warm_up_s": CAPACITY_WARM_UP.as_secs(), "seconds": elapsed,
        "sessions_per_second": complete as f64 / elapsed,
        "requests_per_second": requests as f64 / elapsed,
        "errors": errors,
    }))
}

/// The sidecar's resources over one minute of the soak, and what else used the machine.
#[derive(Debug)]
struct Usage {
    rss_mean_mib: f64,
    rss_max_mib: f64,
    /// CPU seconds per second: 1.0 is one core busy.
    cpu: CpuTimes,
    /// SQLite's write-ahead log at its longest, in MiB; none on PostgreSQL.
    wal_max_mib: Option<f64>,
}

/// SQLite's page size, which the sidecar leaves at its default, plus a frame's header.
const WAL_FRAME_BYTES: f64 = 4096.0 + 24.0;

/// The write-ahead log's length in frames: `mxFrame`, at offset 16 of the wal-index
/// header that opens the `-shm` file, in the machine's byte order (SQLite's
/// `WalIndexHdr`). The file's size would not do: it stays at its longest.
fn wal_frames(wal_index: &Path) -> Option<u32> {
    let mut header = [0; 20];
    std::fs::File::open(wal_index)
        .and_then(|mut file| file.read_exact(&mut header))
        .ok()?;
    let [.., a, b, c, d] = header;
    Some(u32::from_ne_bytes([a, b, c, d]))
}

/// Reads the sidecar's RSS (and on SQLite the log's length, from `wal_index`) every second
/// and its CPU at each minute's end, from `/proc`, for `minutes` minutes from `start`;
/// reports each minute on stderr as it ends, so that a long run shows it is alive.
async fn sample_usage(
    pid: u32,
    wal_index: Option<PathBuf>,
    minutes: usize,
    start: tokio::time::Instant,
) -> Vec<Usage> {
    let status = format!("/proc/{pid}/status");
    let mut cpu = CpuTimes::now(pid);
    let mut usage = Vec::with_capacity(minutes);
    for minute in 0..minutes {
        let mut rss = Vec::with_capacity(60);
        let mut wal_frames_max = None;
        for second in 1..=60 {
            tokio::time::sleep_until(start + Duration::from_secs((minute * 60 + second) as u64))
                .await;
            rss.push(rss_kib_of(&status) as f64 / 1024.0);
            if let Some(frames) = wal_index.as_deref().and_then(wal_frames) {
                wal_frames_max = wal_frames_max.max(Some(frames));
            }
        }
        let now = CpuTimes::now(pid);
        let minute_usage = Usage {
            rss_mean_mib: rss.iter().sum::<f64>() / rss.len() as f64,
            rss_max_mib: rss.iter().copied().fold(0.0, f64::max),
            cpu: now.per_second_since(cpu, 60.0),
            wal_max_mib: wal_frames_max
                .map(|frames| f64::from(frames) * WAL_FRAME_BYTES / (1024.0 * 1024.0)),
        };
        cpu = now;
        eprintln!(
            "minute {}/{minutes}: RSS {:.1} MiB, CPU {:.2} cores",
            minute + 1,
            minute_usage.rss_mean_mib,
            minute_usage.cpu.sidecar
        );
        usage.push(minute_usage);
    }
    usage
}

/// The answers to requests due in one minute of the soak.
#[derive(Debug, Default, Clone)]
struct Tally {
    sent: usize,
    statuses: BTreeMap<u16, usize>,
    unusable: usize,
    connection_errors: usize,
    timeouts: usize,
    errors: usize,
    millis: Vec<f64>,
}

impl Tally {
    fn add(&mut self, answer: &Answer) {
        self.sent += 1;
        self.millis.push(answer.millis);
        match answer.fate {
            Fate::Status(status) => *self.statuses.entry(status).or_default() += 1,
            Fate::Unusable => {
                *self.statuses.entry(200).or_default() += 1;
                self.unusable += 1;
            }
            Fate::Connection => self.connection_errors += 1,
            Fate::Timeout => self.timeouts += 1,
        }
        if !answer.ok() {
            self.errors += 1;
        }
    }

    fn row(&mut self, minute: usize, usage: &Usage) -> Value {
        json!({
            "minute": minute, "sent": self.sent,
            "statuses": self.statuses.iter().map(|(s, n)| (s.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "unusable": self.unusable, "connection_errors": self.connection_errors,
            "timeouts": self.timeouts, "errors": self.errors,
            "p50_ms": percentile(&mut self.millis, 0.5),
            "p99_ms": percentile(&mut self.millis, 0.99),
            "max_ms": percentile(&mut self.millis, 1.0),
            "rss_mean_mib": usage.rss_mean_mib, "rss_max_mib": usage.rss_max_mib,
            "cpu_cores": usage.cpu.sidecar, "load_cpu_cores": usage.cpu.load,
            "rest_cpu_cores": usage.cpu.rest, "stolen_cpu_cores": usage.cpu.stolen,
            "wal_max_mib": usage.wal_max_mib,
        })
    }
}

/// The three verdicts, each with its rule, its figure and whether it was met.
fn verdicts(rows: &[Value], rss_before: f64, warm_up_minutes: usize) -> Value {
    let n = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let errors: u64 = rows.iter().map(|r| r["errors"].as_u64().unwrap_or(0)).sum();

    // A run no longer than its warm-up still judges its last minute, against the minute
    // before it (or, in a one-minute run, the RSS at the soak's start, which the
    // capacity phase has warmed).
    let warm_up = warm_up_minutes.min(rows.len().saturating_sub(1));
    let rss = |minute: usize| match minute {
        0 => rss_before,
        m => rows.get(m - 1).map_or(f64::NAN, |r| n(&r["rss_mean_mib"])),
    };
    let growth = rss(rows.len()) - rss(warm_up);
    let after: Vec<(f64, f64)> = (warm_up + 1..=rows.len())
        .map(|m| (m as f64, rss(m)))
        .collect();
    let slope = slope(&after);
    let memory_met =
        growth <= RSS_GROWTH_BOUND_MIB && slope.is_none_or(|s| s <= RSS_SLOPE_BOUND_MIB_PER_MINUTE);

    let mut p99s: Vec<f64> = rows.iter().map(|r| n(&r["p99_ms"])).collect();
    p99s.sort_by(f64::total_cmp);
    let worst = p99s.last().copied().unwrap_or(f64::NAN);
    // The lower middle for an even count, so that a two-minute run compares its worst
    // minute with its best rather than with itself.
    let median = p99s
        .get(p99s.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(f64::NAN);

    json!([
        {
            "verdict": "zero errors",
            "rule": "no request in any minute answered other than 200, unusable, unanswered or later than the timeout",
            "measured": format!("{errors} errors"),
            "met": errors == 0,
        },
        {
            "verdict": "no memory growth after warm-up",
            "rule": format!(
                "mean RSS of the last minute ≤ that of minute {warm_up} (end of warm-up{}) + {RSS_GROWTH_BOUND_MIB} MiB, and the slope fitted to the per-minute means after it ≤ {RSS_SLOPE_BOUND_MIB_PER_MINUTE} MiB/min",
                if warm_up == 0 { "; 0: the soak's start" } else { "" },
            ),
            "measured": format!(
                "{:.1} → {:.1} MiB ({growth:+.2} MiB), slope {}",
                rss(warm_up),
                rss(rows.len()),
                slope.map_or("n/a (fewer than 2 minutes after warm-up)".into(), |s| format!("{s:+.3} MiB/min")),
            ),
            "warm_up_minutes": warm_up,
            "growth_mib": growth,
            "slope_mib_per_minute": slope,
            "met": memory_met,
        },
        {
            "verdict": "stable p99",
            "rule": format!("every minute's p99 ≤ {P99_SPREAD_BOUND} × the median minute's p99 (the lower middle for an even count)"),
            "measured": format!("worst {worst:.1} ms = {:.2} × median {median:.1} ms", worst / median),
            "met": worst <= P99_SPREAD_BOUND * median,
        },
    ])
}

/// The least-squares slope of `points`; none with fewer than two.
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let count = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / count;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / count;
    let covariance: f64 = points
        .iter()
        .map(|(x, y)| (x - mean_x) * (y - mean_y))
        .sum();
    let variance: f64 = points.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    Some(covariance / variance)
}

/// The report as Markdown: the mix, capacity, one row per minute, each step over the
/// whole run, and the verdicts with their rules.
pub fn markdown(report: &Value) -> String {
    let n = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let c = &report["capacity"];
    let s = &report["soak"];
    let mix: Vec<&str> = report["mix"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut md = format!(
        "## soak ({} backend, {} factor {}, {} cores)\n\n\
         Session mix, every session in order (a failed step ends its session): {}.\n\n\
         Capacity: {:.1} sessions/s = {:.0} requests/s, closed loop with {} workers for \
         {:.0} s after {} s of warm-up ({} errors).\n\n\
         Soak: {} min open loop at {:.2} × capacity = {:.1} sessions/s = {:.0} requests/s \
         ({} sessions). Latency runs from each request's due time (the session's arrival \
         for its login, the previous answer for later steps); an answer later than {} s is \
         a timeout.\n\n\
         The log column is SQLite's write-ahead log at its longest in the minute, read \
         every second.\n\n\
         The CPU column is cores used by the sidecar / this benchmark's load / the rest of the \
         machine / stolen by the hypervisor.\n\n\
         | minute | sent | answers by status | errors | p50 ms | p99 ms | max ms | RSS MiB mean / max | CPU cores | log MiB |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",

        report["backend"].as_str().unwrap_or("?"),
        report["scheme"].as_str().unwrap_or("?"),
        report["factor"],
        report["cores"],
        mix.join(" → "),
        n(&c["sessions_per_second"]),
        n(&c["requests_per_second"]),
        c["concurrency"],
        n(&c["seconds"]),
        c["warm_up_s"],
        c["errors"],
        s["minutes"],
        n(&s["load"]),
        n(&s["offered_sessions_per_second"]),
        n(&s["offered_requests_per_second"]),
        s["sessions"],
        report["request_timeout_s"],
    );
    for row in report["minutes"].as_array().into_iter().flatten() {
        let statuses: Vec<String> = row["statuses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(status, count)| format!("{status}: {count}"))
            .collect();
        let mut errors = row["errors"].to_string();
        for (key, label) in [
            ("unusable", "unusable"),
            ("connection_errors", "connection"),
            ("timeouts", "timeout"),
        ] {
            if row[key].as_u64().unwrap_or(0) > 0 {
                errors.push_str(&format!(", {label}: {}", row[key]));
            }
        }
        md.push_str(&format!(
            "| {} | {} | {} | {errors} | {:.2} | {:.2} | {:.1} | {:.1} / {:.1} | {:.2} / {:.2} / {:.2} / {:.2} | {} |\n",
            row["minute"],
            row["sent"],
            statuses.join(", "),
            n(&row["p50_ms"]),
            n(&row["p99_ms"]),
            n(&row["max_ms"]),
            n(&row["rss_mean_mib"]),
            n(&row["rss_max_mib"]),
            n(&row["cpu_cores"]),
            n(&row["load_cpu_cores"]),
            n(&row["rest_cpu_cores"]),
            n(&row["stolen_cpu_cores"]),
            row["wal_max_mib"]
                .as_f64()
                .map_or("n/a".into(), |mib| format!("{mib:.1}")),
        ));
    }
    md.push_str(
        "\n| step, whole soak | requests | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n",
    );
    for step in report["steps"].as_array().into_iter().flatten() {
        md.push_str(&format!(
            "| {} | {} | {:.2} | {:.2} | {:.1} |\n",
            step["step"].as_str().unwrap_or("?"),
            step["requests"],
            n(&step["p50_ms"]),
            n(&step["p99_ms"]),
            n(&step["max_ms"]),
        ));
    }
    md.push_str("\n| verdict | rule | measured | met |\n|---|---|---|---|\n");
    for verdict in report["verdicts"].as_array().into_iter().flatten() {
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            verdict["verdict"].as_str().unwrap_or("?"),
            verdict["rule"].as_str().unwrap_or("?"),
            verdict["measured"].as_str().unwrap_or("?"),
            if verdict["met"].as_bool() == Some(true) {
                "yes"
            } else {
                "no"
            },
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Executor;

    /// The log's length read from the wal-index is SQLite's own count of its frames.
    #[tokio::test]
    async fn wal_frames_reads_the_length_sqlite_reports() {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("wal.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        conn.execute("PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1), (2); INSERT INTO t VALUES (3);")
            .await
            .unwrap();
        let (_, frames, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&mut conn)
            .await
            .unwrap();

        assert!(frames >= 3, "three commits, at least a frame each");
        let shm = dir.path().join("wal.db-shm");
        assert_eq!(wal_frames(&shm).map(i64::from), Some(frames));
        assert_eq!(wal_frames(&dir.path().join("absent-shm")), None);
    }
}
