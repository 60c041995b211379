//! `records`: login history at scale — search latency, export throughput and memory, and
//! login latency while retention deletes a million rows (issue #3's figures), or a
//! hundred thousand expired refresh tokens.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::bail;
use serde_json::{json, Value};

use crate::sidecar::{base_config, percentile, time_requests, Sidecar, ADMIN, SHOP, TENANT};

const DAY_MS: i64 = 86_400_000;
const USERS: i64 = 10_000;
const SEARCH: &str = "/api/system/login-record/search";
/// The retention counter the sidecar exports; it moves batch by batch.
const EXPIRED_METRIC: &str = "authlet_login_records_expired_total";
/// The same for refresh tokens.
const EXPIRED_TOKENS_METRIC: &str = "authlet_refresh_tokens_expired_total";
/// The tenant's default refresh-token lifetime, which the benchmark's config keeps.
const REFRESH_TOKEN_LIFETIME_MS: i64 = 30 * DAY_MS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Phase {
    Search,
    Export,
    Retention,
    /// Retention of refresh tokens past their lifetime.
    Tokens,
}

#[derive(Debug, clap::Args)]
pub struct Options {
    /// Records seeded for search, the first export and retention.
    #[arg(long, default_value_t = 1_000_000)]
    pub records: i64,
    /// Requests per search scenario, and idle logins for retention's baseline.
    #[arg(long, default_value_t = 200)]
    pub samples: usize,
    /// Refresh tokens seeded for the tokens phase; half of them expired.
    #[arg(long, default_value_t = 200_000)]
    pub tokens: i64,
    /// Run on this PostgreSQL server (fresh databases are created) instead of SQLite.
    #[arg(long)]
    pub postgres: Option<String>,
    /// The phases to run.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "search,export,retention,tokens"
    )]
    pub phases: Vec<Phase>,
}

pub async fn run(binary: &Path, options: &Options) -> anyhow::Result<Value> {
    let dir = tempfile::tempdir()?;
    let now = now_millis()?;
    let backend = if options.postgres.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let mut report = json!({ "backend": backend, "records": options.records });
    let phase = |wanted| options.phases.contains(&wanted);

    if phase(Phase::Search) || phase(Phase::Export) {
        let database_url =
            fresh_database(dir.path(), options.postgres.as_deref(), "history").await?;
        migrate(binary, dir.path(), &database_url).await?;
        seed(&database_url, options.records, now).await?;
        let sidecar = Sidecar::start(binary, dir.path(), base_config(&database_url)).await?;
        if phase(Phase::Search) {
            report["search"] = search(&sidecar, options.samples, now).await?;
        }
        if phase(Phase::Export) {
            let mut exports = vec![export(&sidecar, options.records).await?];
            sidecar.stop();
            seed(&database_url, options.records, now).await?;
            let sidecar = Sidecar::start(binary, dir.path(), base_config(&database_url)).await?;
            exports.push(export(&sidecar, 2 * options.records).await?);
            sidecar.stop();
            report["export"] = json!(exports);
        } else {
            sidecar.stop();
        }
    }
    if phase(Phase::Retention) {
        report["retention"] = retention(binary, dir.path(), options, now).await?;
    }
    if phase(Phase::Tokens) {
        report["tokens"] = token_retention(binary, dir.path(), options, now).await?;
    }
    Ok(report)
}

/// First-page search latency for a user filter, an application + 30-day filter and no
/// filter, each with and without `retrieveTotal`.
async fn search(sidecar: &Sidecar, samples: usize, now: i64) -> anyhow::Result<Value> {
    let user = "00000000-0000-4000-8000-000000000042";
    let scenarios = [
        ("user", json!({"userId": user})),
        (
            "application + 30 days",
            json!({"applicationId": SHOP, "start": now - 30 * DAY_MS, "end": now}),
        ),
        ("none", json!({})),
    ];
    let mut rows = Vec::new();
    for (name, criteria) in &scenarios {
        for total in [false, true] {
            let body = json!({"search": criteria, "retrieveTotal": total});
            time_requests(sidecar, "POST", SEARCH, Some(&body), 5).await?;
            let mut timings = time_requests(sidecar, "POST", SEARCH, Some(&body), samples).await?;
            rows.push(json!({
                "filter": name, "retrieveTotal": total,
                "p50_ms": percentile(&mut timings, 0.5), "p95_ms": percentile(&mut timings, 0.95),
            }));
        }
    }
    Ok(json!(rows))
}

