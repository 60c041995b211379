//! The operator's golden renderings (`operator/tests/golden/*/expected.yaml`) are the
//! documents the sidecar receives in a cluster. Each must parse, build a runtime, and —
//! for the minimal one, with a local database — serve a login signed by the Tenant's
//! generated key. If the operator renders something the sidecar rejects, this fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use authlet_core::config::{ApiKeyConfig, Config, Secret};
use authlet_sidecar::hashing::Hasher;
use authlet_sidecar::metrics::Metrics;
use authlet_sidecar::state::{AppState, Runtime, SystemClock};
use authlet_sidecar::store::Store;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

fn golden(case: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../operator/tests/golden")
        .join(case)
        .join("expected.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_golden_rendering_is_a_valid_sidecar_config() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../operator/tests/golden");
    let mut seen = 0;
    for entry in std::fs::read_dir(root).unwrap() {
        let case = entry.unwrap().file_name().into_string().unwrap();
        let config = Config::parse(&golden(&case)).unwrap_or_else(|e| panic!("{case}: {e}"));
        Runtime::new(config).unwrap_or_else(|e| panic!("{case}: {e}"));
        seen += 1;
    }
    assert!(seen >= 2, "expected the golden cases, found {seen}");
}

#[tokio::test]
async fn the_minimal_rendering_serves_a_login_signed_by_the_generated_key() {
    const KEY: &str = "operator-contract-test-key";
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::parse(&golden("minimal")).unwrap();
    config.database.url = Secret::new(format!("sqlite://{}", dir.path().join("a.db").display()));
    config.api_keys.push(ApiKeyConfig {
        key: Some(Secret::new(KEY)),
        key_hash: None,
        tenant_id: None,
        description: None,
    });
    let tenant = &config.tenants[0];
    let application_id = tenant.applications[0].id.to_string();
    let key_id = config.keys[0].id.to_string();

    let state = AppState::new(
        Runtime::new(config.clone()).unwrap(),
        Store::connect(config.database.url.expose()).await.unwrap(),
        Hasher::new(1).unwrap(),
        Metrics::new(),
        Arc::new(SystemClock),
    );
    let app = authlet_sidecar::http::router(state);
    let call = |uri: &str, body: Value| {
        let request = Request::post(uri)
            .header("content-type", "application/json")
            .header("authorization", KEY)
            .body(Body::from(body.to_string()))
            .unwrap();
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (
                status,
                serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
            )
        }
    };

    let (status, body) = call(
        "/api/user/registration",
        json!({"user": {"email": "ada@example.com", "password": "correct-horse"},
               "registration": {"applicationId": application_id}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = call(
        "/api/login",
        json!({"loginId": "ada@example.com", "password": "correct-horse", "applicationId": application_id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["refreshToken"].is_string(),
        "the Application asks for refresh tokens: {body}"
    );
    let header = jsonwebtoken::decode_header(body["token"].as_str().unwrap()).unwrap();
    assert_eq!(header.kid.as_deref(), Some(key_id.as_str()));
    assert_eq!(header.alg, jsonwebtoken::Algorithm::ES256);
}
