//! Bad configuration, through the path production takes: the file the sidecar watches
//! ([`authlet_sidecar::reload::watch`]) and, for startup, the binary itself.
//!
//! * Each of the bad configs below is rejected with a message naming the field by its
//!   path, while requests keep flowing under the last good config with zero failures —
//!   and nothing of a rejected config leaks in (its API key stays unknown).
//! * A good reload while requests are held mid-flight (waiting for the password hasher)
//!   drops none of them: each finishes under the config it started with.
//! * After the signing key rotates (`accessTokenKeyId` moves to a new key), tokens signed
//!   by the old key keep verifying — validate, JWT login ping — until their `exp`, as
//!   long as the old key stays listed; refresh tokens issued before keep working and get
//!   tokens from the new key. Removing a key from the config entirely refuses the
//!   tokens it signed at once: that is how a compromised key is withdrawn.
//! * The binary refuses to start on each bad config, naming the field.

// Test support code: a panic here is a failed test, not a reachable crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use authlet_sidecar::metrics::{Outcome, ReloadLabels};
use authlet_sidecar::store::Backend;
use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};
use support::*;

/// Accepted by the good configs from the first reload on.
const SECOND_KEY: &str = "second-api-key-0123456789abcdef";
/// Listed only by the bad configs (and the final good one): while it is refused, no part
/// of a bad config is in force.
const THIRD_KEY: &str = "third-api-key-0123456789abcdef";
const HS_KEY: &str = "0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const RS_KEY: &str = "1e4c8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const TENANT: &str = "6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
const RSA_PEM: &str = include_str!("fixtures/rsa-2048.pem");
const EC_PEM: &str = include_str!("fixtures/ec-p256.pem");

// ---- log capture -------------------------------------------------------------------

/// Everything logged in this test binary: the rejection message an operator reads is
/// the one the suite checks.
static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        tracing_subscriber::fmt()
            .with_writer(|| LogWriter)
            .with_ansi(false)
            .init();
    });
}

/// The log lines about `path` after byte `from`.
fn log_lines_about(path: &Path, from: usize) -> Vec<String> {
    let logs = LOGS.lock().unwrap();
    let path = path.display().to_string();
    String::from_utf8_lossy(&logs[from.min(logs.len())..])
        .lines()
        .filter(|line| line.contains(&path))
        .map(str::to_owned)
        .collect()
}

fn log_len() -> usize {
    LOGS.lock().unwrap().len()
}

// ---- the watched file ----------------------------------------------------------------

/// A sidecar whose config comes from a file that `reload::watch` watches.
struct Watched {
    h: Harness,
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Watched {
    async fn start(backend: Backend, text: &str) -> Self {
        capture_logs();
        let h = harness_with_config(backend, text).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, text).unwrap();
        tokio::spawn(authlet_sidecar::reload::watch(
            Arc::clone(&h.state),
            path.clone(),
            text.to_owned(),
        ));
        Self { h, path, _dir: dir }
    }

    fn reloads(&self, outcome: Outcome) -> u64 {
        self.h
            .state
            .metrics
            .config_reloads
            .get_or_create(&ReloadLabels { outcome })
            .get()
    }

