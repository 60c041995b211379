//! Status conditions with constant types and reasons, and the rule for when a status
//! write is needed at all.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use k8s_openapi::jiff::Timestamp;

/// Condition types.
pub const READY: &str = "Ready";
/// True when the sidecars of a Tenant share one database.
pub const SHARED_STORAGE: &str = "SharedStorage";

/// Reasons.
pub const RENDERED: &str = "Rendered";
pub const SECRET_NOT_FOUND: &str = "SecretNotFound";
pub const INVALID_SPEC: &str = "InvalidSpec";
pub const TENANT_NOT_FOUND: &str = "TenantNotFound";
pub const TENANT_NOT_READY: &str = "TenantNotReady";
pub const PENDING: &str = "Pending";
pub const DATABASE_REFERENCED: &str = "DatabaseReferenced";
pub const PER_POD_SQLITE: &str = "PerPodSQLite";

/// What a condition should say, before timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    pub type_: &'static str,
    pub status: bool,
    pub reason: &'static str,
    pub message: String,
}

impl Desired {
    pub fn new(
        type_: &'static str,
        status: bool,
        reason: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            type_,
            status,
            reason,
            message: message.into(),
        }
    }
}

/// The conditions to publish: `lastTransitionTime` moves only when a condition's status
/// changes, so that an unchanged object yields an identical status and no write.
pub fn merge(
    previous: &[Condition],
    desired: &[Desired],
    generation: Option<i64>,
    now: Timestamp,
) -> Vec<Condition> {
    desired
        .iter()
        .map(|want| {
            let status = if want.status { "True" } else { "False" };
            let last_transition_time = previous
                .iter()
                .find(|c| c.type_ == want.type_ && c.status == status)
                .map(|c| c.last_transition_time.clone())
                .unwrap_or(Time(now));
            Condition {
                type_: want.type_.to_owned(),
                status: status.to_owned(),
                reason: want.reason.to_owned(),
                message: want.message.clone(),
                observed_generation: generation,
                last_transition_time,
            }
        })
        .collect()
}

/// The condition of a type, if present.
pub fn find<'c>(conditions: &'c [Condition], type_: &str) -> Option<&'c Condition> {
    conditions.iter().find(|c| c.type_ == type_)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_time_moves_only_when_status_changes() {
        let t0 = Timestamp::from_second(1_000).unwrap();
        let t1 = Timestamp::from_second(2_000).unwrap();
        let ready = [Desired::new(READY, true, RENDERED, "ok")];
        let first = merge(&[], &ready, Some(1), t0);
        assert_eq!(first[0].last_transition_time, Time(t0));

        let same = merge(
            &first,
            &[Desired::new(READY, true, RENDERED, "still ok")],
            Some(2),
            t1,
        );
        assert_eq!(same[0].last_transition_time, Time(t0));
        assert_eq!(same[0].observed_generation, Some(2));

        let failed = merge(
            &same,
            &[Desired::new(READY, false, SECRET_NOT_FOUND, "gone")],
            Some(2),
            t1,
        );
        assert_eq!(failed[0].last_transition_time, Time(t1));
        assert_eq!(failed[0].status, "False");
        assert_eq!(failed[0].reason, SECRET_NOT_FOUND);
    }
}
