//! The configuration contract between the operator and the sidecar.
//!
//! One document (YAML or JSON) describes everything a sidecar serves: where it listens,
//! which database it uses, its API keys and signing keys, and its tenants with their
//! applications. Field names are FusionAuth's own Tenant / Application names so that a
//! FusionAuth user's knowledge carries over. Every setting has FusionAuth's default when
//! absent; the one deliberate exception is the failed-authentication lockout, which is on.
//!
//! Parsing is two steps: [`Config::parse`] turns text into types (rejecting unknown
//! fields, naming the path of the first structural error), then [`Config::validate`]
//! checks every cross-field rule and reports *all* violations at once.

use std::collections::HashSet;
use std::fmt;
use std::net::SocketAddr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The largest time to live a setting may have: FusionAuth holds these settings in a Java
/// `int`, so no FusionAuth configuration has a larger one, and an expiry computed from it
/// (now plus the TTL, in milliseconds) stays far inside `i64`.
pub const MAX_TIME_TO_LIVE: i64 = i32::MAX as i64;

/// The longest role name: FusionAuth's column for it holds 191 characters.
pub const MAX_ROLE_NAME_LENGTH: usize = 191;

/// A secret value from the config: never printed by `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret's value. Callers must keep it out of logs and error messages.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The whole sidecar configuration document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    /// Address the sidecar listens on. FusionAuth's port on loopback by default: the
    /// sidecar serves its own pod, not the network.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// Where users, tokens and login records are kept.
    #[serde(default)]
    pub database: DatabaseConfig,
    /// API keys accepted in the `Authorization` header.
    #[serde(default)]
    pub api_keys: Vec<ApiKeyConfig>,
    /// JWT signing keys, referenced by id from the tenants' `jwtConfiguration`.
    #[serde(default)]
    pub keys: Vec<SigningKeyConfig>,
    /// Optional TLS for the listener. Plain HTTP on loopback is the usual sidecar setup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsConfig>,
    /// Cookie attributes for `access_token`, `refresh_token` and `fusionauth.trust`.
    #[serde(default)]
    pub cookies: CookieConfig,
    /// The tenants served, each with its applications.
    pub tenants: Vec<TenantConfig>,
}

pub fn default_listen() -> String {
    "127.0.0.1:9011".to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` (embedded, per pod) or `postgres://…` (shared by replicas).
    #[serde(default = "default_database_url")]
    pub url: Secret,
}

fn default_database_url() -> Secret {
    Secret::new("sqlite://authlet.db")
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: default_database_url(),
        }
    }
}

/// An API key. Rendered configs carry `keyHash` so the plain key never sits in a Secret
/// that many pods mount; hand-written configs may use `key`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKeyConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Secret>,
    /// Lower-case hex SHA-256 of the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_hash: Option<String>,
    /// When set, the key only sees this tenant.
    #[serde(default)]
    pub tenant_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum SigningAlgorithm {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    ES256,
    ES384,
}

