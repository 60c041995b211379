//! `authlet-bench`: measures the release sidecar from outside, as a user would, and writes
//! a Markdown table and a JSON file. Benchmarks are not tests: nothing here fails CI, and
//! figures are reported with the targets they are read against.
//!
//! `records`: login history at scale — search latency, export throughput and memory, and
//! login latency while retention deletes a million rows.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use serde_json::{json, Value};
use tokio::net::TcpStream;

const API_KEY: &str = "bench-api-key-0123456789abcdef";
const TENANT: &str = "6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const SHOP: &str = "3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const ADMIN: &str = "4d328a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const DAY_MS: i64 = 86_400_000;
const USERS: i64 = 10_000;

#[derive(Debug, Parser)]
#[command(name = "authlet-bench")]
struct Cli {
    /// The sidecar binary; built with `cargo build --release` when not given.
    #[arg(long)]
    sidecar: Option<PathBuf>,
    /// Where to write `<benchmark>.md` and `<benchmark>.json`.
    #[arg(long, default_value = "bench/results")]
    out: PathBuf,
    #[command(subcommand)]
    benchmark: Benchmark,
}

#[derive(Debug, Subcommand)]
enum Benchmark {
    /// Login-record search, export and retention at scale.
    Records {
        /// Records seeded for search and the first export.
        #[arg(long, default_value_t = 1_000_000)]
        records: i64,
        /// Requests per search scenario.
        #[arg(long, default_value_t = 200)]
        samples: usize,
        /// Run on this PostgreSQL server (a fresh database is created) instead of SQLite.
        #[arg(long)]
        postgres: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let sidecar = match cli.sidecar {
        Some(path) => path,
        None => build_release_sidecar()?,
    };
    std::fs::create_dir_all(&cli.out)?;
    match cli.benchmark {
        Benchmark::Records {
            records,
            samples,
            postgres,
        } => {
            let report = records_benchmark(&sidecar, records, samples, postgres.as_deref()).await?;
            write_report(&cli.out, "records", &report)?;
        }
    }
    Ok(())
}

fn build_release_sidecar() -> anyhow::Result<PathBuf> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "authlet-sidecar"])
        .status()
        .context("cargo build --release -p authlet-sidecar")?;
    if !status.success() {
        bail!("building the release sidecar failed");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    Ok(target.join("release/authlet-sidecar"))
}

/// One running sidecar process with a client for it.
struct Sidecar {
    child: Child,
    port: u16,
}

impl Sidecar {
    async fn start(
        binary: &Path,
        dir: &Path,
        database_url: &str,
        retain_days: Option<i64>,
    ) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let retention = retain_days.map_or_else(String::new, |days| {
            format!("    loginRecordConfiguration: {{delete: {{enabled: true, numberOfDaysToRetain: {days}}}}}\n")
        });
        let config = format!(
            "listen: 127.0.0.1:{port}\ndatabase: {{url: \"{database_url}\"}}\napiKeys: [{{key: {API_KEY}}}]\n\
             keys: [{{id: 0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, algorithm: HS256, secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=}}]\n\
             tenants:\n  - id: {TENANT}\n    name: Bench\n    reportTimezone: UTC\n{retention}\
             \x20   applications:\n      - {{id: {SHOP}, name: Shop}}\n      - {{id: {ADMIN}, name: Admin}}\n"
        );
        let path = dir.join(format!("config-{port}.yaml"));
        std::fs::write(&path, config)?;
        let child = Command::new(binary)
            .arg("--config")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let sidecar = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !matches!(sidecar.request("GET", "/readyz", None).await, Ok((200, _))) {
            if Instant::now() > deadline {
                bail!("sidecar did not become ready");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(sidecar)
    }

    /// One request on a fresh connection: status and body bytes.
    async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<(u16, Bytes)> {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).await?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        let request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1")
            .header("authorization", API_KEY)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(
                body.map(Value::to_string).unwrap_or_default(),
            )))?;
        let response = sender.send_request(request).await?;
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok((status, bytes))
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Latency percentiles of a sample, in milliseconds.
fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples.get(index).copied().unwrap_or(f64::NAN)
}

