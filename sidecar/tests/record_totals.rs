//! A search's `total` on both databases: whole days come from the per-day totals that
//! triggers keep, partial days from the records. Checked against a count of the records
//! themselves for windows on, beside and between day boundaries, for every filter a
//! total can have, before and after retention deletes some of them.

// Test support code: a panic here is a failed test, not a reachable crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use authlet_core::records::{RecordFilter, SearchCriteria, DAY_MS};
use authlet_sidecar::store::{Backend, LoginRecord, Store};
use support::*;
use uuid::Uuid;

const TENANTS: [Uuid; 2] = [Uuid::from_u128(1), Uuid::from_u128(2)];
const APPLICATIONS: [Option<Uuid>; 3] =
    [Some(Uuid::from_u128(10)), Some(Uuid::from_u128(11)), None];
const USERS: [Uuid; 2] = [Uuid::from_u128(20), Uuid::from_u128(21)];

/// Instants on and beside the boundaries of a few days, before and after 1970.
fn instants() -> Vec<i64> {
    let mut instants = Vec::new();
    for day in [-1i64, 0, 1, 2, 5, 6] {
        for offset in [-1, 0, 1, DAY_MS / 2] {
            instants.push(20_000 * DAY_MS * day.signum() + day * DAY_MS + offset);
        }
    }
    instants
}

fn records() -> Vec<LoginRecord> {
    let mut records = Vec::new();
    for (n, instant) in instants().into_iter().enumerate() {
        for (t, tenant_id) in TENANTS.into_iter().enumerate() {
            // Not every combination: the totals must tell the combinations apart.
            let application_id = APPLICATIONS[(n + t) % APPLICATIONS.len()];
            let user_id = USERS[(n / 2 + t) % USERS.len()];
            records.push(LoginRecord {
                tenant_id,
                user_id,
                application_id,
                application_name: application_id.map(|_| "App".to_owned()),
                login_id: "someone@example.com".to_owned(),
                instant,
                ip_address: None,
            });
        }
    }
    records
}

fn matches(record: &LoginRecord, filter: &RecordFilter) -> bool {
    filter.tenant_id.is_none_or(|t| t == record.tenant_id)
        && filter
            .application_id
            .is_none_or(|a| Some(a) == record.application_id)
        && filter.user_id.is_none_or(|u| u == record.user_id)
        && filter.start.is_none_or(|s| record.instant >= s)
        && filter.end.is_none_or(|e| record.instant <= e)
}

async fn totals_match(store: &Store, records: &[LoginRecord]) {
    let mut bounds: Vec<Option<i64>> = instants().into_iter().map(Some).collect();
    bounds.push(None);
    let mut checked = 0;
    for tenant_id in [None, Some(TENANTS[0])] {
        for application_id in [None, APPLICATIONS[0], APPLICATIONS[1]] {
            for user_id in [None, Some(USERS[0])] {
                for &start in &bounds {
                    for &end in &bounds {
                        if matches!((start, end), (Some(s), Some(e)) if e < s) {
                            continue;
                        }
                        let filter = RecordFilter {
                            tenant_id,
                            application_id,
                            user_id,
                            start,
                            end,
                        };
                        let expected = records.iter().filter(|r| matches(r, &filter)).count();
                        let criteria = SearchCriteria {
                            filter: filter.clone(),
                            number_of_results: 1,
                            start_row: 0,
                            retrieve_total: true,
                        };
                        let (_, total) = store.search_login_records(&criteria).await.unwrap();
                        assert_eq!(total, Some(expected as i64), "{filter:?}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 1_000);
}

async fn totals_agree_with_the_records_themselves(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&database_url(backend, &dir).await)
        .await
        .unwrap();
    let mut records = records();
    for record in &records {
        store.insert_login_record(record).await.unwrap();
    }
    totals_match(&store, &records).await;

    // Retention empties whole days and part of another: the totals follow.
    let cutoff = 20_001 * DAY_MS + 1;
    while store
        .delete_login_records_before(TENANTS[0], cutoff, 5)
        .await
        .unwrap()
        > 0
    {}
    records.retain(|r| r.tenant_id != TENANTS[0] || r.instant >= cutoff);
    totals_match(&store, &records).await;
}

on_both_backends!(totals_agree_with_the_records_themselves);
