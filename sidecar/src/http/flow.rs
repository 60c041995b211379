//! Completing a login once the user has proven who they are: ask `core` what to answer,
//! persist what it implies, and write the response (body and cookies).
//!
//! Shared by password login, one-time-password login and two-factor completion, so the
//! post-authentication codes (410, 423, 409, 242, 203, 212, 213, 202, 200) are decided
//! and rendered in exactly one place.

use std::sync::Arc;

use authlet_core::config::{ApplicationConfig, TenantConfig};
use authlet_core::login::{
    self, Authenticated, FailureState, LoginDecision, LoginFacts, TokenPlan,
};
use authlet_core::model::{authenticator_method_json, ChangePasswordReason, User};
use authlet_core::password::PasswordHash;
use authlet_core::secrets::{random_identifier, random_refresh_token, random_uuid, sha256_hex};
use authlet_core::tokens::{access_claims, AccessGrant, AuthenticationType};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::context::CookieJar;
use super::error::{json_response, ApiError};
use crate::state::{AppState, Runtime};
use crate::store::{
    IdentifierKind, LoginRecord, LoginSuccess, LoginWrite, LoginWritten, NewIdentifier,
    RefreshTokenRecord,
};

pub const ACCESS_TOKEN_COOKIE: &str = "access_token";
pub const REFRESH_TOKEN_COOKIE: &str = "refresh_token";
pub const TRUST_COOKIE: &str = "fusionauth.trust";

/// A login that has passed its credential check.
#[derive(Debug)]
pub struct ProvenLogin<'a> {
    pub tenant: &'a TenantConfig,
    pub application: Option<&'a ApplicationConfig>,
    pub user: User,
    pub authentication_type: AuthenticationType,
    /// What the user typed (or the user's email for non-password forms).
    pub login_id: String,
    pub ip_address: Option<String>,
    pub no_jwt: bool,
    pub device: Option<Value>,
    /// The user's failed authentications, read with the user (before the hash or the
    /// code is checked). A lock that starts after that read still refuses the login:
    /// the login's write checks again.
    pub failures: Option<FailureState>,
    pub two_factor_trusted: bool,
    pub two_factor_completed: bool,
    pub password_fails_rules: bool,
    /// A re-hash under the tenant's current scheme (`modifyEncryptionSchemeOnLogin`).
    pub rehash: Option<PasswordHash>,
    /// Carried through from the change-password request (one-time-password login).
    pub state: Option<Value>,
    /// Extra members for the response body (`twoFactorTrustId`, `trustToken`).
    pub extra: Map<String, Value>,
    /// Identifiers stored with the login if it is authenticated (the trust token in
    /// `extra`, which only an authenticated login's body carries).
    pub identifiers: Vec<NewIdentifier>,
}

/// Epoch seconds.
fn seconds(millis: i64) -> i64 {
    millis.div_euclid(1000)
}

/// Decides `login`, writes what that implies, and answers: a password or one-time-password
/// login. A two-factor completion writes its decision together with its code's use, so
/// it calls [`decide`] and [`Decided::respond`] around a write of its own.
pub async fn finish(
    state: &Arc<AppState>,
    runtime: &Runtime,
    login: ProvenLogin<'_>,
    cookies: &mut CookieJar,
) -> Result<Response, ApiError> {
    let decided = decide(state.now(), login);
    match state.store.write_login(&decided.write, decided.now).await? {
        LoginWritten::Written => decided.respond(runtime, cookies),
        LoginWritten::Locked { until } => Ok(locked(until)),
    }
}

/// What any login of a user locked until `until` answers: 409 with the lock's expiry.
pub fn locked(until: i64) -> Response {
    json_response(StatusCode::CONFLICT, &login::prevented_login_body(until))
}

/// A login `core` has decided, with what it writes and what it answers once written.
#[derive(Debug)]
pub struct Decided<'a> {
    login: ProvenLogin<'a>,
    now: i64,
    answer: Answer,
    /// What the login writes before it answers: nothing may be answered that the
    /// database does not hold (a two-factor id, a refresh token).
    pub write: LoginWrite,
}

/// What a decided login answers, with the values made for it.
#[derive(Debug)]
enum Answer {
    /// 410, 423 or 409.
    Refused(LoginDecision),
    /// 242, handing out a two-factor id.
    TwoFactorRequired { two_factor_id: String },
    /// 203, handing out a change-password id.
    ChangePasswordRequired {
        change_password_id: String,
        reason: ChangePasswordReason,
    },
    /// 200 or 202, with tokens as `plan` says: the refresh token's value and record.
    Authenticated {
        outcome: Authenticated,
        plan: TokenPlan,
        refresh_token: Option<(String, RefreshTokenRecord)>,
    },
}

