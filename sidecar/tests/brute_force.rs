//! Brute force under concurrency: the failed-authentication lockout counts every wrong
//! password and every wrong second factor exactly once, from any number of sidecars on
//! one database, engages at exactly `tooManyAttempts`, and lasts and resets on the
//! (injected) clock as FusionAuth documents.
//!
//! `api.rs` already covers a lock lasting its duration, the quiet-window reset, 40
//! concurrent failures on one sidecar and the per-`twoFactorId` limit; this suite adds
//! the edges around them: exactly N across two replicas, N-1, a failure during a lock,
//! a lock that ran out, the window measured from the last failure, the duration unit,
//! and wrong two-factor codes counting toward the user's lockout.
//!
//! Every scenario runs on SQLite (two pools on one file) and PostgreSQL.

// Test support code: a panic here is a failed test, not a reachable crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::{Arc, Mutex};

use authlet_core::login::FailureState;
use authlet_sidecar::state::Clock;
use authlet_sidecar::store::Backend;
use axum::http::StatusCode;
use serde_json::{json, Value};
use support::*;
use uuid::Uuid;

/// Sends `attempts` wrong passwords for `login_id`, alternating between the sidecars,
/// all at once (each in its own task), and returns every status.
async fn concurrent_wrong_passwords(
    sidecars: [&Harness; 2],
    login_id: &str,
    attempts: usize,
) -> Vec<StatusCode> {
    let body = json!({"loginId": login_id, "password": "wrong-password", "applicationId": SHOP});
    let tasks: Vec<_> = (0..attempts)
        .map(|i| {
            let request = json_request(
                "POST",
                "/api/login",
                Some(&body),
                &[("authorization", API_KEY)],
            );
            tokio::spawn(send_to(sidecars[i % 2].app.clone(), request))
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().0);
    }
    statuses
}

fn lockouts_started(sidecars: [&Harness; 2]) -> u64 {
    sidecars
        .iter()
        .map(|h| h.state.metrics.lockouts.get())
        .sum()
}

/// 100 concurrent wrong passwords split across two sidecars with `tooManyAttempts: 100`:
/// the lock engages only if not one increment was lost, and it starts exactly once. 99
/// leave the user able to log in.
async fn a_hundred_concurrent_failures_on_two_sidecars_lock_at_exactly_n(backend: Backend) {
    let (a, b) = pair(
        backend,
        &config("    failedAuthenticationConfiguration: {tooManyAttempts: 100}\n"),
    )
    .await;
    let short = a.create_user("short@example.com", json!({})).await;
    let full = a.create_user("full@example.com", json!({})).await;

    let statuses = concurrent_wrong_passwords([&a, &b], "short@example.com", 99).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::NOT_FOUND),
        "{statuses:?}"
    );
    let failures = a.state.store.failures(short).await.unwrap().unwrap();
    assert_eq!(failures.count, 99);
    assert_eq!(failures.locked_until, None, "99 of 100 do not lock");
    assert_eq!(
        b.login("short@example.com", "password-123", SHOP).await.0,
        StatusCode::OK
    );

    let statuses = concurrent_wrong_passwords([&a, &b], "full@example.com", 100).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::NOT_FOUND),
        "{statuses:?}"
    );
    let failures = b.state.store.failures(full).await.unwrap().unwrap();
    assert_eq!(
        failures.count, 100,
        "no increment lost across the two sidecars"
    );
    assert_eq!(failures.locked_until, Some(START + 180_000));
    assert_eq!(
        lockouts_started([&a, &b]),
        1,
        "the lock started exactly once"
    );
    for h in [&a, &b] {
        let (status, body) = h.login("full@example.com", "password-123", SHOP).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["actions"][0]["expiry"], START + 180_000);
    }
}

