//! What the in-process suites share: a sidecar (router, state, injected clock) over a
//! fresh SQLite file or PostgreSQL database, the test configuration, and request helpers.
//! Each test binary uses a different subset, hence `dead_code` is allowed here only.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use authlet_core::config::Config;
use authlet_sidecar::hashing::Hasher;
use authlet_sidecar::metrics::Metrics;
use authlet_sidecar::state::{AppState, Clock, Runtime};
use authlet_sidecar::store::{Backend, Store};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use uuid::Uuid;

pub const API_KEY: &str = "in-process-test-key-0123456789";
pub const SHOP: &str = "3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
pub const ONE_TIME: &str = "4d328a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d";
pub const START: i64 = 1_800_000_000_000;

#[derive(Debug)]
pub struct ManualClock(pub AtomicI64);

impl Clock for ManualClock {
    fn now_millis(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

pub struct Harness {
    pub app: Router,
    pub state: Arc<AppState>,
    pub clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
}

/// A fresh, empty database: a SQLite file in `dir`, or a new PostgreSQL database on the
/// server named by `AUTHLET_TEST_POSTGRES_URL` (which `scripts/test` starts).
pub async fn database_url(backend: Backend, dir: &tempfile::TempDir) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("test.db").display()),
        Backend::Postgres => {
            let server = std::env::var("AUTHLET_TEST_POSTGRES_URL").expect(
                "AUTHLET_TEST_POSTGRES_URL must name a PostgreSQL server: run ./scripts/test, or export it from ./scripts/postgres",
            );
            let name = format!("authlet_test_{}", Uuid::new_v4().simple());
            let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&server)
                .await
                .unwrap();
            sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                .await
                .unwrap();
            let (base, _) = server.rsplit_once('/').unwrap();
            format!("{base}/{name}")
        }
    }
}

/// The test config; `tenant_extra` adds tenant settings (and may replace the fast
/// default hashing setting).
pub fn config(tenant_extra: &str) -> String {
    let hashing = if tenant_extra.contains("passwordEncryptionConfiguration") {
        ""
    } else {
        "    passwordEncryptionConfiguration: {encryptionScheme: salted-pbkdf2-hmac-sha256, encryptionSchemeFactor: 100}\n"
    };
    format!(
        r#"
apiKeys: [{{key: {API_KEY}}}]
keys: [{{id: 0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, algorithm: HS256, secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=}}]
tenants:
  - id: 6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
    name: Default
{hashing}    jwtConfiguration: {{refreshTokenTimeToLiveInMinutes: 10}}
{tenant_extra}
    applications:
      - id: {SHOP}
        name: Shop
        loginConfiguration: {{generateRefreshTokens: true, allowTokenRefresh: true}}
      - id: {ONE_TIME}
        name: OneTime
        loginConfiguration: {{generateRefreshTokens: true, allowTokenRefresh: true}}
        jwtConfiguration: {{enabled: true, refreshTokenUsagePolicy: OneTimeUse, refreshTokenExpirationPolicy: SlidingWindow, refreshTokenTimeToLiveInMinutes: 10}}
"#
    )
}

pub async fn harness(backend: Backend, tenant_extra: &str) -> Harness {
    harness_with_config(backend, &config(tenant_extra)).await
}

/// A sidecar on a fresh database of `backend`, serving `config_text` whole.
pub async fn harness_with_config(backend: Backend, config_text: &str) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(backend, &dir).await;
    let clock = Arc::new(ManualClock(AtomicI64::new(START)));
    sidecar_on(&url, dir, clock, config_text).await
}

/// A sidecar (its own pool, state and router) on the database at `url`.
pub async fn sidecar_on(
    url: &str,
    dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    config_text: &str,
) -> Harness {
    let store = Store::connect(url).await.unwrap();
    let runtime = Runtime::new(Config::parse(config_text).unwrap()).unwrap();
    let state = AppState::new(
        runtime,
        store,
        Hasher::new(2).unwrap(),
        Metrics::new(),
        clock.clone(),
    );
    Harness {
        app: authlet_sidecar::http::router(Arc::clone(&state)),
        state,
        clock,
        _dir: dir,
    }
}