/// Asks `core` what to answer and works out what that writes. Nothing is written here.
pub fn decide(now: i64, mut login: ProvenLogin<'_>) -> Decided<'_> {
    let decision = login::decide(&LoginFacts {
        now,
        tenant: login.tenant,
        application: login.application,
        user: &login.user,
        failures: login.failures,
        two_factor_trusted: login.two_factor_trusted,
        two_factor_completed: login.two_factor_completed,
        password_fails_rules: login.password_fails_rules,
    });
    let external = &login.tenant.external_identifier_configuration;
    let step = |kind, value: &str, ttl: i64, data| {
        LoginWrite::Step(NewIdentifier {
            kind,
            id_hash: sha256_hex(value.as_bytes()),
            user_id: login.user.id,
            expires_at: now + ttl * 1000,
            data,
        })
    };
    let (answer, write) = match decision {
        LoginDecision::Expired | LoginDecision::Deactivated | LoginDecision::Prevented { .. } => {
            (Answer::Refused(decision), LoginWrite::Nothing)
        }
        LoginDecision::TwoFactorRequired => {
            let two_factor_id = random_identifier(&mut rand::rngs::OsRng);
            let data = json!({
                "applicationId": login.application.map(|a| a.id),
                "authenticationType": login.authentication_type.as_str(),
                "loginId": login.login_id,
                "ipAddress": login.ip_address,
                "device": login.device,
                "noJWT": login.no_jwt,
                "state": login.state,
            });
            let write = step(
                IdentifierKind::TwoFactor,
                &two_factor_id,
                external.two_factor_id_time_to_live_in_seconds,
                data,
            );
            (Answer::TwoFactorRequired { two_factor_id }, write)
        }
        LoginDecision::ChangePasswordRequired(reason) => {
            let change_password_id = random_identifier(&mut rand::rngs::OsRng);
            let write = step(
                IdentifierKind::ChangePassword,
                &change_password_id,
                external.change_password_id_time_to_live_in_seconds,
                json!({ "state": login.state }),
            );
            let answer = Answer::ChangePasswordRequired {
                change_password_id,
                reason,
            };
            (answer, write)
        }
        LoginDecision::Authenticated(outcome) => {
            let plan = login::token_plan(outcome, login.no_jwt, login.application, &login.user);
            let refresh_token = new_refresh_token(&login, plan, now);
            let write = LoginWrite::Success(Box::new(LoginSuccess {
                user_id: login.user.id,
                application_id: login.application.map(|a| a.id),
                now,
                rehash: login.rehash.take(),
                record: LoginRecord {
                    tenant_id: login.tenant.id,
                    user_id: login.user.id,
                    application_id: login.application.map(|a| a.id),
                    application_name: login.application.map(|a| a.name.clone()),
                    login_id: login.login_id.clone(),
                    instant: now,
                    ip_address: login.ip_address.clone(),
                },
                refresh_token: refresh_token
                    .as_ref()
                    .map(|(value, record)| (record.clone(), sha256_hex(value.as_bytes()))),
                identifiers: std::mem::take(&mut login.identifiers),
            }));
            let answer = Answer::Authenticated {
                outcome,
                plan,
                refresh_token,
            };
            (answer, write)
        }
    };
    Decided {
        login,
        now,
        answer,
        write,
    }
}

impl Decided<'_> {
    /// Whether the login is answered with 200 or 202: the user is logged in.
    pub fn is_authenticated(&self) -> bool {
        matches!(self.answer, Answer::Authenticated { .. })
    }

    /// The answer (body and cookies), once [`Self::write`] is written.
    pub fn respond(self, runtime: &Runtime, cookies: &mut CookieJar) -> Result<Response, ApiError> {
        let Self {
            mut login,
            now,
            answer,
            write: _,
        } = self;
        let status =
            |code: u16| StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match answer {
            Answer::Refused(LoginDecision::Prevented { locked_until }) => Ok(locked(locked_until)),
            Answer::Refused(decision) => Ok(status(decision.status()).into_response()),
            Answer::TwoFactorRequired { two_factor_id } => {
                let methods: Vec<Value> = login
                    .user
                    .two_factor_methods
                    .iter()
                    .map(|m| authenticator_method_json(&m.id))
                    .collect();
                Ok(json_response(
                    status(242),
                    &json!({ "twoFactorId": two_factor_id, "methods": methods }),
                ))
            }
            Answer::ChangePasswordRequired {
                change_password_id,
                reason,
            } => Ok(json_response(
                status(203),
                &json!({ "changePasswordId": change_password_id, "changePasswordReason": reason.as_str() }),
            )),
            Answer::Authenticated {
                outcome,
                plan,
                refresh_token,
            } => {
                login.user.last_login_instant = Some(now);
                if let Some(app) = login.application {
                    if let Some(registration) = login
                        .user
                        .registrations
                        .iter_mut()
                        .find(|r| r.application_id == app.id)
                    {
                        registration.last_login_instant = Some(now);
                    }
                }
                let mut body = Map::new();
                body.insert("user".into(), login.user.to_json());
                issue_tokens(
                    runtime,
                    &login,
                    plan,
                    refresh_token,
                    now,
                    &mut body,
                    cookies,
                )?;
                if let Some(value) = login.state.take().filter(|v| !v.is_null()) {
                    body.insert("state".into(), value);
                }
                body.extend(login.extra);
                Ok(json_response(
                    status(outcome.status()),
                    &Value::Object(body),
                ))
            }
        }
    }
}