/// The default five, one at a time: four leave the door open (and a success clears
/// them), the fifth locks.
async fn n_minus_one_failures_leave_login_open_and_the_nth_locks(backend: Backend) {
    let (a, b) = pair(backend, &config("")).await;
    let user = a.create_user("edge@example.com", json!({})).await;
    for h in [&a, &b, &a, &b] {
        assert_eq!(
            h.login("edge@example.com", "wrong-password", SHOP).await.0,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        a.state.store.failures(user).await.unwrap().unwrap().count,
        4
    );
    assert_eq!(
        a.login("edge@example.com", "password-123", SHOP).await.0,
        StatusCode::OK
    );
    assert_eq!(
        a.state.store.failures(user).await.unwrap(),
        None,
        "a successful login clears the count"
    );
    for h in [&b, &a, &b, &a] {
        h.login("edge@example.com", "wrong-password", SHOP).await;
    }
    assert_eq!(
        b.login("edge@example.com", "password-123", SHOP).await.0,
        StatusCode::OK,
        "four again do not lock"
    );
    for h in [&a, &b, &a, &b, &a] {
        assert_eq!(
            h.login("edge@example.com", "wrong-password", SHOP).await.0,
            StatusCode::NOT_FOUND,
            "the locking failure looks like any other"
        );
    }
    assert_eq!(
        b.login("edge@example.com", "password-123", SHOP).await.0,
        StatusCode::CONFLICT
    );
    assert_eq!(lockouts_started([&a, &b]), 1);
}

/// "Each additional failed attempt restarts the lockout duration" (FusionAuth).
async fn a_failure_during_a_lock_restarts_its_duration(backend: Backend) {
    let h = harness(backend, "").await;
    h.create_user("restart@example.com", json!({})).await;
    for _ in 0..5 {
        h.login("restart@example.com", "wrong-password", SHOP).await;
    }
    h.advance_seconds(100);
    assert_eq!(
        h.login("restart@example.com", "wrong-password", SHOP)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    h.advance_seconds(100);
    let (status, body) = h.login("restart@example.com", "password-123", SHOP).await;
    assert_eq!(status, StatusCode::CONFLICT, "past the first lock's end");
    assert_eq!(body["actions"][0]["expiry"], START + 280_000);
    h.advance_seconds(79);
    assert_eq!(
        h.login("restart@example.com", "password-123", SHOP).await.0,
        StatusCode::CONFLICT
    );
    h.advance_seconds(1);
    assert_eq!(
        h.login("restart@example.com", "password-123", SHOP).await.0,
        StatusCode::OK
    );
}

/// Once a lock has run out the count starts again from zero: one more failure is one,
/// not N+1, so the user is not locked again at once.
async fn a_lock_that_ran_out_starts_the_count_over(backend: Backend) {
    let h = harness(backend, "").await;
    let user = h.create_user("over@example.com", json!({})).await;
    for _ in 0..5 {
        h.login("over@example.com", "wrong-password", SHOP).await;
    }
    h.advance_seconds(180);
    for _ in 0..4 {
        h.login("over@example.com", "wrong-password", SHOP).await;
    }
    let failures = h.state.store.failures(user).await.unwrap().unwrap();
    assert_eq!(failures.count, 4);
    assert_eq!(failures.active_lock(h.clock.now_millis()), None);
    h.login("over@example.com", "wrong-password", SHOP).await;
    assert_eq!(
        h.login("over@example.com", "password-123", SHOP).await.0,
        StatusCode::CONFLICT
    );
    assert_eq!(h.state.metrics.lockouts.get(), 2);
}

/// `resetCountInSeconds` is a quiet period after the *last* failure: one failure every
/// 60 s keeps the count climbing to a lock; one every 61 s never gets past one.
async fn the_reset_window_is_measured_from_the_last_failure(backend: Backend) {
    let h = harness(backend, "").await;
    let patient = h.create_user("patient@example.com", json!({})).await;
    let slower = h.create_user("slower@example.com", json!({})).await;
    for _ in 0..5 {
        h.login("patient@example.com", "wrong-password", SHOP).await;
        h.advance_seconds(60);
    }
    let failures = h.state.store.failures(patient).await.unwrap().unwrap();
    assert_eq!(failures.count, 5);
    assert!(
        failures.locked_until.is_some(),
        "one per minute still locks"
    );
    for _ in 0..5 {
        h.login("slower@example.com", "wrong-password", SHOP).await;
        h.advance_seconds(61);
    }
    assert_eq!(
        h.state.store.failures(slower).await.unwrap().unwrap().count,
        1
    );
    assert_eq!(
        h.login("slower@example.com", "password-123", SHOP).await.0,
        StatusCode::OK
    );
}

/// `actionDuration` is counted in `actionDurationUnit`.
async fn the_lock_lasts_its_duration_in_its_unit(backend: Backend) {
    let h = harness(
        backend,
        "    failedAuthenticationConfiguration: {tooManyAttempts: 2, actionDuration: 2, actionDurationUnit: HOURS}\n",
    )
    .await;
    h.create_user("hours@example.com", json!({})).await;
    for _ in 0..2 {
        h.login("hours@example.com", "wrong-password", SHOP).await;
    }
    let (status, body) = h.login("hours@example.com", "password-123", SHOP).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["actions"][0]["expiry"], START + 7_200_000);
    h.advance_seconds(7_199);
    assert_eq!(
        h.login("hours@example.com", "password-123", SHOP).await.0,
        StatusCode::CONFLICT
    );
    h.advance_seconds(1);
    assert_eq!(
        h.login("hours@example.com", "password-123", SHOP).await.0,
        StatusCode::OK
    );
}

/// A user with an authenticator method and a pending `twoFactorId`.
async fn two_factor_user(h: &Harness, email: &str) -> (Uuid, Vec<String>) {
    let user = h.create_user(email, json!({})).await;
    let recovery = h.enable_two_factor(user).await;
    (user, recovery)
}

async fn start_two_factor(h: &Harness, email: &str) -> String {
    let (status, body) = h.login(email, "password-123", SHOP).await;
    assert_eq!(status.as_u16(), 242, "{body}");
    body["twoFactorId"].as_str().unwrap().to_owned()
}

/// The bypass this closes: with the password, an attacker can start any number of
/// `twoFactorId`s, each good for five wrong codes. Wrong codes count toward the user's
/// lockout, so the total is bounded by `tooManyAttempts` per lock, not five per id.
async fn wrong_codes_count_toward_the_lockout_across_two_factor_ids(backend: Backend) {
    let h = harness(backend, "").await;
    let (user, _) = two_factor_user(&h, "guessed@example.com").await;
    let first = start_two_factor(&h, "guessed@example.com").await;
    for _ in 0..4 {
        assert_eq!(
            h.two_factor_login(&first, &h.wrong_totp_code())
                .await
                .0
                .as_u16(),
            421
        );
    }
    let second = start_two_factor(&h, "guessed@example.com").await;
    assert_eq!(
        h.state.store.failures(user).await.unwrap().unwrap().count,
        4,
        "a correct password that only reaches the challenge does not clear the count"
    );
    assert_eq!(
        h.two_factor_login(&second, &h.wrong_totp_code())
            .await
            .0
            .as_u16(),
        421
    );
    let (status, body) = h.two_factor_login(&second, &h.totp_code()).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the fifth wrong code locked the user"
    );
    assert_eq!(body["actions"][0]["expiry"], START + 30_000 + 180_000);
    assert_eq!(
        h.login("guessed@example.com", "password-123", SHOP).await.0,
        StatusCode::CONFLICT,
        "no new twoFactorId while locked"
    );
    h.advance_seconds(180);
    let third = start_two_factor(&h, "guessed@example.com").await;
    let (status, body) = h.two_factor_login(&third, &h.totp_code()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(h.state.store.failures(user).await.unwrap(), None);
}

/// During a lock every code gets the lock's 409, right or wrong, and is not looked at:
/// nothing is learnt, and a recovery code tried then is still there afterwards.
async fn a_locked_user_gets_the_lock_for_any_code_and_keeps_recovery_codes(backend: Backend) {
    let h = harness(backend, "").await;
    let (user, recovery) = two_factor_user(&h, "kept@example.com").await;
    let pending = start_two_factor(&h, "kept@example.com").await;
    for _ in 0..5 {
        h.login("kept@example.com", "wrong-password", SHOP).await;
    }
    for code in [h.wrong_totp_code(), h.totp_code(), recovery[0].clone()] {
        let (status, body) = h.two_factor_login(&pending, &code).await;
        assert_eq!(status, StatusCode::CONFLICT, "{code}");
        assert_eq!(body["actions"][0]["expiry"], START + 30_000 + 180_000);
    }
    assert_eq!(
        h.state.store.failures(user).await.unwrap().unwrap().count,
        5,
        "codes refused for the lock are not counted again"
    );
    h.advance_seconds(180);
    let (status, body) = h.two_factor_login(&pending, &recovery[0]).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the id and the recovery code both survived the lock: {body}"
    );
}