impl SigningAlgorithm {
    pub fn is_hmac(self) -> bool {
        matches!(self, Self::HS256 | Self::HS384 | Self::HS512)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SigningKeyConfig {
    pub id: Uuid,
    pub algorithm: SigningAlgorithm,
    /// Base64 HMAC secret, for HS* keys (at least 32 bytes decoded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
    /// PKCS#8 (or PKCS#1 / SEC1) PEM private key, for RS* and ES* keys. The public half
    /// is derived from it for the JWKS and for verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<Secret>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TlsConfig {
    /// PEM certificate chain file.
    pub cert_file: String,
    /// PEM private key file.
    pub key_file: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CookieConfig {
    /// Force the `Secure` attribute. By default it is set when the request came over TLS
    /// or with `X-Forwarded-Proto: https`.
    #[serde(default)]
    pub secure: bool,
    /// `Domain` attribute; FusionAuth sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TenantConfig {
    pub id: Uuid,
    pub name: String,
    /// The `iss` claim of issued JWTs.
    #[serde(default = "default_issuer")]
    pub issuer: String,
    #[serde(default)]
    pub login_configuration: TenantLoginConfiguration,
    #[serde(default)]
    pub external_identifier_configuration: ExternalIdentifierConfiguration,
    #[serde(default)]
    pub jwt_configuration: TenantJwtConfiguration,
    #[serde(default)]
    pub failed_authentication_configuration: FailedAuthenticationConfiguration,
    #[serde(default)]
    pub password_encryption_configuration: PasswordEncryptionConfiguration,
    #[serde(default)]
    pub password_validation_rules: PasswordValidationRules,
    #[serde(default)]
    pub maximum_password_age: MaximumPasswordAge,
    #[serde(default)]
    pub email_configuration: EmailConfiguration,
    #[serde(default)]
    pub multi_factor_configuration: MultiFactorConfiguration,
    #[serde(default)]
    pub login_record_configuration: LoginRecordConfiguration,
    /// IANA zone used by login-record export when the request names none.
    #[serde(default = "default_report_timezone")]
    pub report_timezone: String,
    #[serde(default)]
    pub applications: Vec<ApplicationConfig>,
}

/// FusionAuth's default issuer, also the default of the operator's `Tenant.spec.issuer`.
pub fn default_issuer() -> String {
    "acme.com".to_owned()
}

/// FusionAuth's default report zone, also the operator's default.
pub fn default_report_timezone() -> String {
    "America/Denver".to_owned()
}

pub fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TenantLoginConfiguration {
    /// Whether `/api/login` without an `applicationId` needs an API key.
    #[serde(default = "default_true")]
    pub require_authentication: bool,
}

impl Default for TenantLoginConfiguration {
    fn default() -> Self {
        Self {
            require_authentication: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalIdentifierConfiguration {
    #[schemars(range(min = 1, max = MAX_TIME_TO_LIVE))]
    #[serde(default = "default_two_factor_id_ttl")]
    pub two_factor_id_time_to_live_in_seconds: i64,
    #[schemars(range(min = 1, max = MAX_TIME_TO_LIVE))]
    #[serde(default = "default_two_factor_trust_id_ttl")]
    pub two_factor_trust_id_time_to_live_in_seconds: i64,
    #[schemars(range(min = 1, max = MAX_TIME_TO_LIVE))]
    #[serde(default = "default_one_time_password_ttl")]
    pub one_time_password_time_to_live_in_seconds: i64,
    #[schemars(range(min = 1, max = MAX_TIME_TO_LIVE))]
    #[serde(default = "default_change_password_id_ttl")]
    pub change_password_id_time_to_live_in_seconds: i64,
    #[schemars(range(min = 1, max = MAX_TIME_TO_LIVE))]
    #[serde(default = "default_trust_token_ttl")]
    pub trust_token_time_to_live_in_seconds: i64,
}

fn default_two_factor_id_ttl() -> i64 {
    300
}
fn default_two_factor_trust_id_ttl() -> i64 {
    2_592_000
}
fn default_one_time_password_ttl() -> i64 {
    60
}
fn default_change_password_id_ttl() -> i64 {
    600
}
fn default_trust_token_ttl() -> i64 {
    180
}

impl Default for ExternalIdentifierConfiguration {
    fn default() -> Self {
        Self {
            two_factor_id_time_to_live_in_seconds: default_two_factor_id_ttl(),
            two_factor_trust_id_time_to_live_in_seconds: default_two_factor_trust_id_ttl(),
            one_time_password_time_to_live_in_seconds: default_one_time_password_ttl(),
            change_password_id_time_to_live_in_seconds: default_change_password_id_ttl(),
            trust_token_time_to_live_in_seconds: default_trust_token_ttl(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum RefreshTokenUsagePolicy {
    #[default]
    Reusable,
    OneTimeUse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum RefreshTokenExpirationPolicy {
    #[default]
    Fixed,
    SlidingWindow,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TenantJwtConfiguration {
    /// Signing key for access tokens; may be omitted when `keys` holds exactly one key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_key_id: Option<Uuid>,
    #[schemars(range(min = 1, max = MAX_TIME_TO_LIVE))]
    #[serde(default = "default_jwt_ttl")]
    pub time_to_live_in_seconds: i64,
    #[schemars(range(min = 1, max = MAX_TIME_TO_LIVE))]
    #[serde(default = "default_refresh_ttl_minutes")]
    pub refresh_token_time_to_live_in_minutes: i64,
    #[serde(default)]
    pub refresh_token_usage_policy: RefreshTokenUsagePolicy,
    #[serde(default)]
    pub refresh_token_expiration_policy: RefreshTokenExpirationPolicy,
}

fn default_jwt_ttl() -> i64 {
    3600
}
fn default_refresh_ttl_minutes() -> i64 {
    43_200
}

impl Default for TenantJwtConfiguration {
    fn default() -> Self {
        Self {
            access_token_key_id: None,
            time_to_live_in_seconds: default_jwt_ttl(),
            refresh_token_time_to_live_in_minutes: default_refresh_ttl_minutes(),
            refresh_token_usage_policy: RefreshTokenUsagePolicy::default(),
            refresh_token_expiration_policy: RefreshTokenExpirationPolicy::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum DurationUnit {
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
}

impl DurationUnit {
    /// Length in seconds. Months and years are calendar-free approximations (30 and 365
    /// days), which is all a lockout duration needs.
    pub fn seconds(self) -> i64 {
        match self {
            Self::Minutes => 60,
            Self::Hours => 3_600,
            Self::Days => 86_400,
            Self::Weeks => 7 * 86_400,
            Self::Months => 30 * 86_400,
            Self::Years => 365 * 86_400,
        }
    }
}

/// The failed-authentication lockout. On by default (FusionAuth turns it on only once a
/// user action is configured): a sidecar must not be an open brute-force oracle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FailedAuthenticationConfiguration {
    #[serde(default = "default_true")]
    pub enabled: bool,
    #[schemars(range(min = 1))]
    #[serde(default = "default_too_many_attempts")]
    pub too_many_attempts: i64,
    #[schemars(range(min = 1))]
    #[serde(default = "default_reset_count_seconds")]
    pub reset_count_in_seconds: i64,
    #[schemars(range(min = 1))]
    #[serde(default = "default_action_duration")]
    pub action_duration: i64,
    #[serde(default = "default_action_duration_unit")]
    pub action_duration_unit: DurationUnit,
}

fn default_too_many_attempts() -> i64 {
    5
}
fn default_reset_count_seconds() -> i64 {
    60
}
fn default_action_duration() -> i64 {
    3
}
fn default_action_duration_unit() -> DurationUnit {
    DurationUnit::Minutes
}

impl Default for FailedAuthenticationConfiguration {
    fn default() -> Self {
        Self {
            enabled: true,
            too_many_attempts: default_too_many_attempts(),
            reset_count_in_seconds: default_reset_count_seconds(),
            action_duration: default_action_duration(),
            action_duration_unit: default_action_duration_unit(),
        }
    }
}

impl FailedAuthenticationConfiguration {
    pub fn lock_duration_millis(&self) -> i64 {
        self.action_duration
            .saturating_mul(self.action_duration_unit.seconds())
            .saturating_mul(1000)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordEncryptionConfiguration {
    /// FusionAuth scheme name used for new passwords.
    #[schemars(extend("enum" = ["salted-pbkdf2-hmac-sha256", "salted-pbkdf2-hmac-sha256-512", "salted-pbkdf2-hmac-sha512-512", "salted-sha256", "salted-md5", "salted-hmac-sha256", "bcrypt"]))]
    #[serde(default = "default_scheme")]
    pub encryption_scheme: String,
    #[schemars(range(min = 1))]
    #[serde(default = "default_factor")]
    pub encryption_scheme_factor: u32,
    /// Re-hash with the tenant's scheme on the next successful login.
    #[serde(default)]
    pub modify_encryption_scheme_on_login: bool,
}

fn default_scheme() -> String {
    "salted-pbkdf2-hmac-sha256".to_owned()
}
fn default_factor() -> u32 {
    24_000
}

impl Default for PasswordEncryptionConfiguration {
    fn default() -> Self {
        Self {
            encryption_scheme: default_scheme(),
            encryption_scheme_factor: default_factor(),
            modify_encryption_scheme_on_login: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordValidationRules {
    #[schemars(range(min = 1))]
    #[serde(default = "default_min_length")]
    pub min_length: usize,
    #[serde(default = "default_max_length")]
    pub max_length: usize,
    #[serde(default)]
    pub require_mixed_case: bool,
    #[serde(default)]
    pub require_non_alpha: bool,
    #[serde(default)]
    pub require_number: bool,
    /// Check the stored password against these rules at login (203 `Validation`).
    #[serde(default)]
    pub validate_on_login: bool,
}

fn default_min_length() -> usize {
    8
}
fn default_max_length() -> usize {
    256
}

impl Default for PasswordValidationRules {
    fn default() -> Self {
        Self {
            min_length: default_min_length(),
            max_length: default_max_length(),
            require_mixed_case: false,
            require_non_alpha: false,
            require_number: false,
            validate_on_login: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MaximumPasswordAge {
    #[serde(default)]
    pub enabled: bool,
    #[schemars(range(min = 1))]
    #[serde(default = "default_password_age_days")]
    pub days: i64,
}

fn default_password_age_days() -> i64 {
    180
}

impl Default for MaximumPasswordAge {
    fn default() -> Self {
        Self {
            enabled: false,
            days: default_password_age_days(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmailConfiguration {
    /// Report 212 at login while the user's email is unverified.
    #[serde(default)]
    pub verify_email: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum MultiFactorLoginPolicy {
    /// Challenge users who have a two-factor method.
    #[default]
    Enabled,
    /// Never challenge.
    Disabled,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MultiFactorConfiguration {
    #[serde(default)]
    pub login_policy: MultiFactorLoginPolicy,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRecordConfiguration {
    #[serde(default)]
    pub delete: LoginRecordDelete,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRecordDelete {
    #[serde(default)]
    pub enabled: bool,
    #[schemars(range(min = 1))]
    #[serde(default = "default_retain_days")]
    pub number_of_days_to_retain: i64,
}

fn default_retain_days() -> i64 {
    365
}

impl Default for LoginRecordDelete {
    fn default() -> Self {
        Self {
            enabled: false,
            number_of_days_to_retain: default_retain_days(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationConfig {
    pub id: Uuid,
    pub name: String,
    #[serde(default = "default_true")]
    pub active: bool,
    #[serde(default)]
    pub login_configuration: ApplicationLoginConfiguration,
    #[serde(default)]
    pub jwt_configuration: ApplicationJwtConfiguration,
    /// Report 213 at login while the user's registration is unverified.
    #[serde(default)]
    pub verify_registration: bool,
    #[serde(default)]
    pub roles: Vec<RoleConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationLoginConfiguration {
    #[serde(default = "default_true")]
    pub require_authentication: bool,
    #[serde(default)]
    pub generate_refresh_tokens: bool,
    #[serde(default)]
    pub allow_token_refresh: bool,
}

impl Default for ApplicationLoginConfiguration {
    fn default() -> Self {
        Self {
            require_authentication: true,
            generate_refresh_tokens: false,
            allow_token_refresh: false,
        }
    }
}

/// Per-application JWT settings; they override the tenant's only when `enabled`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationJwtConfiguration {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_key_id: Option<Uuid>,
    #[schemars(range(min = 1, max = MAX_TIME_TO_LIVE))]
    #[serde(default = "default_jwt_ttl")]
    pub time_to_live_in_seconds: i64,
    #[schemars(range(min = 1, max = MAX_TIME_TO_LIVE))]
    #[serde(default = "default_refresh_ttl_minutes")]
    pub refresh_token_time_to_live_in_minutes: i64,
    #[serde(default)]
    pub refresh_token_usage_policy: RefreshTokenUsagePolicy,
    #[serde(default)]
    pub refresh_token_expiration_policy: RefreshTokenExpirationPolicy,
}

impl Default for ApplicationJwtConfiguration {
    fn default() -> Self {
        Self {
            enabled: false,
            access_token_key_id: None,
            time_to_live_in_seconds: default_jwt_ttl(),
            refresh_token_time_to_live_in_minutes: default_refresh_ttl_minutes(),
            refresh_token_usage_policy: RefreshTokenUsagePolicy::default(),
            refresh_token_expiration_policy: RefreshTokenExpirationPolicy::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleConfig {
    #[schemars(length(min = 1, max = MAX_ROLE_NAME_LENGTH))]
    pub name: String,
    /// Granted on registration when the request names no roles.
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub is_super_role: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The JWT settings in force for one application: the application's when it enables
/// its own, else the tenant's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EffectiveJwt {
    pub key_id: Option<Uuid>,
    pub time_to_live_in_seconds: i64,
    pub refresh_token_time_to_live_in_minutes: i64,
    pub refresh_token_usage_policy: RefreshTokenUsagePolicy,
    pub refresh_token_expiration_policy: RefreshTokenExpirationPolicy,
}

impl TenantConfig {
    pub fn application(&self, id: Uuid) -> Option<&ApplicationConfig> {
        self.applications.iter().find(|a| a.id == id)
    }

    /// JWT settings for a token issued for `application` (or for no application).
    pub fn effective_jwt(&self, application: Option<&ApplicationConfig>) -> EffectiveJwt {
        let tenant = &self.jwt_configuration;
        match application.map(|a| &a.jwt_configuration) {
            Some(app) if app.enabled => EffectiveJwt {
                key_id: app.access_token_key_id.or(tenant.access_token_key_id),
                time_to_live_in_seconds: app.time_to_live_in_seconds,
                refresh_token_time_to_live_in_minutes: app.refresh_token_time_to_live_in_minutes,
                refresh_token_usage_policy: app.refresh_token_usage_policy,
                refresh_token_expiration_policy: app.refresh_token_expiration_policy,
            },
            _ => EffectiveJwt {
                key_id: tenant.access_token_key_id,
                time_to_live_in_seconds: tenant.time_to_live_in_seconds,
                refresh_token_time_to_live_in_minutes: tenant.refresh_token_time_to_live_in_minutes,
                refresh_token_usage_policy: tenant.refresh_token_usage_policy,
                refresh_token_expiration_policy: tenant.refresh_token_expiration_policy,
            },
        }
    }
}

/// One problem with a configuration, located by its path in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config is not valid YAML or JSON: {0}")]
    Syntax(String),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ConfigProblem>),
}

impl ConfigError {
    /// Every problem found, each naming its field.
    pub fn problems(&self) -> Vec<ConfigProblem> {
        match self {
            Self::Syntax(message) => vec![ConfigProblem {
                path: "(document)".to_owned(),
                message: message.clone(),
            }],
            Self::Invalid(problems) => problems.clone(),
        }
    }
}

impl Config {
    /// Parses and validates a configuration document (YAML, or JSON which is YAML).
    ///
    /// The document is deserialized and its cross-field rules checked; only when that
    /// finds a problem is it also checked against the contract's own JSON Schema, which
    /// reports every unknown field, wrong type and bad enum value at once where
    /// deserialization stops at the first. A document both accept is one the schema
    /// accepts (a test mutates every field to hold to that), and a valid document, every
    /// start and reload, then never loads the schema's validator: its code and compiled
    /// schema were about 2.5 of the 15 MiB an idle sidecar held.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let document: serde_json::Value =
            serde_norway::from_str(text).map_err(|e| ConfigError::Syntax(e.to_string()))?;
        let config: Config = match serde_path_to_error::deserialize(&document) {
            Ok(config) => config,
            Err(e) => {
                let problems = schema_problems(&document);
                if !problems.is_empty() {
                    return Err(ConfigError::Invalid(problems));
                }
                let path = e.path().to_string();
                let message = e.into_inner().to_string();
                return Err(ConfigError::Invalid(vec![ConfigProblem { path, message }]));
            }
        };
        match config.validate() {
            Ok(()) => Ok(config),
            // A document can be well-formed yet out of range (a TTL of 0): the schema and
            // the cross-field rules both see that, and the rule's wording is the clearer.
            Err(ConfigError::Invalid(rule_problems)) => {
                let mut problems = schema_problems(&document);
                problems.retain(|p| rule_problems.iter().all(|r| r.path != p.path));
                problems.extend(rule_problems);
                Err(ConfigError::Invalid(problems))
            }
            Err(syntax) => Err(syntax),
        }
    }

    /// The JSON Schema of the document, for editors and for the operator's rendering tests.
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Config)).unwrap_or_default()
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.listen.parse().map_err(|_| {
            ConfigError::Invalid(vec![problem(
                "listen",
                "must be an address like 127.0.0.1:9011",
            )])
        })
    }

    pub fn tenant(&self, id: Uuid) -> Option<&TenantConfig> {
        self.tenants.iter().find(|t| t.id == id)
    }

    /// The tenant owning an application, with the application.
    pub fn application(&self, id: Uuid) -> Option<(&TenantConfig, &ApplicationConfig)> {
        self.tenants
            .iter()
            .find_map(|t| t.application(id).map(|a| (t, a)))
    }

    /// The key that signs tokens for this tenant and application.
    pub fn signing_key_id(
        &self,
        tenant: &TenantConfig,
        application: Option<&ApplicationConfig>,
    ) -> Option<Uuid> {
        tenant
            .effective_jwt(application)
            .key_id
            .or_else(|| (self.keys.len() == 1).then(|| self.keys[0].id))
    }

    /// Checks every rule that spans fields or values, returning all violations at once.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        let mut push = |path: String, message: &str| problems.push(problem(&path, message));

        if self.listen.parse::<SocketAddr>().is_err() {
            push("listen".into(), "must be an address like 127.0.0.1:9011");
        }
        let url = self.database.url.expose();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            push(
                "database.url".into(),
                "must start with sqlite: or postgres://",
            );
        }
        for (i, key) in self.api_keys.iter().enumerate() {
            let base = format!("apiKeys[{i}]");
            match (&key.key, &key.key_hash) {
                (Some(_), Some(_)) | (None, None) => {
                    push(base.clone(), "set exactly one of key and keyHash")
                }
                (Some(k), None) if k.expose().len() < 16 => {
                    push(format!("{base}.key"), "must be at least 16 characters")
                }
                (None, Some(h)) if !is_sha256_hex(h) => push(
                    format!("{base}.keyHash"),
                    "must be 64 lower-case hex characters (SHA-256)",
                ),
                _ => {}
            }
            if let Some(tenant_id) = key.tenant_id {
                if self.tenant(tenant_id).is_none() {
                    push(format!("{base}.tenantId"), "names no tenant in tenants");
                }
            }
        }

        let mut key_ids = HashSet::new();
        for (i, key) in self.keys.iter().enumerate() {
            let base = format!("keys[{i}]");
            if !key_ids.insert(key.id) {
                push(format!("{base}.id"), "duplicate key id");
            }
            if key.algorithm.is_hmac() {
                match key.secret.as_ref().map(|s| decode_base64(s.expose())) {
                    None => push(format!("{base}.secret"), "required for HMAC keys"),
                    Some(None) => push(format!("{base}.secret"), "must be base64"),
                    Some(Some(bytes)) if bytes.len() < 32 => {
                        push(format!("{base}.secret"), "must decode to at least 32 bytes")
                    }
                    Some(Some(_)) => {}
                }
                if key.private_key.is_some() {
                    push(
                        format!("{base}.privateKey"),
                        "not used by HMAC keys; use secret",
                    );
                }
            } else {
                match &key.private_key {
                    None => push(format!("{base}.privateKey"), "required for RSA and EC keys"),
                    Some(pem) if !pem.expose().contains("-----BEGIN") => {
                        push(format!("{base}.privateKey"), "must be a PEM private key")
                    }
                    Some(_) => {}
                }
            }
        }

        if self.tenants.is_empty() {
            push("tenants".into(), "at least one tenant is required");
        }
        let mut tenant_ids = HashSet::new();
        let mut application_ids = HashSet::new();
        for (t, tenant) in self.tenants.iter().enumerate() {
            let base = format!("tenants[{t}]");
            if !tenant_ids.insert(tenant.id) {
                push(format!("{base}.id"), "duplicate tenant id");
            }
            if tenant.name.trim().is_empty() {
                push(format!("{base}.name"), "must not be blank");
            }
            let external = &tenant.external_identifier_configuration;
            for (name, value) in [
                (
                    "twoFactorIdTimeToLiveInSeconds",
                    external.two_factor_id_time_to_live_in_seconds,
                ),
                (
                    "twoFactorTrustIdTimeToLiveInSeconds",
                    external.two_factor_trust_id_time_to_live_in_seconds,
                ),
                (
                    "oneTimePasswordTimeToLiveInSeconds",
                    external.one_time_password_time_to_live_in_seconds,
                ),
                (
                    "changePasswordIdTimeToLiveInSeconds",
                    external.change_password_id_time_to_live_in_seconds,
                ),
                (
                    "trustTokenTimeToLiveInSeconds",
                    external.trust_token_time_to_live_in_seconds,
                ),
            ] {
                check_time_to_live(
                    &mut push,
                    format!("{base}.externalIdentifierConfiguration.{name}"),
                    value,
                );
            }
            validate_jwt_numbers(
                &mut push,
                &format!("{base}.jwtConfiguration"),
                tenant.jwt_configuration.time_to_live_in_seconds,
                tenant
                    .jwt_configuration
                    .refresh_token_time_to_live_in_minutes,
            );
            if let Some(key_id) = tenant.jwt_configuration.access_token_key_id {
                if !key_ids.contains(&key_id) {
                    push(
                        format!("{base}.jwtConfiguration.accessTokenKeyId"),
                        "names no key in keys",
                    );
                }
            } else if self.keys.len() != 1 {
                push(
                    format!("{base}.jwtConfiguration.accessTokenKeyId"),
                    "required unless keys holds exactly one key",
                );
            }
            let failed = &tenant.failed_authentication_configuration;
            if failed.too_many_attempts < 1 {
                push(
                    format!("{base}.failedAuthenticationConfiguration.tooManyAttempts"),
                    "must be at least 1",
                );
            }
            if failed.reset_count_in_seconds < 1 {
                push(
                    format!("{base}.failedAuthenticationConfiguration.resetCountInSeconds"),
                    "must be at least 1",
                );
            }
            if failed.action_duration < 1 {
                push(
                    format!("{base}.failedAuthenticationConfiguration.actionDuration"),
                    "must be at least 1",
                );
            }
            let encryption = &tenant.password_encryption_configuration;
            match crate::password::Scheme::from_name(&encryption.encryption_scheme) {
                None => push(
                    format!("{base}.passwordEncryptionConfiguration.encryptionScheme"),
                    "unknown scheme; use one of salted-pbkdf2-hmac-sha256, salted-pbkdf2-hmac-sha256-512, salted-pbkdf2-hmac-sha512-512, salted-sha256, salted-md5, salted-hmac-sha256, bcrypt",
                ),
                Some(scheme) => {
                    if let Err(e) = scheme.check_factor(encryption.encryption_scheme_factor) {
                        push(format!("{base}.passwordEncryptionConfiguration.encryptionSchemeFactor"), &e.to_string());
                    }
                }
            }
            let rules = &tenant.password_validation_rules;
            if rules.min_length < 1 || rules.min_length > rules.max_length {
                push(
                    format!("{base}.passwordValidationRules.minLength"),
                    "must be between 1 and maxLength",
                );
            }
            if tenant.maximum_password_age.days < 1 {
                push(
                    format!("{base}.maximumPasswordAge.days"),
                    "must be at least 1",
                );
            }
            if tenant
                .login_record_configuration
                .delete
                .number_of_days_to_retain
                < 1
            {
                push(
                    format!("{base}.loginRecordConfiguration.delete.numberOfDaysToRetain"),
                    "must be at least 1",
                );
            }
            if crate::java_time::zone(&tenant.report_timezone).is_err() {
                push(
                    format!("{base}.reportTimezone"),
                    "unknown time zone; use an IANA name such as America/Denver or UTC",
                );
            }
            if tenant.issuer.trim().is_empty() {
                push(format!("{base}.issuer"), "must not be blank");
            }
            for (a, application) in tenant.applications.iter().enumerate() {
                let base = format!("{base}.applications[{a}]");
                if !application_ids.insert(application.id) {
                    push(format!("{base}.id"), "duplicate application id");
                }
                if application.name.trim().is_empty() {
                    push(format!("{base}.name"), "must not be blank");
                }
                let jwt = &application.jwt_configuration;
                // Checked when not enabled too: the schema refuses them either way.
                validate_jwt_numbers(
                    &mut push,
                    &format!("{base}.jwtConfiguration"),
                    jwt.time_to_live_in_seconds,
                    jwt.refresh_token_time_to_live_in_minutes,
                );
                if let Some(key_id) = jwt.access_token_key_id {
                    if !key_ids.contains(&key_id) {
                        push(
                            format!("{base}.jwtConfiguration.accessTokenKeyId"),
                            "names no key in keys",
                        );
                    }
                }
                let mut role_names = HashSet::new();
                for (r, role) in application.roles.iter().enumerate() {
                    if role.name.trim().is_empty() {
                        push(format!("{base}.roles[{r}].name"), "must not be blank");
                    } else if role.name.chars().count() > MAX_ROLE_NAME_LENGTH {
                        push(
                            format!("{base}.roles[{r}].name"),
                            &format!("must be at most {MAX_ROLE_NAME_LENGTH} characters"),
                        );
                    } else if !role_names.insert(role.name.as_str()) {
                        push(format!("{base}.roles[{r}].name"), "duplicate role name");
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems))
        }
    }
}

/// Every structural problem of `document` against the contract's schema, each located
/// by a dotted path (`tenants[0].applications[1].name`).
fn schema_problems(document: &serde_json::Value) -> Vec<ConfigProblem> {
    use jsonschema::error::ValidationErrorKind;
    // Compiled for each refused document rather than kept: refusals are rare, and a
    // sidecar that met one bad reload would otherwise hold the validator from then on.
    let Ok(validator) = jsonschema::validator_for(&Config::json_schema()) else {
        // The schema is generated from our own types; typed deserialization still
        // reports the first problem if it ever failed to compile.
        return Vec::new();
    };
    let mut problems = Vec::new();
    for error in validator.iter_errors(document) {
        let base = dotted_path(error.instance_path().as_str());
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for field in unexpected {
                    problems.push(ConfigProblem {
                        path: if base.is_empty() {
                            field.clone()
                        } else {
                            format!("{base}.{field}")
                        },
                        message: format!("unknown field `{field}`"),
                    });
                }
            }
            _ => problems.push(ConfigProblem {
                path: if base.is_empty() {
                    "(document)".to_owned()
                } else {
                    base
                },
                message: error.to_string(),
            }),
        }
    }
    problems
}

/// `/tenants/0/name` → `tenants[0].name`.
fn dotted_path(pointer: &str) -> String {
    let mut path = String::new();
    for segment in pointer.split('/').filter(|s| !s.is_empty()) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.bytes().all(|b| b.is_ascii_digit()) {
            path.push_str(&format!("[{segment}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&segment);
        }
    }
    path
}

fn validate_jwt_numbers(
    push: &mut impl FnMut(String, &str),
    base: &str,
    ttl: i64,
    refresh_minutes: i64,
) {
    check_time_to_live(push, format!("{base}.timeToLiveInSeconds"), ttl);
    check_time_to_live(
        push,
        format!("{base}.refreshTokenTimeToLiveInMinutes"),
        refresh_minutes,
    );
}

fn check_time_to_live(push: &mut impl FnMut(String, &str), path: String, value: i64) {
    if !(1..=MAX_TIME_TO_LIVE).contains(&value) {
        push(path, &format!("must be between 1 and {MAX_TIME_TO_LIVE}"));
    }
}

fn problem(path: &str, message: &str) -> ConfigProblem {
    ConfigProblem {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn decode_base64(value: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MINIMAL: &str = r#"
keys:
  - id: 0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
    algorithm: HS256
    secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=
tenants:
  - id: 6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
    name: Default
    applications:
      - id: 3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
        name: Shop
"#;

    #[test]
    fn minimal_config_takes_fusionauth_defaults() {
        let config = Config::parse(MINIMAL).unwrap();
        assert_eq!(config.listen, "127.0.0.1:9011");
        assert_eq!(config.database.url.expose(), "sqlite://authlet.db");
        let tenant = &config.tenants[0];
        assert_eq!(tenant.issuer, "acme.com");
        assert!(tenant.login_configuration.require_authentication);
        assert_eq!(
            tenant
                .external_identifier_configuration
                .two_factor_id_time_to_live_in_seconds,
            300
        );
        assert_eq!(
            tenant
                .jwt_configuration
                .refresh_token_time_to_live_in_minutes,
            43_200
        );
        assert_eq!(
            tenant.failed_authentication_configuration.too_many_attempts,
            5
        );
        assert!(tenant.failed_authentication_configuration.enabled);
        assert_eq!(
            tenant
                .password_encryption_configuration
                .encryption_scheme_factor,
            24_000
        );
        let app = &tenant.applications[0];
        assert!(app.active);
        assert!(app.login_configuration.require_authentication);
        assert!(!app.login_configuration.generate_refresh_tokens);
        assert_eq!(
            config.signing_key_id(tenant, Some(app)),
            Some(config.keys[0].id)
        );
    }

    #[test]
    fn unknown_field_is_named_with_its_path() {
        let text = MINIMAL.replace(
            "name: Shop",
            "name: Shop\n        requireAuthentcation: false",
        );
        let err = Config::parse(&text).unwrap_err();
        let problems = err.problems();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].path.starts_with("tenants[0].applications[0]"),
            "{problems:?}"
        );
        assert!(
            problems[0].message.contains("requireAuthentcation"),
            "{problems:?}"
        );
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let text = MINIMAL
            .replace("    name: Default\n", "    name: Default\n    externalIdentifierConfiguration: {twoFactorIdTimeToLiveInSeconds: -1}\n    failedAuthenticationConfiguration: {tooManyAttempts: 0}\n    passwordEncryptionConfiguration: {encryptionScheme: rot13}\n")
            .replace("MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=", "c2hvcnQ=");
        let problems = Config::parse(&text).unwrap_err().problems();
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"keys[0].secret"), "{paths:?}");
        assert!(
            paths.contains(
                &"tenants[0].externalIdentifierConfiguration.twoFactorIdTimeToLiveInSeconds"
            ),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"tenants[0].failedAuthenticationConfiguration.tooManyAttempts"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"tenants[0].passwordEncryptionConfiguration.encryptionScheme"),
            "{paths:?}"
        );
    }

    #[test]
    fn times_to_live_beyond_a_java_int_are_rejected_by_name() {
        // Larger TTLs would overflow the millisecond expiry computed from them.
        let text = MINIMAL
            .replace("    name: Default\n", "    name: Default\n    externalIdentifierConfiguration: {trustTokenTimeToLiveInSeconds: 2147483648}\n    jwtConfiguration: {timeToLiveInSeconds: 9223372036854775807}\n")
            .replace("name: Shop", "name: Shop\n        jwtConfiguration: {enabled: true, refreshTokenTimeToLiveInMinutes: 2147483648}");
        let problems = Config::parse(&text).unwrap_err().problems();
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "tenants[0].externalIdentifierConfiguration.trustTokenTimeToLiveInSeconds",
                "tenants[0].jwtConfiguration.timeToLiveInSeconds",
                "tenants[0].applications[0].jwtConfiguration.refreshTokenTimeToLiveInMinutes",
            ]
        );
        assert!(problems
            .iter()
            .all(|p| p.message == "must be between 1 and 2147483647"));

        let at_the_bound = MINIMAL.replace(
            "    name: Default\n",
            "    name: Default\n    jwtConfiguration: {timeToLiveInSeconds: 2147483647}\n",
        );
        assert!(Config::parse(&at_the_bound).is_ok());
    }

    #[test]
    fn unknown_report_timezone_is_rejected() {
        let text = MINIMAL.replace(
            "    name: Default\n",
            "    name: Default\n    reportTimezone: Mars/Olympus_Mons\n",
        );
        let problems = Config::parse(&text).unwrap_err().problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "tenants[0].reportTimezone");
    }

    #[test]
    fn duplicate_ids_and_dangling_references_are_rejected() {
        let text = format!(
            "{MINIMAL}      - id: 3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d\n        name: Again\napiKeys:\n  - key: short\n  - key: a-long-enough-api-key\n    tenantId: 00000000-0000-0000-0000-000000000001\n"
        );
        let problems = Config::parse(&text).unwrap_err().problems();
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"tenants[0].applications[1].id"),
            "{paths:?}"
        );
        assert!(paths.contains(&"apiKeys[0].key"), "{paths:?}");
        assert!(paths.contains(&"apiKeys[1].tenantId"), "{paths:?}");
    }

    #[test]
    fn every_structural_problem_is_reported_at_once() {
        let text = MINIMAL
            .replace("name: Shop", "name: Shop\n        requireAuthentcation: false\n        active: maybe")
            .replace("    name: Default\n", "    name: Default\n    issuerr: x\n    jwtConfiguration: {refreshTokenUsagePolicy: Sometimes}\n");
        let problems = Config::parse(&text).unwrap_err().problems();
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        for expected in [
            "tenants[0].applications[0].requireAuthentcation",
            "tenants[0].applications[0].active",
            "tenants[0].issuerr",
            "tenants[0].jwtConfiguration.refreshTokenUsagePolicy",
        ] {
            assert!(
                paths.contains(&expected),
                "{expected} missing from {paths:?}"
            );
        }
    }

    #[test]
    fn wrong_type_and_syntax_errors_are_reported() {
        let text = MINIMAL.replace("name: Shop", "name: Shop\n        active: maybe");
        let problems = Config::parse(&text).unwrap_err().problems();
        assert_eq!(problems[0].path, "tenants[0].applications[0].active");
        assert!(matches!(
            Config::parse("tenants: [").unwrap_err(),
            ConfigError::Syntax(_)
        ));
    }

    #[test]
    fn secrets_never_reach_debug_output() {
        let config = Config::parse(MINIMAL).unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("MDEyMzQ1Njc4"), "{debug}");
    }

    #[test]
    fn application_jwt_settings_override_only_when_enabled() {
        let mut config = Config::parse(MINIMAL).unwrap();
        let tenant = &mut config.tenants[0];
        tenant.applications[0]
            .jwt_configuration
            .time_to_live_in_seconds = 60;
        let app = tenant.applications[0].clone();
        assert_eq!(
            tenant.effective_jwt(Some(&app)).time_to_live_in_seconds,
            3600
        );
        let mut enabled = app.clone();
        enabled.jwt_configuration.enabled = true;
        assert_eq!(
            tenant.effective_jwt(Some(&enabled)).time_to_live_in_seconds,
            60
        );
    }

    /// Every section and optional field present, an application with its own token
    /// settings and one without: the ground [`the_schema_refuses_nothing_parse_accepts`]
    /// mutates.
    const FULL: &str = r#"
listen: 127.0.0.1:9011
database: {url: "sqlite://authlet.db"}
apiKeys:
  - {key: a-long-enough-api-key, tenantId: 6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d, description: ci}
  - {keyHash: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}
keys:
  - id: 0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
    algorithm: HS256
    secret: MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=
tls: {certFile: /tls/tls.crt, keyFile: /tls/tls.key}
cookies: {secure: true, domain: example.com}
tenants:
  - id: 6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
    name: Default
    jwtConfiguration: {accessTokenKeyId: 0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d}
    applications:
      - id: 3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
        name: Shop
        jwtConfiguration: {enabled: true, accessTokenKeyId: 0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d}
        roles: [{name: admin, isDefault: true, description: Everything}]
      - id: 4d328a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d
        name: Blog
"#;

    /// The path to every value in `value` that is not an object or array, and to a field
    /// no object has, depth first.
    fn leaves(value: &serde_json::Value, path: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
        match value {
            serde_json::Value::Object(fields) => {
                let mut unlisted = path.clone();
                unlisted.push(PathStep::Field("unlistedField".to_owned()));
                out.push(unlisted);
                for (name, field) in fields {
                    path.push(PathStep::Field(name.clone()));
                    leaves(field, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(PathStep::Index(i));
                    leaves(item, path, out);
                    path.pop();
                }
            }
            _ => out.push(path.clone()),
        }
    }

    #[derive(Clone, Debug)]
    enum PathStep {
        Field(String),
        Index(usize),
    }

    fn at<'a>(value: &'a mut serde_json::Value, path: &[PathStep]) -> &'a mut serde_json::Value {
        path.iter().fold(value, |value, step| match step {
            PathStep::Field(name) => &mut value[name.as_str()],
            PathStep::Index(i) => &mut value[*i],
        })
    }

    /// `parse` consults the schema only for a document it refuses, so every document it
    /// accepts must be one the schema accepts: each field of [`FULL`], with every default
    /// written out, is set in turn to values at and past the usual bounds, and the schema
    /// must refuse none that `parse` accepted. A constraint added to the schema without a
    /// matching rule in `validate` fails here.
    #[test]
    fn the_schema_refuses_nothing_parse_accepts() {
        let validator = jsonschema::validator_for(&Config::json_schema()).unwrap();
        let full = serde_json::to_value(Config::parse(FULL).unwrap()).unwrap();
        assert!(validator.is_valid(&full));
        let mut paths = Vec::new();
        leaves(&full, &mut Vec::new(), &mut paths);
        let long = "x".repeat(MAX_ROLE_NAME_LENGTH + 1);
        let replacements = [
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(1),
            json!(1.5),
            json!(MAX_TIME_TO_LIVE),
            json!(MAX_TIME_TO_LIVE + 1),
            json!(u64::MAX),
            json!(""),
            json!(" "),
            json!(long),
            json!([]),
            json!({}),
        ];
        let mut accepted = 0;
        for path in &paths {
            for replacement in &replacements {
                let mut document = full.clone();
                *at(&mut document, path) = replacement.clone();
                let text = serde_json::to_string(&document).unwrap();
                if Config::parse(&text).is_ok() {
                    accepted += 1;
                    let refusals: Vec<_> = validator
                        .iter_errors(&document)
                        .map(|e| e.to_string())
                        .collect();
                    assert!(
                        refusals.is_empty(),
                        "{path:?} = {replacement}: parse accepted what the schema refuses: {refusals:?}"
                    );
                }
            }
        }
        // Were every mutation refused, the test would prove nothing.
        assert!(accepted > 0);
    }
}
