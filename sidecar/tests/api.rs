//! In-process HTTP tests: the router over a real SQLite file with an injected clock, for
//! what a black-box suite cannot reach — expiry of every TTL, lock windows, concurrent
//! races, and what lands in the database.

// Test support code: a panic here is a failed test, not a reachable crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::AtomicI64;
use std::sync::Arc;

use authlet_core::config::Config;
use authlet_core::login::FailureState;
use authlet_sidecar::state::{Clock, Runtime};
use authlet_sidecar::store::{Backend, RefreshLookup, Store};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use support::*;
use tower::ServiceExt;
use uuid::Uuid;

async fn lock_lasts_its_duration_then_lifts(backend: Backend) {
    let h = harness(backend, "").await;
    h.create_user("lock@example.com", json!({})).await;
    for _ in 0..5 {
        assert_eq!(
            h.login("lock@example.com", "wrong-password", SHOP).await.0,
            StatusCode::NOT_FOUND
        );
    }
    let (status, body) = h.login("LOCK@example.com", "password-123", SHOP).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["actions"][0]["expiry"], START + 180_000);
    h.advance_seconds(179);
    assert_eq!(
        h.login("lock@example.com", "password-123", SHOP).await.0,
        StatusCode::CONFLICT
    );
    h.advance_seconds(1);
    assert_eq!(
        h.login("lock@example.com", "password-123", SHOP).await.0,
        StatusCode::OK
    );
}

async fn failure_count_resets_after_the_quiet_window(backend: Backend) {
    let h = harness(backend, "").await;
    h.create_user("quiet@example.com", json!({})).await;
    for _ in 0..4 {
        h.login("quiet@example.com", "wrong-password", SHOP).await;
    }
    h.advance_seconds(61);
    for _ in 0..4 {
        h.login("quiet@example.com", "wrong-password", SHOP).await;
    }
    assert_eq!(
        h.login("quiet@example.com", "password-123", SHOP).await.0,
        StatusCode::OK
    );
}

async fn concurrent_failures_are_all_counted(backend: Backend) {
    let h = harness(
        backend,
        "    failedAuthenticationConfiguration: {tooManyAttempts: 1000}\n",
    )
    .await;
    let user = h.create_user("race@example.com", json!({})).await;
    let attempts = (0..40).map(|_| h.login("race@example.com", "wrong-password", SHOP));
    for (status, _) in futures::future::join_all(attempts).await {
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        h.state.store.failures(user).await.unwrap().unwrap().count,
        40
    );
}

async fn unknown_user_wrong_password_and_locked_wrong_password_look_the_same(backend: Backend) {
    let h = harness(backend, "").await;
    h.create_user("same@example.com", json!({})).await;
    let unknown = h.call("POST", "/api/login", Some(json!({"loginId": "nobody@example.com", "password": "x-password", "applicationId": SHOP})), &[("authorization", API_KEY)]).await;
    let wrong = h.call("POST", "/api/login", Some(json!({"loginId": "same@example.com", "password": "x-password", "applicationId": SHOP})), &[("authorization", API_KEY)]).await;
    for _ in 0..5 {
        h.login("same@example.com", "x-password", SHOP).await;
    }
    let locked = h.call("POST", "/api/login", Some(json!({"loginId": "same@example.com", "password": "x-password", "applicationId": SHOP})), &[("authorization", API_KEY)]).await;
    assert_eq!(unknown, wrong);
    assert_eq!(unknown, locked);
    assert_eq!(unknown.0, StatusCode::NOT_FOUND);
}