    /// Replaces the file as editors and Kubernetes do (write aside, then rename), and
    /// waits until the watcher has judged it; true when it was accepted.
    async fn apply(&self, text: &str) -> bool {
        let (ok, bad) = (
            self.reloads(Outcome::Success),
            self.reloads(Outcome::Failure),
        );
        let aside = self.path.with_extension("next");
        let mut file = std::fs::File::create(&aside).unwrap();
        file.write_all(text.as_bytes()).unwrap();
        file.sync_all().unwrap();
        std::fs::rename(&aside, &self.path).unwrap();
        // Bounded by turns, not time: a paused machine only makes this slower. The
        // watcher polls every 5 s even without file events.
        for _ in 0..30_000 {
            if self.reloads(Outcome::Success) > ok {
                return true;
            }
            if self.reloads(Outcome::Failure) > bad {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the watcher never judged the new config");
    }
}

// ---- configs ---------------------------------------------------------------------------

/// A good config: the HMAC key signs, an RSA key is listed, and `keys` (API keys) are
/// accepted.
fn good(api_keys: &[&str]) -> String {
    let keys: Vec<_> = api_keys.iter().map(|k| format!("{{key: {k}}}")).collect();
    let text = config("");
    with(
        &text,
        &format!("apiKeys: [{{key: {API_KEY}}}]\nkeys: [{{id: {HS_KEY}, algorithm: HS256, secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=}}]"),
        &format!(
            "apiKeys: [{}]\nkeys:\n  - {{id: {HS_KEY}, algorithm: HS256, secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=}}\n  - id: {RS_KEY}\n    algorithm: RS256\n    privateKey: |\n{}",
            keys.join(", "),
            indented(RSA_PEM)
        ),
    )
    .replace(
        "jwtConfiguration: {refreshTokenTimeToLiveInMinutes: 10}",
        &format!("jwtConfiguration: {{accessTokenKeyId: {HS_KEY}, refreshTokenTimeToLiveInMinutes: 10}}"),
    )
}

fn indented(pem: &str) -> String {
    pem.lines().map(|l| format!("      {l}\n")).collect()
}

/// `text` with `from` replaced; `from` must occur, so a case cannot quietly stop
/// testing anything.
fn with(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the base config");
    text.replacen(from, to, 1)
}

/// What each bad config breaks, and the field its rejection must name.
fn bad_configs() -> Vec<(&'static str, String, &'static str)> {
    let base = good(&[API_KEY, THIRD_KEY]);
    let tenant_extra = |extra: &str| {
        with(
            &base,
            "    name: Default\n",
            &format!("    name: Default\n{extra}\n"),
        )
    };
    let rsa_key = format!(
        "  - id: {RS_KEY}\n    algorithm: RS256\n    privateKey: |\n{}",
        indented(RSA_PEM)
    );
    let replace_rsa = |to: &str| with(&base, &rsa_key, to);
    vec![
        ("unclosed flow sequence", with(&base, "apiKeys: [", "apiKeys: [["), "at line"),
        ("tab indentation", with(&base, "    name: Default\n", "\tname: Default\n"), "at line"),
        ("broken JSON", "{\"tenants\": [}".to_owned(), "at line"),
        ("unknown top-level field", format!("listn: 127.0.0.1:9011\n{base}"), "listn"),
        (
            "unknown application field",
            with(&base, "name: Shop\n", "name: Shop\n        requireAuthentcation: false\n"),
            "tenants[0].applications[0].requireAuthentcation",
        ),
        (
            "unknown lockout field",
            tenant_extra("    failedAuthenticationConfiguration: {tooManyAttemps: 3}"),
            "tenants[0].failedAuthenticationConfiguration.tooManyAttemps",
        ),
        (
            "PEM with a garbage body",
            replace_rsa(&format!("  - id: {RS_KEY}\n    algorithm: RS256\n    privateKey: |\n      -----BEGIN PRIVATE KEY-----\n      AAAAAAAA\n      -----END PRIVATE KEY-----\n")),
            "keys[1].privateKey",
        ),
        (
            "not PEM at all",
            replace_rsa(&format!("  - {{id: {RS_KEY}, algorithm: RS256, privateKey: not-a-key}}\n")),
            "keys[1].privateKey",
        ),
        (
            "EC key for an RSA algorithm",
            replace_rsa(&format!("  - id: {RS_KEY}\n    algorithm: RS256\n    privateKey: |\n{}", indented(EC_PEM))),
            "keys[1].privateKey",
        ),
        (
            "RSA key for an EC algorithm",
            replace_rsa(&format!("  - id: {RS_KEY}\n    algorithm: ES256\n    privateKey: |\n{}", indented(RSA_PEM))),
            "keys[1].privateKey",
        ),
        (
            "RSA key without its PEM",
            replace_rsa(&format!("  - {{id: {RS_KEY}, algorithm: RS256}}\n")),
            "keys[1].privateKey",
        ),
        (
            "duplicate key id",
            replace_rsa(&format!("  - id: {HS_KEY}\n    algorithm: RS256\n    privateKey: |\n{}", indented(RSA_PEM))),
            "keys[1].id",
        ),
        (
            "duplicate tenant id",
            with(&base, "tenants:\n", &format!("tenants:\n  - {{id: {TENANT}, name: Again}}\n")),
            "tenants[1].id",
        ),
        (
            "duplicate application id",
            with(&base, &format!("id: {ONE_TIME}"), &format!("id: {SHOP}")),
            "tenants[0].applications[1].id",
        ),
        (
            "database URL of another database",
            format!("database: {{url: 'mysql://localhost/authlet'}}\n{base}"),
            "database.url",
        ),
        ("empty database URL", format!("database: {{url: ''}}\n{base}"), "database.url"),
        ("database URL that is a number", format!("database: {{url: 5432}}\n{base}"), "database.url"),
        (
            "hashing factor 0",
            with(&base, "encryptionSchemeFactor: 100", "encryptionSchemeFactor: 0"),
            "tenants[0].passwordEncryptionConfiguration.encryptionSchemeFactor",
        ),
        (
            "unknown hashing scheme",
            with(&base, "encryptionScheme: salted-pbkdf2-hmac-sha256", "encryptionScheme: rot13"),
            "tenants[0].passwordEncryptionConfiguration.encryptionScheme",
        ),
        (
            "negative access-token TTL",
            with(&base, "jwtConfiguration: {accessTokenKeyId", "jwtConfiguration: {timeToLiveInSeconds: -1, accessTokenKeyId"),
            "tenants[0].jwtConfiguration.timeToLiveInSeconds",
        ),
        (
            "negative refresh-token TTL of an application",
            with(&base, "refreshTokenExpirationPolicy: SlidingWindow, refreshTokenTimeToLiveInMinutes: 10", "refreshTokenExpirationPolicy: SlidingWindow, refreshTokenTimeToLiveInMinutes: -10"),
            "tenants[0].applications[1].jwtConfiguration.refreshTokenTimeToLiveInMinutes",
        ),
        (
            "negative twoFactorId TTL",
            tenant_extra("    externalIdentifierConfiguration: {twoFactorIdTimeToLiveInSeconds: -300}"),
            "tenants[0].externalIdentifierConfiguration.twoFactorIdTimeToLiveInSeconds",
        ),
        (
            "trust-token TTL beyond a Java int (its expiry in millis would overflow)",
            tenant_extra("    externalIdentifierConfiguration: {trustTokenTimeToLiveInSeconds: 9223372036854775807}"),
            "tenants[0].externalIdentifierConfiguration.trustTokenTimeToLiveInSeconds",
        ),
        (
            "signing key that is not listed",
            with(&base, &format!("accessTokenKeyId: {HS_KEY}"), "accessTokenKeyId: 9f8e8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d"),
            "tenants[0].jwtConfiguration.accessTokenKeyId",
        ),
        (
            "no signing keys at all",
            with(&with(&base, &rsa_key, ""), &format!("  - {{id: {HS_KEY}, algorithm: HS256, secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=}}\n"), "  []\n"),
            "tenants[0].jwtConfiguration.accessTokenKeyId",
        ),
        (
            "HMAC secret too short",
            with(&base, "secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=", "secret: c2hvcnQ="),
            "keys[0].secret",
        ),
        (
            "lockout after 0 attempts",
            tenant_extra("    failedAuthenticationConfiguration: {tooManyAttempts: 0}"),
            "tenants[0].failedAuthenticationConfiguration.tooManyAttempts",
        ),
        (
            "lockout attempts that are not a number",
            tenant_extra("    failedAuthenticationConfiguration: {tooManyAttempts: many}"),
            "tenants[0].failedAuthenticationConfiguration.tooManyAttempts",
        ),
        (
            "unknown refresh-token policy",
            with(&base, "refreshTokenUsagePolicy: OneTimeUse", "refreshTokenUsagePolicy: Sometimes"),
            "tenants[0].applications[1].jwtConfiguration.refreshTokenUsagePolicy",
        ),
        ("listen address that is not one", format!("listen: everywhere\n{base}"), "listen"),
        (
            "API key too short",
            with(&base, &format!("{{key: {THIRD_KEY}}}"), "{key: short}"),
            "apiKeys[1].key",
        ),
        (
            "unknown report time zone",
            tenant_extra("    reportTimezone: Mars/Olympus_Mons"),
            "tenants[0].reportTimezone",
        ),
        (
            "no tenants",
            format!("{}tenants: []\n", &base[..base.find("tenants:").unwrap()]),
            "tenants",
        ),
    ]
}

// ---- traffic ---------------------------------------------------------------------------

/// Requests that must keep succeeding under the last good config, from `workers` loops
/// until `stop`: a login with [`SECOND_KEY`], a validation of the token it got, and a
/// login with [`THIRD_KEY`] that must be refused. Returns (requests, failures).
fn drive_traffic(
    h: &Harness,
    workers: usize,
    stop: Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<(usize, Vec<String>)>> {
    (0..workers)
        .map(|_| {
            let app = h.app.clone();
            let stop = Arc::clone(&stop);
            tokio::spawn(async move {
                let mut sent = 0;
                let mut failures = Vec::new();
                let login = json!({"loginId": "steady@example.com", "password": "password-123", "applicationId": SHOP});
                while !stop.load(Ordering::SeqCst) {
                    let request = json_request("POST", "/api/login", Some(&login), &[("authorization", SECOND_KEY)]);
                    let (status, body) = send_to(app.clone(), request).await;
                    sent += 1;
                    if status != StatusCode::OK {
                        failures.push(format!("login: {status} {body}"));
                        continue;
                    }
                    let bearer = format!("Bearer {}", body["token"].as_str().unwrap_or_default());
                    let request = json_request("GET", "/api/jwt/validate", None, &[("authorization", bearer.as_str())]);
                    let (status, body) = send_to(app.clone(), request).await;
                    sent += 1;
                    if status != StatusCode::OK {
                        failures.push(format!("validate: {status} {body}"));
                    }
                    let request = json_request("POST", "/api/login", Some(&login), &[("authorization", THIRD_KEY)]);
                    let (status, body) = send_to(app.clone(), request).await;
                    sent += 1;
                    if status != StatusCode::UNAUTHORIZED {
                        failures.push(format!("a bad config's API key: {status} {body}"));
                    }
                }
                (sent, failures)
            })
        })
        .collect()
}

async fn every_bad_config_is_rejected_naming_its_field_while_the_last_good_one_serves(
    backend: Backend,
) {
    let w = Watched::start(backend, &good(&[API_KEY])).await;
    w.h.create_user("steady@example.com", json!({})).await;
    assert!(
        w.apply(&good(&[API_KEY, SECOND_KEY])).await,
        "the good reload"
    );

    let stop = Arc::new(AtomicBool::new(false));
    let traffic = drive_traffic(&w.h, 4, Arc::clone(&stop));
    let cases = bad_configs();
    assert!(cases.len() >= 20);
    let mut unnamed = Vec::new();
    for (what, text, field) in &cases {
        let from = log_len();
        assert!(!w.apply(text).await, "{what}: accepted");
        let lines = log_lines_about(&w.path, from);
        let rejection = lines
            .iter()
            .find(|l| l.contains("configuration rejected"))
            .unwrap_or_else(|| panic!("{what}: no rejection logged in {lines:?}"));
        if !rejection.contains(field) {
            unnamed.push(format!("{what}: {field} not named in {rejection}"));
        }
    }
    stop.store(true, Ordering::SeqCst);
    let (mut sent, mut failures) = (0, Vec::new());
    for worker in traffic {
        let (n, f) = worker.await.unwrap();
        sent += n;
        failures.extend(f);
    }
    assert!(unnamed.is_empty(), "{unnamed:#?}");
    assert!(
        failures.is_empty(),
        "{} of {sent} requests failed: {failures:#?}",
        failures.len()
    );
    assert!(
        sent >= cases.len(),
        "traffic flowed throughout ({sent} requests)"
    );
    assert_eq!(w.reloads(Outcome::Failure), cases.len() as u64);

    // The watcher is still alive, and a good config after all that is taken.
    assert!(w.apply(&good(&[API_KEY, THIRD_KEY])).await);
    assert_eq!(
        w.h.call("POST", "/api/login", Some(json!({"loginId": "steady@example.com", "password": "password-123", "applicationId": SHOP})), &[("authorization", THIRD_KEY)]).await.0,
        StatusCode::OK
    );
}

/// Logins held mid-flight (the hasher's permits are taken, so none can finish) across a
/// good reload that withdraws their API key and shortens the token TTL: every one is
/// answered 200 under the config it started with; requests after it see the new one.
async fn a_good_reload_drops_no_in_flight_request(backend: Backend) {
    let w = Watched::start(backend, &good(&[API_KEY, SECOND_KEY])).await;
    w.h.create_user("inflight@example.com", json!({})).await;
    let jobs = w.h.hash_jobs();
    let (release, hold) = std::sync::mpsc::channel::<()>();
    let hold = Arc::new(Mutex::new(hold));
    let blockers: Vec<_> = (0..2)
        .map(|_| {
            let hasher = w.h.state.hasher.clone();
            let hold = Arc::clone(&hold);
            tokio::spawn(async move {
                hasher
                    .run(move || hold.lock().map(|h| h.recv().is_ok()).unwrap_or(false))
                    .await
            })
        })
        .collect();
    while w.h.hash_jobs() < jobs + 2 {
        tokio::task::yield_now().await;
    }
    let login = json!({"loginId": "inflight@example.com", "password": "password-123", "applicationId": SHOP});
    let in_flight: Vec<_> = (0..10)
        .map(|_| {
            let request = json_request(
                "POST",
                "/api/login",
                Some(&login),
                &[("authorization", SECOND_KEY)],
            );
            tokio::spawn(send_to(w.h.app.clone(), request))
        })
        .collect();
    // On this single-threaded runtime each spawned request runs up to its first wait
    // (the config snapshot is taken before that) before this task resumes.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    let reloaded = with(
        &good(&[API_KEY]),
        &format!("accessTokenKeyId: {HS_KEY},"),
        &format!("accessTokenKeyId: {HS_KEY}, timeToLiveInSeconds: 60,"),
    );
    assert!(w.apply(&reloaded).await, "the good reload");
    assert!(
        in_flight.iter().all(|task| !task.is_finished()),
        "no held request could finish before the reload"
    );
    let (status, _, _) =
        w.h.call(
            "POST",
            "/api/login",
            Some(login.clone()),
            &[("authorization", SECOND_KEY)],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a new request with the withdrawn key is refused"
    );
    drop(release);
    for blocker in blockers {
        blocker.await.unwrap().unwrap();
    }
    for task in in_flight {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        let claims = claims(body["token"].as_str().unwrap());
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            3600,
            "served under its own snapshot"
        );
    }
    let (status, body, _) =
        w.h.call(
            "POST",
            "/api/login",
            Some(login),
            &[("authorization", API_KEY)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let claims = claims(body["token"].as_str().unwrap());
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        60
    );
}

/// A JWT's header or claims, unverified.
fn segment(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

fn claims(token: &str) -> Value {
    segment(token, 1)
}

/// The config before and after rotation: the HMAC key signs, then the RSA key does.
fn signing_with(key: &str) -> String {
    with(
        &good(&[API_KEY]),
        &format!("accessTokenKeyId: {HS_KEY}"),
        &format!("accessTokenKeyId: {key}"),
    )
}

async fn validate(h: &Harness, token: &str) -> StatusCode {
    h.call(
        "GET",
        "/api/jwt/validate",
        None,
        &[("authorization", format!("Bearer {token}").as_str())],
    )
    .await
    .0
}

async fn ping(h: &Harness, token: &str) -> StatusCode {
    h.call(
        "PUT",
        "/api/login",
        None,
        &[("authorization", format!("Bearer {token}").as_str())],
    )
    .await
    .0
}

/// `(access token, refresh token)` of a fresh login to the shop.
async fn tokens(h: &Harness, email: &str) -> (String, String) {
    let (status, body) = h.login(email, "password-123", SHOP).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (
        body["token"].as_str().unwrap().to_owned(),
        body["refreshToken"].as_str().unwrap().to_owned(),
    )
}

async fn old_tokens_verify_until_they_expire_after_the_signing_key_rotates(backend: Backend) {
    let w = Watched::start(backend, &signing_with(HS_KEY)).await;
    w.h.create_user("rotate@example.com", json!({})).await;
    let (old, refresh_token) = tokens(&w.h, "rotate@example.com").await;
    assert_eq!(segment(&old, 0)["kid"], HS_KEY);

    assert!(w.apply(&signing_with(RS_KEY)).await, "the rotation");
    let (new, _) = tokens(&w.h, "rotate@example.com").await;
    assert_eq!(
        segment(&new, 0)["kid"],
        RS_KEY,
        "new tokens come from the new key"
    );
    assert_eq!(validate(&w.h, &new).await, StatusCode::OK);
    assert_eq!(
        validate(&w.h, &old).await,
        StatusCode::OK,
        "the old key still verifies"
    );
    assert_eq!(ping(&w.h, &old).await, StatusCode::OK);
    let (status, body) = w.h.refresh(&refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(segment(body["token"].as_str().unwrap(), 0)["kid"], RS_KEY);

    let lifetime = claims(&old)["exp"].as_i64().unwrap() - START / 1000;
    w.h.advance_seconds(lifetime - 1);
    assert_eq!(
        validate(&w.h, &old).await,
        StatusCode::OK,
        "a second before its exp"
    );
    assert_eq!(ping(&w.h, &old).await, StatusCode::OK);
    w.h.advance_seconds(1);
    assert_eq!(
        validate(&w.h, &old).await,
        StatusCode::UNAUTHORIZED,
        "at its exp"
    );
    assert_eq!(ping(&w.h, &old).await, StatusCode::UNAUTHORIZED);
}

/// Removing a key withdraws every token it signed, at once; refresh tokens are not
/// signed, so sessions carry on with tokens from the remaining key.
async fn removing_the_old_key_refuses_its_tokens_but_not_refresh_tokens(backend: Backend) {
    let w = Watched::start(backend, &signing_with(HS_KEY)).await;
    w.h.create_user("removed@example.com", json!({})).await;
    let (old, refresh_token) = tokens(&w.h, "removed@example.com").await;
    let hs_key = format!("  - {{id: {HS_KEY}, algorithm: HS256, secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=}}\n");
    assert!(
        w.apply(&with(&signing_with(RS_KEY), &hs_key, "")).await,
        "the removal"
    );
    assert_eq!(validate(&w.h, &old).await, StatusCode::UNAUTHORIZED);
    assert_eq!(ping(&w.h, &old).await, StatusCode::UNAUTHORIZED);
    let (status, body) = w.h.refresh(&refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let fresh = body["token"].as_str().unwrap();
    assert_eq!(segment(fresh, 0)["kid"], RS_KEY);
    assert_eq!(validate(&w.h, fresh).await, StatusCode::OK);
}

/// A valid reload that moves the database (or the listener) cannot move the open pool:
/// the rest applies, the change is named in a warning, and the sidecar keeps serving
/// from the database it opened.
async fn a_reload_that_moves_the_database_is_named_and_keeps_the_open_one(backend: Backend) {
    let w = Watched::start(backend, &good(&[API_KEY])).await;
    w.h.create_user("stays@example.com", json!({})).await;
    let from = log_len();
    let moved = format!(
        "database: {{url: 'sqlite:///nonexistent/elsewhere.db'}}\n{}",
        good(&[API_KEY, SECOND_KEY])
    );
    assert!(w.apply(&moved).await, "valid, so accepted");
    let lines = log_lines_about(&w.path, from);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("next restart") && l.contains("database.url")),
        "{lines:?}"
    );
    let (status, _, _) = w
        .h
        .call(
            "POST",
            "/api/login",
            Some(json!({"loginId": "stays@example.com", "password": "password-123", "applicationId": SHOP})),
            &[("authorization", SECOND_KEY)],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the rest applied, on the same database"
    );
}

on_both_backends!(
    every_bad_config_is_rejected_naming_its_field_while_the_last_good_one_serves,
    a_good_reload_drops_no_in_flight_request,
    old_tokens_verify_until_they_expire_after_the_signing_key_rotates,
    removing_the_old_key_refuses_its_tokens_but_not_refresh_tokens,
    a_reload_that_moves_the_database_is_named_and_keeps_the_open_one,
);

/// The binary, started on each bad config, exits with an error naming the field rather
/// than serving anything.
#[test]
fn the_sidecar_refuses_to_start_on_each_bad_config_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("start.db").display());
    let mut unnamed = Vec::new();
    // Valid in form, so only opening it can tell: the error must still say which field.
    let unreachable = (
        "database that cannot be reached",
        format!(
            "database: {{url: 'postgres://authlet@127.0.0.1:1/none'}}\n{}",
            good(&[API_KEY])
        ),
        "database.url",
    );
    let cases = bad_configs().into_iter().chain([unreachable]);
    for (i, (what, text, field)) in cases.enumerate() {
        // A free port and a scratch database, so a config wrongly accepted would serve
        // (and be caught) rather than collide with anything.
        let mut text = text;
        if !text.starts_with('{') {
            if !text.contains("database:") {
                text = format!("database: {{url: '{database}'}}\n{text}");
            }
            if !text.contains("listen:") {
                text = format!("listen: 127.0.0.1:0\n{text}");
            }
        }
        let path = dir.path().join(format!("bad-{i}.yaml"));
        std::fs::write(&path, &text).unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_authlet-sidecar"))
            .arg("--config")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut exited = None;
        for _ in 0..6_000 {
            if let Some(status) = child.try_wait().unwrap() {
                exited = Some(status);
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let Some(status) = exited else {
            child.kill().unwrap();
            panic!("{what}: the sidecar started");
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(!status.success(), "{what}: exited 0");
        if !stderr.contains(field) {
            unnamed.push(format!("{what}: {field} not named in {stderr}"));
        }
    }
    assert!(unnamed.is_empty(), "{unnamed:#?}");
}
