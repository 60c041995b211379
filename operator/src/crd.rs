//! The `Tenant` and `Application` custom resources.
//!
//! Their specs reuse the configuration contract's own types from `authlet-core` wherever
//! a setting means the same thing, so the field names, defaults and ranges a platform
//! team writes in a CR are exactly the ones the sidecar reads. What differs is only what
//! must differ in a cluster: secret values are never in a spec, only references to
//! Secrets in the same namespace.

use authlet_core::config::{
    ApplicationJwtConfiguration, ApplicationLoginConfiguration, CookieConfig, EmailConfiguration,
    ExternalIdentifierConfiguration, FailedAuthenticationConfiguration, LoginRecordConfiguration,
    MaximumPasswordAge, MultiFactorConfiguration, PasswordEncryptionConfiguration,
    PasswordValidationRules, RoleConfig, SigningAlgorithm, TenantJwtConfiguration,
    TenantLoginConfiguration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::{CustomResource, KubeSchema};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The API group of both kinds.
pub const GROUP: &str = "authlet.io";

/// A tenant: the settings of one FusionAuth tenant, rendered with its Applications into
/// one Secret holding the sidecar's configuration.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "authlet.io",
    version = "v1alpha1",
    kind = "Tenant",
    doc = "A tenant of the Authlet sidecars: FusionAuth tenant settings plus the Secrets they use.",
    namespaced,
    status = "TenantStatus",
    shortname = "atn",
    category = "authlet",
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Id","type":"string","jsonPath":".status.id"}"#,
    printcolumn = r#"{"name":"Config","type":"string","jsonPath":".status.configSecret"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#,
    // The name is the value of the `authlet.io/tenant` label on the Secrets rendered for
    // the Tenant, and label values stop at 63 characters: a longer name could never be
    // rendered, so it is refused up front.
    validation = Rule::new("size(self.metadata.name) <= 63").message("metadata.name must be at most 63 characters: it labels the Secrets rendered for the Tenant")
)]
#[x_kube(validation = Rule::new("self.passwordValidationRules.minLength <= self.passwordValidationRules.maxLength").message("passwordValidationRules.minLength must not exceed passwordValidationRules.maxLength").field_path(".passwordValidationRules.minLength"))]
#[x_kube(validation = Rule::new("!has(self.jwtConfiguration.accessTokenKeyId) || self.signingKeys.exists(k, has(k.id) && k.id == self.jwtConfiguration.accessTokenKeyId)").message("jwtConfiguration.accessTokenKeyId must name the id of one of signingKeys").field_path(".jwtConfiguration.accessTokenKeyId"))]
#[x_kube(validation = Rule::new("self.signingKeys.all(k, !has(k.id) || self.signingKeys.exists_one(j, has(j.id) && j.id == k.id))").message("signingKeys ids must be unique").field_path(".signingKeys"))]
// With several keys the sidecar cannot guess which one signs access tokens.
#[x_kube(validation = Rule::new("size(self.signingKeys) <= 1 || has(self.jwtConfiguration.accessTokenKeyId)").message("jwtConfiguration.accessTokenKeyId is required when signingKeys holds more than one key").field_path(".jwtConfiguration.accessTokenKeyId"))]
#[x_kube(validation = Rule::new(FACTOR_RULE).message("passwordEncryptionConfiguration.encryptionSchemeFactor is out of range for the scheme: bcrypt takes 4 to 30, the others 1 to 10000000").field_path(".passwordEncryptionConfiguration.encryptionSchemeFactor"))]
#[serde(rename_all = "camelCase")]
pub struct TenantSpec {
    /// The tenant's id. Default: a UUIDv5 of the Tenant's namespace and name, so that a
    /// re-created Tenant keeps its id and with it its users' tokens and login records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[x_kube(validation = Rule::new("self == oldSelf").message("id is immutable: tokens and login records are attached to it"))]
    pub id: Option<Uuid>,
    /// Display name. Default: the Tenant's `metadata.name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 191))]
    #[x_kube(validation = Rule::new("self.trim() != ''").message("name must not be blank"))]
    pub name: Option<String>,
    /// The `iss` claim of issued JWTs.
    #[serde(default = "authlet_core::config::default_issuer")]
    #[schemars(length(min = 1, max = 255))]
    #[x_kube(validation = Rule::new("self.trim() != ''").message("issuer must not be blank"))]
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
    #[serde(default = "authlet_core::config::default_report_timezone")]
    #[schemars(length(min = 1, max = 64))]
    pub report_timezone: String,
    /// Where the sidecars of this tenant keep users, tokens and login records. Absent:
    /// SQLite on each pod's volume, so every pod has its own users and records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseReference>,
    /// API keys accepted by the sidecars. The rendered config holds only their SHA-256.
    #[serde(default)]
    #[schemars(length(max = 32))]
    pub api_keys: Vec<ApiKeyReference>,
    /// JWT signing keys. Absent: the operator generates one ES256 key per Tenant, once,
    /// and keeps it in its own Secret.
    #[serde(default)]
    #[schemars(length(max = 8))]
    pub signing_keys: Vec<SigningKeyReference>,
    /// Address the sidecar listens on inside the pod: an IP address and a port, such as
    /// `127.0.0.1:9011` or `[::1]:9011` (no host names: the sidecar binds, it does not
    /// resolve).
    #[serde(default = "authlet_core::config::default_listen")]
    #[schemars(length(min = 1, max = 64))]
    #[x_kube(validation = Rule::new(LISTEN_RULE).message("listen must be an IP address and a port, such as 127.0.0.1:9011 or [::1]:9011"))]
    pub listen: String,
    /// Cookie attributes for the tokens the sidecar sets.
    #[serde(default)]
    pub cookies: CookieConfig,
}

