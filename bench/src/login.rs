//! `login`: what the sidecar costs per login and per pod, each figure stated against a
//! limit measured in the same run (issue #5). t_h is one password hash at the tenant's
//! setting, timed in this process with the sidecar's own hashing code; H = cores / t_h is
//! the most password logins per second the machine can do.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use authlet_core::config::SigningKeyConfig;
use authlet_core::password::{PasswordHash, Scheme};
use authlet_core::two_factor;
use serde_json::{json, Value};

use crate::load::{closed_loop, open_loop, Outcome, Request};
use crate::records::fresh_database;
use crate::sidecar::{
    base_config, cpu_seconds_by_thread_of, percentile, CpuTimes, Sidecar, API_KEY, SHOP,
};

/// What a benchmark of logins runs on: the database, the tenant's hashing, and how many
/// closed-loop workers saturate the sidecar. Shared by `login` and `soak`.
#[derive(Debug, clap::Args)]
pub struct Setup {
    /// Run on this PostgreSQL server (fresh databases are created) instead of SQLite.
    #[arg(long)]
    pub postgres: Option<String>,
    /// The tenant's password hashing scheme (FusionAuth's names).
    #[arg(long, default_value = "salted-pbkdf2-hmac-sha256")]
    pub scheme: String,
    /// The scheme's factor (FusionAuth's default for PBKDF2 is 24,000).
    #[arg(long, default_value_t = 24_000)]
    pub factor: u32,
    /// Closed-loop workers wherever the sidecar is saturated.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
}

#[derive(Debug, clap::Args)]
pub struct Options {
    #[command(flatten)]
    pub setup: Setup,
    /// Successful password logins in the CPU and throughput phase.
    #[arg(long, default_value_t = 10_000)]
    pub logins: usize,
    /// Seconds of each open-loop and no-hash phase.
    #[arg(long, default_value_t = 20)]
    pub seconds: u64,
    /// Seconds of the idle-CPU reading.
    #[arg(long, default_value_t = 30)]
    pub idle_seconds: u64,
    /// Closed-loop workers on the paths without a hash (item 6). More than
    /// `--concurrency`: a password login holds a core for its hash, so a few workers fill
    /// the cores, but a request without one spends most of its time handed between
    /// threads (the HTTP worker's, a reader's, the writer's), and with eight workers the
    /// two-factor phase got four-fifths of what it got with sixteen or thirty-two. Each
    /// path's report gives the cores left idle, which tells a path bound by the cores
    /// from one bound by something else (the one SQLite writer, say).
    #[arg(long, default_value_t = 16)]
    pub concurrency_without_hash: usize,
}

/// Users the logins rotate over.
pub const USERS: usize = 64;
/// Every seeded user's password.
pub const PASSWORD: &str = "bench-password-1";
/// Longer than the sidecar's allocator-trim interval (10 s), so that the RSS read after
/// it shows whether a burst's memory went back.
const SETTLE_AFTER_LOAD: Duration = Duration::from_secs(12);