/// Downloads an unfiltered export, sampling the sidecar's RSS meanwhile.
async fn export(sidecar: &Sidecar, rows: i64) -> anyhow::Result<Value> {
    let before = sidecar.rss_kib();
    let started = Instant::now();
    let download = sidecar.request("GET", "/api/system/login-record/export?zoneId=UTC", None);
    tokio::pin!(download);
    let mut peak = before;
    let (status, bytes) = loop {
        tokio::select! {
            result = &mut download => break result?,
            () = tokio::time::sleep(Duration::from_millis(20)) => peak = peak.max(sidecar.rss_kib()),
        }
    };
    if status != 200 {
        bail!("export answered {status}");
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(json!({
        "rows": rows,
        "seconds": seconds,
        "rows_per_second": rows as f64 / seconds,
        "zip_bytes": bytes.len(),
        "rss_growth_mib": (peak.saturating_sub(before)) as f64 / 1024.0,
    }))
}

/// Login latency idle, then while retention deletes every seeded record older than a
/// day, then — the control — under the same protocol on the same amount of data without
/// retention, so that the ratio measures retention alone and not a cold process.
///
/// The protocol: logins in rounds of 20, each round followed by one read of the
/// sidecar's retention counter (cheap, unlike counting the remaining rows, which would
/// itself compete with the logins).
async fn retention(
    binary: &Path,
    dir: &Path,
    options: &Options,
    now: i64,
) -> anyhow::Result<Value> {
    let database_url = fresh_database(dir, options.postgres.as_deref(), "retention").await?;
    migrate(binary, dir, &database_url).await?;
    seed(&database_url, options.records, now).await?;
    let expired = count_before(&database_url, now - DAY_MS).await?;

    let sidecar = Sidecar::start(binary, dir, base_config(&database_url)).await?;
    let login = bench_user(&sidecar).await?;
    time_requests(&sidecar, "POST", "/api/login", Some(&login), 20).await?;
    let mut idle = time_requests(
        &sidecar,
        "POST",
        "/api/login",
        Some(&login),
        options.samples,
    )
    .await?;
    sidecar.stop();

    let mut with_retention = base_config(&database_url);
    with_retention["tenants"][0]["loginRecordConfiguration"] =
        json!({"delete": {"enabled": true, "numberOfDaysToRetain": 1}});
    let sidecar = Sidecar::start(binary, dir, with_retention).await?;
    let started = Instant::now();
    let mut during = Vec::new();
    let mut rounds = 0;
    let deleted = loop {
        during.extend(time_requests(&sidecar, "POST", "/api/login", Some(&login), 20).await?);
        rounds += 1;
        let deleted = sidecar.metric(EXPIRED_METRIC).await?;
        if deleted >= expired as f64 || started.elapsed() > Duration::from_secs(900) {
            break deleted;
        }
    };
    let sweep_seconds = started.elapsed().as_secs_f64();
    sidecar.stop();

    seed(&database_url, options.records, now).await?;
    let sidecar = Sidecar::start(binary, dir, base_config(&database_url)).await?;
    let mut control = Vec::new();
    for _ in 0..rounds {
        control.extend(time_requests(&sidecar, "POST", "/api/login", Some(&login), 20).await?);
        sidecar.metric(EXPIRED_METRIC).await?;
    }
    sidecar.stop();
    Ok(json!({
        "expired_records": expired,
        "deleted_records": deleted,
        "sweep_seconds": sweep_seconds,
        "idle_login_p99_ms": percentile(&mut idle, 0.99),
        "control_login_p99_ms": percentile(&mut control, 0.99),
        "during_retention_login_p99_ms": percentile(&mut during, 0.99),
        "control_login_p50_ms": percentile(&mut control, 0.5),
        "during_retention_login_p50_ms": percentile(&mut during, 0.5),
        "logins_during_retention": during.len(),
    }))
}

/// Login latency while retention deletes the expired half of `--tokens` refresh tokens,
/// then — the control — under the same protocol on as many tokens, none expired (the
/// sweep runs for every tenant, and finds nothing there). The protocol is retention's:
/// logins in rounds of 20, each followed by one read of the sidecar's counter.
async fn token_retention(
    binary: &Path,
    dir: &Path,
    options: &Options,
    now: i64,
) -> anyhow::Result<Value> {
    let expired = (options.tokens + 1) / 2;
    let mut timings = Vec::new();
    let mut rounds = 0;
    let mut sweep = (0.0, 0.0);
    for (with_expired, name) in [(true, "tokens_half_expired"), (false, "tokens_live")] {
        let database_url = fresh_database(dir, options.postgres.as_deref(), name).await?;
        migrate(binary, dir, &database_url).await?;
        seed_refresh_tokens(&database_url, options.tokens, now, with_expired).await?;
        // Retention sweeps once at start: the clock starts with the process.
        let started = Instant::now();
        let sidecar = Sidecar::start(binary, dir, base_config(&database_url)).await?;
        let login = bench_user(&sidecar).await?;
        let mut logins = Vec::new();
        let mut round = 0;
        loop {
            logins.extend(time_requests(&sidecar, "POST", "/api/login", Some(&login), 20).await?);
            round += 1;
            let deleted = sidecar.metric(EXPIRED_TOKENS_METRIC).await?;
            let done = if with_expired {
                deleted >= expired as f64 || started.elapsed() > Duration::from_secs(900)
            } else {
                round >= rounds
            };
            if done {
                if with_expired {
                    sweep = (deleted, started.elapsed().as_secs_f64());
                    rounds = round;
                }
                break;
            }
        }
        sidecar.stop();
        timings.push(logins);
    }
    let [during, control] = &mut timings[..] else {
        bail!("two runs of the tokens phase");
    };
    Ok(json!({
        "tokens": options.tokens,
        "expired_tokens": expired,
        "deleted_tokens": sweep.0.round() as i64,
        "sweep_seconds": sweep.1,
        "control_login_p99_ms": percentile(control, 0.99),
        "during_retention_login_p99_ms": percentile(during, 0.99),
        "control_login_p50_ms": percentile(control, 0.5),
        "during_retention_login_p50_ms": percentile(during, 0.5),
        "logins_during_retention": during.len(),
    }))
}

/// Creates the user whose logins the retention phases time, registered for the shop;
/// returns the body of its login.
async fn bench_user(sidecar: &Sidecar) -> anyhow::Result<Value> {
    sidecar
        .request(
            "POST",
            "/api/user/registration",
            Some(&json!({
                "user": {"email": "bench@bench.test", "password": "bench-password-1"},
                "registration": {"applicationId": SHOP}
            })),
        )
        .await?;
    Ok(
        json!({"loginId": "bench@bench.test", "password": "bench-password-1", "applicationId": SHOP}),
    )
}

fn now_millis() -> anyhow::Result<i64> {
    Ok(i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis(),
    )?)
}

