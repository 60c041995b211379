//! Leader election over a `coordination.k8s.io` Lease, so that of several replicas
//! exactly one writes.

use std::time::Duration;

use kube::Client;
use kube_lease_manager::{LeaseManagerBuilder, LeaseManagerError};
use tokio::sync::watch;

/// Seconds a lease stays valid without renewal: how long a crashed leader blocks the
/// next one. The holder renews `GRACE_SECONDS` before expiry.
const LEASE_SECONDS: u64 = 15;
const GRACE_SECONDS: u64 = 5;

/// Campaigns for the lease in the background. The receiver says whether this replica
/// leads; dropping it releases the lease.
pub async fn campaign(
    client: Client,
    namespace: &str,
    name: &str,
    identity: &str,
) -> Result<
    (
        watch::Receiver<bool>,
        tokio::task::JoinHandle<Result<kube_lease_manager::LeaseManager, LeaseManagerError>>,
    ),
    LeaseManagerError,
> {
    let manager = LeaseManagerBuilder::new(client, name)
        .with_namespace(namespace)
        .with_identity(identity)
        .with_duration(LEASE_SECONDS)
        .with_grace(GRACE_SECONDS)
        .build()
        .await?;
    Ok(manager.watch().await)
}

/// Waits until `leader` says true; false if the campaign ended first.
pub async fn until_leader(leader: &mut watch::Receiver<bool>) -> bool {
    leader.wait_for(|leads| *leads).await.is_ok()
}

/// Resolves when this replica stops leading (or the campaign ends).
pub async fn until_lost(mut leader: watch::Receiver<bool>) {
    let _ = leader.wait_for(|leads| !*leads).await;
}

/// How long shutdown waits for the lease to be released.
pub const RELEASE_TIMEOUT: Duration = Duration::from_secs(5);