pub async fn run(binary: &Path, options: &Options) -> anyhow::Result<Value> {
    let dir = tempfile::tempdir()?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let hash_ms = time_hash(&options.setup.scheme, options.setup.factor, 1)?;
    let capacity = cores as f64 * 1000.0 / hash_ms;
    eprintln!("t_h = {hash_ms:.3} ms, H = {capacity:.0} logins/s on {cores} cores");
    // Not targets: how far t_h, timed once and alone, stands for a hash on every core at
    // once (as at saturation) and for the rest of the run, on a machine whose speed moves.
    let hash_ms_on_every_core = time_hash(&options.setup.scheme, options.setup.factor, cores)?;
    let mut report = json!({
        "backend": if options.setup.postgres.is_some() { "postgres" } else { "sqlite" },
        "scheme": options.setup.scheme, "factor": options.setup.factor, "cores": cores,
        "hash_ms": hash_ms, "hash_ms_on_every_core": hash_ms_on_every_core,
        "capacity_per_second": capacity,
        "binary_bytes": std::fs::metadata(binary)?.len(),
    });

    let database_url =
        fresh_database(dir.path(), options.setup.postgres.as_deref(), "login").await?;
    let config = tenant_config(&database_url, &options.setup.scheme, options.setup.factor);
    let sidecar = Sidecar::start(binary, dir.path(), config.clone()).await?;
    seed_users(&sidecar).await?;
    sidecar.stop();

    // Footprint: a start on an existing database, then idle.
    let sidecar = Sidecar::start(binary, dir.path(), config.clone()).await?;
    let ready_ms = sidecar.ready_after.as_secs_f64() * 1000.0;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_rss = sidecar.rss_kib();
    let cpu_before = sidecar.cpu_seconds();
    tokio::time::sleep(Duration::from_secs(options.idle_seconds)).await;
    let idle_cpu_ms = (sidecar.cpu_seconds() - cpu_before) * 1000.0;

    // 1, 2: CPU per login and saturated throughput, closed loop.
    let port = sidecar.port();
    let wanted = options.logins;
    let cpu_before = sidecar.cpu_seconds();
    let cores_before = CpuTimes::now(sidecar.pid());
    let threads_before = cpu_seconds_by_thread_of(sidecar.pid());
    let started = Instant::now();
    let sampler = RssSampler::start(&sidecar);
    let outcomes = closed_loop(
        port,
        options.setup.concurrency,
        password_logins(),
        Arc::new(move |i, _| i >= wanted),
    )
    .await?;
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = sidecar.cpu_seconds() - cpu_before;
    let cores = CpuTimes::now(sidecar.pid()).per_second_since(cores_before, elapsed);
    let threads_after = cpu_seconds_by_thread_of(sidecar.pid());
    let peak_rss = sampler.stop(&sidecar).await;
    let ok = successes(&outcomes)?;
    let cpu_per_login_ms = cpu * 1000.0 / ok as f64;
    // Measured, where `cores.hashing` below is logins × t_h: whether what goes beyond t_h
    // is the rest of the sidecar's work or its hashes costing more than t_h.
    let by_thread: serde_json::Map<String, Value> = threads_after
        .into_iter()
        .map(|(name, seconds)| {
            let before = threads_before.get(&name).copied().unwrap_or(0.0);
            (name, json!((seconds - before) * 1000.0 / ok as f64))
        })
        .collect();
    report["saturation"] = json!({
        "logins": ok, "seconds": elapsed, "per_second": ok as f64 / elapsed,
        "ratio_to_capacity": ok as f64 / elapsed / capacity,
        "cpu_per_login_ms": cpu_per_login_ms,
        "cpu_per_login_ms_by_thread": by_thread,
        "cpu_target_ms": hash_ms + (0.1 * hash_ms).max(0.3),
        // Where the cores went: what keeps throughput under H besides the sidecar.
        "cores": cores.to_json(),
    });
    report["saturation"]["cores"]["hashing"] = json!(ok as f64 / elapsed * hash_ms / 1000.0);

    // 3: latency at half of capacity, open loop.
    let window = Duration::from_secs(options.seconds);
    // 9 as well: at half load the time in the database is its own, where at saturation
    // it would include waiting for a core the hashes hold.
    let store_before = SidecarTotals::read(&sidecar).await?;
    let mut half = open_loop(port, capacity / 2.0, window, password_logins()).await?;
    let store = SidecarTotals::read(&sidecar).await?.since(&store_before);
    report["latency"] = latency(&mut half, hash_ms)?;
    let logins = half.len() as f64;
    report["latency"]["mean_ms_by_stage"] = latency_by_stage(&report["latency"], &store, logins);
    let database_ms_per_login = store.seconds * 1000.0 / logins;
    let by_operation: serde_json::Map<String, Value> = store
        .seconds_by_operation
        .iter()
        .filter(|(_, seconds)| **seconds > 0.0)
        .map(|(operation, seconds)| (operation.clone(), json!(seconds * 1000.0 / logins)))
        .collect();
    report["writes"] = json!({
        "writes_per_login": store.request_writes / logins,
        "database_ms_per_login": database_ms_per_login,
        "database_share_of_hash": database_ms_per_login / hash_ms,
        "database_ms_per_login_by_operation": by_operation,
    });

    // 4, 5: twice capacity offered; meanwhile, the other endpoints' latency.
    let token = access_token(&sidecar).await?;
    let probes = tokio::spawn(probe_other_endpoints(port, token.clone(), window));
    let sampler = RssSampler::start(&sidecar);
    let overload = open_loop(port, capacity * 2.0, window, password_logins()).await?;
    let peak_overload_rss = sampler.stop(&sidecar).await;
    let probes = probes.await??;
    let recovery = open_loop(
        port,
        capacity / 2.0,
        Duration::from_secs(15),
        password_logins(),
    )
    .await?;
    // What a burst leaves behind once the load is gone, a trim interval later.
    tokio::time::sleep(SETTLE_AFTER_LOAD).await;
    let settled_rss = sidecar.rss_kib();
    report["overload"] = overload_report(&overload, &recovery, capacity, hash_ms, window);
    report["isolation"] = probes;
    report["footprint"] = json!({
        "ready_ms": ready_ms,
        "idle_rss_mib": idle_rss as f64 / 1024.0,
        "peak_rss_saturated_mib": peak_rss as f64 / 1024.0,
        "peak_rss_overload_mib": peak_overload_rss as f64 / 1024.0,
        "settled_rss_mib": settled_rss as f64 / 1024.0,
        "settle_seconds": SETTLE_AFTER_LOAD.as_secs(),
        "idle_cpu_ms": idle_cpu_ms, "idle_seconds": options.idle_seconds,
    });
    sidecar.stop();

    // 6: everything but the hash, on a tenant whose hash is one round.
    let cheap_url = fresh_database(dir.path(), options.setup.postgres.as_deref(), "cheap").await?;
    let cheap = Sidecar::start(
        binary,
        dir.path(),
        tenant_config(&cheap_url, "salted-pbkdf2-hmac-sha256", 1),
    )
    .await?;
    seed_users(&cheap).await?;
    report["without_hash"] = without_hash(&cheap, options.concurrency_without_hash, window).await?;
    cheap.stop();

    report["signing"] = signing(dir.path(), hash_ms)?;
    report["hash_ms_at_end"] = time_hash(&options.setup.scheme, options.setup.factor, 1)?.into();
    Ok(report)
}

