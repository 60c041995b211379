//! The HTTP surface: FusionAuth's paths, methods and shapes. The router is a function of
//! the state so tests drive it in-process.

mod context;
mod error;
mod extract;
mod flow;
mod jwt;
mod login;
mod ops;
mod records;
mod users;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Router;

pub use extract::MAX_BODY_BYTES;

use crate::metrics::RequestLabels;
use crate::state::AppState;

/// Route captures carry FusionAuth's field names: a bad one is reported under that name.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/login", post(login::login).put(login::ping_with_token))
        .route(
            "/api/login/{userId}/{applicationId}",
            put(login::ping_with_ids),
        )
        .route("/api/two-factor/login", post(login::two_factor_login))
        .route("/api/logout", post(login::logout))
        .route("/api/user", post(users::create_user).get(users::find_user))
        .route(
            "/api/user/{userId}",
            post(users::create_user)
                .get(users::get_user)
                .delete(users::delete_user),
        )
        .route("/api/user/registration", post(users::register))
        .route("/api/user/registration/{userId}", post(users::register))
        .route("/api/user/import", post(users::import_users))
        .route("/api/user/forgot-password", post(users::forgot_password))
        .route("/api/user/change-password", post(users::change_password))
        .route(
            "/api/user/change-password/{changePasswordId}",
            post(users::change_password),
        )
        .route("/api/two-factor/secret", get(users::two_factor_secret))
        .route("/api/user/two-factor", post(users::enable_two_factor))
        .route(
            "/api/user/two-factor/{userId}",
            post(users::enable_two_factor),
        )
        .route("/api/jwt/refresh", post(jwt::refresh).delete(jwt::revoke))
        .route("/api/jwt/refresh/{tokenId}", delete(jwt::revoke))
        .route("/api/jwt/validate", get(jwt::validate))
        .route("/.well-known/jwks.json", get(jwt::jwks))
        .route(
            "/api/system/login-record/search",
            get(records::search).post(records::search),
        )
        .route(
            "/api/system/login-record/export",
            get(records::export).post(records::export),
        )
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(refuse_declared_oversize))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), observe))
        .with_state(state)
}

/// Answers 413 to a request whose `Content-Length` is over the limit before reading any
/// of its body. The body limit alone would first wait for the bytes to arrive, so a
/// client announcing a large body and sending it slowly, or never, would hold its
/// connection and a task until it gave up.
async fn refuse_declared_oversize(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    next.run(request).await
}

/// Counts and times every request by route template (never by raw path, which would
/// put ids and tokens into label values).
async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    let labels = RequestLabels {
        route: format!("{method} {route}"),
        status: response.status().as_u16(),
    };
    state.metrics.requests.get_or_create(&labels).inc();
    state
        .metrics
        .request_seconds
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    tracing::debug!(route = %labels.route, status = labels.status, elapsed_ms = started.elapsed().as_millis() as u64, "request");
    response
}