/// A new SQLite file in `dir`, or a new database on the PostgreSQL server.
pub async fn fresh_database(
    dir: &Path,
    postgres: Option<&str>,
    name: &str,
) -> anyhow::Result<String> {
    let Some(server) = postgres else {
        return Ok(format!(
            "sqlite://{}",
            dir.join(format!("{name}.db")).display()
        ));
    };
    let database = format!("authlet_bench_{name}_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(server)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {database}"))
        .execute(&admin)
        .await?;
    let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
    Ok(format!("{base}/{database}"))
}

/// Drops the databases [`fresh_database`] made on `server`: called when a run starts
/// (what an interrupted run left) and when it ends, so that a benchmark run against
/// someone's server leaves nothing behind (a `records` run's history is gigabytes). A
/// database still in use (another run's, or a sidecar that has not exited within the
/// five seconds PostgreSQL waits) is left and said so.
pub async fn drop_scratch_databases(server: &str) -> anyhow::Result<()> {
    let admin = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(server)
        .await?;
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'authlet\\_bench\\_%'",
    )
    .fetch_all(&admin)
    .await?;
    for (name,) in names {
        if let Err(error) = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\""))
            .execute(&admin)
            .await
        {
            eprintln!("left the benchmark's database {name}: {error}");
        }
    }
    Ok(())
}

