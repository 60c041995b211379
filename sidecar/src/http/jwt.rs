//! Tokens: `POST /api/jwt/refresh`, `DELETE /api/jwt/refresh`, `GET /api/jwt/validate`,
//! `GET /.well-known/jwks.json`.

use std::sync::Arc;

use authlet_core::errors::Errors;
use authlet_core::secrets::{random_refresh_token, sha256_hex};
use authlet_core::tokens::{decide_refresh, AuthenticationType, RefreshDecision, RefreshTiming};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::context::{client_ip, cookie_value, Caller, CookieJar};
use super::error::{json_response, ApiError};
use super::extract::{parse_body, PathParams, Peer, QueryParams};
use super::flow::{sign_access_token, ACCESS_TOKEN_COOKIE, REFRESH_TOKEN_COOKIE};
use crate::state::AppState;
use crate::store::{LoginRecord, RefreshLookup};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    refresh_token: Option<String>,
    time_to_live_in_seconds: Option<i64>,
}

fn invalid_refresh_token() -> ApiError {
    ApiError::field("refreshToken", "invalid", "The refresh token is not valid.")
}

/// `POST /api/jwt/refresh`. The cookie wins over the body, as in FusionAuth.
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let request: RefreshRequest = parse_body(&headers, &body)?;
    let Some(token) = cookie_value(&headers, REFRESH_TOKEN_COOKIE)
        .filter(|t| !t.is_empty())
        .or(request.refresh_token.filter(|t| !t.is_empty()))
    else {
        let mut errors = Errors::new();
        errors.blank("refreshToken");
        return Err(errors.into());
    };
    if request.time_to_live_in_seconds.is_some_and(|t| t < 1) {
        return Err(ApiError::field(
            "timeToLiveInSeconds",
            "invalid",
            "timeToLiveInSeconds must be greater than 0.",
        ));
    }
    let now = state.now();
    let token_hash = sha256_hex(token.as_bytes());
    let (record, holder) = match state
        .store
        .find_refresh_token_with_user(&token_hash)
        .await?
    {
        RefreshLookup::Live(found) => found,
        RefreshLookup::Retired { refresh_token_id } => {
            // A one-time token presented again: someone holds a copy. Revoke the family.
            tracing::warn!(%refresh_token_id, "one-time refresh token reused; revoking its family");
            state.store.delete_refresh_token(refresh_token_id).await?;
            return Err(invalid_refresh_token());
        }
        RefreshLookup::Unknown => return Err(invalid_refresh_token()),
    };
    let Some((tenant, application)) = runtime.config.application(record.application_id) else {
        return Err(invalid_refresh_token());
    };
    let user = holder.user;
    let locked = holder
        .failures
        .as_ref()
        .and_then(|f| f.active_lock(now))
        .is_some();
    if !user.active || user.expiry.is_some_and(|e| e <= now) || locked || !application.active {
        return Err(invalid_refresh_token());
    }
    let jwt = tenant.effective_jwt(Some(application));
    let timing = RefreshTiming {
        insert_instant: record.insert_instant,
        last_used_instant: record.last_used_instant,
    };
    let RefreshDecision::Accept { rotate, expires_at } = decide_refresh(
        timing,
        &jwt,
        application.login_configuration.allow_token_refresh,
        now,
    ) else {
        return Err(invalid_refresh_token());
    };
    let new_token = rotate.then(|| random_refresh_token(&mut rand::rngs::OsRng));
    let new_hash = new_token.as_ref().map(|t| sha256_hex(t.as_bytes()));
    // Signed before the token is used, so that nothing after the write can fail.
    let (access_token, _) = sign_access_token(
        &runtime,
        tenant,
        Some(application),
        &user,
        AuthenticationType::RefreshToken,
        record.auth_time,
        now,
        Some(record.id),
        request.time_to_live_in_seconds,
    )?;
    let login_record = LoginRecord {
        tenant_id: tenant.id,
        user_id: user.id,
        application_id: Some(application.id),
        application_name: Some(application.name.clone()),
        login_id: user.display_login_id(),
        instant: now,
        ip_address: client_ip(None, &headers, peer),
    };
    if !state
        .store
        .use_refresh_token(record.id, &token_hash, new_hash.as_deref(), &login_record)
        .await?
    {
        // Another request used this one-time token first: this is a reuse.
        if rotate {
            state.store.delete_refresh_token(record.id).await?;
        }
        return Err(invalid_refresh_token());
    }
    let refresh_token = new_token.unwrap_or(token);
    let mut cookies = CookieJar::new(&runtime, &headers);
    cookies.set(ACCESS_TOKEN_COOKIE, access_token.clone(), None);
    cookies.set(
        REFRESH_TOKEN_COOKIE,
        refresh_token.clone(),
        Some(((expires_at - now) / 1000).max(0)),
    );
    let mut response = json_response(
        StatusCode::OK,
        &json!({ "token": access_token, "refreshToken": refresh_token, "refreshTokenId": record.id }),
    );
    cookies.apply(&mut response);
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevokeParams {
    application_id: Option<Uuid>,
    user_id: Option<Uuid>,
    token: Option<String>,
}

