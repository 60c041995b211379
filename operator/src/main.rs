//! `authlet-operator`: run the controllers, or print the CRDs.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use authlet_operator::{controller, crds, leader, telemetry};
use clap::{Parser, Subcommand};
use futures::FutureExt;
use tracing::{info, warn};

/// How long the controllers may take, once told to stop, to finish the reconciles in
/// flight. A reconcile is idempotent, and one cut short is done again by the next
/// leader. With the lease's release and the probes' this keeps the whole shutdown
/// within the chart's 30 s `terminationGracePeriodSeconds`, so the lease is handed
/// over rather than left to expire.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the probe server may take to close its connections once stopping.
const PROBES_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Parser)]
#[command(
    version,
    about = "Reconciles Authlet Tenants and Applications into sidecar configuration",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Print the CRDs as YAML, or write one file per CRD into a directory.
    Crds {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// Address of `/healthz`, `/readyz` and `/metrics`.
    #[arg(
        long,
        env = "AUTHLET_OPERATOR_PROBE_ADDRESS",
        default_value = "0.0.0.0:8080"
    )]
    probe_address: SocketAddr,
    /// Namespace of the leader-election Lease; the operator's own namespace.
    #[arg(long, env = "POD_NAMESPACE", default_value = "default")]
    lease_namespace: String,
    #[arg(
        long,
        env = "AUTHLET_OPERATOR_LEASE_NAME",
        default_value = "authlet-operator"
    )]
    lease_name: String,
    /// This replica's name in the Lease; the pod name.
    #[arg(long, env = "POD_NAME")]
    identity: Option<String>,
    /// Log as JSON lines.
    #[arg(long, env = "AUTHLET_LOG_JSON")]
    log_json: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Crds { out }) => print_crds(out),
        None => run(cli.run).await,
    }
}

fn print_crds(out: Option<PathBuf>) -> anyhow::Result<()> {
    let manifests = crds::manifests().context("generating the CRDs")?;
    match out {
        Some(directory) => {
            std::fs::create_dir_all(&directory)
                .with_context(|| format!("creating {}", directory.display()))?;
            for (name, yaml) in manifests {
                let path = directory.join(name);
                std::fs::write(&path, yaml)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            for (_, yaml) in manifests {
                writeln!(stdout, "---\n{yaml}").context("writing to stdout")?;
            }
        }
    }
    Ok(())
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    init_logging(args.log_json);
    let identity = args
        .identity
        .unwrap_or_else(|| format!("authlet-operator-{}", uuid::Uuid::new_v4()));

    let client = kube::Client::try_default()
        .await
        .context("connecting to the Kubernetes API server")?;
    let metrics = telemetry::Metrics::new();

    let shutdown = shutdown_signal().shared();
    let probes = tokio::spawn(telemetry::serve(
        args.probe_address,
        metrics.clone(),
        shutdown.clone(),
    ));

    let (mut leading, campaign) = leader::campaign(
        client.clone(),
        &args.lease_namespace,
        &args.lease_name,
        &identity,
    )
    .await
    .context("starting leader election")?;
    metrics.set_ready(true);
    info!(%identity, lease = %args.lease_name, "waiting for the lease");

    let lost = tokio::select! {
        _ = shutdown.clone() => false,
        leads = leader::until_leader(&mut leading) => {
            if leads {
                metrics.set_leader(true);
                info!(%identity, "leading: starting controllers");
                let lost_lease = leader::until_lost(leading.clone()).shared();
                let stop = futures::future::select(shutdown.clone(), lost_lease.clone())
                    .map(|_| ())
                    .shared();
                let drain_deadline = stop.clone().then(|()| tokio::time::sleep(DRAIN_TIMEOUT));
                tokio::select! {
                    () = controller::run(client, metrics.clone(), identity.clone(), stop) => {}
                    () = drain_deadline => warn!(
                        timeout_s = DRAIN_TIMEOUT.as_secs(),
                        "controllers did not stop in time; abandoning their reconciles"
                    ),
                }
                metrics.set_leader(false);
                lost_lease.peek().is_some() && shutdown.peek().is_none()
            } else {
                true
            }
        }
    };

    // Dropping the receiver releases the lease, so the next leader starts at once.
    drop(leading);
    if tokio::time::timeout(leader::RELEASE_TIMEOUT, campaign)
        .await
        .is_err()
    {
        warn!("the lease was not released in time; it expires on its own");
    }
    if lost {
        // Another replica leads now; exit so Kubernetes restarts this one as a standby.
        anyhow::bail!("lost the leader lease");
    }
    if tokio::time::timeout(PROBES_TIMEOUT, probes).await.is_err() {
        warn!("the probe server did not close its connections in time");
    }
    info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => info!("interrupted; stopping"),
                    _ = terminate.recv() => info!("SIGTERM; stopping"),
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