/// The sidecar creates its schema on start; the seed needs it first.
async fn migrate(binary: &Path, dir: &Path, database_url: &str) -> anyhow::Result<()> {
    Sidecar::start(binary, dir, base_config(database_url))
        .await?
        .stop();
    Ok(())
}

async fn connect(database_url: &str) -> anyhow::Result<sqlx::AnyPool> {
    let url = if database_url.starts_with("sqlite:") {
        format!("{database_url}?mode=rwc")
    } else {
        database_url.to_owned()
    };
    Ok(sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await?)
}

async fn count_before(database_url: &str, cutoff: i64) -> anyhow::Result<i64> {
    let pool = connect(database_url).await?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_records WHERE instant < $1")
        .bind(cutoff)
        .fetch_one(&pool)
        .await?;
    Ok(count)
}

/// Inserts `count` rows into the table of `insert` (`INSERT INTO t (columns) VALUES `),
/// row `n` being `values(n)`: 500 rows a statement, 40 statements a transaction.
async fn insert_rows(
    pool: &sqlx::AnyPool,
    insert: &str,
    count: i64,
    values: impl Fn(i64) -> String,
) -> anyhow::Result<()> {
    const ROWS_PER_STATEMENT: i64 = 500;
    let mut inserted = 0;
    while inserted < count {
        let mut tx = pool.begin().await?;
        for _ in 0..40 {
            let rows = ROWS_PER_STATEMENT.min(count - inserted);
            if rows == 0 {
                break;
            }
            let rows_sql: Vec<String> = (inserted..inserted + rows).map(&values).collect();
            sqlx::query(&format!("{insert}{}", rows_sql.join(",")))
                .execute(&mut *tx)
                .await?;
            inserted += rows;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Inserts 1,000 users and `count` refresh tokens of theirs for the shop, issued a day
/// before `now`, or with `half_expired` every other one a day past its lifetime.
async fn seed_refresh_tokens(
    database_url: &str,
    count: i64,
    now: i64,
    half_expired: bool,
) -> anyhow::Result<()> {
    const OWNERS: i64 = 1_000;
    let pool = connect(database_url).await?;
    insert_rows(
        &pool,
        "INSERT INTO users (id, tenant_id, active, verified, insert_instant, last_update_instant) VALUES ",
        OWNERS,
        |user| format!("('00000000-0000-4000-8000-{user:012}','{TENANT}',1,1,{now},{now})"),
    )
    .await?;
    insert_rows(
        &pool,
        "INSERT INTO refresh_tokens (id, token_hash, user_id, application_id, tenant_id, insert_instant, last_used_instant, auth_time) VALUES ",
        count,
        |n| {
            let issued = if half_expired && n % 2 == 0 {
                now - REFRESH_TOKEN_LIFETIME_MS - DAY_MS - n
            } else {
                now - DAY_MS - n
            };
            format!(
                "('00000000-0000-4000-9000-{n:012}','{n:064x}','00000000-0000-4000-8000-{:012}','{SHOP}','{TENANT}',{issued},{issued},{})",
                n % OWNERS,
                issued / 1000
            )
        },
    )
    .await?;
    if database_url.starts_with("postgres") {
        sqlx::query("VACUUM ANALYZE refresh_tokens")
            .execute(&pool)
            .await?;
    }
    Ok(())
}

/// Inserts `count` records spread over the year before `now`, across `USERS` users and
/// two applications, in large multi-row statements.
async fn seed(database_url: &str, count: i64, now: i64) -> anyhow::Result<()> {
    let started = Instant::now();
    let pool = connect(database_url).await?;
    insert_rows(
        &pool,
        "INSERT INTO login_records (tenant_id, user_id, application_id, application_name, login_id, instant, ip_address) VALUES ",
        count,
        |n| {
            let user = n % USERS;
            let (app, name) = if n % 3 == 0 {
                (ADMIN, "Admin")
            } else {
                (SHOP, "Shop")
            };
            let instant = now - (n * 7_919 % (365 * DAY_MS / 1000)) * 1000;
            format!(
                "('{TENANT}','00000000-0000-4000-8000-{user:012}','{app}','{name}','user{user}@bench.test',{instant},'198.51.100.{}')",
                n % 250
            )
        },
    )
    .await?;
    // Fresh statistics, as a database that has lived with its data would have.
    if database_url.starts_with("postgres") {
        sqlx::query("VACUUM ANALYZE login_records")
            .execute(&pool)
            .await?;
    } else {
        sqlx::query("ANALYZE").execute(&pool).await?;
    }
    eprintln!(
        "seeded {count} records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The report as Markdown: one table per phase that ran.
pub fn markdown(report: &Value) -> String {
    let mut md = format!(
        "## records ({} backend, {} records)\n",
        report["backend"].as_str().unwrap_or("?"),
        report["records"]
    );
    let number = |value: &Value| value.as_f64().unwrap_or(f64::NAN);
    if let Some(rows) = report["search"].as_array() {
        md.push_str(
            "\n| search filter | retrieveTotal | p50 ms | p95 ms | target p95 |\n|---|---|---|---|---|\n",
        );
        for row in rows {
            let target = if row["filter"] == "none" {
                "≤ 25"
            } else {
                "≤ 5"
            };
            md.push_str(&format!(
                "| {} | {} | {:.2} | {:.2} | {target} |\n",
                row["filter"].as_str().unwrap_or(""),
                row["retrieveTotal"],
                number(&row["p50_ms"]),
                number(&row["p95_ms"]),
            ));
        }
    }
    if let Some(rows) = report["export"].as_array() {
        md.push_str("\n| export rows | rows/s (target ≥ 100,000) | RSS growth MiB (target ≤ 32, flat) |\n|---|---|---|\n");
        for row in rows {
            md.push_str(&format!(
                "| {} | {:.0} | {:.1} |\n",
                row["rows"],
                number(&row["rows_per_second"]),
                number(&row["rss_growth_mib"]),
            ));
        }
    }
    let retention = &report["retention"];
    if retention.is_object() {
        let control = number(&retention["control_login_p99_ms"]);
        let during = number(&retention["during_retention_login_p99_ms"]);
        md.push_str(&format!(
            "\n| login p99 ms: steady idle | same protocol, no retention | during retention | ratio (target ≤ 1.5) | rows deleted | sweep s |\n|---|---|---|---|---|---|\n| {:.2} | {control:.2} | {during:.2} | {:.2} | {} | {:.0} |\n",
            number(&retention["idle_login_p99_ms"]),
            during / control,
            retention["deleted_records"],
            number(&retention["sweep_seconds"]),
        ));
    }
    let tokens = &report["tokens"];
    if tokens.is_object() {
        let control = number(&tokens["control_login_p99_ms"]);
        let during = number(&tokens["during_retention_login_p99_ms"]);
        md.push_str(&format!(
            "\n| login p99 ms: {} tokens, none expired | half expired, during retention | ratio | tokens deleted | sweep s |\n|---|---|---|---|---|\n| {control:.2} | {during:.2} | {:.2} | {} | {:.0} |\n",
            tokens["tokens"],
            during / control,
            tokens["deleted_tokens"],
            number(&tokens["sweep_seconds"]),
        ));
    }
    md
}
