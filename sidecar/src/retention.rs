//! Retention: per tenant, `loginRecordConfiguration.delete` removes login records older
//! than `numberOfDaysToRetain`; and for every tenant, identifiers past their expiry (a
//! two-factor id never completed, a trust token never used) and refresh tokens past
//! theirs go. All in small batches with pauses, so that logins (which write to the same
//! tables) never wait behind one long delete.

use std::sync::Arc;
use std::time::Duration;

use authlet_core::tokens::refresh_expired_by;

use crate::state::AppState;
use crate::store::StoreResult;

/// Records deleted per statement: on SQLite about two milliseconds of write lock on a
/// two-core machine. Measured (bench `records --phases retention`): sizing batches to a
/// one- or two-millisecond lock budget deleted several times slower without lowering the
/// login p99 during a sweep, so the batch is fixed.
const BATCH: i64 = 64;
/// Leaves the write lock free between batches, so logins go first.
const PAUSE_BETWEEN_BATCHES: Duration = Duration::from_millis(10);
const SWEEP_INTERVAL: Duration = Duration::from_secs(600);

/// Runs the sweeps now and then every ten minutes, for the life of the process.
pub async fn run(state: Arc<AppState>) {
    loop {
        report("login records", sweep(&state).await);
        report("identifiers", sweep_identifiers(&state).await);
        report("refresh tokens", sweep_refresh_tokens(&state).await);
        tokio::time::sleep(SWEEP_INTERVAL).await;
    }
}

fn report(what: &str, outcome: StoreResult<u64>) {
    match outcome {
        Ok(0) => {}
        Ok(deleted) => tracing::info!(deleted, "retention removed expired {what}"),
        Err(error) => tracing::warn!(%error, "retention of {what} failed; retrying next sweep"),
    }
}

/// Deletes every record past its tenant's retention at the state's clock; returns how
/// many were deleted.
pub async fn sweep(state: &AppState) -> StoreResult<u64> {
    let runtime = state.runtime();
    let now = state.now();
    let mut deleted = 0;
    for tenant in &runtime.config.tenants {
        let policy = &tenant.login_record_configuration.delete;
        if !policy.enabled {
            continue;
        }
        let cutoff = now.saturating_sub(policy.number_of_days_to_retain.saturating_mul(86_400_000));
        loop {
            let removed = state
                .store
                .delete_login_records_before(tenant.id, cutoff, BATCH)
                .await?;
            deleted += removed;
            state.metrics.login_records_expired.inc_by(removed);
            if removed < u64::try_from(BATCH).unwrap_or(u64::MAX) {
                break;
            }
            tokio::time::sleep(PAUSE_BETWEEN_BATCHES).await;
        }
    }
    Ok(deleted)
}

/// Deletes every identifier expired at the state's clock; returns how many were deleted.
pub async fn sweep_identifiers(state: &AppState) -> StoreResult<u64> {
    let now = state.now();
    let mut deleted = 0;
    loop {
        let removed = state.store.delete_expired_identifiers(now, BATCH).await?;
        deleted += removed;
        state.metrics.identifiers_expired.inc_by(removed);
        if removed < u64::try_from(BATCH).unwrap_or(u64::MAX) {
            return Ok(deleted);
        }
        tokio::time::sleep(PAUSE_BETWEEN_BATCHES).await;
    }
}

/// Deletes every refresh token expired at the state's clock under its application's
/// settings, and with each the values one-time use retired from it; returns how many
/// tokens were deleted. Tokens of an application the config no longer has stay: they
/// cannot be used while it is gone, and serve again if it comes back.
pub async fn sweep_refresh_tokens(state: &AppState) -> StoreResult<u64> {
    let runtime = state.runtime();
    let now = state.now();
    let mut deleted = 0;
    for tenant in &runtime.config.tenants {
        for application in &tenant.applications {
            let expired = refresh_expired_by(&tenant.effective_jwt(Some(application)), now);
            let mut from = None;
            loop {
                let step = state
                    .store
                    .delete_expired_refresh_tokens(application.id, expired, from.as_ref(), BATCH)
                    .await?;
                deleted += step.deleted;
                state.metrics.refresh_tokens_expired.inc_by(step.deleted);
                let Some(next) = step.next else { break };
                from = Some(next);
                if step.deleted > 0 {
                    tokio::time::sleep(PAUSE_BETWEEN_BATCHES).await;
                }
            }
        }
    }
    Ok(deleted)
}