/// 20 `twoFactorId`s × 5 wrong codes, all at once across two sidecars, with
/// `tooManyAttempts: 100`: every wrong code is counted once and the hundredth locks.
async fn a_hundred_concurrent_wrong_codes_on_two_sidecars_lock_at_exactly_n(backend: Backend) {
    let (a, b) = pair(
        backend,
        &config("    failedAuthenticationConfiguration: {tooManyAttempts: 100}\n"),
    )
    .await;
    let (user, _) = two_factor_user(&a, "swarm@example.com").await;
    let mut ids = Vec::new();
    for i in 0..20 {
        let h = if i % 2 == 0 { &a } else { &b };
        ids.push(start_two_factor(h, "swarm@example.com").await);
    }
    let wrong = a.wrong_totp_code();
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let body = json!({"twoFactorId": ids[i % 20], "code": wrong});
            let request = json_request("POST", "/api/two-factor/login", Some(&body), &[]);
            let h = if i % 2 == 0 { &a } else { &b };
            tokio::spawn(send_to(h.app.clone(), request))
        })
        .collect();
    for task in tasks {
        let (status, body): (StatusCode, Value) = task.await.unwrap();
        assert_eq!(status.as_u16(), 421, "{body}");
    }
    let failures = a.state.store.failures(user).await.unwrap().unwrap();
    assert_eq!(
        failures.count, 100,
        "no wrong code lost across the two sidecars"
    );
    assert!(failures.active_lock(a.clock.now_millis()).is_some());
    assert_eq!(lockouts_started([&a, &b]), 1);
}