/// The base configuration with the tenant's hashing setting, and Shop issuing and
/// accepting refresh tokens so that a login's tokens can feed the refresh path.
pub fn tenant_config(database_url: &str, scheme: &str, factor: u32) -> Value {
    let mut config = base_config(database_url);
    let tenant = &mut config["tenants"][0];
    tenant["passwordEncryptionConfiguration"] =
        json!({"encryptionScheme": scheme, "encryptionSchemeFactor": factor});
    tenant["applications"][0]["loginConfiguration"] =
        json!({"generateRefreshTokens": true, "allowTokenRefresh": true});
    config
}

/// The median of 21 hashes with the sidecar's hashing code on each of `threads` threads
/// hashing at once.
fn time_hash(scheme: &str, factor: u32, threads: usize) -> anyhow::Result<f64> {
    let scheme = Scheme::from_name(scheme).with_context(|| format!("unknown scheme {scheme}"))?;
    let salt = "c2FsdHNhbHRzYWx0c2FsdA==";
    let hashes = || -> anyhow::Result<Vec<f64>> {
        let mut times = Vec::new();
        for _ in 0..21 {
            let started = Instant::now();
            PasswordHash::with_salt(PASSWORD, scheme, factor, salt)?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        Ok(times)
    };
    let per_thread = std::thread::scope(|scope| {
        let running: Vec<_> = (0..threads).map(|_| scope.spawn(hashes)).collect();
        running
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .map_err(|_| anyhow::anyhow!("a hash panicked"))?
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    Ok(percentile(&mut per_thread.concat(), 0.5))
}

/// Registers [`USERS`] users with [`PASSWORD`] in Shop.
pub async fn seed_users(sidecar: &Sidecar) -> anyhow::Result<()> {
    for user in 0..USERS {
        let (status, body) = sidecar
            .request(
                "POST",
                "/api/user/registration",
                Some(&json!({
                    "user": {"email": format!("user{user}@bench.test"), "password": PASSWORD},
                    "registration": {"applicationId": SHOP},
                })),
            )
            .await?;
        if status != 200 {
            bail!(
                "registering a user answered {status}: {}",
                String::from_utf8_lossy(&body)
            );
        }
    }
    Ok(())
}

/// Password logins to Shop, rotating over the seeded users.
pub fn password_logins() -> Arc<dyn Fn(usize) -> Request + Send + Sync> {
    Arc::new(|i| {
        Request {
        method: "POST",
        path: "/api/login".into(),
        authorization: Some(API_KEY.into()),
        body: Some(
            json!({"loginId": format!("user{}@bench.test", i % USERS), "password": PASSWORD, "applicationId": SHOP})
                .to_string(),
        ),
    }
    })
}

/// A login's access and refresh tokens, for the paths that take them.
async fn login_tokens(sidecar: &Sidecar) -> anyhow::Result<(String, String)> {
    let (status, body) = sidecar
        .request(
            "POST",
            "/api/login",
            Some(&json!({"loginId": "user0@bench.test", "password": PASSWORD, "applicationId": SHOP})),
        )
        .await?;
    let body: Value = serde_json::from_slice(&body)?;
    match (
        status,
        body["token"].as_str(),
        body["refreshToken"].as_str(),
    ) {
        (200, Some(token), Some(refresh)) => Ok((token.to_owned(), refresh.to_owned())),
        _ => bail!("login for tokens answered {status}: {body}"),
    }
}

async fn access_token(sidecar: &Sidecar) -> anyhow::Result<String> {
    Ok(login_tokens(sidecar).await?.0)
}

fn successes(outcomes: &[Outcome]) -> anyhow::Result<usize> {
    let failed = outcomes.iter().filter(|o| o.status != 200).count();
    if failed > 0 {
        bail!("{failed} of {} requests failed", outcomes.len());
    }
    Ok(outcomes.len())
}

fn latency(outcomes: &mut [(f64, Outcome)], hash_ms: f64) -> anyhow::Result<Value> {
    let all: Vec<Outcome> = outcomes.iter().map(|(_, o)| *o).collect();
    successes(&all)?;
    let mut millis: Vec<f64> = all.iter().map(|o| o.millis).collect();
    let mean_ms = millis.iter().sum::<f64>() / millis.len().max(1) as f64;
    Ok(json!({
        "requests": millis.len(),
        "mean_ms": mean_ms,
        "p50_ms": percentile(&mut millis, 0.5), "p50_target_ms": hash_ms + 1.0,
        "p99_ms": percentile(&mut millis, 0.99), "p99_target_ms": 3.0 * hash_ms + 5.0,
    }))
}

/// Accepted throughput and the fate of the excess at twice capacity, then how long after
/// the load dropped a one-second window's p99 was back within item 3's target.
fn overload_report(
    overload: &[(f64, Outcome)],
    recovery: &[(f64, Outcome)],
    capacity: f64,
    hash_ms: f64,
    window: Duration,
) -> Value {
    let accepted = overload.iter().filter(|(_, o)| o.status == 200).count();
    // Answers still arriving after the offered window count over the time they took.
    let last_answer = overload
        .iter()
        .map(|(due, o)| due + o.millis / 1000.0)
        .fold(window.as_secs_f64(), f64::max);
    let mut rejected: Vec<f64> = overload
        .iter()
        .filter(|(_, o)| o.status == 503)
        .map(|(_, o)| o.millis)
        .collect();
    let other = overload.len() - accepted - rejected.len();
    let mut accepted_ms: Vec<f64> = overload
        .iter()
        .filter(|(_, o)| o.status == 200)
        .map(|(_, o)| o.millis)
        .collect();
    let target = 3.0 * hash_ms + 5.0;
    let recovered_after = (0..15).find_map(|second| {
        let mut window: Vec<f64> = recovery
            .iter()
            .filter(|(at, _)| at.floor() as usize == second)
            .map(|(_, o)| {
                if o.status == 200 {
                    o.millis
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        (!window.is_empty() && percentile(&mut window, 0.99) <= target).then_some(second + 1)
    });
    json!({
        "offered_per_second": capacity * 2.0,
        "accepted_per_second": accepted as f64 / last_answer,
        "accepted_ratio_to_capacity": accepted as f64 / last_answer / capacity,
        "accepted_p99_ms": percentile(&mut accepted_ms, 0.99),
        "rejected_503": rejected.len(),
        "rejected_p99_ms": percentile(&mut rejected, 0.99),
        "other_failures": other,
        "recovered_within_s": recovered_after,
    })
}

/// `/readyz`, `/api/jwt/validate` and a login-record search, one after another, while
/// the logins saturate the hashing threads.
async fn probe_other_endpoints(
    port: u16,
    token: String,
    window: Duration,
) -> anyhow::Result<Value> {
    let probes = [
        (
            "/readyz",
            Request {
                method: "GET",
                path: "/readyz".into(),
                authorization: None,
                body: None,
            },
        ),
        (
            "/api/jwt/validate",
            Request {
                method: "GET",
                path: "/api/jwt/validate".into(),
                authorization: Some(format!("Bearer {token}")),
                body: None,
            },
        ),
        (
            "login-record search",
            Request {
                method: "GET",
                path: "/api/system/login-record/search?numberOfResults=25".into(),
                authorization: Some(API_KEY.into()),
                body: None,
            },
        ),
    ];
    let mut connection = crate::load::Connection::open(port).await?;
    let mut timings = vec![Vec::new(); probes.len()];
    let started = Instant::now();
    // Let the overload build up first.
    tokio::time::sleep(Duration::from_secs(1)).await;
    while started.elapsed() < window {
        for (i, (_, request)) in probes.iter().enumerate() {
            let sent = Instant::now();
            let (status, _) = connection.send(request).await?;
            if status != 200 {
                bail!("{} answered {status} under load", probes[i].0);
            }
            timings[i].push(sent.elapsed().as_secs_f64() * 1000.0);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(json!(probes
        .iter()
        .zip(timings.iter_mut())
        .map(|((name, _), t)| json!({"endpoint": name, "samples": t.len(), "p99_ms": percentile(t, 0.99)}))
        .collect::<Vec<_>>()))
}

/// Requests/s and p99 of each path that does not hash (and of a login at factor 1).
async fn without_hash(
    sidecar: &Sidecar,
    workers: usize,
    window: Duration,
) -> anyhow::Result<Value> {
    let (token, refresh) = login_tokens(sidecar).await?;
    let user_login = |i: usize| format!("user{}@bench.test", i % USERS);
    type Make = Arc<dyn Fn(usize) -> Request + Send + Sync>;
    let paths: Vec<(&str, Make)> = vec![
        (
            "password login, factor 1",
            Arc::new(move |i| Request {
                method: "POST",
                path: "/api/login".into(),
                authorization: Some(API_KEY.into()),
                body: Some(
                    json!({"loginId": user_login(i), "password": PASSWORD, "applicationId": SHOP})
                        .to_string(),
                ),
            }),
        ),
        ("refresh exchange", {
            let refresh = refresh.clone();
            Arc::new(move |_| Request {
                method: "POST",
                path: "/api/jwt/refresh".into(),
                authorization: None,
                body: Some(json!({"refreshToken": refresh}).to_string()),
            })
        }),
        ("login ping (JWT)", {
            let token = token.clone();
            Arc::new(move |_| Request {
                method: "PUT",
                path: "/api/login".into(),
                authorization: Some(format!("Bearer {token}")),
                body: None,
            })
        }),
        ("/api/jwt/validate", {
            let token = token.clone();
            Arc::new(move |_| Request {
                method: "GET",
                path: "/api/jwt/validate".into(),
                authorization: Some(format!("Bearer {token}")),
                body: None,
            })
        }),
        (
            "logout (token already revoked)",
            Arc::new(|_| Request {
                method: "POST",
                path: "/api/logout".into(),
                authorization: None,
                body: Some(json!({"refreshToken": "bench-revoked-token"}).to_string()),
            }),
        ),
    ];
    let mut rows = Vec::new();
    for (name, make) in paths {
        let phase = Phase::start(sidecar);
        let outcomes = closed_loop(
            sidecar.port(),
            workers,
            make,
            Arc::new(move |_, elapsed| elapsed >= window),
        )
        .await?;
        rows.push(phase.row(name, workers, &outcomes)?);
    }
    // Last, though listed first: its setup writes 8,000 users, and on PostgreSQL the
    // factor-1 login measured right after that ran at half its rate.
    rows.insert(0, two_factor_completion(sidecar, workers).await?);
    Ok(json!(rows))
}

/// Where the mean password login's time went at half capacity, in ms: its hash's wait
/// for a thread and its run there, the database on its path (the checkpoint is in the
/// background), the rest of the sidecar's handler (HTTP, JSON, signing, hand-offs
/// between threads), and outside the handler (the load generator's own delay, the
/// network, hyper reading and writing).
fn latency_by_stage(latency: &Value, totals: &SidecarTotals, logins: f64) -> Value {
    let ms = |seconds: f64| seconds * 1000.0 / logins;
    let database = totals.seconds
        - totals
            .seconds_by_operation
            .get(CHECKPOINT)
            .copied()
            .unwrap_or(0.0);
    let handler = ms(totals.login_seconds);
    let (waited, ran, database) = (
        ms(totals.hash_wait_seconds),
        ms(totals.hash_run_seconds),
        ms(database),
    );
    json!({
        "waiting_for_a_hashing_thread": waited,
        "hashing": ran,
        "database": database,
        "rest_of_the_handler": handler - waited - ran - database,
        "outside_the_handler": latency["mean_ms"].as_f64().unwrap_or(f64::NAN) - handler,
    })
}

/// The store operation that runs in the background, off every request's path.
const CHECKPOINT: &str = "checkpoint";

/// What the sidecar's histograms add up to. From
/// `authlet_store_operation_duration_seconds`: write operations on a request's path
/// (every write but the background checkpoint) and the time in all operations, the
/// checkpoint included, since it is work the logins caused; and that time by operation,
/// to show where item 9's goes. From the hasher's and the HTTP layer's: the time hashes
/// waited and ran, and the time successful password logins took in the handler.
#[derive(Debug, Default)]
struct SidecarTotals {
    request_writes: f64,
    seconds: f64,
    seconds_by_operation: BTreeMap<String, f64>,
    hash_wait_seconds: f64,
    hash_run_seconds: f64,
    login_seconds: f64,
}

impl SidecarTotals {
    async fn read(sidecar: &Sidecar) -> anyhow::Result<Self> {
        const FAMILY: &str = "authlet_store_operation_duration_seconds";
        let text = sidecar.metrics_text().await?;
        let mut totals = Self::default();
        for line in text.lines() {
            let Some((series, value)) = line.rsplit_once(' ') else {
                continue;
            };
            let value: f64 = value.parse().unwrap_or(0.0);
            match series {
                "authlet_password_hash_wait_seconds_sum" => totals.hash_wait_seconds = value,
                "authlet_password_hash_duration_seconds_sum" => totals.hash_run_seconds = value,
                "authlet_http_request_duration_seconds_sum{route=\"POST /api/login\",status=\"200\"}" => {
                    totals.login_seconds = value
                }
                _ => {}
            }
            if series.starts_with(&format!("{FAMILY}_sum{{")) {
                totals.seconds += value;
                let operation = series
                    .split_once("operation=\"")
                    .and_then(|(_, rest)| rest.split_once('"'))
                    .map_or("unlabelled", |(operation, _)| operation);
                *totals
                    .seconds_by_operation
                    .entry(operation.to_owned())
                    .or_default() += value;
            } else if series.starts_with(&format!("{FAMILY}_count{{"))
                && series.contains("access=\"Write\"")
                && !series.contains(&format!("operation=\"{CHECKPOINT}\""))
            {
                totals.request_writes += value;
            }
        }
        Ok(totals)
    }

    fn since(&self, before: &Self) -> Self {
        let mut seconds_by_operation = self.seconds_by_operation.clone();
        for (operation, seconds) in &before.seconds_by_operation {
            *seconds_by_operation.entry(operation.clone()).or_default() -= seconds;
        }
        Self {
            request_writes: self.request_writes - before.request_writes,
            seconds: self.seconds - before.seconds,
            seconds_by_operation,
            hash_wait_seconds: self.hash_wait_seconds - before.hash_wait_seconds,
            hash_run_seconds: self.hash_run_seconds - before.hash_run_seconds,
            login_seconds: self.login_seconds - before.login_seconds,
        }
    }
}

/// Users with an authenticator, one pending two-factor login each. A code is good for
/// one completion per user and 30-second step, so this path is measured over a fixed
/// number of completions rather than a time window: enough for a few seconds at
/// 3,000/s, since at 2,000 the phase lasted under a second and its rate moved by a
/// fifth between runs of one binary.
const TWO_FACTOR_USERS: usize = 8_000;
/// Base64 of the 20-byte TOTP secret every two-factor user shares.
const TOTP_SECRET: &str = "MDEyMzQ1Njc4OTAxMjM0NTY3ODk=";

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The previous 30-second step's code for `key`, taken at least [`STEP_MARGIN`] before
/// the step turns: the sidecar accepts one step of skew, so a code taken just before the
/// turn would be two steps old when it arrived, and refused.
async fn previous_step_code(key: &[u8]) -> String {
    loop {
        let now = unix_seconds();
        if now % 30 < 30 - STEP_MARGIN {
            return two_factor::code_at(key, now.saturating_sub(30));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Far longer than one enable request takes, even on a loaded machine.
const STEP_MARGIN: u64 = 2;

/// Registers `mfa{i}`, enables an authenticator with the previous step's code (so that
/// the current step is still unused), and starts a login: its `twoFactorId`.
async fn pending_two_factor_login(
    sidecar: &Sidecar,
    key: &[u8],
    i: usize,
) -> anyhow::Result<String> {
    let email = format!("mfa{i}@bench.test");
    let (status, body) = sidecar
        .request(
            "POST",
            "/api/user/registration",
            Some(&json!({
                "user": {"email": email, "password": PASSWORD},
                "registration": {"applicationId": SHOP},
            })),
        )
        .await?;
    let body: Value = serde_json::from_slice(&body)?;
    let Some(user_id) = body["user"]["id"].as_str().filter(|_| status == 200) else {
        bail!("registering a two-factor user answered {status}: {body}");
    };
    let code = previous_step_code(key).await;
    let (status, body) = sidecar
        .request(
            "POST",
            &format!("/api/user/two-factor/{user_id}"),
            Some(&json!({"method": "authenticator", "secret": TOTP_SECRET, "code": code})),
        )
        .await?;
    if status != 200 {
        bail!(
            "enabling two-factor answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    let (status, body) = sidecar
        .request(
            "POST",
            "/api/login",
            Some(&json!({"loginId": email, "password": PASSWORD, "applicationId": SHOP})),
        )
        .await?;
    let body: Value = serde_json::from_slice(&body)?;
    match (status, body["twoFactorId"].as_str()) {
        (242, Some(id)) => Ok(id.to_owned()),
        _ => bail!("a two-factor user's login answered {status}: {body}"),
    }
}

/// `/api/two-factor/login` with a current code, once per pending login.
async fn two_factor_completion(sidecar: &Sidecar, workers: usize) -> anyhow::Result<Value> {
    let key = two_factor::decode_secret(Some(TOTP_SECRET), None).context("the TOTP secret")?;
    let setups = (0..workers).map(|worker| {
        let key = &key;
        async move {
            let mut ids = Vec::new();
            for i in (worker..TWO_FACTOR_USERS).step_by(workers) {
                ids.push(pending_two_factor_login(sidecar, key, i).await?);
            }
            anyhow::Ok(ids)
        }
    });
    let ids: Arc<Vec<String>> = Arc::new(
        futures::future::try_join_all(setups)
            .await?
            .into_iter()
            .flatten()
            .collect(),
    );
    let count = ids.len();
    let phase = Phase::start(sidecar);
    let outcomes = closed_loop(
        sidecar.port(),
        workers,
        Arc::new(move |i| Request {
            method: "POST",
            path: "/api/two-factor/login".into(),
            authorization: Some(API_KEY.into()),
            body: Some(
                json!({"twoFactorId": ids[i], "code": two_factor::code_at(&key, unix_seconds())})
                    .to_string(),
            ),
        }),
        Arc::new(move |i, _| i >= count),
    )
    .await?;
    phase.row("two-factor completion", workers, &outcomes)
}

/// One closed-loop phase of a path without a hash, from its start: its wall time and the
/// machine's cores over it.
struct Phase {
    started: Instant,
    cores: CpuTimes,
    sidecar_pid: u32,
}

impl Phase {
    fn start(sidecar: &Sidecar) -> Self {
        Self {
            started: Instant::now(),
            cores: CpuTimes::now(sidecar.pid()),
            sidecar_pid: sidecar.pid(),
        }
    }

    /// The path's report: requests/s and p99 with `workers` closed-loop workers, and the
    /// cores the sidecar, the load generator, the rest of the machine (PostgreSQL's
    /// server, where it shares the cores) and nothing (idle) took meanwhile, which tells
    /// a saturated path from one its workers could not keep busy, and the sidecar's
    /// share of a saturated path from its database's.
    fn row(self, path: &str, workers: usize, outcomes: &[Outcome]) -> anyhow::Result<Value> {
        let elapsed = self.started.elapsed().as_secs_f64();
        let cores = CpuTimes::now(self.sidecar_pid).per_second_since(self.cores, elapsed);
        let ok = successes(outcomes).with_context(|| path.to_owned())?;
        let mut millis: Vec<f64> = outcomes.iter().map(|o| o.millis).collect();
        Ok(json!({
            "path": path,
            "workers": workers,
            "per_second": ok as f64 / elapsed,
            "p99_ms": percentile(&mut millis, 0.99),
            "cores": cores.to_json(),
        }))
    }
}

/// Signing one access token with the sidecar's key set, per algorithm, as a share of t_h.
fn signing(dir: &Path, hash_ms: f64) -> anyhow::Result<Value> {
    let ec = openssl_key(
        dir,
        "ec.pem",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    )?;
    let rsa = openssl_key(
        dir,
        "rsa.pem",
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    )?;
    let keys: Vec<(&str, Value)> = vec![
        (
            "HS256",
            json!({"id": uuid::Uuid::new_v4(), "algorithm": "HS256", "secret": "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="}),
        ),
        (
            "ES256",
            json!({"id": uuid::Uuid::new_v4(), "algorithm": "ES256", "privateKey": ec}),
        ),
        (
            "RS256",
            json!({"id": uuid::Uuid::new_v4(), "algorithm": "RS256", "privateKey": rsa}),
        ),
    ];
    let claims = json!({"aud": SHOP, "sub": uuid::Uuid::new_v4(), "iss": "acme.com", "exp": 4_102_444_800_u64, "roles": ["user"]});
    let mut rows = Vec::new();
    for (name, key) in keys {
        let config: SigningKeyConfig = serde_json::from_value(key.clone())?;
        let id = config.id;
        let set = authlet_sidecar::keys::KeySet::load(&[config])?;
        let mut times = Vec::new();
        for _ in 0..200 {
            let started = Instant::now();
            set.sign(id, &claims)?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        let median = percentile(&mut times, 0.5);
        rows.push(json!({"algorithm": name, "sign_ms": median, "share_of_hash": median / hash_ms}));
    }
    Ok(json!(rows))
}

fn openssl_key(dir: &Path, name: &str, args: &[&str]) -> anyhow::Result<String> {
    let path = dir.join(name);
    let status = std::process::Command::new("openssl")
        .arg("genpkey")
        .args(args)
        .arg("-out")
        .arg(&path)
        .stderr(std::process::Stdio::null())
        .status()
        .context("openssl genpkey")?;
    if !status.success() {
        bail!("openssl genpkey failed");
    }
    Ok(std::fs::read_to_string(path)?)
}

/// Samples the sidecar's RSS every 50 ms until stopped; returns the peak in KiB.
struct RssSampler {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<u64>,
}

impl RssSampler {
    fn start(sidecar: &Sidecar) -> Self {
        let status = format!("/proc/{}/status", sidecar.pid());
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let mut peak = 0;
            loop {
                peak = peak.max(crate::sidecar::rss_kib_of(&status));
                tokio::select! {
                    _ = &mut stopped => break peak,
                    () = tokio::time::sleep(Duration::from_millis(50)) => {}
                }
            }
        });
        Self { stop, task }
    }

    async fn stop(self, sidecar: &Sidecar) -> u64 {
        let _ = self.stop.send(());
        self.task.await.unwrap_or(0).max(sidecar.rss_kib())
    }
}

/// Figures to two decimals, between slashes, for a row that gives several at once.
fn slashed<const N: usize>(values: [f64; N]) -> String {
    values.map(|value| format!("{value:.2}")).join(" / ")
}

/// The report as Markdown, each figure beside its target.
pub fn markdown(report: &Value) -> String {
    let n = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let h = n(&report["hash_ms"]);
    let h_every_core = n(&report["hash_ms_on_every_core"]);
    let h_at_end = n(&report["hash_ms_at_end"]);
    let cap = n(&report["capacity_per_second"]);
    let s = &report["saturation"];
    let l = &report["latency"];
    let o = &report["overload"];
    let f = &report["footprint"];
    let mut md = format!(
        "## login ({} backend, {} factor {}, {} cores)\n\nt_h = {h:.2} ms (one hash, this run), H = cores / t_h = {cap:.0} logins/s. Not targets: a hash took {h_every_core:.2} ms with one on every core at once, and {h_at_end:.2} ms alone again at the run's end.\n\n| # | figure | measured | target |\n|---|---|---|---|\n",
        report["backend"].as_str().unwrap_or("?"),
        report["scheme"].as_str().unwrap_or("?"),
        report["factor"],
        report["cores"],
    );
    let mut row = |item: &str, figure: &str, measured: String, target: String| {
        md.push_str(&format!("| {item} | {figure} | {measured} | {target} |\n"));
    };
    row(
        "1",
        "CPU per password login",
        format!("{:.2} ms", n(&s["cpu_per_login_ms"])),
        format!("≤ {:.2} ms", n(&s["cpu_target_ms"])),
    );
    let by_thread = s["cpu_per_login_ms_by_thread"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, ms)| format!("{name} {:.2}", n(ms)))
        .collect::<Vec<_>>()
        .join(", ");
    row(
        "1",
        "of which, ms per login by sidecar thread",
        by_thread,
        "—".into(),
    );
    row(
        "2",
        "throughput at saturation",
        format!(
            "{:.0}/s = {:.2}·H",
            n(&s["per_second"]),
            n(&s["ratio_to_capacity"])
        ),
        "≥ 0.8·H".into(),
    );
    let c = &s["cores"];
    row(
        "2",
        "cores at saturation: hashing / sidecar (all) / load generator / rest / idle",
        slashed(["hashing", "sidecar", "load", "rest", "idle"].map(|key| n(&c[key]))),
        "—".into(),
    );
    row(
        "3",
        "p50 at 0.5·H, open loop",
        format!("{:.2} ms", n(&l["p50_ms"])),
        format!("≤ {:.2} ms", n(&l["p50_target_ms"])),
    );
    row(
        "3",
        "p99 at 0.5·H, open loop",
        format!("{:.2} ms", n(&l["p99_ms"])),
        format!("≤ {:.2} ms", n(&l["p99_target_ms"])),
    );
    let stage = &l["mean_ms_by_stage"];
    row(
        "3",
        "of which, mean ms: waiting for a hashing thread / hashing / database / rest of the handler / outside it",
        format!(
            "{:.2} = {}",
            n(&l["mean_ms"]),
            slashed(
                [
                    "waiting_for_a_hashing_thread",
                    "hashing",
                    "database",
                    "rest_of_the_handler",
                    "outside_the_handler",
                ]
                .map(|key| n(&stage[key]))
            )
        ),
        "—".into(),
    );
    for probe in report["isolation"].as_array().into_iter().flatten() {
        row(
            "4",
            &format!(
                "p99 of {} at 2·H offered",
                probe["endpoint"].as_str().unwrap_or("?")
            ),
            format!("{:.2} ms", n(&probe["p99_ms"])),
            "≤ 20 ms".into(),
        );
    }
    row(
        "5",
        "accepted at 2·H offered",
        format!(
            "{:.0}/s = {:.2}·H",
            n(&o["accepted_per_second"]),
            n(&o["accepted_ratio_to_capacity"])
        ),
        "≥ 0.7·H".into(),
    );
    row(
        "5",
        "excess answered 503 (p99)",
        format!("{} ({:.2} ms)", o["rejected_503"], n(&o["rejected_p99_ms"])),
        "fast 503s, not a queue".into(),
    );
    row(
        "5",
        "accepted p99 under overload",
        format!("{:.0} ms", n(&o["accepted_p99_ms"])),
        "bounded".into(),
    );
    row(
        "5",
        "back to item-3 p99 after the load drops",
        format!("{} s", o["recovered_within_s"]),
        "≤ 10 s".into(),
    );
    for path in report["without_hash"].as_array().into_iter().flatten() {
        let cores = ["sidecar", "load", "rest", "idle"].map(|key| n(&path["cores"][key]));
        row(
            "6",
            path["path"].as_str().unwrap_or("?"),
            format!(
                "{:.0}/s, p99 {:.2} ms ({} workers; cores, sidecar / load generator / rest / \
                 idle: {})",
                n(&path["per_second"]),
                n(&path["p99_ms"]),
                n(&path["workers"]),
                slashed(cores)
            ),
            "≥ 3,000/s".into(),
        );
    }
    for key in report["signing"].as_array().into_iter().flatten() {
        row(
            "7",
            &format!("signing {}", key["algorithm"].as_str().unwrap_or("?")),
            format!(
                "{:.3} ms = {:.1} % of t_h",
                n(&key["sign_ms"]),
                100.0 * n(&key["share_of_hash"])
            ),
            "≤ 10 %".into(),
        );
    }
    row(
        "8",
        "idle RSS after start",
        format!("{:.1} MiB", n(&f["idle_rss_mib"])),
        "≤ 15 MiB".into(),
    );
    row(
        "8",
        "peak RSS, saturated / overload",
        format!(
            "{:.1} / {:.1} MiB",
            n(&f["peak_rss_saturated_mib"]),
            n(&f["peak_rss_overload_mib"])
        ),
        format!("≤ {:.1} MiB", n(&f["idle_rss_mib"]) + 32.0),
    );
    row(
        "8",
        &format!(
            "RSS idle again, {} s after the last load",
            f["settle_seconds"]
        ),
        format!("{:.1} MiB", n(&f["settled_rss_mib"])),
        "—".into(),
    );
    row(
        "8",
        "exec to /readyz, existing database",
        format!("{:.1} ms", n(&f["ready_ms"])),
        "≤ 100 ms".into(),
    );
    row(
        "8",
        "binary size (stripped)",
        format!("{:.1} MiB", n(&report["binary_bytes"]) / 1048576.0),
        "—".into(),
    );
    row(
        "8",
        &format!("CPU while idle for {} s", f["idle_seconds"]),
        format!("{:.0} ms", n(&f["idle_cpu_ms"])),
        "≈ 0".into(),
    );
    let w = &report["writes"];
    row(
        "9",
        "database writes per password login",
        format!("{:.2}", n(&w["writes_per_login"])),
        "≤ 3".into(),
    );
    row(
        "9",
        "database time per password login",
        format!(
            "{:.3} ms = {:.1} % of t_h",
            n(&w["database_ms_per_login"]),
            100.0 * n(&w["database_share_of_hash"])
        ),
        "≤ 25 %".into(),
    );
    if let Some(by_operation) = w["database_ms_per_login_by_operation"].as_object() {
        let shares: Vec<String> = by_operation
            .iter()
            .map(|(operation, ms)| format!("{operation} {:.3}", n(ms)))
            .collect();
        row(
            "9",
            "of which, ms per login by store operation",
            shares.join(", "),
            "—".into(),
        );
    }
    md
}
