//! `authlet-sidecar`: serve the login API from a config file, or print the config schema.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use authlet_core::config::Config;
use authlet_sidecar::hashing::Hasher;
use authlet_sidecar::metrics::Metrics;
use authlet_sidecar::state::{AppState, SystemClock};
use authlet_sidecar::store::Store;
use authlet_sidecar::{http, reload, retention, server};
use clap::{Parser, Subcommand};
use tokio::sync::watch;

#[derive(Debug, Parser)]
#[command(
    name = "authlet-sidecar",
    version,
    about = "FusionAuth's login API on localhost"
)]
struct Cli {
    /// Configuration file (YAML or JSON), watched for changes.
    #[arg(long, env = "AUTHLET_CONFIG")]
    config: Option<PathBuf>,
    /// Log as JSON lines (for log collectors) instead of text.
    #[arg(long, env = "AUTHLET_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Configuration tools.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigAction {
    /// Print the configuration's JSON Schema.
    Schema,
    /// Validate a configuration file and report every problem.
    Check { path: PathBuf },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging(cli.log_json);
    match cli.command {
        Some(Command::Config {
            action: ConfigAction::Schema,
        }) => {
            println!("{}", serde_json::to_string_pretty(&Config::json_schema())?);
            Ok(())
        }
        Some(Command::Config {
            action: ConfigAction::Check { path },
        }) => {
            reload::load(&path)?;
            println!("{}: ok", path.display());
            Ok(())
        }
        None => {
            let path = cli
                .config
                .context("--config PATH is required (or AUTHLET_CONFIG)")?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(run(path))
        }
    }
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("AUTHLET_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(path: PathBuf) -> anyhow::Result<()> {
    let (runtime, text) =
        reload::load(&path).with_context(|| format!("invalid configuration {}", path.display()))?;
    let listen = runtime.config.listen_addr()?;
    let tls = runtime
        .config
        .tls
        .as_ref()
        .map(server::tls_acceptor)
        .transpose()?;
    let store = Store::connect(runtime.config.database.url.expose())
        .await
        .context("cannot open the database")?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let state = AppState::new(
        runtime,
        store,
        Hasher::new(cores),
        Metrics::new(),
        Arc::new(SystemClock),
    );
    tokio::spawn(reload::watch(Arc::clone(&state), path, text));
    tokio::spawn(retention::run(Arc::clone(&state)));

    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    tracing::info!(%listen, tls = tls.is_some(), "authlet-sidecar serving");
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let signal_state = Arc::clone(&state);
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down: readiness off, draining requests");
        signal_state.stop_accepting();
        let _ = shutdown_tx.send(true);
    });
    server::serve(listener, http::router(state), tls, shutdown_rx).await
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