impl Harness {
    pub fn advance_seconds(&self, seconds: i64) {
        self.clock.0.fetch_add(seconds * 1000, Ordering::SeqCst);
    }

    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value, Vec<String>) {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let response = self
            .app
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        (status, json, cookies)
    }

    pub async fn keyed(&self, method: &str, uri: &str, body: Value) -> (StatusCode, Value) {
        let (status, json, _) = self
            .call(method, uri, Some(body), &[("authorization", API_KEY)])
            .await;
        (status, json)
    }

    /// Registers `user` for `application` with the API key.
    pub async fn register(&self, user: Uuid, application: &str) {
        let (status, body) = self
            .keyed(
                "POST",
                &format!("/api/user/registration/{user}"),
                json!({"registration": {"applicationId": application}}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// Presents `token` at `/api/jwt/refresh`.
    pub async fn refresh(&self, token: &str) -> (StatusCode, Value) {
        let (status, body, _) = self
            .call(
                "POST",
                "/api/jwt/refresh",
                Some(json!({"refreshToken": token})),
                &[],
            )
            .await;
        (status, body)
    }

    pub async fn create_user(&self, email: &str, extra: Value) -> Uuid {
        let mut user = json!({"email": email, "password": "password-123"});
        user.as_object_mut()
            .unwrap()
            .extend(extra.as_object().cloned().unwrap_or_default());
        let (status, body) = self
            .keyed(
                "POST",
                "/api/user/registration",
                json!({"user": user, "registration": {"applicationId": SHOP}}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        Uuid::parse_str(body["user"]["id"].as_str().unwrap()).unwrap()
    }

    pub async fn login(
        &self,
        login_id: &str,
        password: &str,
        application: &str,
    ) -> (StatusCode, Value) {
        let (status, body, _) = self
            .call(
                "POST",
                "/api/login",
                Some(json!({"loginId": login_id, "password": password, "applicationId": application})),
                &[("authorization", API_KEY)],
            )
            .await;
        (status, body)
    }
}

/// Runs each named scenario once per backend, as `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name(super::Backend::Sqlite).await;
                }

                #[tokio::test]
                async fn postgres() {
                    super::$name(super::Backend::Postgres).await;
                }
            }
        )*
    };
}

/// A response as the client sees it.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: axum::body::Bytes,
}

impl Reply {
    /// The body as JSON, or `Null` when it is empty or not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

impl Harness {
    /// Sends a request built by the caller, byte for byte, and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Password-hashing jobs started so far: a request that leaves this unchanged was
    /// answered without paying for a hash.
    pub fn hash_jobs(&self) -> u64 {
        self.state.hasher.metrics().jobs.get()
    }

    /// How many times the store has run `operation` (a read or write it times), from
    /// the metrics text.
    pub fn store_operations(&self, operation: &str) -> u64 {
        let label = format!("operation=\"{operation}\"");
        self.state
            .metrics
            .encode()
            .lines()
            .find(|line| {
                line.starts_with("authlet_store_operation_duration_seconds_count{")
                    && line.contains(&label)
            })
            .and_then(|line| line.rsplit(' ').next()?.parse().ok())
            .unwrap_or(0)
    }
}

/// Two sidecars (each with its own pool, state and router) on one fresh database of
/// `backend`, sharing one injected clock: replicas as production runs them.
pub async fn pair(backend: Backend, config_text: &str) -> (Harness, Harness) {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(backend, &dir).await;
    let clock = Arc::new(ManualClock(AtomicI64::new(START)));
    let a = sidecar_on(&url, dir, Arc::clone(&clock), config_text).await;
    let b = sidecar_on(&url, tempfile::tempdir().unwrap(), clock, config_text).await;
    (a, b)
}

/// A JSON request with the given headers, for sending from a spawned task.
pub fn json_request(
    method: &str,
    uri: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap()
}

/// Sends `request` through `app` and reads the whole answer: `'static`, so it can run
/// in a spawned task and truly race other requests.
pub async fn send_to(app: Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// The TOTP secret the suites enable, Base64 as the API takes it.
pub const TOTP_SECRET: &str = "MDEyMzQ1Njc4OTAxMjM0NTY3ODk=";

impl Harness {
    /// The current TOTP code for [`TOTP_SECRET`] on the harness clock.
    pub fn totp_code(&self) -> String {
        let key = authlet_core::two_factor::decode_secret(Some(TOTP_SECRET), None).unwrap();
        authlet_core::two_factor::code_at(&key, self.unix_seconds())
    }

    /// A six-digit code that no step within the accepted skew of now produces.
    pub fn wrong_totp_code(&self) -> String {
        let key = authlet_core::two_factor::decode_secret(Some(TOTP_SECRET), None).unwrap();
        (0..1_000_000u32)
            .map(|n| format!("{n:06}"))
            .find(|code| {
                authlet_core::two_factor::verify_code(&key, code, self.unix_seconds()).is_none()
            })
            .unwrap()
    }

    fn unix_seconds(&self) -> u64 {
        u64::try_from(self.clock.0.load(Ordering::SeqCst) / 1000).unwrap()
    }

    /// Enables the authenticator method with [`TOTP_SECRET`] for `user`, returning the
    /// recovery codes, then moves the clock one step on so that the next code is fresh.
    pub async fn enable_two_factor(&self, user: Uuid) -> Vec<String> {
        let (status, body) = self
            .keyed(
                "POST",
                &format!("/api/user/two-factor/{user}"),
                json!({"method": "authenticator", "secret": TOTP_SECRET, "code": self.totp_code()}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        self.advance_seconds(30);
        body["recoveryCodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    }

    /// `POST /api/two-factor/login` with `code`.
    pub async fn two_factor_login(&self, two_factor_id: &str, code: &str) -> (StatusCode, Value) {
        let (status, body, _) = self
            .call(
                "POST",
                "/api/two-factor/login",
                Some(json!({"twoFactorId": two_factor_id, "code": code})),
                &[],
            )
            .await;
        (status, body)
    }
}