/// `listen` as the sidecar parses it (a socket address): a dotted IPv4 address or a
/// bracketed IPv6 one, then a port of at most 65535. Without it a typo such as
/// `localhost:9011` is accepted and only fails at rendering.
const LISTEN_RULE: &str = r"self.matches('^(((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])|\\[[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\\]):[0-9]{1,5}$') && int(self.substring(self.lastIndexOf(':') + 1)) <= 65535";

/// The factor ranges of `authlet_core::password::Scheme::check_factor`: bcrypt's cost is
/// 4 to 30, every other scheme but salted-hmac-sha256 (which ignores it) 1 (the schema's
/// minimum) to 10000000. A copy, so a test below holds it to core's.
const FACTOR_RULE: &str = "self.passwordEncryptionConfiguration.encryptionScheme == 'bcrypt' ? (self.passwordEncryptionConfiguration.encryptionSchemeFactor >= 4 && self.passwordEncryptionConfiguration.encryptionSchemeFactor <= 30) : (self.passwordEncryptionConfiguration.encryptionScheme == 'salted-hmac-sha256' || self.passwordEncryptionConfiguration.encryptionSchemeFactor <= 10000000)";

/// What Kubernetes accepts as a Secret's (or a Tenant's) name: a DNS subdomain. A
/// reference to any other name could never resolve.
const DNS_SUBDOMAIN: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

/// What Kubernetes accepts as a key of a Secret's `data`.
const SECRET_KEY: &str = r"^[-._a-zA-Z0-9]+$";

/// A key of a Secret in the referencing object's namespace.
#[derive(
    KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[serde(rename_all = "camelCase")]
pub struct SecretKeyReference {
    /// The Secret's name.
    #[schemars(length(min = 1, max = 253), regex(pattern = DNS_SUBDOMAIN))]
    pub name: String,
    /// The key within the Secret's `data`.
    #[schemars(length(min = 1, max = 253), regex(pattern = SECRET_KEY))]
    pub key: String,
}

#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseReference {
    /// The Secret key holding the `postgres://…` (or `sqlite:…`) URL, credentials included.
    pub url_secret_ref: SecretKeyReference,
}

#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyReference {
    /// The Secret key holding the API key itself (at least 16 characters).
    pub secret_ref: SecretKeyReference,
    /// Lock the key to this tenant, as FusionAuth's tenant-scoped keys are. Login-record
    /// search and export then see only this tenant's records.
    #[serde(default)]
    pub tenant_locked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 255))]
    pub description: Option<String>,
}