/// Enables an authenticator for `user`; returns its code at the harness's clock.
async fn enable_authenticator(h: &Harness, user: Uuid) -> impl Fn(&Harness) -> String {
    let secret = "MDEyMzQ1Njc4OTAxMjM0NTY3ODk=";
    let key = authlet_core::two_factor::decode_secret(Some(secret), None).unwrap();
    let code = move |h: &Harness| {
        authlet_core::two_factor::code_at(&key, u64::try_from(h.clock.now_millis() / 1000).unwrap())
    };
    let (status, body) = h
        .keyed(
            "POST",
            &format!("/api/user/two-factor/{user}"),
            json!({"method": "authenticator", "secret": secret, "code": code(h)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["recoveryCodes"].as_array().unwrap().len(), 10);
    code
}

/// `POST /api/two-factor/login` with `code`.
async fn complete_two_factor(h: &Harness, two_factor_id: &str, code: &str) -> (StatusCode, Value) {
    let (status, body, _) = h
        .call(
            "POST",
            "/api/two-factor/login",
            Some(json!({"twoFactorId": two_factor_id, "code": code})),
            &[],
        )
        .await;
    (status, body)
}

async fn two_factor_id_expires_after_the_tenant_ttl(backend: Backend) {
    let h = harness(
        backend,
        "    externalIdentifierConfiguration: {twoFactorIdTimeToLiveInSeconds: 30}\n",
    )
    .await;
    let user = h.create_user("mfa@example.com", json!({})).await;
    let code = enable_authenticator(&h, user).await;

    let (status, body) = h.login("mfa@example.com", "password-123", SHOP).await;
    assert_eq!(status.as_u16(), 242);
    let two_factor_id = body["twoFactorId"].as_str().unwrap().to_owned();
    h.advance_seconds(31);
    let (status, _) = complete_two_factor(&h, &two_factor_id, &code(&h)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "expired twoFactorId");

    let (_, body) = h.login("mfa@example.com", "password-123", SHOP).await;
    let two_factor_id = body["twoFactorId"].as_str().unwrap().to_owned();
    h.advance_seconds(29);
    let (status, body) = complete_two_factor(&h, &two_factor_id, &code(&h)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let claims: Value = h
        .state
        .runtime()
        .keys
        .verify(body["token"].as_str().unwrap(), h.clock.now_millis())
        .unwrap();
    assert_eq!(claims["authenticationType"], "PASSWORD");
}

async fn wrong_two_factor_codes_withdraw_the_id_after_five_tries(backend: Backend) {
    let h = harness(backend, "").await;
    let user = h.create_user("guess@example.com", json!({})).await;
    let code = enable_authenticator(&h, user).await;
    h.advance_seconds(30);
    let (_, body) = h.login("guess@example.com", "password-123", SHOP).await;
    let id = body["twoFactorId"].as_str().unwrap().to_owned();
    for _ in 0..5 {
        let (status, _) = complete_two_factor(&h, &id, "000000").await;
        assert_eq!(status.as_u16(), 421);
    }
    let (status, _) = complete_two_factor(&h, &id, &code(&h)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the id is gone after five wrong codes"
    );
}

/// The trust token a two-factor completion returns (stored with the login's own write)
/// lets that user change a password once; a second use, or no completion, does not.
async fn a_two_factor_completion_issues_a_trust_token_good_for_one_change(backend: Backend) {
    let h = harness(backend, "").await;
    let user = h.create_user("trust@example.com", json!({})).await;
    let code = enable_authenticator(&h, user).await;
    h.advance_seconds(30);
    let (_, body) = h.login("trust@example.com", "password-123", SHOP).await;
    let two_factor_id = body["twoFactorId"].as_str().unwrap().to_owned();
    let (status, body) = complete_two_factor(&h, &two_factor_id, &code(&h)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let trust_token = body["trustToken"].as_str().unwrap().to_owned();

    let change = async |trust_token: &str| {
        let (_, body) = h
            .keyed(
                "POST",
                "/api/user/forgot-password",
                json!({"loginId": "trust@example.com"}),
            )
            .await;
        let id = body["changePasswordId"].as_str().unwrap().to_owned();
        let (status, body, _) = h
            .call(
                "POST",
                "/api/user/change-password",
                Some(json!({"changePasswordId": id, "password": "another-password-9", "trustToken": trust_token})),
                &[],
            )
            .await;
        (status, body)
    };
    let (status, body) = change(&trust_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = change(&trust_token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "used once already: {body}");
    assert_eq!(
        body["fieldErrors"]["trustToken"][0]["code"], "[invalid]trustToken",
        "{body}"
    );
}

/// Runs forgot-password and change-password; returns the one-time password.
async fn one_time_password(h: &Harness, login_id: &str) -> String {
    let (_, body) = h
        .keyed(
            "POST",
            "/api/user/forgot-password",
            json!({"loginId": login_id}),
        )
        .await;
    let id = body["changePasswordId"].as_str().unwrap().to_owned();
    let (status, body, _) = h
        .call(
            "POST",
            "/api/user/change-password",
            Some(json!({"changePasswordId": id, "password": "another-password"})),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    body["oneTimePassword"].as_str().unwrap().to_owned()
}

/// `POST /api/login` with a one-time password, by a caller with the API key.
async fn one_time_password_login(h: &Harness, one_time_password: &str) -> (StatusCode, Value) {
    let (status, body, _) = h
        .call(
            "POST",
            "/api/login",
            Some(json!({"oneTimePassword": one_time_password})),
            &[("authorization", API_KEY)],
        )
        .await;
    (status, body)
}

async fn one_time_password_expires_after_sixty_seconds(backend: Backend) {
    let h = harness(backend, "").await;
    h.create_user("otp@example.com", json!({})).await;
    let first = one_time_password(&h, "otp@example.com").await;
    h.advance_seconds(61);
    let (status, _) = one_time_password_login(&h, &first).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let second = one_time_password(&h, "otp@example.com").await;
    h.advance_seconds(59);
    let (status, _) = one_time_password_login(&h, &second).await;
    assert_eq!(status, StatusCode::OK);
}

/// A locked user's one-time password gets the lock's 409, as a password would.
async fn a_locked_user_gets_the_lock_for_a_one_time_password(backend: Backend) {
    let h = harness(backend, "").await;
    h.create_user("otp-lock@example.com", json!({})).await;
    let otp = one_time_password(&h, "otp-lock@example.com").await;
    for _ in 0..5 {
        h.login("otp-lock@example.com", "wrong-password", SHOP)
            .await;
    }
    let (status, body) = one_time_password_login(&h, &otp).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["actions"][0]["expiry"], START + 180_000);
    assert!(body.get("token").is_none());
}

/// A refresh token is refused while its user is locked, here one the lock did not
/// revoke, and accepted again once the lock has run out.
async fn a_refresh_token_is_refused_while_its_user_is_locked(backend: Backend) {
    let h = harness(backend, "").await;
    let user = h.create_user("refresh-lock@example.com", json!({})).await;
    let (status, body) = h
        .login("refresh-lock@example.com", "password-123", SHOP)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["refreshToken"].as_str().unwrap().to_owned();
    let now = h.clock.now_millis();
    let locked = FailureState {
        count: 5,
        last_failure_instant: now,
        locked_until: Some(now + 60_000),
    };
    h.state
        .store
        .record_failure(user, |_| (locked, false))
        .await
        .unwrap();
    assert_eq!(h.refresh(&token).await.0, StatusCode::BAD_REQUEST);
    h.advance_seconds(60);
    assert_eq!(h.refresh(&token).await.0, StatusCode::OK);
}

async fn change_password_id_expires_after_its_ttl(backend: Backend) {
    let h = harness(
        backend,
        "    externalIdentifierConfiguration: {changePasswordIdTimeToLiveInSeconds: 100}\n",
    )
    .await;
    h.create_user("cp@example.com", json!({})).await;
    let (_, body) = h
        .keyed(
            "POST",
            "/api/user/forgot-password",
            json!({"loginId": "cp@example.com"}),
        )
        .await;
    h.advance_seconds(101);
    let (status, _, _) = h
        .call("POST", "/api/user/change-password", Some(json!({"changePasswordId": body["changePasswordId"], "password": "another-password"})), &[])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A new user's logins to the shop (a fixed, reusable refresh token) and to the
/// one-time application (a sliding, one-time-use one), in that order.
async fn logins_with_both_token_policies(h: &Harness, email: &str) -> (Value, Value) {
    let user = h.create_user(email, json!({})).await;
    h.register(user, ONE_TIME).await;
    let (_, fixed) = h.login(email, "password-123", SHOP).await;
    let (_, sliding) = h.login(email, "password-123", ONE_TIME).await;
    (fixed, sliding)
}

async fn fixed_refresh_tokens_expire_and_sliding_ones_live_while_used(backend: Backend) {
    let h = harness(backend, "").await;
    let (fixed, sliding) = logins_with_both_token_policies(&h, "refresh@example.com").await;
    let mut sliding_token = sliding["refreshToken"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        h.advance_seconds(300);
        let (status, body) = h.refresh(&sliding_token).await;
        assert_eq!(status, StatusCode::OK, "sliding window kept alive by use");
        sliding_token = body["refreshToken"].as_str().unwrap().to_owned();
    }
    let (status, _) = h.refresh(fixed["refreshToken"].as_str().unwrap()).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "fixed window counted from issue"
    );
}

async fn concurrent_use_of_a_one_time_token_succeeds_once_and_revokes_the_family(backend: Backend) {
    let h = harness(backend, "").await;
    let user = h.create_user("once@example.com", json!({})).await;
    h.register(user, ONE_TIME).await;
    let (_, body) = h.login("once@example.com", "password-123", ONE_TIME).await;
    let token = body["refreshToken"].as_str().unwrap().to_owned();
    let uses = (0..20).map(|_| h.refresh(&token));
    let results = futures::future::join_all(uses).await;
    let winners: Vec<_> = results.iter().filter(|r| r.0 == StatusCode::OK).collect();
    assert_eq!(winners.len(), 1, "exactly one concurrent use succeeds");
    let rotated = winners[0].1["refreshToken"].as_str().unwrap().to_owned();
    let (status, _) = h.refresh(&rotated).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "the reuse revoked the whole family"
    );
}

async fn modify_encryption_scheme_on_login_rehashes_imported_users(backend: Backend) {
    let h = harness(backend, "    passwordEncryptionConfiguration: {encryptionScheme: salted-pbkdf2-hmac-sha256, encryptionSchemeFactor: 100, modifyEncryptionSchemeOnLogin: true}\n").await;
    let id = Uuid::new_v4();
    let (status, body) = h
        .keyed(
            "POST",
            "/api/user/import",
            json!({"users": [{"id": id, "email": "imported@example.com", "active": true, "encryptionScheme": "salted-sha256", "factor": 20000,
                "salt": "MmE5M2Y2NzQtYjQ0ZS00Yzk5LWIxZDQtMjA4MTE3ZGQwMTM0", "password": "NF+m8S+f16RR3RhYkz90y2heRjC6SwFoVT9pFNby6/E="}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        h.login("imported@example.com", "q", SHOP).await.0,
        StatusCode::ACCEPTED
    );
    let (_, hash) = h.state.store.user(id).await.unwrap().unwrap();
    let hash = hash.unwrap();
    assert_eq!(
        (hash.scheme.name(), hash.factor),
        ("salted-pbkdf2-hmac-sha256", 100)
    );
    assert_eq!(
        h.login("imported@example.com", "q", SHOP).await.0,
        StatusCode::ACCEPTED,
        "the new hash verifies"
    );
}

async fn password_age_and_rules_demand_a_change_with_their_reason(backend: Backend) {
    let h = harness(backend, "    maximumPasswordAge: {enabled: true, days: 1}\n    passwordValidationRules: {validateOnLogin: true, requireNumber: true}\n").await;
    h.create_user("age@example.com", json!({})).await;
    h.advance_seconds(86_401);
    let (status, body) = h.login("age@example.com", "password-123", SHOP).await;
    assert_eq!(
        (status.as_u16(), body["changePasswordReason"].as_str()),
        (203, Some("Expired"))
    );
    assert!(body.get("token").is_none());
}

async fn validate_on_login_reports_validation_reason(backend: Backend) {
    let h = harness(
        backend,
        "    passwordValidationRules: {validateOnLogin: true, requireMixedCase: true}\n",
    )
    .await;
    h.keyed(
        "POST",
        "/api/user/import",
        json!({"users": [{"email": "weak@example.com", "active": true, "password": "alllowercase", "registrations": [{"applicationId": SHOP}]}]}),
    )
    .await;
    let (status, body) = h.login("weak@example.com", "alllowercase", SHOP).await;
    assert_eq!(
        (status.as_u16(), body["changePasswordReason"].as_str()),
        (203, Some("Validation"))
    );
}

async fn email_verification_gate_reports_212_with_the_user(backend: Backend) {
    let h = harness(backend, "    emailConfiguration: {verifyEmail: true}\n").await;
    h.create_user("unverified@example.com", json!({})).await;
    let (status, body) = h
        .login("unverified@example.com", "password-123", SHOP)
        .await;
    assert_eq!(status.as_u16(), 212);
    assert_eq!(body["user"]["email"], "unverified@example.com");
    h.create_user("verified@example.com", json!({"verified": true}))
        .await;
    assert_eq!(
        h.login("verified@example.com", "password-123", SHOP)
            .await
            .0,
        StatusCode::OK
    );
}

async fn login_record_ip_prefers_body_then_forwarded_for(backend: Backend) {
    let h = harness(backend, "").await;
    let user = h.create_user("ip@example.com", json!({})).await;
    let login =
        json!({"loginId": "ip@example.com", "password": "password-123", "applicationId": SHOP});
    let mut with_ip = login.clone();
    with_ip["ipAddress"] = json!("192.0.2.1");
    h.call(
        "POST",
        "/api/login",
        Some(with_ip),
        &[
            ("authorization", API_KEY),
            ("x-forwarded-for", "198.51.100.7"),
        ],
    )
    .await;
    h.call(
        "POST",
        "/api/login",
        Some(login),
        &[
            ("authorization", API_KEY),
            ("x-forwarded-for", "198.51.100.7, 10.0.0.1"),
        ],
    )
    .await;
    let records = h.state.store.login_records(user).await.unwrap();
    let ips: Vec<_> = records.iter().map(|r| r.ip_address.as_deref()).collect();
    // the first record is the user's creation with a password
    assert_eq!(ips[1..], [Some("192.0.2.1"), Some("198.51.100.7")]);
    assert!(records.iter().all(|r| r.user_id == user));
    assert_eq!(records[1].application_name.as_deref(), Some("Shop"));
    assert_eq!(records[1].login_id, "ip@example.com");
}

async fn cookies_are_secure_behind_an_https_proxy_only(backend: Backend) {
    let h = harness(backend, "").await;
    h.create_user("cookie@example.com", json!({})).await;
    let login =
        json!({"loginId": "cookie@example.com", "password": "password-123", "applicationId": SHOP});
    let (_, _, plain) = h
        .call(
            "POST",
            "/api/login",
            Some(login.clone()),
            &[("authorization", API_KEY)],
        )
        .await;
    let (_, _, proxied) = h
        .call(
            "POST",
            "/api/login",
            Some(login),
            &[("authorization", API_KEY), ("x-forwarded-proto", "https")],
        )
        .await;
    assert_eq!((plain.len(), proxied.len()), (2, 2));
    assert!(
        plain
            .iter()
            .all(|c| c.contains("HttpOnly") && !c.contains("Secure")),
        "{plain:?}"
    );
    assert!(
        proxied
            .iter()
            .all(|c| c.contains("HttpOnly") && c.contains("Secure")),
        "{proxied:?}"
    );
}

async fn reload_swaps_the_whole_configuration_atomically(backend: Backend) {
    let h = harness(backend, "").await;
    assert_eq!(
        h.call(
            "POST",
            "/api/login",
            Some(json!({"loginId": "a", "password": "b"})),
            &[]
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    let relaxed = config("    loginConfiguration: {requireAuthentication: false}\n");
    h.state
        .replace_runtime(Runtime::new(Config::parse(&relaxed).unwrap()).unwrap());
    assert_eq!(
        h.call(
            "POST",
            "/api/login",
            Some(json!({"loginId": "a", "password": "b"})),
            &[]
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
}

/// Seeds login records directly: `(user, application, instant)` triples.
async fn seed_records(h: &Harness, records: &[(Uuid, Option<&str>, i64)]) {
    for (user_id, application, instant) in records {
        h.state
            .store
            .insert_login_record(&authlet_sidecar::store::LoginRecord {
                tenant_id: Uuid::parse_str("6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d").unwrap(),
                user_id: *user_id,
                application_id: application.map(|a| Uuid::parse_str(a).unwrap()),
                application_name: application.map(|_| "Shop".to_owned()),
                login_id: format!("{user_id}@example.com"),
                instant: *instant,
                ip_address: Some("192.0.2.9".into()),
            })
            .await
            .unwrap();
    }
}

/// `total` of a search with no criteria: served from the per-tenant counts.
async fn unfiltered_total(h: &Harness) -> i64 {
    let (status, body, _) = h
        .call(
            "GET",
            "/api/system/login-record/search?retrieveTotal=true",
            None,
            &[("authorization", API_KEY)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["total"].as_i64().unwrap()
}

async fn record_search_filters_pages_and_totals(backend: Backend) {
    let h = harness(backend, "").await;
    let (alice, bob) = (Uuid::from_u128(1), Uuid::from_u128(2));
    // 30 records for alice at instants 0..30 (some with equal instants), 5 for bob.
    let mut seeded: Vec<(Uuid, Option<&str>, i64)> =
        (0..30).map(|i| (alice, Some(SHOP), i / 2)).collect();
    seeded.extend((0..5).map(|i| (bob, None, 100 + i)));
    seed_records(&h, &seeded).await;

    let (status, body, _) = h
        .call(
            "GET",
            &format!("/api/system/login-record/search?userId={alice}&retrieveTotal=true"),
            None,
            &[("authorization", API_KEY)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 30);
    assert_eq!(
        body["logins"].as_array().unwrap().len(),
        25,
        "default page size"
    );
    assert_eq!(unfiltered_total(&h).await, 35);
    assert_eq!(body["logins"][0]["instant"], 14, "newest first");
    assert_eq!(body["logins"][0]["applicationName"], "Shop");

    // paging with startRow visits every record exactly once, ties included
    let mut seen = std::collections::HashSet::new();
    let mut instants = Vec::new();
    for start_row in (0..30).step_by(7) {
        let (_, page) = h
            .keyed(
                "POST",
                "/api/system/login-record/search",
                json!({"search": {"userId": alice, "numberOfResults": 7, "startRow": start_row}}),
            )
            .await;
        assert!(page.get("total").is_none(), "total only when asked");
        for login in page["logins"].as_array().unwrap() {
            instants.push(login["instant"].as_i64().unwrap());
            seen.insert(login.to_string());
        }
    }
    assert_eq!(instants.len(), 30);
    assert!(instants.windows(2).all(|w| w[0] >= w[1]));

    let (_, windowed) = h
        .keyed(
            "POST",
            "/api/system/login-record/search",
            json!({"search": {"start": 5, "end": 100}, "retrieveTotal": true}),
        )
        .await;
    assert_eq!(
        windowed["total"],
        20 + 1,
        "instants 5..=14 for alice (two each) and bob's 100"
    );
    let (_, by_app) = h
        .keyed(
            "POST",
            "/api/system/login-record/search",
            json!({"search": {"applicationId": SHOP}, "retrieveTotal": true}),
        )
        .await;
    assert_eq!(by_app["total"], 30);

    let (status, errors) = h
        .keyed(
            "POST",
            "/api/system/login-record/search",
            json!({"search": {"userId": "x", "numberOfResults": -1, "start": 9, "end": 1}}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        errors["fieldErrors"].as_object().unwrap().len(),
        3,
        "{errors}"
    );
    let (status, _, _) = h
        .call("GET", "/api/system/login-record/search", None, &[])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn export_csv(h: &Harness, query: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .uri(format!("/api/system/login-record/export?{query}"))
        .header("authorization", API_KEY)
        .body(Body::empty())
        .unwrap();
    let response = h.app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    if status != StatusCode::OK {
        return (status, String::from_utf8_lossy(&bytes).into_owned());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut csv = String::new();
    std::io::Read::read_to_string(&mut archive.by_index(0).unwrap(), &mut csv).unwrap();
    (status, csv)
}

async fn export_writes_fusionauth_csv_in_the_requested_zone_and_format(backend: Backend) {
    let h = harness(backend, "").await;
    let user = Uuid::from_u128(3);
    // 2026-07-04T18:30:05Z and 2026-01-15T09:00:00Z
    seed_records(
        &h,
        &[
            (user, Some(SHOP), 1_783_189_805_000),
            (user, None, 1_768_467_600_000),
        ],
    )
    .await;
    let (status, csv) = export_csv(&h, &format!("userId={user}")).await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    let lines: Vec<_> = csv.lines().collect();
    assert_eq!(lines[0], authlet_core::records::EXPORT_HEADER);
    assert_eq!(lines.len(), 3);
    // default format and the tenant's default zone (America/Denver: MDT in July)
    assert_eq!(
        lines[1],
        format!("{user},{user}@example.com,email,7/4/2026 12:30:05 PM MDT,{SHOP},192.0.2.9,,,,,,")
    );
    assert_eq!(
        lines[2],
        format!("{user},{user}@example.com,email,1/15/2026 02:00:00 AM MST,,192.0.2.9,,,,,,")
    );

    let (_, csv) = export_csv(
        &h,
        &format!("userId={user}&zoneId=Asia/Tokyo&dateTimeSecondsFormat=yyyy-MM-dd'T'HH:mm:ssXXX"),
    )
    .await;
    assert!(csv.contains(",2026-07-05T03:30:05+09:00,"), "{csv}");

    let (status, body) = export_csv(&h, "dateTimeSecondsFormat=GGGG").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("dateTimeSecondsFormat") && body.contains('G'),
        "{body}"
    );
    let (status, body) = export_csv(&h, "zoneId=Mars/Olympus").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("zoneId"), "{body}");
}

async fn export_streams_every_row_across_batches(backend: Backend) {
    let h = harness(backend, "").await;
    let user = Uuid::from_u128(4);
    let rows: Vec<_> = (0..5_000)
        .map(|i| (user, Some(SHOP), START + i / 3))
        .collect();
    seed_records(&h, &rows).await;
    let (_, csv) = export_csv(&h, "zoneId=UTC").await;
    assert_eq!(
        csv.lines().count(),
        5_001,
        "header plus every row exactly once"
    );
}

async fn retention_deletes_only_expired_records_of_tenants_that_enable_it(backend: Backend) {
    let h = harness(
        backend,
        "    loginRecordConfiguration: {delete: {enabled: true, numberOfDaysToRetain: 2}}\n",
    )
    .await;
    let user = Uuid::from_u128(6);
    let day = 86_400_000;
    let old: Vec<_> = (0..300)
        .map(|i| (user, Some(SHOP), START - 3 * day - i))
        .collect();
    seed_records(&h, &old).await;
    seed_records(
        &h,
        &[
            (user, Some(SHOP), START - 2 * day + 1),
            (user, Some(SHOP), START),
        ],
    )
    .await;
    assert_eq!(
        authlet_sidecar::retention::sweep(&h.state).await.unwrap(),
        300,
        "in several batches"
    );
    assert_eq!(h.state.store.login_records(user).await.unwrap().len(), 2);
    assert!(
        h.state
            .metrics
            .encode()
            .contains("authlet_login_records_expired_total 300\n"),
        "retention's progress is visible in the metrics"
    );
    assert_eq!(
        unfiltered_total(&h).await,
        2,
        "the kept count follows deletes"
    );
    h.advance_seconds(86_400);
    assert_eq!(
        authlet_sidecar::retention::sweep(&h.state).await.unwrap(),
        1
    );

    let keep = harness(backend, "").await;
    seed_records(&keep, &old[..10]).await;
    assert_eq!(
        authlet_sidecar::retention::sweep(&keep.state)
            .await
            .unwrap(),
        0,
        "retention is off by default"
    );
}

/// Identifiers past their expiry go whatever the tenant's login-record settings: a
/// two-factor id never completed, then the trust token of a completion.
async fn retention_deletes_expired_identifiers_and_keeps_live_ones(backend: Backend) {
    let h = harness(
        backend,
        "    externalIdentifierConfiguration: {twoFactorIdTimeToLiveInSeconds: 30, trustTokenTimeToLiveInSeconds: 60}\n",
    )
    .await;
    let user = h.create_user("abandoned@example.com", json!({})).await;
    let code = enable_authenticator(&h, user).await;
    let two_factor_id = async || {
        let (status, body) = h.login("abandoned@example.com", "password-123", SHOP).await;
        assert_eq!(status.as_u16(), 242, "{body}");
        body["twoFactorId"].as_str().unwrap().to_owned()
    };
    let sweep = async || {
        authlet_sidecar::retention::sweep_identifiers(&h.state)
            .await
            .unwrap()
    };
    let abandoned = two_factor_id().await;
    h.advance_seconds(31);
    let live = two_factor_id().await;
    assert_eq!(sweep().await, 1, "the abandoned two-factor id");
    assert!(
        h.state
            .metrics
            .encode()
            .contains("authlet_identifiers_expired_total 1\n"),
        "retention's progress is visible in the metrics"
    );
    let (status, _) = complete_two_factor(&h, &abandoned, &code(&h)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = complete_two_factor(&h, &live, &code(&h)).await;
    assert_eq!(status, StatusCode::OK, "the live one was kept: {body}");
    assert!(body["trustToken"].is_string(), "{body}");
    assert_eq!(sweep().await, 0, "the trust token is live");
    h.advance_seconds(60);
    assert_eq!(sweep().await, 1, "the trust token, at its expiry");
}

/// Retention deletes refresh tokens by their application's policy, at their expiry and
/// not before (a fixed one from its issue though used since, a sliding one from its last
/// use), and the values a one-time token was rotated from go with it.
async fn retention_deletes_expired_refresh_tokens_with_their_retired_values(backend: Backend) {
    let h = harness(backend, "").await;
    let (fixed, sliding) = logins_with_both_token_policies(&h, "tokens@example.com").await;
    let refresh = async |token: &str| {
        let (status, body) = h.refresh(token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["refreshToken"].as_str().unwrap().to_owned()
    };
    let sweep = async || {
        authlet_sidecar::retention::sweep_refresh_tokens(&h.state)
            .await
            .unwrap()
    };
    let retired = sliding["refreshToken"].as_str().unwrap().to_owned();
    h.advance_seconds(300);
    refresh(fixed["refreshToken"].as_str().unwrap()).await;
    let rotated = refresh(&retired).await;
    h.advance_seconds(300);
    assert_eq!(
        sweep().await,
        1,
        "the fixed token, ten minutes after its issue"
    );
    assert!(
        h.state
            .metrics
            .encode()
            .contains("authlet_refresh_tokens_expired_total 1\n"),
        "retention's progress is visible in the metrics"
    );
    let rotated = refresh(&rotated).await;
    let retired_hash = authlet_core::secrets::sha256_hex(retired.as_bytes());
    let find_retired = async || {
        h.state
            .store
            .find_refresh_token(&retired_hash)
            .await
            .unwrap()
    };
    h.advance_seconds(599);
    assert_eq!(
        sweep().await,
        0,
        "the sliding token, a second before ten minutes after its last use"
    );
    assert!(matches!(
        find_retired().await,
        RefreshLookup::Retired { .. }
    ));
    h.advance_seconds(1);
    assert_eq!(sweep().await, 1, "the sliding token, at its expiry");
    assert!(matches!(find_retired().await, RefreshLookup::Unknown));
    let (status, _) = h.refresh(&rotated).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// A password login the hashing queue has no room for is answered 503 before it reads
/// its user: under overload the excess costs no database work.
async fn a_login_the_hashing_queue_cannot_take_reads_no_user(backend: Backend) {
    let h = harness(backend, "").await;
    h.create_user("queued@example.com", json!({})).await;
    let before = h.store_operations("login_user");
    let queue: Vec<_> = std::iter::from_fn(|| h.state.hasher.reserve().ok())
        .take(100_000)
        .collect();

    let (status, body) = h.login("queued@example.com", "password-123", SHOP).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(
        h.store_operations("login_user"),
        before,
        "refused before the lookup"
    );

    drop(queue);
    let (status, body) = h.login("queued@example.com", "password-123", SHOP).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(h.store_operations("login_user"), before + 1);
}

/// A password login stays admitted until it has answered, its write included: while the
/// database holds the write back (here another connection's lock), the login counts
/// against the hashing bound, so a stalled database turns new logins away (see
/// `Hasher::reserve`) rather than piling hashed logins up behind it.
async fn a_login_stays_admitted_until_its_write_is_done(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(backend, &dir).await;
    let clock = Arc::new(ManualClock(AtomicI64::new(START)));
    let h = sidecar_on(&url, dir, clock, &config("")).await;
    let user = h.create_user("stalled@example.com", json!({})).await;
    let mut blocker = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    match backend {
        Backend::Sqlite => {
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut blocker)
                .await
                .unwrap();
        }
        Backend::Postgres => {
            sqlx::query("BEGIN").execute(&mut blocker).await.unwrap();
            sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
                .bind(user.to_string())
                .execute(&mut blocker)
                .await
                .unwrap();
        }
    }
    let writes = h.state.store.metrics().writes();
    let body = json!({"loginId": "stalled@example.com", "password": "password-123", "applicationId": SHOP});
    let request = json_request(
        "POST",
        "/api/login",
        Some(&body),
        &[("authorization", API_KEY)],
    );
    let login = tokio::spawn(send_to(h.app.clone(), request));
    while h.state.store.metrics().writes() == writes {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    assert_eq!(
        h.state.hasher.admitted(),
        1,
        "hashed, and admitted while its write waits"
    );
    assert!(!login.is_finished());

    sqlx::query("COMMIT").execute(&mut blocker).await.unwrap();
    let (status, body) = login.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(h.state.hasher.admitted(), 0, "answered");
}

on_both_backends!(
    lock_lasts_its_duration_then_lifts,
    failure_count_resets_after_the_quiet_window,
    concurrent_failures_are_all_counted,
    unknown_user_wrong_password_and_locked_wrong_password_look_the_same,
    two_factor_id_expires_after_the_tenant_ttl,
    wrong_two_factor_codes_withdraw_the_id_after_five_tries,
    a_two_factor_completion_issues_a_trust_token_good_for_one_change,
    one_time_password_expires_after_sixty_seconds,
    a_locked_user_gets_the_lock_for_a_one_time_password,
    a_refresh_token_is_refused_while_its_user_is_locked,
    change_password_id_expires_after_its_ttl,
    fixed_refresh_tokens_expire_and_sliding_ones_live_while_used,
    concurrent_use_of_a_one_time_token_succeeds_once_and_revokes_the_family,
    modify_encryption_scheme_on_login_rehashes_imported_users,
    password_age_and_rules_demand_a_change_with_their_reason,
    validate_on_login_reports_validation_reason,
    email_verification_gate_reports_212_with_the_user,
    login_record_ip_prefers_body_then_forwarded_for,
    cookies_are_secure_behind_an_https_proxy_only,
    reload_swaps_the_whole_configuration_atomically,
    record_search_filters_pages_and_totals,
    export_writes_fusionauth_csv_in_the_requested_zone_and_format,
    export_streams_every_row_across_batches,
    retention_deletes_only_expired_records_of_tenants_that_enable_it,
    retention_deletes_expired_identifiers_and_keeps_live_ones,
    retention_deletes_expired_refresh_tokens_with_their_retired_values,
    a_login_the_hashing_queue_cannot_take_reads_no_user,
    a_login_stays_admitted_until_its_write_is_done,
);

#[tokio::test]
async fn two_sidecars_on_one_postgres_database_behave_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(Backend::Postgres, &dir).await;
    let a = sidecar_on(
        &url,
        dir,
        Arc::new(ManualClock(AtomicI64::new(START))),
        &config(""),
    )
    .await;
    let b = sidecar_on(
        &url,
        tempfile::tempdir().unwrap(),
        Arc::clone(&a.clock),
        &config(""),
    )
    .await;

    // a refresh token issued by one is accepted by the other
    a.create_user("shared@example.com", json!({})).await;
    let (status, body) = a.login("shared@example.com", "password-123", SHOP).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = b.refresh(body["refreshToken"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);

    // failures on both count toward one lockout
    for _ in 0..3 {
        a.login("shared@example.com", "wrong-password", SHOP).await;
    }
    for _ in 0..2 {
        b.login("Shared@Example.com", "wrong-password", SHOP).await;
    }
    assert_eq!(
        a.login("shared@example.com", "password-123", SHOP).await.0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        b.login("shared@example.com", "password-123", SHOP).await.0,
        StatusCode::CONFLICT
    );

    // concurrent failures across both sidecars lose no increment
    let user = a.create_user("racing@example.com", json!({})).await;
    let wrong = |h: &Harness| {
        let app = h.app.clone();
        async move {
            let request = Request::builder()
                .method("POST")
                .uri("/api/login")
                .header("content-type", "application/json")
                .header("authorization", API_KEY)
                .body(Body::from(
                    json!({"loginId": "racing@example.com", "password": "wrong-password"})
                        .to_string(),
                ))
                .unwrap();
            app.oneshot(request).await.unwrap().status()
        }
    };
    let attempts = (0..8).flat_map(|_| [wrong(&a), wrong(&b)]);
    let statuses = futures::future::join_all(attempts).await;
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::NOT_FOUND || *s == StatusCode::CONFLICT));
    let failures = a.state.store.failures(user).await.unwrap().unwrap();
    assert_eq!(
        failures.count, 16,
        "every failure from both sidecars is counted"
    );
    assert!(failures.locked_until.is_some());
}

#[tokio::test]
async fn an_in_memory_sqlite_database_is_one_database() {
    let store = Store::connect("sqlite::memory:").await.unwrap();
    let record = authlet_sidecar::store::LoginRecord {
        tenant_id: Uuid::from_u128(1),
        user_id: Uuid::from_u128(2),
        application_id: None,
        application_name: None,
        login_id: "memory".into(),
        instant: START,
        ip_address: None,
    };
    for _ in 0..20 {
        store.insert_login_record(&record).await.unwrap();
    }
    let found =
        futures::future::join_all((0..8).map(|_| store.login_records(Uuid::from_u128(2)))).await;
    assert!(found
        .into_iter()
        .all(|records| records.unwrap().len() == 20));
}
