//! The login family: `POST /api/login` (password and one-time password),
//! `POST /api/two-factor/login`, `PUT /api/login` (ping) and `POST /api/logout`.

use std::sync::Arc;

use authlet_core::config::TenantConfig;
use authlet_core::errors::Errors;
use authlet_core::login::{self as decide, requires_api_key};
use authlet_core::model::normalize_login_id;
use authlet_core::password::{self, PasswordHash};
use authlet_core::secrets::{random_identifier, sha256_hex};
use authlet_core::tokens::AuthenticationType;
use authlet_core::two_factor;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::context::{client_ip, cookie_value, resolve_tenant, Caller, CookieJar};
use super::error::ApiError;
use super::extract::{parse_body, JsonBody, PathParams, Peer, QueryParams};
use super::flow::{self, ProvenLogin, REFRESH_TOKEN_COOKIE, TRUST_COOKIE};
use crate::state::AppState;
use crate::store::{
    IdentifierKind, LoginRecord, LoginSuccess, LoginUser, NewIdentifier, PendingLogin,
    RefreshLookup, SecondFactor, SecondFactorUse,
};

/// Wrong two-factor codes allowed per `twoFactorId` before it is withdrawn. Each one also
/// counts toward the user's failed-authentication lockout ([`count_failure`]), which is
/// what bounds guessing across many `twoFactorId`s.
const MAX_TWO_FACTOR_ATTEMPTS: i64 = 5;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    application_id: Option<Uuid>,
    login_id: Option<String>,
    password: Option<String>,
    one_time_password: Option<String>,
    ip_address: Option<String>,
    #[serde(default, rename = "noJWT")]
    no_jwt: bool,
    two_factor_trust_id: Option<String>,
    meta_data: Option<MetaData>,
}

#[derive(Debug, Deserialize)]
pub struct MetaData {
    device: Option<Value>,
}

fn blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// `POST /api/login`.
pub async fn login(
    State(state): State<Arc<AppState>>,
    Peer(peer): Peer,
    headers: HeaderMap,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    let (tenant, application) = resolve_tenant(&runtime, &caller, request.application_id)?;
    if requires_api_key(tenant, application) && caller.api_key.is_none() || caller.bad_key {
        return Err(ApiError::unauthorized());
    }
    let one_time = !blank(&request.one_time_password);
    if !one_time {
        let mut errors = Errors::new();
        if blank(&request.login_id) {
            errors.blank("loginId");
        }
        if blank(&request.password) {
            errors.blank("password");
        }
        // No stored password can be this long: refused before the lookup and the hash,
        // alike for every user, so it reveals nothing and costs nothing.
        if request
            .password
            .as_ref()
            .is_some_and(|p| p.len() > password::MAX_PASSWORD_BYTES)
        {
            errors.field(
                "password",
                "tooLong",
                format!(
                    "The password must be at most [{}] bytes long.",
                    password::MAX_PASSWORD_BYTES
                ),
            );
        }
        errors.into_result()?;
    }
    let now = state.now();
    let ip_address = client_ip(request.ip_address.as_deref(), &headers, peer);
    let device = request.meta_data.and_then(|m| m.device);
    let trust_id = cookie_value(&headers, TRUST_COOKIE).or(request.two_factor_trust_id);
    let mut cookies = CookieJar::new(&runtime, &headers);

    // A password login's admission (see `Hasher::reserve`), held until it has answered.
    let mut admission = None;
    let (user, failures, authentication_type, login_id, rehash, password_fails_rules, login_state) =
        if one_time {
            let otp = request.one_time_password.unwrap_or_default();
            let Some(record) = state
                .store
                .consume_identifier(
                    IdentifierKind::OneTimePassword,
                    &sha256_hex(otp.as_bytes()),
                    now,
                )
                .await?
            else {
                return Err(ApiError::not_found());
            };
            let Some(LoginUser { user, failures, .. }) = state
                .store
                .login_user_by_id(record.user_id)
                .await?
                .filter(|found| found.user.tenant_id == tenant.id)
            else {
                return Err(ApiError::not_found());
            };
            let login_id = user.display_login_id();
            let login_state = record.data.get("state").cloned();
            (
                user,
                failures,
                AuthenticationType::OneTimePassword,
                login_id,
                None,
                false,
                login_state,
            )
        } else {
            let login_id = request.login_id.unwrap_or_default();
            let password = request.password.unwrap_or_default();
            // Every password login hashes once, whoever it names.
            let hash = admission.insert(state.hasher.reserve()?);
            let found = state
                .store
                .login_user(tenant.id, &normalize_login_id(&login_id))
                .await?;
            let settings = tenant.password_encryption_configuration.clone();
            let rules = tenant.password_validation_rules.clone();
            let Some(LoginUser {
                user,
                password: Some(stored),
                failures,
            }) = found
            else {
                // Unknown user (or one without a password): cost one hash at the tenant's
                // setting so the answer takes as long as a wrong password.
                hash.run(move || password::dummy_verify(&password, &settings))
                    .await?;
                return Err(ApiError::not_found());
            };
            let (matches, rehash, fails_rules) = hash
                .run(move || {
                    let matches = stored.verify(&password);
                    let rehash = (matches
                        && settings.modify_encryption_scheme_on_login
                        && stored.is_outdated(&settings))
                    .then(|| {
                        PasswordHash::create(&password, &settings, &mut rand::rngs::OsRng).ok()
                    })
                    .flatten();
                    let fails_rules = matches
                        && rules.validate_on_login
                        && !password::validate_password(
                            &password,
                            &rules,
                            stored.scheme == password::Scheme::Bcrypt,
                        )
                        .is_empty();
                    (matches, rehash, fails_rules)
                })
                .await?;
            if !matches {
                count_failure(&state, tenant, user.id, now).await?;
                return Err(ApiError::not_found());
            }
            (
                user,
                failures,
                AuthenticationType::Password,
                login_id,
                rehash,
                fails_rules,
                None,
            )
        };

    let two_factor_trusted = match trust_id {
        Some(trust) if user.has_two_factor() => state
            .store
            .identifier(
                IdentifierKind::TwoFactorTrust,
                &sha256_hex(trust.as_bytes()),
                now,
            )
            .await?
            .is_some_and(|record| record.user_id == user.id),
        _ => false,
    };
    let response = flow::finish(
        &state,
        &runtime,
        ProvenLogin {
            tenant,
            application,
            user,
            authentication_type,
            login_id,
            ip_address,
            no_jwt: request.no_jwt,
            device,
            failures,
            two_factor_trusted,
            two_factor_completed: false,
            password_fails_rules,
            rehash,
            state: login_state,
            extra: Map::new(),
            identifiers: Vec::new(),
        },
        &mut cookies,
    )
    .await?;
    Ok(with_cookies(response, cookies))
}

