//! The whole HTTP surface: any method, path, query, headers and body, through
//! the real router on a real SQLite store. Whatever arrives, no panic and no 5xx, and a
//! 400 carries FusionAuth's Errors JSON.
//!
//! Import with a client-chosen `factor` or `encryptionScheme` is left out: its cost is the
//! API-key holder's choice (bounded by the scheme's factor range), and a 10-million-round
//! PBKDF2 would only read as a timeout here.
#![no_main]

mod common;

use std::sync::{Arc, OnceLock};

use authlet_sidecar::hashing::Hasher;
use authlet_sidecar::metrics::Metrics;
use authlet_sidecar::state::{AppState, SystemClock};
use authlet_sidecar::store::Store;
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

/// The input is an HTTP request in text, so that the corpus can be read and written by
/// hand: a request line (`METHOD /path?query`), header lines (`name: value`; `$API_KEY`
/// in a value stands for the configured key), an empty line, then the body's bytes.
fn request(data: &[u8]) -> Option<Request<Body>> {
    let split = data.windows(2).position(|w| w == b"\n\n");
    let (head, body) = match split {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &b""[..]),
    };
    let mut lines = head.split(|b| *b == b'\n');
    let (method, uri) = std::str::from_utf8(lines.next()?).ok()?.split_once(' ')?;
    let mut request = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).ok()?)
        .uri(uri)
        .body(Body::from(body.to_vec()))
        .ok()?;
    for line in lines {
        let colon = line.iter().position(|b| *b == b':')?;
        let value = line[colon + 1..].trim_ascii_start();
        // Header values may hold any byte but controls; only UTF-8 ones can name the key.
        let value = match std::str::from_utf8(value) {
            Ok(text) => text.replace("$API_KEY", common::API_KEY).into_bytes(),
            Err(_) => value.to_vec(),
        };
        request.headers_mut().append(
            HeaderName::from_bytes(&line[..colon]).ok()?,
            HeaderValue::from_bytes(&value).ok()?,
        );
    }
    Some(request)
}

struct Sidecar {
    runtime: tokio::runtime::Runtime,
    router: Router,
    /// Holds the database file for the whole run.
    _dir: tempfile::TempDir,
}

fn sidecar() -> &'static Sidecar {
    static SIDECAR: OnceLock<Sidecar> = OnceLock::new();
    SIDECAR.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("fuzz.db").display());
        let store = runtime
            .block_on(Store::connect(&url))
            .expect("the SQLite store opens");
        let state = AppState::new(
            common::runtime(),
            store,
            Hasher::new(1).expect("a hashing thread starts"),
            Metrics::new(),
            Arc::new(SystemClock),
        );
        Sidecar {
            runtime,
            router: authlet_sidecar::http::router(state),
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let costly = |needle: &[u8]| data.windows(needle.len()).any(|w| w == needle);
    if costly(b"factor") || costly(b"ncryptionScheme") {
        return;
    }
    let Some(request) = request(data) else {
        return;
    };
    let sidecar = sidecar();
    let (status, content_type, body) = sidecar.runtime.block_on(async {
        let response = sidecar
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .expect("the body streams to the end");
        (status, content_type, body)
    });
    assert!(
        !status.is_server_error(),
        "{status}: {}",
        String::from_utf8_lossy(&body)
    );
    if status == StatusCode::BAD_REQUEST {
        assert!(
            content_type
                .as_deref()
                .is_some_and(|c| c.starts_with("application/json")),
            "a 400 without the Errors JSON: {content_type:?} {}",
            String::from_utf8_lossy(&body)
        );
        let errors: serde_json::Value = serde_json::from_slice(&body).expect("a 400 body is JSON");
        assert!(
            errors.get("fieldErrors").is_some() || errors.get("generalErrors").is_some(),
            "{errors}"
        );
    }
});