/// `DELETE /api/jwt/refresh?…` and `DELETE /api/jwt/refresh/{tokenId}`.
pub async fn revoke(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    token_id: Option<PathParams<String>>,
    QueryParams(query): QueryParams<RevokeParams>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    let body: RevokeParams = parse_body(&headers, &body)?;
    let params = RevokeParams {
        application_id: query.application_id.or(body.application_id),
        user_id: query.user_id.or(body.user_id),
        token: query.token.or(body.token),
    };
    let token_id = token_id
        .map(|PathParams(id)| {
            Uuid::parse_str(&id)
                .map_err(|_| ApiError::field("tokenId", "invalid", "Invalid tokenId."))
        })
        .transpose()?;
    // A single token may be revoked by its owner with a JWT; everything else needs a key.
    let owner = match (&caller.api_key, &caller.bearer) {
        (Some(_), _) => None,
        (None, Some(jwt)) if token_id.is_some() || params.token.is_some() => Some(
            runtime
                .verify_access_token(jwt, state.now())
                .map_err(|_| ApiError::unauthorized())?
                .subject,
        ),
        _ => return Err(ApiError::unauthorized()),
    };
    let scope = caller.tenant_scope()?;
    let single = match (token_id, params.token) {
        (Some(id), _) => Some(state.store.refresh_token_by_id(id).await?),
        (None, Some(value)) => Some(
            match state
                .store
                .find_refresh_token(&sha256_hex(value.as_bytes()))
                .await?
            {
                RefreshLookup::Live(record) => Some(record),
                _ => None,
            },
        ),
        (None, None) => None,
    };
    if let Some(found) = single {
        let record = found
            .filter(|r| owner.is_none_or(|o| o == r.user_id))
            .filter(|r| scope.is_none_or(|s| s == r.tenant_id))
            .ok_or_else(ApiError::not_found)?;
        state.store.delete_refresh_token(record.id).await?;
        return Ok(StatusCode::OK.into_response());
    }
    if params.user_id.is_none() && params.application_id.is_none() {
        let mut errors = Errors::new();
        errors.blank("token");
        return Err(errors.into());
    }
    if let Some(tenant) = scope {
        let app_ok = params.application_id.is_none_or(|a| {
            runtime
                .config
                .application(a)
                .is_some_and(|(t, _)| t.id == tenant)
        });
        let user_ok = match params.user_id {
            Some(u) => state
                .store
                .user(u)
                .await?
                .is_some_and(|(user, _)| user.tenant_id == tenant),
            None => true,
        };
        if !app_ok || !user_ok {
            return Err(ApiError::not_found());
        }
    }
    state
        .store
        .delete_refresh_tokens(params.user_id, params.application_id)
        .await?;
    Ok(StatusCode::OK.into_response())
}

/// `GET /api/jwt/validate`: the token from `Authorization: Bearer` or the
/// `access_token` cookie; 200 with its claims, 401 when invalid or expired.
pub async fn validate(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    let token = caller
        .bearer
        .or_else(|| cookie_value(&headers, ACCESS_TOKEN_COOKIE))
        .ok_or_else(ApiError::unauthorized)?;
    let verified = runtime
        .verify_access_token(&token, state.now())
        .map_err(|_| ApiError::unauthorized())?;
    Ok(json_response(
        StatusCode::OK,
        &json!({ "jwt": verified.claims }),
    ))
}

pub async fn jwks(State(state): State<Arc<AppState>>) -> Response {
    json_response(StatusCode::OK, &state.runtime().keys.jwks())
}