/// Counts one failed authentication — a wrong password or a wrong second factor —
/// toward the user's lockout. Both count alike: otherwise a holder of the password could
/// guess codes without end, five per `twoFactorId`, by logging in again for a new one.
async fn count_failure(
    state: &AppState,
    tenant: &TenantConfig,
    user_id: Uuid,
    now: i64,
) -> Result<(), ApiError> {
    let settings = tenant.failed_authentication_configuration.clone();
    let (_, lock_started) = state
        .store
        .record_failure(user_id, |previous| {
            decide::record_failure(previous, now, &settings)
        })
        .await?;
    if lock_started {
        state.metrics.lockouts.inc();
        tracing::info!(%user_id, "failed-authentication lockout started");
    }
    Ok(())
}

fn with_cookies(mut response: Response, cookies: CookieJar) -> Response {
    cookies.apply(&mut response);
    response
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorLoginRequest {
    application_id: Option<Uuid>,
    two_factor_id: Option<String>,
    code: Option<String>,
    ip_address: Option<String>,
    #[serde(default)]
    trust_computer: bool,
    #[serde(default, rename = "noJWT")]
    no_jwt: bool,
    meta_data: Option<MetaData>,
}

/// `POST /api/two-factor/login`.
pub async fn two_factor_login(
    State(state): State<Arc<AppState>>,
    Peer(peer): Peer,
    headers: HeaderMap,
    JsonBody(request): JsonBody<TwoFactorLoginRequest>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    let mut errors = Errors::new();
    if blank(&request.two_factor_id) {
        errors.blank("twoFactorId");
    }
    if blank(&request.code) {
        errors.blank("code");
    }
    errors.into_result()?;
    let now = state.now();
    let id_hash = sha256_hex(request.two_factor_id.unwrap_or_default().as_bytes());
    let Some(PendingLogin {
        identifier: pending,
        user,
        failures,
    }) = state
        .store
        .pending_login(IdentifierKind::TwoFactor, &id_hash, now)
        .await?
    else {
        return Err(ApiError::not_found());
    };
    let application_id = request.application_id.or_else(|| {
        pending
            .data
            .get("applicationId")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
    });
    let (tenant, application) = resolve_tenant(&runtime, &caller, application_id)?;
    if user.tenant_id != tenant.id {
        return Err(ApiError::not_found());
    }

    // A locked user's codes are not even looked at: the answer is the lock, whatever
    // the code, so guesses during the lock neither learn anything nor spend the user's
    // recovery codes.
    if let Some(locked_until) = failures.and_then(|f| f.active_lock(now)) {
        return Ok(flow::locked(locked_until));
    }

    let code = request.code.unwrap_or_default();
    let unix_seconds = u64::try_from(now / 1000).unwrap_or_default();
    let factor = user
        .two_factor_methods
        .iter()
        .find_map(|method| {
            let key = two_factor::decode_secret(Some(&method.secret), None)?;
            let step = two_factor::verify_code(&key, &code, unix_seconds)?;
            Some(SecondFactor::TotpStep {
                method_id: method.id.clone(),
                step,
            })
        })
        // TOTP codes are six digits, recovery codes longer.
        .or_else(|| {
            (code.trim().len() > 6).then(|| SecondFactor::RecoveryCode {
                code_hash: two_factor::recovery_code_hash(&code),
            })
        });
    let Some(factor) = factor else {
        return refuse_code(&state, tenant, user.id, &id_hash, now).await;
    };

    let mut extra = Map::new();
    let mut identifiers = Vec::new();
    let external = &tenant.external_identifier_configuration;
    let trust_ttl = external.two_factor_trust_id_time_to_live_in_seconds;
    let trust_id = request
        .trust_computer
        .then(|| random_identifier(&mut rand::rngs::OsRng));
    if let Some(trust_id) = &trust_id {
        identifiers.push(NewIdentifier {
            kind: IdentifierKind::TwoFactorTrust,
            id_hash: sha256_hex(trust_id.as_bytes()),
            user_id: user.id,
            expires_at: now + trust_ttl * 1000,
            data: json!({}),
        });
        extra.insert("twoFactorTrustId".into(), Value::String(trust_id.clone()));
    }
    let trust_token = random_identifier(&mut rand::rngs::OsRng);
    identifiers.push(NewIdentifier {
        kind: IdentifierKind::TrustToken,
        id_hash: sha256_hex(trust_token.as_bytes()),
        user_id: user.id,
        expires_at: now + external.trust_token_time_to_live_in_seconds * 1000,
        data: json!({}),
    });
    extra.insert("trustToken".into(), Value::String(trust_token));

    let data = &pending.data;
    let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
    let authentication_type = text("authenticationType")
        .and_then(|t| AuthenticationType::parse(&t))
        .unwrap_or(AuthenticationType::Password);
    let ip_address = client_ip(request.ip_address.as_deref(), &headers, None)
        .or_else(|| text("ipAddress"))
        .or_else(|| peer.map(|p| p.ip().to_string()));
    let login_id = text("loginId").unwrap_or_else(|| user.display_login_id());
    let no_jwt = request.no_jwt || data.get("noJWT").and_then(Value::as_bool).unwrap_or(false);
    let device = request
        .meta_data
        .and_then(|m| m.device)
        .or_else(|| data.get("device").cloned());
    let login_state = data.get("state").cloned();
    let user_id = user.id;
    let decided = flow::decide(
        now,
        ProvenLogin {
            tenant,
            application,
            user,
            authentication_type,
            login_id,
            ip_address,
            no_jwt,
            device,
            failures,
            two_factor_trusted: false,
            two_factor_completed: true,
            password_fails_rules: false,
            rehash: None,
            state: login_state,
            extra,
            identifiers,
        },
    );
    // The code's use, the pending login's and the decision's write in one: nothing of
    // the login is written unless this request consumed the pending login.
    match state
        .store
        .use_second_factor(
            user_id,
            &factor,
            IdentifierKind::TwoFactor,
            &id_hash,
            now,
            &decided.write,
        )
        .await?
    {
        SecondFactorUse::Completed => {}
        // Single use: only the request that consumed the id may finish the login.
        SecondFactorUse::PendingGone => return Err(ApiError::not_found()),
        SecondFactorUse::Spent => return refuse_code(&state, tenant, user_id, &id_hash, now).await,
        // A lock that started after the read above: answered as that read's would be.
        SecondFactorUse::Locked { until } => return Ok(flow::locked(until)),
    }
    let mut cookies = CookieJar::new(&runtime, &headers);
    if let Some(trust_id) = trust_id.filter(|_| decided.is_authenticated()) {
        cookies.set(TRUST_COOKIE, trust_id, Some(trust_ttl));
    }
    let response = decided.respond(&runtime, &mut cookies)?;
    Ok(with_cookies(response, cookies))
}

/// A completion's wrong or spent code: counted toward the user's lockout and against
/// the pending login, which goes after [`MAX_TWO_FACTOR_ATTEMPTS`].
async fn refuse_code(
    state: &Arc<AppState>,
    tenant: &TenantConfig,
    user_id: Uuid,
    id_hash: &str,
    now: i64,
) -> Result<Response, ApiError> {
    count_failure(state, tenant, user_id, now).await?;
    let attempts = state
        .store
        .bump_identifier_attempts(IdentifierKind::TwoFactor, id_hash)
        .await?;
    if attempts >= MAX_TWO_FACTOR_ATTEMPTS {
        state
            .store
            .delete_identifier(IdentifierKind::TwoFactor, id_hash)
            .await?;
    }
    Err(ApiError::Empty(
        StatusCode::from_u16(421).unwrap_or(StatusCode::BAD_REQUEST),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PingQuery {
    ip_address: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PingRequest {
    user_id: Option<Uuid>,
    application_id: Option<Uuid>,
    ip_address: Option<String>,
}

/// `PUT /api/login/{userId}/{applicationId}` with an API key.
pub async fn ping_with_ids(
    State(state): State<Arc<AppState>>,
    Peer(peer): Peer,
    headers: HeaderMap,
    PathParams((user_id, application_id)): PathParams<(String, String)>,
    QueryParams(query): QueryParams<PingQuery>,
) -> Result<Response, ApiError> {
    let user_id = Uuid::parse_str(&user_id)
        .map_err(|_| ApiError::field("userId", "invalid", "Invalid userId."))?;
    let application_id = Uuid::parse_str(&application_id)
        .map_err(|_| ApiError::field("applicationId", "invalid", "Invalid applicationId."))?;
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    caller.require_key()?;
    let ip = client_ip(query.ip_address.as_deref(), &headers, peer);
    ping(&state, &caller, user_id, Some(application_id), ip).await
}

/// `PUT /api/login`: ids from a bearer JWT's claims, or from the body with an API key.
pub async fn ping_with_token(
    State(state): State<Arc<AppState>>,
    Peer(peer): Peer,
    headers: HeaderMap,
    QueryParams(query): QueryParams<PingQuery>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    let request: PingRequest = parse_body(&headers, &body)?;
    let ip_body = request.ip_address.clone().or(query.ip_address);
    let ip = client_ip(ip_body.as_deref(), &headers, peer);
    if let Some(token) = &caller.bearer {
        let token = runtime
            .verify_access_token(token, state.now())
            .map_err(|_| ApiError::unauthorized())?;
        return ping(&state, &caller, token.subject, token.audience, ip).await;
    }
    caller.require_key()?;
    let Some(user_id) = request.user_id else {
        return Err(ApiError::BadRequest({
            let mut errors = Errors::new();
            errors.blank("userId");
            errors
        }));
    };
    ping(&state, &caller, user_id, request.application_id, ip).await
}

async fn ping(
    state: &Arc<AppState>,
    caller: &Caller,
    user_id: Uuid,
    application_id: Option<Uuid>,
    ip_address: Option<String>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let (tenant, application) = resolve_tenant(&runtime, caller, application_id)?;
    let Some((user, _)) = state
        .store
        .user(user_id)
        .await?
        .filter(|(u, _)| u.tenant_id == tenant.id)
    else {
        return Err(ApiError::not_found());
    };
    let now = state.now();
    state
        .store
        .record_login(&LoginSuccess {
            user_id,
            application_id,
            now,
            rehash: None,
            record: LoginRecord {
                tenant_id: tenant.id,
                user_id,
                application_id,
                application_name: application.map(|a| a.name.clone()),
                login_id: user.display_login_id(),
                instant: now,
                ip_address,
            },
            refresh_token: None,
            identifiers: Vec::new(),
        })
        .await?;
    let registered = application.is_none_or(|app| user.registration(app.id).is_some());
    Ok(if registered {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    }
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogoutParams {
    global: Option<bool>,
    refresh_token: Option<String>,
}

/// `POST /api/logout`: revoke the presented refresh token (all of its owner's with
/// `global`) and delete both token cookies. Always 200.
pub async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    QueryParams(query): QueryParams<LogoutParams>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let request: LogoutParams = parse_body(&headers, &body)?;
    let global = request.global.or(query.global).unwrap_or(false);
    let token = request
        .refresh_token
        .or(query.refresh_token)
        .filter(|t| !t.is_empty())
        .or_else(|| cookie_value(&headers, REFRESH_TOKEN_COOKIE));
    if let Some(token) = token {
        let record = match state
            .store
            .find_refresh_token(&sha256_hex(token.as_bytes()))
            .await?
        {
            RefreshLookup::Live(record) => Some(record),
            RefreshLookup::Retired { refresh_token_id } => {
                state.store.refresh_token_by_id(refresh_token_id).await?
            }
            RefreshLookup::Unknown => None,
        };
        if let Some(record) = record {
            if global {
                state
                    .store
                    .delete_refresh_tokens(Some(record.user_id), None)
                    .await?;
            } else {
                state.store.delete_refresh_token(record.id).await?;
            }
        }
    }
    let mut cookies = CookieJar::new(&runtime, &headers);
    cookies.remove(flow::ACCESS_TOKEN_COOKIE);
    cookies.remove(REFRESH_TOKEN_COOKIE);
    Ok(with_cookies(StatusCode::OK.into_response(), cookies))
}