/// A refresh token for this login when the plan calls for one: the value handed to the
/// client and the record stored (under the value's hash) in the login's own transaction,
/// so that a 200 never carries a token the database does not hold.
fn new_refresh_token(
    login: &ProvenLogin<'_>,
    plan: TokenPlan,
    now: i64,
) -> Option<(String, RefreshTokenRecord)> {
    let application = login.application.filter(|_| plan.refresh_token)?;
    let record = RefreshTokenRecord {
        id: random_uuid(&mut rand::rngs::OsRng),
        user_id: login.user.id,
        application_id: application.id,
        tenant_id: login.tenant.id,
        insert_instant: now,
        last_used_instant: now,
        auth_time: seconds(now),
        metadata: json!({ "device": login.device, "lastAccessedAddress": login.ip_address }),
    };
    Some((random_refresh_token(&mut rand::rngs::OsRng), record))
}

/// Puts the (already stored) refresh token and a freshly signed access token into the
/// body and cookies.
fn issue_tokens(
    runtime: &Runtime,
    login: &ProvenLogin<'_>,
    plan: TokenPlan,
    refresh_token: Option<(String, RefreshTokenRecord)>,
    now: i64,
    body: &mut Map<String, Value>,
    cookies: &mut CookieJar,
) -> Result<(), ApiError> {
    if !plan.access_token {
        return Ok(());
    }
    let jwt_settings = login.tenant.effective_jwt(login.application);
    let mut refresh_token_id = None;
    if let Some((value, record)) = refresh_token {
        let max_age = jwt_settings.refresh_token_time_to_live_in_minutes * 60;
        cookies.set(REFRESH_TOKEN_COOKIE, value.clone(), Some(max_age));
        body.insert("refreshToken".into(), Value::String(value));
        body.insert(
            "refreshTokenId".into(),
            Value::String(record.id.to_string()),
        );
        refresh_token_id = Some(record.id);
    }
    let (token, expires) = sign_access_token(
        runtime,
        login.tenant,
        login.application,
        &login.user,
        login.authentication_type,
        seconds(now),
        now,
        refresh_token_id,
        None,
    )?;
    cookies.set(ACCESS_TOKEN_COOKIE, token.clone(), None);
    body.insert("token".into(), Value::String(token));
    body.insert("tokenExpirationInstant".into(), expires.into());
    Ok(())
}

/// Signs an access token; returns it with its expiry (epoch millis). `ttl_override` may
/// only shorten the configured lifetime.
#[allow(clippy::too_many_arguments)]
pub fn sign_access_token(
    runtime: &Runtime,
    tenant: &TenantConfig,
    application: Option<&ApplicationConfig>,
    user: &User,
    authentication_type: AuthenticationType,
    auth_time: i64,
    now: i64,
    refresh_token_id: Option<Uuid>,
    ttl_override: Option<i64>,
) -> Result<(String, i64), ApiError> {
    let settings = tenant.effective_jwt(application);
    let ttl = ttl_override
        .map(|t| t.min(settings.time_to_live_in_seconds))
        .unwrap_or(settings.time_to_live_in_seconds);
    let kid = runtime
        .config
        .signing_key_id(tenant, application)
        .ok_or_else(|| ApiError::Internal("no signing key configured".into()))?;
    let claims = access_claims(&AccessGrant {
        user,
        issuer: &tenant.issuer,
        application_id: application.map(|a| a.id),
        authentication_type,
        auth_time,
        now_seconds: seconds(now),
        time_to_live_in_seconds: ttl,
        jti: random_uuid(&mut rand::rngs::OsRng),
        refresh_token_id,
    });
    let token = runtime.keys.sign(kid, &claims)?;
    Ok((token, claims.exp * 1000))
}