async fn time_requests(
    sidecar: &Sidecar,
    method: &str,
    path: &str,
    body: Option<&Value>,
    count: usize,
) -> anyhow::Result<Vec<f64>> {
    let mut samples = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        let (status, _) = sidecar.request(method, path, body).await?;
        if !(200..300).contains(&status) {
            bail!("{method} {path} answered {status}");
        }
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(samples)
}

/// Inserts `count` records spread over the year before `now`, across `USERS` users and
/// two applications, in large multi-row statements.
async fn seed(database_url: &str, count: i64, now: i64) -> anyhow::Result<()> {
    let url = if database_url.starts_with("sqlite:") {
        format!("{database_url}?mode=rwc")
    } else {
        database_url.to_owned()
    };
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await?;
    const ROWS_PER_STATEMENT: i64 = 500;
    let mut inserted = 0;
    while inserted < count {
        let mut tx = pool.begin().await?;
        for _ in 0..40 {
            let rows = ROWS_PER_STATEMENT.min(count - inserted);
            if rows == 0 {
                break;
            }
            let mut sql = String::from(
                "INSERT INTO login_records (tenant_id, user_id, application_id, application_name, login_id, instant, ip_address) VALUES ",
            );
            for i in 0..rows {
                let n = inserted + i;
                let user = n % USERS;
                let (app, name) = if n % 3 == 0 {
                    (ADMIN, "Admin")
                } else {
                    (SHOP, "Shop")
                };
                let instant = now - (n * 7_919 % (365 * DAY_MS / 1000)) * 1000;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "('{TENANT}','00000000-0000-4000-8000-{user:012}','{app}','{name}','user{user}@bench.test',{instant},'198.51.100.{}')",
                    n % 250
                ));
            }
            sqlx::query(&sql).execute(&mut *tx).await?;
            inserted += rows;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn records_benchmark(
    binary: &Path,
    records: i64,
    samples: usize,
    postgres: Option<&str>,
) -> anyhow::Result<Value> {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir()?;
    let database_url = match postgres {
        None => format!("sqlite://{}", dir.path().join("bench.db").display()),
        Some(server) => {
            let name = format!("authlet_bench_{}", uuid::Uuid::new_v4().simple());
            let admin = sqlx::any::AnyPoolOptions::new()
                .max_connections(1)
                .connect(server)
                .await?;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await?;
            format!(
                "{}/{name}",
                server.rsplit_once('/').map_or(server, |(base, _)| base)
            )
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    let mut report = json!({ "backend": if postgres.is_some() { "postgres" } else { "sqlite" }, "records": records });

    // Schema first (the sidecar migrates on start), then the seed.
    Sidecar::start(binary, dir.path(), &database_url, None)
        .await?
        .stop();
    let started = Instant::now();
    seed(&database_url, records, now).await?;
    eprintln!(
        "seeded {records} records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let sidecar = Sidecar::start(binary, dir.path(), &database_url, None).await?;

    let user = "00000000-0000-4000-8000-000000000042";
    let month_ago = now - 30 * DAY_MS;
    let scenarios = [
        ("user", json!({"userId": user})),
        (
            "application + 30 days",
            json!({"applicationId": SHOP, "start": month_ago, "end": now}),
        ),
        ("none", json!({})),
    ];
    let mut search = Vec::new();
    for (name, criteria) in &scenarios {
        for total in [false, true] {
            let body = json!({"search": criteria, "retrieveTotal": total});
            let _ = time_requests(
                &sidecar,
                "POST",
                "/api/system/login-record/search",
                Some(&body),
                5,
            )
            .await?;
            let mut timings = time_requests(
                &sidecar,
                "POST",
                "/api/system/login-record/search",
                Some(&body),
                samples,
            )
            .await?;
            search.push(json!({
                "filter": name, "retrieveTotal": total,
                "p50_ms": percentile(&mut timings, 0.5), "p95_ms": percentile(&mut timings, 0.95),
            }));
        }
    }
    report["search"] = json!(search);

    let mut exports = vec![export(&sidecar, records).await?];
    sidecar.stop();
    seed(&database_url, records, now).await?;
    let sidecar = Sidecar::start(binary, dir.path(), &database_url, None).await?;
    exports.push(export(&sidecar, 2 * records).await?);
    report["export"] = json!(exports);

    // Login latency idle, then while retention deletes everything older than a day.
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
    let login = json!({"loginId": "bench@bench.test", "password": "bench-password-1", "applicationId": SHOP});
    let mut idle = time_requests(&sidecar, "POST", "/api/login", Some(&login), samples).await?;
    sidecar.stop();

    // During retention: a freshly started sidecar (retention sweeps at start), logins in
    // rounds of 20, each round followed by a count of the records still to delete.
    let remaining_query =
        json!({"search": {"end": now - DAY_MS}, "numberOfResults": 1, "retrieveTotal": true});
    let sidecar = Sidecar::start(binary, dir.path(), &database_url, Some(1)).await?;
    let mut during = Vec::new();
    let mut rounds = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        during.extend(time_requests(&sidecar, "POST", "/api/login", Some(&login), 20).await?);
        rounds += 1;
        let (_, body) = sidecar
            .request(
                "POST",
                "/api/system/login-record/search",
                Some(&remaining_query),
            )
            .await?;
        let remaining = serde_json::from_slice::<Value>(&body)?["total"]
            .as_i64()
            .unwrap_or(0);
        if remaining == 0 || Instant::now() > deadline {
            break;
        }
    }
    sidecar.stop();

    // The control: the same protocol (fresh process, the same rounds and counts) on the
    // same data without retention, so that the ratio measures retention alone and not a
    // cold process or the counting between rounds.
    seed(&database_url, records, now).await?;
    let sidecar = Sidecar::start(binary, dir.path(), &database_url, None).await?;
    let mut control = Vec::new();
    for _ in 0..rounds {
        control.extend(time_requests(&sidecar, "POST", "/api/login", Some(&login), 20).await?);
        sidecar
            .request(
                "POST",
                "/api/system/login-record/search",
                Some(&remaining_query),
            )
            .await?;
    }
    sidecar.stop();
    report["retention"] = json!({
        "idle_login_p99_ms": percentile(&mut idle, 0.99),
        "control_login_p99_ms": percentile(&mut control, 0.99),
        "during_retention_login_p99_ms": percentile(&mut during, 0.99),
        "logins_during_retention": during.len(),
    });
    Ok(report)
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

fn write_report(out: &Path, name: &str, report: &Value) -> anyhow::Result<()> {
    std::fs::write(
        out.join(format!("{name}.json")),
        serde_json::to_string_pretty(report)?,
    )?;
    let mut md = format!(
        "## {name} ({} backend, {} records)\n\n",
        report["backend"].as_str().unwrap_or("?"),
        report["records"]
    );
    md.push_str(
        "| search filter | retrieveTotal | p50 ms | p95 ms | target p95 |\n|---|---|---|---|---|\n",
    );
    for row in report["search"].as_array().into_iter().flatten() {
        let target = if row["filter"] == "none" {
            "≤ 25"
        } else {
            "≤ 5"
        };
        md.push_str(&format!(
            "| {} | {} | {:.2} | {:.2} | {target} |\n",
            row["filter"].as_str().unwrap_or(""),
            row["retrieveTotal"],
            row["p50_ms"].as_f64().unwrap_or(f64::NAN),
            row["p95_ms"].as_f64().unwrap_or(f64::NAN)
        ));
    }
    md.push_str("\n| export rows | rows/s (target ≥ 100,000) | RSS growth MiB (target ≤ 32, flat) |\n|---|---|---|\n");
    for row in report["export"].as_array().into_iter().flatten() {
        md.push_str(&format!(
            "| {} | {:.0} | {:.1} |\n",
            row["rows"],
            row["rows_per_second"].as_f64().unwrap_or(f64::NAN),
            row["rss_growth_mib"].as_f64().unwrap_or(f64::NAN)
        ));
    }
    let retention = &report["retention"];
    md.push_str(&format!(
        "\n| login p99 ms: steady idle | same protocol, no retention | during retention | target |\n|---|---|---|---|\n| {:.2} | {:.2} | {:.2} | ≤ 1.5× the protocol's idle |\n",
        retention["idle_login_p99_ms"].as_f64().unwrap_or(f64::NAN),
        retention["control_login_p99_ms"].as_f64().unwrap_or(f64::NAN),
        retention["during_retention_login_p99_ms"].as_f64().unwrap_or(f64::NAN)
    ));
    std::fs::write(out.join(format!("{name}.md")), &md)?;
    println!("{md}");
    Ok(())
}
