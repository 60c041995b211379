//! `authlet-bench`: measures the release sidecar from outside, as a user would, and writes
//! a Markdown table and a JSON file per benchmark. Benchmarks are not tests: nothing here
//! fails CI, and figures are reported with the targets they are read against.

mod load;
mod login;
mod records;
mod sidecar;
mod soak;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use serde_json::Value;

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
    /// What a login costs against the hash's limit: CPU, throughput, latency, isolation,
    /// overload, the paths without a hash, signing and footprint.
    Login {
        /// Run on this PostgreSQL server (fresh databases are created) instead of SQLite.
        #[arg(long)]
        postgres: Option<String>,
        /// The tenant's password hashing scheme (FusionAuth's names).
        #[arg(long, default_value = "salted-pbkdf2-hmac-sha256")]
        scheme: String,
        /// The scheme's factor (FusionAuth's default for PBKDF2 is 24,000).
        #[arg(long, default_value_t = 24_000)]
        factor: u32,
        /// Closed-loop workers in the saturation phases.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Successful password logins in the CPU and throughput phase.
        #[arg(long, default_value_t = 10_000)]
        logins: usize,
        /// Seconds of each open-loop and no-hash phase.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Seconds of the idle-CPU reading.
        #[arg(long, default_value_t = 30)]
        idle_seconds: u64,
    },
    /// Login-record search, export and retention at scale.
    Records {
        /// Records seeded for search, the first export and retention.
        #[arg(long, default_value_t = 1_000_000)]
        records: i64,
        /// Requests per search scenario, and idle logins for retention's baseline.
        #[arg(long, default_value_t = 200)]
        samples: usize,
        /// Run on this PostgreSQL server (fresh databases are created) instead of SQLite.
        #[arg(long)]
        postgres: Option<String>,
        /// The phases to run.
        #[arg(
            long,
            value_enum,
            value_delimiter = ',',
            default_value = "search,export,retention"
        )]
        phases: Vec<records::Phase>,
    },
    /// A long open-loop run of a session mix at a share of its capacity measured in the
    /// same run: errors, memory and p99 minute by minute, with verdicts.
    Soak {
        /// Run on this PostgreSQL server (a fresh database is created) instead of SQLite.
        #[arg(long)]
        postgres: Option<String>,
        /// The tenant's password hashing scheme (FusionAuth's names).
        #[arg(long, default_value = "salted-pbkdf2-hmac-sha256")]
        scheme: String,
        /// The scheme's factor (FusionAuth's default for PBKDF2 is 24,000).
        #[arg(long, default_value_t = 24_000)]
        factor: u32,
        /// Closed-loop workers in the capacity phase.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// The soak's arrival rate as a share of the measured capacity.
        #[arg(long, default_value_t = 0.8)]
        load: f64,
        /// Length of the soak.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        minutes: u64,
        /// Minutes at the soak's start after which memory must not grow.
        #[arg(long, default_value_t = 5)]
        warm_up_minutes: u64,
        /// Seconds of the measured capacity phase, after 10 s of warm-up.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        capacity_seconds: u64,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let binary = match cli.sidecar {
        Some(path) => path,
        None => sidecar::build_release_sidecar()?,
    };
    std::fs::create_dir_all(&cli.out)?;
    match cli.benchmark {
        Benchmark::Login {
            postgres,
            scheme,
            factor,
            concurrency,
            logins,
            seconds,
            idle_seconds,
        } => {
            let options = login::Options {
                postgres,
                scheme,
                factor,
                concurrency,
                logins,
                seconds,
                idle_seconds,
            };
            let report = login::run(&binary, &options).await?;
            let name = if options.postgres.is_some() {
                "login-postgres"
            } else {
                "login"
            };
            write_report(&cli.out, name, &report, &login::markdown(&report))?;
        }
        Benchmark::Records {
            records,
            samples,
            postgres,
            phases,
        } => {
            let options = records::Options {
                records,
                samples,
                postgres,
                phases,
            };
            let report = records::run(&binary, &options).await?;
            let name = if options.postgres.is_some() {
                "records-postgres"
            } else {
                "records"
            };
            write_report(&cli.out, name, &report, &records::markdown(&report))?;
        }
        Benchmark::Soak {
            postgres,
            scheme,
            factor,
            concurrency,
            load,
            minutes,
            warm_up_minutes,
            capacity_seconds,
        } => {
            let options = soak::Options {
                postgres,
                scheme,
                factor,
                concurrency,
                load,
                minutes: usize::try_from(minutes)?,
                warm_up_minutes: usize::try_from(warm_up_minutes)?,
                capacity_seconds,
            };
            let report = soak::run(&binary, &options).await?;
            let name = if options.postgres.is_some() {
                "soak-postgres"
            } else {
                "soak"
            };
            write_report(&cli.out, name, &report, &soak::markdown(&report))?;
        }
    }
    Ok(())
}

fn write_report(out: &Path, name: &str, report: &Value, markdown: &str) -> anyhow::Result<()> {
    std::fs::write(
        out.join(format!("{name}.json")),
        serde_json::to_string_pretty(report)?,
    )?;
    std::fs::write(out.join(format!("{name}.md")), markdown)?;
    println!("{markdown}");
    Ok(())
}
