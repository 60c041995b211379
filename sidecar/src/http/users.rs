//! What the login family needs around it, in FusionAuth's shapes: users and
//! registrations, import, forgot/change password, and enabling two-factor.

use std::sync::Arc;

use authlet_core::config::{ApplicationConfig, PasswordEncryptionConfiguration, TenantConfig};
use authlet_core::errors::Errors;
use authlet_core::model::{
    normalize_login_id, ChangePasswordReason, Registration, TwoFactorMethod, User,
};
use authlet_core::password::{self, PasswordHash, Scheme};
use authlet_core::secrets::{random_bytes, random_identifier, random_uuid, sha256_hex};
use authlet_core::two_factor;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::context::{resolve_tenant, tenant_only, Caller};
use super::error::{json_response, ApiError};
use super::extract::{JsonBody, PathParams, QueryParams};
use crate::state::{AppState, Runtime};
use crate::store::{IdentifierKind, LoginRecord};

/// User fields Authlet interprets; everything else is kept as profile.
const TYPED_USER_FIELDS: &[&str] = &[
    "id",
    "tenantId",
    "email",
    "username",
    "password",
    "active",
    "verified",
    "expiry",
    "passwordChangeRequired",
    "passwordChangeReason",
    "passwordLastUpdateInstant",
    "insertInstant",
    "lastUpdateInstant",
    "lastLoginInstant",
    "registrations",
    "twoFactor",
    "encryptionScheme",
    "factor",
    "salt",
    "usernameStatus",
    "memberships",
];
const TYPED_REGISTRATION_FIELDS: &[&str] = &[
    "id",
    "applicationId",
    "roles",
    "verified",
    "insertInstant",
    "lastLoginInstant",
    "userId",
    "usernameStatus",
];

fn parse_uuid_path(value: &str, field: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(value)
        .map_err(|_| ApiError::field(field, "invalid", format!("Invalid [{field}].")))
}

fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn flag(object: &Map<String, Value>, key: &str) -> Option<bool> {
    object.get(key).and_then(Value::as_bool)
}

