//! Every failure a handler can return, mapped to a response in one place.
//!
//! FusionAuth's conventions: 400 carries the Errors JSON; 401/404/410/423/421 carry no
//! body. Internal details are logged here and never returned.

use authlet_core::errors::Errors;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::hashing::HashUnavailable;
use crate::keys::TokenError;
use crate::store::StoreError;

#[derive(Debug)]
pub enum ApiError {
    /// 400 with FusionAuth's Errors object.
    BadRequest(Errors),
    /// A status with an empty body (401, 403, 404, 410, 421, 423, …).
    Empty(StatusCode),
    Store(StoreError),
    /// 503 with `Retry-After`: more password hashes are waiting than the cores can do
    /// soon.
    Overloaded,
    Internal(String),
}

impl ApiError {
    pub fn unauthorized() -> Self {
        Self::Empty(StatusCode::UNAUTHORIZED)
    }

    pub fn not_found() -> Self {
        Self::Empty(StatusCode::NOT_FOUND)
    }

    pub fn field(field: &str, rule: &str, message: impl Into<String>) -> Self {
        Self::BadRequest(Errors::single_field(field, rule, message))
    }
}

impl From<Errors> for ApiError {
    fn from(errors: Errors) -> Self {
        Self::BadRequest(errors)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<HashUnavailable> for ApiError {
    fn from(error: HashUnavailable) -> Self {
        match error {
            HashUnavailable::Overloaded => Self::Overloaded,
            HashUnavailable::Failed => Self::Internal(error.to_string()),
        }
    }
}

impl From<TokenError> for ApiError {
    fn from(error: TokenError) -> Self {
        Self::Internal(error.to_string())
    }
}

/// A JSON response with FusionAuth's content type.
pub fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
            bytes,
        )
            .into_response(),
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::BadRequest(errors) => json_response(StatusCode::BAD_REQUEST, &errors),
            Self::Empty(status) => status.into_response(),
            Self::Store(StoreError::Duplicate(what)) => {
                let field = format!("user.{what}");
                json_response(
                    StatusCode::BAD_REQUEST,
                    &Errors::single_field(
                        &field,
                        "duplicate",
                        format!("A User with [{field}] already exists."),
                    ),
                )
            }
            Self::Store(error @ StoreError::Unavailable(_)) => {
                tracing::error!(%error, "database unavailable");
                let mut errors = Errors::new();
                errors.general(
                    "[DatabaseUnavailable]",
                    "The database is unavailable; retry shortly.",
                );
                json_response(StatusCode::SERVICE_UNAVAILABLE, &errors)
            }
            // The user was deleted while its request was under way: answered as if the
            // deletion had come first.
            Self::Store(StoreError::Gone(_)) => StatusCode::NOT_FOUND.into_response(),
            Self::Store(error) => {
                tracing::error!(%error, "storage error");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
            Self::Overloaded => {
                let mut errors = Errors::new();
                errors.general(
                    "[Overloaded]",
                    "Too many logins are in progress; retry shortly.",
                );
                let mut response = json_response(StatusCode::SERVICE_UNAVAILABLE, &errors);
                response.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("1"),
                );
                response
            }
            Self::Internal(message) => {
                tracing::error!(%message, "internal error");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request whose user was deleted under it is answered as if the deletion had come
    /// first (404), and only a database that failed is a 503.
    #[test]
    fn a_store_error_answers_by_what_happened_to_the_database() {
        let status = |error| ApiError::Store(error).into_response().status();
        assert_eq!(
            status(StoreError::Gone("user".into())),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status(StoreError::Unavailable("disk full".into())),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            status(StoreError::Corrupt("bad row".into())),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