/// A lock that starts while a correct password is being hashed refuses that login: the
/// login read the user's failures before its hash, when there was no lock, and its
/// write checks again. 409 with the lock's expiry, and nothing written — no login
/// record, no login instant, and the lock is not cleared as a success would clear it.
async fn a_lock_that_starts_during_the_hash_refuses_the_login(backend: Backend) {
    let h = harness(backend, "").await;
    let user = h.create_user("midhash@example.com", json!({})).await;
    // The registration logged the user in; what the login under test writes comes later.
    let records = h.state.store.login_records(user).await.unwrap().len();
    let (registered, _) = h.state.store.user(user).await.unwrap().unwrap();
    h.advance_seconds(1);
    // Both of the harness's hashing threads held, so the login waits after its read.
    let (release, hold) = std::sync::mpsc::channel::<()>();
    let hold = Arc::new(Mutex::new(hold));
    let jobs = h.hash_jobs();
    for _ in 0..2 {
        let hasher = h.state.hasher.clone();
        let hold = Arc::clone(&hold);
        tokio::spawn(async move {
            hasher
                .run(move || hold.lock().map(|h| h.recv().is_ok()).unwrap_or(false))
                .await
        });
    }
    while h.hash_jobs() < jobs + 2 {
        tokio::task::yield_now().await;
    }
    let reads = h.store_operations("login_user");
    let login = json_request(
        "POST",
        "/api/login",
        Some(
            &json!({"loginId": "midhash@example.com", "password": "password-123", "applicationId": SHOP}),
        ),
        &[("authorization", API_KEY)],
    );
    let login = tokio::spawn(send_to(h.app.clone(), login));
    while h.store_operations("login_user") == reads {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }

    let now = h.clock.now_millis();
    let locked_until = now + 60_000;
    h.state
        .store
        .record_failure(user, |_| {
            let locked = FailureState {
                count: 5,
                last_failure_instant: now,
                locked_until: Some(locked_until),
            };
            (locked, true)
        })
        .await
        .unwrap();
    drop(release);

    let (status, body) = login.await.unwrap();
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["actions"][0]["expiry"], locked_until);
    assert!(body.get("token").is_none() && body.get("refreshToken").is_none());
    assert_eq!(
        h.state.store.login_records(user).await.unwrap().len(),
        records
    );
    let (stored, _) = h.state.store.user(user).await.unwrap().unwrap();
    assert_eq!(stored.last_login_instant, registered.last_login_instant);
    let failures = h.state.store.failures(user).await.unwrap().unwrap();
    assert_eq!(failures.active_lock(now), Some(locked_until));
}

on_both_backends!(
    a_lock_that_starts_during_the_hash_refuses_the_login,
    a_hundred_concurrent_failures_on_two_sidecars_lock_at_exactly_n,
    n_minus_one_failures_leave_login_open_and_the_nth_locks,
    a_failure_during_a_lock_restarts_its_duration,
    a_lock_that_ran_out_starts_the_count_over,
    the_reset_window_is_measured_from_the_last_failure,
    the_lock_lasts_its_duration_in_its_unit,
    wrong_codes_count_toward_the_lockout_across_two_factor_ids,
    a_locked_user_gets_the_lock_for_any_code_and_keeps_recovery_codes,
    a_hundred_concurrent_wrong_codes_on_two_sidecars_lock_at_exactly_n,
);
