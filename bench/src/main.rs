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
    Login(login::Options),
    /// Login-record search, export and retention at scale.
    Records(records::Options),
    /// A long open-loop run of a session mix at a share of its capacity measured in the
    /// same run: errors, memory and p99 minute by minute, with verdicts.
    Soak(soak::Options),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    sqlx::any::install_default_drivers();
    let binary = match cli.sidecar {
        Some(path) => path,
        None => sidecar::build_release_sidecar()?,
    };
    std::fs::create_dir_all(&cli.out)?;
    let postgres = match &cli.benchmark {
        Benchmark::Login(options) => options.setup.postgres.clone(),
        Benchmark::Records(options) => options.postgres.clone(),
        Benchmark::Soak(options) => options.setup.postgres.clone(),
    };
    if let Some(server) = &postgres {
        records::drop_scratch_databases(server).await?;
    }
    let outcome = run(&binary, &cli.benchmark).await;
    if let Some(server) = &postgres {
        if let Err(error) = records::drop_scratch_databases(server).await {
            eprintln!("could not drop the benchmark's databases: {error:#}");
        }
    }
    let (name, report, markdown) = outcome?;
    // Each backend's results are kept side by side.
    let name = match postgres {
        Some(_) => format!("{name}-postgres"),
        None => name.to_owned(),
    };
    write_report(&cli.out, &name, &report, &markdown)
}

/// Runs `benchmark`; returns its name, its report and the report as Markdown.
async fn run(
    binary: &Path,
    benchmark: &Benchmark,
) -> anyhow::Result<(&'static str, Value, String)> {
    Ok(match benchmark {
        Benchmark::Login(options) => {
            let report = login::run(binary, options).await?;
            let markdown = login::markdown(&report);
            ("login", report, markdown)
        }
        Benchmark::Records(options) => {
            let report = records::run(binary, options).await?;
            let markdown = records::markdown(&report);
            ("records", report, markdown)
        }
        Benchmark::Soak(options) => {
            let report = soak::run(binary, options).await?;
            let markdown = soak::markdown(&report);
            ("soak", report, markdown)
        }
    })
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
