//! `authlet-sidecar`: serve the login API from a config file, or print the config schema.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use authlet_core::config::Config;
use authlet_sidecar::hashing::Hasher;
use authlet_sidecar::metrics::Metrics;
use authlet_sidecar::state::{AppState, Runtime, SystemClock};
use authlet_sidecar::store::{Backend, Store};
use authlet_sidecar::{http, memory, reload, retention, server, wal};
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
    /// On SIGTERM, seconds to keep serving with readiness off before closing the listener
    /// and draining: the workload in the same pod is stopped at the same moment and may
    /// still need logins while it finishes its own requests.
    #[arg(
        long,
        env = "AUTHLET_SHUTDOWN_DELAY_SECONDS",
        default_value_t = 5,
        value_name = "SECONDS"
    )]
    shutdown_delay: u64,
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
    /// Exit 0 when a sidecar answers 200 on `path`: an exec probe for Kubernetes, whose
    /// HTTP probes cannot reach a listener on the pod's loopback.
    Probe {
        #[arg(long, default_value = "127.0.0.1:9011")]
        address: std::net::SocketAddr,
        #[arg(long, default_value = "/readyz")]
        path: String,
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
        Some(Command::Probe { address, path }) => probe(address, &path),
        None => {
            let path = cli
                .config
                .context("--config PATH is required (or AUTHLET_CONFIG)")?;
            let (config, text) = reload::load(&path)
                .with_context(|| format!("invalid configuration {}", path.display()))?;
            let backend = Backend::of(config.config.database.url.expose())?;
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            let mut executor = tokio::runtime::Builder::new_multi_thread();
            if std::env::var_os("TOKIO_WORKER_THREADS").is_none() {
                executor.worker_threads(async_workers(backend, cores));
            }
            let started = Started {
                path,
                config,
                text,
                cores,
            };
            let shutdown_delay = Duration::from_secs(cli.shutdown_delay);
            executor
                .enable_all()
                .build()?
                .block_on(run(started, shutdown_delay))
        }
    }
}

/// Async worker threads on `backend` and `cores` cores, unless `TOKIO_WORKER_THREADS`
/// names another number.
///
/// On SQLite, one. The sidecar's CPU goes to password hashes, on threads of their own
/// ([`Hasher`]), and to SQLite's writer and connection threads; what the async workers
/// do between them (HTTP, JSON, signing, a login's one-row reads) is short. With a worker per core, most wake-ups from those
/// threads woke one worker, which woke another to look for more work and find none: 4.8
/// switches between the workers per password login at half capacity on two cores (a
/// `perf sched` trace). In four interleaved pairs of shortened `login` runs on two cores,
/// one worker against two, means: factor-1 login 2,778 → 3,068/s, refresh 4,082 →
/// 4,517/s, login ping 5,052 → 5,421/s, two-factor completion 1,660 → 1,806/s; a password
/// login's CPU outside the hashing threads 0.52 → 0.48 ms.
///
/// On PostgreSQL, one per core: there the database client's work (the protocol, the
/// rows) runs on the async workers too, and one worker held the paths without a hash to
/// about a tenth less than one per core did (two pairs: refresh 2,715 → 2,399/s, login
/// ping 2,781 → 2,558/s).
fn async_workers(backend: Backend, cores: usize) -> usize {
    match backend {
        Backend::Sqlite => 1,
        Backend::Postgres => cores,
    }
}

/// What the sidecar starts from: its configuration, read before the async workers
/// start, since how many there should be depends on its database.
struct Started {
    path: PathBuf,
    config: Runtime,
    text: String,
    cores: usize,
}

fn probe(address: std::net::SocketAddr, path: &str) -> anyhow::Result<()> {
    use std::io::{Read as _, Write as _};
    let timeout = Duration::from_secs(2);
    let mut stream = std::net::TcpStream::connect_timeout(&address, timeout)
        .with_context(|| format!("connecting to {address}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut status_line = [0u8; 12];
    stream.read_exact(&mut status_line)?;
    let status = String::from_utf8_lossy(&status_line);
    anyhow::ensure!(
        status.ends_with(" 200"),
        "{address}{path} answered {status}"
    );
    Ok(())
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

async fn run(started: Started, shutdown_delay: Duration) -> anyhow::Result<()> {
    let Started {
        path,
        config: runtime,
        text,
        cores,
    } = started;
    let listen = runtime.config.listen_addr()?;
    let tls = runtime
        .config
        .tls
        .as_ref()
        .map(server::tls_acceptor)
        .transpose()?;
    let store = Store::connect(runtime.config.database.url.expose())
        .await
        .context("cannot open the database named by database.url")?;
    let state = AppState::new(
        runtime,
        store,
        Hasher::for_cores(cores).context("cannot start the password hashing threads")?,
        Metrics::new(),
        Arc::new(SystemClock),
    );
    tokio::spawn(reload::watch(Arc::clone(&state), path, text));
    tokio::spawn(retention::run(Arc::clone(&state)));
    tokio::spawn(wal::run(state.store.clone()));
    tokio::spawn(memory::run());

    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    tracing::info!(%listen, tls = tls.is_some(), "authlet-sidecar serving");
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let signal_state = Arc::clone(&state);
    tokio::spawn(async move {
        wait_for_signal().await;
        // Readiness goes first, while everything is still served; only then does the
        // listener close and open connections finish their requests.
        signal_state.stop_accepting();
        tracing::info!(
            delay_s = shutdown_delay.as_secs(),
            "shutting down: readiness off, still serving for the shutdown delay"
        );
        tokio::time::sleep(shutdown_delay).await;
        tracing::info!("closing the listener, draining requests");
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