/// Reads a user object from a request, checking types and uniqueness-relevant shape.
/// `default_active` is true for create (FusionAuth) and false for import (FusionAuth).
fn user_from_json(
    object: &Map<String, Value>,
    id: Uuid,
    tenant: &TenantConfig,
    now: i64,
    default_active: bool,
    prefix: &str,
    errors: &mut Errors,
) -> User {
    let email = text(object, "email");
    let username = text(object, "username");
    if email.is_none() && username.is_none() {
        errors.field(
            &format!("{prefix}email"),
            "blank",
            "You must specify either the [user.email] or [user.username] property.",
        );
        errors.field(
            &format!("{prefix}username"),
            "blank",
            "You must specify either the [user.email] or [user.username] property.",
        );
    }
    if email
        .as_deref()
        .is_some_and(|e| !e.contains('@') || e.len() > 191)
    {
        errors.invalid(
            &format!("{prefix}email"),
            "The [user.email] property is not a valid email address.",
        );
    }
    for key in ["active", "verified", "passwordChangeRequired"] {
        if object
            .get(key)
            .is_some_and(|v| !v.is_boolean() && !v.is_null())
        {
            errors.invalid(
                &format!("{prefix}{key}"),
                format!("[{key}] must be a boolean."),
            );
        }
    }
    if object
        .get("expiry")
        .is_some_and(|v| !v.is_i64() && !v.is_null())
    {
        errors.invalid(
            &format!("{prefix}expiry"),
            "[expiry] must be epoch milliseconds.",
        );
    }
    let reason = match text(object, "passwordChangeReason") {
        None => None,
        Some(r) => match ChangePasswordReason::parse(&r) {
            Some(reason) => Some(reason),
            None => {
                errors.invalid(
                    &format!("{prefix}passwordChangeReason"),
                    "Unknown passwordChangeReason.",
                );
                None
            }
        },
    };
    let profile = object
        .iter()
        .filter(|(k, _)| !TYPED_USER_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    User {
        id,
        tenant_id: tenant.id,
        email,
        username,
        active: flag(object, "active").unwrap_or(default_active),
        verified: flag(object, "verified").unwrap_or(false),
        expiry: object.get("expiry").and_then(Value::as_i64),
        password_change_required: flag(object, "passwordChangeRequired").unwrap_or(false),
        password_change_reason: reason,
        password_last_update_instant: None,
        insert_instant: now,
        last_update_instant: now,
        last_login_instant: None,
        profile,
        registrations: Vec::new(),
        two_factor_methods: Vec::new(),
    }
}

fn registration_from_json(
    object: &Map<String, Value>,
    tenant: &TenantConfig,
    now: i64,
    skip_verification: bool,
    prefix: &str,
    errors: &mut Errors,
) -> Option<Registration> {
    let field = format!("{prefix}applicationId");
    let Some(application_id) = text(object, "applicationId") else {
        errors.blank(&field);
        return None;
    };
    let Some(application) = Uuid::parse_str(&application_id)
        .ok()
        .and_then(|id| tenant.application(id))
    else {
        errors.invalid(
            &field,
            format!("No Application exists with the Id [{application_id}] in this tenant."),
        );
        return None;
    };
    let roles = match object.get("roles") {
        Some(Value::Array(values)) => {
            let roles: Vec<String> = values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            for role in &roles {
                if !application.roles.iter().any(|r| &r.name == role) {
                    errors.invalid(
                        &format!("{prefix}roles"),
                        format!("The role [{role}] does not exist for this application."),
                    );
                }
            }
            roles
        }
        _ => default_roles(application),
    };
    let profile = object
        .iter()
        .filter(|(k, _)| !TYPED_REGISTRATION_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(Registration {
        id: text(object, "id")
            .and_then(|i| Uuid::parse_str(&i).ok())
            .unwrap_or_else(|| random_uuid(&mut rand::rngs::OsRng)),
        application_id: application.id,
        roles,
        verified: flag(object, "verified")
            .unwrap_or(skip_verification || !application.verify_registration),
        insert_instant: now,
        last_login_instant: None,
        profile,
    })
}

fn default_roles(application: &ApplicationConfig) -> Vec<String> {
    application
        .roles
        .iter()
        .filter(|r| r.is_default)
        .map(|r| r.name.clone())
        .collect()
}

fn password_errors(password: &str, tenant: &TenantConfig, field: &str, errors: &mut Errors) {
    let bcrypt =
        tenant.password_encryption_configuration.encryption_scheme == Scheme::Bcrypt.name();
    for violation in
        password::validate_password(password, &tenant.password_validation_rules, bcrypt)
    {
        errors.field(field, violation.rule, violation.message);
    }
}

async fn hash_password(
    state: &Arc<AppState>,
    tenant: &TenantConfig,
    password: String,
) -> Result<PasswordHash, ApiError> {
    let settings = tenant.password_encryption_configuration.clone();
    state
        .hasher
        .run(move || PasswordHash::create(&password, &settings, &mut rand::rngs::OsRng))
        .await?
        .map_err(|e| ApiError::field("password", "invalid", e.to_string()))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRequest {
    #[serde(default)]
    user: Map<String, Value>,
    #[serde(default)]
    skip_verification: bool,
}

/// `POST /api/user` and `POST /api/user/{userId}`.
pub async fn create_user(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    user_id: Option<PathParams<String>>,
    JsonBody(request): JsonBody<UserRequest>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    caller.require_key()?;
    let tenant = tenant_only(&runtime, caller.tenant_scope()?)?;
    let id = match user_id {
        Some(PathParams(id)) => parse_uuid_path(&id, "userId")?,
        None => random_uuid(&mut rand::rngs::OsRng),
    };
    let now = state.now();
    let user = create(
        &state,
        tenant,
        id,
        &request.user,
        request.skip_verification,
        None,
        now,
    )
    .await?;
    Ok(json_response(
        StatusCode::OK,
        &json!({ "user": user.to_json() }),
    ))
}

/// Validates, hashes and stores a new user (with an optional registration), and writes
/// the login record FusionAuth writes for a user created with a password.
async fn create(
    state: &Arc<AppState>,
    tenant: &TenantConfig,
    id: Uuid,
    object: &Map<String, Value>,
    skip_verification: bool,
    registration: Option<(&Map<String, Value>, bool)>,
    now: i64,
) -> Result<User, ApiError> {
    let mut errors = Errors::new();
    let mut user = user_from_json(object, id, tenant, now, true, "user.", &mut errors);
    if skip_verification {
        user.verified = true;
    }
    let password = object
        .get("password")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(password) = &password {
        password_errors(password, tenant, "user.password", &mut errors);
    }
    if let Some((object, skip)) = registration {
        if let Some(r) =
            registration_from_json(object, tenant, now, skip, "registration.", &mut errors)
        {
            user.registrations.push(r);
        }
    }
    errors.into_result()?;
    let hash = match password {
        Some(p) => {
            user.password_last_update_instant = Some(now);
            Some(hash_password(state, tenant, p).await?)
        }
        None => None,
    };
    state.store.insert_user(&user, hash.as_ref(), &[]).await?;
    if hash.is_some() {
        let application = user
            .registrations
            .first()
            .and_then(|r| tenant.application(r.application_id));
        state
            .store
            .insert_login_record(&LoginRecord {
                tenant_id: tenant.id,
                user_id: user.id,
                application_id: application.map(|a| a.id),
                application_name: application.map(|a| a.name.clone()),
                login_id: user.display_login_id(),
                instant: now,
                ip_address: None,
            })
            .await?;
    }
    Ok(user)
}

fn in_scope(runtime: &Runtime, caller: &Caller, user: &User) -> Result<bool, ApiError> {
    let scope = caller.tenant_scope()?;
    Ok(
        scope.is_none_or(|s| s == user.tenant_id)
            && runtime.config.tenant(user.tenant_id).is_some(),
    )
}

/// `GET /api/user/{userId}`.
pub async fn get_user(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    caller.require_key()?;
    let id = parse_uuid_path(&id, "userId")?;
    match state.store.user(id).await? {
        Some((user, _)) if in_scope(&runtime, &caller, &user)? => Ok(json_response(
            StatusCode::OK,
            &json!({ "user": user.to_json() }),
        )),
        _ => Err(ApiError::not_found()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserLookup {
    email: Option<String>,
    username: Option<String>,
    login_id: Option<String>,
}

/// `GET /api/user?email=|username=|loginId=`.
pub async fn find_user(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    QueryParams(lookup): QueryParams<UserLookup>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    caller.require_key()?;
    let Some(login_id) = lookup.email.or(lookup.username).or(lookup.login_id) else {
        let mut errors = Errors::new();
        errors.blank("email");
        return Err(errors.into());
    };
    let tenant = tenant_only(&runtime, caller.tenant_scope()?)?;
    match state
        .store
        .user_by_login_id(tenant.id, &normalize_login_id(&login_id))
        .await?
    {
        Some((user, _)) => Ok(json_response(
            StatusCode::OK,
            &json!({ "user": user.to_json() }),
        )),
        None => Err(ApiError::not_found()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteQuery {
    #[serde(default)]
    hard_delete: bool,
}

/// `DELETE /api/user/{userId}`: deactivate, or delete with `hardDelete=true`.
pub async fn delete_user(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathParams(id): PathParams<String>,
    QueryParams(query): QueryParams<DeleteQuery>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    caller.require_key()?;
    let id = parse_uuid_path(&id, "userId")?;
    match state.store.user(id).await? {
        Some((user, _)) if in_scope(&runtime, &caller, &user)? => {}
        _ => return Err(ApiError::not_found()),
    }
    if query.hard_delete {
        state.store.delete_user(id).await?;
    } else {
        state.store.deactivate_user(id, state.now()).await?;
    }
    Ok(StatusCode::OK.into_response())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationRequest {
    #[serde(default)]
    registration: Map<String, Value>,
    user: Option<Map<String, Value>>,
    #[serde(default)]
    skip_registration_verification: bool,
    #[serde(default)]
    skip_verification: bool,
}

/// `POST /api/user/registration/{userId}` (register an existing user) and
/// `POST /api/user/registration` with a `user` (create and register at once).
pub async fn register(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    user_id: Option<PathParams<String>>,
    JsonBody(request): JsonBody<RegistrationRequest>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    caller.require_key()?;
    let application_id =
        text(&request.registration, "applicationId").and_then(|a| Uuid::parse_str(&a).ok());
    let (tenant, _) = resolve_tenant(&runtime, &caller, application_id)?;
    let now = state.now();
    let existing = match user_id {
        Some(PathParams(id)) => Some(parse_uuid_path(&id, "userId")?),
        None => text(&request.registration, "userId").and_then(|u| Uuid::parse_str(&u).ok()),
    };
    let user = match existing {
        Some(id) => {
            let Some((mut user, _)) = state
                .store
                .user(id)
                .await?
                .filter(|(u, _)| u.tenant_id == tenant.id)
            else {
                return Err(ApiError::not_found());
            };
            let mut errors = Errors::new();
            let registration = registration_from_json(
                &request.registration,
                tenant,
                now,
                request.skip_registration_verification,
                "registration.",
                &mut errors,
            );
            errors.into_result()?;
            if let Some(registration) = registration {
                if user.registration(registration.application_id).is_some() {
                    return Err(ApiError::field(
                        "registration.applicationId",
                        "duplicate",
                        "The user is already registered for this application.",
                    ));
                }
                state
                    .store
                    .insert_registration(user.id, &registration)
                    .await?;
                user.registrations.push(registration);
            }
            user
        }
        None => {
            let Some(object) = &request.user else {
                let mut errors = Errors::new();
                errors.blank("user");
                return Err(errors.into());
            };
            let id = text(object, "id")
                .and_then(|i| Uuid::parse_str(&i).ok())
                .unwrap_or_else(|| random_uuid(&mut rand::rngs::OsRng));
            create(
                &state,
                tenant,
                id,
                object,
                request.skip_verification,
                Some((
                    &request.registration,
                    request.skip_registration_verification,
                )),
                now,
            )
            .await?
        }
    };
    let registration = application_id
        .and_then(|a| user.registration(a))
        .map(Registration::to_json)
        .unwrap_or(Value::Null);
    Ok(json_response(
        StatusCode::OK,
        &json!({ "user": user.to_json(), "registration": registration }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportRequest {
    #[serde(default)]
    users: Vec<Map<String, Value>>,
    encryption_scheme: Option<String>,
    factor: Option<u32>,
}

/// An import's password before storage: hashed already, or plaintext checked for what
/// hashing it needs and hashed once the whole request has validated.
enum ImportedPassword {
    Hashed(PasswordHash),
    Plaintext(String, PasswordEncryptionConfiguration),
}

/// `POST /api/user/import`: users with pre-hashed (or plaintext) passwords, all or none.
pub async fn import_users(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<ImportRequest>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    caller.require_key()?;
    let scope = caller.tenant_scope()?;
    if request.users.is_empty() {
        let mut errors = Errors::new();
        errors.blank("users");
        return Err(errors.into());
    }
    let now = state.now();
    let mut errors = Errors::new();
    let mut pending = Vec::with_capacity(request.users.len());
    for (i, object) in request.users.iter().enumerate() {
        let prefix = format!("users[{i}].");
        let tenant = match scope
            .or_else(|| text(object, "tenantId").and_then(|t| Uuid::parse_str(&t).ok()))
        {
            Some(id) => tenant_only(&runtime, Some(id))?,
            None => tenant_only(&runtime, None)?,
        };
        let id = text(object, "id")
            .and_then(|v| Uuid::parse_str(&v).ok())
            .unwrap_or_else(|| random_uuid(&mut rand::rngs::OsRng));
        let mut user = user_from_json(object, id, tenant, now, false, &prefix, &mut errors);
        user.insert_instant = object
            .get("insertInstant")
            .and_then(Value::as_i64)
            .unwrap_or(now);
        if let Some(Value::Array(registrations)) = object.get("registrations") {
            for (r, registration) in registrations.iter().enumerate() {
                if let Some(registration) = registration.as_object() {
                    let prefix = format!("{prefix}registrations[{r}].");
                    if let Some(reg) = registration_from_json(
                        registration,
                        tenant,
                        now,
                        true,
                        &prefix,
                        &mut errors,
                    ) {
                        user.registrations.push(reg);
                    }
                }
            }
        }
        let mut recovery_hashes = Vec::new();
        if let Some(two_factor) = object.get("twoFactor").and_then(Value::as_object) {
            for method in two_factor
                .get("methods")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let secret = method.get("secret").and_then(Value::as_str);
                if method.get("method").and_then(Value::as_str) == Some("authenticator") {
                    match secret.and_then(|s| two_factor::decode_secret(Some(s), None)) {
                        Some(_) => user.two_factor_methods.push(TwoFactorMethod {
                            id: method_id(),
                            secret: secret.unwrap_or_default().to_owned(),
                        }),
                        None => {
                            errors.invalid(
                                &format!("{prefix}twoFactor.methods"),
                                "Authenticator secrets must be Base64.",
                            );
                        }
                    }
                }
            }
            for code in two_factor
                .get("recoveryCodes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(code) = code.as_str() {
                    recovery_hashes.push(two_factor::recovery_code_hash(code));
                }
            }
        }
        let password = text(object, "password");
        let scheme = text(object, "encryptionScheme");
        let hash = match (password, scheme) {
            (Some(password), Some(scheme)) => {
                let factor = object
                    .get("factor")
                    .and_then(Value::as_u64)
                    .and_then(|f| u32::try_from(f).ok())
                    .unwrap_or(1);
                let salt = text(object, "salt").unwrap_or_default();
                match PasswordHash::imported(&scheme, factor, &salt, &password) {
                    Ok(hash) => Some(ImportedPassword::Hashed(hash)),
                    Err(e) => {
                        errors.invalid(&format!("{prefix}password"), e.to_string());
                        None
                    }
                }
            }
            (Some(password), None) => {
                let mut settings = tenant.password_encryption_configuration.clone();
                if let Some(scheme) = &request.encryption_scheme {
                    settings.encryption_scheme = scheme.clone();
                }
                if let Some(factor) = request.factor {
                    settings.encryption_scheme_factor = factor;
                }
                match PasswordHash::check_plaintext(&password, &settings) {
                    Ok(_) => Some(ImportedPassword::Plaintext(password, settings)),
                    Err(e) => {
                        let rule = match e {
                            password::PasswordError::TooLong(_) => "tooLong",
                            _ => "invalid",
                        };
                        errors.field(&format!("{prefix}password"), rule, e.to_string());
                        None
                    }
                }
            }
            (None, _) => None,
        };
        if hash.is_some() {
            user.password_last_update_instant = Some(
                object
                    .get("passwordLastUpdateInstant")
                    .and_then(Value::as_i64)
                    .unwrap_or(now),
            );
        }
        pending.push((user, hash, recovery_hashes));
    }
    errors.into_result()?;
    // All or none: plaintext passwords are hashed only once the whole request is valid.
    let mut batch = Vec::with_capacity(pending.len());
    for (user, password, recovery_hashes) in pending {
        let hash = match password {
            Some(ImportedPassword::Hashed(hash)) => Some(hash),
            Some(ImportedPassword::Plaintext(password, settings)) => Some(
                state
                    .hasher
                    .run(move || PasswordHash::create(&password, &settings, &mut rand::rngs::OsRng))
                    .await?
                    .map_err(|e| ApiError::field("password", "invalid", e.to_string()))?,
            ),
            None => None,
        };
        batch.push((user, hash, recovery_hashes));
    }
    state
        .store
        .insert_users(&batch)
        .await
        .map_err(|e| match e {
            crate::store::StoreError::Duplicate(what) => ApiError::field(
                &format!("user.{what}"),
                "duplicate",
                format!("A user with this {what} already exists."),
            ),
            other => other.into(),
        })?;
    Ok(StatusCode::OK.into_response())
}

/// A short method id like FusionAuth's (`2KSZ`).
fn method_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    random_bytes(&mut rand::rngs::OsRng, 4)
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForgotPasswordRequest {
    login_id: Option<String>,
    application_id: Option<Uuid>,
    change_password_id: Option<String>,
    state: Option<Value>,
}

/// `POST /api/user/forgot-password`. The sidecar sends no email, so only an API-key
/// caller can use it (and gets the `changePasswordId`); anonymous callers get 403, which
/// is FusionAuth's answer when forgot-password has no email template.
pub async fn forgot_password(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<ForgotPasswordRequest>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    if caller.bad_key {
        return Err(ApiError::unauthorized());
    }
    if caller.api_key.is_none() {
        return Err(ApiError::Empty(StatusCode::FORBIDDEN));
    }
    let Some(login_id) = request.login_id.filter(|l| !l.trim().is_empty()) else {
        let mut errors = Errors::new();
        errors.blank("loginId");
        return Err(errors.into());
    };
    let (tenant, _) = resolve_tenant(&runtime, &caller, request.application_id)?;
    let Some((user, _)) = state
        .store
        .user_by_login_id(tenant.id, &normalize_login_id(&login_id))
        .await?
    else {
        return Err(ApiError::not_found());
    };
    let change_password_id = request
        .change_password_id
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| random_identifier(&mut rand::rngs::OsRng));
    let ttl = tenant
        .external_identifier_configuration
        .change_password_id_time_to_live_in_seconds;
    state
        .store
        .create_identifier(
            IdentifierKind::ChangePassword,
            &sha256_hex(change_password_id.as_bytes()),
            user.id,
            state.now() + ttl * 1000,
            &json!({ "state": request.state }),
        )
        .await?;
    Ok(json_response(
        StatusCode::OK,
        &json!({ "changePasswordId": change_password_id }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordRequest {
    change_password_id: Option<String>,
    password: Option<String>,
    trust_token: Option<String>,
}

/// `POST /api/user/change-password[/{changePasswordId}]`: sets the password, revokes the
/// user's refresh tokens and change-password ids, and returns a one-time password (with
/// the `state` given at forgot-password) for an immediate login.
pub async fn change_password(
    State(state): State<Arc<AppState>>,
    path_id: Option<PathParams<String>>,
    JsonBody(request): JsonBody<ChangePasswordRequest>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let id = path_id
        .map(|PathParams(p)| p)
        .or(request.change_password_id)
        .filter(|i| !i.is_empty());
    let mut errors = Errors::new();
    if id.is_none() {
        errors.blank("changePasswordId");
    }
    if request.password.as_deref().is_none_or(str::is_empty) {
        errors.blank("password");
    }
    errors.into_result()?;
    let now = state.now();
    let id_hash = sha256_hex(id.unwrap_or_default().as_bytes());
    let Some(pending) = state
        .store
        .identifier(IdentifierKind::ChangePassword, &id_hash, now)
        .await?
    else {
        return Err(ApiError::not_found());
    };
    let Some((user, _)) = state.store.user(pending.user_id).await? else {
        return Err(ApiError::not_found());
    };
    let Some(tenant) = runtime.config.tenant(user.tenant_id) else {
        return Err(ApiError::not_found());
    };
    if let Some(trust_token) = request.trust_token.filter(|t| !t.is_empty()) {
        let valid = state
            .store
            .consume_identifier(
                IdentifierKind::TrustToken,
                &sha256_hex(trust_token.as_bytes()),
                now,
            )
            .await?
            .is_some_and(|t| t.user_id == user.id);
        if !valid {
            return Err(ApiError::field(
                "trustToken",
                "invalid",
                "The trust token is not valid.",
            ));
        }
    }
    let password = request.password.unwrap_or_default();
    let mut errors = Errors::new();
    password_errors(&password, tenant, "password", &mut errors);
    errors.into_result()?;
    let hash = hash_password(&state, tenant, password).await?;
    // Only the request that consumes the id may change the password.
    if state
        .store
        .consume_identifier(IdentifierKind::ChangePassword, &id_hash, now)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found());
    }
    state.store.change_password(user.id, &hash, now).await?;
    let one_time_password = random_identifier(&mut rand::rngs::OsRng);
    let ttl = tenant
        .external_identifier_configuration
        .one_time_password_time_to_live_in_seconds;
    let login_state = pending.data.get("state").cloned().unwrap_or(Value::Null);
    state
        .store
        .create_identifier(
            IdentifierKind::OneTimePassword,
            &sha256_hex(one_time_password.as_bytes()),
            user.id,
            now + ttl * 1000,
            &json!({ "state": login_state }),
        )
        .await?;
    let mut body = json!({ "oneTimePassword": one_time_password });
    if !login_state.is_null() {
        body["state"] = login_state;
    }
    Ok(json_response(StatusCode::OK, &body))
}

/// Authenticates an API key or a JWT (two-factor APIs accept either); returns the JWT's
/// subject when a JWT was used.
fn key_or_jwt(runtime: &Runtime, caller: &Caller, now: i64) -> Result<Option<Uuid>, ApiError> {
    if caller.api_key.is_some() {
        return Ok(None);
    }
    let token = caller
        .bearer
        .as_deref()
        .ok_or_else(ApiError::unauthorized)?;
    runtime
        .verify_access_token(token, now)
        .map(|token| Some(token.subject))
        .map_err(|_| ApiError::unauthorized())
}

/// `GET /api/two-factor/secret`.
pub async fn two_factor_secret(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    key_or_jwt(&runtime, &caller, state.now())?;
    let (secret, base32) = two_factor::generate_secret(&mut rand::rngs::OsRng);
    Ok(json_response(
        StatusCode::OK,
        &json!({ "secret": secret, "secretBase32Encoded": base32 }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnableTwoFactorRequest {
    method: Option<String>,
    code: Option<String>,
    secret: Option<String>,
    secret_base32_encoded: Option<String>,
}

/// `POST /api/user/two-factor/{userId}` (API key) and `POST /api/user/two-factor` (JWT):
/// enable an authenticator once the caller proves it with a current code. Recovery
/// codes come back only with the first method, as in FusionAuth.
pub async fn enable_two_factor(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    user_id: Option<PathParams<String>>,
    JsonBody(request): JsonBody<EnableTwoFactorRequest>,
) -> Result<Response, ApiError> {
    let runtime = state.runtime();
    let caller = Caller::from_headers(&runtime, &headers)?;
    let subject = key_or_jwt(&runtime, &caller, state.now())?;
    let user_id = match (user_id, subject) {
        (Some(PathParams(id)), None) => parse_uuid_path(&id, "userId")?,
        (_, Some(subject)) => subject,
        (None, None) => {
            return Err(ApiError::field(
                "userId",
                "blank",
                "You must specify the [userId].",
            ))
        }
    };
    let mut errors = Errors::new();
    match request.method.as_deref() {
        None | Some("") => {
            errors.blank("method");
        }
        Some("authenticator") => {}
        Some(_) => {
            errors.invalid(
                "method",
                "Only the [authenticator] method is available: the sidecar sends no email or SMS.",
            );
        }
    }
    if request.code.as_deref().is_none_or(str::is_empty) {
        errors.blank("code");
    }
    let key = two_factor::decode_secret(
        request.secret.as_deref(),
        request.secret_base32_encoded.as_deref(),
    );
    if key.as_ref().is_none_or(|k| k.len() < 10) {
        errors.invalid(
            "secret",
            "The [secret] must be Base64 (or secretBase32Encoded Base32) of at least 10 bytes.",
        );
    }
    errors.into_result()?;
    let key = key.unwrap_or_default();
    let Some((user, _)) = state.store.user(user_id).await? else {
        return Err(ApiError::not_found());
    };
    if !in_scope(&runtime, &caller, &user)? {
        return Err(ApiError::not_found());
    }
    let unix_seconds = u64::try_from(state.now() / 1000).unwrap_or_default();
    let Some(step) = two_factor::verify_code(
        &key,
        request.code.as_deref().unwrap_or_default(),
        unix_seconds,
    ) else {
        return Err(ApiError::field("code", "invalid", "Invalid code."));
    };
    use base64::Engine as _;
    let method = TwoFactorMethod {
        id: method_id(),
        secret: base64::engine::general_purpose::STANDARD.encode(&key),
    };
    let first = !user.has_two_factor();
    let recovery = if first {
        two_factor::generate_recovery_codes(&mut rand::rngs::OsRng)
    } else {
        Vec::new()
    };
    let hashes: Vec<String> = recovery.iter().map(|(_, h)| h.clone()).collect();
    state
        .store
        .add_two_factor_method(user.id, &method, &hashes)
        .await?;
    // The enabling code is spent: it cannot also complete a login.
    state.store.use_totp_step(user.id, &method.id, step).await?;
    if first {
        let codes: Vec<&str> = recovery.iter().map(|(c, _)| c.as_str()).collect();
        Ok(json_response(
            StatusCode::OK,
            &json!({ "recoveryCodes": codes }),
        ))
    } else {
        Ok(StatusCode::OK.into_response())
    }
}