#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SigningKeyReference {
    /// The key id (`kid`). Default: a UUIDv5 of the Secret reference, stable as long as
    /// the reference is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 36))]
    pub id: Option<Uuid>,
    pub algorithm: SigningAlgorithm,
    /// The Secret key holding the key: raw secret bytes (at least 32) for HS*, a PEM
    /// private key for RS* and ES*.
    pub secret_ref: SecretKeyReference,
}

/// What every reconciled object reports.
#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TenantStatus {
    /// The `metadata.generation` this status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The tenant id in force (from `spec.id` or derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// The Secret holding the rendered sidecar configuration under `config.yaml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_secret: Option<String>,
    /// SHA-256 of the rendered configuration: pods can roll on its change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_hash: Option<String>,
    /// Names of the Applications rendered into the configuration.
    #[serde(default)]
    pub applications: Vec<String>,
}

/// An application of a tenant.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "authlet.io",
    version = "v1alpha1",
    kind = "Application",
    doc = "An application of an Authlet Tenant, with FusionAuth's application settings.",
    namespaced,
    status = "ApplicationStatus",
    shortname = "aapp",
    category = "authlet",
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Tenant","type":"string","jsonPath":".spec.tenantRef.name"}"#,
    printcolumn = r#"{"name":"Id","type":"string","jsonPath":".status.id"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[x_kube(validation = Rule::new("self.roles.all(r, self.roles.exists_one(s, s.name == r.name))").message("roles names must be unique").field_path(".roles"))]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSpec {
    /// The Tenant (same namespace) this application belongs to.
    pub tenant_ref: TenantReference,
    /// The application's id. Default: a UUIDv5 of the Application's namespace and name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[x_kube(validation = Rule::new("self == oldSelf").message("id is immutable: registrations, tokens and login records are attached to it"))]
    pub id: Option<Uuid>,
    /// Display name, also `applicationName` in login records. Default: `metadata.name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 191))]
    #[x_kube(validation = Rule::new("self.trim() != ''").message("name must not be blank"))]
    pub name: Option<String>,
    #[serde(default = "authlet_core::config::default_true")]
    pub active: bool,
    #[serde(default)]
    pub login_configuration: ApplicationLoginConfiguration,
    #[serde(default)]
    pub jwt_configuration: ApplicationJwtConfiguration,
    /// Report 213 at login while the user's registration is unverified.
    #[serde(default)]
    pub verify_registration: bool,
    #[serde(default)]
    #[schemars(length(max = 64))]
    #[x_kube(validation = Rule::new("self.all(r, r.name.trim() != '')").message("roles names must not be blank"))]
    pub roles: Vec<RoleConfig>,
}

#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TenantReference {
    /// The Tenant's name; Tenant names are DNS subdomains of at most 63 characters.
    #[schemars(length(min = 1, max = 63), regex(pattern = DNS_SUBDOMAIN))]
    pub name: String,
}

#[derive(KubeSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The application id in force (from `spec.id` or derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The id of the tenant it was rendered into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

#[cfg(test)]
mod tests {
    use super::FACTOR_RULE;
    use authlet_core::password::Scheme;

    /// The CRD refuses the factors core refuses: the rule states each bound it copies, and
    /// core agrees on both sides of each. (salted-hmac-sha256 ignores its factor; the
    /// schema's minimum of 1 is the only bound the CRD puts on it.)
    #[test]
    fn the_factor_rule_copies_cores_ranges() {
        for scheme in Scheme::ALL {
            let (min, max, stated) = match scheme {
                Scheme::Bcrypt => (4, 30, vec!["'bcrypt' ?", ">= 4", "<= 30"]),
                Scheme::SaltedHmacSha256 => (0, u32::MAX, vec!["'salted-hmac-sha256' ||"]),
                _ => (1, 10_000_000, vec!["<= 10000000"]),
            };
            for text in stated {
                assert!(FACTOR_RULE.contains(text), "the rule lost `{text}`");
            }
            let name = scheme.name();
            assert!(scheme.check_factor(min).is_ok(), "{name} refuses {min}");
            assert!(scheme.check_factor(max).is_ok(), "{name} refuses {max}");
            for outside in [min.checked_sub(1), max.checked_add(1)]
                .into_iter()
                .flatten()
            {
                assert!(
                    scheme.check_factor(outside).is_err(),
                    "{name} takes {outside}"
                );
            }
        }
    }
}
