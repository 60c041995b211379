//! Domain types: users, registrations, two-factor methods, and their FusionAuth JSON form.
//!
//! The sidecar stores these; `core` decides over them. Fields FusionAuth carries but
//! Authlet never interprets (names, `data`, `preferredLanguages`, …) live in `profile`
//! and round-trip untouched, so a client sees back what it stored.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Why a user must change their password (FusionAuth's `changePasswordReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangePasswordReason {
    Administrative,
    Breached,
    Expired,
    Validation,
}

impl ChangePasswordReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrative => "Administrative",
            Self::Breached => "Breached",
            Self::Expired => "Expired",
            Self::Validation => "Validation",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "Administrative" => Some(Self::Administrative),
            "Breached" => Some(Self::Breached),
            "Expired" => Some(Self::Expired),
            "Validation" => Some(Self::Validation),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub email: Option<String>,
    pub username: Option<String>,
    pub active: bool,
    /// Whether the email address is verified.
    pub verified: bool,
    /// Epoch millis after which the account may not log in.
    pub expiry: Option<i64>,
    pub password_change_required: bool,
    pub password_change_reason: Option<ChangePasswordReason>,
    pub password_last_update_instant: Option<i64>,
    pub insert_instant: i64,
    pub last_update_instant: i64,
    pub last_login_instant: Option<i64>,
    /// Uninterpreted FusionAuth user fields (`firstName`, `data`, `timezone`, …).
    pub profile: Map<String, Value>,
    pub registrations: Vec<Registration>,
    pub two_factor_methods: Vec<TwoFactorMethod>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub id: Uuid,
    pub application_id: Uuid,
    pub roles: Vec<String>,
    pub verified: bool,
    pub insert_instant: i64,
    pub last_login_instant: Option<i64>,
    /// Uninterpreted registration fields (`username`, `data`, `timezone`, …).
    pub profile: Map<String, Value>,
}

/// An enabled two-factor method. Only authenticator (TOTP) methods can be completed by
/// the sidecar: it sends no email or SMS.
#[derive(Clone, PartialEq)]
pub struct TwoFactorMethod {
    pub id: String,
    /// Base64 of the TOTP key bytes.
    pub secret: String,
}

impl std::fmt::Debug for TwoFactorMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwoFactorMethod")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl User {
    pub fn registration(&self, application_id: Uuid) -> Option<&Registration> {
        self.registrations
            .iter()
            .find(|r| r.application_id == application_id)
    }

    pub fn has_two_factor(&self) -> bool {
        !self.two_factor_methods.is_empty()
    }

    /// The login id recorded for this user when none was typed (ping, refresh).
    pub fn display_login_id(&self) -> String {
        self.email
            .clone()
            .or_else(|| self.username.clone())
            .unwrap_or_default()
    }

    /// The user as FusionAuth's API returns it. Secrets (password hash, TOTP secrets,
    /// recovery codes) are never part of this view.
    pub fn to_json(&self) -> Value {
        let mut object = self.profile.clone();
        let mut set = |key: &str, value: Value| {
            object.insert(key.to_owned(), value);
        };
        set("id", Value::String(self.id.to_string()));
        set("tenantId", Value::String(self.tenant_id.to_string()));
        if let Some(email) = &self.email {
            set("email", Value::String(email.clone()));
        }
        if let Some(username) = &self.username {
            set("username", Value::String(username.clone()));
            set("usernameStatus", Value::String("ACTIVE".into()));
        }
        set("active", Value::Bool(self.active));
        set("verified", Value::Bool(self.verified));
        if let Some(expiry) = self.expiry {
            set("expiry", expiry.into());
        }
        set(
            "passwordChangeRequired",
            Value::Bool(self.password_change_required),
        );
        if let Some(instant) = self.password_last_update_instant {
            set("passwordLastUpdateInstant", instant.into());
        }
        set("insertInstant", self.insert_instant.into());
        set("lastUpdateInstant", self.last_update_instant.into());
        if let Some(instant) = self.last_login_instant {
            set("lastLoginInstant", instant.into());
        }
        let methods: Vec<Value> = self
            .two_factor_methods
            .iter()
            .map(|m| authenticator_method_json(&m.id))
            .collect();
        set("twoFactor", serde_json::json!({ "methods": methods }));
        set(
            "registrations",
            Value::Array(
                self.registrations
                    .iter()
                    .map(Registration::to_json)
                    .collect(),
            ),
        );
        Value::Object(object)
    }
}

/// The public description of a TOTP method, as in 242 responses and `user.twoFactor`.
pub fn authenticator_method_json(id: &str) -> Value {
    serde_json::json!({
        "id": id,
        "method": "authenticator",
        "authenticator": { "algorithm": "HmacSHA1", "codeLength": 6, "timeStep": 30 },
    })
}

impl Registration {
    pub fn to_json(&self) -> Value {
        let mut object = self.profile.clone();
        object.insert("id".into(), Value::String(self.id.to_string()));
        object.insert(
            "applicationId".into(),
            Value::String(self.application_id.to_string()),
        );
        object.insert(
            "roles".into(),
            Value::Array(self.roles.iter().cloned().map(Value::String).collect()),
        );
        object.insert("verified".into(), Value::Bool(self.verified));
        object.insert("insertInstant".into(), self.insert_instant.into());
        if let Some(instant) = self.last_login_instant {
            object.insert("lastLoginInstant".into(), instant.into());
        }
        object.insert("usernameStatus".into(), Value::String("ACTIVE".into()));
        Value::Object(object)
    }
}

/// Lower-cases a login id for lookup: emails are case-insensitive in FusionAuth, and so
/// are usernames (they are unique ignoring case within a tenant).
pub fn normalize_login_id(login_id: &str) -> String {
    login_id.trim().to_lowercase()
}
