//! Operational endpoints: liveness, readiness, metrics.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// Liveness: the process is up and serving HTTP.
pub async fn healthz() -> StatusCode {
    StatusCode::OK
}

/// Readiness: accepting work, and the last database check committed a write. It reads
/// that check's result and starts the next one ([`crate::health`]), so it never waits
/// on the database.
pub async fn readyz(State(state): State<Arc<AppState>>) -> StatusCode {
    crate::health::refresh(&state);
    if state.is_accepting() && state.database_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    }
}

pub async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}
