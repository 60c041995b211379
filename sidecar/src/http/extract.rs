//! Request extractors that answer bad input the FusionAuth way (400 Errors JSON).

use std::net::SocketAddr;

use authlet_core::errors::Errors;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// The largest request body accepted; bigger ones get 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON body. Syntax errors become `[invalidJSON]`; a wrong type or a bad UUID becomes
/// `[invalid]<field path>`. An empty body deserializes as `{}` so that a missing field is
/// reported as blank, like FusionAuth does.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = axum::response::Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if let Some(content_type) = content_type {
            if !bytes.is_empty()
                && !content_type.starts_with("application/json")
                && !content_type.contains("+json")
            {
                let mut errors = Errors::new();
                errors.general(
                    "[invalidContentType]",
                    "Request bodies must be application/json.",
                );
                return Err(ApiError::BadRequest(errors).into_response());
            }
        }
        parse_json(&bytes)
            .map(JsonBody)
            .map_err(IntoResponse::into_response)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    // serde_json's recursion limit (128) bounds deeply nested input.
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    if result.is_ok() {
        deserializer.end().map_err(|e| {
            let mut errors = Errors::new();
            errors.general(
                "[invalidJSON]",
                format!("Unable to parse the request body as JSON: {e}"),
            );
            ApiError::BadRequest(errors)
        })?;
    }
    result.map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let mut errors = Errors::new();
        if inner.is_syntax() || inner.is_eof() || path == "." {
            errors.general(
                "[invalidJSON]",
                format!("Unable to parse the request body as JSON: {inner}"),
            );
        } else {
            errors.invalid(&path, format!("Invalid value for [{path}]: {inner}"));
        }
        ApiError::BadRequest(errors)
    })
}

/// The TCP peer, when the server recorded one.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}
